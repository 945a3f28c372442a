/*
 * store_deadline.h - deadline extensions of report periods (SPEC 3.3): the
 * office moves a period's deadline for every unit (unit "") or for one unit;
 * a unit's own row wins over the period's.  Timeliness is always judged
 * against the extended deadline, whenever it was set.
 */
#ifndef PW_SERVER_STORE_DEADLINE_H
#define PW_SERVER_STORE_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_deadline_row {
    const char *plan, *period; /* period as reports are keyed: YYYY-MM */
    const char *unit;          /* "" = every unit */
    int64_t until;             /* unix seconds: 23:59:59 local of until_date */
    const char *until_date;    /* YYYY-MM-DD */
    const char *reason, *by_user;
    int64_t at;
} pw_deadline_row;

/* Set (replace) an extension (writer, inside a write fn).  PW_OK or
 * PW_INTERNAL. */
int pw_store_deadline_set(pw_db *w, const pw_deadline_row *row);

/* The extension that applies to `unit` ("" = the period's own) for
 * (plan, period): the unit's row, else the period's.  PW_OK (arena copy in
 * *out), PW_NOT_FOUND, PW_INTERNAL. */
int pw_store_deadline_get(pw_db *db, pw_arena *a, const char *plan, const char *period,
                          const char *unit, pw_deadline_row *out);

/* Every extension of plan for periods from..to (inclusive, YYYY-MM text
 * order), ordered by period then unit ("" first).  Arena-allocated.  PW_OK or
 * PW_INTERNAL. */
int pw_store_deadline_list(pw_db *db, pw_arena *a, const char *plan, const char *from,
                           const char *to, pw_deadline_row **rows, size_t *n);

#endif
