/*
 * assess.c - the read side of dispatch and scoring.
 *
 * Design notes
 * - Queries are set-based (all reports of the year at once, all values of
 *   the needed report versions at once) so that cost grows with the data,
 *   not with round trips.
 * - Indicator ids are matched to a unit's assignments by binary search over
 *   a sorted index, built per unit.
 */
#include "server/store/assess.h"

#include "server/store/state.h"
#include "server/store/store_deadline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/period.h"
#include "common/status.h"

int pw_assess_unit_active(const pw_unit_row *u, int year, int month)
{
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-%02d-01", year, month);
    snprintf(last, sizeof last, "%04d-%02d-%02d", year, month, pw_days_in_month(year, month));
    if (u->active_from && u->active_from[0] && strcmp(u->active_from, last) > 0)
        return 0;
    if (u->active_to && u->active_to[0] && strcmp(u->active_to, first) < 0)
        return 0;
    return 1;
}

int pw_assess_unit_expected(const pw_plan_row *plan, const pw_unit_row *u, int year, int month)
{
    if (!plan->cadence || strcmp(plan->cadence, "quarterly") != 0)
        return pw_assess_unit_active(u, year, month);
    if (month % 3 != 0)
        return 0;
    for (int m = month - 2; m <= month; m++)
        if (pw_assess_unit_active(u, year, m))
            return 1;
    return 0;
}

const pw_assess_value *pw_assess_actual(const pw_assess_unit *u, size_t i, int m, int *month)
{
    for (int k = m; k >= 1; k--) {
        const pw_assess_value *v = &u->values[i * 13 + (size_t)k];
        if (v->has) {
            if (month)
                *month = k;
            return v;
        }
    }
    return NULL;
}

/* Did unit u have anything to report in month m (SPEC 3.2 revisions)? */
static int assess_has_indicators(const pw_assess_unit *u, int m, int last_month)
{
    if (m < last_month && u->had[m])
        return u->had[m] > 0;
    return u->nind > 0;
}

typedef struct assess_key {
    const char *id;
    size_t index;
} assess_key;

static int assess_key_cmp(const void *a, const void *b)
{
    return strcmp(((const assess_key *)a)->id, ((const assess_key *)b)->id);
}

static int assess_seq_cmp(const void *x, const void *y)
{
    return ((const pw_assignment *)x)->seq - ((const pw_assignment *)y)->seq;
}

pw_assess_unit *pw_assess_find_unit(const pw_assess *as, const char *id)
{
    /* units are sorted by id (loaded ORDER BY id) */
    size_t lo = 0, hi = as->nunits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(as->units[mid].unit.id, id);
        if (c == 0)
            return &as->units[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The values of one unit's state (state.h) into its months 1..last_month. */
typedef struct assess_values_job {
    pw_assess *as;
    pw_arena *a;
    assess_key *keys;
    size_t keycap;
} assess_values_job;

static int assess_state_row(void *arg, const char *unit, const pw_state_series *s)
{
    assess_values_job *j = arg;
    pw_assess_unit *u = pw_assess_find_unit(j->as, unit);
    if (!u || !u->nind)
        return PW_OK;
    if (u->nind > j->keycap) {
        j->keycap = u->nind;
        j->keys = pw_arena_alloc(j->a, sizeof *j->keys * j->keycap);
    }
    for (size_t i = 0; i < u->nind; i++)
        j->keys[i] = (assess_key){u->ind[i].indicator_id, i};
    qsort(j->keys, u->nind, sizeof *j->keys, assess_key_cmp);
    for (size_t k = 0; k < s->n; k++) {
        const pw_state_ind *x = &s->ind[k];
        assess_key probe = {x->id, 0};
        assess_key *hit = bsearch(&probe, j->keys, u->nind, sizeof *j->keys, assess_key_cmp);
        if (!hit)
            continue;
        for (int m = 1; m <= j->as->last_month; m++) {
            /* only months whose report the unit has (the state and the
             * reports are written together) */
            if (!(x->mask & (1u << m)) || !u->month[m].report_id)
                continue;
            pw_assess_value *v = &u->values[hit->index * 13 + (size_t)m];
            v->has = 1;
            v->value = x->value[m];
            v->milestone = x->milestone[m];
        }
    }
    return PW_OK;
}

/* Every unit's values from the materialised state: one row per unit. */
static int assess_load_values(pw_db *db, pw_arena *a, pw_assess *out)
{
    pw_arena scratch;
    pw_arena_init(&scratch);
    assess_values_job j = {.as = out, .a = a};
    int st = pw_store_state_each(db, &scratch, out->plan.id, out->year, out->unit_first,
                                 out->unit_last, assess_state_row, &j);
    for (size_t k = 0; k < out->nunits && st == PW_OK; k++) {
        pw_assess_unit *u = &out->units[k];
        if (!u->state_stale)
            continue;
        pw_state_series s;
        pw_arena_reset(&scratch);
        memset(u->values, 0, sizeof *u->values * u->nind * 13);
        st = pw_store_state_recompute(db, &scratch, out->plan.id, u->unit.id, out->year, &s);
        if (st == PW_OK)
            st = assess_state_row(&j, u->unit.id, &s);
    }
    pw_arena_fini(&scratch);
    return st;
}

/* A units row (pw_store_unit_read's columns) into a pw_assess_unit. */
static void assess_unit_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_store_unit_read(st, a, &((pw_assess_unit *)row)->unit);
}

/* Units of `category` ("" = all), sorted by id. */
static int assess_units(pw_db *db, pw_arena *a, const char *category, size_t from, size_t count,
                        pw_assess *out)
{
    static const char units_sql[] = "SELECT id, name, category, COALESCE(active_from,''),"
                                    " COALESCE(active_to,''), created_at FROM units "
                                    "WHERE (?1 = '' OR category = ?1) ORDER BY id"
                                    " LIMIT ?2 OFFSET ?3";
    static const char count_sql[] = "SELECT count(*) FROM units WHERE (?1 = '' OR category = ?1)";
    sqlite3_stmt *st = pw_db_stmt(db, units_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category ? category : "");
    sqlite3_bind_int64(st, 2, count > INT64_MAX ? -1 : (int64_t)count);
    sqlite3_bind_int64(st, 3, (int64_t)from);
    if (pw_db_collect(st, a, sizeof *out->units, assess_unit_read, (void **)&out->units,
                      &out->nunits) != PW_OK)
        return PW_INTERNAL;
    int64_t total = 0;
    if (!(st = pw_db_stmt(db, count_sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, category ? category : "");
    if (pw_db_int64(st, &total) != PW_OK)
        return PW_INTERNAL;
    out->units_total = (size_t)total;
    out->units_from = from;
    if (out->nunits && (from > 0 || out->nunits < out->units_total)) {
        out->unit_first = out->units[0].unit.id;
        out->unit_last = out->units[out->nunits - 1].unit.id;
    }
    return PW_OK;
}

/* Assignments of every unit in one pass, appended to their unit (in
 * malloc'd buffers that grow, so that no second copy of 600,000 rows
 * stays in the arena), then moved into the arena at their exact size. */
typedef struct assess_ind_buf {
    pw_assignment *v;
    size_t n, cap;
} assess_ind_buf;

typedef struct assess_assign_job {
    pw_assess *as;
    assess_ind_buf *buf;
    pw_assess_unit *last;
} assess_assign_job;

static int assess_assignment_row(void *arg, const pw_assignment *x)
{
    assess_assign_job *j = arg;
    pw_assess_unit *u = j->last && strcmp(j->last->unit.id, x->unit) == 0
                            ? j->last
                            : pw_assess_find_unit(j->as, x->unit);
    if (!u)
        return PW_OK;
    j->last = u;
    assess_ind_buf *b = &j->buf[u - j->as->units];
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        pw_assignment *v = realloc(b->v, sizeof *v * cap);
        if (!v)
            return PW_INTERNAL;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *x;
    return PW_OK;
}

static int assess_assignments(pw_db *db, pw_arena *a, pw_assess *out)
{
    assess_assign_job j = {.as = out, .buf = calloc(out->nunits ? out->nunits : 1, sizeof *j.buf)};
    if (!j.buf)
        return PW_INTERNAL;
    int st =
        pw_store_plan_assignments_each(db, a, out->plan.id, out->year, out->last_month,
                                       out->unit_first, out->unit_last, assess_assignment_row, &j);
    for (size_t k = 0; k < out->nunits; k++) {
        pw_assess_unit *u = &out->units[k];
        u->nind = j.buf[k].n;
        u->ind = pw_arena_alloc(a, sizeof *u->ind * (u->nind ? u->nind : 1));
        if (u->nind)
            memcpy(u->ind, j.buf[k].v, sizeof *u->ind * u->nind);
        free(j.buf[k].v);
    }
    free(j.buf);
    return st;
}

/* Earlier months keep the revision in force then (SPEC 3.2): whether a
 * unit had anything to report in month m < last_month follows the
 * revision of m. */
static int assess_revisions(pw_db *db, pw_arena *a, pw_assess *out)
{
    int last_rev = 0;
    if (pw_store_plan_rev_at(db, out->plan.id, out->year, out->last_month, &last_rev) != PW_OK)
        return PW_INTERNAL;
    for (int m = 1; m < out->last_month; m++) {
        int rev;
        if (pw_store_plan_rev_at(db, out->plan.id, out->year, m, &rev) != PW_OK)
            return PW_INTERNAL;
        if (rev == last_rev)
            continue;
        pw_assignment *then;
        size_t nthen;
        if (pw_store_plan_assignments_all(db, a, out->plan.id, out->year, m, &then, &nthen) !=
            PW_OK)
            return PW_INTERNAL;
        for (size_t k = 0; k < out->nunits; k++)
            out->units[k].had[m] = -1; /* none, unless found below */
        for (size_t i = 0; i < nthen; i++) {
            pw_assess_unit *u = pw_assess_find_unit(out, then[i].unit);
            if (u)
                u->had[m] = 1;
        }
    }
    return PW_OK;
}

/* Each unit's months before any report: deadline (extended where the
 * office extended it; a unit's own row comes after the period's, '' sorts
 * first, and so wins) and whether it is expected. */
static int assess_deadlines(pw_db *db, pw_arena *a, pw_assess *out, const char *from,
                            const char *to)
{
    const pw_plan_row *plan = &out->plan;
    pw_deadline_row *ext;
    size_t next;
    if (pw_store_deadline_list(db, a, plan->id, from, to, &ext, &next) != PW_OK)
        return PW_INTERNAL;
    for (size_t k = 0; k < out->nunits; k++) {
        pw_assess_unit *u = &out->units[k];
        qsort(u->ind, u->nind, sizeof *u->ind, assess_seq_cmp);
        u->values = pw_arena_alloc(a, sizeof *u->values * (u->nind ? u->nind : 1) * 13);
        for (int m = 1; m <= 12; m++) {
            pw_assess_month *mo = &u->month[m];
            mo->state = "";
            mo->problems = "";
            pw_deadline_monthly(out->year, m, plan->due_day, plan->tz_offset_min, &mo->deadline);
            for (size_t e = 0; e < next; e++)
                if (atoi(ext[e].period + 5) == m &&
                    (!ext[e].unit[0] || strcmp(ext[e].unit, u->unit.id) == 0)) {
                    mo->deadline = ext[e].until;
                    mo->extended_to = ext[e].until_date;
                    mo->extension_reason = ext[e].reason;
                }
            if (!pw_assess_unit_expected(plan, &u->unit, out->year, m) ||
                !assess_has_indicators(u, m, out->last_month))
                mo->status = PW_TL_NOT_EXPECTED;
            else
                mo->status = out->now > mo->deadline ? PW_TL_MISSING : PW_TL_NOT_DUE;
        }
        for (int h = 1; h <= 2; h++)
            pw_deadline_halfyear(out->year, h, plan->tz_offset_min, &u->half_deadline[h]);
    }
    return PW_OK;
}

/* Monthly reports of the year, current versions. */
static int assess_reports(pw_db *db, pw_arena *a, pw_assess *out, const char *from, const char *to)
{
    static const char rep_sql[] =
        "SELECT r.unit_id, r.period, r.first_received_at, r.deadline, r.state, r.id,"
        " r.current_version, COALESCE(v.problems,''), s.version IS NOT r.current_version"
        " FROM reports r "
        "LEFT JOIN report_versions v ON v.report_id = r.id AND v.version = r.current_version "
        "LEFT JOIN report_state s ON s.report_id = r.id "
        "WHERE r.plan_id = ?1 AND r.period BETWEEN ?2 AND ?3";
    sqlite3_stmt *st = pw_db_stmt_texts(db, rep_sql, 3, (const char *[]){out->plan.id, from, to});
    if (!st)
        return PW_INTERNAL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pw_assess_unit *u = pw_assess_find_unit(out, pw_col_text(st, 0));
        const char *period = pw_col_text(st, 1);
        int m = atoi(period + 5);
        if (!u || m < 1 || m > 12)
            continue;
        pw_assess_month *mo = &u->month[m];
        mo->received = sqlite3_column_int64(st, 2);
        if (!mo->extended_to) /* an extension applies whenever it was set */
            mo->deadline = sqlite3_column_int64(st, 3);
        mo->state = pw_arena_strdup(a, pw_col_text(st, 4));
        mo->report_id = sqlite3_column_int64(st, 5);
        mo->version = sqlite3_column_int(st, 6);
        mo->problems = pw_arena_strdup(a, pw_col_text(st, 7));
        u->state_stale |= sqlite3_column_int(st, 8);
        mo->days_late = pw_days_late(mo->received, mo->deadline);
        /* a report counts even from a unit not expected that month */
        mo->status = mo->days_late > 0 ? PW_TL_LATE : PW_TL_ON_TIME;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PW_OK : PW_INTERNAL;
}

/* Half-year supervision reports: first receipt per half. */
static int assess_halfyears(pw_db *db, pw_assess *out)
{
    static const char half_sql[] = "SELECT unit_id, period, MIN(received_at) FROM halfyear_reports "
                                   "WHERE plan_id = ?1 AND period IN (?2, ?3) "
                                   "GROUP BY unit_id, period";
    char h1[16], h2[16];
    snprintf(h1, sizeof h1, "%04d-H1", out->year);
    snprintf(h2, sizeof h2, "%04d-H2", out->year);
    sqlite3_stmt *st = pw_db_stmt_texts(db, half_sql, 3, (const char *[]){out->plan.id, h1, h2});
    if (!st)
        return PW_INTERNAL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pw_assess_unit *u = pw_assess_find_unit(out, pw_col_text(st, 0));
        if (!u)
            continue;
        int h = pw_col_text(st, 1)[6] == '1' ? 1 : 2;
        u->half_received[h] = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PW_OK : PW_INTERNAL;
}

/* Findings of the year. */
static int assess_findings(pw_db *db, pw_arena *a, pw_assess *out)
{
    pw_finding_row *f;
    size_t nf;
    if (pw_store_finding_list(db, a, out->plan.id, "", out->year, 0, &f, &nf) != PW_OK)
        return PW_INTERNAL;
    for (size_t i = 0; i < nf; i++) {
        pw_assess_unit *u = pw_assess_find_unit(out, f[i].unit);
        if (!u)
            continue;
        if (!u->findings)
            u->findings = pw_arena_alloc(a, sizeof *u->findings * nf);
        u->findings[u->nfindings++] = f[i];
    }
    return PW_OK;
}

int pw_assess_load(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
                   int64_t now, const char *category, int what, pw_assess *out)
{
    return pw_assess_load_page(db, a, plan, year, last_month, now, category, 0, SIZE_MAX, what,
                               out);
}

int pw_assess_load_page(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
                        int64_t now, const char *category, size_t unit_from, size_t unit_count,
                        int what, pw_assess *out)
{
    memset(out, 0, sizeof *out);
    out->plan = *plan;
    out->year = year;
    out->last_month = last_month;
    out->now = now;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01", year);
    snprintf(to, sizeof to, "%04d-%02d", year, last_month);
    if (assess_units(db, a, category, unit_from, unit_count, out) != PW_OK ||
        assess_assignments(db, a, out) != PW_OK || assess_revisions(db, a, out) != PW_OK ||
        assess_deadlines(db, a, out, from, to) != PW_OK ||
        assess_reports(db, a, out, from, to) != PW_OK)
        return PW_INTERNAL;
    if (what != PW_ASSESS_NO_VALUES && assess_load_values(db, a, out) != PW_OK)
        return PW_INTERNAL;
    if (assess_halfyears(db, out) != PW_OK || assess_findings(db, a, out) != PW_OK)
        return PW_INTERNAL;
    return PW_OK;
}
