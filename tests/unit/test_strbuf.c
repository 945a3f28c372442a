/*
 * test_strbuf.c - the growable string: empty state, appends of every kind,
 * growth across many appends, embedded NULs, reset, detach and free.
 */
#include <criterion/criterion.h>
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
