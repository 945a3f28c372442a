/*
 * assign.h - the stored assignments (issue 18): per (plan, revision, year,
 * unit) the indicators the unit reports with the target that applies to
 * each (pw_assignment), in plan order, kept as one row so that the
 * office's reads over 3,000 units read 3,000 rows instead of joining
 * 600,000 targets with the plan's indicators and units on every call.
 *
 * The rows are a copy of what the plan's tables say
 * (pw_store_plan_assignments_rev_each), built when a plan is imported or
 * revised, in the same transaction.  Triggers on targets, indicators and
 * indicator_units drop the (plan, revision)'s "built" mark on any change,
 * whoever makes it, so that a stale copy is never read: without the mark
 * the reads below fall back to the plan's tables, and the server rebuilds
 * the copy when it next opens the database (pw_store_assign_sync).
 */
#ifndef PW_SERVER_ASSIGN_H
#define PW_SERVER_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"
#include "server/store/store_plan.h"

/* Writer: (re)build the stored assignments of every year of (plan, rev)
 * and mark them built. */
int pw_store_assign_build(pw_db *w, const char *plan, int rev);

/* Writer: build every (plan, revision) not marked built.  *built (may be
 * NULL) gets how many were. */
int pw_store_assign_sync(pw_db *w, int64_t *built);

/* Reading every unit's assignments of (plan, year) in force in `month`,
 * unit by unit in id order, units with ids in [unit_from, unit_to] (NULL:
 * no bound).  Units without any assignment are skipped.  Texts (ids,
 * names, kinds) are allocated in the cursor's arena `a` and live as long
 * as it; each unit's rows in the arena given to pw_store_assign_next. */
typedef struct pw_assign_cursor pw_assign_cursor;

int pw_store_assign_open(pw_db *db, pw_arena *a, const char *plan, int year, int month,
                         const char *unit_from, const char *unit_to, pw_assign_cursor **out);
/* PW_OK with the next unit, PW_NOT_FOUND at the end, PW_INTERNAL.
 * pos[i]: the position of rows[i]'s indicator in
 * pw_store_assign_indicators (-1 when not there, which cannot happen). */
int pw_store_assign_next(pw_assign_cursor *c, pw_arena *rows_arena, const char **unit,
                         pw_assignment **rows, int **pos, size_t *n);
void pw_store_assign_close(pw_assign_cursor *c);

/* The revision's indicators sorted by id (strcmp), as templates. */
const pw_assignment *pw_store_assign_indicators(const pw_assign_cursor *c, size_t *n);

/* Did the cursor read the stored copy (1) or the plan's tables (0)? */
int pw_store_assign_stored(const pw_assign_cursor *c);

/* The stored blob of one unit-year decoded against the (plan, rev)'s
 * indicators, for tests: PW_NOT_FOUND when (plan, rev) is not built. */
int pw_store_assign_get(pw_db *db, pw_arena *a, const char *plan, int rev, int year,
                        const char *unit, pw_assignment **rows, size_t *n);

#endif
