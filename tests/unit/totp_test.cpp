// RFC 6238 appendix B test vectors with the real HMAC (OpenSSL), plus the window and base32.
#include "server/domain/totp.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/crypto/crypto.hpp"

namespace grievance::domain {
namespace {

class TotpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("totp-keys-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto keys = crypto::load_or_create_keys(dir.string());
    ASSERT_TRUE(keys);
    crypto_ = crypto::make_crypto(*keys);
    std::filesystem::remove_all(dir);
  }
  std::unique_ptr<Crypto> crypto_;
};

TimePoint at(std::int64_t seconds) { return TimePoint{std::chrono::seconds{seconds}}; }

TEST_F(TotpTest, Rfc6238AppendixBVectors) {
  const std::string sha1 = "12345678901234567890";
  const std::string sha256 = "12345678901234567890123456789012";
  const std::string sha512 = "1234567890123456789012345678901234567890123456789012345678901234";
  struct Vector {
    std::int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Vector vectors[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const auto& v : vectors) {
    TotpParams p;
    p.digits = 8;
    const auto step = totp_step(at(v.time), p);
    p.hash = Crypto::Hash::kSha1;
    EXPECT_EQ(totp_code(*crypto_, sha1, step, p), v.sha1) << v.time;
    p.hash = Crypto::Hash::kSha256;
    EXPECT_EQ(totp_code(*crypto_, sha256, step, p), v.sha256) << v.time;
    p.hash = Crypto::Hash::kSha512;
    EXPECT_EQ(totp_code(*crypto_, sha512, step, p), v.sha512) << v.time;
  }
}

TEST_F(TotpTest, AcceptsOneStepOfDriftEitherSideAndNothingElse) {
  const std::string secret = "12345678901234567890";
  const TimePoint now = at(1111111111);
  const auto step = totp_step(now);
  for (int d = -3; d <= 3; ++d) {
    const auto code = totp_code(*crypto_, secret, step + d);
    auto matched = match_totp(*crypto_, secret, code, now);
    if (d >= -1 && d <= 1) {
      ASSERT_TRUE(matched) << d;
      EXPECT_EQ(*matched, step + d);
    } else {
      EXPECT_FALSE(matched) << d;
    }
  }
  const auto code = totp_code(*crypto_, secret, step);
  EXPECT_TRUE(match_totp(*crypto_, secret, code.substr(0, 3) + " " + code.substr(3), now));
  EXPECT_FALSE(match_totp(*crypto_, secret, "", now));
  EXPECT_FALSE(match_totp(*crypto_, secret, code + "0", now));
  EXPECT_FALSE(match_totp(*crypto_, secret, "12345a", now));
  EXPECT_FALSE(match_totp(*crypto_, "", code, now));
}

TEST(Base32Test, Rfc4648VectorsAndRoundTrip) {
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("mzxw 6ytb oi"), "foobar");
  EXPECT_FALSE(base32_decode("MZXW1"));
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(base32_decode(base32_encode(bytes)), bytes);
  const auto uri = otpauth_uri("Grievance mechanism", "officer@example.org", "foobar");
  EXPECT_EQ(uri,
            "otpauth://totp/Grievance%20mechanism:officer@example.org?secret=MZXW6YTBOI&issuer="
            "Grievance%20mechanism&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace grievance::domain
