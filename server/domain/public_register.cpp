#include "server/domain/public_register.hpp"

#include <algorithm>
#include <unordered_map>

#include "server/domain/validation.hpp"

namespace grievance::domain {
namespace {

std::optional<std::int64_t> parse_positive(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? std::optional(v) : std::nullopt;
}

// Settled and still so: the day it was settled is the day the register says it was closed.
bool stays_settled(CaseStatus s) {
  return s == CaseStatus::kClosed || s == CaseStatus::kRejected || s == CaseStatus::kWithdrawn ||
         s == CaseStatus::kEscalated;
}

}  // namespace

bool listed_in_register(std::span<const CaseEvent> events) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->type == EventType::kRegisterConsent) return it->detail == kRegisterGiven;
  }
  return false;
}

PublicRegister::PublicRegister(CaseStore& cases, DirectoryStore& directory,
                               const StatsService& stats, const Clock& clock,
                               const DisclosureConfig& config)
    : cases_(cases), directory_(directory), stats_(stats), clock_(clock), config_(config) {}

Result<RegisterPage> PublicRegister::page(const RegisterRequest& r) const {
  RegisterQuery q;
  if (!r.company.empty()) {
    q.company_org_id = parse_positive(r.company);
    if (!q.company_org_id) return fail(Error::invalid_field("company", "Must be a company's id."));
  }
  if (!r.country.empty()) {
    if (!is_country_code(r.country)) {
      return fail(Error::invalid_field("country", "Must be a two-letter country code."));
    }
    q.country = r.country;
  }
  if (!r.sector.empty()) {
    q.sector = parse_sector(r.sector);
    if (!q.sector) return fail(Error::invalid_field("sector", "Not a sector."));
  }
  RegisterPage out;
  out.k = config_.k;
  if (!r.page.empty()) {
    const auto n = parse_positive(r.page);
    if (!n || *n > 100000) return fail(Error::invalid_field("page", "Must be a page number."));
    out.page = static_cast<int>(*n);
  }
  q.offset = (out.page - 1) * kRegisterPageSize;
  q.limit = kRegisterPageSize + 1;  // one more tells whether there is a next page

  // The headline: every case, protected exactly as an auditor reads it.
  const auto today =
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock_.now()));
  out.year = static_cast<int>(today.year());
  auto total = stats_.public_headline(std::nullopt);
  if (!total) return fail(total.error());
  auto year = stats_.public_headline(out.year);
  if (!year) return fail(year.error());
  out.total = *std::move(total);
  out.this_year = *std::move(year);

  auto cases = cases_.list_register(q);
  if (!cases) return fail(cases.error());
  if (static_cast<int>(cases->size()) > kRegisterPageSize) {
    cases->resize(kRegisterPageSize);
    out.has_next = true;
  }
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  // How many cases in all were filed about each site of the page: a site is named only at k.
  std::unordered_map<std::int64_t, std::int64_t> site_cases;
  for (const Case& c : *cases) {
    if (!c.complaint.site_id || site_cases.contains(*c.complaint.site_id)) continue;
    std::int64_t n = 0;
    FactsScan scan;
    scan.site_id = c.complaint.site_id;
    if (auto ok = cases_.scan_facts(scan, [&n](const CaseFacts&) { ++n; }); !ok) {
      return fail(ok.error());
    }
    site_cases.emplace(*c.complaint.site_id, n);
  }
  for (const Case& c : *cases) {
    RegisterEntry e;
    e.reference = c.reference;
    for (const CaseParty& p : c.parties) {
      if (p.role != PartyRole::kResponsible) continue;
      if (const Organisation* o = (*directory)->organisation(p.org_id)) e.company = o->name;
    }
    e.country = c.complaint.country;
    e.categories = c.complaint.categories;
    e.status = c.status;
    const std::chrono::year_month_day filed(std::chrono::floor<std::chrono::days>(c.created_at));
    e.filed = filed.year() / filed.month();
    if (c.settled_at && stays_settled(c.status)) {
      e.closed = Date(std::chrono::floor<std::chrono::days>(*c.settled_at));
    }
    e.outcome = c.outcome;
    if (c.complaint.site_id) {
      const Site* site = (*directory)->site(*c.complaint.site_id);
      if (site) e.sector = site->sector;
      if (site && site_cases[*c.complaint.site_id] >= config_.k) {
        e.site = site->name;
      } else {
        e.site_hidden = true;
      }
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace grievance::domain
