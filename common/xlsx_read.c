/*
 * xlsx_read.c - first sheet of a workbook: minizip over memory + expat.
 * See xlsx_read.h for the design notes and limits.
 */
#include "common/xlsx_read.h"

#include <expat.h>
#include <minizip/unzip.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"

#define XR_CHUNK (64 * 1024)
#define XR_MAX_CELLS 200000
/* Elements nest at most 7 deep in a sheet (worksheet/sheetData/row/c/is/r/t);
 * expat keeps a stack of every open element, so a few MB of "<x><x><x>..."
 * would otherwise cost hundreds of MB (3 M levels: 430 MB). */
#define XR_MAX_DEPTH 64

void pw_xlsx_limits_default(pw_xlsx_limits *lim)
{
    lim->max_part_bytes = 32u * 1024 * 1024;
    lim->max_shared_strings = 100000;
    lim->max_shared_bytes = 8u * 1024 * 1024;
    lim->max_cell_bytes = 32767u * 4;
    lim->max_text_bytes = 16u * 1024 * 1024;
    lim->max_rows = 10000;
    lim->max_cols = 64;
}

void pw_xlsx_cell_name(uint32_t row, uint32_t col, char *buf, size_t len)
{
    char letters[8];
    int n = 0;
    while (col > 0 && n < 7) {
        col--;
        letters[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    char rev[8];
    for (int i = 0; i < n; i++)
        rev[i] = letters[n - 1 - i];
    rev[n] = '\0';
    snprintf(buf, len, "%s%u", rev, row);
}

/* ---- minizip over a memory buffer ---------------------------------------------- */

typedef struct xr_mem {
    const unsigned char *buf;
    size_t len, pos;
} xr_mem;

static voidpf ZCALLBACK xr_mem_open(voidpf opaque, const void *filename, int mode)
{
    (void)filename;
    if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ)
        return NULL;
    ((xr_mem *)opaque)->pos = 0;
    return opaque;
}

static uLong ZCALLBACK xr_mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    xr_mem *m = stream;
    size_t left = m->len - m->pos;
    size_t n = size < left ? size : left;
    memcpy(buf, m->buf + m->pos, n);
    m->pos += n;
    return (uLong)n;
}

static uLong ZCALLBACK xr_mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    return 0;
}

static ZPOS64_T ZCALLBACK xr_mem_tell(voidpf opaque, voidpf stream)
{
    return ((xr_mem *)stream)->pos;
}

static long ZCALLBACK xr_mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    xr_mem *m = stream;
    ZPOS64_T base;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
        base = 0;
        break;
    case ZLIB_FILEFUNC_SEEK_CUR:
        base = m->pos;
        break;
    case ZLIB_FILEFUNC_SEEK_END:
        base = m->len;
        break;
    default:
        return -1;
    }
    if (off > m->len || base + off > m->len)
        return -1;
    m->pos = (size_t)(base + off);
    return 0;
}

static int ZCALLBACK xr_mem_close(voidpf opaque, voidpf stream)
{
    return 0;
}

static int ZCALLBACK xr_mem_error(voidpf opaque, voidpf stream)
{
    return 0;
}

static unzFile xr_zip_open(xr_mem *m, const void *buf, size_t len)
{
    m->buf = buf;
    m->len = len;
    m->pos = 0;
    zlib_filefunc64_def ff = {
        .zopen64_file = xr_mem_open,
        .zread_file = xr_mem_read,
        .zwrite_file = xr_mem_write,
        .ztell64_file = xr_mem_tell,
        .zseek64_file = xr_mem_seek,
        .zclose_file = xr_mem_close,
        .zerror_file = xr_mem_error,
        .opaque = m,
    };
    return unzOpen2_64("memory", &ff);
}

int pw_zip_has_entry(const void *buf, size_t len, const char *name)
{
    xr_mem m;
    unzFile z = xr_zip_open(&m, buf, len);
    if (!z)
        return 0;
    int found = unzLocateFile(z, name, 2) == UNZ_OK;
    unzClose(z);
    return found;
}

/* ---- parsing state ---------------------------------------------------------------- */

enum { XR_WORKBOOK, XR_RELS, XR_SST, XR_SHEET, XR_STYLES };

/* Cell formats (cellXfs) read: Excel allows 64000. */
#define XR_MAX_XFS 65536
#define XR_MAX_CUSTOM_PCT 256

typedef struct xr_ctx {
    XML_Parser p;
    const pw_xlsx_limits *lim;
    int mode;
    const char *part;
    char err[300];
    int failed;
    pw_strbuf text; /* character data being collected */
    int collecting;
    /* workbook */
    char *sheet_rid;
    char sheet_name[128];
    /* rels */
    char *sheet_target, *sst_target, *styles_target;
    /* styles: which cell formats show a number as a percentage */
    unsigned char *xf_pct;
    size_t nxf, xf_cap;
    int in_cellxfs;
    uint32_t pct_fmts[XR_MAX_CUSTOM_PCT];
    size_t npct_fmts;
    /* shared strings */
    char **sst;
    size_t nsst, sst_cap, sst_bytes;
    int in_si, in_rph;
    /* sheet */
    pw_xlsx_cell *cells;
    size_t ncells, cells_cap, cells_bytes;
    uint32_t row, next_col, c_row, c_col;
    int in_c, c_has_value, in_is;
    char c_type[12];
    int depth; /* open elements */
    int c_pct; /* the cell's format shows a percentage */
} xr_ctx;

static void xr_fail(xr_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xr_fail(xr_ctx *x, const char *fmt, ...)
{
    if (x->failed)
        return;
    x->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    char msg[240];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(x->err, sizeof x->err, "%s: %s", x->part, msg);
    if (x->p)
        XML_StopParser(x->p, XML_FALSE);
}

/* The local part of an expat namespaced name "uri|local". */
static const char *xr_local(const XML_Char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static const char *xr_attr(const XML_Char **attrs, const char *local)
{
    for (size_t i = 0; attrs[i]; i += 2) {
        /* plain attributes carry no namespace; a namespaced one matches by local name */
        if (strcmp(xr_local(attrs[i]), local) == 0)
            return attrs[i + 1];
    }
    return NULL;
}

/* "E12" -> row 12, col 5; 0 on success, -1 when malformed or out of range. */
static int xr_parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
    uint64_t c = 0, r = 0;
    size_t i = 0;
    while (s[i] >= 'A' && s[i] <= 'Z' && i < 4)
        c = c * 26 + (uint64_t)(s[i++] - 'A' + 1);
    if (i == 0 || !(s[i] >= '0' && s[i] <= '9'))
        return -1;
    size_t d = 0;
    while (s[i] >= '0' && s[i] <= '9' && d < 8) {
        r = r * 10 + (uint64_t)(s[i++] - '0');
        d++;
    }
    if (s[i] != '\0' || r == 0 || c == 0)
        return -1;
    *row = (uint32_t)r;
    *col = (uint32_t)c;
    return 0;
}

static int xr_parse_uint(const char *s, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static void xr_text_start(xr_ctx *x)
{
    pw_strbuf_reset(&x->text);
    x->collecting = 1;
}

static void XMLCALL xr_chardata(void *ud, const XML_Char *s, int len)
{
    xr_ctx *x = ud;
    if (!x->collecting || x->failed)
        return;
    if (x->text.len + (size_t)len > x->lim->max_cell_bytes) {
        char name[16] = "";
        if (x->mode == XR_SHEET && x->in_c)
            pw_xlsx_cell_name(x->c_row, x->c_col, name, sizeof name);
        if (name[0])
            xr_fail(x,
                    "cell %s: a text longer than %zu bytes (a cell holds at most 32767 "
                    "characters)",
                    name, x->lim->max_cell_bytes);
        else
            xr_fail(x, "a text longer than %zu bytes", x->lim->max_cell_bytes);
        return;
    }
    if (pw_strbuf_append(&x->text, s, (size_t)len) != 0)
        xr_fail(x, "out of memory");
}

static void XMLCALL xr_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    xr_fail(ud, "a DOCTYPE declaration (not allowed in a workbook)");
}

/* ---- workbook and relationships ------------------------------------------------------ */

static void xr_workbook_start(xr_ctx *x, const char *el, const XML_Char **attrs)
{
    if (strcmp(el, "sheet") != 0 || x->sheet_rid)
        return;
    const char *rid = NULL;
    for (size_t i = 0; attrs[i]; i += 2)
        if (strcmp(xr_local(attrs[i]), "id") == 0 && strstr(attrs[i], "relationships"))
            rid = attrs[i + 1];
    const char *name = xr_attr(attrs, "name");
    if (!rid) {
        xr_fail(x, "the first <sheet> has no r:id");
        return;
    }
    snprintf(x->sheet_name, sizeof x->sheet_name, "%s", name ? name : "");
    if (!(x->sheet_rid = strdup(rid)))
        xr_fail(x, "out of memory");
}

/* Target of a relationship of xl/workbook.xml as a path inside the archive:
 * relative to xl/, "." and ".." segments resolved as a URI's are
 * ("worksheets/../worksheets/sheet1.xml" is xl/worksheets/sheet1.xml).  A
 * ".." above the archive's root stays, so the part is then not found: the
 * name is only ever looked up inside the archive, never on the disk. */
static char *xr_target_path(const char *target)
{
    pw_strbuf sb;
    pw_strbuf_init(&sb);
    if (target[0] == '/')
        pw_strbuf_append_str(&sb, target + 1);
    else {
        pw_strbuf_append_str(&sb, "xl/");
        pw_strbuf_append_str(&sb, target);
    }
    char *path = pw_strbuf_detach(&sb, NULL);
    if (!path)
        return NULL;
    char *out = malloc(strlen(path) + 1);
    if (!out)
        return path;
    size_t o = 0;
    int escaped = 0;
    for (char *seg = path; !escaped;) {
        char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            if (o == 0) {
                escaped = 1; /* above the root: leave the name as it was */
                break;
            }
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before the dropped segment */
        } else if (!(n == 1 && seg[0] == '.') && n > 0) {
            if (o > 0)
                out[o++] = '/';
            memcpy(out + o, seg, n);
            o += n;
        }
        if (!slash)
            break;
        seg = slash + 1;
    }
    if (escaped) {
        free(out);
        return path;
    }
    out[o] = '\0';
    free(path);
    return out;
}

static void xr_rels_start(xr_ctx *x, const char *el, const XML_Char **attrs)
{
    if (strcmp(el, "Relationship") != 0)
        return;
    const char *id = xr_attr(attrs, "Id"), *type = xr_attr(attrs, "Type");
    const char *target = xr_attr(attrs, "Target"), *mode = xr_attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "Internal") != 0))
        return;
    size_t tl = strlen(type);
    if (!x->sheet_target && x->sheet_rid && strcmp(id, x->sheet_rid) == 0)
        x->sheet_target = xr_target_path(target);
    else if (!x->sst_target && tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0)
        x->sst_target = xr_target_path(target);
    else if (!x->styles_target && tl >= 7 && strcmp(type + tl - 7, "/styles") == 0)
        x->styles_target = xr_target_path(target);
}

/* ---- styles: percentage formats ------------------------------------------------------ */

/* A number format code that shows a percentage: a '%' that is not quoted
 * text or escaped ("0.00%", "0%;[Red]-0%", but not "0\"%\"" or "0\\%"). */
static int xr_code_is_pct(const char *code)
{
    int quoted = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == '\\' && p[1])
            p++;
        else if (!quoted && *p == '%')
            return 1;
    }
    return 0;
}

static void xr_styles_start(xr_ctx *x, const char *el, const XML_Char **attrs)
{
    if (strcmp(el, "numFmt") == 0) {
        const char *id = xr_attr(attrs, "numFmtId"), *code = xr_attr(attrs, "formatCode");
        uint32_t n;
        if (id && code && xr_parse_uint(id, UINT32_MAX, &n) == 0 && xr_code_is_pct(code) &&
            x->npct_fmts < XR_MAX_CUSTOM_PCT)
            x->pct_fmts[x->npct_fmts++] = n;
    } else if (strcmp(el, "cellXfs") == 0) {
        x->in_cellxfs = 1;
    } else if (strcmp(el, "xf") == 0 && x->in_cellxfs) {
        if (x->nxf >= XR_MAX_XFS) {
            xr_fail(x, "more than %d cell formats", XR_MAX_XFS);
            return;
        }
        const char *id = xr_attr(attrs, "numFmtId");
        uint32_t n = 0;
        int pct = 0;
        if (id && xr_parse_uint(id, UINT32_MAX, &n) == 0) {
            pct = n == 9 || n == 10; /* the built-in 0% and 0.00% */
            for (size_t i = 0; i < x->npct_fmts && !pct; i++)
                pct = x->pct_fmts[i] == n;
        }
        if (x->nxf == x->xf_cap) {
            size_t cap = x->xf_cap ? x->xf_cap * 2 : 64;
            unsigned char *nb = realloc(x->xf_pct, cap);
            if (!nb) {
                xr_fail(x, "out of memory");
                return;
            }
            x->xf_pct = nb;
            x->xf_cap = cap;
        }
        x->xf_pct[x->nxf++] = (unsigned char)pct;
    }
}

static void xr_styles_end(xr_ctx *x, const char *el)
{
    if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* ---- shared strings ------------------------------------------------------------------- */

static void xr_sst_start(xr_ctx *x, const char *el, const XML_Char **attrs)
{
    (void)attrs;
    if (strcmp(el, "si") == 0) {
        x->in_si = 1;
        x->in_rph = 0;
        pw_strbuf_reset(&x->text);
    } else if (strcmp(el, "rPh") == 0) {
        x->in_rph++;
    } else if (strcmp(el, "t") == 0 && x->in_si && !x->in_rph) {
        x->collecting = 1; /* runs append to the same text */
    }
}

static void xr_sst_end(xr_ctx *x, const char *el)
{
    if (strcmp(el, "t") == 0) {
        x->collecting = 0;
    } else if (strcmp(el, "rPh") == 0) {
        if (x->in_rph)
            x->in_rph--;
    } else if (strcmp(el, "si") == 0 && x->in_si) {
        x->in_si = 0;
        if (x->nsst >= x->lim->max_shared_strings) {
            xr_fail(x, "more than %zu shared strings", x->lim->max_shared_strings);
            return;
        }
        x->sst_bytes += x->text.len + 1;
        if (x->sst_bytes > x->lim->max_shared_bytes) {
            xr_fail(x, "shared strings of more than %zu bytes", x->lim->max_shared_bytes);
            return;
        }
        if (x->nsst == x->sst_cap) {
            size_t cap = x->sst_cap ? x->sst_cap * 2 : 256;
            char **n = realloc(x->sst, cap * sizeof *n);
            if (!n) {
                xr_fail(x, "out of memory");
                return;
            }
            x->sst = n;
            x->sst_cap = cap;
        }
        char *s = strdup(pw_strbuf_cstr(&x->text));
        if (!s) {
            xr_fail(x, "out of memory");
            return;
        }
        x->sst[x->nsst++] = s;
    }
}

/* ---- the sheet ----------------------------------------------------------------------------- */

static void xr_sheet_start(xr_ctx *x, const char *el, const XML_Char **attrs)
{
    if (strcmp(el, "row") == 0) {
        const char *r = xr_attr(attrs, "r");
        uint32_t n;
        if (r) {
            if (xr_parse_uint(r, 1048576, &n) != 0 || n == 0) {
                xr_fail(x, "row number '%.20s' is not valid", r);
                return;
            }
            x->row = n;
        } else {
            x->row++;
        }
        x->next_col = 1;
    } else if (strcmp(el, "c") == 0) {
        const char *r = xr_attr(attrs, "r"), *t = xr_attr(attrs, "t"), *sx = xr_attr(attrs, "s");
        uint32_t xf;
        x->c_pct = sx && xr_parse_uint(sx, UINT32_MAX, &xf) == 0 && xf < x->nxf && x->xf_pct[xf];
        x->c_row = x->row ? x->row : 1;
        x->c_col = x->next_col;
        if (r && xr_parse_ref(r, &x->c_row, &x->c_col) != 0) {
            xr_fail(x, "cell reference '%.20s' is not valid", r);
            return;
        }
        snprintf(x->c_type, sizeof x->c_type, "%s", t ? t : "n");
        x->in_c = 1;
        x->c_has_value = 0;
        x->in_is = 0;
        x->in_rph = 0;
        pw_strbuf_reset(&x->text);
    } else if (x->in_c && strcmp(el, "v") == 0) {
        xr_text_start(x);
        x->c_has_value = 1;
    } else if (x->in_c && strcmp(el, "is") == 0) {
        x->in_is = 1;
        x->c_has_value = 1;
        pw_strbuf_reset(&x->text);
    } else if (x->in_is && strcmp(el, "rPh") == 0) {
        x->in_rph++;
    } else if (x->in_is && !x->in_rph && strcmp(el, "t") == 0) {
        x->collecting = 1;
    }
}

static void xr_sheet_cell_end(xr_ctx *x)
{
    x->in_c = 0;
    x->next_col = x->c_col + 1;
    if (!x->c_has_value)
        return;
    const char *t = x->c_type;
    const char *raw = pw_strbuf_cstr(&x->text);
    pw_xlsx_type type = PW_XLSX_STRING;
    const char *val = raw;
    char name[16];
    pw_xlsx_cell_name(x->c_row, x->c_col, name, sizeof name);
    if (strcmp(t, "s") == 0) {
        uint32_t idx;
        if (xr_parse_uint(raw, UINT32_MAX, &idx) != 0 || idx >= x->nsst) {
            xr_fail(x, "cell %s refers to shared string '%.20s', which does not exist", name, raw);
            return;
        }
        val = x->sst[idx];
    } else if (strcmp(t, "b") == 0) {
        type = PW_XLSX_BOOL;
        val = strcmp(raw, "1") == 0 ? "TRUE" : "FALSE";
    } else if (strcmp(t, "e") == 0) {
        type = PW_XLSX_ERROR;
    } else if (strcmp(t, "n") == 0) {
        type = PW_XLSX_NUMBER;
    } else if (strcmp(t, "str") != 0 && strcmp(t, "inlineStr") != 0 && strcmp(t, "d") != 0) {
        xr_fail(x, "cell %s has the unknown type '%.12s'", name, t);
        return;
    }
    if (!val[0])
        return; /* an empty string is no value */
    if (x->c_row > x->lim->max_rows) {
        xr_fail(x, "cell %s: more than %u rows", name, x->lim->max_rows);
        return;
    }
    if (x->c_col > x->lim->max_cols) {
        char last[16];
        pw_xlsx_cell_name(1, x->lim->max_cols, last, sizeof last);
        last[strlen(last) - 1] = '\0';
        xr_fail(x, "cell %s holds a value beyond the last column read (%s)", name, last);
        return;
    }
    if (x->ncells >= XR_MAX_CELLS) {
        xr_fail(x, "more than %d cells with values", XR_MAX_CELLS);
        return;
    }
    if (x->ncells == x->cells_cap) {
        size_t cap = x->cells_cap ? x->cells_cap * 2 : 256;
        pw_xlsx_cell *n = realloc(x->cells, cap * sizeof *n);
        if (!n) {
            xr_fail(x, "out of memory");
            return;
        }
        x->cells = n;
        x->cells_cap = cap;
    }
    size_t vlen = strlen(val);
    if (x->cells_bytes + vlen + 1 > x->lim->max_text_bytes) {
        xr_fail(x, "cell %s: the cells hold more than %zu bytes of text", name,
                x->lim->max_text_bytes);
        return;
    }
    x->cells_bytes += vlen + 1;
    char *copy = strdup(val);
    if (!copy) {
        xr_fail(x, "out of memory");
        return;
    }
    x->cells[x->ncells++] =
        (pw_xlsx_cell){x->c_row, x->c_col, type, copy, type == PW_XLSX_NUMBER && x->c_pct};
}

static void xr_sheet_end(xr_ctx *x, const char *el)
{
    if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
        x->collecting = 0;
    else if (strcmp(el, "rPh") == 0 && x->in_rph)
        x->in_rph--;
    else if (strcmp(el, "is") == 0)
        x->in_is = 0;
    else if (strcmp(el, "c") == 0 && x->in_c)
        xr_sheet_cell_end(x);
}

/* What each part (x->mode) does at an element's start and end. */
static const struct {
    void (*start)(xr_ctx *x, const char *el, const XML_Char **attrs);
    void (*end)(xr_ctx *x, const char *el); /* NULL: nothing */
} xr_parts[] = {
    [XR_WORKBOOK] = {xr_workbook_start, NULL},      [XR_RELS] = {xr_rels_start, NULL},
    [XR_SST] = {xr_sst_start, xr_sst_end},          [XR_SHEET] = {xr_sheet_start, xr_sheet_end},
    [XR_STYLES] = {xr_styles_start, xr_styles_end},
};

static void XMLCALL xr_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    xr_ctx *x = ud;
    if (x->failed)
        return;
    if (++x->depth > XR_MAX_DEPTH) {
        xr_fail(x, "line %lu: elements nested more than %d deep (not a spreadsheet part)",
                (unsigned long)XML_GetCurrentLineNumber(x->p), XR_MAX_DEPTH);
        return;
    }
    xr_parts[x->mode].start(x, xr_local(name), attrs);
}

static void XMLCALL xr_end(void *ud, const XML_Char *name)
{
    xr_ctx *x = ud;
    if (x->failed)
        return;
    x->depth--;
    if (xr_parts[x->mode].end)
        xr_parts[x->mode].end(x, xr_local(name));
}

/*
 * Inflate one part in chunks into expat.  Returns 0, 1 when the part is
 * absent (and !required), or -1 with x->err set.
 */
static int xr_parse_part(xr_ctx *x, unzFile z, const char *part, int mode, int required)
{
    x->part = part;
    x->mode = mode;
    if (unzLocateFile(z, part, 2) != UNZ_OK) {
        if (!required)
            return 1;
        xr_fail(x, "missing from the archive");
        return -1;
    }
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
        xr_fail(x, "cannot read the ZIP entry");
        return -1;
    }
    if (info.uncompressed_size > x->lim->max_part_bytes) {
        xr_fail(x, "unpacks to %llu bytes, more than the %zu allowed",
                (unsigned long long)info.uncompressed_size, x->lim->max_part_bytes);
        return -1;
    }
    if (unzOpenCurrentFile(z) != UNZ_OK) {
        xr_fail(x, "cannot open the ZIP entry (encrypted or an unknown compression method)");
        return -1;
    }
    x->p = XML_ParserCreateNS(NULL, '|');
    if (!x->p) {
        unzCloseCurrentFile(z);
        xr_fail(x, "out of memory");
        return -1;
    }
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, xr_start, xr_end);
    XML_SetCharacterDataHandler(x->p, xr_chardata);
    XML_SetStartDoctypeDeclHandler(x->p, xr_doctype);
    char *chunk = malloc(XR_CHUNK);
    size_t total = 0;
    int rc = chunk ? 0 : -1;
    if (!chunk)
        xr_fail(x, "out of memory");
    while (rc == 0) {
        int n = unzReadCurrentFile(z, chunk, XR_CHUNK);
        if (n < 0) {
            xr_fail(x, "corrupt compressed data (zip error %d)", n);
            rc = -1;
            break;
        }
        total += (size_t)n;
        if (total > x->lim->max_part_bytes) {
            xr_fail(x, "unpacks to more than the %zu bytes allowed", x->lim->max_part_bytes);
            rc = -1;
            break;
        }
        if (XML_Parse(x->p, chunk, n, n == 0) == XML_STATUS_ERROR) {
            if (!x->failed)
                xr_fail(x, "line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(x->p),
                        XML_ErrorString(XML_GetErrorCode(x->p)));
            rc = -1;
            break;
        }
        if (x->failed) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
    }
    if (rc == 0 && unzCloseCurrentFile(z) == UNZ_CRCERROR) {
        xr_fail(x, "CRC error: the file is damaged");
        rc = -1;
    } else if (rc != 0) {
        unzCloseCurrentFile(z);
    }
    free(chunk);
    XML_ParserFree(x->p);
    x->p = NULL;
    x->collecting = 0;
    x->depth = 0;
    return rc;
}

static void xr_ctx_fini(xr_ctx *x)
{
    pw_strbuf_free(&x->text);
    free(x->sheet_rid);
    free(x->sheet_target);
    free(x->sst_target);
    free(x->styles_target);
    free(x->xf_pct);
    for (size_t i = 0; i < x->nsst; i++)
        free(x->sst[i]);
    free(x->sst);
    for (size_t i = 0; i < x->ncells; i++)
        free(x->cells[i].text);
    free(x->cells);
}

int pw_xlsx_read_first_sheet(const void *buf, size_t len, const pw_xlsx_limits *lim,
                             pw_xlsx_sheet *out, char *err, size_t errlen)
{
    pw_xlsx_limits dl;
    if (!lim) {
        pw_xlsx_limits_default(&dl);
        lim = &dl;
    }
    xr_ctx x;
    memset(&x, 0, sizeof x);
    x.lim = lim;
    pw_strbuf_init(&x.text);
    xr_mem m;
    unzFile z = xr_zip_open(&m, buf, len);
    if (!z) {
        snprintf(err, errlen, "not a readable ZIP archive (damaged or cut short)");
        xr_ctx_fini(&x);
        return -1;
    }
    int rc = xr_parse_part(&x, z, "xl/workbook.xml", XR_WORKBOOK, 1);
    if (rc == 0 && !x.sheet_rid) {
        xr_fail(&x, "the workbook has no sheet");
        rc = -1;
    }
    if (rc == 0)
        rc = xr_parse_part(&x, z, "xl/_rels/workbook.xml.rels", XR_RELS, 1);
    if (rc == 0 && !x.sheet_target) {
        xr_fail(&x, "no part for the first sheet (%s)", x.sheet_rid);
        rc = -1;
    }
    if (rc == 0 && x.styles_target)
        rc = xr_parse_part(&x, z, x.styles_target, XR_STYLES, 0) < 0 ? -1 : 0;
    if (rc == 0 && x.sst_target)
        rc = xr_parse_part(&x, z, x.sst_target, XR_SST, 0) < 0 ? -1 : 0;
    if (rc == 0)
        rc = xr_parse_part(&x, z, x.sheet_target, XR_SHEET, 1);
    unzClose(z);
    if (rc != 0) {
        snprintf(err, errlen, "%s", x.err);
        xr_ctx_fini(&x);
        return -1;
    }
    out->cells = x.cells;
    out->ncells = x.ncells;
    snprintf(out->name, sizeof out->name, "%s", x.sheet_name);
    x.cells = NULL;
    x.ncells = 0;
    xr_ctx_fini(&x);
    return 0;
}

void pw_xlsx_sheet_free(pw_xlsx_sheet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncells; i++)
        free(s->cells[i].text);
    free(s->cells);
    s->cells = NULL;
    s->ncells = 0;
}
