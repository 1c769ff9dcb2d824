#include "server/app/config.hpp"

#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/http/files.hpp"

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

}  // namespace

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
  };
  const std::map<std::string, std::function<domain::Status(const json&)>, std::less<>> none;
  const std::map<std::string, std::function<domain::Status(const json&)>, std::less<>> sections = {
      {"limits", [&](const json& j) { return apply_object(j, "limits", limit_keys, none); }},
      {"throttle", [&](const json& j) { return apply_object(j, "throttle", throttle_keys, none); }},
  };
  if (auto applied = apply_object(root, "", top_keys, sections); !applied) return applied;
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
