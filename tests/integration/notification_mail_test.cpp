// Notification e-mail end to end in process (docs/domain.md "Notification e-mail"): the
// SQLite opt-in, the composer with the real catalogues, and the sendmail transport running
// tests/integration/fake_sendmail.sh, which keeps each message in a directory (nothing leaves
// the machine). Also the transport alone: no shell, exit status, timeout.
#include "server/http/mail/notification_mail.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/crypto/crypto.hpp"
#include "server/domain/mail_service.hpp"
#include "server/net/sendmail.hpp"
#include "storage/sqlite/stores.hpp"
#include "support/base64.hpp"

namespace grievance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kNarrativeMarker = "NARRATIVE-MARKER-77e1";
constexpr std::string_view kMessageMarker = "MESSAGE-MARKER-0c3b";
constexpr std::string_view kIdentityMarker = "IDENTITY-MARKER-5a9d";

const std::string kFake = std::string(GRIEVANCE_SOURCE_DIR) + "/tests/integration/fake_sendmail.sh";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mail_test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> files(const fs::path& dir, std::string_view ext) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ext) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
  }
  return out;
}

using testing::unbase64;

TEST(SendmailTransport, RunsTheCommandWithoutAShellAndTheMessageOnStdin) {
  TempDir out;
  const fs::path planted = out.path() / "planted";
  net::SendmailTransport t(kFake + " " + out.path().string() + " -t -i $(touch " +
                           planted.string() + ") ;rm");
  ASSERT_TRUE(t.send("To: a@b.example\n\nhello\n"));
  EXPECT_EQ(files(out.path(), ".eml"), (std::vector<std::string>{"To: a@b.example\n\nhello\n"}));
  // Every word reached the program as it was: no shell expanded or split anything.
  EXPECT_EQ(files(out.path(), ".args"),
            (std::vector<std::string>{"-t\n-i\n$(touch\n" + planted.string() + ")\n;rm\n"}));
  EXPECT_FALSE(fs::exists(planted));
}

TEST(SendmailTransport, AFailingMissingOrHangingCommandFailsTheSend) {
  EXPECT_FALSE(net::SendmailTransport("/bin/false").send("x"));
  EXPECT_FALSE(net::SendmailTransport("/nonexistent/sendmail -t").send("x"));
  EXPECT_FALSE(net::SendmailTransport("").send("x"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(net::SendmailTransport("/bin/sleep 30", 300ms).send("x"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  // A command that exits without reading a large message fails the send, not the process.
  EXPECT_FALSE(net::SendmailTransport("/bin/false").send(std::string(1 << 20, 'x')));
  // A command that reads the message and exits 0 delivers it. (Not /bin/true: it may exit
  // before the message is written, and a message nobody read is not sent - EPIPE, a failure.)
  EXPECT_TRUE(net::SendmailTransport("/bin/cat").send("x"));
}

// A notification reaches the fake sendmail for the staff member who opted in, in their
// language, and not for the one who did not; a case's narrative, message and identity never
// reach any e-mail.
TEST(NotificationMailEndToEnd, OptedInStaffGetTheNotificationAndNothingElse) {
  TempDir dir;
  const fs::path out = dir.path() / "mail";
  fs::create_directory(out);
  auto keys = crypto::load_or_create_keys((dir.path() / "keys").string());
  ASSERT_TRUE(keys);
  auto cipher = crypto::make_field_cipher(*keys);
  auto crypto = crypto::make_crypto(*keys);
  auto store = storage::open_sqlite_stores({(dir.path() / "g.db").string(), 2}, *cipher, *crypto);
  ASSERT_TRUE(store);
  auto& s = **store;
  const auto org =
      *s.directory().create_organisation({0, domain::OrgKind::kCompany, "Sawit Jaya", "ID"});
  auto user = [&](std::string email) {
    domain::User u;
    u.email = std::move(email);
    u.role = domain::Role::kCompany;
    u.org_id = org;
    u.password_hash = "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA";
    return *s.accounts().create_user(u);
  };
  const auto opted = user("opted@sawit.example");
  user("silent@sawit.example");
  const auto digest = user("digest@sawit.example");

  // A real case with the markers in its narrative, a message and the contact.
  domain::Case c;
  c.reference = "GRV-2026-MAIL";
  c.access_code_hmac = std::string(64, 'a');
  c.complaint.language = domain::Language::kId;
  c.complaint.categories = {domain::Category::kWages};
  c.complaint.narrative = "Unpaid overtime " + std::string(kNarrativeMarker);
  c.complaint.place = "Block 7";
  c.complaint.country = "ID";
  c.complaint.anonymous = false;
  c.complaint.contact = domain::Contact{std::string(kIdentityMarker), "+62 811", "w@example.org"};
  c.complaint.channel = domain::Channel::kWeb;
  c.created_at = c.updated_at = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30};
  c.content_sha256 = std::string(64, 'c');
  c.deadlines = {c.created_at + 24h * 7, c.created_at + 24h * 30, c.created_at + 24h * 90};
  domain::CaseEvent filed;
  filed.type = domain::EventType::kFiled;
  filed.actor_role = domain::Role::kComplainant;
  filed.at = c.created_at;
  domain::CaseEvent message = filed;
  message.type = domain::EventType::kMessage;
  message.body = "Please help " + std::string(kMessageMarker);
  ASSERT_TRUE(s.cases().create_case(c, {filed, message}));

  domain::MailSettings settings(s.mail());
  domain::Session session;
  session.role = domain::Role::kCompany;
  session.user_id = opted;
  ASSERT_TRUE(settings.set(session, {domain::MailMode::kEach, domain::Language::kVi}));
  session.user_id = digest;
  ASSERT_TRUE(settings.set(session, {domain::MailMode::kDigest, domain::Language::kFr}));

  const auto catalogues =
      http::web::Catalogues::load(std::string(GRIEVANCE_SOURCE_DIR) + "/web/i18n");
  http::mail::NotificationMailComposer composer(catalogues,
                                                {"grievance@example.org", "https://g.example"});
  net::SendmailTransport transport(kFake + " " + out.string() + " -t -i");
  domain::MailNotifier mailer(s.mail(), composer, transport);

  // Every event type a notification may name, as D's outbox would pass them.
  std::int64_t id = 0;
  for (auto e : {domain::EventType::kFiled, domain::EventType::kMessage,
                 domain::EventType::kDeadlineBreached, domain::EventType::kRetaliationReported}) {
    ASSERT_TRUE(mailer.notify({.id = ++id,
                               .org_id = org,
                               .reference = c.reference,
                               .event = e,
                               .status = domain::CaseStatus::kReceived,
                               .at = c.created_at}));
  }
  ASSERT_TRUE(mailer.send_digests(c.created_at + 1h));

  const auto mails = files(out, ".eml");
  ASSERT_EQ(mails.size(), 5u);  // four for the opted-in reader, one digest
  int to_opted = 0;
  int to_digest = 0;
  for (const std::string& m : mails) {
    const std::string headers = m.substr(0, m.find("\n\n"));
    const std::string body = unbase64(m.substr(m.find("\n\n") + 2));
    EXPECT_EQ(headers.find("silent@"), std::string::npos);
    if (headers.find("To: opted@sawit.example\n") != std::string::npos) ++to_opted;
    if (headers.find("To: digest@sawit.example\n") != std::string::npos) {
      ++to_digest;
      EXPECT_NE(headers.find("Content-Language: fr\n"), std::string::npos);
    }
    EXPECT_NE(body.find("https://g.example/staff/cases/GRV-2026-MAIL"), std::string::npos);
    for (std::string_view marker :
         {kNarrativeMarker, kMessageMarker, kIdentityMarker, std::string_view("w@example.org"),
          std::string_view("+62 811"), std::string_view("Block 7")}) {
      EXPECT_EQ(m.find(marker), std::string::npos) << marker;
      EXPECT_EQ(body.find(marker), std::string::npos) << marker;
    }
  }
  EXPECT_EQ(to_opted, 4);
  EXPECT_EQ(to_digest, 1);
}

}  // namespace
}  // namespace grievance
