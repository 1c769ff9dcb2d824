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
#include <vector>

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
  Case c;
  std::vector<CaseEvent> events;  // only those the viewer may see, in order
  std::vector<StageFrame> stages;
  bool show_contact = false;  // may the viewer see the contact / identity fields?
};

class CaseService {
 public:
  CaseService(CaseStore& store, Crypto& crypto, RandomSource& random, const Clock& clock,
              ServiceConfig config);

  // Validates, checks the site, generates reference and access code, stores the case with its
  // `filed` event durably, and signs the receipt.
  // `filing_key` (optional, scoped by the caller, e.g. "web:<nonce>") makes filing
  // idempotent: the same key with the same content answers the first filing with
  // replayed = true and stores nothing.
  // Errors: kInvalidField (field named), kConflict (the key was used for other content),
  // kUnavailable.
  Result<FiledComplaint> file_complaint(const ComplaintDraft& draft, Channel channel,
                                        std::string_view filing_key = {});

  // Complainant sign-in. `client_key` identifies the client for rate limiting (its address);
  // it is kept in memory only. Errors: kUnauthorized (wrong pair, same answer for an unknown
  // reference), kRateLimited (lockout per reference or per client; retry_after_seconds set).
  Result<SignedIn> sign_in_complainant(std::string_view reference, std::string_view access_code,
                                       std::string_view client_key);

  // Resolves a bearer token or cookie value. kUnauthorized when unknown or expired. Reads
  // only (never writes), so it may run on an I/O thread.
  Result<Session> authenticate(std::string_view token);
  // Invalidates the session for real (deletes it). Idempotent.
  Status sign_out(std::string_view token);

  // The case as the session may see it. kNotFound when the session may not see it, so
  // existence never leaks.
  Result<CaseView> view_case(const Session& session, std::string_view reference);

  // A dialogue message. Complainants may only post kParties messages on their own case.
  Result<CaseEvent> post_message(const Session& session, std::string_view reference,
                                 std::string_view body, Visibility visibility);

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
  ServiceConfig config_;
  SignInThrottle throttle_;
};

}  // namespace grievance::domain
