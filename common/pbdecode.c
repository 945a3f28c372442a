/*
 * pbdecode.c - see pbdecode.h.
 */
#include "common/pbdecode.h"

/* One varint at *p (< end); 0, or -1 when truncated or longer than 10. */
static int pw_pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (*p >= end)
            return -1;
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* The wire type protobuf-c writes for a field of `type` (packed repeated
 * scalars arrive as LEN too: accept both for repeated fields). */
static int pw_pb_wire_ok(const ProtobufCFieldDescriptor *f, unsigned wire)
{
    if (f->label == PROTOBUF_C_LABEL_REPEATED && wire == 2)
        return 1;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_BOOL:
    case PROTOBUF_C_TYPE_ENUM:
        return wire == 0;
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return wire == 1;
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
        return wire == 5;
    default: /* string, bytes, message */
        return wire == 2;
    }
}

int64_t pw_pb_first_unknown(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len)
{
    const uint8_t *p = data, *end = data + len;
    while (p < end) {
        uint64_t key, n;
        if (pw_pb_varint(&p, end, &key) != 0)
            return -1;
        unsigned wire = (unsigned)(key & 7);
        uint64_t num = key >> 3;
        if (num == 0 || num > 536870911u)
            return -1;
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field(desc, (unsigned)num);
        if (!f || !pw_pb_wire_ok(f, wire))
            return (int64_t)num;
        switch (wire) {
        case 0:
            if (pw_pb_varint(&p, end, &n) != 0)
                return -1;
            break;
        case 1:
            if (end - p < 8)
                return -1;
            p += 8;
            break;
        case 5:
            if (end - p < 4)
                return -1;
            p += 4;
            break;
        case 2:
            if (pw_pb_varint(&p, end, &n) != 0 || n > (uint64_t)(end - p))
                return -1;
            p += n;
            break;
        default:
            return -1;
        }
    }
    return 0;
}

static void *pw_pb_budget_alloc(void *data, size_t n)
{
    pw_pb_budget *b = data;
    if (n > b->left) {
        b->exhausted = 1;
        return NULL;
    }
    b->left -= n;
    return pw_arena_alloc(b->arena, n);
}

static void pw_pb_budget_free(void *data, void *p)
{
    (void)data;
    (void)p;
}

void pw_pb_budget_init(pw_pb_budget *b, pw_arena *arena, size_t limit)
{
    b->pb.alloc = pw_pb_budget_alloc;
    b->pb.free = pw_pb_budget_free;
    b->pb.allocator_data = b;
    b->arena = arena;
    b->left = limit;
    b->exhausted = 0;
}
