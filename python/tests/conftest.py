"""Shared fixtures: the CLI binary (DRIFTGATE_CLI, else build/cli/driftgate or build/release/cli/driftgate under the repository)
and the credit example's files. Tests that compare with the CLI need it: they fail without it."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CREDIT = ROOT / "examples" / "credit"


def find_cli():
    env = os.environ.get("DRIFTGATE_CLI")
    if env:
        return env
    for cand in (ROOT / "build" / "cli" / "driftgate", ROOT / "build" / "release" / "cli" / "driftgate"):
        if cand.exists():
            return str(cand)
    return shutil.which("driftgate")


@pytest.fixture(scope="session")
def cli():
    path = find_cli()
    if not path:
        pytest.fail("no driftgate CLI: set DRIFTGATE_CLI to the built binary (python/run_tests.sh does)")
    return path


def run_cli(cli, *args, check_codes=(0, 1, 2)):
    r = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    if r.returncode not in check_codes:
        raise AssertionError(f"driftgate {' '.join(map(str, args))}: exit {r.returncode}\n{r.stderr}")
    return r


@pytest.fixture(scope="session")
def credit():
    return CREDIT
