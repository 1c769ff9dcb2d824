#include "storage/sqlite/stores.hpp"

#include "storage/sqlite/database.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

class SqliteStoresImpl final : public SqliteStores {
 public:
  SqliteStoresImpl(const domain::FieldCipher& cipher, const domain::Crypto& crypto)
      : db_(cipher, crypto) {}

  domain::Status open(const StoreOptions& options) {
    if (auto s = db_.open(options); !s) return s;
    cases_ = make_case_store(db_, options.case_cache_bytes);
    directory_ = make_directory_store(db_);
    accounts_ = make_account_store(db_);
    guides_ = make_guide_store(db_);
    attachments_ = make_attachment_store(db_);
    outbox_ = make_outbox_store(db_);
    mail_ = make_mail_store(db_);
    return {};
  }

  domain::CaseStore& cases() override { return *cases_; }
  domain::DirectoryStore& directory() override { return *directory_; }
  domain::AccountStore& accounts() override { return *accounts_; }
  domain::GuideStore& guides() override { return *guides_; }
  domain::AttachmentStore& attachments() override { return *attachments_; }
  domain::OutboxStore& outbox() override { return *outbox_; }
  domain::MailStore& mail() override { return *mail_; }
  StoreStats stats() const override { return db_.stats(); }

  domain::Result<std::int64_t> limit_pages_for_testing(std::int64_t max_pages) override {
    // PRAGMA takes no bound parameter: the number is formatted, never text from outside.
    const std::string sql = "PRAGMA max_page_count = " + std::to_string(max_pages);
    return db_.submit([&sql](Connection& db) -> domain::Result<std::int64_t> {
      auto q = db.prepare(sql);
      auto row = q.step();
      if (!row) return domain::fail(row.error());
      return q.int64(0);
    });
  }

 private:
  Database db_;  // destroyed last: drains the writer after the stores are gone
  std::unique_ptr<domain::CaseStore> cases_;
  std::unique_ptr<domain::DirectoryStore> directory_;
  std::unique_ptr<domain::AccountStore> accounts_;
  std::unique_ptr<domain::GuideStore> guides_;
  std::unique_ptr<domain::AttachmentStore> attachments_;
  std::unique_ptr<domain::OutboxStore> outbox_;
  std::unique_ptr<domain::MailStore> mail_;
};

}  // namespace

domain::Result<std::unique_ptr<SqliteStores>> open_sqlite_stores(const StoreOptions& options,
                                                                 const domain::FieldCipher& cipher,
                                                                 const domain::Crypto& crypto) {
  auto stores = std::make_unique<SqliteStoresImpl>(cipher, crypto);
  if (auto s = stores->open(options); !s) return domain::fail(s.error());
  return std::unique_ptr<SqliteStores>(std::move(stores));
}

}  // namespace grievance::storage
