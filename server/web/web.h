/*
 * web.h - the online board's HTTP front (SPEC 4.4): nng's own HTTP server,
 * one catch-all handler per listener, a queue and a pool of web workers.
 *
 * Design notes
 * - nng calls a handler on its own threads; like an aio callback it must not
 *   block.  Ours only queues the request (pw_web_enqueue) and returns; a web
 *   worker (own thread, own SQLite read connection, own arena) reads the
 *   body, runs the route, builds the nng_http_res and finishes the aio with
 *   nng_aio_set_output(aio, 0, res) + nng_aio_finish(aio, 0).
 * - One catch-all tree handler on "/" for every method, so that every
 *   response -- 404 and 405 included -- is ours and carries the security
 *   headers (CSP without scripts, X-Frame-Options DENY, nosniff, no-referrer)
 *   and `Cache-Control: no-store` unless the route says it is cacheable.
 *   Only nng's own refusals of requests that are not proper HTTP/1.x (no
 *   Host, a path not starting with '/', HTTP/2) come without them: nng
 *   1.5.2 cannot add headers there, so their bodies are ours (a static page
 *   with a CSP <meta>, nothing to click; pw_web_error_pages).
 * - Replies are written by the worker (pw_web_send): the body moves to the
 *   write (or a held render-cache entry is written as it is), no copy.
 * - Bodies are read by the worker, not by nng: a Content-Length above
 *   --http-max-body-bytes gets 413 before one byte of the body is read, and
 *   the connection is closed.
 * - A full queue answers 503 at once instead of blocking nng's thread.
 * - Routes are a table: exact paths ("/healthz"), or prefixes when the path
 *   ends in '/' ("/api/v1/").  Other files add theirs with pw_web_route_add
 *   (or PW_WEB_ROUTE at file scope) before pw_web_start.
 */
#ifndef PW_SERVER_WEB_H
#define PW_SERVER_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strbuf.h"
#include "server/config.h"
#include "server/store/store.h"
#include "server/web/web_cache.h"

typedef struct pw_web pw_web;

/* One request as a route sees it.  Everything is valid until the route
 * returns; allocate what must outlive a helper from `arena`. */
typedef struct pw_web_req {
    const char *method;  /* "GET", "HEAD", "POST", ... */
    const char *path;    /* the URI's path, percent-decoded, without the query */
    const char *query;   /* the raw query after '?', or "" */
    const uint8_t *body; /* the request body (NUL-terminated), or NULL */
    size_t body_len;
    int https;       /* 1 when it came over an https:// listener */
    char peer[64];   /* "127.0.0.1:5000" (back-off and rate limits), or "web" */
    pw_arena *arena; /* this request's arena (reset after the reply) */
    pw_store *store; /* for pw_store_write */
    pw_db *db;       /* this worker's read connection */
    const pw_server_config *cfg;
    pw_web_cache *cache; /* the board's render cache (web_cache.h) */
    void *http;          /* the nng_http_req (for pw_web_header) */
} pw_web_req;

#define PW_WEB_MAX_HEADERS 12

/* The reply a route builds.  Starts as 200, "text/plain; charset=utf-8",
 * empty body, private (no-store). */
typedef struct pw_web_res {
    int status;
    const char *content_type;
    pw_strbuf body;
    int cacheable; /* 1: no `Cache-Control: no-store` (set your own ETag etc.) */
    int close;     /* 1: close the connection after the reply */
    int nheaders;
    const char *hname[PW_WEB_MAX_HEADERS];
    const char *hvalue[PW_WEB_MAX_HEADERS];
    /* a held render-cache entry sent without a copy, with `body` (if any)
     * put at the entry's split (pw_web_res_entry); released once written */
    const pw_web_cached *entry;
} pw_web_res;

/* A route: fill `rs` (status, content type, body, headers).  Runs on a web
 * worker: it may read SQLite and call handlers; it must not keep pointers
 * into `rq` after returning.  The return value is ignored except that a
 * negative one turns the reply into a 500. */
typedef int (*pw_web_route_fn)(pw_web_req *rq, pw_web_res *rs);

/* Register a GET (and HEAD) route for `path`: an exact path, or every path
 * under it when it ends in '/'.  Call before pw_web_start (a route added
 * later is seen by the next start).  `path` must be a string that lives for
 * the program (a literal).  0, or -1 when the table is full or the path is
 * already taken. */
int pw_web_route_add(const char *path, pw_web_route_fn fn);
/* The same for any method ("POST"). */
int pw_web_route_add_method(const char *method, const char *path, pw_web_route_fn fn);

/* Register a GET route from any file, at load time:
 *   static int metrics_get(pw_web_req *rq, pw_web_res *rs) { ... }
 *   PW_WEB_ROUTE("/metrics", metrics_get)
 * (planwatchd links libpwserver whole, so such a file needs no caller.) */
#define PW_WEB_ROUTE(path, fn)                                                                     \
    __attribute__((constructor)) static void pw_web_route_ctor_##fn(void)                          \
    {                                                                                              \
        (void)pw_web_route_add(path, fn);                                                          \
    }

/* A request header, or NULL. */
const char *pw_web_header(const pw_web_req *rq, const char *name);

/* Set status, content type (a literal or arena string) and body (copied).
 * 0, or -1 when out of memory. */
int pw_web_res_set(pw_web_res *rs, int status, const char *content_type, const char *body,
                   size_t len);
/* Add a response header (name and value: literals or arena strings).  0 or
 * -1 when there are more than PW_WEB_MAX_HEADERS. */
int pw_web_res_header(pw_web_res *rs, const char *name, const char *value);

/* Send the held cache entry `e` (its reference passes to the reply) as the
 * body, with the bytes of `body` (e.g. this user's nav) at e->split. */
void pw_web_res_entry(pw_web_res *rs, int status, const char *content_type, const pw_web_cached *e);

/* Start the board on every cfg->http_listen URL with cfg->workers web
 * workers.  With no URL it does nothing and sets *out = NULL.  On failure
 * nothing is left running and `err` names the URL and the reason. */
int pw_web_start(const pw_server_config *cfg, pw_store *store, pw_web **out, char *err,
                 size_t errlen);
/* Stop the listeners (in-flight requests are answered first), join the
 * workers, free.  NULL is a no-op. */
void pw_web_stop(pw_web *web);

#endif
