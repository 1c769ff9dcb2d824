#include "server/app/generated_world.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "server/domain/routing.hpp"

namespace grievance::app {
namespace {

using domain::Category;
using domain::OrgKind;
using domain::Sector;

struct Country {
  const char* code;
  double share;  // of the suppliers
  std::array<Sector, 2> sectors;
  std::array<const char*, 4> regions;
  const char* company_form;  // "PT {}", "{} Co., Ltd."
  std::array<const char*, 2> site_kinds;
};

// The producing countries of the programme: palm oil and cocoa in Indonesia, garments and
// footwear in Vietnam, garments in Cambodia and Bangladesh.
constexpr std::array<Country, 4> kCountries = {{
    {"ID",
     0.35,
     {Sector::kPalmOil, Sector::kCocoa},
     {"Riau", "Kalimantan Barat", "Jambi", "Sulawesi Tengah"},
     "PT %s",
     {"Estate", "Mill"}},
    {"VN",
     0.30,
     {Sector::kTextile, Sector::kOther},
     {"Binh Duong", "Dong Nai", "Long An", "Hai Duong"},
     "%s Co., Ltd.",
     {"Factory", "Workshop"}},
    {"KH",
     0.15,
     {Sector::kTextile, Sector::kTextile},
     {"Phnom Penh", "Kandal", "Kampong Speu", "Svay Rieng"},
     "%s Garment Ltd.",
     {"Factory", "Plant"}},
    {"BD",
     0.20,
     {Sector::kTextile, Sector::kTextile},
     {"Dhaka", "Gazipur", "Narayanganj", "Chattogram"},
     "%s Knit Composite Ltd.",
     {"Factory", "Unit"}},
}};

// Buyers: brands in the European countries of the mechanism, traders in between.
constexpr std::array<const char*, 4> kBuyerCountries = {"NL", "FR", "DE", "BE"};

constexpr std::array<const char*, 24> kSyllables = {
    "Tira",  "Kenta", "Mavo",  "Sulin", "Doran", "Velta", "Aruna", "Bimo",
    "Corra", "Lumen", "Nira",  "Osta",  "Pela",  "Quino", "Rasta", "Sova",
    "Tarn",  "Ulva",  "Vessa", "Wira",  "Yana",  "Zerin", "Halo",  "Ismo"};

std::string pick_name(std::mt19937_64& rng, int number) {
  std::uniform_int_distribution<std::size_t> pick(0, kSyllables.size() - 1);
  std::string name = kSyllables[pick(rng)];
  name += ' ';
  name += kSyllables[pick(rng)];
  char digits[16];
  std::snprintf(digits, sizeof digits, " %03d", number);
  return name + digits;
}

std::string formatted(const char* form, const std::string& name) {
  std::string out = form;
  out.replace(out.find("%s"), 2, name);
  return out;
}

// The categories a workplace's recurring problem is typically about, by sector.
Category recurring_category(Sector sector, std::mt19937_64& rng) {
  static constexpr std::array kPlantation = {Category::kWages, Category::kHealthSafety,
                                             Category::kLandRights, Category::kEnvironment};
  static constexpr std::array kFactory = {Category::kWages, Category::kWorkingHours,
                                          Category::kHarassment, Category::kHealthSafety};
  std::uniform_int_distribution<std::size_t> pick(0, 3);
  const bool plantation = sector == Sector::kPalmOil || sector == Sector::kCocoa;
  return plantation ? kPlantation[pick(rng)] : kFactory[pick(rng)];
}

}  // namespace

WorldSize world_size(std::int64_t cases) {
  const auto clamp = [](std::int64_t v, int lo, int hi) {
    return static_cast<int>(std::clamp<std::int64_t>(v, lo, hi));
  };
  WorldSize s;
  s.sites = clamp(cases / 650, 60, 1500);
  s.suppliers = clamp(s.sites / 10, 16, 150);
  s.buyers = clamp(s.suppliers / 5, 6, 30);
  s.unions = clamp(s.suppliers / 7, 8, 20);
  return s;
}

domain::Result<World> create_world(domain::DirectoryStore& directory, std::mt19937_64& rng,
                                   const WorldSize& size) {
  World world;
  std::uniform_real_distribution<double> unit(0, 1);
  auto add_org = [&](OrgKind kind, std::string name,
                     const std::string& country) -> domain::Result<std::int64_t> {
    domain::Organisation org;
    org.kind = kind;
    org.name = std::move(name);
    org.country = country;
    return directory.create_organisation(org);
  };

  // Buyers first: a third of them traders, the rest brands.
  const int traders = std::max(1, size.buyers / 3);
  std::vector<std::int64_t> brands, trader_ids;
  for (int i = 0; i < size.buyers; ++i) {
    const std::string country = kBuyerCountries[static_cast<std::size_t>(i) % 4];
    const bool trader = i < traders;
    const std::string name = pick_name(rng, i + 1) + (trader            ? " Trading B.V."
                                                      : country == "FR" ? " S.A."
                                                                        : " B.V.");
    auto id = add_org(OrgKind::kCompany, name, country);
    if (!id) return domain::fail(id.error());
    (trader ? trader_ids : brands).push_back(*id);
    world.buyers.push_back(*id);
  }
  auto pick = [&](const std::vector<std::int64_t>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  std::vector<domain::SupplyLink> links;
  for (std::int64_t trader : trader_ids) {
    links.push_back({0, trader, pick(brands), std::nullopt, false});
  }

  // Suppliers by country share; each sells to a trader or a brand.
  struct Supplier {
    std::int64_t id;
    const Country* country;
    Sector sector;
  };
  std::vector<Supplier> suppliers;
  for (int i = 0; i < size.suppliers; ++i) {
    double u = unit(rng);
    const Country* country = &kCountries.back();
    for (const Country& c : kCountries) {
      if (u < c.share) {
        country = &c;
        break;
      }
      u -= c.share;
    }
    const Sector sector = country->sectors[unit(rng) < 0.75 ? 0 : 1];
    auto id = add_org(OrgKind::kCompany, formatted(country->company_form, pick_name(rng, i + 1)),
                      country->code);
    if (!id) return domain::fail(id.error());
    const double p = unit(rng);
    world.suppliers.push_back({*id, country->code, p < 0.55 ? 0 : p < 0.88 ? 1 : 2});
    const bool chain_sector = sector == Sector::kPalmOil || sector == Sector::kCocoa;
    const std::optional<Sector> link_sector =
        chain_sector ? std::optional<Sector>(sector) : std::nullopt;
    links.push_back(
        {0, *id, unit(rng) < 0.5 ? pick(trader_ids) : pick(brands), link_sector, false});
    if (unit(rng) < 0.15) links.push_back({0, *id, pick(brands), link_sector, false});
    // Plantations sell their fruit to a mill company of the same sector and country.
    if (chain_sector && !suppliers.empty() && unit(rng) < 0.3) {
      const Supplier& mill =
          suppliers[std::uniform_int_distribution<std::size_t>(0, suppliers.size() - 1)(rng)];
      if (mill.country == country && mill.sector == sector) {
        links.push_back({0, *id, mill.id, sector, false});
      }
    }
    suppliers.push_back({*id, country, sector});
  }
  for (const auto& link : links) {
    auto id = directory.create_supply_link(link);
    // The same link drawn twice: one is enough.
    if (!id && id.error().code != domain::ErrorCode::kConflict) return domain::fail(id.error());
  }

  for (int i = 0; i < size.unions; ++i) {
    const Country& country = kCountries[static_cast<std::size_t>(i) % kCountries.size()];
    auto id = add_org(OrgKind::kUnion, "Union of Workers " + pick_name(rng, i + 1), country.code);
    if (!id) return domain::fail(id.error());
    world.unions.push_back({*id, country.code});
  }
  // An auditor organisation, so an auditor account has one to belong to.
  if (auto id = add_org(OrgKind::kAuditor, "Programme Monitoring (generated)", "NL"); !id) {
    return domain::fail(id.error());
  }

  // Sites: every supplier has at least one; the rest are spread at random.
  for (int i = 0; i < size.sites; ++i) {
    const Supplier& owner =
        i < static_cast<int>(suppliers.size())
            ? suppliers[static_cast<std::size_t>(i)]
            : suppliers[std::uniform_int_distribution<std::size_t>(0, suppliers.size() - 1)(rng)];
    const Country& country = *owner.country;
    domain::Site site;
    site.sector = unit(rng) < 0.9 ? owner.sector : country.sectors[1];
    const bool plantation = site.sector == Sector::kPalmOil || site.sector == Sector::kCocoa;
    site.name = pick_name(rng, i + 1) + " " + country.site_kinds[plantation ? 0 : 1];
    site.country = country.code;
    site.region = country.regions[std::uniform_int_distribution<std::size_t>(0, 3)(rng)];
    site.operator_org_id = owner.id;
    auto id = directory.create_site(site);
    if (!id) return domain::fail(id.error());
    WorldSite w;
    w.id = *id;
    w.country = country.code;
    w.sector = site.sector;
    w.operator_org_id = owner.id;
    w.weight = std::exp(std::normal_distribution<double>(0, 0.8)(rng));
    // docs/domain.md "Statistics" (recurrence): a few workplaces where the same problem comes
    // back, month after month.
    if (unit(rng) < 0.04 || i == 0) {
      w.recurring = recurring_category(site.sector, rng);
      w.weight *= 2.5;
    }
    world.total_weight += w.weight;
    world.sites.push_back(std::move(w));
  }

  auto snapshot = directory.directory();
  if (!snapshot) return domain::fail(snapshot.error());
  for (WorldSite& site : world.sites) {
    site.parties = domain::route_parties(site.operator_org_id, site.sector,
                                         (*snapshot)->supply_links(), (*snapshot)->organisations());
  }
  return world;
}

}  // namespace grievance::app
