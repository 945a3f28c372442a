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
    static const char *const names[] = {
        [PW_QF_CUMULATIVE_DECREASE] = "cumulative_decrease",
        [PW_QF_STALE] = "stale",
        [PW_QF_OUTLIER] = "outlier",
        [PW_QF_EARLY_OVERSHOOT] = "early_overshoot",
    };
    if (kind <= 0 || (size_t)kind >= sizeof names / sizeof names[0] || !names[kind])
        return "unknown";
    return names[kind];
}

static int quality_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A stable insertion sort by quality_cmp: for at most 16 values it is
 * several times faster than qsort (called twice for each (unit, indicator)
 * of a dispatch summary), and, being stable, it orders values that compare
 * equal (0 and -0) as glibc's merge sort does.  A NaN makes the order
 * algorithm-dependent: those series keep qsort.  0 when a NaN was seen. */
static int quality_sort_small(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != v[i])
            return 0;
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        while (j > 0 && x < v[j - 1]) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return 1;
}

double pw_quality_median(const double *v, size_t n)
{
    double tmp[16];
    if (n == 0 || n > 16)
        return 0;
    memcpy(tmp, v, n * sizeof *v);
    if (!quality_sort_small(tmp, n))
        qsort(tmp, n, sizeof *tmp, quality_cmp);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static int quality_target_met(const pw_quality_series *s, double v)
{
    return s->direction_up ? v >= s->target : v <= s->target;
}

/* Stale: three or more consecutive months (m-2..m) with one value x, not
 * 0, target not met.  1 with *flag, else 0. */
static int quality_stale(const pw_quality_series *s, int m, double x, pw_quality_flag *flag)
{
    if (!(m >= 3 && s->has[m - 1] && s->has[m - 2] && s->value[m - 1] == x &&
          s->value[m - 2] == x && x != 0 && !quality_target_met(s, x)))
        return 0;
    int first = m - 2;
    while (first > 1 && s->has[first - 1] && s->value[first - 1] == x)
        first--;
    *flag = (pw_quality_flag){PW_QF_STALE, first, m, x, x, 0};
    return 1;
}

/* The history an outlier is judged against, into hist[12], and month m's
 * point in *cur: the values of months before m (level kinds), or the
 * increases per month up to the previous reported month p (cumulative
 * kinds: a month skipped by the unit does not look like a doubled
 * increase).  Returns the number of points; 0 when there is none. */
static size_t quality_history(const pw_quality_series *s, int m, int p, double *hist, double *cur)
{
    size_t h = 0;
    double x = s->value[m];
    if (!s->cumulative) {
        *cur = x;
        for (int k = 1; k < m; k++)
            if (s->has[k])
                hist[h++] = s->value[k];
        return h;
    }
    if (p < 1)
        return 0;
    *cur = (x - s->value[p]) / (m - p);
    int prev = 0;
    for (int k = 1; k <= p; k++) {
        if (!s->has[k])
            continue;
        if (prev)
            hist[h++] = (s->value[k] - s->value[prev]) / (k - prev);
        prev = k;
    }
    return h;
}

/* The modified z-score of cur against hist[0..h) (median med). */
static double quality_z(const double *hist, size_t h, double med, double cur)
{
    double dev[12];
    for (size_t i = 0; i < h; i++)
        dev[i] = fabs(hist[i] - med);
    double mad = pw_quality_median(dev, h);
    /* a floor of 5 % of the median: figures rounded to a few digits
     * would otherwise make a tiny MAD and flag rounding noise */
    double floor_ = 0.05 * fabs(med);
    if (mad > 0 && mad < floor_)
        mad = floor_;
    if (mad > 0)
        return 0.6745 * (cur - med) / mad;
    /* more than half the history is identical: fall back on the mean
     * absolute deviation (scaled to be comparable) */
    double mean_ad = 0;
    for (size_t i = 0; i < h; i++)
        mean_ad += dev[i];
    mean_ad /= (double)h;
    if (mean_ad > 0 && mean_ad < floor_ / 1.253314)
        mean_ad = floor_ / 1.253314;
    return mean_ad > 0 ? (cur - med) / (1.253314 * mean_ad) : 0;
}

/*
 * Is the gap surely below what matters (quality_outlier's `material`),
 * whatever the median?  The median lies in [lo, hi], the range of the
 * history (a mean of two values in it too, as rounding is monotonic), so
 * |cur - median| is at most the larger of |cur - lo| and |cur - hi|, and
 * |median| at least lo when lo > 0 (at least -hi when hi < 0).  Most series
 * are decided here without sorting.  0 when unsure (NaN, huge values).
 */
static int quality_surely_immaterial(const pw_quality_series *s, const double *hist, size_t h,
                                     double cur)
{
    double lo = hist[0], hi = hist[0];
    for (size_t i = 1; i < h; i++) {
        if (hist[i] < lo)
            lo = hist[i];
        if (hist[i] > hi)
            hi = hist[i];
    }
    if (!(fabs(lo) < 1e300 && fabs(hi) < 1e300 && fabs(cur) < 1e300))
        return 0; /* NaN or near overflow: the full test */
    if (s->cumulative && cur <= lo)
        return 1; /* cur > median is needed */
    double a = fabs(cur - lo), b = fabs(cur - hi);
    double gap_max = a > b ? a : b;
    double med_min = lo > 0 ? lo : hi < 0 ? -hi : 0;
    return gap_max < 0.5 * med_min || gap_max < 0.02 * fabs(s->target);
}

/* An outlier against the unit's own history.  1 with *flag, else 0. */
static int quality_outlier(const pw_quality_series *s, int m, int p, pw_quality_flag *flag)
{
    double hist[12], cur = 0;
    size_t h = quality_history(s, m, p, hist, &cur);
    if (h < 4)
        return 0;
    if (quality_surely_immaterial(s, hist, h, cur))
        return 0;
    double med = pw_quality_median(hist, h);
    /* and only when the gap matters to a reader: at least half the usual
     * value and 2 % of the year's target ("increase 6, usual 5" is noise
     * however steady the history); tested first: most series stop here
     * without the second median (the MAD) */
    double gap = fabs(cur - med);
    int material =
        gap >= 0.5 * fabs(med) && gap >= 0.02 * fabs(s->target) && (!s->cumulative || cur > med);
    if (!material)
        return 0;
    double z = quality_z(hist, h, med, cur);
    if (!(fabs(z) > 3.5))
        return 0;
    *flag = (pw_quality_flag){PW_QF_OUTLIER, m, m, med, cur, z};
    return 1;
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
    /* an unchanged value is not also an outlier */
    if (n < cap && quality_stale(s, m, x, &out[n]))
        n++;
    else if (n < cap && quality_outlier(s, m, p, &out[n]))
        n++;
    /* early overshoot: a level above 100 % of its target in Q1 */
    if (!s->cumulative && m <= 3 && s->target != 0 && n < cap) {
        double ratio = s->direction_up ? x / s->target : (x != 0 ? s->target / x : 0);
        if (ratio > 1.0)
            out[n++] = (pw_quality_flag){PW_QF_EARLY_OVERSHOOT, m, m, s->target, x, ratio};
    }
    return n;
}
