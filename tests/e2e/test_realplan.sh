#!/usr/bin/env bash
# Real plans (issue 13, SPEC 3.2-3.5) through the real CLIs and server: a
# small plan modelled on seed 002 (2024 湘西州"八大行动") with responsible
# units (负责), tasks, thresholds (band and up), due months, several leads
# ("分别牵头", aggregate sum and min) and an indicator without a lead;
# narrative-only reports; lights and the bulletin's leads left out; a unit
# with nothing to be judged on (the category's mean work performance, said
# by --explain); and a revision effective mid-year (earlier months keep
# what was in force, later months are judged on the new targets).
#
# Every expected number is worked out by hand in the comments (t = m / 12).
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/e2e/data
e2e_start 2024-01-02T09:00:00+08:00

for u in jishou luxi; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
for u in wenlv nongye fagai gongxin keji shengtai shangwu; do
  pwadmin unit add $u --name "州$u" --category department >/dev/null
done
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
for u in jishou luxi wenlv nongye fagai gongxin keji shengtai shangwu; do
  echo "pw-${u}-1" | pwadmin user add "r_$u" --role reporter --unit $u --password-file - >/dev/null
done
office() { as office office111 "$@"; }
rep() { local u=$1; shift; as "r_$u" "pw-${u}-1" "$@"; }

# ---- import: the optional columns; bad rows name file, line and column ----
cat > "$E2E_DIR/bad_tg.csv" <<'EOF'
indicator_id,year,unit,target,baseline,tolerance,due
G01,2024,,135,,,
G02,2024,,10,,2,
M01,2024,,1,,,2025-03
T01,2024,,6000,,,2024-05
EOF
expect 1 office plan import --plan real --name 八大行动 --indicators "$D/real_indicators.csv" --targets "$E2E_DIR/bad_tg.csv"
contains "(INVALID_ARGUMENT)" "$ERR"
contains "line 2" "$ERR"
contains "indicator G01 is a band: its target needs a tolerance" "$ERR"
expect 0 office plan import --plan real --name 八大行动 --indicators "$D/real_indicators.csv" --targets "$D/real_targets.csv"
contains "imported plan real 八大行动: 7 indicators, 8 targets, years 2024-2024" "$OUT"
# the violations of the bad file, one by one
cat > "$E2E_DIR/bad_ind.csv" <<'EOF'
indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units,resp_units,aggregate
X1,a,b,c,%,level,band,fagai,,,
X2,a,b,c,%,level,up,fagai,,fagai,
X3,a,b,c,%,level,up,fagai,,,median
EOF
expect 1 office plan import --plan bad --name 坏 --indicators "$E2E_DIR/bad_ind.csv" --targets "$D/real_targets.csv"
contains "line 2, column 7: direction band is for threshold indicators only, not level" "$ERR"

expect 0 office plan show --json
python3 - "$OUT" <<'EOF' && pass || fail "plan show: resp_units, aggregate, tolerance, due"
import json, sys
d = json.loads(sys.argv[1])
ind = {i["id"]: i for i in d["indicators"]}
assert ind["T01"]["resp_units"] == ["jishou", "luxi"], ind["T01"]
assert ind["S01"]["lead_units"] == ["fagai", "gongxin", "keji"] and ind["S01"]["aggregate"] == "sum"
assert ind["K01"]["kind"] == "task" and ind["K01"]["aggregate"] == "min"
assert ind["G01"]["direction"] == "band" and ind["G01"]["targets"][0]["tolerance"] == 5
assert ind["M01"]["targets"][0]["due"] == "2024-09"
assert ind["R01"]["lead_units"] == []
assert d["revision"] == 0 and len(d["revisions"]) == 1
EOF

# ---- plan check: no lead, nothing to be judged on ----
expect 0 office plan check --json
python3 - "$OUT" <<'EOF' && pass || fail "plan check: R01 without lead, shangwu with nothing"
import json, sys
d = json.loads(sys.argv[1])
assert [i["id"] for i in d["indicators_without_lead"]] == ["R01"], d["indicators_without_lead"]
assert [u["id"] for u in d["units_without_indicators"]] == ["shangwu"], d["units_without_indicators"]
assert d["year"] == 2024
EOF
expect 0 office plan check
contains "R01 建立州县市联动工作推进机制 (not judged)" "$OUT"
contains "units with nothing to be judged on in 2024: 1" "$OUT"

# ---- what a responsible unit reports: the task's state ----
set_clock 2024-02-03T10:00:00+08:00
expect 0 rep luxi report template --period 2024-01 --out "$E2E_DIR/luxi.csv"
# the states after the name; value and note columns empty
contains "T01,接待游客突破6000万人次 (未启动/推进中/已完成),万人次,6000,," "$(cat "$E2E_DIR/luxi.csv")"
contains "K01,科技支撑锰三角治理 (未启动/推进中/已完成),none,1,," "$(cat "$E2E_DIR/luxi.csv")"
not_contains "未启动|推进中|已完成" "$(cat "$E2E_DIR/luxi.csv")"
expect 0 rep jishou plan show --json
python3 - "$OUT" <<'EOF' && pass || fail "jishou reports T01 (own target) and S01 (responsible: a task)"
import json, sys
d = json.loads(sys.argv[1])
got = {i["id"]: (i["kind"], i["targets"][0]["value"]) for i in d["indicators"]}
assert got == {"T01": ("cumulative", 1200), "S01": ("task", 400)}, got
EOF

# submit UNIT PERIOD "ID=value ..." [extra args]
submit() {
  local unit=$1 period=$2 values=$3 f=$E2E_DIR/r.csv; shift 3
  echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$f"
  for kv in $values; do echo "${kv%%=*},,,,${kv#*=},本月推进情况" >> "$f"; done
  expect 0 rep "$unit" report submit --period "$period" "$f" --progress "按计划推进" "$@"
}

# ---- January ----
# a narrative-only report from a unit whose rows are all tasks: accepted, on time
echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$E2E_DIR/empty.csv"
expect 0 rep luxi report submit --period 2024-01 "$E2E_DIR/empty.csv" --progress "各乡镇已部署旅游和锰三角治理工作"
contains "report 1 version 1 of luxi for 2024-01" "$OUT"
# ... but not from a unit with numbers to report, nor without any narrative
expect 1 rep fagai report submit --period 2024-01 "$E2E_DIR/empty.csv" --progress "进展顺利"
contains "the report has no values: unit fagai has 2 numeric indicators to report for 2024-01" "$ERR"
expect 1 rep luxi report submit --period 2024-01 "$E2E_DIR/empty.csv" --id again-1
contains "no narrative" "$ERR"
submit jishou 2024-01 "T01=150 S01=in_progress"
submit wenlv 2024-01 "T01=600 M01=not_started"
submit nongye 2024-01 "G01=132"
submit fagai 2024-01 "G02=3 S01=50"
submit gongxin 2024-01 "S01=80"
submit keji 2024-01 "K01=in_progress"
submit shengtai 2024-01 "K01=not_started"
# a growth rate may fall below zero (a threshold in %, not a share)
echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$E2E_DIR/neg.csv"
echo "G02,,,,-2.5,春节因素" >> "$E2E_DIR/neg.csv"
expect 0 rep fagai report submit --period 2024-01 "$E2E_DIR/neg.csv" --id neg-probe
{ echo "indicator_id,indicator,unit_of_measure,target,value,note"; echo "G02,,,,3,更正"; echo "S01,,,,50,"; } > "$E2E_DIR/neg.csv"
expect 0 rep fagai report submit --period 2024-01 "$E2E_DIR/neg.csv" --id neg-fix
# a task's state comes with a line of text: without one, a warning in the receipt
echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$E2E_DIR/nonote.csv"
echo "K01,,,,not_started," >> "$E2E_DIR/nonote.csv"
expect 0 rep shengtai report submit --period 2024-01 "$E2E_DIR/nonote.csv"
contains "task state not_started without a line of progress text" "$OUT$ERR"
# a task's state is one of three
echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$E2E_DIR/bad.csv"
echo "K01,,,,half,x" >> "$E2E_DIR/bad.csv"
expect 1 rep keji report submit --period 2024-01 "$E2E_DIR/bad.csv"
contains "'half' is not one of not_started, in_progress, done" "$ERR"

set_clock 2024-02-06T10:00:00+08:00
expect 0 office report status --period 2024-01 --json
st=$(python3 -c '
import json,sys
print(" ".join(u["unit"]+"="+u["status"] for u in json.loads(sys.argv[1])["units"]))' "$OUT")
contains "luxi=on_time" "$st"
contains "shangwu=not_expected" "$st"

# plan-wide lights of January, t = 1/12 = 0.083:
#   T01 lead wenlv 600 (sum of one lead): 600/6000 = 0.10 >= t: green
#   M01 not_started, due September: 9 - 1 = 8 months left: yellow (not red)
#   G01 band 135 +- 5: |132 - 135| = 3 <= 5: green
#   G02 threshold up: 3 < 0.8 x 10 = 8: red (3/10 = 0.3 >= t would have been green)
#   S01 sum of the leads with a value: fagai 50 + gongxin 80 = 130, keji left out:
#       130/400 = 0.325 >= t: green
#   K01 min(shengtai not_started, keji in_progress) = not_started, due December: yellow
#   R01 no lead: not judged
expect 0 office dispatch --period 2024-01 --json
python3 - "$OUT" <<'EOF' && pass || fail "January lights and aggregates"
import json, sys
d = json.loads(sys.argv[1])
ind = {i["indicator"]: i for i in d["indicators"]}
want = {"T01": "green", "M01": "yellow", "G01": "green", "G02": "red", "S01": "green",
        "K01": "yellow", "R01": "none"}
got = {k: ind[k]["light"] for k in want}
assert got == want, got
assert ind["S01"]["actual"] == 130 and ind["S01"]["aggregate"] == "sum", ind["S01"]
assert ind["S01"]["leads_missing"] == ["keji"] and ind["S01"]["leads_reported"] == ["fagai", "gongxin"]
assert ind["K01"]["aggregate"] == "min" and ind["K01"]["progress"] == 0
assert ind["R01"]["judged"] is False and ind["T01"]["judged"] is True
assert ind["M01"]["due"] == "2024-09"
cells = {(c["unit"], c["indicator"]): c["light"] for c in d["cells"]}
# luxi sent a narrative only: its tasks have no state yet ("none" = no report)
assert cells[("luxi", "T01")] == "none" and cells[("jishou", "S01")] == "green", cells
EOF
expect 0 office dispatch --period 2024-01
contains "S01: sum of 3 leads; left out without a value (未报送，未计入):
  keji" "$OUT"
contains "R01: no lead unit, not judged" "$OUT"

# ---- scores of January: the department with nothing to be judged on ----
expect 0 office sheet import "$D/mini_sheet_county.csv" --category county
expect 0 office sheet import "$D/mini_sheet_department.csv" --category department
# departments, work performance (90 points) as of January, t = 1/12:
#   wenlv   T01 0.10/t -> 1 (capped), M01 yellow 0.5: mean 0.75 x 90 = 67.50
#   nongye  G01 green 1: 90
#   fagai   G02 red 0, S01 (its own 50/400 = 0.125)/t -> 1: mean 0.5 -> 45
#   gongxin S01 80/400/t -> 1: 90
#   keji    S01 no report 0, K01 in_progress green 1: 45
#   shengtai K01 not_started yellow 0.5: 45
#   shangwu nothing: (67.5 + 90 + 45 + 90 + 45 + 45) / 6 = 63.75; timeliness 10: 73.75
# counties (80 points): luxi T01 and K01 no state yet: yellow 0.5 each -> 40;
#   jishou T01 150/1200 = 0.125/t -> 1, S01 in_progress green 1 -> 80
expect 0 office scores --period 2024-01 --json
python3 - "$OUT" <<'EOF' && pass || fail "January work performance"
import json, sys
d = json.loads(sys.argv[1])
wp = {r["unit"]: [i["points"] for i in r["items"] if i["kind"] == "work_performance"][0]
      for r in d["rankings"]}
want = {"wenlv": 67.5, "nongye": 90, "fagai": 45, "gongxin": 90, "keji": 45, "shengtai": 45,
        "shangwu": 63.75, "luxi": 40, "jishou": 80}
bad = {u: (wp[u], w) for u, w in want.items() if abs(wp[u] - w) > 1e-9}
assert not bad, bad
tot = {r["unit"]: r["score"] for r in d["rankings"]}
assert abs(tot["shangwu"] - 73.75) < 1e-9, tot["shangwu"]
EOF
expect 0 office scores --period 2024-01 --explain shangwu
contains "nothing to be judged on in 2024: the mean of the 6 department units that have something, 63.75" "$OUT"
# ... unless the office sets the points by a finding (for a unit with nothing only)
expect 0 office finding add --unit shangwu --year 2024 --item 2 --points 70 --note "联合督查评定"
expect 0 office scores --period 2024-01 --explain shangwu
contains "nothing to be judged on in 2024: the office set 70 points (finding #" "$OUT"
contains "score 80.00" "$OUT"
expect 1 office finding add --unit shangwu --year 2024 --item 1 --points 5 --note x
contains "computed from the reports and takes no findings" "$ERR"
expect 0 office scores --period 2024-01 --explain luxi
contains "T01 接待游客突破6000万人次 (未报 no report): 灯 light yellow (窗口末月 as of the window's last month) -> 0.50" "$OUT"

# ---- February: before the revision ----
set_clock 2024-03-03T10:00:00+08:00
submit fagai 2024-02 "G02=9 S01=120"
submit luxi 2024-02 "T01=in_progress K01=in_progress"

# February's bulletin is published before the revision
set_clock 2024-03-06T10:00:00+08:00
expect 0 office publish dispatch --period 2024-02
expect 0 rep fagai dispatch --period 2024-02 --json
echo "$OUT" > "$E2E_DIR/feb_published.json"

# ---- the revision, effective March: G02 8 %, N01 added (lead shangwu), R01 retired ----
expect 1 rep fagai plan revise --plan real --indicators "$D/real_indicators_r1.csv" --targets "$D/real_targets_r1.csv" --effective 2024-03 --reason x
contains "(PERMISSION_DENIED)" "$ERR"
expect 2 office plan revise --plan real --indicators "$D/real_indicators_r1.csv" --targets "$D/real_targets_r1.csv" --effective 2024-03
expect 1 office plan import --plan real --name 八大行动 --indicators "$D/real_indicators_r1.csv" --targets "$D/real_targets_r1.csv"
contains "cannot be replaced any more" "$ERR"
expect 0 office plan revise --plan real --indicators "$D/real_indicators_r1.csv" --targets "$D/real_targets_r1.csv" --effective 2024-03 --reason "专班进一步细化指标"
contains "revision 1 of plan real effective 2024-03: 7 indicators, 8 targets" "$OUT"
contains "added: 1 (N01)" "$OUT"
contains "changed: 1 (G02)" "$OUT"
contains "retired: 1 (R01)" "$OUT"
# a second revision cannot go back in time
expect 1 office plan revise --plan real --indicators "$D/real_indicators_r1.csv" --targets "$D/real_targets_r1.csv" --effective 2024-02 --reason again
contains "(FAILED_PRECONDITION)" "$ERR"
contains "a new revision must be effective from a later month than 2024-02" "$ERR"
expect 0 office audit --json
contains "revision 1 of plan real effective 2024-03 (专班进一步细化指标)" "$OUT"

expect 0 office plan show --as-of 2024-02 --json
python3 - "$OUT" <<'EOF' && pass || fail "plan show --as-of 2024-02: what was in force"
import json, sys
d = json.loads(sys.argv[1])
ind = {i["id"]: i for i in d["indicators"]}
assert d["revision"] == 0 and "R01" in ind and "N01" not in ind
assert ind["G02"]["targets"][0]["value"] == 10
assert [r["revision"] for r in d["revisions"]] == [0, 1] and d["revisions"][1]["effective"] == "2024-03"
EOF
expect 0 office plan show --as-of 2024-03 --json
python3 - "$OUT" <<'EOF' && pass || fail "plan show --as-of 2024-03: the revision"
import json, sys
d = json.loads(sys.argv[1])
ind = {i["id"]: i for i in d["indicators"]}
assert d["revision"] == 1 and "R01" not in ind and "N01" in ind
assert ind["G02"]["targets"][0]["value"] == 8 and ind["G02"]["level3"] == "产业投资增长8%以上"
EOF
expect 0 office plan show --as-of 2024-04
contains "revision 1 effective 2024-03 (专班进一步细化指标" "$OUT"

# March reports; shangwu now leads N01
set_clock 2024-04-03T10:00:00+08:00
submit fagai 2024-03 "G02=9 S01=180"
expect 0 rep shangwu report template --period 2024-03
contains "N01" "$OUT"
echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$E2E_DIR/n01.csv"
echo "N01,,,,in_progress,已部署" >> "$E2E_DIR/n01.csv"
expect 1 rep shangwu report submit --period 2024-02 "$E2E_DIR/n01.csv"
contains "N01: indicator not assigned to unit shangwu in 2024-02" "$ERR"
expect 0 rep shangwu report template --period 2024-02 --out "$E2E_DIR/sw2.csv"
contains "(0 indicators" "$ERR$OUT"
set_clock 2024-04-06T10:00:00+08:00
# earlier months unchanged: February is judged on the target in force then
#   February G02: 9 >= 0.8 x 10 = 8 but < 10: yellow; target 10; R01 listed, no N01
#   March    G02: 9 >= 8: green; target 8; N01 not reported, due June: 6 - 3 = 3: yellow
expect 0 office dispatch --period 2024-02 --json
python3 - "$OUT" <<'EOF' && pass || fail "February after the revision: unchanged"
import json, sys
d = json.loads(sys.argv[1])
ind = {i["indicator"]: i for i in d["indicators"]}
assert ind["G02"]["target"] == 10 and ind["G02"]["light"] == "yellow", ind["G02"]
assert "R01" in ind and "N01" not in ind
st = {u["unit"]: u["status"] for u in d["units"]}
assert st["shangwu"] == "not_expected", st
EOF
expect 0 office dispatch --period 2024-03 --json
python3 - "$OUT" <<'EOF' && pass || fail "March: the new targets"
import json, sys
d = json.loads(sys.argv[1])
ind = {i["indicator"]: i for i in d["indicators"]}
assert ind["G02"]["target"] == 8 and ind["G02"]["light"] == "green", ind["G02"]
assert "R01" not in ind and ind["N01"]["light"] == "yellow", ind.get("N01")
st = {u["unit"]: u["status"] for u in d["units"]}
assert st["shangwu"] == "missing", st
EOF
# the published February is read as it was published
expect 0 rep fagai dispatch --period 2024-02 --json
python3 - "$E2E_DIR/feb_published.json" "$OUT" <<'EOF' && pass || fail "published February unchanged by the revision"
import json, sys
a, b = json.load(open(sys.argv[1])), json.loads(sys.argv[2])
ga = {i["indicator"]: i for i in a["indicators"]}
gb = {i["indicator"]: i for i in b["indicators"]}
assert ga == gb and gb["G02"]["target"] == 10 and "R01" in gb
EOF
# the retired indicator's reports are kept; January shows the targets of January
expect 0 office report show --period 2024-01 --unit fagai --json
python3 - "$OUT" <<'EOF' && pass || fail "January's report after the revision"
import json, sys
d = json.loads(sys.argv[1])
v = {x["indicator"]: x for x in d["values"]}
assert v["G02"]["value"] == "3" and v["S01"]["value"] == "50", v
EOF
# the quarter: January and February expected nothing of shangwu, March was missing
expect 0 office scores --period 2024-Q1 --explain shangwu
contains "2024-01: no report expected, not counted" "$OUT"
contains "2024-03: missing" "$OUT"
contains "N01 开展2024年州12大重点促消费活动 (未报 no report): 灯 light yellow (窗口末月 as of the window's last month) -> 0.50" "$OUT"
contains "not used: the unit has indicators to be judged on" "$OUT"
e2e_finish
