/*
 * test_dispatch.c - the dispatch summary and scores services over the real
 * socket, on reports stored as SQL fixtures (the reporting service has its
 * own tests; the end-to-end test drives the whole chain through the CLIs).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char office[80], viewer[80], li[80];

/* Plan p, 2018: I01 cumulative up (jishou 100, luxi 50, plan-wide 150, lead
 * zhujian), I02 level % (jishou 60), I03 milestone (lead zhujian). */
static void setup(void)
{
    pw_test_server_start(&T, "2018-04-10T09:00:00+08:00");
    pw_test_add_counties(&T);
    pw_test_add_unit(&T, "zhujian", "州住建局", "department");
    pw_test_add_user_login(&T, "office", "office", NULL, "office111", office);
    pw_test_add_user_login(&T, "viewer", "viewer", NULL, "viewer111", viewer);
    pw_test_add_user_login(&T, "li", "reporter", "jishou", "reporter11", li);
    pw_test_sql(
        &T, "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
            "('p', '城镇化', 2018, 2020, 0);"
            "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
            "('p','I01',1,'a','b','棚改','套','cumulative','up'),"
            " ('p','I02',2,'a','b','城镇化率','%','level','up'),"
            " ('p','I03',3,'a','c','制度','none','milestone','up');"
            "INSERT INTO indicator_units(plan_id,indicator_id,unit_id,role,seq) VALUES "
            "('p','I01','zhujian','lead',1),"
            " ('p','I03','zhujian','lead',1);"
            "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
            "('p','I01',2018,'',150,NULL),"
            " ('p','I01',2018,'jishou',100,NULL), ('p','I01',2018,'luxi',50,NULL),"
            " ('p','I02',2018,'jishou',60,NULL), ('p','I03',2018,'',1,NULL);"
            /* jishou: Jan..Mar on time; luxi: Feb late (2018-03-07 10:00 +08), Mar missing */
            "INSERT INTO reports(id, plan_id, unit_id, period, first_received_at, deadline,"
            " current_version) VALUES"
            " (1,'p','jishou','2018-01',1517443200,1517846399,1),"
            " (2,'p','jishou','2018-02',1520121600,1520265599,1),"
            " (3,'p','jishou','2018-03',1522540800,1522943999,1),"
            " (4,'p','luxi','2018-02',1520388000,1520265599,1),"
            " (5,'p','zhujian','2018-03',1522540800,1522943999,1);"
            "INSERT INTO report_versions(report_id, version, submission_id, user_name, received_at,"
            " problems) VALUES (1,1,'s1','li',0,''),(2,1,'s2','li',0,''),"
            " (3,1,'s3','li',0,'征地拆迁进度慢'),(4,1,'s4','x',0,''),(5,1,'s5','x',0,'');"
            "INSERT INTO report_values(report_id, version, indicator_id, value, milestone) VALUES"
            " (1,1,'I01',10,NULL),(1,1,'I02',55,NULL),(2,1,'I01',20,NULL),(2,1,'I02',56,NULL),"
            " (3,1,'I01',18,NULL),(3,1,'I02',58,NULL),(4,1,'I01',20,NULL),"
            " (5,1,'I03',NULL,'in_progress');");
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(dispatch, .init = setup, .fini = teardown, .timeout = 60);

static Planwatch__V1__DispatchSummary *get_version(const char *tok, const char *period, int version,
                                                   int *status)
{
    Planwatch__V1__DispatchRequest r = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    r.period = (char *)period;
    r.version = version;
    ProtobufCMessage *resp = NULL;
    *status = pw_test_call_resp(&T, tok, "/planwatch.v1.DispatchService/Get", &r.base,
                                &planwatch__v1__dispatch_summary__descriptor, &resp);
    return (Planwatch__V1__DispatchSummary *)resp;
}

static Planwatch__V1__DispatchSummary *get(const char *tok, const char *period, int *status)
{
    return get_version(tok, period, 0, status);
}

/* the status of a DispatchService/Get that must answer no summary */
static int get_refused(const char *tok, const char *period)
{
    int st;
    cr_assert_null(get(tok, period, &st), "%s got the summary of %s", tok, period);
    return st;
}

static const Planwatch__V1__UnitTimeliness *unit_of(const Planwatch__V1__DispatchSummary *d,
                                                    const char *u)
{
    return PW_TEST_GET(Planwatch__V1__UnitTimeliness, unit, d->units, d->n_units, u);
}

/* The summary of `period` as of March (t = 0.25): jishou on time, luxi
 * missing. */
static Planwatch__V1__DispatchSummary *get_march(const char *period)
{
    int st;
    Planwatch__V1__DispatchSummary *d = get(office, period, &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_str_eq(d->period, period);
    cr_assert_float_eq(d->time_elapsed, 0.25, 1e-12);
    cr_assert_str_eq(unit_of(d, "jishou")->status, "on_time");
    cr_assert_str_eq(unit_of(d, "luxi")->status, "missing");
    return d;
}

Test(dispatch, timeliness_lights_and_plan_wide_actuals)
{
    Planwatch__V1__DispatchSummary *d = get_march("2018-03");
    cr_assert_str_eq(unit_of(d, "zhujian")->status, "on_time");
    /* counties: 2 expected, 1 received, 1 on time */
    const Planwatch__V1__CategoryRate *county = d->rates[0];
    cr_assert_str_eq(county->category, "county");
    cr_assert_eq(county->expected, 2);
    cr_assert_eq(county->received, 1);
    cr_assert_float_eq(county->completeness, 0.5, 1e-12);
    /* jishou I01 18/100 = 0.18 < 0.8 x 0.25 -> red; I02 58/60 -> green */
    const Planwatch__V1__UnitTimeliness *j = unit_of(d, "jishou");
    cr_assert_eq(j->red, 1);
    cr_assert_eq(j->green, 1);
    const Planwatch__V1__RedItem *red =
        PW_TEST_GET(Planwatch__V1__RedItem, unit, d->red_items, d->n_red_items, "jishou");
    cr_assert_str_eq(red->indicator, "I01");
    cr_assert_str_eq(red->problems, "征地拆迁进度慢");
    /* luxi's February value stands as of March: 20/50 = 0.4 -> green */
    cr_assert_eq(unit_of(d, "luxi")->green, 1);
    /* plan-wide I01: no lead value -> sum of units 18 + 20 = 38; I03 from the lead */
    for (size_t i = 0; i < d->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *ip = d->indicators[i];
        if (strcmp(ip->indicator, "I01") == 0) {
            cr_assert_str_eq(ip->actual_source, "sum");
            cr_assert_float_eq(ip->actual, 38, 1e-9);
        }
        if (strcmp(ip->indicator, "I03") == 0) {
            cr_assert_str_eq(ip->actual_source, "lead");
            cr_assert_float_eq(ip->progress, 0.5, 1e-9);
        }
    }
    /* jishou's cumulative I01 fell from 20 to 18 */
    int found = 0;
    for (size_t i = 0; i < d->n_flags; i++)
        if (strcmp(d->flags[i]->kind, "cumulative_decrease") == 0 &&
            strcmp(d->flags[i]->unit, "jishou") == 0) {
            cr_assert_str_eq(d->flags[i]->months, "2018-02,2018-03");
            cr_assert_str_eq(d->flags[i]->values, "20,18");
            found = 1;
        }
    cr_assert(found, "cumulative decrease flagged");
    protobuf_c_message_free_unpacked(&d->base, NULL);
}

Test(dispatch, late_days_and_not_due)
{
    int st;
    Planwatch__V1__DispatchSummary *d = get(office, "2018-02", &st);
    cr_assert_eq(st, PW_OK);
    /* due 2018-03-05 23:59:59 +08, received 2018-03-07 10:00 +08: 2 started days */
    cr_assert_str_eq(unit_of(d, "luxi")->status, "late");
    cr_assert_eq(unit_of(d, "luxi")->days_late, 2);
    protobuf_c_message_free_unpacked(&d->base, NULL);
    d = get(office, "2018-04", &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_str_eq(unit_of(d, "luxi")->status, "not_due");
    protobuf_c_message_free_unpacked(&d->base, NULL);
}

Test(dispatch, viewers_read_only_published_summaries)
{
    int st;
    cr_assert_eq(get_refused(viewer, "2018-03"), PW_NOT_FOUND);
    cr_assert_eq(get_refused(li, "2018-03"), PW_NOT_FOUND);
    Planwatch__V1__PublishRequest p = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    p.kind = "dispatch";
    p.period = "2018-03";
    cr_assert_eq(pw_test_call_status(&T, viewer, "/planwatch.v1.PublishService/Publish", &p.base),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PublishService/Publish", &p.base),
                 PW_OK);
    Planwatch__V1__DispatchSummary *d = get(viewer, "2018-03", &st);
    cr_assert_eq(st, PW_OK);
    cr_assert(d->published);
    protobuf_c_message_free_unpacked(&d->base, NULL);
}

static double cell_actual(const Planwatch__V1__DispatchSummary *d, const char *u, const char *ind)
{
    for (size_t i = 0; i < d->n_cells; i++)
        if (strcmp(d->cells[i]->unit, u) == 0 && strcmp(d->cells[i]->indicator, ind) == 0)
            return d->cells[i]->actual;
    cr_assert_fail("no cell %s %s", u, ind);
    return 0;
}

static int publish(const char *tok, const char *kind, const char *period, const char *reason)
{
    Planwatch__V1__PublishRequest p = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    p.kind = (char *)kind;
    p.period = (char *)period;
    p.reason = (char *)(reason ? reason : "");
    return pw_test_call_status(&T, tok, "/planwatch.v1.PublishService/Publish", &p.base);
}

Test(dispatch, a_publication_is_frozen_and_corrected_by_versions)
{
    int st;
    cr_assert_eq(publish(office, "dispatch", "2018-03", NULL), PW_OK);
    cr_assert_eq(publish(office, "dispatch", "2018-03", NULL), PW_OK); /* unchanged: a resend */
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM publication_versions"), 1);
    /* after publication, jishou's March I01 changes from 18 to 90 */
    pw_test_sql(&T, "UPDATE report_values SET value = 90 WHERE report_id = 3 AND "
                    "indicator_id = 'I01'");
    Planwatch__V1__DispatchSummary *d = get(viewer, "2018-03", &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_float_eq(cell_actual(d, "jishou", "I01"), 18, 1e-9); /* frozen */
    cr_assert_eq(d->version, 1);
    cr_assert_eq(d->n_versions, 1);
    protobuf_c_message_free_unpacked(&d->base, NULL);
    d = get(office, "2018-03", &st); /* the live view */
    cr_assert_float_eq(cell_actual(d, "jishou", "I01"), 90, 1e-9);
    cr_assert(d->differs_from_published);
    cr_assert_eq(d->version, 0);
    protobuf_c_message_free_unpacked(&d->base, NULL);
    /* a correction needs a reason; then it is version 2 */
    cr_assert_eq(publish(office, "dispatch", "2018-03", NULL), PW_FAILED_PRECONDITION);
    cr_assert_eq(publish(office, "dispatch", "2018-03", "吉首市数据更正"), PW_OK);
    d = get(li, "2018-03", &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_float_eq(cell_actual(d, "jishou", "I01"), 90, 1e-9);
    cr_assert_eq(d->version, 2);
    cr_assert_eq(d->n_versions, 2);
    cr_assert_str_eq(d->versions[1]->reason, "吉首市数据更正");
    cr_assert_str_eq(d->versions[0]->reason, "");
    protobuf_c_message_free_unpacked(&d->base, NULL);
    d = get_version(viewer, "2018-03", 1, &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_float_eq(cell_actual(d, "jishou", "I01"), 18, 1e-9);
    cr_assert_eq(d->version, 1);
    protobuf_c_message_free_unpacked(&d->base, NULL);
    cr_assert_null(get_version(viewer, "2018-03", 3, &st));
    cr_assert_eq(st, PW_NOT_FOUND);
    d = get(office, "2018-03", &st);
    cr_assert(!d->differs_from_published);
    protobuf_c_message_free_unpacked(&d->base, NULL);
    /* both versions are kept */
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM publication_versions"), 2);
}

Test(dispatch, the_quarter_of_a_monthly_plan)
{
    /* Q1: jishou on time in Jan, Feb, Mar -> on time; luxi Feb late 2 days,
     * Mar missing (Jan missing too) -> missing; as of March (t = 0.25) */
    Planwatch__V1__DispatchSummary *d = get_march("2018-Q1");
    cr_assert_float_eq(cell_actual(d, "jishou", "I01"), 18, 1e-9);
    protobuf_c_message_free_unpacked(&d->base, NULL);
}

Test(dispatch, bad_periods_are_refused)
{
    cr_assert_eq(get_refused(office, "2018-13"), PW_INVALID_ARGUMENT);
    cr_assert_eq(get_refused(office, "2018-H1"), PW_INVALID_ARGUMENT);
    cr_assert_eq(get_refused(office, "2025-01"), PW_OUT_OF_RANGE);
}

static Planwatch__V1__ScoresResponse *scores(const char *tok, const char *period,
                                             const char *explain, int *status)
{
    Planwatch__V1__ScoresRequest r = PLANWATCH__V1__SCORES_REQUEST__INIT;
    r.period = (char *)period;
    r.explain_unit = (char *)(explain ? explain : "");
    ProtobufCMessage *resp = NULL;
    *status = pw_test_call_resp(&T, tok, "/planwatch.v1.ScoreService/Get", &r.base,
                                &planwatch__v1__scores_response__descriptor, &resp);
    return (Planwatch__V1__ScoresResponse *)resp;
}

static void add_sheets(void)
{
    pw_test_sql(&T,
                "INSERT INTO sheets(category, imported_at) VALUES ('county', 0), ('department', 0);"
                "INSERT INTO sheet_items VALUES"
                " ('county', 1, 'g', 'timeliness', 20, 'monthly_timeliness', 'deduct=0.5'),"
                " ('county', 2, 'g', 'work', 80, 'work_performance', ''),"
                " ('department', 1, 'g', 'work', 100, 'work_performance', '');");
}

static const Planwatch__V1__UnitScore *score_of(const Planwatch__V1__ScoresResponse *r,
                                                const char *u)
{
    return PW_TEST_GET(Planwatch__V1__UnitScore, unit, r->rankings, r->n_rankings, u);
}

/* Q1 at 2018-04-10: Jan..Mar count.
 * jishou: timeliness 20; work: I01 0.18/0.25 = 0.72, I02 (58/60)/0.25 -> 1;
 *         mean 0.86 x 80 = 68.8; total 88.8, rank 2 of 2 (criticised: last two)
 * luxi:   Jan missing, Feb late, Mar missing: 20 - 1.5 = 18.5; I01 0.4/0.25 -> 1: 80;
 *         total 98.5, rank 1 (also criticised: fewer than two lower)
 * zhujian: I01 plan-wide target, no value -> 0; I03 in_progress 0.5/0.25 -> 1;
 *         mean 0.5 x 100 = 50, unqualified */
Test(dispatch, scores_follow_the_sheet)
{
    add_sheets();
    int st;
    Planwatch__V1__ScoresResponse *r = scores(office, "2018-Q1", "jishou", &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_eq(r->last_month, 3);
    const Planwatch__V1__UnitScore *j = score_of(r, "jishou"), *l = score_of(r, "luxi"),
                                   *z = score_of(r, "zhujian");
    cr_assert_float_eq(j->score, 88.8, 1e-9);
    cr_assert_float_eq(l->score, 98.5, 1e-9);
    cr_assert_float_eq(z->score, 50, 1e-9);
    cr_assert_eq(l->rank, 1);
    cr_assert_eq(j->rank, 2);
    cr_assert_str_eq(j->grade, "qualified");
    cr_assert_str_eq(z->grade, "unqualified");
    cr_assert_str_eq(z->flag, "criticise");
    /* the comment above: both counties are in the last two places of their category */
    cr_assert_str_eq(j->flag, "criticise");
    cr_assert_str_eq(l->flag, "criticise", "excellent but last-two: criticised, not commended");
    cr_assert(j->items[1]->n_explain > 0, "explanation of the asked unit");
    cr_assert_eq(l->items[1]->n_explain, 0, "no explanation for the others");
    protobuf_c_message_free_unpacked(&r->base, NULL);
    /* a reporter sees only its own unit's explanation, once published */
    cr_assert_null(scores(li, "2018-Q1", NULL, &st));
    cr_assert_eq(st, PW_NOT_FOUND);
    Planwatch__V1__PublishRequest p = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    p.kind = "scores";
    p.period = "2018-Q1";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PublishService/Publish", &p.base),
                 PW_OK);
    cr_assert_null(scores(li, "2018-Q1", "luxi", &st));
    cr_assert_eq(st, PW_PERMISSION_DENIED);
    r = scores(li, "2018-Q1", NULL, &st);
    cr_assert_eq(st, PW_OK);
    cr_assert(score_of(r, "jishou")->items[0]->n_explain > 0);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

Test(dispatch, scores_need_a_sheet)
{
    int st;
    cr_assert_null(scores(office, "2018", NULL, &st));
    cr_assert_eq(st, PW_FAILED_PRECONDITION);
}

/* ---- the appendix paged (issue 18) ------------------------------------- */

static Planwatch__V1__DispatchSummary *get_part(const char *tok, int units, int from, int version,
                                                int *status)
{
    Planwatch__V1__DispatchRequest r = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    r.period = "2018-03";
    char token[16] = "";
    if (from)
        snprintf(token, sizeof token, "%d", from);
    r.page_size = units;
    r.page_token = token;
    r.version = version;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    *status = pw_test_call(&T, tok, "/planwatch.v1.DispatchService/Get", &r.base,
                           &planwatch__v1__dispatch_summary__descriptor, &resp, &res);
    pw_call_result_fini(&res);
    return (Planwatch__V1__DispatchSummary *)resp;
}

/* The pages together are the whole appendix; the summary without it is
 * the whole summary but the cells. */
static void check_parts(int version)
{
    int st;
    Planwatch__V1__DispatchSummary *all = get_part(office, 0, 0, version, &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_eq(all->n_units, 3);
    cr_assert_gt(all->n_cells, 0);
    cr_assert_eq(all->total_units, 0); /* a whole reply says nothing of parts */
    cr_assert_str_eq(all->next_page_token, "");
    Planwatch__V1__DispatchSummary *sum = get_part(office, -1, 0, version, &st);
    cr_assert_eq(st, PW_OK);
    cr_assert_eq(sum->n_cells, 0);
    cr_assert_eq(sum->page_size, -1);
    cr_assert_str_eq(sum->next_page_token, "");
    cr_assert_eq(sum->n_units, all->n_units);
    cr_assert_eq(sum->n_red_items, all->n_red_items);
    cr_assert_eq(sum->n_flags, all->n_flags);
    cr_assert_eq(sum->n_indicators, all->n_indicators);
    cr_assert_eq(sum->n_rates, all->n_rates);
    for (size_t k = 0; k < all->n_units; k++)
        cr_assert_eq(sum->units[k]->red, all->units[k]->red);
    size_t cell = 0;
    for (int from = 0; from < 3; from += 2) {
        Planwatch__V1__DispatchSummary *pg = get_part(office, 2, from, version, &st);
        cr_assert_eq(st, PW_OK);
        cr_assert_eq(pg->total_units, 3);
        cr_assert_str_eq(pg->next_page_token, from == 0 ? "2" : "");
        cr_assert_eq(pg->n_units, from == 0 ? 2 : 1);
        cr_assert_eq(pg->n_red_items + pg->n_flags + pg->n_indicators, 0);
        cr_assert_gt(pg->n_catalog, 0);
        for (size_t k = 0; k < pg->n_units; k++)
            cr_assert_str_eq(pg->units[k]->unit, all->units[(size_t)from + k]->unit);
        for (size_t i = 0; i < pg->n_cells; i++, cell++) {
            cr_assert_lt(cell, all->n_cells);
            cr_assert_str_eq(pg->cells[i]->unit, all->cells[cell]->unit);
            cr_assert_str_eq(pg->cells[i]->indicator, all->cells[cell]->indicator);
            cr_assert_str_eq(pg->cells[i]->light, all->cells[cell]->light);
            cr_assert_eq(pg->cells[i]->actual, all->cells[cell]->actual);
        }
        protobuf_c_message_free_unpacked(&pg->base, NULL);
    }
    cr_assert_eq(cell, all->n_cells, "the pages hold %zu cells of %zu", cell, all->n_cells);
    protobuf_c_message_free_unpacked(&all->base, NULL);
    protobuf_c_message_free_unpacked(&sum->base, NULL);
}

Test(dispatch, appendix_paged_live_and_published)
{
    check_parts(0);
    Planwatch__V1__PublishRequest pr = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    pr.kind = "dispatch";
    pr.period = "2018-03";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PublishService/Publish", &pr.base),
                 PW_OK);
    check_parts(1); /* cut from the frozen version */
    int st;
    Planwatch__V1__DispatchSummary *bad = get_part(office, -2, 0, 0, &st);
    cr_assert_eq(st, PW_INVALID_ARGUMENT);
    cr_assert_null(bad);
    Planwatch__V1__DispatchRequest r = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    r.period = "2018-03";
    r.page_size = 2;
    r.page_token = "x1";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.DispatchService/Get", &r.base),
                 PW_INVALID_ARGUMENT);
}
