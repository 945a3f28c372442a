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

static const char *const progress_kind_names[] = {"cumulative", "level", "milestone"};
static const char *const progress_direction_names[] = {"up", "down"};
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

static int progress_input_ok(const pw_progress_input *in)
{
    if (!progress_month_ok(in->month))
        return 0;
    if ((int)in->kind < 0 || (int)in->kind > PW_PROGRESS_MILESTONE)
        return 0;
    if ((int)in->direction < 0 || (int)in->direction > PW_PROGRESS_DOWN)
        return 0;
    if (in->kind == PW_PROGRESS_MILESTONE) {
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
    } else if (in->kind == PW_PROGRESS_MILESTONE) {
        r.raw = progress_milestone_raw(in->actual.milestone);
    } else {
        r.raw = progress_numeric_raw(in);
    }
    r.progress = r.raw < 0.0 ? 0.0 : r.raw > 1.0 ? 1.0 : r.raw;
    r.light = progress_light_by_ratio(r.progress, r.t, cfg);
    if (in->kind == PW_PROGRESS_MILESTONE && in->month > cfg->milestone_red_after &&
        (!in->actual.present || in->actual.milestone == PW_MILESTONE_NOT_STARTED))
        r.light = PW_LIGHT_RED;
    *out = r;
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
