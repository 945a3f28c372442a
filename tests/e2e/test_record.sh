#!/usr/bin/env bash
# The office's record (issue 12, SPEC 3.3, 3.5, 3.6, 3.8) through the real
# programs with a clock file: ranks on the rounded total, commend_top and the
# office's last word on flags, deadline extensions, frozen publications with
# corrections, quarterly bulletins of a monthly plan, supervision items
# closed late.  Every expected figure is worked out by hand in the comments.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/e2e/data
e2e_start 2024-01-10T09:00:00+08:00

for u in c1 c2 c3 c4 c5 c6; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
for u in d1 d2; do pwadmin unit add $u --name "局$u" --category department >/dev/null; done
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
echo viewer111 | pwadmin user add leader --role viewer --password-file - >/dev/null
for u in c1 c2 c3 c4 c5 c6 d1 d2; do
  echo "pw-${u}-111" | pwadmin user add "r_$u" --role reporter --unit $u --password-file - >/dev/null
done
office() { as office office111 "$@"; }
viewer() { as leader viewer111 "$@"; }
rep() { local u=$1; shift; as "r_$u" "pw-${u}-111" "$@"; }
expect 0 office plan import --plan rec --name 记录计划 --indicators "$D/record_indicators.csv" --targets "$D/record_targets.csv"
# jq-like field access: js 'python expression over d' JSON
js() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$2"; }
unit_field() { # JSON unit field -> value of `field` of the ranking of `unit`
  python3 -c '
import json,sys
d=json.loads(sys.argv[1]); u=[r for r in d["rankings"] if r["unit"]==sys.argv[2]][0]
v=u[sys.argv[3]]
print("%.2f" % v if isinstance(v, float) else v)' "$1" "$2" "$3"
}
same() { if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', expected '$2'"; fi; }

# ---- 3 and 4: ranks on the rounded total; commend_top; the office's flag ----
# Sheet: item 1 monthly_timeliness 10, item 2 manual 90.  Scored for 2024-01
# on 20 January no deadline has passed, so item 1 is 10 and the total is
# 10 + the office's manual points:
#   c1 86.50 -> 96.50   c2 86.4956 -> 96.4956 -> 96.50   c3 86.495 -> 96.50
#   c4 86.4949 -> 96.49  c5 85 -> 95.00  c6 50 -> 60.00
# Ranks: c1, c2, c3 share 1; c4 4; c5 5; c6 6.  With --commend-top 3:
# commend c1 c2 c3 (excellent, rank <= 3, 3 units lower); c4 excellent,
# rank 4: no flag; c5 one unit lower (< 2): criticise; c6 unqualified.
expect 0 office sheet import "$D/record_sheet.csv" --category county --commend-top 3
contains "commend the top 3, criticise the last 2" "$OUT"
expect 0 office sheet import "$D/record_sheet_department.csv" --category department
expect 2 office sheet import "$D/record_sheet.csv" --category county --commend-top 0
for kv in c1=86.50 c2=86.4956 c3=86.495 c4=86.4949 c5=85 c6=50 d1=80 d2=70; do
  expect 0 office finding add --unit "${kv%%=*}" --year 2024 --item 2 --points "${kv#*=}" --note 综合评价
done
set_clock 2024-01-20T10:00:00+08:00
expect 0 office scores --period 2024-01 --category county --json
S=$OUT
for u in c1 c2 c3; do
  same "$(unit_field "$S" $u score) $(unit_field "$S" $u rank) $(unit_field "$S" $u flag)" "96.50 1 commend" "$u"
done
same "$(unit_field "$S" c2 score_unrounded)" "96.50" "c2 unrounded shown to 2 decimals by the helper"
same "$(js '[r["score_unrounded"] for r in d["rankings"] if r["unit"]=="c2"][0]' "$S")" "96.4956" "c2 unrounded"
same "$(unit_field "$S" c4 score) $(unit_field "$S" c4 rank) $(unit_field "$S" c4 flag)" "96.49 4 None" "c4"
same "$(unit_field "$S" c5 rank) $(unit_field "$S" c5 flag)" "5 criticise" "c5"
same "$(unit_field "$S" c6 rank) $(unit_field "$S" c6 flag) $(unit_field "$S" c6 grade)" "6 criticise unqualified" "c6"
same "$(js 'sum(1 for r in d["rankings"] if r["flag"]=="commend")' "$S")" 3 "at most 3 commended"
expect 0 office scores --period 2024-01 --explain c4
contains "no flag: excellent, but rank 4 is not within the top 3" "$OUT"
# a wider setting on re-import: c4 (rank 4) is commended too
expect 0 office sheet import "$D/record_sheet.csv" --category county --commend-top 4
expect 0 office scores --period 2024-01 --category county --json
same "$(unit_field "$OUT" c4 flag)" commend "c4 with commend_top 4"
expect 0 office sheet import "$D/record_sheet.csv" --category county
contains "commend the top 4" "$OUT"   # a re-import keeps the settings
expect 0 office sheet import "$D/record_sheet.csv" --category county --commend-top 3

# the office's last word: commend c4, clear c5's criticism
expect 2 office scores flag --period 2024-01 --unit c4 --commend
expect 1 rep c1 scores flag --period 2024-01 --unit c1 --commend --reason 自荐
contains "(PERMISSION_DENIED)" "$ERR"
expect 1 office scores flag --period 2024-01 --unit nosuch --commend --reason x
contains "(NOT_FOUND)" "$ERR"
expect 0 office scores flag --period 2024-01 --unit c4 --commend --reason "抗洪抢险表现突出"
contains "c4 for 2024-01: commend by the office's decision" "$OUT"
expect 0 office scores flag --period 2024-01 --unit c5 --none --reason "申诉后核实数据"
expect 0 office scores --period 2024-01 --category county --json
S=$OUT
same "$(unit_field "$S" c4 flag) $(unit_field "$S" c4 flag_by_office) $(unit_field "$S" c4 computed_flag)" "commend True None" "c4 override"
same "$(unit_field "$S" c4 flag_reason)" "抗洪抢险表现突出" "c4 reason"
same "$(unit_field "$S" c5 flag) $(unit_field "$S" c5 computed_flag)" "None criticise" "c5 override"
same "$(unit_field "$S" c1 flag_by_office)" False "c1 by the rules"
expect 0 office scores --period 2024-01 --category county
contains "[office 办公室决定]" "$OUT"
expect 0 office scores --period 2024-01 --category county --html "$E2E_DIR/f.html"
grep -q "办公室决定" "$E2E_DIR/f.html" && pass || fail "the office's decision in the HTML ranking"
expect 0 office scores --period 2024-01 --explain c4
contains "flag by the office's decision (办公室决定): 抗洪抢险表现突出; by the rules: -" "$OUT"
contains "the office's decision: commend (reason: 抗洪抢险表现突出); by the rules: no flag" "$OUT"
# the decision belongs to its period only
expect 0 office scores --period 2024 --category county --json
same "$(unit_field "$OUT" c4 flag_by_office)" False "no decision for 2024"
expect 0 office audit
contains "flag of c4 for 2024-01 set to commend" "$OUT"

# ---- 5: the quarterly bulletin of a monthly plan (SPEC 3.4) ----
# submit UNIT PERIOD VALUE [INDICATOR]: a one-row report CSV
submit() {
  local f=$E2E_DIR/r.csv
  printf 'indicator_id,indicator,unit_of_measure,target,value,note\n%s,,,,%s,\n' "${4:-I01}" "$3" > "$f"
  expect 0 rep "$1" report submit --period "$2" "$f" --progress 按计划推进
}
# c5 on time every month; c6 February 2 days late (7 March 10:00 against
# 5 March 23:59:59: 1 day 10 hours -> 2 days) and March 1 day late (6 April
# 10:00) -> the quarter late 3 days; d1 January only -> the quarter missing;
# the others report nothing -> missing.
set_clock 2024-02-03T10:00:00+08:00
submit c5 2024-01 10; submit c6 2024-01 5; submit d1 2024-01 20 I09
# ---- 6 (with the quarter's timeline): supervision items due 31 March ----
expect 0 office supervise open --unit d1 --deadline 2024-03-31 "专项资金拨付滞后"
expect 0 office supervise open --unit d2 --deadline 2024-03-31 "台账不全"
SUP1=$(office supervise list --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin)["items"] if i["unit"]=="d1"][0])')
SUP2=$(office supervise list --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin)["items"] if i["unit"]=="d2"][0])')
set_clock 2024-03-04T10:00:00+08:00
submit c5 2024-02 20
set_clock 2024-03-07T10:00:00+08:00
submit c6 2024-02 10
set_clock 2024-04-03T10:00:00+08:00
submit c5 2024-03 30
set_clock 2024-03-30T10:00:00+08:00
expect 0 office supervise close "$SUP2" --note 已整改
set_clock 2024-04-02T10:00:00+08:00
# due 2024-03-31 23:59:59 +08:00, closed 2 April 10:00: 1 day 10 hours -> 2 days late
expect 0 office supervise close "$SUP1" --note 已整改
contains "closed 2 days late" "$OUT"
set_clock 2024-04-06T10:00:00+08:00
submit c6 2024-03 15
set_clock 2024-04-10T10:00:00+08:00
q_status() { python3 -c '
import json,sys
d=json.loads(sys.argv[1]); print(" ".join(u["unit"]+"="+u["status"]+"/"+str(u["days_late"]) for u in d["units"]))' "$1"; }
expect 0 office dispatch --period 2024-Q1 --json
Q=$OUT
contains "c5=on_time/0" "$(q_status "$Q")"
contains "c6=late/3" "$(q_status "$Q")"
contains "d1=missing/0" "$(q_status "$Q")"
contains "c1=missing/0" "$(q_status "$Q")"
same "$(js 'd["period"], d["time_elapsed"]' "$Q")" "2024-Q1 0.25" "the quarter as of March"
# progress as of the quarter's last month: c5's March value 30 of 120
python3 -c '
import json,sys
d=json.loads(sys.argv[1]); c=[c for c in d["cells"] if c["unit"]=="c5"][0]
sys.exit(0 if c["actual"]==30 and abs(c["progress"]-0.25)<1e-9 else 1)' "$Q" && pass || fail "c5 progress as of March"
same "$(js '[(r["category"], r["expected"], r["on_time"]) for r in d["rates"]]' "$Q")" "[('county', 6, 1), ('department', 2, 0)]" "quarter rates"
expect 0 office report status --period 2024-Q1 --json
contains "c6=late/3" "$(q_status "$OUT")"
contains "d1=missing/0" "$(q_status "$OUT")"
expect 1 rep c5 report submit --period 2024-Q1 "$E2E_DIR/r.csv"
contains "reports monthly" "$ERR"
expect 0 office publish dispatch --period 2024-Q1
expect 0 viewer dispatch --period 2024-Q1
contains "2024-Q1" "$OUT"
expect 0 office supervise list --all --json
same "$(js '[(i["unit"], i["state"], i["days_late"]) for i in d["items"]]' "$OUT")" "[('d1', 'closed', 2), ('d2', 'closed', 0)]" "days late at closure"
expect 0 office supervise list --all
contains "closed 2 days late" "$OUT"
# the supervision kind: d1 10 - 1 = 9; d2 closed on time: 10
expect 0 office scores --period 2024-Q1 --category department --json
same "$(js '[(r["unit"], [i["points"] for i in r["items"] if i["item"]==3][0]) for r in d["rankings"]]' "$OUT" | tr -d ' ')" "[('d1',9.0),('d2',10.0)]" "supervision points"
expect 0 office scores --period 2024-Q1 --explain d1
contains "supervision item #$SUP1 (due 2024-03-31): closed 2 days late, -1" "$OUT"

# ---- 2: deadline extensions (SPEC 3.3) ----
status_of() { js '" ".join(u["status"]+":"+str(u["days_late"]) for u in d["units"] if u["unit"]==sys.argv[2])' "$1" "$2"; }
st_json() { python3 -c '
import json,sys
d=json.loads(sys.argv[1]); u=[u for u in d["units"] if u["unit"]==sys.argv[2]][0]
print(u["status"], u["days_late"], u.get("extended_to"))' "$1" "$2"; }
# The April report is due 2024-05-05 23:59:59 +08:00, inside the May Day holiday.
set_clock 2024-05-06T10:00:00+08:00
submit c1 2024-04 40
contains "late: 1 day" "$OUT"
expect 0 office report status --period 2024-04 --json
same "$(st_json "$OUT" c1)" "late 1 None" "c1 late without an extension"
expect 1 rep c1 period deadline 2024-04 --until 2024-05-08 --reason 五一假期顺延
contains "(PERMISSION_DENIED)" "$ERR"
expect 2 office period deadline 2024-04 --until 2024-05-08
expect 2 office period deadline 2024-04 --until 2024-05-32 --reason x
expect 1 office period deadline 2024-04 --until 2024-05-04 --reason x
contains "cannot bring a deadline forward" "$ERR"
expect 1 office period deadline 2024-04 --until 2024-05-08 --unit nosuch --reason x
contains "(NOT_FOUND)" "$ERR"
expect 0 office period deadline 2024-04 --until 2024-05-08 --reason 五一假期顺延
contains "extended to 2024-05-08T23:59:59+08:00" "$OUT"
# the report received on 6 May is now on time; the deadline is in status
expect 0 office report status --period 2024-04 --json
same "$(st_json "$OUT" c1)" "on_time 0 2024-05-08" "c1 on time after the extension"
same "$(js '" ".join([d["extended_to"], d["extension_reason"], d["deadline"]])' "$OUT")" "2024-05-08 五一假期顺延 2024-05-08T23:59:59+08:00" "status deadline"
expect 0 office report status --period 2024-04
contains "extended 顺延: 五一假期顺延" "$OUT"
expect 0 rep c1 report show --period 2024-04 --json
same "$(js 'd["status"]' "$OUT")" on_time "c1's own report on time"
# one unit further: c3 until 10 May; c2 on 9 May is late against 8 May
expect 0 office period deadline 2024-04 --unit c3 --until 2024-05-10 --reason 山洪灾害
set_clock 2024-05-09T09:00:00+08:00
submit c2 2024-04 30
contains "late: 1 day" "$OUT"
submit c3 2024-04 30
contains "on time" "$OUT"
expect 0 office report status --period 2024-04 --json
same "$(st_json "$OUT" c2) $(st_json "$OUT" c3)" "late 1 2024-05-08 on_time 0 2024-05-10" "c2 late, c3 on time"
expect 0 office report status --period 2024-04
contains "c3: deadline extended to 2024-05-10: 山洪灾害" "$OUT"
# bulletins and --explain
set_clock 2024-05-20T09:00:00+08:00
expect 0 office dispatch --period 2024-04
contains "deadline extended to 2024-05-08 (截止日期顺延): 五一假期顺延" "$OUT"
expect 0 office dispatch --period 2024-04 --json
same "$(js 'd["extended_to"]' "$OUT")" 2024-05-08 "dispatch JSON extension"
expect 0 office scores --period 2024-04 --explain c1
contains "2024-04: on time (deadline extended to 2024-05-08: 五一假期顺延)" "$OUT"
expect 0 office scores --period 2024-04 --explain c2
contains "2024-04: late 1 day, -0.5 (deadline extended to 2024-05-08: 五一假期顺延)" "$OUT"
expect 0 office audit
contains "deadline of 2024-04 for every unit extended to 2024-05-08: 五一假期顺延" "$OUT"

# ---- 1: publication is a record (SPEC 3.8) ----
cell() { # JSON unit indicator -> the cell's actual
  python3 -c '
import json,sys
d=json.loads(sys.argv[1]); print([c["actual"] for c in d["cells"] if c["unit"]==sys.argv[2] and c["indicator"]==sys.argv[3]][0])' "$1" "$2" "$3"; }
expect 1 viewer dispatch --period 2024-04
contains "(NOT_FOUND)" "$ERR"
expect 0 office publish dispatch --period 2024-04
contains "version 1" "$OUT"
expect 0 office publish dispatch --period 2024-04     # a resend: nothing new
contains "unchanged: already published the dispatch summary of 2024-04" "$OUT"
contains "version 1" "$OUT"
expect 0 viewer dispatch --period 2024-04 --json
same "$(cell "$OUT" c1 I01) $(js 'd["version"], d["published"]' "$OUT")" "40.0 1 True" "published figure"
# an unlock and an amendment after publication
expect 0 office period lock 2024-04
expect 0 office period unlock 2024-04 --unit c1 --reason 数据有误
set_clock 2024-05-21T09:00:00+08:00
submit c1 2024-04 100
expect 0 viewer dispatch --period 2024-04 --json
same "$(cell "$OUT" c1 I01) $(js 'd["published_at"]' "$OUT")" "40.0 2024-05-20T09:00:00+08:00" "frozen after the amendment"
expect 0 rep c2 dispatch --period 2024-04 --json
same "$(cell "$OUT" c1 I01)" 40.0 "reporters read the frozen bulletin too"
expect 0 office dispatch --period 2024-04 --json
same "$(cell "$OUT" c1 I01) $(js 'd["differs_from_published"], d["version"]' "$OUT")" "100.0 True None" "office live view"
expect 0 office dispatch --period 2024-04
contains "live view: DIFFERS from published version 1" "$OUT"
# a correction needs a reason; then it is version 2; version 1 stays readable
expect 1 office publish dispatch --period 2024-04
contains "(FAILED_PRECONDITION)" "$ERR"
contains "a correction (version 2) needs --reason" "$ERR"
set_clock 2024-05-22T09:00:00+08:00
expect 0 office publish dispatch --period 2024-04 --reason "县c1数据更正"
contains "version 2 (更正 correction): 县c1数据更正" "$OUT"
expect 0 viewer dispatch --period 2024-04 --json
same "$(cell "$OUT" c1 I01) $(js 'd["version"], [v["reason"] for v in d["versions"]]' "$OUT")" "100.0 2 [None, '县c1数据更正']" "version 2"
expect 0 viewer dispatch --period 2024-04
contains "更正 correction: version 2 published 2024-05-22T09:00:00+08:00 by office: 县c1数据更正" "$OUT"
expect 0 viewer dispatch --period 2024-04 --version 1 --json
same "$(cell "$OUT" c1 I01) $(js 'd["version"]' "$OUT")" "40.0 1" "version 1 still readable"
expect 0 viewer dispatch --period 2024-04 --version 1
contains "a later version exists: version 2" "$OUT"
expect 1 viewer dispatch --period 2024-04 --version 3
contains "no version 3 (the latest is 2)" "$ERR"
expect 0 viewer dispatch --period 2024-04 --html "$E2E_DIR/v.html"
grep -q "更正" "$E2E_DIR/v.html" && pass || fail "更正 in the HTML bulletin"
expect 0 office dispatch --period 2024-04
contains "live view: the same as published version 2" "$OUT"

# the ranking: frozen against a finding and a re-import of the sheet
expect 0 office publish scores --period 2024-01
expect 0 viewer scores --period 2024-01 --category county --json
V1=$OUT
same "$(unit_field "$V1" c5 rank) $(unit_field "$V1" c5 flag) $(unit_field "$V1" c4 flag)" "5 None commend" "published ranking"
same "$(js 'sum(len(r["items"][0].get("explain") or []) for r in d["rankings"])' "$V1")" 0 "viewers see no explanations"
expect 1 viewer scores --period 2024-01 --explain c5
contains "(PERMISSION_DENIED)" "$ERR"
expect 0 office finding add --unit c5 --year 2024 --item 2 --points 89 --note 复核后调整
expect 0 office sheet import "$D/record_sheet.csv" --category county --commend-top 1
expect 0 viewer scores --period 2024-01 --category county --json
same "$(unit_field "$OUT" c5 rank) $(unit_field "$OUT" c5 score) $(unit_field "$OUT" c5 flag)" "$(unit_field "$V1" c5 rank) $(unit_field "$V1" c5 score) None" "ranking frozen"
expect 0 rep c5 scores --period 2024-01 --explain c5
contains "flag by the office's decision (办公室决定): 申诉后核实数据" "$OUT"
expect 1 rep c5 scores --period 2024-01 --explain c1
contains "(PERMISSION_DENIED)" "$ERR"
expect 0 office scores --period 2024-01 --category county --json
same "$(unit_field "$OUT" c5 rank) $(js 'd["differs_from_published"]' "$OUT")" "1 True" "office live ranking"
expect 0 office publish scores --period 2024-01 --reason "c5复核加分"
expect 0 viewer scores --period 2024-01 --category county --json
same "$(unit_field "$OUT" c5 rank) $(js 'd["version"]' "$OUT")" "1 2" "ranking version 2"
expect 0 viewer scores --period 2024-01 --version 1 --category county --json
same "$(unit_field "$OUT" c5 rank)" 5 "ranking version 1"
expect 0 viewer scores --period 2024-01
contains "更正 correction: version 2" "$OUT"
expect 0 viewer scores --period 2024-01 --html "$E2E_DIR/s.html"
grep -q "更正" "$E2E_DIR/s.html" && pass || fail "更正 in the HTML ranking"
expect 0 office audit
contains "published version 2 (correction) of the scores of 2024-01: c5复核加分" "$OUT"

e2e_finish
