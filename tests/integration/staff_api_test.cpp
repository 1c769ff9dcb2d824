// Staff over real TLS against the real binary (issue 3): the first admin made by
// `grievance admin create-user`, the directory built through the admin API, a union officer's
// sign-in and a CSV batch retried with the same Idempotency-Key, sign-out.
#include <gtest/gtest.h>

#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/server_process.hpp"
#include "integration/test_env.hpp"
#include "integration/tls_client.hpp"
#include "server/crypto/crypto.hpp"
#include "server/domain/totp.hpp"

namespace grievance::testing {
namespace {

using namespace std::chrono_literals;
using bhttp::verb;
using nlohmann::json;

constexpr const char* kStaffAdminPassword = "correct horse battery staple";
constexpr const char* kUnionPassword = "union officer pass 2026";

class StaffApiTest : public ::testing::Test {
 protected:
  void SetUp() override { cert_ = make_test_certificate(dir_.path()); }
  void TearDown() override {
    if (HasFailure()) {
      std::ifstream log(dir_.path() / "server.log");
      std::stringstream text;
      text << log.rdbuf();
      std::cerr << "---- server stderr ----\n" << text.str() << "-----------------------\n";
    }
  }

  ClientResponse call(verb method, std::string_view target, std::string body = {},
                      const std::string& bearer = {}, std::string_view content_type = {},
                      std::string_view idempotency_key = {}) {
    TlsClient c(server_->port());
    auto ec = c.connect();
    EXPECT_FALSE(ec) << ec.message();
    const std::string auth = bearer.empty() ? std::string() : "Bearer " + bearer;
    std::string_view type = content_type.empty() ? "application/json" : content_type;
    if (!auth.empty() && !idempotency_key.empty()) {
      return c.request(
          method, target, std::move(body),
          {{"Content-Type", type}, {"Authorization", auth}, {"Idempotency-Key", idempotency_key}});
    }
    if (!auth.empty()) {
      return c.request(method, target, std::move(body),
                       {{"Content-Type", type}, {"Authorization", auth}});
    }
    return c.request(method, target, std::move(body), {{"Content-Type", type}});
  }

  json ok(const ClientResponse& res, unsigned status) {
    EXPECT_EQ(res.result_int(), status) << res.body();
    return json::parse(res.body(), nullptr, false);
  }

  std::string sign_in(const std::string& email, const std::string& password) {
    auto j = ok(
        call(verb::post, "/api/v1/session", json{{"email", email}, {"password", password}}.dump()),
        201);
    return j.value("token", "");
  }

  TempDir dir_;
  TestCertificate cert_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(StaffApiTest, AdminBuildsTheDirectoryAndAUnionFilesACsvBatchOnce) {
  const auto data = dir_.path() / "data";
  const auto password_file = dir_.path() / "password.txt";
  write_file(password_file, std::string(kStaffAdminPassword) + "\n");
  auto created = run_grievance({"admin", "create-user", "--data", data.string(), "--email",
                                "admin@example.org", "--role", "admin", "--password-file",
                                password_file.string()});
  ASSERT_EQ(created.exit_code, 0) << created.output;
  server_ = std::make_unique<ServerProcess>(data, cert_, dir_.path() / "server.log",
                                            std::vector<std::string>{});

  EXPECT_EQ(call(verb::post, "/api/v1/session",
                 json{{"email", "admin@example.org"}, {"password", "not the password!"}}.dump())
                .result_int(),
            401u);
  const std::string admin = sign_in("admin@example.org", kStaffAdminPassword);
  ASSERT_FALSE(admin.empty());

  const auto company = ok(call(verb::post, "/api/v1/organisations",
                               R"({"kind":"company","name":"PT Sawit TLS","country":"ID"})", admin),
                          201);
  const auto union_org = ok(call(verb::post, "/api/v1/organisations",
                                 R"({"kind":"union","name":"Union TLS","country":"ID"})", admin),
                            201);
  const auto site = ok(call(verb::post, "/api/v1/sites",
                            json{{"name", "Kebun TLS"},
                                 {"country", "ID"},
                                 {"region", "Riau"},
                                 {"sector", "palm_oil"},
                                 {"operator_org_id", company["id"]}}
                                .dump(),
                            admin),
                       201);
  const auto officer = ok(call(verb::post, "/api/v1/users",
                               json{{"email", "officer@union.example"},
                                    {"role", "union"},
                                    {"org_id", union_org["id"]},
                                    {"password", kUnionPassword}}
                                   .dump(),
                               admin),
                          201);
  EXPECT_FALSE(officer.contains("password_hash"));
  // Only an admin manages the directory.
  const std::string union_token = sign_in("officer@union.example", kUnionPassword);
  EXPECT_EQ(call(verb::get, "/api/v1/users", {}, union_token).result_int(), 403u);

  const std::string site_id = std::to_string(site["id"].get<std::int64_t>());
  const std::string csv =
      "\xEF\xBB\xBFlanguage,categories,narrative,site_id,country,anonymous,mandate_follow\r\n"
      "id,wages;working_hours,\"Upah lembur, tiga bulan\"," +
      site_id +
      ",ID,yes,yes\r\n"
      "id,health_safety,\"Tanpa masker\nsaat penyemprotan\"," +
      site_id +
      ",ID,yes,no\r\n"
      "id,bribery,kategori salah," +
      site_id + ",ID,yes,no\r\n";
  const std::string key = "tls-batch-2026-11-29-0001";
  auto first =
      ok(call(verb::post, "/api/v1/complaints/batch", csv, union_token, "text/csv", key), 201);
  EXPECT_EQ(first["stored"], 2);
  EXPECT_EQ(first["failed"], 1);
  EXPECT_EQ(first["rows"][2]["error"]["field"], "categories");
  EXPECT_EQ(first["rows"][0]["access_code"].get<std::string>().size(), 16u);
  auto retry =
      ok(call(verb::post, "/api/v1/complaints/batch", csv, union_token, "text/csv", key), 200);
  EXPECT_EQ(retry["stored"], 0);
  EXPECT_EQ(retry["replayed"], 2);
  EXPECT_EQ(retry["rows"][1]["reference"], first["rows"][1]["reference"]);

  // The admin sees exactly the two paper cases, routed to the site's operator.
  auto list = ok(call(verb::get, "/api/v1/cases", {}, admin), 200);
  ASSERT_EQ(list["cases"].size(), 2u);
  for (const auto& c : list["cases"]) {
    EXPECT_EQ(c["channel"], "paper");
    EXPECT_EQ(c["parties"][0]["org_id"], company["id"]);
  }
  auto union_list = ok(call(verb::get, "/api/v1/cases", {}, union_token), 200);
  EXPECT_EQ(union_list["cases"].size(), 2u);

  EXPECT_EQ(call(verb::delete_, "/api/v1/session", {}, union_token).result_int(), 200u);
  EXPECT_EQ(call(verb::get, "/api/v1/cases", {}, union_token).result_int(), 401u);
}

// Issue 3: up to 1,000 paper forms in one batch. That is larger than the server's body_limit
// (1 MiB), so a signed-in union user's batch gets batch_body_limit (8 MiB) - and nobody else
// does: the allowance is decided from the header before any of the body is read.
TEST_F(StaffApiTest, AThousandFormBatchFitsOnlyForASignedInUnionUser) {
  const auto data = dir_.path() / "data";
  const auto password_file = dir_.path() / "password.txt";
  write_file(password_file, std::string(kStaffAdminPassword) + "\n");
  ASSERT_EQ(run_grievance({"admin", "create-user", "--data", data.string(), "--email",
                           "admin@example.org", "--role", "admin", "--password-file",
                           password_file.string()})
                .exit_code,
            0);
  server_ = std::make_unique<ServerProcess>(data, cert_, dir_.path() / "server.log",
                                            std::vector<std::string>{});
  const std::string admin = sign_in("admin@example.org", kStaffAdminPassword);
  const auto union_org = ok(call(verb::post, "/api/v1/organisations",
                                 R"({"kind":"union","name":"Union TLS","country":"ID"})", admin),
                            201);
  const auto company = ok(call(verb::post, "/api/v1/organisations",
                               R"({"kind":"company","name":"PT Besar","country":"ID"})", admin),
                          201);
  ok(call(verb::post, "/api/v1/users",
          json{{"email", "officer@union.example"},
               {"role", "union"},
               {"org_id", union_org["id"]},
               {"password", kUnionPassword}}
              .dump(),
          admin),
     201);
  ok(call(verb::post, "/api/v1/users",
          json{{"email", "officer@company.example"},
               {"role", "company"},
               {"org_id", company["id"]},
               {"password", kUnionPassword}}
              .dump(),
          admin),
     201);
  const std::string union_token = sign_in("officer@union.example", kUnionPassword);
  const std::string company_token = sign_in("officer@company.example", kUnionPassword);

  std::string csv = "language,categories,narrative,place,country,anonymous,mandate_follow\n";
  const std::string narrative(1500, 'x');
  for (int i = 0; i < 1000; ++i) {
    csv += "id,wages,\"Form " + std::to_string(i) + " " + narrative + "\",Kampar,ID,yes,yes\n";
  }
  ASSERT_GT(csv.size(), 1u << 20) << "the batch must exceed the ordinary body limit";

  // Anonymous, a company officer and a made-up token keep the ordinary limit: 413.
  for (const std::string& bearer : {std::string(), company_token, std::string(43, 'A')}) {
    TlsClient c(server_->port());
    ASSERT_FALSE(c.connect());
    boost::system::error_code ec;
    std::string auth = "Bearer " + bearer;
    auto res = bearer.empty()
                   ? c.request(verb::post, "/api/v1/complaints/batch", csv,
                               {{"Content-Type", "text/csv"}}, &ec)
                   : c.request(verb::post, "/api/v1/complaints/batch", csv,
                               {{"Content-Type", "text/csv"}, {"Authorization", auth}}, &ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 413u) << bearer.substr(0, 4);
  }
  // Over the batch limit even for the union: 413.
  {
    TlsClient c(server_->port());
    ASSERT_FALSE(c.connect());
    boost::system::error_code ec;
    auto res =
        c.request(verb::post, "/api/v1/complaints/batch", std::string(9u << 20, 'x'),
                  {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + union_token}}, &ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 413u);
  }
  auto filed = ok(call(verb::post, "/api/v1/complaints/batch", csv, union_token, "text/csv",
                       "thousand-forms-0001"),
                  201);
  EXPECT_EQ(filed["stored"], 1000);
  EXPECT_EQ(filed["failed"], 0);
  auto list = ok(call(verb::get, "/api/v1/cases?limit=100&triage=1", {}, admin), 200);
  EXPECT_EQ(list["cases"].size(), 100u);
  EXPECT_FALSE(list["next_cursor"].is_null());
}

// README: `create-user --totp` enrols a second factor and prints its secret once; with
// require_totp_for_admins the admin then signs in only with a fresh code, each code once.
TEST_F(StaffApiTest, CreateUserWithTotpPrintsTheSecretAndTheAdminNeedsACodeOnce) {
  const auto data = dir_.path() / "data";
  const auto password_file = dir_.path() / "password.txt";
  write_file(password_file, std::string(kStaffAdminPassword) + "\n");
  auto created = run_grievance({"admin", "create-user", "--data", data.string(), "--email",
                                "admin@example.org", "--role", "admin", "--password-file",
                                password_file.string(), "--totp"});
  ASSERT_EQ(created.exit_code, 0) << created.output;
  const auto at = created.output.find("totp secret: ");
  ASSERT_NE(at, std::string::npos) << created.output;
  const std::string base32 =
      created.output.substr(at + 13, created.output.find('\n', at) - at - 13);
  EXPECT_NE(created.output.find("otpauth://totp/"), std::string::npos);
  auto secret = domain::base32_decode(base32);
  ASSERT_TRUE(secret && secret->size() == 20u) << base32;

  write_file(dir_.path() / "config.json", R"({"require_totp_for_admins": 1})");
  server_ = std::make_unique<ServerProcess>(
      data, cert_, dir_.path() / "server.log",
      std::vector<std::string>{"--config", (dir_.path() / "config.json").string()});
  auto keys = crypto::load_or_create_keys((dir_.path() / "hmac-only-keys").string());
  ASSERT_TRUE(keys);
  auto hmac = crypto::make_crypto(*keys);  // only its keyless HMAC is used

  auto without =
      call(verb::post, "/api/v1/session",
           json{{"email", "admin@example.org"}, {"password", kStaffAdminPassword}}.dump());
  EXPECT_EQ(without.result_int(), 401u);
  // The same answer as a wrong password (issue 8: a different one told that the password was
  // right).
  auto wrong = call(verb::post, "/api/v1/session",
                    json{{"email", "admin@example.org"}, {"password", "not the password!"}}.dump());
  EXPECT_EQ(json::parse(without.body()), json::parse(wrong.body()));
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string code = domain::totp_code(*hmac, *secret, domain::totp_step(now));
  const std::string body = json{
      {"email", "admin@example.org"},
      {"password", kStaffAdminPassword},
      {"totp", code}}.dump();
  EXPECT_EQ(call(verb::post, "/api/v1/session", body).result_int(), 201u);
  EXPECT_EQ(call(verb::post, "/api/v1/session", body).result_int(), 401u) << "a code works once";
}

}  // namespace
}  // namespace grievance::testing
