// The in-memory GuideStore (server/domain/ports/guide_store.hpp) of FakeStores, with the same
// contract as storage/sqlite/guide_store.cpp (tests/storage/guide_store_test.cpp runs the same
// checks against SQLite).
#pragma once

#include <map>
#include <mutex>
#include <utility>

#include "server/domain/ports/guide_store.hpp"

namespace grievance::testing {

class FakeGuideStore : public domain::GuideStore {
 public:
  explicit FakeGuideStore(std::atomic<bool>& fail_writes) : fail_writes_(fail_writes) {}

  domain::Result<std::optional<domain::StoredGuide>> find_guide(
      domain::Category category, domain::Language language) override {
    std::lock_guard lock(mu_);
    auto it = guides_.find({category, language});
    if (it == guides_.end()) return std::optional<domain::StoredGuide>();
    return std::optional<domain::StoredGuide>(it->second);
  }
  domain::Status put_guide(domain::Category category, domain::Language language,
                           const domain::StoredGuide& guide) override {
    if (fail_writes_) return domain::fail(domain::Error::unavailable());
    std::lock_guard lock(mu_);
    guides_[{category, language}] = guide;
    return {};
  }
  domain::Status delete_guide(domain::Category category, domain::Language language) override {
    if (fail_writes_) return domain::fail(domain::Error::unavailable());
    std::lock_guard lock(mu_);
    guides_.erase({category, language});
    return {};
  }

 private:
  std::atomic<bool>& fail_writes_;
  std::mutex mu_;
  std::map<std::pair<domain::Category, domain::Language>, domain::StoredGuide> guides_;
};

}  // namespace grievance::testing
