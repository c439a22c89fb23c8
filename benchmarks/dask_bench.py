#!/usr/bin/python3
"""Dask against the single process: the whole check of a partitioned snapshot pair on a
dask.distributed LocalCluster, and `driftgate check` on the same rows as two files.

Usage:
  PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/dask_bench.py [--build build-perf]
      [--data /tmp/driftgate-bench] [--rows 10000000] [--partitions 10] [--workers 2] [--runs 1] [--single]

With gen_snapshots' pair of N rows (ref_N.csv, cur_N.csv in --data, as compare.py makes them), split
once into --partitions files each (ref_N.parts/, cur_N.parts/: the layout a data lake writes), it
runs, --runs times in turns, each in a fresh process:
  * cli:  `driftgate check --config C --reference ref_N.csv --current cur_N.csv --format json`;
  * dask: a LocalCluster of --workers worker processes of one thread each, then
          `driftgate.profile(dd.read_csv(ref parts), config=C)` (one profile per partition on the
          workers, merged exactly) and `driftgate.evaluate(reference, dd.read_csv(cur parts), config=C)`;
          timed from the cluster's start (its start is also given alone), with the peak RSS of each
          worker process (getrusage in the worker) and of the client process.
C monitors compare.py's 10 features, the score (CSI, performance at 0.12, proxies) and the label.
First it checks that the Dask report's checks equal the CLI's JSON. Prints medians. A worker's
peak memory is what the single process needs divided by the workers only for the partition
profiles: the merge tree's last step, on one worker, and the client hold the whole continuous
columns (python/README.md, "On a Dask cluster"). Nothing here is asserted by a test.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import run, snapshot_pair  # noqa: E402  (wall s, CPU s, peak RSS MiB, stdout) of one process
from python_overhead import CONFIG, FEATURES  # noqa: E402

DASK_RUN = r"""
import glob, json, resource, sys, time
if __name__ == "__main__":
    t0 = time.perf_counter()
    import dask.dataframe as dd
    import distributed
    import driftgate as dg
    ref_parts, cur_parts, config, workers, with_checks = sys.argv[1:6]
    with distributed.LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                                  dashboard_address=None, memory_limit=0) as cluster, distributed.Client(cluster) as client:
        t1 = time.perf_counter()
        policy = dg.policy(config)
        ref = dd.read_csv(sorted(glob.glob(ref_parts)), float_precision="round_trip", blocksize=None)
        reference = dg.profile(ref, config=policy)
        t2 = time.perf_counter()
        cur = dd.read_csv(sorted(glob.glob(cur_parts)), float_precision="round_trip", blocksize=None)
        report = dg.evaluate(reference, cur, config=policy)
        checks = [c.to_dict() for c in report.checks]
        t3 = time.perf_counter()
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    json.dump({"start": t1 - t0, "profile": t2 - t1, "evaluate": t3 - t2, "total": t3 - t1,
               "workers_rss": sorted(peaks.values()),
               "client_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
               "checks": checks if with_checks == "1" else None}, sys.stdout)
"""


def split(src, out_dir, parts):
    """Splits src into `parts` files of consecutive rows, each with the header (streamed)."""
    if os.path.isdir(out_dir) and len(os.listdir(out_dir)) == parts:
        return
    os.makedirs(out_dir, exist_ok=True)
    with open(src) as f:
        rows = sum(1 for _ in f) - 1
    step = -(-rows // parts)
    with open(src) as f:
        header = f.readline()
        for i in range(parts):
            with open(os.path.join(out_dir, f"part-{i:03d}.csv"), "w") as out:
                out.write(header)
                for _ in range(step):
                    line = f.readline()
                    if not line:
                        break
                    out.write(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-perf", help="build directory holding cli/driftgate and benchmarks/gen_snapshots")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "driftgate-bench"))
    ap.add_argument("--rows", type=int, default=10000000)
    ap.add_argument("--partitions", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--single", action="store_true",
                    help="time the run that checks the checks (one Dask run in all: for 1e8 rows, where a run takes "
                         "a quarter of an hour; its time includes turning the checks into dicts)")
    a = ap.parse_args()
    exe = os.path.join(a.build, "cli", "driftgate")
    n = a.rows
    ref, cur = snapshot_pair(a.build, a.data, n)
    ref_dir, cur_dir = ref[:-4] + ".parts", cur[:-4] + ".parts"
    split(ref, ref_dir, a.partitions)
    split(cur, cur_dir, a.partitions)
    config = os.path.join(a.data, "dask_bench.toml")
    with open(config, "w") as f:
        f.write(CONFIG.format(features=", ".join(f'"{x}"' for x in FEATURES)))
    cli = [exe, "check", "--config", config, "--reference", ref, "--current", cur, "--format", "json", "--fail-on", "never"]
    dask = [sys.executable, "-c", DASK_RUN, os.path.join(ref_dir, "*.csv"), os.path.join(cur_dir, "*.csv"), config,
            str(a.workers)]

    cli_w, cli_c, cli_r, text = run(cli)
    expected = json.loads(text)["checks"]
    checked_w, _, _, checked_text = run(dask + ["1"])
    got = json.loads(checked_text)
    same = got["checks"] == expected
    print(f"{n} rows, {a.partitions} partitions per file, {a.workers} workers: {len(expected)} checks; "
          f"Dask's equal the CLI's: {'yes' if same else 'NO'}", flush=True)
    rows = {k: [] for k in ("cli", "cli_cpu", "cli_rss", "proc", "start", "profile", "evaluate", "total", "worker", "client", "proc_rss")}
    if a.single:
        rows["cli"].append(cli_w)
        rows["cli_cpu"].append(cli_c)
        rows["cli_rss"].append(cli_r)
        rows["proc"].append(checked_w)
        for k in ("start", "profile", "evaluate", "total"):
            rows[k].append(got[k])
        rows["worker"].append(max(got["workers_rss"]))
        rows["client"].append(got["client_rss"])
    for _ in range(0 if a.single else a.runs):
        w, c, r, _ = run(cli)
        rows["cli"].append(w)
        rows["cli_cpu"].append(c)
        rows["cli_rss"].append(r)
        w2, _, r2, text = run(dask + ["0"])
        t = json.loads(text)
        rows["proc"].append(w2)
        for k in ("start", "profile", "evaluate", "total"):
            rows[k].append(t[k])
        rows["worker"].append(max(t["workers_rss"]))
        rows["client"].append(t["client_rss"])
    med = {k: statistics.median(v) for k, v in rows.items() if v}
    print(f"  driftgate check (one process)     {med['cli']:8.2f} s   CPU {med['cli_cpu']:7.2f} s   peak RSS {med['cli_rss']:7.0f} MiB")
    print(f"  Dask: cluster start                {med['start']:8.2f} s")
    print(f"  Dask: profile of the reference     {med['profile']:8.2f} s")
    print(f"  Dask: evaluate the current file    {med['evaluate']:8.2f} s")
    print(f"  Dask: both, after the start        {med['total']:8.2f} s   ratio to the CLI {med['total'] / med['cli']:.2f}")
    print(f"  Dask: peak RSS, largest worker     {med['worker']:8.0f} MiB   client {med['client']:.0f} MiB")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
