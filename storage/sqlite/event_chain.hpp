// A case's events: append-only rows linked in a hash chain (docs/security.md "Tamper
// evidence"). Each row stores the hash of the previous one and its own; the case row keeps the
// head (event_count, last_event_hash). Triggers refuse UPDATE and DELETE on case_events, and
// `grievance verify` recomputes every chain. Storage-internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/ports/crypto.hpp"
#include "server/domain/result.hpp"
#include "server/domain/types.hpp"
#include "storage/sqlite/connection.hpp"

namespace grievance::storage {

inline constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The chain's head as the case row records it.
struct ChainHead {
  std::int64_t count = 0;
  std::string hash;
};

// Writer thread only. kNotFound when there is no such case.
domain::Result<ChainHead> read_chain_head(Connection& db, std::int64_t case_id);

// Writer thread only: seals the body, links the event into the case's chain (advancing
// `head`), inserts it. Returns the event's row id. The case row's head is the caller's to
// update (once per transaction, after the last event).
domain::Result<std::int64_t> insert_event(Connection& db, const domain::FieldCipher& cipher,
                                          const domain::Crypto& crypto, std::int64_t case_id,
                                          ChainHead& head, const domain::CaseEvent& e);

// Writer thread only: the notifications outbox's row for a new event (outbox_store.cpp); the
// dispatcher fans it out later (docs/domain.md "Notifications").
domain::Status insert_outbox_row(Connection& db, std::int64_t case_id, std::int64_t event_id);

// The events of a case in seq order, bodies opened. Any thread (a reader or the writer).
domain::Result<std::vector<domain::CaseEvent>> read_events(Connection& db,
                                                           const domain::FieldCipher& cipher,
                                                           std::int64_t case_id);

}  // namespace grievance::storage
