#!/usr/bin/env bash
# Sourced by scripts/test.sh: installs the Debian packages the real-parts
# suites need (a real Prometheus with promtool, headless Chromium) when absent.
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v promtool >/dev/null || need+=(prometheus)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${need[*]} (needed by the integration and browser suites)"
    # the Debian service would start a Prometheus on :9090; the tests start their own
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } >&2 \
      || log "could not install ${need[*]}; the suites that need them will fail"
    # do not leave the packaged Prometheus service running on :9090
    pkill -x prometheus 2>/dev/null || true
  else
    log "missing ${need[*]}: install them (apt-get install ${need[*]}) for the integration and browser suites"
  fi
fi
