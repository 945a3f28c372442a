/*
 * store.h - the SQLite store behind one interface.
 *
 * Design notes
 * - One database file in WAL mode, foreign keys on, a busy timeout, schema
 *   migrations keyed on PRAGMA user_version (store_schema.c).
 * - Reads: every worker owns one pw_db (its own read connection with its own
 *   statement cache); a pw_db is never shared between threads.
 * - Writes: one writer thread owns the only write connection.  Callers hand
 *   it a function with pw_store_write(); the writer runs the functions that
 *   arrived together in ONE transaction (group commit), each inside its own
 *   SAVEPOINT so that a failing function rolls back alone, and wakes the
 *   callers only after COMMIT returned.  A caller therefore never replies OK
 *   before its data is durable, and writes are serialized without a global
 *   lock held across RPC work.
 * - Statements are prepared once per connection and cached by the address
 *   of their SQL text (pw_db_stmt); SQL lives as static strings next to the
 *   store_* function that uses it.
 */
#ifndef PW_SERVER_STORE_H
#define PW_SERVER_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/status.h"

typedef struct pw_store pw_store;

/* One connection and its statement cache; opaque outside store.c. */
typedef struct pw_db pw_db;

typedef struct pw_store_options {
    int synchronous_full; /* 1: PRAGMA synchronous=FULL (default), 0: NORMAL */
    int busy_timeout_ms;  /* default 10000 */
    int max_batch;        /* group-commit batch limit, default 256 */
} pw_store_options;

/* Defaults for pw_store_options. */
void pw_store_options_default(pw_store_options *o);

/* Open (creating if needed) the database at `path`, migrate it to the
 * current schema and start the writer thread.  On failure *out is not
 * written and `err` says why. */
int pw_store_open(const char *path, const pw_store_options *opt, pw_store **out, char *err,
                  size_t errlen);
/* Stop the writer after it has drained its queue, close every connection.
 * All pw_db opened with pw_store_open_reader must be closed first. */
void pw_store_close(pw_store *st);

/* A read connection for one thread. */
int pw_store_open_reader(pw_store *st, pw_db **out, char *err, size_t errlen);
void pw_db_close(pw_db *db);

/* The cached prepared statement for `sql` (keyed by the pointer: pass a
 * static string), reset and with its bindings cleared.  NULL on a prepare
 * error (logged): callers answer PW_INTERNAL. */
sqlite3_stmt *pw_db_stmt(pw_db *db, const char *sql);
/* pw_db_stmt with texts[0..n-1] bound to ?1..?n (pw_bind_text: NULL binds
 * ""); NULL on a prepare error, as pw_db_stmt. */
sqlite3_stmt *pw_db_stmt_texts(pw_db *db, const char *sql, size_t n, const char *const *texts);

/* Rows changed by the last INSERT/UPDATE/DELETE on `db`, and the rowid of
 * its last INSERT (sqlite3_changes, sqlite3_last_insert_rowid). */
int pw_db_changes(pw_db *db);
int64_t pw_db_last_insert_id(pw_db *db);
/* The connection's last error message (never NULL). */
const char *pw_db_errmsg(pw_db *db);
/* The SQLite handle itself: for server/store only (backups, pragmas). */
sqlite3 *pw_db_sqlite(pw_db *db);

/* On the writer: run `sql`, an UPDATE of the row with id ?1 that records
 * who (?2), when (?3) and why (?4) and applies only once (its WHERE says
 * when it is already done).  PW_OK when a row changed, PW_FAILED_PRECONDITION
 * when none did, PW_INTERNAL on an error. */
int pw_db_stamp(pw_db *w, const char *sql, int64_t id, const char *by, int64_t at,
                const char *note);

/* Run a statement that returns no rows; SQLITE_DONE -> 0. */
int pw_db_exec_stmt(pw_db *db, sqlite3_stmt *st);
/* Run an INSERT/UPDATE/DELETE: PW_OK when it changed a row, `none` (the
 * caller's status for "nothing changed") when it changed none, PW_INTERNAL
 * on an error. */
int pw_db_exec_changed(pw_db *db, sqlite3_stmt *st, int none);
/* Plain SQL without parameters (schema, pragmas). */
int pw_db_exec(pw_db *db, const char *sql);

/* Step `st` to the end, reading each row with `read` into a growing array
 * of `size`-byte elements allocated from `a`; resets `st`.  PW_OK with
 * the rows and their count set (NULL and 0 when empty), or PW_INTERNAL. */
typedef void (*pw_db_row_fn)(sqlite3_stmt *st, pw_arena *a, void *row);
int pw_db_collect(sqlite3_stmt *st, pw_arena *a, size_t size, pw_db_row_fn read, void **rows,
                  size_t *n);
/* Step `st` once and reset it: a row is read with `read` into `row` (PW_OK),
 * no row is PW_NOT_FOUND, an error PW_INTERNAL. */
int pw_db_one(sqlite3_stmt *st, pw_arena *a, pw_db_row_fn read, void *row);
/* A pw_db_row_fn for pw_db_one: the first column into *(int64_t *)row. */
void pw_db_read_int64(sqlite3_stmt *st, pw_arena *a, void *row);
/* A pw_db_row_fn: the first column's text ("" for NULL) copied into `a`,
 * into *(const char **)row. */
void pw_db_read_text(sqlite3_stmt *st, pw_arena *a, void *row);
/* Step `st` once and reset it: *out = the first column of its row (PW_OK),
 * or PW_INTERNAL when there is no row or an error (for count(*) and the like). */
int pw_db_int64(sqlite3_stmt *st, int64_t *out);

/* Convenience binders: NULL / empty text binds SQL NULL with the _null
 * variant; the plain variant binds "" for NULL. */
void pw_bind_text(sqlite3_stmt *st, int i, const char *s);
void pw_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
/* Column text, "" for NULL. */
const char *pw_col_text(sqlite3_stmt *st, int i);

/* A unit of write work: runs on the writer's connection inside a savepoint.
 * Returns a pw_status; anything but PW_OK rolls its changes back.  It must
 * not block on anything but the database and must not call
 * pw_store_write() itself. */
typedef int (*pw_store_write_fn)(pw_db *w, void *arg);

/* Queue `fn` to the writer and wait until it ran and its transaction
 * committed.  Returns fn's status, PW_DEADLINE_EXCEEDED when the deadline
 * (monotonic microseconds, 0 = none) passed before the writer reached it
 * (nothing was run), or PW_UNAVAILABLE / PW_INTERNAL when the commit failed
 * (then nothing of fn is stored).  Thread-safe. */
int pw_store_write(pw_store *st, int64_t deadline_us, pw_store_write_fn fn, void *arg);

/* Monotonic clock in microseconds (for deadlines and durations). */
int64_t pw_monotonic_us(void);

/* Schema version this build migrates to. */
int pw_store_schema_version(void);

/* Append to the audit trail (SPEC 3.7); only from inside a write fn, so the
 * entry commits or rolls back with the change it describes. */
int pw_store_audit(pw_db *w, int64_t at, const char *user, const char *unit, const char *method,
                   const char *object, const char *summary);

#endif
