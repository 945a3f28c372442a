/*
 * store_publish.h - the published record (SPEC 3.8): one row per published
 * version of a dispatch summary or a ranking, holding the packed reply as it
 * was published.  Rows are only ever inserted (triggers refuse UPDATE and
 * DELETE), so what viewers read never changes.
 */
#ifndef PW_SERVER_STORE_PUBLISH_H
#define PW_SERVER_STORE_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_publication_row {
    const char *kind; /* dispatch | scores */
    const char *plan, *period;
    int version; /* 1, 2, ... */
    const char *published_by;
    int64_t published_at;
    const char *reason;  /* "" for version 1 */
    const uint8_t *body; /* the packed reply; NULL in lists */
    size_t body_len;     /* its length (also in lists: 0 = kept no content) */
} pw_publication_row;

/* Append version row->version (writer, inside a write fn).  PW_OK,
 * PW_ALREADY_EXISTS (that version exists), PW_INTERNAL. */
int pw_store_publication_insert(pw_db *w, const pw_publication_row *row);

/* Version `version` of (kind, plan, period), 0 = the latest, with its body
 * (arena copy).  PW_OK, PW_NOT_FOUND, PW_INTERNAL. */
int pw_store_publication_get(pw_db *db, pw_arena *a, const char *kind, const char *plan,
                             const char *period, int version, pw_publication_row *out);

/* Every version of (kind, plan, period), oldest first, without bodies.
 * Arena-allocated; *n = 0 when never published.  PW_OK or PW_INTERNAL. */
int pw_store_publication_list(pw_db *db, pw_arena *a, const char *kind, const char *plan,
                              const char *period, pw_publication_row **rows, size_t *n);

/* The latest version of every published (kind, period) of `plan`
 * (`kind` NULL or "": both kinds), in no particular order, without bodies:
 * one query.  Arena-allocated; PW_OK or PW_INTERNAL. */
int pw_store_publication_latest(pw_db *db, pw_arena *a, const char *plan, const char *kind,
                                pw_publication_row **rows, size_t *n);

#endif
