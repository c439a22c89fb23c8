#!/usr/bin/python3
"""Throughput of driftgate on compressed snapshots: the same pair of CSV files read plain, as gzip
and as zstd, by compare.py's two commands (drift of 10 features + score, perf), in turns.

For each size and each spelling in --styles (gen_snapshots --style) it writes (once, kept next to the CSV files) REF.gz / CUR.gz with `gzip -6` and
REF.zst / CUR.zst with `zstd -3` (the tools' default levels), then runs the drift and perf
commands on the plain, gzip and zstd files in turns (plain, gzip, zstd, plain, ...), --runs times
each after one untimed warm-up round, and prints per input kind the median wall and CPU time of
drift + perf, the larger peak RSS, the throughput in MB of CSV text per second of wall time
(the two files' plain size for drift plus the current file's for perf, divided by the summed
wall time), and the ratio to the plain files' speed measured in the same run. Every report must
equal the plain files' report but for the input files' paths, sizes and times.

Also times the decompression alone (`gzip -dc`, `zstd -dc` to /dev/null, single-threaded like
driftgate's) on the reference, for what zlib and libzstd allow on this machine.

Usage:
  /usr/bin/python3 benchmarks/compressed.py --build build-perf --data /tmp/driftgate-bench \\
      [--sizes 100000,1000000] [--runs 5] [--styles integer,pandas-float,quoted-crlf]

The CSV files are compare.py's (ref_N.csv, cur_N.csv in --data, ref_N.STYLE.csv and
cur_N.STYLE.csv for the other styles), generated with gen_snapshots when missing.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import driftgate_cmds, run, snapshot_pair  # noqa: E402

KINDS = [("plain", ""), ("gzip", ".gz"), ("zstd", ".zst")]


def compress(path):
    for tool, ext in (("gzip", ".gz"), ("zstd", ".zst")):
        target = path + ext
        if os.path.exists(target):
            continue
        with open(target + ".tmp", "wb") as out:
            cmd = ["gzip", "-6", "-c", path] if tool == "gzip" else ["zstd", "-3", "-q", "-c", path]
            subprocess.run(cmd, stdout=out, check=True)
        os.replace(target + ".tmp", target)


def content(text):
    j = json.loads(text)
    for side in ("reference", "current", "data"):
        for k in ("path", "size_bytes", "modified", "sha256"):
            j.get("inputs", {}).get(side, {}).pop(k, None)
    j.get("inputs", {}).pop("config", None)
    j.pop("run", None)
    return j


def decompress_only(path, tool):
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as out:
        subprocess.run([tool, "-dc", path], stdout=out, check=True)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-perf")
    ap.add_argument("--data", default="/tmp/driftgate-bench")
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--styles", default="integer",
                    help="spellings of the same values (gen_snapshots --style), each compressed and timed")
    args = ap.parse_args()
    exe = os.path.join(args.build, "cli", "driftgate")
    print("| rows | style | input | file MB (ref+cur) | drift+perf wall s | CPU s | peak RSS MB | CSV MB/s | speed vs plain "
          "| report identical |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|:---:|")
    notes = []
    styles = args.styles.split(",")
    for n, style in [(int(float(s)), st) for s in args.sizes.split(",") for st in styles]:
        ref, cur = snapshot_pair(args.build, args.data, n, style=style)
        for p in (ref, cur):
            compress(p)
        text_mb = (2 * os.path.getsize(cur) + os.path.getsize(ref)) / 1e6  # drift reads both, perf the current
        times = {k: [] for k, _ in KINDS}
        baseline = None
        same = {k: True for k, _ in KINDS}
        for r in range(args.runs + 1):
            for kind, ext in KINDS:
                drift, perf = driftgate_cmds(exe, ref + ext, cur + ext)
                wd, cd, md, jd = run(drift)
                wp, cp, mp, jp = run(perf)
                if baseline is None:
                    baseline = (content(jd), content(jp))
                same[kind] = same[kind] and (content(jd), content(jp)) == baseline
                if r > 0:  # the first round warms the page cache
                    times[kind].append((wd + wp, cd + cp, max(md, mp)))
        plain_wall = statistics.median(t[0] for t in times["plain"])
        for kind, ext in KINDS:
            wall = statistics.median(t[0] for t in times[kind])
            cpu = statistics.median(t[1] for t in times[kind])
            rss = statistics.median(t[2] for t in times[kind])
            mb = (os.path.getsize(ref + ext) + os.path.getsize(cur + ext)) / 1e6
            print(f"| {n:,} | {style} | {kind} | {mb:.0f} | {wall:.3f} | {cpu:.2f} | {rss:.0f} | {text_mb / wall:.0f} | "
                  f"{plain_wall / wall:.2f} | {'yes' if same[kind] else 'NO'} |")
        for tool, ext in (("gzip", ".gz"), ("zstd", ".zst")):
            t = statistics.median(decompress_only(ref + ext, tool) for _ in range(3))
            notes.append(f"`{tool} -dc` of {os.path.basename(ref)}{ext} alone: {t:.3f} s, "
                         f"{os.path.getsize(ref) / 1e6 / t:.0f} MB of CSV per second")
    print()
    for line in notes:
        print(line)


if __name__ == "__main__":
    main()
