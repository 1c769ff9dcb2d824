// The RFC 4180 reader behind a union's CSV batch: every edge a spreadsheet export produces.
#include "server/http/csv.hpp"

#include <gtest/gtest.h>

namespace grievance::http {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows fields(std::string_view text, CsvLimits limits = {}) {
  auto parsed = parse_csv(text, limits);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  Rows out;
  if (parsed) {
    for (const auto& r : *parsed) out.push_back(r.fields);
  }
  return out;
}

domain::Error error_of(std::string_view text, CsvLimits limits = {}) {
  auto parsed = parse_csv(text, limits);
  EXPECT_FALSE(parsed) << text;
  return parsed ? domain::Error{} : parsed.error();
}

TEST(Csv, PlainRecordsWithLfCrlfAndLoneCr) {
  EXPECT_EQ(fields("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(fields("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(fields("a,b\r1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(fields("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}})) << "last line end optional";
}

TEST(Csv, EmptyFieldsAndEmptyLines) {
  EXPECT_EQ(fields("a,,c\n,,\n"), (Rows{{"a", "", "c"}, {"", "", ""}}));
  EXPECT_EQ(fields("a,b,\n"), (Rows{{"a", "b", ""}})) << "a trailing comma is an empty field";
  EXPECT_EQ(fields("a\n\n\r\nb\n\n"), (Rows{{"a"}, {"b"}})) << "blank lines are skipped";
  EXPECT_EQ(fields(""), Rows{});
  EXPECT_EQ(fields("\n\r\n"), Rows{});
  EXPECT_EQ(fields("\"\"\n"), (Rows{{""}})) << "a quoted empty field is a record";
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  EXPECT_EQ(fields("\"a,b\",c\n"), (Rows{{"a,b", "c"}}));
  EXPECT_EQ(fields("\"say \"\"hi\"\"\",x\n"), (Rows{{"say \"hi\"", "x"}}));
  EXPECT_EQ(fields("\"\"\"\"\n"), (Rows{{"\""}}));
  EXPECT_EQ(fields("\"line one\nline two\",x\r\n"), (Rows{{"line one\nline two", "x"}}));
  EXPECT_EQ(fields("\"crlf\r\ninside\"\r\n"), (Rows{{"crlf\r\ninside"}}));
  EXPECT_EQ(fields("\"\",\"\"\n"), (Rows{{"", ""}}));
  EXPECT_EQ(fields(" a , b \n"), (Rows{{" a ", " b "}})) << "spaces are data";
}

TEST(Csv, RecordsKnowTheLineTheyStartOn) {
  auto parsed = parse_csv("h1,h2\n\"a\nb\nc\",x\n\nlast,y\n");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].line, 1u);
  EXPECT_EQ((*parsed)[1].line, 2u);
  EXPECT_EQ((*parsed)[2].line, 6u);
  auto crlf = parse_csv("h\r\n\"a\r\nb\"\r\nc\r\n");
  ASSERT_TRUE(crlf);
  EXPECT_EQ((*crlf)[2].line, 4u);
}

TEST(Csv, Utf8AndTheByteOrderMark) {
  EXPECT_EQ(fields("\xEF\xBB\xBFlanguage,narrative\nvi,Qu\xE1\xBA\xA3n \xC4\x91\xE1\xBB\x91\x63\n"),
            (Rows{{"language", "narrative"}, {"vi", "Qu\xE1\xBA\xA3n \xC4\x91\xE1\xBB\x91\x63"}}));
  EXPECT_EQ(fields("a,\xEF\xBB\xBF\n"), (Rows{{"a", "\xEF\xBB\xBF"}}))
      << "only a leading BOM is skipped";
  EXPECT_EQ(fields("\"\xF0\x9F\x99\x82,\"\n"), (Rows{{"\xF0\x9F\x99\x82,"}}));
}

TEST(Csv, InvalidTextIsRefusedNamingTheLine) {
  auto bad = error_of("a,b\n1,\xff\n");
  EXPECT_EQ(bad.code, domain::ErrorCode::kInvalidField);
  EXPECT_EQ(bad.field, "body");
  EXPECT_NE(bad.message.find("line 2"), std::string::npos) << bad.message;
  EXPECT_NE(error_of("a\n\xC0\xAF\n").message.find("line 2"), std::string::npos) << "overlong";
  EXPECT_NE(error_of("a\n\xED\xA0\x80\n").message.find("line 2"), std::string::npos) << "surrogate";
  EXPECT_NE(error_of("a\nb\xE1\xBA\n").message.find("line 2"), std::string::npos) << "truncated";
  EXPECT_NE(error_of(std::string_view("a\0b\n", 4)).message.find("line 1"), std::string::npos)
      << "NUL";
}

TEST(Csv, MalformedQuotingIsRefused) {
  auto open = error_of("a,b\n\"never closed,x\n1,2\n");
  EXPECT_EQ(open.field, "body");
  EXPECT_NE(open.message.find("line 2"), std::string::npos) << open.message;
  EXPECT_NE(open.message.find("not closed"), std::string::npos);
  EXPECT_NE(error_of("ab\"c,d\n").message.find("quote"), std::string::npos);
  EXPECT_NE(error_of("\"a\"b,c\n").message.find("closing quote"), std::string::npos);
  EXPECT_NE(error_of("x\n\"a\" ,c\n").message.find("line 2"), std::string::npos);
  error_of("\"");
  error_of("a,\"");
}

TEST(Csv, LimitsAreCheckedWhileReading) {
  auto many = error_of("a\nb\nc\nd\n", CsvLimits{3, 10});
  EXPECT_EQ(many.field, "rows");
  EXPECT_EQ(fields("a\nb\nc\n", CsvLimits{3, 10}).size(), 3u);
  EXPECT_EQ(fields("a\n\n\nb\n\n\nc\n\n", CsvLimits{3, 10}).size(), 3u)
      << "blank lines do not count";
  auto wide = error_of("a,b,c,d\n", CsvLimits{10, 3});
  EXPECT_EQ(wide.field, "rows");
  EXPECT_EQ(fields(",,\n", CsvLimits{10, 3}), (Rows{{"", "", ""}}));
  // A megabyte of commas stops at the field limit instead of allocating a million strings.
  EXPECT_EQ(error_of(std::string(1 << 20, ','), CsvLimits{1001, 64}).field, "rows");
}

TEST(Csv, ArbitraryBytesNeverCrash) {
  // Deterministic pseudo-random inputs over the interesting alphabet.
  const char alphabet[] = {'a', ',', '"', '\n', '\r', '\xEF', '\xBB', '\xBF', '\xC3', '\xA9', ' '};
  std::uint32_t state = 2463534242u;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int len = static_cast<int>(state % 40);
    for (int k = 0; k < len; ++k) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      s += alphabet[state % sizeof alphabet];
    }
    auto parsed = parse_csv(s, CsvLimits{50, 50});
    if (parsed) {
      for (const auto& r : *parsed) EXPECT_FALSE(r.fields.empty());
    } else {
      EXPECT_FALSE(parsed.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace grievance::http
