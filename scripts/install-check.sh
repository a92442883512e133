#!/usr/bin/env bash
# `npm run install-check`: installs this repository's packages into brand-new
# Backstage apps by following the README's "Install into your Backstage"
# section, and proves each app (README, "The install check"):
#   new     Backstage 1.55 (create-app 0.9.2), new frontend system, an app
#           that already runs the community Argo CD plugin: only its
#           `argocd:` block (username/password) and argocd-annotated
#           entities, no `delivery.argocd` (README step 3 B); its built
#           frontend is opened in Chromium
#   legacy  Backstage 1.55, legacy frontend app, `delivery.argocd` (step 3 A)
#   prev    Backstage 1.54 (create-app 0.9.1, the previous release), new
#           frontend system, `delivery.argocd` (step 3 A): the ranges
# Each: the packed packages' Backstage ranges admit the app's versions,
# one version of each of them in the app's yarn.lock, `yarn tsc`, the backend starts against the
# sandbox and logs which Argo CD block it read, the overview of an entity
# annotated only with `argocd/app-name` answers 200, and the scaffolder
# module's dry run against the configured instance succeeds.
#
# Env: INSTALL_CHECK_CASES (default "new legacy prev"), INSTALL_CHECK_DIR
# (work folder, default a new temporary one), INSTALL_CHECK_KEEP=1 keeps it.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
ensure_dependencies || exit 1
cd "$REPO_ROOT"

ALL_CASES=(new legacy prev)
CASES=(${INSTALL_CHECK_CASES:-${ALL_CASES[*]}})
declare -A CREATE_APP=([new]=0.9.2 [legacy]=0.9.2 [prev]=0.9.1)
declare -A RELEASE=([new]=1.55 [legacy]=1.55 [prev]=1.54)
declare -A FLAGS=([new]="" [legacy]=--legacy [prev]="")
declare -A TAGS=([new]=new-frontend,existing-argocd [legacy]=legacy-frontend,new-argocd [prev]=new-frontend,new-argocd)
declare -A TITLE=(
  [new]="Backstage 1.55, new frontend system, existing community argocd: block"
  [legacy]="Backstage 1.55, legacy frontend app, delivery.argocd"
  [prev]="Backstage 1.54, new frontend system, delivery.argocd"
)
BROWSER_CASES=" new "
RESOLUTIONS_155=$REPO_ROOT/packages/test-data/backstage-1.55-resolutions.json
# Packages of create-app 0.9.1 (Backstage 1.54) whose 1.54 version the
# registry here (a partial mirror) does not hold: the 1.54 app takes their
# 1.55 version. Others found missing are added the same way, and logged.
MISSING_154=(@backstage/plugin-kubernetes-backend @backstage/plugin-org)
PACKAGES=(delivery-common delivery-node delivery delivery-backend scaffolder-backend-module-delivery)
WORK=${INSTALL_CHECK_DIR:-$(mktemp -d /tmp/delivery-install-check.XXXXXX)}
# The apps are new, with no yarn.lock yet: their installs must be allowed to
# write one even where CI=true makes Yarn's installs immutable by default.
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
mkdir -p "$WORK"
START=$(date +%s)

step() { printf '\033[1;34m[install-check %4ss]\033[0m %s\n' "$(($(date +%s) - START))" "$*" >&2; }
die() { step "FAILED: $*"; exit 1; }
free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_for() { # wait_for URL SECONDS
  local i
  for ((i = 0; i < $2; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}
set_resolutions() { # set_resolutions JSON_FILE (merged into ./package.json)
  node -e '
    const fs = require("fs");
    const add = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    pkg.resolutions = { ...pkg.resolutions, ...add };
    fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
  ' "$1"
}

PIDS=()
create_pids=()
kill_tree() { # kill_tree PID: the process and everything it started
  local child
  for child in $(pgrep -P "$1"); do kill_tree "$child"; done
  kill "$1" 2>/dev/null
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
  for pid in "${create_pids[@]}"; do kill_tree "$pid"; done
  [ "${INSTALL_CHECK_KEEP:-}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for c in "${CASES[@]}"; do [ -n "${CREATE_APP[$c]:-}" ] || die "unknown case $c (cases: ${ALL_CASES[*]})"; done
[ -f "$RESOLUTIONS_155" ] || die "missing $RESOLUTIONS_155 (the Backstage 1.55 resolutions, see packages/test-data/README.md)"

# 1. Brand-new apps from create-app, each pinned to its release's package
#    set, installed in parallel.
#    1.55: packages/test-data/backstage-1.55-resolutions.json (create-app
#    0.9.2's package set). 1.54: the versions create-app 0.9.1 writes into the
#    app's package.json files (its ^x.y.z ranges, pinned to x.y.z).
pin_154() {
  node -e '
    const fs = require("fs");
    const [r155, ...missing] = process.argv.slice(1);
    const v155 = JSON.parse(fs.readFileSync(r155, "utf8"));
    const pins = {};
    for (const f of ["package.json", "packages/app/package.json", "packages/backend/package.json"]) {
      const pkg = JSON.parse(fs.readFileSync(f, "utf8"));
      for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
        const m = /^\^?(\d+\.\d+\.\d+)$/.exec(range);
        if (name.startsWith("@backstage/") && m) pins[name] = m[1];
      }
    }
    for (const name of missing) pins[name] = v155[name];
    fs.writeFileSync("../pins-prev.json", JSON.stringify(pins, null, 2) + "\n");
  ' "$RESOLUTIONS_155" "${MISSING_154[@]}"
}
create_app() { # create_app CASE
  local c=$1 dir="$WORK/app-$1" i missing v
  (
    cd "$WORK" &&
      BACKSTAGE_APP_NAME="delivery-check-$c" npx -y "@backstage/create-app@${CREATE_APP[$c]}" \
        ${FLAGS[$c]} --path "app-$c" --skip-install &&
      cd "$dir" || exit 1
    if [ "${RELEASE[$c]}" = 1.55 ]; then
      set_resolutions "$RESOLUTIONS_155" && yarn install
      exit
    fi
    pin_154 && set_resolutions ../pins-prev.json || exit 1
    for ((i = 0; i < 6; i++)); do
      yarn install >"$WORK/yarn-install-$c.log" 2>&1 && { cat "$WORK/yarn-install-$c.log"; exit 0; }
      cat "$WORK/yarn-install-$c.log"
      missing=$(grep -o '@backstage/[a-z0-9-]*@npm:[0-9.]*: No candidates found' "$WORK/yarn-install-$c.log" | head -1 | sed 's/@npm:.*//')
      v=$(node -e 'console.log(require(process.argv[1])[process.argv[2]] ?? "")' "$RESOLUTIONS_155" "$missing" 2>/dev/null)
      [ -n "$missing" ] && [ -n "$v" ] || exit 1
      echo "[install-check] $missing: its 1.54 version is not in the registry, pinned to its 1.55 version $v" | tee -a "$WORK/substituted-$c.log"
      echo "{\"$missing\": \"$v\"}" >"$WORK/sub.json" && set_resolutions "$WORK/sub.json" || exit 1
    done
    exit 1
  ) >"$WORK/create-$c.log" 2>&1
}
step "creating app(s) ${CASES[*]} with @backstage/create-app and yarn install, in parallel (logs in $WORK/create-*.log)"
for c in "${CASES[@]}"; do
  create_app "$c" &
  create_pids+=("$!")
done

# 2. Meanwhile, pack the packages as they would be published: build, then
#    `yarn pack` (its prepack/postpack rewrite package.json to the built
#    entry points).
step "building the packages (yarn tsc, backstage-cli package build)"
yarn tsc >"$WORK/tsc.log" 2>&1 || { tail -30 "$WORK/tsc.log"; die "yarn tsc of this repository"; }
mkdir -p "$WORK/packs"
echo '{' >"$WORK/tarballs.json"
for short in "${PACKAGES[@]}"; do
  name="@gitops-delivery/backstage-plugin-$short"
  step "yarn pack $name"
  (cd "plugins/$short" && yarn backstage-cli package build >"$WORK/build-$short.log" 2>&1) ||
    { tail -30 "$WORK/build-$short.log"; die "build of $name"; }
  yarn workspace "$name" pack --out "$WORK/packs/$short.tgz" >"$WORK/pack-$short.log" 2>&1 ||
    { tail -30 "$WORK/pack-$short.log"; die "yarn pack of $name"; }
  printf '  "%s": "%s",\n' "$name" "$WORK/packs/$short.tgz" >>"$WORK/tarballs.json"
done
sed -i '$ s/,$//' "$WORK/tarballs.json" && echo '}' >>"$WORK/tarballs.json"

for i in "${!CASES[@]}"; do
  c=${CASES[$i]}
  wait "${create_pids[$i]}" || { tail -30 "$WORK/create-$c.log"; die "creating the $c app"; }
  [ -f "$WORK/substituted-$c.log" ] && cat "$WORK/substituted-$c.log" >&2
done
create_pids=()
step "apps created and installed"

# 3. The sandbox, on a free port (the demo may hold 7171).
SANDBOX_PORT=$(free_port)
step "starting the sandbox on 127.0.0.1:$SANDBOX_PORT"
SANDBOX_PORT=$SANDBOX_PORT setsid yarn workspace sandbox start >"$WORK/sandbox.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$SANDBOX_PORT/healthz" 120 || die "the sandbox did not start"
export ARGOCD_URL="http://127.0.0.1:$SANDBOX_PORT/argocd/main" ARGOCD_TOKEN=sandbox-demo-token
export ARGOCD_USERNAME=admin ARGOCD_PASSWORD=sandbox-password

RESULTS=()
EVIDENCE=()
for c in "${CASES[@]}"; do
  dir="$WORK/app-$c"
  step "=== $c app: ${TITLE[$c]} (create-app ${CREATE_APP[$c]})"
  # The shared packages (-common, -node) are dependencies of the packed
  # plugins and are not published either: the app resolves them to their
  # tarballs.
  (cd "$dir" && node -e '
    const fs = require("fs");
    const tarballs = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const shared = ["common", "node"].map(s => `@gitops-delivery/backstage-plugin-delivery-${s}`);
    pkg.resolutions = { ...pkg.resolutions, ...Object.fromEntries(shared.map(n => [n, `file:${tarballs[n]}`])) };
    fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
  ' "$WORK/tarballs.json") || die "$c app: resolution of the shared packages"

  # The app as it was before the install (test data, not an install step):
  # the entity to look at, annotated only with argocd/app-name, in the
  # catalog file the app's config already reads; for an app with the
  # community Argo CD plugin, its `argocd:` block and a second entity found
  # by argocd/app-selector.
  cat >>"$dir/examples/entities.yaml" <<'EOF'
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search
  annotations:
    argocd/app-name: search-production
spec:
  type: service
  lifecycle: production
  owner: guests
EOF
  if [[ ${TAGS[$c]} == *existing-argocd* ]]; then
    cat >>"$dir/examples/entities.yaml" <<'EOF'
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-by-selector
  annotations:
    argocd/app-selector: app=search
spec:
  type: service
  lifecycle: production
  owner: guests
EOF
    cat >>"$dir/app-config.yaml" <<'EOF'

# the community Argo CD plugin's configuration, as the app had it
argocd:
  username: ${ARGOCD_USERNAME}
  password: ${ARGOCD_PASSWORD}
  appLocatorMethods:
    - type: config
      instances:
        - name: main
          url: ${ARGOCD_URL}
EOF
    step "$c app: before the install it has the community plugin's argocd: block (username/password, instance main) and entities annotated argocd/app-name and argocd/app-selector; no delivery.argocd"
  fi

  # 4. The README's steps, exactly as written there.
  step "$c app: applying the README's \"Install into your Backstage\" steps for ${TAGS[$c]}"
  node scripts/install-check-apply.mjs README.md "$dir" "${TAGS[$c]}" "$WORK/tarballs.json" 2>&1 | tee "$WORK/steps-$c.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "$c app: a README step failed"
  grep -q 'delivery:' "$dir/app-config.yaml" && [[ ${TAGS[$c]} == *existing-argocd* ]] &&
    die "$c app: a README step added delivery: to an app that keeps its argocd: block"

  # 5. One copy of every Backstage package, the app's own version check and
  #    type check.
  step "$c app: Backstage dependency ranges of the packed packages"
  node scripts/install-check-probe.mjs ranges "$dir" "$WORK/tarballs.json" >"$WORK/ranges-$c.txt" 2>&1 ||
    { cat "$WORK/ranges-$c.txt"; die "$c app: a dependency range does not admit the app's version"; }
  step "$c app: $(cat "$WORK/ranges-$c.txt")"
  # (what `backstage-cli versions:check` did; CLI 0.36 has no such command)
  node scripts/install-check-probe.mjs versions "$dir" "$WORK"/packs/*.tgz >"$WORK/versions-$c.txt" 2>&1 ||
    { cat "$WORK/versions-$c.txt"; die "$c app: a Backstage package has two versions"; }
  step "$c app: $(cat "$WORK/versions-$c.txt")"
  step "$c app: yarn tsc"
  (cd "$dir" && yarn tsc) >"$WORK/tsc-$c.log" 2>&1 || { tail -40 "$WORK/tsc-$c.log"; die "$c app: yarn tsc"; }

  port=$(free_port)
  base="http://localhost:$port"
  cat >"$dir/app-config.check.yaml" <<EOF
app:
  baseUrl: $base
backend:
  baseUrl: $base
  listen:
    port: $port
  cors:
    origin: $base
EOF
  if [[ $BROWSER_CASES == *" $c "* ]]; then
    step "$c app: building the frontend (yarn --cwd packages/app build), which its backend serves"
    (cd "$dir/packages/app" && yarn build --config ../../app-config.yaml --config ../../app-config.check.yaml) >"$WORK/app-build-$c.log" 2>&1 ||
      { tail -40 "$WORK/app-build-$c.log"; die "$c app: frontend build"; }
  fi

  # 6. Its backend against the sandbox, on a free port.
  step "$c app: starting its backend on :$port"
  (cd "$dir/packages/backend" && setsid yarn start --config ../../app-config.yaml --config ../../app-config.check.yaml) >"$WORK/backend-$c.log" 2>&1 &
  backend_pid=$!
  PIDS+=("$backend_pid")
  wait_for "$base/.backstage/health/v1/readiness" 600 || { tail -40 "$WORK/backend-$c.log"; die "$c app: the backend did not become ready"; }
  read_line=$(grep -o 'Delivery reads its Argo CD instances from [^"]*' "$WORK/backend-$c.log" | head -1)
  [ -n "$read_line" ] || { tail -40 "$WORK/backend-$c.log"; die "$c app: no start-up line saying which Argo CD block was read"; }
  if [[ ${TAGS[$c]} == *existing-argocd* ]]; then
    [[ $read_line == *"from the argocd: block"* ]] || die "$c app: expected the argocd: block to be read: $read_line"
  else
    [[ $read_line == *"from delivery.argocd"* ]] || die "$c app: expected delivery.argocd to be read: $read_line"
  fi
  grep -q 'Delivery ignores the argocd: block' "$WORK/backend-$c.log" && die "$c app: a block was ignored"
  step "$c app: backend log: $read_line"

  token=$(curl -fsS "$base/api/auth/guest/refresh" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).backstageIdentity.token))') ||
    die "$c app: no guest token"
  entities=(search)
  [[ ${TAGS[$c]} == *existing-argocd* ]] && entities+=(search-by-selector)
  summary=""
  for entity in "${entities[@]}"; do
    url="$base/api/delivery/v1/entities/default/component/$entity/overview"
    status=000
    for ((i = 0; i < 120; i++)); do
      status=$(curl -s -o "$WORK/overview-$c-$entity.json" -w '%{http_code}' -H "authorization: Bearer $token" "$url")
      [ "$status" = 200 ] && break
      sleep 2 # the catalog ingests examples/entities.yaml a little after start-up
    done
    [ "$status" = 200 ] || { cat "$WORK/overview-$c-$entity.json"; die "$c app: GET $url answered $status"; }
    node -e '
      const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const apps = o.environments.flatMap(e => e.applications.map(a => a.name));
      if (!apps.includes("search-production")) { console.error("overview without search-production:", JSON.stringify(o).slice(0, 500)); process.exit(1); }
      console.log(`environments: ${o.environments.map(e => e.name).join(", ")}; applications: ${apps.join(", ")}; sources: ${o.sources.map(s => `${s.source}${s.instance ? `/${s.instance}` : ""}=${s.status}`).join(", ")}`);
    ' "$WORK/overview-$c-$entity.json" >"$WORK/overview-$c-$entity.txt" || die "$c app: the overview of $entity does not show search-production"
    step "$c app: GET /api/delivery/v1/entities/default/component/$entity/overview -> 200 ($(cat "$WORK/overview-$c-$entity.txt"))"
    summary="$summary overview($entity) 200: $(cat "$WORK/overview-$c-$entity.txt");"
  done

  step "$c app: scaffolder dry run of delivery:argocd:create-application on instance main"
  node scripts/install-check-probe.mjs dry-run "$base" main >"$WORK/dry-run-$c.txt" 2>&1 ||
    { cat "$WORK/dry-run-$c.txt"; tail -20 "$WORK/backend-$c.log"; die "$c app: scaffolder dry run"; }
  step "$c app: POST /api/scaffolder/v2/dry-run -> $(cat "$WORK/dry-run-$c.txt")"
  summary="$summary dry run: $(cat "$WORK/dry-run-$c.txt");"

  if [[ $BROWSER_CASES == *" $c "* ]]; then
    step "$c app: the built frontend in Chromium"
    node scripts/install-check-probe.mjs browser "$base" /catalog/default/component/search "$WORK/tab-$c.png" >"$WORK/browser-$c.txt" 2>&1 ||
      { cat "$WORK/browser-$c.txt"; die "$c app: the Delivery tab in Chromium"; }
    step "$c app: $(cat "$WORK/browser-$c.txt")"
    summary="$summary Chromium: Delivery tab shown;"
  fi
  kill -- "-$backend_pid" 2>/dev/null
  wait "$backend_pid" 2>/dev/null
  versions=$(node -e '
    const v = n => { try { return require(require("path").join(process.argv[1], "node_modules", n, "package.json")).version; } catch { return "none"; } };
    console.log(["@backstage/backend-plugin-api", "@backstage/core-plugin-api", "@backstage/frontend-plugin-api", "@backstage/plugin-catalog-react", "@backstage/plugin-scaffolder-node"].map(n => `${n.replace("@backstage/", "")} ${v(n)}`).join(", "))
  ' "$dir")
  RESULTS+=("$c app (${TITLE[$c]}; $versions): README steps applied, ranges admit its versions, one version of each, yarn tsc passed, $read_line;$summary")
  EVIDENCE+=("$c: Backstage ${RELEASE[$c]} (create-app ${CREATE_APP[$c]}; $versions);$summary")
done

ELAPSED=$(($(date +%s) - START))
step "done in $ELAPSED s"
printf '%s\n' "${RESULTS[@]}"
echo "install check passed for: ${CASES[*]}"
# Record what this run proved, with its evidence, so that `npm test` runs the
# check again only when something it exercises changes
# (scripts/surface-fingerprint.mjs). Written only here, after every step
# above passed, and only for a run of every case.
if [ "${CASES[*]}" = "${ALL_CASES[*]}" ]; then
  node scripts/surface-fingerprint.mjs --record-pass "$ELAPSED" "${EVIDENCE[@]}"
fi
