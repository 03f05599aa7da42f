#!/usr/bin/env bash
# Builds an archive (the example archive by default) and checks the site as a
# reader's browser gets it:
#   - the Nu Html Checker over every HTML page and the stylesheet;
#   - check.mjs in Chromium: axe (WCAG 2.1 A and AA) at 390 and 1280 px, light
#     and dark; no sideways scrolling at 320 px; only requests to the site
#     itself; one stylesheet and no render-blocking script; lang; skip link;
#     the 404 page; the copy-link buttons; reading without JavaScript.
# Broken links and the size budget are checked by `cargo test` (tests/links.rs).
#
#   tests/site/check.sh [ARCHIVE_DIR]
#
# Installs what it needs when it is missing: Debian's chromium and a Java
# runtime (apt-get, as root), and the npm packages of package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
archive="$(cd "${1:-$repo}" && pwd)"
. "$here/setup.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base_url="http://127.0.0.1:$port/arkiv/"

echo "== build $archive (as $base_url)"
# The binary as `cargo test` builds it (same dependency features as the test
# build), so that after `cargo test` nothing is compiled a second time.
cargo test --quiet --locked --manifest-path "$repo/Cargo.toml" --no-run --test build
"$repo/target/debug/protokol" --root "$archive" build --output "$work/site" --base-url "$base_url"

echo "== HTML and CSS validity (Nu Html Checker)"
vnu_out="$work/vnu.txt"
if java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --also-check-css \
    --skip-non-html --format gnu "$work/site" > "$vnu_out" 2>&1; then
  echo "vnu: $(find "$work/site" -name '*.html' | wc -l) HTML pages and $(find "$work/site" -name '*.css' | wc -l) stylesheet(s), 0 errors"
else
  sed "s|$work/site/||" "$vnu_out"
  echo "vnu: $(grep -c ': error:' "$vnu_out" || true) errors" >&2
  exit 1
fi

echo "== browser (Chromium, axe-core $(node -p 'require(process.argv[1]).version' "$here/node_modules/axe-core/package.json"))"
SITE_PORT="$port" node "$here/check.mjs" "$work/site" "$base_url"
