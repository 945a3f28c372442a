/*
 * supervise.c - SuperviseService handlers.
 *
 * Design notes: reporters see and answer only the items of their own unit
 * (pw_call_resolve_unit); the office and viewers see all; only the office
 * opens and closes.  A closed item takes no more answers
 * (FAILED_PRECONDITION).  Every change is audited with the item id.
 */
#include "server/svc/supervise.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/period.h"
#include "common/text.h"
#include "planwatch/v1/office.pb-c.h"
#include "server/store/store_account.h"
#include "server/store/store_plan.h"
#include "server/store/store_report.h"

int pw_supervision_overdue(const pw_supervision_row *row, int64_t now, int tz_offset_min)
{
    if (strcmp(row->state, "closed") == 0)
        return 0;
    int32_t day;
    if (pw_date_parse(row->deadline, &day) != 0)
        return 0;
    int64_t end = (int64_t)day * 86400 + 86399 - (int64_t)tz_offset_min * 60;
    return now > end;
}

int pw_supervision_days_late(const pw_supervision_row *row, int tz_offset_min)
{
    int32_t day;
    if (strcmp(row->state, "closed") != 0 || !row->closed_at ||
        pw_date_parse(row->deadline, &day) != 0)
        return 0;
    int64_t end = (int64_t)day * 86400 + 86399 - (int64_t)tz_offset_min * 60;
    return (int)pw_days_late(row->closed_at, end);
}

Planwatch__V1__SupervisionItem *pw_supervision_item(pw_call *c, const pw_supervision_row *r, int tz)
{
    pw_arena *a = c->arena;
    Planwatch__V1__SupervisionItem *it = pw_arena_alloc(a, sizeof *it);
    planwatch__v1__supervision_item__init(it);
    it->has_tz_offset_min = 1;
    it->tz_offset_min = tz;
    it->id = r->id;
    it->unit = (char *)r->unit;
    it->unit_name = (char *)r->unit_name;
    it->text = (char *)r->text;
    it->deadline = (char *)r->deadline;
    it->state = (char *)r->state;
    it->overdue = pw_supervision_overdue(r, c->now, tz);
    it->opened_by = (char *)r->opened_by;
    it->opened_at = r->opened_at;
    it->closed_by = (char *)r->closed_by;
    it->closed_at = r->closed_at;
    it->close_note = (char *)r->close_note;
    it->days_late = pw_supervision_days_late(r, tz);
    if (r->nanswers) {
        it->answers = pw_arena_alloc(a, sizeof *it->answers * r->nanswers);
        for (size_t i = 0; i < r->nanswers; i++) {
            Planwatch__V1__SupervisionAnswer *x = pw_arena_alloc(a, sizeof *x);
            planwatch__v1__supervision_answer__init(x);
            x->user = (char *)r->answers[i].user;
            x->at = r->answers[i].at;
            x->text = (char *)r->answers[i].text;
            it->answers[i] = x;
        }
        it->n_answers = r->nanswers;
    }
    return it;
}

/* Text fields: non-empty, then pw_text_check (UTF-8, no controls but tab
 * and newline, within max-text-bytes). */
static int supervise_text_ok(pw_call *c, const char *what, const char *text)
{
    size_t n = strlen(text);
    if (n == 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s is empty", what);
    char why[160];
    if (pw_text_check(text, n, (size_t)c->config->max_text_bytes, 0, why, sizeof why) != 0) {
        pw_call_violation(c, what, "%s", why);
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s: %s", what, why);
    }
    return PW_OK;
}

/* Load an item and check the caller may see it. */
static int supervise_load(pw_call *c, int64_t id, pw_supervision_row *row)
{
    int st = pw_store_supervision_get(c->db, c->arena, id, row);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st, "no supervision item %lld", (long long)id);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read supervision items");
    const char *unit;
    return pw_call_resolve_unit(c, row->unit, &unit);
}

typedef struct supervise_job {
    pw_call *c;
    int64_t id;
    const char *unit, *text, *deadline;
    int kind; /* 0 open, 1 answer, 2 close */
} supervise_job;

static int supervise_write(pw_db *w, void *arg)
{
    supervise_job *j = arg;
    pw_call *c = j->c;
    int st;
    char object[32];
    switch (j->kind) {
    case 0:
        st = pw_store_supervision_insert(w, j->unit, j->text, j->deadline, c->who.name, c->now,
                                         &j->id);
        snprintf(object, sizeof object, "supervision/%lld", (long long)j->id);
        if (st == PW_OK)
            st = pw_call_audit(c, w, object, "opened for %s, deadline %s: %.200s", j->unit,
                               j->deadline, j->text);
        return st;
    case 1: {
        /* issue 10 item 3: answers are capped like report versions, and
         * count into the unit's stored bytes */
        int64_t n, used, bytes = (int64_t)(strlen(j->text) + strlen(c->who.name));
        if ((st = pw_store_supervision_answer_count(w, j->id, &n)) != PW_OK ||
            (st = pw_store_unit_usage(w, j->unit, &used)) != PW_OK)
            return st;
        if (n >= c->config->max_report_versions)
            return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                                "supervision item %lld already has %lld answers, the most allowed "
                                "(max-report-versions)",
                                (long long)j->id, (long long)n);
        if (used + bytes > c->config->max_unit_bytes)
            return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                                "unit %s would store %lld bytes, more than the %lld allowed "
                                "(max-unit-bytes)",
                                j->unit, (long long)(used + bytes),
                                (long long)c->config->max_unit_bytes);
        if ((st = pw_store_usage_add(w, 0, j->unit, bytes)) != PW_OK)
            return st;
    }
        st = pw_store_supervision_answer(w, j->id, c->who.name, c->now, j->text);
        snprintf(object, sizeof object, "supervision/%lld", (long long)j->id);
        if (st == PW_FAILED_PRECONDITION)
            return pw_call_fail(c, st, "supervision item %lld is closed", (long long)j->id);
        if (st == PW_OK)
            st = pw_call_audit(c, w, object, "answered: %.200s", j->text);
        return st;
    default:
        st = pw_store_supervision_close(w, j->id, c->who.name, c->now, j->text);
        snprintf(object, sizeof object, "supervision/%lld", (long long)j->id);
        if (st == PW_FAILED_PRECONDITION)
            return pw_call_fail(c, st, "supervision item %lld is already closed", (long long)j->id);
        if (st == PW_OK)
            st = pw_call_audit(c, w, object, "closed: %.200s", j->text);
        return st;
    }
}

static int supervise_run(pw_call *c, supervise_job *j, ProtobufCMessage **resp)
{
    int st = pw_store_write(c->store, c->deadline_us, supervise_write, j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot store the supervision item");
    pw_supervision_row row;
    if (pw_store_supervision_get(c->db, c->arena, j->id, &row) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read supervision item back");
    *resp = &pw_supervision_item(c, &row, pw_call_tz_offset(c))->base;
    return PW_OK;
}

int pw_svc_supervise_open(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__OpenSupervisionRequest *r =
        (const Planwatch__V1__OpenSupervisionRequest *)req;
    pw_unit_row unit;
    int st = pw_store_unit_get(c->db, c->arena, r->unit, &unit);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, PW_NOT_FOUND, "unknown unit '%.64s'", r->unit);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read units");
    int32_t day;
    if (pw_date_parse(r->deadline, &day) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--deadline '%.40s' is not a date YYYY-MM-DD",
                            r->deadline);
    if ((st = supervise_text_ok(c, "the item text", r->text)) != PW_OK)
        return st;
    supervise_job j = {.c = c, .unit = r->unit, .text = r->text, .deadline = r->deadline};
    return supervise_run(c, &j, resp);
}

int pw_svc_supervise_answer(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__AnswerSupervisionRequest *r =
        (const Planwatch__V1__AnswerSupervisionRequest *)req;
    pw_supervision_row row;
    int st = supervise_load(c, r->id, &row);
    if (st != PW_OK)
        return st;
    if ((st = supervise_text_ok(c, "the answer", r->text)) != PW_OK)
        return st;
    supervise_job j = {.c = c, .id = r->id, .unit = row.unit, .text = r->text, .kind = 1};
    return supervise_run(c, &j, resp);
}

int pw_svc_supervise_close(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__CloseSupervisionRequest *r =
        (const Planwatch__V1__CloseSupervisionRequest *)req;
    pw_supervision_row row;
    int st = supervise_load(c, r->id, &row);
    if (st != PW_OK)
        return st;
    const char *note = r->note[0] ? r->note : "closed";
    if ((st = supervise_text_ok(c, "the closing note", note)) != PW_OK)
        return st;
    supervise_job j = {.c = c, .id = r->id, .text = note, .kind = 2};
    return supervise_run(c, &j, resp);
}

int pw_svc_supervise_list(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ListSupervisionRequest *r =
        (const Planwatch__V1__ListSupervisionRequest *)req;
    /* SPEC 3.1: not for viewers (the method table keeps them out too) */
    if (!(c->who.role & (PW_ROLES_STAFF | PW_ROLE_REPORTER)))
        return pw_call_fail(c, PW_PERMISSION_DENIED,
                            "viewers read published summaries and rankings only");
    const char *unit;
    int st = pw_call_resolve_unit(c, r->unit, &unit);
    if (st != PW_OK)
        return st;
    pw_supervision_row *rows;
    size_t n;
    if (pw_store_supervision_list(c->db, c->arena, unit, r->include_closed, &rows, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read supervision items");
    int tz = pw_call_tz_offset(c);
    Planwatch__V1__ListSupervisionResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__list_supervision_response__init(out);
    out->items = pw_arena_alloc(c->arena, sizeof *out->items * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        if (r->overdue_only && !pw_supervision_overdue(&rows[i], c->now, tz))
            continue;
        out->items[out->n_items++] = pw_supervision_item(c, &rows[i], tz);
    }
    *resp = &out->base;
    return PW_OK;
}
