#include "server/http/mail/notification_mail.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

namespace grievance::http::mail {
namespace {

using domain::Language;

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// The body in base64 lines of 76 characters (RFC 2045 6.8).
std::string base64_lines(std::string_view in) {
  const std::string b = base64(in);
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 76) {
    out.append(b, i, 76);
    out += '\n';
  }
  return out;
}

// Data shown in a line of text: controls (CR, LF, tabs, ...) become spaces.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

std::string utc_time(domain::TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d UTC", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

std::string_view lang_code(Language l) { return domain::to_string(l); }

}  // namespace

std::string encode_header_words(std::string_view text) {
  // 45 bytes of UTF-8 make 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" is 72 <= 75.
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + kChunk);
    // Never split a UTF-8 character across two words (RFC 2047 section 5).
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322_date(domain::TimePoint t) {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::weekday wd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

bool is_header_safe_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < address.size(); ++i) {
    const auto u = static_cast<unsigned char>(address[i]);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (std::string_view("<>()[],;:\\\"").find(address[i]) != std::string_view::npos) return false;
    if (address[i] == '@') {
      if (at != std::string_view::npos) return false;
      at = i;
    }
  }
  return at != std::string_view::npos && at > 0 && at + 1 < address.size();
}

NotificationMailComposer::NotificationMailComposer(const web::Catalogues& catalogues,
                                                   MailConfig config)
    : catalogues_(catalogues), config_(std::move(config)) {
  while (!config_.public_origin.empty() && config_.public_origin.back() == '/') {
    config_.public_origin.pop_back();
  }
  std::string_view host = config_.public_origin;
  if (auto p = host.find("://"); p != std::string_view::npos) host.remove_prefix(p + 3);
  host = host.substr(0, host.find_first_of(":/"));
  host_ = is_header_safe_address("x@" + std::string(host)) ? std::string(host) : "localhost";
}

std::string NotificationMailComposer::headers(const domain::MailRecipient& to,
                                              const std::string& subject, domain::TimePoint date,
                                              const std::string& message_id) const {
  std::string h;
  h += "From: " + config_.from + "\n";
  h += "To: " + to.email + "\n";
  h += "Subject: " + encode_header_words(subject) + "\n";
  h += "Date: " + rfc5322_date(date) + "\n";
  h += "Message-ID: <" + message_id + "@" + host_ + ">\n";
  h += "Auto-Submitted: auto-generated\n";
  h += "Content-Language: " + std::string(lang_code(to.language)) + "\n";
  h += "MIME-Version: 1.0\n";
  h += "Content-Type: text/plain; charset=UTF-8\n";
  h += "Content-Transfer-Encoding: base64\n";
  h += "\n";
  return h;
}

std::string NotificationMailComposer::what_happened(Language l,
                                                    const domain::Notification& n) const {
  const std::string type(domain::to_string(n.event));
  if (n.event == domain::EventType::kStatusChanged) {
    return catalogues_.format(
        l, "event_status_changed",
        {{"status", catalogues_.text(l, "status_" + std::string(domain::to_string(n.status)))}});
  }
  if (n.event == domain::EventType::kTranslation)
    return catalogues_.text(l, "mail_event_translation");
  // The staff pages' wording where the worker's would mislead (as the staff timeline).
  for (const std::string& key : {"staff_event_" + type, "event_" + type}) {
    const std::string& text = catalogues_.text(l, key);
    if (text != key && text.find('{') == std::string::npos) return text;
  }
  return catalogues_.text(l, "mail_event_other");
}

std::string NotificationMailComposer::case_link(Language l, std::string_view reference) const {
  return config_.public_origin + "/staff/cases/" + one_line(reference) +
         "?lang=" + std::string(lang_code(l));
}

domain::Result<std::string> NotificationMailComposer::compose_notice(
    const domain::MailRecipient& to, const domain::Notification& n) {
  if (!is_header_safe_address(to.email)) {
    return domain::fail(domain::Error::invalid_field("email", "Not a mail address."));
  }
  const Language l = to.language;
  const std::string reference = one_line(n.reference);
  const std::string what = what_happened(l, n);
  const std::string subject =
      catalogues_.format(l, "mail_subject", {{"reference", reference}, {"what", what}});
  std::string body;
  body += catalogues_.text(l, "mail_intro") + "\n\n";
  body += catalogues_.text(l, "mail_case") + ": " + reference + "\n";
  body += catalogues_.text(l, "mail_what") + ": " + what + "\n";
  body += catalogues_.text(l, "mail_status") + ": " +
          catalogues_.text(l, "status_" + std::string(domain::to_string(n.status))) + "\n";
  body += catalogues_.text(l, "mail_when") + ": " + utc_time(n.at) + "\n\n";
  body += catalogues_.text(l, "mail_open") + "\n" + case_link(l, reference) + "\n\n";
  body +=
      catalogues_.format(
          l, "mail_footer",
          {{"url", config_.public_origin + "/staff/account?lang=" + std::string(lang_code(l))}}) +
      "\n";
  return headers(to, subject, n.at,
                 "n" + std::to_string(n.id) + ".u" + std::to_string(to.user_id)) +
         base64_lines(body);
}

domain::Result<std::string> NotificationMailComposer::compose_digest(
    const domain::MailRecipient& to, const std::vector<domain::Notification>& ns,
    domain::TimePoint now) {
  if (!is_header_safe_address(to.email)) {
    return domain::fail(domain::Error::invalid_field("email", "Not a mail address."));
  }
  const Language l = to.language;
  const std::string count = std::to_string(ns.size());
  const std::string subject = catalogues_.format(l, "mail_digest_subject", {{"count", count}});
  std::string body = catalogues_.format(l, "mail_digest_intro", {{"count", count}}) + "\n\n";
  for (const domain::Notification& n : ns) {
    const std::string reference = one_line(n.reference);
    body += "- " + utc_time(n.at) + "  " + reference + ": " + what_happened(l, n) + " (" +
            catalogues_.text(l, "status_" + std::string(domain::to_string(n.status))) + ")\n  " +
            case_link(l, reference) + "\n";
  }
  body +=
      "\n" +
      catalogues_.format(
          l, "mail_footer",
          {{"url", config_.public_origin + "/staff/account?lang=" + std::string(lang_code(l))}}) +
      "\n";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  return headers(to, subject, now,
                 "d" + std::to_string(seconds.count()) + ".u" + std::to_string(to.user_id)) +
         base64_lines(body);
}

}  // namespace grievance::http::mail
