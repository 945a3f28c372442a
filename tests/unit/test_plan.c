/*
 * test_plan.c - PlanService and SheetService over a real socket and a real
 * SQLite file: imports, every rejection with its message, all-or-nothing,
 * replace vs FAILED_PRECONDITION, what each role sees, coverage checks.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/plan.pb-c.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char office[80];

#define IND_HDR                                                                                    \
    "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
#define TG_HDR "indicator_id,year,unit,target,baseline\n"

/* A small plan: two counties, two departments; the per-role views below
 * depend on exactly these rows. */
static const char IND[] =
    "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
    "I01,市民化,城镇化率,常住人口城镇化率,%,level,up,zhou_zhujianju,jishou;luxi\n"
    "I02,市民化,城镇化率,户籍人口城镇化率,%,level,up,zhou_gonganju,\n"
    "I03,市民化,户籍,户籍制度改革落实,,milestone,up,zhou_gonganju,zhou_zhujianju\n"
    "I04,品质,棚改,\"棚户区改造套数, 全州\",套,cumulative,up,zhou_zhujianju,\n"
    "I05,品质,亮化,农村亮化,个(村),cumulative,up, jishou ; luxi ,\n";
static const char TG[] = "\xEF\xBB\xBF" /* a BOM, as spreadsheets write it */
                         "indicator_id,year,unit,target,baseline\r\n"
                         "I01,2018,,45,\r\n"
                         "I01,2018,jishou,74,70\r\n"
                         "I01,2018,luxi,41.69,\r\n"
                         "I02,2018,,30,\r\n"
                         "I03,2018,,1,\r\n"
                         "I04,2018,,10367,\r\n"
                         "I04,2018,luxi,300,\r\n"
                         "I04,2019,,20000,\r\n"
                         "I05,2018,jishou,100,\r\n";

static const char SHEET[] = "item,group,content,max_points,kind,params\n"
                            "1,组织领导,\"成立领导小组,明确分工\",2,per_event,deduct=1\n"
                            "7,督促考核,每月调度,2,monthly_timeliness,\n"
                            "8,督促考核,半年督查,4,halfyear_reports,deduct=2\n"
                            "10,工作实绩,完成任务,80,work_performance,\n"
                            "11,宣传教育,宣传活动,2,manual,\n"
                            "12,宣传教育,工作大会,2,all_or_nothing,\n"
                            "13,项目建设,争取资金,8,per_amount,per=1000; award=0.5\n";

static void setup(void)
{
    pw_test_server_start(&T, "2018-03-01T09:00:00+08:00");
    pw_test_add_counties(&T);
    pw_test_add_unit(&T, "zhou_zhujianju", "州住建局", "department");
    pw_test_add_unit(&T, "zhou_gonganju", "州公安局", "department");
    pw_test_add_user_login(&T, "office", "office", NULL, "office111", office);
    pw_test_add_user(&T, "li", "reporter", "jishou", "reporter11");
    pw_test_add_user(&T, "lu", "reporter", "luxi", "reporter11");
    pw_test_add_user(&T, "wang", "reporter", "zhou_zhujianju", "reporter11");
    pw_test_add_user(&T, "gong", "reporter", "zhou_gonganju", "reporter11");
    pw_test_add_user(&T, "kan", "viewer", NULL, "viewer111");
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(plan, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers ------------------------------------------------------------ */

typedef struct reply {
    int status;
    char message[1024];
    size_t nviolations;
    char fields[8][256], descriptions[8][512];
    ProtobufCMessage *resp;
} reply;

static void reply_take(reply *r, int st, ProtobufCMessage *resp, pw_call_result *res)
{
    r->status = st;
    snprintf(r->message, sizeof r->message, "%s", res->message);
    r->nviolations = res->nviolations;
    for (size_t i = 0; i < res->nviolations && i < 8; i++) {
        snprintf(r->fields[i], sizeof r->fields[i], "%s", res->fields[i]);
        snprintf(r->descriptions[i], sizeof r->descriptions[i], "%s", res->descriptions[i]);
    }
    r->resp = resp;
    pw_call_result_fini(res);
}

static void reply_free(reply *r)
{
    if (r->resp)
        protobuf_c_message_free_unpacked(r->resp, NULL);
    r->resp = NULL;
}

static int import_plan_as(const char *token, const char *id, const char *ind, const char *tg,
                          reply *r)
{
    Planwatch__V1__ImportPlanRequest req = PLANWATCH__V1__IMPORT_PLAN_REQUEST__INIT;
    req.plan = (char *)id;
    req.name = "湘西州新型城镇化三年行动计划";
    req.indicators_csv.data = (uint8_t *)ind;
    req.indicators_csv.len = strlen(ind);
    req.targets_csv.data = (uint8_t *)tg;
    req.targets_csv.len = strlen(tg);
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, token, "/planwatch.v1.PlanService/Import", &req.base,
                          &planwatch__v1__import_plan_response__descriptor, &resp, &res);
    reply_take(r, st, resp, &res);
    return st;
}

static int import_plan(const char *ind, const char *tg, reply *r)
{
    return import_plan_as(office, "demo", ind, tg, r);
}

/* Import that must fail with INVALID_ARGUMENT and exactly `message`. */
static void expect_rejected(const char *ind, const char *tg, const char *message)
{
    reply r;
    cr_assert_eq(import_plan(ind, tg, &r), PW_INVALID_ARGUMENT, "status %d: %s", r.status,
                 r.message);
    cr_assert_str_eq(r.message, message);
    reply_free(&r);
}

static char *cat2(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

static int import_sheet(const char *category, const char *csv, reply *r)
{
    Planwatch__V1__ImportSheetRequest req = PLANWATCH__V1__IMPORT_SHEET_REQUEST__INIT;
    req.category = (char *)category;
    req.csv.data = (uint8_t *)csv;
    req.csv.len = strlen(csv);
    req.file = "sheet-county.csv";
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, office, "/planwatch.v1.SheetService/Import", &req.base,
                          &planwatch__v1__sheet__descriptor, &resp, &res);
    reply_take(r, st, resp, &res);
    return st;
}

static void expect_sheet_rejected(const char *csv, const char *message)
{
    reply r;
    cr_assert_eq(import_sheet("county", csv, &r), PW_INVALID_ARGUMENT, "status %d: %s", r.status,
                 r.message);
    cr_assert_str_eq(r.message, message);
    reply_free(&r);
}

static Planwatch__V1__ShowPlanResponse *show(const char *token, const char *unit, int year,
                                             int want)
{
    Planwatch__V1__ShowPlanRequest req = PLANWATCH__V1__SHOW_PLAN_REQUEST__INIT;
    req.unit = (char *)unit;
    req.year = year;
    reply r;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, token, "/planwatch.v1.PlanService/Show", &req.base,
                          &planwatch__v1__show_plan_response__descriptor, &resp, &res);
    reply_take(&r, st, resp, &res);
    cr_assert_eq(st, want, "show: status %d: %s", st, r.message);
    return (Planwatch__V1__ShowPlanResponse *)r.resp;
}

/* Every row of the plan, sheet and audit tables, as one string. */
static char *dump_db(void)
{
    static const char *const queries[] = {
        "SELECT id, name, tz_offset_min, due_day, cadence, first_year, last_year, imported_at "
        "FROM plans ORDER BY id",
        "SELECT * FROM indicators ORDER BY plan_id, id",
        "SELECT * FROM indicator_units ORDER BY plan_id, indicator_id, unit_id",
        "SELECT * FROM targets ORDER BY plan_id, indicator_id, year, unit_id",
        "SELECT * FROM sheets ORDER BY category",
        "SELECT * FROM sheet_items ORDER BY category, item",
        "SELECT id, user_name, method, object, summary FROM audit ORDER BY id",
    };
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(T.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *st;
        cr_assert_eq(sqlite3_prepare_v2(db, queries[q], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                const char *v = (const char *)sqlite3_column_text(st, i);
                size_t need = len + (v ? strlen(v) : 4) + 4;
                while (need > cap)
                    out = realloc(out, cap *= 2);
                len += (size_t)sprintf(out + len, "%s|", v ? v : "NULL");
            }
            out[len++] = '\n';
            out[len] = '\0';
        }
        sqlite3_finalize(st);
        out[len++] = '#';
        out[len] = '\0';
    }
    sqlite3_close(db);
    return out;
}

/* ---- import ------------------------------------------------------------- */

Test(plan, import_stores_the_plan_and_show_returns_the_tree)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK, "%s", r.message);
    Planwatch__V1__ImportPlanResponse *ir = (Planwatch__V1__ImportPlanResponse *)r.resp;
    cr_assert_eq(ir->indicators, 5);
    cr_assert_eq(ir->targets, 9);
    cr_assert_not(ir->replaced);
    cr_assert_eq(ir->plan->first_year, 2018);
    cr_assert_eq(ir->plan->last_year, 2019);
    cr_assert_eq(ir->plan->tz_offset_min, 480);
    cr_assert_eq(ir->plan->due_day, 5);
    cr_assert_str_eq(ir->plan->cadence, "monthly");
    reply_free(&r);

    Planwatch__V1__ShowPlanResponse *s = show(office, "", 0, PW_OK);
    cr_assert_str_eq(s->unit, "");
    cr_assert_eq(s->n_indicators, 5);
    Planwatch__V1__Indicator *i1 = s->indicators[0];
    cr_assert_str_eq(i1->id, "I01");
    cr_assert_str_eq(i1->level3, "常住人口城镇化率");
    cr_assert_str_eq(i1->kind, "level");
    cr_assert_eq(i1->n_lead_units, 1);
    cr_assert_str_eq(i1->lead_units[0], "zhou_zhujianju");
    cr_assert_eq(i1->n_coop_units, 2);
    cr_assert_str_eq(i1->coop_units[1], "luxi");
    cr_assert_eq(i1->n_targets, 3);
    cr_assert_str_eq(i1->targets[0]->unit, "");
    cr_assert_float_eq(i1->targets[0]->value, 45, 1e-9);
    cr_assert_not(i1->targets[0]->has_baseline);
    cr_assert_str_eq(i1->targets[1]->unit, "jishou");
    cr_assert_str_eq(i1->targets[1]->unit_name, "吉首市");
    cr_assert_float_eq(i1->targets[1]->value, 74, 1e-9);
    cr_assert(i1->targets[1]->has_baseline);
    cr_assert_float_eq(i1->targets[1]->baseline, 70, 1e-9);
    cr_assert_float_eq(i1->targets[2]->value, 41.69, 1e-9);
    /* quoted field with a comma, blanks around unit ids */
    cr_assert_str_eq(s->indicators[3]->level3, "棚户区改造套数, 全州");
    cr_assert_eq(s->indicators[3]->n_targets, 3);
    cr_assert_eq(s->indicators[3]->targets[2]->year, 2019);
    cr_assert_eq(s->indicators[4]->n_lead_units, 2);
    cr_assert_str_eq(s->indicators[4]->lead_units[0], "jishou");
    protobuf_c_message_free_unpacked(&s->base, NULL);

    /* one year only */
    s = show(office, "", 2019, PW_OK);
    cr_assert_eq(s->n_indicators, 5);
    cr_assert_eq(s->indicators[3]->n_targets, 1);
    cr_assert_eq(s->indicators[0]->n_targets, 0);
    protobuf_c_message_free_unpacked(&s->base, NULL);
    show(office, "", 2020, PW_INVALID_ARGUMENT);

    /* audited */
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE method = "
                                     "'/planwatch.v1.PlanService/Import' AND object = "
                                     "'plan/demo' AND user_name = 'office' AND summary LIKE "
                                     "'imported plan demo%5 indicators, 9 targets%'"),
                 1);
}

Test(plan, settings_are_validated_and_stored)
{
    Planwatch__V1__ImportPlanRequest req = PLANWATCH__V1__IMPORT_PLAN_REQUEST__INIT;
    req.plan = "q2018";
    req.name = "季度计划";
    req.indicators_csv.data = (uint8_t *)IND;
    req.indicators_csv.len = strlen(IND);
    req.targets_csv.data = (uint8_t *)TG;
    req.targets_csv.len = strlen(TG);
    req.has_tz_offset_min = 1;
    req.tz_offset_min = 0;
    req.due_day = 10;
    req.cadence = "quarterly";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Import", &req.base),
                 PW_OK);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM plans WHERE id = 'q2018' AND "
                                     "tz_offset_min = 0 AND due_day = 10 AND cadence = "
                                     "'quarterly' AND first_year = 2018 AND last_year = 2019"),
                 1);
    req.plan = "Bad Id";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Import", &req.base),
                 PW_INVALID_ARGUMENT);
    req.plan = "q2019";
    req.due_day = 29;
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Import", &req.base),
                 PW_INVALID_ARGUMENT);
    req.due_day = 5;
    req.cadence = "weekly";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Import", &req.base),
                 PW_INVALID_ARGUMENT);
    req.cadence = "";
    req.tz_offset_min = 900;
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Import", &req.base),
                 PW_INVALID_ARGUMENT);
    req.tz_offset_min = -300;
    req.name = "";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Import", &req.base),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM plans"), 1);
}

Test(plan, only_office_and_admin_import)
{
    char tok[80];
    reply r;
    pw_test_login(&T, "li", "reporter11", tok);
    cr_assert_eq(import_plan_as(tok, "demo", IND, TG, &r), PW_PERMISSION_DENIED);
    pw_test_login(&T, "kan", "viewer111", tok);
    cr_assert_eq(import_plan_as(tok, "demo", IND, TG, &r), PW_PERMISSION_DENIED);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM plans"), 0);
    cr_assert_eq(import_plan_as(T.admin_token, "demo", IND, TG, &r), PW_OK, "%s", r.message);
    reply_free(&r);
}

/* ---- rejections, one by one --------------------------------------------- */

Test(plan, unknown_unit_is_rejected)
{
    char *ind = cat2(IND_HDR, "I01,a,b,c,%,level,up,zhou_zhujianju;nowhere,\n");
    expect_rejected(ind, TG_HDR "I01,2018,,1,\n",
                    "indicators.csv: line 2, column 8: unknown unit 'nowhere' in lead_units");
    free(ind);
    ind = cat2(IND_HDR, "I01,a,b,c,%,level,up,zhou_zhujianju,\"jishou;Luxi\"\n");
    expect_rejected(ind, TG_HDR "I01,2018,,1,\n",
                    "indicators.csv: line 2, column 9: unknown unit 'Luxi' in coop_units");
    expect_rejected(IND, TG_HDR "I01,2018,fenghuang,1,\n",
                    "targets.csv: line 2, column 3: unknown unit 'fenghuang'");
    free(ind);
}

Test(plan, unknown_kind_and_direction_are_rejected)
{
    char *ind = cat2(IND_HDR, "I01,a,b,c,%,rate,up,zhou_zhujianju,\n");
    expect_rejected(ind, TG_HDR "I01,2018,,1,\n",
                    "indicators.csv: line 2, column 6: unknown kind 'rate': cumulative, level, "
                    "milestone, threshold or task");
    free(ind);
    ind = cat2(IND_HDR, "I01,a,b,c,%,level,higher,zhou_zhujianju,\n");
    expect_rejected(
        ind, TG_HDR "I01,2018,,1,\n",
        "indicators.csv: line 2, column 7: unknown direction 'higher': up, down or band");
    free(ind);
}

Test(plan, duplicate_indicator_id_is_rejected)
{
    char *ind = cat2(IND, "I03,x,y,z,,milestone,up,,\n");
    expect_rejected(ind, TG,
                    "indicators.csv: line 7, column 1: duplicate indicator id 'I03' (first on "
                    "line 4)");
    free(ind);
}

Test(plan, bad_targets_are_rejected)
{
    expect_rejected(IND, TG_HDR "I01,2018,,abc,\n",
                    "targets.csv: line 2, column 4: target 'abc' is not a number");
    expect_rejected(IND, TG_HDR "I01,2018,,0x10,\n",
                    "targets.csv: line 2, column 4: target '0x10' is not a number");
    expect_rejected(IND, TG_HDR "I01,2018,,1e999,\n",
                    "targets.csv: line 2, column 4: target '1e999' is not a finite number");
    expect_rejected(IND, TG_HDR "I01,2018,,nan,\n",
                    "targets.csv: line 2, column 4: target 'nan' is not a finite number");
    expect_rejected(IND, TG_HDR "I01,2018,,-inf,\n",
                    "targets.csv: line 2, column 4: target '-inf' is not a finite number");
    expect_rejected(IND, TG_HDR "I01,2018,,,\n",
                    "targets.csv: line 2, column 4: target '' is not a number");
    expect_rejected(IND, TG_HDR "I01,2018,,5,inf\n",
                    "targets.csv: line 2, column 5: baseline 'inf' is not a finite number");
    expect_rejected(IND, TG_HDR "I01,18,,5,\n",
                    "targets.csv: line 2, column 2: year '18' is not a year 2000..2100");
    expect_rejected(IND, TG_HDR "I03,2018,,2,\n",
                    "targets.csv: line 2, column 4: indicator I03 is a milestone: its target is "
                    "1 (done), not 2");
    expect_rejected(IND, TG_HDR "I01,2018,jishou,5,\nI01,2018,jishou,6,\n",
                    "targets.csv: line 3, column 1: duplicate target for I01, 2018, jishou "
                    "(first on line 2)");
}

Test(plan, target_for_a_missing_indicator_is_rejected)
{
    expect_rejected(IND, TG_HDR "I01,2018,,1,\nI99,2018,,1,\n",
                    "targets.csv: line 3, column 1: a target for indicator 'I99', which is not "
                    "in indicators.csv");
}

Test(plan, bad_headers_are_rejected)
{
    static const char ind[] =
        "indicator_id,level1,lvl2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
        "I01,a,b,c,%,level,up,,\n";
    expect_rejected(ind, TG,
                    "indicators.csv: line 1, column 3: header: expected column 3 'level2', "
                    "found 'lvl2'");
    expect_rejected(IND, "indicator_id,year,unit,target\nI01,2018,,1\n",
                    "targets.csv: line 1, column 5: header: missing column 5 'baseline'");
    expect_rejected("", TG,
                    "indicators.csv: line 1: empty file: expected the header "
                    "'indicator_id,...'");
    expect_rejected(IND, TG_HDR,
                    "targets.csv: line 2: no targets after the header: the plan's "
                    "years come from them");
}

Test(plan, wrong_field_count_is_rejected)
{
    char *ind = cat2(IND, "I06,a,b,c,%,level,up,zhou_zhujianju\n");
    expect_rejected(ind, TG,
                    "indicators.csv: line 7, column 9: missing field: expected 9 "
                    "fields, found 8");
    free(ind);
    expect_rejected(IND, TG_HDR "I01,2018,,1,,extra\n",
                    "targets.csv: line 2, column 6: unexpected field: expected 5 fields, found 6");
}

Test(plan, invalid_utf8_and_broken_quoting_are_rejected)
{
    char *ind = cat2(IND_HDR, "I01,\xE5\xB8\x82\xFF,b,c,%,level,up,,\n");
    expect_rejected(ind, TG, "indicators.csv: line 2, column 2: invalid UTF-8");
    free(ind);
    expect_rejected(IND, TG_HDR "I01,2018,\"jishou,1,\n",
                    "targets.csv: line 2, column 3: unterminated quoted field");
}

Test(plan, several_bad_rows_give_violations_and_a_summary)
{
    static const char ind[] =
        "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
        "I01,a,b,c,%,level,up,zhou_zhujianju,\n"
        "I02,a,b,,%,rate,up,nowhere,\n"
        "I 3,a,b,c,%,level,sideways,,\n";
    Planwatch__V1__ImportPlanRequest req = PLANWATCH__V1__IMPORT_PLAN_REQUEST__INIT;
    req.plan = "demo";
    req.name = "x";
    req.indicators_csv.data = (uint8_t *)ind;
    req.indicators_csv.len = strlen(ind);
    req.indicators_file = "plan/指标.csv";
    static const char tg[] = "indicator_id,year,unit,target,baseline\nI01,2018,,x,\n";
    req.targets_csv.data = (uint8_t *)tg;
    req.targets_csv.len = strlen(tg);
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    reply r;
    int st = pw_test_call(&T, office, "/planwatch.v1.PlanService/Import", &req.base,
                          &planwatch__v1__import_plan_response__descriptor, &resp, &res);
    reply_take(&r, st, resp, &res);
    cr_assert_eq(r.status, PW_INVALID_ARGUMENT);
    cr_assert_str_eq(r.message, "6 errors, nothing imported; first: plan/指标.csv: line 3, "
                                "column 4: level3 is empty");
    cr_assert_eq(r.nviolations, 6);
    cr_assert_str_eq(r.fields[0], "plan/指标.csv line 3, column 4");
    cr_assert_str_eq(r.descriptions[0], "level3 is empty");
    cr_assert_str_eq(r.descriptions[1],
                     "unknown kind 'rate': cumulative, level, milestone, threshold or task");
    cr_assert_str_eq(r.descriptions[2], "unknown unit 'nowhere' in lead_units");
    cr_assert_str_eq(r.fields[3], "plan/指标.csv line 4, column 1");
    cr_assert_str_eq(r.fields[4], "plan/指标.csv line 4, column 7");
    cr_assert_str_eq(r.fields[5], "targets.csv line 2, column 4");
    cr_assert_str_eq(r.descriptions[5], "target 'x' is not a number");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM plans"), 0);
}

Test(plan, garbage_gives_a_bounded_list_of_violations)
{
    /* 300 bad rows: at most 100 violations plus one that counts the rest */
    size_t cap = 64 * 1024, len = 0;
    char *ind = malloc(cap);
    len += (size_t)sprintf(ind, "%s", IND_HDR);
    for (int i = 0; i < 300; i++)
        len += (size_t)sprintf(ind + len, "J%03d,a,b,c,%%,bogus,up,,\n", i);
    Planwatch__V1__ImportPlanRequest req = PLANWATCH__V1__IMPORT_PLAN_REQUEST__INIT;
    req.plan = "demo";
    req.name = "x";
    req.indicators_csv.data = (uint8_t *)ind;
    req.indicators_csv.len = len;
    req.targets_csv.data = (uint8_t *)TG;
    req.targets_csv.len = strlen(TG);
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, office, "/planwatch.v1.PlanService/Import", &req.base,
                          &planwatch__v1__import_plan_response__descriptor, &resp, &res);
    cr_assert_eq(st, PW_INVALID_ARGUMENT);
    /* 300 bad kinds + targets naming I01..I05 which do not exist: 309 */
    cr_assert(strncmp(res.message,
                      "309 errors, nothing imported; first: indicators.csv: line "
                      "2, column 6: unknown kind 'bogus'",
                      90) == 0,
              "%s", res.message);
    cr_assert_eq(res.nviolations, 101);
    cr_assert_str_eq(res.descriptions[100], "209 more errors not listed");
    pw_call_result_fini(&res);
    free(ind);
}

/* ---- all or nothing ----------------------------------------------------- */

Test(plan, rejected_import_leaves_the_database_exactly_as_before)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK, "%s", r.message);
    reply_free(&r);
    cr_assert_eq(import_sheet("county", SHEET, &r), PW_OK, "%s", r.message);
    reply_free(&r);
    char *before = dump_db();
    /* a replacement that is fine except for its very last target row */
    static const char ind2[] =
        "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
        "N01,新,新,新指标,%,level,up,luxi,\n";
    expect_rejected(ind2, TG_HDR "N01,2020,,1,\nN01,2021,luxi,1,\nN01,2022,,oops,\n",
                    "targets.csv: line 4, column 4: target 'oops' is not a number");
    /* a new plan id, broken in the indicators */
    reply r2;
    cr_assert_eq(import_plan_as(office, "other", "indicator_id\n", TG, &r2), PW_INVALID_ARGUMENT);
    /* sheets likewise */
    expect_sheet_rejected("item,group,content,max_points,kind,params\n"
                          "1,g,c,50,manual,\n2,g,c,50,per_event,deduct=zero\n",
                          "sheet-county.csv: line 3, column 6: params: deduct: \"zero\" is not a "
                          "number");
    char *after = dump_db();
    cr_assert_str_eq(after, before);
    free(before);
    free(after);
}

/* ---- replace ------------------------------------------------------------ */

Test(plan, reimport_replaces_while_no_report_refers_to_the_plan)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    static const char ind2[] =
        "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
        "N01,新,新,新指标,%,level,down,luxi,jishou\n";
    pw_test_set_clock(&T, "2018-03-01T10:00:00+08:00");
    cr_assert_eq(import_plan(ind2, TG_HDR "N01,2020,,1.56,1.6\n", &r), PW_OK, "%s", r.message);
    Planwatch__V1__ImportPlanResponse *ir = (Planwatch__V1__ImportPlanResponse *)r.resp;
    cr_assert(ir->replaced);
    cr_assert_eq(ir->plan->first_year, 2020);
    reply_free(&r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM indicators"), 1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM targets"), 1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM indicator_units"), 2);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT first_year * 10000 + last_year FROM plans"), 20202020);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object = 'plan/demo' "
                                     "AND summary LIKE 'replaced plan demo%'"),
                 1);
}

static void expect_replace_refused(void)
{
    char *before = dump_db();
    reply r;
    cr_assert_eq(import_plan(IND, TG_HDR "I01,2018,,50,\n", &r), PW_FAILED_PRECONDITION);
    cr_assert_str_eq(r.message, "plan demo has 1 stored reports: it cannot be replaced any more; "
                                "import the corrected plan under a new --plan id");
    char *after = dump_db();
    cr_assert_str_eq(after, before);
    free(before);
    free(after);
    /* a new id is fine */
    cr_assert_eq(import_plan_as(office, "demo2", IND, TG, &r), PW_OK, "%s", r.message);
    reply_free(&r);
}

Test(plan, reimport_is_refused_once_a_report_refers_to_the_plan)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    pw_test_sql(&T, "INSERT INTO reports(plan_id, unit_id, period, first_received_at, deadline,"
                    " current_version) VALUES ('demo', 'jishou', '2018-01', 1, 2, 1)");
    expect_replace_refused();
}

Test(plan, reimport_is_refused_once_a_halfyear_report_refers_to_the_plan)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    pw_test_sql(&T, "INSERT INTO halfyear_reports(plan_id, unit_id, period, version,"
                    " submission_id, user_name, received_at, deadline, body) VALUES ('demo',"
                    " 'jishou', '2018-H1', 1, 's1', 'li', 1, 2, 'ok')");
    expect_replace_refused();
}

Test(plan, findings_survive_a_replace)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    pw_test_sql(&T, "INSERT INTO findings(plan_id, unit_id, year, kind, points, note, "
                    "created_by, created_at) VALUES ('demo', 'jishou', 2018, 'bonus', 1, 'n', "
                    "'office', 1)");
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK, "%s", r.message);
    reply_free(&r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM findings"), 1);
}

/* ---- who sees what ------------------------------------------------------ */

static const char *ids(const Planwatch__V1__ShowPlanResponse *s, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_indicators; i++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "", s->indicators[i]->id);
    return buf;
}

Test(plan, a_county_reporter_sees_only_its_own_indicators_and_targets)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    char tok[80], buf[256];
    pw_test_login(&T, "li", "reporter11", tok);
    Planwatch__V1__ShowPlanResponse *s = show(tok, "", 0, PW_OK);
    cr_assert_str_eq(s->unit, "jishou");
    cr_assert_str_eq(ids(s, buf, sizeof buf), "I01 I05");
    cr_assert_eq(s->indicators[0]->n_targets, 1);
    cr_assert_str_eq(s->indicators[0]->targets[0]->unit, "jishou");
    cr_assert_float_eq(s->indicators[0]->targets[0]->value, 74, 1e-9);
    cr_assert_float_eq(s->indicators[0]->targets[0]->baseline, 70, 1e-9);
    cr_assert_float_eq(s->indicators[1]->targets[0]->value, 100, 1e-9);
    protobuf_c_message_free_unpacked(&s->base, NULL);
    /* luxi: its own targets; I05 it leads, but there is no plan-wide target */
    pw_test_login(&T, "lu", "reporter11", tok);
    s = show(tok, "", 0, PW_OK);
    cr_assert_str_eq(ids(s, buf, sizeof buf), "I01 I04");
    cr_assert_float_eq(s->indicators[1]->targets[0]->value, 300, 1e-9);
    protobuf_c_message_free_unpacked(&s->base, NULL);
    /* another unit's view is refused */
    show(tok, "jishou", 0, PW_PERMISSION_DENIED);
    s = show(tok, "luxi", 2019, PW_OK);
    cr_assert_eq(s->n_indicators, 0);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(plan, a_department_reporter_sees_the_indicators_it_leads)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    char tok[80], buf[256];
    pw_test_login(&T, "wang", "reporter11", tok);
    Planwatch__V1__ShowPlanResponse *s = show(tok, "", 0, PW_OK);
    cr_assert_str_eq(s->unit, "zhou_zhujianju");
    /* leads I01 and I04; only cooperates on I03 */
    cr_assert_str_eq(ids(s, buf, sizeof buf), "I01 I04");
    cr_assert_eq(s->indicators[0]->n_targets, 1);
    cr_assert_str_eq(s->indicators[0]->targets[0]->unit, "");
    cr_assert_float_eq(s->indicators[0]->targets[0]->value, 45, 1e-9);
    cr_assert_eq(s->indicators[1]->n_targets, 2);
    cr_assert_eq(s->indicators[1]->targets[1]->year, 2019);
    cr_assert_float_eq(s->indicators[1]->targets[1]->value, 20000, 1e-9);
    protobuf_c_message_free_unpacked(&s->base, NULL);
    pw_test_login(&T, "gong", "reporter11", tok);
    s = show(tok, "", 2018, PW_OK);
    cr_assert_str_eq(ids(s, buf, sizeof buf), "I02 I03");
    cr_assert_str_eq(s->indicators[1]->kind, "milestone");
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(plan, office_and_viewers_see_everything_and_any_unit_view)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK);
    reply_free(&r);
    char tok[80], buf[256];
    pw_test_login(&T, "kan", "viewer111", tok);
    Planwatch__V1__ShowPlanResponse *s = show(tok, "", 0, PW_OK);
    cr_assert_eq(s->n_indicators, 5);
    protobuf_c_message_free_unpacked(&s->base, NULL);
    s = show(office, "jishou", 0, PW_OK);
    cr_assert_str_eq(ids(s, buf, sizeof buf), "I01 I05");
    protobuf_c_message_free_unpacked(&s->base, NULL);
    show(office, "nowhere", 0, PW_NOT_FOUND);
}

Test(plan, show_without_a_plan_says_so)
{
    Planwatch__V1__ShowPlanRequest req = PLANWATCH__V1__SHOW_PLAN_REQUEST__INIT;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    cr_assert_eq(pw_test_call(&T, office, "/planwatch.v1.PlanService/Show", &req.base,
                              &planwatch__v1__show_plan_response__descriptor, &resp, &res),
                 PW_NOT_FOUND);
    cr_assert_str_eq(res.message, "no plan has been imported yet: planwatch plan import");
    pw_call_result_fini(&res);
}

/* ---- check -------------------------------------------------------------- */

Test(plan, check_lists_reporters_without_unit_units_without_user_and_leaderless_indicators)
{
    pw_test_add_unit(&T, "xxjkq", "湘西经开区", "county");
    pw_test_add_user(&T, "floating", "reporter", NULL, "reporter11");
    static const char ind[] =
        "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units\n"
        "I01,a,b,有牵头,%,level,up,zhou_zhujianju,\n"
        "I76,保障措施,加强组织领导,成立领导小组,,milestone,up,,jishou\n";
    reply r;
    cr_assert_eq(import_plan(ind, TG_HDR "I01,2018,,1,\nI76,2018,,1,\n", &r), PW_OK, "%s",
                 r.message);
    reply_free(&r);
    Planwatch__V1__CheckPlanRequest req = PLANWATCH__V1__CHECK_PLAN_REQUEST__INIT;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    cr_assert_eq(pw_test_call(&T, office, "/planwatch.v1.PlanService/Check", &req.base,
                              &planwatch__v1__check_plan_response__descriptor, &resp, &res),
                 PW_OK);
    Planwatch__V1__CheckPlanResponse *c = (Planwatch__V1__CheckPlanResponse *)resp;
    cr_assert_str_eq(c->plan->id, "demo");
    cr_assert_eq(c->n_reporters_without_unit, 1);
    cr_assert_str_eq(c->reporters_without_unit[0], "floating");
    cr_assert_eq(c->n_units_without_user, 1);
    cr_assert_str_eq(c->units_without_user[0]->id, "xxjkq");
    cr_assert_str_eq(c->units_without_user[0]->name, "湘西经开区");
    cr_assert_eq(c->n_indicators_without_lead, 1);
    cr_assert_str_eq(c->indicators_without_lead[0]->id, "I76");
    protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);

    /* a disabled reporter no longer covers its unit */
    pw_test_sql(&T, "UPDATE users SET enabled = 0 WHERE name = 'li'");
    cr_assert_eq(pw_test_call(&T, T.admin_token, "/planwatch.v1.PlanService/Check", &req.base,
                              &planwatch__v1__check_plan_response__descriptor, &resp, &res),
                 PW_OK);
    c = (Planwatch__V1__CheckPlanResponse *)resp;
    cr_assert_eq(c->n_units_without_user, 2);
    cr_assert_str_eq(c->units_without_user[0]->id, "jishou");
    protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);

    char tok[80];
    pw_test_login(&T, "kan", "viewer111", tok);
    cr_assert_eq(pw_test_call_status(&T, tok, "/planwatch.v1.PlanService/Check", &req.base),
                 PW_PERMISSION_DENIED);
}

Test(plan, check_without_a_plan_checks_accounts)
{
    Planwatch__V1__CheckPlanRequest req = PLANWATCH__V1__CHECK_PLAN_REQUEST__INIT;
    ProtobufCMessage *resp =
        pw_test_call_ok(&T, office, "/planwatch.v1.PlanService/Check", &req.base,
                        &planwatch__v1__check_plan_response__descriptor);
    Planwatch__V1__CheckPlanResponse *c = (Planwatch__V1__CheckPlanResponse *)resp;
    cr_assert_null(c->plan);
    cr_assert_eq(c->n_units_without_user, 0);
    protobuf_c_message_free_unpacked(resp, NULL);
    req.plan = "nothere";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.PlanService/Check", &req.base),
                 PW_NOT_FOUND);
}

/* ---- score sheets ------------------------------------------------------- */

Test(sheet, import_stores_the_items_and_show_returns_them, .init = setup, .fini = teardown,
     .timeout = 60)
{
    reply r;
    cr_assert_eq(import_sheet("county", SHEET, &r), PW_OK, "%s", r.message);
    Planwatch__V1__Sheet *s = (Planwatch__V1__Sheet *)r.resp;
    cr_assert_not(s->replaced);
    cr_assert_eq(s->n_items, 7);
    reply_free(&r);

    char tok[80];
    pw_test_login(&T, "li", "reporter11", tok); /* every role may read it */
    Planwatch__V1__ShowSheetRequest req = PLANWATCH__V1__SHOW_SHEET_REQUEST__INIT;
    req.category = "county";
    ProtobufCMessage *resp = pw_test_call_ok(&T, tok, "/planwatch.v1.SheetService/Show", &req.base,
                                             &planwatch__v1__sheet__descriptor);
    s = (Planwatch__V1__Sheet *)resp;
    cr_assert_eq(s->n_items, 7);
    cr_assert_eq(s->items[0]->item, 1);
    cr_assert_str_eq(s->items[0]->content, "成立领导小组,明确分工");
    cr_assert_str_eq(s->items[0]->params, "deduct=1");
    cr_assert_str_eq(s->items[1]->kind, "monthly_timeliness");
    cr_assert_str_eq(s->items[1]->params, ""); /* the engine's default applies */
    cr_assert_str_eq(s->items[2]->params, "deduct=2");
    cr_assert_str_eq(s->items[3]->params, "");
    cr_assert_float_eq(s->items[3]->max_points, 80, 1e-9);
    cr_assert_str_eq(s->items[6]->params, "per=1000; award=0.5"); /* as written */
    protobuf_c_message_free_unpacked(resp, NULL);

    req.category = "department";
    cr_assert_eq(pw_test_call_status(&T, tok, "/planwatch.v1.SheetService/Show", &req.base),
                 PW_NOT_FOUND);
    req.category = "province";
    cr_assert_eq(pw_test_call_status(&T, tok, "/planwatch.v1.SheetService/Show", &req.base),
                 PW_INVALID_ARGUMENT);
    /* reporters do not import */
    Planwatch__V1__ImportSheetRequest ir = PLANWATCH__V1__IMPORT_SHEET_REQUEST__INIT;
    ir.category = "county";
    ir.csv.data = (uint8_t *)SHEET;
    ir.csv.len = strlen(SHEET);
    cr_assert_eq(pw_test_call_status(&T, tok, "/planwatch.v1.SheetService/Import", &ir.base),
                 PW_PERMISSION_DENIED);
}

Test(sheet, reimport_replaces_and_is_audited, .init = setup, .fini = teardown, .timeout = 60)
{
    reply r;
    cr_assert_eq(import_sheet("county", SHEET, &r), PW_OK, "%s", r.message);
    reply_free(&r);
    cr_assert_eq(import_sheet("county",
                              "item,group,content,max_points,kind,params\n"
                              "1,全部,完成任务,100,work_performance,\n",
                              &r),
                 PW_OK, "%s", r.message);
    cr_assert(((Planwatch__V1__Sheet *)r.resp)->replaced);
    reply_free(&r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM sheet_items"), 1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object = "
                                     "'sheet/county' AND user_name = 'office'"),
                 2);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object = 'sheet/county' "
                                     "AND summary = 'replaced the county score sheet: 1 items, "
                                     "100 points, commend top 3, criticise bottom 2'"),
                 1);
}

Test(sheet, items_must_add_up_to_100, .init = setup, .fini = teardown, .timeout = 60)
{
    expect_sheet_rejected("item,group,content,max_points,kind,params\n"
                          "1,组织领导,a,8,manual,\n10,工作实绩,b,80,work_performance,\n"
                          "11,宣传,c,10,manual,\n",
                          "sheet-county.csv: line 1, column 4: the items' max_points add up to "
                          "98, not 100");
}

Test(sheet, bad_items_are_rejected, .init = setup, .fini = teardown, .timeout = 60)
{
#define SH "item,group,content,max_points,kind,params\n"
    expect_sheet_rejected(SH "1,g,c,100,bonus,\n",
                          "sheet-county.csv: line 2, column 5: unknown item kind 'bonus': "
                          "monthly_timeliness, halfyear_reports, work_performance, per_event, "
                          "manual, all_or_nothing, per_amount or supervision");
    expect_sheet_rejected(
        SH "1,g,c,100,monthly_timeliness,per=3\n",
        "sheet-county.csv: line 2, column 6: params: unknown key \"per\" for kind "
        "monthly_timeliness (takes deduct)");
    expect_sheet_rejected(SH "1,g,c,100,halfyear_reports,deduct=-2\n",
                          "sheet-county.csv: line 2, column 6: params: deduct: -2 must not be "
                          "negative");
    expect_sheet_rejected(SH "1,g,c,100,per_event,deduct\n",
                          "sheet-county.csv: line 2, column 6: params: \"deduct\" is not "
                          "key=value");
    expect_sheet_rejected(SH "1,g,c,100,per_event,deduct=1;deduct=2\n",
                          "sheet-county.csv: line 2, column 6: params: key \"deduct\" given twice");
    expect_sheet_rejected(
        SH "1,g,c,100,work_performance,deduct=1\n",
        "sheet-county.csv: line 2, column 6: params: kind work_performance takes no "
        "parameters, got key \"deduct\"");
    expect_sheet_rejected(SH "1,g,c,100,manual,x=1\n",
                          "sheet-county.csv: line 2, column 6: params: kind manual takes no "
                          "parameters, got key \"x\"");
    expect_sheet_rejected(
        SH "1,g,c,100,all_or_nothing,award=1\n",
        "sheet-county.csv: line 2, column 6: params: kind all_or_nothing takes no "
        "parameters, got key \"award\"");
    expect_sheet_rejected(SH "1,g,c,100,per_amount,per=0\n",
                          "sheet-county.csv: line 2, column 6: params: per must be greater than 0");
    expect_sheet_rejected(SH "1,g,c,100,per_amount,per=1000;bonus=1\n",
                          "sheet-county.csv: line 2, column 6: params: unknown key \"bonus\" for "
                          "kind per_amount (takes per, award, cap)");
    expect_sheet_rejected(SH "1,g,c,100,per_amount,cap=nan\n",
                          "sheet-county.csv: line 2, column 6: params: cap: \"nan\" is not a "
                          "number");
    expect_sheet_rejected(SH "x,g,c,100,manual,\n",
                          "sheet-county.csv: line 2, column 1: item 'x' is not an item number "
                          "1..999");
    expect_sheet_rejected(SH "1,g,c,50,manual,\n1,g,c,50,manual,\n",
                          "sheet-county.csv: line 3, column 1: duplicate item 1 (first on line "
                          "2)");
    expect_sheet_rejected(SH "1,g,c,lots,manual,\n",
                          "sheet-county.csv: line 2, column 4: max_points 'lots' is not a number "
                          "of points in (0, 100]");
    expect_sheet_rejected(SH "1,g,c,100,manual\n",
                          "sheet-county.csv: line 2, column 6: missing field: expected 6 fields, "
                          "found 5");
    expect_sheet_rejected("item,group,content,points,kind,params\n1,g,c,100,manual,\n",
                          "sheet-county.csv: line 1, column 4: header: expected column 4 "
                          "'max_points', found 'points'");
    expect_sheet_rejected(SH "1,g,\xC3\x28,100,manual,\n",
                          "sheet-county.csv: line 2, column 3: invalid UTF-8");
    expect_sheet_rejected(SH, "sheet-county.csv: line 2: no items after the header");
    reply r;
    cr_assert_eq(import_sheet("province", SHEET, &r), PW_INVALID_ARGUMENT);
    cr_assert_str_eq(r.message, "unknown category 'province': county or department");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM sheets"), 0);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object LIKE 'sheet/%'"), 0);
#undef SH
}

/* ---- real plans (issue 13): optional columns, revisions ------------------------ */

static int revise_plan(const char *token, const char *ind, const char *tg, const char *effective,
                       const char *reason, reply *r)
{
    Planwatch__V1__RevisePlanRequest req = PLANWATCH__V1__REVISE_PLAN_REQUEST__INIT;
    req.plan = "demo";
    req.indicators_csv.data = (uint8_t *)ind;
    req.indicators_csv.len = strlen(ind);
    req.targets_csv.data = (uint8_t *)tg;
    req.targets_csv.len = strlen(tg);
    req.effective = (char *)effective;
    req.reason = (char *)reason;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, token, "/planwatch.v1.PlanService/Revise", &req.base,
                          &planwatch__v1__revise_plan_response__descriptor, &resp, &res);
    reply_take(r, st, resp, &res);
    return st;
}

#define IND_HDR2                                                                                   \
    "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,"                 \
    "coop_units,resp_units,aggregate\n"
#define TG_HDR2 "indicator_id,year,unit,target,baseline,tolerance,due\n"

Test(plan, optional_columns_in_any_order_and_their_errors)
{
    /* the optional columns may come in any order; today's files still import */
    reply r;
    cr_assert_eq(import_plan("indicator_id,level1,level2,level3,unit_of_measure,kind,direction,"
                             "lead_units,coop_units,aggregate,resp_units\n"
                             "T1,a,b,任务,none,task,up,zhou_zhujianju;zhou_gonganju,,min,jishou\n",
                             "indicator_id,year,unit,target,baseline,due\nT1,2018,,1,,2018-06\n",
                             &r),
                 PW_OK, "%s", r.message);
    reply_free(&r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM indicator_units WHERE role = 'resp'"),
                 1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM indicators WHERE aggregate = 'min'"), 1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM targets WHERE due = '2018-06'"), 1);

    expect_rejected(IND_HDR2 "T1,a,b,c,none,task,up,zhou_zhujianju,,jishou;jishou,\n",
                    TG_HDR2 "T1,2018,,1,,,\n",
                    "indicators.csv: line 2, column 10: unit 'jishou' is listed twice");
    expect_rejected(IND_HDR2 "T1,a,b,c,none,task,up,zhou_zhujianju,,zhou_zhujianju,\n",
                    TG_HDR2 "T1,2018,,1,,,\n",
                    "indicators.csv: line 2, column 10: unit 'zhou_zhujianju' is listed twice");
    expect_rejected(IND_HDR2 "T1,a,b,c,none,task,up,zhou_zhujianju,,,median\n",
                    TG_HDR2 "T1,2018,,1,,,\n",
                    "indicators.csv: line 2, column 11: unknown aggregate 'median': sum, mean, "
                    "min, max, first or empty");
    expect_rejected(IND_HDR2 "G1,a,b,c,%,threshold,band,zhou_zhujianju,,,\n",
                    TG_HDR2 "G1,2018,,135,,-1,\n",
                    "targets.csv: line 2, column 6: tolerance '-1' is not a number >= 0");
    expect_rejected(IND_HDR2 "G1,a,b,c,%,threshold,up,zhou_zhujianju,,,\n",
                    TG_HDR2 "G1,2018,,7,,1,\n",
                    "targets.csv: line 2, column 6: a tolerance is for threshold indicators of "
                    "direction band; G1 is not one");
    expect_rejected(IND_HDR2 "M1,a,b,c,none,milestone,up,zhou_zhujianju,,,\n",
                    TG_HDR2 "M1,2018,,1,,,2019-01\n",
                    "targets.csv: line 2, column 7: due '2019-01' is not a month YYYY-MM of the "
                    "target's year 2018");
    expect_rejected(IND_HDR2 "C1,a,b,c,套,cumulative,up,zhou_zhujianju,,,\n",
                    TG_HDR2 "C1,2018,,100,,,2018-05\n",
                    "targets.csv: line 2, column 7: a due month is for milestones and tasks; C1 "
                    "is cumulative");
    expect_rejected(IND_HDR2 "T1,a,b,c,none,task,up,zhou_zhujianju,,,\n", TG_HDR2 "T1,2018,,2,,,\n",
                    "targets.csv: line 2, column 4: indicator T1 is a task: its target is 1 "
                    "(done), not 2");
    expect_rejected(IND_HDR "I1,a,b,c,%,level,up,zhou_zhujianju,,owner\n", TG_HDR "I1,2018,,1,\n",
                    "indicators.csv: line 2, column 10: unexpected field: expected 9 fields, "
                    "found 10");
    expect_rejected("indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,"
                    "coop_units,owner\nI1,a,b,c,%,level,up,zhou_zhujianju,,x\n",
                    TG_HDR "I1,2018,,1,\n",
                    "indicators.csv: line 1, column 10: header: unexpected column 10 'owner': the "
                    "optional columns are resp_units, aggregate");
}

Test(plan, revise_validates_first_and_changes_nothing_on_error)
{
    reply r;
    cr_assert_eq(import_plan(IND, TG, &r), PW_OK, "%s", r.message);
    reply_free(&r);
    int n_ind = pw_test_sql_int(&T, "SELECT count(*) FROM indicators");
    /* no reason, a bad month, a month outside the revised targets' years */
    cr_assert_eq(revise_plan(office, IND, TG, "2018-07", "", &r), PW_INVALID_ARGUMENT);
    cr_assert(strstr(r.message, "--reason must be"), "%s", r.message);
    reply_free(&r);
    cr_assert_eq(revise_plan(office, IND, TG, "2018-13", "x", &r), PW_INVALID_ARGUMENT);
    cr_assert(strstr(r.message, "--effective"), "%s", r.message);
    reply_free(&r);
    cr_assert_eq(revise_plan(office, IND, TG, "2021-01", "x", &r), PW_OUT_OF_RANGE);
    reply_free(&r);
    /* a bad file: file, line and column, nothing stored */
    cr_assert_eq(revise_plan(office, IND, TG_HDR "I01,2018,,abc,\n", "2018-07", "x", &r),
                 PW_INVALID_ARGUMENT);
    cr_assert_str_eq(r.message, "targets.csv: line 2, column 4: target 'abc' is not a number");
    reply_free(&r);
    /* reporters may not revise */
    char li[80];
    pw_test_login(&T, "li", "reporter11", li);
    cr_assert_eq(revise_plan(li, IND, TG, "2018-07", "x", &r), PW_PERMISSION_DENIED);
    reply_free(&r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM indicators"), n_ind);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM plan_revisions"), 1);

    /* a good one: revision 1 from July; then nothing earlier or equal */
    cr_assert_eq(revise_plan(office, IND, TG, "2018-07", "细化", &r), PW_OK, "%s", r.message);
    const Planwatch__V1__RevisePlanResponse *v = (const Planwatch__V1__RevisePlanResponse *)r.resp;
    cr_assert_eq(v->revision->revision, 1);
    cr_assert_eq(v->n_added + v->n_changed + v->n_retired, 0); /* the same files */
    reply_free(&r);
    cr_assert_eq(revise_plan(office, IND, TG, "2018-07", "again", &r), PW_FAILED_PRECONDITION);
    reply_free(&r);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM plan_revisions"), 2);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM indicators"), 2 * n_ind);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE summary LIKE "
                                     "'revision 1 of plan demo effective 2018-07 (细化)%'"),
                 1);
}
