#include "server/domain/stats_service.hpp"

#include <chrono>

namespace grievance::domain {

bool may_read_stats(Role r) {
  return r == Role::kAdmin || r == Role::kCompany || r == Role::kUnion || r == Role::kAuditor;
}

StatsService::StatsService(CaseStore& cases, DirectoryStore& directory, const Clock& clock,
                           const DisclosureConfig& config)
    : cases_(cases), directory_(directory), clock_(clock), config_(config) {}

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
  StatsBuilder builder(*q, clock_.now());
  if (auto ok =
          cases_.scan_facts(facts_scan_for(*q), [&builder](const CaseFacts& f) { builder.add(f); });
      !ok) {
    return fail(ok.error());
  }
  return builder.finish(protection_for(s.role), config_);
}

FactsScan facts_scan_for(const StatsQuery& q) {
  using std::chrono::days;
  FactsScan scan;
  scan.party_org_id = q.scope_party_org_id ? q.scope_party_org_id : q.company_org_id;
  scan.union_org_id = q.scope_union_org_id;
  scan.site_id = q.site_id;
  if (q.from) scan.filed_from = TimePoint(std::chrono::sys_days(*q.from)) - days(kRecurrenceDays);
  if (q.to) scan.filed_before = TimePoint(std::chrono::sys_days(*q.to) + days(1));
  return scan;
}

}  // namespace grievance::domain
