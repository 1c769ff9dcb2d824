// The SQLite DirectoryStore: organisations, sites and supply links, read as one in-memory
// snapshot. Routing walks the directory at every filing and every case view names its
// organisations, while the directory changes only by an admin's hand: the snapshot is built
// once and dropped whenever this store writes. A snapshot read while a change is being written
// is not kept (the generation moved), so the cache never holds anything older than the last
// returned write. Other processes never write these tables (`grievance admin create-user`
// writes users only).
#include <mutex>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

const std::string kSelectOrganisations =
    "SELECT id, kind, name, country, disabled FROM organisations";
const std::string kSelectSites =
    "SELECT id, name, country, region, sector, operator_org_id, disabled FROM sites";
const std::string kSelectSupplyLinks =
    "SELECT id, supplier_org_id, buyer_org_id, sector, disabled FROM supply_links";

Result<domain::Organisation> read_organisation(const Query& q) {
  domain::Organisation o;
  o.id = q.int64(0);
  const auto kind = parse_db_name<domain::OrgKind>(q.text(1));
  if (!kind) return fail(corrupt());
  o.kind = *kind;
  o.name = q.text(2);
  o.country = q.text(3);
  o.disabled = q.int64(4) != 0;
  return o;
}

Result<domain::Site> read_site(const Query& q) {
  domain::Site s;
  s.id = q.int64(0);
  s.name = q.text(1);
  s.country = q.text(2);
  s.region = q.text(3);
  const auto sector = parse_db_name<domain::Sector>(q.text(4));
  if (!sector) return fail(corrupt());
  s.sector = *sector;
  s.operator_org_id = q.optional_int64(5);
  s.disabled = q.int64(6) != 0;
  return s;
}

Result<domain::SupplyLink> read_supply_link(const Query& q) {
  domain::SupplyLink l;
  l.id = q.int64(0);
  l.supplier_org_id = q.int64(1);
  l.buyer_org_id = q.int64(2);
  if (auto s = q.optional_text(3)) {
    l.sector = parse_db_name<domain::Sector>(*s);
    if (!l.sector) return fail(corrupt());
  }
  l.disabled = q.int64(4) != 0;
  return l;
}

std::optional<std::string_view> sector_name(const std::optional<domain::Sector>& s) {
  return s ? std::optional<std::string_view>(db_name(*s)) : std::nullopt;
}

class SqliteDirectoryStore final : public domain::DirectoryStore {
 public:
  explicit SqliteDirectoryStore(Database& db) : db_(db) {}

  Result<std::shared_ptr<const domain::Directory>> directory() override {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      if (snapshot_) return snapshot_;
      generation = generation_;
    }
    auto loaded = load();
    if (!loaded) return fail(loaded.error());
    std::lock_guard lock(mu_);
    if (generation == generation_ && changing_ == 0) snapshot_ = *loaded;
    return *loaded;
  }

  Result<std::int64_t> create_organisation(const domain::Organisation& o) override {
    Change change(*this);
    return db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO organisations (kind, name, country, disabled) VALUES (?1, ?2, ?3, ?4)");
      q.bind(1, db_name(o.kind))
          .bind(2, o.name)
          .bind(3, o.country)
          .bind(4, std::int64_t{o.disabled});
      if (auto s = q.run(); !s) return fail(s.error());
      return db.last_insert_rowid();
    });
  }

  Status update_organisation(const domain::Organisation& o) override {
    Change change(*this);
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE organisations SET kind = ?2, name = ?3, country = ?4, disabled = ?5 "
          "WHERE id = ?1");
      q.bind(1, o.id)
          .bind(2, db_name(o.kind))
          .bind(3, o.name)
          .bind(4, o.country)
          .bind(5, std::int64_t{o.disabled});
      return changed_one(db, q.run(), "No such organisation.");
    }));
  }

  Result<std::int64_t> create_site(const domain::Site& s) override {
    Change change(*this);
    return db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO sites (name, country, region, sector, operator_org_id, disabled) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      q.bind(1, s.name)
          .bind(2, s.country)
          .bind(3, s.region)
          .bind(4, db_name(s.sector))
          .bind(5, s.operator_org_id)
          .bind(6, std::int64_t{s.disabled});
      if (auto st = q.run(); !st) return fail(st.error());
      return db.last_insert_rowid();
    });
  }

  Status update_site(const domain::Site& s) override {
    Change change(*this);
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE sites SET name = ?2, country = ?3, region = ?4, sector = ?5, "
          "operator_org_id = ?6, disabled = ?7 WHERE id = ?1");
      q.bind(1, s.id)
          .bind(2, s.name)
          .bind(3, s.country)
          .bind(4, s.region)
          .bind(5, db_name(s.sector))
          .bind(6, s.operator_org_id)
          .bind(7, std::int64_t{s.disabled});
      return changed_one(db, q.run(), "No such site.");
    }));
  }

  Result<std::int64_t> create_supply_link(const domain::SupplyLink& l) override {
    Change change(*this);
    return db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO supply_links (supplier_org_id, buyer_org_id, sector, disabled) "
          "VALUES (?1, ?2, ?3, ?4)");
      q.bind(1, l.supplier_org_id)
          .bind(2, l.buyer_org_id)
          .bind(3, sector_name(l.sector))
          .bind(4, std::int64_t{l.disabled});
      if (auto s = q.run(); !s) return fail(s.error());
      return db.last_insert_rowid();
    });
  }

  Status update_supply_link(const domain::SupplyLink& l) override {
    Change change(*this);
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE supply_links SET supplier_org_id = ?2, buyer_org_id = ?3, sector = ?4, "
          "disabled = ?5 WHERE id = ?1");
      q.bind(1, l.id)
          .bind(2, l.supplier_org_id)
          .bind(3, l.buyer_org_id)
          .bind(4, sector_name(l.sector))
          .bind(5, std::int64_t{l.disabled});
      return changed_one(db, q.run(), "No such supply link.");
    }));
  }

 private:
  // Brackets a write (whether it succeeds or not): the snapshot is dropped when the write
  // starts and again when it ends, and no snapshot loaded meanwhile is kept.
  class Change {
   public:
    explicit Change(SqliteDirectoryStore& store) : store_(store) {
      std::lock_guard lock(store_.mu_);
      ++store_.changing_;
      store_.drop_locked();
    }
    ~Change() {
      std::lock_guard lock(store_.mu_);
      --store_.changing_;
      store_.drop_locked();
    }
    Change(const Change&) = delete;
    Change& operator=(const Change&) = delete;

   private:
    SqliteDirectoryStore& store_;
  };

  void drop_locked() {
    ++generation_;
    snapshot_.reset();
  }

  // The three tables from one read snapshot.
  Result<std::shared_ptr<const domain::Directory>> load() {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto oq = db->query(kSelectOrganisations);
    auto organisations = read_all(oq, read_organisation);
    if (!organisations) return fail(organisations.error());
    auto sq = db->query(kSelectSites);
    auto sites = read_all(sq, read_site);
    if (!sites) return fail(sites.error());
    auto lq = db->query(kSelectSupplyLinks);
    auto links = read_all(lq, read_supply_link);
    if (!links) return fail(links.error());
    return std::make_shared<const domain::Directory>(*std::move(organisations), *std::move(sites),
                                                     *std::move(links));
  }

  Database& db_;
  std::mutex mu_;
  std::shared_ptr<const domain::Directory> snapshot_;  // GUARDED_BY(mu_)
  std::uint64_t generation_ = 0;                       // GUARDED_BY(mu_)
  int changing_ = 0;                                   // GUARDED_BY(mu_): writes in flight
};

}  // namespace

std::unique_ptr<domain::DirectoryStore> make_directory_store(Database& db) {
  return std::make_unique<SqliteDirectoryStore>(db);
}

}  // namespace grievance::storage
