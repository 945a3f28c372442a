/*
 * test_quality.c - data-quality flags, hand-computed cases.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/engine/quality.h"

static pw_quality_series series(int cumulative, double target, int m, const double *v, int n)
{
    pw_quality_series s = {.cumulative = cumulative, .direction_up = 1, .target = target, .m = m};
    for (int k = 1; k <= n; k++) {
        if (v[k - 1] >= 0) {
            s.has[k] = 1;
            s.value[k] = v[k - 1];
        }
    }
    return s;
}

Test(quality, cumulative_decrease_names_both_months)
{
    double v[] = {10, 20, 15};
    pw_quality_series s = series(1, 100, 3, v, 3);
    pw_quality_flag f[4];
    size_t n = pw_quality_check(&s, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_eq(f[0].kind, PW_QF_CUMULATIVE_DECREASE);
    cr_assert_eq(f[0].first_month, 2);
    cr_assert_eq(f[0].last_month, 3);
    cr_assert_float_eq(f[0].a, 20, 1e-9);
    cr_assert_float_eq(f[0].b, 15, 1e-9);
}

Test(quality, decrease_skips_missing_months)
{
    double v[] = {10, 20, -1, 15};
    pw_quality_series s = series(1, 100, 4, v, 4);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 1);
    cr_assert_eq(f[0].first_month, 2);
}

Test(quality, stale_only_while_target_not_met)
{
    double v[] = {5, 7, 7, 7, 7};
    pw_quality_series s = series(1, 100, 5, v, 5);
    pw_quality_flag f[4];
    size_t n = pw_quality_check(&s, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_eq(f[0].kind, PW_QF_STALE);
    cr_assert_eq(f[0].first_month, 2, "the run started in February");
    s.target = 7; /* met: a finished indicator may stay flat */
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
    double two[] = {5, 7, 7};
    s = series(1, 100, 3, two, 3);
    cr_assert_eq(pw_quality_check(&s, f, 4), 0, "two equal months are not three");
}

Test(quality, outlier_uses_median_and_mad_of_increments)
{
    /* increments 10, 12, 9, 11, 10 then 80: median 10, MAD 1 -> z = 0.6745*70 = 47 */
    double v[] = {10, 20, 32, 41, 52, 62, 142};
    pw_quality_series s = series(1, 1000, 7, v, 7);
    pw_quality_flag f[4];
    size_t n = pw_quality_check(&s, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_eq(f[0].kind, PW_QF_OUTLIER);
    cr_assert_float_eq(f[0].a, 10, 1e-9);
    cr_assert_float_eq(f[0].b, 80, 1e-9);
    cr_assert_float_eq(f[0].score, 0.6745 * 70, 1e-9);
}

Test(quality, a_skewed_history_is_not_an_outlier)
{
    /* increments 1, 1, 2, 30, 3 then 5: median 2, MAD 1 -> z = 2.02 */
    double v[] = {0, 1, 2, 4, 34, 37, 42};
    pw_quality_series s = series(1, 1000, 7, v, 7);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
}

Test(quality, too_short_a_history_is_not_judged)
{
    double v[] = {10, 20, 30, 500};
    pw_quality_series s = series(1, 1000, 4, v, 4);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
}

Test(quality, level_above_target_in_first_quarter)
{
    double v[] = {80, 101};
    pw_quality_series s = series(0, 95, 2, v, 2);
    pw_quality_flag f[4];
    size_t n = pw_quality_check(&s, f, 4);
    cr_assert_eq(n, 1);
    cr_assert_eq(f[0].kind, PW_QF_EARLY_OVERSHOOT);
    double late[] = {80, 85, 90, 96};
    s = series(0, 95, 4, late, 4);
    cr_assert_eq(pw_quality_check(&s, f, 4), 0, "April is not the first quarter");
    /* down direction: a ratio of 1.2 against a ceiling of 1.56 is 'above' the target */
    double down[] = {1.2};
    s = series(0, 1.56, 1, down, 1);
    s.direction_up = 0;
    cr_assert_eq(pw_quality_check(&s, f, 4), 1);
}

Test(quality, median_of_even_and_odd_counts)
{
    double a[] = {3, 1, 2};
    double b[] = {4, 1, 3, 2};
    cr_assert_float_eq(pw_quality_median(a, 3), 2, 1e-12);
    cr_assert_float_eq(pw_quality_median(b, 4), 2.5, 1e-12);
}

static int quality_ref_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median as the C library's qsort orders the values (what the flags
 * were computed with before the small sort): same bits, signed zeros
 * included. */
static double quality_ref_median(const double *v, size_t n)
{
    double tmp[16];
    memcpy(tmp, v, n * sizeof *v);
    qsort(tmp, n, sizeof *tmp, quality_ref_cmp);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

Test(quality, median_matches_the_library_sort_bit_for_bit)
{
    static const double pool[] = {0.0, -0.0, 1, -1, 2.5, 2.5, 1e300, -1e-300, 7, 3};
    unsigned seed = 12345;
    for (int t = 0; t < 20000; t++) {
        double v[16];
        size_t n = 1 + (size_t)(t % 16);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = pool[(seed >> 16) % (sizeof pool / sizeof pool[0])];
        }
        double got = pw_quality_median(v, n), want = quality_ref_median(v, n);
        cr_assert(memcmp(&got, &want, sizeof got) == 0, "case %d: %g vs %g", t, got, want);
    }
}

Test(quality, rounding_noise_in_a_regular_history_is_not_an_outlier)
{
    /* increments 9.39, 9.4, 9.39, 9.4, 9.39 then 9.3: MAD 0.01 would give z = -6 */
    double v[] = {9.39, 18.79, 28.18, 37.58, 46.97, 56.27};
    pw_quality_series s = series(1, 1000, 6, v, 6);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
}

Test(quality, a_skipped_month_does_not_double_the_increase)
{
    /* 10 a month, November missing: December's 20 over two months is 10 a month */
    double v[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, -1, 120};
    pw_quality_series s = series(1, 1000, 12, v, 12);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
}

Test(quality, a_small_absolute_change_is_not_an_outlier)
{
    /* increments 5, 5, 4.9, 5 then 6: MAD 0, mean absolute deviation 0.025
     * floored at 5 % of 5 -> z = 1 / (1.253314 * 0.25 / 1.253314) = 4 > 3.5,
     * but the gap 1 is less than half the usual 5: noise, not a lead */
    double v[] = {5, 10, 15, 19.9, 24.9, 30.9};
    pw_quality_series s = series(1, 60, 6, v, 6);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
    /* the same history jumping by 15 (gap 10 >= 2.5 and >= 2 % of 60): flagged */
    double w[] = {5, 10, 15, 19.9, 24.9, 39.9};
    s = series(1, 60, 6, w, 6);
    cr_assert_eq(pw_quality_check(&s, f, 4), 1);
    cr_assert_eq(f[0].kind, PW_QF_OUTLIER);
    cr_assert_float_eq(f[0].b, 15, 1e-9);
}

Test(quality, zero_since_january_is_not_stale_and_a_slow_month_is_not_an_outlier)
{
    /* 0, 0, 0: nothing started; the red light says it, not a data-quality flag */
    double zero[] = {0, 0, 0, 0};
    pw_quality_series s = series(1, 5, 4, zero, 4);
    pw_quality_flag f[4];
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
    /* 1, 1, 1 against a target of 3 is */
    double one[] = {0, 1, 1, 1};
    s = series(1, 3, 4, one, 4);
    cr_assert_eq(pw_quality_check(&s, f, 4), 1);
    cr_assert_eq(f[0].kind, PW_QF_STALE);
    /* increments 10, 12, 9, 11, 10 then 0: far below, but a slow month of a
     * cumulative count is not a lead */
    double slow[] = {10, 20, 32, 41, 52, 62, 62.5};
    s = series(1, 1000, 7, slow, 7);
    cr_assert_eq(pw_quality_check(&s, f, 4), 0);
}

/* The names are the JSON and CSV values of QualityFlag.kind. */
Test(quality, kind_names)
{
    cr_assert_str_eq(pw_quality_kind_name(PW_QF_CUMULATIVE_DECREASE), "cumulative_decrease");
    cr_assert_str_eq(pw_quality_kind_name(PW_QF_STALE), "stale");
    cr_assert_str_eq(pw_quality_kind_name(PW_QF_OUTLIER), "outlier");
    cr_assert_str_eq(pw_quality_kind_name(PW_QF_EARLY_OVERSHOOT), "early_overshoot");
    cr_assert_str_eq(pw_quality_kind_name(0), "unknown");
    cr_assert_str_eq(pw_quality_kind_name(-3), "unknown");
    cr_assert_str_eq(pw_quality_kind_name(PW_QF_EARLY_OVERSHOOT + 1), "unknown");
}

/* ---- the flags as computed before the speed-ups (quality.c of 4ff6fcf,
 * verbatim but for the names): the same flags, bit for bit, on random
 * series of every kind ---- */
static int ref_quality_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double ref_quality_median(const double *v, size_t n)
{
    double tmp[16];
    if (n == 0 || n > 16)
        return 0;
    memcpy(tmp, v, n * sizeof *v);
    qsort(tmp, n, sizeof *tmp, ref_quality_cmp);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static int ref_quality_target_met(const pw_quality_series *s, double v)
{
    return s->direction_up ? v >= s->target : v <= s->target;
}

/* Stale: three or more consecutive months (m-2..m) with one value x, not
 * 0, target not met.  1 with *flag, else 0. */
static int ref_quality_stale(const pw_quality_series *s, int m, double x, pw_quality_flag *flag)
{
    if (!(m >= 3 && s->has[m - 1] && s->has[m - 2] && s->value[m - 1] == x &&
          s->value[m - 2] == x && x != 0 && !ref_quality_target_met(s, x)))
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
static size_t ref_quality_history(const pw_quality_series *s, int m, int p, double *hist,
                                  double *cur)
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
static double ref_quality_z(const double *hist, size_t h, double med, double cur)
{
    double dev[12];
    for (size_t i = 0; i < h; i++)
        dev[i] = fabs(hist[i] - med);
    double mad = ref_quality_median(dev, h);
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

/* An outlier against the unit's own history.  1 with *flag, else 0. */
static int ref_quality_outlier(const pw_quality_series *s, int m, int p, pw_quality_flag *flag)
{
    double hist[12], cur = 0;
    size_t h = ref_quality_history(s, m, p, hist, &cur);
    if (h < 4)
        return 0;
    double med = ref_quality_median(hist, h);
    double z = ref_quality_z(hist, h, med, cur);
    /* and only when the gap matters to a reader: at least half the usual
     * value and 2 % of the year's target ("increase 6, usual 5" is noise
     * however steady the history) */
    double gap = fabs(cur - med);
    int material =
        gap >= 0.5 * fabs(med) && gap >= 0.02 * fabs(s->target) && (!s->cumulative || cur > med);
    if (!(fabs(z) > 3.5 && material))
        return 0;
    *flag = (pw_quality_flag){PW_QF_OUTLIER, m, m, med, cur, z};
    return 1;
}

static size_t ref_quality_check(const pw_quality_series *s, pw_quality_flag *out, size_t cap)
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
    if (n < cap && ref_quality_stale(s, m, x, &out[n]))
        n++;
    else if (n < cap && ref_quality_outlier(s, m, p, &out[n]))
        n++;
    /* early overshoot: a level above 100 % of its target in Q1 */
    if (!s->cumulative && m <= 3 && s->target != 0 && n < cap) {
        double ratio = s->direction_up ? x / s->target : (x != 0 ? s->target / x : 0);
        if (ratio > 1.0)
            out[n++] = (pw_quality_flag){PW_QF_EARLY_OVERSHOOT, m, m, s->target, x, ratio};
    }
    return n;
}

static double quality_rand_value(unsigned *seed, int style)
{
    *seed = *seed * 1103515245u + 12345u;
    unsigned r = (*seed >> 8) & 0xffff;
    switch (style) {
    case 0: /* steady figures with the odd jump */
        return (r % 16 == 0) ? (double)(r % 5000) : 100 + (double)(r % 7);
    case 1: /* halves and negatives */
        return ((double)(r % 400) - 100) / 2;
    case 2: /* mostly equal values, zeros */
        return (double)(r % 3);
    default: /* percentages */
        return (double)(r % 1000) / 10;
    }
}

Test(quality, same_flags_as_the_original_rules_on_random_series)
{
    unsigned seed = 7;
    for (int t = 0; t < 300000; t++) {
        pw_quality_series s = {.cumulative = t % 2, .direction_up = (t / 2) % 2, .m = 1 + t % 12};
        int style = (t / 4) % 4;
        double acc = 0;
        for (int k = 1; k <= 12; k++) {
            seed = seed * 1103515245u + 12345u;
            s.has[k] = ((seed >> 12) % 8) != 0;
            double v = quality_rand_value(&seed, style);
            acc = s.cumulative && style != 2 ? acc + fabs(v) : v;
            s.value[k] = acc;
        }
        seed = seed * 1103515245u + 12345u;
        s.target = (double)((seed >> 8) % 20000) / 4;
        pw_quality_flag got[4], want[4];
        memset(got, 0, sizeof got);
        memset(want, 0, sizeof want);
        size_t ng = pw_quality_check(&s, got, 4), nw = ref_quality_check(&s, want, 4);
        cr_assert_eq(ng, nw, "case %d: %zu flags, the original rules give %zu", t, ng, nw);
        cr_assert(memcmp(got, want, sizeof got) == 0, "case %d: flags differ", t);
    }
}
