/*
 * render_dispatch.c - the dispatch summary as a terminal report, JSON, CSV,
 * XLSX and one printable HTML page (the bulletin).
 *
 * Design notes:
 * - The server decides everything (statuses, lights, rates, which items are
 *   red or overdue); these functions only lay it out.  Terminal, JSON and
 *   CSV keep the server's order (overdue supervision items first).  The
 *   bulletin (HTML, XLSX) is ordered for its reader: units by category, then
 *   how far behind (missing, late by days, returned, red count); red items
 *   grouped by unit; indicators in plan order (the message's catalog, else
 *   the plan-wide list, a measure "X.Mk" placed after X).
 * - Every string from the message is untrusted: the terminal gets
 *   pw_term_clean'ed cells (no control characters, one line), HTML gets
 *   pw_doc_text, JSON gets pw_json_str (valid UTF-8), CSV gets the RFC 4180
 *   writer of common/csv, XLSX gets pw_utf8_clean.
 * - Lookups by unit and indicator go through sorted indexes, so a
 *   national-size summary (3,000 units x 200 indicators) stays O(n log n);
 *   no static state (the server renders on several threads).
 * - A summary published before a field existed renders too: missing
 *   catalog, states, months of figures fall back on what the message has.
 */
#include "common/render/render_dispatch.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "common/render/render_format.h"
#include "common/render/render_xlsx.h"
#include "common/render/render_record.h"
#include "common/render/table.h"
#include "common/csv.h"
#include "common/period.h"
#include "common/text.h"

typedef Planwatch__V1__DispatchSummary pw_summary;

/* ---- lookups ------------------------------------------------------------- */

typedef struct dispatch_key {
    const char *key;
    size_t idx;
} dispatch_key;

static int dispatch_key_cmp(const void *a, const void *b)
{
    const dispatch_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* An index of keys -> first position; `keys` is malloc'd (free it). */
typedef struct dispatch_index {
    dispatch_key *keys;
    size_t n;
} dispatch_index;

static void dispatch_index_build(dispatch_index *ix, const char *const *keys, size_t n)
{
    ix->keys = calloc(n ? n : 1, sizeof *ix->keys);
    if (!ix->keys)
        abort();
    for (size_t i = 0; i < n; i++)
        ix->keys[i] = (dispatch_key){keys[i] ? keys[i] : "", i};
    qsort(ix->keys, n, sizeof *ix->keys, dispatch_key_cmp);
    ix->n = n;
}

/* Position of the first occurrence of key, or (size_t)-1. */
static size_t dispatch_index_find(const dispatch_index *ix, const char *key)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ix->n && strcmp(ix->keys[lo].key, key) == 0)
        return ix->keys[lo].idx;
    return (size_t)-1;
}

/* Names of units and indicators by id, for the grid, the flags and the items. */
typedef struct dispatch_names {
    dispatch_index units, indicators, catalog;
} dispatch_names;

static void dispatch_names_init(dispatch_names *nm, const pw_summary *s)
{
    const char **k = calloc(s->n_units + s->n_indicators + 1, sizeof *k);
    if (!k)
        abort();
    for (size_t i = 0; i < s->n_units; i++)
        k[i] = s->units[i]->unit;
    dispatch_index_build(&nm->units, k, s->n_units);
    for (size_t i = 0; i < s->n_indicators; i++)
        k[i] = s->indicators[i]->indicator;
    dispatch_index_build(&nm->indicators, k, s->n_indicators);
    free(k);
    k = calloc(s->n_catalog + 1, sizeof *k);
    if (!k)
        abort();
    for (size_t i = 0; i < s->n_catalog; i++)
        k[i] = s->catalog[i]->indicator;
    dispatch_index_build(&nm->catalog, k, s->n_catalog);
    free(k);
}

static void dispatch_names_fini(dispatch_names *nm)
{
    free(nm->units.keys);
    free(nm->indicators.keys);
    free(nm->catalog.keys);
}

static const char *dispatch_unit_name(const dispatch_names *nm, const pw_summary *s,
                                      const char *unit)
{
    size_t i = dispatch_index_find(&nm->units, unit);
    if (i != (size_t)-1 && s->units[i]->name[0])
        return s->units[i]->name;
    return unit;
}

static const Planwatch__V1__IndicatorProgress *
dispatch_indicator(const dispatch_names *nm, const pw_summary *s, const char *indicator)
{
    size_t i = dispatch_index_find(&nm->indicators, indicator);
    return i == (size_t)-1 ? NULL : s->indicators[i];
}

/* The kind of an indicator from the catalog or the plan-wide list; NULL
 * when the summary does not say. */
static const char *dispatch_kind_of(const dispatch_names *nm, const pw_summary *s,
                                    const char *indicator)
{
    size_t i = dispatch_index_find(&nm->catalog, indicator);
    if (i != (size_t)-1)
        return s->catalog[i]->kind;
    const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, indicator);
    return p ? p->kind : NULL;
}

/* Supervision items in display order: overdue first, otherwise as sent.
 * Returns a malloc'd array of n pointers. */
static const Planwatch__V1__SupervisionItem **dispatch_supervision_order(const pw_summary *s,
                                                                         size_t *overdue)
{
    const Planwatch__V1__SupervisionItem **v = calloc(s->n_supervision + 1, sizeof *v);
    if (!v)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < s->n_supervision; i++)
        if (s->supervision[i]->overdue)
            v[k++] = s->supervision[i];
    *overdue = k;
    for (size_t i = 0; i < s->n_supervision; i++)
        if (!s->supervision[i]->overdue)
            v[k++] = s->supervision[i];
    return v;
}

static const char *dispatch_status_en(const Planwatch__V1__UnitTimeliness *u, char *buf, size_t len)
{
    if (strcmp(u->status, "on_time") == 0)
        snprintf(buf, len, "on time");
    else if (strcmp(u->status, "late") == 0)
        snprintf(buf, len, "late (%d day%s)", u->days_late, u->days_late == 1 ? "" : "s");
    else if (strcmp(u->status, "not_due") == 0)
        snprintf(buf, len, "not due");
    else if (strcmp(u->status, "not_expected") == 0)
        snprintf(buf, len, "not expected");
    else
        snprintf(buf, len, "%s", u->status);
    return buf;
}

static const char *dispatch_state_label(const char *state)
{
    if (strcmp(state, "open") == 0)
        return "未办结";
    if (strcmp(state, "answered") == 0)
        return "已答复";
    if (strcmp(state, "closed") == 0)
        return "已办结";
    return state;
}

static const char *dispatch_flag_label(const char *kind)
{
    if (strcmp(kind, "cumulative_decrease") == 0)
        return "累计值下降";
    if (strcmp(kind, "stale") == 0)
        return "数据未更新";
    if (strcmp(kind, "outlier") == 0)
        return "异常值";
    if (strcmp(kind, "early_overshoot") == 0)
        return "提前超额";
    return kind;
}

/* A milestone's actual is a state, not a number: the server sends the value
 * 0 with the progress of the state (SPEC 3.4: not_started 0, in_progress
 * 0.5, done 1), so the state is shown from the progress, and the target (1)
 * as "done".  `kind` NULL = unknown (an indicator without a plan-wide
 * target): the number is shown. */
static int dispatch_is_milestone(const char *kind)
{
    return kind && (strcmp(kind, "milestone") == 0 || strcmp(kind, "task") == 0);
}

static const char *dispatch_milestone_state(double progress, int html)
{
    if (progress >= 1)
        return html ? "已完成 done" : "done";
    if (progress >= 0.5)
        return html ? "推进中 in progress" : "in_progress";
    return html ? "未启动 not started" : "not_started";
}

/* The actual (or "-"/"—" without one) and the target of a (unit or
 * plan-wide) indicator, as text for people. */
static const char *dispatch_actual_text(const char *kind, int has_actual, double actual,
                                        double progress, int html, char *buf, size_t len)
{
    if (!has_actual)
        return html ? "—" : "-";
    if (dispatch_is_milestone(kind))
        return dispatch_milestone_state(progress, html);
    return pw_fmt_num(actual, buf, len);
}

static const char *dispatch_target_text(const char *kind, double target, int html, char *buf,
                                        size_t len)
{
    if (dispatch_is_milestone(kind))
        return html ? "完成 done" : "done";
    return pw_fmt_num(target, buf, len);
}

static const char *dispatch_title_name(const pw_summary *s)
{
    return s->plan_name[0] ? s->plan_name : s->plan;
}

/* ---- terminal ------------------------------------------------------------ */

static void text_heading(FILE *f, const char *title)
{
    fprintf(f, "\n%s\n", title);
}

/* The heading: title, plan and period, time elapsed, deadline, publication,
 * extension and the record line. */
static void text_title(const pw_summary *s, FILE *f)
{
    char b1[PW_TIME_BUFSIZE], b2[PW_TIME_BUFSIZE], pct[16];
    char *title = pw_term_clean(dispatch_title_name(s));
    char *plan = pw_term_clean(s->plan);
    char *period = pw_term_clean(s->period);
    /* the heading on one line when it fits the terminal, else the period
     * first and the plan's name on a line of its own */
    char line[2048];
    snprintf(line, sizeof line, "Dispatch summary 调度通报: %s (%s), %s", title, plan, period);
    int width = pw_table_get_width();
    if (width > 0 && pw_text_display_width(line) > width) {
        snprintf(line, sizeof line, "Dispatch summary 调度通报: %s (%s)", period, plan);
        pw_table_print_line(line, f);
        pw_table_print_line(title, f);
    } else {
        fprintf(f, "%s\n", line);
    }
    const char *dl = pw_fmt_time(s->deadline, b1, sizeof b1);
    const char *pub = pw_fmt_time(s->published_at, b2, sizeof b2);
    snprintf(line, sizeof line, "time elapsed t = %s; report deadline %s; %s%s",
             pw_fmt_pct(s->time_elapsed, pct, sizeof pct), dl ? dl : "-",
             s->published ? "published " : "not published", s->published && pub ? pub : "");
    if (width > 0 && pw_text_display_width(line) > width) {
        snprintf(line, sizeof line, "time elapsed t = %s; report deadline %s",
                 pw_fmt_pct(s->time_elapsed, pct, sizeof pct), dl ? dl : "-");
        pw_table_print_line(line, f);
        snprintf(line, sizeof line, "%s%s", s->published ? "published " : "not published",
                 s->published && pub ? pub : "");
        pw_table_print_line(line, f);
    } else {
        fprintf(f, "%s\n", line);
    }
    if (s->extended_to[0]) {
        char *why = pw_term_clean(s->extension_reason);
        snprintf(line, sizeof line, "deadline extended to %s (截止日期顺延): %s", s->extended_to,
                 why);
        pw_table_print_line(line, f);
        free(why);
    }
    pw_record_view rv = PW_RECORD_VIEW(s);
    pw_render_record_text(&rv, f);
    free(title);
    free(plan);
    free(period);
}

static void text_timeliness(const pw_summary *s, FILE *f)
{
    char b1[PW_TIME_BUFSIZE];
    text_heading(f, "Timeliness (报送情况)");
    if (!s->n_units) {
        fprintf(f, "no units\n");
        return;
    }
    static const char *const hdr[] = {"UNIT",   "NAME", "CATEGORY", "STATUS", "RECEIVED",
                                      "REVIEW", "RED",  "YELLOW",   "GREEN",  "INDICATORS"};
    pw_table *t = pw_table_new(10, hdr);
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        char st[48], r[16], y[16], g[16], n[16];
        snprintf(r, sizeof r, "%d", u->red);
        snprintf(y, sizeof y, "%d", u->yellow);
        snprintf(g, sizeof g, "%d", u->green);
        snprintf(n, sizeof n, "%d", u->indicators);
        const char *rec = pw_fmt_time(u->received_at, b1, sizeof b1);
        const char *row[] = {u->unit,
                             u->name,
                             u->category,
                             dispatch_status_en(u, st, sizeof st),
                             rec ? rec : "-",
                             u->review_state[0] ? u->review_state : "-",
                             r,
                             y,
                             g,
                             n};
        pw_table_row_clean(t, 10, row);
    }
    pw_table_print(t, f);
    pw_table_free(t);
}

static void text_rates(const pw_summary *s, FILE *f)
{
    text_heading(f, "Rates per category (报送率)");
    if (!s->n_rates) {
        fprintf(f, "none\n");
        return;
    }
    static const char *const hdr[] = {"CATEGORY", "EXPECTED",     "RECEIVED",
                                      "ON TIME",  "COMPLETENESS", "TIMELINESS"};
    pw_table *t = pw_table_new(6, hdr);
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        char e[16], rc[16], o[16], c[16], tl[16];
        snprintf(e, sizeof e, "%d", r->expected);
        snprintf(rc, sizeof rc, "%d", r->received);
        snprintf(o, sizeof o, "%d", r->on_time);
        const char *row[] = {r->category,
                             e,
                             rc,
                             o,
                             pw_fmt_pct(r->completeness, c, sizeof c),
                             pw_fmt_pct(r->timeliness, tl, sizeof tl)};
        pw_table_row_clean(t, 6, row);
    }
    pw_table_print(t, f);
    pw_table_free(t);
}

/* Under the indicators' table: the indicators not judged for want of a lead
 * unit, and the leads left out of an aggregate for want of a value. */
static void text_indicator_notes(const pw_summary *s, FILE *f)
{
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *ind = s->indicators[i];
        if (!ind->judged && ind->n_leads_reported == 0 && ind->n_leads_missing == 0 &&
            strcmp(ind->light, "none") == 0)
            fprintf(f, "%s: no lead unit, not judged (未明确牵头单位，不评灯)\n", ind->indicator);
        if (ind->n_leads_missing == 0 || ind->n_leads_reported == 0)
            continue;
        /* the names on indented lines of at most 80 columns (unit ids are ASCII) */
        fprintf(f, "%s: %s of %zu leads; left out without a value (未报送，未计入):\n",
                ind->indicator, ind->aggregate, ind->n_leads_reported + ind->n_leads_missing);
        size_t col = 0;
        for (size_t k = 0; k < ind->n_leads_missing; k++) {
            size_t w = strlen(ind->leads_missing[k]) + 2;
            if (col > 0 && col + w > 78) {
                fprintf(f, ",\n");
                col = 0;
            }
            fprintf(f, "%s%s", col ? ", " : "  ", ind->leads_missing[k]);
            col += w;
        }
        fprintf(f, "\n");
    }
}

static void text_indicators(const pw_summary *s, FILE *f)
{
    text_heading(f, "Plan-wide indicators (指标进度)");
    if (!s->n_indicators) {
        fprintf(f, "no indicators\n");
        return;
    }
    static const char *const hdr[] = {"ID",     "INDICATOR", "UOM",      "TARGET",
                                      "ACTUAL", "SOURCE",    "PROGRESS", "LIGHT"};
    pw_table *t = pw_table_new(8, hdr);
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *ind = s->indicators[i];
        char tg[PW_NUM_BUFSIZE], ac[PW_NUM_BUFSIZE], pr[16];
        const char *row[] = {ind->indicator,
                             ind->name,
                             ind->uom,
                             dispatch_target_text(ind->kind, ind->target, 0, tg, sizeof tg),
                             dispatch_actual_text(ind->kind, ind->has_actual, ind->actual,
                                                  ind->progress, 0, ac, sizeof ac),
                             ind->actual_source[0] ? ind->actual_source : "-",
                             pw_fmt_pct(ind->progress, pr, sizeof pr),
                             ind->light};
        pw_table_row_clean(t, 8, row);
    }
    pw_table_print(t, f);
    pw_table_free(t);
    text_indicator_notes(s, f);
}

static void text_red_items(const pw_summary *s, const dispatch_names *nm, FILE *f)
{
    char head[96];
    snprintf(head, sizeof head, "Red items (红灯事项): %zu", s->n_red_items);
    text_heading(f, head);
    if (!s->n_red_items)
        return;
    static const char *const hdr[] = {"UNIT",   "NAME",   "INDICATOR", "PROGRESS",
                                      "ACTUAL", "TARGET", "PROBLEMS"};
    pw_table *t = pw_table_new(7, hdr);
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        char ind[512], pr[16], ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE];
        snprintf(ind, sizeof ind, "%s %s", r->indicator, r->indicator_name);
        const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, r->indicator);
        const char *kind = p ? p->kind : NULL;
        const char *row[] = {
            r->unit,
            r->unit_name,
            ind,
            pw_fmt_pct(r->progress, pr, sizeof pr),
            dispatch_actual_text(kind, r->has_actual, r->actual, r->progress, 0, ac, sizeof ac),
            dispatch_target_text(kind, r->target, 0, tg, sizeof tg),
            r->problems[0] ? r->problems : "-"};
        pw_table_row_clean(t, 7, row);
    }
    pw_table_print(t, f);
    pw_table_free(t);
}

static void text_supervision(const pw_summary *s, FILE *f)
{
    char head[96];
    size_t overdue = 0;
    const Planwatch__V1__SupervisionItem **items = dispatch_supervision_order(s, &overdue);
    snprintf(head, sizeof head, "Open supervision items (督办事项): %zu, %zu overdue",
             s->n_supervision, overdue);
    text_heading(f, head);
    if (s->n_supervision) {
        static const char *const hdr[] = {"ID",    "UNIT",    "NAME", "DEADLINE",
                                          "STATE", "OVERDUE", "TEXT"};
        pw_table *t = pw_table_new(7, hdr);
        for (size_t i = 0; i < s->n_supervision; i++) {
            const Planwatch__V1__SupervisionItem *it = items[i];
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)it->id);
            const char *row[] = {id,           it->unit,  it->unit_name,
                                 it->deadline, it->state, it->overdue ? "OVERDUE" : "-",
                                 it->text};
            pw_table_row_clean(t, 7, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
    }
    free(items);
}

static void text_flags(const pw_summary *s, FILE *f)
{
    char head[96];
    snprintf(head, sizeof head, "Data-quality flags (数据质量提示): %zu", s->n_flags);
    text_heading(f, head);
    if (!s->n_flags)
        return;
    static const char *const hdr[] = {"UNIT", "INDICATOR", "KIND", "MONTHS", "VALUES", "MESSAGE"};
    pw_table *t = pw_table_new(6, hdr);
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        const char *row[] = {q->unit, q->indicator, q->kind, q->months, q->values, q->message};
        pw_table_row_clean(t, 6, row);
    }
    pw_table_print(t, f);
    pw_table_free(t);
}

void pw_render_dispatch_text(const pw_summary *s, FILE *f)
{
    pw_fmt_use_tz(s->has_tz_offset_min, s->tz_offset_min);
    dispatch_names nm;
    dispatch_names_init(&nm, s);
    text_title(s, f);
    text_timeliness(s, f);
    text_rates(s, f);
    text_indicators(s, f);
    text_red_items(s, &nm, f);
    text_supervision(s, f);
    text_flags(s, f);
    dispatch_names_fini(&nm);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *json_number_or_null(int has, double v)
{
    return has && isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A milestone's actual is its state (json_state), never the number 0. */
static json_t *json_actual(const char *kind, int has, double v)
{
    if (dispatch_is_milestone(kind))
        return json_null();
    return json_number_or_null(has, v);
}

static const char *dispatch_state_of(const char *kind, const char *state, int has, double progress)
{
    if (!dispatch_is_milestone(kind) || !has)
        return NULL;
    if (state && state[0])
        return state;
    return progress >= 1 ? "done" : progress >= 0.5 ? "in_progress" : "not_started";
}

static json_t *json_state(const char *kind, const char *state, int has, double progress)
{
    const char *st = dispatch_state_of(kind, state, has, progress);
    return st ? json_string(st) : json_null();
}

static json_t *dispatch_json_supervision(const Planwatch__V1__SupervisionItem *it)
{
    json_t *o = json_object();
    static const char *const supervision_keys[] = {
        "id", "unit", "unit_name", "text", "deadline?", "state", "overdue", "opened_by?", NULL};
    pw_json_fields(o, &it->base, supervision_keys);
    json_object_set_new(o, "opened_at", pw_json_time(it->opened_at));
    json_object_set_new(o, "closed_by", pw_json_str_or_null(it->closed_by));
    json_object_set_new(o, "closed_at", pw_json_time(it->closed_at));
    json_object_set_new(o, "close_note", pw_json_str_or_null(it->close_note));
    json_t *answers = json_array();
    for (size_t i = 0; i < it->n_answers; i++) {
        json_t *a = json_object();
        json_object_set_new(a, "user", pw_json_str(it->answers[i]->user));
        json_object_set_new(a, "at", pw_json_time(it->answers[i]->at));
        json_object_set_new(a, "text", pw_json_str(it->answers[i]->text));
        json_array_append_new(answers, a);
    }
    json_object_set_new(o, "answers", answers);
    return o;
}

/* The plan, the period, the deadline, the publication and the record. */
static void dispatch_json_heading(const pw_summary *s, json_t *o)
{
    static const char *const heading_keys[] = {"plan", "plan_name", "period", "time_elapsed", NULL};
    pw_json_fields(o, &s->base, heading_keys);
    json_object_set_new(o, "deadline", pw_json_time(s->deadline));
    json_object_set_new(o, "extended_to", pw_json_str_or_null(s->extended_to));
    json_object_set_new(o, "extension_reason", pw_json_str_or_null(s->extension_reason));
    json_object_set_new(o, "generated_at", pw_json_time(s->generated_at));
    json_object_set_new(o, "published", json_boolean(s->published));
    json_object_set_new(o, "published_at", pw_json_time(s->published_at));
    pw_record_view rv = PW_RECORD_VIEW(s);
    pw_render_record_json(&rv, o);
}

/* The timeliness of each unit. */
static json_t *dispatch_json_units(const pw_summary *s)
{
    json_t *units = json_array();
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        json_t *e = json_object();
        static const char *const unit_keys[] = {"unit",   "name",      "category",
                                                "status", "days_late", NULL};
        pw_json_fields(e, &u->base, unit_keys);
        json_object_set_new(e, "received_at", pw_json_time(u->received_at));
        static const char *const unit_review_keys[] = {
            "review_state?", "extended_to?", "red", "yellow", "green", "indicators", NULL};
        pw_json_fields(e, &u->base, unit_review_keys);
        json_object_set_new(e, "data_month",
                            u->data_month ? json_integer(u->data_month) : json_null());
        json_array_append_new(units, e);
    }
    return units;
}

/* The rates per category. */
static json_t *dispatch_json_rates(const pw_summary *s)
{
    json_t *rates = json_array();
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        json_t *e = json_object();
        static const char *const rate_keys[] = {"category",     "expected",   "received", "on_time",
                                                "completeness", "timeliness", NULL};
        pw_json_fields(e, &r->base, rate_keys);
        json_array_append_new(rates, e);
    }
    return rates;
}

/* The plan-wide indicators with their leads. */
static json_t *dispatch_json_indicators(const pw_summary *s)
{
    json_t *inds = json_array();
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        json_t *e = json_object();
        static const char *const indicator_keys[] = {
            "indicator", "level1", "level2", "name", "uom", "kind", "direction", "target", NULL};
        pw_json_fields(e, &p->base, indicator_keys);
        json_object_set_new(e, "actual", json_actual(p->kind, p->has_actual, p->actual));
        json_object_set_new(e, "state", json_state(p->kind, p->state, p->has_actual, p->progress));
        static const char *const progress_keys[] = {"actual_source", "progress",  "light",
                                                    "judged",        "aggregate", NULL};
        pw_json_fields(e, &p->base, progress_keys);
        json_t *rep = json_array(), *miss = json_array();
        for (size_t k = 0; k < p->n_leads_reported; k++)
            json_array_append_new(rep, pw_json_str(p->leads_reported[k]));
        for (size_t k = 0; k < p->n_leads_missing; k++)
            json_array_append_new(miss, pw_json_str(p->leads_missing[k]));
        json_object_set_new(e, "leads_reported", rep);
        json_object_set_new(e, "leads_missing", miss);
        json_object_set_new(e, "due", p->due[0] ? pw_json_str(p->due) : json_null());
        json_array_append_new(inds, e);
    }
    return inds;
}

/* The light of each unit and indicator. */
static json_t *dispatch_json_cells(const pw_summary *s, const dispatch_names *nm)
{
    json_t *cells = json_array();
    for (size_t i = 0; i < s->n_cells; i++) {
        const Planwatch__V1__LightCell *c = s->cells[i];
        json_t *e = json_object();
        json_object_set_new(e, "unit", pw_json_str(c->unit));
        json_object_set_new(e, "indicator", pw_json_str(c->indicator));
        const char *kind = c->kind[0] ? c->kind : dispatch_kind_of(nm, s, c->indicator);
        json_object_set_new(e, "kind", pw_json_str_or_null(kind));
        json_object_set_new(e, "light", pw_json_str(c->light));
        json_object_set_new(e, "progress", json_num(c->progress));
        json_object_set_new(e, "actual", json_actual(kind, c->has_actual, c->actual));
        json_object_set_new(e, "state", json_state(kind, c->state, c->has_actual, c->progress));
        json_object_set_new(e, "target", json_num(c->target));
        json_object_set_new(e, "data_month",
                            c->data_month ? json_integer(c->data_month) : json_null());
        json_array_append_new(cells, e);
    }
    return cells;
}

/* The red items. */
static json_t *dispatch_json_red_items(const pw_summary *s, const dispatch_names *nm)
{
    json_t *reds = json_array();
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        json_t *e = json_object();
        static const char *const red_item_keys[] = {"unit", "unit_name", "indicator",
                                                    "indicator_name", NULL};
        pw_json_fields(e, &r->base, red_item_keys);
        const char *kind = r->kind[0] ? r->kind : dispatch_kind_of(nm, s, r->indicator);
        json_object_set_new(e, "kind", pw_json_str_or_null(kind));
        json_object_set_new(e, "uom", pw_json_str_or_null(r->uom));
        json_object_set_new(e, "progress", json_num(r->progress));
        json_object_set_new(e, "actual", json_actual(kind, r->has_actual, r->actual));
        json_object_set_new(e, "state", json_state(kind, r->state, r->has_actual, r->progress));
        json_object_set_new(e, "target", json_num(r->target));
        json_object_set_new(e, "data_month",
                            r->data_month ? json_integer(r->data_month) : json_null());
        json_object_set_new(e, "problems", pw_json_str(r->problems));
        json_array_append_new(reds, e);
    }
    return reds;
}

/* The open supervision items. */
static json_t *dispatch_json_supervision_items(const pw_summary *s)
{
    json_t *sup = json_array();
    for (size_t i = 0; i < s->n_supervision; i++)
        json_array_append_new(sup, dispatch_json_supervision(s->supervision[i]));
    return sup;
}

/* The data-quality flags. */
static json_t *dispatch_json_flags(const pw_summary *s)
{
    json_t *flags = json_array();
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        json_t *e = json_object();
        static const char *const flag_keys[] = {"unit",       "indicator",       "kind",
                                                "months",     "values",          "message",
                                                "unit_name?", "indicator_name?", NULL};
        pw_json_fields(e, &q->base, flag_keys);
        json_array_append_new(flags, e);
    }
    return flags;
}

/* The catalog of indicators. */
static json_t *dispatch_json_catalog(const pw_summary *s)
{
    json_t *cat = json_array();
    for (size_t i = 0; i < s->n_catalog; i++) {
        const Planwatch__V1__IndicatorInfo *c = s->catalog[i];
        json_t *e = json_object();
        static const char *const catalog_keys[] = {
            "indicator", "level1",    "level2",          "name", "uom",
            "kind",      "direction", "has_plan_target", NULL};
        pw_json_fields(e, &c->base, catalog_keys);
        json_array_append_new(cat, e);
    }
    return cat;
}

json_t *pw_render_dispatch_json(const pw_summary *s)
{
    pw_fmt_use_tz(s->has_tz_offset_min, s->tz_offset_min);
    json_t *o = json_object();
    if (!o)
        return NULL;
    dispatch_names nm;
    dispatch_names_init(&nm, s);
    dispatch_json_heading(s, o);
    json_object_set_new(o, "units", dispatch_json_units(s));
    json_object_set_new(o, "rates", dispatch_json_rates(s));
    json_object_set_new(o, "indicators", dispatch_json_indicators(s));
    json_object_set_new(o, "cells", dispatch_json_cells(s, &nm));
    json_object_set_new(o, "red_items", dispatch_json_red_items(s, &nm));
    json_object_set_new(o, "supervision", dispatch_json_supervision_items(s));
    json_object_set_new(o, "flags", dispatch_json_flags(s));
    json_object_set_new(o, "catalog", dispatch_json_catalog(s));
    dispatch_names_fini(&nm);
    return o;
}

/* ---- CSV ----------------------------------------------------------------- */

/* A plain number for spreadsheets: up to 10 significant digits, no exponent
 * for ordinary magnitudes. */
static const char *csv_num(double v, char *buf, size_t len)
{
    if (!isfinite(v))
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "%.10g", v == 0 ? 0.0 : v);
    return buf;
}

static const char *csv_pct(double fraction, char *buf, size_t len)
{
    if (!isfinite(fraction))
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "%.1f", round(fraction * 1000.0) / 10.0 + 0.0);
    return buf;
}

/* A record; the writer (PW_CSV_WRITE_SPREADSHEET) neutralises formulas in
 * every field. */
static void csv_record(pw_csv_writer *w, const char *const *fields, size_t n)
{
    pw_csv_write_record(w, fields, n);
}

static void csv_section(pw_csv_writer *w, const char *key, const char *zh,
                        const char *const *header, size_t n)
{
    const char *title[] = {key, zh};
    pw_csv_write_record(w, title, 2);
    pw_csv_write_record(w, header, n);
}

/* One empty line between sections, written into the output directly (the
 * writer would quote a lone empty field; between records it holds no state). */
static void csv_end_section(pw_strbuf *out, int *failed)
{
    if (pw_strbuf_append_str(out, "\r\n") != 0)
        *failed = 1;
}

/* The summary: plan, period, time elapsed, deadline, publication. */
static void csv_summary(pw_csv_writer *w, const pw_summary *s)
{
    char b1[PW_TIME_BUFSIZE], b2[PW_TIME_BUFSIZE], b3[PW_TIME_BUFSIZE];
    char n1[64];
    static const char *const h_sum[] = {
        "plan",     "plan_name",    "period",      "time_elapsed_pct",
        "deadline", "generated_at", "published_at"};
    csv_section(w, "summary", "调度通报", h_sum, 7);
    const char *dl = pw_fmt_time(s->deadline, b1, sizeof b1);
    const char *gen = pw_fmt_time(s->generated_at, b2, sizeof b2);
    const char *pub = s->published ? pw_fmt_time(s->published_at, b3, sizeof b3) : NULL;
    const char *row[] = {
        s->plan,      s->plan_name,   s->period,     csv_pct(s->time_elapsed, n1, sizeof n1),
        dl ? dl : "", gen ? gen : "", pub ? pub : ""};
    csv_record(w, row, 7);
}

/* The timeliness of each unit. */
static void csv_timeliness(pw_csv_writer *w, const pw_summary *s)
{
    char b1[PW_TIME_BUFSIZE];
    static const char *const h_units[] = {"unit",      "name",        "category",     "status",
                                          "days_late", "received_at", "review_state", "red",
                                          "yellow",    "green",       "indicators",   "data_month"};
    csv_section(w, "timeliness", "报送情况", h_units, 12);
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        pw_csv_write_str(w, u->unit);
        pw_csv_write_str(w, u->name);
        pw_csv_write_str(w, u->category);
        pw_csv_write_str(w, u->status);
        pw_csv_write_fieldf(w, "%d", u->days_late);
        const char *rec = pw_fmt_time(u->received_at, b1, sizeof b1);
        pw_csv_write_str(w, rec ? rec : "");
        pw_csv_write_str(w, u->review_state);
        pw_csv_write_fieldf(w, "%d", u->red);
        pw_csv_write_fieldf(w, "%d", u->yellow);
        pw_csv_write_fieldf(w, "%d", u->green);
        pw_csv_write_fieldf(w, "%d", u->indicators);
        if (u->data_month)
            pw_csv_write_fieldf(w, "%d", u->data_month);
        else
            pw_csv_write_str(w, "");
        pw_csv_end_record(w);
    }
}

/* The rates per category. */
static void csv_rates(pw_csv_writer *w, const pw_summary *s)
{
    char n1[64], n2[64];
    static const char *const h_rates[] = {"category", "expected",         "received",
                                          "on_time",  "completeness_pct", "timeliness_pct"};
    csv_section(w, "rates", "报送率", h_rates, 6);
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        pw_csv_write_str(w, r->category);
        pw_csv_write_fieldf(w, "%d", r->expected);
        pw_csv_write_fieldf(w, "%d", r->received);
        pw_csv_write_fieldf(w, "%d", r->on_time);
        pw_csv_write_str(w, csv_pct(r->completeness, n1, sizeof n1));
        pw_csv_write_str(w, csv_pct(r->timeliness, n2, sizeof n2));
        pw_csv_end_record(w);
    }
}

/* The plan-wide indicators. */
static void csv_indicators(pw_csv_writer *w, const pw_summary *s)
{
    char n1[64], n2[64], n3[64];
    static const char *const h_ind[] = {
        "indicator", "level1", "level2", "name",          "uom",          "kind", "direction",
        "target",    "actual", "state",  "actual_source", "progress_pct", "light"};
    csv_section(w, "indicators", "指标进度", h_ind, 13);
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        const char *st = dispatch_state_of(p->kind, p->state, p->has_actual, p->progress);
        const char *row[] = {p->indicator,
                             p->level1,
                             p->level2,
                             p->name,
                             p->uom,
                             p->kind,
                             p->direction,
                             csv_num(p->target, n1, sizeof n1),
                             p->has_actual && !dispatch_is_milestone(p->kind)
                                 ? csv_num(p->actual, n2, sizeof n2)
                                 : "",
                             st ? st : "",
                             p->actual_source,
                             csv_pct(p->progress, n3, sizeof n3),
                             p->light};
        csv_record(w, row, 13);
    }
}

/* The red items. */
static void csv_red_items(pw_csv_writer *w, const pw_summary *s, const dispatch_names *nm)
{
    char n1[64], n4[64], n5[64];
    static const char *const h_red[] = {"unit",   "unit_name",    "indicator",  "indicator_name",
                                        "kind",   "progress_pct", "actual",     "state",
                                        "target", "uom",          "data_month", "problems"};
    csv_section(w, "red_items", "红灯事项", h_red, 12);
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        const char *kind = r->kind[0] ? r->kind : dispatch_kind_of(nm, s, r->indicator);
        const char *st = dispatch_state_of(kind, r->state, r->has_actual, r->progress);
        char dm[16] = "";
        if (r->data_month)
            snprintf(dm, sizeof dm, "%d", r->data_month);
        const char *row[] = {
            r->unit,
            r->unit_name,
            r->indicator,
            r->indicator_name,
            kind ? kind : "",
            csv_pct(r->progress, n4, sizeof n4),
            r->has_actual && !dispatch_is_milestone(kind) ? csv_num(r->actual, n1, sizeof n1) : "",
            st ? st : "",
            dispatch_is_milestone(kind) ? "" : csv_num(r->target, n5, sizeof n5),
            r->uom,
            dm,
            r->problems};
        csv_record(w, row, 12);
    }
}

/* The open supervision items, overdue first. */
static void csv_supervision(pw_csv_writer *w, const pw_summary *s)
{
    static const char *const h_sup[] = {"id",       "unit",  "unit_name", "text",
                                        "deadline", "state", "overdue"};
    csv_section(w, "supervision", "督办事项", h_sup, 7);
    size_t overdue = 0;
    const Planwatch__V1__SupervisionItem **items = dispatch_supervision_order(s, &overdue);
    for (size_t i = 0; i < s->n_supervision; i++) {
        const Planwatch__V1__SupervisionItem *it = items[i];
        pw_csv_write_fieldf(w, "%lld", (long long)it->id);
        pw_csv_write_str(w, it->unit);
        pw_csv_write_str(w, it->unit_name);
        pw_csv_write_str(w, it->text);
        pw_csv_write_str(w, it->deadline);
        pw_csv_write_str(w, it->state);
        pw_csv_write_str(w, it->overdue ? "yes" : "no");
        pw_csv_end_record(w);
    }
    free(items);
}

/* The data-quality flags. */
static void csv_flags(pw_csv_writer *w, const pw_summary *s)
{
    static const char *const h_flags[] = {"unit", "unit_name", "indicator", "indicator_name",
                                          "kind", "months",    "values",    "message"};
    csv_section(w, "flags", "数据质量提示", h_flags, 8);
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        const char *row[] = {q->unit, q->unit_name, q->indicator, q->indicator_name,
                             q->kind, q->months,    q->values,    q->message};
        csv_record(w, row, 8);
    }
}

int pw_render_dispatch_csv(const pw_summary *s, pw_strbuf *out)
{
    pw_fmt_use_tz(s->has_tz_offset_min, s->tz_offset_min);
    pw_csv_writer w;
    if (pw_csv_writer_init_strbuf(&w, out, PW_CSV_WRITE_BOM | PW_CSV_WRITE_SPREADSHEET) != 0)
        return -1;
    dispatch_names nm;
    dispatch_names_init(&nm, s);
    int failed = 0;

    csv_summary(&w, s);
    csv_end_section(out, &failed);
    csv_timeliness(&w, s);
    csv_end_section(out, &failed);
    csv_rates(&w, s);
    csv_end_section(out, &failed);
    csv_indicators(&w, s);
    csv_end_section(out, &failed);
    csv_red_items(&w, s, &nm);
    csv_end_section(out, &failed);
    csv_supervision(&w, s);
    csv_end_section(out, &failed);
    csv_flags(&w, s);
    dispatch_names_fini(&nm);
    return failed || pw_csv_writer_failed(&w) ? -1 : 0;
}

/* ---- HTML: the bulletin ----------------------------------------------------
 *
 * Written for a leader who reads it for ten seconds, on a desktop, a phone
 * (360-412 px) or an A4 printout (SPEC 3.4):
 *   the title, one paragraph of prose (通报) saying who is behind, the key
 *   figures; 一 every unit by category, furthest behind first; 二 red items
 *   grouped by unit (the unit's problem text once); 三 progress per level-1
 *   group (plan-wide, then units x groups); 四 supervision items; 五 data
 *   quality; 附件 the unit x indicator detail by group, in plan order.
 * Layout rules: no element is wider than the page.  Wide tables either
 * become blocks on a narrow screen (class "stack": every cell labelled by
 * its data-label) or scroll inside their own box (class "tw").  In print the
 * appendix is a fixed-layout table as wide as the page, header rows repeat.
 * Units of measure are ordinary text (class "uom"), never hidden in print.
 */

static const char dispatch_css[] =
    ".lead{font-size:15px;line-height:1.7;margin:10px 0;padding:8px 12px;background:#f6f8fa;"
    "border-left:4px solid var(--red)}\n"
    ".lead b{color:var(--red)}\n" PW_DOC_CSS_NOTE_AND_WIDE_TABLE
    ".uom{color:var(--muted);font-size:.85em}\n"
    ".bar{display:block;max-width:100%}\n"
    ".lights{display:flex;align-items:center;gap:6px;white-space:nowrap}\n"
    "tr.cat th{background:#dfe5ec;font-weight:600}\n"
    "td.red{color:var(--red);font-weight:700}\n"
    "th.grp{font-weight:normal;font-size:12px;line-height:1.25}\n"
    ".ru{margin:8px 0 12px;break-inside:avoid-page}\n"
    ".ru h3{margin:6px 0 4px}\n"
    ".ru .problems{margin:2px 0 4px;padding:3px 8px;border-left:3px solid var(--line);"
    "white-space:pre-wrap}\n"
    "ul.items{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:3px 6px}\n"
    "ul.items li{border:1px solid #f0c4c4;background:#fdf1f1;border-radius:3px;padding:0 5px;"
    "font-size:13px}\n"
    ".cnt{white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    ".phone-only{display:none}\n"
    ".cnt i{font-style:normal;display:inline-block;min-width:1.6em;text-align:center;"
    "border-radius:2px;margin:0 1px;padding:0 2px}\n"
    ".cnt .r{background:var(--red);color:#fff;font-weight:700}.cnt .y{background:var(--yellow)}"
    ".cnt .g{background:var(--green);color:#fff}.cnt .z{color:#9aa5b1}\n"
    "table.appx{table-layout:fixed}\n"
    ".appx th,.appx td{padding:2px 3px;font-size:12px}\n"
    ".appx td.c{text-align:center;color:#fff;font-variant-numeric:tabular-nums}\n"
    ".appx td.na{background:#fff}\n"
    ".appx col.cn{width:25%}.appx col.cp{width:10%}.appx col.co{width:20%}\n"
    ".appx th.gu{font-weight:normal}.appx td.pw{font-size:11px;word-break:break-all}\n"
    ".appx .oth{color:var(--ink);text-align:left;white-space:normal}\n"
    ".appx .oth span{display:inline-block;margin:0 4px 1px 0;padding:0 3px;border-radius:2px;"
    "color:#fff}\n"
    ".c-green{background:var(--green)}.c-yellow{background:var(--yellow);color:#1f2933!important}"
    ".c-red{background:var(--red);font-weight:700}.c-none{background:#e4e7eb;"
    "color:#5f6b7a!important}\n"
    ".ind-path{display:block;color:var(--muted);font-size:12px}\n"
    "ul.flags{margin:4px 0;padding-left:18px}\n"
    "@media (max-width:640px){body{padding:12px 10px}.phone-only{display:block}"
    "table.units .grp{display:none}h1{font-size:19px}"
    ".lead{font-size:14px;padding:6px 8px}.card{min-width:74px;padding:4px 6px}"
    ".card b{font-size:18px}.hide-phone{display:none!important}"
    "table.units th,table.units td{padding:3px 4px}"
    "table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;"
    "width:auto}table.stack thead,table.stack colgroup{display:none}"
    "table.stack tr{border:1px solid var(--line);border-radius:4px;margin:0 0 6px;padding:3px 6px}"
    "table.stack tr.cat{border:0;padding:0}"
    "table.stack td,table.stack th{border:0;padding:1px 0;text-align:left}"
    "table.stack td[data-label]:before{content:attr(data-label) \"：\";color:var(--muted);"
    "font-size:12px}"
    "table.stack td.c{display:inline-block;margin:1px 2px;padding:0 4px;border-radius:2px}"
    "table.stack td.c:before{content:attr(data-label) \" \";color:inherit;font-size:11px}"
    "table.stack td.na{display:none}"
    "table.stack th.gu{font-size:14px;padding-top:2px}"
    "table.ug tr{padding:2px 6px}table.ug td{display:inline-block;margin:0 10px 0 0}"
    "table.ug th.gu{font-size:13px}}\n"
    "@page{size:A4;margin:10mm}\n"
    "@media print{.tw{overflow:visible}.units td,.units th.gu{white-space:nowrap}"
    ".badge{font-size:7pt;line-height:10pt;padding:0 "
    "4px}th.grp{font-size:7pt}.hide-print,.phone-only{display:none!important}"
    ".appx th,.appx td{line-height:1.2}table.units th,table.units td,table.ug th,table.ug td,"
    "table.groups td{padding:0 4px;font-size:8pt;line-height:1.3}.units .hide-phone svg{height:8px}"
    ".cnt i{line-height:1.25}.note{font-size:7.5pt;margin:0 0 3pt}h3{font-size:10pt;margin:6pt 0 "
    "3pt}"
    "h2{margin-top:10pt}.appx td.pw{font-size:6.5pt}.appx th.gu{font-size:7pt}"
    ".lead{font-size:10pt;padding:4pt 8pt}"
    "ul.items li{font-size:8pt}.appx th,.appx td{font-size:6.5pt;padding:0 2px}"
    ".appx .ind-path{display:none}.bar{width:40mm}.ru h3{font-size:10pt}"
    "}\n";

/* ---- the model of the page: indicators in plan order, groups, units ------- */

typedef struct bl_ind {
    const char *id, *level1, *name, *uom, *kind;
    size_t group; /* index into bl_model.groups */
} bl_ind;

typedef struct bl_model {
    bl_ind *ind;
    size_t nind;
    dispatch_index ix; /* id -> position in ind */
    const char **groups;
    size_t ngroups;
    /* units in display order: category, then how far behind */
    const Planwatch__V1__UnitTimeliness **units;
    size_t nunits;
    dispatch_index uix; /* unit id -> position in units */
    int *counts;        /* nunits x ngroups x 4: red, yellow, green, none */
    size_t *red_of;     /* red items per display unit */
} bl_model;

static int bl_category_rank(const char *c)
{
    return strcmp(c, "county") == 0 ? 0 : strcmp(c, "department") == 0 ? 1 : 2;
}

/* How far behind: missing, late (longest first), returned, the rest. */
static int bl_status_rank(const Planwatch__V1__UnitTimeliness *u)
{
    if (strcmp(u->status, "missing") == 0)
        return 0;
    if (strcmp(u->status, "late") == 0)
        return 1;
    if (strcmp(u->review_state, "returned") == 0)
        return 2;
    if (strcmp(u->status, "on_time") == 0)
        return 3;
    return 4;
}

typedef struct bl_unit_ref {
    const Planwatch__V1__UnitTimeliness *u;
    size_t seq; /* the server's order */
} bl_unit_ref;

static int bl_unit_cmp(const void *a, const void *b)
{
    const bl_unit_ref *rx = a, *ry = b;
    const Planwatch__V1__UnitTimeliness *x = rx->u, *y = ry->u;
    int c = bl_category_rank(x->category) - bl_category_rank(y->category);
    if (!c)
        c = bl_status_rank(x) - bl_status_rank(y);
    if (!c && strcmp(x->status, "late") == 0)
        c = y->days_late - x->days_late;
    if (!c)
        c = y->red - x->red;
    if (!c)
        c = y->yellow - x->yellow;
    if (!c)
        c = (rx->seq > ry->seq) - (rx->seq < ry->seq);
    return c;
}

/* Does id extend `parent` as a measure of it ("I40.M3" of "I40")? */
static int bl_is_child(const char *id, const char *parent)
{
    size_t n = strlen(parent);
    return strncmp(id, parent, n) == 0 && id[n] == '.';
}

static void bl_add_ind(bl_model *m, size_t *cap, size_t at, const char *id, const char *level1,
                       const char *name, const char *uom, const char *kind)
{
    if (m->nind == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        m->ind = realloc(m->ind, *cap * sizeof *m->ind);
        if (!m->ind)
            abort();
    }
    memmove(&m->ind[at + 1], &m->ind[at], (m->nind - at) * sizeof *m->ind);
    m->ind[at] =
        (bl_ind){id, level1 ? level1 : "", name ? name : "", uom ? uom : "", kind ? kind : "", 0};
    m->nind++;
}

/* The e-th indicator mention of s beyond the catalog: plan-wide indicators,
 * then cells, then red items; fields the mention does not carry are "". */
static void bl_extra(const pw_summary *s, size_t e, const char **id, const char **l1,
                     const char **name, const char **uom, const char **kind)
{
    const char *x1 = "", *xn = "", *xu = "", *xk = "";
    if (e < s->n_indicators) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[e];
        *id = p->indicator, x1 = p->level1, xn = p->name, xu = p->uom, xk = p->kind;
    } else if (e < s->n_indicators + s->n_cells) {
        const Planwatch__V1__LightCell *c = s->cells[e - s->n_indicators];
        *id = c->indicator, xk = c->kind;
    } else {
        const Planwatch__V1__RedItem *r = s->red_items[e - s->n_indicators - s->n_cells];
        *id = r->indicator, x1 = r->level1, xn = r->indicator_name, xu = r->uom, xk = r->kind;
    }
    if (l1)
        *l1 = x1 ? x1 : "";
    if (name)
        *name = xn ? xn : "";
    if (uom)
        *uom = xu ? xu : "";
    if (kind)
        *kind = xk ? xk : "";
}

/* An index of the model's indicator ids (id -> position in m->ind). */
static void bl_index_ind_ids(const bl_model *m, dispatch_index *ix)
{
    const char **k = calloc(m->nind + 1, sizeof *k);
    if (!k)
        abort();
    for (size_t i = 0; i < m->nind; i++)
        k[i] = m->ind[i].id;
    dispatch_index_build(ix, k, m->nind);
    free(k);
}

/* Ids beyond the catalog, each inserted once at its first occurrence
 * (an index of all of them finds the first: O(n log n) however many
 * cells), a measure "X.Mk" placed after its parent X and X's earlier
 * measures; their names and groups are filled in afterwards. */
static void bl_model_add_extras(bl_model *m, size_t *cap, const pw_summary *s)
{
    dispatch_index seen;
    bl_index_ind_ids(m, &seen);
    size_t nextra = s->n_indicators + s->n_cells + s->n_red_items;
    dispatch_index extra;
    {
        const char **k = calloc(nextra + 1, sizeof *k);
        if (!k)
            abort();
        for (size_t e = 0; e < nextra; e++)
            bl_extra(s, e, &k[e], NULL, NULL, NULL, NULL);
        dispatch_index_build(&extra, k, nextra);
        free(k);
    }
    for (size_t e = 0; e < nextra; e++) {
        const char *id, *l1, *name, *uom, *kind;
        bl_extra(s, e, &id, &l1, &name, &uom, &kind);
        if (dispatch_index_find(&seen, id) != (size_t)-1 || dispatch_index_find(&extra, id) != e)
            continue;
        size_t at = m->nind;
        for (size_t i = 0; i < m->nind; i++)
            if (strcmp(m->ind[i].id, id) != 0 &&
                (bl_is_child(id, m->ind[i].id) ||
                 (strchr(id, '.') && strchr(m->ind[i].id, '.') &&
                  strncmp(id, m->ind[i].id, (size_t)(strchr(id, '.') - id) + 1) == 0)))
                at = i + 1;
        bl_add_ind(m, cap, at, id, l1, name, uom, kind);
        /* a measure takes its parent's group */
        const char *dot = strchr(id, '.');
        if (!m->ind[at].level1[0] && dot) {
            for (size_t i = 0; i < m->nind; i++)
                if (strlen(m->ind[i].id) == (size_t)(dot - id) &&
                    strncmp(m->ind[i].id, id, (size_t)(dot - id)) == 0)
                    m->ind[at].level1 = m->ind[i].level1;
        }
    }
    free(extra.keys);
    free(seen.keys);
}

/* Fill what the first occurrence of an id beyond the catalog could not
 * tell (a cell has no name) from the others. */
static void bl_model_fill_extras(bl_model *m, const pw_summary *s)
{
    size_t nextra = s->n_indicators + s->n_cells + s->n_red_items;
    for (size_t e = 0; e < nextra; e++) {
        const char *id, *l1, *name, *uom, *kind;
        bl_extra(s, e, &id, &l1, &name, &uom, &kind);
        size_t k = dispatch_index_find(&m->ix, id);
        if (k == (size_t)-1)
            continue;
        bl_ind *x = &m->ind[k];
        if (!x->level1[0] && l1[0])
            x->level1 = l1;
        if (!x->name[0] && name[0])
            x->name = name;
        if (!x->uom[0] && uom[0])
            x->uom = uom;
        if (!x->kind[0] && kind[0])
            x->kind = kind;
    }
}

/* The indicators: the server's catalog (plan order), then plan-wide ones it
 * does not list, then ids seen only in cells and items (a summary published
 * before the catalog existed). */
static void bl_model_indicators(bl_model *m, const pw_summary *s, const dispatch_names *nm)
{
    size_t cap = 0;
    for (size_t i = 0; i < s->n_catalog; i++) {
        const Planwatch__V1__IndicatorInfo *c = s->catalog[i];
        bl_add_ind(m, &cap, m->nind, c->indicator, c->level1, c->name, c->uom, c->kind);
    }
    bl_model_add_extras(m, &cap, s);
    /* names and kinds of plan-wide indicators fill catalog gaps */
    for (size_t i = 0; i < m->nind; i++) {
        const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, m->ind[i].id);
        if (p && !m->ind[i].kind[0])
            m->ind[i].kind = p->kind;
    }
    bl_index_ind_ids(m, &m->ix);
    bl_model_fill_extras(m, s);
}

/* Level-1 groups in order of first appearance. */
static void bl_model_groups(bl_model *m)
{
    m->groups = calloc(m->nind + 1, sizeof *m->groups);
    if (!m->groups)
        abort();
    for (size_t i = 0; i < m->nind; i++) {
        const char *g = m->ind[i].level1[0] ? m->ind[i].level1 : "其他";
        size_t j = 0;
        while (j < m->ngroups && strcmp(m->groups[j], g) != 0)
            j++;
        if (j == m->ngroups)
            m->groups[m->ngroups++] = g;
        m->ind[i].group = j;
    }
}

/* Units in display order, and their index. */
static void bl_model_units(bl_model *m, const pw_summary *s)
{
    m->nunits = s->n_units;
    m->units = calloc(s->n_units + 1, sizeof *m->units);
    if (!m->units)
        abort();
    bl_unit_ref *refs = calloc(s->n_units + 1, sizeof *refs);
    if (!refs)
        abort();
    for (size_t i = 0; i < s->n_units; i++)
        refs[i] = (bl_unit_ref){s->units[i], i};
    qsort(refs, m->nunits, sizeof *refs, bl_unit_cmp);
    for (size_t i = 0; i < s->n_units; i++)
        m->units[i] = refs[i].u;
    free(refs);
    const char **k = calloc(m->nunits + 1, sizeof *k);
    if (!k)
        abort();
    for (size_t i = 0; i < m->nunits; i++)
        k[i] = m->units[i]->unit;
    dispatch_index_build(&m->uix, k, m->nunits);
    free(k);
}

/* Lights per unit and group, red items per unit. */
static void bl_model_counts(bl_model *m, const pw_summary *s)
{
    size_t ng = m->ngroups ? m->ngroups : 1;
    m->counts = calloc(m->nunits * ng * 4 + 1, sizeof *m->counts);
    m->red_of = calloc(m->nunits + 1, sizeof *m->red_of);
    if (!m->counts || !m->red_of)
        abort();
    for (size_t i = 0; i < s->n_cells; i++) {
        const Planwatch__V1__LightCell *c = s->cells[i];
        size_t u = dispatch_index_find(&m->uix, c->unit);
        size_t k = dispatch_index_find(&m->ix, c->indicator);
        if (u == (size_t)-1 || k == (size_t)-1)
            continue;
        int l = strcmp(c->light, "red") == 0      ? 0
                : strcmp(c->light, "yellow") == 0 ? 1
                : strcmp(c->light, "green") == 0  ? 2
                                                  : 3;
        m->counts[(u * ng + m->ind[k].group) * 4 + (size_t)l]++;
    }
    for (size_t i = 0; i < s->n_red_items; i++) {
        size_t u = dispatch_index_find(&m->uix, s->red_items[i]->unit);
        if (u != (size_t)-1)
            m->red_of[u]++;
    }
}

static void bl_model_init(bl_model *m, const pw_summary *s, const dispatch_names *nm)
{
    memset(m, 0, sizeof *m);
    bl_model_indicators(m, s, nm);
    bl_model_groups(m);
    bl_model_units(m, s);
    bl_model_counts(m, s);
}

static void bl_model_fini(bl_model *m)
{
    free(m->ind);
    free(m->ix.keys);
    free(m->groups);
    free(m->units);
    free(m->uix.keys);
    free(m->counts);
    free(m->red_of);
}

static const bl_ind *bl_ind_of(const bl_model *m, const char *id)
{
    size_t k = dispatch_index_find(&m->ix, id);
    return k == (size_t)-1 ? NULL : &m->ind[k];
}

/* ---- pieces --------------------------------------------------------------- */

static int bl_is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* "2018年12月", "2018年第4季度", else the period as it is. */
static const char *bl_period_label(const char *period, char *buf, size_t len)
{
    int y, n;
    char c;
    if (sscanf(period, "%4d-Q%1d%c", &y, &n, &c) == 2)
        snprintf(buf, len, "%d年第%d季度", y, n);
    else if (sscanf(period, "%4d-%2d%c", &y, &n, &c) == 2)
        snprintf(buf, len, "%d年%d月", y, n);
    else
        snprintf(buf, len, "%s", period);
    return buf;
}

/* The month of a period ("2018-12" -> 12, "2018-Q4" -> 12), 0 if unknown. */
static int bl_period_month(const char *period)
{
    int y, n;
    char c;
    if (sscanf(period, "%4d-Q%1d%c", &y, &n, &c) == 2)
        return n * 3;
    if (sscanf(period, "%4d-%2d%c", &y, &n, &c) == 2)
        return n;
    return 0;
}

static const char *bl_uom(const char *uom)
{
    return uom && uom[0] && strcmp(uom, "none") != 0 ? uom : "";
}

/* The actual of a milestone: its state (sent, or read from the progress of
 * a summary without states); other kinds: the number. */
static const char *bl_actual(const char *kind, const char *state, int has_actual, double actual,
                             double progress, char *buf, size_t len)
{
    if (!has_actual)
        return "—";
    if (dispatch_is_milestone(kind)) {
        if (state && state[0])
            return bl_is(state, "done")          ? "已完成"
                   : bl_is(state, "in_progress") ? "推进中"
                                                 : "未启动";
        return progress >= 1 ? "已完成" : progress >= 0.5 ? "推进中" : "未启动";
    }
    return pw_fmt_num(actual, buf, len);
}

static void bl_status_badge(pw_doc *d, const Planwatch__V1__UnitTimeliness *u, int month)
{
    const char *cls = bl_is(u->status, "on_time")   ? "b-green"
                      : bl_is(u->status, "late")    ? "b-yellow"
                      : bl_is(u->status, "missing") ? "b-red"
                                                    : "b-none";
    pw_doc_rawf(d, "<span class=\"badge %s\">", cls);
    pw_doc_text(d, pw_label_status(u->status));
    if (bl_is(u->status, "late"))
        pw_doc_textf(d, " %d天", u->days_late);
    pw_doc_raw(d, "</span>");
    if (bl_is(u->review_state, "returned"))
        pw_doc_raw(d, " <span class=\"badge b-red\">已退回</span>");
    if (u->data_month > 0 && month > 0 && u->data_month < month)
        pw_doc_rawf(d, " <span class=\"muted\">数据截至%d月</span>", u->data_month);
    else if (!u->data_month && bl_is(u->status, "missing"))
        pw_doc_raw(d, " <span class=\"muted\">无数据</span>");
}

/* Red / yellow / green counts as small coloured numbers ("" for zeros). */
static void bl_counts(pw_doc *d, int r, int y, int g)
{
    pw_doc_raw(d, "<span class=\"cnt\">");
    pw_doc_rawf(d, "<i class=\"%s\">%d</i>", r ? "r" : "z", r);
    pw_doc_rawf(d, "<i class=\"%s\">%d</i>", y ? "y" : "z", y);
    pw_doc_rawf(d, "<i class=\"%s\">%d</i>", g ? "g" : "z", g);
    pw_doc_raw(d, "</span>");
}

/* A stacked bar of red / yellow / green shares. */
static void bl_share_bar(pw_doc *d, int r, int y, int g, int total)
{
    if (total < r + y + g)
        total = r + y + g;
    pw_doc_raw(d, "<svg class=\"bar\" width=\"160\" height=\"12\" viewBox=\"0 0 160 12\" "
                  "preserveAspectRatio=\"none\" role=\"img\">");
    pw_doc_rawf(d, "<title>红 %d · 黄 %d · 绿 %d / %d</title>", r, y, g, total);
    pw_doc_raw(d, "<rect width=\"160\" height=\"12\" rx=\"2\" fill=\"#e4e7eb\"/>");
    double x = 0;
    const int n[3] = {r, y, g};
    const char *col[3] = {"#d64545", "#e0a800", "#2e9d4f"};
    for (int k = 0; k < 3 && total > 0; k++) {
        if (!n[k])
            continue;
        double w = 160.0 * n[k] / total;
        pw_doc_rawf(d, "<rect x=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>", x, w, col[k]);
        x += w;
    }
    pw_doc_raw(d, "</svg>");
}

/* ---- the lead paragraph --------------------------------------------------- */

/* Names of the units of `m` (display order) that `pick` selects, joined by
 * 、 with an optional detail each; returns how many. */
static size_t bl_name_list(pw_doc *d, const bl_model *m, int which, int month)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nunits; i++) {
        const Planwatch__V1__UnitTimeliness *u = m->units[i];
        int hit = which == 0   ? bl_is(u->status, "missing")
                  : which == 1 ? bl_is(u->status, "late")
                               : bl_is(u->review_state, "returned");
        if (!hit)
            continue;
        pw_doc_raw(d, n ? "、" : "");
        pw_doc_raw(d, "<b>");
        pw_doc_text(d, u->name[0] ? u->name : u->unit);
        pw_doc_raw(d, "</b>");
        if (which == 1)
            pw_doc_rawf(d, "（%d天）", u->days_late);
        else if (which == 0 && u->data_month > 0 && month > 0 && u->data_month < month)
            pw_doc_rawf(d, "（数据截至%d月）", u->data_month);
        n++;
    }
    return n;
}

static size_t bl_count_status(const bl_model *m, int which)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nunits; i++) {
        const Planwatch__V1__UnitTimeliness *u = m->units[i];
        n += which == 0   ? bl_is(u->status, "missing")
             : which == 1 ? bl_is(u->status, "late")
                          : bl_is(u->review_state, "returned");
    }
    return n;
}

/* The lead's first sentences: who was expected, who reported, on time per
 * category, and the units missing, late or returned. */
static void bl_lead_reporting(pw_doc *d, const pw_summary *s, const bl_model *m)
{
    char pl[64];
    int month = bl_period_month(s->period);
    int expected = 0, received = 0, on_time = 0;
    for (size_t i = 0; i < s->n_rates; i++) {
        expected += s->rates[i]->expected;
        received += s->rates[i]->received;
        on_time += s->rates[i]->on_time;
    }
    pw_doc_text(d, bl_period_label(s->period, pl, sizeof pl));
    pw_doc_rawf(d, "调度，应报%d个单位，已报%d个，按时报送%d个", expected, received, on_time);
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        if (!r->expected)
            continue;
        pw_doc_raw(d, i == 0 ? "（" : "，");
        pw_doc_text(d, pw_label_category(r->category));
        pw_doc_rawf(d, "%d/%d", r->on_time, r->expected);
        if (i + 1 == s->n_rates)
            pw_doc_raw(d, "）");
    }
    pw_doc_raw(d, "。");
    size_t missing = bl_count_status(m, 0), late = bl_count_status(m, 1),
           returned = bl_count_status(m, 2);
    if (missing) {
        pw_doc_rawf(d, "未报%zu个：", missing);
        bl_name_list(d, m, 0, month);
        pw_doc_raw(d, "。");
    }
    if (late) {
        pw_doc_rawf(d, "迟报%zu个：", late);
        bl_name_list(d, m, 1, month);
        pw_doc_raw(d, "。");
    }
    if (returned) {
        pw_doc_rawf(d, "退回修改%zu个：", returned);
        bl_name_list(d, m, 2, month);
        pw_doc_raw(d, "。");
    }
    if (!missing && !late && !returned && expected)
        pw_doc_raw(d, "各单位均按时报送。");
}

/* The lead's sentence on red items: how many, how many units, and the units
 * with most of them (the three largest counts). */
static void bl_lead_red_units(pw_doc *d, const pw_summary *s, const bl_model *m)
{
    size_t top[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
    for (size_t i = 0; i < m->nunits; i++) {
        if (!m->red_of[i])
            continue;
        for (int k = 0; k < 3; k++) {
            if (top[k] == (size_t)-1 || m->red_of[i] > m->red_of[top[k]]) {
                for (int j = 2; j > k; j--)
                    top[j] = top[j - 1];
                top[k] = i;
                break;
            }
        }
    }
    if (!s->n_red_items)
        return;
    size_t units_red = 0;
    for (size_t i = 0; i < m->nunits; i++)
        units_red += m->red_of[i] > 0;
    pw_doc_rawf(d, "红灯事项%zu项，涉及%zu个单位，较多的是", s->n_red_items, units_red);
    for (int k = 0; k < 3 && top[k] != (size_t)-1; k++) {
        /* the few that stand out: not those with a fifth of the top */
        if (k && m->red_of[top[k]] * 5 < m->red_of[top[0]])
            break;
        pw_doc_raw(d, k ? "、" : "");
        pw_doc_raw(d, "<b>");
        pw_doc_text(d, m->units[top[k]]->name[0] ? m->units[top[k]]->name : m->units[top[k]]->unit);
        pw_doc_rawf(d, "</b>（%zu项）", m->red_of[top[k]]);
    }
    pw_doc_raw(d, "。");
}

/* The lead's last sentences: the plan-wide lights and the open (and overdue)
 * supervision items. */
static void bl_lead_lights_and_supervision(pw_doc *d, const pw_summary *s,
                                           const Planwatch__V1__SupervisionItem *const *items,
                                           size_t overdue)
{
    int red = 0, yellow = 0;
    for (size_t i = 0; i < s->n_indicators; i++) {
        red += bl_is(s->indicators[i]->light, "red");
        yellow += bl_is(s->indicators[i]->light, "yellow");
    }
    if (s->n_indicators)
        pw_doc_rawf(d, "全%s%zu项指标中红灯%d项、黄灯%d项。", "州", s->n_indicators, red, yellow);
    if (!s->n_supervision)
        return;
    pw_doc_rawf(d, "督办事项%zu件未办结", s->n_supervision);
    if (overdue) {
        pw_doc_rawf(d, "，其中<b>超期%zu件</b>：", overdue);
        for (size_t i = 0; i < overdue; i++) {
            pw_doc_raw(d, i ? "、" : "");
            pw_doc_text(d, items[i]->unit_name[0] ? items[i]->unit_name : items[i]->unit);
            pw_doc_raw(d, "（限");
            pw_doc_text(d, items[i]->deadline);
            pw_doc_raw(d, "）");
        }
    }
    pw_doc_raw(d, "。");
}

static void bl_lead(pw_doc *d, const pw_summary *s, const bl_model *m,
                    const Planwatch__V1__SupervisionItem *const *items, size_t overdue)
{
    pw_doc_raw(d, "<p class=\"lead\" id=\"lead\">");
    bl_lead_reporting(d, s, m);
    bl_lead_red_units(d, s, m);
    bl_lead_lights_and_supervision(d, s, items, overdue);
    pw_doc_raw(d, "</p>\n");
}

static void bl_cards(pw_doc *d, const pw_summary *s, const bl_model *m, size_t overdue)
{
    int expected = 0, received = 0, on_time = 0, red = 0;
    for (size_t i = 0; i < s->n_rates; i++) {
        expected += s->rates[i]->expected;
        received += s->rates[i]->received;
        on_time += s->rates[i]->on_time;
    }
    for (size_t i = 0; i < s->n_indicators; i++)
        red += bl_is(s->indicators[i]->light, "red");
    size_t units_red = 0;
    for (size_t i = 0; i < m->nunits; i++)
        units_red += m->red_of[i] > 0;
    pw_doc_raw(d, "<div class=\"cards\">");
    pw_doc_rawf(d, "<div class=\"card\"><b>%d/%d</b>已报/应报</div>", received, expected);
    pw_doc_rawf(d, "<div class=\"card\"><b>%d</b>按时</div>", on_time);
    pw_doc_rawf(d, "<div class=\"card\"><b>%zu</b>迟报</div>", bl_count_status(m, 1));
    pw_doc_rawf(d, "<div class=\"card\"><b>%zu</b>未报</div>", bl_count_status(m, 0));
    pw_doc_rawf(d, "<div class=\"card\"><b>%d/%zu</b>全州红灯指标</div>", red, s->n_indicators);
    pw_doc_rawf(d, "<div class=\"card\"><b>%zu</b>单位红灯事项</div>", s->n_red_items);
    pw_doc_rawf(d, "<div class=\"card\"><b>%zu</b>超期督办</div>", overdue);
    pw_doc_raw(d, "</div>\n");
    pw_doc_rawf(d,
                "<p class=\"note\" id=\"red-counts\">两种红灯：「全州红灯指标」%d/%zu 按全州汇总值"
                "对全州目标评灯，每个指标计一次；「单位红灯事项」%zu 按各单位自己的目标评灯，"
                "一个指标在几个单位滞后就计几项（涉及%zu个单位）。</p>\n",
                red, s->n_indicators, s->n_red_items, units_red);
}

/* ---- 一 units ---------------------------------------------------------------- */

static void bl_units(pw_doc *d, const pw_summary *s, const bl_model *m)
{
    char b[PW_TIME_BUFSIZE], c1[16], c2[16];
    int month = bl_period_month(s->period);
    pw_doc_raw(d, "<section id=\"units\">\n<h2>一、各单位报送和进度</h2>\n");
    if (!m->nunits) {
        pw_doc_raw(d, "<p class=\"muted\">无单位</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<p class=\"note\">按类别排列，未报、迟报（天数多的在前）、退回在前，"
                  "其余按红灯多少。</p>\n");
    /* the lights per level-1 group ride along on wide screens and paper;
     * a phone gets them as blocks in section 三 */
    size_t ng = m->ngroups;
    pw_doc_raw(d, "<table class=\"units\">\n<thead><tr><th>单位</th><th>报送</th>"
                  "<th class=\"hide-phone hide-print\">报送时间</th><th>红 / 黄 / 绿</th>");
    for (size_t g = 0; g < ng; g++) {
        pw_doc_rawf(d, "<th class=\"hide-phone grp\">%zu ", g + 1);
        pw_doc_text(d, m->groups[g]);
        pw_doc_raw(d, "</th>");
    }
    pw_doc_raw(d, "</tr></thead>\n<tbody>\n");
    const char *cat = NULL;
    for (size_t i = 0; i < m->nunits; i++) {
        const Planwatch__V1__UnitTimeliness *u = m->units[i];
        if (!cat || strcmp(cat, u->category) != 0) {
            cat = u->category;
            pw_doc_rawf(d, "<tr class=\"cat\"><th colspan=\"%zu\">", 4 + ng);
            pw_doc_text(d, pw_label_category(cat));
            for (size_t k = 0; k < s->n_rates; k++) {
                const Planwatch__V1__CategoryRate *r = s->rates[k];
                if (strcmp(r->category, cat) != 0)
                    continue;
                pw_doc_rawf(d,
                            " <span class=\"muted\">应报%d 已报%d 按时%d · 完整率%s · "
                            "及时率%s</span>",
                            r->expected, r->received, r->on_time,
                            pw_fmt_pct(r->completeness, c1, sizeof c1),
                            pw_fmt_pct(r->timeliness, c2, sizeof c2));
            }
            pw_doc_raw(d, "</th></tr>\n");
        }
        pw_doc_rawf(d, "<tr data-unit=\"");
        pw_doc_text(d, u->unit);
        pw_doc_raw(d, "\"><th class=\"gu\">");
        pw_doc_text(d, u->name[0] ? u->name : u->unit);
        pw_doc_raw(d, "</th><td data-label=\"报送\">");
        bl_status_badge(d, u, month);
        pw_doc_raw(d, "</td><td class=\"nowrap hide-phone hide-print\">");
        const char *rec = pw_fmt_time_short(u->received_at, b, sizeof b);
        pw_doc_text(d, rec ? rec : "—");
        pw_doc_raw(d, "</td><td data-label=\"红/黄/绿\">");
        bl_counts(d, u->red, u->yellow, u->green);
        pw_doc_raw(d, "</td>");
        for (size_t g = 0; g < ng; g++) {
            const int *c = &m->counts[(i * ng + g) * 4];
            pw_doc_raw(d, "<td class=\"hide-phone grp\">");
            if (c[0] || c[1] || c[2] || c[3])
                bl_counts(d, c[0], c[1], c[2]);
            pw_doc_raw(d, "</td>");
        }
        pw_doc_raw(d, "</tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n");
    if (ng) {
        pw_doc_raw(d, "<p class=\"note hide-phone\">红 / 黄 / 绿：按单位自己的目标评灯的指标个数，"
                      "总数及各分组（计划的一级指标）。</p>\n");
    }
    pw_doc_raw(d, "</section>\n");
}

/* ---- 二 red items by unit ------------------------------------------------------ */

/* A red item with its sort keys precomputed, so that the comparison needs
 * no context (qsort has none, and a static would race when the server
 * renders pages on several threads). */
typedef struct bl_red_ref {
    const Planwatch__V1__RedItem *item;
    int cat;     /* category rank of the unit */
    size_t reds; /* the unit's red items */
    size_t unit; /* display position, (size_t)-1 unknown */
    size_t ind;  /* plan position */
    size_t seq;  /* message position */
} bl_red_ref;

static int bl_red_cmp(const void *a, const void *b)
{
    const bl_red_ref *x = a, *y = b;
    /* units: category, then most red items, then display order */
    int c = x->cat - y->cat;
    if (!c && x->unit != y->unit) {
        c = (x->reds < y->reds) - (x->reds > y->reds);
        if (!c)
            c = (x->unit > y->unit) - (x->unit < y->unit);
        if (!c)
            c = strcmp(x->item->unit, y->item->unit);
    }
    if (!c)
        c = (x->ind > y->ind) - (x->ind < y->ind);
    if (!c)
        c = (x->seq > y->seq) - (x->seq < y->seq);
    return c;
}

/* The red items of s in display order: a malloc'd array of n_red_items. */
static bl_red_ref *bl_red_sorted(const pw_summary *s, const bl_model *m)
{
    bl_red_ref *v = calloc(s->n_red_items + 1, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        size_t k = dispatch_index_find(&m->ix, r->indicator);
        size_t u = dispatch_index_find(&m->uix, r->unit);
        v[i] = (bl_red_ref){r,
                            bl_category_rank(u != (size_t)-1 ? m->units[u]->category : ""),
                            u != (size_t)-1 ? m->red_of[u] : 0,
                            u,
                            k == (size_t)-1 ? m->nind : k,
                            i};
    }
    qsort(v, s->n_red_items, sizeof *v, bl_red_cmp);
    return v;
}

/* The units with no figure at all this year: one sentence for all of them. */
static void bl_red_blank_units(pw_doc *d, const pw_summary *s, const bl_red_ref *v)
{
    size_t nblank = 0;
    for (size_t i = 0; i < s->n_red_items;) {
        size_t j = i, nodata = 0;
        while (j < s->n_red_items && strcmp(v[j].item->unit, v[i].item->unit) == 0)
            nodata += !v[j++].item->has_actual;
        if (nodata == j - i) {
            const Planwatch__V1__RedItem *r = v[i].item;
            pw_doc_raw(d, nblank ? "、"
                                 : "<p class=\"blank\">本年无报送数据、各项指标按红灯计的单位：");
            pw_doc_text(d, r->unit_name[0] ? r->unit_name : r->unit);
            pw_doc_rawf(d, "（%zu项）", j - i);
            nblank++;
        }
        i = j;
    }
    if (nblank)
        pw_doc_raw(d, "。</p>\n");
}

/* A unit's problem text once: the first non-empty one of its items v[i..j)
 * (they are the unit's one text of the month). */
static void bl_red_problems(pw_doc *d, const bl_red_ref *v, size_t i, size_t j, int month)
{
    const Planwatch__V1__RedItem *pt = NULL;
    for (size_t k = i; k < j && !pt; k++)
        if (v[k].item->problems[0])
            pt = v[k].item;
    pw_doc_raw(d, "<p class=\"problems\"><b>存在问题");
    if (pt && pt->problems_month > 0 && month > 0 && pt->problems_month < month)
        pw_doc_rawf(d, "（%d月填报）", pt->problems_month);
    pw_doc_raw(d, "：</b>");
    if (pt)
        pw_doc_text(d, pt->problems);
    else
        pw_doc_raw(d, "<span class=\"muted\">未填写</span>");
    pw_doc_raw(d, "</p>\n");
}

/* One red item with a figure as a chip: the indicator, its progress and
 * actual/target (a milestone: its state). */
static void bl_red_chip(pw_doc *d, const bl_model *m, const Planwatch__V1__RedItem *r)
{
    char ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE], pct[16];
    const bl_ind *bi = bl_ind_of(m, r->indicator);
    const char *kind = r->kind[0] ? r->kind : bi ? bi->kind : NULL;
    const char *uom = bl_uom(r->uom[0] ? r->uom : bi ? bi->uom : "");
    pw_doc_raw(d, "<li>");
    pw_doc_text(d, r->indicator_name[0] ? r->indicator_name : r->indicator);
    pw_doc_raw(d, " <b>");
    if (dispatch_is_milestone(kind)) {
        pw_doc_text(
            d, bl_actual(kind, r->state, r->has_actual, r->actual, r->progress, ac, sizeof ac));
    } else {
        pw_doc_text(d, pw_fmt_pct(r->progress, pct, sizeof pct));
        pw_doc_raw(d, "</b> <span class=\"muted\">");
        pw_doc_text(
            d, bl_actual(kind, r->state, r->has_actual, r->actual, r->progress, ac, sizeof ac));
        pw_doc_raw(d, "/");
        pw_doc_text(d, pw_fmt_num(r->target, tg, sizeof tg));
        if (uom[0]) {
            pw_doc_raw(d, "<span class=\"uom\">");
            pw_doc_text(d, uom);
            pw_doc_raw(d, "</span>");
        }
        pw_doc_raw(d, "</span><b>");
    }
    pw_doc_raw(d, "</b></li>");
}

/* One unit's red items v[i..j), `nodata` of them without a figure: its
 * heading, its problem text and its items. */
static void bl_red_unit(pw_doc *d, const bl_model *m, const bl_red_ref *v, size_t i, size_t j,
                        size_t nodata, int month)
{
    const Planwatch__V1__RedItem *first = v[i].item;
    const Planwatch__V1__UnitTimeliness *u = v[i].unit != (size_t)-1 ? m->units[v[i].unit] : NULL;
    pw_doc_raw(d, "<div class=\"ru\" data-unit=\"");
    pw_doc_text(d, first->unit);
    pw_doc_raw(d, "\"><h3>");
    pw_doc_text(d, first->unit_name[0] ? first->unit_name : first->unit);
    pw_doc_rawf(d, " <span class=\"badge b-red\">红灯%zu项</span>", j - i);
    if (u && u->data_month > 0 && month > 0 && u->data_month < month)
        pw_doc_rawf(d, " <span class=\"muted\">本月未报，数据截至%d月</span>", u->data_month);
    pw_doc_raw(d, "</h3>\n");
    bl_red_problems(d, v, i, j, month);
    pw_doc_raw(d, "<ul class=\"items\">");
    /* items without any figure are one chip, not a chip each */
    if (nodata)
        pw_doc_rawf(d, "<li>无报送数据的指标%zu项</li>", nodata);
    for (size_t k = i; k < j; k++)
        if (v[k].item->has_actual)
            bl_red_chip(d, m, v[k].item);
    pw_doc_raw(d, "</ul></div>\n");
}

static void bl_red_items(pw_doc *d, const pw_summary *s, const bl_model *m)
{
    int month = bl_period_month(s->period);
    pw_doc_rawf(d, "<section id=\"red\">\n<h2>二、红灯事项（按单位，%zu项）</h2>\n",
                s->n_red_items);
    if (!s->n_red_items) {
        pw_doc_raw(d, "<p class=\"muted\">无</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<p class=\"note\">每项：指标、进度（实际/目标）。存在问题为单位自己填报，"
                  "每个单位列一次。</p>\n");
    bl_red_ref *v = bl_red_sorted(s, m);
    bl_red_blank_units(d, s, v);
    for (size_t i = 0; i < s->n_red_items;) {
        size_t j = i, nodata = 0;
        while (j < s->n_red_items && strcmp(v[j].item->unit, v[i].item->unit) == 0)
            nodata += !v[j++].item->has_actual;
        if (nodata != j - i) /* else said above */
            bl_red_unit(d, m, v, i, j, nodata, month);
        i = j;
    }
    free(v);
    pw_doc_raw(d, "</section>\n");
}

/* ---- 三 groups -------------------------------------------------------------- */

static void bl_groups(pw_doc *d, const pw_summary *s, const bl_model *m)
{
    pw_doc_raw(d, "<section id=\"groups\">\n<h2>三、分组进度</h2>\n");
    if (!m->ngroups) {
        pw_doc_raw(d, "<p class=\"muted\">无指标</p>\n</section>\n");
        return;
    }
    char pct[16];
    /* plan-wide lights per group */
    pw_doc_rawf(d, "<h3>全州指标（按全州汇总值，时间进度 %s）</h3>\n",
                pw_fmt_pct(s->time_elapsed, pct, sizeof pct));
    pw_doc_raw(d, "<table class=\"groups\">\n<thead><tr><th>分组</th><th>红 / 黄 / 绿</th>"
                  "<th class=\"hide-phone\"></th></tr></thead>\n<tbody>\n");
    for (size_t g = 0; g < m->ngroups; g++) {
        int r = 0, y = 0, gr = 0, n = 0;
        for (size_t i = 0; i < s->n_indicators; i++) {
            const bl_ind *bi = bl_ind_of(m, s->indicators[i]->indicator);
            if (!bi || bi->group != g)
                continue;
            n++;
            r += bl_is(s->indicators[i]->light, "red");
            y += bl_is(s->indicators[i]->light, "yellow");
            gr += bl_is(s->indicators[i]->light, "green");
        }
        pw_doc_rawf(d, "<tr><td>%zu ", g + 1);
        pw_doc_text(d, m->groups[g]);
        pw_doc_rawf(d, " <span class=\"muted\">（%d项）</span></td><td>", n);
        bl_counts(d, r, y, gr);
        pw_doc_raw(d, "</td><td class=\"hide-phone\">");
        bl_share_bar(d, r, y, gr, n);
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n");
    /* several leads (SPEC 3.4): who was left out of the plan-wide value */
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        if (p->n_leads_missing == 0 || p->n_leads_reported == 0)
            continue;
        pw_doc_raw(d, "<p class=\"muted\">");
        pw_doc_text(d, p->indicator);
        pw_doc_rawf(d, "：%zu 个牵头单位中 ", p->n_leads_reported + p->n_leads_missing);
        for (size_t k = 0; k < p->n_leads_missing; k++) {
            if (k)
                pw_doc_raw(d, "、");
            pw_doc_text(d, p->leads_missing[k]);
        }
        pw_doc_raw(d, " 尚未报送，未计入合计</p>\n");
    }
    /* units x groups */
    size_t ng = m->ngroups;
    pw_doc_raw(d, "<div class=\"phone-only\"><h3>各单位分组红黄绿灯（按单位自己的目标）</h3>\n"
                  "<table class=\"stack ug\">\n<thead><tr><th>单位</th>");
    for (size_t g = 0; g < ng; g++) {
        pw_doc_rawf(d, "<th title=\"");
        pw_doc_text(d, m->groups[g]);
        pw_doc_rawf(d, "\">%zu</th>", g + 1);
    }
    pw_doc_raw(d, "</tr></thead>\n<tbody>\n");
    for (size_t u = 0; u < m->nunits; u++) {
        int any = 0;
        for (size_t k = 0; k < ng * 4; k++)
            any |= m->counts[u * ng * 4 + k] != 0;
        if (!any)
            continue;
        pw_doc_raw(d, "<tr><th class=\"gu\">");
        pw_doc_text(d, m->units[u]->name[0] ? m->units[u]->name : m->units[u]->unit);
        pw_doc_raw(d, "</th>");
        for (size_t g = 0; g < ng; g++) {
            const int *c = &m->counts[(u * ng + g) * 4];
            if (!c[0] && !c[1] && !c[2] && !c[3]) {
                pw_doc_raw(d, "<td class=\"na\"></td>");
                continue;
            }
            pw_doc_rawf(d, "<td data-label=\"%zu\">", g + 1);
            bl_counts(d, c[0], c[1], c[2]);
            pw_doc_raw(d, "</td>");
        }
        pw_doc_raw(d, "</tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n</div>\n</section>\n");
}

/* ---- 四 supervision, 五 data quality ------------------------------------------ */

static void bl_supervision(pw_doc *d, const pw_summary *s,
                           const Planwatch__V1__SupervisionItem *const *items, size_t overdue)
{
    char b[PW_TIME_BUFSIZE];
    pw_doc_rawf(d,
                "<section id=\"supervision\">\n<h2>四、督办事项（未办结%zu件，超期%zu件）</h2>\n",
                s->n_supervision, overdue);
    if (!s->n_supervision) {
        pw_doc_raw(d, "<p class=\"muted\">无</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<table class=\"stack\">\n<thead><tr><th>单位</th><th>督办内容</th>"
                  "<th>整改期限</th><th>状态</th><th>最新答复</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->n_supervision; i++) {
        const Planwatch__V1__SupervisionItem *it = items[i];
        pw_doc_raw(d, "<tr><th class=\"gu\">");
        pw_doc_text(d, it->unit_name[0] ? it->unit_name : it->unit);
        pw_doc_rawf(d,
                    " <span class=\"muted\">#%lld</span></th><td class=\"pre\" "
                    "data-label=\"内容\">",
                    (long long)it->id);
        pw_doc_text(d, it->text);
        pw_doc_raw(d, "</td><td class=\"nowrap\" data-label=\"期限\">");
        pw_doc_text(d, it->deadline);
        pw_doc_raw(d, "</td><td data-label=\"状态\">");
        if (it->overdue)
            pw_doc_raw(d, "<span class=\"badge b-red\">超期</span> ");
        pw_doc_text(d, dispatch_state_label(it->state));
        pw_doc_raw(d, "</td><td class=\"pre\" data-label=\"最新答复\">");
        if (it->n_answers) {
            const Planwatch__V1__SupervisionAnswer *a = it->answers[it->n_answers - 1];
            pw_doc_text(d, a->text);
            pw_doc_raw(d, "<br><span class=\"muted\">");
            pw_doc_text(d, a->user);
            const char *at = pw_fmt_time_short(a->at, b, sizeof b);
            if (at) {
                pw_doc_raw(d, " · ");
                pw_doc_text(d, at);
            }
            pw_doc_raw(d, "</span>");
        } else {
            pw_doc_raw(d, "<span class=\"muted\">尚未答复</span>");
        }
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n</section>\n");
}

static void bl_flags(pw_doc *d, const pw_summary *s, const dispatch_names *nm, const bl_model *m)
{
    pw_doc_rawf(d, "<section id=\"flags\">\n<h2>五、数据质量提示（%zu条）</h2>\n", s->n_flags);
    if (!s->n_flags) {
        pw_doc_raw(d, "<p class=\"muted\">无</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<p class=\"note\">供核实的线索，不是结论。</p>\n<ul class=\"flags\">\n");
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        pw_doc_raw(d, "<li><b>");
        pw_doc_text(d, dispatch_flag_label(q->kind));
        pw_doc_raw(d, "</b> ");
        /* the server's Chinese sentence names unit and indicator; a summary
         * from before that gets them here */
        if (q->indicator_name[0]) {
            pw_doc_text(d, q->message);
        } else {
            const bl_ind *bi = bl_ind_of(m, q->indicator);
            pw_doc_text(d, dispatch_unit_name(nm, s, q->unit));
            pw_doc_raw(d, "「");
            pw_doc_text(d, bi && bi->name[0] ? bi->name : q->indicator);
            pw_doc_raw(d, "」");
            pw_doc_text(d, q->months);
            pw_doc_raw(d, "：");
            pw_doc_text(d, q->values);
        }
        pw_doc_raw(d, "</li>\n");
    }
    pw_doc_raw(d, "</ul>\n</section>\n");
}

/* ---- 附件 the detail ------------------------------------------------------------ */

/* The appendix: per level-1 group a table, rows = indicators in plan
 * order with the plan-wide figure, one column per county (the units of
 * category county that have cells), the other units' cells in one column
 * as labelled chips.  The page never gets wider than the table's box: the
 * table is fixed-layout at 100 %, and on a phone every row becomes a block
 * of labelled chips (class stack). */
/* The appendix's grid: the county columns, whether other units have a
 * column of their own, and the cells by (indicator, display unit). */
typedef struct bl_appx {
    const pw_summary *s;
    const dispatch_names *nm;
    const bl_model *m;
    size_t *col; /* display units of the county columns */
    size_t ncol;
    int others;                            /* a column "其他单位" */
    const Planwatch__V1__LightCell **cell; /* m->nind x nu */
    size_t nu;
    int month;
} bl_appx;

/* Columns: counties with cells, in the units' display order; cells by
 * (indicator, display unit). */
static void bl_appx_init(bl_appx *a, const pw_summary *s, const dispatch_names *nm,
                         const bl_model *m)
{
    *a = (bl_appx){
        s, nm, m, NULL, 0, 0, NULL, m->nunits ? m->nunits : 1, bl_period_month(s->period)};
    a->col = calloc(m->nunits + 1, sizeof *a->col);
    unsigned char *has = calloc(m->nunits + 1, 1);
    if (!a->col || !has)
        abort();
    for (size_t i = 0; i < s->n_cells; i++) {
        size_t u = dispatch_index_find(&m->uix, s->cells[i]->unit);
        if (u != (size_t)-1)
            has[u] = 1;
    }
    for (size_t u = 0; u < m->nunits; u++)
        if (has[u] && bl_is(m->units[u]->category, "county"))
            a->col[a->ncol++] = u;
    for (size_t u = 0; u < m->nunits; u++)
        a->others |= has[u] && !bl_is(m->units[u]->category, "county");
    free(has);
    a->cell = calloc(m->nind * a->nu + 1, sizeof *a->cell);
    if (!a->cell)
        abort();
    for (size_t i = 0; i < s->n_cells; i++) {
        size_t u = dispatch_index_find(&m->uix, s->cells[i]->unit);
        size_t k = dispatch_index_find(&m->ix, s->cells[i]->indicator);
        if (u != (size_t)-1 && k != (size_t)-1)
            a->cell[k * a->nu + u] = s->cells[i];
    }
}

static void bl_appx_fini(bl_appx *a)
{
    free(a->cell);
    free(a->col);
}

static const char *bl_light_class(const char *light)
{
    return bl_is(light, "green")    ? "c-green"
           : bl_is(light, "yellow") ? "c-yellow"
           : bl_is(light, "red")    ? "c-red"
                                    : "c-none";
}

/* A group's heading, column widths and header row (the counties' names). */
static void bl_appx_head(pw_doc *d, const bl_appx *a, size_t g)
{
    const bl_model *m = a->m;
    pw_doc_rawf(d, "<h3>%zu ", g + 1);
    pw_doc_text(d, m->groups[g]);
    pw_doc_raw(d, "</h3>\n<table class=\"appx stack\"><colgroup><col class=\"cn\">"
                  "<col class=\"cp\">");
    for (size_t c = 0; c < a->ncol; c++)
        pw_doc_raw(d, "<col>");
    if (a->others)
        pw_doc_raw(d, "<col class=\"co\">");
    pw_doc_raw(d, "</colgroup>\n<thead><tr><th>指标</th><th>全州</th>");
    for (size_t c = 0; c < a->ncol; c++) {
        const Planwatch__V1__UnitTimeliness *u = m->units[a->col[c]];
        pw_doc_raw(d, "<th>");
        pw_doc_text(d, u->name[0] ? u->name : u->unit);
        if (u->data_month > 0 && a->month > 0 && u->data_month < a->month)
            pw_doc_rawf(d, "<br><span class=\"muted\">数据截至%d月</span>", u->data_month);
        pw_doc_raw(d, "</th>");
    }
    if (a->others)
        pw_doc_raw(d, "<th>其他单位</th>");
    pw_doc_raw(d, "</tr></thead>\n<tbody>\n");
}

/* The row's header: the indicator's id, name and unit of measure. */
static void bl_appx_row_head(pw_doc *d, const bl_ind *bi, const Planwatch__V1__IndicatorProgress *p)
{
    pw_doc_raw(d, "<tr data-indicator=\"");
    pw_doc_text(d, bi->id);
    pw_doc_raw(d, "\"><th class=\"gu\">");
    pw_doc_text(d, bi->id);
    pw_doc_raw(d, " ");
    pw_doc_text(d, bi->name[0] ? bi->name : (p ? p->name : ""));
    const char *uom = bl_uom(bi->uom[0] ? bi->uom : p ? p->uom : "");
    if (uom[0]) {
        pw_doc_raw(d, " <span class=\"uom\">(");
        pw_doc_text(d, uom);
        pw_doc_raw(d, ")</span>");
    }
    pw_doc_raw(d, "</th>");
}

/* The plan-wide cell (全州): actual/target, coloured by its light. */
static void bl_appx_plan_cell(pw_doc *d, const Planwatch__V1__IndicatorProgress *p)
{
    char ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE];
    if (!p) {
        pw_doc_raw(d, "<td class=\"na\"></td>");
        return;
    }
    pw_doc_rawf(d, "<td class=\"c pw %s\" data-label=\"全州\" title=\"", bl_light_class(p->light));
    pw_doc_text(d, pw_label_light(p->light));
    pw_doc_raw(d, "\">");
    pw_doc_text(d,
                bl_actual(p->kind, p->state, p->has_actual, p->actual, p->progress, ac, sizeof ac));
    if (!dispatch_is_milestone(p->kind)) {
        pw_doc_raw(d, "/");
        pw_doc_text(d, pw_fmt_num(p->target, tg, sizeof tg));
    }
    pw_doc_raw(d, "</td>");
}

/* A county's cell: its progress (a milestone: its state), the light and
 * actual/target in the title. */
static void bl_appx_county_cell(pw_doc *d, const bl_appx *a, const bl_ind *bi,
                                const Planwatch__V1__LightCell *x,
                                const Planwatch__V1__UnitTimeliness *u)
{
    char ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE];
    int month = a->month;
    if (!x) {
        pw_doc_raw(d, "<td class=\"na\"></td>");
        return;
    }
    pw_doc_rawf(d, "<td class=\"c %s\" data-label=\"", bl_light_class(x->light));
    pw_doc_text(d, u->name[0] ? u->name : u->unit);
    pw_doc_raw(d, "\" title=\"");
    const char *kind = x->kind[0] ? x->kind : bi->kind;
    pw_doc_textf(d, "%s %s/%s", pw_label_light(x->light),
                 bl_actual(kind, x->state, x->has_actual, x->actual, x->progress, ac, sizeof ac),
                 dispatch_is_milestone(kind) ? "完成" : pw_fmt_num(x->target, tg, sizeof tg));
    if (x->data_month > 0 && month > 0 && x->data_month < month)
        pw_doc_textf(d, "（数据截至%d月）", x->data_month);
    pw_doc_raw(d, "\">");
    if (bl_is(x->light, "none"))
        pw_doc_raw(d, "–");
    else if (dispatch_is_milestone(kind))
        pw_doc_text(
            d, bl_actual(kind, x->state, x->has_actual, x->actual, x->progress, ac, sizeof ac));
    else if (isfinite(x->progress))
        pw_doc_rawf(d, "%.0f", fmin(fmax(x->progress, 0), 1) * 100);
    if (x->data_month > 0 && month > 0 && x->data_month < month && x->data_month != u->data_month)
        pw_doc_rawf(d, "<sup>%d月</sup>", x->data_month);
    pw_doc_raw(d, "</td>");
}

/* The other units' cell of indicator k: each unit's name and progress. */
static void bl_appx_others_cell(pw_doc *d, const bl_appx *a, size_t k, const bl_ind *bi)
{
    char ac[PW_NUM_BUFSIZE];
    const bl_model *m = a->m;
    int any = 0;
    for (size_t u = 0; u < m->nunits; u++) {
        const Planwatch__V1__LightCell *x = a->cell[k * a->nu + u];
        if (!x || bl_is(m->units[u]->category, "county"))
            continue;
        if (!any)
            pw_doc_raw(d, "<td class=\"oth\" data-label=\"其他\">");
        any = 1;
        const char *kind = x->kind[0] ? x->kind : bi->kind;
        pw_doc_rawf(d, "<span class=\"%s\">", bl_light_class(x->light));
        pw_doc_text(d, m->units[u]->name[0] ? m->units[u]->name : m->units[u]->unit);
        pw_doc_raw(d, " ");
        if (bl_is(x->light, "none"))
            pw_doc_raw(d, "–");
        else if (dispatch_is_milestone(kind))
            pw_doc_text(
                d, bl_actual(kind, x->state, x->has_actual, x->actual, x->progress, ac, sizeof ac));
        else if (isfinite(x->progress))
            pw_doc_rawf(d, "%.0f", fmin(fmax(x->progress, 0), 1) * 100);
        if (x->data_month > 0 && a->month > 0 && x->data_month < a->month)
            pw_doc_rawf(d, "（数据截至%d月）", x->data_month);
        pw_doc_raw(d, "</span>");
    }
    pw_doc_raw(d, any ? "</td>" : "<td class=\"na\"></td>");
}

/* The row of indicator k: its header, the plan-wide cell, the counties'
 * cells and the other units' cell. */
static void bl_appx_row(pw_doc *d, const bl_appx *a, size_t k)
{
    const bl_ind *bi = &a->m->ind[k];
    const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(a->nm, a->s, bi->id);
    bl_appx_row_head(d, bi, p);
    bl_appx_plan_cell(d, p);
    for (size_t c = 0; c < a->ncol; c++)
        bl_appx_county_cell(d, a, bi, a->cell[k * a->nu + a->col[c]], a->m->units[a->col[c]]);
    if (a->others)
        bl_appx_others_cell(d, a, k, bi);
    pw_doc_raw(d, "</tr>\n");
}

static void bl_appendix(pw_doc *d, const pw_summary *s, const dispatch_names *nm, const bl_model *m)
{
    pw_doc_raw(d, "<section class=\"appendix\" id=\"appendix\">\n<h2>附件：分指标明细"
                  "（单位×指标）</h2>\n");
    if (!m->nind) {
        pw_doc_raw(d, "<p class=\"muted\">无</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<p class=\"note\">按计划顺序。单位格内为进度（%），颜色为灯；灰色为未报送。"
                  "「全州」为全州汇总值：实际/目标，计量单位见指标名后括号。</p>\n");
    bl_appx a;
    bl_appx_init(&a, s, nm, m);
    for (size_t g = 0; g < m->ngroups; g++) {
        bl_appx_head(d, &a, g);
        for (size_t k = 0; k < m->nind; k++)
            if (m->ind[k].group == g)
                bl_appx_row(d, &a, k);
        pw_doc_raw(d, "</tbody>\n</table>\n");
    }
    bl_appx_fini(&a);
    pw_doc_raw(d, "</section>\n");
}

int pw_render_dispatch_html(const pw_summary *s, pw_strbuf *out)
{
    pw_fmt_use_tz(s->has_tz_offset_min, s->tz_offset_min);
    pw_doc d = {out, 0};
    dispatch_names nm;
    dispatch_names_init(&nm, s);
    bl_model m;
    bl_model_init(&m, s, &nm);
    char title[1024], b[PW_TIME_BUFSIZE], pct[16], pl[64];
    snprintf(title, sizeof title, "调度通报 %s %s", dispatch_title_name(s), s->period);
    pw_doc_begin(&d, title, dispatch_css);

    pw_doc_raw(&d, "<header>\n<h1>");
    pw_doc_text(&d, dispatch_title_name(s));
    pw_doc_raw(&d, " ");
    pw_doc_text(&d, bl_period_label(s->period, pl, sizeof pl));
    pw_doc_raw(&d, "调度通报</h1>\n<p class=\"meta\">");
    pw_doc_raw(&d, "时间进度 ");
    pw_doc_text(&d, pw_fmt_pct(s->time_elapsed, pct, sizeof pct));
    const char *dl = pw_fmt_time_short(s->deadline, b, sizeof b);
    if (dl) {
        pw_doc_raw(&d, " · 报送截止 ");
        pw_doc_text(&d, dl);
    }
    if (s->extended_to[0]) {
        pw_doc_raw(&d, "（顺延：");
        pw_doc_text(&d, s->extension_reason);
        pw_doc_raw(&d, "）");
    }
    pw_doc_raw(&d, " · ");
    const char *pub = pw_fmt_time_short(s->published_at, b, sizeof b);
    if (s->published) {
        pw_doc_raw(&d, "已发布 ");
        pw_doc_text(&d, pub ? pub : "");
    } else {
        pw_doc_raw(&d, "未发布");
    }
    pw_doc_raw(&d, "</p>\n");
    pw_record_view rv = PW_RECORD_VIEW(s);
    pw_render_record_html(&rv, &d);
    size_t overdue = 0;
    const Planwatch__V1__SupervisionItem **items = dispatch_supervision_order(s, &overdue);
    bl_lead(&d, s, &m, items, overdue);
    bl_cards(&d, s, &m, overdue);
    pw_doc_raw(&d, "</header>\n");

    bl_units(&d, s, &m);
    bl_red_items(&d, s, &m);
    bl_groups(&d, s, &m);
    bl_supervision(&d, s, items, overdue);
    bl_flags(&d, s, &nm, &m);
    bl_appendix(&d, s, &nm, &m);
    free(items);
    pw_doc_end(&d, pw_fmt_time_short(s->generated_at, b, sizeof b));
    bl_model_fini(&m);
    dispatch_names_fini(&nm);
    return d.failed ? -1 : 0;
}

/* ---- XLSX ------------------------------------------------------------------
 *
 * For the clerk who forwards the bulletin upward: one sheet per table, in
 * the order and grouping of the HTML page, every sheet with a title row
 * (plan name, period, publication), Chinese headers repeated on every
 * printed page, A4 landscape one page wide. */

typedef struct dx_ctx {
    lxw_workbook *wb;
    lxw_format *head, *title, *wrap, *pct, *num;
    const pw_summary *s;
} dx_ctx;

static void dx_str(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *v, lxw_format *f)
{
    char *clean = pw_utf8_clean(v ? v : "", 0);
    if (clean[0])
        worksheet_write_string(ws, r, c, clean, f);
    free(clean);
}

static void dx_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    if (isfinite(v))
        worksheet_write_number(ws, r, c, v, f);
}

/* A sheet "<name> <period>" with the title rows and a header row; returns
 * it with *row at the first data row. */
static lxw_worksheet *dx_sheet(dx_ctx *x, const char *name, const char *const *head,
                               const double *widths, size_t ncol, lxw_row_t *row)
{
    char sheet[64], line[1024], b1[PW_TIME_BUFSIZE], b2[PW_TIME_BUFSIZE], pl[64];
    snprintf(sheet, sizeof sheet, "%s %s", name, x->s->period);
    for (char *p = sheet; *p; p++)
        if (strchr("[]:*?/\\'", *p))
            *p = '_';
    if (workbook_validate_sheet_name(x->wb, sheet) != LXW_NO_ERROR)
        snprintf(sheet, sizeof sheet, "%s", name);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
    if (!ws)
        return NULL;
    snprintf(line, sizeof line, "%s %s调度通报 · %s", dispatch_title_name(x->s),
             bl_period_label(x->s->period, pl, sizeof pl), name);
    dx_str(ws, 0, 0, line, x->title);
    const char *pub = pw_fmt_time_short(x->s->published_at, b1, sizeof b1);
    const char *gen = pw_fmt_time_short(x->s->generated_at, b2, sizeof b2);
    snprintf(line, sizeof line, "%s%s · 生成 %s", x->s->published ? "发布 " : "未发布",
             x->s->published && pub ? pub : "", gen ? gen : "");
    dx_str(ws, 1, 0, line, NULL);
    for (size_t c = 0; c < ncol; c++) {
        worksheet_write_string(ws, 3, (lxw_col_t)c, head[c], x->head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 4, 0);
    pw_render_xlsx_page_setup(ws, 3, 0.4, 0.5);
    *row = 4;
    return ws;
}

static void dx_units(dx_ctx *x, const bl_model *m)
{
    static const char *const head[] = {"类别",     "单位", "报送", "迟报天数", "报送时间", "审核",
                                       "数据截至", "红灯", "黄灯", "绿灯",     "指标数"};
    static const double w[] = {10, 26, 10, 9, 17, 9, 9, 7, 7, 7, 8};
    lxw_row_t row;
    lxw_worksheet *ws = dx_sheet(x, "报送情况", head, w, 11, &row);
    if (!ws)
        return;
    char b[PW_TIME_BUFSIZE], dm[16];
    for (size_t i = 0; i < m->nunits; i++, row++) {
        const Planwatch__V1__UnitTimeliness *u = m->units[i];
        dx_str(ws, row, 0, pw_label_category(u->category), NULL);
        dx_str(ws, row, 1, u->name[0] ? u->name : u->unit, NULL);
        dx_str(ws, row, 2, pw_label_status(u->status), NULL);
        if (bl_is(u->status, "late"))
            worksheet_write_number(ws, row, 3, u->days_late, NULL);
        dx_str(ws, row, 4, pw_fmt_time_short(u->received_at, b, sizeof b), NULL);
        dx_str(ws, row, 5, bl_is(u->review_state, "returned") ? "已退回" : "", NULL);
        if (u->data_month) {
            snprintf(dm, sizeof dm, "%d月", u->data_month);
            dx_str(ws, row, 6, dm, NULL);
        }
        worksheet_write_number(ws, row, 7, u->red, NULL);
        worksheet_write_number(ws, row, 8, u->yellow, NULL);
        worksheet_write_number(ws, row, 9, u->green, NULL);
        worksheet_write_number(ws, row, 10, u->indicators, NULL);
    }
}

static void dx_red(dx_ctx *x, const bl_model *m)
{
    static const char *const head[] = {
        "单位", "编号", "指标",     "进度",
        "实际", "目标", "计量单位", "存在问题（单位填报，每单位一次）"};
    static const double w[] = {16, 8, 34, 8, 11, 11, 9, 60};
    lxw_row_t row;
    lxw_worksheet *ws = dx_sheet(x, "红灯事项", head, w, 8, &row);
    if (!ws)
        return;
    const pw_summary *s = x->s;
    bl_red_ref *v = bl_red_sorted(s, m);
    char ac[PW_NUM_BUFSIZE];
    for (size_t i = 0; i < s->n_red_items; i++, row++) {
        const Planwatch__V1__RedItem *r = v[i].item;
        int first = i == 0 || strcmp(v[i - 1].item->unit, r->unit) != 0;
        const bl_ind *bi = bl_ind_of(m, r->indicator);
        const char *kind = r->kind[0] ? r->kind : bi ? bi->kind : NULL;
        dx_str(ws, row, 0, r->unit_name[0] ? r->unit_name : r->unit, NULL);
        dx_str(ws, row, 1, r->indicator, NULL);
        dx_str(ws, row, 2, r->indicator_name, NULL);
        dx_num(ws, row, 3, r->progress, x->pct);
        if (dispatch_is_milestone(kind)) {
            dx_str(ws, row, 4,
                   bl_actual(kind, r->state, r->has_actual, r->actual, r->progress, ac, sizeof ac),
                   NULL);
            dx_str(ws, row, 5, "完成", NULL);
        } else {
            if (r->has_actual)
                dx_num(ws, row, 4, r->actual, x->num);
            dx_num(ws, row, 5, r->target, x->num);
        }
        dx_str(ws, row, 6, bl_uom(r->uom[0] ? r->uom : bi ? bi->uom : ""), NULL);
        if (first)
            dx_str(ws, row, 7, r->problems, x->wrap);
    }
    free(v);
}

static void dx_indicators(dx_ctx *x, const bl_model *m, const dispatch_names *nm)
{
    static const char *const head[] = {"分组", "编号", "指标", "计量单位",
                                       "目标", "实际", "进度", "灯"};
    static const double w[] = {22, 8, 40, 10, 11, 11, 8, 7};
    lxw_row_t row;
    lxw_worksheet *ws = dx_sheet(x, "指标进度", head, w, 8, &row);
    if (!ws)
        return;
    char ac[PW_NUM_BUFSIZE];
    for (size_t k = 0; k < m->nind; k++) {
        const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, x->s, m->ind[k].id);
        if (!p)
            continue;
        dx_str(ws, row, 0, m->groups[m->ind[k].group], NULL);
        dx_str(ws, row, 1, p->indicator, NULL);
        dx_str(ws, row, 2, p->name, NULL);
        dx_str(ws, row, 3, bl_uom(p->uom), NULL);
        if (dispatch_is_milestone(p->kind)) {
            dx_str(ws, row, 4, "完成", NULL);
            dx_str(
                ws, row, 5,
                bl_actual(p->kind, p->state, p->has_actual, p->actual, p->progress, ac, sizeof ac),
                NULL);
        } else {
            dx_num(ws, row, 4, p->target, x->num);
            if (p->has_actual)
                dx_num(ws, row, 5, p->actual, x->num);
        }
        dx_num(ws, row, 6, p->progress, x->pct);
        dx_str(ws, row, 7, pw_label_light(p->light), NULL);
        row++;
    }
}

static void dx_supervision(dx_ctx *x)
{
    static const char *const head[] = {"编号", "单位", "督办内容", "整改期限",
                                       "状态", "超期", "最新答复"};
    static const double w[] = {7, 16, 44, 12, 9, 7, 44};
    lxw_row_t row;
    lxw_worksheet *ws = dx_sheet(x, "督办事项", head, w, 7, &row);
    if (!ws)
        return;
    size_t overdue = 0;
    const Planwatch__V1__SupervisionItem **items = dispatch_supervision_order(x->s, &overdue);
    for (size_t i = 0; i < x->s->n_supervision; i++, row++) {
        const Planwatch__V1__SupervisionItem *it = items[i];
        worksheet_write_number(ws, row, 0, (double)it->id, NULL);
        dx_str(ws, row, 1, it->unit_name[0] ? it->unit_name : it->unit, NULL);
        dx_str(ws, row, 2, it->text, x->wrap);
        dx_str(ws, row, 3, it->deadline, NULL);
        dx_str(ws, row, 4, dispatch_state_label(it->state), NULL);
        dx_str(ws, row, 5, it->overdue ? "超期" : "", NULL);
        if (it->n_answers)
            dx_str(ws, row, 6, it->answers[it->n_answers - 1]->text, x->wrap);
    }
    free(items);
}

static void dx_flags(dx_ctx *x)
{
    static const char *const head[] = {"类型", "单位", "指标", "月份", "说明"};
    static const double w[] = {12, 16, 30, 18, 70};
    lxw_row_t row;
    lxw_worksheet *ws = dx_sheet(x, "数据质量", head, w, 5, &row);
    if (!ws)
        return;
    for (size_t i = 0; i < x->s->n_flags; i++, row++) {
        const Planwatch__V1__QualityFlag *q = x->s->flags[i];
        dx_str(ws, row, 0, dispatch_flag_label(q->kind), NULL);
        dx_str(ws, row, 1, q->unit_name[0] ? q->unit_name : q->unit, NULL);
        dx_str(ws, row, 2, q->indicator_name[0] ? q->indicator_name : q->indicator, NULL);
        dx_str(ws, row, 3, q->months, NULL);
        dx_str(ws, row, 4, q->message, x->wrap);
    }
}

int pw_render_dispatch_xlsx(const pw_summary *s, const char *path, char *err, size_t errlen)
{
    char *tmp = pw_render_xlsx_tmp(path, err, errlen);
    if (!tmp)
        return -1;
    dx_ctx x = {.s = s};
    x.wb = workbook_new(tmp);
    if (!x.wb) {
        snprintf(err, errlen, "cannot write %s: cannot start the workbook", path);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    char subject[1024];
    snprintf(subject, sizeof subject, "%s %s", dispatch_title_name(s), s->period);
    lxw_doc_properties props = {.title = "调度通报", .subject = subject, .author = "planwatch"};
    workbook_set_properties(x.wb, &props);
    x.head = workbook_add_format(x.wb);
    format_set_bold(x.head);
    format_set_bg_color(x.head, 0xEEF1F5);
    format_set_bottom(x.head, LXW_BORDER_THIN);
    format_set_text_wrap(x.head);
    x.title = workbook_add_format(x.wb);
    format_set_bold(x.title);
    format_set_font_size(x.title, 13);
    x.wrap = workbook_add_format(x.wb);
    format_set_text_wrap(x.wrap);
    format_set_align(x.wrap, LXW_ALIGN_VERTICAL_TOP);
    x.pct = workbook_add_format(x.wb);
    format_set_num_format(x.pct, "0.0%");
    x.num = workbook_add_format(x.wb);
    format_set_num_format(x.num, "General");

    dispatch_names nm;
    dispatch_names_init(&nm, s);
    bl_model m;
    bl_model_init(&m, s, &nm);
    dx_units(&x, &m);
    dx_red(&x, &m);
    dx_indicators(&x, &m, &nm);
    dx_supervision(&x);
    dx_flags(&x);
    bl_model_fini(&m);
    dispatch_names_fini(&nm);
    return pw_render_xlsx_finish(x.wb, tmp, path, err, errlen);
}
