/*
 * scores.c - ScoreService/Get and Flag: scores and rankings of a month,
 * quarter or year (SPEC 3.5), computed by the pure engine (score.c) from what
 * assess.c and the store load; the office's flag decisions.
 *
 * Design notes
 * - The window is year-to-date (pw_period_window); a month or half-year
 *   counts only once its deadline has passed at the time of scoring (the
 *   server clock), which the engine receives as `deadline_passed`.
 * - work_performance uses each indicator's progress as of the window's last
 *   month (the latest report <= that month), against t = last month / 12.
 * - A falsification finding with a count N counts as N falsifications.
 * - scores_build computes the full ranking (every category, every unit's
 *   explanation): it is what a publication freezes (publish.h) and what the
 *   office's live view compares with the published version.  Get then keeps
 *   what the caller asked for and may see: the category; explanations — the
 *   office any unit's, a reporter only its own unit's, viewers none.
 * - Sheets come from pw_store_sheet_get with their flag settings; the office's
 *   decisions (score_flags) reach the engine as overrides for the exact
 *   period asked; supervision items due in the year feed the supervision
 *   kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/svc/scores.h"

#include "common/period.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "server/store/assess.h"
#include "server/svc/dispatch.h"
#include "server/svc/plan.h"
#include "server/engine/progress.h"
#include "server/svc/publish.h"
#include "server/engine/score.h"
#include "server/store/store_plan.h"
#include "server/store/store_publish.h"
#include "server/store/store_sheet.h"
#include "server/svc/supervise.h"
#include "server/store/store_account.h"

/* The categories a sheet can be imported for (the sheets table's CHECK). */
static const char *const scores_categories[] = {"county", "department"};
#define SCORES_NCATEGORIES (sizeof scores_categories / sizeof scores_categories[0])

/* The imported sheets, parsed for the engine, with their flag settings. */
static int scores_load_sheets(pw_call *c, pw_score_sheet **sheets, size_t *nsheets)
{
    pw_score_sheet *sh = pw_arena_alloc(c->arena, sizeof *sh * SCORES_NCATEGORIES);
    size_t n = 0;
    for (size_t k = 0; k < SCORES_NCATEGORIES; k++) {
        const char *cat = scores_categories[k];
        pw_sheet_item *rows;
        pw_sheet_settings set;
        size_t nrows;
        int64_t at;
        int st = pw_store_sheet_get(c->db, c->arena, cat, &at, &set, &rows, &nrows);
        if (st == PW_NOT_FOUND)
            continue;
        if (st != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read the %s score sheet", cat);
        pw_score_item *items = pw_arena_alloc(c->arena, sizeof *items * (nrows ? nrows : 1));
        for (size_t i = 0; i < nrows; i++) {
            pw_score_item *it = &items[i];
            int kind = pw_score_kind_from_name(rows[i].kind);
            it->number = rows[i].item;
            it->group = rows[i].group;
            it->content = rows[i].content;
            it->max_points = rows[i].max_points;
            if (kind < 0 || pw_score_params_parse((pw_score_kind)kind, rows[i].params, &it->params,
                                                  NULL, 0) != PW_OK)
                return pw_call_fail(c, PW_INTERNAL, "stored sheet %s item %d is invalid", cat,
                                    it->number);
            it->kind = (pw_score_kind)kind;
        }
        sh[n++] = (pw_score_sheet){.category = cat,
                                   .items = items,
                                   .n_items = nrows,
                                   .commend_top = set.commend_top,
                                   .criticise_bottom = set.criticise_bottom};
    }
    *sheets = sh;
    *nsheets = n;
    return PW_OK;
}

static int scores_flag_of(const char *name)
{
    if (strcmp(name, "commend") == 0)
        return PW_SCORE_FLAG_COMMEND;
    if (strcmp(name, "criticise") == 0)
        return PW_SCORE_FLAG_CRITICISE;
    if (strcmp(name, "none") == 0)
        return PW_SCORE_FLAG_NONE;
    return -1;
}

static pw_score_receipt scores_receipt(int status)
{
    switch (status) {
    case PW_TL_ON_TIME:
        return PW_SCORE_ON_TIME;
    case PW_TL_LATE:
        return PW_SCORE_LATE;
    case PW_TL_MISSING:
        return PW_SCORE_MISSING;
    default:
        return PW_SCORE_NOT_EXPECTED;
    }
}

/* Convert the loaded findings of a unit for the engine. */
static size_t scores_findings(pw_arena *a, const pw_assess_unit *u, const pw_score_sheet *sheet,
                              pw_score_finding **out)
{
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < u->nfindings; i++)
        cap += strcmp(u->findings[i].kind, "falsification") == 0 ? (size_t)u->findings[i].count : 1;
    pw_score_finding *f = pw_arena_alloc(a, sizeof *f * (cap ? cap : 1));
    for (size_t i = 0; i < u->nfindings; i++) {
        const pw_finding_row *r = &u->findings[i];
        pw_score_finding x = {.id = r->id * 1024, .note = r->note};
        if (strcmp(r->kind, "falsification") == 0) {
            x.kind = PW_SCORE_FINDING_FALSIFICATION;
            for (int64_t k = 0; k < r->count && n < cap; k++) {
                x.id = r->id * 1024 + k;
                f[n++] = x;
            }
            continue;
        }
        if (strcmp(r->kind, "bonus") == 0 || strcmp(r->kind, "penalty") == 0) {
            x.kind = r->kind[0] == 'b' ? PW_SCORE_FINDING_BONUS : PW_SCORE_FINDING_PENALTY;
            x.value = r->points;
        } else {
            const pw_score_item *it = sheet ? pw_score_sheet_item(sheet, r->item) : NULL;
            if (!it)
                continue; /* the sheet was re-imported without that item */
            x.kind = PW_SCORE_FINDING_ITEM;
            x.item = r->item;
            x.value = r->has_points ? r->points : r->has_amount ? r->amount : (double)r->count;
            if (pw_score_finding_check(it, x.value, NULL, 0) != PW_OK)
                continue; /* e.g. an item's maximum lowered by a re-import */
        }
        f[n++] = x;
    }
    *out = f;
    return n;
}

/* Monthly and half-year receipts of one unit for the engine. */
static void scores_unit_receipts(pw_call *c, const pw_assess_unit *u, int year, pw_score_unit *su)
{
    for (int m = 1; m <= 12; m++) {
        const pw_assess_month *mo = &u->month[m];
        su->months[m - 1].deadline_passed = c->now > mo->deadline;
        su->months[m - 1].receipt = scores_receipt(mo->status);
        su->months[m - 1].days_late = mo->status == PW_TL_LATE ? (int)mo->days_late : 0;
        if (mo->status == PW_TL_NOT_DUE)
            su->months[m - 1].receipt = PW_SCORE_MISSING;
        if (mo->extended_to)
            su->months[m - 1].deadline_note =
                pw_arena_printf(c->arena, "deadline extended to %s: %s", mo->extended_to,
                                mo->extension_reason ? mo->extension_reason : "");
    }
    for (int h = 1; h <= 2; h++) {
        pw_score_submission *hs = &su->halfyears[h - 1];
        hs->deadline_passed = c->now > u->half_deadline[h];
        if (!pw_assess_unit_active(&u->unit, year, h * 6) || u->nind == 0)
            hs->receipt = PW_SCORE_NOT_EXPECTED;
        else if (!u->half_received[h])
            hs->receipt = PW_SCORE_MISSING;
        else if (u->half_received[h] <= u->half_deadline[h])
            hs->receipt = PW_SCORE_ON_TIME;
        else {
            hs->receipt = PW_SCORE_LATE;
            hs->days_late = (int)pw_days_late(u->half_received[h], u->half_deadline[h]);
        }
    }
}

/* An assignment's kind and direction as numbers: the strings come from the
 * plan's few indicators, so the last few pairs are remembered by address. */
typedef struct scores_kind {
    const char *kind, *dir;
    int pk, pd;
} scores_kind;

static const scores_kind *scores_kind_of(scores_kind cache[4], const pw_assignment *a)
{
    for (int i = 0; i < 4; i++)
        if (cache[i].kind == a->kind && cache[i].dir == a->direction)
            return &cache[i];
    memmove(&cache[1], &cache[0], sizeof *cache * 3);
    cache[0] = (scores_kind){a->kind, a->direction, pw_progress_kind_from_name(a->kind),
                             pw_progress_direction_from_name(a->direction)};
    return &cache[0];
}

/* Each indicator's progress as of the window's last month. */
static pw_score_indicator *scores_unit_indicators(pw_arena *a, const pw_assess_unit *u, int last)
{
    pw_score_indicator *ind = pw_arena_alloc(a, sizeof *ind * (u->nind ? u->nind : 1));
    scores_kind cache[4] = {{0}};
    for (size_t i = 0; i < u->nind; i++) {
        pw_progress_result pr;
        const pw_assess_value *v = pw_assess_actual(u, i, last, NULL);
        const scores_kind *k = scores_kind_of(cache, &u->ind[i]);
        ind[i].id = u->ind[i].indicator_id;
        ind[i].name = u->ind[i].level3;
        if (pw_dispatch_progress_kinds(k->pk, k->pd, &u->ind[i], v, last, &pr) == PW_OK) {
            ind[i].progress = pr.progress;
            ind[i].no_report = pr.no_report;
            /* threshold, milestone and task rows: judged by their light as
             * of the window's last month (SPEC 3.5) */
            ind[i].by_light = k->pk == PW_PROGRESS_THRESHOLD || k->pk == PW_PROGRESS_MILESTONE ||
                              k->pk == PW_PROGRESS_TASK;
            ind[i].light = (int)pr.light;
        } else {
            ind[i].no_report = 1;
        }
    }
    return ind;
}

/* Supervision items of the unit due in `year`. */
static void scores_unit_supervision(pw_call *c, const pw_supervision_row *sv, size_t nsv,
                                    const pw_assess_unit *u, int year, int tz, pw_score_unit *su)
{
    pw_score_supervision *ss = NULL;
    for (size_t i = 0; i < nsv; i++) {
        if (strcmp(sv[i].unit, u->unit.id) != 0 || atoi(sv[i].deadline) != year)
            continue;
        if (!ss)
            ss = pw_arena_alloc(c->arena, sizeof *ss * nsv);
        pw_score_supervision *x = &ss[su->n_supervision++];
        x->id = sv[i].id;
        x->deadline = sv[i].deadline;
        x->deadline_month = atoi(sv[i].deadline + 5);
        x->days_late = pw_supervision_days_late(&sv[i], tz);
        if (strcmp(sv[i].state, "closed") == 0)
            x->state =
                x->days_late > 0 ? PW_SCORE_SUPERVISION_CLOSED_LATE : PW_SCORE_SUPERVISION_ON_TIME;
        else
            x->state = pw_supervision_overdue(&sv[i], c->now, tz)
                           ? PW_SCORE_SUPERVISION_OPEN_OVERDUE
                           : PW_SCORE_SUPERVISION_OPEN;
    }
    su->supervision = ss;
}

static const pw_score_sheet *scores_sheet_of(const pw_score_sheet *sheets, size_t nsheets,
                                             const char *category)
{
    const pw_score_sheet *sheet = NULL;
    for (size_t s = 0; s < nsheets; s++)
        if (strcmp(sheets[s].category, category) == 0)
            sheet = &sheets[s];
    return sheet;
}

/* The walk over the units (pw_assess_each): each unit's engine input, with
 * its indicators' progress computed while its values are at hand. */
typedef struct scores_walk {
    pw_call *c;
    const pw_assess *as;
    const pw_score_sheet *sheets;
    size_t nsheets;
    const pw_supervision_row *sv;
    size_t nsv;
    int last;
    pw_score_unit *units;
    size_t n;
} scores_walk;

static int scores_unit(void *arg, pw_assess_unit *u)
{
    scores_walk *w = arg;
    pw_call *c = w->c;
    const pw_score_sheet *sheet = scores_sheet_of(w->sheets, w->nsheets, u->unit.category);
    if (!sheet)
        return pw_call_fail(c, PW_FAILED_PRECONDITION,
                            "no score sheet for category %s: planwatch sheet import FILE "
                            "--category %s",
                            u->unit.category, u->unit.category);
    pw_score_unit *su = &w->units[w->n++];
    su->id = u->unit.id;
    su->category = u->unit.category;
    scores_unit_receipts(c, u, w->as->year, su);
    su->indicators = scores_unit_indicators(c->arena, u, w->last);
    su->n_indicators = u->nind;
    pw_score_finding *f;
    su->n_findings = scores_findings(c->arena, u, sheet, &f);
    su->findings = f;
    scores_unit_supervision(c, w->sv, w->nsv, u, w->as->year, w->as->plan.tz_offset_min, su);
    return PW_OK;
}

/* The engine's input of every unit: one unit's assignments and values in
 * memory at a time (issue 18). */
static int scores_units(pw_call *c, pw_assess *as, const pw_score_sheet *sheets, size_t nsheets,
                        int last, pw_score_unit **out, size_t *nout)
{
    pw_supervision_row *sv;
    size_t nsv;
    if (pw_store_supervision_list(c->db, c->arena, "", 1, &sv, &nsv) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read supervision items");
    scores_walk w = {.c = c,
                     .as = as,
                     .sheets = sheets,
                     .nsheets = nsheets,
                     .sv = sv,
                     .nsv = nsv,
                     .last = last,
                     .units =
                         pw_arena_alloc(c->arena, sizeof *w.units * (as->nunits ? as->nunits : 1))};
    memset(w.units, 0, sizeof *w.units * (as->nunits ? as->nunits : 1));
    pw_arena scratch;
    pw_arena_init(&scratch);
    int st = pw_assess_each(c->db, c->arena, &scratch, as, PW_ASSESS_ACTUALS, scores_unit, &w);
    pw_arena_fini(&scratch);
    if (st != PW_OK) /* scores_unit's failure carries its own message */
        return c->message ? st : pw_call_fail(c, st, "cannot read the reports of %d", as->year);
    *out = w.units;
    *nout = w.n;
    return PW_OK;
}

/* The office's decisions on flags of this period, for the engine. */
static int scores_overrides(pw_call *c, const char *plan, const char *period,
                            pw_score_override **out, size_t *n)
{
    pw_score_flag_row *frows = NULL;
    size_t nfrows = 0;
    if (pw_store_score_flags_get(c->db, c->arena, plan, period, &frows, &nfrows) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the office's flag decisions");
    pw_score_override *ov = pw_arena_alloc(c->arena, sizeof *ov * (nfrows ? nfrows : 1));
    for (size_t i = 0; i < nfrows; i++)
        ov[i] = (pw_score_override){.unit_id = frows[i].unit_id,
                                    .flag = scores_flag_of(frows[i].flag),
                                    .reason = frows[i].reason};
    *out = ov;
    *n = nfrows;
    return PW_OK;
}

static char **scores_lines(pw_arena *a, const pw_score_explanation *why, size_t *n)
{
    *n = 0;
    if (!why->n_lines)
        return NULL;
    char **lines = pw_arena_alloc(a, sizeof *lines * why->n_lines);
    for (size_t l = 0; l < why->n_lines; l++)
        lines[l] = pw_arena_strdup(a, why->lines[l]);
    *n = why->n_lines;
    return lines;
}

/* One unit's line of the reply, with every item and explanation. */
static Planwatch__V1__UnitScore *scores_reply_unit(pw_arena *a, const pw_score_unit_result *ur,
                                                   const pw_assess_unit *au,
                                                   const pw_score_sheet *sheet)
{
    Planwatch__V1__UnitScore *us = pw_arena_alloc(a, sizeof *us);
    planwatch__v1__unit_score__init(us);
    us->unit = pw_arena_strdup(a, ur->unit_id);
    us->name = au ? (char *)au->unit.name : "";
    us->category = pw_arena_strdup(a, ur->category);
    us->score = ur->total;
    us->score_unrounded = ur->raw_total;
    us->rank = ur->rank;
    us->grade = (char *)pw_score_grade_name(ur->grade);
    const char *flag = pw_score_flag_name(ur->flag);
    us->flag = (char *)(flag ? flag : "");
    flag = pw_score_flag_name(ur->computed_flag);
    us->computed_flag = (char *)(flag ? flag : "");
    us->flag_by_office = ur->flag_by_office;
    us->flag_reason = ur->flag_reason ? pw_arena_strdup(a, ur->flag_reason) : "";
    us->falsification_points = ur->falsifications * PW_SCORE_FALSIFICATION_POINTS;
    us->bonus = ur->bonuses;
    us->penalty = ur->penalties;
    us->items = pw_arena_alloc(a, sizeof *us->items * (ur->n_items ? ur->n_items : 1));
    for (size_t i = 0; i < ur->n_items; i++) {
        const pw_score_item_result *ir = &ur->items[i];
        const pw_score_item *si = sheet ? pw_score_sheet_item(sheet, ir->item) : NULL;
        Planwatch__V1__ScoreItem *it = pw_arena_alloc(a, sizeof *it);
        planwatch__v1__score_item__init(it);
        it->item = ir->item;
        it->group = (char *)(si && si->group ? si->group : "");
        it->content = (char *)(si && si->content ? si->content : "");
        it->kind = (char *)pw_score_kind_name(ir->kind);
        it->points = ir->points;
        it->max = ir->max_points;
        it->explain =
            scores_lines(a, &ir->why, &it->n_explain); /* every unit's: the caller filters */
        us->items[us->n_items++] = it;
    }
    us->explain = scores_lines(a, &ur->why, &us->n_explain);
    return us;
}

/* The live ranking of (plan, period), every category; every unit's
 * explanation, or only `explain_only`'s when not NULL. */
static int scores_build_explain(pw_call *c, const pw_plan_row *plan, const pw_period *p,
                                const char *period, const char *explain_only,
                                ProtobufCMessage **resp)
{
    pw_arena *a = c->arena;
    char err[512];
    int st, first, last;
    pw_period_window(p, &first, &last);
    pw_assess as;
    if ((st = pw_assess_load_base(c->db, a, plan, p->year, last, c->now, "", 0, SIZE_MAX,
                                  PW_ASSESS_ACTUALS, &as)) != PW_OK)
        return pw_call_fail(c, st, "cannot read the reports of %d", p->year);
    pw_score_sheet *sheets = NULL;
    pw_score_unit *units = NULL;
    pw_score_override *ov = NULL;
    size_t nsheets = 0, nunits = 0, nov = 0;
    if ((st = scores_load_sheets(c, &sheets, &nsheets)) != PW_OK ||
        (st = scores_units(c, &as, sheets, nsheets, last, &units, &nunits)) != PW_OK ||
        (st = scores_overrides(c, plan->id, period, &ov, &nov)) != PW_OK)
        return st;
    /* the engine takes only the sheets of the categories scored */
    pw_score_input in = {.window = {p->year, first, last},
                         .sheets = sheets,
                         .n_sheets = nsheets,
                         .units = units,
                         .n_units = nunits,
                         .overrides = ov,
                         .n_overrides = nov,
                         .explain_only = explain_only};
    pw_score_result *res = NULL;
    if (nunits && (st = pw_score_evaluate(&in, &res, err, sizeof err)) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "scoring failed: %s", err);

    Planwatch__V1__ScoresResponse *out = pw_arena_alloc(a, sizeof *out);
    planwatch__v1__scores_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = plan->tz_offset_min;
    out->plan = (char *)plan->id;
    out->plan_name = (char *)plan->name;
    out->period = pw_arena_strdup(a, period);
    out->first_month = first;
    out->last_month = last;
    out->time_elapsed = pw_month_elapsed(last);
    out->generated_at = c->now;
    size_t nres = res ? res->n_units : 0;
    out->rankings = pw_arena_alloc(a, sizeof *out->rankings * (nres ? nres : 1));
    for (size_t k = 0; k < nres; k++) {
        const pw_score_unit_result *ur = &res->units[k];
        out->rankings[out->n_rankings++] =
            scores_reply_unit(a, ur, pw_assess_find_unit(&as, ur->unit_id),
                              scores_sheet_of(sheets, nsheets, ur->category));
    }
    pw_score_result_free(res);
    *resp = &out->base;
    return PW_OK;
}

/* The full live ranking of (plan, period): every category, every unit's
 * explanation (pw_publication_kind). */
static int scores_build(pw_call *c, const pw_plan_row *plan, const pw_period *p, const char *period,
                        ProtobufCMessage **resp)
{
    return scores_build_explain(c, plan, p, period, NULL, resp);
}

static void scores_record(ProtobufCMessage *m, const pw_publication_record *rec)
{
    Planwatch__V1__ScoresResponse *s = (Planwatch__V1__ScoresResponse *)m;
    PW_PUBLICATION_RECORD_SET(s, rec);
}

const pw_publication_kind pw_scores_publication = {
    .kind = "scores",
    .title = "scores",
    .desc = &planwatch__v1__scores_response__descriptor,
    .periods = PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_YEAR,
    .build = scores_build,
    .record = scores_record,
};

/* pw_publication_serve, but the office's live view of a period never
 * published is built with only the explanation the caller gets (the
 * others would be formatted to be dropped); once a version is published,
 * the live view is built whole, as it is compared with it. */
static int scores_serve(pw_call *c, const pw_plan_row *plan, const pw_period *p, const char *period,
                        int version, int head_only, const char *explain, ProtobufCMessage **m)
{
    int office = (c->who.role & (PW_ROLE_OFFICE | PW_ROLE_ADMIN)) != 0;
    if (office && version == 0 && !head_only) {
        pw_publication_row *rows;
        size_t n;
        if (pw_store_publication_list(c->db, c->arena, pw_scores_publication.kind, plan->id, period,
                                      &rows, &n) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read the published record");
        if (n == 0) {
            int st = scores_build_explain(c, plan, p, period, explain, m);
            if (st != PW_OK)
                return st;
            pw_publication_record rec = {.generated_at = c->now};
            pw_scores_publication.record(*m, &rec);
            return PW_OK;
        }
    }
    return pw_publication_serve(c, &pw_scores_publication, plan, p, period, version, head_only, m);
}

int pw_svc_scores_get(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ScoresRequest *r = (const Planwatch__V1__ScoresRequest *)req;
    if (r->category[0] && strcmp(r->category, "county") != 0 &&
        strcmp(r->category, "department") != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--category '%.40s': county or department",
                            r->category);
    pw_period p;
    pw_plan_row plan;
    char period[16];
    int st = pw_call_plan_period(c, r->plan, r->period, pw_scores_publication.periods, &plan, &p,
                                 period, sizeof period);
    if (st != PW_OK)
        return st;
    const char *explain = r->explain_unit;
    if (explain[0] && c->who.role == PW_ROLE_REPORTER && strcmp(explain, c->who.unit) != 0)
        return pw_call_fail(c, PW_PERMISSION_DENIED,
                            "reporters see the explanation of their own unit only");
    if (explain[0] && c->who.role == PW_ROLE_VIEWER)
        return pw_call_fail(c, PW_PERMISSION_DENIED, "viewers see rankings, not explanations");
    if (!explain[0] && c->who.role == PW_ROLE_REPORTER)
        explain = c->who.unit;
    ProtobufCMessage *m;
    if ((st = scores_serve(c, &plan, &p, period, r->version, r->head_only, explain, &m)) != PW_OK)
        return st;
    /* what this caller asked for and may see: the category, one unit's
     * explanation */
    Planwatch__V1__ScoresResponse *out = (Planwatch__V1__ScoresResponse *)m;
    size_t n = 0;
    int found = 0;
    for (size_t k = 0; k < out->n_rankings; k++) {
        Planwatch__V1__UnitScore *us = out->rankings[k];
        if (explain[0] && strcmp(explain, us->unit) == 0)
            found = 1;
        if (r->category[0] && strcmp(r->category, us->category) != 0)
            continue;
        if (!explain[0] || strcmp(explain, us->unit) != 0) {
            us->n_explain = 0;
            for (size_t i = 0; i < us->n_items; i++)
                us->items[i]->n_explain = 0;
        }
        out->rankings[n++] = us;
    }
    out->n_rankings = n;
    /* (a head-only reply has no rankings to look in: its full call checks) */
    if (r->explain_unit[0] && !found && !r->head_only)
        return pw_call_fail(c, PW_NOT_FOUND, "no unit %.64s in these rankings", explain);
    *resp = m;
    return PW_OK;
}

/* ---- ScoreService/Flag: the office's last word on a flag ----------------- */

typedef struct scores_flag_job {
    pw_call *c;
    const char *plan, *period;
    pw_score_flag_row row;
    const char *previous;
} scores_flag_job;

static int scores_flag_write(pw_db *w, void *arg)
{
    scores_flag_job *j = arg;
    if (pw_store_score_flag_set(w, j->c->arena, j->plan, j->period, &j->row, &j->previous) != PW_OK)
        return pw_call_fail(j->c, PW_INTERNAL, "cannot store the flag decision");
    char obj[128];
    snprintf(obj, sizeof obj, "scores/%s/%s/%s", j->plan, j->period, j->row.unit_id);
    return pw_call_audit(j->c, w, obj, "flag of %s for %s set to %s (was %s): %s", j->row.unit_id,
                         j->period, j->row.flag, j->previous[0] ? j->previous : "the rules'",
                         j->row.reason);
}

int pw_svc_scores_flag(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ScoreFlagRequest *r = (const Planwatch__V1__ScoreFlagRequest *)req;
    pw_period p;
    pw_plan_row plan;
    char period[16];
    int st =
        pw_call_plan_period(c, r->plan, r->period,
                            PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_YEAR,
                            &plan, &p, period, sizeof period);
    if (st != PW_OK)
        return st;
    if (scores_flag_of(r->flag) < 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "flag '%.20s': --commend, --criticise or --none", r->flag);
    if ((st = pw_call_text_ok(c, "reason", r->reason, 1)) != PW_OK)
        return st;
    pw_unit_row unit;
    if (!r->unit[0])
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--unit is required");
    st = pw_store_unit_get(c->db, c->arena, r->unit, &unit);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, PW_NOT_FOUND, "no unit '%.64s'", r->unit);
    if (st != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read units");
    scores_flag_job j = {.c = c,
                         .plan = plan.id,
                         .period = period,
                         .row = {.unit_id = unit.id,
                                 .flag = r->flag,
                                 .reason = r->reason,
                                 .by_user = c->who.name,
                                 .at = c->now}};
    st = pw_store_write(c->store, c->deadline_us, scores_flag_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot store the flag decision");
    Planwatch__V1__ScoreFlagResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__score_flag_response__init(out);
    out->plan = (char *)plan.id;
    out->period = pw_arena_strdup(c->arena, period);
    out->unit = (char *)unit.id;
    out->flag = (char *)r->flag;
    out->previous = (char *)(j.previous ? j.previous : "");
    out->reason = (char *)r->reason;
    out->by_user = (char *)c->who.name;
    out->at = c->now;
    *resp = &out->base;
    return PW_OK;
}
