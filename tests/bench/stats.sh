#!/usr/bin/env bash
# Statistics benchmark (issue 11 item 4; docs/operations.md "Benchmarks"): GET /api/v1/stats over
# a generated database of 1,000,000 cases (`grievance generate`), each query timed side by side,
# in the same run and over the same TLS connection, with two references:
#   - GET /healthz: what any request costs (TLS, HTTP, routing, the answer's headers);
#   - a full scan: sqlite3 counting every case by status - what a query that reads every case
#     costs on this machine, the thing the indexed facts are there to avoid.
# Prints one table: the median of BENCH_ROUNDS runs of each query, and its ratio to each
# reference. Not run in CI (it needs the generated database: about an hour and 5.3 GB).
#
# usage: tests/bench/stats.sh [DATA_DIR]     (default /tmp/grievance-1m; generated if missing)
# env:   BENCH_CASES (1000000), BENCH_ROUNDS (7), GRIEVANCE_BIN (build/grievance),
#        BENCH_SWEEP (0; 1: every grouping too, about 90 questions more)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

data="${1:-/tmp/grievance-1m}"
cases="${BENCH_CASES:-1000000}"
rounds="${BENCH_ROUNDS:-7}"
binary="${GRIEVANCE_BIN:-build/grievance}"

for tool in curl sqlite3 python3 openssl; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "missing $tool: sudo apt-get install curl sqlite3 python3 openssl" >&2
    exit 1
  }
done
[[ -x "$binary" ]] || { echo "missing $binary: build first (deploy/run.sh or cmake)" >&2; exit 1; }

if [[ ! -s "$data/grievance.db" ]]; then
  echo "generating $cases cases into $data (about an hour per million)..." >&2
  "$binary" generate --data "$data" --cases "$cases" --seed 1 >&2
fi
db="$data/grievance.db"

work="$(mktemp -d /tmp/grievance-stats-bench-XXXXXX)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

certs/make-dev-cert.sh "$work" >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
password="bench password $(date +%s)"
printf '%s' "$password" >"$work/password"
auditor_org="$(sqlite3 "$db" "SELECT id FROM organisations WHERE kind = 'auditor' LIMIT 1")"
# Accounts of their own, each run (a unique e-mail: the database keeps earlier runs' accounts).
stamp="$(date +%s)"
"$binary" admin create-user --data "$data" --email "bench-admin-$stamp@bench.example" \
  --role admin --password-file "$work/password" >/dev/null
"$binary" admin create-user --data "$data" --email "bench-auditor-$stamp@bench.example" \
  --role auditor --org "$auditor_org" --password-file "$work/password" >/dev/null

"$binary" serve --listen "127.0.0.1:$port" --data "$data" --tls-cert "$work/dev-cert.pem" \
  --tls-key "$work/dev-key.pem" >"$work/server.log" 2>&1 &
pid=$!
origin="https://127.0.0.1:$port"
for _ in $(seq 1 300); do
  curl -sk -o /dev/null "$origin/healthz" && break
  sleep 0.2
done

token_of() {
  curl -sk -X POST "$origin/api/v1/session" -H 'Content-Type: application/json' \
    --data "{\"email\":\"$1\",\"password\":\"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
admin="$(token_of "bench-admin-$stamp@bench.example")"
auditor="$(token_of "bench-auditor-$stamp@bench.example")"

# The dashboard's default window over the generated history: from the first day of the month
# eleven months before the last filing's, to the end of that month (the dashboard sends today).
from="$(sqlite3 "$db" "SELECT date(max(filed_at), 'unixepoch', 'start of month', '-11 months') FROM case_facts")"
to="$(sqlite3 "$db" "SELECT date(max(filed_at), 'unixepoch', 'start of month', '+1 month', '-1 day') FROM case_facts")"
# A window that does not start on a month's first day: the rollup cannot answer it.
# (The 15th of the month a year back: "-364 days" from the last filing can fall on a first.)
from_mid="$(sqlite3 "$db" "SELECT date(max(filed_at), 'unixepoch', '-1 year', 'start of month', '+14 days') FROM case_facts")"
company="$(sqlite3 "$db" "SELECT org_id FROM case_parties WHERE role = 'responsible' GROUP BY org_id ORDER BY count(*) DESC LIMIT 1")"
site="$(sqlite3 "$db" "SELECT site_id FROM case_facts WHERE site_id IS NOT NULL GROUP BY site_id ORDER BY count(*) DESC LIMIT 1")"
window="from=$from&to=$to"

# name | token | query. The first four are the dashboard's questions for one page.
queries=(
  "dashboard 1: auditor, 12 months, no grouping|$auditor|$window"
  "dashboard 2 (default): auditor, 12 months by month|$auditor|$window&group_by=month"
  "dashboard 3: auditor, 12 months by month, category|$auditor|$window&group_by=month,category"
  "dashboard 4: auditor, 12 months by company|$auditor|$window&group_by=company"
  "admin, 12 months by month|$admin|$window&group_by=month"
  "all time, no grouping (register headline)|$auditor|"
  "all time by quarter and company|$admin|group_by=quarter,company"
  "12 months from mid-month, by month (facts)|$auditor|from=$from_mid&group_by=month"
  "all time by site and category (facts)|$admin|group_by=site,category"
  "all time by site and month (rollup, streamed)|$admin|group_by=site,month"
  "all time by category and company (facts)|$admin|group_by=category,company"
  "all time by country and outcome (facts)|$admin|group_by=country,outcome"
  "all time by sector and channel (facts)|$admin|group_by=sector,channel"
  "all time by month and status (facts)|$admin|group_by=month,status"
  "auditor, all time by site (rollup)|$auditor|group_by=site"
  "one company, all time by month (facts)|$admin|company=$company&group_by=month"
  "one site, all time by category (facts)|$admin|site=$site&group_by=category"
)

# BENCH_SWEEP=1: also every grouping of one and two dimensions over all time, and the largest
# table (by site and month) under each kind of filter, to find the slowest question there is.
if [[ "${BENCH_SWEEP:-0}" == 1 ]]; then
  dims=(month quarter company site sector country category channel status outcome)
  for a in "${dims[@]}"; do
    queries+=("sweep: by $a|$admin|group_by=$a")
    for b in "${dims[@]}"; do
      [[ "$a" == "$b" ]] && continue
      if [[ "$a" == month || "$a" == quarter ]] && [[ "$b" == month || "$b" == quarter ]]; then
        continue  # one time dimension at most
      fi
      queries+=("sweep: by $a and $b|$admin|group_by=$a,$b")
    done
  done
  for filter in channel=web country=ID sector=textile category=wages "company=$company"; do
    queries+=("sweep: $filter by site and month|$admin|$filter&group_by=site,month")
  done
fi

# Seconds of one GET, over a connection already open (curl reuses it for the second URL).
time_get() {  # token path
  curl -sk -o /dev/null -o /dev/null -H "Authorization: Bearer $1" \
    -w '%{time_total}\n' "$origin/healthz" "$origin$2" | tail -1
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
full_scan() {
  local t0 t1
  t0="$(date +%s.%N)"
  sqlite3 "$db" "SELECT status, count(*) FROM cases GROUP BY status" >/dev/null
  t1="$(date +%s.%N)"
  python3 -c "print($t1 - $t0)"
}

# The case-level export over every case (issue 11 item 3: "a million rows never held in memory"),
# once per role and format: its time, its size and what it added to the server's peak resident
# memory (VmHWM, reset through /proc/PID/clear_refs just before), before any question: a server
# that has answered tables of fifty thousand rows keeps their freed pages and would show the
# export nothing to add. BENCH_EXPORT=0 leaves it out.
if [[ "${BENCH_EXPORT:-1}" == 1 ]]; then
  kib() { awk -v f="$1:" '$1 == f {print $2}' "/proc/$pid/status"; }
  printf '%-40s %10s %12s %10s %14s %10s %12s\n' "export" "s" "MB" "rows" "RSS before MB" \
    "peak MB" "peak +MB"
  for e in "admin cases.csv|$admin|cases.csv" "auditor cases.csv|$auditor|cases.csv" \
    "admin cases.json|$admin|cases.json"; do
    IFS='|' read -r name token file <<<"$e"
    rss="$(kib VmRSS)"
    echo 5 >"/proc/$pid/clear_refs"
    out="$(curl -sk -o "$work/export" -w '%{http_code} %{time_total}' \
      -H "Authorization: Bearer $token" "$origin/api/v1/exports/$file")"
    peak="$(kib VmHWM)"
    if [[ "${out%% *}" != 200 ]]; then
      echo "$name: HTTP ${out%% *} $(head -c 300 "$work/export")" >&2
      exit 1
    fi
    if [[ "$file" == *.csv ]]; then
      rows="$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$work/export")"
    else
      rows="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["rows"]) if isinstance(d, dict) else len(d))' "$work/export")"
    fi
    printf '%-40s %10.1f %12.1f %10s %14.1f %10.1f %12.1f\n' "$name" "${out#* }" \
      "$(python3 -c "print($(stat -c %s "$work/export")/1e6)")" "$rows" \
      "$(python3 -c "print($rss/1024)")" "$(python3 -c "print($peak/1024)")" \
      "$(python3 -c "print(($peak-$rss)/1024)")"
    rm -f "$work/export"
  done
  echo
fi

total="$(sqlite3 "$db" "SELECT count(*) FROM case_facts")"
echo "statistics over $total cases, $rounds rounds each (median), 127.0.0.1 over TLS"
scan="$(for _ in $(seq 1 3); do full_scan; done | median)"
health="$(for _ in $(seq 1 "$rounds"); do time_get "$admin" /healthz; done | median)"
printf '%-52s %10s %12s %12s\n' "query" "ms" "x healthz" "x full scan"
printf '%-52s %10.1f %12s %12s\n' "reference: GET /healthz" "$(python3 -c "print($health*1000)")" 1 "-"
printf '%-52s %10.1f %12s %12s\n' "reference: full scan of the cases (sqlite3)" "$(python3 -c "print($scan*1000)")" "-" 1
for q in "${queries[@]}"; do
  IFS='|' read -r name token query <<<"$q"
  status="$(curl -sk -o "$work/answer.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    "$origin/api/v1/stats?$query")"
  if [[ "$status" != 200 ]]; then
    echo "$name: HTTP $status $(head -c 300 "$work/answer.json")" >&2
    exit 1
  fi
  t="$(for _ in $(seq 1 "$rounds"); do time_get "$token" "/api/v1/stats?$query"; done | median)"
  printf '%-52s %10.1f %12.1f %12.2f\n' "$name" "$(python3 -c "print($t*1000)")" \
    "$(python3 -c "print($t/$health)")" "$(python3 -c "print($t/$scan)")"
  if [[ "$name" == dashboard* ]]; then page="$(python3 -c "print(${page:-0} + $t)")"; fi
  if python3 -c "import sys; sys.exit(0 if $t > ${slowest_t:-0} else 1)"; then
    slowest_t="$t"
    slowest="$name"
  fi
done
printf '%-52s %10.1f %12.1f %12.2f\n' "slowest: $slowest" "$(python3 -c "print($slowest_t*1000)")" \
  "$(python3 -c "print($slowest_t/$health)")" "$(python3 -c "print($slowest_t/$scan)")"
printf '%-52s %10.1f %12.1f %12.2f\n' "the dashboard's four questions together" \
  "$(python3 -c "print($page*1000)")" "$(python3 -c "print($page/$health)")" \
  "$(python3 -c "print($page/$scan)")"

