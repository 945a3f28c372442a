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
#include <sys/ioctl.h>
#include <unistd.h>

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

/* The character at s + i (n bytes in all): its length in bytes, with its
 * code point in *cp; a byte that is not UTF-8 is one character '?'. */
static int pw_table_char(const char *s, size_t n, size_t i, uint32_t *cp)
{
    int len = pw_utf8_decode(s + i, n - i, cp);
    if (len <= 0)
        len = 1, *cp = '?';
    return len;
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
            o += pw_utf8_put_replacement(d + o);
            i++;
            continue;
        }
        if (cp == '\t' || cp == '\n') {
            d[o++] = ' ';
        } else if (pw_text_is_control(cp)) {
            o += pw_utf8_put_replacement(d + o);
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
        int len = pw_table_char(s, n, i, &cp);
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

/* Bytes of the first line of `s` that fit in `avail` display columns: at
 * the last space that fits when there is one in the second half of the
 * line, else at the last character that fits (CJK text has no spaces).
 * *skip: bytes to drop after the line (the space it broke at). */
static size_t pw_table_fit(const char *s, int avail, size_t *skip)
{
    size_t n = strlen(s), i = 0, last_space = 0;
    int w = 0, w_at_space = 0;
    *skip = 0;
    while (i < n) {
        uint32_t cp;
        int len = pw_table_char(s, n, i, &cp);
        int cw = pw_text_codepoint_width(cp);
        if (cw < 0)
            cw = 0;
        if (w + cw > avail)
            break;
        if (cp == ' ')
            last_space = i, w_at_space = w;
        w += cw;
        i += (size_t)len;
    }
    if (i >= n)
        return n;
    if (i == 0) { /* one character wider than avail: take it anyway */
        uint32_t cp;
        int len = pw_utf8_decode(s, n, &cp);
        return len > 0 ? (size_t)len : 1;
    }
    if (last_space > 0 && w_at_space * 2 >= avail) {
        *skip = 1;
        return last_space;
    }
    return i;
}

/* The last column's cell folded into lines of `avail` columns, each
 * continuation indented by `indent` spaces so that it stays in its column. */
static void pw_table_last_wrapped(const char *cell, int avail, int indent, FILE *f)
{
    const char *s = cell;
    int first = 1;
    while (first || *s) {
        size_t skip, n = pw_table_fit(s, avail, &skip);
        if (!first)
            fprintf(f, "\n%*s", indent, "");
        fwrite(s, 1, n, f);
        s += n + skip;
        first = 0;
    }
    fputc('\n', f);
}

/* The width of the terminal `f` is, 0 when it is none (a pipe, a file). */
/* The width tables and messages fit: the one set at start-up
 * (pw_table_set_width), else the terminal's when `f` is one, else 0. */
static int pw_table_terminal_width(FILE *f)
{
    if (pw_table_width > 0)
        return pw_table_width;
    int fd = fileno(f);
    if (fd < 0 || !isatty(fd))
        return 0;
    const char *env = getenv("COLUMNS");
    if (env && atoi(env) > 0)
        return atoi(env);
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

void pw_text_print_folded_width(FILE *f, const char *text, int indent, int width)
{
    int w = pw_text_display_width(text);
    if (width <= 0 || w <= width || width - indent < PW_TABLE_MIN_WRAP) {
        fprintf(f, "%s\n", text);
        return;
    }
    size_t skip, n = pw_table_fit(text, width, &skip);
    fwrite(text, 1, n, f);
    const char *rest = text + n + skip;
    if (*rest) {
        fprintf(f, "\n%*s", indent, "");
        pw_table_last_wrapped(rest, width - indent, indent, f);
    } else {
        fputc('\n', f);
    }
}

void pw_text_print_folded(FILE *f, const char *text, int indent)
{
    pw_text_print_folded_width(f, text, indent, pw_table_terminal_width(f));
}

void pw_table_print(const pw_table *t, FILE *f)
{
    pw_table_print_width(t, f, pw_table_terminal_width(f));
}

void pw_table_print_width(const pw_table *t, FILE *f, int width)
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
    /* Too wide for `width`: a long last column (notes, problems) folds
     * within itself; otherwise the widest column gives a column at a time,
     * none below 4 (or its own width when smaller), and cells end in "…". */
    int lead = 0, avail = 0, wrap = 0;
    if (width > 0 && t->ncols > 0) {
        for (int i = 0; i + 1 < t->ncols; i++)
            lead += w[i] + 2;
        avail = width - lead;
        wrap = lead + w[t->ncols - 1] > width && avail >= PW_TABLE_MIN_WRAP;
        int total = lead + w[t->ncols - 1];
        while (!wrap && total > width) {
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
    for (size_t r = 0; r < t->nrows; r++) {
        if (!wrap) {
            pw_table_line(t, t->rows[r], w, f);
            continue;
        }
        for (int i = 0; i + 1 < t->ncols; i++) {
            fputs(t->rows[r][i], f);
            int pad = w[i] - pw_text_display_width(t->rows[r][i]) + 2;
            for (int k = 0; k < pad; k++)
                fputc(' ', f);
        }
        pw_table_last_wrapped(t->rows[r][t->ncols - 1], avail, lead, f);
    }
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
