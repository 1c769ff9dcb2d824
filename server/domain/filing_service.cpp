#include "server/domain/filing_service.hpp"

#include <algorithm>
#include <iterator>

#include "server/domain/access_policy.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/complainant_sessions.hpp"
#include "server/domain/deadline_notices.hpp"
#include "server/domain/routing.hpp"

namespace grievance::domain {
namespace {

constexpr int kReferenceAttempts = 5;

// Sets aside the field a problem names, so that the rest of the draft can be checked: a
// stand-in the rules accept, or nothing. The stand-ins are never filed. False for a field
// not known here.
bool set_aside(ComplaintDraft& d, std::string_view field) {
  if (field == "language") {
    d.language = "en";
  } else if (field == "categories") {
    d.categories = std::vector<std::string>{"other"};
  } else if (field == "narrative") {
    d.narrative = "-";
  } else if (field == "site_id" || field == "place") {
    d.site_id.reset();
    d.place = "-";
  } else if (field == "country") {
    d.country = "NL";
  } else if (field == "incident_date") {
    d.incident_date.reset();
  } else if (field.starts_with("contact.") && d.contact) {
    if (field == "contact.name") d.contact->name.reset();
    if (field == "contact.phone") d.contact->phone.reset();
    if (field == "contact.email") d.contact->email.reset();
  } else if (field == "mandate.headcount" && d.mandate) {
    d.mandate->headcount = d.mandate->collective ? 2 : 0;
  } else {
    return false;
  }
  return true;
}

// The order of a complaint's fields on the forms and in the CSV template: problems are named
// in this order.
int field_rank(std::string_view field) {
  static constexpr std::string_view kOrder[] = {
      "language",      "categories", "narrative",    "site_id",       "place",         "country",
      "incident_date", "anonymous",  "contact.name", "contact.phone", "contact.email", "mandate"};
  for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i) {
    if (field.starts_with(kOrder[i])) return i;
  }
  return static_cast<int>(std::size(kOrder));
}

}  // namespace

std::optional<std::string> complaint_country(const ComplaintDraft& draft, const Site* site) {
  if (site != nullptr && (!draft.country || draft.country->empty())) return site->country;
  return draft.country;
}

std::vector<CaseEvent> routing_events(const std::vector<CaseParty>& parties, Role actor,
                                      TimePoint at) {
  // Routing is recorded as case events, one per company reached; a case without any goes to
  // the admins' triage queue, which is an event too (docs/domain.md "Routing").
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

FilingService::FilingService(CaseStore& cases, DirectoryStore& directory, Crypto& crypto,
                             RandomSource& random, const Clock& clock, const ServiceConfig& config)
    : cases_(cases),
      directory_(directory),
      crypto_(crypto),
      random_(random),
      clock_(clock),
      config_(config) {}

Date FilingService::today() const {
  return Date{std::chrono::floor<std::chrono::days>(clock_.now())};
}

Receipt FilingService::sign_receipt(const Case& c) const {
  return domain::sign_receipt(crypto_, c);
}

bool FilingService::verify_receipt(const Receipt& r) const {
  return domain::verify_receipt(crypto_, r);
}

Result<std::vector<Site>> FilingService::find_sites(std::string_view query,
                                                    std::string_view country, int limit) {
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  return (*directory)->search_sites(query, country, limit);
}

Result<std::vector<std::string>> FilingService::site_countries() {
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  std::vector<std::string> out;
  for (const Site& s : (*directory)->sites()) {  // sorted by country
    if (!s.disabled && (out.empty() || out.back() != s.country)) out.push_back(s.country);
  }
  return out;
}

Result<std::optional<Site>> FilingService::site(std::int64_t id) {
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  const Site* s = (*directory)->site(id);
  if (s == nullptr || s->disabled) return std::optional<Site>();
  return std::optional<Site>(*s);
}

Result<std::string> FilingService::organisation_name(std::int64_t id) {
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  return std::string((*directory)->organisation_name(id));
}

namespace {

// docs/domain.md "Who sees what": no contact is anonymous; a contact stays with the operator
// and the union (confidential) unless the complainant - or the union's mandate - agreed that
// the companies may know the name.
IdentityLevel identity_at_filing(const Complaint& k) {
  if (!k.contact) return IdentityLevel::kAnonymous;
  if (k.anonymous) return IdentityLevel::kConfidential;
  if (k.mandate && !k.mandate->share_identity_with_company) return IdentityLevel::kConfidential;
  return IdentityLevel::kShared;
}

}  // namespace

Result<Case> FilingService::prepare_case(const ComplaintDraft& draft, Channel channel,
                                         const Session* filer, std::string_view filing_key,
                                         const Directory& directory,
                                         std::vector<CaseEvent>& events) {
  const Site* site = draft.site_id ? directory.site(*draft.site_id) : nullptr;
  std::optional<ComplaintDraft> with_country;
  if (site != nullptr && complaint_country(draft, site) != draft.country) {
    with_country = draft;
    with_country->country = complaint_country(draft, site);
  }
  auto complaint =
      validate_complaint(with_country ? *with_country : draft, config_.limits, today());
  if (!complaint) return fail(complaint.error());
  const bool by_union = filer != nullptr && filer->role == Role::kUnion;
  if (complaint->mandate && !by_union) {
    return fail(Error::invalid_field("mandate", "Only a union files with a mandate."));
  }
  if (by_union) {
    // A union filing for a worker records the union and the worker's consent (the mandate).
    if (!complaint->mandate) {
      return fail(Error::invalid_field("mandate", "A union's filing records the mandate."));
    }
    if (!filer->org_id) return fail(Error::forbidden("This account has no union."));
    complaint->union_org_id = filer->org_id;
  }
  complaint->channel = channel;
  std::vector<CaseParty> parties;
  if (complaint->site_id) {
    if (site == nullptr || site->disabled) {
      return fail(Error::invalid_field("site_id", "Unknown site."));
    }
    if (site->operator_org_id) {
      parties = route_parties(*site->operator_org_id, site->sector, directory.supply_links(),
                              directory.organisations());
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
  c.next_check_at = next_notice_after(c, config_, now);  // the first reminder
  c.content_sha256 = crypto_.sha256_hex(canonical_content(c.complaint));
  if (!filing_key.empty()) c.filing_key_hash = crypto_.sha256_hex(filing_key);
  c.parties = parties;
  c.identity = identity_at_filing(c.complaint);

  CaseEvent filed;
  filed.at = now;
  filed.type = EventType::kFiled;
  filed.actor_role = by_union ? Role::kUnion : Role::kComplainant;
  filed.actor_org_id = c.complaint.union_org_id;
  filed.visibility = Visibility::kParties;
  filed.to_status = CaseStatus::kReceived;
  events.clear();
  events.push_back(std::move(filed));
  if (c.identity == IdentityLevel::kShared) {
    // The consent is its own event (SPEC section 5): the complainant can see when it was given
    // and withdraw it for the future.
    CaseEvent consent;
    consent.at = now;
    consent.type = EventType::kIdentityShared;
    consent.actor_role = events.front().actor_role;
    consent.actor_org_id = c.complaint.union_org_id;
    consent.visibility = Visibility::kParties;
    events.push_back(std::move(consent));
  }
  for (auto& e : routing_events(parties, Role::kSystem, now)) events.push_back(std::move(e));
  return c;
}

// A retried filing answers the first one; the same key with other content is refused.
std::optional<Result<FiledComplaint>> FilingService::replay(const Case& c) {
  if (c.filing_key_hash.empty()) return std::nullopt;
  auto earlier = cases_.find_case_by_filing_key(c.filing_key_hash);
  if (!earlier) return Result<FiledComplaint>(std::unexpect, earlier.error());
  if (!earlier->has_value()) return std::nullopt;
  if ((*earlier)->content_sha256 != c.content_sha256) {
    return fail(Error::conflict("This filing key was already used for another complaint."));
  }
  FiledComplaint out{**earlier, {}, sign_receipt(**earlier), true};
  return out;
}

Result<FiledComplaint> FilingService::file_complaint(const ComplaintDraft& draft, Channel channel,
                                                     std::string_view filing_key,
                                                     const Session* filer) {
  if (filer != nullptr && filer->role == Role::kUnion) channel = Channel::kUnion;
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  std::vector<CaseEvent> events;
  auto prepared = prepare_case(draft, channel, filer, filing_key, **directory, events);
  if (!prepared) return fail(prepared.error());
  Case c = *std::move(prepared);
  if (auto r = replay(c)) return *std::move(r);

  const std::string code = generate_access_code(random_);
  for (int attempt = 0; attempt < kReferenceAttempts; ++attempt) {
    c.reference = generate_reference(random_);
    c.access_code_hmac = access_code_mac(crypto_, c.reference, code);
    auto id = cases_.create_case(c, events);
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

std::vector<Error> FilingService::problems_of(const ComplaintDraft& draft, const Session* filer,
                                              const Directory& directory) const {
  std::vector<Error> problems;
  ComplaintDraft d = draft;
  // The site first, as prepare_case() does: a known site names the country.
  if (d.site_id && *d.site_id > 0) {
    const Site* site = directory.site(*d.site_id);
    if (site == nullptr || site->disabled) {
      problems.push_back(Error::invalid_field("site_id", "Unknown site."));
      d.site_id.reset();
      if (!d.place) d.place = "-";
      if (!d.country) d.country = "NL";  // it would have been the site's
    } else {
      d.country = complaint_country(d, site);
    }
  }
  // Every rule of validate_complaint, which names the first problem: name it, set its field
  // aside, check again.
  std::string last;
  for (int round = 0; round < 32; ++round) {
    auto valid = validate_complaint(d, config_.limits, today());
    if (valid) break;
    const std::string field = valid.error().field;
    if (field == last || !set_aside(d, field)) {
      problems.push_back(valid.error());
      break;
    }
    problems.push_back(valid.error());
    last = field;
  }
  const bool by_union = filer != nullptr && filer->role == Role::kUnion;
  if (d.mandate && !by_union) {
    problems.push_back(Error::invalid_field("mandate", "Only a union files with a mandate."));
  } else if (by_union && !d.mandate) {
    problems.push_back(Error::invalid_field("mandate", "A union's filing records the mandate."));
  }
  std::stable_sort(problems.begin(), problems.end(), [](const Error& a, const Error& b) {
    return field_rank(a.field) < field_rank(b.field);
  });
  return problems;
}

Result<std::vector<Error>> FilingService::complaint_problems(const ComplaintDraft& draft,
                                                             const Session* filer) {
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  return problems_of(draft, filer, **directory);
}

std::string FilingService::batch_row_key(const Session& s, std::string_view batch_key,
                                         std::string_view file_content, std::size_t row) const {
  // The client's key when it sends one; else the file itself (issue 8: the same file uploaded
  // again must not file every complaint twice). Scoped by the union and the row's place, so a
  // retry with corrected rows lines up, and another union's identical file is its own.
  std::string key;
  if (!batch_key.empty()) {
    key = std::string(batch_key);
  } else if (!file_content.empty()) {
    key = "file:" + crypto_.sha256_hex(file_content);
  } else {
    return {};
  }
  return "batch:" + std::to_string(s.org_id.value_or(0)) + ":" + key + ":" + std::to_string(row);
}

namespace {

Status check_batch_shape(const Session& s, std::size_t rows) {
  if (!may_file_batch(s.role)) return fail(Error::forbidden("Only a union files batches."));
  if (rows == 0) return fail(Error::invalid_field("rows", "The batch has no rows."));
  if (rows > static_cast<std::size_t>(kMaxBatchRows)) {
    return fail(Error::invalid_field(
        "rows", "At most " + std::to_string(kMaxBatchRows) + " complaints per batch."));
  }
  return {};
}

}  // namespace

Result<std::vector<BatchRowCheck>> FilingService::check_batch(
    const Session& s, const std::vector<ComplaintDraft>& rows, std::string_view batch_key,
    std::string_view file_content) {
  if (auto shape = check_batch_shape(s, rows.size()); !shape) return fail(shape.error());
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  std::vector<BatchRowCheck> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out[i].problems = problems_of(rows[i], &s, **directory);
    const std::string key = batch_row_key(s, batch_key, file_content, i);
    if (key.empty()) continue;
    auto earlier = cases_.find_case_by_filing_key(crypto_.sha256_hex(key));
    if (!earlier) return fail(earlier.error());
    if (earlier->has_value()) {
      out[i].filed_before =
          BatchRowCheck::FiledBefore{(*earlier)->reference, (*earlier)->created_at};
    }
  }
  return out;
}

Result<BatchResult> FilingService::file_batch(const Session& s,
                                              const std::vector<ComplaintDraft>& rows,
                                              std::string_view batch_key,
                                              std::string_view file_content) {
  if (auto shape = check_batch_shape(s, rows.size()); !shape) return fail(shape.error());
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());

  BatchResult out;
  out.rows.resize(rows.size());
  std::vector<CaseStore::NewCase> fresh;
  std::vector<std::size_t> fresh_rows;
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // Each row has its own filing key, so a retried batch answers the rows it already
    // stored and stores only the rest (for example rows corrected after an error).
    const std::string key = batch_row_key(s, batch_key, file_content, i);
    std::vector<CaseEvent> events;
    auto c = prepare_case(rows[i], Channel::kPaper, &s, key, **directory, events);
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
    auto ids = cases_.create_cases(fresh);
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

}  // namespace grievance::domain
