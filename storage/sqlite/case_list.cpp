// The case lists (storage/sqlite/case_rows.hpp): the filtered, paged list of cases a viewer
// may see, and the cases the deadline scheduler must look at.
#include <algorithm>
#include <unordered_map>
#include <variant>

#include "server/domain/deadlines.hpp"
#include "storage/sqlite/case_rows.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"

namespace grievance::storage {

using domain::Case;
using domain::fail;
using domain::Result;

namespace {

std::string_view deadline_column(domain::DeadlineKind kind) {
  switch (kind) {
    case domain::DeadlineKind::kAcknowledgement:
      return "c.ack_due";
    case domain::DeadlineKind::kResponse:
      return "c.response_due";
    case domain::DeadlineKind::kResolution:
      return "c.resolution_due";
  }
  return "c.resolution_due";
}

// SQL for "overdue at `now`" (a placeholder) over cases aliased c, generated from the domain's
// one rule (domain::overdue_rules()). Only the storage layer's own status names are inlined.
std::string overdue_condition(const std::string& now) {
  // A paused clock is never late (domain::is_overdue).
  std::string out = "(c.paused_since IS NULL AND (";
  bool first_rule = true;
  for (const auto& rule : domain::overdue_rules()) {
    if (!first_rule) out += " OR ";
    first_rule = false;
    out += "(c.status IN (";
    bool first_status = true;
    for (auto status : rule.running_in) {
      if (!first_status) out += ", ";
      first_status = false;
      out.append("'").append(db_name(status)).append("'");
    }
    out += ") AND " + std::string(deadline_column(rule.deadline)) + " < " + now + ")";
  }
  return out + "))";
}

// Every row of a kListColumns select: cases without narrative, contact or parties.
Result<std::vector<Case>> read_list_rows(Query& q, const domain::FieldCipher& cipher) {
  return read_all(q, [&](const Query& row) { return read_case_row(row, cipher, false); });
}

// The parties of a page of cases: one query for the whole page, not one per case.
domain::Status load_page_parties(Connection& db, std::vector<Case>& out) {
  if (out.empty()) return {};
  std::string parties_sql = "SELECT case_id, org_id, role FROM case_parties WHERE case_id IN (";
  for (std::size_t i = 0; i < out.size(); ++i) {
    parties_sql += (i == 0 ? "?" : ", ?") + std::to_string(i + 1);
  }
  parties_sql += ") ORDER BY case_id, " + std::string(kPartyOrder);
  auto pq = db.prepare(parties_sql);
  std::unordered_map<std::int64_t, std::size_t> index_of;
  for (std::size_t i = 0; i < out.size(); ++i) {
    pq.bind(static_cast<int>(i) + 1, out[i].id);
    index_of.emplace(out[i].id, i);
  }
  for (;;) {
    auto row = pq.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const auto role = parse_db_name<domain::PartyRole>(pq.text(2));
    const auto it = index_of.find(pq.int64(0));
    if (!role || it == index_of.end()) return fail(corrupt());
    out[it->second].parties.push_back(domain::CaseParty{pq.int64(1), *role});
  }
  return {};
}

}  // namespace

Result<std::vector<Case>> read_cases_to_check(Connection& db, const domain::FieldCipher& cipher,
                                              domain::TimePoint t, int limit) {
  auto q = db.query("SELECT " + std::string(kListColumns) +
                    " FROM cases c WHERE c.next_check_at <= ?1 ORDER BY c.next_check_at, "
                    "c.id LIMIT ?2");
  q.bind(1, encode_time(t)).bind(2, std::int64_t{std::max(0, limit)});
  auto out = read_list_rows(q, cipher);
  if (!out) return out;
  for (auto& c : *out) {
    auto parties = load_parties(db, c.id);
    if (!parties) return fail(parties.error());
    c.parties = std::move(*parties);
  }
  return out;
}

// GROUP BY status walks cases_by_status (status, created_at) without touching a row; the
// overdue count reads the rows of the statuses in which a deadline runs (the open cases).
Result<domain::CaseCounts> read_case_counts(Connection& db, domain::TimePoint now) {
  domain::CaseCounts out;
  for (auto status : domain::all_case_statuses()) out.by_status.emplace_back(status, 0);
  auto q = db.query("SELECT status, count(*) FROM cases GROUP BY status");
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::string name = q.text(0);
    for (auto& [status, count] : out.by_status) {
      if (db_name(status) == name) count = q.int64(1);
    }
  }
  auto overdue = db.query("SELECT count(*) FROM cases c WHERE " + overdue_condition("?1"));
  overdue.bind(1, encode_time(now));
  auto row = overdue.step();
  if (!row) return fail(row.error());
  out.overdue = overdue.int64(0);
  return out;
}

Result<std::vector<Case>> read_case_list(Connection& db, const domain::FieldCipher& cipher,
                                         const domain::CaseQuery& cq) {
  // The SQL varies with the filters present, but every value is a bound parameter: only
  // placeholders and the storage layer's own constants are ever concatenated.
  std::vector<std::variant<std::int64_t, std::string>> args;
  const auto arg = [&](std::variant<std::int64_t, std::string> v) {
    args.push_back(std::move(v));
    return std::string("?").append(std::to_string(args.size()));
  };
  // A company's list (the scope, or the company filter) is driven by its case_parties_by_org
  // range, already in list order (sp.created_at and sp.case_id equal c.created_at and c.id).
  const std::optional<std::int64_t> party =
      cq.scope_party_org_id ? cq.scope_party_org_id : cq.company_org_id;
  std::string sql = "SELECT " + std::string(kListColumns);
  std::string order_time = "c.created_at", order_id = "c.id";
  if (party) {
    sql +=
        " FROM case_parties sp JOIN cases c ON c.id = sp.case_id WHERE sp.org_id = " + arg(*party);
    order_time = "sp.created_at";
    order_id = "sp.case_id";
  } else {
    sql += " FROM cases c WHERE 1";
  }
  if (cq.scope_party_org_id && cq.company_org_id) {
    sql +=
        " AND c.id IN (SELECT case_id FROM case_parties WHERE org_id = " + arg(*cq.company_org_id) +
        ")";
  }
  if (cq.scope_union_org_id) sql += " AND c.union_org_id = " + arg(*cq.scope_union_org_id);
  if (cq.status) sql += " AND c.status = " + arg(std::string(db_name(*cq.status)));
  if (cq.site_id) sql += " AND c.site_id = " + arg(*cq.site_id);
  if (!cq.country.empty()) sql += " AND c.country = " + arg(cq.country);
  if (cq.sector) {
    sql += " AND c.site_id IN (SELECT id FROM sites WHERE sector = " +
           arg(std::string(db_name(*cq.sector))) + ")";
  }
  if (cq.category) {
    // categories is "wages,health_safety": match a whole element, never a part of one.
    sql += " AND instr(',' || c.categories || ',', " +
           arg("," + std::string(db_name(*cq.category)) + ",") + ") > 0";
  }
  if (cq.overdue) {
    sql += *cq.overdue ? " AND " : " AND NOT ";
    sql += overdue_condition(arg(encode_time(cq.now)));
  }
  if (cq.triage) sql += " AND NOT EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id)";
  if (cq.flag) {
    sql += *cq.flag == domain::ReviewFlag::kRetaliation ? " AND c.retaliation = 1"
                                                        : " AND c.remedy_failed = 1";
  }
  if (!cq.q.empty()) {
    // instr() rather than LIKE: the user's text is never a pattern ('%' and '_' are
    // literal). lower() folds ASCII only, as lower_ascii() does. The place is sealed, so
    // SQL opens it with open_place() (define_case_functions()) on the rows it looks at:
    // the filter, the order and the paging stay one query.
    const std::string needle = arg(lower_ascii(cq.q));
    sql += " AND (instr(lower(c.reference), " + needle +
           ") > 0 OR instr(lower(open_place(c.place_sealed, c.reference)), " + needle +
           ") > 0 OR c.site_id IN (SELECT id FROM sites WHERE instr(lower(name), " + needle +
           ") > 0))";
  }
  if (cq.after) {
    sql += " AND (" + order_time + ", " + order_id + ") < (" + arg(encode_time(cq.after->first)) +
           ", " + arg(cq.after->second) + ")";
  }
  sql += " ORDER BY " + order_time + " DESC, " + order_id + " DESC LIMIT " +
         arg(std::int64_t{cq.limit});

  auto q = db.prepare(sql);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    std::visit([&](const auto& v) { q.bind(index, v); }, args[i]);
  }
  auto rows = read_list_rows(q, cipher);
  if (!rows) return rows;
  std::vector<Case> out = std::move(*rows);
  if (auto ok = load_page_parties(db, out); !ok) return fail(ok.error());
  return out;
}

Result<std::vector<Case>> read_register_list(Connection& db, const domain::FieldCipher& cipher,
                                             const domain::RegisterQuery& rq) {
  // As read_case_list: only placeholders and the storage layer's own constants are joined.
  std::vector<std::variant<std::int64_t, std::string>> args;
  const auto arg = [&](std::variant<std::int64_t, std::string> v) {
    args.push_back(std::move(v));
    return std::string("?").append(std::to_string(args.size()));
  };
  std::string sql = "SELECT " + std::string(kListColumns) +
                    " FROM register_entries r JOIN cases c ON c.id = r.case_id WHERE 1";
  if (rq.company_org_id) {
    sql += " AND EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.org_id = " +
           arg(*rq.company_org_id) +
           " AND p.role = " + arg(std::string(db_name(domain::PartyRole::kResponsible))) + ")";
  }
  if (!rq.country.empty()) sql += " AND c.country = " + arg(rq.country);
  if (rq.sector) {
    sql += " AND c.site_id IN (SELECT id FROM sites WHERE sector = " +
           arg(std::string(db_name(*rq.sector))) + ")";
  }
  sql += " ORDER BY c.created_at DESC, c.id DESC LIMIT " +
         arg(std::int64_t{std::max(0, rq.limit)}) + " OFFSET " +
         arg(std::int64_t{std::max(0, rq.offset)});
  auto q = db.prepare(sql);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    std::visit([&](const auto& v) { q.bind(index, v); }, args[i]);
  }
  auto rows = read_list_rows(q, cipher);
  if (!rows) return rows;
  std::vector<Case> out = std::move(*rows);
  if (auto ok = load_page_parties(db, out); !ok) return fail(ok.error());
  return out;
}

}  // namespace grievance::storage
