#!/usr/bin/env bash
# `npm test`: set up the toolchain and dependencies, then run every check and
# every test suite. Exits non-zero on any failure and ends with one line
# `N passed, N failed[, N skipped]` that sums all suites (each static check —
# type check, lint, prettier, no path outside the repository, packaging —
# counts as one; so does the install check, as passed, failed or skipped, and
# the line before the summary says which and why). A runner whose report
# cannot be read counts as failed.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
ensure_dependencies || { echo "0 passed, 1 failed"; exit 1; }
source "$REPO_ROOT/scripts/system-deps.sh"

export CI=true
OUT="$REPO_ROOT/.tmp/test-results"
rm -rf "$OUT" && mkdir -p "$OUT"
PASSED=0 FAILED=0 SKIPPED=0
FAILURES=()
FLAKY=()

section() { printf '\n\033[1;36m=== %s ===\033[0m\n' "$*"; }
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); SKIPPED=$((SKIPPED + $3)); }

# count_report NAME RC "P F S": adds a runner's counts; a report that could
# not be read (no numbers) counts as one failure, as does a runner that
# failed without reporting a failed test.
count_report() {
  local name=$1 rc=$2 p f s
  read -r p f s <<<"$3"
  if ! [[ "$p" =~ ^[0-9]+$ && "$f" =~ ^[0-9]+$ && "$s" =~ ^[0-9]+$ ]]; then
    echo "could not read the report of: $name" >&2
    count 0 1 0
    FAILURES+=("$name (unreadable report)")
    return
  fi
  count "$p" "$f" "$s"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then count 0 1 0; fi
  [ "$rc" -eq 0 ] || FAILURES+=("$name")
}

check() { # check NAME CMD...
  local name=$1; shift
  section "$name"
  if "$@"; then count 1 0 0; else count 0 1 0; FAILURES+=("$name"); fi
}

# jest_suite NAME JSON_FILE CMD... : counts the tests jest reports in its JSON
jest_suite() {
  local name=$1 json=$2; shift 2
  section "$name"
  rm -f "$json"
  "$@" --json --outputFile="$json"
  local rc=$?
  count_report "$name" "$rc" "$(node -e '
      const r = require(process.argv[1]);
      // a suite that failed to run (syntax error, setup crash) has no tests
      const broken = r.testResults.filter(t => t.status === "failed" && t.assertionResults.length === 0).length;
      console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
    ' "$json" 2>/dev/null)"
}

cd "$REPO_ROOT"
check "type check (tsc)" yarn tsc
check "lint" yarn lint:all
check "prettier" yarn prettier:check
check "no path outside the repository" node scripts/check-repo-paths.mjs
# packaging: fields, `backstage-cli package build` and the API reports of the
# publishable plugins (reads the declarations the type check just emitted)
check "packaging (fields, builds, API reports)" env PACKAGE_CHECK_SKIP_TSC=1 bash scripts/package-check.sh
jest_suite "unit and integration tests (all packages)" "$OUT/jest.json" \
  yarn backstage-cli repo test --passWithNoTests=false

# playwright_suite NAME JSON_FILE CMD... : counts the tests of a Playwright JSON report
playwright_suite() {
  local name=$1 json=$2; shift 2
  section "$name"
  rm -f "$json"
  "$@"
  local rc=$?
  count_report "$name" "$rc" "$(node -e '
      const { stats } = require(process.argv[1]);
      console.log(stats.expected + stats.flaky, stats.unexpected, stats.skipped);
    ' "$json" 2>/dev/null)"
  # a test that passed only on its retry (playwright.config.ts) is named
  local flaky
  flaky=$(node -e '
      const walk = s => [...(s.specs ?? []).filter(t => t.tests.some(x => x.status === "flaky")).map(t => `${t.file}: ${t.title}`), ...(s.suites ?? []).flatMap(walk)];
      console.log(require(process.argv[1]).suites.flatMap(walk).join("\n"));
    ' "$json" 2>/dev/null)
  if [ -n "$flaky" ]; then
    FLAKY+=("$flaky")
    printf 'passed only on retry (flaky):\n%s\n' "$flaky"
  fi
}

# The browser suite starts the demo itself (scripts/start.sh) on :3000/:7007/:7171.
playwright_suite "end-to-end tests (Chromium against the demo)" "$OUT/e2e.json" \
  yarn playwright test

# The install check (README "Install into your Backstage", both app styles)
# takes many minutes, so it runs only when something it exercises changed
# since its last passing run (scripts/surface-fingerprint.mjs: the plugins'
# source, package.json and config schema, the sandbox, the pins and lockfile,
# the README section, the check itself). A skip counts as skipped.
section "install check (when something it exercises changed)"
if why=$(node scripts/surface-fingerprint.mjs --check); then
  INSTALL_CHECK="skipped: $why"
  echo "$INSTALL_CHECK"
  count 0 0 1
else
  echo "runs: $why"
  if bash scripts/install-check.sh; then
    INSTALL_CHECK="ran and passed ($why)"
    count 1 0 0
  else
    INSTALL_CHECK="ran and FAILED ($why)"
    count 0 1 0
    FAILURES+=("install check (README steps in new Backstage apps, both styles)")
  fi
fi

section "summary"
echo "install check: $INSTALL_CHECK"
if [ ${#FAILURES[@]} -gt 0 ]; then printf 'failed: %s\n' "${FAILURES[@]}"; fi
if [ ${#FLAKY[@]} -gt 0 ]; then printf 'flaky (passed on retry): %s\n' "${FLAKY[@]}"; fi
line="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
echo "$line"
[ "$FAILED" -eq 0 ] && [ ${#FAILURES[@]} -eq 0 ]
