/*
 * store_sheet.h - score sheets (SPEC 3.5): one per unit category, replaced
 * as a whole by an import.  (The single-item read used by findings is
 * store_sheet_item_get in store_finding.h.)
 */
#ifndef PW_SERVER_STORE_SHEET_H
#define PW_SERVER_STORE_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_sheet_item {
    int item;
    const char *group;
    const char *content;
    double max_points;
    const char *kind;
    const char *params; /* normalised "key=value;..." */
} pw_sheet_item;

/* Replace the sheet of `category` with `items` (writer connection, inside a
 * write fn).  *replaced says whether one existed.  PW_OK or PW_INTERNAL. */
int store_sheet_replace(pw_db *w, const char *category, const pw_sheet_item *items, size_t n,
                        int64_t now, int *replaced);

/* The sheet of `category`, items by number; PW_NOT_FOUND when none was
 * imported.  Arena-allocated. */
int store_sheet_get(pw_db *db, pw_arena *a, const char *category, int64_t *imported_at,
                    pw_sheet_item **items, size_t *n);

#endif
