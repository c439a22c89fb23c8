#!/usr/bin/env bash
# Builds the driftgate CLI, installs the Python package offline into a temporary venv (Debian's
# python3 with --system-site-packages: numpy, scipy, scikit-learn, pandas, dask, pybind11 and
# setuptools come from Debian; nothing is downloaded) and runs the pytest suite, the LocalCluster
# test included.
#
#   python/run_tests.sh [BUILD_DIR]     (default build/python-ci)
#
# DRIFTGATE_CLI=path reuses a built CLI instead of building one in BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build/python-ci}
py=/usr/bin/python3
start=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - start )) s)"; }

if [[ -z "${DRIFTGATE_CLI:-}" ]]; then
    step "CLI (the tests compare with it)"
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DDRIFTGATE_WARNINGS_AS_ERRORS=ON -DDRIFTGATE_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" --target driftgate_cli -j"$(nproc)"
    export DRIFTGATE_CLI=$root/$build/cli/driftgate
fi

venv=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$venv" "$work"' EXIT
step "pip install --no-build-isolation --no-index python/ into a venv"
"$py" -m venv --system-site-packages "$venv"
# A copy of the sources: the in-tree build leaves build/ and *.egg-info in python/ otherwise.
mkdir -p "$work/src"
cp -r include cli python "$work/src/"
rm -rf "$work/src/python/build" "$work/src/python/"*.egg-info
DRIFTGATE_BUILD_JOBS=$(nproc) "$venv/bin/pip" install --quiet --no-build-isolation --no-index "$work/src/python"

step "pytest"
# From a directory where `import driftgate` can only find the installed package.
cd "$work"
"$venv/bin/python" -c 'import driftgate, sys; print("driftgate", driftgate.__version__, "from", driftgate.__file__)'
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/python/tests"
step "done"
