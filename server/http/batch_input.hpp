// The body of POST /api/v1/complaints/batch: a union's digitised paper forms, either a JSON
// array of complaint objects (the fields of POST /api/v1/complaints) or a CSV file whose
// header row names the columns:
//   language, categories (codes separated by ';'), narrative, site_id, place, country,
//   incident_date, anonymous (true/false/1/0/yes/no), contact_name, contact_phone,
//   contact_email, mandate_follow, mandate_share_identity_with_company, mandate_collective,
//   mandate_headcount
// An empty cell is an absent field. Column names are matched without surrounding spaces and
// case-insensitively. Problems of the whole body (not JSON / CSV, unknown or repeated column,
// no rows, too many rows) answer one error; problems of one row become that row's error so the
// other rows are still filed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "server/domain/filing_service.hpp"
#include "server/http/app.hpp"

namespace grievance::http {

struct BatchRowInput {
  std::size_t row = 0;                          // 1-based position among the complaints
  std::size_t line = 0;                         // CSV: the line the record starts on; 0 for JSON
  std::optional<domain::ComplaintDraft> draft;  // the row as read, or
  domain::Error error;                          // why it could not be read (the first problem)
  // Every problem found reading the row (the first is `error`), and the row as read without
  // the cells that could not be read, so that its other fields can still be checked: the staff
  // page's check before filing names every problem at once (issue 8). CSV only.
  std::vector<domain::Error> problems;
  std::optional<domain::ComplaintDraft> readable;
};

struct BatchInput {
  std::vector<BatchRowInput> rows;
  bool csv = false;
};

// Errors: kUnsupportedMediaType (neither application/json nor text/csv), kPayloadTooLarge,
// kInvalidRequest (not a JSON array), kInvalidField ("body" for CSV syntax with the line, the
// column name for an unknown or repeated column, "rows" for none or more than
// domain::kMaxBatchRows).
domain::Result<BatchInput> read_batch(const Request& req, std::size_t body_limit);

// The CSV column for a field name as the domain names it ("contact.email" -> "contact_email").
std::string csv_column_name(std::string_view field);

}  // namespace grievance::http
