/*
 * report_value.c - normalising reported values (see report_value.h).
 *
 * Design notes
 * - Work on a copy: first the code points are mapped one by one (full-width
 *   forms to ASCII, separators noted), then the ASCII result must match
 *     [+-]? digits ( [,] digit{3} )* ( . digits )? ( [eE] [+-]? digits )?
 *   or the same without the integer part (".5").  strtod only ever sees a
 *   string of that shape.
 */
#include "common/report_value.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

static const struct {
    const char *zh, *en;
} rv_states[] = {
    {"未启动", "not_started"},
    {"推进中", "in_progress"},
    {"已完成", "done"},
};

static int rv_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000;
}

/* raw without the spaces at both ends: start and length. */
static size_t rv_trim(const char *raw, const char **start)
{
    const char *s = raw;
    size_t n = strlen(raw);
    uint32_t cp;
    int k;
    while (n && (k = pw_utf8_decode(s, n, &cp)) > 0 && rv_is_space(cp))
        s += k, n -= (size_t)k;
    *start = s;
    return pw_text_rtrim(s, n, 0);
}

/* err = fmt with its one %s the quoted excerpt of the raw value `q` (made
 * only on a failure: most values are fine). */
__attribute__((format(printf, 4, 0))) static void rv_error(char *err, size_t errlen, const char *q,
                                                           const char *fmt)
{
    char buf[200];
    pw_text_excerpt(buf, sizeof buf, q, strlen(q), 40);
    snprintf(err, errlen, fmt, buf);
}

/* dst[len] = src, cut to fit. */
static void rv_copy(char *dst, size_t len, const char *src)
{
    size_t n = strlen(src);
    if (n >= len)
        n = len - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A state: its English name, or its Chinese one (PW_NORM_STATE). */
static int rv_state(const char *s, size_t n, const char *q, pw_report_value *v, char *err,
                    size_t errlen)
{
    for (size_t i = 0; i < sizeof rv_states / sizeof rv_states[0]; i++) {
        if (strlen(rv_states[i].en) == n && memcmp(s, rv_states[i].en, n) == 0) {
            rv_copy(v->text, sizeof v->text, rv_states[i].en);
        } else if (strlen(rv_states[i].zh) == n && memcmp(s, rv_states[i].zh, n) == 0) {
            rv_copy(v->text, sizeof v->text, rv_states[i].en);
            v->applied |= PW_NORM_STATE;
        } else {
            continue;
        }
        return 0;
    }
    rv_error(err, errlen, q,
             "'%s' is not one of not_started, in_progress, done (未启动, 推进中, 已完成)");
    return -1;
}

/* s[0..n) mapped code point by code point to ASCII in a[RV_MAX] (full-width
 * forms, separators noted in v->applied), without a trailing % sign. */
#define RV_MAX 64
static int rv_ascii(const char *s, size_t n, int percent, const char *q, char *a,
                    pw_report_value *v, char *err, size_t errlen)
{
    size_t an = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = pw_utf8_decode(s + i, n - i, &cp);
        if (k < 0) {
            rv_error(err, errlen, q, "'%s' is not a finite number");
            return -1;
        }
        i += (size_t)k;
        char c;
        if (cp >= 0xFF10 && cp <= 0xFF19) {
            c = (char)('0' + (cp - 0xFF10));
            v->applied |= PW_NORM_FULLWIDTH;
        } else if (cp == 0xFF0B || cp == 0xFF0D || cp == 0xFF0E) {
            c = cp == 0xFF0B ? '+' : cp == 0xFF0D ? '-' : '.';
            v->applied |= PW_NORM_FULLWIDTH;
        } else if (cp == 0xFF0C || cp == ',') {
            c = ',';
            v->applied |= PW_NORM_THOUSANDS; /* kept only if the shape is right */
        } else if (cp == 0xFF05) {
            c = '%';
        } else if (cp < 0x80) {
            c = (char)cp;
        } else {
            rv_error(err, errlen, q, "'%s' is not a finite number");
            return -1;
        }
        if (an + 1 >= RV_MAX) {
            rv_error(err, errlen, q, "'%s' is not a finite number (too long)");
            return -1;
        }
        a[an++] = c;
    }
    a[an] = '\0';
    if (an && a[an - 1] == '%') {
        if (!percent) {
            rv_error(err, errlen, q, "'%s': a %% sign on an indicator not measured in %%");
            return -1;
        }
        a[--an] = '\0';
        v->applied |= PW_NORM_PERCENT;
        while (an && a[an - 1] == ' ') /* "29.4 %" */
            a[--an] = '\0';
    }
    return 0;
}

/* The digits of a[] after the sign, dropping thousands separators, into
 * d[]; *i is where they end.  -1 when a separator is misplaced. */
static int rv_integer(const char *a, size_t *i, char *d, size_t *dn, int *has_int)
{
    size_t int_start = *i, group = 0;
    int seen_comma = 0, bad_group = 0;
    while ((a[*i] >= '0' && a[*i] <= '9') || a[*i] == ',') {
        if (a[*i] == ',') {
            if (group == 0 || (!seen_comma && group > 3) || (seen_comma && group != 3))
                bad_group = 1;
            seen_comma = 1;
            group = 0;
            (*i)++;
            continue;
        }
        d[(*dn)++] = a[(*i)++];
        group++;
    }
    *has_int = *i > int_start && group + seen_comma > 0;
    return bad_group || (seen_comma && group != 3) ? -1 : 0;
}

/* Check the shape of a[] (see the design notes) and copy it without the
 * separators into d[RV_MAX]. */
static int rv_shape(const char *a, const char *q, char *d, pw_report_value *v, char *err,
                    size_t errlen)
{
    size_t dn = 0, i = 0;
    int has_int, has_frac = 0;
    if (a[i] == '+' || a[i] == '-')
        d[dn++] = a[i++];
    if (rv_integer(a, &i, d, &dn, &has_int) != 0) {
        rv_error(err, errlen, q,
                 "'%s' has a thousands separator that does not separate groups of three digits");
        return -1;
    }
    if (a[i] == '.') {
        d[dn++] = a[i++];
        while (a[i] >= '0' && a[i] <= '9') {
            d[dn++] = a[i++];
            has_frac = 1;
        }
    }
    int bad = !has_int && !has_frac;
    if (!bad && (a[i] == 'e' || a[i] == 'E')) {
        d[dn++] = a[i++];
        if (a[i] == '+' || a[i] == '-')
            d[dn++] = a[i++];
        bad = !(a[i] >= '0' && a[i] <= '9');
        while (a[i] >= '0' && a[i] <= '9')
            d[dn++] = a[i++];
        v->warnings |= PW_VALWARN_SCIENTIFIC;
    }
    d[dn] = '\0';
    if (bad || a[i] != '\0') {
        rv_error(err, errlen, q, "'%s' is not a finite number");
        return -1;
    }
    return 0;
}

/* The number of d[] (shape checked), within range; "-0" becomes "0". */
static int rv_number(char *d, const char *q, double *out, char *err, size_t errlen)
{
    errno = 0;
    char *end;
    double x = strtod(d, &end);
    if (*end || !isfinite(x)) { /* 1e999 */
        rv_error(err, errlen, q, "'%s' is not a finite number");
        return -1;
    }
    if (fabs(x) > PW_REPORT_VALUE_MAX) {
        rv_error(err, errlen, q,
                 "'%s' is out of range: a value is at most 1,000,000,000,000,000 (10^15) "
                 "either way");
        return -1;
    }
    if (errno == ERANGE) { /* underflow: 1e-320 */
        rv_error(err, errlen, q, "'%s' is too close to 0 to be stored; type 0 or the value");
        return -1;
    }
    if (x == 0 && d[0] == '-') { /* "-0" is 0 */
        x = 0;
        memmove(d, d + 1, strlen(d));
    }
    *out = x;
    return 0;
}

int pw_report_value_parse(const char *raw, int milestone, int percent, pw_report_value *out,
                          char *err, size_t errlen)
{
    pw_report_value v;
    memset(&v, 0, sizeof v);
    const char *q = raw; /* quoted in a message by rv_error */
    const char *s;
    size_t n = rv_trim(raw, &s);
    if (n != strlen(raw))
        v.applied |= PW_NORM_SPACES;
    if (milestone) {
        if (rv_state(s, n, q, &v, err, errlen) != 0)
            return -1;
        *out = v;
        return 0;
    }
    char a[RV_MAX], d[RV_MAX];
    if (rv_ascii(s, n, percent, q, a, &v, err, errlen) != 0 ||
        rv_shape(a, q, d, &v, err, errlen) != 0 || rv_number(d, q, &v.number, err, errlen) != 0)
        return -1;
    rv_copy(v.text, sizeof v.text, d);
    *out = v;
    return 0;
}

void pw_report_value_describe(unsigned applied, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *words;
    } names[] = {
        {PW_NORM_SPACES, "spaces removed"},
        {PW_NORM_FULLWIDTH, "full-width characters"},
        {PW_NORM_THOUSANDS, "thousands separators removed"},
        {PW_NORM_PERCENT, "% sign removed"},
        {PW_NORM_STATE, "Chinese state name"},
    };
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(applied & names[i].bit))
            continue;
        int w = snprintf(buf + used, len > used ? len - used : 0, "%s%s", used ? ", " : "",
                         names[i].words);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
    }
}

int pw_report_value_looks_fraction(double value, int has_prev, double prev)
{
    return has_prev && prev > 1 && value > 0 && value <= 1;
}
