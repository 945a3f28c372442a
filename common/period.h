/*
 * period.h - THE one place for period, date, time and deadline arithmetic.
 *
 * Periods (SPEC 2): month "YYYY-MM", quarter "YYYY-Qn" (n 1..4), half-year
 * "YYYY-H1" / "YYYY-H2", year "YYYY", with years 2000..2100.  Parsing is strict:
 * exactly one spelling per period, so the string form can be a database key.
 *
 * Dates are day numbers (days since 1970-01-01, proleptic Gregorian), times are
 * unix seconds (int64).  Civil dates span years 0001..9999 (four-digit ISO 8601
 * years); functions refuse anything outside.  Local time is a fixed UTC offset in
 * minutes east of UTC (+08:00 = 480): nothing here reads the process time zone,
 * the locale or the clock, so every function is pure and thread-safe.
 *
 * Conventions: functions return 0 on success and -1 on bad input, and write their
 * out-pointers only on success.  Functions taking `err, errlen` write a one-line
 * English reason there on failure (when err is not NULL and errlen > 0), quoting
 * the offending input, e.g. "period '2018-13': month must be 01..12".  Predicates
 * (pw_period_valid, pw_is_leap_year, ...) return 1 or 0.
 */
#ifndef PW_COMMON_PERIOD_H
#define PW_COMMON_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* ---- periods ------------------------------------------------------------ */

typedef enum pw_period_kind {
    PW_PERIOD_MONTH = 1,   /* index = month 1..12 */
    PW_PERIOD_QUARTER = 2, /* index = quarter 1..4 */
    PW_PERIOD_HALF = 3,    /* index = half 1..2 */
    PW_PERIOD_YEAR = 4,    /* index = 0 */
} pw_period_kind;

/* Bit masks of kinds for pw_period_parse_kinds. */
#define PW_PERIOD_ALLOW_MONTH (1u << PW_PERIOD_MONTH)
#define PW_PERIOD_ALLOW_QUARTER (1u << PW_PERIOD_QUARTER)
#define PW_PERIOD_ALLOW_HALF (1u << PW_PERIOD_HALF)
#define PW_PERIOD_ALLOW_YEAR (1u << PW_PERIOD_YEAR)
#define PW_PERIOD_ALLOW_ANY                                                                        \
    (PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_HALF | PW_PERIOD_ALLOW_YEAR)

#define PW_PERIOD_YEAR_MIN 2000
#define PW_PERIOD_YEAR_MAX 2100

/* Enough for any formatted period plus the NUL ("2018-01", "2018-Q1", "2018"). */
#define PW_PERIOD_BUFSIZE 8

typedef struct pw_period {
    int kind;  /* a pw_period_kind */
    int year;  /* PW_PERIOD_YEAR_MIN..PW_PERIOD_YEAR_MAX */
    int index; /* see pw_period_kind */
} pw_period;

/*
 * Parse a period of any kind.  Strict: "2018-01", "2018-Q1", "2018-H2", "2018";
 * rejects "2018-13", "2018-1", "18-01", "2018-q1", " 2018-01", "2018-01x" and years
 * outside 2000..2100.  Returns 0 and writes *out, or -1 with a reason in err, e.g.
 * "period '2018-13': month must be 01..12",
 * "period '18-01': expected YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY".
 */
int pw_period_parse(const char *s, pw_period *out, char *err, size_t errlen);

/*
 * Like pw_period_parse, but only the kinds in the mask `allowed` (PW_PERIOD_ALLOW_*)
 * are accepted; a well-formed period of another kind fails with the list of
 * allowed forms, e.g. "period '2018-Q1': expected YYYY-MM".
 */
int pw_period_parse_kinds(const char *s, unsigned allowed, pw_period *out, char *err,
                          size_t errlen);

/* Build a period from its parts (kind, year, index as in pw_period); 0 or -1. */
int pw_period_make(int kind, int year, int index, pw_period *out);

/* 1 when p is a period pw_period_parse could have produced, else 0 (NULL: 0). */
int pw_period_valid(const pw_period *p);

/*
 * Write the canonical spelling of p into buf (size bytes; PW_PERIOD_BUFSIZE is
 * always enough).  Returns 0, or -1 for an invalid period or a too small buf
 * (buf not written).
 */
int pw_period_format(const pw_period *p, char *buf, size_t size);

/*
 * The months the period itself covers, within its year: month m -> m..m,
 * Qn -> 3n-2..3n, H1 -> 1..6, H2 -> 7..12, year -> 1..12.  0 or -1.
 */
int pw_period_months(const pw_period *p, int *first_month, int *last_month);

/*
 * The year-to-date assessment window of SPEC 3.5: "YYYY-MM" -> January..M,
 * "YYYY-Qn" -> January..3n, "YYYY" -> January..December; a half-year, by the same
 * rule, H1 -> January..June, H2 -> January..December.  *first_month is always 1.
 * 0 or -1.
 */
int pw_period_window(const pw_period *p, int *first_month, int *last_month);

/* 1 when month (year, month) lies in the months p covers (pw_period_months). */
int pw_period_contains(const pw_period *p, int year, int month);

/*
 * Time elapsed of SPEC 3.4/3.5: t = (last month of the window) / 12, so 2018-03 ->
 * 0.25, 2018-Q2 -> 0.5, 2018 -> 1.  0 or -1.
 */
int pw_period_elapsed(const pw_period *p, double *t);

/* t = month / 12 for month 1..12; month is clamped to 0..12 first. */
double pw_month_elapsed(int month);

/* ---- months ------------------------------------------------------------- */

/*
 * Order of two (year, month) pairs: negative, 0 or positive like strcmp.  Any
 * int values are ordered as year * 12 + month without overflow.
 */
int pw_month_compare(int year_a, int month_a, int year_b, int month_b);

/*
 * The month after (year, month): 2018-12 -> 2019-01.  Requires month 1..12 and a
 * result within years 1..9999.  0 or -1.
 */
int pw_month_next(int year, int month, int *out_year, int *out_month);

/* The month before (year, month): 2018-01 -> 2017-12.  Same contract. */
int pw_month_prev(int year, int month, int *out_year, int *out_month);

/* ---- civil dates -------------------------------------------------------- */

#define PW_CIVIL_YEAR_MIN 1
#define PW_CIVIL_YEAR_MAX 9999

/* Enough for "YYYY-MM-DD" plus the NUL. */
#define PW_DATE_BUFSIZE 11

/* 1 for a Gregorian leap year (divisible by 4, not by 100 unless by 400). */
int pw_is_leap_year(int year);

/* Days in month 1..12 of year (28..31); 0 when month is out of range. */
int pw_days_in_month(int year, int month);

/*
 * Day number (days since 1970-01-01) of a valid calendar date in years 1..9999;
 * 0 or -1 (February 29 only in leap years, and so on).
 */
int pw_date_from_civil(int year, int month, int day, int32_t *days);

/* The calendar date of a day number; 0, or -1 outside years 1..9999. */
int pw_date_to_civil(int32_t days, int *year, int *month, int *day);

/*
 * Parse a strict "YYYY-MM-DD" (exactly 10 characters, a real date, years
 * 0001..9999) into a day number.  0 or -1.
 */
int pw_date_parse(const char *s, int32_t *days);

/* pw_date_parse with a reason on failure, e.g. "date '2018-02-29': day must be
 * 01..28 for 2018-02". */
int pw_date_parse_err(const char *s, int32_t *days, char *err, size_t errlen);

/* Format a day number as "YYYY-MM-DD"; 0, or -1 when out of range or buf is too
 * small (PW_DATE_BUFSIZE is enough). */
int pw_date_format(int32_t days, char *buf, size_t size);

/* ---- times -------------------------------------------------------------- */

/* Offsets are minutes east of UTC, at most 23:59 either way. */
#define PW_TZ_OFFSET_MAX_MINUTES (23 * 60 + 59)
/* SPEC 3.3: plans default to UTC+08:00. */
#define PW_TZ_DEFAULT_MINUTES (8 * 60)

/* Enough for "2018-02-05T23:59:59+08:00" plus the NUL. */
#define PW_TIME_BUFSIZE 26

typedef struct pw_civil_time {
    int year;   /* 1..9999 */
    int month;  /* 1..12 */
    int day;    /* 1..days in month */
    int hour;   /* 0..23 */
    int minute; /* 0..59 */
    int second; /* 0..59 (no leap seconds) */
} pw_civil_time;

/*
 * Unix seconds of the local civil time c in a zone tz_offset_minutes east of
 * UTC.  Every field must be in range.  0 or -1.
 */
int pw_time_from_civil(const pw_civil_time *c, int tz_offset_minutes, int64_t *out);

/*
 * Local civil time of unix seconds t at tz_offset_minutes.  0, or -1 when the
 * offset is out of range or the local time falls outside years 1..9999.
 */
int pw_time_to_civil(int64_t t, int tz_offset_minutes, pw_civil_time *out);

/*
 * Parse an ISO 8601 timestamp into unix seconds (--clock-file, --since):
 *   "2018-02-05T23:59:59+08:00"  local time with offset (-05:30 too)
 *   "2018-02-05T15:59:59Z"       UTC
 *   "2018-02-05T15:59:59"        no offset: UTC
 *   "2018-02-05"                 midnight UTC
 * A fraction of a second after the seconds (".5", up to 9 digits) is accepted
 * and dropped.  Uppercase 'T' and 'Z' only; no surrounding spaces; offsets at
 * most ±23:59 ("-00:00" is UTC).  0 or -1.
 */
int pw_time_parse_iso8601(const char *s, int64_t *out);

/* pw_time_parse_iso8601 with a reason on failure, e.g. "time '2018-02-05T24:00:00':
 * hour must be 00..23". */
int pw_time_parse_iso8601_err(const char *s, int64_t *out, char *err, size_t errlen);

/*
 * Format unix seconds as local time with its offset, "2018-02-05T23:59:59+08:00"
 * (offset 0 gives "+00:00").  0, or -1 for an out-of-range time or offset or a
 * too small buf (PW_TIME_BUFSIZE is enough).
 */
int pw_time_format_iso8601(int64_t t, int tz_offset_minutes, char *buf, size_t size);

/* Format unix seconds in UTC with a 'Z': "2018-02-05T15:59:59Z".  Same contract. */
int pw_time_format_utc(int64_t t, char *buf, size_t size);

/*
 * Parse a UTC offset: "+08:00", "-05:30", "Z" (= 0) into minutes east of UTC.
 * 0 or -1 (with a reason, e.g. "time zone offset '8': expected +HH:MM, -HH:MM or Z").
 */
int pw_tz_offset_parse(const char *s, int *minutes, char *err, size_t errlen);

/* Format minutes east of UTC as "+08:00" / "-05:30"; 0 or -1 (range, buf >= 7). */
int pw_tz_offset_format(int minutes, char *buf, size_t size);

/* ---- deadlines (SPEC 3.3) ----------------------------------------------- */

/*
 * Deadline of the monthly report for (year, month): day due_day of the NEXT month
 * at 23:59:59 local time (tz_offset_minutes).  due_day 1..31 is clamped to the
 * length of that month (due day 31 for January -> February 28/29).
 * 2018-12, day 5, +08:00 -> 2019-01-05T23:59:59+08:00.  0 or -1 (bad month,
 * due_day or offset).
 */
int pw_deadline_monthly(int year, int month, int due_day, int tz_offset_minutes, int64_t *out);

/*
 * Deadline of a quarterly report for quarter 1..4: day due_day of the month after
 * the quarter, 23:59:59 local (2018-Q4, day 5 -> 2019-01-05T23:59:59).  Clamped
 * like pw_deadline_monthly.  0 or -1.
 */
int pw_deadline_quarterly(int year, int quarter, int due_day, int tz_offset_minutes, int64_t *out);

/*
 * Deadline of the half-year supervision report for half 1..2: the last day of
 * June (H1) or December (H2), 23:59:59 local.  0 or -1.
 */
int pw_deadline_halfyear(int year, int half, int tz_offset_minutes, int64_t *out);

/*
 * Deadline of the report for period p: month -> pw_deadline_monthly, quarter ->
 * pw_deadline_quarterly (both with due_day), half-year -> pw_deadline_halfyear
 * (due_day ignored).  A year has no report of its own: -1.
 */
int pw_period_deadline(const pw_period *p, int due_day, int tz_offset_minutes, int64_t *out);

/*
 * Days late of a submission received at `received` for `deadline` (unix seconds):
 * 0 when received <= deadline, otherwise the number of started days after the
 * deadline (1 s late = 1 day, 86400 s = 1 day, 86401 s = 2 days).  Never negative;
 * total for all inputs.
 */
int64_t pw_days_late(int64_t received, int64_t deadline);

#endif
