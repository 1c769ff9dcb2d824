// Webhooks against the real binary and a local HTTPS receiver on loopback (issue 10, item 1;
// docs/domain.md "Notifications"): the signature verifies, 500s are retried with back-off, the
// last try makes a delivery dead and the admin re-tries it, the server killed with SIGKILL
// between the change and the delivery delivers after the restart without losing an event, and
// no narrative, message or identity marker is in any payload.
#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
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
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

constexpr const char* kWebhookAdminPassword = "correct horse battery staple";
constexpr std::string_view kNarrativeMarker = "NARRATIVE-MARKER-w3bh00k";
constexpr std::string_view kMessageMarker = "MESSAGE-MARKER-w3bh00k";
constexpr std::string_view kContactMarker = "CONTACT-MARKER-w3bh00k";

struct Received {
  std::string body;
  std::string signature;
  std::string event_id;
  std::string content_type;
  std::chrono::steady_clock::time_point at;
};

// A tiny HTTPS server on 127.0.0.1: records every request and answers `status` (settable).
class Receiver {
 public:
  explicit Receiver(const TestCertificate& cert) : ctx_(ssl::context::tls_server) {
    ctx_.use_certificate_chain_file(cert.cert_file);
    ctx_.use_private_key_file(cert.key_file, ssl::context::pem);
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() {
    stopping_ = true;
    boost::system::error_code ec;
    // Wake the blocking accept with a connection of our own.
    tcp::socket poke(io_);
    poke.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void answer(int status) { status_ = status; }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  // Waits until at least `n` requests came (true) or `within` passed (false).
  bool wait_for(std::size_t n, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      if (received().size() >= n) return true;
      std::this_thread::sleep_for(50ms);
    }
    return received().size() >= n;
  }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      ssl::stream<tcp::socket> stream(std::move(socket), ctx_);
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) {
        std::cerr << "receiver handshake: " << ec.message() << "\n";
        continue;
      }
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> req;
      bhttp::read(stream, buffer, req, ec);
      if (ec) {
        std::cerr << "receiver: " << ec.message() << "\n";
        continue;
      }
      {
        std::lock_guard lock(mu_);
        received_.push_back({req.body(), std::string(req["X-Signature"]),
                             std::string(req["X-Event-Id"]), std::string(req["Content-Type"]),
                             std::chrono::steady_clock::now()});
      }
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status_.load()), 11};
      res.body() = "ok";
      res.keep_alive(false);
      res.prepare_payload();
      bhttp::write(stream, res, ec);
      stream.shutdown(ec);
    }
  }

  asio::io_context io_;
  ssl::context ctx_;
  tcp::acceptor acceptor_{io_};
  std::uint16_t port_ = 0;
  std::atomic<int> status_{200};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::vector<Received> received_;
  std::thread thread_;
};

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

std::string sql_scalar(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(st);
  }
  sqlite3_close_v2(db);
  return out;
}

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = make_test_certificate(dir_.path());
    receiver_cert_ = make_test_certificate(dir_.path(), "receiver");
    receiver_ = std::make_unique<Receiver>(receiver_cert_);
    const auto password_file = dir_.path() / "password.txt";
    write_file(password_file, std::string(kWebhookAdminPassword) + "\n");
    auto created = run_grievance({"admin", "create-user", "--data", data().string(), "--email",
                                  "admin@example.org", "--role", "admin", "--password-file",
                                  password_file.string()});
    ASSERT_EQ(created.exit_code, 0) << created.output;
  }
  void TearDown() override {
    if (HasFailure()) {
      std::ifstream log(dir_.path() / "server.log");
      std::stringstream text;
      text << log.rdbuf();
      std::cerr << "---- server stderr ----\n" << text.str() << "-----------------------\n";
    }
  }
  std::filesystem::path data() const { return dir_.path() / "data"; }

  // Starts the server with small back-off values and the receiver's certificate as the only
  // trusted root.
  void start(int poll_seconds = 1, int max_attempts = 3) {
    const auto config = dir_.path() / "config.json";
    write_file(config, json{{"webhook_allow_private", 1},
                            {"webhook_ca_file", receiver_cert_.cert_file},
                            {"webhook_poll_seconds", poll_seconds},
                            {"webhook_base_delay_seconds", 1},
                            {"webhook_max_delay_seconds", 2},
                            {"webhook_timeout_seconds", 5},
                            {"webhook_max_attempts", max_attempts}}
                           .dump());
    server_ =
        std::make_unique<ServerProcess>(data(), cert_, dir_.path() / "server.log",
                                        std::vector<std::string>{"--config", config.string()});
  }

  ClientResponse call(verb method, std::string_view target, std::string body = {},
                      const std::string& bearer = {}) {
    TlsClient c(server_->port());
    auto ec = c.connect();
    EXPECT_FALSE(ec) << ec.message();
    if (!bearer.empty()) {
      const std::string auth = "Bearer " + bearer;
      return c.request(method, target, std::move(body),
                       {{"Content-Type", "application/json"}, {"Authorization", auth}});
    }
    return c.request(method, target, std::move(body), {{"Content-Type", "application/json"}});
  }
  json ok(const ClientResponse& res, unsigned status) {
    EXPECT_EQ(res.result_int(), status) << res.body();
    return json::parse(res.body(), nullptr, false);
  }
  std::string sign_in_admin() {
    return ok(call(
                  verb::post, "/api/v1/session",
                  json{{"email", "admin@example.org"}, {"password", kWebhookAdminPassword}}.dump()),
              201)
        .value("token", "");
  }

  // A company operating a site, and a webhook for the company: its secret.
  std::string set_up_company(const std::string& admin) {
    const auto company = ok(call(verb::post, "/api/v1/organisations",
                                 R"({"kind":"company","name":"PT Hook","country":"ID"})", admin),
                            201);
    company_id_ = company["id"].get<std::int64_t>();
    const auto site = ok(call(verb::post, "/api/v1/sites",
                              json{{"name", "Kebun Hook"},
                                   {"country", "ID"},
                                   {"region", "Riau"},
                                   {"sector", "palm_oil"},
                                   {"operator_org_id", company_id_}}
                                  .dump(),
                              admin),
                         201);
    site_id_ = site["id"].get<std::int64_t>();
    const auto hook =
        ok(call(verb::post, "/api/v1/organisations/" + std::to_string(company_id_) + "/webhooks",
                json{{"url", receiver_->url()}}.dump(), admin),
           201);
    return hook.value("secret", "");
  }

  // A complaint with a contact: its reference and access code.
  std::pair<std::string, std::string> file_complaint(bool anonymous = false) {
    json complaint = {{"language", "id"},
                      {"categories", {"wages"}},
                      {"narrative", "Upah lembur tidak dibayar. " + std::string(kNarrativeMarker)},
                      {"site_id", site_id_},
                      {"country", "ID"},
                      {"incident_date", "2024-03-01"},
                      {"anonymous", anonymous}};
    if (!anonymous) {
      complaint["contact"] = {{"name", "Siti " + std::string(kContactMarker)},
                              {"phone", "+62 811 0000 1111"},
                              {"email", "siti@example.org"}};
    }
    auto j = ok(call(verb::post, "/api/v1/complaints", complaint.dump()), 201);
    return {j.value("reference", ""), j.value("access_code", "")};
  }

  void post_complainant_message(const std::string& reference, const std::string& code) {
    const auto session = call(verb::post, "/api/v1/session",
                              json{{"reference", reference}, {"access_code", code}}.dump());
    ASSERT_TRUE(session.result_int() == 200 || session.result_int() == 201) << session.body();
    const std::string token = json::parse(session.body()).at("token");
    ok(call(verb::post, "/api/v1/cases/" + reference + "/messages",
            json{{"body", "Saya punya bukti. " + std::string(kMessageMarker)},
                 {"visibility", "parties"}}
                .dump(),
            token),
       201);
  }

  TempDir dir_;
  TestCertificate cert_;
  TestCertificate receiver_cert_;
  std::unique_ptr<Receiver> receiver_;
  std::unique_ptr<ServerProcess> server_;
  std::int64_t company_id_ = 0;
  std::int64_t site_id_ = 0;
};

TEST_F(WebhookTest, SignedPayloadsCarryNoNarrativeMessageOrIdentity) {
  start();
  const std::string admin = sign_in_admin();
  const std::string secret = set_up_company(admin);
  ASSERT_EQ(secret.size(), 64u);
  // The secret is shown once: never listed.
  const auto listed =
      ok(call(verb::get, "/api/v1/organisations/" + std::to_string(company_id_) + "/webhooks", {},
              admin),
         200);
  ASSERT_EQ(listed["webhooks"].size(), 1u);
  EXPECT_FALSE(listed["webhooks"][0].contains("secret"));
  EXPECT_EQ(listed.dump().find(secret), std::string::npos);

  const auto [reference, code] = file_complaint();
  post_complainant_message(reference, code);
  // filed (routed to it at once), identity shared and the message: all for the company.
  ASSERT_TRUE(receiver_->wait_for(3, 20s))
      << call(verb::get, "/api/v1/webhook-deliveries", {}, admin).body();
  std::set<std::string> types;
  for (const Received& r : receiver_->received()) {
    SCOPED_TRACE(r.body);
    EXPECT_EQ(r.signature, "sha256=" + hmac_sha256_hex(secret, r.body));
    EXPECT_EQ(r.content_type, "application/json");
    const json payload = json::parse(r.body);
    std::set<std::string> keys;
    for (const auto& [k, v] : payload.items()) keys.insert(k);
    EXPECT_EQ(keys,
              (std::set<std::string>{"id", "type", "reference", "status", "occurred_at", "link"}));
    EXPECT_EQ(std::to_string(payload["id"].get<std::int64_t>()), r.event_id);
    EXPECT_EQ(payload["reference"], reference);
    EXPECT_NE(payload["link"].get<std::string>().find("/staff/cases/" + reference),
              std::string::npos);
    types.insert(payload["type"].get<std::string>());
    for (std::string_view marker : {kNarrativeMarker, kMessageMarker, kContactMarker}) {
      EXPECT_EQ(r.body.find(marker), std::string::npos) << marker;
    }
    EXPECT_EQ(r.body.find("Siti"), std::string::npos);
    EXPECT_EQ(r.body.find("+62"), std::string::npos);
    EXPECT_EQ(r.body.find("siti@"), std::string::npos);
  }
  EXPECT_TRUE(types.contains("filed"));
  EXPECT_TRUE(types.contains("message"));
  // A tampered signature would not verify: the key matters.
  EXPECT_NE(receiver_->received()[0].signature,
            "sha256=" + hmac_sha256_hex("wrong", receiver_->received()[0].body));
}

TEST_F(WebhookTest, FailuresAreRetriedWithBackOffThenDeadThenRetriedByTheAdmin) {
  receiver_->answer(500);
  start(/*poll_seconds=*/1, /*max_attempts=*/3);
  const std::string admin = sign_in_admin();
  set_up_company(admin);
  file_complaint(/*anonymous=*/true);  // filed: one notification for the company
  ASSERT_TRUE(receiver_->wait_for(3, 30s));
  // Dead after the third try, and no fourth.
  json dead;
  for (int i = 0; i < 100; ++i) {
    dead = ok(call(verb::get, "/api/v1/webhook-deliveries?state=dead", {}, admin), 200);
    if (!dead["deliveries"].empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(dead["deliveries"].size(), 1u) << dead.dump();
  EXPECT_EQ(dead["deliveries"][0]["attempts"], 3);
  EXPECT_EQ(dead["deliveries"][0]["last_error"], "http 500");
  EXPECT_EQ(dead["deliveries"][0]["type"], "filed");
  std::this_thread::sleep_for(3s);
  const auto tries = receiver_->received();
  ASSERT_EQ(tries.size(), 3u);
  // The same event each time (the receiver drops duplicates by it).
  EXPECT_EQ(tries[0].event_id, tries[1].event_id);
  EXPECT_EQ(tries[1].event_id, tries[2].event_id);
  // Back-off: the retries come after the poll, not at once in one run.
  EXPECT_GE(tries[2].at - tries[0].at, 1s);
  // Only an admin sees or re-tries dead letters.
  EXPECT_EQ(call(verb::get, "/api/v1/webhook-deliveries?state=dead").result_int(), 401u);
  EXPECT_EQ(call(verb::get, "/api/v1/webhook-deliveries?state=nonsense", {}, admin).result_int(),
            400u);

  receiver_->answer(200);
  const std::string id = std::to_string(dead["deliveries"][0]["id"].get<std::int64_t>());
  ok(call(verb::post, "/api/v1/webhook-deliveries/" + id + "/retry", {}, admin), 200);
  EXPECT_EQ(call(verb::post, "/api/v1/webhook-deliveries/" + id + "/retry", {}, admin).result_int(),
            404u);  // not dead any more
  ASSERT_TRUE(receiver_->wait_for(4, 20s));
  json delivered;
  for (int i = 0; i < 100; ++i) {
    delivered = ok(call(verb::get, "/api/v1/webhook-deliveries?state=delivered", {}, admin), 200);
    if (!delivered["deliveries"].empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(delivered["deliveries"].size(), 1u);
  EXPECT_EQ(delivered["deliveries"][0]["id"].get<std::int64_t>(), std::stoll(id));
}

TEST_F(WebhookTest, KilledBetweenTheChangeAndTheDeliveryDeliversAfterRestart) {
  // The dispatcher looks once at start, then not for an hour: the changes wait in the outbox.
  start(/*poll_seconds=*/3600);
  const std::string admin = sign_in_admin();
  set_up_company(admin);
  std::vector<std::string> references;
  for (int i = 0; i < 3; ++i) references.push_back(file_complaint(/*anonymous=*/true).first);
  server_->signal(SIGKILL);
  EXPECT_EQ(server_->wait(10s), 128 + SIGKILL);
  server_.reset();
  EXPECT_TRUE(receiver_->received().empty());
  // Every event has its outbox row: nothing was lost with the process.
  const auto db = data() / "grievance.db";
  EXPECT_EQ(sql_scalar(db, "SELECT count(*) FROM outbox"),
            sql_scalar(db, "SELECT count(*) FROM case_events"));

  start(/*poll_seconds=*/1);
  ASSERT_TRUE(receiver_->wait_for(3, 30s));
  std::this_thread::sleep_for(2s);
  std::set<std::string> delivered;
  for (const Received& r : receiver_->received()) {
    const json payload = json::parse(r.body);
    if (payload["type"] == "filed") delivered.insert(payload["reference"].get<std::string>());
  }
  EXPECT_EQ(delivered, std::set<std::string>(references.begin(), references.end()));
}

}  // namespace
}  // namespace grievance::testing
