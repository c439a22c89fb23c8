#!/usr/bin/python3
"""Wide and long-named files: `drift` of a file of many columns against itself, and a header with
one huge column name (the bounds of docs: 100,000 columns x 50 rows in under 20 s and 1.5 GB,
exit 0; a 200 MB column name in under 1.5 GB).

Usage:
  /usr/bin/python3 benchmarks/wide.py [--build build-perf] [--data /tmp/driftgate-bench]
      [--columns 100000] [--rows 50] [--name-mb 200] [--runs 3]

Writes wide_C.csv (C numeric columns, R rows of small integers and decimals, generated here with
a fixed seed) and name_M.csv (a header of the score and one column named by M MB of 'a', and 10
rows) once in --data, then runs, each --runs times in fresh processes: `drift wide wide` in the
text format (the default) and in JSON (--output to /dev/null is not used: the report goes to a
pipe that is read and dropped), and `drift name name --columns score`; prints medians of wall and
CPU time and the largest peak RSS. Nothing here is asserted by a test: the suite checks that these
inputs work (tests/e2e/test_stress.cpp, test_fail_closed.cpp), this measures what they cost.
"""
import argparse
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import run  # noqa: E402  (wall s, CPU s, peak RSS MiB, stdout) of one process


def write_wide(path, columns, rows):
    rng = random.Random(15)
    with open(path, "w") as f:
        f.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        for _ in range(rows):
            f.write(",".join(str(rng.randint(0, 9)) if i % 2 else f"{rng.random():.4f}" for i in range(columns)) + "\n")


def write_name(path, mb):
    rng = random.Random(16)
    with open(path, "w") as f:
        f.write("score," + "a" * (mb << 20) + "\n")
        for _ in range(10):
            f.write(f"{rng.random():.4f},{rng.randint(0, 9)}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-perf")
    ap.add_argument("--data", default="/tmp/driftgate-bench")
    ap.add_argument("--columns", type=int, default=100000)
    ap.add_argument("--rows", type=int, default=50)
    ap.add_argument("--name-mb", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    exe = os.path.join(a.build, "cli", "driftgate")
    os.makedirs(a.data, exist_ok=True)
    wide = os.path.join(a.data, f"wide_{a.columns}.csv")
    name = os.path.join(a.data, f"name_{a.name_mb}.csv")
    if not os.path.exists(wide):
        write_wide(wide, a.columns, a.rows)
    if not os.path.exists(name):
        write_name(name, a.name_mb)
    cases = {
        f"drift, {a.columns} columns x {a.rows} rows, text": [exe, "drift", wide, wide, "--score", ""],
        f"drift, {a.columns} columns x {a.rows} rows, JSON": [exe, "drift", wide, wide, "--score", "", "--format", "json"],
        f"drift, a {a.name_mb} MB column name": [exe, "drift", name, name, "--columns", "score", "--score", ""],
    }
    print(f"{os.path.getsize(wide) / 1e6:.1f} MB wide file, {os.path.getsize(name) / 1e6:.1f} MB long-name file; "
          f"{a.runs} runs each, medians (wall / CPU), largest peak RSS")
    for label, cmd in cases.items():
        walls, cpus, rss = [], [], []
        for _ in range(a.runs):
            w, c, r, _ = run(cmd)
            walls.append(w)
            cpus.append(c)
            rss.append(r)
        print(f"  {label:45s} {statistics.median(walls):7.2f} s / {statistics.median(cpus):6.2f} s   {max(rss):7.0f} MiB")


if __name__ == "__main__":
    main()
