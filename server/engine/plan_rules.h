/*
 * plan_rules.h - the rules a plan's indicators and targets must meet
 * (SPEC 3.2), apart from the CSV they come in: PlanService.Import and
 * Revise parse the files and name file, line and column; these functions
 * decide.
 *
 * Design notes
 * - Milestones and tasks report a state (not_started | in_progress | done),
 *   not a number: their target is 1 (done), and only they have a due month.
 * - Direction band (target +- tolerance) is for threshold indicators, and a
 *   band's target needs a tolerance; no other target takes one.
 * - Pure: no I/O, no allocation.  Thread-safe.
 */
#ifndef PW_SERVER_ENGINE_PLAN_RULES_H
#define PW_SERVER_ENGINE_PLAN_RULES_H

#include <stddef.h>

/* 1 when indicators of this kind report a state: "milestone" and "task"
 * (a responsible unit's assignment is a "task" too).  0 otherwise. */
int pw_plan_kind_is_state(const char *kind);

/* 1 when `direction` may be used with `kind`: band only with threshold;
 * the names themselves are checked elsewhere.  0 otherwise. */
int pw_plan_direction_fits(const char *kind, const char *direction);

/* 1 when `value` may be the target of an indicator of `kind`: a state
 * kind's target is 1 (done), any finite number otherwise.  0 otherwise. */
int pw_plan_target_value_ok(const char *kind, double value);

enum {
    PW_PLAN_TOLERANCE_OK = 0,
    PW_PLAN_TOLERANCE_UNWANTED, /* a tolerance on a target that is not a band */
    PW_PLAN_TOLERANCE_MISSING,  /* a band without one */
};

/* Whether a target of an indicator of `direction` (NULL = none) may or
 * must have a tolerance: PW_PLAN_TOLERANCE_*. */
int pw_plan_tolerance_rule(const char *direction, int has_tolerance);

/* The month of a due date "YYYY-MM" (due[0..len)) in the target's year
 * (`year`, its text as written: the first four bytes must match), or 0
 * when `due` is not such a month. */
int pw_plan_due_month(const char *due, size_t len, const char *year);

#endif
