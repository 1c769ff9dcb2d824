#include "server/domain/sessions.hpp"

#include <algorithm>

#include "server/domain/codes.hpp"

namespace grievance::domain {
namespace {

bool looks_like_token(std::string_view token) {
  return token.size() == 43 && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

// Idle entries are swept once the map grows past this (expired sessions are never used again).
constexpr std::size_t kActivitySweepAbove = 100000;

}  // namespace

SessionService::SessionService(AccountStore& accounts, Crypto& crypto, RandomSource& random,
                               const Clock& clock, const ServiceConfig& config)
    : accounts_(accounts), crypto_(crypto), random_(random), clock_(clock), config_(config) {}

Result<SignedIn> SessionService::open(Session principal, std::chrono::seconds lifetime) {
  const TimePoint now = clock_.now();
  SignedIn out;
  out.token = generate_token(random_);
  out.session = std::move(principal);
  out.session.token_hash = crypto_.sha256_hex(out.token);
  out.session.csrf_token = generate_token(random_);
  out.session.created_at = now;
  out.session.expires_at = now + lifetime;
  if (auto s = accounts_.create_session(out.session); !s) return fail(s.error());
  return out;
}

Result<Session> SessionService::authenticate(std::string_view token) {
  const Error bad = Error::unauthorized("Sign in first.");
  if (!looks_like_token(token)) return fail(bad);
  const std::string hash = crypto_.sha256_hex(token);
  auto session = accounts_.find_session(hash);
  if (!session) return fail(session.error());
  if (!session->has_value()) return fail(bad);
  const TimePoint now = clock_.now();
  const Error expired = Error::unauthorized("The session has expired. Sign in again.");
  // An expired session is refused; the store sweeps it at the next sign-in, so reading a
  // case never writes.
  if ((*session)->expires_at <= now) return fail(expired);
  if ((*session)->role != Role::kComplainant) {
    // Idle expiry for staff, tracked in memory (a restart counts from the sign-in).
    std::lock_guard lock(activity_mu_);
    auto it = activity_.find(hash);
    const TimePoint last = it != activity_.end() ? it->second : (*session)->created_at;
    if (now - last >= config_.staff_session_idle) {
      if (it != activity_.end()) activity_.erase(it);
      return fail(expired);
    }
    if (activity_.size() > kActivitySweepAbove) {
      std::erase_if(activity_,
                    [&](const auto& kv) { return now - kv.second >= config_.staff_session_idle; });
    }
    activity_[hash] = now;
  }
  return **session;
}

void SessionService::forget_activity(const std::string& token_hash) {
  std::lock_guard lock(activity_mu_);
  activity_.erase(token_hash);
}

Status SessionService::sign_out(std::string_view token) {
  if (!looks_like_token(token)) return {};
  const std::string hash = crypto_.sha256_hex(token);
  forget_activity(hash);
  return accounts_.delete_session(hash);
}

}  // namespace grievance::domain
