#include "server/domain/directory.hpp"

#include <algorithm>
#include <tuple>

#include "server/domain/ports/directory_store.hpp"

namespace grievance::domain {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_folded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return fold(a) == fold(b); }) != haystack.end();
}

template <class T>
std::unordered_map<std::int64_t, std::size_t> index_by_id(const std::vector<T>& records) {
  std::unordered_map<std::int64_t, std::size_t> index;
  index.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) index.emplace(records[i].id, i);
  return index;
}

template <class T>
const T* find(const std::vector<T>& records,
              const std::unordered_map<std::int64_t, std::size_t>& index, std::int64_t id) {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &records[it->second];
}

}  // namespace

Directory::Directory(std::vector<Organisation> organisations, std::vector<Site> sites,
                     std::vector<SupplyLink> links)
    : organisations_(std::move(organisations)), sites_(std::move(sites)), links_(std::move(links)) {
  std::sort(organisations_.begin(), organisations_.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
  std::sort(sites_.begin(), sites_.end(), [](const auto& a, const auto& b) {
    return std::tie(a.country, a.name, a.id) < std::tie(b.country, b.name, b.id);
  });
  std::sort(links_.begin(), links_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  organisation_index_ = index_by_id(organisations_);
  site_index_ = index_by_id(sites_);
  link_index_ = index_by_id(links_);
}

const Organisation* Directory::organisation(std::int64_t id) const {
  return find(organisations_, organisation_index_, id);
}
const Site* Directory::site(std::int64_t id) const { return find(sites_, site_index_, id); }
const SupplyLink* Directory::supply_link(std::int64_t id) const {
  return find(links_, link_index_, id);
}

std::string_view Directory::organisation_name(std::int64_t id) const {
  const Organisation* o = organisation(id);
  return o ? std::string_view(o->name) : std::string_view();
}

std::vector<Site> Directory::search_sites(std::string_view query, std::string_view country,
                                          int limit) const {
  std::vector<Site> out;
  for (const Site& s : sites_) {
    if (static_cast<int>(out.size()) >= limit) break;
    if (s.disabled || (!country.empty() && s.country != country)) continue;
    if (contains_folded(s.name, query) || contains_folded(s.region, query)) out.push_back(s);
  }
  return out;
}

namespace {

template <class T, class Lookup>
Result<std::optional<T>> find_in(DirectoryStore& store, Lookup lookup) {
  auto directory = store.directory();
  if (!directory) return fail(directory.error());
  const T* found = lookup(**directory);
  return found ? std::optional<T>(*found) : std::nullopt;
}

}  // namespace

Result<std::optional<Organisation>> DirectoryStore::find_organisation(std::int64_t id) {
  return find_in<Organisation>(*this, [id](const Directory& d) { return d.organisation(id); });
}
Result<std::optional<Site>> DirectoryStore::find_site(std::int64_t id) {
  return find_in<Site>(*this, [id](const Directory& d) { return d.site(id); });
}
Result<std::optional<SupplyLink>> DirectoryStore::find_supply_link(std::int64_t id) {
  return find_in<SupplyLink>(*this, [id](const Directory& d) { return d.supply_link(id); });
}
Result<std::vector<Organisation>> DirectoryStore::list_organisations() {
  auto directory = this->directory();
  if (!directory) return fail(directory.error());
  return (*directory)->organisations();
}
Result<std::vector<Site>> DirectoryStore::list_sites() {
  auto directory = this->directory();
  if (!directory) return fail(directory.error());
  return (*directory)->sites();
}
Result<std::vector<SupplyLink>> DirectoryStore::list_supply_links() {
  auto directory = this->directory();
  if (!directory) return fail(directory.error());
  return (*directory)->supply_links();
}
Result<std::vector<Site>> DirectoryStore::search_sites(std::string_view query,
                                                       std::string_view country, int limit) {
  auto directory = this->directory();
  if (!directory) return fail(directory.error());
  return (*directory)->search_sites(query, country, limit);
}

}  // namespace grievance::domain
