/*
 * csv.c - RFC 4180 CSV reader (over a buffer) and writer.
 *
 * Design notes
 * - The reader is a hand-written scanner, one byte at a time, that never reads
 *   at or past buf + len and never needs a NUL terminator.  Bytes >= 0x80 are
 *   decoded with pw_utf8_decode on the spot, so an invalid sequence is reported
 *   on the physical line and in the field where it is.  ',', '"', CR and LF are
 *   ASCII and never occur inside a multi-byte sequence, so checking field bytes
 *   is the same as checking the whole input.
 * - The current record is copied into one byte array (`data`), each field
 *   NUL-terminated; per-field offsets are turned into pointers only when the
 *   record is complete, because the array may move while growing.  Growth
 *   doubles and is bounded by the record's size plus one NUL per field; fields
 *   are capped at PW_CSV_MAX_FIELD_BYTES and records at PW_CSV_MAX_FIELDS.
 * - Trailing empty lines: at the start of a record that begins with a line end,
 *   the reader looks ahead once for a byte other than CR/LF; `blank_until`
 *   remembers how far it looked, so a run of blank lines costs O(n), not O(n^2).
 * - Errors are sticky: after -1 (or 0) the reader keeps returning it.
 * - The writer is the reader's mirror: it quotes exactly what the reader could
 *   otherwise misread, so that writing any record the reader returned and
 *   reading it back gives the same fields (tests/fuzz/fuzz_csv.c checks this).
 */
#include "common/csv.h"

#include "common/text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- reader ------------------------------------------------------------- */

void pw_csv_reader_init(pw_csv_reader *r, const char *buf, size_t len)
{
    memset(r, 0, sizeof *r);
    r->buf = buf;
    r->len = buf ? len : 0;
    r->line = 1;
    r->sep = ',';
    if (r->len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

void pw_csv_reader_init_sep(pw_csv_reader *r, const char *buf, size_t len, char sep)
{
    pw_csv_reader_init(r, buf, len);
    r->sep = sep;
}

void pw_csv_reader_fini(pw_csv_reader *r)
{
    free(r->data);
    free(r->offs);
    free(r->lens);
    free(r->lines);
    free(r->ptrs);
    r->data = NULL;
    r->offs = r->lens = r->lines = NULL;
    r->ptrs = NULL;
    r->data_cap = r->fields_cap = 0;
    if (r->state == 0)
        r->state = 1;
}

static int pw_csv_reader_fail(pw_csv_reader *r, size_t line, size_t column, const char *reason)
{
    r->state = -1;
    r->err_line = line;
    r->err_column = column;
    snprintf(r->err, sizeof r->err, "line %zu, column %zu: %s", line, column, reason);
    return -1;
}

/* Room for `extra` more bytes in data; 0 or -1 (out of memory). */
static int pw_csv_reader_reserve(pw_csv_reader *r, size_t extra)
{
    if (r->data_len + extra <= r->data_cap)
        return 0;
    size_t cap = r->data_cap ? r->data_cap : 256;
    while (cap < r->data_len + extra)
        cap *= 2; /* bounded: a record is at most len + PW_CSV_MAX_FIELDS bytes */
    char *p = realloc(r->data, cap);
    if (!p)
        return -1;
    r->data = p;
    r->data_cap = cap;
    return 0;
}

/* Make room for field number `index` (0-based) in the per-field arrays. */
static int pw_csv_reader_reserve_fields(pw_csv_reader *r, size_t index)
{
    if (index < r->fields_cap)
        return 0;
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
    if (cap > PW_CSV_MAX_FIELDS)
        cap = PW_CSV_MAX_FIELDS;
    size_t *offs = realloc(r->offs, cap * sizeof *offs);
    if (!offs)
        return -1;
    r->offs = offs;
    size_t *lens = realloc(r->lens, cap * sizeof *lens);
    if (!lens)
        return -1;
    r->lens = lens;
    size_t *lines = realloc(r->lines, cap * sizeof *lines);
    if (!lines)
        return -1;
    r->lines = lines;
    const char **ptrs = realloc(r->ptrs, cap * sizeof *ptrs);
    if (!ptrs)
        return -1;
    r->ptrs = ptrs;
    r->fields_cap = cap;
    return 0;
}

/*
 * Copy the content byte (or UTF-8 sequence) at r->pos into the current field.
 * `start` is the field's offset in data.  0, or -1 after recording the error.
 */
static int pw_csv_reader_take(pw_csv_reader *r, size_t start, size_t column)
{
    const unsigned char c = (unsigned char)r->buf[r->pos];
    size_t n = 1;
    if (c == 0)
        return pw_csv_reader_fail(r, r->line, column, "NUL byte");
    if (c >= 0x80) {
        int len = pw_utf8_decode(r->buf + r->pos, r->len - r->pos, NULL);
        if (len < 0)
            return pw_csv_reader_fail(r, r->line, column, "invalid UTF-8");
        n = (size_t)len;
    }
    if (r->data_len - start + n > PW_CSV_MAX_FIELD_BYTES)
        return pw_csv_reader_fail(r, r->line, column, "field longer than 1048576 bytes");
    if (pw_csv_reader_reserve(r, n) != 0)
        return pw_csv_reader_fail(r, r->line, column, "out of memory");
    memcpy(r->data + r->data_len, r->buf + r->pos, n);
    r->data_len += n;
    if (c == '\n')
        r->line++;
    r->pos += n;
    return 0;
}

/* Is there a line end (LF or CRLF) at pos?  Returns its length, else 0. */
static size_t pw_csv_reader_eol(const pw_csv_reader *r, size_t pos)
{
    if (pos < r->len && r->buf[pos] == '\n')
        return 1;
    if (pos + 1 < r->len && r->buf[pos] == '\r' && r->buf[pos + 1] == '\n')
        return 2;
    return 0;
}

/* At the start of a record: only line ends from here to the end? */
static int pw_csv_reader_only_blank_lines_left(pw_csv_reader *r)
{
    if (r->pos < r->blank_until)
        return 0;
    size_t p = r->pos, n;
    while ((n = pw_csv_reader_eol(r, p)) != 0)
        p += n;
    if (p == r->len)
        return 1;
    r->blank_until = p;
    return 0;
}

/* Read one field at r->pos into data; column is its 1-based index. */
static int pw_csv_reader_field(pw_csv_reader *r, size_t start, size_t column)
{
    if (r->pos < r->len && r->buf[r->pos] == '"') {
        const size_t quote_line = r->line;
        r->pos++;
        for (;;) {
            if (r->pos >= r->len)
                return pw_csv_reader_fail(r, quote_line, column, "unterminated quoted field");
            if (r->buf[r->pos] == '"') {
                if (r->pos + 1 < r->len && r->buf[r->pos + 1] == '"') {
                    r->pos++; /* keep the second quote */
                } else {
                    r->pos++;
                    break;
                }
            }
            if (pw_csv_reader_take(r, start, column) != 0)
                return -1;
        }
        if (r->pos < r->len && r->buf[r->pos] != r->sep && pw_csv_reader_eol(r, r->pos) == 0) {
            if (r->buf[r->pos] == '\r')
                return pw_csv_reader_fail(r, r->line, column,
                                          "carriage return not followed by line feed");
            return pw_csv_reader_fail(r, r->line, column,
                                      "unexpected character after closing quote");
        }
        return 0;
    }
    while (r->pos < r->len) {
        const char c = r->buf[r->pos];
        if (c == r->sep || c == '\n')
            break;
        if (c == '\r') {
            if (pw_csv_reader_eol(r, r->pos) != 0)
                break;
            return pw_csv_reader_fail(r, r->line, column,
                                      "carriage return not followed by line feed");
        }
        if (c == '"')
            return pw_csv_reader_fail(r, r->line, column, "quote in unquoted field");
        if (pw_csv_reader_take(r, start, column) != 0)
            return -1;
    }
    return 0;
}

int pw_csv_reader_next(pw_csv_reader *r, pw_csv_record *rec)
{
    if (r->state != 0)
        return r->state > 0 ? 0 : -1;
    if (r->pos >= r->len) {
        r->state = 1;
        return 0;
    }
    if (pw_csv_reader_eol(r, r->pos) != 0 && pw_csv_reader_only_blank_lines_left(r)) {
        r->pos = r->len;
        r->state = 1;
        return 0;
    }
    const size_t rec_line = r->line;
    size_t nfields = 0;
    r->data_len = 0;
    for (;;) {
        if (nfields == PW_CSV_MAX_FIELDS)
            return pw_csv_reader_fail(r, r->line, nfields + 1, "more than 1024 fields");
        if (pw_csv_reader_reserve_fields(r, nfields) != 0)
            return pw_csv_reader_fail(r, r->line, nfields + 1, "out of memory");
        const size_t start = r->data_len;
        r->lines[nfields] = r->line;
        if (pw_csv_reader_field(r, start, nfields + 1) != 0)
            return -1;
        if (pw_csv_reader_reserve(r, 1) != 0)
            return pw_csv_reader_fail(r, r->line, nfields + 1, "out of memory");
        r->data[r->data_len++] = '\0';
        r->offs[nfields] = start;
        r->lens[nfields] = r->data_len - 1 - start;
        nfields++;
        if (r->pos < r->len && r->buf[r->pos] == r->sep) {
            r->pos++;
            continue;
        }
        size_t eol = pw_csv_reader_eol(r, r->pos);
        r->pos += eol;
        if (eol)
            r->line++;
        break; /* line end or end of input */
    }
    for (size_t i = 0; i < nfields; i++)
        r->ptrs[i] = r->data + r->offs[i];
    rec->nfields = nfields;
    rec->fields = r->ptrs;
    rec->lens = r->lens;
    rec->field_lines = r->lines;
    rec->line = rec_line;
    return 1;
}

const char *pw_csv_reader_error(const pw_csv_reader *r)
{
    return r->state < 0 ? r->err : "";
}

size_t pw_csv_reader_error_line(const pw_csv_reader *r)
{
    return r->state < 0 ? r->err_line : 0;
}

size_t pw_csv_reader_error_column(const pw_csv_reader *r)
{
    return r->state < 0 ? r->err_column : 0;
}

int pw_csv_record_is_blank(const pw_csv_record *rec)
{
    return rec && rec->nfields == 1 && rec->lens[0] == 0;
}

#define PW_CSV_EXCERPT_CHARS 40

int pw_csv_header_check(const pw_csv_record *rec, const char *const *expected, size_t n, char *err,
                        size_t errlen)
{
    char found[4 * PW_CSV_EXCERPT_CHARS + 8];
    size_t have = rec ? rec->nfields : 0;
    for (size_t i = 0; i < n || i < have; i++) {
        if (i >= have) {
            if (err && errlen)
                snprintf(err, errlen, "header: missing column %zu '%s'", i + 1, expected[i]);
            return -1;
        }
        pw_text_excerpt(found, sizeof found, rec->fields[i], rec->lens[i], PW_CSV_EXCERPT_CHARS);
        if (i >= n) {
            if (err && errlen)
                snprintf(err, errlen, "header: unexpected column %zu '%s'", i + 1, found);
            return -1;
        }
        size_t elen = strlen(expected[i]);
        if (elen != rec->lens[i] || memcmp(expected[i], rec->fields[i], elen) != 0) {
            if (err && errlen)
                snprintf(err, errlen, "header: expected column %zu '%s', found '%s'", i + 1,
                         expected[i], found);
            return -1;
        }
    }
    return 0;
}

int pw_csv_record_check_fields(const pw_csv_record *rec, size_t expected, char *err, size_t errlen)
{
    if (rec && rec->nfields == expected)
        return 0;
    if (err && errlen)
        snprintf(err, errlen, "line %zu: expected %zu field%s, found %zu", rec ? rec->line : 0,
                 expected, expected == 1 ? "" : "s", rec ? rec->nfields : 0);
    return -1;
}

void pw_csv_field_error(const pw_csv_record *rec, size_t column, char *err, size_t errlen,
                        const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    if (!err || errlen == 0)
        return;
    size_t line = rec ? rec->line : 0;
    if (rec && column >= 1 && column <= rec->nfields)
        line = rec->field_lines[column - 1];
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "line %zu, column %zu: %s", line, column, reason);
}

/* ---- writer ------------------------------------------------------------- */

static int pw_csv_writer_put(pw_csv_writer *w, const char *s, size_t n)
{
    if (w->failed)
        return -1;
    if (n == 0)
        return 0;
    int rv;
    if (w->sb)
        rv = pw_strbuf_append(w->sb, s, n);
    else
        rv = fwrite(s, 1, n, w->fp) == n ? 0 : -1;
    if (rv != 0)
        w->failed = 1;
    return rv;
}

static int pw_csv_writer_start(pw_csv_writer *w, pw_strbuf *sb, FILE *fp, unsigned flags)
{
    memset(w, 0, sizeof *w);
    w->sb = sb;
    w->fp = fp;
    w->flags = flags;
    w->at_start = 1;
    if (!sb && !fp) {
        w->failed = 1;
        return -1;
    }
    if (flags & PW_CSV_WRITE_BOM)
        return pw_csv_writer_put(w, "\xEF\xBB\xBF", 3);
    return 0;
}

int pw_csv_writer_init_strbuf(pw_csv_writer *w, pw_strbuf *sb, unsigned flags)
{
    return pw_csv_writer_start(w, sb, NULL, flags);
}

int pw_csv_writer_init_file(pw_csv_writer *w, FILE *fp, unsigned flags)
{
    return pw_csv_writer_start(w, NULL, fp, flags);
}

static int pw_csv_needs_quotes(const pw_csv_writer *w, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return 1;
    /* a leading BOM in the first field would be skipped by the reader */
    if (w->at_start && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

int pw_csv_write_field(pw_csv_writer *w, const char *s, size_t len)
{
    if (w->failed)
        return -1;
    if ((!s && len > 0) || len > PW_CSV_MAX_FIELD_BYTES || w->nfields >= PW_CSV_MAX_FIELDS) {
        w->failed = 1;
        return -1;
    }
    if (w->nfields > 0 && pw_csv_writer_put(w, ",", 1) != 0)
        return -1;
    if (!pw_csv_needs_quotes(w, s, len)) {
        if (pw_csv_writer_put(w, s, len) != 0)
            return -1;
    } else {
        if (pw_csv_writer_put(w, "\"", 1) != 0)
            return -1;
        size_t from = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] != '"')
                continue;
            /* write up to and including the quote, then the quote again */
            if (pw_csv_writer_put(w, s + from, i + 1 - from) != 0 ||
                pw_csv_writer_put(w, "\"", 1) != 0)
                return -1;
            from = i + 1;
        }
        if (pw_csv_writer_put(w, s + from, len - from) != 0 || pw_csv_writer_put(w, "\"", 1) != 0)
            return -1;
    }
    w->nfields++;
    w->last_empty = len == 0;
    w->at_start = 0;
    return 0;
}

int pw_csv_write_str(pw_csv_writer *w, const char *s)
{
    return pw_csv_write_field(w, s, s ? strlen(s) : 0);
}

int pw_csv_write_fieldf(pw_csv_writer *w, const char *fmt, ...)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rv = pw_strbuf_vappendf(&sb, fmt, ap);
    va_end(ap);
    if (rv != 0) {
        w->failed = 1;
        rv = -1;
    } else {
        rv = pw_csv_write_field(w, pw_strbuf_cstr(&sb), sb.len);
    }
    pw_strbuf_free(&sb);
    return rv;
}

int pw_csv_end_record(pw_csv_writer *w)
{
    if (w->failed)
        return -1;
    if (w->nfields == 0) {
        w->failed = 1;
        return -1;
    }
    if (w->nfields == 1 && w->last_empty && pw_csv_writer_put(w, "\"\"", 2) != 0)
        return -1;
    const char *eol = (w->flags & PW_CSV_WRITE_LF) ? "\n" : "\r\n";
    if (pw_csv_writer_put(w, eol, strlen(eol)) != 0)
        return -1;
    w->nfields = 0;
    w->last_empty = 0;
    return 0;
}

int pw_csv_write_record(pw_csv_writer *w, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (pw_csv_write_str(w, fields[i]) != 0)
            return -1;
    return pw_csv_end_record(w);
}

int pw_csv_writer_failed(const pw_csv_writer *w)
{
    return w->failed;
}
