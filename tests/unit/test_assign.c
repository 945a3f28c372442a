/*
 * test_assign.c - the stored assignments (issue 18, server/store/assign.c)
 * against the plan's tables, through the real server and SQLite file: a
 * plan with every kind of assignment (own targets, leads with the
 * plan-wide target, responsible units without a target, baselines, band
 * tolerances, due months, two years) imported and revised; for every unit,
 * year and month the stored copy must equal what the per-unit SQL of
 * pw_store_plan_assignments_tables reads (different code: one query per unit
 * with joins).  Then the triggers: a change to the plan's tables behind
 * the server's back drops the mark, readers fall back to the tables, and
 * opening the database rebuilds the copy.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/status.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/plan.pb-c.h"
#include "server/store/assign.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char office[80];

static const char *const units[] = {"jishou", "luxi",   "fenghuang", "wenlv",
                                    "fagai",  "nongye", "keji"};
enum { NUNITS = sizeof units / sizeof *units };

static const char IND[] =
    "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units,"
    "resp_units,aggregate\n"
    "T01,产业,文旅,接待游客,万人次,cumulative,up,wenlv,fagai,jishou;luxi,\n"
    "M01,产业,文旅,旅发大会,none,milestone,up,wenlv,,,\n"
    "G01,产业,农业,生猪出栏,万头,threshold,band,nongye,,,\n"
    "G02,产业,项目,投资增长,%,threshold,up,fagai,wenlv;nongye,,\n"
    "S01,科技,创新,研发投入,亿元,cumulative,up,fagai;keji,,,sum\n"
    "L01,民生,城镇,城镇化率,%,level,up,,,,\n"
    "D01,生态,能耗,单位能耗,吨,level,down,keji,,fenghuang,\n";
static const char TG[] = "indicator_id,year,unit,target,baseline,tolerance,due\n"
                         "T01,2024,,6000,,,\n"
                         "T01,2024,jishou,1200,1000,,\n"
                         "M01,2024,,1,,,2024-09\n"
                         "G01,2024,,135,,5,\n"
                         "G02,2024,,10,8,,\n"
                         "S01,2024,,50,,,\n"
                         "L01,2024,jishou,60,55,,\n"
                         "L01,2024,luxi,58,,,\n"
                         "L01,2024,fenghuang,52.5,,,\n"
                         "D01,2024,,0.8,0.9,,\n"
                         "D01,2024,fenghuang,0.85,,,\n"
                         "T01,2025,,7000,,,\n"
                         "L01,2025,jishou,62,,,\n";
/* the revision: M01 due later, a new unit target, G01's band narrower */
static const char TG1[] = "indicator_id,year,unit,target,baseline,tolerance,due\n"
                          "T01,2024,,6100,,,\n"
                          "T01,2024,luxi,900,,,\n"
                          "M01,2024,,1,,,2024-11\n"
                          "G01,2024,,135,,3,\n"
                          "G02,2024,,10,8,,\n"
                          "S01,2024,,55,,,\n"
                          "L01,2024,jishou,61,55,,\n"
                          "L01,2024,luxi,58,,,\n"
                          "D01,2024,,0.8,0.9,,\n";

static void setup(void)
{
    pw_test_server_start(&T, "2024-01-02T09:00:00+08:00");
    for (size_t u = 0; u < NUNITS; u++)
        pw_test_add_unit(&T, units[u], units[u], u < 3 ? "county" : "department");
    pw_test_add_user_login(&T, "office", "office", NULL, "office111", office);
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(assign, .init = setup, .fini = teardown, .timeout = 60);

static void import(const char *tg, const char *effective)
{
    ProtobufCMessage *resp;
    if (!effective) {
        Planwatch__V1__ImportPlanRequest req = PLANWATCH__V1__IMPORT_PLAN_REQUEST__INIT;
        req.plan = "real";
        req.name = "八大行动";
        req.indicators_csv = (ProtobufCBinaryData){strlen(IND), (uint8_t *)IND};
        req.targets_csv = (ProtobufCBinaryData){strlen(tg), (uint8_t *)tg};
        resp = pw_test_call_ok(&T, office, "/planwatch.v1.PlanService/Import", &req.base,
                               &planwatch__v1__import_plan_response__descriptor);
    } else {
        Planwatch__V1__RevisePlanRequest req = PLANWATCH__V1__REVISE_PLAN_REQUEST__INIT;
        req.plan = "real";
        req.indicators_csv = (ProtobufCBinaryData){strlen(IND), (uint8_t *)IND};
        req.targets_csv = (ProtobufCBinaryData){strlen(tg), (uint8_t *)tg};
        req.effective = (char *)effective;
        req.reason = "细化";
        resp = pw_test_call_ok(&T, office, "/planwatch.v1.PlanService/Revise", &req.base,
                               &planwatch__v1__revise_plan_response__descriptor);
    }
    protobuf_c_message_free_unpacked(resp, NULL);
}

static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* One unit-year-month: the stored copy equals the tables' rows, field by
 * field.  Returns the number of rows compared. */
static size_t compare_one(pw_db *db, const char *unit, int year, int month, int want_stored)
{
    pw_arena a;
    pw_arena_init(&a);
    pw_assignment *want, *got = NULL;
    size_t nwant, ngot = 0;
    cr_assert_eq(pw_store_plan_assignments_tables(db, &a, "real", unit, year, month, &want, &nwant),
                 PW_OK);
    pw_assign_cursor *c;
    cr_assert_eq(pw_store_assign_open(db, &a, "real", year, month, unit, unit, &c), PW_OK);
    cr_assert_eq(pw_store_assign_stored(c), want_stored, "%s %d-%02d: stored %d", unit, year, month,
                 pw_store_assign_stored(c));
    const char *u;
    int *pos;
    int st = pw_store_assign_next(c, &a, &u, &got, &pos, &ngot);
    cr_assert(st == PW_OK || st == PW_NOT_FOUND);
    if (st == PW_OK) {
        cr_assert_str_eq(u, unit);
        size_t nids;
        const pw_assignment *ids = pw_store_assign_indicators(c, &nids);
        for (size_t i = 0; i < ngot; i++)
            cr_assert(pos[i] >= 0 && (size_t)pos[i] < nids &&
                      strcmp(ids[pos[i]].indicator_id, got[i].indicator_id) == 0);
        cr_assert_eq(pw_store_assign_next(c, &a, &u, &got, &pos, &ngot) == PW_NOT_FOUND, 1,
                     "%s: one unit asked, two returned", unit);
        pw_assignment *one;
        size_t none;
        cr_assert_eq(pw_store_plan_assignments(db, &a, "real", unit, year, month, &one, &none),
                     PW_OK);
        cr_assert_eq(none, ngot, "%s: the one-unit read differs from the walk", unit);
        for (size_t i = 0; i < none; i++)
            cr_assert(memcmp(&one[i].target, &got[i].target, sizeof one[i].target) == 0 &&
                      strcmp(one[i].indicator_id, got[i].indicator_id) == 0);
    } else
        ngot = 0;
    pw_store_assign_close(c);
    cr_assert_eq(ngot, nwant, "%s %d-%02d: %zu stored rows, %zu in the tables", unit, year, month,
                 ngot, nwant);
    for (size_t i = 0; i < nwant; i++) {
        const pw_assignment *x = &got[i], *y = &want[i];
        cr_assert(same_text(x->indicator_id, y->indicator_id) && same_text(x->level1, y->level1) &&
                      same_text(x->level2, y->level2) && same_text(x->level3, y->level3) &&
                      same_text(x->uom, y->uom) && same_text(x->kind, y->kind) &&
                      same_text(x->direction, y->direction),
                  "%s %d-%02d row %zu: texts %s/%s %s/%s", unit, year, month, i, x->indicator_id,
                  y->indicator_id, x->kind, y->kind);
        cr_assert(x->own_target == y->own_target && x->is_lead == y->is_lead &&
                      x->is_resp == y->is_resp && x->seq == y->seq && x->due_month == y->due_month,
                  "%s %d-%02d %s: flags", unit, year, month, y->indicator_id);
        cr_assert(x->target == y->target && x->has_baseline == y->has_baseline &&
                      (!y->has_baseline || x->baseline == y->baseline) &&
                      x->has_tolerance == y->has_tolerance &&
                      (!y->has_tolerance || x->tolerance == y->tolerance),
                  "%s %d-%02d %s: numbers %g/%g", unit, year, month, y->indicator_id, x->target,
                  y->target);
    }
    pw_arena_fini(&a);
    return nwant;
}

static pw_db *open_db(pw_store **st)
{
    *st = pw_test_store_open(T.db);
    pw_db *db;
    char err[256];
    cr_assert_eq(pw_store_open_reader(*st, &db, err, sizeof err), 0, "%s", err);
    return db;
}

static size_t compare_all(int want_stored)
{
    pw_store *st;
    pw_db *db = open_db(&st);
    size_t rows = 0;
    for (size_t u = 0; u < NUNITS; u++)
        for (int y = 2024; y <= 2026; y++)
            for (int m = 1; m <= 12; m++)
                rows += compare_one(db, units[u], y, m, want_stored);
    pw_db_close(db);
    pw_store_close(st);
    return rows;
}

Test(assign, stored_copy_equals_the_plan_tables)
{
    import(TG, NULL);
    size_t rows0 = compare_all(1);
    cr_assert_gt(rows0, 100);
    import(TG1, "2024-05");
    size_t rows1 = compare_all(1);
    cr_assert_neq(rows0, rows1, "the revision changed nothing the test can see");
    /* a corrected import (no reports yet) replaces the copy */
    import(TG1, NULL);
    compare_all(1);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM assign_built WHERE plan_id = 'real'"),
                 1);
}

/* The target of (unit, indicator) in the dispatch appendix of `period`,
 * as the running server reads it; -1 when there is no such cell. */
static double cell_target(const char *period, const char *unit, const char *indicator)
{
    Planwatch__V1__DispatchRequest req = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    req.plan = "real";
    req.period = (char *)period;
    Planwatch__V1__DispatchSummary *d = (Planwatch__V1__DispatchSummary *)pw_test_call_ok(
        &T, office, "/planwatch.v1.DispatchService/Get", &req.base,
        &planwatch__v1__dispatch_summary__descriptor);
    double t = -1;
    for (size_t i = 0; i < d->n_cells; i++)
        if (strcmp(d->cells[i]->unit, unit) == 0 && strcmp(d->cells[i]->indicator, indicator) == 0)
            t = d->cells[i]->target;
    protobuf_c_message_free_unpacked(&d->base, NULL);
    return t;
}

Test(assign, a_change_behind_the_server_drops_the_copy_until_rebuilt)
{
    import(TG, NULL);
    import(TG1, "2024-05");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM assign_built"), 2);
    cr_assert_eq(cell_target("2024-05", "jishou", "L01"), 61);
    pw_test_sql(&T, "UPDATE targets SET value = value + 1 WHERE unit_id = 'jishou' AND rev = 1");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM assign_built WHERE rev = 1"), 0);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM assign_built WHERE rev = 0"), 1);
    /* the server reads rev 1 (from May) from the tables: the new value */
    cr_assert_eq(cell_target("2024-05", "jishou", "L01"), 62);
    cr_assert_eq(cell_target("2024-04", "jishou", "L01"), 60);
    pw_test_sql(&T, "DELETE FROM indicator_units WHERE unit_id = 'keji' AND rev = 0");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM assign_built"), 0);
    pw_store *st = pw_test_store_open(T.db); /* what planwatchd does when it starts */
    pw_store_close(st);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM assign_built"), 2);
    compare_all(1);
}
