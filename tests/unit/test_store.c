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
#include "tests/support/harness.h"

static char dir[64], path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/pwstore-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.db", dir);
}

static void teardown(void)
{
    cr_assert(pw_test_rmdir(dir) == 0);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

static pw_store *open_store(void)
{
    return pw_test_store_open(path);
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

extern const char *const pw_schema_migrations[];

static long long sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Migration 3 (issue 10 item 3) counts what a schema-1 database already
 * holds: the caps apply to reports stored before the upgrade. */
Test(store, migration_3_counts_the_bytes_already_stored)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, pw_schema_migrations[0], NULL, NULL, NULL), SQLITE_OK);
    cr_assert_eq(
        sqlite3_exec(
            db,
            "PRAGMA user_version=1;"
            "INSERT INTO units(id, name, category, created_at) VALUES ('u', 'x', 'county', 0);"
            "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES"
            " ('p', 'p', 2018, 2018, 0);"
            "INSERT INTO reports(id, plan_id, unit_id, period, first_received_at, deadline,"
            " current_version) VALUES (1, 'p', 'u', '2018-01', 0, 1, 2);"
            "INSERT INTO report_versions VALUES (1, 1, 'sid1', 'li', 0, 'abc', '', 'de');"
            "INSERT INTO report_versions VALUES (1, 2, 'sid22', 'li', 0, '进展', 'x', '');"
            "INSERT INTO report_values VALUES (1, 1, 'C1', 5, NULL, 'n');"
            "INSERT INTO report_values VALUES (1, 2, 'M1', NULL, 'done', '');"
            "INSERT INTO halfyear_reports(plan_id, unit_id, period, version, submission_id,"
            " user_name, received_at, deadline, body) VALUES ('p', 'u', '2018-H1', 1,"
            " 'h1', 'li', 0, 1, '自查报告');"
            "INSERT INTO supervision_items(id, unit_id, text, deadline, opened_by, opened_at)"
            " VALUES (7, 'u', 't', '2018-03-01', 'office', 0);"
            "INSERT INTO supervision_answers(item_id, user_name, at, text) VALUES"
            " (7, 'li', 0, 'ok');",
            NULL, NULL, NULL),
        SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
    pw_store *st = open_store();
    pw_store_close(st);
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    /* by hand: v1 3+0+2 + 4 + 2, value C1 2+0+1+8; v2 6+1+0 + 5 + 2, value M1 2+4+0+8 */
    long long report = (3 + 2 + 4 + 2) + (2 + 1 + 8) + (6 + 1 + 5 + 2) + (2 + 4 + 8);
    cr_assert_eq(sql_int(db, "SELECT bytes FROM reports WHERE id = 1"), report);
    /* half-year: body 12 bytes (4 CJK), sid 2, user 2; the answer 'ok' by li: 4 */
    cr_assert_eq(sql_int(db, "SELECT bytes FROM unit_usage WHERE unit_id = 'u'"),
                 report + 16 + 4);
    sqlite3_close(db);
}
