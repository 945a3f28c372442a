/*
 * render_report.h - monthly reports as JSON: the status list of a period
 * (`planwatch report status --json`, the board's /api/v1/reports/status).
 * Pure formatting; thread-safe.
 */
#ifndef PW_RENDER_REPORT_H
#define PW_RENDER_REPORT_H

#include <jansson.h>

#include "common/strbuf.h"
#include "planwatch/v1/report.pb-c.h"

/* {period, deadline, units: [{unit, name, category, status, days_late,
 * received_at, review_state?}], rates: [{category, expected, received,
 * on_time, completeness, timeliness}]}.  NULL only when out of memory. */
json_t *pw_render_report_status_json(const Planwatch__V1__StatusResponse *s);

#endif
