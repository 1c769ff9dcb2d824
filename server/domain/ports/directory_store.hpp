// The mechanism's directory: organisations, sites and supply links. Read far more often than
// written (routing walks it at every filing, every case view names its organisations), so it is
// read as one immutable snapshot (server/domain/directory.hpp) that every write replaces.
// Implemented by storage/sqlite (kept in memory, rebuilt after each write) and by the fake.
//
// Thread-safe. Writes are durable when they return, and a snapshot taken after a write has
// returned contains it. Errors: kUnavailable; kConflict (a duplicate supply link, a foreign key
// that does not exist); kNotFound for an update of an unknown id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "server/domain/directory.hpp"
#include "server/domain/result.hpp"

namespace grievance::domain {

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // The whole directory (disabled records too) as of the last returned write.
  virtual Result<std::shared_ptr<const Directory>> directory() = 0;

  // Updates replace every field but the id.
  virtual Result<std::int64_t> create_organisation(const Organisation& o) = 0;
  virtual Status update_organisation(const Organisation& o) = 0;
  virtual Result<std::int64_t> create_site(const Site& s) = 0;
  virtual Status update_site(const Site& s) = 0;
  // kConflict when an enabled link with the same supplier, buyer and sector exists.
  virtual Result<std::int64_t> create_supply_link(const SupplyLink& l) = 0;
  virtual Status update_supply_link(const SupplyLink& l) = 0;

  // Lookups in directory(), for callers that need one record or one list.
  Result<std::optional<Organisation>> find_organisation(std::int64_t id);
  Result<std::vector<Organisation>> list_organisations();  // by name, disabled too
  Result<std::optional<Site>> find_site(std::int64_t id);
  Result<std::vector<Site>> list_sites();  // by country, name; disabled too
  // See Directory::search_sites.
  Result<std::vector<Site>> search_sites(std::string_view query, std::string_view country,
                                         int limit);
  Result<std::optional<SupplyLink>> find_supply_link(std::int64_t id);
  Result<std::vector<SupplyLink>> list_supply_links();  // by id, disabled too
};

}  // namespace grievance::domain
