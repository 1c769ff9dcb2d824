#include "server/domain/codes.hpp"

#include <array>
#include <cstdint>

namespace grievance::domain {
namespace {

// Crockford base32: no I, L, O, U, so a reference survives being read out on a phone call.
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string generate_reference(RandomSource& random) {
  std::array<std::uint8_t, 5> bytes{};  // 40 bits
  random.fill(bytes);
  std::uint64_t bits = 0;
  for (auto b : bytes) bits = (bits << 8) | b;
  std::string chars(8, '0');
  for (int i = 7; i >= 0; --i) {
    chars[static_cast<std::size_t>(i)] = kCrockford[bits & 31];
    bits >>= 5;
  }
  return "GRV-" + chars.substr(0, 4) + "-" + chars.substr(4, 4);
}

std::optional<std::string> normalise_reference(std::string_view input) {
  std::string chars;
  for (char c : input) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    chars.push_back(c);
  }
  if (chars.size() == 11 && chars.starts_with("GRV")) chars.erase(0, 3);
  if (chars.size() != 8) return std::nullopt;
  for (auto& c : chars) {
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kCrockford.find(c) == std::string_view::npos) return std::nullopt;
  }
  return "GRV-" + chars.substr(0, 4) + "-" + chars.substr(4, 4);
}

std::string generate_access_code(RandomSource& random) {
  std::string code;
  code.reserve(16);
  while (code.size() < 16) {
    std::array<std::uint8_t, 16> bytes{};
    random.fill(bytes);
    for (auto b : bytes) {
      // Rejection sampling: 250 is the largest multiple of 10 <= 256, so every digit is
      // equally likely.
      if (b < 250 && code.size() < 16) code.push_back(static_cast<char>('0' + b % 10));
    }
  }
  return code;
}

std::optional<std::string> normalise_access_code(std::string_view input) {
  std::string digits;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits.push_back(c);
    if (digits.size() > 16) return std::nullopt;
  }
  if (digits.size() != 16) return std::nullopt;
  return digits;
}

std::string group_access_code(std::string_view d) {
  std::string out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(d[i]);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // volatile: the compiler must not turn the loop into an early-exit comparison.
  volatile unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = diff | static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::string generate_token(RandomSource& random) {
  std::array<std::uint8_t, 33> bytes{};  // 264 bits drawn, 256 used: 43 characters
  random.fill(bytes);
  std::string out;
  for (std::size_t i = 0; i < 33; i += 3) {
    std::uint32_t v =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(kBase64Url[(v >> 18) & 63]);
    out.push_back(kBase64Url[(v >> 12) & 63]);
    out.push_back(kBase64Url[(v >> 6) & 63]);
    out.push_back(kBase64Url[v & 63]);
  }
  out.resize(43);
  return out;
}

}  // namespace grievance::domain
