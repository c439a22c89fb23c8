#!/usr/bin/python3
"""Golden values for the chi-square test of homogeneity and the chi-square survival function.

Run with /usr/bin/python3 (scipy 1.10.1, mpmath 1.2.1):

    /usr/bin/python3 tests/golden/chi2/gen_chi2.py

writes chi2_golden.hpp next to this file.

Sources of each figure:
  * scipy 1.10.1: scipy.stats.chi2_contingency(table) with its defaults (correction=True: Yates
    when dof = 1) or correction=False where a case says so (statistic, pvalue, dof);
    scipy.stats.contingency.association(table, method="cramer"); scipy.stats.chi2.sf.
    Columns empty in both rows are dropped before scipy sees the table (scipy raises on them).
  * exact rational arithmetic (fractions.Fraction) for the statistics, from the definition cell
    by cell: E_ij = n_i t_j / N, X^2 = sum (O - E)^2 / E, and Yates' correction as scipy applies
    it (each |O - E| reduced by min(1/2, |O - E|)) when dof = 1;
  * mpmath (60 digits) for p = Q(dof/2, X^2/2) and ln p from the exact statistic, and for the
    log survival function points: ln Q by gammainc, or log1p(-P) where Q is close to 1.
"""
import math
import os
import random
import warnings
from fractions import Fraction

import mpmath as mp
import numpy as np
from scipy import stats
from scipy.stats.contingency import association

mp.mp.dps = 60
HERE = os.path.dirname(os.path.abspath(__file__))


def exact_statistics(ref, cur, correction):
    """(uncorrected X^2, X^2 the p-value comes from) as Fractions, from the definition."""
    cols = [(r, c) for r, c in zip(ref, cur) if r or c]
    n1 = sum(r for r, _ in cols)
    n2 = sum(c for _, c in cols)
    N = n1 + n2
    k = len(cols)
    dof = k - 1
    plain = Fraction(0)
    yates = Fraction(0)
    for r, c in cols:
        t = r + c
        for obs, n in ((r, n1), (c, n2)):
            e = Fraction(n * t, N)
            d = abs(obs - e)
            plain += d * d / e
            dy = d - min(Fraction(1, 2), d)
            yates += dy * dy / e
    if dof == 0:
        return Fraction(0), Fraction(0), 0
    used = yates if (dof == 1 and correction) else plain
    return plain, used, dof


def log_sf_mp(x, dof):
    """ln Pr(chi2_dof >= x) in mpmath: ln Q(a, y), or log1p(-P(a, y)) where Q is close to 1."""
    a = mp.mpf(dof) / 2
    y = mp.mpf(x) / 2
    if y <= 0:
        return mp.mpf(0)
    if y < a:
        p = mp.gammainc(a, 0, y, regularized=True)
        return mp.log1p(-p)
    return mp.log(mp.gammainc(a, y, mp.inf, regularized=True))


def fmt(v):
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "-INFINITY" if v < 0 else "INFINITY"
        return repr(v)
    return str(v)


# ---- tables ----------------------------------------------------------------------------------
# (name, reference counts, current counts, correction)
TABLES = [
    ("2x2 classic", [10, 20], [30, 40], True),
    ("2x2 classic, correction=False", [10, 20], [30, 40], False),
    ("2x2 |O-E| < 1/2: Yates gives 0", [10, 10], [11, 10], True),
    ("2x2 |O-E| just above 1/2", [12, 10], [9, 12], True),
    ("2x2 small", [3, 1], [1, 3], True),
    ("2x2 disjoint", [10, 0], [0, 7], True),
    ("2x2 disjoint, correction=False", [10, 0], [0, 7], False),
    ("2x2 one cell empty", [0, 25], [5, 20], True),
    ("2x3", [20, 15, 30], [25, 10, 40], True),
    ("2x3 with an empty column dropped", [0, 5, 3, 8], [0, 2, 9, 4], True),
    ("2x3 empty column -> 2x2 Yates", [0, 5, 3], [0, 2, 9], True),
    ("2x5 codes", [2218, 3001, 12020, 5500, 1261], [331, 800, 2900, 1500, 469], True),
    ("2x5 equal shares", [100, 200, 300, 400, 500], [20, 40, 60, 80, 100], True),
    ("2x4 a category new in current", [0, 10, 10, 10], [5, 10, 10, 10], True),
    ("2x4 all in one category each", [0, 50, 0, 0], [0, 0, 0, 9], True),
    ("one category", [5], [7], True),
    ("one category after dropping", [0, 5, 0], [0, 7, 0], True),
    ("2x3 counts of 1e12", [10**12, 2 * 10**12, 3 * 10**12], [11 * 10**11, 2 * 10**12, 29 * 10**11], True),
    ("2x2 counts of 1e12, nearly equal", [10**12, 10**12], [10**12 + 1, 10**12 - 1], True),
    ("2x2 counts of 1e12, nearly equal, no correction", [10**12, 10**12], [10**12 + 3, 10**12 - 3], False),
    ("2x2 separated 1e6: ln p ~ -1e6", [10**6, 0], [0, 10**6], True),
    ("2x3 shifted 1e5: ln p deep", [60000, 30000, 10000], [10000, 30000, 60000], True),
    ("2x2 p ~ 1e-71", [700, 300], [300, 700], True),
    ("2x2 p ~ 1e-279 (above the log switch)", [900, 100], [100, 900], True),
    ("2x2 p ~ 1e-293 (below the log switch)", [910, 90], [90, 910], True),
    ("2x2 p ~ 4e-308 (subnormal boundary)", [920, 80], [80, 920], True),
]

rng = random.Random(20240611)
ref_r = [rng.randint(0, 60) for _ in range(200)]
cur_r = [max(0, v + rng.randint(-8, 8)) for v in ref_r]
TABLES.append(("2x200 seeded", ref_r, cur_r, True))
ref_r = [rng.randint(1000, 5000) for _ in range(40)]
cur_r = [v + rng.randint(-50, 50) for v in ref_r]
TABLES.append(("2x40 close shares", ref_r, cur_r, True))

# Samples (same formula as the C++ test): x_i = floor(frac(i * mult) * scale * grid) / grid + shift
SAMPLES = [
    ("formula samples, grid 1/8", 500, 0.6180339887498949, 1.0, 0.0, 700, 0.4142135623730951, 1.0, 0.125, 8),
    ("formula samples, grid 1/3 (2x4 after merging)", 300, 0.6180339887498949, 1.0, 0.0, 250, 0.7320508075688772, 1.2, 0.0, 3),
]


def formula_sample(n, mult, scale, shift, grid):
    out = []
    for i in range(1, n + 1):
        v = i * mult
        v = (v - math.floor(v)) * scale
        v = math.floor(v * grid) / grid + shift
        out.append(v)
    return np.array(out, dtype=float)


# chi2.sf / log sf points: (x, dof)
SF_POINTS = [
    (0.0, 1), (1e-300, 1), (1e-8, 1), (0.5, 1), (3.841458820694124, 1), (10.0, 1), (100.0, 1), (1000.0, 1),
    (1400.0, 1), (1500.0, 1), (2e5, 1), (1e7, 1),
    (0.1, 2), (5.0, 2), (1400.0, 2), (2e5, 2),
    (1e-3, 3), (7.0, 3), (50.0, 3), (2e5, 3),
    (2.0, 4), (9.49, 4), (1500.0, 4),
    (0.5, 7), (14.07, 7), (300.0, 7), (1e6, 7),
    (3.0, 10), (18.3, 10), (1000.0, 10), (1600.0, 10),
    (2.5, 2.5), (40.0, 2.5), (3000.0, 2.5),
    (50.0, 99), (99.0, 99), (150.0, 99), (1000.0, 99), (2e5, 99),
    (500.0, 1000), (1000.0, 1000), (1100.0, 1000), (3000.0, 1000), (5000.0, 1000), (3e5, 1000),
    (9000.0, 10000), (10000.0, 10000), (10500.0, 10000), (13000.0, 10000), (15000.0, 10000), (2.5e5, 10000),
    (9e4, 1e5), (1e5, 1e5), (1.05e5, 1e5), (1.2e5, 1e5), (1.3e5, 1e5), (4e5, 1e5),
    (9.9e5, 1e6), (1e6, 1e6), (1.02e6, 1e6), (1.08e6, 1e6), (1.2e6, 1e6), (3e6, 1e6),
    (1.01e7, 1e7), (1.03e7, 1e7), (1.1e7, 1e7),
]


def main():
    out = []
    out.append("// Generated by tests/golden/chi2/gen_chi2.py (scipy 1.10.1, mpmath 1.2.1) - do not edit.")
    out.append("// Command: /usr/bin/python3 tests/golden/chi2/gen_chi2.py")
    out.append("#pragma once")
    out.append("#include <cmath>\n#include <cstdint>\n#include <limits>\n#include <vector>\n")
    out.append("namespace chi2_golden {\n")
    out.append("inline const double NaN = std::numeric_limits<double>::quiet_NaN();\n")
    out.append("struct table_case {\n    const char* name;\n    std::vector<std::uint64_t> reference, current; // as given (empty columns kept)\n"
               "    bool correction;\n    std::size_t dof, categories;\n"
               "    double scipy_statistic, scipy_pvalue, scipy_cramers_v; // chi2_contingency, association (NaN: scipy's 0/0)\n"
               "    double exact_statistic, exact_uncorrected;            // Fraction arithmetic, rounded once\n"
               "    double mp_pvalue, mp_log_pvalue;                       // mpmath Q(dof/2, exact/2)\n"
               "    double mp_cramers_v;                                   // sqrt(exact uncorrected / N)\n};\n")
    out.append("inline const table_case table_cases[] = {")
    for name, ref, cur, corr in TABLES:
        cols = [(r, c) for r, c in zip(ref, cur) if r or c]
        table = np.array([[r for r, _ in cols], [c for _, c in cols]], dtype=np.int64)
        plain, used, dof = exact_statistics(ref, cur, corr)
        res = stats.chi2_contingency(table, correction=corr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = association(table, method="cramer")
        assert res.dof == dof, (name, res.dof, dof)
        N = int(table.sum())
        if dof == 0:
            p_mp, lp_mp = mp.mpf(1), mp.mpf(0)
        else:
            lp_mp = log_sf_mp(mp.mpf(used.numerator) / used.denominator, dof)
            p_mp = mp.exp(lp_mp)
        v_mp = mp.sqrt(mp.mpf(plain.numerator) / plain.denominator / N)
        print(f"{name:50s} k={len(cols):3d} dof={dof:3d} X2={float(used):.10g} scipy={float(res.statistic):.10g} "
              f"p={float(res.pvalue):.6g} ln p={float(lp_mp):.12g} V={float(v):.6g}")
        out.append(f"    {{\"{name}\", {{{', '.join(str(r) for r in ref)}}}, {{{', '.join(str(c) for c in cur)}}}, "
                   f"{str(corr).lower()}, {dof}, {len(cols)}, {fmt(float(res.statistic))}, {fmt(float(res.pvalue))}, "
                   f"{fmt(float(v))}, {fmt(float(used))}, {fmt(float(plain))}, {fmt(float(p_mp))}, {fmt(float(lp_mp))}, "
                   f"{fmt(float(v_mp))}}},")
    out.append("};\n")

    out.append("struct sample_case {\n    const char* name;\n    std::uint64_t n1; double mult1, scale1, shift1;\n"
               "    std::uint64_t n2; double mult2, scale2, shift2; double grid;\n"
               "    std::size_t categories, dof;\n    double scipy_statistic, scipy_pvalue, scipy_cramers_v;\n};\n")
    out.append("// x_i = floor(frac(i * mult) * scale * grid) / grid + shift, i = 1..n; the table from np.unique.")
    out.append("inline const sample_case sample_cases[] = {")
    for name, n1, m1, s1, sh1, n2, m2, s2, sh2, grid in SAMPLES:
        x = formula_sample(n1, m1, s1, sh1, grid)
        y = formula_sample(n2, m2, s2, sh2, grid)
        cats = np.unique(np.concatenate([x, y]))
        table = np.array([[np.sum(x == c) for c in cats], [np.sum(y == c) for c in cats]], dtype=np.int64)
        res = stats.chi2_contingency(table)
        v = association(table, method="cramer")
        print(f"{name:50s} k={len(cats)} X2={res.statistic:.10g} p={res.pvalue:.6g} V={v:.6g}")
        out.append(f"    {{\"{name}\", {n1}, {fmt(m1)}, {fmt(s1)}, {fmt(sh1)}, {n2}, {fmt(m2)}, {fmt(s2)}, {fmt(sh2)}, "
                   f"{fmt(float(grid))}, {len(cats)}, {res.dof}, {fmt(float(res.statistic))}, {fmt(float(res.pvalue))}, "
                   f"{fmt(float(v))}}},")
    out.append("};\n")

    out.append("struct sf_point { double x, dof, scipy_sf, mp_sf, mp_log_sf; };")
    out.append("// scipy_sf: scipy.stats.chi2.sf(x, dof); mp_sf, mp_log_sf: mpmath Q(dof/2, x/2) and its ln")
    out.append("// (log1p(-P) below the mean)")
    out.append("inline const sf_point sf_points[] = {")
    for x, dof in SF_POINTS:
        sf = float(stats.chi2.sf(x, dof))
        lp = log_sf_mp(x, dof)
        print(f"chi2 sf x={x:<12g} dof={dof:<8g} sf={sf:.6g} ln sf={float(lp):.15g}")
        out.append(f"    {{{fmt(float(x))}, {fmt(float(dof))}, {fmt(sf)}, {fmt(float(mp.exp(lp)))}, {fmt(float(lp))}}},")
    out.append("};\n")
    out.append("} // namespace chi2_golden")
    with open(os.path.join(HERE, "chi2_golden.hpp"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
