#!/usr/bin/env bash
# Builds the example archive (or ARCHIVE) and compares its search index with
# the one Pagefind's own indexer makes of the same records, query by query
# in headless Chromium (same-search.mjs), and checks that the shipped
# runtime files are the pinned release's (pagefind-runtime.mjs).
# Needs: cargo, node and npm, and Chromium at /usr/bin/chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
archive="${1:-$repo}"

# The binaries as `cargo test` builds them (the program and the examples),
# so that after `cargo test` nothing is compiled a second time.
cargo test --quiet --locked --manifest-path "$repo/Cargo.toml" --no-run
(cd "$here" && npm ci --no-audit --no-fund --silent)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$repo/target/debug/protokol" --root "$archive" build --output "$work/site" > /dev/null
"$repo/target/debug/examples/search-records" "$archive" > "$work/records.jsonl"
(cd "$here" && node pagefind-runtime.mjs)
(cd "$here" && timeout 600 node same-search.mjs "$work/site" "$work/records.jsonl")
