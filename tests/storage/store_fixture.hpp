// Shared environment for the storage tests: a temporary directory that is removed afterwards,
// real keys in it, a sample case, and raw SQLite helpers for checks behind the store's back.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "server/crypto/crypto.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::storage::testing {

namespace fs = std::filesystem;

inline constexpr std::string_view kNarrativeMarker = "NARRATIVE-MARKER-4f1c9e";
inline constexpr std::string_view kContactMarker = "CONTACT-MARKER-b27d05";
inline constexpr std::string_view kMessageMarker = "MESSAGE-MARKER-93aa6e";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "storage_test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline domain::TimePoint at(std::int64_t seconds) {
  return domain::TimePoint(std::chrono::seconds(seconds));
}

// A unique reference per call within the process (tests never depend on the domain's
// generator).
inline std::string next_reference(std::string_view prefix = "T") {
  static std::atomic<int> n{0};
  return "GRV-" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(n.fetch_add(1));
}

inline domain::Case sample_case(std::string reference) {
  domain::Case c;
  c.reference = std::move(reference);
  c.access_code_hmac = std::string(64, 'a');
  c.complaint.language = domain::Language::kId;
  c.complaint.categories = {domain::Category::kWages, domain::Category::kHealthSafety};
  c.complaint.narrative = "Unpaid overtime at the mill. " + std::string(kNarrativeMarker);
  c.complaint.place = "Block 7";
  c.complaint.country = "ID";
  c.complaint.incident_date =
      domain::Date{std::chrono::year(2026), std::chrono::month(3), std::chrono::day(14)};
  c.complaint.anonymous = false;
  c.complaint.contact =
      domain::Contact{"Siti " + std::string(kContactMarker), "+62 811 0000", "siti@example.org"};
  c.complaint.channel = domain::Channel::kWeb;
  c.status = domain::CaseStatus::kReceived;
  c.deadlines = {at(1'800'604'800), at(1'802'592'000), at(1'808'784'000)};
  c.created_at = at(1'800'000'000);
  c.updated_at = at(1'800'000'000);
  c.content_sha256 = std::string(64, 'c');
  return c;
}

inline domain::CaseEvent filed_event() {
  domain::CaseEvent e;
  e.at = at(1'800'000'000);
  e.type = domain::EventType::kFiled;
  e.actor_role = domain::Role::kComplainant;
  e.visibility = domain::Visibility::kParties;
  e.to_status = domain::CaseStatus::kReceived;
  e.body = "Filed through the web form.";
  return e;
}

inline std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Raw access for checks the store's interface does not offer.
class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // The first column of the first row as text ("" when none); rc receives the result code.
  std::string scalar(const std::string& sql, int* rc_out = nullptr) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    std::string out;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(st, 0);
        out = t ? reinterpret_cast<const char*>(t) : "";
        rc = SQLITE_OK;
      } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(st);
    if (rc_out) *rc_out = rc;
    return out;
  }
  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() {
    auto keys = crypto::load_or_create_keys((dir_.path() / "keys").string());
    if (!keys) std::abort();
    keys_ = *keys;
    cipher_ = crypto::make_field_cipher(keys_);
    crypto_ = crypto::make_crypto(keys_);
  }

  fs::path db_path() const { return dir_.path() / "grievance.db"; }

  std::unique_ptr<SqliteStores> open(int readers = 4) {
    auto store = open_sqlite_stores({db_path().string(), readers}, *cipher_, *crypto_);
    if (!store) {
      ADD_FAILURE() << "open failed: " << store.error().message;
      return nullptr;
    }
    return std::move(*store);
  }

  TempDir dir_;
  crypto::ServerKeys keys_;
  std::unique_ptr<domain::FieldCipher> cipher_;
  std::unique_ptr<domain::Crypto> crypto_;
};

}  // namespace grievance::storage::testing
