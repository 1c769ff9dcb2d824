#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit, storage, http and integration
# tests (build/), the same minus storage under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/), then the browser tests (tests/e2e) when they exist. Fails on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/common.sh

packages=("${BUILD_PACKAGES[@]}")
if [[ -f tests/e2e/package.json ]]; then
  packages+=(chromium nodejs:node npm:npm)
fi
ensure_packages "${packages[@]}"

section() { printf '\n==== %s ====\n' "$*"; }

section "build (build/)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$JOBS"

section "tests (build/)"
(cd build && ctest --output-on-failure -j "$JOBS")

section "build with ASan + UBSan (build-asan/)"
# GCC 12 reports false -Wmaybe-uninitialized in Boost.Optional (Beast's parser) once
# -fsanitize changes inlining; the warning stays an error in the normal build above.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRIEVANCE_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS=-Wno-maybe-uninitialized
cmake --build build-asan -j "$JOBS" --target unit_tests http_tests integration_tests grievance

section "unit, http and integration tests under ASan + UBSan (build-asan/)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
(cd build-asan && ctest --output-on-failure -j "$JOBS" -L '^(unit|http|integration)$')

if [[ -f tests/e2e/package.json ]]; then
  section "browser tests (tests/e2e)"
  export GRIEVANCE_BINARY="$PWD/build/grievance"
  (
    cd tests/e2e
    if [[ -f package-lock.json ]]; then
      npm ci --no-audit --no-fund
    else
      npm install --no-audit --no-fund
    fi
    node --test
  )
fi

section "all tests passed"
