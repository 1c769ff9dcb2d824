#include "server/app/case_stories.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "server/domain/case_rights.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/complainant_sessions.hpp"
#include "server/domain/deadline_notices.hpp"
#include "server/domain/filing_service.hpp"
#include "server/domain/lifecycle.hpp"
#include "server/domain/receipts.hpp"

namespace grievance::app {
namespace {

using namespace std::chrono_literals;
using domain::Actor;
using domain::Case;
using domain::CaseEvent;
using domain::CaseStatus;
using domain::Category;
using domain::EventType;
using domain::Outcome;
using domain::Role;
using domain::Session;
using domain::TimePoint;
using S = CaseStatus;

// domain::RandomSource over the generator's std::mt19937_64: references and access codes are
// drawn exactly as at filing (codes.hpp), but repeatably.
class SeededRandom final : public domain::RandomSource {
 public:
  explicit SeededRandom(std::mt19937_64& rng) : rng_(rng) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(rng_() >> 56);
  }

 private:
  std::mt19937_64& rng_;
};

domain::Date date_of(TimePoint t) { return domain::Date{std::chrono::floor<std::chrono::days>(t)}; }

// ---- the yearly curve ----------------------------------------------------------------------

double filing_intensity(TimePoint t, TimePoint from, TimePoint to) {
  // Before Tet (January), around Eid (April in these years) and at the year's end (bonuses,
  // contracts not renewed); quieter in the middle of the year.
  static constexpr std::array<double, 12> kMonth = {1.2,  1.0,  1.05, 1.2,  0.95, 0.85,
                                                    0.85, 0.95, 1.0,  1.05, 1.1,  1.25};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const domain::Date ymd{day};
  const unsigned dom = static_cast<unsigned>(ymd.day());
  // After the wage day (the end or the start of the month): the payslip is wrong.
  const double wage = dom <= 6 ? 1.35 : dom >= 27 ? 1.15 : 0.9;
  const unsigned weekday = std::chrono::weekday{day}.c_encoding();  // 0 Sunday
  const double week = weekday == 0 ? 0.55 : weekday == 6 ? 0.85 : 1.0;
  // The mechanism becomes known: more complaints in recent months.
  const double progress = static_cast<double>((t - from).count()) /
                          static_cast<double>(std::max<std::int64_t>(1, (to - from).count()));
  const double growth = 0.6 + 0.8 * progress;
  return kMonth[static_cast<unsigned>(ymd.month()) - 1] * wage * week * growth;
}

// ---- one case's life -----------------------------------------------------------------------

Session session_of(Role role, std::optional<std::int64_t> org = std::nullopt) {
  Session s;
  s.role = role;
  s.org_id = org;
  return s;
}

CaseEvent event_by(const Session& s, TimePoint at, EventType type) {
  CaseEvent e;
  e.at = at;
  e.type = type;
  e.actor_role = s.role;
  e.actor_org_id = s.role == Role::kComplainant ? std::nullopt : s.org_id;
  e.visibility = domain::Visibility::kParties;
  return e;
}

constexpr std::array kQuestions = {
    "Which days did this happen, and who else saw it?",
    "Which block or line do you work in?",
    "Can you tell us the month of the payslip concerned?",
};
constexpr std::array kCompanyNotes = {
    "We have spoken with the supervisor concerned.",
    "We are checking the time records of the last three months.",
    "The site manager will visit the workplace this week.",
};
constexpr std::array kWorkerNotes = {
    "It happened again last week.",
    "Several of us are affected.",
    "Thank you, we are waiting for the result.",
};
constexpr std::array kActions = {
    "Pay the amounts owed with the next wage",
    "Record working hours on signed time sheets",
    "Provide protective equipment to every worker concerned",
    "Train the supervisors on the code of conduct",
    "Meet the workers' representatives every month",
};
constexpr std::array kCategoryWords = {
    "wages",          "working hours", "health and safety", "freedom of association",
    "discrimination", "harassment",    "child labour",      "forced labour",
    "land rights",    "environment",   "another problem"};

// A case living its life: the mutations Casework makes (casework_lifecycle.cpp,
// casework_mechanism.cpp, casework_service.cpp), each at the story's time, with the deadline
// scheduler's notices written in between (deadline_scheduler.cpp).
class Story {
 public:
  Story(Case c, std::vector<CaseEvent> events, const domain::ServiceConfig& config,
        TimePoint horizon, std::mt19937_64& rng)
      : c_(std::move(c)),
        events_(std::move(events)),
        config_(config),
        horizon_(horizon),
        t_(c_.created_at),
        rng_(rng) {}

  const Case& c() const { return c_; }
  TimePoint time() const { return t_; }
  std::mt19937_64& rng() { return rng_; }
  std::vector<CaseEvent> take_events() { return std::move(events_); }
  Case& mutable_case() { return c_; }

  double unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  bool chance(double p) { return unit() < p; }
  // Days with a long tail: half of the waits are shorter than `median`.
  double days(double median, double sigma = 0.7) {
    return median * std::exp(std::normal_distribution<double>(0, sigma)(rng_));
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng_)];
  }

  // Moves the story's time on by `days` (at least a minute), with the clock's notices on the
  // way. False, and the clock run up to the horizon, when that would be after the horizon: the
  // case stays where it is.
  bool wait(double days) {
    const auto step =
        std::chrono::seconds(std::max<std::int64_t>(60, static_cast<std::int64_t>(days * 86400.0)));
    if (t_ + step > horizon_) {
      run_clock(horizon_);
      return false;
    }
    run_clock(t_ + step);
    t_ += step;
    return true;
  }

  // Nothing more happens to the case: the clock runs up to the horizon.
  void run_to_end() { run_clock(horizon_); }

  // The deadline scheduler's runs up to `until` (DeadlineScheduler::run_once, every minute):
  // each notice the case is owed is written at the first run after it is due.
  void run_clock(TimePoint until) {
    while (c_.next_check_at && *c_.next_check_at <= until) {
      TimePoint run = *c_.next_check_at + std::chrono::seconds(rng_() % 60);
      if (run > until) run = *c_.next_check_at;
      auto owed = domain::owed_notice_events(c_, config_, run);
      c_.next_check_at = domain::next_notice_after(c_, config_, run);
      if (!owed.empty()) c_.updated_at = run;
      for (auto& e : owed) events_.push_back(std::move(e));
    }
  }

  // ---- Casework's changes ----

  // Casework::transition.
  void move(const Session& s, S to, std::string_view reason, std::string_view reasoning = {},
            std::optional<Outcome> chosen = std::nullopt,
            std::optional<domain::ExternalBody> body = std::nullopt,
            std::vector<domain::RemedyAction> plan = {}) {
    const domain::LifecycleRule* rule = domain::find_rule(c_.status, to, actor_of(s));
    if (rule == nullptr) {
      throw std::logic_error(
          "generated story breaks the lifecycle: " + std::string(domain::to_string(c_.status)) +
          " -> " + std::string(domain::to_string(to)));
    }
    if (to == S::kAppealed) {
      const auto end = domain::appeal_window_end(c_, config_);
      if (!end || t_ > *end) throw std::logic_error("generated appeal after its window");
    }
    std::optional<Outcome> outcome = domain::implied_outcome(to);
    if (rule->needs == domain::Needs::kOutcome) outcome = chosen;
    Case u = c_;
    u.status = to;
    if (rule->needs == domain::Needs::kRemedyPlan) u.remedy = std::move(plan);
    if (domain::is_closure(to) || to == S::kEscalated) u.settled_at = t_;
    if (to == S::kEscalated) u.escalated_to = body;
    if (domain::is_closure(to) && c_.status == S::kAppealed &&
        rule->needs != domain::Needs::kOutcome) {
      outcome = c_.outcome;
      u.outcome = c_.outcome;
    } else if (domain::is_closure(to)) {
      u.outcome = outcome;
      const bool remedied =
          outcome == Outcome::kRemedyAccepted || outcome == Outcome::kRemedyPartlyAccepted;
      u.follow_up_due =
          remedied ? std::optional(t_ + std::chrono::days(config_.follow_up_days)) : std::nullopt;
    }
    if (to == S::kReopened) {
      u.outcome.reset();
      u.settled_at.reset();
      u.follow_up_due.reset();
    }
    CaseEvent e = event_by(s, t_, EventType::kStatusChanged);
    e.from_status = c_.status;
    e.to_status = to;
    e.body = std::string(reason);
    e.detail = std::string(reasoning);
    e.outcome = outcome;
    e.external_body = body;
    commit(std::move(u), {std::move(e)});
  }

  // Casework::feedback.
  void feedback(const Session& worker, bool accept, int score) {
    const S to = accept ? S::kResolved : S::kInDialogue;
    if (c_.status != S::kRemedyProposed || !domain::find_rule(c_.status, to, Actor::kComplainant)) {
      throw std::logic_error("generated feedback without a proposal");
    }
    Case u = c_;
    u.status = to;
    u.satisfaction = score;
    CaseEvent verdict = event_by(worker, t_, EventType::kFeedback);
    verdict.score = score;
    verdict.detail = accept ? "accept" : "refuse";
    verdict.body = accept ? "Agreed." : "This does not repair the harm.";
    CaseEvent move = event_by(worker, t_, EventType::kStatusChanged);
    move.from_status = c_.status;
    move.to_status = to;
    move.body = accept ? "The complainant accepted the proposed remedy."
                       : "The complainant refused the proposed remedy.";
    commit(std::move(u), {std::move(verdict), std::move(move)});
  }

  // Casework::mark_action_done.
  void mark_done(const Session& company, int number) {
    Case u = c_;
    auto& a = u.remedy.at(static_cast<std::size_t>(number - 1));
    a.done_at = t_;
    a.done_note = "Done as planned.";
    CaseEvent e = event_by(company, t_, EventType::kActionDone);
    e.action = number;
    e.body = a.done_note;
    commit(std::move(u), {std::move(e)});
  }

  // Casework::judge_action.
  void judge(const Session& worker, int number, domain::ActionVerdict verdict) {
    Case u = c_;
    auto& a = u.remedy.at(static_cast<std::size_t>(number - 1));
    a.verdict = verdict;
    a.verdict_note =
        verdict == domain::ActionVerdict::kDisputed ? "It was not done for all of us." : "";
    a.verdict_at = t_;
    CaseEvent e = event_by(worker, t_, EventType::kActionVerdict);
    e.action = number;
    e.detail = std::string(domain::to_string(verdict));
    e.body = a.verdict_note;
    commit(std::move(u), {std::move(e)});
  }

  // Casework::ask_complainant: the clock stops.
  void ask(const Session& company) {
    Case u = c_;
    u.paused_since = t_;
    CaseEvent asked = event_by(company, t_, EventType::kMessage);
    asked.body = pick(kQuestions);
    commit(std::move(u), {std::move(asked), event_by(company, t_, EventType::kClockPaused)});
  }

  // Casework::post_message: the complainant's answer resumes a paused clock, every deadline
  // moved on by the paused time; any other message is appended alone.
  void message(const Session& s, std::string_view body) {
    CaseEvent e = event_by(s, t_, EventType::kMessage);
    e.body = std::string(body);
    if (c_.paused_since && actor_of(s) == Actor::kComplainant) {
      Case u = c_;
      const auto paused = t_ - *c_.paused_since;
      u.deadlines.ack_due += paused;
      u.deadlines.response_due += paused;
      u.deadlines.resolution_due += paused;
      u.paused_since.reset();
      CaseEvent resumed;
      resumed.at = t_;
      resumed.type = EventType::kClockResumed;
      resumed.actor_role = Role::kSystem;
      resumed.visibility = domain::Visibility::kParties;
      commit(std::move(u), {std::move(e), std::move(resumed)});
      return;
    }
    c_.updated_at = t_;
    events_.push_back(std::move(e));
  }

  // Casework::report_retaliation and Casework::review.
  void report_retaliation(const Session& worker) {
    Case u = c_;
    u.retaliation = true;
    CaseEvent e = event_by(worker, t_, EventType::kRetaliationReported);
    e.visibility = domain::Visibility::kMechanism;
    e.body = "Since the complaint I am given only night shifts.";
    commit(std::move(u), {std::move(e)});
  }
  void review(domain::ReviewFlag flag) {
    Case u = c_;
    (flag == domain::ReviewFlag::kRetaliation ? u.retaliation : u.remedy_failed) = false;
    CaseEvent e = event_by(session_of(Role::kAdmin), t_, EventType::kReviewed);
    e.visibility = flag == domain::ReviewFlag::kRetaliation ? domain::Visibility::kMechanism
                                                            : domain::Visibility::kParties;
    e.detail = std::string(domain::to_string(flag));
    e.body = "The complaints office spoke with both sides.";
    commit(std::move(u), {std::move(e)});
  }

  // Casework::answer_follow_up.
  void answer_follow_up(const Session& worker, domain::RemedyHeld held) {
    if (c_.status != S::kClosed || !c_.follow_up_due || t_ < *c_.follow_up_due ||
        c_.follow_up_answer) {
      throw std::logic_error("generated follow-up answer that was not asked: " +
                             std::string(domain::to_string(c_.status)) + " due " +
                             (c_.follow_up_due ? domain::format_time(*c_.follow_up_due) : "-") +
                             " at " + domain::format_time(t_));
    }
    Case u = c_;
    u.follow_up_answer = held;
    if (held == domain::RemedyHeld::kNo) u.remedy_failed = true;
    CaseEvent e = event_by(worker, t_, EventType::kFollowUpAnswered);
    e.detail = std::string(domain::to_string(held));
    commit(std::move(u), {std::move(e)});
  }

  // Casework::assign_case: a triage case reaches a company, whose deadlines start now.
  void assign(std::vector<domain::CaseParty> parties) {
    Case u = c_;
    u.parties = std::move(parties);
    if (c_.status == S::kReceived) {
      u.deadlines.ack_due = t_ + std::chrono::days{config_.ack_days};
    }
    u.deadlines.response_due = t_ + std::chrono::days{config_.response_days};
    u.deadlines.resolution_due = t_ + std::chrono::days{config_.resolution_days};
    u.next_check_at = domain::next_notice_after(u, config_, t_);
    u.updated_at = t_;
    for (auto& e : domain::routing_events(u.parties, Role::kAdmin, t_)) {
      events_.push_back(std::move(e));
    }
    c_ = std::move(u);
  }

  domain::Date today() const { return date_of(t_); }

 private:
  Actor actor_of(const Session& s) const {
    switch (s.role) {
      case Role::kCompany:
        return Actor::kResponsibleCompany;
      case Role::kAdmin:
        return Actor::kOperator;
      default:
        return Actor::kComplainant;
    }
  }

  // Casework::commit: what the clock owed first (nothing: run_clock ran up to now), then the
  // change, and the pointer to the next notice.
  void commit(Case u, std::vector<CaseEvent> events) {
    for (auto& e : domain::owed_notice_events(c_, config_, t_)) events_.push_back(std::move(e));
    u.next_check_at = domain::next_notice_after(u, config_, t_);
    u.updated_at = t_;
    c_ = std::move(u);
    for (auto& e : events) events_.push_back(std::move(e));
  }

  Case c_;
  std::vector<CaseEvent> events_;
  const domain::ServiceConfig& config_;
  TimePoint horizon_;
  TimePoint t_;
  std::mt19937_64& rng_;
};

// Who acts in a case's life, and how the case goes.
struct Cast {
  Session worker;   // the complainant, or the filing union following the case for them
  Session company;  // the responsible company (set once routed)
  Session admin = session_of(Role::kAdmin);
  double pace = 1;  // the company's: waits are multiplied by it
  int reopens = 0;
};

class Life {
 public:
  Life(Story& s, Cast& cast, const World& world) : s_(s), cast_(cast), world_(world) {}

  void live() {
    if (s_.c().parties.empty() && !triage()) return;
    if (s_.chance(0.04)) {  // withdrawn before the company answered
      if (s_.wait(s_.days(3))) s_.move(cast_.worker, S::kWithdrawn, "I no longer wish to go on.");
      return;
    }
    if (s_.chance(0.02) && s_.c().status == S::kReceived) {  // never acknowledged: overdue
      s_.run_to_end();
      return;
    }
    if (!company_wait(2.5)) return;
    const double r = s_.unit();
    if (r < 0.07) {
      s_.move(cast_.company, S::kRejected, "We cannot handle this complaint here.",
              "The workplace named is not one of ours.");
      after_decision();
      return;
    }
    if (s_.c().status == S::kReceived && r > 0.22) {
      s_.move(cast_.company, S::kAcknowledged, "We have your complaint and are looking into it.");
      if (s_.chance(0.03)) return s_.run_to_end();  // the company goes quiet: overdue
      if (!company_wait(7)) return;
    }
    s_.move(cast_.company, S::kInDialogue, "We looked into it; here is what we found so far.");
    dialogue(0);
  }

 private:
  bool company_wait(double median) { return s_.wait(s_.days(median * cast_.pace)); }
  bool worker_wait(double median) { return s_.wait(s_.days(median)); }

  // Casework::assign_case after the operator's look (and sometimes an acknowledgement).
  bool triage() {
    if (!s_.wait(s_.days(2))) return false;
    if (s_.chance(0.05)) {  // the operator's triage backlog
      s_.run_to_end();
      return false;
    }
    if (s_.chance(0.4)) {
      s_.move(cast_.admin, S::kAcknowledged,
              "We have your complaint and are finding the company concerned.");
      if (!s_.wait(s_.days(3))) return false;
    }
    // A company of the complaint's country, else any.
    std::vector<const WorldSite*> candidates;
    for (const WorldSite& site : world_.sites) {
      if (site.country == s_.c().complaint.country) candidates.push_back(&site);
    }
    if (candidates.empty()) candidates.push_back(&world_.sites.front());
    const WorldSite& site =
        *candidates[std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(s_.rng())];
    s_.assign(site.parties);
    cast_.company = session_of(Role::kCompany, site.operator_org_id);
    return true;
  }

  // The dialogue: questions with the clock paused, messages, retaliation, then a decision.
  void dialogue(int round) {
    // Most cases are decided on the first answers; some need an exchange or two.
    const double talk = s_.unit();
    for (int i = talk < 0.6 ? 0 : talk < 0.9 ? 1 : 2; i > 0; --i) {
      if (!company_wait(4)) return;
      s_.message(cast_.company, s_.pick(kCompanyNotes));
      if (!worker_wait(3)) return;
      s_.message(cast_.worker, s_.pick(kWorkerNotes));
    }
    if (s_.chance(0.3)) {
      if (!company_wait(3)) return;
      s_.ask(cast_.company);
      if (s_.chance(0.15)) {  // no answer comes
        if (!s_.wait(s_.days(35, 0.3))) return;
        s_.move(cast_.company, S::kClosed, "We received no answer to our questions.", "",
                Outcome::kNoAnswerFromComplainant);
        after_decision();
        return;
      }
      if (!worker_wait(6)) return;
      s_.message(cast_.worker, s_.pick(kWorkerNotes));
    }
    if (s_.chance(0.035)) {
      if (!worker_wait(5)) return;
      s_.report_retaliation(cast_.worker);
      if (s_.chance(0.85)) {
        if (!s_.wait(s_.days(3))) return;
        s_.review(domain::ReviewFlag::kRetaliation);
      }
    }
    if (!company_wait(12)) return;
    const double r = s_.unit();
    if (r < 0.04) {
      s_.move(cast_.worker, S::kWithdrawn, "We settled it among ourselves.");
    } else if (r < 0.09) {
      escalate();
    } else if (r < 0.15) {
      s_.move(cast_.company, S::kRejected, "This complaint falls outside the mechanism.",
              "The facts described concern a contractor the company does not employ.");
      after_decision();
    } else if (r < 0.32) {
      s_.move(cast_.company, S::kClosed, "We could not confirm the complaint.",
              "The records and the interviews do not show what was described.",
              Outcome::kUnfounded);
      after_decision();
    } else {
      remedy(round);
    }
  }

  void remedy(int round) {
    std::vector<domain::RemedyAction> plan;
    const int actions = s_.chance(0.55) ? 1 : s_.chance(0.7) ? 2 : 3;
    for (int n = 1; n <= actions; ++n) {
      domain::RemedyAction a;
      a.number = n;
      a.what = s_.pick(kActions);
      a.org_id = *cast_.company.org_id;
      a.due = domain::Date{std::chrono::sys_days{s_.today()} +
                           std::chrono::days{14 + static_cast<int>(s_.unit() * 60)}};
      plan.push_back(std::move(a));
    }
    s_.move(cast_.company, S::kRemedyProposed, "We propose the actions below.", "", std::nullopt,
            std::nullopt, std::move(plan));
    if (s_.chance(0.03)) return s_.run_to_end();  // the worker never answers
    if (s_.chance(0.25)) {
      if (!company_wait(5)) return;
      s_.mark_done(cast_.company, 1);
    }
    if (!worker_wait(8)) return;
    if (s_.chance(0.22)) {
      s_.feedback(cast_.worker, false, 1 + static_cast<int>(s_.unit() * 3));
      if (round < 1 && s_.chance(0.6)) {
        dialogue(round + 1);
      } else if (company_wait(10)) {
        if (s_.chance(0.7)) {
          s_.move(cast_.company, S::kClosed, "We could not agree on a remedy.",
                  "What we proposed answers the complaint as far as we can confirm it.",
                  Outcome::kUnfounded);
          after_decision();
        } else {
          escalate();
        }
      }
      return;
    }
    static constexpr std::array<int, 20> kAcceptScores = {5, 5, 5, 5, 5, 5, 5, 4, 4, 4,
                                                          4, 4, 4, 4, 4, 3, 3, 3, 3, 2};
    s_.feedback(cast_.worker, true, s_.pick(kAcceptScores));
    bool disputed = false;
    for (const auto& a : std::vector<domain::RemedyAction>(s_.c().remedy)) {
      if (!a.done_at) {
        if (s_.chance(0.04)) return s_.run_to_end();  // stays resolved: the plan is late
        if (!company_wait(12)) return;
        s_.mark_done(cast_.company, a.number);
      }
      if (s_.chance(0.9)) {
        if (!worker_wait(4)) return;
        const bool dispute = s_.chance(0.13);
        disputed = disputed || dispute;
        s_.judge(cast_.worker, a.number,
                 dispute ? domain::ActionVerdict::kDisputed : domain::ActionVerdict::kConfirmed);
      }
    }
    if (!company_wait(6)) return;
    const bool partly = disputed || s_.c().satisfaction.value_or(5) <= 3;
    s_.move(s_.chance(0.85) ? cast_.company : cast_.admin, S::kClosed,
            "The remedy was carried out.", "",
            partly ? Outcome::kRemedyPartlyAccepted : Outcome::kRemedyAccepted);
    follow_up();
  }

  void escalate() {
    static constexpr std::array kBodies = {
        domain::ExternalBody::kNationalContactPoint, domain::ExternalBody::kMediation,
        domain::ExternalBody::kLabourInspectorate, domain::ExternalBody::kCourt,
        domain::ExternalBody::kSectorMechanism};
    const Session& who = s_.chance(0.5)   ? cast_.worker
                         : s_.chance(0.5) ? cast_.company
                                          : cast_.admin;
    s_.move(who, S::kEscalated, "This needs a body outside the mechanism.", "", std::nullopt,
            s_.pick(kBodies));
    if (s_.chance(0.3)) return s_.run_to_end();  // the external body is still at work
    if (!s_.wait(s_.days(60))) return;
    const double r = s_.unit();
    if (r < 0.8) {
      s_.move(s_.chance(0.7) ? cast_.admin : cast_.company, S::kClosed,
              "The external body has dealt with the case.", "", Outcome::kReferred);
    } else if (r < 0.9) {
      s_.move(cast_.worker, S::kWithdrawn, "The matter was settled elsewhere.");
    } else {
      reopen("The external body sent the case back to the mechanism.");
    }
  }

  // After a closure without remedy or a rejection: the appeal window.
  void after_decision() {
    if (!s_.chance(0.12) || cast_.reopens >= 2) return;
    if (!s_.wait(std::min(27.0, s_.days(8)))) return;
    const S decided = s_.c().status;
    s_.move(cast_.worker, S::kAppealed, "Please look at this decision again.");
    if (s_.chance(0.15)) return s_.run_to_end();  // the office has not decided yet
    if (!s_.wait(s_.days(12))) return;
    if (s_.chance(0.65)) {
      s_.move(cast_.admin, decided, "The decision stands.",
              "The complaints office reviewed the file and agrees with the decision.");
    } else {
      reopen("The complaints office asks the company to look again.");
    }
  }

  void reopen(std::string_view reason) {
    ++cast_.reopens;
    s_.move(cast_.admin, S::kReopened, reason);
    if (s_.chance(0.2)) return s_.run_to_end();  // the company has not taken it up again
    if (!company_wait(7)) return;
    s_.move(cast_.company, S::kInDialogue, "We are looking into it again.");
    dialogue(1);
  }

 public:
  // After a remedy closure: the follow-up check months later.
  void follow_up() {
    const auto& c = s_.c();
    // A case reopened after its first check keeps that answer (Casework's reopening clears the
    // due date, not the answer): the second check is not answered again.
    if (c.status != S::kClosed || !c.follow_up_due || c.follow_up_answer) return;
    const double until = static_cast<double>((*c.follow_up_due - s_.time()).count()) / 86400.0;
    if (!s_.wait(until + s_.days(6))) return;
    if (!s_.chance(0.7)) return s_.run_to_end();
    const double r = s_.unit();
    const auto held = r < 0.7   ? domain::RemedyHeld::kYes
                      : r < 0.9 ? domain::RemedyHeld::kPartly
                                : domain::RemedyHeld::kNo;
    s_.answer_follow_up(cast_.worker, held);
    if (held != domain::RemedyHeld::kNo || !s_.chance(0.85)) return;
    if (!s_.wait(s_.days(5))) return;
    s_.review(domain::ReviewFlag::kRemedyFailed);
    if (s_.chance(0.35) && cast_.reopens < 2) reopen("The remedy did not hold.");
  }

 private:
  Story& s_;
  Cast& cast_;
  const World& world_;
};

}  // namespace

std::vector<TimePoint> filing_times(std::mt19937_64& rng, std::int64_t n, TimePoint from,
                                    TimePoint to) {
  std::vector<TimePoint> out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
  const std::int64_t span = std::max<std::int64_t>(1, (to - from).count());
  std::uniform_int_distribution<std::int64_t> second(0, span - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  constexpr double kMaxIntensity = 1.25 * 1.35 * 1.0 * 1.4;
  while (static_cast<std::int64_t>(out.size()) < n) {
    const TimePoint t = from + std::chrono::seconds(second(rng));
    if (unit(rng) * kMaxIntensity <= filing_intensity(t, from, to)) out.push_back(t);
  }
  std::sort(out.begin(), out.end());
  return out;
}

CaseStories::CaseStories(const World& world, const domain::ServiceConfig& config,
                         const domain::Crypto& crypto, TimePoint now, std::uint64_t seed)
    : world_(world), config_(config), crypto_(crypto), now_(now), rng_(seed) {
  double sum = 0;
  for (const WorldSite& site : world_.sites) {
    sum += site.weight;
    cumulative_weight_.push_back(sum);
  }
}

namespace {

// The categories of a complaint about a workplace of `sector`: one, sometimes two.
std::vector<Category> draw_categories(std::mt19937_64& rng, std::optional<domain::Sector> sector,
                                      std::optional<Category> recurring) {
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Category> out;
  if (recurring && unit(rng) < 0.7) out.push_back(*recurring);
  const bool plantation = sector == domain::Sector::kPalmOil || sector == domain::Sector::kCocoa;
  // Weights in all_categories() order: wages, hours, health, association, discrimination,
  // harassment, child labour, forced labour, land, environment, other.
  static constexpr std::array<double, 11> kFactory = {25, 20, 15, 8, 7, 10, 1, 2, 0.5, 2, 5};
  static constexpr std::array<double, 11> kPlantation = {20, 10, 18, 8, 4, 5, 4, 4, 12, 10, 5};
  const auto& weights = plantation ? kPlantation : kFactory;
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  const std::size_t wanted = unit(rng) < 0.3 ? 2 : 1;
  while (out.size() < wanted) {
    const Category c = domain::all_categories()[pick(rng)];
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

domain::Language language_of(const std::string& country, std::mt19937_64& rng) {
  if (std::uniform_real_distribution<double>(0, 1)(rng) < 0.15) return domain::Language::kEn;
  if (country == "ID") return domain::Language::kId;
  if (country == "VN") return domain::Language::kVi;
  return domain::Language::kEn;
}

// FilingService's identity_at_filing (filing_service.cpp).
domain::IdentityLevel identity_at_filing(const domain::Complaint& k) {
  if (!k.contact) return domain::IdentityLevel::kAnonymous;
  if (k.anonymous) return domain::IdentityLevel::kConfidential;
  if (k.mandate && !k.mandate->share_identity_with_company) {
    return domain::IdentityLevel::kConfidential;
  }
  return domain::IdentityLevel::kShared;
}

// Does update_case have anything to write that create_cases does not (storage writes a new
// case's filing columns, status, deadlines, clock pointer and identity, not the rest of its
// life)?
bool needs_life_update(const Case& c) {
  return c.outcome || c.settled_at || c.escalated_to || c.satisfaction || c.paused_since ||
         c.retaliation || c.follow_up_due || c.follow_up_answer || c.remedy_failed ||
         c.disclosure_requested_by || !c.remedy.empty();
}

}  // namespace

GeneratedCase CaseStories::next(TimePoint filed_at) {
  std::uniform_real_distribution<double> unit(0, 1);
  const std::int64_t number = ++sequence_;
  Case c;
  domain::Complaint& k = c.complaint;

  // Where: a known workplace (weighted: big estates complain more), or a place in triage.
  const WorldSite* site = nullptr;
  if (unit(rng_) < 0.05 || world_.sites.empty()) {
    static constexpr std::array<const char*, 4> kCountries = {"ID", "VN", "KH", "BD"};
    k.country = kCountries[std::uniform_int_distribution<std::size_t>(0, 3)(rng_)];
    k.place = "Workplace near village " + std::to_string(number % 997);
  } else {
    const double w = unit(rng_) * cumulative_weight_.back();
    const auto it = std::upper_bound(cumulative_weight_.begin(), cumulative_weight_.end(), w);
    site = &world_.sites[std::min<std::size_t>(
        static_cast<std::size_t>(it - cumulative_weight_.begin()), world_.sites.size() - 1)];
    k.site_id = site->id;
    k.country = site->country;
  }
  k.categories = draw_categories(rng_, site ? std::optional(site->sector) : std::nullopt,
                                 site ? site->recurring : std::nullopt);
  k.language = language_of(k.country, rng_);

  // How: the web form most, a union (for one worker or a group), paper forms a union typed
  // in, the office's phone line, and partner systems through the API.
  const double channel = unit(rng_);
  k.channel = channel < 0.55   ? domain::Channel::kWeb
              : channel < 0.73 ? domain::Channel::kUnion
              : channel < 0.85 ? domain::Channel::kPaper
              : channel < 0.95 ? domain::Channel::kPhone
                               : domain::Channel::kApi;
  Session worker = session_of(Role::kComplainant);
  if (k.channel == domain::Channel::kUnion || k.channel == domain::Channel::kPaper) {
    std::vector<std::int64_t> local;
    for (const auto& u : world_.unions) {
      if (u.country == k.country) local.push_back(u.id);
    }
    if (local.empty()) local.push_back(world_.unions.front().id);
    k.union_org_id = local[std::uniform_int_distribution<std::size_t>(0, local.size() - 1)(rng_)];
    domain::Mandate m;
    m.follow = unit(rng_) < 0.85;
    m.share_identity_with_company = unit(rng_) < 0.3;
    m.collective = unit(rng_) < 0.35;
    m.headcount =
        m.collective
            ? std::clamp(static_cast<int>(std::exp(std::normal_distribution<double>(3, 1)(rng_))),
                         2, 2000)
            : 0;
    k.mandate = m;
    if (m.follow && unit(rng_) < 0.6) worker = session_of(Role::kUnion, k.union_org_id);
  }
  // Who: anonymous without contact, anonymous towards the companies, or named. Never real
  // personal data: a made-up name and an address of the reserved .invalid domain.
  const double who = unit(rng_);
  if (who >= 0.6) {
    k.anonymous = who < 0.85;
    k.contact = domain::Contact{"Worker " + std::to_string(number), "",
                                "worker" + std::to_string(number) + "@example.invalid"};
  }
  if (unit(rng_) < 0.7) {
    k.incident_date = date_of(filed_at - std::chrono::days(static_cast<int>(unit(rng_) * 60)));
  }
  k.narrative = "Generated complaint " + std::to_string(number) + " about " +
                kCategoryWords[static_cast<std::size_t>(k.categories.front())] + ".";

  // Filed as FilingService::prepare_case files it.
  c.status = S::kReceived;
  c.created_at = filed_at;
  c.updated_at = filed_at;
  c.deadlines = domain::Deadlines{filed_at + std::chrono::days{config_.ack_days},
                                  filed_at + std::chrono::days{config_.response_days},
                                  filed_at + std::chrono::days{config_.resolution_days}};
  c.next_check_at = domain::next_notice_after(c, config_, filed_at);
  c.content_sha256 = crypto_.sha256_hex(domain::canonical_content(k));
  if (site != nullptr) c.parties = site->parties;
  c.identity = identity_at_filing(k);
  SeededRandom random(rng_);
  do {
    c.reference = domain::generate_reference(random);
  } while (!references_.insert(c.reference).second);
  c.access_code_hmac =
      domain::access_code_mac(crypto_, c.reference, domain::generate_access_code(random));

  std::vector<CaseEvent> events;
  CaseEvent filed;
  filed.at = filed_at;
  filed.type = EventType::kFiled;
  filed.actor_role = k.union_org_id ? Role::kUnion : Role::kComplainant;
  filed.actor_org_id = k.union_org_id;
  filed.to_status = S::kReceived;
  events.push_back(filed);
  if (c.identity == domain::IdentityLevel::kShared) {
    CaseEvent consent = filed;
    consent.type = EventType::kIdentityShared;
    consent.to_status.reset();
    events.push_back(std::move(consent));
  }
  for (auto& e : domain::routing_events(c.parties, Role::kSystem, filed_at)) {
    events.push_back(std::move(e));
  }

  Story story(std::move(c), std::move(events), config_, now_, rng_);
  Cast cast;
  cast.worker = worker;
  if (site != nullptr) {
    cast.company = session_of(Role::kCompany, site->operator_org_id);
    for (const WorldCompany& company : world_.suppliers) {
      if (company.id == site->operator_org_id) {
        cast.pace = company.pace == 0 ? 0.6 : company.pace == 1 ? 1.0 : 2.6;
      }
    }
  }
  Life(story, cast, world_).live();
  story.run_to_end();

  GeneratedCase out;
  out.now = story.c();
  out.filed.events = story.take_events();
  out.now.event_count = static_cast<std::int64_t>(out.filed.events.size());
  out.now.updated_at = out.filed.events.back().at;
  // The case as it is now, with its whole history: the store takes it as "the case now" (its
  // statistics facts are facts_of(case, events)), then update_case writes the rest of its life.
  out.filed.c = out.now;
  out.changed = needs_life_update(out.now);
  return out;
}

}  // namespace grievance::app
