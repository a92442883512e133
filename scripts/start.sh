#!/usr/bin/env bash
# `npm start`: set up what is missing, then run the demo — the sandbox
# (simulated upstreams), the Backstage backend (:7007) and the app (:3000)
# on SQLite with guest sign-in. Ctrl-C stops all three.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_dependencies
cd "$REPO_ROOT"

SANDBOX_PORT="${SANDBOX_PORT:-7171}"
APP_URL="http://localhost:3000"
BACKEND_URL="http://localhost:7007"

# stop every child (sandbox, backend, app) on exit
trap 'trap - EXIT INT TERM; kill 0 2>/dev/null' EXIT INT TERM

wait_for() { # wait_for URL NAME SECONDS
  local i
  for ((i = 0; i < $3; i++)); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 1
  done
  log "$2 did not come up at $1 within $3 s"
  return 1
}

log "starting the sandbox on http://127.0.0.1:$SANDBOX_PORT (scenario ${SANDBOX_SCENARIO:-demo})"
SANDBOX_PORT="$SANDBOX_PORT" yarn workspace sandbox start &
wait_for "http://127.0.0.1:$SANDBOX_PORT/healthz" sandbox 60

log "starting the Backstage backend and app"
yarn backstage-cli repo start "$@" &

(
  wait_for "$BACKEND_URL/.backstage/health/v1/readiness" backend 240 &&
    wait_for "$APP_URL" app 240 &&
    printf '\n\033[1;32mDelivery demo is up: open %s and sign in as guest.\033[0m\n\n' "$APP_URL"
) &

wait
