/*
 * progress.c - progress against target and warning lights (SPEC 3.4).
 *
 * Design notes
 * - Pure arithmetic: no I/O, no clock, no globals, no allocation.  Dates are
 *   someone else's business (common/period.h); we receive the month number.
 * - Every division has a guard, so the result is always finite: target ==
 *   baseline ("hold the line") and target == 0 on an `up` indicator without a
 *   baseline are decided by comparison instead of division; a `down`
 *   indicator with actual 0 is fully done (SPEC).
 * - Progress is clamped to [0, 1] after the formula; `raw` keeps the value
 *   before clamping for explanations.
 * - Light comparisons allow PW_PROGRESS_EPSILON of floating-point noise, so
 *   that (0.7 - 0.1) / (1.3 - 0.1) is "exactly" 0.5 like the human thinks.
 * - Out-pointers are written only on success.
 */
#include "server/engine/progress.h"

#include "common/status.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static const char *const progress_kind_names[] = {"cumulative", "level", "milestone", "threshold",
                                                  "task"};
static const char *const progress_direction_names[] = {"up", "down", "band"};
static const char *const progress_aggregate_names[] = {"", "sum", "mean", "min", "max", "first"};
static const char *const progress_milestone_names[] = {"not_started", "in_progress", "done"};
static const char *const progress_light_names[] = {"green", "yellow", "red"};

#define PROGRESS_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *progress_name(const char *const *names, int n, int value)
{
    if (value < 0 || value >= n)
        return "?";
    return names[value];
}

static int progress_from_name(const char *const *names, int n, const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *pw_progress_kind_name(pw_progress_kind kind)
{
    return progress_name(progress_kind_names, PROGRESS_COUNT(progress_kind_names), (int)kind);
}

int pw_progress_kind_from_name(const char *name)
{
    return progress_from_name(progress_kind_names, PROGRESS_COUNT(progress_kind_names), name);
}

const char *pw_progress_direction_name(pw_progress_direction dir)
{
    return progress_name(progress_direction_names, PROGRESS_COUNT(progress_direction_names),
                         (int)dir);
}

int pw_progress_direction_from_name(const char *name)
{
    return progress_from_name(progress_direction_names, PROGRESS_COUNT(progress_direction_names),
                              name);
}

const char *pw_progress_milestone_name(pw_progress_milestone state)
{
    return progress_name(progress_milestone_names, PROGRESS_COUNT(progress_milestone_names),
                         (int)state);
}

int pw_progress_milestone_from_name(const char *name)
{
    return progress_from_name(progress_milestone_names, PROGRESS_COUNT(progress_milestone_names),
                              name);
}

const char *pw_progress_light_name(pw_progress_light light)
{
    return progress_name(progress_light_names, PROGRESS_COUNT(progress_light_names), (int)light);
}

const char *pw_progress_aggregate_name(pw_progress_aggregate agg)
{
    return progress_name(progress_aggregate_names, PROGRESS_COUNT(progress_aggregate_names),
                         (int)agg);
}

int pw_progress_aggregate_from_name(const char *name)
{
    return progress_from_name(progress_aggregate_names, PROGRESS_COUNT(progress_aggregate_names),
                              name);
}

int pw_progress_kind_is_state(pw_progress_kind kind)
{
    return kind == PW_PROGRESS_MILESTONE || kind == PW_PROGRESS_TASK;
}

void pw_progress_config_default(pw_progress_config *cfg)
{
    const pw_progress_config def = PW_PROGRESS_CONFIG_DEFAULT;
    *cfg = def;
}

int pw_progress_config_check(const pw_progress_config *cfg)
{
    if (cfg == NULL)
        return PW_INVALID_ARGUMENT;
    if (!isfinite(cfg->green_ratio) || !isfinite(cfg->yellow_ratio))
        return PW_INVALID_ARGUMENT;
    if (cfg->yellow_ratio < 0 || cfg->yellow_ratio > cfg->green_ratio)
        return PW_INVALID_ARGUMENT;
    if (cfg->milestone_red_after < 0 || cfg->milestone_red_after > 12)
        return PW_INVALID_ARGUMENT;
    if (cfg->due_red_within < 0 || cfg->due_red_within > 12)
        return PW_INVALID_ARGUMENT;
    return PW_OK;
}

static int progress_month_ok(int month)
{
    return month >= 1 && month <= 12;
}

/* The light by ratio alone; cfg already checked. */
static pw_progress_light progress_light_by_ratio(double progress, double t,
                                                 const pw_progress_config *cfg)
{
    if (progress >= cfg->green_ratio * t - PW_PROGRESS_EPSILON)
        return PW_LIGHT_GREEN;
    if (progress >= cfg->yellow_ratio * t - PW_PROGRESS_EPSILON)
        return PW_LIGHT_YELLOW;
    return PW_LIGHT_RED;
}

int pw_progress_light_of(double progress, int month, const pw_progress_config *cfg,
                         pw_progress_light *out)
{
    pw_progress_config def;
    int rv;

    if (cfg == NULL) {
        pw_progress_config_default(&def);
        cfg = &def;
    }
    if ((rv = pw_progress_config_check(cfg)) != PW_OK)
        return rv;
    if (out == NULL || !progress_month_ok(month) || !isfinite(progress))
        return PW_INVALID_ARGUMENT;
    *out = progress_light_by_ratio(progress, month / 12.0, cfg);
    return PW_OK;
}

/* Progress before clamping of a numeric indicator; inputs already checked. */
static double progress_numeric_raw(const pw_progress_input *in)
{
    double actual = in->actual.number;
    double target = in->target;
    int up = in->direction == PW_PROGRESS_UP;

    if (in->has_baseline) {
        double span = target - in->baseline;
        if (span == 0.0) /* hold the line: reached or not */
            return (up ? actual >= target : actual <= target) ? 1.0 : 0.0;
        return (actual - in->baseline) / span;
    }
    if (up) {
        if (target == 0.0)
            return actual >= target ? 1.0 : 0.0;
        return actual / target;
    }
    if (actual == 0.0)
        return 1.0;
    return target / actual;
}

static double progress_milestone_raw(pw_progress_milestone state)
{
    switch (state) {
    case PW_MILESTONE_DONE:
        return 1.0;
    case PW_MILESTONE_IN_PROGRESS:
        return 0.5;
    case PW_MILESTONE_NOT_STARTED:
    default:
        return 0.0;
    }
}

/* Worth of a light in work performance and as a threshold's progress. */
static double progress_light_worth(pw_progress_light light)
{
    return light == PW_LIGHT_GREEN ? 1.0 : light == PW_LIGHT_YELLOW ? 0.5 : 0.0;
}

/* Light of a threshold indicator with an actual (SPEC 3.4); inputs checked. */
static pw_progress_light progress_threshold_light(const pw_progress_input *in)
{
    double a = in->actual.number, t = in->target;
    double e = PW_PROGRESS_EPSILON * (1.0 + fabs(t));

    if (in->direction == PW_PROGRESS_BAND) {
        double d = in->has_tolerance ? in->tolerance : 0.0;
        double off = fabs(a - t);
        if (off <= d + e)
            return PW_LIGHT_GREEN;
        return off <= 2.0 * d + e ? PW_LIGHT_YELLOW : PW_LIGHT_RED;
    }
    if (in->direction == PW_PROGRESS_UP) {
        double yellow = in->has_baseline ? t - 0.2 * fabs(t - in->baseline) : 0.8 * t;
        if (a >= t - e)
            return PW_LIGHT_GREEN;
        return a >= yellow - e ? PW_LIGHT_YELLOW : PW_LIGHT_RED;
    }
    double yellow = in->has_baseline ? t + 0.2 * fabs(t - in->baseline) : 1.2 * t;
    if (a <= t + e)
        return PW_LIGHT_GREEN;
    return a <= yellow + e ? PW_LIGHT_YELLOW : PW_LIGHT_RED;
}

/* Light of a milestone or task against its due month (SPEC 3.2). */
static pw_progress_light progress_due_light(const pw_progress_input *in,
                                            const pw_progress_config *cfg)
{
    int due = in->due_month ? in->due_month : 12;
    pw_progress_milestone st = in->actual.present ? in->actual.milestone : PW_MILESTONE_NOT_STARTED;

    if (st == PW_MILESTONE_DONE)
        return PW_LIGHT_GREEN;
    if (in->month >= due)
        return PW_LIGHT_RED;
    if (st == PW_MILESTONE_IN_PROGRESS)
        return PW_LIGHT_GREEN;
    return due - in->month < cfg->due_red_within ? PW_LIGHT_RED : PW_LIGHT_YELLOW;
}

static int progress_input_ok(const pw_progress_input *in)
{
    if (!progress_month_ok(in->month))
        return 0;
    if ((int)in->kind < 0 || (int)in->kind > PW_PROGRESS_TASK)
        return 0;
    if ((int)in->direction < 0 || (int)in->direction > PW_PROGRESS_BAND)
        return 0;
    if (in->direction == PW_PROGRESS_BAND && in->kind != PW_PROGRESS_THRESHOLD)
        return 0;
    if (in->has_tolerance && (!isfinite(in->tolerance) || in->tolerance < 0))
        return 0;
    if (in->due_month < 0 || in->due_month > 12)
        return 0;
    if (pw_progress_kind_is_state(in->kind)) {
        if (in->actual.present &&
            ((int)in->actual.milestone < 0 || (int)in->actual.milestone > PW_MILESTONE_DONE))
            return 0;
        return 1;
    }
    if (!isfinite(in->target))
        return 0;
    if (in->has_baseline && !isfinite(in->baseline))
        return 0;
    if (in->actual.present && !isfinite(in->actual.number))
        return 0;
    return 1;
}

int pw_progress_compute(const pw_progress_input *in, const pw_progress_config *cfg,
                        pw_progress_result *out)
{
    pw_progress_config def;
    pw_progress_result r;
    int rv;

    if (cfg == NULL) {
        pw_progress_config_default(&def);
        cfg = &def;
    }
    if ((rv = pw_progress_config_check(cfg)) != PW_OK)
        return rv;
    if (in == NULL || out == NULL || !progress_input_ok(in))
        return PW_INVALID_ARGUMENT;

    memset(&r, 0, sizeof(r));
    r.t = in->month / 12.0;
    if (!in->actual.present) {
        r.no_report = 1;
        r.raw = 0.0;
    } else if (pw_progress_kind_is_state(in->kind)) {
        r.raw = progress_milestone_raw(in->actual.milestone);
    } else if (in->kind == PW_PROGRESS_THRESHOLD) {
        r.raw = progress_light_worth(progress_threshold_light(in));
    } else {
        r.raw = progress_numeric_raw(in);
    }
    r.progress = r.raw < 0.0 ? 0.0 : r.raw > 1.0 ? 1.0 : r.raw;
    if (pw_progress_kind_is_state(in->kind))
        r.light = progress_due_light(in, cfg);
    else if (in->kind == PW_PROGRESS_THRESHOLD)
        r.light = in->actual.present ? progress_threshold_light(in) : PW_LIGHT_RED;
    else
        r.light = progress_light_by_ratio(r.progress, r.t, cfg);
    *out = r;
    return PW_OK;
}

int pw_progress_light_worth(pw_progress_light light, double *out)
{
    if (out == NULL || (int)light < 0 || (int)light > PW_LIGHT_RED)
        return PW_INVALID_ARGUMENT;
    *out = progress_light_worth(light);
    return PW_OK;
}

pw_progress_aggregate pw_progress_aggregate_resolve(pw_progress_kind kind,
                                                    pw_progress_aggregate agg)
{
    if (agg != PW_AGGREGATE_DEFAULT)
        return agg;
    return kind == PW_PROGRESS_CUMULATIVE ? PW_AGGREGATE_SUM : PW_AGGREGATE_FIRST;
}

int pw_progress_aggregate_of(pw_progress_kind kind, pw_progress_aggregate agg,
                             const pw_progress_actual *leads, size_t n, pw_progress_actual *out,
                             size_t *used, size_t *left_out)
{
    pw_progress_actual r;
    size_t k = 0, missing = 0;
    double acc = 0.0;
    int state;

    if (out == NULL || (n > 0 && leads == NULL) || (int)kind < 0 || (int)kind > PW_PROGRESS_TASK ||
        (int)agg < 0 || (int)agg > PW_AGGREGATE_FIRST)
        return PW_INVALID_ARGUMENT;
    state = pw_progress_kind_is_state(kind);
    for (size_t i = 0; i < n; i++) {
        if (!leads[i].present)
            continue;
        if (state ? ((int)leads[i].milestone < 0 || (int)leads[i].milestone > PW_MILESTONE_DONE)
                  : !isfinite(leads[i].number))
            return PW_INVALID_ARGUMENT;
    }
    agg = pw_progress_aggregate_resolve(kind, agg);
    memset(&r, 0, sizeof(r));
    for (size_t i = 0; i < n; i++) {
        double v;

        if (!leads[i].present) {
            missing++;
            continue;
        }
        v = state ? (double)leads[i].milestone : leads[i].number;
        if (agg == PW_AGGREGATE_FIRST) {
            r = leads[i];
            k = 1;
            /* the leads after the first with a value are not consulted */
            missing = 0;
            for (size_t j = 0; j < i; j++)
                missing += !leads[j].present;
            break;
        }
        if (k == 0)
            acc = v;
        else if (agg == PW_AGGREGATE_SUM || agg == PW_AGGREGATE_MEAN)
            acc += v;
        else if (agg == PW_AGGREGATE_MIN)
            acc = v < acc ? v : acc;
        else if (agg == PW_AGGREGATE_MAX)
            acc = v > acc ? v : acc;
        k++;
    }
    if (k > 0 && agg != PW_AGGREGATE_FIRST) {
        if (agg == PW_AGGREGATE_MEAN)
            acc /= (double)k;
        r.present = 1;
        if (state) {
            /* a sum of states means nothing: sum of states is their mean */
            if (agg == PW_AGGREGATE_SUM)
                acc /= (double)k;
            r.milestone = (pw_progress_milestone)(int)floor(acc + PW_PROGRESS_EPSILON);
        } else {
            r.number = acc;
        }
    }
    *out = r;
    if (used != NULL)
        *used = k;
    if (left_out != NULL)
        *left_out = k > 0 || agg != PW_AGGREGATE_FIRST ? missing : n;
    return PW_OK;
}

int pw_progress_actual_as_of(const pw_progress_actual by_month[12], int month,
                             pw_progress_actual *out, int *found_month)
{
    pw_progress_actual none;

    if (by_month == NULL || out == NULL || !progress_month_ok(month))
        return PW_INVALID_ARGUMENT;
    for (int m = month; m >= 1; m--) {
        if (by_month[m - 1].present) {
            *out = by_month[m - 1];
            if (found_month != NULL)
                *found_month = m;
            return PW_OK;
        }
    }
    memset(&none, 0, sizeof(none));
    *out = none;
    if (found_month != NULL)
        *found_month = 0;
    return PW_OK;
}
