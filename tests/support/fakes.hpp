// In-memory fakes of the domain's ports (STYLE point 10: tests own their environment).
// Deterministic: the clock only moves when told, the random source is a counter-seeded
// generator, the crypto fake is not cryptography (tests of the real thing are in
// tests/unit/crypto_test.cpp).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "server/domain/ports.hpp"
#include "server/domain/services.hpp"
#include "support/fake_stores.hpp"

namespace grievance::testing {

class ManualClock : public domain::Clock {
 public:
  explicit ManualClock(domain::TimePoint start = domain::TimePoint{std::chrono::sys_days{
                                                     std::chrono::year{2026} / 11 / 29}} +
                                                 std::chrono::hours{9})
      : now_(start) {}
  domain::TimePoint now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void advance(std::chrono::seconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  domain::TimePoint now_;
};

class SeededRandom : public domain::RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed = 42) : engine_(seed) {}
  void fill(std::span<std::uint8_t> out) override {
    std::lock_guard lock(mu_);
    for (auto& b : out) b = static_cast<std::uint8_t>(engine_() & 0xff);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

// Not cryptography: readable, deterministic stand-ins with the same contracts.
class FakeCrypto : public domain::Crypto {
 public:
  std::string hmac_hex(std::string_view data) const override {
    return "hmac(" + std::string(data) + ")";
  }
  std::string sha256_hex(std::string_view data) const override {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a, hex-formatted
    for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return std::string(buf) + std::string(buf) + std::string(buf) + std::string(buf);
  }
  std::string sign(std::string_view message) const override {
    return "sig-" + sha256_hex(message).substr(0, 16);
  }
  bool verify(std::string_view message, std::string_view signature) const override {
    return signature == sign(message);
  }
  std::string signing_key_id() const override { return "fakekey000000000"; }
  // Deterministic stand-in of the right length (TOTP vectors are tested with real crypto).
  std::string hmac(Hash hash, std::string_view key, std::string_view data) const override {
    const std::size_t len = hash == Hash::kSha1 ? 20 : hash == Hash::kSha256 ? 32 : 64;
    std::string h = sha256_hex(std::string(key) + "|" + std::string(data));
    std::string out;
    while (out.size() < len) out += h;
    out.resize(len);
    return out;
  }
};

// Passwords kept as "plain$<password>": the hashing is tested elsewhere (crypto tests); the
// services under test only need verify(hash(p)) to hold.
class PlainHasher : public domain::PasswordHasher {
 public:
  std::string hash(std::string_view password) const override {
    return "plain$" + std::string(password);
  }
  bool verify(std::string_view password, std::string_view stored) const override {
    return stored == "plain$" + std::string(password);
  }
};

}  // namespace grievance::testing
