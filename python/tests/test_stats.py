"""Each statistic against scipy / scikit-learn / numpy on the same arrays (references computed in
the test, nothing stored), and the error mapping."""
import math

import numpy as np
import pytest
import scipy.stats as ss
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

import driftgate as dg

rng = np.random.default_rng(20)


@pytest.mark.parametrize("n1,n2,shift,alt,method", [
    (50, 70, 0.3, "two-sided", "auto"),
    (300, 300, 0.1, "two-sided", "auto"),
    (200, 150, 0.2, "less", "auto"),
    (200, 150, -0.2, "greater", "auto"),
    (2000, 3000, 0.05, "two-sided", "exact"),
    (20000, 15000, 0.02, "two-sided", "auto"),
    (20000, 15000, 0.02, "two-sided", "asymp"),
    (400, 500, 0.0, "greater", "asymp"),
])
def test_ks_2samp_matches_scipy(n1, n2, shift, alt, method):
    a = rng.normal(size=n1)
    b = rng.normal(shift, size=n2)
    ours = dg.ks_2samp(a, b, alternative=alt, method=method)
    ref = ss.ks_2samp(a, b, alternative=alt, method=method)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-15, abs=0)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    assert ours.statistic_location == ref.statistic_location
    assert ours.statistic_sign == ref.statistic_sign
    assert ours.log_pvalue == pytest.approx(math.log(ref.pvalue), rel=1e-9)


def test_ks_log_pvalue_where_p_underflows():
    # Disjoint samples: p = 2 / C(n1 + n2, n1) exactly (two-sided); scipy's asymptotic p is 0.
    a = np.arange(2000, dtype=float)
    b = np.arange(2000, dtype=float) + 1e6
    r = dg.ks_2samp(a, b)
    expected = math.log(2) - (math.lgamma(4001) - 2 * math.lgamma(2001))
    assert r.pvalue == 0.0
    assert r.log_pvalue == pytest.approx(expected, rel=1e-12)


def test_ks_missing_values_are_excluded_and_counted():
    a = np.array([1.0, np.nan, 2.0, 3.0, 4.0])
    b = np.array([2.5, 3.5, np.nan, np.nan, 9.0])
    r = dg.ks_2samp(a, b)
    ref = ss.ks_2samp(a[~np.isnan(a)], b[~np.isnan(b)])
    assert (r.statistic, r.missing1, r.missing2, r.n1, r.n2) == (ref.statistic, 1, 2, 4, 3)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_ks_accepts_integers_float32_and_strided_views():
    a = rng.integers(0, 50, size=400)
    b = rng.normal(25, 14, size=900).astype(np.float32)
    big = rng.normal(size=(300, 2))
    for x, y in ((a, b), (big[:, 0], big[:, 1])):
        r = dg.ks_2samp(x, y)
        ref = ss.ks_2samp(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        assert r.statistic == ref.statistic
        assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


def psi_by_hand(ref, cur, edges, eps=1e-4):
    """PSI over [lower, upper) bins at the given inner edges plus a missing bin, smoothing a share
    that is 0 in one sample by eps (the documented convention)."""
    def shares(x):
        miss = np.isnan(x)
        idx = np.searchsorted(edges, x[~miss], side="right")
        counts = np.bincount(idx, minlength=len(edges) + 1).astype(float)
        counts = np.append(counts, miss.sum())
        return counts / len(x)
    r, c = shares(ref), shares(cur)
    total = 0.0
    for a, b in zip(r, c):
        if a == 0 and b == 0:
            continue
        a, b = (a or eps), (b or eps)
        total += (b - a) * math.log(b / a)
    return total


def test_psi_quantile_bins_against_hand_formula():
    ref = rng.lognormal(size=5000)
    ref[::50] = np.nan
    cur = rng.lognormal(0.2, size=3000)
    r = dg.psi(ref, cur, bins=10, binning="quantile")
    inner = [b["upper"] for b in r.bins if not b["missing"]][:-1]
    assert len(inner) == 9
    # quantile edges: each value bin of the reference holds ~10% (ties aside)
    shares = [b["reference_share"] for b in r.bins if not b["missing"]]
    assert all(abs(s - 0.098) < 0.01 for s in shares)
    assert r.value == pytest.approx(psi_by_hand(ref, cur, np.array(inner)), rel=1e-12)
    assert r.kind == "psi" and r.binning == "quantile"


def test_psi_given_edges_and_smoothing():
    ref = np.array([0.5, 1.5, 1.7, 2.5, 2.6, 2.7])
    cur = np.array([0.1, 0.2, 0.3, 2.9, 2.95, 2.99])
    r = dg.psi(ref, cur, edges=[0.0, 1.0, 2.0, 3.0])
    assert r.smoothed and r.empty_current_bins == 1
    assert r.value == pytest.approx(psi_by_hand(ref, cur, np.array([1.0, 2.0])), rel=1e-12)
    c = dg.csi(ref, cur, edges=[0.0, 1.0, 2.0, 3.0])
    assert c.kind == "csi" and c.value == r.value


@pytest.mark.parametrize("yates", [True, False])
def test_chi2_counts_match_scipy(yates):
    for ref, cur in (([30, 50], [45, 25]), ([10, 20, 30, 40], [12, 18, 35, 30]), ([1000, 3, 7], [990, 9, 1])):
        r = dg.chi2(ref, cur, yates=yates, counts=True)
        s = ss.chi2_contingency(np.array([ref, cur]), correction=yates)
        assert r.statistic == pytest.approx(s[0], rel=1e-12)
        assert r.pvalue == pytest.approx(s[1], rel=1e-10)
        assert r.dof == s[2]


def test_chi2_samples_count_distinct_values():
    a = rng.integers(-2, 9, size=4000).astype(float)
    b = rng.integers(-2, 9, size=3000).astype(float)
    b[:200] = 8
    r = dg.chi2(a, b)
    values = np.union1d(a, b)
    table = np.array([[np.sum(a == v) for v in values], [np.sum(b == v) for v in values]])
    s = ss.chi2_contingency(table)
    assert r.statistic == pytest.approx(s[0], rel=1e-12)
    assert r.pvalue == pytest.approx(s[1], rel=1e-9)
    assert r.categories == len(values)


def test_jensen_shannon_matches_scipy():
    p = rng.integers(0, 100, size=12).astype(float)
    q = rng.integers(0, 100, size=12).astype(float)
    for base in (2.0, math.e, 10.0):
        assert dg.jensen_shannon(p, q, base=base) == pytest.approx(jensenshannon(p, q, base=base), rel=1e-13)


def test_wasserstein_matches_scipy():
    a = rng.normal(size=3000)
    b = rng.normal(0.3, 1.2, size=2000)
    r = dg.wasserstein(a, b)
    assert r.distance == pytest.approx(ss.wasserstein_distance(a, b), rel=1e-12)
    assert r.reference_std == pytest.approx(np.std(a), rel=1e-13)
    assert r.normalized == pytest.approx(r.distance / np.std(a), rel=1e-13)


def scored(n=3000):
    y = (rng.random(n) < 0.22).astype(float)
    s = np.clip(rng.normal(0.3 + 0.25 * y, 0.15), 0, 1).round(3)  # ties
    return s, y


def test_roc_auc_and_classifier_ks_match_sklearn():
    s, y = scored()
    w = rng.random(len(s))
    assert dg.roc_auc(s, y).auc == pytest.approx(metrics.roc_auc_score(y, s), rel=1e-14)
    assert dg.roc_auc(s, y).gini == pytest.approx(2 * metrics.roc_auc_score(y, s) - 1, rel=1e-13)
    assert dg.roc_auc(s, y, w).auc == pytest.approx(metrics.roc_auc_score(y, s, sample_weight=w), rel=1e-12)
    fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=False)
    k = int(np.argmax(tpr - fpr))
    ks = dg.classifier_ks(s, y)
    assert ks.statistic == pytest.approx(tpr[k] - fpr[k], rel=1e-14)
    assert ks.threshold == thr[k]
    assert dg.roc_auc(s, y.astype(bool)).auc == dg.roc_auc(s, y).auc


def delong_by_hand(s, y):
    """DeLong (1988) with midrank placements, written out with scipy's rankdata."""
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    v10 = (ss.rankdata(np.concatenate([pos, neg]))[:m] - ss.rankdata(pos)) / n
    v01 = 1 - (ss.rankdata(np.concatenate([neg, pos]))[:n] - ss.rankdata(neg)) / m
    auc = v10.mean()
    var = np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n
    return auc, var


def test_delong_against_hand_implementation():
    s, y = scored(1500)
    r = dg.delong(s, y, level=0.9)
    auc, var = delong_by_hand(s, y)
    assert r.auc == pytest.approx(auc, rel=1e-13)
    assert r.variance == pytest.approx(var, rel=1e-10)
    z = ss.norm.isf(0.05)
    assert r.ci_lower == pytest.approx(auc - z * math.sqrt(var), rel=1e-10)
    assert r.ci_upper == pytest.approx(auc + z * math.sqrt(var), rel=1e-10)


def test_compare_auc_unpaired_against_hand_implementation():
    s1, y1 = scored(1000)
    s2, y2 = scored(1200)
    a1, v1 = delong_by_hand(s1, y1)
    a2, v2 = delong_by_hand(s2, y2)
    r = dg.compare_auc_unpaired(s1, y1, s2, y2)
    z = (a1 - a2) / math.sqrt(v1 + v2)
    assert r.z == pytest.approx(z, rel=1e-9)
    assert r.pvalue == pytest.approx(2 * ss.norm.sf(abs(z)), rel=1e-9)


def test_brier_and_log_loss_match_sklearn():
    s, y = scored()
    w = rng.random(len(s))
    assert dg.brier_score(s, y) == pytest.approx(metrics.brier_score_loss(y, s), rel=1e-14)
    assert dg.brier_score(s, y, w) == pytest.approx(metrics.brier_score_loss(y, s, sample_weight=w), rel=1e-13)
    assert dg.log_loss(s, y) == pytest.approx(metrics.log_loss(y, s), rel=1e-13)


def wilson(k, n, level=0.95):
    z = ss.norm.isf((1 - level) / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_proxies_against_numpy_and_wilson():
    s, _ = scored()
    s[:10] = np.nan
    r = dg.share_above(s, 0.5)
    k, n = int(np.sum(s[~np.isnan(s)] > 0.5)), int(np.sum(~np.isnan(s)))
    assert (r.count, r.n, r.missing) == (k, n, 10)
    lo, hi = wilson(k, n)
    assert r.ci_lower == pytest.approx(lo, rel=1e-12) and r.ci_upper == pytest.approx(hi, rel=1e-12)
    b = dg.share_below(s, 0.2)
    assert b.count == int(np.sum(s[~np.isnan(s)] < 0.2))
    m = dg.mean_score(s, level=0.9)
    x = s[~np.isnan(s)]
    t = ss.t.isf(0.05, len(x) - 1) * np.std(x, ddof=1) / math.sqrt(len(x))
    assert m.mean == pytest.approx(x.mean(), rel=1e-14)
    assert m.ci_upper == pytest.approx(x.mean() + t, rel=1e-12)
    e = dg.event_rate(np.array([1, 0, 0, 1, 1, np.nan]))
    assert (e.count, e.n, e.missing) == (3, 5, 1)


@pytest.mark.parametrize("call,cls,errc", [
    (lambda: dg.ks_2samp([], [1.0]), dg.EmptySampleError, "empty_sample"),
    (lambda: dg.roc_auc([0.1, 0.2], [1]), dg.LengthMismatchError, "length_mismatch"),
    (lambda: dg.roc_auc([0.1, 0.2], [1, 1]), dg.OneClassError, "one_class"),
    (lambda: dg.roc_auc([0.1, 0.2], [1, 2]), dg.BadLabelError, "bad_label"),
    (lambda: dg.roc_auc([0.1, 0.2], [1, 0], [1, -1]), dg.NegativeWeightError, "negative_weight"),
    (lambda: dg.delong([0.1, 0.2], [1, 0], level=1.5), dg.InvalidParameterError, "invalid_parameter"),
    (lambda: dg.brier_score([np.nan], [1]), dg.NonFiniteError, "non_finite"),
    (lambda: dg.ks_2samp([1.0], [2.0], alternative="sideways"), dg.InvalidParameterError, "invalid_parameter"),
    (lambda: dg.ks_2samp(np.ones((2, 2)), [1.0]), dg.InvalidParameterError, "invalid_parameter"),
])
def test_errors_are_value_errors_with_the_error_id(call, cls, errc):
    with pytest.raises(cls) as e:
        call()
    assert isinstance(e.value, ValueError)
    assert e.value.errc == errc
    assert str(e.value).startswith("driftgate: ")
