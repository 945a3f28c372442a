/*
 * store_account.c - statements for units, users and sessions.
 */
#include "server/store/store_account.h"

#include <string.h>

#define USER_COLS                                                                                  \
    "u.id, u.name, u.role, COALESCE(u.unit_id,''), COALESCE(n.name,''), COALESCE(n.category,''), " \
    "u.enabled, u.pw_hash, u.failed_logins, u.locked_until, u.created_at"

static void store_user_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_user_row *u = row;
    u->id = sqlite3_column_int64(st, 0);
    u->name = pw_arena_strdup(a, pw_col_text(st, 1));
    u->role = pw_arena_strdup(a, pw_col_text(st, 2));
    u->unit = pw_arena_strdup(a, pw_col_text(st, 3));
    u->unit_name = pw_arena_strdup(a, pw_col_text(st, 4));
    u->unit_category = pw_arena_strdup(a, pw_col_text(st, 5));
    u->enabled = sqlite3_column_int(st, 6);
    u->pw_hash = pw_arena_strdup(a, pw_col_text(st, 7));
    u->failed_logins = sqlite3_column_int64(st, 8);
    u->locked_until = sqlite3_column_int64(st, 9);
    u->created_at = sqlite3_column_int64(st, 10);
}

int pw_store_user_get(pw_db *db, pw_arena *arena, const char *name, pw_user_row *out)
{
    static const char sql[] =
        "SELECT " USER_COLS " FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.name = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, name);
    return pw_db_one(st, arena, store_user_read, out);
}

int pw_store_user_list(pw_db *db, pw_arena *arena, pw_user_row **rows, size_t *n)
{
    static const char sql[] =
        "SELECT " USER_COLS " FROM users u LEFT JOIN units n ON n.id = u.unit_id ORDER BY u.name";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, arena, sizeof **rows, store_user_read, (void **)rows, n);
}

int pw_store_user_count(pw_db *db, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM users";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    return pw_db_int64(st, n);
}

int pw_store_user_insert(pw_db *w, const pw_user_row *u, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO users(name, role, unit_id, enabled, pw_hash, created_at) "
        "VALUES (?1, ?2, ?3, 1, ?4, ?5)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 2, (const char *[]){u->name, u->role});
    if (!st)
        return PW_INTERNAL;
    pw_bind_text_or_null(st, 3, u->unit);
    pw_bind_text(st, 4, u->pw_hash);
    sqlite3_bind_int64(st, 5, u->created_at);
    int rc = pw_db_exec_stmt(w, st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return PW_ALREADY_EXISTS;
    if (rc != 0)
        return PW_INTERNAL;
    if (id_out)
        *id_out = pw_db_last_insert_id(w);
    return PW_OK;
}

int pw_store_user_set_enabled(pw_db *w, const char *name, int enabled)
{
    static const char sql[] = "UPDATE users SET enabled = ?2 WHERE name = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, name);
    sqlite3_bind_int(st, 2, enabled);
    return pw_db_exec_changed(w, st, PW_NOT_FOUND);
}

int pw_store_user_enabled_admins(pw_db *db, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM users WHERE role = 'admin' AND enabled = 1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    *n = 0;
    return pw_db_int64(st, n);
}

int pw_store_user_unlock(pw_db *w, const char *name)
{
    static const char sql[] =
        "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE name = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, name);
    return pw_db_exec_changed(w, st, PW_NOT_FOUND);
}

int pw_store_user_set_password(pw_db *w, const char *name, const char *pw_hash)
{
    static const char sql[] =
        "UPDATE users SET pw_hash = ?2, failed_logins = 0, locked_until = 0 WHERE name = ?1";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 2, (const char *[]){name, pw_hash});
    if (!st)
        return PW_INTERNAL;
    return pw_db_exec_changed(w, st, PW_NOT_FOUND);
}

int pw_store_user_login_failed(pw_db *w, int64_t user_id, int64_t max_failures,
                               int64_t locked_until)
{
    /* the count restarts after each lockout */
    static const char sql[] =
        "UPDATE users SET "
        " locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,"
        " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END "
        "WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, max_failures);
    sqlite3_bind_int64(st, 3, locked_until);
    return pw_db_exec_changed(w, st, PW_NOT_FOUND);
}

int pw_store_user_login_ok(pw_db *w, int64_t user_id)
{
    static const char sql[] =
        "UPDATE users SET failed_logins = 0 WHERE id = ?1 AND failed_logins <> 0";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

void pw_store_unit_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_unit_row *u = row;
    u->id = pw_arena_strdup(a, pw_col_text(st, 0));
    u->name = pw_arena_strdup(a, pw_col_text(st, 1));
    u->category = pw_arena_strdup(a, pw_col_text(st, 2));
    u->active_from = pw_arena_strdup(a, pw_col_text(st, 3));
    u->active_to = pw_arena_strdup(a, pw_col_text(st, 4));
    u->created_at = sqlite3_column_int64(st, 5);
}

int pw_store_unit_get(pw_db *db, pw_arena *arena, const char *id, pw_unit_row *out)
{
    static const char sql[] =
        "SELECT id, name, category, active_from, active_to, created_at FROM units WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, id);
    return pw_db_one(st, arena, pw_store_unit_read, out);
}

int pw_store_unit_list(pw_db *db, pw_arena *arena, pw_unit_row **rows, size_t *n)
{
    static const char sql[] = "SELECT id, name, category, active_from, active_to, created_at "
                              "FROM units ORDER BY category, id";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, arena, sizeof **rows, pw_store_unit_read, (void **)rows, n);
}

int pw_store_unit_insert(pw_db *w, const pw_unit_row *u)
{
    static const char sql[] = "INSERT INTO units(id, name, category, active_from, active_to, "
                              "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 3, (const char *[]){u->id, u->name, u->category});
    if (!st)
        return PW_INTERNAL;
    pw_bind_text_or_null(st, 4, u->active_from);
    pw_bind_text_or_null(st, 5, u->active_to);
    sqlite3_bind_int64(st, 6, u->created_at);
    int rc = pw_db_exec_stmt(w, st);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
        return PW_ALREADY_EXISTS;
    return rc == 0 ? PW_OK : PW_INTERNAL;
}

int pw_store_session_insert(pw_db *w, const uint8_t hash[32], int64_t user_id, int64_t now,
                            int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?1,?2,?3,?4)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, expires_at);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

int pw_store_session_delete(pw_db *w, const uint8_t hash[32])
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_db_auth_changed(w);
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    return pw_db_exec_changed(w, st, PW_NOT_FOUND);
}

int pw_store_session_delete_user(pw_db *w, int64_t user_id)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_db_auth_changed(w);
    sqlite3_bind_int64(st, 1, user_id);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

/* store_user_read and the session's expiry (column 11) */
typedef struct store_session_row {
    pw_user_row u;
    int64_t expires_at;
} store_session_row;

static void store_session_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    store_session_row *r = row;
    store_user_read(st, a, &r->u);
    r->expires_at = sqlite3_column_int64(st, 11);
}

int pw_store_session_user(pw_db *db, pw_arena *arena, const uint8_t hash[32], int64_t now,
                          pw_user_row *out)
{
    static const char sql[] =
        "SELECT " USER_COLS ", s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
        "LEFT JOIN units n ON n.id = u.unit_id "
        "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.enabled = 1";
    if (pw_db_session_cached(db, arena, hash, now, out))
        return PW_OK;
    uint64_t gen = pw_db_auth_generation(db); /* before the lookup */
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    store_session_row r;
    int rc = pw_db_one(st, arena, store_session_read, &r);
    if (rc != PW_OK)
        return rc;
    pw_db_session_remember(db, hash, gen, r.expires_at, &r.u);
    *out = r.u;
    return PW_OK;
}
