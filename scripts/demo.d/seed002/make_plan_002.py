#!/usr/bin/env python3
"""Map seed 002 (2024年湘西自治州落实"八大行动"总体方案 and its 8 实施方案) to a
planwatch plan: units.csv, indicators.csv, targets.csv (SPEC 3.2 with the
optional columns resp_units, aggregate, tolerance, due).  See README.md here.

    python3 scripts/demo.d/seed002/make_plan_002.py [--seed FILE] [--out DIR]

Every task paragraph of the 实施方案 that ends with its responsibility in
brackets, e.g. "(州发改委牵头，州工商联等相关单位配合，各县市人民政府、湘西高新区
管委会负责)", becomes one `task` row (state + a line of text per month) with:
  lead_units  the units before 牵头 / 分别牵头 (several: each leads its part);
  coop_units  the units before 等相关单位 / 配合 (informed, not reporting);
  resp_units  the units before 负责 ("各县市人民政府" = the 8 counties,
              "湘西高新区管委会" = xxgxq).
The numbers the text commits to are extra rows (NUMERIC below, chosen by hand,
each naming the paragraph it comes from): cumulative counts and money,
threshold growth rates ("增长12%以上" up), a band ("稳定在135万头左右"),
milestones with a due month, and the one per-county breakdown of the seed
(寄宿制学校 24 所).  The script checks its own invariants and fails loudly.
"""
import argparse
import csv
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2024

COUNTIES = [("jishou", "吉首市"), ("luxi", "泸溪县"), ("fenghuang", "凤凰县"),
            ("guzhang", "古丈县"), ("huayuan", "花垣县"), ("baojing", "保靖县"),
            ("yongshun", "永顺县"), ("longshan", "龙山县"), ("xxgxq", "湘西高新区")]

# department (and other) names as the seed writes them -> ascii ids
DEPTS = {
    "州发改委": "fgw", "州财政局": "czj", "州工信局": "gxj", "州市场监管局": "scjgj",
    "州科技局": "kjj", "州商务局": "swj", "州农业农村局": "nyncj", "州住建局": "zjj",
    "州自然资源和规划局": "zrzyj", "州文旅广电局": "wlgdj", "州教体局": "jtj",
    "州卫健委": "wjw", "州人社局": "rsj", "州政府金融办": "jrb", "州生态环境局": "sthjj",
    "人民银行湘西州分行": "rmyh", "州公安局": "gaj", "州交通运输局": "jtysj", "州税务局": "swuj",
    "国家金融监督管理总局湘西监管分局": "jrjgfj", "州民政局": "mzj", "州应急管理局": "yjglj",
    "州水利局": "slj", "吉首大学": "jsdx", "州林业局": "lyj", "湘西职院": "xxzy",
    "州司法局": "sfj", "州中级人民法院": "zjfy", "州人民检察院": "jcy", "州安委办": "awb",
    "州工商联": "gsl", "州行政审批服务局": "xzspj", "州消防救援支队": "xfzd", "湘西海关": "hg",
    "州信访局": "xfj", "州妇联": "fl", "州机关事务管理局": "jgswj", "州科协": "kx",
    "州邮政管理局": "yzglj", "州统计局": "tjj", "州民宗局": "mzongj", "州审计局": "sjj",
    "州残联": "cl", "州医保局": "ybj", "州乡村振兴局": "xczxj", "州总工会": "zgh",
    "州贸促会": "mch", "州公共资源交易中心": "ggzyjy", "省农村信用联社湘西办事处": "nxs",
    "州退役军人事务局": "tyjrj", "武警湘西支队": "wjzd", "州通管办": "tgb", "州委网信办": "wxb",
}
COUNTY_GOV = {name + "人民政府": cid for cid, name in COUNTIES}
# collective names that are not one unit: left out (README)
COLLECTIVE = {"其他相关单位", "各成员单位", "各负有监管职责行业部门", "州生环委相关成员单位"}
ALL_COUNTIES = "各县市人民政府"
GAOXIN = "湘西高新区管委会"

RESP_RE = re.compile(r"[(（]([^()（）]*(?:牵头|负责)[^()（）]*)[)）]\s*$")

# (id suffix, paragraph marker, level3, uom, kind, direction, aggregate, target, tolerance, due)
NUMERIC = [
    ("a", "接待游客突破6000万人次", "全州接待游客", "万人次", "cumulative", "up", "", 6000, None, None),
    ("b", "接待游客突破6000万人次", "旅游收入", "亿元", "cumulative", "up", "", 600, None, None),
    ("c", "接待游客突破6000万人次", "高质量办好第三届湘西州旅发大会", "none", "milestone", "up", "", 1, None, "2024-09"),
    ("a", "生猪出栏稳定在135万头左右", "生猪出栏稳定在135万头左右", "万头", "threshold", "band", "", 135, 5, None),
    ("b", "生猪出栏稳定在135万头左右", "粮食播种面积", "万亩", "level", "up", "", 250, None, None),
    ("a", "全州绿色食品加工规上企业总产值突破30亿元", "绿色食品加工规上企业总产值增长", "%", "threshold", "up", "", 12, None, None),
    ("a", "全州绿色矿业及新材料产业规上企业总产值突破100亿元", "绿色矿业及新材料规上企业总产值增长", "%", "threshold", "up", "", 12, None, None),
    ("a", "产值和税收均增长20%以上", "中医药和生物医药规上企业产值增长", "%", "threshold", "up", "", 20, None, None),
    ("a", "争取建成充电桩1500个", "建成充电桩", "个", "cumulative", "up", "", 1500, None, None),
    ("a", "实现产业投资增长10%以上", "产业投资增长", "%", "threshold", "up", "", 10, None, None),
    ("a", "引进州级以上重大产业签约项目50个以上", "引进州级以上重大产业签约项目", "个", "cumulative", "up", "", 50, None, None),
    ("a", "争创省级以上文化和科技融合示范基地2家以上", "省级以上文化和科技融合示范基地", "家", "cumulative", "up", "sum", 2, None, None),
    ("a", "完成年度投资400亿元以上", "256个省州重点项目完成年度投资", "亿元", "cumulative", "up", "sum", 400, None, None),
    ("b", "完成年度投资400亿元以上", "改造老旧小区", "户", "cumulative", "up", "sum", 11733, None, None),
    ("a", "发放政府消费券补贴资金500万元以上", "发放政府消费券补贴资金", "万元", "cumulative", "up", "", 500, None, None),
    ("a", "力争新增限上批零住餐企业60家", "新增限上批零住餐企业", "家", "cumulative", "up", "", 60, None, None),
    ("a", "城镇新增就业2万人以上。", "城镇新增就业", "万人", "cumulative", "up", "", 2, None, None),
    ("a", "全州建设乡镇标准化寄宿制学校24所", "建设乡镇标准化寄宿制学校", "所", "cumulative", "up", "", 24, None, "BREAKDOWN"),
    ("a", "完成考核指标体系调整后的资料和报告更新", "国家高新区创建资料和报告更新", "none", "milestone", "up", "", 1, None, "2024-06"),
]
# due months of some tasks (the seed's own words put them early in the year)
TASK_DUE = {"编制2024年产业重点招商项目": "2024-03"}


def fail(msg):
    sys.exit("make_plan_002: " + msg)


def split_units(text):
    return [n.strip() for n in re.split(r"[、，,]", text) if n.strip()]


def unit_ids(names, where):
    out = []
    for n in names:
        n = re.sub(r"等(单位)?$", "", n)
        if n in COLLECTIVE:
            continue
        if n == ALL_COUNTIES:
            out += [cid for cid, _ in COUNTIES if cid != "xxgxq"]
        elif n == GAOXIN:
            out.append("xxgxq")
        elif n in COUNTY_GOV:
            out.append(COUNTY_GOV[n])
        elif n in DEPTS:
            out.append(DEPTS[n])
        else:
            fail("unknown unit name %r in %s" % (n, where))
    return out


def parse_responsibility(text, where):
    """'A、B分别牵头，C、D等相关单位，E负责' -> leads, coops, resps, separately"""
    leads, coops, resps, separately = [], [], [], False
    for seg in re.split(r"[，,；;]", text):
        seg = seg.strip()
        if not seg:
            continue
        m = re.match(r"(.*?)(等相关单位)?(分别牵头|牵头)$", seg)
        if m:
            leads += unit_ids(split_units(m.group(1)), where)
            separately = separately or m.group(3) == "分别牵头"
            continue
        m = re.match(r"(.*?)(等相关单位配合|等相关单位|配合)$", seg)
        if m:
            coops += unit_ids(split_units(m.group(1)), where)
            continue
        m = re.match(r"(.*?)负责$", seg)
        if m:
            resps += unit_ids(split_units(m.group(1)), where)
            continue
        # a bare list ("其他相关单位", "州工信局、州商务局等"): cooperating units
        coops += unit_ids(split_units(seg), where)
    # a unit appears once per indicator: lead > resp > coop
    seen, out = set(), []
    for lst in (leads, resps, coops):
        keep = []
        for u in lst:
            if u not in seen:
                seen.add(u)
                keep.append(u)
        out.append(keep)
    return out[0], out[2], out[1], separately


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", default=None)
    ap.add_argument("--out", default=HERE)
    a = ap.parse_args()
    seed = a.seed or (glob.glob(os.path.join(HERE, "../../../../shared/seeds/002_*.txt")) +
                      glob.glob("/work/shared/seeds/002_*.txt"))[0]
    lines = open(seed, encoding="utf-8").read().split("\n")

    action, level2, action_no = None, "", 0
    rows, targets, used = [], [], set()
    numeric_found = {n[1]: 0 for n in NUMERIC}
    seq = 0
    for ln, line in enumerate(lines, 1):
        line = line.strip()
        m = re.match(r"^2024年全州(.+行动)实施方案$", line)
        if m:
            action_no += 1
            action, level2, seq = m.group(1), "", 0
            continue
        if action is None:
            continue
        m = re.match(r"^[(（]([一二三四五六七八九十]+)[)）](.+)$", line)
        if m and not RESP_RE.search(line):
            level2 = re.split(r"[。，,]", m.group(2))[0]
            continue
        r = RESP_RE.search(line)
        if not r:
            continue
        body = line[:r.start()]
        m = re.match(r"^(?:\d+\.|[(（]\d+[)）])\s*(.+)$", body)
        if not m:
            continue
        title = re.split(r"。", m.group(1))[0][:60]
        where = "line %d" % ln
        leads, coops, resps, separately = parse_responsibility(r.group(1), where)
        seq += 1
        iid = "A%d.%02d" % (action_no, seq)
        due = next((d for k, d in TASK_DUE.items() if k in body), "")
        rows.append(dict(indicator_id=iid, level1=action, level2=level2 or action, level3=title,
                         unit_of_measure="none", kind="task", direction="up",
                         lead_units=";".join(leads), coop_units=";".join(coops),
                         resp_units=";".join(resps), aggregate="min" if separately else ""))
        targets.append(dict(indicator_id=iid, year=YEAR, unit="", target=1, baseline="",
                            tolerance="", due=due))
        for (suffix, marker, l3, uom, kind, direction, agg, tg, tol, ndue) in NUMERIC:
            if marker not in body or numeric_found[marker] >= sum(
                    1 for n in NUMERIC if n[1] == marker):
                continue  # the seed repeats some numbers later: the first paragraph has them
            numeric_found[marker] += 1
            nid = iid + suffix
            if nid in used:
                fail("duplicate numeric id " + nid)
            used.add(nid)
            rows.append(dict(indicator_id=nid, level1=action, level2=level2 or action, level3=l3,
                             unit_of_measure=uom, kind=kind, direction=direction,
                             lead_units=";".join(leads), coop_units=";".join(coops),
                             resp_units=";".join(resps) if kind in ("task", "milestone") else "",
                             aggregate=agg))
            if ndue == "BREAKDOWN":
                targets.append(dict(indicator_id=nid, year=YEAR, unit="", target=tg, baseline="",
                                    tolerance="", due=""))
                for cid, cname in COUNTIES:
                    mm = re.search(cname + r"(\d+)所", body)
                    if mm:
                        targets.append(dict(indicator_id=nid, year=YEAR, unit=cid,
                                            target=int(mm.group(1)), baseline="", tolerance="",
                                            due=""))
                continue
            targets.append(dict(indicator_id=nid, year=YEAR, unit="", target=tg, baseline="",
                                tolerance=tol if tol is not None else "", due=ndue or ""))

    # invariants
    if action_no != 8:
        fail("%d actions, expected the 8 实施方案" % action_no)
    missing = [k for k, v in numeric_found.items() if v == 0]
    if missing:
        fail("numeric markers not found: %s" % missing)
    kinds = {r["kind"] for r in rows}
    for k in ("task", "threshold", "milestone", "cumulative"):
        if k not in kinds:
            fail("no %s row" % k)
    if sum(1 for r in rows if ";" in r["lead_units"]) < 5:
        fail("fewer than 5 rows led by several units (分别牵头)")
    breakdown = [t for t in targets if t["unit"]]
    if sum(t["target"] for t in breakdown) != 24:
        fail("the per-county breakdown of the boarding schools does not add up to 24")
    ids = [r["indicator_id"] for r in rows]
    if len(ids) != len(set(ids)):
        fail("duplicate indicator ids")

    units = [(cid, name, "county") for cid, name in COUNTIES]
    depts_used = set()
    for r in rows:
        for col in ("lead_units", "coop_units", "resp_units"):
            depts_used.update(u for u in r[col].split(";") if u)
    county_ids = {c for c, _ in COUNTIES}
    for name, did in sorted(DEPTS.items(), key=lambda x: x[1]):
        if did in depts_used and did not in county_ids:
            units.append((did, name, "department"))

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "units.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "category"])
        w.writerows(units)
    cols = ["indicator_id", "level1", "level2", "level3", "unit_of_measure", "kind", "direction",
            "lead_units", "coop_units", "resp_units", "aggregate"]
    with open(os.path.join(a.out, "indicators.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    tcols = ["indicator_id", "year", "unit", "target", "baseline", "tolerance", "due"]
    with open(os.path.join(a.out, "targets.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, tcols, lineterminator="\n")
        w.writeheader()
        w.writerows(targets)
    nk = {}
    for r in rows:
        nk[r["kind"]] = nk.get(r["kind"], 0) + 1
    print("units %d, indicators %d (%s), targets %d, several leads %d, without a lead %d" % (
        len(units), len(rows), ", ".join("%s %d" % kv for kv in sorted(nk.items())),
        len(targets), sum(1 for r in rows if ";" in r["lead_units"]),
        sum(1 for r in rows if not r["lead_units"])))


if __name__ == "__main__":
    main()
