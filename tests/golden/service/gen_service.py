#!/usr/bin/python3
"""Golden values for the service checks (include/driftgate/service.hpp, timestamp.hpp) and for the
JSON-lines reader and `driftgate service` end to end (cli/jsonl.cpp, cli/service_command.cpp).

Run from the repository root with /usr/bin/python3 (pandas 1.5, numpy 1.24, statsmodels 0.13,
scikit-learn 1.2), after building the log generator:
    /usr/bin/python3 tests/golden/service/gen_service.py --gen-logs build/tests/gen_logs \
        > tests/golden/service/service_golden.hpp

Independent of driftgate: logs are read with Python's json module into pandas; instants with
pandas.to_datetime (text with offsets) or from the integers; quantiles with numpy.quantile
(linear); error rates by numpy comparisons, Wilson intervals with
statsmodels.stats.proportion.proportion_confint(method="wilson"); windows with pandas groupby on
the instant floored to the minute, the window P95 with numpy.quantile per group, runs over the
windows reindexed to every minute from the first to the last (an empty minute is not above);
predictions per day with groupby on the UTC date reindexed to every day; timestamps of the edge
table with datetime.fromisoformat.

Sections of the generated header:
  * unit_*: a request log built here with numpy (out of order, NaN latencies, two versions, a
    gap, planted spikes and bursts, across a midnight) and the expected summary of every segment;
  * timestamp_cases: RFC 3339 texts and their instants (or a refusal);
  * scenarios: gen_logs command lines, the FNV-1a hash of the bytes they write (the tests check
    it before trusting the figures), and the expected checks of `driftgate service`;
  * snapshot: the proxy figures of a log read as the current snapshot.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import proportion_confint

WINDOW_US = 60 * 1_000_000
DAY_US = 86400 * 1_000_000


def lit(x):
    x = float(x)
    if math.isnan(x):
        return "kNaN"
    return repr(x)


def iso(us):
    us = int(us)
    dt = datetime.fromtimestamp(us // 1_000_000, tz=timezone.utc)
    frac = us % 1_000_000
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        s += (".%03d" % (frac // 1000)) if frac % 1000 == 0 else (".%06d" % frac)
    return s + "Z"


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def fnv1a_file(path):
    # numpy-vectorised FNV would change the order of operations; a plain loop over bytes is slow
    # but exact. Files here are a few MB.
    with open(path, "rb") as f:
        return fnv1a(f.read())


def longest_run(keys_present, above_by_key, k0, k1):
    """Longest run of consecutive minutes k0..k1 that are all above (absent minutes are not)."""
    full = pd.Series(False, index=pd.RangeIndex(k0, k1 + 1))
    full.loc[above_by_key.index] = above_by_key.values
    best, best_start, cur, cur_start = 0, None, 0, None
    for k, a in full.items():
        if a:
            if cur == 0:
                cur_start = k
            cur += 1
            if cur > best:
                best, best_start = cur, cur_start
        else:
            cur = 0
    evaluated = len(keys_present)
    above = int(above_by_key.sum())
    empty = (int(max(keys_present)) - int(min(keys_present)) + 1 - evaluated) if evaluated else 0
    if best == 0:
        return dict(longest=0, start=0, end=0, evaluated=evaluated, above=above, empty=empty)
    return dict(longest=best, start=best_start * WINDOW_US, end=(best_start + best) * WINDOW_US,
                evaluated=evaluated, above=above, empty=empty)


def summarize(df):
    """df: columns us (int64 microseconds), latency (float, NaN = none), status (int)."""
    n = len(df)
    lat = df["latency"].to_numpy(float)
    ok = lat[~np.isnan(lat)]
    q = np.quantile(ok, [0.5, 0.95, 0.99]) if len(ok) else [math.nan] * 3
    st = df["status"].to_numpy()
    c4 = int(((st >= 400) & (st <= 499)).sum())
    c5 = int(((st >= 500) & (st <= 599)).sum())
    pred = (st >= 200) & (st <= 299)
    r4 = proportion_confint(c4, n, alpha=0.05, method="wilson")
    r5 = proportion_confint(c5, n, alpha=0.05, method="wilson")
    us = df["us"].to_numpy(np.int64)
    first, last = int(us.min()), int(us.max())
    span = (last - first) / 1e6
    rps = n / span if last > first else math.nan
    # predictions per UTC day, every day from the first request's to the last's
    day = pd.Series(us // DAY_US)
    per_day = day[pred].value_counts().reindex(range(first // DAY_US, last // DAY_US + 1), fill_value=0).sort_index()
    lowest_day = int(per_day.idxmin())  # the earliest of equal minima
    # windows: pandas groupby on the minute
    g = df.assign(minute=us // WINDOW_US).groupby("minute")
    p95 = g["latency"].apply(lambda x: np.quantile(x.dropna().to_numpy(float), 0.95) if x.notna().any() else np.nan)
    p95 = p95.dropna()
    err = g["status"].apply(lambda s: ((s >= 400) & (s <= 599)).mean())
    k0, k1 = int(err.index.min()), int(err.index.max())
    lat_run = longest_run(list(p95.index), p95 > 300.0, k0, k1)
    err_run = longest_run(list(err.index), err > 0.05, k0, k1)
    return dict(requests=n, predictions=int(pred.sum()), latency_n=len(ok), latency_missing=n - len(ok),
                p50=q[0], p95=q[1], p99=q[2], c4=c4, c5=c5, r4=c4 / n, r4_lo=r4[0], r4_hi=r4[1],
                r5=c5 / n, r5_lo=r5[0], r5_hi=r5[1], first=first, last=last, span=span, rps=rps,
                days=len(per_day), lowest_day_predictions=int(per_day.min()), lowest_day=lowest_day,
                lat_run=lat_run, err_run=err_run)


def run_lit(r):
    return (f"{{{r['longest']}, {r['start']}, {r['end']}, \"{iso(r['start']) if r['longest'] else ''}\", "
            f"\"{iso(r['end']) if r['longest'] else ''}\", {r['evaluated']}, {r['above']}, {r['empty']}}}")


def segment_lit(version, s):
    return (f"    {{\"{version}\", {s['requests']}, {s['predictions']}, {s['latency_n']}, {s['latency_missing']}, "
            f"{lit(s['p50'])}, {lit(s['p95'])}, {lit(s['p99'])}, {s['c4']}, {s['c5']}, "
            f"{lit(s['r4'])}, {lit(s['r4_lo'])}, {lit(s['r4_hi'])}, {lit(s['r5'])}, {lit(s['r5_lo'])}, {lit(s['r5_hi'])}, "
            f"{s['first']}, {s['last']}, \"{iso(s['first'])}\", \"{iso(s['last'])}\", {lit(s['span'])}, {lit(s['rps'])}, "
            f"{s['days']}, {s['lowest_day_predictions']}, {s['lowest_day']}, "
            f"\"{datetime.fromtimestamp(s['lowest_day'] * 86400, tz=timezone.utc).strftime('%Y-%m-%d')}\", "
            f"{run_lit(s['lat_run'])}, {run_lit(s['err_run'])}}},\n")


def segments(df, versions=None):
    out = [("", summarize(df))]
    if versions is not None:
        for i, name in enumerate(versions):
            part = df[df["version"] == i]
            if len(part):
                out.append((name, summarize(part)))
    return out


# ---- reading a log the way a pandas user would -------------------------------------------------

def read_log(path, unit="s"):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        import gzip
        raw = gzip.decompress(raw)
    recs = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    ts = [r["timestamp"] for r in recs]
    if isinstance(ts[0], str):
        us = pd.to_datetime(pd.Series(ts), utc=True).astype("int64").to_numpy() // 1000
    else:
        scale = 1000 if unit == "s" else 1
        # exact for integers (ms) and for seconds written with three decimals
        us = np.array([round(t * scale) for t in ts], dtype=np.int64) * (1_000_000 // 1000)
    df = pd.DataFrame({
        "us": us,
        "latency": [float(r["latency_ms"]) for r in recs],
        "status": [int(r["status"]) for r in recs],
        "model_version": [r["model_version"] for r in recs],
    })
    return df, recs


def by_version(df):
    names = list(dict.fromkeys(df["model_version"]))  # order of first appearance
    return df.assign(version=df["model_version"].map({n: i for i, n in enumerate(names)})), names


# ---- the unit data set -------------------------------------------------------------------------

def unit_dataset(out):
    rng = np.random.default_rng(20251226)
    start_ms = int(datetime(2025, 12, 31, 23, 40, tzinfo=timezone.utc).timestamp() * 1000)
    minutes = 50
    ts, lat, st = [], [], []
    for m in range(minutes):
        if m in (40, 41):  # an outage: two minutes without any request
            continue
        k = rng.poisson(100)
        t = start_ms + m * 60000 + rng.integers(0, 60000, k)
        l = np.round(rng.lognormal(4.0, 0.45, k), 1)
        if 5 <= m < 10 or 20 <= m < 24:  # a 5-minute and a 4-minute latency spike
            l = np.round(l * 6, 1)
        s = np.full(k, 200)
        u = rng.uniform(size=k)
        s[u < 0.01] = 404
        s[(u >= 0.01) & (u < 0.015)] = 503
        if 30 <= m < 35:  # a 5-minute burst of server errors
            s[rng.uniform(size=k) < 0.3] = 500
        if 44 <= m < 48:  # a 4-minute burst of client errors
            s[rng.uniform(size=k) < 0.3] = 429
        ts.append(t)
        lat.append(l)
        st.append(s)
    ts, lat, st = np.concatenate(ts), np.concatenate(lat), np.concatenate(st)
    n = len(ts)
    lat[rng.choice(n, 12, replace=False)] = np.nan
    ver = (rng.uniform(size=n) < 0.3).astype(np.int64)
    perm = rng.permutation(n)  # out of order
    ts, lat, st, ver = ts[perm], lat[perm], st[perm], ver[perm]
    df = pd.DataFrame({"us": ts * 1000, "latency": lat, "status": st, "version": ver})
    out.write(f"inline const std::vector<std::int64_t> unit_ms{{{', '.join(str(int(x)) for x in ts)}}};\n")
    out.write(f"inline const std::vector<double> unit_latency{{{', '.join(lit(x) for x in lat)}}};\n")
    out.write(f"inline const std::vector<std::uint16_t> unit_status{{{', '.join(str(int(x)) for x in st)}}};\n")
    out.write(f"inline const std::vector<std::uint32_t> unit_version{{{', '.join(str(int(x)) for x in ver)}}};\n")
    out.write("inline const std::vector<std::string> unit_version_names{\"1.0.0\", \"1.1.0\"};\n")
    out.write("inline const std::vector<segment> unit_expect{\n")
    for name, s in segments(df, ["1.0.0", "1.1.0"]):
        out.write(segment_lit(name, s))
    out.write("};\n\n")


# ---- timestamps --------------------------------------------------------------------------------

TIMESTAMPS = [
    # (text, valid)
    ("2025-12-26T10:15:30Z", True),
    ("1970-01-01T00:00:00Z", True),
    ("1969-12-31T23:59:59.999999Z", True),
    ("0000-01-01T00:00:00Z", None),  # year 0: datetime cannot hold it (computed below)
    ("9999-12-31T23:59:59.999999Z", True),
    ("2024-02-29T12:00:00Z", True),
    ("2000-02-29T00:00:00+00:00", True),
    ("2025-12-26t10:15:30z", True),
    ("2025-12-26 10:15:30Z", True),
    ("2025-12-26T10:15:30+01:00", True),
    ("2025-12-26T10:15:30-05:30", True),
    ("2025-12-26T00:15:30+14:00", True),
    ("2025-01-01T00:30:00-23:59", True),
    ("2025-12-26T10:15:30+0100", True),
    ("2025-12-26T10:15:30+01", True),
    ("2025-12-26T10:15:30-00:00", True),
    ("2025-12-26T10:15:30.1Z", True),
    ("2025-12-26T10:15:30.123Z", True),
    ("2025-12-26T10:15:30.123456Z", True),
    ("2025-12-26T10:15:30.1234567Z", True),
    ("2025-12-26T10:15:30.999999999+01:00", True),
    ("2025-12-26T10:15:30,5Z", True),
    ("2016-12-31T23:59:60Z", None),  # leap second: hh:59:59.999999 (documented)
    ("2016-12-31T23:59:60.5Z", None),
    # refused
    ("2025-02-29T00:00:00Z", False),
    ("1900-02-29T00:00:00Z", False),
    ("2025-13-01T00:00:00Z", False),
    ("2025-00-10T00:00:00Z", False),
    ("2025-04-31T00:00:00Z", False),
    ("2025-12-00T00:00:00Z", False),
    ("2025-12-26T24:00:00Z", False),
    ("2025-12-26T23:60:00Z", False),
    ("2025-12-26T23:58:60Z", False),
    ("2025-12-26T10:15:61Z", False),
    ("2025-12-26T10:15:30", False),
    ("2025-12-26T10:15:30.Z", False),
    ("2025-12-26T10:15:30+24:00", False),
    ("2025-12-26T10:15:30+01:60", False),
    ("2025-12-26T10:15:30+1:00", False),
    ("2025-12-26T10:15:30+01:0", False),
    ("2025-12-26T10:15:30Z ", False),
    (" 2025-12-26T10:15:30Z", False),
    ("2025-12-26", False),
    ("2025-12-26T10:15Z", False),
    ("25-12-26T10:15:30Z", False),
    ("2025/12/26T10:15:30Z", False),
    ("2025-12-26X10:15:30Z", False),
    ("2025-12-26T10:15:30UTC", False),
    ("", False),
    ("1766744130", False),
]


def timestamps(out):
    out.write("struct timestamp_case { const char* text; bool ok; std::int64_t micros; };\n")
    out.write("inline const std::vector<timestamp_case> timestamp_cases{\n")
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    for text, valid in TIMESTAMPS:
        if valid is None:
            if text.startswith("0000"):
                # 0000-01-01 is 719528 days before 1970-01-01 (proleptic Gregorian: year 0 is a leap year)
                micros = -(719528 * 86400) * 1_000_000
            else:
                # a leap second is placed at hh:59:59.999999 of its minute
                dt = datetime.fromisoformat(text[:19].replace(":60", ":59") + "+00:00")
                micros = (int((dt - epoch).total_seconds()) * 1_000_000) + 999_999
            out.write(f"    {{\"{text}\", true, {micros}}},\n")
        elif valid:
            dt = datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
            delta = dt - epoch
            micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
            out.write(f"    {{\"{text}\", true, {micros}}},\n")
        else:
            out.write(f"    {{\"{text}\", false, 0}},\n")
    out.write("};\n\n")


# ---- end-to-end scenarios ----------------------------------------------------------------------

# name, gen_logs arguments (without --out), the [service] configuration used, versions, time unit
SCENARIOS = [
    ("spikes", "--minutes 60 --rps 3 --seed 11 --features 4 --latency-spike 10,5,6 --latency-spike 30,4,6 "
               "--error-burst 45,4,0.3", "", False, "s"),
    ("four", "--minutes 30 --rps 3 --seed 17 --features 4 --latency-spike 10,4,6 --error-burst 20,4,0.3", "", False, "s"),
    ("bursts", "--minutes 40 --rps 2 --seed 12 --features 4 --error-burst 8,5,0.3 --latency-spike 20,3,6 "
               "--gap 23,1 --latency-spike 24,3,6 --versions 1.0.0=3,1.1.0=1 --time-format iso-offset", "", True, "s"),
    ("epoch_ms", "--minutes 12 --rps 2 --seed 13 --features 2 --time-format epoch-ms --latency-spike 2,5,6",
     "[service]\ntimestamp_unit = \"ms\"\n", False, "ms"),
    ("epoch_s", "--minutes 12 --rps 2 --seed 14 --features 2 --time-format epoch --error-burst 3,6,0.2", "", False, "s"),
    ("shuffled", "--minutes 20 --rps 3 --seed 15 --features 3 --time-format iso-ms --latency-decimals 2 --shuffle 500 "
                 "--latency-spike 5,5,6", "", False, "s"),
    ("midnight", "--start 2025-12-26T22:00:00Z --minutes 180 --rps 0.1 --seed 16 --features 2", "", False, "s"),
]


def scenarios(out, gen_logs, tmp):
    out.write("struct scenario { const char* name; const char* gen_args; const char* config; bool by_version;\n"
              "                  std::uint64_t fnv1a; std::size_t bytes; std::vector<segment> expect; };\n")
    out.write("inline const std::vector<scenario> scenarios{\n")
    for name, args, config, versions, unit in SCENARIOS:
        path = os.path.join(tmp, name + ".jsonl")
        subprocess.run([gen_logs] + args.split() + ["--out", path], check=True)
        df, _ = read_log(path, unit)
        names = None
        if versions:
            df, names = by_version(df)
        cfg = config.replace("\n", "\\n").replace('"', '\\"')
        out.write(f"  {{\"{name}\", \"{args}\", \"{cfg}\", {'true' if versions else 'false'}, "
                  f"{fnv1a_file(path)}ULL, {os.path.getsize(path)}, {{\n")
        for vname, s in segments(df, names):
            out.write("  " + segment_lit(vname, s))
        out.write("  }},\n")
    out.write("};\n\n")


def snapshot(out, gen_logs, tmp):
    """A log read as the current snapshot: the proxy figures of its 2xx answers, and the AUC of
    its label against its score."""
    args = "--minutes 20 --rps 4 --seed 21 --nulls 0.02 --label outcome --error-burst 5,2,0.2"
    path = os.path.join(tmp, "snapshot.jsonl")
    subprocess.run([gen_logs] + args.split() + ["--out", path], check=True)
    _, recs = read_log(path)
    ok = [r for r in recs if 200 <= r["status"] <= 299]
    score = np.array([r["prediction"]["probability"] for r in ok], dtype=float)
    label = np.array([r["outcome"] for r in ok], dtype=int)
    limit_missing = sum(1 for r in ok if r["input"]["LIMIT_BAL"] is None)
    out.write("struct snapshot_case { const char* gen_args; std::uint64_t fnv1a; std::size_t rows, others, limit_bal_missing;\n"
              "                      double high_risk_share, mean_score, approval_rate, auc; };\n")
    out.write(f"inline const snapshot_case snapshot{{\"{args}\", {fnv1a_file(path)}ULL, {len(ok)}, "
              f"{len(recs) - len(ok)}, {limit_missing}, {lit((score > 0.5).mean())}, {lit(score.mean())}, "
              f"{lit((score < 0.2).mean())}, {lit(roc_auc_score(label, score))}}};\n\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen-logs", required=True, help="the built gen_logs executable")
    a = ap.parse_args()
    out = sys.stdout
    out.write("// Generated by tests/golden/service/gen_service.py with /usr/bin/python3 (pandas 1.5, numpy 1.24,\n"
              "// statsmodels 0.13, scikit-learn 1.2): do not edit by hand.\n#pragma once\n\n"
              "#include <cstddef>\n#include <cstdint>\n#include <limits>\n#include <string>\n#include <vector>\n\n"
              "namespace golden_service {\n\ninline const double kNaN = std::numeric_limits<double>::quiet_NaN();\n\n")
    out.write("struct run { std::size_t longest; std::int64_t start_us, end_us; const char* start, *end;\n"
              "             std::size_t evaluated, above, empty; };\n")
    out.write("struct segment {\n"
              "    const char* version;  // \"\": every request\n"
              "    std::size_t requests, predictions, latency_n, latency_missing;\n"
              "    double p50, p95, p99;\n"
              "    std::size_t c4, c5;\n"
              "    double r4, r4_lo, r4_hi, r5, r5_lo, r5_hi;\n"
              "    std::int64_t first_us, last_us; const char* first, *last; double span_seconds, rps;\n"
              "    std::size_t days, lowest_day_predictions; std::int64_t lowest_day; const char* lowest_date;\n"
              "    run lat_run, err_run;\n"
              "};\n\n")
    unit_dataset(out)
    timestamps(out)
    with tempfile.TemporaryDirectory() as tmp:
        scenarios(out, os.path.abspath(a.gen_logs), tmp)
        snapshot(out, os.path.abspath(a.gen_logs), tmp)
    out.write("} // namespace golden_service\n")


if __name__ == "__main__":
    main()
