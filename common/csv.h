/*
 * csv.h - RFC 4180 CSV: a reader over an in-memory buffer and a writer.
 *
 * Files travel as bytes inside RPC messages, so the reader works on a buffer
 * (it does not need a NUL at the end and never reads past len).  What it accepts:
 * - an optional UTF-8 byte order mark at the very start (skipped);
 * - fields separated by ',', records ended by LF or CRLF; the last record may
 *   lack its line end; empty lines at the end of the input are not records (an
 *   empty line elsewhere is a record with one empty field, see
 *   pw_csv_record_is_blank);
 * - quoted fields ("...") holding commas, doubled quotes ("") and line ends,
 *   kept byte for byte (a CRLF inside quotes stays CRLF).
 * What it rejects, with "line L, column C: <reason>" (L = 1-based physical line
 * where the problem is, C = 1-based field index):
 *   "invalid UTF-8", "NUL byte", "unterminated quoted field" (at the opening
 *   quote), "quote in unquoted field", "unexpected character after closing
 *   quote", "carriage return not followed by line feed",
 *   "more than 1024 fields", "field longer than 1048576 bytes", "out of memory".
 * Memory: the reader holds one record at a time; its buffers never exceed the
 * bytes of that record plus one NUL per field, and at most 1024 fields.
 *
 * The writer quotes a field only when needed and writes CRLF line ends (RFC 4180)
 * unless asked for LF; it can start with a BOM (SPEC 4.3: CSV written for people).
 *
 * Neither reader nor writer is thread-safe; use one per thread.
 */
#ifndef PW_COMMON_CSV_H
#define PW_COMMON_CSV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "common/strbuf.h"

#define PW_CSV_MAX_FIELDS 1024
#define PW_CSV_MAX_FIELD_BYTES (1024 * 1024)

/* ---- reader ------------------------------------------------------------- */

/*
 * One record.  Everything it points to is owned by the reader and stays valid
 * until the next pw_csv_reader_next or pw_csv_reader_fini on that reader.
 */
typedef struct pw_csv_record {
    size_t nfields;            /* >= 1 */
    const char *const *fields; /* NUL-terminated copies, unquoted and unescaped */
    const size_t *lens;        /* byte length of each field (no NULs inside) */
    const size_t *field_lines; /* physical line on which each field starts */
    size_t line;               /* physical line on which the record starts, 1-based */
} pw_csv_record;

/* Private state: use the functions below. */
typedef struct pw_csv_reader {
    const char *buf;
    size_t len;
    size_t pos;
    size_t line;        /* current physical line, 1-based */
    size_t blank_until; /* blank lines before this offset are not trailing */
    int state;          /* 0 reading, 1 at end, -1 failed */
    char sep;           /* field separator: ',' (or '\t', see pw_csv_reader_init_sep) */
    char *data;         /* field bytes of the current record, each NUL-terminated */
    size_t data_len, data_cap;
    size_t *offs, *lens, *lines; /* per field: offset in data, length, line */
    const char **ptrs;
    size_t fields_cap;
    size_t err_line, err_column;
    char err[128];
} pw_csv_reader;

/*
 * Start reading buf[0..len).  The buffer is borrowed: it must stay unchanged
 * until pw_csv_reader_fini.  Allocates nothing, cannot fail.  buf may be NULL
 * when len == 0.
 */
void pw_csv_reader_init(pw_csv_reader *r, const char *buf, size_t len);

/*
 * pw_csv_reader_init with another field separator: '\t' for the tab-separated
 * text spreadsheet programs save as "Unicode text".  Same quoting rules.
 */
void pw_csv_reader_init_sep(pw_csv_reader *r, const char *buf, size_t len, char sep);

/* Free what the reader allocated; records it returned become invalid. */
void pw_csv_reader_fini(pw_csv_reader *r);

/*
 * Read the next record.  Returns 1 and fills *rec; 0 at the end of the input
 * (rec untouched); -1 on an error (rec untouched; the message is in
 * pw_csv_reader_error).  After 0 or -1, every further call returns the same.
 */
int pw_csv_reader_next(pw_csv_reader *r, pw_csv_record *rec);

/*
 * The last error as "line 4, column 3: invalid UTF-8", or "" when there was none.
 * Owned by the reader, valid until pw_csv_reader_fini.
 */
const char *pw_csv_reader_error(const pw_csv_reader *r);

/* Line and column (both 1-based) of the last error; 0 when there was none. */
size_t pw_csv_reader_error_line(const pw_csv_reader *r);
size_t pw_csv_reader_error_column(const pw_csv_reader *r);

/* 1 when rec is an empty line (one empty field), else 0. */
int pw_csv_record_is_blank(const pw_csv_record *rec);

/*
 * Check a header record against the expected column names (exact bytes, in
 * order, same count).  Returns 0, or -1 with the first difference in err:
 *   "header: expected column 3 'level2', found 'lvl2'"
 *   "header: missing column 9 'coop_units'"
 *   "header: unexpected column 10 'extra'"
 * (found names are quoted printable and shortened).
 */
int pw_csv_header_check(const pw_csv_record *rec, const char *const *expected, size_t n, char *err,
                        size_t errlen);

/*
 * Check that rec has exactly `expected` fields.  Returns 0, or -1 with
 * "line 7: expected 9 fields, found 8" in err.
 */
int pw_csv_record_check_fields(const pw_csv_record *rec, size_t expected, char *err, size_t errlen);

/*
 * Format an error about field `column` (1-based) of rec as
 * "line L, column C: <printf message>", L being the line on which that field
 * starts (the record's line when column is out of range).  For callers that
 * validate values: "line 4, column 6: unknown kind 'rate'".
 */
void pw_csv_field_error(const pw_csv_record *rec, size_t column, char *err, size_t errlen,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- writer ------------------------------------------------------------- */

enum {
    PW_CSV_WRITE_BOM = 1 << 0, /* start the output with a UTF-8 BOM */
    PW_CSV_WRITE_LF = 1 << 1,  /* end records with LF instead of CRLF */
};

/* Private state: use the functions below. */
typedef struct pw_csv_writer {
    pw_strbuf *sb;
    FILE *fp;
    unsigned flags;
    size_t nfields; /* fields written in the current record */
    int last_empty; /* the last field written was empty */
    int at_start;   /* nothing but the optional BOM written yet */
    int failed;
} pw_csv_writer;

/*
 * Write CSV by appending to sb (not cleared first; the writer does not own it).
 * flags: PW_CSV_WRITE_*.  The BOM, if asked for, is written now.  Returns 0, or
 * -1 when the BOM cannot be written (out of memory).
 */
int pw_csv_writer_init_strbuf(pw_csv_writer *w, pw_strbuf *sb, unsigned flags);

/*
 * Write CSV to fp (not closed by the writer).  Same contract; -1 on a write
 * error.
 */
int pw_csv_writer_init_file(pw_csv_writer *w, FILE *fp, unsigned flags);

/*
 * Write one field of s[0..len) (s may be NULL when len == 0), quoted when it
 * contains ',', '"', CR or LF, starts or ends with a space or tab, or is the very
 * first field and starts with a BOM; embedded quotes are doubled.  Bytes are
 * written as given (callers hand valid UTF-8).  Returns 0, or -1 on a write or
 * memory error, on more than PW_CSV_MAX_FIELDS fields in a record or a field
 * longer than PW_CSV_MAX_FIELD_BYTES (what the reader would refuse).  After any
 * -1 the writer stays failed and every call returns -1.
 */
int pw_csv_write_field(pw_csv_writer *w, const char *s, size_t len);

/* pw_csv_write_field for a NUL-terminated string (NULL writes an empty field). */
int pw_csv_write_str(pw_csv_writer *w, const char *s);

/* pw_csv_write_field with printf-style formatting ("%.2f"). */
int pw_csv_write_fieldf(pw_csv_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * End the current record with CRLF (LF with PW_CSV_WRITE_LF).  A record made of
 * one empty field is written as "" so that it does not read back as an empty
 * line.  Returns 0, or -1 on a write error or when the record has no field.
 */
int pw_csv_end_record(pw_csv_writer *w);

/* Write n fields (NUL-terminated strings) and end the record.  0 or -1. */
int pw_csv_write_record(pw_csv_writer *w, const char *const *fields, size_t n);

/* 1 once any call on w has failed, else 0. */
int pw_csv_writer_failed(const pw_csv_writer *w);

#endif
