// The case-level export (issue 11 item 3; SPEC section 5; docs/domain.md "Statistics"): one row
// per case, pseudonymous and without any free text - never the narrative, a message, a contact,
// a name, an attachment or the reference. For a protected reader (the auditor) every row's
// quasi-identifiers - site, month of filing, categories - are published exactly as at least k
// rows of the export publish them (k-anonymity): the cases whose site, month and categories at
// least k cases share keep them; the others lose the site, and those of them that k still do not
// share lose the month (the year stays), then the categories; a case that is still not one of
// k is left out. Each step counts only the cases left by the step before, so a coarsened row is
// never hidden among rows that publish more.
//
// Two passes over the same cases: count() each case's quasi-identifiers, then row() each case at
// its level. Only the counts are held (one per distinct combination), never the rows, so an
// export of a million cases streams.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "server/domain/stats/case_facts.hpp"
#include "server/domain/stats/disclosure.hpp"
#include "server/domain/stats/stats.hpp"

namespace grievance::domain {

// How far a row's quasi-identifiers were coarsened.
enum class Coarsening { kNone, kSiteHidden, kYearOnly, kCategoriesHidden };
inline constexpr std::size_t kCoarseningLevels = 4;
std::string_view to_string(Coarsening c);

struct CaseExportRow {
  std::string id;          // the pseudonym (CaseExport's caller derives it)
  std::string period;      // "2026-11"; "2026" when coarsened to the year
  std::string site;        // the site's id; "none" without one; "*" hidden
  std::string company;     // the responsible company's id; "none" in triage
  std::string sector;      // wire name or "none"
  std::string country;     // ISO 3166-1 alpha-2 or "none"
  std::string categories;  // "wages;health_safety"; "*" hidden
  std::string channel, status;
  std::string outcome;  // wire name; empty when none
  // Days from filing, paused time excluded; whole days for a protected reader.
  std::optional<double> days_to_acknowledgement, days_to_first_response, days_to_resolution;
  std::optional<int> satisfaction;
  Coarsening coarsening = Coarsening::kNone;
};

// The column names, in CSV order (the JSON rows have the same keys).
const std::vector<std::string>& case_export_columns();

class CaseExport {
 public:
  // REQUIRES: `query` validated, without group_by.
  CaseExport(StatsQuery query, Protection protection, const DisclosureConfig& config);

  // Pass 1: every case of the query (others are ignored).
  void count(const CaseFacts& f);
  // Pass 2: the case's row, or nullopt when the query does not cover it (or, for a protected
  // reader, it is not one of k even at the coarsest level). `pseudonym` becomes the row's id.
  // The first call settles every case's level from the counts.
  std::optional<CaseExportRow> row(const CaseFacts& f, std::string pseudonym);

  const StatsQuery& query() const { return query_; }

 private:
  // The quasi-identifiers at one level: site (-2 hidden, -1 none), period (year * 100 + month;
  // month 0: the year only), categories (0 hidden).
  using Key = std::tuple<std::int64_t, int, CategorySet>;
  static Key coarsen(const Key& finest, Coarsening level);
  static Key finest_key(const CaseFacts& f);
  void settle();

  StatsQuery query_;
  Protection protection_;
  DisclosureConfig config_;
  // counts_[0]: every case by its finest key; counts_[l]: the cases no finer level published.
  std::array<std::map<Key, std::int64_t>, kCoarseningLevels> counts_;
  bool settled_ = false;
};

}  // namespace grievance::domain
