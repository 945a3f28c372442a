#!/usr/bin/env bash
# The demo's pipeline (scripts/demo.d: load_plan.sh, push_reports.sh,
# office_outputs.sh) on a fresh test server, with PLANWATCH_DEMO_OUT in the
# test's temp dir.  The year-end outputs must agree with what
# gen_reports.py generated (its facts.json):
#   - every unit appears once in the rankings of its category;
#   - the never-late, on-target units rank first of their category, alone;
#     the laggards are criticised;
#   - the timeliness and half-year items of every pushed unit equal the
#     deductions for the late/missing months and half-years it generated;
#   - `report status` of every month and the dispatch summary of 2018-12
#     show the on-time / late (days) / missing units it generated, the
#     returned report, the overdue supervision item, the laggards' red items;
#   - the files are written and the outputs are published to viewers.
# PLANWATCH_DEMO_UNITS (a list of unit ids) limits the units that report;
# by default a subset with every role of the story (the suite runs twice,
# once under ASan); set it to "all" for the whole demo.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-01-02T09:00:00+08:00
DEMO=$SRC/scripts/demo.d
# the scripts move $PLANWATCH_DEMO_OUT/clock: the file this server reads
export PLANWATCH_DEMO_BIN=$BIN PLANWATCH_DEMO_OUT=$E2E_DIR
[ "$E2E_DIR/clock" = "$CLOCK" ] || { echo "lib.sh moved the clock file"; exit 1; }
export PLANWATCH_ADMIN_USER=root PLANWATCH_ADMIN_PASSWORD=rootpass1
case ${PLANWATCH_DEMO_UNITS:-} in
  all) unset PLANWATCH_DEMO_UNITS ;;
  "") export PLANWATCH_DEMO_UNITS="jishou luxi fenghuang guzhang huayuan yongshun longshan
        zhou_zhujianju zhou_jiaotongju zhou_fagaiwei zhou_minzhengju zhou_guotuju
        zhou_zhengfuban" ;;
esac

expect 0 "$DEMO/load_plan.sh"
contains "106 indicators, 488 targets" "$OUT"
expect 0 "$DEMO/push_reports.sh"
PUSH=$OUT
contains "report status of 2018-12" "$PUSH"
contains "2018-12: " "$PUSH"
expect 0 "$DEMO/office_outputs.sh"
OFFICE=$OUT
contains "Dispatch summary 调度通报" "$OFFICE"
contains "county 县市区: 9 units" "$OFFICE"
contains "department 州直单位: 29 units" "$OFFICE"
for f in dispatch-2018-12.html dispatch-2018-12.csv scores-2018.html scores-2018.xlsx scores-2018.json; do
  [ -s "$E2E_DIR/$f" ] && pass || fail "$f not written"
  contains "$E2E_DIR/$f" "$OFFICE"
done
[ "$(head -c 2 "$E2E_DIR/scores-2018.xlsx")" = PK ] && pass || fail "scores-2018.xlsx is not a zip"
contains "<title>调度通报" "$(head -c 3000 "$E2E_DIR/dispatch-2018-12.html")"
[ -s "$E2E_DIR/gen/facts.json" ] && pass || fail "gen/facts.json not written"
# everything the scripts wrote is under PLANWATCH_DEMO_OUT, nothing under the repository's out/
not_contains "$SRC/out" "$(cat "$E2E_DIR/gen/schedule.tsv" "$E2E_DIR/push.log")"
contains "$E2E_DIR/gen/reports/" "$(head -c 100000 "$E2E_DIR/gen/schedule.tsv")"

office() { XDG_CONFIG_HOME=$E2E_DIR/sessions/office "$BIN/planwatch" "$@"; }
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
  office report status --period 2018-$m --json >"$E2E_DIR/status-2018-$m.json" \
    && pass || fail "report status 2018-$m"
done
expect 0 office dispatch --period 2018-12 --json
echo "$OUT" >"$E2E_DIR/dispatch.json"
expect 0 office report history --period 2018-03 --unit luxi --json
echo "$OUT" >"$E2E_DIR/history-luxi-2018-03.json"

# every check below prints "ok: ..." or "FAIL: ..."
python3 - "$E2E_DIR" "$DEMO" >"$E2E_DIR/checks.txt" <<'EOF'
import csv, json, os, sys
d, demo = sys.argv[1], sys.argv[2]
facts = json.load(open(os.path.join(d, "gen", "facts.json")))
scores = json.load(open(os.path.join(d, "scores-2018.json")))
disp = json.load(open(os.path.join(d, "dispatch.json")))
status = {m: json.load(open(os.path.join(d, "status-2018-%02d.json" % m))) for m in range(1, 13)}

def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)

def rows(name):
    with open(os.path.join(demo, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))

units = {r["id"]: r["category"] for r in rows("units.csv")}
sheet = {c: {r["item"]: r for r in rows("sheet-%s.csv" % c)} for c in ("county", "department")}
rk = scores["rankings"]
by = {r["unit"]: r for r in rk}
pushed = set(facts["units"])

# every unit appears once, in its category; ranks follow the scores
check(sorted(r["unit"] for r in rk) == sorted(units), "every unit appears once in the rankings")
check(all(by[u]["category"] == c for u, c in units.items() if u in by), "categories of the rankings")
for cat in ("county", "department"):
    c = sorted((r for r in rk if r["category"] == cat), key=lambda r: r["rank"])
    check(all(a["score"] >= b["score"] for a, b in zip(c, c[1:])), cat + ": ranks follow the scores")

# the stars: first of their category, alone
check(len(facts["stars"]) >= 1, "the story has a never-late, on-target unit")
for s in facts["stars"]:
    r = by[s]
    others = [x for x in rk if x["category"] == r["category"] and x["unit"] != s]
    check(r["rank"] == 1 and all(x["score"] < r["score"] for x in others),
          "%s ranks first of the %s units alone (%.2f)" % (s, r["category"], r["score"]))
    check(r["flag"] == "commend" and r["grade"] == "excellent", s + " is commended, excellent")
    wp = [i for i in r["items"] if sheet[r["category"]][str(i["item"])]["kind"] == "work_performance"]
    check(len(wp) == 1 and abs(wp[0]["points"] - wp[0]["max"]) < 1e-9, s + " has full work points")
    late = [m for m, st in facts["months"].items() if s in st["late"] or s in st["missing"]]
    check(not late, s + " is never late nor missing")

# the laggards: criticised, unqualified, red items in December
check(len(facts["laggards"]) >= 2, "the story has laggards")
red_units = {x["unit"] for x in disp["red_items"]}
for u in facts["laggards"]:
    check(by[u]["flag"] == "criticise", u + " (laggard) is criticised")
    check(by[u]["grade"] == "unqualified", u + " (laggard) is unqualified")
    check(u in red_units, u + " (laggard) has red items in the dispatch of 2018-12")

# the timeliness items equal the generated late/missing months and half-years
def item(r, kind):
    its = [i for i in r["items"] if sheet[r["category"]][str(i["item"])]["kind"] == kind]
    return its[0], dict(kv.split("=") for kv in sheet[r["category"]][str(its[0]["item"])]["params"].split(";"))
bad = []
for u in sorted(pushed):
    r = by[u]
    it, p = item(r, "monthly_timeliness")
    n = sum(1 for st in facts["months"].values() if u in st["late"] or u in st["missing"])
    want = max(0.0, it["max"] - float(p["deduct"]) * n)
    if abs(it["points"] - want) > 1e-9:
        bad.append("%s monthly %.2f != %.2f" % (u, it["points"], want))
    it, p = item(r, "halfyear_reports")
    n = sum(1 for h in facts["halfyear"].values() if u in h["late"] or u in h["missing"])
    want = max(0.0, it["max"] - float(p["deduct"]) * n)
    if abs(it["points"] - want) > 1e-9:
        bad.append("%s half-year %.2f != %.2f" % (u, it["points"], want))
check(not bad, "timeliness and half-year items agree with the generated reports %s" % bad)
check(any(h["late"] for h in facts["halfyear"].values()), "a half-year report was late")

# report status of every month: on time / late (days) / missing as generated
bad = []
for m in range(1, 13):
    p = "2018-%02d" % m
    got = {x["unit"]: x for x in status[m]["units"]}
    st = facts["months"][p]
    for u in st["on_time"]:
        if got[u]["status"] != "on_time":
            bad.append("%s %s %s" % (p, u, got[u]["status"]))
    for u, days in st["late"].items():
        if (got[u]["status"], got[u]["days_late"]) != ("late", days):
            bad.append("%s %s %s/%s, wanted late/%d" % (p, u, got[u]["status"], got[u]["days_late"], days))
    for u in st["missing"]:
        if got[u]["status"] != "missing":
            bad.append("%s %s %s, wanted missing" % (p, u, got[u]["status"]))
    for u in facts["idle_units"]:
        if got[u]["status"] != "not_expected":
            bad.append("%s %s %s, wanted not_expected" % (p, u, got[u]["status"]))
check(not bad, "report status of every month agrees with the generated reports %s" % bad[:5])
# the holiday extension: April's deadline moved to 8 May, shown in status
for p, ext in facts["extended"].items():
    m = int(p[5:])
    check(status[m].get("extended_to") == ext["until"] and
          status[m].get("extension_reason") == ext["reason"],
          "report status of %s shows the extension to %s" % (p, ext["until"]))

# the dispatch summary of 2018-12: the late and missing units generated
dec = facts["months"]["2018-12"]
got = {x["unit"]: x for x in disp["units"]}
check(len(dec["late"]) >= 1 and len(dec["missing"]) >= 1, "December has late and missing units")
for u, days in dec["late"].items():
    check(got[u]["status"] == "late" and got[u]["days_late"] == days,
          "dispatch 2018-12: %s late by %d days" % (u, days))
for u in dec["missing"]:
    check(got[u]["status"] == "missing", "dispatch 2018-12: %s missing" % u)
check(sorted(u for u, x in got.items() if x["status"] == "on_time") == sorted(dec["on_time"]),
      "dispatch 2018-12: exactly the generated on-time units")
for u, ret in facts["returned"].items():
    if ret["period"] == "2018-12" and not ret["corrected"]:
        check(got[u]["review_state"] == "returned", "dispatch 2018-12: %s's report returned" % u)
overdue = [x for x in disp["supervision"] if x["overdue"]]
check(sorted(x["unit"] for x in overdue) == sorted(i["unit"] for i in facts["overdue_items"]),
      "dispatch 2018-12: the overdue supervision items %s" % [x["unit"] for x in overdue])
check(sorted(x["unit"] for x in disp["supervision"] if not x["overdue"])
      == sorted(i["unit"] for i in facts["open_items"]), "dispatch 2018-12: the open items")

# findings: the falsification and the bonus show in the rankings
for f in facts["findings"]:
    r, a = by[f["unit"]], f["args"]
    if a[0] == "--falsification":
        check(r["falsification_points"] == 10, f["unit"] + " has its falsification (-10)")
    if a[0] == "--bonus":
        check(r["bonus"] == float(a[1]), f["unit"] + " has its bonus")
    if a[0] == "--penalty":
        check(r["penalty"] == float(a[1]), f["unit"] + " has its penalty")

# the amendment: two versions, the typo fixed
if "amended" in facts:
    h = json.load(open(os.path.join(d, "history-luxi-2018-03.json")))
    vs = h.get("versions", [])
    a = facts["amended"]
    check(len(vs) == 2, "luxi 2018-03 has 2 versions (%d)" % len(vs))
    fix = "%s: %s -> %s" % (a["indicator"], a["from"], a["to"])
    check(len(vs) == 2 and fix in vs[1]["changes"], "luxi's amendment shows '%s'" % fix)
EOF
while IFS= read -r line; do
  case $line in
    ok:*) pass ;;
    *) fail "${line#FAIL: }" ;;
  esac
done <"$E2E_DIR/checks.txt"
grep -c "^ok:" "$E2E_DIR/checks.txt" | sed 's/$/ consistency checks passed/'

# published: a viewer reads the rankings and the December summary
echo viewer111 | pwadmin user add leader --role viewer --password-file - >/dev/null
PLANWATCH_PASSWORD=viewer111 expect 0 pw --user leader scores --period 2018 --category county
contains "吉首市" "$OUT"
PLANWATCH_PASSWORD=viewer111 expect 0 pw --user leader dispatch --period 2018-12
contains "published" "$OUT"
e2e_finish
