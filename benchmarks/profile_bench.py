#!/usr/bin/python3
"""Reference profiles against reference CSVs: what a saved profile saves on `drift`, what building
and loading one costs, and how large it is.

Usage:
  /usr/bin/python3 benchmarks/profile_bench.py [--build build-perf] [--data /tmp/driftgate-bench]
      [--rows 1000000] [--runs 9] [--out DIR]

With the snapshot pair of compare.py (ref_N.csv, cur_N.csv in --data; generated with gen_snapshots
when missing) it:
  * builds ref_N.dgp in --out (default: --data): `driftgate profile build REF --columns <10 features>
    --score score --label label` (the features, the score, the score by class), and
    ref_N.nolabel.dgp the same with --label "" (no score by class, which drift does not read);
  * checks that `drift ref_N.dgp cur_N.csv` and `drift ref_N.csv cur_N.csv` (compare.py's drift
    command: the 10 features, the score's CSI, --format json) give the same JSON but for the
    reference file's path, size and time, and the run's time;
  * runs, in turns, --runs times after one untimed round: drift with the CSV, drift with each
    profile, profile build, profile show (load and summary), and `driftgate --version` (the cost of
    starting the process); each as its own process, wall time and CPU time (user + system, wait4)
    and peak RSS; prints the medians, the median of the per-round ratios profile / CSV, and
    profile show's time less the process's start (the load, roughly; bench_profile times the parse
    alone, in process);
  * prints the sizes of the CSV and the profile, and those of the credit example's reference
    (examples/credit/reference.csv, profiled with examples/credit/config.toml).
The machine's speed drifts by 10-20 % over minutes (see README.md): only ratios measured in one run
are comparable, and none of this is asserted by a test.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import run, snapshot_pair  # noqa: E402  (wall s, CPU s, peak RSS MiB, stdout) of one process

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEATURES = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6", "LIMIT_BAL", "utilization_1", "payment_ratio_1",
            "BILL_AMT1"]


def without_reference_path(text):
    """The report without what describes the reference file rather than its contents (path, size,
    modification time) and without the run's time (seconds: two runs may straddle a second)."""
    j = json.loads(text)
    for k in ("path", "size_bytes", "modified", "sha256"):
        j["inputs"]["reference"].pop(k, None)
    j.pop("run", None)
    return j


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-perf", help="build directory holding cli/driftgate and benchmarks/gen_snapshots")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "driftgate-bench"))
    ap.add_argument("--out", default=None, help="where the profiles go (default: --data)")
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    exe = os.path.join(args.build, "cli", "driftgate")
    out_dir = args.out or args.data
    os.makedirs(out_dir, exist_ok=True)
    n = args.rows
    ref, cur = snapshot_pair(args.build, args.data, n)
    dgp = os.path.join(out_dir, f"ref_{n}.dgp")
    lean = os.path.join(out_dir, f"ref_{n}.nolabel.dgp")
    scratch = os.path.join(out_dir, f"ref_{n}.scratch.dgp")
    columns = ["--columns", ",".join(FEATURES), "--score", "score"]
    build = [exe, "profile", "build", ref] + columns + ["--label", "label", "-q"]
    run(build + ["-o", dgp])
    # Without the score by class (what drift reads; check's performance reads the current file).
    run([exe, "profile", "build", ref] + columns + ["--label", "", "-q", "-o", lean])

    def drift(reference):
        return [exe, "drift", reference, cur] + columns + ["--format", "json", "--fail-on", "never"]

    direct = without_reference_path(run(drift(ref))[3])
    same = without_reference_path(run(drift(dgp))[3]) == direct and without_reference_path(run(drift(lean))[3]) == direct
    commands = {
        "drift ref.csv cur.csv": drift(ref),
        "drift ref.dgp cur.csv": drift(dgp),
        "drift (no classes)": drift(lean),
        "profile build ref.csv": build + ["-o", scratch],
        "profile show ref.dgp": [exe, "profile", "show", dgp, "--format", "json"],
        "driftgate --version": [exe, "--version"],
    }
    wall = {k: [] for k in commands}
    cpu = {k: [] for k in commands}
    rss = {k: 0.0 for k in commands}
    for i in range(args.runs + 1):
        for name, cmd in commands.items():
            w, c, r, _ = run(cmd)
            if i == 0:
                continue  # warm-up round: file cache, allocator
            wall[name].append(w)
            cpu[name].append(c)
            rss[name] = max(rss[name], r)
    os.remove(scratch)

    print(f"{n} rows, {args.runs} rounds after a warm-up, medians (wall / CPU), peak RSS:")
    for name in commands:
        print(f"  {name:24s} {statistics.median(wall[name]) * 1000:8.1f} ms / {statistics.median(cpu[name]) * 1000:6.0f} ms"
              f"   {rss[name]:6.0f} MiB")
    ratio_wall = statistics.median(a / b for a, b in zip(wall["drift ref.dgp cur.csv"], wall["drift ref.csv cur.csv"]))
    ratio_cpu = statistics.median(a / b for a, b in zip(cpu["drift ref.dgp cur.csv"], cpu["drift ref.csv cur.csv"]))
    print(f"  drift with the profile / with the CSV: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x CPU (median of per-round ratios)")
    lean_wall = statistics.median(a / b for a, b in zip(wall["drift (no classes)"], wall["drift ref.csv cur.csv"]))
    lean_cpu = statistics.median(a / b for a, b in zip(cpu["drift (no classes)"], cpu["drift ref.csv cur.csv"]))
    print(f"  ... with the profile without the score by class: {lean_wall:.2f}x wall, {lean_cpu:.2f}x CPU")
    load = statistics.median(a - b for a, b in zip(wall["profile show ref.dgp"], wall["driftgate --version"]))
    print(f"  profile show less the process's start: {load * 1000:.1f} ms")
    print(f"  JSON of drift with the profile = with the CSV (but the reference's path): {'yes' if same else 'NO'}")
    print(f"  sizes: {os.path.basename(ref)} {os.path.getsize(ref) / 1e6:.1f} MB, {os.path.basename(dgp)} "
          f"{os.path.getsize(dgp) / 1e6:.1f} MB ({os.path.getsize(dgp) / os.path.getsize(ref):.2f} of the CSV), without the "
          f"score by class {os.path.getsize(lean) / 1e6:.1f} MB ({os.path.getsize(lean) / os.path.getsize(ref):.2f})")
    credit = os.path.join(ROOT, "examples", "credit")
    credit_dgp = os.path.join(out_dir, "credit_reference.dgp")
    run([exe, "profile", "build", os.path.join(credit, "reference.csv"), "--config", os.path.join(credit, "config.toml"),
         "-o", credit_dgp, "-q"])
    csv_size, dgp_size = os.path.getsize(os.path.join(credit, "reference.csv")), os.path.getsize(credit_dgp)
    print(f"  examples/credit/reference.csv {csv_size / 1e6:.2f} MB, its profile {dgp_size / 1e6:.2f} MB "
          f"({dgp_size / csv_size:.2f} of the CSV)")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
