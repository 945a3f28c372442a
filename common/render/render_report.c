/*
 * render_report.c - see render_report.h.  Moved here from the CLI so that
 * the CLI's --json and the board's API are one function.
 */
#include "common/render/render_report.h"

#include "common/render/render_format.h"

json_t *pw_render_report_status_json(const Planwatch__V1__StatusResponse *s)
{
    json_t *units = json_array(), *rates = json_array();
    for (size_t i = 0; i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *u = s->units[i];
        json_t *ju =
            json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:s?, s:s?, s:s?}", "unit", u->unit, "name",
                      u->name, "category", u->category, "status", u->status, "days_late",
                      u->days_late, "received_at", pw_json_time(u->received_at), "review_state",
                      u->review_state[0] ? u->review_state : NULL, "extended_to",
                      u->extended_to[0] ? u->extended_to : NULL, "extension_reason",
                      u->extension_reason[0] ? u->extension_reason : NULL);
        json_array_append_new(units, ju);
    }
    for (size_t i = 0; i < s->n_rates; i++) {
        const Planwatch__V1__CategoryRate *r = s->rates[i];
        json_array_append_new(rates, json_pack("{s:s, s:i, s:i, s:i, s:f, s:f}", "category",
                                               r->category, "expected", r->expected, "received",
                                               r->received, "on_time", r->on_time, "completeness",
                                               r->completeness, "timeliness", r->timeliness));
    }
    return json_pack("{s:s, s:o, s:s?, s:s?, s:o, s:o}", "period", s->period, "deadline",
                     pw_json_time(s->deadline), "extended_to",
                     s->extended_to[0] ? s->extended_to : NULL, "extension_reason",
                     s->extension_reason[0] ? s->extension_reason : NULL, "units", units, "rates",
                     rates);
}
