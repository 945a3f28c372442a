/*
 * render_fixture.c - see render_fixture.h.  The messages are built in an
 * arena, packed and unpacked again, so that the renderers see exactly what
 * would come off the wire and the caller owns one ordinary message.
 */
#include "tests/support/render_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/period.h"

static int64_t fx_time(const char *iso)
{
    int64_t t = 0;
    if (pw_time_parse_iso8601(iso, &t) != 0)
        abort();
    return t;
}

#define FX_NEW(a, type, init) ((type *)fx_new((a), sizeof(type), (init)))

static void *fx_new(pw_arena *a, size_t size, void (*init)(void *))
{
    void *p = pw_arena_alloc(a, size);
    init(p);
    return p;
}

/* protobuf-c init functions take typed pointers; wrap them */
#define FX_INIT(name, type)                                                                        \
    static void fx_init_##name(void *p)                                                            \
    {                                                                                              \
        planwatch__v1__##name##__init((type *)p);                                                  \
    }
FX_INIT(unit_timeliness, Planwatch__V1__UnitTimeliness)
FX_INIT(category_rate, Planwatch__V1__CategoryRate)
FX_INIT(indicator_progress, Planwatch__V1__IndicatorProgress)
FX_INIT(light_cell, Planwatch__V1__LightCell)
FX_INIT(red_item, Planwatch__V1__RedItem)
FX_INIT(supervision_item, Planwatch__V1__SupervisionItem)
FX_INIT(supervision_answer, Planwatch__V1__SupervisionAnswer)
FX_INIT(quality_flag, Planwatch__V1__QualityFlag)
FX_INIT(indicator_info, Planwatch__V1__IndicatorInfo)
FX_INIT(score_item, Planwatch__V1__ScoreItem)
FX_INIT(unit_score, Planwatch__V1__UnitScore)

static ProtobufCMessage *fx_roundtrip(const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        abort();
    protobuf_c_message_pack(m, buf);
    ProtobufCMessage *out = protobuf_c_message_unpack(m->descriptor, NULL, n, buf);
    free(buf);
    if (!out)
        abort();
    return out;
}

/* ---- dispatch summary ----------------------------------------------------- */

typedef struct fx_unit {
    const char *unit, *name, *category, *status;
    int days_late;
    const char *received, *review;
    int red, yellow, green, indicators;
} fx_unit;

static const fx_unit fx_units[] = {
    {"jishou", "吉首市", "county", "on_time", 0, "2018-04-03T10:15:00+08:00", "accepted", 1, 1, 2,
     4},
    {"luxi", "泸溪县", "county", "late", 3, "2018-04-08T09:30:00+08:00", "submitted", 2, 0, 2, 4},
    {"fenghuang", "凤凰县", "county", "missing", 0, NULL, "", 0, 0, 0, 4},
    {"xx_zone", PW_FIXTURE_ODD_NAME, "county", "on_time", 0, "2018-04-05T20:00:00+08:00",
     "accepted", 1, 1, 2, 4},
    {"zhou_fagaiwei", "州发改委", "department", "on_time", 0, "2018-04-04T16:00:00+08:00",
     "accepted", 0, 0, 1, 1},
    {"zhou_gonganju", "州公安局", "department", "late", 12, "2018-04-17T11:00:00+08:00", "returned",
     1, 1, 0, 2},
};

typedef struct fx_indicator {
    const char *id, *l1, *l2, *name, *uom, *kind;
    double target;
    int has_actual;
    double actual;
    const char *source;
    double progress;
    const char *light;
} fx_indicator;

static const fx_indicator fx_indicators[] = {
    {"I01", "推进农业转移人口市民化", "城镇化率", "常住人口城镇化率", "%", "quantity", 45, 1, 41.2,
     "lead", 0.24, "yellow"},
    {"I02", "推进农业转移人口市民化", "城镇化率", "户籍人口城镇化率", "%", "quantity", 30, 1, 31,
     "sum", 1.0, "green"},
    {"I03", "推进农业转移人口市民化", "户籍制度改革", "户籍制度改革落实", "none", "milestone", 1, 1,
     0, "lead", 0, "red"},
    {"I10", "提升城镇综合承载能力", "就业", "新增城镇就业人数", "万人", "quantity", 2.5, 0, 0,
     "none", 0, "red"},
};

typedef struct fx_cell {
    const char *unit, *indicator, *light;
    double progress;
    int has_actual;
    double actual, target;
} fx_cell;

static const fx_cell fx_cells[] = {
    {"jishou", "I01", "green", 0.30, 1, 46.1, 48},
    {"jishou", "I02", "green", 1.00, 1, 36, 35},
    {"jishou", "I03", "red", 0, 1, 0, 1},
    {"jishou", "I10", "yellow", 0.22, 1, 0.11, 0.5},
    {"luxi", "I01", "green", 0.27, 1, 40.5, 42},
    {"luxi", "I02", "green", 0.50, 1, 26, 28},
    {"luxi", "I03", "red", 0, 1, 0, 1},
    {"luxi", "I10", "red", 0.05, 1, 0.02, 0.4},
    {"fenghuang", "I01", "none", 0, 0, 0, 40},
    {"fenghuang", "I02", "none", 0, 0, 0, 27},
    {"fenghuang", "I03", "none", 0, 0, 0, 1},
    {"fenghuang", "I10", "none", 0, 0, 0, 0.3},
    {"xx_zone", "I01", "yellow", 0.21, 1, 52.1, 55},
    {"xx_zone", "I02", "green", 0.40, 1, 41, 45},
    {"xx_zone", "I03", "green", 0.50, 1, 0.5, 1},
    {"xx_zone", "I10", "red", 0.10, 1, 0.03, 0.3},
    {"zhou_fagaiwei", "I01", "green", 0.50, 1, 43, 45},
    {"zhou_gonganju", "I02", "yellow", 0.21, 1, 25.5, 30},
    {"zhou_gonganju", "I03", "red", 0, 1, 0, 1},
    /* a measure with per-county targets only: in the catalog, not plan-wide */
    {"jishou", "I02.M3", "red", 0.10, 1, 1, 10},
    {"luxi", "I02.M3", "green", 1.00, 1, 12, 10},
};

/* The plan's order: the measure I02.M3 right after its parent I02. */
static const char *const fx_catalog[][5] = {
    {"I01", "推进农业转移人口市民化", "常住人口城镇化率", "%", "level"},
    {"I02", "推进农业转移人口市民化", "户籍人口城镇化率", "%", "level"},
    {"I02.M3", "推进农业转移人口市民化", "农业转移人口落户数", "人", "cumulative"},
    {"I03", "推进农业转移人口市民化", "户籍制度改革落实", "none", "milestone"},
    {"I10", "提升城镇综合承载能力", "新增城镇就业人数", "万人", "cumulative"},
};

static const char *fx_kind(const char *indicator)
{
    for (size_t i = 0; i < sizeof fx_catalog / sizeof fx_catalog[0]; i++)
        if (strcmp(fx_catalog[i][0], indicator) == 0)
            return fx_catalog[i][4];
    return "";
}

static const char *fx_state(const char *indicator, double progress)
{
    if (strcmp(fx_kind(indicator), "milestone") != 0)
        return "";
    return progress >= 1 ? "done" : progress >= 0.5 ? "in_progress" : "not_started";
}

typedef struct fx_red {
    const char *unit, *unit_name, *indicator, *indicator_name;
    double progress;
    int has_actual;
    double actual, target;
    const char *problems;
} fx_red;

static const fx_red fx_reds[] = {
    {"jishou", "吉首市", "I03", "户籍制度改革落实", 0, 1, 0, 1,
     "<script>alert(1)</script>改革方案待州政府审批"},
    {"luxi", "泸溪县", "I03", "户籍制度改革落实", 0, 1, 0, 1, ""},
    {"luxi", "泸溪县", "I10", "新增城镇就业人数", 0.05, 1, 0.02, 0.4,
     "资金未到位，项目推进缓慢。\n下一步：加快征地拆迁，确保6月底前开工。"},
    {"xx_zone", PW_FIXTURE_ODD_NAME, "I10", "新增城镇就业人数", 0.10, 1, 0.03, 0.3,
     "招商项目延期落地 & 用工需求不足"},
    {"zhou_gonganju", "州公安局", "I03", "户籍制度改革落实", 0, 1, 0, 1, "配套政策尚未出台"},
    /* jishou's second red item: the same problem text, shown once */
    {"jishou", "吉首市", "I02.M3", "农业转移人口落户数", 0.10, 1, 1, 10,
     "<script>alert(1)</script>改革方案待州政府审批"},
};

Planwatch__V1__DispatchSummary *pw_fixture_dispatch(void)
{
    pw_arena a;
    pw_arena_init(&a);
    Planwatch__V1__DispatchSummary s = PLANWATCH__V1__DISPATCH_SUMMARY__INIT;
    s.plan = "czh2018";
    s.plan_name = "湘西州推进新型城镇化三年行动计划";
    s.period = "2018-03";
    s.time_elapsed = 0.25;
    s.generated_at = fx_time("2018-04-10T09:00:00+08:00");
    s.deadline = fx_time("2018-04-05T23:59:59+08:00");

    s.n_units = sizeof fx_units / sizeof fx_units[0];
    s.units = pw_arena_alloc(&a, s.n_units * sizeof *s.units);
    for (size_t i = 0; i < s.n_units; i++) {
        const fx_unit *f = &fx_units[i];
        Planwatch__V1__UnitTimeliness *u =
            FX_NEW(&a, Planwatch__V1__UnitTimeliness, fx_init_unit_timeliness);
        u->unit = (char *)f->unit;
        u->name = (char *)f->name;
        u->category = (char *)f->category;
        u->status = (char *)f->status;
        u->days_late = f->days_late;
        u->received_at = f->received ? fx_time(f->received) : 0;
        u->review_state = (char *)f->review;
        u->red = f->red;
        u->yellow = f->yellow;
        u->green = f->green;
        u->indicators = f->indicators;
        /* fenghuang did not report March: its figures are February's */
        u->data_month = strcmp(f->status, "missing") == 0 ? 2 : 3;
        s.units[i] = u;
    }

    s.n_rates = 2;
    s.rates = pw_arena_alloc(&a, 2 * sizeof *s.rates);
    for (size_t i = 0; i < 2; i++) {
        Planwatch__V1__CategoryRate *r =
            FX_NEW(&a, Planwatch__V1__CategoryRate, fx_init_category_rate);
        r->category = i == 0 ? "county" : "department";
        r->expected = i == 0 ? 4 : 2;
        r->received = i == 0 ? 3 : 2;
        r->on_time = i == 0 ? 2 : 1;
        r->completeness = (double)r->received / r->expected;
        r->timeliness = (double)r->on_time / r->expected;
        s.rates[i] = r;
    }

    s.n_indicators = sizeof fx_indicators / sizeof fx_indicators[0];
    s.indicators = pw_arena_alloc(&a, s.n_indicators * sizeof *s.indicators);
    for (size_t i = 0; i < s.n_indicators; i++) {
        const fx_indicator *f = &fx_indicators[i];
        Planwatch__V1__IndicatorProgress *p =
            FX_NEW(&a, Planwatch__V1__IndicatorProgress, fx_init_indicator_progress);
        p->indicator = (char *)f->id;
        p->level1 = (char *)f->l1;
        p->level2 = (char *)f->l2;
        p->name = (char *)f->name;
        p->uom = (char *)f->uom;
        p->kind = (char *)f->kind;
        p->direction = "up";
        p->target = f->target;
        p->has_actual = f->has_actual;
        p->actual = f->actual;
        p->actual_source = (char *)f->source;
        p->progress = f->progress;
        p->light = (char *)f->light;
        p->state = (char *)fx_state(f->id, f->progress);
        s.indicators[i] = p;
    }

    s.n_catalog = sizeof fx_catalog / sizeof fx_catalog[0];
    s.catalog = pw_arena_alloc(&a, s.n_catalog * sizeof *s.catalog);
    for (size_t i = 0; i < s.n_catalog; i++) {
        Planwatch__V1__IndicatorInfo *c =
            FX_NEW(&a, Planwatch__V1__IndicatorInfo, fx_init_indicator_info);
        c->indicator = (char *)fx_catalog[i][0];
        c->level1 = (char *)fx_catalog[i][1];
        c->name = (char *)fx_catalog[i][2];
        c->uom = (char *)fx_catalog[i][3];
        c->kind = (char *)fx_catalog[i][4];
        c->direction = "up";
        c->has_plan_target = strchr(c->indicator, '.') == NULL;
        s.catalog[i] = c;
    }

    s.n_cells = sizeof fx_cells / sizeof fx_cells[0];
    s.cells = pw_arena_alloc(&a, s.n_cells * sizeof *s.cells);
    for (size_t i = 0; i < s.n_cells; i++) {
        const fx_cell *f = &fx_cells[i];
        Planwatch__V1__LightCell *c = FX_NEW(&a, Planwatch__V1__LightCell, fx_init_light_cell);
        c->unit = (char *)f->unit;
        c->indicator = (char *)f->indicator;
        c->light = (char *)f->light;
        c->progress = f->progress;
        c->has_actual = f->has_actual;
        c->actual = f->actual;
        c->target = f->target;
        c->kind = (char *)fx_kind(f->indicator);
        c->state = (char *)fx_state(f->indicator, f->progress);
        c->data_month = f->has_actual ? 3 : 0;
        s.cells[i] = c;
    }

    s.n_red_items = sizeof fx_reds / sizeof fx_reds[0];
    s.red_items = pw_arena_alloc(&a, s.n_red_items * sizeof *s.red_items);
    for (size_t i = 0; i < s.n_red_items; i++) {
        const fx_red *f = &fx_reds[i];
        Planwatch__V1__RedItem *r = FX_NEW(&a, Planwatch__V1__RedItem, fx_init_red_item);
        r->unit = (char *)f->unit;
        r->unit_name = (char *)f->unit_name;
        r->indicator = (char *)f->indicator;
        r->indicator_name = (char *)f->indicator_name;
        r->progress = f->progress;
        r->has_actual = f->has_actual;
        r->actual = f->actual;
        r->target = f->target;
        r->problems = (char *)f->problems;
        r->kind = (char *)fx_kind(f->indicator);
        r->state = (char *)fx_state(f->indicator, f->progress);
        r->data_month = 3;
        r->problems_month = f->problems[0] ? 3 : 0;
        for (size_t k = 0; k < sizeof fx_catalog / sizeof fx_catalog[0]; k++)
            if (strcmp(fx_catalog[k][0], f->indicator) == 0) {
                r->uom = (char *)fx_catalog[k][3];
                r->level1 = (char *)fx_catalog[k][1];
            }
        s.red_items[i] = r;
    }

    /* the overdue item comes second in the message: renderers list it first */
    s.n_supervision = 2;
    s.supervision = pw_arena_alloc(&a, 2 * sizeof *s.supervision);
    Planwatch__V1__SupervisionItem *it =
        FX_NEW(&a, Planwatch__V1__SupervisionItem, fx_init_supervision_item);
    it->id = 9;
    it->unit = "jishou";
    it->unit_name = "吉首市";
    it->text = "易地扶贫搬迁安置点配套设施不完善";
    it->deadline = "2018-05-31";
    it->state = "answered";
    it->opened_by = "office";
    it->opened_at = fx_time("2018-03-02T10:00:00+08:00");
    it->n_answers = 1;
    it->answers = pw_arena_alloc(&a, sizeof *it->answers);
    Planwatch__V1__SupervisionAnswer *ans =
        FX_NEW(&a, Planwatch__V1__SupervisionAnswer, fx_init_supervision_answer);
    ans->user = "li";
    ans->at = fx_time("2018-04-02T15:20:00+08:00");
    ans->text = "已完成供水管网建设，道路硬化正在施工。";
    it->answers[0] = ans;
    s.supervision[0] = it;
    it = FX_NEW(&a, Planwatch__V1__SupervisionItem, fx_init_supervision_item);
    it->id = 7;
    it->unit = "luxi";
    it->unit_name = "泸溪县";
    it->text = "棚户区改造进度滞后，限期整改到位";
    it->deadline = "2018-03-20";
    it->state = "open";
    it->overdue = 1;
    it->opened_by = "office";
    it->opened_at = fx_time("2018-02-20T09:00:00+08:00");
    s.supervision[1] = it;

    s.n_flags = 1;
    s.flags = pw_arena_alloc(&a, sizeof *s.flags);
    Planwatch__V1__QualityFlag *q = FX_NEW(&a, Planwatch__V1__QualityFlag, fx_init_quality_flag);
    q->unit = "luxi";
    q->indicator = "I01";
    q->kind = "cumulative_decrease";
    q->months = "2018-02,2018-03";
    q->values = "42,41.2";
    q->message = "泸溪县「常住人口城镇化率」累计值由2月的42%降至3月的41.2%，请核实";
    q->unit_name = "泸溪县";
    q->indicator_name = "常住人口城镇化率";
    s.flags[0] = q;

    Planwatch__V1__DispatchSummary *out = (Planwatch__V1__DispatchSummary *)fx_roundtrip(&s.base);
    pw_arena_fini(&a);
    return out;
}

/* ---- scores --------------------------------------------------------------- */

typedef struct fx_item {
    int item;
    const char *group, *content, *kind;
    double max;
} fx_item;

static const fx_item fx_county_items[] = {
    {1, "组织领导", "成立领导小组及办公室，明确分管领导和联络员", "manual", 2},
    {4, "组织领导", "按要求上报计划、方案、总结并参加有关会议", "per_event", 2},
    {5, "日常工作", "按时报送月调度表", "monthly_timeliness", 5},
    {7, "工作实绩", "目标任务完成情况", "work_performance", 86},
    {11, "争取资金", "争取上级资金", "per_amount", 4},
    {12, "宣传报道", "宣传信息报送", "manual", 1},
};
static const fx_item fx_department_items[] = {
    {1, "组织领导", "明确分管领导和联络员", "manual", 2},
    {4, "会议及材料", "按要求报送材料并参加会议", "per_event", 4},
    {5, "日常工作", "按时报送月调度表", "monthly_timeliness", 5},
    {7, "工作实绩", "牵头指标完成情况", "work_performance", 89},
};

typedef struct fx_score {
    const char *unit, *name, *category;
    double score;
    int rank;
    const char *grade, *flag;
    double points[6];
    double falsification, bonus, penalty;
} fx_score;

/* clang-format off */
static const fx_score fx_scores[] = {
    {"jishou", "吉首市", "county", 95.5, 1, "excellent", "commend", {2, 2, 5, 82.5, 3, 1}, 0, 0, 0},
    {"guzhang", "古丈县", "county", 90.0, 2, "excellent", "commend", {2, 1.5, 5, 78.5, 2, 1}, 0, 0, 0},
    {"luxi", "泸溪县", "county", 88.25, 3, "qualified", "criticise", {1, 2, 4.5, 79.75, 1, 0}, 0, 1, 1},
    {"fenghuang", "凤凰县", "county", 88.25, 3, "qualified", "criticise", {2, 2, 3.5, 78.75, 1, 1}, 0, 0, 0},
    {"xx_zone", PW_FIXTURE_ODD_NAME, "county", 65.4, 5, "unqualified", "criticise", {2, 2, 4, 66.4, 0, 1}, 10, 0, 0},
    {"zhou_fagaiwei", "州发改委", "department", 92.0, 1, "excellent", "commend", {2, 4, 5, 81}, 0, 0, 0},
    {"zhou_jiaoyuju", "州教育局", "department", 84.0, 2, "qualified", "", {2, 4, 5, 73}, 0, 0, 0},
    {"zhou_gonganju", "州公安局", "department", 81.5, 3, "qualified", "criticise", {2, 4, 4.5, 71}, 0, 0, 0},
    {"zhou_zhujianju", "州住建局", "department", 70.0, 4, "qualified", "criticise", {1, 4, 3, 62}, 0, 0, 0},
};
/* clang-format on */

static char *fx_luxi_item_explain[6][2] = {
    {"finding 3 (2018-02-12, office): 1 point of 2 — 联络员未明确", NULL},
    {"no findings: maximum", NULL},
    {"2018-02: late (3 days): -0.5", "2018-01, 2018-03: on time"},
    {"I03 户籍制度改革落实: progress 0% of t 25%: 0", "I10 新增城镇就业人数: 20% of t"},
    {"amount 1500 万元: floor(1500 / 1000) x 0.5 = 0.5 ... 1", NULL},
    {"finding 4: 0 points — 未报送宣传信息", NULL},
};
static char *fx_luxi_explain[] = {"bonus +1: 获省级表彰 (finding 5)",
                                  "penalty -1: 信息报送错误 (finding 6)"};

Planwatch__V1__ScoresResponse *pw_fixture_scores(void)
{
    pw_arena a;
    pw_arena_init(&a);
    Planwatch__V1__ScoresResponse r = PLANWATCH__V1__SCORES_RESPONSE__INIT;
    r.plan = "czh2018";
    r.period = "2018-Q1";
    r.first_month = 1;
    r.last_month = 3;
    r.time_elapsed = 0.25;
    r.generated_at = fx_time("2018-04-10T09:30:00+08:00");
    r.published = 1;
    r.published_at = fx_time("2018-04-11T10:00:00+08:00");
    r.n_rankings = sizeof fx_scores / sizeof fx_scores[0];
    r.rankings = pw_arena_alloc(&a, r.n_rankings * sizeof *r.rankings);
    for (size_t i = 0; i < r.n_rankings; i++) {
        const fx_score *f = &fx_scores[i];
        Planwatch__V1__UnitScore *u = FX_NEW(&a, Planwatch__V1__UnitScore, fx_init_unit_score);
        u->unit = (char *)f->unit;
        u->name = (char *)f->name;
        u->category = (char *)f->category;
        u->score = f->score;
        u->rank = f->rank;
        u->grade = (char *)f->grade;
        u->flag = (char *)f->flag;
        u->falsification_points = f->falsification;
        u->bonus = f->bonus;
        u->penalty = f->penalty;
        int county = strcmp(f->category, "county") == 0;
        const fx_item *items = county ? fx_county_items : fx_department_items;
        u->n_items = county ? 6 : 4;
        u->items = pw_arena_alloc(&a, u->n_items * sizeof *u->items);
        int luxi = strcmp(f->unit, "luxi") == 0;
        for (size_t j = 0; j < u->n_items; j++) {
            Planwatch__V1__ScoreItem *it = FX_NEW(&a, Planwatch__V1__ScoreItem, fx_init_score_item);
            it->item = items[j].item;
            it->group = (char *)items[j].group;
            it->content = (char *)items[j].content;
            it->kind = (char *)items[j].kind;
            it->max = items[j].max;
            it->points = f->points[j];
            if (luxi) {
                it->n_explain = fx_luxi_item_explain[j][1] ? 2 : 1;
                it->explain = fx_luxi_item_explain[j];
            }
            u->items[j] = it;
        }
        if (luxi) {
            u->n_explain = 2;
            u->explain = fx_luxi_explain;
        }
        r.rankings[i] = u;
    }
    Planwatch__V1__ScoresResponse *out = (Planwatch__V1__ScoresResponse *)fx_roundtrip(&r.base);
    pw_arena_fini(&a);
    return out;
}
