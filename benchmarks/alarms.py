#!/usr/bin/python3
"""Alarms that mean something: what each drift setting of driftgate raises on real data.

For every setting below, the built `driftgate drift` CLI is run (`--format json --fail-on never
--threads 1`) on snapshot pairs written to a temporary directory, with a configuration written by
this script; the JSON reports are tabulated. Nothing is computed in place of the CLI: the tables
count the severities driftgate printed. Python only writes the splits, reads the reports, and
re-judges every drift check independently from the figures in the report (a cross-check of
driftgate's judging, the multiple-testing adjustment against statsmodels, and the gates).

Experiments
  * UCI null: --runs seeded random 24,000 / 6,000 splits of the UCI data (ID excluded, the label
    set as [columns] label): no drift by construction. Features at warning / critical per run,
    the share of runs with any alarm, per setting.
  * UCI planted: the same random splits with a shift planted in the current part (two strengths,
    see PLANTS): how often each setting finds the planted features, and what it raises elsewhere.
  * UCI ordered: the first 24,000 rows against the last 6,000 (the file is ordered by ID and the
    two parts differ), as is and with the strong plant: which features each setting flags.
  * German credit: --runs seeded random 500 / 500 halves (13 text attributes, judged as
    categorical), as is and with a shift planted in two text attributes (see GERMAN_PLANT).
  * Upstream (with --upstream DIR): the monitored system's own X_train.csv / X_test.csv (a random
    split), one run per setting; driftgate's PSI per feature against the system's committed
    drift report, with that report's binning recomputed here; and a shift planted inside one of
    that binning's bins (BLIND_PLANT), measured both ways.

Usage (from the repository root, after building the CLI; --build is the build directory holding
cli/driftgate, build/release after the README's quick start):
  /usr/bin/python3 benchmarks/alarms.py --build build/release [--upstream DIR] [--runs 200] [--jobs 2]
  /usr/bin/python3 benchmarks/alarms.py --build build/release --quick        # 10 runs: a smoke test

Needs numpy, pandas and statsmodels (Debian: DRIFTGATE_PYTHON_DEPS=1 scripts/install-deps.sh, or
apt-get install python3-statsmodels).

Runtime on a shared 2-core machine: about 21 minutes for the full run (9,028 CLI runs), 13 s to
about a minute for --quick.

Deterministic: every split and plant comes from numpy's PCG64 seeded with (--seed, experiment,
run); the tables do not depend on --jobs. Exits non-zero if the CLI fails or exits other than 0
(the runs use --fail-on never), if a report lacks a monitored feature, or if a cross-check fails.
"""
import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

ROOT = Path(__file__).resolve().parent.parent
UCI_CSV = ROOT / "examples" / "credit" / "data" / "uci_credit_card.csv"
GERMAN_CSV = ROOT / "benchmarks" / "data" / "german_credit_statlog.csv"
UPSTREAM_REPORT = ROOT / "benchmarks" / "data" / "upstream" / "drift_report_20251218_194524.json"

SEVERITIES = ["ok", "info", "warning", "critical"]
RANK = {s: i for i, s in enumerate(SEVERITIES)}

# ---------------------------------------------------------------- settings

# Effect-size bounds used by the gated settings (warning; critical where a setting has one).
EFFECT_WARNING = {"ks_statistic": 0.05, "cramers_v": 0.05, "wasserstein": 0.1}
EFFECT_CRITICAL = {"ks_statistic": 0.1, "cramers_v": 0.1, "wasserstein": 0.2}


class Setting:
    def __init__(self, key, label, correction="none", gate=None, effect_warning=None, effect_critical=None,
                 tests_off=False):
        self.key, self.label = key, label
        self.correction, self.gate = correction, gate
        self.effect_warning = effect_warning or {}
        self.effect_critical = effect_critical or {}
        self.tests_off = tests_off

    def toml(self):
        """The [drift] part of the configuration."""
        out = ["[drift]", f'correction = "{self.correction}"']
        if self.gate:
            out.append(f'effect_gate = "{self.gate}"')
        for name in ("ks_statistic", "cramers_v", "wasserstein"):
            if name in self.effect_warning or name in self.effect_critical:
                out.append(f"[drift.{name}]")
                if name in self.effect_warning:
                    out.append(f"warning = {self.effect_warning[name]}")
                if name in self.effect_critical:
                    out.append(f"critical = {self.effect_critical[name]}")
        if self.tests_off:
            # p < 0 never holds: the KS and chi-square tests cannot alarm; PSI judges alone.
            for name in ("ks_pvalue", "chi2_pvalue"):
                out += [f"[drift.{name}]", "warning = 0.0", "critical = 0.0"]
        return "\n".join(out) + "\n"

    # p-value bounds of the design: warning below 0.05, critical below 0.01.
    p_warning, p_critical = 0.05, 0.01


SETTINGS = [
    Setting("none", "p-value rule per feature (default)"),
    Setting("bonferroni", "correction = bonferroni", correction="bonferroni"),
    Setting("holm", "correction = holm", correction="holm"),
    Setting("bh", "correction = bh", correction="bh"),
    Setting("either", "effect warning bounds, effect_gate = either", gate="either", effect_warning=EFFECT_WARNING),
    Setting("both", "effect warning bounds, effect_gate = both", gate="both", effect_warning=EFFECT_WARNING),
    Setting("both_crit", "effect warning + critical bounds, both", gate="both", effect_warning=EFFECT_WARNING,
            effect_critical=EFFECT_CRITICAL),
    Setting("both_crit_holm", "as both_crit, and correction = holm", correction="holm", gate="both",
            effect_warning=EFFECT_WARNING, effect_critical=EFFECT_CRITICAL),
    Setting("psi", "PSI alone (test p-value bounds 0)", tests_off=True),
]
SETTING = {s.key: s for s in SETTINGS}

# ---------------------------------------------------------------- plants

UCI_PAY = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"]
# The shift planted in a current snapshot of the UCI data (its rows drawn with the run's generator):
#   SEX: 1 <-> 2 swapped in a random share `sex` of the rows;
#   PAY_AMT3: every value multiplied by `pay_amt3` (rounded to a whole amount);
#   PAY_0, PAY_2..PAY_6: +1 in a random share `pay` of the rows (the same rows for all six codes:
#   a cohort one month further behind; -2 becomes -1, 8 becomes 9).
PLANTS = {
    "mild": {"sex": 0.10, "pay_amt3": 1.10, "pay": 0.05},
    "strong": {"sex": 0.30, "pay_amt3": 1.50, "pay": 0.20},
}
PLANTED_UCI = ["SEX", "PAY_AMT3"] + UCI_PAY

# German credit: in the current half, a random 15% of the rows get checking_status "A11" (< 0 DM,
# the riskiest), and a random 3% get purpose "A47" (vacation: a documented code the data never
# has, so an unseen category).
GERMAN_PLANT = {"checking_status": ("A11", 0.15), "purpose": ("A47", 0.03)}
PLANTED_GERMAN = list(GERMAN_PLANT)


def plant_uci(cur, strength, rng):
    p = PLANTS[strength]
    cur = cur.copy()
    n = len(cur)
    rows = rng.random(n) < p["sex"]
    cur.loc[rows, "SEX"] = 3 - cur.loc[rows, "SEX"]
    cur["PAY_AMT3"] = np.rint(cur["PAY_AMT3"].to_numpy() * p["pay_amt3"]).astype(np.int64)
    rows = rng.random(n) < p["pay"]
    for c in UCI_PAY:
        cur.loc[rows, c] = cur.loc[rows, c] + 1
    return cur


def plant_german(cur, rng):
    cur = cur.copy()
    for col, (value, share) in GERMAN_PLANT.items():
        rows = rng.random(len(cur)) < share
        cur.loc[rows, col] = value
    return cur


# ---------------------------------------------------------------- running the CLI

class Runner:
    def __init__(self, binary, tmp):
        self.binary, self.tmp = str(binary), Path(tmp)
        self.configs = {}
        self.cli_runs = 0

    def write_configs(self, dataset, columns_toml):
        for s in SETTINGS:
            path = self.tmp / f"{dataset}_{s.key}.toml"
            path.write_text(columns_toml + "\n" + s.toml())
            self.configs[(dataset, s.key)] = path

    def drift(self, ref, cur, dataset, setting):
        cmd = [self.binary, "drift", str(ref), str(cur), "--config", str(self.configs[(dataset, setting)]),
               "--format", "json", "--fail-on", "never", "--threads", "1"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.cli_runs += 1
        if p.returncode != 0:
            raise RuntimeError(f"driftgate failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr}")
        report = json.loads(p.stdout)
        if report.get("exit_code") != 0 or report.get("command") != "drift":
            raise RuntimeError(f"unexpected report from {' '.join(cmd)}: exit_code {report.get('exit_code')}")
        return report


def summarize(report, features, setting):
    """Per feature: worst drift severity, each check's figures; data-quality alarms; and
    mismatches between driftgate's judgement and an independent one."""
    s = SETTING[setting]
    feats = {}
    dq = []
    for c in report["checks"]:
        if c["section"] == "drift":
            feats.setdefault(c["column"], {})[c["check"]] = c
        elif c["section"] == "data_quality" and c["severity"] in ("warning", "critical"):
            dq.append((c["check"], c["column"], c["severity"]))
    missing = set(features) - set(feats)
    if missing or set(feats) - set(features):
        raise RuntimeError(f"report judges {sorted(feats)}, expected {sorted(features)}")
    out = {"status": report["status"], "dq": dq, "features": {}, "mismatch": []}
    tests = [(f, feats[f].get("ks") or feats[f].get("chi2")) for f in features]
    raw = np.array([t["pvalue"] for _, t in tests], dtype=float)
    if s.correction != "none":
        method = {"bonferroni": "bonferroni", "holm": "holm", "bh": "fdr_bh"}[s.correction]
        expected_adj = multipletests(raw, method=method)[1]
    else:
        expected_adj = raw
    for (f, t), adj in zip(tests, expected_adj):
        checks = feats[f]
        got_adj = t["pvalue_adjusted"]
        if not math.isclose(got_adj, adj, rel_tol=1e-12, abs_tol=1e-300):
            out["mismatch"].append(f"{f}: pvalue_adjusted {got_adj!r}, statsmodels {adj!r}")
        worst = max(RANK[c["severity"]] for c in checks.values())
        # The independent judgement.
        psi = checks["psi"]["value"]
        psi_sev = 3 if psi >= 0.25 else 2 if psi >= 0.1 else 0
        p = adj
        if s.tests_off:
            p_sev = 0
        else:
            p_sev = 3 if p < s.p_critical else 2 if p < s.p_warning else 0
        effect = None

        def judge_effect(name, value):
            w, c_ = s.effect_warning.get(name), s.effect_critical.get(name)
            if w is None and c_ is None:
                return None
            return 3 if (c_ is not None and value >= c_) else 2 if (w is not None and value >= w) else 0

        w_sev = 0
        if "ks" in checks:
            e1 = judge_effect("ks_statistic", t["statistic"])
            e2 = judge_effect("wasserstein", checks["wasserstein"]["value"])
            es = [e for e in (e1, e2) if e is not None]
            effect = max(es) if es else None
            if e2 is not None and s.gate != "both":
                w_sev = e2
        else:
            effect = judge_effect("cramers_v", t["cramers_v"])
        if effect is None:
            t_sev = p_sev
        elif s.gate == "both":
            # docs/policy.md: a breach at a level needs both rules to breach at it, a rule without
            # a bound at that level agreeing as soon as it breaches; critical only when some rule
            # has a critical bound.
            p_has_crit = not s.tests_off
            names = ("ks_statistic", "wasserstein") if "ks" in checks else ("cramers_v",)
            e_has_crit = any(s.effect_critical.get(n) is not None for n in names)

            def agrees(sev, has_crit):
                return sev >= 3 or (not has_crit and sev >= 2)

            if (p_has_crit or e_has_crit) and agrees(p_sev, p_has_crit) and agrees(effect, e_has_crit):
                t_sev = 3
            elif p_sev >= 2 and effect >= 2:
                t_sev = 2
            else:
                t_sev = 0
        else:
            t_sev = max(p_sev, effect)
        mine = max(psi_sev, t_sev, w_sev)
        if mine != worst:
            out["mismatch"].append(f"{f}: driftgate {SEVERITIES[worst]}, re-judged {SEVERITIES[mine]} "
                                   f"(psi {psi:.4g}, p {t['pvalue']:.4g}, adjusted {got_adj:.4g})")
        out["features"][f] = {
            "severity": SEVERITIES[worst],
            "psi": psi,
            "pvalue": t["pvalue"],
            "log_pvalue": t.get("log_pvalue"),
            "effect": t.get("statistic") if "ks" in checks else t.get("cramers_v"),
            "wasserstein": checks["wasserstein"]["value"] if "wasserstein" in checks else None,
            "kind": checks["psi"].get("kind"),
            "psi_bins": len(checks["psi"].get("bins", [])),
            "occupied_bins": sum(1 for b in checks["psi"].get("bins", []) if b["reference_count"] > 0),
            "nonempty_bins": sum(1 for b in checks["psi"].get("bins", [])
                                 if b["reference_count"] + b["current_count"] > 0),
            "n_reference": checks["psi"]["n_reference"],
            "n_current": checks["psi"]["n_current"],
        }
    return out


# ---------------------------------------------------------------- data

def read_lines(path):
    text = Path(path).read_text()
    lines = text.rstrip("\n").split("\n")
    return lines[0], np.array(lines[1:], dtype=object)


def write_rows(path, header, rows):
    with open(path, "w") as f:
        f.write(header + "\n")
        f.write("\n".join(rows))
        f.write("\n")


def write_frame(path, frame):
    frame.to_csv(path, index=False, lineterminator="\n")


# ---------------------------------------------------------------- experiments

def uci_columns_toml():
    return '[columns]\nexclude = ["ID"]\nlabel = "default.payment.next.month"\nscore = ""\n'


def german_columns_toml():
    return '[columns]\nexclude = ["class"]\nlabel = "bad"\nscore = ""\n'


def upstream_columns_toml():
    return '[columns]\nexclude = []\nlabel = ""\nscore = ""\n'


def run_settings(runner, ref, cur, dataset, features):
    return {s.key: summarize(runner.drift(ref, cur, dataset, s.key), features, s.key) for s in SETTINGS}


def uci_split_task(runner, args, i, header, lines, frame, features, n_ref):
    rng = np.random.Generator(np.random.PCG64([args.seed, 1, i]))
    perm = rng.permutation(len(lines))
    ref_idx, cur_idx = np.sort(perm[:n_ref]), np.sort(perm[n_ref:])
    d = runner.tmp / f"uci_{i}"
    d.mkdir()
    ref, cur = d / "ref.csv", d / "cur.csv"
    write_rows(ref, header, lines[ref_idx])
    write_rows(cur, header, lines[cur_idx])
    result = {"null": run_settings(runner, ref, cur, "uci", features)}
    cur_frame = frame.iloc[cur_idx]
    for strength in PLANTS:
        planted = d / f"cur_{strength}.csv"
        write_frame(planted, plant_uci(cur_frame, strength, rng))
        result[strength] = run_settings(runner, ref, planted, "uci", features)
    shutil.rmtree(d)
    return result


def german_split_task(runner, args, i, frame, features):
    rng = np.random.Generator(np.random.PCG64([args.seed, 2, i]))
    perm = rng.permutation(len(frame))
    half = len(frame) // 2
    ref_f, cur_f = frame.iloc[np.sort(perm[:half])], frame.iloc[np.sort(perm[half:])]
    d = runner.tmp / f"german_{i}"
    d.mkdir()
    ref, cur, planted = d / "ref.csv", d / "cur.csv", d / "cur_planted.csv"
    write_frame(ref, ref_f)
    write_frame(cur, cur_f)
    write_frame(planted, plant_german(cur_f, rng))
    result = {"null": run_settings(runner, ref, cur, "german", features),
              "planted": run_settings(runner, ref, planted, "german", features)}
    shutil.rmtree(d)
    return result


# ---------------------------------------------------------------- tables

def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def pct(x):
    return f"{100 * x:.1f}%"


def share_ci(k, n):
    lo, hi = wilson(k, n)
    return f"{pct(k / n)} ({pct(lo)}–{pct(hi)})" if n > 1 else pct(k / n)


def counts(summary, features=None):
    feats = summary["features"]
    names = features if features is not None else list(feats)
    w = sum(1 for f in names if feats[f]["severity"] == "warning")
    c = sum(1 for f in names if feats[f]["severity"] == "critical")
    return w, c


def mean_sd(xs):
    xs = np.asarray(xs, dtype=float)
    return f"{xs.mean():.2f} ({xs.std(ddof=1) if len(xs) > 1 else 0.0:.2f})"


def false_alarm_table(runs, features, title):
    """runs: list of {setting: summary}. Rows per setting."""
    n = len(runs)
    print(f"\n### {title}\n")
    print(f"{n} runs. Mean (standard deviation) of the features a run "
          "raises at warning and at critical; the largest number in one run; the share of runs with at "
          "least one warning-or-critical feature and with at least one critical feature (95% Wilson "
          "interval).\n")
    print("| setting | warning / run | critical / run | max / run | runs with any alarm | runs with a critical |")
    print("|---|---:|---:|---:|---:|---:|")
    for s in SETTINGS:
        ws, cs = zip(*(counts(r[s.key], features) for r in runs))
        tot = [w + c for w, c in zip(ws, cs)]
        anyk = sum(1 for t in tot if t > 0)
        critk = sum(1 for c in cs if c > 0)
        print(f"| `{s.key}` | {mean_sd(ws)} | {mean_sd(cs)} | {max(tot)} | {share_ci(anyk, n)} | "
              f"{share_ci(critk, n)} |")
    dq_note(runs)


def per_feature_rates(runs, features, setting, title):
    n = len(runs)
    print(f"\n### {title}\n")
    print(f"Share of the {n} runs in which each feature is at warning or critical under `{setting}` "
          "(a test at p < 0.05, or PSI >= 0.1), and its PSI over the runs: mean, largest, and "
          "(k - 1)(1/n_ref + 1/n_cur), the mean PSI of k equally filled bins without drift.\n")
    print("| feature | kind | test | alarm rate | critical rate | PSI bins | mean PSI | max PSI | (k-1)(1/n+1/m) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for f in features:
        sev = [r[setting]["features"][f]["severity"] for r in runs]
        psi = np.array([r[setting]["features"][f]["psi"] for r in runs])
        v = runs[0][setting]["features"][f]
        test = "KS" if v["kind"] == "continuous" else "chi-square"
        a = sum(1 for x in sev if x in ("warning", "critical"))
        c = sum(1 for x in sev if x == "critical")
        k = v["occupied_bins"]
        floor = (k - 1) * (1 / v["n_reference"] + 1 / v["n_current"])
        print(f"| {f} | {v['kind']} | {test} | {pct(a / n)} | {pct(c / n)} | {k} | {psi.mean():.4f} | "
              f"{psi.max():.4f} | {floor:.4f} |")


def detection_table(runs, planted, others, title):
    n = len(runs)
    print(f"\n### {title}\n")
    cols = " | ".join(planted)
    print(f"Share of the {n} runs in which each planted feature is at warning or critical (critical "
          "only in brackets); and the mean number of the other features alarmed per run.\n")
    print(f"| setting | {cols} | other features alarmed / run |")
    print("|---|" + "---:|" * (len(planted) + 1))
    for s in SETTINGS:
        cells = []
        for f in planted:
            sev = [r[s.key]["features"][f]["severity"] for r in runs]
            a = sum(1 for x in sev if x in ("warning", "critical"))
            c = sum(1 for x in sev if x == "critical")
            cells.append(f"{pct(a / n)} ({pct(c / n)})")
        other = [sum(counts(r[s.key], others)) for r in runs]
        print(f"| `{s.key}` | " + " | ".join(cells) + f" | {np.mean(other):.2f} |")
    eff = [np.mean([r["none"]["features"][f]["effect"] for r in runs]) for f in planted]
    psi = [np.mean([r["none"]["features"][f]["psi"] for r in runs]) for f in planted]
    print("| mean KS D or Cramér's V | " + " | ".join(f"{e:.3f}" for e in eff) + " | |")
    print("| mean PSI | " + " | ".join(f"{e:.3f}" for e in psi) + " | |")
    dq_note(runs, planted)


def dq_note(runs, features=None):
    """The data-quality checks (the same under every setting): how often they alarmed."""
    n = len(runs)
    hits = {}
    for r in runs:
        seen = set()
        for check, column, sev in r["none"]["dq"]:
            if features is None or column in features:
                seen.add((check, column, sev))
        for key in seen:
            hits[key] = hits.get(key, 0) + 1
    if not hits:
        print(f"\nData quality (the same under every setting): no alarm in {n} run(s).")
        return
    items = ", ".join(f"{check} {sev} on {column} in {k} of {n}"
                      for (check, column, sev), k in sorted(hits.items(), key=lambda x: (-x[1], x[0])))
    print(f"\nData quality (the same under every setting): {items}.")


def flagged_table(result, title, note=""):
    print(f"\n### {title}\n")
    if note:
        print(note + "\n")
    print("| setting | critical | warning |")
    print("|---|---|---|")
    for s in SETTINGS:
        feats = result[s.key]["features"]
        crit = [f for f, v in feats.items() if v["severity"] == "critical"]
        warn = [f for f, v in feats.items() if v["severity"] == "warning"]
        print(f"| `{s.key}` | {', '.join(crit) or '—'} | {', '.join(warn) or '—'} |")
    dq_note([result])


def effect_table(result, title):
    """The figures behind a single run: PSI, p, ln p, effect size per feature."""
    print(f"\n### {title}\n")
    print("| feature | kind | PSI | p (raw) | ln p | KS D or Cramér's V | Wasserstein / std |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for f, v in result["none"]["features"].items():
        lp = v["log_pvalue"]
        w = v["wasserstein"]
        print(f"| {f} | {v['kind']} | {v['psi']:.4f} | {v['pvalue']:.3g} | "
              f"{'—' if lp is None else f'{lp:.1f}'} | {v['effect']:.3f} | {'—' if w is None else f'{w:.3f}'} |")


# ---------------------------------------------------------------- upstream PSI comparison

def report_style_psi(ref, cur, n_bins=10):
    """PSI as the monitored system's drift report computes it: edges at the reference's
    percentiles 0, 10, ..., 100 (numpy's linear method), the outer two replaced by -inf / +inf;
    counts by np.histogram (bins [a, b), the last closed; repeated edges leave empty bins);
    each share = (count + 0.0001) / n; PSI = sum (cur - ref) ln(cur / ref)."""
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    edges = np.percentile(ref, np.linspace(0, 100, n_bins + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    rc = np.histogram(ref, bins=edges)[0]
    cc = np.histogram(cur, bins=edges)[0]
    r = (rc + 0.0001) / len(ref)
    c = (cc + 0.0001) / len(cur)
    occupied = int(np.count_nonzero(rc + cc))
    return float(np.sum((c - r) * np.log(c / r))), occupied


# A shift the report's binning cannot see, planted in X_test: PAY_5 = 0 becomes 2 (two months
# late) in a random 20% of the rows where it is 0, and AGE_bin_60+ becomes True in a random 5% of
# the rows where it is False.
BLIND_PLANT = {"PAY_5": (0, 2, 0.20), "AGE_bin_60+": (False, True, 0.05)}


def upstream_psi_table(ref_csv, cur_csv, result, runner, seed):
    report = json.loads(UPSTREAM_REPORT.read_text())["features"]["features"]
    ref = pd.read_csv(ref_csv)
    cur = pd.read_csv(cur_csv)
    print("\n### Upstream split: driftgate's PSI against the system's drift report\n")
    print("`report` is the CSI in the system's committed drift report (4 decimals); `recomputed` is "
          "that report's method recomputed here from X_train / X_test (`report_style_psi`); "
          "`driftgate` is the PSI of `driftgate drift` (default settings). Bins: the bins holding a "
          "value in either file, under the report's method / under driftgate's.\n")
    print("| feature | driftgate kind | report | recomputed | driftgate | driftgate - recomputed | bins (report / driftgate) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    agree = 0
    differ = []
    for f, v in result["none"]["features"].items():
        mine, occupied = report_style_psi(ref[f].astype(float), cur[f].astype(float))
        rep = report[f]["csi"]
        if round(mine, 4) != rep:
            raise RuntimeError(f"{f}: the report's method recomputed gives {mine:.6f}, the report {rep}")
        same = round(v["psi"], 4) == rep
        agree += same
        if not same:
            differ.append(f)
        print(f"| {f} | {v['kind']} | {rep:.4f} | {mine:.4f} | {v['psi']:.4f} | {v['psi'] - mine:+.1e} | "
              f"{occupied} / {v['nonempty_bins']} |")
    print(f"\nRecomputed = report for all {len(report)} features. driftgate's PSI rounds to the "
          f"report's figure for {agree} of {len(report)}; it differs for: {', '.join(differ) or 'none'}.")

    rng = np.random.Generator(np.random.PCG64([seed, 4, 0]))
    blind = cur.copy()
    for col, (old, new, share) in BLIND_PLANT.items():
        rows = (blind[col] == old).to_numpy() & (rng.random(len(blind)) < share)
        blind.loc[rows, col] = new
    path = runner.tmp / "X_test_blind.csv"
    write_frame(path, blind)
    shifted = summarize(runner.drift(ref_csv, path, "upstream", "none"), list(ref.columns), "none")
    print("\n### Upstream split: a shift inside one of the report's bins\n")
    print("X_test with PAY_5 = 0 set to 2 in a random 20% of its rows with 0, and AGE_bin_60+ set to "
          "True in a random 5% of its rows with False; PSI by the report's method and by driftgate, "
          "before and after (default settings).\n")
    print("| feature | share before | share after | report's method before / after | driftgate before / after | driftgate severity after |")
    print("|---|---:|---:|---:|---:|---|")
    for col, (old, new, share) in BLIND_PLANT.items():
        before, _ = report_style_psi(ref[col].astype(float), cur[col].astype(float))
        after, _ = report_style_psi(ref[col].astype(float), blind[col].astype(float))
        v0, v1 = result["none"]["features"][col], shifted["features"][col]
        print(f"| {col} | {(cur[col] == new).mean():.4f} | {(blind[col] == new).mean():.4f} | "
              f"{before:.4f} / {after:.4f} | {v0['psi']:.4f} / {v1['psi']:.4f} | {v1['severity']} |")
    return shifted


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="CMake build directory holding cli/driftgate")
    ap.add_argument("--driftgate", help="the driftgate binary (default: BUILD/cli/driftgate)")
    ap.add_argument("--runs", type=int, default=200, help="random splits per data set (default 200)")
    ap.add_argument("--quick", action="store_true", help="10 runs: a smoke test")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--jobs", type=int, default=2, help="CLI runs at once (the tables do not depend on it)")
    ap.add_argument("--upstream", help="directory with the monitored system's X_train.csv and X_test.csv")
    ap.add_argument("--tmp", help="parent of the temporary directory (default: the system's)")
    args = ap.parse_args()
    if args.quick:
        args.runs = 10
    binary = Path(args.driftgate) if args.driftgate else ROOT / args.build / "cli" / "driftgate"
    if not binary.is_file():
        sys.exit(f"alarms.py: no driftgate binary at {binary} (build it, or pass --build / --driftgate)")
    t0 = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="driftgate-alarms-", dir=args.tmp))
    try:
        runner = Runner(binary, tmp)
        status = experiments(runner, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{runner.cli_runs} CLI runs; {time.monotonic() - t0:.0f} s wall "
          f"(--runs {args.runs}, --jobs {args.jobs}, --seed {args.seed}).")
    sys.exit(status)


def experiments(runner, args):
    binary_version = subprocess.run([runner.binary, "--version"], capture_output=True, text=True, check=True).stdout
    print(f"# driftgate alarms benchmark ({binary_version.strip()}, seed {args.seed}, {args.runs} runs)")
    print("\nSettings (all keep the design's p < 0.05 warning / p < 0.01 critical and PSI 0.1 / 0.25; "
          f"effect bounds: warning {EFFECT_WARNING}, critical {EFFECT_CRITICAL}):\n")
    for s in SETTINGS:
        print(f"- `{s.key}`: {s.label}")
    mismatches = []

    def collect(tag, settings_result):
        for key, summ in settings_result.items():
            for m in summ["mismatch"]:
                mismatches.append(f"{tag} [{key}] {m}")

    # UCI
    runner.write_configs("uci", uci_columns_toml())
    header, lines = read_lines(UCI_CSV)
    frame = pd.read_csv(UCI_CSV)
    features = [c for c in frame.columns if c not in ("ID", "default.payment.next.month")]
    n_ref = 24000
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        uci = list(pool.map(lambda i: uci_split_task(runner, args, i, header, lines, frame, features, n_ref),
                            range(args.runs)))
    for i, r in enumerate(uci):
        for part, res in r.items():
            collect(f"uci split {i} {part}", res)

    # UCI ordered, as is and with the strong plant
    d = runner.tmp / "uci_ordered"
    d.mkdir()
    ref, cur, planted = d / "ref.csv", d / "cur.csv", d / "cur_planted.csv"
    write_rows(ref, header, lines[:n_ref])
    write_rows(cur, header, lines[n_ref:])
    rng = np.random.Generator(np.random.PCG64([args.seed, 3, 0]))
    write_frame(planted, plant_uci(frame.iloc[n_ref:], "strong", rng))
    ordered = run_settings(runner, ref, cur, "uci", features)
    ordered_planted = run_settings(runner, ref, planted, "uci", features)
    collect("uci ordered", ordered)
    collect("uci ordered planted", ordered_planted)

    # German credit
    runner.write_configs("german", german_columns_toml())
    gframe = pd.read_csv(GERMAN_CSV)
    gfeatures = [c for c in gframe.columns if c not in ("class", "bad")]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        german = list(pool.map(lambda i: german_split_task(runner, args, i, gframe, gfeatures), range(args.runs)))
    for i, r in enumerate(german):
        for part, res in r.items():
            collect(f"german split {i} {part}", res)

    # Upstream
    upstream = None
    if args.upstream:
        runner.write_configs("upstream", upstream_columns_toml())
        up = Path(args.upstream)
        uref, ucur = up / "X_train.csv", up / "X_test.csv"
        ufeatures = list(pd.read_csv(uref, nrows=1).columns)
        upstream = run_settings(runner, uref, ucur, "upstream", ufeatures)
        collect("upstream", upstream)

    # ------------------------------------------------------------ tables
    def described(result, features):
        kinds = [result["none"]["features"][f]["kind"] for f in features]
        v = result["none"]["features"][features[0]]
        parts = ", ".join(f"{kinds.count(k)} {k}" for k in ("continuous", "discrete", "categorical") if k in kinds)
        return f"{v['n_reference']:,} / {v['n_current']:,} rows, {len(features)} features: {parts}"

    print("\n## False alarms (no drift)")
    if upstream:
        flagged_table(upstream, f"Upstream split (X_train vs X_test: {described(upstream, ufeatures)}; one run)",
                      "Features at critical and at warning, per setting.")
    false_alarm_table([r["null"] for r in uci], features,
                      f"UCI: random splits ({described(uci[0]['null'], features)})")
    per_feature_rates([r["null"] for r in uci], features, "none", "UCI random splits: per feature, no correction")
    false_alarm_table([r["null"] for r in german], gfeatures,
                      f"German credit: random halves ({described(german[0]['null'], gfeatures)})")
    per_feature_rates([r["null"] for r in german], gfeatures, "none",
                      "German random halves: per feature, no correction")

    print("\n## Detection")
    for strength, p in PLANTS.items():
        detection_table([r[strength] for r in uci], PLANTED_UCI,
                        [f for f in features if f not in PLANTED_UCI],
                        f"UCI random splits with the {strength} plant (SEX swapped in {pct(p['sex'])} of the rows, "
                        f"PAY_AMT3 x {p['pay_amt3']}, PAY codes +1 in {pct(p['pay'])})")
    flagged_table(ordered, "UCI ordered split (first 24,000 vs last 6,000 by ID)")
    effect_table(ordered, "UCI ordered split: the figures (default settings)")
    flagged_table(ordered_planted, "UCI ordered split with the strong plant in the last 6,000")
    detection_table([r["planted"] for r in german], PLANTED_GERMAN,
                    [f for f in gfeatures if f not in PLANTED_GERMAN],
                    "German credit halves with the plant (checking_status A11 in 15% of the current rows, "
                    "purpose A47, unseen, in 3%)")
    if upstream:
        collect("upstream blind", {"none": upstream_psi_table(uref, ucur, upstream, runner, args.seed)})

    print("\n## Cross-checks\n")
    print("Every drift check of every run re-judged from its reported figures (PSI, p, adjusted p, "
          "KS D, Cramér's V, Wasserstein), and every adjusted p-value against statsmodels' "
          f"multipletests: {len(mismatches)} disagreement(s).")
    for m in mismatches[:20]:
        print(f"- {m}")
    return 3 if mismatches else 0


if __name__ == "__main__":
    main()
