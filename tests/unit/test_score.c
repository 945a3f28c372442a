/*
 * test_score.c - the scoring engine (SPEC 3.5).
 *
 * Every expected number is computed by hand in a comment beside it.  The
 * "mini plan" fixture at the end covers every item kind; a later end-to-end
 * test reproduces the same totals through the real server.
 */
#include "server/engine/score.h"

#include "common/status.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define EPS 1e-9

/* Fixtures list the leading fields of sheets and inputs; the fields added
 * later (flag settings, overrides) are zero = defaults / none. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- helpers ---------------------------------------------------------------- */

static pw_score_params params(pw_score_kind kind, const char *text)
{
    pw_score_params p;
    char err[256] = "";

    cr_assert_eq(pw_score_params_parse(kind, text, &p, err, sizeof(err)), PW_OK, "%s", err);
    return p;
}

static pw_score_item item(int number, pw_score_kind kind, double max, const char *ptext)
{
    pw_score_item it;

    memset(&it, 0, sizeof(it));
    it.number = number;
    it.group = "group";
    it.content = "content";
    it.max_points = max;
    it.kind = kind;
    it.params = params(kind, ptext);
    return it;
}

/* A unit with every month and half-year on time; the deadlines of months
 * 1..months_passed have passed, those of H1 / H2 as given. */
static pw_score_unit unit(const char *id, const char *category, int months_passed, int h1_passed,
                          int h2_passed)
{
    pw_score_unit u;

    memset(&u, 0, sizeof(u));
    u.id = id;
    u.category = category;
    for (int m = 0; m < 12; m++) {
        u.months[m].deadline_passed = m < months_passed;
        u.months[m].receipt = PW_SCORE_ON_TIME;
    }
    u.halfyears[0].deadline_passed = h1_passed;
    u.halfyears[1].deadline_passed = h2_passed;
    return u;
}

static void late(pw_score_submission *s, int days)
{
    s->receipt = PW_SCORE_LATE;
    s->days_late = days;
}

static int has_line(const pw_score_explanation *why, const char *line)
{
    for (size_t i = 0; i < why->n_lines; i++)
        if (strcmp(why->lines[i], line) == 0)
            return 1;
    return 0;
}

static void dump(const pw_score_explanation *why)
{
    for (size_t i = 0; i < why->n_lines; i++)
        fprintf(stderr, "  | %s\n", why->lines[i]);
}

#define assert_line(why, text)                                                                     \
    do {                                                                                           \
        if (!has_line((why), (text))) {                                                            \
            dump(why);                                                                             \
            cr_assert(0, "no explanation line \"%s\"", (text));                                    \
        }                                                                                          \
    } while (0)

static const pw_score_item_result *item_of(const pw_score_unit_result *r, int number)
{
    for (size_t i = 0; i < r->n_items; i++)
        if (r->items[i].item == number)
            return &r->items[i];
    cr_assert(0, "no item %d", number);
    return NULL;
}

static const pw_score_unit_result *unit_of(const pw_score_result *res, const char *id)
{
    const pw_score_unit_result *r = pw_score_result_unit(res, id);

    cr_assert_not_null(r, "no unit %s", id);
    return r;
}

static pw_score_result *evaluate(const pw_score_input *in)
{
    pw_score_result *res = NULL;
    char err[256] = "";

    cr_assert_eq(pw_score_evaluate(in, &res, err, sizeof(err)), PW_OK, "%s", err);
    cr_assert_not_null(res);
    return res;
}

/* Evaluate, expect PW_INVALID_ARGUMENT with a message containing the
 * substring, and *out untouched. */
static void evaluate_fails(const pw_score_input *in, const char *expected_substring)
{
    pw_score_result *res = (pw_score_result *)0x1;
    char err[256] = "";

    cr_assert_eq(pw_score_evaluate(in, &res, err, sizeof(err)), PW_INVALID_ARGUMENT);
    cr_assert_eq(res, (pw_score_result *)0x1, "out written on failure");
    cr_assert(strstr(err, expected_substring) != NULL, "message \"%s\" lacks \"%s\"", err,
              expected_substring);
}

static const pw_score_window YEAR_2018 = {2018, 1, 12};
static const pw_score_window Q2_2018 = {2018, 1, 6};

/*
 * Score one unit on a two-item sheet: `it` plus a manual filler item 99 worth
 * the rest of the 100 points (no finding: full marks).
 */
static pw_score_result *score_one(pw_score_item it, pw_score_unit *u, pw_score_window w)
{
    static pw_score_item items[2];
    static pw_score_sheet sheet;
    pw_score_input in;

    items[0] = it;
    items[1] = item(99, PW_SCORE_MANUAL, 100 - it.max_points, NULL);
    sheet = (pw_score_sheet){"county", items, 2};
    u->category = "county";
    memset(&in, 0, sizeof(in));
    in.window = w;
    in.sheets = &sheet;
    in.n_sheets = 1;
    in.units = u;
    in.n_units = 1;
    return evaluate(&in);
}

/* ---- kinds and params ------------------------------------------------------- */

Test(score_params, kind_names_round_trip)
{
    cr_assert_eq(pw_score_kind_from_name("monthly_timeliness"), PW_SCORE_MONTHLY_TIMELINESS);
    cr_assert_eq(pw_score_kind_from_name("halfyear_reports"), PW_SCORE_HALFYEAR_REPORTS);
    cr_assert_eq(pw_score_kind_from_name("work_performance"), PW_SCORE_WORK_PERFORMANCE);
    cr_assert_eq(pw_score_kind_from_name("per_event"), PW_SCORE_PER_EVENT);
    cr_assert_eq(pw_score_kind_from_name("manual"), PW_SCORE_MANUAL);
    cr_assert_eq(pw_score_kind_from_name("all_or_nothing"), PW_SCORE_ALL_OR_NOTHING);
    cr_assert_eq(pw_score_kind_from_name("per_amount"), PW_SCORE_PER_AMOUNT);
    cr_assert_eq(pw_score_kind_from_name("proportional"), -1);
    cr_assert_eq(pw_score_kind_from_name(""), -1);
    cr_assert_eq(pw_score_kind_from_name(NULL), -1);
    for (int k = 0; k < PW_SCORE_KIND_COUNT; k++)
        cr_assert_eq(pw_score_kind_from_name(pw_score_kind_name((pw_score_kind)k)), k);
    cr_assert_str_eq(pw_score_kind_name(PW_SCORE_KIND_COUNT), "?");
    cr_assert_eq(pw_score_kind_is_computed(PW_SCORE_WORK_PERFORMANCE), 1);
    cr_assert_eq(pw_score_kind_is_computed(PW_SCORE_MANUAL), 0);
    cr_assert_eq(pw_score_kind_is_computed(PW_SCORE_KIND_COUNT), -1);
}

Test(score_params, defaults_per_kind)
{
    cr_assert_float_eq(params(PW_SCORE_MONTHLY_TIMELINESS, NULL).deduct, 0.5, EPS);
    cr_assert_float_eq(params(PW_SCORE_HALFYEAR_REPORTS, "").deduct, 2, EPS);
    cr_assert_float_eq(params(PW_SCORE_PER_EVENT, NULL).deduct, 1, EPS);
    pw_score_params p = params(PW_SCORE_PER_AMOUNT, NULL);
    cr_assert_float_eq(p.per, 1000, EPS);
    cr_assert_float_eq(p.award, 0.5, EPS);
    cr_assert_float_eq(p.cap, 4, EPS);
    cr_assert_float_eq(p.deduct, 0, EPS);
    p = params(PW_SCORE_MANUAL, "");
    cr_assert_float_eq(p.deduct + p.per + p.award + p.cap, 0, EPS);
}

Test(score_params, parses_given_values)
{
    pw_score_params p = params(PW_SCORE_PER_AMOUNT, "per=1000;award=0.5;cap=4");
    cr_assert_float_eq(p.per, 1000, EPS);
    cr_assert_float_eq(p.award, 0.5, EPS);
    cr_assert_float_eq(p.cap, 4, EPS);

    /* order free, blanks and a trailing ';' ignored, missing keys default */
    p = params(PW_SCORE_PER_AMOUNT, " cap = 2.5 ; per=500 ;");
    cr_assert_float_eq(p.per, 500, EPS);
    cr_assert_float_eq(p.award, 0.5, EPS);
    cr_assert_float_eq(p.cap, 2.5, EPS);

    cr_assert_float_eq(params(PW_SCORE_MONTHLY_TIMELINESS, "deduct=0.25").deduct, 0.25, EPS);
    cr_assert_float_eq(params(PW_SCORE_PER_EVENT, "deduct=+3.").deduct, 3, EPS);
    cr_assert_float_eq(params(PW_SCORE_PER_EVENT, "deduct=.5").deduct, 0.5, EPS);
    cr_assert_float_eq(params(PW_SCORE_PER_EVENT, "deduct=0").deduct, 0, EPS);
}

static void params_fail(pw_score_kind kind, const char *text, const char *expected)
{
    pw_score_params p, sentinel;
    char err[256] = "";

    memset(&sentinel, 0x77, sizeof(sentinel));
    p = sentinel;
    cr_assert_eq(pw_score_params_parse(kind, text, &p, err, sizeof(err)), PW_INVALID_ARGUMENT,
                 "\"%s\" accepted", text);
    cr_assert_str_eq(err, expected);
    cr_assert_eq(memcmp(&p, &sentinel, sizeof(p)), 0, "out written on failure");
}

Test(score_params, errors_name_the_key)
{
    params_fail(PW_SCORE_PER_AMOUNT, "per=1000;bonus=2",
                "params: unknown key \"bonus\" for kind per_amount (takes per, award, cap)");
    params_fail(PW_SCORE_MONTHLY_TIMELINESS, "per=1000",
                "params: unknown key \"per\" for kind monthly_timeliness (takes deduct)");
    params_fail(PW_SCORE_MANUAL, "deduct=1",
                "params: kind manual takes no parameters, got key \"deduct\"");
    params_fail(PW_SCORE_PER_EVENT, "deduct=abc", "params: deduct: \"abc\" is not a number");
    params_fail(PW_SCORE_PER_EVENT, "deduct=", "params: deduct: \"\" is not a number");
    params_fail(PW_SCORE_PER_EVENT, "deduct=1e3", "params: deduct: \"1e3\" is not a number");
    params_fail(PW_SCORE_PER_EVENT, "deduct=0,5", "params: deduct: \"0,5\" is not a number");
    params_fail(PW_SCORE_PER_EVENT, "deduct=1.2.3", "params: deduct: \"1.2.3\" is not a number");
    params_fail(PW_SCORE_PER_EVENT, "deduct=inf", "params: deduct: \"inf\" is not a number");
    params_fail(PW_SCORE_PER_EVENT, "deduct=-1", "params: deduct: -1 must not be negative");
    params_fail(PW_SCORE_PER_AMOUNT, "award=-0.5", "params: award: -0.5 must not be negative");
    params_fail(PW_SCORE_PER_AMOUNT, "per=0", "params: per must be greater than 0");
    params_fail(PW_SCORE_PER_EVENT, "deduct=1;deduct=2", "params: key \"deduct\" given twice");
    params_fail(PW_SCORE_PER_EVENT, "deduct", "params: \"deduct\" is not key=value");
    params_fail(PW_SCORE_PER_EVENT, "=1", "params: a value without a key");
    params_fail((pw_score_kind)42, "", "unknown item kind 42");
}

/* ---- sheets ----------------------------------------------------------------- */

static void sheet_fail(const pw_score_item *items, size_t n, const char *expected)
{
    pw_score_sheet sheet = {"county", items, n};
    char err[256] = "";

    cr_assert_eq(pw_score_sheet_check(&sheet, err, sizeof(err)), PW_INVALID_ARGUMENT);
    cr_assert_str_eq(err, expected);
}

Test(score_sheet, items_must_add_up_to_100)
{
    pw_score_item items[3] = {
        item(1, PW_SCORE_MONTHLY_TIMELINESS, 2, NULL),
        item(2, PW_SCORE_WORK_PERFORMANCE, 80, NULL),
        item(3, PW_SCORE_MANUAL, 18, NULL),
    };
    pw_score_sheet sheet = {"county", items, 3};
    char err[256] = "";

    cr_assert_eq(pw_score_sheet_check(&sheet, err, sizeof(err)), PW_OK, "%s", err);

    items[2].max_points = 17.5; /* 99.5 */
    sheet_fail(items, 3, "the items add up to 99.5 points, not 100");
    items[2].max_points = 28; /* 110: the seed's group headings */
    sheet_fail(items, 3, "the items add up to 110 points, not 100");

    /* 33.3 + 33.3 + 33.4 is 100.00000000000001 in binary: accepted */
    pw_score_item thirds[3] = {
        item(1, PW_SCORE_MANUAL, 33.3, NULL),
        item(2, PW_SCORE_MANUAL, 33.3, NULL),
        item(3, PW_SCORE_MANUAL, 33.4, NULL),
    };
    sheet = (pw_score_sheet){"county", thirds, 3};
    cr_assert_eq(pw_score_sheet_check(&sheet, err, sizeof(err)), PW_OK, "%s", err);
}

Test(score_sheet, item_rules)
{
    pw_score_item items[2] = {
        item(1, PW_SCORE_MANUAL, 50, NULL),
        item(1, PW_SCORE_MANUAL, 50, NULL),
    };
    sheet_fail(items, 2, "item 1: the item number appears twice");

    items[1].number = 0;
    sheet_fail(items, 2, "item 0: the item number must be greater than 0");

    items[1].number = 2;
    items[1].max_points = 0;
    items[0].max_points = 100;
    sheet_fail(items, 2, "item 2: max_points 0 must be greater than 0");

    items[1].max_points = -10;
    items[0].max_points = 110;
    sheet_fail(items, 2, "item 2: max_points -10 must be greater than 0");

    items[0] = item(1, PW_SCORE_PER_AMOUNT, 50, NULL);
    items[0].params.per = 0; /* bypassing the parser */
    items[1] = item(2, PW_SCORE_MANUAL, 50, NULL);
    sheet_fail(items, 2, "item 1: params: per must be greater than 0");

    items[0] = item(1, PW_SCORE_MANUAL, 50, NULL);
    items[0].kind = (pw_score_kind)99;
    sheet_fail(items, 2, "item 1: unknown kind 99");

    sheet_fail(items, 0, "the sheet has no items");
    pw_score_sheet nocat = {"", items, 2};
    cr_assert_eq(pw_score_sheet_check(&nocat, NULL, 0), PW_INVALID_ARGUMENT);
}

Test(score_sheet, item_lookup)
{
    pw_score_item items[2] = {
        item(3, PW_SCORE_MANUAL, 50, NULL),
        item(10, PW_SCORE_WORK_PERFORMANCE, 50, NULL),
    };
    pw_score_sheet sheet = {"county", items, 2};

    cr_assert_eq(pw_score_sheet_item(&sheet, 10), &items[1]);
    cr_assert_eq(pw_score_sheet_item(&sheet, 3), &items[0]);
    cr_assert_null(pw_score_sheet_item(&sheet, 9));
}

/* ---- findings ----------------------------------------------------------------- */

static void finding_fail(pw_score_item it, double value, const char *expected)
{
    char err[256] = "";

    cr_assert_eq(pw_score_finding_check(&it, value, err, sizeof(err)), PW_INVALID_ARGUMENT);
    cr_assert_str_eq(err, expected);
}

Test(score_finding, check_per_kind)
{
    pw_score_item manual = item(5, PW_SCORE_MANUAL, 5, NULL);
    pw_score_item aon = item(6, PW_SCORE_ALL_OR_NOTHING, 2, NULL);
    pw_score_item event = item(4, PW_SCORE_PER_EVENT, 2, "deduct=0.5");
    pw_score_item amount = item(7, PW_SCORE_PER_AMOUNT, 4, NULL);

    cr_assert_eq(pw_score_finding_check(&manual, 0, NULL, 0), PW_OK);
    cr_assert_eq(pw_score_finding_check(&manual, 3.5, NULL, 0), PW_OK);
    cr_assert_eq(pw_score_finding_check(&manual, 5, NULL, 0), PW_OK);
    finding_fail(manual, 5.5, "item 5 (manual): points 5.5 outside [0, 5]");
    finding_fail(manual, -1, "item 5 (manual): points -1 outside [0, 5]");
    finding_fail(manual, NAN, "item 5 (manual): the value is not a finite number");

    cr_assert_eq(pw_score_finding_check(&aon, 0, NULL, 0), PW_OK);
    cr_assert_eq(pw_score_finding_check(&aon, 2, NULL, 0), PW_OK);
    finding_fail(aon, 1, "item 6 (all_or_nothing): points must be 0 or 2, got 1");
    finding_fail(aon, 3, "item 6 (all_or_nothing): points must be 0 or 2, got 3");

    cr_assert_eq(pw_score_finding_check(&event, 3, NULL, 0), PW_OK);
    finding_fail(event, 1.5, "item 4 (per_event): the count must be a whole number >= 1, got 1.5");
    finding_fail(event, 0, "item 4 (per_event): the count must be a whole number >= 1, got 0");

    cr_assert_eq(pw_score_finding_check(&amount, 0, NULL, 0), PW_OK);
    cr_assert_eq(pw_score_finding_check(&amount, 2500.5, NULL, 0), PW_OK);
    finding_fail(amount, -3, "item 7 (per_amount): the amount -3 is negative");

    pw_score_item perf = item(10, PW_SCORE_WORK_PERFORMANCE, 80, NULL);
    finding_fail(item(1, PW_SCORE_MONTHLY_TIMELINESS, 2, NULL), 1,
                 "item 1 (monthly_timeliness) is computed by the server; it takes no findings");
    finding_fail(item(8, PW_SCORE_HALFYEAR_REPORTS, 4, NULL), 1,
                 "item 8 (halfyear_reports) is computed by the server; it takes no findings");
    /* work performance: points for a unit with nothing to be judged on */
    cr_assert_eq(pw_score_finding_check(&perf, 60, NULL, 0), PW_OK);
    finding_fail(perf, 81, "item 10 (work_performance): points 81 outside [0, 80]");
}

/* ---- item kinds, one by one ---------------------------------------------------- */

Test(score_kind, monthly_timeliness_deducts_late_and_missing_months)
{
    /* year, all 12 months passed: Mar late 2 days, Jul missing, Nov late 1 day
     * -> 3 x 0.5 = 1.5 off 2 -> 0.5 */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    late(&u.months[2], 2);
    u.months[6].receipt = PW_SCORE_MISSING;
    late(&u.months[10], 1);
    pw_score_result *res = score_one(item(7, PW_SCORE_MONTHLY_TIMELINESS, 2, NULL), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 7);

    cr_assert_float_eq(it->points, 0.5, EPS);
    cr_assert_float_eq(it->max_points, 2, EPS);
    cr_assert_eq(it->kind, PW_SCORE_MONTHLY_TIMELINESS);
    cr_assert_eq(it->why.n_lines, 13); /* 12 months + summary */
    assert_line(&it->why, "2018-01: on time");
    assert_line(&it->why, "2018-03: late 2 days, -0.5");
    assert_line(&it->why, "2018-07: missing, -0.5");
    assert_line(&it->why, "2018-11: late 1 day, -0.5");
    assert_line(&it->why, "2.00 - 1.50 deducted = 0.50");
    pw_score_result_free(res);
}

Test(score_kind, monthly_timeliness_floors_at_zero)
{
    /* 6 missing x 0.5 = 3 off 2 -> -1 -> 0 */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    for (int m = 0; m < 6; m++)
        u.months[m].receipt = PW_SCORE_MISSING;
    pw_score_result *res = score_one(item(7, PW_SCORE_MONTHLY_TIMELINESS, 2, NULL), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 7);

    cr_assert_float_eq(it->points, 0, EPS);
    assert_line(&it->why, "2.00 - 3.00 deducted = -1.00");
    assert_line(&it->why, "-1.00 is below 0: floored at 0.00");
    pw_score_result_free(res);
}

Test(score_kind, extended_deadlines_are_explained)
{
    /* April on time against an extended deadline; the note is shown, the
     * points are those of an on-time month: 3 - 0 = 3 */
    pw_score_unit u = unit("u", "county", 12, 1, 1);
    u.months[3].deadline_note = "deadline extended to 2018-05-08: 五一假期顺延";
    late(&u.months[4], 2);
    u.months[4].deadline_note = "deadline extended to 2018-06-07: 端午";
    pw_score_result *res = score_one(item(1, PW_SCORE_MONTHLY_TIMELINESS, 3, NULL), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u"), 1);

    cr_assert_float_eq(it->points, 2.5, EPS); /* May late: -0.5 */
    assert_line(&it->why, "2018-04: on time (deadline extended to 2018-05-08: 五一假期顺延)");
    assert_line(&it->why, "2018-05: late 2 days, -0.5 (deadline extended to 2018-06-07: 端午)");
    pw_score_result_free(res);
}

Test(score_kind, supervision_items_closed_late_or_overdue)
{
    /* window 2018-01..06, deduct 1, item max 5:
     *   #1 due 03-31 closed 2 days late        -1
     *   #2 due 05-31 still open, overdue       -1
     *   #3 due 04-30 closed on time             0
     *   #4 due 06-30 open, not yet due          0
     *   #5 due 09-30 closed late: outside the window, not counted
     * 5 - 2 = 3 */
    pw_score_supervision sv[5] = {
        {1, "2018-03-31", 3, PW_SCORE_SUPERVISION_CLOSED_LATE, 2},
        {2, "2018-05-31", 5, PW_SCORE_SUPERVISION_OPEN_OVERDUE, 0},
        {3, "2018-04-30", 4, PW_SCORE_SUPERVISION_ON_TIME, 0},
        {4, "2018-06-30", 6, PW_SCORE_SUPERVISION_OPEN, 0},
        {5, "2018-09-30", 9, PW_SCORE_SUPERVISION_CLOSED_LATE, 4},
    };
    pw_score_unit u = unit("u", "county", 6, 1, 0);
    u.supervision = sv;
    u.n_supervision = 5;
    pw_score_result *res = score_one(item(8, PW_SCORE_SUPERVISION, 5, NULL), &u, Q2_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u"), 8);

    cr_assert_float_eq(it->points, 3, EPS);
    assert_line(&it->why, "supervision item #1 (due 2018-03-31): closed 2 days late, -1");
    assert_line(&it->why, "supervision item #2 (due 2018-05-31): still open, overdue, -1");
    assert_line(&it->why, "supervision item #3 (due 2018-04-30): closed on time");
    assert_line(&it->why, "supervision item #4 (due 2018-06-30): open, not yet due");
    assert_line(&it->why, "5.00 - 2.00 deducted = 3.00");
    pw_score_result_free(res);

    /* deduct=2 on a 3-point item: 3 - 4 -> floored at 0 */
    u.n_supervision = 2;
    res = score_one(item(8, PW_SCORE_SUPERVISION, 3, "deduct=2"), &u, Q2_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u"), 8)->points, 0, EPS);
    pw_score_result_free(res);

    /* a supervision item takes no findings; bad input is refused */
    pw_score_item si = item(8, PW_SCORE_SUPERVISION, 3, NULL);
    cr_assert_eq(pw_score_finding_check(&si, 1, NULL, 0), PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_score_kind_from_name("supervision"), PW_SCORE_SUPERVISION);
    cr_assert_eq(pw_score_kind_is_computed(PW_SCORE_SUPERVISION), 1);
}

Test(score_kind, months_before_their_deadline_do_not_count)
{
    /* scored on 2018-05-03 for 2018-Q2 (window Jan..Jun): Jan..Mar passed,
     * Apr (due May 5), May, Jun not yet.  Mar missing -0.5; Apr..Jun are
     * "missing" so far but count neither for nor against -> 2 - 0.5 = 1.5 */
    pw_score_unit u = unit("u1", "county", 3, 0, 0);
    for (int m = 2; m < 6; m++)
        u.months[m].receipt = PW_SCORE_MISSING;
    pw_score_result *res = score_one(item(7, PW_SCORE_MONTHLY_TIMELINESS, 2, NULL), &u, Q2_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 7);

    cr_assert_float_eq(it->points, 1.5, EPS);
    cr_assert_eq(it->why.n_lines, 7); /* 6 window months + summary */
    assert_line(&it->why, "2018-03: missing, -0.5");
    assert_line(&it->why, "2018-04: deadline not passed yet, not counted");
    assert_line(&it->why, "2018-06: deadline not passed yet, not counted");
    pw_score_result_free(res);
}

Test(score_kind, months_outside_the_window_are_not_read)
{
    /* window 2018-03 (Jan..Mar); months after March carry garbage that
     * would be refused (unknown receipt) if it were read */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    for (int m = 3; m < 12; m++)
        u.months[m].receipt = (pw_score_receipt)77;
    pw_score_window march = {2018, 1, 3};
    pw_score_result *res = score_one(item(7, PW_SCORE_MONTHLY_TIMELINESS, 2, NULL), &u, march);

    cr_assert_float_eq(item_of(unit_of(res, "u1"), 7)->points, 2, EPS);
    cr_assert_float_eq(res->t, 0.25, EPS);
    pw_score_result_free(res);
}

Test(score_kind, months_not_expected_do_not_count)
{
    /* the unit became active in April: Jan..Mar not expected; quarterly
     * plans mark months inside a quarter the same way */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    for (int m = 0; m < 3; m++)
        u.months[m].receipt = PW_SCORE_NOT_EXPECTED;
    u.months[4].receipt = PW_SCORE_MISSING;
    pw_score_result *res =
        score_one(item(7, PW_SCORE_MONTHLY_TIMELINESS, 2, "deduct=1"), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 7);

    cr_assert_float_eq(it->points, 1, EPS);
    assert_line(&it->why, "2018-02: no report expected, not counted");
    assert_line(&it->why, "2018-05: missing, -1");
    pw_score_result_free(res);
}

Test(score_kind, halfyear_reports)
{
    /* year: H1 received 3 days late (counts as missing) -2; H2 on time -> 2 */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    late(&u.halfyears[0], 3);
    pw_score_result *res = score_one(item(8, PW_SCORE_HALFYEAR_REPORTS, 4, NULL), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 8);

    cr_assert_float_eq(it->points, 2, EPS);
    assert_line(&it->why, "2018-H1: late 3 days, counts as missing, -2");
    assert_line(&it->why, "2018-H2: on time");
    pw_score_result_free(res);

    /* both missing: 4 - 4 = 0 */
    u = unit("u1", "county", 12, 1, 1);
    u.halfyears[0].receipt = PW_SCORE_MISSING;
    u.halfyears[1].receipt = PW_SCORE_MISSING;
    res = score_one(item(8, PW_SCORE_HALFYEAR_REPORTS, 4, NULL), &u, YEAR_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 8)->points, 0, EPS);
    assert_line(&item_of(unit_of(res, "u1"), 8)->why, "2018-H2: missing, -2");
    pw_score_result_free(res);
}

Test(score_kind, halfyear_counts_only_in_window_and_after_deadline)
{
    /* Q1 window: neither half-year is in it -> 4 even though both missing */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.halfyears[0].receipt = PW_SCORE_MISSING;
    u.halfyears[1].receipt = PW_SCORE_MISSING;
    pw_score_window q1 = {2018, 1, 3};
    pw_score_result *res = score_one(item(8, PW_SCORE_HALFYEAR_REPORTS, 4, NULL), &u, q1);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 8);
    cr_assert_float_eq(it->points, 4, EPS);
    assert_line(&it->why, "2018-H1: not in the window, not counted");
    pw_score_result_free(res);

    /* Q2 window scored before June 30: H1 in the window, deadline not passed */
    u.halfyears[0].deadline_passed = 0;
    res = score_one(item(8, PW_SCORE_HALFYEAR_REPORTS, 4, NULL), &u, Q2_2018);
    it = item_of(unit_of(res, "u1"), 8);
    cr_assert_float_eq(it->points, 4, EPS);
    assert_line(&it->why, "2018-H1: deadline not passed yet, not counted");
    assert_line(&it->why, "2018-H2: not in the window, not counted");
    pw_score_result_free(res);

    /* Q3 window after June 30: H1 counts (-2), H2 does not */
    u.halfyears[0].deadline_passed = 1;
    pw_score_window q3 = {2018, 1, 9};
    res = score_one(item(8, PW_SCORE_HALFYEAR_REPORTS, 4, NULL), &u, q3);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 8)->points, 2, EPS);
    pw_score_result_free(res);
}

Test(score_kind, work_performance_is_proportional)
{
    /* Q2: t = 0.5.  I01 0.42 -> 0.84; I02 0.75 -> 1.5 capped 1; I03 no
     * report 0 -> 0; mean (0.84 + 1 + 0) / 3 = 0.61333..; x 80 = 49.0666.. */
    pw_score_indicator inds[3] = {
        {"I01", 0.42, 0, 0, 0}, {"I02", 0.75, 0, 0, 0}, {"I03", 0, 1, 0, 0}};
    pw_score_unit u = unit("u1", "county", 6, 1, 0);
    u.indicators = inds;
    u.n_indicators = 3;
    pw_score_result *res = score_one(item(10, PW_SCORE_WORK_PERFORMANCE, 80, NULL), &u, Q2_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 10);

    cr_assert_float_eq(it->points, 80 * (0.84 + 1 + 0) / 3, 1e-9);
    assert_line(&it->why, "I01 progress 0.42 / t 0.50 -> 0.84");
    assert_line(&it->why, "I02 progress 0.75 / t 0.50 -> 1.00 (capped at 1)");
    assert_line(&it->why, "I03 (no report) progress 0.00 / t 0.50 -> 0.00");
    assert_line(&it->why, "mean 0.6133 over 3 indicators x 80.00 = 49.07");
    pw_score_result_free(res);

    /* with names (as the server sends them): the name and plain labels */
    inds[0].name = "常住人口城镇化率";
    inds[2].name = "户籍制度改革落实";
    res = score_one(item(10, PW_SCORE_WORK_PERFORMANCE, 80, NULL), &u, Q2_2018);
    it = item_of(unit_of(res, "u1"), 10);
    assert_line(&it->why, "I01 常住人口城镇化率: 进度 progress 0.42 / 时间进度 t 0.50 -> 0.84");
    assert_line(
        &it->why,
        "I03 户籍制度改革落实 (未报 no report): 进度 progress 0.00 / 时间进度 t 0.50 -> 0.00");
    assert_line(&it->why, "I02 progress 0.75 / t 0.50 -> 1.00 (capped at 1)");
    pw_score_result_free(res);
}

Test(score_kind, work_performance_alone_without_indicators_is_full)
{
    /* no unit of the category has anything to be judged on: full marks */
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    pw_score_result *res = score_one(item(10, PW_SCORE_WORK_PERFORMANCE, 80, NULL), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 10);

    cr_assert_float_eq(it->points, 80, EPS);
    cr_assert_eq(it->why.n_lines, 1);
    assert_line(&it->why, "nothing to be judged on in 2018, nor any unit of category county: "
                          "full marks");
    pw_score_result_free(res);
}

Test(score_kind, work_performance_nothing_to_judge_gets_category_mean)
{
    /* Year 2018, t = 1.  a: I1 progress 0.5 -> 0.5; T1 green 1; M1 red 0:
     * mean 0.5 x 70 = 35.  b: I1 0.9 -> 0.9, T2 yellow 0.5: mean 0.7 x 70 =
     * 49.  c: nothing -> (35 + 49) / 2 = 42.  d (department) does not count
     * for the county mean: 1.0 x 70 = 70.  Item 1 (manual 30) full. */
    pw_score_item items[2] = {item(1, PW_SCORE_MANUAL, 30, NULL),
                              item(2, PW_SCORE_WORK_PERFORMANCE, 70, NULL)};
    pw_score_sheet sheets[2] = {{"county", items, 2}, {"department", items, 2}};
    pw_score_indicator ia[3] = {{"I1", 0.5, 0, 0, 0}, {"T1", 0.5, 0, 1, 0}, {"M1", 0, 1, 1, 2}};
    pw_score_indicator ib[2] = {{"I1", 0.9, 0, 0, 0}, {"T2", 0.5, 0, 1, 1}};
    pw_score_indicator id[1] = {{"I1", 1.0, 0, 0, 0}};
    pw_score_unit u[4] = {unit("a", "county", 12, 1, 1), unit("b", "county", 12, 1, 1),
                          unit("c", "county", 12, 1, 1), unit("d", "department", 12, 1, 1)};
    u[0].indicators = ia;
    u[0].n_indicators = 3;
    u[1].indicators = ib;
    u[1].n_indicators = 2;
    u[3].indicators = id;
    u[3].n_indicators = 1;
    pw_score_input in = {YEAR_2018, sheets, 2, u, 4};
    pw_score_result *res = evaluate(&in);

    cr_assert_float_eq(item_of(unit_of(res, "a"), 2)->points, 35, 1e-9);
    cr_assert_float_eq(item_of(unit_of(res, "b"), 2)->points, 49, 1e-9);
    cr_assert_float_eq(item_of(unit_of(res, "c"), 2)->points, 42, 1e-9);
    cr_assert_float_eq(item_of(unit_of(res, "d"), 2)->points, 70, 1e-9);
    assert_line(&item_of(unit_of(res, "a"), 2)->why,
                "T1 light green as of the window's last month -> 1.00");
    assert_line(&item_of(unit_of(res, "a"), 2)->why,
                "M1 (no report) light red as of the window's last month -> 0.00");
    assert_line(&item_of(unit_of(res, "b"), 2)->why,
                "T2 light yellow as of the window's last month -> 0.50");
    assert_line(&item_of(unit_of(res, "c"), 2)->why,
                "nothing to be judged on in 2018: the mean of the 2 county units that have "
                "something, 42.00");
    cr_assert_float_eq(unit_of(res, "c")->total, 72, 1e-9);
    pw_score_result_free(res);

    /* rounded to two decimals: a 35, b 49, e 1/3 x 70 = 23.333..:
     * mean 107.333.. / 3 = 35.777.. -> 35.78 */
    pw_score_indicator ie[3] = {{"I1", 1.0, 0, 0, 0}, {"I2", 0, 0, 0, 0}, {"I3", 0, 0, 0, 0}};
    pw_score_unit v[4] = {u[0], u[1], u[2], unit("e", "county", 12, 1, 1)};
    v[3].indicators = ie;
    v[3].n_indicators = 3;
    pw_score_input in2 = {YEAR_2018, sheets, 1, v, 4};
    res = evaluate(&in2);
    cr_assert_float_eq(item_of(unit_of(res, "c"), 2)->points, 35.78, 1e-9);
    pw_score_result_free(res);

    /* the office's finding sets the points of a unit with nothing (c: 50,
     * the latest of #1 30 and #2 50), and is not used for a unit with
     * indicators (a keeps 35) */
    pw_score_finding fc[2] = {{1, PW_SCORE_FINDING_ITEM, 2, 30, NULL},
                              {2, PW_SCORE_FINDING_ITEM, 2, 50, "joint inspection"}};
    pw_score_finding fa[1] = {{1, PW_SCORE_FINDING_ITEM, 2, 10, NULL}};
    u[2].findings = fc;
    u[2].n_findings = 2;
    u[0].findings = fa;
    u[0].n_findings = 1;
    res = evaluate(&in);
    cr_assert_float_eq(item_of(unit_of(res, "c"), 2)->points, 50, 1e-9);
    assert_line(&item_of(unit_of(res, "c"), 2)->why,
                "nothing to be judged on in 2018: the office set 50 points (finding #2: joint "
                "inspection)");
    cr_assert_float_eq(item_of(unit_of(res, "a"), 2)->points, 35, 1e-9);
    assert_line(&item_of(unit_of(res, "a"), 2)->why,
                "finding #1 (10 points) not used: the unit has indicators to be judged on");
    pw_score_result_free(res);
    u[0].n_findings = u[2].n_findings = 0;

    /* a bad light is refused */
    ia[1].light = 3;
    pw_score_result *bad = NULL;
    char err[200];
    cr_assert_eq(pw_score_evaluate(&in, &bad, err, sizeof err), PW_INVALID_ARGUMENT);
    cr_assert_null(bad);
}

Test(score_kind, per_event_sums_counts)
{
    /* deduct 0.5: #12 2 events -1, #15 1 event -0.5 -> 2 - 1.5 = 0.5 */
    pw_score_finding f[2] = {
        {15, PW_SCORE_FINDING_ITEM, 4, 1, "missed meeting"},
        {12, PW_SCORE_FINDING_ITEM, 4, 2, NULL},
    };
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.findings = f;
    u.n_findings = 2;
    pw_score_result *res = score_one(item(4, PW_SCORE_PER_EVENT, 2, "deduct=0.5"), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 4);

    cr_assert_float_eq(it->points, 0.5, EPS);
    cr_assert_str_eq(it->why.lines[0], "finding #12: 2 events, -1"); /* id order */
    cr_assert_str_eq(it->why.lines[1], "finding #15: 1 event, -0.5 (missed meeting)");
    assert_line(&it->why, "2.00 - 1.50 deducted = 0.50");
    pw_score_result_free(res);

    /* default deduct 1: 5 events off 2 -> floored at 0 */
    f[0].value = 5;
    f[1].value = 0 + 1;
    res = score_one(item(4, PW_SCORE_PER_EVENT, 2, NULL), &u, YEAR_2018);
    it = item_of(unit_of(res, "u1"), 4);
    cr_assert_float_eq(it->points, 0, EPS);
    assert_line(&it->why, "2.00 - 6.00 deducted = -4.00");
    pw_score_result_free(res);

    /* no findings: full marks */
    u.n_findings = 0;
    res = score_one(item(4, PW_SCORE_PER_EVENT, 2, NULL), &u, YEAR_2018);
    it = item_of(unit_of(res, "u1"), 4);
    cr_assert_float_eq(it->points, 2, EPS);
    assert_line(&it->why, "no findings");
    pw_score_result_free(res);
}

Test(score_kind, manual_takes_the_latest_finding)
{
    /* #9 (3.5) is later than #4 (1) whatever the input order -> 3.5 */
    pw_score_finding f[2] = {
        {9, PW_SCORE_FINDING_ITEM, 2, 3.5, "second look"},
        {4, PW_SCORE_FINDING_ITEM, 2, 1, NULL},
    };
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.findings = f;
    u.n_findings = 2;
    pw_score_result *res = score_one(item(2, PW_SCORE_MANUAL, 5, NULL), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 2);

    cr_assert_float_eq(it->points, 3.5, EPS);
    assert_line(&it->why, "finding #4: 1 points, superseded by #9");
    assert_line(&it->why, "finding #9: 3.5 points (latest, used) (second look)");
    pw_score_result_free(res);

    /* none: max */
    u.n_findings = 0;
    res = score_one(item(2, PW_SCORE_MANUAL, 5, NULL), &u, YEAR_2018);
    it = item_of(unit_of(res, "u1"), 2);
    cr_assert_float_eq(it->points, 5, EPS);
    assert_line(&it->why, "no finding: full marks 5.00");
    pw_score_result_free(res);
}

Test(score_kind, all_or_nothing)
{
    pw_score_finding f = {3, PW_SCORE_FINDING_ITEM, 6, 0, "no meeting held"};
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.findings = &f;
    u.n_findings = 1;
    pw_score_result *res = score_one(item(6, PW_SCORE_ALL_OR_NOTHING, 2, NULL), &u, YEAR_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 6)->points, 0, EPS);
    pw_score_result_free(res);

    f.value = 2;
    res = score_one(item(6, PW_SCORE_ALL_OR_NOTHING, 2, NULL), &u, YEAR_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 6)->points, 2, EPS);
    pw_score_result_free(res);

    u.n_findings = 0;
    res = score_one(item(6, PW_SCORE_ALL_OR_NOTHING, 2, NULL), &u, YEAR_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 6)->points, 2, EPS);
    pw_score_result_free(res);

    /* 1 point on an all_or_nothing item is refused by the engine too */
    f.value = 1;
    u.n_findings = 1;
    static pw_score_item items[2];
    items[0] = item(6, PW_SCORE_ALL_OR_NOTHING, 2, NULL);
    items[1] = item(99, PW_SCORE_MANUAL, 98, NULL);
    pw_score_sheet sheet = {"county", items, 2};
    pw_score_input in = {YEAR_2018, &sheet, 1, &u, 1};
    evaluate_fails(&in, "unit u1: finding #3: item 6 (all_or_nothing): points must be 0 or 2");
}

Test(score_kind, per_amount_steps_and_caps)
{
    /* per 1000, award 0.5, cap 4: 2500 + 4000 = 6500 -> 6 whole steps -> 3 */
    pw_score_finding f[3] = {
        {1, PW_SCORE_FINDING_ITEM, 5, 2500, NULL},
        {2, PW_SCORE_FINDING_ITEM, 5, 4000, "provincial fund"},
        {3, PW_SCORE_FINDING_ITEM, 5, 0, NULL},
    };
    pw_score_unit u = unit("u1", "department", 12, 1, 1);
    u.findings = f;
    u.n_findings = 2;
    pw_score_result *res =
        score_one(item(5, PW_SCORE_PER_AMOUNT, 4, "per=1000;award=0.5;cap=4"), &u, YEAR_2018);
    const pw_score_item_result *it = item_of(unit_of(res, "u1"), 5);
    cr_assert_float_eq(it->points, 3, EPS);
    assert_line(&it->why, "finding #2: amount 4000 (provincial fund)");
    assert_line(&it->why, "sum 6500 / per 1000 = 6 steps x 0.5 = 3.00");
    pw_score_result_free(res);

    /* 9999 -> 9 steps -> 4.5 -> cap 4 */
    f[1].value = 7499;
    res = score_one(item(5, PW_SCORE_PER_AMOUNT, 4, NULL), &u, YEAR_2018);
    it = item_of(unit_of(res, "u1"), 5);
    cr_assert_float_eq(it->points, 4, EPS);
    assert_line(&it->why, "sum 9999 / per 1000 = 9 steps x 0.5 = 4.50");
    assert_line(&it->why, "capped at cap 4");
    pw_score_result_free(res);

    /* cap above max: capped at max (4.5 -> cap 10 -> max 4) */
    res = score_one(item(5, PW_SCORE_PER_AMOUNT, 4, "cap=10"), &u, YEAR_2018);
    it = item_of(unit_of(res, "u1"), 5);
    cr_assert_float_eq(it->points, 4, EPS);
    assert_line(&it->why, "4.50 is above the maximum: capped at 4.00");
    pw_score_result_free(res);

    /* cap below max: 4.5 -> cap 2 */
    res = score_one(item(5, PW_SCORE_PER_AMOUNT, 4, "cap=2"), &u, YEAR_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 5)->points, 2, EPS);
    pw_score_result_free(res);

    /* award kind starts at 0: no findings -> 0; 999 -> 0 steps -> 0 */
    u.n_findings = 0;
    res = score_one(item(5, PW_SCORE_PER_AMOUNT, 4, NULL), &u, YEAR_2018);
    it = item_of(unit_of(res, "u1"), 5);
    cr_assert_float_eq(it->points, 0, EPS);
    assert_line(&it->why, "no findings: 0 of 4.00");
    pw_score_result_free(res);

    /* a whole step is a whole step: 0.3 / 0.1 is 2.9999999999999996 in binary */
    f[0].value = 0.3;
    u.n_findings = 1;
    res = score_one(item(5, PW_SCORE_PER_AMOUNT, 4, "per=0.1;award=1"), &u, YEAR_2018);
    cr_assert_float_eq(item_of(unit_of(res, "u1"), 5)->points, 3, EPS);
    pw_score_result_free(res);
}

/* ---- totals, grades, adjustments ------------------------------------------------- */

/* A sheet of one manual item worth 100: a finding sets the items total. */
static pw_score_item manual100[1];
static pw_score_sheet manual_sheet(void)
{
    manual100[0] = item(1, PW_SCORE_MANUAL, 100, NULL);
    return (pw_score_sheet){"county", manual100, 1};
}

Test(score_total, falsification_bonus_penalty)
{
    /* items 95; 2 falsifications -20; bonus +3; penalty -1.5 -> 76.5 qualified */
    pw_score_finding f[5] = {
        {1, PW_SCORE_FINDING_ITEM, 1, 95, NULL},
        {2, PW_SCORE_FINDING_FALSIFICATION, 0, 0, "forged March figures"},
        {3, PW_SCORE_FINDING_FALSIFICATION, 0, 0, NULL},
        {4, PW_SCORE_FINDING_BONUS, 0, 3, "national award"},
        {5, PW_SCORE_FINDING_PENALTY, 0, 1.5, NULL},
    };
    pw_score_sheet sheet = manual_sheet();
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.findings = f;
    u.n_findings = 5;
    pw_score_input in = {YEAR_2018, &sheet, 1, &u, 1};
    pw_score_result *res = evaluate(&in);
    const pw_score_unit_result *r = unit_of(res, "u1");

    cr_assert_float_eq(r->items_total, 95, EPS);
    cr_assert_eq(r->falsifications, 2);
    cr_assert_float_eq(r->bonuses, 3, EPS);
    cr_assert_float_eq(r->penalties, 1.5, EPS);
    cr_assert_float_eq(r->total, 76.5, EPS);
    cr_assert_eq(r->grade, PW_SCORE_QUALIFIED);
    assert_line(&r->why, "finding #2: falsification, -10 (forged March figures)");
    assert_line(&r->why, "finding #3: falsification, -10");
    assert_line(&r->why, "finding #4: bonus +3 (national award)");
    assert_line(&r->why, "finding #5: penalty -1.5");
    assert_line(&r->why,
                "total: items 95.00 - falsifications 20.00 + bonuses 3.00 - penalties 1.50 = "
                "76.50");
    assert_line(&r->why, "grade: qualified (>= 70, < 90)");
    pw_score_result_free(res);
}

Test(score_total, floor_at_zero)
{
    /* items 5; falsification -10 -> -5 -> 0 */
    pw_score_finding f[2] = {
        {1, PW_SCORE_FINDING_ITEM, 1, 5, NULL},
        {2, PW_SCORE_FINDING_FALSIFICATION, 0, 0, NULL},
    };
    pw_score_sheet sheet = manual_sheet();
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.findings = f;
    u.n_findings = 2;
    pw_score_input in = {YEAR_2018, &sheet, 1, &u, 1};
    pw_score_result *res = evaluate(&in);
    const pw_score_unit_result *r = unit_of(res, "u1");

    cr_assert_float_eq(r->total, 0, 0);
    cr_assert_eq(r->grade, PW_SCORE_UNQUALIFIED);
    assert_line(&r->why,
                "total: items 5.00 - falsifications 10.00 + bonuses 0.00 - penalties 0.00 = "
                "-5.00, floored at 0.00");
    pw_score_result_free(res);
}

Test(score_total, bonus_may_exceed_100)
{
    pw_score_finding f = {1, PW_SCORE_FINDING_BONUS, 0, 5, NULL};
    pw_score_sheet sheet = manual_sheet();
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    u.findings = &f;
    u.n_findings = 1;
    pw_score_input in = {YEAR_2018, &sheet, 1, &u, 1};
    pw_score_result *res = evaluate(&in);

    cr_assert_float_eq(unit_of(res, "u1")->total, 105, EPS);
    pw_score_result_free(res);
}

Test(score_total, grade_boundaries)
{
    cr_assert_eq(pw_score_grade_of(100), PW_SCORE_EXCELLENT);
    cr_assert_eq(pw_score_grade_of(90), PW_SCORE_EXCELLENT);
    cr_assert_eq(pw_score_grade_of(89.99999999999999), PW_SCORE_EXCELLENT); /* float noise */
    cr_assert_eq(pw_score_grade_of(89.999),
                 PW_SCORE_EXCELLENT); /* shows as 90.00: is 90 (SPEC 3.5) */
    cr_assert_eq(pw_score_grade_of(89.99), PW_SCORE_QUALIFIED);
    cr_assert_eq(pw_score_grade_of(70), PW_SCORE_QUALIFIED);
    cr_assert_eq(pw_score_grade_of(69.99), PW_SCORE_UNQUALIFIED);
    cr_assert_eq(pw_score_grade_of(0), PW_SCORE_UNQUALIFIED);
    cr_assert_str_eq(pw_score_grade_name(PW_SCORE_EXCELLENT), "excellent");
    cr_assert_str_eq(pw_score_grade_name(PW_SCORE_QUALIFIED), "qualified");
    cr_assert_str_eq(pw_score_grade_name(PW_SCORE_UNQUALIFIED), "unqualified");
    cr_assert_str_eq(pw_score_flag_name(PW_SCORE_FLAG_COMMEND), "commend");
    cr_assert_str_eq(pw_score_flag_name(PW_SCORE_FLAG_CRITICISE), "criticise");
    cr_assert_null(pw_score_flag_name(PW_SCORE_FLAG_NONE));
}

Test(score_total, grades_at_exactly_90_and_70_through_the_engine)
{
    /* items 90 and 70 exactly; 70 also reached as 80 - 10 (falsification) */
    pw_score_finding f90 = {1, PW_SCORE_FINDING_ITEM, 1, 90, NULL};
    pw_score_finding f70 = {1, PW_SCORE_FINDING_ITEM, 1, 70, NULL};
    pw_score_finding f80[2] = {{1, PW_SCORE_FINDING_ITEM, 1, 80, NULL},
                               {2, PW_SCORE_FINDING_FALSIFICATION, 0, 0, NULL}};
    pw_score_sheet sheet = manual_sheet();
    pw_score_unit u[3] = {unit("a", "county", 12, 1, 1), unit("b", "county", 12, 1, 1),
                          unit("c", "county", 12, 1, 1)};
    u[0].findings = &f90;
    u[0].n_findings = 1;
    u[1].findings = &f70;
    u[1].n_findings = 1;
    u[2].findings = f80;
    u[2].n_findings = 2;
    pw_score_input in = {YEAR_2018, &sheet, 1, u, 3};
    pw_score_result *res = evaluate(&in);

    cr_assert_eq(unit_of(res, "a")->grade, PW_SCORE_EXCELLENT);
    cr_assert_eq(unit_of(res, "b")->grade, PW_SCORE_QUALIFIED);
    cr_assert_eq(unit_of(res, "c")->grade, PW_SCORE_QUALIFIED);
    cr_assert_eq(unit_of(res, "b")->rank, 2); /* 70 and 80-10 share rank 2 */
    cr_assert_eq(unit_of(res, "c")->rank, 2);
    pw_score_result_free(res);
}

/* ---- rankings and flags ------------------------------------------------------------- */

/* Score units "u0".."u<n-1>" whose only item (manual, 100) gets totals[i]. */
static pw_score_result *rank_flagged(const double *totals, const char **ids, size_t n,
                                     int commend_top, int criticise_bottom,
                                     const pw_score_override *overrides, size_t n_overrides)
{
    static pw_score_finding f[16];
    static pw_score_unit u[16];
    static pw_score_sheet sheet;
    pw_score_input in;

    cr_assert(n <= 16);
    sheet = manual_sheet();
    sheet.commend_top = commend_top;
    sheet.criticise_bottom = criticise_bottom;
    for (size_t i = 0; i < n; i++) {
        f[i] = (pw_score_finding){1, PW_SCORE_FINDING_ITEM, 1, totals[i], NULL};
        u[i] = unit(ids[i], "county", 12, 1, 1);
        u[i].findings = &f[i];
        u[i].n_findings = 1;
    }
    in = (pw_score_input){YEAR_2018, &sheet, 1, u, n, overrides, n_overrides};
    return evaluate(&in);
}

static pw_score_result *rank_totals(const double *totals, const char **ids, size_t n)
{
    return rank_flagged(totals, ids, n, 0, 0, NULL, 0);
}

static void expect(const pw_score_result *res, size_t pos, const char *id, int rank,
                   pw_score_flag flag)
{
    const pw_score_unit_result *r = &res->units[pos];

    cr_assert_str_eq(r->unit_id, id, "position %zu", pos);
    cr_assert_eq(r->rank, rank, "%s: rank %d, expected %d", id, r->rank, rank);
    cr_assert_eq(r->flag, flag, "%s: flag %d, expected %d", id, r->flag, flag);
}

Test(score_rank, equal_totals_share_a_rank)
{
    /* 95 (1), 80 (2), 80 (2), 60 (4).  Flags: 95 commend (excellent, 3
     * lower); the 80s: one unit lower -> criticise (last two, ties
     * included); 60 unqualified -> criticise */
    const double totals[4] = {80, 60, 95, 80};
    const char *ids[4] = {"kappa", "delta", "omega", "alpha"};
    pw_score_result *res = rank_totals(totals, ids, 4);

    cr_assert_eq(res->n_units, 4);
    expect(res, 0, "omega", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "alpha", 2, PW_SCORE_FLAG_CRITICISE); /* tie ordered by id */
    expect(res, 2, "kappa", 2, PW_SCORE_FLAG_CRITICISE);
    expect(res, 3, "delta", 4, PW_SCORE_FLAG_CRITICISE);
    cr_assert_eq(res->units[1].category_size, 4);
    assert_line(&res->units[1].why, "rank 2 of 4 in county (shared)");
    assert_line(&res->units[1].why, "flag criticise: 1 unit of county scores lower (last two "
                                    "places)");
    assert_line(&res->units[3].why, "flag criticise: unqualified");
    assert_line(&res->units[0].why, "flag commend: excellent, not criticised, rank 1 within the "
                                    "top 3");
    pw_score_result_free(res);
}

Test(score_rank, ties_at_the_bottom)
{
    /* 95, 92, 80, 75, 75: both 75s have nobody lower -> criticise; 80 has
     * two lower -> no flag; 92 and 95 excellent -> commend */
    const double totals[5] = {75, 95, 75, 80, 92};
    const char *ids[5] = {"e", "a", "d", "c", "b"};
    pw_score_result *res = rank_totals(totals, ids, 5);

    expect(res, 0, "a", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "b", 2, PW_SCORE_FLAG_COMMEND);
    expect(res, 2, "c", 3, PW_SCORE_FLAG_NONE);
    expect(res, 3, "d", 4, PW_SCORE_FLAG_CRITICISE);
    expect(res, 4, "e", 4, PW_SCORE_FLAG_CRITICISE);
    assert_line(&res->units[2].why, "no flag");
    assert_line(&res->units[4].why, "flag criticise: 0 units of county score lower (last two "
                                    "places)");
    pw_score_result_free(res);
}

Test(score_rank, three_way_tie_at_the_bottom_and_excellent_criticised)
{
    /* 98, 91, 91, 91: the 91s have nobody lower -> criticise even though
     * excellent (so no commend) */
    const double totals[4] = {91, 91, 98, 91};
    const char *ids[4] = {"x", "y", "w", "z"};
    pw_score_result *res = rank_totals(totals, ids, 4);

    expect(res, 0, "w", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "x", 2, PW_SCORE_FLAG_CRITICISE);
    expect(res, 2, "y", 2, PW_SCORE_FLAG_CRITICISE);
    expect(res, 3, "z", 2, PW_SCORE_FLAG_CRITICISE);
    cr_assert_eq(res->units[1].grade, PW_SCORE_EXCELLENT);
    pw_score_result_free(res);
}

Test(score_rank, totals_differing_by_float_noise_tie)
{
    /* 0.1 + 0.2 style noise must not split a tie */
    const double totals[3] = {80, 79.99999999999999, 50};
    const char *ids[3] = {"b", "a", "c"};
    pw_score_result *res = rank_totals(totals, ids, 3);

    expect(res, 0, "a", 1, PW_SCORE_FLAG_CRITICISE); /* only c is lower */
    expect(res, 1, "b", 1, PW_SCORE_FLAG_CRITICISE);
    expect(res, 2, "c", 3, PW_SCORE_FLAG_CRITICISE);
    pw_score_result_free(res);
}

Test(score_round, half_away_from_zero_on_the_decimal_value)
{
    /* the binary doubles of 96.495, 1.005 and 2.675 lie just below the
     * half (96.49499999999999744..., 1.00499999999999989...,
     * 2.67499999999999982...): the decimal value decides, so they go up */
    cr_assert_eq(pw_score_round2(96.495), 96.50);
    cr_assert_eq(pw_score_round2(1.005), 1.01);
    cr_assert_eq(pw_score_round2(2.675), 2.68);
    cr_assert_eq(pw_score_round2(0.125), 0.13);
    cr_assert_eq(pw_score_round2(-0.125), -0.13); /* away from zero */
    cr_assert_eq(pw_score_round2(96.4956), 96.50);
    cr_assert_eq(pw_score_round2(96.4949), 96.49);
    cr_assert_eq(pw_score_round2(96.494999), 96.49); /* below the half by 1e-6 */
    cr_assert_eq(pw_score_round2(0.1 + 0.2), 0.30);
    cr_assert_eq(pw_score_round2(100), 100);
    cr_assert_eq(pw_score_round2(0), 0);
    /* a sum that lands on the half through binary arithmetic:
     * 90 + 6 + 0.495 = 96.495 exactly in decimals */
    cr_assert_eq(pw_score_round2(90.0 + 6.0 + 0.495), 96.50);
    cr_assert(isnan(pw_score_round2(NAN)));
}

Test(score_round, grades_use_the_rounded_total)
{
    /* 89.995 shows as 90.00: excellent; 89.99499 shows as 89.99 */
    cr_assert_eq(pw_score_grade_of(89.995), PW_SCORE_EXCELLENT);
    cr_assert_eq(pw_score_grade_of(89.99499), PW_SCORE_QUALIFIED);
    cr_assert_eq(pw_score_grade_of(69.995), PW_SCORE_QUALIFIED);
    cr_assert_eq(pw_score_grade_of(69.99499), PW_SCORE_UNQUALIFIED);
}

Test(score_rank, totals_equal_to_two_decimals_share_a_rank)
{
    /* issue 12: 96.50, 96.4956 and 96.495 all show 96.50 -> rank 1 for the
     * three; 96.4949 shows 96.49 -> rank 4; 80 -> rank 5.  Flags: the three
     * 96.50 are excellent with two units lower -> commend; 96.4949 has one
     * lower -> criticise; 80 none lower -> criticise. */
    const double totals[5] = {96.4949, 96.495, 80, 96.4956, 96.50};
    const char *ids[5] = {"d", "c", "e", "b", "a"};
    pw_score_result *res = rank_totals(totals, ids, 5);

    expect(res, 0, "a", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "b", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 2, "c", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 3, "d", 4, PW_SCORE_FLAG_CRITICISE);
    expect(res, 4, "e", 5, PW_SCORE_FLAG_CRITICISE);
    cr_assert_eq(res->units[1].total, 96.50); /* rounded */
    cr_assert_eq(res->units[1].raw_total, 96.4956);
    cr_assert_eq(res->units[2].total, 96.50);
    cr_assert_eq(res->units[3].total, 96.49);
    assert_line(&res->units[1].why, "rank 1 of 5 in county (shared)");
    assert_line(&res->units[1].why, "total: items 96.4956 - falsifications 0.00 + bonuses 0.00 - "
                                    "penalties 0.00 = 96.4956, rounded to 96.50 (ranks, grade "
                                    "and flag use it)");
    pw_score_result_free(res);
}

Test(score_rank, rounding_up_to_90_makes_excellent)
{
    /* 89.995 -> 90.00: excellent, and it shares rank 1 with a 90 */
    const double totals[4] = {89.995, 90, 50, 40};
    const char *ids[4] = {"b", "a", "c", "d"};
    pw_score_result *res = rank_totals(totals, ids, 4);

    expect(res, 0, "a", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "b", 1, PW_SCORE_FLAG_COMMEND);
    cr_assert_eq(res->units[1].grade, PW_SCORE_EXCELLENT);
    cr_assert_eq(res->units[1].total, 90.0);
    pw_score_result_free(res);
}

Test(score_flags, commend_top_limits_commendations)
{
    /* seven excellent units 99..93 and two weak ones (80, 75).  Default
     * commend_top 3: ranks 1-3 commended, ranks 4-7 excellent but not
     * commended; 80 and 75 are the last two -> criticised. */
    const double totals[9] = {99, 98, 97, 96, 95, 94, 93, 80, 75};
    const char *ids[9] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    pw_score_result *res = rank_totals(totals, ids, 9);

    expect(res, 0, "a", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 2, "c", 3, PW_SCORE_FLAG_COMMEND);
    expect(res, 3, "d", 4, PW_SCORE_FLAG_NONE);
    expect(res, 6, "g", 7, PW_SCORE_FLAG_NONE);
    expect(res, 7, "h", 8, PW_SCORE_FLAG_CRITICISE);
    expect(res, 8, "i", 9, PW_SCORE_FLAG_CRITICISE);
    assert_line(&res->units[3].why, "no flag: excellent, but rank 4 is not within the top 3");
    pw_score_result_free(res);

    /* commend_top 5, criticise_bottom 3: ranks 1-5 commended; g (93) has
     * two lower (< 3) -> criticised although excellent */
    res = rank_flagged(totals, ids, 9, 5, 3, NULL, 0);
    expect(res, 4, "e", 5, PW_SCORE_FLAG_COMMEND);
    expect(res, 5, "f", 6, PW_SCORE_FLAG_NONE);
    expect(res, 6, "g", 7, PW_SCORE_FLAG_CRITICISE);
    assert_line(&res->units[6].why, "flag criticise: 2 units of county score lower (last 3 "
                                    "places)");
    pw_score_result_free(res);

    /* at most commend_top are commended: a tie group that does not fit whole
     * is not.  97, 97, 91, 60: commend_top 1 -> the two 97s (1 - 1 + 2 = 2 >
     * 1) are not commended; commend_top 2 -> both are (1 - 1 + 2 = 2 <= 2) */
    const double tied[4] = {97, 97, 91, 60};
    const char *tids[4] = {"p", "q", "r", "s"};
    res = rank_flagged(tied, tids, 4, 1, 1, NULL, 0);
    expect(res, 0, "p", 1, PW_SCORE_FLAG_NONE);
    expect(res, 1, "q", 1, PW_SCORE_FLAG_NONE);
    expect(res, 2, "r", 3, PW_SCORE_FLAG_NONE); /* one lower, bottom 1: not criticised */
    expect(res, 3, "s", 4, PW_SCORE_FLAG_CRITICISE);
    assert_line(&res->units[0].why, "no flag: excellent, but rank 1 is shared by 2 units, more "
                                    "than the top 1");
    pw_score_result_free(res);
    res = rank_flagged(tied, tids, 4, 2, 1, NULL, 0);
    expect(res, 0, "p", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "q", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 2, "r", 3, PW_SCORE_FLAG_NONE); /* rank 3 > 2 */
    pw_score_result_free(res);
    /* 99, 95, 95, 95, 50, 40 with the default 3: 99 commended; the three
     * 95s share rank 2 and would make four: none of them */
    const double wide[6] = {99, 95, 95, 95, 50, 40};
    const char *wids[6] = {"a", "b", "c", "d", "e", "f"};
    res = rank_flagged(wide, wids, 6, 0, 0, NULL, 0);
    expect(res, 0, "a", 1, PW_SCORE_FLAG_COMMEND);
    expect(res, 1, "b", 2, PW_SCORE_FLAG_NONE);
    expect(res, 3, "d", 2, PW_SCORE_FLAG_NONE);
    assert_line(&res->units[1].why, "no flag: excellent, but rank 2 is shared by 3 units, more "
                                    "than the top 3");
    pw_score_result_free(res);
}

Test(score_flags, the_office_has_the_last_word)
{
    /* 99, 98, 97, 96, 80, 75 with defaults: a, b, c commend; d none;
     * e, f criticise.  The office commends d and clears e's criticism. */
    const double totals[6] = {99, 98, 97, 96, 80, 75};
    const char *ids[6] = {"a", "b", "c", "d", "e", "f"};
    const pw_score_override o[3] = {
        {"d", PW_SCORE_FLAG_COMMEND, "抗洪抢险表现突出"},
        {"e", PW_SCORE_FLAG_NONE, "data corrected after appeal"},
        {"zz", PW_SCORE_FLAG_CRITICISE, "a unit of another category"}, /* ignored */
    };
    pw_score_result *res = rank_flagged(totals, ids, 6, 0, 0, o, 3);
    const pw_score_unit_result *d = unit_of(res, "d"), *e = unit_of(res, "e"),
                               *a = unit_of(res, "a");

    cr_assert_eq(d->flag, PW_SCORE_FLAG_COMMEND);
    cr_assert_eq(d->computed_flag, PW_SCORE_FLAG_NONE);
    cr_assert_eq(d->flag_by_office, 1);
    cr_assert_str_eq(d->flag_reason, "抗洪抢险表现突出");
    assert_line(&d->why, "the office's decision: commend (reason: 抗洪抢险表现突出); by the "
                         "rules: no flag");
    cr_assert_eq(e->flag, PW_SCORE_FLAG_NONE);
    cr_assert_eq(e->computed_flag, PW_SCORE_FLAG_CRITICISE);
    assert_line(&e->why, "the office's decision: no flag (reason: data corrected after appeal); "
                         "by the rules: criticise");
    cr_assert_eq(a->flag, PW_SCORE_FLAG_COMMEND);
    cr_assert_eq(a->flag_by_office, 0);
    cr_assert_null(a->flag_reason);
    pw_score_result_free(res);
}

Test(score_flags, bad_overrides_and_settings_are_refused)
{
    pw_score_sheet sheet = manual_sheet();
    pw_score_unit u = unit("u1", "county", 12, 1, 1);
    pw_score_override o[2] = {{"u1", 7, "x"}, {"u1", PW_SCORE_FLAG_NONE, "y"}};
    pw_score_input in = {YEAR_2018, &sheet, 1, &u, 1, o, 1};

    evaluate_fails(&in, "override of u1: unknown flag 7");
    o[0].flag = PW_SCORE_FLAG_COMMEND;
    o[0].reason = "";
    evaluate_fails(&in, "override of u1: no reason");
    o[0].reason = "x";
    in.n_overrides = 2;
    evaluate_fails(&in, "override of u1 appears twice");
    in.n_overrides = 0;
    sheet.commend_top = -1;
    evaluate_fails(&in, "commend_top -1 and criticise_bottom 0 must be >= 0");
}

Test(score_rank, single_unit_category)
{
    /* one unit: nobody lower -> criticise, even at 100 */
    const double totals[1] = {100};
    const char *ids[1] = {"solo"};
    pw_score_result *res = rank_totals(totals, ids, 1);

    expect(res, 0, "solo", 1, PW_SCORE_FLAG_CRITICISE);
    assert_line(&res->units[0].why, "rank 1 of 1 in county");
    pw_score_result_free(res);
}

Test(score_rank, input_order_does_not_matter)
{
    const double t1[4] = {70, 85, 85, 99};
    const char *i1[4] = {"d", "b", "c", "a"};
    const double t2[4] = {85, 99, 70, 85};
    const char *i2[4] = {"c", "a", "d", "b"};
    pw_score_result *r1 = rank_totals(t1, i1, 4);
    pw_score_result *r2 = rank_totals(t2, i2, 4);

    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(r1->units[i].unit_id, r2->units[i].unit_id);
        cr_assert_eq(r1->units[i].rank, r2->units[i].rank);
        cr_assert_eq(r1->units[i].flag, r2->units[i].flag);
        cr_assert_eq(r1->units[i].total, r2->units[i].total);
    }
    pw_score_result_free(r1);
    pw_score_result_free(r2);
}

/* ---- bad input ------------------------------------------------------------------------ */

Test(score_input, refused_with_a_message)
{
    pw_score_sheet sheet = manual_sheet();
    pw_score_finding f[2] = {{1, PW_SCORE_FINDING_ITEM, 1, 50, NULL},
                             {1, PW_SCORE_FINDING_BONUS, 0, 1, NULL}};
    pw_score_indicator ind = {"I07", 1.2, 0, 0, 0};
    pw_score_unit u[2] = {unit("a", "county", 12, 1, 1), unit("b", "county", 12, 1, 1)};
    pw_score_input in = {YEAR_2018, &sheet, 1, u, 2};

    in.window = (pw_score_window){2018, 1, 13};
    evaluate_fails(&in, "window: months 1..13 are not within 1..12");
    in.window = (pw_score_window){2018, 7, 6};
    evaluate_fails(&in, "window: months 7..6");
    in.window = YEAR_2018;

    u[1].id = "a";
    evaluate_fails(&in, "unit a appears twice");
    u[1].id = "";
    evaluate_fails(&in, "a unit has no id");
    u[1].id = "b";

    u[1].category = "department";
    evaluate_fails(&in, "unit b: no score sheet for category department");
    u[1].category = "county";

    late(&u[1].months[3], 0);
    evaluate_fails(&in, "unit b: month 4: late by 0 days, must be >= 1");
    u[1].months[3].receipt = (pw_score_receipt)9;
    evaluate_fails(&in, "unit b: month 4: unknown receipt 9");
    u[1].months[3].receipt = PW_SCORE_ON_TIME;
    u[1].halfyears[1].receipt = (pw_score_receipt)-1;
    evaluate_fails(&in, "unit b: half-year 2: unknown receipt -1");
    u[1].halfyears[1].receipt = PW_SCORE_ON_TIME;

    u[1].indicators = &ind;
    u[1].n_indicators = 1;
    evaluate_fails(&in, "unit b: indicator I07: progress 1.2 outside [0, 1]");
    ind.progress = NAN;
    evaluate_fails(&in, "unit b: indicator I07: progress nan outside [0, 1]");
    u[1].n_indicators = 0;

    u[0].findings = f;
    u[0].n_findings = 2;
    evaluate_fails(&in, "unit a: finding #1 appears twice");
    f[1].id = 2;
    f[1].value = -1;
    evaluate_fails(&in, "unit a: finding #2: bonus points must be a number >= 0");
    f[1].value = 1;
    f[0].item = 9;
    evaluate_fails(&in, "unit a: finding #1: item 9 is not on the county sheet");
    f[0].item = 1;
    f[0].value = 101;
    evaluate_fails(&in, "unit a: finding #1: item 1 (manual): points 101 outside [0, 100]");
    f[0].value = 50;
    f[1].kind = (pw_score_finding_kind)8;
    evaluate_fails(&in, "unit a: finding #2: unknown kind 8");
    f[1].kind = PW_SCORE_FINDING_BONUS;

    pw_score_item bad[1] = {item(1, PW_SCORE_MANUAL, 99, NULL)};
    pw_score_sheet bad_sheet = {"county", bad, 1};
    in.sheets = &bad_sheet;
    evaluate_fails(&in, "sheet county: the items add up to 99 points, not 100");

    pw_score_sheet two[2] = {manual_sheet(), manual_sheet()};
    in.sheets = two;
    in.n_sheets = 2;
    evaluate_fails(&in, "two sheets for category county");

    /* and all of it fixed: accepted */
    in.n_sheets = 1;
    pw_score_result *res = evaluate(&in);
    cr_assert_float_eq(unit_of(res, "a")->total, 51, EPS);
    pw_score_result_free(res);
    cr_assert_eq(pw_score_evaluate(NULL, &res, NULL, 0), PW_INVALID_ARGUMENT);
}

Test(score_input, no_units_is_an_empty_result)
{
    pw_score_sheet sheet = manual_sheet();
    pw_score_input in = {Q2_2018, &sheet, 1, NULL, 0};
    pw_score_result *res = evaluate(&in);

    cr_assert_eq(res->n_units, 0);
    cr_assert_float_eq(res->t, 0.5, EPS);
    cr_assert_null(pw_score_result_unit(res, "a"));
    pw_score_result_free(res);
    pw_score_result_free(NULL);
}

/* ---- the mini plan ---------------------------------------------------------------------
 *
 * Assessment 2018-Q2: window January..June, t = 6/12 = 0.5, scored on
 * 2018-07-03: the reports of January..May are past their deadline (5th of the
 * next month), June's (due July 5) is not; H1 (due June 30) is; H2 is not in
 * the window.
 *
 * County sheet (100 points):
 *   1 monthly_timeliness   3  deduct=0.5
 *   2 halfyear_reports     4  deduct=2
 *   3 work_performance    80
 *   4 per_event            2  deduct=0.5
 *   5 manual               5
 *   6 all_or_nothing       2
 *   7 per_amount           4  per=1000;award=0.5;cap=3
 * Department sheet (100 points):
 *   1 monthly_timeliness  10  deduct=1
 *   2 work_performance    90
 *
 * alpha (county)
 *   1: Jan..May on time (June submitted early: not counted)             3
 *   2: H1 on time                                                       4
 *   3: I01 0.60/0.5 -> 1 (capped), I02 0.50/0.5 -> 1; mean 1 x 80      80
 *   4: no findings                                                      2
 *   5: no finding                                                       5
 *   6: no finding                                                       2
 *   7: #1 2500 + #2 4000 = 6500 -> 6 steps x 0.5 = 3, cap 3             3
 *   items 99; bonus #3 +1                                  total 100.00 excellent
 * bravo (county)
 *   1: Feb late 3 days -0.5, Apr missing -0.5 (June missing so far:
 *      not counted)                                          3 - 1 =    2
 *   2: H1 late 2 days, counts as missing                     4 - 2 =    2
 *   3: I01 0.30 -> 0.6, I02 0.45 -> 0.9, I03 no report -> 0;
 *      mean 1.5 / 3 = 0.5 x 80                                         40
 *   4: #1 1 event + #2 2 events = 3 x 0.5 = 1.5            2 - 1.5 =  0.5
 *   5: #3 4 points, #5 3.5 points (latest)                            3.5
 *   6: #4 0 points                                                      0
 *   7: #6 999 -> 0 steps                                                0
 *   items 48; penalty #7 2                                  total 46.00 unqualified
 * charlie (county)
 *   1: Jan not expected (active from February), Mar missing -0.5      2.5
 *   2: H1 on time                                                       4
 *   3: I01 0.40 -> 0.8, I02 0.50 -> 1; mean 0.9 x 80                   72
 *   4: no findings                                                      2
 *   5: #1 4.5 points                                                  4.5
 *   6: #2 2 points                                                      2
 *   7: #3 1000 -> 1 step x 0.5                                        0.5
 *   items 87.5; bonus #4 +2.5                               total 90.00 excellent
 * delta (county)
 *   1: Jan..May missing: 3 - 2.5                                      0.5
 *   2: H1 missing                                            4 - 2 =    2
 *   3: I01 no report -> 0                                               0
 *   4: #1 5 events x 0.5 = 2.5 > 2                         floored      0
 *   5: #2 0 points                                                      0
 *   6: #3 0 points                                                      0
 *   7: no findings                                                      0
 *   items 2.5; falsification #4 -10 -> -7.5                  total 0.00 unqualified
 * echo (county)
 *   1: all on time 3; 2: 4; 3: nothing to be judged on -> the mean of the
 *   county units with indicators: (alpha 80 + bravo 40 + charlie 72 +
 *   delta 0) / 4 = 48.00; 4: 2; 5: 5; 6: 2; 7: no findings 0   items 64
 *   falsifications #1, #2 -20; penalty #3 6                 total 38.00 unqualified
 * County ranking: alpha 100 (1, commend: 4 lower), charlie 90 (2, commend:
 *   3 lower), bravo 46 (3, criticise), echo 38 (4, criticise), delta 0
 *   (5, criticise).
 * dept_fin (department): 1: on time 10; 2: I09 0.5 -> 1 x 90 = 90   total 100.00
 * dept_hou (department): 1: May late 1 day -1 -> 9; 2: I09 0.25 -> 0.5 x 90 = 45
 *                                                                 total 54.00
 * Department ranking: dept_fin 100 (1, criticise: only one unit lower),
 *   dept_hou 54 (2, criticise: unqualified).
 */

typedef struct mini_plan {
    pw_score_item county_items[7];
    pw_score_item dept_items[2];
    pw_score_sheet sheets[2];
    pw_score_unit units[7];
    pw_score_input in;
} mini_plan;

static const pw_score_indicator alpha_ind[] = {{"I01", 0.60, 0, 0, 0}, {"I02", 0.50, 0, 0, 0}};
static const pw_score_finding alpha_f[] = {
    {1, PW_SCORE_FINDING_ITEM, 7, 2500, "central budget"},
    {2, PW_SCORE_FINDING_ITEM, 7, 4000, "provincial fund"},
    {3, PW_SCORE_FINDING_BONUS, 0, 1, "pilot county"},
};
static const pw_score_indicator bravo_ind[] = {
    {"I01", 0.30, 0, 0, 0}, {"I02", 0.45, 0, 0, 0}, {"I03", 0.0, 1, 0, 0}};
static const pw_score_finding bravo_f[] = {
    {5, PW_SCORE_FINDING_ITEM, 5, 3.5, "re-inspection"}, /* later, listed first */
    {1, PW_SCORE_FINDING_ITEM, 4, 1, "absent from the May meeting"},
    {2, PW_SCORE_FINDING_ITEM, 4, 2, "plan without projects; late summary"},
    {3, PW_SCORE_FINDING_ITEM, 5, 4, NULL},
    {4, PW_SCORE_FINDING_ITEM, 6, 0, "no kick-off conference"},
    {6, PW_SCORE_FINDING_ITEM, 7, 999, NULL},
    {7, PW_SCORE_FINDING_PENALTY, 0, 2, NULL},
};
static const pw_score_indicator charlie_ind[] = {{"I01", 0.40, 0, 0, 0}, {"I02", 0.50, 0, 0, 0}};
static const pw_score_finding charlie_f[] = {
    {1, PW_SCORE_FINDING_ITEM, 5, 4.5, NULL},
    {2, PW_SCORE_FINDING_ITEM, 6, 2, NULL},
    {3, PW_SCORE_FINDING_ITEM, 7, 1000, NULL},
    {4, PW_SCORE_FINDING_BONUS, 0, 2.5, NULL},
};
static const pw_score_indicator delta_ind[] = {{"I01", 0.0, 1, 0, 0}};
static const pw_score_finding delta_f[] = {
    {1, PW_SCORE_FINDING_ITEM, 4, 5, NULL},
    {2, PW_SCORE_FINDING_ITEM, 5, 0, NULL},
    {3, PW_SCORE_FINDING_ITEM, 6, 0, NULL},
    {4, PW_SCORE_FINDING_FALSIFICATION, 0, 0, "invented March figures"},
};
static const pw_score_finding echo_f[] = {
    {1, PW_SCORE_FINDING_FALSIFICATION, 0, 0, NULL},
    {2, PW_SCORE_FINDING_FALSIFICATION, 0, 0, NULL},
    {3, PW_SCORE_FINDING_PENALTY, 0, 6, NULL},
};
static const pw_score_indicator fin_ind[] = {{"I09", 0.5, 0, 0, 0}};
static const pw_score_indicator hou_ind[] = {{"I09", 0.25, 0, 0, 0}};

#define SET_LIST(u, field, arr)                                                                    \
    do {                                                                                           \
        (u).field = (arr);                                                                         \
        (u).n_##field = sizeof(arr) / sizeof((arr)[0]);                                            \
    } while (0)

static void mini_plan_init(mini_plan *p)
{
    pw_score_unit *u = p->units;

    memset(p, 0, sizeof(*p));
    p->county_items[0] = item(1, PW_SCORE_MONTHLY_TIMELINESS, 3, "deduct=0.5");
    p->county_items[1] = item(2, PW_SCORE_HALFYEAR_REPORTS, 4, "deduct=2");
    p->county_items[2] = item(3, PW_SCORE_WORK_PERFORMANCE, 80, "");
    p->county_items[3] = item(4, PW_SCORE_PER_EVENT, 2, "deduct=0.5");
    p->county_items[4] = item(5, PW_SCORE_MANUAL, 5, "");
    p->county_items[5] = item(6, PW_SCORE_ALL_OR_NOTHING, 2, "");
    p->county_items[6] = item(7, PW_SCORE_PER_AMOUNT, 4, "per=1000;award=0.5;cap=3");
    p->dept_items[0] = item(1, PW_SCORE_MONTHLY_TIMELINESS, 10, "deduct=1");
    p->dept_items[1] = item(2, PW_SCORE_WORK_PERFORMANCE, 90, "");
    p->sheets[0] = (pw_score_sheet){"county", p->county_items, 7};
    p->sheets[1] = (pw_score_sheet){"department", p->dept_items, 2};

    /* listed in no particular order */
    u[0] = unit("delta", "county", 5, 1, 0);
    u[1] = unit("dept_hou", "department", 5, 1, 0);
    u[2] = unit("alpha", "county", 5, 1, 0);
    u[3] = unit("echo", "county", 5, 1, 0);
    u[4] = unit("bravo", "county", 5, 1, 0);
    u[5] = unit("dept_fin", "department", 5, 1, 0);
    u[6] = unit("charlie", "county", 5, 1, 0);

    /* alpha: June already in, but not counted */
    SET_LIST(u[2], indicators, alpha_ind);
    SET_LIST(u[2], findings, alpha_f);

    /* bravo */
    late(&u[4].months[1], 3);
    u[4].months[3].receipt = PW_SCORE_MISSING;
    u[4].months[5].receipt = PW_SCORE_MISSING; /* June: not due yet */
    late(&u[4].halfyears[0], 2);
    SET_LIST(u[4], indicators, bravo_ind);
    SET_LIST(u[4], findings, bravo_f);

    /* charlie */
    u[6].months[0].receipt = PW_SCORE_NOT_EXPECTED;
    u[6].months[2].receipt = PW_SCORE_MISSING;
    SET_LIST(u[6], indicators, charlie_ind);
    SET_LIST(u[6], findings, charlie_f);

    /* delta */
    for (int m = 0; m < 6; m++)
        u[0].months[m].receipt = PW_SCORE_MISSING;
    u[0].halfyears[0].receipt = PW_SCORE_MISSING;
    SET_LIST(u[0], indicators, delta_ind);
    SET_LIST(u[0], findings, delta_f);

    /* echo: no indicators */
    SET_LIST(u[3], findings, echo_f);

    /* departments */
    SET_LIST(u[5], indicators, fin_ind);
    late(&u[1].months[4], 1);
    SET_LIST(u[1], indicators, hou_ind);

    p->in = (pw_score_input){Q2_2018, p->sheets, 2, p->units, 7};
}

static void expect_items(const pw_score_unit_result *r, const double *points, size_t n)
{
    cr_assert_eq(r->n_items, n, "%s: %zu items", r->unit_id, r->n_items);
    for (size_t i = 0; i < n; i++)
        cr_assert_float_eq(r->items[i].points, points[i], 1e-9, "%s item %d: %.12g, expected %g",
                           r->unit_id, r->items[i].item, r->items[i].points, points[i]);
}

Test(score_mini_plan, exact_totals)
{
    mini_plan p;
    mini_plan_init(&p);
    pw_score_result *res = evaluate(&p.in);

    cr_assert_eq(res->n_units, 7);
    cr_assert_float_eq(res->t, 0.5, EPS);
    cr_assert_eq(res->window.first_month, 1);
    cr_assert_eq(res->window.last_month, 6);

    const double alpha[7] = {3, 4, 80, 2, 5, 2, 3};
    const double bravo[7] = {2, 2, 40, 0.5, 3.5, 0, 0};
    const double charlie[7] = {2.5, 4, 72, 2, 4.5, 2, 0.5};
    const double delta[7] = {0.5, 2, 0, 0, 0, 0, 0};
    const double echo[7] = {3, 4, 48, 2, 5, 2, 0};
    const double fin[2] = {10, 90};
    const double hou[2] = {9, 45};
    expect_items(unit_of(res, "alpha"), alpha, 7);
    expect_items(unit_of(res, "bravo"), bravo, 7);
    expect_items(unit_of(res, "charlie"), charlie, 7);
    expect_items(unit_of(res, "delta"), delta, 7);
    expect_items(unit_of(res, "echo"), echo, 7);
    expect_items(unit_of(res, "dept_fin"), fin, 2);
    expect_items(unit_of(res, "dept_hou"), hou, 2);

    /* result order: county by rank, then department */
    const char *order[7] = {"alpha", "charlie", "bravo", "echo", "delta", "dept_fin", "dept_hou"};
    const double totals[7] = {100, 90, 46, 38, 0, 100, 54};
    const int ranks[7] = {1, 2, 3, 4, 5, 1, 2};
    const pw_score_grade grades[7] = {
        PW_SCORE_EXCELLENT,   PW_SCORE_EXCELLENT, PW_SCORE_UNQUALIFIED, PW_SCORE_UNQUALIFIED,
        PW_SCORE_UNQUALIFIED, PW_SCORE_EXCELLENT, PW_SCORE_UNQUALIFIED};
    const pw_score_flag flags[7] = {PW_SCORE_FLAG_COMMEND,   PW_SCORE_FLAG_COMMEND,
                                    PW_SCORE_FLAG_CRITICISE, PW_SCORE_FLAG_CRITICISE,
                                    PW_SCORE_FLAG_CRITICISE, PW_SCORE_FLAG_CRITICISE,
                                    PW_SCORE_FLAG_CRITICISE};
    for (size_t i = 0; i < 7; i++) {
        const pw_score_unit_result *r = &res->units[i];
        cr_assert_str_eq(r->unit_id, order[i]);
        cr_assert_float_eq(r->total, totals[i], 1e-9, "%s total %.12g", r->unit_id, r->total);
        cr_assert_eq(r->rank, ranks[i], "%s rank", r->unit_id);
        cr_assert_eq(r->grade, grades[i], "%s grade", r->unit_id);
        cr_assert_eq(r->flag, flags[i], "%s flag", r->unit_id);
    }
    cr_assert_str_eq(res->units[0].category, "county");
    cr_assert_eq(res->units[0].category_size, 5);
    cr_assert_str_eq(res->units[6].category, "department");
    cr_assert_eq(res->units[6].category_size, 2);

    /* adjustments */
    cr_assert_float_eq(unit_of(res, "alpha")->bonuses, 1, EPS);
    cr_assert_float_eq(unit_of(res, "bravo")->penalties, 2, EPS);
    cr_assert_eq(unit_of(res, "delta")->falsifications, 1);
    cr_assert_eq(unit_of(res, "echo")->falsifications, 2);
    cr_assert_float_eq(unit_of(res, "echo")->items_total, 64, EPS);
    pw_score_result_free(res);
}

Test(score_mini_plan, explanations)
{
    mini_plan p;
    mini_plan_init(&p);
    pw_score_result *res = evaluate(&p.in);
    const pw_score_unit_result *bravo = unit_of(res, "bravo");

    assert_line(&item_of(bravo, 1)->why, "2018-02: late 3 days, -0.5");
    assert_line(&item_of(bravo, 1)->why, "2018-04: missing, -0.5");
    assert_line(&item_of(bravo, 1)->why, "2018-06: deadline not passed yet, not counted");
    assert_line(&item_of(bravo, 1)->why, "3.00 - 1.00 deducted = 2.00");
    assert_line(&item_of(bravo, 2)->why, "2018-H1: late 2 days, counts as missing, -2");
    assert_line(&item_of(bravo, 2)->why, "2018-H2: not in the window, not counted");
    assert_line(&item_of(bravo, 3)->why, "I01 progress 0.30 / t 0.50 -> 0.60");
    assert_line(&item_of(bravo, 3)->why, "I02 progress 0.45 / t 0.50 -> 0.90");
    assert_line(&item_of(bravo, 3)->why, "I03 (no report) progress 0.00 / t 0.50 -> 0.00");
    assert_line(&item_of(bravo, 3)->why, "mean 0.5000 over 3 indicators x 80.00 = 40.00");
    assert_line(&item_of(bravo, 4)->why, "finding #1: 1 event, -0.5 (absent from the May meeting)");
    assert_line(&item_of(bravo, 4)->why,
                "finding #2: 2 events, -1 (plan without projects; late summary)");
    assert_line(&item_of(bravo, 5)->why, "finding #3: 4 points, superseded by #5");
    assert_line(&item_of(bravo, 5)->why, "finding #5: 3.5 points (latest, used) (re-inspection)");
    assert_line(&item_of(bravo, 6)->why, "finding #4: 0 points (latest, used) (no kick-off "
                                         "conference)");
    assert_line(&item_of(bravo, 7)->why, "sum 999 / per 1000 = 0 steps x 0.5 = 0.00");
    assert_line(&bravo->why, "finding #7: penalty -2");
    assert_line(&bravo->why, "rank 3 of 5 in county");
    assert_line(&bravo->why, "flag criticise: unqualified");

    const pw_score_unit_result *charlie = unit_of(res, "charlie");
    assert_line(&item_of(charlie, 1)->why, "2018-01: no report expected, not counted");
    assert_line(&charlie->why, "grade: excellent (>= 90)");

    const pw_score_unit_result *echo = unit_of(res, "echo");
    assert_line(&item_of(echo, 3)->why, "nothing to be judged on in 2018: the mean of the 4 county "
                                        "units that have something, 48.00");
    assert_line(&echo->why,
                "total: items 64.00 - falsifications 20.00 + bonuses 0.00 - penalties 6.00 = "
                "38.00");

    const pw_score_unit_result *delta = unit_of(res, "delta");
    assert_line(&item_of(delta, 4)->why, "2.00 - 2.50 deducted = -0.50");
    assert_line(&item_of(delta, 4)->why, "-0.50 is below 0: floored at 0.00");
    assert_line(&delta->why, "finding #4: falsification, -10 (invented March figures)");
    assert_line(&delta->why, "total: items 2.50 - falsifications 10.00 + bonuses 0.00 - "
                             "penalties 0.00 = -7.50, floored at 0.00");

    const pw_score_unit_result *fin = unit_of(res, "dept_fin");
    assert_line(&fin->why, "flag criticise: 1 unit of department scores lower (last two places)");
    pw_score_result_free(res);
}

Test(score_mini_plan, deterministic)
{
    /* two runs, same input: identical results line by line; reversed unit
     * order: same order, totals, ranks */
    mini_plan p, q;
    mini_plan_init(&p);
    mini_plan_init(&q);
    for (size_t i = 0; i < 7; i++)
        q.units[i] = p.units[6 - i];
    pw_score_result *a = evaluate(&p.in);
    pw_score_result *b = evaluate(&q.in);

    cr_assert_eq(a->n_units, b->n_units);
    for (size_t i = 0; i < a->n_units; i++) {
        const pw_score_unit_result *x = &a->units[i], *y = &b->units[i];
        cr_assert_str_eq(x->unit_id, y->unit_id);
        cr_assert_eq(x->total, y->total);
        cr_assert_eq(x->rank, y->rank);
        cr_assert_eq(x->flag, y->flag);
        cr_assert_eq(x->why.n_lines, y->why.n_lines);
        for (size_t k = 0; k < x->n_items; k++) {
            cr_assert_eq(x->items[k].points, y->items[k].points);
            cr_assert_eq(x->items[k].why.n_lines, y->items[k].why.n_lines);
            for (size_t l = 0; l < x->items[k].why.n_lines; l++)
                cr_assert_str_eq(x->items[k].why.lines[l], y->items[k].why.lines[l]);
        }
    }
    pw_score_result_free(a);
    pw_score_result_free(b);
}

/* explain_only (issue 18): the same scores and ranks, the lines of one unit
 * only. */
Test(score_rank, explain_only_keeps_scores_and_one_units_lines)
{
    static pw_score_item items[2];
    items[0] = item(10, PW_SCORE_WORK_PERFORMANCE, 80, NULL);
    items[1] = item(99, PW_SCORE_MANUAL, 20, NULL);
    pw_score_sheet sheet = {"county", items, 2};
    pw_score_indicator a[2] = {{"I01", 0.42, 0, 0, 0}, {"I02", 0.75, 0, 0, 0}};
    pw_score_indicator b[2] = {{"I01", 0.10, 0, 0, 0}, {"I02", 0, 1, 0, 0}};
    pw_score_unit units[2] = {unit("u1", "county", 6, 1, 0), unit("u2", "county", 6, 1, 0)};
    units[0].indicators = a;
    units[1].indicators = b;
    units[0].n_indicators = units[1].n_indicators = 2;
    pw_score_input in;
    memset(&in, 0, sizeof(in));
    in.window = Q2_2018;
    in.sheets = &sheet;
    in.n_sheets = 1;
    in.units = units;
    in.n_units = 2;
    pw_score_result *all = evaluate(&in);
    in.explain_only = "u2";
    pw_score_result *one = evaluate(&in);
    for (size_t k = 0; k < 2; k++) {
        const pw_score_unit_result *x = &all->units[k], *y = &one->units[k];
        cr_assert_str_eq(x->unit_id, y->unit_id);
        cr_assert_eq(x->total, y->total);
        cr_assert_eq(x->rank, y->rank);
        int mine = strcmp(y->unit_id, "u2") == 0;
        cr_assert_eq(y->why.n_lines, mine ? x->why.n_lines : 0);
        for (size_t i = 0; i < x->n_items; i++) {
            cr_assert_eq(y->items[i].points, x->items[i].points);
            cr_assert_gt(x->items[i].why.n_lines, 0);
            cr_assert_eq(y->items[i].why.n_lines, mine ? x->items[i].why.n_lines : 0);
            for (size_t l = 0; mine && l < x->items[i].why.n_lines; l++)
                cr_assert_str_eq(y->items[i].why.lines[l], x->items[i].why.lines[l]);
        }
    }
    pw_score_result_free(all);
    pw_score_result_free(one);
}
