/*
 * render_plan.h - a plan as JSON (`planwatch plan show --json`, the board's
 * /api/v1/plan): stable snake_case names.  Pure formatting; thread-safe.
 */
#ifndef PW_RENDER_PLAN_H
#define PW_RENDER_PLAN_H

#include <jansson.h>

#include "planwatch/v1/plan.pb-c.h"

/* A number as people write it: an integer when it is one, else a real. */
json_t *pw_render_plan_num_json(double v);
/* The plan's header: id, name, zone, due day, cadence, years, imported_at. */
json_t *pw_render_plan_info_json(const Planwatch__V1__PlanInfo *p);
/* A JSON array of the strings. */
json_t *pw_render_plan_strings(char **s, size_t n);
/* One indicator; its targets year by year when `with_targets`. */
json_t *pw_render_plan_indicator_json(const Planwatch__V1__Indicator *m, int with_targets);
/* The whole Show reply: {plan, year (the requested one, 0 -> null), unit,
 * indicators}.  NULL only when out of memory. */
json_t *pw_render_plan_show_json(const Planwatch__V1__ShowPlanResponse *r, int year);

#endif
