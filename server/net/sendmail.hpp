// The sendmail-compatible transport of notification e-mails (docs/domain.md "Notification
// e-mail", README "Configuration": sendmail_command). The command is split on spaces into
// argv and run WITHOUT a shell (posix_spawn), the message is written to its stdin, and it must
// exit with status 0 within the timeout (else it is killed and the send fails, to be tried
// again). Nothing of the message or its address is logged. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/ports/mail_store.hpp"

namespace grievance::net {

class SendmailTransport final : public domain::MailTransport {
 public:
  // `command` such as "/usr/sbin/sendmail -t -i": an absolute program path and its arguments.
  explicit SendmailTransport(std::string_view command,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));
  domain::Status send(std::string_view message) override;

 private:
  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
};

// The command's words: split on spaces and tabs (no quoting, no shell expansion).
std::vector<std::string> split_command(std::string_view command);

}  // namespace grievance::net
