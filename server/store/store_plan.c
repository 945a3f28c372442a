/*
 * store_plan.c - plan reads shared by the plan, report, dispatch and
 * scoring services.
 */
#include "server/store/store_plan.h"

#include <stdio.h>
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

int store_plan_get(pw_db *db, pw_arena *a, const char *id, pw_plan_row *out)
{
    static const char sql[] = "SELECT " PLAN_COLS " FROM plans WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, id);
    return pw_db_one(st, a, store_plan_read, out);
}

int store_plan_resolve(pw_db *db, pw_arena *a, const char *requested, pw_plan_row *out, char *err,
                       size_t errlen)
{
    if (requested && *requested) {
        int st = store_plan_get(db, a, requested, out);
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
    x->own_target = sqlite3_column_int(st, 7);
    x->is_lead = sqlite3_column_int(st, 8);
    x->target = sqlite3_column_double(st, 9);
    x->has_baseline = sqlite3_column_int(st, 10);
    x->baseline = sqlite3_column_double(st, 11);
    x->seq = sqlite3_column_int(st, 12);
    x->unit = pw_arena_strdup(a, pw_col_text(st, 13));
}

int store_plan_assignments(pw_db *db, pw_arena *a, const char *plan_id, const char *unit_id,
                           int year, pw_assignment **rows, size_t *n)
{
    /* own per-unit targets (driven by the targets_unit index), then the
     * plan-wide target of indicators the unit leads without an own one */
    static const char sql[] =
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, 1,"
        "       EXISTS (SELECT 1 FROM indicator_units l WHERE l.plan_id = i.plan_id"
        "               AND l.indicator_id = i.id AND l.unit_id = ?2 AND l.role = 'lead'),"
        "       t.value, t.baseline IS NOT NULL, COALESCE(t.baseline, 0), i.seq, ?2 "
        "FROM targets t JOIN indicators i ON i.plan_id = t.plan_id AND i.id = t.indicator_id "
        "WHERE t.unit_id = ?2 AND t.year = ?3 AND t.plan_id = ?1 "
        "UNION ALL "
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, 0, 1,"
        "       pw.value, pw.baseline IS NOT NULL, COALESCE(pw.baseline, 0), i.seq, ?2 "
        "FROM indicator_units l JOIN indicators i ON i.plan_id = l.plan_id AND i.id = "
        "l.indicator_id "
        "JOIN targets pw ON pw.plan_id = l.plan_id AND pw.indicator_id = l.indicator_id"
        "     AND pw.year = ?3 AND pw.unit_id = '' "
        "WHERE l.unit_id = ?2 AND l.role = 'lead' AND l.plan_id = ?1 AND NOT EXISTS"
        "     (SELECT 1 FROM targets o WHERE o.plan_id = l.plan_id AND o.indicator_id ="
        "      l.indicator_id AND o.year = ?3 AND o.unit_id = ?2) "
        "ORDER BY 13";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    pw_bind_text(st, 2, unit_id);
    sqlite3_bind_int(st, 3, year);
    return pw_db_collect(st, a, sizeof **rows, store_assignment_read, (void **)rows, n);
}

static void store_indicator_read(sqlite3_stmt *st, pw_arena *a, void *row)
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
}

int store_plan_indicators(pw_db *db, pw_arena *a, const char *plan_id, int year,
                          pw_plan_indicator **rows, size_t *n)
{
    static const char sql[] =
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, i.seq,"
        " t.value IS NOT NULL, COALESCE(t.value, 0), t.baseline IS NOT NULL,"
        " COALESCE(t.baseline, 0) FROM indicators i "
        "LEFT JOIN targets t ON t.plan_id = i.plan_id AND t.indicator_id = i.id"
        " AND t.year = ?2 AND t.unit_id = '' "
        "WHERE i.plan_id = ?1 ORDER BY i.seq";
    static const char leads_sql[] = "SELECT indicator_id, unit_id FROM indicator_units "
                                    "WHERE plan_id = ?1 AND role = 'lead' ORDER BY seq";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, year);
    pw_plan_indicator *r;
    size_t len;
    int rc;
    if (pw_db_collect(st, a, sizeof *r, store_indicator_read, (void **)&r, &len) != PW_OK)
        return PW_INTERNAL;
    st = pw_db_stmt(db, leads_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
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

int store_plan_assignments_all(pw_db *db, pw_arena *a, const char *plan_id, int year,
                               pw_assignment **rows, size_t *n)
{
    static const char sql[] =
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, 1,"
        "       l.unit_id IS NOT NULL, t.value, t.baseline IS NOT NULL,"
        "       COALESCE(t.baseline, 0), i.seq, t.unit_id "
        "FROM targets t JOIN indicators i ON i.plan_id = t.plan_id AND i.id = t.indicator_id "
        "LEFT JOIN indicator_units l ON l.plan_id = t.plan_id AND l.indicator_id ="
        "     t.indicator_id AND l.unit_id = t.unit_id AND l.role = 'lead' "
        "WHERE t.plan_id = ?1 AND t.year = ?2 AND t.unit_id <> '' "
        "UNION ALL "
        "SELECT i.id, i.level1, i.level2, i.level3, i.uom, i.kind, i.direction, 0, 1,"
        "       pw.value, pw.baseline IS NOT NULL, COALESCE(pw.baseline, 0), i.seq, l.unit_id "
        "FROM indicator_units l JOIN indicators i ON i.plan_id = l.plan_id AND i.id = "
        "l.indicator_id "
        "JOIN targets pw ON pw.plan_id = l.plan_id AND pw.indicator_id = l.indicator_id"
        "     AND pw.year = ?2 AND pw.unit_id = '' "
        "WHERE l.plan_id = ?1 AND l.role = 'lead' AND NOT EXISTS"
        "     (SELECT 1 FROM targets o WHERE o.plan_id = l.plan_id AND o.indicator_id ="
        "      l.indicator_id AND o.year = ?2 AND o.unit_id = l.unit_id)";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, year);
    return pw_db_collect(st, a, sizeof **rows, store_assignment_read, (void **)rows, n);
}
