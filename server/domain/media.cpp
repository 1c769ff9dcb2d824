#include "server/domain/media.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace grievance::domain::media {
namespace {

std::uint8_t u8(const std::string& b, std::size_t i) { return static_cast<std::uint8_t>(b[i]); }
std::uint8_t u8(std::string_view b, std::size_t i) { return static_cast<std::uint8_t>(b[i]); }

bool starts_with(std::string_view b, std::string_view magic, std::size_t at = 0) {
  return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
}

std::uint32_t be32(const std::string& b, std::size_t i) {
  return (std::uint32_t{u8(b, i)} << 24) | (std::uint32_t{u8(b, i + 1)} << 16) |
         (std::uint32_t{u8(b, i + 2)} << 8) | std::uint32_t{u8(b, i + 3)};
}
std::uint32_t le32(const std::string& b, std::size_t i) {
  return (std::uint32_t{u8(b, i + 3)} << 24) | (std::uint32_t{u8(b, i + 2)} << 16) |
         (std::uint32_t{u8(b, i + 1)} << 8) | std::uint32_t{u8(b, i)};
}
void put_le32(std::string& b, std::size_t i, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) b[i + k] = static_cast<char>((v >> (8 * k)) & 0xff);
}

bool is_executable(std::string_view b) {
  static constexpr std::array<std::string_view, 6> kMagic{std::string_view("\x7f"
                                                                           "ELF",
                                                                           4),
                                                          std::string_view("MZ", 2),
                                                          std::string_view("\xfe\xed\xfa\xce", 4),
                                                          std::string_view("\xfe\xed\xfa\xcf", 4),
                                                          std::string_view("\xce\xfa\xed\xfe", 4),
                                                          std::string_view("\xcf\xfa\xed\xfe", 4)};
  for (auto m : kMagic) {
    if (starts_with(b, m)) return true;
  }
  if (starts_with(b, std::string_view("\xca\xfe\xba\xbe", 4))) return true;  // fat Mach-O
  return starts_with(b, "#!") && !starts_with(b, "#!AMR");
}

bool is_mp3_frame(std::string_view b, std::size_t at) {
  if (b.size() < at + 4) return false;
  const auto b0 = u8(b, at), b1 = u8(b, at + 1), b2 = u8(b, at + 2);
  if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) return false;
  if (((b1 >> 3) & 3) == 1) return false;  // reserved MPEG version
  if (((b1 >> 1) & 3) == 0) return false;  // reserved layer
  if ((b2 >> 4) == 15 || (b2 >> 4) == 0) return false;
  return ((b2 >> 2) & 3) != 3;
}

// An MP4 whose handler says video is not a voice recording.
bool has_video_track(std::string_view b) {
  for (std::size_t p = b.find("hdlr"); p != std::string_view::npos; p = b.find("hdlr", p + 1)) {
    if (b.size() >= p + 16 && b.substr(p + 12, 4) == "vide") return true;
  }
  return false;
}

bool is_m4a(std::string_view b) {
  if (!starts_with(b, "ftyp", 4) || b.size() < 12) return false;
  static constexpr std::array<std::string_view, 8> kBrands{"M4A ", "M4B ", "mp41", "mp42",
                                                           "isom", "3gp4", "3gp5", "3gp6"};
  const auto brand = b.substr(8, 4);
  if (std::find(kBrands.begin(), kBrands.end(), brand) == kBrands.end()) return false;
  return !has_video_track(b);
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_nocase(std::string_view hay, std::string_view needle) {
  if (needle.empty() || hay.size() < needle.size()) return false;
  const char first = needle[0];
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (lower(hay[i]) != first) continue;
    std::size_t k = 1;
    while (k < needle.size() && lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// A ZIP reader finds an archive by its end-of-central-directory record near the end, or by a
// local file header; the latter is checked for plausible fields so that compressed image or
// audio data matching four bytes by chance is not taken for one.
bool looks_like_zip(std::string_view b) {
  constexpr std::size_t kEocdWindow = 65535 + 22;
  const std::size_t from = b.size() > kEocdWindow ? b.size() - kEocdWindow : 0;
  if (b.find(std::string_view("PK\x05\x06", 4), from) != std::string_view::npos) return true;
  const std::string_view local("PK\x03\x04", 4);
  for (auto p = b.find(local); p != std::string_view::npos; p = b.find(local, p + 1)) {
    if (b.size() < p + 30) break;
    const auto version = u8(b, p + 4), version_hi = u8(b, p + 5);
    const auto method = u8(b, p + 8), method_hi = u8(b, p + 9);
    const bool known_method =
        method == 0 || method == 8 || method == 9 || method == 12 || method == 14;
    if (version <= 63 && version_hi == 0 && known_method && method_hi == 0) return true;
  }
  return false;
}

// A page a browser would run: a script tag anywhere, or an HTML start where a browser sniffs.
bool looks_like_html(std::string_view b) {
  if (contains_nocase(b, "<script") || contains_nocase(b, "<iframe")) return true;
  const auto head = b.substr(0, std::min<std::size_t>(b.size(), 1024));
  return contains_nocase(head, "<html") || contains_nocase(head, "<?php") ||
         contains_nocase(head, "<!doctype");
}

bool pdf_delimiter(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0' || c == '(' ||
         c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' ||
         c == '/' || c == '%';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A PDF that runs something, launches a program or carries files of its own.
bool pdf_has_actions(std::string_view b) {
  static constexpr std::array<std::string_view, 8> kNames{
      "JavaScript",    "JS",        "Launch", "EmbeddedFile",
      "EmbeddedFiles", "RichMedia", "XFA",    "SubmitForm"};
  std::string name;
  for (std::size_t i = b.find('/'); i != std::string_view::npos; i = b.find('/', i)) {
    ++i;
    name.clear();
    while (i < b.size() && !pdf_delimiter(b[i]) && name.size() < 32) {
      if (b[i] == '#' && i + 2 < b.size() && hex_value(b[i + 1]) >= 0 && hex_value(b[i + 2]) >= 0) {
        name += static_cast<char>(hex_value(b[i + 1]) * 16 + hex_value(b[i + 2]));
        i += 3;
      } else {
        name += b[i++];
      }
    }
    if (std::find(kNames.begin(), kNames.end(), name) != kNames.end()) return true;
  }
  return false;
}

// JPEG (ITU T.81 annex B): keep what a decoder needs - the JFIF header without its thumbnail,
// an ICC profile, the Adobe colour transform, tables, frames and scans - drop APP1 (EXIF, XMP),
// APP2 other than ICC (MPF: more pictures), APP3..APP13 (IPTC, Photoshop), APP15, COM, and
// everything after EOI.
bool strip_jpeg(std::string& b, bool& removed) {
  const std::size_t n = b.size();
  if (n < 4 || u8(b, 0) != 0xFF || u8(b, 1) != 0xD8) return false;
  std::size_t r = 2, w = 2;
  bool frame = false, scan = false;
  while (true) {
    if (r >= n || u8(b, r) != 0xFF) return false;
    while (r < n && u8(b, r) == 0xFF) ++r;  // fill bytes
    if (r >= n) return false;
    const std::uint8_t m = u8(b, r++);
    if (m == 0xD9) {  // EOI
      if (!frame || !scan) return false;
      b[w++] = '\xFF';
      b[w++] = '\xD9';
      if (r < n) removed = true;
      b.resize(w);
      return true;
    }
    if (m == 0x00 || m == 0xD8) return false;
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // standalone markers
      b[w++] = '\xFF';
      b[w++] = static_cast<char>(m);
      continue;
    }
    if (r + 2 > n) return false;
    const std::size_t len = (std::size_t{u8(b, r)} << 8) | u8(b, r + 1);
    if (len < 2 || r + len > n) return false;
    const std::string_view payload(b.data() + r + 2, len - 2);
    bool keep = true;
    std::size_t keep_len = len;
    if (m == 0xE0) {
      keep = starts_with(payload, std::string_view("JFIF\0", 5)) && payload.size() >= 14;
      if (keep && (payload.size() > 14 || payload[12] != 0 || payload[13] != 0)) {
        keep_len = 16;  // the header without the thumbnail
        removed = true;
      }
    } else if (m == 0xE2) {
      keep = starts_with(payload, std::string_view("ICC_PROFILE\0", 12));
    } else if (m == 0xEE) {
      keep = starts_with(payload, "Adobe");
    } else if ((m >= 0xE1 && m <= 0xEF) || m == 0xFE) {
      keep = false;
    }
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) frame = true;
    if (keep) {
      b[w++] = '\xFF';
      b[w++] = static_cast<char>(m);
      std::memmove(b.data() + w, b.data() + r, keep_len);
      if (keep_len != len) {
        b[w] = static_cast<char>(keep_len >> 8);
        b[w + 1] = static_cast<char>(keep_len & 0xff);
        b[w + 2 + 12] = 0;  // no thumbnail
        b[w + 2 + 13] = 0;
      }
      w += keep_len;
    } else {
      removed = true;
    }
    r += len;
    if (m == 0xDA) {  // SOS: entropy-coded data up to the next marker
      if (!frame) return false;
      scan = true;
      while (r < n) {
        if (u8(b, r) != 0xFF) {
          b[w++] = b[r++];
          continue;
        }
        if (r + 1 >= n) return false;
        const auto next = u8(b, r + 1);
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
          b[w++] = b[r++];
          b[w++] = b[r++];
          continue;
        }
        break;  // a marker: back to the segment loop
      }
    }
  }
}

// PNG: the chunks that render the picture; tEXt/zTXt/iTXt, eXIf, tIME and every unknown
// (private) chunk are dropped, and everything after IEND.
bool strip_png(std::string& b, bool& removed) {
  static constexpr std::array<std::string_view, 19> kKeep{
      "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB",
      "cICP", "mDCv", "cLLi", "bKGD", "hIST", "pHYs", "acTL", "fcTL", "fdAT"};
  const std::size_t n = b.size();
  std::size_t r = 8, w = 8;
  bool first = true, image = false;
  while (true) {
    if (r + 12 > n) return false;
    const std::size_t len = be32(b, r);
    if (len > 0x7fffffff || r + 12 + len > n) return false;
    const std::string type = b.substr(r + 4, 4);
    if (first && type != "IHDR") return false;
    first = false;
    if (type == "IDAT") image = true;
    const bool keep = std::find(kKeep.begin(), kKeep.end(), type) != kKeep.end();
    if (keep) {
      std::memmove(b.data() + w, b.data() + r, 12 + len);
      w += 12 + len;
    } else {
      removed = true;
    }
    r += 12 + len;
    if (type == "IEND") {
      if (!image) return false;
      if (r < n) removed = true;
      b.resize(w);
      return true;
    }
  }
}

// WebP (RIFF): drop the EXIF and XMP chunks and every unknown chunk, clear their flags in
// VP8X, drop what follows the RIFF size, and write the new size.
bool strip_webp(std::string& b, bool& removed) {
  static constexpr std::array<std::string_view, 7> kKeep{"VP8 ", "VP8L", "VP8X", "ALPH",
                                                         "ANIM", "ANMF", "ICCP"};
  const std::size_t n = b.size();
  if (n < 12) return false;
  const std::size_t riff_end = std::size_t{le32(b, 4)} + 8;
  if (riff_end > n || riff_end < 12) return false;
  if (riff_end < n) removed = true;
  std::size_t r = 12, w = 12;
  std::optional<std::size_t> vp8x;
  bool image = false;
  while (r < riff_end) {
    if (r + 8 > riff_end) return false;
    const std::string type = b.substr(r, 4);
    const std::size_t size = le32(b, r + 4);
    const std::size_t total = 8 + size + (size & 1);
    if (total > riff_end - r) return false;
    const bool keep = std::find(kKeep.begin(), kKeep.end(), type) != kKeep.end();
    if (type == "VP8 " || type == "VP8L" || type == "ANMF") image = true;
    if (keep) {
      if (type == "VP8X") {
        if (size < 10) return false;
        vp8x = w;
      }
      std::memmove(b.data() + w, b.data() + r, total);
      w += total;
    } else {
      removed = true;
    }
    r += total;
  }
  if (!image) return false;
  if (vp8x) {
    const auto flags = u8(b, *vp8x + 8);
    if (flags & 0x0C) removed = true;
    b[*vp8x + 8] = static_cast<char>(flags & ~0x0C);  // EXIF (0x08) and XMP (0x04) flags
  }
  b.resize(w);
  put_le32(b, 4, static_cast<std::uint32_t>(w - 8));
  return true;
}

// MP3: leading ID3v2 tags (artist, comments, pictures) and a trailing ID3v1 tag go.
bool strip_mp3(std::string& b, bool& removed) {
  while (starts_with(b, "ID3")) {
    if (b.size() < 10) return false;
    std::size_t size = 0;
    for (int k = 6; k < 10; ++k) {
      if (u8(b, k) & 0x80) return false;  // not syncsafe
      size = (size << 7) | u8(b, k);
    }
    std::size_t total = 10 + size + ((u8(b, 5) & 0x10) ? 10 : 0);
    if (total > b.size()) return false;
    b.erase(0, total);
    removed = true;
  }
  if (!is_mp3_frame(b, 0)) return false;
  if (b.size() >= 128 && std::string_view(b).substr(b.size() - 128, 3) == "TAG") {
    b.resize(b.size() - 128);
    removed = true;
  }
  return true;
}

}  // namespace

std::string_view mime_type(MediaType t) {
  switch (t) {
    case MediaType::kJpeg:
      return "image/jpeg";
    case MediaType::kPng:
      return "image/png";
    case MediaType::kWebp:
      return "image/webp";
    case MediaType::kPdf:
      return "application/pdf";
    case MediaType::kMp3:
      return "audio/mpeg";
    case MediaType::kOgg:
      return "audio/ogg";
    case MediaType::kM4a:
      return "audio/mp4";
    case MediaType::kAmr:
      return "audio/amr";
  }
  return "application/octet-stream";
}

std::string_view extension(MediaType t) {
  switch (t) {
    case MediaType::kJpeg:
      return "jpg";
    case MediaType::kPng:
      return "png";
    case MediaType::kWebp:
      return "webp";
    case MediaType::kPdf:
      return "pdf";
    case MediaType::kMp3:
      return "mp3";
    case MediaType::kOgg:
      return "ogg";
    case MediaType::kM4a:
      return "m4a";
    case MediaType::kAmr:
      return "amr";
  }
  return "bin";
}

bool is_image(MediaType t) {
  return t == MediaType::kJpeg || t == MediaType::kPng || t == MediaType::kWebp;
}

std::string_view refusal_message(Refusal r) {
  switch (r) {
    case Refusal::kUnknownType:
      return "Only photos (JPEG, PNG, WebP), PDF and voice recordings (MP3, OGG, M4A, AMR) are "
             "accepted.";
    case Refusal::kExecutable:
      return "This file is a program, not a photo, document or recording.";
    case Refusal::kPolyglot:
      return "This file also contains an archive, a web page or PDF actions; it is not accepted.";
    case Refusal::kMalformed:
      return "This file is damaged or not what its content claims.";
  }
  return "";
}

Detection detect(std::string_view b) {
  Detection d;
  if (is_executable(b)) {
    d.executable = true;
    return d;
  }
  if (starts_with(b, std::string_view("\xFF\xD8\xFF", 3))) {
    d.type = MediaType::kJpeg;
  } else if (starts_with(b, std::string_view("\x89PNG\r\n\x1a\n", 8))) {
    d.type = MediaType::kPng;
  } else if (starts_with(b, "RIFF") && starts_with(b, "WEBP", 8)) {
    d.type = MediaType::kWebp;
  } else if (starts_with(b, "%PDF-")) {
    d.type = MediaType::kPdf;
  } else if (starts_with(b, "ID3") || is_mp3_frame(b, 0)) {
    d.type = MediaType::kMp3;
  } else if (starts_with(b, "OggS")) {
    d.type = MediaType::kOgg;
  } else if (is_m4a(b)) {
    d.type = MediaType::kM4a;
  } else if (starts_with(b, "#!AMR\n") || starts_with(b, "#!AMR-WB\n")) {
    d.type = MediaType::kAmr;
  }
  return d;
}

Outcome clean(std::string& bytes) {
  Outcome out;
  const Detection d = detect(bytes);
  if (d.executable) {
    out.refusal = Refusal::kExecutable;
    return out;
  }
  if (!d.type) {
    out.refusal = Refusal::kUnknownType;
    return out;
  }
  if (looks_like_zip(bytes) || looks_like_html(bytes) ||
      (*d.type == MediaType::kPdf && pdf_has_actions(bytes))) {
    out.refusal = Refusal::kPolyglot;
    return out;
  }
  bool removed = false;
  bool ok = true;
  switch (*d.type) {
    case MediaType::kJpeg:
      ok = strip_jpeg(bytes, removed);
      break;
    case MediaType::kPng:
      ok = strip_png(bytes, removed);
      break;
    case MediaType::kWebp:
      ok = strip_webp(bytes, removed);
      break;
    case MediaType::kMp3:
      ok = strip_mp3(bytes, removed);
      break;
    default:
      break;
  }
  if (!ok) {
    out.refusal = Refusal::kMalformed;
    return out;
  }
  out.cleaned = Cleaned{*d.type, removed};
  return out;
}

namespace {

// The length of a valid UTF-8 sequence starting at s[i] (0: invalid).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = u8(s, i);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((u8(s, i + k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

std::string sanitise_file_name(std::string_view name, MediaType type) {
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  if (const auto dot = name.find_last_of('.'); dot != std::string_view::npos && dot > 0) {
    name = name.substr(0, dot);
  }
  std::string out;
  const std::string_view ext = extension(type);
  const std::size_t max_stem = 100 - ext.size() - 1;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t len = utf8_length(name, i);
    std::string_view piece = len == 0 ? std::string_view("_") : name.substr(i, len);
    if (len == 1) {
      const char c = name[i];
      const bool bad = static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\' ||
                       c == '/' || c == ';' || c == '%' || c == '*' || c == '<' || c == '>' ||
                       c == '|' || c == ':' || c == '?';
      if (bad) piece = "_";
    }
    if (out.size() + piece.size() > max_stem) break;
    out += piece;
    i += len == 0 ? 1 : len;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) out = "evidence";
  out += '.';
  out += ext;
  return out;
}

}  // namespace grievance::domain::media
