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

#include "server/store/assign.h"
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

/* Each unit's months: deadline (extended where the office extended it; a
 * unit's own row comes after the period's, '' sorts first, and so wins).
 * Whether a month without a report is expected needs the unit's
 * assignments: assess_unit_status, when they are read. */
static int assess_deadlines(pw_db *db, pw_arena *a, pw_assess *out, const char *from,
                            const char *to)
{
    const pw_plan_row *plan = &out->plan;
    pw_deadline_row *ext;
    size_t next;
    if (pw_store_deadline_list(db, a, plan->id, from, to, &ext, &next) != PW_OK)
        return PW_INTERNAL;
    int64_t deadline[13];
    for (int m = 1; m <= 12; m++)
        pw_deadline_monthly(out->year, m, plan->due_day, plan->tz_offset_min, &deadline[m]);
    for (size_t k = 0; k < out->nunits; k++) {
        pw_assess_unit *u = &out->units[k];
        for (int m = 1; m <= 12; m++) {
            pw_assess_month *mo = &u->month[m];
            mo->state = "";
            mo->problems = "";
            mo->deadline = deadline[m];
            mo->status = PW_TL_NOT_EXPECTED;
        }
        for (size_t e = 0; e < next; e++) {
            int m = atoi(ext[e].period + 5);
            if (m < 1 || m > 12 || (ext[e].unit[0] && strcmp(ext[e].unit, u->unit.id) != 0))
                continue;
            u->month[m].deadline = ext[e].until;
            u->month[m].extended_to = ext[e].until_date;
            u->month[m].extension_reason = ext[e].reason;
        }
        for (int h = 1; h <= 2; h++)
            pw_deadline_halfyear(out->year, h, plan->tz_offset_min, &u->half_deadline[h]);
    }
    return PW_OK;
}

/* The status of the unit's months without a report, once its assignments
 * are known. */
static void assess_unit_status(const pw_assess *as, pw_assess_unit *u)
{
    for (int m = 1; m <= 12; m++) {
        pw_assess_month *mo = &u->month[m];
        if (mo->report_id)
            continue; /* assess_reports set it */
        if (!pw_assess_unit_expected(&as->plan, &u->unit, as->year, m) ||
            !assess_has_indicators(u, m, as->last_month))
            mo->status = PW_TL_NOT_EXPECTED;
        else
            mo->status = as->now > mo->deadline ? PW_TL_MISSING : PW_TL_NOT_DUE;
    }
}

/* Monthly reports of the year, current versions. */
static int assess_reports(pw_db *db, pw_arena *a, pw_assess *out, const char *from, const char *to,
                          int what)
{
    /* the problems text only for the dispatch (its red items): the join
     * with report_versions is most of this query's cost */
    static const char rep_sql_lean[] =
        "SELECT r.unit_id, r.period, r.first_received_at, r.deadline, r.state, r.id,"
        " r.current_version, '', s.version IS NOT r.current_version FROM reports r "
        "LEFT JOIN report_state s ON s.report_id = r.id "
        "WHERE r.plan_id = ?1 AND r.period BETWEEN ?2 AND ?3";
    static const char rep_sql[] =
        "SELECT r.unit_id, r.period, r.first_received_at, r.deadline, r.state, r.id,"
        " r.current_version, COALESCE(v.problems,''), s.version IS NOT r.current_version"
        " FROM reports r "
        "LEFT JOIN report_versions v ON v.report_id = r.id AND v.version = r.current_version "
        "LEFT JOIN report_state s ON s.report_id = r.id "
        "WHERE r.plan_id = ?1 AND r.period BETWEEN ?2 AND ?3";
    sqlite3_stmt *st = pw_db_stmt_texts(db, what == PW_ASSESS_HISTORY ? rep_sql : rep_sql_lean, 3,
                                        (const char *[]){out->plan.id, from, to});
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

int pw_assess_load_base(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
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
        assess_revisions(db, a, out) != PW_OK || assess_deadlines(db, a, out, from, to) != PW_OK ||
        assess_reports(db, a, out, from, to, what) != PW_OK || assess_halfyears(db, out) != PW_OK ||
        assess_findings(db, a, out) != PW_OK)
        return PW_INTERNAL;
    return PW_OK;
}

/* ---- the walk over the units -------------------------------------------- */

/* The two per-unit streams (assignments, stored values), read ahead by at
 * most one unit: a row is "pending" until the walk reaches its unit. */
typedef struct assess_walk {
    pw_db *db;
    pw_assess *as;
    pw_arena *scratch;
    int what;
    pw_assign_cursor *ac;
    const pw_assignment *ids; /* the revision's indicators sorted by id */
    size_t nids;
    int a_more, a_pending;
    const char *a_unit;
    pw_assignment *a_rows;
    int *a_pos;
    size_t a_n;
    pw_state_cursor *sc;
    int s_more, s_pending;
    const char *s_unit;
    const void *s_blob; /* valid while pending: the cursor is not stepped */
    size_t s_len;
    int *idx_of_pos; /* nids: the unit's row of each indicator, -1 none */
} assess_walk;

/* Advance the assignment stream to `unit`; 1 when it has rows for it. */
static int assess_walk_assign(assess_walk *w, const char *unit, int *st)
{
    for (;;) {
        if (!w->a_pending && w->a_more) {
            int rc =
                pw_store_assign_next(w->ac, w->scratch, &w->a_unit, &w->a_rows, &w->a_pos, &w->a_n);
            if (rc == PW_NOT_FOUND)
                w->a_more = 0;
            else if (rc != PW_OK) {
                *st = rc;
                return 0;
            } else
                w->a_pending = 1;
        }
        if (!w->a_pending)
            return 0;
        int c = strcmp(w->a_unit, unit);
        if (c > 0)
            return 0;
        w->a_pending = 0; /* consumed (c == 0) or a unit not in the list */
        if (c == 0)
            return 1;
    }
}

/* Advance the value stream to `unit`; 1 when it has a row (w->s_blob). */
static int assess_walk_state(assess_walk *w, const char *unit, int *st)
{
    for (;;) {
        if (!w->s_pending && w->s_more) {
            int rc = pw_store_state_next_raw(w->sc, &w->s_unit, &w->s_blob, &w->s_len);
            if (rc == PW_NOT_FOUND)
                w->s_more = 0;
            else if (rc != PW_OK) {
                *st = rc;
                return 0;
            } else
                w->s_pending = 1;
        }
        if (!w->s_pending)
            return 0;
        int c = strcmp(w->s_unit, unit);
        if (c > 0)
            return 0;
        w->s_pending = 0; /* the row stays readable until the next step */
        if (c == 0)
            return 1;
    }
}

/* strcmp of NUL-terminated `z` with `id` of `idlen` bytes. */
static int assess_idcmp(const char *z, const char *id, size_t idlen)
{
    int c = strncmp(z, id, idlen);
    return c ? c : z[idlen] != 0;
}

/* A unit's stored values (a state blob, entries sorted by id) into its
 * values: the indicators matched by a merge with the revision's
 * indicators (sorted the same way), months 1..last_month whose report the
 * unit has (the state and the reports are written together). */
static int assess_walk_values(assess_walk *w, pw_assess_unit *u, const void *blob, size_t len)
{
    pw_state_iter it;
    pw_state_entry e;
    if (pw_state_iter_init(&it, blob, len) != PW_OK)
        return PW_INTERNAL;
    size_t j = 0;
    int more;
    while ((more = pw_state_iter_next(&it, &e)) == 1) {
        int c = 1;
        while (j < w->nids && (c = assess_idcmp(w->ids[j].indicator_id, e.id, e.idlen)) < 0)
            j++;
        if (j == w->nids)
            break;
        if (c != 0 || w->idx_of_pos[j] < 0)
            continue;
        size_t i = (size_t)w->idx_of_pos[j];
        double value[13];
        signed char milestone[13];
        pw_state_entry_months(&e, value, milestone);
        for (int m = 1; m <= w->as->last_month; m++) {
            if (!(e.mask & (1u << m)) || !u->month[m].report_id)
                continue;
            pw_assess_value *v = &u->values[i * 13 + (size_t)m];
            v->has = 1;
            v->value = value[m];
            v->milestone = milestone[m];
        }
    }
    return more < 0 ? PW_INTERNAL : PW_OK;
}

/* One unit: its assignments, statuses and values. */
static int assess_walk_unit(assess_walk *w, pw_assess_unit *u)
{
    int st = PW_OK;
    u->ind = NULL;
    u->nind = 0;
    int *pos = NULL;
    if (assess_walk_assign(w, u->unit.id, &st)) {
        u->ind = w->a_rows;
        u->nind = w->a_n;
        pos = w->a_pos;
    }
    if (st != PW_OK)
        return st;
    assess_unit_status(w->as, u);
    u->values = pw_arena_alloc(w->scratch, sizeof *u->values * (u->nind ? u->nind : 1) * 13);
    memset(u->values, 0, sizeof *u->values * (u->nind ? u->nind : 1) * 13);
    if (w->what == PW_ASSESS_NO_VALUES)
        return PW_OK;
    int has = assess_walk_state(w, u->unit.id, &st);
    if (st != PW_OK || !u->nind)
        return st;
    const void *blob = w->s_blob;
    size_t len = w->s_len;
    if (u->state_stale) { /* rows written behind the server's back */
        pw_state_series fresh;
        if ((st = pw_store_state_recompute(w->db, w->scratch, w->as->plan.id, u->unit.id,
                                           w->as->year, &fresh)) != PW_OK)
            return st;
        blob = pw_state_encode(w->scratch, &fresh, &len);
        has = 1;
    }
    if (!has)
        return PW_OK;
    for (size_t j = 0; j < w->nids; j++)
        w->idx_of_pos[j] = -1;
    for (size_t i = 0; i < u->nind; i++)
        if (pos[i] >= 0 && (size_t)pos[i] < w->nids)
            w->idx_of_pos[pos[i]] = (int)i;
    return assess_walk_values(w, u, blob, len);
}

int pw_assess_each(pw_db *db, pw_arena *a, pw_arena *scratch, pw_assess *as, int what,
                   pw_assess_unit_fn fn, void *arg)
{
    assess_walk w = {.db = db, .as = as, .scratch = scratch, .what = what, .a_more = 1};
    int st = pw_store_assign_open(db, a, as->plan.id, as->year, as->last_month, as->unit_first,
                                  as->unit_last, &w.ac);
    if (st == PW_OK && what != PW_ASSESS_NO_VALUES) {
        st =
            pw_store_state_open(db, a, as->plan.id, as->year, as->unit_first, as->unit_last, &w.sc);
        w.s_more = 1;
    }
    if (st == PW_OK) {
        w.ids = pw_store_assign_indicators(w.ac, &w.nids);
        w.idx_of_pos = pw_arena_alloc(a, sizeof *w.idx_of_pos * (w.nids ? w.nids : 1));
    }
    for (size_t k = 0; k < as->nunits && st == PW_OK; k++) {
        /* a row read ahead for a later unit lives in scratch: keep it */
        if (scratch != a && !w.a_pending && !w.s_pending)
            pw_arena_reset(scratch);
        pw_assess_unit *u = &as->units[k];
        if ((st = assess_walk_unit(&w, u)) == PW_OK)
            st = fn ? fn(arg, u) : PW_OK;
        if (scratch != a) {
            u->ind = NULL;
            u->values = NULL;
        }
    }
    pw_store_assign_close(w.ac);
    pw_store_state_close(w.sc);
    return st;
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
    int st = pw_assess_load_base(db, a, plan, year, last_month, now, category, unit_from,
                                 unit_count, what, out);
    return st != PW_OK ? st : pw_assess_each(db, a, a, out, what, NULL, NULL);
}
