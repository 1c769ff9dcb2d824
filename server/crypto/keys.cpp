// The server's key files: created once with tight permissions, refused when loosened.
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "server/crypto/crypto.hpp"

namespace grievance::crypto {
namespace {

using domain::Error;
using domain::fail;

Error key_error(std::string_view file, std::string_view what) {
  return Error::internal("key file " + std::string(file) + ": " + std::string(what));
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

domain::Status fsync_path(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY));
  if (fd.fd < 0 || ::fsync(fd.fd) != 0) {
    return fail(Error::internal("cannot fsync key directory"));
  }
  return {};
}

// O_CREAT|O_EXCL: never overwrite a key that exists (that would orphan encrypted data).
domain::Status write_new_file(const std::string& dir, std::string_view name,
                              std::string_view content) {
  const std::string path = dir + "/" + std::string(name);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.fd < 0) return fail(key_error(name, "cannot create"));
  // The umask cannot widen 0600, but make the mode explicit regardless.
  if (::fchmod(fd.fd, 0600) != 0) return fail(key_error(name, "cannot chmod"));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(key_error(name, "cannot write"));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.fd) != 0) return fail(key_error(name, "cannot fsync"));
  return {};
}

domain::Result<std::string> read_key_file(const std::string& dir, std::string_view name) {
  const std::string path = dir + "/" + std::string(name);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.fd < 0) return fail(key_error(name, "cannot open"));
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) return fail(key_error(name, "cannot stat"));
  if (!S_ISREG(st.st_mode)) return fail(key_error(name, "not a regular file"));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail(key_error(name, "accessible by group or other; chmod 600 it"));
  }
  if (st.st_uid != ::geteuid()) return fail(key_error(name, "not owned by this user"));
  if (st.st_size > 64 * 1024) return fail(key_error(name, "too large"));
  std::string content(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::read(fd.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(key_error(name, "cannot read"));
    done += static_cast<std::size_t>(n);
  }
  return content;
}

std::string random_key() {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1) std::abort();
  return key;
}

domain::Result<std::string> new_signing_key_pem() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) return fail(Error::internal("cannot generate the signing key"));
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, &EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return fail(Error::internal("cannot encode the signing key"));
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

bool is_ed25519_private_pem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  return key && EVP_PKEY_get_id(key.get()) == EVP_PKEY_ED25519;
}

domain::Status create_all(const std::string& dir) {
  auto pem = new_signing_key_pem();
  if (!pem) return fail(pem.error());
  if (auto s = write_new_file(dir, kFieldKeyFile, random_key()); !s) return s;
  if (auto s = write_new_file(dir, kHmacKeyFile, random_key()); !s) return s;
  if (auto s = write_new_file(dir, kSigningKeyFile, *pem); !s) return s;
  return fsync_path(dir);
}

}  // namespace

domain::Result<ServerKeys> load_or_create_keys(const std::string& key_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(key_dir);
  if (!fs::exists(dir, ec)) {
    // Build the set in a fresh sibling directory and rename it into place, so a crash during
    // creation never leaves a half-populated key directory behind.
    const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    std::string tmpl = (parent / (dir.filename().string() + ".tmp-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {  // mkdtemp makes it 0700
      return fail(Error::internal("cannot create the key directory"));
    }
    if (auto s = create_all(tmpl); !s) {
      fs::remove_all(tmpl, ec);
      return fail(s.error());
    }
    if (::rename(tmpl.c_str(), key_dir.c_str()) != 0) {
      fs::remove_all(tmpl, ec);
      return fail(Error::internal("cannot create the key directory"));
    }
    if (auto s = fsync_path(parent.string()); !s) return fail(s.error());
  } else if (!fs::is_directory(dir, ec)) {
    return fail(Error::internal("key directory is not a directory"));
  } else {
    const std::array<std::string_view, 3> names = {kFieldKeyFile, kHmacKeyFile, kSigningKeyFile};
    int present = 0;
    for (const auto name : names) {
      if (fs::exists(dir / name, ec)) ++present;
    }
    if (present == 0) {
      if (::chmod(key_dir.c_str(), 0700) != 0) {
        return fail(Error::internal("cannot chmod the key directory"));
      }
      if (auto s = create_all(key_dir); !s) return fail(s.error());
    } else if (present != 3) {
      return fail(
          Error::internal("key directory is incomplete: restore the missing key file from backup"));
    }
  }

  ServerKeys keys;
  auto field = read_key_file(key_dir, kFieldKeyFile);
  if (!field) return fail(field.error());
  auto hmac = read_key_file(key_dir, kHmacKeyFile);
  if (!hmac) return fail(hmac.error());
  auto pem = read_key_file(key_dir, kSigningKeyFile);
  if (!pem) return fail(pem.error());
  if (field->size() != 32) return fail(key_error(kFieldKeyFile, "must be exactly 32 bytes"));
  if (hmac->size() != 32) return fail(key_error(kHmacKeyFile, "must be exactly 32 bytes"));
  if (!is_ed25519_private_pem(*pem)) {
    return fail(key_error(kSigningKeyFile, "not an Ed25519 private key in PEM"));
  }
  keys.field_key = std::move(*field);
  keys.hmac_key = std::move(*hmac);
  keys.signing_key_pem = std::move(*pem);
  return keys;
}

}  // namespace grievance::crypto
