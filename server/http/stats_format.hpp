// A statistics table as its readers get it (issue 11; docs/domain.md "Statistics"): the one list
// of columns - the group's keys, then every count of stats.hpp's for_each_count, then the
// derived figures - shared by GET /api/v1/stats, the exports and the dashboard, so the JSON and
// the CSV always have the same columns in the same order.
//
// A count is a number, or "<k" (fewer than k) for a protected reader; a derived figure with
// nothing to stand on is empty (JSON null).
#pragma once

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

// A table's JSON written as its rows come (StatsRowSink): the head when made, then row() for
// each row, then end(). The column names are quoted once, for tables of tens of thousands of
// rows.
class StatsJsonRows {
 public:
  // Writes {"protection","k","group_by","columns","rows":[ of `head` (its rows not read).
  StatsJsonRows(JsonWriter& w, const domain::StatsTable& head);
  void row(const domain::StatsRow& row);  // {column: value}
  void end();                             // ]}

 private:
  JsonWriter& w_;
  int k_;
  std::vector<std::string> columns_;
  std::vector<std::string> quoted_;  // "name":
  std::string fewer_;                // "<k" as a JSON string
};

// The same in CSV (write_stats_csv): the header row when made, then a line per row.
class StatsCsvRows {
 public:
  StatsCsvRows(std::string& out, const domain::StatsTable& head);
  void row(const domain::StatsRow& row);

 private:
  std::string& out_;
  int k_;
};

// {"protection","k","group_by","columns","rows":[{column: value}]} of a whole table (the
// register's headline; GET /api/v1/stats writes its rows as they come, StatsJsonRows).
void write_stats_table(JsonWriter& w, const domain::StatsTable& table);
// RFC 4180 (CRLF, quoted where needed), a header row then one row per group; text cells that a
// spreadsheet would read as a formula are neutralised (csv_text).
std::string stats_csv(const domain::StatsTable& table);

// One CSV field: quoted when it holds a comma, a quote or a line break; text that starts with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe first (OWASP "CSV
// injection"), so a spreadsheet shows it instead of running it.
std::string csv_text(std::string_view s);

}  // namespace grievance::http
