/*
 * arena.h - a bump allocator for the lifetime of one call.
 *
 * Every RPC call gets one arena: the request is unpacked into it (through
 * pw_arena_protobuf_allocator), the handler builds its response in it, and
 * everything is released at once with pw_arena_reset/pw_arena_fini.  Nothing
 * allocated from an arena may be freed individually.  Not thread-safe: one
 * arena belongs to one worker.
 */
#ifndef PW_COMMON_ARENA_H
#define PW_COMMON_ARENA_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

typedef struct pw_arena_block pw_arena_block;

typedef struct pw_arena {
    pw_arena_block *head;  /* current block, linked to older ones */
    size_t block_size;     /* default size of new blocks */
    size_t total;          /* bytes handed out since the last reset */
    ProtobufCAllocator pb; /* allocator view for protobuf-c */
} pw_arena;

/* Initialise an empty arena; no memory is taken until the first alloc. */
void pw_arena_init(pw_arena *a);
/* Release every block. The arena can be used again after pw_arena_init. */
void pw_arena_fini(pw_arena *a);
/* Release everything handed out but keep the first block for reuse. */
void pw_arena_reset(pw_arena *a);

/* Zeroed memory, 16-byte aligned; aborts on out-of-memory (like xmalloc). */
void *pw_arena_alloc(pw_arena *a, size_t n);
/* Copies of strings; NULL in gives "" out. */
char *pw_arena_strdup(pw_arena *a, const char *s);
char *pw_arena_strndup(pw_arena *a, const char *s, size_t n);
char *pw_arena_printf(pw_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A protobuf-c allocator that allocates from `a` and never frees. */
ProtobufCAllocator *pw_arena_protobuf_allocator(pw_arena *a);

/* Grow an arena array: returns a copy of `old` (n elements of `size`) with
 * room for `cap` elements. Used for repeated fields built incrementally. */
void *pw_arena_grow(pw_arena *a, void *old, size_t n, size_t cap, size_t size);

#endif
