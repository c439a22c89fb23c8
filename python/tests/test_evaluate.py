"""evaluate() against `driftgate check --format json` on the same data: every check's to_dict()
equals the CLI's JSON object, in the same order, with the same status."""
import json

import numpy as np
import pandas as pd
import pytest

import driftgate as dg
from conftest import run_cli


def cli_check(cli, config, reference, current, *extra):
    r = run_cli(cli, "check", "--config", config, "--reference", reference, "--current", current, "--format", "json",
                *extra)
    return r.returncode, json.loads(r.stdout)


def assert_same(report, doc):
    ours = [c.to_dict() for c in report.checks]
    assert len(ours) == len(doc["checks"])
    for a, b in zip(ours, doc["checks"]):
        assert a == b
    assert report.status == doc["status"]
    assert report.to_dict()["summary"] == doc["summary"]
    assert report.notes == doc["notes"]


@pytest.mark.parametrize("current", ["current_stable.csv", "current_drifted.csv"])
def test_csv_paths_equal_the_cli(cli, credit, current):
    cfg = credit / "config.toml"
    code, doc = cli_check(cli, cfg, credit / "reference.csv", credit / current)
    r = dg.evaluate(str(credit / "reference.csv"), str(credit / current), config=cfg)
    assert_same(r, doc)
    assert r.gate_fails("critical") == (code == 2)


@pytest.mark.parametrize("current", ["current_stable.csv", "current_drifted.csv"])
def test_dataframes_equal_the_cli(cli, credit, current):
    cfg = dg.policy(credit / "config.toml")
    ref = pd.read_csv(credit / "reference.csv", float_precision="round_trip")
    cur = pd.read_csv(credit / current, float_precision="round_trip")
    _, doc = cli_check(cli, credit / "config.toml", credit / "reference.csv", credit / current)
    assert_same(dg.evaluate(dg.profile(ref, config=cfg), cur, config=cfg), doc)
    assert_same(dg.evaluate(ref, cur, config=cfg, threads=1), doc)


def test_saved_profile_and_cli_profile_are_interchangeable(cli, credit, tmp_path):
    cfg = credit / "config.toml"
    cli_prof = tmp_path / "cli.dgp"
    run_cli(cli, "profile", "build", "--config", cfg, credit / "reference.csv", "-o", cli_prof, check_codes=(0,))
    _, doc = cli_check(cli, cfg, credit / "reference.csv", credit / "current_drifted.csv")
    cur = pd.read_csv(credit / "current_drifted.csv", float_precision="round_trip")
    assert_same(dg.evaluate(dg.load_profile(str(cli_prof)), cur, config=cfg), doc)
    assert_same(dg.evaluate(str(cli_prof), str(credit / "current_drifted.csv"), config=cfg), doc)


def test_policy_from_dict_equals_the_file(cli, credit, tmp_path):
    import tomllib
    with open(credit / "config.toml", "rb") as f:
        d = tomllib.load(f)
    d.pop("input")  # relative to the file; the run's files are given here
    d["drift"]["psi"]["warning"] = 0.05
    text = (credit / "config.toml").read_text().replace("warning = 0.10\ncritical = 0.25\n\n[drift.ks_pvalue]",
                                                        "warning = 0.05\ncritical = 0.25\n\n[drift.ks_pvalue]")
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    _, doc = cli_check(cli, cfg, credit / "reference.csv", credit / "current_stable.csv")
    r = dg.evaluate(str(credit / "reference.csv"), str(credit / "current_stable.csv"), config=d)
    assert_same(r, doc)
    assert_same(dg.evaluate(str(credit / "reference.csv"), str(credit / "current_stable.csv"),
                            config=dg.Policy.from_dict(d)), doc)
    assert any(c["check"] == "psi" and c["thresholds"]["warning"] == 0.05 for c in doc["checks"])


def test_schema_checks_see_the_whole_header(cli, tmp_path):
    rng = np.random.default_rng(5)
    ref = pd.DataFrame({"a": rng.normal(size=500), "b": rng.integers(0, 5, 500), "gone": rng.normal(size=500),
                        "grade": rng.choice(["A", "B", "C"], 500)})
    cur = pd.DataFrame({"a": rng.normal(0.5, size=400), "b": rng.integers(0, 6, 400), "new": rng.normal(size=400),
                        "grade": rng.choice(["A", "B", "D"], 400)})
    ref.to_csv(tmp_path / "ref.csv", index=False)
    cur.to_csv(tmp_path / "cur.csv", index=False)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[checks]\nperformance = false\nproxies = false\n")
    _, doc = cli_check(cli, cfg, tmp_path / "ref.csv", tmp_path / "cur.csv")
    ref2 = pd.read_csv(tmp_path / "ref.csv", float_precision="round_trip")
    cur2 = pd.read_csv(tmp_path / "cur.csv", float_precision="round_trip")
    r = dg.evaluate(ref2, cur2, config=cfg)
    assert_same(r, doc)
    names = {(c.section, c.check, c.column) for c in r.checks}
    assert ("schema", "missing_column", "gone") in names and ("drift", "chi2", "grade") in names


def test_a_named_score_the_reference_lacks_is_an_error_the_default_a_note():
    # As drift and check: a score column named in the policy that the reference lacks stops the
    # run (bad_data, the CLI's exit 65) rather than dropping CSI without a word; the default name
    # "score" absent leaves a note.
    rng = np.random.default_rng(3)
    ref = {"x": rng.normal(size=300), "pd": rng.uniform(size=300)}
    cur = {"x": rng.normal(size=300), "pd": rng.uniform(size=300) ** 0.2}
    checks_only = {"checks": {"performance": False, "proxies": False}}
    named = dg.policy({**checks_only, "columns": {"score": "PD"}})
    with pytest.raises(dg.DriftgateError) as e:
        dg.evaluate(ref, cur, config=named)
    assert e.value.errc == "bad_data"
    assert 'no score column "PD" (--score, [columns] score) in the reference' in str(e.value)
    with pytest.raises(dg.DriftgateError):
        dg.evaluate(ref, cur, config=dg.policy(checks_only).with_columns(score="PD"))
    r = dg.evaluate(ref, cur, config=checks_only)
    assert [n for n in r.notes if n.startswith('no column "score" in the reference')]
    r = dg.evaluate(ref, cur, config=dg.policy(checks_only).with_columns(score="pd"))
    assert any(c.check == "csi" and c.column == "pd" for c in r.checks)


def test_nothing_to_judge_is_an_error_not_a_pass():
    ref = {"a": np.arange(10.0)}
    cur = {"b": np.arange(10.0)}
    with pytest.raises(dg.NothingToJudgeError) as e:
        dg.evaluate(ref, cur, config={"checks": {"performance": False, "proxies": False}})
    assert e.value.errc == "nothing_to_judge"


def test_check_fields():
    rng = np.random.default_rng(1)
    r = dg.evaluate({"x": rng.normal(size=300)}, {"x": rng.normal(1, size=300)},
                    config={"checks": {"performance": False, "proxies": False}})
    ks = next(c for c in r.checks if c.check == "ks")
    d = ks.to_dict()
    assert (d["section"], d["check"], d["column"], d["severity"]) == ("drift", "ks", "x", ks.severity)
    assert ks.severity == "critical" and r.gate_fails("critical") and r.status == "critical"
    assert json.loads(ks.to_json()) == d
