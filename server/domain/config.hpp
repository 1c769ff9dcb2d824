// The mechanism's rules that an operator configures (README "Configuration", docs/operations.md
// "Configuration"). Read once at start-up; immutable afterwards.
#pragma once

#include <chrono>

#include "server/domain/sign_in_throttle.hpp"
#include "server/domain/stats/disclosure.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {

struct ServiceConfig {
  // docs/domain.md "Deadlines": EU Whistleblower Directive 7 days / 3 months.
  int ack_days = 7;
  int response_days = 30;
  int resolution_days = 90;
  // docs/domain.md "Lifecycle": the complainant may contest a rejection or a closure this long
  // after it; the follow-up check asks this long after a remedy closure whether it held.
  int appeal_window_days = 28;
  int follow_up_days = 180;
  // A reminder event this many days before each deadline (0: none).
  int reminder_days = 2;
  // How a worker reaches the complaints office outside the system (a phone, WhatsApp or
  // e-mail), shown where a lost secret code is explained; empty: not shown.
  std::string office_contact;
  std::chrono::minutes complainant_session_ttl{30};
  // Staff sessions end after this long without a request, and in any case after the absolute
  // lifetime (OWASP Session Management: idle 15-30 min, absolute 4-8 h for sensitive data).
  std::chrono::minutes staff_session_idle{30};
  std::chrono::minutes staff_session_absolute{8 * 60};
  // Admins must sign in with a TOTP code (and may not sign in before one is enrolled with
  // `grievance admin create-user --totp`).
  bool require_totp_for_admins = false;
  // A webhook may point at a loopback or private address (tests only; docs/security.md
  // "Webhooks").
  bool webhook_allow_private = false;
  Limits limits;
  // Evidence (docs/domain.md "Evidence"): the largest file accepted (after the upload, before
  // metadata removal) and how many files one case may carry.
  std::size_t attachment_max_bytes = 20u << 20;
  int attachments_per_case = 20;
  ThrottleConfig throttle;
  // Statistics for anyone but the operator and an organisation's own cases (docs/domain.md
  // "Statistics"): "fewer than k" below stats_k, tables finer than stats_max_detail refused.
  DisclosureConfig disclosure;
  // Staff password checks in flight at once: hashing (the hasher runs two at a time) or waiting
  // for it. More are refused at once with kRateLimited, so sign-ins never hold more than this
  // many request threads (docs/security.md "Limits and throttling"). main.cpp keeps it at most
  // a quarter of the blocking pool.
  int max_password_checks = 4;
};

}  // namespace grievance::domain
