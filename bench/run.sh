#!/usr/bin/env bash
# Builds the synthetic archive at 1,000 and 10,000 meetings with Protokol
# (cold: no previous site and no spare beside it; warm: the site and its
# spare are there from earlier builds, as after any two builds), and, when they
# are installed, the same meetings as plain Markdown pages with Hugo and Zola:
# pages only, with minimal templates (Hugo writes no taxonomies, feeds,
# sitemap or robots.txt; Zola no search index).
# Prints wall time, CPU time and peak memory per tool (medians of RUNS runs)
# and the ratios against Protokol.
#
# Every cold run (and every Hugo and Zola run) writes into a folder of its
# own, removed only after all runs of that size, and the runs of a size
# start SETTLE seconds (default 370) after anything was removed. On ext4
# without a journal (`ls /proc/fs/jbd2` empty) a new file does not get an
# inode freed in the last 60 s, or in the last 6 minutes while the block of
# the inode table that holds it is unwritten, which a build that creates
# files in that block makes it again: each file created passes over every
# such inode, one look each. A build right after removing a large site
# pays for that removal (`recently_deleted` and `find_get_block_common`
# were 26-32% of the samples of cold 1,000-meeting builds made within 2
# minutes of removing earlier sites; system time 24-40 s instead of 3-4 s).
# SETTLE=0 measures that case, and is enough on a file system with a
# journal.
#
#   bench/run.sh                  # 1000 and 10000 meetings
#   bench/run.sh 1000             # only 1000
#   RUNS=5 BENCH_DIR=/var/tmp/b bench/run.sh
#   PROTOKOL=/usr/local/bin/protokol bench/run.sh   # an installed binary
#
# A CPU profile with call graphs (perf is a Debian package; it may need
# `sysctl kernel.perf_event_paranoid=-1`):
#
#   cargo build --profile profiling --bin protokol
#   perf record -F 499 -g --call-graph dwarf,16384 -o perf.data \
#       target/profiling/protokol --root ARCHIVE build --output OUT
#   perf report -i perf.data --no-children --sort symbol
#
# It installs nothing. Hugo: `apt-get install hugo` (Debian, Ubuntu).
# Zola: a release binary from the Zola project, or your system's package
# (`brew install zola`, `pacman -S zola`, `snap install --edge zola`).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/protokol-bench}
mkdir -p "$WORK"

if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time is needed (Debian: apt-get install time)" >&2
    exit 1
fi
have() { command -v "$1" >/dev/null 2>&1; }
have hugo || echo "bench: hugo is not installed, so it is left out (Debian: apt-get install hugo)" >&2
have zola || echo "bench: zola is not installed, so it is left out (a release binary from the Zola project, or brew/pacman/snap install zola)" >&2

# PROTOKOL=path/to/protokol measures that binary instead of building one.
if [ -z "${PROTOKOL:-}" ]; then
    echo "bench: building protokol and the generator (release)" >&2
    cargo build --release --quiet --bin protokol --example gen-corpus
    PROTOKOL="$REPO/target/release/protokol"
fi
GEN="$REPO/target/release/examples/gen-corpus"
[ -x "$GEN" ] || cargo build --release --quiet --example gen-corpus

# measure LABEL CMD...: runs CMD, appends "wall cpu peak_kb" to $WORK/LABEL.
measure() {
    local label=$1
    shift
    local t="$WORK/.time"
    # What the last run wrote and what was removed before this one reach
    # the disk first: the file system's deferred work is charged to no tool
    # (a cold build right after removing two sites took up to three times
    # the CPU of a warm one without it).
    sync
    if ! /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >"$WORK/.out" 2>&1; then
        echo "bench: failed: $*" >&2
        cat "$WORK/.out" >&2
        exit 1
    fi
    awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$t" >>"$WORK/$label"
}

# median LABEL FIELD: the median of one column of a label's runs.
median() {
    cut -d' ' -f"$2" "$WORK/$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# layout SRC DEST TOOL: the meetings as plain pages, front matter reduced to
# what the tool knows (title, date), the Markdown as it is.
layout() {
    local src=$1 dest=$2 tool=$3
    rm -rf "$dest"
    mkdir -p "$dest/content"
    (cd "$src/content" && find . -type d) | (cd "$dest/content" && xargs mkdir -p)
    find "$src/content" -name '*.md' -print0 | xargs -0 awk -v src="$src/content" -v dest="$dest/content" '
        function val(line) { sub(/^[^=]*= */, "", line); gsub(/"/, "", line); return line }
        FNR == 1 { if (out) close(out); out = dest substr(FILENAME, length(src) + 1); state = 0; body = ""; date = ""; kind = "" }
        state == 0 && /^\+\+\+ *$/ { state = 1; next }
        state == 1 && /^\+\+\+ *$/ {
            state = 2
            printf "+++\ntitle = \"%s %s %s\"\ndate = %s\n+++\n", kind, body, date, date > out
            next
        }
        state == 1 { if ($0 ~ /^body *=/) body = val($0); else if ($0 ~ /^date *=/) date = val($0); else if ($0 ~ /^kind *=/) kind = val($0); next }
        { print > out }'
    local page='<!doctype html><html lang=da><head><meta charset=utf-8><title>TITLE</title></head><body><main><h1>TITLE</h1>BODY</main></body></html>'
    if [ "$tool" = hugo ]; then
        cat >"$dest/hugo.toml" <<TOML
baseURL = "http://127.0.0.1/"
languageCode = "da"
title = "Syntetisk arkiv"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
TOML
        mkdir -p "$dest/layouts/_default"
        echo "${page//BODY/'{{ .Content }}'}" | sed 's/TITLE/{{ .Title }}/g' >"$dest/layouts/_default/single.html"
        echo "${page//BODY/'<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'}" | sed 's/TITLE/{{ .Title }}/g' >"$dest/layouts/_default/list.html"
        cp "$dest/layouts/_default/list.html" "$dest/layouts/index.html"
    else
        cat >"$dest/config.toml" <<TOML
base_url = "http://127.0.0.1/"
title = "Syntetisk arkiv"
compile_sass = false
build_search_index = false
TOML
        for d in $(cd "$dest/content" && find . -type d); do
            printf '+++\ntitle = "%s"\n+++\n' "$(basename "$d")" >"$dest/content/$d/_index.md"
        done
        mkdir -p "$dest/templates"
        echo "${page//BODY/'{{ page.content | safe }}'}" | sed 's/TITLE/{{ page.title }}/g' >"$dest/templates/page.html"
        echo "${page//BODY/'<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}{% for s in section.subsections %}<li>{{ s }}</li>{% endfor %}</ul>'}" | sed 's/TITLE/{{ section.title }}/g' >"$dest/templates/section.html"
        cp "$dest/templates/section.html" "$dest/templates/index.html"
    fi
}

SETTLE=${SETTLE:-370}
# settle: lets what was removed leave the file system's recent memory (see
# the top of this file).
settle() {
    sync
    [ "$SETTLE" -gt 0 ] || return 0
    echo "bench: waiting ${SETTLE}s for removed files to settle" >&2
    sleep "$SETTLE"
}

rows=()
for n in "${SIZES[@]}"; do
    src="$WORK/syn$n"
    if [ ! -f "$src/config.toml" ]; then
        echo "bench: generating $n meetings in $src" >&2
        "$GEN" --meetings "$n" --out "$src" >/dev/null
    fi
    rm -f "$WORK"/{protokol-cold,protokol-warm,hugo,zola}-"$n"
    # Sites of earlier runs, removed before this size's runs begin.
    rm -rf "$WORK"/cold-"$n"-* "$WORK"/.cold-"$n"-* "$WORK"/{hugo,zola}"$n"-public-*
    tools=(protokol-cold protokol-warm)
    have hugo && layout "$src" "$WORK/hugo$n" hugo
    have zola && layout "$src" "$WORK/zola$n" zola
    settle
    # Cold: no site and no spare beside it (see src/output.rs), each run in
    # a new folder.
    for i in $(seq "$RUNS"); do
        measure "protokol-cold-$n" "$PROTOKOL" --root "$src" build --output "$WORK/cold-$n-$i"
    done
    # Warm: the site and its spare are there from earlier builds.
    out="$WORK/out-protokol-$n"
    "$PROTOKOL" --root "$src" build --output "$out" 2>/dev/null
    "$PROTOKOL" --root "$src" build --output "$out" 2>/dev/null
    for _ in $(seq "$RUNS"); do
        measure "protokol-warm-$n" "$PROTOKOL" --root "$src" build --output "$out"
    done
    if have hugo; then
        for i in $(seq "$RUNS"); do
            measure "hugo-$n" hugo --quiet --source "$WORK/hugo$n" --destination "$WORK/hugo$n-public-$i"
        done
        tools+=(hugo)
    fi
    if have zola; then
        for i in $(seq "$RUNS"); do
            measure "zola-$n" zola --root "$WORK/zola$n" build --output-dir "$WORK/zola$n-public-$i"
        done
        tools+=(zola)
    fi
    rm -rf "$WORK"/cold-"$n"-* "$WORK"/.cold-"$n"-* "$WORK"/{hugo,zola}"$n"-public-*
    base=$(median "protokol-cold-$n" 1)
    for tool in "${tools[@]}"; do
        wall=$(median "$tool-$n" 1)
        cpu=$(median "$tool-$n" 2)
        mem=$(median "$tool-$n" 3)
        rows+=("$(printf '%8s  %-14s %9.2f %9.2f %10.0f %17s' "$n" "$tool" "$wall" "$cpu" "$((mem / 1024))" \
            "$(awk -v p="$base" -v t="$wall" 'BEGIN { printf "%.2f", p / t }')")")
    done
done

echo
echo "medians of $RUNS runs; ratio = Protokol (cold) wall time / the tool's wall time"
printf '%8s  %-14s %9s %9s %10s %17s\n' meetings tool "wall s" "cpu s" "peak MB" "protokol / tool"
for r in "${rows[@]}"; do
    echo "$r"
done
