#include "server/domain/sign_in_throttle.hpp"

#include <algorithm>
#include <utility>

namespace grievance::domain {
namespace {

// An attempt refused only because others of the same client or account are still being
// evaluated: those end within about a password hash, so try again soon.
constexpr int kInFlightRetryAfter = 1;
// Above this many entries, entries that hold nothing (no failure in the window, no lock, no
// attempt in flight) are dropped, so a flood of distinct subjects cannot grow memory unbounded.
constexpr std::size_t kPruneAbove = 100000;

}  // namespace

// ---- Reservation -----------------------------------------------------------------------------

SignInThrottle::Reservation::Reservation(Reservation&& other) noexcept
    : throttle_(std::exchange(other.throttle_, nullptr)),
      attempt_(std::move(other.attempt_)),
      retry_after_(other.retry_after_) {}

SignInThrottle::Reservation::~Reservation() {
  if (throttle_ != nullptr) throttle_->give_back(attempt_);
}

int SignInThrottle::Reservation::failed(TimePoint now) {
  SignInThrottle* t = std::exchange(throttle_, nullptr);
  return t != nullptr ? t->settle_failure(attempt_, now) : 0;
}

void SignInThrottle::Reservation::succeeded() {
  if (SignInThrottle* t = std::exchange(throttle_, nullptr)) t->settle_success(attempt_);
}

// ---- SignInThrottle --------------------------------------------------------------------------

int SignInThrottle::seconds_until(TimePoint t, TimePoint now) {
  if (t <= now) return 0;
  return static_cast<int>(std::max<std::int64_t>(1, (t - now).count()));
}

void SignInThrottle::refresh(Counter& c, TimePoint now) const {
  if (now - c.window_start > config_.window) {
    c.failures = 0;
    c.window_start = now;
  }
}

void SignInThrottle::count(Counter& c, int cost, int limit, TimePoint now) {
  refresh(c, now);
  c.failures += cost;
  if (c.failures >= limit) {
    c.locked_until = now + config_.lockout;
    c.failures = 0;
    c.window_start = now;
  }
}

void SignInThrottle::prune(std::unordered_map<std::string, Counter>& map, TimePoint now) {
  if (map.size() < kPruneAbove) return;
  std::erase_if(map, [&](const auto& kv) {
    const Counter& c = kv.second;
    return c.pending == 0 && c.locked_until <= now && now - c.window_start > config_.window;
  });
}

SignInThrottle::Reservation SignInThrottle::reserve(Attempt a, TimePoint now) {
  std::lock_guard lock(mu_);
  prune(subjects_, now);
  prune(clients_, now);
  const auto refuse = [&](int seconds) { return Reservation(nullptr, std::move(a), seconds); };

  Counter& client = clients_[a.client];
  refresh(client, now);
  if (int wait = seconds_until(client.locked_until, now); wait > 0) return refuse(wait);
  int client_limit = config_.max_failures_per_client;
  const bool staff = a.kind == SignInKind::kStaff;
  if (staff && staff_overall_.locked_until > now) {
    // A flood: a client that has already failed its few times waits until the flood is over
    // or its own failures are forgotten, whichever comes first.
    client_limit = std::min(client_limit, config_.max_failures_per_client_in_flood);
    if (client.failures >= client_limit) {
      return refuse(std::min(seconds_until(staff_overall_.locked_until, now),
                             seconds_until(client.window_start + config_.window, now)));
    }
  }
  if (client.failures + client.pending >= client_limit) return refuse(kInFlightRetryAfter);
  if (staff) {
    Counter& subject = subjects_[a.subject];
    refresh(subject, now);
    if (int wait = seconds_until(subject.locked_until, now); wait > 0) return refuse(wait);
    if (subject.failures + subject.pending >= config_.max_failures_per_subject) {
      return refuse(kInFlightRetryAfter);
    }
    ++subject.pending;
  }
  ++client.pending;
  return Reservation(this, std::move(a), 0);
}

int SignInThrottle::settle_failure(const Attempt& a, TimePoint now) {
  std::lock_guard lock(mu_);
  Counter& client = clients_[a.client];
  client.pending = std::max(0, client.pending - 1);
  Counter& subject = subjects_[a.subject];
  if (a.kind == SignInKind::kComplainant) {
    refresh(subject, now);
    if (int wait = seconds_until(subject.locked_until, now); wait > 0) {
      count(client, config_.locked_subject_cost, config_.max_failures_per_client, now);
      return wait;
    }
    count(subject, 1, config_.max_failures_per_subject, now);
    count(client, 1, config_.max_failures_per_client, now);
    return 0;
  }
  subject.pending = std::max(0, subject.pending - 1);
  count(subject, 1, config_.max_failures_per_subject, now);
  count(client, 1, config_.max_failures_per_client, now);
  count(staff_overall_, 1, config_.max_staff_failures_overall, now);
  return 0;
}

void SignInThrottle::clear_subject(const std::string& subject) {
  std::lock_guard lock(mu_);
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return;
  if (it->second.pending == 0) {
    subjects_.erase(it);
  } else {
    it->second.failures = 0;
    it->second.locked_until = TimePoint{};
  }
}

void SignInThrottle::settle_success(const Attempt& a) {
  std::lock_guard lock(mu_);
  Counter& client = clients_[a.client];
  client.pending = std::max(0, client.pending - 1);
  // A success clears the subject's count and lock (not the client's).
  auto it = subjects_.find(a.subject);
  if (it == subjects_.end()) return;
  Counter& subject = it->second;
  if (a.kind == SignInKind::kStaff) subject.pending = std::max(0, subject.pending - 1);
  if (subject.pending == 0) {
    subjects_.erase(it);
  } else {
    subject.failures = 0;
    subject.locked_until = {};
  }
}

void SignInThrottle::give_back(const Attempt& a) {
  std::lock_guard lock(mu_);
  if (auto it = clients_.find(a.client); it != clients_.end()) {
    it->second.pending = std::max(0, it->second.pending - 1);
  }
  if (a.kind != SignInKind::kStaff) return;
  if (auto it = subjects_.find(a.subject); it != subjects_.end()) {
    it->second.pending = std::max(0, it->second.pending - 1);
  }
}

bool SignInThrottle::flooded(TimePoint now) {
  std::lock_guard lock(mu_);
  return staff_overall_.locked_until > now;
}

}  // namespace grievance::domain
