// Where else a worker can turn, per country (issue 10 item 6; docs/domain.md "Workers' rights
// and other avenues"): the National Contact Point for the OECD Guidelines, the labour
// inspectorate, legal aid, unions, the national human rights institution and other bodies, for
// the programme's countries (the countries of server/domain/local_time.cpp). Names are the
// bodies' own (in their language, with the English name where it helps); what each kind of
// body does is said by the pages in the reader's language. A country not in the table gets the
// generic advice. UNGP 25-26 and 31: a company-based mechanism must not block other avenues.
//
// Pure data: no I/O, any thread.
#pragma once

#include <span>
#include <string_view>

namespace grievance::domain {

enum class AvenueKind { kNcp, kInspectorate, kLegalAid, kUnion, kHumanRights, kOther };
// "ncp", "inspectorate", "legal_aid", "union", "human_rights", "other".
std::string_view to_string(AvenueKind kind);

struct Avenue {
  AvenueKind kind;
  std::string_view name;
  std::string_view contact;  // a web address or a telephone number; may be empty
};

struct CountryAvenues {
  std::string_view country;  // ISO 3166-1 alpha-2
  // Whether the country has its own National Contact Point (adheres to the OECD Guidelines).
  bool has_ncp = false;
  std::span<const Avenue> avenues;
};

// Every country of the table, by code.
std::span<const CountryAvenues> avenue_countries();
// The country's avenues; nullptr for a country the table does not know (or not a code).
const CountryAvenues* avenues_of(std::string_view country);

// The OECD's list of every National Contact Point: a worker may go to the NCP of the buyer's
// home country about the buyer's suppliers abroad.
inline constexpr std::string_view kNcpListUrl = "https://mneguidelines.oecd.org/ncps/";

}  // namespace grievance::domain
