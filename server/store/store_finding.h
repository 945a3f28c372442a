/*
 * store_finding.h - assessment findings (SPEC 3.5).  Removal keeps the row
 * (removed_at/by/note) so that history stays reconstructable.
 */
#ifndef PW_SERVER_STORE_FINDING_H
#define PW_SERVER_STORE_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_finding_row {
    int64_t id;
    const char *plan, *unit, *unit_name, *kind, *note, *created_by, *removed_note;
    int year, item;
    int has_points, has_amount;
    double points, amount;
    int64_t count, created_at, removed_at;
} pw_finding_row;

typedef struct pw_sheet_item_row {
    int item;
    const char *kind, *params, *content;
    double max_points;
} pw_sheet_item_row;

int pw_store_finding_insert(pw_db *w, const pw_finding_row *f, int64_t *id);
int pw_store_finding_remove(pw_db *w, int64_t id, const char *by, int64_t at, const char *note);
int pw_store_finding_get(pw_db *db, pw_arena *a, int64_t id, pw_finding_row *out);
/* Findings of `plan` for `unit` ("" all) and `year` (0 all), oldest first. */
int pw_store_finding_list(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                          int include_removed, pw_finding_row **rows, size_t *n);
/* An item of the sheet of `category`; NOT_FOUND when absent. */
int pw_store_sheet_item_get(pw_db *db, pw_arena *a, const char *category, int item,
                            pw_sheet_item_row *out);

#endif
