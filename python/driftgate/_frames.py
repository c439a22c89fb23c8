"""Columns of a pandas DataFrame or a dict of arrays handed to the C++ profile builder, chosen and
typed as the CLI reads a CSV (cli/profile_command.cpp, cli/commands.cpp):

* reference: every column but the label, the score and [columns] exclude (or [columns] features),
  then the score; the label splits the score by class;
* current: the reference's profiled columns present in the data, each read as the reference's kind
  (text or number), the score, and the label when performance is judged.

A column read as text is counted here (one count per category crosses into C++, not one string
per cell); a numeric one is passed as float64 (read in place when it already is)."""

import numpy as np

from . import _driftgate
from .errors import BadDataError

__all__ = ["Plan", "reference_plan", "current_plan", "column_names", "profile_frame"]


class Plan:
    """What to profile: (name, read_as) pairs with read_as in {"number", "text", "auto"}, the
    score and label names ("" none) and whether scores must be probabilities."""

    def __init__(self, columns, score, label, probability, header):
        self.columns = list(columns)
        self.score = score
        self.label = label
        self.probability = probability
        self.header = list(header)

    def __reduce__(self):
        return (Plan, (self.columns, self.score, self.label, self.probability, self.header))


def column_names(data):
    if hasattr(data, "columns"):
        return [str(c) for c in data.columns]
    return [str(c) for c in data.keys()]


def _read_as(cfg, name):
    k = cfg.feature_kind(name)
    if k is None:
        return "auto"
    return "text" if k == "categorical" else "number"


def reference_plan(cfg, header):
    present = set(header)
    cols = []
    if cfg.features:
        for f in cfg.features:
            if f not in present:
                raise BadDataError(f'no column "{f}" (columns: {", ".join(header)})', "bad_data", 65)
            cols.append((f, _read_as(cfg, f)))
    else:
        excluded = set(cfg.exclude)
        cols = [(h, _read_as(cfg, h)) for h in header if h not in (cfg.label, cfg.score) and h not in excluded]
    score = label = ""
    if cfg.score and cfg.score in present:
        cols.append((cfg.score, "number"))
        score = cfg.score
        if cfg.label and cfg.label in present:
            label = cfg.label
    return Plan(cols, score, label, cfg.probability, header)


def current_plan(cfg, header, reference):
    present = set(header)
    checks = cfg.checks
    own = checks["performance"] or checks["proxies"]
    cols = []
    for name in reference.columns:
        if name not in present or name == cfg.label:
            continue
        cols.append((name, "text" if reference.column(name)["type"] == "text" else "number"))
    score = label = ""
    if cfg.score and cfg.score in present:
        score = cfg.score
        if checks["performance"] and cfg.label and cfg.label in present:
            label = cfg.label
    if not own and not label:
        score = ""
    if score and all(n != score for n, _ in cols):
        cols.append((score, "number"))
    return Plan(cols, score, label, own and cfg.probability, header)


def _is_text_dtype(values):
    kind = getattr(getattr(values, "dtype", None), "kind", "O")
    return kind in "OUSc" or str(getattr(values, "dtype", "")) in ("category", "string")


def _numbers(name, values):
    """float64 values of a numeric column (NaN missing); raises BadDataError for a cell that is
    not a number (as the CLI's reader does under on_bad_value = "error")."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", "O") in "iufb":
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan) if hasattr(values, "to_numpy") else np.asarray(values, dtype=np.float64)
        return np.ascontiguousarray(arr, dtype=np.float64)
    out = np.empty(len(values), dtype=np.float64)
    for i, v in enumerate(values.tolist() if hasattr(values, "tolist") else list(values)):
        if v is None or (isinstance(v, float) and v != v):
            out[i] = np.nan
            continue
        if isinstance(v, bool):
            out[i] = 1.0 if v else 0.0
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise BadDataError(f'column "{name}", row {i}: {v!r} is not a number', "bad_data", 65) from None
    return out


def _is_missing_text(v):
    return v is None or (isinstance(v, float) and v != v) or str(v) in ("<NA>", "NaT")


def _text(name, values):
    """Category names and counts of a text column (missing: None, NaN, pandas NA)."""
    try:
        import pandas as pd
        s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        s = s.astype(object)
        missing = int(s.isna().sum())
        vc = s.dropna().map(str).value_counts(sort=False)
        return [str(k) for k in vc.index], [int(c) for c in vc.to_numpy()], missing
    except ImportError:
        counts, missing = {}, 0
        for v in list(values):
            if _is_missing_text(v):
                missing += 1
            else:
                k = str(v)
                counts[k] = counts.get(k, 0) + 1
        return list(counts), list(counts.values()), missing


def _column(name, values, read_as):
    dtype = getattr(values, "dtype", None)
    if read_as == "text":
        names, counts, missing = _text(name, values)
        return _driftgate._Column(name, "text", None, names, counts, missing)
    if read_as == "auto" and _is_text_dtype(values):
        return _column(name, values, "text")
    if dtype is not None and getattr(dtype, "kind", "") == "b":
        return _driftgate._Column(name, "boolean", _numbers(name, values))
    return _driftgate._Column(name, "number", _numbers(name, values))


def profile_frame(data, plan, source):
    """The profile of a DataFrame (or dict of arrays) under `plan`."""
    getter = (lambda n: data[n])
    cols = [_column(name, getter(name), read_as) for name, read_as in plan.columns]
    if plan.label:
        cols.append(_column(plan.label, getter(plan.label), "number"))
    return _driftgate._profile_columns(cols, plan.header, plan.score, plan.label, source, plan.probability)
