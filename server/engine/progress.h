/*
 * progress.h - progress of one (unit, indicator) against its yearly target and
 * its warning light (SPEC 3.4).
 *
 * Pure functions: no I/O, no clock, no globals, no allocation.  Every function
 * is deterministic and thread-safe; the caller owns all memory it passes in.
 * Out-pointers are written only when a function returns PW_OK (0).  Errors are
 * the status codes of common/status.h (PW_INVALID_ARGUMENT for bad input).
 *
 * The month `m` (1..12) and everything else that depends on dates is computed
 * by the caller (common/period.h); this module only does the arithmetic.
 */
#ifndef PW_SERVER_PROGRESS_H
#define PW_SERVER_PROGRESS_H

#include <stddef.h>

/* How the reported value of an indicator accrues (SPEC 3.2). */
typedef enum pw_progress_kind {
    PW_PROGRESS_CUMULATIVE = 0, /* counts and money: the year-to-date total */
    PW_PROGRESS_LEVEL = 1,      /* rates and ratios: the current level */
    PW_PROGRESS_MILESTONE = 2,  /* qualitative: not_started / in_progress / done */
    PW_PROGRESS_THRESHOLD = 3,  /* a value that must hold all year (a growth rate, "<= 1.56") */
    PW_PROGRESS_TASK = 4,       /* qualitative work without a number: a state plus text */
} pw_progress_kind;

/* Which way is better. */
typedef enum pw_progress_direction {
    PW_PROGRESS_UP = 0,   /* higher is better */
    PW_PROGRESS_DOWN = 1, /* lower is better (an urban-rural income ratio) */
    PW_PROGRESS_BAND = 2, /* threshold only: within target +- tolerance ("稳定在135万头左右") */
} pw_progress_direction;

/* The state of a milestone indicator. */
typedef enum pw_progress_milestone {
    PW_MILESTONE_NOT_STARTED = 0,
    PW_MILESTONE_IN_PROGRESS = 1,
    PW_MILESTONE_DONE = 2,
} pw_progress_milestone;

/* Warning light of SPEC 3.4. */
typedef enum pw_progress_light {
    PW_LIGHT_GREEN = 0,
    PW_LIGHT_YELLOW = 1,
    PW_LIGHT_RED = 2,
} pw_progress_light;

/* One optional reported value.  `present` == 0 means "no value"; otherwise
 * `number` holds it for cumulative/level/threshold indicators and `milestone`
 * for milestone and task indicators (the other field is ignored). */
typedef struct pw_progress_actual {
    int present;
    double number;
    pw_progress_milestone milestone;
} pw_progress_actual;

/* Everything progress depends on, for one (unit, indicator) as of month m. */
typedef struct pw_progress_input {
    pw_progress_kind kind;
    pw_progress_direction direction;
    double target;    /* the year's target (ignored for milestones) */
    int has_baseline; /* 0: no baseline */
    double baseline;  /* read only when has_baseline */
    pw_progress_actual actual;
    int month; /* m, 1..12: time elapsed t = m / 12 */
    /* threshold + band: the target row's tolerance D (>= 0; 0 when absent) */
    int has_tolerance;
    double tolerance;
    /* milestone and task: the due month 1..12 (0 = none: December) */
    int due_month;
} pw_progress_input;

/* Light thresholds of cumulative and level indicators.  Green when
 * progress >= green_ratio * t, yellow when progress >= yellow_ratio * t, red
 * otherwise.  Milestones and tasks follow their due month d (SPEC 3.2):
 * done green; before d in_progress green and not_started (or never
 * reported) yellow, red once d - m < due_red_within; from d on anything but
 * done red.  `milestone_red_after` is kept for configuration files of
 * earlier releases and no longer read. */
typedef struct pw_progress_config {
    double green_ratio;      /* 1.0 */
    double yellow_ratio;     /* 0.8 */
    int milestone_red_after; /* unused (was 6) */
    int due_red_within;      /* 3: not_started is red once fewer months remain */
} pw_progress_config;

#define PW_PROGRESS_CONFIG_DEFAULT                                                                 \
    {                                                                                              \
        1.0, 0.8, 6, 3                                                                             \
    }

/* Comparisons of progress against a threshold tolerate this much
 * floating-point noise: 0.49999999999999994 is "0.5". */
#define PW_PROGRESS_EPSILON 1e-9

/* The outcome for one (unit, indicator). */
typedef struct pw_progress_result {
    int no_report;   /* 1: no actual as of m; progress is then 0 */
    double raw;      /* progress before clamping (0 when no_report) */
    double progress; /* clamped to [0, 1] */
    double t;        /* m / 12 */
    pw_progress_light light;
} pw_progress_result;

/*
 * pw_progress_config_default - fill *cfg with PW_PROGRESS_CONFIG_DEFAULT.
 * Never fails.  cfg must not be NULL.
 */
void pw_progress_config_default(pw_progress_config *cfg);

/*
 * pw_progress_config_check - 0 <= yellow_ratio <= green_ratio, both finite,
 * and 0 <= milestone_red_after <= 12.  Returns PW_OK or PW_INVALID_ARGUMENT.
 */
int pw_progress_config_check(const pw_progress_config *cfg);

/*
 * pw_progress_compute - progress and light of SPEC 3.4.
 *
 * Progress before clamping:
 *   - milestone and task: done = 1, in_progress = 0.5, not_started = 0; the
 *     light follows the due month (see pw_progress_config), not t;
 *   - threshold: judged at every month against the target, never scaled by
 *     t; progress is the light's worth (green 1, yellow 0.5, red 0):
 *       up    green A >= T, yellow A >= T - 0.2|T - B| (no baseline 0.8 T);
 *       down  green A <= T, yellow A <= T + 0.2|T - B| (no baseline 1.2 T);
 *       band  green |A - T| <= D, yellow |A - T| <= 2 D;
 *     no actual: red;
 *   - with a baseline: (actual - baseline) / (target - baseline), both
 *     directions; when target == baseline the target is "hold the line":
 *     1 when actual is at or better than the target (>= for up, <= for down),
 *     else 0;
 *   - without a baseline: up: actual / target (target 0: 1 when actual >= 0,
 *     else 0); down: target / actual (actual 0: 1).
 * then clamped to [0, 1].  No actual: progress 0, no_report = 1 (and the
 * light follows from progress 0, i.e. red).
 *
 * cfg may be NULL for the defaults.  Returns PW_OK and writes *out, or
 * PW_INVALID_ARGUMENT (month outside 1..12, an unknown enum value, a
 * non-finite target/baseline/actual, band on a kind other than threshold, a
 * negative or non-finite tolerance, a due month outside 0..12, a bad
 * config) and leaves *out alone.
 */
int pw_progress_compute(const pw_progress_input *in, const pw_progress_config *cfg,
                        pw_progress_result *out);

/*
 * pw_progress_light_of - the light for a clamped progress at month m (no
 * milestone rule: use pw_progress_compute for that).  cfg may be NULL.
 * Returns PW_OK and writes *out, or PW_INVALID_ARGUMENT.
 */
int pw_progress_light_of(double progress, int month, const pw_progress_config *cfg,
                         pw_progress_light *out);

/*
 * pw_progress_actual_as_of - the actual of a (unit, indicator) as of month m:
 * the value of the latest month <= m that has one (SPEC 3.4).
 *
 * by_month[0] is January, by_month[11] December.  On PW_OK writes *out (with
 * present == 0 when no month <= m has a value) and, when found_month is not
 * NULL, *found_month (the month the value comes from, 0 when none).  Returns
 * PW_INVALID_ARGUMENT for m outside 1..12 or a NULL pointer.
 */
int pw_progress_actual_as_of(const pw_progress_actual by_month[12], int month,
                             pw_progress_actual *out, int *found_month);

/*
 * pw_progress_light_worth - what a light is worth where lights are judged
 * (threshold, milestone and task rows in work performance, SPEC 3.5):
 * green 1, yellow 0.5, red 0.  Returns PW_OK or PW_INVALID_ARGUMENT.
 */
int pw_progress_light_worth(pw_progress_light light, double *out);

/* How the plan-wide actual of an indicator with several leads is formed
 * (SPEC 3.2 `aggregate`). */
typedef enum pw_progress_aggregate {
    PW_AGGREGATE_DEFAULT = 0, /* sum for cumulative, first for the other kinds */
    PW_AGGREGATE_SUM = 1,
    PW_AGGREGATE_MEAN = 2,
    PW_AGGREGATE_MIN = 3,
    PW_AGGREGATE_MAX = 4,
    PW_AGGREGATE_FIRST = 5,
} pw_progress_aggregate;

/*
 * pw_progress_aggregate_of - the plan-wide actual of an indicator of `kind`
 * from its leads' actuals, `leads[0..n)` in the CSV's order of the lead
 * units (present == 0: that lead has no value yet).
 *
 * sum / mean / min / max run over the leads that have a value; the leads
 * without one are left out (*left_out counts them).  first: the first lead
 * in order with a value (the leads after it are not "left out").  Milestone
 * and task states aggregate as their progress (not_started 0, in_progress
 * 1, done 2): min is the least advanced lead, mean rounds down to a state.
 * No lead with a value: *out has present == 0.
 *
 * Returns PW_OK and writes *out (and *left_out / *used when not NULL), or
 * PW_INVALID_ARGUMENT (NULL leads with n > 0, an unknown enum, a non-finite
 * number) and leaves them alone.
 */
int pw_progress_aggregate_of(pw_progress_kind kind, pw_progress_aggregate agg,
                             const pw_progress_actual *leads, size_t n, pw_progress_actual *out,
                             size_t *used, size_t *left_out);

/* The aggregate actually applied: DEFAULT resolved by kind. */
pw_progress_aggregate pw_progress_aggregate_resolve(pw_progress_kind kind,
                                                    pw_progress_aggregate agg);

/* Names: "cumulative"/"level"/"milestone"/"threshold"/"task",
 * "up"/"down"/"band", "sum"/"mean"/"min"/"max"/"first" ("" = default),
 * "not_started"/"in_progress"/"done", "green"/"yellow"/"red".  The *_name
 * functions return "?" for values outside the enum; the *_from_name functions
 * return the enum value, or -1 when the name is unknown or NULL. */
const char *pw_progress_kind_name(pw_progress_kind kind);
int pw_progress_kind_from_name(const char *name);
const char *pw_progress_direction_name(pw_progress_direction dir);
int pw_progress_direction_from_name(const char *name);
const char *pw_progress_milestone_name(pw_progress_milestone state);
int pw_progress_milestone_from_name(const char *name);
const char *pw_progress_light_name(pw_progress_light light);
const char *pw_progress_aggregate_name(pw_progress_aggregate agg);
int pw_progress_aggregate_from_name(const char *name);

/* 1 for the kinds whose value is a state (milestone, task), else 0. */
int pw_progress_kind_is_state(pw_progress_kind kind);

#endif
