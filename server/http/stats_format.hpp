// A statistics table as its readers get it (issue 11; docs/domain.md "Statistics"): the one list
// of columns - the group's keys, then every count of stats.hpp's for_each_count, then the
// derived figures - shared by GET /api/v1/stats, the exports and the dashboard, so the JSON and
// the CSV always have the same columns in the same order.
//
// A count is a number, or "<k" (fewer than k) for a protected reader; a derived figure with
// nothing to stand on is empty (JSON null).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/stats/stats.hpp"
#include "server/http/json_writer.hpp"

namespace grievance::http {

struct StatsCell {
  enum class Kind { kKey, kCount, kNumber };
  Kind kind = Kind::kNumber;
  std::string name;
  std::string text;  // the key; the count in decimal or "<k"; the number; empty: none
  bool fewer_than_k = false;
};

// The column names of a table grouped by `group_by`.
std::vector<std::string> stats_columns(const std::vector<domain::StatsDimension>& group_by);
// The cells of one row, in stats_columns() order.
std::vector<StatsCell> stats_cells(const domain::StatsRow& row, int k);

// A figure with at most three decimals, trailing zeros dropped ("3.5", "0.833", "12").
std::string format_figure(double v);

// Told after each row of a table written in pieces; false stops the table there (the client
// left). Empty: the table is written whole.
using AfterRow = std::function<bool()>;

// {"protection","k","group_by","columns","rows":[{column: value}]} (GET /api/v1/stats and
// stats.json). With `after_row`, no room is made ahead for the whole table (its pieces are
// sent as they fill). False when after_row stopped it.
bool write_stats_table(JsonWriter& w, const domain::StatsTable& table,
                       const AfterRow& after_row = {});
// RFC 4180 (CRLF, quoted where needed), a header row then one row per group; text cells that a
// spreadsheet would read as a formula are neutralised (csv_text). Appended to `out`; false when
// after_row stopped it.
bool write_stats_csv(std::string& out, const domain::StatsTable& table,
                     const AfterRow& after_row = {});
std::string stats_csv(const domain::StatsTable& table);

// One CSV field: quoted when it holds a comma, a quote or a line break; text that starts with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe first (OWASP "CSV
// injection"), so a spreadsheet shows it instead of running it.
std::string csv_text(std::string_view s);

}  // namespace grievance::http
