// The admin's hand on webhooks (docs/domain.md "Notifications"): add one to an organisation
// (the secret is made here and shown once), list and delete them, see the deliveries that died
// and send them again. Admins only (kForbidden otherwise).
#pragma once

#include <string>

#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/ports/outbox_store.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// https://host[:port][/path] only: no user information, no other scheme, no fragment; a
// loopback or private address only when `allow_private` (tests). docs/security.md "Webhooks".
Status check_webhook_url(std::string_view url, bool allow_private);

class WebhookAdmin {
 public:
  WebhookAdmin(OutboxStore& outbox, DirectoryStore& directory, RandomSource& random,
               const Clock& clock, bool allow_private)
      : outbox_(outbox),
        directory_(directory),
        random_(random),
        clock_(clock),
        allow_private_(allow_private) {}

  struct Created {
    Webhook webhook;
    std::string secret;  // 64 hex characters: shown once, never again
  };
  // org_id kOperatorOrgId (0): the operator's own webhook. kNotFound: no such organisation.
  Result<Created> add(const Session& s, std::int64_t org_id, std::string_view url);
  Result<std::vector<Webhook>> list(const Session& s, std::int64_t org_id);
  Status remove(const Session& s, std::int64_t org_id, std::int64_t webhook_id);
  Result<std::vector<WebhookDelivery>> deliveries(const Session& s,
                                                  std::optional<DeliveryState> state);
  Status retry(const Session& s, std::int64_t delivery_id);

 private:
  Status check_org(const Session& s, std::int64_t org_id);
  OutboxStore& outbox_;
  DirectoryStore& directory_;
  RandomSource& random_;
  const Clock& clock_;
  bool allow_private_;
};

}  // namespace grievance::domain
