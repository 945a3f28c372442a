/*
 * state.c - the materialised current state of the reported values (see
 * state.h).
 *
 * Design notes
 * - One row per (plan, unit, year) holding a blob: a unit's whole year is
 *   one B-tree lookup and one contiguous read, so a national ranking reads
 *   3,000 rows instead of 600,000 value rows, and the dispatch summary
 *   3,000 instead of 7.2 million.
 * - Blob format (little-endian, version byte first): 'S' '1', then per
 *   indicator in id order: u8 id length, the id bytes, u16 month mask, and
 *   per month of the mask (ascending) an i8 milestone and an 8-byte double.
 * - report_state(report_id, version) says which version of each report the
 *   state holds; a startup sync recomputes the unit-years where it differs
 *   from reports.current_version.
 */
#include "server/store/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "server/store/store_plan.h"
#include "server/store/store_report.h"

enum { STATE_MAGIC0 = 'S', STATE_MAGIC1 = '1' };

static int state_milestone(const char *s)
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

/* ---- the blob --------------------------------------------------------- */

static size_t state_encoded_size(const pw_state_series *s)
{
    size_t n = 2;
    for (size_t i = 0; i < s->n; i++)
        if (s->ind[i].mask)
            n += 1 + strlen(s->ind[i].id) + 2 + 9 * (size_t)__builtin_popcount(s->ind[i].mask);
    return n;
}

static unsigned char *state_encode(pw_arena *a, const pw_state_series *s, size_t *len)
{
    unsigned char *b = pw_arena_alloc(a, state_encoded_size(s)), *p = b;
    *p++ = STATE_MAGIC0;
    *p++ = STATE_MAGIC1;
    for (size_t i = 0; i < s->n; i++) {
        const pw_state_ind *x = &s->ind[i];
        size_t idlen = strlen(x->id);
        if (!x->mask || idlen > 255)
            continue;
        *p++ = (unsigned char)idlen;
        memcpy(p, x->id, idlen);
        p += idlen;
        *p++ = (unsigned char)(x->mask & 0xff);
        *p++ = (unsigned char)(x->mask >> 8);
        for (int m = 1; m <= 12; m++) {
            if (!(x->mask & (1u << m)))
                continue;
            *p++ = (unsigned char)x->milestone[m];
            memcpy(p, &x->value[m], 8);
            p += 8;
        }
    }
    *len = (size_t)(p - b);
    return b;
}

/* PW_OK, or PW_INTERNAL for a blob this build cannot read. */
static int state_decode(pw_arena *a, const unsigned char *b, size_t len, pw_state_series *out)
{
    out->ind = NULL;
    out->n = 0;
    if (len == 0)
        return PW_OK;
    if (len < 2 || b[0] != STATE_MAGIC0 || b[1] != STATE_MAGIC1)
        return PW_INTERNAL;
    /* count first: one allocation */
    size_t n = 0, off = 2;
    while (off < len) {
        if (off + 3 + b[off] > len)
            return PW_INTERNAL;
        size_t idlen = b[off];
        unsigned mask = b[off + 1 + idlen] | (unsigned)b[off + 2 + idlen] << 8;
        off += 3 + idlen + 9 * (size_t)__builtin_popcount(mask);
        n++;
    }
    if (off != len)
        return PW_INTERNAL;
    out->ind = pw_arena_alloc(a, sizeof *out->ind * (n ? n : 1));
    for (off = 2; off < len; out->n++) {
        pw_state_ind *x = &out->ind[out->n];
        size_t idlen = b[off];
        x->id = pw_arena_strndup(a, (const char *)b + off + 1, idlen);
        off += 1 + idlen;
        x->mask = b[off] | (unsigned)b[off + 1] << 8;
        off += 2;
        memset(x->milestone, -1, sizeof x->milestone);
        for (int m = 1; m <= 12; m++) {
            if (!(x->mask & (1u << m)))
                continue;
            x->milestone[m] = (signed char)b[off];
            memcpy(&x->value[m], b + off + 1, 8);
            off += 9;
        }
    }
    return PW_OK;
}

unsigned char *pw_state_encode(pw_arena *a, const pw_state_series *s, size_t *len)
{
    return state_encode(a, s, len);
}

int pw_state_iter_init(pw_state_iter *it, const void *blob, size_t len)
{
    it->b = blob;
    it->len = len;
    it->off = 2;
    if (len == 0) {
        it->off = 0;
        return PW_OK;
    }
    return len >= 2 && it->b[0] == STATE_MAGIC0 && it->b[1] == STATE_MAGIC1 ? PW_OK : PW_INTERNAL;
}

int pw_state_iter_next(pw_state_iter *it, pw_state_entry *e)
{
    if (it->off >= it->len)
        return 0;
    const unsigned char *b = it->b;
    size_t off = it->off;
    if (off + 3 + b[off] > it->len)
        return -1;
    e->idlen = b[off];
    e->id = (const char *)b + off + 1;
    off += 1 + e->idlen;
    e->mask = b[off] | (unsigned)b[off + 1] << 8;
    off += 2;
    e->months = b + off;
    off += 9 * (size_t)__builtin_popcount(e->mask);
    if (off > it->len)
        return -1;
    it->off = off;
    return 1;
}

void pw_state_entry_months(const pw_state_entry *e, double value[13], signed char milestone[13])
{
    const unsigned char *p = e->months;
    for (int m = 1; m <= 12; m++) {
        if (!(e->mask & (1u << m))) {
            milestone[m] = -1;
            value[m] = 0;
            continue;
        }
        milestone[m] = (signed char)p[0];
        memcpy(&value[m], p + 1, 8);
        p += 9;
    }
}

int pw_state_decode(pw_arena *a, const void *blob, size_t len, pw_state_series *out)
{
    return state_decode(a, blob, len, out);
}

/* The entry of `id` in `s` (sorted), inserted when absent. */
static pw_state_ind *state_entry(pw_arena *a, pw_state_series *s, size_t *cap, const char *id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->ind[mid].id, id);
        if (c == 0)
            return &s->ind[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        s->ind = pw_arena_grow(a, s->ind, s->n, *cap, sizeof *s->ind);
    }
    memmove(&s->ind[lo + 1], &s->ind[lo], sizeof *s->ind * (s->n - lo));
    s->n++;
    pw_state_ind *x = &s->ind[lo];
    memset(x, 0, sizeof *x);
    memset(x->milestone, -1, sizeof x->milestone);
    x->id = pw_arena_strdup(a, id);
    return x;
}

/* A report_values row (indicator_id, value, milestone at columns c..c+2)
 * into month m of `s`; a row with neither a value nor a milestone is no
 * value. */
static void state_put(pw_arena *a, pw_state_series *s, size_t *cap, sqlite3_stmt *st, int c, int m)
{
    int ms = state_milestone(pw_col_text(st, c + 2));
    int has_value = sqlite3_column_type(st, c + 1) != SQLITE_NULL;
    if (!has_value && ms < 0)
        return;
    pw_state_ind *x = state_entry(a, s, cap, pw_col_text(st, c));
    x->mask |= 1u << m;
    x->milestone[m] = (signed char)ms;
    x->value[m] = sqlite3_column_double(st, c + 1);
}

/* ---- reading ---------------------------------------------------------- */

/* `sql` with ?1 plan, ?2 unit, ?3..?4 the periods of `year`, bound. */
static sqlite3_stmt *state_year_stmt(pw_db *db, const char *sql, const char *plan, const char *unit,
                                     int year)
{
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01", year);
    snprintf(to, sizeof to, "%04d-12", year);
    return pw_db_stmt_texts(db, sql, 4, (const char *[]){plan, unit, from, to});
}

static int state_read_blob(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                           pw_state_series *out)
{
    static const char sql[] = "SELECT series FROM value_state"
                              " WHERE plan_id = ?1 AND unit_id = ?2 AND year = ?3";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan, unit});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 3, year);
    int rc = sqlite3_step(st), res = PW_OK;
    out->ind = NULL;
    out->n = 0;
    if (rc == SQLITE_ROW)
        res = state_decode(a, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), out);
    else if (rc != SQLITE_DONE)
        res = PW_INTERNAL;
    sqlite3_reset(st);
    return res;
}

int pw_store_state_get(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                       pw_state_series *out)
{
    return state_read_blob(db, a, plan, unit, year, out);
}

int pw_store_state_recompute(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                             pw_state_series *out)
{
    static const char sql[] =
        "SELECT r.period, v.indicator_id, v.value, v.milestone FROM reports r"
        " JOIN report_values v ON v.report_id = r.id AND v.version = r.current_version"
        " WHERE r.plan_id = ?1 AND r.unit_id = ?2 AND r.period BETWEEN ?3 AND ?4";
    sqlite3_stmt *st = state_year_stmt(db, sql, plan, unit, year);
    if (!st)
        return PW_INTERNAL;
    out->ind = NULL;
    out->n = 0;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int m = atoi(pw_col_text(st, 0) + 5);
        if (m >= 1 && m <= 12)
            state_put(a, out, &cap, st, 1, m);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PW_OK : PW_INTERNAL;
}

struct pw_state_cursor {
    sqlite3_stmt *st;
};

int pw_store_state_open(pw_db *db, pw_arena *a, const char *plan, int year, const char *unit_from,
                        const char *unit_to, pw_state_cursor **out)
{
    static const char sql[] = "SELECT unit_id, series FROM value_state WHERE plan_id = ?1"
                              " AND year = ?2 AND unit_id BETWEEN ?3 AND ?4 ORDER BY unit_id";
    pw_state_cursor *c = pw_arena_alloc(a, sizeof *c);
    const char *texts[] = {plan, "", unit_from ? unit_from : "",
                           unit_to ? unit_to : PW_STORE_UNIT_MAX};
    *out = c;
    if (!(c->st = pw_db_stmt_texts(db, sql, 4, texts)))
        return PW_INTERNAL;
    sqlite3_bind_int(c->st, 2, year);
    return PW_OK;
}

int pw_store_state_next_raw(pw_state_cursor *c, const char **unit, const void **blob, size_t *len)
{
    if (!c->st)
        return PW_NOT_FOUND;
    int rc = sqlite3_step(c->st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(c->st);
        c->st = NULL;
        return rc == SQLITE_DONE ? PW_NOT_FOUND : PW_INTERNAL;
    }
    *unit = pw_col_text(c->st, 0);
    *blob = sqlite3_column_blob(c->st, 1);
    *len = (size_t)sqlite3_column_bytes(c->st, 1);
    return PW_OK;
}

void pw_store_state_close(pw_state_cursor *c)
{
    if (c && c->st) {
        sqlite3_reset(c->st);
        c->st = NULL;
    }
}

/* ---- writing ---------------------------------------------------------- */

static int state_store(pw_db *w, pw_arena *a, const char *plan, const char *unit, int year,
                       const pw_state_series *s)
{
    static const char sql[] = "INSERT INTO value_state(plan_id, unit_id, year, series)"
                              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (plan_id, unit_id, year)"
                              " DO UPDATE SET series = excluded.series";
    size_t len;
    unsigned char *b = state_encode(a, s, &len);
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 2, (const char *[]){plan, unit});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 3, year);
    sqlite3_bind_blob(st, 4, b, (int)len, SQLITE_STATIC);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

/* Record the versions of (plan, unit, year)'s reports the state now holds. */
static int state_mark(pw_db *w, const char *plan, const char *unit, int year)
{
    static const char sql[] = "INSERT OR REPLACE INTO report_state(report_id, version)"
                              " SELECT id, current_version FROM reports"
                              " WHERE plan_id = ?1 AND unit_id = ?2 AND period BETWEEN ?3 AND ?4";
    sqlite3_stmt *st = state_year_stmt(w, sql, plan, unit, year);
    if (!st)
        return PW_INTERNAL;
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

/* Record that the state holds `version` of `report_id`. */
static int state_mark_one(pw_db *w, int64_t report_id, int version)
{
    static const char sql[] = "INSERT OR REPLACE INTO report_state(report_id, version)"
                              " VALUES (?1, ?2)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int(st, 2, version);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

static int state_value_cmp(const void *a, const void *b)
{
    const pw_report_value_row *x = *(const pw_report_value_row *const *)a;
    const pw_report_value_row *y = *(const pw_report_value_row *const *)b;
    return strcmp(x->indicator, y->indicator);
}

/* Month m of `s` becomes v[0..n), as state_put would read the same rows
 * back from report_values (a row with neither a number nor a milestone is
 * no value; a stored -0 reads back as 0): one merge pass over the values
 * sorted by id, so that a new unit-year costs no insertion shuffle.  A
 * repeated id (which the table's primary key refuses first): the last
 * one wins. */
static void state_set_month_values(pw_arena *a, pw_state_series *s, int m,
                                   const pw_report_value_row *v, size_t n)
{
    const pw_report_value_row **sv = pw_arena_alloc(a, sizeof *sv * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        sv[i] = &v[i];
    size_t sorted = 1; /* clients usually send them in order: no sort then */
    while (sorted < n && state_value_cmp(&sv[sorted - 1], &sv[sorted]) <= 0)
        sorted++;
    if (sorted < n)
        qsort(sv, n, sizeof *sv, state_value_cmp);
    pw_state_ind *out = pw_arena_alloc(a, sizeof *out * (s->n + n ? s->n + n : 1));
    size_t i = 0, j = 0, k = 0;
    while (i < s->n || j < n) {
        int c = i == s->n ? 1 : j == n ? -1 : strcmp(s->ind[i].id, sv[j]->indicator);
        if (c <= 0) {
            out[k] = s->ind[i++];
            out[k].mask &= ~(1u << m);
            out[k].milestone[m] = -1;
            out[k].value[m] = 0;
            k++;
        }
        if (c < 0)
            continue;
        /* sv[j] goes into out[k - 1] (c == 0) or a new entry (c > 0) */
        const pw_report_value_row *x = sv[j++];
        int ms = state_milestone(x->milestone);
        if (!x->has_value && ms < 0)
            continue;
        if (c > 0 && !(k > 0 && strcmp(out[k - 1].id, x->indicator) == 0)) {
            pw_state_ind *e = &out[k++];
            memset(e, 0, sizeof *e);
            memset(e->milestone, -1, sizeof e->milestone);
            e->id = x->indicator;
        }
        pw_state_ind *e = &out[k - 1];
        e->mask |= 1u << m;
        e->milestone[m] = (signed char)ms;
        e->value[m] = x->has_value && x->value != 0 ? x->value : 0;
    }
    s->ind = out;
    s->n = k;
}

int pw_store_state_apply(pw_db *w, const char *plan, const char *unit, const char *period,
                         int64_t report_id, int version, const pw_report_value_row *v, size_t n)
{
    int year = atoi(period), m = strlen(period) == 7 ? atoi(period + 5) : 0, res = PW_OK;
    if (m >= 1 && m <= 12) {
        pw_arena a;
        pw_arena_init(&a);
        pw_state_series s;
        res = state_read_blob(w, &a, plan, unit, year, &s);
        if (res == PW_OK) {
            state_set_month_values(&a, &s, m, v, n);
            res = state_store(w, &a, plan, unit, year, &s);
        }
        pw_arena_fini(&a);
    }
    return res == PW_OK ? state_mark_one(w, report_id, version) : res;
}

typedef struct state_stale {
    const char *plan, *unit;
    int year;
} state_stale;

static void state_stale_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    *(state_stale *)row =
        (state_stale){pw_arena_strdup(a, pw_col_text(st, 0)),
                      pw_arena_strdup(a, pw_col_text(st, 1)), sqlite3_column_int(st, 2)};
}

int pw_store_state_sync(pw_db *w, int64_t *fixed)
{
    static const char stale_sql[] =
        "SELECT DISTINCT r.plan_id, r.unit_id, CAST(substr(r.period, 1, 4) AS INTEGER)"
        " FROM reports r LEFT JOIN report_state s ON s.report_id = r.id"
        " WHERE s.version IS NOT r.current_version";
    if (fixed)
        *fixed = 0;
    /* the stale unit-years first (statements on the same connection must
     * not interleave with the writes below) */
    sqlite3_stmt *st = pw_db_stmt(w, stale_sql);
    if (!st)
        return PW_INTERNAL;
    pw_arena a;
    pw_arena_init(&a);
    state_stale *list = NULL;
    size_t n = 0;
    int res = pw_db_collect(st, &a, sizeof *list, state_stale_read, (void **)&list, &n);
    pw_arena scratch;
    pw_arena_init(&scratch);
    for (size_t i = 0; i < n && res == PW_OK; i++) {
        pw_state_series s;
        pw_arena_reset(&scratch);
        res = pw_store_state_recompute(w, &scratch, list[i].plan, list[i].unit, list[i].year, &s);
        if (res == PW_OK)
            res = state_store(w, &scratch, list[i].plan, list[i].unit, list[i].year, &s);
        if (res == PW_OK)
            res = state_mark(w, list[i].plan, list[i].unit, list[i].year);
    }
    pw_arena_fini(&scratch);
    pw_arena_fini(&a);
    if (fixed && res == PW_OK)
        *fixed = (int64_t)n;
    return res;
}
