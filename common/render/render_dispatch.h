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
 *             review_state, red, yellow, green, indicators, data_month}],
 *    rates: [{category, expected, received, on_time, completeness, timeliness}],
 *    indicators: [{indicator, level1, level2, name, uom, kind, direction,
 *                  target, actual, state, actual_source, progress, light}],
 *    cells: [{unit, indicator, kind, light, progress, actual, state, target,
 *             data_month}],
 *    red_items: [{unit, unit_name, indicator, indicator_name, kind, uom,
 *                 progress, actual, state, target, data_month, problems}],
 *    supervision: [{id, unit, unit_name, text, deadline, state, overdue,
 *                   opened_by, opened_at, closed_by, closed_at, close_note,
 *                   answers: [{user, at, text}]}],
 *    flags: [{unit, indicator, kind, months, values, message, unit_name,
 *             indicator_name}],
 *    catalog: [{indicator, level1, level2, name, uom, kind, direction,
 *               has_plan_target}]}   (plan order)
 * A milestone's `actual` is null and its `state` not_started | in_progress |
 * done (never the number 0); other kinds have state null.  data_month: the
 * month of the report the figures come from (null: none).
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
 *                red, yellow, green, indicators, data_month
 *   rates        category, expected, received, on_time, completeness_pct, timeliness_pct
 *   indicators   indicator, level1, level2, name, uom, kind, direction, target, actual,
 *                state, actual_source, progress_pct, light
 *   red_items    unit, unit_name, indicator, indicator_name, kind, progress_pct, actual,
 *                state, target, uom, data_month, problems
 *   supervision  id, unit, unit_name, text, deadline, state, overdue
 *   flags        unit, unit_name, indicator, indicator_name, kind, months, values, message
 * A milestone has an empty actual (and target, in red_items) and its state.
 * Numbers are plain (no thousands separators), percentages have one decimal,
 * times are ISO 8601 at +08:00 or empty; every field a spreadsheet would
 * run as a formula (= + - @ first, after any spaces) gets a leading
 * apostrophe (PW_CSV_WRITE_SPREADSHEET in common/csv.h), numbers excepted.  The grid of
 * lights is in the JSON and the HTML page.  Returns 0, or -1 when out of memory.
 */
int pw_render_dispatch_csv(const Planwatch__V1__DispatchSummary *s, pw_strbuf *out);

/*
 * One self-contained, printable HTML page appended to `out` (inline CSS and
 * SVG, no scripts, no network), the bulletin a leader reads in ten seconds
 * (SPEC 3.4): the title names the plan and period; a paragraph of Chinese
 * prose says who is behind (missing units with the month of their figures,
 * late units with days, returned reports, the units with most red items,
 * overdue supervision items); key figures with the two red counts explained;
 * 一 units by category, furthest behind first, with lights per level-1 group;
 * 二 red items grouped by unit, the problem text once; 三 plan-wide lights
 * per level-1 group; 四 supervision items (overdue first, latest answer);
 * 五 data-quality flags; 附件 the unit x indicator detail per group in plan
 * order.  Fits 360-412 px screens without sideways scrolling (wide tables
 * become labelled blocks) and prints to A4.  All message text is escaped.
 * Returns 0, or -1 when out of memory.
 */
int pw_render_dispatch_html(const Planwatch__V1__DispatchSummary *s, pw_strbuf *out);

/*
 * An XLSX workbook at `path` (written to "<path>.tmp", then renamed) for
 * the clerk who forwards the bulletin: sheets "报送情况", "红灯事项",
 * "指标进度", "督办事项", "数据质量" (each "<name> <period>"), in the
 * order of the HTML page (units by category and how far behind, red items
 * grouped by unit with the problem text once, indicators in plan order).
 * Every sheet: a title row with the plan name and the period, a line with
 * the publication time, Chinese headers (frozen, repeated on every printed
 * page), progress as percentages, milestone states as words; A4 landscape
 * fitted to one page wide, page numbers in the footer.
 * 0, or -1 with "cannot write <path>: <reason>" in err.
 */
int pw_render_dispatch_xlsx(const Planwatch__V1__DispatchSummary *s, const char *path, char *err,
                            size_t errlen);

#endif
