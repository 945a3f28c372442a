#!/usr/bin/env bash
# The second demo plan (seed 002, scripts/demo.d/seed002) end to end: the
# generated CSVs import, a quarter of reports goes in through the CLIs
# (some narrative-only), and plan check, the March bulletin and the Q1
# rankings agree with what the CSV files say, computed here independently.
source "$(dirname "$0")/lib.sh"
S=$SRC/scripts/demo.d/seed002
e2e_start 2024-01-02T09:00:00+08:00
export PLANWATCH_DEMO_BIN=$BIN PLANWATCH_DEMO_OUT=$E2E_DIR
export PLANWATCH_ADMIN_USER=root PLANWATCH_ADMIN_PASSWORD=rootpass1
expect 0 "$S/run_demo_002.sh"
echo "$OUT" > "$E2E_DIR/demo002.out"
read -r n_ind n_tg n_units < <(python3 - "$S" <<'PY'
import csv, sys
d = sys.argv[1]
r = lambda f: list(csv.DictReader(open(d + "/" + f, encoding="utf-8-sig")))
print(len(r("indicators.csv")), len(r("targets.csv")), len(r("units.csv")))
PY
)
[ "$n_ind" -ge 30 ] && pass || fail "at least 30 rows: $n_ind"
contains "imported plan xiangxi2024 2024年湘西自治州落实“八大行动”总体方案: $n_ind indicators, $n_tg targets, years 2024-2024" "$OUT"
contains "units and reporters: $n_units" "$OUT"
contains "narrative-only" "$OUT"
contains "leads; left out without a value (未报送，未计入): " "$OUT"
not_contains "reports: 0 with values" "$OUT"

office() { XDG_CONFIG_HOME=$E2E_DIR/sessions/office "$BIN/planwatch" "$@"; }
expect 0 office plan check --json
python3 - "$S" "$OUT" <<'PY' && pass || fail "plan check agrees with the CSV files"
import csv, json, sys
d, got = sys.argv[1], json.loads(sys.argv[2])
ind = list(csv.DictReader(open(d + "/indicators.csv", encoding="utf-8-sig")))
units = [u["id"] for u in csv.DictReader(open(d + "/units.csv", encoding="utf-8-sig"))]
tg = list(csv.DictReader(open(d + "/targets.csv", encoding="utf-8-sig")))
judged = set(t["unit"] for t in tg if t["unit"])
for i in ind:
    for col in ("lead_units", "resp_units"):
        judged.update(u for u in i[col].split(";") if u)
want_nothing = sorted(u for u in units if u not in judged)
got_nothing = sorted(u["id"] for u in got["units_without_indicators"])
assert got_nothing == want_nothing, (got_nothing, want_nothing)
assert want_nothing, "some departments only cooperate"
want_nolead = [i["indicator_id"] for i in ind if not i["lead_units"]]
assert [i["id"] for i in got["indicators_without_lead"]] == want_nolead
PY
expect 0 office dispatch --period 2024-03 --json
echo "$OUT" > "$E2E_DIR/d.json"
python3 - "$S" "$E2E_DIR/d.json" <<'PY' && pass || fail "the March bulletin"
import csv, json, sys
d, got = sys.argv[1], json.load(open(sys.argv[2]))
ind = {i["indicator_id"]: i for i in csv.DictReader(open(d + "/indicators.csv", encoding="utf-8-sig"))}
g = {i["indicator"]: i for i in got["indicators"]}
assert set(g) == set(ind), set(ind) ^ set(g)
for k, i in ind.items():
    leads = [u for u in i["lead_units"].split(";") if u]
    assert (g[k]["light"] == "none") == (not leads), (k, g[k]["light"])
    assert sorted(g[k]["leads_reported"] + g[k]["leads_missing"]) == sorted(leads) or g[k]["aggregate"] == "first", k
# several leads with a sum: the plan-wide actual is the sum of the leads' own cells
cells = {(c["unit"], c["indicator"]): c for c in got["cells"]}
for k, i in ind.items():
    leads = [u for u in i["lead_units"].split(";") if u]
    if i["aggregate"] == "sum" and i["kind"] == "cumulative" and g[k]["leads_reported"]:
        s = sum(cells[(u, k)]["actual"] for u in g[k]["leads_reported"])
        assert abs(s - g[k]["actual"]) < 1e-6, (k, s, g[k]["actual"])
PY
expect 0 office plan check --json
echo "$OUT" > "$E2E_DIR/check.json"
expect 0 office scores --period 2024-Q1 --json
echo "$OUT" > "$E2E_DIR/s.json"
python3 - "$E2E_DIR/check.json" "$E2E_DIR/s.json" <<'PY' && pass || fail "units with nothing to be judged on get their category's mean"
import json, sys
from decimal import Decimal, ROUND_HALF_UP
nothing = {u["id"] for u in json.load(open(sys.argv[1]))["units_without_indicators"]}
d = json.load(open(sys.argv[2]))
wp = lambda r: [i["points"] for i in r["items"] if i["kind"] == "work_performance"][0]
seen = 0
for cat in ("county", "department"):
    rows = [r for r in d["rankings"] if r["category"] == cat]
    judged = [wp(r) for r in rows if r["unit"] not in nothing]
    mean = Decimal(repr(sum(judged) / len(judged))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    for r in rows:
        if r["unit"] in nothing:
            assert abs(wp(r) - float(mean)) < 1e-9, (r["unit"], wp(r), mean)
            seen += 1
assert seen == len(nothing) and seen > 0, seen
PY
u=$(python3 -c 'import json,sys; print(sorted(u["id"] for u in json.load(open(sys.argv[1]))["units_without_indicators"])[0])' "$E2E_DIR/check.json")
expect 0 office scores --period 2024-Q1 --explain "$u"
contains "nothing to be judged on in 2024: the mean of the" "$OUT"
e2e_finish
