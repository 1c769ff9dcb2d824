// How domain values are written into database columns: enumerations by stable names (the same
// as the wire names), times as seconds since the epoch, dates as YYYY-MM-DD, contact details
// as one length-prefixed string before sealing. Storage-internal; the database format must not
// change when the API's wire names do, so these tables are the storage layer's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/types.hpp"

namespace grievance::storage {

std::string_view db_name(domain::Language v);
std::string_view db_name(domain::Category v);
std::string_view db_name(domain::Channel v);
std::string_view db_name(domain::CaseStatus v);
std::string_view db_name(domain::Sector v);
std::string_view db_name(domain::OrgKind v);
std::string_view db_name(domain::Role v);
std::string_view db_name(domain::Visibility v);
std::string_view db_name(domain::EventType v);
std::string_view db_name(domain::PartyRole v);
std::string_view db_name(domain::Outcome v);
std::string_view db_name(domain::ExternalBody v);
std::string_view db_name(domain::ActionVerdict v);
std::string_view db_name(domain::RemedyHeld v);
std::string_view db_name(domain::IdentityLevel v);

// nullopt for anything that is not exactly a stored name.
template <class E>
std::optional<E> parse_db_name(std::string_view s);
template <>
std::optional<domain::Language> parse_db_name<domain::Language>(std::string_view s);
template <>
std::optional<domain::Category> parse_db_name<domain::Category>(std::string_view s);
template <>
std::optional<domain::Channel> parse_db_name<domain::Channel>(std::string_view s);
template <>
std::optional<domain::CaseStatus> parse_db_name<domain::CaseStatus>(std::string_view s);
template <>
std::optional<domain::Sector> parse_db_name<domain::Sector>(std::string_view s);
template <>
std::optional<domain::OrgKind> parse_db_name<domain::OrgKind>(std::string_view s);
template <>
std::optional<domain::Role> parse_db_name<domain::Role>(std::string_view s);
template <>
std::optional<domain::Visibility> parse_db_name<domain::Visibility>(std::string_view s);
template <>
std::optional<domain::EventType> parse_db_name<domain::EventType>(std::string_view s);
template <>
std::optional<domain::PartyRole> parse_db_name<domain::PartyRole>(std::string_view s);
template <>
std::optional<domain::Outcome> parse_db_name<domain::Outcome>(std::string_view s);
template <>
std::optional<domain::ExternalBody> parse_db_name<domain::ExternalBody>(std::string_view s);
template <>
std::optional<domain::ActionVerdict> parse_db_name<domain::ActionVerdict>(std::string_view s);
template <>
std::optional<domain::RemedyHeld> parse_db_name<domain::RemedyHeld>(std::string_view s);
template <>
std::optional<domain::IdentityLevel> parse_db_name<domain::IdentityLevel>(std::string_view s);

// "wages,health_safety"; nullopt if any element is unknown.
std::string encode_categories(const std::vector<domain::Category>& categories);
std::optional<std::vector<domain::Category>> decode_categories(std::string_view s);

std::int64_t encode_time(domain::TimePoint t);
domain::TimePoint decode_time(std::int64_t seconds);
std::string encode_date(domain::Date d);
std::optional<domain::Date> decode_date(std::string_view s);

// "<len>:<name><len>:<phone><len>:<email>": unambiguous for any bytes.
std::string encode_contact(const domain::Contact& c);
std::optional<domain::Contact> decode_contact(std::string_view s);

}  // namespace grievance::storage
