#include "server/app/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/http/files.hpp"
#include "server/http/mail/notification_mail.hpp"

namespace grievance::app {

namespace {

using nlohmann::json;

domain::Error config_error(std::string message) {
  return domain::Error{domain::ErrorCode::kInvalidRequest, std::move(message), {}};
}

// One setter per key: reads an integer in [min, max] and stores it.
using Setter = std::function<void(std::int64_t)>;
struct Key {
  std::int64_t min;
  std::int64_t max;
  Setter set;
};

domain::Status apply_object(const json& object, const std::string& prefix,
                            const std::map<std::string, Key, std::less<>>& keys,
                            const std::map<std::string, std::function<domain::Status(const json&)>,
                                           std::less<>>& sections) {
  if (!object.is_object()) {
    return domain::fail(
        config_error((prefix.empty() ? "the configuration" : prefix) + " must be a JSON object"));
  }
  for (const auto& [name, value] : object.items()) {
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    if (auto section = sections.find(name); section != sections.end()) {
      if (auto applied = section->second(value); !applied) return applied;
      continue;
    }
    auto key = keys.find(name);
    if (key == keys.end()) return domain::fail(config_error("unknown configuration key " + path));
    if (!value.is_number_integer()) {
      return domain::fail(config_error("configuration key " + path + " must be an integer"));
    }
    const auto v = value.get<std::int64_t>();
    if (v < key->second.min || v > key->second.max) {
      return domain::fail(config_error("configuration key " + path + " must be between " +
                                       std::to_string(key->second.min) + " and " +
                                       std::to_string(key->second.max)));
    }
    key->second.set(v);
  }
  return {};
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

}  // namespace

domain::Result<std::string> parse_public_origin(std::string_view text, std::string& host,
                                                std::uint16_t& port) {
  const auto bad = [] {
    return domain::fail(
        config_error("configuration key public_origin must be https://HOST or https://HOST:PORT"));
  };
  std::string origin(text);
  std::ranges::transform(origin, origin.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!origin.starts_with("https://")) return bad();
  std::string_view rest = std::string_view(origin).substr(8);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  std::string_view name = rest, port_text;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close < 3) return bad();
    name = rest.substr(0, close + 1);
    for (char c : name.substr(1, name.size() - 2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return bad();
    }
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad();
      port_text = rest.substr(close + 2);
      if (port_text.empty()) return bad();
    }
  } else if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
    name = rest.substr(0, colon);
    port_text = rest.substr(colon + 1);
    if (port_text.empty()) return bad();
  }
  if (!name.starts_with('[') &&
      (name.empty() || name.size() > 253 || !std::ranges::all_of(name, is_host_char) ||
       name.starts_with('.') || name.starts_with('-') ||
       name.find("..") != std::string_view::npos)) {
    return bad();
  }
  unsigned value = 443;
  if (!port_text.empty()) {
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return bad();
    }
  }
  host = std::string(name);
  port = static_cast<std::uint16_t>(value);
  return "https://" + host + (port == 443 ? "" : ":" + std::to_string(port));
}

std::string default_public_origin(std::string_view bound_address, std::uint16_t port) {
  std::string host(bound_address);
  if (host == "0.0.0.0" || host == "::") host = "localhost";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "https://" + host + (port == 443 ? "" : ":" + std::to_string(port));
}

domain::Status apply_config_json(std::string_view json_text, ServeConfig& config) {
  json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return domain::fail(config_error("the configuration is not valid JSON"));

  constexpr std::int64_t kDay = 1;
  constexpr std::int64_t kYear = 3660;
  constexpr std::int64_t kBig = std::numeric_limits<std::int32_t>::max();
  auto& s = config.service;
  auto& n = config.server;
  auto seconds = [](std::chrono::seconds& target) {
    return [&target](std::int64_t v) { target = std::chrono::seconds(v); };
  };

  const std::map<std::string, Key, std::less<>> limit_keys = {
      {"narrative_max_chars", {1, 1000000, [&](auto v) { s.limits.narrative_max_chars = v; }}},
      {"place_max_chars", {1, 100000, [&](auto v) { s.limits.place_max_chars = v; }}},
      {"contact_field_max_chars",
       {1, 100000, [&](auto v) { s.limits.contact_field_max_chars = v; }}},
      {"message_max_chars", {1, 1000000, [&](auto v) { s.limits.message_max_chars = v; }}},
      {"headcount_max", {1, kBig, [&](auto v) { s.limits.headcount_max = static_cast<int>(v); }}},
  };
  const std::map<std::string, Key, std::less<>> throttle_keys = {
      {"max_failures_per_subject",
       {1, 1000000, [&](auto v) { s.throttle.max_failures_per_subject = static_cast<int>(v); }}},
      {"max_failures_per_client",
       {1, 1000000, [&](auto v) { s.throttle.max_failures_per_client = static_cast<int>(v); }}},
      {"window_seconds", {1, kBig, seconds(s.throttle.window)}},
      {"lockout_seconds", {1, kBig, seconds(s.throttle.lockout)}},
  };
  const std::map<std::string, Key, std::less<>> top_keys = {
      {"ack_days", {kDay, kYear, [&](auto v) { s.ack_days = static_cast<int>(v); }}},
      {"response_days", {kDay, kYear, [&](auto v) { s.response_days = static_cast<int>(v); }}},
      {"resolution_days", {kDay, kYear, [&](auto v) { s.resolution_days = static_cast<int>(v); }}},
      {"appeal_window_days",
       {kDay, kYear, [&](auto v) { s.appeal_window_days = static_cast<int>(v); }}},
      {"follow_up_days", {kDay, kYear, [&](auto v) { s.follow_up_days = static_cast<int>(v); }}},
      {"reminder_days", {0, 90, [&](auto v) { s.reminder_days = static_cast<int>(v); }}},
      {"session_ttl_minutes",
       {1, 7 * 24 * 60, [&](auto v) { s.complainant_session_ttl = std::chrono::minutes(v); }}},
      {"staff_session_idle_minutes",
       {1, 24 * 60, [&](auto v) { s.staff_session_idle = std::chrono::minutes(v); }}},
      {"staff_session_absolute_minutes",
       {1, 7 * 24 * 60, [&](auto v) { s.staff_session_absolute = std::chrono::minutes(v); }}},
      {"require_totp_for_admins", {0, 1, [&](auto v) { s.require_totp_for_admins = v != 0; }}},
      {"threads", {1, 256, [&](auto v) { n.threads = static_cast<unsigned>(v); }}},
      {"blocking_threads",
       {1, 1024, [&](auto v) { n.blocking_threads = static_cast<unsigned>(v); }}},
      {"header_limit", {1024, 1024 * 1024, [&](auto v) { n.header_limit = v; }}},
      {"body_limit", {1024, std::int64_t{1} << 32, [&](auto v) { n.body_limit = v; }}},
      {"handshake_timeout_seconds", {1, 3600, seconds(n.handshake_timeout)}},
      {"read_timeout_seconds", {1, 3600, seconds(n.read_timeout)}},
      {"idle_timeout_seconds", {1, 3600, seconds(n.idle_timeout)}},
      {"write_timeout_seconds", {1, 3600, seconds(n.write_timeout)}},
      {"drain_timeout_seconds", {1, 3600, seconds(n.drain_timeout)}},
      {"max_connections", {1, 1000000, [&](auto v) { n.max_connections = v; }}},
      {"read_connections", {1, 64, [&](auto v) { config.read_connections = static_cast<int>(v); }}},
      {"case_cache_mib",
       {0, 4096, [&](auto v) { config.case_cache_mib = static_cast<std::size_t>(v); }}},
      {"batch_body_limit",
       {1024, std::int64_t{1} << 32, [&](auto v) { config.batch_body_limit = v; }}},
      {"batch_read_timeout_seconds", {1, 3600, seconds(config.batch_read_timeout)}},
      {"attachment_max_bytes",
       {1024, std::int64_t{1} << 30,
        [&](auto v) { s.attachment_max_bytes = static_cast<std::size_t>(v); }}},
      {"attachments_per_case",
       {0, 1000, [&](auto v) { s.attachments_per_case = static_cast<int>(v); }}},
      {"webhook_max_attempts",
       {1, 100, [&](auto v) { config.webhooks.max_attempts = static_cast<int>(v); }}},
      {"webhook_base_delay_seconds", {1, 86400, seconds(config.webhooks.base_delay)}},
      {"webhook_max_delay_seconds", {1, 7 * 86400, seconds(config.webhooks.max_delay)}},
      {"webhook_timeout_seconds", {1, 300, seconds(config.webhook_timeout)}},
      {"webhook_concurrency",
       {1, 64, [&](auto v) { config.webhooks.concurrency = static_cast<int>(v); }}},
      {"webhook_poll_seconds", {1, 3600, seconds(config.webhook_poll)}},
      {"webhook_allow_private", {0, 1, [&](auto v) { s.webhook_allow_private = v != 0; }}},
      {"stats_k", {1, 1000, [&](auto v) { s.disclosure.k = static_cast<int>(v); }}},
      {"stats_max_detail", {0, 20, [&](auto v) { s.disclosure.max_detail = static_cast<int>(v); }}},
  };
  const std::map<std::string, std::function<domain::Status(const json&)>, std::less<>> none;
  // Keys that are not integers: the two sections, the public origin and the mail settings.
  const std::map<std::string, std::function<domain::Status(const json&)>, std::less<>> sections = {
      {"limits", [&](const json& j) { return apply_object(j, "limits", limit_keys, none); }},
      {"throttle", [&](const json& j) { return apply_object(j, "throttle", throttle_keys, none); }},
      {"webhook_ca_file",
       [&](const json& j) -> domain::Status {
         if (!j.is_string()) {
           return domain::fail(config_error("configuration key webhook_ca_file must be a string"));
         }
         config.webhook_ca_file = j.get<std::string>();
         return {};
       }},
      {"public_origin",
       [&](const json& j) -> domain::Status {
         if (!j.is_string()) {
           return domain::fail(config_error("configuration key public_origin must be a string"));
         }
         auto origin = parse_public_origin(j.get<std::string>(), n.public_host, n.public_port);
         if (!origin) return domain::fail(origin.error());
         config.public_origin = std::move(*origin);
         return {};
       }},
      {"sendmail_command",
       [&](const json& j) -> domain::Status {
         // An absolute program and its arguments, split on spaces; never a shell.
         if (!j.is_string() || !j.get<std::string>().starts_with('/') ||
             j.get<std::string>().find_first_of("\r\n") != std::string::npos) {
           return domain::fail(config_error(
               "configuration key sendmail_command must be a string naming an absolute path"));
         }
         config.sendmail_command = j.get<std::string>();
         return {};
       }},
      {"office_contact",
       [&](const json& j) -> domain::Status {
         // Shown on the worker's pages: one line of printable text.
         if (!j.is_string() || j.get<std::string>().size() > 200 ||
             j.get<std::string>().find_first_of(std::string("\0\r\n\t", 4)) != std::string::npos) {
           return domain::fail(config_error(
               "configuration key office_contact must be one line of at most 200 bytes"));
         }
         s.office_contact = j.get<std::string>();
         return {};
       }},
      {"mail_from",
       [&](const json& j) -> domain::Status {
         if (!j.is_string() || !http::mail::is_header_safe_address(j.get<std::string>())) {
           return domain::fail(
               config_error("configuration key mail_from must be an address like a@example.org"));
         }
         config.mail_from = j.get<std::string>();
         return {};
       }},
  };
  if (auto applied = apply_object(root, "", top_keys, sections); !applied) return applied;
  // A claimed delivery comes back after the lease: longer than a try may take.
  config.webhooks.lease = 2 * config.webhook_timeout + std::chrono::seconds(5);
  if (s.ack_days > s.response_days || s.response_days > s.resolution_days) {
    return domain::fail(
        config_error("configuration: ack_days <= response_days <= resolution_days"));
  }
  return {};
}

domain::Status apply_config_file(const std::string& path, ServeConfig& config) {
  const auto text = http::read_file(path);
  if (!text) return domain::fail(config_error("cannot read configuration file " + path));
  if (auto applied = apply_config_json(*text, config); !applied) {
    return domain::fail(config_error(path + ": " + applied.error().message));
  }
  return {};
}

}  // namespace grievance::app
