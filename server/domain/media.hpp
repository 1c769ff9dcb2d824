// Evidence files checked by their content (docs/security.md "Attachments"): what a file is
// comes from its first bytes (magic numbers), never from its name or the Content-Type a client
// sends; only photos (JPEG, PNG, WebP), PDF and voice recordings (MP3, OGG, M4A, AMR) are
// accepted. Executables and polyglots (a file that is also a ZIP archive, an HTML page or a
// PDF with actions) are refused. Images lose their identifying metadata (EXIF with GPS
// position and camera serial, XMP, IPTC, comments, embedded thumbnails) before they are
// stored; MP3 loses its ID3 tags.
//
// Hand-written on purpose: no Debian library strips metadata from JPEG, PNG and WebP without
// decoding them (libexif only reads and writes EXIF; exiv2 is C++ with a large parser surface
// for formats we refuse anyway). The three formats keep their metadata in separate
// segments/chunks, so removing them is a walk over the container, not a decoder.
// Pure functions on bytes; thread-safe. Stripping works in place: the cleaned file is never a
// second copy of the upload.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace grievance::domain::media {

enum class MediaType { kJpeg, kPng, kWebp, kPdf, kMp3, kOgg, kM4a, kAmr };

// "image/jpeg", "application/pdf", "audio/mpeg", ...
std::string_view mime_type(MediaType t);
// "jpg", "pdf", "mp3", ... (the extension a download's file name gets)
std::string_view extension(MediaType t);
bool is_image(MediaType t);

enum class Refusal {
  kUnknownType,  // not one of the accepted kinds
  kExecutable,   // ELF, PE ("MZ"), Mach-O, a script ("#!")
  kPolyglot,     // also a ZIP archive, an HTML/script page, or a PDF with actions/attachments
  kMalformed,    // claims to be an accepted kind but its structure is broken
};
std::string_view refusal_message(Refusal r);

// What the content is, by its magic bytes (nullopt: not an accepted kind). An executable's
// signature is checked first: a renamed program is kExecutable, not "unknown".
struct Detection {
  std::optional<MediaType> type;
  bool executable = false;
};
Detection detect(std::string_view bytes);

struct Cleaned {
  MediaType type;
  bool metadata_removed = false;  // some segment, chunk or tag was dropped
};

// Checks `bytes` and, for images and MP3, removes metadata in place (the string shrinks).
// The rules, in order:
//  1. an executable signature at the start -> kExecutable;
//  2. no accepted magic -> kUnknownType;
//  3. a ZIP end-of-central-directory record ("PK\5\6") in the last 64 KiB + 22 bytes (where
//     every ZIP reader looks) or a ZIP local file header ("PK\3\4") anywhere -> kPolyglot;
//  4. "<script", "<html", "<iframe", "<?php", "<svg" (any case) anywhere -> kPolyglot;
//  5. a PDF with a name (after #xx decoding) /JavaScript, /JS, /Launch, /EmbeddedFile(s),
//     /RichMedia, /XFA or /SubmitForm -> kPolyglot;
//  6. JPEG/PNG/WebP are rebuilt from the segments needed to render them; anything after the
//     end marker (JPEG EOI, PNG IEND, the RIFF size) is dropped; a broken structure ->
//     kMalformed.
// On refusal `bytes` may have been changed; the caller discards it.
struct Outcome {
  std::optional<Cleaned> cleaned;
  std::optional<Refusal> refusal;
};
Outcome clean(std::string& bytes);

// A file name safe to store and to send back in Content-Disposition: the last path component,
// control characters, quotes, backslashes, slashes and characters outside printable ASCII or
// UTF-8 letters replaced by '_', at most 100 bytes (cut on a UTF-8 boundary), never empty,
// never starting with '.'; its extension replaced by the detected type's.
std::string sanitise_file_name(std::string_view name, MediaType type);

}  // namespace grievance::domain::media
