#include "server/domain/stats/disclosure.hpp"

#include <algorithm>
#include <span>

namespace grievance::domain {

int cell_noise(std::int64_t n, std::uint32_t cell_key) {
  if (n <= 0) return 0;
  const auto row = static_cast<std::size_t>(std::min<std::int64_t>(n, kPTable.size()) - 1);
  // The key's position in [0, 1) picks the column: the top of key * columns.
  const auto column =
      static_cast<std::size_t>((static_cast<std::uint64_t>(cell_key) * kPTableColumns) >> 32);
  return kPTable[row][column];
}

Count publish(const Tally& t, Protection protection, const DisclosureConfig& config) {
  if (protection == Protection::kExact || t.n == 0) return Count::of(t.n);
  const std::int64_t perturbed = t.n + cell_noise(t.n, t.key);
  if (t.n < config.k || perturbed < config.k) return Count::fewer();
  return Count::of(perturbed);
}

int detail_weight(StatsDimension d) {
  switch (d) {
    case StatsDimension::kSite:
      return 2;  // a site is a workplace: a few hundred people, often fewer
    case StatsDimension::kCompany:
    case StatsDimension::kMonth:
      return 1;
    default:
      return 0;
  }
}

std::uint32_t draw_cell_key(RandomSource& random) {
  std::array<std::uint8_t, 4> bytes{};
  random.fill(bytes);
  return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
         static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

Status check_disclosure_config(const DisclosureConfig& config) {
  if (config.k < 1) return fail(Error::invalid_field("k", "Must be at least 1."));
  if (config.max_detail < 0) {
    return fail(Error::invalid_field("max_detail", "Must not be negative."));
  }
  return {};
}

}  // namespace grievance::domain
