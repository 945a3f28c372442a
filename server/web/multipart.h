/*
 * multipart.h - THE parser of multipart/form-data bodies (the board's
 * uploads).  Small on purpose: parts with a Content-Disposition of
 * form-data, a name and maybe a filename; no nesting, no transfer
 * encodings.
 *
 * Limits: at most PW_MULTIPART_MAX_PARTS parts, PW_MULTIPART_MAX_HEADERS
 * header lines of at most PW_MULTIPART_MAX_LINE bytes each per part, a
 * boundary of 1-70 characters (RFC 2046).  The body size is limited before
 * it is read (--http-max-body-bytes).  Any violation is an error naming the
 * part; nothing is half-parsed.  Part data point into the body (not
 * copied); names are NUL-terminated arena copies.  Pure; thread-safe with
 * one arena per thread.
 */
#ifndef PW_SERVER_WEB_MULTIPART_H
#define PW_SERVER_WEB_MULTIPART_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"

#define PW_MULTIPART_MAX_PARTS 16
#define PW_MULTIPART_MAX_HEADERS 8
#define PW_MULTIPART_MAX_LINE 1024

typedef struct pw_multipart_part {
    const char *name;         /* the form field */
    const char *filename;     /* NULL when not a file */
    const char *content_type; /* "" when absent */
    const uint8_t *data;      /* into the body */
    size_t len;
} pw_multipart_part;

typedef struct pw_multipart {
    pw_multipart_part *parts;
    int n;
} pw_multipart;

/* The boundary of a Content-Type header "multipart/form-data; boundary=X"
 * (quoted or not) into the arena, or NULL when it is not one. */
const char *pw_multipart_boundary(pw_arena *a, const char *content_type);

/* Parse body[0..len) delimited by `boundary`.  0 with *out set, or -1 with
 * `err` saying what is wrong and where (*out untouched). */
int pw_multipart_parse(pw_arena *a, const uint8_t *body, size_t len, const char *boundary,
                       pw_multipart *out, char *err, size_t errlen);

/* The first part called `name`, or NULL. */
const pw_multipart_part *pw_multipart_get(const pw_multipart *m, const char *name);

#endif
