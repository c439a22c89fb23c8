"""driftgate: exact drift and model-performance statistics for credit-risk scoring.

The statistics take numpy arrays (float64 arrays are read in place, other dtypes converted):
ks_2samp, psi, csi, chi2, jensen_shannon, wasserstein, roc_auc, delong, classifier_ks,
brier_score, log_loss, compare_auc_paired / compare_auc_unpaired and the proxies.

A monitoring run: a Policy (TOML file, text or dict), profiles of the reference and the current
snapshot (pandas DataFrame, dict of arrays, CSV path, saved profile or Dask DataFrame), and
evaluate(), whose report's checks are the objects of `driftgate check --format json`.
"""

import os

from . import _driftgate, _frames, _toml
from ._driftgate import (AUCComparison, AUCResult, Check, Chi2Result, ClassifierKSResult, DeLongResult, KSResult,
                         MeanResult, Policy, Profile, PSIResult, Report, ShareResult, WassersteinResult,
                         brier_score, classifier_ks, compare_auc_paired, compare_auc_unpaired, csi, delong,
                         event_rate, jensen_shannon, ks_2samp, load_profile, log_loss, mean_score, merge_profiles,
                         profile_from_bytes, psi, roc_auc, share_above, share_below, wasserstein)
from .errors import *  # noqa: F401,F403
from .errors import DriftgateError, UsageError

__version__ = _driftgate.__version__

__all__ = [
    "ks_2samp", "psi", "csi", "chi2", "jensen_shannon", "wasserstein", "roc_auc", "delong", "classifier_ks",
    "brier_score", "log_loss", "compare_auc_paired", "compare_auc_unpaired", "share_above", "share_below",
    "event_rate", "mean_score", "Policy", "policy", "Profile", "profile", "load_profile", "merge_profiles",
    "profile_from_bytes", "evaluate", "Report", "Check", "KSResult", "PSIResult", "Chi2Result", "WassersteinResult",
    "AUCResult", "ClassifierKSResult", "DeLongResult", "AUCComparison", "ShareResult", "MeanResult",
    "DriftgateError",
]


def chi2(reference, current, yates=True, counts=False):
    """Chi-square test of homogeneity. counts=False: two samples of a discrete column (categories
    are the distinct values of either; NaN left out). counts=True: two rows of counts per category."""
    if counts:
        return _driftgate.chi2_counts(reference, current, yates)
    return _driftgate.chi2_samples(reference, current, yates)


def _policy_from_dict(d, name="(dict)"):
    return Policy.from_toml(_toml.dumps(d), name)


Policy.from_dict = staticmethod(_policy_from_dict)


def policy(config=None):
    """A Policy from a Policy, a TOML file path, a dict of tables, or None (the built-in defaults)."""
    if config is None:
        return Policy.from_toml("", "(built-in defaults)")
    if isinstance(config, Policy):
        return config
    if isinstance(config, dict):
        return _policy_from_dict(config)
    if isinstance(config, (str, os.PathLike)):
        return Policy.load(os.fspath(config))
    raise TypeError(f"config: a Policy, a path or a dict, not {type(config).__name__}")


def _with_columns(cfg, columns, score, label):
    if columns is None and score is None and label is None:
        return cfg
    if isinstance(columns, str):
        columns = [columns]
    return cfg.with_columns(None if columns is None else list(columns), score, label)


def _is_path(data):
    return isinstance(data, (str, os.PathLike))


def _is_profile_file(path):
    try:
        with open(path, "rb") as f:
            return f.read(8) == b"\x89DGP\r\n\x1a\n"
    except OSError:
        return False


def profile(data, columns=None, score=None, label=None, config=None, source=None):
    """The profile of a snapshot, as `driftgate profile build` makes it from a CSV.

    data: a pandas DataFrame, a dict of arrays, a CSV path (read by the CLI's reader), a saved
    profile's path, or a Dask DataFrame (one profile per partition on the workers, merged exactly).
    columns / score / label override [columns] features / score / label of the config."""
    cfg = _with_columns(policy(config), columns, score, label)
    if isinstance(data, Profile):
        return data
    if _is_path(data):
        path = os.fspath(data)
        if _is_profile_file(path):
            return load_profile(path)
        return _driftgate._profile_csv(cfg, path)
    from ._dask import is_dask_frame, profile_dask
    header = _frames.column_names(data)
    plan = _frames.reference_plan(cfg, header)
    if is_dask_frame(data):
        return profile_dask(data, plan, source or "(dask dataframe)")
    return _frames.profile_frame(data, plan, source or "(in memory)")


def _current_profile(cfg, data, reference, source):
    if isinstance(data, Profile):
        return data
    if _is_path(data):
        path = os.fspath(data)
        if _is_profile_file(path):
            return load_profile(path)
        return _driftgate._current_csv(cfg, path, reference)
    from ._dask import is_dask_frame, profile_dask
    plan = _frames.current_plan(cfg, _frames.column_names(data), reference)
    if is_dask_frame(data):
        return profile_dask(data, plan, source or "(dask dataframe)")
    return _frames.profile_frame(data, plan, source or "(in memory)")


def evaluate(reference, current, config=None, threads=None, command="check"):
    """A whole run: schema, data quality, drift, the score's CSI, performance and proxies, as the
    policy's [checks] ask. reference: a Profile or anything profile() takes; current: a Profile,
    DataFrame, dict of arrays, CSV or profile path, or Dask DataFrame (profiled as the CLI reads the
    current file: the reference's columns, each read as the reference's kind)."""
    cfg = policy(config)
    if threads is not None:
        cfg = cfg.with_columns()
        cfg.threads = int(threads)
    if reference is None or current is None:
        raise UsageError("evaluate needs a reference and a current snapshot", "usage", 64)
    ref = profile(reference, config=cfg)
    cur = _current_profile(cfg, current, ref, None)
    return _driftgate._evaluate(ref, cur, cfg, command)
