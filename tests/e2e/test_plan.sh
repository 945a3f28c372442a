#!/usr/bin/env bash
# The demo plan end to end: scripts/demo.d/load_plan.sh creates the units and
# accounts with planwatch-admin and imports the plan and both score sheets with
# planwatch over a real socket; `plan show --json` must then return every
# indicator and every target of the demo CSV files, a county reporter only
# its county's, a department reporter what it leads; `plan check`, rejected
# and refused imports through the CLI.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-03-01T09:00:00+08:00
DEMO=$SRC/scripts/demo.d

export PLANWATCH_DEMO_BIN=$BIN PLANWATCH_ADMIN_USER=root PLANWATCH_ADMIN_PASSWORD=rootpass1
expect 0 "$DEMO/load_plan.sh"
read -r n_ind n_tg n_unit_tg < <(python3 - "$DEMO" <<'EOF'
import csv, sys
d = sys.argv[1]
ind = list(csv.DictReader(open(d + "/indicators.csv", encoding="utf-8-sig")))
tg = list(csv.DictReader(open(d + "/targets.csv", encoding="utf-8-sig")))
print(len(ind), len(tg), sum(1 for t in tg if t["unit"]))
EOF
)
[ "$n_ind" -gt 100 ] && [ "$n_unit_tg" -gt 300 ] && pass || fail "demo CSV counts $n_ind $n_tg $n_unit_tg"
contains "imported plan xiangxi2018" "$OUT"
contains "$n_ind indicators, $n_tg targets, years 2018-2018" "$OUT"
contains "imported the county score sheet: 11 items" "$OUT"
contains "imported the department score sheet: 11 items" "$OUT"

office() { as office office-demo-1 "$@"; }

# compare a `plan show --json` with the CSV files: python3 check.py JSON MODE [UNIT]
# MODE all: every indicator and every target; MODE unit: exactly what UNIT reports
cat > "$E2E_DIR/check.py" <<'EOF'
import csv, json, sys
d, path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
unit = sys.argv[4] if len(sys.argv) > 4 else None
ind = list(csv.DictReader(open(d + "/indicators.csv", encoding="utf-8-sig")))
tg = list(csv.DictReader(open(d + "/targets.csv", encoding="utf-8-sig")))
got = json.load(open(path))
bad = []
def split(s):
    return [u for u in s.split(";") if u]
want = []
for i in ind:
    leads = split(i["lead_units"])
    ts = [t for t in tg if t["indicator_id"] == i["indicator_id"]]
    if mode == "unit":
        own = [t for t in ts if t["unit"] == unit]
        pw = [t for t in ts if not t["unit"]]
        ts = own if own else (pw if unit in leads else [])
        if not ts:
            continue
    want.append((i, leads, ts))
if len(got["indicators"]) != len(want):
    bad.append("%d indicators, want %d" % (len(got["indicators"]), len(want)))
for g, (i, leads, ts) in zip(got["indicators"], want):
    exp = {"id": i["indicator_id"], "level1": i["level1"], "level2": i["level2"],
           "level3": i["level3"], "unit_of_measure": i["unit_of_measure"], "kind": i["kind"],
           "direction": i["direction"], "lead_units": leads,
           "coop_units": split(i["coop_units"])}
    for k, v in exp.items():
        if g[k] != v:
            bad.append("%s %s: %r != %r" % (i["indicator_id"], k, g[k], v))
    gt = sorted((t["year"], t["unit"] or "", t["value"]) for t in g["targets"])
    et = sorted((int(t["year"]), t["unit"], float(t["target"])) for t in ts)
    if gt != et:
        bad.append("%s targets: %r != %r" % (i["indicator_id"], gt, et))
    if mode == "unit" and any(t["unit"] not in (None, unit) for t in g["targets"]):
        bad.append("%s: another unit's target" % i["indicator_id"])
if got["unit"] != unit:
    bad.append("unit %r" % got["unit"])
print("\n".join(bad[:20]) if bad else "ok %d indicators, %d targets" % (
    len(got["indicators"]), sum(len(g["targets"]) for g in got["indicators"])))
sys.exit(1 if bad else 0)
EOF
check() { # check NAME JSON MODE [UNIT]
  local name=$1; shift
  if msg=$(python3 "$E2E_DIR/check.py" "$DEMO" "$@"); then pass; else fail "$name: $msg"; fi
}

# the office sees every indicator and every plan-wide and per-county target
expect 0 office plan show --json
echo "$OUT" > "$E2E_DIR/all.json"
check "office view" "$E2E_DIR/all.json" all
per_unit=$(grep -c '"unit_name": "' "$E2E_DIR/all.json" || true)
[ "$per_unit" -eq "$n_unit_tg" ] && pass || fail "$per_unit per-unit targets, want $n_unit_tg"
expect 0 office plan show --year 2018
contains "常住人口城镇化率" "$OUT"
contains "2018: 45, baojing 40.56" "$OUT"
expect 1 office plan show --year 2019
contains "--year 2019 is outside plan xiangxi2018 (2018-2018) (INVALID_ARGUMENT)" "$ERR"

# a county reporter: its own county's indicators and targets only
expect 0 as jishou jishou-demo-1 plan show --json
echo "$OUT" > "$E2E_DIR/jishou.json"
check "jishou view" "$E2E_DIR/jishou.json" unit jishou
not_contains '"unit": "luxi"' "$OUT"
contains '"unit": "jishou"' "$OUT"
expect 0 as luxi luxi-demo-1 plan show --json
echo "$OUT" > "$E2E_DIR/luxi.json"
check "luxi view" "$E2E_DIR/luxi.json" unit luxi
expect 1 as jishou jishou-demo-1 plan show --unit luxi
contains "(PERMISSION_DENIED)" "$ERR"
# a department reporter: the indicators it leads, with the plan-wide targets
expect 0 as zhou_zhujianju zhou_zhujianju-demo-1 plan show --json
echo "$OUT" > "$E2E_DIR/zjj.json"
check "zhujianju view" "$E2E_DIR/zjj.json" unit zhou_zhujianju
not_contains '"unit": "jishou"' "$OUT"
# the office can look at any unit's view
expect 0 office plan show --unit xxjkq --json
echo "$OUT" > "$E2E_DIR/xxjkq.json"
check "xxjkq view" "$E2E_DIR/xxjkq.json" unit xxjkq

# score sheets: items add up to 100, params normalised
expect 0 as jishou jishou-demo-1 sheet show --category county --json
echo "$OUT" > "$E2E_DIR/sheet.json"
total=$(python3 -c 'import json,sys; print(sum(i["max_points"] for i in json.load(open(sys.argv[1]))["items"]))' "$E2E_DIR/sheet.json")
[ "$total" = 100 ] && pass || fail "county sheet total $total"
contains '"kind": "monthly_timeliness"' "$OUT"
expect 0 office sheet show --category department
contains "per=1000;award=0.5;cap=4" "$OUT"
contains "11 items, 100 points" "$OUT"

# plan check: everything covered except I76 (lead: a collective), then a
# reporter without a unit and a unit without a reporter
expect 0 office plan check
contains "reporters without a unit: 0" "$OUT"
contains "units without a reporter: 0" "$OUT"
contains "indicators without a lead unit: 1" "$OUT"
contains "I76 成立新型城镇化工作领导小组" "$OUT"
echo floating11 > "$E2E_DIR/pw"
expect 0 pwadmin user add floating --role reporter --password-file "$E2E_DIR/pw"
expect 0 pwadmin unit add zhou_new --name 州新单位 --category department
expect 0 office plan check --json
echo "$OUT" > "$E2E_DIR/check.json"
python3 - "$E2E_DIR/check.json" <<'EOF' && pass || fail "plan check --json: $(cat "$E2E_DIR/check.json")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["plan"] == "xiangxi2018"
assert c["reporters_without_unit"] == ["floating"]
assert [u["id"] for u in c["units_without_user"]] == ["zhou_new"]
assert c["units_without_user"][0]["name"] == "州新单位"
assert [i["id"] for i in c["indicators_without_lead"]] == ["I76"]
EOF
expect 1 as jishou jishou-demo-1 plan check
contains "(PERMISSION_DENIED)" "$ERR"

# bad input through the CLI: one error -> one line; several -> summary and one line each
printf 'indicator_id,year,unit,target,baseline\nI01,2018,,45,\nI01,2018,nowhere,x,\n' > "$E2E_DIR/bad.csv"
expect 1 office plan import --plan xiangxi2018 --name x --indicators "$DEMO/indicators.csv" \
  --targets "$E2E_DIR/bad.csv"
contains "planwatch: 2 errors, nothing imported; first: $E2E_DIR/bad.csv: line 3, column 3: unknown unit 'nowhere' (INVALID_ARGUMENT)" "$ERR"
contains "  $E2E_DIR/bad.csv line 3, column 4: target 'x' is not a number" "$ERR"
printf 'indicator_id,year,unit,target,baseline\nI01,2018,,1e999,\n' > "$E2E_DIR/bad.csv"
expect 1 office plan import --plan xiangxi2018 --name x --indicators "$DEMO/indicators.csv" \
  --targets "$E2E_DIR/bad.csv"
contains "planwatch: $E2E_DIR/bad.csv: line 2, column 4: target '1e999' is not a finite number (INVALID_ARGUMENT)" "$ERR"
expect 2 office plan import --plan xiangxi2018 --name x --indicators "$E2E_DIR/missing.csv" \
  --targets "$E2E_DIR/bad.csv"
expect 2 office plan import --plan xiangxi2018 --indicators "$DEMO/indicators.csv"
expect 1 as jishou jishou-demo-1 plan import --plan p --name x --indicators "$DEMO/indicators.csv" \
  --targets "$DEMO/targets.csv"
contains "(PERMISSION_DENIED)" "$ERR"
# nothing of the rejected imports was stored
expect 0 office plan show --json
[ "$OUT" = "$(cat "$E2E_DIR/all.json")" ] && pass || fail "plan changed by a rejected import"

# re-import replaces while no report refers to the plan, then it is refused
expect 0 office plan import --plan xiangxi2018 --name 湘西 --indicators "$DEMO/indicators.csv" \
  --targets "$DEMO/targets.csv" --due-day 10 --tz-offset 480 --cadence quarterly
contains "replaced plan xiangxi2018 湘西" "$OUT"
expect 0 office plan show --json
contains '"due_day": 10' "$OUT"
contains '"cadence": "quarterly"' "$OUT"
sqlite3 "$DB" "INSERT INTO reports(plan_id, unit_id, period, first_received_at, deadline, current_version) VALUES ('xiangxi2018', 'jishou', '2018-02', 1, 2, 1)"
expect 1 office plan import --plan xiangxi2018 --name 湘西 --indicators "$DEMO/indicators.csv" \
  --targets "$DEMO/targets.csv"
contains "plan xiangxi2018 has 1 stored reports: it cannot be replaced any more" "$ERR"
contains "(FAILED_PRECONDITION)" "$ERR"
# sheets may always be replaced
expect 0 office sheet import "$DEMO/sheet-county.csv" --category county
contains "replaced the county score sheet" "$OUT"

audit=$(audit_trail)
contains "/planwatch.v1.PlanService/Import plan/xiangxi2018" "$audit"
contains "/planwatch.v1.SheetService/Import sheet/department" "$audit"

server_down_intact
e2e_finish
