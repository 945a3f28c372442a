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
