// Filing complaints: a worker's single complaint (web form or API) and a union's batch of
// digitised paper forms. Validates every field (validation.hpp), routes the case up the supply
// chain (routing.hpp), generates the reference and the access code, stores the case with its
// first events durably and signs the receipt. docs/domain.md "Filing" and "Routing".
// Thread-safe: one instance serves every request thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/config.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/receipts.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {

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

// One row of a batch checked before filing (FilingService::check_batch): nothing is stored.
struct BatchRowCheck {
  // Every problem of the row, each naming its field (as validate_complaint names them): the
  // union corrects the whole file once instead of one problem per upload. Empty: the row
  // will be filed.
  std::vector<Error> problems;
  // The case an earlier upload of the same file (or the same key) stored from this row.
  struct FiledBefore {
    std::string reference;
    TimePoint filed_at;
  };
  std::optional<FiledBefore> filed_before;
};

// The country of a complaint: what the complainant gave, else the known site's, so a paper
// form or a CSV row (or the web form) that picked the site need not repeat it. `site` is the
// draft's site when the directory knows it. The one rule for the API, batches and pages.
std::optional<std::string> complaint_country(const ComplaintDraft& draft, const Site* site);

class FilingService {
 public:
  FilingService(CaseStore& cases, DirectoryStore& directory, Crypto& crypto, RandomSource& random,
                const Clock& clock, const ServiceConfig& config);

  // Validates, checks the site, generates reference and access code, stores the case with its
  // `filed` and routing events durably, and signs the receipt.
  // `filing_key` (optional, scoped by the caller, e.g. "web:<nonce>") makes filing
  // idempotent: the same key with the same content answers the first filing with
  // replayed = true and stores nothing.
  // Errors: kInvalidField (field named), kConflict (the key was used for other content),
  // kUnavailable.
  // Routing: a known site's operator becomes responsible and its buyers up the supply chain
  // buyers, each recorded as a `routed` event; without a site (or operator) the case waits in
  // triage. `filer`: the signed-in union user filing for a worker (records the union and
  // requires/permits the mandate), or null for an anonymous worker.
  Result<FiledComplaint> file_complaint(const ComplaintDraft& draft, Channel channel,
                                        std::string_view filing_key = {},
                                        const Session* filer = nullptr);

  // A union's batch of digitised paper forms (channel `paper`), at most kMaxBatchRows rows.
  // Every valid row is stored, all in ONE transaction (a crash stores all or none); every
  // invalid row is answered with its error. With a `batch_key`, a retry answers the rows
  // already stored as replayed (without access codes, which are never stored) and stores
  // only the rest. Without one, `file_content` - the bytes of the uploaded file (CSV or
  // JSON) - makes the key: the same file uploaded again by the same union answers the first
  // upload's result instead of filing every row twice (issue 8); empty: no idempotency.
  // Errors: kForbidden (not a union), kInvalidField ("rows": empty or too many),
  // kUnavailable.
  Result<BatchResult> file_batch(const Session& s, const std::vector<ComplaintDraft>& rows,
                                 std::string_view batch_key, std::string_view file_content = {});

  // The check before filing a batch (the staff page's preview): for each row, every problem
  // it has and the case an earlier upload of the same file (batch_key and file_content as
  // for file_batch) stored from it. Stores nothing. Errors as file_batch.
  Result<std::vector<BatchRowCheck>> check_batch(const Session& s,
                                                 const std::vector<ComplaintDraft>& rows,
                                                 std::string_view batch_key,
                                                 std::string_view file_content);

  // Every problem of one complaint as `filer` would file it (null: a worker), each an
  // kInvalidField error naming its field, in the order of the form; empty when it would be
  // filed. The rules are validate_complaint's and file_complaint's: a problem is named, the
  // field set aside, and the rest checked again. kUnavailable when the directory cannot be
  // read.
  Result<std::vector<Error>> complaint_problems(const ComplaintDraft& draft, const Session* filer);

  // The complaint form's site picker: enabled sites matching `query` and `country`, with
  // what a worker needs to recognise the workplace (never company internals: the caller shows
  // name, country, region and sector only).
  Result<std::vector<Site>> find_sites(std::string_view query, std::string_view country, int limit);
  // The countries of the enabled sites, sorted, each once (the forms' country choices).
  Result<std::vector<std::string>> site_countries();
  // An enabled site by id (the form's chosen workplace), nullopt when unknown or disabled.
  Result<std::optional<Site>> site(std::int64_t id);

  // The name of an organisation a filed case was routed to (the receipt names who received
  // the complaint, issue 8); empty when unknown.
  Result<std::string> organisation_name(std::int64_t id);

  // True when the receipt's signature is the server's and its fields are well-formed.
  bool verify_receipt(const Receipt& r) const;
  Receipt sign_receipt(const Case& c) const;
  const ServiceConfig& config() const { return config_; }
  Date today() const;

 private:
  // Validates and routes one complaint; fills `events` with its first events.
  Result<Case> prepare_case(const ComplaintDraft& draft, Channel channel, const Session* filer,
                            std::string_view filing_key, const Directory& directory,
                            std::vector<CaseEvent>& events);
  std::optional<Result<FiledComplaint>> replay(const Case& c);
  // The filing key of row `row` of a union's batch: scoped by the union and the row's place,
  // from the client's key or else from the SHA-256 of the file; empty when there is neither.
  std::string batch_row_key(const Session& s, std::string_view batch_key,
                            std::string_view file_content, std::size_t row) const;
  // complaint_problems() against a directory snapshot.
  std::vector<Error> problems_of(const ComplaintDraft& draft, const Session* filer,
                                 const Directory& directory) const;

  CaseStore& cases_;
  DirectoryStore& directory_;
  Crypto& crypto_;
  RandomSource& random_;
  const Clock& clock_;
  const ServiceConfig& config_;
};

// The routing events of a case reaching `parties` (one `routed` event per company, or one
// `triage` event when there is none), by `actor` at `at`. Shared by filing and assignment.
std::vector<CaseEvent> routing_events(const std::vector<CaseParty>& parties, Role actor,
                                      TimePoint at);

}  // namespace grievance::domain
