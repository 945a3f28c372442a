/*
 * render_format.h - the pieces the dispatch and score renderers share:
 * an HTML document buffer that separates trusted markup from escaped text,
 * number and time formatting, safe strings for JSON and the terminal, the
 * Chinese labels of categories, grades, flags, lights and statuses, the page
 * frame (inline CSS, print rules) and writing a rendered file.
 *
 * Everything here is pure formatting: no I/O except pw_render_write_file, no
 * global state; thread-safe.
 */
#ifndef PW_CLIENT_RENDER_FORMAT_H
#define PW_CLIENT_RENDER_FORMAT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

#include "common/render/table.h"
#include "common/strbuf.h"

/* ---- HTML documents ------------------------------------------------------ */

/*
 * An HTML document being built into `sb` (not owned).  Appends never fail
 * individually: the first allocation failure sets `failed` and later appends
 * are ignored, so a renderer checks once at the end.
 */
typedef struct pw_doc {
    pw_strbuf *sb;
    int failed;
} pw_doc;

/* Trusted markup, appended as is (never pass data from a message here). */
void pw_doc_raw(pw_doc *d, const char *markup);
void pw_doc_rawf(pw_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Text escaped for HTML element content and quoted attribute values: & < > "
 * ' become entities; bytes that are not well-formed UTF-8 become U+FFFD;
 * control characters other than TAB and LF are dropped.  NULL appends
 * nothing.
 */
void pw_doc_text(pw_doc *d, const char *text);
/* printf-style, then escaped like pw_doc_text. */
void pw_doc_textf(pw_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Start a self-contained page: doctype, <meta charset="utf-8">, the escaped
 * `title`, the shared stylesheet (screen and A4 print rules) plus
 * `extra_css` (trusted, may be NULL), and the opening <body>.
 */
void pw_doc_begin(pw_doc *d, const char *title, const char *extra_css);
/* Rules for extra_css that the bulletins (dispatch summary, scores) share,
 * spliced into their own stylesheets where each needs them: small notes
 * under a heading, and the box (class "tw") a wide table scrolls in. */
#define PW_DOC_CSS_NOTE_AND_WIDE_TABLE                                                             \
    ".note{font-size:12px;color:var(--muted);margin:2px 0 8px}\n"                                  \
    ".tw{overflow-x:auto;max-width:100%}\n"
/* The footer line and </body></html>. */
void pw_doc_end(pw_doc *d, const char *generated_iso);

/* ---- numbers, times, strings ----------------------------------------------- */

#define PW_NUM_BUFSIZE 48

/*
 * A number with at most two decimals and no trailing zeros ("45", "45.5",
 * "0.33", "-1"); non-finite values give "-".  Returns buf.
 */
const char *pw_fmt_num(double v, char *buf, size_t len);
/* A fraction as a percentage with one decimal: 0.625 -> "62.5%".  Returns buf. */
const char *pw_fmt_pct(double fraction, char *buf, size_t len);
/* v rounded to two decimals, half away from zero on the decimal value
 * (96.495 -> 96.50, like score totals, SPEC 3.5), for display and JSON. */
double pw_round2(double v);

/*
 * The time zone the pw_fmt_time* and pw_json_time functions below use, for
 * the calling thread: the plan's (`has_tz`, `tz_offset_min` minutes east of
 * UTC, as responses carry it), or UTC+08:00 when `has_tz` is 0.  The
 * renderers of a response set it from the response itself; callers that
 * print times of their own set it from the response they show.
 */
void pw_fmt_use_tz(int has_tz, int tz_offset_min);
int pw_fmt_tz(void);

/*
 * Unix seconds as ISO 8601 in the zone set above, "2018-04-05T23:59:59+08:00".
 * Returns buf, or NULL when t <= 0 (no time) or out of range.
 */
const char *pw_fmt_time(int64_t t, char *buf, size_t len);
/* The same for reading on a page: "2018-04-05 23:59" (minutes, the zone set).
 * Returns buf, or NULL when t <= 0. */
const char *pw_fmt_time_short(int64_t t, char *buf, size_t len);
/* The same as a JSON string, or JSON null. */
json_t *pw_json_time(int64_t t);
/*
 * A JSON string of s; bytes that are not well-formed UTF-8 become U+FFFD
 * (json_string would refuse them).  NULL gives "".  Never returns NULL
 * except when out of memory.
 */
json_t *pw_json_str(const char *s);
/* pw_json_str, or JSON null for NULL or "". */
json_t *pw_json_str_or_null(const char *s);
/* Set on `obj`, in order, the fields `names` (NULL-terminated) of `m`, each
 * under its own name: strings as pw_json_str ("name?": pw_json_str_or_null),
 * integers as JSON integers, doubles as numbers (null when not finite),
 * bools as true/false.  A name `m` lacks is a programming error: abort. */
void pw_json_fields(json_t *obj, const ProtobufCMessage *m, const char *const *names);

/*
 * A copy of s fit for one terminal table cell: line ends, tabs and other
 * control characters become single spaces (runs collapsed), invalid bytes
 * become '?', leading and trailing blanks are trimmed.  malloc'd; the caller
 * frees it.  Aborts when out of memory (like the table module).
 */
char *pw_term_clean(const char *s);

/* Append to `t` a row of its n untrusted cells, each cleaned with
 * pw_term_clean() first (any n; the copies are freed again). */
void pw_table_row_clean(pw_table *t, int n, const char *const *cells);

/*
 * A malloc'd copy of s that is well-formed UTF-8 without control characters
 * other than TAB and LF (for XML-based files): invalid bytes become U+FFFD,
 * other controls are dropped.  When max_chars > 0 and s has more characters,
 * the copy keeps max_chars - 1 of them and ends with "…".  NULL gives "".
 * Aborts when out of memory.
 */
char *pw_utf8_clean(const char *s, size_t max_chars);

/* ---- labels -------------------------------------------------------------- */

/* 县市区 / 州直单位 for county / department; anything else is returned as is. */
const char *pw_label_category(const char *category);
/* 优秀 / 合格 / 不合格; anything else as is. */
const char *pw_label_grade(const char *grade);
/* 通报表彰 / 通报批评; "" for none; anything else as is. */
const char *pw_label_flag(const char *flag);
/* 绿灯 / 黄灯 / 红灯 / 无数据 (none). */
const char *pw_label_light(const char *light);
/* 按时 / 迟报 / 未报 / 未到期 / 无需报送. */
const char *pw_label_status(const char *status);
/* Colour (#rrggbb) of a light, a grade. */
const char *pw_color_light(const char *light);
const char *pw_color_grade(const char *grade);

/* ---- files --------------------------------------------------------------- */

/*
 * Write data[0..len) to `path` ("-" = stdout).  A file goes through
 * pw_file_write_atomic (common/atomic_file.h: mkstemp in the target's
 * directory + rename), so a reader never sees half a page and a planted
 * symlink redirects nothing.  0, or -1 with
 * "cannot write <path>: <reason>" in err.
 */
int pw_render_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen);

#endif
