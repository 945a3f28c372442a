/*
 * multipart.c - see multipart.h.
 *
 * Shape (RFC 7578 / 2046):
 *   [preamble] "--" B CRLF headers CRLF CRLF data CRLF "--" B CRLF ... data CRLF "--" B "--"
 * The parser finds each delimiter "CRLF--B" with memmem, so data may hold
 * anything except that sequence.
 */
#include "server/web/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *pw_multipart_boundary(pw_arena *a, const char *ct)
{
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
        return NULL;
    const char *p = ct + 19;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9) != 0)
            continue;
        p += 9;
        size_t n;
        if (*p == '"') {
            p++;
            const char *q = strchr(p, '"');
            if (!q)
                return NULL;
            n = (size_t)(q - p);
        } else {
            n = strcspn(p, "; \t");
        }
        if (n < 1 || n > 70)
            return NULL;
        return pw_arena_strndup(a, p, n);
    }
    return NULL;
}

/* The value of `key` (name, filename) in a Content-Disposition line, quoted
 * or bare, into the arena; NULL when absent or malformed. */
static const char *pw_multipart_param(pw_arena *a, const char *line, size_t len, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl + 1 < len; i++) {
        if ((i == 0 || line[i - 1] == ';' || line[i - 1] == ' ') &&
            strncasecmp(line + i, key, kl) == 0 && line[i + kl] == '=') {
            const char *v = line + i + kl + 1;
            size_t left = len - (size_t)(v - line);
            if (left && *v == '"') {
                const char *q = memchr(v + 1, '"', left - 1);
                if (!q)
                    return NULL;
                return pw_arena_strndup(a, v + 1, (size_t)(q - v - 1));
            }
            size_t n = 0;
            while (n < left && v[n] != ';' && v[n] != ' ')
                n++;
            return pw_arena_strndup(a, v, n);
        }
    }
    return NULL;
}

/* One header line of part `no` (1-based): Content-Disposition gives the
 * name and filename, Content-Type the type; others are ignored. */
static int pw_multipart_header(pw_arena *a, pw_multipart_part *p, int no, const char *line,
                               size_t ll, char *err, size_t errlen)
{
    if (memchr(line, '\0', ll)) {
        snprintf(err, errlen, "part %d: NUL byte in a header", no);
        return -1;
    }
    if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
        const char *v = line + 20;
        size_t vl = ll - 20;
        while (vl && *v == ' ') {
            v++;
            vl--;
        }
        if (vl < 9 || strncasecmp(v, "form-data", 9) != 0) {
            snprintf(err, errlen, "part %d: Content-Disposition is not form-data", no);
            return -1;
        }
        p->name = pw_multipart_param(a, v, vl, "name");
        p->filename = pw_multipart_param(a, v, vl, "filename");
    } else if (ll > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
        const char *v = line + 13;
        size_t vl = ll - 13;
        while (vl && *v == ' ') {
            v++;
            vl--;
        }
        p->content_type = pw_arena_strndup(a, v, vl);
    }
    return 0;
}

/* The header lines of part `no` from body[*pos] up to an empty line; *pos
 * is then at the part's data. */
static int pw_multipart_headers(pw_arena *a, const uint8_t *body, size_t len, size_t *pos,
                                pw_multipart_part *p, int no, char *err, size_t errlen)
{
    int nh = 0;
    for (;;) {
        const uint8_t *eol = memmem(body + *pos, len - *pos, "\r\n", 2);
        if (!eol) {
            snprintf(err, errlen, "part %d: headers do not end", no);
            return -1;
        }
        size_t ll = (size_t)(eol - (body + *pos));
        const char *line = (const char *)body + *pos;
        *pos += ll + 2;
        if (ll == 0)
            return 0;
        if (++nh > PW_MULTIPART_MAX_HEADERS || ll > PW_MULTIPART_MAX_LINE) {
            snprintf(err, errlen, "part %d: more than %d header lines or one over %d bytes", no,
                     PW_MULTIPART_MAX_HEADERS, PW_MULTIPART_MAX_LINE);
            return -1;
        }
        if (pw_multipart_header(a, p, no, line, ll, err, errlen) != 0)
            return -1;
    }
}

/* Where the first part starts: after the first delimiter, which may start
 * the body without its CRLF.  0 with *pos, or -1. */
static int pw_multipart_first(const uint8_t *body, size_t len, const char *delim, size_t dl,
                              size_t *pos, char *err, size_t errlen)
{
    if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
        *pos = dl - 2;
        return 0;
    }
    const uint8_t *d = memmem(body, len, delim, dl);
    if (!d) {
        snprintf(err, errlen, "no part: the boundary does not occur in the body");
        return -1;
    }
    *pos = (size_t)(d - body) + dl;
    return 0;
}

int pw_multipart_parse(pw_arena *a, const uint8_t *body, size_t len, const char *boundary,
                       pw_multipart *out, char *err, size_t errlen)
{
    size_t bl = strlen(boundary);
    if (bl < 1 || bl > 70) {
        snprintf(err, errlen, "the boundary must have 1-70 characters");
        return -1;
    }
    char delim[80]; /* CRLF "--" boundary */
    snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    size_t dl = bl + 4;
    size_t pos;
    if (pw_multipart_first(body, len, delim, dl, &pos, err, errlen) != 0)
        return -1;
    pw_multipart m = {pw_arena_alloc(a, sizeof(pw_multipart_part) * PW_MULTIPART_MAX_PARTS), 0};
    for (;;) {
        /* after a delimiter: "--" ends, CRLF starts a part */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            break;
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
            snprintf(err, errlen, "part %d: expected CRLF after the boundary", m.n + 1);
            return -1;
        }
        pos += 2;
        if (m.n == PW_MULTIPART_MAX_PARTS) {
            snprintf(err, errlen, "more than %d parts", PW_MULTIPART_MAX_PARTS);
            return -1;
        }
        pw_multipart_part *p = &m.parts[m.n];
        memset(p, 0, sizeof *p);
        p->content_type = "";
        if (pw_multipart_headers(a, body, len, &pos, p, m.n + 1, err, errlen) != 0)
            return -1;
        if (!p->name || !p->name[0]) {
            snprintf(err, errlen, "part %d: no form-data name", m.n + 1);
            return -1;
        }
        const uint8_t *d = memmem(body + pos, len - pos, delim, dl);
        if (!d) {
            snprintf(err, errlen, "part %d (%.64s): the closing boundary is missing", m.n + 1,
                     p->name);
            return -1;
        }
        p->data = body + pos;
        p->len = (size_t)(d - (body + pos));
        pos = (size_t)(d - body) + dl;
        m.n++;
    }
    *out = m;
    return 0;
}

const pw_multipart_part *pw_multipart_get(const pw_multipart *m, const char *name)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->parts[i].name, name) == 0)
            return &m->parts[i];
    return NULL;
}
