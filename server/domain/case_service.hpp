// The complainant-facing use cases: file, sign in with reference + access code, read the own
// case, write messages. Thread-safe: one instance serves every request thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/ports.hpp"
#include "server/domain/sign_in_throttle.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {

struct ServiceConfig {
  // SPEC section 3 "Deadlines": EU Whistleblower Directive 7 days / 3 months.
  int ack_days = 7;
  int response_days = 30;
  int resolution_days = 90;
  std::chrono::minutes complainant_session_ttl{30};
  // Staff sessions end after this long without a request, and in any case after the absolute
  // lifetime (OWASP Session Management: idle 15-30 min, absolute 4-8 h for sensitive data).
  std::chrono::minutes staff_session_idle{30};
  std::chrono::minutes staff_session_absolute{8 * 60};
  // Admins must sign in with a TOTP code (and may not sign in before one is enrolled with
  // `grievance admin create-user --totp`).
  bool require_totp_for_admins = false;
  Limits limits;
  ThrottleConfig throttle;
};

// A signed proof of filing (SPEC section 4). The signature covers receipt_message().
struct Receipt {
  std::string reference;
  TimePoint filed_at;
  std::string content_sha256;  // hex SHA-256 of canonical_content(complaint)
  std::string key_id;
  std::string signature;  // base64url Ed25519
};
// The exact bytes that are signed: "grievance-receipt-v1\n<reference>\n<filed_at>\n<sha256>\n".
std::string receipt_message(const Receipt& r);
// True when `r` is well-formed and carries the server's signature (crypto's key).
bool verify_receipt(const Crypto& crypto, const Receipt& r);
// A deterministic serialisation of everything the complainant filed; its SHA-256 goes on the
// receipt, so the complainant can later prove what was filed and when.
std::string canonical_content(const Complaint& c);

struct FiledComplaint {
  Case filed;               // as stored (with id, reference, deadlines)
  std::string access_code;  // the 16 digits in clear: returned once, never stored; empty
                            // when `replayed`
  Receipt receipt;
  // True when this filing key had already filed this complaint (a refreshed page, a retried
  // request on a flaky connection): nothing new was stored and the access code, which is
  // never stored, cannot be shown again.
  bool replayed = false;
};

struct SignedIn {
  std::string token;  // the bearer token in clear: returned once, only its hash is stored
  Session session;
};

// UNGP 31(c): each stage with its indicative time frame, for the complainant's page.
struct StageFrame {
  CaseStatus stage;
  int indicative_days;           // from filing
  std::optional<TimePoint> due;  // filing time + indicative days, for stages with a deadline
  bool reached = false;
  bool current = false;
};

struct CaseView {
  Case c;                         // Case::parties is emptied unless the viewer is an admin
  std::vector<CaseEvent> events;  // only those the viewer may see, in order
  std::vector<StageFrame> stages;
  bool show_contact = false;  // may the viewer see the contact / identity fields?
  CaseAccess access = CaseAccess::kNone;
  std::optional<PartyRole> viewer_party;  // a company viewer's part in the case
  bool overdue = false;
};

// One page of the case list.
struct CasePage {
  std::vector<Case> cases;  // without narrative and contact; parties only for admins
  std::vector<std::optional<PartyRole>> viewer_party;  // per case, for a company viewer
  std::vector<bool> overdue;                           // per case, at the time of the query
  std::string next_cursor;                             // empty on the last page
};

// Filters of GET /api/v1/cases as the client sent them (strings; validated by the service).
struct CaseListRequest {
  std::string status, company, site, country, sector, category, overdue, q, cursor, limit;
  bool triage = false;
};

// One row of a union's batch.
struct BatchRowResult {
  bool ok = false;
  FiledComplaint filed;  // when ok
  Error error;           // when not ok (field names the row's field)
};
struct BatchResult {
  std::vector<BatchRowResult> rows;  // in the order of the request
  int stored = 0;                    // rows newly stored by this request
  int replayed = 0;                  // rows a previous request with the same key stored
  int failed = 0;
};
inline constexpr int kMaxBatchRows = 1000;

struct TotpEnrolment {
  std::string secret_base32;  // shown once
  std::string otpauth_uri;
};

class CaseService {
 public:
  // `hasher` may be null where no staff signs in (some tests); sign_in_staff then answers
  // kUnavailable.
  CaseService(CaseStore& store, Crypto& crypto, RandomSource& random, const Clock& clock,
              ServiceConfig config, const PasswordHasher* hasher = nullptr);

  // Validates, checks the site, generates reference and access code, stores the case with its
  // `filed` event durably, and signs the receipt.
  // `filing_key` (optional, scoped by the caller, e.g. "web:<nonce>") makes filing
  // idempotent: the same key with the same content answers the first filing with
  // replayed = true and stores nothing.
  // Errors: kInvalidField (field named), kConflict (the key was used for other content),
  // kUnavailable.
  // Routing (SPEC section 3): a known site's operator becomes responsible and its buyers up
  // the supply chain buyers, each recorded as a `routed` event; without a site (or operator)
  // the case waits in triage. `filer`: the signed-in union user filing for a worker (records
  // the union and requires/permits the mandate), or null for an anonymous worker.
  Result<FiledComplaint> file_complaint(const ComplaintDraft& draft, Channel channel,
                                        std::string_view filing_key = {},
                                        const Session* filer = nullptr);

  // A union's batch of digitised paper forms (channel `paper`), at most kMaxBatchRows rows.
  // Every valid row is stored, all in ONE transaction (a crash stores all or none); every
  // invalid row is answered with its error. With a `batch_key`, a retry answers the rows
  // already stored as replayed (without access codes, which are never stored) and stores
  // only the rest. Errors: kForbidden (not a union), kInvalidField ("rows": empty or too
  // many), kUnavailable.
  Result<BatchResult> file_batch(const Session& s, const std::vector<ComplaintDraft>& rows,
                                 std::string_view batch_key);

  // Complainant sign-in. `client_key` identifies the client for rate limiting (its address);
  // it is kept in memory only. Errors: kUnauthorized (wrong pair, same answer for an unknown
  // reference), kRateLimited (lockout per reference or per client; retry_after_seconds set).
  Result<SignedIn> sign_in_complainant(std::string_view reference, std::string_view access_code,
                                       std::string_view client_key);

  // Staff sign-in with e-mail and password (and TOTP when the account has one, or is an admin
  // and require_totp_for_admins). Rate limited per account and per client like the
  // complainant's; the same answer (kUnauthorized) for an unknown e-mail, a wrong password, a
  // wrong or replayed TOTP code and a disabled account; a password hash is computed even for
  // an unknown e-mail so timing does not tell. kRateLimited when locked out.
  Result<SignedIn> sign_in_staff(std::string_view email, std::string_view password,
                                 std::string_view totp, std::string_view client_key);
  // Enrols (or replaces) the signed-in staff user's TOTP secret; the secret is shown once.
  Result<TotpEnrolment> enrol_totp(const Session& s);

  // Resolves a bearer token or cookie value. kUnauthorized when unknown, expired (absolute),
  // or idle for longer than the idle limit; a successful call counts as activity. Reads only
  // (idle time is tracked in memory; a restart restarts the idle clock from creation, which
  // only ever shortens a session), so it may run on an I/O thread.
  Result<Session> authenticate(std::string_view token);
  // Invalidates the session for real (deletes it). Idempotent.
  Status sign_out(std::string_view token);

  // The case as the session may see it. kNotFound when the session may not see it, so
  // existence never leaks.
  Result<CaseView> view_case(const Session& session, std::string_view reference);

  // A dialogue message, as the access policy allows (may_post_message); kNotFound when the
  // case is invisible, kForbidden when visible but the caller may not write.
  Result<CaseEvent> post_message(const Session& session, std::string_view reference,
                                 std::string_view body, Visibility visibility);

  // The cases the session may see, filtered, newest first. kForbidden for roles that have
  // no case list (complainant, auditor); kInvalidField for a bad filter or cursor.
  Result<CasePage> list_cases(const Session& s, const CaseListRequest& r);

  // Admin: route a triage case to a company (responsible) and its buyers. kForbidden for
  // non-admins (and kNotFound for cases they cannot see); kInvalidField when the org is not
  // an enabled company; kConflict when the case is already routed.
  Result<CaseView> assign_case(const Session& s, std::string_view reference,
                               std::int64_t company_org_id);

  // True when the receipt's signature is the server's and its fields are well-formed.
  bool verify_receipt(const Receipt& r) const;

  std::vector<StageFrame> stage_frames(const Case& c) const;
  Receipt sign_receipt(const Case& c) const;
  const ServiceConfig& config() const { return config_; }
  Date today() const;

 private:
  CaseStore& store_;
  Crypto& crypto_;
  RandomSource& random_;
  const Clock& clock_;
  struct RoutingDirectory {
    std::vector<SupplyLink> links;
    std::vector<Organisation> organisations;
  };
  Result<RoutingDirectory> load_directory();
  std::vector<CaseEvent> routing_events(const std::vector<CaseParty>& parties, Role actor,
                                        TimePoint at) const;
  // Validates and routes one complaint; fills `events` with its first events.
  Result<Case> prepare_case(const ComplaintDraft& draft, Channel channel, const Session* filer,
                            std::string_view filing_key, const RoutingDirectory& directory,
                            std::vector<CaseEvent>& events);
  std::optional<Result<FiledComplaint>> replay(const Case& c);
  // The case if `session` may see it; kNotFound otherwise (also for a malformed reference).
  Result<Case> find_visible(const Session& session, std::string_view reference);
  // The view of a found case for `session`; kNotFound when invisible.
  Result<CaseView> view_of(const Session& session, Case c);

  ServiceConfig config_;
  const PasswordHasher* hasher_;
  SignInThrottle throttle_;
  void forget_activity(const std::string& token_hash);
  // Last activity per session token hash (idle expiry), in memory only.
  std::mutex activity_mu_;
  std::unordered_map<std::string, TimePoint> activity_;  // GUARDED_BY(activity_mu_)
  const std::string& dummy_password_hash();
  std::once_flag dummy_once_;
  std::string dummy_password_hash_;  // for unknown e-mails (timing); set once, then read-only
};

}  // namespace grievance::domain
