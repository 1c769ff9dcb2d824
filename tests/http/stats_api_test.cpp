// GET /api/v1/stats and the statistics exports (issue 11 items 1-3; docs/domain.md
// "Statistics"): each role reads the cases of its scope, the operator and an organisation
// exactly, the auditor protected - planted groups of fewer than k cases never appear as an
// exact count, the same question always gets the same answer, and a table finer than the
// configured detail is refused; the CSV export parses back to the JSON export's rows, and a
// text cell that a spreadsheet would run is neutralised.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/csv.hpp"
#include "server/http/server_app.hpp"
#include "server/http/stats_format.hpp"
#include "support/stats_world.hpp"

namespace grievance::http {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

constexpr int kAtA1 = 12;    // anonymous workers at company A's estate
constexpr int kAtB1 = 3;     // the planted small group: company B's mill, health and safety
constexpr int kByUnion = 6;  // filed by the union at company A's second estate

class StatsApiTest : public testing::StatsWorld {
 protected:
  StatsApiTest() : StatsWorld(testing::ManualClock{}.now()) {
    for (int i = 0; i < kAtA1; ++i) file(a1_, "wages", "");
    for (int i = 0; i < kAtB1; ++i) file(b1_, "health_safety", "");
    const auto union_token = bearer_of("union@stats.example");
    for (int i = 0; i < kByUnion; ++i) file(a2_, "wages", union_token);
    complainant_ = complainant_bearer();
  }

  Response call(bhttp::verb method, const std::string& target, std::string body = {},
                const std::string& bearer = {}, ResponseStream* stream = nullptr) {
    return send(method, target, {.body = std::move(body), .bearer = bearer, .stream = stream});
  }
  void file(std::int64_t site, const char* category, const std::string& union_bearer) {
    StatsWorld::file(site, category, union_bearer, "NARRATIVE-STATS");
  }
  std::string complainant_bearer() {
    auto res = call(
        bhttp::verb::post, "/api/v1/session",
        json{{"reference", last_filing_["reference"]}, {"access_code", last_filing_["access_code"]}}
            .dump());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return "Bearer " + json::parse(res.body()).value("token", "");
  }
  json stats(const std::string& who, const std::string& query = "", int expected = 200) {
    auto res = call(bhttp::verb::get, "/api/v1/stats" + query, {}, bearer_of(who));
    EXPECT_EQ(res.result_int(), expected) << who << " " << query << ": " << res.body();
    return json::parse(res.body(), nullptr, false);
  }
  // The row whose key `dimension` is `value` (null when none).
  static json row_of(const json& table, const std::string& dimension, const std::string& value) {
    for (const auto& r : table["rows"]) {
      if (r.value(dimension, "") == value) return r;
    }
    return nullptr;
  }

  std::string complainant_;
};

TEST_F(StatsApiTest, EachRoleReadsTheCasesOfItsScopeExactlyAndTheAuditorProtected) {
  auto admin = stats("admin@stats.example");
  EXPECT_EQ(admin["protection"], "exact");
  ASSERT_EQ(admin["rows"].size(), 1u);
  EXPECT_EQ(admin["rows"][0]["registered"], kAtA1 + kAtB1 + kByUnion);
  EXPECT_EQ(admin["rows"][0]["by_kind.union_filed"], kByUnion);
  EXPECT_EQ(stats("a@stats.example")["rows"][0]["registered"], kAtA1 + kByUnion);
  // Its own small group: a company knows its cases already, so it reads them exactly.
  auto b = stats("b@stats.example");
  EXPECT_EQ(b["protection"], "exact");
  EXPECT_EQ(b["rows"][0]["registered"], kAtB1);
  EXPECT_EQ(stats("union@stats.example")["rows"][0]["registered"], kByUnion);
  auto auditor = stats("auditor@stats.example");
  EXPECT_EQ(auditor["protection"], "protected");
  EXPECT_EQ(auditor["k"], 5);
  const auto registered = auditor["rows"][0]["registered"];
  ASSERT_TRUE(registered.is_number()) << auditor.dump();
  EXPECT_LE(std::abs(registered.get<int>() - (kAtA1 + kAtB1 + kByUnion)), domain::kMaxNoise);
  // Columns: the JSON names them, in the CSV's order.
  EXPECT_EQ(admin["columns"][0], "registered");
  EXPECT_EQ(admin["columns"].size(), admin["rows"][0].size());
}

TEST_F(StatsApiTest, APlantedSmallGroupNeverReachesTheAuditorAsAnExactCount) {
  int small_cells = 0;
  for (const char* query : {"?group_by=company", "?group_by=site", "?group_by=category",
                            "?group_by=company,category", "?company=", "?site="}) {
    std::string q = query;
    if (q == "?company=") q += std::to_string(b_);
    if (q == "?site=") q += std::to_string(b1_);
    const auto admin = stats("admin@stats.example", q);
    const auto auditor = stats("auditor@stats.example", q);
    ASSERT_EQ(admin["rows"].size(), auditor["rows"].size()) << q;
    for (std::size_t i = 0; i < admin["rows"].size(); ++i) {
      const auto& exact = admin["rows"][i];
      const auto& shown = auditor["rows"][i];
      // Any cell of fewer than k cases is "<5" for the auditor, whatever the noise.
      for (const auto& [column, value] : exact.items()) {
        if (!value.is_number_integer() || value.get<int>() <= 0 || value.get<int>() >= 5) continue;
        EXPECT_EQ(shown[column], "<5") << q << " row " << i << " " << column;
        ++small_cells;
      }
    }
  }
  EXPECT_GE(small_cells, 20) << "the planted group gives small cells to check";
  const auto by_company = stats("admin@stats.example", "?group_by=company");
  EXPECT_EQ(row_of(by_company, "company", std::to_string(b_))["registered"], kAtB1);
  const auto protected_b =
      row_of(stats("auditor@stats.example", "?group_by=company"), "company", std::to_string(b_));
  EXPECT_EQ(protected_b["registered"], "<5");
}

TEST_F(StatsApiTest, TheSameQuestionAlwaysGetsTheSameAnswer) {
  const auto first = stats("auditor@stats.example", "?group_by=site");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(stats("auditor@stats.example", "?group_by=site"), first);
  }
}

TEST_F(StatsApiTest, BadQuestionsAreRefusedWithTheFieldNamed) {
  const auto field_of = [](const json& j) { return j["error"].value("field", ""); };
  EXPECT_EQ(field_of(stats("admin@stats.example", "?from=2026-13-01", 400)), "from");
  EXPECT_EQ(field_of(stats("admin@stats.example", "?group_by=site,month,category", 400)),
            "group_by");
  EXPECT_EQ(field_of(stats("admin@stats.example", "?group_by=weather", 400)), "group_by");
  EXPECT_EQ(field_of(stats("admin@stats.example", "?category=jokes", 400)), "category");
  stats("admin@stats.example", "?grup_by=month", 400);  // a misspelt filter is not ignored
  // Finer than the configured detail: refused to the auditor, answered to the operator.
  EXPECT_EQ(field_of(stats("auditor@stats.example", "?group_by=site,month", 400)), "group_by");
  stats("admin@stats.example", "?group_by=site,month");
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/stats").result_int(), 401);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/stats", {}, complainant_).result_int(), 403);
}

TEST_F(StatsApiTest, TheCsvExportParsesBackToTheJsonExportsRowsAndHoldsNoText) {
  const auto auditor = bearer_of("auditor@stats.example");
  const std::string q = "?group_by=company,category";
  auto csv_res = call(bhttp::verb::get, "/api/v1/exports/stats.csv" + q, {}, auditor);
  auto json_res = call(bhttp::verb::get, "/api/v1/exports/stats.json" + q, {}, auditor);
  ASSERT_EQ(csv_res.result_int(), 200) << csv_res.body();
  ASSERT_EQ(json_res.result_int(), 200) << json_res.body();
  EXPECT_EQ(csv_res[bhttp::field::content_type], "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(csv_res[bhttp::field::content_disposition],
            "attachment; filename=\"grievance-stats.csv\"");
  EXPECT_EQ(csv_res[bhttp::field::cache_control], "no-store");
  const auto table = json::parse(json_res.body());
  auto records = parse_csv(csv_res.body());
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), table["rows"].size() + 1);
  std::vector<std::string> header = (*records)[0].fields;
  ASSERT_EQ(header, table["columns"].get<std::vector<std::string>>());
  ASSERT_GE(table["rows"].size(), 2u);
  for (std::size_t i = 0; i < table["rows"].size(); ++i) {
    const auto& row = table["rows"][i];
    const auto& fields = (*records)[i + 1].fields;
    ASSERT_EQ(fields.size(), header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
      const auto& v = row[header[c]];
      const std::string expected = v.is_null()     ? ""
                                   : v.is_string() ? v.get<std::string>()
                                                   : v.dump();
      EXPECT_EQ(fields[c], expected) << "row " << i << " column " << header[c];
    }
  }
  for (const auto* body : {&csv_res.body(), &json_res.body()}) {
    EXPECT_EQ(body->find("NARRATIVE-STATS"), std::string::npos);
    EXPECT_EQ(body->find(last_filing_["reference"].get<std::string>()), std::string::npos);
  }
  // Exports are for the auditor and the operator.
  EXPECT_EQ(
      call(bhttp::verb::get, "/api/v1/exports/stats.csv", {}, bearer_of("admin@stats.example"))
          .result_int(),
      200);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/exports/stats.csv", {}, bearer_of("a@stats.example"))
                .result_int(),
            403);
  EXPECT_EQ(
      call(bhttp::verb::get, "/api/v1/exports/stats.json", {}, bearer_of("union@stats.example"))
          .result_int(),
      403);
}

// A connection that records what a streaming handler writes, piece by piece.
class RecordingStream final : public ResponseStream {
 public:
  bool begin(Response& head) override {
    ++begins;
    status = head.result_int();
    content_type = std::string(head[bhttp::field::content_type]);
    return true;
  }
  bool write(std::string_view piece) override {
    largest_piece = std::max(largest_piece, piece.size());
    ++pieces;
    body += piece;
    return writes_left-- > 0;
  }
  bool end() override {
    ++ends;
    return true;
  }
  int begins = 0, ends = 0, pieces = 0;
  unsigned status = 0;
  std::size_t largest_piece = 0;
  int writes_left = 1 << 30;
  std::string content_type, body;
};

TEST_F(StatsApiTest, TheCaseExportHasNoTextAndIsKAnonymousForTheAuditor) {
  // Markers in a message and in a named worker's contact, besides the narratives.
  json named = {{"language", "id"},
                {"categories", {"wages"}},
                {"narrative", "NARRATIVE-STATS"},
                {"site_id", a1_},
                {"country", "ID"},
                {"anonymous", false},
                {"contact", {{"name", "NAME-MARKER-Siti"}, {"phone", "+62 811 0000 4242"}}}};
  auto filed = call(bhttp::verb::post, "/api/v1/complaints", named.dump());
  ASSERT_EQ(filed.result_int(), 201) << filed.body();
  const auto reference = json::parse(filed.body())["reference"].get<std::string>();
  auto msg = call(bhttp::verb::post, "/api/v1/cases/" + reference + "/messages",
                  json{{"body", "MESSAGE-MARKER-77"}}.dump(), bearer_of("admin@stats.example"));
  ASSERT_EQ(msg.result_int(), 201) << msg.body();

  const auto auditor = bearer_of("auditor@stats.example");
  const auto admin = bearer_of("admin@stats.example");
  auto csv_res = call(bhttp::verb::get, "/api/v1/exports/cases.csv", {}, auditor);
  auto json_res = call(bhttp::verb::get, "/api/v1/exports/cases.json", {}, auditor);
  auto exact = call(bhttp::verb::get, "/api/v1/exports/cases.json", {}, admin);
  ASSERT_EQ(csv_res.result_int(), 200) << csv_res.body();
  ASSERT_EQ(json_res.result_int(), 200) << json_res.body();
  ASSERT_EQ(exact.result_int(), 200) << exact.body();
  EXPECT_EQ(csv_res[bhttp::field::content_disposition],
            "attachment; filename=\"grievance-cases.csv\"");
  for (const auto* body : {&csv_res.body(), &json_res.body(), &exact.body()}) {
    for (const char* marker : {"NARRATIVE-STATS", "NAME-MARKER", "4242", "MESSAGE-MARKER", "Kebun",
                               "Pabrik", "Serikat"}) {
      EXPECT_EQ(body->find(marker), std::string::npos) << marker;
    }
    EXPECT_EQ(body->find(reference), std::string::npos) << "no reference";
  }
  // The operator: every case, exact.
  const auto all = json::parse(exact.body());
  EXPECT_EQ(all["protection"], "exact");
  EXPECT_EQ(all["rows"].size(), static_cast<std::size_t>(kAtA1 + kAtB1 + kByUnion + 1));
  // The auditor: the CSV parses back to the JSON's rows; every published (site, period,
  // categories) is shared by at least k rows; the planted three at B's mill are not one of them
  // at their site.
  const auto table = json::parse(json_res.body());
  EXPECT_EQ(table["protection"], "protected");
  auto records = parse_csv(csv_res.body());
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), table["rows"].size() + 1);
  const auto header = (*records)[0].fields;
  ASSERT_EQ(header, table["columns"].get<std::vector<std::string>>());
  std::map<std::tuple<std::string, std::string, std::string>, int> shared;
  for (std::size_t i = 0; i < table["rows"].size(); ++i) {
    const auto& row = table["rows"][i];
    for (std::size_t c = 0; c < header.size(); ++c) {
      const auto& v = row[header[c]];
      EXPECT_EQ((*records)[i + 1].fields[c], v.is_null()     ? ""
                                             : v.is_string() ? v.get<std::string>()
                                                             : v.dump())
          << header[c];
    }
    ++shared[{row["site"], row["period"], row["categories"]}];
    EXPECT_NE(row["site"], std::to_string(b1_)) << "three cases at one site: never by the site";
  }
  for (const auto& [key, n] : shared) EXPECT_GE(n, 5);
  EXPECT_GE(table["rows"].size(), static_cast<std::size_t>(kAtA1));
  // The same organisation's exports name a case the same; another's differently.
  const auto again =
      json::parse(call(bhttp::verb::get, "/api/v1/exports/cases.json", {}, auditor).body());
  std::set<std::string> ids, admin_ids;
  for (const auto& r : again["rows"]) ids.insert(r["id"]);
  for (const auto& r : all["rows"]) admin_ids.insert(r["id"]);
  for (const auto& r : table["rows"]) {
    EXPECT_TRUE(ids.count(r["id"])) << "stable per organisation";
    EXPECT_FALSE(admin_ids.count(r["id"])) << "unlinkable across organisations";
  }
  // Refusals.
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/exports/cases.csv", {}, bearer_of("a@stats.example"))
                .result_int(),
            403);
  EXPECT_EQ(
      call(bhttp::verb::get, "/api/v1/exports/cases.csv?group_by=month", {}, admin).result_int(),
      400);
  EXPECT_EQ(
      call(bhttp::verb::get, "/api/v1/exports/cases.csv?from=yesterday", {}, admin).result_int(),
      400);
}

TEST_F(StatsApiTest, TheCaseExportStreamsInBoundedPiecesWhenTheConnectionCan) {
  // Enough cases for several pieces of 64 KiB.
  for (int i = 0; i < 900; ++i) file(a1_, "wages", "");
  RecordingStream stream;
  auto res = call(bhttp::verb::get, "/api/v1/exports/cases.csv", {},
                  bearer_of("admin@stats.example"), &stream);
  EXPECT_EQ(stream.begins, 1);
  EXPECT_EQ(stream.ends, 1);
  EXPECT_EQ(stream.status, 200u);
  EXPECT_EQ(stream.content_type, "text/csv; charset=utf-8; header=present");
  EXPECT_GE(stream.pieces, 2) << "more than one piece";
  EXPECT_LE(stream.largest_piece, 64u * 1024 + 1024) << "never much more than a piece";
  EXPECT_TRUE(res.body().empty()) << "the rows went to the connection, not into a body";
  auto records = parse_csv(stream.body);
  ASSERT_TRUE(records.has_value());
  EXPECT_EQ(records->size(), static_cast<std::size_t>(kAtA1 + kAtB1 + kByUnion + 900 + 1));
  // A client that leaves: the export stops and is never ended as if complete.
  RecordingStream leaving;
  leaving.writes_left = 1;
  call(bhttp::verb::get, "/api/v1/exports/cases.json", {}, bearer_of("admin@stats.example"),
       &leaving);
  EXPECT_EQ(leaving.ends, 0);
  EXPECT_LE(leaving.pieces, 2);
}

TEST_F(StatsApiTest, ALargeTableStreamsInBoundedPiecesAndASmallOneAnswersWhole) {
  // A case in every category in each of 60 months: 660 rows of month and category, about
  // 70 KB of CSV and 850 KB of JSON - more than one piece of 64 KiB.
  for (int month = 0; month < 60; ++month) {
    for (domain::Category c : domain::all_categories()) {
      file(a1_, std::string(domain::to_string(c)).c_str(), "");
    }
    clock_.advance(std::chrono::days(31));
  }
  const auto admin = bearer_of("admin@stats.example");
  for (const char* target : {"/api/v1/stats?group_by=month,category",
                             "/api/v1/exports/stats.json?group_by=month,category",
                             "/api/v1/exports/stats.csv?group_by=month,category"}) {
    SCOPED_TRACE(target);
    const auto whole = call(bhttp::verb::get, target, {}, admin);
    ASSERT_EQ(whole.result_int(), 200) << whole.body();
    ASSERT_GT(whole.body().size(), 64u * 1024);
    RecordingStream stream;
    auto res = call(bhttp::verb::get, target, {}, admin, &stream);
    EXPECT_EQ(stream.begins, 1);
    EXPECT_EQ(stream.ends, 1);
    EXPECT_EQ(stream.status, 200u);
    EXPECT_EQ(stream.content_type, std::string(whole[bhttp::field::content_type]));
    EXPECT_GE(stream.pieces, 2) << "more than one piece";
    EXPECT_LE(stream.largest_piece, 64u * 1024 + 4096) << "never much more than a piece";
    EXPECT_EQ(stream.body, whole.body()) << "the same answer, byte for byte";
    // A client that leaves: the table stops and is never ended as if complete.
    RecordingStream leaving;
    leaving.writes_left = 0;
    call(bhttp::verb::get, target, {}, admin, &leaving);
    EXPECT_EQ(leaving.ends, 0);
    EXPECT_EQ(leaving.pieces, 1);
  }
  const auto table = json::parse(
      call(bhttp::verb::get, "/api/v1/stats?group_by=month,category", {}, admin).body());
  EXPECT_EQ(table["rows"].size(), 60 * domain::all_categories().size());
  // A small table is one response with its length, even where the connection could stream.
  RecordingStream small;
  auto one = call(bhttp::verb::get, "/api/v1/stats?group_by=company", {}, admin, &small);
  EXPECT_EQ(one.result_int(), 200);
  EXPECT_EQ(small.begins, 0);
  EXPECT_FALSE(json::parse(one.body())["rows"].empty());
  EXPECT_EQ(one[bhttp::field::content_length], std::to_string(one.body().size()));
}

TEST_F(StatsApiTest, AStoreFailingInTheMiddleOfAStreamedTableNeverEndsItAsComplete) {
  // By site and month the rollup hands the rows out as its cells come (docs/domain.md
  // "Rollups"): three sites over 40 months, about 120 rows and 150 KB of JSON.
  for (int month = 0; month < 40; ++month) {
    for (std::int64_t site : {a1_, a2_, b1_}) file(site, "wages", "");
    clock_.advance(std::chrono::days(31));
  }
  const auto admin = bearer_of("admin@stats.example");
  const std::string target = "/api/v1/stats?group_by=site,month";
  const auto whole = call(bhttp::verb::get, target, {}, admin);
  ASSERT_EQ(whole.result_int(), 200) << whole.body();
  ASSERT_GT(whole.body().size(), 2u * 64 * 1024) << "enough for pieces before the failure";

  // The store fails after most of the cells: pieces already went out, and the answer is
  // never ended, so the client sees a cut connection, not a shorter table.
  store_.rollup_cells_before_failure = 100;
  RecordingStream cut;
  auto res = call(bhttp::verb::get, target, {}, admin, &cut);
  EXPECT_EQ(cut.begins, 1);
  EXPECT_EQ(cut.status, 200u);
  EXPECT_GE(cut.pieces, 1);
  EXPECT_EQ(cut.ends, 0) << "a part of the table ended as if it were the whole";
  EXPECT_LT(cut.body.size(), whole.body().size());
  EXPECT_EQ(whole.body().compare(0, cut.body.size(), cut.body), 0) << "what went out is true";
  EXPECT_EQ(res.result_int(), 503) << "the handler reports the failure (net does not send it)";

  // Failing at the first cell, before anything went out: a clean error, no stream.
  store_.rollup_cells_before_failure = 0;
  RecordingStream early;
  auto refused = call(bhttp::verb::get, target, {}, admin, &early);
  EXPECT_EQ(early.begins, 0);
  EXPECT_EQ(refused.result_int(), 503) << refused.body();
  EXPECT_TRUE(json::parse(refused.body()).contains("error")) << refused.body();

  store_.rollup_cells_before_failure = -1;
  EXPECT_EQ(call(bhttp::verb::get, target, {}, admin).body(), whole.body());
}

TEST_F(StatsApiTest, ACompanysAnnualDisclosureCountsItsOwnCasesOfTheYear) {
  file(a1_, "forced_labour", "");
  file(a1_, "child_labour", "");
  file(a1_, "harassment", "");
  file(b1_, "forced_labour", "");  // B's, not A's
  const std::string year = std::to_string(static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock_.now())).year()));
  auto res = call(bhttp::verb::get, "/api/v1/exports/disclosure.json?year=" + year, {},
                  bearer_of("a@stats.example"));
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(
      res[bhttp::field::content_disposition],
      "attachment; filename=\"grievance-disclosure-" + std::to_string(a_) + "-" + year + ".json\"");
  const auto d = json::parse(res.body());
  EXPECT_EQ(d["company"], a_);
  EXPECT_EQ(d["esrs_s1_17"]["complaints_filed"], kAtA1 + kByUnion + 3);
  EXPECT_EQ(d["esrs_s1_17"]["severe_human_rights_cases"], 2);
  EXPECT_EQ(d["esrs_s1_17"]["severe_cases_remedied"], 0);
  EXPECT_EQ(d["esrs_s1_17"]["discrimination_or_harassment"], 1);
  EXPECT_EQ(d["gri_2_25"]["registered"], kAtA1 + kByUnion + 3);
  EXPECT_EQ(d["gri_2_25"]["open"], kAtA1 + kByUnion + 3);
  // Another year: nothing; the admin names the company; nobody else may ask.
  auto empty = call(bhttp::verb::get, "/api/v1/exports/disclosure.json?year=2001", {},
                    bearer_of("a@stats.example"));
  ASSERT_EQ(empty.result_int(), 200);
  EXPECT_EQ(json::parse(empty.body())["esrs_s1_17"]["complaints_filed"], 0);
  EXPECT_TRUE(json::parse(empty.body())["gri_2_25"].is_null());
  const auto admin = bearer_of("admin@stats.example");
  auto for_b = call(
      bhttp::verb::get,
      "/api/v1/exports/disclosure.json?year=" + year + "&company=" + std::to_string(b_), {}, admin);
  ASSERT_EQ(for_b.result_int(), 200) << for_b.body();
  EXPECT_EQ(json::parse(for_b.body())["esrs_s1_17"]["complaints_filed"], kAtB1 + 1);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/exports/disclosure.json?year=" + year, {}, admin)
                .result_int(),
            400);
  EXPECT_EQ(call(bhttp::verb::get,
                 "/api/v1/exports/disclosure.json?year=" + year + "&company=" + std::to_string(b_),
                 {}, bearer_of("a@stats.example"))
                .result_int(),
            400);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/exports/disclosure.json?year=twenty", {},
                 bearer_of("a@stats.example"))
                .result_int(),
            400);
  for (const char* who : {"auditor@stats.example", "union@stats.example"}) {
    EXPECT_EQ(
        call(bhttp::verb::get, "/api/v1/exports/disclosure.json?year=" + year, {}, bearer_of(who))
            .result_int(),
        403)
        << who;
  }
}

TEST(StatsCsv, TextThatASpreadsheetWouldRunIsNeutralisedAndQuotedWhereNeeded) {
  EXPECT_EQ(csv_text("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_text("+1"), "'+1");
  EXPECT_EQ(csv_text("-2"), "'-2");
  EXPECT_EQ(csv_text("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_text("\tx"), "'\tx");
  EXPECT_EQ(csv_text("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_text("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_text("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(csv_text("2026-11"), "2026-11");
  EXPECT_EQ(csv_text("<5"), "<5");
  EXPECT_EQ(format_figure(3.5), "3.5");
  EXPECT_EQ(format_figure(2.0 / 3.0), "0.667");
  EXPECT_EQ(format_figure(12), "12");
  EXPECT_EQ(format_figure(0.0004), "0");
}

// The JSON answer, the CSV and the dashboard's cells are one list of columns: each row of the
// answer has every column once, with the value of the cell of that name, and the CSV row says
// the same. Distinct values in every count and figure show a column written under another's
// name.
TEST(StatsFormat, EveryRowHasEveryColumnWithItsCellsValue) {
  using domain::Count;
  domain::StatsTable table;
  table.protection = domain::Protection::kProtected;
  table.k = 5;
  table.group_by = {domain::StatsDimension::kSite, domain::StatsDimension::kCategory};
  domain::StatsRow counted;
  counted.keys = {{domain::StatsDimension::kSite, "12"},
                  {domain::StatsDimension::kCategory, "=wages"}};
  std::int64_t next = 100;
  domain::for_each_count(counted, [&next](const std::string&, Count& c) {
    c = next % 7 == 0 ? Count::fewer() : Count::of(next);
    ++next;
  });
  counted.collective_headcount = 40;
  counted.ack_in_time_share = 0.25;
  counted.to_acknowledgement = {Count::of(9), 1.5, 2.5};
  counted.to_resolution = {Count::of(9), 30.0, std::nullopt};
  counted.satisfaction_mean = 3.7;
  domain::StatsRow withheld;
  withheld.keys = {{domain::StatsDimension::kSite, "none"},
                   {domain::StatsDimension::kCategory, "wages"}};
  domain::for_each_count(withheld, [](const std::string&, Count& c) { c = Count::fewer(); });
  table.rows = {counted, withheld};

  std::string out;
  {
    JsonWriter w(out);
    write_stats_table(w, table);
  }
  const auto answer = json::parse(out);
  const auto columns = answer["columns"].get<std::vector<std::string>>();
  EXPECT_EQ(columns, stats_columns(table.group_by));
  auto csv = parse_csv(stats_csv(table));
  ASSERT_TRUE(csv.has_value());
  ASSERT_EQ(csv->size(), 3u);
  EXPECT_EQ((*csv)[0].fields, columns);
  ASSERT_EQ(answer["rows"].size(), 2u);
  int numbers = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& row = answer["rows"][i];
    const auto cells = stats_cells(table.rows[i], table.k);
    ASSERT_EQ(row.size(), columns.size()) << "row " << i;
    ASSERT_EQ(cells.size(), columns.size());
    for (std::size_t c = 0; c < cells.size(); ++c) {
      EXPECT_EQ(cells[c].name, columns[c]);
      const auto& v = row.at(columns[c]);
      if (cells[c].kind == StatsCell::Kind::kKey || cells[c].fewer_than_k) {
        EXPECT_EQ(v, cells[c].text) << columns[c];
      } else if (cells[c].text.empty()) {
        EXPECT_TRUE(v.is_null()) << columns[c];
      } else {
        EXPECT_EQ(v.dump(), cells[c].text) << columns[c];
        ++numbers;
      }
      // The CSV neutralises text a spreadsheet would run ("=wages"); numbers stay numbers.
      const std::string text = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
      const std::string expected = !text.empty() && text[0] == '=' ? "'" + text : text;
      EXPECT_EQ((*csv)[i + 1].fields.at(c), expected) << columns[c];
    }
  }
  EXPECT_EQ(answer["rows"][0]["registered"], 100);
  EXPECT_EQ(answer["rows"][0]["to_acknowledgement.p90_days"], 2.5);
  EXPECT_TRUE(answer["rows"][0]["to_resolution.p90_days"].is_null());
  EXPECT_EQ(answer["rows"][1]["registered"], "<5");
  EXPECT_GT(numbers, 40);
}

}  // namespace
}  // namespace grievance::http
