/*
 * report_csv.c - see report_csv.h.  Moved here from the CLI's `report
 * submit` so that the board reads uploads with the same code.
 */
#include "common/report_csv.h"

#include <stdio.h>
#include <string.h>

#include "common/csv.h"

const char *const pw_report_csv_header[PW_REPORT_CSV_COLUMNS] = {
    "indicator_id", "indicator", "unit_of_measure", "target", "value", "note"};

int pw_report_csv_read(const char *buf, size_t len, pw_arena *a,
                       Planwatch__V1__ReportValue ***values, size_t *n, size_t **lines, char *err,
                       size_t errlen)
{
    size_t *at = NULL;
    pw_csv_reader r;
    pw_csv_reader_init(&r, buf, len);
    pw_csv_record rec;
    Planwatch__V1__ReportValue **vals = NULL;
    size_t nv = 0, cap = 0;
    int line = 0, bad = 0, rc;
    while (!bad && (rc = pw_csv_reader_next(&r, &rec)) == 1) {
        line++;
        if (line == 1) {
            if (pw_csv_header_check(&rec, pw_report_csv_header, PW_REPORT_CSV_COLUMNS, err,
                                    errlen) != 0)
                bad = 1;
            continue;
        }
        if (pw_csv_record_is_blank(&rec))
            continue;
        if (pw_csv_record_check_fields(&rec, PW_REPORT_CSV_COLUMNS, err, errlen) != 0) {
            bad = 1;
            break;
        }
        if (!rec.fields[4][0])
            continue; /* no value: not reported */
        if (nv == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            vals = pw_arena_grow(a, vals, nv, ncap, sizeof *vals);
            at = pw_arena_grow(a, at, nv, ncap, sizeof *at);
            cap = ncap;
        }
        Planwatch__V1__ReportValue *v = pw_arena_alloc(a, sizeof *v);
        planwatch__v1__report_value__init(v);
        v->indicator = pw_arena_strdup(a, rec.fields[0]);
        v->value = pw_arena_strdup(a, rec.fields[4]);
        v->note = pw_arena_strdup(a, rec.fields[5]);
        at[nv] = rec.line;
        vals[nv++] = v;
    }
    if (!bad && rc < 0) {
        snprintf(err, errlen, "%s", pw_csv_reader_error(&r));
        bad = 1;
    }
    pw_csv_reader_fini(&r);
    if (bad)
        return -1;
    *values = vals;
    *n = nv;
    if (lines)
        *lines = at;
    return 0;
}
