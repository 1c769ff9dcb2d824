// How the SQLite CaseStore reads and seals a case row (storage-internal): the associated data
// that binds each sealed column to its row, the column lists, the readers every case query
// shares (case_rows.cpp) and the list queries (case_list.cpp). case_store.cpp writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/crypto.hpp"
#include "storage/sqlite/connection.hpp"

namespace grievance::storage {

// ---- associated data: binds each ciphertext to its table, column and row -------------------

std::string narrative_ad(std::string_view reference);
std::string contact_ad(std::string_view reference);
std::string place_ad(std::string_view reference);
std::string remedy_ad(std::string_view column, std::int64_t case_id, int number);

std::optional<std::int64_t> encode_optional_time(std::optional<domain::TimePoint> t);
std::optional<domain::TimePoint> decode_optional_time(std::optional<std::int64_t> t);

// ---- column lists --------------------------------------------------------------------------

constexpr std::string_view kCaseColumns =
    "id, reference, access_code_hmac, language, categories, narrative, site_id, place_sealed, "
    "country, incident_date, anonymous, contact, mandate_follow, mandate_share_identity, "
    "mandate_collective, mandate_headcount, channel, union_org_id, status, ack_due, "
    "response_due, resolution_due, created_at, updated_at, content_sha256, event_count, "
    "outcome, settled_at, escalated_to, satisfaction, paused_since, retaliation, "
    "follow_up_due, next_check_at, follow_up_answer, remedy_failed, identity, "
    "disclosure_requested_by";
// The case list never shows narrative or contact: NULL in their places (nothing to read,
// nothing to decrypt), the column positions of kCaseColumns otherwise.
constexpr std::string_view kListColumns =
    "c.id, c.reference, c.access_code_hmac, c.language, c.categories, NULL, c.site_id, "
    "c.place_sealed, c.country, c.incident_date, c.anonymous, NULL, c.mandate_follow, "
    "c.mandate_share_identity, c.mandate_collective, c.mandate_headcount, c.channel, "
    "c.union_org_id, c.status, c.ack_due, c.response_due, c.resolution_due, c.created_at, "
    "c.updated_at, c.content_sha256, c.event_count, c.outcome, c.settled_at, c.escalated_to, "
    "c.satisfaction, c.paused_since, c.retaliation, c.follow_up_due, c.next_check_at, "
    "c.follow_up_answer, c.remedy_failed, c.identity, c.disclosure_requested_by";
// The order of a case's parties: the responsible company first, then the buyers by id.
constexpr std::string_view kPartyOrder = "role = 'buyer', org_id";

// ---- readers (case_rows.cpp; any thread) ---------------------------------------------------

// The current row of a kCaseColumns (open_sealed) or kListColumns select, without parties.
domain::Result<domain::Case> read_case_row(const Query& q, const domain::FieldCipher& cipher,
                                           bool open_sealed);
// A case's parties: the responsible company first, then the buyers by id.
domain::Result<std::vector<domain::CaseParty>> load_parties(Connection& db, std::int64_t case_id);
// The case's remedy plan, its texts opened.
domain::Result<std::vector<domain::RemedyAction>> load_remedy(Connection& db,
                                                              const domain::FieldCipher& cipher,
                                                              std::int64_t case_id);
// Steps `q` (a kCaseColumns select) once: the case with its parties and plan, or nullopt.
domain::Result<std::optional<domain::Case>> read_case_with_parties(
    Connection& db, const domain::FieldCipher& cipher, Query& q);

// ---- lists (case_list.cpp; inside the caller's read snapshot) ------------------------------

// The page of cases `cq` asks for, newest first, each with its parties (no narrative, no contact).
domain::Result<std::vector<domain::Case>> read_case_list(Connection& db,
                                                         const domain::FieldCipher& cipher,
                                                         const domain::CaseQuery& cq);
// The page of the public register `rq` asks for (register_entries), newest filed first, each
// with its parties (no narrative, no contact).
domain::Result<std::vector<domain::Case>> read_register_list(Connection& db,
                                                             const domain::FieldCipher& cipher,
                                                             const domain::RegisterQuery& rq);
// Cases whose next deadline check is due at `t`, earliest first, at most `limit`.
domain::Result<std::vector<domain::Case>> read_cases_to_check(Connection& db,
                                                              const domain::FieldCipher& cipher,
                                                              domain::TimePoint t, int limit);
// Cases per status and overdue at `now` (CaseStore::case_counts): two counts, no row read.
domain::Result<domain::CaseCounts> read_case_counts(Connection& db, domain::TimePoint now);

}  // namespace grievance::storage
