// Cases and their events: the aggregate that changes together (a case row, its parties, its
// append-only hash-chained events). Implemented by storage/sqlite (SqliteCaseStore) and by the
// in-memory fake in tests/support; tests/storage/store_contract_test.cpp holds both to this
// contract.
//
// Writes return only after the change is durable on disk (fsync'd, group commit); reads see
// every write that has returned. Thread-safe: any thread may call any method.
// Errors: kUnavailable when the database cannot be reached, kConflict on a uniqueness
// violation (e.g. a reference that already exists), kNotFound where stated.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/stats/case_facts.hpp"
#include "server/domain/stats/rollup.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// A case with its parties and its events, read in ONE snapshot (the case read of
// GET /api/v1/cases/{reference} and the case pages).
struct CaseRecord {
  Case c;
  std::vector<CaseEvent> events;  // in seq order
};

// What GET /healthz reports about the store (docs/operations.md "Health and signals").
struct StoreHealth {
  bool answers = true;  // the database answers a read
  // The last write failed because the disk is full or failing (SQLite's full, I/O, read-only
  // or corrupt errors), and no write has succeeded since: new complaints are refused.
  bool writes_refused = false;
};

// How many cases there are in each status, and how many are overdue (GET /metrics;
// docs/operations.md "Monitoring"). Every status is listed, in all_case_statuses() order, zeros
// included.
struct CaseCounts {
  std::vector<std::pair<CaseStatus, std::int64_t>> by_status;
  std::int64_t overdue = 0;  // domain::is_overdue(c, now)
};

// Which cases' statistical facts a statistics query reads (CaseStore::scan_facts): a superset
// of the cases it covers, narrowed only by what the store has an index for. StatsBuilder picks
// the cases from it (docs/domain.md "Statistics").
struct FactsScan {
  std::optional<std::int64_t> party_org_id{};  // routed to this company, responsible or buyer
  std::optional<std::int64_t> union_org_id{};  // filed by this union
  std::optional<std::int64_t> site_id{};
  std::optional<TimePoint> filed_from{};    // inclusive
  std::optional<TimePoint> filed_before{};  // exclusive
  // Only cases in at least one of these categories (a query's category filter, when no case
  // outside it is needed: no look-back among the cases given). The store tests the case's
  // categories column before it decodes the case's facts.
  std::optional<CategorySet> any_category{};
  // scan_facts_shared only: every case of one site goes to the same function (the site's id
  // modulo their number; no site: the first), so builders of a table grouped by site hold
  // groups of their own and put together by moving them, not by adding them up.
  bool split_by_site = false;
};

// Which of `shares` functions a case of `site_id` goes to when a shared scan is split by site.
inline std::size_t shared_scan_share(std::optional<std::int64_t> site_id, std::size_t shares) {
  if (!site_id || shares == 0) return 0;
  return static_cast<std::size_t>(static_cast<std::uint64_t>(*site_id) % shares);
}

// Which cases of the public register a page shows (CaseStore::list_register; docs/domain.md
// "Public register"): only cases whose complainant listed them, newest filed first.
struct RegisterQuery {
  std::optional<std::int64_t> company_org_id{};  // the responsible company (never a buyer)
  std::string country{};                         // ISO 3166-1 alpha-2; empty: any
  std::optional<Sector> sector{};                // the sector of the case's site
  // Skips this many (a page number, not a cursor: a cursor of (created_at, id) would publish
  // the second a case was filed).
  int offset = 0;
  int limit = 50;  // 1..100
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Stores a new case with its parties (Case::parties) and first events atomically (all or
  // nothing). Assigns and returns the case id. kConflict if the reference exists, or if
  // Case::filing_key_hash is set and already recorded for another case (a retried filing).
  virtual Result<std::int64_t> create_case(const Case& c, const std::vector<CaseEvent>& events) = 0;
  // Stores several new cases, each with its parties and events, in ONE transaction (a union's
  // batch of digitised paper forms): all of them or none. Returns the ids in order.
  // kConflict (nothing stored) if any reference or filing key exists.
  struct NewCase {
    Case c;
    std::vector<CaseEvent> events;
  };
  virtual Result<std::vector<std::int64_t>> create_cases(const std::vector<NewCase>& cases) = 0;
  // The company's clock, started when a triage case is assigned (docs/domain.md "Deadlines").
  struct AssignedClock {
    Deadlines deadlines;
    std::optional<TimePoint> next_check_at;
  };
  // Routes a triage case: adds `parties`, appends `events` (the routing events) and, when
  // given, sets the deadlines and the scheduler's pointer, in one transaction. kNotFound if no
  // such case; kConflict if the case already has parties.
  virtual Status add_case_parties(std::int64_t case_id, const std::vector<CaseParty>& parties,
                                  const std::vector<CaseEvent>& events,
                                  const std::optional<AssignedClock>& clock) = 0;
  // Appends one event to a case and optionally updates the case's status and updated_at in
  // the same transaction. kNotFound if no such case. Returns the event id.
  virtual Result<std::int64_t> append_event(std::int64_t case_id, const CaseEvent& event,
                                            std::optional<CaseStatus> new_status) = 0;

  // Writes the case's life as `c` holds it - status, outcome, settled_at, escalated_to,
  // satisfaction, paused_since, retaliation, follow_up_due, follow_up_answer, remedy_failed,
  // identity, disclosure_requested_by, next_check_at, the deadlines and the remedy plan - and
  // appends `events`, in one transaction, if the case still has `expected_events` events (another
  // change came first: kConflict, nothing written). kNotFound if no such case. updated_at becomes
  // the last event's time.
  virtual Status update_case(const Case& c, const std::vector<CaseEvent>& events,
                             std::int64_t expected_events) = 0;
  // A lost access code replaced (docs/domain.md "Lost access codes"): stores the new code's
  // HMAC, appends `event` and deletes every complainant session of the case, in one transaction,
  // if the case still has `expected_events` events (kConflict otherwise, nothing written).
  // kNotFound if no such case. A store that keeps sessions elsewhere (the fake) leaves them to
  // AccountStore::delete_case_sessions, which the domain calls afterwards in any case.
  virtual Status replace_access_code(std::int64_t case_id, std::string_view access_code_hmac,
                                     const CaseEvent& event, std::int64_t expected_events) = 0;
  // The cases whose next_check_at is at or before `t` (the deadline scheduler's work), oldest
  // first, at most `limit`; without narrative, contact or plan texts.
  virtual Result<std::vector<Case>> cases_to_check(TimePoint t, int limit) = 0;

  // The cases matching `q` (scope and filters), newest first: ORDER BY created_at DESC, id DESC,
  // at most q.limit. Narrative and contact are NOT loaded (left empty): the list never shows
  // them. Parties are loaded. `q.overdue` means domain::is_overdue(c, q.now) (the rule lives in
  // server/domain/deadlines.hpp; SQL is generated from its table).
  virtual Result<std::vector<Case>> list_cases(const CaseQuery& q) = 0;
  // The cases listed in the public register (a register_consent "given" event not followed by
  // a "withdrawn" one) that match `q`, newest filed first: ORDER BY created_at DESC, id DESC, at
  // most q.limit. As list_cases: narrative and contact NOT loaded, parties loaded. The store
  // keeps the list in each register_consent event's own transaction.
  virtual Result<std::vector<Case>> list_register(const RegisterQuery& q) = 0;
  // The case with this (normalised) reference, its parties and its events, all from one read
  // snapshot; nullopt when there is none.
  virtual Result<std::optional<CaseRecord>> read_case(std::string_view reference) = 0;
  // The case (with parties, without events).
  virtual Result<std::optional<Case>> find_case_by_reference(std::string_view reference) = 0;
  virtual Result<std::optional<Case>> find_case(std::int64_t case_id) = 0;
  // The case filed with this filing key hash, if any.
  virtual Result<std::optional<Case>> find_case_by_filing_key(std::string_view filing_key_hash) = 0;
  // Events of a case in seq order.
  virtual Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) = 0;
  virtual Result<std::int64_t> count_cases() = 0;
  // Counts by status and the overdue count at `now`, from one read snapshot; no case is read
  // (SQLite: index scans, no row decrypted).
  virtual Result<CaseCounts> case_counts(TimePoint now) = 0;

  // Calls `each` with the facts of every case `scan` selects, from one read snapshot, without
  // reading a case or opening a sealed column (SQLite: the case_facts table, by index). The
  // facts are true as of the last write that returned: the store keeps them in each write's
  // transaction (seed_facts/facts_of at filing, fold for every event).
  virtual Status scan_facts(const FactsScan& scan,
                            const std::function<void(const CaseFacts&)>& each) = 0;

  // scan_facts with the work shared by `each.size()` threads (docs/domain.md "Statistics"): the
  // store reads the rows from one read snapshot and hands them out in batches, and each[i] is
  // called from one thread only - so it needs no lock of its own - with a share of the cases, in
  // no particular order (FactsScan::split_by_site: by site). Returns once every call is over.
  // For a caller whose result does not depend on the order of the cases. This default makes
  // every call from the calling thread, dealing the cases out in turn.
  virtual Status scan_facts_shared(const FactsScan& scan,
                                   std::span<const std::function<void(const CaseFacts&)>> each) {
    std::size_t next = 0;
    return scan_facts(scan, [&](const CaseFacts& f) {
      if (each.empty()) return;
      if (scan.split_by_site) {
        next = shared_scan_share(f.site_id, each.size());
      } else {
        next = (next + 1) % each.size();
      }
      each[next](f);
    });
  }

  // From one read snapshot: `overdue` with each case filed in the months `scan` covers that is
  // overdue at `now` (overdue_from before now), then `cell` with every rollup cell it covers in
  // (slice, month) order (docs/domain.md "Rollups"; the store keeps them in each write's
  // transaction, as the facts). Reads no case and no cell of another kind of slice.
  virtual Status scan_rollup(
      const RollupScan& scan, TimePoint now,
      const std::function<void(SliceId, std::int32_t, const StatsCell&, const HoursRuns&)>& cell,
      const std::function<void(const OverdueCase&)>& overdue) = 0;

  // Cheap enough for every GET /healthz: no query each time.
  virtual StoreHealth health() = 0;
};

}  // namespace grievance::domain
