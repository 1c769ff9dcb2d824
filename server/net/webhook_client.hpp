// The webhook sender (domain::WebhookSender; docs/domain.md "Notifications", docs/security.md
// "Webhooks"): one HTTPS POST per delivery, the peer's certificate verified against the system's
// roots (or `ca_file`) and the URL's host name, a bounded time for connect, handshake, request
// and answer together, a small cap on the answer read. Never logs the body or the secret.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "server/domain/ports/outbox_store.hpp"
#include "server/domain/result.hpp"

namespace grievance::net {

struct WebhookClientOptions {
  std::string ca_file;               // empty: the system's trust store
  std::chrono::seconds timeout{10};  // connect + TLS + request + answer
  bool allow_private = false;        // connect to loopback or private addresses (tests)
};

// Errors (kUnavailable): the CA file cannot be read.
domain::Result<std::unique_ptr<domain::WebhookSender>> make_webhook_sender(
    const WebhookClientOptions& options);

}  // namespace grievance::net
