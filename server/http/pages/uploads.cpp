// A form with a file, sent without JavaScript (docs/domain.md "Evidence"): multipart/form-data
// read in place - the file's bytes are cut out of the request body, never copied - and the
// other fields handed on as an ordinary form.
#include "server/http/multipart.hpp"
#include "server/http/pages/kit.hpp"

namespace grievance::http::pages {

std::expected<UploadPost, Response> PageFamily::read_upload(Request& req,
                                                            std::string_view file_field) const {
  const auto boundary = web::multipart_boundary(req[bhttp::field::content_type]);
  if (!boundary) {
    return std::unexpected(unsupported_media(req, "Send the form as multipart/form-data."));
  }
  if (auto refused = refuse_cross_site(req)) return std::unexpected(*std::move(refused));
  auto form = web::MultipartForm::parse_in_place(req.body(), *boundary, file_field);
  if (!form) {
    return std::unexpected(
        error_page(req, language_of(req),
                   domain::Error::invalid_field("file", "The form could not be read.")));
  }
  UploadPost out;
  std::string encoded;
  for (auto& part : const_cast<std::vector<web::MultipartPart>&>(form->parts())) {
    if (part.name == file_field) {
      if (out.file.empty() && out.filename.empty()) {
        out.file = std::move(part.body);
        out.filename = part.filename.value_or("");
      }
      continue;
    }
    if (!encoded.empty()) encoded += '&';
    encoded += web::url_encode(part.name) + "=" + web::url_encode(part.body);
  }
  req.body().clear();
  out.form = FormData::parse(encoded);
  out.lang = language_of(req, &out.form);
  return out;
}

}  // namespace grievance::http::pages
