/*
 * test_report_value.c - the normalisations of SPEC 4.3 (each one reported),
 * the scientific-notation and fraction warnings, and what is NOT guessed.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "common/report_value.h"

static pw_report_value ok(const char *raw, int milestone, int percent)
{
    pw_report_value v;
    char err[300] = "";
    int rc = pw_report_value_parse(raw, milestone, percent, &v, err, sizeof err);
    cr_assert_eq(rc, 0, "'%s' refused: %s", raw, err);
    return v;
}

/* ok() for a number that must come out as `want` */
static pw_report_value number(const char *raw, int percent, double want)
{
    pw_report_value v = ok(raw, 0, percent);
    cr_assert_eq(v.number, want, "'%s' read as %.17g, not %.17g", raw, v.number, want);
    return v;
}

static void refused(const char *raw, int milestone, int percent, const char *what)
{
    pw_report_value v;
    memset(&v, 0x5a, sizeof v);
    char err[300] = "";
    cr_assert_eq(pw_report_value_parse(raw, milestone, percent, &v, err, sizeof err), -1,
                 "'%s' accepted", raw);
    cr_assert(strstr(err, what), "'%s': error '%s' lacks '%s'", raw, err, what);
    cr_assert_eq(((unsigned char *)&v)[0], 0x5a, "out written on failure");
}

Test(report_value, plain_numbers_need_no_normalisation)
{
    pw_report_value v = number("1500", 0, 1500);
    cr_assert_eq(v.applied, 0);
    cr_assert_eq(v.warnings, 0);
    cr_assert_str_eq(v.text, "1500");
    cr_assert_eq(ok("-12.5", 0, 0).number, -12.5);
    cr_assert_eq(ok(".5", 0, 0).number, 0.5);
    cr_assert_eq(ok("+3", 0, 0).number, 3);
}

Test(report_value, spaces_around_also_ideographic)
{
    pw_report_value v = number("1500  ", 0, 1500);
    cr_assert_eq(v.applied, PW_NORM_SPACES);
    v = ok("\xE3\x80\x80"
           "42\xE3\x80\x80",
           0, 0); /* U+3000 both sides */
    cr_assert_eq(v.number, 42);
    cr_assert_eq(v.applied, PW_NORM_SPACES);
    v = number("\t7\xC2\xA0", 0, 7);                   /* tab, no-break space */
    refused("12 345", 0, 0, "is not a finite number"); /* a space inside is not guessed */
}

Test(report_value, full_width_digits_sign_and_point)
{
    pw_report_value v = number("１５００", 0, 1500);
    cr_assert_eq(v.applied, PW_NORM_FULLWIDTH);
    v = number("－１２．５", 0, -12.5);
    cr_assert_str_eq(v.text, "-12.5");
    v = number("＋３", 0, 3);
}

Test(report_value, thousands_separators_in_groups_of_three)
{
    pw_report_value v = number("1,500", 0, 1500);
    cr_assert_eq(v.applied, PW_NORM_THOUSANDS);
    v = number("1，500", 0, 1500); /* full-width comma */
    cr_assert_eq(v.applied, PW_NORM_THOUSANDS);
    v = number("12,345,678.25", 0, 12345678.25);
    v = number("１，２３４", 0, 1234);
    cr_assert_eq(v.applied, PW_NORM_THOUSANDS | PW_NORM_FULLWIDTH);
    static const char *const misgrouped[] = {"1,50", "1234,567", ",500", "1,5000", "1,500,"};
    for (size_t i = 0; i < sizeof misgrouped / sizeof misgrouped[0]; i++)
        refused(misgrouped[i], 0, 0, "groups of three");
    refused("1.500,5", 0, 0, "is not a finite number");
}

Test(report_value, trailing_percent_only_on_a_percent_indicator)
{
    pw_report_value v = number("29.40%", 1, 29.4);
    cr_assert_eq(v.applied, PW_NORM_PERCENT);
    v = number("29.4 ％", 1, 29.4);
    cr_assert_eq(ok("35", 0, 1).applied, 0);
    refused("29.40%", 0, 0, "not measured in %");
    refused("%", 0, 1, "is not a finite number");
}

Test(report_value, states_in_chinese)
{
    pw_report_value v = ok("已完成", 1, 0);
    cr_assert_str_eq(v.text, "done");
    cr_assert_eq(v.applied, PW_NORM_STATE);
    cr_assert_str_eq(ok("未启动", 1, 0).text, "not_started");
    v = ok(" 推进中 ", 1, 0);
    cr_assert_str_eq(v.text, "in_progress");
    cr_assert_eq(v.applied, PW_NORM_STATE | PW_NORM_SPACES);
    v = ok("done", 1, 0);
    cr_assert_eq(v.applied, 0);
    refused("完成", 1, 0, "is not one of not_started, in_progress, done");
    refused("DONE", 1, 0, "is not one of");
    refused("", 1, 0, "is not one of");
}

Test(report_value, scientific_notation_is_a_warning)
{
    pw_report_value v = number("1.31E+03", 0, 1310);
    cr_assert_eq(v.warnings, PW_VALWARN_SCIENTIFIC);
    cr_assert_eq(v.applied, 0);
    v = number("2e-1", 0, 0.2);
    cr_assert_eq(v.warnings, PW_VALWARN_SCIENTIFIC);
    refused("1e", 0, 0, "is not a finite number");
    refused("1e999", 0, 0, "is not a finite number");
}

/* 1e308 was stored (a warning only): progress, sums and scores then
 * overflow; the bound is the template's own data validation. */
Test(report_value, magnitudes_beyond_ten_to_the_fifteen_and_minus_zero)
{
    cr_assert_eq(ok("1e15", 0, 0).number, 1e15);
    cr_assert_eq(ok("-1,000,000,000,000,000", 0, 0).number, -1e15);
    refused("1e308", 0, 0, "'1e308' is out of range: a value is at most 1,000,000,000,000,000");
    refused("1000000000000001", 0, 0, "is out of range");
    refused("-2e15", 0, 0, "is out of range");
    refused("1e-320", 0, 0, "'1e-320' is too close to 0 to be stored");
    pw_report_value v = ok("-0", 0, 0);
    cr_assert(v.number == 0 && !signbit(v.number), "-0 read as %g", v.number);
    cr_assert_str_eq(v.text, "0");
    v = ok("－0.0", 0, 0);
    cr_assert(!signbit(v.number));
    cr_assert_eq(ok("1e-300", 0, 0).number, 1e-300);
}

Test(report_value, nothing_else_is_guessed)
{
    static const char *const bad[] = {"abc",  "0x10", "inf", "nan", "-",  ".",     "1500元",
                                      "1..5", "--1",  "1-",  "",    "  ", "1 500", "1'500"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i], 0, 0, "is not a finite number");
}

Test(report_value, describe_lists_every_normalisation)
{
    char buf[200];
    pw_report_value_describe(PW_NORM_SPACES | PW_NORM_THOUSANDS | PW_NORM_PERCENT, buf, sizeof buf);
    cr_assert_str_eq(buf, "spaces removed, thousands separators removed, % sign removed");
    pw_report_value_describe(0, buf, sizeof buf);
    cr_assert_str_eq(buf, "");
    pw_report_value_describe(PW_NORM_FULLWIDTH | PW_NORM_STATE, buf, sizeof buf);
    cr_assert_str_eq(buf, "full-width characters, Chinese state name");
}

Test(report_value, fraction_for_a_percentage)
{
    cr_assert_eq(pw_report_value_looks_fraction(0.3591, 1, 35.72), 1);
    cr_assert_eq(pw_report_value_looks_fraction(1, 1, 35.72), 1);
    cr_assert_eq(pw_report_value_looks_fraction(1.5, 1, 35.72), 0);
    cr_assert_eq(pw_report_value_looks_fraction(0.5, 1, 0.8), 0);
    cr_assert_eq(pw_report_value_looks_fraction(0.5, 0, 35.72), 0);
    /* 0 is no fraction: the receipt said "(0 would be 0 %)" */
    cr_assert_eq(pw_report_value_looks_fraction(0, 1, 35.72), 0);
}
