#include "server/http/api/answers.hpp"

#include "server/domain/codes.hpp"
#include "server/http/batch_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::to_string;

// Answers above this size give their buffer back after use, so one huge page does not pin
// its memory to a thread for ever.
constexpr std::size_t kKeptBufferBytes = 256 * 1024;

void write_time(JsonWriter& w, std::string_view key, domain::TimePoint t) {
  char text[domain::kTimeChars];
  domain::format_time_into(t, text);
  w.field(key, std::string_view(text, sizeof text));
}

void write_categories(JsonWriter& w, const domain::Complaint& k) {
  w.key("categories").begin_array();
  for (auto c : k.categories) w.value(to_string(c));
  w.end_array();
}

template <class Names>
void write_parties(JsonWriter& w, const domain::Case& c, const Names& names) {
  w.key("parties").begin_array();
  for (const auto& p : c.parties) {
    w.begin_object().field("org_id", p.org_id).field("role", to_string(p.role));
    if (auto it = names.find(p.org_id); it != names.end()) w.field("name", it->second);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string& answer_buffer() {
  thread_local std::string buffer;
  if (buffer.capacity() > kKeptBufferBytes) std::string().swap(buffer);
  buffer.clear();
  return buffer;
}

Response json_answer(bhttp::status status, std::string& body, const Request& req) {
  // A buffer answer_buffer() would give back anyway: no copy of a large answer.
  if (body.capacity() > kKeptBufferBytes) return json_response(status, std::move(body), req);
  return json_response(status, body, req);
}

std::string_view access_name(domain::CaseAccess a) {
  switch (a) {
    case domain::CaseAccess::kNone:
      return "none";
    case domain::CaseAccess::kRead:
      return "read";
    case domain::CaseAccess::kMessage:
      return "message";
    case domain::CaseAccess::kAct:
      return "act";
  }
  return "none";
}

void write_event(JsonWriter& w, const domain::CaseEvent& e) {
  w.begin_object().field("seq", e.seq);
  write_time(w, "at", e.at);
  w.field("type", to_string(e.type))
      .field("actor_role", to_string(e.actor_role))
      .field("visibility", to_string(e.visibility));
  // The view keeps an actor organisation only where the viewer may see it
  // (may_see_organisation).
  if (e.actor_org_id) w.field("actor_org_id", *e.actor_org_id);
  if (e.from_status) w.field("from_status", to_string(*e.from_status));
  if (e.to_status) w.field("to_status", to_string(*e.to_status));
  if (!e.body.empty()) w.field("body", e.body);
  if (e.outcome) w.field("outcome", to_string(*e.outcome));
  if (e.external_body) w.field("external_body", to_string(*e.external_body));
  if (e.action) w.field("action", *e.action);
  if (e.score) w.field("score", *e.score);
  if (!e.detail.empty()) w.field("detail", e.detail);
  if (e.translates) w.field("translates", *e.translates);
  if (e.language) w.field("language", to_string(*e.language));
  if (e.attachment) {
    // The file name is `body`; the bytes at GET .../attachments/{seq}.
    w.key("attachment")
        .begin_object()
        .field("media_type", e.attachment->media_type)
        .field("size", e.attachment->size)
        .field("sha256", e.attachment->sha256)
        .field("metadata_removed", e.attachment->metadata_removed)
        .end_object();
  }
  w.end_object();
}

namespace {

void write_optional_time(JsonWriter& w, std::string_view key,
                         const std::optional<domain::TimePoint>& t) {
  if (t) {
    write_time(w, key, *t);
  } else {
    w.key(key).null();
  }
}

// The case's life: outcome, escalation, the plan action by action, the worker's verdict.
// The flags that wait for the operator's review (never the retaliation flag for a company).
void write_flags(JsonWriter& w, const domain::Case& c) {
  w.key("flags").begin_array();
  if (c.retaliation) w.value(to_string(domain::ReviewFlag::kRetaliation));
  if (c.remedy_failed) w.value(to_string(domain::ReviewFlag::kRemedyFailed));
  w.end_array();
}

void write_life(JsonWriter& w, const domain::CaseView& v) {
  const auto& c = v.c;
  w.key("outcome");
  if (c.outcome) {
    w.value(to_string(*c.outcome));
  } else {
    w.null();
  }
  w.key("escalated_to");
  if (c.escalated_to) {
    w.value(to_string(*c.escalated_to));
  } else {
    w.null();
  }
  write_optional_time(w, "settled_at", c.settled_at);
  write_optional_time(w, "follow_up_due", c.follow_up_due);
  write_optional_time(w, "paused_since", c.paused_since);
  w.key("satisfaction");
  if (c.satisfaction) {
    w.value(*c.satisfaction);
  } else {
    w.null();
  }
  w.key("remedy").begin_array();
  for (const auto& a : c.remedy) {
    w.begin_object()
        .field("number", a.number)
        .field("what", a.what)
        .field("organisation", a.org_id)
        .field("organisation_name", v.organisation_name(a.org_id))
        .field("due", domain::format_date(a.due));
    write_optional_time(w, "done_at", a.done_at);
    w.field("done_note", a.done_note).key("verdict");
    if (a.verdict) {
      w.value(to_string(*a.verdict));
    } else {
      w.null();
    }
    w.field("verdict_note", a.verdict_note);
    w.end_object();
  }
  w.end_array();
  w.field("identity", to_string(c.identity));
  w.key("follow_up_answer");
  if (c.follow_up_answer) {
    w.value(to_string(*c.follow_up_answer));
  } else {
    w.null();
  }
  // A company's view never carries the retaliation flag (the domain clears it).
  write_flags(w, c);
  w.field("disclosure_requested", c.disclosure_requested_by.has_value());
  // What the caller may do now (domain::CaseRights).
  w.key("allowed_moves").begin_array();
  for (const auto* rule : v.moves) {
    w.begin_object().field("move", rule->name).field("to", to_string(rule->to)).end_object();
  }
  w.end_array();
  write_optional_time(w, "appeal_until", v.appeal_until);
}

// The meetings (docs/domain.md "Meetings"): each proposal with its state and minutes.
void write_meetings(JsonWriter& w, const domain::CaseView& v) {
  auto side = [](domain::MeetingSide s) {
    return s == domain::MeetingSide::kCompany ? "company" : "complainant";
  };
  w.key("meetings").begin_array();
  for (const auto& m : v.meetings) {
    w.begin_object().field("id", m.id).field("proposed_by", side(m.proposed_by));
    write_time(w, "proposed_at", m.proposed_at);
    w.key("times").begin_array();
    for (const auto t : m.times) w.value(domain::format_time(t));
    w.end_array();
    w.field("call", m.call)
        .field("place", m.place)
        .field("interpreter", m.interpreter)
        .field("interpreter_language", m.interpreter_language)
        .field("companion", m.companion)
        .field("state", domain::to_string(m.state));
    if (m.replaces) w.field("replaces", *m.replaces);
    if (m.replaced_by) w.field("replaced_by", *m.replaced_by);
    if (m.agreed_time) write_time(w, "agreed_time", *m.agreed_time);
    if (m.state == domain::MeetingState::kDeclined) w.field("decline_reason", m.decline_reason);
    w.key("minutes").begin_array();
    for (const auto& x : m.minutes) {
      w.begin_object().field("by", side(x.by));
      write_time(w, "at", x.at);
      w.field("text", x.text).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
}

}  // namespace

void write_case(JsonWriter& w, const domain::CaseView& v) {
  const auto& c = v.c;
  const auto& k = c.complaint;
  w.begin_object()
      .field("reference", c.reference)
      .field("status", to_string(c.status))
      .field("channel", to_string(k.channel))
      .field("language", to_string(k.language));
  write_categories(w, k);
  w.field("narrative", k.narrative);
  w.key("site");
  if (v.site) {
    w.begin_object()
        .field("id", v.site->id)
        .field("name", v.site->name)
        .field("country", v.site->country)
        .field("region", v.site->region)
        .field("sector", to_string(v.site->sector))
        .end_object();
  } else {
    w.null();
  }
  w.field("place", k.place).field("country", k.country);
  w.key("incident_date");
  if (k.incident_date) {
    w.value(domain::format_date(*k.incident_date));
  } else {
    w.null();
  }
  w.field("anonymous", k.anonymous);
  write_time(w, "created_at", c.created_at);
  write_time(w, "updated_at", c.updated_at);
  w.key("deadlines").begin_object();
  write_time(w, "ack_due", c.deadlines.ack_due);
  write_time(w, "response_due", c.deadlines.response_due);
  write_time(w, "resolution_due", c.deadlines.resolution_due);
  w.end_object();
  w.field("access", access_name(v.access)).field("overdue", v.overdue);
  w.key("stages").begin_array();
  for (const auto& s : v.stages) {
    w.begin_object()
        .field("stage", to_string(s.stage))
        .field("indicative_days", s.indicative_days)
        .field("reached", s.reached)
        .field("current", s.current);
    if (s.due) write_time(w, "due", *s.due);
    w.end_object();
  }
  w.end_array();
  write_life(w, v);
  w.key("events").begin_array();
  for (const auto& e : v.events) write_event(w, e);
  w.end_array();
  write_meetings(w, v);
  if (v.show_contact && k.contact) {
    w.key("contact")
        .begin_object()
        .field("name", k.contact->name)
        .field("phone", k.contact->phone)
        .field("email", k.contact->email)
        .end_object();
  }
  if (v.viewer_party) w.field("party_role", to_string(*v.viewer_party));
  if (v.show_parties) write_parties(w, c, v.organisation_names);
  if (v.show_union) {
    w.key("union_org_id");
    if (k.union_org_id) {
      w.value(*k.union_org_id);
    } else {
      w.null();
    }
    w.key("mandate");
    if (k.mandate) {
      w.begin_object()
          .field("follow", k.mandate->follow)
          .field("share_identity_with_company", k.mandate->share_identity_with_company)
          .field("collective", k.mandate->collective)
          .field("headcount", k.mandate->headcount)
          .end_object();
    } else {
      w.null();
    }
  }
  w.end_object();
}

void write_case_page(JsonWriter& w, const domain::CasePage& page) {
  w.begin_object().key("cases").begin_array();
  for (const auto& row : page.rows) {
    const auto& c = row.c;
    const auto& k = c.complaint;
    w.begin_object().field("reference", c.reference).field("status", to_string(c.status));
    write_time(w, "created_at", c.created_at);
    write_time(w, "updated_at", c.updated_at);
    w.field("country", k.country).key("site");
    if (k.site_id && !row.site_name.empty()) {
      w.begin_object().field("id", *k.site_id).field("name", row.site_name).end_object();
    } else {
      w.null();
    }
    write_categories(w, k);
    w.field("channel", to_string(k.channel)).field("overdue", row.overdue);
    write_flags(w, c);
    if (row.viewer_party) w.field("party_role", to_string(*row.viewer_party));
    if (page.show_parties) write_parties(w, c, page.organisation_names);
    w.end_object();
  }
  w.end_array().key("next_cursor");
  if (page.next_cursor.empty()) {
    w.null();
  } else {
    w.value(page.next_cursor);
  }
  w.end_object();
}

void write_receipt(JsonWriter& w, const domain::Receipt& r) {
  w.begin_object()
      .field("reference", r.reference)
      .field("filed_at", domain::format_time(r.filed_at))
      .field("content_sha256", r.content_sha256)
      .field("key_id", r.key_id)
      .field("signature", r.signature)
      .end_object();
}

void write_filed_members(JsonWriter& w, const domain::FiledComplaint& filed) {
  w.field("reference", filed.filed.reference)
      .field("status", to_string(filed.filed.status))
      .field("ack_due", domain::format_time(filed.filed.deadlines.ack_due));
  w.key("receipt");
  write_receipt(w, filed.receipt);
  if (filed.replayed) {
    w.field("replayed", true);
  } else {
    w.field("access_code", filed.access_code)
        .field("access_code_grouped", domain::group_access_code(filed.access_code));
  }
}

void write_error(JsonWriter& w, const domain::Error& e, bool csv_columns) {
  w.begin_object().field("code", domain::error_code_name(e.code)).field("message", e.message);
  if (!e.field.empty()) w.field("field", csv_columns ? csv_column_name(e.field) : e.field);
  w.end_object();
}

void write_organisation(JsonWriter& w, const domain::Organisation& o) {
  w.begin_object()
      .field("id", o.id)
      .field("kind", to_string(o.kind))
      .field("name", o.name)
      .field("country", o.country)
      .field("disabled", o.disabled)
      .end_object();
}

void write_site(JsonWriter& w, const domain::Site& s) {
  w.begin_object()
      .field("id", s.id)
      .field("name", s.name)
      .field("country", s.country)
      .field("region", s.region)
      .field("sector", to_string(s.sector))
      .field("operator_org_id", s.operator_org_id)
      .field("disabled", s.disabled)
      .end_object();
}

void write_supply_link(JsonWriter& w, const domain::SupplyLink& l) {
  w.begin_object()
      .field("id", l.id)
      .field("supplier_org_id", l.supplier_org_id)
      .field("buyer_org_id", l.buyer_org_id)
      .key("sector");
  if (l.sector) {
    w.value(to_string(*l.sector));
  } else {
    w.null();
  }
  w.field("disabled", l.disabled).end_object();
}

void write_user(JsonWriter& w, const domain::User& u) {
  w.begin_object()
      .field("id", u.id)
      .field("email", u.email)
      .field("role", to_string(u.role))
      .field("org_id", u.org_id)
      .field("disabled", u.disabled)
      .field("totp_enrolled", !u.totp_secret.empty())
      .field("created_at", domain::format_time(u.created_at))
      .end_object();
}

}  // namespace grievance::http::api
