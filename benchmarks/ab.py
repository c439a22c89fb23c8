#!/usr/bin/python3
"""Interleaved A/B timing of driftgate executables on the benchmark's drift or perf command.

The machines this was written on drift by 10-20% in speed over minutes, so two executables timed
one after the other can differ by more than the change between them. This runs them in turns
(A, B, A, B, ...), each as its own process, and prints for each the median wall time, the median
CPU time (user + system, from wait4) and the peak RSS. Output goes to /dev/null: compare the JSON
of the two executables separately (they should be byte-identical for a change that only moves
time).

Usage:
  /usr/bin/python3 benchmarks/ab.py OLD_EXE NEW_EXE [--runs 15] [--rows 1000000] [--command drift|perf]
      [--style integer|pandas-float|quoted-crlf] [--compression none|gzip|zstd] [--data /tmp/driftgate-bench]

The snapshot files are compare.py's (ref_N.csv and cur_N.csv in --data; run compare.py once to
generate them); --compression gzip or zstd takes compressed.py's REF.gz / REF.zst next to them.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

FEATURES = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6", "LIMIT_BAL", "utilization_1", "payment_ratio_1",
            "BILL_AMT1"]


def command(exe, which, ref, cur):
    if which == "drift":
        return [exe, "drift", ref, cur, "--columns", ",".join(FEATURES), "--score", "score", "--format", "json",
                "--fail-on", "never"]
    return [exe, "perf", cur, "--score", "score", "--label", "label", "--threshold", "0.12", "--format", "json",
            "--fail-on", "never"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("executables", nargs="+", help="driftgate executables to compare (two or more)")
    ap.add_argument("--runs", type=int, default=15, help="timed runs of each executable (after one warm-up run each)")
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--command", choices=["drift", "perf"], default="drift")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "driftgate-bench"))
    ap.add_argument("--style", default="integer", choices=["integer", "pandas-float", "quoted-crlf"],
                    help="the spelling of the snapshot pair (compare.py --styles)")
    ap.add_argument("--compression", default="none", choices=["none", "gzip", "zstd"],
                    help="the pair compressed (benchmarks/compressed.py writes the files)")
    args = ap.parse_args()
    suffix = "" if args.style == "integer" else "." + args.style
    ext = {"none": "", "gzip": ".gz", "zstd": ".zst"}[args.compression]
    ref = os.path.join(args.data, f"ref_{args.rows}{suffix}.csv{ext}")
    cur = os.path.join(args.data, f"cur_{args.rows}{suffix}.csv{ext}")
    for path in (ref, cur):
        if not os.path.exists(path):
            sys.exit(f"{path} does not exist: run benchmarks/compare.py --sizes {args.rows} --styles {args.style} "
                     "once to generate it")
    wall = {e: [] for e in args.executables}
    cpu = {e: [] for e in args.executables}
    rss = {e: 0.0 for e in args.executables}
    for i in range(args.runs + 1):
        for exe in args.executables:
            t0 = time.perf_counter()
            p = subprocess.Popen(command(exe, args.command, ref, cur), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
            _, status, usage = os.wait4(p.pid, 0)
            elapsed = time.perf_counter() - t0
            err = p.stderr.read().decode()
            p.stderr.close()
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                sys.exit(f"{exe} exited with {code}:\n{err}")
            if i == 0:
                continue  # warm-up
            wall[exe].append(elapsed)
            cpu[exe].append(usage.ru_utime + usage.ru_stime)
            rss[exe] = max(rss[exe], usage.ru_maxrss / 1024.0)
    for exe in args.executables:
        print(f"{exe}: {args.command} {args.rows} rows ({args.style}, {args.compression}), {args.runs} runs: wall median "
              f"{statistics.median(wall[exe]) * 1000:.1f} ms, CPU median {statistics.median(cpu[exe]) * 1000:.0f} ms, "
              f"peak RSS {rss[exe]:.0f} MB")


if __name__ == "__main__":
    main()
