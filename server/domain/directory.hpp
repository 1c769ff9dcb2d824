// One immutable snapshot of the directory: organisations, sites and supply links, indexed by
// id. Handed out by DirectoryStore::directory() as a shared_ptr, so a request reads names,
// routing and the site picker from one consistent state without a database round trip.
// Thread-safe (immutable after construction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/domain/types.hpp"

namespace grievance::domain {

class Directory {
 public:
  Directory() = default;
  // Takes the records in any order; keeps them in the listing orders below.
  Directory(std::vector<Organisation> organisations, std::vector<Site> sites,
            std::vector<SupplyLink> links);

  // nullptr when there is no record with this id (disabled records are found).
  const Organisation* organisation(std::int64_t id) const;
  const Site* site(std::int64_t id) const;
  const SupplyLink* supply_link(std::int64_t id) const;

  // The organisation's name, or empty when unknown.
  std::string_view organisation_name(std::int64_t id) const;

  const std::vector<Organisation>& organisations() const { return organisations_; }  // name, id
  const std::vector<Site>& sites() const { return sites_; }               // country, name, id
  const std::vector<SupplyLink>& supply_links() const { return links_; }  // id

  // Enabled sites whose name or region contains `query` (ASCII case-insensitive; empty matches
  // all) and whose country equals `country` (when not empty), in listing order, at most
  // `limit` (the complaint form's site picker).
  std::vector<Site> search_sites(std::string_view query, std::string_view country, int limit) const;

 private:
  std::vector<Organisation> organisations_;
  std::vector<Site> sites_;
  std::vector<SupplyLink> links_;
  std::unordered_map<std::int64_t, std::size_t> organisation_index_, site_index_, link_index_;
};

}  // namespace grievance::domain
