#!/usr/bin/env bash
# Installs what is missing (Debian 12 / Ubuntu; as root or with sudo), builds with warnings as
# errors and runs the whole test suite.   Usage: scripts/test.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
scripts/install-deps.sh
if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi  # new build directories only
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DDRIFTGATE_WARNINGS_AS_ERRORS=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
