// The notifications outbox (docs/domain.md "Notifications"): the store writes one outbox row
// with every case event, in the event's transaction; the dispatcher fans each row out to the
// organisations concerned (one notification each, one webhook delivery per webhook of each),
// then claims the due deliveries, and marks them delivered, due again later, or dead.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/notification.hpp"
#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// An event not fanned out yet.
struct OutboxEntry {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t event_id = 0;
};

struct Webhook {
  std::int64_t id = 0;
  std::int64_t org_id = 0;  // kOperatorOrgId (0): the operator's
  std::string url;
  TimePoint created_at{};
};

enum class DeliveryState { kPending, kDelivered, kDead };
std::string_view to_string(DeliveryState s);
std::optional<DeliveryState> parse_delivery_state(std::string_view s);

struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t webhook_id = 0;
  std::string url;
  std::string secret;  // only in claim_due's answer (the sender signs with it); never listed
  Notification notification;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  TimePoint next_at{};
  std::string last_error;  // "http 500", "timeout", ...: never a response body
};

// The outbox's work not done yet (GET /metrics; docs/operations.md "Monitoring").
struct OutboxBacklog {
  std::int64_t events_pending = 0;          // outbox rows not fanned out
  std::int64_t notifications_unmailed = 0;  // notifications not handed to the mailer
  std::int64_t deliveries_pending = 0;      // webhook deliveries waiting (due or backing off)
  std::int64_t deliveries_dead = 0;         // webhook deliveries that gave up
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // The oldest outbox rows not fanned out yet.
  virtual Result<std::vector<OutboxEntry>> pending_events(int limit) = 0;
  // In one transaction: a notification per element of `per_org` (their id is assigned here),
  // a pending delivery due at `now` for every live webhook of each organisation, and the row
  // marked fanned out. Idempotent for an entry already fanned out (returns nothing).
  virtual Result<std::vector<Notification>> fan_out(const OutboxEntry& entry,
                                                    const std::vector<Notification>& per_org,
                                                    TimePoint now) = 0;
  // Notifications not yet handed to the mailer, oldest first, and the mark that they were.
  virtual Result<std::vector<Notification>> unmailed(int limit) = 0;
  virtual Status mark_mailed(std::int64_t notification_id) = 0;

  // Pending deliveries due at `now`, with url and secret; each claimed one is moved to
  // now + lease, so a crash in flight delivers it again after the lease (at-least-once).
  virtual Result<std::vector<WebhookDelivery>> claim_due(TimePoint now, int limit,
                                                         std::chrono::seconds lease) = 0;
  virtual Status mark_delivered(std::int64_t delivery_id, int attempts) = 0;
  virtual Status schedule_retry(std::int64_t delivery_id, int attempts, TimePoint next_at,
                                std::string_view error) = 0;
  virtual Status mark_dead(std::int64_t delivery_id, int attempts, std::string_view error) = 0;
  // Deliveries in `state` (all when nullopt), newest first, without secrets.
  virtual Result<std::vector<WebhookDelivery>> list_deliveries(std::optional<DeliveryState> state,
                                                               int limit) = 0;
  // A dead delivery pending again, due at `now`, attempts reset. kNotFound: no dead one.
  virtual Status retry_delivery(std::int64_t delivery_id, TimePoint now) = 0;

  // Counts of the work above, from one read snapshot (SQLite: partial indexes only).
  virtual Result<OutboxBacklog> backlog() = 0;

  // Webhooks: the secret is stored sealed and never read back except by claim_due.
  virtual Result<Webhook> add_webhook(std::int64_t org_id, std::string_view url,
                                      std::string_view secret, TimePoint now) = 0;
  virtual Result<std::vector<Webhook>> list_webhooks(std::int64_t org_id) = 0;
  // kNotFound when the organisation has no such webhook.
  virtual Status delete_webhook(std::int64_t org_id, std::int64_t webhook_id) = 0;
};

// HTTPS POST of one webhook body (server/net/webhook_client.cpp). OK on a 2xx answer; an
// error (message: "http 500", "timeout", "tls", "connect") otherwise.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual Status post(const std::string& url, const std::string& body, const std::string& event_id,
                      const std::string& signature) = 0;
};

}  // namespace grievance::domain
