#!/usr/bin/python3
"""Golden values for include/driftgate/cbpe.hpp.

Run with /usr/bin/python3 (numpy 1.24, scipy 1.10.1):
    /usr/bin/python3 tests/golden/cbpe/gen_cbpe.py > tests/golden/cbpe/cbpe_golden.hpp

An independent implementation of the definitions (NannyML's confidence-based performance
estimation is not installed; its definition is reimplemented here):
  * expected confusion matrix, E[TP] = sum_{s >= t} p, ... as exact rational sums
    (fractions.Fraction of each double), rounded once at the end;
  * expected ROC: unique scores from the highest down, cumulative expected TP / FP after each
    (exact), TPR = cumTP / P, FPR = cumFP / N, from (0, 0); the trapezoid area computed exactly;
  * intervals: recall by the delta method on TP / (TP + FN) with the Poisson-binomial variances,
    precision Var[TP] / k^2, AUC Hanley & McNeil (1982) with n1 = sum p, n0 = sum (1 - p); z from
    scipy.stats.norm.isf(0.025);
  * Hosmer-Lemeshow: rows in score order, a run of equal scores goes to band
    floor(g * r / n) (r: rows before the run), statistic sum (O - E)^2 / (E (1 - E / n_b)) in exact
    rationals, p = scipy.stats.chi2.sf(H, bands - 2).
"""
from fractions import Fraction as F
import math

import numpy as np
from scipy import stats

rng = np.random.default_rng(22)


def lit(x):
    x = float(x)
    if math.isnan(x):
        return "kNaN"
    return repr(x)


def arr(name, values):
    return f"inline const std::vector<double> {name}{{{', '.join(lit(v) for v in values)}}};\n"


def cbpe(pd, t, level=0.95):
    pd = [float(v) for v in pd if not math.isnan(v)]
    tp = sum((F(p) for p in pd if p >= t), F(0))
    fp = sum((1 - F(p) for p in pd if p >= t), F(0))
    fn = sum((F(p) for p in pd if p < t), F(0))
    tn = sum((1 - F(p) for p in pd if p < t), F(0))
    vtp = sum((F(p) * (1 - F(p)) for p in pd if p >= t), F(0))
    vfn = sum((F(p) * (1 - F(p)) for p in pd if p < t), F(0))
    k = sum(1 for p in pd if p >= t)
    z = float(stats.norm.isf((1 - level) / 2))
    out = dict(tp=tp, fp=fp, fn=fn, tn=tn, var_tp=vtp, var_fn=vfn, predicted=k)

    def interval(v, var):
        se = math.sqrt(max(0.0, float(var)))
        return float(v), se, min(max(float(v) - z * se, 0.0), 1.0), min(max(float(v) + z * se, 0.0), 1.0)

    s = tp + fn
    out["recall"] = interval(tp / s, (fn * fn * vtp + tp * tp * vfn) / s ** 4) if s > 0 else None
    out["precision"] = interval(tp / k, vtp / (k * k)) if k > 0 else None
    # Expected ROC: after each distinct score, highest first.
    scores = np.unique(np.array(pd))[::-1]
    ctp, cfp = F(0), F(0)
    pts = [(F(0), F(0))]
    for s_ in scores:
        grp = [F(p) for p in pd if p == s_]
        ctp += sum(grp, F(0))
        cfp += sum((1 - g for g in grp), F(0))
        pts.append((cfp, ctp))
    P, N = ctp, cfp
    out["points"] = len(scores)
    if P > 0 and N > 0:
        area = F(0)
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            area += (x1 / N - x0 / N) * (y1 / P + y0 / P) / 2
        a = float(area)
        n1, n0 = float(P), float(N)
        q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
        var = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)
        out["auc"] = interval(area, var)
    else:
        out["auc"] = None
    return out


def hosmer_lemeshow(pd, y, g=10):
    order = sorted(range(len(pd)), key=lambda i: pd[i])
    n = len(pd)
    bands = []
    r = 0
    i = 0
    cur_band = None
    while i < n:
        s = pd[order[i]]
        j = i
        while j < n and pd[order[j]] == s:
            j += 1
        b = min(g - 1, (g * r) // n)
        if b != cur_band:
            bands.append(dict(lo=s, hi=s, n=0, o=0, e=F(0)))
            cur_band = b
        band = bands[-1]
        band["hi"] = s
        for k in order[i:j]:
            band["n"] += 1
            band["o"] += int(y[k])
            band["e"] += F(pd[k])
        r += j - i
        i = j
    h = F(0)
    for b in bands:
        d = b["e"] * (1 - b["e"] / b["n"])
        b["c"] = (b["o"] - b["e"]) ** 2 / d
        h += b["c"]
    dof = len(bands) - 2
    return bands, float(h), dof, float(stats.chi2.sf(float(h), dof))


def emit_cbpe(tag, pd, t):
    r = cbpe(pd, t)
    s = arr(f"{tag}_pd", pd)
    s += f"inline constexpr double {tag}_threshold = {lit(t)};\n"
    s += f"inline const cbpe_expected {tag}{{{lit(r['tp'])}, {lit(r['fp'])}, {lit(r['fn'])}, {lit(r['tn'])}, "
    s += f"{lit(r['var_tp'])}, {lit(r['var_fn'])}, {r['predicted']}, {r['points']},\n    "
    for m in ("recall", "precision", "auc"):
        v = r[m]
        s += "{true, " + ", ".join(lit(x) for x in v) + "}, " if v else "{false, kNaN, kNaN, 0.0, 1.0}, "
    return s.rstrip(", ") + "};\n"


def emit_hl(tag, pd, y, g=10):
    bands, h, dof, p = hosmer_lemeshow(list(map(float, pd)), list(y), g)
    s = arr(f"{tag}_pd", pd) + arr(f"{tag}_label", y)
    s += f"inline const hl_expected {tag}{{{g}, {lit(h)}, {dof}, {lit(p)}, {{\n"
    for b in bands:
        s += f"    {{{lit(b['lo'])}, {lit(b['hi'])}, {b['n']}, {b['o']}, {lit(b['e'])}, {lit(b['c'])}}},\n"
    return s + "}};\n"


def main():
    print("// Generated by tests/golden/cbpe/gen_cbpe.py: do not edit.")
    print("#pragma once\n#include <cstddef>\n#include <limits>\n#include <vector>\n")
    print("namespace golden_cbpe {")
    print("inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();")
    print("struct metric { bool defined; double value, std_error, ci_lower, ci_upper; };")
    print("struct cbpe_expected { double tp, fp, fn, tn, var_tp, var_fn; std::size_t predicted, points; metric recall, precision, auc; };")
    print("struct band { double lo, hi; std::size_t n, observed; double expected, contribution; };")
    print("struct hl_expected { std::size_t groups; double statistic; int dof; double pvalue; std::vector<band> bands; };\n")
    # Continuous PDs from a beta distribution (a credit portfolio: mean ~0.22).
    pd1 = rng.beta(1.2, 4.0, 600)
    print(emit_cbpe("beta600", pd1, 0.12))
    # PDs rounded to two decimals: many ties (and a score exactly at the threshold).
    pd2 = np.round(rng.beta(2.0, 5.0, 400), 2)
    print(emit_cbpe("ties400", pd2, 0.3))
    # Extremes: zeros and ones among the scores.
    pd3 = np.concatenate([np.zeros(5), np.ones(3), rng.uniform(0, 1, 12)])
    print(emit_cbpe("extremes20", pd3, 0.5))
    # Nothing reaches the threshold: precision undefined.
    print(emit_cbpe("below", np.array([0.05, 0.1, 0.2, 0.2]), 0.9))
    # Calibration: labels drawn from the PDs (calibrated) and from 1.6 x the PDs (miscalibrated).
    pd4 = rng.beta(1.5, 5.0, 1000)
    y_ok = (rng.uniform(size=pd4.size) < pd4).astype(float)
    y_bad = (rng.uniform(size=pd4.size) < np.minimum(1.6 * pd4, 1.0)).astype(float)
    print(emit_hl("hl_calibrated", pd4, y_ok))
    print(emit_hl("hl_miscalibrated", pd4, y_bad))
    # Heavy ties: PDs on a grid of 0.05, 5 groups.
    pd5 = np.round(rng.beta(2.0, 6.0, 300) * 20) / 20
    pd5 = np.clip(pd5, 0.05, 0.95)
    y5 = (rng.uniform(size=pd5.size) < pd5).astype(float)
    print(emit_hl("hl_ties", pd5, y5, 5))
    print("} // namespace golden_cbpe")


if __name__ == "__main__":
    main()
