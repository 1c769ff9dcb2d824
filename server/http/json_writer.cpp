#include "server/http/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace grievance::http {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// At the start of `s` (lead byte >= 0x80): how many bytes form a well-formed UTF-8 sequence
// (`valid`), or else how many bytes make up its maximal subpart - the longest prefix that could
// still have begun one - which is replaced by ONE U+FFFD (Unicode's recommended practice, as
// nlohmann's replace handler does).
struct Utf8Step {
  std::size_t length;
  bool valid;
};
Utf8Step utf8_step(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;  // no overlongs
    if (c == 0xed) hi = 0x9f;  // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;  // no overlongs
    if (c == 0xf4) hi = 0x8f;  // nothing above U+10FFFF
  } else {
    return {1, false};
  }
  std::size_t k = 1;
  for (; k < n && k < s.size(); ++k) {
    const auto b = static_cast<unsigned char>(s[k]);
    const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xbf;
    if (b < min || b > max) break;
  }
  return {k, k == n};
}

}  // namespace

// Bytes that end a run copied as it is: control characters, '"', '\\' and every non-ASCII
// byte (checked as UTF-8).
constexpr auto kSpecial = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return t;
}();

JsonWriter::JsonWriter(std::string& out) : out_(out) {
  const std::size_t used = out_.size();
  const std::size_t size = std::max(out_.capacity(), used + 1024);
  // The bytes past `used` are written before they are read: no need to zero them.
  out_.resize_and_overwrite(size, [](char*, std::size_t n) { return n; });
  pos_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

JsonWriter::~JsonWriter() { out_.resize(static_cast<std::size_t>(pos_ - out_.data())); }

void JsonWriter::grow(std::size_t n) {
  const std::size_t used = static_cast<std::size_t>(pos_ - out_.data());
  const std::size_t size = std::max(out_.size() * 2, used + n + 256);
  out_.resize_and_overwrite(size, [](char*, std::size_t k) { return k; });
  pos_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

namespace {

// True when any of the 8 bytes of `x` is special (kSpecial): a control character, '"', '\\'
// or non-ASCII. Word-at-a-time (the "haszero"/"hasless" bit tricks): exact for "any".
bool any_special(std::uint64_t x) {
  constexpr std::uint64_t k01 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
  const std::uint64_t below_space = (x - k01 * 0x20) & ~x & k80;
  const std::uint64_t q = x ^ (k01 * '"'), b = x ^ (k01 * '\\');
  const std::uint64_t quote = (q - k01) & ~q & k80, backslash = (b - k01) & ~b & k80;
  return ((below_space | quote | backslash | (x & k80))) != 0;
}

// Writes `s` as a JSON string literal at `out`, which has room for 6 * s.size() + 2 bytes (the
// longest escape, \u00XX, is six bytes per input byte); returns the end of what it wrote.
char* write_json_string(char* out, std::string_view s) {
  const auto put = [&](std::string_view bytes) {
    std::memcpy(out, bytes.data(), bytes.size());
    out += bytes.size();
  };
  *out++ = '"';
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < s.size();) {
    if (i + 8 <= s.size()) {  // most text is plain ASCII: skip it 8 bytes at a time
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, sizeof word);
      if (!any_special(word)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kSpecial[c]) {
      ++i;
      continue;
    }
    std::size_t skip = 1;
    if (c >= 0x80) {
      const Utf8Step step = utf8_step(s.substr(i));
      if (step.valid) {
        i += step.length;
        continue;
      }
      skip = step.length;
    }
    put(s.substr(plain, i - plain));
    switch (c) {
      case '"':
        put("\\\"");
        break;
      case '\\':
        put("\\\\");
        break;
      case '\n':
        put("\\n");
        break;
      case '\r':
        put("\\r");
        break;
      case '\t':
        put("\\t");
        break;
      case '\b':
        put("\\b");
        break;
      case '\f':
        put("\\f");
        break;
      default:
        if (c < 0x20) {
          const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          put(std::string_view(escaped, sizeof escaped));
        } else {
          put("\xef\xbf\xbd");  // U+FFFD for the maximal subpart of an invalid sequence
        }
    }
    i += skip;
    plain = i;
  }
  put(s.substr(plain));
  *out++ = '"';
  return out;
}

}  // namespace

void JsonWriter::string(std::string_view s) {
  pos_ = write_json_string(reserve(6 * s.size() + 2), s);
}

void append_json_string(std::string& out, std::string_view s) {
  const std::size_t used = out.size();
  out.resize_and_overwrite(used + 6 * s.size() + 2, [&](char* data, std::size_t) {
    return static_cast<std::size_t>(write_json_string(data + used, s) - data);
  });
}

JsonWriter& JsonWriter::value(std::string_view s) {
  separate();
  string(s);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
  separate();
  char* p = reserve(24);
  pos_ = std::to_chars(p, p + 24, v).ptr;
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t v) {
  separate();
  char* p = reserve(24);
  pos_ = std::to_chars(p, p + 24, v).ptr;
  return *this;
}

}  // namespace grievance::http
