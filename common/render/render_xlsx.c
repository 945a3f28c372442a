#include "common/render/render_xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *pw_render_xlsx_tmp(const char *path, char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (!tmp) {
        snprintf(err, errlen, "cannot write %s: out of memory", path);
        return NULL;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    FILE *probe = fopen(tmp, "wb");
    if (!probe) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return NULL;
    }
    fclose(probe);
    return tmp;
}

int pw_render_xlsx_finish(lxw_workbook *wb, char *tmp, const char *path, char *err, size_t errlen)
{
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "cannot write %s: %s", path, lxw_strerror(e));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

void pw_render_xlsx_page_setup(lxw_worksheet *ws, lxw_row_t header_row, double side, double ends)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, header_row, header_row);
    worksheet_set_margins(ws, side, side, ends, ends);
    worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
}
