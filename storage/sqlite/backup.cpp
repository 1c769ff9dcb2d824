// Online backup (docs/operations.md "Backup and restore").
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::storage {
namespace {

using domain::Error;
using domain::fail;
using domain::Status;

Status fsync_file(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return fail(Error::unavailable("The backup cannot be synced."));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return fail(Error::unavailable("The backup cannot be synced."));
  return {};
}

}  // namespace

domain::Status backup_database(const std::string& db_path, const std::string& out_path) {
  namespace fs = std::filesystem;
  const std::string tmp = out_path + ".partial";
  std::error_code ec;
  fs::remove(tmp, ec);
  {
    auto src = Connection::open(db_path, Connection::Mode::kReadOnly);
    if (!src) return fail(src.error());
    const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return fail(Error::unavailable("The backup file cannot be created."));
    ::close(fd);
    auto dst = Connection::open(tmp, Connection::Mode::kReadWrite);
    if (!dst) return fail(dst.error());
    sqlite3_backup* backup =
        sqlite3_backup_init((*dst)->handle(), "main", (*src)->handle(), "main");
    if (backup == nullptr) {
      fs::remove(tmp, ec);
      return fail(Error::unavailable("The backup cannot start."));
    }
    // step(-1) copies every page inside one read transaction on the source: a snapshot.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 100; ++attempt) {
      rc = sqlite3_backup_step(backup, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    sqlite3_backup_finish(backup);
    bool ok = rc == SQLITE_DONE;
    // A self-contained single file: no -wal beside it.
    if (ok) ok = static_cast<bool>((*dst)->exec("PRAGMA journal_mode = DELETE"));
    if (ok) {
      auto q = (*dst)->query("PRAGMA integrity_check");
      auto row = q.step();
      ok = row && *row && q.text(0) == "ok";
    }
    if (!ok) {
      dst->reset();
      fs::remove(tmp, ec);
      return fail(Error::unavailable("The backup failed."));
    }
  }
  if (auto s = fsync_file(tmp, false); !s) return s;
  if (::rename(tmp.c_str(), out_path.c_str()) != 0) {
    fs::remove(tmp, ec);
    return fail(Error::unavailable("The backup cannot be moved into place."));
  }
  const fs::path parent =
      fs::path(out_path).has_parent_path() ? fs::path(out_path).parent_path() : fs::path(".");
  return fsync_file(parent.string(), true);
}

}  // namespace grievance::storage
