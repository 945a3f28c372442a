#!/usr/bin/env python3
"""Push a year (2018-01..2018-12) of monthly reports for every demo unit
through the real planwatch CLI, moving the server's clock file month by
month, with the office's reviews, locks, findings and supervision items.

Environment (set by ./scripts/demo): PLANWATCH_DEMO_BIN (build dir),
PLANWATCH_DEMO_OUT (output dir; the server reads $PLANWATCH_DEMO_OUT/clock),
PLANWATCH_SERVER.  PLANWATCH_DEMO_UNITS=N limits the demo to the first N
units of each category (tests).

The story, so that the year-end rankings can be checked:
  - jishou (county) and zhou_zhujianju (department) are never late and
    always on target: they must rank first of their category;
  - guzhang (county) and zhou_linyeju (department) lag far behind, miss
    months and are criticised; guzhang also has a falsification finding;
  - luxi is late in March (3 days) and with its first half-year report;
    fenghuang's December report arrives on 2019-01-07 (2 days late,
    across the year end); huayuan misses May and June;
  - jishou amends its March report (explained correction); the office
    returns fenghuang's April report with a reason and fenghuang amends;
  - two supervision items: one answered and closed, one left overdue;
  - leads for the data-quality flags of December: the laggards' figures
    stuck since September (stale), longshan's December jump (outlier).
"""
import csv
import io
import json
import os
import subprocess
import sys

BIN = os.environ["PLANWATCH_DEMO_BIN"]
OUT = os.environ["PLANWATCH_DEMO_OUT"]
HERE = os.path.dirname(os.path.abspath(__file__))
CLOCK = os.path.join(OUT, "clock")
LIMIT = int(os.environ.get("PLANWATCH_DEMO_UNITS", "0") or 0)

STAR = {"jishou", "zhou_zhujianju"}
LAGGARD = {"guzhang", "zhou_linyeju"}
LATE = {("luxi", 3): 3, ("fenghuang", 12): 2, ("longshan", 8): 1, ("zhou_jiaotiju", 10): 4}
MISSING = {("huayuan", 5), ("huayuan", 6), ("guzhang", 9), ("zhou_linyeju", 4),
           ("zhou_linyeju", 11)}


def set_clock(iso):
    tmp = CLOCK + ".tmp"
    with open(tmp, "w") as f:
        f.write(iso + "\n")
    os.replace(tmp, CLOCK)


def run(args, user=None, password=None, check=True, capture=True):
    env = dict(os.environ)
    if user:
        env["XDG_CONFIG_HOME"] = os.path.join(OUT, "sessions", user)
    if password:
        env["PLANWATCH_PASSWORD"] = password
    p = subprocess.run([os.path.join(BIN, "planwatch")] + args, env=env,
                       capture_output=capture, text=True)
    if check and p.returncode != 0:
        sys.stderr.write("demo: planwatch %s failed: %s\n" % (" ".join(args), p.stderr))
        sys.exit(1)
    return p


def login(user, password):
    run(["login", "--user", user], user=user, password=password)


def units():
    with open(os.path.join(HERE, "units.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if LIMIT:
        keep = []
        for cat in ("county", "department"):
            cat_rows = [r for r in rows if r["category"] == cat]
            first = [r for r in cat_rows if r["id"] in STAR | LAGGARD]
            rest = [r for r in cat_rows if r["id"] not in STAR | LAGGARD]
            keep += (first + rest)[:max(LIMIT, len(first))]
        rows = keep
    return rows


def plan_indicators():
    """Kind and direction of every indicator (as the office sees the plan)."""
    p = run(["plan", "show", "--json"], user="office")
    return {i["id"]: (i["kind"], i["direction"]) for i in json.loads(p.stdout)["indicators"]}


KINDS = {}


def template(unit):
    """The unit's indicators for 2018: (id, uom, kind, direction, target)."""
    p = run(["report", "template", "--period", "2018-01"], user=unit)
    rows = list(csv.DictReader(io.StringIO(p.stdout.lstrip("\ufeff"))))
    out = []
    for r in rows:
        kind, direction = KINDS[r["indicator_id"]]
        out.append((r["indicator_id"], r["unit_of_measure"], kind, direction,
                    float(r["target"] or 0)))
    return out


def factor(unit):
    if unit in STAR:
        return 1.04
    if unit in LAGGARD:
        return 0.45
    return 0.80 + (sum(map(ord, unit)) % 17) / 100.0   # 0.80 .. 0.96, stable per unit


def value(unit, ind, m):
    """The unit's value of indicator `ind` in month m (a string)."""
    iid, uom, kind, direction, target = ind
    f = factor(unit)
    if unit in LAGGARD and m > 9:
        m = 9   # stuck since September: a "stale" lead in the dispatch summary
    if kind == "milestone":
        if unit in STAR:
            return "done" if m >= 6 else "in_progress"
        if unit in LAGGARD:
            return "not_started" if m < 9 else "in_progress"
        return "not_started" if m < 3 else ("in_progress" if m < 11 else "done")
    if direction == "down":
        # lower is better (a ratio to bring down): start 30 % above, reach
        # target / f by December (the laggard stays far above)
        return "%.4g" % (target / f * (1.0 + 0.3 * (12 - m) / 12.0))
    if kind == "level":
        v = target * f * (0.55 + 0.45 * m / 12.0)
    else:
        v = target * f * m / 12.0
    if uom == "%":
        v = min(v, 100.0)
    return "%.4g" % v


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\ufeffindicator_id,indicator,unit_of_measure,target,value,note\n")
        for iid, v, note in rows:
            f.write("%s,,,,%s,%s\n" % (iid, v, note))


def submit(unit, m, inds, extra=None, note_for=None):
    path = os.path.join(OUT, "reports", "%s-2018-%02d.csv" % (unit, m))
    rows = []
    for ind in inds:
        v = value(unit, ind, m)
        if extra and ind[0] in extra:
            v = extra[ind[0]]
        rows.append((ind[0], v, note_for.get(ind[0], "") if note_for else ""))
    write_csv(path, rows)
    problems = "资金到位慢，征地拆迁进度滞后" if unit in LAGGARD else ""
    run(["report", "submit", "--period", "2018-%02d" % m, path,
         "--progress", "%d月按计划推进%d项指标" % (m, len(inds)),
         "--problems", problems, "--next", "加快项目建设"], user=unit)


def office(args, check=True):
    return run(args, user="office", check=check)


def halfyear(unit, period):
    path = os.path.join(OUT, "reports", "%s-%s.md" % (unit, period))
    with open(path, "w", encoding="utf-8") as f:
        f.write("# %s %s 半年督查报告\n\n自查发现问题3个，已整改2个。\n" % (unit, period))
    run(["halfyear", "submit", "--period", period, path], user=unit)


def next_month(m):
    return (2018, m + 1) if m < 12 else (2019, 1)


def main():
    os.makedirs(os.path.join(OUT, "reports"), exist_ok=True)
    us = units()
    login("office", "office-demo-1")
    for u in us:
        login(u["id"], u["id"] + "-demo-1")
    KINDS.update(plan_indicators())
    inds = {u["id"]: template(u["id"]) for u in us}
    active = [u["id"] for u in us if inds[u["id"]]]
    print("units with indicators to report: %d of %d" % (len(active), len(us)))

    for m in range(1, 13):
        y, n = next_month(m)
        set_clock("%04d-%02d-03T10:00:00+08:00" % (y, n))
        late_today = []
        for u in active:
            if (u, m) in MISSING:
                continue
            if (u, m) in LATE:
                late_today.append(u)
                continue
            submit(u, m, inds[u])
        for u in late_today:   # deadline day 5, 23:59:59: N days late
            set_clock("%04d-%02d-%02dT10:00:00+08:00" % (y, n, 5 + LATE[(u, m)]))
            submit(u, m, inds[u])
        if m == 3 and "jishou" in active:   # an explained correction
            first = inds["jishou"][0]
            fixed = "%.4g" % (float(value("jishou", first, 3)) * 0.99)
            submit("jishou", 3, inds["jishou"], extra={first[0]: fixed},
                   note_for={first[0]: "按统计局核定数更正"})
        if m == 12 and "longshan" in active:
            # an implausible December jump on the first cumulative indicator
            cum = [i for i in inds["longshan"] if i[2] == "cumulative"]
            if cum:
                jump = "%.4g" % (float(value("longshan", cum[0], 11)) * 2.5)
                submit("longshan", 12, inds["longshan"], extra={cum[0][0]: jump},
                       note_for={cum[0][0]: "含12月集中验收项目"})
        if m == 4 and "fenghuang" in active:
            office(["report", "return", "--period", "2018-04", "--unit", "fenghuang",
                    "--reason", "第1项数据与台账不符，请核实后重报"])
            submit("fenghuang", 4, inds["fenghuang"])
            office(["report", "accept", "--period", "2018-04", "--unit", "fenghuang"])
        if m == 3:
            set_clock("2018-04-10T09:00:00+08:00")
            if "guzhang" in active:
                office(["supervise", "open", "--unit", "guzhang", "--deadline", "2018-05-31",
                        "棚户区改造项目开工率低于50%，限期整改"])
                run(["supervise", "answer", "1", "已约谈施工单位，正在推进"], user="guzhang")
            if "luxi" in active:
                office(["supervise", "open", "--unit", "luxi", "--deadline", "2018-06-30",
                        "污水管网建设滞后"])
                run(["supervise", "answer", "2", "管网已完工，待验收"], user="luxi")
                office(["supervise", "close", "2", "--note", "现场核查已整改"])
        if m in (5, 11):   # the office locks a month once it is reviewed
            office(["period", "lock", "2018-%02d" % (m - 1)])
        if m == 6 or m == 12:
            set_clock("2018-%02d-28T10:00:00+08:00" % m if m == 6 else "2018-12-28T10:00:00+08:00")
            period = "2018-H1" if m == 6 else "2018-H2"
            for u in active:
                if (m == 6 and u == "luxi") or (m == 12 and u in LAGGARD):
                    continue
                halfyear(u, period)
        if m == 6 and "luxi" in active:
            set_clock("2018-07-04T10:00:00+08:00")
            halfyear("luxi", "2018-H1")   # four days late: counts as missing

    set_clock("2019-01-10T09:00:00+08:00")
    findings = [
        ["--unit", "guzhang", "--falsification", "--note", "9月台账数据与实地核查不符"],
        ["--unit", "jishou", "--bonus", "2", "--note", "获评全省新型城镇化示范县"],
        ["--unit", "luxi", "--item", "4", "--count", "1", "--note", "无故缺席10月调度会"],
        ["--unit", "zhou_linyeju", "--penalty", "3", "--note", "督办事项逾期未整改"],
        ["--unit", "zhou_zhujianju", "--item", "5", "--amount", "8000",
         "--note", "争取中央保障性安居工程资金8000万元"],
    ]
    ids = {u["id"] for u in us}
    for f in findings:
        if f[1] in ids:
            office(["finding", "add", "--year", "2018"] + f)


if __name__ == "__main__":
    main()
