#!/usr/bin/env bash
# Builds synthetic archives of 1,000 and 10,000 meetings and reports, per size,
# the wall time and peak memory of the whole build and the time of the linking
# stage alone (with the peak memory reached by its end), as medians of RUNS.
#
#   bench/linking.sh [SIZES…]        e.g. bench/linking.sh 1000 10000
#   RUNS=3 WORK=/tmp/protokol-bench bench/linking.sh
#   COMMAND=check bench/linking.sh 10000
#
# COMMAND=check measures `protokol check` instead of a build: the same model
# and linking, but nothing written, so nothing beside linking takes stock of
# a previous site, and no site is removed between runs (a build right after
# removing a large site pays for the removal; see bench/run.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-3}"
command="${COMMAND:-build}"
case "$command" in
  build | check) ;;
  *) echo "COMMAND is build or check" >&2; exit 1 ;;
esac
work="${WORK:-${TMPDIR:-/tmp}/protokol-bench}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }

cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin protokol --example gen-corpus
bin="$repo/target/release/protokol"
gen="$repo/target/release/examples/gen-corpus"
mkdir -p "$work"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-9s %12s %12s %12s %14s\n' meetings "$command s" "$command MB" "linking s" "MB at linking"
for n in "${sizes[@]}"; do
  archive="$work/archive-$n"
  [ -d "$archive" ] || "$gen" --meetings "$n" --out "$archive" 2> /dev/null
  : > "$work/runs-$n"
  for _ in $(seq 1 "$runs"); do
    if [ "$command" = build ]; then
      rm -rf "$work/out-$n"
      set -- build --output "$work/out-$n"
    else
      set -- check
    fi
    # `check` exits 1 on the synthetic archives, whose attachment links
    # point at files the generator does not write; it has measured all the
    # same. A run without the linking stage's line failed.
    PROTOKOL_TIMINGS=1 /usr/bin/time -f 'TIME %e %M' "$bin" --root "$archive" "$@" \
      > /dev/null 2> "$work/log-$n" || [ "$command" = check ]
    grep -q '^timing: linking' "$work/log-$n" || { tail -5 "$work/log-$n" >&2; exit 1; }
    wall=$(awk '/^TIME/ {print $2}' "$work/log-$n")
    peak=$(awk '/^TIME/ {printf "%d", $3/1024}' "$work/log-$n")
    link=$(sed -n 's/^timing: linking \([0-9.]*\) s.*/\1/p' "$work/log-$n")
    linkmem=$(sed -n 's/^timing: linking.*so far: \([0-9]*\) MB.*/\1/p' "$work/log-$n")
    echo "$wall $peak $link $linkmem" >> "$work/runs-$n"
  done
  printf '%-9s %12s %12s %12s %14s\n' "$n" \
    "$(cut -d' ' -f1 "$work/runs-$n" | median)" "$(cut -d' ' -f2 "$work/runs-$n" | median)" \
    "$(cut -d' ' -f3 "$work/runs-$n" | median)" "$(cut -d' ' -f4 "$work/runs-$n" | median)"
done
