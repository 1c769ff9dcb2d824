#include "server/http/stats_format.hpp"

#include <charconv>
#include <cmath>

namespace grievance::http {
namespace {

using domain::Count;
using domain::StatsRow;

// The derived figures after the counts. kNames: f(name, value); else f(value).
template <bool kNames, class F>
void each_figure(const StatsRow& r, F&& f) {
  const auto one = [&f](const char* name, const std::optional<double>& v) {
    if constexpr (kNames) {
      f(std::string(name), v);
    } else {
      (void)name;
      f(v);
    }
  };
  one("collective_headcount",
      r.collective_headcount ? std::optional<double>(static_cast<double>(*r.collective_headcount))
                             : std::nullopt);
  one("ack_in_time_share", r.ack_in_time_share);
  one("to_acknowledgement.median_days", r.to_acknowledgement.median_days);
  one("to_acknowledgement.p90_days", r.to_acknowledgement.p90_days);
  one("to_first_response.median_days", r.to_first_response.median_days);
  one("to_first_response.p90_days", r.to_first_response.p90_days);
  one("to_resolution.median_days", r.to_resolution.median_days);
  one("to_resolution.p90_days", r.to_resolution.p90_days);
  one("satisfaction_mean", r.satisfaction_mean);
  one("reopen_rate", r.reopen_rate);
}

// f(kind, text, fewer_than_k) for every cell of the row, in stats_columns() order, with no
// column name made: an answer of many rows writes the names it took once.
template <class F>
void each_cell(const StatsRow& row, int k, F&& f) {
  for (const auto& key : row.keys) f(StatsCell::Kind::kKey, std::string_view(key.value), false);
  const std::string fewer = "<" + std::to_string(k);
  domain::for_each_count_value(row, [&](const Count& c) {
    if (!c.value) return f(StatsCell::Kind::kCount, std::string_view(fewer), true);
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *c.value);
    f(StatsCell::Kind::kCount, std::string_view(buf, ec == std::errc() ? end - buf : 0), false);
  });
  each_figure<false>(row, [&](const std::optional<double>& v) {
    const std::string text = v ? format_figure(*v) : std::string();
    f(StatsCell::Kind::kNumber, std::string_view(text), false);
  });
}

std::vector<domain::StatsDimension> dimensions_of(const StatsRow& row) {
  std::vector<domain::StatsDimension> out;
  for (const auto& key : row.keys) out.push_back(key.dimension);
  return out;
}

}  // namespace

std::string format_figure(double v) {
  if (!std::isfinite(v)) return {};
  char buf[64];
  const double rounded = std::round(v * 1000.0) / 1000.0;
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed, 3);
  if (ec != std::errc()) return {};
  std::string s(buf, p);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::vector<std::string> stats_columns(const std::vector<domain::StatsDimension>& group_by) {
  std::vector<std::string> out;
  for (auto d : group_by) out.emplace_back(domain::to_string(d));
  StatsRow empty;
  domain::for_each_count(empty, [&out](std::string name, const Count&) { out.push_back(name); });
  each_figure<true>(empty, [&out](std::string name, const std::optional<double>&) {
    out.push_back(std::move(name));
  });
  return out;
}

std::vector<StatsCell> stats_cells(const StatsRow& row, int k) {
  std::vector<std::string> names = stats_columns(dimensions_of(row));
  std::vector<StatsCell> out;
  std::size_t column = 0;
  each_cell(row, k, [&](StatsCell::Kind kind, std::string_view text, bool fewer) {
    out.push_back(StatsCell{kind, std::move(names[column++]), std::string(text), fewer});
  });
  return out;
}

StatsJsonRows::StatsJsonRows(JsonWriter& w, const domain::StatsTable& head)
    : w_(w), k_(head.k), columns_(stats_columns(head.group_by)) {
  // Each column's member name as written, and "fewer than k" as a JSON string: made once.
  for (const auto& c : columns_) quoted_.push_back("\"" + c + "\":");
  fewer_ = "\"<" + std::to_string(head.k) + "\"";
  w_.begin_object();
  w_.field("protection", head.protection == domain::Protection::kExact ? "exact" : "protected");
  w_.field("k", head.k);
  w_.key("group_by").begin_array();
  for (auto d : head.group_by) w_.value(domain::to_string(d));
  w_.end_array();
  w_.key("columns").begin_array();
  for (const auto& c : columns_) w_.value(c);
  w_.end_array();
  w_.key("rows").begin_array();
}

void StatsJsonRows::row(const domain::StatsRow& row) {
  w_.begin_object();
  std::size_t column = 0;
  each_cell(row, k_, [&](StatsCell::Kind kind, std::string_view text, bool fewer_than_k) {
    const std::string_view name = quoted_[column++];
    if (kind == StatsCell::Kind::kKey) {
      w_.key(columns_[column - 1]).value(text);  // a value from the directory: escaped
    } else if (fewer_than_k) {
      w_.member(name, fewer_);
    } else {
      w_.member(name, text.empty() ? std::string_view("null") : text);  // a decimal number
    }
  });
  w_.end_object();
}

void StatsJsonRows::end() {
  w_.end_array();
  w_.end_object();
}

StatsCsvRows::StatsCsvRows(std::string& out, const domain::StatsTable& head)
    : out_(out), k_(head.k) {
  bool first = true;
  for (const auto& c : stats_columns(head.group_by)) {
    if (!first) out_ += ',';
    first = false;
    out_ += csv_text(c);
  }
  out_ += "\r\n";
}

void StatsCsvRows::row(const domain::StatsRow& row) {
  bool first = true;
  each_cell(row, k_, [&](StatsCell::Kind kind, std::string_view text, bool fewer) {
    if (!first) out_ += ',';
    first = false;
    if (kind == StatsCell::Kind::kKey || fewer) {
      out_ += csv_text(text);
    } else {
      out_ += text;
    }
  });
  out_ += "\r\n";
}

void write_stats_table(JsonWriter& w, const domain::StatsTable& table) {
  StatsJsonRows rows(w, table);
  const std::size_t rows_start = w.written();
  for (const auto& row : table.rows) {
    if (&row == &table.rows.front() + 1) {
      // Every row has the same columns: the rest take about what the first took, and a little.
      w.expect((w.written() - rows_start) * (table.rows.size() - 1) * 9 / 8);
    }
    rows.row(row);
  }
  rows.end();
}

std::string csv_text(std::string_view s) {
  std::string v;
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    v = "'";
  }
  v += s;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char ch : v) {
    if (ch == '"') q += '"';
    q += ch;
  }
  q += '"';
  return q;
}

std::string stats_csv(const domain::StatsTable& table) {
  std::string out;
  StatsCsvRows rows(out, table);
  for (const auto& row : table.rows) rows.row(row);
  return out;
}

}  // namespace grievance::http
