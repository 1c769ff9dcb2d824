#include <gtest/gtest.h>

#include <filesystem>

#include "server/crypto/crypto.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/services.hpp"
#include "support/fakes.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;

class FilingAndFollowUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_id_ = *store_.directory().create_site(
        Site{0, "PT Sawit Riau Estate", "ID", "Riau", Sector::kPalmOil, 1});
  }

  ComplaintDraft draft() {
    ComplaintDraft d;
    d.language = "id";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "MARKER-NARRATIVE upah tidak dibayar";
    d.site_id = site_id_;
    d.country = "ID";
    d.anonymous = true;
    return d;
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{99};
  testing::ManualClock clock_;
  ServiceConfig config_;
  Services service_{store_.ports(crypto_, random_, clock_), config_};
  std::int64_t site_id_ = 0;
};

TEST_F(FilingAndFollowUpTest, FilingStoresTheCaseReceivedWithDeadlinesFromTheClock) {
  const auto now = clock_.now();
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->filed.status, CaseStatus::kReceived);
  EXPECT_EQ(filed->filed.deadlines.ack_due, now + std::chrono::days{7});
  EXPECT_EQ(filed->filed.deadlines.response_due, now + std::chrono::days{30});
  EXPECT_EQ(filed->filed.deadlines.resolution_due, now + std::chrono::days{90});
  EXPECT_EQ(filed->access_code.size(), 16u);

  auto stored = store_.cases().find_case_by_reference(filed->filed.reference);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->complaint.narrative, "MARKER-NARRATIVE upah tidak dibayar");
  EXPECT_FALSE((*stored)->access_code_hmac.empty());
  EXPECT_NE((*stored)->access_code_hmac, filed->access_code) << "only a MAC of the code is stored";
  auto events = store_.cases().case_events((*stored)->id);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, EventType::kFiled);
  EXPECT_EQ((*events)[0].to_status, CaseStatus::kReceived);
  // The site's operator is not a known company here: the case waits in triage.
  EXPECT_EQ((*events)[1].type, EventType::kRouted);
  EXPECT_EQ((*events)[1].body, "triage");
}

TEST_F(FilingAndFollowUpTest, ARetriedFilingKeyAnswersTheFirstFilingAndStoresNothing) {
  auto first = service_.filing.file_complaint(draft(), Channel::kWeb, "web:0123456789abcdef");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->replayed);
  clock_.advance(5min);
  auto again = service_.filing.file_complaint(draft(), Channel::kWeb, "web:0123456789abcdef");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->filed.reference, first->filed.reference);
  EXPECT_TRUE(again->access_code.empty()) << "the code is never stored, so never shown again";
  EXPECT_EQ(again->receipt.signature, first->receipt.signature);
  EXPECT_EQ(again->receipt.filed_at, first->receipt.filed_at);
  EXPECT_EQ(*store_.cases().count_cases(), 1);

  auto other_content = draft();
  other_content.narrative = "something else";
  auto conflict =
      service_.filing.file_complaint(other_content, Channel::kWeb, "web:0123456789abcdef");
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);

  EXPECT_TRUE(service_.filing.file_complaint(draft(), Channel::kWeb, "web:another-key-000000"));
  EXPECT_TRUE(service_.filing.file_complaint(draft(), Channel::kWeb));
  EXPECT_EQ(*store_.cases().count_cases(), 3);
}

TEST_F(FilingAndFollowUpTest, ConfiguredDeadlinesApply) {
  config_.ack_days = 3;
  config_.resolution_days = 60;
  Services service(store_.ports(crypto_, random_, clock_), config_);
  const auto now = clock_.now();
  auto filed = service.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_TRUE(filed);
  EXPECT_EQ(filed->filed.deadlines.ack_due, now + std::chrono::days{3});
  EXPECT_EQ(filed->filed.deadlines.resolution_due, now + std::chrono::days{60});
}

TEST_F(FilingAndFollowUpTest, UnknownSiteIsAFieldErrorAndStoresNothing) {
  auto d = draft();
  d.site_id = 4242;
  auto filed = service_.filing.file_complaint(d, Channel::kWeb);
  ASSERT_FALSE(filed);
  EXPECT_EQ(filed.error().field, "site_id");
  EXPECT_EQ(*store_.cases().count_cases(), 0);
}

TEST_F(FilingAndFollowUpTest, OnlyAUnionFilesWithAMandate) {
  auto d = draft();
  d.mandate = Mandate{true, false, false, 0};
  auto filed = service_.filing.file_complaint(d, Channel::kWeb);
  ASSERT_FALSE(filed);
  EXPECT_EQ(filed.error().field, "mandate");
  auto union_id =
      store_.directory().create_organisation(Organisation{0, OrgKind::kUnion, "U", "ID", false});
  ASSERT_TRUE(union_id);
  Session filer;
  filer.role = Role::kUnion;
  filer.org_id = *union_id;
  auto by_union = service_.filing.file_complaint(d, Channel::kWeb, {}, &filer);
  ASSERT_TRUE(by_union) << by_union.error().message;
  EXPECT_EQ(by_union->filed.complaint.channel, Channel::kUnion);
  EXPECT_EQ(by_union->filed.complaint.union_org_id, *union_id);
  // A union's filing must record the worker's mandate.
  d.mandate.reset();
  auto without = service_.filing.file_complaint(d, Channel::kWeb, {}, &filer);
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().field, "mandate");
}

TEST_F(FilingAndFollowUpTest, StorageFailureIsUnavailableNotACrash) {
  store_.fail_writes = true;
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_FALSE(filed);
  EXPECT_EQ(filed.error().code, ErrorCode::kUnavailable);
}

TEST_F(FilingAndFollowUpTest, SignInWithReferenceAndCodeInAnyTypedForm) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_TRUE(filed);
  std::string lower_ref = filed->filed.reference;
  for (auto& c : lower_ref) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto signed_in =
      service_.complainants.sign_in(lower_ref, group_access_code(filed->access_code), "client-a");
  ASSERT_TRUE(signed_in) << signed_in.error().message;
  EXPECT_EQ(signed_in->session.role, Role::kComplainant);
  EXPECT_EQ(signed_in->session.case_id, filed->filed.id);
  EXPECT_EQ(signed_in->session.token_hash, crypto_.sha256_hex(signed_in->token));
  EXPECT_NE(signed_in->session.token_hash, signed_in->token) << "only the hash is stored";

  auto session = service_.sessions.authenticate(signed_in->token);
  ASSERT_TRUE(session);
  auto view = service_.casework.view_case(*session, filed->filed.reference);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->c.complaint.narrative, "MARKER-NARRATIVE upah tidak dibayar");
}

// Issue 8: anyone who knows a reference could keep its complainant out with five wrong codes
// every 15 minutes, the right code refused too. The reference's limit applies to wrong codes
// only: the right code always signs in (docs/security.md "Access codes").
TEST_F(FilingAndFollowUpTest, WrongCodesSlowTheReferenceDownButTheRightCodeStillSignsIn) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_TRUE(filed);
  const auto& ref = filed->filed.reference;
  for (int i = 0; i < config_.throttle.max_failures_per_subject; ++i) {
    auto r =
        service_.complainants.sign_in(ref, "0000 0000 0000 0000", "client-" + std::to_string(i));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthorized);
  }
  // The reference is slowed down: a wrong code is refused with a time to wait...
  auto slowed = service_.complainants.sign_in(ref, "0000 0000 0000 0001", "client-y");
  ASSERT_FALSE(slowed);
  EXPECT_EQ(slowed.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(slowed.error().retry_after_seconds, 0);
  // ...but the right code signs in, from any client, at once.
  auto mine = service_.complainants.sign_in(ref, filed->access_code, "client-z");
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_EQ(mine->session.case_id, filed->filed.id);
  // A success clears the reference's count.
  auto typo = service_.complainants.sign_in(ref, "0000 0000 0000 0002", "client-z");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().code, ErrorCode::kUnauthorized);
}

// Wrong codes against a slowed reference cost each client more of its own budget, so a guesser
// stops sooner (docs/security.md "Access codes" has the arithmetic).
TEST_F(FilingAndFollowUpTest, WrongCodesOnASlowedReferenceUseUpTheClientSooner) {
  auto target = service_.filing.file_complaint(draft(), Channel::kWeb);
  auto other = service_.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_TRUE(target && other);
  const auto& ref = target->filed.reference;
  for (int i = 0; i < config_.throttle.max_failures_per_subject; ++i) {
    ASSERT_FALSE(service_.complainants.sign_in(ref, "0000000000000000", "c" + std::to_string(i)));
  }
  const int allowed = config_.throttle.max_failures_per_client /
                      config_.throttle.max_failures_per_subject;  // 20 / 5 = 4 wrong codes
  for (int i = 0; i < allowed; ++i) {
    auto r = service_.complainants.sign_in(ref, "1111111111111111", "guesser");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kRateLimited) << i;
  }
  // The guesser's client is now locked: even a right code (of another case) is refused.
  auto blocked =
      service_.complainants.sign_in(other->filed.reference, other->access_code, "guesser");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(service_.complainants.sign_in(other->filed.reference, other->access_code, "c0"));
  // The lock ends.
  clock_.advance(config_.throttle.lockout + 1s);
  EXPECT_TRUE(service_.complainants.sign_in(other->filed.reference, other->access_code, "guesser"));
}

TEST_F(FilingAndFollowUpTest, PerClientLimitStopsGuessingAcrossReferences) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  ASSERT_TRUE(filed);
  for (int i = 0; i < config_.throttle.max_failures_per_client; ++i) {
    auto r = service_.complainants.sign_in("GRV-0000-00" + std::to_string(10 + i),
                                           "1111111111111111", "guesser");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthorized);
  }
  auto r = service_.complainants.sign_in("GRV-0000-0099", "1111111111111111", "guesser");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  // The limit is per client: the locked client is refused even with a right code.
  auto right = service_.complainants.sign_in(filed->filed.reference, filed->access_code, "guesser");
  ASSERT_FALSE(right);
  EXPECT_EQ(right.error().code, ErrorCode::kRateLimited);
}

TEST_F(FilingAndFollowUpTest, UnknownReferenceAnswersLikeAWrongCode) {
  auto r = service_.complainants.sign_in("GRV-ZZZZ-ZZZZ", "1234567890123456", "c");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthorized);
  auto garbage = service_.complainants.sign_in("nonsense", "12", "c");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kUnauthorized);
}

TEST_F(FilingAndFollowUpTest, SessionsExpireAndSignOutInvalidates) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  auto a = service_.complainants.sign_in(filed->filed.reference, filed->access_code, "c");
  ASSERT_TRUE(a);
  clock_.advance(config_.complainant_session_ttl + 1s);
  auto expired = service_.sessions.authenticate(a->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthorized);

  EXPECT_EQ(store_.session_count(), 1u) << "reading never writes: the expired one stays";
  auto b = service_.complainants.sign_in(filed->filed.reference, filed->access_code, "c");
  ASSERT_TRUE(b);
  EXPECT_EQ(store_.session_count(), 1u) << "the sign-in swept the expired session";
  EXPECT_TRUE(service_.sessions.authenticate(b->token));
  EXPECT_TRUE(service_.sessions.sign_out(b->token));
  EXPECT_FALSE(service_.sessions.authenticate(b->token));
  EXPECT_FALSE(service_.sessions.authenticate("not a token"));
}

TEST_F(FilingAndFollowUpTest, AComplainantSeesOnlyTheOwnCaseAndOthersAre404) {
  auto mine = service_.filing.file_complaint(draft(), Channel::kWeb);
  auto theirs = service_.filing.file_complaint(draft(), Channel::kWeb);
  auto me = service_.complainants.sign_in(mine->filed.reference, mine->access_code, "c");
  ASSERT_TRUE(me);
  auto other = service_.casework.view_case(me->session, theirs->filed.reference);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  auto missing = service_.casework.view_case(me->session, "GRV-AAAA-AAAA");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto post = service_.casework.post_message(me->session, theirs->filed.reference, "hello",
                                             Visibility::kParties);
  ASSERT_FALSE(post);
  EXPECT_EQ(post.error().code, ErrorCode::kNotFound);
}

TEST_F(FilingAndFollowUpTest, MessagesAreAppendedAsVisibleEvents) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  auto me = service_.complainants.sign_in(filed->filed.reference, filed->access_code, "c");
  clock_.advance(1h);
  auto msg = service_.casework.post_message(me->session, filed->filed.reference,
                                            "Masih belum dibayar", Visibility::kParties);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->type, EventType::kMessage);
  EXPECT_EQ(msg->actor_role, Role::kComplainant);
  auto staff_only = service_.casework.post_message(me->session, filed->filed.reference, "x",
                                                   Visibility::kOrganisation);
  ASSERT_FALSE(staff_only);
  EXPECT_EQ(staff_only.error().field, "visibility");
  auto empty = service_.casework.post_message(me->session, filed->filed.reference, "  ",
                                              Visibility::kParties);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "body");

  auto view = service_.casework.view_case(me->session, filed->filed.reference);
  ASSERT_TRUE(view);
  ASSERT_EQ(view->events.size(), 3u);  // filed, routed (triage), the message
  EXPECT_EQ(view->events[2].body, "Masih belum dibayar");
  EXPECT_EQ(view->events[2].at, clock_.now());
}

TEST_F(FilingAndFollowUpTest, StaffOnlyEventsAreHiddenFromTheComplainant) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  CaseEvent internal;
  internal.at = clock_.now();
  internal.type = EventType::kMessage;
  internal.actor_role = Role::kCompany;
  internal.visibility = Visibility::kOrganisation;
  internal.body = "internal note";
  ASSERT_TRUE(store_.cases().append_event(filed->filed.id, internal, std::nullopt));
  auto me = service_.complainants.sign_in(filed->filed.reference, filed->access_code, "c");
  auto view = service_.casework.view_case(me->session, filed->filed.reference);
  ASSERT_TRUE(view);
  for (const auto& e : view->events) EXPECT_NE(e.body, "internal note");
}

TEST_F(FilingAndFollowUpTest, StageFramesShowIndicativeTimesAndTheCurrentStage) {
  auto filed = service_.filing.file_complaint(draft(), Channel::kWeb);
  auto stages = service_.casework.stage_frames(filed->filed);
  ASSERT_EQ(stages.size(), 6u);
  EXPECT_EQ(stages[0].stage, CaseStatus::kReceived);
  EXPECT_TRUE(stages[0].current);
  EXPECT_TRUE(stages[0].reached);
  EXPECT_FALSE(stages[1].reached);
  EXPECT_EQ(stages[1].indicative_days, 7);
  EXPECT_EQ(stages[1].due, filed->filed.deadlines.ack_due);
  EXPECT_EQ(stages[4].stage, CaseStatus::kResolved);
  EXPECT_EQ(stages[4].indicative_days, 90);
}

TEST_F(FilingAndFollowUpTest, CanonicalContentDistinguishesEveryField) {
  auto a = validate_complaint(draft(), {}, service_.filing.today());
  ASSERT_TRUE(a);
  auto b = *a;
  b.narrative += "x";
  auto c = *a;
  c.anonymous = false;
  auto d = *a;
  d.place = "site_id:1\n";  // length prefixes stop field-boundary games
  EXPECT_NE(canonical_content(*a), canonical_content(b));
  EXPECT_NE(canonical_content(*a), canonical_content(c));
  EXPECT_NE(canonical_content(*a), canonical_content(d));
  EXPECT_EQ(canonical_content(*a), canonical_content(*a));
}

// Receipts with the real Ed25519 implementation: a changed byte anywhere fails.
TEST(Receipt, SignedReceiptVerifiesAndAnyChangedByteFails) {
  auto dir = std::filesystem::temp_directory_path() / ("grv-receipt-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto keys = crypto::load_or_create_keys(dir.string());
  ASSERT_TRUE(keys) << keys.error().message;
  auto real_crypto = crypto::make_crypto(*keys);
  auto random = crypto::make_system_random();
  testing::FakeStores store;
  testing::ManualClock clock;
  Services service(store.ports(*real_crypto, *random, clock), ServiceConfig{});
  ComplaintDraft d;
  d.language = "vi";
  d.categories = std::vector<std::string>{"working_hours"};
  d.narrative = "Làm thêm giờ không được trả lương";
  d.place = "Xưởng may Bình Dương";
  d.country = "VN";
  auto filed = service.filing.file_complaint(d, Channel::kWeb);
  ASSERT_TRUE(filed);
  const Receipt good = filed->receipt;
  EXPECT_TRUE(service.filing.verify_receipt(good));
  EXPECT_EQ(good.content_sha256,
            real_crypto->sha256_hex(canonical_content(filed->filed.complaint)));

  auto flip = [](std::string s, std::size_t i) {
    s[i] = s[i] == 'A' ? 'B' : 'A';
    return s;
  };
  for (std::size_t i = 0; i < good.content_sha256.size(); i += 7) {
    Receipt r = good;
    r.content_sha256[i] = r.content_sha256[i] == '0' ? '1' : '0';
    EXPECT_FALSE(service.filing.verify_receipt(r)) << i;
  }
  for (std::size_t i = 0; i < good.signature.size(); i += 5) {
    Receipt r = good;
    r.signature = flip(r.signature, i);
    EXPECT_FALSE(service.filing.verify_receipt(r)) << i;
  }
  Receipt later = good;
  later.filed_at += 1s;
  EXPECT_FALSE(service.filing.verify_receipt(later));
  Receipt other = good;
  other.reference = "GRV-0000-0000";
  EXPECT_FALSE(service.filing.verify_receipt(other));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace grievance::domain
