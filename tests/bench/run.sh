#!/usr/bin/env bash
# Loopback benchmark (docs/operations.md "Benchmarks"), side by side with a reference server in one run:
# nginx-light serving a fixed 200-byte JSON with the same certificate and TLS settings, and
# `grievance serve --demo`, both loaded by wrk with the same threads and connections.
# Prints one table of requests/s and ratios. Not run in CI (absolute numbers on a shared
# machine are noise; the ratios are the result).
#
# On a machine shared with other work, BENCH_ROUNDS=N runs each comparison N times with the
# servers taking turns (nginx, grievance, nginx, ...), so that a burst of other load does not
# fall on one side only; the table shows the mean requests/s of each side over the rounds and
# each round's ratios go to stderr.
#
# usage: tests/bench/run.sh            (expects build/grievance; see deploy/run.sh)
# env:   BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_ROUNDS (1),
#        GRIEVANCE_BIN
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

duration="${BENCH_DURATION:-10s}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-32}"
rounds="${BENCH_ROUNDS:-1}"
binary="${GRIEVANCE_BIN:-build/grievance}"

for tool in wrk nginx curl openssl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "missing $tool: sudo apt-get install wrk nginx-light curl openssl" >&2
    exit 1
  fi
done
[[ -x "$binary" ]] || { echo "missing $binary: build first (deploy/run.sh or cmake)" >&2; exit 1; }

work="$(mktemp -d /tmp/grievance-bench-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

certs/make-dev-cert.sh "$work" >/dev/null
cert="$work/dev-cert.pem"
key="$work/dev-key.pem"

# ---- reference: nginx with the same certificate and TLS settings -------------------------
nginx_port="$(free_port)"
body='{"status":"ok","service":"grievance-reference","note":"a fixed body of exactly two hundred bytes for the nginx reference server in tests/bench, padded to size with this sentence and x","pad":"xxxxxx"}'
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $cert;
    ssl_certificate_key $key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers off;
    ssl_session_tickets off;  # as the server (docs/security.md "TLS and headers")
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    location / {
      default_type application/json;
      add_header Cache-Control no-store;
      return 200 '$body';
    }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work/nginx" &
pids+=($!)

# ---- grievance ---------------------------------------------------------------------------
"$binary" serve --listen 127.0.0.1:0 --data "$work/data" --tls-cert "$cert" --tls-key "$key" \
  --demo >"$work/grievance.out" 2>"$work/grievance.log" &
grievance_pid=$!
pids+=("$grievance_pid")

for _ in $(seq 1 100); do
  grep -q '^listening on' "$work/grievance.out" 2>/dev/null && break
  sleep 0.1
done
grievance_port="$(sed -n 's#^listening on https://.*:\([0-9]*\)$#\1#p' "$work/grievance.out")"
[[ -n "$grievance_port" ]] || { echo "grievance did not start:" >&2; cat "$work/grievance.log" >&2; exit 1; }
for _ in $(seq 1 50); do
  curl -sk -o /dev/null "https://127.0.0.1:$nginx_port/" && break
  sleep 0.1
done

g="https://127.0.0.1:$grievance_port"
n="https://127.0.0.1:$nginx_port"

# A case to read with a bearer token.
site="$(curl -sk "$g/api/v1/sites" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)"
country="$(curl -sk "$g/api/v1/sites" | grep -o '"country":"[A-Z]*"' | head -1 | cut -d'"' -f4)"
filed="$(curl -sk -H 'Content-Type: application/json' -d "{\"language\":\"en\",\"categories\":[\"wages\"],\"narrative\":\"Benchmark case.\",\"site_id\":$site,\"country\":\"$country\",\"anonymous\":true}" "$g/api/v1/complaints")"
reference="$(printf '%s' "$filed" | grep -o '"reference":"[^"]*"' | head -1 | cut -d'"' -f4)"
code="$(printf '%s' "$filed" | grep -o '"access_code":"[0-9]*"' | cut -d'"' -f4)"
token="$(curl -sk -H 'Content-Type: application/json' -d "{\"reference\":\"$reference\",\"access_code\":\"$code\"}" "$g/api/v1/session" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)"

# Peak RSS is measured under the load below, not at start: `--demo` hashes the demo users'
# passwords with scrypt (128 MiB each, for a moment), which is start-up, not load. Writing 5 to
# clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
echo 5 >"/proc/$grievance_pid/clear_refs" 2>/dev/null || echo "  (cannot reset VmHWM: peak includes start-up)" >&2

rps() { sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p'; }
run_wrk() { wrk -t"$threads" -c"$connections" -d"$duration" "$@" 2>&1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }

mean() { printf '%s\n' "$@" | awk '{ s += $1; n++ } END { if (n) printf "%.2f", s / n }'; }

echo "wrk -t$threads -c$connections -d$duration over loopback TLS; $(nproc) cores; $rounds round(s)" >&2
n_keeps=() g_keeps=() g_reads=() n_news=() g_news=()
for ((round = 1; round <= rounds; round++)); do
  echo "  round $round: GET /healthz (keep-alive), authenticated case read (keep-alive)..." >&2
  n_keeps+=("$(run_wrk "$n/" | rps)")
  g_keeps+=("$(run_wrk "$g/healthz" | rps)")
  g_reads+=("$(run_wrk -H "Authorization: Bearer $token" "$g/api/v1/cases/$reference" | rps)")
  echo "  round $round: new TLS connection per request..." >&2
  n_news+=("$(run_wrk -H 'Connection: close' "$n/" | rps)")
  g_news+=("$(run_wrk -H 'Connection: close' "$g/healthz" | rps)")
  if ((rounds > 1)); then
    echo "    healthz $(ratio "${g_keeps[-1]}" "${n_keeps[-1]}"), case read $(ratio "${g_reads[-1]}" "${n_keeps[-1]}"), new connection $(ratio "${g_news[-1]}" "${n_news[-1]}") of nginx" >&2
  fi
done
n_keep="$(mean "${n_keeps[@]}")"
g_keep="$(mean "${g_keeps[@]}")"
g_read="$(mean "${g_reads[@]}")"
n_new="$(mean "${n_news[@]}")"
g_new="$(mean "${g_news[@]}")"
echo "  durable complaint submissions..." >&2
post_out="$(BENCH_SITE_ID="$site" BENCH_COUNTRY="$country" run_wrk -s tests/bench/post_complaint.lua "$g/api/v1/complaints")"
g_rows="$(printf '%s\n' "$post_out" | sed -n 's/^rows\/s \([0-9.]*\)$/\1/p')"
post_counts="$(printf '%s\n' "$post_out" | sed -n 's/^created \(.*\)$/\1/p')"
rss_kb="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$grievance_pid/status")"

printf '\n%-44s %12s %12s %8s %8s\n' "scenario" "grievance" "nginx" "ratio" "goal"
printf '%-44s %12s %12s %8s %8s\n' "GET /healthz, keep-alive TLS (req/s)" "$g_keep" "$n_keep" "$(ratio "$g_keep" "$n_keep")" ">=80%"
printf '%-44s %12s %12s %8s %8s\n' "GET /api/v1/cases/{ref} bearer (req/s)" "$g_read" "$n_keep" "$(ratio "$g_read" "$n_keep")" ">=60%"
printf '%-44s %12s %12s %8s %8s\n' "new TLS connection per request (req/s)" "$g_new" "$n_new" "$(ratio "$g_new" "$n_new")" ">=90%"
printf '%-44s %12s %12s %8s %8s\n' "POST /api/v1/complaints, fsync'd (rows/s)" "$g_rows" "-" "-" "-"
printf '%-44s %12s\n' "grievance peak RSS under load (MB)" "$((rss_kb / 1024))"
printf '(complaints: created %s)\n' "$post_counts"
