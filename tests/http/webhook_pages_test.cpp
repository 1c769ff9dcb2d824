// The admin's webhook pages without sockets (issue 10 item 1; docs/domain.md "Notifications"):
// adding a webhook shows its secret once and never again, a bad address is a field error in the
// page's language and stores nothing, deleting asks first, the deliveries page lists a dead
// delivery and "Send again" makes it pending; a company user gets what every admin page gives
// it (404), and every form carries the CSRF token.
#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/notifications.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"
#include "support/fake_outbox.hpp"
#include "support/fakes.hpp"
#include "support/page_text.hpp"

namespace grievance::http {
namespace {

using testing::count;
using testing::first_match;

namespace bhttp = boost::beast::http;

constexpr const char* kWebhookPassword = "correct horse battery staple";

std::string webhook_csrf(const std::string& html) {
  return first_match(html, "name=\"csrf\" value=\"([^\"]+)\"");
}

// The shared fake keeps webhooks; this one also keeps deliveries, as the SQLite store does
// (tests/storage/outbox_store_test.cpp): listed by state, and only a dead one sent again.
class DeliveryOutbox : public testing::FakeOutboxStore {
 public:
  domain::Result<std::vector<domain::WebhookDelivery>> list_deliveries(
      std::optional<domain::DeliveryState> state, int) override {
    std::lock_guard lock(mu_);
    std::vector<domain::WebhookDelivery> out;
    for (const auto& d : deliveries_) {
      if (!state || d.state == *state) out.push_back(d);
    }
    return out;
  }
  domain::Status retry_delivery(std::int64_t id, domain::TimePoint) override {
    std::lock_guard lock(mu_);
    for (auto& d : deliveries_) {
      if (d.id == id && d.state == domain::DeliveryState::kDead) {
        d.state = domain::DeliveryState::kPending;
        d.attempts = 0;
        return {};
      }
    }
    return domain::fail(domain::Error::not_found("No such dead delivery."));
  }
  void add_delivery(domain::WebhookDelivery d) {
    std::lock_guard lock(mu_);
    deliveries_.push_back(std::move(d));
  }
  domain::DeliveryState state_of(std::int64_t id) {
    std::lock_guard lock(mu_);
    for (const auto& d : deliveries_) {
      if (d.id == id) return d.state;
    }
    return domain::DeliveryState::kDelivered;
  }

 private:
  std::mutex mu_;
  std::vector<domain::WebhookDelivery> deliveries_;
};

domain::Ports with_outbox(domain::Ports p, domain::OutboxStore& outbox) {
  p.outbox = &outbox;
  return p;
}

class WebhookPagesTest : public ::testing::Test {
 protected:
  WebhookPagesTest() {
    sawit_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit Riau", "ID"});
    add_user("admin@example.org", "admin");
    add_user("csr@sawit.example", "company", sawit_);
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  void add_user(const std::string& email, const std::string& role,
                std::optional<std::int64_t> org = std::nullopt) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = kWebhookPassword;
    auto u = domain::new_user(store_.directory(), store_.accounts(), *hasher_, d, clock_.now());
    ASSERT_TRUE(u) << u.error().message;
  }

  Response call(bhttp::verb method, std::string target, std::string body,
                const std::string& cookie) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "grievance.example");
    req.set(bhttp::field::accept, "text/html");
    if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
      req.body() = std::move(body);
      req.prepare_payload();
    }
    RequestContext ctx{"203.0.113.9", false, "test"};
    return app_->handle(req, ctx);
  }
  Response get(std::string target, const std::string& cookie) {
    return call(bhttp::verb::get, std::move(target), {}, cookie);
  }
  Response post(std::string target, std::string body, const std::string& cookie) {
    return call(bhttp::verb::post, std::move(target), std::move(body), cookie);
  }
  std::string sign_in(const std::string& email) {
    auto res = post("/staff/sign-in",
                    "lang=en&email=" + web::url_encode(email) +
                        "&password=" + web::url_encode(kWebhookPassword) + "&totp=",
                    "");
    EXPECT_EQ(res.result_int(), 303) << res.body();
    const std::string cookie(res[bhttp::field::set_cookie]);
    return cookie.substr(0, cookie.find(';'));
  }
  std::string org_page() const { return "/staff/admin/organisations/" + std::to_string(sawit_); }
  std::string hooks_action() const { return org_page() + "/webhooks"; }

  // The admin adds `url` on the organisation's page as a browser does, in `lang`.
  Response add(const std::string& cookie, const std::string& url, const std::string& lang = "en") {
    const auto page = get(org_page() + "?lang=" + lang, cookie);
    EXPECT_EQ(page.result_int(), 200) << page.body();
    return post(
        hooks_action(),
        "csrf=" + webhook_csrf(page.body()) + "&lang=" + lang + "&url=" + web::url_encode(url),
        cookie);
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{23};
  testing::ManualClock clock_;
  std::unique_ptr<domain::PasswordHasher> hasher_ = crypto::make_password_hasher(4);
  DeliveryOutbox outbox_;
  domain::Services service_{
      with_outbox(store_.ports(crypto_, random_, clock_, hasher_.get()), outbox_),
      domain::ServiceConfig{}};
  std::int64_t sawit_ = 0;
  std::unique_ptr<App> app_;
};

TEST_F(WebhookPagesTest, AddingAWebhookShowsTheSecretOnceAndNeverAgain) {
  const auto admin = sign_in("admin@example.org");
  const auto before = get(org_page(), admin);
  EXPECT_EQ(before.result_int(), 200);
  EXPECT_NE(before.body().find("id=\"webhooks-title\""), std::string::npos) << before.body();
  EXPECT_NE(before.body().find("action=\"" + hooks_action() + "\""), std::string::npos);

  const auto res = add(admin, "https://hooks.example.org/grievance");
  ASSERT_EQ(res.result_int(), 201) << res.body();
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  const std::string secret = first_match(res.body(), "id=\"webhook-secret\">([0-9a-f]{64})<");
  ASSERT_EQ(secret.size(), 64u) << res.body();
  EXPECT_NE(res.body().find("X-Signature"), std::string::npos) << "says what the secret is for";

  auto hooks = outbox_.list_webhooks(sawit_);
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ((*hooks)[0].url, "https://hooks.example.org/grievance");

  const auto after = get(org_page(), admin);
  EXPECT_NE(after.body().find("https://hooks.example.org/grievance"), std::string::npos);
  EXPECT_EQ(after.body().find(secret), std::string::npos) << "the secret is shown only once";
  const auto operator_page = get("/staff/admin/webhooks", admin);
  EXPECT_EQ(operator_page.body().find(secret), std::string::npos);
}

TEST_F(WebhookPagesTest, TheComplaintsOfficeHasItsOwnWebhooks) {
  const auto admin = sign_in("admin@example.org");
  const auto orgs = get("/staff/admin/organisations", admin);
  EXPECT_NE(orgs.body().find("href=\"/staff/admin/webhooks?lang=en\""), std::string::npos);
  EXPECT_NE(orgs.body().find("href=\"/staff/admin/webhook-deliveries?lang=en\""),
            std::string::npos);
  const auto page = get("/staff/admin/webhooks?lang=fr", admin);
  ASSERT_EQ(page.result_int(), 200) << page.body();
  EXPECT_NE(page.body().find("Webhooks du bureau des plaintes"), std::string::npos);
  const auto res = post("/staff/admin/organisations/0/webhooks",
                        "csrf=" + webhook_csrf(page.body()) +
                            "&lang=fr&url=" + web::url_encode("https://office.example.org/hook"),
                        admin);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  EXPECT_EQ(outbox_.list_webhooks(domain::kOperatorOrgId)->size(), 1u);
}

TEST_F(WebhookPagesTest, ABadAddressIsAFieldErrorInThePagesLanguageAndStoresNothing) {
  const auto admin = sign_in("admin@example.org");
  for (const std::string url : {"http://hooks.example.org/x", "https://127.0.0.1/x", ""}) {
    const auto res = add(admin, url, "nl");
    EXPECT_EQ(res.result_int(), 400) << url;
    EXPECT_NE(res.body().find("href=\"#url\""), std::string::npos) << "error summary links";
    EXPECT_NE(res.body().find("id=\"url-error\""), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("Vul een adres in dat begint met https://"), std::string::npos);
    EXPECT_NE(res.body().find("value=\"" + url + "\""), std::string::npos) << "kept";
  }
  EXPECT_TRUE(outbox_.list_webhooks(sawit_)->empty());
}

TEST_F(WebhookPagesTest, ACompanyUserIsRefusedAsOnEveryAdminPage) {
  const auto company = sign_in("csr@sawit.example");
  EXPECT_EQ(get("/staff/admin/webhooks", company).result_int(), 404);
  EXPECT_EQ(get("/staff/admin/webhook-deliveries", company).result_int(), 404);
  const auto account = get("/staff/account", company);
  const std::string csrf = webhook_csrf(account.body());
  ASSERT_FALSE(csrf.empty());
  const auto res = post(
      hooks_action(),
      "csrf=" + csrf + "&lang=en&url=" + web::url_encode("https://evil.example.org/x"), company);
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(res.body().find("webhook-secret"), std::string::npos);
  EXPECT_TRUE(outbox_.list_webhooks(sawit_)->empty());
  // Not signed in: the sign-in page.
  EXPECT_EQ(get("/staff/admin/webhook-deliveries", "").result_int(), 303);
}

TEST_F(WebhookPagesTest, FormsWithoutTheCsrfTokenAreRefused) {
  const auto admin = sign_in("admin@example.org");
  const auto res =
      post(hooks_action(),
           "csrf=wrong&lang=en&url=" + web::url_encode("https://hooks.example.org/"), admin);
  EXPECT_EQ(res.result_int(), 403);
  EXPECT_TRUE(outbox_.list_webhooks(sawit_)->empty());
}

TEST_F(WebhookPagesTest, DeletingAsksFirst) {
  const auto admin = sign_in("admin@example.org");
  ASSERT_EQ(add(admin, "https://hooks.example.org/grievance").result_int(), 201);
  const auto id = (*outbox_.list_webhooks(sawit_))[0].id;
  const std::string confirm_path = hooks_action() + "/" + std::to_string(id) + "/delete";

  const auto page = get(org_page(), admin);
  EXPECT_NE(page.body().find("href=\"" + confirm_path + "?lang=en\""), std::string::npos)
      << "a link to the confirmation, not a button that deletes";
  const auto confirm = get(confirm_path, admin);
  ASSERT_EQ(confirm.result_int(), 200);
  EXPECT_NE(confirm.body().find("Delete the webhook https://hooks.example.org/grievance?"),
            std::string::npos)
      << confirm.body();
  EXPECT_NE(confirm.body().find("Yes, delete it"), std::string::npos);
  EXPECT_EQ(outbox_.list_webhooks(sawit_)->size(), 1u) << "asking deletes nothing";

  const auto done = post(confirm_path, "csrf=" + webhook_csrf(confirm.body()) + "&lang=en", admin);
  EXPECT_EQ(done.result_int(), 303);
  EXPECT_EQ(done[bhttp::field::location], org_page() + "?webhook_deleted=1&lang=en");
  EXPECT_TRUE(outbox_.list_webhooks(sawit_)->empty());
  const auto after = get(org_page() + "?webhook_deleted=1&lang=en", admin);
  EXPECT_NE(after.body().find("The webhook was deleted."), std::string::npos);
  // A deleted webhook has no confirmation page.
  EXPECT_EQ(get(confirm_path, admin).result_int(), 404);
}

TEST_F(WebhookPagesTest, TheDeliveriesPageListsADeadDeliveryAndSendsItAgain) {
  domain::WebhookDelivery d;
  d.id = 7;
  d.webhook_id = 1;
  d.url = "https://hooks.example.org/grievance";
  d.secret = "never-on-a-page";
  d.notification.id = 41;
  d.notification.org_id = sawit_;
  d.notification.event = domain::EventType::kRouted;
  d.notification.reference = "GRV-ABCD-EFGH";
  d.state = domain::DeliveryState::kDead;
  d.attempts = 8;
  d.last_error = "http 500";
  outbox_.add_delivery(d);

  const auto admin = sign_in("admin@example.org");
  const auto page = get("/staff/admin/webhook-deliveries", admin);
  ASSERT_EQ(page.result_int(), 200) << page.body();
  const std::string& html = page.body();
  for (const std::string shown : {"PT Sawit Riau", "https://hooks.example.org/grievance",
                                  "Case routed", "GRV-ABCD-EFGH", "http 500", ">8<"}) {
    EXPECT_NE(html.find(shown), std::string::npos) << shown;
  }
  EXPECT_EQ(html.find("never-on-a-page"), std::string::npos);
  const std::string retry = "/staff/admin/webhook-deliveries/7/retry";
  ASSERT_NE(html.find("action=\"" + retry + "\""), std::string::npos) << html;

  const auto res = post(retry, "csrf=" + webhook_csrf(html) + "&lang=id", admin);
  EXPECT_EQ(res.result_int(), 303);
  EXPECT_EQ(res[bhttp::field::location],
            "/staff/admin/webhook-deliveries?state=dead&retried=1&lang=id");
  EXPECT_EQ(outbox_.state_of(7), domain::DeliveryState::kPending);
  const auto after = get("/staff/admin/webhook-deliveries?state=dead&retried=1&lang=id", admin);
  EXPECT_NE(after.body().find("Pesan menunggu untuk dikirim lagi."), std::string::npos);
  EXPECT_EQ(after.body().find("GRV-ABCD-EFGH"), std::string::npos) << "no longer dead";
  const auto pending = get("/staff/admin/webhook-deliveries?state=pending", admin);
  EXPECT_NE(pending.body().find("GRV-ABCD-EFGH"), std::string::npos);
  EXPECT_EQ(pending.body().find("action=\"" + retry + "\""), std::string::npos)
      << "only a dead delivery is sent again";
  // Sent again twice: it is no longer dead.
  EXPECT_EQ(post(retry, "csrf=" + webhook_csrf(html) + "&lang=en", admin).result_int(), 404);
}

TEST_F(WebhookPagesTest, TheNewPagesHaveNoRawKeysInAnyLanguage) {
  const auto admin = sign_in("admin@example.org");
  ASSERT_EQ(add(admin, "https://hooks.example.org/grievance").result_int(), 201);
  const auto id = (*outbox_.list_webhooks(sawit_))[0].id;
  for (const std::string lang : {"en", "nl", "id", "vi", "fr"}) {
    for (const std::string& path : {org_page(), std::string("/staff/admin/webhooks"),
                                    std::string("/staff/admin/webhook-deliveries"),
                                    hooks_action() + "/" + std::to_string(id) + "/delete"}) {
      const auto res = get(path + "?lang=" + lang, admin);
      EXPECT_EQ(res.result_int(), 200) << path;
      EXPECT_EQ(count(res.body(), "staff_"), 0) << lang << " " << path;
      EXPECT_EQ(count(res.body(), "<h1"), 1) << path;
    }
    const auto secret = add(admin, "https://hooks.example.org/" + lang, lang);
    EXPECT_EQ(count(secret.body(), "staff_"), 0) << lang;
  }
}

}  // namespace
}  // namespace grievance::http
