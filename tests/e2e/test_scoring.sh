#!/usr/bin/env bash
# The scoring engine's hand-computed "mini plan" (tests/unit/test_score.c),
# reproduced end to end: plan, sheets, a half-year of reports pushed by the
# reporters at the right (clock-file) moments, the office's findings, then
# `planwatch scores --period 2018-Q2 --json` must give the same numbers:
# counties alpha 100, charlie 90, bravo 46, echo 38 (nothing to be judged
# on: the county mean of work performance, (80 + 40 + 72 + 0) / 4 = 48),
# delta 0; departments dept_fin 100, dept_hou 54.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-01-02T09:00:00+08:00

score_units
for u in alpha bravo charlie delta echo dept_fin dept_hou; do
  echo "pw-${u}-1" | pwadmin user add "r_$u" --role reporter --unit $u --password-file - >/dev/null
done
mini_plan_sheets

# submit UNIT PERIOD "I01=v I02=v ..." : a report CSV in the template's format
submit() {
  local unit=$1 period=$2 values=$3 f=$E2E_DIR/r.csv
  echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$f"
  for kv in $values; do echo "${kv%%=*},,,,${kv#*=}," >> "$f"; done
  expect 0 as "r_$unit" "pw-${unit}-1" report submit --period "$period" "$f" --progress "按计划推进"
}
halfyear() {
  echo "# $1 半年督查报告" > "$E2E_DIR/h.md"
  expect 0 as "r_$1" "pw-${1}-1" halfyear submit --period 2018-H1 "$E2E_DIR/h.md"
}

# monthly reports, in time order; on time = by the 5th of the next month
for m in 01 02 03 04 05; do
  n=$((10#$m + 1)); next=$(printf '2018-%02d-03T10:00:00+08:00' $n)
  set_clock "$next"
  submit alpha 2018-$m "I01=$((10#$m * 10)) I02=$((10#$m * 8))"
  submit dept_fin 2018-$m "I09=$((10#$m * 10))"
  [ "$m" != 03 ] && [ "$m" != 01 ] && submit charlie 2018-$m "I01=$((10#$m * 8)) I02=$((10#$m * 10))"
  [ "$m" = 01 ] || [ "$m" = 03 ] && submit bravo 2018-$m "I01=$((10#$m * 5)) I02=$((10#$m * 8)) I03=0"
  [ "$m" != 05 ] && submit dept_hou 2018-$m "I09=$((10#$m * 5))"
  if [ "$m" = 02 ]; then   # bravo's February: 2 days 10 hours late -> 3 days
    set_clock 2018-03-08T10:00:00+08:00
    submit bravo 2018-02 "I01=10 I02=16 I03=0"
  fi
  if [ "$m" = 05 ]; then   # bravo's May on time; dept_hou's May 1 day late
    submit bravo 2018-05 "I01=30 I02=45 I03=0"
    set_clock 2018-06-06T10:00:00+08:00
    submit dept_hou 2018-05 "I09=25"
  fi
done
# charlie's May carries its progress as of June: I01 40, I02 50; dept_fin 50
set_clock 2018-06-20T10:00:00+08:00
halfyear alpha; halfyear charlie   # echo has no indicators: nothing expected
set_clock 2018-07-01T10:00:00+08:00
submit alpha 2018-06 "I01=60 I02=50"          # early: not counted, but its values are
set_clock 2018-07-02T10:00:00+08:00
halfyear bravo                                 # 1 day 10 hours late: counts as missing

# findings (the order matters for "the latest finding")
f() { expect 0 office finding add --year 2018 "$@"; }
f --unit alpha --item 7 --amount 2500 --note "central budget"
f --unit alpha --item 7 --amount 4000 --note "provincial fund"
f --unit alpha --bonus 1 --note "pilot county"
f --unit bravo --item 5 --points 4 --note "two meetings"
f --unit bravo --item 4 --count 1 --note "absent from the May meeting"
f --unit bravo --item 4 --count 2 --note "plan without projects; late summary"
f --unit bravo --item 6 --points 0 --note "no kick-off conference"
f --unit bravo --item 7 --amount 999 --note "small grant"
f --unit bravo --penalty 2 --note "late rectification"
f --unit bravo --item 5 --points 3.5 --note "re-inspection"
f --unit charlie --item 5 --points 4.5 --note "meetings"
f --unit charlie --item 6 --points 2 --note "conference held"
f --unit charlie --item 7 --amount 1000 --note "grant"
f --unit charlie --bonus 2.5 --note "national award"
f --unit delta --item 4 --count 5 --note "absences"
f --unit delta --item 5 --points 0 --note "no meeting"
f --unit delta --item 6 --points 0 --note "no conference"
f --unit delta --falsification --note "invented March figures"
f --unit echo --falsification --count 2 --note "forged ledgers"
f --unit echo --penalty 6 --note "serious delay"

set_clock 2018-07-03T10:00:00+08:00
expect 0 office scores --period 2018-Q2 --json
SCORES=$OUT
check_score() { # unit score rank grade flag
  local got
  got=$(python3 -c '
import json,sys
d=json.loads(sys.argv[1]); u=[r for r in d["rankings"] if r["unit"]==sys.argv[2]][0]
print("%.2f %d %s %s" % (u["score"], u["rank"], u["grade"], u["flag"]))' "$SCORES" "$1")
  if [ "$got" = "$2 $3 $4 $5" ]; then pass; else fail "$1: got '$got', expected '$2 $3 $4 $5'"; fi
}
check_score alpha 100.00 1 excellent commend
check_score charlie 90.00 2 excellent commend
check_score bravo 46.00 3 unqualified criticise
check_score echo 38.00 4 unqualified criticise
check_score delta 0.00 5 unqualified criticise
check_score dept_fin 100.00 1 excellent criticise
check_score dept_hou 54.00 2 unqualified criticise

expect 0 office scores --period 2018-Q2 --explain bravo
contains "late" "$OUT"
expect 0 office scores --period 2018-Q2 --explain echo
contains "nothing to be judged on in 2018: the mean of the 4 county units that have something, 48.00" "$OUT"
expect 0 office plan check --json
contains '"units_without_indicators"' "$OUT"
contains '"echo"' "$(python3 -c 'import json,sys; print(json.dumps([u["id"] for u in json.loads(sys.argv[1])["units_without_indicators"]]))' "$OUT")"
expect 0 office scores --period 2018-Q2 --xlsx "$E2E_DIR/q2.xlsx"
[ "$(head -c 2 "$E2E_DIR/q2.xlsx")" = PK ] && pass || fail "xlsx is a zip"

# the dispatch summary of May through the real server: timeliness, lights, red items
expect 0 office dispatch --period 2018-05 --json
st=$(python3 -c '
import json,sys
d=json.loads(sys.argv[1])
print(" ".join(u["unit"]+"="+u["status"] for u in d["units"]))' "$OUT")
contains "alpha=on_time" "$st"
contains "dept_hou=late" "$st"
contains "delta=missing" "$st"
contains "echo=not_expected" "$st"
expect 0 office dispatch --period 2018-05 --html "$E2E_DIR/d.html"
grep -q "县bravo" "$E2E_DIR/d.html" && pass || fail "unit names in the HTML"
# viewers and reporters see it only once published
expect 1 as r_alpha pw-alpha-1 dispatch --period 2018-05
contains "(NOT_FOUND)" "$ERR"
expect 0 office publish dispatch --period 2018-05
expect 0 as r_alpha pw-alpha-1 dispatch --period 2018-05 --json
e2e_finish
