/*
 * assess.h - loads what the dispatch summary and the scoring engine need,
 * for one plan, one year and the months 1..last_month, in a few set-based
 * queries on the caller's read connection.  Everything is allocated from
 * the arena; nothing here computes scores or lights (progress.c and
 * score.c are pure and take these data).
 */
#ifndef PW_SERVER_ASSESS_H
#define PW_SERVER_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"
#include "server/store/store_account.h"
#include "server/store/store_finding.h"
#include "server/store/store_plan.h"

enum { PW_TL_NOT_EXPECTED, PW_TL_NOT_DUE, PW_TL_ON_TIME, PW_TL_LATE, PW_TL_MISSING };

/* One month of one unit. */
typedef struct pw_assess_month {
    int status;       /* PW_TL_* at `now` */
    int64_t deadline; /* the month's report deadline */
    int64_t received; /* first submission, 0 = none */
    int64_t days_late;
    int64_t report_id; /* 0 = none */
    int version;
    const char *state;            /* submitted | accepted | returned | "" */
    const char *problems;         /* of the current version (PW_ASSESS_HISTORY only, else "") */
    const char *extended_to;      /* deadline extension (SPEC 3.3): YYYY-MM-DD, NULL none */
    const char *extension_reason; /* its reason, NULL none */
} pw_assess_month;

/* A unit's value of one indicator in one month (the current version of
 * that month's report). */
typedef struct pw_assess_value {
    double value;
    int has;
    int milestone; /* -1 none, 0 not_started, 1 in_progress, 2 done */
} pw_assess_value;

typedef struct pw_assess_unit {
    pw_unit_row unit;
    pw_assignment *ind;
    size_t nind;
    pw_assess_month month[13]; /* [1..12] */
    pw_assess_value *values;   /* nind x 13: values[i * 13 + m], m in 1..12 */
    int64_t half_received[3];  /* [1] H1, [2] H2: first receipt, 0 none */
    int64_t half_deadline[3];
    pw_finding_row *findings;
    size_t nfindings;
    /* months before last_month whose plan revision differs from
     * last_month's: 1 the unit had assignments then, -1 it had none; 0 =
     * same revision (nind decides) */
    signed char had[13];
    /* a report version the materialised state does not hold yet (rows
     * written behind the server's back): its values come from the raw
     * versions instead */
    int state_stale;
} pw_assess_unit;

typedef struct pw_assess {
    pw_plan_row plan;
    int year, last_month;
    int64_t now;
    pw_assess_unit *units;
    size_t nunits;
    /* pw_assess_load_page: units[] are units_from.. of units_total (in id
     * order); unit_first/unit_last bound their ids (NULL: all units) */
    size_t units_total, units_from;
    const char *unit_first, *unit_last;
} pw_assess;

/* What values to load. */
enum {
    PW_ASSESS_NO_VALUES = 0, /* timeliness only (report status) */
    PW_ASSESS_ACTUALS = 1,   /* enough to know every actual as of last_month (scores) */
    PW_ASSESS_HISTORY = 2,   /* every month 1..last_month (dispatch: quality flags) */
};

/* Load units of `category` ("" = all) with their assignments for `year`,
 * monthly report status for months 1..last_month (against the extended
 * deadline where the office extended one), the values `what`
 * says, half-year receipts and the year's findings.  Returns a pw_status. */
int pw_assess_load(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
                   int64_t now, const char *category, int what, pw_assess *out);

/* pw_assess_load for one page of units: at most `unit_count` units from
 * the `unit_from`-th on (in id order). */
int pw_assess_load_page(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
                        int64_t now, const char *category, size_t unit_from, size_t unit_count,
                        int what, pw_assess *out);

/* The office's reads over many units without holding every unit's
 * assignments and values at once: pw_assess_load_base loads everything
 * but them (units, months, receipts, findings; month statuses wait for
 * the assignments), then pw_assess_each walks the units in id order,
 * giving each its assignments (ind, nind), its values when `what` asks
 * and its month statuses, allocated in `scratch`, which is reset between
 * units: `fn` copies what it keeps into longer-lived memory.  With
 * scratch == a nothing is reset and every unit keeps its data
 * (pw_assess_load_page does that).  A non-OK return of fn stops the walk
 * and is returned. */
int pw_assess_load_base(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
                        int64_t now, const char *category, size_t unit_from, size_t unit_count,
                        int what, pw_assess *out);
typedef int (*pw_assess_unit_fn)(void *arg, pw_assess_unit *u);
int pw_assess_each(pw_db *db, pw_arena *a, pw_arena *scratch, pw_assess *as, int what,
                   pw_assess_unit_fn fn, void *arg);

/* The actual of indicator `i` of `u` as of month `m`: the value of the
 * latest month <= m that has one; NULL when none. */
/* The unit `id` of `as` (units are sorted by id), NULL when absent. */
pw_assess_unit *pw_assess_find_unit(const pw_assess *as, const char *id);

const pw_assess_value *pw_assess_actual(const pw_assess_unit *u, size_t i, int m, int *month);

/* Is the unit active in (year, month)? */
int pw_assess_unit_active(const pw_unit_row *u, int year, int month);

/* Is unit `u` expected to report for (year, month) of `plan` (SPEC 3.1,
 * 3.3)?  Monthly plans: every month the unit is active.  Quarterly plans:
 * only the last month of each quarter (a quarter's report is stored under
 * that month), when the unit is active in any month of the quarter.
 * Whether the unit has indicators that year is the caller's business. */
int pw_assess_unit_expected(const pw_plan_row *plan, const pw_unit_row *u, int year, int month);

#endif
