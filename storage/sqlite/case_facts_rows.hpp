// The statistics' facts of each case in SQLite (storage-internal; migration 0014, docs/domain.md
// "Statistics"): a `case_facts` row per case, written with the case and folded forward by every
// event in the event's own transaction (insert_event), so a statistics query never reads a case
// or opens a sealed column.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/result.hpp"
#include "server/domain/stats/case_facts.hpp"
#include "storage/sqlite/connection.hpp"

namespace grievance::storage {

// The facts in their stored form and back: zig-zag varints behind a version byte. nullopt when
// the bytes are not facts this version wrote (a damaged row).
std::string encode_facts(const domain::CaseFacts& f);
std::optional<domain::CaseFacts> decode_facts(std::string_view bytes);
// The same into `f`, every stored field overwritten (its buffers reused, as a scan of a million
// rows does); false when the bytes are damaged, `f` then unspecified.
bool decode_facts_into(std::string_view bytes, domain::CaseFacts& f);

// The facts of the row `q` stands on: the case id in column `id`, the stored form in column
// `blob`. kUnavailable when the stored form is damaged.
domain::Result<domain::CaseFacts> facts_at(const Query& q, int id, int blob);

// The case's fixed cell key (docs/domain.md "Statistics"): the first 32 bits of an HMAC of its
// reference under the server's key. Unpredictable without the key, fixed for the case's life,
// and the same when the facts are built again from the events.
std::uint32_t cell_key_of(const domain::Crypto& crypto, std::string_view reference);

// Writer thread, inside the transaction that stored the case `case_id` with `events`: its
// facts row, as facts_of() gives it (the case as stored, its first events, its key, its site's
// sector).
domain::Status insert_case_facts(Connection& db, const domain::Crypto& crypto, std::int64_t case_id,
                                 const domain::Case& c,
                                 const std::vector<domain::CaseEvent>& events);

// Writer thread, inside the event's transaction (insert_event): the case's facts after `e`.
// Nothing when the case has no facts row yet (insert_case_facts writes it after the first
// events).
domain::Status fold_case_facts(Connection& db, std::int64_t case_id, const domain::CaseEvent& e);

// Writer thread, when the database opens: a facts row for every case that has none (cases
// stored before schema version 14), from the case and its whole history. Returns how many;
// the caller rebuilds the rollup (rebuild_stats_rollup) when there were any. Costs two counts
// when there are none.
domain::Result<std::int64_t> backfill_case_facts(Connection& db, const domain::FieldCipher& cipher,
                                                 const domain::Crypto& crypto);

// Any connection, inside the caller's read snapshot: the facts of the cases `scan` narrows to
// (CaseStore::scan_facts), in case id order within the index used.
domain::Status scan_case_facts(Connection& db, const domain::FactsScan& scan,
                               const std::function<void(const domain::CaseFacts&)>& each);

// The same with the decoding and the calls shared by `each.size()` threads (CaseStore::
// scan_facts_shared): this thread steps the query and copies the stored forms into batches of
// `batch_rows`; a thread per function decodes them and calls it. Returns once every thread is
// done; the first damaged row stops the scan (kUnavailable), as in scan_case_facts.
domain::Status scan_case_facts_shared(
    Connection& db, const domain::FactsScan& scan,
    std::span<const std::function<void(const domain::CaseFacts&)>> each,
    std::size_t batch_rows = 2048);

}  // namespace grievance::storage
