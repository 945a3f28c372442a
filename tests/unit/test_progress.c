/*
 * test_progress.c - progress against target and warning lights (SPEC 3.4).
 *
 * Expected values are computed by hand in the comments beside them.
 */
#include "server/engine/progress.h"

#include "common/status.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define EPS 1e-12

static pw_progress_input numeric(pw_progress_direction dir, double target, double actual, int m)
{
    pw_progress_input in;

    memset(&in, 0, sizeof(in));
    in.kind = PW_PROGRESS_CUMULATIVE;
    in.direction = dir;
    in.target = target;
    in.actual.present = 1;
    in.actual.number = actual;
    in.month = m;
    return in;
}

static pw_progress_input with_baseline(pw_progress_direction dir, double baseline, double target,
                                       double actual, int m)
{
    pw_progress_input in = numeric(dir, target, actual, m);

    in.kind = PW_PROGRESS_LEVEL;
    in.has_baseline = 1;
    in.baseline = baseline;
    return in;
}

static pw_progress_input milestone(pw_progress_milestone state, int m)
{
    pw_progress_input in;

    memset(&in, 0, sizeof(in));
    in.kind = PW_PROGRESS_MILESTONE;
    in.target = 1;
    in.actual.present = 1;
    in.actual.milestone = state;
    in.month = m;
    return in;
}

static pw_progress_result compute(const pw_progress_input *in, const pw_progress_config *cfg)
{
    pw_progress_result r;

    cr_assert_eq(pw_progress_compute(in, cfg, &r), PW_OK);
    return r;
}

/* ---- the formula ---------------------------------------------------------- */

Test(progress, up_without_baseline_is_actual_over_target)
{
    /* 42 of 100 in June: 0.42 against t = 6/12 = 0.5; 0.42 >= 0.8 x 0.5 = 0.4: yellow */
    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, 42, 6);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.raw, 0.42, EPS);
    cr_assert_float_eq(r.progress, 0.42, EPS);
    cr_assert_float_eq(r.t, 0.5, EPS);
    cr_assert_eq(r.no_report, 0);
    cr_assert_eq(r.light, PW_LIGHT_YELLOW);
}

Test(progress, up_over_target_is_clamped_to_one)
{
    /* 150 / 100 = 1.5 before clamping, 1 after */
    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, 150, 3);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.raw, 1.5, EPS);
    cr_assert_float_eq(r.progress, 1.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_GREEN);
}

Test(progress, up_negative_actual_is_clamped_to_zero)
{
    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, -5, 3);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.raw, -0.05, EPS);
    cr_assert_float_eq(r.progress, 0.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_RED);
}

Test(progress, up_zero_target_without_baseline)
{
    /* no division by zero: reached (1) when actual >= 0, else 0 */
    pw_progress_input in = numeric(PW_PROGRESS_UP, 0, 0, 3);
    cr_assert_float_eq(compute(&in, NULL).progress, 1.0, EPS);
    in.actual.number = -1;
    cr_assert_float_eq(compute(&in, NULL).progress, 0.0, EPS);
}

Test(progress, down_without_baseline_is_target_over_actual)
{
    /* urban-rural income ratio, target 1.56, now 1.8: 1.56 / 1.8 = 0.8666..;
     * December t = 1: 0.8667 >= 0.8: yellow */
    pw_progress_input in = numeric(PW_PROGRESS_DOWN, 1.56, 1.8, 12);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.progress, 1.56 / 1.8, EPS);
    cr_assert_float_eq(r.t, 1.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_YELLOW);

    /* 1.5 is better than the target: 1.04, clamped to 1 */
    in.actual.number = 1.5;
    r = compute(&in, NULL);
    cr_assert_float_eq(r.raw, 1.04, EPS);
    cr_assert_float_eq(r.progress, 1.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_GREEN);
}

Test(progress, down_actual_zero_is_done)
{
    /* target / 0 is not computed: a `down` indicator at 0 is fully done */
    pw_progress_input in = numeric(PW_PROGRESS_DOWN, 5, 0, 1);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.raw, 1.0, EPS);
    cr_assert_float_eq(r.progress, 1.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_GREEN);
}

Test(progress, baseline_up)
{
    /* baseline 20, target 60, actual 30: (30-20)/(60-20) = 0.25 = t in March: green */
    pw_progress_input in = with_baseline(PW_PROGRESS_UP, 20, 60, 30, 3);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.progress, 0.25, EPS);
    cr_assert_float_eq(r.t, 0.25, EPS);
    cr_assert_eq(r.light, PW_LIGHT_GREEN);

    /* below the baseline: negative, clamped to 0 */
    in.actual.number = 10;
    r = compute(&in, NULL);
    cr_assert_float_eq(r.raw, -0.25, EPS);
    cr_assert_float_eq(r.progress, 0.0, EPS);
}

Test(progress, baseline_down_uses_the_same_formula)
{
    /* baseline 2.0, target 1.5, actual 1.8: (1.8-2.0)/(1.5-2.0) = 0.4, which
     * in binary is 0.3999999999999999; June: 0.8 x 0.5 = 0.4: yellow thanks to
     * the epsilon, not red */
    pw_progress_input in = with_baseline(PW_PROGRESS_DOWN, 2.0, 1.5, 1.8, 6);
    pw_progress_result r = compute(&in, NULL);

    cr_assert_float_eq(r.progress, 0.4, 1e-12);
    cr_assert_eq(r.light, PW_LIGHT_YELLOW);

    /* worse than the baseline: 2.2 -> (0.2)/(-0.5) = -0.4 -> 0 */
    in.actual.number = 2.2;
    r = compute(&in, NULL);
    cr_assert_float_eq(r.raw, -0.4, 1e-12);
    cr_assert_float_eq(r.progress, 0.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_RED);
}

Test(progress, baseline_equal_to_target_holds_the_line)
{
    /* target == baseline: no division; 1 when at or better than the target */
    pw_progress_input up = with_baseline(PW_PROGRESS_UP, 80, 80, 80, 6);
    cr_assert_float_eq(compute(&up, NULL).progress, 1.0, EPS);
    up.actual.number = 79.9;
    cr_assert_float_eq(compute(&up, NULL).progress, 0.0, EPS);
    up.actual.number = 85;
    cr_assert_float_eq(compute(&up, NULL).progress, 1.0, EPS);

    pw_progress_input down = with_baseline(PW_PROGRESS_DOWN, 3, 3, 2.5, 6);
    cr_assert_float_eq(compute(&down, NULL).progress, 1.0, EPS);
    down.actual.number = 3.1;
    cr_assert_float_eq(compute(&down, NULL).progress, 0.0, EPS);
    cr_assert(isfinite(compute(&down, NULL).raw));
}

Test(progress, milestone_states)
{
    /* done 1, in_progress 0.5, not_started 0 */
    pw_progress_input in = milestone(PW_MILESTONE_DONE, 3);
    cr_assert_float_eq(compute(&in, NULL).progress, 1.0, EPS);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);

    in = milestone(PW_MILESTONE_IN_PROGRESS, 6); /* 0.5 >= t 0.5: green */
    cr_assert_float_eq(compute(&in, NULL).progress, 0.5, EPS);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);

    in = milestone(PW_MILESTONE_IN_PROGRESS, 7); /* t = 0.5833, 0.8t = 0.4667: yellow */
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW);

    in = milestone(PW_MILESTONE_IN_PROGRESS, 8); /* 0.8 x 8/12 = 0.5333 > 0.5: red */
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);

    in = milestone(PW_MILESTONE_NOT_STARTED, 2);
    cr_assert_float_eq(compute(&in, NULL).progress, 0.0, EPS);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);
}

Test(progress, milestone_not_started_after_june_is_red)
{
    /* With yellow_ratio 0 a not-started milestone would be yellow by the
     * ratio (0 >= 0 x t); the June rule makes it red from July on. */
    pw_progress_config cfg = {1.0, 0.0, 6};
    pw_progress_input in = milestone(PW_MILESTONE_NOT_STARTED, 6);

    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_YELLOW);
    in.month = 7;
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_RED);
    in.month = 12;
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_RED);

    /* never reported counts as not started */
    in.actual.present = 0;
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_RED);
    in.month = 6;
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_YELLOW);

    /* in progress is not caught by the rule */
    in = milestone(PW_MILESTONE_IN_PROGRESS, 12);
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_YELLOW);

    /* the month is configurable */
    cfg.milestone_red_after = 3;
    in = milestone(PW_MILESTONE_NOT_STARTED, 4);
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_RED);
}

Test(progress, no_actual_is_zero_with_marker)
{
    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, 999, 4);
    in.actual.present = 0;
    pw_progress_result r = compute(&in, NULL);

    cr_assert_eq(r.no_report, 1);
    cr_assert_float_eq(r.raw, 0.0, EPS);
    cr_assert_float_eq(r.progress, 0.0, EPS);
    cr_assert_eq(r.light, PW_LIGHT_RED);
}

/* ---- lights --------------------------------------------------------------- */

Test(progress, light_default_thresholds)
{
    /* September: t = 0.75, yellow from 0.6 */
    pw_progress_light l;

    cr_assert_eq(pw_progress_light_of(0.75, 9, NULL, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_GREEN);
    cr_assert_eq(pw_progress_light_of(0.7499, 9, NULL, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_YELLOW);
    cr_assert_eq(pw_progress_light_of(0.6, 9, NULL, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_YELLOW);
    cr_assert_eq(pw_progress_light_of(0.5999, 9, NULL, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_RED);
}

Test(progress, light_configured_thresholds)
{
    /* green from 0.9 t, yellow from 0.5 t; December t = 1 */
    pw_progress_config cfg = {0.9, 0.5, 6};
    pw_progress_light l;

    cr_assert_eq(pw_progress_light_of(0.9, 12, &cfg, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_GREEN);
    cr_assert_eq(pw_progress_light_of(0.89, 12, &cfg, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_YELLOW);
    cr_assert_eq(pw_progress_light_of(0.5, 12, &cfg, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_YELLOW);
    cr_assert_eq(pw_progress_light_of(0.49, 12, &cfg, &l), PW_OK);
    cr_assert_eq(l, PW_LIGHT_RED);

    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, 90, 12);
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_GREEN);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW);
}

Test(progress, default_config)
{
    pw_progress_config cfg;

    pw_progress_config_default(&cfg);
    cr_assert_float_eq(cfg.green_ratio, 1.0, EPS);
    cr_assert_float_eq(cfg.yellow_ratio, 0.8, EPS);
    cr_assert_eq(cfg.milestone_red_after, 6);
    cr_assert_eq(pw_progress_config_check(&cfg), PW_OK);
}

/* ---- bad input ------------------------------------------------------------ */

Test(progress, bad_input_is_refused_and_out_untouched)
{
    pw_progress_result r, sentinel;
    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, 42, 6);

    memset(&sentinel, 0x5a, sizeof(sentinel));
    r = sentinel;

    in.month = 0;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.month = 13;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.month = 6;
    in.target = NAN;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.target = 100;
    in.actual.number = INFINITY;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.actual.number = 42;
    in.has_baseline = 1;
    in.baseline = NAN;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.has_baseline = 0;
    in.direction = (pw_progress_direction)7;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.direction = PW_PROGRESS_UP;
    in.kind = (pw_progress_kind)-1;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);

    pw_progress_input ms = milestone((pw_progress_milestone)9, 6);
    cr_assert_eq(pw_progress_compute(&ms, NULL, &r), PW_INVALID_ARGUMENT);

    pw_progress_config bad = {0.7, 0.8, 6}; /* yellow above green */
    in = numeric(PW_PROGRESS_UP, 100, 42, 6);
    cr_assert_eq(pw_progress_compute(&in, &bad, &r), PW_INVALID_ARGUMENT);
    bad = (pw_progress_config){1.0, 0.8, 13};
    cr_assert_eq(pw_progress_compute(&in, &bad, &r), PW_INVALID_ARGUMENT);

    cr_assert_eq(memcmp(&r, &sentinel, sizeof(r)), 0);
    cr_assert_eq(pw_progress_compute(NULL, NULL, &r), PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_progress_compute(&in, NULL, NULL), PW_INVALID_ARGUMENT);

    pw_progress_light l = PW_LIGHT_YELLOW;
    cr_assert_eq(pw_progress_light_of(0.5, 0, NULL, &l), PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_progress_light_of(NAN, 5, NULL, &l), PW_INVALID_ARGUMENT);
    cr_assert_eq(l, PW_LIGHT_YELLOW);
}

/* ---- actual as of month m -------------------------------------------------- */

Test(progress, actual_as_of_takes_latest_month_not_after_m)
{
    pw_progress_actual by_month[12];
    pw_progress_actual a;
    int from = -1;

    memset(by_month, 0, sizeof(by_month));
    by_month[0] = (pw_progress_actual){1, 10, 0}; /* January 10 */
    by_month[2] = (pw_progress_actual){1, 30, 0}; /* March 30 */
    by_month[6] = (pw_progress_actual){1, 70, 0}; /* July 70 */

    cr_assert_eq(pw_progress_actual_as_of(by_month, 1, &a, &from), PW_OK);
    cr_assert(a.present);
    cr_assert_float_eq(a.number, 10, EPS);
    cr_assert_eq(from, 1);

    cr_assert_eq(pw_progress_actual_as_of(by_month, 2, &a, &from), PW_OK); /* Feb: Jan's */
    cr_assert_float_eq(a.number, 10, EPS);
    cr_assert_eq(from, 1);

    cr_assert_eq(pw_progress_actual_as_of(by_month, 6, &a, &from), PW_OK); /* Jun: Mar's */
    cr_assert_float_eq(a.number, 30, EPS);
    cr_assert_eq(from, 3);

    cr_assert_eq(pw_progress_actual_as_of(by_month, 12, &a, NULL), PW_OK); /* Dec: Jul's */
    cr_assert_float_eq(a.number, 70, EPS);
}

Test(progress, actual_as_of_none_before_m)
{
    pw_progress_actual by_month[12];
    pw_progress_actual a = {1, 99, 0};
    int from = -1;

    memset(by_month, 0, sizeof(by_month));
    by_month[4] = (pw_progress_actual){1, 0, PW_MILESTONE_IN_PROGRESS};
    cr_assert_eq(pw_progress_actual_as_of(by_month, 4, &a, &from), PW_OK);
    cr_assert_eq(a.present, 0);
    cr_assert_eq(from, 0);

    cr_assert_eq(pw_progress_actual_as_of(by_month, 5, &a, &from), PW_OK);
    cr_assert(a.present);
    cr_assert_eq(a.milestone, PW_MILESTONE_IN_PROGRESS);
    cr_assert_eq(from, 5);

    a.number = 123;
    cr_assert_eq(pw_progress_actual_as_of(by_month, 0, &a, &from), PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_progress_actual_as_of(by_month, 13, &a, &from), PW_INVALID_ARGUMENT);
    cr_assert_eq(pw_progress_actual_as_of(NULL, 3, &a, &from), PW_INVALID_ARGUMENT);
    cr_assert_float_eq(a.number, 123, EPS);
    cr_assert_eq(from, 5);
}

/* ---- names ---------------------------------------------------------------- */

Test(progress, names_round_trip)
{
    cr_assert_str_eq(pw_progress_kind_name(PW_PROGRESS_LEVEL), "level");
    cr_assert_eq(pw_progress_kind_from_name("cumulative"), PW_PROGRESS_CUMULATIVE);
    cr_assert_eq(pw_progress_kind_from_name("milestone"), PW_PROGRESS_MILESTONE);
    cr_assert_eq(pw_progress_kind_from_name("Level"), -1);
    cr_assert_eq(pw_progress_kind_from_name(NULL), -1);
    cr_assert_str_eq(pw_progress_kind_name((pw_progress_kind)5), "?");
    cr_assert_eq(pw_progress_direction_from_name("down"), PW_PROGRESS_DOWN);
    cr_assert_str_eq(pw_progress_direction_name(PW_PROGRESS_UP), "up");
    cr_assert_eq(pw_progress_milestone_from_name("in_progress"), PW_MILESTONE_IN_PROGRESS);
    cr_assert_eq(pw_progress_milestone_from_name("started"), -1);
    cr_assert_str_eq(pw_progress_milestone_name(PW_MILESTONE_NOT_STARTED), "not_started");
    cr_assert_str_eq(pw_progress_light_name(PW_LIGHT_YELLOW), "yellow");
    cr_assert_str_eq(pw_progress_light_name(PW_LIGHT_RED), "red");
}
