#include "storage/sqlite/stats_rollup_rows.hpp"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "storage/sqlite/case_facts_rows.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/varint.hpp"

namespace grievance::storage {
namespace {

using domain::CaseFacts;
using domain::CategorySet;
using domain::Error;
using domain::fail;
using domain::SliceId;
using domain::StatsCell;

// Version 1 of every part's stored form; a change raises it.
constexpr std::int64_t kPartVersion = 1;
constexpr int kCounts = 0;
constexpr int kFirstHours = 1;  // 1, 2, 3: the steps in StatsCell::hours order
constexpr int kRecurrent = 4;

bool part_empty(int part, const StatsCell& c) {
  if (part == kCounts) {
    bool empty = true;
    domain::for_each_tally(
        c, [&empty](const domain::Tally& t) { empty = empty && t.n == 0 && t.key == 0; },
        [&empty](std::int64_t s) { empty = empty && s == 0; });
    return empty;
  }
  if (part == kRecurrent) return c.recurrent.empty();
  return c.hours[static_cast<std::size_t>(part - kFirstHours)].empty();
}

domain::TimePoint month_start(std::int32_t m) {
  using namespace std::chrono;
  return domain::TimePoint(sys_days(year(m / 12) / month(static_cast<unsigned>(m % 12 + 1)) / 1));
}

Error damaged() { return Error::unavailable("The statistics' rollup is damaged."); }

// The cell of (slice, month) with the part's stored value, or empty.
domain::Result<StatsCell> read_part(Connection& db, SliceId slice, std::int32_t month, int part) {
  StatsCell cell;
  auto q = db.query("SELECT data FROM stats_rollup WHERE slice = ?1 AND month = ?2 AND part = ?3");
  auto row = q.bind(1, slice).bind(2, std::int64_t{month}).bind(3, std::int64_t{part}).step();
  if (!row) return fail(row.error());
  if (*row && !decode_rollup_part(part, q.blob(0), cell)) return fail(damaged());
  return cell;
}

// Adds `diff` to the stored cells of (slice, month), part by part, writing only the parts it
// changes and deleting the ones that become empty.
domain::Status apply(Connection& db, SliceId slice, std::int32_t month, const StatsCell& diff) {
  for (int part = 0; part < kRollupParts; ++part) {
    if (part_empty(part, diff)) continue;
    auto cell = read_part(db, slice, month, part);
    if (!cell) return fail(cell.error());
    cell->merge(diff);
    if (part_empty(part, *cell)) {
      auto q = db.query("DELETE FROM stats_rollup WHERE slice = ?1 AND month = ?2 AND part = ?3");
      if (auto s = q.bind(1, slice).bind(2, std::int64_t{month}).bind(3, std::int64_t{part}).run();
          !s) {
        return s;
      }
      continue;
    }
    auto q = db.query(
        "INSERT INTO stats_rollup (slice, month, part, data) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (slice, month, part) DO UPDATE SET data = excluded.data");
    q.bind(1, slice).bind(2, std::int64_t{month}).bind(3, std::int64_t{part});
    if (auto s = q.bind_blob(4, encode_rollup_part(part, *cell)).run(); !s) return s;
  }
  return {};
}

// The difference between the case's contribution before and after, in each of its slices.
domain::Status apply_change(Connection& db, const CaseFacts& before, CategorySet repeats_before,
                            const CaseFacts& after, CategorySet repeats_after) {
  const std::int32_t month = domain::month_number(after.filed_at);
  const std::vector<SliceId> was = domain::rollup_slices(before);
  const std::vector<SliceId> is = domain::rollup_slices(after);
  std::vector<SliceId> slices = was;
  for (SliceId s : is) {
    if (std::find(was.begin(), was.end(), s) == was.end()) slices.push_back(s);
  }
  const auto in = [](const std::vector<SliceId>& own, SliceId s) {
    return std::find(own.begin(), own.end(), s) != own.end();
  };
  for (SliceId s : slices) {
    StatsCell diff;
    if (in(is, s)) diff.merge(domain::rollup_contribution(after, repeats_after, s));
    if (in(was, s)) diff.merge(domain::rollup_contribution(before, repeats_before, s), -1);
    if (diff.empty()) continue;
    if (auto ok = apply(db, s, month, diff); !ok) return ok;
  }
  return {};
}

domain::Status write_case_columns(Connection& db, const CaseFacts& f, CategorySet repeats) {
  auto q = db.query(
      "UPDATE case_facts SET categories = ?2, repeats = ?3, overdue_at = ?4, "
      "responsible_org_id = ?5, cell_key = ?6 WHERE case_id = ?1");
  q.bind(1, f.case_id).bind(2, std::int64_t{f.categories}).bind(3, std::int64_t{repeats});
  q.bind(5, f.responsible_org_id).bind(6, std::int64_t{f.cell_key});
  const auto due = domain::overdue_from(f);
  if (due) {
    q.bind(4, encode_time(*due));
  } else {
    q.bind_null(4);
  }
  return q.run();
}

}  // namespace

std::string encode_rollup_part(int part, const StatsCell& c) {
  VarintWriter w;
  w.put(kPartVersion);
  if (part == kCounts) {
    domain::for_each_tally(
        c,
        [&w](const domain::Tally& t) {
          w.put(t.n);
          w.put(t.key);
        },
        [&w](std::int64_t s) { w.put(s); });
  } else if (part == kRecurrent) {
    w.put(static_cast<std::int64_t>(c.recurrent.size()));
    std::int64_t last = 0;
    for (const auto& [site, t] : c.recurrent) {
      w.put(site - last);  // ascending: small gaps
      w.put(t.n);
      w.put(t.key);
      last = site;
    }
  } else {
    const auto& hours = c.hours[static_cast<std::size_t>(part - kFirstHours)];
    w.put(static_cast<std::int64_t>(hours.size()));
    std::int64_t last = 0;
    for (const auto& [h, n] : hours) {
      w.put(h - last);
      w.put(n);
      last = h;
    }
  }
  return w.take();
}

namespace {

bool decode_part(int part, std::string_view bytes, StatsCell& c, domain::HoursRuns* runs) {
  VarintReader r(bytes);
  if (r.i64() != kPartVersion || part < 0 || part >= kRollupParts) return false;
  if (part == kCounts) {
    domain::for_each_tally(
        c,
        [&r](domain::Tally& t) {
          t.n = r.i64();
          t.key = static_cast<std::uint32_t>(r.i64());
        },
        [&r](std::int64_t& s) { s = r.i64(); });
  } else {
    const std::int64_t n = r.i64();
    if (n < 0 || static_cast<std::size_t>(n) > bytes.size()) return false;
    const auto step = static_cast<std::size_t>(part - kFirstHours);
    if (runs && part != kRecurrent) (*runs)[step].reserve(static_cast<std::size_t>(n));
    std::int64_t last = 0;
    for (std::int64_t i = 0; i < n && r.ok(); ++i) {
      last += r.i64();
      if (part == kRecurrent) {
        domain::Tally& t = c.recurrent.try_emplace(c.recurrent.end(), last)->second;
        t.n = r.i64();
        t.key = static_cast<std::uint32_t>(r.i64());
      } else if (runs) {
        (*runs)[step].emplace_back(last, r.i64());  // ascending, as written
      } else {
        c.hours[step].try_emplace(c.hours[step].end(), last, r.i64());
      }
    }
  }
  return r.ok() && r.at_end();
}

}  // namespace

bool decode_rollup_part(int part, std::string_view bytes, StatsCell& c) {
  return decode_part(part, bytes, c, nullptr);
}

bool decode_rollup_part(int part, std::string_view bytes, StatsCell& c, domain::HoursRuns& runs) {
  return decode_part(part, bytes, c, &runs);
}

domain::Status add_case_to_rollup(Connection& db, const CaseFacts& f) {
  using std::chrono::days;
  CategorySet repeats = 0;
  if (f.site_id && f.categories != 0) {
    const std::int64_t at = encode_time(f.filed_at);
    const std::int64_t year = encode_time(f.filed_at + days(domain::kRecurrenceDays)) - at;
    // Earlier cases at the site within the year: the categories this one repeats.
    auto q = db.query(
        "SELECT categories FROM case_facts WHERE site_id = ?1 AND filed_at >= ?2 AND "
        "filed_at <= ?3 AND (filed_at < ?3 OR case_id < ?4)");
    q.bind(1, *f.site_id).bind(2, at - year).bind(3, at).bind(4, f.case_id);
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      repeats |= static_cast<CategorySet>(q.int64(0) & f.categories);
    }
    // Later cases within the year (a case stored after others filed later): they repeat it.
    struct Later {
      CaseFacts facts;
      CategorySet repeats;
    };
    std::vector<Later> later;
    auto l = db.query(
        "SELECT case_id, facts, repeats FROM case_facts WHERE site_id = ?1 AND filed_at >= ?2 "
        "AND filed_at <= ?3 AND (filed_at > ?2 OR case_id > ?4) AND (categories & ?5) != 0");
    l.bind(1, *f.site_id).bind(2, at).bind(3, at + year).bind(4, f.case_id);
    l.bind(5, std::int64_t{f.categories});
    for (;;) {
      auto row = l.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto facts = facts_at(l, 0, 1);
      if (!facts) return fail(facts.error());
      later.push_back({std::move(*facts), static_cast<CategorySet>(l.int64(2))});
    }
    for (const Later& c : later) {
      const auto now_repeats =
          static_cast<CategorySet>(c.repeats | (c.facts.categories & f.categories));
      if (now_repeats == c.repeats) continue;
      if (auto s = write_case_columns(db, c.facts, now_repeats); !s) return s;
      if (auto s = apply_change(db, c.facts, c.repeats, c.facts, now_repeats); !s) return s;
    }
  }
  if (auto s = write_case_columns(db, f, repeats); !s) return s;
  const std::int32_t month = domain::month_number(f.filed_at);
  for (SliceId s : domain::rollup_slices(f)) {
    if (auto ok = apply(db, s, month, domain::rollup_contribution(f, repeats, s)); !ok) return ok;
  }
  return {};
}

domain::Status update_rollup(Connection& db, const CaseFacts& before, const CaseFacts& after,
                             CategorySet repeats) {
  if (domain::overdue_from(before) != domain::overdue_from(after) ||
      before.categories != after.categories ||
      before.responsible_org_id != after.responsible_org_id) {
    if (auto s = write_case_columns(db, after, repeats); !s) return s;
  }
  return apply_change(db, before, repeats, after, repeats);
}

domain::Result<std::int64_t> rebuild_stats_rollup(Connection& db) {
  if (auto s = db.exec("DELETE FROM stats_rollup"); !s) return fail(s.error());
  domain::RollupCells cells;
  domain::RepeatTracker tracker;
  std::int64_t n = 0;
  auto q = db.query("SELECT case_id, facts FROM case_facts ORDER BY filed_at, case_id");
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto f = facts_at(q, 0, 1);
    if (!f) return fail(f.error());
    const CategorySet repeats = tracker.next(*f);
    if (auto s = write_case_columns(db, *f, repeats); !s) return fail(s.error());
    domain::add_to_rollup(cells, *f, repeats);
    ++n;
  }
  for (const auto& [at, cell] : cells) {
    for (int part = 0; part < kRollupParts; ++part) {
      if (part_empty(part, cell)) continue;
      auto w =
          db.query("INSERT INTO stats_rollup (slice, month, part, data) VALUES (?1, ?2, ?3, ?4)");
      w.bind(1, at.first).bind(2, std::int64_t{at.second}).bind(3, std::int64_t{part});
      if (auto s = w.bind_blob(4, encode_rollup_part(part, cell)).run(); !s) return fail(s.error());
    }
  }
  return n;
}

domain::Status scan_stats_rollup(Connection& db, const domain::RollupScan& scan,
                                 domain::TimePoint now,
                                 const std::function<void(SliceId, std::int32_t, const StatsCell&,
                                                          const domain::HoursRuns&)>& cell,
                                 const std::function<void(const domain::OverdueCase&)>& overdue) {
  // Each kind's range of slice numbers (rollup.hpp SliceId).
  std::string slices;
  switch (scan.slices) {
    case domain::SliceKind::kEveryCase:
      slices = "slice = 0";
      break;
    case domain::SliceKind::kCategories:
      slices = "slice BETWEEN -16 AND -1";
      break;
    case domain::SliceKind::kCompanies:
      slices = "(slice > 0 OR slice = " + std::to_string(domain::kTriageSlice) + ")";
      break;
    case domain::SliceKind::kSites:
      slices = "slice BETWEEN " + std::to_string(domain::kSiteSlices) + " AND " +
               std::to_string(domain::kLastSiteSlice - 1);
      break;
  }
  // From the covering index alone (case_facts_by_overdue): no facts decoded. Named: with a
  // window, the planner took the filing-time index instead once the index gained site_id (every
  // case of the window looked up in the table: the dashboard's default question 33 -> 140 ms).
  std::string sql =
      "SELECT case_id, filed_at, categories, responsible_org_id, site_id, cell_key FROM case_facts "
      "INDEXED BY case_facts_by_overdue WHERE overdue_at IS NOT NULL AND overdue_at < ?1";
  if (scan.first_month) sql += " AND filed_at >= ?2";
  if (scan.last_month) sql += " AND filed_at < ?3";
  auto o = db.query(sql);
  o.bind(1, encode_time(now));
  if (scan.first_month) o.bind(2, encode_time(month_start(*scan.first_month)));
  if (scan.last_month) o.bind(3, encode_time(month_start(*scan.last_month + 1)));
  for (;;) {
    auto row = o.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    overdue(domain::OverdueCase{o.int64(0), decode_time(o.int64(1)),
                                static_cast<CategorySet>(o.int64(2)), o.optional_int64(3),
                                o.optional_int64(4), static_cast<std::uint32_t>(o.int64(5))});
  }

  // RollupScan::order: the primary key's order, or sorted by time first.
  const char* order = scan.order == domain::RollupScan::Order::kMonthSlice ? "month, slice, part"
                      : scan.order == domain::RollupScan::Order::kQuarterSlice
                          ? "month / 3, slice, month, part"
                          : "slice, month, part";
  auto q = db.query(std::string("SELECT slice, month, part, data FROM stats_rollup WHERE ") +
                    slices + " AND month BETWEEN ?1 AND ?2 ORDER BY " + order);
  q.bind(1, std::int64_t{scan.first_month.value_or(0)});
  q.bind(2, std::int64_t{scan.last_month.value_or(1 << 30)});
  std::optional<std::pair<SliceId, std::int32_t>> at;
  StatsCell current;
  domain::HoursRuns runs;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::pair<SliceId, std::int32_t> here{q.int64(0), static_cast<std::int32_t>(q.int64(1))};
    if (at && *at != here) {
      cell(at->first, at->second, current, runs);
      current = StatsCell{};
      for (auto& r : runs) r.clear();
    }
    at = here;
    if (!decode_rollup_part(static_cast<int>(q.int64(2)), q.blob_view(3), current, runs)) {
      return fail(damaged());
    }
  }
  if (at) cell(at->first, at->second, current, runs);
  return {};
}

}  // namespace grievance::storage
