# Shared by the scripts: the target directory, and installing what the build and tests need.
# Everything here is idempotent: a tool already at the right version is left alone.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build output lives outside the clone so fresh clones (CI) reuse earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gatehouse/target}"
export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION="0.21.14"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

# Debian packages, installed only when their command is missing.
apt_install() {
  local missing=()
  while [ $# -gt 0 ]; do
    command -v "$1" >/dev/null || missing+=("$2")
    shift 2
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y "${missing[@]}" >/dev/null 2>&1 || {
    as_root apt-get update >/dev/null
    as_root apt-get install -y "${missing[@]}" >/dev/null
  }
}

# The wasm-bindgen CLI must equal the wasm-bindgen library in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

setup_web_tools() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || {
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  }
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
}

setup_test_tools() {
  apt_install chromium chromium node nodejs npm npm pg_isready postgresql-client
  (cd "$ROOT/e2e" && { [ -d node_modules/playwright-core ] || { say "installing playwright-core (npm)"; npm ci --no-audit --no-fund; }; })
}

# Three bundles from the one web crate: the admin app at /, the CRM workspace and the client
# cabinet, whose assets are served from /crm/ and /cabinet/ (api/src/http/fallback.rs maps their
# routes to their shells). The admin build comes first: trunk empties its dist directory, and
# the others are inside it.
build_web() {
  say "building the web app (trunk, release profile): the admin app, the CRM workspace and the client cabinet"
  cargo fetch --manifest-path "$ROOT/Cargo.toml" >/dev/null
  (cd "$ROOT/web" && trunk build --release && trunk build crm.html --release=true --dist dist/crm --public-url /crm/ && trunk build cabinet.html --release=true --dist dist/cabinet --public-url /cabinet/)
}
