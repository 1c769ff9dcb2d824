#include "server/app/demo.hpp"

#include <array>
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
  for (const auto& a : accounts) {
    DemoUser u{a.role, a.email, demo_password(random), a.org_name};
    domain::UserDraft draft;
    draft.email = u.email;
    draft.role = u.role;
    draft.org_id = a.org;
    draft.password = u.password;
    auto created = domain::new_user(ports.directory, ports.accounts, *ports.hasher, draft, now);
    if (!created) return domain::fail(created.error());
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
  for (const auto& [d, union_filed] : complaints) {
    auto filed = union_filed && union_filer
                     ? services.filing.file_complaint(d, domain::Channel::kUnion, {}, &*union_filer)
                     : services.filing.file_complaint(d, domain::Channel::kWeb);
    if (!filed) return domain::fail(filed.error());
  }
  return R{std::move(users)};
}

}  // namespace grievance::app
