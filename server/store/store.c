/*
 * store.c - connections, migrations, statement cache and the group-commit
 * writer.  See store.h for the design notes.
 *
 * Invariants
 * - Only the writer thread uses st->writer.
 * - A job is linked into the queue by its caller, unlinked by the writer,
 *   and its `done` flag is set under st->mu after the COMMIT; the caller
 *   owns the job's memory (it lives on the caller's stack).
 */
#include "server/store/store.h"
#include "server/store/assign.h"
#include "server/store/state.h"

#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "server/store/store_account.h"
#include "server/store/store_ops.h"

typedef struct pw_write_job {
    pw_store_write_fn fn;
    void *arg;
    int64_t deadline_us;
    int status;
    int done;
    struct pw_write_job *next;
} pw_write_job;

/* The session cache (pw_store_session_user): who holds a live session,
 * remembered with the auth generation read before the lookup; valid while
 * that generation is current and the session has not expired. */
#define PW_SESSION_SLOTS 1024
#define PW_SESSION_LOCKS 64
typedef struct pw_session_slot {
    int used;
    uint8_t hash[32];
    uint64_t gen;
    int64_t expires_at;
    int64_t id, failed_logins, locked_until, created_at;
    int enabled;
    char name[65], role[16], unit[65], unit_name[256], unit_category[32], pw_hash[160];
} pw_session_slot;

struct pw_store {
    char *path;
    /* bumped after the COMMIT of any write that changed users or sessions
     * (and at the change, for writes off the writer): every cached session
     * is checked again */
    _Atomic uint64_t auth_gen;
    pthread_mutex_t session_mu[PW_SESSION_LOCKS];
    pw_session_slot sessions[PW_SESSION_SLOTS];
    pw_store_options opt;
    pw_db *writer;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work; /* writer waits for jobs */
    pthread_cond_t done; /* callers wait for their job */
    pw_write_job *head, *tail;
    int stopping;
    int thread_started;
};

extern const char *const pw_schema_migrations[];
extern const int pw_schema_migration_count;

int64_t pw_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int pw_store_schema_version(void)
{
    return pw_schema_migration_count;
}

void pw_store_options_default(pw_store_options *o)
{
    o->synchronous_full = 1;
    o->busy_timeout_ms = 10000;
    o->max_batch = 256;
}

#define PW_DB_STMT_CACHE 128

struct pw_db {
    pw_store *store;
    int auth_dirty; /* this connection changed users or sessions */
    sqlite3 *conn;
    int ncache;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[PW_DB_STMT_CACHE];
};

int pw_db_changes(pw_db *db)
{
    return sqlite3_changes(db->conn);
}

int64_t pw_db_last_insert_id(pw_db *db)
{
    return (int64_t)sqlite3_last_insert_rowid(db->conn);
}

const char *pw_db_errmsg(pw_db *db)
{
    return sqlite3_errmsg(db->conn);
}

sqlite3 *pw_db_sqlite(pw_db *db)
{
    return db->conn;
}

int pw_db_exec(pw_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        pw_log(PW_LOG_ERROR, "sqlite: %s (in: %.80s)", msg ? msg : sqlite3_errstr(rc), sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

sqlite3_stmt *pw_db_stmt(pw_db *db, const char *sql)
{
    for (int i = 0; i < db->ncache; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_stmt *st = db->cache[i].stmt;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        pw_log(PW_LOG_ERROR, "sqlite prepare: %s (in: %.120s)", sqlite3_errmsg(db->conn), sql);
        return NULL;
    }
    if (db->ncache < PW_DB_STMT_CACHE) {
        db->cache[db->ncache].sql = sql;
        db->cache[db->ncache].stmt = st;
        db->ncache++;
    } else {
        /* cache full: recycle the oldest slot */
        sqlite3_finalize(db->cache[0].stmt);
        memmove(&db->cache[0], &db->cache[1], sizeof db->cache[0] * (PW_DB_STMT_CACHE - 1));
        db->cache[PW_DB_STMT_CACHE - 1].sql = sql;
        db->cache[PW_DB_STMT_CACHE - 1].stmt = st;
    }
    return st;
}

sqlite3_stmt *pw_db_stmt_texts(pw_db *db, const char *sql, size_t n, const char *const *texts)
{
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    for (size_t i = 0; st && i < n; i++)
        pw_bind_text(st, (int)i + 1, texts[i]);
    return st;
}

int pw_db_exec_stmt(pw_db *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        pw_log(PW_LOG_WARN, "sqlite step: %s", sqlite3_errmsg(db->conn));
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    return 0;
}

int pw_db_exec_changed(pw_db *db, sqlite3_stmt *st, int none)
{
    if (pw_db_exec_stmt(db, st) != 0)
        return PW_INTERNAL;
    return pw_db_changes(db) > 0 ? PW_OK : none;
}

int pw_db_collect(sqlite3_stmt *st, pw_arena *a, size_t size, pw_db_row_fn read, void **rows,
                  size_t *n)
{
    size_t cap = 0, len = 0;
    char *r = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            r = pw_arena_grow(a, r, len, cap, size);
        }
        read(st, a, r + len * size);
        len++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PW_INTERNAL;
    *rows = r;
    *n = len;
    return PW_OK;
}

int pw_db_stamp(pw_db *w, const char *sql, int64_t id, const char *by, int64_t at, const char *note)
{
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    pw_bind_text(st, 2, by);
    sqlite3_bind_int64(st, 3, at);
    pw_bind_text(st, 4, note);
    return pw_db_exec_changed(w, st, PW_FAILED_PRECONDITION);
}

int pw_db_one(sqlite3_stmt *st, pw_arena *a, pw_db_row_fn read, void *row)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read(st, a, row);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PW_OK : rc == SQLITE_DONE ? PW_NOT_FOUND : PW_INTERNAL;
}

void pw_db_read_int64(sqlite3_stmt *st, pw_arena *a, void *row)
{
    (void)a;
    *(int64_t *)row = sqlite3_column_int64(st, 0);
}

void pw_db_read_text(sqlite3_stmt *st, pw_arena *a, void *row)
{
    *(const char **)row = pw_arena_strdup(a, pw_col_text(st, 0));
}

int pw_db_int64(sqlite3_stmt *st, int64_t *out)
{
    int rc = pw_db_one(st, NULL, pw_db_read_int64, out);
    return rc == PW_OK ? PW_OK : PW_INTERNAL;
}

void pw_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

void pw_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

const char *pw_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Any change of a users row (sqlite3_update_hook: rowid tables; sessions is
 * WITHOUT ROWID and its deletes call pw_db_auth_changed). */
static void pw_db_update_hook(void *arg, int op, const char *dbname, const char *table,
                              sqlite3_int64 rowid)
{
    if (strcmp(table, "users") == 0)
        pw_db_auth_changed(arg);
}

void pw_db_auth_changed(pw_db *w)
{
    w->auth_dirty = 1;
    if (w->store && w != w->store->writer) /* no COMMIT of ours to wait for */
        atomic_fetch_add(&w->store->auth_gen, 1);
}

/* After the writer's COMMIT (or its failure): invalidate cached sessions
 * when the batch changed users or sessions. */
static void pw_db_auth_commit(pw_store *st, pw_db *w)
{
    if (w && w->auth_dirty) {
        atomic_fetch_add(&st->auth_gen, 1);
        w->auth_dirty = 0;
    }
}

static int pw_db_open_conn(const pw_store *st, int readonly, pw_db **out, char *err, size_t errlen)
{
    pw_db *db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int flags = SQLITE_OPEN_NOMUTEX |
                (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db->store = (pw_store *)st;
    int rc = sqlite3_open_v2(st->path, &db->conn, flags, NULL);
    if (rc == SQLITE_OK && !readonly)
        sqlite3_update_hook(db->conn, pw_db_update_hook, db);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", st->path,
                 db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
        sqlite3_close(db->conn);
        free(db);
        return -1;
    }
    sqlite3_busy_timeout(db->conn, st->opt.busy_timeout_ms);
    sqlite3_extended_result_codes(db->conn, 1);
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA foreign_keys=ON; PRAGMA synchronous=%s; PRAGMA temp_store=MEMORY;",
             st->opt.synchronous_full ? "FULL" : "NORMAL");
    if (pw_db_exec(db, pragmas) != 0) {
        snprintf(err, errlen, "cannot configure database %s", st->path);
        sqlite3_close(db->conn);
        free(db);
        return -1;
    }
    *out = db;
    return 0;
}

void pw_db_close(pw_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].stmt);
    sqlite3_close(db->conn);
    free(db);
}

/* Bring the materialised state (state.h) up to date with the reports: on
 * an upgraded database it fills it, on one written behind the server's
 * back it repairs it.  One transaction; nothing to do costs one query. */
static int pw_store_state_startup(pw_db *w, char *err, size_t errlen)
{
    int64_t fixed = 0;
    if (pw_db_exec(w, "BEGIN IMMEDIATE") != 0) {
        snprintf(err, errlen, "cannot start the state sync");
        return -1;
    }
    int64_t built = 0;
    if (pw_store_state_sync(w, &fixed) != PW_OK || pw_store_assign_sync(w, &built) != PW_OK ||
        pw_db_exec(w, "COMMIT") != 0) {
        pw_db_exec(w, "ROLLBACK");
        snprintf(err, errlen, "cannot bring the reported state up to date: %s", pw_db_errmsg(w));
        return -1;
    }
    if (fixed)
        pw_log(PW_LOG_INFO, "reported state of %lld unit-years recomputed from the reports",
               (long long)fixed);
    if (built)
        pw_log(PW_LOG_INFO, "stored assignments of %lld plan revisions built from the plans",
               (long long)built);
    return 0;
}

/* Migrate the database to this build's schema.  A database made by an
 * older release (0 < user_version < current) is first copied to
 * `<path>.pre-v<new version>-<UTC time>` with the online backup: a
 * migration that goes wrong, or a release that has to be rolled back, keeps
 * the old file.  No copy, no migration. */
static int pw_store_migrate(pw_store *store, char *err, size_t errlen)
{
    pw_db *w = store->writer;
    char copy[PATH_MAX];
    int64_t copy_bytes = -1;
    sqlite3_stmt *st = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(w->conn, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > pw_schema_migration_count) {
        snprintf(err, errlen,
                 "database schema version %d is newer than this planwatchd (%d): upgrade "
                 "planwatchd",
                 version, pw_schema_migration_count);
        return -1;
    }
    if (version > 0 && version < pw_schema_migration_count) {
        char stamp[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        snprintf(copy, sizeof copy, "%s.pre-v%d-%s", store->path, pw_schema_migration_count, stamp);
        pw_backup_options o;
        pw_backup_options_default(&o);
        o.kind = "pre-migration";
        o.step_sleep_us = 0; /* nobody is served yet: copy at full speed */
        pw_backup_result r;
        char berr[512];
        if (pw_store_backup(store->path, copy, &o, &r, berr, sizeof berr) != 0) {
            snprintf(err, errlen,
                     "database schema version %d needs migrating to %d, but the copy taken "
                     "first failed (%s): nothing migrated",
                     version, pw_schema_migration_count, berr);
            return -1;
        }
        copy_bytes = r.bytes;
        pw_log(PW_LOG_INFO, "database schema version %d is older than %d: copied to %s first",
               version, pw_schema_migration_count, copy);
    }
    for (int v = version; v < pw_schema_migration_count; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version=%d;", v + 1);
        if (pw_db_exec(w, "BEGIN IMMEDIATE") != 0) {
            snprintf(err, errlen, "cannot start migration %d", v + 1);
            return -1;
        }
        if (pw_db_exec(w, pw_schema_migrations[v]) != 0 || pw_db_exec(w, bump) != 0 ||
            pw_db_exec(w, "COMMIT") != 0) {
            pw_db_exec(w, "ROLLBACK");
            snprintf(err, errlen, "schema migration %d failed", v + 1);
            return -1;
        }
        pw_log(PW_LOG_INFO, "database migrated to schema version %d", v + 1);
    }
    if (copy_bytes >= 0)
        pw_store_note_backup(w, "pre-migration", copy, copy_bytes);
    return pw_store_state_startup(w, err, errlen);
}

/* The status a caller gets when the database could not store its write:
 * a full disk (or a full quota, or no memory) is RESOURCE_EXHAUSTED, any
 * other I/O or locking failure UNAVAILABLE (SPEC 5.4).  `rc` is an
 * extended SQLite result code. */
static int pw_store_write_failure(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_NOMEM:
        return PW_RESOURCE_EXHAUSTED;
    default:
        return PW_UNAVAILABLE;
    }
}

/* Is `rc` (extended) a failure of the storage rather than of the statement
 * (a constraint, a missing row)?  Those decide the status of a failed job
 * whatever status its fn chose. */
static int pw_store_storage_error(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
        return 1;
    default:
        return 0;
    }
}

/* Make sure the writer holds no transaction: after a failed COMMIT, or a
 * statement that failed with SQLITE_FULL/IOERR, SQLite may or may not have
 * rolled the transaction back.  A ROLLBACK that cannot run leaves the
 * connection unusable (every later BEGIN would fail and the server would
 * refuse writes until restarted), so then the connection is replaced.
 * 0, or -1 when even a new connection cannot be opened (the next batch
 * tries again). */
static int pw_store_writer_reset(pw_store *st)
{
    if (st->writer && sqlite3_get_autocommit(st->writer->conn))
        return 0;
    if (st->writer && sqlite3_exec(st->writer->conn, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_get_autocommit(st->writer->conn))
        return 0;
    pw_log(PW_LOG_ERROR, "writer: transaction stuck after %s: reopening the write connection",
           st->writer ? sqlite3_errmsg(st->writer->conn) : "a failed reopen");
    pw_db_close(st->writer); /* closing rolls back whatever was open */
    st->writer = NULL;
    char err[512];
    if (pw_db_open_conn(st, 0, &st->writer, err, sizeof err) != 0) {
        pw_log(PW_LOG_ERROR, "writer: %s", err);
        st->writer = NULL;
        return -1;
    }
    return 0;
}

/* The writer's transaction statements, prepared once (pw_db_stmt keys its
 * cache on these addresses): parsing "SAVEPOINT job" and "RELEASE job"
 * for every job cost more than the batch's COMMIT. */
static const char batch_begin[] = "BEGIN IMMEDIATE", batch_commit[] = "COMMIT",
                  batch_savepoint[] = "SAVEPOINT job", batch_release[] = "RELEASE job",
                  batch_rollback_to[] = "ROLLBACK TO job";

/* pw_db_exec of one of the statements above: 0, or -1 with the error left
 * in the connection (sqlite3_extended_errcode) and logged. */
static int pw_db_exec_prepared(pw_db *db, const char *sql)
{
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    pw_log(PW_LOG_ERROR, "sqlite: %s (in: %s)", sqlite3_errmsg(db->conn), sql);
    return -1;
}

/* Run one batch of jobs in one transaction.
 *
 * Failure handling (SPEC 5.3: never an OK for data that is not stored;
 * 5.4: a full disk fails the write, the server recovers by itself):
 * - BEGIN fails: every job fails with the storage status, nothing ran.
 * - a job fails: its savepoint is rolled back, the others go on.  If the
 *   failure was the storage's and took the whole transaction with it
 *   (SQLite may roll back on SQLITE_FULL/IOERR), the jobs already run are
 *   lost too: every job of the batch fails with the storage status (none
 *   is reported OK), and the rest are not run.
 * - COMMIT fails: every job that was OK fails with the storage status; the
 *   transaction is rolled back (or the connection replaced), so that the
 *   next batch starts clean and succeeds once the disk has room again. */
static void pw_store_run_batch(pw_store *st, pw_write_job *jobs)
{
    int64_t now = pw_monotonic_us();
    if (pw_store_writer_reset(st) != 0) {
        for (pw_write_job *j = jobs; j; j = j->next)
            j->status = PW_UNAVAILABLE;
        return;
    }
    pw_db *w = st->writer;
    int broken = 0; /* storage status once the transaction is lost */
    if (pw_db_exec_prepared(w, batch_begin) != 0)
        broken = pw_store_write_failure(sqlite3_extended_errcode(w->conn));
    for (pw_write_job *j = jobs; j; j = j->next) {
        if (broken) {
            j->status = broken;
            continue;
        }
        if (j->deadline_us && now > j->deadline_us) {
            j->status = PW_DEADLINE_EXCEEDED;
            continue;
        }
        if (pw_db_exec_prepared(w, batch_savepoint) != 0) {
            broken = pw_store_write_failure(sqlite3_extended_errcode(w->conn));
            j->status = broken;
            continue;
        }
        j->status = j->fn(w, j->arg);
        if (j->status == PW_OK) {
            if (pw_db_exec_prepared(w, batch_release) == 0)
                continue;
            j->status = PW_INTERNAL; /* decided below, from the error */
        }
        int rc = sqlite3_extended_errcode(w->conn);
        if (pw_store_storage_error(rc))
            j->status = pw_store_write_failure(rc);
        if (sqlite3_get_autocommit(w->conn)) {
            /* the storage error rolled the whole transaction back */
            broken = j->status == PW_RESOURCE_EXHAUSTED ? j->status : PW_UNAVAILABLE;
            j->status = broken;
            for (pw_write_job *k = jobs; k != j; k = k->next)
                if (k->status == PW_OK)
                    k->status = broken;
            continue;
        }
        if (pw_db_exec_prepared(w, batch_rollback_to) != 0 ||
            pw_db_exec_prepared(w, batch_release) != 0) {
            broken = pw_store_write_failure(sqlite3_extended_errcode(w->conn));
            for (pw_write_job *k = jobs; k; k = k->next)
                if (k->status == PW_OK || k == j)
                    k->status = broken;
        }
    }
    if (!broken && pw_db_exec_prepared(w, batch_commit) != 0) {
        int failed = pw_store_write_failure(sqlite3_extended_errcode(w->conn));
        for (pw_write_job *j = jobs; j; j = j->next)
            if (j->status == PW_OK)
                j->status = failed;
    }
    pw_db_auth_commit(st, w); /* before the callers wake */
    pw_store_writer_reset(st);
}

static void *pw_store_writer_main(void *arg)
{
    pw_store *st = arg;
    pthread_setname_np(pthread_self(), "pw-writer"); /* for top -H and profilers */
    pthread_mutex_lock(&st->mu);
    for (;;) {
        while (!st->head && !st->stopping)
            pthread_cond_wait(&st->work, &st->mu);
        if (!st->head && st->stopping)
            break;
        /* take up to max_batch jobs, in arrival order */
        pw_write_job *batch = st->head, *last = st->head;
        int n = 1;
        while (last->next && n < st->opt.max_batch) {
            last = last->next;
            n++;
        }
        st->head = last->next;
        if (!st->head)
            st->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&st->mu);

        pw_store_run_batch(st, batch);

        pthread_mutex_lock(&st->mu);
        for (pw_write_job *j = batch; j;) {
            pw_write_job *next = j->next; /* read before the caller may free it */
            j->done = 1;
            j = next;
        }
        pthread_cond_broadcast(&st->done);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

int pw_store_write(pw_store *st, int64_t deadline_us, pw_store_write_fn fn, void *arg)
{
    pw_write_job job = {.fn = fn, .arg = arg, .deadline_us = deadline_us};
    pthread_mutex_lock(&st->mu);
    if (st->stopping) {
        pthread_mutex_unlock(&st->mu);
        return PW_UNAVAILABLE;
    }
    if (st->tail)
        st->tail->next = &job;
    else
        st->head = &job;
    st->tail = &job;
    pthread_cond_signal(&st->work);
    while (!job.done)
        pthread_cond_wait(&st->done, &st->mu);
    pthread_mutex_unlock(&st->mu);
    return job.status;
}

/* Process-wide SQLite settings, before its first use.  Memory statistics
 * off: with them, every allocation of every connection takes one global
 * mutex, which serializes the workers' reads (measured with perf during
 * the B2 storm).  A library already initialized (a test process that used
 * SQLite first) keeps its settings; nothing else depends on them. */
static void pw_store_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The database holds the password hashes: create it 0600 (SQLite gives
 * its -wal and -shm files the mode of the database file) and take group
 * and other access away from an existing one and its -wal/-shm. */
static int pw_store_make_private(const char *path, char *err, size_t errlen)
{
    if (path[0] == ':' || strncmp(path, "file:", 5) == 0)
        return 0; /* in-memory or URI: nothing to create here */
    mode_t old = umask(077);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    umask(old);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open database %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) && fchmod(fd, sb.st_mode & 0700) == 0)
        pw_log(PW_LOG_WARN, "database %s was open to other users (mode %04o): made it 0600", path,
               (unsigned)(sb.st_mode & 07777));
    close(fd);
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char side[4200];
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        if (lstat(side, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
            chmod(side, sb.st_mode & 0700);
    }
    return 0;
}

int pw_store_open(const char *path, const pw_store_options *opt, pw_store **out, char *err,
                  size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, pw_store_global_init);
    pw_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (opt)
        st->opt = *opt;
    else
        pw_store_options_default(&st->opt);
    pthread_mutex_init(&st->mu, NULL);
    for (int i = 0; i < PW_SESSION_LOCKS; i++)
        pthread_mutex_init(&st->session_mu[i], NULL);
    pthread_cond_init(&st->work, NULL);
    pthread_cond_init(&st->done, NULL);
    if (pw_store_make_private(path, err, errlen) != 0)
        goto fail;
    if (pw_db_open_conn(st, 0, &st->writer, err, errlen) != 0)
        goto fail;
    if (pw_db_exec(st->writer, "PRAGMA journal_mode=WAL;") != 0) {
        snprintf(err, errlen, "cannot switch %s to WAL mode", path);
        goto fail;
    }
    if (pw_store_migrate(st, err, errlen) != 0)
        goto fail;
    if (pthread_create(&st->thread, NULL, pw_store_writer_main, st) != 0) {
        snprintf(err, errlen, "cannot start the writer thread");
        goto fail;
    }
    st->thread_started = 1;
    *out = st;
    return 0;
fail:
    pw_db_close(st->writer);
    pthread_mutex_destroy(&st->mu);
    for (int i = 0; i < PW_SESSION_LOCKS; i++)
        pthread_mutex_destroy(&st->session_mu[i]);
    pthread_cond_destroy(&st->work);
    pthread_cond_destroy(&st->done);
    free(st->path);
    free(st);
    return -1;
}

void pw_store_close(pw_store *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&st->mu);
    st->stopping = 1;
    pthread_cond_signal(&st->work);
    pthread_mutex_unlock(&st->mu);
    if (st->thread_started)
        pthread_join(st->thread, NULL);
    /* fold the WAL back so the file alone is the database */
    if (st->writer)
        sqlite3_wal_checkpoint_v2(st->writer->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    pw_db_close(st->writer);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->work);
    pthread_cond_destroy(&st->done);
    free(st->path);
    free(st);
}

const char *pw_store_path(const pw_store *st)
{
    return st->path;
}

int pw_store_open_reader(pw_store *st, pw_db **out, char *err, size_t errlen)
{
    return pw_db_open_conn(st, 0, out, err, errlen);
}

int pw_store_audit(pw_db *w, int64_t at, const char *user, const char *unit, const char *method,
                   const char *object, const char *summary)
{
    static const char sql[] = "INSERT INTO audit(at, user_name, unit_id, method, object, summary) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, at);
    pw_bind_text(st, 2, user);
    pw_bind_text_or_null(st, 3, unit);
    pw_bind_text(st, 4, method);
    pw_bind_text(st, 5, object);
    pw_bind_text(st, 6, summary);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

/* ---- the session cache ------------------------------------------------------ */

static pw_session_slot *pw_session_slot_of(pw_store *st, const uint8_t hash[32],
                                           pthread_mutex_t **mu)
{
    unsigned i = ((unsigned)hash[0] | (unsigned)hash[1] << 8) % PW_SESSION_SLOTS;
    *mu = &st->session_mu[i % PW_SESSION_LOCKS];
    return &st->sessions[i];
}

uint64_t pw_db_auth_generation(pw_db *db)
{
    return db->store ? atomic_load(&db->store->auth_gen) : 0;
}

int pw_db_session_cached(pw_db *db, pw_arena *a, const uint8_t hash[32], int64_t now,
                         pw_user_row *out)
{
    if (!db->store)
        return 0;
    pthread_mutex_t *mu;
    pw_session_slot *s = pw_session_slot_of(db->store, hash, &mu);
    uint64_t gen = atomic_load(&db->store->auth_gen);
    pthread_mutex_lock(mu);
    int hit = s->used && s->gen == gen && s->expires_at > now && memcmp(s->hash, hash, 32) == 0;
    if (hit) {
        out->id = s->id;
        out->name = pw_arena_strdup(a, s->name);
        out->role = pw_arena_strdup(a, s->role);
        out->unit = pw_arena_strdup(a, s->unit);
        out->unit_name = pw_arena_strdup(a, s->unit_name);
        out->unit_category = pw_arena_strdup(a, s->unit_category);
        out->enabled = s->enabled;
        out->pw_hash = pw_arena_strdup(a, s->pw_hash);
        out->failed_logins = s->failed_logins;
        out->locked_until = s->locked_until;
        out->created_at = s->created_at;
    }
    pthread_mutex_unlock(mu);
    return hit;
}

void pw_db_session_remember(pw_db *db, const uint8_t hash[32], uint64_t gen, int64_t expires_at,
                            const pw_user_row *u)
{
    if (!db->store || strlen(u->name) >= sizeof((pw_session_slot *)0)->name ||
        strlen(u->unit_name) >= sizeof((pw_session_slot *)0)->unit_name ||
        strlen(u->pw_hash) >= sizeof((pw_session_slot *)0)->pw_hash ||
        strlen(u->role) >= sizeof((pw_session_slot *)0)->role ||
        strlen(u->unit) >= sizeof((pw_session_slot *)0)->unit ||
        strlen(u->unit_category) >= sizeof((pw_session_slot *)0)->unit_category)
        return; /* does not fit: read from the database every time */
    pthread_mutex_t *mu;
    pw_session_slot *s = pw_session_slot_of(db->store, hash, &mu);
    pthread_mutex_lock(mu);
    s->used = 1;
    memcpy(s->hash, hash, 32);
    s->gen = gen;
    s->expires_at = expires_at;
    s->id = u->id;
    snprintf(s->name, sizeof s->name, "%s", u->name);
    snprintf(s->role, sizeof s->role, "%s", u->role);
    snprintf(s->unit, sizeof s->unit, "%s", u->unit);
    snprintf(s->unit_name, sizeof s->unit_name, "%s", u->unit_name);
    snprintf(s->unit_category, sizeof s->unit_category, "%s", u->unit_category);
    s->enabled = u->enabled;
    snprintf(s->pw_hash, sizeof s->pw_hash, "%s", u->pw_hash);
    s->failed_logins = u->failed_logins;
    s->locked_until = u->locked_until;
    s->created_at = u->created_at;
    pthread_mutex_unlock(mu);
}
