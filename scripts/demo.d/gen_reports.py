#!/usr/bin/env python3
"""Generate a year (2018) of demo reports for the demo plan, and the schedule
that push_reports.sh replays through the real CLIs.

Input: one report template per unit (what `planwatch report template
--period 2018-01` printed for that unit's reporter: its indicators and 2018
targets) in TEMPLATES/<unit>.csv, and the plan's indicators.csv (for the
kind and direction of each indicator).

Output, in OUT/:
  reports/<unit>-<period>[-vN].csv   report CSVs in the template's format
  halfyear/<unit>-<2018-Hn>.md       half-year supervision reports
  schedule.tsv                       one action a line, in time order:
      TIME \t ACTOR \t LABEL \t planwatch ARGS... (tab separated)
    ACTOR is `office` or a unit id (its reporter), or `say` (print ARGS);
    LABEL (not `-`) names the supervision item the line opens; an argument
    `@LABEL` is that item's id.  An argument `-` is the empty string.
  facts.json                         what was generated, for the checks of
                                     tests/e2e/test_demo.sh

Who does what (the roles below; a unit left out by --units simply drops
its role):
  - jishou (county) and zhou_zhujianju (department): never late, always on
    (or ahead of) the linear track, every target met in December; a bonus
    (jishou) and funds raised (zhou_zhujianju): first of their category.
  - guzhang, huayuan (counties), zhou_jiaotongju (department): laggards,
    values well behind; guzhang also has a falsification finding and no H1
    report, zhou_jiaotongju a penalty for its overdue supervision item.
  - late now and then: LATE below (days after the 5th); missing: MISSING.
  - the May Day holiday: on 1 May the office extends the April deadline to
    8 May (EXTEND); zhou_fagaiwei (6 May) and zhou_tongjiju (7 May) are on
    time by it, baojing (9 May) is still 1 day late.
  - yongshun sends its H2 report late.
  - luxi amends its March report (a typo fixed the same day); the office
    returns zhou_guotuju's November report (corrected, sent again,
    accepted) and fenghuang's December report (left waiting).
  - the office locks each month from January to November on the 20th of
    the month after.
  - supervision items: two closed, one answered but left overdue, one open.
Values are deterministic: each unit has its own random generator seeded by
its id, so a subset of units gets the same values as the full run.
"""
import argparse
import csv
import json
import math
import os
import random
import sys

YEAR = 2018
STARS = ["jishou", "zhou_zhujianju"]
LAGGARDS = ["guzhang", "huayuan", "zhou_jiaotongju"]
# unit -> {month: days after the 5th (late only past an extended deadline)}
LATE = {
    "yongshun": {3: 2, 8: 3, 12: 1},
    "zhou_fagaiwei": {4: 1, 12: 4},
    "baojing": {4: 4, 6: 2},
    "zhou_tongjiju": {4: 2, 7: 1},
    "guzhang": {5: 3, 9: 1, 11: 6},
    "huayuan": {12: 2},
    "zhou_jiaotongju": {2: 1},
}
# holiday extensions (SPEC 3.3): month -> (new deadline day of the next month,
# reason); the office sets it before the holiday.  The April report is due on
# 5 May, inside the May Day holiday: reports of 6-8 May are on time.
EXTEND = {4: (8, "五一假期顺延")}
MISSING = {"longshan": {2, 12}, "zhou_minzhengju": {10, 11}}
H1_MISSING = {"guzhang"}
H2_LATE = {"yongshun": "2019-01-03T16:20:00+08:00"}
AMEND = ("luxi", 3)
RETURNS = [  # unit, month, reason, corrected and sent again?
    ("zhou_guotuju", 11, "I66.M3 新增储备土地面积与土地储备台账不符，请核实后重报", True),
    ("fenghuang", 12, "I62 易地扶贫搬迁人数与扶贫部门数据不一致，请核实", False),
]
END = "2019-01-10T09:00:00+08:00"

INTEGER_UOM = {"套", "个", "户", "人", "人次", "所", "栋", "家", "处", "项", "座", "名",
               "个(村)", "篇", "次", "场"}


def period(m):
    return "%d-%02d" % (YEAR, m)


def at(year, month, day, hour, minute=0):
    if month > 12:
        year, month = year + 1, month - 12
    return "%04d-%02d-%02dT%02d:%02d:00+08:00" % (year, month, day, hour, minute)


# the report template's Chinese headers (SPEC 4.3) by their English names
TEMPLATE_COLS = {"指标编号": "indicator_id", "指标名称": "indicator", "计量单位": "unit_of_measure",
                 "目标": "target", "本月值": "value", "说明": "note"}


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [{TEMPLATE_COLS.get(k, k): v for k, v in r.items()} for r in csv.DictReader(f)]


def fmt(v, integer):
    if integer:
        return str(int(v))
    s = "%.2f" % v
    return s.rstrip("0").rstrip(".") if "." in s else s


def quantize(v, integer, up):
    """Round to the indicator's precision; `up` rounds up (never below the track)."""
    scale = 1 if integer else 100
    x = v * scale
    x = math.ceil(x - 1e-9) if up else math.floor(x + 0.5)
    return x / scale


class Unit:
    def __init__(self, uid, rows, kinds):
        self.id = uid
        self.rng = random.Random("planwatch-demo-" + uid)
        self.role = "star" if uid in STARS else "laggard" if uid in LAGGARDS else "normal"
        self.items = []
        for r in rows:
            iid = r["indicator_id"]
            kind, direction = kinds.get(iid, ("cumulative", "up"))
            if r["note"].startswith(("not_started", "未启动")):
                kind = "milestone"
            self.items.append(self.plan_item(iid, r, kind, direction))

    def plan_item(self, iid, r, kind, direction):
        rng = self.rng
        target = float(r["target"])
        uom = r["unit_of_measure"]
        it = {"id": iid, "name": r["indicator"], "kind": kind, "direction": direction,
              "target": target, "uom": uom,
              "integer": uom in INTEGER_UOM and target == int(target)}
        if kind == "milestone":
            if self.role == "star":
                it["start"], it["done"] = 1, 6
            elif self.role == "laggard":
                it["start"], it["done"] = rng.choice([(8, 99), (10, 99), (99, 99), (6, 12)])
            else:
                it["start"], it["done"] = rng.randint(1, 3), rng.randint(5, 11)
        elif kind == "cumulative":
            if self.role == "star":  # on or a little ahead of the track
                it["pace"], it["curve"] = 1.0, 1.0
                it["ahead"] = [rng.uniform(0.0, 0.05) * (12 - m) / 11 for m in range(1, 13)]
            elif self.role == "laggard":
                it["pace"], it["curve"] = rng.uniform(0.25, 0.5), rng.uniform(1.2, 1.8)
            else:
                it["pace"], it["curve"] = rng.uniform(0.86, 1.08), rng.uniform(0.8, 1.4)
        else:  # level: the share of the target reached, from `s` in January to `e` in December
            if self.role == "star":
                it["s"], it["e"] = 0.92, 1.0
            elif self.role == "laggard":
                it["s"] = rng.uniform(0.4, 0.55)
                it["e"] = it["s"] + rng.uniform(0.02, 0.08)
            else:
                it["s"], it["e"] = rng.uniform(0.84, 0.95), rng.uniform(0.93, 1.02)
        return it

    def value(self, it, m):
        """The value reported for month m (year to date, current level or milestone state)."""
        if it["kind"] == "milestone":
            return "done" if m >= it["done"] else "in_progress" if m >= it["start"] else "not_started"
        t, integer, star = it["target"], it["integer"], self.role == "star"
        if it["kind"] == "cumulative":
            share = it["pace"] * (m / 12.0) ** it["curve"]
            if star:
                share = min(1.0, share * (1 + it["ahead"][m - 1]))
            v = t if star and m == 12 else quantize(t * share, integer, star)
            if m > 1:
                v = max(v, float(self.value(it, m - 1)))
            return fmt(v, integer)
        q = it["s"] + (it["e"] - it["s"]) * m / 12.0
        if it["direction"] == "down":
            v = quantize(t / q, integer, False) if not star else math.floor(t / q * 100) / 100
        else:
            v = quantize(t * q, integer, star)
        if it["uom"] == "%":
            v = min(v, 100.0)
        return fmt(v, integer)

    def narrative(self, m):
        behind = [it for it in self.items if self.is_behind(it, m)]
        done = len(self.items) - len(behind)
        progress = "%d年%d月：%d项指标中%d项达到序时进度。" % (YEAR, m, len(self.items), done)
        if not behind:
            return progress, "-", "保持进度，做好年度目标任务收尾。" if m >= 10 else "按计划推进各项任务。"
        causes = ["项目资金未及时到位", "征地拆迁难度大", "部分项目前期手续未完成",
                  "施工队伍力量不足", "雨季影响施工"]
        problems = "%d项指标滞后于序时进度，主要是%s。" % (len(behind), causes[(len(self.id) + m) % 5])
        return progress, problems, "召开专题调度会，倒排工期，加快滞后项目进度。"

    def is_behind(self, it, m):
        v = self.value(it, m)
        if it["kind"] == "milestone":
            return {"done": 1, "in_progress": 0.5}.get(v, 0) < m / 12.0
        x, t = float(v), it["target"]
        p = (t / x if x else 1) if it["direction"] == "down" else x / t
        return min(p, 1) < 0.8 * m / 12.0


def write_report(path, unit, m, override=None):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator_id", "indicator", "unit_of_measure", "target", "value", "note"])
        for it in unit.items:
            v, note = unit.value(it, m), ""
            if override and it["id"] in override:
                v, note = override[it["id"]]
            w.writerow([it["id"], it["name"], it["uom"], fmt(it["target"], it["integer"]), v, note])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--templates", required=True)
    ap.add_argument("--indicators", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--units", required=True, help="comma or space separated unit ids")
    a = ap.parse_args()

    kinds = {r["indicator_id"]: (r["kind"], r["direction"]) for r in read_csv(a.indicators)}
    wanted = [u for u in a.units.replace(",", " ").split() if u]
    units = []
    for uid in wanted:
        rows = read_csv(os.path.join(a.templates, uid + ".csv"))
        if rows:  # a unit with no indicators for 2018 reports nothing
            units.append(Unit(uid, rows, kinds))
    byid = {u.id: u for u in units}
    for d in ("reports", "halfyear"):
        os.makedirs(os.path.join(a.out, d), exist_ok=True)

    ev = []  # (time, seq, actor, label, args)

    def add(time, actor, args, label="-"):
        ev.append((time, len(ev), actor, label, [x if x != "" else "-" for x in args]))

    facts = {"stars": [u for u in STARS if u in byid],
             "laggards": [u for u in LAGGARDS if u in byid],
             "units": [u.id for u in units], "idle_units": [u for u in wanted if u not in byid],
             "months": {}, "halfyear": {}, "returned": {}, "overdue_items": [], "open_items": []}

    facts["extended"] = {}
    for m, (day, reason) in sorted(EXTEND.items()):
        until = at(YEAR, m + 1, day, 0)[:10]
        add(at(YEAR, m + 1, 1, 9) if m < 12 else at(YEAR, 12, 28, 9), "office",
            ["period", "deadline", period(m), "--until", until, "--reason", reason])
        facts["extended"][period(m)] = {"until": until, "reason": reason}

    for m in range(1, 13):
        p = period(m)
        st = {"on_time": [], "late": {}, "missing": []}
        due_day = EXTEND.get(m, (5, ""))[0]
        for u in units:
            if m in MISSING.get(u.id, ()):
                st["missing"].append(u.id)
                continue
            late = LATE.get(u.id, {}).get(m)
            if u.role == "star":
                when = at(YEAR, m + 1, 3, 9, 30)
            elif late:
                # days after the 5th; late only when after the (extended) due day
                when = at(YEAR, m + 1, 5 + late, u.rng.randint(9, 17), u.rng.randint(0, 59))
                late = max(0, 5 + late - due_day)
                if late:
                    st["late"][u.id] = late
            else:
                when = at(YEAR, m + 1, u.rng.randint(1, 5), u.rng.randint(8, 17), u.rng.randint(0, 59))
            if not late:
                st["on_time"].append(u.id)
            progress, problems, nxt = u.narrative(m)
            f = os.path.join(a.out, "reports", "%s-%s.csv" % (u.id, p))
            sid = "demo-%s-%s" % (u.id, p)
            if (u.id, m) == AMEND:
                # the first version has a typo in a level indicator; the
                # amendment two hours later fixes it
                lv = next((it for it in u.items if it["kind"] == "level" and it["uom"] == "%"), None)
                if lv:
                    good = u.value(lv, m)
                    bad = fmt(float(good) * 0.6, False)
                    write_report(f, u, m, {lv["id"]: (bad, "")})
                    add(when, u.id, ["report", "submit", "--period", p, f, "--id", sid + "-v1",
                                     "--progress", progress, "--problems", problems, "--next", nxt])
                    f2 = os.path.join(a.out, "reports", "%s-%s-v2.csv" % (u.id, p))
                    write_report(f2, u, m, {lv["id"]: (good, "更正：%s 误填为 %s" % (lv["id"], bad))})
                    add(when[:11] + "%02d" % (int(when[11:13]) + 2) + when[13:], u.id,
                        ["report", "submit", "--period", p, f2, "--id", sid + "-v2",
                         "--progress", progress, "--problems", problems, "--next", nxt])
                    facts["amended"] = {"unit": u.id, "period": p, "indicator": lv["id"],
                                        "from": bad, "to": good}
                    continue
            write_report(f, u, m)
            add(when, u.id, ["report", "submit", "--period", p, f, "--id", sid,
                             "--progress", progress, "--problems", problems, "--next", nxt])
        facts["months"][p] = st
        add(at(YEAR, m + 1, 1, 0, 0), "say",
            ["%s: %d reports, %d on time, %d late (%s), %d missing (%s)" % (
                p, len(st["on_time"]) + len(st["late"]), len(st["on_time"]), len(st["late"]),
                " ".join("%s+%dd" % kv for kv in sorted(st["late"].items())) or "-",
                len(st["missing"]), " ".join(st["missing"]) or "-")])

    # the office locks each reviewed month (January..November) on the 20th
    for m in range(1, 12):
        add(at(YEAR, m + 1, 20, 17), "office", ["period", "lock", period(m)])
    facts["locked"] = [period(m) for m in range(1, 12)]

    # returned reports: the office returns them the day after their deadline
    for uid, m, reason, again in RETURNS:
        u = byid.get(uid)
        if not u or m in MISSING.get(uid, ()):
            continue
        p = period(m)
        add(at(YEAR, m + 1, 7, 10), "office",
            ["report", "return", "--period", p, "--unit", uid, "--reason", reason])
        facts["returned"][uid] = {"period": p, "reason": reason, "corrected": again}
        if again:
            add(at(YEAR, m + 1, 9, 10), "office",
                ["report", "accept", "--period", p, "--unit", uid])
            f = os.path.join(a.out, "reports", "%s-%s-v2.csv" % (uid, p))
            write_report(f, u, m, {})
            progress, problems, nxt = u.narrative(m)
            add(at(YEAR, m + 1, 8, 15), uid,
                ["report", "submit", "--period", p, f, "--id", "demo-%s-%s-v2" % (uid, p),
                 "--progress", progress + "（已按审核意见核实更正）", "--problems", problems,
                 "--next", nxt])

    # half-year supervision reports
    for h, month, last in (("H1", 6, 30), ("H2", 12, 31)):
        hp = "%d-%s" % (YEAR, h)
        got = {"on_time": [], "late": [], "missing": []}
        for u in units:
            if h == "H1" and u.id in H1_MISSING:
                got["missing"].append(u.id)
                continue
            if h == "H2" and u.id in H2_LATE:
                when = H2_LATE[u.id]
                got["late"].append(u.id)
            else:
                when = at(YEAR, month, u.rng.randint(18, last), u.rng.randint(9, 17))
                got["on_time"].append(u.id)
            f = os.path.join(a.out, "halfyear", "%s-%s.md" % (u.id, hp))
            with open(f, "w", encoding="utf-8") as fh:
                fh.write("# %s %s 半年督查报告\n\n%s\n" % (u.id, hp, u.narrative(month)[0]))
            add(when, u.id, ["halfyear", "submit", "--period", hp, f, "--id",
                             "demo-%s-%s" % (u.id, hp)])
        facts["halfyear"][hp] = got

    # supervision items: open, answer, close; one left overdue, one open
    items = [
        ("guzhang", "s1", "棚户区改造项目开工滞后，限期整改", (3, 12), "2018-04-30",
         ((4, 20), "已召开专题会，3个项目全部开工"), (5, 8)),
        ("huayuan", "s2", "农村危房改造进度滞后于序时进度", (7, 10), "2018-09-30",
         ((9, 18), "增派施工队伍，已完成年度任务的70%"), (10, 9)),
        ("zhou_jiaotongju", "s3", "牵头指标严重滞后，限期提交整改方案", (10, 12), "2018-11-30",
         ((11, 22), "整改方案已起草，待局党组会审定"), None),
        ("yongshun", "s4", "半年督查通报反映的集镇环境整治问题", (12, 14), "2019-01-31",
         None, None),
    ]
    for uid, label, text, opened, deadline, answer, closed in items:
        if uid not in byid:
            continue
        add(at(YEAR, opened[0], opened[1], 11), "office",
            ["supervise", "open", "--unit", uid, "--deadline", deadline, text], label)
        if answer:
            add(at(YEAR, answer[0][0], answer[0][1], 15), uid, ["supervise", "answer", "@" + label,
                                                             answer[1]])
        if closed:
            add(at(YEAR, closed[0], closed[1], 10), "office",
                ["supervise", "close", "@" + label, "--note", "已整改到位，销号"])
        elif deadline < "2019-01-10":
            facts["overdue_items"].append({"unit": uid, "text": text, "deadline": deadline})
        else:
            facts["open_items"].append({"unit": uid, "text": text, "deadline": deadline})

    # the office's findings for 2018
    findings = [
        ("guzhang", ["--falsification", "--note", "3月调度表棚户区改造套数虚报（台账核查）"]),
        ("jishou", ["--bonus", "2", "--note", "获评全省推进新型城镇化工作先进县市"]),
        ("huayuan", ["--item", "4", "--count", "1", "--note", "未参加二季度调度会"]),
        ("baojing", ["--item", "11", "--count", "1", "--note", "全年仅开展1次专题宣传活动"]),
        ("zhou_zhujianju", ["--item", "5", "--amount", "8000",
                            "--note", "争取中央保障性安居工程资金8000万元"]),
        ("zhou_caizhengju", ["--item", "5", "--amount", "4200",
                             "--note", "争取省级新型城镇化专项资金4200万元"]),
        ("zhou_fagaiwei", ["--item", "5", "--amount", "3000",
                           "--note", "争取中央预算内新型城镇化建设资金3000万元"]),
        ("zhou_guotuju", ["--item", "7", "--points", "1.5",
                          "--note", "项目资金整合到位，审批服务优化尚有不足"]),
        ("renhang_xiangxi", ["--item", "10", "--count", "1", "--note", "全年未深入县市区调研指导"]),
        ("zhou_jiaotongju", ["--penalty", "3", "--note", "督办事项逾期未整改"]),
    ]
    facts["findings"] = []
    for i, (uid, args) in enumerate(findings):
        if uid in byid:
            add(at(YEAR + 1, 1, 8, 9, i), "office",
                ["finding", "add", "--unit", uid, "--year", str(YEAR)] + args)
            facts["findings"].append({"unit": uid, "args": args})

    add(END, "say", ["year end: the clock stands at " + END])
    ev.sort(key=lambda e: (e[0], e[1]))
    with open(os.path.join(a.out, "schedule.tsv"), "w", encoding="utf-8") as f:
        for time, _, actor, label, args in ev:
            for x in args:
                assert "\t" not in x and "\n" not in x, x
            f.write("\t".join([time, actor, label] + args) + "\n")
    facts["end"] = END
    with open(os.path.join(a.out, "facts.json"), "w", encoding="utf-8") as f:
        json.dump(facts, f, ensure_ascii=False, indent=1)
    print("generated %d reports for %d units, %d actions" % (
        sum(1 for e in ev if e[4][:2] == ["report", "submit"]), len(units), len(ev)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
