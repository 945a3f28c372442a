/*
 * store_account.h - units, users and sessions (SPEC 3.1) in SQLite.
 * Readers take the caller's connection; the *_insert / *_update functions
 * must run on the writer connection inside pw_store_write().
 * All return PW_OK, PW_NOT_FOUND, PW_ALREADY_EXISTS or PW_INTERNAL.
 */
#ifndef PW_SERVER_STORE_ACCOUNT_H
#define PW_SERVER_STORE_ACCOUNT_H

#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_user_row {
    int64_t id;
    const char *name;
    const char *role;
    const char *unit;      /* "" when none */
    const char *unit_name; /* "" when none */
    const char *unit_category;
    int enabled;
    const char *pw_hash;
    int64_t failed_logins;
    int64_t locked_until;
    int64_t created_at;
} pw_user_row;

typedef struct pw_unit_row {
    const char *id;
    const char *name;
    const char *category;
    const char *active_from; /* "" when open */
    const char *active_to;
    int64_t created_at;
} pw_unit_row;

/* Strings of the rows are copied into `arena`. */
int pw_store_user_get(pw_db *db, pw_arena *arena, const char *name, pw_user_row *out);
int pw_store_user_list(pw_db *db, pw_arena *arena, pw_user_row **rows, size_t *n);
int pw_store_user_insert(pw_db *w, const pw_user_row *u, int64_t *id_out);
int pw_store_user_set_enabled(pw_db *w, const char *name, int enabled);
int pw_store_user_set_password(pw_db *w, const char *name, const char *pw_hash);
/* Enabled users with role admin (to keep the last one). */
int pw_store_user_enabled_admins(pw_db *db, int64_t *n);
/* Clear the (legacy) failed-login count and lock of `name`; PW_NOT_FOUND
 * when there is no such user. */
int pw_store_user_unlock(pw_db *w, const char *name);
int pw_store_user_login_failed(pw_db *w, int64_t user_id, int64_t max_failures,
                               int64_t locked_until);
int pw_store_user_login_ok(pw_db *w, int64_t user_id);

/* Row reader for `SELECT id, name, category, active_from, active_to,
 * created_at` (NULL dates as ""), for pw_db_collect. */
void pw_store_unit_read(sqlite3_stmt *st, pw_arena *a, void *row);

int pw_store_unit_get(pw_db *db, pw_arena *arena, const char *id, pw_unit_row *out);
int pw_store_unit_list(pw_db *db, pw_arena *arena, pw_unit_row **rows, size_t *n);
int pw_store_unit_insert(pw_db *w, const pw_unit_row *u);
int pw_store_user_count(pw_db *db, int64_t *n);

/* Sessions are keyed by the BLAKE2b-256 hash of the token. */
int pw_store_session_insert(pw_db *w, const uint8_t hash[32], int64_t user_id, int64_t now,
                            int64_t expires_at);
int pw_store_session_delete(pw_db *w, const uint8_t hash[32]);
int pw_store_session_delete_user(pw_db *w, int64_t user_id);
/* The signed-in user of a live session: NOT_FOUND when the token is
 * unknown, expired (expires_at <= now) or its user is disabled. */
int pw_store_session_user(pw_db *db, pw_arena *arena, const uint8_t hash[32], int64_t now,
                          pw_user_row *out);

/* ---- inside server/store: the session cache of pw_store_session_user ----
 * (store.c).  The generation changes after every COMMIT that changed users
 * or sessions; an entry is used only while its generation (read BEFORE its
 * database lookup) is current and its session has not expired, so logout,
 * disabling a user, a new password take effect at the next call. */
uint64_t pw_db_auth_generation(pw_db *db);
int pw_db_session_cached(pw_db *db, pw_arena *a, const uint8_t hash[32], int64_t now,
                         pw_user_row *out);
void pw_db_session_remember(pw_db *db, const uint8_t hash[32], uint64_t gen, int64_t expires_at,
                            const pw_user_row *u);
/* Writes that change sessions (a WITHOUT ROWID table the update hook does
 * not see) say so. */
void pw_db_auth_changed(pw_db *w);

#endif
