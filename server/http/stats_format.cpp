#include "server/http/stats_format.hpp"

#include <charconv>
#include <cmath>

namespace grievance::http {
namespace {

using domain::Count;
using domain::StatsRow;

// The derived figures after the counts, each with its name.
template <class F>
void each_figure(const StatsRow& r, F&& f) {
  const auto days = [&f](std::string_view step, const domain::Durations& d) {
    f(std::string(step) + ".median_days", d.median_days);
    f(std::string(step) + ".p90_days", d.p90_days);
  };
  f(std::string("collective_headcount"),
    r.collective_headcount ? std::optional<double>(static_cast<double>(*r.collective_headcount))
                           : std::nullopt);
  f(std::string("ack_in_time_share"), r.ack_in_time_share);
  days("to_acknowledgement", r.to_acknowledgement);
  days("to_first_response", r.to_first_response);
  days("to_resolution", r.to_resolution);
  f(std::string("satisfaction_mean"), r.satisfaction_mean);
  f(std::string("reopen_rate"), r.reopen_rate);
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
  each_figure(empty, [&out](std::string name, const std::optional<double>&) {
    out.push_back(std::move(name));
  });
  return out;
}

std::vector<StatsCell> stats_cells(const StatsRow& row, int k) {
  std::vector<StatsCell> out;
  for (const auto& key : row.keys) {
    out.push_back(StatsCell{StatsCell::Kind::kKey, std::string(domain::to_string(key.dimension)),
                            key.value, false});
  }
  domain::for_each_count(row, [&](std::string name, const Count& c) {
    out.push_back(StatsCell{StatsCell::Kind::kCount, std::move(name),
                            c.value ? std::to_string(*c.value) : "<" + std::to_string(k),
                            c.fewer_than_k()});
  });
  each_figure(row, [&](std::string name, const std::optional<double>& v) {
    out.push_back(
        StatsCell{StatsCell::Kind::kNumber, std::move(name), v ? format_figure(*v) : "", false});
  });
  return out;
}

void write_stats_table(JsonWriter& w, const domain::StatsTable& table) {
  w.begin_object();
  w.field("protection", table.protection == domain::Protection::kExact ? "exact" : "protected");
  w.field("k", table.k);
  w.key("group_by").begin_array();
  for (auto d : table.group_by) w.value(domain::to_string(d));
  w.end_array();
  w.key("columns").begin_array();
  for (const auto& c : stats_columns(table.group_by)) w.value(c);
  w.end_array();
  w.key("rows").begin_array();
  for (const auto& row : table.rows) {
    w.begin_object();
    for (const StatsCell& c : stats_cells(row, table.k)) {
      w.key(c.name);
      if (c.kind == StatsCell::Kind::kKey || c.fewer_than_k) {
        w.value(c.text);
      } else if (c.text.empty()) {
        w.null();
      } else {
        w.raw(c.text);  // a decimal number
      }
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
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
  bool first = true;
  for (const auto& c : stats_columns(table.group_by)) {
    if (!first) out += ',';
    first = false;
    out += csv_text(c);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    first = true;
    for (const StatsCell& c : stats_cells(row, table.k)) {
      if (!first) out += ',';
      first = false;
      out += c.kind == StatsCell::Kind::kKey || c.fewer_than_k ? csv_text(c.text) : c.text;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace grievance::http
