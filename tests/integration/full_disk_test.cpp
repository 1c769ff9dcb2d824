// A full disk is not silent (issue 8): the whole server in process (SQLite stores, the domain,
// the App and net over real TLS), with the disk made full through the writer's max_page_count
// (SqliteStores::limit_pages_for_testing: SQLite answers SQLITE_FULL exactly as on a full disk).
// Filing answers 503, the log says so once per episode, and GET /healthz reports it until a
// write succeeds again.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "integration/test_env.hpp"
#include "integration/tls_client.hpp"
#include "server/app/write_fault_log.hpp"
#include "server/crypto/crypto.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "server/net/server.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::testing {
namespace {

using bhttp::verb;
using nlohmann::json;
using namespace std::chrono_literals;

struct SystemClock final : domain::Clock {
  domain::TimePoint now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// Sends what is written to stderr (the log) to a file while it lives.
class StderrCapture {
 public:
  explicit StderrCapture(std::filesystem::path file) : file_(std::move(file)) {
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrCapture() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // How many lines written so far contain `text`. Info lines are buffered for up to 200 ms
  // (docs/security.md "Logs"): waits up to 2 s for at least one.
  int lines_with(std::string_view text) const {
    for (int i = 0; i < 40 && count(text) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return count(text);
  }

 private:
  int count(std::string_view text) const {
    std::fflush(stderr);
    std::ifstream in(file_);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) n += line.find(text) != std::string::npos ? 1 : 0;
    return n;
  }

  std::filesystem::path file_;
  int saved_ = -1;
};

TEST(FullDisk, FilingAnswers503TheLogSaysSoOnceAndHealthzIsDegradedUntilAWriteSucceeds) {
  TempDir dir;
  const TestCertificate cert = make_test_certificate(dir.path());
  StderrCapture log(dir.path() / "server.log");

  auto keys = crypto::load_or_create_keys((dir.path() / "keys").string());
  ASSERT_TRUE(keys.has_value());
  auto crypto = crypto::make_crypto(*keys);
  auto cipher = crypto::make_field_cipher(*keys);
  auto random = crypto::make_system_random();
  storage::StoreOptions options{(dir.path() / "grievance.db").string(), 2};
  options.on_write_fault = app::log_write_fault;  // as main wires it
  auto stores = storage::open_sqlite_stores(options, *cipher, *crypto);
  ASSERT_TRUE(stores.has_value());
  storage::SqliteStores& store = **stores;
  const auto company = store.directory().create_organisation(
      domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit", "ID"});
  ASSERT_TRUE(company.has_value());
  const auto site = store.directory().create_site(
      domain::Site{0, "Kebun Sawit Kampar", "ID", "Riau", domain::Sector::kPalmOil, *company});
  ASSERT_TRUE(site.has_value());

  SystemClock clock;
  domain::Services services(domain::Ports{store.cases(), store.directory(), store.accounts(),
                                          *crypto, *random, clock, nullptr},
                            domain::ServiceConfig{});
  net::ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 1;
  server_options.blocking_threads = 2;
  server_options.cert_file = cert.cert_file;
  server_options.key_file = cert.key_file;
  auto server = net::make_server(server_options);
  ASSERT_TRUE(server.has_value()) << server.error().message;
  auto app = http::make_app(http::AppDeps{services, std::string(GRIEVANCE_SOURCE_DIR) + "/web",
                                          "https://127.0.0.1", 1 << 20});
  std::thread serving([&] { (*server)->run(*app); });

  TlsClient c((*server)->port());
  ASSERT_FALSE(c.connect());
  const json complaint = {{"language", "id"},
                          {"categories", {"wages"}},
                          {"narrative", std::string(15'000, 'n')},  // needs new pages
                          {"site_id", *site},
                          {"country", "ID"},
                          {"incident_date", "2024-03-01"},
                          {"anonymous", true}};
  const std::pair<std::string_view, std::string_view> kJson{"Content-Type", "application/json"};
  const auto file = [&] {
    return c.request(verb::post, "/api/v1/complaints", complaint.dump(), {kJson});
  };
  const auto healthz = [&] { return c.request(verb::get, "/healthz"); };

  EXPECT_EQ(file().result_int(), 201);
  EXPECT_EQ(healthz().result_int(), 200);

  ASSERT_TRUE(store.limit_pages_for_testing(1).has_value());  // the disk is full now
  for (int i = 0; i < 3; ++i) {
    auto refused = file();
    EXPECT_EQ(refused.result_int(), 503) << refused.body();
  }
  auto degraded = healthz();
  EXPECT_EQ(degraded.result_int(), 503);
  EXPECT_EQ(json::parse(degraded.body()), json({{"status", "degraded"}, {"writes", "refused"}}));
  EXPECT_EQ(log.lines_with("\"database_writes_refused\""), 1);
  EXPECT_EQ(log.lines_with("\"condition\":\"disk_full\""), 1);
  EXPECT_EQ(log.lines_with("nnnnnnnn"), 0);  // never the complaint (after waiting: all lines)

  ASSERT_TRUE(store.limit_pages_for_testing(1'000'000'000).has_value());  // space again
  EXPECT_EQ(healthz().result_int(), 503);  // until a write has reached the disk
  EXPECT_EQ(file().result_int(), 201);
  auto ok = healthz();
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(json::parse(ok.body()), json({{"status", "ok"}}));
  EXPECT_EQ(log.lines_with("\"database_writes_refused\""), 1);
  EXPECT_EQ(log.lines_with("\"database_writes_recovered\""), 1);

  (*server)->stop();
  serving.join();
  server->reset();
}

}  // namespace
}  // namespace grievance::testing
