#include "server/domain/staff_accounts.hpp"

#include <algorithm>
#include <cctype>

#include "server/domain/codes.hpp"
#include "server/domain/totp.hpp"

namespace grievance::domain {
namespace {

// A refusal because the password checks are all taken: they end within about two hashes.
constexpr int kBusyRetryAfter = 2;

Error too_many_attempts(int retry_after) {
  return Error{
      ErrorCode::kRateLimited, "Too many failed attempts. Try again later.", {}, retry_after};
}

Error busy() {
  return Error{ErrorCode::kRateLimited,
               "Too many sign-ins at the moment. Try again in a few seconds.",
               {},
               kBusyRetryAfter};
}

std::string normalise_email(std::string_view input) {
  std::string email(input.substr(0, std::min<std::size_t>(input.size(), 254)));
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return email;
}

}  // namespace

std::optional<PasswordCheckQueue::Place> PasswordCheckQueue::try_enter() {
  int n = in_flight_.load();
  do {
    if (n >= capacity_) return std::nullopt;
  } while (!in_flight_.compare_exchange_weak(n, n + 1));
  return Place(*this);
}

StaffAccounts::StaffAccounts(AccountStore& accounts, DirectoryStore& directory, Crypto& crypto,
                             RandomSource& random, const Clock& clock, const ServiceConfig& config,
                             SignInThrottle& throttle, SessionService& sessions,
                             const PasswordHasher* hasher)
    : accounts_(accounts),
      directory_(directory),
      crypto_(crypto),
      random_(random),
      clock_(clock),
      config_(config),
      throttle_(throttle),
      sessions_(sessions),
      hasher_(hasher),
      checks_(std::max(1, config.max_password_checks)) {}

const std::string& StaffAccounts::dummy_password_hash() {
  // Unknown e-mails are checked against this, so a wrong e-mail costs as much as a wrong
  // password and timing does not reveal which accounts exist. Made on first need, not at
  // start: an scrypt hash takes 128 MiB for a moment, which a server nobody signs in to
  // should not carry in its peak resident memory.
  std::call_once(dummy_once_,
                 [this] { dummy_password_hash_ = hasher_->hash(generate_token(random_)); });
  return dummy_password_hash_;
}

bool StaffAccounts::password_matches(const User* user, std::string_view password) {
  // One scrypt verification whatever happens, so timing does not tell whether the account
  // exists.
  return hasher_->verify(password, user != nullptr ? user->password_hash : dummy_password_hash());
}

Result<bool> StaffAccounts::use_totp_code(const User& user, std::string_view code, TimePoint now) {
  if (user.totp_secret.empty()) return false;
  auto step = match_totp(crypto_, user.totp_secret, code, now);
  if (!step) return false;
  // RFC 6238 section 5.2: a code is accepted once, even within its time window.
  if (auto used = accounts_.record_totp_step(user.id, *step); !used) {
    if (used.error().code != ErrorCode::kConflict) return fail(used.error());
    return false;
  }
  return true;
}

Result<SignedIn> StaffAccounts::sign_in(std::string_view email_input, std::string_view password,
                                        std::string_view totp, std::string_view client_key) {
  if (hasher_ == nullptr) return fail(Error::unavailable("Staff sign-in is not configured."));
  const TimePoint now = clock_.now();
  const std::string email = normalise_email(email_input);
  auto attempt =
      throttle_.reserve({"user:" + email, std::string(client_key), SignInKind::kStaff}, now);
  if (attempt.retry_after() > 0) return fail(too_many_attempts(attempt.retry_after()));
  // Every failure answers this, whichever step failed (issue 8: a different answer for a
  // right password with a wrong code told a guesser the password).
  const Error wrong = Error::unauthorized("The e-mail address, password or code is not correct.");

  std::optional<User> found;
  bool ok = false;
  {
    // Decided before anything about the account is read, so a refusal tells nothing about it.
    auto place = checks_.try_enter();
    if (!place) return fail(busy());  // not evaluated, so not counted
    auto stored = accounts_.find_user_by_email(email);
    if (!stored) return fail(stored.error());
    found = *std::move(stored);
    ok = password_matches(found ? &*found : nullptr, password);
  }
  const User* user = found ? &*found : nullptr;
  ok = ok && user != nullptr && !user->disabled;
  if (ok && user->org_id) {
    auto directory = directory_.directory();
    if (!directory) return fail(directory.error());
    const Organisation* org = (*directory)->organisation(*user->org_id);
    ok = org != nullptr && !org->disabled;
  }
  if (ok && (!user->totp_secret.empty() ||
             (user->role == Role::kAdmin && config_.require_totp_for_admins))) {
    // Not enrolled where required: use_totp_code() answers false, like a wrong code.
    auto code_ok = use_totp_code(*user, totp, now);
    if (!code_ok) return fail(code_ok.error());
    ok = *code_ok;
  }
  if (!ok) {
    attempt.failed(now);
    return fail(wrong);
  }
  attempt.succeeded();

  Session principal;
  principal.role = user->role;
  principal.user_id = user->id;
  principal.org_id = user->org_id;
  return sessions_.open(std::move(principal), config_.staff_session_absolute);
}

Result<TotpEnrolment> StaffAccounts::enrol_totp(const Session& s, std::string_view password,
                                                std::string_view totp,
                                                std::string_view client_key) {
  if (!s.user_id) return fail(Error::forbidden("Only staff accounts have a second factor."));
  if (hasher_ == nullptr) return fail(Error::unavailable("Staff sign-in is not configured."));
  auto found = accounts_.find_user(*s.user_id);
  if (!found) return fail(found.error());
  if (!found->has_value()) return fail(Error::unauthorized("Sign in first."));
  User user = **found;
  const TimePoint now = clock_.now();
  auto attempt =
      throttle_.reserve({"user:" + user.email, std::string(client_key), SignInKind::kStaff}, now);
  if (attempt.retry_after() > 0) return fail(too_many_attempts(attempt.retry_after()));
  Error wrong{ErrorCode::kForbidden, "The password or code is not correct.", "password"};

  bool ok = false;
  {
    auto place = checks_.try_enter();
    if (!place) return fail(busy());
    ok = password_matches(&user, password);
  }
  if (ok && !user.totp_secret.empty()) {
    // Replacing a second factor needs a current code of it.
    auto code_ok = use_totp_code(user, totp, now);
    if (!code_ok) return fail(code_ok.error());
    ok = *code_ok;
  }
  if (!ok) {
    attempt.failed(now);
    return fail(std::move(wrong));
  }
  attempt.succeeded();

  std::string secret(20, '\0');  // 160 bits, RFC 4226 section 4 R6
  random_.fill(std::span(reinterpret_cast<std::uint8_t*>(secret.data()), secret.size()));
  user.totp_secret = secret;
  if (auto st = accounts_.update_user(user); !st) return fail(st.error());
  return TotpEnrolment{base32_encode(secret),
                       otpauth_uri("Grievance mechanism", user.email, secret)};
}

Result<StaffProfile> StaffAccounts::profile(const Session& s) {
  if (!s.user_id) return fail(Error::unauthorized("Sign in first."));
  StaffProfile out;
  out.role = s.role;
  auto user = accounts_.find_user(*s.user_id);
  if (!user) return fail(user.error());
  if (user->has_value()) out.email = (*user)->email;
  if (s.org_id) {
    auto directory = directory_.directory();
    if (!directory) return fail(directory.error());
    out.organisation_name = std::string((*directory)->organisation_name(*s.org_id));
  }
  return out;
}

}  // namespace grievance::domain
