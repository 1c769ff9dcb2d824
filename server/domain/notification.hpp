// What the mechanism tells an organisation about one of its cases (docs/domain.md
// "Notifications", SPEC section 3 "Notifications"): the reference, what happened and when, the
// case's status after it. Never the narrative, a message, an attachment or the complainant's
// identity: a notification leaves the server, by webhook or e-mail, to systems the mechanism
// does not control. The channels build a link to the staff case page from the reference.
#pragma once

#include <cstdint>
#include <string>

#include "server/domain/types.hpp"

namespace grievance::domain {

struct Notification {
  std::int64_t id = 0;      // the outbox row: unique, the id a receiver drops duplicates by
  std::int64_t org_id = 0;  // the organisation it is for
  std::string reference;    // the case
  EventType event = EventType::kFiled;        // what happened (the case event's type)
  CaseStatus status = CaseStatus::kReceived;  // the case's status after it
  TimePoint at{};                             // when it happened (the event's time)
};

}  // namespace grievance::domain
