// Filing rules (docs/domain.md "Filing"). The HTTP layer turns JSON or a form into
// a ComplaintDraft, checking only JSON types and unknown fields; every rule about values lives
// here so it is testable without HTTP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

struct Limits {
  std::size_t narrative_max_chars = 20000;  // Unicode code points
  std::size_t place_max_chars = 200;
  std::size_t contact_field_max_chars = 200;
  std::size_t message_max_chars = 10000;
  int headcount_max = 100000;
  std::size_t categories_max = 11;
};

struct ContactDraft {
  std::optional<std::string> name, phone, email;
};

// Raw filing input. A field that was absent is nullopt.
struct ComplaintDraft {
  std::optional<std::string> language;
  std::optional<std::vector<std::string>> categories;
  std::optional<std::string> narrative;
  std::optional<std::int64_t> site_id;
  std::optional<std::string> place;
  std::optional<std::string> country;
  std::optional<std::string> incident_date;
  std::optional<bool> anonymous;
  std::optional<ContactDraft> contact;
  std::optional<Mandate> mandate;
};

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);
// Number of code points in well-formed UTF-8.
std::size_t utf8_length(std::string_view s);
// True for a string with no C0/C1 control characters except \n, \r, \t.
bool has_only_text_characters(std::string_view s);

// ISO 3166-1 alpha-2, officially assigned, upper case.
bool is_country_code(std::string_view s);
// A free-text field: valid UTF-8, no control characters but \n \r \t, at most `max_chars`
// code points, not blank when `required`. kInvalidField naming `field`.
Status check_text(std::string_view field, std::string_view value, std::size_t max_chars,
                  bool required);
// local@domain.tld without spaces or angle brackets (not RFC 5322: just plausible).
bool plausible_email(std::string_view s);

// One broken rule of a complaint draft: the error the API answers (kInvalidField naming the
// field) and, where a field has more than one rule a page words differently, the rule's stable
// name ("name_to_share": consent to share the identity without a name); empty otherwise.
struct FieldProblem {
  Error error;
  std::string_view rule;
};

// Every field the draft gets wrong (issue 8: a form reports every error at once): at most one
// problem per field, in the order language, categories, narrative, site_id or place, country,
// incident_date, contact.name, contact.phone, contact.email, mandate.headcount. Empty when
// validate_complaint succeeds. Does not check that site_id exists (that needs the directory).
std::vector<FieldProblem> complaint_problems(const ComplaintDraft& draft, const Limits& limits,
                                             Date today);

// Checks every rule; on failure the Error names the first offending field
// (kInvalidField), the first of complaint_problems(). `today` bounds incident_date (not in
// the future, not before 1950). Does not check that site_id exists (that needs the directory;
// FilingService does it). The result's channel is kWeb and union_org_id empty; the caller
// sets them.
Result<Complaint> validate_complaint(const ComplaintDraft& draft, const Limits& limits, Date today);

// A dialogue message body: 1..message_max_chars code points of UTF-8 text.
Status validate_message_body(std::string_view body, const Limits& limits);

}  // namespace grievance::domain
