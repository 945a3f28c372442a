/*
 * dispatch.c - the dispatch summary of one month.
 *
 * Design notes
 * - Everything is derived at read time from the stored reports (assess.c),
 *   so a summary always agrees with the reports and amendments; nothing is
 *   cached that could go stale.
 * - The actual of a (unit, indicator) as of month m is the value of the
 *   unit's latest report for a month <= m (pw_assess_actual).  The
 *   plan-wide actual of an indicator is its lead units' values combined by
 *   its `aggregate` (pw_progress_aggregate_of: sum for cumulative, the first
 *   lead with a value otherwise; leads without a value are left out and
 *   named), else for cumulative indicators the sum of the unit values (SPEC
 *   3.2, 3.4).  An indicator without a lead is not judged: light "none".
 * - Viewers and reporters read a summary only once the office published it.
 */
#include "server/svc/dispatch.h"

#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/period.h"
#include "common/strbuf.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "server/store/assess.h"
#include "server/store/store_deadline.h"
#include "server/svc/plan.h"
#include "server/engine/progress.h"
#include "server/svc/publish.h"
#include "server/engine/quality.h"
#include "server/store/store_plan.h"
#include "server/store/store_supervise.h"
#include "server/svc/supervise.h"

static const char *dispatch_status_name(int st)
{
    switch (st) {
    case PW_TL_ON_TIME:
        return "on_time";
    case PW_TL_LATE:
        return "late";
    case PW_TL_MISSING:
        return "missing";
    case PW_TL_NOT_DUE:
        return "not_due";
    default:
        return "not_expected";
    }
}

/* A milestone's state as sent: "" when `kind` is not a milestone or there is
 * no value. */
static const char *dispatch_milestone_name(const char *kind, const pw_assess_value *v)
{
    if (!v || !v->has || (strcmp(kind, "milestone") != 0 && strcmp(kind, "task") != 0))
        return "";
    return v->milestone == 2 ? "done" : v->milestone == 1 ? "in_progress" : "not_started";
}

static const char *dispatch_light_name(pw_progress_light l)
{
    return l == PW_LIGHT_GREEN ? "green" : l == PW_LIGHT_YELLOW ? "yellow" : "red";
}

/* Progress of assignment `a` with `v` (NULL: none) as of month m, its kind
 * and direction strings already looked up (pw_progress_*_from_name). */
static int dispatch_progress_of_kind(int kind, int dir, const pw_assignment *a, double target,
                                     int has_baseline, double baseline, const pw_assess_value *v,
                                     int m, pw_progress_result *out)
{
    pw_progress_input in = {0};
    in.kind = kind >= 0 ? (pw_progress_kind)kind : PW_PROGRESS_LEVEL;
    in.direction = dir >= 0 ? (pw_progress_direction)dir : PW_PROGRESS_UP;
    if (in.direction == PW_PROGRESS_BAND && in.kind != PW_PROGRESS_THRESHOLD)
        in.direction = PW_PROGRESS_UP; /* a responsible unit's task on a band indicator */
    in.has_tolerance = a ? a->has_tolerance : 0;
    in.tolerance = a ? a->tolerance : 0;
    in.due_month = a ? a->due_month : 0;
    in.target = target;
    in.has_baseline = has_baseline;
    in.baseline = baseline;
    in.month = m;
    if (v && v->has) {
        in.actual.present = 1;
        in.actual.number = v->value;
        in.actual.milestone =
            v->milestone >= 0 ? (pw_progress_milestone)v->milestone : PW_MILESTONE_NOT_STARTED;
    }
    return pw_progress_compute(&in, NULL, out);
}

/* Progress input of assignment `a` with `v` (NULL: none) as of month m. */
static int dispatch_progress(const pw_assignment *a, double target, int has_baseline,
                             double baseline, const pw_assess_value *v, int m,
                             pw_progress_result *out)
{
    return dispatch_progress_of_kind(pw_progress_kind_from_name(a ? a->kind : ""),
                                     pw_progress_direction_from_name(a ? a->direction : ""), a,
                                     target, has_baseline, baseline, v, m, out);
}

int pw_dispatch_progress_kinds(int kind, int dir, const pw_assignment *a, const pw_assess_value *v,
                               int m, pw_progress_result *out)
{
    return dispatch_progress_of_kind(kind, dir, a, a->target, a->has_baseline, a->baseline, v, m,
                                     out);
}

/* Append helpers for repeated fields built in the arena. */
#define PUSH(arena, arr, n, cap, item)                                                             \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 16;                                                          \
            (arr) = pw_arena_grow((arena), (arr), (n), (cap), sizeof *(arr));                      \
        }                                                                                          \
        (arr)[(n)++] = (item);                                                                     \
    } while (0)

/*
 * The timeliness of months first..last of one unit as one (SPEC 3.4, the
 * quarterly bulletin): not expected when no month is; missing when any
 * expected month is missing; not due while one is not due yet; late with
 * the days of the late months added up; else on time.  Receipt, review state
 * and deadline extension are the last expected month's.
 */
static pw_assess_month dispatch_months(const pw_assess_unit *u, int first, int last)
{
    pw_assess_month r = u->month[last];
    int any = 0, missing = 0, not_due = 0, late = 0;
    int64_t days = 0;
    for (int m = first; m <= last; m++) {
        const pw_assess_month *mo = &u->month[m];
        if (mo->status == PW_TL_NOT_EXPECTED)
            continue;
        if (!any++ || m == last)
            r = *mo;
        r.extended_to = mo->extended_to;
        r.extension_reason = mo->extension_reason;
        missing += mo->status == PW_TL_MISSING;
        not_due += mo->status == PW_TL_NOT_DUE;
        if (mo->status == PW_TL_LATE) {
            late++;
            days += mo->days_late;
        }
        r.received = mo->received ? mo->received : r.received;
        r.state = mo->report_id ? mo->state : r.state;
    }
    r.status = !any      ? PW_TL_NOT_EXPECTED
               : missing ? PW_TL_MISSING
               : not_due ? PW_TL_NOT_DUE
               : late    ? PW_TL_LATE
                         : PW_TL_ON_TIME;
    r.days_late = late ? days : 0;
    return r;
}

void pw_dispatch_timeliness(pw_arena *a, const pw_assess *as, int m, const char *unit,
                            Planwatch__V1__UnitTimeliness ***units, size_t *nunits,
                            Planwatch__V1__CategoryRate ***rates, size_t *nrates)
{
    pw_dispatch_timeliness_range(a, as, m, m, unit, units, nunits, rates, nrates);
}

void pw_dispatch_timeliness_range(pw_arena *a, const pw_assess *as, int first, int m,
                                  const char *unit, Planwatch__V1__UnitTimeliness ***units,
                                  size_t *nunits, Planwatch__V1__CategoryRate ***rates,
                                  size_t *nrates)
{
    static const char *cats[2] = {"county", "department"};
    Planwatch__V1__CategoryRate **cr = pw_arena_alloc(a, sizeof *cr * 2);
    for (int k = 0; k < 2; k++) {
        cr[k] = pw_arena_alloc(a, sizeof *cr[k]);
        planwatch__v1__category_rate__init(cr[k]);
        cr[k]->category = (char *)cats[k];
    }
    Planwatch__V1__UnitTimeliness **out = pw_arena_alloc(a, sizeof *out * (as->nunits + 1));
    size_t n = 0;
    for (size_t k = 0; k < as->nunits; k++) {
        const pw_assess_unit *u = &as->units[k];
        const pw_assess_month range = dispatch_months(u, first, m);
        const pw_assess_month *mo = &range;
        Planwatch__V1__CategoryRate *rate = cr[strcmp(u->unit.category, "department") == 0];
        if (mo->status != PW_TL_NOT_EXPECTED) {
            rate->expected++;
            if (mo->status == PW_TL_ON_TIME || mo->status == PW_TL_LATE)
                rate->received++;
            if (mo->status == PW_TL_ON_TIME)
                rate->on_time++;
        }
        if (unit[0] && strcmp(unit, u->unit.id) != 0)
            continue;
        Planwatch__V1__UnitTimeliness *ut = pw_arena_alloc(a, sizeof *ut);
        planwatch__v1__unit_timeliness__init(ut);
        ut->unit = (char *)u->unit.id;
        ut->name = (char *)u->unit.name;
        ut->category = (char *)u->unit.category;
        ut->status = (char *)dispatch_status_name(mo->status);
        ut->days_late = mo->status == PW_TL_LATE ? (int32_t)mo->days_late : 0;
        ut->received_at = mo->received;
        ut->review_state = (char *)mo->state;
        ut->indicators = (int32_t)u->nind;
        ut->extended_to = (char *)(mo->extended_to ? mo->extended_to : "");
        if (mo->status == PW_TL_MISSING && mo->received)
            ut->received_at = 0; /* a month of the quarter is missing */
        ut->extension_reason = (char *)(mo->extension_reason ? mo->extension_reason : "");
        for (int k2 = m; k2 >= 1 && !ut->data_month; k2--)
            if (u->month[k2].report_id)
                ut->data_month = k2;
        out[n++] = ut;
    }
    for (int k = 0; k < 2; k++) {
        cr[k]->completeness = cr[k]->expected ? (double)cr[k]->received / cr[k]->expected : 0;
        cr[k]->timeliness = cr[k]->expected ? (double)cr[k]->on_time / cr[k]->expected : 0;
    }
    *units = out;
    *nunits = n;
    *rates = cr;
    *nrates = 2;
}

/* A data-quality flag as a sentence for the office, in Chinese, naming the
 * unit, the indicator, the months and the figures with their unit. */
static char *dispatch_flag_message(pw_arena *a, const pw_assess_unit *u, const pw_assignment *asg,
                                   const pw_quality_flag *f, int cumulative)
{
    const char *uom = asg->uom && strcmp(asg->uom, "none") != 0 ? asg->uom : "";
    switch (f->kind) {
    case PW_QF_CUMULATIVE_DECREASE:
        return pw_arena_printf(a, "%s「%s」累计值由%d月的%g%s降至%d月的%g%s，请核实", u->unit.name,
                               asg->level3, f->first_month, f->a, uom, f->last_month, f->b, uom);
    case PW_QF_STALE:
        return pw_arena_printf(a, "%s「%s」自%d月起连续未变（%g%s），尚未达到目标%g%s",
                               u->unit.name, asg->level3, f->first_month, f->a, uom, asg->target,
                               uom);
    case PW_QF_OUTLIER:
        return pw_arena_printf(a, "%s「%s」%d月%s%g%s，明显偏离以往的%g%s，请核实", u->unit.name,
                               asg->level3, f->last_month, cumulative ? "当月增加" : "数值", f->b,
                               uom, f->a, uom);
    default:
        return pw_arena_printf(a, "%s「%s」一季度已达%g%s，为全年目标%g%s的%.0f%%，请核实",
                               u->unit.name, asg->level3, f->b, uom, f->a, uom, f->score * 100);
    }
}

/* The paging fields of a part: units from..from+n-1 of `total` shown. */
static void dispatch_page_fields(pw_arena *a, Planwatch__V1__DispatchSummary *out, int page_size,
                                 size_t from, size_t n, size_t total)
{
    out->page_size = page_size;
    out->total_units = (int32_t)total;
    out->next_page_token =
        page_size > 0 && from + n < total ? pw_arena_printf(a, "%zu", from + n) : "";
}

/* What one build makes: the whole summary with its appendix (the cells),
 * the summary without the appendix, or one page of the appendix. */
typedef struct dispatch_part {
    int cells;    /* 1: the cells */
    int summary;  /* 1: rates, plan-wide indicators, red items, flags, supervision */
    size_t from;  /* the units from..from+count-1 (id order) */
    size_t count; /* SIZE_MAX: all */
} dispatch_part;

/* An assignment's kind and direction as the unit pass needs them, worked
 * out once per distinct pair of strings (a plan has a handful) instead of
 * by a dozen strcmp per (unit, indicator). */
typedef struct dispatch_kind {
    const char *kind, *direction; /* the strings looked up; NULL: empty slot */
    int pkind, pdir;              /* pw_progress_kind/direction_from_name */
    int state;                    /* milestone or task: a state, not checked for quality */
    int cumulative;
    int up; /* direction other than "down" */
} dispatch_kind;

#define DISPATCH_KIND_SLOTS 64

typedef struct dispatch_out {
    pw_arena *a;
    Planwatch__V1__DispatchSummary *out;
    size_t cap_cells, cap_red, cap_flags;
    int year, m;
    dispatch_kind kinds[DISPATCH_KIND_SLOTS];
    pw_strbuf sb; /* scratch for the flags' texts */
    /* the plan's indicators (plan order) and, gathered in the unit pass:
     * which have a cell (the catalog), and per indicator id (the first
     * index of that id: canon[]) the sum of the unit values as of m */
    pw_plan_indicator *pi;
    size_t npi;
    size_t *canon;
    unsigned char *used, *any;
    double *sum;
    pw_progress_actual **lead; /* per indicator id (canon[]): its leads' values */
    size_t next_pi;            /* where the next assignment's indicator likely is */
} dispatch_out;

/* The kind of assignment `a` (cached in d->kinds). */
static const dispatch_kind *dispatch_kind_of(dispatch_out *d, const pw_assignment *a)
{
    const char *k = a->kind, *dir = a->direction;
    unsigned h = ((unsigned char)k[0] * 31u + (k[0] ? (unsigned char)k[1] : 0u) * 7u +
                  (unsigned char)dir[0]) %
                 DISPATCH_KIND_SLOTS;
    dispatch_kind *c = &d->kinds[h];
    if (c->kind && (c->kind == k || strcmp(c->kind, k) == 0) &&
        (c->direction == dir || strcmp(c->direction, dir) == 0)) {
        c->kind = k; /* the next assignment likely shares these strings */
        c->direction = dir;
        return c;
    }
    c->kind = k;
    c->direction = dir;
    c->pkind = pw_progress_kind_from_name(k);
    c->pdir = pw_progress_direction_from_name(dir);
    c->state = strcmp(k, "milestone") == 0 || strcmp(k, "task") == 0;
    c->cumulative = strcmp(k, "cumulative") == 0;
    c->up = strcmp(dir, "down") != 0;
    return c;
}

/* The header: plan, period, time, the month's deadline (extended when the
 * office extended it for everyone). */
static int dispatch_header(pw_call *c, const pw_plan_row *plan, const pw_period *p,
                           const char *period, int m, Planwatch__V1__DispatchSummary *out)
{
    out->has_tz_offset_min = 1;
    out->tz_offset_min = plan->tz_offset_min;
    out->plan = (char *)plan->id;
    out->plan_name = (char *)plan->name;
    out->period = pw_arena_strdup(c->arena, period);
    out->time_elapsed = pw_month_elapsed(m);
    out->generated_at = c->now;
    pw_deadline_monthly(p->year, m, plan->due_day, plan->tz_offset_min, &out->deadline);
    pw_deadline_row ext;
    char mtext[16];
    snprintf(mtext, sizeof mtext, "%04d-%02d", p->year, m);
    int st = pw_store_deadline_get(c->db, c->arena, plan->id, mtext, "", &ext);
    if (st == PW_OK) {
        out->deadline = ext.until;
        out->extended_to = (char *)ext.until_date;
        out->extension_reason = (char *)ext.reason;
    } else if (st != PW_NOT_FOUND) {
        return pw_call_fail(c, PW_INTERNAL, "cannot read deadline extensions");
    }
    return PW_OK;
}

static Planwatch__V1__LightCell *dispatch_cell(pw_arena *a, const pw_assess_unit *u,
                                               const pw_assignment *asg, const pw_assess_value *v,
                                               int vmonth, const pw_progress_result *pr,
                                               const char *state)
{
    Planwatch__V1__LightCell *cell = pw_arena_alloc(a, sizeof *cell);
    planwatch__v1__light_cell__init(cell);
    cell->unit = (char *)u->unit.id;
    cell->indicator = (char *)asg->indicator_id;
    cell->light = pr->no_report ? "none" : (char *)dispatch_light_name(pr->light);
    cell->progress = pr->progress;
    cell->has_actual = v != NULL;
    cell->actual = v ? v->value : 0;
    cell->target = asg->target;
    cell->kind = (char *)asg->kind;
    cell->state = (char *)state;
    cell->data_month = v ? vmonth : 0;
    return cell;
}

/* A red light with the unit's latest problem text. */
static Planwatch__V1__RedItem *dispatch_red_item(pw_arena *a, const pw_assess_unit *u,
                                                 const pw_assignment *asg, const pw_assess_value *v,
                                                 int vmonth, const pw_progress_result *pr,
                                                 const char *state, const char *problems,
                                                 int problems_month)
{
    Planwatch__V1__RedItem *ri = pw_arena_alloc(a, sizeof *ri);
    planwatch__v1__red_item__init(ri);
    ri->unit = (char *)u->unit.id;
    ri->unit_name = (char *)u->unit.name;
    ri->indicator = (char *)asg->indicator_id;
    ri->indicator_name = (char *)asg->level3;
    ri->progress = pr->progress;
    ri->has_actual = v != NULL;
    ri->actual = v ? v->value : 0;
    ri->target = asg->target;
    ri->problems = (char *)(problems ? problems : "");
    ri->problems_month = problems ? problems_month : 0;
    ri->kind = (char *)asg->kind;
    ri->state = (char *)state;
    ri->data_month = v ? vmonth : 0;
    ri->uom = (char *)asg->uom;
    ri->level1 = (char *)asg->level1;
    return ri;
}

/* dispatch_flag_message without printf (the figures by pw_fmt_g): the same
 * bytes; NULL when a string is missing or memory short (the caller then
 * uses dispatch_flag_message). */
static char *dispatch_flag_text(dispatch_out *d, const pw_assess_unit *u, const pw_assignment *asg,
                                const pw_quality_flag *f, int cumulative)
{
    pw_strbuf *sb = &d->sb;
    const char *uom = asg->uom && strcmp(asg->uom, "none") != 0 ? asg->uom : "";
    int e = 0;
    pw_strbuf_reset(sb);
    e |= pw_strbuf_append_str(sb, u->unit.name);
    e |= pw_strbuf_append_str(sb, "「");
    e |= pw_strbuf_append_str(sb, asg->level3);
    e |= pw_strbuf_append_str(sb, "」");
    switch (f->kind) {
    case PW_QF_CUMULATIVE_DECREASE:
        e |= pw_strbuf_append_str(sb, "累计值由");
        e |= pw_strbuf_append_int(sb, f->first_month, 0);
        e |= pw_strbuf_append_str(sb, "月的");
        e |= pw_strbuf_append_g(sb, f->a);
        e |= pw_strbuf_append_str(sb, uom);
        e |= pw_strbuf_append_str(sb, "降至");
        e |= pw_strbuf_append_int(sb, f->last_month, 0);
        e |= pw_strbuf_append_str(sb, "月的");
        e |= pw_strbuf_append_g(sb, f->b);
        e |= pw_strbuf_append_str(sb, uom);
        e |= pw_strbuf_append_str(sb, "，请核实");
        break;
    case PW_QF_STALE:
        e |= pw_strbuf_append_str(sb, "自");
        e |= pw_strbuf_append_int(sb, f->first_month, 0);
        e |= pw_strbuf_append_str(sb, "月起连续未变（");
        e |= pw_strbuf_append_g(sb, f->a);
        e |= pw_strbuf_append_str(sb, uom);
        e |= pw_strbuf_append_str(sb, "），尚未达到目标");
        e |= pw_strbuf_append_g(sb, asg->target);
        e |= pw_strbuf_append_str(sb, uom);
        break;
    case PW_QF_OUTLIER:
        e |= pw_strbuf_append_int(sb, f->last_month, 0);
        e |= pw_strbuf_append_str(sb, "月");
        e |= pw_strbuf_append_str(sb, cumulative ? "当月增加" : "数值");
        e |= pw_strbuf_append_g(sb, f->b);
        e |= pw_strbuf_append_str(sb, uom);
        e |= pw_strbuf_append_str(sb, "，明显偏离以往的");
        e |= pw_strbuf_append_g(sb, f->a);
        e |= pw_strbuf_append_str(sb, uom);
        e |= pw_strbuf_append_str(sb, "，请核实");
        break;
    default:
        return NULL; /* early overshoot: rare, printf */
    }
    return e ? NULL : pw_arena_strndup(d->a, sb->data, sb->len);
}

/* "%04d-%02d,%04d-%02d" of the flag's months and "%g,%g" of its values
 * without printf; NULL as dispatch_flag_text. */
static char *dispatch_flag_months(dispatch_out *d, const pw_quality_flag *f)
{
    pw_strbuf *sb = &d->sb;
    int e = 0;
    pw_strbuf_reset(sb);
    e |= pw_strbuf_append_int(sb, d->year, 4);
    e |= pw_strbuf_append_char(sb, '-');
    e |= pw_strbuf_append_int(sb, f->first_month, 2);
    e |= pw_strbuf_append_char(sb, ',');
    e |= pw_strbuf_append_int(sb, d->year, 4);
    e |= pw_strbuf_append_char(sb, '-');
    e |= pw_strbuf_append_int(sb, f->last_month, 2);
    return e ? NULL : pw_arena_strndup(d->a, sb->data, sb->len);
}

static char *dispatch_flag_values(dispatch_out *d, const pw_quality_flag *f)
{
    pw_strbuf *sb = &d->sb;
    int e = 0;
    pw_strbuf_reset(sb);
    e |= pw_strbuf_append_g(sb, f->a);
    e |= pw_strbuf_append_char(sb, ',');
    e |= pw_strbuf_append_g(sb, f->b);
    return e ? NULL : pw_arena_strndup(d->a, sb->data, sb->len);
}

/* The data-quality flags of indicator i of u over months 1..m. */
static void dispatch_flags(dispatch_out *d, const pw_assess_unit *u, size_t i,
                           const dispatch_kind *kd)
{
    const pw_assignment *asg = &u->ind[i];
    /* no value in month m: no flag (pw_quality_check) */
    if (kd->state || d->m < 1 || d->m > 12 || !u->values[i * 13 + (size_t)d->m].has)
        return;
    pw_quality_series s = {
        .cumulative = kd->cumulative, .direction_up = kd->up, .target = asg->target, .m = d->m};
    for (int mm = 1; mm <= d->m; mm++) {
        const pw_assess_value *x = &u->values[i * 13 + (size_t)mm];
        s.has[mm] = x->has;
        s.value[mm] = x->value;
    }
    pw_quality_flag fl[4];
    size_t nf = pw_quality_check(&s, fl, 4);
    for (size_t f = 0; f < nf; f++) {
        Planwatch__V1__QualityFlag *q = pw_arena_alloc(d->a, sizeof *q);
        planwatch__v1__quality_flag__init(q);
        q->unit = (char *)u->unit.id;
        q->indicator = (char *)asg->indicator_id;
        q->kind = (char *)pw_quality_kind_name(fl[f].kind);
        q->months = dispatch_flag_months(d, &fl[f]);
        if (!q->months)
            q->months = pw_arena_printf(d->a, "%04d-%02d,%04d-%02d", d->year, fl[f].first_month,
                                        d->year, fl[f].last_month);
        q->values = dispatch_flag_values(d, &fl[f]);
        if (!q->values)
            q->values = pw_arena_printf(d->a, "%g,%g", fl[f].a, fl[f].b);
        q->unit_name = (char *)u->unit.name;
        q->indicator_name = (char *)asg->level3;
        q->message = dispatch_flag_text(d, u, asg, &fl[f], s.cumulative);
        if (!q->message)
            q->message = dispatch_flag_message(d->a, u, asg, &fl[f], s.cumulative);
        PUSH(d->a, d->out->flags, d->out->n_flags, d->cap_flags, q);
    }
}

/* The plan indicator of `asg` for the catalog (by its seq, as in plan
 * order) and, with the summary, its value `v` added to the sum of its
 * indicator id (units in order, as a plan-wide sum adds them). */
static void dispatch_plan_index(dispatch_out *d, const pw_assess_unit *u, const pw_assignment *asg,
                                const pw_assess_value *v)
{
    size_t lo = 0, hi = d->npi;
    int seq = asg->seq;
    /* a unit's assignments come in plan order: most are the next one */
    size_t nx = d->next_pi;
    if (nx < d->npi && d->pi[nx].seq == seq && (nx == 0 || d->pi[nx - 1].seq < seq))
        lo = hi = nx;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->pi[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    int found = lo < d->npi && d->pi[lo].seq == seq;
    if (found)
        d->used[lo] = 1;
    d->next_pi = lo + 1;
    if (!d->sum || !v)
        return;
    size_t at = d->npi;
    if (found && strcmp(d->pi[lo].id, asg->indicator_id) == 0)
        at = d->canon[lo];
    else
        for (size_t k = 0; k < d->npi && at == d->npi; k++)
            if (strcmp(d->pi[k].id, asg->indicator_id) == 0)
                at = k;
    if (at == d->npi)
        return;
    d->sum[at] += v->value;
    d->any[at] = 1;
    /* the leads' values, in the CSV's order of the leads */
    const pw_plan_indicator *pi = &d->pi[at];
    for (size_t l = 0; l < pi->nleads; l++)
        if (!d->lead[at][l].present && strcmp(pi->leads[l], u->unit.id) == 0) {
            d->lead[at][l].present = 1;
            d->lead[at][l].number = v->value;
            d->lead[at][l].milestone =
                v->milestone >= 0 ? (pw_progress_milestone)v->milestone : PW_MILESTONE_NOT_STARTED;
        }
}

/* Lights of the unit's own indicators (counted on its timeliness line),
 * its cells, red items and quality flags. */
static void dispatch_unit(dispatch_out *d, const pw_assess_unit *u,
                          Planwatch__V1__UnitTimeliness *ut, const dispatch_part *part)
{
    const char *problems = NULL;
    int problems_month = 0;
    for (int k2 = d->m; k2 >= 1 && !problems; k2--)
        if (u->month[k2].report_id && u->month[k2].problems[0]) {
            problems = u->month[k2].problems;
            problems_month = k2;
        }
    for (size_t i = 0; i < u->nind; i++) {
        const pw_assignment *asg = &u->ind[i];
        int vmonth = 0;
        const pw_assess_value *v = pw_assess_actual(u, i, d->m, &vmonth);
        dispatch_plan_index(d, u, asg, v);
        const dispatch_kind *kd = dispatch_kind_of(d, asg);
        pw_progress_result pr;
        if (dispatch_progress_of_kind(kd->pkind, kd->pdir, asg, asg->target, asg->has_baseline,
                                      asg->baseline, v, d->m, &pr) != PW_OK)
            continue;
        const char *state = !kd->state || !v || !v->has ? ""
                            : v->milestone == 2         ? "done"
                            : v->milestone == 1         ? "in_progress"
                                                        : "not_started";
        if (part->cells)
            PUSH(d->a, d->out->cells, d->out->n_cells, d->cap_cells,
                 dispatch_cell(d->a, u, asg, v, vmonth, &pr, state));
        if (pr.light == PW_LIGHT_GREEN)
            ut->green++;
        else if (pr.light == PW_LIGHT_YELLOW)
            ut->yellow++;
        else
            ut->red++;
        if (!part->summary)
            continue;
        if (pr.light == PW_LIGHT_RED)
            PUSH(d->a, d->out->red_items, d->out->n_red_items, d->cap_red,
                 dispatch_red_item(d->a, u, asg, v, vmonth, &pr, state, problems, problems_month));
        dispatch_flags(d, u, i, kd);
    }
}

/* For a cumulative indicator without a lead's value: the sum of the unit
 * values as of m (added up in the unit pass, dispatch_plan_index). */
static int dispatch_unit_sum(const dispatch_out *d, size_t i, double *sum)
{
    *sum = d->sum[d->canon[i]];
    return d->any[d->canon[i]];
}

static Planwatch__V1__IndicatorProgress *dispatch_indicator_init(pw_arena *a,
                                                                 const pw_plan_indicator *pi)
{
    Planwatch__V1__IndicatorProgress *ip = pw_arena_alloc(a, sizeof *ip);
    planwatch__v1__indicator_progress__init(ip);
    ip->indicator = (char *)pi->id;
    ip->level1 = (char *)pi->level1;
    ip->level2 = (char *)pi->level2;
    ip->name = (char *)pi->level3;
    ip->uom = (char *)pi->uom;
    ip->kind = (char *)pi->kind;
    ip->direction = (char *)pi->direction;
    ip->target = pi->target;
    ip->actual_source = "none";
    ip->judged = pi->nleads > 0;
    ip->due = (char *)pi->due;
    ip->leads_reported = pw_arena_alloc(a, sizeof(char *) * (pi->nleads ? pi->nleads : 1));
    ip->leads_missing = pw_arena_alloc(a, sizeof(char *) * (pi->nleads ? pi->nleads : 1));
    return ip;
}

/* A plan-wide indicator against its plan-wide target (SPEC 3.2, 3.4);
 * NULL when its progress cannot be computed. */
static Planwatch__V1__IndicatorProgress *dispatch_indicator(pw_arena *a, const dispatch_out *d,
                                                            size_t i, int m)
{
    const pw_plan_indicator *pi = &d->pi[i];
    Planwatch__V1__IndicatorProgress *ip = dispatch_indicator_init(a, pi);
    int kind = pw_progress_kind_from_name(pi->kind);
    int agg = pw_progress_aggregate_from_name(pi->aggregate);
    pw_progress_kind pk = kind >= 0 ? (pw_progress_kind)kind : PW_PROGRESS_LEVEL;
    pw_progress_aggregate pa = pw_progress_aggregate_resolve(
        pk, agg >= 0 ? (pw_progress_aggregate)agg : PW_AGGREGATE_DEFAULT);
    ip->aggregate = (char *)pw_progress_aggregate_name(pa);
    pw_progress_actual *lv = d->lead[d->canon[i]]; /* gathered in the unit pass */
    pw_progress_actual agg_out;
    size_t used = 0, left = 0;
    pw_assess_value best = {0};
    if (pw_progress_aggregate_of(pk, pa, lv, pi->nleads, &agg_out, &used, &left) == PW_OK &&
        agg_out.present) {
        best.has = 1;
        best.value = pw_progress_kind_is_state(pk) ? 0 : agg_out.number;
        best.milestone = pw_progress_kind_is_state(pk) ? (int)agg_out.milestone : -1;
        ip->actual_source = "lead";
    }
    for (size_t l = 0; l < pi->nleads; l++) {
        if (pa == PW_AGGREGATE_FIRST && ip->n_leads_reported > 0)
            continue;
        if (lv[l].present)
            ip->leads_reported[ip->n_leads_reported++] = (char *)pi->leads[l];
        else
            ip->leads_missing[ip->n_leads_missing++] = (char *)pi->leads[l];
    }
    if (!best.has && strcmp(pi->kind, "cumulative") == 0 && dispatch_unit_sum(d, i, &best.value)) {
        best.has = 1;
        best.milestone = -1;
        ip->actual_source = "sum";
    }
    pw_assignment asg = {.kind = pi->kind,
                         .direction = pi->direction,
                         .has_tolerance = pi->has_tolerance,
                         .tolerance = pi->tolerance,
                         .due_month = pi->due_month};
    pw_progress_result pr;
    if (dispatch_progress(&asg, pi->target, pi->has_baseline, pi->baseline, best.has ? &best : NULL,
                          m, &pr) != PW_OK)
        return NULL;
    ip->has_actual = best.has;
    ip->actual = best.value;
    ip->progress = pr.progress;
    /* an indicator without a lead is not judged (SPEC 3.2) */
    ip->light = ip->judged ? (char *)dispatch_light_name(pr.light) : "none";
    ip->state = (char *)dispatch_milestone_name(pi->kind, best.has ? &best : NULL);
    return ip;
}

/* The catalog: every indicator with a plan-wide target or a cell, in plan
 * order (pi is in plan order: a unit's indicator is found by its seq). */
static void dispatch_catalog(pw_arena *a, const pw_plan_indicator *pi, size_t npi,
                             const unsigned char *used, Planwatch__V1__DispatchSummary *out)
{
    out->catalog = pw_arena_alloc(a, sizeof *out->catalog * (npi ? npi : 1));
    for (size_t i = 0; i < npi; i++) {
        if (!pi[i].has_target && !used[i])
            continue;
        Planwatch__V1__IndicatorInfo *ii = pw_arena_alloc(a, sizeof *ii);
        planwatch__v1__indicator_info__init(ii);
        ii->indicator = (char *)pi[i].id;
        ii->level1 = (char *)pi[i].level1;
        ii->level2 = (char *)pi[i].level2;
        ii->name = (char *)pi[i].level3;
        ii->uom = (char *)pi[i].uom;
        ii->kind = (char *)pi[i].kind;
        ii->direction = (char *)pi[i].direction;
        ii->has_plan_target = pi[i].has_target;
        out->catalog[out->n_catalog++] = ii;
    }
}

typedef struct dispatch_pi_key {
    const char *id;
    size_t i;
} dispatch_pi_key;

/* By id, then index: equal ids in plan order. */
static int dispatch_pi_cmp(const void *x, const void *y)
{
    const dispatch_pi_key *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* The plan's indicators in force as of m into d, with what the unit pass
 * gathers for the catalog and (with the summary) the plan-wide sums. */
static int dispatch_plan_load(pw_call *c, const pw_assess *as, int m, const dispatch_part *part,
                              dispatch_out *d)
{
    if (pw_store_plan_indicators(c->db, c->arena, as->plan.id, as->year, m, &d->pi, &d->npi) !=
        PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the plan's indicators");
    size_t n = d->npi ? d->npi : 1;
    d->used = pw_arena_alloc(c->arena, n);
    if (!part->summary)
        return PW_OK;
    d->any = pw_arena_alloc(c->arena, n);
    d->sum = pw_arena_alloc(c->arena, sizeof *d->sum * n);
    d->canon = pw_arena_alloc(c->arena, sizeof *d->canon * n);
    d->lead = pw_arena_alloc(c->arena, sizeof *d->lead * n);
    for (size_t i = 0; i < d->npi; i++) {
        size_t nl = d->pi[i].nleads ? d->pi[i].nleads : 1;
        d->lead[i] = pw_arena_alloc(c->arena, sizeof **d->lead * nl);
        memset(d->lead[i], 0, sizeof **d->lead * nl);
    }
    /* canon[i]: the first index with pi[i]'s id (ids are expected unique) */
    dispatch_pi_key *key = pw_arena_alloc(c->arena, sizeof *key * n);
    for (size_t i = 0; i < d->npi; i++)
        key[i] = (dispatch_pi_key){d->pi[i].id, i};
    if (d->npi)
        qsort(key, d->npi, sizeof *key, dispatch_pi_cmp);
    for (size_t k = 0; k < d->npi; k++)
        d->canon[key[k].i] =
            k > 0 && strcmp(key[k].id, key[k - 1].id) == 0 ? d->canon[key[k - 1].i] : key[k].i;
    return PW_OK;
}

/* Plan-wide indicators (with the summary) and the catalog. */
static void dispatch_plan_wide(pw_call *c, int m, const dispatch_part *part, const dispatch_out *d,
                               Planwatch__V1__DispatchSummary *out)
{
    out->indicators = pw_arena_alloc(c->arena, sizeof *out->indicators * (d->npi ? d->npi : 1));
    for (size_t i = 0; part->summary && i < d->npi; i++) {
        if (!d->pi[i].has_target)
            continue;
        Planwatch__V1__IndicatorProgress *ip = dispatch_indicator(c->arena, d, i, m);
        if (ip)
            out->indicators[out->n_indicators++] = ip;
    }
    dispatch_catalog(c->arena, d->pi, d->npi, d->used, out);
}

/* Open supervision items, overdue ones flagged. */
static int dispatch_supervision(pw_call *c, int tz, Planwatch__V1__DispatchSummary *out)
{
    pw_supervision_row *sr;
    size_t nsr;
    if (pw_store_supervision_list(c->db, c->arena, "", 0, &sr, &nsr) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read supervision items");
    out->supervision = pw_arena_alloc(c->arena, sizeof *out->supervision * (nsr ? nsr : 1));
    for (size_t i = 0; i < nsr; i++)
        out->supervision[out->n_supervision++] = pw_supervision_item(c, &sr[i], tz);
    return PW_OK;
}

/* The unit pass (issue 18): each unit's cells, lights, red items and flags
 * while its assignments and values are at hand, one unit in memory at a
 * time (pw_assess_each); the lights wait in `lights` for the timeliness
 * lines, made once every unit's assignments are known. */
typedef struct dispatch_walk {
    dispatch_out *d;
    const dispatch_part *part;
    pw_assess *as;
    Planwatch__V1__UnitTimeliness *lights; /* per unit of as, in its order */
    size_t k;
} dispatch_walk;

static int dispatch_walk_unit(void *arg, pw_assess_unit *u)
{
    dispatch_walk *w = arg;
    dispatch_unit(w->d, u, &w->lights[w->k++], w->part);
    return PW_OK;
}

static int dispatch_units(pw_call *c, dispatch_walk *w)
{
    size_t n = w->as->nunits ? w->as->nunits : 1;
    w->lights = pw_arena_alloc(c->arena, sizeof *w->lights * n);
    memset(w->lights, 0, sizeof *w->lights * n);
    pw_arena scratch;
    pw_arena_init(&scratch);
    int st =
        pw_assess_each(c->db, c->arena, &scratch, w->as, PW_ASSESS_HISTORY, dispatch_walk_unit, w);
    pw_arena_fini(&scratch);
    return st;
}

/* The live dispatch summary of (plan, period), or the part `part` says. */
static int dispatch_build_part(pw_call *c, const pw_plan_row *plan, const pw_period *p,
                               const char *period, const dispatch_part *part,
                               ProtobufCMessage **resp)
{
    /* a quarter: the quarterly bulletin, as of its last month (SPEC 3.4) */
    int m = p->kind == PW_PERIOD_QUARTER ? 3 * p->index : p->index;
    int first_month = p->kind == PW_PERIOD_QUARTER ? m - 2 : m;
    pw_assess as;
    int st = pw_assess_load_base(c->db, c->arena, plan, p->year, m, c->now, "", part->from,
                                 part->count, PW_ASSESS_HISTORY, &as);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read the reports of %s", period);
    Planwatch__V1__DispatchSummary *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__dispatch_summary__init(out);
    dispatch_out d = {.a = c->arena, .out = out, .year = p->year, .m = m};
    if ((st = dispatch_header(c, plan, p, period, m, out)) != PW_OK ||
        (st = dispatch_plan_load(c, &as, m, part, &d)) != PW_OK)
        return st;
    dispatch_walk w = {.d = &d, .part = part, .as = &as};
    st = dispatch_units(c, &w);
    pw_strbuf_free(&d.sb);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read the reports of %s", period);
    /* the timeliness lines need every unit's assignments: after the walk */
    pw_dispatch_timeliness_range(c->arena, &as, first_month, m, "", &out->units, &out->n_units,
                                 &out->rates, &out->n_rates);
    for (size_t k = 0; k < out->n_units; k++) {
        out->units[k]->green = w.lights[k].green;
        out->units[k]->yellow = w.lights[k].yellow;
        out->units[k]->red = w.lights[k].red;
    }
    dispatch_plan_wide(c, m, part, &d, out);
    if (part->summary && (st = dispatch_supervision(c, plan->tz_offset_min, out)) != PW_OK)
        return st;
    if (!part->summary) /* a page: rates over a page of units would mislead */
        out->n_rates = 0;
    if (part->count != SIZE_MAX || !part->cells)
        dispatch_page_fields(c->arena, out, part->cells ? (int)part->count : -1, part->from,
                             as.nunits, as.units_total);
    *resp = &out->base;
    return PW_OK;
}

/* The full live dispatch summary of (plan, period) (pw_publication_kind). */
static int dispatch_build(pw_call *c, const pw_plan_row *plan, const pw_period *p,
                          const char *period, ProtobufCMessage **resp)
{
    dispatch_part all = {.cells = 1, .summary = 1, .from = 0, .count = SIZE_MAX};
    return dispatch_build_part(c, plan, p, period, &all, resp);
}

static void dispatch_record(ProtobufCMessage *m, const pw_publication_record *rec)
{
    Planwatch__V1__DispatchSummary *s = (Planwatch__V1__DispatchSummary *)m;
    PW_PUBLICATION_RECORD_SET(s, rec);
}

const pw_publication_kind pw_dispatch_publication = {
    .kind = "dispatch",
    .title = "dispatch summary",
    .desc = &planwatch__v1__dispatch_summary__descriptor,
    .periods = PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER,
    .build = dispatch_build,
    .record = dispatch_record,
};

/* A part of a published (frozen) summary: the same parts as the live
 * view's (DispatchRequest.page_size), cut from the whole. */
static void dispatch_slice(pw_arena *a, Planwatch__V1__DispatchSummary *s, int page_size,
                           size_t from)
{
    size_t total = s->n_units;
    if (page_size < 0) {
        s->n_cells = 0;
        dispatch_page_fields(a, s, page_size, 0, total, total);
        return;
    }
    size_t lo = from < total ? from : total;
    size_t hi = total - lo < (size_t)page_size ? total : lo + (size_t)page_size;
    /* cells come unit by unit in the order of the units */
    size_t n = 0, k = 0;
    for (size_t i = 0; i < s->n_cells; i++) {
        while (k < total && strcmp(s->cells[i]->unit, s->units[k]->unit) != 0)
            k++;
        if (k >= total)
            break;
        if (k >= lo && k < hi)
            s->cells[n++] = s->cells[i];
    }
    s->n_cells = n;
    if (hi > lo)
        memmove(s->units, s->units + lo, sizeof *s->units * (hi - lo));
    s->n_units = hi - lo;
    s->n_rates = s->n_indicators = s->n_red_items = s->n_flags = s->n_supervision = 0;
    dispatch_page_fields(a, s, page_size, lo, hi - lo, total);
}

/* DispatchRequest.page_size and page_token: PW_OK with the part, or
 * PW_INVALID_ARGUMENT. */
static int dispatch_part_of(pw_call *c, const Planwatch__V1__DispatchRequest *r,
                            dispatch_part *part)
{
    char *end = NULL;
    long from = r->page_token[0] ? strtol(r->page_token, &end, 10) : 0;
    if (r->page_size < -1 || (r->page_token[0] && (*end || from < 0 || from > INT32_MAX)))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "page_size %d, page_token '%.24s': page_size -1 (no appendix), 0 "
                            "(all) or N > 0 units; page_token empty or a next_page_token",
                            r->page_size, r->page_token);
    part->cells = r->page_size >= 0;
    part->summary = r->page_size <= 0;
    part->from = r->page_size > 0 ? (size_t)from : 0;
    part->count = r->page_size > 0 ? (size_t)r->page_size : SIZE_MAX;
    return PW_OK;
}

int pw_svc_dispatch_get(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__DispatchRequest *r = (const Planwatch__V1__DispatchRequest *)req;
    pw_period p;
    pw_plan_row plan;
    char period[16];
    dispatch_part part;
    int st = pw_call_plan_period(c, r->plan, r->period, pw_dispatch_publication.periods, &plan, &p,
                                 period, sizeof period);
    if (st != PW_OK || (st = dispatch_part_of(c, r, &part)) != PW_OK)
        return st;
    int office = (c->who.role & (PW_ROLE_OFFICE | PW_ROLE_ADMIN)) != 0;
    if (r->page_size != 0 && office && r->version == 0 && !r->head_only)
        return dispatch_build_part(c, &plan, &p, period, &part, resp); /* a part of the live view */
    if ((st = pw_publication_serve(c, &pw_dispatch_publication, &plan, &p, period, r->version,
                                   r->head_only, resp)) != PW_OK)
        return st;
    if (r->page_size != 0 && !r->head_only)
        dispatch_slice(c->arena, (Planwatch__V1__DispatchSummary *)*resp, r->page_size, part.from);
    return PW_OK;
}
