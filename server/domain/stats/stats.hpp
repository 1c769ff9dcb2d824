// Registration statistics (issue 11 item 1; SPEC section 4 `GET /api/v1/stats`; docs/domain.md
// "Statistics"): a query, its validation, and the table it answers - one row per group with
// every metric - computed from the cases' facts (case_facts.hpp) and published exactly or
// protected (disclosure.hpp).
//
// compute_stats() takes the facts as a span; StatsBuilder takes them one at a time, so a store
// can stream them from a cursor without holding a million cases. Pure; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/stats/case_facts.hpp"
#include "server/domain/stats/dimensions.hpp"
#include "server/domain/stats/disclosure.hpp"
#include "server/domain/stats/stats_cell.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// The query as the client sent it (`GET /api/v1/stats?from=&to=&...&group_by=month,category`):
// every field a string, empty when absent.
struct StatsRequest {
  std::string from{};  // YYYY-MM-DD, inclusive: cases filed on or after
  std::string to{};    // YYYY-MM-DD, inclusive: cases filed on or before
  std::string company{};
  std::string site{};
  std::string sector{};
  std::string country{};
  std::string category{};
  std::string channel{};
  std::string group_by{};  // "", "month" or "month,category": at most two dimensions
};

inline constexpr std::size_t kMaxGroupBy = 2;

// A validated query. The scope fields restrict the cases to what the reader may see and are set
// by the domain from the session, never from the request (as CaseQuery's are).
struct StatsQuery {
  std::optional<Date> from;
  std::optional<Date> to;
  std::optional<std::int64_t> company_org_id;  // routed to this company, responsible or buyer
  std::optional<std::int64_t> site_id;
  std::optional<Sector> sector;
  std::string country;  // empty: any
  std::optional<Category> category;
  std::optional<Channel> channel;
  std::vector<StatsDimension> group_by;  // 0..kMaxGroupBy, no repeats
  // Scope (set by the domain): a company's cases (either role), a union's filings.
  std::optional<std::int64_t> scope_party_org_id;
  std::optional<std::int64_t> scope_union_org_id;
};

// The request as a query, or invalid_field naming the first bad field ("from", "to",
// "company", "site", "sector", "country", "category", "channel", "group_by").
Result<StatsQuery> parse_stats_query(const StatsRequest& r);

// Is the table fine enough to be refused to a protected reader (DisclosureConfig::max_detail)?
// invalid_field("group_by") when it is; always fine for kExact.
Status check_detail(const StatsQuery& q, Protection protection, const DisclosureConfig& config,
                    TimePoint now);

// A row's value in one dimension: "2026-11", "2026-Q4", an organisation or site id in decimal,
// a wire name ("wages", "web", "in_dialogue", "remedy_accepted"), or "none".
struct GroupKey {
  StatsDimension dimension;
  std::string value;
  bool operator==(const GroupKey&) const = default;
};
inline constexpr std::string_view kNoValue = "none";

// Days from filing to a step, paused time excluded.
struct Durations {
  Count cases;                        // cases that reached the step
  std::optional<double> median_days;  // the median (the mean of the two middle values if even)
  std::optional<double> p90_days;     // the 90th percentile, nearest rank: ceil(0.9 n)-th value
  bool operator==(const Durations&) const = default;
};

// One group's metrics (docs/domain.md "Statistics" defines each). Every Count counts cases
// (recurrent_sites counts sites); a derived figure (share, mean, median, rate) is nullopt when
// a count it needs is "fewer than k" or zero.
struct StatsRow {
  std::vector<GroupKey> keys;  // one per group_by dimension, in its order

  // ---- volume ----
  Count registered;
  std::array<Count, 5> by_channel{};  // Channel order: web, union, paper, phone, api
  std::array<Count, 3> by_kind{};     // ComplainantKind order: individual, union_filed, collective
  std::optional<std::int64_t> collective_headcount;  // workers behind the collective complaints
  Count open;                                        // in an open status now
  Count overdue;                                     // past a running deadline now (deadlines.hpp)

  // ---- timeliness ----
  Count ack_decided;  // acknowledged, or their acknowledgement deadline breached
  Count ack_in_time;  // acknowledged before the acknowledgement deadline was breached
  std::optional<double> ack_in_time_share;  // ack_in_time / ack_decided
  Durations to_acknowledgement;
  Durations to_first_response;
  Durations to_resolution;

  // ---- outcomes ----
  std::array<Count, 7> by_outcome{};  // all_outcomes() order; the current outcome
  Count escalated;                    // ever escalated
  Count appealed;                     // ever appealed
  Count appeal_upheld;                // the last appeal: decision upheld
  Count appeal_reopened;              // the last appeal: case reopened
  Count withdrawn;                    // withdrawn now

  // ---- the worker's verdict ----
  Count remedy_accepted;  // the last answer to a plan accepted it
  Count remedy_refused;   // the last answer refused it
  std::optional<double> satisfaction_mean;
  std::array<Count, 5> satisfaction{};  // scores 1..5
  Count actions_confirmed;              // cases with an action the complainant confirmed
  Count actions_disputed;               // cases with an action the complainant disputed
  Count follow_up_asked;                // the follow-up check came due
  std::array<Count, 3> remedy_held{};   // RemedyHeld order: yes, partly, no

  // ---- learning ----
  Count recurrent_cases;       // a repeat at the same site in the same category within 12 months
  Count recurrent_sites;       // the sites of those cases
  Count retaliation_reported;  // cases with a retaliation report
  Count settled;               // ever closed, rejected, withdrawn or escalated
  Count reopened;              // ever reopened
  std::optional<double> reopen_rate;  // reopened / settled

  bool operator==(const StatsRow&) const = default;
};

// Calls f(name, count) for every Count of the row, in declaration order, with a stable name
// ("registered", "by_channel.web", "satisfaction.3", "remedy_held.partly"...): the one list the
// exports and the answer's JSON walk.
template <class F>
void for_each_count(StatsRow& row, F&& f);
template <class F>
void for_each_count(const StatsRow& row, F&& f);

struct StatsTable {
  Protection protection = Protection::kExact;
  int k = 0;                             // the threshold behind "fewer than k"
  std::vector<StatsDimension> group_by;  // the query's, in its order: each row's keys
  std::vector<StatsRow> rows;            // ordered by their keys; only groups with cases
  bool operator==(const StatsTable&) const = default;
};

// The row of a group from its cell (stats_cell.hpp) and its overdue cases, which depend on the
// time of asking, so no stored cell holds them; published as `protection` says. A row of fewer
// than k cases withholds every figure.
StatsRow publish_cell(std::vector<GroupKey> keys, const StatsCell& cell, const Tally& overdue,
                      Protection protection, const DisclosureConfig& config);
// The same with each step's median and 90th percentile worked out by the caller (StepDays of
// the cell's durations; its `hours` histograms are then not read).
StatsRow publish_cell(std::vector<GroupKey> keys, const StatsCell& cell, const StepDays& days,
                      const Tally& overdue, Protection protection, const DisclosureConfig& config);

// Rows in the order of their keys: ids as numbers, everything else as text.
void sort_stats_rows(std::vector<StatsRow>& rows);
// That order of two rows' keys.
bool keys_less(const std::vector<GroupKey>& a, const std::vector<GroupKey>& b);

// Does the query cover this case: within its scope, its window and its filters?
bool stats_selects(const StatsQuery& query, const CaseFacts& facts);

// Days within which a repeat at the same site and category counts as recurrence.
inline constexpr int kRecurrenceDays = 365;

// Where a case's recurrence (a repeat at its site, in its category, within kRecurrenceDays)
// comes from (docs/domain.md "Statistics"):
//  - kAmongCasesGiven: among the cases given to the builder that are in the query's scope, so a
//    company's or a union's table counts only repeats among the cases it may see; the builder
//    keeps every such case's site and time and sorts them at the end, and needs the year
//    before the window too (facts_scan_for);
//  - kStoredRepeats: CaseFacts::repeats as the store keeps it (a repeat among every case), for a
//    query without a scope: no look-back year and no sort.
enum class Recurrence { kAmongCasesGiven, kStoredRepeats };

// A table handed out a row at a time (StatsBuilder::finish_rows, StatsService::table_rows), so
// that a table of fifty thousand rows is written as it is made and never held whole.
class StatsRowSink {
 public:
  virtual ~StatsRowSink() = default;
  // The table's protection, k and group_by (its rows are not read), before any row.
  virtual void begin(const StatsTable& head) = 0;
  // The next row, in the order of their keys; the sink may take it. False stops the table (the
  // reader left): no row follows.
  virtual bool row(StatsRow& row) = 0;
};

// Collects the facts of the cases a query covers, then publishes the table.
class StatsBuilder {
 public:
  // REQUIRES: `query` validated (parse_stats_query). `now` decides open and overdue.
  StatsBuilder(StatsQuery query, TimePoint now,
               Recurrence recurrence = Recurrence::kAmongCasesGiven);
  // One case's facts; cases outside the scope are ignored, and cases outside the window or the
  // filters only serve as the earlier complaints recurrence looks back to.
  void add(const CaseFacts& facts);
  // Takes in the cases `other` was given, so that builders fed on several threads make one table
  // (StatsService, CaseStore::scan_facts_shared). REQUIRES: `other` made with the same query,
  // time and recurrence. With kStoredRepeats the table is the one a single builder given every
  // case makes, in any order; with kAmongCasesGiven the cases of `other` count as seen after
  // this builder's.
  void merge(StatsBuilder&& other);
  // The table. One of many groups (kRowsForTwoThreads, stats.cpp) is made on two threads: the
  // caller's and one it starts and joins.
  StatsTable finish(Protection protection, const DisclosureConfig& config) const;
  // The same table handed to `sink` a row at a time. The rows of a table of many groups are made
  // in blocks, the next block on a second thread while the caller's thread hands out this one.
  void finish_rows(Protection protection, const DisclosureConfig& config, StatsRowSink& sink) const;

  ~StatsBuilder();
  StatsBuilder(StatsBuilder&&) noexcept;
  StatsBuilder& operator=(StatsBuilder&&) noexcept;

 private:
  struct State;  // the groups and the sightings recurrence looks back to (stats.cpp)
  std::unique_ptr<State> state_;
};

// The table for `query` over `facts` at `now`: check_detail, then StatsBuilder.
Result<StatsTable> compute_stats(const StatsQuery& query, std::span<const CaseFacts> facts,
                                 TimePoint now, Protection protection = Protection::kExact,
                                 const DisclosureConfig& config = {});

// ---- for_each_count --------------------------------------------------------------------------

namespace stats_detail {
// The one list of a row's counts, in order. kNames: f(name, count); else f(count), with no
// name made (an answer of many rows takes the names once, stats_format.cpp).
template <bool kNames, class Row, class F>
void visit_counts(Row& row, F& f) {
  const auto one = [&f](const char* name, auto& count) {
    if constexpr (kNames) {
      f(std::string(name), count);
    } else {
      (void)name;
      f(count);
    }
  };
  // The wire names of the values each array is indexed by (its enum's declaration order).
  const auto each = [&f](const char* prefix, auto& counts, auto name_of) {
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if constexpr (kNames) {
        f(std::string(prefix) + "." + std::string(name_of(i)), counts[i]);
      } else {
        (void)prefix, (void)name_of;
        f(counts[i]);
      }
    }
  };
  const auto channel = [](std::size_t i) { return to_string(static_cast<Channel>(i)); };
  const auto kind = [](std::size_t i) { return to_string(static_cast<ComplainantKind>(i)); };
  const auto outcome = [](std::size_t i) { return to_string(all_outcomes()[i]); };
  const auto score = [](std::size_t i) { return std::to_string(i + 1); };
  const auto held = [](std::size_t i) { return to_string(static_cast<RemedyHeld>(i)); };
  one("registered", row.registered);
  each("by_channel", row.by_channel, channel);
  each("by_kind", row.by_kind, kind);
  one("open", row.open);
  one("overdue", row.overdue);
  one("ack_decided", row.ack_decided);
  one("ack_in_time", row.ack_in_time);
  one("to_acknowledgement.cases", row.to_acknowledgement.cases);
  one("to_first_response.cases", row.to_first_response.cases);
  one("to_resolution.cases", row.to_resolution.cases);
  each("by_outcome", row.by_outcome, outcome);
  one("escalated", row.escalated);
  one("appealed", row.appealed);
  one("appeal_upheld", row.appeal_upheld);
  one("appeal_reopened", row.appeal_reopened);
  one("withdrawn", row.withdrawn);
  one("remedy_accepted", row.remedy_accepted);
  one("remedy_refused", row.remedy_refused);
  each("satisfaction", row.satisfaction, score);
  one("actions_confirmed", row.actions_confirmed);
  one("actions_disputed", row.actions_disputed);
  one("follow_up_asked", row.follow_up_asked);
  each("remedy_held", row.remedy_held, held);
  one("recurrent_cases", row.recurrent_cases);
  one("recurrent_sites", row.recurrent_sites);
  one("retaliation_reported", row.retaliation_reported);
  one("settled", row.settled);
  one("reopened", row.reopened);
}
}  // namespace stats_detail

template <class F>
void for_each_count(StatsRow& row, F&& f) {
  stats_detail::visit_counts<true>(row, f);
}
template <class F>
void for_each_count(const StatsRow& row, F&& f) {
  stats_detail::visit_counts<true>(row, f);
}
// f(count) for every Count of the row, in for_each_count's order.
template <class F>
void for_each_count_value(const StatsRow& row, F&& f) {
  stats_detail::visit_counts<false>(row, f);
}

}  // namespace grievance::domain
