/*
 * store_plan_import.c - plan writes (import / replace) and the plan
 * service's own reads (whole tree, coverage checks).
 *
 * Design notes
 * - A replace keeps the plans row (UPDATE in place) and deletes only what
 *   hangs off it: targets, unit links, indicators.  Findings, period locks
 *   and publications refer to the plan id and survive a corrected import;
 *   reports and half-year reports would not make sense against a new tree,
 *   which is why the caller refuses a replace while any exist
 *   (pw_store_plan_report_count, read on the writer inside the same savepoint).
 * - Everything runs inside the caller's write fn, so a failure at any row
 *   rolls the whole import back.
 */
#include "server/store/store_plan_import.h"

#include "server/store/assign.h"

#include <string.h>

#include "common/status.h"

int pw_store_plan_report_count(pw_db *w, const char *id, int64_t *n)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM reports WHERE plan_id = ?1)"
                              " + (SELECT count(*) FROM halfyear_reports WHERE plan_id = ?1)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, id);
    return pw_db_int64(st, n);
}

static int store_plan_upsert(pw_db *w, const pw_plan_row *p, int *replaced)
{
    static const char exists_sql[] = "SELECT 1 FROM plans WHERE id = ?1";
    static const char update_sql[] =
        "UPDATE plans SET name = ?2, tz_offset_min = ?3, due_day = ?4, cadence = ?5,"
        " first_year = ?6, last_year = ?7, imported_at = ?8 WHERE id = ?1";
    static const char insert_sql[] =
        "INSERT INTO plans(id, name, tz_offset_min, due_day, cadence, first_year, last_year,"
        " imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st = pw_db_stmt(w, exists_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, p->id);
    int64_t one;
    int rc = pw_db_one(st, NULL, pw_db_read_int64, &one);
    if (rc == PW_INTERNAL)
        return PW_INTERNAL;
    *replaced = rc == PW_OK;
    st = pw_db_stmt(w, *replaced ? update_sql : insert_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, p->id);
    pw_bind_text(st, 2, p->name);
    sqlite3_bind_int(st, 3, p->tz_offset_min);
    sqlite3_bind_int(st, 4, p->due_day);
    pw_bind_text(st, 5, p->cadence);
    sqlite3_bind_int(st, 6, p->first_year);
    sqlite3_bind_int(st, 7, p->last_year);
    sqlite3_bind_int64(st, 8, p->imported_at);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

static int store_plan_clear(pw_db *w, const char *id)
{
    static const char targets_sql[] = "DELETE FROM targets WHERE plan_id = ?1";
    static const char links_sql[] = "DELETE FROM indicator_units WHERE plan_id = ?1";
    static const char indicators_sql[] = "DELETE FROM indicators WHERE plan_id = ?1";
    static const char revisions_sql[] = "DELETE FROM plan_revisions WHERE plan_id = ?1";
    static const char assign_sql[] = "DELETE FROM assign_state WHERE plan_id = ?1";
    const char *const sqls[] = {targets_sql, links_sql, indicators_sql, revisions_sql, assign_sql};
    for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        sqlite3_stmt *st = pw_db_stmt(w, sqls[i]);
        if (!st)
            return PW_INTERNAL;
        pw_bind_text(st, 1, id);
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
    }
    return PW_OK;
}

static int store_plan_link(pw_db *w, const char *plan, int rev, const char *indicator,
                           const char *unit, const char *role, int seq)
{
    static const char sql[] = "INSERT INTO indicator_units(plan_id, rev, indicator_id, unit_id,"
                              " role, seq) VALUES (?1, ?6, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 4, (const char *[]){plan, indicator, unit, role});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 5, seq);
    sqlite3_bind_int(st, 6, rev);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

static int store_plan_revision_insert(pw_db *w, const char *plan, const pw_plan_revision_row *r)
{
    static const char sql[] =
        "INSERT INTO plan_revisions(plan_id, rev, effective, reason, by_user, at, indicators,"
        " targets) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan);
    sqlite3_bind_int(st, 2, r->rev);
    pw_bind_text(st, 3, r->effective);
    pw_bind_text(st, 4, r->reason);
    pw_bind_text(st, 5, r->by_user);
    sqlite3_bind_int64(st, 6, r->at);
    sqlite3_bind_int(st, 7, r->indicators);
    sqlite3_bind_int(st, 8, r->targets);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

/* The tree of one revision. */
static int store_plan_tree_insert(pw_db *w, const char *plan, int rev,
                                  const pw_plan_import_indicator *ind, size_t nind,
                                  const pw_plan_import_target *tg, size_t ntg)
{
    static const char ind_sql[] =
        "INSERT INTO indicators(plan_id, rev, id, seq, level1, level2, level3, uom, kind,"
        " direction, aggregate) VALUES (?1, ?10, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11)";
    static const char tg_sql[] =
        "INSERT INTO targets(plan_id, rev, indicator_id, year, unit_id, value, baseline,"
        " tolerance, due) VALUES (?1, ?7, ?2, ?3, ?4, ?5, ?6, ?8, ?9)";
    int rc;
    for (size_t i = 0; i < nind; i++) {
        const pw_plan_import_indicator *x = &ind[i];
        sqlite3_stmt *st = pw_db_stmt_texts(w, ind_sql, 2, (const char *[]){plan, x->id});
        if (!st)
            return PW_INTERNAL;
        sqlite3_bind_int(st, 3, (int)i + 1);
        pw_bind_text(st, 4, x->level1);
        pw_bind_text(st, 5, x->level2);
        pw_bind_text(st, 6, x->level3);
        pw_bind_text(st, 7, x->uom);
        pw_bind_text(st, 8, x->kind);
        pw_bind_text(st, 9, x->direction);
        sqlite3_bind_int(st, 10, rev);
        pw_bind_text(st, 11, x->aggregate ? x->aggregate : "");
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
        int seq = 0;
        for (size_t k = 0; k < x->nleads; k++)
            if ((rc = store_plan_link(w, plan, rev, x->id, x->leads[k], "lead", ++seq)) != PW_OK)
                return rc;
        for (size_t k = 0; k < x->ncoops; k++)
            if ((rc = store_plan_link(w, plan, rev, x->id, x->coops[k], "coop", ++seq)) != PW_OK)
                return rc;
        for (size_t k = 0; k < x->nresps; k++)
            if ((rc = store_plan_link(w, plan, rev, x->id, x->resps[k], "resp", ++seq)) != PW_OK)
                return rc;
    }
    for (size_t i = 0; i < ntg; i++) {
        const pw_plan_import_target *t = &tg[i];
        sqlite3_stmt *st = pw_db_stmt_texts(w, tg_sql, 2, (const char *[]){plan, t->indicator_id});
        if (!st)
            return PW_INTERNAL;
        sqlite3_bind_int(st, 3, t->year);
        pw_bind_text(st, 4, t->unit);
        sqlite3_bind_double(st, 5, t->value);
        if (t->has_baseline)
            sqlite3_bind_double(st, 6, t->baseline);
        else
            sqlite3_bind_null(st, 6);
        sqlite3_bind_int(st, 7, rev);
        if (t->has_tolerance)
            sqlite3_bind_double(st, 8, t->tolerance);
        else
            sqlite3_bind_null(st, 8);
        if (t->due && t->due[0])
            pw_bind_text(st, 9, t->due);
        else
            sqlite3_bind_null(st, 9);
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
    }
    return PW_OK;
}

int pw_store_plan_replace(pw_db *w, const pw_plan_row *p, const pw_plan_import_indicator *ind,
                          size_t nind, const pw_plan_import_target *tg, size_t ntg, int *replaced)
{
    int rc = store_plan_upsert(w, p, replaced);
    if (rc != PW_OK)
        return rc;
    if (*replaced && (rc = store_plan_clear(w, p->id)) != PW_OK)
        return rc;
    pw_plan_revision_row r0 = {.rev = 0,
                               .effective = "0000-00",
                               .reason = "import",
                               .by_user = "",
                               .at = p->imported_at,
                               .indicators = (int)nind,
                               .targets = (int)ntg};
    if ((rc = store_plan_revision_insert(w, p->id, &r0)) != PW_OK ||
        (rc = store_plan_tree_insert(w, p->id, 0, ind, nind, tg, ntg)) != PW_OK)
        return rc;
    return pw_store_assign_build(w, p->id, 0);
}

int pw_store_plan_revise(pw_db *w, const pw_plan_row *p, const pw_plan_revision_row *r,
                         const pw_plan_import_indicator *ind, size_t nind,
                         const pw_plan_import_target *tg, size_t ntg)
{
    static const char years_sql[] =
        "UPDATE plans SET first_year = min(first_year, ?2), last_year = max(last_year, ?3)"
        " WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, years_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, p->id);
    sqlite3_bind_int(st, 2, p->first_year);
    sqlite3_bind_int(st, 3, p->last_year);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    int rc = store_plan_revision_insert(w, p->id, r);
    if (rc != PW_OK || (rc = store_plan_tree_insert(w, p->id, r->rev, ind, nind, tg, ntg)) != PW_OK)
        return rc;
    return pw_store_assign_build(w, p->id, r->rev);
}

static void store_plan_revision_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_plan_revision_row *x = row;
    x->rev = sqlite3_column_int(st, 0);
    x->effective = pw_arena_strdup(a, pw_col_text(st, 1));
    x->reason = pw_arena_strdup(a, pw_col_text(st, 2));
    x->by_user = pw_arena_strdup(a, pw_col_text(st, 3));
    x->at = sqlite3_column_int64(st, 4);
    x->indicators = sqlite3_column_int(st, 5);
    x->targets = sqlite3_column_int(st, 6);
}

int pw_store_plan_revisions(pw_db *db, pw_arena *a, const char *plan_id,
                            pw_plan_revision_row **rows, size_t *n)
{
    static const char sql[] = "SELECT rev, effective, reason, by_user, at, indicators, targets"
                              " FROM plan_revisions WHERE plan_id = ?1 ORDER BY rev";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    return pw_db_collect(st, a, sizeof **rows, store_plan_revision_read, (void **)rows, n);
}

static void store_plan_target_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_plan_target_row *x = row;
    x->indicator_id = pw_arena_strdup(a, pw_col_text(st, 0));
    x->year = sqlite3_column_int(st, 1);
    x->unit = pw_arena_strdup(a, pw_col_text(st, 2));
    x->unit_name = pw_arena_strdup(a, pw_col_text(st, 3));
    x->value = sqlite3_column_double(st, 4);
    x->has_baseline = sqlite3_column_int(st, 5);
    x->baseline = sqlite3_column_double(st, 6);
    x->has_tolerance = sqlite3_column_type(st, 7) != SQLITE_NULL;
    x->tolerance = sqlite3_column_double(st, 7);
    x->due = pw_arena_strdup(a, pw_col_text(st, 8));
}

int pw_store_plan_targets(pw_db *db, pw_arena *a, const char *plan_id, int rev, int year,
                          pw_plan_target_row **rows, size_t *n)
{
    static const char sql[] =
        "SELECT t.indicator_id, t.year, t.unit_id, COALESCE(u.name, ''), t.value,"
        " t.baseline IS NOT NULL, COALESCE(t.baseline, 0), t.tolerance, COALESCE(t.due, '') "
        "FROM targets t JOIN indicators i ON i.plan_id = t.plan_id AND i.rev = t.rev"
        " AND i.id = t.indicator_id "
        "LEFT JOIN units u ON u.id = t.unit_id "
        "WHERE t.plan_id = ?1 AND t.rev = ?3 AND (?2 = 0 OR t.year = ?2) "
        "ORDER BY i.seq, t.year, t.unit_id <> '', t.unit_id";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int(st, 3, rev);
    return pw_db_collect(st, a, sizeof **rows, store_plan_target_read, (void **)rows, n);
}

static void store_plan_unit_link_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_plan_unit_link *x = row;
    x->indicator_id = pw_arena_strdup(a, pw_col_text(st, 0));
    x->unit = pw_arena_strdup(a, pw_col_text(st, 1));
    x->is_lead = sqlite3_column_int(st, 2);
    x->role = pw_arena_strdup(a, pw_col_text(st, 3));
}

int pw_store_plan_unit_links(pw_db *db, pw_arena *a, const char *plan_id, int rev,
                             pw_plan_unit_link **rows, size_t *n)
{
    static const char sql[] =
        "SELECT l.indicator_id, l.unit_id, l.role = 'lead', l.role FROM indicator_units l "
        "JOIN indicators i ON i.plan_id = l.plan_id AND i.rev = l.rev AND i.id = l.indicator_id "
        "WHERE l.plan_id = ?1 AND l.rev = ?2 ORDER BY i.seq, l.role <> 'lead', l.seq";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan_id);
    sqlite3_bind_int(st, 2, rev);
    return pw_db_collect(st, a, sizeof **rows, store_plan_unit_link_read, (void **)rows, n);
}

int pw_store_plan_reporters_without_unit(pw_db *db, pw_arena *a, const char ***names, size_t *n)
{
    static const char sql[] = "SELECT name FROM users WHERE role = 'reporter' AND enabled"
                              " AND (unit_id IS NULL OR unit_id = '') ORDER BY name";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    const char **r;
    size_t len;
    if (pw_db_collect(st, a, sizeof *r, pw_db_read_text, (void **)&r, &len) != PW_OK)
        return PW_INTERNAL;
    *names = r;
    *n = len;
    return PW_OK;
}

int pw_store_plan_units_without_user(pw_db *db, pw_arena *a, pw_unit_row **rows, size_t *n)
{
    static const char sql[] =
        "SELECT id, name, category, COALESCE(active_from, ''), COALESCE(active_to, ''),"
        " created_at FROM units u WHERE NOT EXISTS (SELECT 1 FROM users s"
        " WHERE s.unit_id = u.id AND s.role = 'reporter' AND s.enabled) ORDER BY category, id";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, a, sizeof **rows, pw_store_unit_read, (void **)rows, n);
}
