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

static pw_assess_unit *assess_find_unit(pw_assess *as, const char *id)
{
    /* units are sorted by id (loaded ORDER BY id) */
    size_t lo = 0, hi = as->nunits;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
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

static int assess_milestone(const char *s)
{
    if (!s || !*s)
        return -1;
    if (strcmp(s, "not_started") == 0)
        return 0;
    if (strcmp(s, "in_progress") == 0)
        return 1;
    if (strcmp(s, "done") == 0)
        return 2;
    return -1;
}

/* Values of one report version into month m of unit u. */
static int assess_load_report(pw_db *db, pw_assess_unit *u, const assess_key *keys, int m,
                              int64_t report_id, int version)
{
    static const char sql[] = "SELECT indicator_id, value, milestone FROM report_values "
                              "WHERE report_id = ?1 AND version = ?2";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int(st, 2, version);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        assess_key probe = {pw_col_text(st, 0), 0};
        assess_key *hit = bsearch(&probe, keys, u->nind, sizeof *keys, assess_key_cmp);
        if (!hit)
            continue;
        pw_assess_value *v = &u->values[hit->index * 13 + (size_t)m];
        v->milestone = assess_milestone(pw_col_text(st, 2));
        v->value = sqlite3_column_double(st, 1);
        v->has = sqlite3_column_type(st, 1) != SQLITE_NULL || v->milestone >= 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PW_OK : PW_INTERNAL;
}

/* Newest report first, until every indicator of the unit has an actual
 * (or, with `history`, every month's report). */
static int assess_load_values(pw_db *db, pw_arena *a, pw_assess *out, int history)
{
    assess_key *keys = NULL;
    size_t keycap = 0;
    for (size_t k = 0; k < out->nunits; k++) {
        pw_assess_unit *u = &out->units[k];
        if (!u->nind)
            continue;
        if (u->nind > keycap) {
            keycap = u->nind;
            keys = pw_arena_alloc(a, sizeof *keys * keycap);
        }
        for (size_t i = 0; i < u->nind; i++)
            keys[i] = (assess_key){u->ind[i].indicator_id, i};
        qsort(keys, u->nind, sizeof *keys, assess_key_cmp);
        for (int m = out->last_month; m >= 1; m--) {
            if (!u->month[m].report_id)
                continue;
            if (assess_load_report(db, u, keys, m, u->month[m].report_id, u->month[m].version) !=
                PW_OK)
                return PW_INTERNAL;
            if (history)
                continue;
            size_t missing = 0;
            for (size_t i = 0; i < u->nind && !missing; i++)
                missing += pw_assess_actual(u, i, out->last_month, NULL) == NULL;
            if (!missing)
                break;
        }
    }
    return PW_OK;
}

/* A units row (pw_store_unit_read's columns) into a pw_assess_unit. */
static void assess_unit_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_store_unit_read(st, a, &((pw_assess_unit *)row)->unit);
}

int pw_assess_load(pw_db *db, pw_arena *a, const pw_plan_row *plan, int year, int last_month,
                   int64_t now, const char *category, int what, pw_assess *out)
{
    memset(out, 0, sizeof *out);
    out->plan = *plan;
    out->year = year;
    out->last_month = last_month;
    out->now = now;

    /* units, sorted by id */
    static const char units_sql[] = "SELECT id, name, category, COALESCE(active_from,''),"
                                    " COALESCE(active_to,''), created_at FROM units "
                                    "WHERE (?1 = '' OR category = ?1) ORDER BY id";
    sqlite3_stmt *st = pw_db_stmt(db, units_sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, category ? category : "");
    if (pw_db_collect(st, a, sizeof *out->units, assess_unit_read, (void **)&out->units,
                      &out->nunits) != PW_OK)
        return PW_INTERNAL;
    int rc;

    /* assignments of every unit in one pass, sliced per unit in plan order */
    pw_assignment *all;
    size_t nall;
    if (pw_store_plan_assignments_all(db, a, plan->id, year, last_month, &all, &nall) != PW_OK)
        return PW_INTERNAL;
    for (size_t i = 0; i < nall; i++) {
        pw_assess_unit *u = assess_find_unit(out, all[i].unit);
        if (u)
            u->nind++;
    }
    for (size_t k = 0; k < out->nunits; k++) {
        pw_assess_unit *u = &out->units[k];
        u->ind = pw_arena_alloc(a, sizeof *u->ind * (u->nind ? u->nind : 1));
        u->nind = 0;
    }
    for (size_t i = 0; i < nall; i++) {
        pw_assess_unit *u = assess_find_unit(out, all[i].unit);
        if (u)
            u->ind[u->nind++] = all[i];
    }
    /* earlier months keep the revision in force then (SPEC 3.2): whether a
     * unit had anything to report in month m < last_month follows the
     * revision of m */
    int last_rev = 0;
    if (pw_store_plan_rev_at(db, plan->id, year, last_month, &last_rev) != PW_OK)
        return PW_INTERNAL;
    for (int m = 1; m < last_month; m++) {
        int rev;
        if (pw_store_plan_rev_at(db, plan->id, year, m, &rev) != PW_OK)
            return PW_INTERNAL;
        if (rev == last_rev)
            continue;
        pw_assignment *then;
        size_t nthen;
        if (pw_store_plan_assignments_all(db, a, plan->id, year, m, &then, &nthen) != PW_OK)
            return PW_INTERNAL;
        for (size_t k = 0; k < out->nunits; k++)
            out->units[k].had[m] = -1; /* none, unless found below */
        for (size_t i = 0; i < nthen; i++) {
            pw_assess_unit *u = assess_find_unit(out, then[i].unit);
            if (u)
                u->had[m] = 1;
        }
    }
    /* deadline extensions of the year; a unit's own row comes after the
     * period's ('' sorts first) and so wins */
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01", year);
    snprintf(to, sizeof to, "%04d-%02d", year, last_month);
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
            pw_deadline_monthly(year, m, plan->due_day, plan->tz_offset_min, &mo->deadline);
            for (size_t e = 0; e < next; e++)
                if (atoi(ext[e].period + 5) == m &&
                    (!ext[e].unit[0] || strcmp(ext[e].unit, u->unit.id) == 0)) {
                    mo->deadline = ext[e].until;
                    mo->extended_to = ext[e].until_date;
                    mo->extension_reason = ext[e].reason;
                }
            if (!pw_assess_unit_expected(plan, &u->unit, year, m) ||
                !assess_has_indicators(u, m, last_month))
                mo->status = PW_TL_NOT_EXPECTED;
            else
                mo->status = now > mo->deadline ? PW_TL_MISSING : PW_TL_NOT_DUE;
        }
        for (int h = 1; h <= 2; h++)
            pw_deadline_halfyear(year, h, plan->tz_offset_min, &u->half_deadline[h]);
    }

    /* monthly reports of the year, current versions */
    static const char rep_sql[] =
        "SELECT r.unit_id, r.period, r.first_received_at, r.deadline, r.state, r.id,"
        " r.current_version, COALESCE(v.problems,'') FROM reports r "
        "LEFT JOIN report_versions v ON v.report_id = r.id AND v.version = r.current_version "
        "WHERE r.plan_id = ?1 AND r.period BETWEEN ?2 AND ?3";
    st = pw_db_stmt_texts(db, rep_sql, 3, (const char *[]){plan->id, from, to});
    if (!st)
        return PW_INTERNAL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pw_assess_unit *u = assess_find_unit(out, pw_col_text(st, 0));
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
        mo->days_late = pw_days_late(mo->received, mo->deadline);
        /* a report counts even from a unit not expected that month */
        mo->status = mo->days_late > 0 ? PW_TL_LATE : PW_TL_ON_TIME;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PW_INTERNAL;

    /* values: report by report through the primary key (no big join, no
     * temporary sort of millions of rows) */
    if (what != PW_ASSESS_NO_VALUES &&
        assess_load_values(db, a, out, what == PW_ASSESS_HISTORY) != PW_OK)
        return PW_INTERNAL;

    /* half-year supervision reports: first receipt per half */
    static const char half_sql[] = "SELECT unit_id, period, MIN(received_at) FROM halfyear_reports "
                                   "WHERE plan_id = ?1 AND period IN (?2, ?3) "
                                   "GROUP BY unit_id, period";
    char h1[16], h2[16];
    snprintf(h1, sizeof h1, "%04d-H1", year);
    snprintf(h2, sizeof h2, "%04d-H2", year);
    st = pw_db_stmt_texts(db, half_sql, 3, (const char *[]){plan->id, h1, h2});
    if (!st)
        return PW_INTERNAL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pw_assess_unit *u = assess_find_unit(out, pw_col_text(st, 0));
        if (!u)
            continue;
        int h = pw_col_text(st, 1)[6] == '1' ? 1 : 2;
        u->half_received[h] = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PW_INTERNAL;

    /* findings of the year */
    pw_finding_row *f;
    size_t nf;
    if (pw_store_finding_list(db, a, plan->id, "", year, 0, &f, &nf) != PW_OK)
        return PW_INTERNAL;
    for (size_t i = 0; i < nf; i++) {
        pw_assess_unit *u = assess_find_unit(out, f[i].unit);
        if (!u)
            continue;
        if (!u->findings)
            u->findings = pw_arena_alloc(a, sizeof *u->findings * nf);
        u->findings[u->nfindings++] = f[i];
    }
    return PW_OK;
}
