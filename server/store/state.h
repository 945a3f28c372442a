/*
 * state.h - the materialised current state of the reported values (issue
 * 18): per (plan, unit, year) the value of every indicator in every month,
 * taken from the current version of that month's report.  Dispatch and
 * scoring read it (one row per unit) instead of re-deriving the year from
 * the report versions.
 *
 * The state is written in the same transaction as the report version that
 * changes it (pw_store_state_apply); a table report_state records which
 * version of each report the state holds, so that pw_store_state_sync can
 * bring a database written by other means (an upgrade, rows written behind
 * the server's back) up to date when the server starts.  Unlocks, returns
 * and plan revisions change no value: they leave the state alone (the
 * progress, lights and quality flags that depend on targets are computed
 * from it at read time by the pure engine).
 */
#ifndef PW_SERVER_STATE_H
#define PW_SERVER_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"
#include "server/store/store_report.h"

/* One indicator of one unit-year: months with a value (bit m, 1..12). */
typedef struct pw_state_ind {
    const char *id;
    unsigned mask;
    signed char milestone[13]; /* -1 none, 0 not_started, 1 in_progress, 2 done */
    double value[13];          /* 0 when the value is NULL (a milestone) */
} pw_state_ind;

/* A unit-year: its indicators sorted by id (strcmp). */
typedef struct pw_state_series {
    pw_state_ind *ind;
    size_t n;
} pw_state_series;

/* A stored value_state.series blob decoded into `a` (no SQL: tests read
 * the table themselves).  PW_INTERNAL for a blob this build cannot read. */
int pw_state_decode(pw_arena *a, const void *blob, size_t len, pw_state_series *out);

/* The blob of a series (in `a`), as stored. */
unsigned char *pw_state_encode(pw_arena *a, const pw_state_series *s, size_t *len);

/* A stored blob walked in place, without copying (the office's reads over
 * 3,000 units): entries in id order; an id is NOT NUL-terminated. */
typedef struct pw_state_iter {
    const unsigned char *b;
    size_t len, off;
} pw_state_iter;
typedef struct pw_state_entry {
    const char *id;
    size_t idlen;
    unsigned mask; /* months with a value (bit m, 1..12) */
    const unsigned char *months;
} pw_state_entry;
/* PW_OK, or PW_INTERNAL for a blob this build cannot read. */
int pw_state_iter_init(pw_state_iter *it, const void *blob, size_t len);
/* 1 an entry, 0 the end, -1 a damaged blob. */
int pw_state_iter_next(pw_state_iter *it, pw_state_entry *e);
/* The months of an entry: value[m] and milestone[m] for m 1..12 (0 and
 * -1 where its mask has no bit). */
void pw_state_entry_months(const pw_state_entry *e, double value[13], signed char milestone[13]);

/* Writer: fold a version of a monthly report into the state of its
 * (plan, unit, year), in the transaction that has just stored it: version
 * `version` of report `report_id` for `period` (YYYY-MM) with the values
 * v[0..n) given to pw_store_report_values_insert (taken as given, not read
 * back), and that version becomes the one report_state records. */
int pw_store_state_apply(pw_db *w, const char *plan, const char *unit, const char *period,
                         int64_t report_id, int version, const pw_report_value_row *v, size_t n);

/* Writer: recompute the state of every (plan, unit, year) whose reports'
 * current versions differ from the versions the state holds.  *fixed (may
 * be NULL) gets the number of unit-years recomputed. */
int pw_store_state_sync(pw_db *w, int64_t *fixed);

/* The stored state of (plan, unit, year); an empty series when none. */
int pw_store_state_get(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                       pw_state_series *out);
/* The same state recomputed from the raw report versions (the reference
 * the incremental state must equal). */
int pw_store_state_recompute(pw_db *db, pw_arena *a, const char *plan, const char *unit, int year,
                             pw_state_series *out);

/* Every unit's stored values of (plan, year) with an id in [unit_from,
 * unit_to] (NULL: no bound), in unit id order, as a cursor (to walk beside
 * other per-unit streams): open, next_raw until PW_NOT_FOUND, close. */
typedef struct pw_state_cursor pw_state_cursor;
int pw_store_state_open(pw_db *db, pw_arena *a, const char *plan, int year, const char *unit_from,
                        const char *unit_to, pw_state_cursor **out);
/* The next unit's row without decoding: unit and blob stay valid until
 * the next call on the cursor (or close). */
int pw_store_state_next_raw(pw_state_cursor *c, const char **unit, const void **blob, size_t *len);
void pw_store_state_close(pw_state_cursor *c);

#endif
