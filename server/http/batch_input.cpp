#include "server/http/batch_input.hpp"

#include <algorithm>
#include <array>

#include "server/http/complaint_input.hpp"
#include "server/http/csv.hpp"
#include "server/http/json_input.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;

enum class Column {
  kLanguage,
  kCategories,
  kNarrative,
  kSiteId,
  kPlace,
  kCountry,
  kIncidentDate,
  kAnonymous,
  kContactName,
  kContactPhone,
  kContactEmail,
  kMandateFollow,
  kMandateShareIdentity,
  kMandateCollective,
  kMandateHeadcount,
};

constexpr std::array<std::pair<std::string_view, Column>, 15> kColumns{{
    {"language", Column::kLanguage},
    {"categories", Column::kCategories},
    {"narrative", Column::kNarrative},
    {"site_id", Column::kSiteId},
    {"place", Column::kPlace},
    {"country", Column::kCountry},
    {"incident_date", Column::kIncidentDate},
    {"anonymous", Column::kAnonymous},
    {"contact_name", Column::kContactName},
    {"contact_phone", Column::kContactPhone},
    {"contact_email", Column::kContactEmail},
    {"mandate_follow", Column::kMandateFollow},
    {"mandate_share_identity_with_company", Column::kMandateShareIdentity},
    {"mandate_collective", Column::kMandateCollective},
    {"mandate_headcount", Column::kMandateHeadcount},
}};

std::string lower_trimmed(std::string_view s) { return web::ascii_lower(web::trim_blanks(s)); }

// The request's media type, lower case, without parameters (web::media_type).
std::string media_type(const Request& req) {
  auto it = req.find(bhttp::field::content_type);
  return it == req.end() ? std::string() : web::media_type(it->value());
}

std::optional<bool> parse_flag(std::string_view text) {
  const auto v = lower_trimmed(text);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return std::nullopt;
}

std::optional<std::int64_t> parse_count(std::string_view text, std::int64_t max) {
  const auto v = lower_trimmed(text);
  if (v.empty() || v.size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > max) return std::nullopt;
  return n;
}

const std::string_view kFlagMessage = "Must be true, false, yes, no, 1 or 0.";

// Reads one CSV record into `row`: its draft, or every cell that could not be read (the row's
// error is the first) with the rest of the row as read.
void read_record(const std::vector<Column>& columns, const std::vector<std::string>& fields,
                 BatchRowInput& row) {
  if (fields.size() != columns.size()) {
    row.error = Error::invalid_field("row", "This row has " + std::to_string(fields.size()) +
                                                " fields; the header row has " +
                                                std::to_string(columns.size()) + ".");
    row.problems = {row.error};
    return;
  }
  std::vector<Error> problems;
  auto problem = [&problems](Error e) { problems.push_back(std::move(e)); };
  domain::ComplaintDraft d;
  domain::ContactDraft contact;
  domain::Mandate mandate;
  bool has_contact = false, has_mandate = false;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string& v = fields[i];
    if (v.empty()) continue;  // an empty cell is an absent field
    switch (columns[i]) {
      case Column::kLanguage:
        d.language = v;
        break;
      case Column::kCategories: {
        std::vector<std::string> cats;
        std::string_view rest = v;
        while (true) {
          const auto semi = rest.find(';');
          auto item = lower_trimmed(rest.substr(0, semi));
          if (!item.empty()) cats.push_back(std::move(item));
          if (semi == std::string_view::npos) break;
          rest.remove_prefix(semi + 1);
        }
        d.categories = std::move(cats);
        break;
      }
      case Column::kNarrative:
        d.narrative = v;
        break;
      case Column::kSiteId: {
        auto id = parse_count(v, 999999999999);
        if (!id) {
          problem(Error::invalid_field("site_id", "Must be a site number."));
          break;
        }
        d.site_id = *id;
        break;
      }
      case Column::kPlace:
        d.place = v;
        break;
      case Column::kCountry:
        d.country = v;
        break;
      case Column::kIncidentDate:
        d.incident_date = v;
        break;
      case Column::kAnonymous: {
        auto flag = parse_flag(v);
        if (!flag) {
          problem(Error::invalid_field("anonymous", std::string(kFlagMessage)));
          break;
        }
        d.anonymous = *flag;
        break;
      }
      case Column::kContactName:
        contact.name = v;
        has_contact = true;
        break;
      case Column::kContactPhone:
        contact.phone = v;
        has_contact = true;
        break;
      case Column::kContactEmail:
        contact.email = v;
        has_contact = true;
        break;
      case Column::kMandateFollow:
      case Column::kMandateShareIdentity:
      case Column::kMandateCollective: {
        auto flag = parse_flag(v);
        const auto column = columns[i];
        const char* name = column == Column::kMandateFollow ? "mandate_follow"
                           : column == Column::kMandateShareIdentity
                               ? "mandate_share_identity_with_company"
                               : "mandate_collective";
        has_mandate = true;
        if (!flag) {
          problem(Error::invalid_field(name, std::string(kFlagMessage)));
          break;
        }
        (column == Column::kMandateFollow          ? mandate.follow
         : column == Column::kMandateShareIdentity ? mandate.share_identity_with_company
                                                   : mandate.collective) = *flag;
        break;
      }
      case Column::kMandateHeadcount: {
        auto count = parse_count(v, 1000000);
        has_mandate = true;
        if (!count) {
          problem(Error::invalid_field("mandate_headcount", "Must be a number of workers."));
          break;
        }
        mandate.headcount = static_cast<int>(*count);
        break;
      }
    }
  }
  if (has_contact) d.contact = contact;
  if (has_mandate) d.mandate = mandate;
  if (problems.empty()) {
    row.draft = std::move(d);
  } else {
    row.error = problems.front();
    row.problems = std::move(problems);
    row.readable = std::move(d);
  }
}

domain::Result<BatchInput> read_csv_batch(std::string_view body) {
  auto records = parse_csv(
      body, CsvLimits{static_cast<std::size_t>(domain::kMaxBatchRows) + 1, kColumns.size() + 16});
  if (!records) {
    if (records.error().field == "rows" && records.error().message.starts_with("Too many")) {
      return fail(Error::invalid_field(
          "rows", "At most " + std::to_string(domain::kMaxBatchRows) + " complaints per batch."));
    }
    return fail(records.error());
  }
  if (records->empty()) {
    return fail(Error::invalid_field("body", "The CSV file is empty: it needs a header row."));
  }
  std::vector<Column> columns;
  for (const auto& name : records->front().fields) {
    const auto key = lower_trimmed(name);
    auto it = std::find_if(kColumns.begin(), kColumns.end(),
                           [&](const auto& c) { return c.first == key; });
    if (it == kColumns.end()) {
      return fail(Error::invalid_field(key.size() <= 64 ? key : key.substr(0, 64) + "...",
                                       "Unknown column. The header row names the columns: "
                                       "language, categories, narrative, site_id, place, "
                                       "country, incident_date, anonymous, contact_name, "
                                       "contact_phone, contact_email, mandate_follow, "
                                       "mandate_share_identity_with_company, "
                                       "mandate_collective, mandate_headcount."));
    }
    if (std::find(columns.begin(), columns.end(), it->second) != columns.end()) {
      return fail(Error::invalid_field(key, "This column appears twice in the header row."));
    }
    columns.push_back(it->second);
  }
  BatchInput out;
  out.csv = true;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& rec = (*records)[r];
    BatchRowInput row;
    row.row = r;
    row.line = rec.line;
    read_record(columns, rec.fields, row);
    out.rows.push_back(std::move(row));
  }
  return out;
}

domain::Result<BatchInput> read_json_batch(const Request& req, std::size_t body_limit) {
  auto body = parse_json_body(req, body_limit);
  if (!body) return fail(body.error());
  if (!body->is_array()) {
    return fail(Error{domain::ErrorCode::kInvalidRequest,
                      "The body must be a JSON array of complaint objects.",
                      {}});
  }
  if (body->size() > static_cast<std::size_t>(domain::kMaxBatchRows)) {
    return fail(Error::invalid_field(
        "rows", "At most " + std::to_string(domain::kMaxBatchRows) + " complaints per batch."));
  }
  BatchInput out;
  std::size_t r = 0;
  for (const auto& item : *body) {
    BatchRowInput row;
    row.row = ++r;
    if (!item.is_object()) {
      row.error = Error::invalid_field("row", "Each complaint must be a JSON object.");
    } else if (auto d = complaint_draft_from_json(item)) {
      row.draft = std::move(*d);
    } else {
      row.error = d.error();
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

domain::Result<BatchInput> read_batch(const Request& req, std::size_t body_limit) {
  const auto type = media_type(req);
  if (type != "application/json" && type != "text/csv") {
    return fail(Error{domain::ErrorCode::kUnsupportedMediaType,
                      "Send the batch as application/json (an array) or text/csv.",
                      {}});
  }
  if (req.body().size() > body_limit) {
    return fail(Error{domain::ErrorCode::kPayloadTooLarge, "The request body is too large.", {}});
  }
  auto batch = type == "text/csv" ? read_csv_batch(req.body()) : read_json_batch(req, body_limit);
  if (!batch) return batch;
  if (batch->rows.empty()) {
    return fail(Error::invalid_field("rows", "The batch holds no complaint."));
  }
  return batch;
}

std::string csv_column_name(std::string_view field) {
  std::string out(field);
  if (out.starts_with("contact.") || out.starts_with("mandate.")) out[7] = '_';
  return out;
}

}  // namespace grievance::http
