// The streaming JSON writer the API answers with: well-formed output for any nesting, strings
// escaped as nlohmann's dump() escapes them, invalid UTF-8 replaced (never emitted).
#include "server/http/json_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace grievance::http {
namespace {

using nlohmann::json;

TEST(JsonWriter, NestsObjectsAndArraysWithCommasInTheRightPlaces) {
  std::string out;
  {
    JsonWriter w(out);
    w.begin_object()
        .field("a", 1)
        .field("b", "two")
        .key("c")
        .begin_array()
        .value(true)
        .null()
        .begin_object()
        .end_object()
        .begin_array()
        .end_array()
        .begin_object()
        .field("d", std::int64_t{-9007199254740993})
        .field("e", std::uint64_t{18446744073709551615u})
        .end_object()
        .end_array()
        .field("f", std::optional<std::int64_t>())
        .field("g", std::optional<std::int64_t>(7))
        .key("h")
        .raw(R"({"x":[1]})")
        .end_object();
  }
  const json parsed = json::parse(out);
  const json expected = json::parse(
      R"({"a":1,"b":"two","c":[true,null,{},[],{"d":-9007199254740993,"e":18446744073709551615}],)"
      R"("f":null,"g":7,"h":{"x":[1]}})");
  EXPECT_EQ(parsed, expected) << out;
  EXPECT_EQ(out.find(' '), std::string::npos) << "compact";
}

TEST(JsonWriter, EscapesEveryAsciiByteSoTheStringComesBack) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all.push_back('\0');
  std::string out;
  JsonWriter(out).value(all);
  EXPECT_EQ(json::parse(out).get<std::string>(), all);
  EXPECT_NE(out.find("\\u001f"), std::string::npos);
  EXPECT_NE(out.find("\\n"), std::string::npos);
  EXPECT_NE(out.find("\\\""), std::string::npos);
  EXPECT_NE(out.find("\\u0000"), std::string::npos);
}

TEST(JsonWriter, KeepsUtf8AndReplacesWhatIsNotUtf8) {
  const std::string text = "Upah lembur · Xưởng may · 工资 · 🙂";
  std::string out;
  JsonWriter(out).value(text);
  EXPECT_EQ(json::parse(out).get<std::string>(), text);
  EXPECT_EQ(out, "\"" + text + "\"") << "UTF-8 is written as it is, not as \\u escapes";

  for (const std::string& bad : {std::string("\xff"), std::string("a\xc3"), std::string("\xc0\xaf"),
                                 std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    std::string o;
    JsonWriter(o).value(bad);
    const auto parsed = json::parse(o, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << "invalid UTF-8 never reaches the output";
    EXPECT_NE(parsed.get<std::string>().find("\xef\xbf\xbd"), std::string::npos);
  }
}

// Random bytes: the writer's string is what nlohmann makes of the same bytes with its
// replace handler (the API's answers before the writer), and it always parses.
TEST(JsonWriter, AgreesWithNlohmannOnRandomBytes) {
  std::mt19937 rng(20261130);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40), pick(0, 3);
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const int n = length(rng);
    for (int j = 0; j < n; ++j) {
      // Mostly text-like bytes, so multi-byte sequences occur, whole and broken.
      const int kind = pick(rng);
      s.push_back(static_cast<char>(kind == 0   ? byte(rng)
                                    : kind == 1 ? 0x80 + byte(rng) % 64
                                    : kind == 2 ? 0xc2 + byte(rng) % 51
                                                : 0x20 + byte(rng) % 95));
    }
    std::string ours;
    JsonWriter(ours).value(s);
    const auto parsed = json::parse(ours, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << ours;
    const std::string theirs = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    EXPECT_EQ(parsed, json::parse(theirs))
        << "input bytes " << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

}  // namespace
}  // namespace grievance::http
