/*
 * store_finding.c - statements for findings and the sheet items they feed.
 */
#include "server/store/store_finding.h"

#include "common/status.h"

int pw_store_finding_insert(pw_db *w, const pw_finding_row *f, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO findings(plan_id, unit_id, year, kind, item, points, count, amount, note,"
        " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 2, (const char *[]){f->plan, f->unit});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 3, f->year);
    pw_bind_text(st, 4, f->kind);
    if (f->item)
        sqlite3_bind_int(st, 5, f->item);
    if (f->has_points)
        sqlite3_bind_double(st, 6, f->points);
    if (f->count)
        sqlite3_bind_int64(st, 7, f->count);
    if (f->has_amount)
        sqlite3_bind_double(st, 8, f->amount);
    pw_bind_text(st, 9, f->note);
    pw_bind_text(st, 10, f->created_by);
    sqlite3_bind_int64(st, 11, f->created_at);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    *id = pw_db_last_insert_id(w);
    return PW_OK;
}

int pw_store_finding_remove(pw_db *w, int64_t id, const char *by, int64_t at, const char *note)
{
    static const char sql[] = "UPDATE findings SET removed_by = ?2, removed_at = ?3, "
                              "removed_note = ?4 WHERE id = ?1 AND removed_at IS NULL";
    return pw_db_stamp(w, sql, id, by, at, note);
}

#define FINDING_COLS                                                                               \
    "f.id, f.plan_id, f.unit_id, COALESCE(u.name,''), f.kind, f.note, f.created_by,"               \
    " COALESCE(f.removed_note,''), f.year, COALESCE(f.item,0), f.points IS NOT NULL,"              \
    " f.amount IS NOT NULL, COALESCE(f.points,0), COALESCE(f.amount,0), COALESCE(f.count,0),"      \
    " f.created_at, COALESCE(f.removed_at,0)"

static void store_finding_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_finding_row *f = row;
    f->id = sqlite3_column_int64(st, 0);
    f->plan = pw_arena_strdup(a, pw_col_text(st, 1));
    f->unit = pw_arena_strdup(a, pw_col_text(st, 2));
    f->unit_name = pw_arena_strdup(a, pw_col_text(st, 3));
    f->kind = pw_arena_strdup(a, pw_col_text(st, 4));
    f->note = pw_arena_strdup(a, pw_col_text(st, 5));
    f->created_by = pw_arena_strdup(a, pw_col_text(st, 6));
    f->removed_note = pw_arena_strdup(a, pw_col_text(st, 7));
    f->year = sqlite3_column_int(st, 8);
    f->item = sqlite3_column_int(st, 9);
    f->has_points = sqlite3_column_int(st, 10);
    f->has_amount = sqlite3_column_int(st, 11);
    f->points = sqlite3_column_double(st, 12);
    f->amount = sqlite3_column_double(st, 13);
    f->count = sqlite3_column_int64(st, 14);
    f->created_at = sqlite3_column_int64(st, 15);
    f->removed_at = sqlite3_column_int64(st, 16);
}

int pw_store_finding_get(pw_db *db, pw_arena *a, int64_t id, pw_finding_row *out)
{
    static const char sql[] = "SELECT " FINDING_COLS " FROM findings f "
                              "LEFT JOIN units u ON u.id = f.unit_id WHERE f.id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    return pw_db_one(st, a, store_finding_read, out);
}

int pw_store_finding_list(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                          int include_removed, pw_finding_row **rows, size_t *n)
{
    static const char sql[] = "SELECT " FINDING_COLS " FROM findings f "
                              "LEFT JOIN units u ON u.id = f.unit_id "
                              "WHERE f.plan_id = ?1 AND (?2 = '' OR f.unit_id = ?2) "
                              "AND (?3 = 0 OR f.year = ?3) AND (?4 OR f.removed_at IS NULL) "
                              "ORDER BY f.id";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan, unit});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 3, year);
    sqlite3_bind_int(st, 4, include_removed);
    return pw_db_collect(st, a, sizeof **rows, store_finding_read, (void **)rows, n);
}

static void store_sheet_item_row_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_sheet_item_row *out = row;
    out->item = sqlite3_column_int(st, 0);
    out->kind = pw_arena_strdup(a, pw_col_text(st, 1));
    out->params = pw_arena_strdup(a, pw_col_text(st, 2));
    out->content = pw_arena_strdup(a, pw_col_text(st, 3));
    out->max_points = sqlite3_column_double(st, 4);
}

int pw_store_sheet_item_get(pw_db *db, pw_arena *a, const char *category, int item,
                            pw_sheet_item_row *out)
{
    static const char sql[] = "SELECT item, kind, params, content, max_points FROM sheet_items "
                              "WHERE category = ?1 AND item = ?2";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category);
    sqlite3_bind_int(st, 2, item);
    return pw_db_one(st, a, store_sheet_item_row_read, out);
}
