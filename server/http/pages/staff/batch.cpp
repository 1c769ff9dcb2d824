// The union's batch of paper forms (issue 3 item 6, issue 8 item 5): a CSV file, read by the
// same reader as POST /api/v1/complaints/batch, checked before filing and then filed in one
// go, answered with a printable page of receipt slips (one per filed complaint, in the
// complaint's language) and every problem of the rows that were not filed.
//
//   GET  /staff/batch               the upload form, the template and the codes
//   GET  /staff/batch/template.csv  the CSV template: the header row
//   GET  /staff/batch/codes         the sites a complaint may name with their ids, the
//                                   category codes and the languages
//   POST /staff/batch               upload -> the check: every row, every problem, nothing filed
//   POST /staff/batch/file          the checked file (carried by the check page) -> the slips
//
// The same file filed again answers the first upload's references (the domain derives the
// filing key from the file and the union: FilingService::file_batch), so a refresh, a double
// click or a second upload files nothing twice.
//
// The slips carry access codes in clear: they are rendered once, into the response only
// (Cache-Control: no-store, as every page), and never logged.
#include <algorithm>
#include <array>
#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/codes.hpp"
#include "server/http/batch_input.hpp"
#include "server/http/multipart.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using nlohmann::json;

constexpr std::string_view kColumns =
    "language,categories,narrative,site_id,place,country,incident_date,anonymous,"
    "contact_name,contact_phone,contact_email,mandate_follow,"
    "mandate_share_identity_with_company,mandate_collective,mandate_headcount";

// ---- carrying the checked file to the filing step ----------------------------------------------

// The check page carries the file in a hidden field, base64url without padding: a form field
// would have its line breaks rewritten by the browser (CR LF), which would change the file's
// narratives and its filing key.
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (std::uint32_t(std::uint8_t(in[i])) << 16) |
                   (std::uint32_t(std::uint8_t(in[i + 1])) << 8) | std::uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64Url[(n >> shift) & 63];
  }
  if (i + 1 == in.size()) {
    const auto n = std::uint32_t(std::uint8_t(in[i])) << 16;
    out += kBase64Url[(n >> 18) & 63];
    out += kBase64Url[(n >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const auto n =
        (std::uint32_t(std::uint8_t(in[i])) << 16) | (std::uint32_t(std::uint8_t(in[i + 1])) << 8);
    out += kBase64Url[(n >> 18) & 63];
    out += kBase64Url[(n >> 12) & 63];
    out += kBase64Url[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::array<int, 256> value;
  value.fill(-1);
  for (std::size_t i = 0; i < kBase64Url.size(); ++i) value[std::uint8_t(kBase64Url[i])] = int(i);
  std::string out;
  out.reserve(in.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value[std::uint8_t(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | std::uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// The largest file the check page can carry back within the batch body limit (base64 grows it
// by a third; the form's other fields are small).
std::size_t max_file_bytes(const StaffPages& pages) {
  const std::size_t limit = pages.batch_body_limit();
  return limit > (64u << 10) ? (limit - (64u << 10)) / 4 * 3 : limit / 2;
}

// ---- the upload form ----------------------------------------------------------------------------

Response render_batch(const StaffPages& pages, const Request& req, PageLanguage lang,
                      const domain::Session& s, const std::vector<FieldError>& errors,
                      bhttp::status status) {
  const PageKit& kit = pages.kit();
  json data = kit.form_data(lang.lang, errors);
  data["columns"] = kColumns;
  data["intro"] =
      kit.format(lang.lang, "staff_batch_intro", {{"max", std::to_string(domain::kMaxBatchRows)}});
  data["file_hint"] = kit.format(lang.lang, "staff_batch_file_hint",
                                 {{"mb", std::to_string(max_file_bytes(pages) >> 20)}});
  data["codes_href"] = with_lang("/staff/batch/codes", lang.lang);
  return pages.render(req, lang,
                      {status, "staff_batch_title", "staff_batch", "/staff/batch", !errors.empty()},
                      data, &s, "batch");
}

// A problem of the whole file, in the staff member's language.
FieldError file_error(const PageKit& kit, Language l, const domain::Error& e) {
  const std::string max = std::to_string(domain::kMaxBatchRows);
  if (e.field == "rows") {
    return {"file", "file", kit.format(l, "staff_error_csv_rows", {{"max", max}})};
  }
  if (e.field == "body") {
    std::smatch m;
    if (std::regex_search(e.message, m, std::regex("line ([0-9]+)"))) {
      return {"file", "file", kit.format(l, "staff_error_csv_syntax", {{"line", m[1].str()}})};
    }
    return {"file", "file", kit.text(l, "staff_error_csv_empty")};
  }
  return {"file", "file", kit.format(l, "staff_error_csv_column", {{"column", e.field}})};
}

// ---- one row's problems, in the words of the staff member filling in the file -----------------

// What to write in the column: every field has a staff wording (never the worker's form's,
// which speaks to the worker: "Choose if the company may know your name").
std::string row_error(const PageKit& kit, Language l, std::string_view column) {
  const std::string key = "staff_row_error_" + std::string(column);
  const std::string& message = kit.text(l, key);
  return message != key ? message : kit.text(l, "staff_error_row_generic");
}

struct RowProblem {
  std::string column;  // the CSV column, or "–" for the whole row
  std::string message;
};

// Every problem of each row: the cells that could not be read (batch_input), then the
// domain's check of the rest (FilingService::check_batch), one per column.
struct CheckedFile {
  BatchInput input;
  std::vector<domain::ComplaintDraft> drafts;  // one per row, in place (as the API files them)
  std::vector<std::vector<RowProblem>> problems;
  std::vector<std::optional<domain::BatchRowCheck::FiledBefore>> filed_before;
  std::string content;
};

domain::Result<CheckedFile> check_file(const StaffPages& pages, const domain::Session& s,
                                       Language l, std::string content) {
  Request csv{bhttp::verb::post, "/staff/batch", 11};
  csv.set(bhttp::field::content_type, "text/csv");
  csv.body() = content;
  auto input = read_batch(csv, pages.batch_body_limit());
  if (!input) return std::unexpected(input.error());
  CheckedFile out;
  out.content = std::move(content);
  out.input = *std::move(input);
  std::vector<domain::ComplaintDraft> to_check;
  for (const BatchRowInput& row : out.input.rows) {
    // Every row goes to the domain in its place (an unreadable one as an empty draft, which it
    // refuses), as POST /api/v1/complaints/batch does: the same file has the same keys.
    out.drafts.push_back(row.draft.value_or(domain::ComplaintDraft{}));
    to_check.push_back(row.draft ? *row.draft : row.readable.value_or(domain::ComplaintDraft{}));
  }
  auto checked = pages.services().filing.check_batch(s, to_check, "", out.content);
  if (!checked) return std::unexpected(checked.error());
  const PageKit& kit = pages.kit();
  for (std::size_t i = 0; i < out.input.rows.size(); ++i) {
    const BatchRowInput& row = out.input.rows[i];
    std::vector<RowProblem> problems;
    std::set<std::string> columns;
    for (const domain::Error& e : row.problems) {
      const bool whole_row = e.field.empty() || e.field == "row";
      const std::string column = whole_row ? "row" : csv_column_name(e.field);
      if (columns.insert(column).second) {
        problems.push_back({whole_row ? std::string("–") : column, row_error(kit, l, column)});
      }
    }
    // A row whose cells do not line up with the header has nothing more to check.
    if (row.draft || row.readable) {
      for (const domain::Error& e : (*checked)[i].problems) {
        std::string column = csv_column_name(e.field);
        // The mandate as a whole is its first column.
        if (column == "mandate") column = "mandate_follow";
        if (column == "mandate_headcount" && columns.contains("mandate_collective")) continue;
        if (columns.insert(column).second) problems.push_back({column, row_error(kit, l, column)});
      }
    }
    out.problems.push_back(std::move(problems));
    out.filed_before.push_back((*checked)[i].filed_before);
  }
  return out;
}

// What a row is about, for finding the paper form: the site's name or the place, the
// categories.
std::string row_summary(const PageKit& kit, Language l, const domain::ComplaintDraft& d,
                        const std::vector<domain::Site>& sites) {
  std::string where;
  if (d.site_id) {
    auto it = std::find_if(sites.begin(), sites.end(),
                           [&](const domain::Site& s) { return s.id == *d.site_id; });
    where = it != sites.end() ? it->name : "#" + std::to_string(*d.site_id);
  } else if (d.place) {
    where = *d.place;
  }
  std::string categories;
  for (const auto& code : d.categories.value_or(std::vector<std::string>{})) {
    if (!categories.empty()) categories += ", ";
    const std::string key = "category_" + code;
    const std::string& label = kit.text(l, key);
    categories += label != key ? label : code;
  }
  if (where.empty()) return categories;
  return categories.empty() ? where : where + " – " + categories;
}

// ---- the check before filing -------------------------------------------------------------------

Response render_check(const StaffPages& pages, const Request& req, PageLanguage lang,
                      const domain::Session& s, const CheckedFile& file) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.base_data(l);
  std::vector<domain::Site> sites;
  if (auto found = pages.services().filing.find_sites("", "", domain::kMaxBatchRows * 10)) {
    sites = *std::move(found);
  }
  json rows = json::array();
  int ready = 0, with_problems = 0, before = 0;
  for (std::size_t i = 0; i < file.input.rows.size(); ++i) {
    const BatchRowInput& in = file.input.rows[i];
    json row = {
        {"row", std::to_string(in.row)},
        {"line", std::to_string(in.line)},
        {"what",
         row_summary(kit, l, in.draft ? *in.draft : in.readable.value_or(domain::ComplaintDraft{}),
                     sites)}};
    if (const auto& earlier = file.filed_before[i]) {
      ++ready;
      ++before;
      row["state"] = kit.format(
          l, "staff_check_filed_before",
          {{"reference", earlier->reference}, {"date", kit.day_text(l, earlier->filed_at)}});
      row["filed_before"] = true;
    } else if (file.problems[i].empty()) {
      ++ready;
      row["state"] = kit.text(l, "staff_check_ready");
      row["ready"] = true;
    } else {
      ++with_problems;
      json problems = json::array();
      for (const RowProblem& p : file.problems[i]) {
        problems.push_back({{"column", p.column}, {"message", p.message}});
      }
      row["problems"] = std::move(problems);
      row["has_problems"] = true;
    }
    rows.push_back(std::move(row));
  }
  data["summary"] = kit.format(l, "staff_check_summary",
                               {{"rows", std::to_string(file.input.rows.size())},
                                {"ready", std::to_string(ready)},
                                {"problems", std::to_string(with_problems)}});
  if (before > 0) {
    data["before_text"] =
        kit.format(l, "staff_check_before_text", {{"count", std::to_string(before)}});
  }
  data["rows"] = std::move(rows);
  data["has_problems"] = with_problems > 0;
  data["can_file"] = ready > 0;
  data["file_label"] = kit.format(l, "staff_check_file", {{"count", std::to_string(ready)}});
  data["content"] = base64url_encode(file.content);
  data["again_href"] = with_lang("/staff/batch", l);
  return pages.render(req, lang,
                      {bhttp::status::ok, "staff_check_title", "staff_batch_check", "/staff/batch"},
                      data, &s, "batch");
}

// ---- the slips ----------------------------------------------------------------------------------

Response render_slips(const StaffPages& pages, const Request& req, PageLanguage lang,
                      const domain::Session& s, const CheckedFile& file,
                      const domain::BatchResult& result) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.base_data(l);
  json problems = json::array();
  json slips = json::array();
  json replayed = json::array();
  int failed = 0;
  for (std::size_t i = 0; i < file.input.rows.size(); ++i) {
    const BatchRowInput& in = file.input.rows[i];
    const std::string number = std::to_string(in.row);
    const domain::BatchRowResult* out = i < result.rows.size() ? &result.rows[i] : nullptr;
    if (out == nullptr || !out->ok) {
      ++failed;
      std::vector<RowProblem> row_problems = file.problems[i];
      if (row_problems.empty()) {
        // The directory changed between the check and the filing: the domain's answer.
        const domain::Error& e = out ? out->error : in.error;
        const std::string column =
            e.field.empty() || e.field == "row" ? std::string("–") : csv_column_name(e.field);
        row_problems.push_back({column, row_error(kit, l, column)});
      }
      for (const RowProblem& p : row_problems) {
        problems.push_back({{"row", number},
                            {"line", std::to_string(in.line)},
                            {"column", p.column},
                            {"message", p.message}});
      }
      continue;
    }
    const domain::FiledComplaint& filed = out->filed;
    const domain::Case& c = filed.filed;
    if (filed.replayed || filed.access_code.empty()) {
      replayed.push_back(
          {{"text", kit.format(l, "staff_slips_replayed_row",
                               {{"row", number}, {"date", kit.day_text(l, c.created_at)}})},
           {"reference", c.reference}});
      continue;
    }
    // One receipt slip, for the worker: in the language of the complaint.
    const Language sl = c.complaint.language;
    slips.push_back({{"slip_lang", lang_code(sl)},
                     {"row_label", kit.format(sl, "slip_row", {{"row", number}})},
                     {"title", kit.text(sl, "service_name")},
                     {"ref_label", kit.text(sl, "receipt_reference_label")},
                     {"reference", c.reference},
                     {"code_label", kit.text(sl, "receipt_code_title")},
                     {"access_code", domain::group_access_code(filed.access_code)},
                     {"filed_label", kit.text(sl, "case_filed_on")},
                     {"filed_on", kit.day_text(sl, c.created_at)},
                     {"follow_label", kit.text(sl, "slip_follow")},
                     {"follow_url", pages.follow_url(sl)},
                     {"ack_text", kit.format(sl, "receipt_ack_due",
                                             {{"date", kit.day_text(sl, c.deadlines.ack_due)}})},
                     {"keep_secret", kit.text(sl, "receipt_keep_safe_2")},
                     {"lost", kit.text(sl, "receipt_keep_safe_3")}});
  }
  data["summary"] = kit.format(l, "staff_slips_summary",
                               {{"stored", std::to_string(result.stored)},
                                {"failed", std::to_string(failed)},
                                {"replayed", std::to_string(result.replayed)}});
  data["has_problems"] = !problems.empty();
  data["problems"] = std::move(problems);
  data["has_replayed"] = !replayed.empty();
  data["replayed"] = std::move(replayed);
  data["has_slips"] = !slips.empty();
  data["slips"] = std::move(slips);
  data["again_href"] = with_lang("/staff/batch", l);
  // 201 when something was stored, else 200, even with failed rows: the page answers
  // every row.
  return pages.render(req, lang,
                      {result.stored > 0 ? bhttp::status::created : bhttp::status::ok,
                       "staff_slips_title", "staff_slips", "/staff/batch"},
                      data, &s, "batch");
}

// A union officer's session for a batch page; else the response to send (sign-in, or 404 for
// other roles, as for a page that does not exist).
std::expected<domain::Session, Response> union_session(const StaffPages& pages, const Request& req,
                                                       PageLanguage lang) {
  auto session = pages.staff_session(req);
  if (!session) return std::unexpected(pages.to_sign_in(req, lang.lang));
  if (!domain::may_file_batch(session->role)) {
    return std::unexpected(pages.not_found_page(req, lang, &*session));
  }
  return *std::move(session);
}

}  // namespace

Response batch_form(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = union_session(pages, req, lang);
  if (!session) return std::move(session).error();
  return render_batch(pages, req, lang, *session, {}, bhttp::status::ok);
}

Response batch_template(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = union_session(pages, req, lang);
  if (!session) return std::move(session).error();
  // The header row, with a byte order mark so that spreadsheets open it as UTF-8 (the reader
  // accepts one).
  Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/csv; charset=utf-8");
  res.set(bhttp::field::content_disposition, "attachment; filename=\"complaints-template.csv\"");
  res.body() = "\xEF\xBB\xBF" + std::string(kColumns) + "\r\n";
  finish(res, req.version(), req.keep_alive());
  return res;
}

Response batch_codes(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = union_session(pages, req, lang);
  if (!session) return std::move(session).error();
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  // The sites a complaint may name: the enabled ones, as the complaint form offers them.
  auto sites = pages.services().filing.find_sites("", "", domain::kMaxBatchRows * 10);
  if (!sites) return pages.error_page(req, lang, sites.error());
  json data = kit.base_data(l);
  json site_rows = json::array();
  for (const domain::Site& site : *sites) {
    site_rows.push_back(
        {{"id", std::to_string(site.id)},
         {"name", site.name},
         {"region", site.region},
         {"country", kit.country_name(l, site.country)},
         {"sector", kit.text(l, "staff_sector_" + std::string(domain::to_string(site.sector)))}});
  }
  data["has_sites"] = !site_rows.empty();
  data["sites"] = std::move(site_rows);
  json categories = json::array();
  for (auto c : domain::all_categories()) {
    const std::string code(domain::to_string(c));
    categories.push_back({{"code", code}, {"label", kit.text(l, "category_" + code)}});
  }
  data["categories"] = std::move(categories);
  json languages = json::array();
  for (auto language : domain::all_languages()) {
    languages.push_back(
        {{"code", lang_code(language)}, {"label", std::string(web::language_endonym(language))}});
  }
  data["languages"] = std::move(languages);
  data["back_href"] = with_lang("/staff/batch", l);
  return pages.render(
      req, lang,
      {bhttp::status::ok, "staff_codes_title", "staff_batch_codes", "/staff/batch/codes"}, data,
      &*session, "batch");
}

Response batch_upload(const StaffPages& pages, Request& req) {
  auto lang = language_of(req);
  if (auto refused = pages.refuse_cross_site(req)) return *std::move(refused);
  auto type = req.find(bhttp::field::content_type);
  auto boundary = type == req.end() ? std::nullopt : web::multipart_boundary(type->value());
  if (!boundary) return unsupported_media(req, "Send the form as multipart/form-data.");
  auto form = web::MultipartForm::parse(req.body(), *boundary);
  if (!form) {
    return error_response(
        domain::Error{domain::ErrorCode::kInvalidRequest, "Malformed multipart body.", {}}, req);
  }
  if (auto l = domain::parse_language(form->get("lang"))) lang = {*l, false};
  auto session = pages.form_session(req, lang, form->get("csrf"));
  if (!session) return std::move(session).error();
  if (!domain::may_file_batch(session->role)) return pages.not_found_page(req, lang, &*session);
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;

  const web::MultipartPart* file = form->find("file");
  if (file == nullptr || !file->filename || file->filename->empty()) {
    return render_batch(pages, req, lang, *session,
                        {{"file", "file", kit.text(l, "staff_error_file")}},
                        bhttp::status::bad_request);
  }
  if (file->body.size() > max_file_bytes(pages)) {
    return render_batch(pages, req, lang, *session,
                        {{"file", "file",
                          kit.format(l, "staff_error_file_too_large",
                                     {{"mb", std::to_string(max_file_bytes(pages) >> 20)}})}},
                        bhttp::status::payload_too_large);
  }
  // The CSV reader of POST /api/v1/complaints/batch, so both take the same files.
  auto checked = check_file(pages, *session, l, file->body);
  if (!checked) {
    if (checked.error().code == domain::ErrorCode::kInvalidField) {
      return render_batch(pages, req, lang, *session, {file_error(kit, l, checked.error())},
                          bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, checked.error());
  }
  return render_check(pages, req, lang, *session, *checked);
}

Response batch_file(const StaffPages& pages, Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  auto session = pages.form_session(req, lang, form.get("csrf"));
  if (!session) return std::move(session).error();
  if (!domain::may_file_batch(session->role)) return pages.not_found_page(req, lang, &*session);
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  auto content = base64url_decode(form.get("content"));
  if (!content || content->empty()) {
    return render_batch(pages, req, lang, *session,
                        {{"file", "file", kit.text(l, "staff_error_file")}},
                        bhttp::status::bad_request);
  }
  auto checked = check_file(pages, *session, l, *std::move(content));
  if (!checked) {
    if (checked.error().code == domain::ErrorCode::kInvalidField) {
      return render_batch(pages, req, lang, *session, {file_error(kit, l, checked.error())},
                          bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, checked.error());
  }
  // The file is the key: filed again, it answers the first filing's references.
  auto filed = pages.services().filing.file_batch(*session, checked->drafts, "", checked->content);
  if (!filed) {
    if (filed.error().code == domain::ErrorCode::kInvalidField) {
      return render_batch(pages, req, lang, *session, {file_error(kit, l, filed.error())},
                          bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, filed.error());
  }
  return render_slips(pages, req, lang, *session, *checked, *filed);
}

}  // namespace grievance::http::pages::staff
