/*
 * web_published.h - reading a published record (a bulletin or a ranking)
 * for the board's pages and API, through the render cache (web_cache.h).
 *
 * The path of one read:
 *   1. the method (DispatchService/Get, ScoreService/Get) with head_only:
 *      session, roles, the handler's checks and which version it would
 *      serve -- the same authorization and audit as any call, a few indexed
 *      SQLite reads, nothing unpacked;
 *   2. that version is frozen (version > 0): the bytes rendered for
 *      (kind, plan, period, version, view, format) from the cache;
 *   3. else (a miss, or the office's live view): the full call, rendered;
 *      a frozen version's bytes are stored under the version the FULL call
 *      answered.
 * The view is the caller's role, a reporter's unit (the handlers show a
 * reporter its own unit's explanation) and the request's own options.
 */
#ifndef PW_SERVER_WEB_PUBLISHED_H
#define PW_SERVER_WEB_PUBLISHED_H

#include <protobuf-c/protobuf-c.h>

#include "server/rpc/call.h"
#include "server/web/web.h"
#include "server/web/web_cache.h"
#include "server/web/web_session.h"

/* How to read and render one kind. */
typedef struct pw_web_pub_how {
    const char *kind;   /* "dispatch" | "scores": the key's first part */
    const char *method; /* the method table's name */
    const char *format; /* "html" | "json" */
    /* Render the full reply into `out`; *split = where the per-user nav
     * goes (HTML: after <body>), or out->len.  0, or -1 (out of memory). */
    int (*render)(const ProtobufCMessage *resp, pw_strbuf *out, size_t *split);
} pw_web_pub_how;

/* The bytes of one read: a cache entry (held) or this request's own. */
typedef struct pw_web_pub {
    const pw_web_cached *entry;
    pw_strbuf own;
    size_t split;
    int frozen;    /* a published version: cacheable by ETag */
    char hash[33]; /* of the bytes (frozen only) */
    pw_web_cache *cache;
} pw_web_pub;

/* Read `req` (a request message with a `head_only` field; it is changed)
 * as the holder of `token`.  `view` is the request's own part of the key
 * (category, explain...; "" when none).  PW_OK with *out filled (call
 * pw_web_pub_send or pw_web_pub_done), else the status with `call` holding
 * the message and violations. */
int pw_web_pub_read(pw_web_req *rq, const char *token, const pw_web_pub_how *how,
                    ProtobufCMessage *req, const char *view, pw_call *call, pw_web_pub *out);

/* Reply with the bytes: `nav` (NULL: none) put at the split, the content
 * type, and for a frozen version an ETag (of the bytes and the nav) with
 * `Cache-Control: private, no-cache`, answering If-None-Match with 304.
 * Releases `pub`.  0, or -1 when out of memory. */
int pw_web_pub_send(pw_web_req *rq, pw_web_res *rs, pw_web_pub *pub, const pw_strbuf *nav,
                    const char *content_type);
/* Release `pub` without sending. */
void pw_web_pub_done(pw_web_pub *pub);

#endif
