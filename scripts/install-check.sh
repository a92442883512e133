#!/usr/bin/env bash
# `npm run install-check`: installs this repository's packages into brand-new
# Backstage apps by following the README's "Install into your Backstage"
# section, for both app styles (new frontend system, legacy), and proves the
# result: the app type-checks, its backend starts against the sandbox and
# answers the Delivery overview of an entity annotated only with
# `argocd/app-name`. Takes many minutes (two fresh `yarn install`s).
#
# Env: INSTALL_CHECK_STYLES (default "new legacy"), INSTALL_CHECK_DIR (work
# folder, default a new temporary one), INSTALL_CHECK_KEEP=1 keeps it.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
ensure_dependencies || exit 1
cd "$REPO_ROOT"

CREATE_APP_VERSION=0.9.2
RESOLUTIONS=${BACKSTAGE_RESOLUTIONS:-$REPO_ROOT/packages/test-data/backstage-1.55-resolutions.json}
STYLES=(${INSTALL_CHECK_STYLES:-new legacy})
PACKAGES=(delivery-common delivery-node delivery delivery-backend)
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

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
  [ "${INSTALL_CHECK_KEEP:-}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f "$RESOLUTIONS" ] || die "missing $RESOLUTIONS (the Backstage 1.55 resolutions, see packages/test-data/README.md)"

# 1. Brand-new apps from create-app, pinned to Backstage 1.55 (the registry
#    here is a partial mirror: packages/test-data/README.md), installed in parallel.
create_app() { # create_app STYLE
  local style=$1 dir="$WORK/app-$1" flag=()
  [ "$style" = legacy ] && flag=(--legacy)
  (
    cd "$WORK" &&
      BACKSTAGE_APP_NAME="delivery-check-$style" npx -y "@backstage/create-app@$CREATE_APP_VERSION" \
        "${flag[@]}" --path "app-$style" --skip-install &&
      cd "$dir" &&
      node -e '
        const fs = require("fs");
        const resolutions = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
        const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
        pkg.resolutions = { ...pkg.resolutions, ...resolutions };
        fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
      ' "$RESOLUTIONS" &&
      yarn install
  ) >"$WORK/create-$style.log" 2>&1
}
step "creating ${STYLES[*]} app(s) with @backstage/create-app@$CREATE_APP_VERSION and yarn install (logs in $WORK/create-*.log)"
create_pids=()
for style in "${STYLES[@]}"; do
  create_app "$style" &
  create_pids+=("$!")
done
for i in "${!STYLES[@]}"; do
  wait "${create_pids[$i]}" || { tail -30 "$WORK/create-${STYLES[$i]}.log"; die "creating the ${STYLES[$i]} app"; }
done
step "apps created and installed"

# 2. Pack the packages as they would be published: build, then `yarn pack`
#    (its prepack/postpack rewrite package.json to the built entry points).
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


# 3. The sandbox, on a free port (the demo may hold 7171).
SANDBOX_PORT=$(free_port)
step "starting the sandbox on 127.0.0.1:$SANDBOX_PORT"
SANDBOX_PORT=$SANDBOX_PORT setsid yarn workspace sandbox start >"$WORK/sandbox.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$SANDBOX_PORT/healthz" 120 || die "the sandbox did not start"
export ARGOCD_URL="http://127.0.0.1:$SANDBOX_PORT/argocd/main" ARGOCD_TOKEN=sandbox-demo-token

RESULTS=()
for style in "${STYLES[@]}"; do
  dir="$WORK/app-$style"
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
  ' "$WORK/tarballs.json") || die "$style app: resolution of the shared packages"

  # 4. The README's steps, exactly as written there.
  step "$style app: applying the README's \"Install into your Backstage\" steps"
  node scripts/install-check-apply.mjs README.md "$dir" "$style" "$WORK/tarballs.json" 2>&1 | tee "$WORK/steps-$style.log" ||
    die "$style app: a README step failed"
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "$style app: a README step failed"

  # The entity to look at (test data, not an install step): annotated only
  # with argocd/app-name, in the catalog file the app's config already reads.
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

  # 5. The app's type check.
  step "$style app: yarn tsc"
  (cd "$dir" && yarn tsc) >"$WORK/tsc-$style.log" 2>&1 || { tail -40 "$WORK/tsc-$style.log"; die "$style app: yarn tsc"; }

  # 6. Its backend against the sandbox, on a free port.
  port=$(free_port)
  cat >"$dir/app-config.check.yaml" <<EOF
backend:
  baseUrl: http://localhost:$port
  listen:
    port: $port
EOF
  step "$style app: starting its backend on :$port"
  (cd "$dir/packages/backend" && setsid yarn start --config ../../app-config.yaml --config ../../app-config.check.yaml) >"$WORK/backend-$style.log" 2>&1 &
  backend_pid=$!
  PIDS+=("$backend_pid")
  base="http://localhost:$port"
  wait_for "$base/.backstage/health/v1/readiness" 600 || { tail -40 "$WORK/backend-$style.log"; die "$style app: the backend did not become ready"; }
  token=$(curl -fsS "$base/api/auth/guest/refresh" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).backstageIdentity.token))') ||
    die "$style app: no guest token"
  url="$base/api/delivery/v1/entities/default/component/search/overview"
  status=000
  for ((i = 0; i < 120; i++)); do
    status=$(curl -s -o "$WORK/overview-$style.json" -w '%{http_code}' -H "authorization: Bearer $token" "$url")
    [ "$status" = 200 ] && break
    sleep 2 # the catalog ingests examples/entities.yaml a little after start-up
  done
  [ "$status" = 200 ] || { cat "$WORK/overview-$style.json"; die "$style app: GET $url answered $status"; }
  node -e '
    const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const apps = o.environments.flatMap(e => e.applications.map(a => a.name));
    if (!apps.includes("search-production")) { console.error("overview without search-production:", JSON.stringify(o).slice(0, 500)); process.exit(1); }
    console.log(`environments: ${o.environments.map(e => e.name).join(", ")}; applications: ${apps.join(", ")}; sources: ${o.sources.map(s => `${s.source}${s.instance ? `/${s.instance}` : ""}=${s.status}`).join(", ")}`);
  ' "$WORK/overview-$style.json" >"$WORK/overview-$style.txt" || die "$style app: the overview does not show search-production"
  step "$style app: GET /api/delivery/v1/entities/default/component/search/overview -> 200 ($(cat "$WORK/overview-$style.txt"))"
  kill -- "-$backend_pid" 2>/dev/null
  wait "$backend_pid" 2>/dev/null
  RESULTS+=("$style app: README steps applied, yarn tsc passed, overview 200")
done

ELAPSED=$(($(date +%s) - START))
step "done in $ELAPSED s"
printf '%s\n' "${RESULTS[@]}"
echo "install check passed for: ${STYLES[*]}"
# Record what this run proved, with its evidence (each app's overview), so
# that `npm test` runs the check again only when something it exercises
# changes (scripts/surface-fingerprint.mjs). Written only here, after every
# step above passed, and only for a run of both app styles.
if [[ " ${STYLES[*]} " == *" new "* && " ${STYLES[*]} " == *" legacy "* ]]; then
  evidence=()
  for style in "${STYLES[@]}"; do evidence+=("$style: $(cat "$WORK/overview-$style.txt")"); done
  node scripts/surface-fingerprint.mjs --record-pass "$ELAPSED" "${evidence[@]}"
fi
