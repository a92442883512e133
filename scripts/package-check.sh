#!/usr/bin/env bash
# The packaging check (one counted check of `npm test`; also runs alone as
# `yarn package-check`): every publishable package under plugins/ has the
# fields Backstage's tooling expects (`backstage-cli repo fix --publish
# --check` plus scripts/package-check.mjs), builds with
# `backstage-cli package build`, its committed API reports
# (report*.api.md) match its public surface, the lockfile has one version of
# each Backstage package they depend on, and what `yarn pack` would publish
# is minimal and passes `npm publish --dry-run`.
# PACKAGE_CHECK_SKIP_TSC=1 skips the type check when the caller ran it
# already (the builds and the API reports read its output in dist-types/).
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
ensure_dependencies || exit 1
cd "$REPO_ROOT"

step() { printf '\033[1;34m[package-check]\033[0m %s\n' "$*" >&2; }
failed=0

mapfile -t PACKAGES < <(node -e '
  const fs = require("fs");
  for (const d of fs.readdirSync("plugins")) {
    const f = `plugins/${d}/package.json`;
    if (fs.existsSync(f) && !JSON.parse(fs.readFileSync(f, "utf8")).private) console.log(`plugins/${d}`);
  }')

step "fields: backstage-cli repo fix --publish --check"
yarn backstage-cli repo fix --publish --check || failed=1
step "fields: scripts/package-check.mjs"
node scripts/package-check.mjs || failed=1

if [ "${PACKAGE_CHECK_SKIP_TSC:-}" != 1 ]; then
  step "type declarations: yarn tsc"
  yarn tsc || failed=1
fi

step "build: backstage-cli package build in ${PACKAGES[*]}"
LOGS="$REPO_ROOT/.tmp/package-check"
mkdir -p "$LOGS"
pids=()
for dir in "${PACKAGES[@]}"; do
  log_file="$LOGS/$(basename "$dir").build.log"
  (cd "$dir" && yarn backstage-cli package build >"$log_file" 2>&1) &
  pids+=("$!:$dir:$log_file")
done
for entry in "${pids[@]}"; do
  IFS=: read -r pid dir log_file <<<"$entry"
  if ! wait "$pid"; then
    failed=1
    echo "build of $dir failed:" >&2
    tail -40 "$log_file" >&2
  fi
done
node scripts/package-check.mjs --built || failed=1

step "versions: one version of each Backstage package the packages depend on (yarn.lock)"
node scripts/install-check-probe.mjs versions . "${PACKAGES[@]/%//package.json}" || failed=1

# What would be published: `yarn pack` (prepack rewrites package.json to the
# built entry points and workspace: ranges to versions), its contents (the
# built dist, migrations, config schema, README; no tests, fixtures or dev
# folders), and `npm publish --dry-run` of the tarball.
step "contents: yarn pack, npm publish --dry-run"
PACKS="$LOGS/packs"
rm -rf "$PACKS" && mkdir -p "$PACKS"
for dir in "${PACKAGES[@]}"; do
  name=$(node -p "require('./$dir/package.json').name")
  tgz="$PACKS/$(basename "$dir").tgz"
  if ! yarn workspace "$name" pack --out "$tgz" >"$PACKS/$(basename "$dir").pack.log" 2>&1; then
    failed=1
    echo "yarn pack of $name failed:" >&2
    tail -20 "$PACKS/$(basename "$dir").pack.log" >&2
    continue
  fi
  unexpected=$(tar tzf "$tgz" | sed 's|^package/||' |
    grep -vE '^(dist/.+|migrations/[^/]+\.js|config\.(d\.ts|schema\.json)|README\.md|CHANGELOG\.md|LICENSE|package\.json)$'
    tar tzf "$tgz" | grep -E '\.test\.|(^|/)(__[a-zA-Z]+__|fixtures|dev)/|setupTests')
  if [ -n "$unexpected" ]; then
    failed=1
    echo "$name would publish files it should not:" >&2
    echo "$unexpected" | head -20 >&2
  fi
  if ! (cd "$PACKS" && npm publish --dry-run "$tgz" >"$tgz.publish.log" 2>&1); then
    failed=1
    echo "npm publish --dry-run of $name failed:" >&2
    tail -20 "$tgz.publish.log" >&2
  else
    echo "$name: $(tar tzf "$tgz" | wc -l) files, $(grep -o 'package size: .*' "$tgz.publish.log"), npm publish --dry-run passed" >&2
  fi
done

# The same options the reports were generated with (see README, Packaging):
# member-level TSDoc is not required, and API Extractor reads the sibling
# workspace packages from their sources.
step "API reports: backstage-repo-tools api-reports --ci"
yarn backstage-repo-tools api-reports --ci --allow-all-warnings \
  -o ae-undocumented,ae-wrong-input-file-type "${PACKAGES[@]}" || {
  failed=1
  echo "The public API changed: run 'yarn api-reports' and commit the updated report*.api.md files." >&2
}

[ "$failed" -eq 0 ] && step "all packaging checks passed" || step "packaging check FAILED"
exit "$failed"
