// The deadline scheduler over the real store, across restarts (docs/domain.md "Deadlines"): the
// notices a case is owed are written once each - after a long stop the first run catches up,
// in order; a paused clock owes nothing; a second run, or a run after another restart, writes
// nothing more.
#include <algorithm>

#include "server/domain/services.hpp"
#include "storage/store_fixture.hpp"
#include "support/fakes.hpp"

namespace grievance::storage::testing {
namespace {

using domain::EventType;

class DeadlineRestartTest : public StoreTest {
 protected:
  // One run of the server: the store opened, the services over it, then everything closed.
  struct Run {
    std::unique_ptr<SqliteStores> store;
    std::unique_ptr<domain::Services> services;
  };
  Run start() {
    Run r;
    r.store = open();
    r.services = std::make_unique<domain::Services>(
        domain::Ports{r.store->cases(), r.store->directory(), r.store->accounts(), *crypto_,
                      random_, clock_, nullptr},
        domain::ServiceConfig{});
    return r;
  }
  std::vector<std::string> notices(Run& r, const std::string& reference) {
    domain::Session admin;
    admin.role = domain::Role::kAdmin;
    auto v = r.services->casework.view_case(admin, reference);
    EXPECT_TRUE(v) << v.error().message;
    std::vector<std::string> out;
    if (!v) return out;
    for (const auto& e : v->events) {
      if (e.type == EventType::kDeadlineReminder) out.push_back("reminder:" + e.detail);
      if (e.type == EventType::kDeadlineBreached) out.push_back("breach:" + e.detail);
    }
    return out;
  }

  grievance::testing::ManualClock clock_;
  grievance::testing::SeededRandom random_{7};
};

TEST_F(DeadlineRestartTest, ALongStopIsCaughtUpOnceAndAPausedClockOwesNothing) {
  std::string running, paused;
  {
    Run r = start();
    const auto company = *r.store->directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "Kebun", "ID", false});
    const auto site = *r.store->directory().create_site(
        domain::Site{0, "Estate", "ID", "Riau", domain::Sector::kPalmOil, company});
    domain::ComplaintDraft d;
    d.language = "id";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "Upah tidak dibayar.";
    d.site_id = site;
    d.country = "ID";
    d.anonymous = true;
    for (std::string* ref : {&running, &paused}) {
      auto filed = r.services->filing.file_complaint(d, domain::Channel::kWeb, {}, nullptr);
      ASSERT_TRUE(filed) << filed.error().message;
      *ref = filed->filed.reference;
    }
    domain::Session responsible;
    responsible.role = domain::Role::kCompany;
    responsible.org_id = company;
    clock_.advance(std::chrono::days(1));
    ASSERT_TRUE(r.services->casework.ask_complainant(responsible, paused, "Which month?"));
    clock_.advance(std::chrono::days(5) + std::chrono::hours(1));
    EXPECT_EQ(r.services->deadlines.run_once()->notices, 1);
    EXPECT_EQ(notices(r, running), (std::vector<std::string>{"reminder:acknowledgement"}));
  }
  // The server is down for half a year.
  clock_.advance(std::chrono::days(180));
  {
    Run r = start();
    EXPECT_EQ(r.services->deadlines.run_once()->notices, 5);
    EXPECT_EQ(notices(r, running),
              (std::vector<std::string>{"reminder:acknowledgement", "breach:acknowledgement",
                                        "reminder:response", "breach:response",
                                        "reminder:resolution", "breach:resolution"}));
    EXPECT_TRUE(notices(r, paused).empty()) << "a paused clock is never late";
    EXPECT_EQ(r.services->deadlines.run_once()->notices, 0);
  }
  {
    Run r = start();
    EXPECT_EQ(r.services->deadlines.run_once()->notices, 0) << "nothing is written twice";
    EXPECT_EQ(notices(r, running).size(), 6u);
  }
}

}  // namespace
}  // namespace grievance::storage::testing
