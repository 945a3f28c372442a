/*
 * quality.h - data-quality flags for the dispatch summary: leads for the
 * office to follow up (the sheets punish falsified figures with -10).  Pure:
 * no I/O, no allocation beyond the caller's output array.
 *
 * For one (unit, indicator) and the month m of the summary, given the
 * unit's values of months 1..m (missing months allowed):
 *   - cumulative_decrease: a cumulative value lower than the previous
 *     reported month's;
 *   - stale: the same value, not 0, in three or more consecutive reported
 *     months up to m while the target is not met (a 0 is work not started:
 *     the red light says so, it is not a copied figure);
 *   - outlier: month m's value (level kinds) or increase per month
 *     (cumulative kinds) is far outside the unit's own history: modified
 *     z-score |0.6745 (x - median) / MAD| > 3.5 (Iglewicz and Hoaglin),
 *     with at least four earlier points, so that skewed or heavy-tailed
 *     histories do not produce false alarms as a mean/stddev rule would;
 *     the MAD is floored at 5 % of the median so that rounding noise in
 *     a very regular history is not an outlier; and the gap |x - median|
 *     must be at least half the median and 2 % of the year's target, so
 *     that a small absolute change ("increase 6, usual 5") is not flagged;
 *     for cumulative kinds only a jump up is a lead (a month with a small
 *     increase is slow work, which the lights show);
 *   - early_overshoot: a level indicator above 100 % of its target in the
 *     first quarter.
 */
#ifndef PW_SERVER_QUALITY_H
#define PW_SERVER_QUALITY_H

#include <stddef.h>

enum {
    PW_QF_CUMULATIVE_DECREASE = 1,
    PW_QF_STALE,
    PW_QF_OUTLIER,
    PW_QF_EARLY_OVERSHOOT,
};

typedef struct pw_quality_series {
    int cumulative;   /* 1: cumulative kind, 0: level (milestones are not checked) */
    int direction_up; /* 1 up, 0 down */
    double target;
    int m;       /* month of the summary, 1..12 */
    int has[13]; /* has[k], value[k] for months 1..12 */
    double value[13];
} pw_quality_series;

typedef struct pw_quality_flag {
    int kind;                    /* PW_QF_* */
    int first_month, last_month; /* the months involved */
    double a, b;                 /* the values involved (first, last) */
    double score;                /* outlier: the modified z-score */
} pw_quality_flag;

/* Write up to `cap` flags into `out`; returns how many (at most 4). */
size_t pw_quality_check(const pw_quality_series *s, pw_quality_flag *out, size_t cap);

/* "cumulative_decrease", "stale", "outlier", "early_overshoot". */
const char *pw_quality_kind_name(int kind);

/* Median of n values (sorts a copy of at most 12 values). */
double pw_quality_median(const double *v, size_t n);

#endif
