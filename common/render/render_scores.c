/*
 * render_scores.c - scores and rankings as terminal tables, an explanation,
 * JSON, CSV, an HTML page with SVG bar charts, and an XLSX workbook.
 *
 * Design notes:
 * - The server ranks, grades and flags; nothing here recomputes a score.  The
 *   only arithmetic is the sum shown under `--explain` (items −
 *   falsifications + bonus − penalty), which restates the server's parts.
 * - Rankings arrive grouped by category, best first.  scores_categories()
 *   lists the categories in order of first appearance and every output walks
 *   them in that order, so a stray unit out of its group still lands in its
 *   category's table.
 * - Item columns of a category (CSV, HTML, XLSX) are the union of its units'
 *   item numbers in order of first appearance; a unit lacking an item shows
 *   an empty cell.
 * - Untrusted text: pw_term_clean for the terminal, pw_doc_text for HTML,
 *   pw_json_str for JSON, pw_utf8_clean for XLSX (XML forbids controls).
 */
#include "common/render/render_scores.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "common/render/render_format.h"
#include "common/render/render_record.h"
#include "common/render/render_xlsx.h"
#include "common/render/table.h"
#include "common/atomic_file.h"
#include "common/csv.h"
#include "common/text.h"
#include "common/period.h"

typedef Planwatch__V1__ScoresResponse pw_scores;
typedef Planwatch__V1__UnitScore pw_unit_score;
typedef Planwatch__V1__ScoreItem pw_score_item;

/* ---- grouping ------------------------------------------------------------ */

/* The categories in order of first appearance; malloc'd array of n borrowed
 * strings. */
static const char **scores_categories(const pw_scores *r, size_t *n)
{
    const char **v = calloc(r->n_rankings + 1, sizeof *v);
    if (!v)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < r->n_rankings; i++) {
        const char *c = r->rankings[i]->category;
        size_t j = 0;
        while (j < k && strcmp(v[j], c) != 0)
            j++;
        if (j == k)
            v[k++] = c;
    }
    *n = k;
    return v;
}

/* The units of one category in message order; malloc'd array. */
static const pw_unit_score **scores_units(const pw_scores *r, const char *category, size_t *n)
{
    const pw_unit_score **v = calloc(r->n_rankings + 1, sizeof *v);
    if (!v)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < r->n_rankings; i++)
        if (strcmp(r->rankings[i]->category, category) == 0)
            v[k++] = r->rankings[i];
    *n = k;
    return v;
}

/* The item columns of a set of units: the first item seen for every item
 * number, in order of first appearance; malloc'd array. */
static const pw_score_item **scores_columns(const pw_unit_score *const *units, size_t nunits,
                                            size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < nunits; i++)
        cap += units[i]->n_items;
    const pw_score_item **v = calloc(cap + 1, sizeof *v);
    if (!v)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < nunits; i++) {
        for (size_t j = 0; j < units[i]->n_items; j++) {
            const pw_score_item *it = units[i]->items[j];
            size_t c = 0;
            while (c < k && v[c]->item != it->item)
                c++;
            if (c == k)
                v[k++] = it;
        }
    }
    *n = k;
    return v;
}

static const pw_score_item *scores_item(const pw_unit_score *u, int32_t item)
{
    for (size_t j = 0; j < u->n_items; j++)
        if (u->items[j]->item == item)
            return u->items[j];
    return NULL;
}

static const char *scores_period_line(const pw_scores *r, char *buf, size_t len)
{
    char pct[16];
    snprintf(buf, len, "months %d..%d, t = %s", r->first_month, r->last_month,
             pw_fmt_pct(r->time_elapsed, pct, sizeof pct));
    return buf;
}

/* ---- terminal ------------------------------------------------------------ */

static const char *text_labelled(const char *key, const char *label, char *buf, size_t len)
{
    if (!key || !key[0])
        snprintf(buf, len, "-");
    else if (strcmp(key, label) == 0)
        snprintf(buf, len, "%s", key);
    else
        snprintf(buf, len, "%s (%s)", key, label);
    return buf;
}

/* The flag cell: "commend (通报表彰)", with " [office 办公室决定]" when it is
 * the office's decision. */
static const char *text_flag(const pw_unit_score *u, char *buf, size_t len)
{
    text_labelled(u->flag, pw_label_flag(u->flag), buf, len);
    if (u->flag_by_office) {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, " [office 办公室决定]");
    }
    return buf;
}

/* Who decided the flag, for the spreadsheets: the office (SPEC 3.5, its
 * last word, audited) or the sheet's rules; empty without a flag. */
static const char *flag_decided_by(const pw_unit_score *u)
{
    if (u->flag_by_office)
        return "office 办公室决定";
    return u->flag[0] ? "rules 按规则" : "";
}

void pw_render_scores_text(const pw_scores *r, FILE *f)
{
    pw_fmt_use_tz(r->has_tz_offset_min, r->tz_offset_min);
    char line[128], b[PW_TIME_BUFSIZE];
    char *plan = pw_term_clean(r->plan), *period = pw_term_clean(r->period);
    const char *pub = pw_fmt_time(r->published_at, b, sizeof b);
    char head[1024];
    snprintf(head, sizeof head, "Scores 考核排名: plan %s, %s (%s); %s%s", plan, period,
             scores_period_line(r, line, sizeof line),
             r->published ? "published " : "not published", r->published && pub ? pub : "");
    if (pw_table_get_width() > 0 && pw_text_display_width(head) > pw_table_get_width()) {
        /* a narrow terminal: the same on two lines */
        snprintf(head, sizeof head, "Scores 考核排名: plan %s, %s (%s)", plan, period,
                 scores_period_line(r, line, sizeof line));
        pw_table_print_line(head, f);
        snprintf(head, sizeof head, "%s%s", r->published ? "published " : "not published",
                 r->published && pub ? pub : "");
    }
    pw_table_print_line(head, f);
    pw_record_view rv = PW_RECORD_VIEW(r);
    pw_render_record_text(&rv, f);
    free(plan);
    free(period);
    size_t ncat = 0;
    const char **cats = scores_categories(r, &ncat);
    if (!ncat)
        fprintf(f, "\nno units ranked\n");
    for (size_t c = 0; c < ncat; c++) {
        size_t n = 0;
        const pw_unit_score **units = scores_units(r, cats[c], &n);
        char *cat = pw_term_clean(cats[c]);
        fprintf(f, "\n%s %s: %zu units\n", cat, pw_label_category(cats[c]), n);
        free(cat);
        static const char *const hdr[] = {"RANK", "UNIT", "NAME", "SCORE", "GRADE", "FLAG"};
        pw_table *t = pw_table_new(6, hdr);
        for (size_t i = 0; i < n; i++) {
            const pw_unit_score *u = units[i];
            char rank[16], score[32], grade[64], flag[96];
            snprintf(rank, sizeof rank, "%d", u->rank);
            snprintf(score, sizeof score, "%.2f", pw_round2(u->score));
            const char *row[] = {
                rank,
                u->unit,
                u->name,
                score,
                text_labelled(u->grade, pw_label_grade(u->grade), grade, sizeof grade),
                text_flag(u, flag, sizeof flag)};
            pw_table_row_clean(t, 6, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
        free(units);
    }
    free(cats);
}

/* "+1", "-10", "0" */
static const char *text_signed(double v, char *buf, size_t len)
{
    int plus = v > 0 && pw_round2(v) > 0;
    if (plus && len > 1) {
        buf[0] = '+';
        pw_fmt_num(v, buf + 1, len - 1);
    } else {
        pw_fmt_num(v, buf, len);
    }
    return buf;
}

int pw_render_scores_explain(const pw_scores *r, const char *unit, FILE *f)
{
    pw_fmt_use_tz(r->has_tz_offset_min, r->tz_offset_min);
    const pw_unit_score *u = NULL;
    for (size_t i = 0; i < r->n_rankings && !u; i++)
        if (strcmp(r->rankings[i]->unit, unit) == 0)
            u = r->rankings[i];
    if (!u)
        return -1;
    char line[128], grade[64], flag[96], computed[64];
    char *name = pw_term_clean(u->name), *id = pw_term_clean(u->unit),
         *cat = pw_term_clean(u->category), *period = pw_term_clean(r->period);
    fprintf(f, "%s (%s), %s, %s (%s)\n", name, id, cat, period,
            scores_period_line(r, line, sizeof line));
    fprintf(f, "score %.2f, rank %d, grade %s, flag %s\n", pw_round2(u->score), u->rank,
            text_labelled(u->grade, pw_label_grade(u->grade), grade, sizeof grade),
            text_flag(u, flag, sizeof flag));
    if (u->flag_by_office) {
        char *reason = pw_term_clean(u->flag_reason);
        fprintf(f, "flag by the office's decision (办公室决定): %s; by the rules: %s\n", reason,
                text_labelled(u->computed_flag, pw_label_flag(u->computed_flag), computed,
                              sizeof computed));
        free(reason);
    }
    free(name);
    free(id);
    free(cat);
    free(period);

    double sum = 0;
    for (size_t j = 0; j < u->n_items; j++) {
        const pw_score_item *it = u->items[j];
        sum += it->points;
        char *group = pw_term_clean(it->group), *content = pw_term_clean(it->content),
             *kind = pw_term_clean(it->kind);
        char pts[PW_NUM_BUFSIZE], max[PW_NUM_BUFSIZE];
        fprintf(f, "\nitem %d  %s%s%s [%s]: %s / %s\n", it->item, group, group[0] ? " · " : "",
                content, kind, pw_fmt_num(it->points, pts, sizeof pts),
                pw_fmt_num(it->max, max, sizeof max));
        for (size_t k = 0; k < it->n_explain; k++) {
            char *e = pw_term_clean(it->explain[k]);
            fprintf(f, "    - %s\n", e);
            free(e);
        }
        free(group);
        free(content);
        free(kind);
    }
    char a[PW_NUM_BUFSIZE], b[PW_NUM_BUFSIZE], c[PW_NUM_BUFSIZE], d[PW_NUM_BUFSIZE],
        e[PW_NUM_BUFSIZE];
    fprintf(f, "\nadjustments outside the sheet:\n");
    fprintf(f, "    falsifications (资料造假): %s\n",
            text_signed(-u->falsification_points, a, sizeof a));
    fprintf(f, "    bonus (加分): %s\n", text_signed(u->bonus, b, sizeof b));
    fprintf(f, "    penalty (扣分): %s\n", text_signed(-u->penalty, c, sizeof c));
    for (size_t k = 0; k < u->n_explain; k++) {
        char *x = pw_term_clean(u->explain[k]);
        fprintf(f, "    - %s\n", x);
        free(x);
    }
    double total = sum - u->falsification_points + u->bonus - u->penalty;
    /* every term named, in both languages: items, falsifications, bonus,
     * penalty */
    fprintf(f,
            "\ntotal (总分): items 分项 %s, falsifications 资料造假 %s, bonus 加分 %s, "
            "penalty 扣分 %s = %s%s; score %.2f\n",
            pw_fmt_num(sum, d, sizeof d), a, b, c, pw_fmt_num(total, e, sizeof e),
            total < 0 ? " (floor 0)" : "", pw_round2(u->score));
    return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *json_round2(double v)
{
    return isfinite(v) ? json_real(pw_round2(v)) : json_null();
}

/* o["explain"] = the n lines of v, as an array of strings; nothing when n is 0 */
static void json_set_explain(json_t *o, char **v, size_t n)
{
    if (!n)
        return;
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, pw_json_str(v[i]));
    json_object_set_new(o, "explain", a);
}

/* One line of a unit's score sheet. */
static json_t *scores_item_json(const pw_score_item *it)
{
    json_t *x = json_object();
    json_object_set_new(x, "item", json_integer(it->item));
    json_object_set_new(x, "group", pw_json_str(it->group));
    json_object_set_new(x, "content", pw_json_str(it->content));
    json_object_set_new(x, "kind", pw_json_str(it->kind));
    json_object_set_new(x, "points", json_round2(it->points));
    json_object_set_new(x, "max", json_round2(it->max));
    json_set_explain(x, it->explain, it->n_explain);
    return x;
}

/* One unit of the rankings, with its score sheet. */
static json_t *scores_unit_json(const pw_unit_score *u)
{
    json_t *e = json_object();
    json_object_set_new(e, "unit", pw_json_str(u->unit));
    json_object_set_new(e, "name", pw_json_str(u->name));
    json_object_set_new(e, "category", pw_json_str(u->category));
    json_object_set_new(e, "score", json_round2(u->score));
    json_object_set_new(e, "score_unrounded",
                        isfinite(u->score_unrounded) ? json_real(u->score_unrounded) : json_null());
    json_object_set_new(e, "rank", json_integer(u->rank));
    json_object_set_new(e, "grade", pw_json_str(u->grade));
    json_object_set_new(e, "flag", pw_json_str_or_null(u->flag));
    json_object_set_new(e, "flag_by_office", json_boolean(u->flag_by_office));
    json_object_set_new(e, "computed_flag", pw_json_str_or_null(u->computed_flag));
    json_object_set_new(e, "flag_reason", pw_json_str_or_null(u->flag_reason));
    json_t *items = json_array();
    for (size_t j = 0; j < u->n_items; j++)
        json_array_append_new(items, scores_item_json(u->items[j]));
    json_object_set_new(e, "items", items);
    json_object_set_new(e, "falsification_points", json_round2(u->falsification_points));
    json_object_set_new(e, "bonus", json_round2(u->bonus));
    json_object_set_new(e, "penalty", json_round2(u->penalty));
    json_set_explain(e, u->explain, u->n_explain);
    return e;
}

json_t *pw_render_scores_json(const pw_scores *r)
{
    pw_fmt_use_tz(r->has_tz_offset_min, r->tz_offset_min);
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "plan", pw_json_str(r->plan));
    json_object_set_new(o, "period", pw_json_str(r->period));
    json_object_set_new(o, "first_month", json_integer(r->first_month));
    json_object_set_new(o, "last_month", json_integer(r->last_month));
    json_object_set_new(o, "time_elapsed",
                        isfinite(r->time_elapsed) ? json_real(r->time_elapsed) : json_null());
    json_object_set_new(o, "generated_at", pw_json_time(r->generated_at));
    json_object_set_new(o, "published", json_boolean(r->published));
    json_object_set_new(o, "published_at", pw_json_time(r->published_at));
    pw_record_view rv = PW_RECORD_VIEW(r);
    pw_render_record_json(&rv, o);
    json_t *rankings = json_array();
    for (size_t i = 0; i < r->n_rankings; i++)
        json_array_append_new(rankings, scores_unit_json(r->rankings[i]));
    json_object_set_new(o, "rankings", rankings);
    return o;
}

/* ---- CSV ----------------------------------------------------------------- */

int pw_render_scores_csv(const pw_scores *r, pw_strbuf *out)
{
    pw_fmt_use_tz(r->has_tz_offset_min, r->tz_offset_min);
    pw_csv_writer w;
    if (pw_csv_writer_init_strbuf(&w, out, PW_CSV_WRITE_BOM | PW_CSV_WRITE_SPREADSHEET) != 0)
        return -1;
    int failed = 0;
    size_t ncat = 0;
    const char **cats = scores_categories(r, &ncat);
    for (size_t c = 0; c < ncat; c++) {
        size_t n = 0, ncol = 0;
        const pw_unit_score **units = scores_units(r, cats[c], &n);
        const pw_score_item **cols = scores_columns(units, n, &ncol);
        if (c > 0 && pw_strbuf_append_str(out, "\r\n") != 0)
            failed = 1;
        const char *title[] = {cats[c], pw_label_category(cats[c])};
        pw_csv_write_record(&w, title, 2);
        static const char *const head[] = {"rank",  "unit",  "name", "category",
                                           "score", "grade", "flag"};
        for (size_t k = 0; k < 7; k++)
            pw_csv_write_str(&w, head[k]);
        for (size_t k = 0; k < ncol; k++)
            pw_csv_write_fieldf(&w, "item_%d", cols[k]->item);
        pw_csv_write_str(&w, "falsification_points");
        pw_csv_write_str(&w, "bonus");
        pw_csv_write_str(&w, "penalty");
        pw_csv_write_str(&w, "flag_decided_by");
        pw_csv_end_record(&w);
        for (size_t i = 0; i < n; i++) {
            const pw_unit_score *u = units[i];
            pw_csv_write_fieldf(&w, "%d", u->rank);
            pw_csv_write_str(&w, u->unit);
            pw_csv_write_str(&w, u->name);
            pw_csv_write_str(&w, u->category);
            pw_csv_write_fieldf(&w, "%.2f", pw_round2(u->score));
            pw_csv_write_str(&w, u->grade);
            pw_csv_write_str(&w, u->flag);
            for (size_t k = 0; k < ncol; k++) {
                const pw_score_item *it = scores_item(u, cols[k]->item);
                if (it)
                    pw_csv_write_fieldf(&w, "%.2f", pw_round2(it->points));
                else
                    pw_csv_write_str(&w, "");
            }
            pw_csv_write_fieldf(&w, "%.2f", pw_round2(u->falsification_points));
            pw_csv_write_fieldf(&w, "%.2f", pw_round2(u->bonus));
            pw_csv_write_fieldf(&w, "%.2f", pw_round2(u->penalty));
            pw_csv_write_str(&w, flag_decided_by(u));
            pw_csv_end_record(&w);
        }
        free(cols);
        free(units);
    }
    free(cats);
    return failed || pw_csv_writer_failed(&w) ? -1 : 0;
}

/* ---- HTML ---------------------------------------------------------------- */

static const char scores_css[] =
    ".chart{margin:4px 0 8px;max-width:900px}\n"
    ".sr{display:flex;align-items:center;gap:6px;height:22px;font-size:13px}\n"
    ".sr .rk{flex:0 0 1.6em;text-align:right;color:var(--muted)}\n"
    ".sr .nm{flex:0 0 9em;text-align:right;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}\n"
    ".sr .tk{flex:1 1 auto;position:relative;height:14px;background:#eef1f5;border-radius:2px;"
    "min-width:40px}\n"
    ".sr .bf{position:absolute;left:0;top:0;bottom:0;border-radius:2px}\n"
    ".sr .th{position:absolute;top:-3px;bottom:-3px;border-left:1px dashed #5f6b7a;z-index:1}\n"
    ".sr .sc{flex:0 0 3.4em;text-align:right;font-variant-numeric:tabular-nums}\n"
    ".sr .fl{flex:0 0 4em;font-size:12px}\n" PW_DOC_CSS_NOTE_AND_WIDE_TABLE
    ".items th:first-child,.items td:first-child{position:sticky;left:0;background:#fff;z-index:1;"
    "white-space:nowrap}\n"
    ".items thead th:first-child{background:var(--head)}\n"
    "@media (max-width:640px){body{padding:12px 10px}h1{font-size:19px}"
    ".hide-phone{display:none}.sr{gap:4px}.sr .nm{flex-basis:5em}.sr .fl{flex-basis:3.8em}"
    ".sr{font-size:12px}th,td{padding:3px 4px}}\n"
    "@media print{.tw{overflow:visible}.items td:first-child{position:static}"
    ".sr{height:14px;font-size:8pt}.sr .tk{height:9px}.note{font-size:7.5pt}"
    "section dl.key{font-size:7pt;grid-template-columns:max-content 1fr max-content 1fr;gap:0 8px}"
    "th,td{padding:1px 5px}footer{margin-top:4pt;padding-top:2pt}h2{margin-top:8pt}}\n"
    ".items th.num,.items td.num{min-width:44px}\n"
    ".flag-commend{color:#2e9d4f;font-weight:600;white-space:nowrap}\n"
    ".flag-criticise{color:#d64545;font-weight:600;white-space:nowrap}\n"
    "dl.key{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;font-size:12px;"
    "color:var(--muted);margin:4px 0 10px}dl.key dt{font-weight:600}dl.key dd{margin:0}\n"
    "section.cat{break-before:auto}\n"
    "@media print{section.cat+section.cat{break-before:page;page-break-before:always}}\n";

static void html_grade_badge(pw_doc *d, const char *grade)
{
    const char *cls = strcmp(grade, "excellent") == 0     ? "b-green"
                      : strcmp(grade, "qualified") == 0   ? "b-blue"
                      : strcmp(grade, "unqualified") == 0 ? "b-red"
                                                          : "b-none";
    pw_doc_rawf(d, "<span class=\"badge %s\">", cls);
    pw_doc_text(d, pw_label_grade(grade));
    pw_doc_raw(d, "</span>");
}

static void html_flag(pw_doc *d, const char *flag)
{
    if (strcmp(flag, "commend") == 0)
        pw_doc_raw(d, "<span class=\"flag-commend\">★ 通报表彰</span>");
    else if (strcmp(flag, "criticise") == 0)
        pw_doc_raw(d, "<span class=\"flag-criticise\">▼ 通报批评</span>");
    else if (flag[0])
        pw_doc_text(d, flag);
    else
        pw_doc_raw(d, "<span class=\"muted\">—</span>");
}

/* Horizontal bars, one per unit in rank order, as HTML boxes (not an SVG
 * that a phone would shrink to unreadable text): the track runs from 0 to
 * max(100, best score); dashed marks at the grade thresholds 70 and 90. */
static void html_chart(pw_doc *d, const pw_unit_score *const *units, size_t n)
{
    double top_score = 100;
    for (size_t i = 0; i < n; i++)
        if (isfinite(units[i]->score) && units[i]->score > top_score)
            top_score = units[i]->score;
    pw_doc_raw(d, "<div class=\"chart\" role=\"img\" aria-label=\"得分\">\n");
    for (size_t i = 0; i < n; i++) {
        const pw_unit_score *u = units[i];
        double v = isfinite(u->score) && u->score > 0 ? u->score : 0;
        pw_doc_rawf(d, "<div class=\"sr\"><span class=\"rk\">%d</span><span class=\"nm\">",
                    u->rank);
        pw_doc_text(d, u->name[0] ? u->name : u->unit);
        pw_doc_rawf(d,
                    "</span><span class=\"tk\"><i class=\"th\" style=\"left:%.1f%%\"></i>"
                    "<i class=\"th\" style=\"left:%.1f%%\"></i><span class=\"bf\" "
                    "style=\"width:%.1f%%;background:%s\" title=\"",
                    100 * 70 / top_score, 100 * 90 / top_score, 100 * v / top_score,
                    pw_color_grade(u->grade));
        pw_doc_text(d, u->name);
        pw_doc_rawf(d, " %.2f\"></span></span><b class=\"sc\">%.2f</b><span class=\"fl\">",
                    pw_round2(u->score), pw_round2(u->score));
        if (strcmp(u->flag, "commend") == 0)
            pw_doc_raw(d, "<span class=\"flag-commend\">★ 表彰</span>");
        else if (strcmp(u->flag, "criticise") == 0)
            pw_doc_raw(d, "<span class=\"flag-criticise\">▼ 批评</span>");
        pw_doc_raw(d, "</span></div>\n");
    }
    pw_doc_raw(d, "<p class=\"note\">虚线：70分合格线、90分优秀线。</p></div>\n");
}

/* A category's heading and the legend of grades and flags. */
static void html_category_heading(pw_doc *d, const char *category, size_t n)
{
    pw_doc_raw(d, "<section class=\"cat\">\n<h2>");
    pw_doc_text(d, pw_label_category(category));
    pw_doc_raw(d, " <span class=\"en\">");
    pw_doc_text(d, category);
    pw_doc_rawf(d, ", %zu</span></h2>\n", n);
    pw_doc_raw(d, "<div class=\"legend\">"
                  "<span><i class=\"sw\" style=\"background:#2e9d4f\"></i>优秀 excellent ≥ 90"
                  "</span><span><i class=\"sw\" style=\"background:#3a78c3\"></i>合格 qualified "
                  "≥ 70</span><span><i class=\"sw\" style=\"background:#d64545\"></i>不合格 "
                  "unqualified</span><span class=\"flag-commend\">★ 通报表彰 commend</span>"
                  "<span class=\"flag-criticise\">▼ 通报批评 criticise</span></div>\n");
}

/* One unit's row of the ranking: rank, name, score, grade, flag and the
 * adjustments. */
static void html_ranking_row(pw_doc *d, const pw_unit_score *u)
{
    char a[PW_NUM_BUFSIZE], b[PW_NUM_BUFSIZE], c[PW_NUM_BUFSIZE];
    pw_doc_rawf(d, "<tr><td class=\"num\">%d</td><td>", u->rank);
    pw_doc_text(d, u->name[0] ? u->name : u->unit);
    pw_doc_raw(d, " <span class=\"en hide-phone\">");
    pw_doc_text(d, u->unit);
    pw_doc_rawf(d, "</span></td><td class=\"num\"><b>%.2f</b></td><td>", pw_round2(u->score));
    html_grade_badge(d, u->grade);
    pw_doc_raw(d, "</td><td>");
    html_flag(d, u->flag);
    if (u->flag_by_office) {
        pw_doc_raw(d, " <span class=\"en\" title=\"");
        pw_doc_text(d, u->flag_reason);
        pw_doc_raw(d, "\">（办公室决定 office）</span>");
    }
    pw_doc_raw(d, "</td><td class=\"num hide-phone\">");
    pw_doc_text(d,
                u->falsification_points ? pw_fmt_num(-u->falsification_points, a, sizeof a) : "—");
    pw_doc_raw(d, "</td><td class=\"num hide-phone\">");
    pw_doc_text(d, u->bonus ? pw_fmt_num(u->bonus, b, sizeof b) : "—");
    pw_doc_raw(d, "</td><td class=\"num hide-phone\">");
    pw_doc_text(d, u->penalty ? pw_fmt_num(-u->penalty, c, sizeof c) : "—");
    pw_doc_raw(d, "</td></tr>\n");
}

/* The ranking table of a category. */
static void html_ranking_table(pw_doc *d, const pw_unit_score **units, size_t n)
{
    pw_doc_raw(d,
               "<table>\n<thead><tr><th class=\"num\">名次 <span class=\"en\">rank</span></th>"
               "<th>单位 <span class=\"en\">unit</span></th>"
               "<th class=\"num\">得分 <span class=\"en\">score</span></th>"
               "<th>等次 <span class=\"en\">grade</span></th>"
               "<th>通报 <span class=\"en\">flag</span></th>"
               "<th class=\"num hide-phone\">资料造假 <span class=\"en\">falsification</span></th>"
               "<th class=\"num hide-phone\">加分 <span class=\"en\">bonus</span></th>"
               "<th class=\"num hide-phone\">扣分 <span class=\"en\">penalty</span></th>"
               "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++)
        html_ranking_row(d, units[i]);
    pw_doc_raw(d, "</tbody>\n</table>\n");
}

/* The header of the points table: the item numbers, then their maxima. */
static void html_item_points_head(pw_doc *d, const pw_score_item **cols, size_t ncol)
{
    char a[PW_NUM_BUFSIZE];
    pw_doc_raw(
        d, "<h3>分项得分 <span class=\"en\">Points per item</span></h3>\n"
           "<div class=\"tw\"><table class=\"items\">\n<thead><tr><th>单位 <span class=\"en\">unit"
           "</span></th>");
    for (size_t k = 0; k < ncol; k++) {
        pw_doc_rawf(d, "<th class=\"num\" title=\"");
        pw_doc_text(d, cols[k]->content);
        pw_doc_rawf(d, "\">%d</th>", cols[k]->item);
    }
    pw_doc_raw(d, "<th class=\"num\">总分 <span class=\"en\">total</span></th></tr>\n"
                  "<tr><th class=\"muted\">满分 <span class=\"en\">max</span></th>");
    for (size_t k = 0; k < ncol; k++) {
        pw_doc_raw(d, "<th class=\"num muted\">");
        pw_doc_text(d, pw_fmt_num(cols[k]->max, a, sizeof a));
        pw_doc_raw(d, "</th>");
    }
    pw_doc_raw(d, "<th class=\"num muted\">100</th></tr></thead>\n<tbody>\n");
}

/* The points of each unit per item, then the key of the items. */
static void html_item_points(pw_doc *d, const pw_unit_score **units, size_t n,
                             const pw_score_item **cols, size_t ncol)
{
    html_item_points_head(d, cols, ncol);
    for (size_t i = 0; i < n; i++) {
        const pw_unit_score *u = units[i];
        pw_doc_raw(d, "<tr><td>");
        pw_doc_text(d, u->name[0] ? u->name : u->unit);
        pw_doc_raw(d, "</td>");
        for (size_t k = 0; k < ncol; k++) {
            const pw_score_item *it = scores_item(u, cols[k]->item);
            if (!it) {
                pw_doc_raw(d, "<td class=\"num\">—</td>");
                continue;
            }
            /* points below the maximum stand out */
            pw_doc_rawf(d, "<td class=\"num\"%s>%.2f</td>",
                        it->points < it->max ? " style=\"color:#b03030\"" : "",
                        pw_round2(it->points));
        }
        pw_doc_rawf(d, "<td class=\"num\"><b>%.2f</b></td></tr>\n", pw_round2(u->score));
    }
    pw_doc_raw(d, "</tbody>\n</table></div>\n<dl class=\"key\">");
    for (size_t k = 0; k < ncol; k++) {
        pw_doc_rawf(d, "<dt>%d</dt><dd>", cols[k]->item);
        pw_doc_text(d, cols[k]->group);
        if (cols[k]->group[0])
            pw_doc_raw(d, " · ");
        pw_doc_text(d, cols[k]->content);
        pw_doc_raw(d, "</dd>");
    }
    pw_doc_raw(d, "</dl>\n");
}

static void html_category(pw_doc *d, const pw_scores *r, const char *category)
{
    size_t n = 0, ncol = 0;
    const pw_unit_score **units = scores_units(r, category, &n);
    const pw_score_item **cols = scores_columns(units, n, &ncol);
    html_category_heading(d, category, n);
    html_chart(d, units, n);
    html_ranking_table(d, units, n);
    if (ncol)
        html_item_points(d, units, n, cols, ncol);
    pw_doc_raw(d, "</section>\n");
    free(cols);
    free(units);
}

int pw_render_scores_html(const pw_scores *r, pw_strbuf *out)
{
    pw_fmt_use_tz(r->has_tz_offset_min, r->tz_offset_min);
    pw_doc d = {out, 0};
    char title[512], b[PW_TIME_BUFSIZE], pct[16];
    const char *plan_title = r->plan_name[0] ? r->plan_name : r->plan;
    snprintf(title, sizeof title, "考核排名 %s %s", plan_title, r->period);
    pw_doc_begin(&d, title, scores_css);
    pw_doc_raw(&d, "<header>\n<h1>");
    if (r->plan_name[0]) {
        pw_doc_text(&d, r->plan_name);
        pw_doc_raw(&d, " ");
    }
    pw_doc_raw(&d, "考核排名 <span class=\"en\">Scores and rankings</span></h1>\n"
                   "<p class=\"meta\">");
    pw_doc_text(&d, r->period);
    pw_doc_rawf(&d,
                " · %d–%d 月 <span class=\"en\">months</span> · 时间进度 "
                "<span class=\"en\">time elapsed</span> t = ",
                r->first_month, r->last_month);
    pw_doc_text(&d, pw_fmt_pct(r->time_elapsed, pct, sizeof pct));
    if (r->plan[0]) {
        pw_doc_raw(&d, " · 计划 <span class=\"en\">plan</span> ");
        pw_doc_text(&d, r->plan);
    }
    pw_doc_raw(&d, " · ");
    const char *pub = pw_fmt_time_short(r->published_at, b, sizeof b);
    if (r->published) {
        pw_doc_raw(&d, "已发布 <span class=\"en\">published</span> ");
        pw_doc_text(&d, pub ? pub : "");
    } else {
        pw_doc_raw(&d, "未发布 <span class=\"en\">not published</span>");
    }
    pw_doc_raw(&d, "</p>\n");
    pw_record_view rv = PW_RECORD_VIEW(r);
    pw_render_record_html(&rv, &d);
    pw_doc_raw(&d, "</header>\n");
    size_t ncat = 0;
    const char **cats = scores_categories(r, &ncat);
    if (!ncat)
        pw_doc_raw(&d, "<p class=\"muted\">无排名 no units ranked</p>\n");
    for (size_t c = 0; c < ncat; c++)
        html_category(&d, r, cats[c]);
    free(cats);
    pw_doc_end(&d, pw_fmt_time_short(r->generated_at, b, sizeof b));
    return d.failed ? -1 : 0;
}

/* ---- XLSX ---------------------------------------------------------------- */

typedef struct xlsx_ctx {
    lxw_workbook *wb;
    lxw_format *bold, *wrap, *num2, *signed2, *title;
} xlsx_ctx;

/* The title rows every sheet starts with: "<plan name> 考核排名 <period>
 * <what>" and the publication line; returns the next row. */
static lxw_row_t xlsx_title(xlsx_ctx *x, lxw_worksheet *ws, const pw_scores *r, const char *what)
{
    char line[1024], b1[PW_TIME_BUFSIZE], b2[PW_TIME_BUFSIZE];
    snprintf(line, sizeof line, "%s 考核排名 %s%s%s", r->plan_name[0] ? r->plan_name : r->plan,
             r->period, what[0] ? " " : "", what);
    char *clean = pw_utf8_clean(line, 0);
    worksheet_write_string(ws, 0, 0, clean, x->title);
    free(clean);
    const char *pub = pw_fmt_time_short(r->published_at, b1, sizeof b1);
    const char *gen = pw_fmt_time_short(r->generated_at, b2, sizeof b2);
    snprintf(line, sizeof line, "%d–%d月 · %s%s · 生成 %s", r->first_month, r->last_month,
             r->published ? "发布 " : "未发布", r->published && pub ? pub : "", gen ? gen : "");
    clean = pw_utf8_clean(line, 0);
    worksheet_write_string(ws, 1, 0, clean, NULL);
    free(clean);
    return 3;
}

static void xlsx_string(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                        lxw_format *fmt)
{
    char *clean = pw_utf8_clean(s, 0);
    worksheet_write_string(ws, row, col, clean, fmt);
    free(clean);
}

static void xlsx_number(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v, lxw_format *fmt)
{
    if (isfinite(v))
        worksheet_write_number(ws, row, col, v, fmt);
}

/* A worksheet name: at most 31 characters, none of []:*?/\', unique in the
 * workbook ("县市区 county"; "category N" when that is taken or invalid). */
static void xlsx_sheet_name(lxw_workbook *wb, const char *category, const char *period,
                            size_t index, char *buf, size_t len)
{
    const char *zh = pw_label_category(category);
    char raw[256];
    snprintf(raw, sizeof raw, "%s排名 %s", category[0] ? zh : "单位", period);
    for (char *p = raw; *p; p++)
        if (strchr("[]:*?/\\'", *p))
            *p = '_';
    char *clean = pw_utf8_clean(raw, 31);
    snprintf(buf, len, "%s", clean);
    free(clean);
    if (workbook_validate_sheet_name(wb, buf) != LXW_NO_ERROR)
        snprintf(buf, len, "category %zu", index + 1);
}

static void xlsx_ranking_sheet(xlsx_ctx *x, const pw_scores *r, const char *category, size_t index)
{
    char name[160];
    xlsx_sheet_name(x->wb, category, r->period, index, name, sizeof name);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws)
        return;
    static const char *const head[] = {"名次", "单位代码", "单位", "得分", "等次",
                                       "通报", "资料造假", "加分", "扣分"};
    lxw_row_t top = xlsx_title(x, ws, r, pw_label_category(category));
    for (lxw_col_t c = 0; c < 9; c++)
        worksheet_write_string(ws, top, c, head[c], x->bold);
    size_t n = 0;
    const pw_unit_score **units = scores_units(r, category, &n);
    for (size_t i = 0; i < n; i++) {
        const pw_unit_score *u = units[i];
        lxw_row_t row = (lxw_row_t)(top + 1 + i);
        worksheet_write_number(ws, row, 0, u->rank, NULL);
        xlsx_string(ws, row, 1, u->unit, NULL);
        xlsx_string(ws, row, 2, u->name, NULL);
        xlsx_number(ws, row, 3, pw_round2(u->score), x->num2);
        xlsx_string(ws, row, 4, pw_label_grade(u->grade), NULL);
        char flag[128];
        snprintf(flag, sizeof flag, "%s%s", u->flag[0] ? pw_label_flag(u->flag) : "",
                 u->flag_by_office ? "（办公室决定）" : "");
        xlsx_string(ws, row, 5, flag, NULL);
        /* signed as on the web page: what is taken off is negative */
        xlsx_number(ws, row, 6, -pw_round2(u->falsification_points), x->signed2);
        xlsx_number(ws, row, 7, pw_round2(u->bonus), x->signed2);
        xlsx_number(ws, row, 8, -pw_round2(u->penalty), x->signed2);
    }
    free(units);
    worksheet_set_column(ws, 0, 0, 8, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, 2, 22, NULL);
    worksheet_set_column(ws, 3, 3, 11, NULL);
    worksheet_set_column(ws, 4, 5, 12, NULL);
    worksheet_set_column(ws, 6, 6, 11, NULL);
    worksheet_set_column(ws, 7, 8, 11, NULL);
    worksheet_freeze_panes(ws, top + 1, 0);
    pw_render_xlsx_page_setup(ws, top, 0.4, 0.5);
}

/* One block per category: a title row, a header row (item number and group),
 * a row of maxima, one row per unit. */
static void xlsx_items_sheet(xlsx_ctx *x, const pw_scores *r, const char **cats, size_t ncat)
{
    char name[64];
    snprintf(name, sizeof name, "分项得分 %s", r->period);
    for (char *p = name; *p; p++)
        if (strchr("[]:*?/\\'", *p))
            *p = '_';
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws)
        return;
    lxw_row_t row = xlsx_title(x, ws, r, "分项得分");
    lxw_row_t first_header = 0;
    lxw_col_t widest = 0;
    for (size_t c = 0; c < ncat; c++) {
        size_t n = 0, ncol = 0;
        const pw_unit_score **units = scores_units(r, cats[c], &n);
        const pw_score_item **cols = scores_columns(units, n, &ncol);
        char title[256];
        snprintf(title, sizeof title, "%s", pw_label_category(cats[c]));
        xlsx_string(ws, row++, 0, title, x->title);
        if (!first_header)
            first_header = row;
        worksheet_write_string(ws, row, 0, "名次", x->bold);
        worksheet_write_string(ws, row, 1, "单位代码", x->bold);
        worksheet_write_string(ws, row, 2, "单位", x->bold);
        size_t longest = 0;
        for (size_t k = 0; k < ncol; k++) {
            /* "4 按要求上报计划、方案、总结并参加有关会议": number and the
             * whole content, wrapped (never cut) */
            char *content =
                pw_utf8_clean(cols[k]->content[0] ? cols[k]->content : cols[k]->group, 0);
            char head[1024];
            snprintf(head, sizeof head, "%d %s", cols[k]->item, content);
            free(content);
            size_t len = strlen(head);
            if (len > longest)
                longest = len;
            xlsx_string(ws, row, (lxw_col_t)(3 + k), head, x->wrap);
        }
        /* about 7 CJK characters (3 bytes each) a line in a 16-wide column */
        double lines = (double)(longest / 21 + 1);
        worksheet_set_row(ws, row, lines * 15 > 48 ? lines * 15 : 48, NULL);
        lxw_col_t tail = (lxw_col_t)(3 + ncol);
        worksheet_write_string(ws, row, tail, "资料造假", x->bold);
        worksheet_write_string(ws, row, tail + 1, "加分", x->bold);
        worksheet_write_string(ws, row, tail + 2, "扣分", x->bold);
        worksheet_write_string(ws, row, tail + 3, "总分", x->bold);
        if (tail + 3 > widest)
            widest = tail + 3;
        row++;
        worksheet_write_string(ws, row, 2, "满分", NULL);
        for (size_t k = 0; k < ncol; k++)
            xlsx_number(ws, row, (lxw_col_t)(3 + k), cols[k]->max, x->num2);
        row++;
        for (size_t i = 0; i < n; i++, row++) {
            const pw_unit_score *u = units[i];
            worksheet_write_number(ws, row, 0, u->rank, NULL);
            xlsx_string(ws, row, 1, u->unit, NULL);
            xlsx_string(ws, row, 2, u->name, NULL);
            for (size_t k = 0; k < ncol; k++) {
                const pw_score_item *it = scores_item(u, cols[k]->item);
                if (it)
                    xlsx_number(ws, row, (lxw_col_t)(3 + k), pw_round2(it->points), x->num2);
            }
            xlsx_number(ws, row, tail, -pw_round2(u->falsification_points), x->signed2);
            xlsx_number(ws, row, tail + 1, pw_round2(u->bonus), x->signed2);
            xlsx_number(ws, row, tail + 2, -pw_round2(u->penalty), x->signed2);
            xlsx_number(ws, row, tail + 3, pw_round2(u->score), x->num2);
        }
        row++; /* an empty row between blocks */
        free(cols);
        free(units);
    }
    worksheet_set_column(ws, 0, 0, 8, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, 2, 22, NULL);
    if (widest >= 3)
        worksheet_set_column(ws, 3, widest, 16, NULL);
    pw_render_xlsx_page_setup(ws, first_header ? first_header : 2, 0.4, 0.5);
}

/* The workbook at tmp (a private temporary name: pw_file_write_atomic_with). */
static int scores_xlsx_produce(const char *tmp, void *arg, char *err, size_t errlen)
{
    const pw_scores *r = arg;
    xlsx_ctx x = {0};
    x.wb = workbook_new(tmp);
    if (!x.wb) {
        snprintf(err, errlen, "cannot start the workbook");
        return -1;
    }
    lxw_doc_properties props = {0};
    char subject[256];
    snprintf(subject, sizeof subject, "%s %s", r->plan_name[0] ? r->plan_name : r->plan, r->period);
    props.title = "考核排名";
    props.subject = subject;
    props.author = "planwatch";
    workbook_set_properties(x.wb, &props);
    x.bold = workbook_add_format(x.wb);
    format_set_bold(x.bold);
    format_set_bg_color(x.bold, 0xEEF1F5);
    format_set_bottom(x.bold, LXW_BORDER_THIN);
    x.wrap = workbook_add_format(x.wb);
    format_set_bold(x.wrap);
    format_set_bg_color(x.wrap, 0xEEF1F5);
    format_set_bottom(x.wrap, LXW_BORDER_THIN);
    format_set_text_wrap(x.wrap);
    format_set_align(x.wrap, LXW_ALIGN_VERTICAL_TOP);
    x.num2 = workbook_add_format(x.wb);
    format_set_num_format(x.num2, "0.00");
    x.signed2 = workbook_add_format(x.wb);
    format_set_num_format(x.signed2, "+0.00;-0.00;0.00");
    x.title = workbook_add_format(x.wb);
    format_set_bold(x.title);
    format_set_font_size(x.title, 13);

    size_t ncat = 0;
    const char **cats = scores_categories(r, &ncat);
    for (size_t c = 0; c < ncat; c++)
        xlsx_ranking_sheet(&x, r, cats[c], c);
    if (!ncat) {
        lxw_worksheet *ws = workbook_add_worksheet(x.wb, "排名");
        if (ws)
            worksheet_write_string(ws, xlsx_title(&x, ws, r, ""), 0, "无排名", NULL);
    }
    xlsx_items_sheet(&x, r, cats, ncat);
    free(cats);
    lxw_error e = workbook_close(x.wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s", lxw_strerror(e));
        return -1;
    }
    return 0;
}

int pw_render_scores_xlsx(const pw_scores *r, const char *path, char *err, size_t errlen)
{
    pw_fmt_use_tz(r->has_tz_offset_min, r->tz_offset_min);
    char inner[256] = "";
    if (pw_file_write_atomic_with(path, 0666, scores_xlsx_produce, (void *)r, inner,
                                  sizeof inner) != 0) {
        if (strncmp(inner, "cannot write ", 13) == 0)
            snprintf(err, errlen, "%s", inner);
        else
            snprintf(err, errlen, "cannot write %s: %s", path, inner);
        return -1;
    }
    return 0;
}
