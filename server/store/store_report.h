/*
 * store_report.h - monthly reports with every version, period locks,
 * half-year reports and the audit trail (SPEC 3.3, 3.7).  Readers take any
 * connection; writers run inside pw_store_write.
 */
#ifndef PW_SERVER_STORE_REPORT_H
#define PW_SERVER_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_report_row {
    int64_t id;
    const char *plan, *unit, *period, *state, *review_note;
    int64_t first_received_at, deadline;
    int current_version;
    int64_t bytes; /* stored by all its versions (see store_schema.c v2) */
} pw_report_row;

typedef struct pw_report_version_row {
    int version;
    const char *submission_id, *user, *progress, *problems, *next_steps;
    int64_t received_at;
} pw_report_version_row;

/* A value as stored: numeric kinds in `value`, milestones in `milestone`. */
typedef struct pw_report_value_row {
    const char *indicator;
    int has_value;
    double value;
    const char *milestone; /* "" for numeric kinds */
    const char *note;
} pw_report_value_row;

/* A submission id already stored (monthly or half-year). */
typedef struct pw_submission_row {
    int64_t report_id;
    int version;
    const char *unit, *period;
    int halfyear;
} pw_submission_row;

int pw_store_report_get(pw_db *db, pw_arena *a, const char *plan, const char *unit,
                        const char *period, pw_report_row *out);
/* Versions from `from` on, at most `limit`, oldest first. */
int pw_store_report_versions_range(pw_db *db, pw_arena *a, int64_t report_id, int from, int limit,
                                   pw_report_version_row **rows, size_t *n);
int pw_store_report_values(pw_db *db, pw_arena *a, int64_t report_id, int version,
                           pw_report_value_row **rows, size_t *n);
/* NOT_FOUND when the id is new. */
int pw_store_submission_find(pw_db *db, pw_arena *a, const char *submission_id,
                             pw_submission_row *out);
/* The unit's latest value of each indicator in its reports of `year`
 * for months before `period` (current versions). */
int pw_store_report_previous_values(pw_db *db, pw_arena *a, const char *plan, const char *unit,
                                    const char *period, pw_report_value_row **rows, size_t *n);
/* Is (plan, period) locked for `unit` (a unit row overrides the period
 * row)?  PW_OK with *locked 1 or 0, or PW_INTERNAL with *locked 1: an
 * error reads as "locked" (fail closed), and callers must refuse on any
 * status other than PW_OK. */
int pw_store_period_locked(pw_db *db, const char *plan, const char *period, const char *unit,
                           int *locked);
/* Is `id` an indicator of `plan` at all (to tell "unknown" from "not
 * yours")?  PW_OK with *exists 1 or 0, or PW_INTERNAL. */
int pw_store_indicator_exists(pw_db *db, const char *plan, const char *id, int *exists);

/* Writers. */
int pw_store_report_insert(pw_db *w, const char *plan, const char *unit, const char *period,
                           int64_t at, int64_t deadline, int64_t *report_id);
int pw_store_report_new_version(pw_db *w, int64_t report_id, int version);
int pw_store_report_version_insert(pw_db *w, int64_t report_id, const pw_report_version_row *v);
/* The values v[0..n) of a version, in a few multi-row statements. */
int pw_store_report_values_insert(pw_db *w, int64_t report_id, int version,
                                  const pw_report_value_row *v, size_t n);
int pw_store_report_review(pw_db *w, int64_t report_id, const char *state, const char *note,
                           const char *by, int64_t at);
int pw_store_period_lock_set(pw_db *w, const char *plan, const char *period, const char *unit,
                             int locked, const char *by, int64_t at, const char *reason);

/* Half-year reports. */
typedef struct pw_halfyear_row {
    int64_t id;
    int version;
    int64_t received_at, first_received_at, deadline;
    int64_t bytes; /* stored by all versions of (plan, unit, period) */
} pw_halfyear_row;
/* The latest version of (plan, unit, period); NOT_FOUND when none. */
int pw_store_halfyear_latest(pw_db *db, const char *plan, const char *unit, const char *period,
                             pw_halfyear_row *out);
int pw_store_halfyear_insert(pw_db *w, const char *plan, const char *unit, const char *period,
                             int version, const char *submission_id, const char *user, int64_t at,
                             int64_t deadline, const char *body, int64_t *id);

/* Every version of (plan, unit, half-year), oldest first.  Bodies are read
 * newest first while their total stays within `body_budget` bytes (the
 * newest always); older ones come back as "" with body_omitted set, so the
 * memory of one call is bounded whatever the database holds. */
typedef struct pw_halfyear_version_row {
    int version;
    const char *submission_id, *user, *body;
    int64_t received_at, deadline;
    int64_t bytes; /* the body's length, also when omitted */
    int body_omitted;
} pw_halfyear_version_row;
int pw_store_halfyear_versions(pw_db *db, pw_arena *a, const char *plan, const char *unit,
                               const char *period, int64_t body_budget,
                               pw_halfyear_version_row **rows, size_t *n);

/* Stored bytes of a unit, all its reports together (0 when none yet). */
int pw_store_unit_usage(pw_db *db, const char *unit, int64_t *bytes);
/* Writer: count `bytes` more for the unit and, when report_id > 0, for that
 * monthly report. */
int pw_store_usage_add(pw_db *w, int64_t report_id, const char *unit, int64_t bytes);

/* Audit trail, oldest first, entries at or after `since`, at most `limit`. */
typedef struct pw_audit_row {
    int64_t id, at;
    const char *user, *unit, *method, *object, *summary;
} pw_audit_row;
int pw_store_audit_list(pw_db *db, pw_arena *a, int64_t since, int limit, pw_audit_row **rows,
                        size_t *n);

#endif
