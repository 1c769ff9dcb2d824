// The operator's edits of the follow-up guides (docs/domain.md "Follow-up guides"): one row per
// category and language that the admin changed; a guide without a row is the shipped default
// (server/domain/follow_up_guides.hpp). Implemented by storage/sqlite/guide_store.cpp and by
// the fake in tests/support/fake_guide_store.hpp.
//
// Thread-safe. Writes are durable when they return. Errors: kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// A guide's four sections, each plain text with one bullet a line.
struct GuideText {
  std::string check;     // what to check
  std::string involve;   // whom to involve
  std::string remedies;  // typical remedies
  std::string pitfalls;  // pitfalls (retaliation first)

  bool operator==(const GuideText&) const = default;
};

// An edited guide as stored: its text, when and by whom (a staff user id) it was changed.
struct StoredGuide {
  GuideText text;
  TimePoint updated_at{};
  std::int64_t updated_by = 0;
};

class GuideStore {
 public:
  virtual ~GuideStore() = default;
  // The operator's version, or nullopt when the default applies.
  virtual Result<std::optional<StoredGuide>> find_guide(Category category, Language language) = 0;
  // Inserts or replaces the operator's version.
  virtual Status put_guide(Category category, Language language, const StoredGuide& guide) = 0;
  // Removes the operator's version (the default applies again); no row is not an error.
  virtual Status delete_guide(Category category, Language language) = 0;
};

}  // namespace grievance::domain
