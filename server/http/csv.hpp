// A small RFC 4180 CSV reader for a union's batch of digitised paper forms (no Debian C++ CSV
// library is worth a dependency for this).
//
// Accepted: fields separated by commas; records ended by CRLF, LF or a lone CR (the last
// record's line end is optional); fields in double quotes may hold commas, line breaks and
// doubled quotes (""); a UTF-8 byte order mark at the very start is skipped; empty lines
// (no characters at all) are skipped, so a trailing blank line or two does no harm.
// Refused (kInvalidField "body", the message names the line): invalid UTF-8, a quote inside an
// unquoted field, characters after a closing quote, a quoted field never closed, a NUL byte.
// Limits (kInvalidField "rows"): more than max_records records or more than max_fields fields
// in one record, checked while reading so a hostile body cannot allocate without bound.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"

namespace grievance::http {

struct CsvLimits {
  std::size_t max_records = std::numeric_limits<std::size_t>::max();
  std::size_t max_fields = 256;
};

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;  // the 1-based line of the text on which the record starts
};

domain::Result<std::vector<CsvRecord>> parse_csv(std::string_view text,
                                                 const CsvLimits& limits = {});

}  // namespace grievance::http
