/*
 * store_ops.c - online backup, restore, integrity checks and the database
 * figures of /metrics.  See store_ops.h for the design notes.
 */
#include "server/store/store_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"

void pw_backup_options_default(pw_backup_options *o)
{
    o->step_pages = 256;
    o->step_sleep_us = 10000; /* measured: halves the submits' median slow-down */
    o->kind = "backup";
}

/* Open `path` read-write without creating it; -1 with `err` set. */
static int ops_open(const char *path, int flags, sqlite3 **out, char *err, size_t errlen)
{
    struct stat sb;
    if (!(flags & SQLITE_OPEN_CREATE) && stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    sqlite3 *c = NULL;
    int rc = sqlite3_open_v2(path, &c, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path,
                 c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
        sqlite3_close(c);
        return -1;
    }
    sqlite3_busy_timeout(c, 10000);
    sqlite3_extended_result_codes(c, 1);
    *out = c;
    return 0;
}

static int ops_exec(sqlite3 *c, const char *sql, const char *path, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(c, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s (in %.60s)", path, msg ? msg : sqlite3_errmsg(c), sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* One integer from a one-row statement; -1 on error. */
static int64_t ops_int(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* fsync a file or directory by name. */
static int ops_fsync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* "YYYYmmddTHHMMSSZ" of the system clock (file names of copies). */
static void ops_stamp(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}

/* Record a copy in backup_log of the open database `c`.  A database whose
 * schema predates backup_log (a backup taken by an older server's file)
 * records nothing: that is not an error. */
static void ops_note(sqlite3 *c, const char *kind, const char *path, int64_t bytes)
{
    static const char sql[] =
        "INSERT INTO backup_log(at, kind, path, bytes) VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK) {
        pw_log(PW_LOG_DEBUG, "backup_log: %s", sqlite3_errmsg(c));
        return;
    }
    char real[PATH_MAX];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, realpath(path, real) ? real : path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, bytes);
    if (sqlite3_step(st) != SQLITE_DONE)
        pw_log(PW_LOG_WARN, "cannot record the backup in backup_log: %s", sqlite3_errmsg(c));
    sqlite3_finalize(st);
}

int pw_store_note_backup(pw_db *w, const char *kind, const char *path, int64_t bytes)
{
    ops_note(pw_db_sqlite(w), kind, path, bytes);
    return PW_OK;
}

/* Copy `src` (its main database) into a new file `tmp`, step by step, then
 * switch the copy to rollback-journal mode so that it is one file that any
 * reader can open.  The caller holds a read transaction on `src`. */
static int ops_copy(sqlite3 *src, const char *tmp, const pw_backup_options *o, pw_backup_result *r,
                    char *err, size_t errlen)
{
    sqlite3 *dst;
    if (ops_open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err, errlen) != 0)
        return -1;
    int ok =
        ops_exec(dst, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", tmp, err, errlen) == 0;
    sqlite3_backup *b = ok ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
    if (ok && !b) {
        snprintf(err, errlen, "%s: cannot start the backup: %s", tmp, sqlite3_errmsg(dst));
        ok = 0;
    }
    int rc = SQLITE_OK, busy = 0, fd = -1;
    while (ok) {
        /* write the copy back to disk a slice at a time: one fsync of the
         * whole file at the end would queue the server's WAL fsyncs behind
         * hundreds of MB of writeback */
        if (r->steps > 0 && r->steps % 32 == 0) {
            if (fd < 0)
                fd = open(tmp, O_RDWR | O_CLOEXEC);
            if (fd >= 0)
                fdatasync(fd);
        }
        int64_t t0 = pw_monotonic_us();
        rc = sqlite3_backup_step(b, o->step_pages);
        int64_t dt = pw_monotonic_us() - t0;
        r->steps++;
        if (dt > r->longest_step_usec)
            r->longest_step_usec = dt;
        if (rc == SQLITE_DONE)
            break;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (++busy > 1000) {
                snprintf(err, errlen, "%s: the database stayed locked; backup abandoned", tmp);
                ok = 0;
                break;
            }
            usleep(10000);
            continue;
        }
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "%s: backup step failed: %s", tmp, sqlite3_errstr(rc));
            ok = 0;
            break;
        }
        busy = 0;
        if (o->step_sleep_us > 0)
            usleep((useconds_t)o->step_sleep_us);
    }
    if (fd >= 0)
        close(fd);
    if (b) {
        r->pages = sqlite3_backup_pagecount(b);
        rc = sqlite3_backup_finish(b);
        if (ok && rc != SQLITE_OK) {
            snprintf(err, errlen, "%s: backup failed: %s", tmp, sqlite3_errmsg(dst));
            ok = 0;
        }
    }
    if (ok)
        ok = ops_exec(dst, "PRAGMA journal_mode=DELETE", tmp, err, errlen) == 0;
    if (ok) {
        sqlite3_stmt *st = NULL;
        const char *res = NULL;
        if (sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            res = (const char *)sqlite3_column_text(st, 0);
        if (!res || strcmp(res, "ok") != 0) {
            snprintf(err, errlen, "%s: the copy fails quick_check: %s", tmp,
                     res ? res : sqlite3_errmsg(dst));
            ok = 0;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(dst);
    return ok ? 0 : -1;
}

/* The canonical name of `path` whether or not it exists: its directory's
 * realpath and its last component.  -1 when the directory does not exist. */
static int ops_canonical(const char *path, char *out, size_t outlen)
{
    char d[PATH_MAX], b[PATH_MAX], real[PATH_MAX];
    snprintf(d, sizeof d, "%s", path);
    snprintf(b, sizeof b, "%s", path);
    if (!realpath(dirname(d), real))
        return -1;
    struct stat sb;
    char full[PATH_MAX];
    if (lstat(path, &sb) == 0 && realpath(path, full)) { /* follows a link to its target */
        snprintf(out, outlen, "%s", full);
        return 0;
    }
    if ((size_t)snprintf(out, outlen, "%s/%s", real, basename(b)) >= outlen)
        return -1;
    return 0;
}

/* 1 when `other` names the database `db` itself or its -wal, -shm or
 * -journal file: writing over the WAL of a running server orphans its
 * unsaved commits and every new connection then reads garbage. */
static int ops_is_db_file(const char *db, const char *other)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (ops_canonical(db, a, sizeof a) != 0 || ops_canonical(other, b, sizeof b) != 0)
        return 0;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    size_t n = strlen(a);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
        if (strncmp(a, b, n) == 0 && strcmp(b + n, suffix[i]) == 0)
            return 1;
    return 0;
}

/* A copy is written next to `path`: its directory must exist and be writable. */
static int ops_dir_writable(const char *path, char *err, size_t errlen)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", path);
    const char *dir = dirname(d);
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        snprintf(err, errlen, "%s: cannot write there: directory %s: %s", path, dir,
                 strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "%s: cannot write there: %s is not a directory", path, dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "%s: cannot write there: directory %s: %s", path, dir,
                 strerror(errno));
        return -1;
    }
    return 0;
}

static void ops_unlink_db(const char *path)
{
    char buf[PATH_MAX + 16];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

int pw_store_backup(const char *db_path, const char *to_path, const pw_backup_options *opt,
                    pw_backup_result *res, char *err, size_t errlen)
{
    pw_backup_options o;
    if (opt)
        o = *opt;
    else
        pw_backup_options_default(&o);
    if (o.step_pages == 0)
        o.step_pages = 256;
    if (!o.kind)
        o.kind = "backup";
    pw_backup_result r = {0};
    int64_t t0 = pw_monotonic_us();
    if (ops_is_db_file(db_path, to_path)) {
        snprintf(err, errlen,
                 "%s: a backup cannot replace its own database or its -wal, -shm "
                 "or -journal file",
                 to_path);
        return -1;
    }
    if (ops_dir_writable(to_path, err, errlen) != 0)
        return -1;
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", to_path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: name too long", to_path);
        return -1;
    }
    sqlite3 *src;
    if (ops_open(db_path, SQLITE_OPEN_READWRITE, &src, err, errlen) != 0)
        return -1;
    /* the snapshot: one read transaction for the whole copy */
    if (ops_exec(src, "BEGIN", db_path, err, errlen) != 0) {
        sqlite3_close(src);
        return -1;
    }
    if (ops_int(src, "SELECT count(*) FROM sqlite_master") < 0) {
        snprintf(err, errlen, "%s: not a readable database: %s", db_path, sqlite3_errmsg(src));
        sqlite3_close(src);
        return -1;
    }
    ops_unlink_db(tmp);
    int rc = ops_copy(src, tmp, &o, &r, err, errlen);
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    struct stat sb;
    if (rc == 0 && stat(tmp, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && (chmod(tmp, 0600) != 0 || ops_fsync_path(tmp, 0) != 0)) {
        snprintf(err, errlen, "%s: cannot make it durable: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, to_path) != 0) {
        snprintf(err, errlen, "%s: cannot rename the copy into place: %s", to_path,
                 strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        ops_unlink_db(tmp);
        sqlite3_close(src);
        return -1;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", to_path);
    ops_fsync_path(dirname(dir), 1);
    r.bytes = sb.st_size;
    ops_note(src, o.kind, to_path, r.bytes);
    sqlite3_close(src);
    r.usec = pw_monotonic_us() - t0;
    if (res)
        *res = r;
    return 0;
}

int pw_store_check(const char *path, FILE *out, char *err, size_t errlen)
{
    sqlite3 *c;
    if (ops_open(path, SQLITE_OPEN_READONLY, &c, err, errlen) != 0)
        return -1;
    int problems = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, NULL);
    int rows = 0;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(st)) != SQLITE_ROW)
            break;
        const char *t = (const char *)sqlite3_column_text(st, 0);
        rows++;
        if (t && strcmp(t, "ok") == 0) {
            if (out)
                fprintf(out, "integrity_check: ok\n");
        } else {
            problems++;
            if (out)
                fprintf(out, "integrity_check: %s\n", t ? t : "?");
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || rows == 0) {
        snprintf(err, errlen, "%s: not a usable database: %s", path, sqlite3_errmsg(c));
        sqlite3_close(c);
        return -1;
    }
    int fk = 0;
    rc = sqlite3_prepare_v2(c, "PRAGMA foreign_key_check", -1, &st, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(st)) != SQLITE_ROW)
            break;
        fk++;
        if (out)
            fprintf(out, "foreign_key_check: table %s row %lld refers to a missing row of %s\n",
                    sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                    sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s: foreign_key_check failed: %s", path, sqlite3_errmsg(c));
        sqlite3_close(c);
        return -1;
    }
    if (out && fk == 0)
        fprintf(out, "foreign_key_check: ok\n");
    if (out)
        fprintf(out, "schema version: %lld (this planwatchd: %d)\n",
                (long long)ops_int(c, "PRAGMA user_version"), pw_store_schema_version());
    sqlite3_close(c);
    return problems + fk;
}

int pw_store_file_version(const char *path, char *err, size_t errlen)
{
    sqlite3 *c;
    if (ops_open(path, SQLITE_OPEN_READONLY, &c, err, errlen) != 0)
        return -1;
    int64_t v = ops_int(c, "PRAGMA user_version");
    if (v < 0)
        snprintf(err, errlen, "%s: not a database: %s", path, sqlite3_errmsg(c));
    sqlite3_close(c);
    return (int)v;
}

/* Is from_path a backup that may be restored: not the database itself,
 * healthy, of a schema this planwatchd knows?  0, or -1 with err. */
static int ops_restore_source_ok(const char *from_path, const char *db_path, char *err,
                                 size_t errlen)
{
    if (ops_is_db_file(db_path, from_path)) {
        snprintf(err, errlen, "%s is the database itself (or its -wal/-shm file): nothing restored",
                 from_path);
        return -1;
    }
    int problems = pw_store_check(from_path, NULL, err, errlen);
    if (problems < 0) {
        size_t n = strlen(err);
        snprintf(err + n, errlen - n, ": nothing restored");
        return -1;
    }
    if (problems > 0) {
        snprintf(err, errlen,
                 "%s fails the integrity check (%d problems; see planwatchd check --db %s): "
                 "nothing restored",
                 from_path, problems, from_path);
        return -1;
    }
    int v = pw_store_file_version(from_path, err, errlen);
    if (v < 0)
        return -1;
    if (v == 0 || v > pw_store_schema_version()) {
        snprintf(err, errlen,
                 "%s has schema version %d, this planwatchd knows 1..%d: nothing restored",
                 from_path, v, pw_store_schema_version());
        return -1;
    }
    return 0;
}

/* Keep the current database (if any) as DB.before-restore-<stamp>, never
 * over an earlier copy (two restores in one second); its name in aside. */
static int ops_restore_keep_current(const char *db_path, char *aside, size_t asidelen, char *err,
                                    size_t errlen)
{
    struct stat sb;
    if (stat(db_path, &sb) != 0)
        return 0;
    char stamp[32], name[PATH_MAX];
    ops_stamp(stamp, sizeof stamp);
    snprintf(name, sizeof name, "%s.before-restore-%s", db_path, stamp);
    for (int k = 2; k < 1000 && lstat(name, &sb) == 0; k++)
        snprintf(name, sizeof name, "%s.before-restore-%s-%d", db_path, stamp, k);
    pw_backup_options o;
    pw_backup_options_default(&o);
    o.kind = "before-restore";
    o.step_sleep_us = 0;
    if (pw_store_backup(db_path, name, &o, NULL, err, errlen) != 0)
        return -1;
    if (aside)
        snprintf(aside, asidelen, "%s", name);
    return 0;
}

/* Copy from_path over db_path with the online backup API. */
static int ops_restore_copy(const char *from_path, const char *db_path, char *err, size_t errlen)
{
    sqlite3 *src, *dst;
    if (ops_open(from_path, SQLITE_OPEN_READONLY, &src, err, errlen) != 0)
        return -1;
    if (ops_open(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err, errlen) != 0) {
        sqlite3_close(src);
        return -1;
    }
    chmod(db_path, 0600);
    int ok = 1;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errlen, "%s: cannot start the restore: %s", db_path, sqlite3_errmsg(dst));
        ok = 0;
    } else {
        int rc;
        int busy = 0;
        while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (++busy > 1000)
                break;
            usleep(10000);
        }
        if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
            snprintf(err, errlen, "%s: restore failed: %s", db_path, sqlite3_errmsg(dst));
            ok = 0;
        }
    }
    sqlite3_close(src);
    sqlite3_close(dst);
    return ok ? 0 : -1;
}

int pw_store_restore(const char *from_path, const char *db_path, char *aside, size_t asidelen,
                     char *err, size_t errlen)
{
    if (aside && asidelen)
        aside[0] = '\0';
    if (ops_restore_source_ok(from_path, db_path, err, errlen) != 0 ||
        ops_restore_keep_current(db_path, aside, asidelen, err, errlen) != 0 ||
        ops_restore_copy(from_path, db_path, err, errlen) != 0)
        return -1;
    int problems = pw_store_check(db_path, NULL, err, errlen);
    if (problems != 0) {
        if (problems > 0)
            snprintf(err, errlen, "%s fails the integrity check after the restore", db_path);
        return -1;
    }
    return 0;
}

int pw_store_read_figures(pw_store *st, pw_db *db, int64_t now, pw_store_figures *out)
{
    static const char last_sql[] = "SELECT coalesce(max(at), 0) FROM backup_log";
    static const char free_sql[] = "PRAGMA freelist_count";
    static const char sessions_sql[] = "SELECT count(*) FROM sessions WHERE expires_at > ?1";
    memset(out, 0, sizeof *out);
    const char *path = pw_store_path(st);
    char wal[PATH_MAX + 8];
    struct stat sb;
    if (stat(path, &sb) == 0)
        out->db_bytes = sb.st_size;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0)
        out->wal_bytes = sb.st_size;
    sqlite3_stmt *s = pw_db_stmt(db, last_sql);
    if (s && sqlite3_step(s) == SQLITE_ROW)
        out->last_backup_at = sqlite3_column_int64(s, 0);
    if (s)
        sqlite3_reset(s);
    s = pw_db_stmt(db, free_sql);
    if (s && sqlite3_step(s) == SQLITE_ROW)
        out->free_pages = sqlite3_column_int64(s, 0);
    if (s)
        sqlite3_reset(s);
    s = pw_db_stmt(db, sessions_sql);
    if (s) {
        sqlite3_bind_int64(s, 1, now);
        if (sqlite3_step(s) == SQLITE_ROW)
            out->sessions = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    return PW_OK;
}
