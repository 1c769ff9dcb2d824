// Disclosure control for statistics (issue 11 item 2; docs/domain.md "Statistics"; SPEC section
// 5): a count of one case at one site in one month can name the worker who complained, and a
// live table invites differencing - the same question asked with and without one site.
//
// The cell-key method of the statistical offices' interactive tables (ABS TableBuilder,
// Destatis/Eurostat "cell key method"): every case carries a fixed random 32-bit key; every
// published count is a cell whose key is the sum of its cases' keys modulo 2^32; the cell's
// noise is read from a published table (kPTable) at the row of its count and the column its key
// selects. So the same cases always give the same answer (asking again averages nothing away),
// and two overlapping cells that differ by one case have unrelated keys, so their difference is
// noise, not a person. On top of it, counts below k are shown as "fewer than k", and tables
// finer than a configured detail are refused.
//
// Pure functions of their inputs; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "server/domain/ports/crypto.hpp"
#include "server/domain/result.hpp"
#include "server/domain/stats/dimensions.hpp"

namespace grievance::domain {

// kExact: the operator, and an organisation over its own cases (it knows them already).
// kProtected: everyone else - auditors, the public register, exports for them.
enum class Protection { kExact, kProtected };

struct DisclosureConfig {
  // Counts below k are published as "fewer than k" (never a number). REQUIRES: k >= 1.
  int k = 5;
  // The finest table a protected reader may ask for, as the sum of detail_weight() over the
  // dimensions it is grouped or filtered by (site 2, company 1, month 1; a date range shorter
  // than kShortRangeDays counts as a month). 2 allows site, or company x month, and refuses
  // site x month, site x company and a site filter with a month.
  int max_detail = 2;
};

inline constexpr int kShortRangeDays = 92;

// A published count: a number, or "fewer than k" - a distinct value, never a number.
struct Count {
  std::optional<std::int64_t> value;  // nullopt: fewer than k
  bool fewer_than_k() const { return !value.has_value(); }
  static Count of(std::int64_t n) { return Count{n}; }
  static Count fewer() { return Count{}; }
  bool operator==(const Count&) const = default;
};

// The cases behind one count: how many, and the sum of their cell keys modulo 2^32 (unsigned
// arithmetic wraps; the sum is additive, so stored aggregates can keep it).
struct Tally {
  std::int64_t n = 0;
  std::uint32_t key = 0;
  void add(std::uint32_t case_key) {
    ++n;
    key += case_key;
  }
  bool operator==(const Tally&) const = default;
};

// ---- the published perturbation table ----------------------------------------------------
// Row r is for counts r + 1 (the last row for every larger count); the cell key picks one of
// kPTableColumns equally likely columns: column = floor(key * kPTableColumns / 2^32). Each
// entry is the noise added to the count.
//  - counts >= 3: noise -2, -1, 0, +1, +2 with probabilities 1/12, 2/12, 6/12, 2/12, 1/12:
//    mean 0, variance (4 + 2 + 2 + 4) / 12 = 1, largest noise D = 2;
//  - counts 1 and 2: never perturbed to zero or below (a non-empty cell never looks empty):
//    count 1 gets 0, +1, +2 with 6/12, 4/12, 2/12 (mean +2/3); count 2 gets -1, 0, +1, +2 with
//    3/12, 6/12, 2/12, 1/12 (mean +1/12).
// Zero stays zero (an empty cell names no one). Changing the table changes every published
// figure: it is a parameter of the mechanism, documented in docs/domain.md "Statistics".
inline constexpr int kPTableColumns = 12;
inline constexpr int kMaxNoise = 2;
inline constexpr std::array<std::array<std::int8_t, kPTableColumns>, 3> kPTable{{
    {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2},
    {-1, -1, -1, 0, 0, 0, 0, 0, 0, 1, 1, 2},
    {-2, -1, -1, 0, 0, 0, 0, 0, 0, 1, 1, 2},
}};

// The noise the table gives a cell of `n` cases with key `cell_key` (0 when n is 0).
int cell_noise(std::int64_t n, std::uint32_t cell_key);

// The count as `protection` publishes it: exact; or the perturbed count, "fewer than k" when
// the count or its perturbed value is below k (zero stays zero).
Count publish(const Tally& t, Protection protection, const DisclosureConfig& config);

// How much a dimension narrows a table (see DisclosureConfig::max_detail).
int detail_weight(StatsDimension d);

// A case's fixed key, drawn once at filing from the CSPRNG.
std::uint32_t draw_cell_key(RandomSource& random);

// The configuration is usable: k >= 1, max_detail >= 0 (invalid_field naming the setting).
Status check_disclosure_config(const DisclosureConfig& config);

}  // namespace grievance::domain
