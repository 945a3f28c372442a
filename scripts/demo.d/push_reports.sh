#!/usr/bin/env bash
# A year (2018) of the demo plan through the real CLIs, moving the server's
# clock file month by month: every unit's reporter logs in once (its own
# XDG_CONFIG_HOME, so the cached sessions do not overwrite each other), gets
# its report template, gen_reports.py turns the templates into a year of
# report CSVs and a time-ordered schedule (reports on time and late, missing
# months, half-year reports, supervision items, returned and amended reports,
# the office's findings), and this script replays the schedule.  Ends by
# printing `report status` of 2018-12.
#
# Environment:
#   PLANWATCH_SERVER        server URL; the server runs with
#                           --clock-file $PLANWATCH_DEMO_OUT/clock
#   PLANWATCH_DEMO_OUT      output directory (required): clock, sessions/,
#                           gen/ (templates, CSVs, schedule.tsv, facts.json),
#                           push.log (every command's output)
#   PLANWATCH_DEMO_BIN      directory of planwatch (else $PATH)
#   PLANWATCH_DEMO_UNITS    unit ids to push (comma or space separated);
#                           default: every unit of units.csv
#   PLANWATCH_OFFICE_USER / PLANWATCH_OFFICE_PASSWORD   (office / office-demo-1)
# Reporters are the unit ids with password "<unit>-demo-1" (load_plan.sh).
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
OUT=${PLANWATCH_DEMO_OUT:?set PLANWATCH_DEMO_OUT to the demo output directory}
BIN=${PLANWATCH_DEMO_BIN:-}
PW=${BIN:+$BIN/}planwatch
OFFICE_USER=${PLANWATCH_OFFICE_USER:-office}
OFFICE_PASSWORD=${PLANWATCH_OFFICE_PASSWORD:-office-demo-1}
CLOCK=$OUT/clock
GEN=$OUT/gen
LOG=$OUT/push.log
UNITS=${PLANWATCH_DEMO_UNITS:-$(tail -n +2 "$DIR/units.csv" | tr -d '\r' | cut -d, -f1 | tr '\n' ' ')}
UNITS=${UNITS//,/ }
unset PLANWATCH_USER PLANWATCH_PASSWORD
rm -rf "$GEN" "$OUT/sessions"
mkdir -p "$GEN/templates" "$OUT/sessions"
: >"$LOG"

set_clock() { echo "$1" >"$CLOCK.tmp" && mv "$CLOCK.tmp" "$CLOCK"; }
# as ACTOR planwatch-args... : with ACTOR's cached session (office or a unit)
as() {
  local who=$1; shift
  XDG_CONFIG_HOME=$OUT/sessions/$who "$PW" "$@"
}
# run ACTOR args... : as, output to the log; on failure show it and stop
run() {
  local out rc=0
  out=$(as "$@" 2>&1) || rc=$?
  printf '$ [%s] %s\n%s\n' "$(cat "$CLOCK")" "$*" "$out" >>"$LOG"
  if [ "$rc" -ne 0 ]; then
    echo "push_reports: failed ($rc) at $(cat "$CLOCK"): $*" >&2
    echo "$out" >&2
    exit 1
  fi
  RUN_OUT=$out
}

# log in at the end of January 2018: the demo server's sessions last a year
# (--session-ttl-s 31536000), long enough for the last actions in January 2019
set_clock 2018-01-31T18:00:00+08:00
n=$(wc -w <<<"$UNITS")
echo "logging in the office and $n reporters (one session each)"
XDG_CONFIG_HOME=$OUT/sessions/office PLANWATCH_PASSWORD=$OFFICE_PASSWORD \
  "$PW" login --user "$OFFICE_USER" >>"$LOG"
for u in $UNITS; do
  XDG_CONFIG_HOME=$OUT/sessions/$u PLANWATCH_PASSWORD="$u-demo-1" "$PW" login --user "$u" >>"$LOG"
  as "$u" report template --period 2018-01 --out "$GEN/templates/$u.csv" 2>>"$LOG"
done

python3 "$DIR/gen_reports.py" --templates "$GEN/templates" --indicators "$DIR/indicators.csv" \
  --out "$GEN" --units "$UNITS"

# replay the schedule: TIME ACTOR LABEL ARGS... (tab separated, `-` = empty)
declare -A ITEM
now=
while IFS= read -r line; do
  IFS=$'\t' read -r -a f <<<"$line"
  time=${f[0]} actor=${f[1]} label=${f[2]}
  args=()
  for x in "${f[@]:3}"; do
    case $x in
      -) args+=("") ;;
      @*) args+=("${ITEM[${x#@}]:?unknown item label $x}") ;;
      *) args+=("$x") ;;
    esac
  done
  if [ "$time" != "$now" ]; then set_clock "$time"; now=$time; fi
  if [ "$actor" = say ]; then
    echo "${args[*]}"
    continue
  fi
  run "$actor" "${args[@]}"
  if [ "$label" != - ]; then # "supervision item N opened: ..."
    id=${RUN_OUT#supervision item }
    ITEM[$label]=${id%% *}
  fi
done <"$GEN/schedule.tsv"
echo "every command and its output: $LOG"

echo
echo "== report status --period 2018-12 (at $(cat "$CLOCK"))"
as office report status --period 2018-12
