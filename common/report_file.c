/*
 * report_file.c - recognise and read a report file (see report_file.h).
 *
 * Design notes
 * - Both formats end up as rows of cells handed to rf_row(), which finds the
 *   header, maps the columns by name and collects (indicator, value, note).
 *   CSV rows come from pw_csv_reader over UTF-8 (converted with iconv first
 *   when the file is UTF-16 or GB18030), XLSX rows from pw_xlsx_read_first_sheet.
 * - Error cells are collected (up to RF_MAX_ERROR_CELLS named) so that the
 *   clerk can fix them all at once; every other problem stops the reading.
 */
#include "common/report_file.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/strbuf.h"
#include "common/text.h"
#include "common/xlsx_read.h"

#define RF_HEADER_SEARCH_ROWS 10
#define RF_MAX_ERROR_CELLS 5
#define RF_MAX_COLS 1024
#define RF_SAVE_AS "save it as Excel 工作簿 (*.xlsx) or CSV UTF-8 (逗号分隔) (*.csv)"

const char *pw_report_format_name(pw_report_format f)
{
    switch (f) {
    case PW_REPORT_XLSX:
        return "XLSX workbook";
    case PW_REPORT_CSV_UTF8:
        return "CSV (UTF-8)";
    case PW_REPORT_CSV_UTF8_BOM:
        return "CSV (UTF-8 with BOM)";
    case PW_REPORT_CSV_UTF16LE:
        return "CSV (UTF-16 LE)";
    case PW_REPORT_CSV_UTF16BE:
        return "CSV (UTF-16 BE)";
    case PW_REPORT_CSV_GB18030:
        return "CSV (GB18030)";
    }
    return "?";
}

/* ---- columns --------------------------------------------------------------------- */

enum { COL_NONE = 0, COL_ID, COL_NAME, COL_UOM, COL_TARGET, COL_PREVIOUS, COL_VALUE, COL_NOTE };

static const struct {
    const char *name;
    int col;
} rf_headers[] = {
    {"指标编号", COL_ID},     {"indicator_id", COL_ID},   {"指标名称", COL_NAME},
    {"indicator", COL_NAME},  {"计量单位", COL_UOM},      {"unit_of_measure", COL_UOM},
    {"目标", COL_TARGET},     {"目标值", COL_TARGET},     {"target", COL_TARGET},
    {"上月值", COL_PREVIOUS}, {"previous", COL_PREVIOUS}, {"本月值", COL_VALUE},
    {"value", COL_VALUE},     {"说明", COL_NOTE},         {"note", COL_NOTE},
};

/* Length of s without the spaces (ASCII, U+00A0, U+3000) at both ends; *start set. */
static size_t rf_trim(const char *s, const char **start)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[0] == ' ' || s[0] == '\t')) {
            s++, n--;
        } else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
            s += 3, n -= 3;
        } else if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0) {
            s += 2, n -= 2;
        } else if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3, n -= 3;
        } else {
            break;
        }
    }
    *start = s;
    return pw_text_rtrim(s, n, 1);
}

static int rf_header_col(const char *cell)
{
    const char *s;
    size_t n = rf_trim(cell, &s);
    for (size_t i = 0; i < sizeof rf_headers / sizeof rf_headers[0]; i++)
        if (strlen(rf_headers[i].name) == n && memcmp(rf_headers[i].name, s, n) == 0)
            return rf_headers[i].col;
    return COL_NONE;
}

/* ---- rows --------------------------------------------------------------------------- */

typedef struct rf_cell {
    const char *text; /* never NULL */
    int is_error;     /* XLSX error cell */
} rf_cell;

typedef struct rf_state {
    int xlsx;
    int have_header;
    size_t rows_before;                 /* rows seen while looking for the header */
    size_t ncols;                       /* columns of the header, up to its last named one */
    int cols[RF_MAX_COLS];              /* COL_* per column, 0-based */
    size_t col_id, col_value, col_note; /* 0-based; col_note SIZE_MAX when absent */
    pw_report_file *out;
    size_t cap;
    int nerror_cells;
    pw_strbuf error_cells;
    char err[400];
    int failed;
} rf_state;

static int rf_fail(rf_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rf_fail(rf_state *st, const char *fmt, ...)
{
    if (!st->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->err, sizeof st->err, fmt, ap);
        va_end(ap);
        st->failed = 1;
    }
    return -1;
}

/* Where a cell is as the clerk sees it: "cell E12" or "line 7, column 5". */
static void rf_where(const rf_state *st, size_t row, size_t col0, int with_col, char *buf,
                     size_t len)
{
    if (st->xlsx) {
        char name[16];
        pw_xlsx_cell_name((uint32_t)row, (uint32_t)(col0 + 1), name, sizeof name);
        snprintf(buf, len, "cell %s", name);
    } else if (with_col) {
        snprintf(buf, len, "line %zu, column %zu", row, col0 + 1);
    } else {
        snprintf(buf, len, "line %zu", row);
    }
}

static int rf_blank(const char *s)
{
    const char *t;
    return rf_trim(s, &t) == 0;
}

static int rf_header(rf_state *st, const rf_cell *cells, size_t n, size_t row)
{
    int seen[COL_NOTE + 1] = {0};
    size_t last = 0;
    char where[48], ex[80];
    for (size_t c = 0; c < n; c++) {
        if (rf_blank(cells[c].text)) {
            st->cols[c] = COL_NONE;
            continue;
        }
        int col = rf_header_col(cells[c].text);
        rf_where(st, row, c, 1, where, sizeof where);
        pw_text_excerpt(ex, sizeof ex, cells[c].text, strlen(cells[c].text), 30);
        if (col == COL_NONE)
            return rf_fail(st,
                           "header (%s): unexpected column '%s'; the columns are 指标编号, "
                           "指标名称, 计量单位, 目标, 上月值, 本月值, 说明 (or indicator_id, "
                           "indicator, unit_of_measure, target, previous, value, note)",
                           where, ex);
        if (seen[col])
            return rf_fail(st, "header (%s): column '%s' given twice", where, ex);
        seen[col] = 1;
        st->cols[c] = col;
        last = c + 1;
        if (col == COL_ID)
            st->col_id = c;
        else if (col == COL_VALUE)
            st->col_value = c;
        else if (col == COL_NOTE)
            st->col_note = c;
    }
    if (!seen[COL_VALUE]) {
        rf_where(st, row, 0, 0, where, sizeof where);
        return rf_fail(st, "header (%s): no 本月值 (value) column", where);
    }
    st->ncols = last;
    st->have_header = 1;
    return 0;
}

/* An error cell in a column that is read: remembered, reported at the end. */
static void rf_error_cell(rf_state *st, const rf_cell *cells, size_t n, size_t row, size_t c)
{
    char where[48];
    rf_where(st, row, c, 1, where, sizeof where);
    if (st->nerror_cells < RF_MAX_ERROR_CELLS) {
        const char *id =
            st->col_id < n && !cells[st->col_id].is_error ? cells[st->col_id].text : "";
        char ex[80];
        pw_text_excerpt(ex, sizeof ex, id, strlen(id), 20);
        pw_strbuf_appendf(&st->error_cells, "%s%s%s%s%s holds the error %s",
                          st->nerror_cells ? "; " : "", where, ex[0] ? " (indicator " : "", ex,
                          ex[0] ? ")" : "", cells[c].text);
    }
    st->nerror_cells++;
}

static char *rf_trimmed_dup(const char *s)
{
    const char *t;
    size_t n = rf_trim(s, &t);
    return strndup(t, n);
}

/* The list of states that CSV templates before this release wrote into the
 * note column of milestone rows: a clerk who filled in only the value sent
 * it back as the note.  It is not a note. */
static int rf_is_states_hint(const char *note)
{
    const char *s;
    size_t n = rf_trim(note, &s);
    static const char *const hints[] = {"未启动|推进中|已完成", "not_started|in_progress|done"};
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strlen(hints[i]) == n && memcmp(hints[i], s, n) == 0)
            return 1;
    return 0;
}

static int rf_row(rf_state *st, const rf_cell *cells, size_t n, size_t row)
{
    if (st->failed)
        return -1;
    if (!st->have_header) {
        for (size_t c = 0; c < n; c++)
            if (!cells[c].is_error && rf_header_col(cells[c].text) == COL_ID)
                return rf_header(st, cells, n, row);
        if (++st->rows_before >= RF_HEADER_SEARCH_ROWS)
            return rf_fail(
                st,
                "no header row in the first %d rows: expected 指标编号, 指标名称, 计量单位, "
                "目标, 本月值, 说明 (or indicator_id, indicator, unit_of_measure, "
                "target, value, note); start from `planwatch report template`",
                RF_HEADER_SEARCH_ROWS);
        return 0;
    }
    int any = 0;
    for (size_t c = 0; c < n; c++) {
        if (rf_blank(cells[c].text))
            continue;
        any = 1;
        char where[48];
        if (c >= st->ncols || st->cols[c] == COL_NONE) {
            rf_where(st, row, c, 1, where, sizeof where);
            return rf_fail(st, "%s: a value in a column without a header", where);
        }
        if (cells[c].is_error && (c == st->col_id || c == st->col_value ||
                                  (st->col_note != SIZE_MAX && c == st->col_note)))
            rf_error_cell(st, cells, n, row, c);
    }
    if (!any)
        return 0;
    const char *value = st->col_value < n ? cells[st->col_value].text : "";
    const char *id = st->col_id < n ? cells[st->col_id].text : "";
    if (rf_blank(value))
        return 0; /* not reported */
    if (rf_blank(id)) {
        char where[48];
        rf_where(st, row, st->col_id, 1, where, sizeof where);
        return rf_fail(st, "%s: a value without an indicator id (指标编号)", where);
    }
    if (st->out->nrows >= PW_REPORT_MAX_VALUES) {
        char where[48];
        rf_where(st, row, st->col_value, 0, where, sizeof where);
        return rf_fail(st,
                       "%s: more than %d rows with a value; a report has one row per "
                       "indicator of the unit",
                       where, PW_REPORT_MAX_VALUES);
    }
    if (st->out->nrows == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        pw_report_row *r = realloc(st->out->rows, cap * sizeof *r);
        if (!r)
            return rf_fail(st, "out of memory");
        st->out->rows = r;
        st->cap = cap;
    }
    pw_report_row *r = &st->out->rows[st->out->nrows];
    const char *note = st->col_note != SIZE_MAX && st->col_note < n ? cells[st->col_note].text : "";
    if (rf_is_states_hint(note))
        note = "";
    r->indicator = rf_trimmed_dup(id);
    r->value = strdup(value);
    r->note = strdup(note);
    rf_where(st, row, st->col_value, 0, r->where, sizeof r->where);
    if (!r->indicator || !r->value || !r->note) {
        free(r->indicator);
        free(r->value);
        free(r->note);
        return rf_fail(st, "out of memory");
    }
    st->out->nrows++;
    return 0;
}

static int rf_finish(rf_state *st)
{
    if (st->failed)
        return -1;
    if (!st->have_header)
        return rf_fail(st,
                       "no header row: expected 指标编号, 指标名称, 计量单位, 目标, 本月值, 说明 "
                       "(or indicator_id, indicator, unit_of_measure, target, value, note); "
                       "start from `planwatch report template`");
    if (st->nerror_cells)
        return rf_fail(st, "%s%s: type the value or correct the formula, then save again",
                       pw_strbuf_cstr(&st->error_cells),
                       st->nerror_cells > RF_MAX_ERROR_CELLS ? " (and more)" : "");
    return 0;
}

/* ---- XLSX ---------------------------------------------------------------------------- */

/* The stored number as a plain decimal of at most 15 significant digits. */
static void rf_plain_number(const char *raw, char *buf, size_t len)
{
    char *end;
    errno = 0;
    double d = strtod(raw, &end);
    if (*end || end == raw || !isfinite(d)) {
        snprintf(buf, len, "%s", raw);
        return;
    }
    if (d == 0)
        d = 0; /* no "-0" */
    snprintf(buf, len, "%.15g", d);
    char *e = strchr(buf, 'e');
    if (!e)
        return;
    int exp10 = atoi(e + 1);
    if (exp10 > 20 || exp10 < -20)
        return; /* 1e+308, 4.9e-324: no 340-digit decimal; the server refuses them */
    int decimals = exp10 < 14 ? 14 - exp10 : 0;
    if (decimals > 340)
        decimals = 340;
    snprintf(buf, len, "%.*f", decimals, d);
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (n && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
}

static int rf_read_xlsx(rf_state *st, const void *buf, size_t len)
{
    pw_xlsx_sheet sh;
    char err[320];
    if (pw_xlsx_read_first_sheet(buf, len, NULL, &sh, err, sizeof err) != 0)
        return rf_fail(st, "XLSX workbook: %s", err);
    rf_cell *cells = NULL;
    char(*nums)[400] = NULL;
    size_t i = 0;
    int rc = 0;
    while (rc == 0 && i < sh.ncells) {
        uint32_t row = sh.cells[i].row;
        size_t j = i, width = 0;
        while (j < sh.ncells && sh.cells[j].row == row) {
            if (sh.cells[j].col > width)
                width = sh.cells[j].col;
            j++;
        }
        free(cells);
        free(nums);
        cells = calloc(width, sizeof *cells);
        nums = calloc(width, sizeof *nums);
        if (!cells || !nums) {
            rc = rf_fail(st, "out of memory");
            break;
        }
        for (size_t c = 0; c < width; c++)
            cells[c].text = "";
        for (size_t k = i; k < j; k++) {
            const pw_xlsx_cell *x = &sh.cells[k];
            size_t c = x->col - 1;
            if (x->type == PW_XLSX_NUMBER && x->percent) {
                /* typed "35.72%", stored 0.3572: passed on as the clerk sees it,
                 * so the server takes it as 35.72 on a % indicator (and refuses
                 * a % sign elsewhere) */
                char hundred[64];
                double d = strtod(x->text, NULL);
                snprintf(hundred, sizeof hundred, "%.15g", d * 100);
                rf_plain_number(hundred, nums[c], sizeof nums[c] - 1);
                strcat(nums[c], "%");
                cells[c].text = nums[c];
            } else if (x->type == PW_XLSX_NUMBER) {
                rf_plain_number(x->text, nums[c], sizeof nums[c]);
                cells[c].text = nums[c];
            } else {
                cells[c].text = x->text;
            }
            cells[c].is_error = x->type == PW_XLSX_ERROR;
        }
        rc = rf_row(st, cells, width, row);
        i = j;
    }
    free(cells);
    free(nums);
    if (rc == 0)
        rc = rf_finish(st);
    if (rc != 0 && !st->have_header) { /* perhaps the report is not the first sheet */
        char msg[sizeof st->err];
        snprintf(msg, sizeof msg, "%s", st->err);
        int n = snprintf(st->err, sizeof st->err, "first sheet '%.60s': ", sh.name);
        if (n > 0 && (size_t)n < sizeof st->err)
            memcpy(st->err + n, msg, strnlen(msg, sizeof st->err - (size_t)n - 1) + 1);
        st->err[sizeof st->err - 1] = '\0';
    }
    pw_xlsx_sheet_free(&sh);
    return rc;
}

/* ---- text ----------------------------------------------------------------------------- */

/* Convert with iconv to UTF-8; -1 with the offset of the first bad byte. */
static int rf_iconv(const char *from, const char *in, size_t inlen, char **out, size_t *outlen,
                    size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *bad = 0;
        return -1;
    }
    size_t cap = inlen * 2 + 16;
    char *o = malloc(cap);
    if (!o) {
        iconv_close(cd);
        *bad = 0;
        return -1;
    }
    char *ip = (char *)in, *op = o;
    size_t il = inlen, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1) {
        *bad = (size_t)(ip - in);
        free(o);
        return -1;
    }
    *op = '\0';
    *out = o;
    *outlen = (size_t)(op - o);
    return 0;
}

/* Line (1-based) of byte offset off: LFs before it (UTF-16: the unit 0x000A). */
static size_t rf_line_of(const char *s, size_t off, size_t unit)
{
    size_t line = 1;
    for (size_t i = 0; i + unit <= off; i += unit)
        if (unit == 1 ? s[i] == '\n'
                      : (s[i] == '\n' && s[i + 1] == 0) || (s[i] == 0 && s[i + 1] == '\n'))
            line++;
    return line;
}

/* Tab-separated when the first line with a separator has tabs and no commas. */
static char rf_guess_sep(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t tabs = 0, commas = 0;
        int quoted = 0;
        for (; i < n && (quoted || s[i] != '\n'); i++) {
            if (s[i] == '"')
                quoted = !quoted;
            else if (!quoted && s[i] == '\t')
                tabs++;
            else if (!quoted && s[i] == ',')
                commas++;
        }
        i++;
        if (tabs || commas)
            return tabs && !commas ? '\t' : ',';
    }
    return ',';
}

static int rf_read_text(rf_state *st, const char *text, size_t n)
{
    st->out->sep = rf_guess_sep(text, n);
    pw_csv_reader r;
    pw_csv_reader_init_sep(&r, text, n, st->out->sep);
    pw_csv_record rec;
    int rc;
    rf_cell *cells = NULL;
    size_t cap = 0;
    while ((rc = pw_csv_reader_next(&r, &rec)) == 1) {
        if (rec.nfields > cap) {
            free(cells);
            cap = rec.nfields;
            cells = calloc(cap, sizeof *cells);
            if (!cells) {
                rc = rf_fail(st, "out of memory");
                break;
            }
        }
        for (size_t c = 0; c < rec.nfields; c++)
            cells[c] = (rf_cell){rec.fields[c], 0};
        if (rec.nfields > RF_MAX_COLS) {
            rc = rf_fail(st, "line %zu: more than %d fields", rec.line, RF_MAX_COLS);
            break;
        }
        if (rf_row(st, cells, rec.nfields, rec.line) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc < 0 && !st->failed)
        rf_fail(st, "%s", pw_csv_reader_error(&r));
    free(cells);
    pw_csv_reader_fini(&r);
    return rc < 0 ? -1 : rf_finish(st);
}

static int rf_has_nul(const unsigned char *b, size_t len)
{
    return memchr(b, 0, len) != NULL;
}

/* What a file that is none of the formats looks like, and what to do. */
static int rf_unknown(rf_state *st, const unsigned char *b, size_t len)
{
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(b, ole, 8) == 0)
        return rf_fail(st, "looks like an Excel 97-2003 workbook (.xls), a WPS .et file or a "
                           "password-protected workbook; remove any password and " RF_SAVE_AS);
    if (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) {
        if (pw_zip_has_entry(b, len, "content.xml") || pw_zip_has_entry(b, len, "mimetype"))
            return rf_fail(st, "looks like an OpenDocument spreadsheet (.ods); " RF_SAVE_AS);
        if (pw_zip_has_entry(b, len, "word/document.xml"))
            return rf_fail(st,
                           "looks like a Word document (.docx), not a spreadsheet; " RF_SAVE_AS);
        return rf_fail(st, "looks like a ZIP archive but not an Excel workbook (no "
                           "xl/workbook.xml); " RF_SAVE_AS);
    }
    if (len >= 5 && memcmp(b, "%PDF-", 5) == 0)
        return rf_fail(st, "looks like a PDF document; " RF_SAVE_AS " from the spreadsheet itself");
    if (len >= 5 && memcmp(b, "{\\rtf", 5) == 0)
        return rf_fail(st, "looks like an RTF document; " RF_SAVE_AS);
    size_t even0 = 0, odd0 = 0;
    for (size_t i = 0; i + 1 < len && i < 4096; i += 2) {
        even0 += b[i] == 0;
        odd0 += b[i + 1] == 0;
    }
    if (rf_has_nul(b, len) && (even0 > 4 * (odd0 + 1) || odd0 > 4 * (even0 + 1)))
        return rf_fail(st, "looks like UTF-16 text without a byte order mark; " RF_SAVE_AS
                           " (or Unicode 文本, which starts with one)");
    if (rf_has_nul(b, len))
        return rf_fail(st, "looks like a binary file, not a spreadsheet or text; " RF_SAVE_AS);
    return rf_fail(st, "text that is neither UTF-8 nor GB18030 (another encoding?); " RF_SAVE_AS);
}

static int rf_read_converted(rf_state *st, const char *from, const char *b, size_t len, size_t unit,
                             const char *what)
{
    char *u;
    size_t ulen, bad;
    if (rf_iconv(from, b, len, &u, &ulen, &bad) != 0)
        return rf_fail(st, "%s text, but line %zu is not valid %s; " RF_SAVE_AS, what,
                       rf_line_of(b, bad, unit), what);
    if (memchr(u, 0, ulen)) {
        free(u);
        return rf_fail(st, "%s text holding a NUL character; " RF_SAVE_AS, what);
    }
    int rc = rf_read_text(st, u, ulen);
    free(u);
    return rc;
}

int pw_report_file_read(const void *buf, size_t len, pw_report_file *out, char *err, size_t errlen)
{
    const unsigned char *b = buf;
    rf_state *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pw_report_file f = {.sep = ','};
    st->out = &f;
    st->col_note = SIZE_MAX;
    pw_strbuf_init(&st->error_cells);
    int rc;
    if (len == 0) {
        rc = rf_fail(st, "the file is empty");
    } else if (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0 &&
               pw_zip_has_entry(b, len, "xl/workbook.xml")) {
        f.format = PW_REPORT_XLSX;
        st->xlsx = 1;
        rc = rf_read_xlsx(st, b, len);
    } else if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        f.format = PW_REPORT_CSV_UTF16LE;
        rc = rf_read_converted(st, "UTF-16LE", (const char *)b + 2, len - 2, 2, "UTF-16");
    } else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        f.format = PW_REPORT_CSV_UTF16BE;
        rc = rf_read_converted(st, "UTF-16BE", (const char *)b + 2, len - 2, 2, "UTF-16");
    } else if (len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
        f.format = PW_REPORT_CSV_UTF8_BOM;
        if (!pw_utf8_valid((const char *)b, len) || rf_has_nul(b, len))
            rc = rf_fail(st, "starts as UTF-8 text (byte order mark) but is not valid UTF-8 "
                             "throughout; " RF_SAVE_AS);
        else
            rc = rf_read_text(st, (const char *)b, len);
    } else if (rf_has_nul(b, len) || (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) ||
               (len >= 5 && (memcmp(b, "%PDF-", 5) == 0 || memcmp(b, "{\\rtf", 5) == 0))) {
        rc = rf_unknown(st, b, len);
    } else if (pw_utf8_valid((const char *)b, len)) {
        f.format = PW_REPORT_CSV_UTF8;
        const char *t = (const char *)b;
        size_t k = 0;
        while (k < len && (t[k] == ' ' || t[k] == '\r' || t[k] == '\n' || t[k] == '\t'))
            k++;
        if (k < len && t[k] == '<')
            rc = rf_fail(
                st, "looks like a web page or an XML spreadsheet (starts with '<'); " RF_SAVE_AS);
        else
            rc = rf_read_text(st, t, len);
    } else {
        char *u;
        size_t ulen, bad;
        if (rf_iconv("GB18030", (const char *)b, len, &u, &ulen, &bad) == 0) {
            free(u);
            f.format = PW_REPORT_CSV_GB18030;
            rc = rf_read_converted(st, "GB18030", (const char *)b, len, 1, "GB18030");
        } else {
            rc = rf_unknown(st, b, len);
        }
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s", st->err);
        pw_report_file_free(&f);
    } else {
        *out = f;
    }
    pw_strbuf_free(&st->error_cells);
    free(st);
    return rc ? -1 : 0;
}

void pw_report_file_free(pw_report_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nrows; i++) {
        free(f->rows[i].indicator);
        free(f->rows[i].value);
        free(f->rows[i].note);
    }
    free(f->rows);
    f->rows = NULL;
    f->nrows = 0;
}
