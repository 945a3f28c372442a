/*
 * publish.c - PublishService/Publish.  Publishing is idempotent: a second
 * publication of the same (kind, plan, period) keeps the first time.
 */
#include "server/svc/publish.h"

#include <stdio.h>
#include <string.h>

#include "common/period.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "server/store/store_plan.h"

int pw_publication_get(pw_db *db, const char *kind, const char *plan, const char *period,
                       int64_t *at)
{
    static const char sql[] = "SELECT published_at FROM publications "
                              "WHERE kind = ?1 AND plan_id = ?2 AND period = ?3";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return -1;
    pw_bind_text(st, 1, kind);
    pw_bind_text(st, 2, plan);
    pw_bind_text(st, 3, period);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && at)
        *at = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int pw_publication_check(pw_call *c, const char *kind, const char *plan, const char *period,
                         int *published, int64_t *published_at)
{
    *published_at = 0;
    int p = pw_publication_get(c->db, kind, plan, period, published_at);
    if (p < 0)
        return pw_call_fail(c, PW_INTERNAL, "cannot read publications");
    *published = p;
    if (!p && !(c->who.role & (PW_ROLE_OFFICE | PW_ROLE_ADMIN)))
        return pw_call_fail(c, PW_NOT_FOUND,
                            "the office has not published the %s of %s yet",
                            strcmp(kind, "dispatch") == 0 ? "dispatch summary" : "scores",
                            period);
    return PW_OK;
}

typedef struct publish_job {
    pw_call *c;
    const char *kind, *plan, *period;
} publish_job;

static int publish_write(pw_db *w, void *arg)
{
    publish_job *j = arg;
    static const char sql[] = "INSERT OR IGNORE INTO publications(kind, plan_id, period, "
                              "published_by, published_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, j->kind);
    pw_bind_text(st, 2, j->plan);
    pw_bind_text(st, 3, j->period);
    pw_bind_text(st, 4, j->c->who.name);
    sqlite3_bind_int64(st, 5, j->c->now);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    if (pw_db_changes(w) == 0)
        return PW_OK; /* already published */
    char obj[96];
    snprintf(obj, sizeof obj, "%s/%s/%s", j->kind, j->plan, j->period);
    return pw_call_audit(j->c, w, obj, "published the %s of %s", j->kind, j->period);
}

int publish_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__PublishRequest *r = (const Planwatch__V1__PublishRequest *)req;
    pw_period p;
    char err[256];
    unsigned kinds;
    if (strcmp(r->kind, "dispatch") == 0)
        kinds = 1u << PW_PERIOD_MONTH;
    else if (strcmp(r->kind, "scores") == 0)
        kinds = (1u << PW_PERIOD_MONTH) | (1u << PW_PERIOD_QUARTER) | (1u << PW_PERIOD_YEAR);
    else
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "publish what? 'dispatch' or 'scores', not '%.40s'",
                            r->kind);
    if (pw_period_parse_kinds(r->period, kinds, &p, err, sizeof err) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--period: %s", err);
    pw_plan_row plan;
    int st = store_plan_resolve(c->db, c->arena, r->plan, &plan, err, sizeof err);
    if (st != PW_OK)
        return pw_call_fail(c, st, "%s", err);
    char period[16];
    pw_period_format(&p, period, sizeof period);
    publish_job j = {.c = c, .kind = r->kind, .plan = plan.id, .period = period};
    st = pw_store_write(c->store, c->deadline_us, publish_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot publish");
    Planwatch__V1__PublishResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__publish_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = plan.tz_offset_min;
    out->kind = pw_arena_strdup(c->arena, r->kind);
    out->period = pw_arena_strdup(c->arena, period);
    pw_publication_get(c->db, r->kind, plan.id, period, &out->published_at);
    out->published_by = pw_arena_strdup(c->arena, c->who.name);
    *resp = &out->base;
    return PW_OK;
}
