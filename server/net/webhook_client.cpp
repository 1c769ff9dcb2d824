#include "server/net/webhook_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

// GCC 12 with the sanitizers reports asio's coroutine frame delete as mismatched: the same
// false positive server.cpp silences around its coroutines.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace grievance::net {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

struct Target {
  std::string host;  // without brackets
  std::string port = "443";
  std::string path = "/";
};

std::optional<Target> parse_url(const std::string& url) {
  if (!url.starts_with("https://")) return std::nullopt;
  std::string rest = url.substr(8);
  Target t;
  const auto slash = rest.find_first_of("/?");
  if (slash != std::string::npos) {
    t.path = rest.substr(slash);
    if (t.path.starts_with('?')) t.path = "/" + t.path;
    rest = rest.substr(0, slash);
  }
  if (rest.find('@') != std::string::npos || rest.empty()) return std::nullopt;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string::npos) return std::nullopt;
    t.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return std::nullopt;
      t.port = rest.substr(close + 2);
    }
  } else if (const auto colon = rest.find(':'); colon != std::string::npos) {
    t.host = rest.substr(0, colon);
    t.port = rest.substr(colon + 1);
  } else {
    t.host = rest;
  }
  if (t.host.empty() || t.port.empty()) return std::nullopt;
  return t;
}

// Loopback, private, link-local, unspecified, unique-local and mapped forms of them: a webhook
// is never pointed at the server's own network unless the configuration allows it.
bool is_private(const asio::ip::address& a) {
  if (a.is_unspecified() || a.is_loopback() || a.is_multicast()) return true;
  if (a.is_v6()) {
    const auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) return is_private(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
    const auto b = v6.to_bytes();
    return v6.is_link_local() || v6.is_site_local() || (b[0] & 0xfe) == 0xfc;
  }
  const auto b = a.to_v4().to_bytes();
  return b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 169 && b[1] == 254) ||
         (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
         (b[0] == 100 && (b[1] & 0xc0) == 64);
}

class BeastWebhookSender final : public domain::WebhookSender {
 public:
  BeastWebhookSender(ssl::context ctx, const WebhookClientOptions& o)
      : ctx_(std::move(ctx)), options_(o) {}

  domain::Status post(const std::string& url, const std::string& body, const std::string& event_id,
                      const std::string& signature) override {
    const auto target = parse_url(url);
    if (!target) return fail("url");
    std::string stage = "resolve";
    int status = 0;
    bool finished = false;
    asio::io_context ioc;  // after what the coroutine writes to: its frame goes first
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
          auto ex = co_await asio::this_coro::executor;
          tcp::resolver resolver(ex);
          auto resolved =
              co_await resolver.async_resolve(target->host, target->port, asio::use_awaitable);
          std::vector<tcp::endpoint> endpoints;
          for (const auto& entry : resolved) {
            if (options_.allow_private || !is_private(entry.endpoint().address())) {
              endpoints.push_back(entry.endpoint());
            }
          }
          stage = "address not allowed";
          if (endpoints.empty()) co_return;
          stage = "connect";
          ssl::stream<beast::tcp_stream> stream(ex, ctx_);
          if (SSL_set_tlsext_host_name(stream.native_handle(), target->host.c_str()) != 1) {
            co_return;
          }
          stream.set_verify_mode(ssl::verify_peer);
          stream.set_verify_callback(ssl::host_name_verification(target->host));
          co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
          stage = "tls";
          co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
          stage = "send";
          http::request<http::string_body> req{http::verb::post, target->path, 11};
          req.set(http::field::host,
                  target->port == "443" ? target->host : target->host + ":" + target->port);
          req.set(http::field::user_agent, "grievance-webhook/1");
          req.set(http::field::content_type, "application/json");
          req.set("X-Event-Id", event_id);
          req.set("X-Signature", signature);
          req.body() = body;
          req.prepare_payload();
          co_await http::async_write(stream, req, asio::use_awaitable);
          stage = "answer";
          beast::flat_buffer buffer;
          http::response_parser<http::string_body> parser;
          parser.body_limit(64 * 1024);  // the answer's body is read and dropped, never logged
          co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
          status = parser.get().result_int();
          finished = true;
          beast::error_code ignored;
          beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        },
        [](const std::exception_ptr&) {});
    ioc.run_for(options_.timeout);
    if (!ioc.stopped()) {
      ioc.stop();
      return fail("timeout");
    }
    if (!finished) return fail(stage);
    if (status >= 200 && status < 300) return {};
    return fail("http " + std::to_string(status));
  }

 private:
  static domain::Status fail(std::string what) {
    return domain::fail(domain::Error::unavailable(std::move(what)));
  }
  ssl::context ctx_;
  WebhookClientOptions options_;
};

}  // namespace

domain::Result<std::unique_ptr<domain::WebhookSender>> make_webhook_sender(
    const WebhookClientOptions& options) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                  ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (options.ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    ctx.load_verify_file(options.ca_file, ec);
  }
  if (ec) {
    return domain::fail(domain::Error::unavailable("cannot load the webhook CA certificates"));
  }
  ctx.set_verify_mode(ssl::verify_peer);
  return std::unique_ptr<domain::WebhookSender>(
      std::make_unique<BeastWebhookSender>(std::move(ctx), options));
}

}  // namespace grievance::net
