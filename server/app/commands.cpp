#include "server/app/commands.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/totp.hpp"
#include "server/domain/validation.hpp"
#include "server/http/complaint_input.hpp"
#include "server/http/files.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::app {

const CommandSpec kCreateUserSpec{
    "grievance admin create-user --data DIR --email E --role admin|union|company|auditor "
    "[--org ID] --password-file F [--totp] [--key-dir DIR]",
    "Creates a staff account. The password (at least 12 characters) is read from the first line "
    "of F and stored only as an scrypt hash.",
    {
        {"data", "DIR", true, "data directory (grievance.db, keys/)"},
        {"key-dir", "DIR", false, "server key directory (default: DIR/keys)"},
        {"email", "E", true, "the account's e-mail address (its login)"},
        {"role", "ROLE", true, "admin, union, company or auditor"},
        {"org", "ID", false, "organisation id (required for union and company)"},
        {"password-file", "F", true, "file whose first line is the password"},
        {"totp", "", false, "also enrol a TOTP second factor and print its secret once"},
    }};

const CommandSpec kBackupSpec{
    "grievance backup --data DIR --out FILE",
    "Writes a consistent copy of the database, also while the server runs. Restore: stop the "
    "server and copy FILE to DIR/grievance.db (keep DIR/keys: without them the copy is "
    "unreadable).",
    {
        {"data", "DIR", true, "data directory"},
        {"out", "FILE", true, "where to write the copy"},
    }};

const CommandSpec kVerifySpec{
    "grievance verify --data DIR [--key-dir DIR]",
    "Checks the hash chain of every case's events; names the first event that was changed or "
    "removed and exits 1 if any.",
    {
        {"data", "DIR", true, "data directory"},
        {"key-dir", "DIR", false, "server key directory (default: DIR/keys)"},
    }};

const CommandSpec kVerifyReceiptSpec{
    "grievance verify-receipt FILE (--data DIR | --key-dir DIR)",
    "Checks a proof-of-filing receipt: FILE holds the receipt JSON (or the whole answer of "
    "POST /api/v1/complaints). Valid when the server's signing key (in --key-dir, default "
    "DIR/keys) signed exactly this reference, filing time and content hash; exits 1 if not.",
    {
        {"file", "FILE", true, "the receipt (also accepted as the first argument)"},
        {"data", "DIR", false, "data directory whose keys/ holds the server's signing key"},
        {"key-dir", "DIR", false, "server key directory"},
    }};

std::string database_path(const std::string& data_dir) { return data_dir + "/grievance.db"; }
std::string key_dir(const Args& args) { return args.get("key-dir", args.get("data") + "/keys"); }

domain::Status ensure_data_dir(const std::string& data_dir) {
  if (::mkdir(data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return domain::fail(domain::Error::unavailable("cannot create data directory " + data_dir +
                                                   ": " + std::strerror(errno)));
  }
  return {};
}

int report_error(std::string_view message) {
  std::fprintf(stderr, "grievance: %.*s\n", static_cast<int>(message.size()), message.data());
  return 1;
}

namespace {

struct SystemClock final : domain::Clock {
  domain::TimePoint now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

domain::Result<std::string> read_password(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return domain::fail(domain::Error::unavailable("cannot read password file " + path));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int run_create_user(const Args& args) {
  const std::string data = args.get("data");
  domain::UserDraft draft;
  draft.email = args.get("email");
  draft.role = args.get("role");
  if (args.has("org")) {
    const std::string org = args.get("org");
    try {
      std::size_t used = 0;
      draft.org_id = std::stoll(org, &used);
      if (used != org.size() || *draft.org_id <= 0) throw std::invalid_argument(org);
    } catch (const std::exception&) {
      return report_error("--org must be a positive organisation id");
    }
  }
  auto password = read_password(args.get("password-file"));
  if (!password) return report_error(password.error().message);
  draft.password = *password;

  if (auto made = ensure_data_dir(data); !made) return report_error(made.error().message);
  auto keys = crypto::load_or_create_keys(key_dir(args));
  if (!keys) return report_error(keys.error().message);
  auto crypto = crypto::make_crypto(*keys);
  auto cipher = crypto::make_field_cipher(*keys);
  auto store =
      storage::open_sqlite_stores(storage::StoreOptions{database_path(data), 1}, *cipher, *crypto);
  if (!store) return report_error(store.error().message);

  // The same rules as the admin API (domain::new_user): e-mail, role and organisation kind,
  // password length.
  auto user = domain::new_user((*store)->directory(), (*store)->accounts(),
                               *crypto::make_password_hasher(), draft, SystemClock().now());
  if (!user) {
    const auto& e = user.error();
    if (e.code == domain::ErrorCode::kConflict) {
      return report_error("a user with this e-mail address exists already");
    }
    const std::string flag = e.field == "org_id"     ? "--org"
                             : e.field == "password" ? "the password"
                             : e.field.empty()       ? ""
                                                     : "--" + e.field;
    return report_error(flag.empty() ? e.message : flag + ": " + e.message);
  }
  std::printf("created user %lld (%s)\n", static_cast<long long>(user->id),
              std::string(domain::to_string(user->role)).c_str());
  if (args.has("totp")) {
    // The second factor for accounts that must have one before their first sign-in (admins
    // when require_totp_for_admins is set). The secret is printed once, here.
    auto random = crypto::make_system_random();
    std::string secret(20, '\0');
    random->fill(std::span(reinterpret_cast<std::uint8_t*>(secret.data()), secret.size()));
    user->totp_secret = secret;
    if (auto st = (*store)->accounts().update_user(*user); !st)
      return report_error(st.error().message);
    std::printf("totp secret: %s\notpauth uri: %s\n", domain::base32_encode(secret).c_str(),
                domain::otpauth_uri("Grievance mechanism", user->email, secret).c_str());
  }
  return 0;
}

int run_backup(const Args& args) {
  const std::string db = database_path(args.get("data"));
  struct stat st {};
  if (::stat(db.c_str(), &st) != 0) return report_error("no database at " + db);
  if (auto done = storage::backup_database(db, args.get("out")); !done) {
    return report_error(done.error().message);
  }
  std::printf("backup written to %s\n", args.get("out").c_str());
  return 0;
}

int run_verify_receipt(const Args& args) {
  // Exit 1 means "checked: invalid"; anything that prevents the check exits 2.
  auto error = [](std::string_view message) {
    report_error(message);
    return 2;
  };
  if (!args.has("data") && !args.has("key-dir")) {
    return error("give --data DIR or --key-dir DIR: the server's signing key is there");
  }
  const std::string dir = key_dir(args);
  struct stat st {};
  // Never create keys here: a fresh key would only ever say "invalid".
  if (::stat((dir + "/" + std::string(crypto::kSigningKeyFile)).c_str(), &st) != 0) {
    return error("no server keys in " + dir);
  }
  const auto text = http::read_file(args.get("file"));
  if (!text) return error("cannot read " + args.get("file"));
  const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  auto receipt = http::receipt_from_json(j);
  if (!receipt) {
    return error("not a receipt: " + receipt.error().message +
                 (receipt.error().field.empty() ? "" : " (" + receipt.error().field + ")"));
  }
  auto keys = crypto::load_or_create_keys(dir);
  if (!keys) return error(keys.error().message);
  auto crypto = crypto::make_crypto(*keys);
  if (!domain::verify_receipt(*crypto, *receipt)) {
    std::printf("invalid: this receipt was not signed by this server as it stands\n");
    return 1;
  }
  std::printf("valid: %s filed %s, content SHA-256 %s, key %s\n", receipt->reference.c_str(),
              domain::format_time(receipt->filed_at).c_str(), receipt->content_sha256.c_str(),
              crypto->signing_key_id().c_str());
  return 0;
}

int run_verify(const Args& args) {
  const std::string data = args.get("data");
  const std::string db = database_path(data);
  struct stat st {};
  if (::stat(db.c_str(), &st) != 0) return report_error("no database at " + db);
  auto keys = crypto::load_or_create_keys(key_dir(args));
  if (!keys) return report_error(keys.error().message);
  auto crypto = crypto::make_crypto(*keys);
  auto breaks = storage::verify_event_chains(db, *crypto);
  if (!breaks) return report_error(breaks.error().message);
  if (breaks->empty()) {
    std::printf("ok: every case's event chain is intact\n");
    return 0;
  }
  for (const auto& b : *breaks) {
    std::printf("broken: case %s, event %lld: %s\n", b.reference.c_str(),
                static_cast<long long>(b.seq), b.reason.c_str());
  }
  return 1;
}

}  // namespace grievance::app
