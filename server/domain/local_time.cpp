#include "server/domain/local_time.hpp"

#include <string>

namespace grievance::domain {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr TimeZone kUtc{"UTC", minutes{0}, false, {}};
constexpr TimeZone kEurope{"CET", hours{1}, true, "CEST"};

struct CountryZone {
  std::string_view country;
  TimeZone zone;
};

// The programme's supply chains (palm oil, garments, cocoa) and the buyers' countries: the
// countries the forms offer (server/http/pages/kit.cpp). Labels are the ones people there use
// where one is common (WIB, GMT), else the offset.
constexpr CountryZone kCountryZones[] = {
    {"BD", {"UTC+6", hours{6}, false, {}}},
    {"BE", kEurope},
    {"CI", {"GMT", hours{0}, false, {}}},
    {"CM", {"UTC+1", hours{1}, false, {}}},
    {"DE", kEurope},
    {"FR", kEurope},
    {"GB", {"GMT", hours{0}, true, "BST"}},  // the same instants as the EU rule
    {"GH", {"GMT", hours{0}, false, {}}},
    {"KH", {"UTC+7", hours{7}, false, {}}},
    {"MY", {"UTC+8", hours{8}, false, {}}},
    {"NL", kEurope},
    {"TH", {"UTC+7", hours{7}, false, {}}},
    {"VN", {"UTC+7", hours{7}, false, {}}},
};

// Indonesia (Keppres 41/1987): WIB (UTC+7) for Sumatra, Java, West and Central Kalimantan;
// WITA (UTC+8) for Bali, Nusa Tenggara, South, East and North Kalimantan and Sulawesi; WIT
// (UTC+9) for Maluku and Papua.
constexpr TimeZone kWib{"WIB", hours{7}, false, {}};
constexpr TimeZone kWita{"WITA", hours{8}, false, {}};
constexpr TimeZone kWit{"WIT", hours{9}, false, {}};

// Lower-case ASCII letters only: "DI Yogyakarta" -> "diyogyakarta", "Sulawesi-Selatan" ->
// "sulawesiselatan".
std::string fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    if (c >= 'a' && c <= 'z') out.push_back(c);
  }
  return out;
}

bool has_any(std::string_view folded, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (folded.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// Provinces in Indonesian or English, and the main cities, of the zones east of WIB; anything
// else is WIB.
TimeZone indonesian_zone(std::string_view region) {
  const std::string r = fold(region);
  if (has_any(r, {"papua", "maluku", "moluccas", "jayapura", "ambon", "sorong", "merauke",
                  "ternate", "manokwari"})) {
    return kWit;
  }
  if (has_any(r, {"sulawesi", "celebes", "gorontalo", "bali", "nusatenggara", "makassar", "manado",
                  "palu", "kendari", "denpasar", "mataram", "kupang", "balikpapan", "samarinda",
                  "banjarmasin", "tarakan"}) ||
      r == "ntb" || r == "ntt" ||
      (has_any(r, {"kalimantan", "borneo"}) &&
       has_any(r, {"selatan", "timur", "utara", "south", "east", "north"}))) {
    return kWita;
  }
  return kWib;
}

// 01:00 UTC on the last Sunday of `month` in `y`.
TimePoint last_sunday_0100(std::chrono::year y, std::chrono::month month) {
  const std::chrono::sys_days day{y / month / std::chrono::Sunday[std::chrono::last]};
  return std::chrono::time_point_cast<std::chrono::seconds>(day + hours{1});
}

}  // namespace

TimeZone utc_zone() { return kUtc; }

TimeZone time_zone_of(std::string_view country, std::string_view region) {
  if (country == "ID") return indonesian_zone(region);
  for (const auto& cz : kCountryZones) {
    if (cz.country == country) return cz.zone;
  }
  return kUtc;
}

TimeZone complaint_time_zone(const Complaint& complaint, const Site* site) {
  if (site != nullptr) return time_zone_of(site->country, site->region);
  return time_zone_of(complaint.country);
}

bool is_eu_summer_time(TimePoint t) {
  const std::chrono::year y =
      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)}.year();
  return t >= last_sunday_0100(y, std::chrono::March) &&
         t < last_sunday_0100(y, std::chrono::October);
}

LocalTime to_local(TimePoint t, const TimeZone& zone) {
  const bool summer = zone.eu_summer_time && is_eu_summer_time(t);
  const auto offset = zone.offset + (summer ? hours{1} : hours{0});
  return {std::chrono::local_seconds{t.time_since_epoch() + offset},
          summer ? zone.summer_label : zone.label};
}

TimePoint from_local(std::chrono::local_seconds local, const TimeZone& zone) {
  const TimePoint standard{local.time_since_epoch() - zone.offset};
  if (!zone.eu_summer_time) return standard;
  // Summer time reads the clock one hour ahead: try it first, keep it when it holds then.
  const TimePoint summer = standard - hours{1};
  return is_eu_summer_time(summer) ? summer : standard;
}

Date local_date(TimePoint t, const TimeZone& zone) {
  return Date{std::chrono::floor<std::chrono::days>(to_local(t, zone).time)};
}

}  // namespace grievance::domain
