#!/usr/bin/env bash
# The office's year-end outputs of the demo, after push_reports.sh: publishes
# the dispatch summary of 2018-12 and the 2018 scores to viewers and
# reporters, prints the summary and the rankings of both categories, and
# writes them as files (dispatch: HTML, CSV and XLSX; scores: HTML, XLSX and JSON).
#
# Environment:
#   PLANWATCH_SERVER        server URL
#   PLANWATCH_DEMO_OUT      output directory (required); the office's session
#                           is $PLANWATCH_DEMO_OUT/sessions/office (push_reports.sh
#                           logs it in; logged in here when missing)
#   PLANWATCH_DEMO_BIN      directory of planwatch (else $PATH)
#   PLANWATCH_OFFICE_USER / PLANWATCH_OFFICE_PASSWORD   (office / office-demo-1)
set -euo pipefail
OUT=${PLANWATCH_DEMO_OUT:?set PLANWATCH_DEMO_OUT to the demo output directory}
BIN=${PLANWATCH_DEMO_BIN:-}
PW=${BIN:+$BIN/}planwatch
unset PLANWATCH_USER PLANWATCH_PASSWORD
export XDG_CONFIG_HOME=$OUT/sessions/office
if ! "$PW" whoami >/dev/null 2>&1; then
  PLANWATCH_PASSWORD=${PLANWATCH_OFFICE_PASSWORD:-office-demo-1} \
    "$PW" login --user "${PLANWATCH_OFFICE_USER:-office}" >/dev/null
fi

"$PW" publish dispatch --period 2018-12
"$PW" publish scores --period 2018
echo
echo "== dispatch --period 2018-12"
"$PW" dispatch --period 2018-12
echo
echo "== scores --period 2018 --category county"
"$PW" scores --period 2018 --category county
echo
echo "== scores --period 2018 --category department"
"$PW" scores --period 2018 --category department
echo

# write FILE planwatch-args... : the CLI's own "wrote FILE" note is left out
write() {
  local err rc=0
  err=$("$PW" "${@:2}" 2>&1 >"$1") || rc=$?
  if [ "$rc" -ne 0 ]; then echo "$err" >&2; exit "$rc"; fi
}
write /dev/null dispatch --period 2018-12 --html "$OUT/dispatch-2018-12.html"
write /dev/null dispatch --period 2018-12 --csv "$OUT/dispatch-2018-12.csv"
write /dev/null dispatch --period 2018-12 --xlsx "$OUT/dispatch-2018-12.xlsx"
write /dev/null scores --period 2018 --html "$OUT/scores-2018.html"
write /dev/null scores --period 2018 --xlsx "$OUT/scores-2018.xlsx"
write "$OUT/scores-2018.json" scores --period 2018 --json
echo "== written"
for f in dispatch-2018-12.html dispatch-2018-12.csv dispatch-2018-12.xlsx scores-2018.html scores-2018.xlsx scores-2018.json; do
  printf '%s (%s bytes)\n' "$OUT/$f" "$(stat -c %s "$OUT/$f")"
done
