#include "server/domain/stats/stats_cell.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "server/domain/lifecycle.hpp"

namespace grievance::domain {
namespace {

constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::size_t kMaxTallies = 64;  // for_each_tally gives 44

std::size_t index_of(Outcome o) {
  const auto all = all_outcomes();
  return static_cast<std::size_t>(std::find(all.begin(), all.end(), o) - all.begin());
}

void add_tally(Tally& into, const Tally& t, int sign) {
  into.n += sign * t.n;
  into.key = sign > 0 ? into.key + t.key : into.key - t.key;  // modulo 2^32 either way
}

}  // namespace

// A duration is never negative, but a clock set back must not round towards zero into the
// wrong bucket.
std::int64_t hours_of(std::int64_t seconds) {
  return seconds >= 0 ? seconds / kSecondsPerHour
                      : -((-seconds + kSecondsPerHour - 1) / kSecondsPerHour);
}

std::map<std::int64_t, std::int64_t> histogram_of(std::vector<std::int64_t> hours) {
  std::sort(hours.begin(), hours.end());
  std::map<std::int64_t, std::int64_t> out;
  for (std::size_t i = 0; i < hours.size();) {
    std::size_t j = i;
    while (j < hours.size() && hours[j] == hours[i]) ++j;
    out.emplace_hint(out.end(), hours[i], static_cast<std::int64_t>(j - i));
    i = j;
  }
  return out;
}

void StatsCell::add(const CaseFacts& f, bool is_recurrent, bool with_hours) {
  const std::uint32_t key = f.cell_key;
  registered.add(key);
  by_channel[static_cast<std::size_t>(f.channel)].add(key);
  by_kind[static_cast<std::size_t>(f.kind)].add(key);
  if (f.kind == ComplainantKind::kCollective) headcount += f.headcount;
  if (is_open(f.status)) open.add(key);
  if (f.ack_seconds || f.ack_breached) ack_decided.add(key);
  if (f.ack_seconds && !f.ack_late) ack_in_time.add(key);
  const std::array<const std::optional<std::int64_t>*, kStepCount> steps{
      &f.ack_seconds, &f.first_response_seconds, &f.resolution_seconds};
  for (std::size_t i = 0; i < kStepCount; ++i) {
    if (!*steps[i]) continue;
    reached[i].add(key);
    if (with_hours) ++hours[i][hours_of(**steps[i])];
  }
  if (f.outcome) by_outcome[index_of(*f.outcome)].add(key);
  if (f.escalated) escalated.add(key);
  if (f.appealed) appealed.add(key);
  if (f.appealed && f.appeal_result == AppealResult::kUpheld) appeal_upheld.add(key);
  if (f.appealed && f.appeal_result == AppealResult::kReopened) appeal_reopened.add(key);
  if (f.status == CaseStatus::kWithdrawn) withdrawn.add(key);
  if (f.remedy_accepted) (*f.remedy_accepted ? accepted : refused).add(key);
  if (f.satisfaction) {
    scored.add(key);
    satisfaction[static_cast<std::size_t>(*f.satisfaction - 1)].add(key);
    satisfaction_sum += *f.satisfaction;
  }
  if (f.actions_confirmed > 0) confirmed.add(key);
  if (f.actions_disputed > 0) disputed.add(key);
  if (f.follow_up_asked) follow_up_asked.add(key);
  if (f.remedy_held) held[static_cast<std::size_t>(*f.remedy_held)].add(key);
  if (f.retaliation_reports > 0) retaliation.add(key);
  if (f.settled_ever) settled.add(key);
  if (f.reopened) reopened.add(key);
  if (is_recurrent && f.site_id) recurrent[*f.site_id].add(key);
}

void StatsCell::merge(const StatsCell& other, int sign, bool with_hours) {
  // Walk both cells' tallies side by side: the visitor gives them in the same order. On the
  // stack: a table of tens of thousands of groups merges as many cells (StatsBuilder::merge).
  std::array<Tally, kMaxTallies> theirs;
  std::array<std::int64_t, 2> sums{};
  std::size_t i = 0, j = 0;
  for_each_tally(
      other, [&theirs, &i](const Tally& t) { theirs.at(i++) = t; },
      [&sums, &j](std::int64_t s) { sums.at(j++) = s; });
  i = 0, j = 0;
  for_each_tally(
      *this, [&](Tally& t) { add_tally(t, theirs[i++], sign); },
      [&](std::int64_t& s) { s += sign * sums[j++]; });
  for (std::size_t step = 0; step < kStepCount && with_hours; ++step) {
    for (const auto& [h, n] : other.hours[step]) {
      auto it = hours[step].try_emplace(h, 0).first;
      it->second += sign * n;
      if (it->second == 0) hours[step].erase(it);
    }
  }
  for (const auto& [site, t] : other.recurrent) {
    auto it = recurrent.try_emplace(site).first;
    add_tally(it->second, t, sign);
    if (it->second.n == 0) recurrent.erase(it);
  }
}

namespace {

// The quantiles of n values from the value at a 0-based rank (`at`, asked for ranks in
// increasing order): the one definition both forms share.
template <class At>
std::pair<double, double> quantile_days(std::int64_t n, At&& at) {
  const auto rank = static_cast<std::int64_t>(std::ceil(0.9 * static_cast<double>(n)));
  const std::int64_t p90_rank = std::max<std::int64_t>(rank, 1) - 1;
  double median = at(n % 2 == 1 ? n / 2 : n / 2 - 1);
  if (n % 2 == 0) median = (median + at(n / 2)) / 2.0;
  const double p90 = at(p90_rank);  // never a lower rank than the median's
  return {median / 24.0, p90 / 24.0};
}

}  // namespace

std::optional<std::pair<double, double>> median_and_p90_days(
    const std::map<std::int64_t, std::int64_t>& hours) {
  std::int64_t n = 0;
  for (const auto& [h, c] : hours) n += c;
  if (n <= 0) return std::nullopt;
  // The value at 0-based rank r: walk the cumulative counts.
  return quantile_days(n, [&hours](std::int64_t r) {
    std::int64_t seen = 0;
    for (const auto& [h, c] : hours) {
      seen += c;
      if (r < seen) return static_cast<double>(h);
    }
    return static_cast<double>(hours.rbegin()->first);
  });
}

std::optional<std::pair<double, double>> median_and_p90_days_of(std::span<std::int64_t> hours) {
  const auto n = static_cast<std::int64_t>(hours.size());
  if (n == 0) return std::nullopt;
  // Ranks come in increasing order: each selection leaves every smaller value before it, so
  // the next one only searches what follows.
  std::int64_t sorted_to = 0;  // hours[0, sorted_to): the smallest values, the last in place
  return quantile_days(n, [&hours, &sorted_to](std::int64_t r) {
    const auto at = hours.begin() + r;
    if (r >= sorted_to) {
      std::nth_element(hours.begin() + sorted_to, at, hours.end());
      sorted_to = r + 1;
    }
    return static_cast<double>(*at);
  });
}

std::optional<std::pair<double, double>> median_and_p90_days_of_runs(
    std::span<const std::pair<std::int64_t, std::int64_t>> sorted) {
  std::int64_t n = 0;
  for (const auto& [h, c] : sorted) n += c;
  if (n <= 0) return std::nullopt;
  // Ranks come in increasing order: the walk goes on from where the last one stopped.
  std::size_t at = 0;
  std::int64_t before = 0;  // cases before sorted[at]
  return quantile_days(n, [&](std::int64_t r) {
    while (at + 1 < sorted.size() && r >= before + sorted[at].second) {
      before += sorted[at].second;
      ++at;
    }
    return static_cast<double>(sorted[at].first);
  });
}

StepDays step_days(const StatsCell& cell) {
  StepDays out;
  for (std::size_t i = 0; i < kStepCount; ++i) out[i] = median_and_p90_days(cell.hours[i]);
  return out;
}

}  // namespace grievance::domain
