#include "storage/codec.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace grievance::storage {
namespace {

using namespace domain;

// Indexed by the enumerator's value: the enumerations are contiguous from zero.
constexpr std::array<std::string_view, 5> kLanguages = {"en", "nl", "id", "vi", "fr"};
constexpr std::array<std::string_view, 11> kCategories = {
    "wages",          "working_hours", "health_safety", "freedom_of_association",
    "discrimination", "harassment",    "child_labour",  "forced_labour",
    "land_rights",    "environment",   "other"};
constexpr std::array<std::string_view, 5> kChannels = {"web", "union", "paper", "phone", "api"};
constexpr std::array<std::string_view, 10> kStatuses = {
    "received", "acknowledged", "in_dialogue", "remedy_proposed", "resolved",
    "closed",   "rejected",     "escalated",   "withdrawn",       "reopened"};
constexpr std::array<std::string_view, 4> kSectors = {"palm_oil", "cocoa", "textile", "other"};
constexpr std::array<std::string_view, 3> kOrgKinds = {"company", "union", "auditor"};
constexpr std::array<std::string_view, 6> kRoles = {"complainant", "union", "company",
                                                    "auditor",     "admin", "system"};
constexpr std::array<std::string_view, 2> kVisibilities = {"parties", "staff"};
constexpr std::array<std::string_view, 8> kEventTypes = {
    "filed",        "routed",       "status_changed", "message", "attachment", "deadline_breached",
    "clock_paused", "clock_resumed"};

static_assert(static_cast<std::size_t>(Category::kOther) + 1 == kCategories.size());
static_assert(static_cast<std::size_t>(CaseStatus::kReopened) + 1 == kStatuses.size());
static_assert(static_cast<std::size_t>(Role::kSystem) + 1 == kRoles.size());
static_assert(static_cast<std::size_t>(EventType::kClockResumed) + 1 == kEventTypes.size());
static_assert(static_cast<std::size_t>(Language::kFr) + 1 == kLanguages.size());
static_assert(static_cast<std::size_t>(Channel::kApi) + 1 == kChannels.size());
static_assert(static_cast<std::size_t>(Sector::kOther) + 1 == kSectors.size());

template <class E, std::size_t N>
std::string_view name_in(E v, const std::array<std::string_view, N>& names) {
  const auto i = static_cast<std::size_t>(v);
  return i < N ? names[i] : std::string_view("?");
}

template <class E, std::size_t N>
std::optional<E> parse_in(std::string_view s, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

bool parse_int(std::string_view s, int& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::string_view db_name(Language v) { return name_in(v, kLanguages); }
std::string_view db_name(Category v) { return name_in(v, kCategories); }
std::string_view db_name(Channel v) { return name_in(v, kChannels); }
std::string_view db_name(CaseStatus v) { return name_in(v, kStatuses); }
std::string_view db_name(Sector v) { return name_in(v, kSectors); }
std::string_view db_name(OrgKind v) { return name_in(v, kOrgKinds); }
std::string_view db_name(Role v) { return name_in(v, kRoles); }
std::string_view db_name(Visibility v) { return name_in(v, kVisibilities); }
std::string_view db_name(EventType v) { return name_in(v, kEventTypes); }

template <>
std::optional<Language> parse_db_name<Language>(std::string_view s) {
  return parse_in<Language>(s, kLanguages);
}
template <>
std::optional<Category> parse_db_name<Category>(std::string_view s) {
  return parse_in<Category>(s, kCategories);
}
template <>
std::optional<Channel> parse_db_name<Channel>(std::string_view s) {
  return parse_in<Channel>(s, kChannels);
}
template <>
std::optional<CaseStatus> parse_db_name<CaseStatus>(std::string_view s) {
  return parse_in<CaseStatus>(s, kStatuses);
}
template <>
std::optional<Sector> parse_db_name<Sector>(std::string_view s) {
  return parse_in<Sector>(s, kSectors);
}
template <>
std::optional<OrgKind> parse_db_name<OrgKind>(std::string_view s) {
  return parse_in<OrgKind>(s, kOrgKinds);
}
template <>
std::optional<Role> parse_db_name<Role>(std::string_view s) {
  return parse_in<Role>(s, kRoles);
}
template <>
std::optional<Visibility> parse_db_name<Visibility>(std::string_view s) {
  return parse_in<Visibility>(s, kVisibilities);
}
template <>
std::optional<EventType> parse_db_name<EventType>(std::string_view s) {
  return parse_in<EventType>(s, kEventTypes);
}

std::string encode_categories(const std::vector<Category>& categories) {
  std::string out;
  for (const Category c : categories) {
    if (!out.empty()) out += ',';
    out += db_name(c);
  }
  return out;
}

std::optional<std::vector<Category>> decode_categories(std::string_view s) {
  std::vector<Category> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    const auto c = parse_db_name<Category>(s.substr(0, comma));
    if (!c) return std::nullopt;
    out.push_back(*c);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::int64_t encode_time(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint decode_time(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

std::string encode_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<Date> decode_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !parse_int(s.substr(0, 4), y) ||
      !parse_int(s.substr(5, 2), m) || !parse_int(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  const Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                  std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string encode_contact(const Contact& c) {
  std::string out;
  for (const std::string* f : {&c.name, &c.phone, &c.email}) {
    out += std::to_string(f->size());
    out += ':';
    out += *f;
  }
  return out;
}

std::optional<Contact> decode_contact(std::string_view s) {
  Contact c;
  for (std::string* f : {&c.name, &c.phone, &c.email}) {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos || colon > 9) return std::nullopt;
    std::size_t len = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + colon, len);
    if (ec != std::errc() || p != s.data() + colon) return std::nullopt;
    s.remove_prefix(colon + 1);
    if (len > s.size()) return std::nullopt;
    f->assign(s.substr(0, len));
    s.remove_prefix(len);
  }
  if (!s.empty()) return std::nullopt;
  return c;
}

}  // namespace grievance::storage
