#include "server/domain/deadline_scheduler.hpp"

#include <unordered_set>

#include "server/domain/deadline_notices.hpp"

namespace grievance::domain {

namespace {
constexpr int kBatch = 200;
}

DeadlineScheduler::DeadlineScheduler(CaseStore& cases, const Clock& clock,
                                     const ServiceConfig& config)
    : cases_(cases), clock_(clock), config_(config) {}

Result<DeadlineScheduler::Run> DeadlineScheduler::run_once() {
  const TimePoint now = clock_.now();
  Run run;
  std::unordered_set<std::int64_t> skipped;  // changed meanwhile: not retried in this run
  for (;;) {
    auto due = cases_.cases_to_check(now, kBatch + static_cast<int>(skipped.size()));
    if (!due) return fail(due.error());
    int fresh = 0;
    for (const Case& listed : *due) {
      if (skipped.contains(listed.id)) continue;
      ++fresh;
      // The whole case: the write below rewrites its plan.
      auto found = cases_.find_case(listed.id);
      if (!found) return fail(found.error());
      if (!found->has_value()) continue;
      const Case& c = **found;
      auto events = owed_notice_events(c, config_, now);
      Case u = c;
      u.next_check_at = next_notice_after(c, config_, now);
      if (auto ok = cases_.update_case(u, events, c.event_count); !ok) {
        if (ok.error().code != ErrorCode::kConflict) return fail(ok.error());
        skipped.insert(c.id);
        ++run.skipped;
        continue;
      }
      ++run.cases;
      run.notices += static_cast<int>(events.size());
    }
    if (fresh == 0) break;
  }
  return run;
}

}  // namespace grievance::domain
