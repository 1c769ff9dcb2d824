// The grievance binary (docs/operations.md "Commands"): configuration, wiring, signals, threads.
// Nothing else: the rules live in server/domain, HTTP in server/http, sockets in server/net, SQL in
// storage/.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/app/cli.hpp"
#include "server/app/commands.hpp"
#include "server/app/config.hpp"
#include "server/app/demo.hpp"
#include "server/app/generate.hpp"
#include "server/app/ticker.hpp"
#include "server/app/write_fault_log.hpp"
#include "server/crypto/crypto.hpp"
#include "server/domain/services.hpp"
#include "server/http/log.hpp"
#include "server/http/mail/notification_mail.hpp"
#include "server/http/server_app.hpp"
#include "server/net/sendmail.hpp"
#include "server/net/server.hpp"
#include "server/net/webhook_client.hpp"
#include "storage/sqlite/stores.hpp"

#ifndef GRIEVANCE_DEFAULT_WEB_DIR
#define GRIEVANCE_DEFAULT_WEB_DIR "web"
#endif

namespace grievance {
namespace {

const app::CommandSpec kServeSpec{
    "grievance serve --listen HOST:PORT --data DIR --tls-cert FILE --tls-key FILE [--demo] "
    "[--config FILE] [--web DIR] [--key-dir DIR]",
    "Serves the grievance mechanism over HTTPS. Creates and migrates the database in DIR on "
    "first start. With port 0 a free port is picked; the address is printed as "
    "'listening on https://HOST:PORT'. SIGTERM/SIGINT drain and exit, SIGHUP reloads the "
    "certificate.",
    {
        {"listen", "HOST:PORT", true, "address to listen on, e.g. 127.0.0.1:8443 or [::1]:0"},
        {"data", "DIR", true, "data directory (grievance.db, keys/)"},
        {"key-dir", "DIR", false, "server key directory (default: DIR/keys)"},
        {"tls-cert", "FILE", true, "PEM certificate chain"},
        {"tls-key", "FILE", true, "PEM private key"},
        {"demo", "", false, "load the demonstration sites into an empty database"},
        {"config", "FILE", false, "JSON configuration file (see README.md)"},
        {"web", "DIR", false, "web directory (templates, i18n, static files)"},
    }};

constexpr std::string_view kTopHelp =
    "usage: grievance <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve               serve the grievance mechanism over HTTPS\n"
    "  admin create-user   create a staff account\n"
    "  backup              write a consistent copy of the database\n"
    "  verify              check the hash chain of every case's events\n"
    "  verify-receipt      check a proof-of-filing receipt\n"
    "  generate            fill an empty database with made-up cases (benchmarks)\n"
    "\n"
    "Run 'grievance <command> --help' for the options of a command.\n";

struct SystemClock final : domain::Clock {
  domain::TimePoint now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// "127.0.0.1:8443", "localhost:0", "[::1]:8443".
bool parse_listen(std::string_view text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view h = text.substr(0, colon);
  std::string_view p = text.substr(colon + 1);
  if (h.starts_with('[')) {
    if (!h.ends_with(']') || h.size() < 3) return false;
    h = h.substr(1, h.size() - 2);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || p.empty() || value > 65535) return false;
  host = std::string(h);
  port = static_cast<std::uint16_t>(value);
  return true;
}

// An address only this machine can reach: there the derived public origin is right.
bool is_loopback(std::string_view address) {
  return address.starts_with("127.") || address == "::1";
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

int serve(const app::Args& args) {
  app::ServeConfig config;
  if (args.has("config")) {
    if (auto applied = app::apply_config_file(args.get("config"), config); !applied) {
      return app::report_error(applied.error().message);
    }
  }
  if (!parse_listen(args.get("listen"), config.server.host, config.server.port)) {
    return app::report_error("--listen must be HOST:PORT, e.g. 127.0.0.1:8443");
  }
  config.server.cert_file = args.get("tls-cert");
  config.server.key_file = args.get("tls-key");
  const std::string data = args.get("data");
  const std::string web_dir = args.get("web", GRIEVANCE_DEFAULT_WEB_DIR);

  // Signals are taken by one thread with sigwait(): block them before any thread exists (the
  // store's writer, the server's pools) so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  if (auto made = app::ensure_data_dir(data); !made) return app::report_error(made.error().message);
  auto keys = crypto::load_or_create_keys(app::key_dir(args));
  if (!keys) return app::report_error(keys.error().message);
  auto random = crypto::make_system_random();
  auto crypto = crypto::make_crypto(*keys);
  auto cipher = crypto::make_field_cipher(*keys);
  auto store = storage::open_sqlite_stores(
      storage::StoreOptions{app::database_path(data), config.read_connections,
                            config.case_cache_mib << 20, app::log_write_fault},
      *cipher, *crypto);
  if (!store) return app::report_error(store.error().message);

  SystemClock clock;
  auto hasher = crypto::make_password_hasher();
  const domain::Ports ports{(*store)->cases(),
                            (*store)->directory(),
                            (*store)->accounts(),
                            *crypto,
                            *random,
                            clock,
                            hasher.get(),
                            &(*store)->guides(),
                            &(*store)->attachments(),
                            &(*store)->outbox(),
                            &(*store)->mail()};
  // Password checks may hold at most a quarter of the blocking pool, so a flood of sign-ins
  // never starves filing (docs/security.md "Limits and throttling").
  config.service.max_password_checks = std::clamp(
      static_cast<int>(config.server.blocking_threads / 4), 1, config.service.max_password_checks);
  domain::Services services(ports, config.service);

  if (args.has("demo")) {
    auto loaded = app::load_demo_data(ports, services, clock.now());
    if (!loaded) return app::report_error("cannot load demo data: " + loaded.error().message);
    http::log_line("info", *loaded ? "demo_data_loaded" : "demo_data_skipped_database_not_empty");
    // docs/operations.md "Running it": demo users with printed passwords (stdout, never the log).
    // Random per demo database, printed once, when they are created.
    for (const auto& u : loaded->value_or(std::vector<app::DemoUser>{})) {
      std::printf("demo user: role=%s email=%s password=%s (%s)\n", u.role.c_str(), u.email.c_str(),
                  u.password.c_str(), u.organisation.c_str());
    }
    std::fflush(stdout);
  }
  auto server = net::make_server(config.server);
  if (!server) return app::report_error(server.error().message);
  // Absolute links (the union's receipt slips) use the configured origin, never the request's
  // Host; without one, the address the server listens on (known now, also for port 0).
  std::string public_origin = config.public_origin;
  if (public_origin.empty()) {
    public_origin = app::default_public_origin((*server)->host(), (*server)->port());
    if (!is_loopback((*server)->host())) {
      http::log_line("warn", "public_origin_not_configured", {{"origin", public_origin}});
    }
  }
  http::AppDeps deps{services, web_dir, public_origin,
                     static_cast<std::size_t>(config.server.body_limit)};
  deps.batch_body_limit = static_cast<std::size_t>(config.batch_body_limit);
  deps.batch_read_timeout = config.batch_read_timeout;
  deps.attachment_body_limit = config.service.attachment_max_bytes + (64u << 10);
  auto application = http::make_app(deps);
  // Notification e-mail (docs/domain.md "Notification e-mail"): the NotificationMailer the
  // outbox's dispatcher calls, composing in each reader's language and handing the message to
  // the configured sendmail command (no shell).
  const auto mail_catalogues = http::web::Catalogues::load(web_dir + "/i18n");
  http::mail::NotificationMailComposer mail_composer(mail_catalogues,
                                                     {config.mail_from, public_origin});
  net::SendmailTransport mail_transport(config.sendmail_command);
  domain::MailNotifier mailer((*store)->mail(), mail_composer, mail_transport);

  std::printf("listening on https://%s:%u\n", url_host((*server)->host()).c_str(),
              static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);
  http::log_line("info", "listening", {{"port", std::to_string((*server)->port())}});

  // docs/domain.md "Deadlines": reminders, breaches and follow-up checks, every minute.
  std::optional<app::Ticker> deadline_clock;
  // docs/operations.md "Monitoring": each run is recorded for GET /metrics (scheduler lag).
  constexpr std::chrono::minutes kDeadlineInterval{1};
  services.monitoring.deadline_runs.schedule(kDeadlineInterval, clock.now());
  deadline_clock.emplace(kDeadlineInterval, [&services, &clock] {
    services.monitoring.deadline_runs.started(clock.now());
    auto run = services.deadlines.run_once();
    services.monitoring.deadline_runs.finished(clock.now(), run.has_value());
    if (!run) {
      http::log_line("error", "deadline_run_failed",
                     {{"code", domain::error_code_name(run.error().code)}});
    } else if (run->notices > 0 || run->skipped > 0) {
      http::log_line("info", "deadline_notices",
                     {{"cases", std::to_string(run->cases)},
                      {"notices", std::to_string(run->notices)},
                      {"skipped", std::to_string(run->skipped)}});
    }
  });

  // docs/domain.md "Notifications": the outbox's dispatcher delivers webhooks and hands each
  // notification to the e-mail side (which mails only the staff who opted in) on its own thread.
  auto webhook_sender = net::make_webhook_sender(net::WebhookClientOptions{
      config.webhook_ca_file, config.webhook_timeout, config.service.webhook_allow_private});
  if (!webhook_sender) return app::report_error(webhook_sender.error().message);
  domain::NotificationDispatcher dispatcher((*store)->outbox(), (*store)->cases(), **webhook_sender,
                                            &mailer, *crypto, *random, clock, config.webhooks,
                                            public_origin);
  std::optional<app::Ticker> notification_clock;
  services.monitoring.notification_runs.schedule(config.webhook_poll, clock.now());
  notification_clock.emplace(config.webhook_poll, [&dispatcher, &services, &clock] {
    auto& runs = services.monitoring.notification_runs;
    runs.started(clock.now());
    auto run = dispatcher.run_once();
    if (!run) {
      http::log_line("error", "notification_run_failed",
                     {{"code", domain::error_code_name(run.error().code)}});
    } else if (run->delivered > 0 || run->retried > 0 || run->dead > 0) {
      http::log_line("info", "webhook_deliveries",
                     {{"delivered", std::to_string(run->delivered)},
                      {"retried", std::to_string(run->retried)},
                      {"dead", std::to_string(run->dead)}});
    }
    auto digests = dispatcher.send_digests();
    if (!digests) {
      http::log_line("error", "digest_run_failed",
                     {{"code", domain::error_code_name(digests.error().code)}});
    }
    runs.finished(clock.now(), run.has_value() && digests.has_value());
  });

  net::Server& running = **server;
  std::thread signal_thread([&running, signals] {
    for (;;) {
      int signal = 0;
      if (sigwait(&signals, &signal) != 0) continue;
      if (signal == SIGHUP) {
        (void)running.reload_certificate();  // logs its own outcome
        continue;
      }
      http::log_line("info", "signal_received", {{"signal", signal == SIGINT ? "INT" : "TERM"}});
      running.stop();
      return;
    }
  });
  running.run(*application);
  // run() also returns when the drain ended for another reason: wake the signal thread.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  deadline_clock.reset();  // before the store goes
  notification_clock.reset();
  server->reset();  // joins the blocking pool before the App and store go away
  application.reset();
  store->reset();  // drains queued writes
  return 0;
}

int dispatch(std::span<const std::string_view> argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    std::fputs(kTopHelp.data(), argv.empty() ? stderr : stdout);
    return argv.empty() ? 2 : 0;
  }
  const std::string_view command = argv[0];
  const app::CommandSpec* spec = nullptr;
  int (*run)(const app::Args&) = nullptr;
  std::span<const std::string_view> rest = argv.subspan(1);
  if (command == "serve") {
    spec = &kServeSpec;
    run = serve;
  } else if (command == "admin") {
    if (rest.empty() || rest[0] == "--help" || rest[0] == "-h") {
      std::fputs(app::help_text(app::kCreateUserSpec).c_str(), stdout);
      return rest.empty() ? 2 : 0;
    }
    if (rest[0] != "create-user") {
      return app::report_error("unknown admin command '" + std::string(rest[0]) +
                               "' (try: grievance admin create-user --help)");
    }
    spec = &app::kCreateUserSpec;
    run = app::run_create_user;
    rest = rest.subspan(1);
  } else if (command == "backup") {
    spec = &app::kBackupSpec;
    run = app::run_backup;
  } else if (command == "verify") {
    spec = &app::kVerifySpec;
    run = app::run_verify;
  } else if (command == "generate") {
    spec = &app::kGenerateSpec;
    run = app::run_generate;
  } else if (command == "verify-receipt") {
    spec = &app::kVerifyReceiptSpec;
    run = app::run_verify_receipt;
    // docs/operations.md "Commands": the file is named positionally: `grievance verify-receipt
    // FILE`.
    if (!rest.empty() && !rest[0].starts_with("-")) {
      static std::vector<std::string_view> rewritten;
      rewritten = {"--file"};
      rewritten.insert(rewritten.end(), rest.begin(), rest.end());
      rest = rewritten;
    }
  } else {
    return app::report_error("unknown command '" + std::string(command) +
                             "' (try: grievance --help)");
  }
  auto args = app::parse_args(*spec, rest);
  if (!args) {
    app::report_error(args.error().message + " (try: grievance " + std::string(command) +
                      (command == "admin" ? " create-user" : "") + " --help)");
    return 2;
  }
  if (args->help) {
    std::fputs(app::help_text(*spec).c_str(), stdout);
    return 0;
  }
  return run(*args);
}

}  // namespace
}  // namespace grievance

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    return grievance::dispatch(args);
  } catch (const std::exception& e) {
    return grievance::app::report_error(std::string("unexpected error: ") + e.what());
  }
}
