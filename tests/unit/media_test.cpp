// Evidence files checked by content (docs/security.md "Attachments"): the magic-byte allow-list,
// executables and polyglots refused, and identifying metadata removed from JPEG (a real photo
// with GPS EXIF: tests/fixtures/gps_photo.jpg), PNG, WebP and MP3 - checked by parsing the result.
#include "server/domain/media.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace grievance::domain::media {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(GRIEVANCE_SOURCE_DIR) + "/tests/fixtures/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

struct JpegSegment {
  int marker;
  std::string payload;  // for SOS: the header followed by the entropy-coded data
};

// A strict JPEG walker: SOI, segments with valid lengths, scans up to the next marker, EOI as
// the last two bytes. Returns nullopt when the structure is broken.
std::optional<std::vector<JpegSegment>> parse_jpeg(const std::string& b) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  std::vector<JpegSegment> out;
  std::size_t i = 2;
  while (i + 1 < b.size()) {
    if (byte(i) != 0xFF) return std::nullopt;
    const int m = byte(i + 1);
    i += 2;
    if (m == 0xD9) {
      if (i != b.size()) return std::nullopt;  // EOI is the end
      out.push_back({m, ""});
      return out;
    }
    if (i + 2 > b.size()) return std::nullopt;
    const std::size_t len = (std::size_t{byte(i)} << 8) | byte(i + 1);
    if (len < 2 || i + len > b.size()) return std::nullopt;
    JpegSegment s{m, b.substr(i + 2, len - 2)};
    i += len;
    if (m == 0xDA) {
      const std::size_t start = i;
      while (i + 1 < b.size() && !(byte(i) == 0xFF && byte(i + 1) != 0 &&
                                   !(byte(i + 1) >= 0xD0 && byte(i + 1) <= 0xD7)))
        ++i;
      s.payload += b.substr(start, i - start);
    }
    out.push_back(std::move(s));
  }
  return std::nullopt;
}

std::vector<JpegSegment> image_segments(const std::vector<JpegSegment>& all) {
  std::vector<JpegSegment> out;
  for (const auto& s : all) {
    if (s.marker == 0xDB || s.marker == 0xC4 || s.marker == 0xC0 || s.marker == 0xC2 ||
        s.marker == 0xDA || s.marker == 0xDD)
      out.push_back(s);
  }
  return out;
}

TEST(Media, TheGpsPhotoFixtureCarriesWhatAPhoneWrites) {
  const std::string photo = read_fixture("gps_photo.jpg");
  ASSERT_FALSE(photo.empty());
  auto segments = parse_jpeg(photo);
  ASSERT_TRUE(segments);
  bool gps_ifd = false;
  for (const auto& s : *segments) {
    // IFD0 entry 0x8825 (GPSInfo) in the big-endian TIFF of the EXIF APP1
    if (s.marker == 0xE1 && s.payload.starts_with(std::string("Exif\0\0", 6)))
      gps_ifd = s.payload.find(std::string("\x88\x25\x00\x04", 4)) != std::string::npos;
  }
  EXPECT_TRUE(gps_ifd);
  EXPECT_NE(photo.find("R58T12345678"), std::string::npos);  // the camera serial
}

TEST(Media, AJpegWithGpsExifComesBackWithoutAnyMetadataAndStillDecodes) {
  const std::string original = read_fixture("gps_photo.jpg");
  std::string photo = original;
  const Outcome out = clean(photo);
  ASSERT_TRUE(out.cleaned);
  EXPECT_EQ(out.cleaned->type, MediaType::kJpeg);
  EXPECT_TRUE(out.cleaned->metadata_removed);

  auto after = parse_jpeg(photo);
  ASSERT_TRUE(after) << "the cleaned file is not a well-formed JPEG";
  for (const auto& s : *after) {
    EXPECT_NE(s.marker, 0xE1) << "an APP1 (EXIF or XMP) remains";
    EXPECT_NE(s.marker, 0xED) << "an APP13 (IPTC) remains";
    EXPECT_NE(s.marker, 0xFE) << "a comment remains";
  }
  for (const char* leak : {"Exif", "GPS", "Samsung", "SM-A135F", "Siti", "R58T12345678", "xmpmeta",
                           "Photoshop", "106,50"}) {
    EXPECT_EQ(photo.find(leak), std::string::npos) << leak;
  }
  // Still the same picture: every table, frame and scan byte for byte, and the ICC profile.
  auto before = parse_jpeg(original);
  ASSERT_TRUE(before);
  const auto a = image_segments(*before), b = image_segments(*after);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].marker, b[i].marker);
    EXPECT_EQ(a[i].payload, b[i].payload);
  }
  EXPECT_NE(photo.find("ICC_PROFILE"), std::string::npos);
  EXPECT_LT(photo.size(), original.size());
}

TEST(Media, AJfifThumbnailAndDataAfterEoiAreDropped) {
  std::string photo = read_fixture("gps_photo.jpg");
  // A JFIF APP0 with a 1x1 thumbnail, and a trailer after EOI (where some phones hide more).
  const std::string jfif("\xFF\xE0\x00\x13JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x01\x01\xAA\xBB\xCC",
                         21);
  photo.insert(2, jfif);
  photo += "trailing bytes after EOI";
  ASSERT_TRUE(clean(photo).cleaned);
  auto after = parse_jpeg(photo);
  ASSERT_TRUE(after);
  for (const auto& s : *after) {
    if (s.marker == 0xE0) {
      ASSERT_EQ(s.payload.size(), 14u);
      EXPECT_EQ(s.payload[12], 0);
      EXPECT_EQ(s.payload[13], 0);
    }
  }
  EXPECT_EQ(photo.find("trailing"), std::string::npos);
}

TEST(Media, ATruncatedJpegIsRefusedAsMalformed) {
  std::string photo = read_fixture("gps_photo.jpg");
  photo.resize(photo.size() / 2);
  EXPECT_EQ(clean(photo).refusal, Refusal::kMalformed);
}

// ---- PNG ------------------------------------------------------------------------------------

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}
std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(0);  // CRC unchecked
}
std::string png_with(const std::vector<std::string>& extra) {
  std::string p("\x89PNG\r\n\x1a\n", 8);
  p += png_chunk("IHDR", std::string("\0\0\0\1\0\0\0\1\x08\x02\0\0\0", 13));
  for (const auto& c : extra) p += c;
  p += png_chunk("IDAT", std::string("\x78\x9c\x63\x60\x60\x60\0\0\0\x04\0\x01", 12));
  p += png_chunk("IEND", "");
  return p;
}
std::vector<std::string> png_chunk_types(const std::string& p) {
  std::vector<std::string> out;
  for (std::size_t i = 8; i + 12 <= p.size();) {
    const std::size_t len = (std::size_t{static_cast<unsigned char>(p[i])} << 24) |
                            (std::size_t{static_cast<unsigned char>(p[i + 1])} << 16) |
                            (std::size_t{static_cast<unsigned char>(p[i + 2])} << 8) |
                            static_cast<unsigned char>(p[i + 3]);
    out.push_back(p.substr(i + 4, 4));
    i += 12 + len;
  }
  return out;
}

TEST(Media, PngLosesTextExifAndTimeChunksAndKeepsWhatRenders) {
  std::string png = png_with({png_chunk("sRGB", std::string(1, '\0')),
                              png_chunk("eXIf", "MM\0*GPS"), png_chunk("tEXt", "Author\0Siti"),
                              png_chunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"),
                              png_chunk("zTXt", "Comment\0\0x"), png_chunk("tIME", "1234567"),
                              png_chunk("prVt", "private")});
  png += "after IEND";
  const Outcome out = clean(png);
  ASSERT_TRUE(out.cleaned);
  EXPECT_EQ(out.cleaned->type, MediaType::kPng);
  EXPECT_TRUE(out.cleaned->metadata_removed);
  EXPECT_EQ(png_chunk_types(png), (std::vector<std::string>{"IHDR", "sRGB", "IDAT", "IEND"}));
  EXPECT_EQ(png.find("Siti"), std::string::npos);
}

TEST(Media, APngWithoutMetadataIsUnchanged) {
  std::string png = png_with({});
  const std::string original = png;
  const Outcome out = clean(png);
  ASSERT_TRUE(out.cleaned);
  EXPECT_FALSE(out.cleaned->metadata_removed);
  EXPECT_EQ(png, original);
}

// ---- WebP -----------------------------------------------------------------------------------

std::string le32(std::uint32_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
          static_cast<char>(v >> 24)};
}
std::string riff_chunk(const std::string& type, const std::string& data) {
  std::string c = type + le32(static_cast<std::uint32_t>(data.size())) + data;
  if (data.size() % 2) c += '\0';
  return c;
}

TEST(Media, WebpLosesExifAndXmpChunksAndTheirFlagsAndTheRiffSizeIsRight) {
  // VP8X flags: EXIF (0x08) and XMP (0x04) set; a 1x1 canvas.
  const std::string vp8x = riff_chunk("VP8X", std::string("\x0C\0\0\0\0\0\0\0\0\0", 10));
  const std::string body = "WEBP" + vp8x + riff_chunk("VP8L", std::string("\x2f\0\0\0\0", 5)) +
                           riff_chunk("EXIF", "MM\0*GPS Siti") +
                           riff_chunk("XMP ", "<x:xmpmeta>Siti</x:xmpmeta>");
  std::string webp = "RIFF" + le32(static_cast<std::uint32_t>(body.size())) + body + "trailer";
  const Outcome out = clean(webp);
  ASSERT_TRUE(out.cleaned);
  EXPECT_EQ(out.cleaned->type, MediaType::kWebp);
  EXPECT_TRUE(out.cleaned->metadata_removed);
  EXPECT_EQ(webp.find("Siti"), std::string::npos);
  EXPECT_EQ(webp.find("EXIF"), std::string::npos);
  EXPECT_EQ(webp.find("trailer"), std::string::npos);
  const std::uint32_t riff = static_cast<unsigned char>(webp[4]) |
                             (static_cast<unsigned char>(webp[5]) << 8) |
                             (static_cast<unsigned char>(webp[6]) << 16);
  EXPECT_EQ(riff + 8, webp.size());
  EXPECT_EQ(webp[20] & 0x0C, 0) << "VP8X still announces EXIF/XMP";
}

// ---- the allow-list, executables, polyglots ---------------------------------------------------

TEST(Media, TypesComeFromContentNeverFromTheName) {
  EXPECT_EQ(detect(std::string("%PDF-1.7\n", 9)).type, MediaType::kPdf);
  EXPECT_EQ(detect(std::string("OggS\0\x02", 6)).type, MediaType::kOgg);
  EXPECT_EQ(detect("#!AMR\n\x3c").type, MediaType::kAmr);
  EXPECT_EQ(detect("#!AMR-WB\n").type, MediaType::kAmr);
  EXPECT_EQ(detect(std::string("ID3\x04\0\0\0\0\0\0", 10)).type, MediaType::kMp3);
  EXPECT_EQ(detect(std::string("\xFF\xFB\x90\x64\0\0", 6)).type, MediaType::kMp3);
  EXPECT_EQ(detect(std::string("\0\0\0\x20"
                               "ftypM4A \0\0\0\0",
                               16))
                .type,
            MediaType::kM4a);
  EXPECT_FALSE(detect("GIF89a").type);
  EXPECT_FALSE(detect("<svg xmlns='http://www.w3.org/2000/svg'/>").type);
  EXPECT_FALSE(detect("hello, plain text").type);
  // An MP4 with a video track is not a voice recording.
  EXPECT_FALSE(detect(std::string("\0\0\0\x20"
                                  "ftypisom\0\0\0\0",
                                  16) +
                      std::string("\0\0\0\x21hdlr\0\0\0\0\0\0\0\0vide", 20))
                   .type);
}

TEST(Media, ARenamedExecutableIsRefused) {
  for (std::string program :
       {std::string("\x7f"
                    "ELF\x02\x01\x01\0",
                    8),
        std::string("MZ\x90\0\x03\0\0\0", 8), std::string("#!/bin/sh\nrm -rf ~\n"),
        std::string("\xcf\xfa\xed\xfe\x07\0\0\x01", 8)}) {
    EXPECT_EQ(clean(program).refusal, Refusal::kExecutable);
  }
}

TEST(Media, AJpegThatIsAlsoAZipArchiveIsRefused) {
  std::string photo = read_fixture("gps_photo.jpg");
  // A ZIP appended after EOI: local file header + end of central directory.
  photo += std::string("PK\x03\x04\x14\0\0\0\x08\0", 10) + std::string(20, '\0') + "evil.html";
  photo += std::string("PK\x05\x06", 4) + std::string(18, '\0');
  EXPECT_EQ(clean(photo).refusal, Refusal::kPolyglot);
}

TEST(Media, AFileWithAZipEndRecordNearItsEndIsRefused) {
  std::string pdf = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
  pdf += std::string("PK\x05\x06", 4) + std::string(18, '\0');
  EXPECT_EQ(clean(pdf).refusal, Refusal::kPolyglot);
}

TEST(Media, APdfWithJavaScriptLaunchOrEmbeddedFilesIsRefusedEvenWhenTheNameIsEscaped) {
  for (const char* action :
       {"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        "/AA << /O << /S /Launch /F (cmd.exe) >> >>", "/Names << /EmbeddedFiles 2 0 R >>",
        "/S /J#61vaScript", "/Type /Filespec /EF << /F 3 0 R >> /EmbeddedFile"}) {
    std::string pdf = std::string("%PDF-1.7\n1 0 obj << ") + action + " >> endobj\n%%EOF\n";
    EXPECT_EQ(clean(pdf).refusal, Refusal::kPolyglot) << action;
  }
  std::string plain = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n";
  const Outcome out = clean(plain);
  ASSERT_TRUE(out.cleaned);
  EXPECT_EQ(out.cleaned->type, MediaType::kPdf);
}

TEST(Media, AnImageCarryingAScriptIsRefused) {
  std::string png = png_with({png_chunk("tEXt", "c <SCRIPT>alert(1)</script>")});
  EXPECT_EQ(clean(png).refusal, Refusal::kPolyglot);
  std::string gif_html = std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10) + "<html><body>";
  EXPECT_EQ(clean(gif_html).refusal, Refusal::kPolyglot);
}

TEST(Media, Mp3LosesItsId3Tags) {
  std::string frame("\xFF\xFB\x90\x64", 4);
  frame += std::string(400, '\x11');
  std::string tag("ID3\x04\0\0\0\0\0\x10", 10);
  tag += std::string("TPE1\0\0\0\x06\0\0\0Siti!", 15);
  tag.resize(26, '\0');
  std::string v1 = "TAG" + std::string("Siti Rahayu") + std::string(114, ' ');
  std::string mp3 = tag + frame + v1;
  const Outcome out = clean(mp3);
  ASSERT_TRUE(out.cleaned);
  EXPECT_TRUE(out.cleaned->metadata_removed);
  EXPECT_EQ(mp3, frame);
}

TEST(Media, FileNamesAreSanitisedAndTakeTheDetectedExtension) {
  EXPECT_EQ(sanitise_file_name("C:\\Users\\siti\\slip.exe", MediaType::kJpeg), "slip.jpg");
  EXPECT_EQ(sanitise_file_name("../../etc/passwd", MediaType::kPdf), "passwd.pdf");
  EXPECT_EQ(sanitise_file_name("a\"b;c\r\nd.png", MediaType::kPng), "a_b_c__d.png");
  EXPECT_EQ(sanitise_file_name("", MediaType::kOgg), "evidence.ogg");
  EXPECT_EQ(sanitise_file_name(".hidden", MediaType::kOgg), "hidden.ogg");
  EXPECT_EQ(sanitise_file_name("phiếu lương.jpeg", MediaType::kJpeg), "phiếu lương.jpg");
  EXPECT_EQ(sanitise_file_name(std::string("bad\xff\xfe.jpg"), MediaType::kJpeg), "bad__.jpg");
  EXPECT_LE(sanitise_file_name(std::string(300, 'x'), MediaType::kJpeg).size(), 100u);
}

}  // namespace
}  // namespace grievance::domain::media
