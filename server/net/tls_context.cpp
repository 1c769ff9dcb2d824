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
