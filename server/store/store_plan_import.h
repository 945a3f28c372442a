/*
 * store_plan_import.h - the write side of plans (SPEC 3.2) and the reads
 * that only the plan service needs (the whole tree with every target, the
 * coverage checks).  The reads shared with other services stay in
 * store_plan.h.
 */
#ifndef PW_SERVER_STORE_PLAN_IMPORT_H
#define PW_SERVER_STORE_PLAN_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"
#include "server/store/store_account.h"
#include "server/store/store_plan.h"

/* One indicator row of an import (strings borrowed from the caller). */
typedef struct pw_plan_import_indicator {
    const char *id;
    const char *level1, *level2, *level3;
    const char *uom;
    const char *kind;      /* cumulative | level | milestone | threshold | task */
    const char *direction; /* up | down | band */
    const char **leads;    /* unit ids, primary lead first */
    size_t nleads;
    const char **coops;
    size_t ncoops;
    const char **resps; /* responsible units (负责) */
    size_t nresps;
    const char *aggregate; /* "" | sum | mean | min | max | first */
} pw_plan_import_indicator;

/* One target row of an import; unit "" = plan-wide. */
typedef struct pw_plan_import_target {
    const char *indicator_id;
    int year;
    const char *unit;
    double value;
    int has_baseline;
    double baseline;
    int has_tolerance;
    double tolerance;
    const char *due; /* 'YYYY-MM' or "" */
} pw_plan_import_target;

/*
 * How many monthly and half-year reports refer to plan `id` (on the writer
 * connection, so that the answer holds for the rest of the write fn).
 */
int pw_store_plan_report_count(pw_db *w, const char *id, int64_t *n);

/*
 * Store plan `p` with its indicators (seq = position + 1) and targets,
 * replacing every indicator, unit link and target of an earlier import with
 * the same id; the plans row itself is updated in place, so that findings,
 * period locks and publications that refer to it stay valid.  *replaced says
 * whether the plan existed.  Writer connection only; the caller checks that
 * no report refers to the plan and rolls back (returns non-OK from its write
 * fn) on any failure.  Returns PW_OK or PW_INTERNAL.
 */
int pw_store_plan_replace(pw_db *w, const pw_plan_row *p, const pw_plan_import_indicator *ind,
                          size_t nind, const pw_plan_import_target *tg, size_t ntg, int *replaced);

/* A revision of a plan (SPEC 3.2): 0 is the import. */
typedef struct pw_plan_revision_row {
    int rev;
    const char *effective; /* 'YYYY-MM'; "0000-00" for the import */
    const char *reason;
    const char *by_user;
    int64_t at;
    int indicators, targets;
} pw_plan_revision_row;

/* Every revision of `plan_id`, oldest first. */
int pw_store_plan_revisions(pw_db *db, pw_arena *a, const char *plan_id,
                            pw_plan_revision_row **rows, size_t *n);

/*
 * Add revision `r` (r->rev = the next number, r->effective later than every
 * earlier revision's: the caller checks both on the writer connection) with
 * its complete tree: indicators (seq = position + 1), unit links and
 * targets.  The plans row gets first_year/last_year widened to `p`'s.
 * Writer connection only; returns PW_OK or PW_INTERNAL.
 */
int pw_store_plan_revise(pw_db *w, const pw_plan_row *p, const pw_plan_revision_row *r,
                         const pw_plan_import_indicator *ind, size_t nind,
                         const pw_plan_import_target *tg, size_t ntg);

/* A target as stored, with the unit's display name ("" for plan-wide). */
typedef struct pw_plan_target_row {
    const char *indicator_id;
    int year;
    const char *unit;
    const char *unit_name;
    double value;
    int has_baseline;
    double baseline;
    int has_tolerance;
    double tolerance;
    const char *due; /* 'YYYY-MM' or "" */
} pw_plan_target_row;

/* A lead, cooperating or responsible unit of an indicator. */
typedef struct pw_plan_unit_link {
    const char *indicator_id;
    const char *unit;
    int is_lead;
    const char *role; /* lead | coop | resp */
} pw_plan_unit_link;

/*
 * Every target of revision `rev` of `plan_id` for `year` (0 = all years),
 * ordered by indicator seq, year, plan-wide first, then unit id.
 * Arena-allocated.
 */
int pw_store_plan_targets(pw_db *db, pw_arena *a, const char *plan_id, int rev, int year,
                          pw_plan_target_row **rows, size_t *n);

/* Every lead, coop and resp link of revision `rev` of `plan_id`, ordered by
 * indicator seq, role (lead first) and file order. */
int pw_store_plan_unit_links(pw_db *db, pw_arena *a, const char *plan_id, int rev,
                             pw_plan_unit_link **rows, size_t *n);

/* Coverage checks (planwatch plan check); indicators without a lead come
 * from pw_store_plan_indicators (nleads == 0).  Arena-allocated. */
int pw_store_plan_reporters_without_unit(pw_db *db, pw_arena *a, const char ***names, size_t *n);
/* Units that no enabled reporter belongs to, by category then id. */
int pw_store_plan_units_without_user(pw_db *db, pw_arena *a, pw_unit_row **rows, size_t *n);

#endif
