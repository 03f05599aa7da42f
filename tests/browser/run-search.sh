#!/usr/bin/env bash
# Builds the example archive, serves it on 127.0.0.1 at a free port and
# searches it in headless Chromium (tests/browser/search.mjs).
# Needs: cargo, node and npm, and Chromium at /usr/bin/chromium
# (Debian: apt-get install -y chromium). Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# The binary as `cargo test` builds it (same dependency features as the test
# build), so that after `cargo test` nothing is compiled a second time.
cargo test --quiet --locked --manifest-path "$repo/Cargo.toml" --no-run --test build
(cd "$here" && npm ci --no-audit --no-fund --silent)

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Serves the archive at $1 (port 0: the system picks a free port, and the
# server says which) and searches it.
search_archive() {
  "$repo/target/debug/protokol" --root "$1" serve --port 0 --output "$work/site" 2>"$work/serve.log" &
  server=$!
  url=""
  for _ in $(seq 1 120); do
    url="$(grep -ao 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" | head -n 1 || true)"
    [ -n "$url" ] && break
    if ! kill -0 "$server" 2>/dev/null; then cat "$work/serve.log" >&2; exit 1; fi
    sleep 0.5
  done
  if [ -z "$url" ]; then echo "the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; fi
  echo "serving $2 at $url"
  SITE_URL="$url" timeout 300 node "$here/search.mjs"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

search_archive "$repo" "the example archive"
