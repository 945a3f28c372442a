/*
 * fuzz_multipart.c - libFuzzer target for the multipart/form-data parser
 * (server/web/multipart.c).  The first byte picks a boundary length, the
 * next bytes are the boundary, the rest the body.  For any input: no crash
 * or read past the exact-size body copy (ASan); on success every part lies
 * inside the body, has a non-empty NUL-free name, there are at most
 * PW_MULTIPART_MAX_PARTS, and no part's data contains the delimiter.
 * Run: ./scripts/fuzz (corpus in tests/fuzz/corpus/multipart/)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/web/multipart.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t bl = (size_t)(data[0] % 72);
    if (bl == 0 || 1 + bl > size)
        return 0;
    char boundary[80];
    memcpy(boundary, data + 1, bl);
    boundary[bl] = '\0';
    if (strlen(boundary) != bl)
        return 0;
    size_t len = size - 1 - bl;
    uint8_t *body = fuzz_copy(data + 1 + bl, len);
    if (!body)
        return 0;
    pw_arena a;
    pw_arena_init(&a);
    pw_multipart m;
    char err[256];
    if (pw_multipart_parse(&a, body, len, boundary, &m, err, sizeof err) == 0) {
        char delim[80];
        size_t dl = bl + 4;
        memcpy(delim, "\r\n--", 4);
        memcpy(delim + 4, boundary, bl);
        FUZZ_CHECK(m.n >= 0 && m.n <= PW_MULTIPART_MAX_PARTS);
        for (int i = 0; i < m.n; i++) {
            const pw_multipart_part *p = &m.parts[i];
            FUZZ_CHECK(p->name && p->name[0]);
            FUZZ_CHECK(p->data >= body && p->data + p->len <= body + len);
            FUZZ_CHECK(memmem(p->data, p->len, delim, dl) == NULL);
        }
    } else {
        FUZZ_CHECK(err[0] != '\0');
    }
    pw_arena_fini(&a);
    free(body);
    return 0;
}
