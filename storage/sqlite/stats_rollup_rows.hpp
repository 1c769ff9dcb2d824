// The statistics' rollups in SQLite (storage-internal; migration 0016, docs/domain.md
// "Rollups", server/domain/stats/rollup.hpp): a stats_rollup row per slice, filing month and
// part, kept in the transaction of every write that changes a case's facts.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/domain/result.hpp"
#include "server/domain/stats/rollup.hpp"
#include "storage/sqlite/connection.hpp"

namespace grievance::storage {

// The parts of a cell, each a row: the counts, each step's hours, the recurrent cases by site.
inline constexpr int kRollupParts = 5;
std::string encode_rollup_part(int part, const domain::StatsCell& cell);
// Into `cell` (which must not yet hold that part); false when the bytes are not a part this
// version wrote.
bool decode_rollup_part(int part, std::string_view bytes, domain::StatsCell& cell);
// The same, a step's hours into `runs` (ascending, as stored) instead of the cell's histogram.
bool decode_rollup_part(int part, std::string_view bytes, domain::StatsCell& cell,
                        domain::HoursRuns& runs);

// Writer thread, in the filing's transaction, after the case's facts row was written: the
// categories in which it repeats an earlier complaint at its site, when it becomes overdue, and
// its share of every cell it counts in. An earlier-filed case stored late (a paper form) also
// makes the later cases at its site within a year repeats.
domain::Status add_case_to_rollup(Connection& db, const domain::CaseFacts& f);

// Writer thread, in the event's transaction: the case's facts changed from `before` to
// `after` (its repeats as stored): its overdue time and the difference in every cell.
domain::Status update_rollup(Connection& db, const domain::CaseFacts& before,
                             const domain::CaseFacts& after, domain::CategorySet repeats);

// Writer thread, in a transaction: the whole rollup, and every case's repeats and overdue
// time, from the facts (a database stored before version 16 or 17, or cases backfilled).
// Returns the number of cases.
domain::Result<std::int64_t> rebuild_stats_rollup(Connection& db);

// Any connection, inside the caller's read snapshot: CaseStore::scan_rollup.
domain::Status scan_stats_rollup(
    Connection& db, const domain::RollupScan& scan, domain::TimePoint now,
    const std::function<void(domain::SliceId, std::int32_t, const domain::StatsCell&,
                             const domain::HoursRuns&)>& cell,
    const std::function<void(const domain::OverdueCase&)>& overdue);

}  // namespace grievance::storage
