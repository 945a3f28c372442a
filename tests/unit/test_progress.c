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

/* compute(in) and check its raw ratio, its clamped progress and its light */
static void expect(const pw_progress_input *in, double raw, double progress,
                   pw_progress_light light)
{
    pw_progress_result r = compute(in, NULL);
    cr_assert_float_eq(r.raw, raw, 1e-12);
    cr_assert_float_eq(r.progress, progress, EPS);
    cr_assert_eq(r.light, light);
}

/* the light of `in` with the actual value v (in keeps v) */
static pw_progress_light light_at(pw_progress_input *in, double v)
{
    in->actual.number = v;
    return compute(in, NULL).light;
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
    expect(&in, 1.5, 1.0, PW_LIGHT_GREEN);
}

Test(progress, up_negative_actual_is_clamped_to_zero)
{
    pw_progress_input in = numeric(PW_PROGRESS_UP, 100, -5, 3);
    expect(&in, -0.05, 0.0, PW_LIGHT_RED);
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
    expect(&in, 1.04, 1.0, PW_LIGHT_GREEN);
}

Test(progress, down_actual_zero_is_done)
{
    /* target / 0 is not computed: a `down` indicator at 0 is fully done */
    pw_progress_input in = numeric(PW_PROGRESS_DOWN, 5, 0, 1);
    expect(&in, 1.0, 1.0, PW_LIGHT_GREEN);
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
    expect(&in, -0.4, 0.0, PW_LIGHT_RED);
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
    /* progress: done 1, in_progress 0.5, not_started 0 (no due month:
     * December is the due month) */
    pw_progress_input in = milestone(PW_MILESTONE_DONE, 3);
    cr_assert_float_eq(compute(&in, NULL).progress, 1.0, EPS);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);

    in = milestone(PW_MILESTONE_IN_PROGRESS, 8); /* before December: green, not 0.5 < t */
    cr_assert_float_eq(compute(&in, NULL).progress, 0.5, EPS);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);

    in = milestone(PW_MILESTONE_NOT_STARTED, 2); /* 12 - 2 = 10 months left: yellow */
    cr_assert_float_eq(compute(&in, NULL).progress, 0.0, EPS);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW);
}

Test(progress, milestone_due_month)
{
    /* due in August (8): the 旅发大会 case of issue 13 */
    pw_progress_input in = milestone(PW_MILESTONE_NOT_STARTED, 4);
    in.due_month = 8;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW); /* 8 - 4 = 4 >= 3 */
    in.month = 5;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW); /* 8 - 5 = 3 >= 3 */
    in.month = 6;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED); /* 8 - 6 = 2 < 3 */

    in = milestone(PW_MILESTONE_IN_PROGRESS, 7);
    in.due_month = 8;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN); /* before the due month */
    in.month = 8;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED); /* from the due month on */
    in.month = 11;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);

    in = milestone(PW_MILESTONE_DONE, 12);
    in.due_month = 8;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN); /* done is green, even late */

    /* never reported counts as not started */
    in = milestone(PW_MILESTONE_NOT_STARTED, 1);
    in.actual.present = 0;
    in.due_month = 3;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED); /* 3 - 1 = 2 < 3 */
    cr_assert_eq(compute(&in, NULL).no_report, 1);
    in.due_month = 6;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW); /* 6 - 1 = 5 */

    /* without a due month, December: not started red from October (12 - 10 = 2) */
    in = milestone(PW_MILESTONE_NOT_STARTED, 9);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW);
    in.month = 10;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);
    in = milestone(PW_MILESTONE_IN_PROGRESS, 12);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);

    /* a task follows the same rule */
    in = milestone(PW_MILESTONE_IN_PROGRESS, 2);
    in.kind = PW_PROGRESS_TASK;
    in.due_month = 2;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);
    in.month = 1;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);
    cr_assert_float_eq(compute(&in, NULL).progress, 0.5, EPS);

    /* the window is configurable; a due month outside 0..12 is refused */
    pw_progress_config cfg = {1.0, 0.8, 6, 1};
    in = milestone(PW_MILESTONE_NOT_STARTED, 10);
    cr_assert_eq(compute(&in, &cfg).light, PW_LIGHT_YELLOW); /* 12 - 10 = 2 >= 1 */
    pw_progress_result r;
    in.due_month = 13;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
}

static pw_progress_input threshold(pw_progress_direction dir, double target, double actual, int m)
{
    pw_progress_input in = numeric(dir, target, actual, m);
    in.kind = PW_PROGRESS_THRESHOLD;
    return in;
}

Test(progress, threshold_up_never_scaled_by_time)
{
    /* issue 13: January investment growth 3 % against 7 %: 3 < 0.8 x 7 = 5.6,
     * red (the level rule gave 3/7 = 0.43 >= t = 0.083: green) */
    pw_progress_input in = threshold(PW_PROGRESS_UP, 7, 3, 1);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);
    cr_assert_float_eq(compute(&in, NULL).progress, 0.0, EPS);
    cr_assert_eq(light_at(&in, 5.6), PW_LIGHT_YELLOW); /* = 0.8 x 7: yellow */
    cr_assert_float_eq(compute(&in, NULL).progress, 0.5, EPS);
    cr_assert_eq(light_at(&in, 7), PW_LIGHT_GREEN); /* met: green, in any month */
    in.month = 12;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);
    cr_assert_float_eq(compute(&in, NULL).progress, 1.0, EPS);
    cr_assert_eq(light_at(&in, 6.9), PW_LIGHT_YELLOW); /* December, 6.9 >= 5.6: yellow */

    /* with a baseline 5: yellow from 7 - 0.2 x |7 - 5| = 6.6 */
    in = threshold(PW_PROGRESS_UP, 7, 6.6, 3);
    in.has_baseline = 1;
    in.baseline = 5;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_YELLOW);
    cr_assert_eq(light_at(&in, 6.59), PW_LIGHT_RED);

    /* no report: red */
    in.actual.present = 0;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_RED);
    cr_assert_eq(compute(&in, NULL).no_report, 1);
}

Test(progress, threshold_down)
{
    /* urban-rural income ratio <= 1.56, no baseline: yellow up to 1.2 x 1.56 = 1.872 */
    pw_progress_input in = threshold(PW_PROGRESS_DOWN, 1.56, 1.56, 2);
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);
    cr_assert_eq(light_at(&in, 1.87), PW_LIGHT_YELLOW);
    cr_assert_eq(light_at(&in, 1.88), PW_LIGHT_RED);
    /* baseline 1.66: yellow up to 1.56 + 0.2 x 0.10 = 1.58 */
    in.has_baseline = 1;
    in.baseline = 1.66;
    cr_assert_eq(light_at(&in, 1.58), PW_LIGHT_YELLOW);
    cr_assert_eq(light_at(&in, 1.59), PW_LIGHT_RED);
}

Test(progress, threshold_band)
{
    /* 稳定在135万头左右: 135 +- 5 green, +- 10 yellow */
    pw_progress_input in = threshold(PW_PROGRESS_BAND, 135, 130, 6);
    in.has_tolerance = 1;
    in.tolerance = 5;
    cr_assert_eq(compute(&in, NULL).light, PW_LIGHT_GREEN);
    cr_assert_eq(light_at(&in, 140), PW_LIGHT_GREEN);
    cr_assert_eq(light_at(&in, 140.5), PW_LIGHT_YELLOW);
    cr_assert_eq(light_at(&in, 125), PW_LIGHT_YELLOW);
    cr_assert_eq(light_at(&in, 124.9), PW_LIGHT_RED);
    cr_assert_eq(light_at(&in, 146), PW_LIGHT_RED);

    /* band only on thresholds; a negative tolerance is refused */
    pw_progress_result r;
    in.kind = PW_PROGRESS_LEVEL;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
    in.kind = PW_PROGRESS_THRESHOLD;
    in.tolerance = -1;
    cr_assert_eq(pw_progress_compute(&in, NULL, &r), PW_INVALID_ARGUMENT);
}

static pw_progress_actual num(double v)
{
    pw_progress_actual a = {1, v, PW_MILESTONE_NOT_STARTED};
    return a;
}

static pw_progress_actual none(void)
{
    pw_progress_actual a = {0, 0, PW_MILESTONE_NOT_STARTED};
    return a;
}

Test(progress, aggregate_of_several_leads)
{
    /* issue 13: five leads "分别牵头" report 80, 120.5, 96.17, 150, 100 */
    pw_progress_actual five[5] = {num(80), num(120.5), num(96.17), num(150), num(100)};
    pw_progress_actual out;
    size_t used, left;

    /* default for cumulative: sum = 546.67 */
    cr_assert_eq(pw_progress_aggregate_of(PW_PROGRESS_CUMULATIVE, PW_AGGREGATE_DEFAULT, five, 5,
                                          &out, &used, &left),
                 PW_OK);
    cr_assert_float_eq(out.number, 546.67, 1e-9);
    cr_assert_eq(used, 5);
    cr_assert_eq(left, 0);
    /* default for level: first = 80 */
    cr_assert_eq(pw_progress_aggregate_of(PW_PROGRESS_LEVEL, PW_AGGREGATE_DEFAULT, five, 5, &out,
                                          &used, &left),
                 PW_OK);
    cr_assert_float_eq(out.number, 80, EPS);
    /* mean 546.67 / 5 = 109.334, min 80, max 150 */
    pw_progress_aggregate_of(PW_PROGRESS_LEVEL, PW_AGGREGATE_MEAN, five, 5, &out, NULL, NULL);
    cr_assert_float_eq(out.number, 109.334, 1e-9);
    pw_progress_aggregate_of(PW_PROGRESS_LEVEL, PW_AGGREGATE_MIN, five, 5, &out, NULL, NULL);
    cr_assert_float_eq(out.number, 80, EPS);
    pw_progress_aggregate_of(PW_PROGRESS_LEVEL, PW_AGGREGATE_MAX, five, 5, &out, NULL, NULL);
    cr_assert_float_eq(out.number, 150, EPS);

    /* a lead without a value is left out: sum 80 + 150 = 230, mean 115 */
    pw_progress_actual gaps[4] = {none(), num(80), none(), num(150)};
    pw_progress_aggregate_of(PW_PROGRESS_CUMULATIVE, PW_AGGREGATE_SUM, gaps, 4, &out, &used, &left);
    cr_assert_float_eq(out.number, 230, EPS);
    cr_assert_eq(used, 2);
    cr_assert_eq(left, 2);
    pw_progress_aggregate_of(PW_PROGRESS_CUMULATIVE, PW_AGGREGATE_MEAN, gaps, 4, &out, NULL, NULL);
    cr_assert_float_eq(out.number, 115, EPS);
    /* first: the first lead in order with a value (80); one lead before it had none */
    pw_progress_aggregate_of(PW_PROGRESS_CUMULATIVE, PW_AGGREGATE_FIRST, gaps, 4, &out, &used,
                             &left);
    cr_assert_float_eq(out.number, 80, EPS);
    cr_assert_eq(used, 1);
    cr_assert_eq(left, 1);

    /* nobody reported: no value */
    pw_progress_actual nobody[2] = {none(), none()};
    pw_progress_aggregate_of(PW_PROGRESS_CUMULATIVE, PW_AGGREGATE_SUM, nobody, 2, &out, &used,
                             &left);
    cr_assert_eq(out.present, 0);
    cr_assert_eq(used, 0);
    cr_assert_eq(left, 2);

    /* states: min is the least advanced lead */
    pw_progress_actual st[3] = {
        {1, 0, PW_MILESTONE_DONE}, {1, 0, PW_MILESTONE_IN_PROGRESS}, {1, 0, PW_MILESTONE_DONE}};
    pw_progress_aggregate_of(PW_PROGRESS_TASK, PW_AGGREGATE_MIN, st, 3, &out, NULL, NULL);
    cr_assert_eq(out.milestone, PW_MILESTONE_IN_PROGRESS);
    pw_progress_aggregate_of(PW_PROGRESS_TASK, PW_AGGREGATE_MAX, st, 3, &out, NULL, NULL);
    cr_assert_eq(out.milestone, PW_MILESTONE_DONE);
    /* mean (2 + 1 + 2) / 3 = 1.67 rounds down to in_progress */
    pw_progress_aggregate_of(PW_PROGRESS_MILESTONE, PW_AGGREGATE_MEAN, st, 3, &out, NULL, NULL);
    cr_assert_eq(out.milestone, PW_MILESTONE_IN_PROGRESS);

    /* bad input */
    cr_assert_eq(pw_progress_aggregate_of(PW_PROGRESS_LEVEL, (pw_progress_aggregate)9, five, 5,
                                          &out, NULL, NULL),
                 PW_INVALID_ARGUMENT);
    pw_progress_actual inf[1] = {num(INFINITY)};
    cr_assert_eq(
        pw_progress_aggregate_of(PW_PROGRESS_LEVEL, PW_AGGREGATE_SUM, inf, 1, &out, NULL, NULL),
        PW_INVALID_ARGUMENT);
}

Test(progress, light_worth)
{
    double w;
    cr_assert_eq(pw_progress_light_worth(PW_LIGHT_GREEN, &w), PW_OK);
    cr_assert_float_eq(w, 1.0, EPS);
    pw_progress_light_worth(PW_LIGHT_YELLOW, &w);
    cr_assert_float_eq(w, 0.5, EPS);
    pw_progress_light_worth(PW_LIGHT_RED, &w);
    cr_assert_float_eq(w, 0.0, EPS);
    cr_assert_eq(pw_progress_light_worth((pw_progress_light)3, &w), PW_INVALID_ARGUMENT);
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
    pw_progress_config cfg = {0.9, 0.5, 6, 3};
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
    cr_assert_eq(cfg.due_red_within, 3);
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

    pw_progress_config bad = {0.7, 0.8, 6, 3}; /* yellow above green */
    in = numeric(PW_PROGRESS_UP, 100, 42, 6);
    cr_assert_eq(pw_progress_compute(&in, &bad, &r), PW_INVALID_ARGUMENT);
    bad = (pw_progress_config){1.0, 0.8, 13, 3};
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
    cr_assert_eq(pw_progress_kind_from_name("threshold"), PW_PROGRESS_THRESHOLD);
    cr_assert_eq(pw_progress_kind_from_name("task"), PW_PROGRESS_TASK);
    cr_assert_eq(pw_progress_direction_from_name("band"), PW_PROGRESS_BAND);
    cr_assert_eq(pw_progress_aggregate_from_name("mean"), PW_AGGREGATE_MEAN);
    cr_assert_eq(pw_progress_aggregate_from_name(""), PW_AGGREGATE_DEFAULT);
    cr_assert_str_eq(pw_progress_aggregate_name(PW_AGGREGATE_FIRST), "first");
}
