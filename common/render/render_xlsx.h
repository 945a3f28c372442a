/*
 * render_xlsx.h - writing a workbook through a temporary file, shared by the
 * XLSX renderers that drive libxlsxwriter themselves (dispatch summary,
 * report template): the workbook is written at PATH.tmp and renamed onto
 * PATH only when it is complete, so a failed write leaves PATH as it was.
 */
#ifndef PW_CLIENT_RENDER_XLSX_H
#define PW_CLIENT_RENDER_XLSX_H

#include <stddef.h>
#include <xlsxwriter.h>

/* The temporary name PATH.tmp (malloc'd), checked to be writable now
 * (libxlsxwriter would only fail at the end); NULL with err set ("cannot
 * write PATH: ...") when it is not. */
char *pw_render_xlsx_tmp(const char *path, char *err, size_t errlen);

/* Close `wb` (written at `tmp`) and rename tmp onto `path`; frees tmp.  0, or
 * -1 with err set ("cannot write PATH: ...") and tmp removed. */
int pw_render_xlsx_finish(lxw_workbook *wb, char *tmp, const char *path, char *err, size_t errlen);

/* Print set-up of a table sheet: A4 landscape, as wide as one page, row
 * `header_row` repeated on every page, left/right margins `side` and
 * top/bottom `ends` (inches), the page number in the footer. */
void pw_render_xlsx_page_setup(lxw_worksheet *ws, lxw_row_t header_row, double side, double ends);

#endif
