// Notification e-mails as composed (docs/domain.md "Notification e-mail"): the five languages,
// the RFC 5322 / 2047 shape, no header injection, and never a narrative, message or identity
// marker.
#include "server/http/mail/notification_mail.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/base64.hpp"

namespace grievance::http::mail {
namespace {

using namespace std::chrono_literals;
using domain::Language;

const domain::TimePoint kAt =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + 18h + 42min + 26s;

const web::Catalogues& catalogues() {
  static const auto c = web::Catalogues::load(std::string(GRIEVANCE_SOURCE_DIR) + "/web/i18n");
  return c;
}

using testing::unbase64;

struct Parsed {
  std::string headers;  // as sent
  std::string subject;  // decoded
  std::string body;     // decoded
};

Parsed parse(const std::string& message) {
  Parsed p;
  const auto split = message.find("\n\n");
  EXPECT_NE(split, std::string::npos);
  p.headers = message.substr(0, split + 1);
  p.body = unbase64(message.substr(split + 2));
  const std::regex word("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]+)\\?=");
  // The Subject field with its folded continuation lines.
  std::string subject_field;
  for (auto at = p.headers.find("Subject: "); at < p.headers.size();) {
    const auto nl = p.headers.find('\n', at);
    subject_field += p.headers.substr(at, nl - at);
    at = nl + 1;
    if (at >= p.headers.size() || p.headers[at] != ' ') break;
  }
  for (auto it = std::sregex_iterator(subject_field.begin(), subject_field.end(), word);
       it != std::sregex_iterator(); ++it) {
    p.subject += unbase64((*it)[1].str());
  }
  return p;
}

NotificationMailComposer composer() {
  return NotificationMailComposer(catalogues(),
                                  {"grievance@example.org", "https://grievance.example.org"});
}

domain::Notification notice(domain::EventType e = domain::EventType::kMessage) {
  return {.id = 41,
          .org_id = 7,
          .reference = "GRV-2026-ABCD",
          .event = e,
          .status = domain::CaseStatus::kInDialogue,
          .at = kAt};
}

TEST(NotificationMail, SaysReferenceWhatWhenAndLinkInEachOfTheFiveLanguages) {
  auto c = composer();
  for (Language l : domain::all_languages()) {
    SCOPED_TRACE(std::string(domain::to_string(l)));
    auto m = c.compose_notice({3, "officer@company.example", domain::MailMode::kEach, l}, notice());
    ASSERT_TRUE(m);
    const Parsed p = parse(*m);
    EXPECT_NE(p.headers.find("From: grievance@example.org\n"), std::string::npos);
    EXPECT_NE(p.headers.find("To: officer@company.example\n"), std::string::npos);
    EXPECT_NE(p.headers.find("Date: Mon, 30 Nov 2026 18:42:26 +0000\n"), std::string::npos);
    EXPECT_NE(p.headers.find("Message-ID: <n41.u3@grievance.example.org>\n"), std::string::npos);
    EXPECT_NE(p.headers.find("Content-Type: text/plain; charset=UTF-8\n"), std::string::npos);
    EXPECT_NE(p.headers.find("Content-Transfer-Encoding: base64\n"), std::string::npos);
    const std::string what = catalogues().text(l, "staff_event_message");
    EXPECT_EQ(p.subject, catalogues().format(l, "mail_subject",
                                             {{"reference", "GRV-2026-ABCD"}, {"what", what}}));
    EXPECT_NE(p.body.find("GRV-2026-ABCD"), std::string::npos);
    EXPECT_NE(p.body.find(what), std::string::npos);
    EXPECT_NE(p.body.find(catalogues().text(l, "status_in_dialogue")), std::string::npos);
    EXPECT_NE(p.body.find("2026-11-30 18:42 UTC"), std::string::npos);
    EXPECT_NE(p.body.find("https://grievance.example.org/staff/cases/GRV-2026-ABCD?lang=" +
                          std::string(domain::to_string(l))),
              std::string::npos);
    // Every header line is ASCII; encoded words are at most 75 characters.
    for (unsigned char ch : p.headers) EXPECT_LT(ch, 0x80);
    const std::regex encoded_word("=\\?[^ \n]*\\?=");
    for (auto it = std::sregex_iterator(p.headers.begin(), p.headers.end(), encoded_word);
         it != std::sregex_iterator(); ++it) {
      EXPECT_LE(it->str().size(), 75u);
    }
  }
}

TEST(NotificationMail, EveryEventTypeHasWordsInEveryLanguage) {
  auto c = composer();
  for (int e = 0; e <= static_cast<int>(domain::EventType::kAccessCodeReissued); ++e) {
    for (Language l : domain::all_languages()) {
      auto m = c.compose_notice({3, "a@b.example", domain::MailMode::kEach, l},
                                notice(static_cast<domain::EventType>(e)));
      ASSERT_TRUE(m);
      const Parsed p = parse(*m);
      EXPECT_EQ(p.body.find("event_"), std::string::npos) << p.body;
      EXPECT_EQ(p.body.find('{'), std::string::npos) << p.body;
    }
  }
}

TEST(NotificationMail, NoHeaderInjection) {
  auto c = composer();
  // An address with CR/LF or a second address is refused, never written.
  for (std::string bad : {"a@b.example\r\nBcc: spy@evil.example", "a@b.example\nX: y",
                          "a@b.example, spy@evil.example", "<a@b.example>", "no-at-sign", ""}) {
    EXPECT_FALSE(c.compose_notice({1, bad, domain::MailMode::kEach, Language::kEn}, notice()));
    EXPECT_FALSE(
        c.compose_digest({1, bad, domain::MailMode::kDigest, Language::kEn}, {notice()}, kAt));
  }
  // A reference carrying CR/LF stays inside the encoded subject and the body.
  auto n = notice();
  n.reference = "GRV-1\r\nBcc: spy@evil.example";
  auto m = c.compose_notice({1, "a@b.example", domain::MailMode::kEach, Language::kEn}, n);
  ASSERT_TRUE(m);
  const std::string headers = m->substr(0, m->find("\n\n"));
  EXPECT_EQ(headers.find('\r'), std::string::npos);
  EXPECT_EQ(headers.find("Bcc"), std::string::npos);
  for (std::size_t at = headers.find('\n'); at != std::string::npos;
       at = headers.find('\n', at + 1)) {
    const std::string line = headers.substr(at + 1, headers.find('\n', at + 1) - at - 1);
    EXPECT_TRUE(line.starts_with(' ') || std::regex_match(line, std::regex("^[A-Za-z-]+: .*")))
        << line;
  }
  EXPECT_EQ(parse(*m).body.find('\r'), std::string::npos);
}

TEST(NotificationMail, EncodedWordsKeepWholeCharacters) {
  const std::string vi = "Vụ việc GRV-2026-ABCD: Người khiếu nại đã được cấp mã truy cập mới";
  const std::string encoded = encode_header_words(vi);
  std::string decoded;
  const std::regex word("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]+)\\?=");
  for (auto it = std::sregex_iterator(encoded.begin(), encoded.end(), word);
       it != std::sregex_iterator(); ++it) {
    const std::string part = unbase64((*it)[1].str());
    // Each word ends on a character boundary.
    ASSERT_FALSE(part.empty());
    EXPECT_NE(static_cast<unsigned char>(part.back()) & 0xC0, 0xC0);
    EXPECT_LE(it->str().size(), 75u);
    decoded += part;
  }
  EXPECT_EQ(decoded, vi);
}

TEST(NotificationMail, DigestListsEveryNotificationOnce) {
  auto c = composer();
  std::vector<domain::Notification> ns;
  for (int i = 0; i < 3; ++i) {
    auto n = notice();
    n.id = i;
    n.reference = "GRV-2026-000" + std::to_string(i);
    ns.push_back(n);
  }
  auto m = c.compose_digest(
      {9, "officer@company.example", domain::MailMode::kDigest, Language::kId}, ns, kAt);
  ASSERT_TRUE(m);
  const Parsed p = parse(*m);
  EXPECT_EQ(p.subject, catalogues().format(Language::kId, "mail_digest_subject", {{"count", "3"}}));
  for (const auto& n : ns) {
    EXPECT_NE(p.body.find("/staff/cases/" + n.reference + "?lang=id"), std::string::npos);
  }
}

}  // namespace
}  // namespace grievance::http::mail
