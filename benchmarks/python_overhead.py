#!/usr/bin/python3
"""The Python API's overhead against the CLI on one snapshot pair (default: the 1e6-row pair of
benchmarks/README.md, generated with gen_snapshots when missing).

Usage:
  PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/python_overhead.py [--build build-perf]
      [--data /tmp/driftgate-bench] [--rows 1000000] [--runs 5] [--dataframe]

Per round, in turns, each in a fresh process:
  * cli:       `driftgate check --config C --reference REF --current CUR --format json --fail-on never`;
  * python:    `driftgate.evaluate(REF, CUR, config=C)` on the same CSV paths and every check's
               to_dict(), timed inside the interpreter (the API's own cost) and as a whole process
               (interpreter start and `import driftgate` included);
  * python, tuned: the same with GLIBC_TUNABLES set as the CLI's executable sets glibc's malloc
               (cli/memory.cpp): the module links the CLI's block allocator (huge pages, freed
               blocks reused within a call) but leaves glibc's settings, the whole process's, alone;
  * dataframe (--dataframe): pandas.read_csv(float_precision="round_trip") of both files, then
               evaluate() on the DataFrames (what a notebook holding DataFrames pays: pandas' parser
               and the conversion to profiles).
C monitors the 10 features, the score (CSI, performance at threshold 0.12, proxies) and the label.
Prints medians and the median of the per-round ratios python / cli; checks first that the Python
report's checks equal the CLI's JSON. The machine's speed drifts over minutes: only ratios measured
in one run are comparable.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import run as measure, snapshot_pair  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEATURES = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6", "LIMIT_BAL", "utilization_1", "payment_ratio_1",
            "BILL_AMT1"]
CONFIG = """[columns]
features = [{features}]
score = "score"
label = "label"

[performance]
threshold = 0.12
"""

PY_API = r"""
import json, sys, time
t0 = time.perf_counter()
import driftgate as dg
t1 = time.perf_counter()
report = dg.evaluate(sys.argv[1], sys.argv[2], config=sys.argv[3])
checks = [c.to_dict() for c in report.checks]
t2 = time.perf_counter()
json.dump({"import": t1 - t0, "api": t2 - t1, "checks": checks if sys.argv[4] == "1" else None}, sys.stdout)
"""

PY_FRAME = r"""
import json, sys, time
import pandas as pd
import driftgate as dg
t0 = time.perf_counter()
ref = pd.read_csv(sys.argv[1], float_precision="round_trip")
cur = pd.read_csv(sys.argv[2], float_precision="round_trip")
t1 = time.perf_counter()
report = dg.evaluate(ref, cur, config=sys.argv[3])
checks = [c.to_dict() for c in report.checks]
t2 = time.perf_counter()
json.dump({"read": t1 - t0, "api": t2 - t1, "checks": checks if sys.argv[4] == "1" else None}, sys.stdout)
"""


TUNED = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:"
                           "glibc.malloc.trim_threshold=1073741824"}


def run(cmd, env=None):
    """(wall s, peak RSS MiB, stdout) of one process, `env` added to the environment; exits on a failure."""
    wall, _, rss, text = measure(cmd, None if env is None else {**os.environ, **env})
    return wall, rss, text


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-perf", help="build directory holding cli/driftgate and benchmarks/gen_snapshots")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "driftgate-bench"))
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dataframe", action="store_true", help="also time pandas.read_csv + evaluate(DataFrames)")
    args = ap.parse_args()
    exe = os.path.join(args.build, "cli", "driftgate")
    n = args.rows
    ref, cur = snapshot_pair(args.build, args.data, n)
    config = os.path.join(args.data, "python_overhead.toml")
    with open(config, "w") as f:
        f.write(CONFIG.format(features=", ".join(f'"{x}"' for x in FEATURES)))
    py = sys.executable
    cli = [exe, "check", "--config", config, "--reference", ref, "--current", cur, "--format", "json", "--fail-on", "never"]

    # Same checks, first.
    expected = json.loads(run(cli)[2])["checks"]
    got = json.loads(run([py, "-c", PY_API, ref, cur, config, "1"])[2])["checks"]
    if got != expected:
        sys.exit("the Python report's checks differ from the CLI's JSON")
    if args.dataframe and json.loads(run([py, "-c", PY_FRAME, ref, cur, config, "1"])[2])["checks"] != expected:
        sys.exit("the DataFrame report's checks differ from the CLI's JSON")
    print(f"{n} rows: {len(expected)} checks, the same from the CLI and from Python")

    rows = {k: [] for k in ("cli", "cli_rss", "py_proc", "py_rss", "py_api", "py_import", "tuned_api", "tuned_proc", "df_proc", "df_read", "df_api")}
    ratios_api, ratios_proc, ratios_tuned, ratios_df = [], [], [], []
    for _ in range(args.runs):
        w, rss, _ = run(cli)
        rows["cli"].append(w)
        rows["cli_rss"].append(rss)
        w2, rss2, text = run([py, "-c", PY_API, ref, cur, config, "0"])
        t = json.loads(text)
        rows["py_proc"].append(w2)
        rows["py_rss"].append(rss2)
        rows["py_api"].append(t["api"])
        rows["py_import"].append(t["import"])
        ratios_api.append(t["api"] / w)
        ratios_proc.append(w2 / w)
        w4, _, text = run([py, "-c", PY_API, ref, cur, config, "0"], TUNED)
        rows["tuned_proc"].append(w4)
        rows["tuned_api"].append(json.loads(text)["api"])
        ratios_tuned.append(rows["tuned_api"][-1] / w)
        if args.dataframe:
            w3, _, text = run([py, "-c", PY_FRAME, ref, cur, config, "0"])
            t = json.loads(text)
            rows["df_proc"].append(w3)
            rows["df_read"].append(t["read"])
            rows["df_api"].append(t["api"])
            ratios_df.append(t["api"] / w)
    med = {k: statistics.median(v) for k, v in rows.items() if v}
    print(f"runs: {args.runs} (medians)")
    print(f"  cli check process               {med['cli']:8.3f} s   peak RSS {med['cli_rss']:7.0f} MiB")
    print(f"  python evaluate + to_dict       {med['py_api']:8.3f} s   (in the interpreter)")
    print(f"  python process                  {med['py_proc']:8.3f} s   peak RSS {med['py_rss']:7.0f} MiB"
          f"   (import driftgate {med['py_import']:.3f} s)")
    print(f"  ratio python API / cli          {statistics.median(ratios_api):8.3f}")
    print(f"  ratio python process / cli      {statistics.median(ratios_proc):8.3f}")
    print(f"  python API, GLIBC_TUNABLES      {med['tuned_api']:8.3f} s   (process {med['tuned_proc']:.3f} s)")
    print(f"  ratio tuned python API / cli    {statistics.median(ratios_tuned):8.3f}")
    if args.dataframe:
        print(f"  pandas.read_csv of both files   {med['df_read']:8.3f} s")
        print(f"  evaluate(DataFrames) + to_dict  {med['df_api']:8.3f} s")
        print(f"  ratio evaluate(DataFrames)/cli  {statistics.median(ratios_df):8.3f}")


if __name__ == "__main__":
    main()
