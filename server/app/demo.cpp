#include "server/app/demo.hpp"

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/domain/directory_service.hpp"

namespace grievance::app {

namespace {

using domain::OrgKind;
using domain::Sector;

struct DemoSite {
  const char* name;
  const char* region;
};

struct DemoOperator {
  OrgKind kind;
  const char* name;
  const char* country;
  Sector sector;
  std::vector<DemoSite> sites;
};

// Palm oil in Riau (Indonesia), garments in Binh Duong and Dong Nai (Vietnam), cocoa around
// Soubré and Daloa (Côte d'Ivoire): the chains of the Dutch union co-financing programme.
const std::vector<DemoOperator>& demo_operators() {
  static const std::vector<DemoOperator> operators = {
      {OrgKind::kCompany,
       "PT Sawit Riau Lestari",
       "ID",
       Sector::kPalmOil,
       {{"Kebun Kampar Estate", "Riau, Kampar"},
        {"Kebun Pelalawan Estate", "Riau, Pelalawan"},
        {"Pabrik Kelapa Sawit Siak (palm oil mill)", "Riau, Siak"}}},
      {OrgKind::kCompany,
       "PT Indragiri Agro Nusantara",
       "ID",
       Sector::kPalmOil,
       {{"Kebun Indragiri Hulu Plasma", "Riau, Indragiri Hulu"},
        {"Kebun Rokan Hilir Estate", "Riau, Rokan Hilir"}}},
      {OrgKind::kCompany,
       "Saigon Star Garment Co., Ltd.",
       "VN",
       Sector::kTextile,
       {{"Saigon Star Garment Factory 1", "Binh Duong, Thu Dau Mot"},
        {"Saigon Star Garment Factory 2", "Binh Duong, Di An"}}},
      {OrgKind::kCompany,
       "Dong Nai Apparel Joint Stock Company",
       "VN",
       Sector::kTextile,
       {{"Bien Hoa Knitwear Factory", "Dong Nai, Bien Hoa"},
        {"Nhon Trach Sewing Factory", "Dong Nai, Nhon Trach"}}},
      {OrgKind::kCompany,
       "Coopérative Agricole des Planteurs de Soubré (CAPS)",
       "CI",
       Sector::kCocoa,
       {{"CAPS cocoa cooperative, Soubré", "Nawa, Soubré"},
        {"CAPS collection centre, Méagui", "Nawa, Méagui"}}},
      {OrgKind::kCompany,
       "Société Coopérative Cacao de Daloa (SCCD)",
       "CI",
       Sector::kCocoa,
       {{"SCCD cocoa cooperative, Daloa", "Haut-Sassandra, Daloa"},
        {"SCCD warehouse, Issia", "Haut-Sassandra, Issia"}}},
  };
  return operators;
}

struct DemoOrganisation {
  OrgKind kind;
  const char* name;
  const char* country;
};

// Buyers up the chains (CSDDD "chain of activities"): routing sends each site's complaints to
// its operator as responsible and to these as buyers.
constexpr DemoOrganisation kPalmBrand{OrgKind::kCompany, "Noordzee Foods B.V.", "NL"};
constexpr DemoOrganisation kGarmentBuyer{OrgKind::kCompany, "Nordlicht Moden GmbH", "DE"};
constexpr DemoOrganisation kCocoaTrader{OrgKind::kCompany, "Abidjan Cocoa Trading S.A.", "CI"};
constexpr DemoOrganisation kChocolateBrand{OrgKind::kCompany, "Chocolaterie Van Heerde B.V.", "NL"};
// Unions and an auditor, so staff accounts have organisations to belong to.
constexpr DemoOrganisation kRiauUnion{OrgKind::kUnion, "Serikat Buruh Perkebunan Riau", "ID"};
constexpr DemoOrganisation kGarmentUnion{OrgKind::kUnion, "Cong Doan Det May Binh Duong", "VN"};
constexpr DemoOrganisation kCocoaUnion{OrgKind::kUnion,
                                       "Syndicat des Travailleurs du Cacao de Côte d'Ivoire", "CI"};
constexpr DemoOrganisation kAuditor{OrgKind::kAuditor, "Programme Monitoring and Evaluation", "NL"};

// 16 characters from a 56-character alphabet without look-alikes: about 93 bits.
std::string demo_password(domain::RandomSource& random) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  std::string out;
  while (out.size() < 16) {
    std::uint8_t b = 0;
    random.fill(std::span(&b, 1));
    if (b >= 224) continue;  // 224 = 4 * 56: rejection keeps the choice uniform
    out.push_back(kAlphabet[b % kAlphabet.size()]);
  }
  return out;
}

// ---- the life of a case (issue 9) ---------------------------------------------------------

template <class T>
domain::Status ok_of(const domain::Result<T>& r) {
  if (!r) return domain::fail(r.error());
  return {};
}

// Cases in every status at the demo company's plantation, each brought there through the
// domain's Casework calls (the same rules as the pages and the API, never raw writes), so a
// new user sees the whole life of a case: received, acknowledged, in dialogue with a question
// waiting for the worker (the clock paused), a remedy plan of two actions with one done,
// resolved, closed with its outcome and satisfaction, rejected with reasoning, escalated,
// withdrawn, reopened, and appealed to the complaints office.
domain::Status load_demo_stories(domain::Services& services, const domain::Session& company,
                                 const domain::Session& admin, std::int64_t site,
                                 domain::TimePoint now) {
  domain::Casework& work = services.casework;
  const auto in_days = [&](int days) {
    return domain::format_date(
        domain::Date{std::chrono::floor<std::chrono::days>(now) + std::chrono::days(days)});
  };
  struct Story {
    const char* narrative;
    std::vector<std::function<domain::Status(const std::string&, const domain::Session&)>> steps;
    // A contact the complaints office keeps, not the companies (confidential): a company may
    // ask for the identity, with a reason.
    bool confidential = false;
  };
  using Ref = const std::string&;
  using Worker = const domain::Session&;
  auto move = [&](const domain::Session& who, const char* to, const char* reason,
                  const char* reasoning = "", const char* outcome = "", const char* body = "") {
    return [&work, actor = &who, to, reason, reasoning, outcome, body](Ref ref, Worker) {
      domain::TransitionRequest r;
      r.to = to;
      r.reason = reason;
      r.reasoning = reasoning;
      r.outcome = outcome;
      r.external_body = body;
      return ok_of(work.transition(*actor, ref, r));
    };
  };
  auto by_worker = [&](const char* to, const char* reason) {
    return [&work, to, reason](Ref ref, Worker worker) {
      domain::TransitionRequest r;
      r.to = to;
      r.reason = reason;
      return ok_of(work.transition(worker, ref, r));
    };
  };
  const auto acknowledge =
      move(company, "acknowledged", "We have your complaint and are looking into it.");
  const auto respond = move(company, "in_dialogue",
                            "We spoke with the estate manager; please tell us more about what "
                            "happened.");
  const auto propose = [&](Ref ref, Worker) {
    domain::TransitionRequest r;
    r.to = "remedy_proposed";
    r.reason = "We propose to pay what is owed and to change how overtime is recorded.";
    r.actions = {
        {"Pay the unpaid overtime of the harvesters of block C", *company.org_id, in_days(14)},
        {"Record overtime on signed time sheets that each worker keeps a copy of", *company.org_id,
         in_days(45)}};
    return ok_of(work.transition(company, ref, r));
  };
  const auto mark_done = [&](int number, const char* note) {
    return [&work, actor = &company, number, note](Ref ref, Worker) {
      return ok_of(work.mark_action_done(*actor, ref, number, note));
    };
  };
  const auto confirm = [&](int number) {
    return [&work, number](Ref ref, Worker worker) {
      return ok_of(work.judge_action(worker, ref, number, "confirmed", "I received it."));
    };
  };
  const auto accept = [&](Ref ref, Worker worker) {
    return ok_of(work.feedback(worker, ref, {true, 4, "Paid in full; the time sheets help."}));
  };
  const auto reject = move(company, "rejected", "We cannot handle this complaint here.",
                           "The workplace named is not one of our sites: the complaint concerns "
                           "a contractor we do not employ or supply.");

  const std::vector<Story> stories = {
      {"Demo: received. The canteen water tap in block A has been dry for a week.", {}},
      {"Demo: acknowledged. Harvesters are not given gloves for the thorny fronds.",
       {acknowledge},
       /*confidential=*/true},
      {"Demo: in dialogue. The foreman shouts at workers who ask about their payslips.",
       {acknowledge, respond,
        [&](Ref ref, Worker) {
          return ok_of(work.ask_complainant(
              company, ref, "On which days did this happen, and was anyone else present?"));
        },
        // Retaliation is reported to the complaints office and the union only: the office's
        // queue has a case to review.
        [&](Ref ref, Worker worker) {
          return ok_of(work.report_retaliation(
              worker, ref, "Since I complained, the foreman gives me only night shifts."));
        }}},
      {"Demo: remedy proposed. Overtime of block C harvesters was not paid last month.",
       {acknowledge, respond, propose, mark_done(1, "Paid with the wages of this month.")}},
      {"Demo: resolved. Overtime of block D harvesters was not paid.",
       {acknowledge, respond, propose, mark_done(1, "Paid on the last pay day."),
        mark_done(2, "Time sheets introduced in all blocks."), confirm(1), confirm(2), accept}},
      {"Demo: closed. Overtime of block E harvesters was not paid.",
       {acknowledge, respond, propose, mark_done(1, "Paid on the last pay day."),
        mark_done(2, "Time sheets introduced in all blocks."), confirm(1), accept,
        move(company, "closed", "The remedy was carried out and accepted.", "",
             "remedy_accepted")}},
      {"Demo: rejected. A contractor's driver was not paid for deliveries.", {acknowledge, reject}},
      {"Demo: escalated. Workers were dismissed after joining the union.",
       {acknowledge, respond,
        move(company, "escalated", "Dismissals after union membership go to the inspectorate.", "",
             "", "labour_inspectorate")}},
      {"Demo: withdrawn. My housing allowance was late.",
       {by_worker("withdrawn", "The allowance has been paid since.")}},
      {"Demo: reopened. Pesticide sprayers have no masks.",
       {acknowledge, respond,
        move(company, "closed", "We received no answer to our questions.", "",
             "no_answer_from_complainant"),
        move(admin, "reopened", "The worker answered after all: the company works on it again.")}},
      {"Demo: appealed. Women harvesters are paid less for the same work.",
       {acknowledge, reject,
        by_worker("appealed", "The work is the same; please look at the decision again.")}},
  };
  for (const Story& story : stories) {
    domain::ComplaintDraft d;
    d.language = "en";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = story.narrative;
    d.site_id = site;
    d.country = "ID";
    d.anonymous = true;
    if (story.confidential)
      d.contact = domain::ContactDraft{"Demo Worker", "+62 811 0000 0000", {}};
    auto filed = services.filing.file_complaint(d, domain::Channel::kWeb);
    if (!filed) return domain::fail(filed.error());
    domain::Session worker;
    worker.role = domain::Role::kComplainant;
    worker.case_id = filed->filed.id;
    for (const auto& step : story.steps) {
      if (auto ok = step(filed->filed.reference, worker); !ok) return ok;
    }
  }
  return {};
}

domain::Status load_demo_plan(domain::Services& services, const domain::Session& company,
                              const std::string& reference, domain::TimePoint now) {
  if (reference.empty()) return {};
  domain::Casework& work = services.casework;
  for (const char* to : {"acknowledged", "in_dialogue"}) {
    domain::TransitionRequest r;
    r.to = to;
    r.reason = "We are looking into the transfer of the union's officers.";
    if (auto ok = ok_of(work.transition(company, reference, r)); !ok) return ok;
  }
  const auto in_days = [&](int days) {
    return domain::format_date(
        domain::Date{std::chrono::floor<std::chrono::days>(now) + std::chrono::days(days)});
  };
  domain::TransitionRequest plan;
  plan.to = "remedy_proposed";
  plan.reason = "We propose to undo the transfers and to meet the union.";
  plan.actions = {
      {"Return the union's officers to their former posts", *company.org_id, in_days(7)},
      {"Meet the union's officers every month", *company.org_id, in_days(30)}};
  if (auto ok = ok_of(work.transition(company, reference, plan)); !ok) return ok;
  return ok_of(work.mark_action_done(company, reference, 1, "All three are back in block B."));
}

}  // namespace

domain::Result<std::optional<std::vector<DemoUser>>> load_demo_data(const domain::Ports& ports,
                                                                    domain::Services& services,
                                                                    domain::TimePoint now) {
  using R = std::optional<std::vector<DemoUser>>;
  domain::DirectoryStore& store = ports.directory;
  domain::RandomSource& random = ports.random;
  auto count = ports.cases.count_cases();
  if (!count) return domain::fail(count.error());
  auto existing = store.search_sites("", "", 1);
  if (!existing) return domain::fail(existing.error());
  if (*count > 0 || !existing->empty()) return R{};

  auto add_org = [&](const DemoOrganisation& d) -> domain::Result<std::int64_t> {
    domain::Organisation org;
    org.kind = d.kind;
    org.name = d.name;
    org.country = d.country;
    return store.create_organisation(org);
  };
  std::vector<std::int64_t> operator_ids;
  std::vector<std::int64_t> first_site_of;
  for (const DemoOperator& op : demo_operators()) {
    auto org_id = add_org(DemoOrganisation{op.kind, op.name, op.country});
    if (!org_id) return domain::fail(org_id.error());
    operator_ids.push_back(*org_id);
    first_site_of.push_back(0);
    for (const DemoSite& demo_site : op.sites) {
      domain::Site site;
      site.name = demo_site.name;
      site.country = op.country;
      site.region = demo_site.region;
      site.sector = op.sector;
      site.operator_org_id = *org_id;
      auto site_id = store.create_site(site);
      if (!site_id) return domain::fail(site_id.error());
      if (first_site_of.back() == 0) first_site_of.back() = *site_id;
    }
  }
  std::vector<std::int64_t> ids;
  for (const auto* d : {&kPalmBrand, &kGarmentBuyer, &kCocoaTrader, &kChocolateBrand, &kRiauUnion,
                        &kGarmentUnion, &kCocoaUnion, &kAuditor}) {
    auto id = add_org(*d);
    if (!id) return domain::fail(id.error());
    ids.push_back(*id);
  }
  const auto [palm_brand, garment_buyer, cocoa_trader, chocolate_brand, riau_union, garment_union,
              cocoa_union, auditor] =
      std::array{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7]};

  // Operators in demo_operators() order: 0, 1 palm oil; 2, 3 garments; 4, 5 cocoa. The Riau
  // plantation company sells its fresh fruit bunches to the mill operator, which sells crude
  // palm oil to the Dutch brand; the cooperatives sell to the trader, which supplies the
  // chocolate brand.
  const std::vector<domain::SupplyLink> links = {
      {0, operator_ids[1], operator_ids[0], domain::Sector::kPalmOil, false},
      {0, operator_ids[0], palm_brand, domain::Sector::kPalmOil, false},
      {0, operator_ids[2], garment_buyer, std::nullopt, false},
      {0, operator_ids[3], garment_buyer, std::nullopt, false},
      {0, operator_ids[4], cocoa_trader, domain::Sector::kCocoa, false},
      {0, operator_ids[5], cocoa_trader, domain::Sector::kCocoa, false},
      {0, cocoa_trader, chocolate_brand, domain::Sector::kCocoa, false},
  };
  for (const auto& link : links) {
    if (auto id = store.create_supply_link(link); !id) return domain::fail(id.error());
  }

  // One user per role (and a buyer's officer), each with a fresh random password.
  struct Account {
    const char* role;
    const char* email;
    std::optional<std::int64_t> org;
    std::string org_name;
  };
  const std::vector<Account> accounts = {
      {"admin", "admin@demo.grievance.example", std::nullopt, "Mechanism operator"},
      {"union", "union@demo.grievance.example", riau_union, kRiauUnion.name},
      {"company", "company@demo.grievance.example", operator_ids[0], demo_operators()[0].name},
      {"company", "buyer@demo.grievance.example", palm_brand, kPalmBrand.name},
      {"company", "garment@demo.grievance.example", operator_ids[2], demo_operators()[2].name},
      {"auditor", "auditor@demo.grievance.example", auditor, kAuditor.name},
  };
  std::vector<DemoUser> users;
  std::optional<domain::Session> union_filer;
  std::optional<std::int64_t> admin_user, company_user;
  for (const auto& a : accounts) {
    DemoUser u{a.role, a.email, demo_password(random), a.org_name};
    domain::UserDraft draft;
    draft.email = u.email;
    draft.role = u.role;
    draft.org_id = a.org;
    draft.password = u.password;
    auto created = domain::new_user(ports.directory, ports.accounts, *ports.hasher, draft, now);
    if (!created) return domain::fail(created.error());
    if (created->role == domain::Role::kAdmin) admin_user = created->id;
    if (a.org == operator_ids[0]) company_user = created->id;
    if (created->role == domain::Role::kUnion) {
      union_filer = domain::Session{};
      union_filer->role = domain::Role::kUnion;
      union_filer->user_id = created->id;
      union_filer->org_id = created->org_id;
    }
    users.push_back(std::move(u));
  }
  (void)garment_union;
  (void)cocoa_union;

  // A few complaints so every staff view has something to show: routed web complaints in each
  // chain (one anonymous, one named), a union's filing with a mandate, and one for triage.
  auto draft = [](const char* language, std::vector<std::string> categories, const char* narrative,
                  std::optional<std::int64_t> site, const char* country) {
    domain::ComplaintDraft d;
    d.language = language;
    d.categories = std::move(categories);
    d.narrative = narrative;
    d.site_id = site;
    d.country = country;
    d.anonymous = true;
    return d;
  };
  std::vector<std::pair<domain::ComplaintDraft, bool>> complaints;
  complaints.push_back({draft("id", {"wages", "working_hours"},
                              "Upah lembur bulan lalu belum dibayar untuk pemanen di blok C.",
                              first_site_of[0], "ID"),
                        false});
  auto named = draft("vi", {"health_safety"}, "Xưởng may không có lối thoát hiểm mở trong ca đêm.",
                     first_site_of[2], "VN");
  named.anonymous = false;
  named.contact = domain::ContactDraft{"Nguyen Thi Demo", "+84 90 000 0000", std::nullopt};
  complaints.push_back({named, false});
  complaints.push_back(
      {draft("fr", {"child_labour"}, "Des enfants portent des sacs de cacao au centre de collecte.",
             first_site_of[4], "CI"),
       false});
  auto place_only = draft("en", {"land_rights"},
                          "Village land was cleared for a new plantation block without consent.",
                          std::nullopt, "ID");
  place_only.place = "Kampung Baru, Kampar, Riau";
  complaints.push_back({place_only, false});
  auto by_union =
      draft("id", {"freedom_of_association"}, "Pengurus serikat dipindahkan setelah rapat anggota.",
            first_site_of[1], "ID");
  by_union.mandate = domain::Mandate{true, false, true, 12};
  complaints.push_back({by_union, true});
  std::string union_case;
  for (const auto& [d, union_filed] : complaints) {
    auto filed = union_filed && union_filer
                     ? services.filing.file_complaint(d, domain::Channel::kUnion, {}, &*union_filer)
                     : services.filing.file_complaint(d, domain::Channel::kWeb);
    if (!filed) return domain::fail(filed.error());
    if (union_filed) union_case = filed->filed.reference;
  }
  domain::Session company;
  company.role = domain::Role::kCompany;
  company.user_id = company_user;
  company.org_id = operator_ids[0];
  domain::Session admin;
  admin.role = domain::Role::kAdmin;
  admin.user_id = admin_user;
  if (auto ok = load_demo_stories(services, company, admin, first_site_of[0], now); !ok) {
    return domain::fail(ok.error());
  }
  // The union's case has a plan with one action done: the union, which follows it for the
  // worker, has an action to confirm or dispute and a plan to accept or refuse.
  domain::Session plantation;
  plantation.role = domain::Role::kCompany;
  plantation.org_id = operator_ids[1];
  if (auto ok = load_demo_plan(services, plantation, union_case, now); !ok) {
    return domain::fail(ok.error());
  }
  return R{std::move(users)};
}

}  // namespace grievance::app
