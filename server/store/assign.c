/*
 * assign.c - the stored assignments (see assign.h).
 *
 * Design notes
 * - One row per (plan, rev, year, unit): a blob of the unit's assignments
 *   in plan order.  Texts are not stored: each entry names its indicator by
 *   its position in the revision's indicators sorted by id, which the
 *   reader loads once (200 rows) and shares between all units.
 * - Blob format (little-endian): 'A' '1', then per assignment: u16
 *   indicator position, u8 flags (ASSIGN_*), u8 due month, f64 target, f64
 *   baseline when ASSIGN_BASELINE, f64 tolerance when ASSIGN_TOLERANCE.
 *   Kind and direction are the indicator's, except for a responsible unit
 *   without its own target: a task, "up" (as pw_store_plan_assignments).
 * - assign_built(plan_id, rev) marks a copy as complete; the schema's
 *   triggers delete the mark whenever the plan's tables change, so a
 *   reader without the mark reads the plan's tables instead.
 */
#include "server/store/assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"

enum { ASSIGN_MAGIC0 = 'A', ASSIGN_MAGIC1 = '1' };
enum {
    ASSIGN_OWN = 1,
    ASSIGN_LEAD = 2,
    ASSIGN_RESP = 4,
    ASSIGN_BASELINE = 8,
    ASSIGN_TOLERANCE = 16,
};

/* ---- the revision's indicators ------------------------------------------ */

/* An indicators row as an assignment template (texts, kind, direction,
 * seq). */
static void assign_indicator_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_assignment *x = row;
    memset(x, 0, sizeof *x);
    const char **t[] = {&x->indicator_id, &x->level1, &x->level2,   &x->level3,
                        &x->uom,          &x->kind,   &x->direction};
    for (int c = 0; c < 7; c++)
        *t[c] = pw_arena_strdup(a, pw_col_text(st, c));
    x->seq = sqlite3_column_int(st, 7);
}

/* The indicators of (plan, rev) sorted by id, as assignment templates. */
static int assign_indicators(pw_db *db, pw_arena *a, const char *plan, int rev, pw_assignment **out,
                             size_t *n)
{
    static const char sql[] = "SELECT id, level1, level2, level3, uom, kind, direction, seq"
                              " FROM indicators WHERE plan_id = ?1 AND rev = ?2 ORDER BY id";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 1, (const char *[]){plan});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    return pw_db_collect(st, a, sizeof **out, assign_indicator_read, (void **)out, n);
}

static int assign_find(const pw_assignment *inds, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(inds[mid].indicator_id, id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- the blob ----------------------------------------------------------- */

static void assign_put_f64(unsigned char **p, double v)
{
    memcpy(*p, &v, 8);
    *p += 8;
}

/* Encode rows (one unit's, in plan order) against `inds`; NULL when an
 * indicator is not in `inds` (cannot happen: both come from the same
 * revision). */
static unsigned char *assign_encode(pw_arena *a, const pw_assignment *inds, size_t ninds,
                                    const pw_assignment *rows, size_t n, size_t *len)
{
    unsigned char *b = pw_arena_alloc(a, 2 + n * 28), *p = b;
    *p++ = ASSIGN_MAGIC0;
    *p++ = ASSIGN_MAGIC1;
    for (size_t i = 0; i < n; i++) {
        const pw_assignment *x = &rows[i];
        int pos = assign_find(inds, ninds, x->indicator_id);
        if (pos < 0 || pos > 0xffff)
            return NULL;
        unsigned flags = (x->own_target ? ASSIGN_OWN : 0) | (x->is_lead ? ASSIGN_LEAD : 0) |
                         (x->is_resp ? ASSIGN_RESP : 0) | (x->has_baseline ? ASSIGN_BASELINE : 0) |
                         (x->has_tolerance ? ASSIGN_TOLERANCE : 0);
        *p++ = (unsigned char)(pos & 0xff);
        *p++ = (unsigned char)(pos >> 8);
        *p++ = (unsigned char)flags;
        *p++ = (unsigned char)(x->due_month >= 0 && x->due_month <= 12 ? x->due_month : 0);
        assign_put_f64(&p, x->target);
        if (x->has_baseline)
            assign_put_f64(&p, x->baseline);
        if (x->has_tolerance)
            assign_put_f64(&p, x->tolerance);
    }
    *len = (size_t)(p - b);
    return b;
}

static double assign_get_f64(const unsigned char *p)
{
    double v;
    memcpy(&v, p, 8);
    return v;
}

/* Decode a blob into rows allocated in `a`; PW_INTERNAL for a blob this
 * build cannot read or that names an indicator outside `inds`. */
static int assign_decode(pw_arena *a, const pw_assignment *inds, size_t ninds, const char *unit,
                         const unsigned char *b, size_t len, pw_assignment **rows, int **posp,
                         size_t *n)
{
    *rows = NULL;
    *n = 0;
    if (len < 2 || b[0] != ASSIGN_MAGIC0 || b[1] != ASSIGN_MAGIC1)
        return PW_INTERNAL;
    pw_assignment *r = pw_arena_alloc(a, sizeof *r * ((len - 2) / 12 + 1));
    int *pv = posp ? pw_arena_alloc(a, sizeof *pv * ((len - 2) / 12 + 1)) : NULL;
    size_t off = 2, k = 0;
    while (off < len) {
        if (off + 12 > len)
            return PW_INTERNAL;
        size_t pos = b[off] | (size_t)b[off + 1] << 8;
        unsigned flags = b[off + 2];
        size_t need = 12 + (flags & ASSIGN_BASELINE ? 8 : 0) + (flags & ASSIGN_TOLERANCE ? 8 : 0);
        if (pos >= ninds || off + need > len)
            return PW_INTERNAL;
        if (pv)
            pv[k] = (int)pos;
        pw_assignment *x = &r[k++];
        *x = inds[pos];
        x->unit = unit;
        x->due_month = b[off + 3];
        x->own_target = (flags & ASSIGN_OWN) != 0;
        x->is_lead = (flags & ASSIGN_LEAD) != 0;
        x->is_resp = (flags & ASSIGN_RESP) != 0;
        if (x->is_resp && !x->own_target) {
            x->kind = "task";
            x->direction = "up";
        }
        x->target = assign_get_f64(b + off + 4);
        off += 12;
        if (flags & ASSIGN_BASELINE) {
            x->has_baseline = 1;
            x->baseline = assign_get_f64(b + off);
            off += 8;
        }
        if (flags & ASSIGN_TOLERANCE) {
            x->has_tolerance = 1;
            x->tolerance = assign_get_f64(b + off);
            off += 8;
        }
    }
    *rows = r;
    if (posp)
        *posp = pv;
    *n = k;
    return PW_OK;
}

/* ---- building ----------------------------------------------------------- */

typedef struct assign_collect {
    pw_assignment *v;
    size_t n;
} assign_collect;

static int assign_unit_seq_cmp(const void *x, const void *y)
{
    const pw_assignment *a = x, *b = y;
    int c = strcmp(a->unit, b->unit);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Every unit's assignments of (plan, rev, year) from the plan's tables,
 * sorted by (unit, plan order). */
static int assign_collect_all(pw_db *db, pw_arena *a, const char *plan, int rev, int year,
                              const char *unit_from, const char *unit_to, assign_collect *c)
{
    int st =
        pw_store_plan_assignments_rev_all(db, a, plan, year, rev, unit_from, unit_to, &c->v, &c->n);
    if (st == PW_OK && c->n)
        qsort(c->v, c->n, sizeof *c->v, assign_unit_seq_cmp);
    return st;
}

static int assign_store_unit(pw_db *w, pw_arena *a, const char *plan, int rev, int year,
                             const pw_assignment *inds, size_t ninds, const pw_assignment *rows,
                             size_t n)
{
    static const char sql[] = "INSERT INTO assign_state(plan_id, rev, year, unit_id, rows)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)";
    size_t len;
    unsigned char *b = assign_encode(a, inds, ninds, rows, n, &len);
    if (!b)
        return PW_INTERNAL;
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan);
    sqlite3_bind_int(st, 2, rev);
    sqlite3_bind_int(st, 3, year);
    pw_bind_text(st, 4, rows[0].unit);
    sqlite3_bind_blob(st, 5, b, (int)len, SQLITE_STATIC);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

static void assign_int_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    (void)a;
    *(int *)row = sqlite3_column_int(st, 0);
}

/* The years of (plan, rev) that have targets. */
static int assign_years(pw_db *w, pw_arena *a, const char *plan, int rev, int **years, size_t *n)
{
    static const char sql[] = "SELECT DISTINCT year FROM targets WHERE plan_id = ?1 AND rev = ?2";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 1, (const char *[]){plan});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    return pw_db_collect(st, a, sizeof **years, assign_int_read, (void **)years, n);
}

static int assign_build_year(pw_db *w, pw_arena *a, const char *plan, int rev, int year,
                             const pw_assignment *inds, size_t ninds)
{
    assign_collect c = {0};
    int st = assign_collect_all(w, a, plan, rev, year, NULL, NULL, &c);
    for (size_t i = 0; st == PW_OK && i < c.n;) {
        size_t j = i + 1;
        while (j < c.n && strcmp(c.v[j].unit, c.v[i].unit) == 0)
            j++;
        st = assign_store_unit(w, a, plan, rev, year, inds, ninds, &c.v[i], j - i);
        i = j;
    }
    return st;
}

int pw_store_assign_build(pw_db *w, const char *plan, int rev)
{
    static const char clear_sql[] = "DELETE FROM assign_state WHERE plan_id = ?1 AND rev = ?2";
    static const char mark_sql[] = "INSERT OR REPLACE INTO assign_built(plan_id, rev)"
                                   " VALUES (?1, ?2)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, clear_sql, 1, (const char *[]){plan});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    pw_arena a;
    pw_arena_init(&a);
    pw_assignment *inds;
    size_t ninds, nyears;
    int *years;
    int res = assign_indicators(w, &a, plan, rev, &inds, &ninds);
    if (res == PW_OK)
        res = assign_years(w, &a, plan, rev, &years, &nyears);
    for (size_t y = 0; res == PW_OK && y < nyears; y++) {
        pw_arena year_arena; /* one year's rows at a time */
        pw_arena_init(&year_arena);
        res = assign_build_year(w, &year_arena, plan, rev, years[y], inds, ninds);
        pw_arena_fini(&year_arena);
    }
    pw_arena_fini(&a);
    if (res != PW_OK || !(st = pw_db_stmt_texts(w, mark_sql, 1, (const char *[]){plan})))
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

typedef struct assign_todo {
    const char *plan;
    int rev;
} assign_todo;

static void assign_todo_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    *(assign_todo *)row =
        (assign_todo){pw_arena_strdup(a, pw_col_text(st, 0)), sqlite3_column_int(st, 1)};
}

int pw_store_assign_sync(pw_db *w, int64_t *built)
{
    static const char sql[] = "SELECT DISTINCT plan_id, rev FROM indicators i WHERE NOT EXISTS"
                              " (SELECT 1 FROM assign_built b WHERE b.plan_id = i.plan_id"
                              " AND b.rev = i.rev)";
    if (built)
        *built = 0;
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_arena a;
    pw_arena_init(&a);
    assign_todo *list = NULL;
    size_t n = 0;
    /* the whole list first: the builds write on the same connection */
    int res = pw_db_collect(st, &a, sizeof *list, assign_todo_read, (void **)&list, &n);
    for (size_t i = 0; i < n && res == PW_OK; i++)
        res = pw_store_assign_build(w, list[i].plan, list[i].rev);
    pw_arena_fini(&a);
    if (built && res == PW_OK)
        *built = (int64_t)n;
    return res;
}

/* ---- reading ------------------------------------------------------------ */

struct pw_assign_cursor {
    pw_arena *a;
    int stored;
    /* stored: the revision's indicators and the rows statement */
    pw_assignment *inds;
    size_t ninds;
    sqlite3_stmt *st;
    /* from the plan's tables: every row, sorted by (unit, plan order) */
    assign_collect all;
    size_t pos;
};

static int assign_is_built(pw_db *db, const char *plan, int rev, int *built)
{
    static const char sql[] = "SELECT count(*) FROM assign_built WHERE plan_id = ?1 AND rev = ?2";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 1, (const char *[]){plan});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    int64_t n = 0;
    int res = pw_db_int64(st, &n);
    *built = n > 0;
    return res;
}

int pw_store_assign_open(pw_db *db, pw_arena *a, const char *plan, int year, int month,
                         const char *unit_from, const char *unit_to, pw_assign_cursor **out)
{
    static const char sql[] = "SELECT unit_id, rows FROM assign_state WHERE plan_id = ?1"
                              " AND rev = ?2 AND year = ?3 AND unit_id BETWEEN ?4 AND ?5"
                              " ORDER BY unit_id";
    pw_assign_cursor *c = pw_arena_alloc(a, sizeof *c);
    memset(c, 0, sizeof *c);
    c->a = a;
    *out = c;
    int rev, built;
    if (pw_store_plan_rev_at(db, plan, year, month, &rev) != PW_OK ||
        assign_is_built(db, plan, rev, &built) != PW_OK)
        return PW_INTERNAL;
    if (assign_indicators(db, a, plan, rev, &c->inds, &c->ninds) != PW_OK)
        return PW_INTERNAL;
    if (!built)
        return assign_collect_all(db, a, plan, rev, year, unit_from, unit_to, &c->all);
    c->stored = 1;
    const char *texts[] = {plan, "", "", unit_from ? unit_from : "",
                           unit_to ? unit_to : PW_STORE_UNIT_MAX};
    if (!(c->st = pw_db_stmt_texts(db, sql, 5, texts)))
        return PW_INTERNAL;
    sqlite3_bind_int(c->st, 2, rev);
    sqlite3_bind_int(c->st, 3, year);
    return PW_OK;
}

int pw_store_assign_next(pw_assign_cursor *c, pw_arena *rows_arena, const char **unit,
                         pw_assignment **rows, int **pos, size_t *n)
{
    if (!c->stored) {
        if (c->pos >= c->all.n)
            return PW_NOT_FOUND;
        size_t i = c->pos, j = i + 1;
        while (j < c->all.n && strcmp(c->all.v[j].unit, c->all.v[i].unit) == 0)
            j++;
        c->pos = j;
        *unit = c->all.v[i].unit;
        *rows = &c->all.v[i];
        *n = j - i;
        *pos = pw_arena_alloc(rows_arena, sizeof **pos * (*n ? *n : 1));
        for (size_t k = 0; k < *n; k++)
            (*pos)[k] = assign_find(c->inds, c->ninds, (*rows)[k].indicator_id);
        return PW_OK;
    }
    if (!c->st)
        return PW_NOT_FOUND;
    int rc = sqlite3_step(c->st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(c->st);
        c->st = NULL;
        return rc == SQLITE_DONE ? PW_NOT_FOUND : PW_INTERNAL;
    }
    *unit = pw_arena_strdup(rows_arena, pw_col_text(c->st, 0));
    return assign_decode(rows_arena, c->inds, c->ninds, *unit, sqlite3_column_blob(c->st, 1),
                         (size_t)sqlite3_column_bytes(c->st, 1), rows, pos, n);
}

void pw_store_assign_close(pw_assign_cursor *c)
{
    if (c && c->st) {
        sqlite3_reset(c->st);
        c->st = NULL;
    }
}

int pw_store_assign_stored(const pw_assign_cursor *c)
{
    return c->stored;
}

const pw_assignment *pw_store_assign_indicators(const pw_assign_cursor *c, size_t *n)
{
    *n = c->ninds;
    return c->inds;
}

int pw_store_assign_get(pw_db *db, pw_arena *a, const char *plan, int rev, int year,
                        const char *unit, pw_assignment **rows, size_t *n)
{
    static const char sql[] = "SELECT rows FROM assign_state WHERE plan_id = ?1 AND rev = ?2"
                              " AND year = ?3 AND unit_id = ?4";
    int built;
    *rows = NULL;
    *n = 0;
    if (assign_is_built(db, plan, rev, &built) != PW_OK)
        return PW_INTERNAL;
    if (!built)
        return PW_NOT_FOUND;
    pw_assignment *inds;
    size_t ninds;
    if (assign_indicators(db, a, plan, rev, &inds, &ninds) != PW_OK)
        return PW_INTERNAL;
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 1, (const char *[]){plan});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 2, rev);
    sqlite3_bind_int(st, 3, year);
    pw_bind_text(st, 4, unit);
    int rc = sqlite3_step(st), res = PW_OK;
    if (rc == SQLITE_ROW)
        res = assign_decode(a, inds, ninds, pw_arena_strdup(a, unit), sqlite3_column_blob(st, 0),
                            (size_t)sqlite3_column_bytes(st, 0), rows, NULL, n);
    else if (rc != SQLITE_DONE)
        res = PW_INTERNAL;
    sqlite3_reset(st);
    return res;
}
