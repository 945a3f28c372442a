/*
 * test_report_check.c - the per-value rules of a submitted report
 * (server/engine/report_check.h): which value is refused with which text,
 * which is accepted with which warnings, and the rule of a report without
 * values.  Every expected text is written out by hand from the rule.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "server/engine/report_check.h"

static pw_arena arena;

static void setup(void)
{
    pw_arena_init(&arena);
}

static void teardown(void)
{
    pw_arena_fini(&arena);
}

TestSuite(report_check, .init = setup, .fini = teardown);

/* A value of kind/uom with no earlier month, no note, no origin. */
static pw_report_check_in value(const char *kind, const char *uom, const char *v)
{
    return (pw_report_check_in){
        .kind = kind, .uom = uom, .value = v, .note = "", .origin = "", .max_note_bytes = 1000};
}

static pw_report_check_out accepted(const pw_report_check_in *in)
{
    pw_report_check_out out;
    int rc = pw_report_check_value(&arena, in, &out);
    cr_assert_eq(rc, 0, "'%s' refused: %s", in->value, out.error ? out.error : "(null)");
    cr_assert_null(out.error);
    return out;
}

static void refused(const pw_report_check_in *in, const char *text)
{
    pw_report_check_out out;
    cr_assert_eq(pw_report_check_value(&arena, in, &out), -1, "'%s' accepted", in->value);
    cr_assert_not_null(out.error);
    cr_assert_str_eq(out.error, text);
}

Test(report_check, plain_number_is_kept_without_remarks)
{
    pw_report_check_in in = value("cumulative", "万元", "1500");
    pw_report_check_out out = accepted(&in);
    cr_assert_not(out.is_state);
    cr_assert_eq(out.value, 1500);
    cr_assert_null(out.normalised);
    cr_assert_eq(out.nwarnings, 0);
}

Test(report_check, normalisation_is_described_with_the_origin)
{
    /* " 1,500 " in cell C2: spaces and a thousands separator removed, read as
     * 1500; the text quotes the value as typed, then " (cell C2)" */
    pw_report_check_in in = value("level", "人", " 1,500 ");
    in.origin = "cell C2";
    pw_report_check_out out = accepted(&in);
    cr_assert_eq(out.value, 1500);
    cr_assert_str_eq(
        out.normalised,
        "' 1,500 ' read as 1500 (cell C2): spaces removed, thousands separators removed");
}

Test(report_check, unparsable_value_names_its_cell)
{
    /* the parser's reason followed by " (line 7)" */
    pw_report_check_in in = value("level", "人", "abc");
    in.origin = "line 7";
    pw_report_check_out out;
    cr_assert_eq(pw_report_check_value(&arena, &in, &out), -1);
    cr_assert(strstr(out.error, "'abc'"), "%s", out.error);
    size_t n = strlen(out.error);
    cr_assert(n > 9);
    cr_assert_str_eq(out.error + n - 9, " (line 7)");
}

Test(report_check, share_outside_0_100_is_refused_but_a_threshold_rate_is_not)
{
    /* 120 % of a share: "%g" prints 120 */
    pw_report_check_in in = value("level", "%", "120");
    refused(&in, "120 % is outside 0-100");
    in.value = "-5";
    refused(&in, "-5 % is outside 0-100");
    /* boundaries are inside */
    in.value = "100";
    cr_assert_eq(accepted(&in).value, 100);
    in.value = "0";
    cr_assert_eq(accepted(&in).value, 0);
    /* a threshold's growth rate may exceed 100 % or fall below 0 */
    pw_report_check_in t = value("threshold", "%", "120");
    cr_assert_eq(accepted(&t).value, 120);
    t.value = "-5";
    cr_assert_eq(accepted(&t).value, -5);
}

Test(report_check, trailing_percent_sign_on_a_share)
{
    /* "29.4%" on a % indicator: the sign is dropped, the value is 29.4 */
    pw_report_check_in in = value("level", "%", "29.4%");
    pw_report_check_out out = accepted(&in);
    cr_assert_eq(out.value, 29.4);
    cr_assert_str_eq(out.normalised, "'29.4%' read as 29.4: % sign removed");
}

Test(report_check, fraction_typed_for_a_percentage_is_a_warning)
{
    /* last month 45 %, now 0.5: 0 < 0.5 <= 1 while 45 > 1, so a warning;
     * 0.5 * 100 = 50 */
    pw_report_check_in in = value("level", "%", "0.5");
    in.has_prev = 1;
    in.prev_has_value = 1;
    in.prev_value = 45;
    pw_report_check_out out = accepted(&in);
    cr_assert_eq(out.value, 0.5);
    cr_assert_eq(out.nwarnings, 1);
    cr_assert_str_eq(out.warnings[0], "0.5 % while the earlier month's was 45 %: a fraction typed "
                                      "for a percentage? (0.5 would be 50 %)");
    /* last month 0.8 (not > 1): no warning */
    in.prev_value = 0.8;
    cr_assert_eq(accepted(&in).nwarnings, 0);
    /* a threshold is not a share: no warning */
    in.kind = "threshold";
    in.prev_value = 45;
    cr_assert_eq(accepted(&in).nwarnings, 0);
}

Test(report_check, cumulative_below_the_earlier_month)
{
    /* 90 after 100, no note: refused, the note column asked for */
    pw_report_check_in in = value("cumulative", "万元", "90");
    in.has_prev = 1;
    in.prev_has_value = 1;
    in.prev_value = 100;
    in.origin = "cell D4";
    refused(&in, "cumulative value 90 is below the earlier month's 100; explain it in the note "
                 "column (cell D4)");
    /* with a note: accepted, the note quoted in the warning */
    in.note = "refund returned";
    pw_report_check_out out = accepted(&in);
    cr_assert_eq(out.value, 90);
    cr_assert_eq(out.nwarnings, 1);
    cr_assert_str_eq(out.warnings[0], "cumulative value 90 (cell D4) is below the earlier 100 "
                                      "(explained: refund returned)");
    /* equal to the earlier one: fine; the earlier month had only a note: fine */
    in.note = "";
    in.value = "100";
    cr_assert_eq(accepted(&in).nwarnings, 0);
    in.value = "90";
    in.prev_has_value = 0;
    cr_assert_eq(accepted(&in).nwarnings, 0);
    /* a level may fall */
    in.kind = "level";
    in.prev_has_value = 1;
    cr_assert_eq(accepted(&in).nwarnings, 0);
}

Test(report_check, scientific_notation_is_a_warning)
{
    /* 1.31E+03 = 1.31 * 1000 = 1310 */
    pw_report_check_in in = value("level", "人", "1.31E+03");
    pw_report_check_out out = accepted(&in);
    cr_assert_eq(out.value, 1310);
    cr_assert_eq(out.nwarnings, 1);
    cr_assert_str_eq(out.warnings[0],
                     "'1.31E+03' is scientific notation, read as 1310: a spreadsheet may have "
                     "shown a rounded number; check the value");
}

Test(report_check, three_warnings_on_one_value)
{
    /* a cumulative % share: 5E-01 = 0.5 is scientific (1), a fraction after
     * 45 (2), and below 45 with a note (3) */
    pw_report_check_in in = value("cumulative", "%", "5E-01");
    in.has_prev = 1;
    in.prev_has_value = 1;
    in.prev_value = 45;
    in.note = "recount";
    pw_report_check_out out = accepted(&in);
    cr_assert_eq(out.value, 0.5);
    cr_assert_eq(out.nwarnings, 3);
    cr_assert(strstr(out.warnings[0], "scientific notation"));
    cr_assert(strstr(out.warnings[1], "a fraction typed"));
    cr_assert_str_eq(out.warnings[2],
                     "cumulative value 0.5 is below the earlier 45 (explained: recount)");
}

Test(report_check, states_of_milestones_and_tasks)
{
    /* a milestone's state in Chinese: 已完成 is done */
    pw_report_check_in in = value("milestone", "", "已完成");
    pw_report_check_out out = accepted(&in);
    cr_assert(out.is_state);
    cr_assert_str_eq(out.state, "done");
    cr_assert_eq(out.nwarnings, 0);
    cr_assert_not_null(out.normalised);
    /* a task without a note: accepted with a warning */
    pw_report_check_in t = value("task", "", "in_progress");
    t.origin = "cell B9";
    out = accepted(&t);
    cr_assert_str_eq(out.state, "in_progress");
    cr_assert_eq(out.nwarnings, 1);
    cr_assert_str_eq(out.warnings[0], "task state in_progress without a line of progress text in "
                                      "the note column (cell B9)");
    t.note = "drafting";
    cr_assert_eq(accepted(&t).nwarnings, 0);
    /* a number is not a state */
    pw_report_check_in n = value("milestone", "", "3");
    pw_report_check_out bad;
    cr_assert_eq(pw_report_check_value(&arena, &n, &bad), -1);
}

Test(report_check, note_too_long_is_refused_first)
{
    /* a 12-byte note with 10 allowed: refused even though the value is bad
     * too (the note is checked first) */
    pw_report_check_in in = value("level", "人", "abc");
    in.note = "twelve bytes";
    in.max_note_bytes = 10;
    in.origin = "cell C2";
    pw_report_check_out out;
    cr_assert_eq(pw_report_check_value(&arena, &in, &out), -1);
    cr_assert(strncmp(out.error, "note: ", 6) == 0, "%s", out.error);
    cr_assert(strstr(out.error, "12 bytes"), "%s", out.error);
    size_t n = strlen(out.error);
    cr_assert_str_eq(out.error + n - 10, " (cell C2)");
}

Test(report_check, long_origin_is_quoted_short)
{
    /* origin excerpts stop after 24 characters with "..." */
    pw_report_check_in in = value("level", "%", "200");
    in.origin = "cell ABCDEFGHIJKLMNOPQRSTUVWXYZ1";
    refused(&in, "200 % is outside 0-100 (cell ABCDEFGHIJKLMNOPQRS...)");
}

Test(report_check, report_without_values)
{
    char err[300];
    /* nothing numeric and a narrative: allowed */
    cr_assert_eq(pw_report_check_empty(0, 1, "U1", "2018-03", err, sizeof err), 0);
    /* one numeric indicator: singular */
    cr_assert_eq(pw_report_check_empty(1, 1, "U1", "2018-03", err, sizeof err), -1);
    cr_assert_str_eq(err, "the report has no values: unit U1 has 1 numeric indicator to report "
                          "for 2018-03");
    /* two: plural */
    cr_assert_eq(pw_report_check_empty(2, 0, "U1", "2018-Q1", err, sizeof err), -1);
    cr_assert_str_eq(err, "the report has no values: unit U1 has 2 numeric indicators to report "
                          "for 2018-Q1");
    /* nothing numeric, no narrative */
    cr_assert_eq(pw_report_check_empty(0, 0, "U1", "2018-03", err, sizeof err), -1);
    cr_assert_str_eq(err, "the report has no values and no narrative: give the progress, problems "
                          "or next steps (--progress, --narrative FILE)");
}
