/*
 * report_value.h - a reported value as people type it, normalised (SPEC 4.3).
 *
 * Design notes
 * - The ONE implementation of the normalisations.  The server runs it on
 *   every submitted value (it must validate anyway, and the web upload and
 *   the CLI then behave the same); clients send values as typed.
 * - Normalisations, each reported as a PW_NORM_* bit so that the receipt
 *   lists them:
 *     spaces around the value (ASCII, tab, U+00A0, U+3000)      PW_NORM_SPACES
 *     full-width digits, sign and point (０-９ ＋ － ．)           PW_NORM_FULLWIDTH
 *     thousands separators ',' or '，' between groups of three  PW_NORM_THOUSANDS
 *     a trailing '%' (or '％') on an indicator measured in %    PW_NORM_PERCENT
 *     a state in Chinese: 未启动 / 推进中 / 已完成                 PW_NORM_STATE
 * - Suspicious but accepted (PW_VALWARN_*): scientific notation ("1.31E+03",
 *   how a spreadsheet shows a long number in a CSV).  The other warning of
 *   SPEC 4.3, a % value <= 1 when last month's was > 1, needs last month's
 *   value: pw_report_value_looks_fraction.
 * - Nothing else is guessed: "1,50", "1.500,5", "12 345", "0x10", "inf",
 *   "1500元" are errors; so is a number beyond +-10^15 (PW_REPORT_VALUE_MAX,
 *   also the template's data validation: 1e308 would overflow progress and
 *   sums) or one that underflows to 0 ("1e-320").  "-0" is read as 0.
 * - Pure and thread-safe.
 */
#ifndef PW_COMMON_REPORT_VALUE_H
#define PW_COMMON_REPORT_VALUE_H

#include <stddef.h>

/* The largest magnitude of a reported number. */
#define PW_REPORT_VALUE_MAX 1e15

enum {
    PW_NORM_SPACES = 1 << 0,
    PW_NORM_FULLWIDTH = 1 << 1,
    PW_NORM_THOUSANDS = 1 << 2,
    PW_NORM_PERCENT = 1 << 3,
    PW_NORM_STATE = 1 << 4,
};

enum {
    PW_VALWARN_SCIENTIFIC = 1 << 0,
};

typedef struct pw_report_value {
    char text[64];     /* normalised: "1500", "29.4", "done" */
    double number;     /* numeric kinds */
    unsigned applied;  /* PW_NORM_* */
    unsigned warnings; /* PW_VALWARN_* */
} pw_report_value;

/*
 * Normalise and parse `raw`.  milestone: a state (not_started, in_progress,
 * done, or the Chinese names) is expected, else a finite number; percent: the
 * indicator is measured in % (a trailing % is then allowed; the 0-100 range is
 * the caller's rule).  Returns 0 and fills *out, or -1 with a reason in err
 * ("'1,50' has a thousands separator that does not separate groups of three
 * digits"); *out is then untouched.
 */
int pw_report_value_parse(const char *raw, int milestone, int percent, pw_report_value *out,
                          char *err, size_t errlen);

/*
 * The applied normalisations in words, joined by ", " into buf
 * ("spaces removed, full-width digits"); "" when none.
 */
void pw_report_value_describe(unsigned applied, char *buf, size_t len);

/* 1 when a % value looks like a fraction typed for a percentage: 0 < value
 * <= 1 while last month's (has_prev) was > 1.  Else 0. */
int pw_report_value_looks_fraction(double value, int has_prev, double prev);

#endif
