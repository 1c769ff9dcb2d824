#include "server/net/tls_context.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

namespace grievance::net {

namespace ssl = boost::asio::ssl;

namespace {

domain::Error tls_error(std::string message) {
  return domain::Error{domain::ErrorCode::kInvalidRequest, std::move(message), {}};
}

}  // namespace

domain::Result<std::shared_ptr<ssl::context>> make_tls_context(const std::string& cert_file,
                                                               const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();

  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1) {
    return domain::fail(tls_error("cannot restrict TLS to versions 1.2 and 1.3"));
  }
  // Compression invites CRIME; renegotiation is a DoS lever and useless for HTTP/1.1 here.
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_clear_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return domain::fail(tls_error("cannot set the TLS 1.2 cipher list"));
  }
  if (SSL_CTX_set1_groups_list(native, kTlsGroups) != 1) {
    return domain::fail(tls_error("cannot set the TLS key exchange groups"));
  }
  // Only used with an RSA certificate (the DHE-RSA suites); ECDSA certificates never reach it.
  SSL_CTX_set_dh_auto(native, 1);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_SERVER);
  // No session tickets (Mozilla intermediate): a ticket key that lives as long as the process
  // would decrypt every recorded session resumed with it. SSL_OP_NO_TICKET alone still sends
  // TLS 1.3 (stateful) tickets: none at all. TLS 1.2 resumes by session id from the cache.
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET);
  if (SSL_CTX_set_num_tickets(native, 0) != 1) {
    return domain::fail(tls_error("cannot turn TLS session tickets off"));
  }
  // ALPN: http/1.1 only; a client offering only other protocols gets a fatal
  // no_application_protocol alert (ALPACA: a connection meant for another service is not
  // served here). A client offering no ALPN never reaches the callback and is served.
  SSL_CTX_set_alpn_select_cb(
      native,
      [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
         unsigned int inlen, void*) -> int {
        static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
        unsigned char* selected = nullptr;
        if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
            OPENSSL_NPN_NEGOTIATED) {
          return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
        *out = selected;
        return SSL_TLSEXT_ERR_OK;
      },
      nullptr);

  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return domain::fail(tls_error("cannot load TLS certificate chain from " + cert_file));
  }
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return domain::fail(tls_error("cannot load TLS private key from " + key_file));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return domain::fail(tls_error("TLS private key " + key_file + " does not match " + cert_file));
  }
  return ctx;
}

}  // namespace grievance::net
