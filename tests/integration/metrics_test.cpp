// GET /metrics scraped from the real binary over TLS from loopback (issue 11 item 7;
// docs/operations.md "Monitoring"): the text format a Prometheus server reads, request counters
// that move, the demo's cases counted, the deadline scheduler's runs reported, and no reference
// in the answer.
#include <gtest/gtest.h>

#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "integration/server_process.hpp"
#include "integration/test_env.hpp"
#include "integration/tls_client.hpp"

namespace grievance::testing {
namespace {

using namespace std::chrono_literals;
using bhttp::verb;
using nlohmann::json;

// The value of the sample line `series value`; -1 when absent.
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

class MetricsBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = make_test_certificate(dir_.path());
    server_ =
        std::make_unique<ServerProcess>(dir_.path() / "data", cert_, dir_.path() / "server.log",
                                        std::vector<std::string>{"--demo"});
  }

  ClientResponse call(
      verb method, std::string_view target, std::string body = {},
      std::initializer_list<std::pair<std::string_view, std::string_view>> headers = {}) {
    TlsClient c(server_->port());
    auto ec = c.connect();
    EXPECT_FALSE(ec) << ec.message();
    return c.request(method, target, std::move(body), headers);
  }

  std::string scrape() {
    auto res = call(verb::get, "/metrics");
    EXPECT_EQ(res.result_int(), 200) << res.body();
    EXPECT_EQ(res[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    return res.body();
  }

  TempDir dir_;
  TestCertificate cert_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(MetricsBinaryTest, ALoopbackScrapeOverTlsCountsRequestsCasesAndSchedulerRuns) {
  auto sites = json::parse(call(verb::get, "/api/v1/sites").body()).at("sites");
  ASSERT_FALSE(sites.empty());
  json complaint = {{"language", "vi"},
                    {"categories", {"wages"}},
                    {"narrative", "Chua tra luong lam them."},
                    {"site_id", sites.at(0).at("id")},
                    {"country", sites.at(0).at("country")},
                    {"anonymous", true}};
  auto filed = call(verb::post, "/api/v1/complaints", complaint.dump(),
                    {{"Content-Type", "application/json"}});
  ASSERT_EQ(filed.result_int(), 201) << filed.body();
  const std::string reference = json::parse(filed.body()).at("reference");
  call(verb::get, "/api/v1/cases/" + reference);  // 401, counted under its template

  const std::string first = scrape();
  // Every line is a comment or a sample; the families a dashboard needs are there.
  static const std::regex kLine(
      R"((# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)|([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? [-+0-9.eEInfNa]+))");
  std::istringstream in(first);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(std::regex_match(line, kLine)) << line;
  }
  for (const char* family :
       {"grievance_http_requests_total", "grievance_http_request_duration_seconds",
        "grievance_cases", "grievance_cases_overdue", "grievance_webhook_deliveries",
        "grievance_outbox_events_pending", "grievance_scheduler_lag_seconds"}) {
    EXPECT_NE(first.find(std::string("# TYPE ") + family + " "), std::string::npos) << family;
  }
  EXPECT_EQ(sample(first, "grievance_database_up"), 1);
  EXPECT_GE(sample(first, R"(grievance_cases{status="received"})"), 1);
  EXPECT_EQ(
      sample(
          first,
          R"(grievance_http_requests_total{method="POST",route="/api/v1/complaints",status="201"})"),
      1);
  EXPECT_EQ(
      sample(
          first,
          R"(grievance_http_requests_total{method="GET",route="/api/v1/cases/{reference}",status="401"})"),
      1);
  EXPECT_EQ(first.find(reference), std::string::npos) << "a reference in the metrics";
  EXPECT_EQ(first.find("127.0.0.1"), std::string::npos) << "a client address in the metrics";

  const std::string healthz =
      R"(grievance_http_requests_total{method="GET",route="/healthz",status="200"})";
  const double before = std::max(0.0, sample(first, healthz));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call(verb::get, "/healthz").result_int(), 200);
  EXPECT_EQ(sample(scrape(), healthz), before + 3);

  // The deadline scheduler's first run comes at start; the lag is 0 while it keeps time.
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  do {
    text = scrape();
    if (sample(text, R"(grievance_scheduler_runs_total{job="deadlines",result="ok"})") >= 1) break;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_GE(sample(text, R"(grievance_scheduler_runs_total{job="deadlines",result="ok"})"), 1);
  EXPECT_EQ(sample(text, R"(grievance_scheduler_lag_seconds{job="deadlines"})"), 0);
  EXPECT_EQ(sample(text, R"(grievance_scheduler_interval_seconds{job="deadlines"})"), 60);
  EXPECT_GE(sample(text, R"(grievance_scheduler_lag_seconds{job="notifications"})"), 0);

  // A proxy's header voids the loopback grant: without an admin session, 401.
  auto proxied = call(verb::get, "/metrics", {}, {{"X-Forwarded-For", "198.51.100.4"}});
  EXPECT_EQ(proxied.result_int(), 401) << proxied.body();
}

}  // namespace
}  // namespace grievance::testing
