/*
 * store_sheet.c - score sheet statements.  A replace deletes the sheets row
 * (its items go with it: ON DELETE CASCADE) and inserts the new one, all in
 * the caller's savepoint.
 */
#include "server/store/store_sheet.h"

#include "common/status.h"

int store_sheet_replace(pw_db *w, const char *category, const pw_sheet_item *items, size_t n,
                        int64_t now, int *replaced)
{
    static const char del_sql[] = "DELETE FROM sheets WHERE category = ?1";
    static const char sheet_sql[] = "INSERT INTO sheets(category, imported_at) VALUES (?1, ?2)";
    static const char item_sql[] =
        "INSERT INTO sheet_items(category, item, grp, content, max_points, kind, params)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st = pw_db_stmt(w, del_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    *replaced = pw_db_changes(w) > 0;
    if (!(st = pw_db_stmt(w, sheet_sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    sqlite3_bind_int64(st, 2, now);
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

int store_sheet_get(pw_db *db, pw_arena *a, const char *category, int64_t *imported_at,
                    pw_sheet_item **items, size_t *n)
{
    static const char sheet_sql[] = "SELECT imported_at FROM sheets WHERE category = ?1";
    static const char items_sql[] = "SELECT item, grp, content, max_points, kind, params"
                                    " FROM sheet_items WHERE category = ?1 ORDER BY item";
    sqlite3_stmt *st = pw_db_stmt(db, sheet_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *imported_at = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? PW_NOT_FOUND : PW_INTERNAL;
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
