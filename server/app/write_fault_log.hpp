// The server's log lines for a disk that refuses writes (docs/operations.md "Health and
// signals"): one warning when writes start failing, one line when a write succeeds again, never
// per request and never with data. Wired into StoreOptions::on_write_fault by main; the
// in-process integration test wires the same function.
#pragma once

#include "server/http/log.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::app {

inline void log_write_fault(storage::WriteFault fault) {
  if (fault == storage::WriteFault::kNone) {
    http::log_line("info", "database_writes_recovered");
  } else {
    // "disk_full", "io_error", "read_only" or "corrupt": what the operator has to fix.
    http::log_line("warn", "database_writes_refused", {{"condition", storage::to_string(fault)}});
  }
}

}  // namespace grievance::app
