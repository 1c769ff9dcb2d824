// RandomSource, Crypto and FieldCipher over OpenSSL 3, plus the encodings they need.
#include "server/crypto/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace grievance::crypto {
namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fatal: %s failed\n", what);
  std::abort();
}

class SystemRandom final : public domain::RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    // RAND_bytes takes an int length; fill in chunks so any span size works.
    while (!out.empty()) {
      const std::size_t n = std::min<std::size_t>(out.size(), 1 << 20);
      if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) die("RAND_bytes");
      out = out.subspan(n);
    }
  }
};

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Every authenticated request hashes its token: SHA-256 is fetched from the provider once (an
// implicit fetch per call took a provider lock) and each thread reuses one digest context.
std::string sha256_raw(std::string_view data) {
  static EVP_MD* const kSha256 = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) die("EVP_MD_fetch SHA256");
    return md;  // kept for the life of the process
  }();
  thread_local MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) die("EVP_MD_CTX_new");
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) {
    die("SHA-256");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

class OpenSslCrypto final : public domain::Crypto {
 public:
  explicit OpenSslCrypto(const ServerKeys& keys) : hmac_key_(keys.hmac_key) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(
        keys.signing_key_pem.data(), static_cast<int>(keys.signing_key_pem.size())));
    if (!bio) die("BIO_new_mem_buf");
    signing_key_.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!signing_key_ || EVP_PKEY_get_id(signing_key_.get()) != EVP_PKEY_ED25519) {
      die("loading the Ed25519 signing key");
    }
    std::array<unsigned char, 32> pub{};
    std::size_t pub_len = pub.size();
    if (EVP_PKEY_get_raw_public_key(signing_key_.get(), pub.data(), &pub_len) != 1) {
      die("EVP_PKEY_get_raw_public_key");
    }
    const std::string pub_bytes(reinterpret_cast<const char*>(pub.data()), pub_len);
    public_key_.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub_len));
    if (!public_key_) die("EVP_PKEY_new_raw_public_key");
    key_id_ = to_hex(sha256_raw(pub_bytes)).substr(0, 16);
  }

  std::string hmac_hex(std::string_view data) const override {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), hmac_key_.data(), static_cast<int>(hmac_key_.size()), bytes(data),
             data.size(), out.data(), &len) == nullptr) {
      die("HMAC");
    }
    return to_hex(std::string_view(reinterpret_cast<const char*>(out.data()), len));
  }

  std::string sha256_hex(std::string_view data) const override { return to_hex(sha256_raw(data)); }

  std::string sign(std::string_view message) const override {
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx) die("EVP_MD_CTX_new");
    // Ed25519 is one-shot: no digest is named (RFC 8032 PureEdDSA).
    if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, signing_key_.get()) != 1) {
      die("EVP_DigestSignInit");
    }
    std::array<unsigned char, 64> sig{};
    std::size_t sig_len = sig.size();
    if (EVP_DigestSign(ctx.get(), sig.data(), &sig_len, bytes(message), message.size()) != 1) {
      die("EVP_DigestSign");
    }
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(sig.data()), sig_len));
  }

  bool verify(std::string_view message, std::string_view signature) const override {
    const auto sig = base64url_decode(signature);
    if (!sig || sig->size() != 64) return false;
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx) die("EVP_MD_CTX_new");
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, public_key_.get()) != 1) {
      return false;
    }
    return EVP_DigestVerify(ctx.get(), bytes(*sig), sig->size(), bytes(message), message.size()) ==
           1;
  }

  std::string signing_key_id() const override { return key_id_; }

  std::string hmac(Hash hash, std::string_view key, std::string_view data) const override {
    const EVP_MD* md = hash == Hash::kSha1     ? EVP_sha1()
                       : hash == Hash::kSha256 ? EVP_sha256()
                                               : EVP_sha512();
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (HMAC(md, key.data(), static_cast<int>(key.size()), bytes(data), data.size(), out.data(),
             &len) == nullptr) {
      die("HMAC");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), len);
  }

 private:
  std::string hmac_key_;
  Pkey signing_key_;
  Pkey public_key_;
  std::string key_id_;
};

constexpr unsigned char kSealVersion = 0x01;
constexpr std::size_t kNonceLen = 12;
constexpr std::size_t kTagLen = 16;

// Every case read opens several sealed fields: the cipher is fetched from the provider once
// (an implicit fetch per call took a provider lock) and each thread reuses one context (a
// context per call cost an allocation and a cleanse). The key is set at each init, so one
// thread's context serves any key.
EVP_CIPHER_CTX* thread_cipher_context() {
  struct Holder {
    CipherCtx ctx{EVP_CIPHER_CTX_new()};
  };
  thread_local Holder holder;
  if (!holder.ctx) die("EVP_CIPHER_CTX_new");
  return holder.ctx.get();
}

class AesGcmFieldCipher final : public domain::FieldCipher {
 public:
  explicit AesGcmFieldCipher(const ServerKeys& keys)
      : key_(keys.field_key), cipher_(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr)) {
    if (key_.size() != 32) die("field key size check");
    if (cipher_ == nullptr) die("EVP_CIPHER_fetch AES-256-GCM");
  }
  ~AesGcmFieldCipher() override { EVP_CIPHER_free(cipher_); }
  AesGcmFieldCipher(const AesGcmFieldCipher&) = delete;
  AesGcmFieldCipher& operator=(const AesGcmFieldCipher&) = delete;

  std::string seal(std::string_view plaintext, std::string_view ad) const override {
    std::string out(1 + kNonceLen + plaintext.size() + kTagLen, '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    p[0] = kSealVersion;
    // Random 96-bit nonces: safe for far more than 2^32 seals under one key (NIST SP 800-38D
    // 8.3), which a grievance mechanism will never reach.
    if (RAND_bytes(p + 1, kNonceLen) != 1) die("RAND_bytes");
    EVP_CIPHER_CTX* ctx = thread_cipher_context();
    int len = 0;
    if (EVP_EncryptInit_ex(ctx, cipher_, nullptr, bytes(key_), p + 1) != 1 ||
        (!ad.empty() &&
         EVP_EncryptUpdate(ctx, nullptr, &len, bytes(ad), checked_int(ad.size())) != 1) ||
        (!plaintext.empty() && EVP_EncryptUpdate(ctx, p + 1 + kNonceLen, &len, bytes(plaintext),
                                                 checked_int(plaintext.size())) != 1) ||
        EVP_EncryptFinal_ex(ctx, p + 1 + kNonceLen + plaintext.size(), &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagLen,
                            p + 1 + kNonceLen + plaintext.size()) != 1) {
      die("AES-256-GCM seal");
    }
    return out;
  }

  std::optional<std::string> open(std::string_view sealed, std::string_view ad) const override {
    if (sealed.size() < 1 + kNonceLen + kTagLen) return std::nullopt;
    if (static_cast<unsigned char>(sealed[0]) != kSealVersion) return std::nullopt;
    if (sealed.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        ad.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return std::nullopt;
    }
    const auto* p = bytes(sealed);
    const std::size_t ct_len = sealed.size() - 1 - kNonceLen - kTagLen;
    std::string out(ct_len, '\0');
    EVP_CIPHER_CTX* ctx = thread_cipher_context();
    int len = 0;
    std::array<unsigned char, kTagLen> tag{};
    std::copy_n(p + 1 + kNonceLen + ct_len, kTagLen, tag.begin());
    if (EVP_DecryptInit_ex(ctx, cipher_, nullptr, bytes(key_), p + 1) != 1) {
      return std::nullopt;
    }
    if (!ad.empty() &&
        EVP_DecryptUpdate(ctx, nullptr, &len, bytes(ad), static_cast<int>(ad.size())) != 1) {
      return std::nullopt;
    }
    if (ct_len > 0 && EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                                        p + 1 + kNonceLen, static_cast<int>(ct_len)) != 1) {
      return std::nullopt;
    }
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagLen, tag.data()) != 1) {
      return std::nullopt;
    }
    // The tag check happens here; on failure the (unauthenticated) output is discarded.
    if (EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + ct_len, &len) !=
        1) {
      OPENSSL_cleanse(out.data(), out.size());
      return std::nullopt;
    }
    return out;
  }

 private:
  static int checked_int(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max())) die("field size check");
    return static_cast<int>(n);
  }
  std::string key_;
  EVP_CIPHER* cipher_;  // fetched once; freed with the cipher object
};

constexpr std::string_view kB64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kB64Std =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode_unpadded(std::string_view in, std::string_view alphabet) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(in[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(in[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(in[i + 2])};
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = in.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(in[i])} << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(in[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(in[i + 1])} << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> decode_unpadded(std::string_view in, std::string_view alphabet) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::array<int, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  }
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char ch : in) {
    const int v = table[static_cast<unsigned char>(ch)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // Canonical encodings only: the unused low bits of the last character must be zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::unique_ptr<domain::RandomSource> make_system_random() {
  return std::make_unique<SystemRandom>();
}

std::unique_ptr<domain::Crypto> make_crypto(const ServerKeys& keys) {
  return std::make_unique<OpenSslCrypto>(keys);
}

std::unique_ptr<domain::FieldCipher> make_field_cipher(const ServerKeys& keys) {
  return std::make_unique<AesGcmFieldCipher>(keys);
}

std::string base64url_encode(std::string_view bytes) { return encode_unpadded(bytes, kB64Url); }
std::optional<std::string> base64url_decode(std::string_view text) {
  return decode_unpadded(text, kB64Url);
}
std::string base64_encode_unpadded(std::string_view bytes) {
  return encode_unpadded(bytes, kB64Std);
}
std::optional<std::string> base64_decode_unpadded(std::string_view text) {
  return decode_unpadded(text, kB64Std);
}

std::string to_hex(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (const char ch : data) {
    const auto b = static_cast<unsigned char>(ch);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace grievance::crypto
