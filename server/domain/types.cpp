#include "server/domain/types.hpp"

#include <array>
#include <cstdio>
#include <utility>

#include "server/domain/result.hpp"

namespace grievance::domain {
namespace {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Language, 5> kLanguages{{
    {Language::kEn, "en"},
    {Language::kNl, "nl"},
    {Language::kId, "id"},
    {Language::kVi, "vi"},
    {Language::kFr, "fr"},
}};
constexpr NameTable<Category, 11> kCategories{{
    {Category::kWages, "wages"},
    {Category::kWorkingHours, "working_hours"},
    {Category::kHealthSafety, "health_safety"},
    {Category::kFreedomOfAssociation, "freedom_of_association"},
    {Category::kDiscrimination, "discrimination"},
    {Category::kHarassment, "harassment"},
    {Category::kChildLabour, "child_labour"},
    {Category::kForcedLabour, "forced_labour"},
    {Category::kLandRights, "land_rights"},
    {Category::kEnvironment, "environment"},
    {Category::kOther, "other"},
}};
constexpr NameTable<Channel, 5> kChannels{{
    {Channel::kWeb, "web"},
    {Channel::kUnion, "union"},
    {Channel::kPaper, "paper"},
    {Channel::kPhone, "phone"},
    {Channel::kApi, "api"},
}};
constexpr NameTable<CaseStatus, 11> kStatuses{{
    {CaseStatus::kReceived, "received"},
    {CaseStatus::kAcknowledged, "acknowledged"},
    {CaseStatus::kInDialogue, "in_dialogue"},
    {CaseStatus::kRemedyProposed, "remedy_proposed"},
    {CaseStatus::kResolved, "resolved"},
    {CaseStatus::kClosed, "closed"},
    {CaseStatus::kRejected, "rejected"},
    {CaseStatus::kEscalated, "escalated"},
    {CaseStatus::kWithdrawn, "withdrawn"},
    {CaseStatus::kReopened, "reopened"},
    {CaseStatus::kAppealed, "appealed"},
}};
constexpr NameTable<Sector, 4> kSectors{{
    {Sector::kPalmOil, "palm_oil"},
    {Sector::kCocoa, "cocoa"},
    {Sector::kTextile, "textile"},
    {Sector::kOther, "other"},
}};
constexpr NameTable<OrgKind, 3> kOrgKinds{{
    {OrgKind::kCompany, "company"},
    {OrgKind::kUnion, "union"},
    {OrgKind::kAuditor, "auditor"},
}};
constexpr NameTable<Role, 6> kRoles{{
    {Role::kComplainant, "complainant"},
    {Role::kUnion, "union"},
    {Role::kCompany, "company"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
    {Role::kSystem, "system"},
}};
constexpr NameTable<Visibility, 3> kVisibilities{{
    {Visibility::kParties, "parties"},
    {Visibility::kOrganisation, "organisation"},
    {Visibility::kMechanism, "mechanism"},
}};
constexpr NameTable<EventType, 26> kEventTypes{{
    {EventType::kFiled, "filed"},
    {EventType::kRouted, "routed"},
    {EventType::kStatusChanged, "status_changed"},
    {EventType::kMessage, "message"},
    {EventType::kAttachment, "attachment"},
    {EventType::kDeadlineBreached, "deadline_breached"},
    {EventType::kClockPaused, "clock_paused"},
    {EventType::kClockResumed, "clock_resumed"},
    {EventType::kDeadlineReminder, "deadline_reminder"},
    {EventType::kActionDone, "action_done"},
    {EventType::kActionVerdict, "action_verdict"},
    {EventType::kFeedback, "feedback"},
    {EventType::kRetaliationReported, "retaliation_reported"},
    {EventType::kFollowUpDue, "follow_up_due"},
    {EventType::kFollowUpAnswered, "follow_up_answered"},
    {EventType::kIdentityShared, "identity_shared"},
    {EventType::kIdentityWithdrawn, "identity_withdrawn"},
    {EventType::kDisclosureRequested, "disclosure_requested"},
    {EventType::kDisclosureAnswered, "disclosure_answered"},
    {EventType::kReviewed, "reviewed"},
    {EventType::kTranslation, "translation"},
    {EventType::kAccessCodeReissued, "access_code_reissued"},
    {EventType::kMeetingProposed, "meeting_proposed"},
    {EventType::kMeetingAnswered, "meeting_answered"},
    {EventType::kMeetingMinutes, "meeting_minutes"},
    {EventType::kRegisterConsent, "register_consent"},
}};
constexpr NameTable<Outcome, 7> kOutcomes{{
    {Outcome::kRemedyAccepted, "remedy_accepted"},
    {Outcome::kRemedyPartlyAccepted, "remedy_partly_accepted"},
    {Outcome::kUnfounded, "unfounded"},
    {Outcome::kNotAdmissible, "not_admissible"},
    {Outcome::kReferred, "referred"},
    {Outcome::kWithdrawn, "withdrawn"},
    {Outcome::kNoAnswerFromComplainant, "no_answer_from_complainant"},
}};
constexpr NameTable<ExternalBody, 5> kExternalBodies{{
    {ExternalBody::kNationalContactPoint, "national_contact_point"},
    {ExternalBody::kMediation, "mediation"},
    {ExternalBody::kLabourInspectorate, "labour_inspectorate"},
    {ExternalBody::kCourt, "court"},
    {ExternalBody::kSectorMechanism, "sector_mechanism"},
}};
constexpr NameTable<ActionVerdict, 2> kVerdicts{{
    {ActionVerdict::kConfirmed, "confirmed"},
    {ActionVerdict::kDisputed, "disputed"},
}};
constexpr NameTable<RemedyHeld, 3> kHeld{{
    {RemedyHeld::kYes, "yes"},
    {RemedyHeld::kPartly, "partly"},
    {RemedyHeld::kNo, "no"},
}};
constexpr NameTable<IdentityLevel, 3> kIdentityLevels{{
    {IdentityLevel::kAnonymous, "anonymous"},
    {IdentityLevel::kConfidential, "confidential"},
    {IdentityLevel::kShared, "shared"},
}};
constexpr NameTable<ReviewFlag, 2> kReviewFlags{{
    {ReviewFlag::kRetaliation, "retaliation"},
    {ReviewFlag::kRemedyFailed, "remedy_failed"},
}};
constexpr NameTable<PartyRole, 2> kPartyRoles{{
    {PartyRole::kResponsible, "responsible"},
    {PartyRole::kBuyer, "buyer"},
}};

template <class E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> parse_of(const NameTable<E, N>& table, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
constexpr std::array<E, N> values_of(const NameTable<E, N>& table) {
  std::array<E, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = table[i].first;
  return out;
}

constexpr auto kLanguageValues = values_of(kLanguages);
constexpr auto kCategoryValues = values_of(kCategories);
constexpr auto kStatusValues = values_of(kStatuses);
constexpr auto kSectorValues = values_of(kSectors);
constexpr auto kOutcomeValues = values_of(kOutcomes);
constexpr auto kExternalBodyValues = values_of(kExternalBodies);

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string_view to_string(Language v) { return name_of(kLanguages, v); }
std::string_view to_string(Category v) { return name_of(kCategories, v); }
std::string_view to_string(Channel v) { return name_of(kChannels, v); }
std::string_view to_string(CaseStatus v) { return name_of(kStatuses, v); }
std::string_view to_string(Sector v) { return name_of(kSectors, v); }
std::string_view to_string(OrgKind v) { return name_of(kOrgKinds, v); }
std::string_view to_string(Role v) { return name_of(kRoles, v); }
std::string_view to_string(Visibility v) { return name_of(kVisibilities, v); }
std::string_view to_string(EventType v) { return name_of(kEventTypes, v); }
std::string_view to_string(PartyRole v) { return name_of(kPartyRoles, v); }
std::string_view to_string(Outcome v) { return name_of(kOutcomes, v); }
std::string_view to_string(ExternalBody v) { return name_of(kExternalBodies, v); }
std::string_view to_string(ActionVerdict v) { return name_of(kVerdicts, v); }
std::string_view to_string(RemedyHeld v) { return name_of(kHeld, v); }
std::string_view to_string(IdentityLevel v) { return name_of(kIdentityLevels, v); }
std::string_view to_string(ReviewFlag v) { return name_of(kReviewFlags, v); }

std::optional<Language> parse_language(std::string_view s) { return parse_of(kLanguages, s); }
std::optional<Category> parse_category(std::string_view s) { return parse_of(kCategories, s); }
std::optional<Channel> parse_channel(std::string_view s) { return parse_of(kChannels, s); }
std::optional<CaseStatus> parse_case_status(std::string_view s) { return parse_of(kStatuses, s); }
std::optional<Sector> parse_sector(std::string_view s) { return parse_of(kSectors, s); }
std::optional<OrgKind> parse_org_kind(std::string_view s) { return parse_of(kOrgKinds, s); }
std::optional<Role> parse_role(std::string_view s) { return parse_of(kRoles, s); }
std::optional<Visibility> parse_visibility(std::string_view s) {
  // "staff" is the API's earlier name of an internal note (before "organisation").
  if (s == "staff") return Visibility::kOrganisation;
  return parse_of(kVisibilities, s);
}
std::optional<EventType> parse_event_type(std::string_view s) { return parse_of(kEventTypes, s); }
std::optional<PartyRole> parse_party_role(std::string_view s) { return parse_of(kPartyRoles, s); }
std::optional<Outcome> parse_outcome(std::string_view s) { return parse_of(kOutcomes, s); }
std::optional<ExternalBody> parse_external_body(std::string_view s) {
  return parse_of(kExternalBodies, s);
}
std::optional<ActionVerdict> parse_action_verdict(std::string_view s) {
  return parse_of(kVerdicts, s);
}
std::optional<RemedyHeld> parse_remedy_held(std::string_view s) { return parse_of(kHeld, s); }
std::optional<IdentityLevel> parse_identity_level(std::string_view s) {
  return parse_of(kIdentityLevels, s);
}
std::optional<ReviewFlag> parse_review_flag(std::string_view s) {
  return parse_of(kReviewFlags, s);
}

std::span<const Language> all_languages() { return kLanguageValues; }
std::span<const Category> all_categories() { return kCategoryValues; }
std::span<const CaseStatus> all_case_statuses() { return kStatusValues; }
std::span<const Sector> all_sectors() { return kSectorValues; }
std::span<const Outcome> all_outcomes() { return kOutcomeValues; }
std::span<const ExternalBody> all_external_bodies() { return kExternalBodyValues; }

namespace {

// Digits by hand: a case's answer formats a dozen times, and snprintf's format parsing showed
// in the case read's profile.
void put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

void put_date(char* out, Date d) {
  const int year = static_cast<int>(d.year());
  put_digits(out, year >= 0 && year <= 9999 ? year : 0, 4);
  out[4] = '-';
  put_digits(out + 5, static_cast<int>(static_cast<unsigned>(d.month())), 2);
  out[7] = '-';
  put_digits(out + 8, static_cast<int>(static_cast<unsigned>(d.day())), 2);
}

}  // namespace

void format_time_into(TimePoint t, char (&out)[kTimeChars]) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - days};
  put_date(out, Date{days});  // YYYY-MM-DDTHH:MM:SSZ
  out[10] = 'T';
  put_digits(out + 11, static_cast<int>(hms.hours().count()), 2);
  out[13] = ':';
  put_digits(out + 14, static_cast<int>(hms.minutes().count()), 2);
  out[16] = ':';
  put_digits(out + 17, static_cast<int>(hms.seconds().count()), 2);
  out[19] = 'Z';
}

std::string format_time(TimePoint t) {
  char out[kTimeChars];
  format_time_into(t, out);
  return std::string(out, kTimeChars);
}

std::string format_date(Date d) {
  std::string out(10, '\0');
  put_date(out.data(), d);
  return out;
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  Date date{std::chrono::year{to_int(y)}, std::chrono::month{static_cast<unsigned>(to_int(m))},
            std::chrono::day{static_cast<unsigned>(to_int(d))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<TimePoint> parse_time(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
    return std::nullopt;
  }
  auto date = parse_date(s.substr(0, 10));
  auto hh = s.substr(11, 2), mm = s.substr(14, 2), ss = s.substr(17, 2);
  if (!date || !all_digits(hh) || !all_digits(mm) || !all_digits(ss)) return std::nullopt;
  int h = to_int(hh), m = to_int(mm), sec = to_int(ss);
  if (h > 23 || m > 59 || sec > 59) return std::nullopt;
  return TimePoint{std::chrono::sys_days{*date}} + std::chrono::hours{h} + std::chrono::minutes{m} +
         std::chrono::seconds{sec};
}

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidField:
      return "invalid_field";
    case ErrorCode::kInvalidRequest:
      return "invalid_request";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kCsrfFailed:
      return "csrf_failed";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kInvalidTransition:
      return "invalid_transition";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace grievance::domain
