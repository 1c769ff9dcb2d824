#!/usr/bin/env bash
# Keeps the project's own documentation and its citations true (docs/README.md):
#  - every `docs/<file>.md "Heading"` cited anywhere in the tracked tree names a file of docs/
#    and a heading (#, ## or ###) that file has;
#  - every source file named in a comment or string of server/, storage/, tests/ and deploy/
#    (`storage/sqlite/stores.hpp`, `http/errors.cpp`, `api.cpp`) exists: a path or a path
#    suffix of a tracked file. Comments that send a reader to files that are gone mislead.
# usage: tests/docs/check_citations.sh [ROOT]   exit 0 when every citation resolves
#        tests/docs/check_citations.sh --self-test  plants bad citations in a temporary tree
set -euo pipefail

# The names issue 8 found in comments (a file that was never written, one that was renamed)
# and a heading that does not exist: each must fail the check, and the clean tree must pass.
if [[ ${1:-} == --self-test ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/docs" "$tmp/server/http/api" "$tmp/tests"
  doc=doc.md  # never spelled out here: this script's own lines are checked too
  printf '# Doc\n\n## Real heading\n' >"$tmp/docs/$doc"
  printf '// docs/%s "Real heading"; server/http/api/api.cpp\n' "$doc" >"$tmp/server/http/api/api.cpp"
  if ! out=$("$0" "$tmp"); then
    echo "self-test: a clean tree was reported: $out"
    exit 1
  fi
  for planted in "// status_for() is in http/errors.cpp" "// see batch_api.cpp" \
    "// docs/${doc} \"No such heading\""; do
    printf '%s\n' "$planted" >"$tmp/tests/planted.cpp"
    if out=$("$0" "$tmp"); then
      echo "self-test: not caught: $planted"
      exit 1
    fi
  done
  echo "self-test: every planted citation was caught"
  exit 0
fi

root=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)
cd "$root"

files=$(git ls-files 2>/dev/null || find . -type f -not -path './build*' | sed 's#^\./##')
bad=0 cites=0 names=0

# 1. docs/<file>.md "Heading"
while IFS= read -r hit; do
  where=${hit%%:*}
  cite=${hit#*:}
  doc=${cite%% *}
  heading=${cite#* \"}
  heading=${heading%\"}
  cites=$((cites + 1))
  if [[ ! -f $doc ]]; then
    echo "missing document: $where cites $doc"
    bad=$((bad + 1))
  elif ! grep -qxF -e "# $heading" -e "## $heading" -e "### $heading" "$doc"; then
    echo "missing heading: $where cites $doc \"$heading\""
    bad=$((bad + 1))
  fi
done < <(grep -rhoE --include='*.cpp' --include='*.hpp' --include='*.sh' --include='*.txt' \
  --include='*.cmake' --include='*.mjs' --include='*.md' --include='*.sql' -H \
  'docs/[a-z-]+\.md "[^"]+"' server storage tests deploy certs CMakeLists.txt README.md docs 2>/dev/null |
  sed -E 's/^([^:]+):/\1:/' || true)

# 2. Source files named in server/, storage/, tests/, deploy/ (the planted names of the layer
#    check's self-test excepted).
while IFS= read -r hit; do
  where=${hit%%:*}
  name=${hit#*:}
  names=$((names + 1))
  if ! grep -qE "(^|/)${name//./\\.}\$" <<<"$files"; then
    echo "missing file: $where names $name"
    bad=$((bad + 1))
  fi
done < <(grep -rHnE --include='*.cpp' --include='*.hpp' --include='*.sh' --include='*.mjs' \
  '[A-Za-z0-9_]\.(cpp|hpp)\b' server storage tests deploy 2>/dev/null |
  grep -vE '^[^:]+:[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*<' |
  grep -vE '^tests/(layers/check_layers|docs/check_citations)\.sh:' |
  while IFS= read -r line; do
    where=${line%%:*}
    grep -oE '[A-Za-z0-9_/.-]*[A-Za-z0-9_]\.(cpp|hpp)\b' <<<"${line#*:*:}" | sed "s#^#$where:#"
  done | sort -u || true)

echo "citations: $cites docs headings and $names file names checked, $bad unresolved"
((bad == 0))
