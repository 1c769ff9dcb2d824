// The server's TLS configuration (docs/security.md "TLS and headers"): TLS 1.2 and 1.3 only,
// Mozilla's "intermediate" cipher list for TLS 1.2 (OpenSSL's TLS 1.3 defaults are exactly
// Mozilla's), no compression, no renegotiation, no session tickets (TLS 1.2 resumes by session
// id), ALPN http/1.1 only, the client's cipher preference (Mozilla intermediate:
// ssl_prefer_server_ciphers off).
#pragma once

#include <memory>
#include <string>

#include "server/domain/result.hpp"

namespace boost::asio::ssl {
class context;
}

namespace grievance::net {

// https://ssl-config.mozilla.org/ "intermediate" (version 5.7).
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
inline constexpr const char* kTlsGroups = "X25519:prime256v1:secp384r1";

// A server context with the certificate chain and key loaded and checked against each other.
// Errors (kInvalidRequest): unreadable file, bad PEM, key not matching the certificate; the
// message names the file, never its contents. Thread-safe (no shared state).
domain::Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const std::string& cert_file, const std::string& key_file);

}  // namespace grievance::net
