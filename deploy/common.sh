# Shared by deploy/run.sh and deploy/test.sh (sourced, not executed).

# The Debian 12 packages the build needs.
BUILD_PACKAGES=(cmake ninja-build g++ libboost1.81-dev libssl-dev libsqlite3-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev ccache openssl)

# Installs the packages that are not installed yet (dpkg -s), with one apt-get update first.
# A package may be given as "pkg:command": then an existing command (e.g. npm bundled with a
# nodesource nodejs) also counts as installed.
ensure_packages() {
  local missing=() spec pkg cmd
  for spec in "$@"; do
    pkg="${spec%%:*}"
    cmd=""
    [[ "$spec" == *:* ]] && cmd="${spec#*:}"
    if [[ -n "$cmd" ]] && command -v "$cmd" >/dev/null 2>&1; then continue; fi
    if dpkg -s "$pkg" >/dev/null 2>&1; then continue; fi
    missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then return 0; fi
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends \
    "${missing[@]}"
}

# Number of parallel jobs: the project's machine has 2 cores shared with others.
JOBS="${GRIEVANCE_JOBS:-2}"
