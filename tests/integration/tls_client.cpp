#include "integration/tls_client.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <thread>

namespace grievance::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;

namespace {
// Our own ex_data slot: asio keeps its verify callback in slot 0 (SSL_set_app_data) and
// deletes whatever is there.
int client_slot() {
  static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}
}  // namespace

TlsClient::TlsClient(std::uint16_t port, TlsClientOptions options)
    : port_(port), options_(options), tls_(asio::ssl::context::tls_client), stream_(ioc_, tls_) {
  SSL_CTX* native = tls_.native_handle();
  // OpenSSL 3 refuses TLS 1.0/1.1 at security level 1; level 0 lets the test client *offer*
  // them, so that a refusal is the server's doing.
  if (options_.max_version < TLS1_2_VERSION) SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_min_proto_version(native, options_.min_version);
  SSL_CTX_set_max_proto_version(native, options_.max_version);
  tls_.set_verify_mode(asio::ssl::verify_none);
  // SSL_set_min_proto_version on the already-created SSL object too.
  SSL_set_min_proto_version(stream_.native_handle(), options_.min_version);
  SSL_set_max_proto_version(stream_.native_handle(), options_.max_version);
  if (options_.max_version < TLS1_2_VERSION) SSL_set_security_level(stream_.native_handle(), 0);
  SSL* ssl = stream_.native_handle();
  if (!options_.alpn.empty()) {
    for (const auto& protocol : options_.alpn) {
      alpn_wire_.push_back(static_cast<unsigned char>(protocol.size()));
      alpn_wire_.insert(alpn_wire_.end(), protocol.begin(), protocol.end());
    }
    SSL_set_alpn_protos(ssl, alpn_wire_.data(), static_cast<unsigned>(alpn_wire_.size()));
  }
  if (options_.resume != nullptr) SSL_set_session(ssl, options_.resume);
  // Counts every ticket the server issues (the callback runs once per NewSessionTicket).
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_set_ex_data(ssl, client_slot(), this);
  SSL_CTX_sess_set_new_cb(native, [](SSL* s, SSL_SESSION*) {
    auto* self = static_cast<TlsClient*>(SSL_get_ex_data(s, client_slot()));
    if (self != nullptr && SSL_SESSION_has_ticket(SSL_get0_session(s)) == 1) ++self->tickets_;
    return 0;  // the session is not kept by the callback
  });
}

template <class Initiate>
error_code TlsClient::run(std::chrono::milliseconds timeout, Initiate&& initiate) {
  error_code result = asio::error::would_block;
  beast::get_lowest_layer(stream_).expires_after(timeout);
  initiate([&result](error_code ec, auto&&...) { result = ec; });
  ioc_.restart();
  ioc_.run();
  return result;
}

error_code TlsClient::connect_tcp() {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
  if (!options_.source_address.empty()) {
    auto& socket = beast::get_lowest_layer(stream_).socket();
    error_code ec;
    if (socket.open(asio::ip::tcp::v4(), ec); ec) return ec;
    if (socket.bind({asio::ip::make_address(options_.source_address), 0}, ec); ec) return ec;
  }
  return run(options_.timeout, [&](auto handler) {
    beast::get_lowest_layer(stream_).async_connect(endpoint, std::move(handler));
  });
}

error_code TlsClient::connect() {
  if (auto ec = connect_tcp()) return ec;
  return run(options_.timeout, [&](auto handler) {
    stream_.async_handshake(asio::ssl::stream_base::client, std::move(handler));
  });
}

std::string TlsClient::protocol() const {
  return SSL_get_version(
      const_cast<SSL*>(const_cast<beast::ssl_stream<beast::tcp_stream>&>(stream_).native_handle()));
}

namespace {
// Hex SHA-256 of the certificate's DER; takes ownership of `cert`.
std::string sha256_of(X509* cert) {
  if (cert == nullptr) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(cert, EVP_sha256(), digest, &length);
  X509_free(cert);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}
}  // namespace

std::string TlsClient::peer_certificate_sha256() {
  return sha256_of(SSL_get1_peer_certificate(stream_.native_handle()));
}

std::string certificate_file_sha256(const std::string& pem_file) {
  FILE* file = std::fopen(pem_file.c_str(), "r");
  if (file == nullptr) return {};
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  return sha256_of(cert);
}

std::string TlsClient::alpn_protocol() const {
  const unsigned char* data = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(const_cast<beast::ssl_stream<beast::tcp_stream>&>(stream_).native_handle(),
                         &data, &length);
  return data == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(data), length);
}

SSL_SESSION* TlsClient::session() const {
  return SSL_get1_session(
      const_cast<beast::ssl_stream<beast::tcp_stream>&>(stream_).native_handle());
}

bool TlsClient::session_reused() const {
  return SSL_session_reused(
             const_cast<beast::ssl_stream<beast::tcp_stream>&>(stream_).native_handle()) == 1;
}

error_code TlsClient::write(ClientRequest& req) {
  return run(options_.timeout,
             [&](auto handler) { bhttp::async_write(stream_, req, std::move(handler)); });
}

error_code TlsClient::read(ClientResponse& res) {
  return run(options_.timeout,
             [&](auto handler) { bhttp::async_read(stream_, buffer_, res, std::move(handler)); });
}

ClientResponse TlsClient::request(
    bhttp::verb method, std::string_view target, std::string body,
    std::initializer_list<std::pair<std::string_view, std::string_view>> headers,
    error_code* ec_out) {
  ClientRequest req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == bhttp::verb::post) {
    req.body() = std::move(body);
    req.prepare_payload();
  }
  ClientResponse res;
  error_code ec = write(req);
  if (!ec) ec = read(res);
  if (ec) res = {};
  if (ec_out) *ec_out = ec;
  return res;
}

error_code TlsClient::write_raw(std::string_view bytes) {
  return run(options_.timeout, [&](auto handler) {
    asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
  });
}

error_code TlsClient::write_tcp(std::string_view bytes) {
  return run(options_.timeout, [&](auto handler) {
    asio::async_write(beast::get_lowest_layer(stream_), asio::buffer(bytes.data(), bytes.size()),
                      std::move(handler));
  });
}

void TlsClient::close_tcp() {
  error_code ignored;
  beast::get_lowest_layer(stream_).socket().close(ignored);
}

bool TlsClient::wait_closed(std::chrono::milliseconds within) {
  // Raw TCP reads: a close_notify or alert record is just bytes here; the end is EOF or reset.
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::array<char, 4096> sink;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    error_code ec = run(left, [&](auto handler) {
      beast::get_lowest_layer(stream_).async_read_some(asio::buffer(sink), std::move(handler));
    });
    if (ec) return ec != beast::error::timeout;
  }
}

bool server_cuts_off_trickle(TlsClient& client, std::string_view request,
                             std::chrono::milliseconds then_wait) {
  for (char byte : request) {
    if (client.write_raw(std::string_view(&byte, 1))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return client.wait_closed(then_wait);
}

}  // namespace grievance::testing
