/*
 * store_plan.c - plan reads shared by the plan, report, dispatch and
 * scoring services.
 */
#include "server/store/store_plan.h"

#include "server/store/assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"

#define PLAN_COLS "id, name, tz_offset_min, due_day, cadence, first_year, last_year, imported_at"

static void store_plan_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_plan_row *p = row;
    p->id = pw_arena_strdup(a, pw_col_text(st, 0));
    p->name = pw_arena_strdup(a, pw_col_text(st, 1));
    p->tz_offset_min = sqlite3_column_int(st, 2);
    p->due_day = sqlite3_column_int(st, 3);
    p->cadence = pw_arena_strdup(a, pw_col_text(st, 4));
    p->first_year = sqlite3_column_int(st, 5);
    p->last_year = sqlite3_column_int(st, 6);
    p->imported_at = sqlite3_column_int64(st, 7);
}

int pw_store_plan_get(pw_db *db, pw_arena *a, const char *id, pw_plan_row *out)
{
    static const char sql[] = "SELECT " PLAN_COLS " FROM plans WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, id);
    return pw_db_one(st, a, store_plan_read, out);
}

int pw_store_plan_resolve(pw_db *db, pw_arena *a, const char *requested, pw_plan_row *out,
                          char *err, size_t errlen)
{
    if (requested && *requested) {
        int st = pw_store_plan_get(db, a, requested, out);
        if (st == PW_NOT_FOUND)
            snprintf(err, errlen, "no plan '%.64s'", requested);
        else if (st != PW_OK)
            snprintf(err, errlen, "cannot read plans");
        return st;
    }
    static const char sql[] = "SELECT " PLAN_COLS " FROM plans ORDER BY id LIMIT 2";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == 0)
            store_plan_read(st, a, out);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "cannot read plans");
        return PW_INTERNAL;
    }
    if (n == 0) {
        snprintf(err, errlen, "no plan has been imported yet: planwatch plan import");
        return PW_NOT_FOUND;
    }
    if (n > 1) {
        snprintf(err, errlen, "several plans exist: name one with --plan ID");
        return PW_INVALID_ARGUMENT;
    }
    return PW_OK;
}

int pw_store_plan_rev_at(pw_db *db, const char *plan_id, int year, int month, int *rev)
{
    static const char sql[] = "SELECT COALESCE(MAX(rev), 0) FROM plan_revisions"
                              " WHERE plan_id = ?1 AND effective <= ?2";
    char asof[16];
    snprintf(asof, sizeof asof, "%04d-%02d", year, month >= 1 && month <= 12 ? month : 12);
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan_id, asof});
    if (!st)
        return PW_INTERNAL;
    int64_t v;
    if (pw_db_int64(st, &v) != PW_OK)
        return PW_INTERNAL;
    *rev = (int)v;
    return PW_OK;
}

/* The month of a 'YYYY-MM' due column, 0 when none. */
static int store_plan_due_month(sqlite3_stmt *st, int col)
{
    const char *due = pw_col_text(st, col);
    return due && strlen(due) == 7 ? atoi(due + 5) : 0;
}

/* Columns 7..16 of an assignment row but the unit (13): the numbers. */
static void store_assignment_numbers(sqlite3_stmt *st, pw_assignment *x)
{
    x->own_target = sqlite3_column_int(st, 7);
    x->is_lead = sqlite3_column_int(st, 8);
    x->target = sqlite3_column_double(st, 9);
    x->has_baseline = sqlite3_column_int(st, 10);
    x->baseline = sqlite3_column_double(st, 11);
    x->seq = sqlite3_column_int(st, 12);
    x->is_resp = sqlite3_column_int(st, 14);
    x->has_tolerance = sqlite3_column_type(st, 15) != SQLITE_NULL;
    x->tolerance = sqlite3_column_double(st, 15);
    x->due_month = store_plan_due_month(st, 16);
}

static void store_assignment_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_assignment *x = row;
    x->indicator_id = pw_arena_strdup(a, pw_col_text(st, 0));
    x->level1 = pw_arena_strdup(a, pw_col_text(st, 1));
    x->level2 = pw_arena_strdup(a, pw_col_text(st, 2));
    x->level3 = pw_arena_strdup(a, pw_col_text(st, 3));
    x->uom = pw_arena_strdup(a, pw_col_text(st, 4));
    x->kind = pw_arena_strdup(a, pw_col_text(st, 5));
    x->direction = pw_arena_strdup(a, pw_col_text(st, 6));
    store_assignment_numbers(st, x);
    x->unit = pw_arena_strdup(a, pw_col_text(st, 13));
}

static int store_plan_assignments(pw_db *db, pw_arena *a, const char *plan_id, const char *unit_id,
                                  int year, int month, int stored, pw_assignment **rows, size_t *n)
{
    /* own per-unit targets (driven by the targets' primary key), then the
     * plan-wide target of indicators the unit leads without an own one,
     * then that of the indicators it is responsible for (a task's state) */
    static const char sql[] =
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, 1,"
        "       EXISTS (SELECT 1 FROM indicator_units l WHERE l.plan_id = i.plan_id"
        "               AND l.rev = i.rev AND l.indicator_id = i.id AND l.unit_id = ?2"
        "               AND l.role = 'lead'),"
        "       t.value, t.baseline IS NOT NULL, COALESCE(t.baseline, 0), i.seq, ?2, 0,"
        "       t.tolerance, t.due "
        "FROM targets t JOIN indicators i ON i.plan_id = t.plan_id AND i.rev = t.rev"
        "     AND i.id = t.indicator_id "
        "WHERE t.unit_id = ?2 AND t.year = ?3 AND t.plan_id = ?1 AND t.rev = ?4 "
        "UNION ALL "
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom,"
        "       CASE l.role WHEN 'lead' THEN i.kind ELSE 'task' END,"
        "       CASE l.role WHEN 'lead' THEN i.direction ELSE 'up' END, 0, l.role = 'lead',"
        "       pw.value, pw.baseline IS NOT NULL, COALESCE(pw.baseline, 0), i.seq, ?2,"
        "       l.role = 'resp', pw.tolerance, pw.due "
        "FROM indicator_units l JOIN indicators i ON i.plan_id = l.plan_id AND i.rev = l.rev"
        "     AND i.id = l.indicator_id "
        "JOIN targets pw ON pw.plan_id = l.plan_id AND pw.rev = l.rev"
        "     AND pw.indicator_id = l.indicator_id AND pw.year = ?3 AND pw.unit_id = '' "
        "WHERE l.unit_id = ?2 AND l.role IN ('lead', 'resp') AND l.plan_id = ?1 AND l.rev = ?4"
        "     AND NOT EXISTS (SELECT 1 FROM targets o WHERE o.plan_id = l.plan_id"
        "     AND o.rev = l.rev AND o.indicator_id = l.indicator_id AND o.year = ?3"
        "     AND o.unit_id = ?2) "
        "ORDER BY 13";
    int rev;
    if (pw_store_plan_rev_at(db, plan_id, year, month, &rev) != PW_OK)
        return PW_INTERNAL;
    /* the stored copy when it is current (assign.h): one row instead of
     * the joins below, on every submission */
    int res =
        stored ? pw_store_assign_get(db, a, plan_id, rev, year, unit_id, rows, n) : PW_NOT_FOUND;
    if (res != PW_NOT_FOUND)
        return res;
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan_id, unit_id});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 3, year);
    sqlite3_bind_int(st, 4, rev);
    return pw_db_collect(st, a, sizeof **rows, store_assignment_read, (void **)rows, n);
}

int pw_store_plan_assignments(pw_db *db, pw_arena *a, const char *plan_id, const char *unit_id,
                              int year, int month, pw_assignment **rows, size_t *n)
{
    return store_plan_assignments(db, a, plan_id, unit_id, year, month, 1, rows, n);
}

int pw_store_plan_assignments_tables(pw_db *db, pw_arena *a, const char *plan_id,
                                     const char *unit_id, int year, int month, pw_assignment **rows,
                                     size_t *n)
{
    return store_plan_assignments(db, a, plan_id, unit_id, year, month, 0, rows, n);
}

static void store_plan_indicator_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_plan_indicator *x = row;
    memset(x, 0, sizeof *x);
    x->id = pw_arena_strdup(a, pw_col_text(st, 0));
    x->level1 = pw_arena_strdup(a, pw_col_text(st, 1));
    x->level2 = pw_arena_strdup(a, pw_col_text(st, 2));
    x->level3 = pw_arena_strdup(a, pw_col_text(st, 3));
    x->uom = pw_arena_strdup(a, pw_col_text(st, 4));
    x->kind = pw_arena_strdup(a, pw_col_text(st, 5));
    x->direction = pw_arena_strdup(a, pw_col_text(st, 6));
    x->seq = sqlite3_column_int(st, 7);
    x->has_target = sqlite3_column_int(st, 8);
    x->target = sqlite3_column_double(st, 9);
    x->has_baseline = sqlite3_column_int(st, 10);
    x->baseline = sqlite3_column_double(st, 11);
    x->aggregate = pw_arena_strdup(a, pw_col_text(st, 12));
    x->has_tolerance = sqlite3_column_type(st, 13) != SQLITE_NULL;
    x->tolerance = sqlite3_column_double(st, 13);
    x->due = pw_arena_strdup(a, pw_col_text(st, 14));
    x->due_month = store_plan_due_month(st, 14);
}

int pw_store_plan_indicators(pw_db *db, pw_arena *a, const char *plan_id, int year, int month,
                             pw_plan_indicator **rows, size_t *n)
{
    static const char sql[] =
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, i.seq,"
        " t.value IS NOT NULL, COALESCE(t.value, 0), t.baseline IS NOT NULL,"
        " COALESCE(t.baseline, 0), i.aggregate, t.tolerance, COALESCE(t.due, '') "
        "FROM indicators i "
        "LEFT JOIN targets t ON t.plan_id = i.plan_id AND t.rev = i.rev AND t.indicator_id = i.id"
        " AND t.year = ?2 AND t.unit_id = '' "
        "WHERE i.plan_id = ?1 AND i.rev = ?3 ORDER BY i.seq";
    static const char leads_sql[] =
        "SELECT indicator_id, unit_id FROM indicator_units "
        "WHERE plan_id = ?1 AND rev = ?2 AND role = 'lead' ORDER BY seq";
    int rev;
    if (pw_store_plan_rev_at(db, plan_id, year, month, &rev) != PW_OK)
        return PW_INTERNAL;
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int(st, 3, rev);
    size_t len = 0;
    pw_plan_indicator *r = NULL;
    if (pw_db_collect(st, a, sizeof *r, store_plan_indicator_read, (void **)&r, &len) != PW_OK)
        return PW_INTERNAL;
    st = pw_db_stmt(db, leads_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, rev);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ind = pw_col_text(st, 0);
        for (size_t i = 0; i < len; i++) {
            if (strcmp(r[i].id, ind) != 0)
                continue;
            r[i].leads = pw_arena_grow(a, (void *)r[i].leads, r[i].nleads, r[i].nleads + 1,
                                       sizeof *r[i].leads);
            r[i].leads[r[i].nleads++] = pw_arena_strdup(a, pw_col_text(st, 1));
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PW_INTERNAL;
    *rows = r;
    *n = len;
    return PW_OK;
}

/* Interned copies of the texts of many rows (the same indicator's names on
 * every unit's row): one copy per distinct text instead of one per row,
 * which at 3,000 units x 200 indicators is most of a ranking's memory. */
typedef struct store_intern {
    pw_arena *a;
    const char **slot;
    size_t cap, n;
} store_intern;

static const char *store_intern_text(store_intern *in, const char *s)
{
    if (in->n * 2 >= in->cap) {
        store_intern bigger = {in->a, NULL, in->cap ? in->cap * 2 : 1024, 0};
        bigger.slot = pw_arena_alloc(in->a, sizeof *bigger.slot * bigger.cap);
        for (size_t i = 0; i < in->cap; i++)
            if (in->slot[i])
                store_intern_text(&bigger, in->slot[i]);
        *in = bigger;
    }
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    size_t i = (size_t)h & (in->cap - 1);
    while (in->slot[i]) {
        if (strcmp(in->slot[i], s) == 0)
            return in->slot[i];
        i = (i + 1) & (in->cap - 1);
    }
    in->n++;
    return in->slot[i] = pw_arena_strdup(in->a, s);
}

/* store_assignment_read with every text interned. */
static void store_assignment_read_interned(sqlite3_stmt *st, store_intern *in, pw_assignment *x)
{
    const char **texts[] = {&x->indicator_id, &x->level1, &x->level2,   &x->level3,
                            &x->uom,          &x->kind,   &x->direction};
    for (int c = 0; c < 7; c++)
        *texts[c] = store_intern_text(in, pw_col_text(st, c));
    store_assignment_numbers(st, x);
    x->unit = store_intern_text(in, pw_col_text(st, 13));
}

/* An indicator of a revision, its texts interned (the own-target rows of
 * store_plan_assignments_rev_each take them from here instead of joining
 * indicators for each of 600,000 rows). */
typedef struct store_ind {
    const char *id, *level1, *level2, *level3, *uom, *kind, *direction;
    int seq;
} store_ind;

typedef int (*store_assignment_fn)(void *arg, const pw_assignment *row);

typedef struct store_pair {
    const char *indicator, *unit;
} store_pair;

static int store_ind_cmp(const void *a, const void *b)
{
    return strcmp(((const store_ind *)a)->id, ((const store_ind *)b)->id);
}

static int store_pair_cmp(const void *a, const void *b)
{
    const store_pair *x = a, *y = b;
    int c = strcmp(x->indicator, y->indicator);
    return c ? c : strcmp(x->unit, y->unit);
}

/* The indicators of (plan, rev), sorted by id, and the (indicator, lead
 * unit) pairs, sorted. */
static int store_rev_tables(pw_db *db, store_intern *in, const char *plan_id, int rev,
                            store_ind **inds, size_t *nind, store_pair **leads, size_t *nlead)
{
    static const char ind_sql[] = "SELECT id, level1, level2, level3, uom, kind, direction, seq"
                                  " FROM indicators WHERE plan_id = ?1 AND rev = ?2";
    static const char lead_sql[] = "SELECT indicator_id, unit_id FROM indicator_units"
                                   " WHERE plan_id = ?1 AND rev = ?2 AND role = 'lead'";
    size_t cap = 0, lcap = 0;
    *inds = NULL;
    *leads = NULL;
    *nind = *nlead = 0;
    sqlite3_stmt *st = pw_db_stmt_texts(db, ind_sql, 1, (const char *[]){plan_id});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*nind == cap) {
            cap = cap ? cap * 2 : 64;
            *inds = pw_arena_grow(in->a, *inds, *nind, cap, sizeof **inds);
        }
        store_ind *x = &(*inds)[(*nind)++];
        const char **t[] = {&x->id,  &x->level1, &x->level2,   &x->level3,
                            &x->uom, &x->kind,   &x->direction};
        for (int c = 0; c < 7; c++)
            *t[c] = store_intern_text(in, pw_col_text(st, c));
        x->seq = sqlite3_column_int(st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || !(st = pw_db_stmt_texts(db, lead_sql, 1, (const char *[]){plan_id})))
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*nlead == lcap) {
            lcap = lcap ? lcap * 2 : 64;
            *leads = pw_arena_grow(in->a, *leads, *nlead, lcap, sizeof **leads);
        }
        (*leads)[(*nlead)++] = (store_pair){store_intern_text(in, pw_col_text(st, 0)),
                                            store_intern_text(in, pw_col_text(st, 1))};
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PW_INTERNAL;
    if (*nind) /* qsort's base may not be NULL, even for no element */
        qsort(*inds, *nind, sizeof **inds, store_ind_cmp);
    if (*nlead)
        qsort(*leads, *nlead, sizeof **leads, store_pair_cmp);
    return PW_OK;
}

/* The own per-unit targets of (plan, rev, year), one row each, joined in
 * C with the revision's indicators and leads. */
static int store_own_targets(pw_db *db, store_intern *in, const char *plan_id, int year, int rev,
                             const char *unit_from, const char *unit_to, store_assignment_fn fn,
                             void *arg)
{
    static const char sql[] =
        "SELECT unit_id, indicator_id, value, baseline IS NOT NULL, COALESCE(baseline, 0),"
        " tolerance, due FROM targets WHERE plan_id = ?1 AND rev = ?3"
        " AND unit_id BETWEEN ?4 AND ?5 AND year = ?2 AND unit_id <> ''";
    store_ind *inds;
    store_pair *leads;
    size_t nind, nlead;
    if (store_rev_tables(db, in, plan_id, rev, &inds, &nind, &leads, &nlead) != PW_OK)
        return PW_INTERNAL;
    const char *texts[] = {plan_id, "", "", unit_from ? unit_from : "",
                           unit_to ? unit_to : PW_STORE_UNIT_MAX};
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 5, texts);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int(st, 3, rev);
    int rc = SQLITE_DONE, res = PW_OK;
    while (res == PW_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_ind probe = {.id = pw_col_text(st, 1)};
        const store_ind *i = nind ? bsearch(&probe, inds, nind, sizeof *inds, store_ind_cmp) : NULL;
        if (!i)
            continue; /* no such indicator in the revision (the join's rule) */
        pw_assignment x = {.indicator_id = i->id,
                           .level1 = i->level1,
                           .level2 = i->level2,
                           .level3 = i->level3,
                           .uom = i->uom,
                           .kind = i->kind,
                           .direction = i->direction,
                           .own_target = 1,
                           .seq = i->seq};
        x.unit = store_intern_text(in, pw_col_text(st, 0));
        store_pair pair = {i->id, x.unit};
        x.is_lead = nlead && bsearch(&pair, leads, nlead, sizeof *leads, store_pair_cmp) != NULL;
        x.target = sqlite3_column_double(st, 2);
        x.has_baseline = sqlite3_column_int(st, 3);
        x.baseline = sqlite3_column_double(st, 4);
        x.has_tolerance = sqlite3_column_type(st, 5) != SQLITE_NULL;
        x.tolerance = sqlite3_column_double(st, 5);
        x.due_month = store_plan_due_month(st, 6);
        res = fn(arg, &x);
    }
    sqlite3_reset(st);
    return res != PW_OK ? res : rc == SQLITE_DONE ? PW_OK : PW_INTERNAL;
}

/* Every unit's assignments of revision `rev` for `year` one by one to
 * `fn` (a non-OK return stops and is returned), their texts interned in
 * `a`; only units with ids in [unit_from, unit_to] (NULL: no bound). */
static int store_plan_assignments_rev_each(pw_db *db, pw_arena *a, const char *plan_id, int year,
                                           int rev, const char *unit_from, const char *unit_to,
                                           store_assignment_fn fn, void *arg)
{
    /* own per-unit targets (store_own_targets), then the plan-wide target
     * of the indicators a unit leads or is responsible for without an own
     * target */
    static const char sql[] =
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom,"
        "       CASE l.role WHEN 'lead' THEN i.kind ELSE 'task' END,"
        "       CASE l.role WHEN 'lead' THEN i.direction ELSE 'up' END, 0, l.role = 'lead',"
        "       pw.value, pw.baseline IS NOT NULL, COALESCE(pw.baseline, 0), i.seq, l.unit_id,"
        "       l.role = 'resp', pw.tolerance, pw.due "
        "FROM indicator_units l JOIN indicators i ON i.plan_id = l.plan_id AND i.rev = l.rev"
        "     AND i.id = l.indicator_id "
        "JOIN targets pw ON pw.plan_id = l.plan_id AND pw.rev = l.rev"
        "     AND pw.indicator_id = l.indicator_id AND pw.year = ?2 AND pw.unit_id = '' "
        "WHERE l.plan_id = ?1 AND l.rev = ?3 AND l.role IN ('lead', 'resp')"
        "     AND l.unit_id BETWEEN ?4 AND ?5 AND NOT EXISTS"
        "     (SELECT 1 FROM targets o WHERE o.plan_id = l.plan_id AND o.rev = l.rev"
        "      AND o.indicator_id = l.indicator_id AND o.year = ?2 AND o.unit_id = l.unit_id)";
    store_intern in = {.a = a};
    int res = store_own_targets(db, &in, plan_id, year, rev, unit_from, unit_to, fn, arg);
    if (res != PW_OK)
        return res;
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int(st, 3, rev);
    pw_bind_text(st, 4, unit_from ? unit_from : "");
    pw_bind_text(st, 5, unit_to ? unit_to : PW_STORE_UNIT_MAX);
    int rc = SQLITE_DONE;
    while (res == PW_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        pw_assignment x;
        memset(&x, 0, sizeof x);
        store_assignment_read_interned(st, &in, &x);
        res = fn(arg, &x);
    }
    sqlite3_reset(st);
    return res != PW_OK ? res : rc == SQLITE_DONE ? PW_OK : PW_INTERNAL;
}

typedef struct store_assignments_job {
    pw_arena *a;
    pw_assignment *r;
    size_t len, cap;
} store_assignments_job;

static int store_assignment_push(void *arg, const pw_assignment *x)
{
    store_assignments_job *j = arg;
    if (j->len == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 256;
        j->r = pw_arena_grow(j->a, j->r, j->len, j->cap, sizeof *j->r);
    }
    j->r[j->len++] = *x;
    return PW_OK;
}

int pw_store_plan_assignments_rev_all(pw_db *db, pw_arena *a, const char *plan_id, int year,
                                      int rev, const char *unit_from, const char *unit_to,
                                      pw_assignment **rows, size_t *n)
{
    store_assignments_job j = {.a = a};
    int st = store_plan_assignments_rev_each(db, a, plan_id, year, rev, unit_from, unit_to,
                                             store_assignment_push, &j);
    if (st != PW_OK)
        return st;
    *rows = j.r;
    *n = j.len;
    return PW_OK;
}

int pw_store_plan_assignments_all(pw_db *db, pw_arena *a, const char *plan_id, int year, int month,
                                  pw_assignment **rows, size_t *n)
{
    int rev;
    if (pw_store_plan_rev_at(db, plan_id, year, month, &rev) != PW_OK)
        return PW_INTERNAL;
    return pw_store_plan_assignments_rev_all(db, a, plan_id, year, rev, NULL, NULL, rows, n);
}
