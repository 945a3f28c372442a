/*
 * report_csv.h - the monthly report as a CSV file (SPEC 4.3): the columns
 * `report template` writes and `report submit` / the board's upload read.
 * One reader for both fronts, so a file accepted by the CLI is accepted by
 * the board and refused with the same message.
 */
#ifndef PW_COMMON_REPORT_CSV_H
#define PW_COMMON_REPORT_CSV_H

#include <stddef.h>

#include "common/arena.h"
#include "planwatch/v1/report.pb-c.h"

#define PW_REPORT_CSV_COLUMNS 6
/* indicator_id, indicator, unit_of_measure, target, value, note */
extern const char *const pw_report_csv_header[PW_REPORT_CSV_COLUMNS];

/* Read a filled template with the one reader of report files
 * (common/report_file.h: Chinese or English headers, UTF-8, GB18030,
 * UTF-16, XLSX); blank lines and rows
 * without a value are skipped; every other row gives one ReportValue
 * (indicator, value, note), allocated in `a`; when `lines` is not NULL,
 * (*lines)[i] is the file line of value i (for messages by row and cell).
 * 0 with *values / *n set, or -1 with `err` naming the line (and column)
 * and nothing set. */
int pw_report_csv_read(const char *buf, size_t len, pw_arena *a,
                       Planwatch__V1__ReportValue ***values, size_t *n, size_t **lines, char *err,
                       size_t errlen);
/* The spreadsheet letter of the value column ("E"). */
#define PW_REPORT_CSV_VALUE_COLUMN "E"

#endif
