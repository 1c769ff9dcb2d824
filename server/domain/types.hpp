// The domain's vocabulary (docs/domain.md "Terms"). Plain C++ and std only: no Beast, SQLite or
// OpenSSL here, so every business rule can be read and tested without sockets or SQL.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace grievance::domain {

using Clock_ = std::chrono::system_clock;
using TimePoint = std::chrono::sys_seconds;  // all times are UTC, second precision
using Date = std::chrono::year_month_day;    // dates the user typed stay dates

// ---- enumerations, each with a stable wire name -------------------------------------------

enum class Language { kEn, kNl, kId, kVi, kFr };
enum class Category {
  kWages,
  kWorkingHours,
  kHealthSafety,
  kFreedomOfAssociation,
  kDiscrimination,
  kHarassment,
  kChildLabour,
  kForcedLabour,
  kLandRights,
  kEnvironment,
  kOther,
};
enum class Channel { kWeb, kUnion, kPaper, kPhone, kApi };
enum class CaseStatus {
  kReceived,
  kAcknowledged,
  kInDialogue,
  kRemedyProposed,
  kResolved,
  kClosed,
  kRejected,
  kEscalated,
  kWithdrawn,
  kReopened,
  kAppealed,  // the complainant contests a closure or rejection; the operator decides
};
enum class Sector { kPalmOil, kCocoa, kTextile, kOther };
enum class OrgKind { kCompany, kUnion, kAuditor };
enum class Role { kComplainant, kUnion, kCompany, kAuditor, kAdmin, kSystem };
// How a company takes part in a case (docs/domain.md "Routing"): the operator of the site is
// responsible and leads the response; every company reachable upward through supply links is
// a buyer (CSDDD chain responsibility).
enum class PartyRole { kResponsible, kBuyer };

// Who may read an event (docs/domain.md "Who sees what"). kParties: everyone who can see the
// case. kOrganisation: an internal note of the author's organisation, read by it and the
// operator only. kMechanism: the complainant and the filing union with the operator, never a
// company (a worker afraid of the foreman writes this way; retaliation reports go this way).
enum class Visibility { kParties, kOrganisation, kMechanism };

enum class EventType {
  kFiled,
  kRouted,
  kStatusChanged,  // a lifecycle move: from_status, to_status, the reason in body
  kMessage,
  kAttachment,  // evidence: CaseEvent::attachment, the sanitised file name in body
  kDeadlineBreached,
  kClockPaused,   // the company waits for the complainant's answer: deadlines stop
  kClockResumed,  // the answer came: deadlines move on by the paused time
  kDeadlineReminder,
  kActionDone,           // the company marked a remedy action done (action, body: its note)
  kActionVerdict,        // the complainant confirmed or disputed a done action
  kFeedback,             // the complainant accepted or refused the plan (score 1-5, comment)
  kRetaliationReported,  // mechanism-only: the operator acts at once
  kFollowUpDue,          // months after closure: did the remedy hold?
  kFollowUpAnswered,
  kIdentityShared,       // the complainant consented to the companies learning who they are
  kIdentityWithdrawn,    // consent withdrawn for the future
  kDisclosureRequested,  // a company asks for the identity, with a reason
  kDisclosureAnswered,   // the complainant granted or refused
  kReviewed,             // the operator dealt with a retaliation report or a failed remedy
  kTranslation,          // a translation of the narrative or a message (translates, language)
  kAccessCodeReissued,   // mechanism-only: a new access code replaced a lost one (a reason)
  kMeetingProposed,      // times, a place or a call, needs (meetings.hpp; detail, body: place)
  kMeetingAnswered,      // a proposed time accepted, or declined (body: the reason)
  kMeetingMinutes,       // after the agreed time: short minutes (body)
  // The complainant's side lists the case in the public register or takes it off (detail:
  // "given" or "withdrawn"; docs/domain.md "Public register"). Mechanism-only, no statistic.
  kRegisterConsent,
};

// How a case ended: every closure records one (closed, rejected, withdrawn).
enum class Outcome {
  kRemedyAccepted,
  kRemedyPartlyAccepted,
  kUnfounded,
  kNotAdmissible,
  kReferred,
  kWithdrawn,
  kNoAnswerFromComplainant,
};

// The external bodies a case may be escalated to.
enum class ExternalBody {
  kNationalContactPoint,  // OECD National Contact Point
  kMediation,
  kLabourInspectorate,
  kCourt,
  kSectorMechanism,
};

// The complainant's verdict on a remedy action the company marked done.
enum class ActionVerdict { kConfirmed, kDisputed };
// The follow-up check's question after closure: did the remedy hold?
enum class RemedyHeld { kYes, kPartly, kNo };
// Who may know who the complainant is (SPEC section 5; docs/domain.md "Who sees what"):
// anonymous - no contact kept; confidential - the contact is known to the operator and the
// filing union only; shared - the companies of the case too, by the complainant's explicit
// consent (an event), withdrawable for the future.
enum class IdentityLevel { kAnonymous, kConfidential, kShared };
// The flags that put a case in front of the operator until an admin has reviewed it.
enum class ReviewFlag { kRetaliation, kRemedyFailed };

// Wire names ("en", "health_safety", "in_dialogue", ...) and their parsers. Parsers return
// nullopt for anything that is not exactly a wire name.
std::string_view to_string(Language v);
std::string_view to_string(Category v);
std::string_view to_string(Channel v);
std::string_view to_string(CaseStatus v);
std::string_view to_string(Sector v);
std::string_view to_string(OrgKind v);
std::string_view to_string(Role v);
std::string_view to_string(Visibility v);
std::string_view to_string(EventType v);
std::string_view to_string(PartyRole v);
std::string_view to_string(Outcome v);
std::string_view to_string(ExternalBody v);
std::string_view to_string(ActionVerdict v);
std::string_view to_string(RemedyHeld v);
std::string_view to_string(IdentityLevel v);
std::string_view to_string(ReviewFlag v);
std::optional<Language> parse_language(std::string_view s);
std::optional<Category> parse_category(std::string_view s);
std::optional<Channel> parse_channel(std::string_view s);
std::optional<CaseStatus> parse_case_status(std::string_view s);
std::optional<Sector> parse_sector(std::string_view s);
std::optional<OrgKind> parse_org_kind(std::string_view s);
std::optional<Role> parse_role(std::string_view s);
std::optional<Visibility> parse_visibility(std::string_view s);
std::optional<EventType> parse_event_type(std::string_view s);
std::optional<PartyRole> parse_party_role(std::string_view s);
std::optional<Outcome> parse_outcome(std::string_view s);
std::optional<ExternalBody> parse_external_body(std::string_view s);
std::optional<ActionVerdict> parse_action_verdict(std::string_view s);
std::optional<RemedyHeld> parse_remedy_held(std::string_view s);
std::optional<IdentityLevel> parse_identity_level(std::string_view s);
std::optional<ReviewFlag> parse_review_flag(std::string_view s);

// Every value, in declaration order (for /api/v1/meta and exhaustive tests).
std::span<const Language> all_languages();
std::span<const Category> all_categories();
std::span<const CaseStatus> all_case_statuses();
std::span<const Sector> all_sectors();
std::span<const Outcome> all_outcomes();
std::span<const ExternalBody> all_external_bodies();

// "2026-11-29T13:40:07Z" and "2026-11-29".
std::string format_time(TimePoint t);
// The same 20 characters into `out`, without allocating (answers write many times).
inline constexpr std::size_t kTimeChars = 20;
void format_time_into(TimePoint t, char (&out)[kTimeChars]);
std::string format_date(Date d);
// Strict YYYY-MM-DD, a real calendar date; nullopt otherwise.
std::optional<Date> parse_date(std::string_view s);
// Strict "YYYY-MM-DDTHH:MM:SSZ"; nullopt otherwise.
std::optional<TimePoint> parse_time(std::string_view s);

// ---- entities ------------------------------------------------------------------------------

struct Organisation {
  std::int64_t id = 0;
  OrgKind kind = OrgKind::kCompany;
  std::string name;
  std::string country;    // ISO 3166-1 alpha-2
  bool disabled = false;  // a disabled organisation receives no new cases; its users cannot sign in
};

struct Site {
  std::int64_t id = 0;
  std::string name;
  std::string country;  // ISO 3166-1 alpha-2
  std::string region;
  Sector sector = Sector::kOther;
  std::optional<std::int64_t> operator_org_id;  // the company that operates it
  bool disabled = false;  // hidden from the complaint form's picker; existing cases keep it
};

// Company `supplier_org_id` supplies company `buyer_org_id`, for every sector or only for
// `sector`. Routing follows these links upward. Cycles are allowed in the data (real supply
// chains have them) and routing terminates anyway.
struct SupplyLink {
  std::int64_t id = 0;
  std::int64_t supplier_org_id = 0;
  std::int64_t buyer_org_id = 0;
  std::optional<Sector> sector;
  bool disabled = false;
};

// A company's part in a case.
struct CaseParty {
  std::int64_t org_id = 0;
  PartyRole role = PartyRole::kResponsible;
};

struct Contact {
  std::string name;
  std::string phone;
  std::string email;
  bool empty() const { return name.empty() && phone.empty() && email.empty(); }
};

// docs/domain.md "Filing": a union filing for a worker records the consent scope.
struct Mandate {
  bool follow = false;
  bool share_identity_with_company = false;
  bool collective = false;
  int headcount = 0;  // > 0 only for collective complaints
};

// A complaint as filed, after validation (see validation.hpp). Text fields are UTF-8.
struct Complaint {
  Language language = Language::kEn;
  std::vector<Category> categories;  // at least one, no duplicates
  std::string narrative;             // 1..20,000 characters
  std::optional<std::int64_t> site_id;
  std::string place;    // free text when the worker does not know the site
  std::string country;  // ISO 3166-1 alpha-2, upper case
  std::optional<Date> incident_date;
  bool anonymous = true;
  std::optional<Contact> contact;
  std::optional<Mandate> mandate;  // only for a union user's filing
  Channel channel = Channel::kWeb;
  std::optional<std::int64_t> union_org_id;  // the union that filed it
};

struct Deadlines {
  TimePoint ack_due;
  TimePoint response_due;
  TimePoint resolution_due;
  bool operator==(const Deadlines&) const = default;
};

// One action of a remedy plan: what is done, by which organisation, by when; later the
// company's note that it is done and the complainant's verdict on it. Texts are sealed at rest.
struct RemedyAction {
  int number = 0;  // 1, 2, ... within the case's plan
  std::string what;
  std::int64_t org_id = 0;  // the organisation that carries it out
  Date due;
  std::optional<TimePoint> done_at;
  std::string done_note;
  std::optional<ActionVerdict> verdict;
  std::string verdict_note;
  std::optional<TimePoint> verdict_at;
};

struct Case {
  std::int64_t id = 0;
  std::string reference;         // "GRV-7KQ2-M9XD"
  std::string access_code_hmac;  // hex HMAC-SHA256 of the 16 digits under the server key
  Complaint complaint;
  CaseStatus status = CaseStatus::kReceived;
  Deadlines deadlines;
  TimePoint created_at;
  TimePoint updated_at;
  std::string content_sha256;  // hex SHA-256 of the canonical filed content (the receipt's)
  // The companies the case is routed to (at most one responsible, any number of buyers).
  // Empty: the case waits in the admins' triage queue.
  std::vector<CaseParty> parties;
  // Scoped key that makes filing idempotent ("web:<form nonce>", "api:<Idempotency-Key>");
  // empty when the client sent none. Stored only as its SHA-256 (filing_keys table).
  std::string filing_key_hash;

  // ---- the case's life (docs/domain.md "Lifecycle") ----
  std::int64_t event_count = 0;    // the event chain's length: a change checks it is current
  std::optional<Outcome> outcome;  // set by a closure
  std::optional<TimePoint>
      settled_at;  // when it last reached closed, rejected, withdrawn or escalated
  std::optional<ExternalBody> escalated_to;
  std::vector<RemedyAction> remedy;  // the plan on the table (empty: none)
  std::optional<int> satisfaction;   // 1..5, the complainant's score when accepting or refusing
  std::optional<TimePoint> paused_since;       // the clock waits for the complainant's answer
  bool retaliation = false;                    // a retaliation report waits for the operator
  std::optional<TimePoint> follow_up_due;      // when the follow-up check asks if the remedy held
  std::optional<RemedyHeld> follow_up_answer;  // the complainant's answer to the check
  bool remedy_failed = false;  // the follow-up check says the remedy did not hold: operator
  IdentityLevel identity = IdentityLevel::kAnonymous;
  // The company whose request to learn the complainant's identity waits for an answer.
  std::optional<std::int64_t> disclosure_requested_by;
  // When the deadline scheduler next owes the case a notice (reminder, breach, follow-up);
  // computed by the domain at every change (deadline_notices.hpp), nullopt: none.
  std::optional<TimePoint> next_check_at;
};

struct CaseEvent {
  std::int64_t id = 0;       // assigned by the store
  std::int64_t case_id = 0;  // assigned by the store
  std::int64_t seq = 0;      // 1, 2, ... within the case; assigned by the store
  TimePoint at;
  EventType type = EventType::kFiled;
  Role actor_role = Role::kSystem;
  std::optional<std::int64_t> actor_org_id;
  Visibility visibility = Visibility::kParties;
  std::optional<CaseStatus> from_status;
  std::optional<CaseStatus> to_status;
  std::string body;  // message text or reason; encrypted at rest by the store
  // What some events carry besides their text (all optional; covered by the hash chain).
  std::optional<Outcome> outcome;             // a closure's outcome
  std::optional<ExternalBody> external_body;  // an escalation's body
  std::optional<int> action;                  // a remedy action's number
  std::optional<int> score;                   // a satisfaction score 1..5
  std::string detail;  // a second text: a reasoning, a verdict, "accept"/"refuse"; sealed
  // A translation (kTranslation): the seq of the event it translates (the `filed` event for the
  // narrative) and the language it is written in; the text is `body`.
  std::optional<std::int64_t> translates;
  std::optional<Language> language;
  // Evidence (kAttachment; docs/domain.md "Evidence"): the stored file and what was checked
  // about it. The sanitised file name is `body` (sealed).
  struct Attachment {
    std::int64_t blob_id = 0;  // in the AttachmentStore, sealed in chunks
    std::string media_type;    // detected from the content ("image/jpeg")
    std::int64_t size = 0;     // bytes stored (after metadata removal)
    std::string sha256;        // hex, of the stored bytes
    bool metadata_removed = false;
    bool operator==(const Attachment&) const = default;
  };
  std::optional<Attachment> attachment;
};

// A staff account (admin, union, company, auditor). Passwords are >= 12 characters and only
// their scrypt hash is stored.
struct User {
  std::int64_t id = 0;
  std::string email;  // lower case, unique
  Role role = Role::kAdmin;
  std::optional<std::int64_t> org_id;
  std::string password_hash;  // "$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>"
  bool disabled = false;
  TimePoint created_at;
  // RFC 6238 secret (raw bytes; sealed at rest by the store). Empty: no second factor.
  std::string totp_secret;
  // The last accepted TOTP time step: a code is accepted once (RFC 6238 section 5.2).
  std::int64_t totp_last_step = 0;
};

// A signed-in principal. Tokens are 256-bit random; only their SHA-256 is stored.
struct Session {
  std::string token_hash;  // hex SHA-256 of the bearer token
  Role role = Role::kComplainant;
  std::optional<std::int64_t> case_id;  // complainant sessions: the one case they may see
  std::optional<std::int64_t> user_id;  // staff sessions
  std::optional<std::int64_t> org_id;   // staff sessions of union/company/auditor users
  std::string csrf_token;               // required with cookie auth on state changes
  TimePoint created_at;
  TimePoint expires_at;  // absolute expiry; idle expiry is tracked in memory by the domain
};

// ---- the case list (GET /api/v1/cases) -----------------------------------------------------

// Filters of the case list, already validated. The scope fields restrict the list to what the
// caller may see and are set by the domain from the session, never from the request.
struct CaseQuery {
  // Scope (set by the domain's access policy).
  std::optional<std::int64_t> scope_party_org_id;  // company: cases routed to it
  std::optional<std::int64_t> scope_union_org_id;  // union: cases it filed
  // Filters (docs/domain.md "Case list").
  std::optional<CaseStatus> status;
  std::optional<std::int64_t> company_org_id;  // routed to this company (either role)
  std::optional<std::int64_t> site_id;
  std::string country;  // empty: any
  std::optional<Sector> sector;
  std::optional<Category> category;
  std::optional<bool> overdue;     // evaluated at `now`
  bool triage = false;             // only cases without any party (admins' triage queue)
  std::optional<ReviewFlag> flag;  // only cases flagged for the operator (admins, unions)
  std::string q;                   // reference, place or site name contains (case-insensitive)
  TimePoint now;
  // Cursor: cases strictly older than (created_at, id) in (created_at DESC, id DESC) order.
  std::optional<std::pair<TimePoint, std::int64_t>> after;
  int limit = 50;  // 1..100
};

}  // namespace grievance::domain
