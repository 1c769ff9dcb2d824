// server/crypto against published vectors (RFC 4231, FIPS 180-2, RFC 7914) and its own
// round trips, tamper checks and key-file rules.
#include "server/crypto/crypto.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace grievance::crypto {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "crypto_test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

ServerKeys test_keys() {
  static TempDir dir;
  static const ServerKeys keys = [] {
    auto k = load_or_create_keys((dir.path() / "keys").string());
    if (!k) std::abort();
    return *k;
  }();
  return keys;
}

TEST(CryptoTest, HmacMatchesRfc4231TestCases1And2) {
  ServerKeys keys = test_keys();
  keys.hmac_key = std::string(20, '\x0b');
  EXPECT_EQ(make_crypto(keys)->hmac_hex("Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  keys.hmac_key = "Jefe";
  EXPECT_EQ(make_crypto(keys)->hmac_hex("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, Sha256MatchesFips180Vectors) {
  const auto c = make_crypto(test_keys());
  EXPECT_EQ(c->sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(c->sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CryptoTest, SignatureRoundTripsAndAnyChangeFails) {
  const auto c = make_crypto(test_keys());
  const std::string message = "grievance-receipt-v1\nGRV-7KQ2-M9XD\n2026-01-01T00:00:00Z\nab\n";
  const std::string sig = c->sign(message);
  EXPECT_EQ(sig.size(), 86u);  // 64 bytes, base64url without padding
  EXPECT_EQ(sig.find('='), std::string::npos);
  EXPECT_TRUE(c->verify(message, sig));

  std::string changed_message = message;
  changed_message[25] ^= 1;
  EXPECT_FALSE(c->verify(changed_message, sig));

  std::string changed_sig = sig;
  changed_sig[10] = changed_sig[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(c->verify(message, changed_sig));
  EXPECT_FALSE(c->verify(message, ""));
  EXPECT_FALSE(c->verify(message, "not base64!"));

  EXPECT_EQ(c->signing_key_id().size(), 16u);
  EXPECT_EQ(c->signing_key_id(), make_crypto(test_keys())->signing_key_id());
}

TEST(CryptoTest, SignatureFromAnotherKeyFails) {
  TempDir other_dir;
  auto other = load_or_create_keys((other_dir.path() / "k").string());
  ASSERT_TRUE(other.has_value());
  const auto mine = make_crypto(test_keys());
  const auto theirs = make_crypto(*other);
  EXPECT_NE(mine->signing_key_id(), theirs->signing_key_id());
  EXPECT_FALSE(mine->verify("m", theirs->sign("m")));
}

TEST(FieldCipherTest, RoundTripsWithFormatVersionNonceAndTag) {
  const auto cipher = make_field_cipher(test_keys());
  const std::string plain = "The supervisor withheld wages for three months.";
  const std::string sealed = cipher->seal(plain, "cases.narrative:GRV-1");
  ASSERT_EQ(sealed.size(), 1 + 12 + plain.size() + 16);
  EXPECT_EQ(sealed[0], '\x01');
  EXPECT_EQ(sealed.find("withheld"), std::string::npos);
  EXPECT_EQ(cipher->open(sealed, "cases.narrative:GRV-1"), plain);
  // Fresh nonce every time: the same plaintext never seals to the same bytes.
  EXPECT_NE(cipher->seal(plain, "cases.narrative:GRV-1"), sealed);
  EXPECT_EQ(cipher->open(cipher->seal("", "ad"), "ad"), "");
}

TEST(FieldCipherTest, TamperedCiphertextWrongAdAndWrongKeyFail) {
  const auto cipher = make_field_cipher(test_keys());
  const std::string sealed = cipher->seal("secret narrative", "cases.narrative:GRV-1");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string t = sealed;
    t[i] ^= 0x01;
    EXPECT_FALSE(cipher->open(t, "cases.narrative:GRV-1").has_value()) << "byte " << i;
  }
  EXPECT_FALSE(cipher->open(sealed, "cases.narrative:GRV-2").has_value());
  EXPECT_FALSE(cipher->open(sealed, "").has_value());
  EXPECT_FALSE(cipher->open(sealed.substr(0, sealed.size() - 1), "cases.narrative:GRV-1"));
  EXPECT_FALSE(cipher->open("", "cases.narrative:GRV-1").has_value());

  ServerKeys other = test_keys();
  other.field_key[0] ^= 1;
  EXPECT_FALSE(make_field_cipher(other)->open(sealed, "cases.narrative:GRV-1").has_value());
}

TEST(KeysTest, CreatedWithMode0600AndReloadedIdentical) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  auto first = load_or_create_keys(dir.string());
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->field_key.size(), 32u);
  EXPECT_EQ(first->hmac_key.size(), 32u);
  EXPECT_NE(first->field_key, first->hmac_key);
  EXPECT_NE(first->signing_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);

  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const auto name : {kFieldKeyFile, kHmacKeyFile, kSigningKeyFile}) {
    ASSERT_EQ(::stat((dir / name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
  }
  auto again = load_or_create_keys(dir.string());
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->field_key, first->field_key);
  EXPECT_EQ(again->hmac_key, first->hmac_key);
  EXPECT_EQ(again->signing_key_pem, first->signing_key_pem);
  // Nothing but the three keys is left behind (no temporary directory).
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(KeysTest, EmptyExistingDirectoryGetsKeys) {
  TempDir tmp;
  auto keys = load_or_create_keys(tmp.path().string());
  ASSERT_TRUE(keys.has_value()) << keys.error().message;
  EXPECT_TRUE(fs::exists(tmp.path() / kFieldKeyFile));
}

TEST(KeysTest, GroupReadableKeyFileIsRefused) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  ASSERT_TRUE(load_or_create_keys(dir.string()).has_value());
  ASSERT_EQ(::chmod((dir / kHmacKeyFile).c_str(), 0644), 0);
  auto keys = load_or_create_keys(dir.string());
  ASSERT_FALSE(keys.has_value());
  EXPECT_NE(keys.error().message.find("hmac.key"), std::string::npos);
  // The refusal does not "repair" the file: the operator decides.
  struct stat st {};
  ASSERT_EQ(::stat((dir / kHmacKeyFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(KeysTest, WrongSizeAndMissingFilesAreRefused) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  ASSERT_TRUE(load_or_create_keys(dir.string()).has_value());
  const std::string original = read_file(dir / kFieldKeyFile);
  {
    std::ofstream out(dir / kFieldKeyFile, std::ios::binary | std::ios::app);
    out << 'x';
  }
  EXPECT_FALSE(load_or_create_keys(dir.string()).has_value());
  fs::remove(dir / kFieldKeyFile);
  // Never silently replace one lost key: that would make existing data unreadable.
  EXPECT_FALSE(load_or_create_keys(dir.string()).has_value());
  EXPECT_FALSE(fs::exists(dir / kFieldKeyFile));
}

TEST(Base64Test, UrlAlphabetWithoutPaddingRoundTrips) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64_encode_unpadded("\xfb\xff"), "+/8");
  for (std::size_t n = 0; n < 40; ++n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>(i * 37 + n);
    EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
  }
  EXPECT_FALSE(base64url_decode("Zg==").has_value());
  EXPECT_FALSE(base64url_decode("Z").has_value());
  EXPECT_FALSE(base64url_decode("Zh").has_value());  // non-canonical trailing bits
  EXPECT_FALSE(base64url_decode("+/8").has_value());
}

TEST(ScryptTest, MatchesRfc7914Vectors) {
  EXPECT_EQ(to_hex(*scrypt_raw("", "", 16, 1, 1, 64)),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
  EXPECT_EQ(to_hex(*scrypt_raw("password", "NaCl", 1024, 8, 16, 64)),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST(PasswordHasherTest, HashVerifiesAndWrongPasswordFails) {
  const auto hasher = make_password_hasher(10);
  const std::string stored = hasher->hash("correct horse battery staple");
  EXPECT_TRUE(stored.starts_with("$scrypt$ln=10,r=8,p=1$")) << stored;
  EXPECT_TRUE(hasher->verify("correct horse battery staple", stored));
  EXPECT_FALSE(hasher->verify("correct horse battery stapl", stored));
  EXPECT_FALSE(hasher->verify("", stored));
  EXPECT_NE(hasher->hash("correct horse battery staple"), stored);  // fresh salt
}

TEST(PasswordHasherTest, OwaspDefaultParametersFitTheMemoryLimit) {
  // N=2^17, r=8 needs 128 MiB: more than OpenSSL's default maxmem, so this proves the limit
  // is raised.
  const auto hasher = make_password_hasher();
  const std::string stored = hasher->hash("staff password 2026");
  EXPECT_TRUE(stored.starts_with("$scrypt$ln=17,r=8,p=1$")) << stored;
  EXPECT_TRUE(hasher->verify("staff password 2026", stored));
}

TEST(PasswordHasherTest, VerifyUsesTheStoredParameters) {
  const std::string stored = make_password_hasher(8)->hash("a long enough password");
  // A hasher configured for other parameters still verifies older hashes.
  EXPECT_TRUE(make_password_hasher(11)->verify("a long enough password", stored));
}

TEST(PasswordHasherTest, MalformedOrExcessiveStoredStringsFail) {
  const auto hasher = make_password_hasher(8);
  EXPECT_FALSE(hasher->verify("pw", ""));
  EXPECT_FALSE(hasher->verify("pw", "$scrypt$ln=8,r=8,p=1$"));
  EXPECT_FALSE(hasher->verify("pw", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"));
  const std::string salt = base64_encode_unpadded(std::string(16, 's'));
  const std::string hash = base64_encode_unpadded(std::string(32, 'h'));
  // ln=40 would need 2^40 * 1 KiB: refused before any work is done.
  EXPECT_FALSE(hasher->verify("pw", "$scrypt$ln=40,r=8,p=1$" + salt + "$" + hash));
  EXPECT_FALSE(hasher->verify("pw", "$scrypt$ln=8,r=8,p=1$" + salt + "$" + hash));
}

TEST(PasswordHasherTest, ConcurrentHashesAllSucceed) {
  const auto hasher = make_password_hasher(10);
  std::vector<std::thread> threads;
  std::vector<int> ok(6, 0);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      const std::string pw = "password number " + std::to_string(i);
      ok[i] = hasher->verify(pw, hasher->hash(pw)) ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(ok[i], 1) << i;
}

TEST(RandomTest, FillsWithDistinctBytes) {
  const auto random = make_system_random();
  std::vector<std::uint8_t> a(32), b(32);
  random->fill(a);
  random->fill(b);
  EXPECT_NE(a, b);
}

TEST(ConstantTimeEqualTest, ComparesBytes) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace grievance::crypto
