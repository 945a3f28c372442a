/*
 * render_dispatch.c - the dispatch summary as a terminal report, JSON, CSV
 * and one printable HTML page.
 *
 * Design notes:
 * - The server decides everything (statuses, lights, rates, which items are
 *   red or overdue); these functions only lay it out.  The order of units,
 *   indicators and items is the server's, except that overdue supervision
 *   items are listed first (stable).
 * - Every string from the message is untrusted: the terminal gets
 *   pw_term_clean'ed cells (no control characters, one line), HTML gets
 *   pw_doc_text, JSON gets pw_json_str (valid UTF-8), CSV gets the RFC 4180
 *   writer of common/csv.
 * - The grid of units x indicators is built with two sorted indexes (unit ->
 *   row, indicator -> column), so a national-size summary (3,000 units x 200
 *   indicators) stays O(n log n).
 */
#include "common/render/render_dispatch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/render/render_format.h"
#include "common/render/render_record.h"
#include "common/render/table.h"
#include "common/csv.h"
#include "common/period.h"

static pw_record_view record_view_of(int published, int version,
                                     Planwatch__V1__PublishedVersion *const *versions, size_t n,
                                     int differs)
{
    pw_record_view v = {published, version, versions, n, differs};
    return v;
}
#define RECORD_VIEW(x)                                                                             \
    record_view_of((x)->published, (x)->version, (x)->versions, (x)->n_versions,                   \
                   (x)->differs_from_published)

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
    dispatch_index units, indicators;
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
}

static void dispatch_names_fini(dispatch_names *nm)
{
    free(nm->units.keys);
    free(nm->indicators.keys);
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

static const char *dispatch_review_label(const char *state)
{
    if (strcmp(state, "submitted") == 0)
        return "已提交";
    if (strcmp(state, "accepted") == 0)
        return "已审核";
    if (strcmp(state, "returned") == 0)
        return "已退回";
    return state;
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

/* A row of n untrusted cells, each cleaned for the terminal. */
static void text_row(pw_table *t, int n, const char *const *cells)
{
    char *clean[32];
    for (int i = 0; i < n && i < 32; i++)
        clean[i] = pw_term_clean(cells[i]);
    pw_table_row(t, (const char *const *)clean);
    for (int i = 0; i < n && i < 32; i++)
        free(clean[i]);
}

static void text_heading(FILE *f, const char *title)
{
    fprintf(f, "\n%s\n", title);
}

void pw_render_dispatch_text(const pw_summary *s, FILE *f)
{
    char b1[PW_TIME_BUFSIZE], b2[PW_TIME_BUFSIZE], pct[16];
    dispatch_names nm;
    dispatch_names_init(&nm, s);
    char *title = pw_term_clean(dispatch_title_name(s));
    char *plan = pw_term_clean(s->plan);
    char *period = pw_term_clean(s->period);
    fprintf(f, "Dispatch summary 调度通报: %s (%s), %s\n", title, plan, period);
    const char *dl = pw_fmt_time(s->deadline, b1, sizeof b1);
    const char *pub = pw_fmt_time(s->published_at, b2, sizeof b2);
    fprintf(f, "time elapsed t = %s; report deadline %s; %s%s\n",
            pw_fmt_pct(s->time_elapsed, pct, sizeof pct), dl ? dl : "-",
            s->published ? "published " : "not published", s->published && pub ? pub : "");
    if (s->extended_to[0]) {
        char *why = pw_term_clean(s->extension_reason);
        fprintf(f, "deadline extended to %s (截止日期顺延): %s\n", s->extended_to, why);
        free(why);
    }
    pw_record_view rv = RECORD_VIEW(s);
    pw_render_record_text(&rv, f);
    free(title);
    free(plan);
    free(period);

    /* timeliness */
    text_heading(f, "Timeliness (报送情况)");
    if (!s->n_units) {
        fprintf(f, "no units\n");
    } else {
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
            text_row(t, 10, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
    }

    text_heading(f, "Rates per category (报送率)");
    if (!s->n_rates) {
        fprintf(f, "none\n");
    } else {
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
            text_row(t, 6, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
    }

    text_heading(f, "Plan-wide indicators (指标进度)");
    if (!s->n_indicators) {
        fprintf(f, "no indicators\n");
    } else {
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
            text_row(t, 8, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
        for (size_t i = 0; i < s->n_indicators; i++) {
            const Planwatch__V1__IndicatorProgress *ind = s->indicators[i];
            if (!ind->judged && ind->n_leads_reported == 0 && ind->n_leads_missing == 0 &&
                strcmp(ind->light, "none") == 0)
                fprintf(f, "%s: no lead unit, not judged (未明确牵头单位，不评灯)\n",
                        ind->indicator);
            if (ind->n_leads_missing == 0 || ind->n_leads_reported == 0)
                continue;
            fprintf(f, "%s: %s of %zu leads; left out without a value (未报送，未计入): ",
                    ind->indicator, ind->aggregate, ind->n_leads_reported + ind->n_leads_missing);
            for (size_t k = 0; k < ind->n_leads_missing; k++)
                fprintf(f, "%s%s", k ? ", " : "", ind->leads_missing[k]);
            fprintf(f, "\n");
        }
    }

    char head[96];
    snprintf(head, sizeof head, "Red items (红灯事项): %zu", s->n_red_items);
    text_heading(f, head);
    if (s->n_red_items) {
        static const char *const hdr[] = {"UNIT",   "NAME",   "INDICATOR", "PROGRESS",
                                          "ACTUAL", "TARGET", "PROBLEMS"};
        pw_table *t = pw_table_new(7, hdr);
        for (size_t i = 0; i < s->n_red_items; i++) {
            const Planwatch__V1__RedItem *r = s->red_items[i];
            char ind[512], pr[16], ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE];
            snprintf(ind, sizeof ind, "%s %s", r->indicator, r->indicator_name);
            const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(&nm, s, r->indicator);
            const char *kind = p ? p->kind : NULL;
            const char *row[] = {
                r->unit,
                r->unit_name,
                ind,
                pw_fmt_pct(r->progress, pr, sizeof pr),
                dispatch_actual_text(kind, r->has_actual, r->actual, r->progress, 0, ac, sizeof ac),
                dispatch_target_text(kind, r->target, 0, tg, sizeof tg),
                r->problems[0] ? r->problems : "-"};
            text_row(t, 7, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
    }

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
            text_row(t, 7, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
    }
    free(items);

    snprintf(head, sizeof head, "Data-quality flags (数据质量提示): %zu", s->n_flags);
    text_heading(f, head);
    if (s->n_flags) {
        static const char *const hdr[] = {"UNIT",   "INDICATOR", "KIND",
                                          "MONTHS", "VALUES",    "MESSAGE"};
        pw_table *t = pw_table_new(6, hdr);
        for (size_t i = 0; i < s->n_flags; i++) {
            const Planwatch__V1__QualityFlag *q = s->flags[i];
            const char *row[] = {q->unit, q->indicator, q->kind, q->months, q->values, q->message};
            text_row(t, 6, row);
        }
        pw_table_print(t, f);
        pw_table_free(t);
    }
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

static json_t *dispatch_json_supervision(const Planwatch__V1__SupervisionItem *it)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(it->id));
    json_object_set_new(o, "unit", pw_json_str(it->unit));
    json_object_set_new(o, "unit_name", pw_json_str(it->unit_name));
    json_object_set_new(o, "text", pw_json_str(it->text));
    json_object_set_new(o, "deadline", pw_json_str_or_null(it->deadline));
    json_object_set_new(o, "state", pw_json_str(it->state));
    json_object_set_new(o, "overdue", json_boolean(it->overdue));
    json_object_set_new(o, "opened_by", pw_json_str_or_null(it->opened_by));
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

json_t *pw_render_dispatch_json(const pw_summary *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "plan", pw_json_str(s->plan));
    json_object_set_new(o, "plan_name", pw_json_str(s->plan_name));
    json_object_set_new(o, "period", pw_json_str(s->period));
    json_object_set_new(o, "time_elapsed", json_num(s->time_elapsed));
    json_object_set_new(o, "deadline", pw_json_time(s->deadline));
    json_object_set_new(o, "extended_to", pw_json_str_or_null(s->extended_to));
    json_object_set_new(o, "extension_reason", pw_json_str_or_null(s->extension_reason));
    json_object_set_new(o, "generated_at", pw_json_time(s->generated_at));
    json_object_set_new(o, "published", json_boolean(s->published));
    json_object_set_new(o, "published_at", pw_json_time(s->published_at));
    pw_record_view rv = RECORD_VIEW(s);
    pw_render_record_json(&rv, o);

    json_t *units = json_array();
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        json_t *e = json_object();
        json_object_set_new(e, "unit", pw_json_str(u->unit));
        json_object_set_new(e, "name", pw_json_str(u->name));
        json_object_set_new(e, "category", pw_json_str(u->category));
        json_object_set_new(e, "status", pw_json_str(u->status));
        json_object_set_new(e, "days_late", json_integer(u->days_late));
        json_object_set_new(e, "received_at", pw_json_time(u->received_at));
        json_object_set_new(e, "review_state", pw_json_str_or_null(u->review_state));
        json_object_set_new(e, "extended_to", pw_json_str_or_null(u->extended_to));
        json_object_set_new(e, "red", json_integer(u->red));
        json_object_set_new(e, "yellow", json_integer(u->yellow));
        json_object_set_new(e, "green", json_integer(u->green));
        json_object_set_new(e, "indicators", json_integer(u->indicators));
        json_array_append_new(units, e);
    }
    json_object_set_new(o, "units", units);

    json_t *rates = json_array();
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        json_t *e = json_object();
        json_object_set_new(e, "category", pw_json_str(r->category));
        json_object_set_new(e, "expected", json_integer(r->expected));
        json_object_set_new(e, "received", json_integer(r->received));
        json_object_set_new(e, "on_time", json_integer(r->on_time));
        json_object_set_new(e, "completeness", json_num(r->completeness));
        json_object_set_new(e, "timeliness", json_num(r->timeliness));
        json_array_append_new(rates, e);
    }
    json_object_set_new(o, "rates", rates);

    json_t *inds = json_array();
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        json_t *e = json_object();
        json_object_set_new(e, "indicator", pw_json_str(p->indicator));
        json_object_set_new(e, "level1", pw_json_str(p->level1));
        json_object_set_new(e, "level2", pw_json_str(p->level2));
        json_object_set_new(e, "name", pw_json_str(p->name));
        json_object_set_new(e, "uom", pw_json_str(p->uom));
        json_object_set_new(e, "kind", pw_json_str(p->kind));
        json_object_set_new(e, "direction", pw_json_str(p->direction));
        json_object_set_new(e, "target", json_num(p->target));
        json_object_set_new(e, "actual", json_number_or_null(p->has_actual, p->actual));
        json_object_set_new(e, "actual_source", pw_json_str(p->actual_source));
        json_object_set_new(e, "progress", json_num(p->progress));
        json_object_set_new(e, "light", pw_json_str(p->light));
        json_object_set_new(e, "judged", json_boolean(p->judged));
        json_object_set_new(e, "aggregate", pw_json_str(p->aggregate));
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
    json_object_set_new(o, "indicators", inds);

    json_t *cells = json_array();
    for (size_t i = 0; i < s->n_cells; i++) {
        const Planwatch__V1__LightCell *c = s->cells[i];
        json_t *e = json_object();
        json_object_set_new(e, "unit", pw_json_str(c->unit));
        json_object_set_new(e, "indicator", pw_json_str(c->indicator));
        json_object_set_new(e, "light", pw_json_str(c->light));
        json_object_set_new(e, "progress", json_num(c->progress));
        json_object_set_new(e, "actual", json_number_or_null(c->has_actual, c->actual));
        json_object_set_new(e, "target", json_num(c->target));
        json_array_append_new(cells, e);
    }
    json_object_set_new(o, "cells", cells);

    json_t *reds = json_array();
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        json_t *e = json_object();
        json_object_set_new(e, "unit", pw_json_str(r->unit));
        json_object_set_new(e, "unit_name", pw_json_str(r->unit_name));
        json_object_set_new(e, "indicator", pw_json_str(r->indicator));
        json_object_set_new(e, "indicator_name", pw_json_str(r->indicator_name));
        json_object_set_new(e, "progress", json_num(r->progress));
        json_object_set_new(e, "actual", json_number_or_null(r->has_actual, r->actual));
        json_object_set_new(e, "target", json_num(r->target));
        json_object_set_new(e, "problems", pw_json_str(r->problems));
        json_array_append_new(reds, e);
    }
    json_object_set_new(o, "red_items", reds);

    json_t *sup = json_array();
    for (size_t i = 0; i < s->n_supervision; i++)
        json_array_append_new(sup, dispatch_json_supervision(s->supervision[i]));
    json_object_set_new(o, "supervision", sup);

    json_t *flags = json_array();
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        json_t *e = json_object();
        json_object_set_new(e, "unit", pw_json_str(q->unit));
        json_object_set_new(e, "indicator", pw_json_str(q->indicator));
        json_object_set_new(e, "kind", pw_json_str(q->kind));
        json_object_set_new(e, "months", pw_json_str(q->months));
        json_object_set_new(e, "values", pw_json_str(q->values));
        json_object_set_new(e, "message", pw_json_str(q->message));
        json_array_append_new(flags, e);
    }
    json_object_set_new(o, "flags", flags);
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

int pw_render_dispatch_csv(const pw_summary *s, pw_strbuf *out)
{
    pw_csv_writer w;
    if (pw_csv_writer_init_strbuf(&w, out, PW_CSV_WRITE_BOM | PW_CSV_WRITE_SPREADSHEET) != 0)
        return -1;
    int failed = 0;
    char b1[PW_TIME_BUFSIZE], b2[PW_TIME_BUFSIZE], b3[PW_TIME_BUFSIZE], n1[64], n2[64], n3[64],
        n4[64], n5[64];

    static const char *const h_sum[] = {
        "plan",     "plan_name",    "period",      "time_elapsed_pct",
        "deadline", "generated_at", "published_at"};
    csv_section(&w, "summary", "调度通报", h_sum, 7);
    {
        const char *dl = pw_fmt_time(s->deadline, b1, sizeof b1);
        const char *gen = pw_fmt_time(s->generated_at, b2, sizeof b2);
        const char *pub = s->published ? pw_fmt_time(s->published_at, b3, sizeof b3) : NULL;
        const char *row[] = {
            s->plan,      s->plan_name,   s->period,     csv_pct(s->time_elapsed, n1, sizeof n1),
            dl ? dl : "", gen ? gen : "", pub ? pub : ""};
        csv_record(&w, row, 7);
    }
    csv_end_section(out, &failed);

    static const char *const h_units[] = {"unit",      "name",        "category",     "status",
                                          "days_late", "received_at", "review_state", "red",
                                          "yellow",    "green",       "indicators"};
    csv_section(&w, "timeliness", "报送情况", h_units, 11);
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        pw_csv_write_str(&w, u->unit);
        pw_csv_write_str(&w, u->name);
        pw_csv_write_str(&w, u->category);
        pw_csv_write_str(&w, u->status);
        pw_csv_write_fieldf(&w, "%d", u->days_late);
        const char *rec = pw_fmt_time(u->received_at, b1, sizeof b1);
        pw_csv_write_str(&w, rec ? rec : "");
        pw_csv_write_str(&w, u->review_state);
        pw_csv_write_fieldf(&w, "%d", u->red);
        pw_csv_write_fieldf(&w, "%d", u->yellow);
        pw_csv_write_fieldf(&w, "%d", u->green);
        pw_csv_write_fieldf(&w, "%d", u->indicators);
        pw_csv_end_record(&w);
    }
    csv_end_section(out, &failed);

    static const char *const h_rates[] = {"category", "expected",         "received",
                                          "on_time",  "completeness_pct", "timeliness_pct"};
    csv_section(&w, "rates", "报送率", h_rates, 6);
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        pw_csv_write_str(&w, r->category);
        pw_csv_write_fieldf(&w, "%d", r->expected);
        pw_csv_write_fieldf(&w, "%d", r->received);
        pw_csv_write_fieldf(&w, "%d", r->on_time);
        pw_csv_write_str(&w, csv_pct(r->completeness, n1, sizeof n1));
        pw_csv_write_str(&w, csv_pct(r->timeliness, n2, sizeof n2));
        pw_csv_end_record(&w);
    }
    csv_end_section(out, &failed);

    static const char *const h_ind[] = {"indicator",     "level1",       "level2", "name",
                                        "uom",           "direction",    "target", "actual",
                                        "actual_source", "progress_pct", "light"};
    csv_section(&w, "indicators", "指标进度", h_ind, 11);
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        const char *row[] = {p->indicator,
                             p->level1,
                             p->level2,
                             p->name,
                             p->uom,
                             p->direction,
                             csv_num(p->target, n1, sizeof n1),
                             p->has_actual ? csv_num(p->actual, n2, sizeof n2) : "",
                             p->actual_source,
                             csv_pct(p->progress, n3, sizeof n3),
                             p->light};
        csv_record(&w, row, 11);
    }
    csv_end_section(out, &failed);

    static const char *const h_red[] = {"unit",         "unit_name", "indicator", "indicator_name",
                                        "progress_pct", "actual",    "target",    "problems"};
    csv_section(&w, "red_items", "红灯事项", h_red, 8);
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        const char *row[] = {r->unit,
                             r->unit_name,
                             r->indicator,
                             r->indicator_name,
                             csv_pct(r->progress, n4, sizeof n4),
                             r->has_actual ? csv_num(r->actual, n1, sizeof n1) : "",
                             csv_num(r->target, n5, sizeof n5),
                             r->problems};
        csv_record(&w, row, 8);
    }
    csv_end_section(out, &failed);

    static const char *const h_sup[] = {"id",       "unit",  "unit_name", "text",
                                        "deadline", "state", "overdue"};
    csv_section(&w, "supervision", "督办事项", h_sup, 7);
    size_t overdue = 0;
    const Planwatch__V1__SupervisionItem **items = dispatch_supervision_order(s, &overdue);
    for (size_t i = 0; i < s->n_supervision; i++) {
        const Planwatch__V1__SupervisionItem *it = items[i];
        pw_csv_write_fieldf(&w, "%lld", (long long)it->id);
        pw_csv_write_str(&w, it->unit);
        pw_csv_write_str(&w, it->unit_name);
        pw_csv_write_str(&w, it->text);
        pw_csv_write_str(&w, it->deadline);
        pw_csv_write_str(&w, it->state);
        pw_csv_write_str(&w, it->overdue ? "yes" : "no");
        pw_csv_end_record(&w);
    }
    free(items);
    csv_end_section(out, &failed);

    static const char *const h_flags[] = {"unit",   "indicator", "kind",
                                          "months", "values",    "message"};
    csv_section(&w, "flags", "数据质量提示", h_flags, 6);
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        const char *row[] = {q->unit, q->indicator, q->kind, q->months, q->values, q->message};
        csv_record(&w, row, 6);
    }
    return failed || pw_csv_writer_failed(&w) ? -1 : 0;
}

/* ---- HTML ---------------------------------------------------------------- */

static const char dispatch_css[] =
    ".bar{display:block}\n"
    ".lights{display:flex;align-items:center;gap:6px;white-space:nowrap}\n"
    ".grid-wrap{overflow-x:auto}\n"
    ".grid{width:auto;border-collapse:separate;border-spacing:2px;margin:4px 0}\n"
    ".grid th,.grid td{border:0;padding:0}\n"
    ".grid th.gu{text-align:right;padding-right:6px;font-weight:normal;white-space:nowrap;"
    "background:none;font-size:13px}\n"
    ".grid th.gi{background:none;font-weight:normal;font-size:11px;color:var(--muted);"
    "vertical-align:bottom;text-align:center;padding-bottom:2px}\n"
    ".grid th.gi span{writing-mode:vertical-rl;white-space:nowrap}\n"
    ".grid td.c{width:32px;min-width:10px;height:20px;border-radius:3px;text-align:center;"
    "color:#fff;font-size:11px;line-height:20px;font-variant-numeric:tabular-nums}\n"
    ".c-green{background:var(--green)}.c-yellow{background:var(--yellow);color:#1f2933}"
    ".c-red{background:var(--red);font-weight:700}.c-none{background:#e4e7eb;color:#5f6b7a}\n"
    ".ind-path{display:block;color:var(--muted);font-size:12px}\n"
    "td.problems{min-width:280px}\n"
    "@media print{.grid-wrap{overflow:visible}"
    ".grid th.gu{font-size:8pt}.grid td.c{width:9mm;height:13px;line-height:13px;"
    "font-size:6.5pt}.grid.many{width:100%;table-layout:fixed}.grid.many th.gu{width:26mm}"
    ".grid.many td.c{width:auto;font-size:0}.grid th.gi{font-size:6.5pt}"
    ".bar{width:46mm}}\n";

static void html_light_badge(pw_doc *d, const char *light)
{
    const char *cls = strcmp(light, "green") == 0    ? "b-green"
                      : strcmp(light, "yellow") == 0 ? "b-yellow"
                      : strcmp(light, "red") == 0    ? "b-red"
                                                     : "b-none";
    pw_doc_rawf(d, "<span class=\"badge %s\">", cls);
    pw_doc_text(d, pw_label_light(light));
    pw_doc_raw(d, "</span>");
}

static void html_status_badge(pw_doc *d, const Planwatch__V1__UnitTimeliness *u)
{
    const char *cls = strcmp(u->status, "on_time") == 0   ? "b-green"
                      : strcmp(u->status, "late") == 0    ? "b-yellow"
                      : strcmp(u->status, "missing") == 0 ? "b-red"
                                                          : "b-none";
    pw_doc_rawf(d, "<span class=\"badge %s\">", cls);
    pw_doc_text(d, pw_label_status(u->status));
    if (strcmp(u->status, "late") == 0)
        pw_doc_textf(d, " %d 天", u->days_late);
    pw_doc_raw(d, "</span>");
}

/* A stacked bar of a unit's red / yellow / green / no-data lights. */
static void html_light_counts(pw_doc *d, const Planwatch__V1__UnitTimeliness *u)
{
    int r = u->red > 0 ? u->red : 0, y = u->yellow > 0 ? u->yellow : 0,
        g = u->green > 0 ? u->green : 0;
    int total = u->indicators > r + y + g ? u->indicators : r + y + g;
    const double w = 120.0;
    pw_doc_raw(d, "<span class=\"lights\"><svg width=\"120\" height=\"12\" viewBox=\"0 0 120 12\" "
                  "role=\"img\">");
    pw_doc_rawf(d, "<title>红 %d · 黄 %d · 绿 %d / %d</title>", r, y, g, total);
    pw_doc_raw(d, "<rect x=\"0\" y=\"0\" width=\"120\" height=\"12\" rx=\"2\" fill=\"#e4e7eb\"/>");
    if (total > 0) {
        double x = 0;
        const int counts[3] = {r, y, g};
        const char *colors[3] = {"#d64545", "#e0a800", "#2e9d4f"};
        for (int k = 0; k < 3; k++) {
            if (!counts[k])
                continue;
            double cw = w * counts[k] / total;
            pw_doc_rawf(d, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>", x,
                        cw, colors[k]);
            x += cw;
        }
    }
    pw_doc_rawf(d, "</svg><span>%d / %d / %d</span></span>", r, y, g);
}

/* A horizontal bar: the fraction filled in `color`, a marker at `t`. */
static void html_progress_bar(pw_doc *d, double progress, double t, const char *color)
{
    const double w = 220.0;
    double p = isfinite(progress) ? progress : 0;
    if (p < 0)
        p = 0;
    if (p > 1)
        p = 1;
    double tt = isfinite(t) ? t : 0;
    if (tt < 0)
        tt = 0;
    if (tt > 1)
        tt = 1;
    char pp[16], tp[16];
    pw_doc_raw(d, "<svg class=\"bar\" width=\"220\" height=\"18\" viewBox=\"0 0 220 18\" "
                  "role=\"img\" preserveAspectRatio=\"none\">");
    pw_doc_rawf(d, "<title>进度 %s · 时间进度 %s</title>", pw_fmt_pct(p, pp, sizeof pp),
                pw_fmt_pct(tt, tp, sizeof tp));
    pw_doc_raw(d, "<rect x=\"0\" y=\"4\" width=\"220\" height=\"10\" rx=\"2\" fill=\"#e4e7eb\"/>");
    if (p > 0)
        pw_doc_rawf(d, "<rect x=\"0\" y=\"4\" width=\"%.1f\" height=\"10\" rx=\"2\" fill=\"%s\"/>",
                    w * p, color);
    double x = w * tt;
    if (x < 1)
        x = 1;
    if (x > w - 1)
        x = w - 1;
    pw_doc_rawf(d,
                "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"18\" stroke=\"#1f2933\" "
                "stroke-width=\"2\"/></svg>",
                x, x);
}

static void html_cards(pw_doc *d, const pw_summary *s, size_t overdue)
{
    int expected = 0, received = 0, on_time = 0, late = 0, missing = 0;
    for (size_t i = 0; i < s->n_rates; i++) {
        expected += s->rates[i]->expected;
        received += s->rates[i]->received;
        on_time += s->rates[i]->on_time;
    }
    for (size_t i = 0; i < s->n_units; i++) {
        late += strcmp(s->units[i]->status, "late") == 0;
        missing += strcmp(s->units[i]->status, "missing") == 0;
    }
    int red = 0;
    for (size_t i = 0; i < s->n_indicators; i++)
        red += strcmp(s->indicators[i]->light, "red") == 0;
    pw_doc_raw(d, "<div class=\"cards\">");
    pw_doc_rawf(d,
                "<div class=\"card\"><b>%d / %d</b>已报 / 应报 <span class=\"en\">received"
                "</span></div>",
                received, expected);
    pw_doc_rawf(d, "<div class=\"card\"><b>%d</b>按时 <span class=\"en\">on time</span></div>",
                on_time);
    pw_doc_rawf(d, "<div class=\"card\"><b>%d</b>迟报 <span class=\"en\">late</span></div>", late);
    pw_doc_rawf(d, "<div class=\"card\"><b>%d</b>未报 <span class=\"en\">missing</span></div>",
                missing);
    pw_doc_rawf(d,
                "<div class=\"card\"><b>%d / %zu</b>红灯指标 <span class=\"en\">red "
                "indicators</span></div>",
                red, s->n_indicators);
    pw_doc_rawf(d,
                "<div class=\"card\"><b>%zu</b>红灯事项 <span class=\"en\">red items</span>"
                "</div>",
                s->n_red_items);
    pw_doc_rawf(d,
                "<div class=\"card\"><b>%zu</b>超期督办 <span class=\"en\">overdue</span>"
                "</div>",
                overdue);
    pw_doc_rawf(d, "<div class=\"card\"><b>%zu</b>数据提示 <span class=\"en\">flags</span></div>",
                s->n_flags);
    pw_doc_raw(d, "</div>\n");
}

static void html_timeliness(pw_doc *d, const pw_summary *s)
{
    char b[PW_TIME_BUFSIZE], pct[16];
    pw_doc_raw(d, "<section>\n<h2>一、报送情况 <span class=\"en\">Timeliness</span></h2>\n");
    if (!s->n_units) {
        pw_doc_raw(d, "<p class=\"muted\">无单位 no units</p>\n");
    } else {
        pw_doc_raw(d, "<table>\n<thead><tr><th>单位 <span class=\"en\">unit</span></th>"
                      "<th>类别 <span class=\"en\">category</span></th>"
                      "<th>报送状态 <span class=\"en\">status</span></th>"
                      "<th>报送时间 <span class=\"en\">received</span></th>"
                      "<th>审核 <span class=\"en\">review</span></th>"
                      "<th>红 / 黄 / 绿 <span class=\"en\">lights</span></th>"
                      "<th class=\"num\">指标 <span class=\"en\">indicators</span></th>"
                      "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < s->n_units; i++) {
            const Planwatch__V1__UnitTimeliness *u = s->units[i];
            pw_doc_raw(d, "<tr><td>");
            pw_doc_text(d, u->name[0] ? u->name : u->unit);
            pw_doc_raw(d, " <span class=\"en\">");
            pw_doc_text(d, u->unit);
            pw_doc_raw(d, "</span></td><td>");
            pw_doc_text(d, pw_label_category(u->category));
            pw_doc_raw(d, "</td><td>");
            html_status_badge(d, u);
            pw_doc_raw(d, "</td><td class=\"nowrap\">");
            const char *rec = pw_fmt_time_short(u->received_at, b, sizeof b);
            pw_doc_text(d, rec ? rec : "—");
            pw_doc_raw(d, "</td><td>");
            pw_doc_text(d, u->review_state[0] ? dispatch_review_label(u->review_state) : "—");
            pw_doc_raw(d, "</td><td>");
            html_light_counts(d, u);
            pw_doc_rawf(d, "</td><td class=\"num\">%d</td></tr>\n", u->indicators);
        }
        pw_doc_raw(d, "</tbody>\n</table>\n");
    }
    if (s->n_rates) {
        pw_doc_raw(d, "<h3>分类报送率 <span class=\"en\">Rates per category</span></h3>\n"
                      "<table>\n<thead><tr><th>类别 <span class=\"en\">category</span></th>"
                      "<th class=\"num\">应报 <span class=\"en\">expected</span></th>"
                      "<th class=\"num\">已报 <span class=\"en\">received</span></th>"
                      "<th class=\"num\">按时 <span class=\"en\">on time</span></th>"
                      "<th>完整率 <span class=\"en\">completeness</span></th>"
                      "<th>及时率 <span class=\"en\">timeliness</span></th>"
                      "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < s->n_rates; i++) {
            const Planwatch__V1__CategoryRate *r = s->rates[i];
            pw_doc_raw(d, "<tr><td>");
            pw_doc_text(d, pw_label_category(r->category));
            pw_doc_rawf(d,
                        "</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                        "<td class=\"num\">%d</td>",
                        r->expected, r->received, r->on_time);
            const double rates[2] = {r->completeness, r->timeliness};
            for (int k = 0; k < 2; k++) {
                double v = isfinite(rates[k]) ? fmin(fmax(rates[k], 0), 1) : 0;
                pw_doc_rawf(d,
                            "<td><span class=\"lights\"><svg width=\"120\" height=\"12\" "
                            "viewBox=\"0 0 120 12\"><rect width=\"120\" height=\"12\" rx=\"2\" "
                            "fill=\"#e4e7eb\"/><rect width=\"%.1f\" height=\"12\" rx=\"2\" "
                            "fill=\"#3a78c3\"/></svg>%s</span></td>",
                            120 * v, pw_fmt_pct(rates[k], pct, sizeof pct));
            }
            pw_doc_raw(d, "</tr>\n");
        }
        pw_doc_raw(d, "</tbody>\n</table>\n");
    }
    pw_doc_raw(d, "</section>\n");
}

static void html_legend_lights(pw_doc *d)
{
    pw_doc_raw(d, "<div class=\"legend\">"
                  "<span><i class=\"sw\" style=\"background:#2e9d4f\"></i>绿灯 按进度 "
                  "<span class=\"en\">on schedule</span></span>"
                  "<span><i class=\"sw\" style=\"background:#e0a800\"></i>黄灯 稍慢 "
                  "<span class=\"en\">slightly behind</span></span>"
                  "<span><i class=\"sw\" style=\"background:#d64545\"></i>红灯 滞后 "
                  "<span class=\"en\">lagging</span></span>");
}

static void html_indicators(pw_doc *d, const pw_summary *s)
{
    char pct[16], tg[PW_NUM_BUFSIZE], ac[PW_NUM_BUFSIZE];
    pw_doc_raw(d, "<section>\n<h2>二、指标进度 <span class=\"en\">Plan-wide indicators</span>"
                  "</h2>\n");
    if (!s->n_indicators) {
        pw_doc_raw(d, "<p class=\"muted\">无指标 no indicators</p>\n</section>\n");
        return;
    }
    html_legend_lights(d);
    pw_doc_rawf(d,
                "<span><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\"><line x1=\"7\" "
                "y1=\"0\" x2=\"7\" y2=\"14\" stroke=\"#1f2933\" stroke-width=\"2\"/></svg> "
                "时间进度 <span class=\"en\">time elapsed</span> t = %s</span></div>\n",
                pw_fmt_pct(s->time_elapsed, pct, sizeof pct));
    pw_doc_raw(d, "<table>\n<thead><tr><th>编号 <span class=\"en\">id</span></th>"
                  "<th>指标 <span class=\"en\">indicator</span></th>"
                  "<th class=\"num\">目标 <span class=\"en\">target</span></th>"
                  "<th class=\"num\">实际 <span class=\"en\">actual</span></th>"
                  "<th>进度 <span class=\"en\">progress</span></th>"
                  "<th class=\"num\"></th>"
                  "<th>灯 <span class=\"en\">light</span></th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        pw_doc_raw(d, "<tr><td class=\"nowrap\">");
        pw_doc_text(d, p->indicator);
        pw_doc_raw(d, "</td><td>");
        if (p->level1[0] || p->level2[0]) {
            pw_doc_raw(d, "<span class=\"ind-path\">");
            pw_doc_text(d, p->level1);
            if (p->level1[0] && p->level2[0])
                pw_doc_raw(d, " › ");
            pw_doc_text(d, p->level2);
            pw_doc_raw(d, "</span>");
        }
        pw_doc_text(d, p->name);
        pw_doc_raw(d, "</td><td class=\"num\">");
        pw_doc_text(d, dispatch_target_text(p->kind, p->target, 1, tg, sizeof tg));
        if (p->uom[0] && strcmp(p->uom, "none") != 0) {
            pw_doc_raw(d, " <span class=\"en\">");
            pw_doc_text(d, p->uom);
            pw_doc_raw(d, "</span>");
        }
        pw_doc_raw(d, "</td><td class=\"num\">");
        pw_doc_text(d, dispatch_actual_text(p->kind, p->has_actual, p->actual, p->progress, 1, ac,
                                            sizeof ac));
        pw_doc_raw(d, "</td><td>");
        html_progress_bar(d, p->progress, s->time_elapsed, pw_color_light(p->light));
        pw_doc_raw(d, "</td><td class=\"num\">");
        pw_doc_text(d, pw_fmt_pct(p->progress, pct, sizeof pct));
        pw_doc_raw(d, "</td><td>");
        html_light_badge(d, p->light);
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n");
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
        pw_doc_raw(d,
                   " 尚未报送，未计入合计 <span class=\"en\">left out: no value yet</span></p>\n");
    }
    pw_doc_raw(d, "</section>\n");
}

/* The grid: rows = units (summary order, then any others seen in cells),
 * columns = indicators (summary order, then others). */
static void html_grid(pw_doc *d, const pw_summary *s, const dispatch_names *nm)
{
    pw_doc_raw(d, "<section class=\"page-break\">\n<h2>三、红黄绿灯 <span class=\"en\">Lights: "
                  "units × indicators</span></h2>\n");
    if (!s->n_cells) {
        pw_doc_raw(d, "<p class=\"muted\">无数据 no cells</p>\n</section>\n");
        return;
    }
    size_t n = s->n_cells;
    const char **rows = calloc(s->n_units + n + 1, sizeof *rows);
    const char **cols = calloc(s->n_indicators + n + 1, sizeof *cols);
    if (!rows || !cols)
        abort();
    size_t nr = 0, nc = 0;
    /* which units / indicators have cells */
    const char **ck = calloc(n + 1, sizeof *ck);
    if (!ck)
        abort();
    for (size_t i = 0; i < n; i++)
        ck[i] = s->cells[i]->unit;
    dispatch_index cu;
    dispatch_index_build(&cu, ck, n);
    for (size_t i = 0; i < n; i++)
        ck[i] = s->cells[i]->indicator;
    dispatch_index ci;
    dispatch_index_build(&ci, ck, n);
    for (size_t i = 0; i < s->n_units; i++)
        if (dispatch_index_find(&cu, s->units[i]->unit) != (size_t)-1)
            rows[nr++] = s->units[i]->unit;
    for (size_t i = 0; i < s->n_indicators; i++)
        if (dispatch_index_find(&ci, s->indicators[i]->indicator) != (size_t)-1)
            cols[nc++] = s->indicators[i]->indicator;
    /* cells whose unit / indicator is not listed: append in first-seen order */
    for (size_t i = 0; i < n; i++) {
        const Planwatch__V1__LightCell *c = s->cells[i];
        if (dispatch_index_find(&nm->units, c->unit) == (size_t)-1 &&
            dispatch_index_find(&cu, c->unit) == i)
            rows[nr++] = c->unit;
        if (dispatch_index_find(&nm->indicators, c->indicator) == (size_t)-1 &&
            dispatch_index_find(&ci, c->indicator) == i)
            cols[nc++] = c->indicator;
    }
    free(cu.keys);
    free(ci.keys);
    dispatch_index rix, cix;
    dispatch_index_build(&rix, rows, nr);
    dispatch_index_build(&cix, cols, nc);
    const Planwatch__V1__LightCell **m = calloc(nr * nc + 1, sizeof *m);
    if (!m)
        abort();
    for (size_t i = 0; i < n; i++) {
        size_t r = dispatch_index_find(&rix, s->cells[i]->unit);
        size_t c = dispatch_index_find(&cix, s->cells[i]->indicator);
        if (r != (size_t)-1 && c != (size_t)-1)
            m[r * nc + c] = s->cells[i];
    }
    html_legend_lights(d);
    pw_doc_raw(d, "<span><i class=\"sw\" style=\"background:#e4e7eb\"></i>无数据 "
                  "<span class=\"en\">no report</span></span>"
                  "<span>格内数字为进度 % <span class=\"en\">numbers: progress %</span></span>"
                  "</div>\n");
    /* with many columns the numbers do not fit on paper: print colours only */
    pw_doc_rawf(d,
                "<div class=\"grid-wrap\"><table class=\"grid%s\">\n<thead><tr>"
                "<th class=\"gu\"></th>",
                nc > 24 ? " many" : "");
    for (size_t c = 0; c < nc; c++) {
        const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, cols[c]);
        pw_doc_raw(d, "<th class=\"gi\" title=\"");
        pw_doc_text(d, p ? p->name : cols[c]);
        pw_doc_raw(d, "\"><span>");
        pw_doc_text(d, cols[c]);
        pw_doc_raw(d, "</span></th>");
    }
    pw_doc_raw(d, "</tr></thead>\n<tbody>\n");
    char pct[16], ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE];
    for (size_t r = 0; r < nr; r++) {
        const char *uname = dispatch_unit_name(nm, s, rows[r]);
        pw_doc_raw(d, "<tr><th class=\"gu\">");
        pw_doc_text(d, uname);
        pw_doc_raw(d, "</th>");
        for (size_t c = 0; c < nc; c++) {
            const Planwatch__V1__LightCell *cell = m[r * nc + c];
            if (!cell) {
                pw_doc_raw(d, "<td></td>");
                continue;
            }
            const char *light = cell->light;
            const char *cls = strcmp(light, "green") == 0    ? "c-green"
                              : strcmp(light, "yellow") == 0 ? "c-yellow"
                              : strcmp(light, "red") == 0    ? "c-red"
                                                             : "c-none";
            const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, cols[c]);
            /* a responsible unit reports a state where the indicator has a number */
            const char *ckind = cell->kind[0] ? cell->kind : p ? p->kind : NULL;
            pw_doc_rawf(d, "<td class=\"c %s\" title=\"", cls);
            pw_doc_textf(d, "%s · %s %s: %s %s (%s / %s)", uname, cols[c], p ? p->name : "",
                         pw_label_light(light), pw_fmt_pct(cell->progress, pct, sizeof pct),
                         dispatch_actual_text(ckind, cell->has_actual, cell->actual, cell->progress,
                                              1, ac, sizeof ac),
                         dispatch_target_text(ckind, cell->target, 1, tg, sizeof tg));
            pw_doc_raw(d, "\">");
            if (strcmp(cls, "c-none") == 0)
                pw_doc_raw(d, "–");
            else if (isfinite(cell->progress))
                pw_doc_rawf(d, "%.0f", fmin(fmax(cell->progress, 0), 1) * 100);
            pw_doc_raw(d, "</td>");
        }
        pw_doc_raw(d, "</tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table></div>\n</section>\n");
    free(m);
    free(rix.keys);
    free(cix.keys);
    free(ck);
    free(rows);
    free(cols);
}

static void html_red_items(pw_doc *d, const pw_summary *s, const dispatch_names *nm)
{
    char pct[16], ac[PW_NUM_BUFSIZE], tg[PW_NUM_BUFSIZE];
    pw_doc_rawf(d, "<section>\n<h2>四、红灯事项 <span class=\"en\">Red items (%zu)</span></h2>\n",
                s->n_red_items);
    if (!s->n_red_items) {
        pw_doc_raw(d, "<p class=\"muted\">无 none</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<table>\n<thead><tr><th>单位 <span class=\"en\">unit</span></th>"
                  "<th>指标 <span class=\"en\">indicator</span></th>"
                  "<th class=\"num\">进度 <span class=\"en\">progress</span></th>"
                  "<th class=\"num\">实际 / 目标 <span class=\"en\">actual / target</span></th>"
                  "<th>存在问题（单位填报） <span class=\"en\">problems, in the unit's "
                  "words</span></th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->n_red_items; i++) {
        const Planwatch__V1__RedItem *r = s->red_items[i];
        pw_doc_raw(d, "<tr><td class=\"nowrap\">");
        pw_doc_text(d, r->unit_name[0] ? r->unit_name : r->unit);
        pw_doc_raw(d, "</td><td>");
        pw_doc_text(d, r->indicator);
        pw_doc_raw(d, " ");
        pw_doc_text(d, r->indicator_name);
        pw_doc_raw(d, "</td><td class=\"num\">");
        pw_doc_text(d, pw_fmt_pct(r->progress, pct, sizeof pct));
        pw_doc_raw(d, "</td><td class=\"num\">");
        const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, r->indicator);
        const char *kind = p ? p->kind : NULL;
        pw_doc_text(
            d, dispatch_actual_text(kind, r->has_actual, r->actual, r->progress, 1, ac, sizeof ac));
        pw_doc_raw(d, " / ");
        pw_doc_text(d, dispatch_target_text(kind, r->target, 1, tg, sizeof tg));
        pw_doc_raw(d, "</td><td class=\"problems pre\">");
        if (r->problems[0])
            pw_doc_text(d, r->problems);
        else
            pw_doc_raw(d, "<span class=\"muted\">（未填写 not given）</span>");
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n</section>\n");
}

static void html_supervision(pw_doc *d, const pw_summary *s)
{
    size_t overdue = 0;
    const Planwatch__V1__SupervisionItem **items = dispatch_supervision_order(s, &overdue);
    pw_doc_rawf(d,
                "<section>\n<h2>五、督办事项 <span class=\"en\">Open supervision items "
                "(%zu, %zu overdue)</span></h2>\n",
                s->n_supervision, overdue);
    if (!s->n_supervision) {
        pw_doc_raw(d, "<p class=\"muted\">无 none</p>\n</section>\n");
        free(items);
        return;
    }
    pw_doc_raw(d, "<table>\n<thead><tr><th class=\"num\">编号 <span class=\"en\">id</span></th>"
                  "<th>单位 <span class=\"en\">unit</span></th>"
                  "<th>督办内容 <span class=\"en\">item</span></th>"
                  "<th>整改期限 <span class=\"en\">deadline</span></th>"
                  "<th>状态 <span class=\"en\">state</span></th>"
                  "<th>最新答复 <span class=\"en\">latest answer</span></th>"
                  "</tr></thead>\n<tbody>\n");
    char b[PW_TIME_BUFSIZE];
    for (size_t i = 0; i < s->n_supervision; i++) {
        const Planwatch__V1__SupervisionItem *it = items[i];
        pw_doc_rawf(d, "<tr><td class=\"num\">%lld</td><td class=\"nowrap\">", (long long)it->id);
        pw_doc_text(d, it->unit_name[0] ? it->unit_name : it->unit);
        pw_doc_raw(d, "</td><td class=\"pre\">");
        pw_doc_text(d, it->text);
        pw_doc_raw(d, "</td><td class=\"nowrap\">");
        pw_doc_text(d, it->deadline);
        pw_doc_raw(d, "</td><td>");
        if (it->overdue)
            pw_doc_raw(d, "<span class=\"badge b-red\">超期 overdue</span> ");
        pw_doc_text(d, dispatch_state_label(it->state));
        pw_doc_raw(d, "</td><td class=\"pre\">");
        if (it->n_answers) {
            const Planwatch__V1__SupervisionAnswer *a = it->answers[it->n_answers - 1];
            pw_doc_text(d, a->text);
            pw_doc_raw(d, "<br><span class=\"muted\">");
            const char *at = pw_fmt_time_short(a->at, b, sizeof b);
            pw_doc_text(d, a->user);
            if (at) {
                pw_doc_raw(d, " · ");
                pw_doc_text(d, at);
            }
            pw_doc_raw(d, "</span>");
        } else {
            pw_doc_raw(d, "<span class=\"muted\">—</span>");
        }
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n</section>\n");
    free(items);
}

static void html_flags(pw_doc *d, const pw_summary *s, const dispatch_names *nm)
{
    pw_doc_rawf(d,
                "<section>\n<h2>六、数据质量提示 <span class=\"en\">Data-quality flags "
                "(%zu)</span></h2>\n",
                s->n_flags);
    if (!s->n_flags) {
        pw_doc_raw(d, "<p class=\"muted\">无 none</p>\n</section>\n");
        return;
    }
    pw_doc_raw(d, "<p class=\"muted\">供核实的线索，不是结论。 <span class=\"en\">Leads to check, "
                  "not findings.</span></p>\n"
                  "<table>\n<thead><tr><th>单位 <span class=\"en\">unit</span></th>"
                  "<th>指标 <span class=\"en\">indicator</span></th>"
                  "<th>类型 <span class=\"en\">kind</span></th>"
                  "<th>月份 <span class=\"en\">months</span></th>"
                  "<th>数值 <span class=\"en\">values</span></th>"
                  "<th>说明 <span class=\"en\">message</span></th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->n_flags; i++) {
        const Planwatch__V1__QualityFlag *q = s->flags[i];
        const Planwatch__V1__IndicatorProgress *p = dispatch_indicator(nm, s, q->indicator);
        /* short cells do not wrap, so that a narrow column never breaks a
         * unit name or a month apart; the message takes the rest */
        pw_doc_raw(d, "<tr><td class=\"nowrap\">");
        pw_doc_text(d, dispatch_unit_name(nm, s, q->unit));
        pw_doc_raw(d, "</td><td>");
        pw_doc_text(d, q->indicator);
        if (p) {
            pw_doc_raw(d, " ");
            pw_doc_text(d, p->name);
        }
        pw_doc_raw(d, "</td><td class=\"nowrap\">");
        pw_doc_text(d, dispatch_flag_label(q->kind));
        pw_doc_raw(d, "</td><td class=\"nowrap\">");
        pw_doc_text(d, q->months);
        pw_doc_raw(d, "</td><td class=\"nowrap\">");
        pw_doc_text(d, q->values);
        pw_doc_raw(d, "</td><td>");
        pw_doc_text(d, q->message);
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody>\n</table>\n</section>\n");
}

int pw_render_dispatch_html(const pw_summary *s, pw_strbuf *out)
{
    pw_doc d = {out, 0};
    dispatch_names nm;
    dispatch_names_init(&nm, s);
    char title[1024], b[PW_TIME_BUFSIZE], pct[16];
    snprintf(title, sizeof title, "调度通报 %s %s", dispatch_title_name(s), s->period);
    pw_doc_begin(&d, title, dispatch_css);

    pw_doc_raw(&d, "<header>\n<h1>");
    pw_doc_text(&d, dispatch_title_name(s));
    pw_doc_raw(&d, " 调度通报 <span class=\"en\">Dispatch summary</span></h1>\n<p class=\"meta\">");
    pw_doc_text(&d, s->period);
    if (s->plan[0]) {
        pw_doc_raw(&d, " · 计划 <span class=\"en\">plan</span> ");
        pw_doc_text(&d, s->plan);
    }
    pw_doc_raw(&d, " · 时间进度 <span class=\"en\">time elapsed</span> t = ");
    pw_doc_text(&d, pw_fmt_pct(s->time_elapsed, pct, sizeof pct));
    const char *dl = pw_fmt_time_short(s->deadline, b, sizeof b);
    if (dl) {
        pw_doc_raw(&d, " · 报送截止 <span class=\"en\">deadline</span> ");
        pw_doc_text(&d, dl);
    }
    if (s->extended_to[0]) {
        pw_doc_raw(&d, "（顺延 <span class=\"en\">extended</span>：");
        pw_doc_text(&d, s->extension_reason);
        pw_doc_raw(&d, "）");
    }
    pw_doc_raw(&d, " · ");
    const char *pub = pw_fmt_time_short(s->published_at, b, sizeof b);
    if (s->published) {
        pw_doc_raw(&d, "已发布 <span class=\"en\">published</span> ");
        pw_doc_text(&d, pub ? pub : "");
    } else {
        pw_doc_raw(&d, "未发布 <span class=\"en\">not published</span>");
    }
    pw_doc_raw(&d, "</p>\n");
    pw_record_view rv = RECORD_VIEW(s);
    pw_render_record_html(&rv, &d);
    size_t overdue = 0;
    for (size_t i = 0; i < s->n_supervision; i++)
        overdue += s->supervision[i]->overdue != 0;
    html_cards(&d, s, overdue);
    pw_doc_raw(&d, "</header>\n");

    html_timeliness(&d, s);
    html_indicators(&d, s);
    html_grid(&d, s, &nm);
    html_red_items(&d, s, &nm);
    html_supervision(&d, s);
    html_flags(&d, s, &nm);
    pw_doc_end(&d, pw_fmt_time_short(s->generated_at, b, sizeof b));
    dispatch_names_fini(&nm);
    return d.failed ? -1 : 0;
}
