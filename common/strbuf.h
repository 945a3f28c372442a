/*
 * strbuf.h - a growable byte string, always NUL-terminated.
 *
 * A pw_strbuf owns its data.  An all-zero struct (PW_STRBUF_INIT) is an empty
 * buffer; pw_strbuf_cstr() then returns "".  Appends either succeed completely
 * or leave the buffer unchanged (-1 on allocation failure or size overflow).
 * Not thread-safe: one buffer, one user at a time.
 */
#ifndef PW_COMMON_STRBUF_H
#define PW_COMMON_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pw_strbuf {
    char *data; /* NULL until the first append; else NUL-terminated at len */
    size_t len; /* bytes in use, not counting the NUL */
    size_t cap; /* bytes allocated */
} pw_strbuf;

#define PW_STRBUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Make sb an empty buffer (no allocation).  Does not free previous contents. */
void pw_strbuf_init(pw_strbuf *sb);

/* Free the contents; sb is an empty buffer afterwards and may be reused. */
void pw_strbuf_free(pw_strbuf *sb);

/* Forget the contents but keep the allocation (len = 0). */
void pw_strbuf_reset(pw_strbuf *sb);

/*
 * Make room for at least `extra` more bytes (plus the NUL) without changing the
 * contents.  Returns 0, or -1 on allocation failure or overflow.
 */
int pw_strbuf_reserve(pw_strbuf *sb, size_t extra);

/* Append n bytes (may include NULs; s may be NULL when n == 0).  0 or -1. */
int pw_strbuf_append(pw_strbuf *sb, const char *s, size_t n);

/* Append a NUL-terminated string.  0 or -1. */
int pw_strbuf_append_str(pw_strbuf *sb, const char *s);

/* Append one byte.  0 or -1. */
int pw_strbuf_append_char(pw_strbuf *sb, char c);

/* Append printf-style formatted text.  0, or -1 (buffer unchanged). */
int pw_strbuf_appendf(pw_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* vprintf variant of pw_strbuf_appendf. */
int pw_strbuf_vappendf(pw_strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Append the text printf's "%g" gives for x.  0 or -1. */
int pw_strbuf_append_g(pw_strbuf *sb, double x);

/* Append the text printf's "%0*lld" gives for (width, v).  0 or -1. */
int pw_strbuf_append_int(pw_strbuf *sb, long long v, int width);

/*
 * Write the text printf's "%g" gives for x (NUL-terminated, at most
 * PW_FMT_G_MAX - 1 bytes) into buf; returns its length.  The same bytes as
 * snprintf for every double; integers and short decimals (up to six
 * significant digits, the common figures of reports) are written without
 * printf, several times faster.
 */
#define PW_FMT_G_MAX 32
size_t pw_fmt_g(char *buf, double x);

/* The contents as a C string: "" for an empty buffer; valid until the next call
 * that modifies sb. */
const char *pw_strbuf_cstr(const pw_strbuf *sb);

/*
 * Take ownership of the contents: returns a malloc'd NUL-terminated string (the
 * caller frees it) and writes its length to *len when len is not NULL; sb becomes
 * empty.  Returns NULL (sb unchanged) only when an empty buffer cannot allocate
 * its one-byte "".
 */
char *pw_strbuf_detach(pw_strbuf *sb, size_t *len);

#endif
