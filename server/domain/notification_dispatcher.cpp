#include "server/domain/notification_dispatcher.hpp"

#include <algorithm>
#include <array>
#include <future>
#include <vector>

namespace grievance::domain {

std::string_view to_string(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kDead:
      return "dead";
  }
  return "pending";
}

std::optional<DeliveryState> parse_delivery_state(std::string_view s) {
  for (auto v : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kDead}) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

NotificationDispatcher::NotificationDispatcher(OutboxStore& outbox, CaseStore& cases,
                                               WebhookSender& sender, NotificationMailer* mailer,
                                               const Crypto& crypto, RandomSource& random,
                                               const Clock& clock, WebhookConfig config,
                                               std::string public_origin)
    : outbox_(outbox),
      cases_(cases),
      sender_(sender),
      mailer_(mailer),
      crypto_(crypto),
      random_(random),
      clock_(clock),
      config_(config),
      public_origin_(std::move(public_origin)) {}

std::string NotificationDispatcher::signature(const Crypto& crypto, std::string_view secret,
                                              std::string_view body) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned char b : crypto.hmac(Crypto::Hash::kSha256, secret, body)) {  // raw bytes
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<int> NotificationDispatcher::fan_out() {
  auto pending = outbox_.pending_events(config_.batch * 4);
  if (!pending) return fail(pending.error());
  int done = 0;
  for (const OutboxEntry& entry : *pending) {
    auto c = cases_.find_case(entry.case_id);
    if (!c) return fail(c.error());
    std::vector<Notification> per_org;
    if (*c) {
      auto events = cases_.case_events(entry.case_id);
      if (!events) return fail(events.error());
      auto e = std::ranges::find(*events, entry.event_id, &CaseEvent::id);
      if (e != events->end()) {
        for (std::int64_t org : notification_recipients(**c, *e)) {
          per_org.push_back(Notification{0, org, (*c)->reference, e->type, (*c)->status, e->at});
        }
      }
    }
    auto made = outbox_.fan_out(entry, per_org, clock_.now());
    if (!made) return fail(made.error());
    ++done;
  }
  if (mailer_ != nullptr) {
    auto unmailed = outbox_.unmailed(config_.batch * 4);
    if (!unmailed) return fail(unmailed.error());
    for (const Notification& n : *unmailed) {
      if (!mailer_->notify(n)) break;  // the mailer's error: try again next run
      if (auto s = outbox_.mark_mailed(n.id); !s) return fail(s.error());
    }
  }
  return done;
}

Result<NotificationDispatcher::Run> NotificationDispatcher::run_once() {
  Run run;
  auto fanned = fan_out();
  if (!fanned) return fail(fanned.error());
  run.fanned_out = *fanned;
  auto due = outbox_.claim_due(clock_.now(), config_.batch, config_.lease);
  if (!due) return fail(due.error());
  // Bounded concurrency: at most config_.concurrency posts in flight.
  const std::size_t width = static_cast<std::size_t>(std::max(1, config_.concurrency));
  for (std::size_t start = 0; start < due->size(); start += width) {
    const std::size_t end = std::min(due->size(), start + width);
    std::vector<std::future<Status>> posts;
    for (std::size_t i = start; i < end; ++i) {
      const WebhookDelivery& d = (*due)[i];
      posts.push_back(std::async(std::launch::async, [this, &d] {
        const std::string body = notification_payload(d.notification, public_origin_);
        return sender_.post(d.url, body, std::to_string(d.notification.id),
                            signature(crypto_, d.secret, body));
      }));
    }
    for (std::size_t i = start; i < end; ++i) {
      const WebhookDelivery& d = (*due)[i];
      const Status sent = posts[i - start].get();
      const int attempts = d.attempts + 1;
      Status written;
      if (sent) {
        written = outbox_.mark_delivered(d.id, attempts);
        ++run.delivered;
      } else if (attempts >= config_.max_attempts) {
        written = outbox_.mark_dead(d.id, attempts, sent.error().message);
        ++run.dead;
      } else {
        std::array<std::uint8_t, 4> bytes{};
        random_.fill(bytes);
        const std::uint32_t r = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
                                (std::uint32_t{bytes[2]} << 8) | bytes[3];
        const double unit = static_cast<double>(r) / 4294967296.0;
        const auto delay = retry_delay(attempts, config_.base_delay, config_.max_delay, unit);
        written =
            outbox_.schedule_retry(d.id, attempts, clock_.now() + delay, sent.error().message);
        ++run.retried;
      }
      if (!written) return fail(written.error());
    }
  }
  return run;
}

Status NotificationDispatcher::send_digests() {
  if (mailer_ == nullptr) return {};
  return mailer_->send_digests(clock_.now());
}

}  // namespace grievance::domain
