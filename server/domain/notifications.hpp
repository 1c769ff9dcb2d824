// Notifications (docs/domain.md "Notifications"): which case events an organisation is told
// about, who is told, the payload that leaves the server and the retry schedule. Pure
// functions: the dispatcher (notification_dispatcher.hpp) applies them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/notification.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// The organisation id that stands for the operator (the mechanism's admins): their webhooks
// are managed under organisation 0, their e-mail goes to the admins who opted in.
inline constexpr std::int64_t kOperatorOrgId = 0;

// The one table of which event types notify whom.
struct NotifyRule {
  bool parties = false;    // the case's organisations that may see the event (AccessPolicy)
  bool operator_ = false;  // the operator, always
};
NotifyRule notify_rule(EventType type);

// The organisations told about `e` of case `c`: every company of the case and the filing union
// that may see the event (may_see_event; never a company for a mechanism-only event), except the
// organisation that wrote it; plus the operator when the rule says so, for a triage case (no
// company yet), an appeal, or a mechanism-only message. Sorted, no duplicates.
std::vector<std::int64_t> notification_recipients(const Case& c, const CaseEvent& e);

// The JSON body of a webhook: {"id","type","reference","status","occurred_at","link"}; the link
// is `public_origin` + the staff case page. Nothing else: never text or identity.
std::string notification_payload(const Notification& n, std::string_view public_origin);

// Exponential back-off with full jitter: a delay drawn uniformly from [0, min(cap, base *
// 2^(attempt-1))] by `unit` in [0, 1). attempt >= 1 is the number of tries made so far.
std::chrono::seconds retry_delay(int attempt, std::chrono::seconds base, std::chrono::seconds cap,
                                 double unit);

}  // namespace grievance::domain
