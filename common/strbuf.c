/*
 * strbuf.c - a growable byte string, always NUL-terminated.
 *
 * Design notes
 * - Invariant: data == NULL implies len == 0 and cap == 0; otherwise
 *   len < cap and data[len] == '\0'.
 * - Growth doubles (from 64 bytes) so n appends cost O(n) amortised; every size
 *   computation is checked for overflow before it is used.
 * - Every append is all-or-nothing: the buffer is grown first, then written.
 */
#include "common/strbuf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pw_strbuf_init(pw_strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
}

void pw_strbuf_free(pw_strbuf *sb)
{
    free(sb->data);
    pw_strbuf_init(sb);
}

void pw_strbuf_reset(pw_strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

int pw_strbuf_reserve(pw_strbuf *sb, size_t extra)
{
    if (extra > SIZE_MAX - 1 - sb->len)
        return -1;
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return 0;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(sb->data, cap);
    if (!p)
        return -1;
    if (!sb->data)
        p[0] = '\0';
    sb->data = p;
    sb->cap = cap;
    return 0;
}

int pw_strbuf_append(pw_strbuf *sb, const char *s, size_t n)
{
    if (n == 0)
        return pw_strbuf_reserve(sb, 0);
    if (!s || pw_strbuf_reserve(sb, n) != 0)
        return -1;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return 0;
}

int pw_strbuf_append_str(pw_strbuf *sb, const char *s)
{
    if (!s)
        return -1;
    return pw_strbuf_append(sb, s, strlen(s));
}

int pw_strbuf_append_char(pw_strbuf *sb, char c)
{
    return pw_strbuf_append(sb, &c, 1);
}

int pw_strbuf_vappendf(pw_strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || pw_strbuf_reserve(sb, (size_t)n) != 0)
        return -1;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return 0;
}

int pw_strbuf_appendf(pw_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rv = pw_strbuf_vappendf(sb, fmt, ap);
    va_end(ap);
    return rv;
}

/* The decimal digits of n (< 10^19) right-aligned before `end`; returns
 * where they start.  At least `width` digits (zero-padded). */
static char *strbuf_digits(char *end, unsigned long long n, int width)
{
    char *p = end;
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
        width--;
    } while (n || width > 0);
    return p;
}

size_t pw_fmt_g(char *buf, double x)
{
    static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
    double ax = fabs(x);
    if (x == 0) {
        size_t n = signbit(x) ? 2 : 1;
        memcpy(buf, signbit(x) ? "-0" : "0", n + 1);
        return n;
    }
    /*
     * %g uses the fixed notation for 1e-4 <= |x| < 1e6 (after rounding to six
     * significant digits) and strips trailing zeros.  When |x| * 10^k is an
     * integer n < 10^6 in double arithmetic, |x| is within one rounding
     * (2^-53 relative) of the decimal n / 10^k, far closer than half a unit
     * of its sixth significant digit: printf's correctly rounded digits are
     * n's.  Anything else goes to snprintf.
     */
    if (ax >= 1e-4 && ax < 1e6) {
        for (int k = 0; k < (int)(sizeof p10 / sizeof p10[0]); k++) {
            double r = ax * p10[k];
            if (r >= 1e6)
                break;
            if (r != floor(r))
                continue;
            unsigned long long n = (unsigned long long)r;
            while (k > 0 && n % 10 == 0) {
                n /= 10;
                k--;
            }
            char tmp[PW_FMT_G_MAX];
            char *end = tmp + sizeof tmp;
            char *p = strbuf_digits(end, n, k + 1); /* at least one integer digit */
            size_t len = 0;
            if (x < 0)
                buf[len++] = '-';
            size_t nd = (size_t)(end - p), ni = nd - (size_t)k;
            memcpy(buf + len, p, ni);
            len += ni;
            if (k > 0) {
                buf[len++] = '.';
                memcpy(buf + len, p + ni, (size_t)k);
                len += (size_t)k;
            }
            buf[len] = '\0';
            return len;
        }
    }
    int n = snprintf(buf, PW_FMT_G_MAX, "%g", x);
    return n > 0 ? (size_t)n : 0;
}

int pw_strbuf_append_g(pw_strbuf *sb, double x)
{
    char buf[PW_FMT_G_MAX];
    size_t n = pw_fmt_g(buf, x);
    return pw_strbuf_append(sb, buf, n);
}

int pw_strbuf_append_int(pw_strbuf *sb, long long v, int width)
{
    char tmp[48];
    char *end = tmp + sizeof tmp;
    unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (width > 40)
        return pw_strbuf_appendf(sb, "%0*lld", width, v);
    char *p = strbuf_digits(end, mag, v < 0 ? width - 1 : width);
    if (v < 0)
        *--p = '-';
    return pw_strbuf_append(sb, p, (size_t)(end - p));
}

const char *pw_strbuf_cstr(const pw_strbuf *sb)
{
    return sb->data ? sb->data : "";
}

char *pw_strbuf_detach(pw_strbuf *sb, size_t *len)
{
    if (!sb->data && pw_strbuf_reserve(sb, 0) != 0)
        return NULL;
    char *p = sb->data;
    if (len)
        *len = sb->len;
    pw_strbuf_init(sb);
    return p;
}
