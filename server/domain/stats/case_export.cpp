#include "server/domain/stats/case_export.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace grievance::domain {
namespace {

constexpr std::int64_t kHiddenSite = -2;
constexpr std::int64_t kNoSite = -1;
constexpr double kSecondsPerDay = 86400.0;

std::string period_of(TimePoint t, bool year_only) {
  const Date d{std::chrono::floor<std::chrono::days>(t)};
  char buf[16];
  if (year_only) {
    std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(d.year()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()));
  }
  return buf;
}

std::string categories_of(CategorySet set) {
  std::string out;
  for (Category c : all_categories()) {
    if (!(set & category_bit(c))) continue;
    if (!out.empty()) out += ';';
    out += to_string(c);
  }
  return out;
}

}  // namespace

std::string_view to_string(Coarsening c) {
  switch (c) {
    case Coarsening::kNone:
      return "none";
    case Coarsening::kSiteHidden:
      return "site_hidden";
    case Coarsening::kYearOnly:
      return "year_only";
    case Coarsening::kCategoriesHidden:
      return "categories_hidden";
  }
  return "none";
}

const std::vector<std::string>& case_export_columns() {
  static const std::vector<std::string> columns = {"id",
                                                   "period",
                                                   "site",
                                                   "company",
                                                   "sector",
                                                   "country",
                                                   "categories",
                                                   "channel",
                                                   "status",
                                                   "outcome",
                                                   "days_to_acknowledgement",
                                                   "days_to_first_response",
                                                   "days_to_resolution",
                                                   "satisfaction",
                                                   "coarsening"};
  return columns;
}

CaseExport::CaseExport(StatsQuery query, Protection protection, const DisclosureConfig& config)
    : query_(std::move(query)), protection_(protection), config_(config) {}

CaseExport::Key CaseExport::finest_key(const CaseFacts& f) {
  const Date d{std::chrono::floor<std::chrono::days>(f.filed_at)};
  return Key{f.site_id.value_or(kNoSite),
             static_cast<int>(d.year()) * 100 + static_cast<int>(static_cast<unsigned>(d.month())),
             f.categories};
}

CaseExport::Key CaseExport::coarsen(const Key& finest, Coarsening level) {
  auto [site, period, categories] = finest;
  if (level != Coarsening::kNone) site = kHiddenSite;
  if (level == Coarsening::kYearOnly || level == Coarsening::kCategoriesHidden) {
    period = period / 100 * 100;
  }
  if (level == Coarsening::kCategoriesHidden) categories = 0;
  return Key{site, period, categories};
}

void CaseExport::count(const CaseFacts& f) {
  if (protection_ == Protection::kExact || !stats_selects(query_, f)) return;
  ++counts_[0][finest_key(f)];
}

void CaseExport::settle() {
  settled_ = true;
  // What a level does not publish goes, coarsened, to the next: each level counts its own.
  for (std::size_t l = 1; l < kCoarseningLevels; ++l) {
    for (const auto& [key, n] : counts_[l - 1]) {
      if (n >= config_.k) continue;
      counts_[l][coarsen(key, static_cast<Coarsening>(l))] += n;
    }
  }
}

std::optional<CaseExportRow> CaseExport::row(const CaseFacts& f, std::string pseudonym) {
  if (!stats_selects(query_, f)) return std::nullopt;
  Coarsening level = Coarsening::kNone;
  if (protection_ == Protection::kProtected) {
    if (!settled_) settle();
    // The finest level whose published group has at least k cases (the levels before it
    // passed the case on: its group there was smaller than k).
    const Key finest = finest_key(f);
    std::optional<Coarsening> found;
    for (std::size_t l = 0; l < kCoarseningLevels && !found; ++l) {
      const auto it = counts_[l].find(coarsen(finest, static_cast<Coarsening>(l)));
      if (it == counts_[l].end()) break;  // a case pass 1 did not count: publish nothing
      if (it->second >= config_.k) found = static_cast<Coarsening>(l);
    }
    if (!found) return std::nullopt;
    level = *found;
  }
  CaseExportRow r;
  r.id = std::move(pseudonym);
  r.coarsening = level;
  const bool site_hidden = level != Coarsening::kNone;
  const bool year_only = level == Coarsening::kYearOnly || level == Coarsening::kCategoriesHidden;
  r.period = period_of(f.filed_at, year_only);
  r.site = site_hidden ? "*" : f.site_id ? std::to_string(*f.site_id) : std::string(kNoValue);
  r.company = f.responsible_org_id ? std::to_string(*f.responsible_org_id) : std::string(kNoValue);
  r.sector = f.sector ? std::string(to_string(*f.sector)) : std::string(kNoValue);
  r.country = f.country.empty() ? std::string(kNoValue) : f.country;
  r.categories = level == Coarsening::kCategoriesHidden ? "*" : categories_of(f.categories);
  r.channel = std::string(to_string(f.channel));
  r.status = std::string(to_string(f.status));
  if (f.outcome) r.outcome = std::string(to_string(*f.outcome));
  const auto days = [this](const std::optional<std::int64_t>& seconds) -> std::optional<double> {
    if (!seconds) return std::nullopt;
    const double d = static_cast<double>(*seconds) / kSecondsPerDay;
    // A protected reader gets whole days: no second-exact timestamps to match against.
    return protection_ == Protection::kProtected ? std::round(d) : std::round(d * 10.0) / 10.0;
  };
  r.days_to_acknowledgement = days(f.ack_seconds);
  r.days_to_first_response = days(f.first_response_seconds);
  r.days_to_resolution = days(f.resolution_seconds);
  r.satisfaction = f.satisfaction;
  return r;
}

}  // namespace grievance::domain
