// Notification e-mail (docs/domain.md "Notification e-mail"): each staff member's opt-in
// (MailSettings) and the NotificationMailer the outbox's dispatcher calls (MailNotifier).
// Thread-safe.
#pragma once

#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/mail.hpp"
#include "server/domain/ports/mail_store.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// A staff member's own e-mail settings. Every staff role may choose; complainants have none.
class MailSettings {
 public:
  explicit MailSettings(MailStore& mail) : mail_(mail) {}
  // kUnauthorized for a session that is not a staff user's.
  Result<MailPreference> get(const Session& s);
  // kUnauthorized as for get.
  Status set(const Session& s, const MailPreference& p);

 private:
  MailStore& mail_;
};

// Mails each notification to the staff of its organisation who asked for every one, keeps it
// for those who asked for a daily digest, and sends the digests at most once a day each.
class MailNotifier final : public NotificationMailer {
 public:
  MailNotifier(MailStore& store, MailComposer& composer, MailTransport& transport)
      : store_(store), composer_(composer), transport_(transport) {}

  // Tries every recipient even after one failed; answers the first error.
  Status notify(const Notification& n) override;
  Status send_digests(TimePoint now) override;

 private:
  MailStore& store_;
  MailComposer& composer_;
  MailTransport& transport_;
};

}  // namespace grievance::domain
