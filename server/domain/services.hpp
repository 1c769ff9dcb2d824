// The mechanism's use cases, wired once from the ports: main builds one Services for the
// server, tests build one over in-memory fakes. The HTTP layer receives this and nothing else
// of the domain's world - it never sees a store.
//
//   sessions     SessionService       tokens, idle and absolute expiry, sign-out
//   complainants ComplainantSessions  sign-in with reference + access code
//   staff        StaffAccounts        sign-in with e-mail + password (+ TOTP), enrolment
//   filing       FilingService        single complaints, union batches, receipts, site picker
//   casework     Casework             case views, dialogue, case list, triage assignment
//   directory    DirectoryService     organisations, sites, supply links, staff accounts
//   guides       FollowUpGuides       follow-up guides per category and language (issue 10)
//   mail         MailSettings         a staff member's notification e-mail opt-in
//   monitoring   Monitoring           counts and job runs for GET /metrics (no case, no person)
//   stats        StatsService         registration statistics, exact or protected (issue 11)
//   public_register PublicRegister    the cases complainants listed, with protected headline
//
// Thread-safe: every member serves every request thread.
#pragma once

#include <memory>

#include "server/domain/casework_service.hpp"
#include "server/domain/complainant_sessions.hpp"
#include "server/domain/config.hpp"
#include "server/domain/deadline_scheduler.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/filing_service.hpp"
#include "server/domain/follow_up_guides.hpp"
#include "server/domain/mail_service.hpp"
#include "server/domain/monitoring.hpp"
#include "server/domain/ports.hpp"
#include "server/domain/public_register.hpp"
#include "server/domain/sessions.hpp"
#include "server/domain/sign_in_throttle.hpp"
#include "server/domain/staff_accounts.hpp"
#include "server/domain/stats_service.hpp"
#include "server/domain/webhook_admin.hpp"

namespace grievance::domain {

// What the services are built from. Every reference must outlive the Services.
struct Ports {
  CaseStore& cases;
  DirectoryStore& directory;
  AccountStore& accounts;
  Crypto& crypto;
  RandomSource& random;
  const Clock& clock;
  // May be null where no staff signs in (some tests): staff sign-in then answers
  // kUnavailable and there is no directory administration (Services::directory is null).
  const PasswordHasher* hasher = nullptr;
  // May be null (some tests): the follow-up guides are then the shipped defaults, not editable.
  GuideStore* guides = nullptr;
  // May be null where no evidence is kept (some tests): uploads then answer kUnavailable.
  AttachmentStore* attachments = nullptr;
  // May be null (some tests): then there are no webhooks (Services::webhooks is null).
  OutboxStore* outbox = nullptr;
  // The staff's e-mail settings; may be null (Services::mail is then null).
  MailStore* mail = nullptr;
};

class Services {
 public:
  Services(const Ports& ports, ServiceConfig config);
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  const ServiceConfig& config() const { return config_; }
  // Whether the database answers and takes writes (GET /healthz).
  StoreHealth health() { return cases_.health(); }

 private:
  // Declared first: the services below keep references to them.
  const ServiceConfig config_;
  CaseStore& cases_;
  // One throttle for both sign-ins: a client's failures count across references and accounts.
  SignInThrottle throttle_;

 public:
  SessionService sessions;
  ComplainantSessions complainants;
  StaffAccounts staff;
  FilingService filing;
  Casework casework;
  DeadlineScheduler deadlines;
  std::unique_ptr<DirectoryService> directory;  // null without a password hasher
  FollowUpGuides guides;
  std::unique_ptr<WebhookAdmin> webhooks;  // null without an outbox store
  std::unique_ptr<MailSettings> mail;      // null without a mail store
  Monitoring monitoring;
  StatsService stats;
  PublicRegister public_register;
};

}  // namespace grievance::domain
