#include "server/domain/case_service.hpp"

#include <algorithm>
#include <array>

#include "server/domain/codes.hpp"

namespace grievance::domain {
namespace {

constexpr int kReferenceAttempts = 5;

// Length-prefixed so that no two different complaints serialise to the same bytes.
void put(std::string& out, std::string_view key, std::string_view value) {
  out.append(key);
  out.push_back(':');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}

bool looks_like_token(std::string_view token) {
  return token.size() == 43 && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

// The access code is bound to its reference, so one code's HMAC is worthless for another case.
std::string access_code_mac(const Crypto& crypto, std::string_view reference,
                            std::string_view code) {
  std::string data = "access-code-v1\n";
  data.append(reference);
  data.push_back('\n');
  data.append(code);
  return crypto.hmac_hex(data);
}

// Position of a status on the main path received -> ... -> closed; -1 when off the path.
int main_path_index(CaseStatus s) {
  switch (s) {
    case CaseStatus::kReceived:
      return 0;
    case CaseStatus::kAcknowledged:
      return 1;
    case CaseStatus::kInDialogue:
    case CaseStatus::kReopened:
      return 2;
    case CaseStatus::kRemedyProposed:
      return 3;
    case CaseStatus::kResolved:
      return 4;
    case CaseStatus::kClosed:
      return 5;
    default:
      return -1;
  }
}

}  // namespace

std::string receipt_message(const Receipt& r) {
  return "grievance-receipt-v1\n" + r.reference + "\n" + format_time(r.filed_at) + "\n" +
         r.content_sha256 + "\n";
}

std::string canonical_content(const Complaint& c) {
  std::string out = "complaint-v1\n";
  put(out, "language", to_string(c.language));
  std::string categories;
  for (auto cat : c.categories) {
    if (!categories.empty()) categories.push_back(',');
    categories.append(to_string(cat));
  }
  put(out, "categories", categories);
  put(out, "narrative", c.narrative);
  put(out, "site_id", c.site_id ? std::to_string(*c.site_id) : "");
  put(out, "place", c.place);
  put(out, "country", c.country);
  put(out, "incident_date", c.incident_date ? format_date(*c.incident_date) : "");
  put(out, "anonymous", c.anonymous ? "true" : "false");
  put(out, "contact.name", c.contact ? c.contact->name : "");
  put(out, "contact.phone", c.contact ? c.contact->phone : "");
  put(out, "contact.email", c.contact ? c.contact->email : "");
  if (c.mandate) {
    put(out, "mandate.follow", c.mandate->follow ? "true" : "false");
    put(out, "mandate.share_identity_with_company",
        c.mandate->share_identity_with_company ? "true" : "false");
    put(out, "mandate.collective", c.mandate->collective ? "true" : "false");
    put(out, "mandate.headcount", std::to_string(c.mandate->headcount));
  }
  put(out, "channel", to_string(c.channel));
  return out;
}

CaseService::CaseService(CaseStore& store, Crypto& crypto, RandomSource& random, const Clock& clock,
                         ServiceConfig config)
    : store_(store),
      crypto_(crypto),
      random_(random),
      clock_(clock),
      config_(std::move(config)),
      throttle_(config_.throttle) {}

Date CaseService::today() const {
  return Date{std::chrono::floor<std::chrono::days>(clock_.now())};
}

Receipt CaseService::sign_receipt(const Case& c) const {
  // Ed25519 is deterministic: re-signing a stored case gives the receipt it was filed with.
  Receipt receipt{c.reference, c.created_at, c.content_sha256, crypto_.signing_key_id(), {}};
  receipt.signature = crypto_.sign(receipt_message(receipt));
  return receipt;
}

Result<FiledComplaint> CaseService::file_complaint(const ComplaintDraft& draft, Channel channel,
                                                   std::string_view filing_key) {
  auto complaint = validate_complaint(draft, config_.limits, today());
  if (!complaint) return fail(complaint.error());
  if (complaint->mandate && channel != Channel::kUnion) {
    return fail(Error::invalid_field("mandate", "Only a union files with a mandate."));
  }
  complaint->channel = channel;
  if (complaint->site_id) {
    auto site = store_.find_site(*complaint->site_id);
    if (!site) return fail(site.error());
    if (!site->has_value()) return fail(Error::invalid_field("site_id", "Unknown site."));
  }

  const TimePoint now = clock_.now();
  Case c;
  c.complaint = *std::move(complaint);
  c.status = CaseStatus::kReceived;
  c.created_at = now;
  c.updated_at = now;
  c.deadlines = Deadlines{now + std::chrono::days{config_.ack_days},
                          now + std::chrono::days{config_.response_days},
                          now + std::chrono::days{config_.resolution_days}};
  c.content_sha256 = crypto_.sha256_hex(canonical_content(c.complaint));
  if (!filing_key.empty()) c.filing_key_hash = crypto_.sha256_hex(filing_key);

  // A retried filing answers the first one; the same key with other content is refused.
  auto replay = [&]() -> std::optional<Result<FiledComplaint>> {
    if (c.filing_key_hash.empty()) return std::nullopt;
    auto earlier = store_.find_case_by_filing_key(c.filing_key_hash);
    if (!earlier) return Result<FiledComplaint>(std::unexpect, earlier.error());
    if (!earlier->has_value()) return std::nullopt;
    if ((*earlier)->content_sha256 != c.content_sha256) {
      return fail(Error::conflict("This filing key was already used for another complaint."));
    }
    FiledComplaint out{**earlier, {}, sign_receipt(**earlier), true};
    return out;
  };
  if (auto r = replay()) return *std::move(r);

  CaseEvent filed;
  filed.at = now;
  filed.type = EventType::kFiled;
  filed.actor_role = channel == Channel::kUnion ? Role::kUnion : Role::kComplainant;
  filed.actor_org_id = c.complaint.union_org_id;
  filed.visibility = Visibility::kParties;
  filed.to_status = CaseStatus::kReceived;

  const std::string code = generate_access_code(random_);
  for (int attempt = 0; attempt < kReferenceAttempts; ++attempt) {
    c.reference = generate_reference(random_);
    c.access_code_hmac = access_code_mac(crypto_, c.reference, code);
    auto id = store_.create_case(c, {filed});
    if (!id) {
      if (id.error().code != ErrorCode::kConflict) return fail(id.error());
      // Either the same filing raced in from another request (answer it), or the 40 random
      // bits of the reference collided (rare: draw another).
      if (auto r = replay()) return *std::move(r);
      continue;
    }
    c.id = *id;
    Receipt receipt = sign_receipt(c);
    return FiledComplaint{std::move(c), code, std::move(receipt), false};
  }
  return fail(Error::internal("Could not allocate a unique reference."));
}

Result<SignedIn> CaseService::sign_in_complainant(std::string_view reference_input,
                                                  std::string_view code_input,
                                                  std::string_view client_key) {
  const TimePoint now = clock_.now();
  auto reference = normalise_reference(reference_input);
  const std::string subject = "case:" + reference.value_or(std::string(reference_input.substr(
                                            0, std::min<std::size_t>(reference_input.size(), 32))));
  if (int wait = throttle_.retry_after(subject, client_key, now); wait > 0) {
    Error e{ErrorCode::kRateLimited, "Too many failed attempts. Try again later.", {}, wait};
    return fail(e);
  }
  const Error wrong = Error::unauthorized("The reference or access code is not correct.");
  auto code = normalise_access_code(code_input);
  std::optional<Case> found;
  if (reference && code) {
    auto c = store_.find_case_by_reference(*reference);
    if (!c) return fail(c.error());
    found = *std::move(c);
  }
  // Compute the MAC even for an unknown reference so timing does not tell which was wrong.
  const std::string mac = access_code_mac(crypto_, reference.value_or(""), code.value_or(""));
  if (!found || !constant_time_equal(mac, found->access_code_hmac)) {
    throttle_.record_failure(subject, client_key, now);
    return fail(wrong);
  }
  throttle_.record_success(subject);

  SignedIn out;
  out.token = generate_token(random_);
  out.session.token_hash = crypto_.sha256_hex(out.token);
  out.session.role = Role::kComplainant;
  out.session.case_id = found->id;
  out.session.csrf_token = generate_token(random_);
  out.session.created_at = now;
  out.session.expires_at = now + config_.complainant_session_ttl;
  if (auto s = store_.create_session(out.session); !s) return fail(s.error());
  return out;
}

Result<Session> CaseService::authenticate(std::string_view token) {
  const Error bad = Error::unauthorized("Sign in first.");
  if (!looks_like_token(token)) return fail(bad);
  const std::string hash = crypto_.sha256_hex(token);
  auto session = store_.find_session(hash);
  if (!session) return fail(session.error());
  if (!session->has_value()) return fail(bad);
  // An expired session is refused; the store sweeps it at the next sign-in, so reading a
  // case never writes.
  if ((*session)->expires_at <= clock_.now()) {
    return fail(Error::unauthorized("The session has expired. Sign in again."));
  }
  return **session;
}

Status CaseService::sign_out(std::string_view token) {
  if (!looks_like_token(token)) return {};
  return store_.delete_session(crypto_.sha256_hex(token));
}

Result<CaseView> CaseService::view_case(const Session& session, std::string_view reference_input) {
  auto reference = normalise_reference(reference_input);
  if (!reference) return fail(Error::not_found());
  auto found = store_.find_case_by_reference(*reference);
  if (!found) return fail(found.error());
  if (!found->has_value()) return fail(Error::not_found());
  const Case& c = **found;

  // Who sees what: a complainant only the own case; the admin everything. Other staff roles
  // are routed by organisation (issue 3) and see nothing until then. Never 403: existence
  // must not leak.
  bool visible = false;
  switch (session.role) {
    case Role::kComplainant:
      visible = session.case_id == c.id;
      break;
    case Role::kAdmin:
      visible = true;
      break;
    default:
      visible = false;
      break;
  }
  if (!visible) return fail(Error::not_found());

  auto events = store_.case_events(c.id);
  if (!events) return fail(events.error());
  CaseView view;
  view.c = c;
  for (auto& e : *events) {
    if (session.role == Role::kComplainant && e.visibility != Visibility::kParties) continue;
    view.events.push_back(std::move(e));
  }
  view.stages = stage_frames(c);
  view.show_contact = session.role == Role::kComplainant || session.role == Role::kAdmin;
  return view;
}

Result<CaseEvent> CaseService::post_message(const Session& session, std::string_view reference,
                                            std::string_view body, Visibility visibility) {
  if (auto s = validate_message_body(body, config_.limits); !s) return fail(s.error());
  if (session.role == Role::kComplainant && visibility != Visibility::kParties) {
    return fail(Error::invalid_field("visibility", "A complainant's messages go to all parties."));
  }
  auto view = view_case(session, reference);
  if (!view) return fail(view.error());

  CaseEvent e;
  e.at = clock_.now();
  e.type = EventType::kMessage;
  e.actor_role = session.role;
  e.actor_org_id = session.role == Role::kComplainant ? std::nullopt : session.org_id;
  e.visibility = visibility;
  e.body = std::string(body);
  auto id = store_.append_event(view->c.id, e, std::nullopt);
  if (!id) return fail(id.error());
  e.id = *id;
  e.case_id = view->c.id;
  return e;
}

bool CaseService::verify_receipt(const Receipt& r) const {
  return domain::verify_receipt(crypto_, r);
}

bool verify_receipt(const Crypto& crypto, const Receipt& r) {
  if (!normalise_reference(r.reference) || r.content_sha256.size() != 64) return false;
  if (!std::all_of(r.content_sha256.begin(), r.content_sha256.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return false;
  }
  return crypto.verify(receipt_message(r), r.signature);
}

std::vector<StageFrame> CaseService::stage_frames(const Case& c) const {
  // UNGP 31(c): the complainant sees each stage with its indicative time frame.
  const int remedy_days = (config_.response_days + config_.resolution_days) / 2;
  std::vector<StageFrame> frames = {
      {CaseStatus::kReceived, 0, std::nullopt},
      {CaseStatus::kAcknowledged, config_.ack_days, c.deadlines.ack_due},
      {CaseStatus::kInDialogue, config_.response_days, c.deadlines.response_due},
      {CaseStatus::kRemedyProposed, remedy_days, std::nullopt},
      {CaseStatus::kResolved, config_.resolution_days, c.deadlines.resolution_due},
      {CaseStatus::kClosed, config_.resolution_days, std::nullopt},
  };
  const int current = main_path_index(c.status);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const int index = static_cast<int>(i);
    frames[i].reached = current >= 0 ? index <= current : index == 0;
    frames[i].current = index == current;
  }
  return frames;
}

}  // namespace grievance::domain
