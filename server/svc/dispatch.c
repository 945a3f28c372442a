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
#include <stdio.h>
#include <string.h>

#include "common/period.h"
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

/* Progress input of assignment `a` with `v` (NULL: none) as of month m. */
static int dispatch_progress(const pw_assignment *a, double target, int has_baseline,
                             double baseline, const pw_assess_value *v, int m,
                             pw_progress_result *out)
{
    pw_progress_input in = {0};
    int kind = pw_progress_kind_from_name(a ? a->kind : "");
    int dir = pw_progress_direction_from_name(a ? a->direction : "");
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

int pw_dispatch_progress_of(const pw_assignment *a, const pw_assess_value *v, int m,
                            pw_progress_result *out);
int pw_dispatch_progress_of(const pw_assignment *a, const pw_assess_value *v, int m,
                            pw_progress_result *out)
{
    return dispatch_progress(a, a->target, a->has_baseline, a->baseline, v, m, out);
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

/* The full live dispatch summary of (plan, period) (pw_publication_kind). */
static int dispatch_build(pw_call *c, const pw_plan_row *plan_in, const pw_period *p_in,
                          const char *period, ProtobufCMessage **resp)
{
    pw_arena *a = c->arena;
    pw_plan_row plan = *plan_in;
    pw_period p = *p_in;
    int st;
    /* a quarter: the quarterly bulletin, as of its last month (SPEC 3.4) */
    int m = p.kind == PW_PERIOD_QUARTER ? 3 * p.index : p.index;
    int first_month = p.kind == PW_PERIOD_QUARTER ? m - 2 : m;
    pw_assess as;
    if ((st = pw_assess_load(c->db, a, &plan, p.year, m, c->now, "", PW_ASSESS_HISTORY, &as)) !=
        PW_OK)
        return pw_call_fail(c, st, "cannot read the reports of %s", period);

    Planwatch__V1__DispatchSummary *out = pw_arena_alloc(a, sizeof *out);
    planwatch__v1__dispatch_summary__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = plan.tz_offset_min;
    out->plan = (char *)plan.id;
    out->plan_name = (char *)plan.name;
    out->period = pw_arena_strdup(a, period);
    out->time_elapsed = pw_month_elapsed(m);
    out->generated_at = c->now;
    pw_deadline_monthly(p.year, m, plan.due_day, plan.tz_offset_min, &out->deadline);
    pw_deadline_row ext;
    char mtext[16];
    snprintf(mtext, sizeof mtext, "%04d-%02d", p.year, m);
    if ((st = pw_store_deadline_get(c->db, a, plan.id, mtext, "", &ext)) == PW_OK) {
        out->deadline = ext.until;
        out->extended_to = (char *)ext.until_date;
        out->extension_reason = (char *)ext.reason;
    } else if (st != PW_NOT_FOUND) {
        return pw_call_fail(c, PW_INTERNAL, "cannot read deadline extensions");
    }

    size_t cap_cells = 0, cap_red = 0, cap_flags = 0;
    pw_dispatch_timeliness_range(a, &as, first_month, m, "", &out->units, &out->n_units,
                                 &out->rates, &out->n_rates);
    for (size_t k = 0; k < as.nunits; k++) {
        const pw_assess_unit *u = &as.units[k];
        Planwatch__V1__UnitTimeliness *ut = out->units[k];
        /* lights of the unit's own indicators, red items, quality flags */
        const char *problems = NULL;
        int problems_month = 0;
        for (int k2 = m; k2 >= 1 && !problems; k2--)
            if (u->month[k2].report_id && u->month[k2].problems[0]) {
                problems = u->month[k2].problems;
                problems_month = k2;
            }
        for (size_t i = 0; i < u->nind; i++) {
            const pw_assignment *asg = &u->ind[i];
            int vmonth = 0;
            const pw_assess_value *v = pw_assess_actual(u, i, m, &vmonth);
            pw_progress_result pr;
            if (pw_dispatch_progress_of(asg, v, m, &pr) != PW_OK)
                continue;
            const char *state = dispatch_milestone_name(asg->kind, v);
            Planwatch__V1__LightCell *cell = pw_arena_alloc(a, sizeof *cell);
            planwatch__v1__light_cell__init(cell);
            cell->unit = (char *)u->unit.id;
            cell->indicator = (char *)asg->indicator_id;
            cell->light = pr.no_report ? "none" : (char *)dispatch_light_name(pr.light);
            cell->progress = pr.progress;
            cell->has_actual = v != NULL;
            cell->actual = v ? v->value : 0;
            cell->target = asg->target;
            cell->kind = (char *)asg->kind;
            cell->state = (char *)state;
            cell->data_month = v ? vmonth : 0;
            PUSH(a, out->cells, out->n_cells, cap_cells, cell);
            if (pr.light == PW_LIGHT_GREEN)
                ut->green++;
            else if (pr.light == PW_LIGHT_YELLOW)
                ut->yellow++;
            else
                ut->red++;
            if (pr.light == PW_LIGHT_RED) {
                Planwatch__V1__RedItem *ri = pw_arena_alloc(a, sizeof *ri);
                planwatch__v1__red_item__init(ri);
                ri->unit = (char *)u->unit.id;
                ri->unit_name = (char *)u->unit.name;
                ri->indicator = (char *)asg->indicator_id;
                ri->indicator_name = (char *)asg->level3;
                ri->progress = pr.progress;
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
                PUSH(a, out->red_items, out->n_red_items, cap_red, ri);
            }
            if (strcmp(asg->kind, "milestone") == 0 || strcmp(asg->kind, "task") == 0)
                continue;
            pw_quality_series s = {.cumulative = strcmp(asg->kind, "cumulative") == 0,
                                   .direction_up = strcmp(asg->direction, "down") != 0,
                                   .target = asg->target,
                                   .m = m};
            for (int mm = 1; mm <= m; mm++) {
                const pw_assess_value *x = &u->values[i * 13 + (size_t)mm];
                s.has[mm] = x->has;
                s.value[mm] = x->value;
            }
            pw_quality_flag fl[4];
            size_t nf = pw_quality_check(&s, fl, 4);
            for (size_t f = 0; f < nf; f++) {
                Planwatch__V1__QualityFlag *q = pw_arena_alloc(a, sizeof *q);
                planwatch__v1__quality_flag__init(q);
                q->unit = (char *)u->unit.id;
                q->indicator = (char *)asg->indicator_id;
                q->kind = (char *)pw_quality_kind_name(fl[f].kind);
                q->months = pw_arena_printf(a, "%04d-%02d,%04d-%02d", p.year, fl[f].first_month,
                                            p.year, fl[f].last_month);
                q->values = pw_arena_printf(a, "%g,%g", fl[f].a, fl[f].b);
                q->unit_name = (char *)u->unit.name;
                q->indicator_name = (char *)asg->level3;
                q->message = dispatch_flag_message(a, u, asg, &fl[f], s.cumulative);
                PUSH(a, out->flags, out->n_flags, cap_flags, q);
            }
        }
    }

    /* plan-wide indicators */
    pw_plan_indicator *pi;
    size_t npi;
    if (pw_store_plan_indicators(c->db, a, plan.id, p.year, m, &pi, &npi) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the plan's indicators");
    out->indicators = pw_arena_alloc(a, sizeof *out->indicators * (npi ? npi : 1));
    for (size_t i = 0; i < npi; i++) {
        if (!pi[i].has_target)
            continue;
        Planwatch__V1__IndicatorProgress *ip = pw_arena_alloc(a, sizeof *ip);
        planwatch__v1__indicator_progress__init(ip);
        ip->indicator = (char *)pi[i].id;
        ip->level1 = (char *)pi[i].level1;
        ip->level2 = (char *)pi[i].level2;
        ip->name = (char *)pi[i].level3;
        ip->uom = (char *)pi[i].uom;
        ip->kind = (char *)pi[i].kind;
        ip->direction = (char *)pi[i].direction;
        ip->target = pi[i].target;
        ip->actual_source = "none";
        ip->judged = pi[i].nleads > 0;
        ip->due = (char *)pi[i].due;
        int kind = pw_progress_kind_from_name(pi[i].kind);
        int agg = pw_progress_aggregate_from_name(pi[i].aggregate);
        pw_progress_kind pk = kind >= 0 ? (pw_progress_kind)kind : PW_PROGRESS_LEVEL;
        pw_progress_aggregate pa = pw_progress_aggregate_resolve(
            pk, agg >= 0 ? (pw_progress_aggregate)agg : PW_AGGREGATE_DEFAULT);
        ip->aggregate = (char *)pw_progress_aggregate_name(pa);
        /* the leads' values as of m, in the CSV's order of the leads */
        pw_progress_actual *lv = pw_arena_alloc(a, sizeof *lv * (pi[i].nleads ? pi[i].nleads : 1));
        for (size_t l = 0; l < pi[i].nleads; l++) {
            memset(&lv[l], 0, sizeof lv[l]);
            for (size_t k = 0; k < as.nunits && !lv[l].present; k++) {
                const pw_assess_unit *u = &as.units[k];
                if (strcmp(u->unit.id, pi[i].leads[l]) != 0)
                    continue;
                for (size_t j = 0; j < u->nind; j++) {
                    if (strcmp(u->ind[j].indicator_id, pi[i].id) != 0)
                        continue;
                    const pw_assess_value *v = pw_assess_actual(u, j, m, NULL);
                    if (v) {
                        lv[l].present = 1;
                        lv[l].number = v->value;
                        lv[l].milestone = v->milestone >= 0 ? (pw_progress_milestone)v->milestone
                                                            : PW_MILESTONE_NOT_STARTED;
                    }
                }
            }
        }
        pw_progress_actual agg_out;
        size_t used = 0, left = 0;
        pw_assess_value best = {0};
        if (pw_progress_aggregate_of(pk, pa, lv, pi[i].nleads, &agg_out, &used, &left) == PW_OK &&
            agg_out.present) {
            best.has = 1;
            best.value = agg_out.number;
            best.milestone = pw_progress_kind_is_state(pk) ? (int)agg_out.milestone : -1;
            if (pw_progress_kind_is_state(pk))
                best.value = 0;
            ip->actual_source = "lead";
        }
        ip->leads_reported = pw_arena_alloc(a, sizeof(char *) * (pi[i].nleads ? pi[i].nleads : 1));
        ip->leads_missing = pw_arena_alloc(a, sizeof(char *) * (pi[i].nleads ? pi[i].nleads : 1));
        for (size_t l = 0; l < pi[i].nleads; l++) {
            if (lv[l].present && (pa != PW_AGGREGATE_FIRST || ip->n_leads_reported == 0))
                ip->leads_reported[ip->n_leads_reported++] = (char *)pi[i].leads[l];
            else if (!lv[l].present && (pa != PW_AGGREGATE_FIRST || ip->n_leads_reported == 0))
                ip->leads_missing[ip->n_leads_missing++] = (char *)pi[i].leads[l];
        }
        if (!best.has && strcmp(pi[i].kind, "cumulative") == 0) {
            double sum = 0;
            int any = 0;
            for (size_t k = 0; k < as.nunits; k++) {
                const pw_assess_unit *u = &as.units[k];
                for (size_t j = 0; j < u->nind; j++) {
                    if (strcmp(u->ind[j].indicator_id, pi[i].id) != 0)
                        continue;
                    const pw_assess_value *v = pw_assess_actual(u, j, m, NULL);
                    if (v) {
                        sum += v->value;
                        any = 1;
                    }
                }
            }
            if (any) {
                best.has = 1;
                best.value = sum;
                best.milestone = -1;
                ip->actual_source = "sum";
            }
        }
        pw_assignment asg = {.kind = pi[i].kind,
                             .direction = pi[i].direction,
                             .has_tolerance = pi[i].has_tolerance,
                             .tolerance = pi[i].tolerance,
                             .due_month = pi[i].due_month};
        pw_progress_result pr;
        if (dispatch_progress(&asg, pi[i].target, pi[i].has_baseline, pi[i].baseline,
                              best.has ? &best : NULL, m, &pr) != PW_OK)
            continue;
        ip->has_actual = best.has;
        ip->actual = best.value;
        ip->progress = pr.progress;
        /* an indicator without a lead is not judged (SPEC 3.2) */
        ip->light = ip->judged ? (char *)dispatch_light_name(pr.light) : "none";
        ip->state = (char *)dispatch_milestone_name(pi[i].kind, best.has ? &best : NULL);
        out->indicators[out->n_indicators++] = ip;
    }
    /* the catalog: every indicator with a plan-wide target or a cell */
    out->catalog = pw_arena_alloc(a, sizeof *out->catalog * (npi ? npi : 1));
    unsigned char *used = pw_arena_alloc(a, npi ? npi : 1);
    for (size_t k = 0; k < as.nunits; k++)
        for (size_t j = 0; j < as.units[k].nind; j++) {
            /* pi is in plan order (seq): find the unit's indicator by its seq */
            size_t lo = 0, hi = npi;
            int seq = as.units[k].ind[j].seq;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (pi[mid].seq < seq)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < npi && pi[lo].seq == seq)
                used[lo] = 1;
        }
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

    /* open supervision items, overdue ones flagged */
    pw_supervision_row *sr;
    size_t nsr;
    if (pw_store_supervision_list(c->db, a, "", 0, &sr, &nsr) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read supervision items");
    out->supervision = pw_arena_alloc(a, sizeof *out->supervision * (nsr ? nsr : 1));
    for (size_t i = 0; i < nsr; i++)
        out->supervision[out->n_supervision++] = pw_supervision_item(c, &sr[i], plan.tz_offset_min);
    *resp = &out->base;
    return PW_OK;
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

int pw_svc_dispatch_get(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__DispatchRequest *r = (const Planwatch__V1__DispatchRequest *)req;
    pw_period p;
    pw_plan_row plan;
    char period[16];
    int st = pw_call_plan_period(c, r->plan, r->period, pw_dispatch_publication.periods, &plan, &p,
                                 period, sizeof period);
    if (st != PW_OK)
        return st;
    return pw_publication_serve(c, &pw_dispatch_publication, &plan, &p, period, r->version,
                                r->head_only, resp);
}
