// Evidence on the staff case page (docs/domain.md "Evidence"): the upload form for a party of
// the case (multipart/form-data, no JavaScript needed) and its POST; the timeline links each
// file for download (GET /api/v1/cases/{reference}/attachments/{seq}, the same session cookie).
#include "server/http/pages/staff/case_page.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

void add_attachment_form(const StaffPages& pages, domain::Language l, const domain::CaseView& view,
                         const CaseForms& forms, nlohmann::json& data) {
  if (!view.may_attach) return;
  std::string error;
  for (const FieldError& e : forms.errors) {
    if (e.field == "attach.file") error = e.message;
  }
  data["attach"] = {
      {"action", "/staff/cases/" + view.c.reference + "/attachments"},
      {"max_mb", std::to_string(pages.services().config().attachment_max_bytes >> 20)},
      {"err_file", error}};
  (void)l;
}

Response case_attach(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = pages.read_upload(req);
  if (!post) return std::move(post).error();
  auto session = pages.form_session(req, post->lang, post->form.get("csrf"));
  if (!session) return std::move(session).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const domain::Language l = post->lang.lang;
  auto refuse = [&](domain::ErrorCode code, bhttp::status status) {
    CaseForms forms;
    forms.form = "attach";
    forms.status = status;
    forms.errors.push_back(
        {"attach.file", "attach-file",
         pages.kit().format(
             l, worker::attachment_error_key(code),
             {{"mb", std::to_string(pages.services().config().attachment_max_bytes >> 20)}})});
    return render_case(pages, req, post->lang, *session, reference, forms);
  };
  if (post->file.empty())
    return refuse(domain::ErrorCode::kInvalidField, bhttp::status::bad_request);
  auto added =
      pages.services().casework.add_attachment(*session, reference, post->filename, post->file);
  if (!added) {
    switch (added.error().code) {
      case domain::ErrorCode::kNotFound:
        return pages.not_found_page(req, post->lang, &*session);
      case domain::ErrorCode::kUnsupportedMediaType:
        return refuse(added.error().code, bhttp::status::unsupported_media_type);
      case domain::ErrorCode::kPayloadTooLarge:
        return refuse(added.error().code, bhttp::status::payload_too_large);
      case domain::ErrorCode::kConflict:
        return refuse(added.error().code, bhttp::status::conflict);
      case domain::ErrorCode::kInvalidField:
        return refuse(added.error().code, bhttp::status::bad_request);
      default:
        return pages.error_page(req, post->lang, added.error());
    }
  }
  return redirect_response(
      "/staff/cases/" + reference + "?lang=" + lang_code(l) + "&attached=1#timeline-title", req);
}

}  // namespace grievance::http::pages::staff
