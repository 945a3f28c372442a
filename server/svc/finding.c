/*
 * finding.c - FindingService handlers.
 *
 * Design notes: what a finding may carry depends on the kind of the sheet
 * item it feeds (SPEC 3.5): manual -> points in [0, max]; all_or_nothing ->
 * 0 or max; per_event -> a count of events; per_amount -> an amount; the
 * computed kinds (monthly_timeliness, halfyear_reports; work_performance
 * only as the points of a unit with nothing to be judged on)
 * take no findings.  Findings are never deleted: `remove` marks them, with
 * a note, and both steps are audited.
 */
#include "server/svc/finding.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"
#include "planwatch/v1/office.pb-c.h"
#include "server/store/store_account.h"
#include "server/store/store_finding.h"
#include "server/engine/score.h"
#include "server/store/store_plan.h"

static Planwatch__V1__Finding *finding_msg(pw_arena *a, const pw_finding_row *f, int tz)
{
    Planwatch__V1__Finding *m = pw_arena_alloc(a, sizeof *m);
    planwatch__v1__finding__init(m);
    m->has_tz_offset_min = 1;
    m->tz_offset_min = tz;
    m->id = f->id;
    m->plan = (char *)f->plan;
    m->unit = (char *)f->unit;
    m->unit_name = (char *)f->unit_name;
    m->year = f->year;
    m->kind = (char *)f->kind;
    m->item = f->item;
    m->has_points = f->has_points;
    m->points = f->points;
    m->count = f->count;
    m->has_amount = f->has_amount;
    m->amount = f->amount;
    m->note = (char *)f->note;
    m->created_by = (char *)f->created_by;
    m->created_at = f->created_at;
    m->removed = f->removed_at != 0;
    m->removed_note = (char *)f->removed_note;
    return m;
}

static int finding_note_ok(pw_call *c, const char *note)
{
    size_t n = strlen(note);
    if (n == 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--note is mandatory: say what was found");
    char why[160];
    if (pw_text_check(note, n, (size_t)c->config->max_text_bytes, 0, why, sizeof why) != 0) {
        pw_call_violation(c, "note", "%s", why);
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "note: %s", why);
    }
    return PW_OK;
}

/* Check the payload of an item finding against the item's kind. */
static int finding_check_item(pw_call *c, const Planwatch__V1__Finding *f, const char *category)
{
    pw_sheet_item_row it;
    int st = pw_store_sheet_item_get(c->db, c->arena, category, f->item, &it);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "the %s score sheet has no item %d", category,
                            f->item);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read the score sheet");
    int kind = pw_score_kind_from_name(it.kind);
    if (kind < 0)
        return pw_call_fail(c, PW_INTERNAL, "item %d has an unknown kind", f->item);
    int n_given = f->has_points + (f->count != 0) + f->has_amount;
    /* fail closed: 1 (computed) and -1 (not a kind) both refuse, except that
     * the office may set work-performance points (a unit with nothing to be
     * judged on, SPEC 3.5) */
    int computed = pw_score_kind_is_computed((pw_score_kind)kind);
    if (computed != 0 && !(computed == 1 && kind == PW_SCORE_WORK_PERFORMANCE))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "item %d (%s) is computed from the reports and takes no findings",
                            f->item, it.kind);
    /* which field carries the value depends on the kind */
    const char *want = kind == PW_SCORE_PER_EVENT    ? "--count"
                       : kind == PW_SCORE_PER_AMOUNT ? "--amount"
                                                     : "--points";
    int given = kind == PW_SCORE_PER_EVENT    ? f->count != 0
                : kind == PW_SCORE_PER_AMOUNT ? f->has_amount
                                              : f->has_points;
    if (n_given != 1 || !given)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "item %d (%s) takes exactly %s", f->item,
                            it.kind, want);
    double value = kind == PW_SCORE_PER_EVENT    ? (double)f->count
                   : kind == PW_SCORE_PER_AMOUNT ? f->amount
                                                 : f->points;
    pw_score_item si = {
        .number = it.item, .max_points = it.max_points, .kind = (pw_score_kind)kind};
    char err[256];
    if (pw_score_finding_check(&si, value, err, sizeof err) != PW_OK)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s", err);
    return PW_OK;
}

typedef struct finding_job {
    pw_call *c;
    pw_finding_row row;
    int64_t remove_id;
    const char *remove_note;
} finding_job;

static int finding_add_write(pw_db *w, void *arg)
{
    finding_job *j = arg;
    int st = pw_store_finding_insert(w, &j->row, &j->row.id);
    if (st != PW_OK)
        return st;
    char obj[32];
    snprintf(obj, sizeof obj, "finding/%lld", (long long)j->row.id);
    return pw_call_audit(j->c, w, obj,
                         "%s for %s %d: item %d points %g count %lld amount %g; note: %.200s",
                         j->row.kind, j->row.unit, j->row.year, j->row.item, j->row.points,
                         (long long)j->row.count, j->row.amount, j->row.note);
}

int pw_svc_finding_add(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__AddFindingRequest *r = (const Planwatch__V1__AddFindingRequest *)req;
    const Planwatch__V1__Finding *f = r->finding;
    if (!f)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "no finding in the request");
    pw_plan_row plan;
    int st = pw_call_plan(c, f->plan, &plan);
    if (st != PW_OK)
        return st;
    pw_unit_row unit;
    st = pw_store_unit_get(c->db, c->arena, f->unit, &unit);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st, "unknown unit '%.64s'", f->unit);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read units");
    if (f->year < plan.first_year || f->year > plan.last_year)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--year %d is outside plan %s (%d-%d)", f->year,
                            plan.id, plan.first_year, plan.last_year);
    if ((st = finding_note_ok(c, f->note)) != PW_OK)
        return st;
    finding_job j = {.c = c};
    j.row.plan = plan.id;
    j.row.unit = unit.id;
    j.row.unit_name = unit.name;
    j.row.year = f->year;
    j.row.kind = f->kind;
    j.row.note = f->note;
    j.row.created_by = c->who.name;
    j.row.created_at = c->now;
    j.row.removed_note = "";
    if (strcmp(f->kind, "item") == 0) {
        if ((st = finding_check_item(c, f, unit.category)) != PW_OK)
            return st;
        j.row.item = f->item;
        j.row.has_points = f->has_points;
        j.row.points = f->points;
        j.row.count = f->count;
        j.row.has_amount = f->has_amount;
        j.row.amount = f->amount;
    } else if (strcmp(f->kind, "falsification") == 0) {
        if (f->has_points || f->has_amount || f->count < 0 || f->count > 100)
            return pw_call_fail(c, PW_INVALID_ARGUMENT,
                                "a falsification takes only an optional --count (1..100)");
        j.row.count = f->count ? f->count : 1;
    } else if (strcmp(f->kind, "bonus") == 0 || strcmp(f->kind, "penalty") == 0) {
        if (!f->has_points || !isfinite(f->points) || f->points <= 0 || f->points > 100)
            return pw_call_fail(c, PW_INVALID_ARGUMENT, "a %s takes points in (0, 100]", f->kind);
        j.row.has_points = 1;
        j.row.points = f->points;
    } else {
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "unknown finding kind '%.40s': item, falsification, bonus or penalty",
                            f->kind);
    }
    st = pw_store_write(c->store, c->deadline_us, finding_add_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot store the finding");
    *resp = &finding_msg(c->arena, &j.row, plan.tz_offset_min)->base;
    return PW_OK;
}

int pw_svc_finding_list(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ListFindingsRequest *r = (const Planwatch__V1__ListFindingsRequest *)req;
    const char *unit;
    int st = pw_call_resolve_unit(c, r->unit, &unit);
    if (st != PW_OK)
        return st;
    pw_plan_row plan;
    if ((st = pw_call_plan(c, NULL, &plan)) != PW_OK)
        return st;
    pw_finding_row *rows;
    size_t n;
    if (pw_store_finding_list(c->db, c->arena, plan.id, unit, r->year, r->include_removed, &rows,
                              &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read findings");
    Planwatch__V1__ListFindingsResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__list_findings_response__init(out);
    out->findings = pw_arena_alloc(c->arena, sizeof *out->findings * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        out->findings[i] = finding_msg(c->arena, &rows[i], plan.tz_offset_min);
    out->n_findings = n;
    *resp = &out->base;
    return PW_OK;
}

static int finding_remove_write(pw_db *w, void *arg)
{
    finding_job *j = arg;
    int st = pw_store_finding_remove(w, j->remove_id, j->c->who.name, j->c->now, j->remove_note);
    if (st == PW_FAILED_PRECONDITION)
        return pw_call_fail(j->c, st, "finding %lld is already removed", (long long)j->remove_id);
    if (st != PW_OK)
        return st;
    char obj[32];
    snprintf(obj, sizeof obj, "finding/%lld", (long long)j->remove_id);
    return pw_call_audit(j->c, w, obj, "removed: %.200s", j->remove_note);
}

int pw_svc_finding_remove(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__RemoveFindingRequest *r = (const Planwatch__V1__RemoveFindingRequest *)req;
    int st = finding_note_ok(c, r->note);
    if (st != PW_OK)
        return st;
    pw_finding_row f;
    st = pw_store_finding_get(c->db, c->arena, r->id, &f);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st, "no finding %lld", (long long)r->id);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read findings");
    finding_job j = {.c = c, .remove_id = r->id, .remove_note = r->note};
    st = pw_store_write(c->store, c->deadline_us, finding_remove_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot remove the finding");
    if (pw_store_finding_get(c->db, c->arena, r->id, &f) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the finding back");
    pw_plan_row plan;
    char err[128];
    int tz = pw_store_plan_resolve(c->db, c->arena, f.plan, &plan, err, sizeof err) == PW_OK
                 ? plan.tz_offset_min
                 : pw_call_tz_offset(c);
    *resp = &finding_msg(c->arena, &f, tz)->base;
    return PW_OK;
}
