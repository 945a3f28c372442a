/*
 * report_csv.c - see report_csv.h.  Moved here from the CLI's `report
 * submit` so that the board reads uploads with the same code.
 */
#include "common/report_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/report_file.h"

const char *const pw_report_csv_header[PW_REPORT_CSV_COLUMNS] = {
    "indicator_id", "indicator", "unit_of_measure", "target", "value", "note"};

int pw_report_csv_read(const char *buf, size_t len, pw_arena *a,
                       Planwatch__V1__ReportValue ***values, size_t *n, size_t **lines, char *err,
                       size_t errlen)
{
    /* the one reader of report files (common/report_file.c): Chinese or
     * English headers, GB18030 and UTF-16 too, as `report submit` reads them
     * (this reader took only the English header, so the board refused the
     * Chinese template it hands out itself) */
    pw_report_file f;
    if (pw_report_file_read(buf, len, &f, err, errlen) != 0)
        return -1;
    size_t nv = f.nrows;
    Planwatch__V1__ReportValue **vals = pw_arena_alloc(a, sizeof *vals * (nv ? nv : 1));
    size_t *at = pw_arena_alloc(a, sizeof *at * (nv ? nv : 1));
    for (size_t i = 0; i < nv; i++) {
        Planwatch__V1__ReportValue *v = pw_arena_alloc(a, sizeof *v);
        planwatch__v1__report_value__init(v);
        v->indicator = pw_arena_strdup(a, f.rows[i].indicator);
        v->value = pw_arena_strdup(a, f.rows[i].value);
        v->note = pw_arena_strdup(a, f.rows[i].note);
        v->origin = pw_arena_strdup(a, f.rows[i].where);
        /* "line 7" or "cell E7": the row */
        const char *w = f.rows[i].where;
        w += strcspn(w, "0123456789");
        at[i] = (size_t)strtoul(w, NULL, 10);
        vals[i] = v;
    }
    pw_report_file_free(&f);
    *values = vals;
    *n = nv;
    if (lines)
        *lines = at;
    return 0;
}
