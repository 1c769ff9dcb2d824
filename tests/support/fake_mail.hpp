// In-memory MailStore and a MailTransport that keeps what it was given (notification e-mail,
// docs/domain.md "Notification e-mail"), for the unit and page tests.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/domain/ports/mail_store.hpp"

namespace grievance::testing {

class FakeMailStore : public domain::MailStore {
 public:
  struct Staff {
    std::string email;
    std::int64_t org_id = 0;
    bool disabled = false;
  };
  // Tests add the staff the store knows, or give it the account store's users to read.
  void add_user(std::int64_t id, Staff s) { users_[id] = std::move(s); }
  void read_users_from(std::function<std::optional<Staff>(std::int64_t)> find) {
    find_ = std::move(find);
  }

  domain::Result<domain::MailPreference> mail_preference(std::int64_t user_id) override {
    std::lock_guard lock(mu_);
    if (!staff(user_id)) return domain::fail(domain::Error::not_found());
    auto it = prefs_.find(user_id);
    return it == prefs_.end() ? domain::MailPreference{} : it->second;
  }
  domain::Status set_mail_preference(std::int64_t user_id,
                                     const domain::MailPreference& p) override {
    std::lock_guard lock(mu_);
    if (!staff(user_id)) return domain::fail(domain::Error::not_found());
    prefs_[user_id] = p;
    if (p.mode != domain::MailMode::kDigest)
      std::erase_if(queue_, [&](const auto& q) { return q.user == user_id; });
    return {};
  }
  domain::Result<std::vector<domain::MailRecipient>> mail_recipients(std::int64_t org_id) override {
    std::lock_guard lock(mu_);
    std::vector<domain::MailRecipient> out;
    for (const auto& [id, p] : prefs_) {
      const Staff u = *staff(id);
      if (u.org_id != org_id || u.disabled || p.mode == domain::MailMode::kOff) continue;
      out.push_back({id, u.email, p.mode, p.language.value_or(domain::Language::kEn)});
    }
    return out;
  }
  domain::Status queue_digest(std::int64_t user_id, const domain::Notification& n) override {
    std::lock_guard lock(mu_);
    for (const auto& q : queue_) {
      if (q.user == user_id && q.n.id == n.id) return {};
    }
    queue_.push_back({++next_, user_id, n});
    return {};
  }
  domain::Result<std::vector<domain::PendingDigest>> pending_digests() override {
    std::lock_guard lock(mu_);
    std::map<std::int64_t, domain::PendingDigest> by_user;
    for (const auto& q : queue_) {
      const Staff u = *staff(q.user);
      const auto& p = prefs_.at(q.user);
      if (p.mode != domain::MailMode::kDigest || u.disabled || u.org_id != q.n.org_id) continue;
      auto& d = by_user[q.user];
      d.recipient = {q.user, u.email, p.mode, p.language.value_or(domain::Language::kEn)};
      if (auto it = last_.find(q.user); it != last_.end()) d.last_sent = it->second;
      d.items.push_back(q.n);
      d.last_queue_id = q.id;
    }
    std::vector<domain::PendingDigest> out;
    for (auto& [id, d] : by_user) out.push_back(std::move(d));
    return out;
  }
  domain::Status digest_sent(std::int64_t user_id, std::int64_t last_queue_id,
                             domain::TimePoint at) override {
    std::lock_guard lock(mu_);
    std::erase_if(queue_,
                  [&](const auto& q) { return q.user == user_id && q.id <= last_queue_id; });
    last_[user_id] = at;
    return {};
  }

 private:
  std::optional<Staff> staff(std::int64_t id) const {
    if (auto it = users_.find(id); it != users_.end()) return it->second;
    return find_ ? find_(id) : std::nullopt;
  }
  struct Queued {
    std::int64_t id;
    std::int64_t user;
    domain::Notification n;
  };
  std::mutex mu_;
  std::map<std::int64_t, Staff> users_;
  std::function<std::optional<Staff>(std::int64_t)> find_;
  std::map<std::int64_t, domain::MailPreference> prefs_;
  std::map<std::int64_t, domain::TimePoint> last_;
  std::vector<Queued> queue_;
  std::int64_t next_ = 0;
};

// Keeps every message; fails while `fail` is set.
class RecordingTransport : public domain::MailTransport {
 public:
  domain::Status send(std::string_view message) override {
    if (fail) return domain::fail(domain::Error::unavailable());
    sent.emplace_back(message);
    return {};
  }
  bool fail = false;
  std::vector<std::string> sent;
};

// A composer that writes "to|reference,reference,..." so tests read who got what.
class ListingComposer : public domain::MailComposer {
 public:
  domain::Result<std::string> compose_notice(const domain::MailRecipient& to,
                                             const domain::Notification& n) override {
    return to.email + "|" + n.reference;
  }
  domain::Result<std::string> compose_digest(const domain::MailRecipient& to,
                                             const std::vector<domain::Notification>& ns,
                                             domain::TimePoint) override {
    std::string out = to.email + "|digest:";
    for (const auto& n : ns) out += n.reference + ",";
    return out;
  }
};

}  // namespace grievance::testing
