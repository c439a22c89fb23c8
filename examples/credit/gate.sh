#!/usr/bin/env bash
# A CI gate on model drift: run driftgate on the latest snapshot and let its exit code decide.
#   0  no breach at the --fail-on level: the pipeline goes on
#   1  warning breach (only with --fail-on warning)
#   2  critical breach: the pipeline stops (retrain or roll back)
#   64-74  the gate could not judge (usage, bad data, missing file, unwritable output): stop too
# Usage: examples/credit/gate.sh [CURRENT.csv]   (default: the stable snapshot)
# DRIFTGATE=path/to/driftgate overrides the binary (default: build/release/cli/driftgate).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
driftgate=${DRIFTGATE:-$here/../../build/release/cli/driftgate}
current=${1:-$here/current_stable.csv}

"$driftgate" check --config "$here/config.toml" --current "$current" \
    --format json --output "${REPORT:-/tmp/driftgate-report.json}" --fail-on critical
rc=$?
case $rc in
    0) echo "gate: pass (report: ${REPORT:-/tmp/driftgate-report.json})" ;;
    1) echo "gate: warnings (report: ${REPORT:-/tmp/driftgate-report.json})" ;;
    2) echo "gate: FAIL - critical drift or degradation (report: ${REPORT:-/tmp/driftgate-report.json})" ;;
    *) echo "gate: FAIL - driftgate could not judge this snapshot (exit $rc)" ;;
esac
exit $rc
