/*
 * pbdecode.h - bounded protobuf decoding for bytes from the network.
 *
 * protobuf-c keeps every field it does not know (tag, wire type, a copy of
 * the bytes) and first lists every field it scans: a 4 MiB message of two
 * million one-byte unknown fields cost about 220 MB to decode.  Two guards:
 *   - pw_pb_first_unknown: a scan of the wire bytes, no allocation, that
 *     names the first field number the descriptor does not declare (or
 *     declares with another wire type), so that strict messages (the RPC
 *     envelope) are refused before decoding;
 *   - pw_pb_budget: a protobuf-c allocator over a call's arena that fails
 *     once a byte budget is spent, so that protobuf-c's unpack returns NULL
 *     instead of growing without bound.
 */
#ifndef PW_COMMON_PBDECODE_H
#define PW_COMMON_PBDECODE_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"

/* The first field of `data` that `desc` does not declare with that wire
 * type: its number (> 0).  0 when every field is known; -1 when the bytes
 * are not well-formed protobuf (the decoder will refuse them anyway). */
int64_t pw_pb_first_unknown(const ProtobufCMessageDescriptor *desc, const uint8_t *data,
                            size_t len);

typedef struct pw_pb_budget {
    ProtobufCAllocator pb; /* pass &budget.pb to protobuf-c */
    pw_arena *arena;
    size_t left;   /* bytes still allowed */
    int exhausted; /* 1 once an allocation was refused */
} pw_pb_budget;

/* An allocator over `arena` that hands out at most `limit` bytes in all
 * (frees are no-ops, as with the arena). */
void pw_pb_budget_init(pw_pb_budget *b, pw_arena *arena, size_t limit);

#endif
