/*
 * scores.c - ScoreService/Get: scores and rankings of a month, quarter or
 * year (SPEC 3.5), computed by the pure engine (score.c) from what assess.c
 * loads.
 *
 * Design notes
 * - The window is year-to-date (pw_period_window); a month or half-year
 *   counts only once its deadline has passed at the time of scoring (the
 *   server clock), which the engine receives as `deadline_passed`.
 * - work_performance uses each indicator's progress as of the window's last
 *   month (the latest report <= that month), against t = last month / 12.
 * - A falsification finding with a count N counts as N falsifications.
 * - Explanations: the office may ask for any unit's; a reporter gets only
 *   its own unit's; viewers none.
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

int pw_dispatch_progress_of(const pw_assignment *a, const pw_assess_value *v, int m,
                            pw_progress_result *out);

typedef struct scores_sheet_row {
    char category[16];
    int item;
    const char *group, *content;
} scores_sheet_row;

/* All sheets, parsed for the engine. */
static int scores_load_sheets(pw_call *c, pw_score_sheet **sheets, size_t *nsheets)
{
    static const char sql[] = "SELECT category, item, grp, content, max_points, kind, params "
                              "FROM sheet_items ORDER BY category, item";
    sqlite3_stmt *st = pw_db_stmt(c->db, sql);
    if (!st)
        return pw_call_fail(c, PW_INTERNAL, "cannot read score sheets");
    pw_score_sheet *sh = pw_arena_alloc(c->arena, sizeof *sh * 4);
    size_t n = 0, cap_items = 0;
    pw_score_item *items = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cat = pw_col_text(st, 0);
        if (n == 0 || strcmp(sh[n - 1].category, cat) != 0) {
            if (n == 4)
                break;
            sh[n].category = pw_arena_strdup(c->arena, cat);
            sh[n].items = items = pw_arena_alloc(c->arena, sizeof *items * 64);
            sh[n].n_items = 0;
            cap_items = 64;
            n++;
        }
        pw_score_sheet *s = &sh[n - 1];
        if (s->n_items == cap_items)
            continue; /* sheets are validated at import to be sane; 64 items is plenty */
        pw_score_item *it = &items[s->n_items];
        it->number = sqlite3_column_int(st, 1);
        it->group = pw_arena_strdup(c->arena, pw_col_text(st, 2));
        it->content = pw_arena_strdup(c->arena, pw_col_text(st, 3));
        it->max_points = sqlite3_column_double(st, 4);
        int kind = pw_score_kind_from_name(pw_col_text(st, 5));
        char err[256];
        if (kind < 0 || pw_score_params_parse((pw_score_kind)kind, pw_col_text(st, 6), &it->params,
                                              err, sizeof err) != PW_OK) {
            sqlite3_reset(st);
            return pw_call_fail(c, PW_INTERNAL, "stored sheet %s item %d is invalid", cat,
                                it->number);
        }
        it->kind = (pw_score_kind)kind;
        s->n_items++;
    }
    sqlite3_reset(st);
    *sheets = sh;
    *nsheets = n;
    return PW_OK;
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

int scores_get_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ScoresRequest *r = (const Planwatch__V1__ScoresRequest *)req;
    pw_arena *a = c->arena;
    char err[512];
    if (r->category[0] && strcmp(r->category, "county") != 0 &&
        strcmp(r->category, "department") != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--category '%.40s': county or department",
                            r->category);
    pw_period p;
    pw_plan_row plan;
    char period[16];
    int st =
        pw_call_plan_period(c, r->plan, r->period,
                            PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_YEAR,
                            &plan, &p, period, sizeof period);
    if (st != PW_OK)
        return st;
    int published;
    int64_t published_at;
    if ((st = pw_publication_check(c, "scores", plan.id, period, &published, &published_at)) !=
        PW_OK)
        return st;
    const char *explain = r->explain_unit;
    if (explain[0] && c->who.role == PW_ROLE_REPORTER && strcmp(explain, c->who.unit) != 0)
        return pw_call_fail(c, PW_PERMISSION_DENIED,
                            "reporters see the explanation of their own unit only");
    if (explain[0] && c->who.role == PW_ROLE_VIEWER)
        return pw_call_fail(c, PW_PERMISSION_DENIED, "viewers see rankings, not explanations");
    if (!explain[0] && c->who.role == PW_ROLE_REPORTER)
        explain = c->who.unit;

    int first, last;
    pw_period_window(&p, &first, &last);
    pw_assess as;
    if ((st = pw_assess_load(c->db, a, &plan, p.year, last, c->now, r->category, PW_ASSESS_ACTUALS,
                             &as)) != PW_OK)
        return pw_call_fail(c, st, "cannot read the reports of %d", p.year);
    pw_score_sheet *sheets = NULL;
    size_t nsheets = 0;
    if ((st = scores_load_sheets(c, &sheets, &nsheets)) != PW_OK)
        return st;

    pw_score_unit *units = pw_arena_alloc(a, sizeof *units * (as.nunits ? as.nunits : 1));
    size_t nunits = 0;
    for (size_t k = 0; k < as.nunits; k++) {
        const pw_assess_unit *u = &as.units[k];
        const pw_score_sheet *sheet = NULL;
        for (size_t s = 0; s < nsheets; s++)
            if (strcmp(sheets[s].category, u->unit.category) == 0)
                sheet = &sheets[s];
        if (!sheet)
            return pw_call_fail(c, PW_FAILED_PRECONDITION,
                                "no score sheet for category %s: planwatch sheet import FILE "
                                "--category %s",
                                u->unit.category, u->unit.category);
        pw_score_unit *su = &units[nunits++];
        su->id = u->unit.id;
        su->category = u->unit.category;
        for (int m = 1; m <= 12; m++) {
            const pw_assess_month *mo = &u->month[m];
            su->months[m - 1].deadline_passed = c->now > mo->deadline;
            su->months[m - 1].receipt = scores_receipt(mo->status);
            su->months[m - 1].days_late = mo->status == PW_TL_LATE ? (int)mo->days_late : 0;
            if (mo->status == PW_TL_NOT_DUE)
                su->months[m - 1].receipt = PW_SCORE_MISSING;
        }
        for (int h = 1; h <= 2; h++) {
            pw_score_submission *hs = &su->halfyears[h - 1];
            hs->deadline_passed = c->now > u->half_deadline[h];
            if (!pw_assess_unit_active(&u->unit, p.year, h * 6) || u->nind == 0)
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
        pw_score_indicator *ind = pw_arena_alloc(a, sizeof *ind * (u->nind ? u->nind : 1));
        for (size_t i = 0; i < u->nind; i++) {
            pw_progress_result pr;
            const pw_assess_value *v = pw_assess_actual(u, i, last, NULL);
            ind[i].id = u->ind[i].indicator_id;
            if (pw_dispatch_progress_of(&u->ind[i], v, last, &pr) == PW_OK) {
                ind[i].progress = pr.progress;
                ind[i].no_report = pr.no_report;
            } else {
                ind[i].no_report = 1;
            }
        }
        su->indicators = ind;
        su->n_indicators = u->nind;
        pw_score_finding *f;
        su->n_findings = scores_findings(a, u, sheet, &f);
        su->findings = f;
    }
    /* the engine takes only the sheets of the categories scored */
    pw_score_input in = {.window = {p.year, first, last},
                         .sheets = sheets,
                         .n_sheets = nsheets,
                         .units = units,
                         .n_units = nunits};
    pw_score_result *res = NULL;
    if (nunits && (st = pw_score_evaluate(&in, &res, err, sizeof err)) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "scoring failed: %s", err);

    Planwatch__V1__ScoresResponse *out = pw_arena_alloc(a, sizeof *out);
    planwatch__v1__scores_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = plan.tz_offset_min;
    out->plan = (char *)plan.id;
    out->period = pw_arena_strdup(a, period);
    out->first_month = first;
    out->last_month = last;
    out->time_elapsed = pw_month_elapsed(last);
    out->generated_at = c->now;
    out->published = published;
    out->published_at = published_at;
    size_t nres = res ? res->n_units : 0;
    out->rankings = pw_arena_alloc(a, sizeof *out->rankings * (nres ? nres : 1));
    for (size_t k = 0; k < nres; k++) {
        const pw_score_unit_result *ur = &res->units[k];
        const pw_assess_unit *au = NULL;
        for (size_t j = 0; j < as.nunits && !au; j++)
            if (strcmp(as.units[j].unit.id, ur->unit_id) == 0)
                au = &as.units[j];
        const pw_score_sheet *sheet = NULL;
        for (size_t s = 0; s < nsheets; s++)
            if (strcmp(sheets[s].category, ur->category) == 0)
                sheet = &sheets[s];
        int want_explain = explain[0] && strcmp(explain, ur->unit_id) == 0;
        Planwatch__V1__UnitScore *us = pw_arena_alloc(a, sizeof *us);
        planwatch__v1__unit_score__init(us);
        us->unit = pw_arena_strdup(a, ur->unit_id);
        us->name = au ? (char *)au->unit.name : "";
        us->category = pw_arena_strdup(a, ur->category);
        us->score = ur->total;
        us->rank = ur->rank;
        us->grade = (char *)pw_score_grade_name(ur->grade);
        const char *flag = pw_score_flag_name(ur->flag);
        us->flag = (char *)(flag ? flag : "");
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
            if (want_explain && ir->why.n_lines) {
                it->explain = pw_arena_alloc(a, sizeof *it->explain * ir->why.n_lines);
                for (size_t l = 0; l < ir->why.n_lines; l++)
                    it->explain[l] = pw_arena_strdup(a, ir->why.lines[l]);
                it->n_explain = ir->why.n_lines;
            }
            us->items[us->n_items++] = it;
        }
        if (want_explain && ur->why.n_lines) {
            us->explain = pw_arena_alloc(a, sizeof *us->explain * ur->why.n_lines);
            for (size_t l = 0; l < ur->why.n_lines; l++)
                us->explain[l] = pw_arena_strdup(a, ur->why.lines[l]);
            us->n_explain = ur->why.n_lines;
        }
        out->rankings[out->n_rankings++] = us;
    }
    if (explain[0] && (!res || !pw_score_result_unit(res, explain))) {
        pw_score_result_free(res);
        return pw_call_fail(c, PW_NOT_FOUND, "no unit %.64s in these rankings", explain);
    }
    pw_score_result_free(res);
    *resp = &out->base;
    return PW_OK;
}
