// A connection's life reads top to bottom in serve_connection() (Beast's
// example/http/server/awaitable and advanced_server_flex): handshake, then a keep-alive loop of
// wait-for-request (idle timeout), read (read timeout, header and body limits), handle (inline
// or on the blocking pool), write (write timeout).
#include "server/net/server.hpp"

#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cctype>
#include <cstdio>
#include <exception>
#include <future>
#include <iterator>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "server/http/log.hpp"
#include "server/net/request_head.hpp"
#include "server/net/serialize.hpp"
#include "server/net/tls_context.hpp"

namespace grievance::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Concrete executor types on the hot path (STYLE point 2): no any_io_executor copies.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Executor>;
// asio's SSL stream straight on the socket: Beast's ssl_stream (a flat_stream to coalesce
// buffer sequences) and basic_stream (its own timers) added a layer each to every read and
// write. Net writes one buffer per response (serialize.hpp) and enforces its deadlines with
// the sweep below.
using TlsStream = ssl::stream<Socket>;
using RequestParser = bhttp::request_parser<bhttp::string_body, http::FieldAllocator<char>>;
template <class T = void>
using Task = asio::awaitable<T, Executor>;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});
constexpr std::size_t kFirstReadSize = 4096;
constexpr std::size_t kMaxReadSize = 65536;  // one read's most, as Beast's http::async_read
constexpr auto kShutdownTimeout = std::chrono::seconds(2);
constexpr auto kLingerTimeout = std::chrono::seconds(1);
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);
constexpr auto kStopGrace = std::chrono::seconds(1);
// Deadlines are checked by one sweep per worker instead of a timer per connection and step:
// re-arming a timer three times per request cost two timerfd_settime calls per request
// (measured with strace) and a timer-queue update each. Timeouts fire up to this much late.
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
using SteadyTime = std::chrono::steady_clock::time_point;
const boost::system::error_category& kHttpErrors =
    bhttp::make_error_code(bhttp::error::need_more).category();

domain::Error net_error(std::string message) {
  return domain::Error{domain::ErrorCode::kInvalidRequest, std::move(message), {}};
}

std::string client_key(const asio::ip::address& address) {
  if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
    auto bytes = address.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return asio::ip::address_v6(bytes).to_string() + "/64";
  }
  if (address.is_v6())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

// A listener on [::] sees an IPv4 client on 127.0.0.1 as ::ffff:127.0.0.1, which asio's
// is_loopback() does not count (GET /metrics trusts loopback: docs/security.md "Monitoring").
bool is_loopback_peer(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return address.is_loopback();
}

// "[::1]" for an IPv6 address, as it is written in a URL and a Host header.
std::string url_host(const asio::ip::address& address) {
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

// Request ids correlate log lines; they are not secrets, so a per-thread PRNG seeded from the
// OS is enough and keeps the hot path free of syscalls. Written over `id` in place: 16
// characters do not fit std::string's inline buffer, and the connection's RequestContext
// keeps the allocation from its first request.
void new_request_id(std::string& id) {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  id.resize(16);
  for (int i = 15; i >= 0; --i, v >>= 4) id[static_cast<std::size_t>(i)] = kHex[v & 0xf];
}

// The peer went away, or we closed it: a normal end of a connection, not worth a log line.
// Beast's comment on SSL short reads: many clients close without close_notify.
bool is_normal_end(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == ssl::error::stream_truncated ||
         ec == asio::error::eof || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::bad_descriptor || ec == beast::error::timeout ||
         ec == bhttp::error::partial_message;
}

struct Worker;

// A connection as the worker sees it, for the drain. Lives in the connection's coroutine
// frame; touched only on its worker's thread.
// Deadlines are checked every kSweepInterval, so they are read from the coarse monotonic
// clock (a few milliseconds' resolution, no TSC read): three per request.
SteadyTime coarse_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return SteadyTime(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

// OpenSSL before 3.0.14 (3.1.6, 3.2.2, 3.3.1) could free a buffer still holding part of a
// record in SSL_free_buffers (CVE-2024-4741): with those, idle connections keep their buffers.
bool ssl_free_buffers_is_safe() {
  const unsigned long v = OpenSSL_version_num();  // 0xMNN00PP0
  const unsigned long minor = (v >> 20) & 0xff, patch = (v >> 4) & 0xff;
  if ((v >> 28) > 3) return true;
  switch (minor) {
    case 0:
      return patch >= 14;
    case 1:
      return patch >= 6;
    case 2:
      return patch >= 2;
    case 3:
      return patch >= 1;
    default:
      return true;
  }
}

// A connection as the worker sees it, for the drain and the sweep. Lives in the connection's
// coroutine frame; touched only on its worker's thread.
struct Live {
  Socket* tcp = nullptr;
  SSL* ssl = nullptr;
  bool idle = true;  // handshaking or waiting for a request: may be closed on stop()
  // The current step's deadline (handshake, idle, read, write); max while the handler runs.
  SteadyTime deadline = SteadyTime::max();
  // For the sweep's release of idle TLS buffers: requests answered, and how many the last
  // sweep saw.
  bool established = false;  // the TLS handshake is done
  std::uint64_t requests = 0;
  std::uint64_t requests_at_sweep = 0;
  bool buffers_released = false;

  void expires_after(std::chrono::steady_clock::duration d) { deadline = coarse_now() + d; }
  void expires_never() { deadline = SteadyTime::max(); }
};

struct Worker {
  std::list<Live*> connections;  // only on this worker's thread; declared before ioc so that
                                 // frames destroyed by ~io_context still find it
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<Executor>> guard{ioc.get_executor()};
  std::optional<Timer> drain_timer;
  std::optional<Timer> sweep_timer;
  std::thread thread;
};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, std::shared_ptr<ssl::context> tls)
      : options_(options), tls_(std::move(tls)), pool_(options.blocking_threads) {
    const unsigned n = std::max(1u, options_.threads);
    for (unsigned i = 0; i < n; ++i) {
      workers_.push_back(std::make_unique<Worker>());
      workers_.back()->sweep_timer.emplace(workers_.back()->ioc.get_executor());
    }
    acceptor_.emplace(workers_[0]->ioc.get_executor());
  }

  ~ServerImpl() override {
    // Handlers still queued in the pool reference worker io_contexts: finish them first.
    pool_.stop();
    pool_.join();
    for (auto& w : workers_) {
      if (w->thread.joinable()) w->thread.join();
    }
    // Coroutine frames still suspended are destroyed with their io_context; their
    // Registration must not touch the drain timers any more.
    destroying_ = true;
    acceptor_.reset();
    for (auto& w : workers_) {
      w->drain_timer.reset();
      w->sweep_timer.reset();
    }
    workers_.clear();
  }

  domain::Status listen() {
    error_code ec;
    auto address =
        asio::ip::make_address(options_.host == "localhost" ? "127.0.0.1" : options_.host, ec);
    if (ec) return domain::fail(net_error("cannot parse listen address " + options_.host));
    tcp::endpoint endpoint(address, options_.port);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return domain::fail(net_error("cannot listen on " + options_.host + ":" +
                                    std::to_string(options_.port) + ": " + ec.message()));
    }
    bound_ = acceptor_->local_endpoint(ec);
    for (const char* loopback : {"localhost", "127.0.0.1", "[::1]"}) {
      allow_host(loopback, bound_.port());
    }
    if (!bound_.address().is_unspecified()) allow_host(url_host(bound_.address()), bound_.port());
    if (!options_.public_host.empty()) allow_host(options_.public_host, options_.public_port);
    return {};
  }

  void run(http::App& app) override {
    app_ = &app;
    for (auto& w : workers_) arm_sweep(*w);
    asio::co_spawn(workers_[0]->ioc.get_executor(), accept_loop(), asio::detached);
    for (std::size_t i = 1; i < workers_.size(); ++i) {
      Worker* w = workers_[i].get();
      w->thread = std::thread([this, w] { run_worker(*w); });
    }
    run_worker(*workers_[0]);
    for (std::size_t i = 1; i < workers_.size(); ++i) workers_[i]->thread.join();
    http::log_line("info", "server_stopped");
  }

  std::string host() const override { return bound_.address().to_string(); }
  std::uint16_t port() const override { return bound_.port(); }

  void stop() override {
    if (stopping_.exchange(true)) return;
    http::log_line("info", "server_draining");
    asio::post(workers_[0]->ioc, [this] {
      error_code ignored;
      acceptor_->close(ignored);
    });
    for (auto& w : workers_) {
      Worker* worker = w.get();
      asio::post(worker->ioc, [this, worker] { begin_drain(*worker); });
    }
  }

  domain::Status reload_certificate() override {
    auto fresh = make_tls_context(options_.cert_file, options_.key_file);
    if (!fresh) {
      http::log_line("error", "certificate_reload_failed", {{"reason", fresh.error().message}});
      return domain::fail(fresh.error());
    }
    {
      std::lock_guard lock(tls_mu_);
      tls_ = std::move(*fresh);
    }
    http::log_line("info", "certificate_reloaded");
    return {};
  }

  std::size_t connection_count() const override { return connections_.load(); }

 private:
  void run_worker(Worker& w) {
    for (;;) {
      try {
        w.ioc.run();
        return;
      } catch (const std::exception& e) {
        // Handlers do not throw by design; if one does, keep the worker alive.
        http::log_line("error", "worker_exception", {{"what", e.what()}});
      }
    }
  }

  std::shared_ptr<ssl::context> current_tls() {
    std::lock_guard lock(tls_mu_);
    return tls_;
  }

  Worker& next_worker() {
    Worker& w = *workers_[next_worker_];
    next_worker_ = (next_worker_ + 1) % workers_.size();
    return w;
  }

  Task<> accept_loop() {
    for (;;) {
      Worker& worker = next_worker();
      auto [ec, socket] = co_await acceptor_->async_accept(worker.ioc, kTuple);
      if (stopping_) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        // EMFILE and friends: back off instead of spinning on the same error.
        http::log_line("warn", "accept_failed", {{"reason", ec.message()}});
        Timer backoff(workers_[0]->ioc.get_executor(), kAcceptBackoff);
        co_await backoff.async_wait(kTuple);
        continue;
      }
      if (connections_.load(std::memory_order_relaxed) >= options_.max_connections) {
        error_code ignored;
        socket.close(ignored);
        continue;
      }
      connections_.fetch_add(1, std::memory_order_relaxed);
      asio::co_spawn(worker.ioc.get_executor(),
                     serve_connection(std::move(socket), current_tls(), worker), asio::detached);
    }
  }

  // A Host value (RFC 9110 7.2: host, and the port unless it is https' default 443).
  void allow_host(std::string host, std::uint16_t port) {
    std::ranges::transform(host, host.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string value : {host + ":" + std::to_string(port), port == 443 ? host : ""}) {
      if (!value.empty() && std::ranges::find(allowed_hosts_, value) == allowed_hosts_.end()) {
        allowed_hosts_.push_back(std::move(value));
      }
    }
  }

  // Absolute links come from the configured public origin, never from Host; a request for
  // another host is refused all the same, so that no answer is ever built for a name an
  // attacker chose (a cache or a proxy in front could store it under that name).
  std::optional<HeadProblem> head_problem(const http::Request& head) const {
    return net::head_problem(head, allowed_hosts_);
  }

  // Runs on the worker's thread (or before it runs). Re-arms itself until the worker drains
  // with no connection left.
  void arm_sweep(Worker& w) {
    w.sweep_timer->expires_after(kSweepInterval);
    w.sweep_timer->async_wait([this, &w](error_code ec) {
      if (ec) return;  // cancelled: the drain ended
      const auto now = coarse_now();
      std::vector<Live*> expired;
      for (Live* live : w.connections) {
        if (live->deadline <= now) expired.push_back(live);
        release_idle_buffers(*live);
      }
      // Closing cancels the connection's pending operation; its coroutine then ends.
      for (Live* live : expired) {
        live->expires_never();
        error_code ignored;
        live->tcp->close(ignored);
      }
      if (stopping_ && w.connections.empty()) return;
      arm_sweep(w);
    });
  }

  // OpenSSL's record buffers (about 34 KiB) are kept while a connection is busy: releasing
  // them after every record (SSL_MODE_RELEASE_BUFFERS, which asio sets) cost a malloc and a
  // free of 17 KiB per read and per write, about 3% of a keep-alive GET /healthz in perf.
  // A connection that has waited for its next request since the last sweep gives them back,
  // so that idle keep-alive connections stay as small as before.
  void release_idle_buffers(Live& live) const {
    const bool quiet = live.established && live.idle && live.requests == live.requests_at_sweep;
    live.requests_at_sweep = live.requests;
    if (!quiet || live.buffers_released || live.ssl == nullptr || !free_buffers_safe_) return;
    // Refuses (returns 0) while a record is partly read or written; the next sweep tries again.
    live.buffers_released = ::SSL_free_buffers(live.ssl) == 1;
  }

  // Runs on the worker's thread.
  void begin_drain(Worker& w) {
    close_connections(w, /*idle_only=*/true);
    w.guard.reset();
    if (w.connections.empty()) {
      w.sweep_timer->cancel();
      return;
    }
    w.drain_timer.emplace(w.ioc.get_executor(), options_.drain_timeout);
    w.drain_timer->async_wait([&w](error_code ec) {
      if (ec) return;  // cancelled: the last connection ended in time
      http::log_line("warn", "drain_timeout",
                     {{"connections", std::to_string(w.connections.size())}});
      close_connections(w, /*idle_only=*/false);
      w.drain_timer->expires_after(kStopGrace);
      w.drain_timer->async_wait([&w](error_code e) {
        if (!e) w.ioc.stop();
      });
    });
  }

  static void close_connections(Worker& w, bool idle_only) {
    std::vector<Live*> victims;
    for (Live* live : w.connections) {
      if (!idle_only || live->idle) victims.push_back(live);
    }
    for (Live* live : victims) {
      error_code ignored;
      live->tcp->close(ignored);
    }
  }

  // Keeps the per-worker registry and the global count true however the coroutine ends.
  class Registration {
   public:
    Registration(ServerImpl& server, Worker& worker, Live& live)
        : server_(server), worker_(worker) {
      it_ = worker_.connections.insert(worker_.connections.end(), &live);
    }
    ~Registration() {
      worker_.connections.erase(it_);
      server_.connections_.fetch_sub(1, std::memory_order_relaxed);
      if (server_.stopping_ && !server_.destroying_ && worker_.connections.empty()) {
        if (worker_.drain_timer) worker_.drain_timer->cancel();
        if (worker_.sweep_timer) worker_.sweep_timer->cancel();
      }
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    ServerImpl& server_;
    Worker& worker_;
    std::list<Live*>::iterator it_;
  };

  http::Response handle_safely(http::Request& req, const http::RequestContext& ctx,
                               const http::Dispatch& dispatch) {
    try {
      return app_->handle(req, ctx, dispatch);
    } catch (const std::exception& e) {
      http::log_line("error", "handler_exception",
                     {{"request_id", ctx.request_id}, {"what", e.what()}});
    } catch (...) {
      http::log_line("error", "handler_exception", {{"request_id", ctx.request_id}});
    }
    return app_->error_response(500, "internal", "Internal error. Incident " + ctx.request_id + ".",
                                req.version(), false);
  }

  // Runs the handler on the blocking pool and completes on the connection's worker. The
  // tracked executor keeps the worker's io_context running while the handler is away.
  template <class Token>
  auto async_handle_blocking(http::Request& req, const http::RequestContext& ctx,
                             const http::Dispatch& dispatch, Token&& token) {
    return asio::async_initiate<Token, void(http::Response)>(
        [this, &req, &ctx, dispatch](auto handler) {
          auto home = asio::prefer(asio::get_associated_executor(handler),
                                   asio::execution::outstanding_work.tracked);
          asio::post(
              pool_, [this, &req, &ctx, dispatch, home, handler = std::move(handler)]() mutable {
                http::Response res = handle_safely(req, ctx, dispatch);
                // A streamed answer's last piece is written before the connection goes on.
                if (ctx.stream != nullptr) static_cast<ChunkedStream*>(ctx.stream)->settle();
                asio::post(home, [handler = std::move(handler), res = std::move(res)]() mutable {
                  std::move(handler)(std::move(res));
                });
              });
        },
        token);
  }

  // Feeds the buffered bytes to the parser and reads more until done(parser), as Beast's
  // http::async_read does (end_of_stream when the peer closed before a request began,
  // partial_message when it closed inside one), but without a composed operation and its
  // post per call: a whole request usually arrives in one record.
  template <class Done>
  Task<error_code> read_request(TlsStream& stream, beast::flat_buffer& buffer,
                                RequestParser& parser, Done done) {
    for (;;) {
      if (buffer.size() != 0) {
        error_code ec;
        const auto used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (!ec && done(parser)) co_return ec;
        if (ec && ec != bhttp::error::need_more) co_return ec;
        if (!ec && used != 0) continue;  // progress (a header, a chunk): parse on
      }
      const auto size = beast::read_size(buffer, kMaxReadSize);
      if (size == 0) co_return bhttp::error::buffer_overflow;
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(size), kTuple);
      buffer.commit(n);
      if (ec == asio::error::eof) {
        if (!parser.got_some()) co_return bhttp::error::end_of_stream;
        error_code eof;
        parser.put_eof(eof);
        co_return eof;
      }
      if (ec) co_return ec;
    }
  }

  // A response as bytes: the head and a small body in `head`, a larger body moved to `body`.
  // Serialising before the write lets the request and the response (their header fields) be
  // freed before the write waits for the client; both strings belong to the connection.
  struct Outgoing {
    std::string head;
    std::string body;
  };
  static void serialise(http::Response& res, Outgoing& out) {
    out.head.clear();
    append_response_head(res, out.head);
    if (out.head.size() + res.body().size() <= kCoalesceLimit) {
      out.head += res.body();
    } else {
      out.body = std::move(res.body());
    }
  }

  // One buffer, so one TLS record and one send, when the response is small.
  Task<error_code> write_out(TlsStream& stream, Outgoing& out) {
    error_code ec;
    if (out.body.empty()) {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(stream, asio::buffer(out.head), kTuple);
    } else {
      const std::array<asio::const_buffer, 2> parts{asio::buffer(out.head), asio::buffer(out.body)};
      std::tie(ec, std::ignore) = co_await asio::async_write(stream, parts, kTuple);
      out.body = std::string();  // large bodies are rare: do not keep their memory
    }
    if (out.head.capacity() > 4 * kCoalesceLimit) out.head = std::string();
    co_return ec;
  }

// GCC 12 with the sanitizers inlines asio's coroutine frame allocation (aligned_alloc in
// thread_info_base::allocate) into the caller and then reports the frame's own operator
// delete (which frees it with std::free) as mismatched: a false positive, like the
// -Wmaybe-uninitialized one CMakeLists.txt already turns off for that build.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

  // Answers an error found before the request was complete, then closes: the rest of the
  // request cannot be trusted to be framed correctly.
  Task<> reject(TlsStream& stream, Live& live, Outgoing& out, unsigned status,
                std::string_view code, std::string_view message, unsigned version) {
    http::log_line("info", "request_rejected",
                   {{"status", std::to_string(status)}, {"code", code}});
    {
      http::Response res = app_->error_response(status, code, message, version, false);
      serialise(res, out);
    }
    live.expires_after(options_.write_timeout);
    if (auto ec = co_await write_out(stream, out); ec) co_return;
    // Lingering close (as nginx does): stop sending, then read and discard what the client is
    // still sending for a moment, so that closing does not reset the connection before the
    // client has read the answer.
    auto& tcp = stream.next_layer();
    error_code ignored;
    tcp.shutdown(tcp::socket::shutdown_send, ignored);
    live.expires_after(kLingerTimeout);
    std::array<char, 4096> sink;
    for (;;) {
      auto [rec, rn] = co_await tcp.async_read_some(asio::buffer(sink), kTuple);
      if (rec) break;
    }
  }

  // http::ResponseStream over this connection (docs/architecture.md "Streamed responses"): the
  // handler's thread hands each piece to the connection's I/O thread and goes on writing the
  // next while it is encrypted and sent; before handing over another it waits until the one
  // before is written, at most the write timeout (then the connection is closed under the
  // write, which ends it with an error). So one piece is in flight at a time, and a table of
  // 70 MB is written and sent at once instead of in turns. end() and settle() wait for the last
  // piece; the blocking pool settles after every handler, so no write outlives it. While the
  // handler runs, the connection's coroutine waits for it and does not touch the stream, so the
  // writes posted here are the only I/O on it.
  class ChunkedStream final : public http::ResponseStream {
   public:
    ChunkedStream(TlsStream& stream, Executor executor, std::chrono::seconds timeout)
        : stream_(stream), executor_(std::move(executor)), timeout_(timeout) {}

    void reset() { begun_ = ended_ = failed_ = false; }
    bool begun() const { return begun_; }
    bool ended_cleanly() const { return ended_ && !failed_; }

    bool begin(http::Response& head) override {
      if (begun_) return false;
      begun_ = true;
      head.erase(bhttp::field::content_length);
      head.set(bhttp::field::transfer_encoding, "chunked");
      std::string bytes;
      append_response_head(head, bytes);
      return send(std::move(bytes));
    }
    bool write(std::string_view piece) override {
      if (!begun_ || ended_ || failed_) return false;
      if (piece.empty()) return true;  // an empty chunk would end the body
      char size[20];
      const int n = std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      std::string bytes;
      bytes.reserve(static_cast<std::size_t>(n) + piece.size() + 2);
      bytes.append(size, static_cast<std::size_t>(n)).append(piece).append("\r\n");
      return send(std::move(bytes));
    }
    bool end() override {
      if (!begun_ || ended_ || failed_) return false;
      ended_ = true;
      return send("0\r\n\r\n") && settle();
    }

    // Waits until the piece in flight, if any, is written (the handler's thread). False once a
    // write failed or timed out.
    bool settle() {
      if (!written_.valid()) return !failed_;
      if (written_.wait_for(timeout_) == std::future_status::timeout) {
        // A client that stopped reading: close under the write, which then fails.
        asio::post(executor_, [this] {
          error_code ignored;
          stream_.next_layer().close(ignored);
        });
        written_.wait();
        failed_ = true;
      }
      if (written_.get()) failed_ = true;  // get() leaves it invalid: nothing in flight
      return !failed_;
    }

   private:
    // Hands `bytes` to the I/O thread once the piece before is written; returns without
    // waiting for these.
    bool send(std::string bytes) {
      if (!settle()) return false;
      in_flight_ = std::move(bytes);
      auto done = std::make_shared<std::promise<error_code>>();
      written_ = done->get_future();
      asio::post(executor_, [this, done] {
        asio::async_write(stream_, asio::buffer(in_flight_),
                          [done](error_code ec, std::size_t) { done->set_value(ec); });
      });
      return true;
    }

    TlsStream& stream_;
    Executor executor_;
    std::chrono::seconds timeout_;
    bool begun_ = false, ended_ = false, failed_ = false;
    std::string in_flight_;            // the piece being written: untouched until written_
    std::future<error_code> written_;  // valid while a piece is in flight
  };

  Task<> serve_connection(Socket socket, std::shared_ptr<ssl::context> tls, Worker& worker) {
    Live live;
    http::RequestContext ctx;
    {
      error_code ec;
      const auto peer = socket.remote_endpoint(ec);
      if (!ec) {
        ctx.client_address = client_key(peer.address());
        ctx.client_is_loopback = is_loopback_peer(peer.address());
      }
      socket.set_option(tcp::no_delay(true), ec);
    }
    TlsStream stream(std::move(socket), *tls);
    live.tcp = &stream.next_layer();
    live.ssl = stream.native_handle();
    ::SSL_clear_mode(live.ssl, SSL_MODE_RELEASE_BUFFERS);  // see release_idle_buffers()
    Registration registration(*this, worker, live);
    if (stopping_) co_return;

    live.expires_after(options_.handshake_timeout);
    if (auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple); ec) {
      co_return;
    }
    live.established = true;
    // However the connection ends (the client leaves without close_notify, a timeout), its TLS
    // 1.2 session stays in the cache for resumption: OpenSSL drops the session of an SSL freed
    // without a sent shutdown. nginx marks its connections the same way.
    struct KeepSession {
      SSL* ssl;
      ~KeepSession() { ::SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN); }
    } keep_session{live.ssl};

    beast::flat_buffer buffer;
    Outgoing out;
    ChunkedStream chunks(stream, co_await asio::this_coro::executor,
                         std::chrono::duration_cast<std::chrono::seconds>(options_.write_timeout));
    for (;;) {
      // Between requests: wait for the first byte (idle timeout). Only an idle connection may
      // be closed by the drain.
      live.idle = true;
      if (stopping_) break;
      if (buffer.size() == 0) {
        live.expires_after(options_.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstReadSize), kTuple);
        if (ec) co_return;
        buffer.commit(n);
      }
      live.idle = false;

      // The whole request must arrive within the read timeout: a client sending its headers
      // byte by byte (slowloris) is cut off.
      live.expires_after(options_.read_timeout);
      RequestParser parser;
      parser.header_limit(static_cast<std::uint32_t>(
          std::min<std::size_t>(options_.header_limit, std::numeric_limits<std::uint32_t>::max())));
      // Beast checks a Content-Length against the limit while parsing the header, before the
      // route is known: parse against the largest allowance, then apply the request's own.
      parser.body_limit(std::max(options_.body_limit, app_->largest_body_allowance()));
      auto ec = co_await read_request(stream, buffer, parser,
                                      [](const RequestParser& p) { return p.is_header_done(); });
      if (!ec) {
        if (const auto problem = head_problem(parser.get()); problem) {
          live.expires_never();  // reject() bounds its own write and lingering read
          co_await reject(stream, live, out, 400, problem->code, problem->message,
                          parser.get().version());
          co_return;
        }
      }
      // The route is matched once, here; the handler gets the answer with the request.
      http::Dispatch dispatch;
      if (!ec) dispatch = app_->route(parser.get());
      if (!ec && !parser.is_done()) {
        // A route may allow a larger, slower body to an authenticated caller (a union's
        // batch); everyone else keeps the server's limits.
        std::uint64_t limit = options_.body_limit;
        std::optional<http::App::BodyAllowance> allowance;
        if (dispatch.may_allow_larger_body)
          allowance = app_->body_allowance(parser.get(), dispatch);
        if (allowance) {
          limit = allowance->limit;
          live.expires_after(allowance->read_timeout);
        }
        if (auto length = parser.content_length(); length && *length > limit) {
          ec = bhttp::error::body_limit;
        } else {
          parser.body_limit(limit);  // chunked bodies are checked as they arrive
        }
      }
      if (!ec && !parser.is_done()) {
        if (parser.get()[bhttp::field::expect] == "100-continue") {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          auto [cec, cn] = co_await asio::async_write(
              stream, asio::buffer(kContinue.data(), kContinue.size()), kTuple);
          if (cec) co_return;
        }
        parser.eager(true);
        ec = co_await read_request(stream, buffer, parser,
                                   [](const RequestParser& p) { return p.is_done(); });
      }
      if (ec) {
        // Expected ends first: the client left (often without close_notify) or was too slow.
        if (is_normal_end(ec)) co_return;
        const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
        live.expires_never();  // reject() bounds its own write and lingering read
        if (ec == bhttp::error::body_limit) {
          co_await reject(stream, live, out, 413, "payload_too_large",
                          "The request body is too large.", version);
        } else if (ec == bhttp::error::header_limit) {
          co_await reject(stream, live, out, 431, "headers_too_large",
                          "The request headers are too large.", version);
        } else if (ec.category() == kHttpErrors) {
          co_await reject(stream, live, out, 400, "invalid_request",
                          "The request is not valid HTTP/1.1.", version);
        }
        co_return;
      }

      // The handler may wait for a group commit: no I/O deadline while it runs.
      live.expires_never();
      bool keep_alive = false;
      {
        http::Request req = parser.release();
        new_request_id(ctx.request_id);
        http::Response res;
        chunks.reset();
        if (dispatch.runs_inline) {
          ctx.stream = nullptr;  // an inline handler must not wait for its own thread's I/O
          res = handle_safely(req, ctx, dispatch);
        } else {
          ctx.stream = &chunks;
          res =
              co_await async_handle_blocking(req, ctx, dispatch, asio::use_awaitable_t<Executor>{});
          ctx.stream = nullptr;
        }
        if (chunks.begun()) {
          // Streamed: already written; the connection goes on only after a clean end.
          ++live.requests;
          live.buffers_released = false;
          if (!chunks.ended_cleanly() || !res.keep_alive() || stopping_) break;
          continue;
        }
        keep_alive = res.keep_alive() && !stopping_;
        if (!keep_alive) res.keep_alive(false);
        serialise(res, out);
      }

      live.expires_after(options_.write_timeout);
      if (auto wec = co_await write_out(stream, out); wec) co_return;
      ++live.requests;
      live.buffers_released = false;
      if (!keep_alive) break;
    }

    // A clean TLS close (close_notify), bounded: the peer may never answer it.
    live.expires_after(kShutdownTimeout);
    co_await stream.async_shutdown(kTuple);
  }
#pragma GCC diagnostic pop

  ServerOptions options_;
  http::App* app_ = nullptr;  // set by run()
  // Host header values naming this server, lower case (ServerOptions::public_host); set by
  // listen(), then only read.
  std::vector<std::string> allowed_hosts_;
  std::mutex tls_mu_;
  std::shared_ptr<ssl::context> tls_;  // GUARDED_BY(tls_mu_)
  std::vector<std::unique_ptr<Worker>> workers_;
  std::optional<Acceptor> acceptor_;  // on worker 0
  std::size_t next_worker_ = 0;       // only in accept_loop (worker 0)
  tcp::endpoint bound_;
  asio::thread_pool pool_;
  std::atomic<bool> stopping_{false};
  bool destroying_ = false;
  const bool free_buffers_safe_ = ssl_free_buffers_is_safe();
  std::atomic<std::size_t> connections_{0};
};

}  // namespace

domain::Result<std::unique_ptr<Server>> make_server(const ServerOptions& options) {
  ServerOptions resolved = options;
  if (resolved.threads == 0) resolved.threads = std::max(1u, std::thread::hardware_concurrency());
  resolved.blocking_threads = std::max(1u, resolved.blocking_threads);
  auto tls = make_tls_context(resolved.cert_file, resolved.key_file);
  if (!tls) return domain::fail(tls.error());
  auto server = std::make_unique<ServerImpl>(resolved, std::move(*tls));
  if (auto listening = server->listen(); !listening) return domain::fail(listening.error());
  return std::unique_ptr<Server>(std::move(server));
}

std::string client_key(const std::string& address_text) {
  error_code ec;
  const auto address = asio::ip::make_address(address_text, ec);
  return ec ? address_text : client_key(address);
}

}  // namespace grievance::net
