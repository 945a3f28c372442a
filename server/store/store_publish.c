/*
 * store_publish.c - statements of the published record (store_publish.h).
 */
#include "server/store/store_publish.h"

#include <string.h>

#include "common/status.h"

#define PUBLISH_COLS "kind, plan_id, period, version, published_by, published_at, reason"

static void store_publication_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_publication_row *r = row;
    memset(r, 0, sizeof *r);
    r->kind = pw_arena_strdup(a, pw_col_text(st, 0));
    r->plan = pw_arena_strdup(a, pw_col_text(st, 1));
    r->period = pw_arena_strdup(a, pw_col_text(st, 2));
    r->version = sqlite3_column_int(st, 3);
    r->published_by = pw_arena_strdup(a, pw_col_text(st, 4));
    r->published_at = sqlite3_column_int64(st, 5);
    r->reason = pw_arena_strdup(a, pw_col_text(st, 6));
}

int pw_store_publication_insert(pw_db *w, const pw_publication_row *row)
{
    static const char sql[] = "INSERT OR IGNORE INTO publication_versions(" PUBLISH_COLS
                              ", body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st =
        pw_db_stmt_texts(w, sql, 3, (const char *[]){row->kind, row->plan, row->period});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 4, row->version);
    pw_bind_text(st, 5, row->published_by);
    sqlite3_bind_int64(st, 6, row->published_at);
    pw_bind_text(st, 7, row->reason ? row->reason : "");
    sqlite3_bind_blob(st, 8, row->body ? (const void *)row->body : (const void *)"",
                      (int)row->body_len, SQLITE_STATIC);
    /* INSERT OR IGNORE of one row: 1 change, or 0 when it is there */
    return pw_db_exec_changed(w, st, PW_ALREADY_EXISTS);
}

/* store_publication_read and a copy of the body (column 7, NUL-terminated) */
static void store_publication_body_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_publication_row *out = row;
    store_publication_read(st, a, out);
    int n = sqlite3_column_bytes(st, 7);
    const void *b = sqlite3_column_blob(st, 7);
    uint8_t *copy = pw_arena_alloc(a, (size_t)n + 1);
    if (n > 0 && b)
        memcpy(copy, b, (size_t)n);
    out->body = copy;
    out->body_len = (size_t)n;
}

int pw_store_publication_get(pw_db *db, pw_arena *a, const char *kind, const char *plan,
                             const char *period, int version, pw_publication_row *out)
{
    static const char sql[] = "SELECT " PUBLISH_COLS ", body FROM publication_versions"
                              " WHERE kind = ?1 AND plan_id = ?2 AND period = ?3"
                              " AND (?4 = 0 OR version = ?4) ORDER BY version DESC LIMIT 1";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){kind, plan, period});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 4, version);
    return pw_db_one(st, a, store_publication_body_read, out);
}

/* store_publication_read and the body's length (column 7; SQLite's
 * length() of a blob reads no content) */
static void store_publication_len_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_publication_row *out = row;
    store_publication_read(st, a, out);
    out->body_len = (size_t)sqlite3_column_int64(st, 7);
}

int pw_store_publication_list(pw_db *db, pw_arena *a, const char *kind, const char *plan,
                              const char *period, pw_publication_row **rows, size_t *n)
{
    static const char sql[] = "SELECT " PUBLISH_COLS ", length(body) FROM publication_versions"
                              " WHERE kind = ?1 AND plan_id = ?2 AND period = ?3 ORDER BY version";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){kind, plan, period});
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, a, sizeof **rows, store_publication_len_read, (void **)rows, n);
}

int pw_store_publication_latest(pw_db *db, pw_arena *a, const char *plan, const char *kind,
                                pw_publication_row **rows, size_t *n)
{
    /* SQLite: with max() the bare columns come from the row holding it */
    static const char sql[] =
        "SELECT kind, plan_id, period, max(version), published_by, published_at, reason,"
        " length(body) FROM publication_versions"
        " WHERE plan_id = ?1 AND (?2 = '' OR kind = ?2) GROUP BY kind, period";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan, kind ? kind : ""});
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, a, sizeof **rows, store_publication_len_read, (void **)rows, n);
}
