#!/usr/bin/env python3
"""Independent check of the example snapshots with numpy / scipy / scikit-learn.

    python3 examples/credit/check_snapshots.py [directory]

Prints, for current_stable.csv and current_drifted.csv against reference.csv: PSI per feature
(10 reference-quantile bins, edges np.unique(np.quantile(ref, linspace(0, 1, 11)))[1:-1],
half-open bins [a, b) with open outer bins, an empty bin's share replaced by 1e-4), the
two-sample KS statistic and p-value (scipy.stats.ks_2samp), CSI on the score column, and the
label-based metrics and proxies of docs/policy.md (Performance, Proxies). The figures quoted in README.md come
from this script. Needs numpy, scipy and scikit-learn; nothing in the build or tests runs it.
"""
import os
import sys

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve

FEATURES = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6", "LIMIT_BAL",
            "utilization_1", "payment_ratio_1", "BILL_AMT1", "AGE"]
TOP5 = {"PAY_0", "PAY_2", "PAY_3", "PAY_4", "utilization_1"}  # config.toml's [importance]: the top 5
THRESHOLD = 0.12


def psi(ref, cur, bins=10, eps=1e-4):
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)))[1:-1]
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1) / len(cur)
    r = np.where(r == 0, eps, r)
    c = np.where(c == 0, eps, c)
    return float(np.sum((c - r) * np.log(c / r)))


def psi_flag(name, value):
    if value >= 0.25:
        return "CRITICAL" if name in TOP5 or name == "score" else "warning"
    return "warning" if value >= 0.10 else ""


def ks_flag(p):
    return "CRITICAL" if p < 0.01 else ("warning" if p < 0.05 else "")


def performance(y, s):
    fpr, tpr, _ = roc_curve(y, s)
    pred = s >= THRESHOLD
    tp = np.sum(pred & (y == 1))
    return {
        "default rate": y.mean(),
        "AUC": roc_auc_score(y, s),
        "KS statistic": np.max(tpr - fpr),
        "recall@0.12": tp / np.sum(y == 1),
        "precision@0.12": tp / np.sum(pred),
        "Brier": brier_score_loss(y, s),
        "share PD>0.50": np.mean(s > 0.5),
        "mean PD": s.mean(),
        "share PD<0.20": np.mean(s < 0.2),
    }


def main():
    here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    ref = pd.read_csv(os.path.join(here, "reference.csv"))
    snaps = {name: pd.read_csv(os.path.join(here, f"current_{name}.csv"))
             for name in ("stable", "drifted")}
    print(f"rows: reference {len(ref)}, " +
          ", ".join(f"current_{k} {len(v)}" for k, v in snaps.items()))
    print(f"{'column':16s}" + "".join(f"{'PSI ' + k:>14s}{'D':>8s}{'KS p':>11s}{'':>10s}"
                                      for k in snaps))
    for col in FEATURES + ["score"]:
        line = f"{col:16s}"
        for cur in snaps.values():
            value = psi(ref[col].values, cur[col].values)
            ks = ks_2samp(ref[col].values, cur[col].values)
            flags = " ".join(f for f in (psi_flag(col, value), ks_flag(ks.pvalue)) if f)
            line += f"{value:14.4f}{ks.statistic:8.4f}{ks.pvalue:11.3g}  {flags:8s}"
        print(line)
    rows = {"reference": performance(ref["default"].values, ref["score"].values)}
    rows.update({k: performance(v["default"].values, v["score"].values) for k, v in snaps.items()})
    print(f"{'metric':16s}" + "".join(f"{k:>12s}" for k in rows))
    for metric in rows["reference"]:
        print(f"{metric:16s}" + "".join(f"{r[metric]:12.4f}" for r in rows.values()))


if __name__ == "__main__":
    main()
