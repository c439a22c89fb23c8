#!/usr/bin/python3
"""Estimated (driftgate estimate: CBPE, no labels) against realised (driftgate perf: labels)
performance on the credit example, per window: the reference split into four windows of 6,000
consecutive rows, and the stable and drifted current snapshots. Prints Markdown tables
(docs/estimate.md shows them).

  /usr/bin/python3 examples/credit/validate_estimate.py build/release/cli/driftgate

Two tables: the example's scores as they are (the calibration check shows they are not
calibrated), and the same scores recalibrated by isotonic regression fitted on the labelled
reference (scikit-learn's IsotonicRegression, out_of_bounds="clip"), which is what CBPE assumes.
Everything is run through the driftgate binary; numpy / scikit-learn only split files and fit the
recalibration.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.isotonic import IsotonicRegression

here = os.path.dirname(os.path.abspath(__file__))
exe = sys.argv[1] if len(sys.argv) > 1 else "driftgate"


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return np.array([float(r["score"]) for r in rows]), np.array([int(r["default"]) for r in rows])


def write(path, score, label):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["score", "default"])
        for s, y in zip(score, label):
            w.writerow([repr(float(s)), int(y)])


def run(args):
    p = subprocess.run([exe] + args + ["--format", "json", "--fail-on", "never"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"driftgate {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return {c["check"]: c for c in json.loads(p.stdout)["checks"]}


def cell(c):
    return f"{c['value']:.4f} [{c['ci_lower']:.4f}, {c['ci_upper']:.4f}]"


def table(windows, tmp, tag):
    print("| window | rows | defaults | expected defaults | estimated AUC | realised AUC | estimated recall | realised recall | "
          "estimated precision | realised precision |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, score, label in windows:
        path = os.path.join(tmp, f"{tag}-{name}.csv".replace(" ", "_"))
        write(path, score, label)
        e = run(["estimate", path, "--score", "score"])
        r = run(["perf", path, "--score", "score", "--label", "default"])
        print(f"| {name} | {len(score)} | {int(label.sum())} | {e['estimated_precision']['expected_defaults']:.1f} | "
              f"{cell(e['estimated_auc'])} | {cell(r['auc'])} | {cell(e['estimated_recall'])} | {cell(r['recall'])} | "
              f"{cell(e['estimated_precision'])} | {cell(r['precision'])} |")


ref_s, ref_y = read(os.path.join(here, "reference.csv"))
windows = [(f"reference rows {k * 6000 + 1}-{(k + 1) * 6000}", ref_s[k * 6000:(k + 1) * 6000], ref_y[k * 6000:(k + 1) * 6000])
           for k in range(4)]
for name in ("current_stable", "current_drifted"):
    s, y = read(os.path.join(here, name + ".csv"))
    windows.append((name, s, y))

with tempfile.TemporaryDirectory() as tmp:
    write(os.path.join(tmp, "ref.csv"), ref_s, ref_y)
    cal = run(["estimate", os.path.join(tmp, "ref.csv"), "--score", "score", "--reference", os.path.join(tmp, "ref.csv")])["calibration"]
    print(f"Scores as they are. Calibration on the reference: Hosmer-Lemeshow {cal['statistic']:.1f} "
          f"on {cal['dof']:.0f} degrees of freedom, p = {cal['value']:.3g} ({cal['severity']}); "
          f"expected defaults {cal['expected']:.1f}, observed {cal['observed']}.\n")
    table(windows, tmp, "raw")
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(ref_s, ref_y)
    recal = [(n, iso.predict(s), y) for n, s, y in windows]
    write(os.path.join(tmp, "ref_iso.csv"), iso.predict(ref_s), ref_y)
    cal = run(["estimate", os.path.join(tmp, "ref_iso.csv"), "--score", "score", "--reference", os.path.join(tmp, "ref_iso.csv")])["calibration"]
    print(f"\nRecalibrated (isotonic, fitted on the reference). Calibration on the reference: Hosmer-Lemeshow "
          f"{cal['statistic']:.1f} on {cal['dof']:.0f} degrees of freedom, p = {cal['value']:.3g} ({cal['severity']}).\n")
    table(recal, tmp, "iso")
