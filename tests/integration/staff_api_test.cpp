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

namespace grievance::testing {
namespace {

using namespace std::chrono_literals;
using bhttp::verb;
using nlohmann::json;

constexpr const char* kAdminPassword = "correct horse battery staple";
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
  write_file(password_file, std::string(kAdminPassword) + "\n");
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
  const std::string admin = sign_in("admin@example.org", kAdminPassword);
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
      ",ID,no,no\r\n"
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

}  // namespace
}  // namespace grievance::testing
