"""Profiles of Dask DataFrames: one profile per partition, built on the workers, merged exactly
(merge_profiles: sorted values merged, counts added) in a binary tree of merge tasks.

What travels between processes is the profile file format (Profile pickles as its bytes): per
partition, 8 bytes per non-missing value of each column with more than 256 distinct values (and
of the score by class), 16 bytes per distinct value of the others, a few bytes per category. The
merged profile of a continuous column holds all its values: exactness needs them (a sketch's KS
p-value is not the KS p-value). The client receives the one merged profile."""

from . import _frames

__all__ = ["is_dask_frame", "profile_dask"]


def is_dask_frame(data):
    mod = type(data).__module__ or ""
    return mod.startswith("dask.") and hasattr(data, "to_delayed") and hasattr(data, "npartitions")


def _partition_profile(part, plan, source):
    return _frames.profile_frame(part, plan, source)


def _merge(a, b):
    return a.merge(b)


def _fix_kinds(ddf, plan):
    """Columns left to "auto" get the DataFrame's dtype for every partition: a partition whose
    text column happens to be all-missing must not read as numbers and break the merge."""
    cols = []
    for name, read_as in plan.columns:
        if read_as == "auto":
            read_as = "text" if _frames._is_text_dtype(ddf[name]) else "auto"
        cols.append((name, read_as))
    return _frames.Plan(cols, plan.score, plan.label, plan.probability, plan.header)


def profile_dask(ddf, plan, source, compute=True):
    import dask

    plan = _fix_kinds(ddf, plan)
    parts = ddf.to_delayed()
    if not parts:
        raise ValueError("the Dask DataFrame has no partition")
    build = dask.delayed(_partition_profile, pure=True)
    merge = dask.delayed(_merge, pure=True)
    level = [build(p, plan, f"{source}[{i}]") for i, p in enumerate(parts)]
    while len(level) > 1:  # rows stay in partition order: a's rows, then b's
        level = [merge(level[i], level[i + 1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    if not compute:
        return level[0]
    prof = level[0].compute()
    prof.source = source
    return prof
