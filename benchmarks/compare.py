#!/usr/bin/python3
"""Side-by-side benchmark: driftgate's CLI against the pandas + scipy + scikit-learn code a user
would write for the same monitoring run, on generated snapshot pairs of growing size.

For each size N and each spelling in --styles (gen_snapshots --style: integer, pandas-float,
quoted-crlf) it
  * generates ref_N.csv (seed 1, no shift) and cur_N.csv (seed 2, --shift) with gen_snapshots,
    unless they exist in --data (ref_N.STYLE.csv and cur_N.STYLE.csv for the styles other than
    integer);
  * runs `driftgate drift REF CUR --columns <10 features> --score score --format json` and
    `driftgate perf CUR --score score --label label --format json` (--runs times, after --warmup
    untimed runs; wall time of each process and its peak RSS from wait4);
  * runs the Python equivalent in a fresh interpreter (`compare.py worker REF CUR`), --runs times
    after --warmup untimed runs:
    pandas.read_csv of the needed columns; per feature driftgate's rule: a column whose reference
    has at most 20 distinct values ([drift] max_distinct; the PAY_* codes) is discrete, judged by
    scipy.stats.chi2_contingency on the 2 x k table of counts of each reference value and of the
    values the reference never had, and binned one bin per
    reference value plus a bin for values the reference never had; any other is continuous,
    judged by scipy.stats.ks_2samp (method 'auto') and binned by the reference's deciles merged
    with np.unique (open outer bins); both with a missing-value bin and empty-bin shares replaced
    by 1e-4 in the numpy PSI; CSI of the score the same way, and
    sklearn roc_auc_score / brier_score_loss / recall_score / precision_score at PD >= 0.12, plus
    the classifier KS max(TPR - FPR) from roc_curve;
  * checks that every number agrees (PSI, AUC, classifier KS, Brier, recall, precision to 1e-9
    absolute; the KS D and chi-square statistics and the p-values to 1e-9 relative, unless
    scipy's p underflows to 0), and that
    `--threads 1` gives byte-identical JSON to the default thread count;
  * checks that driftgate's reports equal those of the first style (the same values spelled
    otherwise), but for the input files' paths, sizes and times;
  * prints a Markdown table, one row per size and style: medians, the wall and CPU time ratios
    and peak RSS of each side.

With --evict each pair is dropped from the page cache before its runs, so that driftgate's first
(untimed) run reads it from the disk through its mapping.

Usage:
  /usr/bin/python3 benchmarks/compare.py --build build-perf --data /tmp/driftgate-bench \
      --sizes 100000,1000000,10000000 --runs 3 [--evict]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

FEATURES = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6",
            "LIMIT_BAL", "utilization_1", "payment_ratio_1", "BILL_AMT1"]
SCORE, LABEL, THRESHOLD = "score", "label", 0.12
EPS, BINS, MAX_DISTINCT = 1e-4, 10, 20


# ---------------------------------------------------------------- the Python equivalent

def py_bins(np, ref, cur):
    """Shares of the reference and the current sample over driftgate's automatic bins (see the
    module docstring), each bin's empty shares replaced by EPS, bins empty on both sides dropped."""
    fin = ref[np.isfinite(ref)]
    distinct = np.unique(fin)
    if len(distinct) <= MAX_DISTINCT:
        # One bin per reference value, a bin for the current values the reference never had, and
        # the missing values' bin.
        def counts(x):
            miss = np.isnan(x)
            v = x[~miss]
            at = np.searchsorted(distinct, v)
            seen = (at < len(distinct)) & (distinct[np.minimum(at, len(distinct) - 1)] == v)
            c = np.bincount(at[seen], minlength=len(distinct))
            return np.concatenate([c, [np.sum(~seen), miss.sum()]]).astype(float)
    else:
        inner = np.unique(np.quantile(fin, np.linspace(0, 1, BINS + 1)))[1:-1]

        def counts(x):
            miss = np.isnan(x)
            c = np.bincount(np.searchsorted(inner, x[~miss], side="right"), minlength=len(inner) + 1)
            return np.append(c, miss.sum()).astype(float)

    r = counts(ref) / len(ref)
    c = counts(cur) / len(cur)
    keep = (r > 0) | (c > 0)
    return np.where(r == 0, EPS, r)[keep], np.where(c == 0, EPS, c)[keep]


def py_psi(np, ref, cur):
    """PSI with driftgate's automatic binning."""
    r, c = py_bins(np, ref, cur)
    return float(np.sum((c - r) * np.log(c / r)))


def is_discrete(np, ref):
    """driftgate's rule: a numeric column is discrete when its reference has at most
    MAX_DISTINCT ([drift] max_distinct) distinct values; it is then judged by chi-square, not KS."""
    return len(np.unique(ref[np.isfinite(ref)])) <= MAX_DISTINCT


def worker(ref_path, cur_path):
    t0 = time.perf_counter()
    import numpy as np
    import pandas as pd
    from scipy import stats
    from sklearn import metrics
    t1 = time.perf_counter()

    ref = pd.read_csv(ref_path, usecols=FEATURES + [SCORE])
    cur = pd.read_csv(cur_path, usecols=FEATURES + [SCORE, LABEL])
    out = {"psi": {}, "ks": {}, "chi2": {}, "perf": {}}
    for col in FEATURES + [SCORE]:
        r = ref[col].to_numpy(dtype=float)
        c = cur[col].to_numpy(dtype=float)
        out["psi"][col] = py_psi(np, r, c)
        if col == SCORE:
            continue
        r, c = r[~np.isnan(r)], c[~np.isnan(c)]
        if is_discrete(np, r):
            # chi-square test of homogeneity on the 2 x k table, one column per reference value and
            # one of the values the reference never had
            values = np.union1d(r, c)
            table = np.array([np.bincount(np.searchsorted(values, x), minlength=len(values)) for x in (r, c)])
            seen = table[0] > 0
            table = np.column_stack([table[:, seen], table[:, ~seen].sum(axis=1)])
            table = table[:, table.sum(axis=0) > 0]
            chi = stats.chi2_contingency(table)
            out["chi2"][col] = [float(chi[0]), float(chi[1])]
        else:
            k = stats.ks_2samp(r, c)
            out["ks"][col] = [float(k.statistic), float(k.pvalue)]
    y = cur[LABEL].to_numpy()
    s = cur[SCORE].to_numpy(dtype=float)
    pred = (s >= THRESHOLD).astype(int)
    fpr, tpr, _ = metrics.roc_curve(y, s)
    out["perf"] = {
        "auc": float(metrics.roc_auc_score(y, s)),
        "ks_statistic": float(np.max(tpr - fpr)),
        "brier": float(metrics.brier_score_loss(y, s)),
        "recall": float(metrics.recall_score(y, pred)),
        "precision": float(metrics.precision_score(y, pred)),
    }
    t2 = time.perf_counter()
    out["import_seconds"] = t1 - t0
    out["compute_seconds"] = t2 - t1
    json.dump(out, sys.stdout)


# ---------------------------------------------------------------- measuring

def run(cmd, env=None):
    """Runs cmd; returns (wall seconds, CPU seconds (user + system), peak RSS in MiB, stdout text)."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode()
        p.stderr.close()
        out.seek(0)
        text = out.read().decode()
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited with {p.returncode}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, text


def snapshot_pair(build, data, n, shift="0.1", style="integer"):
    """The snapshot pair of n rows in `data`: ref_N.csv (seed 1, no shift) and cur_N.csv (seed 2,
    `shift`), ref_N.STYLE.csv and cur_N.STYLE.csv for a style other than integer; made with
    <build>/benchmarks/gen_snapshots when missing. Returns (ref, cur)."""
    gen = os.path.join(build, "benchmarks", "gen_snapshots")
    os.makedirs(data, exist_ok=True)
    suffix = "" if style == "integer" else "." + style  # the integer files keep their old names
    paths = []
    for side, seed, sh in (("ref", "1", "0"), ("cur", "2", shift)):
        path = os.path.join(data, f"{side}_{n}{suffix}.csv")
        if not os.path.exists(path):
            subprocess.run([gen, "--rows", str(n), "--seed", seed, "--shift", sh, "--style", style, "--out", path], check=True)
        paths.append(path)
    return paths[0], paths[1]


def driftgate_cmds(exe, ref, cur, threads=None):
    extra = ["--threads", str(threads)] if threads else []
    drift = [exe, "drift", ref, cur, "--columns", ",".join(FEATURES), "--score", SCORE,
             "--format", "json", "--fail-on", "never"] + extra
    perf = [exe, "perf", cur, "--score", SCORE, "--label", LABEL, "--threshold", str(THRESHOLD),
            "--format", "json", "--fail-on", "never"] + extra
    return drift, perf


def driftgate_numbers(drift_json, perf_json):
    d, p = json.loads(drift_json), json.loads(perf_json)
    out = {"psi": {}, "ks": {}, "chi2": {}, "perf": {}}
    for c in d["checks"]:
        if c["check"] in ("psi", "csi"):
            out["psi"][c["column"]] = c["value"]
        elif c["check"] in ("ks", "chi2"):
            out[c["check"]][c["column"]] = [c["statistic"], c["pvalue"]]
    for c in p["checks"]:
        out["perf"][c["check"]] = c["value"]
    return out


def report_content(text):
    """A report without what describes its input files (paths, sizes, times, digests) or the run."""
    j = json.loads(text)
    for side in ("reference", "current", "data"):
        for k in ("path", "size_bytes", "modified", "sha256"):
            j.get("inputs", {}).get(side, {}).pop(k, None)
    j.get("inputs", {}).pop("config", None)
    j.pop("run", None)
    return j


def agree(dg, py):
    """List of disagreements (empty when every number agrees)."""
    bad = []

    def close(name, a, b, tol=1e-9):
        if a is None or b is None or abs(a - b) > tol:
            bad.append(f"{name}: driftgate {a!r} python {b!r}")

    for col, v in py["psi"].items():
        close(f"psi[{col}]", dg["psi"].get(col), v)
    for test in ("ks", "chi2"):
        for col, (d, pv) in py[test].items():
            dd, dp = dg[test].get(col, [None, None])
            close(f"{test} statistic[{col}] (relative)", None if dd is None else dd / d if d else dd, 1.0 if d else 0.0)
            if pv > 0.0 and dp is not None:
                close(f"{test} p[{col}] (relative)", dp / pv, 1.0)
            elif dp is None:
                bad.append(f"{test} p[{col}] missing")
    for k, v in py["perf"].items():
        close(k, dg["perf"].get(k), v)
    return bad


def evict(path):
    """Drops the file's pages from the page cache (written back first: dirty pages stay)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "worker":
        worker(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-perf", help="build directory holding cli/driftgate and benchmarks/gen_snapshots")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "driftgate-bench"), help="where the CSV files go")
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed runs of each side before its timed ones (file cache, and memory the previous "
                         "side freed: on a virtual machine the first touch of returned memory is slow)")
    ap.add_argument("--shift", default="0.1")
    ap.add_argument("--styles", default="integer,pandas-float,quoted-crlf",
                    help="spellings of the same values (gen_snapshots --style), compared side by side")
    ap.add_argument("--evict", action="store_true",
                    help="drop each pair from the page cache before its warm-up runs, so that driftgate's first "
                         "run reads it from the disk: the page cache then holds the files as driftgate's mapping "
                         "read them (2 MiB folios where the kernel allows), as for a reference file a daily job "
                         "reads again, rather than as the generator wrote them (small folios)")
    args = ap.parse_args()

    exe = os.path.join(args.build, "cli", "driftgate")
    rows = []
    first_reports = {}  # per size: the reports of the first style
    styles = args.styles.split(",")
    for n, style in [(int(float(s)), st) for s in args.sizes.split(",") for st in styles]:
        ref, cur = snapshot_pair(args.build, args.data, n, args.shift, style)
        mb = (os.path.getsize(ref) + os.path.getsize(cur)) / 1e6

        drift_cmd, perf_cmd = driftgate_cmds(exe, ref, cur)
        dg_times, dg_cpu, dg_rss, dg_out = [], [], [], None
        if args.evict:
            for path in (ref, cur):
                evict(path)
        for _ in range(args.warmup):
            run(drift_cmd)
            run(perf_cmd)
        for _ in range(args.runs):
            t1, c1, r1, o1 = run(drift_cmd)
            t2, c2, r2, o2 = run(perf_cmd)
            dg_times.append(t1 + t2)
            dg_cpu.append(c1 + c2)
            dg_rss.append(max(r1, r2))
            dg_out = (o1, o2)
        d1, p1 = driftgate_cmds(exe, ref, cur, threads=1)
        # Compared without the run's timestamp (whole seconds: two runs may straddle one).
        same_threads = (report_content(run(d1)[3]) == report_content(dg_out[0]) and
                        report_content(run(p1)[3]) == report_content(dg_out[1]))

        py_times, py_cpu, py_compute, py_rss, py_out = [], [], [], [], None
        for _ in range(args.warmup):
            run([sys.executable, os.path.abspath(__file__), "worker", ref, cur])
        for _ in range(args.runs):
            t, c, r, o = run([sys.executable, os.path.abspath(__file__), "worker", ref, cur])
            py_out = json.loads(o)
            py_times.append(t)
            py_cpu.append(c)
            py_compute.append(py_out["compute_seconds"])
            py_rss.append(r)

        problems = agree(driftgate_numbers(*dg_out), py_out)
        # The same values spelled otherwise: the same reports (but for the files' paths, sizes, times).
        reports = (report_content(dg_out[0]), report_content(dg_out[1]))
        first_reports.setdefault(n, reports)
        row = {
            "rows": n, "style": style, "mb": mb, "same_as_first": reports == first_reports[n],
            "dg": statistics.median(dg_times), "dg_cpu": statistics.median(dg_cpu), "dg_rss": max(dg_rss),
            "py": statistics.median(py_compute), "py_proc": statistics.median(py_times),
            "py_cpu": statistics.median(py_cpu), "py_rss": max(py_rss),
            "agree": not problems, "threads_identical": same_threads,
        }
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
        for p in problems:
            print("  DISAGREE " + p, file=sys.stderr)

    print("| rows | style | input MB (ref+cur) | driftgate wall s (drift+perf) | Python wall s (compute) "
          "| Python wall s (process) | wall ratio (compute) | driftgate CPU s | Python CPU s | CPU ratio "
          "| driftgate peak RSS MB | Python peak RSS MB | RSS ratio | all numbers agree | --threads 1 JSON identical "
          f"| reports = {styles[0]}'s |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|:---:|")
    for r in rows:
        print(f"| {r['rows']:,} | {r['style']} | {r['mb']:.0f} | {r['dg']:.3f} | {r['py']:.2f} | {r['py_proc']:.2f} "
              f"| {r['py'] / r['dg']:.1f}x | {r['dg_cpu']:.2f} | {r['py_cpu']:.2f} | {r['py_cpu'] / r['dg_cpu']:.1f}x "
              f"| {r['dg_rss']:.0f} | {r['py_rss']:.0f} | {r['dg_rss'] / r['py_rss']:.2f} "
              f"| {'yes' if r['agree'] else 'NO'} | {'yes' if r['threads_identical'] else 'NO'} "
              f"| {'yes' if r['same_as_first'] else 'NO'} |")
    by = {r["rows"]: r for r in rows if r["style"] == styles[0]}
    for small, big in ((100_000, 1_000_000), (1_000_000, 10_000_000)):
        if small in by and big in by:
            scale = by[big]["dg"] / (by[small]["dg"] * big / small)
            cpu = by[big]["dg_cpu"] / (by[small]["dg_cpu"] * big / small)
            print(f"\ndriftgate at {big:,} rows / (linear scaling from {small:,}): wall {scale:.2f}, CPU {cpu:.2f}")


if __name__ == "__main__":
    main()
