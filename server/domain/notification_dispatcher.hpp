// The outbox's hand (docs/domain.md "Notifications"): fans the new outbox rows out to the
// organisations concerned, hands each notification to the mailer, delivers the due webhook
// deliveries (concurrently, bounded), and retries with back-off until the last try makes a
// delivery dead. The app runs it every few seconds on its own thread, like the deadline
// scheduler; a restart simply carries on (the rows are the state).
#pragma once

#include <chrono>
#include <string>

#include "server/domain/notifications.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/mail.hpp"
#include "server/domain/ports/outbox_store.hpp"

namespace grievance::domain {

struct WebhookConfig {
  int max_attempts = 8;
  std::chrono::seconds base_delay{30};
  std::chrono::seconds max_delay{6 * 3600};
  std::chrono::seconds lease{60};  // longer than one delivery's timeout
  int concurrency = 4;
  int batch = 32;
};

class NotificationDispatcher {
 public:
  // `mailer` may be null: no e-mail configured.
  NotificationDispatcher(OutboxStore& outbox, CaseStore& cases, WebhookSender& sender,
                         NotificationMailer* mailer, const Crypto& crypto, RandomSource& random,
                         const Clock& clock, WebhookConfig config, std::string public_origin);

  struct Run {
    int fanned_out = 0;  // outbox rows
    int delivered = 0;
    int retried = 0;
    int dead = 0;
  };
  Result<Run> run_once();
  // The mailer's due digests (the app calls it every few minutes).
  Status send_digests();

  // X-Signature's value: "sha256=" + hex HMAC-SHA256 of the body under the secret as shown.
  static std::string signature(const Crypto& crypto, std::string_view secret,
                               std::string_view body);

 private:
  Result<int> fan_out();
  OutboxStore& outbox_;
  CaseStore& cases_;
  WebhookSender& sender_;
  NotificationMailer* mailer_;
  const Crypto& crypto_;
  RandomSource& random_;
  const Clock& clock_;
  WebhookConfig config_;
  std::string public_origin_;
};

}  // namespace grievance::domain
