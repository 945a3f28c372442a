/*
 * test_store.c - the store without a socket: migrations, group commit,
 * rollback of one failing write without its neighbours, deadlines.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/status.h"
#include "server/store/store.h"
#include "server/store/store_publish.h"

static char dir[64], path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/pwstore-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.db", dir);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

static pw_store *open_store(void)
{
    pw_store *st;
    char err[256];
    cr_assert_eq(pw_store_open(path, NULL, &st, err, sizeof err), 0, "%s", err);
    return st;
}

static int64_t count_units(pw_store *st)
{
    pw_db *db;
    char err[256];
    cr_assert_eq(pw_store_open_reader(st, &db, err, sizeof err), 0);
    static const char sql[] = "SELECT count(*) FROM units";
    sqlite3_stmt *s = pw_db_stmt(db, sql);
    cr_assert(s && sqlite3_step(s) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    pw_db_close(db);
    return n;
}

typedef struct unit_job {
    char id[32];
    int fail_after_insert;
} unit_job;

static int insert_unit(pw_db *w, void *arg)
{
    unit_job *j = arg;
    static const char sql[] =
        "INSERT INTO units(id, name, category, created_at) VALUES (?1, 'x', 'county', 0)";
    sqlite3_stmt *s = pw_db_stmt(w, sql);
    pw_bind_text(s, 1, j->id);
    if (pw_db_exec_stmt(w, s) != 0)
        return PW_ALREADY_EXISTS;
    return j->fail_after_insert ? PW_INVALID_ARGUMENT : PW_OK;
}

Test(store, migrates_once_and_keeps_data)
{
    pw_store *st = open_store();
    unit_job j = {.id = "a"};
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &j), PW_OK);
    pw_store_close(st);
    st = open_store();
    cr_assert_eq(count_units(st), 1);
    pw_store_close(st);
    /* the file carries the schema version */
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(s, 0), pw_store_schema_version());
    sqlite3_finalize(s);
    sqlite3_close(db);
}

Test(store, refuses_a_newer_schema)
{
    pw_store *st = open_store();
    pw_store_close(st);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[256];
    cr_assert_neq(pw_store_open(path, NULL, &st, err, sizeof err), 0);
    cr_assert(strstr(err, "newer"), "%s", err);
}

static int publish_v1(pw_db *w, void *arg)
{
    const pw_publication_row *row = arg;
    return store_publication_insert(w, row);
}

Test(store, the_published_record_is_append_only)
{
    static const uint8_t body[] = {0x0a, 0x01, 0x70};
    pw_publication_row row = {.kind = "dispatch",
                              .plan = "p",
                              .period = "2018-03",
                              .version = 1,
                              .published_by = "office",
                              .published_at = 1,
                              .reason = "",
                              .body = body,
                              .body_len = sizeof body};
    pw_store *st = open_store();
    cr_assert_eq(pw_store_write(st, 0, publish_v1, &row), PW_OK);
    cr_assert_eq(pw_store_write(st, 0, publish_v1, &row), PW_ALREADY_EXISTS); /* same version */
    pw_store_close(st);
    /* not even SQL changes or removes a published version */
    sqlite3 *db;
    char *msg = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_neq(sqlite3_exec(db, "UPDATE publication_versions SET reason = 'x'", NULL, NULL,
                               &msg),
                  SQLITE_OK);
    cr_assert(msg && strstr(msg, "cannot be changed"), "%s", msg ? msg : "");
    sqlite3_free(msg);
    cr_assert_neq(sqlite3_exec(db, "DELETE FROM publication_versions", NULL, NULL, NULL),
                  SQLITE_OK);
    sqlite3_close(db);
    st = open_store();
    pw_db *r;
    char err[256];
    cr_assert_eq(pw_store_open_reader(st, &r, err, sizeof err), 0);
    pw_arena arena;
    pw_arena_init(&arena);
    pw_arena *a = &arena;
    pw_publication_row got;
    cr_assert_eq(store_publication_get(r, a, "dispatch", "p", "2018-03", 0, &got), PW_OK);
    cr_assert_eq(got.version, 1);
    cr_assert_eq(got.body_len, sizeof body);
    cr_assert(memcmp(got.body, body, sizeof body) == 0);
    cr_assert_eq(store_publication_get(r, a, "dispatch", "p", "2018-03", 2, &got), PW_NOT_FOUND);
    pw_arena_fini(a);
    pw_db_close(r);
    pw_store_close(st);
}

Test(store, failing_write_rolls_back_alone)
{
    pw_store *st = open_store();
    unit_job ok = {.id = "ok"}, bad = {.id = "bad", .fail_after_insert = 1};
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &bad), PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_store_write(st, 0, insert_unit, &ok), PW_OK);
    cr_assert_eq(count_units(st), 1);
    pw_store_close(st);
}

Test(store, expired_deadline_runs_nothing)
{
    pw_store *st = open_store();
    unit_job j = {.id = "late"};
    cr_assert_eq(pw_store_write(st, pw_monotonic_us() - 1, insert_unit, &j), PW_DEADLINE_EXCEEDED);
    cr_assert_eq(count_units(st), 0);
    pw_store_close(st);
}

typedef struct writer_arg {
    pw_store *st;
    int base;
    int failed;
} writer_arg;

static void *writer(void *p)
{
    writer_arg *a = p;
    for (int i = 0; i < 100; i++) {
        unit_job j = {.fail_after_insert = (i % 10 == 9)};
        snprintf(j.id, sizeof j.id, "u%d_%d", a->base, i);
        int st = pw_store_write(a->st, 0, insert_unit, &j);
        if (st != (j.fail_after_insert ? PW_INVALID_ARGUMENT : PW_OK))
            a->failed++;
    }
    return NULL;
}

Test(store, concurrent_writers_are_grouped_and_isolated)
{
    pw_store *st = open_store();
    pthread_t th[8];
    writer_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (writer_arg){.st = st, .base = i};
        pthread_create(&th[i], NULL, writer, &args[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(args[i].failed, 0);
    }
    /* 8 writers x 100 jobs, every tenth one failed and rolled back alone */
    cr_assert_eq(count_units(st), 8 * 90);
    pw_store_close(st);
}
