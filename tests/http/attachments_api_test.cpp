// Evidence through the API (docs/domain.md "Evidence"): upload as a raw body and as
// multipart/form-data, the download's headers, the GPS photo coming back without its EXIF, a
// renamed executable and a polyglot refused with a 4xx JSON error and nothing stored, a foreign
// company's download 404, and the multipart parser cutting the file out in place.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "server/http/multipart.hpp"
#include "server/http/server_app.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::http {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

std::string gps_photo() {
  std::ifstream in(std::string(GRIEVANCE_SOURCE_DIR) + "/tests/fixtures/gps_photo.jpg",
                   std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class AttachmentsApiTest : public grievance::testing::CaseworkFixture {
 protected:
  void SetUp() override {
    CaseworkFixture::SetUp();
    app_ = make_app(AppDeps{*service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }
  Response call(bhttp::verb method, const std::string& target, std::string body,
                const std::string& content_type, const std::string& token) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, content_type);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    RequestContext ctx{"127.0.0.1", true, "test"};
    return app_->handle(req, ctx);
  }
  std::string staff_token(const char* email) {
    auto s = service_->staff.sign_in(email, kPassword, "", "client");
    EXPECT_TRUE(s);
    return s ? s->token : "";
  }
  // Files a complaint; returns the reference and the complainant's token.
  std::pair<std::string, std::string> filed() {
    domain::ComplaintDraft d;
    d.language = "en";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "Wages were not paid.";
    d.site_id = site_;
    d.country = "ID";
    d.anonymous = true;
    auto f = service_->filing.file_complaint(d, domain::Channel::kWeb, {}, nullptr);
    EXPECT_TRUE(f);
    auto s = service_->complainants.sign_in(f->filed.reference, f->access_code, "c");
    EXPECT_TRUE(s);
    return {f->filed.reference, s ? s->token : ""};
  }
  std::size_t attachment_events(const std::string& ref) {
    auto v = service_->casework.view_case(staff("admin@example.org"), ref);
    return static_cast<std::size_t>(std::count_if(
        v->events.begin(), v->events.end(),
        [](const domain::CaseEvent& e) { return e.type == domain::EventType::kAttachment; }));
  }
  std::unique_ptr<App> app_;
};

TEST_F(AttachmentsApiTest, ARawUploadComesBackCleanedWithSafeDownloadHeaders) {
  auto [ref, worker] = filed();
  auto res = call(bhttp::verb::post,
                  "/api/v1/cases/" + ref + "/attachments?name=" + "slip%20%22march%22.jpeg",
                  gps_photo(), "application/octet-stream", worker);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto event = json::parse(res.body());
  EXPECT_EQ(event["type"], "attachment");
  EXPECT_EQ(event["body"], "slip _march_.jpg");
  EXPECT_EQ(event["attachment"]["media_type"], "image/jpeg");
  EXPECT_EQ(event["attachment"]["metadata_removed"], true);
  const auto seq = event["seq"].get<std::int64_t>();

  auto got = call(bhttp::verb::get, "/api/v1/cases/" + ref + "/attachments/" + std::to_string(seq),
                  "", "", staff_token("plantation@example.org"));
  ASSERT_EQ(got.result_int(), 200);
  EXPECT_EQ(std::string(got[bhttp::field::content_type]), "image/jpeg");
  EXPECT_EQ(std::string(got[bhttp::field::content_disposition]),
            "attachment; filename=\"slip _march_.jpg\"; filename*=UTF-8''slip%20_march_.jpg");
  EXPECT_EQ(std::string(got["X-Content-Type-Options"]), "nosniff");
  EXPECT_EQ(std::string(got[bhttp::field::cache_control]), "no-store");
  EXPECT_EQ(std::string(got["X-Content-SHA256"]), event["attachment"]["sha256"].get<std::string>());
  EXPECT_EQ(static_cast<std::int64_t>(got.body().size()),
            event["attachment"]["size"].get<std::int64_t>());
  EXPECT_EQ(got.body().find("GPS"), std::string::npos);
  EXPECT_EQ(got.body().find("Exif"), std::string::npos);
  EXPECT_TRUE(got.body().starts_with("\xFF\xD8") && got.body().ends_with("\xFF\xD9"));
}

TEST_F(AttachmentsApiTest, AForeignCompanysDownloadAnswers404) {
  auto [ref, worker] = filed();
  auto res = call(bhttp::verb::post, "/api/v1/cases/" + ref + "/attachments?name=a.jpg",
                  gps_photo(), "image/jpeg", worker);
  ASSERT_EQ(res.result_int(), 201);
  const auto seq = json::parse(res.body())["seq"].get<std::int64_t>();
  user("other@example.org", "company", other_);
  auto got = call(bhttp::verb::get, "/api/v1/cases/" + ref + "/attachments/" + std::to_string(seq),
                  "", "", staff_token("other@example.org"));
  EXPECT_EQ(got.result_int(), 404);
  EXPECT_EQ(json::parse(got.body())["error"]["code"], "not_found");
  // A seq that is not an attachment is 404 too.
  auto filed_event = call(bhttp::verb::get, "/api/v1/cases/" + ref + "/attachments/1", "", "",
                          staff_token("plantation@example.org"));
  EXPECT_EQ(filed_event.result_int(), 404);
}

TEST_F(AttachmentsApiTest, ARenamedExecutableAndAPolyglotAre415AndNothingIsStored) {
  auto [ref, worker] = filed();
  auto exe = call(bhttp::verb::post, "/api/v1/cases/" + ref + "/attachments?name=photo.jpg",
                  std::string("\x7f"
                              "ELF\x02\x01\x01\0",
                              8) +
                      std::string(64, '\0'),
                  "image/jpeg", worker);
  EXPECT_EQ(exe.result_int(), 415);
  auto j = json::parse(exe.body());
  EXPECT_EQ(j["error"]["code"], "unsupported_media_type") << exe.body();
  auto polyglot =
      call(bhttp::verb::post, "/api/v1/cases/" + ref + "/attachments?name=photo.jpg",
           gps_photo() + std::string("PK\x03\x04\x14\0\0\0\x08\0", 10) + std::string(30, 'x') +
               std::string("PK\x05\x06", 4) + std::string(18, '\0'),
           "image/jpeg", worker);
  EXPECT_EQ(polyglot.result_int(), 415);
  EXPECT_EQ(attachment_events(ref), 0u);
  EXPECT_EQ(store_.attachments().blob_count(), 0u);
}

TEST_F(AttachmentsApiTest, AMultipartUploadFromABrowserForm) {
  auto [ref, worker] = filed();
  const std::string boundary = "----grievance7MA4YWxkTrZu0gW";
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"IMG_1.jpg\""
                     "\r\nContent-Type: image/jpeg\r\n\r\n" +
                     gps_photo() + "\r\n--" + boundary + "--\r\n";
  auto res = call(bhttp::verb::post, "/api/v1/cases/" + ref + "/attachments", body,
                  "multipart/form-data; boundary=" + boundary, worker);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  EXPECT_EQ(json::parse(res.body())["body"], "IMG_1.jpg");
}

TEST(MultipartInPlace, TheFilePartIsCutOutOfTheBodyWithoutACopy) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\nPNGBYTES\r\n--b--\r\n";
  body.reserve(4096);
  const char* buffer = body.data();
  auto form = web::MultipartForm::parse_in_place(body, "b", "file");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->get("csrf_token"), "tok");
  const auto* file = form->find("file");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->body, "PNGBYTES");
  EXPECT_EQ(file->filename, "a.png");
  EXPECT_EQ(file->body.data(), buffer) << "the same buffer, not a copy";
}

}  // namespace
}  // namespace grievance::http
