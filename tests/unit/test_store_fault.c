/*
 * test_store_fault.c - the writer under storage faults (SPEC 5.3/5.4,
 * issue 17), through a test-only SQLite VFS shim registered as the default
 * VFS of this process: it forwards everything to the real VFS and, when
 * told, fails every xWrite with SQLITE_FULL (a full disk) or every xSync
 * with SQLITE_IOERR_FSYNC (a dying disk).
 *
 * What must hold: a write on a full disk answers RESOURCE_EXHAUSTED, an I/O
 * error UNAVAILABLE, never OK and never a code of the job's own choosing
 * (insert_unit answers ALREADY_EXISTS for any failed insert); a job that
 * shared a batch with the failing one is OK only if it is really stored;
 * reads keep working; the next write after the fault is gone succeeds on
 * the same store (no reopen); the file passes integrity_check.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/status.h"
#include "server/store/store.h"
#include "server/store/store_ops.h"
#include "tests/support/harness.h"

/* ---- the VFS shim ------------------------------------------------------ */

enum { FAULT_NONE, FAULT_FULL, FAULT_FSYNC };
static atomic_int fault_mode;
static atomic_int fault_hits;

typedef struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} fault_file;

static sqlite3_vfs *real_vfs;

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
    if (atomic_load(&fault_mode) == FAULT_FULL) {
        atomic_fetch_add(&fault_hits, 1);
        return SQLITE_FULL;
    }
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    if (atomic_load(&fault_mode) == FAULT_FSYNC) {
        atomic_fetch_add(&fault_hits, 1);
        return SQLITE_IOERR_FSYNC;
    }
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shmunmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_methods = {
    3,         f_close,      f_read,     f_write, f_truncate, f_sync,    f_size,
    f_lock,    f_unlock,     f_reserved, f_fcntl, f_sector,   f_devchar, f_shmmap,
    f_shmlock, f_shmbarrier, f_shmunmap, f_fetch, f_unfetch};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
    fault_file *ff = (fault_file *)file;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->base.pMethods = NULL;
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    if (ff->real->pMethods)
        ff->base.pMethods = &fault_methods;
    return rc;
}
static int f_delete(sqlite3_vfs *v, const char *n, int sync)
{
    return real_vfs->xDelete(real_vfs, n, sync);
}
static int f_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
    return real_vfs->xAccess(real_vfs, n, flags, out);
}
static int f_fullpath(sqlite3_vfs *v, const char *n, int len, char *out)
{
    return real_vfs->xFullPathname(real_vfs, n, len, out);
}
static int f_random(sqlite3_vfs *v, int n, char *out)
{
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int f_sleep(sqlite3_vfs *v, int us)
{
    return real_vfs->xSleep(real_vfs, us);
}
static int f_time(sqlite3_vfs *v, double *out)
{
    return real_vfs->xCurrentTime(real_vfs, out);
}
static int f_lasterr(sqlite3_vfs *v, int n, char *out)
{
    return real_vfs->xGetLastError(real_vfs, n, out);
}
static int f_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs fault_vfs;

static void fault_install(void)
{
    if (real_vfs)
        return;
    real_vfs = sqlite3_vfs_find(NULL);
    cr_assert(real_vfs);
    fault_vfs = (sqlite3_vfs){.iVersion = 2,
                              .szOsFile = (int)sizeof(fault_file) + real_vfs->szOsFile,
                              .mxPathname = real_vfs->mxPathname,
                              .zName = "pw-fault",
                              .xOpen = f_open,
                              .xDelete = f_delete,
                              .xAccess = f_access,
                              .xFullPathname = f_fullpath,
                              .xRandomness = f_random,
                              .xSleep = f_sleep,
                              .xCurrentTime = f_time,
                              .xGetLastError = f_lasterr,
                              .xCurrentTimeInt64 = f_time64};
    cr_assert_eq(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

/* ---- fixtures ---------------------------------------------------------- */

static char dir[64], path[128];

static void setup(void)
{
    fault_install();
    atomic_store(&fault_mode, FAULT_NONE);
    snprintf(dir, sizeof dir, "/tmp/pwfault-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.db", dir);
}

static void teardown(void)
{
    atomic_store(&fault_mode, FAULT_NONE);
    cr_assert(pw_test_rmdir(dir) == 0);
}

TestSuite(store_fault, .init = setup, .fini = teardown, .timeout = 60);

static pw_store *open_store(void)
{
    return pw_test_store_open(path);
}

static int unit_exists(pw_store *st, const char *id)
{
    pw_db *db;
    char err[256];
    cr_assert_eq(pw_store_open_reader(st, &db, err, sizeof err), 0);
    static const char sql[] = "SELECT count(*) FROM units WHERE id = ?1";
    sqlite3_stmt *s = pw_db_stmt(db, sql);
    pw_bind_text(s, 1, id);
    cr_assert(s && sqlite3_step(s) == SQLITE_ROW, "reads work: %s", pw_db_errmsg(db));
    int n = sqlite3_column_int(s, 0);
    pw_db_close(db);
    return n;
}

typedef struct unit_job {
    const char *id;
    int big; /* a name of 4 MB: the statement spills pages to the WAL itself */
} unit_job;

static int insert_unit(pw_db *w, void *arg)
{
    unit_job *j = arg;
    static const char sql[] = "INSERT INTO units(id, name, category, created_at) "
                              "VALUES (?1, CASE WHEN ?2 THEN zeroblob(4000000) ELSE 'x' END, "
                              "'county', 0)";
    sqlite3_stmt *s = pw_db_stmt(w, sql);
    pw_bind_text(s, 1, j->id);
    sqlite3_bind_int(s, 2, j->big);
    /* like many a store function: any failure becomes the job's own code */
    return pw_db_exec_stmt(w, s) == 0 ? PW_OK : PW_ALREADY_EXISTS;
}

static void assert_healthy(void)
{
    char err[256];
    cr_assert_eq(pw_store_check(path, NULL, err, sizeof err), 0, "integrity: %s", err);
}

/* ---- tests ------------------------------------------------------------- */

Test(store_fault, full_disk_refuses_then_recovers_without_reopen)
{
    pw_store *st = open_store();
    unit_job a = {.id = "a"}, b = {.id = "b"}, c = {.id = "c"};
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &a), PW_OK);
    atomic_store(&fault_mode, FAULT_FULL);
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &b), PW_RESOURCE_EXHAUSTED);
    cr_assert_gt(atomic_load(&fault_hits), 0, "the shim was reached");
    cr_assert_eq(unit_exists(st, "a"), 1, "reads keep working while full");
    cr_assert_eq(unit_exists(st, "b"), 0);
    atomic_store(&fault_mode, FAULT_NONE);
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &c), PW_OK, "recovers once space is back");
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &b), PW_OK, "the refused write can be redone");
    pw_store_close(st);
    assert_healthy();
    st = open_store();
    cr_assert_eq(unit_exists(st, "a") + unit_exists(st, "b") + unit_exists(st, "c"), 3);
    pw_store_close(st);
}

Test(store_fault, full_disk_inside_a_statement_is_resource_exhausted)
{
    pw_store *st = open_store();
    unit_job big = {.id = "big", .big = 1}, small = {.id = "small"};
    atomic_store(&fault_mode, FAULT_FULL);
    int rc = pw_store_write(st, 0, insert_unit, &big);
    cr_assert_eq(rc, PW_RESOURCE_EXHAUSTED, "got %s, not the job's own code", pw_status_name(rc));
    atomic_store(&fault_mode, FAULT_NONE);
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &small), PW_OK);
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &big), PW_OK);
    pw_store_close(st);
    assert_healthy();
}

Test(store_fault, fsync_error_is_unavailable)
{
    pw_store *st = open_store();
    unit_job a = {.id = "a"}, b = {.id = "b"};
    atomic_store(&fault_mode, FAULT_FSYNC);
    int rc = pw_store_write(st, 0, insert_unit, &a);
    cr_assert_eq(rc, PW_UNAVAILABLE, "got %s", pw_status_name(rc));
    atomic_store(&fault_mode, FAULT_NONE);
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &b), PW_OK);
    pw_store_close(st);
    assert_healthy();
}

/* Three writes in one batch: a gate job holds the writer while the others
 * queue, so that small, big and small2 run in ONE transaction in that
 * order; the big one hits the full disk mid-statement. */
typedef struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int open;
} gate;

static int gate_job(pw_db *w, void *arg)
{
    gate *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
    return PW_OK;
}

typedef struct writer_arg {
    pw_store *st;
    unit_job job;
    pw_store_write_fn fn;
    void *fn_arg;
    int rc;
} writer_arg;

static void *writer_main(void *p)
{
    writer_arg *a = p;
    a->rc = pw_store_write(a->st, 0, a->fn ? a->fn : insert_unit, a->fn ? a->fn_arg : &a->job);
    return NULL;
}

Test(store_fault, batch_mates_of_a_full_disk_are_never_ok_unless_stored)
{
    pw_store *st = open_store();
    gate g = {.open = 0};
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    writer_arg ga = {.st = st, .fn = gate_job, .fn_arg = &g};
    writer_arg w[3] = {{.st = st, .job = {.id = "small"}},
                       {.st = st, .job = {.id = "big", .big = 1}},
                       {.st = st, .job = {.id = "small2"}}};
    pthread_t tg, t[3];
    pthread_create(&tg, NULL, writer_main, &ga);
    usleep(100000); /* the writer is inside the gate job */
    for (int i = 0; i < 3; i++) {
        pthread_create(&t[i], NULL, writer_main, &w[i]);
        usleep(50000); /* queued in this order */
    }
    atomic_store(&fault_mode, FAULT_FULL);
    pthread_mutex_lock(&g.mu);
    g.open = 1;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    pthread_join(tg, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    atomic_store(&fault_mode, FAULT_NONE);
    for (int i = 0; i < 3; i++) {
        int rc = w[i].rc, stored = unit_exists(st, w[i].job.id);
        cr_assert(rc == PW_OK || rc == PW_RESOURCE_EXHAUSTED || rc == PW_UNAVAILABLE, "%s: %s",
                  w[i].job.id, pw_status_name(rc));
        cr_assert_eq(rc == PW_OK, stored, "%s: answered %s, stored %d", w[i].job.id,
                     pw_status_name(rc), stored);
    }
    cr_assert_neq(w[1].rc, PW_OK, "the big write cannot have been stored on a full disk");
    unit_job after = {.id = "after"};
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &after), PW_OK, "the next batch works");
    pw_store_close(st);
    assert_healthy();
}
