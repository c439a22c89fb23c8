"""Profiles of Dask DataFrames: one profile per partition, built on the workers, merged exactly
(merge_profiles: sorted values merged, counts added).

The merge runs in two stages, so that no process holds much more than the merged profile:
  * on the workers, consecutive partitions are merged in a binary tree of merge tasks while the
    merged group stays under `worker_merge_bytes` (the partition profiles' sizes, Profile.nbytes,
    are fetched first: a few integers);
  * the groups (each under that size) come to the client one at a time; it merges them pairwise,
    in order, releasing each column of a pair as soon as it is merged: the client holds about the
    merged profile's size, plus one group's bytes or one column.
A tree of merge tasks on the workers up to the whole profile would put its last merge on one
worker holding both halves, the result, and the result's bytes as it is sent: about four times
the merged profile (16.7 GB, killed for want of memory, for the 4 GB profile of 1e8 rows).

What travels between processes is the profile file format (Profile pickles as its bytes): per
partition, 8 bytes per non-missing value of each column with more than 256 distinct values (and
of the score by class), 16 bytes per distinct value of the others, a few bytes per category. The
merged profile of a continuous column holds all its values: exactness needs them (a sketch's KS
p-value is not the KS p-value). The client receives the groups and keeps the one merged profile."""

from . import _driftgate, _frames

__all__ = ["is_dask_frame", "profile_dask", "DEFAULT_WORKER_MERGE_BYTES"]

#: Largest profile merged on a worker (bytes of values): above it, merges happen on the client.
DEFAULT_WORKER_MERGE_BYTES = 256 << 20


def is_dask_frame(data):
    mod = type(data).__module__ or ""
    return mod.startswith("dask.") and hasattr(data, "to_delayed") and hasattr(data, "npartitions")


def _partition_profile(part, plan, source):
    return _frames.profile_frame(part, plan, source)


def _merge(a, b):
    return a.merge(b)


def _nbytes(p):
    return p.nbytes


def _fix_kinds(ddf, plan):
    """Columns left to "auto" get the DataFrame's dtype for every partition: a partition whose
    text column happens to be all-missing must not read as numbers and break the merge."""
    cols = []
    for name, read_as in plan.columns:
        if read_as == "auto":
            read_as = "text" if _frames._is_text_dtype(ddf[name]) else "auto"
        cols.append((name, read_as))
    return _frames.Plan(cols, plan.score, plan.label, plan.probability, plan.header)


def _groups(sizes, limit):
    """Consecutive runs of indexes whose sizes sum to at most `limit` (a larger one alone)."""
    groups, current, total = [], [], 0
    for i, n in enumerate(sizes):
        if current and total + n > limit:
            groups.append(current)
            current, total = [], 0
        current.append(i)
        total += n
    if current:
        groups.append(current)
    return groups


def _tree(items, merge):
    """Merges items (in order) pairwise, level by level."""
    while len(items) > 1:
        items = [merge(items[i], items[i + 1]) if i + 1 < len(items) else items[i] for i in range(0, len(items), 2)]
    return items[0]


def profile_dask(ddf, plan, source, worker_merge_bytes=None):
    import dask

    if worker_merge_bytes is None:
        worker_merge_bytes = DEFAULT_WORKER_MERGE_BYTES

    plan = _fix_kinds(ddf, plan)
    parts = ddf.to_delayed()
    if not parts:
        raise ValueError("the Dask DataFrame has no partition")
    build = dask.delayed(_partition_profile, pure=True)
    merge = dask.delayed(_merge, pure=True)
    size = dask.delayed(_nbytes, pure=True)
    # The partition profiles stay where they were built (persist); only their sizes come back.
    built = dask.persist(*[build(p, plan, f"{source}[{i}]") for i, p in enumerate(parts)])
    sizes = dask.compute(*[size(b) for b in built])
    # The groups are merged on the workers all at once, then fetched one at a time: the client
    # never holds more than one group's bytes beside the profiles it has (gathering them at once
    # held the bytes of all of them and their profiles together: twice the merged profile).
    groups = list(dask.persist(*[_tree([built[i] for i in g], merge) for g in _groups(sizes, worker_merge_bytes)]))
    del built
    merged = []
    for i in range(len(groups)):
        (group,) = dask.compute(groups[i])
        groups[i] = None  # the workers may drop it
        merged.append(group)
    # Merged here by the consuming merge: each column of a pair is released as soon as it is
    # merged, so the last merge of two halves holds the halves and one column, not also the result.
    prof = _tree(merged, _driftgate._merge_consuming)
    prof.source = source
    return prof
