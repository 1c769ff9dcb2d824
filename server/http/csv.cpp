#include "server/http/csv.hpp"

#include "server/domain/validation.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;

Error at_line(std::size_t line, std::string_view what) {
  return Error::invalid_field("body",
                              "CSV line " + std::to_string(line) + ": " + std::string(what));
}

// The 1-based line holding the first byte that is not UTF-8 or is NUL, or 0 when none. No
// byte of a multi-byte UTF-8 sequence is a line feed, so checking line by line is exact.
std::size_t first_bad_line(std::string_view text) {
  std::size_t line = 1;
  while (true) {
    const auto end = text.find('\n');
    const auto piece = text.substr(0, end);
    if (!domain::is_valid_utf8(piece) || piece.find('\0') != std::string_view::npos) return line;
    if (end == std::string_view::npos) return 0;
    text.remove_prefix(end + 1);
    ++line;
  }
}

}  // namespace

domain::Result<std::vector<CsvRecord>> parse_csv(std::string_view text, const CsvLimits& limits) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (auto bad = first_bad_line(text); bad != 0) {
    return fail(at_line(bad, "not UTF-8 text (save the file as CSV UTF-8)."));
  }
  const std::size_t n = text.size();
  std::vector<CsvRecord> out;
  std::size_t i = 0, line = 1;
  auto line_end_at = [&](std::size_t k) { return text[k] == '\n' || text[k] == '\r'; };
  // Consumes the line end at i (CRLF, LF or CR).
  auto consume_line_end = [&] {
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
    ++i;
    ++line;
  };
  while (i < n) {
    if (line_end_at(i)) {  // an empty line
      consume_line_end();
      continue;
    }
    if (out.size() >= limits.max_records) {
      return fail(Error::invalid_field(
          "rows", "Too many records: at most " + std::to_string(limits.max_records) + "."));
    }
    CsvRecord rec;
    rec.line = line;
    for (;;) {
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t opened = line;
        ++i;
        for (;;) {
          if (i >= n) return fail(at_line(opened, "a quoted field is not closed."));
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line;
          field += c;
          ++i;
        }
        if (i < n && text[i] != ',' && !line_end_at(i)) {
          return fail(
              at_line(line, "only a comma or the end of the line may follow a closing quote."));
        }
      } else {
        while (i < n && text[i] != ',' && !line_end_at(i)) {
          if (text[i] == '"') {
            return fail(at_line(line,
                                "a quote inside a field that does not start with a quote "
                                "(write it as two quotes inside a quoted field)."));
          }
          field += text[i];
          ++i;
        }
      }
      if (rec.fields.size() >= limits.max_fields) {
        return fail(
            Error::invalid_field("rows", "CSV line " + std::to_string(rec.line) + ": more than " +
                                             std::to_string(limits.max_fields) + " fields."));
      }
      rec.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < n) consume_line_end();
      break;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace grievance::http
