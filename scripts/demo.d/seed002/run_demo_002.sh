#!/usr/bin/env bash
# The second demo plan (seed 002, 2024 "八大行动", see README.md here) on a
# running server of its own: units and users with planwatch-admin, the plan
# (xiangxi2024) and the seed-000 score sheets with planwatch, a quarter of
# reports of every unit that has something to report (some of them
# narrative-only), then `plan check`, the dispatch summary of March and the
# rankings of 2024-Q1.
#
# Environment:
#   PLANWATCH_SERVER            server URL; the server runs with
#                               --clock-file $PLANWATCH_DEMO_OUT/clock
#   PLANWATCH_DEMO_OUT          output directory (required): clock, sessions/, gen/
#   PLANWATCH_DEMO_BIN          directory of planwatch / planwatch-admin (else $PATH)
#   PLANWATCH_ADMIN_USER / PLANWATCH_ADMIN_PASSWORD     (admin / admin-demo-1)
#   PLANWATCH_DEMO_MONTHS       months to push (default "01 02 03")
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
OUT=${PLANWATCH_DEMO_OUT:?set PLANWATCH_DEMO_OUT to the demo output directory}
BIN=${PLANWATCH_DEMO_BIN:-}
PW=${BIN:+$BIN/}planwatch
PWADMIN=${BIN:+$BIN/}planwatch-admin
ADMIN_USER=${PLANWATCH_ADMIN_USER:-admin}
ADMIN_PASSWORD=${PLANWATCH_ADMIN_PASSWORD:-admin-demo-1}
MONTHS=${PLANWATCH_DEMO_MONTHS:-01 02 03}
CLOCK=$OUT/clock
GEN=$OUT/gen
unset PLANWATCH_USER PLANWATCH_PASSWORD
rm -rf "$GEN" "$OUT/sessions"; mkdir -p "$GEN" "$OUT/sessions"
set_clock() { echo "$1" >"$CLOCK.tmp" && mv "$CLOCK.tmp" "$CLOCK"; }
admin() { PLANWATCH_PASSWORD=$ADMIN_PASSWORD "$PWADMIN" --user "$ADMIN_USER" "$@"; }
as() { local who=$1; shift; XDG_CONFIG_HOME=$OUT/sessions/$who "$PW" "$@"; }

set_clock 2024-01-02T09:00:00+08:00
UNITS=()
while IFS=, read -r id name category; do
  admin unit add "$id" --name "$name" --category "$category" >/dev/null
  UNITS+=("$id")
done < <(tail -n +2 "$DIR/units.csv" | tr -d '\r')
PLANWATCH_NEW_PASSWORD=office-demo-1 admin user add office --role office >/dev/null
for u in "${UNITS[@]}"; do
  PLANWATCH_NEW_PASSWORD="$u-demo-1" admin user add "$u" --role reporter --unit "$u" >/dev/null
done
echo "units and reporters: ${#UNITS[@]}"
XDG_CONFIG_HOME=$OUT/sessions/office PLANWATCH_PASSWORD=office-demo-1 "$PW" login --user office >/dev/null
as office plan import --plan xiangxi2024 --name "2024年湘西自治州落实“八大行动”总体方案" \
  --indicators "$DIR/indicators.csv" --targets "$DIR/targets.csv"
as office sheet import "$DIR/../sheet-county.csv" --category county
as office sheet import "$DIR/../sheet-department.csv" --category department
for u in "${UNITS[@]}"; do
  XDG_CONFIG_HOME=$OUT/sessions/$u PLANWATCH_PASSWORD="$u-demo-1" "$PW" login --user "$u" >/dev/null
done

n_values=0 n_narrative=0 n_nothing=0
for m in $MONTHS; do
  next=$((10#$m + 1))
  set_clock "$(printf '2024-%02d-03T10:00:00+08:00' "$next")"
  for u in "${UNITS[@]}"; do
    t=$GEN/$u-$m.tpl.csv r=$GEN/$u-$m.csv
    as "$u" report template --period "2024-$m" --out "$t" 2>/dev/null
    if [ "$(wc -l <"$t")" -le 1 ]; then n_nothing=$((n_nothing + 1)); continue; fi
    mode=$(python3 "$DIR/fill_002.py" "$t" "$DIR/indicators.csv" "$u" "$((10#$m))" "$r")
    if [ "$mode" = narrative ]; then n_narrative=$((n_narrative + 1)); else n_values=$((n_values + 1)); fi
    as "$u" report submit --period "2024-$m" "$r" --progress "2024年${m}月：按专班部署推进" \
      --id "demo002-$u-$m" >/dev/null
  done
done
echo "reports: $n_values with values, $n_narrative narrative-only; $n_nothing unit-months with nothing to report"
last=$(echo "$MONTHS" | awk '{print $NF}')
set_clock "$(printf '2024-%02d-06T10:00:00+08:00' $((10#$last + 1)))"
echo "== plan check"
as office plan check
echo "== dispatch summary 2024-$last"
as office dispatch --period "2024-$last"
as office dispatch --period "2024-$last" --html "$OUT/dispatch-2024-$last.html"
as office dispatch --period "2024-$last" --json >"$OUT/dispatch-2024-$last.json"
q=$(( (10#$last + 2) / 3 ))
echo "== rankings 2024-Q$q"
as office scores --period "2024-Q$q"
as office scores --period "2024-Q$q" --json >"$OUT/scores-2024-Q$q.json"
