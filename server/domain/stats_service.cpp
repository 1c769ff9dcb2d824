#include "server/domain/stats_service.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <vector>

namespace grievance::domain {

bool may_read_stats(Role r) {
  return r == Role::kAdmin || r == Role::kCompany || r == Role::kUnion || r == Role::kAuditor;
}

bool may_export_stats(Role r) { return r == Role::kAdmin || r == Role::kAuditor; }

StatsService::StatsService(CaseStore& cases, DirectoryStore& directory, const Crypto& crypto,
                           const Clock& clock, const DisclosureConfig& config)
    : cases_(cases), directory_(directory), crypto_(crypto), clock_(clock), config_(config) {}

namespace {

// The threads that count a question over up to every case (CaseStore::scan_facts_shared): two,
// the cores of the smallest machine it runs on (docs/operations.md "Benchmarks"), so a question
// over a million cases takes both while another request's thread still gets its turn.
constexpr std::size_t kScanThreads = 2;

}  // namespace

Protection StatsService::protection_for(Role r) {
  return r == Role::kAuditor ? Protection::kProtected : Protection::kExact;
}

Result<StatsQuery> StatsService::scoped_query(const Session& s, const StatsRequest& r) const {
  if (!may_read_stats(s.role)) return fail(Error::forbidden("This role has no statistics."));
  auto q = parse_stats_query(r);
  if (!q) return fail(q.error());
  if (s.role == Role::kCompany) {
    if (!s.org_id) return fail(Error::forbidden("This account has no company."));
    q->scope_party_org_id = s.org_id;
  } else if (s.role == Role::kUnion) {
    if (!s.org_id) return fail(Error::forbidden("This account has no union."));
    q->scope_union_org_id = s.org_id;
  }
  if (auto ok = check_detail(*q, protection_for(s.role), config_, clock_.now()); !ok) {
    return fail(ok.error());
  }
  return q;
}

Result<StatsNames> StatsService::names(const Session& s) const {
  if (!may_read_stats(s.role)) return fail(Error::forbidden("This role has no statistics."));
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  StatsNames out;
  for (const Organisation& o : (*directory)->organisations()) {  // listed by name
    if (o.kind != OrgKind::kCompany) continue;
    out.organisations.emplace(o.id, o.name);
    if (s.role != Role::kCompany) out.companies.emplace_back(o.id, o.name);
  }
  for (const Site& site : (*directory)->sites()) out.sites.emplace(site.id, site.name);
  return out;
}

Result<StatsTable> StatsService::table(const Session& s, const StatsRequest& r) const {
  auto q = scoped_query(s, r);
  if (!q) return fail(q.error());
  return answer(*q, protection_for(s.role));
}

Status StatsService::table_rows(const Session& s, const StatsRequest& r, StatsRowSink& sink) const {
  auto q = scoped_query(s, r);
  if (!q) return fail(q.error());
  const Protection protection = protection_for(s.role);
  if (counts_every_case(*q)) {
    auto builder = counted(*q);
    if (!builder) return fail(builder.error());
    builder->finish_rows(protection, config_, sink);
    return {};
  }
  if (const auto plan = rollup_plan(*q, clock_.now())) {
    // By site and month: fifty thousand rows, handed out as their cells are read.
    RollupTable rollup(*q, *plan);
    if (!rollup.streams()) {
      if (auto ok = fill(rollup, *plan); !ok) return fail(ok.error());
      rollup.finish_rows(protection, config_, sink);
      return {};
    }
    rollup.stream_to(protection, config_, sink);
    if (auto ok = fill(rollup, *plan); !ok) return fail(ok.error());
    rollup.end_stream();
    return {};
  }
  auto table = answer(*q, protection);  // a scope's cases: a few thousand
  if (!table) return fail(table.error());
  sink.begin(*table);
  for (StatsRow& row : table->rows) {
    if (!sink.row(row)) break;
  }
  return {};
}

bool StatsService::counts_every_case(const StatsQuery& q) const {
  return !rollup_plan(q, clock_.now()) && recurrence_for(q) == Recurrence::kStoredRepeats;
}

Result<StatsTable> StatsService::answer(const StatsQuery& q, Protection protection) const {
  const TimePoint now = clock_.now();
  if (const auto plan = rollup_plan(q, now)) {
    RollupTable rollup(q, *plan);
    if (auto ok = fill(rollup, *plan); !ok) return fail(ok.error());
    return rollup.finish(protection, config_);
  }
  const Recurrence recurrence = recurrence_for(q);
  if (recurrence == Recurrence::kAmongCasesGiven) {
    // A company's or a union's cases: a few thousand, and an answer that depends on their order.
    StatsBuilder builder(q, now, recurrence);
    if (auto ok = cases_.scan_facts(facts_scan_for(q),
                                    [&builder](const CaseFacts& f) { builder.add(f); });
        !ok) {
      return fail(ok.error());
    }
    return builder.finish(protection, config_);
  }
  auto builder = counted(q);
  if (!builder) return fail(builder.error());
  return builder->finish(protection, config_);
}

Status StatsService::fill(RollupTable& rollup, const RollupScan& plan) const {
  // docs/domain.md "Rollups": the same table from the cells kept per month and slice.
  return cases_.scan_rollup(
      plan, clock_.now(),
      [&rollup](SliceId slice, std::int32_t month, const StatsCell& cell, const HoursRuns& hours) {
        rollup.add_cell(slice, month, cell, hours);
      },
      [&rollup](const OverdueCase& c) { rollup.add_overdue(c); });
}

Result<StatsBuilder> StatsService::counted(const StatsQuery& q) const {
  // Up to every case: counted on kScanThreads threads, a builder each, then put together.
  const TimePoint now = clock_.now();
  std::vector<StatsBuilder> builders;
  std::vector<std::function<void(const CaseFacts&)>> each;
  builders.reserve(kScanThreads);
  for (std::size_t i = 0; i < kScanThreads; ++i) {
    builders.emplace_back(q, now, Recurrence::kStoredRepeats);
  }
  for (StatsBuilder& b : builders) each.emplace_back([&b](const CaseFacts& f) { b.add(f); });
  // Grouped by site (by site and month: fifty thousand groups), each builder takes the cases of
  // its own sites: it holds half the groups, and merging moves them instead of adding them up.
  FactsScan scan = facts_scan_for(q);
  scan.split_by_site =
      std::find(q.group_by.begin(), q.group_by.end(), StatsDimension::kSite) != q.group_by.end();
  // A category filter read from the indexed column: the other cases are not decoded (their
  // repeats are stored, so nothing looks back to them).
  if (q.category) scan.any_category = category_bit(*q.category);
  if (auto ok = cases_.scan_facts_shared(scan, each); !ok) return fail(ok.error());
  for (std::size_t i = 1; i < builders.size(); ++i) builders[0].merge(std::move(builders[i]));
  return std::move(builders[0]);
}

Status StatsService::export_cases(const Session& s, const StatsRequest& r,
                                  CaseExportSink& sink) const {
  if (!may_export_stats(s.role)) {
    return fail(Error::forbidden("Exports are for auditors and the operator."));
  }
  if (!r.group_by.empty()) {
    return fail(Error::invalid_field("group_by", "A case export has one row per case."));
  }
  auto q = scoped_query(s, r);
  if (!q) return fail(q.error());
  const Protection protection = protection_for(s.role);
  CaseExport plan(*q, protection, config_);
  const FactsScan scan = facts_scan_for(*q);
  if (protection == Protection::kProtected) {
    if (auto ok = cases_.scan_facts(scan, [&plan](const CaseFacts& f) { plan.count(f); }); !ok) {
      return fail(ok.error());
    }
  }
  if (!sink.begin(protection, config_.k)) return {};
  // The pseudonyms of one organisation's exports: stable for it, unlinkable for another.
  const std::string series =
      "case export\n" + (s.org_id ? "org " + std::to_string(*s.org_id) : std::string("operator"));
  bool going = true;
  return cases_.scan_facts(scan, [&](const CaseFacts& f) {
    if (!going) return;
    // 64 bits of a keyed hash: unguessable without the server's key, and of a fixed length
    // whatever form the HMAC comes in.
    const std::string mac = crypto_.hmac_hex(series + "\n" + std::to_string(f.case_id));
    auto row = plan.row(f, crypto_.sha256_hex(mac).substr(0, 16));
    if (row) going = sink.row(*row);
  });
}

Result<AnnualDisclosure> StatsService::annual_disclosure(const Session& s, std::string_view year,
                                                         std::string_view company) const {
  std::int64_t org = 0;
  if (s.role == Role::kCompany && s.org_id) {
    org = *s.org_id;
    if (!company.empty() && company != std::to_string(org)) {
      return fail(Error::invalid_field("company", "A company reports on its own cases."));
    }
  } else if (s.role == Role::kAdmin) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(company.data(), company.data() + company.size(), id);
    if (company.empty() || ec != std::errc() || end != company.data() + company.size() || id <= 0) {
      return fail(Error::invalid_field("company", "Which company: its id."));
    }
    org = id;
  } else {
    return fail(Error::forbidden("The annual disclosure is a company's own report."));
  }
  int y = 0;
  const auto [yend, yec] = std::from_chars(year.data(), year.data() + year.size(), y);
  if (year.size() != 4 || yec != std::errc() || yend != year.data() + year.size() || y < 2000 ||
      y > 9999) {
    return fail(Error::invalid_field("year", "Must be a year such as 2026."));
  }
  StatsRequest r;
  r.from = std::string(year) + "-01-01";
  r.to = std::string(year) + "-12-31";
  auto q = parse_stats_query(r);
  if (!q) return fail(q.error());
  q->scope_party_org_id = org;
  AnnualDisclosure d;
  d.company_org_id = org;
  d.year = y;
  const CategorySet discrimination =
      category_bit(Category::kDiscrimination) | category_bit(Category::kHarassment);
  const CategorySet severe =
      category_bit(Category::kForcedLabour) | category_bit(Category::kChildLabour);
  StatsBuilder builder(*q, clock_.now());
  if (auto ok = cases_.scan_facts(facts_scan_for(*q),
                                  [&](const CaseFacts& f) {
                                    builder.add(f);
                                    if (!stats_selects(*q, f)) return;
                                    ++d.complaints_filed;
                                    if (f.categories & discrimination) {
                                      ++d.discrimination_or_harassment;
                                    }
                                    if (!(f.categories & severe)) return;
                                    ++d.severe_cases;
                                    if (f.outcome == Outcome::kRemedyAccepted ||
                                        f.outcome == Outcome::kRemedyPartlyAccepted) {
                                      ++d.severe_cases_remedied;
                                    }
                                  });
      !ok) {
    return fail(ok.error());
  }
  auto table = builder.finish(Protection::kExact, config_);
  if (!table.rows.empty()) d.figures = table.rows.front();
  return d;
}

Result<StatsTable> StatsService::public_headline(std::optional<int> year) const {
  StatsQuery q;
  if (year) {
    q.from = std::chrono::year{*year} / std::chrono::January / 1;
    q.to = std::chrono::year{*year} / std::chrono::December / 31;
  }
  return answer(q, Protection::kProtected);  // every case, whole months: from the rollup
}

Recurrence recurrence_for(const StatsQuery& q) {
  return q.scope_party_org_id || q.scope_union_org_id ? Recurrence::kAmongCasesGiven
                                                      : Recurrence::kStoredRepeats;
}

FactsScan facts_scan_for(const StatsQuery& q) {
  using std::chrono::days;
  FactsScan scan;
  scan.party_org_id = q.scope_party_org_id ? q.scope_party_org_id : q.company_org_id;
  scan.union_org_id = q.scope_union_org_id;
  scan.site_id = q.site_id;
  const days look_back(recurrence_for(q) == Recurrence::kAmongCasesGiven ? kRecurrenceDays : 0);
  if (q.from) scan.filed_from = TimePoint(std::chrono::sys_days(*q.from)) - look_back;
  if (q.to) scan.filed_before = TimePoint(std::chrono::sys_days(*q.to) + days(1));
  return scan;
}

}  // namespace grievance::domain
