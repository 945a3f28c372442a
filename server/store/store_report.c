/*
 * store_report.c - statements for reports, versions, values, locks,
 * half-year reports and the audit trail.
 */
#include "server/store/store_report.h"

#include <string.h>

#include "common/status.h"

static void store_report_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_report_row *out = row;
    out->id = sqlite3_column_int64(st, 0);
    out->plan = pw_arena_strdup(a, pw_col_text(st, 1));
    out->unit = pw_arena_strdup(a, pw_col_text(st, 2));
    out->period = pw_arena_strdup(a, pw_col_text(st, 3));
    out->state = pw_arena_strdup(a, pw_col_text(st, 4));
    out->review_note = pw_arena_strdup(a, pw_col_text(st, 5));
    out->first_received_at = sqlite3_column_int64(st, 6);
    out->deadline = sqlite3_column_int64(st, 7);
    out->current_version = sqlite3_column_int(st, 8);
    out->bytes = sqlite3_column_int64(st, 9);
}

int pw_store_report_get(pw_db *db, pw_arena *a, const char *plan, const char *unit,
                        const char *period, pw_report_row *out)
{
    static const char sql[] =
        "SELECT id, plan_id, unit_id, period, state, COALESCE(review_note,''),"
        " first_received_at, deadline, current_version, bytes FROM reports "
        "WHERE plan_id = ?1 AND unit_id = ?2 AND period = ?3";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, unit, period});
    if (!st)
        return PW_INTERNAL;
    return pw_db_one(st, a, store_report_read, out);
}

static void store_version_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_report_version_row *v = row;
    v->version = sqlite3_column_int(st, 0);
    v->submission_id = pw_arena_strdup(a, pw_col_text(st, 1));
    v->user = pw_arena_strdup(a, pw_col_text(st, 2));
    v->received_at = sqlite3_column_int64(st, 3);
    v->progress = pw_arena_strdup(a, pw_col_text(st, 4));
    v->problems = pw_arena_strdup(a, pw_col_text(st, 5));
    v->next_steps = pw_arena_strdup(a, pw_col_text(st, 6));
}

int pw_store_report_versions_range(pw_db *db, pw_arena *a, int64_t report_id, int from, int limit,
                                   pw_report_version_row **rows, size_t *n)
{
    static const char sql[] = "SELECT version, submission_id, user_name, received_at, progress,"
                              " problems, next_steps FROM report_versions WHERE report_id = ?1 "
                              "AND version >= ?2 ORDER BY version LIMIT ?3";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int(st, 2, from);
    sqlite3_bind_int(st, 3, limit);
    return pw_db_collect(st, a, sizeof **rows, store_version_read, (void **)rows, n);
}

static void store_value_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_report_value_row *v = row;
    v->indicator = pw_arena_strdup(a, pw_col_text(st, 0));
    v->has_value = sqlite3_column_type(st, 1) != SQLITE_NULL;
    v->value = sqlite3_column_double(st, 1);
    v->milestone = pw_arena_strdup(a, pw_col_text(st, 2));
    v->note = pw_arena_strdup(a, pw_col_text(st, 3));
}

int pw_store_report_values(pw_db *db, pw_arena *a, int64_t report_id, int version,
                           pw_report_value_row **rows, size_t *n)
{
    static const char sql[] = "SELECT indicator_id, value, COALESCE(milestone,''), note "
                              "FROM report_values WHERE report_id = ?1 AND version = ?2";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int(st, 2, version);
    return pw_db_collect(st, a, sizeof **rows, store_value_read, (void **)rows, n);
}

static void store_submission_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_submission_row *out = row;
    out->report_id = sqlite3_column_int64(st, 0);
    out->version = sqlite3_column_int(st, 1);
    out->unit = pw_arena_strdup(a, pw_col_text(st, 2));
    out->period = pw_arena_strdup(a, pw_col_text(st, 3));
    out->halfyear = sqlite3_column_int(st, 4);
}

int pw_store_submission_find(pw_db *db, pw_arena *a, const char *submission_id,
                             pw_submission_row *out)
{
    static const char sql[] =
        "SELECT v.report_id, v.version, r.unit_id, r.period, 0 FROM report_versions v"
        " JOIN reports r ON r.id = v.report_id WHERE v.submission_id = ?1 "
        "UNION ALL SELECT id, version, unit_id, period, 1 FROM halfyear_reports"
        " WHERE submission_id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, submission_id);
    return pw_db_one(st, a, store_submission_read, out);
}

int pw_store_report_previous_values(pw_db *db, pw_arena *a, const char *plan, const char *unit,
                                    const char *period, pw_report_value_row **rows, size_t *n)
{
    /* newest month first: the caller keeps the first value per indicator */
    static const char sql[] =
        "SELECT rv.indicator_id, rv.value, COALESCE(rv.milestone,''), rv.note FROM reports r"
        " JOIN report_values rv ON rv.report_id = r.id AND rv.version = r.current_version "
        "WHERE r.plan_id = ?1 AND r.unit_id = ?2 AND r.period >= substr(?3, 1, 5) || '01'"
        " AND r.period < ?3 ORDER BY r.period DESC";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, unit, period});
    if (!st)
        return PW_INTERNAL;
    return pw_db_collect(st, a, sizeof **rows, store_value_read, (void **)rows, n);
}

int pw_store_period_locked(pw_db *db, const char *plan, const char *period, const char *unit,
                           int *locked)
{
    /* fail closed: until the answer is known, the period is locked */
    *locked = 1;
    /* a unit's own row wins over the period's row */
    static const char sql[] = "SELECT locked FROM period_locks WHERE plan_id = ?1 AND period = ?2"
                              " AND unit_id IN ('', ?3) ORDER BY unit_id DESC LIMIT 1";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, period, unit});
    if (!st)
        return PW_INTERNAL;
    int64_t v = 0;
    int rc = pw_db_one(st, NULL, pw_db_read_int64, &v);
    if (rc != PW_INTERNAL)
        *locked = v != 0;
    return rc == PW_INTERNAL ? PW_INTERNAL : PW_OK;
}

int pw_store_indicator_exists(pw_db *db, const char *plan, const char *id, int *exists)
{
    *exists = 0;
    static const char sql[] = "SELECT 1 FROM indicators WHERE plan_id = ?1 AND id = ?2";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 2, (const char *[]){plan, id});
    if (!st)
        return PW_INTERNAL;
    int64_t one = 0;
    int rc = pw_db_one(st, NULL, pw_db_read_int64, &one);
    if (rc == PW_INTERNAL)
        return PW_INTERNAL;
    *exists = rc == PW_OK;
    return PW_OK;
}

int pw_store_report_insert(pw_db *w, const char *plan, const char *unit, const char *period,
                           int64_t at, int64_t deadline, int64_t *report_id)
{
    static const char sql[] = "INSERT INTO reports(plan_id, unit_id, period, first_received_at,"
                              " deadline, current_version) VALUES (?1, ?2, ?3, ?4, ?5, 1)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 3, (const char *[]){plan, unit, period});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 4, at);
    sqlite3_bind_int64(st, 5, deadline);
    if (pw_db_exec_stmt(w, st) != 0)
        return PW_INTERNAL;
    *report_id = pw_db_last_insert_id(w);
    return PW_OK;
}

int pw_store_report_new_version(pw_db *w, int64_t report_id, int version)
{
    /* an amendment goes back to the office: returned -> submitted */
    static const char sql[] = "UPDATE reports SET current_version = ?2, state = 'submitted'"
                              " WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int(st, 2, version);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

int pw_store_report_version_insert(pw_db *w, int64_t report_id, const pw_report_version_row *v)
{
    static const char sql[] =
        "INSERT INTO report_versions(report_id, version, submission_id, user_name, received_at,"
        " progress, problems, next_steps) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    sqlite3_bind_int(st, 2, v->version);
    pw_bind_text(st, 3, v->submission_id);
    pw_bind_text(st, 4, v->user);
    sqlite3_bind_int64(st, 5, v->received_at);
    pw_bind_text(st, 6, v->progress);
    pw_bind_text(st, 7, v->problems);
    pw_bind_text(st, 8, v->next_steps);
    int rc = pw_db_exec_stmt(w, st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return PW_ALREADY_EXISTS;
    return rc == 0 ? PW_OK : PW_INTERNAL;
}

/* One statement per chunk of rows: a report's 200 values are 4 statements
 * (64 + 64 + 64 + 8) instead of 200, about half the CPU of the inserts
 * (measured: the per-statement step, halt and reset cost as much as the
 * B-tree work).  The "?" are numbered in order: row r, column c is r*6+c. */
#define VALUES_ROW "(?,?,?,?,?,?)"
#define VALUES_2 VALUES_ROW "," VALUES_ROW
#define VALUES_8 VALUES_2 "," VALUES_2 "," VALUES_2 "," VALUES_2
#define VALUES_64                                                                                  \
    VALUES_8 "," VALUES_8 "," VALUES_8 "," VALUES_8 "," VALUES_8 "," VALUES_8 "," VALUES_8         \
             "," VALUES_8
#define VALUES_INSERT                                                                              \
    "INSERT INTO report_values(report_id, version, indicator_id, value, milestone, note) VALUES "

static const char values_insert_64[] = VALUES_INSERT VALUES_64;
static const char values_insert_8[] = VALUES_INSERT VALUES_8;
static const char values_insert_1[] = VALUES_INSERT VALUES_ROW;

int pw_store_report_values_insert(pw_db *w, int64_t report_id, int version,
                                  const pw_report_value_row *v, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t left = n - i, rows = left >= 64 ? 64 : left >= 8 ? 8 : 1;
        sqlite3_stmt *st = pw_db_stmt(w, rows == 64  ? values_insert_64
                                         : rows == 8 ? values_insert_8
                                                     : values_insert_1);
        if (!st)
            return PW_INTERNAL;
        for (size_t r = 0; r < rows; r++, i++) {
            int c = (int)r * 6;
            sqlite3_bind_int64(st, c + 1, report_id);
            sqlite3_bind_int(st, c + 2, version);
            /* the rows outlive the statement's step: no copies */
            sqlite3_bind_text(st, c + 3, v[i].indicator ? v[i].indicator : "", -1, SQLITE_STATIC);
            if (v[i].has_value)
                sqlite3_bind_double(st, c + 4, v[i].value);
            if (v[i].milestone && v[i].milestone[0])
                sqlite3_bind_text(st, c + 5, v[i].milestone, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, c + 6, v[i].note ? v[i].note : "", -1, SQLITE_STATIC);
        }
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
    }
    return PW_OK;
}

int pw_store_report_review(pw_db *w, int64_t report_id, const char *state, const char *note,
                           const char *by, int64_t at)
{
    static const char sql[] = "UPDATE reports SET state = ?2, review_note = ?3, reviewed_by = ?4,"
                              " reviewed_at = ?5 WHERE id = ?1";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, report_id);
    pw_bind_text(st, 2, state);
    pw_bind_text_or_null(st, 3, note);
    pw_bind_text(st, 4, by);
    sqlite3_bind_int64(st, 5, at);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

int pw_store_period_lock_set(pw_db *w, const char *plan, const char *period, const char *unit,
                             int locked, const char *by, int64_t at, const char *reason)
{
    static const char clear[] = "DELETE FROM period_locks WHERE plan_id = ?1 AND period = ?2"
                                " AND unit_id <> ''";
    static const char sql[] =
        "INSERT OR REPLACE INTO period_locks(plan_id, period, unit_id, locked, by_user, at, reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st;
    if (!unit[0]) {
        /* a decision for the whole period replaces the per-unit ones */
        if (!(st = pw_db_stmt(w, clear)))
            return PW_INTERNAL;
        pw_bind_text(st, 1, plan);
        pw_bind_text(st, 2, period);
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
    }
    if (!(st = pw_db_stmt(w, sql)))
        return PW_INTERNAL;
    pw_bind_text(st, 1, plan);
    pw_bind_text(st, 2, period);
    pw_bind_text(st, 3, unit);
    sqlite3_bind_int(st, 4, locked);
    pw_bind_text(st, 5, by);
    sqlite3_bind_int64(st, 6, at);
    pw_bind_text(st, 7, reason);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}

static void store_halfyear_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    (void)a;
    pw_halfyear_row *out = row;
    out->id = sqlite3_column_int64(st, 0);
    out->version = sqlite3_column_int(st, 1);
    out->received_at = sqlite3_column_int64(st, 2);
    out->deadline = sqlite3_column_int64(st, 3);
    out->first_received_at = sqlite3_column_int64(st, 4);
    out->bytes = sqlite3_column_int64(st, 5);
}

int pw_store_halfyear_latest(pw_db *db, const char *plan, const char *unit, const char *period,
                             pw_halfyear_row *out)
{
    static const char sql[] =
        "SELECT id, version, received_at, deadline, (SELECT MIN(received_at) FROM"
        " halfyear_reports h2 WHERE h2.plan_id = h.plan_id AND h2.unit_id = h.unit_id AND"
        " h2.period = h.period), (SELECT SUM(length(CAST(body AS BLOB))"
        " + length(CAST(submission_id AS BLOB)) + length(CAST(user_name AS BLOB))) FROM"
        " halfyear_reports h3 WHERE h3.plan_id = h.plan_id AND h3.unit_id = h.unit_id AND"
        " h3.period = h.period) FROM halfyear_reports h WHERE plan_id = ?1 AND unit_id = ?2"
        " AND period = ?3 ORDER BY version DESC LIMIT 1";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, unit, period});
    if (!st)
        return PW_INTERNAL;
    return pw_db_one(st, NULL, store_halfyear_read, out);
}

int pw_store_halfyear_insert(pw_db *w, const char *plan, const char *unit, const char *period,
                             int version, const char *submission_id, const char *user, int64_t at,
                             int64_t deadline, const char *body, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO halfyear_reports(plan_id, unit_id, period, version, submission_id,"
        " user_name, received_at, deadline, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    sqlite3_stmt *st = pw_db_stmt_texts(w, sql, 3, (const char *[]){plan, unit, period});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int(st, 4, version);
    pw_bind_text(st, 5, submission_id);
    pw_bind_text(st, 6, user);
    sqlite3_bind_int64(st, 7, at);
    sqlite3_bind_int64(st, 8, deadline);
    pw_bind_text(st, 9, body);
    int rc = pw_db_exec_stmt(w, st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return PW_ALREADY_EXISTS;
    if (rc != 0)
        return PW_INTERNAL;
    *id = pw_db_last_insert_id(w);
    return PW_OK;
}

static void store_audit_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_audit_row *r = row;
    r->id = sqlite3_column_int64(st, 0);
    r->at = sqlite3_column_int64(st, 1);
    r->user = pw_arena_strdup(a, pw_col_text(st, 2));
    r->unit = pw_arena_strdup(a, pw_col_text(st, 3));
    r->method = pw_arena_strdup(a, pw_col_text(st, 4));
    r->object = pw_arena_strdup(a, pw_col_text(st, 5));
    r->summary = pw_arena_strdup(a, pw_col_text(st, 6));
}

int pw_store_audit_list(pw_db *db, pw_arena *a, int64_t since, int limit, pw_audit_row **rows,
                        size_t *n)
{
    static const char sql[] = "SELECT id, at, user_name, COALESCE(unit_id,''), method, object,"
                              " summary FROM audit WHERE at >= ?1 ORDER BY id LIMIT ?2";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int(st, 2, limit);
    return pw_db_collect(st, a, sizeof **rows, store_audit_read, (void **)rows, n);
}

static void store_halfyear_version_read(sqlite3_stmt *st, pw_arena *a, void *row)
{
    pw_halfyear_version_row *v = row;
    v->version = sqlite3_column_int(st, 0);
    v->submission_id = pw_arena_strdup(a, pw_col_text(st, 1));
    v->user = pw_arena_strdup(a, pw_col_text(st, 2));
    v->received_at = sqlite3_column_int64(st, 3);
    v->deadline = sqlite3_column_int64(st, 4);
    v->bytes = sqlite3_column_int64(st, 5);
    v->body_omitted = sqlite3_column_type(st, 6) == SQLITE_NULL;
    v->body = pw_arena_strdup(a, pw_col_text(st, 6));
}

int pw_store_halfyear_versions(pw_db *db, pw_arena *a, const char *plan, const char *unit,
                               const char *period, int64_t body_budget,
                               pw_halfyear_version_row **rows, size_t *n)
{
    /* bodies newest first while their running total stays within the
     * budget; the newest one always */
    static const char sql[] =
        "SELECT version, submission_id, user_name, received_at, deadline, n,"
        " CASE WHEN rn = 1 OR total <= ?4 THEN body END FROM ("
        "  SELECT version, submission_id, user_name, received_at, deadline, body,"
        "   length(CAST(body AS BLOB)) AS n,"
        "   ROW_NUMBER() OVER (ORDER BY version DESC) AS rn,"
        "   SUM(length(CAST(body AS BLOB))) OVER (ORDER BY version DESC) AS total"
        "  FROM halfyear_reports WHERE plan_id = ?1 AND unit_id = ?2 AND period = ?3)"
        " ORDER BY version";
    sqlite3_stmt *st = pw_db_stmt_texts(db, sql, 3, (const char *[]){plan, unit, period});
    if (!st)
        return PW_INTERNAL;
    sqlite3_bind_int64(st, 4, body_budget);
    return pw_db_collect(st, a, sizeof **rows, store_halfyear_version_read, (void **)rows, n);
}

/* ---- stored bytes (caps of issue 10 item 3) -------------------------------- */

int pw_store_unit_usage(pw_db *db, const char *unit, int64_t *bytes)
{
    *bytes = 0;
    static const char sql[] = "SELECT bytes FROM unit_usage WHERE unit_id = ?1";
    sqlite3_stmt *st = pw_db_stmt(db, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, unit);
    int rc = pw_db_one(st, NULL, pw_db_read_int64, bytes);
    return rc == PW_INTERNAL ? PW_INTERNAL : PW_OK;
}

int pw_store_usage_add(pw_db *w, int64_t report_id, const char *unit, int64_t bytes)
{
    if (report_id > 0) {
        static const char sql[] = "UPDATE reports SET bytes = bytes + ?2 WHERE id = ?1";
        sqlite3_stmt *st = pw_db_stmt(w, sql);
        if (!st)
            return PW_INTERNAL;
        sqlite3_bind_int64(st, 1, report_id);
        sqlite3_bind_int64(st, 2, bytes);
        if (pw_db_exec_stmt(w, st) != 0)
            return PW_INTERNAL;
    }
    static const char sql[] = "INSERT INTO unit_usage(unit_id, bytes) VALUES (?1, ?2)"
                              " ON CONFLICT(unit_id) DO UPDATE SET bytes = bytes + excluded.bytes";
    sqlite3_stmt *st = pw_db_stmt(w, sql);
    if (!st)
        return PW_INTERNAL;
    pw_bind_text(st, 1, unit);
    sqlite3_bind_int64(st, 2, bytes);
    return pw_db_exec_stmt(w, st) == 0 ? PW_OK : PW_INTERNAL;
}
