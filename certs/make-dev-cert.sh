#!/usr/bin/env bash
# Makes a self-signed DEVELOPMENT certificate for https://localhost: ECDSA P-256
# (docs/security.md "TLS and headers"), SAN localhost, 127.0.0.1 and ::1, valid 365 days. Never use it in production, never commit
# the key (.gitignore keeps certs/*.pem and *.key out of git).
#
# usage: certs/make-dev-cert.sh [DIR]   writes DIR/dev-cert.pem and DIR/dev-key.pem (mode 0600);
#                                        does nothing when both exist. DIR defaults to certs/.
set -euo pipefail

dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
cert="$dir/dev-cert.pem"
key="$dir/dev-key.pem"

if [[ -s "$cert" && -s "$key" ]]; then
  echo "development certificate exists: $cert"
  exit 0
fi

mkdir -p "$dir"
umask 077
tmp_key="$(mktemp "$dir/.dev-key.XXXXXX")"
tmp_cert="$(mktemp "$dir/.dev-cert.XXXXXX")"
trap 'rm -f "$tmp_key" "$tmp_cert"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 365 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$tmp_key" -out "$tmp_cert" 2>/dev/null

chmod 600 "$tmp_key"
chmod 644 "$tmp_cert"
mv "$tmp_key" "$key"
mv "$tmp_cert" "$cert"
trap - EXIT
echo "development certificate written: $cert (key $key, mode 0600)"
