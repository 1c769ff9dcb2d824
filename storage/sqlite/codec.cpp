#include "storage/sqlite/codec.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace grievance::storage {
namespace {

using namespace domain;

bool parse_int(std::string_view s, int& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

// The stored names are the domain's wire names (server/domain/types.cpp): one table, not two.
// Renaming a wire name is therefore a schema change that needs a migration; the upgrade test's
// databases, written with today's names, fail when that is forgotten.
std::string_view db_name(Language v) { return to_string(v); }
std::string_view db_name(Category v) { return to_string(v); }
std::string_view db_name(Channel v) { return to_string(v); }
std::string_view db_name(CaseStatus v) { return to_string(v); }
std::string_view db_name(Sector v) { return to_string(v); }
std::string_view db_name(OrgKind v) { return to_string(v); }
std::string_view db_name(Role v) { return to_string(v); }
// An internal note was stored as "staff" before it was called "organisation": the event hash
// chain covers the stored name, so it stays.
std::string_view db_name(Visibility v) {
  return v == Visibility::kOrganisation ? std::string_view("staff") : to_string(v);
}
std::string_view db_name(EventType v) { return to_string(v); }
std::string_view db_name(PartyRole v) { return to_string(v); }
std::string_view db_name(Outcome v) { return to_string(v); }
std::string_view db_name(ExternalBody v) { return to_string(v); }
std::string_view db_name(ActionVerdict v) { return to_string(v); }
std::string_view db_name(RemedyHeld v) { return to_string(v); }
std::string_view db_name(IdentityLevel v) { return to_string(v); }

template <>
std::optional<Outcome> parse_db_name<Outcome>(std::string_view s) {
  return parse_outcome(s);
}
template <>
std::optional<ExternalBody> parse_db_name<ExternalBody>(std::string_view s) {
  return parse_external_body(s);
}
template <>
std::optional<ActionVerdict> parse_db_name<ActionVerdict>(std::string_view s) {
  return parse_action_verdict(s);
}
template <>
std::optional<RemedyHeld> parse_db_name<RemedyHeld>(std::string_view s) {
  return parse_remedy_held(s);
}
template <>
std::optional<IdentityLevel> parse_db_name<IdentityLevel>(std::string_view s) {
  return parse_identity_level(s);
}

template <>
std::optional<Language> parse_db_name<Language>(std::string_view s) {
  return parse_language(s);
}
template <>
std::optional<Category> parse_db_name<Category>(std::string_view s) {
  return parse_category(s);
}
template <>
std::optional<Channel> parse_db_name<Channel>(std::string_view s) {
  return parse_channel(s);
}
template <>
std::optional<CaseStatus> parse_db_name<CaseStatus>(std::string_view s) {
  return parse_case_status(s);
}
template <>
std::optional<Sector> parse_db_name<Sector>(std::string_view s) {
  return parse_sector(s);
}
template <>
std::optional<OrgKind> parse_db_name<OrgKind>(std::string_view s) {
  return parse_org_kind(s);
}
template <>
std::optional<Role> parse_db_name<Role>(std::string_view s) {
  return parse_role(s);
}
template <>
std::optional<Visibility> parse_db_name<Visibility>(std::string_view s) {
  return parse_visibility(s);
}
template <>
std::optional<EventType> parse_db_name<EventType>(std::string_view s) {
  return parse_event_type(s);
}

template <>
std::optional<PartyRole> parse_db_name<PartyRole>(std::string_view s) {
  return parse_party_role(s);
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
