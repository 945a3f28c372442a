/*
 * import_errors.h - collecting the validation errors of a CSV import (plans,
 * targets, score sheets) so that the caller hears about every bad row at
 * once, not just the first.
 *
 * Every error reads "<file>: line L, column C: <reason>".  While errors are
 * added they also become field violations of the call (field
 * "<file> line L, column C", description <reason>), up to
 * PW_IMPORT_MAX_VIOLATIONS.  pw_import_errors_fail() then sets the reply:
 * one error -> that error as the message (its violation is dropped, it
 * would only repeat it); several -> "N errors, nothing imported; first:
 * <the first error>" plus the violations.
 */
#ifndef PW_SERVER_IMPORT_ERRORS_H
#define PW_SERVER_IMPORT_ERRORS_H

#include <stddef.h>

#include "common/csv.h"
#include "server/rpc/call.h"

#define PW_IMPORT_MAX_VIOLATIONS 100

typedef struct pw_import_errors {
    pw_call *c;
    int n;               /* errors added so far */
    int base_violations; /* c->nviolations when collection started */
    const char *first;   /* the first error, arena copy; NULL when none */
} pw_import_errors;

void pw_import_errors_init(pw_import_errors *e, pw_call *c);

/* An error at (line, column) of `file`; column 0 = the whole line. */
void pw_import_errors_add(pw_import_errors *e, const char *file, size_t line, size_t column,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An error about field `column` (1-based) of rec: the line is where that
 * field starts. */
void pw_import_errors_field(pw_import_errors *e, const char *file, const pw_csv_record *rec,
                            size_t column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The error of a reader whose pw_csv_reader_next returned -1 (invalid
 * UTF-8, bad quoting, ...). */
void pw_import_errors_reader(pw_import_errors *e, const char *file, const pw_csv_reader *r);

/* A printable, shortened arena copy of untrusted bytes, for messages. */
const char *pw_import_quote(pw_call *c, const char *s, size_t n);

/* The name a client gave a file, made printable and short; `fallback` when
 * it gave none. */
const char *pw_import_file_label(pw_call *c, const char *given, const char *fallback);

/* Set the reply from the collected errors and return PW_INVALID_ARGUMENT
 * (call only when e->n > 0). */
int pw_import_errors_fail(pw_import_errors *e);

/*
 * Read the header record of a CSV buffer and check it against `cols`.
 * Returns 0 with the reader positioned on the first data record, or -1
 * after adding the error ("line 1, column 3: header: expected ...", an
 * empty file, or a reader error).
 */
int pw_import_read_header(pw_import_errors *e, const char *file, pw_csv_reader *r,
                          const char *const *cols, size_t ncols);

/*
 * Like pw_import_read_header, but after the `ncols` required columns the
 * header may carry any of the `nopt` optional columns `opt`, each once, in
 * any order (SPEC 3.2: "may carry an optional column").  On 0 writes
 * opt_col[k] = the 1-based column of opt[k] (0 when absent) and *nfields =
 * the number of columns every record must have.
 */
int pw_import_read_header_opt(pw_import_errors *e, const char *file, pw_csv_reader *r,
                              const char *const *cols, size_t ncols, const char *const *opt,
                              size_t nopt, size_t *opt_col, size_t *nfields);

/*
 * Check the field count of a data record: 0, or -1 after adding
 * "line L, column C: missing field ..." / "unexpected field ...".
 */
int pw_import_check_fields(pw_import_errors *e, const char *file, const pw_csv_record *rec,
                           size_t ncols);

/*
 * A one-line text field: not empty (unless allow_empty), at most `max`
 * bytes, no control characters.  0, or -1 after adding the error.
 */
int pw_import_check_text(pw_import_errors *e, const char *file, const pw_csv_record *rec,
                         size_t column, const char *what, size_t max, int allow_empty);

/*
 * Parse a decimal number (surrounding blanks allowed): 0 with *out set;
 * -1 when it is not a number or not finite (nothing added: callers word
 * the error).  Hexadecimal, "inf" and "nan" are not numbers here.
 */
int pw_import_parse_number(const char *s, double *out, int *not_finite);

#endif
