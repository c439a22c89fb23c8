#!/usr/bin/env bash
# Daily service check of the scoring API, for cron: judge one day's prediction logs with
# `driftgate service`, keep the JSON report, and exit with driftgate's code so that the
# scheduler (or whatever wraps it) can alert.
#
#   daily_service_check.sh LOG_DIR REPORT_DIR
#
# Environment: DAY (YYYY-MM-DD, default: yesterday, UTC), DRIFTGATE (the executable, default
# `driftgate` on the PATH), CONFIG (a driftgate configuration, default service.toml next to this
# script). Logs are LOG_DIR/predictions-DAY*.jsonl[.gz] (several files per day are fine: one per
# API instance or per hour); the pattern is expanded by driftgate, which fails (exit 66) when no
# file matches rather than judging nothing.
#
# A crontab line (15 minutes past midnight UTC, after the last log of the day is rotated):
#   15 0 * * *  /opt/driftgate/examples/service/daily_service_check.sh /var/log/scoring /var/lib/driftgate 2>>/var/log/driftgate.err
#
# Exit codes: 0 healthy (info at most), 1 a warning, 2 a critical breach, 64-74 the check could
# not run (bad configuration, unreadable or malformed log, ...): treat those as failures too.
# Try it on the example log:
#   DAY=2025-12-26 DRIFTGATE=build/release/cli/driftgate examples/service/daily_service_check.sh examples/service /tmp/reports
set -u
here=$(cd "$(dirname "$0")" && pwd)
logs=${1:?usage: daily_service_check.sh LOG_DIR REPORT_DIR}
reports=${2:?usage: daily_service_check.sh LOG_DIR REPORT_DIR}
day=${DAY:-$(date -u -d yesterday +%F)}
driftgate=${DRIFTGATE:-driftgate}
config=${CONFIG:-$here/service.toml}

mkdir -p "$reports" || exit 73
report="$reports/service-$day.json"
"$driftgate" service "$logs/predictions-$day*.jsonl*" --by model_version --config "$config" \
    --format json --output "$report" --fail-on warning
rc=$?
case $rc in
    0) echo "service $day: healthy ($report)" ;;
    1) echo "service $day: WARNING ($report)" >&2 ;;
    2) echo "service $day: CRITICAL ($report)" >&2 ;;
    *) echo "service $day: could not be judged (driftgate exit $rc)" >&2 ;;
esac
exit $rc
