// The union's batch upload (issue 3 item 6): a CSV of digitised paper forms, read by the same
// reader as POST /api/v1/complaints/batch, filed in one go, answered with a printable page of
// receipt slips (one per filed complaint, in the complaint's language) and the rows that
// failed.
//
// The slips carry access codes in clear: they are rendered once, into the response only
// (Cache-Control: no-store, as every page), and never logged.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <regex>
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

Response render_batch(const StaffPages& pages, const Request& req, PageLanguage lang,
                      const domain::Session& s, const std::vector<FieldError>& errors,
                      bhttp::status status) {
  json data = pages.kit().form_data(lang.lang, errors);
  // One key per rendered form: a re-sent upload (a refresh, a double click) stores nothing
  // twice (issue 3 item 6).
  data["batch_key"] = new_form_nonce();
  data["columns"] =
      "language,categories,narrative,site_id,place,country,incident_date,anonymous,"
      "contact_name,contact_phone,contact_email,mandate_follow,"
      "mandate_share_identity_with_company,mandate_collective,mandate_headcount";
  data["max_rows"] = std::to_string(domain::kMaxBatchRows);
  data["intro"] = pages.kit().format(lang.lang, "staff_batch_intro",
                                     {{"max", std::to_string(domain::kMaxBatchRows)}});
  return pages.render(req, lang,
                      {status, "staff_batch_title", "staff_batch", "/staff/batch", !errors.empty()},
                      data, &s, "batch");
}

// Where the worker follows the complaint: the configured public origin, else the request's
// Host when it looks like one.
std::string follow_url(const StaffPages& pages, const Request& req, Language slip_lang) {
  std::string origin = pages.public_origin();
  if (origin.empty()) {
    std::string host(req[bhttp::field::host]);
    const bool safe =
        !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
                 c == '[' || c == ']';
        });
    origin = "https://" + (safe ? host : std::string("localhost"));
  }
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  return origin + with_lang("/follow", slip_lang);
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

// The message for one row's problem: a staff wording where the worker's would mislead,
// else the complaint form's own message for that field.
std::string row_error(const PageKit& kit, Language l, const domain::Error& e) {
  std::string field = e.field;
  std::replace(field.begin(), field.end(), '.', '_');
  for (const std::string& key : {"staff_row_error_" + field, "error_" + field}) {
    const std::string& message = kit.text(l, key);
    if (message != key) return message;
  }
  return kit.text(l, "staff_error_row_generic");
}

// One receipt slip, for the worker: in the language of the complaint.
json slip(const StaffPages& pages, const Request& req, const std::string& row,
          const domain::FiledComplaint& filed) {
  const PageKit& kit = pages.kit();
  const domain::Case& c = filed.filed;
  const Language sl = c.complaint.language;
  const std::string ack = kit.day_text(sl, c.deadlines.ack_due);
  return {{"slip_lang", lang_code(sl)},
          {"row_label", kit.format(sl, "slip_row", {{"row", row}})},
          {"title", kit.text(sl, "service_name")},
          {"ref_label", kit.text(sl, "receipt_reference_label")},
          {"reference", c.reference},
          {"code_label", kit.text(sl, "receipt_code_title")},
          {"access_code", domain::group_access_code(filed.access_code)},
          {"filed_label", kit.text(sl, "case_filed_on")},
          {"filed_on", kit.day_text(sl, c.created_at)},
          {"follow_label", kit.text(sl, "slip_follow")},
          {"follow_url", follow_url(pages, req, sl)},
          {"ack_text", kit.format(sl, "receipt_ack_due", {{"date", ack}})},
          {"keep_secret", kit.text(sl, "receipt_keep_safe_2")},
          {"lost", kit.text(sl, "receipt_keep_safe_3")}};
}

Response render_slips(const StaffPages& pages, const Request& req, PageLanguage lang,
                      const domain::Session& s, const BatchInput& input,
                      const std::vector<std::size_t>& filed_index,
                      const domain::BatchResult& result) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.base_data(l);
  json problems = json::array();
  json slips = json::array();
  json replayed = json::array();
  int failed = 0;
  for (std::size_t i = 0; i < input.rows.size(); ++i) {
    const BatchRowInput& in = input.rows[i];
    const std::string number = std::to_string(in.row);
    const domain::BatchRowResult* out =
        filed_index[i] < result.rows.size() ? &result.rows[filed_index[i]] : nullptr;
    if (out == nullptr || !out->ok) {
      const domain::Error& e = out ? out->error : in.error;
      ++failed;
      problems.push_back(
          {{"row", number},
           {"line", std::to_string(in.line)},
           {"column",
            e.field.empty() || e.field == "row" ? std::string("–") : csv_column_name(e.field)},
           {"message", row_error(kit, l, e)}});
      continue;
    }
    if (out->filed.replayed || out->filed.access_code.empty()) {
      replayed.push_back({{"row", number}, {"reference", out->filed.filed.reference}});
      continue;
    }
    slips.push_back(slip(pages, req, number, out->filed));
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

}  // namespace

Response batch_form(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (!domain::may_file_batch(session->role)) return pages.not_found_page(req, lang, &*session);
  return render_batch(pages, req, lang, *session, {}, bhttp::status::ok);
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
  // The CSV reader of POST /api/v1/complaints/batch, so both take the same files.
  Request csv{bhttp::verb::post, "/staff/batch", req.version()};
  csv.set(bhttp::field::content_type, "text/csv");
  csv.body() = file->body;
  auto input = read_batch(csv, pages.batch_body_limit());
  if (!input) {
    return render_batch(pages, req, lang, *session, {file_error(kit, l, input.error())},
                        bhttp::status::bad_request);
  }
  std::vector<domain::ComplaintDraft> drafts;
  std::vector<std::size_t> filed_index(input->rows.size(), SIZE_MAX);
  for (std::size_t i = 0; i < input->rows.size(); ++i) {
    if (input->rows[i].draft) {
      filed_index[i] = drafts.size();
      drafts.push_back(*input->rows[i].draft);
    }
  }
  domain::BatchResult result;
  if (!drafts.empty()) {
    const std::string key = form->get("batch_key");
    auto filed = pages.services().filing.file_batch(*session, drafts,
                                                    valid_form_nonce(key) ? "page:" + key : "");
    if (!filed) {
      if (filed.error().code == domain::ErrorCode::kInvalidField) {
        return render_batch(pages, req, lang, *session, {file_error(kit, l, filed.error())},
                            bhttp::status::bad_request);
      }
      return pages.error_page(req, lang, filed.error());
    }
    result = *std::move(filed);
  }
  return render_slips(pages, req, lang, *session, *input, filed_index, result);
}

}  // namespace grievance::http::pages::staff
