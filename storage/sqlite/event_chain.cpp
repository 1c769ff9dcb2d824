#include "storage/sqlite/event_chain.hpp"

#include <optional>

#include "server/domain/public_register.hpp"
#include "storage/sqlite/case_facts_rows.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::storage {
namespace {

using domain::CaseEvent;
using domain::Error;
using domain::fail;
using domain::Result;

std::string event_body_ad(std::int64_t case_id, std::int64_t seq) {
  return "case_events.body:" + std::to_string(case_id) + ":" + std::to_string(seq);
}
std::string event_detail_ad(std::int64_t case_id, std::int64_t seq) {
  return "case_events.detail:" + std::to_string(case_id) + ":" + std::to_string(seq);
}

std::optional<std::string> optional_int_text(std::optional<std::int64_t> v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

// An event as stored: the exact column values the chain hash covers.
struct EventRow {
  std::int64_t case_id = 0;
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::string type;
  std::string actor_role;
  std::optional<std::int64_t> actor_org_id;
  std::string visibility;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::string body;  // sealed
  // Schema version 6: NULL for every earlier event.
  std::optional<std::string> outcome;
  std::optional<std::string> external_body;
  std::optional<std::int64_t> action;
  std::optional<std::int64_t> score;
  std::optional<std::string> detail;  // sealed
  bool has_v5_fields() const { return outcome || external_body || action || score || detail; }
  // Schema version 7: a translation.
  std::optional<std::int64_t> translates;
  std::optional<std::string> language;
  bool has_v7_fields() const { return translates || language; }
  // Schema version 8: evidence (an attachment event).
  std::optional<std::int64_t> attachment_blob;
  std::optional<std::string> media_type;
  std::optional<std::int64_t> file_size;
  std::optional<std::string> file_sha256;
  std::optional<std::int64_t> metadata_removed;
  bool has_v8_fields() const {
    return attachment_blob || media_type || file_size || file_sha256 || metadata_removed;
  }
};

std::optional<std::string_view> opt_view(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

void put_field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
}
void put_optional_field(std::string& out, std::optional<std::string_view> v) {
  if (v) {
    put_field(out, *v);
  } else {
    out += '-';  // distinct from any length prefix: NULL is not the empty string
  }
}

// Length-prefixed, so no two different events have the same bytes.
std::string canonical_event(const EventRow& e) {
  std::string out = "grievance-event-v1\n";
  put_field(out, std::to_string(e.case_id));
  put_field(out, std::to_string(e.seq));
  put_field(out, std::to_string(e.at));
  put_field(out, e.type);
  put_field(out, e.actor_role);
  const std::string org = e.actor_org_id ? std::to_string(*e.actor_org_id) : std::string();
  put_optional_field(out, e.actor_org_id ? std::optional<std::string_view>(org) : std::nullopt);
  put_field(out, e.visibility);
  put_optional_field(out, opt_view(e.from_status));
  put_optional_field(out, opt_view(e.to_status));
  put_field(out, e.body);
  // Events that carry none of version 6's fields hash exactly as before it, so every chain
  // written earlier still verifies.
  if (e.has_v5_fields() || e.has_v7_fields()) {
    out += "v5\n";
    put_optional_field(out, opt_view(e.outcome));
    put_optional_field(out, opt_view(e.external_body));
    const auto action = optional_int_text(e.action), score = optional_int_text(e.score);
    put_optional_field(out, opt_view(action));
    put_optional_field(out, opt_view(score));
    put_optional_field(out, opt_view(e.detail));
  }
  // Version 7's fields only where an event has them: earlier chains still verify.
  if (e.has_v7_fields()) {
    out += "v7\n";
    const auto translates = optional_int_text(e.translates);
    put_optional_field(out, opt_view(translates));
    put_optional_field(out, opt_view(e.language));
  }
  // Version 8's fields only where an event has them: earlier chains still verify.
  if (e.has_v8_fields()) {
    out += "v8\n";
    const auto blob = optional_int_text(e.attachment_blob);
    const auto size = optional_int_text(e.file_size);
    const auto removed = optional_int_text(e.metadata_removed);
    put_optional_field(out, opt_view(blob));
    put_optional_field(out, opt_view(e.media_type));
    put_optional_field(out, opt_view(size));
    put_optional_field(out, opt_view(e.file_sha256));
    put_optional_field(out, opt_view(removed));
  }
  return out;
}

std::string chain_hash(const domain::Crypto& crypto, std::string_view prev_hash,
                       const EventRow& e) {
  return crypto.sha256_hex(std::string(prev_hash) + canonical_event(e));
}

constexpr std::string_view kInsertEvent =
    "INSERT INTO case_events (case_id, seq, at, type, actor_role, actor_org_id, visibility, "
    "from_status, to_status, body, prev_hash, hash, outcome, external_body, action, score, "
    "detail, translates, language, attachment_blob, media_type, file_size, file_sha256, "
    "metadata_removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
constexpr std::string_view kSelectEvents =
    "SELECT id, case_id, seq, at, type, actor_role, actor_org_id, visibility, from_status, "
    "to_status, body, prev_hash, hash, outcome, external_body, action, score, detail, "
    "translates, language, attachment_blob, media_type, file_size, file_sha256, "
    "metadata_removed FROM case_events WHERE case_id = ?1 ORDER BY seq";

}  // namespace

Result<ChainHead> read_chain_head(Connection& db, std::int64_t case_id) {
  auto q = db.query("SELECT event_count, last_event_hash FROM cases WHERE id = ?1");
  auto row = q.bind(1, case_id).step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("No such case."));
  return ChainHead{q.int64(0), q.text(1)};
}

namespace {

domain::Status update_register_entry(Connection& db, std::int64_t case_id, const CaseEvent& e) {
  if (e.detail == domain::kRegisterGiven) {
    auto q = db.query(
        "INSERT INTO register_entries (case_id, listed_at) VALUES (?1, ?2) "
        "ON CONFLICT (case_id) DO UPDATE SET listed_at = excluded.listed_at");
    return q.bind(1, case_id).bind(2, encode_time(e.at)).run();
  }
  auto q = db.query("DELETE FROM register_entries WHERE case_id = ?1");
  return q.bind(1, case_id).run();
}

}  // namespace

Result<std::int64_t> insert_event(Connection& db, const domain::FieldCipher& cipher,
                                  const domain::Crypto& crypto, std::int64_t case_id,
                                  ChainHead& head, const CaseEvent& e) {
  EventRow row;
  row.case_id = case_id;
  row.seq = head.count + 1;
  row.at = encode_time(e.at);
  row.type = db_name(e.type);
  row.actor_role = db_name(e.actor_role);
  row.actor_org_id = e.actor_org_id;
  row.visibility = db_name(e.visibility);
  if (e.from_status) row.from_status = std::string(db_name(*e.from_status));
  if (e.to_status) row.to_status = std::string(db_name(*e.to_status));
  row.body = cipher.seal(e.body, event_body_ad(case_id, row.seq));
  if (e.outcome) row.outcome = std::string(db_name(*e.outcome));
  if (e.external_body) row.external_body = std::string(db_name(*e.external_body));
  if (e.action) row.action = *e.action;
  if (e.score) row.score = *e.score;
  if (!e.detail.empty()) row.detail = cipher.seal(e.detail, event_detail_ad(case_id, row.seq));
  row.translates = e.translates;
  if (e.language) row.language = std::string(db_name(*e.language));
  if (e.attachment) {
    row.attachment_blob = e.attachment->blob_id;
    row.media_type = e.attachment->media_type;
    row.file_size = e.attachment->size;
    row.file_sha256 = e.attachment->sha256;
    row.metadata_removed = e.attachment->metadata_removed ? 1 : 0;
  }
  const std::string hash = chain_hash(crypto, head.hash, row);
  auto q = db.query(kInsertEvent);
  q.bind(1, row.case_id)
      .bind(2, row.seq)
      .bind(3, row.at)
      .bind(4, row.type)
      .bind(5, row.actor_role)
      .bind(6, row.actor_org_id)
      .bind(7, row.visibility)
      .bind(8, opt_view(row.from_status))
      .bind(9, opt_view(row.to_status))
      .bind_blob(10, row.body)
      .bind(11, head.hash)
      .bind(12, hash)
      .bind(13, opt_view(row.outcome))
      .bind(14, opt_view(row.external_body))
      .bind(15, row.action)
      .bind(16, row.score);
  if (row.detail) {
    q.bind_blob(17, *row.detail);
  } else {
    q.bind_null(17);
  }
  q.bind(18, row.translates).bind(19, opt_view(row.language));
  q.bind(20, row.attachment_blob)
      .bind(21, opt_view(row.media_type))
      .bind(22, row.file_size)
      .bind(23, opt_view(row.file_sha256))
      .bind(24, row.metadata_removed);
  if (auto s = q.run(); !s) return fail(s.error());
  const std::int64_t event_id = db.last_insert_rowid();
  // docs/domain.md "Notifications": the outbox row is written with the event, in its
  // transaction, so no event is ever lost to the notifications (nor notified without being).
  if (auto s = insert_outbox_row(db, case_id, event_id); !s) return fail(s.error());
  // docs/domain.md "Statistics": the case's facts follow the event in the same transaction, so
  // every statistic is true the moment the change returns.
  if (auto s = fold_case_facts(db, case_id, e); !s) return fail(s.error());
  // docs/domain.md "Public register": the list follows the complainant's consent in the same
  // transaction, so a withdrawal takes the case off the register the moment it returns.
  if (e.type == domain::EventType::kRegisterConsent) {
    if (auto s = update_register_entry(db, case_id, e); !s) return fail(s.error());
  }
  head.count = row.seq;
  head.hash = hash;
  return event_id;
}

Result<std::vector<CaseEvent>> read_events(Connection& db, const domain::FieldCipher& cipher,
                                           std::int64_t case_id) {
  auto q = db.query(kSelectEvents);
  q.bind(1, case_id);
  std::vector<CaseEvent> out;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    CaseEvent e;
    e.id = q.int64(0);
    e.case_id = q.int64(1);
    e.seq = q.int64(2);
    e.at = decode_time(q.int64(3));
    const auto type = parse_db_name<domain::EventType>(q.text(4));
    const auto role = parse_db_name<domain::Role>(q.text(5));
    e.actor_org_id = q.optional_int64(6);
    const auto visibility = parse_db_name<domain::Visibility>(q.text(7));
    if (!type || !role || !visibility) return fail(corrupt());
    e.type = *type;
    e.actor_role = *role;
    e.visibility = *visibility;
    for (auto [column, target] : {std::pair{8, &e.from_status}, std::pair{9, &e.to_status}}) {
      if (auto s = q.optional_text(column)) {
        *target = parse_db_name<domain::CaseStatus>(*s);
        if (!*target) return fail(corrupt());
      }
    }
    auto body = cipher.open(q.blob(10), event_body_ad(e.case_id, e.seq));
    if (!body) return fail(corrupt());
    e.body = std::move(*body);
    if (auto o = q.optional_text(13)) {
      e.outcome = parse_db_name<domain::Outcome>(*o);
      if (!e.outcome) return fail(corrupt());
    }
    if (auto b = q.optional_text(14)) {
      e.external_body = parse_db_name<domain::ExternalBody>(*b);
      if (!e.external_body) return fail(corrupt());
    }
    if (auto a = q.optional_int64(15)) e.action = static_cast<int>(*a);
    if (auto s = q.optional_int64(16)) e.score = static_cast<int>(*s);
    if (!q.is_null(17)) {
      auto detail = cipher.open(q.blob(17), event_detail_ad(e.case_id, e.seq));
      if (!detail) return fail(corrupt());
      e.detail = std::move(*detail);
    }
    e.translates = q.optional_int64(18);
    if (auto l = q.optional_text(19)) {
      e.language = parse_db_name<domain::Language>(*l);
      if (!e.language) return fail(corrupt());
    }
    if (auto blob = q.optional_int64(20)) {
      CaseEvent::Attachment a;
      a.blob_id = *blob;
      a.media_type = q.optional_text(21).value_or("");
      a.size = q.optional_int64(22).value_or(0);
      a.sha256 = q.optional_text(23).value_or("");
      a.metadata_removed = q.optional_int64(24).value_or(0) != 0;
      e.attachment = std::move(a);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<ChainBreak>> verify_event_chains(const std::string& db_path,
                                                    const domain::Crypto& crypto) {
  auto opened = Connection::open(db_path, Connection::Mode::kReadOnly);
  if (!opened) return fail(opened.error());
  Connection& db = **opened;
  // One read transaction: the chains are checked against one snapshot.
  if (auto s = db.exec("BEGIN"); !s) return fail(s.error());
  std::vector<ChainBreak> breaks;
  auto cases =
      db.query("SELECT id, reference, event_count, last_event_hash FROM cases ORDER BY id");
  for (;;) {
    auto row = cases.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::int64_t case_id = cases.int64(0);
    const std::string reference = cases.text(1);
    const std::int64_t event_count = cases.int64(2);
    const std::string head = cases.text(3);

    auto events = db.query(
        "SELECT seq, at, type, actor_role, actor_org_id, visibility, from_status, to_status, "
        "body, prev_hash, hash, outcome, external_body, action, score, detail, translates, "
        "language, attachment_blob, media_type, file_size, file_sha256, metadata_removed "
        "FROM case_events "
        "WHERE case_id = ?1 ORDER BY seq");
    events.bind(1, case_id);
    std::string prev(kZeroHash);
    std::int64_t expected_seq = 1;
    std::optional<ChainBreak> found;
    for (;;) {
      auto erow = events.step();
      if (!erow) return fail(erow.error());
      if (!*erow) break;
      EventRow e;
      e.case_id = case_id;
      e.seq = events.int64(0);
      e.at = events.int64(1);
      e.type = events.text(2);
      e.actor_role = events.text(3);
      e.actor_org_id = events.optional_int64(4);
      e.visibility = events.text(5);
      e.from_status = events.optional_text(6);
      e.to_status = events.optional_text(7);
      e.body = events.blob(8);
      e.outcome = events.optional_text(11);
      e.external_body = events.optional_text(12);
      e.action = events.optional_int64(13);
      e.score = events.optional_int64(14);
      if (!events.is_null(15)) e.detail = events.blob(15);
      e.translates = events.optional_int64(16);
      e.language = events.optional_text(17);
      e.attachment_blob = events.optional_int64(18);
      e.media_type = events.optional_text(19);
      e.file_size = events.optional_int64(20);
      e.file_sha256 = events.optional_text(21);
      e.metadata_removed = events.optional_int64(22);
      if (e.seq != expected_seq) {
        found = ChainBreak{reference, expected_seq, "missing event"};
        break;
      }
      const std::string stored_hash = events.text(10);
      if (events.text(9) != prev || chain_hash(crypto, prev, e) != stored_hash) {
        found = ChainBreak{reference, e.seq, "hash mismatch"};
        break;
      }
      prev = stored_hash;
      ++expected_seq;
    }
    if (!found && expected_seq - 1 != event_count) {
      found = ChainBreak{reference, expected_seq, "missing event"};
    } else if (!found && prev != head) {
      found = ChainBreak{reference, event_count, "head mismatch"};
    }
    if (found) breaks.push_back(std::move(*found));
  }
  (void)db.exec("COMMIT");
  return breaks;
}

}  // namespace grievance::storage
