/*
 * render_report.c - see render_report.h.  Moved here from the CLI so that
 * the CLI's --json and the board's API are one function.
 */
#include "common/render/render_report.h"

#include <stdio.h>
#include <string.h>

#include "common/csv.h"
#include "common/render/render_format.h"
#include "common/report_csv.h"

json_t *pw_render_report_status_json(const Planwatch__V1__StatusResponse *s)
{
    json_t *units = json_array(), *rates = json_array();
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        json_t *ju = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:s?}", "unit", u->unit, "name",
                               u->name, "category", u->category, "status", u->status, "days_late",
                               u->days_late, "received_at", pw_json_time(u->received_at),
                               "review_state", u->review_state[0] ? u->review_state : NULL);
        json_array_append_new(units, ju);
    }
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        json_array_append_new(rates, json_pack("{s:s, s:i, s:i, s:i, s:f, s:f}", "category",
                                               r->category, "expected", r->expected, "received",
                                               r->received, "on_time", r->on_time, "completeness",
                                               r->completeness, "timeliness", r->timeliness));
    }
    return json_pack("{s:s, s:o, s:o, s:o}", "period", s->period, "deadline",
                     pw_json_time(s->deadline), "units", units, "rates", rates);
}

int pw_render_report_template_csv(const Planwatch__V1__TemplateResponse *t, pw_strbuf *out)
{
    pw_csv_writer w;
    pw_csv_writer_init_strbuf(&w, out, PW_CSV_WRITE_BOM);
    pw_csv_write_record(&w, pw_report_csv_header, PW_REPORT_CSV_COLUMNS);
    for (size_t i = 0; i < t->n_rows; i++) {
        const Planwatch__V1__TemplateRow *r = t->rows[i];
        char target[40], name[600];
        pw_fmt_num(r->target, target, sizeof target);
        /* last month's value for reference, in the informational column */
        if (r->has_previous)
            snprintf(name, sizeof name, "%s (上月 %s)", r->name, r->previous);
        else
            snprintf(name, sizeof name, "%s", r->name);
        const char *kind_hint =
            strcmp(r->kind, "milestone") == 0 ? "not_started|in_progress|done" : "";
        const char *fields[] = {r->indicator, name, r->uom, target, "", kind_hint};
        pw_csv_write_record(&w, fields, PW_REPORT_CSV_COLUMNS);
    }
    return pw_csv_writer_failed(&w) ? -1 : 0;
}
