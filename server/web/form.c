/*
 * form.c - see form.h.
 */
#include "server/web/form.h"

#include <stdio.h>
#include <string.h>

int pw_form_hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..n) into the arena; -1 on a malformed escape or a NUL. */
static int pw_form_decode(pw_arena *a, const char *s, size_t n, char **out, size_t *outlen)
{
    char *d = pw_arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 1 < n ? pw_form_hex((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? pw_form_hex((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (c == '\0')
            return -1;
        d[j++] = c;
    }
    d[j] = '\0';
    *out = d;
    *outlen = j;
    return 0;
}

static int pw_form_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > PW_FORM_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

int pw_form_parse(pw_arena *a, const char *data, size_t len, pw_form *out, char *err, size_t errlen)
{
    pw_form f = {NULL, 0};
    size_t i = 0;
    int cap = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && data[end] != '&')
            end++;
        if (end > i) { /* "a=1&&b=2": empty pieces are skipped */
            const char *eq = memchr(data + i, '=', end - i);
            size_t nlen = eq ? (size_t)(eq - (data + i)) : end - i;
            char *name, *value;
            size_t dn, dv;
            if (pw_form_decode(a, data + i, nlen, &name, &dn) != 0 || !pw_form_name_ok(name, dn)) {
                snprintf(err, errlen, "field %d at byte %zu: a name is 1-%d of A-Z a-z 0-9 _ . -",
                         f.n + 1, i, PW_FORM_MAX_NAME);
                return -1;
            }
            const char *v = eq ? eq + 1 : data + end;
            if (pw_form_decode(a, v, (size_t)(data + end - v), &value, &dv) != 0) {
                snprintf(err, errlen, "field %s: malformed %%-escape or NUL byte in its value",
                         name);
                return -1;
            }
            if (f.n == PW_FORM_MAX_FIELDS) {
                snprintf(err, errlen, "more than %d fields", PW_FORM_MAX_FIELDS);
                return -1;
            }
            if (f.n == cap) {
                int ncap = cap ? cap * 2 : 8;
                f.fields = pw_arena_grow(a, f.fields, (size_t)f.n, (size_t)ncap, sizeof *f.fields);
                cap = ncap;
            }
            f.fields[f.n++] = (pw_form_field){name, value, dv};
        }
        i = end + 1;
    }
    *out = f;
    return 0;
}

const char *pw_form_get(const pw_form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return f->fields[i].value;
    return NULL;
}

int pw_form_only(const pw_form *f, const char *const *allowed, char *err, size_t errlen)
{
    for (int i = 0; i < f->n; i++) {
        int ok = 0;
        for (const char *const *p = allowed; *p && !ok; p++)
            ok = strcmp(*p, f->fields[i].name) == 0;
        if (!ok) {
            snprintf(err, errlen, "unknown parameter '%s'", f->fields[i].name);
            return -1;
        }
    }
    return 0;
}
