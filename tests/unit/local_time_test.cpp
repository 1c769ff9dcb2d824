#include "server/domain/local_time.hpp"

#include <gtest/gtest.h>

namespace grievance::domain {
namespace {

TimePoint at(std::string_view iso) {
  auto t = parse_time(iso);
  EXPECT_TRUE(t) << iso;
  return t.value_or(TimePoint{});
}

std::string local(std::string_view iso, const TimeZone& zone) {
  const LocalTime l = to_local(at(iso), zone);
  const auto day = std::chrono::floor<std::chrono::days>(l.time);
  const std::chrono::hh_mm_ss hms{l.time - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d %.*s", format_date(Date{day}).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(l.label.size()), l.label.data());
  return buf;
}

TEST(LocalTime, FixedOffsetsOfTheProgrammeCountries) {
  EXPECT_EQ(local("2026-10-01T12:00:00Z", time_zone_of("VN")), "2026-10-01 19:00 UTC+7");
  EXPECT_EQ(local("2026-10-01T12:00:00Z", time_zone_of("CI")), "2026-10-01 12:00 GMT");
  EXPECT_EQ(local("2026-10-01T12:00:00Z", time_zone_of("BD")), "2026-10-01 18:00 UTC+6");
  EXPECT_EQ(local("2026-10-01T20:30:00Z", time_zone_of("MY")), "2026-10-02 04:30 UTC+8");
  EXPECT_EQ(local("2026-10-01T12:00:00Z", time_zone_of("CM")), "2026-10-01 13:00 UTC+1");
  EXPECT_EQ(local("2026-10-01T12:00:00Z", time_zone_of("ZZ")), "2026-10-01 12:00 UTC")
      << "a country not in the table is shown in UTC, labelled so";
  EXPECT_EQ(time_zone_of(""), utc_zone());
}

TEST(LocalTime, IndonesiaHasThreeZonesByProvince) {
  const auto t = "2026-10-01T12:00:00Z";
  EXPECT_EQ(local(t, time_zone_of("ID", "Riau, Kampar")), "2026-10-01 19:00 WIB");
  EXPECT_EQ(local(t, time_zone_of("ID", "DKI Jakarta")), "2026-10-01 19:00 WIB");
  EXPECT_EQ(local(t, time_zone_of("ID", "Kalimantan Barat")), "2026-10-01 19:00 WIB");
  EXPECT_EQ(local(t, time_zone_of("ID", "Sumatera Utara")), "2026-10-01 19:00 WIB");
  EXPECT_EQ(local(t, time_zone_of("ID", "Kalimantan Timur, Kutai")), "2026-10-01 20:00 WITA");
  EXPECT_EQ(local(t, time_zone_of("ID", "East Kalimantan")), "2026-10-01 20:00 WITA");
  EXPECT_EQ(local(t, time_zone_of("ID", "Sulawesi Selatan")), "2026-10-01 20:00 WITA");
  EXPECT_EQ(local(t, time_zone_of("ID", "Bali")), "2026-10-01 20:00 WITA");
  EXPECT_EQ(local(t, time_zone_of("ID", "Papua Barat")), "2026-10-01 21:00 WIT");
  EXPECT_EQ(local(t, time_zone_of("ID", "Maluku Utara, Ternate")), "2026-10-01 21:00 WIT");
  EXPECT_EQ(local(t, time_zone_of("ID", "")), "2026-10-01 19:00 WIB")
      << "no province: WIB, and the label says which zone";
}

// Directive 2000/84/EC: summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on
// the last Sunday of October (2026: 29 March and 25 October).
TEST(LocalTime, EuSummerTime) {
  const TimeZone nl = time_zone_of("NL");
  EXPECT_EQ(local("2026-03-29T00:59:59Z", nl), "2026-03-29 01:59 CET");
  EXPECT_EQ(local("2026-03-29T01:00:00Z", nl), "2026-03-29 03:00 CEST");
  EXPECT_EQ(local("2026-10-25T00:59:00Z", nl), "2026-10-25 02:59 CEST");
  EXPECT_EQ(local("2026-10-25T01:00:00Z", nl), "2026-10-25 02:00 CET");
  EXPECT_EQ(local("2026-01-15T12:00:00Z", time_zone_of("FR")), "2026-01-15 13:00 CET");
  EXPECT_EQ(local("2026-07-15T12:00:00Z", time_zone_of("DE")), "2026-07-15 14:00 CEST");
  EXPECT_FALSE(is_eu_summer_time(at("2027-03-28T00:00:00Z")));
  EXPECT_TRUE(is_eu_summer_time(at("2027-03-28T01:00:00Z")));
  EXPECT_TRUE(is_eu_summer_time(at("2027-10-31T00:59:59Z")));
  EXPECT_FALSE(is_eu_summer_time(at("2027-10-31T01:00:00Z")));
  EXPECT_EQ(local("2026-07-15T12:00:00Z", time_zone_of("VN")), "2026-07-15 19:00 UTC+7")
      << "no summer time outside Europe";
}

TEST(LocalTime, DatesAreLocalDays) {
  const auto late = at("2026-10-08T23:30:00Z");
  EXPECT_EQ(format_date(local_date(late, time_zone_of("ID", "Riau"))), "2026-10-09");
  EXPECT_EQ(format_date(local_date(late, time_zone_of("CI"))), "2026-10-08");
  EXPECT_EQ(format_date(local_date(late, utc_zone())), "2026-10-08");
}

TEST(LocalTime, AComplaintIsShownInItsSitesZoneElseItsCountrys) {
  Complaint c;
  c.country = "ID";
  Site site;
  site.country = "ID";
  site.region = "Sulawesi Tengah, Morowali";
  EXPECT_EQ(complaint_time_zone(c, &site).label, "WITA");
  EXPECT_EQ(complaint_time_zone(c, nullptr).label, "WIB");
  c.country = "CI";
  EXPECT_EQ(complaint_time_zone(c, nullptr).label, "GMT");
}

}  // namespace
}  // namespace grievance::domain
