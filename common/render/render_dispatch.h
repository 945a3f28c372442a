/*
 * render_dispatch.h - everything a person sees of a dispatch summary
 * (调度通报, SPEC 3.4): a terminal report, JSON, CSV and one printable HTML
 * page.  The renderers only read the message; they never change it and never
 * take ownership of it.
 */
#ifndef PW_CLIENT_RENDER_DISPATCH_H
#define PW_CLIENT_RENDER_DISPATCH_H

#include <jansson.h>
#include <stdio.h>

#include "common/strbuf.h"
#include "planwatch/v1/dispatch.pb-c.h"

/*
 * The human report on `f`: a heading (plan, period, time elapsed, deadline,
 * publication), then aligned tables: timeliness per unit (on time / late
 * (N days) / missing, review state, red/yellow/green counts), rates per
 * category, plan-wide indicators (actual vs target, progress, light), red
 * items with the unit's problem text, open supervision items (overdue first),
 * data-quality flags.  Empty sections say so in one line.
 */
void pw_render_dispatch_text(const Planwatch__V1__DispatchSummary *s, FILE *f);

/*
 * The whole message as JSON with stable snake_case names:
 *   {plan, plan_name, period, time_elapsed, deadline, generated_at,
 *    published, published_at,
 *    units: [{unit, name, category, status, days_late, received_at,
 *             review_state, red, yellow, green, indicators}],
 *    rates: [{category, expected, received, on_time, completeness, timeliness}],
 *    indicators: [{indicator, level1, level2, name, uom, kind, direction,
 *                  target, actual, actual_source, progress, light}],
 *    cells: [{unit, indicator, light, progress, actual, target}],
 *    red_items: [{unit, unit_name, indicator, indicator_name, progress,
 *                 actual, target, problems}],
 *    supervision: [{id, unit, unit_name, text, deadline, state, overdue,
 *                   opened_by, opened_at, closed_by, closed_at, close_note,
 *                   answers: [{user, at, text}]}],
 *    flags: [{unit, indicator, kind, months, values, message}]}
 * Times are ISO 8601 at +08:00 or null; `actual` is null when there is none;
 * empty review_state / closed_by / close_note are null.  The caller owns the
 * returned value (json_decref); NULL only when out of memory.
 */
json_t *pw_render_dispatch_json(const Planwatch__V1__DispatchSummary *s);

/*
 * CSV for spreadsheet users, appended to `out`: UTF-8 with a BOM, RFC 4180
 * (CRLF).  One file in sections; each section is a title record (a key and
 * its Chinese name, e.g. `timeliness,报送情况`), a header record, the data
 * records and one empty line:
 *   summary      plan, plan_name, period, time_elapsed_pct, deadline, generated_at, published_at
 *   timeliness   unit, name, category, status, days_late, received_at, review_state,
 *                red, yellow, green, indicators
 *   rates        category, expected, received, on_time, completeness_pct, timeliness_pct
 *   indicators   indicator, level1, level2, name, uom, direction, target, actual,
 *                actual_source, progress_pct, light
 *   red_items    unit, unit_name, indicator, indicator_name, progress_pct, actual, target, problems
 *   supervision  id, unit, unit_name, text, deadline, state, overdue
 *   flags        unit, indicator, kind, months, values, message
 * Numbers are plain (no thousands separators), percentages have one decimal,
 * times are ISO 8601 at +08:00 or empty; every field a spreadsheet would
 * run as a formula (= + - @ first, after any spaces) gets a leading
 * apostrophe (PW_CSV_WRITE_SPREADSHEET in common/csv.h), numbers excepted.  The grid of
 * lights is in the JSON and the HTML page.  Returns 0, or -1 when out of memory.
 */
int pw_render_dispatch_csv(const Planwatch__V1__DispatchSummary *s, pw_strbuf *out);

/*
 * One self-contained, printable HTML page appended to `out` (inline CSS and
 * SVG, no scripts, no network): the title names the plan and period; summary
 * cards; the timeliness table with a red/yellow/green bar per unit and the
 * rates per category; progress bars of the plan-wide indicators with a marker
 * at the time elapsed t; a traffic-light grid of units x indicators with a
 * legend; the red items with the units' own problem text; open supervision
 * items (overdue first); data-quality flags.  All message text is escaped.
 * Returns 0, or -1 when out of memory.
 */
int pw_render_dispatch_html(const Planwatch__V1__DispatchSummary *s, pw_strbuf *out);

#endif
