// What the e-mail side of notifications needs from outside the domain (docs/domain.md
// "Notification e-mail"): the staff's opt-in and the digest queue (storage/sqlite/mail_store.cpp,
// migration 0012), the composition of a message in the reader's language (server/http/mail/),
// and a sendmail-compatible transport (server/net/sendmail.cpp). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/notification.hpp"
#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// Whether a staff member is told by e-mail: never (the default), at every notification, or
// once a day in a digest.
enum class MailMode { kOff, kEach, kDigest };
std::string_view to_string(MailMode v);  // "off", "each", "digest"
std::optional<MailMode> parse_mail_mode(std::string_view s);

struct MailPreference {
  MailMode mode = MailMode::kOff;
  // The language of the e-mails; nullopt until the staff member chose one (then English is
  // used, and the settings page proposes the language the pages are shown in).
  std::optional<Language> language;
};

// A staff member who asked for e-mails.
struct MailRecipient {
  std::int64_t user_id = 0;
  std::string email;
  MailMode mode = MailMode::kEach;
  Language language = Language::kEn;
};

// A recipient's digest that has notifications waiting.
struct PendingDigest {
  MailRecipient recipient;
  std::optional<TimePoint> last_sent;  // when the previous digest left; nullopt: never
  std::vector<Notification> items;     // in the order they were queued
  std::int64_t last_queue_id = 0;      // the newest queued row among items
};

class MailStore {
 public:
  virtual ~MailStore() = default;
  // The default preference (off, no language) for a user who never chose. kNotFound for no
  // such user.
  virtual Result<MailPreference> mail_preference(std::int64_t user_id) = 0;
  // A mode other than digest also drops the digest notifications still waiting. kNotFound.
  virtual Status set_mail_preference(std::int64_t user_id, const MailPreference& p) = 0;
  // The staff of `org_id` whose account is enabled and whose mode is not off, by e-mail.
  virtual Result<std::vector<MailRecipient>> mail_recipients(std::int64_t org_id) = 0;
  // Keeps `n` for the user's next digest; keeping the same n.id twice keeps it once.
  virtual Status queue_digest(std::int64_t user_id, const Notification& n) = 0;
  // Every enabled digest recipient with notifications waiting, only those of the
  // organisation the user belongs to now.
  virtual Result<std::vector<PendingDigest>> pending_digests() = 0;
  // The digest left: drops the user's waiting notifications up to `last_queue_id` and
  // remembers `at` as the time of the last digest.
  virtual Status digest_sent(std::int64_t user_id, std::int64_t last_queue_id, TimePoint at) = 0;
};

// Writes a whole message (RFC 5322 headers and body) for one recipient. Implementations own
// the wording; they must never put a CR or LF from data into a header. kInvalid for an
// address that cannot stand in a header.
class MailComposer {
 public:
  virtual ~MailComposer() = default;
  virtual Result<std::string> compose_notice(const MailRecipient& to, const Notification& n) = 0;
  virtual Result<std::string> compose_digest(const MailRecipient& to,
                                             const std::vector<Notification>& ns,
                                             TimePoint now) = 0;
};

// Hands a composed message to the mail system (recipients from its To header).
// kUnavailable when it could not be handed over; the caller tries again later.
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual Status send(std::string_view message) = 0;
};

}  // namespace grievance::domain
