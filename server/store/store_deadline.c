/*
 * store_deadline.c - deadline extension statements (store_deadline.h).
 */
#include "server/store/store_deadline.h"

#include "common/status.h"

static void store_deadline_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_deadline_row *r = row;
    r->plan = pw_arena_strdup(a, pw_col_text(st, 0));
    r->period = pw_arena_strdup(a, pw_col_text(st, 1));
    r->unit = pw_arena_strdup(a, pw_col_text(st, 2));
    r->until = sqlite3_column_int64(st, 3);
    r->until_date = pw_arena_strdup(a, pw_col_text(st, 4));
    r->reason = pw_arena_strdup(a, pw_col_text(st, 5));
    r->by_user = pw_arena_strdup(a, pw_col_text(st, 6));
    r->at = sqlite3_column_int64(st, 7);
}

int pw_store_deadline_set(pw_db *w, const pw_deadline_row *row)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO deadline_extensions(plan_id, period, unit_id, until, until_date,"
        " reason, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st =
        pw_db_stmt_texts(w, sql, 3, (const char *[]){row->plan, row->period, row->unit});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 4, row->until);
    pw_bind_text(st, 5, row->until_date);
    pw_bind_text(st, 6, row->reason);
    pw_bind_text(st, 7, row->by_user);
    sqlite3_bind_int64(st, 8, row->at);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

int pw_store_deadline_get(pw_db *db, pw_arena *a, const char *plan, const char *period,
                          const char *unit, pw_deadline_row *out)
{
    /* two primary-key lookups, the unit's row first: one query with
     * "unit_id IN (?3, '') ORDER BY ..." built a sorter on every submission
     * (ten times the cost) */
    static const char sql[] = "SELECT plan_id, period, unit_id, until, until_date, reason, by_user,"
                              " at FROM deadline_extensions"
                              " WHERE plan_id = ?1 AND period = ?2 AND unit_id = ?3";
    const char *keys[] = {unit && *unit ? unit : "", ""};
    for (size_t i = 0; i < (keys[0][0] ? 2u : 1u); i++) {
        sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, period, keys[i]});
        if (!st)
            return PW_INTERNAL;
        int rc = pw_db_one(st, a, store_deadline_read, out);
        if (rc != PW_NOT_FOUND)
            return rc;
    }
    return PW_NOT_FOUND;
}

int pw_store_deadline_list(pw_db *db, pw_arena *a, const char *plan, const char *from,
                           const char *to, pw_deadline_row **rows, size_t *n)
{
    static const char sql[] =
        "SELECT plan_id, period, unit_id, until, until_date, reason, by_user, at"
        " FROM deadline_extensions WHERE plan_id = ?1 AND period BETWEEN ?2 AND ?3"
        " ORDER BY period, unit_id";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, from, to});
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, a, sizeof **rows, store_deadline_read, (void **)rows, n);
}
