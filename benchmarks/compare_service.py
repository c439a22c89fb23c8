#!/usr/bin/python3
"""Side-by-side benchmark of `driftgate service` and the pandas + numpy code a user would write
for the same service checks, on generated prediction logs of growing size.

For each size S (bytes of JSON lines) it
  * generates log_S.jsonl with gen_logs (25 input features, 200 requests per second, a 5-minute
    and a 4-minute latency spike and a 5-minute error burst in the first hours), unless it exists
    in --data; with --gzip also log_S.jsonl.gz (gzip -1, by gen_logs);
  * runs `driftgate service LOG --format json --fail-on never` --runs times after one untimed
    warm-up run (the file is then in the page cache for both sides): wall time, CPU time
    (user + system, from wait4) and peak RSS of the process;
  * for sizes up to --python-max, runs the Python equivalent in a fresh interpreter
    (`compare_service.py worker LOG`), the same way: pandas.read_json(lines=True), then
    numpy.quantile for P50/P95/P99, the 4xx/5xx shares, requests / span, 2xx answers per UTC day
    (every day from the first to the last), and per minute (timestamps floored to the minute)
    the P95 and the error rate with the longest runs of consecutive minutes above 300 ms / 5%;
  * checks that every figure agrees (quantiles, shares, rates to 1e-12 relative; counts, runs,
    run starts exactly);
  * prints a Markdown table: medians, MB of JSON per second of wall time and per CPU-second, the
    ratios, peak RSS, and the time per GB (linearity).

Usage:
  /usr/bin/python3 benchmarks/compare_service.py --build build-perf --data /tmp/driftgate-logs \\
      --sizes 1G,3G,10G --python-max 1G --runs 3 --gzip 1G [--delete]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

SPIKES = ["--latency-spike", "30,5,6", "--latency-spike", "90,4,6", "--error-burst", "150,5,0.3"]


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(s[-1].upper(), 1)
    return int(float(s[:-1] if s[-1].upper() in "KMG" else s) * mult)


# ---------------------------------------------------------------- the Python equivalent

def worker(path):
    t0 = time.perf_counter()
    import numpy as np
    import pandas as pd
    t1 = time.perf_counter()

    df = pd.read_json(path, lines=True, convert_dates=False)
    ts = pd.to_datetime(df["timestamp"], utc=True).dt.tz_localize(None)  # UTC, naive
    lat = df["latency_ms"].to_numpy(dtype=float)
    st = df["status"].to_numpy()
    n = len(df)
    p50, p95, p99 = np.quantile(lat, [0.5, 0.95, 0.99])
    c4 = int(((st >= 400) & (st <= 499)).sum())
    c5 = int(((st >= 500) & (st <= 599)).sum())
    span = (ts.max() - ts.min()).total_seconds()
    ok = (st >= 200) & (st <= 299)
    day = ts.dt.floor("D")
    per_day = ok.astype(int)
    per_day = pd.Series(per_day).groupby(day.values).sum()
    per_day = per_day.reindex(pd.date_range(day.min(), day.max(), freq="D"), fill_value=0)
    minute = ts.dt.floor("min")
    p95m = df["latency_ms"].groupby(minute.values).quantile(0.95)
    errm = pd.Series((st >= 400) & (st <= 599)).groupby(minute.values).mean()
    full = pd.date_range(minute.min(), minute.max(), freq="min")

    def longest(above):
        a = above.reindex(full, fill_value=False).to_numpy()
        best, start, cur, cur_start = 0, None, 0, None
        for i, x in enumerate(a):
            if x:
                if cur == 0:
                    cur_start = i
                cur += 1
                if cur > best:
                    best, start = cur, cur_start
            else:
                cur = 0
        return best, (full[start].strftime("%Y-%m-%dT%H:%M:%SZ") if best else None)

    lat_run = longest(p95m > 300)
    err_run = longest(errm > 0.05)
    t2 = time.perf_counter()
    print(json.dumps({
        "requests": n, "p50": p50, "p95": p95, "p99": p99, "e4": c4 / n, "e5": c5 / n,
        "rps": n / span, "ppd": int(per_day.min()), "lat_run": lat_run, "err_run": err_run,
        "import_s": t1 - t0, "compute_s": t2 - t1}))


# ---------------------------------------------------------------- measuring

def timed(cmd, stdout=subprocess.PIPE):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    out = p.stdout.read() if stdout == subprocess.PIPE else b""
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        sys.exit(f"{' '.join(cmd)} failed ({code}): {err.decode()}")
    return dict(wall=wall, cpu=ru.ru_utime + ru.ru_stime, rss_mb=ru.ru_maxrss / 1024, out=out)


def measure(cmd, runs):
    timed(cmd)  # warm-up: page cache, allocator
    rs = [timed(cmd) for _ in range(runs)]
    return dict(wall=statistics.median(r["wall"] for r in rs), cpu=statistics.median(r["cpu"] for r in rs),
                rss_mb=max(r["rss_mb"] for r in rs), out=rs[-1]["out"], walls=[r["wall"] for r in rs],
                cpus=[r["cpu"] for r in rs])


def dg_figures(report):
    c = {x["check"]: x for x in report["checks"]}
    return {"requests": report["inputs"]["requests"], "p50": c["latency_p50"]["value"], "p95": c["latency_p95"]["value"],
            "p99": c["latency_p99"]["value"], "e4": c["error_rate_4xx"]["value"], "e5": c["error_rate_5xx"]["value"],
            "rps": c["requests_per_second"]["value"], "ppd": int(c["predictions_per_day"]["value"]),
            "lat_run": [int(c["latency_p95_sustained"]["value"]), c["latency_p95_sustained"]["run_start"]],
            "err_run": [int(c["error_rate_sustained"]["value"]), c["error_rate_sustained"]["run_start"]]}


def agree(a, b):
    bad = []
    for k in ("p50", "p95", "p99", "e4", "e5", "rps"):
        if abs(a[k] - b[k]) > 1e-12 * max(abs(a[k]), abs(b[k])):
            bad.append(f"{k}: {a[k]} != {b[k]}")
    for k in ("requests", "ppd"):
        if a[k] != b[k]:
            bad.append(f"{k}: {a[k]} != {b[k]}")
    for k in ("lat_run", "err_run"):
        if list(a[k]) != list(b[k]):
            bad.append(f"{k}: {a[k]} != {b[k]}")
    return bad


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "worker":
        worker(sys.argv[2])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-perf")
    ap.add_argument("--data", default="/tmp/driftgate-logs")
    ap.add_argument("--sizes", default="1G")
    ap.add_argument("--python-max", default="1G")
    ap.add_argument("--gzip", default="", help="sizes (of the plain text) also measured gzip-compressed")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--delete", action="store_true", help="delete the generated logs afterwards")
    a = ap.parse_args()
    exe = os.path.join(a.build, "cli", "driftgate")
    gen = os.path.join(a.build, "tests", "gen_logs")
    if not os.path.exists(gen):
        gen = os.path.join(a.build, "benchmarks", "gen_logs")
    os.makedirs(a.data, exist_ok=True)
    gz_sizes = {parse_size(s) for s in a.gzip.split(",") if s}
    rows, made = [], []
    for size_s in a.sizes.split(","):
        size = parse_size(size_s)
        variants = [("plain", ".jsonl")] + ([("gzip", ".jsonl.gz")] if size in gz_sizes else [])
        for kind, ext in variants:
            path = os.path.join(a.data, f"log_{size_s}{ext}")
            if not os.path.exists(path):
                print(f"generating {path}", file=sys.stderr)
                extra = ["--level", "1"] if kind == "gzip" else []
                subprocess.run([gen, "--bytes", size_s, "--rps", "200", "--seed", "1"] + SPIKES + extra + ["--out", path],
                               check=True)
                made.append(path)
            text_bytes = size if kind == "plain" else None
            print(f"driftgate service {path}", file=sys.stderr)
            d = measure([exe, "service", path, "--format", "json", "--fail-on", "never"], a.runs)
            rep = json.loads(d["out"])
            figs = dg_figures(rep)
            text_bytes = sum(f["bytes"] for f in rep["inputs"]["logs"])
            row = dict(size=size_s, kind=kind, mb=text_bytes / 1e6, requests=figs["requests"], file_mb=os.path.getsize(path) / 1e6,
                       dg=d, py=None, agree=None)
            if size <= parse_size(a.python_max):
                print(f"python worker {path}", file=sys.stderr)
                p = measure([sys.executable, os.path.abspath(__file__), "worker", path], a.runs)
                pj = json.loads(p["out"])
                row["py"] = p
                row["py_compute"] = pj["compute_s"]
                row["agree"] = agree(figs, pj)
                if row["agree"]:
                    print("DISAGREE: " + "; ".join(row["agree"]), file=sys.stderr)
            rows.append(row)
            print(json.dumps({k: (v if k not in ("dg", "py") else (None if v is None else {x: v[x] for x in v if x != "out"}))
                              for k, v in row.items()}), file=sys.stderr)
    print("| log (JSON text) | requests | driftgate wall / CPU | MB/s per CPU-second | peak RSS | Python wall / CPU (compute) | ratio wall / CPU | Python peak RSS | agree |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        d = r["dg"]
        name = f"{r['size']} {r['kind']}" + (f" ({r['file_mb']:.0f} MB on disk)" if r["kind"] == "gzip" else "")
        line = (f"| {name} | {r['requests']:,} | {d['wall']:.2f} s / {d['cpu']:.2f} s | {r['mb'] / d['cpu']:.0f} "
                f"| {d['rss_mb']:.0f} MB |")
        if r["py"]:
            p = r["py"]
            line += (f" {p['wall']:.1f} s / {p['cpu']:.1f} s ({r['py_compute']:.1f} s) | {p['wall'] / d['wall']:.1f}x / "
                     f"{p['cpu'] / d['cpu']:.1f}x | {p['rss_mb']:.0f} MB | {'yes' if not r['agree'] else 'NO'} |")
        else:
            line += " — | — | — | — |"
        print(line)
    plain = [r for r in rows if r["kind"] == "plain"]
    if len(plain) > 1:
        print("\nseconds per GB of JSON text (CPU): " +
              ", ".join(f"{r['size']}: {r['dg']['cpu'] / (r['mb'] / 1000):.3f}" for r in plain))
    if a.delete:
        for path in made:
            os.remove(path)


if __name__ == "__main__":
    main()
