// The complainant adds evidence from the case page (docs/domain.md "Evidence"): a plain
// multipart/form-data POST with the session's CSRF token, so that a phone's camera works with
// JavaScript off (<input type="file" accept="image/*,audio/*,application/pdf" capture>). The
// domain checks and cleans the file; a refusal is shown next to the file field.
#include "server/http/auth.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::worker {

// The catalogue key saying why a file was refused.
std::string attachment_error_key(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::kUnsupportedMediaType:
      return "attach_error_type";
    case domain::ErrorCode::kPayloadTooLarge:
      return "attach_error_size";
    case domain::ErrorCode::kConflict:
      return "attach_error_count";
    default:
      return "attach_error_file";
  }
}

Response post_attachment(const WorkerPages& pages, Request& req) {
  auto post = pages.read_upload(req);
  if (!post) return std::move(post).error();
  auto session = authenticate(req, pages.services().sessions, post->form.get("csrf"));
  if (!session) {
    if (session.error().code == domain::ErrorCode::kCsrfFailed) {
      return pages.csrf_failed(req, post->lang);
    }
    return pages.to_follow(req, post->lang.lang);
  }
  auto own = pages.services().casework.view_own_case(*session);
  if (!own) return pages.to_follow(req, post->lang.lang);
  const domain::Visibility visibility = post->form.get("to") == "mechanism"
                                            ? domain::Visibility::kMechanism
                                            : domain::Visibility::kParties;
  const PageKit& kit = pages.kit();
  const domain::Language l = post->lang.lang;
  CaseForm form;
  if (post->file.empty()) {
    form.errors.push_back({"attach", "attach-file", kit.text(l, "attach_error_file")});
    return render_case(pages, req, post->lang, *session, form, {}, bhttp::status::bad_request);
  }
  auto added = pages.services().casework.add_attachment(*session, own->c.reference, post->filename,
                                                        post->file, visibility);
  if (!added) {
    const auto code = added.error().code;
    if (code == domain::ErrorCode::kUnavailable || code == domain::ErrorCode::kInternal) {
      return pages.error_page(req, post->lang, added.error());
    }
    form.errors.push_back(
        {"attach", "attach-file",
         kit.format(
             l, attachment_error_key(code),
             {{"mb", std::to_string(pages.services().config().attachment_max_bytes >> 20)}})});
    const auto status =
        code == domain::ErrorCode::kUnsupportedMediaType ? bhttp::status::unsupported_media_type
        : code == domain::ErrorCode::kPayloadTooLarge    ? bhttp::status::payload_too_large
        : code == domain::ErrorCode::kConflict           ? bhttp::status::conflict
                                                         : bhttp::status::bad_request;
    return render_case(pages, req, post->lang, *session, form, {}, status);
  }
  return redirect_response("/case?done=attachment&lang=" + lang_code(l) + "#timeline", req);
}

}  // namespace grievance::http::pages::worker
