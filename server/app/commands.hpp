// The commands of the grievance binary other than serve (docs/operations.md "Commands"). Each
// returns the process exit code: 0 on success; on error it has printed one line to stderr.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "server/app/cli.hpp"
#include "server/domain/result.hpp"

namespace grievance::app {

extern const CommandSpec kCreateUserSpec;
extern const CommandSpec kBackupSpec;
extern const CommandSpec kVerifySpec;
extern const CommandSpec kVerifyReceiptSpec;

int run_create_user(const Args& args);
int run_backup(const Args& args);
int run_verify(const Args& args);
int run_verify_receipt(const Args& args);

// "DIR/grievance.db" and "DIR/keys".
std::string database_path(const std::string& data_dir);
// The server key directory: --key-dir, else DATA/keys. Keeping the keys on another volume
// than the database means a copied database file alone reveals nothing (docs/operations.md "Data
// and keys").
std::string key_dir(const Args& args);

// Creates the data directory (mode 0700) when missing. Errors: kUnavailable.
domain::Status ensure_data_dir(const std::string& data_dir);

// Prints "grievance: <message>" on stderr and returns 1.
int report_error(std::string_view message);

}  // namespace grievance::app
