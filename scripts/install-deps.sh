#!/usr/bin/env bash
# Installs the Debian 12 / Ubuntu packages driftgate builds and tests with (as root, or via sudo).
set -euo pipefail
packages=(
    g++ cmake make
    ninja-build            # the build tool the scripts use when present
    libboost-dev           # Boost.Math (header-only)
    libeigen3-dev          # Eigen (the PCA of --multivariate, the example model)
    libcli11-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev   # the CLI
    libsimdjson-dev              # the CLI's JSON-lines reader (prediction logs)
    zlib1g-dev libzstd-dev pkg-config                                # gzip and zstd inputs (CSV and logs)
    gzip zstd                                                        # the compressed test fixtures' script
    catch2 libbenchmark-dev                                          # tests and benchmarks
    # The consumers the report formats are tested against (tests/e2e/test_formats.cpp; a test
    # whose tool is missing is reported as skipped): promtool, xmllint, headless Chromium with a
    # font, Python for its screenshot and network-log checks.
    prometheus libxml2-utils chromium fonts-dejavu-core python3
)
# The fuzz targets (scripts/fuzz.sh, and the corpus replay in CI) need clang and its runtimes.
if [ "${DRIFTGATE_FUZZ_DEPS:-0}" = 1 ]; then packages+=(clang-14 libclang-rt-14-dev); fi
# The Python package and its tests (python/run_tests.sh): pybind11, a venv with pip, and what the
# tests compare with (numpy, scipy, scikit-learn, pandas) and run on (dask.distributed); statsmodels
# for benchmarks/alarms.py and the golden scripts that import it (tests/golden/*/gen_*.py).
if [ "${DRIFTGATE_PYTHON_DEPS:-0}" = 1 ]; then
    packages+=(pybind11-dev python3-pybind11 python3-dev python3-venv python3-pip python3-setuptools python3-pytest
               python3-numpy python3-scipy python3-sklearn python3-pandas python3-dask python3-distributed
               python3-statsmodels)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "all build dependencies are installed"
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# One `apt-get update` per machine session (CI calls this script up to three times).
stamp=/tmp/.driftgate-apt-updated
if [ ! -e "$stamp" ]; then
    $sudo apt-get update -qq
    touch "$stamp" 2>/dev/null || true
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
