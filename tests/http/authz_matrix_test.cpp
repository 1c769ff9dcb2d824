// The authorization matrix (issue 3, "Tests that must exist"): every route of the API, called by
// every role against own and foreign objects, compared with the expected table below.
//
// The routes come from web/openapi.json (which tests/http/openapi_test.cpp keeps equal to the
// router), so a new route without a row in the table fails this test. Every state change that
// should succeed runs in a fresh world, so no expectation depends on the order of the calls;
// reads and refused calls share one world (a refused call must change nothing, so a refusal
// that changed something would show up in later cells).
//
// On top of the table, independent checks: zero 2xx where the table expects none; every case a
// role may not see answers 404 (never 403: existence must not leak); no company's or auditor's
// response ever contains an anonymous worker's identity (a marker planted in the contact name),
// the contact's phone or e-mail, or the contact of a union filing without consent to share it.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

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

// ---- the roles ---------------------------------------------------------------------------

enum Role { kAnon, kCmpl, kAdmin, kUnion1, kUnion2, kCompA, kCompB, kCompC, kAudit, kRoleCount };
constexpr std::array<const char*, kRoleCount> kRoleNames = {"anonymous", "complainant", "admin",
                                                            "union1",    "union2",      "companyA",
                                                            "companyB",  "companyC",    "auditor"};

constexpr const char* kMatrixPassword = "matrix password 2026";
// Planted in the anonymous worker's contact: must never reach a company or an auditor.
constexpr const char* kMarker = "MARKER-ANON-7Q";
constexpr const char* kAnonPhone = "+62 811 0000 7777";
constexpr const char* kAnonEmail = "marker.anon@example.org";
// A union's filing whose worker did not consent to share the identity with the company.
constexpr const char* kPrivateName = "MARKER-UNION-PRIVATE-3K";
constexpr const char* kPrivatePhone = "+62 822 3333 4444";

// ---- the world: 3 companies (B buys from A; C unrelated), 2 unions, an auditor, an admin ----

// The ports with the fake outbox: the webhook routes have a store behind them.
domain::Ports with_outbox(domain::Ports p, domain::OutboxStore& outbox) {
  p.outbox = &outbox;
  return p;
}

class World {
 public:
  World() {
    orgs_["A"] = org(domain::OrgKind::kCompany, "PT Sawit Matrix", "ID");
    orgs_["B"] = org(domain::OrgKind::kCompany, "Brand Matrix BV", "NL");
    orgs_["C"] = org(domain::OrgKind::kCompany, "Cong Ty Det May", "VN");
    orgs_["U1"] = org(domain::OrgKind::kUnion, "Union One", "ID");
    orgs_["U2"] = org(domain::OrgKind::kUnion, "Union Two", "ID");
    orgs_["AUD"] = org(domain::OrgKind::kAuditor, "Audit Matrix", "NL");
    ids_["A"] = orgs_["A"];
    ids_["C"] = orgs_["C"];
    ids_["siteA"] = *store.directory().create_site(
        domain::Site{0, "Kebun Matrix", "ID", "Riau", domain::Sector::kPalmOil, orgs_["A"]});
    ids_["siteC"] = *store.directory().create_site(
        domain::Site{0, "Xuong Matrix", "VN", "Binh Duong", domain::Sector::kTextile, orgs_["C"]});
    ids_["A->B"] = *store.directory().create_supply_link(
        domain::SupplyLink{0, orgs_["A"], orgs_["B"], std::nullopt});

    user("admin@matrix.example", "admin", std::nullopt);
    user("union1@matrix.example", "union", orgs_["U1"]);
    user("union2@matrix.example", "union", orgs_["U2"]);
    ids_["userA"] = user("companyA@matrix.example", "company", orgs_["A"]);
    user("companyB@matrix.example", "company", orgs_["B"]);
    ids_["userC"] = user("companyC@matrix.example", "company", orgs_["C"]);
    user("auditor@matrix.example", "auditor", orgs_["AUD"]);

    app = make_app(AppDeps{service, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
    const std::array<const char*, kRoleCount> emails = {nullptr,
                                                        nullptr,
                                                        "admin@matrix.example",
                                                        "union1@matrix.example",
                                                        "union2@matrix.example",
                                                        "companyA@matrix.example",
                                                        "companyB@matrix.example",
                                                        "companyC@matrix.example",
                                                        "auditor@matrix.example"};
    for (int r = kAdmin; r < kRoleCount; ++r) {
      auto res = send(bhttp::verb::post, "/api/v1/session",
                      json{{"email", emails[r]}, {"password", kMatrixPassword}}.dump());
      auto j = json::parse(res.body());
      tokens_[r] = j.value("token", "");
      csrf_[r] = j.value("csrf_token", "");
    }

    // The cases.
    auto anon = complaint(ids_["siteA"]);
    anon["contact"] = {
        {"name", std::string(kMarker) + " Budi"}, {"phone", kAnonPhone}, {"email", kAnonEmail}};
    auto filed_anon = file(anon, kAnon);
    refs_["anon-case"] = filed_anon["reference"];
    receipt = filed_anon["receipt"];
    complainant_code_ = filed_anon["access_code"];

    auto named = complaint(ids_["siteA"]);
    named["anonymous"] = false;
    named["contact"] = {{"name", "Siti Named"}, {"phone", "+62 833 1234 5678"}};
    refs_["named"] = file(named, kAnon)["reference"];

    auto private_form = complaint(ids_["siteA"]);
    private_form["anonymous"] = false;
    private_form["contact"] = {{"name", kPrivateName}, {"phone", kPrivatePhone}};
    private_form["mandate"] = {{"follow", true}, {"share_identity_with_company", false}};
    refs_["union-private"] = file(private_form, kUnion1)["reference"];

    auto shared_form = complaint(ids_["siteA"]);
    shared_form["anonymous"] = false;
    shared_form["contact"] = {{"name", "Rina Shared"}};
    shared_form["mandate"] = {{"follow", false}, {"share_identity_with_company", true}};
    refs_["union-shared"] = file(shared_form, kUnion2)["reference"];

    refs_["case-C"] = file(complaint(ids_["siteC"], "VN"), kAnon)["reference"];

    auto triage = complaint(0);
    triage.erase("site_id");
    triage["place"] = "A plantation near Dumai";
    refs_["triage"] = file(triage, kAnon)["reference"];

    // The complainant of the anonymous case: "own" is that case, every other case "foreign".
    auto signed_in =
        send(bhttp::verb::post, "/api/v1/session",
             json{{"reference", refs_["anon-case"]}, {"access_code", complainant_code_}}.dump());
    auto j = json::parse(signed_in.body());
    tokens_[kCmpl] = j.value("token", "");
    csrf_[kCmpl] = j.value("csrf_token", "");
    for (int r = kCmpl; r < kRoleCount; ++r) {
      if (tokens_[r].empty()) ADD_FAILURE() << "no session for " << kRoleNames[r];
    }
    // Evidence in every case, by the operator for the parties: GET .../attachments/{seq}.
    for (const auto& [object, reference] : refs_) {
      auto added = send_as(kAdmin, bhttp::verb::post,
                           "/api/v1/cases/" + reference + "/attachments?name=slip.png", tiny_png(),
                           "image/png");
      attachment_seq_[object] = json::parse(added.body()).value("seq", std::int64_t{0});
      if (attachment_seq_[object] == 0) ADD_FAILURE() << "no attachment: " << added.body();
    }
  }

  // A 1x1 PNG: signature, IHDR, IDAT, IEND.
  static std::string tiny_png() {
    auto chunk = [](const std::string& type, const std::string& data) {
      const auto n = static_cast<unsigned>(data.size());
      return std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                         static_cast<char>(n >> 8), static_cast<char>(n)} +
             type + data + std::string(4, '\0');
    };
    return std::string("\x89PNG\r\n\x1a\n", 8) +
           chunk("IHDR", std::string("\0\0\0\1\0\0\0\1\x08\x02\0\0\0", 13)) +
           chunk("IDAT", std::string("\x78\x9c\x63\x60\x60\x60\0\0\0\x04\0\x01", 12)) +
           chunk("IEND", "");
  }
  std::int64_t attachment_seq(const std::string& object) const {
    return attachment_seq_.at(object);
  }

  Response send(bhttp::verb method, const std::string& target, const std::string& body = {},
                const std::string& content_type = "application/json",
                const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!body.empty()) {
      req.set(bhttp::field::content_type, content_type);
      req.body() = body;
    }
    for (const auto& [k, v] : headers) req.set(k, v);
    req.prepare_payload();
    RequestContext ctx{"127.0.0.1", true, "matrix"};
    return app->handle(req, ctx);
  }
  // With the role's bearer token (none for the anonymous caller).
  Response send_as(int role, bhttp::verb method, const std::string& target,
                   const std::string& body = {},
                   const std::string& content_type = "application/json",
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    if (role != kAnon) headers.emplace_back("Authorization", "Bearer " + tokens_[role]);
    return send(method, target, body, content_type, headers);
  }
  // With the role's session cookie, and the CSRF token only when asked.
  Response send_cookie(int role, bhttp::verb method, const std::string& target,
                       const std::string& body, bool with_csrf) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Cookie", "lang=en; __Host-session=" + tokens_[role]}};
    if (with_csrf) headers.emplace_back("X-CSRF-Token", csrf_[role]);
    return send(method, target, body, "application/json", headers);
  }

  json complaint(std::int64_t site, const std::string& country = "ID") {
    return {
        {"language", "id"}, {"categories", {"wages"}}, {"narrative", "Upah lembur tidak dibayar."},
        {"site_id", site},  {"country", country},      {"anonymous", true}};
  }
  json union_form() {
    auto c = complaint(ids_["siteA"]);
    c["mandate"] = {{"follow", true}};
    return c;
  }

  std::string ref(const std::string& object) const { return refs_.at(object); }
  std::int64_t id(const std::string& object) const { return ids_.at(object); }
  std::int64_t org_id(const std::string& name) const { return orgs_.at(name); }
  bool has_ref(const std::string& object) const { return refs_.count(object) > 0; }
  bool has_id(const std::string& object) const { return ids_.count(object) > 0; }
  std::string complainant_code() const { return complainant_code_; }
  std::map<std::string, std::int64_t> attachment_seq_;

  testing::FakeStores store;
  testing::FakeCrypto crypto;
  testing::SeededRandom random{11};
  testing::ManualClock clock;
  std::unique_ptr<domain::PasswordHasher> hasher = crypto::make_password_hasher(4);
  testing::FakeOutboxStore outbox;
  domain::Services service{with_outbox(store.ports(crypto, random, clock, hasher.get()), outbox),
                           domain::ServiceConfig{}};
  std::unique_ptr<App> app;
  json receipt;

 private:
  std::int64_t org(domain::OrgKind kind, const std::string& name, const std::string& country) {
    return *store.directory().create_organisation(domain::Organisation{0, kind, name, country});
  }
  std::int64_t user(const std::string& email, const std::string& role,
                    std::optional<std::int64_t> org) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = kMatrixPassword;
    auto u = domain::new_user(store.directory(), store.accounts(), *hasher, d, clock.now());
    EXPECT_TRUE(u) << email << ": " << (u ? "" : u.error().message);
    return u ? u->id : 0;
  }
  json file(const json& body, int role) {
    auto res = send_as(role, bhttp::verb::post, "/api/v1/complaints", body.dump());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json::parse(res.body());
  }

  std::map<std::string, std::int64_t> orgs_, ids_;
  std::map<std::string, std::string> refs_;
  std::array<std::string, kRoleCount> tokens_, csrf_;
  std::string complainant_code_;
};

// ---- the expected table -----------------------------------------------------------------

struct Expectation {
  const char* route;   // "METHOD /pattern" as in web/openapi.json
  const char* object;  // what the call is about: a case, a record, a request variant, or "-"
  std::array<int, kRoleCount> status;
};

// clang-format off
const std::vector<Expectation> kTable = {
//  route                                     object            anon cmpl admin  un1  un2 cmpA cmpB cmpC  aud
  // Public.
  {"GET /healthz",                            "-",              {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  // Monitoring (docs/security.md "Monitoring"): every call here comes from loopback, which may
  // read it; behind a proxy header ("forwarded") only an admin's session may.
  {"GET /metrics",                            "-",              {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  {"GET /metrics",                            "forwarded",      {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/meta",                        "-",              {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  {"GET /api/v1/openapi.json",                "-",              {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  // The public register (docs/domain.md "Public register"): anyone, the same answer for all.
  {"GET /api/v1/register",                    "-",              {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  {"POST /api/v1/receipts/verify",            "-",              {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  {"GET /api/v1/sites",                       "picker",         {200, 200, 200, 200, 200, 200, 200, 200, 200}},
  // Filing: anyone; a union's filing carries the mandate; companies and auditors never file.
  {"POST /api/v1/complaints",                 "worker-form",    {201, 201, 201, 400, 400, 403, 403, 403, 403}},
  {"POST /api/v1/complaints",                 "union-form",     {400, 400, 400, 201, 201, 403, 403, 403, 403}},
  {"POST /api/v1/complaints/batch",           "json",           {401, 403, 403, 201, 201, 403, 403, 403, 403}},
  {"POST /api/v1/complaints/batch",           "csv",            {401, 403, 403, 201, 201, 403, 403, 403, 403}},
  // Sessions.
  {"POST /api/v1/session",                    "complainant",    {201, 201, 201, 201, 201, 201, 201, 201, 201}},
  {"POST /api/v1/session",                    "staff",          {201, 201, 201, 201, 201, 201, 201, 201, 201}},
  {"DELETE /api/v1/session",                  "-",              {401, 200, 200, 200, 200, 200, 200, 200, 200}},
  {"POST /api/v1/session/totp",               "-",              {401, 403, 200, 200, 200, 200, 200, 200, 200}},
  // Notification e-mail: every staff member's own setting; a complainant has none.
  {"PUT /api/v1/users/me/notifications",      "-",              {401, 401, 200, 200, 200, 200, 200, 200, 200}},
  // The case list: union, company, admin; triage: admin.
  {"GET /api/v1/cases",                       "-",              {401, 403, 200, 200, 200, 200, 200, 200, 403}},
  {"GET /api/v1/cases",                       "triage",         {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  // Statistics (docs/domain.md "Statistics"): every organisation its own cases, the admin and the
  // auditor all (protected for the auditor, who is refused a table finer than the configured
  // detail); exports for the auditor and the admin only.
  {"GET /api/v1/stats",                       "-",              {401, 403, 200, 200, 200, 200, 200, 200, 200}},
  {"GET /api/v1/stats",                       "site-month",     {401, 403, 200, 200, 200, 200, 200, 200, 400}},
  {"GET /api/v1/exports/stats.csv",           "-",              {401, 403, 200, 403, 403, 403, 403, 403, 200}},
  {"GET /api/v1/exports/stats.json",          "-",              {401, 403, 200, 403, 403, 403, 403, 403, 200}},
  {"GET /api/v1/exports/cases.csv",           "-",              {401, 403, 200, 403, 403, 403, 403, 403, 200}},
  {"GET /api/v1/exports/cases.json",          "-",              {401, 403, 200, 403, 403, 403, 403, 403, 200}},
  // A company's annual disclosure: its own (the admin names the company: without it, 400).
  {"GET /api/v1/exports/disclosure.json",     "-",              {401, 403, 400, 403, 403, 200, 200, 200, 403}},
  // The operator's review queues: never a company's to filter by.
  {"GET /api/v1/cases",                       "flag",           {401, 403, 200, 200, 200, 403, 403, 403, 403}},
  // One case. The complainant's own is anon-case; union1 filed union-private (follow: may
  // write), union2 filed union-shared (no follow: read only); A is responsible and B a buyer
  // for every case at A's site; C only for case-C; triage is nobody's but the admin's.
  {"GET /api/v1/cases/{reference}",           "anon-case",      {401, 200, 200, 404, 404, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}",           "named",          {401, 404, 200, 404, 404, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}",           "union-private",  {401, 404, 200, 200, 404, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}",           "union-shared",   {401, 404, 200, 404, 200, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}",           "case-C",         {401, 404, 200, 404, 404, 404, 404, 200, 404}},
  {"GET /api/v1/cases/{reference}",           "triage",         {401, 404, 200, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "anon-case",      {401, 201, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "named",          {401, 404, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "union-private",  {401, 404, 201, 201, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "union-shared",   {401, 404, 201, 404, 403, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "case-C",         {401, 404, 201, 404, 404, 404, 404, 201, 404}},
  {"POST /api/v1/cases/{reference}/messages", "triage",         {401, 404, 201, 404, 404, 404, 404, 404, 404}},
  // The three visibilities: a mechanism message is the complainant's side's and the operator's
  // (never a company's); an internal note is a company's or the operator's (never the
  // complainant's side's).
  {"POST /api/v1/cases/{reference}/messages", "anon-case#mechanism",     {401, 201, 201, 404, 404, 400, 400, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "union-private#mechanism", {401, 404, 201, 201, 404, 400, 400, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "union-shared#mechanism",  {401, 404, 201, 404, 403, 400, 400, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "anon-case#organisation",  {401, 400, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/messages", "union-private#organisation", {401, 404, 201, 400, 404, 201, 201, 404, 404}},
  // Assign to C: admin only (409 for a case already routed); 403 where the case is visible.
  {"POST /api/v1/cases/{reference}/assign",   "anon-case",      {401, 403, 409, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/assign",   "named",          {401, 404, 409, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/assign",   "union-private",  {401, 404, 409, 403, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/assign",   "union-shared",   {401, 404, 409, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/assign",   "case-C",         {401, 404, 409, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/assign",   "triage",         {401, 404, 200, 404, 404, 404, 404, 404, 404}},
  // What the complainant tells the mechanism, and the operator's review (docs/domain.md "What
  // each party may do"). A retaliation report is the complainant's side's (the worker, the union
  // with a follow mandate); a company of the case gets 403, never a way to learn it.
  {"POST /api/v1/cases/{reference}/retaliation", "anon-case",     {401, 200, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/retaliation", "named",         {401, 404, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/retaliation", "union-private", {401, 404, 403, 200, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/retaliation", "union-shared",  {401, 404, 403, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/retaliation", "case-C",        {401, 404, 403, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/retaliation", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // The follow-up answer and the answer to a disclosure request: the complainant's side; no
  // check asked and no request waiting: 409.
  {"POST /api/v1/cases/{reference}/follow-up", "anon-case",      {401, 409, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/follow-up", "named",          {401, 404, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/follow-up", "union-private",  {401, 404, 403, 409, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/follow-up", "union-shared",   {401, 404, 403, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/follow-up", "case-C",         {401, 404, 403, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/follow-up", "triage",         {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure/answer", "anon-case",     {401, 409, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure/answer", "named",         {401, 404, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure/answer", "union-private", {401, 404, 403, 409, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure/answer", "union-shared",  {401, 404, 403, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure/answer", "case-C",        {401, 404, 403, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/disclosure/answer", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // Sharing the identity (SPEC section 5): anon-case and union-private keep a contact from the
  // companies (confidential) and may share it; named and union-shared are shared already.
  {"POST /api/v1/cases/{reference}/identity", "anon-case",      {401, 200, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/identity", "named",          {401, 404, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/identity", "union-private",  {401, 404, 403, 200, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/identity", "union-shared",   {401, 404, 403, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/identity", "case-C",         {401, 404, 403, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/identity", "triage",         {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // A company of the case (responsible or buyer) asks for a confidential identity; 409 when
  // it is shared already or the complainant is anonymous (case-C keeps no contact).
  {"POST /api/v1/cases/{reference}/disclosure", "anon-case",     {401, 403, 403, 404, 404, 200, 200, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure", "named",         {401, 404, 403, 404, 404, 409, 409, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure", "union-private", {401, 404, 403, 403, 404, 200, 200, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure", "union-shared",  {401, 404, 403, 404, 403, 409, 409, 404, 404}},
  {"POST /api/v1/cases/{reference}/disclosure", "case-C",        {401, 404, 403, 404, 404, 404, 404, 409, 404}},
  {"POST /api/v1/cases/{reference}/disclosure", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // Translations: whoever handles the case (a company of it, the union taking part, the
  // operator); never the complainant (403), never a union that only reads (403).
  {"POST /api/v1/cases/{reference}/translations", "anon-case",     {401, 403, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/translations", "named",         {401, 404, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/translations", "union-private", {401, 404, 201, 201, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/translations", "union-shared",  {401, 404, 201, 404, 403, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/translations", "case-C",        {401, 404, 201, 404, 404, 404, 404, 201, 404}},
  {"POST /api/v1/cases/{reference}/translations", "triage",        {401, 404, 201, 404, 404, 404, 404, 404, 404}},
  // Meetings (CSDDD Art. 14(4)(b)): the complainant's side (the complainant, the union that
  // follows the case) and the responsible company; a buyer, a union that only reads and the
  // operator read meetings but take no part (403). The answer and the minutes name seq 1 (the
  // filed event, no meeting): the sides reach "no such meeting" (404) only after the right.
  {"POST /api/v1/cases/{reference}/meetings", "anon-case",     {401, 201, 403, 404, 404, 201, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings", "named",         {401, 404, 403, 404, 404, 201, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings", "union-private", {401, 404, 403, 201, 404, 201, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings", "union-shared",  {401, 404, 403, 404, 403, 201, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings", "case-C",        {401, 404, 403, 404, 404, 404, 404, 201, 404}},
  {"POST /api/v1/cases/{reference}/meetings", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/answer", "anon-case",     {401, 404, 403, 404, 404, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/answer", "named",         {401, 404, 403, 404, 404, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/answer", "union-private", {401, 404, 403, 404, 404, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/answer", "union-shared",  {401, 404, 403, 404, 403, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/answer", "case-C",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/answer", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/minutes", "anon-case",     {401, 404, 403, 404, 404, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/minutes", "named",         {401, 404, 403, 404, 404, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/minutes", "union-private", {401, 404, 403, 404, 404, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/minutes", "union-shared",  {401, 404, 403, 404, 403, 404, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/minutes", "case-C",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/meetings/{id}/minutes", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // Evidence (docs/domain.md "Evidence"): the parties who may write to the case add files;
  // whoever sees the case downloads a parties' file; a foreign case is 404.
  {"POST /api/v1/cases/{reference}/attachments", "anon-case",     {401, 201, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/attachments", "named",         {401, 404, 201, 404, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/attachments", "union-private", {401, 404, 201, 201, 404, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/attachments", "union-shared",  {401, 404, 201, 404, 403, 201, 201, 404, 404}},
  {"POST /api/v1/cases/{reference}/attachments", "case-C",        {401, 404, 201, 404, 404, 404, 404, 201, 404}},
  {"POST /api/v1/cases/{reference}/attachments", "triage",        {401, 404, 201, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/attachments", "anon-case#mechanism", {401, 201, 201, 404, 404, 400, 400, 404, 404}},
  {"GET /api/v1/cases/{reference}/attachments/{seq}", "anon-case",     {401, 200, 200, 404, 404, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}/attachments/{seq}", "named",         {401, 404, 200, 404, 404, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}/attachments/{seq}", "union-private", {401, 404, 200, 200, 404, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}/attachments/{seq}", "union-shared",  {401, 404, 200, 404, 200, 200, 200, 404, 404}},
  {"GET /api/v1/cases/{reference}/attachments/{seq}", "case-C",        {401, 404, 200, 404, 404, 404, 404, 200, 404}},
  {"GET /api/v1/cases/{reference}/attachments/{seq}", "triage",        {401, 404, 200, 404, 404, 404, 404, 404, 404}},
  // The operator's review: admins; nothing flagged: 409.
  {"POST /api/v1/cases/{reference}/review", "anon-case",      {401, 403, 409, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/review", "named",          {401, 404, 409, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/review", "union-private",  {401, 404, 409, 403, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/review", "union-shared",   {401, 404, 409, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/review", "case-C",         {401, 404, 409, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/review", "triage",         {401, 404, 409, 404, 404, 404, 404, 404, 404}},
  // A lost access code (docs/domain.md "Lost access codes"): the operator, or the union that
  // filed the case whatever its mandate; a company, a buyer or the worker who sees it: 403.
  {"POST /api/v1/cases/{reference}/access-code", "anon-case",     {401, 403, 200, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/access-code", "named",         {401, 404, 200, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/access-code", "union-private", {401, 404, 200, 200, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/access-code", "union-shared",  {401, 404, 200, 404, 200, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/access-code", "case-C",        {401, 404, 200, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/access-code", "triage",        {401, 404, 200, 404, 404, 404, 404, 404, 404}},
  // The lifecycle (docs/domain.md "Lifecycle"). An escalation may come from the complainant's
  // side (the worker, the union with a follow mandate), the responsible company or the operator;
  // a buyer and a union without a follow mandate only read (403).
  {"POST /api/v1/cases/{reference}/transitions", "anon-case",     {401, 200, 200, 404, 404, 200, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/transitions", "named",         {401, 404, 200, 404, 404, 200, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/transitions", "union-private", {401, 404, 200, 200, 404, 200, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/transitions", "union-shared",  {401, 404, 200, 404, 403, 200, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/transitions", "case-C",        {401, 404, 200, 404, 404, 404, 404, 200, 404}},
  {"POST /api/v1/cases/{reference}/transitions", "triage",        {401, 404, 200, 404, 404, 404, 404, 404, 404}},
  // Feedback and verdicts are the complainant's side's; with no plan on the table: 409.
  {"POST /api/v1/cases/{reference}/feedback", "anon-case",      {401, 409, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/feedback", "named",          {401, 404, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/feedback", "union-private",  {401, 404, 403, 409, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/feedback", "union-shared",   {401, 404, 403, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/feedback", "case-C",         {401, 404, 403, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/feedback", "triage",         {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/verdict", "anon-case",     {401, 409, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/verdict", "named",         {401, 404, 403, 404, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/verdict", "union-private", {401, 404, 403, 409, 404, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/verdict", "union-shared",  {401, 404, 403, 404, 403, 403, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/verdict", "case-C",        {401, 404, 403, 404, 404, 404, 404, 403, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/verdict", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // Marking an action done is the responsible company's; with no plan on the table: 409.
  {"POST /api/v1/cases/{reference}/actions/{number}/done", "anon-case",     {401, 403, 403, 404, 404, 409, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/done", "named",         {401, 404, 403, 404, 404, 409, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/done", "union-private", {401, 404, 403, 403, 404, 409, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/done", "union-shared",  {401, 404, 403, 404, 403, 409, 403, 404, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/done", "case-C",        {401, 404, 403, 404, 404, 404, 404, 409, 404}},
  {"POST /api/v1/cases/{reference}/actions/{number}/done", "triage",        {401, 404, 403, 404, 404, 404, 404, 404, 404}},
  // The directory: admin only, whatever the record (a company's own organisation included).
  {"GET /api/v1/organisations",               "-",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"POST /api/v1/organisations",              "-",              {401, 403, 201, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/organisations/{id}",          "A",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/organisations/{id}",          "C",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/organisations/{id}",        "A",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/organisations/{id}",        "C",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/organisations/{id}",       "A",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/organisations/{id}",       "C",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  // Webhooks and their deliveries: admin only (organisation A's; the fake store's webhook 1).
  {"GET /api/v1/organisations/{id}/webhooks", "A",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"POST /api/v1/organisations/{id}/webhooks", "A",             {401, 403, 201, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/organisations/{id}/webhooks/{webhook_id}", "A", {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/webhook-deliveries",          "-",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"POST /api/v1/webhook-deliveries/{id}/retry", "A",           {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/users",                       "-",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"POST /api/v1/users",                      "-",              {401, 403, 201, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/users/{id}",                  "userA",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/users/{id}",                  "userC",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/users/{id}",                "userA",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/users/{id}",                "userC",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/users/{id}",               "userA",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/users/{id}",               "userC",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/sites",                       "all=1",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"POST /api/v1/sites",                      "-",              {401, 403, 201, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/sites/{id}",                  "siteA",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/sites/{id}",                  "siteC",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/sites/{id}",                "siteA",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/sites/{id}",                "siteC",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/sites/{id}",               "siteA",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/sites/{id}",               "siteC",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/supply-links",                "-",              {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"POST /api/v1/supply-links",               "-",              {401, 403, 201, 403, 403, 403, 403, 403, 403}},
  {"GET /api/v1/supply-links/{id}",           "A->B",           {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"PATCH /api/v1/supply-links/{id}",         "A->B",           {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/supply-links/{id}",        "A->B",           {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  // Follow-up guides (issue 10 item 6): read by those who handle cases, edited by the operator.
  {"GET /api/v1/guides/{category}",           "wages",          {401, 403, 200, 200, 200, 200, 200, 200, 403}},
  {"PUT /api/v1/guides/{category}",           "wages",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
  {"DELETE /api/v1/guides/{category}",        "wages",          {401, 403, 200, 403, 403, 403, 403, 403, 403}},
};
// clang-format on

// Who may see which case (an independent statement of the access policy): everyone else who is
// signed in must get 404 on every case route.
const std::map<std::string, std::set<int>> kCaseVisibleTo = {
    {"anon-case", {kCmpl, kAdmin, kCompA, kCompB}},
    {"named", {kAdmin, kCompA, kCompB}},
    {"union-private", {kAdmin, kUnion1, kCompA, kCompB}},
    {"union-shared", {kAdmin, kUnion2, kCompA, kCompB}},
    {"case-C", {kAdmin, kCompC}},
    {"triage", {kAdmin}},
};

// ---- building the request of one cell ---------------------------------------------------

struct Call {
  bhttp::verb method;
  std::string target;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers = {};
};

bhttp::verb verb_of(const std::string& method) { return bhttp::string_to_verb(method); }

void replace(std::string& s, std::string_view from, const std::string& to) {
  if (auto pos = s.find(from); pos != std::string::npos) s.replace(pos, from.size(), to);
}

Call build(World& w, const std::string& route, const std::string& object) {
  const auto space = route.find(' ');
  const std::string method = route.substr(0, space), pattern = route.substr(space + 1);
  Call c{verb_of(method), pattern, {}};
  // "case#variant": the case, and a variant of the request (a message's visibility).
  const std::string case_key = object.substr(0, object.find('#'));
  const std::string variant =
      object.find('#') == std::string::npos ? "" : object.substr(object.find('#') + 1);
  if (pattern.find("{reference}") != std::string::npos) {
    replace(c.target, "{reference}", w.ref(case_key));
  }
  if (pattern.find("/meetings/{id}") != std::string::npos) {
    replace(c.target, "{id}", "1");  // the filed event: not a meeting
  } else if (pattern.find("{id}") != std::string::npos) {
    replace(c.target, "{id}", std::to_string(w.id(object)));
  }
  replace(c.target, "{number}", "1");
  if (pattern.find("{category}") != std::string::npos) {
    replace(c.target, "{category}", object);
    c.target += "?lang=id";
  }
  if (pattern.find("{seq}") != std::string::npos) {
    replace(c.target, "{seq}", std::to_string(w.attachment_seq(case_key)));
  }
  if (pattern.find("{webhook_id}") != std::string::npos) {
    auto made = w.outbox.add_webhook(w.id(object), "https://hooks.example.org/", "s", {});
    replace(c.target, "{webhook_id}", std::to_string(made ? made->id : 0));
  }
  if (object == "all=1") c.target += "?all=1";
  if (object == "forwarded") c.headers = {{"X-Forwarded-For", "198.51.100.4"}};
  if (object == "triage" && pattern == "/api/v1/cases") c.target += "?triage=1";
  if (object == "flag" && pattern == "/api/v1/cases") c.target += "?flag=retaliation";
  if (object == "site-month") c.target += "?group_by=site,month";
  if (pattern == "/api/v1/exports/disclosure.json") c.target += "?year=2026";

  const auto A = w.org_id("A"), B = w.org_id("B"), C = w.org_id("C");
  if (route == "POST /api/v1/complaints") {
    c.body = (object == "union-form" ? w.union_form() : w.complaint(w.id("siteA"))).dump();
  } else if (route == "POST /api/v1/complaints/batch") {
    if (object == "csv") {
      c.content_type = "text/csv";
      c.body =
          "language,categories,narrative,site_id,country,anonymous,mandate_follow\r\n"
          "id,wages,\"Paper form, digitised\"," +
          std::to_string(w.id("siteA")) + ",ID,yes,yes\r\n";
    } else {
      c.body = json::array({w.union_form()}).dump();
    }
  } else if (route == "POST /api/v1/receipts/verify") {
    c.body = w.receipt.dump();
  } else if (route == "POST /api/v1/session") {
    c.body =
        object == "staff"
            ? json{{"email", "companyA@matrix.example"}, {"password", kMatrixPassword}}.dump()
            : json{{"reference", w.ref("anon-case")}, {"access_code", w.complainant_code()}}.dump();
  } else if (route == "POST /api/v1/session/totp") {
    c.body = json{{"password", kMatrixPassword}}.dump();
  } else if (route == "PUT /api/v1/users/me/notifications") {
    c.body = R"({"mode":"digest","language":"vi"})";
  } else if (route == "POST /api/v1/cases/{reference}/messages") {
    c.body = variant.empty()
                 ? json{{"body", "A message from the matrix."}}.dump()
                 : json{{"body", "A message from the matrix."}, {"visibility", variant}}.dump();
  } else if (route == "POST /api/v1/cases/{reference}/retaliation") {
    c.body = R"({"body":"They moved me to the night shift."})";
  } else if (route == "POST /api/v1/cases/{reference}/follow-up") {
    c.body = R"({"held":"yes"})";
  } else if (route == "POST /api/v1/cases/{reference}/identity") {
    c.body = R"({"share":true})";
  } else if (route == "POST /api/v1/cases/{reference}/disclosure") {
    c.body = R"({"reason":"To pay the wages owed."})";
  } else if (route == "POST /api/v1/cases/{reference}/disclosure/answer") {
    c.body = R"({"grant":true})";
  } else if (route == "POST /api/v1/cases/{reference}/translations") {
    c.body = R"({"seq":1,"language":"en","text":"The overtime was not paid."})";
  } else if (route == "POST /api/v1/cases/{reference}/meetings") {
    c.body = R"({"times":["2031-03-04T02:00:00Z"],"place":"The union office in Dumai"})";
  } else if (route == "POST /api/v1/cases/{reference}/meetings/{id}/answer") {
    c.body = R"({"answer":"accept","time":"2031-03-04T02:00:00Z"})";
  } else if (route == "POST /api/v1/cases/{reference}/meetings/{id}/minutes") {
    c.body = R"({"text":"We met; wages will be paid."})";
  } else if (route == "POST /api/v1/cases/{reference}/attachments") {
    c.target += variant.empty() ? "?name=slip.png" : "?name=slip.png&visibility=" + variant;
    c.content_type = "image/png";
    c.body = World::tiny_png();
  } else if (route == "POST /api/v1/cases/{reference}/access-code") {
    c.body = R"({"reason":"She lost her phone; the union office knows her."})";
  } else if (route == "POST /api/v1/cases/{reference}/review") {
    c.body = R"({"flag":"retaliation","note":"Called the worker."})";
  } else if (route == "POST /api/v1/cases/{reference}/assign") {
    c.body = json{{"org_id", C}}.dump();
  } else if (route == "POST /api/v1/cases/{reference}/transitions") {
    c.body = R"({"to":"escalated","reason":"Taken to the national contact point.",)"
             R"("external_body":"national_contact_point"})";
  } else if (route == "POST /api/v1/cases/{reference}/feedback") {
    c.body = R"({"accept":true,"satisfaction":4})";
  } else if (route == "POST /api/v1/cases/{reference}/actions/{number}/done") {
    c.body = R"({"note":"Done."})";
  } else if (route == "POST /api/v1/cases/{reference}/actions/{number}/verdict") {
    c.body = R"({"verdict":"confirmed"})";
  } else if (route == "PUT /api/v1/guides/{category}") {
    c.body = R"({"check":["Pay slips."],"involve":["The union."],"remedies":["Back pay."],)"
             R"("pitfalls":["Retaliation."]})";
  } else if (route == "POST /api/v1/organisations/{id}/webhooks") {
    c.body = R"({"url":"https://hooks.example.org/grievance"})";
  } else if (route == "POST /api/v1/organisations") {
    c.body = R"({"kind":"company","name":"Matrix New Co","country":"ID"})";
  } else if (route == "PATCH /api/v1/organisations/{id}") {
    c.body = R"({"name":"Renamed by the matrix"})";
  } else if (route == "POST /api/v1/users") {
    c.body = json{{"email", "new.officer@matrix.example"},
                  {"role", "company"},
                  {"org_id", A},
                  {"password", kMatrixPassword}}
                 .dump();
  } else if (route == "PATCH /api/v1/users/{id}") {
    c.body = R"({"disabled":false})";
  } else if (route == "POST /api/v1/sites") {
    c.body = json{
        {"name", "Matrix Mill"},
        {"country", "ID"},
        {"region", "Riau"},
        {"sector", "palm_oil"},
        {"operator_org_id",
         A}}.dump();
  } else if (route == "PATCH /api/v1/sites/{id}") {
    c.body = R"({"region":"Riau Utara"})";
  } else if (route == "POST /api/v1/supply-links") {
    c.body = json{{"supplier_org_id", C}, {"buyer_org_id", B}}.dump();
  } else if (route == "PATCH /api/v1/supply-links/{id}") {
    c.body = R"({"disabled":false})";
  }
  return c;
}

// Every "METHOD /pattern" described in web/openapi.json.
std::vector<std::string> described_routes() {
  std::ifstream in(std::string(GRIEVANCE_SOURCE_DIR) + "/web/openapi.json");
  auto spec = json::parse(in);
  std::vector<std::string> out;
  const std::set<std::string> methods = {"get", "post", "put", "patch", "delete", "head"};
  for (const auto& [path, ops] : spec["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (!methods.count(method)) continue;
      std::string upper = method;
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.push_back(upper + " " + path);
    }
  }
  return out;
}

bool leaks(const std::string& body) {
  for (const char* secret : {kMarker, kAnonPhone, kAnonEmail, kPrivateName, kPrivatePhone}) {
    if (body.find(secret) != std::string::npos) return true;
  }
  return false;
}

TEST(AuthorizationMatrix, EveryRouteEveryRoleOwnAndForeignObjects) {
  const auto routes = described_routes();
  std::set<std::string> table_routes;
  for (const auto& e : kTable) table_routes.insert(e.route);
  for (const auto& r : routes) {
    EXPECT_TRUE(table_routes.count(r))
        << "no expectation for the route " << r << ": add its rows to kTable";
  }
  for (const auto& r : table_routes) {
    EXPECT_TRUE(std::find(routes.begin(), routes.end(), r) != routes.end())
        << "the table names a route that is not in web/openapi.json: " << r;
  }

  auto shared = std::make_unique<World>();
  int calls = 0, mismatches = 0, unauthorised_2xx = 0, foreign_404_checks = 0, leak_checks = 0;
  std::set<std::string> objects;
  for (const auto& e : kTable) {
    objects.insert(std::string(e.route) + "|" + e.object);
    for (int role = 0; role < kRoleCount; ++role) {
      const std::string route = e.route;
      const int want = e.status[static_cast<std::size_t>(role)];
      // A state change that should succeed gets a fresh world; reads and refusals (which must
      // change nothing) share one.
      const bool changes = !route.starts_with("GET ") && want >= 200 && want < 300;
      std::unique_ptr<World> fresh;
      World& w = changes ? *(fresh = std::make_unique<World>()) : *shared;
      const Call c = build(w, route, e.object);
      const auto res = w.send_as(role, c.method, c.target, c.body, c.content_type, c.headers);
      const int got = static_cast<int>(res.result_int());
      ++calls;
      SCOPED_TRACE(route + " as " + kRoleNames[static_cast<std::size_t>(role)] + " on " + e.object);
      if (got != want) {
        ++mismatches;
        ADD_FAILURE() << "expected " << want << ", got " << got << ": " << res.body();
      }
      if (got >= 200 && got < 300 && !(want >= 200 && want < 300)) ++unauthorised_2xx;
      if (got >= 400) {
        auto j = json::parse(res.body(), nullptr, false);
        EXPECT_TRUE(j.is_object() && j["error"]["code"].is_string()) << res.body();
      }
      // A case the role may not see is 404 on every case route, never 403.
      if (route.find("{reference}") != std::string::npos && role != kAnon) {
        const auto& visible =
            kCaseVisibleTo.at(std::string(e.object).substr(0, std::string(e.object).find('#')));
        if (!visible.count(role)) {
          ++foreign_404_checks;
          EXPECT_EQ(got, 404) << "a foreign case must answer 404";
        }
      }
      if (role == kCompA || role == kCompB || role == kCompC || role == kAudit) {
        ++leak_checks;
        EXPECT_FALSE(leaks(res.body()))
            << "identity or contact reached a company or auditor: " << res.body();
      }
    }
  }
  EXPECT_EQ(unauthorised_2xx, 0);
  const std::string summary =
      "authorization matrix: " + std::to_string(routes.size()) + " routes x " +
      std::to_string(kRoleCount) + " roles x " + std::to_string(kTable.size()) +
      " route/object rows (" + std::to_string(objects.size() - routes.size()) +
      " beyond one object per route) = " + std::to_string(calls) + " calls; " +
      std::to_string(calls - mismatches) + " as expected, " + std::to_string(mismatches) +
      " mismatches, " + std::to_string(unauthorised_2xx) + " unauthorised 2xx, " +
      std::to_string(foreign_404_checks) + " foreign-case 404 checks, " +
      std::to_string(leak_checks) + " company/auditor bodies free of the marker and contacts";
  std::cout << summary << std::endl;
  ::testing::Test::RecordProperty("authorization_matrix", summary);
}

// What the visible cases show: field-level rules of the same policy.
TEST(AuthorizationMatrix, FieldsFollowTheViewer) {
  World w;
  auto view = [&](int role, const std::string& object) {
    auto res = w.send_as(role, bhttp::verb::get, "/api/v1/cases/" + w.ref(object));
    EXPECT_EQ(res.result_int(), 200) << kRoleNames[static_cast<std::size_t>(role)] << " " << object;
    return json::parse(res.body());
  };
  // The anonymous worker's contact: the worker and the admin, never a company.
  EXPECT_TRUE(view(kCmpl, "anon-case").contains("contact"));
  EXPECT_TRUE(view(kAdmin, "anon-case").contains("contact"));
  EXPECT_FALSE(view(kCompA, "anon-case").contains("contact"));
  EXPECT_FALSE(view(kCompB, "anon-case").contains("contact"));
  // A named worker consents by filing named; a union's filing only with share_identity.
  EXPECT_EQ(view(kCompA, "named")["contact"]["name"], "Siti Named");
  EXPECT_FALSE(view(kCompA, "union-private").contains("contact"));
  EXPECT_EQ(view(kUnion1, "union-private")["contact"]["name"], kPrivateName);
  EXPECT_EQ(view(kCompB, "union-shared")["contact"]["name"], "Rina Shared");
  // Access levels and parts.
  EXPECT_EQ(view(kCompA, "anon-case")["access"], "act");
  EXPECT_EQ(view(kCompA, "anon-case")["party_role"], "responsible");
  EXPECT_EQ(view(kCompB, "anon-case")["access"], "message");
  EXPECT_EQ(view(kCompB, "anon-case")["party_role"], "buyer");
  EXPECT_EQ(view(kUnion1, "union-private")["access"], "message");
  EXPECT_EQ(view(kUnion2, "union-shared")["access"], "read");
  EXPECT_EQ(view(kCmpl, "anon-case")["access"], "message");
  // Parties to admins only; the union and its mandate to the admin and the filing union.
  EXPECT_EQ(view(kAdmin, "anon-case")["parties"].size(), 2u);
  EXPECT_FALSE(view(kCompA, "anon-case").contains("parties"));
  EXPECT_TRUE(view(kUnion1, "union-private").contains("mandate"));
  EXPECT_TRUE(view(kAdmin, "union-private").contains("mandate"));
  EXPECT_FALSE(view(kCompA, "union-private").contains("mandate"));
  EXPECT_FALSE(view(kCompA, "union-private").contains("union_org_id"));
  // Events: the acting organisation for staff, never for the complainant.
  const auto complainant_view = view(kCmpl, "anon-case");
  for (const auto& e : complainant_view["events"]) {
    EXPECT_FALSE(e.contains("actor_org_id")) << e;
  }
  // Which organisations an event may name (access_policy.hpp, may_see_organisation): a company
  // its own and the responsible one, never the filing union or another buyer; the filing union
  // its own and the companies the case went to; the admin every one.
  auto named = [&](int role, const std::string& object) {
    std::set<std::int64_t> orgs;
    const json seen = view(role, object);
    for (const auto& e : seen["events"]) {
      if (e.contains("actor_org_id")) orgs.insert(e["actor_org_id"].get<std::int64_t>());
    }
    return orgs;
  };
  const std::int64_t a = w.org_id("A"), b = w.org_id("B"), u1 = w.org_id("U1");
  EXPECT_EQ(named(kCompA, "union-private"), (std::set<std::int64_t>{a}))
      << "the responsible company learns neither the union nor the buyers";
  EXPECT_EQ(named(kCompB, "union-private"), (std::set<std::int64_t>{a, b}))
      << "a buyer: itself and the responsible company, not the union";
  EXPECT_EQ(named(kUnion1, "union-private"), (std::set<std::int64_t>{a, b, u1}));
  EXPECT_EQ(named(kAdmin, "union-private"), (std::set<std::int64_t>{a, b, u1}));
  // The lists: only routed cases, never a narrative or contact.
  auto list = [&](int role) {
    auto res = w.send_as(role, bhttp::verb::get, "/api/v1/cases");
    std::set<std::string> refs;
    const auto page = json::parse(res.body());
    for (const auto& c : page["cases"]) {
      EXPECT_FALSE(c.contains("narrative"));
      EXPECT_FALSE(c.contains("contact"));
      refs.insert(c["reference"]);
    }
    return refs;
  };
  const std::set<std::string> site_a = {w.ref("anon-case"), w.ref("named"), w.ref("union-private"),
                                        w.ref("union-shared")};
  EXPECT_EQ(list(kCompA), site_a);
  EXPECT_EQ(list(kCompB), site_a);
  EXPECT_EQ(list(kCompC), std::set<std::string>{w.ref("case-C")});
  EXPECT_EQ(list(kUnion1), std::set<std::string>{w.ref("union-private")});
  EXPECT_EQ(list(kUnion2), std::set<std::string>{w.ref("union-shared")});
  EXPECT_EQ(list(kAdmin).size(), 6u);
}

// Cookie-authenticated state changes need the CSRF token; the same calls with it succeed.
TEST(AuthorizationMatrix, CookieStateChangesWithoutCsrfAre403) {
  struct Case {
    int role;
    bhttp::verb method;
    std::string target;
    std::string body;
    int with_token;
  };
  World w;
  const std::string msg = R"({"body":"hello"})";
  const std::vector<Case> cases = {
      {kAdmin, bhttp::verb::post, "/api/v1/organisations",
       R"({"kind":"union","name":"Cookie Union","country":"ID"})", 201},
      {kAdmin, bhttp::verb::patch, "/api/v1/users/" + std::to_string(w.id("userC")),
       R"({"disabled":false})", 200},
      {kAdmin, bhttp::verb::delete_, "/api/v1/sites/" + std::to_string(w.id("siteC")), "", 200},
      {kAdmin, bhttp::verb::post, "/api/v1/cases/" + w.ref("triage") + "/assign",
       json{{"org_id", w.org_id("C")}}.dump(), 200},
      {kCompA, bhttp::verb::post, "/api/v1/cases/" + w.ref("anon-case") + "/messages", msg, 201},
      {kUnion1, bhttp::verb::post, "/api/v1/complaints", w.union_form().dump(), 201},
      {kUnion1, bhttp::verb::post, "/api/v1/complaints/batch", json::array({w.union_form()}).dump(),
       201},
      {kCompB, bhttp::verb::post, "/api/v1/session/totp",
       json{{"password", kMatrixPassword}}.dump(), 200},
      {kCmpl, bhttp::verb::post, "/api/v1/cases/" + w.ref("anon-case") + "/messages", msg, 201},
      {kCompC, bhttp::verb::delete_, "/api/v1/session", "", 200},
  };
  const auto before = *w.store.cases().count_cases();
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(kRoleNames[static_cast<std::size_t>(c.role)]) + " " + c.target);
    auto refused = w.send_cookie(c.role, c.method, c.target, c.body, /*with_csrf=*/false);
    EXPECT_EQ(refused.result_int(), 403u) << refused.body();
    EXPECT_EQ(json::parse(refused.body())["error"]["code"], "csrf_failed");
  }
  EXPECT_EQ(*w.store.cases().count_cases(), before) << "nothing was filed without the token";
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(kRoleNames[static_cast<std::size_t>(c.role)]) + " " + c.target);
    auto ok = w.send_cookie(c.role, c.method, c.target, c.body, /*with_csrf=*/true);
    EXPECT_EQ(static_cast<int>(ok.result_int()), c.with_token) << ok.body();
  }
}

// The identity levels and the mechanism's own channel, over the API as each viewer gets it
// (SPEC section 5): a confidential contact reaches the companies only by the complainant's
// consent and stops with its withdrawal; a retaliation report and its flag never reach one.
TEST(AuthorizationMatrix, IdentityLevelsAndRetaliationFollowTheViewer) {
  World w;
  const std::string ref = w.ref("anon-case");
  auto view = [&](int role) {
    auto res = w.send_as(role, bhttp::verb::get, "/api/v1/cases/" + ref);
    EXPECT_EQ(res.result_int(), 200);
    return json::parse(res.body());
  };
  auto post = [&](int role, const std::string& what, const json& body) {
    return static_cast<int>(
        w.send_as(role, bhttp::verb::post, "/api/v1/cases/" + ref + "/" + what, body.dump())
            .result_int());
  };
  EXPECT_EQ(view(kCmpl)["identity"], "confidential");
  EXPECT_FALSE(view(kCompA).contains("contact"));

  // A asks; B does not see A's request; the worker refuses, then grants when asked again.
  ASSERT_EQ(post(kCompA, "disclosure", {{"reason", "To pay the wages owed."}}), 200);
  EXPECT_TRUE(view(kCompA)["disclosure_requested"]);
  EXPECT_FALSE(view(kCompB)["disclosure_requested"]);
  EXPECT_TRUE(view(kCmpl)["disclosure_requested"]);
  ASSERT_EQ(post(kCmpl, "disclosure/answer", {{"grant", false}}), 200);
  EXPECT_FALSE(view(kCompA).contains("contact"));
  ASSERT_EQ(post(kCompA, "disclosure", {{"reason", "The payroll needs the name."}}), 200);
  ASSERT_EQ(post(kCmpl, "disclosure/answer", {{"grant", true}}), 200);
  EXPECT_EQ(view(kCompA)["identity"], "shared");
  EXPECT_EQ(view(kCompB)["contact"]["phone"], kAnonPhone);
  // Withdrawn for the future.
  ASSERT_EQ(post(kCmpl, "identity", {{"share", false}}), 200);
  EXPECT_FALSE(view(kCompA).contains("contact"));
  EXPECT_FALSE(view(kCompB).contains("contact"));

  // Retaliation: the operator's queue, never a company's view, list or filter.
  const std::string report = "The foreman moved me to the night shift.";
  ASSERT_EQ(post(kCmpl, "retaliation", {{"body", report}}), 200);
  EXPECT_EQ(view(kAdmin)["flags"], json::array({"retaliation"}));
  for (int company : {kCompA, kCompB}) {
    const auto body = w.send_as(company, bhttp::verb::get, "/api/v1/cases/" + ref).body();
    EXPECT_EQ(body.find(report), std::string::npos);
    EXPECT_EQ(body.find("retaliation"), std::string::npos) << body;
    const auto list = w.send_as(company, bhttp::verb::get, "/api/v1/cases").body();
    EXPECT_EQ(list.find("retaliation"), std::string::npos) << list;
  }
  auto queue =
      json::parse(w.send_as(kAdmin, bhttp::verb::get, "/api/v1/cases?flag=retaliation").body());
  ASSERT_EQ(queue["cases"].size(), 1u);
  EXPECT_EQ(queue["cases"][0]["reference"], ref);
  ASSERT_EQ(post(kAdmin, "review", {{"flag", "retaliation"}, {"note", "Called the worker."}}), 200);
  EXPECT_EQ(view(kAdmin)["flags"], json::array());
}

}  // namespace
}  // namespace grievance::http
