#!/usr/bin/env bash
# Installs what is missing, builds, makes a development certificate under certs/ if none
# exists, and serves the demo on https://localhost:8443 with its data in ./data.
# Environment: GRIEVANCE_LISTEN (default 127.0.0.1:8443), GRIEVANCE_DATA (default ./data).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/common.sh

ensure_packages "${BUILD_PACKAGES[@]}"

# The same configuration as deploy/test.sh, so switching between the two commands does not
# rebuild everything; only the server is built here.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON \
  -DCMAKE_UNITY_BUILD_BATCH_SIZE=8
cmake --build build --target grievance -j "$JOBS"

certs/make-dev-cert.sh certs

listen="${GRIEVANCE_LISTEN:-127.0.0.1:8443}"
data="${GRIEVANCE_DATA:-data}"
echo "serving the demo on https://localhost:${listen##*:} (data in $data; Ctrl-C stops)"
exec build/grievance serve --listen "$listen" --data "$data" \
  --tls-cert certs/dev-cert.pem --tls-key certs/dev-key.pem --demo
