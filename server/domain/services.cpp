#include "server/domain/services.hpp"

namespace grievance::domain {

Services::Services(const Ports& p, ServiceConfig config)
    : config_(std::move(config)),
      cases_(p.cases),
      throttle_(config_.throttle),
      sessions(p.accounts, p.crypto, p.random, p.clock, config_),
      complainants(p.cases, p.crypto, p.clock, config_, throttle_, sessions),
      staff(p.accounts, p.directory, p.crypto, p.random, p.clock, config_, throttle_, sessions,
            p.hasher),
      filing(p.cases, p.directory, p.crypto, p.random, p.clock, config_),
      casework(p.cases, p.directory, p.accounts, p.crypto, p.random, p.clock, config_, throttle_),
      deadlines(p.cases, p.clock, config_),
      directory(
          p.hasher ? std::make_unique<DirectoryService>(p.directory, p.accounts, *p.hasher, p.clock)
                   : nullptr),
      guides(p.guides, p.clock),
      webhooks(p.outbox ? std::make_unique<WebhookAdmin>(*p.outbox, p.directory, p.random, p.clock,
                                                         config_.webhook_allow_private)
                        : nullptr),
      mail(p.mail ? std::make_unique<MailSettings>(*p.mail) : nullptr),
      monitoring(p.cases, p.outbox, p.clock),
      stats(p.cases, p.directory, p.crypto, p.clock, config_.disclosure),
      public_register(p.cases, p.directory, stats, p.clock, config_.disclosure) {
  casework.use_attachment_store(p.attachments);
}

}  // namespace grievance::domain
