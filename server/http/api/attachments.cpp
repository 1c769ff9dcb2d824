// Evidence (docs/domain.md "Evidence"): POST /api/v1/cases/{reference}/attachments takes the
// file as the raw body (its name in ?name= or X-Filename) or as multipart/form-data (a "file"
// part; what a browser form sends); GET .../attachments/{seq} answers the bytes. What the file
// is comes from its content, never from the Content-Type sent; the download names the detected
// type, is never sniffed (nosniff), never rendered in place (Content-Disposition: attachment)
// and never cached (no-store).
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/multipart.hpp"
#include "server/http/responses.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::api {

using domain::Error;

namespace {

domain::Result<domain::Visibility> visibility_from(std::string_view text) {
  if (text.empty() || text == "parties") return domain::Visibility::kParties;
  if (text == "mechanism") return domain::Visibility::kMechanism;
  return domain::fail(Error::invalid_field("visibility", "Must be parties or mechanism."));
}

}  // namespace

// RFC 6266: an ASCII fallback (quotes, backslashes and non-ASCII replaced) and the UTF-8 name
// percent-encoded (RFC 8187).
std::string content_disposition(std::string_view file_name) {
  std::string ascii;
  for (const char c : file_name) {
    const auto u = static_cast<unsigned char>(c);
    ascii += (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') ? '_' : c;
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + web::url_encode(file_name);
}

Response post_attachment(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_CHECK(require_query_params(req.target(), {"name", "visibility"}));
  std::string name = query_param(req.target(), "name").value_or("");
  // A header carries ASCII: a client percent-encodes a name in other scripts.
  if (name.empty()) name = web::url_decode(req["X-Filename"]);
  GRV_TRY(visibility, visibility_from(query_param(req.target(), "visibility").value_or("")));
  std::string bytes;
  const auto boundary = web::multipart_boundary(req[bhttp::field::content_type]);
  if (boundary) {
    auto form = web::MultipartForm::parse_in_place(req.body(), *boundary, "file");
    const web::MultipartPart* file = form ? form->find("file") : nullptr;
    if (!file) {
      return error_response(Error::invalid_field("file", "Send the file in a part named file."),
                            req);
    }
    if (name.empty()) name = file->filename.value_or("");
    bytes = std::move(const_cast<web::MultipartPart*>(file)->body);
  } else {
    bytes = std::move(req.body());
  }
  req.body().clear();
  GRV_TRY(event, api.services.casework.add_attachment(session, p.get("reference"), name, bytes,
                                                      visibility));
  return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_event(w, event); });
}

Response get_attachment(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  const auto seq = parse_path_id(p.get("seq"));
  if (!seq) return error_response(Error::not_found("No such file in this case."), req);
  GRV_TRY(event, api.services.casework.attachment_event(session, p.get("reference"), *seq));
  Response res{bhttp::status::ok, req.version()};
  res.body().reserve(static_cast<std::size_t>(event.attachment->size));
  GRV_CHECK(api.services.casework.read_attachment(event, [&](std::string_view piece) {
    res.body().append(piece);
    return true;
  }));
  res.set(bhttp::field::content_type, event.attachment->media_type);
  res.set(bhttp::field::content_disposition, content_disposition(event.body));
  res.set("X-Content-SHA256", event.attachment->sha256);
  finish(res, req.version(), req.keep_alive());  // nosniff, no-store, the security headers
  return res;
}

}  // namespace grievance::http::api
