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
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$files" >"$work/files"

# 1. docs/<file>.md "Heading": the headings (#, ## or ###) of every document, then each
#    citation against them, in one awk (a grep per citation took most of a minute).
grep -rhoE --include='*.cpp' --include='*.hpp' --include='*.sh' --include='*.txt' \
  --include='*.cmake' --include='*.mjs' --include='*.md' --include='*.sql' -H \
  'docs/[a-z-]+\.md "[^"]+"' server storage tests deploy certs CMakeLists.txt README.md docs \
  2>/dev/null >"$work/cites" || true
for doc in docs/*.md; do
  [[ -f $doc ]] && awk -v doc="$doc" '/^#/ { print doc "\t" $0 }' "$doc"
done >"$work/headings"
awk -F'\t' -v out="$work/cite_count" '
  FILENAME == ARGV[1] { doc_of[$1] = 1; line[$1 "\t" $2] = 1; next }
  {
    where = $0; sub(/:.*/, "", where)
    cite = substr($0, length(where) + 2)
    doc = cite; sub(/ .*/, "", doc)
    heading = substr(cite, length(doc) + 3); sub(/"$/, "", heading)
    cites++
    if (!(doc in doc_of)) { print "missing document: " where " cites " doc; bad++ }
    else if (!((doc "\t# " heading) in line) && !((doc "\t## " heading) in line) &&
             !((doc "\t### " heading) in line)) {
      print "missing heading: " where " cites " doc " \"" heading "\""; bad++
    }
  }
  END { print cites + 0, bad + 0 > out }
' "$work/headings" "$work/cites"
read -r cites bad1 <"$work/cite_count"

# 2. Source files named in server/, storage/, tests/, deploy/ (the planted names of the layer
#    check's self-test excepted; #include <...> lines are not citations): every name a tracked
#    path or a suffix of one after a "/".
grep -rHnoE --include='*.cpp' --include='*.hpp' --include='*.sh' --include='*.mjs' \
  '[A-Za-z0-9_/.-]*[A-Za-z0-9_]\.(cpp|hpp)\b' server storage tests deploy 2>/dev/null \
  >"$work/names" || true
grep -rHnE --include='*.cpp' --include='*.hpp' --include='*.sh' --include='*.mjs' \
  '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' server storage tests deploy 2>/dev/null |
  awk -F: '{ print $1 ":" $2 }' >"$work/includes" || true
awk -v out="$work/name_count" '
  FILENAME == ARGV[1] {
    n = split($0, part, "/"); suffix = ""
    for (i = n; i >= 1; i--) { suffix = suffix == "" ? part[i] : part[i] "/" suffix; known[suffix] = 1 }
    next
  }
  FILENAME == ARGV[2] { skip[$0] = 1; next }
  {
    where = $0; sub(/:.*/, "", where)
    rest = substr($0, length(where) + 2)
    at = rest; sub(/:.*/, "", at)
    name = substr(rest, length(at) + 2)
    if (where == "tests/layers/check_layers.sh" || where == "tests/docs/check_citations.sh") next
    if ((where ":" at) in skip) next
    if ((where ":" name) in seen) next
    seen[where ":" name] = 1
    names++
    if (!(name in known)) { print "missing file: " where " names " name; bad++ }
  }
  END { print names + 0, bad + 0 > out }
' "$work/files" "$work/includes" "$work/names"
read -r names bad2 <"$work/name_count"
bad=$((bad1 + bad2))

echo "citations: $cites docs headings and $names file names checked, $bad unresolved"
((bad == 0))
