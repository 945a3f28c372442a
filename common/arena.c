/*
 * Design notes: blocks are malloc'd and chained newest first.  A request
 * larger than a quarter of the block size gets a block of its own so that
 * big payloads (a 4 MiB import) do not waste the tail of a shared block.
 */
#include "common/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pw_arena_block {
    pw_arena_block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

#define PW_ARENA_DEFAULT_BLOCK (64 * 1024)

static void *pw_arena_pb_alloc(void *data, size_t n)
{
    return pw_arena_alloc(data, n);
}

static void pw_arena_pb_free(void *data, void *p)
{
    (void)data;
    (void)p;
}

void pw_arena_init(pw_arena *a)
{
    memset(a, 0, sizeof *a);
    a->block_size = PW_ARENA_DEFAULT_BLOCK;
    a->pb.alloc = pw_arena_pb_alloc;
    a->pb.free = pw_arena_pb_free;
    a->pb.allocator_data = a;
}

void pw_arena_fini(pw_arena *a)
{
    pw_arena_block *b = a->head;
    while (b) {
        pw_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void pw_arena_reset(pw_arena *a)
{
    /* keep the oldest standard-size block, free the rest */
    pw_arena_block *keep = NULL;
    pw_arena_block *b = a->head;
    while (b) {
        pw_arena_block *next = b->next;
        if (!keep && b->size == a->block_size) {
            keep = b;
        } else {
            free(b);
        }
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->total = 0;
}

void *pw_arena_alloc(pw_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    pw_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > a->block_size / 4 ? n : a->block_size;
        pw_arena_block *nb = malloc(sizeof *nb + size);
        if (!nb) {
            fprintf(stderr, "out of memory (%zu bytes)\n", size);
            abort();
        }
        nb->size = size;
        nb->used = 0;
        if (size == a->block_size || !b) {
            nb->next = b;
            a->head = nb;
        } else {
            /* oversize block: keep the current block on top for small allocs */
            nb->next = b->next;
            b->next = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *pw_arena_strndup(pw_arena *a, const char *s, size_t n)
{
    char *p = pw_arena_alloc(a, n + 1);
    if (s && n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pw_arena_strdup(pw_arena *a, const char *s)
{
    return pw_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

char *pw_arena_printf(pw_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = pw_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

ProtobufCAllocator *pw_arena_protobuf_allocator(pw_arena *a)
{
    return &a->pb;
}

void *pw_arena_grow(pw_arena *a, void *old, size_t n, size_t cap, size_t size)
{
    void *p = pw_arena_alloc(a, cap * size);
    if (old && n)
        memcpy(p, old, n * size);
    return p;
}
