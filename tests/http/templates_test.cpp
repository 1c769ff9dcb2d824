// The template language, the catalogues and language negotiation of the worker pages.
#include "server/http/pages/templates.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/http/pages/i18n.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::web {
namespace {

using domain::Language;
using nlohmann::json;

const std::string kWebDir = std::string(GRIEVANCE_SOURCE_DIR) + "/web";

std::string render(std::string_view source, const json& context) {
  return Template::parse(source).render(context);
}

TEST(TemplateTest, SubstitutesAndEscapesValues) {
  EXPECT_EQ(render("Hello {{name}}!", json{{"name", "Siti"}}), "Hello Siti!");
  EXPECT_EQ(render("<p>{{x}}</p>", json{{"x", "<script>alert('x')</script>"}}),
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
  EXPECT_EQ(render("<a title=\"{{x}}\">", json{{"x", "\" onmouseover=\"a`"}}),
            "<a title=\"&quot; onmouseover=&quot;a&#96;\">");
  EXPECT_EQ(render("{{x}}", json{{"x", "a & b"}}), "a &amp; b");
}

TEST(TemplateTest, TripleBracesAreRawForServerFragments) {
  EXPECT_EQ(render("<main>{{{body}}}</main>", json{{"body", "<h1>Hi</h1>"}}),
            "<main><h1>Hi</h1></main>");
  EXPECT_EQ(render("{{&body}}", json{{"body", "<b>"}}), "<b>");
}

TEST(TemplateTest, MissingNamesRenderNothing) {
  EXPECT_EQ(render("[{{missing}}][{{a.b.c}}]", json{{"a", 1}}), "[][]");
}

TEST(TemplateTest, NumbersAndBooleansRenderAsText) {
  EXPECT_EQ(render("{{n}} {{b}}", json{{"n", 7}, {"b", true}}), "7 true");
}

TEST(TemplateTest, DottedNamesDescendIntoObjects) {
  EXPECT_EQ(render("{{t.title}}", json{{"t", {{"title", "Judul"}}}}), "Judul");
}

TEST(TemplateTest, SectionsIterateListsWithTheElementOnTop) {
  const json ctx = {{"lang", "id"}, {"items", json::array({{{"name", "a"}}, {{"name", "b"}}})}};
  EXPECT_EQ(render("{{#items}}<li>{{name}}-{{lang}}</li>{{/items}}", ctx),
            "<li>a-id</li><li>b-id</li>");
  EXPECT_EQ(render("{{#xs}}{{.}},{{/xs}}", json{{"xs", {"<1>", "2"}}}), "&lt;1&gt;,2,");
}

TEST(TemplateTest, SectionsAreConditionals) {
  const json ctx = {{"yes", true},     {"no", false},           {"empty", ""},
                    {"none", nullptr}, {"list", json::array()}, {"msg", "Fix <this>"}};
  EXPECT_EQ(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#empty}}E{{/empty}}{{#none}}0{{/none}}"
                   "{{#list}}L{{/list}}{{#missing}}M{{/missing}}",
                   ctx),
            "Y");
  EXPECT_EQ(render("{{^no}}N{{/no}}{{^empty}}E{{/empty}}{{^list}}L{{/list}}{{^yes}}Y{{/yes}}", ctx),
            "NEL");
  // A string section pushes the string: {{.}} is the (escaped) value.
  EXPECT_EQ(render("{{#msg}}<p>{{.}}</p>{{/msg}}", ctx), "<p>Fix &lt;this&gt;</p>");
}

TEST(TemplateTest, ObjectSectionsPushTheObject) {
  EXPECT_EQ(render("{{#v}}{{a}}{{/v}}", json{{"v", {{"a", "x"}}}}), "x");
}

TEST(TemplateTest, CommentsRenderNothing) { EXPECT_EQ(render("a{{! note }}b", json{}), "ab"); }

TEST(TemplateTest, LaterStackEntriesShadowEarlierOnes) {
  const json bottom = {{"a", "bottom"}, {"b", "only-bottom"}};
  const json top = {{"a", "top"}};
  EXPECT_EQ(Template::parse("{{a}} {{b}}").render({&bottom, &top}), "top only-bottom");
}

TEST(TemplateTest, MalformedTemplatesAreRefusedAtParseTime) {
  EXPECT_THROW(Template::parse("{{#a}}x"), TemplateError);
  EXPECT_THROW(Template::parse("{{#a}}x{{/b}}"), TemplateError);
  EXPECT_THROW(Template::parse("{{/a}}"), TemplateError);
  EXPECT_THROW(Template::parse("{{a"), TemplateError);
  EXPECT_THROW(Template::parse("{{}}"), TemplateError);
  EXPECT_THROW(Template::parse("{{a b}}"), TemplateError);
  EXPECT_THROW(Template::parse("{{{a}}"), TemplateError);
}

TEST(TemplateTest, NamesListsEveryTag) {
  auto names = Template::parse("{{a}}{{#b}}{{c.d}}{{/b}}{{{e}}}").names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"a", "b", "c.d", "e"}));
}

TEST(TemplateSetTest, LoadsEveryWorkerPageTemplate) {
  auto set = TemplateSet::load(kWebDir + "/templates");
  for (const char* name : {"layout", "home", "complaint", "check", "receipt", "follow", "case",
                           "error", "error_summary"}) {
    EXPECT_TRUE(set.contains(name)) << name;
  }
}

TEST(TemplateSetTest, MissingDirectoryThrows) {
  EXPECT_THROW(TemplateSet::load("/nonexistent/templates"), TemplateError);
}

// ---- catalogues ---------------------------------------------------------------------------

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

TEST(CatalogueTest, EveryKeyIsInEveryCatalogueAndNoneIsEmpty) {
  const json en = read_json(kWebDir + "/i18n/en.json");
  ASSERT_GT(en.size(), 100u);
  for (Language lang : domain::all_languages()) {
    const std::string code(domain::to_string(lang));
    const json cat = read_json(kWebDir + "/i18n/" + code + ".json");
    for (const auto& [key, value] : en.items()) {
      ASSERT_TRUE(cat.contains(key)) << code << " lacks " << key;
      EXPECT_TRUE(cat[key].is_string()) << code << " " << key;
      EXPECT_FALSE(cat[key].get<std::string>().empty()) << code << " " << key;
    }
    for (const auto& [key, value] : cat.items()) {
      EXPECT_TRUE(en.contains(key)) << code << " has a key en lacks: " << key;
    }
  }
}

// A key written twice silently takes its last value (the sign-in page said "New password"):
// every key appears once in every catalogue.
TEST(CatalogueTest, NoKeyIsWrittenTwice) {
  for (Language lang : domain::all_languages()) {
    const std::string code(domain::to_string(lang));
    std::set<std::string> seen;
    json::parser_callback_t once = [&](int depth, json::parse_event_t event, json& parsed) {
      if (event == json::parse_event_t::key && depth == 1) {
        EXPECT_TRUE(seen.insert(parsed.get<std::string>()).second)
            << code << " has the key " << parsed << " twice";
      }
      return true;
    };
    std::ifstream in(kWebDir + "/i18n/" + code + ".json");
    EXPECT_TRUE(json::parse(in, once).is_object()) << code;
    EXPECT_GT(seen.size(), 100u) << code;
  }
}

TEST(CatalogueTest, PlaceholdersMatchAcrossLanguages) {
  const json en = read_json(kWebDir + "/i18n/en.json");
  auto placeholders = [](const std::string& s) {
    std::set<std::string> out;
    for (std::size_t pos = s.find('{'); pos != std::string::npos; pos = s.find('{', pos + 1)) {
      out.insert(s.substr(pos, s.find('}', pos) - pos + 1));
    }
    return out;
  };
  for (Language lang : domain::all_languages()) {
    const std::string code(domain::to_string(lang));
    const json cat = read_json(kWebDir + "/i18n/" + code + ".json");
    for (const auto& [key, value] : en.items()) {
      if (key == "date_format") continue;  // {month} or {m}: languages differ
      EXPECT_EQ(placeholders(cat[key].get<std::string>()), placeholders(value.get<std::string>()))
          << code << " " << key;
    }
  }
}

TEST(CatalogueTest, EveryTemplateKeyIsInTheCatalogues) {
  auto set = TemplateSet::load(kWebDir + "/templates");
  auto catalogues = Catalogues::load(kWebDir + "/i18n");
  const auto keys = catalogues.keys();
  const std::set<std::string> known(keys.begin(), keys.end());
  int checked = 0;
  for (const auto& [name, tmpl] : set.all()) {
    for (const auto& tag : tmpl.names()) {
      if (!tag.starts_with("t.")) continue;
      EXPECT_TRUE(known.contains(tag.substr(2))) << name << ".html uses " << tag;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50);
}

TEST(CatalogueTest, CodeKeysForEveryEnumValueExist) {
  auto catalogues = Catalogues::load(kWebDir + "/i18n");
  const auto keys = catalogues.keys();
  const std::set<std::string> known(keys.begin(), keys.end());
  for (auto c : domain::all_categories()) {
    EXPECT_TRUE(known.contains("category_" + std::string(domain::to_string(c))));
  }
  for (auto s : domain::all_case_statuses()) {
    EXPECT_TRUE(known.contains("status_" + std::string(domain::to_string(s))));
    EXPECT_TRUE(known.contains("status_help_" + std::string(domain::to_string(s))));
  }
  for (int e = 0; e <= static_cast<int>(domain::EventType::kClockResumed); ++e) {
    EXPECT_TRUE(known.contains("event_" +
                               std::string(domain::to_string(static_cast<domain::EventType>(e)))));
  }
  for (int r = 0; r <= static_cast<int>(domain::Role::kSystem); ++r) {
    EXPECT_TRUE(
        known.contains("actor_" + std::string(domain::to_string(static_cast<domain::Role>(r)))));
  }
  for (int m = 1; m <= 12; ++m) EXPECT_TRUE(known.contains("month_" + std::to_string(m)));
  for (const char* field :
       {"categories", "narrative", "site_id", "place", "country", "incident_date", "anonymous",
        "contact_name", "contact_phone", "contact_email", "language", "generic", "message_body"}) {
    EXPECT_TRUE(known.contains(std::string("error_") + field)) << field;
  }
}

TEST(CatalogueTest, AMissingKeyFailsAtLoad) {
  const auto dir = std::filesystem::temp_directory_path() / "grievance_i18n_missing_key";
  std::filesystem::create_directories(dir);
  for (Language lang : domain::all_languages()) {
    const std::string code(domain::to_string(lang));
    json cat = read_json(kWebDir + "/i18n/" + code + ".json");
    if (lang == Language::kVi) cat.erase("home_title");
    std::ofstream(dir / (code + ".json")) << cat.dump();
  }
  EXPECT_THROW(Catalogues::load(dir.string()), CatalogueError);
  std::filesystem::remove_all(dir);
}

TEST(CatalogueTest, FormatsPlaceholdersAndDates) {
  auto c = Catalogues::load(kWebDir + "/i18n");
  using std::chrono::November;
  const domain::Date d{std::chrono::year{2026}, November, std::chrono::day{6}};
  EXPECT_EQ(c.date(Language::kEn, d), "6 November 2026");
  EXPECT_EQ(c.date(Language::kNl, d), "6 november 2026");
  EXPECT_EQ(c.date(Language::kId, d), "6 November 2026");
  EXPECT_EQ(c.date(Language::kVi, d), "6 tháng 11 năm 2026");
  EXPECT_EQ(c.date(Language::kFr, d), "6 novembre 2026");
  EXPECT_EQ(c.format(Language::kEn, "error_too_many_attempts", {{"minutes", "15"}}),
            "Too many tries. Try again in 15 minutes.");
  EXPECT_EQ(c.text(Language::kEn, "no_such_key"), "no_such_key");
  EXPECT_EQ(fill_placeholders("{a} and {b} and {c}", {{"a", "1"}, {"b", "{a}"}}),
            "1 and {a} and {c}");
}

// ---- language negotiation ------------------------------------------------------------------

TEST(LanguageTest, AcceptLanguageHonoursQValues) {
  EXPECT_EQ(language_from_accept("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7"), Language::kId);
  EXPECT_EQ(language_from_accept("de-DE, vi;q=0.5, fr;q=0.6"), Language::kFr);
  EXPECT_EQ(language_from_accept("en;q=0.1, nl-BE;q=0.9"), Language::kNl);
  EXPECT_EQ(language_from_accept("VI-vn"), Language::kVi);
  EXPECT_EQ(language_from_accept("fr-CI;q=0.8, en;q=0.8"), Language::kFr);  // tie: header order
  EXPECT_EQ(language_from_accept("in"), Language::kId);  // legacy code for Indonesian
  EXPECT_EQ(language_from_accept("fr;q=0, en;q=0.2"), Language::kEn);
  EXPECT_EQ(language_from_accept("de, *;q=0.5"), std::nullopt);
  EXPECT_EQ(language_from_accept(""), std::nullopt);
  EXPECT_EQ(language_from_accept("fr;q=abc, nl;q=1.5, vi;q=0.3"), Language::kVi);
  EXPECT_EQ(language_from_accept(",,;;q=,id"), Language::kId);
}

TEST(LanguageTest, QueryBeatsCookieBeatsHeaderBeatsEnglish) {
  EXPECT_EQ(choose_language("vi", "fr", "nl"), Language::kVi);
  EXPECT_EQ(choose_language("xx", "fr", "nl"), Language::kFr);
  EXPECT_EQ(choose_language("", "zz", "nl;q=0.4"), Language::kNl);
  EXPECT_EQ(choose_language("", "", "de"), Language::kEn);
}

// ---- forms ---------------------------------------------------------------------------------

TEST(FormDataTest, DecodesUrlencodedBodies) {
  auto f = FormData::parse(
      "narrative=Gaji+tidak+dibayar%21&categories=wages&categories=working_hours&empty=&flag&&"
      "bad=%zz%4");
  EXPECT_EQ(f.get("narrative"), "Gaji tidak dibayar!");
  EXPECT_EQ(f.all("categories"), (std::vector<std::string>{"wages", "working_hours"}));
  EXPECT_TRUE(f.has("empty"));
  EXPECT_EQ(f.get("flag"), "");
  EXPECT_FALSE(f.has("missing"));
  EXPECT_EQ(f.get("bad"), "%zz%4");
  EXPECT_EQ(url_decode("Ti%E1%BA%BFng+Vi%E1%BB%87t"), "Tiếng Việt");
  EXPECT_EQ(url_encode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(FormDataTest, SplitsTargetsAndCookies) {
  EXPECT_EQ(target_path("/complaint?lang=id"), "/complaint");
  EXPECT_EQ(target_query("/complaint?lang=id"), "lang=id");
  EXPECT_EQ(target_query("/complaint"), "");
  EXPECT_EQ(cookie_value("a=1; lang=vi; __Host-session=xyz", "lang"), "vi");
  EXPECT_EQ(cookie_value("xlang=fr;lang=\"nl\"", "lang"), "nl");
  EXPECT_EQ(cookie_value("a=1", "lang"), "");
}

TEST(FormDataTest, MediaTypesAreComparedWithoutCaseParametersOrBlanks) {
  EXPECT_EQ(ascii_lower("Multipart/Form-DATA"), "multipart/form-data");
  EXPECT_EQ(ascii_lower("\xc3\x89t\xc3\xa9"), "\xc3\x89t\xc3\xa9");  // only ASCII letters change
  EXPECT_EQ(media_type(" Application/JSON ; charset=utf-8"), "application/json");
  EXPECT_EQ(media_type("application/x-www-form-urlencoded"), "application/x-www-form-urlencoded");
  EXPECT_EQ(media_type("\ttext/CSV\t;header=present"), "text/csv");
  EXPECT_EQ(media_type(""), "");
}

}  // namespace
}  // namespace grievance::http::web
