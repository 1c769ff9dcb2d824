// An in-memory domain::OutboxStore for HTTP tests: webhooks kept in a vector, no deliveries
// (a retry of any id succeeds). The SQLite store is tested in tests/storage/outbox_store_test.cpp.
#pragma once

#include <mutex>
#include <vector>

#include "server/domain/ports/outbox_store.hpp"

namespace grievance::testing {

class FakeOutboxStore : public domain::OutboxStore {
 public:
  using R = domain::Result<std::vector<domain::Notification>>;
  domain::Result<std::vector<domain::OutboxEntry>> pending_events(int) override {
    return std::vector<domain::OutboxEntry>{};
  }
  R fan_out(const domain::OutboxEntry&, const std::vector<domain::Notification>&,
            domain::TimePoint) override {
    return std::vector<domain::Notification>{};
  }
  R unmailed(int) override { return std::vector<domain::Notification>{}; }
  domain::Status mark_mailed(std::int64_t) override { return {}; }
  domain::Result<std::vector<domain::WebhookDelivery>> claim_due(domain::TimePoint, int,
                                                                 std::chrono::seconds) override {
    return std::vector<domain::WebhookDelivery>{};
  }
  domain::Status mark_delivered(std::int64_t, int) override { return {}; }
  domain::Status schedule_retry(std::int64_t, int, domain::TimePoint, std::string_view) override {
    return {};
  }
  domain::Status mark_dead(std::int64_t, int, std::string_view) override { return {}; }
  domain::Result<std::vector<domain::WebhookDelivery>> list_deliveries(
      std::optional<domain::DeliveryState>, int) override {
    return std::vector<domain::WebhookDelivery>{};
  }
  domain::Status retry_delivery(std::int64_t, domain::TimePoint) override { return {}; }
  // What backlog() answers: set by a test.
  domain::OutboxBacklog backlog_answer;
  domain::Result<domain::OutboxBacklog> backlog() override { return backlog_answer; }
  domain::Result<domain::Webhook> add_webhook(std::int64_t org_id, std::string_view url,
                                              std::string_view, domain::TimePoint now) override {
    std::lock_guard lock(mu_);
    hooks_.push_back({static_cast<std::int64_t>(hooks_.size()) + 1, org_id, std::string(url), now});
    return hooks_.back();
  }
  domain::Result<std::vector<domain::Webhook>> list_webhooks(std::int64_t org_id) override {
    std::lock_guard lock(mu_);
    std::vector<domain::Webhook> out;
    for (const auto& h : hooks_) {
      if (h.org_id == org_id) out.push_back(h);
    }
    return out;
  }
  domain::Status delete_webhook(std::int64_t org_id, std::int64_t id) override {
    std::lock_guard lock(mu_);
    for (auto it = hooks_.begin(); it != hooks_.end(); ++it) {
      if (it->id == id && it->org_id == org_id) {
        hooks_.erase(it);
        return {};
      }
    }
    return domain::fail(domain::Error::not_found("No such webhook."));
  }

 private:
  std::mutex mu_;
  std::vector<domain::Webhook> hooks_;
};

}  // namespace grievance::testing
