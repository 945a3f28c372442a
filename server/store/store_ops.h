/*
 * store_ops.h - operating the database file: online backup, restore, the
 * integrity checks, and the figures /metrics shows.  Every SQL statement of
 * these lives in store_ops.c.
 *
 * Design notes
 * - Backup copies with SQLite's online backup API from a connection that
 *   holds ONE read transaction for the whole copy.  In WAL mode a reader
 *   never blocks the writer, so the server keeps committing while the copy
 *   runs, and the copy is the database as of the moment that transaction
 *   began (a consistent snapshot).  Without the held transaction every
 *   commit of the server would restart the copy from page 1.  Pages are
 *   copied `step_pages` at a time with an optional pause between steps, so
 *   that the copy's I/O comes in slices and the server's fsyncs get through.
 *   The one cost to the server: checkpoints cannot pass the snapshot, so the
 *   WAL grows during a backup and is folded back after it.
 * - A copy is written under a temporary name next to its target, checked
 *   (PRAGMA quick_check), fsync'ed, made mode 0600 and renamed over the
 *   target: the target name holds the old file or a whole copy, never half.
 * - Restore refuses a file that fails PRAGMA integrity_check or
 *   foreign_key_check, or whose schema is newer than this build; it first
 *   copies the current database aside (FILE.before-restore-<UTC time>), then
 *   copies the verified file in through the backup API, which takes the
 *   database's write lock: a running server sees the old or the new
 *   database, never a mixture.  (Stopping the server first is still the
 *   advice: its sessions end and its writes wait during the copy.)
 * - Backups are recorded in the table backup_log of the database that was
 *   copied (kind 'backup', 'pre-migration', 'before-restore'), which is
 *   where /metrics reads the time of the last one.
 *
 * Thread-safety: every function here opens its own connections; they may
 * run in any thread or in another process than the server.
 */
#ifndef PW_SERVER_STORE_OPS_H
#define PW_SERVER_STORE_OPS_H

#include <stdint.h>
#include <stdio.h>

#include "server/store/store.h"

typedef struct pw_backup_options {
    int step_pages;    /* pages copied per backup step; default 256 */
    int step_sleep_us; /* pause between steps; default 10 ms */
    const char *kind;  /* recorded in backup_log; default "backup" */
} pw_backup_options;

typedef struct pw_backup_result {
    int64_t pages;             /* pages in the copy */
    int64_t bytes;             /* size of the copy */
    int64_t steps;             /* sqlite3_backup_step calls */
    int64_t usec;              /* wall time of the whole backup */
    int64_t longest_step_usec; /* longest single step */
} pw_backup_result;

/* Defaults for pw_backup_options. */
void pw_backup_options_default(pw_backup_options *o);

/* Copy the database at `db_path` (which a server may be using) to
 * `to_path` (replaced if it exists) as described above.  0, or -1 with
 * `err` set and `to_path` untouched.  `opt` and `res` may be NULL. */
int pw_store_backup(const char *db_path, const char *to_path, const pw_backup_options *opt,
                    pw_backup_result *res, char *err, size_t errlen);

/* Run PRAGMA integrity_check and PRAGMA foreign_key_check on `path`,
 * printing each finding (and "ok" lines) to `out` when it is not NULL.
 * Returns the number of problems found (0: healthy), or -1 with `err` set
 * when the file cannot be opened or is not a database. */
int pw_store_check(const char *path, FILE *out, char *err, size_t errlen);

/* Put the backup `from_path` in place of the database `db_path`.  Refuses
 * (-1, nothing changed) a file that fails pw_store_check or whose schema
 * version is newer than this build.  When `db_path` exists it is first
 * copied to `<db_path>.before-restore-<YYYYmmddTHHMMSSZ>`, whose name is
 * written to `aside` (empty when there was nothing to keep). */
int pw_store_restore(const char *from_path, const char *db_path, char *aside, size_t asidelen,
                     char *err, size_t errlen);

/* The schema version (PRAGMA user_version) of the database at `path`, or
 * -1 with `err` set. */
int pw_store_file_version(const char *path, char *err, size_t errlen);

/* The figures of the database for /metrics, read through the caller's
 * connection `db` (any thread's reader). */
typedef struct pw_store_figures {
    int64_t db_bytes;       /* the main file */
    int64_t wal_bytes;      /* the -wal file (0 when absent) */
    int64_t last_backup_at; /* unix seconds of the last backup, 0 = never */
    int64_t free_pages;     /* pages on the freelist */
    int64_t sessions;       /* sessions not expired at `now` */
} pw_store_figures;

/* Fill `out`; a figure that cannot be read stays 0.  Always PW_OK. */
int pw_store_read_figures(pw_store *st, pw_db *db, int64_t now, pw_store_figures *out);

/* Record a copy of the database in its backup_log (from a write fn, or
 * the writer while the store opens).  Always PW_OK: a copy that cannot be
 * recorded is logged, not failed. */
int pw_store_note_backup(pw_db *w, const char *kind, const char *path, int64_t bytes);

/* The database path of an open store. */
const char *pw_store_path(const pw_store *st);

#endif
