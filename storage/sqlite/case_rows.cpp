// Reading a case row, its parties and its plan (storage/sqlite/case_rows.hpp).
#include "storage/sqlite/case_rows.hpp"

#include <tuple>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"

namespace grievance::storage {

using domain::Case;
using domain::fail;
using domain::Result;

namespace {

constexpr std::string_view kSelectRemedy =
    "SELECT number, what, org_id, due_date, done_at, done_note, verdict, verdict_note, "
    "verdict_at FROM remedy_actions WHERE case_id = ?1 ORDER BY number";
const std::string kSelectParties =
    "SELECT org_id, role FROM case_parties WHERE case_id = ?1 ORDER BY " + std::string(kPartyOrder);

}  // namespace

std::string narrative_ad(std::string_view reference) {
  return "cases.narrative:" + std::string(reference);
}
std::string contact_ad(std::string_view reference) {
  return "cases.contact:" + std::string(reference);
}
std::string place_ad(std::string_view reference) { return "cases.place:" + std::string(reference); }
std::string remedy_ad(std::string_view column, std::int64_t case_id, int number) {
  return "remedy_actions." + std::string(column) + ":" + std::to_string(case_id) + ":" +
         std::to_string(number);
}
std::optional<std::int64_t> encode_optional_time(std::optional<domain::TimePoint> t) {
  return t ? std::optional<std::int64_t>(encode_time(*t)) : std::nullopt;
}
std::optional<domain::TimePoint> decode_optional_time(std::optional<std::int64_t> t) {
  return t ? std::optional<domain::TimePoint>(decode_time(*t)) : std::nullopt;
}

Result<Case> read_case_row(const Query& q, const domain::FieldCipher& cipher, bool open_sealed) {
  Case c;
  auto& k = c.complaint;
  c.id = q.int64(0);
  c.reference = q.text(1);
  c.access_code_hmac = q.text(2);
  const auto language = parse_db_name<domain::Language>(q.text(3));
  auto categories = decode_categories(q.text(4));
  if (!language || !categories) return fail(corrupt());
  k.language = *language;
  k.categories = std::move(*categories);
  if (open_sealed) {
    auto narrative = cipher.open(q.blob(5), narrative_ad(c.reference));
    if (!narrative) return fail(corrupt());
    k.narrative = std::move(*narrative);
  }
  k.site_id = q.optional_int64(6);
  if (!q.is_null(7)) {
    // Opened for the list too: it shows the place.
    auto place = cipher.open(q.blob(7), place_ad(c.reference));
    if (!place) return fail(corrupt());
    k.place = std::move(*place);
  }
  k.country = q.text(8);
  if (auto d = q.optional_text(9)) {
    k.incident_date = decode_date(*d);
    if (!k.incident_date) return fail(corrupt());
  }
  k.anonymous = q.int64(10) != 0;
  if (open_sealed && !q.is_null(11)) {
    auto opened = cipher.open(q.blob(11), contact_ad(c.reference));
    if (!opened) return fail(corrupt());
    k.contact = decode_contact(*opened);
    if (!k.contact) return fail(corrupt());
  }
  if (!q.is_null(12)) {
    k.mandate = domain::Mandate{q.int64(12) != 0, q.int64(13) != 0, q.int64(14) != 0,
                                static_cast<int>(q.int64(15))};
  }
  const auto channel = parse_db_name<domain::Channel>(q.text(16));
  const auto status = parse_db_name<domain::CaseStatus>(q.text(18));
  if (!channel || !status) return fail(corrupt());
  k.channel = *channel;
  k.union_org_id = q.optional_int64(17);
  c.status = *status;
  c.deadlines = domain::Deadlines{decode_time(q.int64(19)), decode_time(q.int64(20)),
                                  decode_time(q.int64(21))};
  c.created_at = decode_time(q.int64(22));
  c.updated_at = decode_time(q.int64(23));
  c.content_sha256 = q.text(24);
  c.event_count = q.int64(25);
  if (auto o = q.optional_text(26)) {
    c.outcome = parse_db_name<domain::Outcome>(*o);
    if (!c.outcome) return fail(corrupt());
  }
  c.settled_at = decode_optional_time(q.optional_int64(27));
  if (auto b = q.optional_text(28)) {
    c.escalated_to = parse_db_name<domain::ExternalBody>(*b);
    if (!c.escalated_to) return fail(corrupt());
  }
  if (auto s = q.optional_int64(29)) c.satisfaction = static_cast<int>(*s);
  c.paused_since = decode_optional_time(q.optional_int64(30));
  c.retaliation = q.int64(31) != 0;
  c.follow_up_due = decode_optional_time(q.optional_int64(32));
  c.next_check_at = decode_optional_time(q.optional_int64(33));
  if (auto a = q.optional_text(34)) {
    c.follow_up_answer = parse_db_name<domain::RemedyHeld>(*a);
    if (!c.follow_up_answer) return fail(corrupt());
  }
  c.remedy_failed = q.int64(35) != 0;
  auto identity = parse_db_name<domain::IdentityLevel>(q.text(36));
  if (!identity) return fail(corrupt());
  c.identity = *identity;
  c.disclosure_requested_by = q.optional_int64(37);
  return c;
}

Result<std::vector<domain::CaseParty>> load_parties(Connection& db, std::int64_t case_id) {
  auto q = db.query(kSelectParties);
  q.bind(1, case_id);
  return read_all(q, [](const Query& row) -> Result<domain::CaseParty> {
    const auto role = parse_db_name<domain::PartyRole>(row.text(1));
    if (!role) return fail(corrupt());
    return domain::CaseParty{row.int64(0), *role};
  });
}

Result<std::vector<domain::RemedyAction>> load_remedy(Connection& db,
                                                      const domain::FieldCipher& cipher,
                                                      std::int64_t case_id) {
  auto q = db.query(kSelectRemedy);
  q.bind(1, case_id);
  std::vector<domain::RemedyAction> out;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    domain::RemedyAction a;
    a.number = static_cast<int>(q.int64(0));
    auto what = cipher.open(q.blob(1), remedy_ad("what", case_id, a.number));
    auto due = decode_date(q.text(3));
    if (!what || !due) return fail(corrupt());
    a.what = std::move(*what);
    a.org_id = q.int64(2);
    a.due = *due;
    a.done_at = decode_optional_time(q.optional_int64(4));
    for (auto [column, index, target] : {std::tuple{"done_note", 5, &a.done_note},
                                         std::tuple{"verdict_note", 7, &a.verdict_note}}) {
      if (q.is_null(index)) continue;
      auto text = cipher.open(q.blob(index), remedy_ad(column, case_id, a.number));
      if (!text) return fail(corrupt());
      *target = std::move(*text);
    }
    if (auto v = q.optional_text(6)) {
      a.verdict = parse_db_name<domain::ActionVerdict>(*v);
      if (!a.verdict) return fail(corrupt());
    }
    a.verdict_at = decode_optional_time(q.optional_int64(8));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<Case>> read_case_with_parties(Connection& db,
                                                   const domain::FieldCipher& cipher, Query& q) {
  auto row = q.step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Case>();
  auto c = read_case_row(q, cipher, /*open_sealed=*/true);
  if (!c) return fail(c.error());
  auto parties = load_parties(db, c->id);
  if (!parties) return fail(parties.error());
  c->parties = std::move(*parties);
  auto remedy = load_remedy(db, cipher, c->id);
  if (!remedy) return fail(remedy.error());
  c->remedy = std::move(*remedy);
  return std::optional<Case>(std::move(*c));
}

}  // namespace grievance::storage
