// Meetings (CSDDD Art. 14(4)(b); docs/domain.md "Meetings"): who proposes, who answers, the
// counter-proposal, minutes only after an agreed time, and that a refused request stores
// nothing.
#include "server/domain/local_time.hpp"
#include "server/domain/meetings.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

using CaseworkMeetingsTest = testing::CaseworkFixture;
using std::chrono::hours;

class Meetings : public CaseworkMeetingsTest {
 protected:
  // A time `h` hours from the fixture's clock, in wire format.
  std::string in_hours(int h) { return format_time(clock_.now() + hours(h)); }
  MeetingRequest at_office(std::vector<std::string> times) {
    MeetingRequest r;
    r.times = std::move(times);
    r.place = "Estate office, block C";
    r.interpreter = true;
    r.interpreter_language = "Javanese";
    r.companion = true;
    return r;
  }
  std::size_t event_count(const std::string& ref) {
    return service_->casework.view_case(staff("admin@example.org"), ref)->events.size();
  }
};

TEST_F(Meetings, TheWorkerProposesTheCompanyAcceptsAndBothRecordMinutesAfterTheTime) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  const auto own = service_->casework.view_own_case(worker);
  EXPECT_TRUE(own->may_propose_meeting);
  EXPECT_EQ(own->meeting_side, MeetingSide::kComplainant);
  auto proposed =
      service_->casework.propose_meeting(worker, ref, at_office({in_hours(48), in_hours(24)}));
  ASSERT_TRUE(proposed) << proposed.error().message;
  ASSERT_EQ(proposed->meetings.size(), 1u);
  const Meeting& m = proposed->meetings[0];
  EXPECT_EQ(m.state, MeetingState::kProposed);
  EXPECT_EQ(m.times.size(), 2u);
  EXPECT_LT(m.times[0], m.times[1]) << "sorted";
  EXPECT_EQ(m.place, "Estate office, block C");
  EXPECT_TRUE(m.interpreter);
  EXPECT_EQ(m.interpreter_language, "Javanese");
  EXPECT_TRUE(m.companion);
  EXPECT_FALSE(m.may_answer) << "the proposer does not answer its own proposal";

  // The buyer reads it but takes no part.
  const auto by_buyer = service_->casework.view_case(staff("brand@example.org"), ref);
  ASSERT_EQ(by_buyer->meetings.size(), 1u);
  EXPECT_FALSE(by_buyer->may_propose_meeting);
  EXPECT_FALSE(by_buyer->meetings[0].may_answer);

  const auto seen = service_->casework.view_case(company, ref);
  ASSERT_TRUE(seen->meetings[0].may_answer);
  MeetingAnswerRequest accept;
  accept.answer = "accept";
  accept.time = in_hours(48);
  auto agreed = service_->casework.answer_meeting(company, ref, m.id, accept);
  ASSERT_TRUE(agreed) << agreed.error().message;
  EXPECT_EQ(agreed->meetings[0].state, MeetingState::kAgreed);
  EXPECT_EQ(agreed->meetings[0].agreed_time, clock_.now() + hours(48));
  EXPECT_FALSE(agreed->meetings[0].may_minute) << "not before the meeting";
  EXPECT_EQ(service_->casework.record_minutes(company, ref, m.id, "Met.").error().code,
            ErrorCode::kInvalidTransition);
  // Answered once only.
  EXPECT_EQ(service_->casework.answer_meeting(company, ref, m.id, accept).error().code,
            ErrorCode::kInvalidTransition);

  clock_.advance(hours(49));
  auto minuted =
      service_->casework.record_minutes(company, ref, m.id, "Wages will be paid on Friday.");
  ASSERT_TRUE(minuted) << minuted.error().message;
  EXPECT_EQ(minuted->meetings[0].state, MeetingState::kHeld);
  EXPECT_EQ(service_->casework.record_minutes(company, ref, m.id, "Again.").error().code,
            ErrorCode::kInvalidTransition)
      << "once per side";
  const auto worker_view = service_->casework.view_own_case(worker);
  ASSERT_EQ(worker_view->meetings[0].minutes.size(), 1u);
  EXPECT_EQ(worker_view->meetings[0].minutes[0].text, "Wages will be paid on Friday.");
  EXPECT_EQ(worker_view->meetings[0].minutes[0].by, MeetingSide::kCompany);
  EXPECT_TRUE(worker_view->meetings[0].may_minute) << "the worker's side may add its own";
  ASSERT_TRUE(service_->casework.record_minutes(worker, ref, m.id, "They promised Friday."));
}

TEST_F(Meetings, TheCompanyCountersTheWorkerDeclinesWithAReason) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  MeetingRequest call;
  call.times = {in_hours(24)};
  call.call = true;
  auto proposed = service_->casework.propose_meeting(company, ref, call);
  ASSERT_TRUE(proposed) << proposed.error().message;
  const auto first = proposed->meetings[0].id;
  EXPECT_TRUE(proposed->meetings[0].call);

  MeetingAnswerRequest counter;
  counter.answer = "counter";
  counter.counter = at_office({in_hours(72)});
  auto countered = service_->casework.answer_meeting(worker, ref, first, counter);
  ASSERT_TRUE(countered) << countered.error().message;
  ASSERT_EQ(countered->meetings.size(), 2u);
  EXPECT_EQ(countered->meetings[0].state, MeetingState::kCountered);
  EXPECT_EQ(countered->meetings[0].replaced_by, countered->meetings[1].id);
  EXPECT_EQ(countered->meetings[1].replaces, first);
  // The countered proposal is closed: accepting it now is refused.
  MeetingAnswerRequest late;
  late.answer = "accept";
  late.time = in_hours(24);
  EXPECT_EQ(service_->casework.answer_meeting(worker, ref, first, late).error().code,
            ErrorCode::kInvalidTransition)
      << "closed: the worker countered it";
  MeetingAnswerRequest decline;
  decline.answer = "decline";
  EXPECT_EQ(service_->casework.answer_meeting(company, ref, countered->meetings[1].id, decline)
                .error()
                .field,
            "reason");
  decline.reason = "The office is not a safe place for the worker; we propose a call.";
  auto declined =
      service_->casework.answer_meeting(company, ref, countered->meetings[1].id, decline);
  ASSERT_TRUE(declined) << declined.error().message;
  EXPECT_EQ(declined->meetings[1].state, MeetingState::kDeclined);
  EXPECT_EQ(declined->meetings[1].decline_reason, decline.reason);
}

TEST_F(Meetings, TheWrongSideIsRefusedAndNothingIsStored) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  const Session buyer = staff("brand@example.org");
  const Session admin = staff("admin@example.org");
  auto proposed = service_->casework.propose_meeting(worker, ref, at_office({in_hours(5)}));
  ASSERT_TRUE(proposed);
  const auto id = proposed->meetings[0].id;
  const auto before = event_count(ref);
  MeetingAnswerRequest accept;
  accept.answer = "accept";
  accept.time = in_hours(5);
  EXPECT_EQ(service_->casework.answer_meeting(worker, ref, id, accept).error().code,
            ErrorCode::kForbidden)
      << "the proposing side";
  EXPECT_EQ(service_->casework.answer_meeting(buyer, ref, id, accept).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->casework.propose_meeting(buyer, ref, at_office({in_hours(5)})).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->casework.propose_meeting(admin, ref, at_office({in_hours(5)})).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      service_->casework.propose_meeting(staff("union@example.org"), ref, at_office({in_hours(5)}))
          .error()
          .code,
      ErrorCode::kNotFound)
      << "a union that did not file does not see the case";
  EXPECT_EQ(service_->casework.answer_meeting(company, ref, 999, accept).error().code,
            ErrorCode::kNotFound);
  accept.time = in_hours(6);
  EXPECT_EQ(service_->casework.answer_meeting(company, ref, id, accept).error().field, "time")
      << "a time that was not proposed";
  EXPECT_EQ(event_count(ref), before);
}

TEST_F(Meetings, AUnionFollowingTheCaseProposesForTheWorker) {
  const Session union_officer = staff("union@example.org");
  Mandate follow;
  follow.follow = true;
  const auto ref = file(nullptr, follow, &union_officer);
  auto proposed = service_->casework.propose_meeting(union_officer, ref, at_office({in_hours(3)}));
  ASSERT_TRUE(proposed) << proposed.error().message;
  EXPECT_EQ(proposed->meetings[0].proposed_by, MeetingSide::kComplainant);
  EXPECT_TRUE(
      service_->casework.view_case(staff("plantation@example.org"), ref)->meetings[0].may_answer);
}

TEST_F(Meetings, AProposalIsValidated) {
  Session worker;
  const auto ref = file(&worker);
  auto field = [&](MeetingRequest r) {
    auto res = service_->casework.propose_meeting(worker, ref, r);
    return res ? std::string("stored") : res.error().field;
  };
  EXPECT_EQ(field(at_office({})), "times");
  EXPECT_EQ(field(at_office(
                {in_hours(1), in_hours(2), in_hours(3), in_hours(4), in_hours(5), in_hours(6)})),
            "times")
      << "at most five";
  EXPECT_EQ(field(at_office({in_hours(-1)})), "times") << "in the past";
  EXPECT_EQ(field(at_office({"tomorrow"})), "times");
  EXPECT_EQ(field(at_office({in_hours(2), in_hours(2)})), "times");
  auto nowhere = at_office({in_hours(2)});
  nowhere.place.clear();
  EXPECT_EQ(field(nowhere), "place") << "a place or a call";
  auto both = at_office({in_hours(2)});
  both.call = true;
  EXPECT_EQ(field(both), "place");
  auto long_place = at_office({in_hours(2)});
  long_place.place = std::string(201, 'x');
  EXPECT_EQ(field(long_place), "place");
  auto no_language = at_office({in_hours(2)});
  no_language.interpreter_language.clear();
  EXPECT_EQ(field(no_language), "interpreter_language");
  auto sneaky = at_office({in_hours(2)});
  sneaky.interpreter_language = "Javanese\nreplaces=1";
  EXPECT_EQ(field(sneaky), "interpreter_language") << "one line: the detail stays parseable";
  EXPECT_TRUE(service_->casework.view_own_case(worker)->meetings.empty()) << "nothing stored";
  EXPECT_EQ(field(at_office({in_hours(1), in_hours(2), in_hours(3), in_hours(4), in_hours(5)})),
            "stored");
}

TEST_F(Meetings, NoProposalOnceTheCaseIsClosed) {
  Session worker;
  const auto ref = file(&worker);
  ASSERT_TRUE(move(worker, ref, "withdrawn"));
  EXPECT_FALSE(service_->casework.view_own_case(worker)->may_propose_meeting);
  EXPECT_EQ(service_->casework.propose_meeting(worker, ref, at_office({in_hours(2)})).error().code,
            ErrorCode::kForbidden);
}

// The pages read a typed meeting time on the workplace's clock: from_local undoes to_local.
TEST(MeetingTimes, ATimeTypedOnTheWorkplacesClockIsTheSameMomentInUtc) {
  using namespace std::chrono;
  const auto typed = local_days{year{2026} / 12 / 3} + hours{9};
  const TimePoint in_riau = from_local(typed, time_zone_of("ID", "Riau"));
  EXPECT_EQ(format_time(in_riau), "2026-12-03T02:00:00Z") << "WIB is UTC+7";
  const TimeZone nl = time_zone_of("NL");
  const auto summer = local_days{year{2026} / 7 / 1} + hours{9};
  EXPECT_EQ(format_time(from_local(summer, nl)), "2026-07-01T07:00:00Z") << "CEST";
  EXPECT_EQ(format_time(from_local(typed, nl)), "2026-12-03T08:00:00Z") << "CET";
  for (const auto& t : {in_riau, from_local(summer, nl)}) {
    EXPECT_EQ(from_local(to_local(t, nl).time, nl), t);
  }
}

}  // namespace
}  // namespace grievance::domain
