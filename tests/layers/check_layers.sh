#!/usr/bin/env bash
# The layering rules of docs/architecture.md ("Layers"), enforced: every #include of every
# source file under server/ and storage/ must be allowed for the layer the file is in.
#
#   layer            may include (quoted)                          may include (<angle>)
#   server/domain    server/domain/                                 the C++ standard library only
#   server/crypto    server/domain/, server/crypto/                 std, OpenSSL, POSIX
#   storage          server/domain/, storage/                       std, sqlite3.h, POSIX
#   server/http      server/domain/, server/http/                   std, Boost.Beast, nlohmann/json
#   server/net       server/domain/, server/http/, server/net/      std, Boost, OpenSSL, POSIX
#   server/app,      anything: the wiring that puts the layers together
#   server/main.cpp
#
# So data flows socket -> net -> http -> domain <- storage/crypto, and a domain file that
# includes Beast, SQLite or OpenSSL, a storage file that includes http, or an http file that
# includes storage fails deploy/test.sh (ctest runs this script, and its --self-test).
#
# usage: tests/layers/check_layers.sh [ROOT]     exit 0 when clean, 1 listing each violation
#        tests/layers/check_layers.sh --self-test  plants violations in a temporary tree
set -euo pipefail

std='^[a-z_0-9]+$'            # <vector>, <cstdint>: no dot, no slash
posix='^(unistd\.h|fcntl\.h|signal\.h|poll\.h|spawn\.h|pthread\.h|time\.h|errno\.h|sys/[a-z_]+\.h|netinet/[a-z_]+\.h)$'

# allowed LAYER KIND TARGET: 0 when `#include <TARGET>` (KIND=angle) or "TARGET" (KIND=quote)
# is allowed in LAYER.
allowed() {
  local layer=$1 kind=$2 target=$3
  if [[ $kind == angle ]]; then
    [[ $target =~ $std ]] && return 0
    case $layer in
      domain) return 1 ;;
      crypto) [[ $target == openssl/* || $target =~ $posix ]] ;;
      storage) [[ $target == sqlite3.h || $target =~ $posix ]] ;;
      http) [[ $target == boost/beast/* || $target == nlohmann/* ]] ;;
      net) [[ $target == boost/* || $target == openssl/* || $target =~ $posix ]] ;;
      *) return 0 ;;
    esac
  else
    case $layer in
      domain) [[ $target == server/domain/* ]] ;;
      crypto) [[ $target == server/domain/* || $target == server/crypto/* ]] ;;
      storage) [[ $target == server/domain/* || $target == storage/* ]] ;;
      http) [[ $target == server/domain/* || $target == server/http/* ]] ;;
      net) [[ $target == server/domain/* || $target == server/http/* || $target == server/net/* ]] ;;
      *) return 0 ;;
    esac
  fi
}

# layer_of PATH: sets `layer` (no subshell: it runs for every include line of the tree).
layer_of() {
  case $1 in
    server/domain/*) layer=domain ;;
    server/crypto/*) layer=crypto ;;
    storage/*) layer=storage ;;
    server/http/*) layer=http ;;
    server/net/*) layer=net ;;
    *) layer=wiring ;;
  esac
}

check_tree() {
  local root=$1 violations=0 files rel line layer kind target
  files=$(find "$root/server" "$root/storage" -type f \( -name '*.cpp' -o -name '*.hpp' \) | wc -l)
  # One grep for every include line of every file: "path:#include ...".
  while IFS= read -r line; do
    rel=${line%%:*}
    rel=${rel#"$root"/}
    line=${line#*:}
    if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
      kind=angle target=${BASH_REMATCH[1]}
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
      kind=quote target=${BASH_REMATCH[1]}
    else
      continue
    fi
    layer_of "$rel"
    if ! allowed "$layer" "$kind" "$target"; then
      echo "layer violation: $rel ($layer) includes $target"
      violations=$((violations + 1))
    fi
  done < <(find "$root/server" "$root/storage" -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0 |
    sort -z | xargs -0 grep -H -E '^[[:space:]]*#[[:space:]]*include' || true)
  echo "checked $files files under server/ and storage/: $violations layer violation(s)"
  ((violations == 0))
}

self_test() {
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/server/domain" "$tmp/server/http" "$tmp/storage/sqlite" "$tmp/server/app"
  printf '#include <vector>\n#include "server/domain/types.hpp"\n' >"$tmp/server/domain/ok.hpp"
  printf '#include <sqlite3.h>\n#include "storage/sqlite/x.hpp"\n' >"$tmp/storage/sqlite/ok.cpp"
  printf '#include "storage/sqlite/stores.hpp"\n#include <boost/asio.hpp>\n' >"$tmp/server/app/ok.cpp"
  if ! check_tree "$tmp" >/dev/null; then
    echo "self-test: a clean tree was reported"
    return 1
  fi
  local cases=(
    "server/domain/a.hpp|#include <boost/beast/http.hpp>"
    "server/domain/b.cpp|#include <sqlite3.h>"
    "server/domain/c.cpp|#include <openssl/evp.h>"
    "server/domain/d.cpp|#include \"server/http/app.hpp\""
    "server/domain/e.cpp|#include <nlohmann/json.hpp>"
    "storage/sqlite/f.cpp|#include \"server/http/router.hpp\""
    "server/http/g.cpp|#include \"storage/sqlite/stores.hpp\""
    "server/http/h.cpp|  #  include <sqlite3.h>"
  )
  local entry path text out
  for entry in "${cases[@]}"; do
    path=${entry%%|*}
    text=${entry#*|}
    printf '%s\n' "$text" >"$tmp/$path"
    if out=$(check_tree "$tmp"); then
      echo "self-test: not caught: $path: $text"
      return 1
    fi
    grep -q "layer violation: $path" <<<"$out" || {
      echo "self-test: wrong report for $path: $out"
      return 1
    }
    rm "$tmp/$path"
  done
  echo "self-test: ${#cases[@]} planted violations caught, the clean tree passes"
}

if [[ ${1:-} == --self-test ]]; then
  self_test
else
  check_tree "$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)"
fi
