#!/usr/bin/env bash
# The main job on the example credit snapshots shipped in the repository: installs what is
# missing (Debian 12 / Ubuntu; as root or with sudo), builds driftgate and runs
#   driftgate check --config examples/credit/config.toml [extra options]
# Its exit code is driftgate's: 0 no breach, 2 critical breach (see README: exit codes).
# Usage: scripts/main-job.sh [driftgate check options, e.g. --current examples/credit/current_drifted.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
scripts/install-deps.sh >&2
if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi  # new build directories only
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$build" -j"$(nproc)" --target driftgate_cli >&2
exec "$build/cli/driftgate" check --config examples/credit/config.toml "$@"
