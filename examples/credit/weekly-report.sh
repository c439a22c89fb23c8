#!/usr/bin/env bash
# The weekly drift report as a cron job runs it: one driftgate run writes the HTML report for
# people, the Prometheus metrics for node_exporter's textfile collector (alerting rules:
# examples/prometheus/driftgate-alerts.yml) and the JSON record, and the job exits with
# driftgate's code so that cron's mail, systemd or a scheduler sees a failure.
#
#   crontab:  0 6 * * 1  /opt/driftgate/examples/credit/weekly-report.sh /srv/snapshots/current.csv
#
# Every file is written by driftgate itself (never through a shell redirection): each is written
# to a temporary file in its directory and renamed into place, so the collector and anyone
# opening the report see last week's file or this week's, never a half-written one, and a run
# that fails (exit 64-74) leaves last week's files as they were. The collector reads *.prom only;
# the temporary files end in .tmp.
#
# Exit codes: driftgate's, passed through (README: exit codes): 0 no critical breach, 2 critical
# breach (--fail-on critical), 64-71 the run could not judge the snapshot, 74 driftgate could not
# write a report (or an input changed while it was read). Before the run the script checks its
# output directories and exits on its own, without running driftgate:
#   73  REPORT_DIR could not be created (it is created when missing) or is not writable;
#   74  TEXTFILE_DIR does not exist or is not writable. It belongs to node_exporter's textfile
#       collector (--collector.textfile.directory) and is not created here: a directory nothing
#       reads would hide the metrics. The code is the one driftgate gives for an unwritable
#       report; the message names the variable and the directory.
#
# Environment: DRIFTGATE (the binary; default build/release/cli/driftgate), REPORT_DIR (default
# /var/lib/driftgate), TEXTFILE_DIR (default /var/lib/node_exporter/textfile), CONFIG (default
# config.toml beside this script).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
driftgate=${DRIFTGATE:-$here/../../build/release/cli/driftgate}
config=${CONFIG:-$here/config.toml}
current=${1:-$here/current_stable.csv}
reports=${REPORT_DIR:-/var/lib/driftgate}
textfile=${TEXTFILE_DIR:-/var/lib/node_exporter/textfile}
week=$(date -u +%G-W%V)

if [ ! -d "$textfile" ] || [ ! -w "$textfile" ]; then
    echo "driftgate weekly: TEXTFILE_DIR $textfile does not exist or is not writable: create it, or point" \
         "TEXTFILE_DIR at node_exporter's --collector.textfile.directory; nothing was run or written" >&2
    exit 74
fi
if ! mkdir -p "$reports" || [ ! -w "$reports" ]; then
    echo "driftgate weekly: REPORT_DIR $reports could not be created or is not writable; nothing was run or written" >&2
    exit 73
fi

"$driftgate" check --config "$config" --current "$current" --fail-on critical --quiet \
    --report html="$reports/drift-$week.html" \
    --report json="$reports/drift-$week.json" \
    --report prometheus="$textfile/driftgate.prom"
rc=$?
case $rc in
    0) echo "driftgate weekly: no breach ($reports/drift-$week.html)" ;;
    1) echo "driftgate weekly: warnings ($reports/drift-$week.html)" ;;
    2) echo "driftgate weekly: CRITICAL drift or degradation ($reports/drift-$week.html)" >&2 ;;
    74) echo "driftgate weekly: a report could not be written, or an input changed while it was read (exit 74;" \
             "driftgate's message above names the file); last week's files are unchanged" >&2 ;;
    *) echo "driftgate weekly: the run could not judge $current (exit $rc); last week's files are unchanged" >&2 ;;
esac
exit $rc
