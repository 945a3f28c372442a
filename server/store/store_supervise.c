/*
 * store_supervise.c - statements for supervision items.
 */
#include "server/store/store_supervise.h"

#include "common/status.h"

int pw_store_supervision_insert(pw_db *w, const char *unit, const char *text, const char *deadline,
                                const char *by, int64_t at, int64_t *id)
{
    static const char sql[] = "INSERT INTO supervision_items(unit_id, text, deadline, opened_by, "
                              "opened_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 4, (const char *[]){unit, text, deadline, by});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 5, at);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    *id = pw_db_last_insert_id(w);
    return PW_OK;
}

int pw_store_supervision_answer(pw_db *w, int64_t id, const char *user, int64_t at,
                                const char *text)
{
    static const char ins[] =
        "INSERT INTO supervision_answers(item_id, user_name, at, text) VALUES (?1, ?2, ?3, ?4)";
    static const char upd[] =
        "UPDATE supervision_items SET state = 'answered' WHERE id = ?1 AND state <> 'closed'";
    sqlite3_stmt *st = pw_db_stmt(w, ins);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    pw_bind_text(st, 2, user);
    sqlite3_bind_int64(st, 3, at);
    pw_bind_text(st, 4, text);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    st = pw_db_stmt(w, upd);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    return pw_db_exec_changed(w, st, PW_FAILED_PRECONDITION);
}

int pw_store_supervision_answer_count(pw_db *db, int64_t id, int64_t *n)
{
    *n = 0;
    static const char sql[] = "SELECT count(*) FROM supervision_answers WHERE item_id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    return pw_db_int64(st, n);
}

int pw_store_supervision_close(pw_db *w, int64_t id, const char *by, int64_t at, const char *note)
{
    static const char sql[] = "UPDATE supervision_items SET state = 'closed', closed_by = ?2, "
                              "closed_at = ?3, close_note = ?4 WHERE id = ?1 AND state <> 'closed'";
    return pw_db_stamp(w, sql, id, by, at, note);
}

#define SUP_COLS                                                                                   \
    "s.id, s.unit_id, COALESCE(u.name,''), s.text, s.deadline, s.state, s.opened_by, s.opened_at," \
    " COALESCE(s.closed_by,''), COALESCE(s.closed_at,0), COALESCE(s.close_note,'')"

static void store_supervision_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_supervision_row *r = row;
    r->id = sqlite3_column_int64(st, 0);
    r->unit = pw_arena_strdup(a, pw_col_text(st, 1));
    r->unit_name = pw_arena_strdup(a, pw_col_text(st, 2));
    r->text = pw_arena_strdup(a, pw_col_text(st, 3));
    r->deadline = pw_arena_strdup(a, pw_col_text(st, 4));
    r->state = pw_arena_strdup(a, pw_col_text(st, 5));
    r->opened_by = pw_arena_strdup(a, pw_col_text(st, 6));
    r->opened_at = sqlite3_column_int64(st, 7);
    r->closed_by = pw_arena_strdup(a, pw_col_text(st, 8));
    r->closed_at = sqlite3_column_int64(st, 9);
    r->close_note = pw_arena_strdup(a, pw_col_text(st, 10));
}

static void store_supervision_answer_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_supervision_answer_row *x = row;
    x->user = pw_arena_strdup(a, pw_col_text(st, 0));
    x->at = sqlite3_column_int64(st, 1);
    x->text = pw_arena_strdup(a, pw_col_text(st, 2));
}

static int store_supervision_answers(pw_db *db, pw_arena *a, pw_supervision_row *r)
{
    static const char sql[] = "SELECT user_name, at, text FROM supervision_answers "
                              "WHERE item_id = ?1 ORDER BY id";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, r->id);
    r->nanswers = 0;
    r->answers = NULL;
    return pw_db_collect(st, a, sizeof *r->answers, store_supervision_answer_read,
                         (void **)&r->answers, &r->nanswers);
}

int pw_store_supervision_get(pw_db *db, pw_arena *a, int64_t id, pw_supervision_row *out)
{
    static const char sql[] = "SELECT " SUP_COLS " FROM supervision_items s "
                              "LEFT JOIN units u ON u.id = s.unit_id WHERE s.id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    int rc = pw_db_one(st, a, store_supervision_read, out);
    return rc != PW_OK ? rc : store_supervision_answers(db, a, out);
}

int pw_store_supervision_list(pw_db *db, pw_arena *a, const char *unit, int include_closed,
                              pw_supervision_row **rows, size_t *n)
{
    static const char sql[] = "SELECT " SUP_COLS " FROM supervision_items s "
                              "LEFT JOIN units u ON u.id = s.unit_id "
                              "WHERE (?1 = '' OR s.unit_id = ?1) AND (?2 OR s.state <> 'closed') "
                              "ORDER BY s.deadline, s.id";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, unit);
    sqlite3_bind_int(st, 2, include_closed);
    pw_supervision_row *r;
    size_t len;
    if (pw_db_collect(st, a, sizeof *r, store_supervision_read, (void **)&r, &len) != PW_OK)
        return PW_INTERNAL;
    for (size_t i = 0; i < len; i++)
        if (store_supervision_answers(db, a, &r[i]) != PW_OK)
            return PW_INTERNAL;
    *rows = r;
    *n = len;
    return PW_OK;
}
