/*
 * test_report.c - report submission races over the real socket: the same
 * submission id sent by many clients at once stores one version; distinct
 * ids from one unit at once get distinct, gap-free version numbers.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/report.pb-c.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char li[80];

static void setup(void)
{
    pw_test_server_start(&T, "2018-02-03T09:00:00+08:00");
    pw_test_add_unit(&T, "jishou", "吉首市", "county");
    pw_test_add_user_login(&T, "li", "reporter", "jishou", "reporter11", li);
    pw_test_sql(&T,
                "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
                "('p', 'plan', 2018, 2018, 0);"
                "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) "
                "VALUES ('p','C1',1,'a','b','c','套','cumulative','up');"
                "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
                "('p','C1',2018,'jishou',100,NULL);");
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(report, .init = setup, .fini = teardown, .timeout = 60);

typedef struct submitter {
    char id[32];
    int status;
    int version;
    int duplicate;
} submitter;

static void *submit_main(void *arg)
{
    submitter *s = arg;
    pw_client *c;
    char err[256];
    if (pw_client_open(T.url, NULL, &c, err, sizeof err) != 0) {
        s->status = -1;
        return NULL;
    }
    Planwatch__V1__ReportValue v = PLANWATCH__V1__REPORT_VALUE__INIT;
    v.indicator = "C1";
    v.value = "10";
    Planwatch__V1__ReportValue *vp = &v;
    Planwatch__V1__SubmitReportRequest r = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    r.period = "2018-01";
    r.submission_id = s->id;
    r.values = &vp;
    r.n_values = 1;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    s->status = pw_client_call(c, "/planwatch.v1.ReportService/Submit", li, 10000, &r.base,
                               &planwatch__v1__receipt__descriptor, &resp, &res);
    if (resp) {
        s->version = ((Planwatch__V1__Receipt *)resp)->version;
        s->duplicate = ((Planwatch__V1__Receipt *)resp)->duplicate;
        protobuf_c_message_free_unpacked(resp, NULL);
    }
    pw_call_result_fini(&res);
    pw_client_close(c);
    return NULL;
}

static void run(submitter *s, int n)
{
    pthread_t th[16];
    for (int i = 0; i < n; i++)
        pthread_create(&th[i], NULL, submit_main, &s[i]);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
}

Test(report, the_same_id_at_once_stores_one_version)
{
    submitter s[12] = {0};
    for (int i = 0; i < 12; i++)
        strcpy(s[i].id, "same-id-1");
    run(s, 12);
    int fresh = 0;
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(s[i].status, PW_OK);
        cr_assert_eq(s[i].version, 1);
        fresh += !s[i].duplicate;
    }
    cr_assert_eq(fresh, 1, "exactly one call stored it");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM report_versions"), 1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM report_values"), 1);
}

Test(report, distinct_ids_at_once_get_distinct_versions)
{
    submitter s[12] = {0};
    for (int i = 0; i < 12; i++)
        snprintf(s[i].id, sizeof s[i].id, "id-%d", i);
    run(s, 12);
    int seen[13] = {0};
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(s[i].status, PW_OK);
        cr_assert(s[i].version >= 1 && s[i].version <= 12);
        cr_assert_eq(seen[s[i].version]++, 0, "version %d given twice", s[i].version);
    }
    cr_assert_eq(pw_test_sql_int(&T, "SELECT current_version FROM reports"), 12);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM reports"), 1);
}

/* Submit C1 = c1 and C2 = c2 (note n2) for `period` as li; the receipt. */
static Planwatch__V1__Receipt *submit_two(const char *id, const char *period, const char *c1,
                                          const char *c2, const char *n2)
{
    pw_client *c;
    char err[256];
    cr_assert_eq(pw_client_open(T.url, NULL, &c, err, sizeof err), 0, "%s", err);
    Planwatch__V1__ReportValue v1 = PLANWATCH__V1__REPORT_VALUE__INIT,
                               v2 = PLANWATCH__V1__REPORT_VALUE__INIT;
    v1.indicator = "C1";
    v1.value = (char *)c1;
    v2.indicator = "C2";
    v2.value = (char *)c2;
    v2.note = (char *)n2;
    Planwatch__V1__ReportValue *vp[2] = {&v1, &v2};
    Planwatch__V1__SubmitReportRequest r = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    r.period = (char *)period;
    r.submission_id = (char *)id;
    r.values = vp;
    r.n_values = 2;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_client_call(c, "/planwatch.v1.ReportService/Submit", li, 10000, &r.base,
                            &planwatch__v1__receipt__descriptor, &resp, &res);
    cr_assert_eq(st, PW_OK, "%s", res.message);
    pw_call_result_fini(&res);
    pw_client_close(c);
    return (Planwatch__V1__Receipt *)resp;
}

/* A cumulative share in % may earn three warnings at once (scientific
 * notation, a fraction typed for a percentage, below the earlier month
 * with a note); the handler once had room for two per value. */
Test(report, one_value_with_three_warnings)
{
    pw_test_sql(&T,
                "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) "
                "VALUES ('p','C2',2,'a','b','d','%','cumulative','up');"
                "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
                "('p','C2',2018,'jishou',90,NULL);");
    Planwatch__V1__Receipt *jan = submit_two("jan-1", "2018-01", "10", "45", "");
    cr_assert_eq(jan->n_warnings, 0);
    protobuf_c_message_free_unpacked(&jan->base, NULL);
    /* February: C2 = 5E-01 = 0.5 after 45, explained */
    Planwatch__V1__Receipt *feb = submit_two("feb-1", "2018-02", "10", "5E-01", "recount");
    cr_assert_eq(feb->n_warnings, 3);
    for (size_t i = 0; i < 3; i++)
        cr_assert_str_eq(feb->warnings[i]->field, "C2");
    cr_assert(strstr(feb->warnings[0]->description, "scientific notation"));
    cr_assert(strstr(feb->warnings[1]->description, "a fraction typed for a percentage"));
    cr_assert_str_eq(feb->warnings[2]->description,
                     "cumulative value 0.5 is below the earlier 45 (explained: recount)");
    protobuf_c_message_free_unpacked(&feb->base, NULL);
}

/* The earlier value a value is checked against is the newest month before
 * it, in that month's current version (amendments count, later months and
 * older months do not). */
Test(report, the_earlier_value_is_the_newest_month_before_as_amended)
{
    pw_test_sql(&T,
                "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) "
                "VALUES ('p','C2',2,'a','b','d','个','cumulative','up');"
                "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
                "('p','C2',2018,'jishou',90,NULL);");
    pw_test_set_clock(&T, "2018-05-03T09:00:00+08:00");
    pw_test_login(&T, "li", "reporter11", li); /* the first session has expired */
    static const struct {
        const char *id, *period, *c2, *below; /* below: the earlier value warned about */
    } steps[] = {
        {"jan", "2018-01", "10", NULL},   {"feb", "2018-02", "45", NULL},
        {"apr", "2018-04", "30", "45"},   /* February's, not January's */
        {"mar", "2018-03", "40", "45"},   /* February's, not April's */
        {"feb-2", "2018-02", "20", NULL}, /* amended: 20 after January's 10 */
        {"apr-2", "2018-04", "30", "40"}, /* now March's */
        {"mar-2", "2018-03", "30", NULL}, /* after the amended 20 */
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        Planwatch__V1__Receipt *r =
            submit_two(steps[i].id, steps[i].period, "10", steps[i].c2, "recount");
        const char *found = NULL;
        for (size_t w = 0; w < r->n_warnings; w++)
            if (strstr(r->warnings[w]->description, "is below the earlier"))
                found = r->warnings[w]->description;
        if (steps[i].below) {
            char want[120];
            snprintf(want, sizeof want,
                     "cumulative value %s is below the earlier %s (explained: "
                     "recount)",
                     steps[i].c2, steps[i].below);
            cr_assert(found && strcmp(found, want) == 0, "%s: '%s', wanted '%s'", steps[i].id,
                      found ? found : "no warning", want);
        } else {
            cr_assert_null(found, "%s: unexpected '%s'", steps[i].id, found);
        }
        protobuf_c_message_free_unpacked(&r->base, NULL);
    }
}
