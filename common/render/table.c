/*
 * table.c - column widths are display widths (common/text.h); cells are
 * left-aligned and separated by two spaces; no trailing blanks.  With a
 * width set (pw_table_set_width), the widest columns give way until a row
 * fits, and cells cut with "…": a row is never wrapped by the terminal.
 */
#include "common/render/table.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

struct pw_table {
    int ncols;
    char **headers;
    char ***rows;
    size_t nrows, cap;
};

static int pw_table_width; /* 0: no limit; set once at start-up */

void pw_table_set_width(int columns)
{
    pw_table_width = columns > 0 ? columns : 0;
}

int pw_table_get_width(void)
{
    return pw_table_width;
}

/* A cell as the terminal will get it (issue 10 item 9): a server's text is
 * not trusted, so control characters (ESC, CSI, BEL, CR... see
 * pw_text_is_control) become U+FFFD, TAB and LF a space (a cell is one
 * line), bytes that are not UTF-8 U+FFFD.  NULL is "-". */
static char *pw_table_dup(const char *s)
{
    if (!s)
        s = "-";
    size_t n = strlen(s);
    char *d = malloc(3 * n + 1); /* a byte grows to at most 3 (U+FFFD) */
    if (!d)
        abort();
    size_t i = 0, o = 0;
    while (i < n) {
        uint32_t cp;
        int len = pw_utf8_decode(s + i, n - i, &cp);
        if (len < 0) {
            memcpy(d + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        if (cp == '\t' || cp == '\n') {
            d[o++] = ' ';
        } else if (pw_text_is_control(cp)) {
            memcpy(d + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(d + o, s + i, (size_t)len);
            o += (size_t)len;
        }
        i += (size_t)len;
    }
    d[o] = '\0';
    return d;
}

pw_table *pw_table_new(int ncols, const char *const *headers)
{
    pw_table *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->ncols = ncols;
    t->headers = calloc((size_t)ncols, sizeof *t->headers);
    if (!t->headers)
        abort();
    for (int i = 0; i < ncols; i++)
        t->headers[i] = pw_table_dup(headers[i]);
    return t;
}

void pw_table_row(pw_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
        if (!t->rows)
            abort();
    }
    char **row = calloc((size_t)t->ncols, sizeof *row);
    if (!row)
        abort();
    for (int i = 0; i < t->ncols; i++)
        row[i] = pw_table_dup(cells[i]);
    t->rows[t->nrows++] = row;
}

void pw_table_add(pw_table *t, ...)
{
    const char *cells[64];
    va_list ap;
    va_start(ap, t);
    for (int i = 0; i < t->ncols && i < 64; i++)
        cells[i] = va_arg(ap, const char *);
    va_end(ap);
    pw_table_row(t, cells);
}

/* Write the longest prefix of s that fits `width` display columns, ending
 * in "…" when s is cut; returns the columns written. */
static int pw_table_cell(const char *s, int width, FILE *f)
{
    int w = pw_text_display_width(s);
    if (w <= width) {
        fputs(s, f);
        return w;
    }
    size_t n = strlen(s), i = 0;
    int used = 0;
    while (i < n) {
        uint32_t cp;
        int len = pw_utf8_decode(s + i, n - i, &cp);
        if (len <= 0)
            len = 1, cp = '?';
        int cw = pw_text_codepoint_width(cp);
        if (used + cw > width - 1)
            break;
        fwrite(s + i, 1, (size_t)len, f);
        used += cw;
        i += (size_t)len;
    }
    if (width >= 1) {
        fputs("…", f);
        used++;
    }
    return used;
}

static void pw_table_line(const pw_table *t, char *const *cells, const int *widths, FILE *f)
{
    for (int i = 0; i < t->ncols; i++) {
        int used = pw_table_cell(cells[i], widths[i], f);
        if (i + 1 < t->ncols) {
            int pad = widths[i] - used + 2;
            for (int k = 0; k < pad; k++)
                fputc(' ', f);
        }
    }
    fputc('\n', f);
}

void pw_table_print(const pw_table *t, FILE *f)
{
    int *w = calloc((size_t)t->ncols, sizeof *w);
    if (!w)
        abort();
    for (int i = 0; i < t->ncols; i++) {
        w[i] = pw_text_display_width(t->headers[i]);
        for (size_t r = 0; r < t->nrows; r++) {
            int cw = pw_text_display_width(t->rows[r][i]);
            if (cw > w[i])
                w[i] = cw;
        }
    }
    /* too wide: the widest column gives a column at a time, none below 4
     * (or its own width when smaller) */
    if (pw_table_width > 0) {
        int total = 2 * (t->ncols - 1);
        for (int i = 0; i < t->ncols; i++)
            total += w[i];
        while (total > pw_table_width) {
            int widest = -1;
            for (int i = 0; i < t->ncols; i++)
                if (w[i] > 4 && (widest < 0 || w[i] > w[widest]))
                    widest = i;
            if (widest < 0)
                break;
            w[widest]--;
            total--;
        }
    }
    pw_table_line(t, t->headers, w, f);
    for (size_t r = 0; r < t->nrows; r++)
        pw_table_line(t, t->rows[r], w, f);
    free(w);
}

void pw_table_print_line(const char *line, FILE *f)
{
    if (pw_table_width > 0)
        pw_table_cell(line, pw_table_width, f);
    else
        fputs(line, f);
    fputc('\n', f);
}

void pw_table_free(pw_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (int i = 0; i < t->ncols; i++)
            free(t->rows[r][i]);
        free(t->rows[r]);
    }
    for (int i = 0; i < t->ncols; i++)
        free(t->headers[i]);
    free(t->headers);
    free(t->rows);
    free(t);
}
