/*
 * store_sheet.h - score sheets (SPEC 3.5): one per unit category, replaced
 * as a whole by an import.  (The single-item read used by findings is
 * pw_store_sheet_item_get in store_finding.h.)
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

/* Flag settings of a sheet (SPEC 3.5). */
typedef struct pw_sheet_settings {
    int commend_top;      /* >= 1 */
    int criticise_bottom; /* >= 1 */
} pw_sheet_settings;

/* Replace the sheet of `category` with `items` (writer connection, inside a
 * write fn).  A setting of 0 in `set` keeps the replaced sheet's (or the
 * default, 3 and 2); *stored receives the settings stored.  *replaced says
 * whether one existed.  PW_OK or PW_INTERNAL. */
int pw_store_sheet_replace(pw_db *w, const char *category, const pw_sheet_item *items, size_t n,
                           const pw_sheet_settings *set, int64_t now, int *replaced,
                           pw_sheet_settings *stored);

/* The sheet of `category`, items by number; PW_NOT_FOUND when none was
 * imported, PW_INTERNAL on a database error.  Arena-allocated.  `set` may
 * be NULL. */
int pw_store_sheet_get(pw_db *db, pw_arena *a, const char *category, int64_t *imported_at,
                       pw_sheet_settings *set, pw_sheet_item **items, size_t *n);

/* ---- the office's flag decisions (SPEC 3.5) -------------------------------- */

typedef struct pw_score_flag_row {
    const char *unit_id;
    const char *flag; /* commend | criticise | none */
    const char *reason;
    const char *by_user;
    int64_t at;
} pw_score_flag_row;

/* Set (replace) the office's decision on a unit's flag for (plan, period);
 * *previous receives the flag it replaced ("" when none, arena-allocated
 * on the writer's call arena `a`).  PW_OK or PW_INTERNAL. */
int pw_store_score_flag_set(pw_db *w, pw_arena *a, const char *plan, const char *period,
                            const pw_score_flag_row *row, const char **previous);

/* The decisions of (plan, period), by unit id.  Arena-allocated.  PW_OK or
 * PW_INTERNAL. */
int pw_store_score_flags_get(pw_db *db, pw_arena *a, const char *plan, const char *period,
                             pw_score_flag_row **rows, size_t *n);

#endif
