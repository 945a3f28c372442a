#!/usr/bin/env bash
# The demo's pipeline (scripts/demo.d) on a fresh server: the seed-000 plan,
# a year of reports for every unit, the office's outputs.  The year-end
# rankings must agree with the story push_reports.py tells: the never-late,
# on-target unit of each category ranks first; the laggards are criticised;
# December's late report and the quality leads show in the dispatch summary.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-01-02T09:00:00+08:00
export PLANWATCH_DEMO_BIN=$BIN PLANWATCH_DEMO_OUT=$E2E_DIR
export PLANWATCH_ADMIN_USER=root PLANWATCH_ADMIN_PASSWORD=rootpass1
expect 0 "$SRC/scripts/demo.d/load_plan.sh"
contains "106 indicators" "$OUT"
expect 0 "$SRC/scripts/demo.d/push_reports.sh"
contains "fenghuang" "$OUT"
contains "late (2 days)" "$OUT"
expect 0 "$SRC/scripts/demo.d/office_outputs.sh"
for f in dispatch-2018-12.html dispatch-2018-12.csv scores-2018.html scores-2018.xlsx; do
  [ -s "$E2E_DIR/$f" ] && pass || fail "$f not written"
done
ranks=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
r=d["rankings"]
for cat in ("county","department"):
    c=[u for u in r if u["category"]==cat]
    print(cat+"-first="+min(c,key=lambda u:u["rank"])["unit"])
    print(cat+"-units=%d" % len(c))
for u in r:
    print(u["unit"]+"="+str(u["flag"])+"/"+u["grade"])' "$E2E_DIR/scores-2018.json")
contains "county-first=jishou" "$ranks"
contains "department-first=zhou_zhujianju" "$ranks"
contains "county-units=9" "$ranks"
contains "department-units=29" "$ranks"
contains "guzhang=criticise/unqualified" "$ranks"
contains "zhou_linyeju=criticise/unqualified" "$ranks"
contains "jishou=commend/excellent" "$ranks"
PLANWATCH_PASSWORD=office-demo-1 expect 0 pw --user office dispatch --period 2018-12 --json
echo "$OUT" > "$E2E_DIR/d.json"
d=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(u["unit"]+"="+u["status"] for u in d["units"]))
print(" ".join(sorted(set(f["unit"]+":"+f["kind"] for f in d["flags"]))))
print("overdue=%d" % sum(1 for s in d["supervision"] if s["overdue"]))' "$E2E_DIR/d.json")
contains "fenghuang=late" "$d"
contains "jishou=on_time" "$d"
contains "guzhang:stale" "$d"
contains "longshan:outlier" "$d"
contains "overdue=1" "$d"
# viewers see the published outputs
echo viewer111 | pwadmin user add leader --role viewer --password-file - >/dev/null
PLANWATCH_PASSWORD=viewer111 expect 0 pw --user leader scores --period 2018 --category county
contains "吉首市" "$OUT"
e2e_finish
