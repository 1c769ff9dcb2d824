// The case read's cache (storage-internal): recently read cases with their parties and events,
// decrypted, kept in memory up to a byte budget and evicted least recently used first. Every
// write of the case store that changes a stored case (an event, a routing) drops that case
// after its commit, and bumps a generation: a record read from the database while such a
// write was in flight is not cached (the generation moved), so the cache never holds a state
// older than the last returned write. New cases need no invalidation (nothing cached them).
// Only this process writes cases; `grievance backup` and `verify` only read.
//
// Why: GET /api/v1/cases/{reference} is the hot read (tests/bench). From the database it costs
// a read transaction (file locks), three statements and an AES-GCM open per sealed field; from
// here, one map lookup. The plaintext it holds is what the server shows anyway; a budget of 0
// turns it off (`case_cache_mib`).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/domain/ports/case_store.hpp"

namespace grievance::storage {

class CaseCache {
 public:
  explicit CaseCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

  std::optional<domain::CaseRecord> get(std::string_view reference);
  // The current generation; take it before reading from the database and give it to put().
  std::uint64_t generation();
  // Caches `record` unless a write has dropped anything since `generation`.
  void put(const domain::CaseRecord& record, std::uint64_t generation);
  // After a write to the case (committed or not): drop it and move the generation.
  void drop(std::int64_t case_id);

  std::size_t bytes();  // what the cached records hold (tests)

 private:
  struct Entry {
    domain::CaseRecord record;
    std::size_t bytes = 0;
    std::list<std::string>::iterator lru;  // position in lru_ (front: most recent)
  };
  static std::size_t size_of(const domain::CaseRecord& r);

  const std::size_t budget_;
  std::mutex mu_;
  struct Hash {  // looked up by string_view: no key string per read
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Entries = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;
  void erase_locked(Entries::iterator it);

  Entries entries_;                                      // GUARDED_BY(mu_): by reference
  std::unordered_map<std::int64_t, std::string> by_id_;  // GUARDED_BY(mu_)
  std::list<std::string> lru_;                           // GUARDED_BY(mu_)
  std::size_t bytes_ = 0;                                // GUARDED_BY(mu_)
  std::uint64_t generation_ = 0;                         // GUARDED_BY(mu_)
};

}  // namespace grievance::storage
