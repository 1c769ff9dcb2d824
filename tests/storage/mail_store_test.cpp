// The SQLite MailStore (migration 0012): the staff's e-mail opt-in, who is a recipient, and
// the digest queue kept until its digest is sent (docs/domain.md "Notification e-mail").
#include "server/domain/ports/mail_store.hpp"

#include "storage/sqlite/stores.hpp"
#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

using domain::Language;
using domain::MailMode;

class MailStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    store_ = open();
    ASSERT_TRUE(store_);
    org_a_ = *store_->directory().create_organisation(
        {0, domain::OrgKind::kCompany, "Sawit Jaya", "ID"});
    org_b_ = *store_->directory().create_organisation(
        {0, domain::OrgKind::kCompany, "Global Foods", "NL"});
  }
  std::int64_t user(std::string email, std::int64_t org) {
    domain::User u;
    u.email = std::move(email);
    u.role = domain::Role::kCompany;
    u.org_id = org;
    u.password_hash = "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA";
    u.created_at = at(1'800'000'000);
    auto id = store_->accounts().create_user(u);
    EXPECT_TRUE(id);
    return id.value_or(0);
  }
  domain::Notification notice(std::int64_t id, std::int64_t org, std::string ref) {
    return {.id = id,
            .org_id = org,
            .reference = std::move(ref),
            .event = domain::EventType::kDeadlineBreached,
            .status = domain::CaseStatus::kInDialogue,
            .at = at(1'800'000'000 + id)};
  }
  std::unique_ptr<SqliteStores> store_;
  std::int64_t org_a_ = 0;
  std::int64_t org_b_ = 0;
};

TEST_F(MailStoreTest, OptInIsOffByDefaultAndSurvivesReopening) {
  const auto id = user("officer@a.example", org_a_);
  auto p = store_->mail().mail_preference(id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mode, MailMode::kOff);
  EXPECT_FALSE(p->language);
  ASSERT_TRUE(store_->mail().set_mail_preference(id, {MailMode::kDigest, Language::kVi}));
  store_.reset();
  store_ = open();
  p = store_->mail().mail_preference(id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mode, MailMode::kDigest);
  EXPECT_EQ(p->language, Language::kVi);
  EXPECT_EQ(store_->mail().mail_preference(9999).error().code, domain::ErrorCode::kNotFound);
  EXPECT_EQ(store_->mail().set_mail_preference(9999, {}).error().code,
            domain::ErrorCode::kNotFound);
}

TEST_F(MailStoreTest, RecipientsAreTheOptedInEnabledStaffOfTheOrganisation) {
  const auto each = user("each@a.example", org_a_);
  const auto digest = user("digest@a.example", org_a_);
  user("never@a.example", org_a_);
  const auto off = user("off@a.example", org_a_);
  const auto other = user("other@b.example", org_b_);
  const auto disabled = user("disabled@a.example", org_a_);
  ASSERT_TRUE(store_->mail().set_mail_preference(each, {MailMode::kEach, Language::kNl}));
  ASSERT_TRUE(store_->mail().set_mail_preference(digest, {MailMode::kDigest, std::nullopt}));
  ASSERT_TRUE(store_->mail().set_mail_preference(off, {MailMode::kOff, Language::kFr}));
  ASSERT_TRUE(store_->mail().set_mail_preference(other, {MailMode::kEach, Language::kEn}));
  ASSERT_TRUE(store_->mail().set_mail_preference(disabled, {MailMode::kEach, Language::kEn}));
  auto u = *store_->accounts().find_user(disabled);
  u->disabled = true;
  ASSERT_TRUE(store_->accounts().update_user(*u));

  auto r = store_->mail().mail_recipients(org_a_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].email, "digest@a.example");
  EXPECT_EQ((*r)[0].mode, MailMode::kDigest);
  EXPECT_EQ((*r)[0].language, Language::kEn);  // not chosen: English
  EXPECT_EQ((*r)[1].email, "each@a.example");
  EXPECT_EQ((*r)[1].language, Language::kNl);
}

TEST_F(MailStoreTest, DigestQueueKeepsEachNotificationOnceUntilSent) {
  const auto digest = user("digest@a.example", org_a_);
  ASSERT_TRUE(store_->mail().set_mail_preference(digest, {MailMode::kDigest, Language::kId}));
  ASSERT_TRUE(store_->mail().queue_digest(digest, notice(1, org_a_, "GRV-1")));
  ASSERT_TRUE(store_->mail().queue_digest(digest, notice(2, org_a_, "GRV-2")));
  ASSERT_TRUE(store_->mail().queue_digest(digest, notice(2, org_a_, "GRV-2")));  // a retry
  // A notification of another organisation (the user moved) is not in the digest.
  ASSERT_TRUE(store_->mail().queue_digest(digest, notice(3, org_b_, "GRV-3")));

  auto pending = store_->mail().pending_digests();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  const auto& d = (*pending)[0];
  EXPECT_EQ(d.recipient.email, "digest@a.example");
  EXPECT_EQ(d.recipient.language, Language::kId);
  EXPECT_FALSE(d.last_sent);
  ASSERT_EQ(d.items.size(), 2u);
  EXPECT_EQ(d.items[0].reference, "GRV-1");
  EXPECT_EQ(d.items[1].reference, "GRV-2");
  EXPECT_EQ(d.items[1].event, domain::EventType::kDeadlineBreached);
  EXPECT_EQ(d.items[1].status, domain::CaseStatus::kInDialogue);
  EXPECT_EQ(d.items[1].at, at(1'800'000'002));

  // A notification queued after the digest was read stays for the next one.
  ASSERT_TRUE(store_->mail().queue_digest(digest, notice(4, org_a_, "GRV-4")));
  ASSERT_TRUE(store_->mail().digest_sent(digest, d.last_queue_id, at(1'800'100'000)));
  pending = store_->mail().pending_digests();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].last_sent, at(1'800'100'000));
  ASSERT_EQ((*pending)[0].items.size(), 1u);
  EXPECT_EQ((*pending)[0].items[0].reference, "GRV-4");

  // Leaving the digest drops what waits.
  ASSERT_TRUE(store_->mail().set_mail_preference(digest, {MailMode::kEach, Language::kId}));
  ASSERT_TRUE(store_->mail().set_mail_preference(digest, {MailMode::kDigest, Language::kId}));
  pending = store_->mail().pending_digests();
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty());
}

}  // namespace
}  // namespace grievance::storage::testing
