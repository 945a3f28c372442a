/*
 * web_published.c - see web_published.h.
 */
#include "server/web/web_published.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "server/rpc/auth.h"
#include "server/web/web_call.h"

/* The field `name` of `m` when it has that type: a pointer into m, else
 * NULL.  (DispatchSummary and ScoresResponse share the record fields by
 * name, not by layout.) */
static void *pw_web_pb_field(const ProtobufCMessage *m, const char *name, ProtobufCType type)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
    if (!f || f->type != type || f->label == PROTOBUF_C_LABEL_REPEATED)
        return NULL;
    return (char *)m + f->offset;
}

static int pw_web_pb_int(const ProtobufCMessage *m, const char *name)
{
    const int32_t *v = pw_web_pb_field(m, name, PROTOBUF_C_TYPE_INT32);
    return v ? *v : 0;
}

static const char *pw_web_pb_str(const ProtobufCMessage *m, const char *name)
{
    char *const *v = pw_web_pb_field(m, name, PROTOBUF_C_TYPE_STRING);
    return v && *v ? *v : "";
}

/* The cache key of a reply for the caller of `call`, or NULL when the
 * reply is not a frozen version. */
static const char *pw_web_pub_key(pw_web_req *rq, const pw_web_pub_how *how, const pw_call *call,
                                  const ProtobufCMessage *resp, const char *view)
{
    int version = pw_web_pb_int(resp, "version");
    if (version <= 0)
        return NULL;
    return pw_arena_printf(rq->arena, "%s|%s|%s|v%d|%s:%s|%s|%s", how->kind,
                           pw_web_pb_str(resp, "plan"), pw_web_pb_str(resp, "period"), version,
                           pw_role_name(call->who.role), call->who.unit, view, how->format);
}

/* Call `how->method` with head_only set to `head`. */
static int pw_web_pub_call(pw_web_req *rq, const char *token, const pw_web_pub_how *how,
                           ProtobufCMessage *req, int head, pw_call *call, ProtobufCMessage **resp)
{
    protobuf_c_boolean *h = pw_web_pb_field(req, "head_only", PROTOBUF_C_TYPE_BOOL);
    if (h)
        *h = head;
    else if (head) { /* a programming error: fail like a call would */
        memset(call, 0, sizeof *call);
        call->arena = rq->arena;
        return pw_call_fail(call, PW_INTERNAL, "%s has no head_only", req->descriptor->name);
    }
    return pw_web_call(rq, token, how->method, req, call, resp);
}

/* A miss or a live view: the full call, rendered; stored when frozen. */
static int pw_web_pub_full(pw_web_req *rq, const char *token, const pw_web_pub_how *how,
                           ProtobufCMessage *req, const char *view, pw_call *call, pw_web_pub *out)
{
    ProtobufCMessage *resp;
    int st = pw_web_pub_call(rq, token, how, req, 0, call, &resp);
    if (st != PW_OK)
        return st;
    if (how->render(resp, &out->own, &out->split) != 0) {
        pw_strbuf_free(&out->own);
        return pw_call_fail(call, PW_RESOURCE_EXHAUSTED, "out of memory while rendering");
    }
    const char *key = pw_web_pub_key(rq, how, call, resp, view);
    if (!key)
        return PW_OK;
    out->frozen = 1;
    out->entry = rq->cache
                     ? pw_web_cache_put(rq->cache, key, out->own.data, out->own.len, out->split)
                     : NULL;
    if (out->entry) {
        pw_strbuf_free(&out->own);
        memcpy(out->hash, out->entry->hash, sizeof out->hash);
    } else { /* larger than the whole cache: served, not kept */
        unsigned char h[16];
        crypto_generichash(h, sizeof h, (const unsigned char *)out->own.data, out->own.len, NULL,
                           0);
        sodium_bin2hex(out->hash, sizeof out->hash, h, sizeof h);
    }
    return PW_OK;
}

/* 1 when `key` is cached: *out serves it. */
static int pw_web_pub_cached(pw_web_req *rq, const char *key, pw_web_pub *out)
{
    if ((out->entry = pw_web_cache_get(rq->cache, key)) == NULL)
        return 0;
    out->frozen = 1;
    out->split = out->entry->split;
    memcpy(out->hash, out->entry->hash, sizeof out->hash);
    return 1;
}

int pw_web_pub_read(pw_web_req *rq, const char *token, const pw_web_pub_how *how,
                    ProtobufCMessage *req, const char *view, pw_call *call, pw_web_pub *out)
{
    memset(out, 0, sizeof *out);
    pw_strbuf_init(&out->own);
    out->cache = rq->cache;
    ProtobufCMessage *head;
    int st = pw_web_pub_call(rq, token, how, req, 1, call, &head);
    if (st != PW_OK)
        return st;
    const char *key = pw_web_pub_key(rq, how, call, head, view);
    if (!key || !rq->cache)
        return pw_web_pub_full(rq, token, how, req, view, call, out);
    if (pw_web_pub_cached(rq, key, out))
        return PW_OK;
    int mine = pw_web_cache_claim(rq->cache, key);
    if (mine == 0 && pw_web_pub_cached(rq, key, out)) /* another reader rendered it */
        return PW_OK;
    st = pw_web_pub_full(rq, token, how, req, view, call, out);
    if (mine == 1)
        pw_web_cache_unclaim(rq->cache, key);
    return st;
}

void pw_web_pub_done(pw_web_pub *pub)
{
    if (pub->entry)
        pw_web_cache_release(pub->cache, pub->entry);
    pub->entry = NULL;
    pw_strbuf_free(&pub->own);
}

/* The ETag of the bytes with `nav` in them; 1 when If-None-Match has it. */
static int pw_web_pub_etag(pw_web_req *rq, pw_web_res *rs, const pw_web_pub *pub,
                           const pw_strbuf *nav)
{
    unsigned char h[16];
    crypto_generichash_state s;
    crypto_generichash_init(&s, NULL, 0, sizeof h);
    crypto_generichash_update(&s, (const unsigned char *)pub->hash, 32);
    if (nav && nav->len)
        crypto_generichash_update(&s, (const unsigned char *)nav->data, nav->len);
    crypto_generichash_final(&s, h, sizeof h);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    const char *etag = pw_arena_printf(rq->arena, "\"%s\"", hex);
    rs->cacheable = 1;
    pw_web_res_header(rs, "ETag", etag);
    /* private: the page is per reader; no-cache: revalidate every time, so
     * a signed-out browser does not show it from its cache without asking */
    pw_web_res_header(rs, "Cache-Control", "private, no-cache");
    const char *inm = pw_web_header(rq, "If-None-Match");
    return inm && strstr(inm, etag) != NULL;
}

int pw_web_pub_send(pw_web_req *rq, pw_web_res *rs, pw_web_pub *pub, const pw_strbuf *nav,
                    const char *content_type)
{
    const char *body = pub->entry ? pub->entry->body : pub->own.data;
    size_t len = pub->entry ? pub->entry->len : pub->own.len;
    size_t navlen = nav ? nav->len : 0;
    rs->status = 200;
    rs->content_type = content_type;
    pw_strbuf_reset(&rs->body);
    if (pub->frozen && pw_web_pub_etag(rq, rs, pub, nav)) {
        rs->status = 304;
        pw_web_pub_done(pub);
        return 0;
    }
    if (pub->entry) { /* the entry itself and the nav at its split, no copy */
        if (navlen && pw_strbuf_append(&rs->body, nav->data, navlen) != 0) {
            pw_web_pub_done(pub);
            return -1;
        }
        pw_web_res_entry(rs, 200, content_type, pub->entry);
        pub->entry = NULL;
        pw_web_pub_done(pub);
        return 0;
    }
    int rc = pw_strbuf_reserve(&rs->body, len + navlen + 1) != 0 ||
                     pw_strbuf_append(&rs->body, body, pub->split) != 0 ||
                     (navlen && pw_strbuf_append(&rs->body, nav->data, navlen) != 0) ||
                     pw_strbuf_append(&rs->body, body + pub->split, len - pub->split) != 0
                 ? -1
                 : 0;
    pw_web_pub_done(pub);
    return rc;
}
