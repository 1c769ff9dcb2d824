#include "server/domain/sign_in_throttle.hpp"

#include <algorithm>

namespace grievance::domain {

int SignInThrottle::retry_after_locked(const Counter* c, TimePoint now) const {
  if (c == nullptr || c->locked_until <= now) return 0;
  return static_cast<int>((c->locked_until - now).count());
}

int SignInThrottle::retry_after(std::string_view subject, std::string_view client, TimePoint now) {
  std::lock_guard lock(mu_);
  auto s = subjects_.find(std::string(subject));
  auto c = clients_.find(std::string(client));
  return std::max(retry_after_locked(s == subjects_.end() ? nullptr : &s->second, now),
                  retry_after_locked(c == clients_.end() ? nullptr : &c->second, now));
}

void SignInThrottle::bump(Counter& c, int limit, TimePoint now) {
  if (now - c.window_start > config_.window) {
    c.failures = 0;
    c.window_start = now;
  }
  if (++c.failures >= limit) {
    c.locked_until = now + config_.lockout;
    c.failures = 0;
    c.window_start = now;
  }
}

void SignInThrottle::record_failure(std::string_view subject, std::string_view client,
                                    TimePoint now) {
  std::lock_guard lock(mu_);
  // Bound memory under a flood of distinct subjects: forget entries that are neither
  // locked nor inside their window.
  auto prune = [&](auto& map) {
    if (map.size() < 100000) return;
    std::erase_if(map, [&](const auto& kv) {
      return kv.second.locked_until <= now && now - kv.second.window_start > config_.window;
    });
  };
  prune(subjects_);
  prune(clients_);
  bump(subjects_[std::string(subject)], config_.max_failures_per_subject, now);
  bump(clients_[std::string(client)], config_.max_failures_per_client, now);
}

void SignInThrottle::record_success(std::string_view subject) {
  std::lock_guard lock(mu_);
  subjects_.erase(std::string(subject));
}

}  // namespace grievance::domain
