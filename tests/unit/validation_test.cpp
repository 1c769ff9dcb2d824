#include "server/domain/validation.hpp"

#include <gtest/gtest.h>

namespace grievance::domain {
namespace {

const Date kToday{std::chrono::year{2026} / 11 / 29};

ComplaintDraft valid_draft() {
  ComplaintDraft d;
  d.language = "id";
  d.categories = std::vector<std::string>{"wages", "health_safety"};
  d.narrative = "Upah lembur tidak dibayar selama tiga bulan.";
  d.site_id = 1;
  d.country = "ID";
  d.incident_date = "2026-10-01";
  d.anonymous = true;
  return d;
}

std::string field_of(const ComplaintDraft& d, Limits limits = {}) {
  auto r = validate_complaint(d, limits, kToday);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidField);
  return r.error().field;
}

TEST(Validation, AcceptsAValidComplaint) {
  auto r = validate_complaint(valid_draft(), {}, kToday);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->language, Language::kId);
  EXPECT_EQ(r->categories.size(), 2u);
  EXPECT_EQ(r->country, "ID");
  EXPECT_TRUE(r->anonymous);
  ASSERT_TRUE(r->incident_date);
  EXPECT_EQ(format_date(*r->incident_date), "2026-10-01");
}

TEST(Validation, Language) {
  auto d = valid_draft();
  d.language.reset();
  EXPECT_EQ(field_of(d), "language");
  for (std::string bad : {"", "EN", "de", "english", "en "}) {
    d.language = bad;
    EXPECT_EQ(field_of(d), "language") << bad;
  }
  for (std::string good : {"en", "nl", "id", "vi", "fr"}) {
    d.language = good;
    EXPECT_EQ(field_of(d), "") << good;
  }
}

TEST(Validation, Categories) {
  auto d = valid_draft();
  d.categories.reset();
  EXPECT_EQ(field_of(d), "categories");
  d.categories = std::vector<std::string>{};
  EXPECT_EQ(field_of(d), "categories");
  d.categories = std::vector<std::string>{"wages", "bribery"};
  EXPECT_EQ(field_of(d), "categories");
  d.categories = std::vector<std::string>{"wages", "wages"};
  EXPECT_EQ(field_of(d), "categories");
  std::vector<std::string> all;
  for (auto c : all_categories()) all.emplace_back(to_string(c));
  d.categories = all;
  EXPECT_EQ(field_of(d), "");
}

TEST(Validation, NarrativeLengthIsCountedInCharactersNotBytes) {
  auto d = valid_draft();
  d.narrative.reset();
  EXPECT_EQ(field_of(d), "narrative");
  d.narrative = "";
  EXPECT_EQ(field_of(d), "narrative");
  d.narrative = "  \n\t ";
  EXPECT_EQ(field_of(d), "narrative");
  // 20,000 Vietnamese characters of 3 bytes each are allowed; one more is not.
  std::string ok;
  for (int i = 0; i < 20000; ++i) ok += "\xe1\xba\xa1";  // U+1EA1 ạ
  d.narrative = ok;
  EXPECT_EQ(field_of(d), "");
  d.narrative = ok + "a";
  EXPECT_EQ(field_of(d), "narrative");
  Limits small;
  small.narrative_max_chars = 10;
  d.narrative = std::string(11, 'x');
  EXPECT_EQ(field_of(d, small), "narrative");
}

TEST(Validation, NarrativeMustBeUtf8TextWithoutControlCharacters) {
  auto d = valid_draft();
  for (std::string bad :
       {std::string("bad \xff byte"), std::string("overlong \xc0\xaf"),
        std::string("surrogate \xed\xa0\x80"), std::string("nul \0 byte", 10),
        std::string("bell \x07"), std::string("c1 \xc2\x85"), std::string("truncated \xe1\xba")}) {
    d.narrative = bad;
    EXPECT_EQ(field_of(d), "narrative") << bad;
  }
  d.narrative = "lines\nand\ttabs\r\nare fine, so is 🙂 and Việt";
  EXPECT_EQ(field_of(d), "");
}

TEST(Validation, SiteOrPlaceIsRequired) {
  auto d = valid_draft();
  d.site_id.reset();
  EXPECT_EQ(field_of(d), "site_id");
  d.place = "   ";
  EXPECT_EQ(field_of(d), "site_id");
  d.place = "Kebun dekat Pekanbaru";
  EXPECT_EQ(field_of(d), "");
  d.place = std::string(201, 'p');
  EXPECT_EQ(field_of(d), "place");
  d = valid_draft();
  d.site_id = 0;
  EXPECT_EQ(field_of(d), "site_id");
  d.site_id = -5;
  EXPECT_EQ(field_of(d), "site_id");
}

TEST(Validation, Country) {
  auto d = valid_draft();
  d.country.reset();
  EXPECT_EQ(field_of(d), "country");
  for (std::string bad : {"", "id", "IDN", "XX", "ZZ", "1D"}) {
    d.country = bad;
    EXPECT_EQ(field_of(d), "country") << bad;
  }
  for (std::string good : {"ID", "VN", "CI", "NL", "FR"}) {
    d.country = good;
    EXPECT_EQ(field_of(d), "") << good;
  }
}

TEST(Validation, IncidentDate) {
  auto d = valid_draft();
  d.incident_date.reset();
  EXPECT_EQ(field_of(d), "");
  d.incident_date = "";
  EXPECT_EQ(field_of(d), "");
  for (std::string bad : {"2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", "2026-11-30",
                          "1949-12-31", "2026-1-1"}) {
    d.incident_date = bad;
    EXPECT_EQ(field_of(d), "incident_date") << bad;
  }
  d.incident_date = "2026-11-29";  // today is fine
  EXPECT_EQ(field_of(d), "");
  d.incident_date = "2024-02-29";  // leap day
  EXPECT_EQ(field_of(d), "");
}

TEST(Validation, AnonymityDefaultsToAnonymous) {
  auto d = valid_draft();
  d.anonymous.reset();
  auto r = validate_complaint(d, {}, kToday);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->anonymous);
  d.anonymous = false;
  EXPECT_FALSE(validate_complaint(d, {}, kToday)->anonymous);
}

// Issue 8: a worker who lets the company know their name must give one, else the consent
// shares nothing and the company is told "named" about an unnamed complaint. A phone or an
// e-mail address is not required: replies come through the case page.
TEST(Validation, ConsentToShareTheIdentityNeedsAName) {
  auto d = valid_draft();
  d.anonymous = false;
  EXPECT_EQ(field_of(d), "contact.name") << "no contact at all";
  d.contact = ContactDraft{std::nullopt, "+62 812-3456-7890", "siti@example.org"};
  EXPECT_EQ(field_of(d), "contact.name") << "a phone and an e-mail address are not a name";
  d.contact = ContactDraft{"  \t", std::nullopt, std::nullopt};
  EXPECT_EQ(field_of(d), "contact.name") << "a blank name is no name";
  auto problems = complaint_problems(d, {}, kToday);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rule, "name_to_share");

  d.contact = ContactDraft{"Siti", std::nullopt, std::nullopt};
  EXPECT_EQ(field_of(d), "") << "a name alone is enough";
  d.anonymous = true;
  d.contact.reset();
  EXPECT_EQ(field_of(d), "") << "anonymous needs nothing";
}

// Issue 8: a form shows every error at once, so the domain names every field it refuses (one
// problem per field, in the order of the fields); validate_complaint answers the first.
TEST(Validation, NamesEveryFieldItRefusesAtOnce) {
  ComplaintDraft d;
  d.language = "id";
  d.categories = std::vector<std::string>{};
  d.narrative = " ";
  d.country = "XX";
  d.incident_date = "2027-01-01";
  d.anonymous = false;
  d.contact = ContactDraft{std::nullopt, "call me", "no-at-sign"};
  std::vector<std::string> fields;
  for (const auto& p : complaint_problems(d, {}, kToday)) {
    EXPECT_EQ(p.error.code, ErrorCode::kInvalidField);
    fields.push_back(p.error.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"categories", "narrative", "site_id", "country",
                                              "incident_date", "contact.name", "contact.phone",
                                              "contact.email"}));
  EXPECT_EQ(field_of(d), "categories") << "the API's one error is the first";

  d.categories = std::vector<std::string>{"wages", "wages", "bribery"};
  auto problems = complaint_problems(d, {}, kToday);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].error.field, "categories");
  EXPECT_NE(problems[1].error.field, "categories") << "one problem per field";

  EXPECT_TRUE(complaint_problems(valid_draft(), {}, kToday).empty());
}

TEST(Validation, Contact) {
  auto d = valid_draft();
  d.contact = ContactDraft{"Siti", "+62 812-3456-7890", "siti@example.org"};
  auto r = validate_complaint(d, {}, kToday);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->contact);
  EXPECT_EQ(r->contact->phone, "+62 812-3456-7890");

  d.contact = ContactDraft{"", "", ""};
  r = validate_complaint(d, {}, kToday);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->contact) << "an empty contact is no contact";

  d.contact = ContactDraft{std::nullopt, "call me", std::nullopt};
  EXPECT_EQ(field_of(d), "contact.phone");
  d.contact = ContactDraft{std::nullopt, "123", std::nullopt};
  EXPECT_EQ(field_of(d), "contact.phone");
  d.contact = ContactDraft{std::nullopt, std::nullopt, "not-an-email"};
  EXPECT_EQ(field_of(d), "contact.email");
  d.contact = ContactDraft{std::nullopt, std::nullopt, "a@b@c.d"};
  EXPECT_EQ(field_of(d), "contact.email");
  d.contact = ContactDraft{std::string(201, 'n'), std::nullopt, std::nullopt};
  EXPECT_EQ(field_of(d), "contact.name");
  d.contact = ContactDraft{std::string("\xff"), std::nullopt, std::nullopt};
  EXPECT_EQ(field_of(d), "contact.name");
}

TEST(Validation, Mandate) {
  auto d = valid_draft();
  d.mandate = Mandate{true, false, true, 40};
  EXPECT_EQ(field_of(d), "");
  d.mandate = Mandate{true, false, true, 1};
  EXPECT_EQ(field_of(d), "mandate.headcount");
  d.mandate = Mandate{true, false, false, 5};
  EXPECT_EQ(field_of(d), "mandate.headcount");
  d.mandate = Mandate{true, false, false, -1};
  EXPECT_EQ(field_of(d), "mandate.headcount");
  d.mandate = Mandate{true, false, true, 100001};
  EXPECT_EQ(field_of(d), "mandate.headcount");
}

TEST(Validation, MessageBody) {
  Limits limits;
  EXPECT_TRUE(validate_message_body("Terima kasih", limits));
  EXPECT_FALSE(validate_message_body("", limits));
  EXPECT_FALSE(validate_message_body(" \n", limits));
  EXPECT_FALSE(validate_message_body("\xff", limits));
  EXPECT_FALSE(validate_message_body(std::string(10001, 'm'), limits));
  EXPECT_EQ(validate_message_body("", limits).error().field, "body");
}

TEST(Utf8, LengthAndValidity) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("Việt"), 4u);
  EXPECT_EQ(utf8_length("🙂"), 1u);
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));   // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
}

TEST(Types, WireNamesRoundTrip) {
  for (auto v : all_languages()) EXPECT_EQ(parse_language(to_string(v)), v);
  for (auto v : all_categories()) EXPECT_EQ(parse_category(to_string(v)), v);
  for (auto v : all_case_statuses()) EXPECT_EQ(parse_case_status(to_string(v)), v);
  for (auto v : all_sectors()) EXPECT_EQ(parse_sector(to_string(v)), v);
  EXPECT_EQ(all_case_statuses().size(), 11u);
  EXPECT_EQ(all_categories().size(), 11u);
  EXPECT_FALSE(parse_case_status("Received"));
}

TEST(Types, TimeFormatting) {
  auto t = parse_time("2026-11-29T13:40:07Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_time(*t), "2026-11-29T13:40:07Z");
  EXPECT_FALSE(parse_time("2026-11-29T24:00:00Z"));
  EXPECT_FALSE(parse_time("2026-11-29 13:40:07"));
  EXPECT_FALSE(parse_time("2026-11-29T13:40:07+01:00"));
}

}  // namespace
}  // namespace grievance::domain
