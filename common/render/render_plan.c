/*
 * render_plan.c - see render_plan.h.  Moved here from the CLI so that the
 * CLI's --json and the board's /api/v1/plan are one function.
 */
#include "common/render/render_plan.h"

#include "common/render/render_format.h"

json_t *pw_render_plan_num_json(double v)
{
    if (v == (double)(json_int_t)v && v > -1e15 && v < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

json_t *pw_render_plan_info_json(const Planwatch__V1__PlanInfo *p)
{
    char at[48];
    pw_fmt_use_tz(1, p->tz_offset_min);
    const char *imported = pw_fmt_time(p->imported_at, at, sizeof at);
    return json_pack("{s:s, s:s, s:i, s:i, s:s, s:i, s:i, s:s}", "id", p->id, "name", p->name,
                     "tz_offset_min", p->tz_offset_min, "due_day", p->due_day, "cadence",
                     p->cadence, "first_year", p->first_year, "last_year", p->last_year,
                     "imported_at", imported ? imported : "-");
}

json_t *pw_render_plan_strings(char **s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(s[i]));
    return a;
}

json_t *pw_render_plan_indicator_json(const Planwatch__V1__Indicator *m, int with_targets)
{
    json_t *o =
        json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "id", m->id, "seq", m->seq, "level1",
                  m->level1, "level2", m->level2, "level3", m->level3, "unit_of_measure",
                  m->unit_of_measure, "kind", m->kind, "direction", m->direction);
    json_object_set_new(o, "lead_units", pw_render_plan_strings(m->lead_units, m->n_lead_units));
    json_object_set_new(o, "coop_units", pw_render_plan_strings(m->coop_units, m->n_coop_units));
    json_object_set_new(o, "resp_units", pw_render_plan_strings(m->resp_units, m->n_resp_units));
    json_object_set_new(o, "aggregate", json_string(m->aggregate));
    if (!with_targets)
        return o;
    json_t *ts = json_array();
    for (size_t k = 0; k < m->n_targets; k++) {
        const Planwatch__V1__Target *t = m->targets[k];
        json_t *to = json_pack("{s:i}", "year", t->year);
        json_object_set_new(to, "unit", t->unit[0] ? json_string(t->unit) : json_null());
        json_object_set_new(to, "unit_name", t->unit[0] ? json_string(t->unit_name) : json_null());
        json_object_set_new(to, "value", pw_render_plan_num_json(t->value));
        json_object_set_new(to, "baseline",
                            t->has_baseline ? pw_render_plan_num_json(t->baseline) : json_null());
        json_object_set_new(to, "tolerance",
                            t->has_tolerance ? pw_render_plan_num_json(t->tolerance) : json_null());
        json_object_set_new(to, "due", t->due[0] ? json_string(t->due) : json_null());
        json_array_append_new(ts, to);
    }
    json_object_set_new(o, "targets", ts);
    return o;
}

json_t *pw_render_plan_show_json(const Planwatch__V1__ShowPlanResponse *r, int year)
{
    json_t *inds = json_array();
    for (size_t i = 0; i < r->n_indicators; i++)
        json_array_append_new(inds, pw_render_plan_indicator_json(r->indicators[i], 1));
    json_t *o = json_pack("{s:o}", "plan", pw_render_plan_info_json(r->plan));
    json_object_set_new(o, "year", year ? json_integer(year) : json_null());
    json_object_set_new(o, "unit", r->unit[0] ? json_string(r->unit) : json_null());
    json_object_set_new(o, "as_of", r->as_of[0] ? json_string(r->as_of) : json_null());
    json_object_set_new(o, "revision", json_integer(r->revision));
    json_t *revs = json_array();
    for (size_t i = 0; i < r->n_revisions; i++) {
        const Planwatch__V1__PlanRevision *pv = r->revisions[i];
        json_t *rv =
            json_pack("{s:i, s:o, s:s, s:s, s:o, s:i, s:i}", "revision", pv->revision, "effective",
                      pv->effective[0] ? json_string(pv->effective) : json_null(), "reason",
                      pv->reason, "by_user", pv->by_user, "at", pw_json_time(pv->at), "indicators",
                      pv->indicators, "targets", pv->targets);
        json_array_append_new(revs, rv);
    }
    json_object_set_new(o, "revisions", revs);
    json_object_set_new(o, "indicators", inds);
    return o;
}
