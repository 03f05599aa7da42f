#!/usr/bin/env bash
# Builds an archive (the example archive by default) and takes screenshots of
# its pages at 390 and 1280 px into tests/site/screenshots/ (not committed):
# home, the largest meeting (light and dark, and printed as PDF, with PNG pages
# when pdftoppm is there), the largest topic timeline, the search page if the
# site has one, and the 404 page.
#
#   tests/site/screenshots.sh [ARCHIVE_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
archive="$(cd "${1:-$repo}" && pwd)"
out="${2:-$here/screenshots}"
. "$here/setup.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base_url="http://127.0.0.1:$port/"
# The binary as `cargo test` builds it (same dependency features as the test
# build), so that after `cargo test` nothing is compiled a second time.
cargo test --quiet --locked --manifest-path "$repo/Cargo.toml" --no-run --test build
"$repo/target/debug/protokol" --root "$archive" build --output "$work/site" --base-url "$base_url"
rm -rf "$out"
SITE_PORT="$port" node "$here/screenshots.mjs" "$work/site" "$base_url" "$out"
if command -v pdftoppm > /dev/null; then
  pdftoppm -r 60 -png "$out/meeting-print.pdf" "$out/meeting-print"
fi
echo "screenshots in $out"
