// The HTTPS listener (docs/architecture.md "Connections"; drain and reload: docs/operations.md
// "Health and signals"): TLS 1.2/1.3 only, keep-alive, a limit on everything a client controls
// (header and body size, handshake, read and idle timeouts, connection count), graceful drain and
// certificate reload.
//
// Threading (Envoy's model, STYLE point 2): `threads` workers, each running its own
// io_context. One acceptor hands every accepted socket to the next worker round-robin and the
// connection lives on that worker for its whole life, so a connection's steps are serialised
// without a strand or a lock. Requests whose handler may block on storage
// (Dispatch::runs_inline == false) run on a pool of `blocking_threads`; the connection resumes on
// its own worker with the response.
//
// This header keeps Asio/Beast out: the implementation lives in server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "server/domain/result.hpp"
#include "server/http/app.hpp"

namespace grievance::net {

struct ServerOptions {
  std::string host = "127.0.0.1";          // an IPv4/IPv6 literal or "localhost"
  std::uint16_t port = 8443;               // 0: the kernel picks a free port (see Server::port())
  std::string cert_file;                   // PEM certificate chain
  std::string key_file;                    // PEM private key
  unsigned threads = 0;                    // I/O workers; 0: std::thread::hardware_concurrency()
  unsigned blocking_threads = 16;          // pool for handlers that block on storage
  std::size_t header_limit = 8 * 1024;     // request line + headers; over: 431
  std::uint64_t body_limit = 1024 * 1024;  // request body; over: 413
  std::chrono::seconds handshake_timeout{10};  // TCP accept -> TLS established
  std::chrono::seconds read_timeout{15};       // first byte of a request -> request complete
  std::chrono::seconds idle_timeout{60};       // keep-alive: between requests
  std::chrono::seconds write_timeout{15};      // writing one response
  std::chrono::seconds drain_timeout{10};      // stop(): in-flight requests may finish this long
  std::size_t max_connections = 10000;         // further connections are closed on accept
  // The public origin's host and port (README "Configuration": public_origin). A request's
  // Host must name it, the listen address, or localhost / 127.0.0.1 / [::1] with the bound
  // port (docs/security.md "Requests"); any other Host answers 400. Empty: only those.
  std::string public_host;
  std::uint16_t public_port = 443;
};

class Server {
 public:
  virtual ~Server() = default;

  // Serves `app` until stop() is called and the drain has finished (or its bound passed). Runs
  // worker 0 on the calling thread and threads-1 more. Call at most once; `app` must outlive
  // the Server. The App is given here, not to make_server(), so that it can be built knowing
  // the bound port (the default public origin of `--listen 127.0.0.1:0`).
  virtual void run(http::App& app) = 0;

  // The bound address: the real port when ServerOptions::port was 0. Any thread.
  virtual std::string host() const = 0;
  virtual std::uint16_t port() const = 0;

  // Graceful drain: stops accepting, closes idle keep-alive connections, lets in-flight
  // requests finish and answers them with "Connection: close", then closes whatever is left
  // after drain_timeout. run() returns when done. Thread-safe, idempotent, non-blocking; may be
  // called before run().
  virtual void stop() = 0;

  // Loads cert_file/key_file again into a new TLS context used by connections accepted from
  // now on (SIGHUP). Established connections keep the old one. On error (unreadable file, key
  // not matching) the current context stays and the error is returned. Thread-safe.
  virtual domain::Status reload_certificate() = 0;

  // Open connections right now (for tests and metrics). Thread-safe.
  virtual std::size_t connection_count() const = 0;
};

// The client as the sign-in throttle counts it (RequestContext::client_address): an IPv4
// address, or an IPv6 /64 ("2001:db8:1:2::/64": one subscriber's prefix, so rotating through
// its 2^64 addresses does not reset the count); an IPv4-mapped IPv6 address counts as IPv4.
// Text that is not an address is returned unchanged.
std::string client_key(const std::string& address_text);

// Binds and listens (so port() is known as soon as this returns) and loads the certificate.
// Errors (kInvalidRequest with a one-line message): bad host, port in use, unreadable or
// mismatched certificate/key.
domain::Result<std::unique_ptr<Server>> make_server(const ServerOptions& options);

}  // namespace grievance::net
