/*
 * report_check.h - the rules one submitted report value must meet (SPEC 3.2,
 * 3.3, 4.3): what ReportService.Submit checks per value, as a pure function
 * so that the rules have unit tests and the handler only translates.
 *
 * Design notes
 * - Per value, in this order: the note is acceptable text (pw_text_check);
 *   the value parses for its indicator (pw_report_value_parse: a state for
 *   milestones and tasks, else a number; a trailing % allowed on a %
 *   indicator); a share in % (uom "%", kind not "threshold") lies in 0-100;
 *   a cumulative value is not below the earlier month's unless the note
 *   explains it.  The first failing rule is the value's error.
 * - Warnings (the value is accepted; the receipt lists them): a task's state
 *   without a line of progress text in the note; scientific notation; a %
 *   share that looks like a fraction (pw_report_value_looks_fraction); a
 *   cumulative value below the earlier one, explained in the note.
 * - Texts name where the value is in the reporter's file (" (cell F12)")
 *   and quote untrusted text as a short printable excerpt (pw_text_excerpt).
 * - Which values are expected at all, duplicates, and whether an indicator
 *   exists are the handler's business (they need the store).
 * - Pure: no I/O; strings are allocated in the caller's arena (which aborts
 *   on out-of-memory).  Thread-safe for distinct arenas.
 */
#ifndef PW_SERVER_ENGINE_REPORT_CHECK_H
#define PW_SERVER_ENGINE_REPORT_CHECK_H

#include <stddef.h>

#include "common/arena.h"
#include "server/engine/plan_rules.h" /* pw_plan_kind_is_state */

/* The most warnings one value can carry. */
#define PW_REPORT_CHECK_MAX_WARNINGS 3

/* One value as submitted, with what the rules need to know about it. */
typedef struct pw_report_check_in {
    const char *kind;      /* the assignment's kind: "cumulative", "threshold", "task", ... */
    const char *uom;       /* the indicator's unit of measure: "%" for a percentage */
    const char *value;     /* as typed */
    const char *note;      /* the note column, "" when none */
    const char *origin;    /* where in the reporter's file: "cell F12", "line 7", or "" */
    size_t max_note_bytes; /* the server's max-text-bytes */
    int has_prev;          /* the unit reported this indicator in an earlier month */
    int prev_has_value;    /* ... with a number (not only a note) */
    double prev_value;
} pw_report_check_in;

/* The verdict on one value.  All strings live in the arena (or are static). */
typedef struct pw_report_check_out {
    const char *error;      /* NULL when accepted, else the violation ("-5 % is outside 0-100") */
    int is_state;           /* a state (milestone, task): `state` is set, no number */
    const char *state;      /* "not_started", "in_progress", "done" */
    double value;           /* the number when !is_state */
    const char *normalised; /* NULL, or "'１５００' read as 1500 (cell C2): full-width digits" */
    const char *warnings[PW_REPORT_CHECK_MAX_WARNINGS];
    int nwarnings;
} pw_report_check_out;

/*
 * Check one value against the rules above.  Fills *out (every field; on an
 * error only `error` is meaningful).  Returns 0 when accepted, -1 when not
 * (out->error then says why).
 */
int pw_report_check_value(pw_arena *a, const pw_report_check_in *in, pw_report_check_out *out);

/*
 * A report without values (SPEC 3.3): allowed only from a unit with no
 * numeric indicator to report, and only with some narrative.  `numeric` is
 * how many of the unit's assignments report a number, `has_narrative` 1 when
 * progress, problems or next steps is not empty.  Returns 0 when allowed,
 * else -1 with the reason in err ("the report has no values: unit U1 has 2
 * numeric indicators to report for 2018-03").
 */
int pw_report_check_empty(size_t numeric, int has_narrative, const char *unit, const char *period,
                          char *err, size_t errlen);

#endif
