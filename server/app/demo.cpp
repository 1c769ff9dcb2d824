#include "server/app/demo.hpp"

#include <optional>
#include <string>
#include <vector>

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

// Unions and an auditor, so staff accounts have organisations to belong to.
struct DemoOrganisation {
  OrgKind kind;
  const char* name;
  const char* country;
};
const std::vector<DemoOrganisation>& demo_organisations() {
  static const std::vector<DemoOrganisation> organisations = {
      {OrgKind::kUnion, "Serikat Buruh Perkebunan Riau", "ID"},
      {OrgKind::kUnion, "Cong Doan Det May Binh Duong", "VN"},
      {OrgKind::kUnion, "Syndicat des Travailleurs du Cacao de Côte d'Ivoire", "CI"},
      {OrgKind::kAuditor, "Programme Monitoring and Evaluation", "NL"},
  };
  return organisations;
}

}  // namespace

domain::Result<bool> load_demo_data(domain::CaseStore& store) {
  auto cases = store.count_cases();
  if (!cases) return domain::fail(cases.error());
  auto sites = store.search_sites("", "", 1);
  if (!sites) return domain::fail(sites.error());
  if (*cases > 0 || !sites->empty()) return false;

  for (const DemoOperator& op : demo_operators()) {
    domain::Organisation org;
    org.kind = op.kind;
    org.name = op.name;
    org.country = op.country;
    auto org_id = store.create_organisation(org);
    if (!org_id) return domain::fail(org_id.error());
    for (const DemoSite& demo_site : op.sites) {
      domain::Site site;
      site.name = demo_site.name;
      site.country = op.country;
      site.region = demo_site.region;
      site.sector = op.sector;
      site.operator_org_id = *org_id;
      if (auto site_id = store.create_site(site); !site_id) return domain::fail(site_id.error());
    }
  }
  for (const DemoOrganisation& demo : demo_organisations()) {
    domain::Organisation org;
    org.kind = demo.kind;
    org.name = demo.name;
    org.country = demo.country;
    if (auto id = store.create_organisation(org); !id) return domain::fail(id.error());
  }
  return true;
}

}  // namespace grievance::app
