// The real binary on port 0 over real TLS (issue 2, "Integration"): file a complaint, sign in,
// read, write, sign out; wrong codes and the lockout; TLS versions; the security headers on
// every kind of answer; limits and timeouts; signals; the one-shot commands.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_process.hpp"
#include "integration/test_env.hpp"
#include "integration/tls_client.hpp"

namespace grievance::testing {
namespace {

using namespace std::chrono_literals;
using bhttp::verb;
using nlohmann::json;

constexpr std::pair<std::string_view, std::string_view> kJson{"Content-Type", "application/json"};

class GrievanceBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override { cert_ = make_test_certificate(dir_.path()); }

  void TearDown() override {
    if (HasFailure()) {
      std::ifstream log(log_file());
      std::stringstream text;
      text << log.rdbuf();
      std::cerr << "---- server stderr ----\n" << text.str() << "-----------------------\n";
    }
  }

  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::filesystem::path log_file() const { return dir_.path() / "server.log"; }

  void start(std::vector<std::string> extra = {"--demo"}) {
    server_ = std::make_unique<ServerProcess>(data_dir(), cert_, log_file(), std::move(extra));
  }

  // Starts with a configuration file holding `config_json`.
  void start_with_config(const std::string& config_json) {
    const auto path = dir_.path() / "config.json";
    write_file(path, config_json);
    start({"--demo", "--config", path.string()});
  }

  TlsClient client(int min_version = TLS1_2_VERSION, int max_version = TLS1_3_VERSION) {
    TlsClientOptions options;
    options.min_version = min_version;
    options.max_version = max_version;
    return TlsClient(server_->port(), options);
  }

  // One request on a fresh connection.
  ClientResponse call(
      verb method, std::string_view target, std::string body = {},
      std::initializer_list<std::pair<std::string_view, std::string_view>> headers = {}) {
    TlsClient c = client();
    auto ec = c.connect();
    EXPECT_FALSE(ec) << ec.message();
    return c.request(method, target, std::move(body), headers);
  }

  json first_site() {
    auto res = call(verb::get, "/api/v1/sites");
    EXPECT_EQ(res.result_int(), 200);
    json body = json::parse(res.body());
    const json& sites = body.is_array() ? body : body.at("sites");
    EXPECT_FALSE(sites.empty());
    return sites.at(0);
  }

  json file_complaint() {
    const json site = first_site();
    json complaint = {{"language", "id"},
                      {"categories", {"wages", "working_hours"}},
                      {"narrative", "Upah lembur tidak dibayar selama tiga bulan."},
                      {"site_id", site.at("id")},
                      {"country", site.at("country")},
                      {"incident_date", "2024-03-01"},
                      {"anonymous", true}};
    auto res = call(verb::post, "/api/v1/complaints", complaint.dump(), {kJson});
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json::parse(res.body());
  }

  ClientResponse sign_in(const std::string& reference, const std::string& access_code) {
    json body = {{"reference", reference}, {"access_code", access_code}};
    return call(verb::post, "/api/v1/session", body.dump(), {kJson});
  }

  TempDir dir_;
  TestCertificate cert_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(GrievanceBinaryTest, PrintsListeningLineAndAnswersHealthz) {
  start();
  EXPECT_TRUE(std::regex_match(server_->listening_line(),
                               std::regex(R"(listening on https://127\.0\.0\.1:\d+)")));
  auto res = call(verb::get, "/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body()), json({{"status", "ok"}}));
}

TEST_F(GrievanceBinaryTest, FileSignInReadWriteAndSignOut) {
  start();
  const json filed = file_complaint();
  const std::string reference = filed.at("reference");
  const std::string access_code = filed.at("access_code");
  EXPECT_TRUE(std::regex_match(reference,
                               std::regex(R"(GRV-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})")));
  EXPECT_TRUE(std::regex_match(access_code, std::regex(R"(\d{16})")));
  EXPECT_EQ(filed.at("status"), "received");
  EXPECT_TRUE(filed.contains("ack_due"));
  ASSERT_TRUE(filed.contains("receipt"));
  EXPECT_EQ(filed.at("receipt").at("reference"), reference);

  // The access code is accepted grouped, as it is shown and read out on the phone.
  std::string grouped = access_code.substr(0, 4) + " " + access_code.substr(4, 4) + "-" +
                        access_code.substr(8, 4) + " " + access_code.substr(12);
  auto session = sign_in(reference, grouped);
  ASSERT_TRUE(session.result_int() == 200 || session.result_int() == 201) << session.body();
  const std::string token = json::parse(session.body()).at("token");
  const std::string bearer = "Bearer " + token;

  auto read = call(verb::get, "/api/v1/cases/" + reference, {}, {{"Authorization", bearer}});
  ASSERT_EQ(read.result_int(), 200) << read.body();
  json view = json::parse(read.body());
  EXPECT_EQ(view.at("reference"), reference);
  EXPECT_EQ(view.at("status"), "received");

  json message = {{"body", "Saya punya bukti slip gaji."}, {"visibility", "parties"}};
  auto posted = call(verb::post, "/api/v1/cases/" + reference + "/messages", message.dump(),
                     {kJson, {"Authorization", bearer}});
  EXPECT_EQ(posted.result_int(), 201) << posted.body();

  auto again = call(verb::get, "/api/v1/cases/" + reference, {}, {{"Authorization", bearer}});
  ASSERT_EQ(again.result_int(), 200);
  EXPECT_NE(again.body().find("Saya punya bukti slip gaji."), std::string::npos);

  auto out = call(verb::delete_, "/api/v1/session", {}, {{"Authorization", bearer}});
  EXPECT_EQ(out.result_int(), 200) << out.body();
  auto after = call(verb::get, "/api/v1/cases/" + reference, {}, {{"Authorization", bearer}});
  EXPECT_EQ(after.result_int(), 401);

  // The logs of all this name no complaint text, code, token or client address
  // (docs/security.md "Logs"), yet do log every request with its id. SIGTERM flushes buffered
  // lines.
  server_->signal(SIGTERM);
  ASSERT_EQ(server_->wait(15s), 0);
  std::ifstream in(log_file());
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  EXPECT_NE(log.find("\"request_id\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"route\":\"/api/v1/cases/{reference}\""), std::string::npos) << log;
  for (const std::string& secret :
       {std::string("Upah lembur"), std::string("slip gaji"), access_code, access_code.substr(0, 8),
        token, reference, std::string("127.0.0.1:")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log contains '" << secret << "'";
  }
}

TEST_F(GrievanceBinaryTest, WrongAccessCodeGives401Then429ButTheRightCodeSignsIn) {
  start();
  const json filed = file_complaint();
  const std::string reference = filed.at("reference");
  std::string wrong = filed.at("access_code");
  wrong[15] = wrong[15] == '0' ? '1' : '0';

  auto first = sign_in(reference, wrong);
  EXPECT_EQ(first.result_int(), 401) << first.body();
  EXPECT_EQ(json::parse(first.body()).at("error").at("code"), "unauthorized");
  int status = 401;
  for (int attempt = 0; attempt < 30 && status == 401; ++attempt) {
    status = sign_in(reference, wrong).result_int();
  }
  EXPECT_EQ(status, 429);
  auto slowed = sign_in(reference, wrong);
  EXPECT_EQ(slowed.result_int(), 429);
  EXPECT_FALSE(slowed[bhttp::field::retry_after].empty());
  // Issue 8: the reference refuses wrong codes only; its right code still signs in.
  auto right = sign_in(reference, filed.at("access_code"));
  EXPECT_EQ(right.result_int(), 201) << right.body();
}

TEST_F(GrievanceBinaryTest, RefusesTls11AndAcceptsTls12And13) {
  start();
  TlsClient old = client(TLS1_1_VERSION, TLS1_1_VERSION);
  EXPECT_TRUE(old.connect());
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsClient c = client(version, version);
    ASSERT_FALSE(c.connect());
    EXPECT_EQ(c.protocol(), version == TLS1_2_VERSION ? "TLSv1.2" : "TLSv1.3");
    EXPECT_EQ(c.request(verb::get, "/healthz").result_int(), 200);
  }
}

TEST_F(GrievanceBinaryTest, SecurityHeadersOn200And400And404) {
  start();
  std::vector<std::pair<int, ClientResponse>> answers;
  answers.emplace_back(200, call(verb::get, "/healthz"));
  answers.emplace_back(400, call(verb::post, "/api/v1/complaints", "{not json", {kJson}));
  answers.emplace_back(404, call(verb::get, "/no/such/thing"));
  for (const auto& [expected, res] : answers) {
    SCOPED_TRACE(expected);
    EXPECT_EQ(res.result_int(), expected);
    EXPECT_NE(res["Strict-Transport-Security"].find("max-age="), std::string::npos);
    EXPECT_NE(res["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(res["Referrer-Policy"], "no-referrer");
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_NE(res["Cache-Control"].find("no-store"), std::string::npos);
    EXPECT_EQ(res.count(bhttp::field::server), 0u);
  }
  // Errors carry the error object (docs/architecture.md "Errors and input").
  EXPECT_TRUE(json::parse(answers[1].second.body()).at("error").contains("code"));
  EXPECT_TRUE(json::parse(answers[2].second.body()).at("error").contains("code"));
}

TEST_F(GrievanceBinaryTest, BodyOverTheLimitGets413) {
  start_with_config(R"({"body_limit": 65536})");
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  boost::system::error_code ec;
  auto res = c.request(verb::post, "/api/v1/complaints", std::string(100000, ' '), {kJson}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(json::parse(res.body()).at("error").at("code"), "payload_too_large");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
}

TEST_F(GrievanceBinaryTest, SlowClientIsDisconnectedAfterTheReadTimeout) {
  start_with_config(R"({"read_timeout_seconds": 1, "idle_timeout_seconds": 30})");
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(60, 's');
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(server_cuts_off_trickle(c, request, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
}

TEST_F(GrievanceBinaryTest, SigtermWhileIdleExitsZero) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  EXPECT_EQ(c.request(verb::get, "/healthz").result_int(), 200);  // now idle, kept alive
  server_->signal(SIGTERM);
  EXPECT_EQ(server_->wait(10s), 0);
  EXPECT_TRUE(c.wait_closed(2s));
}

TEST_F(GrievanceBinaryTest, SighupReloadsTheCertificateForNewConnections) {
  start();
  std::string before;
  {
    TlsClient c = client();
    ASSERT_FALSE(c.connect());
    before = c.peer_certificate_sha256();
  }
  ASSERT_EQ(before, certificate_file_sha256(cert_.cert_file));
  TempDir other;
  TestCertificate fresh = make_test_certificate(other.path());
  std::filesystem::copy_file(fresh.cert_file, cert_.cert_file,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(fresh.key_file, cert_.key_file,
                             std::filesystem::copy_options::overwrite_existing);
  server_->signal(SIGHUP);
  const std::string expected = certificate_file_sha256(fresh.cert_file);
  ASSERT_NE(expected, before);
  std::string after = before;
  for (int i = 0; i < 50 && after == before; ++i) {
    std::this_thread::sleep_for(100ms);
    TlsClient c = client();
    ASSERT_FALSE(c.connect());
    after = c.peer_certificate_sha256();
  }
  EXPECT_EQ(after, expected);
}

TEST_F(GrievanceBinaryTest, DemoDataIsLoadedOnlyIntoAnEmptyDatabase) {
  start();
  const auto count = [&] {
    json body = json::parse(call(verb::get, "/api/v1/sites").body());
    return (body.is_array() ? body : body.at("sites")).size();
  };
  const auto first = count();
  EXPECT_GE(first, 6u);
  server_.reset();
  start();
  EXPECT_EQ(count(), first);
}

TEST_F(GrievanceBinaryTest, UnknownConfigurationKeyIsRefusedWithOneLine) {
  const auto path = dir_.path() / "bad.json";
  write_file(path, R"({"ack_dayz": 3})");
  auto result = run_grievance({"serve", "--listen", "127.0.0.1:0", "--data", data_dir().string(),
                               "--tls-cert", cert_.cert_file, "--tls-key", cert_.key_file,
                               "--config", path.string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("ack_dayz"), std::string::npos) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

// A worker who lost the secret code is told how to reach the complaints office, when the
// operator configured it; a value that could break the page's line is refused at start.
TEST_F(GrievanceBinaryTest, TheOfficeContactIsShownWhereALostCodeIsExplained) {
  start_with_config(R"({"office_contact": "+62 21 5550 100 (WhatsApp) <office>"})");
  const std::string follow = call(verb::get, "/follow?lang=en").body();
  EXPECT_NE(follow.find("How to reach the complaints office: <strong id=\"office-contact\">"
                        "+62 21 5550 100 (WhatsApp) &lt;office&gt;</strong>"),
            std::string::npos)
      << follow;
  server_.reset();
  const auto path = dir_.path() / "two-lines.json";
  write_file(path, R"({"office_contact": "call us\nor not"})");
  auto result = run_grievance({"serve", "--listen", "127.0.0.1:0", "--data", data_dir().string(),
                               "--tls-cert", cert_.cert_file, "--tls-key", cert_.key_file,
                               "--config", path.string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("office_contact"), std::string::npos) << result.output;
}

TEST_F(GrievanceBinaryTest, EveryConfigurationKeyInTheReadmeIsAcceptedWithItsDefault) {
  // Keeps README's configuration table true: each documented key, set to its documented
  // default, is a configuration the server starts with (unknown keys are refused).
  std::ifstream in(std::string(GRIEVANCE_SOURCE_DIR) + "/README.md");
  std::string line;
  bool in_section = false;
  json config = json::object();
  int keys = 0;
  const std::regex row(R"(^\| `([a-z_.]+)` \| ([^|]+) \|)");
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) in_section = line == "## Configuration";
    std::smatch m;
    if (!in_section || !std::regex_search(line, m, row)) continue;
    std::string key = m[1], value = m[2];
    value.erase(value.find_last_not_of(' ') + 1);
    // Two defaults are not numbers: "number of cores", and public_origin's, which is derived
    // from --listen (any https origin stands in for it).
    json v;
    if (std::all_of(value.begin(), value.end(), ::isdigit)) {
      v = std::stoll(value);
    } else if (value == "number of cores") {
      v = 2;
    } else if (key == "public_origin") {
      v = "https://grievance.example.org";
    } else if (value == "\"\"") {
      v = "";  // an empty string default (webhook_ca_file, office_contact)
    } else if (value.size() > 2 && value.front() == '`' && value.back() == '`') {
      v = value.substr(1, value.size() - 2);  // a string default, as written (mail_from, ...)
    } else {
      ADD_FAILURE() << "no value to try for " << key << " (" << value << ")";
    }
    const auto dot = key.find('.');
    if (dot == std::string::npos) {
      config[key] = v;
    } else {
      config[key.substr(0, dot)][key.substr(dot + 1)] = v;
    }
    ++keys;
  }
  ASSERT_GE(keys, 24) << "the README's configuration table was not found";
  start_with_config(config.dump());
  EXPECT_EQ(call(verb::get, "/healthz").result_int(), 200);
}

// Absolute links come from the configured public origin; a request naming another host is
// refused with the JSON error object and the security headers, on API routes and pages alike.
TEST_F(GrievanceBinaryTest, RefusesAHostThatIsNotOurs) {
  start_with_config(R"({"public_origin": "https://Grievance.Example.org/"})");
  for (std::string_view target :
       {"/healthz", "/api/v1/meta", "/", "/complaint", "/staff/sign-in"}) {
    SCOPED_TRACE(target);
    auto res = call(verb::get, target, {}, {{"Host", "evil.example"}});
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_EQ(json::parse(res.body()).at("error").at("code"), "invalid_host");
    EXPECT_FALSE(res["Strict-Transport-Security"].empty());
    EXPECT_FALSE(res.keep_alive());
  }
  EXPECT_EQ(call(verb::get, "/healthz", {}, {{"Host", "grievance.example.org"}}).result_int(), 200);
  EXPECT_EQ(call(verb::get, "/healthz").result_int(), 200);  // 127.0.0.1 with our port
}

TEST_F(GrievanceBinaryTest, PublicOriginMustBeAnHttpsOrigin) {
  for (std::string bad :
       {R"("http://grievance.example.org")", R"("https://grievance.example.org/follow")",
        R"("https://user@grievance.example.org")", R"("https://grievance.example.org:0")",
        R"("https://grievance.example.org?x=1")", R"("https://")", "443"}) {
    SCOPED_TRACE(bad);
    const auto path = dir_.path() / "origin.json";
    write_file(path, R"({"public_origin": )" + bad + "}");
    auto result = run_grievance({"serve", "--listen", "127.0.0.1:0", "--data", data_dir().string(),
                                 "--tls-cert", cert_.cert_file, "--tls-key", cert_.key_file,
                                 "--config", path.string()});
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.output.find("public_origin"), std::string::npos) << result.output;
  }
}

// Request smuggling through the whole server: a Transfer-Encoding the server does not apply is
// refused and the connection closed; the request hidden in the body never runs.
TEST_F(GrievanceBinaryTest, ASmuggledRequestIsNeverRun) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  const std::string port = std::to_string(server_->port());
  ASSERT_FALSE(c.write_raw("POST /api/v1/receipts/verify HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                           "\r\nTransfer-Encoding: xchunked\r\n\r\n"
                           "GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1:" +
                           port + "\r\n\r\n"));
  ClientResponse res;
  ASSERT_FALSE(c.read(res));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(json::parse(res.body()).at("error").at("code"), "invalid_request");
  EXPECT_TRUE(c.wait_closed(3s));
  server_->signal(SIGTERM);
  ASSERT_EQ(server_->wait(10s), 0);
  std::ifstream log(log_file());
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_EQ(text.str().find("/api/v1/openapi.json"), std::string::npos) << text.str();
  EXPECT_EQ(text.str().find("/api/v1/receipts/verify"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("request_rejected"), std::string::npos) << text.str();
}

TEST_F(GrievanceBinaryTest, HelpOnEveryCommandAndErrorsExitNonZero) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"serve", "--help"},
                                        {"admin", "create-user", "--help"},
                                        {"backup", "--help"},
                                        {"verify", "--help"}}) {
    auto result = run_grievance(args);
    EXPECT_EQ(result.exit_code, 0) << args[0];
    EXPECT_NE(result.output.find("usage: grievance"), std::string::npos) << result.output;
  }
  auto missing = run_grievance({"serve", "--listen", "127.0.0.1:0"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("missing --data"), std::string::npos) << missing.output;
  auto unknown = run_grievance({"frobnicate"});
  EXPECT_NE(unknown.exit_code, 0);
}

TEST_F(GrievanceBinaryTest, CreateUserThenBackupWhileServing) {
  const auto password_file = dir_.path() / "password.txt";
  write_file(password_file, "short\n");
  auto too_short = run_grievance({"admin", "create-user", "--data", data_dir().string(), "--email",
                                  "officer@example.org", "--role", "admin", "--password-file",
                                  password_file.string()});
  EXPECT_NE(too_short.exit_code, 0);
  EXPECT_NE(too_short.output.find("12 characters"), std::string::npos) << too_short.output;

  write_file(password_file, "correct horse battery staple\n");
  const std::vector<std::string> create = {
      "admin",           "create-user",         "--data", data_dir().string(),
      "--email",         "Officer@Example.org", "--role", "admin",
      "--password-file", password_file.string()};
  auto created = run_grievance(create);
  EXPECT_EQ(created.exit_code, 0) << created.output;
  auto duplicate = run_grievance(create);
  EXPECT_NE(duplicate.exit_code, 0);
  EXPECT_NE(duplicate.output.find("exists"), std::string::npos) << duplicate.output;

  start();
  const json filed = file_complaint();
  const auto copy = dir_.path() / "backup.db";
  auto backup = run_grievance({"backup", "--data", data_dir().string(), "--out", copy.string()});
  EXPECT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_GT(std::filesystem::file_size(copy), 0u);
  EXPECT_EQ(call(verb::get, "/healthz").result_int(), 200);

  // Restore as the README says: a new data directory with the copy as grievance.db and the
  // same keys; the complainant signs in there and reads the narrative.
  server_->signal(SIGTERM);
  ASSERT_EQ(server_->wait(15s), 0);
  const auto restored = dir_.path() / "restored";
  std::filesystem::create_directories(restored);
  std::filesystem::permissions(restored, std::filesystem::perms::owner_all);
  std::filesystem::copy_file(copy, restored / "grievance.db");
  std::filesystem::copy(data_dir() / "keys", restored / "keys",
                        std::filesystem::copy_options::recursive);
  server_ =
      std::make_unique<ServerProcess>(restored, cert_, log_file(), std::vector<std::string>{});
  auto session = sign_in(filed.at("reference"), filed.at("access_code"));
  ASSERT_EQ(session.result_int(), 201) << session.body();
  const std::string bearer = "Bearer " + json::parse(session.body()).at("token").get<std::string>();
  auto read = call(verb::get, "/api/v1/cases/" + filed.at("reference").get<std::string>(), {},
                   {{"Authorization", bearer}});
  ASSERT_EQ(read.result_int(), 200) << read.body();
  EXPECT_EQ(json::parse(read.body()).at("narrative"),
            "Upah lembur tidak dibayar selama tiga bulan.");
}

TEST_F(GrievanceBinaryTest, VerifyReceiptChecksTheServersSignatureOffline) {
  start();
  const json filed = file_complaint();
  const auto answer = dir_.path() / "answer.json";
  const auto receipt = dir_.path() / "receipt.json";
  write_file(answer, filed.dump());
  write_file(receipt, filed.at("receipt").dump());

  for (const auto& file : {answer, receipt}) {
    auto ok = run_grievance({"verify-receipt", file.string(), "--data", data_dir().string()});
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_NE(ok.output.find("valid: " + filed.at("reference").get<std::string>()),
              std::string::npos)
        << ok.output;
  }
  auto by_flag = run_grievance(
      {"verify-receipt", "--file", receipt.string(), "--key-dir", (data_dir() / "keys").string()});
  EXPECT_EQ(by_flag.exit_code, 0) << by_flag.output;

  // A changed filing time, or another server's keys: invalid, exit 1.
  json changed = filed.at("receipt");
  changed["filed_at"] = "2020-01-01T00:00:00Z";
  write_file(receipt, changed.dump());
  auto bad = run_grievance({"verify-receipt", receipt.string(), "--data", data_dir().string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("invalid"), std::string::npos) << bad.output;

  write_file(receipt, filed.at("receipt").dump());
  const auto other_keys = dir_.path() / "other-server-keys";
  auto other =
      run_grievance({"verify", "--data", data_dir().string(), "--key-dir", other_keys.string()});
  (void)other;  // creates a second key set
  auto foreign =
      run_grievance({"verify-receipt", receipt.string(), "--key-dir", other_keys.string()});
  EXPECT_EQ(foreign.exit_code, 1) << foreign.output;

  auto no_keys = run_grievance({"verify-receipt", receipt.string()});
  EXPECT_NE(no_keys.exit_code, 0);
  auto not_json = dir_.path() / "nonsense.txt";
  write_file(not_json, "hello");
  auto garbage =
      run_grievance({"verify-receipt", not_json.string(), "--data", data_dir().string()});
  EXPECT_NE(garbage.exit_code, 0);
  EXPECT_NE(garbage.exit_code, 1) << "an unreadable file is an error, not an invalid receipt";
  auto help = run_grievance({"verify-receipt", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("verify-receipt FILE"), std::string::npos) << help.output;
}

TEST_F(GrievanceBinaryTest, KeysCanLiveOutsideTheDataDirectory) {
  const auto keys = dir_.path() / "secure-volume" / "keys";
  std::filesystem::create_directories(keys.parent_path());
  start({"--demo", "--key-dir", keys.string()});
  (void)file_complaint();
  EXPECT_TRUE(std::filesystem::exists(keys / "field.key"));
  EXPECT_TRUE(std::filesystem::exists(keys / "signing.pem"));
  EXPECT_FALSE(std::filesystem::exists(data_dir() / "keys"));
  const auto mode = std::filesystem::status(keys / "field.key").permissions();
  EXPECT_EQ(mode & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  auto verify =
      run_grievance({"verify", "--data", data_dir().string(), "--key-dir", keys.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

}  // namespace
}  // namespace grievance::testing
