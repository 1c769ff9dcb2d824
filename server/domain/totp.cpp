#include "server/domain/totp.hpp"

#include <array>
#include <cctype>

#include "server/domain/codes.hpp"

namespace grievance::domain {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::int64_t totp_step(TimePoint t, const TotpParams& p) {
  const auto seconds = t.time_since_epoch().count();
  const auto step = p.step.count() > 0 ? p.step.count() : 30;
  return seconds >= 0 ? seconds / step : -((-seconds + step - 1) / step);
}

std::string totp_code(const Crypto& crypto, std::string_view secret, std::int64_t step,
                      const TotpParams& p) {
  // RFC 4226 section 5.3: HMAC over the 8-byte big-endian counter, dynamic truncation.
  std::array<char, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  const std::string mac = crypto.hmac(p.hash, secret, std::string_view(counter.data(), 8));
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(mac[i]));
  };
  const std::size_t offset = byte(mac.size() - 1) & 0x0f;
  const std::uint32_t binary = ((byte(offset) & 0x7f) << 24) | (byte(offset + 1) << 16) |
                               (byte(offset + 2) << 8) | byte(offset + 3);
  const int digits = p.digits < 6 ? 6 : p.digits > 8 ? 8 : p.digits;
  std::uint32_t modulo = 1;
  for (int i = 0; i < digits; ++i) modulo *= 10;
  std::string code = std::to_string(binary % modulo);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> match_totp(const Crypto& crypto, std::string_view secret,
                                       std::string_view code, TimePoint now, const TotpParams& p) {
  std::string digits;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits.push_back(c);
  }
  if (secret.empty() || static_cast<int>(digits.size()) != p.digits) return std::nullopt;
  const std::int64_t current = totp_step(now, p);
  std::optional<std::int64_t> matched;
  // Every candidate is computed and compared, so timing does not tell which step matched.
  for (std::int64_t step = current - p.window; step <= current + p.window; ++step) {
    if (constant_time_equal(totp_code(crypto, secret, step, p), digits) && !matched) {
      matched = step;
    }
  }
  return matched;
}

std::string base32_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    if (raw == ' ' || raw == '=') continue;
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    const auto pos = kBase32.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(pos);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
         "?secret=" + base32_encode(secret) + "&issuer=" + percent_encode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace grievance::domain
