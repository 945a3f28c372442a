/*
 * test_strbuf.c - the growable string: empty state, appends of every kind,
 * growth across many appends, embedded NULs, reset, detach and free.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"

Test(strbuf, empty_buffer_reads_as_empty_string)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "");
    cr_assert_eq(sb.len, 0);
    pw_strbuf_free(&sb);
    pw_strbuf_free(&sb); /* twice is fine */
    cr_assert_null(sb.data);
}

Test(strbuf, appends_bytes_strings_chars_and_formats)
{
    pw_strbuf sb;
    pw_strbuf_init(&sb);
    cr_assert_eq(pw_strbuf_append(&sb, "ab", 2), 0);
    cr_assert_eq(pw_strbuf_append_str(&sb, "吉首"), 0);
    cr_assert_eq(pw_strbuf_append_char(&sb, ','), 0);
    cr_assert_eq(pw_strbuf_appendf(&sb, "%d-%02d %.2f", 2018, 3, 97.5), 0);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "ab吉首,2018-03 97.50");
    cr_assert_eq(sb.len, strlen("ab吉首,2018-03 97.50"));
    pw_strbuf_free(&sb);
}

Test(strbuf, empty_append_allocates_a_terminated_buffer)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_strbuf_append(&sb, NULL, 0), 0);
    cr_assert_not_null(sb.data);
    cr_assert_str_eq(sb.data, "");
    cr_assert_eq(pw_strbuf_appendf(&sb, "%s", ""), 0);
    cr_assert_eq(sb.len, 0);
    pw_strbuf_free(&sb);
}

Test(strbuf, refuses_null_with_length_and_null_string)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_strbuf_append_str(&sb, "keep");
    cr_assert_eq(pw_strbuf_append(&sb, NULL, 3), -1);
    cr_assert_eq(pw_strbuf_append_str(&sb, NULL), -1);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "keep");
    pw_strbuf_free(&sb);
}

Test(strbuf, refuses_overflowing_reservation_and_stays_intact)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_strbuf_append_str(&sb, "keep");
    cr_assert_eq(pw_strbuf_reserve(&sb, SIZE_MAX), -1);
    cr_assert_eq(pw_strbuf_reserve(&sb, SIZE_MAX - 4), -1);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "keep");
    cr_assert_eq(sb.len, 4);
    pw_strbuf_free(&sb);
}

Test(strbuf, grows_across_many_appends)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(pw_strbuf_appendf(&sb, "%04d,", i % 10000), 0);
    cr_assert_eq(sb.len, 50000);
    cr_assert(sb.cap > sb.len);
    cr_assert_eq(memcmp(sb.data + 5 * 9999, "9999,", 5), 0);
    cr_assert_eq(sb.data[sb.len], '\0');
    pw_strbuf_free(&sb);
}

Test(strbuf, keeps_embedded_nul_bytes)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_strbuf_append(&sb, "a\0b", 3);
    cr_assert_eq(sb.len, 3);
    cr_assert_eq(memcmp(sb.data, "a\0b", 4), 0);
    pw_strbuf_free(&sb);
}

Test(strbuf, reset_keeps_allocation)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_strbuf_append_str(&sb, "hello");
    char *before = sb.data;
    pw_strbuf_reset(&sb);
    cr_assert_eq(sb.len, 0);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "");
    cr_assert_eq(sb.data, before);
    pw_strbuf_append_str(&sb, "x");
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "x");
    pw_strbuf_free(&sb);
}

Test(strbuf, detach_hands_over_the_string)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_strbuf_append_str(&sb, "owned");
    size_t len = 0;
    char *s = pw_strbuf_detach(&sb, &len);
    cr_assert_str_eq(s, "owned");
    cr_assert_eq(len, 5);
    cr_assert_null(sb.data);
    cr_assert_eq(sb.len, 0);
    free(s);

    s = pw_strbuf_detach(&sb, NULL); /* empty buffer: a fresh "" */
    cr_assert_str_eq(s, "");
    free(s);
}

/* pw_fmt_g against snprintf "%g": the figures reports carry (integers,
 * halves, cents, percentages), signed zeros, the edges of the fixed
 * notation and random doubles of every magnitude. */
static void strbuf_check_g(double x)
{
    char want[64], got[PW_FMT_G_MAX];
    snprintf(want, sizeof want, "%g", x);
    size_t n = pw_fmt_g(got, x);
    cr_assert_str_eq(got, want, "%%g of %.17g", x);
    cr_assert_eq(n, strlen(want));
}

Test(strbuf, fmt_g_matches_printf)
{
    static const double fixed[] = {
        0.0,         -0.0,         1,       -1,        0.5,   20.5,    0.1,       0.2,
        0.3,         0.7,          1.1,     2.675,     99.99, 123456,  999999,    999999.4,
        999999.5,    1e6,          -1e6,    1234567,   1e-4,  -1e-4,   9.9999e-5, 0.00012345,
        0.000123456, 0.0001234567, 12.3456, 12.34567,  1e300, -1e-300, 5e-324,    1.0 / 3,
        2.0 / 3,     100,          1e5,     123.000001};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        strbuf_check_g(fixed[i]);
    strbuf_check_g(INFINITY);
    strbuf_check_g(-INFINITY);
    strbuf_check_g(NAN);
    /* every cent and tenth up to 10,000 and their negatives */
    for (int i = -1000000; i <= 1000000; i += 7) {
        strbuf_check_g(i / 100.0);
        strbuf_check_g(i / 10.0);
        strbuf_check_g(i * 0.01);
    }
    /* random bit patterns and random decimals of few digits */
    uint64_t seed = 88172645463325252ULL;
    for (int t = 0; t < 200000; t++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        double d;
        memcpy(&d, &seed, sizeof d);
        strbuf_check_g(d);
        strbuf_check_g((double)(seed % 2000000) / (double)(1 + seed % 1000) - 1000);
        strbuf_check_g((double)(int64_t)(seed % 20000000) / 1e4 * ((seed >> 40) % 2 ? 1 : -1));
    }
}

Test(strbuf, append_int_matches_printf)
{
    static const long long v[] = {0, 1, -1, 7, 12, 2018, -5, 99999, -99999, LLONG_MAX, LLONG_MIN};
    static const int w[] = {0, 1, 2, 4, 6, 25};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (size_t j = 0; j < sizeof w / sizeof w[0]; j++) {
            char want[64];
            snprintf(want, sizeof want, "%0*lld", w[j], v[i]);
            pw_strbuf sb = PW_STRBUF_INIT;
            cr_assert_eq(pw_strbuf_append_str(&sb, "x"), 0);
            cr_assert_eq(pw_strbuf_append_int(&sb, v[i], w[j]), 0);
            cr_assert_str_eq(pw_strbuf_cstr(&sb) + 1, want);
            pw_strbuf_free(&sb);
        }
}
