/*
 * test_plan_rules.c - the rules of plan indicators and targets
 * (server/engine/plan_rules.h): state kinds, band only for thresholds,
 * the target of a state, tolerances, due months.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "server/engine/plan_rules.h"

Test(plan_rules, milestones_and_tasks_report_a_state)
{
    cr_assert(pw_plan_kind_is_state("milestone"));
    cr_assert(pw_plan_kind_is_state("task"));
    cr_assert_not(pw_plan_kind_is_state("cumulative"));
    cr_assert_not(pw_plan_kind_is_state("level"));
    cr_assert_not(pw_plan_kind_is_state("threshold"));
    cr_assert_not(pw_plan_kind_is_state(""));
    cr_assert_not(pw_plan_kind_is_state(NULL));
    /* names are exact: no prefixes, no case folding */
    cr_assert_not(pw_plan_kind_is_state("Milestone"));
    cr_assert_not(pw_plan_kind_is_state("tasks"));
}

Test(plan_rules, band_is_for_thresholds_only)
{
    cr_assert(pw_plan_direction_fits("threshold", "band"));
    cr_assert_not(pw_plan_direction_fits("level", "band"));
    cr_assert_not(pw_plan_direction_fits("cumulative", "band"));
    cr_assert_not(pw_plan_direction_fits("milestone", "band"));
    /* up and down fit every kind */
    cr_assert(pw_plan_direction_fits("level", "up"));
    cr_assert(pw_plan_direction_fits("threshold", "down"));
    /* an unknown kind (reported on its own) does not add a second error */
    cr_assert(pw_plan_direction_fits(NULL, "band"));
}

Test(plan_rules, the_target_of_a_state_is_done)
{
    /* a milestone's target is 1 (done): 1 passes, 0 and 2 do not */
    cr_assert(pw_plan_target_value_ok("milestone", 1));
    cr_assert_not(pw_plan_target_value_ok("milestone", 0));
    cr_assert_not(pw_plan_target_value_ok("task", 2));
    cr_assert_not(pw_plan_target_value_ok("task", 0.999));
    /* numbers: any finite value */
    cr_assert(pw_plan_target_value_ok("cumulative", 1500));
    cr_assert(pw_plan_target_value_ok("threshold", -3.5));
    cr_assert(pw_plan_target_value_ok("level", 0));
    cr_assert(pw_plan_target_value_ok(NULL, 7));
    cr_assert_not(pw_plan_target_value_ok("level", INFINITY));
    cr_assert_not(pw_plan_target_value_ok("level", NAN));
}

Test(plan_rules, a_band_and_only_a_band_has_a_tolerance)
{
    cr_assert_eq(pw_plan_tolerance_rule("band", 1), PW_PLAN_TOLERANCE_OK);
    cr_assert_eq(pw_plan_tolerance_rule("band", 0), PW_PLAN_TOLERANCE_MISSING);
    cr_assert_eq(pw_plan_tolerance_rule("up", 1), PW_PLAN_TOLERANCE_UNWANTED);
    cr_assert_eq(pw_plan_tolerance_rule("down", 0), PW_PLAN_TOLERANCE_OK);
    cr_assert_eq(pw_plan_tolerance_rule(NULL, 0), PW_PLAN_TOLERANCE_OK);
    cr_assert_eq(pw_plan_tolerance_rule(NULL, 1), PW_PLAN_TOLERANCE_UNWANTED);
}

Test(plan_rules, due_is_a_month_of_the_targets_year)
{
    /* "2018-06" in 2018: month 6; "2018-12": 12 */
    cr_assert_eq(pw_plan_due_month("2018-06", 7, "2018"), 6);
    cr_assert_eq(pw_plan_due_month("2018-12", 7, "2018"), 12);
    cr_assert_eq(pw_plan_due_month("2018-01", 7, "2018"), 1);
    /* another year, month 0 or 13, other shapes */
    cr_assert_eq(pw_plan_due_month("2019-06", 7, "2018"), 0);
    cr_assert_eq(pw_plan_due_month("2018-00", 7, "2018"), 0);
    cr_assert_eq(pw_plan_due_month("2018-13", 7, "2018"), 0);
    cr_assert_eq(pw_plan_due_month("2018-6", 6, "2018"), 0);
    cr_assert_eq(pw_plan_due_month("2018/06", 7, "2018"), 0);
    cr_assert_eq(pw_plan_due_month("2018-06-30", 10, "2018"), 0);
    cr_assert_eq(pw_plan_due_month("20a8-06", 7, "20a8"), 0);
    /* the year compared as written: a bad year never matches a due */
    cr_assert_eq(pw_plan_due_month("0000-06", 7, "abcd"), 0);
}
