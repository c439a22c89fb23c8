"""The distributed path for real: a LocalCluster of 2 worker processes profiles Dask DataFrames
read from directories of partitioned CSV files, one profile per partition on the workers, merged
exactly; every check equals the single-process CLI's on the whole files."""
import json
import time

import pandas as pd
import pytest

import driftgate as dg
from conftest import run_cli

dd = pytest.importorskip("dask.dataframe")  # python3-dask: the CI machine has it; a test that fails without it below
distributed = pytest.importorskip("distributed")


def split_csv(src, folder, parts):
    folder.mkdir()
    lines = src.read_text().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    step = -(-len(rows) // parts)
    for i in range(parts):
        (folder / f"part-{i:03d}.csv").write_text(header + "".join(rows[i * step:(i + 1) * step]))
    return folder


@pytest.fixture(scope="module")
def client():
    # processes=True: workers are separate processes, started by spawning (pytest's __main__ is guarded).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


# Where the merges run: the default (the credit example's profiles are small: every merge on the
# workers), 0 (every partition's profile to the client, merged there), and a size between (groups
# merged on the workers, the groups on the client). The result is the same profile.
@pytest.mark.parametrize("merge_bytes", [None, 0, 500_000])
def test_distributed_profile_and_checks_equal_the_cli(cli, credit, tmp_path, client, merge_bytes, monkeypatch):
    import driftgate._dask as dgd
    if merge_bytes is not None:
        monkeypatch.setattr(dgd, "DEFAULT_WORKER_MERGE_BYTES", merge_bytes)
    cfg = credit / "config.toml"
    ref_dir = split_csv(credit / "reference.csv", tmp_path / "ref", 5)
    cur_dir = split_csv(credit / "current_drifted.csv", tmp_path / "cur", 3)
    ref = dd.read_csv(str(ref_dir / "*.csv"), float_precision="round_trip")
    cur = dd.read_csv(str(cur_dir / "*.csv"), float_precision="round_trip")
    assert ref.npartitions == 5 and cur.npartitions == 3

    # This profile's tasks are known by their keys, read from the graphs it persists: the first
    # persist holds the partition profiles, the second the merge tasks on the workers. The task
    # stream may also hold other tests' tasks, reported late (counting by start time let them in).
    import dask
    persisted, real_persist = [], dask.persist

    def recording_persist(*args, **kwargs):
        persisted.append({k for a in args for k in dict(a.__dask_graph__())})
        return real_persist(*args, **kwargs)

    monkeypatch.setattr(dask, "persist", recording_persist)
    asked = time.time()
    with distributed.get_task_stream(client) as ts:
        ref_profile = dg.profile(ref, config=cfg, source="reference partitions")
    monkeypatch.setattr(dask, "persist", real_persist)
    assert len(persisted) == 2
    my_partitions = {k for k in persisted[0] if str(k).startswith("_partition_profile")}
    my_merges = {k for k in persisted[1] if str(k).startswith("_merge")}
    assert len(my_partitions) == 5

    def tasks(data):
        """The task stream's records of this profile's partition tasks, and the keys of its merge
        tasks that ran on the workers. A task the scheduler ran twice (a worker's copy raced by a
        steal) is listed twice: counted once, by key."""
        mine = [t for t in data if t["key"] in my_partitions]
        return mine, len({t["key"] for t in data if t["key"] in my_merges})

    def partitions(mine):
        return len({t["key"] for t in mine})

    # A task's record can reach the task stream after the result has reached the client (one merge
    # of four was missing in a CI run): the stream is read again until every task is in it, for a
    # few seconds at most.
    mine, worker_merges = tasks(ts.data)
    deadline = time.time() + 10
    while (partitions(mine) < 5 or worker_merges < len(my_merges)) and time.time() < deadline:
        time.sleep(0.2)
        mine, worker_merges = tasks(client.get_task_stream(start=asked - 1))
    workers = {t["worker"] for t in mine}
    assert partitions(mine) == 5, [(t["key"], t["worker"]) for t in mine]
    assert worker_merges == len(my_merges), (worker_merges, sorted(my_merges))
    assert workers and all(w in client.scheduler_info()["workers"] for w in workers)
    if merge_bytes is None:
        assert worker_merges == 4  # 5 partitions: 4 merges, all on the workers
    elif merge_bytes == 0:
        assert worker_merges == 0  # all on the client
    else:
        assert 0 < worker_merges < 4, worker_merges

    # the merged profile is the CLI's profile of the whole file
    whole = tmp_path / "ref.dgp"
    run_cli(cli, "profile", "build", "--config", cfg, credit / "reference.csv", "-o", whole, check_codes=(0,))
    cli_profile = dg.load_profile(str(whole))
    assert ref_profile.header == cli_profile.header and ref_profile.rows == cli_profile.rows
    for c in cli_profile.columns:
        assert ref_profile.column(c) == cli_profile.column(c)

    report = dg.evaluate(ref_profile, cur, config=cfg)
    r = run_cli(cli, "check", "--config", cfg, "--reference", credit / "reference.csv", "--current",
                credit / "current_drifted.csv", "--format", "json")
    doc = json.loads(r.stdout)
    assert [c.to_dict() for c in report.checks] == doc["checks"]
    assert report.status == doc["status"] == "critical" and r.returncode == 2

    # a profile built on the cluster gates a CI job through the CLI
    saved = tmp_path / "cluster.dgp"
    ref_profile.save(str(saved))
    r2 = run_cli(cli, "check", "--config", cfg, "--reference", saved, "--current", credit / "current_drifted.csv",
                 "--format", "json")
    assert json.loads(r2.stdout)["checks"] == doc["checks"]


def test_worker_errors_arrive_as_driftgate_errors(client, tmp_path):
    df = pd.DataFrame({"x": [0.1, 0.2, 0.3, 0.4], "score": [0.1, 0.5, 2.0, 0.3], "y": [0, 1, 0, 1]})
    ddf = dd.from_pandas(df, npartitions=2)
    with pytest.raises(dg.InvalidParameterError) as e:
        dg.profile(ddf, score="score", label="y")
    assert "outside [0, 1]" in str(e.value)
