#include "storage/sqlite/case_cache.hpp"

namespace grievance::storage {

std::size_t CaseCache::size_of(const domain::CaseRecord& r) {
  // The text a record holds plus a rough fixed cost per object: a budget, not an exact count.
  const auto& k = r.c.complaint;
  std::size_t n = sizeof(domain::CaseRecord) + 3 * r.c.reference.size() + k.narrative.size() +
                  k.place.size() + r.c.access_code_hmac.size() + r.c.content_sha256.size() +
                  r.c.parties.size() * sizeof(domain::CaseParty);
  if (k.contact) n += k.contact->name.size() + k.contact->phone.size() + k.contact->email.size();
  for (const auto& e : r.events) n += sizeof(domain::CaseEvent) + e.body.size();
  return n;
}

std::optional<domain::CaseRecord> CaseCache::get(std::string_view reference) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(reference);
  if (it == entries_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.record;
}

std::uint64_t CaseCache::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

void CaseCache::put(const domain::CaseRecord& record, std::uint64_t generation) {
  const std::size_t bytes = size_of(record);
  if (bytes > budget_ / 4) return;  // one record never takes most of the budget
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (auto it = entries_.find(record.c.reference); it != entries_.end()) erase_locked(it);
  while (bytes_ + bytes > budget_ && !lru_.empty()) erase_locked(entries_.find(lru_.back()));
  lru_.push_front(record.c.reference);
  entries_.emplace(record.c.reference, Entry{record, bytes, lru_.begin()});
  by_id_.emplace(record.c.id, record.c.reference);
  bytes_ += bytes;
}

void CaseCache::drop(std::int64_t case_id) {
  std::lock_guard lock(mu_);
  ++generation_;
  if (auto id = by_id_.find(case_id); id != by_id_.end()) erase_locked(entries_.find(id->second));
}

std::size_t CaseCache::bytes() {
  std::lock_guard lock(mu_);
  return bytes_;
}

void CaseCache::erase_locked(Entries::iterator it) {
  if (it == entries_.end()) return;
  bytes_ -= it->second.bytes;
  by_id_.erase(it->second.record.c.id);
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

}  // namespace grievance::storage
