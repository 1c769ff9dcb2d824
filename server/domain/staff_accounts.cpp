#include "server/domain/staff_accounts.hpp"

#include <algorithm>
#include <cctype>

#include "server/domain/codes.hpp"
#include "server/domain/totp.hpp"

namespace grievance::domain {

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
      hasher_(hasher) {}

const std::string& StaffAccounts::dummy_password_hash() {
  // Unknown e-mails are checked against this, so a wrong e-mail costs as much as a wrong
  // password and timing does not reveal which accounts exist. Made on first need, not at
  // start: an scrypt hash takes 128 MiB for a moment, which a server nobody signs in to
  // should not carry in its peak resident memory.
  std::call_once(dummy_once_,
                 [this] { dummy_password_hash_ = hasher_->hash(generate_token(random_)); });
  return dummy_password_hash_;
}

Result<SignedIn> StaffAccounts::sign_in(std::string_view email_input, std::string_view password,
                                        std::string_view totp, std::string_view client_key) {
  if (hasher_ == nullptr) return fail(Error::unavailable("Staff sign-in is not configured."));
  const TimePoint now = clock_.now();
  std::string email(email_input.substr(0, std::min<std::size_t>(email_input.size(), 254)));
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string subject = "user:" + email;
  if (int wait = throttle_.retry_after(subject, client_key, now); wait > 0) {
    return fail(
        Error{ErrorCode::kRateLimited, "Too many failed attempts. Try again later.", {}, wait});
  }
  const Error wrong = Error::unauthorized("The e-mail address or password is not correct.");
  auto found = accounts_.find_user_by_email(email);
  if (!found) return fail(found.error());
  // One scrypt verification whatever happens, so timing does not tell whether the account
  // exists (the hasher allows at most two at once process-wide).
  const bool password_ok = hasher_->verify(
      password, found->has_value() ? (*found)->password_hash : dummy_password_hash());
  if (!found->has_value() || !password_ok || (*found)->disabled) {
    throttle_.record_failure(subject, client_key, now);
    return fail(wrong);
  }
  const User& user = **found;
  if (user.org_id) {
    auto directory = directory_.directory();
    if (!directory) return fail(directory.error());
    const Organisation* org = (*directory)->organisation(*user.org_id);
    if (org == nullptr || org->disabled) {
      throttle_.record_failure(subject, client_key, now);
      return fail(wrong);
    }
  }
  const bool needs_totp =
      !user.totp_secret.empty() || (user.role == Role::kAdmin && config_.require_totp_for_admins);
  if (needs_totp) {
    if (user.totp_secret.empty()) {
      return fail(Error::unauthorized(
          "This account needs a second factor that is not set up. Ask another administrator."));
    }
    Error need_code = Error::unauthorized("Enter the code from your authenticator app.");
    need_code.field = "totp";
    auto step = match_totp(crypto_, user.totp_secret, totp, now);
    if (!step) {
      // A missing code is not a failed guess; a wrong one is.
      if (!totp.empty()) throttle_.record_failure(subject, client_key, now);
      return fail(need_code);
    }
    // RFC 6238 section 5.2: a code is accepted once, even within its time window.
    if (auto used = accounts_.record_totp_step(user.id, *step); !used) {
      if (used.error().code != ErrorCode::kConflict) return fail(used.error());
      throttle_.record_failure(subject, client_key, now);
      return fail(need_code);
    }
  }
  throttle_.record_success(subject);

  Session principal;
  principal.role = user.role;
  principal.user_id = user.id;
  principal.org_id = user.org_id;
  return sessions_.open(std::move(principal), config_.staff_session_absolute);
}

Result<TotpEnrolment> StaffAccounts::enrol_totp(const Session& s) {
  if (!s.user_id) return fail(Error::forbidden("Only staff accounts have a second factor."));
  auto found = accounts_.find_user(*s.user_id);
  if (!found) return fail(found.error());
  if (!found->has_value()) return fail(Error::unauthorized("Sign in first."));
  User user = **found;
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
