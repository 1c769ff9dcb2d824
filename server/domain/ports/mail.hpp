// Notifications by e-mail to the staff of an organisation who opted in (docs/domain.md
// "Notifications"). The outbox's dispatcher calls it; the e-mail side composes the message in
// each recipient's language and hands it to a sendmail-compatible command.
#pragma once

#include "server/domain/notification.hpp"
#include "server/domain/result.hpp"

namespace grievance::domain {

class NotificationMailer {
 public:
  virtual ~NotificationMailer() = default;
  // Mails `n` to the staff of n.org_id who asked for every notification, and keeps it for
  // those who asked for a daily digest. An error leaves it for the dispatcher to try again.
  virtual Status notify(const Notification& n) = 0;
  // Sends the digests that are due at `now` (each at most once a day per recipient).
  virtual Status send_digests(TimePoint now) = 0;
};

}  // namespace grievance::domain
