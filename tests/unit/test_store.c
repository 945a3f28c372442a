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
#include "common/arena.h"
#include "server/store/store.h"
#include "server/store/store_plan.h"
#include "server/store/store_plan_import.h"
#include "server/store/store_publish.h"
#include "server/store/store_report.h"
#include "tests/support/harness.h"

extern const char *const pw_schema_migrations[];

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

Test(store, migrates_a_v1_plan_to_revisions)
{
    /* a database of the release before issue 13 (schema 1) with a plan:
     * after the migration it is revision 0, read the same way */
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, pw_schema_migrations[0], NULL, NULL, NULL), SQLITE_OK);
    cr_assert_eq(
        sqlite3_exec(
            db,
            "PRAGMA user_version=1;"
            "INSERT INTO units VALUES ('jishou','吉首市','county',NULL,NULL,0),"
            " ('zj','州住建局','department',NULL,NULL,0);"
            "INSERT INTO plans(id,name,first_year,last_year,imported_at)"
            " VALUES ('p','plan',2018,2018,7);"
            "INSERT INTO indicators VALUES ('p','C1',1,'a','b','c','套','cumulative','up'),"
            " ('p','M1',2,'a','b','m','none','milestone','up');"
            "INSERT INTO indicator_units VALUES ('p','M1','zj','lead',1);"
            "INSERT INTO targets VALUES ('p','C1',2018,'jishou',100,90),"
            " ('p','M1',2018,'',1,NULL);",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    pw_store *st = open_store();
    pw_db *r;
    char err[256];
    cr_assert_eq(pw_store_open_reader(st, &r, err, sizeof err), 0);
    pw_arena a;
    pw_arena_init(&a);
    pw_assignment *as;
    size_t n;
    cr_assert_eq(pw_store_plan_assignments(r, &a, "p", "jishou", 2018, 5, &as, &n), PW_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(as[0].indicator_id, "C1");
    cr_assert_float_eq(as[0].target, 100, 1e-9);
    cr_assert_float_eq(as[0].baseline, 90, 1e-9);
    cr_assert_eq(pw_store_plan_assignments(r, &a, "p", "zj", 2018, 5, &as, &n), PW_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(as[0].kind, "milestone");
    cr_assert_eq(as[0].is_lead, 1);
    cr_assert_eq(as[0].due_month, 0);
    int rev = -1;
    cr_assert_eq(pw_store_plan_rev_at(r, "p", 2018, 12, &rev), PW_OK);
    cr_assert_eq(rev, 0);
    sqlite3_stmt *s = pw_db_stmt(r, "SELECT count(*), min(effective) FROM plan_revisions");
    cr_assert(s && sqlite3_step(s) == SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(s, 0), 1);
    cr_assert_str_eq((const char *)sqlite3_column_text(s, 1), "0000-00");
    sqlite3_reset(s);
    pw_arena_fini(&a);
    pw_db_close(r);
    pw_store_close(st);
}

typedef struct revise_job {
    int step;
} revise_job;

/* An `up` indicator of the groups a / b led by leads[0], no aggregate. */
static pw_plan_import_indicator indicator_a_b(const char *id, const char *level3, const char *uom,
                                              const char *kind, const char **leads)
{
    pw_plan_import_indicator in = {.id = id,
                                   .level1 = "a",
                                   .level2 = "b",
                                   .level3 = level3,
                                   .uom = uom,
                                   .kind = kind,
                                   .direction = "up",
                                   .leads = leads,
                                   .nleads = 1,
                                   .aggregate = ""};
    return in;
}

static int revise_write(pw_db *w, void *arg)
{
    revise_job *j = arg;
    static const char units[] = "INSERT INTO units VALUES ('jishou','吉首市','county',NULL,NULL,0),"
                                " ('zj','州住建局','department',NULL,NULL,0)";
    const char *leads[] = {"zj"}, *resps[] = {"jishou"};
    pw_plan_import_indicator ind[2] = {indicator_a_b("C1", "c", "套", "cumulative", leads),
                                       indicator_a_b("T1", "t", "none", "task", leads)};
    ind[0].resps = resps;
    ind[0].nresps = 1;
    pw_plan_import_target tg[2] = {
        {.indicator_id = "C1", .year = 2018, .unit = "", .value = 100},
        {.indicator_id = "T1", .year = 2018, .unit = "", .value = 1, .due = "2018-09"}};
    pw_plan_row p = {.id = "p",
                     .name = "plan",
                     .tz_offset_min = 480,
                     .due_day = 5,
                     .cadence = "monthly",
                     .first_year = 2018,
                     .last_year = 2018,
                     .imported_at = 7};
    int replaced;
    if (j->step == 0) {
        if (pw_db_exec(w, units) != 0)
            return PW_INTERNAL;
        return pw_store_plan_replace(w, &p, ind, 2, tg, 2, &replaced);
    }
    /* revision 1 from July: C1's target 120, T1 retired */
    tg[0].value = 120;
    pw_plan_revision_row r = {.rev = 1,
                              .effective = "2018-07",
                              .reason = "细化",
                              .by_user = "o",
                              .at = 9,
                              .indicators = 1,
                              .targets = 1};
    return pw_store_plan_revise(w, &p, &r, ind, 1, tg, 1);
}

Test(store, a_revision_applies_from_its_month)
{
    pw_store *st = open_store();
    revise_job j = {0};
    cr_assert_eq(pw_store_write(st, 0, revise_write, &j), PW_OK);
    j.step = 1;
    cr_assert_eq(pw_store_write(st, 0, revise_write, &j), PW_OK);
    pw_db *r;
    char err[256];
    cr_assert_eq(pw_store_open_reader(st, &r, err, sizeof err), 0);
    pw_arena a;
    pw_arena_init(&a);
    int rev = -1;
    cr_assert_eq(pw_store_plan_rev_at(r, "p", 2018, 6, &rev), PW_OK);
    cr_assert_eq(rev, 0);
    cr_assert_eq(pw_store_plan_rev_at(r, "p", 2018, 7, &rev), PW_OK);
    cr_assert_eq(rev, 1);
    pw_assignment *as;
    size_t n;
    /* June: the lead has C1 (100) and T1 (due September); the responsible
     * county reports C1's state as a task */
    cr_assert_eq(pw_store_plan_assignments(r, &a, "p", "zj", 2018, 6, &as, &n), PW_OK);
    cr_assert_eq(n, 2);
    cr_assert_float_eq(as[0].target, 100, 1e-9);
    cr_assert_eq(as[1].due_month, 9);
    cr_assert_eq(pw_store_plan_assignments(r, &a, "p", "jishou", 2018, 6, &as, &n), PW_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(as[0].kind, "task");
    cr_assert_eq(as[0].is_resp, 1);
    /* July: the revision */
    cr_assert_eq(pw_store_plan_assignments(r, &a, "p", "zj", 2018, 7, &as, &n), PW_OK);
    cr_assert_eq(n, 1);
    cr_assert_float_eq(as[0].target, 120, 1e-9);
    pw_plan_revision_row *revs;
    cr_assert_eq(pw_store_plan_revisions(r, &a, "p", &revs, &n), PW_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(revs[1].effective, "2018-07");
    cr_assert_str_eq(revs[1].reason, "细化");
    pw_arena_fini(&a);
    pw_db_close(r);
    pw_store_close(st);
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
    return pw_store_publication_insert(w, row);
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
    cr_assert_neq(
        sqlite3_exec(db, "UPDATE publication_versions SET reason = 'x'", NULL, NULL, &msg),
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
    cr_assert_eq(pw_store_publication_get(r, a, "dispatch", "p", "2018-03", 0, &got), PW_OK);
    cr_assert_eq(got.version, 1);
    cr_assert_eq(got.body_len, sizeof body);
    cr_assert(memcmp(got.body, body, sizeof body) == 0);
    cr_assert_eq(pw_store_publication_get(r, a, "dispatch", "p", "2018-03", 2, &got), PW_NOT_FOUND);
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
    cr_assert_eq(sql_int(db, "SELECT bytes FROM unit_usage WHERE unit_id = 'u'"), report + 16 + 4);
    sqlite3_close(db);
}

/* ---- a version's values go in by chunks of rows (64, 8, 1) ------------ */

typedef struct values_job {
    int64_t report_id;
    pw_report_value_row *v;
    size_t n;
} values_job;

static int insert_values(pw_db *w, void *arg)
{
    values_job *j = arg;
    return pw_store_report_values_insert(w, j->report_id, 1, j->v, j->n);
}

/* n values of report `id`: numbers, milestones and rows with neither,
 * every third with a note; a repeated id at `dup` (n: none). */
static pw_report_value_row *make_values(pw_arena *a, size_t n, size_t dup)
{
    static const char *const ms[] = {"not_started", "in_progress", "done"};
    pw_report_value_row *v = pw_arena_alloc(a, sizeof *v * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        v[i].indicator = pw_arena_printf(a, "I%03zu", i == dup ? i - 1 : i);
        v[i].has_value = i % 5 != 4 && i % 7 != 3;
        v[i].value = v[i].has_value ? (double)i * 1.25 - 40 : 0;
        v[i].milestone = i % 7 == 3 ? ms[i % 3] : "";
        v[i].note = i % 3 == 0 ? pw_arena_printf(a, "说明 %zu", i) : "";
    }
    return v;
}

Test(store, report_values_stored_by_chunks_read_back_whole)
{
    pw_store *st = open_store();
    pw_db *db;
    char err[256];
    cr_assert_eq(pw_store_open_reader(st, &db, err, sizeof err), 0);
    pw_arena a;
    pw_arena_init(&a);
    static const size_t sizes[] = {0, 1, 7, 8, 9, 63, 64, 65, 72, 127, 128, 200, 201};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        values_job j = {.report_id = 1000 + (int64_t)n, .v = make_values(&a, n, n), .n = n};
        cr_assert_eq(pw_store_write(st, 0, insert_values, &j), PW_OK, "%zu values", n);
        pw_report_value_row *got;
        size_t ngot;
        cr_assert_eq(pw_store_report_values(db, &a, j.report_id, 1, &got, &ngot), PW_OK);
        cr_assert_eq(ngot, n, "%zu values stored, %zu read back", n, ngot);
        for (size_t i = 0; i < n; i++) { /* ids in order: the table's order */
            cr_assert_str_eq(got[i].indicator, j.v[i].indicator);
            cr_assert_eq(got[i].has_value, j.v[i].has_value, "%zu/%zu", i, n);
            cr_assert(!got[i].has_value || got[i].value == j.v[i].value, "%zu/%zu", i, n);
            cr_assert_str_eq(got[i].milestone, j.v[i].milestone);
            cr_assert_str_eq(got[i].note, j.v[i].note);
        }
    }
    /* a repeated id in the last chunk: the whole write fails, nothing kept */
    values_job bad = {.report_id = 1, .v = make_values(&a, 70, 69), .n = 70};
    cr_assert_neq(pw_store_write(st, 0, insert_values, &bad), PW_OK);
    pw_report_value_row *got;
    size_t ngot;
    cr_assert_eq(pw_store_report_values(db, &a, 1, 1, &got, &ngot), PW_OK);
    cr_assert_eq(ngot, 0);
    pw_arena_fini(&a);
    pw_db_close(db);
    pw_store_close(st);
}
