#!/usr/bin/env python3
"""Build the demo plan CSVs (scripts/demo.d/*.csv) from the structured
extracts of seed 000 (the Xiangxi 2018-2020 urbanisation plan).

    python3 scripts/demo.d/make_demo_plan.py [--data DIR] [--out DIR]

--data defaults to ../shared/data next to the repository (or
/work/shared/data); --out to this script's directory.  The generated files
are committed: CI has no access to the extracts.  README.md next to this
script explains every mapping choice made here.
"""
import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

COUNTIES = ["jishou", "luxi", "fenghuang", "guzhang", "huayuan", "baojing", "yongshun",
            "longshan"]
ZONE = "xxjkq"
COLLECTIVE_COUNTIES = "county_govts"  # 县市人民政府: expanded when it leads

# Units of measure that are rates or ratios: the reported value is the current level.
LEVEL_UOMS = {"%", "公里/平方公里", "座/千人", "平方米/人"}
# Stocks rather than flows, although counted in plain units.
LEVEL_INDICATORS = {
    "I42": "中国传统村落数量 is a number of listed villages held, not added",
    "I57": "craftsmen per village is a ratio",
    "I66": "耕地保有量 is the farmland held",
}

INDICATOR_COLS = ["indicator_id", "level1", "level2", "level3", "unit_of_measure", "kind",
                  "direction", "lead_units", "coop_units"]
TARGET_COLS = ["indicator_id", "year", "unit", "target", "baseline"]
SHEET_COLS = ["item", "group", "content", "max_points", "kind", "params"]

# Score sheet items -> SPEC 3.5 kinds.  (category, item) -> (kind, params)
SHEET_KINDS = {
    # 附件2, counties
    ("county", "1"): ("per_event", "deduct=1"),         # each missing 分管领导/分工: -1
    ("county", "2"): ("per_event", "deduct=0.5"),       # each missing meeting: -0.5
    ("county", "3"): ("all_or_nothing", ""),            # work conference held or not
    ("county", "4"): ("per_event", "deduct=0.5"),       # each late paper / absence: -0.5
    ("county", "5"): ("all_or_nothing", ""),            # >= 5万元 budget or nothing
    ("county", "6"): ("all_or_nothing", ""),            # in the performance assessment or not
    ("county", "7"): ("monthly_timeliness", "deduct=0.5"),
    ("county", "8"): ("halfyear_reports", "deduct=2"),
    ("county", "10"): ("work_performance", ""),
    ("county", "11"): ("per_event", "deduct=1"),        # each missing campaign: -1
    ("county", "12"): ("per_event", "deduct=0.5"),      # each missing article: -0.5
    # 附件3, departments
    ("department", "1"): ("per_event", "deduct=1"),
    ("department", "2"): ("per_event", "deduct=0.5"),
    ("department", "3"): ("per_event", "deduct=0.5"),   # each missing element: -0.5
    ("department", "4"): ("per_event", "deduct=0.5"),
    ("department", "5"): ("per_amount", "per=1000;award=0.5;cap=4"),  # 万元
    ("department", "6"): ("work_performance", ""),
    ("department", "7"): ("manual", ""),                # mixed rule: the office judges
    ("department", "8"): ("monthly_timeliness", "deduct=0.5"),
    ("department", "9"): ("halfyear_reports", "deduct=1"),
    ("department", "10"): ("per_event", "deduct=1"),    # each missing visit: -1
    ("department", "11"): ("per_event", "deduct=1"),    # each missing campaign: -1
}


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path, cols, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)


def kind_of(ind_id, uom, direction):
    if direction == "qual":
        return "milestone"
    if uom in LEVEL_UOMS or ind_id in LEVEL_INDICATORS:
        return "level"
    return "cumulative"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = os.path.normpath(os.path.join(HERE, "../../../shared/data"))
    if not os.path.isdir(default_data):
        default_data = "/work/shared/data"
    ap.add_argument("--data", default=default_data)
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()

    units = {u["id"]: u for u in read(os.path.join(args.data, "units.csv"))}
    indicators = read(os.path.join(args.data, "indicators.csv"))
    measures = {m["measure_id"]: m for m in read(os.path.join(args.data, "indicator_measures.csv"))}
    county_targets = read(os.path.join(args.data, "county_targets_2018.csv"))
    assert len(indicators) == 83, len(indicators)

    def real(uid):
        return units[uid]["category"] in ("county", "zone", "department")

    def leads_of(ind):
        out = []
        for uid in ind["lead_units"].split(";"):
            if uid == COLLECTIVE_COUNTIES:
                out += COUNTIES + [ZONE]
            elif real(uid):
                out.append(uid)
        return list(dict.fromkeys(out))

    def coops_of(ind, leads):
        out = [u for u in ind["coop_units"].split(";") if u and real(u) and u not in leads]
        return list(dict.fromkeys(out))

    # per-unit targets: measure M1 keeps the indicator id, other measures
    # become indicators of their own ("I21.M2"), placed after their parent
    extra = {}  # indicator id -> [measure ids] in measure order
    for t in county_targets:
        mid = t["measure_id"]
        assert mid.startswith(t["indicator_id"] + ".M"), mid
        if not mid.endswith(".M1"):
            extra.setdefault(t["indicator_id"], [])
            if mid not in extra[t["indicator_id"]]:
                extra[t["indicator_id"]].append(mid)
    for v in extra.values():
        v.sort(key=lambda m: int(m.split(".M")[1]))

    ind_rows, tgt_rows, used_units = [], [], set()
    for ind in indicators:
        leads = leads_of(ind)
        coops = coops_of(ind, leads)
        used_units.update(leads, coops)
        direction = "up" if ind["direction"] == "qual" else ind["direction"]
        kind = kind_of(ind["id"], ind["unit_of_measure"], ind["direction"])
        uom = "" if ind["unit_of_measure"] == "none" else ind["unit_of_measure"]
        level3 = ind["level3_short_zh"]
        if ind["id"] in extra:  # say which of its measures the indicator itself carries
            level3 += ": " + measures[ind["id"] + ".M1"]["measure_zh"]
        ind_rows.append([ind["id"], ind["level1_zh"], ind["level2_zh"], level3,
                         uom, kind, direction, ";".join(leads), ";".join(coops)])
        if kind == "milestone":
            tgt_rows.append([ind["id"], "2018", "", "1", ""])
        elif ind["target_2018"]:
            tgt_rows.append([ind["id"], "2018", "", ind["target_2018"], ""])
        for mid in extra.get(ind["id"], []):
            m = measures[mid]
            mdir = "up" if m["direction"] == "qual" else m["direction"]
            name = m["measure_zh"].replace("(全州)", "")  # counties report their own share
            ind_rows.append([mid, ind["level1_zh"], ind["level2_zh"], name,
                             m["unit_of_measure"], kind_of(mid, m["unit_of_measure"],
                                                           m["direction"]),
                             mdir, ";".join(leads), ";".join(coops)])
            if m["target_2018"]:
                tgt_rows.append([mid, "2018", "", m["target_2018"], ""])

    known = {r[0] for r in ind_rows}
    seen = set()
    for t in county_targets:
        mid = t["measure_id"]
        iid = t["indicator_id"] if mid.endswith(".M1") else mid
        assert iid in known, iid
        assert t["unit_id"] in COUNTIES + [ZONE], t["unit_id"]
        assert (iid, t["unit_id"]) not in seen, (iid, t["unit_id"])
        seen.add((iid, t["unit_id"]))
        float(t["target_2018"])
        tgt_rows.append([iid, "2018", t["unit_id"], t["target_2018"], ""])
    # per-unit rows after the plan-wide row of their indicator, in plan order
    order = {r[0]: i for i, r in enumerate(ind_rows)}
    tgt_rows.sort(key=lambda r: (order[r[0]], r[2] != "", (COUNTIES + [ZONE]).index(r[2])
                                 if r[2] else 0))

    unit_rows = [[u, units[u]["name_zh"], "county"] for u in COUNTIES + [ZONE]]
    for uid, u in units.items():
        if u["category"] == "department" and uid in used_units:
            assert "," not in u["name_zh"] and '"' not in u["name_zh"], uid
            unit_rows.append([uid, u["name_zh"], "department"])

    write(os.path.join(args.out, "units.csv"), ["id", "name", "category"], unit_rows)
    write(os.path.join(args.out, "indicators.csv"), INDICATOR_COLS, ind_rows)
    write(os.path.join(args.out, "targets.csv"), TARGET_COLS, tgt_rows)

    for category, src in (("county", "scoring_county.csv"),
                          ("department", "scoring_department.csv")):
        rows, total = [], 0.0
        for it in read(os.path.join(args.data, src)):
            if not it["max_points"]:  # the -10 falsification rule is outside the items
                continue
            kind, params = SHEET_KINDS[(category, it["item_no"])]
            total += float(it["max_points"])
            rows.append([it["item_no"], it["group_zh"], it["content_short_zh"],
                         it["max_points"], kind, params])
        assert abs(total - 100) < 1e-9, (category, total)
        write(os.path.join(args.out, "sheet-%s.csv" % category), SHEET_COLS, rows)

    print("units %d (departments %d), indicators %d, targets %d (per-unit %d)"
          % (len(unit_rows), len(unit_rows) - 9, len(ind_rows), len(tgt_rows),
             len(county_targets)), file=sys.stderr)


if __name__ == "__main__":
    main()
