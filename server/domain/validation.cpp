#include "server/domain/validation.hpp"

#include <algorithm>
#include <chrono>

namespace grievance::domain {
namespace {

// ISO 3166-1 alpha-2, officially assigned codes (249), for the `country` field.
constexpr std::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

}  // namespace

bool is_country_code(std::string_view s) {
  if (s.size() != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') return false;
  for (std::size_t i = 0; i + 1 < kCountryCodes.size(); i += 3) {
    if (kCountryCodes.substr(i, 2) == s) return true;
  }
  return false;
}

static bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

// Text field rules shared by every free-text input.
Status check_text(std::string_view field, std::string_view value, std::size_t max_chars,
                  bool required) {
  if (!is_valid_utf8(value))
    return fail(Error::invalid_field(std::string(field), "Must be valid UTF-8 text."));
  if (!has_only_text_characters(value)) {
    return fail(Error::invalid_field(std::string(field), "Contains control characters."));
  }
  if (required && is_blank(value)) {
    return fail(Error::invalid_field(std::string(field), "Must not be empty."));
  }
  if (utf8_length(value) > max_chars) {
    return fail(Error::invalid_field(
        std::string(field), "Must be at most " + std::to_string(max_chars) + " characters."));
  }
  return {};
}

bool plausible_email(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  if (s.substr(at + 1).find('.') == std::string_view::npos) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '<' || c == '>'; });
}

namespace {

bool plausible_phone(std::string_view s) {
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return digits >= 5 && digits <= 20;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte, overlong 2-byte lead (C0, C1) or > U+10FFFF lead
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;  // overlong or out of range
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates
    p += extra + 1;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool has_only_text_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
    if (c == 0x7F) return false;
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < s.size()) {
      auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9F) return false;
    }
  }
  return true;
}

namespace {

// Checks every field of `d`, fills `c` with what is valid and `problems` with at most one
// problem per field, in the order of the fields (docs/domain.md "Filing").
void check_complaint(const ComplaintDraft& d, const Limits& limits, Date today, Complaint& c,
                     std::vector<FieldProblem>& problems) {
  auto problem = [&](std::string field, std::string message, std::string_view rule = {}) {
    problems.push_back({Error::invalid_field(std::move(field), std::move(message)), rule});
  };
  auto text_problem = [&](Status s) {
    if (!s) problems.push_back({s.error(), {}});
    return !s;
  };

  if (!d.language) {
    problem("language", "Choose a language.");
  } else if (auto language = parse_language(*d.language)) {
    c.language = *language;
  } else {
    problem("language", "Must be one of en, nl, id, vi, fr.");
  }

  if (!d.categories || d.categories->empty()) {
    problem("categories", "Choose at least one category.");
  } else if (d.categories->size() > limits.categories_max) {
    problem("categories", "Too many categories.");
  } else {
    for (const auto& name : *d.categories) {
      auto category = parse_category(name);
      if (!category) {
        problem("categories", "Unknown category.");
        break;
      }
      if (std::find(c.categories.begin(), c.categories.end(), *category) != c.categories.end()) {
        problem("categories", "A category is listed twice.");
        break;
      }
      c.categories.push_back(*category);
    }
  }

  if (!d.narrative) {
    problem("narrative", "Describe what happened.");
  } else if (!text_problem(
                 check_text("narrative", *d.narrative, limits.narrative_max_chars, true))) {
    c.narrative = *d.narrative;
  }

  bool site_or_place_failed = false;
  if (d.site_id) {
    if (*d.site_id <= 0) {
      problem("site_id", "Unknown site.");
      site_or_place_failed = true;
    } else {
      c.site_id = d.site_id;
    }
  }
  if (d.place) {
    if (text_problem(check_text("place", *d.place, limits.place_max_chars, false))) {
      site_or_place_failed = true;
    } else if (!is_blank(*d.place)) {
      c.place = *d.place;
    }
  }
  if (!site_or_place_failed && !c.site_id && c.place.empty()) {
    problem("site_id", "Choose the workplace or describe the place.");
  }

  if (!d.country || !is_country_code(*d.country)) {
    problem("country", "Must be a country code such as ID, VN or CI.");
  } else {
    c.country = *d.country;
  }

  if (d.incident_date && !d.incident_date->empty()) {
    auto date = parse_date(*d.incident_date);
    if (!date) {
      problem("incident_date", "Must be a date, YYYY-MM-DD.");
    } else if (*date > today) {
      problem("incident_date", "Must not be in the future.");
    } else if (date->year() < std::chrono::year{1950}) {
      problem("incident_date", "Must be after 1950.");
    } else {
      c.incident_date = date;
    }
  }

  // Anonymity is the safe default: a worker who says nothing is not named.
  c.anonymous = d.anonymous.value_or(true);

  // Consent to share the identity shares the name: without one, the company would be told the
  // complaint is named and learn nothing. A phone or an e-mail address is not required: the
  // dialogue runs through the case page, and asking for more than the consent needs would
  // collect personal data the mechanism does not need (many workers share a phone).
  const ContactDraft none;
  const ContactDraft& cd = d.contact ? *d.contact : none;
  Contact contact;
  if (cd.name &&
      text_problem(check_text("contact.name", *cd.name, limits.contact_field_max_chars, false))) {
    // the name's own problem is reported
  } else {
    if (cd.name && !is_blank(*cd.name)) contact.name = *cd.name;
    if (!c.anonymous && contact.name.empty()) {
      problem("contact.name",
              "You agreed that the company may know your name: give your name, or stay anonymous.",
              "name_to_share");
    }
  }
  if (cd.phone && !cd.phone->empty()) {
    if (!plausible_phone(*cd.phone)) {
      problem("contact.phone", "Must be a phone number.");
    } else {
      contact.phone = *cd.phone;
    }
  }
  if (cd.email && !cd.email->empty()) {
    if (cd.email->size() > limits.contact_field_max_chars || !is_valid_utf8(*cd.email) ||
        !plausible_email(*cd.email)) {
      problem("contact.email", "Must be an e-mail address.");
    } else {
      contact.email = *cd.email;
    }
  }
  if (!contact.empty()) c.contact = contact;

  if (d.mandate) {
    const auto& m = *d.mandate;
    if (m.headcount < 0 || m.headcount > limits.headcount_max) {
      problem("mandate.headcount", "Out of range.");
    } else if (m.collective && m.headcount < 2) {
      problem("mandate.headcount", "A collective complaint needs a headcount of at least 2.");
    } else if (!m.collective && m.headcount > 1) {
      problem("mandate.headcount", "Only a collective complaint has a headcount above 1.");
    } else {
      c.mandate = m;
    }
  }
}

}  // namespace

std::vector<FieldProblem> complaint_problems(const ComplaintDraft& draft, const Limits& limits,
                                             Date today) {
  Complaint c;
  std::vector<FieldProblem> problems;
  check_complaint(draft, limits, today, c, problems);
  return problems;
}

Result<Complaint> validate_complaint(const ComplaintDraft& draft, const Limits& limits,
                                     Date today) {
  Complaint c;
  std::vector<FieldProblem> problems;
  check_complaint(draft, limits, today, c, problems);
  if (!problems.empty()) return fail(std::move(problems.front().error));
  return c;
}

Status validate_message_body(std::string_view body, const Limits& limits) {
  return check_text("body", body, limits.message_max_chars, true);
}

}  // namespace grievance::domain
