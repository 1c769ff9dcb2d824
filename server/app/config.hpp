// The configuration file of `grievance serve --config FILE` (docs/operations.md "Configuration"):
// JSON, every key optional, every key documented in README.md with its default; an unknown key, a
// wrong type or an out-of-range value is an error, so a typo never silently keeps a default.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/domain/config.hpp"
#include "server/domain/notification_dispatcher.hpp"
#include "server/domain/result.hpp"
#include "server/net/server.hpp"

namespace grievance::app {

struct ServeConfig {
  domain::ServiceConfig service;
  net::ServerOptions server;
  int read_connections = 4;         // SQLite read-only connections
  std::size_t case_cache_mib = 16;  // recently read cases kept decrypted in memory; 0: none
  // A signed-in union user's batch upload may be this large and take this long (issue 3:
  // up to 1,000 digitised forms from an office on a slow line); every other request keeps
  // server.body_limit and server.read_timeout.
  std::int64_t batch_body_limit = 8 << 20;
  std::chrono::seconds batch_read_timeout{120};
  // The origin printed in absolute links ("https://grievance.example.org"), normalised: lower
  // case, no default port, no trailing slash. Empty: derived from --listen at start
  // (default_public_origin). Setting it also sets server.public_host and server.public_port.
  std::string public_origin;
  // Notifications (docs/domain.md "Notifications"): the webhook retry schedule, the sender's
  // timeout and trust store, how often the dispatcher looks for work.
  domain::WebhookConfig webhooks;
  std::chrono::seconds webhook_timeout{10};
  std::string webhook_ca_file;  // empty: the system's trust store
  std::chrono::seconds webhook_poll{5};
  // Notification e-mail (docs/domain.md "Notification e-mail"): the command that takes a
  // message on stdin (run without a shell), and the From address of every e-mail.
  std::string sendmail_command = "/usr/sbin/sendmail -t -i";
  std::string mail_from = "grievance@localhost";
};

// "https://" host [":" port], where host is a DNS name, an IPv4 address or a bracketed IPv6
// address; an optional trailing "/" and nothing else (no path, query, user or fragment).
// Returns the normalised origin and sets `host` (as in a Host header) and `port`. Errors
// (kInvalidRequest): anything else.
domain::Result<std::string> parse_public_origin(std::string_view text, std::string& host,
                                                std::uint16_t& port);

// The public origin when none is configured: https:// and the listen address with the bound
// port ("localhost" for an unspecified address such as 0.0.0.0 or ::).
std::string default_public_origin(std::string_view bound_address, std::uint16_t port);

// Applies the JSON text onto `config` (keys absent keep their value). Errors
// (kInvalidRequest): not JSON, not an object, unknown key, wrong type, value out of range;
// the message names the key ("limits.narrative_max_chars").
domain::Status apply_config_json(std::string_view json_text, ServeConfig& config);

// Reads `path` and applies it; the error message also names the file.
domain::Status apply_config_file(const std::string& path, ServeConfig& config);

}  // namespace grievance::app
