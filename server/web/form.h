/*
 * form.h - THE parser of application/x-www-form-urlencoded text: login and
 * action forms, and URL query strings ("period=2018-03&category=county").
 *
 * Limits: at most PW_FORM_MAX_FIELDS fields, names of at most
 * PW_FORM_MAX_NAME bytes of [A-Za-z0-9_.-].  '+' is a space, %XX a byte;
 * a malformed escape, an encoded NUL or a name outside the limits is an
 * error that names the field; nothing is half-parsed.  Values are
 * NUL-terminated copies in the arena (the handlers check UTF-8 and length).
 * Pure; thread-safe with one arena per thread.
 */
#ifndef PW_SERVER_WEB_FORM_H
#define PW_SERVER_WEB_FORM_H

#include <stddef.h>

#include "common/arena.h"

#define PW_FORM_MAX_FIELDS 64
#define PW_FORM_MAX_NAME 64

typedef struct pw_form_field {
    const char *name;
    const char *value;
    size_t value_len;
} pw_form_field;

typedef struct pw_form {
    pw_form_field *fields; /* in the arena */
    int n;
} pw_form;

/* Parse data[0..len).  0 with *out set (empty data: no fields); -1 with
 * `err` saying what and where, *out untouched. */
int pw_form_parse(pw_arena *a, const char *data, size_t len, pw_form *out, char *err,
                  size_t errlen);
/* The value of the hex digit `c` (0-9, a-f, A-F), else -1; also used for
 * the request path's percent escapes (web.c). */
int pw_form_hex(int c);
/* The value of the first field called `name`, or NULL. */
const char *pw_form_get(const pw_form *f, const char *name);
/* 0 when every field's name is one of the NULL-terminated `allowed`, else
 * -1 with `err` naming the first other one. */
int pw_form_only(const pw_form *f, const char *const *allowed, char *err, size_t errlen);

#endif
