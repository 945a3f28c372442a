/*
 * store_sheet.c - score sheet statements.  A replace deletes the sheets row
 * (its items go with it: ON DELETE CASCADE) and inserts the new one, all in
 * the caller's savepoint.
 */
#include "server/store/store_sheet.h"

#include "common/status.h"

static void store_sheet_settings_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    (void)a;
    pw_sheet_settings *v = row;
    v->commend_top = sqlite3_column_int(st, 0);
    v->criticise_bottom = sqlite3_column_int(st, 1);
}

int pw_store_sheet_replace(pw_db *w, const char *category, const pw_sheet_item *items, size_t n,
                           const pw_sheet_settings *set, int64_t now, int *replaced,
                           pw_sheet_settings *stored)
{
    static const char old_sql[] =
        "SELECT commend_top, criticise_bottom FROM sheets WHERE category = ?1";
    static const char del_sql[] = "DELETE FROM sheets WHERE category = ?1";
    static const char sheet_sql[] = "INSERT INTO sheets(category, imported_at, commend_top,"
                                    " criticise_bottom) VALUES (?1, ?2, ?3, ?4)";
    pw_sheet_settings v = {3, 2};
    sqlite3_stmt *st = pw_db_stmt(w, old_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    if (pw_db_one(st, NULL, store_sheet_settings_read, &v) == PW_INTERNAL)
        return PW_INTERNAL;
    if (set && set->commend_top > 0)
        v.commend_top = set->commend_top;
    if (set && set->criticise_bottom > 0)
        v.criticise_bottom = set->criticise_bottom;
    static const char item_sql[] =
        "INSERT INTO sheet_items(category, item, grp, content, max_points, kind, params)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    if (!(st = pw_db_stmt(w, del_sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    *replaced = pw_db_changes(w) > 0;
    if (!(st = pw_db_stmt(w, sheet_sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, v.commend_top);
    sqlite3_bind_int(st, 4, v.criticise_bottom);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    for (size_t i = 0; i < n; i++) {
        if (!(st = pw_db_stmt(w, item_sql)))
            return PW_INTERNAL;
        pw_bind_text(st, 1, category);
        sqlite3_bind_int(st, 2, items[i].item);
        pw_bind_text(st, 3, items[i].group);
        pw_bind_text(st, 4, items[i].content);
        sqlite3_bind_double(st, 5, items[i].max_points);
        pw_bind_text(st, 6, items[i].kind);
        pw_bind_text(st, 7, items[i].params);
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
    }
    if (stored)
        *stored = v;
    return PW_OK;
}

static void store_sheet_item_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_sheet_item *x = row;
    x->item = sqlite3_column_int(st, 0);
    x->group = pw_arena_strdup(a, pw_col_text(st, 1));
    x->content = pw_arena_strdup(a, pw_col_text(st, 2));
    x->max_points = sqlite3_column_double(st, 3);
    x->kind = pw_arena_strdup(a, pw_col_text(st, 4));
    x->params = pw_arena_strdup(a, pw_col_text(st, 5));
}

typedef struct store_sheet_head {
    int64_t imported_at;
    pw_sheet_settings set;
} store_sheet_head;

static void store_sheet_head_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    (void)a;
    store_sheet_head *h = row;
    h->imported_at = sqlite3_column_int64(st, 0);
    h->set.commend_top = sqlite3_column_int(st, 1);
    h->set.criticise_bottom = sqlite3_column_int(st, 2);
}

int pw_store_sheet_get(pw_db *db, pw_arena *a, const char *category, int64_t *imported_at,
                       pw_sheet_settings *set, pw_sheet_item **items, size_t *n)
{
    static const char sheet_sql[] =
        "SELECT imported_at, commend_top, criticise_bottom FROM sheets WHERE category = ?1";
    static const char items_sql[] = "SELECT item, grp, content, max_points, kind, params"
                                    " FROM sheet_items WHERE category = ?1 ORDER BY item";
    sqlite3_stmt *st = pw_db_stmt(db, sheet_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    store_sheet_head h;
    int rc = pw_db_one(st, NULL, store_sheet_head_read, &h);
    if (rc != PW_OK)
        return rc;
    *imported_at = h.imported_at;
    if (set)
        *set = h.set;
    if (!(st = pw_db_stmt(db, items_sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    pw_sheet_item *r;
    size_t len;
    if (pw_db_collect(st, a, sizeof *r, store_sheet_item_read, (void **)&r, &len) != PW_OK)
        return PW_INTERNAL;
    *items = r;
    *n = len;
    return PW_OK;
}

int pw_store_score_flag_set(pw_db *w, pw_arena *a, const char *plan, const char *period,
                            const pw_score_flag_row *row, const char **previous)
{
    static const char old_sql[] =
        "SELECT flag FROM score_flags WHERE plan_id = ?1 AND period = ?2 AND unit_id = ?3";
    static const char put_sql[] =
        "INSERT OR REPLACE INTO score_flags(plan_id, period, unit_id, flag, reason, by_user, at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st =
        pw_db_stmt_texts(w, old_sql, 3, (const char *[]){plan, period, row->unit_id});
    if (!st)
        return PW_INTERNAL;
    const char *prev = NULL;
    int rc = pw_db_one(st, a, pw_db_read_text, &prev);
    *previous = prev ? prev : pw_arena_strdup(a, "");
    if (rc == PW_INTERNAL)
        return PW_INTERNAL;
    if (!(st = pw_db_stmt(w, put_sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan);
    pw_bind_text(st, 2, period);
    pw_bind_text(st, 3, row->unit_id);
    pw_bind_text(st, 4, row->flag);
    pw_bind_text(st, 5, row->reason);
    pw_bind_text(st, 6, row->by_user);
    sqlite3_bind_int64(st, 7, row->at);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

static void store_score_flag_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_score_flag_row *x = row;
    x->unit_id = pw_arena_strdup(a, pw_col_text(st, 0));
    x->flag = pw_arena_strdup(a, pw_col_text(st, 1));
    x->reason = pw_arena_strdup(a, pw_col_text(st, 2));
    x->by_user = pw_arena_strdup(a, pw_col_text(st, 3));
    x->at = sqlite3_column_int64(st, 4);
}

int pw_store_score_flags_get(pw_db *db, pw_arena *a, const char *plan, const char *period,
                             pw_score_flag_row **rows, size_t *n)
{
    static const char sql[] = "SELECT unit_id, flag, reason, by_user, at FROM score_flags"
                              " WHERE plan_id = ?1 AND period = ?2 ORDER BY unit_id";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan, period});
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, a, sizeof **rows, store_score_flag_read, (void **)rows, n);
}
