/*
 * store_plan.h - reading plans, indicators, targets and assignments
 * (SPEC 3.2).  The import (writing) side lives in store_plan_import.c.
 */
#ifndef PW_SERVER_STORE_PLAN_H
#define PW_SERVER_STORE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_plan_row {
    const char *id;
    const char *name;
    int tz_offset_min;   /* the plan's time zone, minutes east of UTC (480) */
    int due_day;         /* reports due on this day of the next month (5) */
    const char *cadence; /* monthly | quarterly */
    int first_year, last_year;
    int64_t imported_at;
} pw_plan_row;

/* One indicator a unit must report for a year, with the target that
 * applies to it (its own, else the plan-wide one when it leads). */
typedef struct pw_assignment {
    const char *indicator_id;
    const char *level1, *level2, *level3;
    const char *uom;
    /* cumulative | level | milestone | threshold | task; a responsible unit
     * without its own target reports the task's state: "task" */
    const char *kind;
    const char *direction; /* up | down | band */
    int own_target;        /* 1: a per-unit target; 0: lead or responsible unit, plan-wide target */
    int is_lead;
    double target;
    int has_baseline;
    double baseline;
    int seq;           /* order of the indicator in the plan */
    const char *unit;  /* pw_store_plan_assignments_all only: whose it is */
    int is_resp;       /* 1: a responsible unit (负责) without its own target */
    int has_tolerance; /* band: the target row's tolerance */
    double tolerance;
    int due_month; /* milestones and tasks: the due month 1..12, 0 = none */
} pw_assignment;

int pw_store_plan_get(pw_db *db, pw_arena *a, const char *id, pw_plan_row *out);

/* The plan a call means: `requested` when given (NOT_FOUND if absent);
 * else the only plan (NOT_FOUND when there is none, INVALID_ARGUMENT when
 * several exist).  `err` explains any failure. */
int pw_store_plan_resolve(pw_db *db, pw_arena *a, const char *requested, pw_plan_row *out,
                          char *err, size_t errlen);

/*
 * Revisions (SPEC 3.2 `plan revise`): every read below takes the month
 * (year, month) it is about and reads the revision in force then: the
 * latest revision whose effective month is <= that month (revision 0, the
 * import, is in force from the start).  month 0 means December.
 */

/* The revision of `plan_id` in force in (year, month). */
int pw_store_plan_rev_at(pw_db *db, const char *plan_id, int year, int month, int *rev);

/* Every indicator `unit` reports in (year, month) (SPEC 3.2: its own target
 * for (I, Y), a lead unit of I with the plan-wide target, or a responsible
 * unit of I with the plan-wide target, reporting the task's state), in plan
 * order. */
int pw_store_plan_assignments(pw_db *db, pw_arena *a, const char *plan_id, const char *unit_id,
                              int year, int month, pw_assignment **rows, size_t *n);
/* The same, always from the plan's tables (pw_store_plan_assignments reads
 * the stored copy of assign.h when it is current; tests compare the two). */
int pw_store_plan_assignments_tables(pw_db *db, pw_arena *a, const char *plan_id,
                                     const char *unit_id, int year, int month, pw_assignment **rows,
                                     size_t *n);

#define PW_STORE_UNIT_MAX "\xf4\x8f\xbf\xbf" /* sorts after every UTF-8 id */

/* Every unit's assignments for (year, month) in one set-based pass over the
 * plan's tables, in no particular order; `unit` is set; texts interned in
 * `a` (one copy per distinct text).  _rev_all: of revision `rev`, only
 * units with ids in [unit_from, unit_to] (NULL: no bound); assign.h builds
 * its stored copy with it. */
int pw_store_plan_assignments_rev_all(pw_db *db, pw_arena *a, const char *plan_id, int year,
                                      int rev, const char *unit_from, const char *unit_to,
                                      pw_assignment **rows, size_t *n);
int pw_store_plan_assignments_all(pw_db *db, pw_arena *a, const char *plan_id, int year, int month,
                                  pw_assignment **rows, size_t *n);

/* A plan indicator with its plan-wide target for a year (has_target 0 when
 * none) and its lead units in plan order (primary lead first). */
typedef struct pw_plan_indicator {
    const char *id, *level1, *level2, *level3, *uom, *kind, *direction;
    int seq;
    int has_target;
    double target;
    int has_baseline;
    double baseline;
    const char **leads;
    size_t nleads;
    const char *aggregate; /* "" (the kind's default) | sum | mean | min | max | first */
    int has_tolerance;
    double tolerance;
    int due_month;   /* 0 = none */
    const char *due; /* 'YYYY-MM' or "" */
} pw_plan_indicator;

/* The indicators in force in (year, month) with the plan-wide target of
 * `year`. */
int pw_store_plan_indicators(pw_db *db, pw_arena *a, const char *plan_id, int year, int month,
                             pw_plan_indicator **rows, size_t *n);

#endif
