// What the statistics may know about one case (docs/domain.md "Statistics"), and the pure fold
// that keeps it true event by event. A fact is a number, a flag, a time or a code from a closed
// list: never text, contact, identity or the case's reference, so a table of facts (and every
// export made from it) can hold nothing that names a worker but through the counts themselves,
// which disclosure.hpp protects.
//
// The store keeps one CaseFacts per case in the same transaction as each event it writes:
// seed_facts() when the case is created, then fold() for every event, with the event in plain
// text before it is sealed. facts_of() does the same over a case's whole history (a rebuild,
// the tests). tests/unit/stats_facts_test.cpp checks the fold against the Casework service.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/domain/types.hpp"

namespace grievance::domain {

// Who complains (issue 11, volume): a worker alone, a union for a worker, or a union for a group
// of workers (a collective complaint, with its headcount). Exclusive: every case has one.
enum class ComplainantKind { kIndividual, kUnionFiled, kCollective };
std::string_view to_string(ComplainantKind v);

// How an appeal ended: the operator upheld the decision (closed or rejected again) or reopened
// the case; pending while the case is still appealed.
enum class AppealResult { kPending, kUpheld, kReopened };
std::string_view to_string(AppealResult v);

// The categories of a case as a bit set: bit i is all_categories()[i].
using CategorySet = std::uint16_t;
CategorySet category_bit(Category c);
CategorySet category_set(std::span<const Category> categories);

struct CaseFacts {
  // ---- who and where: fixed at filing (the complaint never changes) ----
  std::int64_t case_id = 0;
  // docs/domain.md "Statistics": a random 32-bit key drawn once at filing (draw_cell_key in
  // disclosure.hpp) and kept with the facts; never derived from anything about the case.
  std::uint32_t cell_key = 0;
  TimePoint filed_at{};
  std::optional<std::int64_t> site_id;
  std::optional<Sector> sector;  // the site's, at filing
  std::string country;           // ISO 3166-1 alpha-2
  CategorySet categories = 0;
  Channel channel = Channel::kWeb;
  ComplainantKind kind = ComplainantKind::kIndividual;
  int headcount = 0;                         // collective complaints only
  std::optional<std::int64_t> union_org_id;  // the union that filed it (its scope)

  // ---- routing: from `routed` events ----
  std::optional<std::int64_t> responsible_org_id;  // the company that leads (none: triage)
  std::vector<std::int64_t> buyer_org_ids;

  // ---- the case now ----
  CaseStatus status = CaseStatus::kReceived;
  std::optional<Outcome> outcome;  // of the current closure; cleared by a reopening
  Deadlines deadlines{};           // as the case has them now (moved by pauses and triage)
  std::optional<TimePoint> paused_since;

  // ---- timeliness: seconds from filing, paused time excluded (docs/domain.md "Statistics") ----
  std::optional<std::int64_t> ack_seconds;             // first acknowledgement
  std::optional<std::int64_t> first_response_seconds;  // first substantive response
  std::optional<std::int64_t> resolution_seconds;      // the decision (closed or rejected)
  std::int64_t paused_seconds = 0;                     // every finished pause so far
  // The `deadline_breached` events the clock wrote (the deadline's own record of lateness).
  bool ack_breached = false;
  bool response_breached = false;
  bool resolution_breached = false;
  // The acknowledgement came after its deadline had been breached.
  bool ack_late = false;

  // ---- outcomes ----
  bool settled_ever = false;  // reached closed, rejected, withdrawn or escalated at least once
  bool escalated = false;     // ever escalated to an external body
  bool appealed = false;      // ever appealed
  AppealResult appeal_result = AppealResult::kPending;  // of the last appeal
  bool reopened = false;                                // ever reopened

  // ---- the worker's verdict ----
  std::optional<bool> remedy_accepted;  // the last answer to a plan: accepted (true) or refused
  std::optional<int> satisfaction;      // 1..5, with that answer
  int actions_confirmed = 0;            // remedy actions the complainant confirmed
  int actions_disputed = 0;             // ... and disputed
  bool follow_up_asked = false;         // the follow-up check was due
  std::optional<RemedyHeld> remedy_held;

  // ---- learning ----
  int retaliation_reports = 0;

  // The deadline spans the case was filed with (its deadlines minus the filing time): a triage
  // assignment restarts the company's deadlines with them, as Casework::assign_case does.
  std::int64_t ack_span_seconds = 0;
  std::int64_t response_span_seconds = 0;
  std::int64_t resolution_span_seconds = 0;

  // The categories in which the case repeats an earlier complaint at its site within a year,
  // among every case (docs/domain.md "Rollups"): kept by the store beside the facts, as
  // CaseStore::scan_facts gives it; seed_facts, fold and facts_of leave it 0.
  CategorySet repeats = 0;

  bool operator==(const CaseFacts&) const = default;
};

// What the facts need that the case and its events do not carry: the key and the site's sector.
struct FactsContext {
  std::uint32_t cell_key = 0;
  std::optional<Sector> sector;
};

// The facts of `c` as filed, before any event: the complaint's fields, the deadlines and the
// spans they were counted with. REQUIRES: `c` as the filing service creates it (status
// received, deadlines counted from created_at); routing comes from the events.
CaseFacts seed_facts(const Case& c, const FactsContext& context);

// The facts after `e`. Pure: the same facts and event always give the same result. Events of
// no statistical meaning (messages, translations, meetings, evidence...) change nothing.
CaseFacts fold(CaseFacts facts, const CaseEvent& e);

// The facts of a case from its whole history (events in seq order), as seed_facts and fold
// would have kept them since filing. `c` is the case now: its deadlines are taken as they are,
// and the spans it was filed with are worked back from them.
CaseFacts facts_of(const Case& c, std::span<const CaseEvent> events, const FactsContext& context);

// When the case becomes overdue: the earliest deadline that runs in its status (deadlines.hpp
// overdue_rules), nullopt while none runs (settled, or paused).
std::optional<TimePoint> overdue_from(const CaseFacts& f);

// Is the case past a deadline it has not met at `now` (overdue_from before now)? The rule of
// deadlines.hpp (is_overdue), applied to the facts.
bool is_overdue(const CaseFacts& f, TimePoint now);

}  // namespace grievance::domain
