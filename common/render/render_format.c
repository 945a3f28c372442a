/*
 * render_format.c - shared formatting of the renderers.
 *
 * Design notes:
 * - Escaping is the only path from message data into HTML: pw_doc_text
 *   escapes, pw_doc_raw is for markup written in this source.  Invalid UTF-8
 *   is replaced rather than passed on, so a page is always valid UTF-8 and a
 *   JSON string is never refused by jansson (which would drop a field).
 * - Times are shown in the plans' zone (+08:00, SPEC 3.3) through
 *   common/period.h, the one place for date arithmetic.
 * - The stylesheet is shared by both pages; it needs no fonts from the
 *   network: it names the CJK fonts a Chinese desktop has and falls back to
 *   any sans-serif.  Print rules: A4, 12 mm margins, colours kept
 *   (print-color-adjust), headings kept with what follows, table rows not split,
 *   header rows repeated on every page.
 */
#include "common/render/render_format.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/csv.h"
#include "common/period.h"
#include "common/text.h"

/* ---- HTML documents ------------------------------------------------------ */

void pw_doc_raw(pw_doc *d, const char *markup)
{
    if (!d->failed && pw_strbuf_append_str(d->sb, markup) != 0)
        d->failed = 1;
}

void pw_doc_rawf(pw_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!d->failed && pw_strbuf_vappendf(d->sb, fmt, ap) != 0)
        d->failed = 1;
    va_end(ap);
}

void pw_doc_text(pw_doc *d, const char *s)
{
    if (!s || d->failed)
        return;
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n) {
        /* copy the longest run that needs no escaping in one append */
        size_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' ||
                (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                break;
            if (c >= 0x80) {
                uint32_t cp;
                int len = pw_utf8_decode(s + j, n - j, &cp);
                if (len < 0 || (cp >= 0x80 && cp < 0xa0))
                    break;
                j += (size_t)len;
                continue;
            }
            j++;
        }
        if (j > i && pw_strbuf_append(d->sb, s + i, j - i) != 0) {
            d->failed = 1;
            return;
        }
        if (j >= n)
            break;
        unsigned char c = (unsigned char)s[j];
        const char *rep = NULL;
        size_t skip = 1;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            if (c >= 0x80) {
                uint32_t cp;
                int len = pw_utf8_decode(s + j, n - j, &cp);
                if (len > 0) {
                    skip = (size_t)len; /* a C1 control: dropped */
                } else {
                    rep = "\xef\xbf\xbd"; /* U+FFFD for one invalid byte */
                }
            }
            break; /* C0 controls and DEL: dropped */
        }
        if (rep && pw_strbuf_append_str(d->sb, rep) != 0) {
            d->failed = 1;
            return;
        }
        i = j + skip;
    }
}

void pw_doc_textf(pw_doc *d, const char *fmt, ...)
{
    pw_strbuf tmp = PW_STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    if (pw_strbuf_vappendf(&tmp, fmt, ap) != 0)
        d->failed = 1;
    va_end(ap);
    pw_doc_text(d, pw_strbuf_cstr(&tmp));
    pw_strbuf_free(&tmp);
}

static const char pw_doc_css[] =
    ":root{--green:#2e9d4f;--yellow:#e0a800;--red:#d64545;--none:#c5cbd3;--ink:#1f2933;"
    "--muted:#5f6b7a;--line:#d5dbe2;--head:#eef1f5}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0 auto;max-width:1180px;padding:24px 28px;background:#fff;color:var(--ink);"
    "font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\","
    "\"Microsoft YaHei\",\"PingFang SC\",\"Hiragino Sans GB\",\"DejaVu Sans\",sans-serif;"
    "font-size:14px;line-height:1.45}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    "h2{font-size:18px;margin:26px 0 8px;padding-bottom:3px;border-bottom:2px solid var(--ink);"
    "break-after:avoid;page-break-after:avoid}\n"
    "h3{font-size:15px;margin:16px 0 6px;break-after:avoid;page-break-after:avoid}\n"
    ".en{color:var(--muted);font-weight:normal;font-size:.78em}\n"
    ".meta{color:var(--muted);margin:0 0 10px}\n"
    ".muted{color:var(--muted)}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 10px}\n"
    "th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}\n"
    "th{background:var(--head);font-weight:600}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.nowrap{white-space:nowrap}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    ".badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;"
    "line-height:18px;white-space:nowrap}\n"
    ".b-green{background:var(--green)}.b-yellow{background:var(--yellow);color:#1f2933}"
    ".b-red{background:var(--red)}.b-none{background:var(--none);color:var(--ink)}\n"
    ".b-blue{background:#3a78c3}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0 4px}\n"
    ".card{flex:1 1 0;border:1px solid var(--line);border-radius:6px;padding:6px 10px;"
    "min-width:96px}\n"
    ".card b{display:block;font-size:22px;line-height:1.2}\n"
    ".pre{white-space:pre-wrap}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:4px 0 8px;"
    "font-size:12px;color:var(--muted)}\n"
    ".sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;"
    "margin-right:4px}\n"
    "svg text{font-family:inherit}\n"
    "footer{margin-top:24px;padding-top:6px;border-top:1px solid var(--line);color:var(--muted);"
    "font-size:12px}\n"
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:9pt}h1{font-size:16pt}"
    "th .en,td .en{display:none}.card{padding:3px 8px;min-width:0}.card b{font-size:14pt}"
    "h2{font-size:12.5pt;margin-top:14pt}.page-break{break-before:page;page-break-before:always}"
    "svg{max-width:100%;height:auto}}\n";

void pw_doc_begin(pw_doc *d, const char *title, const char *extra_css)
{
    pw_doc_raw(d, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"planwatch\">\n<title>");
    pw_doc_text(d, title);
    pw_doc_raw(d, "</title>\n<style>\n");
    pw_doc_raw(d, pw_doc_css);
    if (extra_css)
        pw_doc_raw(d, extra_css);
    pw_doc_raw(d, "</style>\n</head>\n<body>\n");
}

void pw_doc_end(pw_doc *d, const char *generated_iso)
{
    pw_doc_raw(d, "<footer>planwatch");
    if (generated_iso) {
        pw_doc_raw(d, " · 生成时间 generated ");
        pw_doc_text(d, generated_iso);
    }
    pw_doc_raw(d, "</footer>\n</body>\n</html>\n");
}

/* ---- numbers, times, strings ----------------------------------------------- */

double pw_round2(double v)
{
    if (!isfinite(v))
        return v;
    double r;
    if (fabs(v) >= 1e6) {
        r = round(v * 100.0) / 100.0;
    } else {
        /* half away from zero on the decimal value, as the scoring engine
         * rounds totals (SPEC 3.5): whole 1e-9 first, so 96.495 stored as
         * 96.49499999999999 shows as 96.50 */
        long long nano = llround(fabs(v) * 1e9);
        long long cents = (nano + 5000000LL) / 10000000LL;
        r = (v < 0 ? -(double)cents : (double)cents) / 100.0;
    }
    return r == 0 ? 0 : r; /* no -0 */
}

const char *pw_fmt_num(double v, char *buf, size_t len)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return buf;
    }
    snprintf(buf, len, "%.2f", pw_round2(v));
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, len, "0");
    return buf;
}

const char *pw_fmt_pct(double fraction, char *buf, size_t len)
{
    if (!isfinite(fraction)) {
        snprintf(buf, len, "-");
        return buf;
    }
    double p = round(fraction * 1000.0) / 10.0;
    snprintf(buf, len, "%.1f%%", p == 0 ? 0.0 : p);
    return buf;
}

/* The zone times are shown in, per thread (a server renders for several
 * plans at once). */
static _Thread_local int pw_fmt_tz_min = PW_TZ_DEFAULT_MINUTES;

void pw_fmt_use_tz(int has_tz, int tz_offset_min)
{
    pw_fmt_tz_min = has_tz ? tz_offset_min : PW_TZ_DEFAULT_MINUTES;
}

int pw_fmt_tz(void)
{
    return pw_fmt_tz_min;
}

const char *pw_fmt_time(int64_t t, char *buf, size_t len)
{
    if (t <= 0 || pw_time_format_iso8601(t, pw_fmt_tz_min, buf, len) != 0)
        return NULL;
    return buf;
}

const char *pw_fmt_time_short(int64_t t, char *buf, size_t len)
{
    char iso[PW_TIME_BUFSIZE];
    if (!pw_fmt_time(t, iso, sizeof iso))
        return NULL;
    /* "2018-04-05T23:59:59+08:00" -> "2018-04-05 23:59" (in the zone set) */
    snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
    return buf;
}

json_t *pw_json_time(int64_t t)
{
    char buf[PW_TIME_BUFSIZE];
    const char *s = pw_fmt_time(t, buf, sizeof buf);
    return s ? json_string(s) : json_null();
}

json_t *pw_json_str(const char *s)
{
    if (!s)
        return json_string("");
    size_t n = strlen(s);
    if (pw_utf8_valid(s, n))
        return json_stringn(s, n);
    pw_strbuf sb = PW_STRBUF_INIT;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = pw_utf8_decode(s + i, n - i, &cp);
        if (len > 0) {
            pw_strbuf_append(&sb, s + i, (size_t)len);
            i += (size_t)len;
        } else {
            pw_strbuf_append_str(&sb, "\xef\xbf\xbd");
            i++;
        }
    }
    json_t *v = json_stringn(pw_strbuf_cstr(&sb), sb.len);
    pw_strbuf_free(&sb);
    return v;
}

json_t *pw_json_str_or_null(const char *s)
{
    return s && *s ? pw_json_str(s) : json_null();
}

static json_t *pw_json_field(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                             int or_null)
{
    const char *at = (const char *)m + f->offset;
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
        return or_null ? pw_json_str_or_null(*(char *const *)at) : pw_json_str(*(char *const *)at);
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_ENUM:
        return json_integer(*(const int32_t *)at);
    case PROTOBUF_C_TYPE_UINT32:
        return json_integer(*(const uint32_t *)at);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
        return json_integer(*(const int64_t *)at);
    case PROTOBUF_C_TYPE_DOUBLE: {
        double v = *(const double *)at;
        return isfinite(v) ? json_real(v) : json_null();
    }
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean(*(const protobuf_c_boolean *)at);
    default:
        abort(); /* a type no caller asks for */
    }
}

void pw_json_fields(json_t *obj, const ProtobufCMessage *m, const char *const *names)
{
    for (; *names; names++) {
        char name[64];
        size_t n = strlen(*names);
        int or_null = n > 0 && (*names)[n - 1] == '?';
        snprintf(name, sizeof name, "%.*s", (int)(n - (size_t)or_null), *names);
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
        if (!f || f->label == PROTOBUF_C_LABEL_REPEATED)
            abort(); /* a programming error: the name list and the proto differ */
        json_object_set_new(obj, name, pw_json_field(m, f, or_null));
    }
}

char *pw_term_clean(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        abort();
    size_t o = 0;
    int space = 1; /* at the start: drop leading blanks */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        int len = 1;
        if (c >= 0x80) {
            len = pw_utf8_decode(s + i, n - i, &cp);
            if (len < 0) {
                out[o++] = '?';
                space = 0;
                i++;
                continue;
            }
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == ' ') {
            if (!space)
                out[o++] = ' ';
            space = 1;
        } else {
            memcpy(out + o, s + i, (size_t)len);
            o += (size_t)len;
            space = 0;
        }
        i += (size_t)len;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

void pw_table_row_clean(pw_table *t, int n, const char *const *cells)
{
    char **clean = calloc((size_t)(n > 0 ? n : 1), sizeof *clean);
    if (!clean)
        abort();
    for (int i = 0; i < n; i++)
        clean[i] = pw_term_clean(cells[i]);
    pw_table_row(t, (const char *const *)clean);
    for (int i = 0; i < n; i++)
        free(clean[i]);
    free(clean);
}

char *pw_utf8_clean(const char *s, size_t max_chars)
{
    if (!s)
        s = "";
    size_t n = strlen(s), chars = 0;
    for (size_t i = 0; i < n; chars++) {
        uint32_t cp;
        int len = pw_utf8_decode(s + i, n - i, &cp);
        i += len > 0 ? (size_t)len : 1;
    }
    int cut = max_chars > 0 && chars > max_chars;
    char *out = malloc(n * 3 + 4); /* each byte at worst becomes U+FFFD */
    if (!out)
        abort();
    size_t o = 0, kept = 0;
    for (size_t i = 0; i < n;) {
        if (cut && kept == max_chars - 1) {
            memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
            o += 3;
            break;
        }
        uint32_t cp;
        int len = pw_utf8_decode(s + i, n - i, &cp);
        if (len < 0) {
            o += pw_utf8_put_replacement(out + o);
            i++;
        } else {
            if (!((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f ||
                  (cp >= 0x80 && cp < 0xa0))) {
                memcpy(out + o, s + i, (size_t)len);
                o += (size_t)len;
            }
            i += (size_t)len;
        }
        kept++;
    }
    out[o] = '\0';
    return out;
}

/* ---- labels -------------------------------------------------------------- */

typedef struct pw_label {
    const char *key, *label, *color;
} pw_label;

static const pw_label pw_labels_category[] = {{"county", "县市区", NULL},
                                              {"department", "州直单位", NULL}};
static const pw_label pw_labels_grade[] = {{"excellent", "优秀", "#2e9d4f"},
                                           {"qualified", "合格", "#3a78c3"},
                                           {"unqualified", "不合格", "#d64545"}};
static const pw_label pw_labels_flag[] = {{"commend", "通报表彰", NULL},
                                          {"criticise", "通报批评", NULL}};
static const pw_label pw_labels_light[] = {{"green", "绿灯", "#2e9d4f"},
                                           {"yellow", "黄灯", "#e0a800"},
                                           {"red", "红灯", "#d64545"},
                                           {"none", "无数据", "#c5cbd3"}};
static const pw_label pw_labels_status[] = {{"on_time", "按时", NULL},
                                            {"late", "迟报", NULL},
                                            {"missing", "未报", NULL},
                                            {"not_due", "未到期", NULL},
                                            {"not_expected", "无需报送", NULL}};

#define PW_NLABELS(t) (sizeof(t) / sizeof((t)[0]))

static const pw_label *pw_label_find(const pw_label *t, size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        if (strcmp(t[i].key, key) == 0)
            return &t[i];
    return NULL;
}

#define PW_LABEL_FN(fn, table)                                                                     \
    const char *fn(const char *key)                                                                \
    {                                                                                              \
        const pw_label *l = pw_label_find(table, PW_NLABELS(table), key);                          \
        return l ? l->label : key ? key : "";                                                      \
    }

PW_LABEL_FN(pw_label_category, pw_labels_category)
PW_LABEL_FN(pw_label_grade, pw_labels_grade)
PW_LABEL_FN(pw_label_flag, pw_labels_flag)
PW_LABEL_FN(pw_label_light, pw_labels_light)
PW_LABEL_FN(pw_label_status, pw_labels_status)

const char *pw_color_light(const char *light)
{
    const pw_label *l = pw_label_find(pw_labels_light, PW_NLABELS(pw_labels_light), light);
    return l ? l->color : "#c5cbd3";
}

const char *pw_color_grade(const char *grade)
{
    const pw_label *l = pw_label_find(pw_labels_grade, PW_NLABELS(pw_labels_grade), grade);
    return l ? l->color : "#8a94a3";
}

/* ---- files --------------------------------------------------------------- */

int pw_render_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            snprintf(err, errlen, "cannot write to standard output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    return pw_file_write_atomic(path, data, len, 0666, err, errlen);
}
