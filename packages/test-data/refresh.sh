#!/usr/bin/env bash
# Refreshes the byte-for-byte copies in this folder from their source folder
# (one that holds fixtures/, contracts/ and backstage-1.55-resolutions.json)
# and rewrites SHA256SUMS. See README.md, "Refreshing".
set -euo pipefail
SRC=${1:?usage: refresh.sh <source folder with fixtures/, contracts/, backstage-1.55-resolutions.json>}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for item in fixtures contracts backstage-1.55-resolutions.json; do
  [ -e "$SRC/$item" ] || { echo "refresh.sh: $SRC/$item not found" >&2; exit 1; }
done
rm -rf "$HERE/fixtures" "$HERE/contracts"
cp -R "$SRC/fixtures" "$SRC/contracts" "$HERE/"
cp "$SRC/backstage-1.55-resolutions.json" "$HERE/"
chmod -R u+w "$HERE/fixtures" "$HERE/contracts" "$HERE/backstage-1.55-resolutions.json"
(cd "$HERE" && find fixtures contracts backstage-1.55-resolutions.json -type f | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
git -C "$HERE" diff --stat -- . || true
