"""Profiles: built from a DataFrame, a dict of arrays and a CSV path agree with the CLI's
`profile build`; a profile saved by Python is read by the CLI and one written by the CLI is read by
Python; merging partitions equals profiling the whole."""
import json
import pickle

import numpy as np
import pandas as pd
import pytest

import driftgate as dg
from conftest import run_cli


def read(path):
    # round_trip: pandas' default float parser may miss the correctly rounded double by an ulp;
    # the CLI's reader (std::from_chars) does not.
    return pd.read_csv(path, float_precision="round_trip")


def cli_profile_json(cli, path):
    return json.loads(run_cli(cli, "profile", "show", path, "--format", "json").stdout)


def same_content(a, b):
    assert a.header == b.header
    assert a.columns == b.columns
    assert (a.score, a.label, a.rows, a.has_classes) == (b.score, b.label, b.rows, b.has_classes)
    for c in a.columns:
        assert a.column(c) == b.column(c), c


def test_csv_path_dataframe_and_dict_give_the_cli_profile(cli, credit, tmp_path):
    cfg = credit / "config.toml"
    out = tmp_path / "ref.dgp"
    run_cli(cli, "profile", "build", "--config", cfg, credit / "reference.csv", "-o", out, check_codes=(0,))
    from_cli = dg.load_profile(str(out))
    from_path = dg.profile(str(credit / "reference.csv"), config=cfg)
    df = read(credit / "reference.csv")
    from_df = dg.profile(df, config=cfg)
    from_dict = dg.profile({c: df[c].to_numpy() for c in df.columns}, config=cfg)
    for p in (from_path, from_df, from_dict):
        same_content(p, from_cli)
    # the file's bytes but the metadata (source, creation time): the sorted samples are canonical;
    # the last 8 bytes, the checksum, cover the metadata too (docs/profile-format.md), so they
    # differ when the two profiles were made in different seconds
    assert from_path.to_bytes()[-1008:-8] == from_cli.to_bytes()[-1008:-8]


def test_saved_profile_is_read_by_the_cli(cli, credit, tmp_path):
    df = read(credit / "reference.csv")
    p = dg.profile(df, config=credit / "config.toml", source="reference frame")
    path = tmp_path / "py.dgp"
    p.save(str(path))
    shown = cli_profile_json(cli, path)
    assert shown["rows"] == len(df)
    assert [c["name"] for c in shown["columns"]] == p.columns
    # and a CLI check with that profile as the reference equals one with the CSV
    a = run_cli(cli, "check", "--config", credit / "config.toml", "--reference", path, "--current",
                credit / "current_drifted.csv", "--format", "json")
    b = run_cli(cli, "check", "--config", credit / "config.toml", "--reference", credit / "reference.csv",
                "--current", credit / "current_drifted.csv", "--format", "json")
    assert a.returncode == b.returncode == 2
    assert json.loads(a.stdout)["checks"] == json.loads(b.stdout)["checks"]


def test_merge_equals_whole_and_matches_cli_merge(cli, credit, tmp_path):
    df = read(credit / "reference.csv")
    cfg = credit / "config.toml"
    whole = dg.profile(df, config=cfg)
    parts = [dg.profile(df.iloc[i:i + 7000], config=cfg) for i in range(0, len(df), 7000)]
    merged = parts[0]
    for q in parts[1:]:
        merged = merged.merge(q)
    same_content(merged, whole)
    paths = []
    for i, q in enumerate(parts):
        paths.append(tmp_path / f"part{i}.dgp")
        q.save(str(paths[-1]))
    out = tmp_path / "merged.dgp"
    run_cli(cli, "profile", "merge", *paths, "-o", out, check_codes=(0,))
    same_content(dg.load_profile(str(out)), whole)
    # The parts: one fingerprint per partition, the same in the CLI's merge and Python's; the
    # whole lists none. A merged profile merged again with one of its parts is refused.
    assert whole.parts == [] and all(q.parts == [] for q in parts)
    assert len(merged.parts) == len(parts) == 4
    assert dg.load_profile(str(out)).parts == merged.parts == sorted(merged.parts)
    saved = tmp_path / "python-merged.dgp"
    merged.save(str(saved))
    again = run_cli(cli, "profile", "merge", saved, paths[2], "-o", tmp_path / "twice.dgp", check_codes=(64,))
    assert "already holds the rows of" in again.stderr and "they would count twice" in again.stderr
    assert not (tmp_path / "twice.dgp").exists()
    # Python's merge refuses the same: a profile with itself, or a merged one with one of its parts.
    with pytest.raises(dg.UsageError, match="holds the same rows as this profile"):
        parts[0].merge(parts[0])
    with pytest.raises(dg.UsageError, match="they would count twice"):
        dg.merge_profiles(merged, parts[2])


def test_pickle_is_the_profile_file_format():
    df = pd.DataFrame({"x": np.arange(1000.0), "c": ["a", "b"] * 500, "score": np.linspace(0, 1, 1000),
                       "y": [0, 1] * 500})
    p = dg.profile(df, score="score", label="y")
    q = pickle.loads(pickle.dumps(p))
    same_content(p, q)
    assert q.to_bytes() == p.to_bytes()
    assert dg.profile_from_bytes(p.to_bytes()).to_bytes() == p.to_bytes()


def test_text_columns_and_missing_cells():
    df = pd.DataFrame({"grade": ["A", None, "B", "A", np.nan], "amount": [1.0, np.nan, 3.0, 4.0, 5.0]})
    p = dg.profile(df)
    g = p.column("grade")
    assert (g["type"], g["categories"], g["category_counts"], g["missing"]) == ("text", ["A", "B"], [2, 1], 2)
    a = p.column("amount")
    assert (a["type"], a["count"], a["missing"]) == ("number", 4, 1)


@pytest.mark.parametrize("bad,cls", [
    (b"not a profile at all", dg.BadFormatError),
    (b"\x89DGP\r\n\x1a\n" + b"\x00" * 20, dg.BadFormatError),
])
def test_corrupt_profiles_raise(bad, cls, tmp_path):
    with pytest.raises(cls):
        dg.profile_from_bytes(bad)


def test_missing_profile_file_is_no_input(tmp_path):
    with pytest.raises(dg.NoInputError) as e:
        dg.load_profile(str(tmp_path / "absent.dgp"))
    assert e.value.exit_code == 66 and isinstance(e.value, ValueError)


def test_save_never_leaves_half_a_file(tmp_path):
    p = dg.profile({"x": np.arange(10.0)})
    with pytest.raises(dg.DriftgateError):
        p.save(str(tmp_path / "no" / "such" / "dir" / "p.dgp"))
    assert list(tmp_path.iterdir()) == []


def test_bad_policy_key_names_its_place():
    with pytest.raises(dg.BadDataError) as e:  # the CLI's configuration error: exit 65
        dg.policy({"drift": {"bins": 0}})
    assert "(dict):2:8: key 'drift.bins'" in str(e.value)
    assert (e.value.errc, e.value.exit_code) == ("bad_data", 65)
    with pytest.raises(dg.DriftgateError):
        dg.policy({"drift": {"no_such_key": 1}})
