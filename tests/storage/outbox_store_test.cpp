// The notifications outbox in SQLite (docs/domain.md "Notifications"): the outbox row is
// written in the event's transaction (a failed write leaves neither), fan-out is idempotent,
// deliveries are claimed with a lease (a crash in flight is retried), retried, made dead and
// re-tried; the webhook secret is sealed at rest.
#include <gtest/gtest.h>

#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

using domain::DeliveryState;
using domain::Notification;

class OutboxStoreTest : public StoreTest {
 protected:
  std::int64_t new_case(SqliteStores& store) {
    auto id = store.cases().create_case(sample_case(next_reference("OB")), {filed_event()});
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }
  std::string count(const std::string& table) {
    RawDb raw(db_path());
    return raw.scalar("SELECT count(*) FROM " + table);
  }
};

TEST_F(OutboxStoreTest, EveryEventWritesOneOutboxRowInItsTransaction) {
  auto store = open();
  const auto case_id = new_case(*store);
  auto msg = filed_event();
  msg.type = domain::EventType::kMessage;
  msg.body = std::string(kMessageMarker);
  ASSERT_TRUE(store->cases().append_event(case_id, msg, std::nullopt).has_value());
  auto pending = store->outbox().pending_events(10);
  ASSERT_TRUE(pending.has_value());
  ASSERT_EQ(pending->size(), 2u);
  auto events = store->cases().case_events(case_id);
  ASSERT_TRUE(events.has_value());
  EXPECT_EQ((*pending)[0].event_id, (*events)[0].id);
  EXPECT_EQ((*pending)[1].event_id, (*events)[1].id);
  EXPECT_EQ((*pending)[1].case_id, case_id);
}

TEST_F(OutboxStoreTest, AFailedEventWriteLeavesNoOutboxRow) {
  auto store = open();
  const auto case_id = new_case(*store);
  ASSERT_EQ(count("outbox"), "1");
  auto c = store->cases().find_case(case_id);
  ASSERT_TRUE(c.has_value() && c->has_value());
  domain::Case changed = **c;
  // The case row's update fails after the event was inserted (no such organisation): the whole
  // transaction rolls back, the outbox row with it.
  changed.disclosure_requested_by = 987654;
  auto msg = filed_event();
  msg.type = domain::EventType::kDisclosureRequested;
  auto s = store->cases().update_case(changed, {msg}, changed.event_count);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(count("case_events"), "1");
  EXPECT_EQ(count("outbox"), "1");
}

TEST_F(OutboxStoreTest, FanOutClaimRetryDeadAndRetry) {
  auto store = open();
  auto& outbox = store->outbox();
  new_case(*store);
  auto hook = outbox.add_webhook(7, "https://hooks.example.org/x", "SECRET-MARKER-5e1d", at(100));
  ASSERT_TRUE(hook.has_value());
  ASSERT_TRUE(outbox.add_webhook(8, "https://other.example.org/", "s2", at(100)).has_value());
  // The secret is sealed at rest.
  {
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM webhooks WHERE instr(secret, 'SECRET-MARKER') > 0"),
              "0");
  }
  auto pending = outbox.pending_events(10);
  ASSERT_TRUE(pending.has_value() && pending->size() == 1u);
  const Notification n{0,     7, "GRV-X", domain::EventType::kRouted, domain::CaseStatus::kReceived,
                       at(50)};
  auto made = outbox.fan_out((*pending)[0], {n}, at(200));
  ASSERT_TRUE(made.has_value());
  ASSERT_EQ(made->size(), 1u);
  EXPECT_GT((*made)[0].id, 0);
  // Idempotent: a second fan-out of the same row makes nothing.
  auto again = outbox.fan_out((*pending)[0], {n}, at(200));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->empty());
  EXPECT_TRUE(outbox.pending_events(10)->empty());
  EXPECT_EQ(count("webhook_deliveries"), "1");  // only org 7's webhook

  // Not due before its time; claimed with its secret; the lease hides it until it runs out.
  EXPECT_TRUE(outbox.claim_due(at(199), 10, std::chrono::seconds(60))->empty());
  auto due = outbox.claim_due(at(200), 10, std::chrono::seconds(60));
  ASSERT_TRUE(due.has_value());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].secret, "SECRET-MARKER-5e1d");
  EXPECT_EQ((*due)[0].notification.id, (*made)[0].id);
  EXPECT_EQ((*due)[0].url, "https://hooks.example.org/x");
  EXPECT_TRUE(outbox.claim_due(at(259), 10, std::chrono::seconds(60))->empty());
  // A crash in flight: after the lease the delivery is due again (at-least-once).
  auto after_crash = outbox.claim_due(at(260), 10, std::chrono::seconds(60));
  ASSERT_EQ(after_crash->size(), 1u);
  const auto id = (*after_crash)[0].id;

  ASSERT_TRUE(outbox.schedule_retry(id, 1, at(400), "http 500"));
  EXPECT_TRUE(outbox.claim_due(at(399), 10, std::chrono::seconds(60))->empty());
  ASSERT_EQ(outbox.claim_due(at(400), 10, std::chrono::seconds(60))->size(), 1u);
  ASSERT_TRUE(outbox.mark_dead(id, 2, "http 500"));
  EXPECT_TRUE(outbox.claim_due(at(10'000), 10, std::chrono::seconds(60))->empty());
  auto dead = outbox.list_deliveries(DeliveryState::kDead, 10);
  ASSERT_TRUE(dead.has_value());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].attempts, 2);
  EXPECT_EQ((*dead)[0].last_error, "http 500");
  EXPECT_TRUE((*dead)[0].secret.empty());  // never listed

  // Re-tried by the admin: pending, due now, attempts from zero.
  ASSERT_TRUE(outbox.retry_delivery(id, at(20'000)));
  EXPECT_EQ(outbox.retry_delivery(id, at(20'000)).error().code, domain::ErrorCode::kNotFound);
  auto retried = outbox.claim_due(at(20'000), 10, std::chrono::seconds(60));
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ((*retried)[0].attempts, 0);
  ASSERT_TRUE(outbox.mark_delivered(id, 1));
  EXPECT_EQ(outbox.list_deliveries(DeliveryState::kDelivered, 10)->size(), 1u);
  EXPECT_TRUE(outbox.list_deliveries(DeliveryState::kDead, 10)->empty());

  // The mailer's queue: each notification once.
  auto unmailed = outbox.unmailed(10);
  ASSERT_EQ(unmailed->size(), 1u);
  ASSERT_TRUE(outbox.mark_mailed((*unmailed)[0].id));
  EXPECT_TRUE(outbox.unmailed(10)->empty());
}

TEST_F(OutboxStoreTest, WebhooksAreListedWithoutSecretAndDeleted) {
  auto store = open();
  auto& outbox = store->outbox();
  auto a = outbox.add_webhook(7, "https://a.example.org/", "s", at(1));
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(outbox.list_webhooks(7)->size(), 1u);
  EXPECT_TRUE(outbox.list_webhooks(8)->empty());
  EXPECT_EQ(outbox.delete_webhook(8, a->id).error().code, domain::ErrorCode::kNotFound);
  ASSERT_TRUE(outbox.delete_webhook(7, a->id));
  EXPECT_TRUE(outbox.list_webhooks(7)->empty());
}

}  // namespace
}  // namespace grievance::storage::testing
