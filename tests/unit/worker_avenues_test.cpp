// The table of other avenues per country (issue 10 item 6; docs/domain.md "Workers' rights and
// other avenues"): every country the programme serves (the zones of local_time.cpp) has one,
// with a labour inspectorate and legal aid named; an NCP is listed exactly where the country
// has one; a country outside the table gets none (the pages give the generic advice).
#include "server/domain/worker_avenues.hpp"

#include <gtest/gtest.h>

#include <string>

#include "server/domain/local_time.hpp"

namespace grievance::domain {
namespace {

TEST(WorkerAvenuesTest, EveryProgrammeCountryHasItsBodies) {
  for (const char* country :
       {"BD", "BE", "CI", "CM", "DE", "FR", "GB", "GH", "ID", "KH", "MY", "NL", "TH", "VN"}) {
    SCOPED_TRACE(country);
    // A country of the programme: the local-time table knows it too.
    EXPECT_NE(time_zone_of(country).label, "UTC");
    const CountryAvenues* c = avenues_of(country);
    ASSERT_NE(c, nullptr);
    bool inspectorate = false, legal_aid = false, ncp = false;
    for (const Avenue& a : c->avenues) {
      EXPECT_FALSE(a.name.empty());
      EXPECT_TRUE(a.contact.empty() || a.contact.starts_with("https://") ||
                  a.contact.find_first_not_of("0123456789 -+") == std::string_view::npos)
          << a.contact;
      inspectorate |= a.kind == AvenueKind::kInspectorate;
      legal_aid |= a.kind == AvenueKind::kLegalAid;
      ncp |= a.kind == AvenueKind::kNcp;
    }
    EXPECT_TRUE(inspectorate);
    EXPECT_TRUE(legal_aid);
    EXPECT_EQ(ncp, c->has_ncp);
  }
}

TEST(WorkerAvenuesTest, UnknownCountriesFallBackToTheGenericAdvice) {
  EXPECT_EQ(avenues_of("PE"), nullptr);
  EXPECT_EQ(avenues_of(""), nullptr);
  EXPECT_EQ(avenues_of("id"), nullptr);  // codes are upper case; the page normalises
  EXPECT_TRUE(kNcpListUrl.starts_with("https://"));
  EXPECT_EQ(to_string(AvenueKind::kLegalAid), "legal_aid");
}

}  // namespace
}  // namespace grievance::domain
