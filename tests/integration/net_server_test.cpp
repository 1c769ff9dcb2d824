// server/net in process, against a small App of its own: limits, timeouts, TLS versions,
// the blocking pool and the drain, without depending on the http or storage layers.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "integration/test_env.hpp"
#include "integration/tls_client.hpp"
#include "server/http/app.hpp"
#include "server/net/serialize.hpp"
#include "server/net/server.hpp"

namespace grievance::testing {
namespace {

using namespace std::chrono_literals;
using bhttp::verb;

std::string thread_name() {
  std::ostringstream out;
  out << std::this_thread::get_id();
  return out.str();
}

// A streamed answer's pieces (GET /streamed): kStreamPieces of kStreamPiece bytes, piece i
// filled with the letter 'a' + i % 26, so a piece lost, doubled or out of order shows.
constexpr std::size_t kStreamPiece = 64 * 1024;
constexpr std::size_t kStreamPieces = 100;  // 6.4 MB: more than the sockets' buffers hold

std::string stream_piece(std::size_t i) {
  return std::string(kStreamPiece, static_cast<char>('a' + i % 26));
}

// GET /hello (inline), GET /slow (blocking pool, 300 ms), GET /slower (1.6 s), POST /echo
// (blocking pool), GET /streamed (through RequestContext::stream) and GET /endless (pieces
// until a write fails, at most 1 GB).
class FakeApp final : public http::App {
 public:
  http::Dispatch route(const http::Request& header) const override {
    http::Dispatch dispatch;
    dispatch.route = 0;
    dispatch.runs_inline = header.target() == "/hello";
    return dispatch;
  }

  using http::App::handle;
  http::Response handle(http::Request& req, const http::RequestContext& ctx,
                        const http::Dispatch&) override {
    ++handled;
    http::Response res{bhttp::status::ok, req.version()};
    res.set("X-Thread", thread_name());
    res.set("X-Client", ctx.client_address);
    res.set("X-Loopback", ctx.client_is_loopback ? "1" : "0");
    res.set("X-Request-Id", ctx.request_id);
    if (req.target() == "/slow") {
      std::this_thread::sleep_for(300ms);
      res.body() = "slow";
    } else if (req.target() == "/slower") {
      std::this_thread::sleep_for(1600ms);
      res.body() = "slower";
    } else if (req.target() == "/echo") {
      res.body() = std::to_string(req.body().size());
    } else if (req.target() == "/hello") {
      res.body() = "hello";
    } else if (req.target() == "/smuggled") {
      ++smuggled;
    } else if ((req.target() == "/streamed" || req.target() == "/endless") && ctx.stream) {
      const std::size_t pieces = req.target() == "/streamed" ? kStreamPieces : 16384;
      http::Response head{bhttp::status::ok, req.version()};
      head.set(bhttp::field::content_type, "text/plain");
      head.keep_alive(req.keep_alive());
      bool going = ctx.stream->begin(head);
      for (std::size_t i = 0; going && i < pieces; ++i) {
        going = ctx.stream->write(stream_piece(i));
        if (going) ++pieces_written;
      }
      if (going) going = ctx.stream->end();
      stream_ended = going;
      stream_done = true;
      res.keep_alive(req.keep_alive());
      return res;  // begun: net does not send it
    } else {
      res.result(bhttp::status::not_found);
    }
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
  }

  http::Response error_response(unsigned status, std::string_view code, std::string_view,
                                unsigned version, bool keep_alive) const override {
    http::Response res{static_cast<bhttp::status>(status), version};
    res.set(bhttp::field::content_type, "application/json");
    res.body() = "{\"error\":{\"code\":\"" + std::string(code) + "\"}}";
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
  }

  std::atomic<int> handled{0};
  std::atomic<int> smuggled{0};                // requests for /smuggled that reached the App
  std::atomic<std::size_t> pieces_written{0};  // /streamed, /endless: write() said true
  std::atomic<bool> stream_ended{false};       // end() said true
  std::atomic<bool> stream_done{false};        // the handler returned
};

class NetServerTest : public ::testing::Test {
 protected:
  void SetUp() override { cert_ = make_test_certificate(dir_.path()); }

  void TearDown() override { stop(); }

  template <class Configure>
  void start(Configure configure) {
    net::ServerOptions options;
    configure(options);  // may choose the host; 127.0.0.1 by default
    options.port = 0;
    // The raw requests below say "Host: x": the public origin's host, port 443.
    if (options.public_host.empty()) options.public_host = "x";
    options.cert_file = cert_.cert_file;
    options.key_file = cert_.key_file;
    if (options.threads == 0) options.threads = 2;
    options.blocking_threads = 2;
    auto made = net::make_server(options);
    ASSERT_TRUE(made.has_value()) << made.error().message;
    server_ = std::move(*made);
    thread_ = std::thread([this] { server_->run(app_); });
  }

  void start() {
    start([](net::ServerOptions&) {});
  }

  void stop() {
    if (!server_) return;
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  TlsClient client(int min_version = TLS1_2_VERSION, int max_version = TLS1_3_VERSION,
                   std::chrono::milliseconds timeout = 10s) {
    TlsClientOptions options;
    options.min_version = min_version;
    options.max_version = max_version;
    options.timeout = timeout;
    return TlsClient(server_->port(), options);
  }

  TempDir dir_;
  TestCertificate cert_;
  FakeApp app_;
  std::unique_ptr<net::Server> server_;
  std::thread thread_;
};

TEST_F(NetServerTest, ServesOverTls12AndTls13) {
  start();
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsClient c = client(version, version);
    ASSERT_FALSE(c.connect()) << version;
    EXPECT_EQ(c.protocol(), version == TLS1_2_VERSION ? "TLSv1.2" : "TLSv1.3");
    auto res = c.request(verb::get, "/hello");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "hello");
  }
}

TEST_F(NetServerTest, RefusesTls11) {
  start();
  TlsClient c = client(TLS1_1_VERSION, TLS1_1_VERSION);
  EXPECT_TRUE(c.connect());
}

// Mozilla's intermediate profile turns session tickets off: a ticket key that is never rotated
// would let whoever steals it decrypt every recorded session (docs/security.md "TLS and
// headers"). TLS 1.2 keeps session-id resumption from the server's cache.
TEST_F(NetServerTest, IssuesNoSessionTickets) {
  start();
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsClient c = client(version, version);
    ASSERT_FALSE(c.connect()) << version;
    EXPECT_EQ(c.request(verb::get, "/hello").result_int(), 200);  // TLS 1.3 tickets come now
    EXPECT_EQ(c.tickets_received(), 0) << version;
  }
  // The first client leaves without close_notify, as most do; its session stays resumable.
  // (The TlsClient object stays: freeing an SSL without a shutdown would mark the session not
  // resumable on the client's side.)
  TlsClient first = client(TLS1_2_VERSION, TLS1_2_VERSION);
  ASSERT_FALSE(first.connect());
  EXPECT_EQ(first.request(verb::get, "/hello").result_int(), 200);
  SSL_SESSION* session = first.session();
  first.close_tcp();
  for (int i = 0; i < 100 && server_->connection_count() != 0; ++i) {
    std::this_thread::sleep_for(10ms);  // the server has seen the end
  }
  ASSERT_EQ(server_->connection_count(), 0u);
  TlsClientOptions options;
  options.min_version = options.max_version = TLS1_2_VERSION;
  options.resume = session;
  TlsClient second(server_->port(), options);
  ASSERT_FALSE(second.connect());
  EXPECT_TRUE(second.session_reused());
  EXPECT_EQ(second.request(verb::get, "/hello").result_int(), 200);
  SSL_SESSION_free(session);
}

// ALPN: only http/1.1 is offered, and a client that asks only for another protocol is refused,
// so a TLS connection meant for another service cannot be pointed here (ALPACA).
TEST_F(NetServerTest, NegotiatesOnlyHttp11ByAlpn) {
  start();
  const auto connect_offering = [&](std::vector<std::string> alpn, std::string& selected) {
    TlsClientOptions options;
    options.alpn = std::move(alpn);
    TlsClient c(server_->port(), options);
    auto ec = c.connect();
    selected = c.alpn_protocol();
    if (!ec) {
      EXPECT_EQ(c.request(verb::get, "/hello").result_int(), 200);
    }
    return !ec;
  };
  std::string selected;
  EXPECT_TRUE(connect_offering({"h2", "http/1.1"}, selected));
  EXPECT_EQ(selected, "http/1.1");
  EXPECT_TRUE(connect_offering({"http/1.1"}, selected));
  EXPECT_EQ(selected, "http/1.1");
  EXPECT_FALSE(connect_offering({"h2"}, selected));
  EXPECT_FALSE(connect_offering({"smtp", "imap"}, selected));
  EXPECT_TRUE(connect_offering({}, selected));  // no ALPN at all: older clients
  EXPECT_EQ(selected, "");
}

TEST_F(NetServerTest, SetsRequestContext) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  auto first = c.request(verb::get, "/hello");
  auto second = c.request(verb::get, "/hello");
  EXPECT_EQ(first["X-Client"], "127.0.0.1");
  EXPECT_EQ(first["X-Loopback"], "1");
  EXPECT_EQ(first["X-Request-Id"].size(), 16u);
  EXPECT_NE(first["X-Request-Id"], second["X-Request-Id"]);
}

// Net writes responses itself (serialize.hpp); the bytes must stay Beast's.
// A listener on [::] sees 127.0.0.1 as ::ffff:127.0.0.1: still loopback, still the IPv4 client
// (GET /metrics trusts loopback callers; docs/security.md "Monitoring").
TEST_F(NetServerTest, AnIpv4LoopbackClientOfADualStackListenerIsLoopback) {
  start([](net::ServerOptions& o) { o.host = "::"; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  auto res = c.request(verb::get, "/hello");
  EXPECT_EQ(res["X-Client"], "127.0.0.1");
  EXPECT_EQ(res["X-Loopback"], "1");
}

TEST(ResponseBytes, AreTheBytesOfBeastsSerializer) {
  std::vector<http::Response> responses;
  http::Response ok{bhttp::status::ok, 11};
  ok.set(bhttp::field::content_type, "application/json; charset=utf-8");
  ok.set("Content-Security-Policy", "default-src 'self'");
  ok.body() = R"({"status":"ok"})";
  ok.prepare_payload();
  responses.push_back(ok);
  http::Response closing{bhttp::status::payload_too_large, 11};
  closing.body() = std::string(20000, 'x');
  closing.keep_alive(false);
  closing.prepare_payload();
  responses.push_back(closing);
  http::Response old{bhttp::status::see_other, 10};
  old.set(bhttp::field::location, "/case");
  old.keep_alive(true);
  old.prepare_payload();
  responses.push_back(old);
  http::Response reason{bhttp::status::not_found, 11};
  reason.reason("Nowhere");
  reason.content_length(42);  // a HEAD answer: the length of a body not sent
  responses.push_back(reason);
  http::Response unknown{static_cast<bhttp::status>(599), 11};
  unknown.prepare_payload();
  responses.push_back(unknown);

  for (const auto& res : responses) {
    std::ostringstream beast;
    beast << res;
    std::string ours;
    net::append_response_head(res, ours);
    ours += res.body();
    EXPECT_EQ(ours, beast.str());
  }
}

TEST(ClientKey, Ipv6ClientsAreCountedPerSlash64) {
  EXPECT_EQ(net::client_key("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(net::client_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(net::client_key("2001:db8:1:2::1"), net::client_key("2001:db8:1:2:ffff::9"));
  EXPECT_NE(net::client_key("2001:db8:1:2::1"), net::client_key("2001:db8:1:3::1"));
  EXPECT_EQ(net::client_key("::ffff:198.51.100.4"), "198.51.100.4");
  EXPECT_EQ(net::client_key("::1"), "::/64");
}

TEST_F(NetServerTest, KeepsConnectionAliveAcrossRequests) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  for (int i = 0; i < 20; ++i) {
    boost::system::error_code ec;
    auto res =
        c.request(i % 2 ? verb::get : verb::post, i % 2 ? "/hello" : "/echo", "abc", {}, &ec);
    ASSERT_FALSE(ec) << i << ": " << ec.message();
    EXPECT_EQ(res.result_int(), 200);
  }
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(NetServerTest, AnIdleConnectionAnswersAgainAfterItsTlsBuffersAreReleased) {
  start();
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsClient c = client(version, version);
    ASSERT_FALSE(c.connect());
    EXPECT_EQ(c.request(verb::get, "/hello").body(), "hello");
    std::this_thread::sleep_for(700ms);  // two sweeps: the connection gives its buffers back
    EXPECT_EQ(c.request(verb::post, "/echo", std::string(40000, 'x')).body(), "40000");
    std::this_thread::sleep_for(700ms);
    EXPECT_EQ(c.request(verb::get, "/hello").body(), "hello");
  }
}

TEST_F(NetServerTest, AnswersPipelinedRequestsInOrder) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(
      c.write_raw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                  "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"
                  "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"
                  "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::vector<std::string> expected = {"hello", "5", "7", "hello"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ClientResponse res;
    ASSERT_FALSE(c.read(res)) << i;
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), expected[i]);
    EXPECT_EQ(res.keep_alive(), i + 1 < expected.size());  // the last asked to close
  }
}

TEST_F(NetServerTest, BlockingHandlersRunOffTheIoThread) {
  start([](net::ServerOptions& o) { o.threads = 1; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  auto inline_res = c.request(verb::get, "/hello");
  auto pooled_res = c.request(verb::get, "/slow");
  EXPECT_EQ(pooled_res.body(), "slow");
  EXPECT_NE(inline_res["X-Thread"], pooled_res["X-Thread"]);
}

TEST_F(NetServerTest, AHandlerSlowerThanEveryIoTimeoutStillAnswers) {
  // I/O deadlines bound the client's steps, not the server's own work (a group commit under
  // load): the connection must not be cut while the handler runs.
  start([](net::ServerOptions& o) {
    o.read_timeout = 1s;
    o.write_timeout = 1s;
    o.idle_timeout = 1s;
  });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  boost::system::error_code ec;
  auto res = c.request(verb::get, "/slower", {}, {}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.body(), "slower");
  auto again = c.request(verb::get, "/hello", {}, {}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(again.body(), "hello");
}

// docs/architecture.md "Streamed responses": the handler writes the next piece while the one
// before is sent; every piece arrives once and in order, and the connection goes on.
TEST_F(NetServerTest, AStreamedAnswerArrivesWholeAndInOrderAndTheConnectionGoesOn) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  boost::system::error_code ec;
  auto res = c.request(verb::get, "/streamed", {}, {}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::transfer_encoding], "chunked");
  std::string expected;
  for (std::size_t i = 0; i < kStreamPieces; ++i) expected += stream_piece(i);
  ASSERT_EQ(res.body().size(), expected.size());
  EXPECT_TRUE(res.body() == expected);  // not EXPECT_EQ: 6.4 MB in a failure message
  EXPECT_EQ(app_.pieces_written.load(), kStreamPieces);
  EXPECT_TRUE(app_.stream_ended.load());
  auto again = c.request(verb::get, "/hello", {}, {}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(again.body(), "hello");
}

// A client that asks for a large answer and stops reading: the handler's write fails once the
// write timeout passes, it stops writing, and the server closes the connection.
TEST_F(NetServerTest, AClientThatStopsReadingAStreamIsCutOffAfterTheWriteTimeout) {
  start([](net::ServerOptions& o) { o.write_timeout = 1s; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ClientRequest req{verb::get, "/endless", 11};
  req.set(bhttp::field::host, "x");
  ASSERT_FALSE(c.write(req));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!app_.stream_done && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(app_.stream_done.load()) << "the handler is still writing";
  EXPECT_FALSE(app_.stream_ended.load());
  EXPECT_LT(app_.pieces_written.load(), std::size_t{16384});
  for (int i = 0; i < 200 && server_->connection_count() != 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(server_->connection_count(), 0u);
}

TEST_F(NetServerTest, BodyOverTheLimitGets413) {
  start([](net::ServerOptions& o) { o.body_limit = 1024; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  auto ok = c.request(verb::post, "/echo", std::string(1024, 'x'));
  EXPECT_EQ(ok.result_int(), 200);
  boost::system::error_code ec;
  auto res = c.request(verb::post, "/echo", std::string(4096, 'x'), {}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_NE(res.body().find("payload_too_large"), std::string::npos);
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(NetServerTest, DeclaredBodyOverTheLimitGets413BeforeTheBodyArrives) {
  start([](net::ServerOptions& o) { o.body_limit = 1024; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  ClientResponse res;
  ASSERT_FALSE(c.read(res));
  EXPECT_EQ(res.result_int(), 413);
}

TEST_F(NetServerTest, HeadersOverTheLimitGet431) {
  start([](net::ServerOptions& o) { o.header_limit = 1024; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  boost::system::error_code ec;
  const std::string big(2048, 'a');
  auto res = c.request(verb::get, "/hello", {}, {{"X-Big", big}}, &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 431);
  EXPECT_NE(res.body().find("headers_too_large"), std::string::npos);
}

TEST_F(NetServerTest, UnparsableRequestGets400AndClose) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.write_raw("GARBAGE\r\n\r\n"));
  ClientResponse res;
  ASSERT_FALSE(c.read(res));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_TRUE(c.wait_closed(3s));
}

// Request smuggling (RFC 9112 6.1 and 6.3): a body whose length two parsers could read
// differently is refused with 400 and the connection closed, so what follows it is never run
// as a second request.
TEST_F(NetServerTest, RefusesAmbiguousFramingAndNeverRunsTheSmuggledRequest) {
  start();
  const std::string smuggled = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::string> framings = {
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n",
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n",
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n",
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n",
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
      "HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n",
      "HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n",
      "HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: identity\r\n",
      "HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n",
  };
  for (const auto& framing : framings) {
    SCOPED_TRACE(framing);
    TlsClient c = client();
    ASSERT_FALSE(c.connect());
    ASSERT_FALSE(c.write_raw("POST /echo " + framing + "\r\n" + smuggled));
    ClientResponse res;
    ASSERT_FALSE(c.read(res));
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_NE(res.body().find("invalid_request"), std::string::npos) << res.body();
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(c.wait_closed(3s));
  }
  EXPECT_EQ(app_.smuggled.load(), 0);
  EXPECT_EQ(app_.handled.load(), 0);
  // Plain chunked and plain Content-Length still work, and so does a pipelined next request.
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.write_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n" +
      smuggled));
  ClientResponse chunked, next;
  ASSERT_FALSE(c.read(chunked));
  EXPECT_EQ(chunked.body(), "3");
  ASSERT_FALSE(c.read(next));
  EXPECT_EQ(next.result_int(), 200);
  EXPECT_EQ(app_.smuggled.load(), 1);
}

// RFC 9112 3.2: a request without Host, or with two, is refused with 400.
TEST_F(NetServerTest, RefusesARequestWithoutHostOrWithTwo) {
  start();
  for (std::string request : {"GET /hello HTTP/1.1\r\n\r\n", "GET /hello HTTP/1.0\r\n\r\n",
                              "GET /hello HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n",
                              "GET /hello HTTP/1.1\r\nHost: x\r\nHost: evil.example\r\n\r\n",
                              "GET /hello HTTP/1.1\r\nHost: \r\n\r\n"}) {
    SCOPED_TRACE(request);
    TlsClient c = client();
    ASSERT_FALSE(c.connect());
    ASSERT_FALSE(c.write_raw(request));
    ClientResponse res;
    ASSERT_FALSE(c.read(res));
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_TRUE(c.wait_closed(3s));
  }
  EXPECT_EQ(app_.handled.load(), 0);
}

// Absolute links are built from the configured public origin, and a request must name one of
// our own hosts: the public origin, the listen address, or a loopback name with our port.
TEST_F(NetServerTest, RefusesAHostThatIsNotOurs) {
  start([](net::ServerOptions& o) { o.public_host = "grievance.example.org"; });
  const std::string port = std::to_string(server_->port());
  const auto status_for_host = [&](const std::string& host) {
    TlsClient c = client();
    EXPECT_FALSE(c.connect());
    boost::system::error_code ec;
    auto res = c.request(verb::get, "/hello", {}, {{"Host", host}}, &ec);
    EXPECT_FALSE(ec) << host << ": " << ec.message();
    if (res.result_int() == 400) {
      EXPECT_NE(res.body().find("invalid_host"), std::string::npos) << res.body();
      EXPECT_TRUE(c.wait_closed(3s)) << host;
    }
    return res.result_int();
  };
  for (const std::string& ours :
       {"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port,
        std::string("grievance.example.org"), std::string("grievance.example.org:443"),
        std::string("Grievance.Example.ORG")}) {
    EXPECT_EQ(status_for_host(ours), 200) << ours;
  }
  for (const std::string& theirs :
       {std::string("evil.example"), "evil.example:" + port, std::string("127.0.0.1"),
        std::string("127.0.0.1:1"), std::string("localhost"), "grievance.example.org:" + port,
        std::string("grievance.example.org.evil.example"), std::string("x")}) {
    EXPECT_EQ(status_for_host(theirs), 400) << theirs;
  }
  // The absolute form names its own authority (RFC 9112 3.2.2): refused too.
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.write_raw("GET https://evil.example/hello HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                           "\r\n\r\n"));
  ClientResponse res;
  ASSERT_FALSE(c.read(res));
  EXPECT_EQ(res.result_int(), 400);
}

TEST_F(NetServerTest, AnswersExpect100Continue) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.write_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  ClientResponse interim;
  ASSERT_FALSE(c.read(interim));
  EXPECT_EQ(interim.result_int(), 100);
  ASSERT_FALSE(c.write_raw("abc"));
  ClientResponse res;
  ASSERT_FALSE(c.read(res));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "3");
}

TEST_F(NetServerTest, SlowClientIsCutOffAfterTheReadTimeout) {
  start([](net::ServerOptions& o) {
    o.read_timeout = 1s;
    o.idle_timeout = 10s;
  });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  const std::string request = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(40, 'p');
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(server_cuts_off_trickle(c, request, 3s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 6s);
  EXPECT_EQ(app_.handled.load(), 0);
}

TEST_F(NetServerTest, IdleKeepAliveConnectionIsClosed) {
  start([](net::ServerOptions& o) { o.idle_timeout = 1s; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect());
  EXPECT_EQ(c.request(verb::get, "/hello").result_int(), 200);
  EXPECT_TRUE(c.wait_closed(4s));
}

TEST_F(NetServerTest, SilentConnectionIsClosedAfterTheHandshakeTimeout) {
  start([](net::ServerOptions& o) { o.handshake_timeout = 1s; });
  TlsClient c = client();
  ASSERT_FALSE(c.connect_tcp());
  EXPECT_TRUE(c.wait_closed(4s));
}

TEST_F(NetServerTest, ConnectionsOverTheMaximumAreClosed) {
  start([](net::ServerOptions& o) { o.max_connections = 1; });
  TlsClient first = client();
  ASSERT_FALSE(first.connect());
  TlsClient second = client(TLS1_2_VERSION, TLS1_3_VERSION, 3000ms);
  EXPECT_TRUE(second.connect());
  EXPECT_EQ(first.request(verb::get, "/hello").result_int(), 200);
}

TEST_F(NetServerTest, StopLetsInFlightRequestsFinishAndClosesIdleOnes) {
  start();
  TlsClient idle = client();
  ASSERT_FALSE(idle.connect());
  EXPECT_EQ(idle.request(verb::get, "/hello").result_int(), 200);

  TlsClient busy = client();
  ASSERT_FALSE(busy.connect());
  ClientRequest req{verb::get, "/slow", 11};
  req.set(bhttp::field::host, "x");
  ASSERT_FALSE(busy.write(req));
  std::this_thread::sleep_for(100ms);  // the request is in the handler now
  server_->stop();

  ClientResponse res;
  ASSERT_FALSE(busy.read(res));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "slow");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(idle.wait_closed(3s));
  thread_.join();  // run() returns once drained
  EXPECT_EQ(server_->connection_count(), 0u);
}

TEST_F(NetServerTest, StopBeforeAnyConnectionReturnsPromptly) {
  start();
  const auto started = std::chrono::steady_clock::now();
  server_->stop();
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

// Each half checks which certificate a new connection is served, so that a reload that does
// not take effect (or one that takes a mismatched key) fails the test.
TEST_F(NetServerTest, ReloadCertificateKeepsOldOnErrorAndUsesNewForNewConnections) {
  start();
  const auto served = [&] {
    TlsClient c = client();
    EXPECT_FALSE(c.connect());
    EXPECT_EQ(c.request(verb::get, "/hello").result_int(), 200);
    return c.peer_certificate_sha256();
  };
  const std::string old_certificate = served();
  ASSERT_EQ(old_certificate.size(), 64u);
  TempDir other;
  TestCertificate fresh = make_test_certificate(other.path());
  TlsClient open_before = client();  // established before the reload: keeps the old one
  ASSERT_FALSE(open_before.connect());
  // A key that does not match: refused, the old context stays.
  std::filesystem::copy_file(fresh.key_file, cert_.key_file,
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_FALSE(server_->reload_certificate().has_value());
  EXPECT_EQ(served(), old_certificate);
  // Both files replaced: accepted, and new connections get the new certificate.
  std::filesystem::copy_file(fresh.cert_file, cert_.cert_file,
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_TRUE(server_->reload_certificate().has_value());
  EXPECT_EQ(served(), certificate_file_sha256(fresh.cert_file));
  EXPECT_EQ(open_before.peer_certificate_sha256(), old_certificate);
  EXPECT_EQ(open_before.request(verb::get, "/hello").result_int(), 200);
}

TEST_F(NetServerTest, MakeServerReportsBadCertificateAndBusyPort) {
  net::ServerOptions options;
  options.port = 0;
  options.cert_file = (dir_.path() / "missing.pem").string();
  options.key_file = cert_.key_file;
  auto made = net::make_server(options);
  ASSERT_FALSE(made.has_value());
  EXPECT_NE(made.error().message.find("missing.pem"), std::string::npos);

  start();
  options.cert_file = cert_.cert_file;
  options.port = server_->port();
  auto busy = net::make_server(options);
  ASSERT_FALSE(busy.has_value());
  EXPECT_NE(busy.error().message.find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace grievance::testing
