#include "server/http/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

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

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < s.size();) {
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
    out.append(s.substr(plain, i - plain));
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out += "\xef\xbf\xbd";  // U+FFFD for the maximal subpart of an invalid sequence
        }
    }
    i += skip;
    plain = i;
  }
  out.append(s.substr(plain));
  out.push_back('"');
}

void JsonWriter::separate() {
  if (!first_) out_.push_back(',');
  first_ = false;
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  // Member names are the program's own identifiers ([a-z_0-9]): written without escaping;
  // anything else still goes through the escaping path.
  if (std::all_of(name.begin(), name.end(),
                  [](char c) { return !kSpecial[static_cast<unsigned char>(c)]; })) {
    out_.push_back('"');
    out_.append(name);
    out_ += "\":";
  } else {
    append_json_string(out_, name);
    out_.push_back(':');
  }
  first_ = true;  // the value that follows takes no comma
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  separate();
  append_json_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
  separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t v) {
  separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::value(bool v) {
  separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_.append(json);
  return *this;
}

}  // namespace grievance::http
