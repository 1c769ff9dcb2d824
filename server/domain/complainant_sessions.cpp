#include "server/domain/complainant_sessions.hpp"

#include <algorithm>

#include "server/domain/codes.hpp"

namespace grievance::domain {
namespace {

Error too_many_attempts(int retry_after) {
  return Error{
      ErrorCode::kRateLimited, "Too many failed attempts. Try again later.", {}, retry_after};
}

}  // namespace

std::string access_code_mac(const Crypto& crypto, std::string_view reference,
                            std::string_view code) {
  std::string data = "access-code-v1\n";
  data.append(reference);
  data.push_back('\n');
  data.append(code);
  return crypto.hmac_hex(data);
}

ComplainantSessions::ComplainantSessions(CaseStore& cases, Crypto& crypto, const Clock& clock,
                                         const ServiceConfig& config, SignInThrottle& throttle,
                                         SessionService& sessions)
    : cases_(cases),
      crypto_(crypto),
      clock_(clock),
      config_(config),
      throttle_(throttle),
      sessions_(sessions) {}

Result<SignedIn> ComplainantSessions::sign_in(std::string_view reference_input,
                                              std::string_view code_input,
                                              std::string_view client_key) {
  const TimePoint now = clock_.now();
  auto reference = normalise_reference(reference_input);
  std::string subject = "case:" + reference.value_or(std::string(reference_input.substr(
                                      0, std::min<std::size_t>(reference_input.size(), 32))));
  // Counted against the client before the code is checked, so parallel guesses cannot pass
  // the client's limit. The reference's own limit applies to wrong codes only (issue 8: a
  // locked reference refused its complainant's right code, so anyone who knew a reference
  // could keep its complainant out).
  auto attempt = throttle_.reserve(
      {std::move(subject), std::string(client_key), SignInKind::kComplainant}, now);
  if (attempt.retry_after() > 0) return fail(too_many_attempts(attempt.retry_after()));
  const Error wrong = Error::unauthorized("The reference or access code is not correct.");
  auto code = normalise_access_code(code_input);
  std::optional<Case> found;
  if (reference && code) {
    auto c = cases_.find_case_by_reference(*reference);
    if (!c) return fail(c.error());
    found = *std::move(c);
  }
  // Compute the MAC even for an unknown reference so timing does not tell which was wrong.
  const std::string mac = access_code_mac(crypto_, reference.value_or(""), code.value_or(""));
  if (!found || !constant_time_equal(mac, found->access_code_hmac)) {
    if (int wait = attempt.failed(now); wait > 0) return fail(too_many_attempts(wait));
    return fail(wrong);
  }
  attempt.succeeded();

  Session principal;
  principal.role = Role::kComplainant;
  principal.case_id = found->id;
  return sessions_.open(std::move(principal), config_.complainant_session_ttl);
}

}  // namespace grievance::domain
