/*
 * test_reporting.c - monthly reporting over the real socket (SPEC 3.1, 3.3,
 * 3.7): deadlines and days late in the plan's time zone through the clock
 * file, status (on time / late / missing / not due / not expected) with the
 * rates per category, idempotent submission ids, amendments and history,
 * period locks, review, units active from / to a date, every validation
 * error of SPEC 3.3 with "nothing stored", the unit boundary, half-year
 * reports, the audit trail and quarterly plans.
 *
 * The plan is written with SQL straight into the test database (the
 * contract of server/store_schema.c); tests/e2e/test_reporting.sh drives
 * the same through the real plan import and the CLIs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/period.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/office.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char office[80], li[80], wang[80], zhao[80], viewer[80], newz[80];

/*
 * Units: jishou, luxi (counties), zhujian (department, lead of D1), newzone
 * (county from 2018-07-01), oldzone (county until 2018-03-31).
 * jishou reports C1 (cumulative, 套), L1 (level, %), M1 (milestone);
 * luxi C1 and X1; zhujian D1 with the plan-wide target; oldzone and newzone C1.
 */
static const char plan_sql[] =
    "INSERT INTO plans(id, name, tz_offset_min, due_day, cadence, first_year, last_year,"
    " imported_at) VALUES ('p', '行动计划', 480, 5, 'monthly', 2018, 2019, 0);"
    "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
    "('p','C1',1,'住房','棚改','棚户区改造','套','cumulative','up');"
    "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
    "('p','L1',2,'城镇化','比率','城镇化率','%','level','up');"
    "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
    "('p','M1',3,'改革','制度','户籍制度改革','none','milestone',"
    "'up');"
    "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
    "('p','D1',4,'投资','项目','重点项目投资','亿元','cumulative',"
    "'up');"
    "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
    "('p','X1',5,'服务','培训','技能培训','人次','level','up');"
    "INSERT INTO indicator_units(plan_id,indicator_id,unit_id,role,seq) VALUES "
    "('p','D1','zhujian','lead',1);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','C1',2018,'jishou',100,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','L1',2018,'jishou',60,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','M1',2018,'jishou',1,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','C1',2018,'luxi',50,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','X1',2018,'luxi',10,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','D1',2018,'',20,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','C1',2018,'newzone',30,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','C1',2018,'oldzone',30,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','C1',2019,'jishou',120,NULL);"
    "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
    "('p','D1',2019,'',25,NULL);"
    "UPDATE units SET active_from = '2018-07-01' WHERE id = 'newzone';"
    "UPDATE units SET active_to = '2018-03-31' WHERE id = 'oldzone';";

/* Sessions outlive the clock's moves through the year. */
static void start(const char *key, const char *value)
{
    const char *settings[] = {"session-ttl-s", "316224000", key, value, NULL};
    pw_test_server_start_opts(&T, "2018-01-02T09:00:00+08:00", settings);
    pw_test_add_counties(&T);
    pw_test_add_unit(&T, "zhujian", "州住建局", "department");
    pw_test_add_unit(&T, "newzone", "新区", "county");
    pw_test_add_unit(&T, "oldzone", "旧区", "county");
    pw_test_add_user_login(&T, "office", "office", NULL, "office111", office);
    pw_test_add_user_login(&T, "li", "reporter", "jishou", "reporter11", li);
    pw_test_add_user_login(&T, "wang", "reporter", "luxi", "reporter22", wang);
    pw_test_add_user_login(&T, "zhao", "reporter", "zhujian", "reporter33", zhao);
    pw_test_add_user_login(&T, "viewer", "viewer", NULL, "viewer111", viewer);
    pw_test_add_user_login(&T, "newz", "reporter", "newzone", "reporter44", newz);
    pw_test_sql(&T, plan_sql);
}

static void setup(void)
{
    start(NULL, NULL);
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(reporting, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers ---------------------------------------------------------------- */

typedef struct kv {
    const char *id, *value, *note;
} kv;

static int64_t at(const char *iso)
{
    int64_t t;
    cr_assert_eq(pw_time_parse_iso8601(iso, &t), 0, "bad time %s", iso);
    return t;
}

static void clock_at(const char *iso)
{
    pw_test_set_clock(&T, iso);
}

static int sid_counter;

/* Submit; `sid` NULL = a fresh id.  *rcpt (when not NULL) receives the
 * receipt on OK (free with protobuf_c_message_free_unpacked). */
static int submit_full(const char *tok, const char *period, const char *sid, const kv *v, size_t n,
                       const char *progress, const char *unit, Planwatch__V1__Receipt **rcpt,
                       pw_call_result *res)
{
    Planwatch__V1__ReportValue *vals = calloc(n ? n : 1, sizeof *vals);
    Planwatch__V1__ReportValue **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    for (size_t i = 0; i < n; i++) {
        planwatch__v1__report_value__init(&vals[i]);
        vals[i].indicator = (char *)v[i].id;
        vals[i].value = (char *)v[i].value;
        vals[i].note = (char *)(v[i].note ? v[i].note : "");
        ptrs[i] = &vals[i];
    }
    char fresh[32];
    if (!sid) {
        snprintf(fresh, sizeof fresh, "sid-%d", ++sid_counter);
        sid = fresh;
    }
    Planwatch__V1__SubmitReportRequest r = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    r.period = (char *)period;
    r.submission_id = (char *)sid;
    r.values = ptrs;
    r.n_values = n;
    r.progress = (char *)(progress ? progress : "");
    r.unit = (char *)(unit ? unit : "");
    ProtobufCMessage *resp = NULL;
    int st = pw_test_call(&T, tok, "/planwatch.v1.ReportService/Submit", &r.base,
                          &planwatch__v1__receipt__descriptor, &resp, res);
    free(vals);
    free(ptrs);
    if (rcpt)
        *rcpt = (Planwatch__V1__Receipt *)resp;
    else if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    return st;
}

/* Submit that must succeed; returns the receipt. */
static Planwatch__V1__Receipt *submit_ok(const char *tok, const char *period, const char *sid,
                                         const kv *v, size_t n)
{
    Planwatch__V1__Receipt *rc = NULL;
    pw_call_result res;
    int st = submit_full(tok, period, sid, v, n, NULL, NULL, &rc, &res);
    cr_assert_eq(st, PW_OK, "submit %s: %s (%d)", period, res.message, st);
    pw_call_result_fini(&res);
    return rc;
}

static void receipt_free(Planwatch__V1__Receipt *r)
{
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

#define NV(a) (sizeof(a) / sizeof *(a))

/* Everything a report can leave behind. */
static long long stored(void)
{
    return pw_test_sql_int(&T, "SELECT (SELECT count(*) FROM reports) * 1000000000"
                               " + (SELECT count(*) FROM report_versions) * 1000000"
                               " + (SELECT count(*) FROM report_values) * 1000"
                               " + (SELECT count(*) FROM audit WHERE object LIKE 'report/%')");
}

static const char *violation_of(const pw_call_result *res, const char *field)
{
    for (size_t i = 0; i < res->nviolations; i++)
        if (strcmp(res->fields[i], field) == 0)
            return res->descriptions[i];
    return NULL;
}

/* A rejected submission of jishou for 2018-02 (clock in March): status,
 * the violation naming `field` containing `what`, and nothing stored. */
static void rejected(int status, const char *field, const char *what, const kv *v, size_t n)
{
    clock_at("2018-03-02T09:00:00+08:00");
    long long before = stored();
    pw_call_result res;
    int st = submit_full(li, "2018-02", NULL, v, n, NULL, NULL, NULL, &res);
    cr_assert_eq(st, status, "status %d: %s", st, res.message);
    if (field) {
        const char *d = violation_of(&res, field);
        cr_assert(d, "no violation for field %s (message: %s)", field, res.message);
        cr_assert(strstr(d, what), "violation of %s: '%s' lacks '%s'", field, d, what);
    } else {
        cr_assert(strstr(res.message, what), "message '%s' lacks '%s'", res.message, what);
    }
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before, "a rejected report stored something");
}

static Planwatch__V1__StatusResponse *status_of(const char *tok, const char *period,
                                                const char *unit)
{
    Planwatch__V1__ReportRequest r = PLANWATCH__V1__REPORT_REQUEST__INIT;
    r.period = (char *)period;
    r.unit = (char *)(unit ? unit : "");
    ProtobufCMessage *resp = pw_test_call_ok(&T, tok, "/planwatch.v1.ReportService/Status", &r.base,
                                             &planwatch__v1__status_response__descriptor);
    return (Planwatch__V1__StatusResponse *)resp;
}

static const Planwatch__V1__UnitTimeliness *unit_in(const Planwatch__V1__StatusResponse *s,
                                                    const char *unit)
{
    return PW_TEST_FIND(Planwatch__V1__UnitTimeliness, unit, s->units, s->n_units, unit);
}

static const Planwatch__V1__CategoryRate *rate_of(const Planwatch__V1__StatusResponse *s,
                                                  const char *category)
{
    return PW_TEST_GET(Planwatch__V1__CategoryRate, category, s->rates, s->n_rates, category);
}

static void expect_unit(const Planwatch__V1__StatusResponse *s, const char *unit,
                        const char *status, int days_late, int64_t received)
{
    const Planwatch__V1__UnitTimeliness *u = unit_in(s, unit);
    cr_assert(u, "%s not in the status of %s", unit, s->period);
    cr_assert_str_eq(u->status, status, "%s in %s", unit, s->period);
    cr_assert_eq(u->days_late, days_late, "%s days late in %s", unit, s->period);
    cr_assert_eq(u->received_at, received, "%s received in %s", unit, s->period);
}

/* Show / History / Template / review / lock calls. */
static int show(const char *tok, const char *method, const char *period, const char *unit,
                const ProtobufCMessageDescriptor *desc, ProtobufCMessage **resp)
{
    Planwatch__V1__ReportRequest r = PLANWATCH__V1__REPORT_REQUEST__INIT;
    r.period = (char *)period;
    r.unit = (char *)(unit ? unit : "");
    return pw_test_call_resp(&T, tok, method, &r.base, desc, resp);
}

static Planwatch__V1__ReportShown *shown(const char *tok, const char *period, const char *unit)
{
    ProtobufCMessage *resp = NULL;
    cr_assert_eq(show(tok, "/planwatch.v1.ReportService/Show", period, unit,
                      &planwatch__v1__report_shown__descriptor, &resp),
                 PW_OK);
    return (Planwatch__V1__ReportShown *)resp;
}

static int review(const char *tok, const char *method, const char *period, const char *unit,
                  const char *reason)
{
    Planwatch__V1__ReviewRequest r = PLANWATCH__V1__REVIEW_REQUEST__INIT;
    r.period = (char *)period;
    r.unit = (char *)unit;
    r.reason = (char *)(reason ? reason : "");
    return pw_test_call_status(&T, tok, method, &r.base);
}

static int lock(const char *tok, int locked, const char *period, const char *unit,
                const char *reason)
{
    Planwatch__V1__PeriodLockRequest r = PLANWATCH__V1__PERIOD_LOCK_REQUEST__INIT;
    r.period = (char *)period;
    r.unit = (char *)(unit ? unit : "");
    r.reason = (char *)(reason ? reason : "");
    return pw_test_call_status(
        &T, tok, locked ? "/planwatch.v1.PeriodService/Lock" : "/planwatch.v1.PeriodService/Unlock",
        &r.base);
}

static int halfyear(const char *tok, const char *period, const char *sid, const char *body,
                    Planwatch__V1__Receipt **rcpt)
{
    Planwatch__V1__HalfYearSubmitRequest r = PLANWATCH__V1__HALF_YEAR_SUBMIT_REQUEST__INIT;
    r.period = (char *)period;
    r.submission_id = (char *)sid;
    r.body = (char *)body;
    return pw_test_call_resp(&T, tok, "/planwatch.v1.HalfYearService/Submit", &r.base,
                             &planwatch__v1__receipt__descriptor, (ProtobufCMessage **)rcpt);
}

static const kv jishou_jan[] = {
    {"C1", "10", NULL}, {"L1", "55", NULL}, {"M1", "not_started", NULL}};
static const kv luxi_jan[] = {{"C1", "5", NULL}, {"X1", "3", NULL}};
static const kv zhujian_jan[] = {{"D1", "2", NULL}};

/* ---- deadlines, on time, late, missing ------------------------------------------ */

Test(reporting, on_time_up_to_the_deadline_and_late_by_started_days)
{
    /* due 2018-02-05 23:59:59 +08:00; the last second is on time */
    clock_at("2018-02-05T23:59:59+08:00");
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", "j-1", jishou_jan, NV(jishou_jan));
    cr_assert_str_eq(r->status, "on_time");
    cr_assert_eq(r->days_late, 0);
    cr_assert_eq(r->deadline, at("2018-02-05T23:59:59+08:00"));
    cr_assert_eq(r->received_at, at("2018-02-05T23:59:59+08:00"));
    cr_assert_eq(r->version, 1);
    cr_assert_str_eq(r->unit, "jishou");
    cr_assert_str_eq(r->period, "2018-01");
    cr_assert(r->report_id > 0);
    receipt_free(r);
    /* one second later is one day late; 16:00 UTC is midnight in the plan's zone */
    clock_at("2018-02-05T16:00:00Z");
    r = submit_ok(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan));
    cr_assert_str_eq(r->status, "late");
    cr_assert_eq(r->days_late, 1);
    receipt_free(r);
    /* across the month end: 23 days and 1 second -> 24 days */
    clock_at("2018-03-01T00:00:00+08:00");
    r = submit_ok(zhao, "2018-01", NULL, zhujian_jan, NV(zhujian_jan));
    cr_assert_str_eq(r->status, "late");
    cr_assert_eq(r->days_late, 24);
    receipt_free(r);
}

Test(reporting, december_is_due_on_the_fifth_of_january_of_the_next_year)
{
    clock_at("2019-01-05T23:59:59+08:00");
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-12", NULL, jishou_jan, NV(jishou_jan));
    cr_assert_str_eq(r->status, "on_time");
    cr_assert_eq(r->deadline, at("2019-01-05T23:59:59+08:00"));
    receipt_free(r);
    clock_at("2019-01-07T10:00:00+08:00");
    r = submit_ok(wang, "2018-12", NULL, luxi_jan, NV(luxi_jan));
    cr_assert_str_eq(r->status, "late");
    cr_assert_eq(r->days_late, 2);
    receipt_free(r);
    Planwatch__V1__StatusResponse *s = status_of(office, "2018-12", NULL);
    cr_assert_eq(s->deadline, at("2019-01-05T23:59:59+08:00"));
    expect_unit(s, "jishou", "on_time", 0, at("2019-01-05T23:59:59+08:00"));
    expect_unit(s, "luxi", "late", 2, at("2019-01-07T10:00:00+08:00"));
    expect_unit(s, "zhujian", "missing", 0, 0);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(reporting, the_plan_time_zone_and_due_day_decide_the_deadline)
{
    pw_test_sql(&T, "UPDATE plans SET tz_offset_min = 0, due_day = 10");
    clock_at("2018-02-10T23:59:59Z");
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan));
    cr_assert_str_eq(r->status, "on_time");
    cr_assert_eq(r->deadline, at("2018-02-10T23:59:59Z"));
    receipt_free(r);
    /* 2018-02-11T07:59:59+08:00 is still the 10th in UTC; 08:00 is not */
    clock_at("2018-02-11T07:59:59+08:00");
    r = submit_ok(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan));
    cr_assert_str_eq(r->status, "on_time");
    receipt_free(r);
    clock_at("2018-02-11T08:00:00+08:00");
    r = submit_ok(zhao, "2018-01", NULL, zhujian_jan, NV(zhujian_jan));
    cr_assert_str_eq(r->status, "late");
    cr_assert_eq(r->days_late, 1);
    receipt_free(r);
}

Test(reporting, status_lists_every_expected_unit_with_rates_per_category)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    /* before the deadline nobody is missing yet */
    Planwatch__V1__StatusResponse *s = status_of(office, "2018-01", NULL);
    expect_unit(s, "jishou", "on_time", 0, at("2018-02-03T09:00:00+08:00"));
    expect_unit(s, "luxi", "not_due", 0, 0);
    expect_unit(s, "zhujian", "not_due", 0, 0);
    protobuf_c_message_free_unpacked(&s->base, NULL);

    clock_at("2018-02-06T10:00:00+08:00");
    receipt_free(submit_ok(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan)));
    clock_at("2018-02-10T09:00:00+08:00");
    s = status_of(office, "2018-01", NULL);
    cr_assert_str_eq(s->period, "2018-01");
    expect_unit(s, "jishou", "on_time", 0, at("2018-02-03T09:00:00+08:00"));
    expect_unit(s, "luxi", "late", 1, at("2018-02-06T10:00:00+08:00"));
    expect_unit(s, "zhujian", "missing", 0, 0);
    expect_unit(s, "oldzone", "missing", 0, 0);
    expect_unit(s, "newzone", "not_expected", 0, 0); /* active from July */
    cr_assert_str_eq(unit_in(s, "jishou")->review_state, "submitted");
    cr_assert_str_eq(unit_in(s, "jishou")->category, "county");
    const Planwatch__V1__CategoryRate *c = rate_of(s, "county");
    cr_assert_eq(c->expected, 3); /* jishou, luxi, oldzone; not newzone */
    cr_assert_eq(c->received, 2);
    cr_assert_eq(c->on_time, 1);
    cr_assert_float_eq(c->completeness, 2.0 / 3, 1e-9);
    cr_assert_float_eq(c->timeliness, 1.0 / 3, 1e-9);
    const Planwatch__V1__CategoryRate *d = rate_of(s, "department");
    cr_assert_eq(d->expected, 1);
    cr_assert_eq(d->received, 0);
    cr_assert_float_eq(d->completeness, 0, 1e-9);
    protobuf_c_message_free_unpacked(&s->base, NULL);

    /* July: newzone expected, oldzone (until March) not */
    clock_at("2018-08-10T09:00:00+08:00");
    s = status_of(office, "2018-07", NULL);
    expect_unit(s, "newzone", "missing", 0, 0);
    expect_unit(s, "oldzone", "not_expected", 0, 0);
    cr_assert_eq(rate_of(s, "county")->expected, 3);
    protobuf_c_message_free_unpacked(&s->base, NULL);

    /* viewers do not read it (SPEC 3.1); a reporter sees its own unit only */
    ProtobufCMessage *denied = NULL;
    cr_assert_eq(show(viewer, "/planwatch.v1.ReportService/Status", "2018-01", NULL,
                      &planwatch__v1__status_response__descriptor, &denied),
                 PW_PERMISSION_DENIED);
    s = status_of(li, "2018-01", NULL);
    cr_assert_eq(s->n_units, 1);
    cr_assert_str_eq(s->units[0]->unit, "jishou");
    cr_assert_eq(s->n_rates, 0, "no figures of other units");
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

/* ---- idempotent submission ids ----------------------------------------------------- */

Test(reporting, the_same_submission_id_again_returns_the_first_receipt)
{
    clock_at("2018-02-03T09:00:00+08:00");
    Planwatch__V1__Receipt *a = submit_ok(li, "2018-01", "jan-1", jishou_jan, NV(jishou_jan));
    cr_assert_not(a->duplicate);
    long long before = stored();
    clock_at("2018-02-09T09:00:00+08:00"); /* a resend after the deadline stays on time */
    kv other[] = {{"C1", "99", NULL}};
    Planwatch__V1__Receipt *b = submit_ok(li, "2018-01", "jan-1", other, NV(other));
    cr_assert(b->duplicate);
    cr_assert_eq(b->report_id, a->report_id);
    cr_assert_eq(b->version, 1);
    cr_assert_eq(b->received_at, a->received_at);
    cr_assert_str_eq(b->status, "on_time");
    cr_assert_eq(stored(), before, "a resend stored something");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT value FROM report_values WHERE indicator_id='C1'"),
                 10);
    receipt_free(a);
    receipt_free(b);
}

Test(reporting, a_submission_id_of_another_report_is_refused)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", "used-1", jishou_jan, NV(jishou_jan)));
    long long before = stored();
    pw_call_result res;
    /* another unit */
    cr_assert_eq(
        submit_full(wang, "2018-01", "used-1", luxi_jan, NV(luxi_jan), NULL, NULL, NULL, &res),
        PW_ALREADY_EXISTS);
    cr_assert(strstr(res.message, "already used for another report"), "%s", res.message);
    pw_call_result_fini(&res);
    /* the same unit, another month */
    clock_at("2018-03-03T09:00:00+08:00");
    cr_assert_eq(
        submit_full(li, "2018-02", "used-1", jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_ALREADY_EXISTS);
    pw_call_result_fini(&res);
    /* a half-year report */
    clock_at("2018-06-03T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "used-1", "# 上半年", NULL), PW_ALREADY_EXISTS);
    cr_assert_eq(stored(), before);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM halfyear_reports"), 0);
    /* ids are short and plain */
    cr_assert_eq(
        submit_full(li, "2018-02", "no spaces", jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_INVALID_ARGUMENT);
    pw_call_result_fini(&res);
    cr_assert_eq(submit_full(li, "2018-02", "", jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
}

/* ---- amendments, history ------------------------------------------------------------ */

Test(reporting, an_amendment_keeps_every_version_and_the_first_decides_timeliness)
{
    clock_at("2018-02-03T09:00:00+08:00");
    Planwatch__V1__Receipt *a = submit_ok(li, "2018-01", "v1", jishou_jan, NV(jishou_jan));
    clock_at("2018-02-20T09:00:00+08:00"); /* after the deadline */
    kv amended[] = {{"C1", "12", "台账复核"}, {"L1", "55", NULL}, {"M1", "in_progress", NULL}};
    Planwatch__V1__Receipt *b = submit_ok(li, "2018-01", "v2", amended, NV(amended));
    cr_assert_eq(b->report_id, a->report_id);
    cr_assert_eq(b->version, 2);
    cr_assert_str_eq(b->status, "on_time");
    cr_assert_eq(b->first_received_at, at("2018-02-03T09:00:00+08:00"));
    cr_assert_eq(b->received_at, at("2018-02-20T09:00:00+08:00"));
    receipt_free(a);
    receipt_free(b);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM report_versions"), 2);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM report_values"), 6);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT value FROM report_values WHERE version = 1 AND"
                                     " indicator_id = 'C1'"),
                 10);

    Planwatch__V1__ReportShown *s = shown(office, "2018-01", "jishou");
    cr_assert_eq(s->version, 2);
    cr_assert_str_eq(s->status, "on_time");
    cr_assert_str_eq(s->submitted_by, "li");
    cr_assert_eq(s->n_values, 3);
    const Planwatch__V1__ReportValue *v_c1 =
        PW_TEST_GET(Planwatch__V1__ReportValue, indicator, s->values, s->n_values, "C1");
    cr_assert_str_eq(v_c1->value, "12");
    cr_assert_str_eq(v_c1->note, "台账复核");
    cr_assert_str_eq(v_c1->name, "棚户区改造");
    protobuf_c_message_free_unpacked(&s->base, NULL);

    ProtobufCMessage *resp;
    cr_assert_eq(show(office, "/planwatch.v1.ReportService/History", "2018-01", "jishou",
                      &planwatch__v1__history_response__descriptor, &resp),
                 PW_OK);
    Planwatch__V1__HistoryResponse *h = (Planwatch__V1__HistoryResponse *)resp;
    cr_assert_eq(h->n_versions, 2);
    cr_assert_str_eq(h->versions[0]->user, "li");
    cr_assert_str_eq(h->versions[0]->submission_id, "v1");
    cr_assert_eq(h->versions[1]->received_at, at("2018-02-20T09:00:00+08:00"));
    int c1 = 0, m1 = 0;
    for (size_t i = 0; i < h->versions[1]->n_changes; i++) {
        c1 |= strcmp(h->versions[1]->changes[i], "C1: 10 -> 12") == 0;
        m1 |= strcmp(h->versions[1]->changes[i], "M1: not_started -> in_progress") == 0;
        cr_assert_null(strstr(h->versions[1]->changes[i], "L1"), "L1 did not change");
    }
    cr_assert(c1 && m1, "the changes of version 2 are listed");
    protobuf_c_message_free_unpacked(resp, NULL);
}

/* ---- locks ------------------------------------------------------------------------- */

Test(reporting, a_locked_period_refuses_changes_until_unlocked_for_a_unit)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    receipt_free(submit_ok(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan)));
    cr_assert_eq(lock(li, 1, "2018-01", NULL, NULL), PW_PERMISSION_DENIED);
    cr_assert_eq(lock(office, 1, "2018-01", NULL, NULL), PW_OK);
    long long before = stored();
    pw_call_result res;
    cr_assert_eq(
        submit_full(li, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_FAILED_PRECONDITION);
    cr_assert(strstr(res.message, "locked"), "%s", res.message);
    pw_call_result_fini(&res);
    /* a first report is refused too */
    cr_assert_eq(submit_full(zhao, "2018-01", NULL, zhujian_jan, 1, NULL, NULL, NULL, &res),
                 PW_FAILED_PRECONDITION);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    Planwatch__V1__ReportShown *s = shown(li, "2018-01", NULL);
    cr_assert(s->locked);
    protobuf_c_message_free_unpacked(&s->base, NULL);

    /* unlock needs a reason; one unit reopened, the others stay locked */
    cr_assert_eq(lock(office, 0, "2018-01", "jishou", ""), PW_INVALID_ARGUMENT);
    cr_assert_eq(lock(office, 0, "2018-01", "jishou", "补报台账"), PW_OK);
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan));
    cr_assert_eq(r->version, 2);
    receipt_free(r);
    cr_assert_eq(submit_full(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan), NULL, NULL, NULL, &res),
                 PW_FAILED_PRECONDITION);
    pw_call_result_fini(&res);
    /* locking the whole period again replaces the unit's exception */
    cr_assert_eq(lock(office, 1, "2018-01", NULL, "结账"), PW_OK);
    cr_assert_eq(
        submit_full(li, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_FAILED_PRECONDITION);
    pw_call_result_fini(&res);
    /* unlock of every unit */
    cr_assert_eq(lock(office, 0, "2018-01", NULL, "重新开放"), PW_OK);
    receipt_free(submit_ok(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan)));
    /* another month is not affected by the lock of January */
    cr_assert_eq(lock(office, 1, "2018-01", "luxi", "luxi only"), PW_OK);
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    clock_at("2018-03-03T09:00:00+08:00");
    receipt_free(submit_ok(wang, "2018-02", NULL, luxi_jan, NV(luxi_jan)));
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object LIKE 'period/%'"), 5);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object = "
                                     "'period/2018-01/jishou' AND summary LIKE '%补报台账%'"),
                 1);
}

/* Issue 10 item 12: a database error while reading the locks reads as
 * "locked", never as "open" (pw_store_period_locked returned -1 and its
 * callers tested == 1). */
Test(reporting, an_unreadable_lock_table_refuses_the_report)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    pw_test_sql(&T, "ALTER TABLE period_locks RENAME TO period_locks_gone;");
    long long before = stored();
    pw_call_result res;
    int st = submit_full(li, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res);
    cr_assert_eq(st, PW_INTERNAL, "an amendment with unreadable locks: %d %s", st, res.message);
    pw_call_result_fini(&res);
    st = submit_full(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan), NULL, NULL, NULL, &res);
    cr_assert_eq(st, PW_INTERNAL, "a first report with unreadable locks: %d %s", st, res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before, "a report was stored while the locks could not be read");
    ProtobufCMessage *resp = NULL;
    cr_assert_eq(show(li, "/planwatch.v1.ReportService/Show", "2018-01", NULL,
                      &planwatch__v1__report_shown__descriptor, &resp),
                 PW_INTERNAL, "show must not claim the period is open");
    cr_assert_null(resp);
}

/* ---- review ------------------------------------------------------------------------- */

Test(reporting, a_returned_report_shows_the_reason_until_amended)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    const char *ret = "/planwatch.v1.ReportService/ReturnForRevision";
    const char *acc = "/planwatch.v1.ReportService/Accept";
    cr_assert_eq(review(office, ret, "2018-01", "jishou", ""), PW_INVALID_ARGUMENT);
    cr_assert_eq(review(li, ret, "2018-01", "jishou", "x"), PW_PERMISSION_DENIED);
    cr_assert_eq(review(li, acc, "2018-01", "jishou", NULL), PW_PERMISSION_DENIED);
    cr_assert_eq(review(office, acc, "2018-01", "luxi", NULL), PW_NOT_FOUND);
    cr_assert_eq(review(office, ret, "2018-01", "jishou", "C1 与台账不符"), PW_OK);

    clock_at("2018-02-15T09:00:00+08:00"); /* returned stays returned */
    Planwatch__V1__ReportShown *s = shown(li, "2018-01", NULL);
    cr_assert_str_eq(s->state, "returned");
    cr_assert_str_eq(s->review_note, "C1 与台账不符");
    protobuf_c_message_free_unpacked(&s->base, NULL);
    Planwatch__V1__StatusResponse *st = status_of(li, "2018-01", NULL);
    cr_assert_str_eq(unit_in(st, "jishou")->review_state, "returned");
    protobuf_c_message_free_unpacked(&st->base, NULL);

    /* the amendment goes back to the office; the first receipt still decides */
    kv fixed[] = {{"C1", "11", NULL}, {"L1", "55", NULL}, {"M1", "not_started", NULL}};
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", NULL, fixed, NV(fixed));
    cr_assert_str_eq(r->status, "on_time");
    receipt_free(r);
    s = shown(office, "2018-01", "jishou");
    cr_assert_str_eq(s->state, "submitted");
    protobuf_c_message_free_unpacked(&s->base, NULL);
    cr_assert_eq(review(office, acc, "2018-01", "jishou", NULL), PW_OK);
    s = shown(li, "2018-01", NULL);
    cr_assert_str_eq(s->state, "accepted");
    protobuf_c_message_free_unpacked(&s->base, NULL);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object = "
                                     "'report/jishou/2018-01'"),
                 4, "submitted, returned, amended, accepted");
}

/* ---- units active from / to ------------------------------------------------------------ */

Test(reporting, a_unit_reports_only_for_months_it_is_active)
{
    clock_at("2018-04-02T09:00:00+08:00");
    kv v[] = {{"C1", "1", NULL}};
    pw_call_result res;
    long long before = stored();
    cr_assert_eq(submit_full(newz, "2018-03", NULL, v, 1, NULL, NULL, NULL, &res),
                 PW_FAILED_PRECONDITION);
    cr_assert(strstr(res.message, "not active"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    clock_at("2018-07-02T09:00:00+08:00");
    receipt_free(submit_ok(newz, "2018-07", NULL, v, 1));
}

/* ---- validation (SPEC 3.3): field-level, nothing stored ------------------------------------ */

Test(reporting, rejects_an_unknown_indicator)
{
    kv v[] = {{"C1", "10", NULL}, {"XX", "1", NULL}};
    rejected(PW_INVALID_ARGUMENT, "XX", "unknown indicator", v, NV(v));
}

Test(reporting, rejects_an_indicator_not_assigned_to_the_unit)
{
    kv v[] = {{"C1", "10", NULL}, {"D1", "3", NULL}};
    rejected(PW_INVALID_ARGUMENT, "D1", "not assigned to unit jishou", v, NV(v));
    kv x[] = {{"X1", "3", NULL}};
    rejected(PW_INVALID_ARGUMENT, "X1", "not assigned", x, NV(x));
}

Test(reporting, rejects_non_finite_numbers)
{
    static const char *const bad[] = {"abc", "nan", "inf", "-inf", "1e999", "12abc", ""};
    for (size_t i = 0; i < NV(bad); i++) {
        kv v[] = {{"C1", bad[i], NULL}};
        rejected(PW_INVALID_ARGUMENT, "C1", "is not a finite number", v, NV(v));
    }
    kv m[] = {{"L1", "done", NULL}};
    rejected(PW_INVALID_ARGUMENT, "L1", "is not a finite number", m, NV(m));
}

Test(reporting, rejects_percentages_outside_0_to_100)
{
    kv hi[] = {{"L1", "100.5", NULL}};
    rejected(PW_INVALID_ARGUMENT, "L1", "outside 0-100", hi, NV(hi));
    kv lo[] = {{"L1", "-0.1", NULL}};
    rejected(PW_INVALID_ARGUMENT, "L1", "outside 0-100", lo, NV(lo));
    clock_at("2018-03-02T09:00:00+08:00");
    kv edge[] = {{"L1", "100", NULL}};
    receipt_free(submit_ok(li, "2018-02", NULL, edge, NV(edge)));
    kv zero[] = {{"L1", "0", NULL}};
    receipt_free(submit_ok(li, "2018-03", NULL, zero, NV(zero)));
}

Test(reporting, a_cumulative_value_below_last_month_needs_a_note)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    kv down[] = {{"C1", "8", NULL}};
    rejected(PW_INVALID_ARGUMENT, "C1", "below the earlier month's 10", down, NV(down));
    /* explained: a warning in the receipt, and stored */
    kv explained[] = {{"C1", "8", "复核后更正"}};
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-02", NULL, explained, NV(explained));
    int warned = 0;
    for (size_t i = 0; i < r->n_warnings; i++)
        warned |= strcmp(r->warnings[i]->field, "C1") == 0 &&
                  strstr(r->warnings[i]->description, "below the earlier 10") != NULL;
    cr_assert(warned, "the explained decrease is a warning");
    receipt_free(r);
    /* a level indicator may go down; January of the next year starts afresh */
    kv level[] = {{"L1", "40", NULL}};
    receipt_free(submit_ok(li, "2018-03", NULL, level, NV(level)));
    clock_at("2019-02-03T09:00:00+08:00");
    kv jan[] = {{"C1", "1", NULL}};
    receipt_free(submit_ok(li, "2019-01", NULL, jan, NV(jan)));
}

Test(reporting, rejects_a_period_that_has_not_started_in_the_plan_time_zone)
{
    /* 2018-02-28T23:59:59+08:00: March has not begun */
    clock_at("2018-02-28T23:59:59+08:00");
    long long before = stored();
    kv v[] = {{"C1", "10", NULL}};
    pw_call_result res;
    cr_assert_eq(submit_full(li, "2018-03", NULL, v, 1, NULL, NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert(strstr(res.message, "period 2018-03 is in the future"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    /* 16:00 UTC on the 28th is March 1st in +08:00 */
    clock_at("2018-02-28T16:00:00Z");
    receipt_free(submit_ok(li, "2018-03", NULL, v, 1));
}

Test(reporting, rejects_a_period_outside_the_plan)
{
    clock_at("2020-03-02T09:00:00+08:00");
    long long before = stored();
    kv v[] = {{"C1", "10", NULL}};
    pw_call_result res;
    cr_assert_eq(submit_full(li, "2020-01", NULL, v, 1, NULL, NULL, NULL, &res), PW_OUT_OF_RANGE);
    cr_assert(strstr(res.message, "outside plan p (2018-2019)"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(submit_full(li, "2017-12", NULL, v, 1, NULL, NULL, NULL, &res), PW_OUT_OF_RANGE);
    pw_call_result_fini(&res);
    cr_assert_eq(submit_full(li, "2018-13", NULL, v, 1, NULL, NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
}

Test(reporting, rejects_oversize_and_invalid_text)
{
    size_t n = 64 * 1024 + 1; /* the default max-text-bytes is 64 KiB */
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    clock_at("2018-03-02T09:00:00+08:00");
    long long before = stored();
    kv v[] = {{"C1", "10", NULL}};
    pw_call_result res;
    cr_assert_eq(submit_full(li, "2018-02", NULL, v, 1, big, NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert(violation_of(&res, "progress"));
    cr_assert(strstr(violation_of(&res, "progress"), "65537 bytes"));
    pw_call_result_fini(&res);
    free(big);
    cr_assert_eq(stored(), before);
    kv badutf[] = {{"C1", "10", "\xe5\x90"}};
    rejected(PW_INVALID_ARGUMENT, "C1", "not valid UTF-8", badutf, NV(badutf));
}

/* Issue 10 item 9: C0 controls other than tab and newline (and DEL, C1)
 * are refused in every free-text field, with INVALID_ARGUMENT naming the
 * field; nothing is stored. */
Test(reporting, refuses_control_characters_in_free_text)
{
    kv esc_note[] = {{"C1", "10", "\x1b[2J\x1b]0;pwned\x07"}};
    rejected(PW_INVALID_ARGUMENT, "C1", "U+001B", esc_note, NV(esc_note));
    kv c1_note[] = {{"C1", "10",
                     "csi \xc2\x9b"
                     "31m"}};
    rejected(PW_INVALID_ARGUMENT, "C1", "U+009B", c1_note, NV(c1_note));
    kv ok[] = {{"C1", "10", NULL}};
    long long before = stored();
    pw_call_result res;
    cr_assert_eq(submit_full(li, "2018-02", NULL, ok, 1, "line\x1b[31m red", NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert(violation_of(&res, "progress"), "%s", res.message);
    cr_assert(strstr(violation_of(&res, "progress"), "U+001B"));
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    /* tab and newline are text */
    cr_assert_eq(submit_full(li, "2018-02", NULL, ok, 1, "一、进展\n\t完成", NULL, NULL, &res),
                 PW_OK, "%s", res.message);
    pw_call_result_fini(&res);
    /* the office's reason, a half-year body, a supervision answer */
    cr_assert_eq(review(office, "/planwatch.v1.ReportService/ReturnForRevision", "2018-02",
                        "jishou", "fix\x1b[8m"),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(lock(office, 1, "2018-02", NULL, "\x1b[2J"), PW_INVALID_ARGUMENT);
    clock_at("2018-07-02T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "hy-esc", "自查\x1b[2J", NULL), PW_INVALID_ARGUMENT);
    pw_test_sql(&T, "INSERT INTO supervision_items(unit_id, text, deadline, opened_by, opened_at)"
                    " VALUES ('jishou', '整改', '2018-08-31', 'office', 0);");
    Planwatch__V1__AnswerSupervisionRequest an = PLANWATCH__V1__ANSWER_SUPERVISION_REQUEST__INIT;
    an.id = pw_test_sql_int(&T, "SELECT max(id) FROM supervision_items");
    an.text = "done\x1b[2J";
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Answer", &an.base),
                 PW_INVALID_ARGUMENT);
    Planwatch__V1__OpenSupervisionRequest op = PLANWATCH__V1__OPEN_SUPERVISION_REQUEST__INIT;
    op.unit = "jishou";
    op.deadline = "2018-08-31";
    op.text = "bell\x07";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.SuperviseService/Open", &op.base),
                 PW_INVALID_ARGUMENT);
    Planwatch__V1__UnitInfo u = pw_test_unit_info("evil", "区\x1b[2J", "county");
    cr_assert_eq(
        pw_test_call_status(&T, T.admin_token, "/planwatch.v1.AdminService/AddUnit", &u.base),
        PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM units WHERE id = 'evil'"), 0);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM supervision_answers"), 0);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM halfyear_reports"), 0);
}

/* Servers with small limits: no fixture, each test starts its own. */
TestSuite(reporting_limits, .fini = teardown, .timeout = 60);

Test(reporting_limits, rejects_an_oversize_note)
{
    start("max-text-bytes", "100");
    char note[102];
    memset(note, 'y', sizeof note - 1);
    note[sizeof note - 1] = '\0';
    kv v[] = {{"C1", "10", note}};
    rejected(PW_INVALID_ARGUMENT, "C1", "101 bytes, more than the 100 allowed", v, NV(v));
}

Test(reporting_limits, rejects_too_many_values)
{
    start("max-values-per-report", "2");
    rejected(PW_INVALID_ARGUMENT, NULL, "3 values, more than the 2 allowed", jishou_jan,
             NV(jishou_jan));
}

/* ---- caps and bounded replies (issue 10 item 3) --------------------------------- */

/* With the shipped defaults: a report takes 50 versions, the 51st is
 * RESOURCE_EXHAUSTED and stores nothing; a resend of a stored id still gets
 * its receipt, and the unit's other months are not affected. */
Test(reporting, a_report_takes_at_most_50_versions_by_default)
{
    clock_at("2018-02-03T09:00:00+08:00");
    for (int i = 0; i < 50; i++)
        receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    long long before = stored();
    pw_call_result res;
    int st = submit_full(li, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res);
    cr_assert_eq(st, PW_RESOURCE_EXHAUSTED, "51st version: %d %s", st, res.message);
    cr_assert(strstr(res.message, "max-report-versions"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    char sid[32];
    snprintf(sid, sizeof sid, "sid-%d", sid_counter - 1); /* the 50th */
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", sid, jishou_jan, NV(jishou_jan));
    cr_assert(r->duplicate);
    cr_assert_eq(r->version, 50);
    receipt_free(r);
    clock_at("2018-03-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-02", NULL, jishou_jan, NV(jishou_jan)));
    /* half-year reports have the same cap */
    pw_test_sql(&T,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
                " INSERT INTO halfyear_reports(plan_id, unit_id, period, version, submission_id,"
                " user_name, received_at, deadline, body) SELECT 'p', 'jishou', '2018-H1', i,"
                " 'h' || i, 'li', 0, 1, 'x' FROM n;");
    clock_at("2018-07-02T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "hy-51", "第51版", NULL), PW_RESOURCE_EXHAUSTED);
}

static char *text_of(size_t n, char ch)
{
    char *t = malloc(n + 1);
    memset(t, ch, n);
    t[n] = '\0';
    return t;
}

Test(reporting_limits, caps_the_bytes_of_a_report)
{
    start("max-report-bytes", "8192");
    char *big = text_of(3000, 'p');
    clock_at("2018-02-03T09:00:00+08:00");
    kv v[] = {{"C1", "10", NULL}};
    pw_call_result res;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(submit_full(li, "2018-01", NULL, v, 1, big, NULL, NULL, &res), PW_OK, "%s",
                     res.message);
        pw_call_result_fini(&res);
    }
    long long before = stored();
    cr_assert_eq(submit_full(li, "2018-01", NULL, v, 1, big, NULL, NULL, &res),
                 PW_RESOURCE_EXHAUSTED);
    cr_assert(strstr(res.message, "max-report-bytes"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    /* the stored count is the bytes of the texts and values */
    cr_assert_eq(pw_test_sql_int(&T, "SELECT bytes FROM reports"),
                 2 * (3000 + (long long)strlen("sid-1") + (long long)strlen("li") + 2 + 8));
    free(big);
}

Test(reporting_limits, caps_the_bytes_of_a_unit)
{
    start("max-unit-bytes", "8192");
    char *big = text_of(3000, 'u');
    kv v[] = {{"C1", "10", NULL}};
    pw_call_result res;
    clock_at("2018-04-03T09:00:00+08:00");
    cr_assert_eq(submit_full(li, "2018-01", NULL, v, 1, big, NULL, NULL, &res), PW_OK);
    pw_call_result_fini(&res);
    cr_assert_eq(submit_full(li, "2018-02", NULL, v, 1, big, NULL, NULL, &res), PW_OK);
    pw_call_result_fini(&res);
    long long before = stored();
    cr_assert_eq(submit_full(li, "2018-03", NULL, v, 1, big, NULL, NULL, &res),
                 PW_RESOURCE_EXHAUSTED);
    cr_assert(strstr(res.message, "max-unit-bytes"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    clock_at("2018-07-02T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "hy-big", big, NULL), PW_RESOURCE_EXHAUSTED);
    /* another unit has its own budget */
    cr_assert_eq(submit_full(wang, "2018-03", NULL, v, 1, big, NULL, NULL, &res), PW_OK, "%s",
                 res.message);
    pw_call_result_fini(&res);
    free(big);
}

Test(reporting_limits, caps_the_answers_of_a_supervision_item)
{
    start("max-report-versions", "2");
    pw_test_sql(&T, "INSERT INTO supervision_items(unit_id, text, deadline, opened_by, opened_at)"
                    " VALUES ('jishou', '整改', '2018-08-31', 'office', 0);");
    Planwatch__V1__AnswerSupervisionRequest an = PLANWATCH__V1__ANSWER_SUPERVISION_REQUEST__INIT;
    an.id = pw_test_sql_int(&T, "SELECT max(id) FROM supervision_items");
    an.text = "已整改";
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Answer", &an.base),
                     PW_OK);
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Answer", &an.base),
                 PW_RESOURCE_EXHAUSTED);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM supervision_answers"), 2);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT bytes FROM unit_usage WHERE unit_id = 'jishou'"),
                 2 * ((long long)strlen("已整改") + 2));
}

static Planwatch__V1__HistoryResponse *history_page(const char *period, int size, const char *token,
                                                    int *status)
{
    Planwatch__V1__ReportRequest r = PLANWATCH__V1__REPORT_REQUEST__INIT;
    r.period = (char *)period;
    r.unit = "jishou";
    r.page_size = size;
    r.page_token = (char *)(token ? token : "");
    ProtobufCMessage *resp = NULL;
    *status = pw_test_call_resp(&T, office, "/planwatch.v1.ReportService/History", &r.base,
                                &planwatch__v1__history_response__descriptor, &resp);
    return (Planwatch__V1__HistoryResponse *)resp;
}

Test(reporting_limits, history_comes_in_bounded_pages)
{
    start("max-reply-bytes", "65536");
    clock_at("2018-02-03T09:00:00+08:00");
    pw_call_result res;
    for (int i = 0; i < 7; i++) {
        char *t = text_of(20000, (char)('a' + i));
        char val[8];
        snprintf(val, sizeof val, "%d", 10 + i);
        kv v[] = {{"C1", val, NULL}};
        cr_assert_eq(submit_full(li, "2018-01", NULL, v, 1, t, NULL, NULL, &res), PW_OK);
        pw_call_result_fini(&res);
        free(t);
    }
    /* page_size 2: pages of 2, 2, 2, 1 versions, in order, with the changes
     * against the version before the page */
    int st, seen = 0, pages = 0;
    char token[32] = "";
    do {
        Planwatch__V1__HistoryResponse *h = history_page("2018-01", 2, token, &st);
        cr_assert_eq(st, PW_OK);
        cr_assert_eq(h->total_versions, 7);
        cr_assert_leq(h->n_versions, 2);
        for (size_t i = 0; i < h->n_versions; i++) {
            cr_assert_eq(h->versions[i]->version, ++seen);
            if (seen > 1) {
                char want[32];
                snprintf(want, sizeof want, "C1: %d -> %d", 10 + seen - 2, 10 + seen - 1);
                cr_assert_str_eq(h->versions[i]->changes[0], want, "version %d", seen);
            }
        }
        snprintf(token, sizeof token, "%s", h->next_page_token);
        protobuf_c_message_free_unpacked(&h->base, NULL);
        pages++;
    } while (token[0]);
    cr_assert_eq(seen, 7);
    cr_assert_eq(pages, 4);
    /* the default page stops at max-reply-bytes: 20 kB texts, 64 kB budget */
    Planwatch__V1__HistoryResponse *h = history_page("2018-01", 0, NULL, &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_eq(h->n_versions, 3, "%zu versions in a 64 kB page", h->n_versions);
    cr_assert_str_eq(h->next_page_token, "4");
    cr_assert_lt(protobuf_c_message_get_packed_size(&h->base), 65536 + 4096);
    protobuf_c_message_free_unpacked(&h->base, NULL);
    /* a token that is not a page of this history */
    cr_assert_null(history_page("2018-01", 2, "99", &st));
    cr_assert_eq(st, PW_INVALID_ARGUMENT);
    cr_assert_null(history_page("2018-01", 2, "x", &st));
    cr_assert_eq(st, PW_INVALID_ARGUMENT);
    cr_assert_null(history_page("2018-01", -1, NULL, &st));
    cr_assert_eq(st, PW_INVALID_ARGUMENT);
}

Test(reporting_limits, half_year_history_stays_within_the_reply_budget)
{
    start("max-reply-bytes", "65536");
    char *body = text_of(30000, 'h');
    clock_at("2018-07-02T09:00:00+08:00");
    for (int i = 0; i < 5; i++) {
        char sid[16];
        snprintf(sid, sizeof sid, "hy-%d", i);
        cr_assert_eq(halfyear(li, "2018-H1", sid, body, NULL), PW_OK);
    }
    Planwatch__V1__ReportRequest r = PLANWATCH__V1__REPORT_REQUEST__INIT;
    r.period = "2018-H1";
    r.unit = "jishou";
    ProtobufCMessage *resp =
        pw_test_call_ok(&T, office, "/planwatch.v1.HalfYearService/History", &r.base,
                        &planwatch__v1__half_year_history_response__descriptor);
    Planwatch__V1__HalfYearHistoryResponse *h = (Planwatch__V1__HalfYearHistoryResponse *)resp;
    cr_assert_eq(h->n_versions, 5, "every version is listed");
    int with_body = 0;
    for (size_t i = 0; i < h->n_versions; i++) {
        cr_assert_eq(h->versions[i]->bytes, 30000);
        with_body += !h->versions[i]->body_omitted;
        cr_assert_eq(h->versions[i]->body_omitted, h->versions[i]->body[0] == '\0');
    }
    cr_assert_eq(with_body, 2, "two 30 kB bodies fit in 64 kB, not %d", with_body);
    cr_assert(!h->versions[4]->body_omitted, "the newest body is always sent");
    cr_assert_lt(protobuf_c_message_get_packed_size(resp), 65536 + 4096);
    protobuf_c_message_free_unpacked(resp, NULL);
    free(body);
}

Test(reporting, rejects_a_milestone_outside_the_three_states)
{
    static const char *const bad[] = {"halfway", "1", "DONE", ""};
    for (size_t i = 0; i < NV(bad); i++) {
        kv v[] = {{"M1", bad[i], NULL}};
        rejected(PW_INVALID_ARGUMENT, "M1", "is not one of not_started, in_progress, done", v,
                 NV(v));
    }
}

Test(reporting, rejects_duplicate_indicator_rows)
{
    kv v[] = {{"C1", "10", NULL}, {"L1", "50", NULL}, {"C1", "11", NULL}};
    rejected(PW_INVALID_ARGUMENT, "C1", "given more than once", v, NV(v));
}

Test(reporting, rejects_an_empty_report)
{
    rejected(PW_INVALID_ARGUMENT, NULL, "the report has no values", NULL, 0);
}

Test(reporting, lists_every_problem_of_a_rejected_report)
{
    kv v[] = {{"C1", "abc", NULL}, {"L1", "101", NULL}, {"M1", "maybe", NULL}, {"ZZ", "1", NULL}};
    clock_at("2018-03-02T09:00:00+08:00");
    pw_call_result res;
    cr_assert_eq(submit_full(li, "2018-02", NULL, v, NV(v), NULL, NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(res.nviolations, 4);
    cr_assert(strstr(res.message, "4 problems, nothing stored"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), 0);
}

Test(reporting, a_report_full_of_errors_gets_a_bounded_reply)
{
    enum { N = 300 };
    static char ids[N][80];
    kv v[N];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "unknown-indicator-with-a-long-name-%03d-%040d", i, 0);
        v[i] = (kv){ids[i], "1", NULL};
    }
    clock_at("2018-03-02T09:00:00+08:00");
    pw_call_result res;
    cr_assert_eq(submit_full(li, "2018-02", NULL, v, N, NULL, NULL, NULL, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(res.nviolations, 101);
    cr_assert_str_eq(res.fields[100], "...");
    cr_assert_str_eq(res.descriptions[100], "200 more problems not listed");
    cr_assert(strlen(res.fields[0]) < 80 && strstr(res.fields[0], "..."), "%s", res.fields[0]);
    cr_assert(strstr(res.message, "300 problems"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), 0);
}

Test(reporting, a_partial_report_is_accepted_with_a_warning)
{
    /* missing values are allowed (a unit may not have a figure yet); the
     * receipt says how many of its indicators have none */
    clock_at("2018-02-03T09:00:00+08:00");
    kv v[] = {{"C1", "10", NULL}};
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", NULL, v, NV(v));
    cr_assert_eq(r->n_warnings, 1);
    cr_assert_str_eq(r->warnings[0]->field, "values");
    cr_assert(strstr(r->warnings[0]->description, "2 of the unit's 3 indicators have no value"),
              "%s", r->warnings[0]->description);
    receipt_free(r);
}

/* ---- the unit boundary ----------------------------------------------------------------- */

Test(reporting, a_reporter_acts_on_its_own_unit_only)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    long long before = stored();
    pw_call_result res;
    cr_assert_eq(
        submit_full(wang, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, "jishou", NULL, &res),
        PW_PERMISSION_DENIED);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), before);
    /* naming its own unit is fine */
    Planwatch__V1__Receipt *r = NULL;
    cr_assert_eq(submit_full(wang, "2018-01", NULL, luxi_jan, NV(luxi_jan), NULL, "luxi", &r, &res),
                 PW_OK);
    cr_assert_str_eq(r->unit, "luxi");
    receipt_free(r);
    pw_call_result_fini(&res);

    ProtobufCMessage *resp = NULL;
    cr_assert_eq(show(wang, "/planwatch.v1.ReportService/Show", "2018-01", "jishou",
                      &planwatch__v1__report_shown__descriptor, &resp),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(show(wang, "/planwatch.v1.ReportService/History", "2018-01", "jishou",
                      &planwatch__v1__history_response__descriptor, &resp),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(show(wang, "/planwatch.v1.ReportService/Template", "2018-01", "jishou",
                      &planwatch__v1__template_response__descriptor, &resp),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(show(wang, "/planwatch.v1.ReportService/Status", "2018-01", "jishou",
                      &planwatch__v1__status_response__descriptor, &resp),
                 PW_PERMISSION_DENIED);
    /* the office and the unit itself read it; viewers do not (SPEC 3.1) */
    cr_assert_eq(show(viewer, "/planwatch.v1.ReportService/Show", "2018-01", "jishou",
                      &planwatch__v1__report_shown__descriptor, &resp),
                 PW_PERMISSION_DENIED);
    Planwatch__V1__ReportShown *s = shown(office, "2018-01", "jishou");
    protobuf_c_message_free_unpacked(&s->base, NULL);
    s = shown(li, "2018-01", NULL);
    cr_assert_str_eq(s->unit, "jishou");
    cr_assert_str_eq(s->unit_name, "吉首市");
    protobuf_c_message_free_unpacked(&s->base, NULL);
    /* only reporters submit */
    cr_assert_eq(submit_full(office, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, "jishou",
                             NULL, &res),
                 PW_PERMISSION_DENIED);
    pw_call_result_fini(&res);
    cr_assert_eq(submit_full(viewer, "2018-01", NULL, jishou_jan, NV(jishou_jan), NULL, "jishou",
                             NULL, &res),
                 PW_PERMISSION_DENIED);
    pw_call_result_fini(&res);
}

/* Issue 10 item 2, SPEC 3.1: a viewer reads published summaries and
 * rankings and nothing else -- not a unit's report, its history, the status
 * list, a half-year report or the supervision list, for any unit. */
Test(reporting, a_viewer_reads_no_unit_data)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    clock_at("2018-07-02T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "hy-1", "半年自查", NULL), PW_OK);
    pw_test_sql(&T, "INSERT INTO supervision_items(unit_id, text, deadline, opened_by, opened_at)"
                    " VALUES ('jishou', '整改', '2018-08-31', 'office', 0);");
    static const struct {
        const char *method, *period;
        const ProtobufCMessageDescriptor *desc;
    } calls[] = {
        {"/planwatch.v1.ReportService/Show", "2018-01", &planwatch__v1__report_shown__descriptor},
        {"/planwatch.v1.ReportService/History", "2018-01",
         &planwatch__v1__history_response__descriptor},
        {"/planwatch.v1.ReportService/Status", "2018-01",
         &planwatch__v1__status_response__descriptor},
        {"/planwatch.v1.HalfYearService/History", "2018-H1",
         &planwatch__v1__half_year_history_response__descriptor},
    };
    for (size_t i = 0; i < NV(calls); i++) {
        ProtobufCMessage *resp = NULL;
        /* the office reads it: the data is there */
        cr_assert_eq(show(office, calls[i].method, calls[i].period, "jishou", calls[i].desc, &resp),
                     PW_OK, "%s as office", calls[i].method);
        protobuf_c_message_free_unpacked(resp, NULL);
        resp = NULL;
        cr_assert_eq(show(viewer, calls[i].method, calls[i].period, "jishou", calls[i].desc, &resp),
                     PW_PERMISSION_DENIED, "%s as viewer", calls[i].method);
        cr_assert_null(resp);
    }
    Planwatch__V1__ListSupervisionRequest ls = PLANWATCH__V1__LIST_SUPERVISION_REQUEST__INIT;
    ls.unit = "jishou";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.SuperviseService/List", &ls.base),
                 PW_OK);
    cr_assert_eq(pw_test_call_status(&T, viewer, "/planwatch.v1.SuperviseService/List", &ls.base),
                 PW_PERMISSION_DENIED);
    ls.unit = "";
    cr_assert_eq(pw_test_call_status(&T, viewer, "/planwatch.v1.SuperviseService/List", &ls.base),
                 PW_PERMISSION_DENIED);
}

/* ---- template -------------------------------------------------------------------------- */

Test(reporting, the_template_lists_the_unit_indicators_with_targets_and_last_values)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    ProtobufCMessage *resp = NULL;
    cr_assert_eq(show(li, "/planwatch.v1.ReportService/Template", "2018-02", NULL,
                      &planwatch__v1__template_response__descriptor, &resp),
                 PW_OK);
    Planwatch__V1__TemplateResponse *t = (Planwatch__V1__TemplateResponse *)resp;
    cr_assert_str_eq(t->unit, "jishou");
    cr_assert_eq(t->deadline, at("2018-03-05T23:59:59+08:00"));
    cr_assert_eq(t->n_rows, 3);
    static const char *const ids[] = {"C1", "L1", "M1"};
    static const double targets[] = {100, 60, 1};
    static const char *const prev[] = {"10", "55", "not_started"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_str_eq(t->rows[i]->indicator, ids[i]);
        cr_assert_float_eq(t->rows[i]->target, targets[i], 1e-9);
        cr_assert(t->rows[i]->has_previous);
        cr_assert_str_eq(t->rows[i]->previous, prev[i]);
    }
    cr_assert_str_eq(t->rows[1]->uom, "%");
    cr_assert_str_eq(t->rows[2]->kind, "milestone");
    protobuf_c_message_free_unpacked(resp, NULL);
    /* the department leads D1 with the plan-wide target; January has no last month */
    cr_assert_eq(show(zhao, "/planwatch.v1.ReportService/Template", "2018-01", NULL,
                      &planwatch__v1__template_response__descriptor, &resp),
                 PW_OK);
    t = (Planwatch__V1__TemplateResponse *)resp;
    cr_assert_eq(t->n_rows, 1);
    cr_assert_str_eq(t->rows[0]->indicator, "D1");
    cr_assert_float_eq(t->rows[0]->target, 20, 1e-9);
    cr_assert_not(t->rows[0]->has_previous);
    protobuf_c_message_free_unpacked(resp, NULL);
    /* the office names the unit */
    cr_assert_eq(show(office, "/planwatch.v1.ReportService/Template", "2018-01", NULL,
                      &planwatch__v1__template_response__descriptor, &resp),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(show(office, "/planwatch.v1.ReportService/Template", "2018-01", "luxi",
                      &planwatch__v1__template_response__descriptor, &resp),
                 PW_OK);
    protobuf_c_message_free_unpacked(resp, NULL);
}

/* ---- half-year reports ------------------------------------------------------------------ */

Test(reporting, half_year_reports_are_due_at_the_end_of_june_and_december)
{
    Planwatch__V1__Receipt *r = NULL;
    clock_at("2018-05-02T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H2", "h-0", "# 下半年", NULL), PW_INVALID_ARGUMENT,
                 "H2 has not begun");
    cr_assert_eq(halfyear(li, "2018-H1", "h-e", "", NULL), PW_INVALID_ARGUMENT);
    clock_at("2018-06-30T23:59:59+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "h-1", "# 上半年督查报告", &r), PW_OK);
    cr_assert_str_eq(r->status, "on_time");
    cr_assert_eq(r->deadline, at("2018-06-30T23:59:59+08:00"));
    cr_assert_eq(r->version, 1);
    receipt_free(r);
    clock_at("2018-07-01T00:00:00+08:00");
    cr_assert_eq(halfyear(wang, "2018-H1", "h-2", "# 泸溪", &r), PW_OK);
    cr_assert_str_eq(r->status, "late");
    cr_assert_eq(r->days_late, 1);
    receipt_free(r);
    /* an amendment: version 2, still on time; the same id again: the first receipt */
    clock_at("2018-07-03T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "h-3", "# 上半年督查报告（修订）", &r), PW_OK);
    cr_assert_eq(r->version, 2);
    cr_assert_str_eq(r->status, "on_time");
    receipt_free(r);
    cr_assert_eq(halfyear(li, "2018-H1", "h-1", "# again", &r), PW_OK);
    cr_assert(r->duplicate);
    cr_assert_eq(r->version, 1);
    cr_assert_eq(r->received_at, at("2018-06-30T23:59:59+08:00"));
    receipt_free(r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM halfyear_reports"), 3);
    /* the same id for the other half or another unit is refused */
    clock_at("2018-12-03T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H2", "h-1", "# 下半年", NULL), PW_ALREADY_EXISTS);
    cr_assert_eq(halfyear(wang, "2018-H1", "h-1", "# 泸溪", NULL), PW_ALREADY_EXISTS);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM halfyear_reports"), 3);

    ProtobufCMessage *resp = NULL;
    cr_assert_eq(show(office, "/planwatch.v1.HalfYearService/History", "2018-H1", "jishou",
                      &planwatch__v1__half_year_history_response__descriptor, &resp),
                 PW_OK);
    Planwatch__V1__HalfYearHistoryResponse *h = (Planwatch__V1__HalfYearHistoryResponse *)resp;
    cr_assert_eq(h->n_versions, 2);
    cr_assert_str_eq(h->status, "on_time");
    cr_assert_str_eq(h->versions[1]->body, "# 上半年督查报告（修订）");
    protobuf_c_message_free_unpacked(resp, NULL);
    cr_assert_eq(show(wang, "/planwatch.v1.HalfYearService/History", "2018-H1", "jishou",
                      &planwatch__v1__half_year_history_response__descriptor, &resp),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object LIKE 'halfyear/%'"),
                 3);
}

/* ---- audit -------------------------------------------------------------------------- */

static Planwatch__V1__AuditResponse *audit(const char *tok, int64_t since, int expect)
{
    Planwatch__V1__AuditRequest r = PLANWATCH__V1__AUDIT_REQUEST__INIT;
    r.since = since;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, tok, "/planwatch.v1.AuditService/List", &r.base,
                          &planwatch__v1__audit_response__descriptor, &resp, &res);
    pw_call_result_fini(&res);
    cr_assert_eq(st, expect);
    return (Planwatch__V1__AuditResponse *)resp;
}

static int audit_has(const Planwatch__V1__AuditResponse *a, const char *method, const char *object,
                     const char *summary)
{
    for (size_t i = 0; i < a->n_entries; i++)
        if (strstr(a->entries[i]->method, method) && strcmp(a->entries[i]->object, object) == 0 &&
            strstr(a->entries[i]->summary, summary))
            return 1;
    return 0;
}

Test(reporting, every_state_change_is_in_the_audit_trail)
{
    clock_at("2018-02-03T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan)));
    clock_at("2018-02-10T09:00:00+08:00");
    cr_assert_eq(review(office, "/planwatch.v1.ReportService/ReturnForRevision", "2018-01",
                        "jishou", "请核实"),
                 PW_OK);
    cr_assert_eq(review(office, "/planwatch.v1.ReportService/Accept", "2018-01", "jishou", NULL),
                 PW_OK);
    cr_assert_eq(lock(office, 1, "2018-01", NULL, NULL), PW_OK);
    cr_assert_eq(lock(office, 0, "2018-01", "jishou", "补报"), PW_OK);
    clock_at("2018-06-10T09:00:00+08:00");
    cr_assert_eq(halfyear(li, "2018-H1", "h-1", "# H1", NULL), PW_OK);

    Planwatch__V1__AuditResponse *a = audit(office, 0, PW_OK);
    cr_assert(audit_has(a, "ReportService/Submit", "report/jishou/2018-01", "submitted version 1"));
    cr_assert(audit_has(a, "ReportService/Submit", "report/jishou/2018-01", "amended version 2"));
    cr_assert(audit_has(a, "ReturnForRevision", "report/jishou/2018-01", "returned: 请核实"));
    cr_assert(audit_has(a, "Accept", "report/jishou/2018-01", "accepted"));
    cr_assert(
        audit_has(a, "PeriodService/Lock", "period/2018-01", "locked 2018-01 for every unit"));
    cr_assert(audit_has(a, "PeriodService/Unlock", "period/2018-01/jishou", "补报"));
    cr_assert(audit_has(a, "HalfYearService/Submit", "halfyear/jishou/2018-H1", "version 1"));
    for (size_t i = 0; i < a->n_entries; i++)
        if (strcmp(a->entries[i]->object, "report/jishou/2018-01") == 0 &&
            strstr(a->entries[i]->method, "Submit")) {
            cr_assert_str_eq(a->entries[i]->user, "li");
            cr_assert_str_eq(a->entries[i]->unit, "jishou");
            cr_assert_eq(a->entries[i]->at, at("2018-02-03T09:00:00+08:00"));
        }
    protobuf_c_message_free_unpacked(&a->base, NULL);
    /* --since: only what happened from then on */
    a = audit(office, at("2018-06-01T00:00:00+08:00"), PW_OK);
    cr_assert_eq(a->n_entries, 1);
    protobuf_c_message_free_unpacked(&a->base, NULL);
    /* admins read it too; reporters and viewers do not */
    a = audit(T.admin_token, 0, PW_OK);
    protobuf_c_message_free_unpacked(&a->base, NULL);
    audit(li, 0, PW_PERMISSION_DENIED);
    audit(viewer, 0, PW_PERMISSION_DENIED);
}

/* ---- quarterly plans ---------------------------------------------------------------- */

Test(reporting, a_quarterly_plan_takes_one_report_per_quarter)
{
    pw_test_sql(&T, "UPDATE plans SET cadence = 'quarterly'");
    clock_at("2018-02-10T09:00:00+08:00");
    pw_call_result res;
    cr_assert_eq(
        submit_full(li, "2018-02", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_INVALID_ARGUMENT);
    cr_assert(strstr(res.message, "reports quarterly: give --period 2018-Q1 (or its last month "
                                  "2018-03)"),
              "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), 0);
    /* the quarter has begun: a report for it is accepted, stored under March */
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-Q1", NULL, jishou_jan, NV(jishou_jan));
    cr_assert_str_eq(r->period, "2018-03");
    cr_assert_eq(r->deadline, at("2018-04-05T23:59:59+08:00"));
    cr_assert_str_eq(r->status, "on_time");
    receipt_free(r);
    /* Q2 has not */
    cr_assert_eq(
        submit_full(li, "2018-Q2", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_INVALID_ARGUMENT);
    cr_assert(strstr(res.message, "in the future"), "%s", res.message);
    pw_call_result_fini(&res);
    /* 2018-03 is the same report as 2018-Q1 */
    clock_at("2018-04-07T00:00:00+08:00");
    r = submit_ok(li, "2018-03", NULL, jishou_jan, NV(jishou_jan));
    cr_assert_eq(r->version, 2);
    receipt_free(r);
    r = submit_ok(wang, "2018-Q1", NULL, luxi_jan, NV(luxi_jan));
    cr_assert_str_eq(r->status, "late");
    cr_assert_eq(r->days_late, 2);
    receipt_free(r);
    Planwatch__V1__StatusResponse *s = status_of(office, "2018-Q1", NULL);
    cr_assert_str_eq(s->period, "2018-03");
    expect_unit(s, "jishou", "on_time", 0, at("2018-02-10T09:00:00+08:00"));
    expect_unit(s, "luxi", "late", 2, at("2018-04-07T00:00:00+08:00"));
    expect_unit(s, "zhujian", "missing", 0, 0);
    expect_unit(s, "oldzone", "missing", 0, 0); /* active in the quarter */
    expect_unit(s, "newzone", "not_expected", 0, 0);
    protobuf_c_message_free_unpacked(&s->base, NULL);
    /* locks and reviews speak quarters too */
    cr_assert_eq(lock(office, 1, "2018-Q1", NULL, NULL), PW_OK);
    cr_assert_eq(
        submit_full(li, "2018-Q1", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_FAILED_PRECONDITION);
    pw_call_result_fini(&res);
    cr_assert_eq(review(office, "/planwatch.v1.ReportService/Accept", "2018-Q1", "jishou", NULL),
                 PW_OK);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM reports WHERE period = '2018-03'"), 2);
}

Test(reporting, a_monthly_plan_refuses_quarters)
{
    clock_at("2018-04-10T09:00:00+08:00");
    pw_call_result res;
    cr_assert_eq(
        submit_full(li, "2018-Q1", NULL, jishou_jan, NV(jishou_jan), NULL, NULL, NULL, &res),
        PW_INVALID_ARGUMENT);
    cr_assert(strstr(res.message, "reports monthly"), "%s", res.message);
    pw_call_result_fini(&res);
    cr_assert_eq(stored(), 0);
}

/* ---- values as people type them (SPEC 4.3) ------------------------------------------- */

/* The value of `id` in the latest stored version, times 1000, rounded. */
static long long stored_milli(const char *id)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT CAST(round(value * 1000) AS INTEGER) FROM report_values WHERE indicator_id = "
             "'%s' ORDER BY report_id DESC, version DESC LIMIT 1",
             id);
    return pw_test_sql_int(&T, sql);
}

static const char *receipt_line(Planwatch__V1__FieldViolation **v, size_t n, const char *field,
                                const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->field, field) == 0 && strstr(v[i]->description, what))
            return v[i]->description;
    return NULL;
}

Test(reporting, normalises_typed_values_and_lists_each_in_the_receipt)
{
    clock_at("2018-02-02T09:00:00+08:00");
    kv v[] = {
        {"C1", "１，５００\xE3\x80\x80", NULL}, {"L1", "29.40%", NULL}, {"M1", "已完成", NULL}};
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-01", NULL, v, NV(v));
    cr_assert_eq(stored_milli("C1"), 1500000);
    cr_assert_eq(stored_milli("L1"), 29400);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT milestone = 'done' FROM report_values WHERE "
                                     "indicator_id = 'M1'"),
                 1);
    cr_assert_eq(r->n_normalised, 3);
    cr_assert(receipt_line(r->normalised, r->n_normalised, "C1",
                           "read as 1500: spaces removed, full-width characters, thousands "
                           "separators removed"));
    cr_assert(receipt_line(r->normalised, r->n_normalised, "L1",
                           "'29.40%' read as 29.40: % sign removed"));
    cr_assert(receipt_line(r->normalised, r->n_normalised, "M1",
                           "'已完成' read as done: Chinese state name"));
    cr_assert_eq(r->n_warnings, 0);
    receipt_free(r);
    /* plain values: nothing to list */
    kv p[] = {{"C1", "1600", NULL}, {"L1", "30", NULL}, {"M1", "done", NULL}};
    r = submit_ok(li, "2018-01", NULL, p, NV(p));
    cr_assert_eq(r->n_normalised, 0);
    receipt_free(r);
}

Test(reporting, warns_on_scientific_notation_and_a_fraction_for_a_percentage)
{
    clock_at("2018-02-02T09:00:00+08:00");
    receipt_free(submit_ok(li, "2018-01", NULL, jishou_jan, NV(jishou_jan))); /* L1 55 */
    clock_at("2018-03-02T09:00:00+08:00");
    kv v[] = {{"C1", "1.31E+03", NULL}, {"L1", "0.55", NULL}, {"M1", "done", NULL}};
    Planwatch__V1__Receipt *r = submit_ok(li, "2018-02", NULL, v, NV(v));
    cr_assert_eq(stored_milli("C1"), 1310000, "stored as typed");
    cr_assert_eq(stored_milli("L1"), 550);
    cr_assert(receipt_line(r->warnings, r->n_warnings, "C1",
                           "'1.31E+03' is scientific notation, read as 1310"));
    cr_assert(receipt_line(r->warnings, r->n_warnings, "L1",
                           "0.55 % while the earlier month's was 55 %: a fraction typed for a "
                           "percentage? (0.55 would be 55 %)"));
    receipt_free(r);
    /* 1.5 % after 55 %: no fraction warning (only values <= 1) */
    kv w[] = {{"C1", "1400", NULL}, {"L1", "1.5", NULL}, {"M1", "done", NULL}};
    r = submit_ok(li, "2018-02", NULL, w, NV(w));
    cr_assert_eq(r->n_warnings, 0);
    receipt_free(r);
}

Test(reporting, violations_name_where_the_value_is_in_the_file)
{
    clock_at("2018-03-02T09:00:00+08:00");
    long long before = stored();
    Planwatch__V1__ReportValue vals[2], *ptrs[2] = {&vals[0], &vals[1]};
    planwatch__v1__report_value__init(&vals[0]);
    vals[0].indicator = "C1";
    vals[0].value = "1,50";
    vals[0].origin = "cell F4";
    planwatch__v1__report_value__init(&vals[1]);
    vals[1].indicator = "XX";
    vals[1].value = "1";
    vals[1].origin = "line 9";
    Planwatch__V1__SubmitReportRequest r = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    r.period = "2018-02";
    r.submission_id = "where-1";
    r.values = ptrs;
    r.n_values = 2;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, li, "/planwatch.v1.ReportService/Submit", &r.base,
                          &planwatch__v1__receipt__descriptor, &resp, &res);
    cr_assert_eq(st, PW_INVALID_ARGUMENT);
    cr_assert_str_eq(violation_of(&res, "C1"), "'1,50' has a thousands separator that does not "
                                               "separate groups of three digits (cell F4)");
    cr_assert_str_eq(violation_of(&res, "XX"), "unknown indicator (line 9)");
    cr_assert_eq(stored(), before);
    pw_call_result_fini(&res);
}
