#include "server/domain/stats/dimensions.hpp"

#include <array>
#include <utility>

namespace grievance::domain {
namespace {

using D = StatsDimension;
constexpr std::array<std::pair<D, std::string_view>, 10> kNames{{
    {D::kMonth, "month"},
    {D::kQuarter, "quarter"},
    {D::kCompany, "company"},
    {D::kSite, "site"},
    {D::kSector, "sector"},
    {D::kCountry, "country"},
    {D::kCategory, "category"},
    {D::kChannel, "channel"},
    {D::kStatus, "status"},
    {D::kOutcome, "outcome"},
}};
constexpr std::array kValues = {D::kMonth,   D::kQuarter,  D::kCompany, D::kSite,   D::kSector,
                                D::kCountry, D::kCategory, D::kChannel, D::kStatus, D::kOutcome};

}  // namespace

std::string_view to_string(StatsDimension d) {
  for (const auto& [value, name] : kNames) {
    if (value == d) return name;
  }
  return "";
}

std::optional<StatsDimension> parse_stats_dimension(std::string_view s) {
  for (const auto& [value, name] : kNames) {
    if (name == s) return value;
  }
  return std::nullopt;
}

std::span<const StatsDimension> all_stats_dimensions() { return kValues; }

}  // namespace grievance::domain
