// multipart/form-data as browsers send it (RFC 7578): the union's CSV batch upload.
#include "server/http/multipart.hpp"

#include <gtest/gtest.h>

#include <string>

namespace grievance::http::web {
namespace {

// What chromium sends for <form enctype="multipart/form-data"> with two fields and a file.
const std::string kBoundary = "----WebKitFormBoundaryq8Xz3Lk2mN7pR4sT";
std::string browser_body(std::string_view csv) {
  return "--" + kBoundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"csrf\"\r\n"
         "\r\n"
         "tok123\r\n"
         "--" +
         kBoundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"paper forms.csv\"\r\n"
         "Content-Type: text/csv\r\n"
         "\r\n" +
         std::string(csv) + "\r\n--" + kBoundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"lang\"\r\n"
         "\r\n"
         "nl\r\n"
         "--" +
         kBoundary + "--\r\n";
}

TEST(MultipartTest, ReadsTheBoundaryFromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + kBoundary), kBoundary);
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=xyz"), "xyz");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')),
            std::nullopt);
  EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded; boundary=x"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"unterminated"), std::nullopt);
}

TEST(MultipartTest, SplitsFieldsAndAFileKeepingItsBytes) {
  // CRLF inside the file, UTF-8, a line that looks like a delimiter of another boundary.
  const std::string csv =
      "language,narrative\r\nvi,\"Lương, \"\"tăng ca\"\"\"\r\nid,--other\r\n--\r\n";
  auto form = MultipartForm::parse(browser_body(csv), kBoundary);
  ASSERT_TRUE(form);
  ASSERT_EQ(form->parts().size(), 3u);
  EXPECT_EQ(form->get("csrf"), "tok123");
  EXPECT_EQ(form->get("lang"), "nl");
  const MultipartPart* file = form->find("file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "paper forms.csv");
  EXPECT_EQ(file->content_type, "text/csv");
  EXPECT_EQ(file->body, csv);
  EXPECT_FALSE(form->parts()[0].filename.has_value());
  EXPECT_EQ(form->find("missing"), nullptr);
  EXPECT_EQ(form->get("missing"), "");
}

TEST(MultipartTest, AcceptsPreambleEpilogueEmptyFilesAndEscapedNames) {
  const std::string body =
      "this is a preamble\r\n--B\r\n"
      "content-disposition: form-data; name=\"a\\\"b\"; filename=\"\"\r\n"
      "content-type: application/octet-stream\r\n\r\n"
      "\r\n--B  \r\n"
      "Content-Disposition: form-data; name=empty\r\n\r\n"
      "\r\n--B--\r\nepilogue";
  auto form = MultipartForm::parse(body, "B");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->parts().size(), 2u);
  EXPECT_EQ(form->parts()[0].name, "a\"b");
  EXPECT_EQ(form->parts()[0].filename, "");
  EXPECT_EQ(form->parts()[0].body, "");
  EXPECT_EQ(form->get("empty"), "");
}

TEST(MultipartTest, RefusesMalformedBodies) {
  auto parses = [](std::string_view body) { return MultipartForm::parse(body, "B").has_value(); };
  EXPECT_TRUE(parses("--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--B--"));
  EXPECT_FALSE(parses(""));
  EXPECT_FALSE(parses("no delimiter at all"));
  // Never closed.
  EXPECT_FALSE(parses("--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1"));
  // No Content-Disposition, or not form-data, or no name.
  EXPECT_FALSE(parses("--B\r\nContent-Type: text/plain\r\n\r\n1\r\n--B--"));
  EXPECT_FALSE(parses("--B\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\n1\r\n--B--"));
  EXPECT_FALSE(parses("--B\r\nContent-Disposition: form-data\r\n\r\n1\r\n--B--"));
  // A header line without a colon; headers never ended.
  EXPECT_FALSE(parses("--B\r\nnonsense\r\n\r\n1\r\n--B--"));
  EXPECT_FALSE(parses("--B\r\nContent-Disposition: form-data; name=\"x\"\r\n--B--"));
  // Garbage after the delimiter instead of a line break.
  EXPECT_FALSE(parses("--Bxyz\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--B--"));
  // Unterminated quoted name.
  EXPECT_FALSE(parses("--B\r\nContent-Disposition: form-data; name=\"x\r\n\r\n1\r\n--B--"));
  EXPECT_FALSE(MultipartForm::parse("--\r\n\r\n--", "").has_value());
}

TEST(MultipartTest, EnforcesItsLimits) {
  std::string body;
  for (int i = 0; i < 5; ++i) {
    body +=
        "--B\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  body += "--B--\r\n";
  EXPECT_TRUE(MultipartForm::parse(body, "B", {.max_parts = 5}));
  EXPECT_FALSE(MultipartForm::parse(body, "B", {.max_parts = 4}));
  const std::string long_header =
      "--B\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Pad: " + std::string(5000, 'p') +
      "\r\n\r\n1\r\n--B--";
  EXPECT_FALSE(MultipartForm::parse(long_header, "B"));
  EXPECT_TRUE(MultipartForm::parse(long_header, "B", {.max_header_bytes = 8000}));
}

}  // namespace
}  // namespace grievance::http::web
