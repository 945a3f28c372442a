/*
 * period.c - periods, civil dates, ISO 8601 times, deadlines, days late.
 *
 * Design notes
 * - No mktime/timegm/localtime/strptime: they depend on the process time zone
 *   and locale.  Calendar arithmetic uses Howard Hinnant's days_from_civil /
 *   civil_from_days (http://howardhinnant.github.io/date_algorithms.html), exact
 *   for the proleptic Gregorian calendar; local time is UTC plus a fixed offset.
 * - Parsers look at characters one by one (no sscanf/strtol: those accept
 *   spaces, signs and short fields).  A string is accepted only in its canonical
 *   spelling, so parse -> format gives the input back.
 * - Domain: civil dates 0001-01-01..9999-12-31 (day numbers -719162..2932896 fit
 *   in int32), periods 2000..2100.  Every function checks its inputs against
 *   these before computing, so no intermediate value can overflow.
 * - Out-pointers are written only on success; error texts quote the input
 *   through pw_text_excerpt, so they stay printable, valid UTF-8 and short
 *   whatever arrives over the wire.
 */
#include "common/period.h"

#include "common/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PW_PERIOD_EXCERPT_CHARS 40
#define PW_SECONDS_PER_DAY 86400

/* Day numbers of 0001-01-01 and 9999-12-31. */
#define PW_DAYS_MIN (-719162)
#define PW_DAYS_MAX 2932896

/* ---- error messages ----------------------------------------------------- */

/* "<what> '<excerpt of s>': <reason>", or "<what> is empty" / "<what> is missing". */
static void pw_period_fail(char *err, size_t errlen, const char *what, const char *s,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void pw_period_fail(char *err, size_t errlen, const char *what, const char *s,
                           const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    if (!s || !*s) {
        snprintf(err, errlen, "%s is %s", what, s ? "empty" : "missing");
        return;
    }
    char quoted[4 * PW_PERIOD_EXCERPT_CHARS + 8];
    char reason[160];
    va_list ap;
    /* strnlen: never scan further than the excerpt can show */
    pw_text_excerpt(quoted, sizeof quoted, s, strnlen(s, 4 * PW_PERIOD_EXCERPT_CHARS + 4),
                    PW_PERIOD_EXCERPT_CHARS);
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s '%s': %s", what, quoted, reason);
}

/* ---- small parsing helpers ---------------------------------------------- */

/* Exactly n ASCII digits at s (stops at a NUL); the value in *out. */
static int pw_period_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* ---- civil arithmetic (Hinnant) ----------------------------------------- */

static int64_t pw_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;                                   /* [0, 399] */
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void pw_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    const int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    const int dd = (int)(doy - (153 * mp + 2) / 5 + 1);                        /* [1, 31] */
    const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);                           /* [1, 12] */
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

/* Floor division and modulo for a positive divisor. */
static int64_t pw_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

int pw_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int pw_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && pw_is_leap_year(year))
        return 29;
    return days[month - 1];
}

static int pw_civil_date_valid(int year, int month, int day)
{
    return year >= PW_CIVIL_YEAR_MIN && year <= PW_CIVIL_YEAR_MAX && month >= 1 && month <= 12 &&
           day >= 1 && day <= pw_days_in_month(year, month);
}

int pw_date_from_civil(int year, int month, int day, int32_t *days)
{
    if (!days || !pw_civil_date_valid(year, month, day))
        return -1;
    *days = (int32_t)pw_days_from_civil(year, month, day);
    return 0;
}

int pw_date_to_civil(int32_t days, int *year, int *month, int *day)
{
    if (!year || !month || !day || days < PW_DAYS_MIN || days > PW_DAYS_MAX)
        return -1;
    pw_civil_from_days(days, year, month, day);
    return 0;
}

/* ---- periods ------------------------------------------------------------ */

int pw_period_make(int kind, int year, int index, pw_period *out)
{
    pw_period p = {kind, year, index};
    if (!out || !pw_period_valid(&p))
        return -1;
    *out = p;
    return 0;
}

int pw_period_valid(const pw_period *p)
{
    if (!p || p->year < PW_PERIOD_YEAR_MIN || p->year > PW_PERIOD_YEAR_MAX)
        return 0;
    switch (p->kind) {
    case PW_PERIOD_MONTH:
        return p->index >= 1 && p->index <= 12;
    case PW_PERIOD_QUARTER:
        return p->index >= 1 && p->index <= 4;
    case PW_PERIOD_HALF:
        return p->index >= 1 && p->index <= 2;
    case PW_PERIOD_YEAR:
        return p->index == 0;
    default:
        return 0;
    }
}

/* "YYYY-MM, YYYY-Qn or YYYY" for the allowed kinds. */
static void pw_period_expected(unsigned allowed, char *buf, size_t size)
{
    const char *forms[5];
    size_t n = 0;
    if (allowed & PW_PERIOD_ALLOW_MONTH)
        forms[n++] = "YYYY-MM";
    if (allowed & PW_PERIOD_ALLOW_QUARTER)
        forms[n++] = "YYYY-Qn";
    if (allowed & PW_PERIOD_ALLOW_HALF) {
        forms[n++] = "YYYY-H1";
        forms[n++] = "YYYY-H2";
    }
    if (allowed & PW_PERIOD_ALLOW_YEAR)
        forms[n++] = "YYYY";
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : (i + 1 == n ? " or " : ", ");
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", sep, forms[i]);
    }
}

int pw_period_parse_kinds(const char *s, unsigned allowed, pw_period *out, char *err, size_t errlen)
{
    char expected[64];
    pw_period p = {0, 0, 0};
    allowed &= PW_PERIOD_ALLOW_ANY;
    pw_period_expected(allowed, expected, sizeof expected);
    if (!out || allowed == 0) {
        if (err && errlen)
            snprintf(err, errlen, "period: no output or no allowed kind");
        return -1;
    }
    if (!s || !*s) {
        pw_period_fail(err, errlen, "period", s, "%s", "");
        return -1;
    }
    size_t len = strnlen(s, 8);
    if (pw_period_digits(s, 4, &p.year) != 0)
        goto bad_form;
    if (len == 4) {
        p.kind = PW_PERIOD_YEAR;
    } else if (len == 7 && s[4] == '-') {
        if (s[5] == 'Q' && pw_period_digits(s + 6, 1, &p.index) == 0)
            p.kind = PW_PERIOD_QUARTER;
        else if (s[5] == 'H' && pw_period_digits(s + 6, 1, &p.index) == 0)
            p.kind = PW_PERIOD_HALF;
        else if (pw_period_digits(s + 5, 2, &p.index) == 0)
            p.kind = PW_PERIOD_MONTH;
        else
            goto bad_form;
    } else {
        goto bad_form;
    }
    if (!(allowed & (1u << p.kind)))
        goto bad_form;
    if (p.year < PW_PERIOD_YEAR_MIN || p.year > PW_PERIOD_YEAR_MAX) {
        pw_period_fail(err, errlen, "period", s, "year must be %d..%d", PW_PERIOD_YEAR_MIN,
                       PW_PERIOD_YEAR_MAX);
        return -1;
    }
    if (!pw_period_valid(&p)) {
        const char *why = p.kind == PW_PERIOD_MONTH     ? "month must be 01..12"
                          : p.kind == PW_PERIOD_QUARTER ? "quarter must be Q1..Q4"
                                                        : "half-year must be H1 or H2";
        pw_period_fail(err, errlen, "period", s, "%s", why);
        return -1;
    }
    *out = p;
    return 0;

bad_form:
    pw_period_fail(err, errlen, "period", s, "expected %s", expected);
    return -1;
}

int pw_period_parse(const char *s, pw_period *out, char *err, size_t errlen)
{
    return pw_period_parse_kinds(s, PW_PERIOD_ALLOW_ANY, out, err, errlen);
}

int pw_period_format(const pw_period *p, char *buf, size_t size)
{
    char tmp[64];
    if (!buf || !pw_period_valid(p))
        return -1;
    switch (p->kind) {
    case PW_PERIOD_MONTH:
        snprintf(tmp, sizeof tmp, "%04d-%02d", p->year, p->index);
        break;
    case PW_PERIOD_QUARTER:
        snprintf(tmp, sizeof tmp, "%04d-Q%d", p->year, p->index);
        break;
    case PW_PERIOD_HALF:
        snprintf(tmp, sizeof tmp, "%04d-H%d", p->year, p->index);
        break;
    default:
        snprintf(tmp, sizeof tmp, "%04d", p->year);
        break;
    }
    size_t len = strlen(tmp);
    if (len >= size)
        return -1;
    memcpy(buf, tmp, len + 1);
    return 0;
}

int pw_period_months(const pw_period *p, int *first_month, int *last_month)
{
    int first, last;
    if (!first_month || !last_month || !pw_period_valid(p))
        return -1;
    switch (p->kind) {
    case PW_PERIOD_MONTH:
        first = last = p->index;
        break;
    case PW_PERIOD_QUARTER:
        first = 3 * p->index - 2;
        last = 3 * p->index;
        break;
    case PW_PERIOD_HALF:
        first = 6 * p->index - 5;
        last = 6 * p->index;
        break;
    default:
        first = 1;
        last = 12;
        break;
    }
    *first_month = first;
    *last_month = last;
    return 0;
}

int pw_period_window(const pw_period *p, int *first_month, int *last_month)
{
    int first, last;
    if (!first_month || !last_month || pw_period_months(p, &first, &last) != 0)
        return -1;
    *first_month = 1;
    *last_month = last;
    return 0;
}

int pw_period_contains(const pw_period *p, int year, int month)
{
    int first, last;
    if (pw_period_months(p, &first, &last) != 0)
        return 0;
    return year == p->year && month >= first && month <= last;
}

int pw_period_elapsed(const pw_period *p, double *t)
{
    int first, last;
    if (!t || pw_period_window(p, &first, &last) != 0)
        return -1;
    *t = pw_month_elapsed(last);
    return 0;
}

double pw_month_elapsed(int month)
{
    if (month < 0)
        month = 0;
    if (month > 12)
        month = 12;
    return month / 12.0;
}

/* ---- months ------------------------------------------------------------- */

int pw_month_compare(int year_a, int month_a, int year_b, int month_b)
{
    int64_t a = (int64_t)year_a * 12 + month_a;
    int64_t b = (int64_t)year_b * 12 + month_b;
    return (a > b) - (a < b);
}

static int pw_month_shift(int year, int month, int delta, int *out_year, int *out_month)
{
    if (!out_year || !out_month || month < 1 || month > 12 || year < PW_CIVIL_YEAR_MIN ||
        year > PW_CIVIL_YEAR_MAX)
        return -1;
    int serial = year * 12 + (month - 1) + delta;
    int y = serial / 12, m = serial % 12 + 1;
    if (y < PW_CIVIL_YEAR_MIN || y > PW_CIVIL_YEAR_MAX)
        return -1;
    *out_year = y;
    *out_month = m;
    return 0;
}

int pw_month_next(int year, int month, int *out_year, int *out_month)
{
    return pw_month_shift(year, month, 1, out_year, out_month);
}

int pw_month_prev(int year, int month, int *out_year, int *out_month)
{
    return pw_month_shift(year, month, -1, out_year, out_month);
}

/* ---- dates -------------------------------------------------------------- */

/*
 * Parse "YYYY-MM-DD" at s (exactly 10 characters there; what follows is the
 * caller's business).  `what` names the input in errors ("date", "time").
 */
static int pw_date_parse_at(const char *s, const char *whole, const char *what, int *y, int *m,
                            int *d, char *err, size_t errlen)
{
    if (pw_period_digits(s, 4, y) != 0 || s[4] != '-' || pw_period_digits(s + 5, 2, m) != 0 ||
        s[7] != '-' || pw_period_digits(s + 8, 2, d) != 0)
        return -2; /* wrong shape: the caller knows what was expected */
    if (*y < PW_CIVIL_YEAR_MIN) {
        pw_period_fail(err, errlen, what, whole, "year must be 0001..9999");
        return -1;
    }
    if (*m < 1 || *m > 12) {
        pw_period_fail(err, errlen, what, whole, "month must be 01..12");
        return -1;
    }
    int dim = pw_days_in_month(*y, *m);
    if (*d < 1 || *d > dim) {
        pw_period_fail(err, errlen, what, whole, "day must be 01..%02d for %04d-%02d", dim, *y, *m);
        return -1;
    }
    return 0;
}

int pw_date_parse_err(const char *s, int32_t *days, char *err, size_t errlen)
{
    int y, m, d;
    if (!s || !*s || !days) {
        pw_period_fail(err, errlen, "date", s, "%s", "");
        return -1;
    }
    if (strnlen(s, 11) != 10) {
        pw_period_fail(err, errlen, "date", s, "expected YYYY-MM-DD");
        return -1;
    }
    int rv = pw_date_parse_at(s, s, "date", &y, &m, &d, err, errlen);
    if (rv == -2)
        pw_period_fail(err, errlen, "date", s, "expected YYYY-MM-DD");
    if (rv != 0)
        return -1;
    *days = (int32_t)pw_days_from_civil(y, m, d);
    return 0;
}

int pw_date_parse(const char *s, int32_t *days)
{
    return pw_date_parse_err(s, days, NULL, 0);
}

int pw_date_format(int32_t days, char *buf, size_t size)
{
    int y, m, d;
    char tmp[64];
    if (!buf || pw_date_to_civil(days, &y, &m, &d) != 0)
        return -1;
    int len = snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    if (len < 0 || (size_t)len >= size)
        return -1;
    memcpy(buf, tmp, (size_t)len + 1);
    return 0;
}

/* ---- times -------------------------------------------------------------- */

static int pw_tz_valid(int minutes)
{
    return minutes >= -PW_TZ_OFFSET_MAX_MINUTES && minutes <= PW_TZ_OFFSET_MAX_MINUTES;
}

int pw_time_from_civil(const pw_civil_time *c, int tz_offset_minutes, int64_t *out)
{
    if (!c || !out || !pw_civil_date_valid(c->year, c->month, c->day) || c->hour < 0 ||
        c->hour > 23 || c->minute < 0 || c->minute > 59 || c->second < 0 || c->second > 59 ||
        !pw_tz_valid(tz_offset_minutes))
        return -1;
    int64_t days = pw_days_from_civil(c->year, c->month, c->day);
    *out = days * PW_SECONDS_PER_DAY + c->hour * 3600 + c->minute * 60 + c->second -
           (int64_t)tz_offset_minutes * 60;
    return 0;
}

int pw_time_to_civil(int64_t t, int tz_offset_minutes, pw_civil_time *out)
{
    const int64_t lo = (int64_t)PW_DAYS_MIN * PW_SECONDS_PER_DAY;
    const int64_t hi = (int64_t)PW_DAYS_MAX * PW_SECONDS_PER_DAY + PW_SECONDS_PER_DAY - 1;
    if (!out || !pw_tz_valid(tz_offset_minutes))
        return -1;
    /* check before adding the offset so that the sum cannot overflow */
    if (t < lo - 86400 || t > hi + 86400)
        return -1;
    int64_t local = t + (int64_t)tz_offset_minutes * 60;
    if (local < lo || local > hi)
        return -1;
    int64_t days = pw_floor_div(local, PW_SECONDS_PER_DAY);
    int64_t secs = local - days * PW_SECONDS_PER_DAY;
    pw_civil_time c;
    pw_civil_from_days(days, &c.year, &c.month, &c.day);
    c.hour = (int)(secs / 3600);
    c.minute = (int)(secs / 60 % 60);
    c.second = (int)(secs % 60);
    *out = c;
    return 0;
}

#define PW_TIME_EXPECTED "expected YYYY-MM-DDTHH:MM:SS, optionally with Z or +HH:MM, or YYYY-MM-DD"

int pw_time_parse_iso8601_err(const char *s, int64_t *out, char *err, size_t errlen)
{
    pw_civil_time c = {0, 0, 0, 0, 0, 0};
    int tz = 0, oh, om;
    if (!s || !*s || !out) {
        pw_period_fail(err, errlen, "time", s, "%s", "");
        return -1;
    }
    /* a shape check first, so that "2018-02-05 junk" gets the format message */
    size_t len = strnlen(s, 10);
    if (len < 10)
        goto bad_form;
    int rv = pw_date_parse_at(s, s, "time", &c.year, &c.month, &c.day, err, errlen);
    if (rv == -2)
        goto bad_form;
    if (rv != 0)
        return -1;
    const char *p = s + 10;
    if (*p != '\0') {
        if (p[0] != 'T' || strnlen(p, 9) < 9 || pw_period_digits(p + 1, 2, &c.hour) != 0 ||
            p[3] != ':' || pw_period_digits(p + 4, 2, &c.minute) != 0 || p[6] != ':' ||
            pw_period_digits(p + 7, 2, &c.second) != 0)
            goto bad_form;
        p += 9;
        if (*p == '.') {
            int nd = 0;
            for (p++; *p >= '0' && *p <= '9'; p++)
                nd++;
            if (nd < 1 || nd > 9)
                goto bad_form;
        }
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            if (pw_period_digits(p + 1, 2, &oh) != 0 || p[3] != ':' ||
                pw_period_digits(p + 4, 2, &om) != 0)
                goto bad_form;
            if (oh > 23 || om > 59) {
                pw_period_fail(err, errlen, "time", s, "offset must be at most 23:59");
                return -1;
            }
            tz = (oh * 60 + om) * (*p == '-' ? -1 : 1);
            p += 6;
        }
        if (*p != '\0')
            goto bad_form;
        if (c.hour > 23) {
            pw_period_fail(err, errlen, "time", s, "hour must be 00..23");
            return -1;
        }
        if (c.minute > 59) {
            pw_period_fail(err, errlen, "time", s, "minute must be 00..59");
            return -1;
        }
        if (c.second > 59) {
            pw_period_fail(err, errlen, "time", s, "second must be 00..59");
            return -1;
        }
    }
    int64_t t;
    if (pw_time_from_civil(&c, tz, &t) != 0)
        goto bad_form; /* not reached: every field was checked */
    *out = t;
    return 0;

bad_form:
    pw_period_fail(err, errlen, "time", s, PW_TIME_EXPECTED);
    return -1;
}

int pw_time_parse_iso8601(const char *s, int64_t *out)
{
    return pw_time_parse_iso8601_err(s, out, NULL, 0);
}

static int pw_time_format_with(int64_t t, int tz, int zulu, char *buf, size_t size)
{
    pw_civil_time c;
    char tmp[96], zone[16];
    if (!buf || pw_time_to_civil(t, tz, &c) != 0)
        return -1;
    if (zulu)
        memcpy(zone, "Z", 2);
    else if (pw_tz_offset_format(tz, zone, sizeof zone) != 0)
        return -1;
    int len = snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d%s", c.year, c.month, c.day,
                       c.hour, c.minute, c.second, zone);
    if (len < 0 || (size_t)len >= size)
        return -1;
    memcpy(buf, tmp, (size_t)len + 1);
    return 0;
}

int pw_time_format_iso8601(int64_t t, int tz_offset_minutes, char *buf, size_t size)
{
    return pw_time_format_with(t, tz_offset_minutes, 0, buf, size);
}

int pw_time_format_utc(int64_t t, char *buf, size_t size)
{
    return pw_time_format_with(t, 0, 1, buf, size);
}

int pw_tz_offset_parse(const char *s, int *minutes, char *err, size_t errlen)
{
    int oh, om;
    if (!s || !*s || !minutes) {
        pw_period_fail(err, errlen, "time zone offset", s, "%s", "");
        return -1;
    }
    if (strcmp(s, "Z") == 0) {
        *minutes = 0;
        return 0;
    }
    if ((s[0] != '+' && s[0] != '-') || pw_period_digits(s + 1, 2, &oh) != 0 || s[3] != ':' ||
        pw_period_digits(s + 4, 2, &om) != 0 || s[6] != '\0') {
        pw_period_fail(err, errlen, "time zone offset", s, "expected +HH:MM, -HH:MM or Z");
        return -1;
    }
    if (oh > 23 || om > 59) {
        pw_period_fail(err, errlen, "time zone offset", s, "must be at most 23:59");
        return -1;
    }
    *minutes = (oh * 60 + om) * (s[0] == '-' ? -1 : 1);
    return 0;
}

int pw_tz_offset_format(int minutes, char *buf, size_t size)
{
    char tmp[32];
    if (!buf || !pw_tz_valid(minutes))
        return -1;
    int a = minutes < 0 ? -minutes : minutes;
    int len = snprintf(tmp, sizeof tmp, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
    if (len < 0 || (size_t)len >= size)
        return -1;
    memcpy(buf, tmp, (size_t)len + 1);
    return 0;
}

/* ---- deadlines ---------------------------------------------------------- */

/* 23:59:59 local of day `due_day` (clamped) of month (year, month). */
static int pw_deadline_at(int year, int month, int due_day, int tz, int64_t *out)
{
    if (!out || due_day < 1 || due_day > 31)
        return -1;
    int dim = pw_days_in_month(year, month);
    pw_civil_time c = {year, month, due_day < dim ? due_day : dim, 23, 59, 59};
    return pw_time_from_civil(&c, tz, out);
}

int pw_deadline_monthly(int year, int month, int due_day, int tz_offset_minutes, int64_t *out)
{
    int ny, nm;
    if (pw_month_next(year, month, &ny, &nm) != 0)
        return -1;
    return pw_deadline_at(ny, nm, due_day, tz_offset_minutes, out);
}

int pw_deadline_quarterly(int year, int quarter, int due_day, int tz_offset_minutes, int64_t *out)
{
    if (quarter < 1 || quarter > 4)
        return -1;
    return pw_deadline_monthly(year, 3 * quarter, due_day, tz_offset_minutes, out);
}

int pw_deadline_halfyear(int year, int half, int tz_offset_minutes, int64_t *out)
{
    if (half < 1 || half > 2)
        return -1;
    return pw_deadline_at(year, 6 * half, 31, tz_offset_minutes, out);
}

int pw_period_deadline(const pw_period *p, int due_day, int tz_offset_minutes, int64_t *out)
{
    if (!pw_period_valid(p))
        return -1;
    switch (p->kind) {
    case PW_PERIOD_MONTH:
        return pw_deadline_monthly(p->year, p->index, due_day, tz_offset_minutes, out);
    case PW_PERIOD_QUARTER:
        return pw_deadline_quarterly(p->year, p->index, due_day, tz_offset_minutes, out);
    case PW_PERIOD_HALF:
        return pw_deadline_halfyear(p->year, p->index, tz_offset_minutes, out);
    default:
        return -1;
    }
}

int64_t pw_days_late(int64_t received, int64_t deadline)
{
    if (received <= deadline)
        return 0;
    /* unsigned difference: defined for every pair, at most 2^64 - 1 */
    uint64_t late = (uint64_t)received - (uint64_t)deadline;
    return (int64_t)(late / PW_SECONDS_PER_DAY + (late % PW_SECONDS_PER_DAY != 0));
}
