#!/usr/bin/env python3
"""How long an edit in `protokol serve` takes to be seen, edit after edit.

Starts `protokol serve` on a copy of a synthetic archive (made by
`cargo run --release --example gen-corpus -- --meetings N --out DIR`), then
edits one meeting file (a body's last) again and again, each time with a new item title,
and polls the meeting's page over HTTP until it shows the new title. The
pauses between edits vary, so that edits come while the lists of the last
one are made, while the archive is linked again in the background, and
while the linked model is taken in. Prints each edit's time, the slowest,
and how many took more than a second. The file is put back at the end.

    bench/serve-edits.py BINARY ARCHIVE [PORT]
    PAUSES="3 3 10 90 2" bench/serve-edits.py target/release/protokol archive-10000

The archive's site goes to ARCHIVE-out; serve's messages to ARCHIVE-serve.log
(with PROTOKOL_TIMINGS=1 set, the stages of each rebuild too).
"""
import os
import subprocess
import sys
import time
import urllib.request

BODY = "socialudvalget"


def main():
    binary, root = sys.argv[1], sys.argv[2].rstrip("/")
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 18500
    pauses = [float(p) for p in os.environ.get("PAUSES", "3 3 10 10 20 20 30 5 5 90 2 2 60 1 1").split()]
    # The body's last meeting; its third item's title is edited.
    folder = os.path.join(root, "content", BODY)
    if not os.path.isdir(folder):
        sys.exit(f"{folder} is missing: not a synthetic archive?")
    name = sorted(f for f in os.listdir(folder) if f.endswith(".md"))[-1]
    path = os.path.join(folder, name)
    original = open(path, encoding="utf8").read()
    title = next((line for line in original.splitlines() if line.startswith("## 3. ")), None)
    if title is None:
        sys.exit(f"{path} has no item 3")
    log_path = root + "-serve.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [binary, "--root", root, "serve", "--port", str(port), "--output", root + "-out"],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}/{BODY}/{name[:-3]}/"

    def page():
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read().decode("utf8")
        except OSError:
            return ""

    started = time.time()
    while "serving" not in open(log_path).read():
        if server.poll() is not None:
            sys.exit(f"serve stopped; see {log_path}")
        time.sleep(1)
    print(f"first build: {time.time() - started:.1f} s", flush=True)
    times = []
    try:
        for n, pause in enumerate(pauses, 1):
            mark = f"RETTET{n}"
            with open(path, "w", encoding="utf8") as f:
                f.write(original.replace(title, f"{title} {mark}", 1))
            saved = time.time()
            while mark not in page() and time.time() - saved < 300:
                time.sleep(0.02)
            times.append(time.time() - saved)
            print(f"edit {n}: seen after {times[-1]:.2f} s, then a pause of {pause:.0f} s", flush=True)
            time.sleep(pause)
    finally:
        with open(path, "w", encoding="utf8") as f:
            f.write(original)
        server.terminate()
        server.wait()
    print("seen after (s):", " ".join(f"{t:.2f}" for t in times))
    print(f"slowest {max(times):.2f} s; over 1 s: {sum(t > 1 for t in times)} of {len(times)}")


if __name__ == "__main__":
    main()
