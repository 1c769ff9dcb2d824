// Notification e-mails in the reader's language (docs/domain.md "Notification e-mail"): a
// plain-text UTF-8 message, base64 body, RFC 5322 headers with an RFC 2047 subject, that says
// the case reference, what happened in the words of the staff pages (web/i18n), the case's
// status, the time, and a link to the staff case page. Built only from a domain::Notification,
// which holds no narrative, message, attachment or identity; no CR or LF from data ever reaches
// a header. Lines end in LF, as a sendmail command takes them. Thread-safe (immutable).
#pragma once

#include <string>
#include <vector>

#include "server/domain/ports/mail_store.hpp"
#include "server/http/pages/i18n.hpp"

namespace grievance::http::mail {

struct MailConfig {
  std::string from;           // README "Configuration": mail_from
  std::string public_origin;  // https://HOST[:PORT], the links' origin
};

class NotificationMailComposer final : public domain::MailComposer {
 public:
  NotificationMailComposer(const web::Catalogues& catalogues, MailConfig config);

  domain::Result<std::string> compose_notice(const domain::MailRecipient& to,
                                             const domain::Notification& n) override;
  domain::Result<std::string> compose_digest(const domain::MailRecipient& to,
                                             const std::vector<domain::Notification>& ns,
                                             domain::TimePoint now) override;

 private:
  std::string headers(const domain::MailRecipient& to, const std::string& subject,
                      domain::TimePoint date, const std::string& message_id) const;
  std::string what_happened(domain::Language l, const domain::Notification& n) const;
  std::string case_link(domain::Language l, std::string_view reference) const;

  const web::Catalogues& catalogues_;
  MailConfig config_;
  std::string host_;  // for Message-ID
};

// RFC 2047 "B" encoded-words of `text` (UTF-8), each at most 75 characters and holding whole
// characters, folded with CRLF-free "\n " between them.
std::string encode_header_words(std::string_view text);
// RFC 5322 date-time: "Mon, 30 Nov 2026 18:42:26 +0000".
std::string rfc5322_date(domain::TimePoint t);
// Whether `address` may stand in a To or From header: an addr-spec of printable ASCII without
// spaces, controls, or the specials that would start another address or header.
bool is_header_safe_address(std::string_view address);

}  // namespace grievance::http::mail
