// GET /metrics (issue 11 item 7; docs/operations.md "Monitoring"): the Prometheus text format
// parsed back line by line, counters that move with the requests, who may read it, and no
// reference, path or client address in any label.
#include "server/http/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "support/fake_outbox.hpp"
#include "support/fakes.hpp"

namespace grievance::http {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

// ---- the text format, parsed back ------------------------------------------------------------

// One scrape: every sample by its series ("name{a=\"x\",b=\"y\"}", labels as written), and the
// checks of the exposition format 0.0.4 that a scraper relies on. Fails the test on any line that
// does not match the grammar.
struct Scrape {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;                // family -> type
  std::vector<std::map<std::string, std::string>> labels;  // of every sample, unescaped

  double value(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? 0 : it->second;
  }
  bool has(const std::string& series) const { return samples.count(series) > 0; }
};

// The family a sample belongs to: a histogram's _bucket/_sum/_count belong to their base name.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      const auto base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

Scrape parse_exposition(const std::string& text) {
  Scrape out;
  EXPECT_TRUE(!text.empty() && text.back() == '\n') << "the text ends with a line feed";
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ((?:[^\\\n]|\\\\|\\n)*))");
  static const std::regex kType(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*")*\})? ([-+]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?)");
  static const std::regex kLabel(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)\")");
  std::set<std::string> helped, finished;
  std::string current;  // the family whose samples come now
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) {
      EXPECT_TRUE(helped.insert(m[1]).second) << "HELP twice: " << line;
      continue;
    }
    if (std::regex_match(line, m, kType)) {
      const std::string name = m[1];
      EXPECT_TRUE(helped.count(name)) << "TYPE without HELP first: " << line;
      EXPECT_FALSE(out.types.count(name)) << "TYPE twice: " << line;
      if (m[2] == "counter") {
        EXPECT_TRUE(name.ends_with("_total")) << line;
      }
      out.types[name] = m[2];
      if (!current.empty()) finished.insert(current);
      current = name;
      continue;
    }
    if (!std::regex_match(line, m, kSample)) {
      ADD_FAILURE() << "not a sample line: [" << line << "]";
      continue;
    }
    const std::string name = m[1];
    const std::string family = family_of(name, out.types);
    EXPECT_EQ(family, current) << "a sample away from its family's TYPE: " << line;
    EXPECT_FALSE(finished.count(family)) << "a family's samples split: " << line;
    const std::string v = m[3];
    double value = v == "+Inf" || v == "Inf" ? INFINITY
                   : v == "-Inf"             ? -INFINITY
                   : v == "NaN"              ? NAN
                                             : std::stod(v);
    const std::string series = name + std::string(m[2]);
    EXPECT_FALSE(out.samples.count(series)) << "a series twice: " << line;
    out.samples[series] = value;
    std::map<std::string, std::string> labels;
    const std::string label_text = m[2];
    for (std::sregex_iterator it(label_text.begin(), label_text.end(), kLabel), end; it != end;
         ++it) {
      std::string raw = (*it)[2], unescaped;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
          ++i;
          unescaped.push_back(raw[i] == 'n' ? '\n' : raw[i]);
        } else {
          unescaped.push_back(raw[i]);
        }
      }
      EXPECT_TRUE(labels.emplace((*it)[1], unescaped).second) << "a label twice: " << line;
    }
    out.labels.push_back(std::move(labels));
  }
  // Histograms: cumulative buckets ending in +Inf, which equals _count.
  for (const auto& [series, v] : out.samples) {
    if (series.find("_bucket{") == std::string::npos) continue;
    if (series.find("le=\"+Inf\"") == std::string::npos) continue;
    std::string base = series.substr(0, series.find("_bucket{"));
    std::string rest = series.substr(series.find('{'));
    rest.replace(rest.find(",le=\"+Inf\""), std::string(",le=\"+Inf\"").size(), "");
    EXPECT_EQ(out.value(base + "_count" + rest), v) << series;
    EXPECT_TRUE(out.has(base + "_sum" + rest)) << series;
    double previous = 0;
    for (double le : RequestMetrics::kBuckets) {
      std::string b = base + "_bucket" + rest;
      b.insert(b.size() - 1, ",le=\"" + prometheus_number(le) + "\"");
      EXPECT_TRUE(out.has(b)) << b;
      EXPECT_GE(out.value(b), previous) << b;
      previous = out.value(b);
    }
    EXPECT_GE(v, previous) << series;
  }
  return out;
}

// ---- the fixture --------------------------------------------------------------------------

class MetricsTest : public ::testing::Test {
 protected:
  MetricsTest() {
    org_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit", "ID"});
    site_id_ = *store_.directory().create_site(
        domain::Site{0, "Kebun Sawit Kampar", "ID", "Riau", domain::Sector::kPalmOil, org_});
    add_user("admin@metrics.example", "admin");
    add_user("company@metrics.example", "company", org_);
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 65536});
  }

  static constexpr const char* kPassword = "correct horse battery staple";
  void add_user(const std::string& email, const std::string& role,
                std::optional<std::int64_t> org = std::nullopt) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = kPassword;
    auto u = domain::new_user(store_.directory(), store_.accounts(), *hasher_, d, clock_.now());
    ASSERT_TRUE(u) << u.error().message;
  }

  // From loopback unless `remote` (a client address elsewhere; never in any answer).
  Response call(bhttp::verb method, std::string target, std::string body = {},
                std::vector<std::pair<std::string, std::string>> headers = {},
                bool remote = false) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = std::move(body);
    }
    req.prepare_payload();
    for (auto& [k, v] : headers) req.set(k, v);
    RequestContext ctx = remote ? RequestContext{"203.0.113.77", false, "remote"}
                                : RequestContext{"127.0.0.1", true, "local"};
    return app_->handle(req, ctx);
  }
  std::string bearer_of(const std::string& email) {
    auto res = call(bhttp::verb::post, "/api/v1/session",
                    json{{"email", email}, {"password", kPassword}}.dump());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return "Bearer " + json::parse(res.body()).value("token", "");
  }
  json file() {
    json body = {{"language", "id"},    {"categories", {"wages"}}, {"narrative", "Upah lembur."},
                 {"site_id", site_id_}, {"country", "ID"},         {"anonymous", true}};
    auto res = call(bhttp::verb::post, "/api/v1/complaints", body.dump());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json::parse(res.body());
  }
  Scrape scrape() {
    auto res = call(bhttp::verb::get, "/metrics");
    EXPECT_EQ(res.result_int(), 200) << res.body();
    EXPECT_EQ(res[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    return parse_exposition(res.body());
  }
  // The counts are read at most every Monitoring::kCountsMaxAge: let them be read again.
  void next_scrape_reads_the_stores() { clock_.advance(domain::Monitoring::kCountsMaxAge); }

  testing::FakeStores store_;
  testing::FakeOutboxStore outbox_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{11};
  testing::ManualClock clock_;
  std::unique_ptr<domain::PasswordHasher> hasher_ = crypto::make_password_hasher(4);
  domain::Ports ports_ = [this] {
    auto p = store_.ports(crypto_, random_, clock_, hasher_.get());
    p.outbox = &outbox_;
    return p;
  }();
  domain::Services service_{ports_, domain::ServiceConfig{}};
  std::int64_t org_ = 0, site_id_ = 0;
  std::unique_ptr<App> app_;
};

constexpr const char* kHealthzOk =
    R"(grievance_http_requests_total{method="GET",route="/healthz",status="200"})";
constexpr const char* kHealthzCount =
    R"(grievance_http_request_duration_seconds_count{method="GET",route="/healthz"})";

TEST_F(MetricsTest, EveryLineFollowsTheTextFormatWithTheSecurityHeaders) {
  file();
  call(bhttp::verb::get, "/healthz");
  call(bhttp::verb::get, "/no/such/thing");
  call(bhttp::verb::delete_, "/healthz");  // 405
  auto res = call(bhttp::verb::get, "/metrics");
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  auto s = parse_exposition(res.body());
  EXPECT_EQ(s.types["grievance_http_requests_total"], "counter");
  EXPECT_EQ(s.types["grievance_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(s.types["grievance_cases"], "gauge");
  EXPECT_EQ(
      s.value(
          R"(grievance_http_requests_total{method="POST",route="/api/v1/complaints",status="201"})"),
      1);
  EXPECT_EQ(
      s.value(R"(grievance_http_requests_total{method="GET",route="unmatched",status="404"})"), 1);
  EXPECT_EQ(
      s.value(R"(grievance_http_requests_total{method="DELETE",route="unmatched",status="405"})"),
      1);
  EXPECT_EQ(s.value(R"(grievance_database_up)"), 1);
  EXPECT_EQ(s.value(R"(grievance_cases{status="received"})"), 1);
  for (auto status : domain::all_case_statuses()) {
    EXPECT_TRUE(s.has("grievance_cases{status=\"" + std::string(domain::to_string(status)) + "\"}"))
        << "every status, zeros included: " << domain::to_string(status);
  }
}

TEST_F(MetricsTest, CountersAndHistogramsGrowWithTheRequests) {
  call(bhttp::verb::get, "/healthz");
  const auto before = scrape();
  for (int i = 0; i < 3; ++i) call(bhttp::verb::get, "/healthz");
  call(bhttp::verb::head, "/healthz");  // a HEAD answered by the GET route counts as that route
  const auto after = scrape();
  EXPECT_EQ(after.value(kHealthzOk) - before.value(kHealthzOk), 4);
  EXPECT_EQ(after.value(kHealthzCount) - before.value(kHealthzCount), 4);
  // The first scrape itself was counted by the second.
  EXPECT_GE(
      after.value(R"(grievance_http_requests_total{method="GET",route="/metrics",status="200"})"),
      1);
}

TEST_F(MetricsTest, CasesByStatusOverdueAndTheOutboxBacklogComeFromTheStores) {
  file();
  file();
  outbox_.backlog_answer = {3, 2, 5, 1};
  auto s = scrape();
  EXPECT_EQ(s.value(R"(grievance_cases{status="received"})"), 2);
  EXPECT_EQ(s.value("grievance_cases_overdue"), 0);
  EXPECT_EQ(s.value("grievance_outbox_events_pending"), 3);
  EXPECT_EQ(s.value("grievance_notifications_unmailed"), 2);
  EXPECT_EQ(s.value(R"(grievance_webhook_deliveries{state="pending"})"), 5);
  EXPECT_EQ(s.value(R"(grievance_webhook_deliveries{state="dead"})"), 1);

  // Past the acknowledgement deadline (7 days): both are overdue.
  clock_.advance(std::chrono::days(8));
  s = scrape();
  EXPECT_EQ(s.value("grievance_cases_overdue"), 2);
}

TEST_F(MetricsTest, TheStoresAreReadAtMostEveryFewSeconds) {
  file();
  EXPECT_EQ(scrape().value(R"(grievance_cases{status="received"})"), 1);
  file();
  EXPECT_EQ(scrape().value(R"(grievance_cases{status="received"})"), 1) << "within the max age";
  next_scrape_reads_the_stores();
  EXPECT_EQ(scrape().value(R"(grievance_cases{status="received"})"), 2);
}

TEST_F(MetricsTest, SchedulerLagSaysHowLateTheNextRunIs) {
  auto& runs = service_.monitoring.deadline_runs;
  runs.schedule(std::chrono::minutes(1), clock_.now());
  auto s = scrape();
  EXPECT_EQ(s.value(R"(grievance_scheduler_lag_seconds{job="deadlines"})"), 0);
  EXPECT_EQ(s.value(R"(grievance_scheduler_interval_seconds{job="deadlines"})"), 60);
  EXPECT_FALSE(s.has(R"(grievance_scheduler_lag_seconds{job="notifications"})"))
      << "a job this process does not run is not reported";

  runs.started(clock_.now());
  clock_.advance(std::chrono::seconds(2));
  runs.finished(clock_.now(), true);
  const auto ended = clock_.now();
  clock_.advance(std::chrono::seconds(30));
  s = scrape();
  EXPECT_EQ(s.value(R"(grievance_scheduler_lag_seconds{job="deadlines"})"), 0) << "not due yet";
  EXPECT_EQ(s.value(R"(grievance_scheduler_last_run_duration_seconds{job="deadlines"})"), 2);
  EXPECT_EQ(s.value(R"(grievance_scheduler_last_success_timestamp_seconds{job="deadlines"})"),
            static_cast<double>(ended.time_since_epoch().count()));
  EXPECT_EQ(s.value(R"(grievance_scheduler_runs_total{job="deadlines",result="ok"})"), 1);

  // The thread is stuck: the next run was due 60 s after the end of the last one.
  clock_.advance(std::chrono::minutes(5));
  s = scrape();
  EXPECT_EQ(s.value(R"(grievance_scheduler_lag_seconds{job="deadlines"})"), 30 + 300 - 60);

  runs.started(clock_.now());
  runs.finished(clock_.now(), false);
  s = scrape();
  EXPECT_EQ(s.value(R"(grievance_scheduler_lag_seconds{job="deadlines"})"), 0);
  EXPECT_EQ(s.value(R"(grievance_scheduler_runs_total{job="deadlines",result="error"})"), 1);
  EXPECT_EQ(s.value(R"(grievance_scheduler_last_success_timestamp_seconds{job="deadlines"})"),
            static_cast<double>(ended.time_since_epoch().count()))
      << "a failed run is no success";
}

TEST_F(MetricsTest, WhileTheDatabaseIsDownTheRequestMetricsStillAnswer) {
  call(bhttp::verb::get, "/healthz");
  store_.fail_writes = true;
  auto s = scrape();
  EXPECT_EQ(s.value("grievance_database_up"), 0);
  EXPECT_FALSE(s.has(R"(grievance_cases{status="received"})"));
  EXPECT_GE(s.value(kHealthzOk), 1);
}

// docs/security.md "Monitoring": from another machine, only an admin session; the loopback
// grant is void when a proxy says it forwards someone else's request.
TEST_F(MetricsTest, ARemoteCallerNeedsAnAdminSession) {
  const auto filed = file();
  auto res = call(bhttp::verb::get, "/metrics", {}, {}, /*remote=*/true);
  EXPECT_EQ(res.result_int(), 401) << res.body();
  EXPECT_EQ(res.body().find("grievance_"), std::string::npos);

  const std::string company = bearer_of("company@metrics.example");
  res = call(bhttp::verb::get, "/metrics", {}, {{"Authorization", company}}, true);
  EXPECT_EQ(res.result_int(), 403) << res.body();
  EXPECT_EQ(res.body().find("grievance_"), std::string::npos);

  auto worker =
      call(bhttp::verb::post, "/api/v1/session",
           json{{"reference", filed["reference"]}, {"access_code", filed["access_code"]}}.dump());
  ASSERT_EQ(worker.result_int(), 201) << worker.body();
  res =
      call(bhttp::verb::get, "/metrics", {},
           {{"Authorization", "Bearer " + json::parse(worker.body())["token"].get<std::string>()}},
           true);
  EXPECT_EQ(res.result_int(), 403) << res.body();

  for (const char* forwarded : {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
    res = call(bhttp::verb::get, "/metrics", {}, {{forwarded, "198.51.100.4"}});
    EXPECT_EQ(res.result_int(), 401) << forwarded;
  }

  res = call(bhttp::verb::get, "/metrics", {},
             {{"Authorization", bearer_of("admin@metrics.example")}}, true);
  EXPECT_EQ(res.result_int(), 200) << res.body();
  parse_exposition(res.body());
}

// A reference in a label would tell whoever scrapes which cases exist; a path or an address
// would too. Labels hold route templates, methods, statuses and the domain's own words only.
TEST_F(MetricsTest, NoReferencePathOrAddressInAnyLabel) {
  std::vector<std::string> references;
  for (int i = 0; i < 3; ++i) {
    const auto filed = file();
    references.push_back(filed["reference"]);
    auto worker =
        call(bhttp::verb::post, "/api/v1/session",
             json{{"reference", filed["reference"]}, {"access_code", filed["access_code"]}}.dump());
    const std::string bearer = "Bearer " + json::parse(worker.body())["token"].get<std::string>();
    call(bhttp::verb::get, "/api/v1/cases/" + references.back(), {}, {{"Authorization", bearer}});
    call(bhttp::verb::get, "/api/v1/cases/" + references.back() + "?lang=nl");
    call(bhttp::verb::get, "/nothing/" + references.back());  // unmatched
    call(bhttp::verb::get, "/case?reference=" + references.back());
  }
  call(bhttp::verb::get, "/metrics", {}, {}, /*remote=*/true);
  const auto res = call(bhttp::verb::get, "/metrics");
  ASSERT_EQ(res.result_int(), 200);
  const auto s = parse_exposition(res.body());

  std::set<std::string> templates = {"unmatched"};
  Router router;
  AppDeps deps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", ""};
  register_api_routes(router, deps);
  register_page_routes(router, deps);
  for (const auto& r : router.routes()) templates.insert(r.pattern);

  EXPECT_GE(
      s.value(
          R"(grievance_http_requests_total{method="GET",route="/api/v1/cases/{reference}",status="200"})"),
      3);
  for (const auto& labels : s.labels) {
    for (const auto& [name, value] : labels) {
      if (name == "route") {
        EXPECT_TRUE(templates.count(value)) << "not a template: " << value;
      }
      EXPECT_EQ(value.find('?'), std::string::npos) << value;
    }
  }
  for (const auto& reference : references) {
    EXPECT_EQ(res.body().find(reference), std::string::npos) << reference;
    // Its random part alone, however a label might have written it.
    EXPECT_EQ(res.body().find(reference.substr(4)), std::string::npos) << reference;
  }
  EXPECT_EQ(res.body().find("203.0.113"), std::string::npos);
  EXPECT_EQ(res.body().find("127.0.0.1"), std::string::npos);
}

TEST(PrometheusText, EscapesLabelValuesAndHelpText) {
  PrometheusText out;
  out.family("grievance_example", "gauge", "A \\ back\nslash.");
  out.sample("grievance_example", {{"route", "a\"b\\c\nd"}}, std::int64_t{7});
  out.sample("grievance_example", {{"route", "x"}}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP grievance_example A \\\\ back\\nslash.\n"
            "# TYPE grievance_example gauge\n"
            "grievance_example{route=\"a\\\"b\\\\c\\nd\"} 7\n"
            "grievance_example{route=\"x\"} 0.25\n");
  const auto s = parse_exposition(out.text());
  ASSERT_EQ(s.labels.size(), 2u);
  EXPECT_EQ(s.labels[0].at("route"), "a\"b\\c\nd");
  EXPECT_EQ(prometheus_number(1e-4), "0.0001");
  EXPECT_EQ(prometheus_number(0.0005), "0.0005");
  EXPECT_EQ(prometheus_number(10), "10");
  EXPECT_EQ(prometheus_number(1.5e-7), "0.00000015");
  EXPECT_EQ(prometheus_number(INFINITY), "+Inf");
}

}  // namespace
}  // namespace grievance::http
