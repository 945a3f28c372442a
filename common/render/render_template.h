/*
 * render_template.h - the monthly report template (SPEC 4.3), as CSV and as
 * an XLSX workbook.  What report_file.h reads back.
 *
 * CSV: a UTF-8 BOM, then 指标编号,指标名称,计量单位,目标,本月值,说明 and one row
 * per indicator (last month's value in the name, the states in the note of a
 * milestone); free text (names, units) starting with = + - @ gets a leading
 * apostrophe, so that a spreadsheet never runs it as a formula.
 *
 * XLSX (libxlsxwriter), one sheet "月报":
 *   row 1  title: unit, name, period and deadline;  row 2  how to fill it in;
 *   row 3  指标编号 指标名称 计量单位 目标 上月值 本月值 说明;  rows 4..  one per
 *   indicator.  Only 本月值 (F) and 说明 (G) are unlocked; the sheet is
 *   protected without a password (a clerk cannot overwrite ids or targets by
 *   mistake, yet anyone can unprotect it).  Data validation on F: a decimal
 *   for numeric rows, 0-100 for %, the list 未启动/推进中/已完成 for milestones;
 *   cumulative rows carry an input message (累计: the year-to-date total).
 *   A4 landscape, one page wide, header rows repeated.  Strings are written as
 *   strings, never as formulas.
 */
#ifndef PW_RENDER_TEMPLATE_H
#define PW_RENDER_TEMPLATE_H

#include "common/strbuf.h"
#include "planwatch/v1/report.pb-c.h"

/* The CSV template appended to out.  0, or -1 when out of memory. */
int pw_render_template_csv(const Planwatch__V1__TemplateResponse *t, pw_strbuf *out);

/*
 * Write the workbook to `path` (through "<path>.tmp", renamed at the end).
 * 0, or -1 with "cannot write <path>: <reason>" in err.
 */
int pw_render_template_xlsx(const Planwatch__V1__TemplateResponse *t, const char *path, char *err,
                            size_t errlen);

#endif
