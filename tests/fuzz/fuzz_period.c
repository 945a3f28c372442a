/*
 * fuzz_period.c - libFuzzer target for period, date, time and deadline code.
 *
 * The input is used twice: as a string for every parser (anything accepted
 * must format back to exactly the same text, since parsing is canonical; times
 * must survive format -> parse), and as packed integers for the arithmetic
 * (civil <-> unix round trips in any offset, deadlines land on 23:59:59 local
 * of the month after, days late brackets the delay).
 * Build: CC=clang cmake -S . -B build-fuzz -DPW_FUZZ=ON -DPW_SANITIZE=ON \
 *          -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link
 *        (the CMAKE_C_FLAGS part instruments libpwcommon too; without it only
 *        this file has coverage feedback and the fuzzer runs nearly blind)
 * Run:   ./build-fuzz/fuzz_period tests/fuzz/corpus/period -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/period.h"
#include "tests/fuzz/fuzz.h"

static void fuzz_period_strings(const char *s)
{
    char err[256], buf[64];
    pw_period p;
    if (pw_period_parse(s, &p, err, sizeof err) == 0) {
        int first, last;
        double t;
        FUZZ_CHECK(pw_period_valid(&p));
        FUZZ_CHECK(pw_period_format(&p, buf, sizeof buf) == 0 && strcmp(buf, s) == 0);
        FUZZ_CHECK(pw_period_window(&p, &first, &last) == 0 && first == 1 && last >= 1 &&
                   last <= 12);
        FUZZ_CHECK(pw_period_months(&p, &first, &last) == 0 && first <= last);
        FUZZ_CHECK(pw_period_contains(&p, p.year, last));
        FUZZ_CHECK(pw_period_elapsed(&p, &t) == 0 && t > 0 && t <= 1);
        int64_t dl;
        int rv = pw_period_deadline(&p, 5, PW_TZ_DEFAULT_MINUTES, &dl);
        FUZZ_CHECK((rv == 0) == (p.kind != PW_PERIOD_YEAR));
    } else {
        FUZZ_CHECK(strncmp(err, "period", 6) == 0);
    }

    int32_t days;
    if (pw_date_parse_err(s, &days, err, sizeof err) == 0)
        FUZZ_CHECK(pw_date_format(days, buf, sizeof buf) == 0 && strcmp(buf, s) == 0);
    else
        FUZZ_CHECK(strncmp(err, "date", 4) == 0);

    int64_t t, back;
    if (pw_time_parse_iso8601_err(s, &t, err, sizeof err) == 0) {
        FUZZ_CHECK(pw_time_format_utc(t, buf, sizeof buf) != 0 ||
                   (pw_time_parse_iso8601(buf, &back) == 0 && back == t));
    } else {
        FUZZ_CHECK(strncmp(err, "time", 4) == 0);
    }

    int minutes;
    if (pw_tz_offset_parse(s, &minutes, err, sizeof err) == 0) {
        FUZZ_CHECK(pw_tz_offset_format(minutes, buf, sizeof buf) == 0);
        FUZZ_CHECK(strcmp(buf, s) == 0 || (strcmp(s, "Z") == 0 && strcmp(buf, "+00:00") == 0) ||
                   (strcmp(s, "-00:00") == 0 && strcmp(buf, "+00:00") == 0));
    }
}

static void fuzz_period_numbers(const uint8_t *data, size_t size)
{
    int64_t t, d;
    int32_t a[4];
    if (size < 32)
        return;
    memcpy(&t, data, 8);
    memcpy(&d, data + 8, 8);
    memcpy(a, data + 16, 16);
    int tz = a[0] % (PW_TZ_OFFSET_MAX_MINUTES + 1);
    int year = a[1] % 10001, month = a[2] % 14, due = a[3] % 33;

    /* days late: 0 when on time, else the delay lies in ((n-1) days, n days] */
    int64_t late = pw_days_late(t, d);
    if (t <= d) {
        FUZZ_CHECK(late == 0);
    } else {
        uint64_t delay = (uint64_t)t - (uint64_t)d;
        FUZZ_CHECK(late >= 1);
        FUZZ_CHECK((unsigned __int128)late * 86400 >= delay);
        FUZZ_CHECK((unsigned __int128)(late - 1) * 86400 < delay);
    }

    /* civil <-> unix in any offset */
    pw_civil_time c;
    int64_t back;
    if (pw_time_to_civil(t, tz, &c) == 0) {
        FUZZ_CHECK(pw_time_from_civil(&c, tz, &back) == 0 && back == t);
        char buf[PW_TIME_BUFSIZE];
        FUZZ_CHECK(pw_time_format_iso8601(t, tz, buf, sizeof buf) == 0);
        FUZZ_CHECK(pw_time_parse_iso8601(buf, &back) == 0 && back == t);
    }

    /* monthly deadline: 23:59:59 local on min(due, length) of the next month */
    int64_t dl;
    if (pw_deadline_monthly(year, month, due, tz, &dl) == 0) {
        int ny, nm;
        FUZZ_CHECK(pw_month_next(year, month, &ny, &nm) == 0);
        FUZZ_CHECK(pw_time_to_civil(dl, tz, &c) == 0);
        int dim = pw_days_in_month(ny, nm);
        FUZZ_CHECK(c.year == ny && c.month == nm && c.day == (due < dim ? due : dim));
        FUZZ_CHECK(c.hour == 23 && c.minute == 59 && c.second == 59);
        FUZZ_CHECK(pw_days_late(dl, dl) == 0 && pw_days_late(dl + 1, dl) == 1);
        int py, pm;
        FUZZ_CHECK(pw_month_prev(ny, nm, &py, &pm) == 0 && py == year && pm == month);
    }
    int32_t days = a[1];
    int y, m, dd;
    if (pw_date_to_civil(days, &y, &m, &dd) == 0) {
        int32_t again;
        FUZZ_CHECK(pw_date_from_civil(y, m, dd, &again) == 0 && again == days);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    fuzz_period_strings(s);
    free(s);
    fuzz_period_numbers(data, size);
    return 0;
}
