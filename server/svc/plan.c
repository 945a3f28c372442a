/*
 * plan.c - PlanService handlers: Import, Show, Check (SPEC 3.2).
 *
 * Design notes
 * - Import is parse -> validate -> one write.  Both CSV files are read to
 *   the end and every bad row is reported (import_errors.h) before anything
 *   is written; the write fn then replaces the plan inside its savepoint,
 *   so an import is all or nothing.  Whether reports refer to the plan is
 *   decided inside the write fn, on the writer connection, so that no
 *   report can slip in between the check and the replace.
 * - Lookups (units, indicator ids, duplicate targets) go through a small
 *   open-addressing string set in the call arena, so an import costs
 *   O(rows), whatever the size of the plan.
 * - Show for a reporter (or for --unit) is built from
 *   pw_store_plan_assignments, the one definition of "what a unit reports"
 *   (SPEC 3.2), year by year; everyone else sees the whole tree with every
 *   plan-wide and per-unit target.
 * - Every string in a reply lives in the call arena.
 */
#include "server/svc/plan.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/text.h"
#include "planwatch/v1/plan.pb-c.h"
#include "server/svc/admin.h"
#include "server/engine/plan_rules.h"
#include "server/engine/progress.h"
#include "server/svc/import_errors.h"
#include "server/store/store_account.h"
#include "server/store/store_plan.h"
#include "server/store/store_plan_import.h"

#define PLAN_MAX_TEXT 512 /* bytes of a level name or unit of measure */
#define PLAN_MIN_YEAR 2000
#define PLAN_MAX_YEAR 2100

/* ---- a string set in the arena ------------------------------------------ */

typedef struct plan_set {
    pw_arena *a;
    const char **keys; /* borrowed: must outlive the set */
    size_t *vals;
    size_t cap, n; /* cap is 0 or a power of two */
} plan_set;

static uint64_t plan_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void plan_set_init(plan_set *s, pw_arena *a)
{
    memset(s, 0, sizeof *s);
    s->a = a;
}

/* The value of `key`, or SIZE_MAX when absent. */
static size_t plan_set_get(const plan_set *s, const char *key)
{
    if (!s->cap)
        return SIZE_MAX;
    size_t i = (size_t)plan_hash(key) & (s->cap - 1);
    while (s->keys[i]) {
        if (strcmp(s->keys[i], key) == 0)
            return s->vals[i];
        i = (i + 1) & (s->cap - 1);
    }
    return SIZE_MAX;
}

/* Add key -> val unless present: returns the value already stored, or
 * SIZE_MAX when the key was added. */
static size_t plan_set_put(plan_set *s, const char *key, size_t val)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        const char **keys = pw_arena_alloc(s->a, sizeof *keys * ncap);
        size_t *vals = pw_arena_alloc(s->a, sizeof *vals * ncap);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->keys[i])
                continue;
            size_t j = (size_t)plan_hash(s->keys[i]) & (ncap - 1);
            while (keys[j])
                j = (j + 1) & (ncap - 1);
            keys[j] = s->keys[i];
            vals[j] = s->vals[i];
        }
        s->keys = keys;
        s->vals = vals;
        s->cap = ncap;
    }
    size_t i = (size_t)plan_hash(key) & (s->cap - 1);
    while (s->keys[i]) {
        if (strcmp(s->keys[i], key) == 0)
            return s->vals[i];
        i = (i + 1) & (s->cap - 1);
    }
    s->keys[i] = key;
    s->vals[i] = val;
    s->n++;
    return SIZE_MAX;
}

/* ---- messages ----------------------------------------------------------- */

static Planwatch__V1__PlanInfo *plan_info_msg(pw_arena *a, const pw_plan_row *p)
{
    Planwatch__V1__PlanInfo *m = pw_arena_alloc(a, sizeof *m);
    planwatch__v1__plan_info__init(m);
    m->id = (char *)p->id;
    m->name = (char *)p->name;
    m->tz_offset_min = p->tz_offset_min;
    m->due_day = p->due_day;
    m->cadence = (char *)p->cadence;
    m->first_year = p->first_year;
    m->last_year = p->last_year;
    m->imported_at = p->imported_at;
    return m;
}

/* ---- Import: parsing ---------------------------------------------------- */

static const char *const plan_indicator_cols[] = {"indicator_id", "level1",          "level2",
                                                  "level3",       "unit_of_measure", "kind",
                                                  "direction",    "lead_units",      "coop_units"};
enum {
    IND_ID = 1,
    IND_L1,
    IND_L2,
    IND_L3,
    IND_UOM,
    IND_KIND,
    IND_DIR,
    IND_LEAD,
    IND_COOP,
    IND_NCOLS = IND_COOP
};

static const char *const plan_target_cols[] = {"indicator_id", "year", "unit", "target",
                                               "baseline"};
enum { TG_ID = 1, TG_YEAR, TG_UNIT, TG_VALUE, TG_BASE, TG_NCOLS = TG_BASE };

/* Optional columns after the required ones (SPEC 3.2), in any order. */
static const char *const plan_indicator_opt[] = {"resp_units", "aggregate"};
enum { IND_OPT_RESP, IND_OPT_AGG, IND_NOPT };
static const char *const plan_target_opt[] = {"tolerance", "due"};
enum { TG_OPT_TOL, TG_OPT_DUE, TG_NOPT };

typedef struct plan_parse {
    pw_call *c;
    pw_import_errors err;
    const char *ind_file, *tg_file;
    plan_set units; /* unit id -> 0 */
    plan_set ids;   /* indicator id -> index in ind */
    plan_set keys;  /* "indicator\x1fyear\x1funit" -> index in tg */
    pw_plan_import_indicator *ind;
    size_t *ind_line;
    size_t nind, capind;
    pw_plan_import_target *tg;
    size_t *tg_line;
    size_t ntg, captg;
    int first_year, last_year;
    size_t ind_nf, ind_opt[IND_NOPT]; /* fields per indicator row; optional columns */
    size_t tg_nf, tg_opt[TG_NOPT];
} plan_parse;

/* Indicator ids: [A-Za-z0-9][A-Za-z0-9._-]*, up to 64 bytes ("I21.M2"). */
static int plan_valid_indicator_id(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || !strchr("._-", ch)))
            return 0;
    }
    return 1;
}

/* Parse the ';'-separated unit list in field `col` into arena copies;
 * blanks around ids and empty pieces are ignored.  Units must exist and
 * appear once per indicator (lead and coop lists together). */
static int plan_parse_units(plan_parse *p, const pw_csv_record *rec, size_t col, const char *what,
                            const pw_plan_import_indicator *x, const char ***out, size_t *nout)
{
    const char *s = rec->fields[col - 1];
    const char **list = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    while (*s) {
        size_t len = strcspn(s, ";");
        const char *b = s, *e = s + len;
        s = *e ? e + 1 : e;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (b == e)
            continue;
        char *id = pw_arena_strndup(p->c->arena, b, (size_t)(e - b));
        if (plan_set_get(&p->units, id) == SIZE_MAX) {
            pw_import_errors_field(&p->err, p->ind_file, rec, col, "unknown unit '%s' in %s",
                                   pw_import_quote(p->c, id, strlen(id)), what);
            bad = 1;
            continue;
        }
        int dup = 0;
        for (size_t i = 0; i < n && !dup; i++)
            dup = strcmp(list[i], id) == 0;
        for (size_t i = 0; i < x->nleads && !dup; i++)
            dup = strcmp(x->leads[i], id) == 0;
        for (size_t i = 0; i < x->ncoops && !dup; i++)
            dup = strcmp(x->coops[i], id) == 0;
        if (dup) {
            pw_import_errors_field(&p->err, p->ind_file, rec, col, "unit '%s' is listed twice", id);
            bad = 1;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            list = pw_arena_grow(p->c->arena, list, n, cap, sizeof *list);
        }
        list[n++] = id;
    }
    *out = list;
    *nout = n;
    return bad ? -1 : 0;
}

static void plan_parse_indicator(plan_parse *p, const pw_csv_record *rec)
{
    pw_arena *a = p->c->arena;
    if (pw_import_check_fields(&p->err, p->ind_file, rec, p->ind_nf) != 0)
        return;
    if (p->nind == p->capind) {
        size_t cap = p->capind ? p->capind * 2 : 64;
        p->ind = pw_arena_grow(a, p->ind, p->nind, cap, sizeof *p->ind);
        p->ind_line = pw_arena_grow(a, p->ind_line, p->nind, cap, sizeof *p->ind_line);
        p->capind = cap;
    }
    size_t index = p->nind++;
    pw_plan_import_indicator *x = &p->ind[index];
    memset(x, 0, sizeof *x);
    p->ind_line[index] = rec->line;
    const char *const *f = rec->fields;
    x->id = pw_arena_strdup(a, f[IND_ID - 1]);
    if (!plan_valid_indicator_id(f[IND_ID - 1], rec->lens[IND_ID - 1])) {
        pw_import_errors_field(&p->err, p->ind_file, rec, IND_ID,
                               "invalid indicator id '%s': use 1-64 of A-Z a-z 0-9 . _ - "
                               "starting with a letter or digit",
                               pw_import_quote(p->c, f[IND_ID - 1], rec->lens[IND_ID - 1]));
    } else {
        size_t prev = plan_set_put(&p->ids, x->id, index);
        if (prev != SIZE_MAX)
            pw_import_errors_field(&p->err, p->ind_file, rec, IND_ID,
                                   "duplicate indicator id '%s' (first on line %zu)", x->id,
                                   p->ind_line[prev]);
    }
    static const char *const level_names[] = {"level1", "level2", "level3"};
    for (size_t k = 0; k < 3; k++)
        pw_import_check_text(&p->err, p->ind_file, rec, IND_L1 + k, level_names[k], PLAN_MAX_TEXT,
                             0);
    x->level1 = pw_arena_strdup(a, f[IND_L1 - 1]);
    x->level2 = pw_arena_strdup(a, f[IND_L2 - 1]);
    x->level3 = pw_arena_strdup(a, f[IND_L3 - 1]);
    pw_import_check_text(&p->err, p->ind_file, rec, IND_UOM, "unit_of_measure", 64, 1);
    x->uom = pw_arena_strdup(a, f[IND_UOM - 1]);
    const char *kind = f[IND_KIND - 1];
    if (pw_progress_kind_from_name(kind) >= 0)
        x->kind = pw_arena_strdup(a, kind);
    else
        pw_import_errors_field(&p->err, p->ind_file, rec, IND_KIND,
                               "unknown kind '%s': cumulative, level, milestone, threshold or task",
                               pw_import_quote(p->c, kind, rec->lens[IND_KIND - 1]));
    const char *dir = f[IND_DIR - 1];
    if (!pw_plan_direction_fits(x->kind, dir))
        pw_import_errors_field(&p->err, p->ind_file, rec, IND_DIR,
                               "direction band is for threshold indicators only, not %s", x->kind);
    else if (pw_progress_direction_from_name(dir) >= 0)
        x->direction = pw_arena_strdup(a, dir);
    else
        pw_import_errors_field(&p->err, p->ind_file, rec, IND_DIR,
                               "unknown direction '%s': up, down or band",
                               pw_import_quote(p->c, dir, rec->lens[IND_DIR - 1]));
    plan_parse_units(p, rec, IND_LEAD, "lead_units", x, &x->leads, &x->nleads);
    plan_parse_units(p, rec, IND_COOP, "coop_units", x, &x->coops, &x->ncoops);
    if (p->ind_opt[IND_OPT_RESP])
        plan_parse_units(p, rec, p->ind_opt[IND_OPT_RESP], "resp_units", x, &x->resps, &x->nresps);
    x->aggregate = "";
    if (p->ind_opt[IND_OPT_AGG]) {
        size_t col = p->ind_opt[IND_OPT_AGG];
        const char *agg = f[col - 1];
        if (pw_progress_aggregate_from_name(agg) >= 0)
            x->aggregate = pw_arena_strdup(a, agg);
        else
            pw_import_errors_field(&p->err, p->ind_file, rec, col,
                                   "unknown aggregate '%s': sum, mean, min, max, first or empty",
                                   pw_import_quote(p->c, agg, rec->lens[col - 1]));
    }
}

/* Returns 0, or -1 when the file could not be read to its end (bad header,
 * broken CSV): then its ids are incomplete and targets are not checked. */
static int plan_parse_indicators(plan_parse *p, const char *buf, size_t len)
{
    pw_csv_reader r;
    pw_csv_reader_init(&r, buf, len);
    int fatal = pw_import_read_header_opt(&p->err, p->ind_file, &r, plan_indicator_cols, IND_NCOLS,
                                          plan_indicator_opt, IND_NOPT, p->ind_opt, &p->ind_nf);
    if (fatal == 0) {
        pw_csv_record rec;
        int rc;
        size_t rows = 0;
        while ((rc = pw_csv_reader_next(&r, &rec)) == 1) {
            if (pw_csv_record_is_blank(&rec))
                continue;
            rows++;
            plan_parse_indicator(p, &rec);
        }
        if (rc < 0) {
            pw_import_errors_reader(&p->err, p->ind_file, &r);
            fatal = -1;
        } else if (rows == 0) {
            pw_import_errors_add(&p->err, p->ind_file, 2, 0, "no indicators after the header");
        }
    }
    pw_csv_reader_fini(&r);
    return fatal;
}

/* The indicator, year and unit of a target row into *t; *ind receives the
 * indicator's index in p->ind (SIZE_MAX when unknown).  1 when valid. */
static int plan_target_key(plan_parse *p, const pw_csv_record *rec, pw_plan_import_target *t,
                           size_t *ind)
{
    const char *const *f = rec->fields;
    int ok = 1;
    *ind = plan_set_get(&p->ids, f[TG_ID - 1]);
    if (*ind == SIZE_MAX) {
        pw_import_errors_field(
            &p->err, p->tg_file, rec, TG_ID, "a target for indicator '%s', which is not in %s",
            pw_import_quote(p->c, f[TG_ID - 1], rec->lens[TG_ID - 1]), p->ind_file);
        ok = 0;
    } else {
        t->indicator_id = p->ind[*ind].id;
    }
    const char *y = f[TG_YEAR - 1];
    long year = 0;
    if (rec->lens[TG_YEAR - 1] == 4 && strspn(y, "0123456789") == 4)
        year = strtol(y, NULL, 10);
    if (year < PLAN_MIN_YEAR || year > PLAN_MAX_YEAR) {
        pw_import_errors_field(&p->err, p->tg_file, rec, TG_YEAR, "year '%s' is not a year %d..%d",
                               pw_import_quote(p->c, y, rec->lens[TG_YEAR - 1]), PLAN_MIN_YEAR,
                               PLAN_MAX_YEAR);
        ok = 0;
    }
    t->year = (int)year;
    const char *unit = f[TG_UNIT - 1];
    if (unit[0] && plan_set_get(&p->units, unit) == SIZE_MAX) {
        pw_import_errors_field(&p->err, p->tg_file, rec, TG_UNIT, "unknown unit '%s'",
                               pw_import_quote(p->c, unit, rec->lens[TG_UNIT - 1]));
        ok = 0;
    }
    t->unit = pw_arena_strdup(p->c->arena, unit);
    return ok;
}

/* The target value (pw_plan_target_value_ok).  1 when valid. */
static int plan_target_value(plan_parse *p, const pw_csv_record *rec, pw_plan_import_target *t,
                             size_t ind)
{
    const char *const *f = rec->fields;
    int not_finite;
    if (pw_import_parse_number(f[TG_VALUE - 1], &t->value, &not_finite) != 0) {
        pw_import_errors_field(&p->err, p->tg_file, rec, TG_VALUE,
                               not_finite ? "target '%s' is not a finite number"
                                          : "target '%s' is not a number",
                               pw_import_quote(p->c, f[TG_VALUE - 1], rec->lens[TG_VALUE - 1]));
        return 0;
    }
    if (ind != SIZE_MAX && !pw_plan_target_value_ok(p->ind[ind].kind, t->value)) {
        pw_import_errors_field(&p->err, p->tg_file, rec, TG_VALUE,
                               "indicator %s is a %s: its target is 1 (done), not %g",
                               t->indicator_id, p->ind[ind].kind, t->value);
        return 0;
    }
    return 1;
}

/* The optional tolerance (pw_plan_tolerance_rule).  1 when valid. */
static int plan_target_tolerance(plan_parse *p, const pw_csv_record *rec, pw_plan_import_target *t,
                                 size_t ind)
{
    const char *const *f = rec->fields;
    const char *dir = ind != SIZE_MAX ? p->ind[ind].direction : NULL;
    size_t tcol = p->tg_opt[TG_OPT_TOL];
    if (tcol && rec->lens[tcol - 1] && strspn(f[tcol - 1], " \t") != rec->lens[tcol - 1]) {
        int nf;
        if (pw_import_parse_number(f[tcol - 1], &t->tolerance, &nf) != 0 || t->tolerance < 0) {
            pw_import_errors_field(&p->err, p->tg_file, rec, tcol,
                                   "tolerance '%s' is not a number >= 0",
                                   pw_import_quote(p->c, f[tcol - 1], rec->lens[tcol - 1]));
            return 0;
        }
        if (ind != SIZE_MAX && pw_plan_tolerance_rule(dir, 1) == PW_PLAN_TOLERANCE_UNWANTED) {
            pw_import_errors_field(&p->err, p->tg_file, rec, tcol,
                                   "a tolerance is for threshold indicators of direction band; "
                                   "%s is not one",
                                   t->indicator_id);
            return 0;
        }
        t->has_tolerance = 1;
        return 1;
    }
    if (pw_plan_tolerance_rule(dir, 0) == PW_PLAN_TOLERANCE_MISSING) {
        pw_import_errors_field(&p->err, p->tg_file, rec, tcol ? tcol : TG_BASE,
                               "indicator %s is a band: its target needs a tolerance "
                               "(target +- tolerance)",
                               t->indicator_id);
        return 0;
    }
    return 1;
}

/* The optional due month (pw_plan_due_month, milestones and tasks only).
 * 1 when valid. */
static int plan_target_due(plan_parse *p, const pw_csv_record *rec, pw_plan_import_target *t,
                           size_t ind)
{
    const char *const *f = rec->fields;
    size_t dcol = p->tg_opt[TG_OPT_DUE];
    t->due = "";
    if (!dcol || !rec->lens[dcol - 1])
        return 1;
    const char *d = f[dcol - 1], *y = f[TG_YEAR - 1];
    const char *ikind = ind != SIZE_MAX && p->ind[ind].kind ? p->ind[ind].kind : "";
    if (!pw_plan_due_month(d, rec->lens[dcol - 1], y)) {
        pw_import_errors_field(&p->err, p->tg_file, rec, dcol,
                               "due '%s' is not a month YYYY-MM of the target's year %s",
                               pw_import_quote(p->c, d, rec->lens[dcol - 1]),
                               pw_import_quote(p->c, y, rec->lens[TG_YEAR - 1]));
        return 0;
    }
    if (ind != SIZE_MAX && !pw_plan_kind_is_state(ikind)) {
        pw_import_errors_field(&p->err, p->tg_file, rec, dcol,
                               "a due month is for milestones and tasks; %s is %s", t->indicator_id,
                               ikind);
        return 0;
    }
    t->due = pw_arena_strdup(p->c->arena, d);
    return 1;
}

/* The optional baseline.  1 when valid. */
static int plan_target_baseline(plan_parse *p, const pw_csv_record *rec, pw_plan_import_target *t)
{
    const char *base = rec->fields[TG_BASE - 1];
    int not_finite;
    if (!rec->lens[TG_BASE - 1] || strspn(base, " \t") == rec->lens[TG_BASE - 1])
        return 1;
    if (pw_import_parse_number(base, &t->baseline, &not_finite) != 0) {
        pw_import_errors_field(&p->err, p->tg_file, rec, TG_BASE,
                               not_finite ? "baseline '%s' is not a finite number"
                                          : "baseline '%s' is not a number",
                               pw_import_quote(p->c, base, rec->lens[TG_BASE - 1]));
        return 0;
    }
    t->has_baseline = 1;
    return 1;
}

/* Keep a valid target unless another row already set it. */
static void plan_target_keep(plan_parse *p, const pw_csv_record *rec,
                             const pw_plan_import_target *t)
{
    pw_arena *a = p->c->arena;
    if (p->ntg == p->captg) {
        size_t cap = p->captg ? p->captg * 2 : 256;
        p->tg = pw_arena_grow(a, p->tg, p->ntg, cap, sizeof *p->tg);
        p->tg_line = pw_arena_grow(a, p->tg_line, p->ntg, cap, sizeof *p->tg_line);
        p->captg = cap;
    }
    const char *key = pw_arena_printf(a, "%s\x1f%d\x1f%s", t->indicator_id, t->year, t->unit);
    size_t prev = plan_set_put(&p->keys, key, p->ntg);
    if (prev != SIZE_MAX) {
        pw_import_errors_field(
            &p->err, p->tg_file, rec, TG_ID, "duplicate target for %s, %d, %s (first on line %zu)",
            t->indicator_id, t->year, t->unit[0] ? t->unit : "plan-wide", p->tg_line[prev]);
        return;
    }
    p->tg_line[p->ntg] = rec->line;
    p->tg[p->ntg++] = *t;
    if (!p->first_year || t->year < p->first_year)
        p->first_year = t->year;
    if (t->year > p->last_year)
        p->last_year = t->year;
}

/* One row of the targets file: every field is checked (each bad one is
 * reported), then the target is kept. */
static void plan_parse_target(plan_parse *p, const pw_csv_record *rec)
{
    if (pw_import_check_fields(&p->err, p->tg_file, rec, p->tg_nf) != 0)
        return;
    pw_plan_import_target t = {0};
    size_t ind;
    int ok = plan_target_key(p, rec, &t, &ind);
    ok &= plan_target_value(p, rec, &t, ind);
    ok &= plan_target_tolerance(p, rec, &t, ind);
    ok &= plan_target_due(p, rec, &t, ind);
    ok &= plan_target_baseline(p, rec, &t);
    if (ok)
        plan_target_keep(p, rec, &t);
}

static void plan_parse_targets(plan_parse *p, const char *buf, size_t len)
{
    pw_csv_reader r;
    pw_csv_reader_init(&r, buf, len);
    if (pw_import_read_header_opt(&p->err, p->tg_file, &r, plan_target_cols, TG_NCOLS,
                                  plan_target_opt, TG_NOPT, p->tg_opt, &p->tg_nf) == 0) {
        pw_csv_record rec;
        int rc;
        size_t rows = 0;
        while ((rc = pw_csv_reader_next(&r, &rec)) == 1) {
            if (pw_csv_record_is_blank(&rec))
                continue;
            rows++;
            plan_parse_target(p, &rec);
        }
        if (rc < 0)
            pw_import_errors_reader(&p->err, p->tg_file, &r);
        else if (rows == 0)
            pw_import_errors_add(&p->err, p->tg_file, 2, 0,
                                 "no targets after the header: the plan's years come from them");
    }
    pw_csv_reader_fini(&r);
}

/* ---- Import: settings and write ----------------------------------------- */

static int plan_check_settings(pw_call *c, const Planwatch__V1__ImportPlanRequest *r,
                               pw_plan_row *p)
{
    if (!pw_valid_unit_id(r->plan))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "invalid plan id '%s': use 1-64 of a-z 0-9 _ - starting with a "
                            "letter or digit",
                            pw_import_quote(c, r->plan, strlen(r->plan)));
    size_t nl = strlen(r->name);
    char why[160];
    if (nl == 0 || pw_text_check(r->name, nl, 256, PW_TEXT_ONE_LINE, why, sizeof why) != 0) {
        pw_call_violation(c, "name", "%s", nl ? why : "empty");
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--name must be 1-256 bytes of printable UTF-8: %s",
                            nl ? why : "empty");
    }
    p->tz_offset_min = r->has_tz_offset_min ? r->tz_offset_min : 480;
    if (p->tz_offset_min < -720 || p->tz_offset_min > 840)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--tz-offset %d is outside -720..840 minutes east of UTC",
                            p->tz_offset_min);
    p->due_day = r->due_day ? r->due_day : 5;
    if (p->due_day < 1 || p->due_day > 28)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--due-day %d is outside 1..28", p->due_day);
    p->cadence = r->cadence[0] ? r->cadence : "monthly";
    if (strcmp(p->cadence, "monthly") != 0 && strcmp(p->cadence, "quarterly") != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "unknown cadence '%s': monthly or quarterly",
                            pw_import_quote(c, r->cadence, strlen(r->cadence)));
    p->id = r->plan;
    p->name = r->name;
    p->imported_at = c->now;
    return PW_OK;
}

typedef struct plan_import_job {
    pw_call *c;
    pw_plan_row plan;
    const plan_parse *p;
    int replaced;
} plan_import_job;

static int plan_import_write(pw_db *w, void *arg)
{
    plan_import_job *j = arg;
    pw_call *c = j->c;
    int64_t nreports = 0;
    if (pw_store_plan_report_count(w, j->plan.id, &nreports) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read reports");
    if (nreports > 0)
        return pw_call_fail(c, PW_FAILED_PRECONDITION,
                            "plan %s has %lld stored reports: it cannot be replaced any more; "
                            "import the corrected plan under a new --plan id",
                            j->plan.id, (long long)nreports);
    int st = pw_store_plan_replace(w, &j->plan, j->p->ind, j->p->nind, j->p->tg, j->p->ntg,
                                   &j->replaced);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot store plan %s", j->plan.id);
    char obj[80];
    snprintf(obj, sizeof obj, "plan/%s", j->plan.id);
    return pw_call_audit(c, w, obj,
                         "%s plan %s '%s': %zu indicators, %zu targets, years %d-%d, "
                         "due day %d, %s, UTC%+d min",
                         j->replaced ? "replaced" : "imported", j->plan.id, j->plan.name,
                         j->p->nind, j->p->ntg, j->plan.first_year, j->plan.last_year,
                         j->plan.due_day, j->plan.cadence, j->plan.tz_offset_min);
}

/* Parse and check both files of an import or a revision; PW_OK with *out,
 * or the call's failure (every error reported). */
static int plan_parse_files(pw_call *c, ProtobufCBinaryData ind_csv, ProtobufCBinaryData tg_csv,
                            const char *ind_file, const char *tg_file, plan_parse **out)
{
    plan_parse *p = pw_arena_alloc(c->arena, sizeof *p);
    memset(p, 0, sizeof *p);
    p->c = c;
    pw_import_errors_init(&p->err, c);
    p->ind_file = pw_import_file_label(c, ind_file, "indicators.csv");
    p->tg_file = pw_import_file_label(c, tg_file, "targets.csv");
    plan_set_init(&p->units, c->arena);
    plan_set_init(&p->ids, c->arena);
    plan_set_init(&p->keys, c->arena);
    pw_unit_row *units;
    size_t nunits;
    if (pw_store_unit_list(c->db, c->arena, &units, &nunits) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read units");
    for (size_t i = 0; i < nunits; i++)
        plan_set_put(&p->units, units[i].id, i);
    /* a broken indicators file leaves nothing to check the targets against */
    if (plan_parse_indicators(p, (const char *)ind_csv.data, ind_csv.len) == 0 && p->nind > 0)
        plan_parse_targets(p, (const char *)tg_csv.data, tg_csv.len);
    if (p->err.n)
        return pw_import_errors_fail(&p->err);
    *out = p;
    return PW_OK;
}

int pw_svc_plan_import(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ImportPlanRequest *r = (const Planwatch__V1__ImportPlanRequest *)req;
    plan_import_job j = {.c = c};
    int st = plan_check_settings(c, r, &j.plan);
    if (st != PW_OK)
        return st;
    plan_parse *p = NULL;
    if ((st = plan_parse_files(c, r->indicators_csv, r->targets_csv, r->indicators_file,
                               r->targets_file, &p)) != PW_OK)
        return st;
    j.plan.first_year = p->first_year;
    j.plan.last_year = p->last_year;
    j.p = p;
    st = pw_store_write(c->store, c->deadline_us, plan_import_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot import plan %s", j.plan.id);
    Planwatch__V1__ImportPlanResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__import_plan_response__init(out);
    out->plan = plan_info_msg(c->arena, &j.plan);
    out->indicators = (int32_t)p->nind;
    out->targets = (int32_t)p->ntg;
    out->replaced = j.replaced;
    *resp = &out->base;
    return PW_OK;
}

/* ---- Revise ------------------------------------------------------------- */

static Planwatch__V1__PlanRevision *plan_revision_msg(pw_arena *a, const pw_plan_revision_row *r)
{
    Planwatch__V1__PlanRevision *m = pw_arena_alloc(a, sizeof *m);
    planwatch__v1__plan_revision__init(m);
    m->revision = r->rev;
    m->effective = (char *)(r->rev == 0 ? "" : r->effective);
    m->reason = (char *)r->reason;
    m->by_user = (char *)r->by_user;
    m->at = r->at;
    m->indicators = r->indicators;
    m->targets = r->targets;
    return m;
}

typedef struct plan_revise_job {
    pw_call *c;
    pw_plan_row plan;
    const plan_parse *p;
    pw_plan_revision_row rev;
    const char *summary;
} plan_revise_job;

static int plan_revise_write(pw_db *w, void *arg)
{
    plan_revise_job *j = arg;
    pw_call *c = j->c;
    pw_plan_revision_row *revs;
    size_t nrevs;
    /* read on the writer: no other revision can slip in between */
    if (pw_store_plan_revisions(w, c->arena, j->plan.id, &revs, &nrevs) != PW_OK || nrevs == 0)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the revisions of plan %s", j->plan.id);
    const pw_plan_revision_row *last = &revs[nrevs - 1];
    if (strcmp(j->rev.effective, last->effective) <= 0)
        return pw_call_fail(c, PW_FAILED_PRECONDITION,
                            "revision %d of plan %s is effective from %s: a new revision must be "
                            "effective from a later month than %s",
                            last->rev, j->plan.id, last->effective, j->rev.effective);
    j->rev.rev = last->rev + 1;
    int st = pw_store_plan_revise(w, &j->plan, &j->rev, j->p->ind, j->p->nind, j->p->tg, j->p->ntg);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot store the revision of plan %s", j->plan.id);
    char obj[80];
    snprintf(obj, sizeof obj, "plan/%s", j->plan.id);
    return pw_call_audit(c, w, obj,
                         "revision %d of plan %s effective %s (%s): %zu indicators, "
                         "%zu targets; %s",
                         j->rev.rev, j->plan.id, j->rev.effective, j->rev.reason, j->p->nind,
                         j->p->ntg, j->summary);
}

/* Targets by indicator, year, unit ("" = plan-wide first), as the store
 * lists them. */
static int plan_target_order_cmp(const void *x, const void *y)
{
    const pw_plan_import_target *a = *(const pw_plan_import_target *const *)x;
    const pw_plan_import_target *b = *(const pw_plan_import_target *const *)y;
    int c = strcmp(a->indicator_id, b->indicator_id);
    if (c)
        return c;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return strcmp(a->unit, b->unit);
}

/* A comparable text of an indicator's definition in a revision. */
static const char *plan_signature_of(pw_arena *a, const pw_plan_import_indicator *x)
{
    const char *s =
        pw_arena_printf(a, "%s|%s|%s|%s|%s|%s|%s|L", x->level1, x->level2, x->level3, x->uom,
                        x->kind, x->direction, x->aggregate ? x->aggregate : "");
    for (size_t k = 0; k < x->nleads; k++)
        s = pw_arena_printf(a, "%s%s;", s, x->leads[k]);
    s = pw_arena_printf(a, "%s|C", s);
    for (size_t k = 0; k < x->ncoops; k++)
        s = pw_arena_printf(a, "%s%s;", s, x->coops[k]);
    s = pw_arena_printf(a, "%s|R", s);
    for (size_t k = 0; k < x->nresps; k++)
        s = pw_arena_printf(a, "%s%s;", s, x->resps[k]);
    return s;
}

/* The arguments of a revision: the effective month and the reason. */
static int plan_revise_args(pw_call *c, const Planwatch__V1__RevisePlanRequest *r, pw_period *eff)
{
    char err[256];
    if (pw_period_parse_kinds(r->effective, PW_PERIOD_ALLOW_MONTH, eff, err, sizeof err) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--effective: %s", err);
    size_t nreason = strlen(r->reason);
    int ctl = 0;
    for (size_t i = 0; i < nreason; i++)
        ctl |= (unsigned char)r->reason[i] < 0x20;
    if (nreason == 0 || nreason > 1024 || ctl || !pw_utf8_valid(r->reason, nreason))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--reason must be 1-1024 bytes of printable UTF-8: say why the plan "
                            "is revised");
    return PW_OK;
}

/* The tree in force before a revision, as import rows to compare like with
 * like: its indicators (oi, ids in *ids) and their targets as text. */
typedef struct plan_old_tree {
    pw_plan_indicator *old;
    size_t nold;
    pw_plan_import_indicator *oi;
    plan_set ids;
    const char **tgtext;
} plan_old_tree;

static void plan_old_indicators(pw_arena *a, plan_old_tree *t, const pw_plan_unit_link *links,
                                size_t nlinks)
{
    pw_plan_indicator *old = t->old;
    plan_set_init(&t->ids, a);
    t->oi = pw_arena_alloc(a, sizeof *t->oi * (t->nold ? t->nold : 1));
    for (size_t i = 0; i < t->nold; i++) {
        pw_plan_import_indicator *x = &t->oi[i];
        *x = (pw_plan_import_indicator){.id = old[i].id,
                                        .level1 = old[i].level1,
                                        .level2 = old[i].level2,
                                        .level3 = old[i].level3,
                                        .uom = old[i].uom,
                                        .kind = old[i].kind,
                                        .direction = old[i].direction,
                                        .aggregate = old[i].aggregate};
        x->leads = pw_arena_alloc(a, sizeof(char *) * (nlinks ? nlinks : 1));
        x->coops = pw_arena_alloc(a, sizeof(char *) * (nlinks ? nlinks : 1));
        x->resps = pw_arena_alloc(a, sizeof(char *) * (nlinks ? nlinks : 1));
        for (size_t k = 0; k < nlinks; k++) {
            if (strcmp(links[k].indicator_id, old[i].id) != 0)
                continue;
            if (strcmp(links[k].role, "lead") == 0)
                x->leads[x->nleads++] = links[k].unit;
            else if (strcmp(links[k].role, "coop") == 0)
                x->coops[x->ncoops++] = links[k].unit;
            else
                x->resps[x->nresps++] = links[k].unit;
        }
        plan_set_put(&t->ids, old[i].id, i);
    }
}

/* Read the tree in force before `eff` (revision prev_rev). */
static int plan_old_load(pw_call *c, const pw_plan_row *plan, const pw_period *eff,
                         plan_old_tree *t)
{
    int prev_rev = 0;
    if (pw_store_plan_rev_at(c->db, plan->id, eff->year, eff->index, &prev_rev) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read plan %s", plan->id);
    pw_plan_unit_link *links;
    size_t nlinks;
    pw_plan_target_row *tg;
    size_t ntg;
    if (pw_store_plan_indicators(c->db, c->arena, plan->id, eff->year, eff->index, &t->old,
                                 &t->nold) != PW_OK ||
        pw_store_plan_unit_links(c->db, c->arena, plan->id, prev_rev, &links, &nlinks) != PW_OK ||
        pw_store_plan_targets(c->db, c->arena, plan->id, prev_rev, 0, &tg, &ntg) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read plan %s", plan->id);
    plan_old_indicators(c->arena, t, links, nlinks);
    /* targets as text per indicator */
    t->tgtext = pw_arena_alloc(c->arena, sizeof(char *) * (t->nold ? t->nold : 1));
    for (size_t i = 0; i < t->nold; i++)
        t->tgtext[i] = "";
    for (size_t k = 0; k < ntg; k++) {
        size_t i = plan_set_get(&t->ids, tg[k].indicator_id);
        if (i == SIZE_MAX)
            continue;
        t->tgtext[i] =
            pw_arena_printf(c->arena, "%s%d/%s=%.17g/%d%.17g/%d%.17g/%s;", t->tgtext[i], tg[k].year,
                            tg[k].unit, tg[k].value, tg[k].has_baseline, tg[k].baseline,
                            tg[k].has_tolerance, tg[k].tolerance, tg[k].due);
    }
    return PW_OK;
}

/* The new targets as the same text as plan_old_load's, in the store's
 * order (year, unit), one text per indicator of p. */
static const char **plan_new_targets_text(pw_arena *a, const plan_parse *p)
{
    const char **text = pw_arena_alloc(a, sizeof(char *) * p->nind);
    for (size_t i = 0; i < p->nind; i++)
        text[i] = "";
    const pw_plan_import_target **v = pw_arena_alloc(a, sizeof *v * (p->ntg ? p->ntg : 1));
    for (size_t k = 0; k < p->ntg; k++)
        v[k] = &p->tg[k];
    qsort(v, p->ntg, sizeof *v, plan_target_order_cmp);
    for (size_t k = 0; k < p->ntg; k++) {
        size_t i = plan_set_get(&p->ids, v[k]->indicator_id);
        if (i == SIZE_MAX)
            continue;
        text[i] = pw_arena_printf(a, "%s%d/%s=%.17g/%d%.17g/%d%.17g/%s;", text[i], v[k]->year,
                                  v[k]->unit, v[k]->value, v[k]->has_baseline,
                                  v[k]->has_baseline ? v[k]->baseline : 0, v[k]->has_tolerance,
                                  v[k]->has_tolerance ? v[k]->tolerance : 0, v[k]->due);
    }
    return text;
}

/* out->added, changed, retired: the indicators of p against the old tree. */
static void plan_revise_diff(pw_arena *a, const plan_parse *p, const plan_old_tree *t,
                             Planwatch__V1__RevisePlanResponse *out)
{
    const char **new_tgtext = plan_new_targets_text(a, p);
    out->added = pw_arena_alloc(a, sizeof(char *) * p->nind);
    out->changed = pw_arena_alloc(a, sizeof(char *) * p->nind);
    out->retired = pw_arena_alloc(a, sizeof(char *) * (t->nold ? t->nold : 1));
    plan_set new_ids;
    plan_set_init(&new_ids, a);
    for (size_t i = 0; i < p->nind; i++) {
        plan_set_put(&new_ids, p->ind[i].id, i);
        size_t o = plan_set_get(&t->ids, p->ind[i].id);
        if (o == SIZE_MAX) {
            out->added[out->n_added++] = (char *)p->ind[i].id;
            continue;
        }
        if (strcmp(plan_signature_of(a, &p->ind[i]), plan_signature_of(a, &t->oi[o])) != 0 ||
            strcmp(new_tgtext[i], t->tgtext[o]) != 0)
            out->changed[out->n_changed++] = (char *)p->ind[i].id;
    }
    for (size_t i = 0; i < t->nold; i++)
        if (plan_set_get(&new_ids, t->old[i].id) == SIZE_MAX)
            out->retired[out->n_retired++] = (char *)t->old[i].id;
}

int pw_svc_plan_revise(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__RevisePlanRequest *r = (const Planwatch__V1__RevisePlanRequest *)req;
    pw_plan_row plan;
    int st = pw_call_plan(c, r->plan, &plan);
    if (st != PW_OK)
        return st;
    pw_period eff;
    if ((st = plan_revise_args(c, r, &eff)) != PW_OK)
        return st;
    plan_parse *p = NULL;
    if ((st = plan_parse_files(c, r->indicators_csv, r->targets_csv, r->indicators_file,
                               r->targets_file, &p)) != PW_OK)
        return st;
    if (eff.year < p->first_year || eff.year > p->last_year)
        return pw_call_fail(c, PW_OUT_OF_RANGE,
                            "--effective %s is outside the years of the revised targets (%d-%d)",
                            r->effective, p->first_year, p->last_year);

    /* what changes against the revision in force just before `effective` */
    plan_revise_job j = {.c = c, .plan = plan, .p = p};
    j.plan.first_year = p->first_year < plan.first_year ? p->first_year : plan.first_year;
    j.plan.last_year = p->last_year > plan.last_year ? p->last_year : plan.last_year;
    j.rev.effective = pw_arena_printf(c->arena, "%04d-%02d", eff.year, eff.index);
    j.rev.reason = r->reason;
    j.rev.by_user = c->who.name;
    j.rev.at = c->now;
    j.rev.indicators = (int)p->nind;
    j.rev.targets = (int)p->ntg;
    plan_old_tree old;
    if ((st = plan_old_load(c, &plan, &eff, &old)) != PW_OK)
        return st;
    Planwatch__V1__RevisePlanResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__revise_plan_response__init(out);
    plan_revise_diff(c->arena, p, &old, out);
    j.summary = pw_arena_printf(c->arena, "%zu added, %zu changed, %zu retired", out->n_added,
                                out->n_changed, out->n_retired);
    st = pw_store_write(c->store, c->deadline_us, plan_revise_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot revise plan %s", plan.id);
    out->plan = plan_info_msg(c->arena, &j.plan);
    out->revision = plan_revision_msg(c->arena, &j.rev);
    *resp = &out->base;
    return PW_OK;
}

/* ---- Show --------------------------------------------------------------- */

/* Lead and coop lists of every indicator, as slices of one links array
 * (pw_store_plan_unit_links orders them by indicator, leads first). */
typedef struct plan_links {
    pw_plan_unit_link *rows;
    size_t n;
    plan_set first; /* indicator id -> index of its first link */
} plan_links;

static int plan_links_load(pw_call *c, const char *plan_id, int rev, plan_links *l)
{
    if (pw_store_plan_unit_links(c->db, c->arena, plan_id, rev, &l->rows, &l->n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read lead and cooperating units");
    plan_set_init(&l->first, c->arena);
    for (size_t i = 0; i < l->n; i++)
        plan_set_put(&l->first, l->rows[i].indicator_id, i);
    return PW_OK;
}

static void plan_links_fill(pw_arena *a, const plan_links *l, Planwatch__V1__Indicator *m)
{
    size_t i = plan_set_get(&l->first, m->id);
    if (i == SIZE_MAX)
        return;
    size_t end = i;
    while (end < l->n && strcmp(l->rows[end].indicator_id, m->id) == 0)
        end++;
    m->lead_units = pw_arena_alloc(a, sizeof(char *) * (end - i));
    m->coop_units = pw_arena_alloc(a, sizeof(char *) * (end - i));
    m->resp_units = pw_arena_alloc(a, sizeof(char *) * (end - i));
    for (; i < end; i++) {
        if (l->rows[i].is_lead)
            m->lead_units[m->n_lead_units++] = (char *)l->rows[i].unit;
        else if (strcmp(l->rows[i].role, "resp") == 0)
            m->resp_units[m->n_resp_units++] = (char *)l->rows[i].unit;
        else
            m->coop_units[m->n_coop_units++] = (char *)l->rows[i].unit;
    }
}

static Planwatch__V1__Indicator *plan_indicator_msg(pw_arena *a, const char *id, const char *l1,
                                                    const char *l2, const char *l3, const char *uom,
                                                    const char *kind, const char *dir, int seq)
{
    Planwatch__V1__Indicator *m = pw_arena_alloc(a, sizeof *m);
    planwatch__v1__indicator__init(m);
    m->id = (char *)id;
    m->level1 = (char *)l1;
    m->level2 = (char *)l2;
    m->level3 = (char *)l3;
    m->unit_of_measure = (char *)uom;
    m->kind = (char *)kind;
    m->direction = (char *)dir;
    m->seq = seq;
    return m;
}

/* The whole tree of the revision in force in (ay, am): every indicator with
 * every target of `year` (0 = all). */
static int plan_show_all(pw_call *c, const pw_plan_row *plan, int year, int ay, int am, int rev,
                         Planwatch__V1__ShowPlanResponse *out)
{
    pw_plan_indicator *inds;
    size_t nind;
    pw_plan_target_row *tg;
    size_t ntg;
    plan_links links;
    if (pw_store_plan_indicators(c->db, c->arena, plan->id, ay, am, &inds, &nind) != PW_OK ||
        pw_store_plan_targets(c->db, c->arena, plan->id, rev, year, &tg, &ntg) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read plan %s", plan->id);
    int st = plan_links_load(c, plan->id, rev, &links);
    if (st != PW_OK)
        return st;
    out->indicators = pw_arena_alloc(c->arena, sizeof *out->indicators * (nind ? nind : 1));
    Planwatch__V1__Target *tm = pw_arena_alloc(c->arena, sizeof *tm * (ntg ? ntg : 1));
    Planwatch__V1__Target **tp = pw_arena_alloc(c->arena, sizeof *tp * (ntg ? ntg : 1));
    size_t k = 0; /* targets are ordered by indicator seq, like inds */
    for (size_t i = 0; i < nind; i++) {
        const pw_plan_indicator *x = &inds[i];
        Planwatch__V1__Indicator *m =
            plan_indicator_msg(c->arena, x->id, x->level1, x->level2, x->level3, x->uom, x->kind,
                               x->direction, x->seq);
        plan_links_fill(c->arena, &links, m);
        m->aggregate = (char *)x->aggregate;
        m->targets = &tp[k];
        while (k < ntg && strcmp(tg[k].indicator_id, x->id) == 0) {
            Planwatch__V1__Target *t = &tm[k];
            planwatch__v1__target__init(t);
            t->year = tg[k].year;
            t->unit = (char *)tg[k].unit;
            t->unit_name = (char *)tg[k].unit_name;
            t->value = tg[k].value;
            t->has_baseline = tg[k].has_baseline;
            t->baseline = tg[k].baseline;
            t->has_tolerance = tg[k].has_tolerance;
            t->tolerance = tg[k].tolerance;
            t->due = (char *)tg[k].due;
            tp[k] = t;
            m->n_targets++;
            k++;
        }
        out->indicators[out->n_indicators++] = m;
    }
    return PW_OK;
}

static int plan_indicator_seq_cmp(const void *a, const void *b)
{
    const Planwatch__V1__Indicator *x = *(Planwatch__V1__Indicator *const *)a;
    const Planwatch__V1__Indicator *y = *(Planwatch__V1__Indicator *const *)b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* One unit's view: what it reports (SPEC 3.2), with the target that applies
 * to it, for `year` (0 = every year of the plan). */
static int plan_show_unit(pw_call *c, const pw_plan_row *plan, int year, int as_of_year,
                          int as_of_month, int rev, const pw_unit_row *unit,
                          Planwatch__V1__ShowPlanResponse *out)
{
    plan_links links;
    int st = plan_links_load(c, plan->id, rev, &links);
    if (st != PW_OK)
        return st;
    int y0 = year ? year : plan->first_year, y1 = year ? year : plan->last_year;
    if (as_of_year) /* the plan as it was then: that year only */
        y0 = y1 = as_of_year;
    size_t nyears = (size_t)(y1 - y0 + 1);
    plan_set seen;
    plan_set_init(&seen, c->arena);
    size_t cap = 0;
    for (int y = y0; y <= y1; y++) {
        pw_assignment *as;
        size_t n;
        if (pw_store_plan_assignments(c->db, c->arena, plan->id, unit->id, y,
                                      as_of_year ? as_of_month : 12, &as, &n) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read the assignments of %s", unit->id);
        for (size_t i = 0; i < n; i++) {
            const pw_assignment *x = &as[i];
            size_t at = plan_set_get(&seen, x->indicator_id);
            if (at == SIZE_MAX) {
                if (out->n_indicators == cap) {
                    cap = cap ? cap * 2 : 64;
                    out->indicators = pw_arena_grow(c->arena, out->indicators, out->n_indicators,
                                                    cap, sizeof *out->indicators);
                }
                Planwatch__V1__Indicator *m =
                    plan_indicator_msg(c->arena, x->indicator_id, x->level1, x->level2, x->level3,
                                       x->uom, x->kind, x->direction, x->seq);
                plan_links_fill(c->arena, &links, m);
                m->targets = pw_arena_alloc(c->arena, sizeof *m->targets * nyears);
                at = out->n_indicators++;
                out->indicators[at] = m;
                plan_set_put(&seen, m->id, at);
            }
            Planwatch__V1__Indicator *m = out->indicators[at];
            Planwatch__V1__Target *t = pw_arena_alloc(c->arena, sizeof *t);
            planwatch__v1__target__init(t);
            t->year = y;
            t->unit = x->own_target ? (char *)unit->id : "";
            t->unit_name = x->own_target ? (char *)unit->name : "";
            t->value = x->target;
            t->has_baseline = x->has_baseline;
            t->baseline = x->baseline;
            t->has_tolerance = x->has_tolerance;
            t->tolerance = x->tolerance;
            t->due = x->due_month ? pw_arena_printf(c->arena, "%04d-%02d", y, x->due_month) : "";
            m->targets[m->n_targets++] = t;
        }
    }
    if (out->n_indicators > 1)
        qsort(out->indicators, out->n_indicators, sizeof *out->indicators, plan_indicator_seq_cmp);
    return PW_OK;
}

int pw_svc_plan_show(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ShowPlanRequest *r = (const Planwatch__V1__ShowPlanRequest *)req;
    pw_plan_row plan;
    int st = pw_call_plan(c, r->plan, &plan);
    if (st != PW_OK)
        return st;
    if (r->year && (r->year < plan.first_year || r->year > plan.last_year))
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--year %d is outside plan %s (%d-%d)", r->year,
                            plan.id, plan.first_year, plan.last_year);
    const char *unit_id = "";
    if ((st = pw_call_resolve_unit(c, r->unit, &unit_id)) != PW_OK)
        return st;
    int ay = 0, am = 0, rev = 0;
    if (r->as_of[0]) {
        pw_period asof;
        char err[256];
        if (pw_period_parse_kinds(r->as_of, PW_PERIOD_ALLOW_MONTH, &asof, err, sizeof err) != 0)
            return pw_call_fail(c, PW_INVALID_ARGUMENT, "--as-of: %s", err);
        if (asof.year < plan.first_year || asof.year > plan.last_year)
            return pw_call_fail(c, PW_OUT_OF_RANGE, "--as-of %s is outside plan %s (%d-%d)",
                                r->as_of, plan.id, plan.first_year, plan.last_year);
        ay = asof.year;
        am = asof.index;
    }
    pw_plan_revision_row *revs;
    size_t nrevs;
    if (pw_store_plan_rev_at(c->db, plan.id, ay ? ay : plan.last_year, ay ? am : 12, &rev) !=
            PW_OK ||
        pw_store_plan_revisions(c->db, c->arena, plan.id, &revs, &nrevs) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the revisions of plan %s", plan.id);
    Planwatch__V1__ShowPlanResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__show_plan_response__init(out);
    out->plan = plan_info_msg(c->arena, &plan);
    out->revision = rev;
    out->as_of = (char *)r->as_of;
    out->revisions = pw_arena_alloc(c->arena, sizeof *out->revisions * (nrevs ? nrevs : 1));
    for (size_t i = 0; i < nrevs; i++)
        out->revisions[out->n_revisions++] = plan_revision_msg(c->arena, &revs[i]);
    if (unit_id[0]) {
        pw_unit_row unit;
        st = pw_store_unit_get(c->db, c->arena, unit_id, &unit);
        if (st == PW_NOT_FOUND)
            return pw_call_fail(c, st, "unknown unit '%s'",
                                pw_import_quote(c, unit_id, strlen(unit_id)));
        if (st != PW_OK)
            return pw_call_fail(c, st, "cannot read units");
        out->unit = (char *)unit.id;
        st = plan_show_unit(c, &plan, r->year, ay, am, rev, &unit, out);
    } else {
        st = plan_show_all(c, &plan, r->year, ay ? ay : plan.last_year, ay ? am : 12, rev, out);
    }
    if (st != PW_OK)
        return st;
    *resp = &out->base;
    return PW_OK;
}

/* ---- Check -------------------------------------------------------------- */

static Planwatch__V1__UnitRef *plan_unit_ref(pw_arena *a, const pw_unit_row *row)
{
    Planwatch__V1__UnitRef *u = pw_arena_alloc(a, sizeof *u);
    planwatch__v1__unit_ref__init(u);
    u->id = (char *)row->id;
    u->name = (char *)row->name;
    u->category = (char *)row->category;
    return u;
}

/* Units with nothing to be judged on in `year`: no assignment in any
 * month's revision. */
static int plan_check_unjudged(pw_call *c, const pw_plan_row *plan, int year,
                               Planwatch__V1__CheckPlanResponse *out)
{
    pw_unit_row *all;
    size_t nall;
    if (pw_store_unit_list(c->db, c->arena, &all, &nall) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read units");
    plan_set judged;
    plan_set_init(&judged, c->arena);
    int last_rev = -1;
    for (int m = 1; m <= 12; m++) {
        int rev;
        if (pw_store_plan_rev_at(c->db, plan->id, year, m, &rev) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read plan %s", plan->id);
        if (rev == last_rev)
            continue;
        last_rev = rev;
        pw_assignment *as;
        size_t nas;
        if (pw_store_plan_assignments_all(c->db, c->arena, plan->id, year, m, &as, &nas) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read plan %s", plan->id);
        for (size_t i = 0; i < nas; i++)
            plan_set_put(&judged, as[i].unit, i);
    }
    out->units_without_indicators =
        pw_arena_alloc(c->arena, sizeof *out->units_without_indicators * (nall ? nall : 1));
    for (size_t i = 0; i < nall; i++)
        if (plan_set_get(&judged, all[i].id) == SIZE_MAX)
            out->units_without_indicators[out->n_units_without_indicators++] =
                plan_unit_ref(c->arena, &all[i]);
    return PW_OK;
}

/* The plan's part of a check: the year, units without indicators,
 * indicators without a lead unit. */
static int plan_check_plan(pw_call *c, const pw_plan_row *plan, int32_t req_year,
                           Planwatch__V1__CheckPlanResponse *out)
{
    out->plan = plan_info_msg(c->arena, plan);
    pw_plan_indicator *inds;
    size_t nind;
    int year = req_year ? req_year : plan->last_year;
    if (year < plan->first_year || year > plan->last_year)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--year %d is outside plan %s (%d-%d)", year,
                            plan->id, plan->first_year, plan->last_year);
    out->year = year;
    if (pw_store_plan_indicators(c->db, c->arena, plan->id, year, 12, &inds, &nind) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read plan %s", plan->id);
    int st = plan_check_unjudged(c, plan, year, out);
    if (st != PW_OK)
        return st;
    out->indicators_without_lead =
        pw_arena_alloc(c->arena, sizeof *out->indicators_without_lead * (nind ? nind : 1));
    for (size_t i = 0; i < nind; i++) {
        const pw_plan_indicator *x = &inds[i];
        if (x->nleads)
            continue;
        out->indicators_without_lead[out->n_indicators_without_lead++] =
            plan_indicator_msg(c->arena, x->id, x->level1, x->level2, x->level3, x->uom, x->kind,
                               x->direction, x->seq);
    }
    return PW_OK;
}

int pw_svc_plan_check(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__CheckPlanRequest *r = (const Planwatch__V1__CheckPlanRequest *)req;
    Planwatch__V1__CheckPlanResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__check_plan_response__init(out);
    pw_plan_row plan;
    char err[256];
    int st = pw_store_plan_resolve(c->db, c->arena, r->plan, &plan, err, sizeof err);
    int have_plan = st == PW_OK;
    if (st != PW_OK && !(st == PW_NOT_FOUND && !r->plan[0]))
        return pw_call_fail(c, st, "%s", err); /* no plan at all: the account checks only */
    const char **names;
    size_t nnames;
    pw_unit_row *units;
    size_t nunits;
    if (pw_store_plan_reporters_without_unit(c->db, c->arena, &names, &nnames) != PW_OK ||
        pw_store_plan_units_without_user(c->db, c->arena, &units, &nunits) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read users and units");
    out->reporters_without_unit = (char **)names;
    out->n_reporters_without_unit = nnames;
    out->units_without_user =
        pw_arena_alloc(c->arena, sizeof *out->units_without_user * (nunits ? nunits : 1));
    for (size_t i = 0; i < nunits; i++)
        out->units_without_user[out->n_units_without_user++] = plan_unit_ref(c->arena, &units[i]);
    if (have_plan && (st = plan_check_plan(c, &plan, r->year, out)) != PW_OK)
        return st;
    *resp = &out->base;
    return PW_OK;
}
