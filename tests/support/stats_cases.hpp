// Cases written as the event sequences the services write (filing_service.cpp routing events,
// Casework's moves, feedback, verdicts, pauses, the clock's notices), for the statistics tests
// (tests/unit/stats_compute_test.cpp, stats_disclosure_test.cpp). Times are days after filing,
// so every expected duration can be computed by hand. tests/unit/stats_facts_test.cpp checks
// that the fold reads the services' own sequences the same way.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "server/domain/stats/case_facts.hpp"

namespace grievance::testing {

using namespace grievance::domain;

inline TimePoint utc(int y, unsigned m, unsigned d, int hour = 9) {
  return TimePoint{std::chrono::sys_days{std::chrono::year{y} / m / d}} + std::chrono::hours{hour};
}

class CaseSequence {
 public:
  // A case filed at `filed` (ack 7, response 30, resolution 90 days, as ServiceConfig's
  // defaults), at `site` run by `responsible` and bought from by `buyer` (or in triage without
  // a responsible company).
  CaseSequence(std::int64_t id, TimePoint filed) {
    c_.id = id;
    c_.created_at = filed;
    c_.updated_at = filed;
    c_.complaint.country = "ID";
    c_.complaint.categories = {Category::kWages};
    c_.deadlines = Deadlines{filed + std::chrono::days{7}, filed + std::chrono::days{30},
                             filed + std::chrono::days{90}};
  }
  CaseSequence& site(std::int64_t site_id, std::string country, std::optional<Sector> sector) {
    c_.complaint.site_id = site_id;
    c_.complaint.country = std::move(country);
    sector_ = sector;
    return *this;
  }
  CaseSequence& place(std::string country) {
    c_.complaint.site_id.reset();
    c_.complaint.place = "near the river";
    c_.complaint.country = std::move(country);
    return *this;
  }
  CaseSequence& categories(std::vector<Category> cats) {
    c_.complaint.categories = std::move(cats);
    return *this;
  }
  CaseSequence& channel(Channel ch) {
    c_.complaint.channel = ch;
    return *this;
  }
  CaseSequence& by_union(std::int64_t union_id, int collective_headcount = 0) {
    c_.complaint.union_org_id = union_id;
    Mandate m;
    m.follow = true;
    m.collective = collective_headcount > 0;
    m.headcount = collective_headcount;
    c_.complaint.mandate = m;
    return *this;
  }
  // Filing: the `filed` event and the routing events (filing_service.cpp routing_events).
  CaseSequence& filed(std::optional<std::int64_t> responsible,
                      std::optional<std::int64_t> buyer = std::nullopt) {
    CaseEvent e = at(0, EventType::kFiled);
    e.to_status = CaseStatus::kReceived;
    e.actor_role = c_.complaint.union_org_id ? Role::kUnion : Role::kComplainant;
    push(e);
    if (!responsible) {
      push(routed(0, std::nullopt, "triage", Role::kSystem));
    } else {
      push(routed(0, responsible, "responsible", Role::kSystem));
      if (buyer) push(routed(0, buyer, "buyer", Role::kSystem));
    }
    return *this;
  }
  CaseSequence& assigned(double day, std::int64_t responsible) {
    push(routed(day, responsible, "responsible", Role::kAdmin));
    return *this;
  }
  CaseSequence& move(double day, CaseStatus to, std::optional<Outcome> outcome = std::nullopt) {
    CaseEvent e = at(day, EventType::kStatusChanged);
    e.from_status = status_;
    e.to_status = to;
    e.outcome = outcome;
    e.body = "a reason the complainant reads";
    if (to == CaseStatus::kRejected) e.outcome = Outcome::kNotAdmissible;
    if (to == CaseStatus::kWithdrawn) e.outcome = Outcome::kWithdrawn;
    if (to == CaseStatus::kEscalated) e.external_body = ExternalBody::kMediation;
    status_ = to;
    push(e);
    return *this;
  }
  // The complainant's answer to a plan: the feedback event, then the move (casework).
  CaseSequence& feedback(double day, bool accept, int score) {
    CaseEvent f = at(day, EventType::kFeedback);
    f.actor_role = Role::kComplainant;
    f.score = score;
    f.detail = accept ? "accept" : "refuse";
    f.body = "a comment";
    push(f);
    return move(day, accept ? CaseStatus::kResolved : CaseStatus::kInDialogue);
  }
  CaseSequence& verdict(double day, ActionVerdict v) {
    CaseEvent done = at(day, EventType::kActionDone);
    done.action = 1;
    push(done);
    CaseEvent e = at(day, EventType::kActionVerdict);
    e.action = 1;
    e.detail = std::string(to_string(v));
    push(e);
    return *this;
  }
  CaseSequence& paused(double day) {
    push(at(day, EventType::kMessage));
    push(at(day, EventType::kClockPaused));
    return *this;
  }
  CaseSequence& resumed(double day) {
    push(at(day, EventType::kMessage));
    push(at(day, EventType::kClockResumed));
    return *this;
  }
  CaseSequence& breached(double day, std::string_view deadline) {
    CaseEvent e = at(day, EventType::kDeadlineBreached);
    e.detail = std::string(deadline);
    push(e);
    return *this;
  }
  CaseSequence& follow_up_due(double day) {
    push(at(day, EventType::kFollowUpDue));
    return *this;
  }
  CaseSequence& follow_up(double day, RemedyHeld held) {
    CaseEvent e = at(day, EventType::kFollowUpAnswered);
    e.detail = std::string(to_string(held));
    push(e);
    return *this;
  }
  CaseSequence& retaliation(double day) {
    CaseEvent e = at(day, EventType::kRetaliationReported);
    e.visibility = Visibility::kMechanism;
    e.body = "they moved me to night shifts";
    push(e);
    return *this;
  }

  const Case& filed_case() const { return c_; }
  const std::vector<CaseEvent>& events() const { return events_; }
  // The facts as the store keeps them: seeded at filing, folded event by event.
  CaseFacts facts(std::uint32_t cell_key) const {
    CaseFacts f = seed_facts(c_, FactsContext{cell_key, sector_});
    for (const CaseEvent& e : events_) f = fold(std::move(f), e);
    return f;
  }

 private:
  CaseEvent at(double day, EventType type) const {
    CaseEvent e;
    e.at = c_.created_at + std::chrono::seconds{static_cast<std::int64_t>(day * 86400)};
    e.type = type;
    e.actor_role = Role::kCompany;
    return e;
  }
  CaseEvent routed(double day, std::optional<std::int64_t> org, std::string body,
                   Role actor) const {
    CaseEvent e = at(day, EventType::kRouted);
    e.actor_role = actor;
    e.actor_org_id = org;
    e.body = std::move(body);
    return e;
  }
  void push(CaseEvent e) {
    e.case_id = c_.id;
    e.seq = static_cast<std::int64_t>(events_.size()) + 1;
    events_.push_back(std::move(e));
  }

  Case c_;
  std::optional<Sector> sector_;
  CaseStatus status_ = CaseStatus::kReceived;
  std::vector<CaseEvent> events_;
};

}  // namespace grievance::testing
