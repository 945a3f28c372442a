/*
 * import_errors.c - see import_errors.h.
 *
 * Design notes: errors are formatted once, into the call's arena; the
 * first one is kept for the summary.  Violations beyond
 * PW_IMPORT_MAX_VIOLATIONS are only counted, and a last violation says how
 * many were left out, so that a file of garbage cannot blow up the reply.
 */
#include "server/svc/import_errors.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

void pw_import_errors_init(pw_import_errors *e, pw_call *c)
{
    memset(e, 0, sizeof *e);
    e->c = c;
    e->base_violations = c->nviolations;
}

static void pw_import_errors_vadd(pw_import_errors *e, const char *file, size_t line, size_t column,
                                  const char *fmt, va_list ap)
{
    char reason[512], where[256];
    vsnprintf(reason, sizeof reason, fmt, ap);
    if (column)
        snprintf(where, sizeof where, "line %zu, column %zu", line, column);
    else
        snprintf(where, sizeof where, "line %zu", line);
    if (!e->first)
        e->first = pw_arena_printf(e->c->arena, "%s: %s: %s", file, where, reason);
    e->n++;
    if (e->n <= PW_IMPORT_MAX_VIOLATIONS) {
        char field[320];
        snprintf(field, sizeof field, "%s %s", file, where);
        pw_call_violation(e->c, field, "%s", reason);
    }
}

void pw_import_errors_add(pw_import_errors *e, const char *file, size_t line, size_t column,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pw_import_errors_vadd(e, file, line, column, fmt, ap);
    va_end(ap);
}

void pw_import_errors_field(pw_import_errors *e, const char *file, const pw_csv_record *rec,
                            size_t column, const char *fmt, ...)
{
    size_t line = rec->line;
    if (column >= 1 && column <= rec->nfields)
        line = rec->field_lines[column - 1];
    va_list ap;
    va_start(ap, fmt);
    pw_import_errors_vadd(e, file, line, column, fmt, ap);
    va_end(ap);
}

const char *pw_import_quote(pw_call *c, const char *s, size_t n)
{
    char buf[256];
    pw_text_excerpt(buf, sizeof buf, s, n, 40);
    return pw_arena_strdup(c->arena, buf);
}

const char *pw_import_file_label(pw_call *c, const char *given, const char *fallback)
{
    if (!given || !*given)
        return fallback;
    char buf[256];
    pw_text_excerpt(buf, sizeof buf, given, strlen(given), 80);
    return pw_arena_strdup(c->arena, buf);
}

int pw_import_errors_fail(pw_import_errors *e)
{
    pw_call *c = e->c;
    if (e->n == 1) {
        c->nviolations = e->base_violations; /* the message says it all */
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s", e->first);
    }
    if (e->n > PW_IMPORT_MAX_VIOLATIONS)
        pw_call_violation(c, "...", "%d more errors not listed", e->n - PW_IMPORT_MAX_VIOLATIONS);
    return pw_call_fail(c, PW_INVALID_ARGUMENT, "%d errors, nothing imported; first: %s", e->n,
                        e->first);
}

void pw_import_errors_reader(pw_import_errors *e, const char *file, const pw_csv_reader *r)
{
    /* the reader says "line L, column C: reason": keep the reason */
    const char *msg = pw_csv_reader_error(r);
    const char *reason = strstr(msg, ": ");
    pw_import_errors_add(e, file, pw_csv_reader_error_line(r), pw_csv_reader_error_column(r), "%s",
                         reason ? reason + 2 : msg);
}

/* The header record of `file`: 0, or -1 with the error added (a reader
 * error, or an empty file). */
static int import_next_header(pw_import_errors *e, const char *file, pw_csv_reader *r,
                              const char *const *cols, pw_csv_record *rec)
{
    int rc = pw_csv_reader_next(r, rec);
    if (rc < 0) {
        pw_import_errors_reader(e, file, r);
        return -1;
    }
    if (rc == 0) {
        pw_import_errors_add(e, file, 1, 0, "empty file: expected the header '%s,...'", cols[0]);
        return -1;
    }
    return 0;
}

/* `check` (the header record `rec`, or its first ncols fields) against
 * `cols`: 0, or -1 with the error added at the first column of `rec` that
 * differs. */
static int import_header_check(pw_import_errors *e, const char *file, const pw_csv_record *check,
                               const pw_csv_record *rec, const char *const *cols, size_t ncols)
{
    char err[512];
    if (pw_csv_header_check(check, cols, ncols, err, sizeof err) == 0)
        return 0;
    size_t col = 1;
    while (col <= ncols && col <= rec->nfields && strcmp(rec->fields[col - 1], cols[col - 1]) == 0)
        col++;
    pw_import_errors_field(e, file, rec, col, "%s", err);
    return -1;
}

int pw_import_read_header(pw_import_errors *e, const char *file, pw_csv_reader *r,
                          const char *const *cols, size_t ncols)
{
    pw_csv_record rec;
    if (import_next_header(e, file, r, cols, &rec) != 0)
        return -1;
    if (import_header_check(e, file, &rec, &rec, cols, ncols) != 0)
        return -1;
    return 0;
}

int pw_import_read_header_opt(pw_import_errors *e, const char *file, pw_csv_reader *r,
                              const char *const *cols, size_t ncols, const char *const *opt,
                              size_t nopt, size_t *opt_col, size_t *nfields)
{
    pw_csv_record rec;
    if (import_next_header(e, file, r, cols, &rec) != 0)
        return -1;
    pw_csv_record head = rec;
    if (head.nfields > ncols)
        head.nfields = ncols;
    if (import_header_check(e, file, &head, &rec, cols, ncols) != 0)
        return -1;
    for (size_t k = 0; k < nopt; k++)
        opt_col[k] = 0;
    for (size_t i = ncols; i < rec.nfields; i++) {
        size_t k = 0;
        while (k < nopt && strcmp(rec.fields[i], opt[k]) != 0)
            k++;
        if (k == nopt || opt_col[k]) {
            char list[256] = "";
            for (size_t j = 0; j < nopt; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "",
                         opt[j]);
            pw_import_errors_field(e, file, &rec, i + 1,
                                   k == nopt ? "header: unexpected column %zu '%s': the optional "
                                               "columns are %s"
                                             : "header: column %zu '%s' appears twice%.0s",
                                   i + 1, pw_import_quote(e->c, rec.fields[i], rec.lens[i]), list);
            return -1;
        }
        opt_col[k] = i + 1;
    }
    *nfields = rec.nfields;
    return 0;
}

int pw_import_check_fields(pw_import_errors *e, const char *file, const pw_csv_record *rec,
                           size_t ncols)
{
    if (rec->nfields == ncols)
        return 0;
    if (rec->nfields < ncols)
        pw_import_errors_add(e, file, rec->line, rec->nfields + 1,
                             "missing field: expected %zu fields, found %zu", ncols, rec->nfields);
    else
        pw_import_errors_field(e, file, rec, ncols + 1,
                               "unexpected field: expected %zu fields, found %zu", ncols,
                               rec->nfields);
    return -1;
}

int pw_import_check_text(pw_import_errors *e, const char *file, const pw_csv_record *rec,
                         size_t column, const char *what, size_t max, int allow_empty)
{
    const char *s = rec->fields[column - 1];
    size_t n = rec->lens[column - 1];
    if (n == 0 && !allow_empty) {
        pw_import_errors_field(e, file, rec, column, "%s is empty", what);
        return -1;
    }
    if (n > max) {
        pw_import_errors_field(e, file, rec, column, "%s is longer than %zu bytes", what, max);
        return -1;
    }
    char why[160];
    if (pw_text_check(s, n, 0, PW_TEXT_ONE_LINE, why, sizeof why) != 0) {
        pw_import_errors_field(e, file, rec, column, "%s contains a control character (%s)", what,
                               why);
        return -1;
    }
    return 0;
}

int pw_import_parse_number(const char *s, double *out, int *not_finite)
{
    *not_finite = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 64)
        return -1;
    char buf[72];
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        char ch = buf[i];
        if (ch == 'x' || ch == 'X' || ch == 'p' || ch == 'P')
            return -1; /* no hexadecimal floats */
    }
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + n)
        return -1;
    if (!isfinite(v)) {
        *not_finite = 1;
        return -1;
    }
    *out = v;
    return 0;
}
