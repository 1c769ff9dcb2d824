// scrypt password hashing (RFC 7914, OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1).
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <semaphore>

#include "server/crypto/crypto.hpp"

namespace grievance::crypto {
namespace {

constexpr std::size_t kSaltLen = 16;
constexpr std::size_t kHashLen = 32;
constexpr std::uint32_t kR = 8;
constexpr std::uint32_t kP = 1;

// Each OWASP-sized hash needs 128 * r * N * p = 128 MiB: at most two at once keeps a burst of
// sign-ins from exhausting memory (docs/security.md "Staff accounts"). Process-wide, shared by
// every hasher.
std::counting_semaphore<2>& hash_slots() {
  static std::counting_semaphore<2> slots(2);
  return slots;
}

struct SlotGuard {
  SlotGuard() { hash_slots().acquire(); }
  ~SlotGuard() { hash_slots().release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
};

struct KdfFree {
  void operator()(EVP_KDF* p) const { EVP_KDF_free(p); }
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* p) const { EVP_KDF_CTX_free(p); }
};

struct Params {
  int log2_n = 0;
  std::uint32_t r = 0;
  std::uint32_t p = 0;
  std::string salt;
  std::string hash;
};

bool parse_uint(std::string_view s, std::uint32_t& out) {
  if (s.empty() || s.size() > 9) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// "$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>"
std::optional<Params> parse_stored(std::string_view s) {
  Params out;
  std::uint32_t ln = 0;
  if (!consume(s, "$scrypt$ln=")) return std::nullopt;
  auto comma = s.find(',');
  if (comma == std::string_view::npos || !parse_uint(s.substr(0, comma), ln)) return std::nullopt;
  s.remove_prefix(comma);
  if (!consume(s, ",r=")) return std::nullopt;
  comma = s.find(',');
  if (comma == std::string_view::npos || !parse_uint(s.substr(0, comma), out.r)) {
    return std::nullopt;
  }
  s.remove_prefix(comma);
  if (!consume(s, ",p=")) return std::nullopt;
  auto dollar = s.find('$');
  if (dollar == std::string_view::npos || !parse_uint(s.substr(0, dollar), out.p)) {
    return std::nullopt;
  }
  s.remove_prefix(dollar + 1);
  dollar = s.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = base64_decode_unpadded(s.substr(0, dollar));
  auto hash = base64_decode_unpadded(s.substr(dollar + 1));
  if (!salt || !hash) return std::nullopt;
  // Bounds keep a crafted stored string from demanding unbounded memory or time.
  if (ln < 1 || ln > 20 || out.r < 1 || out.r > 32 || out.p < 1 || out.p > 16) {
    return std::nullopt;
  }
  if (salt->size() < 8 || salt->size() > 64 || hash->size() < 16 || hash->size() > 64) {
    return std::nullopt;
  }
  out.log2_n = static_cast<int>(ln);
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

class ScryptHasher final : public domain::PasswordHasher {
 public:
  explicit ScryptHasher(int log2_n) : log2_n_(log2_n) {
    if (log2_n_ < 1 || log2_n_ > 20) {
      std::fprintf(stderr, "fatal: scrypt log2_n out of range\n");
      std::abort();
    }
  }

  std::string hash(std::string_view password) const override {
    std::string salt(kSaltLen, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), kSaltLen) != 1) {
      std::fprintf(stderr, "fatal: RAND_bytes failed\n");
      std::abort();
    }
    auto derived = derive(password, salt, log2_n_, kR, kP, kHashLen);
    if (!derived) {
      std::fprintf(stderr, "fatal: scrypt failed\n");
      std::abort();
    }
    std::string out = "$scrypt$ln=" + std::to_string(log2_n_) + ",r=" + std::to_string(kR) +
                      ",p=" + std::to_string(kP) + "$" + base64_encode_unpadded(salt) + "$" +
                      base64_encode_unpadded(*derived);
    OPENSSL_cleanse(derived->data(), derived->size());
    return out;
  }

  bool verify(std::string_view password, std::string_view stored) const override {
    const auto params = parse_stored(stored);
    if (!params) return false;
    auto derived =
        derive(password, params->salt, params->log2_n, params->r, params->p, params->hash.size());
    if (!derived) return false;
    const bool ok = constant_time_equal(*derived, params->hash);
    OPENSSL_cleanse(derived->data(), derived->size());
    return ok;
  }

 private:
  static std::optional<std::string> derive(std::string_view password, std::string_view salt,
                                           int log2_n, std::uint32_t r, std::uint32_t p,
                                           std::size_t len) {
    SlotGuard slot;
    return scrypt_raw(password, salt, std::uint64_t{1} << log2_n, r, p, len);
  }

  int log2_n_;
};

}  // namespace

std::optional<std::string> scrypt_raw(std::string_view password, std::string_view salt,
                                      std::uint64_t n, std::uint32_t r, std::uint32_t p,
                                      std::size_t out_len) {
  std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
  if (!kdf) return std::nullopt;
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return std::nullopt;
  // OpenSSL's default maxmem is 32 MiB, below the 128 MiB that N=2^17, r=8 needs: allow the
  // requirement plus headroom, computed from the actual parameters.
  std::uint64_t maxmem = 128ull * r * n * p + (std::uint64_t{128} * r * 256) + (1ull << 20);
  std::string pw(password);
  std::string sl(salt);
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, pw.data(), pw.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, sl.data(), sl.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  std::string out(out_len, '\0');
  const int rc =
      EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params);
  OPENSSL_cleanse(pw.data(), pw.size());
  if (rc != 1) return std::nullopt;
  return out;
}

std::unique_ptr<domain::PasswordHasher> make_password_hasher(int log2_n) {
  return std::make_unique<ScryptHasher>(log2_n);
}

}  // namespace grievance::crypto
