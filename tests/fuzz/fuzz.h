/*
 * fuzz.h - what every libFuzzer target in tests/fuzz/ shares: the check that
 * stops the run (a trap, so libFuzzer keeps the input) and the exact-size
 * heap copy of the input that lets ASan see a read past its end.
 */
#ifndef PW_TESTS_FUZZ_H
#define PW_TESTS_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

/* A malloc'd copy of data[0..size) with nothing after it (1 byte for an
 * empty input); NULL when out of memory.  The caller frees it. */
static inline void *fuzz_copy(const uint8_t *data, size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p)
        memcpy(p, data, size);
    return p;
}

#endif
