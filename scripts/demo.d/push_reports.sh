#!/usr/bin/env bash
# A year of reports for every demo unit (push_reports.py tells the story),
# then the report status of the last month.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
python3 "$DIR/push_reports.py"
XDG_CONFIG_HOME=$PLANWATCH_DEMO_OUT/sessions/office "$PLANWATCH_DEMO_BIN/planwatch" \
  report status --period 2018-12
