/*
 * test_period.c - periods (parse, format, windows, elapsed time), months,
 * civil dates, ISO 8601 times, UTC offsets, deadlines (SPEC 3.3) and days late,
 * with the exact error messages.  Independent of the process time zone: one
 * test sets TZ to something exotic and expects the same answers.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/period.h"

/* Parse s, expecting failure, and return the message. */
static const char *period_error(const char *s)
{
    static char err[256];
    pw_period p = {-7, -7, -7};
    err[0] = '\0';
    cr_assert_eq(pw_period_parse(s, &p, err, sizeof err), -1, "'%s' parsed", s ? s : "(null)");
    cr_assert_eq(p.kind, -7, "out written on failure");
    return err;
}

static pw_period period_ok(const char *s)
{
    char err[256] = "";
    pw_period p;
    cr_assert_eq(pw_period_parse(s, &p, err, sizeof err), 0, "'%s': %s", s, err);
    return p;
}

static int64_t utc(const char *s)
{
    int64_t t = 0;
    char err[256] = "";
    cr_assert_eq(pw_time_parse_iso8601_err(s, &t, err, sizeof err), 0, "%s", err);
    return t;
}

/* ---- parse / format ----------------------------------------------------- */

Test(period_parse, accepts_every_kind)
{
    pw_period p = period_ok("2018-03");
    cr_assert_eq(p.kind, PW_PERIOD_MONTH);
    cr_assert_eq(p.year, 2018);
    cr_assert_eq(p.index, 3);
    p = period_ok("2018-Q4");
    cr_assert_eq(p.kind, PW_PERIOD_QUARTER);
    cr_assert_eq(p.index, 4);
    p = period_ok("2019-H1");
    cr_assert_eq(p.kind, PW_PERIOD_HALF);
    cr_assert_eq(p.year, 2019);
    cr_assert_eq(p.index, 1);
    p = period_ok("2020");
    cr_assert_eq(p.kind, PW_PERIOD_YEAR);
    cr_assert_eq(p.year, 2020);
    cr_assert_eq(p.index, 0);
}

Test(period_parse, accepts_year_range_edges)
{
    cr_assert_eq(period_ok("2000-01").year, 2000);
    cr_assert_eq(period_ok("2100-12").year, 2100);
    cr_assert_eq(period_ok("2100").year, 2100);
}

Test(period_parse, rejects_bad_month_with_exact_message)
{
    cr_assert_str_eq(period_error("2018-13"), "period '2018-13': month must be 01..12");
    cr_assert_str_eq(period_error("2018-00"), "period '2018-00': month must be 01..12");
}

Test(period_parse, rejects_bad_shapes_with_exact_message)
{
    const char *want = "expected YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY";
    const char *bad[] = {"2018-1",   "18-01",    "2018-01x", "2018-001", " 2018-01", "2018-01 ",
                         "2018/01",  "2018-q1",  "2018-h1",  "2018-Q",   "2018-Q10", "201",
                         "20180",    "+018-01",  "2018-+1",  "2018-1a",  "２０１８", "2018-01\n",
                         "2018-H1x", "2018--01", "Q1-2018",  "2018-M01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *got = period_error(bad[i]);
        cr_assert(strstr(got, want) != NULL, "%s -> %s", bad[i], got);
    }
    cr_assert_str_eq(period_error("18-01"), "period '18-01': expected YYYY-MM, YYYY-Qn, YYYY-H1, "
                                            "YYYY-H2 or YYYY");
}

Test(period_parse, rejects_years_outside_2000_2100)
{
    cr_assert_str_eq(period_error("1999-12"), "period '1999-12': year must be 2000..2100");
    cr_assert_str_eq(period_error("2101-01"), "period '2101-01': year must be 2000..2100");
    cr_assert_str_eq(period_error("0000"), "period '0000': year must be 2000..2100");
    cr_assert_str_eq(period_error("9999-Q1"), "period '9999-Q1': year must be 2000..2100");
}

Test(period_parse, rejects_bad_quarter_and_half)
{
    cr_assert_str_eq(period_error("2018-Q0"), "period '2018-Q0': quarter must be Q1..Q4");
    cr_assert_str_eq(period_error("2018-Q5"), "period '2018-Q5': quarter must be Q1..Q4");
    cr_assert_str_eq(period_error("2018-H0"), "period '2018-H0': half-year must be H1 or H2");
    cr_assert_str_eq(period_error("2018-H3"), "period '2018-H3': half-year must be H1 or H2");
}

Test(period_parse, empty_null_and_hostile_input)
{
    cr_assert_str_eq(period_error(""), "period is empty");
    cr_assert_str_eq(period_error(NULL), "period is missing");
    cr_assert_str_eq(period_error("2018-0\x01"),
                     "period '2018-0?': expected YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY");
    char long_input[200];
    memset(long_input, '9', sizeof long_input - 1);
    long_input[sizeof long_input - 1] = '\0';
    const char *msg = period_error(long_input);
    cr_assert(strstr(msg, "9999999999...'") != NULL, "%s", msg);
    cr_assert(strlen(msg) < 120);
}

Test(period_parse, null_err_buffer_is_fine)
{
    pw_period p;
    cr_assert_eq(pw_period_parse("2018-13", &p, NULL, 0), -1);
    char tiny[8];
    cr_assert_eq(pw_period_parse("2018-13", &p, tiny, sizeof tiny), -1);
    cr_assert_str_eq(tiny, "period ");
    cr_assert_eq(pw_period_parse("2018-01", NULL, NULL, 0), -1);
}

Test(period_parse_kinds, restricts_kinds_with_exact_message)
{
    char err[256];
    pw_period p;
    cr_assert_eq(pw_period_parse_kinds("2018-Q1", PW_PERIOD_ALLOW_MONTH, &p, err, sizeof err), -1);
    cr_assert_str_eq(err, "period '2018-Q1': expected YYYY-MM");
    unsigned scores = PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_YEAR;
    cr_assert_eq(pw_period_parse_kinds("2018-H1", scores, &p, err, sizeof err), -1);
    cr_assert_str_eq(err, "period '2018-H1': expected YYYY-MM, YYYY-Qn or YYYY");
    cr_assert_eq(pw_period_parse_kinds("2018-03", PW_PERIOD_ALLOW_HALF, &p, err, sizeof err), -1);
    cr_assert_str_eq(err, "period '2018-03': expected YYYY-H1 or YYYY-H2");
    cr_assert_eq(pw_period_parse_kinds("2018-Q2", scores, &p, err, sizeof err), 0);
    cr_assert_eq(p.kind, PW_PERIOD_QUARTER);
    cr_assert_eq(pw_period_parse_kinds("2018", 0, &p, err, sizeof err), -1);
}

Test(period_format, round_trips_every_valid_period)
{
    int count = 0;
    for (int y = PW_PERIOD_YEAR_MIN; y <= PW_PERIOD_YEAR_MAX; y++) {
        for (int kind = PW_PERIOD_MONTH; kind <= PW_PERIOD_YEAR; kind++) {
            int n = kind == PW_PERIOD_MONTH     ? 12
                    : kind == PW_PERIOD_QUARTER ? 4
                    : kind == PW_PERIOD_HALF    ? 2
                                                : 0;
            for (int i = (n ? 1 : 0); i <= n; i++) {
                pw_period p, back;
                char buf[PW_PERIOD_BUFSIZE];
                cr_assert_eq(pw_period_make(kind, y, i, &p), 0);
                cr_assert_eq(pw_period_format(&p, buf, sizeof buf), 0);
                cr_assert_eq(pw_period_parse(buf, &back, NULL, 0), 0, "%s", buf);
                cr_assert(back.kind == p.kind && back.year == p.year && back.index == p.index);
                count++;
            }
        }
    }
    cr_assert_eq(count, 101 * 19);
}

Test(period_format, exact_spellings_and_small_buffers)
{
    char buf[PW_PERIOD_BUFSIZE];
    pw_period p = {PW_PERIOD_MONTH, 2018, 3};
    cr_assert_eq(pw_period_format(&p, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2018-03");
    p = (pw_period){PW_PERIOD_QUARTER, 2018, 2};
    pw_period_format(&p, buf, sizeof buf);
    cr_assert_str_eq(buf, "2018-Q2");
    p = (pw_period){PW_PERIOD_HALF, 2018, 2};
    pw_period_format(&p, buf, sizeof buf);
    cr_assert_str_eq(buf, "2018-H2");
    p = (pw_period){PW_PERIOD_YEAR, 2018, 0};
    pw_period_format(&p, buf, sizeof buf);
    cr_assert_str_eq(buf, "2018");

    char small[7] = "xxxxxx";
    p = (pw_period){PW_PERIOD_MONTH, 2018, 3};
    cr_assert_eq(pw_period_format(&p, small, sizeof small), -1);
    cr_assert_str_eq(small, "xxxxxx");
    p = (pw_period){PW_PERIOD_MONTH, 2018, 13};
    cr_assert_eq(pw_period_format(&p, buf, sizeof buf), -1);
    p = (pw_period){PW_PERIOD_YEAR, 2018, 1};
    cr_assert_eq(pw_period_format(&p, buf, sizeof buf), -1);
    p = (pw_period){9, 2018, 1};
    cr_assert_eq(pw_period_format(&p, buf, sizeof buf), -1);
}

Test(period_make, validates)
{
    pw_period p = {0, 0, 0};
    cr_assert_eq(pw_period_make(PW_PERIOD_MONTH, 2018, 0, &p), -1);
    cr_assert_eq(pw_period_make(PW_PERIOD_QUARTER, 2018, 5, &p), -1);
    cr_assert_eq(pw_period_make(PW_PERIOD_HALF, 2018, 3, &p), -1);
    cr_assert_eq(pw_period_make(PW_PERIOD_YEAR, 1999, 0, &p), -1);
    cr_assert_eq(pw_period_make(0, 2018, 1, &p), -1);
    cr_assert_eq(p.kind, 0);
    cr_assert_eq(pw_period_make(PW_PERIOD_HALF, 2018, 2, &p), 0);
    cr_assert_eq(p.index, 2);
    cr_assert_eq(pw_period_valid(NULL), 0);
}

/* ---- windows ------------------------------------------------------------ */

static void window(const char *s, int want_first, int want_last)
{
    pw_period p = period_ok(s);
    int first = -1, last = -1;
    cr_assert_eq(pw_period_window(&p, &first, &last), 0);
    cr_assert_eq(first, want_first, "%s first", s);
    cr_assert_eq(last, want_last, "%s last", s);
}

static void months(const char *s, int want_first, int want_last)
{
    pw_period p = period_ok(s);
    int first = -1, last = -1;
    cr_assert_eq(pw_period_months(&p, &first, &last), 0);
    cr_assert_eq(first, want_first, "%s first", s);
    cr_assert_eq(last, want_last, "%s last", s);
}

Test(period_window, is_year_to_date_as_in_spec_3_5)
{
    window("2018-01", 1, 1);
    window("2018-07", 1, 7);
    window("2018-12", 1, 12);
    window("2018-Q1", 1, 3);
    window("2018-Q2", 1, 6);
    window("2018-Q3", 1, 9);
    window("2018-Q4", 1, 12);
    window("2018-H1", 1, 6);
    window("2018-H2", 1, 12);
    window("2018", 1, 12);
}

Test(period_months, covers_the_period_itself)
{
    months("2018-07", 7, 7);
    months("2018-Q1", 1, 3);
    months("2018-Q3", 7, 9);
    months("2018-H1", 1, 6);
    months("2018-H2", 7, 12);
    months("2018", 1, 12);
}

Test(period_window, refuses_invalid_periods_without_writing)
{
    pw_period bad = {PW_PERIOD_MONTH, 2018, 13};
    int first = -1, last = -1;
    cr_assert_eq(pw_period_window(&bad, &first, &last), -1);
    cr_assert_eq(pw_period_months(&bad, &first, &last), -1);
    cr_assert_eq(first, -1);
    cr_assert_eq(last, -1);
    cr_assert_eq(pw_period_window(NULL, &first, &last), -1);
}

Test(period_contains, months_of_the_period_only)
{
    pw_period q2 = period_ok("2018-Q2");
    cr_assert_eq(pw_period_contains(&q2, 2018, 3), 0);
    cr_assert_eq(pw_period_contains(&q2, 2018, 4), 1);
    cr_assert_eq(pw_period_contains(&q2, 2018, 6), 1);
    cr_assert_eq(pw_period_contains(&q2, 2018, 7), 0);
    cr_assert_eq(pw_period_contains(&q2, 2019, 4), 0);
    pw_period y = period_ok("2018");
    cr_assert_eq(pw_period_contains(&y, 2018, 12), 1);
    cr_assert_eq(pw_period_contains(&y, 2018, 13), 0);
}

Test(period_elapsed, is_last_window_month_over_twelve)
{
    double t = -1;
    pw_period p = period_ok("2018-03");
    cr_assert_eq(pw_period_elapsed(&p, &t), 0);
    cr_assert_float_eq(t, 0.25, 1e-12);
    p = period_ok("2018-Q2");
    pw_period_elapsed(&p, &t);
    cr_assert_float_eq(t, 0.5, 1e-12);
    p = period_ok("2018");
    pw_period_elapsed(&p, &t);
    cr_assert_float_eq(t, 1.0, 1e-12);
    cr_assert_float_eq(pw_month_elapsed(6), 0.5, 1e-12);
    cr_assert_float_eq(pw_month_elapsed(0), 0.0, 1e-12);
    cr_assert_float_eq(pw_month_elapsed(13), 1.0, 1e-12);
    cr_assert_float_eq(pw_month_elapsed(-2), 0.0, 1e-12);
    pw_period bad = {PW_PERIOD_MONTH, 2018, 0};
    t = -1;
    cr_assert_eq(pw_period_elapsed(&bad, &t), -1);
    cr_assert_float_eq(t, -1.0, 1e-12);
}

/* ---- months ------------------------------------------------------------- */

Test(month, next_and_prev_cross_years)
{
    int y = 0, m = 0;
    cr_assert_eq(pw_month_next(2018, 12, &y, &m), 0);
    cr_assert(y == 2019 && m == 1);
    cr_assert_eq(pw_month_next(2018, 3, &y, &m), 0);
    cr_assert(y == 2018 && m == 4);
    cr_assert_eq(pw_month_prev(2018, 1, &y, &m), 0);
    cr_assert(y == 2017 && m == 12);
    cr_assert_eq(pw_month_prev(2018, 3, &y, &m), 0);
    cr_assert(y == 2018 && m == 2);
}

Test(month, next_and_prev_refuse_bad_input_without_writing)
{
    int y = 7, m = 7;
    cr_assert_eq(pw_month_next(2018, 13, &y, &m), -1);
    cr_assert_eq(pw_month_next(2018, 0, &y, &m), -1);
    cr_assert_eq(pw_month_prev(1, 1, &y, &m), -1);
    cr_assert_eq(pw_month_next(9999, 12, &y, &m), -1);
    cr_assert_eq(pw_month_next(0, 5, &y, &m), -1);
    cr_assert(y == 7 && m == 7);
}

Test(month, compare_orders_by_year_then_month)
{
    cr_assert_lt(pw_month_compare(2018, 12, 2019, 1), 0);
    cr_assert_gt(pw_month_compare(2019, 1, 2018, 12), 0);
    cr_assert_eq(pw_month_compare(2018, 5, 2018, 5), 0);
    cr_assert_lt(pw_month_compare(2018, 4, 2018, 5), 0);
    cr_assert_gt(pw_month_compare(2147483647, 12, -2147483647 - 1, 1), 0);
}

/* ---- civil dates -------------------------------------------------------- */

Test(date, leap_years_and_month_lengths)
{
    cr_assert_eq(pw_is_leap_year(2000), 1);
    cr_assert_eq(pw_is_leap_year(1900), 0);
    cr_assert_eq(pw_is_leap_year(2100), 0);
    cr_assert_eq(pw_is_leap_year(2020), 1);
    cr_assert_eq(pw_is_leap_year(2018), 0);
    cr_assert_eq(pw_days_in_month(2018, 2), 28);
    cr_assert_eq(pw_days_in_month(2020, 2), 29);
    cr_assert_eq(pw_days_in_month(2000, 2), 29);
    cr_assert_eq(pw_days_in_month(2100, 2), 28);
    cr_assert_eq(pw_days_in_month(2018, 4), 30);
    cr_assert_eq(pw_days_in_month(2018, 12), 31);
    cr_assert_eq(pw_days_in_month(2018, 0), 0);
    cr_assert_eq(pw_days_in_month(2018, 13), 0);
}

Test(date, parse_known_day_numbers)
{
    int32_t d = -1;
    cr_assert_eq(pw_date_parse("1970-01-01", &d), 0);
    cr_assert_eq(d, 0);
    cr_assert_eq(pw_date_parse("2018-02-05", &d), 0);
    cr_assert_eq(d, 17567);
    cr_assert_eq(pw_date_parse("1969-12-31", &d), 0);
    cr_assert_eq(d, -1);
    cr_assert_eq(pw_date_parse("2020-02-29", &d), 0);
    cr_assert_eq(d, 18321);
    cr_assert_eq(pw_date_parse("0001-01-01", &d), 0);
    cr_assert_eq(d, -719162);
    cr_assert_eq(pw_date_parse("9999-12-31", &d), 0);
    cr_assert_eq(d, 2932896);
}

Test(date, parse_rejects_impossible_dates_with_exact_messages)
{
    char err[256];
    int32_t d = 42;
    cr_assert_eq(pw_date_parse_err("2018-02-29", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "date '2018-02-29': day must be 01..28 for 2018-02");
    cr_assert_eq(pw_date_parse_err("1900-02-29", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "date '1900-02-29': day must be 01..28 for 1900-02");
    cr_assert_eq(pw_date_parse_err("2018-04-31", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "date '2018-04-31': day must be 01..30 for 2018-04");
    cr_assert_eq(pw_date_parse_err("2018-01-00", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "date '2018-01-00': day must be 01..31 for 2018-01");
    cr_assert_eq(pw_date_parse_err("2018-13-01", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "date '2018-13-01': month must be 01..12");
    cr_assert_eq(pw_date_parse_err("0000-01-01", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "date '0000-01-01': year must be 0001..9999");
    cr_assert_eq(d, 42);
}

Test(date, parse_rejects_other_shapes)
{
    const char *bad[] = {"2018-2-05",   "2018-02-5",   "18-02-05",    "2018/02/05", "2018-02-05 ",
                         " 2018-02-05", "2018-02-05T", "20180205",    "2018-02-0a", "2018-02",
                         "-018-02-05",  "2018-02-+5",  "2018-02-05\n"};
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int32_t d = 42;
        cr_assert_eq(pw_date_parse_err(bad[i], &d, err, sizeof err), -1, "%s", bad[i]);
        cr_assert(strstr(err, "expected YYYY-MM-DD") != NULL, "%s -> %s", bad[i], err);
        cr_assert_eq(d, 42);
    }
    cr_assert_eq(pw_date_parse_err("", NULL, err, sizeof err), -1);
    cr_assert_str_eq(err, "date is empty");
    cr_assert_eq(pw_date_parse(NULL, NULL), -1);
}

Test(date, every_day_round_trips_through_civil_and_text)
{
    int32_t prev = 0;
    int first = 1;
    for (int y = 1; y <= 9999; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = pw_days_in_month(y, m);
            for (int d = 1; d <= dim; d++) {
                int32_t n;
                if (pw_date_from_civil(y, m, d, &n) != 0)
                    cr_assert_fail("%04d-%02d-%02d refused", y, m, d);
                if (!first && n != prev + 1)
                    cr_assert_fail("%04d-%02d-%02d is not the day after", y, m, d);
                int yy, mm, dd;
                if (pw_date_to_civil(n, &yy, &mm, &dd) != 0 || yy != y || mm != m || dd != d)
                    cr_assert_fail("%04d-%02d-%02d came back different", y, m, d);
                prev = n;
                first = 0;
            }
        }
    }
    cr_assert_eq(prev, 2932896);
}

Test(date, format_and_range)
{
    char buf[PW_DATE_BUFSIZE];
    cr_assert_eq(pw_date_format(17567, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2018-02-05");
    cr_assert_eq(pw_date_format(-719162, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "0001-01-01");
    cr_assert_eq(pw_date_format(-719163, buf, sizeof buf), -1);
    cr_assert_eq(pw_date_format(2932897, buf, sizeof buf), -1);
    cr_assert_eq(pw_date_format(0, buf, 10), -1);
    cr_assert_eq(pw_date_from_civil(2018, 2, 29, &(int32_t){0}), -1);
    cr_assert_eq(pw_date_from_civil(10000, 1, 1, &(int32_t){0}), -1);
    int y = 0, m = 0, d = 0;
    cr_assert_eq(pw_date_to_civil(INT32_MAX, &y, &m, &d), -1);
    cr_assert_eq(y, 0);
}

/* ---- ISO 8601 times ----------------------------------------------------- */

Test(time_parse, accepts_the_four_forms)
{
    cr_assert_eq(utc("2018-02-05T23:59:59+08:00"), 1517846399);
    cr_assert_eq(utc("2018-02-05T15:59:59Z"), 1517846399);
    cr_assert_eq(utc("2018-02-05T15:59:59"), 1517846399);
    cr_assert_eq(utc("2018-02-05"), 1517788800);
}

Test(time_parse, negative_and_half_hour_offsets)
{
    cr_assert_eq(utc("2018-02-05T10:59:59-05:00"), 1517846399);
    cr_assert_eq(utc("2018-02-05T21:29:59+05:30"), 1517846399);
    cr_assert_eq(utc("2018-02-05T15:59:59-00:00"), 1517846399);
    cr_assert_eq(utc("2018-02-05T15:59:59+00:00"), 1517846399);
    cr_assert_eq(utc("2018-02-06T15:58:59+23:59"), 1517846399);
}

Test(time_parse, fractional_seconds_are_dropped)
{
    cr_assert_eq(utc("2018-02-05T15:59:59.999Z"), 1517846399);
    cr_assert_eq(utc("2018-02-05T23:59:59.5+08:00"), 1517846399);
    cr_assert_eq(utc("2018-02-05T15:59:59.123456789"), 1517846399);
}

Test(time_parse, extremes_and_before_1970)
{
    cr_assert_eq(utc("1969-12-31T23:59:59Z"), -1);
    cr_assert_eq(utc("0001-01-01T00:00:00Z"), -62135596800);
    cr_assert_eq(utc("9999-12-31T23:59:59Z"), 253402300799);
    cr_assert_eq(utc("2000-01-01"), 946684800);
}

Test(time_parse, rejects_out_of_range_fields_with_exact_messages)
{
    char err[256];
    int64_t t = 42;
    cr_assert_eq(pw_time_parse_iso8601_err("2018-02-05T24:00:00Z", &t, err, sizeof err), -1);
    cr_assert_str_eq(err, "time '2018-02-05T24:00:00Z': hour must be 00..23");
    cr_assert_eq(pw_time_parse_iso8601_err("2018-02-05T23:60:00Z", &t, err, sizeof err), -1);
    cr_assert_str_eq(err, "time '2018-02-05T23:60:00Z': minute must be 00..59");
    cr_assert_eq(pw_time_parse_iso8601_err("2018-02-05T23:59:60Z", &t, err, sizeof err), -1);
    cr_assert_str_eq(err, "time '2018-02-05T23:59:60Z': second must be 00..59");
    cr_assert_eq(pw_time_parse_iso8601_err("2018-02-30T00:00:00Z", &t, err, sizeof err), -1);
    cr_assert_str_eq(err, "time '2018-02-30T00:00:00Z': day must be 01..28 for 2018-02");
    cr_assert_eq(pw_time_parse_iso8601_err("2018-02-05T00:00:00+24:00", &t, err, sizeof err), -1);
    cr_assert_str_eq(err, "time '2018-02-05T00:00:00+24:00': offset must be at most 23:59");
    cr_assert_eq(pw_time_parse_iso8601_err("2018-02-05T00:00:00+08:60", &t, err, sizeof err), -1);
    cr_assert_eq(t, 42);
}

Test(time_parse, rejects_other_shapes)
{
    const char *bad[] = {"2018-02-05T23:59",
                         "2018-02-05 23:59:59",
                         "2018-02-05t23:59:59",
                         "2018-02-05T23:59:59z",
                         "2018-02-05T23:59:59+0800",
                         "2018-02-05T23:59:59+08",
                         "2018-02-05T23:59:59+8:00",
                         "2018-02-05T23:59:59 ",
                         " 2018-02-05T23:59:59",
                         "2018-02-05T23:59:59\n",
                         "2018-02-05T23:59:59.",
                         "2018-02-05T23:59:59.1234567890",
                         "2018-02-05T23:59:59ZZ",
                         "2018-02-05T23:59:59Z+08:00",
                         "2018-02-05T",
                         "2018-2-5",
                         "20180205T235959Z",
                         "2018-02-05T23:59:5a",
                         "2018-02-05T23:59:59+08:00x",
                         "2018-02-05T-1:59:59",
                         "2018"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[256];
        int64_t t = 42;
        cr_assert_eq(pw_time_parse_iso8601_err(bad[i], &t, err, sizeof err), -1, "%s", bad[i]);
        cr_assert(strstr(err, "expected YYYY-MM-DDTHH:MM:SS") != NULL, "%s -> %s", bad[i], err);
        cr_assert_eq(t, 42);
    }
    char err[256];
    cr_assert_eq(pw_time_parse_iso8601_err("2018-2-5", &(int64_t){0}, err, sizeof err), -1);
    cr_assert_str_eq(err, "time '2018-2-5': expected YYYY-MM-DDTHH:MM:SS, optionally with Z or "
                          "+HH:MM, or YYYY-MM-DD");
    cr_assert_eq(pw_time_parse_iso8601_err("", &(int64_t){0}, err, sizeof err), -1);
    cr_assert_str_eq(err, "time is empty");
    cr_assert_eq(pw_time_parse_iso8601(NULL, &(int64_t){0}), -1);
}

Test(time_format, local_and_utc)
{
    char buf[PW_TIME_BUFSIZE];
    cr_assert_eq(pw_time_format_iso8601(1517846399, 480, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2018-02-05T23:59:59+08:00");
    cr_assert_eq(pw_time_format_iso8601(1517846399, -330, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2018-02-05T10:29:59-05:30");
    cr_assert_eq(pw_time_format_iso8601(1517846399, 0, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2018-02-05T15:59:59+00:00");
    cr_assert_eq(pw_time_format_utc(1517846399, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2018-02-05T15:59:59Z");
    cr_assert_eq(pw_time_format_utc(-1, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "1969-12-31T23:59:59Z");
    cr_assert_eq(pw_time_format_utc(-62135596800, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "0001-01-01T00:00:00Z");
}

Test(time_format, refuses_out_of_range_and_small_buffers)
{
    char buf[PW_TIME_BUFSIZE] = "untouched";
    cr_assert_eq(pw_time_format_utc(253402300800, buf, sizeof buf), -1);
    cr_assert_eq(pw_time_format_utc(-62135596801, buf, sizeof buf), -1);
    cr_assert_eq(pw_time_format_iso8601(253402300799, 60, buf, sizeof buf), -1); /* year 10000 */
    cr_assert_eq(pw_time_format_iso8601(0, 24 * 60, buf, sizeof buf), -1);
    cr_assert_eq(pw_time_format_utc(INT64_MAX, buf, sizeof buf), -1);
    cr_assert_eq(pw_time_format_utc(INT64_MIN, buf, sizeof buf), -1);
    cr_assert_eq(pw_time_format_iso8601(0, 480, buf, 25), -1);
    cr_assert_str_eq(buf, "untouched");
    cr_assert_eq(pw_time_format_utc(0, buf, 21), 0);
    cr_assert_str_eq(buf, "1970-01-01T00:00:00Z");
}

Test(time_format, parse_format_round_trip_in_many_offsets)
{
    const int offsets[] = {0, 480, -300, 330, 545, -720, 840, PW_TZ_OFFSET_MAX_MINUTES};
    for (int64_t t = -86400LL * 400; t < 86400LL * 365 * 60; t += 86400LL * 7 + 3607) {
        for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
            char buf[PW_TIME_BUFSIZE];
            int64_t back = 0;
            cr_assert_eq(pw_time_format_iso8601(t, offsets[i], buf, sizeof buf), 0);
            cr_assert_eq(pw_time_parse_iso8601(buf, &back), 0, "%s", buf);
            if (back != t)
                cr_assert_fail("%lld -> %s -> %lld", (long long)t, buf, (long long)back);
        }
    }
}

Test(time_civil, agrees_with_gmtime)
{
    for (int64_t t = -2208988800LL; t < 4133980800LL; t += 86400LL * 3 + 4111) {
        time_t tt = (time_t)t;
        struct tm tm;
        cr_assert_not_null(gmtime_r(&tt, &tm));
        pw_civil_time c;
        cr_assert_eq(pw_time_to_civil(t, 0, &c), 0);
        if (c.year != tm.tm_year + 1900 || c.month != tm.tm_mon + 1 || c.day != tm.tm_mday ||
            c.hour != tm.tm_hour || c.minute != tm.tm_min || c.second != tm.tm_sec)
            cr_assert_fail("t=%lld disagrees with gmtime", (long long)t);
        int64_t back;
        cr_assert_eq(pw_time_from_civil(&c, 0, &back), 0);
        cr_assert_eq(back, t);
    }
}

Test(time_civil, from_civil_validates_fields)
{
    int64_t t = 42;
    pw_civil_time c = {2018, 2, 29, 0, 0, 0};
    cr_assert_eq(pw_time_from_civil(&c, 0, &t), -1);
    c = (pw_civil_time){2018, 2, 28, 24, 0, 0};
    cr_assert_eq(pw_time_from_civil(&c, 0, &t), -1);
    c = (pw_civil_time){2018, 2, 28, 0, 0, 60};
    cr_assert_eq(pw_time_from_civil(&c, 0, &t), -1);
    c = (pw_civil_time){2018, 2, 28, 0, -1, 0};
    cr_assert_eq(pw_time_from_civil(&c, 0, &t), -1);
    c = (pw_civil_time){2018, 2, 28, 0, 0, 0};
    cr_assert_eq(pw_time_from_civil(&c, 1440, &t), -1);
    cr_assert_eq(t, 42);
    cr_assert_eq(pw_time_from_civil(&c, -1439, &t), 0);
}

Test(time_zone, results_do_not_depend_on_TZ)
{
    setenv("TZ", "America/St_Johns", 1); /* -03:30 with DST */
    tzset();
    cr_assert_eq(utc("2018-02-05T23:59:59+08:00"), 1517846399);
    cr_assert_eq(utc("2018-07-05T12:00:00"), 1530792000);
    int64_t dl;
    cr_assert_eq(pw_deadline_monthly(2018, 12, 5, 480, &dl), 0);
    cr_assert_eq(dl, 1546703999);
    char buf[PW_TIME_BUFSIZE];
    pw_time_format_iso8601(dl, 480, buf, sizeof buf);
    cr_assert_str_eq(buf, "2019-01-05T23:59:59+08:00");
}

/* ---- UTC offsets -------------------------------------------------------- */

Test(tz_offset, parse_and_format)
{
    int m = 0;
    char err[256], buf[8];
    cr_assert_eq(pw_tz_offset_parse("+08:00", &m, err, sizeof err), 0);
    cr_assert_eq(m, 480);
    cr_assert_eq(pw_tz_offset_parse("-05:30", &m, err, sizeof err), 0);
    cr_assert_eq(m, -330);
    cr_assert_eq(pw_tz_offset_parse("Z", &m, err, sizeof err), 0);
    cr_assert_eq(m, 0);
    m = 7;
    cr_assert_eq(pw_tz_offset_parse("8", &m, err, sizeof err), -1);
    cr_assert_str_eq(err, "time zone offset '8': expected +HH:MM, -HH:MM or Z");
    cr_assert_eq(pw_tz_offset_parse("+08:00 ", &m, err, sizeof err), -1);
    cr_assert_eq(pw_tz_offset_parse("+0800", &m, err, sizeof err), -1);
    cr_assert_eq(pw_tz_offset_parse("+24:00", &m, err, sizeof err), -1);
    cr_assert_str_eq(err, "time zone offset '+24:00': must be at most 23:59");
    cr_assert_eq(pw_tz_offset_parse("", &m, err, sizeof err), -1);
    cr_assert_str_eq(err, "time zone offset is empty");
    cr_assert_eq(m, 7);
    cr_assert_eq(pw_tz_offset_format(480, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "+08:00");
    cr_assert_eq(pw_tz_offset_format(-330, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "-05:30");
    cr_assert_eq(pw_tz_offset_format(0, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "+00:00");
    cr_assert_eq(pw_tz_offset_format(1440, buf, sizeof buf), -1);
    cr_assert_eq(pw_tz_offset_format(480, buf, 6), -1);
}

/* ---- deadlines ---------------------------------------------------------- */

static const char *deadline_text(int64_t t)
{
    static char buf[PW_TIME_BUFSIZE];
    cr_assert_eq(pw_time_format_iso8601(t, 480, buf, sizeof buf), 0);
    return buf;
}

Test(deadline, monthly_is_day_five_of_next_month_2359_local)
{
    int64_t t = 0;
    cr_assert_eq(pw_deadline_monthly(2018, 1, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-02-05T23:59:59+08:00");
    cr_assert_eq(t, 1517846399);
    cr_assert_eq(pw_deadline_monthly(2018, 12, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2019-01-05T23:59:59+08:00");
    cr_assert_eq(t, 1546703999);
    cr_assert_eq(pw_deadline_monthly(2018, 2, 5, PW_TZ_DEFAULT_MINUTES, &t), 0);
    cr_assert_eq(t, 1520265599);
}

Test(deadline, monthly_in_other_offsets)
{
    int64_t t = 0;
    char buf[PW_TIME_BUFSIZE];
    cr_assert_eq(pw_deadline_monthly(2018, 1, 5, 0, &t), 0);
    pw_time_format_utc(t, buf, sizeof buf);
    cr_assert_str_eq(buf, "2018-02-05T23:59:59Z");
    cr_assert_eq(pw_deadline_monthly(2018, 1, 5, -300, &t), 0);
    pw_time_format_iso8601(t, -300, buf, sizeof buf);
    cr_assert_str_eq(buf, "2018-02-05T23:59:59-05:00");
    pw_time_format_utc(t, buf, sizeof buf);
    cr_assert_str_eq(buf, "2018-02-06T04:59:59Z");
}

Test(deadline, due_day_is_clamped_to_the_month)
{
    int64_t t = 0;
    cr_assert_eq(pw_deadline_monthly(2018, 1, 31, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-02-28T23:59:59+08:00");
    cr_assert_eq(pw_deadline_monthly(2020, 1, 30, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2020-02-29T23:59:59+08:00");
    cr_assert_eq(pw_deadline_monthly(2018, 3, 31, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-04-30T23:59:59+08:00");
    cr_assert_eq(pw_deadline_monthly(2018, 4, 31, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-05-31T23:59:59+08:00");
    cr_assert_eq(pw_deadline_monthly(2018, 4, 1, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-05-01T23:59:59+08:00");
}

Test(deadline, monthly_refuses_bad_input_without_writing)
{
    int64_t t = 42;
    cr_assert_eq(pw_deadline_monthly(2018, 0, 5, 480, &t), -1);
    cr_assert_eq(pw_deadline_monthly(2018, 13, 5, 480, &t), -1);
    cr_assert_eq(pw_deadline_monthly(2018, 1, 0, 480, &t), -1);
    cr_assert_eq(pw_deadline_monthly(2018, 1, 32, 480, &t), -1);
    cr_assert_eq(pw_deadline_monthly(2018, 1, 5, 1440, &t), -1);
    cr_assert_eq(pw_deadline_monthly(9999, 12, 5, 480, &t), -1);
    cr_assert_eq(pw_deadline_monthly(2018, 1, 5, 480, NULL), -1);
    cr_assert_eq(t, 42);
}

Test(deadline, quarterly_is_due_day_of_month_after_quarter)
{
    int64_t t = 0;
    cr_assert_eq(pw_deadline_quarterly(2018, 1, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-04-05T23:59:59+08:00");
    cr_assert_eq(pw_deadline_quarterly(2018, 2, 10, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-07-10T23:59:59+08:00");
    cr_assert_eq(pw_deadline_quarterly(2018, 3, 31, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-10-31T23:59:59+08:00");
    cr_assert_eq(pw_deadline_quarterly(2018, 4, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2019-01-05T23:59:59+08:00");
    t = 42;
    cr_assert_eq(pw_deadline_quarterly(2018, 0, 5, 480, &t), -1);
    cr_assert_eq(pw_deadline_quarterly(2018, 5, 5, 480, &t), -1);
    cr_assert_eq(t, 42);
}

Test(deadline, halfyear_is_last_day_of_june_and_december)
{
    int64_t t = 0;
    cr_assert_eq(pw_deadline_halfyear(2018, 1, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-06-30T23:59:59+08:00");
    cr_assert_eq(t, 1530374399);
    cr_assert_eq(pw_deadline_halfyear(2018, 2, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-12-31T23:59:59+08:00");
    cr_assert_eq(t, 1546271999);
    t = 42;
    cr_assert_eq(pw_deadline_halfyear(2018, 0, 480, &t), -1);
    cr_assert_eq(pw_deadline_halfyear(2018, 3, 480, &t), -1);
    cr_assert_eq(t, 42);
}

Test(deadline, of_a_period_dispatches_on_kind)
{
    int64_t t = 0;
    pw_period p = period_ok("2018-12");
    cr_assert_eq(pw_period_deadline(&p, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2019-01-05T23:59:59+08:00");
    p = period_ok("2018-Q3");
    cr_assert_eq(pw_period_deadline(&p, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-10-05T23:59:59+08:00");
    p = period_ok("2018-H1");
    cr_assert_eq(pw_period_deadline(&p, 5, 480, &t), 0);
    cr_assert_str_eq(deadline_text(t), "2018-06-30T23:59:59+08:00");
    p = period_ok("2018");
    t = 42;
    cr_assert_eq(pw_period_deadline(&p, 5, 480, &t), -1);
    pw_period bad = {PW_PERIOD_MONTH, 2018, 13};
    cr_assert_eq(pw_period_deadline(&bad, 5, 480, &t), -1);
    cr_assert_eq(t, 42);
}

Test(deadline, on_time_means_at_or_before)
{
    int64_t dl;
    pw_deadline_monthly(2018, 1, 5, 480, &dl);
    cr_assert_eq(utc("2018-02-05T23:59:59+08:00"), dl);
    cr_assert_gt(utc("2018-02-06T00:00:00+08:00"), dl);
    cr_assert_eq(pw_days_late(utc("2018-02-05T23:59:59+08:00"), dl), 0);
    cr_assert_eq(pw_days_late(utc("2018-02-06T00:00:00+08:00"), dl), 1);
}

/* ---- days late ---------------------------------------------------------- */

Test(days_late, counts_started_days)
{
    const int64_t dl = 1517846399;
    cr_assert_eq(pw_days_late(dl - 86400 * 10, dl), 0);
    cr_assert_eq(pw_days_late(dl, dl), 0);
    cr_assert_eq(pw_days_late(dl + 1, dl), 1);
    cr_assert_eq(pw_days_late(dl + 86399, dl), 1);
    cr_assert_eq(pw_days_late(dl + 86400, dl), 1);
    cr_assert_eq(pw_days_late(dl + 86401, dl), 2);
    cr_assert_eq(pw_days_late(dl + 86400 * 2, dl), 2);
    cr_assert_eq(pw_days_late(dl + 86400 * 30 + 5, dl), 31);
}

Test(days_late, is_total_at_the_extremes)
{
    cr_assert_eq(pw_days_late(INT64_MIN, INT64_MAX), 0);
    cr_assert_eq(pw_days_late(INT64_MAX, INT64_MIN), (int64_t)(UINT64_MAX / 86400 + 1));
    cr_assert_eq(pw_days_late(0, -1), 1);
    cr_assert_eq(pw_days_late(-86400, -86401), 1);
}
