/*
 * quality.c - see quality.h for the rules.  Series are at most 12 months,
 * so sorting copies on the stack is cheap and bounded.
 */
#include "server/engine/quality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *pw_quality_kind_name(int kind)
{
    switch (kind) {
    case PW_QF_CUMULATIVE_DECREASE:
        return "cumulative_decrease";
    case PW_QF_STALE:
        return "stale";
    case PW_QF_OUTLIER:
        return "outlier";
    case PW_QF_EARLY_OVERSHOOT:
        return "early_overshoot";
    default:
        return "unknown";
    }
}

static int quality_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double pw_quality_median(const double *v, size_t n)
{
    double tmp[16];
    if (n == 0 || n > 16)
        return 0;
    memcpy(tmp, v, n * sizeof *v);
    qsort(tmp, n, sizeof *tmp, quality_cmp);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static int quality_target_met(const pw_quality_series *s, double v)
{
    return s->direction_up ? v >= s->target : v <= s->target;
}

size_t pw_quality_check(const pw_quality_series *s, pw_quality_flag *out, size_t cap)
{
    size_t n = 0;
    int m = s->m;
    if (m < 1 || m > 12 || !s->has[m] || !isfinite(s->value[m]))
        return 0;
    double x = s->value[m];
    /* previous reported month */
    int p = m - 1;
    while (p >= 1 && !s->has[p])
        p--;

    if (s->cumulative && p >= 1 && x < s->value[p] && n < cap)
        out[n++] = (pw_quality_flag){PW_QF_CUMULATIVE_DECREASE, p, m, s->value[p], x, 0};

    /* stale: three or more consecutive months (m-2..m) with one value */
    int stale = 0;
    if (m >= 3 && s->has[m - 1] && s->has[m - 2] && s->value[m - 1] == x && s->value[m - 2] == x &&
        x != 0 && !quality_target_met(s, x) && n < cap) {
        int first = m - 2;
        while (first > 1 && s->has[first - 1] && s->value[first - 1] == x)
            first--;
        out[n++] = (pw_quality_flag){PW_QF_STALE, first, m, x, x, 0};
        stale = 1;
    }
    if (stale)
        goto overshoot; /* an unchanged value is not also an outlier */

    /* outlier against the unit's own history */
    double hist[12];
    size_t h = 0;
    double cur;
    if (s->cumulative) {
        if (p < 1)
            goto overshoot;
        /* increases per month, so that a month skipped by the unit does
         * not look like a doubled increase */
        cur = (x - s->value[p]) / (m - p);
        int prev = 0;
        for (int k = 1; k <= p; k++) {
            if (!s->has[k])
                continue;
            if (prev)
                hist[h++] = (s->value[k] - s->value[prev]) / (k - prev);
            prev = k;
        }
    } else {
        cur = x;
        for (int k = 1; k < m; k++)
            if (s->has[k])
                hist[h++] = s->value[k];
    }
    if (h >= 4) {
        double med = pw_quality_median(hist, h);
        double dev[12];
        for (size_t i = 0; i < h; i++)
            dev[i] = fabs(hist[i] - med);
        double mad = pw_quality_median(dev, h);
        /* a floor of 5 % of the median: figures rounded to a few digits
         * would otherwise make a tiny MAD and flag rounding noise */
        double floor_ = 0.05 * fabs(med);
        if (mad > 0 && mad < floor_)
            mad = floor_;
        double z;
        if (mad > 0) {
            z = 0.6745 * (cur - med) / mad;
        } else {
            /* more than half the history is identical: fall back on the mean
             * absolute deviation (scaled to be comparable) */
            double mean_ad = 0;
            for (size_t i = 0; i < h; i++)
                mean_ad += dev[i];
            mean_ad /= (double)h;
            if (mean_ad > 0 && mean_ad < floor_ / 1.253314)
                mean_ad = floor_ / 1.253314;
            z = mean_ad > 0 ? (cur - med) / (1.253314 * mean_ad) : 0;
        }
        /* and only when the gap matters to a reader: at least half the usual
         * value and 2 % of the year's target ("increase 6, usual 5" is noise
         * however steady the history) */
        double gap = fabs(cur - med);
        int material = gap >= 0.5 * fabs(med) && gap >= 0.02 * fabs(s->target) &&
                       (!s->cumulative || cur > med);
        if (fabs(z) > 3.5 && material && n < cap)
            out[n++] = (pw_quality_flag){PW_QF_OUTLIER, m, m, med, cur, z};
    }

overshoot:
    /* early overshoot: a level above 100 % of its target in Q1 */
    if (!s->cumulative && m <= 3 && s->target != 0 && n < cap) {
        double ratio = s->direction_up ? x / s->target : (x != 0 ? s->target / x : 0);
        if (ratio > 1.0)
            out[n++] = (pw_quality_flag){PW_QF_EARLY_OVERSHOOT, m, m, s->target, x, ratio};
    }
    return n;
}
