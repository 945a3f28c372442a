/*
 * score.c - the scoring engine (SPEC 3.5).
 *
 * Design notes
 * - Pure: no I/O, no SQLite, no clock, no globals; the only side effect is
 *   the memory of the result, which pw_score_result_free releases.  The same
 *   input always gives the same result, byte for byte.
 * - Validate everything first, compute second: pw_score_evaluate refuses bad
 *   input before it allocates the result, so a computation never meets an
 *   enum value, a NaN or an unknown item it has to guess about.
 * - Every item is computed by one function per kind that also writes the
 *   explanation lines; the number in `points` and the lines come from the same
 *   variables, so they cannot disagree.  Deduction kinds start at max, award
 *   kinds at 0, and every item ends clamped to [0, max] (score_item_clamp).
 * - Findings are visited in id order (a private sorted array of pointers), so
 *   "latest" means largest id and explanations do not depend on input order.
 * - Totals are rounded to two decimals (pw_score_round2) and compared as
 *   whole hundredths (score_key): what people see is what is compared.  The
 *   rounding first snaps to 1e-9 in integers, so binary noise cannot decide
 *   a half (96.495 -> 96.50).  Equality of keys is transitive, so ranks are
 *   well defined.
 * - Result order: category (order of input sheets), rank, unit id (strcmp).
 * - Allocation failures unwind everything and return PW_RESOURCE_EXHAUSTED;
 *   *out is written only on success.
 */
#include "server/engine/score.h"

#include "common/status.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names --------------------------------------------------------------- */

static const struct {
    const char *name;
    int deduction;
    int computed;
} score_kinds[PW_SCORE_KIND_COUNT] = {
#define PW_SCORE_KIND_ROW(sym, name, deduction, computed)                                          \
    [PW_SCORE_##sym] = {name, deduction, computed},
    PW_SCORE_KIND_MAP(PW_SCORE_KIND_ROW)
#undef PW_SCORE_KIND_ROW
};

static int score_kind_ok(pw_score_kind kind)
{
    return (int)kind >= 0 && (int)kind < PW_SCORE_KIND_COUNT;
}

const char *pw_score_kind_name(pw_score_kind kind)
{
    return score_kind_ok(kind) ? score_kinds[kind].name : "?";
}

int pw_score_kind_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < PW_SCORE_KIND_COUNT; i++)
        if (strcmp(score_kinds[i].name, name) == 0)
            return i;
    return -1;
}

int pw_score_kind_is_computed(pw_score_kind kind)
{
    return score_kind_ok(kind) ? score_kinds[kind].computed : -1;
}

const char *pw_score_grade_name(pw_score_grade grade)
{
    switch (grade) {
    case PW_SCORE_EXCELLENT:
        return "excellent";
    case PW_SCORE_QUALIFIED:
        return "qualified";
    case PW_SCORE_UNQUALIFIED:
        return "unqualified";
    }
    return "?";
}

const char *pw_score_flag_name(pw_score_flag flag)
{
    switch (flag) {
    case PW_SCORE_FLAG_COMMEND:
        return "commend";
    case PW_SCORE_FLAG_CRITICISE:
        return "criticise";
    case PW_SCORE_FLAG_NONE:
        break;
    }
    return NULL;
}

/* ---- errors and numbers -------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int score_fail(char *err, size_t errlen,
                                                            const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return PW_INVALID_ARGUMENT;
}

/* Prefix an error already in err with "<prefix>: ". */
static void score_err_prefix(char *err, size_t errlen, const char *prefix)
{
    char tmp[512];

    if (err == NULL || errlen == 0)
        return;
    snprintf(tmp, sizeof(tmp), "%s: %s", prefix, err);
    snprintf(err, errlen, "%s", tmp);
}

double pw_score_round2(double x)
{
    long long nano, cents;

    if (!isfinite(x))
        return x;
    if (fabs(x) >= 1e6)
        return round(x * 100.0) / 100.0;
    /* whole 1e-9 (|x| * 1e9 < 2^53: exact to the last unit), then whole
     * hundredths, the half going away from zero */
    nano = llround(fabs(x) / PW_SCORE_RESOLUTION);
    cents = (nano + 5000000LL) / 10000000LL;
    return (x < 0 ? -(double)cents : (double)cents) / 100.0;
}

/* Totals as compared: whole hundredths of the rounded total. */
static double score_key(double points)
{
    return round(pw_score_round2(points) * 100.0);
}

pw_score_grade pw_score_grade_of(double total)
{
    double key = score_key(total);

    if (key >= score_key(90.0))
        return PW_SCORE_EXCELLENT;
    if (key >= score_key(70.0))
        return PW_SCORE_QUALIFIED;
    return PW_SCORE_UNQUALIFIED;
}

/*
 * Parse a plain decimal ("12", "0.5", "+3.", "-1.25") of len bytes, without
 * the C locale.  Returns 0 and writes *out, or -1 when it is not such a
 * number (at most 15 significant digits, so the value is exact to the last
 * digit).
 */
static int score_decimal_parse(const char *s, size_t len, double *out)
{
    size_t i = 0;
    int negative = 0, digits = 0, significant = 0, scale = 0, seen_dot = 0;
    double mantissa = 0.0;

    if (i < len && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    for (; i < len; i++) {
        if (s[i] == '.' && !seen_dot) {
            seen_dot = 1;
        } else if (s[i] >= '0' && s[i] <= '9') {
            digits++;
            if (significant > 0 || s[i] != '0')
                significant++;
            if (significant > 15)
                return -1;
            mantissa = mantissa * 10.0 + (s[i] - '0');
            if (seen_dot)
                scale++;
        } else {
            return -1;
        }
    }
    if (digits == 0 || scale > 22)
        return -1;
    mantissa /= pow(10.0, scale);
    *out = negative ? -mantissa : mantissa;
    return 0;
}

/* ---- params -------------------------------------------------------------- */

typedef struct score_param_spec {
    const char *key;
    size_t offset; /* into pw_score_params */
    double def;
} score_param_spec;

#define SCORE_PARAM(field, def)                                                                    \
    {                                                                                              \
#field, offsetof(pw_score_params, field), def                                              \
    }

static const score_param_spec score_params_monthly[] = {SCORE_PARAM(deduct, 0.5)};
static const score_param_spec score_params_halfyear[] = {SCORE_PARAM(deduct, 2.0)};
static const score_param_spec score_params_event[] = {SCORE_PARAM(deduct, 1.0)};
static const score_param_spec score_params_supervision[] = {SCORE_PARAM(deduct, 1.0)};
static const score_param_spec score_params_amount[] = {
    SCORE_PARAM(per, 1000.0), SCORE_PARAM(award, 0.5), SCORE_PARAM(cap, 4.0)};

#define SCORE_MAX_PARAMS 3

static const struct {
    const score_param_spec *specs;
    int n;
} score_param_table[PW_SCORE_KIND_COUNT] = {
    [PW_SCORE_MONTHLY_TIMELINESS] = {score_params_monthly, 1},
    [PW_SCORE_HALFYEAR_REPORTS] = {score_params_halfyear, 1},
    [PW_SCORE_PER_EVENT] = {score_params_event, 1},
    [PW_SCORE_PER_AMOUNT] = {score_params_amount, 3},
    [PW_SCORE_SUPERVISION] = {score_params_supervision, 1},
};

static double *score_param_field(pw_score_params *p, const score_param_spec *spec)
{
    return (double *)(void *)((char *)p + spec->offset);
}

static double score_param_get(const pw_score_params *p, const score_param_spec *spec)
{
    return *(const double *)(const void *)((const char *)p + spec->offset);
}

/* "per, award, cap" */
static void score_param_keys(pw_score_kind kind, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; i < score_param_table[kind].n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                                 score_param_table[kind].specs[i].key);
}

/* Range rules shared by the parser and the sheet check. */
static int score_param_value_check(pw_score_kind kind, const score_param_spec *spec, double v,
                                   char *err, size_t errlen)
{
    if (!isfinite(v))
        return score_fail(err, errlen, "params: %s is not a finite number", spec->key);
    if (v < 0)
        return score_fail(err, errlen, "params: %s: %.10g must not be negative", spec->key, v);
    if (kind == PW_SCORE_PER_AMOUNT && strcmp(spec->key, "per") == 0 && v == 0)
        return score_fail(err, errlen, "params: per must be greater than 0");
    return PW_OK;
}

static int score_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim [*b, *e) of blanks. */
static void score_trim(const char **b, const char **e)
{
    while (*b < *e && score_is_space(**b))
        (*b)++;
    while (*e > *b && score_is_space((*e)[-1]))
        (*e)--;
}

int pw_score_params_parse(pw_score_kind kind, const char *text, pw_score_params *out, char *err,
                          size_t errlen)
{
    pw_score_params p;
    int seen[SCORE_MAX_PARAMS] = {0};
    char keys[64];
    const char *s;
    int rv;

    if (out == NULL)
        return score_fail(err, errlen, "params: no output");
    if (!score_kind_ok(kind))
        return score_fail(err, errlen, "unknown item kind %d", (int)kind);
    memset(&p, 0, sizeof(p));
    for (int i = 0; i < score_param_table[kind].n; i++)
        *score_param_field(&p, &score_param_table[kind].specs[i]) =
            score_param_table[kind].specs[i].def;

    for (s = text ? text : ""; *s != '\0';) {
        const char *end = strchr(s, ';');
        const char *kb = s, *ke, *vb, *ve, *eq;
        const score_param_spec *spec = NULL;
        int idx = -1;
        double v;

        if (end == NULL)
            end = s + strlen(s);
        ke = end;
        score_trim(&kb, &ke);
        s = *end ? end + 1 : end;
        if (kb == ke)
            continue; /* empty pair, e.g. a trailing ';' */
        eq = memchr(kb, '=', (size_t)(ke - kb));
        if (eq == NULL)
            return score_fail(err, errlen, "params: \"%.*s\" is not key=value", (int)(ke - kb), kb);
        vb = eq + 1;
        ve = ke;
        ke = eq;
        score_trim(&kb, &ke);
        score_trim(&vb, &ve);
        if (kb == ke)
            return score_fail(err, errlen, "params: a value without a key");
        for (int i = 0; i < score_param_table[kind].n; i++) {
            const score_param_spec *c = &score_param_table[kind].specs[i];
            if (strlen(c->key) == (size_t)(ke - kb) && memcmp(c->key, kb, (size_t)(ke - kb)) == 0) {
                spec = c;
                idx = i;
            }
        }
        if (spec == NULL) {
            if (score_param_table[kind].n == 0)
                return score_fail(err, errlen,
                                  "params: kind %s takes no parameters, got key \"%.*s\"",
                                  score_kinds[kind].name, (int)(ke - kb), kb);
            score_param_keys(kind, keys, sizeof(keys));
            return score_fail(err, errlen, "params: unknown key \"%.*s\" for kind %s (takes %s)",
                              (int)(ke - kb), kb, score_kinds[kind].name, keys);
        }
        if (seen[idx]++)
            return score_fail(err, errlen, "params: key \"%s\" given twice", spec->key);
        if (score_decimal_parse(vb, (size_t)(ve - vb), &v) != 0)
            return score_fail(err, errlen, "params: %s: \"%.*s\" is not a number", spec->key,
                              (int)(ve - vb), vb);
        if ((rv = score_param_value_check(kind, spec, v, err, errlen)) != PW_OK)
            return rv;
        *score_param_field(&p, spec) = v;
    }
    *out = p;
    return PW_OK;
}

/* ---- sheets -------------------------------------------------------------- */

int pw_score_sheet_check(const pw_score_sheet *sheet, char *err, size_t errlen)
{
    double sum = 0.0;
    char prefix[64];
    int rv;

    if (sheet == NULL)
        return score_fail(err, errlen, "no sheet");
    if (sheet->category == NULL || sheet->category[0] == '\0')
        return score_fail(err, errlen, "the sheet has no category");
    if (sheet->n_items == 0 || sheet->items == NULL)
        return score_fail(err, errlen, "the sheet has no items");
    if (sheet->commend_top < 0 || sheet->criticise_bottom < 0)
        return score_fail(err, errlen, "commend_top %d and criticise_bottom %d must be >= 0",
                          sheet->commend_top, sheet->criticise_bottom);
    for (size_t i = 0; i < sheet->n_items; i++) {
        const pw_score_item *it = &sheet->items[i];

        if (it->number <= 0)
            return score_fail(err, errlen, "item %d: the item number must be greater than 0",
                              it->number);
        for (size_t j = 0; j < i; j++)
            if (sheet->items[j].number == it->number)
                return score_fail(err, errlen, "item %d: the item number appears twice",
                                  it->number);
        if (!isfinite(it->max_points) || it->max_points <= 0)
            return score_fail(err, errlen, "item %d: max_points %.10g must be greater than 0",
                              it->number, it->max_points);
        if (!score_kind_ok(it->kind))
            return score_fail(err, errlen, "item %d: unknown kind %d", it->number, (int)it->kind);
        for (int k = 0; k < score_param_table[it->kind].n; k++) {
            const score_param_spec *spec = &score_param_table[it->kind].specs[k];
            rv = score_param_value_check(it->kind, spec, score_param_get(&it->params, spec), err,
                                         errlen);
            if (rv != PW_OK) {
                snprintf(prefix, sizeof(prefix), "item %d", it->number);
                score_err_prefix(err, errlen, prefix);
                return rv;
            }
        }
        sum += it->max_points;
    }
    if (fabs(sum - PW_SCORE_SHEET_TOTAL) > PW_SCORE_SHEET_TOLERANCE)
        return score_fail(err, errlen, "the items add up to %.10g points, not 100", sum);
    return PW_OK;
}

const pw_score_item *pw_score_sheet_item(const pw_score_sheet *sheet, int number)
{
    if (sheet == NULL || sheet->items == NULL)
        return NULL;
    for (size_t i = 0; i < sheet->n_items; i++)
        if (sheet->items[i].number == number)
            return &sheet->items[i];
    return NULL;
}

/* all_or_nothing accepts max within this tolerance (points typed as text). */
#define SCORE_POINTS_TOLERANCE 1e-9

int pw_score_finding_check(const pw_score_item *item, double value, char *err, size_t errlen)
{
    if (item == NULL)
        return score_fail(err, errlen, "no item");
    if (!score_kind_ok(item->kind))
        return score_fail(err, errlen, "item %d: unknown kind %d", item->number, (int)item->kind);
    if (score_kinds[item->kind].computed && item->kind != PW_SCORE_WORK_PERFORMANCE)
        return score_fail(err, errlen,
                          "item %d (%s) is computed by the server; it takes no findings",
                          item->number, score_kinds[item->kind].name);
    if (!isfinite(value))
        return score_fail(err, errlen, "item %d (%s): the value is not a finite number",
                          item->number, score_kinds[item->kind].name);
    switch (item->kind) {
    case PW_SCORE_MANUAL:
    case PW_SCORE_WORK_PERFORMANCE: /* points for a unit with nothing to be judged on */
        if (value < 0 || value > item->max_points)
            return score_fail(err, errlen, "item %d (%s): points %.10g outside [0, %.10g]",
                              item->number, score_kinds[item->kind].name, value, item->max_points);
        break;
    case PW_SCORE_ALL_OR_NOTHING:
        if (value != 0 && fabs(value - item->max_points) > SCORE_POINTS_TOLERANCE)
            return score_fail(err, errlen,
                              "item %d (all_or_nothing): points must be 0 or %.10g, got %.10g",
                              item->number, item->max_points, value);
        break;
    case PW_SCORE_PER_EVENT:
        if (value < 1 || value != floor(value))
            return score_fail(err, errlen,
                              "item %d (per_event): the count must be a whole number >= 1, "
                              "got %.10g",
                              item->number, value);
        break;
    case PW_SCORE_PER_AMOUNT:
        if (value < 0)
            return score_fail(err, errlen, "item %d (per_amount): the amount %.10g is negative",
                              item->number, value);
        break;
    default:
        break;
    }
    return PW_OK;
}

/* ---- explanations -------------------------------------------------------- */

static void score_explanation_fini(pw_score_explanation *why)
{
    for (size_t i = 0; i < why->n_lines; i++)
        free(why->lines[i]);
    free(why->lines);
    why->lines = NULL;
    why->n_lines = 0;
}

__attribute__((format(printf, 2, 3))) static int score_line(pw_score_explanation *why,
                                                            const char *fmt, ...)
{
    char **grown;
    char *line;
    va_list ap;
    int n;

    if (why->quiet)
        return PW_OK;
    va_start(ap, fmt);
    n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return PW_RESOURCE_EXHAUSTED;
    grown = realloc(why->lines, (why->n_lines + 1) * sizeof(*grown));
    if (grown == NULL) {
        free(line);
        return PW_RESOURCE_EXHAUSTED;
    }
    grown[why->n_lines++] = line;
    why->lines = grown;
    return PW_OK;
}

/* " (note)" or "" */
static const char *score_note_open(const pw_score_finding *f)
{
    return f->note != NULL && f->note[0] != '\0' ? " (" : "";
}

static const char *score_note_text(const pw_score_finding *f)
{
    return f->note != NULL && f->note[0] != '\0' ? f->note : "";
}

static const char *score_note_close(const pw_score_finding *f)
{
    return f->note != NULL && f->note[0] != '\0' ? ")" : "";
}

#define SCORE_NOTE(f) score_note_open(f), score_note_text(f), score_note_close(f)

/* ---- items --------------------------------------------------------------- */

/* What an item computation needs about the unit. */
typedef struct score_ctx {
    const pw_score_window *window;
    double t;
    const pw_score_unit *unit;
    const pw_score_sheet *sheet;
    /* work_performance of units with nothing to be judged on: per item of
     * the sheet, the mean points over the category's units with indicators
     * (perf_n[i] of them; 0: none) */
    const double *perf_mean;
    const size_t *perf_n;
    const pw_score_finding **findings; /* sorted by id */
    size_t n_findings;
} score_ctx;

static int score_window_has(const pw_score_window *w, int month)
{
    return month >= w->first_month && month <= w->last_month;
}

/* Clamp to [0, max] and say so; `raw` is the value before clamping. */
static int score_item_clamp(const pw_score_item *item, pw_score_item_result *r, double raw)
{
    if (raw < 0) {
        r->points = 0;
        return score_line(&r->why, "%.2f is below 0: floored at 0.00", raw);
    }
    if (raw > item->max_points) {
        r->points = item->max_points;
        return score_line(&r->why, "%.2f is above the maximum: capped at %.2f", raw,
                          item->max_points);
    }
    r->points = raw;
    return PW_OK;
}

/* Deduction kinds: max - deducted, clamped, with a summary line. */
static int score_deduction_finish(const pw_score_item *item, pw_score_item_result *r,
                                  double deducted)
{
    double raw = item->max_points - deducted;
    int rv;

    if (deducted == 0)
        rv = score_line(&r->why, "no deduction: %.2f of %.2f", item->max_points, item->max_points);
    else
        rv = score_line(&r->why, "%.2f - %.2f deducted = %.2f", item->max_points, deducted, raw);
    if (rv != PW_OK)
        return rv;
    return score_item_clamp(item, r, raw);
}

/* The line of one month or half-year; adds the deduction to *deducted. */
static int score_submission_line(pw_score_item_result *r, const char *label,
                                 const pw_score_submission *s, double deduct, int late_is_missing,
                                 double *deducted)
{
    const char *open = s->deadline_note ? " (" : "";
    const char *note = s->deadline_note ? s->deadline_note : "";
    const char *close = s->deadline_note ? ")" : "";

    if (!s->deadline_passed)
        return score_line(&r->why, "%s: deadline not passed yet, not counted%s%s%s", label, open,
                          note, close);
    switch (s->receipt) {
    case PW_SCORE_ON_TIME:
        return score_line(&r->why, "%s: on time%s%s%s", label, open, note, close);
    case PW_SCORE_LATE:
        *deducted += deduct;
        return score_line(&r->why, "%s: late %d day%s%s, -%.10g%s%s%s", label, s->days_late,
                          s->days_late == 1 ? "" : "s",
                          late_is_missing ? ", counts as missing" : "", deduct, open, note, close);
    case PW_SCORE_MISSING:
        *deducted += deduct;
        return score_line(&r->why, "%s: missing, -%.10g%s%s%s", label, deduct, open, note, close);
    case PW_SCORE_NOT_EXPECTED:
        break;
    }
    return score_line(&r->why, "%s: no report expected, not counted", label);
}

static int score_item_monthly(const score_ctx *c, const pw_score_item *item,
                              pw_score_item_result *r)
{
    double deducted = 0;
    char label[32];
    int rv;

    for (int m = c->window->first_month; m <= c->window->last_month; m++) {
        snprintf(label, sizeof(label), "%04d-%02d", c->window->year, m);
        rv = score_submission_line(r, label, &c->unit->months[m - 1], item->params.deduct, 0,
                                   &deducted);
        if (rv != PW_OK)
            return rv;
    }
    return score_deduction_finish(item, r, deducted);
}

static int score_item_halfyear(const score_ctx *c, const pw_score_item *item,
                               pw_score_item_result *r)
{
    double deducted = 0;
    char label[32];
    int rv;

    for (int h = 1; h <= 2; h++) {
        snprintf(label, sizeof(label), "%04d-H%d", c->window->year, h);
        if (!score_window_has(c->window, 6 * h))
            rv = score_line(&r->why, "%s: not in the window, not counted", label);
        else
            rv = score_submission_line(r, label, &c->unit->halfyears[h - 1], item->params.deduct, 1,
                                       &deducted);
        if (rv != PW_OK)
            return rv;
    }
    return score_deduction_finish(item, r, deducted);
}

/* Contribution of one indicator to work performance (SPEC 3.5). */
static double score_contribution(const pw_score_indicator *ind, double t, int *capped)
{
    double ratio;

    *capped = 0;
    if (ind->by_light)
        return ind->light == 0 ? 1.0 : ind->light == 1 ? 0.5 : 0.0;
    ratio = ind->progress / t;
    if (ratio > 1.0) {
        ratio = 1.0;
        *capped = 1;
    }
    return ratio;
}

/* max x mean contribution, unclamped; the unit has indicators. */
static double score_performance_raw(const pw_score_unit *u, const pw_score_item *item, double t)
{
    double sum = 0;
    int capped;

    for (size_t i = 0; i < u->n_indicators; i++)
        sum += score_contribution(&u->indicators[i], t, &capped);
    return item->max_points * (sum / (double)u->n_indicators);
}

static const char *score_light_label(int light)
{
    return light == 0 ? "green" : light == 1 ? "yellow" : "red";
}

static int score_item_performance(const score_ctx *c, const pw_score_item *item,
                                  pw_score_item_result *r)
{
    const pw_score_unit *u = c->unit;
    double sum = 0, mean, raw;
    int rv;

    const pw_score_finding *set = NULL;
    for (size_t i = 0; i < c->n_findings; i++)
        if (c->findings[i]->kind == PW_SCORE_FINDING_ITEM && c->findings[i]->item == item->number)
            set = c->findings[i]; /* sorted by id: the latest wins */
    if (u->n_indicators == 0 && set != NULL) {
        rv = score_line(&r->why,
                        "nothing to be judged on in %04d: the office set %.10g points "
                        "(finding #%lld%s%s%s)",
                        c->window->year, set->value, (long long)set->id,
                        set->note && set->note[0] ? ": " : "", set->note ? set->note : "", "");
        if (rv != PW_OK)
            return rv;
        return score_item_clamp(item, r, set->value);
    }
    if (set != NULL && (rv = score_line(&r->why,
                                        "finding #%lld (%.10g points) not used: the unit has "
                                        "indicators to be judged on",
                                        (long long)set->id, set->value)) != PW_OK)
        return rv;
    if (u->n_indicators == 0) {
        size_t k = (size_t)(item - c->sheet->items);
        if (c->perf_n == NULL || c->perf_n[k] == 0) {
            if ((rv = score_line(&r->why,
                                 "nothing to be judged on in %04d, nor any unit of category %s: "
                                 "full marks",
                                 c->window->year, u->category)) != PW_OK)
                return rv;
            return score_item_clamp(item, r, item->max_points);
        }
        rv = score_line(&r->why,
                        "nothing to be judged on in %04d: the mean of the %zu %s unit%s that "
                        "have something, %.2f",
                        c->window->year, c->perf_n[k], u->category, c->perf_n[k] == 1 ? "" : "s",
                        c->perf_mean[k]);
        if (rv != PW_OK)
            return rv;
        return score_item_clamp(item, r, c->perf_mean[k]);
    }
    for (size_t i = 0; i < u->n_indicators; i++) {
        const pw_score_indicator *ind = &u->indicators[i];
        int capped;
        double ratio = score_contribution(ind, c->t, &capped);

        sum += ratio;
        const char *nm = ind->name && ind->name[0] ? ind->name : NULL;
        if (ind->by_light && nm)
            rv = score_line(&r->why,
                            "%s %s%s: 灯 light %s (窗口末月 as of the window's last month) -> %.2f",
                            ind->id, nm, ind->no_report ? " (未报 no report)" : "",
                            score_light_label(ind->light), ratio);
        else if (ind->by_light)
            rv = score_line(&r->why, "%s%s light %s as of the window's last month -> %.2f", ind->id,
                            ind->no_report ? " (no report)" : "", score_light_label(ind->light),
                            ratio);
        else if (nm) /* for people: the name, Chinese labels */
            rv = score_line(&r->why, "%s %s%s: 进度 progress %.2f / 时间进度 t %.2f -> %.2f%s",
                            ind->id, nm, ind->no_report ? " (未报 no report)" : "", ind->progress,
                            c->t, ratio, capped ? " (capped at 1)" : "");
        else
            rv = score_line(&r->why, "%s%s progress %.2f / t %.2f -> %.2f%s", ind->id,
                            ind->no_report ? " (no report)" : "", ind->progress, c->t, ratio,
                            capped ? " (capped at 1)" : "");
        if (rv != PW_OK)
            return rv;
    }
    mean = sum / (double)u->n_indicators;
    raw = item->max_points * mean;
    rv = score_line(&r->why, "mean %.4f over %zu indicator%s x %.2f = %.2f", mean, u->n_indicators,
                    u->n_indicators == 1 ? "" : "s", item->max_points, raw);
    if (rv != PW_OK)
        return rv;
    return score_item_clamp(item, r, raw);
}

/* The means of score_ctx.perf_mean for one sheet; *mean and *n have
 * sheet->n_items entries. */
static void score_performance_means(const pw_score_input *in, const pw_score_sheet *sheet, double t,
                                    double *mean, size_t *n)
{
    for (size_t k = 0; k < sheet->n_items; k++) {
        const pw_score_item *item = &sheet->items[k];
        double sum = 0;

        mean[k] = 0;
        n[k] = 0;
        if (item->kind != PW_SCORE_WORK_PERFORMANCE)
            continue;
        for (size_t i = 0; i < in->n_units; i++) {
            const pw_score_unit *u = &in->units[i];
            double raw;
            if (u->n_indicators == 0 || strcmp(u->category, sheet->category) != 0)
                continue;
            raw = score_performance_raw(u, item, t);
            sum += raw < 0 ? 0 : raw > item->max_points ? item->max_points : raw;
            n[k]++;
        }
        if (n[k])
            mean[k] = pw_score_round2(sum / (double)n[k]);
    }
}

static int score_finding_on(const pw_score_finding *f, const pw_score_item *item)
{
    return f->kind == PW_SCORE_FINDING_ITEM && f->item == item->number;
}

static int score_item_events(const score_ctx *c, const pw_score_item *item, pw_score_item_result *r)
{
    double count = 0;
    int rv;

    for (size_t i = 0; i < c->n_findings; i++) {
        const pw_score_finding *f = c->findings[i];
        if (!score_finding_on(f, item))
            continue;
        count += f->value;
        rv = score_line(&r->why, "finding #%lld: %.10g event%s, -%.10g%s%s%s", (long long)f->id,
                        f->value, f->value == 1 ? "" : "s", f->value * item->params.deduct,
                        SCORE_NOTE(f));
        if (rv != PW_OK)
            return rv;
    }
    if (count == 0 && (rv = score_line(&r->why, "no findings")) != PW_OK)
        return rv;
    return score_deduction_finish(item, r, count * item->params.deduct);
}

static int score_item_latest(const score_ctx *c, const pw_score_item *item, pw_score_item_result *r)
{
    const pw_score_finding *latest = NULL;
    double points;
    int rv;

    for (size_t i = 0; i < c->n_findings; i++)
        if (score_finding_on(c->findings[i], item))
            latest = c->findings[i];
    if (latest == NULL) {
        if ((rv = score_line(&r->why, "no finding: full marks %.2f", item->max_points)) != PW_OK)
            return rv;
        return score_item_clamp(item, r, item->max_points);
    }
    for (size_t i = 0; i < c->n_findings; i++) {
        const pw_score_finding *f = c->findings[i];
        if (!score_finding_on(f, item))
            continue;
        if (f == latest)
            rv = score_line(&r->why, "finding #%lld: %.10g points (latest, used)%s%s%s",
                            (long long)f->id, f->value, SCORE_NOTE(f));
        else
            rv = score_line(&r->why, "finding #%lld: %.10g points, superseded by #%lld%s%s%s",
                            (long long)f->id, f->value, (long long)latest->id, SCORE_NOTE(f));
        if (rv != PW_OK)
            return rv;
    }
    points = latest->value;
    if (item->kind == PW_SCORE_ALL_OR_NOTHING)
        points = points == 0 ? 0 : item->max_points;
    return score_item_clamp(item, r, points);
}

static int score_item_amount(const score_ctx *c, const pw_score_item *item, pw_score_item_result *r)
{
    const pw_score_params *p = &item->params;
    double sum = 0, steps, raw;
    int any = 0, rv;

    for (size_t i = 0; i < c->n_findings; i++) {
        const pw_score_finding *f = c->findings[i];
        if (!score_finding_on(f, item))
            continue;
        any = 1;
        sum += f->value;
        rv = score_line(&r->why, "finding #%lld: amount %.10g%s%s%s", (long long)f->id, f->value,
                        SCORE_NOTE(f));
        if (rv != PW_OK)
            return rv;
    }
    if (!any) {
        if ((rv = score_line(&r->why, "no findings: 0 of %.2f", item->max_points)) != PW_OK)
            return rv;
        return score_item_clamp(item, r, 0);
    }
    /* 0.3 / 0.1 is 2.9999999999999996: a whole step is a whole step. */
    steps = floor(sum / p->per + 1e-9);
    raw = p->award * steps;
    rv = score_line(&r->why, "sum %.10g / per %.10g = %.0f step%s x %.10g = %.2f", sum, p->per,
                    steps, steps == 1 ? "" : "s", p->award, raw);
    if (rv != PW_OK)
        return rv;
    if (raw > p->cap) {
        raw = p->cap;
        if ((rv = score_line(&r->why, "capped at cap %.10g", p->cap)) != PW_OK)
            return rv;
    }
    return score_item_clamp(item, r, raw);
}

static int score_item_supervision(const score_ctx *c, const pw_score_item *item,
                                  pw_score_item_result *r)
{
    double deducted = 0;
    int rv = PW_OK, counted = 0;

    for (size_t i = 0; i < c->unit->n_supervision && rv == PW_OK; i++) {
        const pw_score_supervision *s = &c->unit->supervision[i];
        const char *due = s->deadline ? s->deadline : "?";

        if (!score_window_has(c->window, s->deadline_month))
            continue;
        counted++;
        switch (s->state) {
        case PW_SCORE_SUPERVISION_CLOSED_LATE:
            deducted += item->params.deduct;
            rv = score_line(&r->why,
                            "supervision item #%lld (due %s): closed %d day%s late, "
                            "-%.10g",
                            (long long)s->id, due, s->days_late, s->days_late == 1 ? "" : "s",
                            item->params.deduct);
            break;
        case PW_SCORE_SUPERVISION_OPEN_OVERDUE:
            deducted += item->params.deduct;
            rv = score_line(&r->why,
                            "supervision item #%lld (due %s): still open, overdue, "
                            "-%.10g",
                            (long long)s->id, due, item->params.deduct);
            break;
        case PW_SCORE_SUPERVISION_OPEN:
            rv = score_line(&r->why, "supervision item #%lld (due %s): open, not yet due",
                            (long long)s->id, due);
            break;
        case PW_SCORE_SUPERVISION_ON_TIME:
            rv = score_line(&r->why, "supervision item #%lld (due %s): closed on time",
                            (long long)s->id, due);
            break;
        }
    }
    if (rv == PW_OK && counted == 0)
        rv = score_line(&r->why, "no supervision item due in the window");
    if (rv != PW_OK)
        return rv;
    return score_deduction_finish(item, r, deducted);
}

static int score_item(const score_ctx *c, const pw_score_item *item, pw_score_item_result *r)
{
    r->item = item->number;
    r->kind = item->kind;
    r->max_points = item->max_points;
    switch (item->kind) {
    case PW_SCORE_MONTHLY_TIMELINESS:
        return score_item_monthly(c, item, r);
    case PW_SCORE_HALFYEAR_REPORTS:
        return score_item_halfyear(c, item, r);
    case PW_SCORE_WORK_PERFORMANCE:
        return score_item_performance(c, item, r);
    case PW_SCORE_PER_EVENT:
        return score_item_events(c, item, r);
    case PW_SCORE_MANUAL:
    case PW_SCORE_ALL_OR_NOTHING:
        return score_item_latest(c, item, r);
    case PW_SCORE_PER_AMOUNT:
        return score_item_amount(c, item, r);
    case PW_SCORE_SUPERVISION:
        return score_item_supervision(c, item, r);
    case PW_SCORE_KIND_COUNT:
        break;
    }
    return PW_INTERNAL; /* unreachable: the sheet was checked */
}

/* ---- units --------------------------------------------------------------- */

static void score_unit_result_fini(pw_score_unit_result *r)
{
    for (size_t i = 0; i < r->n_items; i++)
        score_explanation_fini(&r->items[i].why);
    free(r->items);
    score_explanation_fini(&r->why);
    free(r->unit_id);
    free(r->category);
    memset(r, 0, sizeof(*r));
}

static int score_finding_cmp(const void *a, const void *b)
{
    const pw_score_finding *fa = *(const pw_score_finding *const *)a;
    const pw_score_finding *fb = *(const pw_score_finding *const *)b;

    return (fa->id > fb->id) - (fa->id < fb->id);
}

/* Findings of a unit sorted by id; *sorted is NULL when there are none. */
static int score_findings_sort(const pw_score_unit *u, const pw_score_finding ***sorted)
{
    const pw_score_finding **v;

    *sorted = NULL;
    if (u->n_findings == 0)
        return PW_OK;
    if ((v = malloc(u->n_findings * sizeof(*v))) == NULL)
        return PW_RESOURCE_EXHAUSTED;
    for (size_t i = 0; i < u->n_findings; i++)
        v[i] = &u->findings[i];
    qsort(v, u->n_findings, sizeof(*v), score_finding_cmp);
    *sorted = v;
    return PW_OK;
}

static int score_unit_items(score_ctx *cp, const pw_score_sheet *sheet, const pw_score_unit *u,
                            pw_score_unit_result *r);

/* Items, adjustments and total of one unit (no rank yet). */
/* The category means of work performance for one sheet, computed once per
 * evaluation, the first time a unit with nothing to be judged on needs
 * them (units x indicators, not units^2). */
typedef struct score_means {
    int ready;
    double *mean;
    size_t *n;
} score_means;

static int score_unit(const pw_score_input *in, const pw_score_sheet *sheet, const pw_score_unit *u,
                      pw_score_unit_result *r, score_means *m)
{
    score_ctx c;

    memset(&c, 0, sizeof(c));
    c.window = &in->window;
    c.t = in->window.last_month / 12.0;
    c.unit = u;
    c.sheet = sheet;
    if (u->n_indicators == 0) {
        /* nothing to be judged on: the category's mean (SPEC 3.5) */
        if (!m->ready) {
            m->mean = calloc(sheet->n_items, sizeof(*m->mean));
            m->n = calloc(sheet->n_items, sizeof(*m->n));
            if (m->mean == NULL || m->n == NULL)
                return PW_RESOURCE_EXHAUSTED;
            score_performance_means(in, sheet, c.t, m->mean, m->n);
            m->ready = 1;
        }
        c.perf_mean = m->mean;
        c.perf_n = m->n;
    }
    return score_unit_items(&c, sheet, u, r);
}

/* score_unit with the context ready. */
static int score_unit_items(score_ctx *cp, const pw_score_sheet *sheet, const pw_score_unit *u,
                            pw_score_unit_result *r)
{
    score_ctx c = *cp;
    double falsified, raw;
    int rv;

    c.n_findings = u->n_findings;
    if ((r->unit_id = strdup(u->id)) == NULL || (r->category = strdup(u->category)) == NULL)
        return PW_RESOURCE_EXHAUSTED;
    if ((r->items = calloc(sheet->n_items, sizeof(*r->items))) == NULL)
        return PW_RESOURCE_EXHAUSTED;
    r->n_items = sheet->n_items;
    for (size_t i = 0; i < sheet->n_items; i++)
        r->items[i].why.quiet = r->why.quiet;
    if ((rv = score_findings_sort(u, &c.findings)) != PW_OK)
        return rv;

    for (size_t i = 0; i < sheet->n_items && rv == PW_OK; i++) {
        rv = score_item(&c, &sheet->items[i], &r->items[i]);
        r->items_total += r->items[i].points;
    }
    for (size_t i = 0; i < c.n_findings && rv == PW_OK; i++) {
        const pw_score_finding *f = c.findings[i];
        switch (f->kind) {
        case PW_SCORE_FINDING_FALSIFICATION:
            r->falsifications++;
            rv = score_line(&r->why, "finding #%lld: falsification, -%.10g%s%s%s", (long long)f->id,
                            PW_SCORE_FALSIFICATION_POINTS, SCORE_NOTE(f));
            break;
        case PW_SCORE_FINDING_BONUS:
            r->bonuses += f->value;
            rv = score_line(&r->why, "finding #%lld: bonus +%.10g%s%s%s", (long long)f->id,
                            f->value, SCORE_NOTE(f));
            break;
        case PW_SCORE_FINDING_PENALTY:
            r->penalties += f->value;
            rv = score_line(&r->why, "finding #%lld: penalty -%.10g%s%s%s", (long long)f->id,
                            f->value, SCORE_NOTE(f));
            break;
        case PW_SCORE_FINDING_ITEM:
            break;
        }
    }
    free(c.findings);
    if (rv != PW_OK)
        return rv;

    falsified = PW_SCORE_FALSIFICATION_POINTS * r->falsifications;
    raw = r->items_total - falsified + r->bonuses - r->penalties;
    r->raw_total = raw < 0 ? 0 : raw;
    r->total = pw_score_round2(r->raw_total);
    if (r->total == 0.0)
        r->total = 0.0; /* no -0 */
    if (pw_score_round2(raw) == raw || raw < 0)
        rv = score_line(&r->why,
                        "total: items %.2f - falsifications %.2f + bonuses %.2f - penalties %.2f "
                        "= %.2f%s",
                        r->items_total, falsified, r->bonuses, r->penalties, raw,
                        raw < 0 ? ", floored at 0.00" : "");
    else
        rv = score_line(&r->why,
                        "total: items %.10g - falsifications %.2f + bonuses %.2f - penalties "
                        "%.2f = %.10g, rounded to %.2f (ranks, grade and flag use it)",
                        r->items_total, falsified, r->bonuses, r->penalties, raw, r->total);
    if (rv != PW_OK)
        return rv;
    r->grade = pw_score_grade_of(r->total);
    return score_line(&r->why, "grade: %s (%s)", pw_score_grade_name(r->grade),
                      r->grade == PW_SCORE_EXCELLENT   ? ">= 90"
                      : r->grade == PW_SCORE_QUALIFIED ? ">= 70, < 90"
                                                       : "< 70");
}

/* ---- validation ---------------------------------------------------------- */

static const pw_score_sheet *score_sheet_of(const pw_score_input *in, const char *category)
{
    for (size_t i = 0; i < in->n_sheets; i++)
        if (strcmp(in->sheets[i].category, category) == 0)
            return &in->sheets[i];
    return NULL;
}

static int score_submission_check(const pw_score_unit *u, const char *what, int n,
                                  const pw_score_submission *s, char *err, size_t errlen)
{
    if ((int)s->receipt < PW_SCORE_ON_TIME || (int)s->receipt > PW_SCORE_NOT_EXPECTED)
        return score_fail(err, errlen, "unit %s: %s %d: unknown receipt %d", u->id, what, n,
                          (int)s->receipt);
    if (s->receipt == PW_SCORE_LATE && s->days_late < 1)
        return score_fail(err, errlen, "unit %s: %s %d: late by %d days, must be >= 1", u->id, what,
                          n, s->days_late);
    return PW_OK;
}

static int score_findings_check(const pw_score_sheet *sheet, const pw_score_unit *u, char *err,
                                size_t errlen)
{
    char prefix[160];
    int rv;

    if (u->n_findings > 0 && u->findings == NULL)
        return score_fail(err, errlen, "unit %s: findings missing", u->id);
    for (size_t i = 0; i < u->n_findings; i++) {
        const pw_score_finding *f = &u->findings[i];
        const pw_score_item *item;

        for (size_t j = 0; j < i; j++)
            if (u->findings[j].id == f->id)
                return score_fail(err, errlen, "unit %s: finding #%lld appears twice", u->id,
                                  (long long)f->id);
        switch (f->kind) {
        case PW_SCORE_FINDING_ITEM:
            if ((item = pw_score_sheet_item(sheet, f->item)) == NULL)
                return score_fail(err, errlen,
                                  "unit %s: finding #%lld: item %d is not on the %s "
                                  "sheet",
                                  u->id, (long long)f->id, f->item, sheet->category);
            if ((rv = pw_score_finding_check(item, f->value, err, errlen)) != PW_OK) {
                snprintf(prefix, sizeof(prefix), "unit %s: finding #%lld", u->id, (long long)f->id);
                score_err_prefix(err, errlen, prefix);
                return rv;
            }
            break;
        case PW_SCORE_FINDING_BONUS:
        case PW_SCORE_FINDING_PENALTY:
            if (!isfinite(f->value) || f->value < 0)
                return score_fail(err, errlen,
                                  "unit %s: finding #%lld: %s points must be a "
                                  "number >= 0",
                                  u->id, (long long)f->id,
                                  f->kind == PW_SCORE_FINDING_BONUS ? "bonus" : "penalty");
            break;
        case PW_SCORE_FINDING_FALSIFICATION:
            break;
        default:
            return score_fail(err, errlen, "unit %s: finding #%lld: unknown kind %d", u->id,
                              (long long)f->id, (int)f->kind);
        }
    }
    return PW_OK;
}

static int score_unit_check(const pw_score_input *in, const pw_score_unit *u, char *err,
                            size_t errlen)
{
    const pw_score_window *w = &in->window;
    const pw_score_sheet *sheet;
    int rv;

    if (u->id == NULL || u->id[0] == '\0')
        return score_fail(err, errlen, "a unit has no id");
    if (u->category == NULL || (sheet = score_sheet_of(in, u->category)) == NULL)
        return score_fail(err, errlen, "unit %s: no score sheet for category %s", u->id,
                          u->category ? u->category : "(none)");
    for (int m = w->first_month; m <= w->last_month; m++)
        if ((rv = score_submission_check(u, "month", m, &u->months[m - 1], err, errlen)) != 0)
            return rv;
    for (int h = 1; h <= 2; h++)
        if (score_window_has(w, 6 * h) &&
            (rv = score_submission_check(u, "half-year", h, &u->halfyears[h - 1], err, errlen)) !=
                PW_OK)
            return rv;
    if (u->n_indicators > 0 && u->indicators == NULL)
        return score_fail(err, errlen, "unit %s: indicators missing", u->id);
    for (size_t i = 0; i < u->n_indicators; i++) {
        const pw_score_indicator *ind = &u->indicators[i];
        if (ind->id == NULL)
            return score_fail(err, errlen, "unit %s: indicator %zu has no id", u->id, i + 1);
        if (ind->by_light && (ind->light < 0 || ind->light > 2))
            return score_fail(err, errlen, "unit %s: indicator %s: light %d outside 0..2", u->id,
                              ind->id, ind->light);
        if (!isfinite(ind->progress) || ind->progress < 0 || ind->progress > 1)
            return score_fail(err, errlen, "unit %s: indicator %s: progress %.10g outside [0, 1]",
                              u->id, ind->id, ind->progress);
    }
    if (u->n_supervision > 0 && u->supervision == NULL)
        return score_fail(err, errlen, "unit %s: supervision items missing", u->id);
    for (size_t i = 0; i < u->n_supervision; i++) {
        const pw_score_supervision *sv = &u->supervision[i];
        if (sv->deadline_month < 1 || sv->deadline_month > 12)
            return score_fail(err, errlen, "unit %s: supervision item #%lld: month %d", u->id,
                              (long long)sv->id, sv->deadline_month);
        if ((int)sv->state < PW_SCORE_SUPERVISION_ON_TIME ||
            (int)sv->state > PW_SCORE_SUPERVISION_OPEN)
            return score_fail(err, errlen, "unit %s: supervision item #%lld: unknown state %d",
                              u->id, (long long)sv->id, (int)sv->state);
        if (sv->state == PW_SCORE_SUPERVISION_CLOSED_LATE && sv->days_late < 1)
            return score_fail(err, errlen,
                              "unit %s: supervision item #%lld: closed late by %d days", u->id,
                              (long long)sv->id, sv->days_late);
    }
    return score_findings_check(sheet, u, err, errlen);
}

static int score_id_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int score_input_check(const pw_score_input *in, char *err, size_t errlen)
{
    const pw_score_window *w = &in->window;
    const char **ids;
    char prefix[96];
    int rv = PW_OK;

    if (w->first_month < 1 || w->last_month > 12 || w->first_month > w->last_month)
        return score_fail(err, errlen, "window: months %d..%d are not within 1..12", w->first_month,
                          w->last_month);
    if ((in->n_sheets > 0 && in->sheets == NULL) || (in->n_units > 0 && in->units == NULL))
        return score_fail(err, errlen, "sheets or units missing");
    for (size_t i = 0; i < in->n_sheets; i++) {
        if ((rv = pw_score_sheet_check(&in->sheets[i], err, errlen)) != PW_OK) {
            snprintf(prefix, sizeof(prefix), "sheet %s",
                     in->sheets[i].category ? in->sheets[i].category : "(none)");
            score_err_prefix(err, errlen, prefix);
            return rv;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->sheets[j].category, in->sheets[i].category) == 0)
                return score_fail(err, errlen, "two sheets for category %s",
                                  in->sheets[i].category);
    }
    for (size_t i = 0; i < in->n_units; i++)
        if ((rv = score_unit_check(in, &in->units[i], err, errlen)) != PW_OK)
            return rv;
    if (in->n_overrides > 0 && in->overrides == NULL)
        return score_fail(err, errlen, "overrides missing");
    for (size_t i = 0; i < in->n_overrides; i++) {
        const pw_score_override *o = &in->overrides[i];
        if (o->unit_id == NULL || o->unit_id[0] == '\0')
            return score_fail(err, errlen, "an override has no unit");
        if (o->flag < PW_SCORE_FLAG_NONE || o->flag > PW_SCORE_FLAG_CRITICISE)
            return score_fail(err, errlen, "override of %s: unknown flag %d", o->unit_id, o->flag);
        if (o->reason == NULL || o->reason[0] == '\0')
            return score_fail(err, errlen, "override of %s: no reason", o->unit_id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->overrides[j].unit_id, o->unit_id) == 0)
                return score_fail(err, errlen, "override of %s appears twice", o->unit_id);
    }
    if (in->n_units < 2)
        return PW_OK;
    if ((ids = malloc(in->n_units * sizeof(*ids))) == NULL)
        return PW_RESOURCE_EXHAUSTED;
    for (size_t i = 0; i < in->n_units; i++)
        ids[i] = in->units[i].id;
    qsort(ids, in->n_units, sizeof(*ids), score_id_cmp);
    for (size_t i = 1; i < in->n_units && rv == PW_OK; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            rv = score_fail(err, errlen, "unit %s appears twice", ids[i]);
    free(ids);
    return rv;
}

/* ---- ranking ------------------------------------------------------------- */

typedef struct score_rank_entry {
    size_t sheet; /* index of the category's sheet */
    double key;   /* score_key(total) */
    const char *id;
    size_t unit; /* index into the unranked results */
} score_rank_entry;

static int score_rank_cmp(const void *a, const void *b)
{
    const score_rank_entry *x = a, *y = b;

    if (x->sheet != y->sheet)
        return x->sheet < y->sheet ? -1 : 1;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return strcmp(x->id, y->id);
}

static const pw_score_override *score_override_of(const pw_score_input *in, const char *unit)
{
    for (size_t i = 0; i < in->n_overrides; i++)
        if (strcmp(in->overrides[i].unit_id, unit) == 0)
            return &in->overrides[i];
    return NULL;
}

/* The computed flag of r: `lower` units of the category score strictly
 * lower, `shared` units (r included) have its total.  Commend only when the
 * whole tie group fits in the top N, so that at most N are commended. */
static int score_flag_computed(const pw_score_sheet *sheet, pw_score_unit_result *r, size_t lower,
                               size_t shared)
{
    int top = sheet->commend_top > 0 ? sheet->commend_top : PW_SCORE_COMMEND_TOP_DEFAULT;
    int bottom =
        sheet->criticise_bottom > 0 ? sheet->criticise_bottom : PW_SCORE_CRITICISE_BOTTOM_DEFAULT;
    char places[32];

    if (bottom == 2)
        snprintf(places, sizeof(places), "last two places");
    else
        snprintf(places, sizeof(places), "last %d place%s", bottom, bottom == 1 ? "" : "s");
    if (r->grade == PW_SCORE_UNQUALIFIED) {
        r->computed_flag = PW_SCORE_FLAG_CRITICISE;
        return score_line(&r->why, "flag criticise: unqualified");
    }
    if (lower < (size_t)bottom) {
        r->computed_flag = PW_SCORE_FLAG_CRITICISE;
        return score_line(&r->why, "flag criticise: %zu unit%s of %s score%s lower (%s)", lower,
                          lower == 1 ? "" : "s", r->category, lower == 1 ? "s" : "", places);
    }
    if (r->grade == PW_SCORE_EXCELLENT && (size_t)r->rank - 1 + shared <= (size_t)top) {
        r->computed_flag = PW_SCORE_FLAG_COMMEND;
        return score_line(&r->why,
                          "flag commend: excellent, not criticised, rank %d within the "
                          "top %d",
                          r->rank, top);
    }
    r->computed_flag = PW_SCORE_FLAG_NONE;
    if (r->grade == PW_SCORE_EXCELLENT && r->rank <= top)
        return score_line(&r->why,
                          "no flag: excellent, but rank %d is shared by %zu units, more than "
                          "the top %d",
                          r->rank, shared, top);
    if (r->grade == PW_SCORE_EXCELLENT)
        return score_line(&r->why, "no flag: excellent, but rank %d is not within the top %d",
                          r->rank, top);
    return score_line(&r->why, "no flag");
}

/* Rank and flag the units of one category: v[0..n) sorted best first. */
static int score_rank_category(const pw_score_input *in, const pw_score_sheet *sheet,
                               score_rank_entry *v, size_t n, pw_score_unit_result *units)
{
    size_t first = 0; /* first entry with the current key */
    int rv;

    for (size_t i = 0; i < n; i++) {
        pw_score_unit_result *r = &units[v[i].unit];
        const pw_score_override *o;
        size_t last = i, lower;

        if (v[i].key != v[first].key)
            first = i;
        while (last + 1 < n && v[last + 1].key == v[i].key)
            last++;
        lower = n - 1 - last;
        r->rank = (int)first + 1;
        r->category_size = (int)n;
        rv = score_line(&r->why, "rank %d of %zu in %s%s", r->rank, n, r->category,
                        last > first ? " (shared)" : "");
        if (rv == PW_OK)
            rv = score_flag_computed(sheet, r, lower, last - first + 1);
        if (rv != PW_OK)
            return rv;
        r->flag = r->computed_flag;
        if ((o = score_override_of(in, r->unit_id)) != NULL) {
            r->flag = (pw_score_flag)o->flag;
            r->flag_by_office = 1;
            r->flag_reason = o->reason;
            rv = score_line(
                &r->why, "the office's decision: %s (reason: %s); by the rules: %s",
                o->flag == PW_SCORE_FLAG_NONE ? "no flag" : pw_score_flag_name(r->flag), o->reason,
                r->computed_flag == PW_SCORE_FLAG_NONE ? "no flag"
                                                       : pw_score_flag_name(r->computed_flag));
            if (rv != PW_OK)
                return rv;
        }
    }
    return PW_OK;
}

/* Rank all results and move them into final order (in-place in *units). */
static int score_rank(const pw_score_input *in, pw_score_unit_result *units, size_t n)
{
    score_rank_entry *v;
    pw_score_unit_result *ordered;
    int rv = PW_OK;

    if (n == 0)
        return PW_OK;
    v = malloc(n * sizeof(*v));
    ordered = malloc(n * sizeof(*ordered));
    if (v == NULL || ordered == NULL) {
        free(v);
        free(ordered);
        return PW_RESOURCE_EXHAUSTED;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].sheet = (size_t)(score_sheet_of(in, units[i].category) - in->sheets);
        v[i].key = score_key(units[i].total);
        v[i].id = units[i].unit_id;
        v[i].unit = i;
    }
    qsort(v, n, sizeof(*v), score_rank_cmp);
    for (size_t b = 0, e; b < n && rv == PW_OK; b = e) {
        for (e = b; e < n && v[e].sheet == v[b].sheet; e++)
            ;
        rv = score_rank_category(in, &in->sheets[v[b].sheet], v + b, e - b, units);
    }
    if (rv == PW_OK) {
        for (size_t i = 0; i < n; i++)
            ordered[i] = units[v[i].unit];
        memcpy(units, ordered, n * sizeof(*units));
    }
    free(v);
    free(ordered);
    return rv;
}

/* ---- the engine ---------------------------------------------------------- */

int pw_score_evaluate(const pw_score_input *in, pw_score_result **out, char *err, size_t errlen)
{
    pw_score_result *res;
    int rv;

    if (in == NULL || out == NULL)
        return score_fail(err, errlen, "no input or no output");
    if ((rv = score_input_check(in, err, errlen)) != PW_OK)
        return rv;
    if ((res = calloc(1, sizeof(*res))) == NULL)
        return PW_RESOURCE_EXHAUSTED;
    res->window = in->window;
    res->t = in->window.last_month / 12.0;
    if (in->n_units > 0 && (res->units = calloc(in->n_units, sizeof(*res->units))) == NULL) {
        free(res);
        return PW_RESOURCE_EXHAUSTED;
    }
    res->n_units = in->n_units;
    score_means *means = calloc(in->n_sheets ? in->n_sheets : 1, sizeof(*means));
    if (means == NULL)
        rv = PW_RESOURCE_EXHAUSTED;
    for (size_t i = 0; i < in->n_units && rv == PW_OK; i++) {
        const pw_score_unit *u = &in->units[i];
        const pw_score_sheet *sheet = score_sheet_of(in, u->category);
        res->units[i].why.quiet = in->explain_only && strcmp(in->explain_only, u->id) != 0;
        rv = score_unit(in, sheet, u, &res->units[i], &means[sheet - in->sheets]);
    }
    for (size_t i = 0; means != NULL && i < in->n_sheets; i++) {
        free(means[i].mean);
        free(means[i].n);
    }
    free(means);
    if (rv == PW_OK)
        rv = score_rank(in, res->units, res->n_units);
    if (rv != PW_OK) {
        pw_score_result_free(res);
        if (rv == PW_RESOURCE_EXHAUSTED)
            score_fail(err, errlen, "out of memory");
        return rv;
    }
    *out = res;
    return PW_OK;
}

void pw_score_result_free(pw_score_result *result)
{
    if (result == NULL)
        return;
    for (size_t i = 0; i < result->n_units; i++)
        score_unit_result_fini(&result->units[i]);
    free(result->units);
    free(result);
}

const pw_score_unit_result *pw_score_result_unit(const pw_score_result *result, const char *unit_id)
{
    if (result == NULL || unit_id == NULL)
        return NULL;
    for (size_t i = 0; i < result->n_units; i++)
        if (strcmp(result->units[i].unit_id, unit_id) == 0)
            return &result->units[i];
    return NULL;
}
