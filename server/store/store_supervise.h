/*
 * store_supervise.h - supervision items (SPEC 3.6) and their answers.
 */
#ifndef PW_SERVER_STORE_SUPERVISE_H
#define PW_SERVER_STORE_SUPERVISE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "server/store/store.h"

typedef struct pw_supervision_answer_row {
    const char *user;
    int64_t at;
    const char *text;
} pw_supervision_answer_row;

typedef struct pw_supervision_row {
    int64_t id;
    const char *unit, *unit_name, *text, *deadline, *state;
    const char *opened_by, *closed_by, *close_note;
    int64_t opened_at, closed_at;
    pw_supervision_answer_row *answers;
    size_t nanswers;
} pw_supervision_row;

int pw_store_supervision_insert(pw_db *w, const char *unit, const char *text, const char *deadline,
                                const char *by, int64_t at, int64_t *id);
int pw_store_supervision_answer(pw_db *w, int64_t id, const char *user, int64_t at,
                                const char *text);
/* How many answers item `id` has. */
int pw_store_supervision_answer_count(pw_db *db, int64_t id, int64_t *n);
int pw_store_supervision_close(pw_db *w, int64_t id, const char *by, int64_t at, const char *note);
/* One item with its answers; NOT_FOUND when absent. */
int pw_store_supervision_get(pw_db *db, pw_arena *a, int64_t id, pw_supervision_row *out);
/* Items of `unit` ("" = all), closed ones only when include_closed, oldest
 * deadline first, with their answers. */
int pw_store_supervision_list(pw_db *db, pw_arena *a, const char *unit, int include_closed,
                              pw_supervision_row **rows, size_t *n);

#endif
