#include "server/domain/codes.hpp"

#include <gtest/gtest.h>

#include <set>

#include "support/fakes.hpp"

namespace grievance::domain {
namespace {

TEST(Reference, FormatIsGrvAndEightCrockfordCharacters) {
  testing::SeededRandom random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto ref = generate_reference(random);
    ASSERT_EQ(ref.size(), 13u);
    EXPECT_EQ(ref.substr(0, 4), "GRV-");
    EXPECT_EQ(ref[8], '-');
    for (char c : ref.substr(4)) {
      if (c == '-') continue;
      EXPECT_NE(std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c), std::string::npos) << ref;
    }
    seen.insert(ref);
  }
  EXPECT_EQ(seen.size(), 2000u) << "40 random bits: no collisions expected in 2000";
}

TEST(Reference, NormalisesWhatPeopleType) {
  EXPECT_EQ(normalise_reference("GRV-7KQ2-M9XD"), "GRV-7KQ2-M9XD");
  EXPECT_EQ(normalise_reference("grv 7kq2 m9xd"), "GRV-7KQ2-M9XD");
  EXPECT_EQ(normalise_reference("7KQ2M9XD"), "GRV-7KQ2-M9XD");
  EXPECT_EQ(normalise_reference("GRV-7KQ2-M9XO"), "GRV-7KQ2-M9X0");  // O read as zero
  EXPECT_EQ(normalise_reference("GRV-7KQ2-M9XL"), "GRV-7KQ2-M9X1");
  EXPECT_FALSE(normalise_reference("GRV-7KQ2-M9XU"));  // U is not Crockford
  EXPECT_FALSE(normalise_reference("GRV-7KQ2-M9X"));
  EXPECT_FALSE(normalise_reference("../../etc/passwd"));
  EXPECT_FALSE(normalise_reference(""));
}

TEST(AccessCode, SixteenUniformDigits) {
  testing::SeededRandom random(11);
  std::array<int, 10> counts{};
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    auto code = generate_access_code(random);
    ASSERT_EQ(code.size(), 16u);
    for (char c : code) {
      ASSERT_TRUE(c >= '0' && c <= '9');
      counts[static_cast<std::size_t>(c - '0')]++;
    }
  }
  // 80,000 digits: each expected 8,000; a fair generator stays well within +-5%.
  for (int c : counts) {
    EXPECT_GT(c, 7600);
    EXPECT_LT(c, 8400);
  }
}

TEST(AccessCode, AcceptsSpacesAndDashes) {
  EXPECT_EQ(normalise_access_code("1234 5678 9012 3456"), "1234567890123456");
  EXPECT_EQ(normalise_access_code("1234-5678-9012-3456"), "1234567890123456");
  EXPECT_EQ(normalise_access_code("1234567890123456"), "1234567890123456");
  EXPECT_FALSE(normalise_access_code("123456789012345"));
  EXPECT_FALSE(normalise_access_code("12345678901234567"));
  EXPECT_FALSE(normalise_access_code("1234 5678 9012 345a"));
  EXPECT_EQ(group_access_code("1234567890123456"), "1234 5678 9012 3456");
}

TEST(Token, Is43Base64UrlCharacters) {
  testing::SeededRandom random(3);
  auto a = generate_token(random), b = generate_token(random);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
}

}  // namespace
}  // namespace grievance::domain
