#include "server/domain/case_service.hpp"

#include <algorithm>
#include <array>

#include "server/domain/codes.hpp"
#include "server/domain/routing.hpp"
#include "server/domain/totp.hpp"

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
                         ServiceConfig config, const PasswordHasher* hasher)
    : store_(store),
      crypto_(crypto),
      random_(random),
      clock_(clock),
      config_(std::move(config)),
      hasher_(hasher),
      throttle_(config_.throttle) {}

const std::string& CaseService::dummy_password_hash() {
  // Unknown e-mails are checked against this, so a wrong e-mail costs as much as a wrong
  // password and timing does not reveal which accounts exist. Made on first need, not at
  // start: an scrypt hash takes 128 MiB for a moment, which a server nobody signs in to
  // should not carry in its peak resident memory.
  std::call_once(dummy_once_,
                 [this] { dummy_password_hash_ = hasher_->hash(generate_token(random_)); });
  return dummy_password_hash_;
}

Date CaseService::today() const {
  return Date{std::chrono::floor<std::chrono::days>(clock_.now())};
}

Receipt CaseService::sign_receipt(const Case& c) const {
  // Ed25519 is deterministic: re-signing a stored case gives the receipt it was filed with.
  Receipt receipt{c.reference, c.created_at, c.content_sha256, crypto_.signing_key_id(), {}};
  receipt.signature = crypto_.sign(receipt_message(receipt));
  return receipt;
}

Result<CaseService::RoutingDirectory> CaseService::load_directory() {
  RoutingDirectory d;
  auto links = store_.list_supply_links();
  if (!links) return fail(links.error());
  auto orgs = store_.list_organisations();
  if (!orgs) return fail(orgs.error());
  d.links = *std::move(links);
  d.organisations = *std::move(orgs);
  return d;
}

std::vector<CaseEvent> CaseService::routing_events(const std::vector<CaseParty>& parties,
                                                   Role actor, TimePoint at) const {
  // SPEC section 3: routing is recorded as case events, one per company reached; a case
  // without any goes to the admins' triage queue, which is an event too.
  std::vector<CaseEvent> events;
  auto event = [&](std::optional<std::int64_t> org, std::string_view body) {
    CaseEvent e;
    e.at = at;
    e.type = EventType::kRouted;
    e.actor_role = actor;
    e.actor_org_id = org;  // for `routed`: the organisation the case was routed to
    e.visibility = Visibility::kParties;
    e.body = std::string(body);
    events.push_back(std::move(e));
  };
  if (parties.empty()) event(std::nullopt, "triage");
  for (const auto& p : parties) event(p.org_id, to_string(p.role));
  return events;
}

Result<Case> CaseService::prepare_case(const ComplaintDraft& draft, Channel channel,
                                       const Session* filer, std::string_view filing_key,
                                       const RoutingDirectory& directory,
                                       std::vector<CaseEvent>& events) {
  // A known site names its country: a paper form or a CSV row that picked the site need not
  // repeat it (the web form fills it in from the site too).
  std::optional<ComplaintDraft> with_country;
  if (draft.site_id && (!draft.country || draft.country->empty())) {
    auto site = store_.find_site(*draft.site_id);
    if (!site) return fail(site.error());
    if (site->has_value()) {
      with_country = draft;
      with_country->country = (*site)->country;
    }
  }
  auto complaint =
      validate_complaint(with_country ? *with_country : draft, config_.limits, today());
  if (!complaint) return fail(complaint.error());
  const bool by_union = filer != nullptr && filer->role == Role::kUnion;
  if (complaint->mandate && !by_union) {
    return fail(Error::invalid_field("mandate", "Only a union files with a mandate."));
  }
  if (by_union) {
    // SPEC section 4: a union filing for a worker records the union and the worker's consent.
    if (!complaint->mandate) {
      return fail(Error::invalid_field("mandate", "A union's filing records the mandate."));
    }
    if (!filer->org_id) return fail(Error::forbidden("This account has no union."));
    complaint->union_org_id = filer->org_id;
  }
  complaint->channel = channel;
  std::vector<CaseParty> parties;
  if (complaint->site_id) {
    auto site = store_.find_site(*complaint->site_id);
    if (!site) return fail(site.error());
    if (!site->has_value() || (*site)->disabled) {
      return fail(Error::invalid_field("site_id", "Unknown site."));
    }
    if ((*site)->operator_org_id) {
      parties = route_parties(*(*site)->operator_org_id, (*site)->sector, directory.links,
                              directory.organisations);
    }
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
  c.parties = parties;

  CaseEvent filed;
  filed.at = now;
  filed.type = EventType::kFiled;
  filed.actor_role = by_union ? Role::kUnion : Role::kComplainant;
  filed.actor_org_id = c.complaint.union_org_id;
  filed.visibility = Visibility::kParties;
  filed.to_status = CaseStatus::kReceived;
  events.clear();
  events.push_back(std::move(filed));
  for (auto& e : routing_events(parties, Role::kSystem, now)) events.push_back(std::move(e));
  return c;
}

// A retried filing answers the first one; the same key with other content is refused.
std::optional<Result<FiledComplaint>> CaseService::replay(const Case& c) {
  if (c.filing_key_hash.empty()) return std::nullopt;
  auto earlier = store_.find_case_by_filing_key(c.filing_key_hash);
  if (!earlier) return Result<FiledComplaint>(std::unexpect, earlier.error());
  if (!earlier->has_value()) return std::nullopt;
  if ((*earlier)->content_sha256 != c.content_sha256) {
    return fail(Error::conflict("This filing key was already used for another complaint."));
  }
  FiledComplaint out{**earlier, {}, sign_receipt(**earlier), true};
  return out;
}

Result<FiledComplaint> CaseService::file_complaint(const ComplaintDraft& draft, Channel channel,
                                                   std::string_view filing_key,
                                                   const Session* filer) {
  if (filer != nullptr && filer->role == Role::kUnion) channel = Channel::kUnion;
  auto directory = load_directory();
  if (!directory) return fail(directory.error());
  std::vector<CaseEvent> events;
  auto prepared = prepare_case(draft, channel, filer, filing_key, *directory, events);
  if (!prepared) return fail(prepared.error());
  Case c = *std::move(prepared);
  if (auto r = replay(c)) return *std::move(r);

  const std::string code = generate_access_code(random_);
  for (int attempt = 0; attempt < kReferenceAttempts; ++attempt) {
    c.reference = generate_reference(random_);
    c.access_code_hmac = access_code_mac(crypto_, c.reference, code);
    auto id = store_.create_case(c, events);
    if (!id) {
      if (id.error().code != ErrorCode::kConflict) return fail(id.error());
      // Either the same filing raced in from another request (answer it), or the 40 random
      // bits of the reference collided (rare: draw another).
      if (auto r = replay(c)) return *std::move(r);
      continue;
    }
    c.id = *id;
    Receipt receipt = sign_receipt(c);
    return FiledComplaint{std::move(c), code, std::move(receipt), false};
  }
  return fail(Error::internal("Could not allocate a unique reference."));
}

Result<BatchResult> CaseService::file_batch(const Session& s,
                                            const std::vector<ComplaintDraft>& rows,
                                            std::string_view batch_key) {
  if (!may_file_batch(s.role)) return fail(Error::forbidden("Only a union files batches."));
  if (rows.empty()) return fail(Error::invalid_field("rows", "The batch has no rows."));
  if (rows.size() > static_cast<std::size_t>(kMaxBatchRows)) {
    return fail(Error::invalid_field(
        "rows", "At most " + std::to_string(kMaxBatchRows) + " complaints per batch."));
  }
  auto directory = load_directory();
  if (!directory) return fail(directory.error());

  BatchResult out;
  out.rows.resize(rows.size());
  std::vector<CaseStore::NewCase> fresh;
  std::vector<std::size_t> fresh_rows;
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // Each row has its own filing key, so a retried batch answers the rows it already
    // stored and stores only the rest (for example rows corrected after an error).
    std::string key;
    if (!batch_key.empty()) {
      key = "batch:" + std::to_string(s.org_id.value_or(0)) + ":" + std::string(batch_key) + ":" +
            std::to_string(i);
    }
    std::vector<CaseEvent> events;
    auto c = prepare_case(rows[i], Channel::kPaper, &s, key, *directory, events);
    if (!c) {
      if (c.error().code == ErrorCode::kUnavailable) return fail(c.error());
      out.rows[i].error = c.error();
      ++out.failed;
      continue;
    }
    if (auto r = replay(*c)) {
      if (!*r) {
        if (r->error().code == ErrorCode::kUnavailable) return fail(r->error());
        out.rows[i].error = r->error();
        ++out.failed;
      } else {
        out.rows[i].ok = true;
        out.rows[i].filed = **std::move(r);
        ++out.replayed;
      }
      continue;
    }
    fresh.push_back({*std::move(c), std::move(events)});
    fresh_rows.push_back(i);
  }

  // All new rows in ONE transaction: a crash stores all of them or none (no half batch).
  codes.resize(fresh.size());
  for (int attempt = 0; attempt < kReferenceAttempts && !fresh.empty(); ++attempt) {
    for (std::size_t j = 0; j < fresh.size(); ++j) {
      codes[j] = generate_access_code(random_);
      fresh[j].c.reference = generate_reference(random_);
      fresh[j].c.access_code_hmac = access_code_mac(crypto_, fresh[j].c.reference, codes[j]);
    }
    auto ids = store_.create_cases(fresh);
    if (!ids) {
      if (ids.error().code != ErrorCode::kConflict) return fail(ids.error());
      // A reference collided, or the same batch raced in: answer what is stored now, retry.
      std::vector<CaseStore::NewCase> still;
      std::vector<std::size_t> still_rows;
      for (std::size_t j = 0; j < fresh.size(); ++j) {
        auto r = replay(fresh[j].c);
        if (r && *r) {
          out.rows[fresh_rows[j]].ok = true;
          out.rows[fresh_rows[j]].filed = **std::move(r);
          ++out.replayed;
        } else if (r) {
          if (r->error().code == ErrorCode::kUnavailable) return fail(r->error());
          out.rows[fresh_rows[j]].error = r->error();
          ++out.failed;
        } else {
          still.push_back(std::move(fresh[j]));
          still_rows.push_back(fresh_rows[j]);
        }
      }
      fresh = std::move(still);
      fresh_rows = std::move(still_rows);
      codes.resize(fresh.size());
      continue;
    }
    for (std::size_t j = 0; j < fresh.size(); ++j) {
      Case& c = fresh[j].c;
      c.id = (*ids)[j];
      Receipt receipt = sign_receipt(c);
      out.rows[fresh_rows[j]].ok = true;
      out.rows[fresh_rows[j]].filed =
          FiledComplaint{std::move(c), codes[j], std::move(receipt), false};
      ++out.stored;
    }
    fresh.clear();
  }
  if (!fresh.empty()) return fail(Error::internal("Could not allocate unique references."));
  return out;
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

Result<SignedIn> CaseService::sign_in_staff(std::string_view email_input, std::string_view password,
                                            std::string_view totp, std::string_view client_key) {
  if (hasher_ == nullptr) return fail(Error::unavailable("Staff sign-in is not configured."));
  const TimePoint now = clock_.now();
  std::string email(email_input.substr(0, std::min<std::size_t>(email_input.size(), 254)));
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string subject = "user:" + email;
  if (int wait = throttle_.retry_after(subject, client_key, now); wait > 0) {
    return fail(
        Error{ErrorCode::kRateLimited, "Too many failed attempts. Try again later.", {}, wait});
  }
  const Error wrong = Error::unauthorized("The e-mail address or password is not correct.");
  auto found = store_.find_user_by_email(email);
  if (!found) return fail(found.error());
  // One scrypt verification whatever happens, so timing does not tell whether the account
  // exists (the hasher allows at most two at once process-wide).
  const bool password_ok = hasher_->verify(
      password, found->has_value() ? (*found)->password_hash : dummy_password_hash());
  if (!found->has_value() || !password_ok || (*found)->disabled) {
    throttle_.record_failure(subject, client_key, now);
    return fail(wrong);
  }
  const User& user = **found;
  if (user.org_id) {
    auto org = store_.find_organisation(*user.org_id);
    if (!org) return fail(org.error());
    if (!org->has_value() || (*org)->disabled) {
      throttle_.record_failure(subject, client_key, now);
      return fail(wrong);
    }
  }
  const bool needs_totp =
      !user.totp_secret.empty() || (user.role == Role::kAdmin && config_.require_totp_for_admins);
  if (needs_totp) {
    if (user.totp_secret.empty()) {
      return fail(Error::unauthorized(
          "This account needs a second factor that is not set up. Ask another administrator."));
    }
    Error need_code = Error::unauthorized("Enter the code from your authenticator app.");
    need_code.field = "totp";
    auto step = match_totp(crypto_, user.totp_secret, totp, now);
    if (!step) {
      // A missing code is not a failed guess; a wrong one is.
      if (!totp.empty()) throttle_.record_failure(subject, client_key, now);
      return fail(need_code);
    }
    // RFC 6238 section 5.2: a code is accepted once, even within its time window.
    if (auto used = store_.record_totp_step(user.id, *step); !used) {
      if (used.error().code != ErrorCode::kConflict) return fail(used.error());
      throttle_.record_failure(subject, client_key, now);
      return fail(need_code);
    }
  }
  throttle_.record_success(subject);

  SignedIn out;
  out.token = generate_token(random_);
  out.session.token_hash = crypto_.sha256_hex(out.token);
  out.session.role = user.role;
  out.session.user_id = user.id;
  out.session.org_id = user.org_id;
  out.session.csrf_token = generate_token(random_);
  out.session.created_at = now;
  out.session.expires_at = now + config_.staff_session_absolute;
  if (auto st = store_.create_session(out.session); !st) return fail(st.error());
  return out;
}

Result<TotpEnrolment> CaseService::enrol_totp(const Session& s) {
  if (!s.user_id) return fail(Error::forbidden("Only staff accounts have a second factor."));
  auto found = store_.find_user(*s.user_id);
  if (!found) return fail(found.error());
  if (!found->has_value()) return fail(Error::unauthorized("Sign in first."));
  User user = **found;
  std::string secret(20, '\0');  // 160 bits, RFC 4226 section 4 R6
  random_.fill(std::span(reinterpret_cast<std::uint8_t*>(secret.data()), secret.size()));
  user.totp_secret = secret;
  if (auto st = store_.update_user(user); !st) return fail(st.error());
  return TotpEnrolment{base32_encode(secret),
                       otpauth_uri("Grievance mechanism", user.email, secret)};
}

Result<Session> CaseService::authenticate(std::string_view token) {
  const Error bad = Error::unauthorized("Sign in first.");
  if (!looks_like_token(token)) return fail(bad);
  const std::string hash = crypto_.sha256_hex(token);
  auto session = store_.find_session(hash);
  if (!session) return fail(session.error());
  if (!session->has_value()) return fail(bad);
  const TimePoint now = clock_.now();
  const Error expired = Error::unauthorized("The session has expired. Sign in again.");
  // An expired session is refused; the store sweeps it at the next sign-in, so reading a
  // case never writes.
  if ((*session)->expires_at <= now) return fail(expired);
  if ((*session)->role != Role::kComplainant) {
    // Idle expiry for staff, tracked in memory (a restart counts from the sign-in).
    std::lock_guard lock(activity_mu_);
    auto it = activity_.find(hash);
    const TimePoint last = it != activity_.end() ? it->second : (*session)->created_at;
    if (now - last >= config_.staff_session_idle) {
      if (it != activity_.end()) activity_.erase(it);
      return fail(expired);
    }
    if (activity_.size() > 100000) {
      std::erase_if(activity_,
                    [&](const auto& kv) { return now - kv.second >= config_.staff_session_idle; });
    }
    activity_[hash] = now;
  }
  return **session;
}

void CaseService::forget_activity(const std::string& token_hash) {
  std::lock_guard lock(activity_mu_);
  activity_.erase(token_hash);
}

Status CaseService::sign_out(std::string_view token) {
  if (!looks_like_token(token)) return {};
  const std::string hash = crypto_.sha256_hex(token);
  forget_activity(hash);
  return store_.delete_session(hash);
}

Result<CaseView> CaseService::view_of(const Session& session, Case c) {
  const CaseAccess access = case_access(session, c);
  if (access == CaseAccess::kNone) return fail(Error::not_found());
  auto events = store_.case_events(c.id);
  if (!events) return fail(events.error());
  CaseView view;
  view.access = access;
  view.show_contact = may_see_identity(session, c);
  if (session.role == Role::kCompany && session.org_id) {
    view.viewer_party = party_role(c, *session.org_id);
  }
  for (auto& e : *events) {
    if (may_see_event(session, c, e)) view.events.push_back(std::move(e));
  }
  view.stages = stage_frames(c);
  view.overdue = is_overdue(c, clock_.now());
  // Defence in depth: what the viewer may not see is not even handed to the HTTP layer.
  if (!view.show_contact) {
    c.complaint.contact.reset();
  }
  if (session.role != Role::kAdmin) c.parties.clear();
  view.c = std::move(c);
  return view;
}

Result<Case> CaseService::find_visible(const Session& session, std::string_view reference_input) {
  auto reference = normalise_reference(reference_input);
  if (!reference) return fail(Error::not_found());
  auto found = store_.find_case_by_reference(*reference);
  if (!found) return fail(found.error());
  if (!found->has_value() || case_access(session, **found) == CaseAccess::kNone) {
    return fail(Error::not_found());
  }
  return **std::move(found);
}

Result<CaseView> CaseService::view_case(const Session& session, std::string_view reference_input) {
  auto c = find_visible(session, reference_input);
  if (!c) return fail(c.error());
  return view_of(session, *std::move(c));
}

Result<CaseEvent> CaseService::post_message(const Session& session, std::string_view reference,
                                            std::string_view body, Visibility visibility) {
  if (auto s = validate_message_body(body, config_.limits); !s) return fail(s.error());
  // Access only: the events are not needed to write one.
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (case_access(session, *c) < CaseAccess::kMessage) {
    return fail(Error::forbidden("You may follow this case but not write in it."));
  }
  if (visibility != Visibility::kParties &&
      !(session.role == Role::kAdmin || session.role == Role::kCompany)) {
    return fail(Error::invalid_field("visibility", "Your messages go to all parties."));
  }

  CaseEvent e;
  e.at = clock_.now();
  e.type = EventType::kMessage;
  e.actor_role = session.role;
  e.actor_org_id = session.role == Role::kComplainant ? std::nullopt : session.org_id;
  e.visibility = visibility;
  e.body = std::string(body);
  auto id = store_.append_event(c->id, e, std::nullopt);
  if (!id) return fail(id.error());
  e.id = *id;
  e.case_id = c->id;
  return e;
}

namespace {

std::optional<std::int64_t> parse_positive(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? std::optional(v) : std::nullopt;
}

}  // namespace

Result<CasePage> CaseService::list_cases(const Session& s, const CaseListRequest& r) {
  if (!may_list_cases(s.role)) return fail(Error::forbidden("This role has no case list."));
  CaseQuery q;
  q.now = clock_.now();
  if (s.role == Role::kCompany) {
    if (!s.org_id) return fail(Error::forbidden("This account has no company."));
    q.scope_party_org_id = s.org_id;
  } else if (s.role == Role::kUnion) {
    if (!s.org_id) return fail(Error::forbidden("This account has no union."));
    q.scope_union_org_id = s.org_id;
  }
  if (!r.status.empty()) {
    q.status = parse_case_status(r.status);
    if (!q.status) return fail(Error::invalid_field("status", "Unknown status."));
  }
  if (!r.company.empty()) {
    q.company_org_id = parse_positive(r.company);
    if (!q.company_org_id) return fail(Error::invalid_field("company", "Must be an id."));
  }
  if (!r.site.empty()) {
    q.site_id = parse_positive(r.site);
    if (!q.site_id) return fail(Error::invalid_field("site", "Must be an id."));
  }
  if (!r.country.empty()) {
    if (!is_country_code(r.country)) {
      return fail(Error::invalid_field("country", "Must be a country code such as ID."));
    }
    q.country = r.country;
  }
  if (!r.sector.empty()) {
    q.sector = parse_sector(r.sector);
    if (!q.sector) return fail(Error::invalid_field("sector", "Unknown sector."));
  }
  if (!r.category.empty()) {
    q.category = parse_category(r.category);
    if (!q.category) return fail(Error::invalid_field("category", "Unknown category."));
  }
  if (!r.overdue.empty()) {
    if (r.overdue == "true" || r.overdue == "1") {
      q.overdue = true;
    } else if (r.overdue == "false" || r.overdue == "0") {
      q.overdue = false;
    } else {
      return fail(Error::invalid_field("overdue", "Must be true or false."));
    }
  }
  if (r.triage) {
    if (s.role != Role::kAdmin) return fail(Error::forbidden("Only administrators triage."));
    q.triage = true;
  }
  if (auto t = check_text("q", r.q, 100, false); !t) return fail(t.error());
  q.q = r.q;
  if (!r.limit.empty()) {
    auto limit = parse_positive(r.limit);
    if (!limit || *limit > 100) return fail(Error::invalid_field("limit", "Must be 1 to 100."));
    q.limit = static_cast<int>(*limit);
  }
  if (!r.cursor.empty()) {
    // "<created_at seconds>.<id>": opaque to clients, validated strictly.
    const auto dot = r.cursor.find('.');
    auto at = dot == std::string::npos ? std::nullopt
                                       : parse_positive(std::string_view(r.cursor).substr(0, dot));
    auto id = dot == std::string::npos ? std::nullopt
                                       : parse_positive(std::string_view(r.cursor).substr(dot + 1));
    if (!at || !id) return fail(Error::invalid_field("cursor", "Not a cursor of this list."));
    q.after = std::pair{TimePoint{std::chrono::seconds{*at}}, *id};
  }
  const int wanted = q.limit;
  q.limit = wanted + 1;  // one more tells whether there is a next page
  auto cases = store_.list_cases(q);
  if (!cases) return fail(cases.error());
  CasePage page;
  if (static_cast<int>(cases->size()) > wanted) {
    cases->resize(static_cast<std::size_t>(wanted));
    const Case& last = cases->back();
    page.next_cursor =
        std::to_string(last.created_at.time_since_epoch().count()) + "." + std::to_string(last.id);
  }
  for (auto& c : *cases) {
    page.viewer_party.push_back(s.role == Role::kCompany && s.org_id ? party_role(c, *s.org_id)
                                                                     : std::nullopt);
    page.overdue.push_back(is_overdue(c, q.now));
    c.complaint.narrative.clear();
    c.complaint.contact.reset();
    if (s.role != Role::kAdmin) c.parties.clear();
    page.cases.push_back(std::move(c));
  }
  return page;
}

Result<CaseView> CaseService::assign_case(const Session& s, std::string_view reference,
                                          std::int64_t company_org_id) {
  auto found = find_visible(s, reference);
  if (!found) return fail(found.error());
  if (!may_administer(s.role)) return fail(Error::forbidden("Only administrators assign cases."));
  Case c = *std::move(found);
  if (!c.parties.empty()) return fail(Error::conflict("This case is already routed."));
  auto directory = load_directory();
  if (!directory) return fail(directory.error());
  std::optional<Sector> sector;
  if (c.complaint.site_id) {
    auto site = store_.find_site(*c.complaint.site_id);
    if (!site) return fail(site.error());
    if (site->has_value()) sector = (*site)->sector;
  }
  auto parties = route_parties(company_org_id, sector, directory->links, directory->organisations);
  if (parties.empty()) {
    return fail(Error::invalid_field("org_id", "Must be an enabled company."));
  }
  auto events = routing_events(parties, Role::kAdmin, clock_.now());
  if (auto st = store_.add_case_parties(c.id, parties, events); !st) return fail(st.error());
  c.parties = parties;
  return view_of(s, std::move(c));
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
