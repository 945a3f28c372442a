#!/usr/bin/env bash
# Monthly reporting through the real CLIs, driven through a year with
# --clock-file: on time, late (days across a month end and a year end),
# missing; idempotent submission ids; amendments and history; review;
# locks; permissions; every validation error stores nothing.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-01-02T09:00:00+08:00
rep_accounts
echo reporter22 | pwadmin user add wang --role reporter --unit luxi --password-file - >/dev/null
echo reporter33 | pwadmin user add zhao --role reporter --unit zhujian --password-file - >/dev/null
wang() { as wang reporter22 "$@"; }
zhao() { as zhao reporter33 "$@"; }
rep_plan
reports() { sqlite3 "$DB" "select count(*) from reports"; }

# the template: BOM, the unit's indicators with targets
expect 0 li report template --period 2018-01 --out "$E2E_DIR/t.csv"
head -c 3 "$E2E_DIR/t.csv" | od -An -tx1 | grep -q "ef bb bf" && pass || fail "template BOM"
tpl=$(cat "$E2E_DIR/t.csv")
contains "C1,棚户区改造,套,100,," "$tpl"
contains "指标编号,指标名称,计量单位,目标,本月值,说明" "$tpl"
contains "M1,户籍制度改革 (未启动/推进中/已完成),none,1,," "$tpl"
not_contains "D1" "$tpl"
csv() { # csv FILE "ID=VALUE[:NOTE]"...
  local f=$1; shift
  echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$f"
  for kv in "$@"; do local v=${kv#*=}; echo "${kv%%=*},,,,${v%%:*},$( [[ $v == *:* ]] && echo "${v#*:}")" >> "$f"; done
}

# submit_at FILE CLOCK WHO PERIOD TEXT KEY=VALUE...: FILE made of the values,
# submitted by WHO for PERIOD at CLOCK; the receipt says TEXT
submit_at() {
  local f=$1 at=$2 who=$3 period=$4 text=$5; shift 5
  csv "$f" "$@"
  set_clock "$at"
  expect 0 "$who" report submit --period "$period" "$f"
  contains "$text" "$OUT"
}

# January: jishou on time; the same id twice stores one report
csv "$E2E_DIR/r.csv" C1=10 L1=55 M1=not_started
set_clock 2018-02-05T23:59:59+08:00
expect 0 li report submit --period 2018-01 "$E2E_DIR/r.csv" --id jan-1 --progress "开工" --problems "征地慢"
contains "on time" "$OUT"
expect 0 li report submit --period 2018-01 "$E2E_DIR/r.csv" --id jan-1
contains "already received" "$OUT"
[ "$(reports)/$(versions)" = 1/1 ] && pass || fail "duplicate id stored twice"

# 1 second late = 1 day; luxi's January
submit_at "$E2E_DIR/w.csv" 2018-02-06T00:00:00+08:00 wang 2018-01 "late: 1 day after" C1=5

# across a month end: due 2018-02-05T23:59:59, received 2018-03-01T00:00:00 -> 24 days
submit_at "$E2E_DIR/z.csv" 2018-03-01T00:00:00+08:00 zhao 2018-01 \
  "late: 24 days after the deadline 2018-02-05T23:59:59+08:00" D1=2

# reporters may not read or write another unit's report
expect 1 wang report show --period 2018-01 --unit jishou
contains "(PERMISSION_DENIED)" "$ERR"
before=$(versions)
expect 1 wang report submit --period 2018-01 --unit jishou "$E2E_DIR/w.csv"
contains "(PERMISSION_DENIED)" "$ERR"
expect 1 wang report history --period 2018-01 --unit jishou
contains "(PERMISSION_DENIED)" "$ERR"
[ "$(versions)" = "$before" ] && pass || fail "a refused submission stored something"
expect 0 wang report show --period 2018-01 --json
contains '"unit": "luxi"' "$OUT"

# validation: each error names the indicator and stores nothing
before=$(versions)
bad() { csv "$E2E_DIR/b.csv" "$@"; expect 1 li report submit --period 2018-02 "$E2E_DIR/b.csv"; }
set_clock 2018-03-01T10:00:00+08:00
bad C1=abc;           contains "C1: 'abc' is not a finite number" "$ERR"
bad C1=inf;           contains "C1: 'inf' is not a finite number" "$ERR"
bad L1=120;           contains "L1: 120 % is outside 0-100" "$ERR"
bad XX=1;             contains "XX: unknown indicator" "$ERR"
bad D1=3;             contains "D1: indicator not assigned to unit jishou" "$ERR"
bad M1=halfway;       contains "M1: 'halfway' is not one of" "$ERR"
bad C1=5;             contains "C1: cumulative value 5 is below the earlier month's 10" "$ERR"
bad C1=1 C1=2;        contains "C1: given more than once" "$ERR"
csv "$E2E_DIR/b.csv" C1=20
expect 1 li report submit --period 2018-04 "$E2E_DIR/b.csv"
contains "period 2018-04 is in the future" "$ERR"
expect 1 li report submit --period 2025-01 "$E2E_DIR/b.csv"
contains "outside plan p" "$ERR"
big=$(head -c 70000 /dev/zero | tr '\0' 'x')
expect 1 li report submit --period 2018-02 "$E2E_DIR/b.csv" --progress "$big"
contains "progress: 70000 bytes" "$ERR"
[ "$(versions)" = "$before" ] && pass || fail "a rejected report stored something"
# a decrease explained in the note is a warning
csv "$E2E_DIR/r.csv" "C1=8:复核后更正" L1=56 M1=in_progress
expect 0 li report submit --period 2018-02 "$E2E_DIR/r.csv"
contains "warning: C1: cumulative value 8 (line 2) is below the earlier 10 (explained: 复核后更正)" "$OUT"

# amendment keeps both versions; history shows who changed what
csv "$E2E_DIR/r.csv" C1=12 L1=56 M1=in_progress
expect 0 li report submit --period 2018-02 "$E2E_DIR/r.csv"
contains "version 2" "$OUT"
expect 0 office report history --period 2018-02 --unit jishou --json
contains '"C1: 8 -> 12"' "$OUT"
contains '"user": "li"' "$OUT"

# review: returned with a reason, visible to the reporter, amendment goes back
expect 2 office report return --period 2018-02 --unit jishou
expect 0 office report return --period 2018-02 --unit jishou --reason "C1 与台账不符"
expect 0 li report show --period 2018-02
contains "returned by the office: C1 与台账不符" "$OUT"
expect 0 li report status --period 2018-02 --json
contains '"review_state": "returned"' "$OUT"
csv "$E2E_DIR/r.csv" C1=13 L1=56 M1=in_progress
expect 0 li report submit --period 2018-02 "$E2E_DIR/r.csv"
contains "on time" "$OUT"     # the first submission decides timeliness
expect 0 office report show --period 2018-02 --unit jishou --json
contains '"state": "submitted"' "$OUT"
expect 0 office report accept --period 2018-02 --unit jishou

# locks: all units, then one unit reopened
expect 0 office period lock 2018-02
expect 1 li report submit --period 2018-02 "$E2E_DIR/r.csv"
contains "(FAILED_PRECONDITION)" "$ERR"
expect 2 office period unlock 2018-02 --unit jishou
expect 0 office period unlock 2018-02 --unit jishou --reason "补报台账"
csv "$E2E_DIR/r.csv" C1=14 L1=56 M1=in_progress
expect 0 li report submit --period 2018-02 "$E2E_DIR/r.csv"
csv "$E2E_DIR/w.csv" C1=6
expect 1 wang report submit --period 2018-02 "$E2E_DIR/w.csv"
contains "locked" "$ERR"

# December due 2019-01-05; received 2019-01-07 10:00 -> 2 days late, across the year end
submit_at "$E2E_DIR/z.csv" 2019-01-07T10:00:00+08:00 zhao 2018-12 \
  "late: 2 days after the deadline 2019-01-05T23:59:59+08:00" D1=18
# March 2018 of luxi: due April 5, never sent -> missing; newzone not expected before July
expect 0 office report status --period 2018-03 --json
st=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join(u["unit"]+"="+u["status"]+"/"+str(u["days_late"]) for u in d["units"]))' "$OUT")
contains "luxi=missing/0" "$st"
contains "newzone=not_expected/0" "$st"
contains '"received_at": null' "$OUT"
expect 0 office report status --period 2018-03
contains "missing" "$OUT"
contains "county: 0 of 2 reported (completeness 0%)" "$OUT"
# a monthly plan has no quarterly reports (its status of a quarter is the
# quarterly bulletin's: tests/e2e/test_record.sh)
expect 1 office report show --period 2018-Q1 --unit jishou
contains "plan p reports monthly" "$ERR"
expect 0 office report status --period 2018-01 --json
st=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join(u["unit"]+"="+u["status"]+"/"+str(u["days_late"])+"/"+str(u["received_at"]) for u in d["units"]))' "$OUT")
contains "jishou=on_time/0/2018-02-05T23:59:59+08:00" "$st"
contains "luxi=late/1/2018-02-06T00:00:00+08:00" "$st"

# half-year reports: due 2018-06-30 23:59:59
echo "# 上半年督查报告" > "$E2E_DIR/h1.md"
expect 0 li halfyear submit --period 2018-H1 "$E2E_DIR/h1.md"
contains "late" "$OUT"
echo "# 上半年督查报告（修订）" > "$E2E_DIR/h1.md"
expect 0 li halfyear submit --period 2018-H1 "$E2E_DIR/h1.md"
expect 0 office halfyear history --period 2018-H1 --unit jishou --json
contains '"status": "late"' "$OUT"
contains '"version": 2' "$OUT"
contains "修订" "$OUT"
expect 1 wang halfyear history --period 2018-H1 --unit jishou
contains "(PERMISSION_DENIED)" "$ERR"
expect 2 li halfyear submit --period 2018-05 "$E2E_DIR/h1.md"
expect 2 li halfyear submit --period 2018-13 "$E2E_DIR/h1.md"

# audit trail of all of it
expect 0 office audit --json
contains '"object": "report/jishou/2018-02"' "$OUT"
contains "unlocked 2018-02 for jishou: 补报台账" "$OUT"
expect 1 li audit
contains "(PERMISSION_DENIED)" "$ERR"
e2e_finish
