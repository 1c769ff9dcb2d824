// A blocking HTTPS/1.1 client for tests: real TLS (Beast ssl_stream over OpenSSL), every
// operation bounded by a timeout, raw byte access for hostile-client tests. Not thread-safe:
// one client per thread.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace grievance::testing {

namespace bhttp = boost::beast::http;
using ClientResponse = bhttp::response<bhttp::string_body>;
using ClientRequest = bhttp::request<bhttp::string_body>;

struct TlsClientOptions {
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_3_VERSION;
  std::chrono::milliseconds timeout{10000};  // for each operation
  // ALPN protocols the client offers, in order ("http/1.1", "h2"); empty: no ALPN extension.
  std::vector<std::string> alpn;
  // A session from an earlier connection to offer for resumption (SSL_set_session).
  SSL_SESSION* resume = nullptr;
  // The client socket's own address, e.g. "127.0.0.7" (loopback accepts any 127/8 source), so
  // one test can act as many clients; empty: the system chooses.
  std::string source_address;
};

class TlsClient {
 public:
  explicit TlsClient(std::uint16_t port, TlsClientOptions options = {});

  // TCP connect (no TLS yet). Returns the error, if any.
  boost::system::error_code connect_tcp();
  // TCP connect and TLS handshake.
  boost::system::error_code connect();
  // "TLSv1.2" / "TLSv1.3" after a successful handshake.
  std::string protocol() const;
  // Hex SHA-256 of the server certificate (DER) after a successful handshake.
  std::string peer_certificate_sha256();
  // The ALPN protocol the server selected; empty when none was.
  std::string alpn_protocol() const;
  // Session tickets (RFC 5077; TLS 1.3 NewSessionTicket) the server has sent so far. TLS 1.3
  // tickets arrive after the handshake: read a response first.
  int tickets_received() const { return tickets_; }
  // The current session (a new reference; SSL_SESSION_free it), for TlsClientOptions::resume.
  SSL_SESSION* session() const;
  // True when this connection resumed the session given in TlsClientOptions::resume.
  bool session_reused() const;

  // Writes one request (Host, and Content-Length when there is a body, are filled in) and
  // reads one response. On error `ec` is set and the response is empty.
  ClientResponse request(
      bhttp::verb method, std::string_view target, std::string body = {},
      std::initializer_list<std::pair<std::string_view, std::string_view>> headers = {},
      boost::system::error_code* ec = nullptr);
  boost::system::error_code write(ClientRequest& req);
  boost::system::error_code read(ClientResponse& res);

  // Raw bytes over TLS (for malformed or byte-by-byte requests) / over plain TCP.
  boost::system::error_code write_raw(std::string_view bytes);
  boost::system::error_code write_tcp(std::string_view bytes);

  // Closes the TCP connection without a TLS close_notify, as most clients leave; the TLS
  // state (and session()) stays.
  void close_tcp();

  // Waits up to `within` for the server to end the connection; true when it did (EOF, TLS
  // close or reset), false when the connection was still open at the deadline or data came.
  bool wait_closed(std::chrono::milliseconds within);

  boost::asio::ssl::context& tls_context() { return tls_; }

 private:
  template <class Initiate>
  boost::system::error_code run(std::chrono::milliseconds timeout, Initiate&& initiate);

  std::uint16_t port_;
  TlsClientOptions options_;
  boost::asio::io_context ioc_;
  boost::asio::ssl::context tls_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::vector<unsigned char> alpn_wire_;
  int tickets_ = 0;
};

// Hex SHA-256 of the (first) certificate in a PEM file, as peer_certificate_sha256() reports
// it; empty when the file holds none.
std::string certificate_file_sha256(const std::string& pem_file);

// A slowloris client: sends `request` one byte every 100 ms and reports whether the server
// cut the connection (while sending, or within `then_wait` after the last byte).
bool server_cuts_off_trickle(TlsClient& client, std::string_view request,
                             std::chrono::milliseconds then_wait);

}  // namespace grievance::testing
