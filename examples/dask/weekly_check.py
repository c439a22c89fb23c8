#!/usr/bin/python3
"""The weekly drift check on a data lake's partitioned CSV files, with Dask.

    weekly_check.py --config examples/credit/config.toml \
        --reference 'lake/reference/*.csv' --current 'lake/week-49/*.csv' --out reports/week-49 \
        [--scheduler tcp://host:8786 | --workers 2]

The reference is profiled on the workers (one profile per partition, merged exactly) and saved as
OUT/reference.dgp: later weeks pass that file as --reference and skip the work, and the CLI reads it
too (`driftgate check --reference OUT/reference.dgp ...`). The current week is profiled the same
way; the checks are those of `driftgate check`, written as OUT/report.json (the CLI's JSON) and
OUT/report.txt. Exit codes as the CLI's: 0 no critical breach, 2 a critical breach, 65 bad data or
configuration, 66 a missing input; anything that could not be judged is never 0.
"""
import argparse
import glob
import json
import os
import sys


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True, help="driftgate configuration (TOML)")
    ap.add_argument("--reference", required=True, help="glob of the reference's CSV partitions, or a saved profile (.dgp)")
    ap.add_argument("--current", required=True, help="glob of the current week's CSV partitions")
    ap.add_argument("--out", required=True, help="directory for reference.dgp, report.json, report.txt")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster (default 2)")
    ap.add_argument("--fail-on", choices=["warning", "critical", "never"], default="critical")
    return ap.parse_args(argv)


def read_partitions(pattern):
    import dask.dataframe as dd
    files = sorted(glob.glob(pattern))
    if not files:
        raise FileNotFoundError(f"{pattern}: no file matches")
    # round_trip: the correctly rounded double of every number, as the CLI's reader
    return dd.read_csv(files, float_precision="round_trip", blocksize=None), len(files)


def text_report(report):
    lines = [f"driftgate weekly check: {report.status.upper()}"]
    for c in report.checks:
        if c.severity in ("warning", "critical"):
            value = "n/a" if c.value is None else f"{c.value:.6g}"
            lines.append(f"  {c.severity:<8} {c.section}/{c.check} {c.column}: {value}")
    lines += [f"  note: {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def run(args):
    import distributed

    import driftgate as dg

    cfg = dg.policy(args.config)
    os.makedirs(args.out, exist_ok=True)
    if args.scheduler:
        client = distributed.Client(args.scheduler)
        cluster = None
    else:
        cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
    try:
        if args.reference.endswith(".dgp"):
            reference = dg.load_profile(args.reference)
        else:
            ref_frame, n = read_partitions(args.reference)
            reference = dg.profile(ref_frame, config=cfg, source=f"{args.reference} ({n} partitions)")
            reference.save(os.path.join(args.out, "reference.dgp"))
        current, n = read_partitions(args.current)
        report = dg.evaluate(reference, current, config=cfg)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    write_atomically(os.path.join(args.out, "report.json"), report.to_json() + "\n")
    write_atomically(os.path.join(args.out, "report.txt"), text_report(report))
    sys.stdout.write(text_report(report))
    return 2 if report.gate_fails(args.fail_on) else 0


def main(argv=None):
    args = parse_args(argv)
    import driftgate as dg
    try:
        return run(args)
    except dg.DriftgateError as e:
        print(f"driftgate: {e}", file=sys.stderr)
        return e.exit_code
    except FileNotFoundError as e:
        print(f"driftgate: {e}", file=sys.stderr)
        return 66


if __name__ == "__main__":  # dask.distributed spawns its worker processes: they re-import this file
    sys.exit(main())
