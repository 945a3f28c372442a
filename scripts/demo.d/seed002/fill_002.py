#!/usr/bin/env python3
"""Fill one unit's report template of the seed-002 demo for month M.

    fill_002.py TEMPLATE.csv INDICATORS.csv UNIT MONTH OUT.csv

Deterministic (a hash of unit and indicator): task and milestone rows get a
state and a line of text, cumulative rows a year-to-date value that grows
month by month, thresholds a rate around their target, the band a value
around 135; about one cumulative row in five is never reported by its
unit (a lead left out of the sum, named by the bulletin).  Prints "narrative" when the unit sends a narrative-only report
this month (its rows are all states and its hash says so), else "values".
"""
import csv
import hashlib
import sys

tpl, inds, unit, month, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
kind = {r["indicator_id"]: r["kind"] for r in csv.DictReader(open(inds, encoding="utf-8-sig"))}


def frac(*k):
    return int(hashlib.sha256("/".join(map(str, k)).encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


rows = list(csv.reader(open(tpl, encoding="utf-8-sig")))
head, body = rows[0], rows[1:]
states = all(kind.get(r[0], "task") in ("task", "milestone") or r[5] for r in body)
narrative = bool(body) and states and frac(unit, "narrative", month) < 0.25
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(head)
    for r in body:
        iid, target = r[0], float(r[3] or 0)
        k = kind.get(iid, "task")
        x = frac(unit, iid)
        if narrative:
            continue
        if r[5] or k in ("task", "milestone"):  # a state (the template's hint)
            y = frac(unit, iid, month)
            st = "done" if month >= 2 and y > 0.85 else "not_started" if y < 0.15 else "in_progress"
            w.writerow([iid, "", "", "", st, "%d月：按计划推进，已完成阶段性工作" % month])
        elif k == "cumulative" and frac(unit, iid, "skip") < 0.2:
            continue  # this lead never reports this number: the bulletin leaves it out
        elif k == "cumulative":
            w.writerow([iid, "", "", "", "%.2f" % (target * month / 12 * (0.6 + 0.8 * x)), ""])
        elif k == "threshold" and abs(target - 135) < 1e-9:
            w.writerow([iid, "", "", "", "%.1f" % (128 + 14 * x), ""])
        elif k == "threshold":
            w.writerow([iid, "", "", "", "%.1f" % (target * (0.6 + 0.6 * frac(unit, iid, month))), ""])
        else:
            w.writerow([iid, "", "", "", "%.1f" % (target * (0.9 + 0.15 * x)), ""])
print("narrative" if narrative else "values")
