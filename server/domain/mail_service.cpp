#include "server/domain/mail_service.hpp"

#include <array>
#include <chrono>

namespace grievance::domain {
namespace {

constexpr std::array<std::string_view, 3> kModeNames{"off", "each", "digest"};
// A digest leaves at most once in this long per recipient.
constexpr auto kDigestInterval = std::chrono::hours(24);

Result<std::int64_t> staff_user(const Session& s) {
  if (!s.user_id || s.role == Role::kComplainant) {
    return fail(Error::unauthorized("Sign in first."));
  }
  return *s.user_id;
}

}  // namespace

std::string_view to_string(MailMode v) { return kModeNames[static_cast<std::size_t>(v)]; }

std::optional<MailMode> parse_mail_mode(std::string_view s) {
  for (std::size_t i = 0; i < kModeNames.size(); ++i) {
    if (kModeNames[i] == s) return static_cast<MailMode>(i);
  }
  return std::nullopt;
}

Result<MailPreference> MailSettings::get(const Session& s) {
  auto user = staff_user(s);
  if (!user) return fail(user.error());
  return mail_.mail_preference(*user);
}

Status MailSettings::set(const Session& s, const MailPreference& p) {
  auto user = staff_user(s);
  if (!user) return fail(user.error());
  return mail_.set_mail_preference(*user, p);
}

Status MailNotifier::notify(const Notification& n) {
  auto recipients = store_.mail_recipients(n.org_id);
  if (!recipients) return fail(recipients.error());
  Status first;
  for (const MailRecipient& r : *recipients) {
    Status s;
    if (r.mode == MailMode::kEach) {
      auto message = composer_.compose_notice(r, n);
      s = message ? transport_.send(*message) : Status(fail(message.error()));
    } else if (r.mode == MailMode::kDigest) {
      s = store_.queue_digest(r.user_id, n);
    }
    if (!s && first) first = s;
  }
  return first;
}

Status MailNotifier::send_digests(TimePoint now) {
  auto pending = store_.pending_digests();
  if (!pending) return fail(pending.error());
  Status first;
  for (const PendingDigest& d : *pending) {
    if (d.items.empty()) continue;
    if (d.last_sent && now - *d.last_sent < kDigestInterval) continue;
    auto message = composer_.compose_digest(d.recipient, d.items, now);
    Status s = message ? transport_.send(*message) : Status(fail(message.error()));
    if (s) s = store_.digest_sent(d.recipient.user_id, d.last_queue_id, now);
    if (!s && first) first = s;
  }
  return first;
}

}  // namespace grievance::domain
