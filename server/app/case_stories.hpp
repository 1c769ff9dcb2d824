// The cases of a generated database (`grievance generate`, docs/operations.md "Generating a
// large database"): each case is filed and then lives its life - acknowledgement (in time or
// late), dialogue with the clock paused for the worker's answers, remedy plans accepted or
// refused, actions confirmed or disputed, closures with every outcome, rejections, escalations,
// appeals, withdrawals, reopenings, retaliation reports, the follow-up check - up to `now`.
//
// Every change is made as the Casework service makes it (casework_*.cpp): each move is checked
// against the lifecycle table (lifecycle.hpp), the case row changes as Casework changes it, and
// the deadline clock writes its reminders, breaches and follow-up checks when the scheduler
// would have (deadline_notices.hpp), so the statistics fold (stats/case_facts.hpp) reads a
// generated history exactly as it reads a real one. Pure: no store is touched; deterministic
// for a given seed.
#pragma once

#include <cstdint>
#include <random>
#include <unordered_set>
#include <vector>

#include "server/app/generated_world.hpp"
#include "server/domain/config.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/crypto.hpp"

namespace grievance::app {

struct GeneratedCase {
  // The case as its history leaves it (status, deadlines moved by pauses and triage, the clock's
  // pointer, parties...) with that whole history: what CaseStore::create_cases stores.
  domain::CaseStore::NewCase filed;
  // The same case (with its id once stored): what CaseStore::update_case then writes of its life
  // that create_cases does not (outcome, plan, satisfaction, pause, flags, follow-up...).
  domain::Case now;
  // False when there is nothing of that kind (a case just filed, acknowledged or in dialogue).
  bool changed = false;
};

// `n` filing times in [from, to), sorted: more complaints in the last months of the period (the
// mechanism becomes known), a yearly curve (before Tet and Eid, at the end of the year), after
// wage days (the first days of the month) and fewer on Sundays.
std::vector<domain::TimePoint> filing_times(std::mt19937_64& rng, std::int64_t n,
                                            domain::TimePoint from, domain::TimePoint to);

class CaseStories {
 public:
  // `world` and `crypto` must outlive this object. The deadlines are `config`'s.
  CaseStories(const World& world, const domain::ServiceConfig& config, const domain::Crypto& crypto,
              domain::TimePoint now, std::uint64_t seed);

  // The next case, filed at `filed_at` (<= now), with a reference no earlier case has.
  // Throws std::logic_error if the story breaks a lifecycle rule (a bug of the generator).
  GeneratedCase next(domain::TimePoint filed_at);

 private:
  const World& world_;
  const domain::ServiceConfig& config_;
  const domain::Crypto& crypto_;
  domain::TimePoint now_;
  std::mt19937_64 rng_;
  std::vector<double> cumulative_weight_;  // of world_.sites, for the weighted pick
  std::unordered_set<std::string> references_;
  std::int64_t sequence_ = 0;
};

}  // namespace grievance::app
