/*
 * dispatch.c - the dispatch summary of one month.
 *
 * Design notes
 * - Everything is derived at read time from the stored reports (assess.c),
 *   so a summary always agrees with the reports and amendments; nothing is
 *   cached that could go stale.
 * - The actual of a (unit, indicator) as of month m is the value of the
 *   unit's latest report for a month <= m (pw_assess_actual).  The
 *   plan-wide actual of an indicator is its lead units' value (the first
 *   lead in plan order that reported one), else for cumulative indicators
 *   the sum of the unit values (SPEC 3.2).
 * - Viewers and reporters read a summary only once the office published it.
 */
#include "server/svc/dispatch.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/period.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "server/store/assess.h"
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
    in.kind = strcmp(a ? a->kind : "", "milestone") == 0    ? PW_PROGRESS_MILESTONE
              : strcmp(a ? a->kind : "", "cumulative") == 0 ? PW_PROGRESS_CUMULATIVE
                                                            : PW_PROGRESS_LEVEL;
    in.direction = a && strcmp(a->direction, "down") == 0 ? PW_PROGRESS_DOWN : PW_PROGRESS_UP;
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

void pw_dispatch_timeliness(pw_arena *a, const pw_assess *as, int m, const char *unit,
                            Planwatch__V1__UnitTimeliness ***units, size_t *nunits,
                            Planwatch__V1__CategoryRate ***rates, size_t *nrates)
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
        const pw_assess_month *mo = &u->month[m];
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

int dispatch_get_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__DispatchRequest *r = (const Planwatch__V1__DispatchRequest *)req;
    pw_arena *a = c->arena;
    pw_period p;
    pw_plan_row plan;
    char period[16];
    int st = pw_call_plan_period(c, r->plan, r->period, PW_PERIOD_ALLOW_MONTH, &plan, &p, period,
                                 sizeof period);
    if (st != PW_OK)
        return st;
    int published;
    int64_t published_at;
    if ((st = pw_publication_check(c, "dispatch", plan.id, period, &published, &published_at)) !=
        PW_OK)
        return st;

    int m = p.index;
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
    out->published = published;
    out->published_at = published_at;
    pw_deadline_monthly(p.year, m, plan.due_day, plan.tz_offset_min, &out->deadline);

    size_t cap_cells = 0, cap_red = 0, cap_flags = 0;
    pw_dispatch_timeliness(a, &as, m, "", &out->units, &out->n_units, &out->rates, &out->n_rates);
    for (size_t k = 0; k < as.nunits; k++) {
        const pw_assess_unit *u = &as.units[k];
        Planwatch__V1__UnitTimeliness *ut = out->units[k];
        /* lights of the unit's own indicators, red items, quality flags */
        const char *problems = NULL;
        for (int k2 = m; k2 >= 1 && !problems; k2--)
            if (u->month[k2].report_id && u->month[k2].problems[0])
                problems = u->month[k2].problems;
        for (size_t i = 0; i < u->nind; i++) {
            const pw_assignment *asg = &u->ind[i];
            const pw_assess_value *v = pw_assess_actual(u, i, m, NULL);
            pw_progress_result pr;
            if (pw_dispatch_progress_of(asg, v, m, &pr) != PW_OK)
                continue;
            Planwatch__V1__LightCell *cell = pw_arena_alloc(a, sizeof *cell);
            planwatch__v1__light_cell__init(cell);
            cell->unit = (char *)u->unit.id;
            cell->indicator = (char *)asg->indicator_id;
            cell->light = pr.no_report ? "none" : (char *)dispatch_light_name(pr.light);
            cell->progress = pr.progress;
            cell->has_actual = v != NULL;
            cell->actual = v ? v->value : 0;
            cell->target = asg->target;
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
                PUSH(a, out->red_items, out->n_red_items, cap_red, ri);
            }
            if (strcmp(asg->kind, "milestone") == 0)
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
                switch (fl[f].kind) {
                case PW_QF_CUMULATIVE_DECREASE:
                    q->message = pw_arena_printf(a, "%s %s: cumulative value fell from %g to %g",
                                                 u->unit.name, asg->level3, fl[f].a, fl[f].b);
                    break;
                case PW_QF_STALE:
                    q->message = pw_arena_printf(
                        a,
                        "%s %s: value %g unchanged since %04d-%02d while the target %g is not met",
                        u->unit.name, asg->level3, fl[f].a, p.year, fl[f].first_month, asg->target);
                    break;
                case PW_QF_OUTLIER:
                    q->message = pw_arena_printf(
                        a, "%s %s: %s %g is far from the unit's usual %g (robust z %.1f)",
                        u->unit.name, asg->level3, s.cumulative ? "monthly increase" : "value",
                        fl[f].b, fl[f].a, fl[f].score);
                    break;
                default:
                    q->message = pw_arena_printf(
                        a,
                        "%s %s: %g is already %.0f%% of the year's target %g in the first quarter",
                        u->unit.name, asg->level3, fl[f].b, fl[f].score * 100, fl[f].a);
                    break;
                }
                PUSH(a, out->flags, out->n_flags, cap_flags, q);
            }
        }
    }

    /* plan-wide indicators */
    pw_plan_indicator *pi;
    size_t npi;
    if (store_plan_indicators(c->db, a, plan.id, p.year, &pi, &npi) != PW_OK)
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
        pw_assess_value best = {0};
        /* the first lead (plan order) with a value */
        for (size_t l = 0; l < pi[i].nleads && !best.has; l++) {
            for (size_t k = 0; k < as.nunits && !best.has; k++) {
                const pw_assess_unit *u = &as.units[k];
                if (strcmp(u->unit.id, pi[i].leads[l]) != 0)
                    continue;
                for (size_t j = 0; j < u->nind; j++) {
                    if (strcmp(u->ind[j].indicator_id, pi[i].id) != 0)
                        continue;
                    const pw_assess_value *v = pw_assess_actual(u, j, m, NULL);
                    if (v) {
                        best = *v;
                        ip->actual_source = "lead";
                    }
                }
            }
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
        pw_assignment asg = {.kind = pi[i].kind, .direction = pi[i].direction};
        pw_progress_result pr;
        if (dispatch_progress(&asg, pi[i].target, pi[i].has_baseline, pi[i].baseline,
                              best.has ? &best : NULL, m, &pr) != PW_OK)
            continue;
        ip->has_actual = best.has;
        ip->actual = best.value;
        ip->progress = pr.progress;
        ip->light = (char *)dispatch_light_name(pr.light);
        out->indicators[out->n_indicators++] = ip;
    }

    /* open supervision items, overdue ones flagged */
    pw_supervision_row *sr;
    size_t nsr;
    if (store_supervision_list(c->db, a, "", 0, &sr, &nsr) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read supervision items");
    out->supervision = pw_arena_alloc(a, sizeof *out->supervision * (nsr ? nsr : 1));
    for (size_t i = 0; i < nsr; i++) {
        Planwatch__V1__SupervisionItem *it = pw_arena_alloc(a, sizeof *it);
        planwatch__v1__supervision_item__init(it);
        it->id = sr[i].id;
        it->unit = (char *)sr[i].unit;
        it->unit_name = (char *)sr[i].unit_name;
        it->text = (char *)sr[i].text;
        it->deadline = (char *)sr[i].deadline;
        it->state = (char *)sr[i].state;
        it->overdue = pw_supervision_overdue(&sr[i], c->now, plan.tz_offset_min);
        it->opened_by = (char *)sr[i].opened_by;
        it->opened_at = sr[i].opened_at;
        out->supervision[out->n_supervision++] = it;
    }
    *resp = &out->base;
    return PW_OK;
}
