/*
 * web.c - the board's HTTP front: listeners, the request queue, the web
 * workers, the route table and the headers of every reply.  See web.h.
 *
 * The path of one request:
 *   nng thread: pw_web_handle -> queue (or 503 when full/stopping)
 *   web worker: pop -> read body (413/411/400 before reading) -> decode path
 *     -> route table -> route fn -> security headers -> nng_http_res
 *     -> nng_aio_set_output + nng_aio_finish.
 * Every aio nng hands us is finished exactly once, by a worker or, when the
 * queue refuses it, by pw_web_handle itself.
 */
#include "server/web/web.h"

#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "server/rpc/tls.h"
#include "server/web/form.h"
#include "server/web/web_actions.h"
#include "server/web/web_api.h"
#include "server/web/web_pages.h"
#include "server/web/web_session.h"

/* ---- the route table ---------------------------------------------------- */

#define PW_WEB_MAX_ROUTES 64

typedef struct pw_web_route {
    const char *method;
    const char *path;
    pw_web_route_fn fn;
} pw_web_route;

static pthread_mutex_t pw_web_routes_mu = PTHREAD_MUTEX_INITIALIZER;
static pw_web_route pw_web_routes[PW_WEB_MAX_ROUTES];
static int pw_web_nroutes;

int pw_web_route_add_method(const char *method, const char *path, pw_web_route_fn fn)
{
    int rc = -1;
    if (!method || !path || path[0] != '/' || !fn)
        return -1;
    pthread_mutex_lock(&pw_web_routes_mu);
    int taken = 0;
    for (int i = 0; i < pw_web_nroutes; i++)
        if (strcmp(pw_web_routes[i].method, method) == 0 &&
            strcmp(pw_web_routes[i].path, path) == 0)
            taken = 1;
    if (!taken && pw_web_nroutes < PW_WEB_MAX_ROUTES) {
        pw_web_routes[pw_web_nroutes++] = (pw_web_route){method, path, fn};
        rc = 0;
    }
    pthread_mutex_unlock(&pw_web_routes_mu);
    return rc;
}

int pw_web_route_add(const char *path, pw_web_route_fn fn)
{
    return pw_web_route_add_method("GET", path, fn);
}

/* The route for (method, path): an exact path first, else the longest
 * prefix route ending in '/'.  *other is set when the path is known under
 * another method (-> 405).  HEAD is served by GET routes. */
static pw_web_route_fn pw_web_route_find(const char *method, const char *path, int *other)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    pw_web_route_fn best = NULL;
    size_t bestlen = 0;
    *other = 0;
    pthread_mutex_lock(&pw_web_routes_mu);
    for (int i = 0; i < pw_web_nroutes; i++) {
        const pw_web_route *r = &pw_web_routes[i];
        size_t n = strlen(r->path);
        int match = strcmp(r->path, path) == 0                                           ? 2
                    : (n > 1 && r->path[n - 1] == '/' && strncmp(r->path, path, n) == 0) ? 1
                                                                                         : 0;
        if (!match)
            continue;
        if (strcmp(r->method, m) != 0) {
            *other = 1;
            continue;
        }
        size_t score = match == 2 ? (size_t)-1 : n;
        if (!best || score > bestlen) {
            best = r->fn;
            bestlen = score;
        }
    }
    pthread_mutex_unlock(&pw_web_routes_mu);
    return best;
}

/* ---- the server object -------------------------------------------------- */

#define PW_WEB_QUEUE 1024

typedef struct pw_web_listener {
    pw_web *web;
    nng_http_server *srv;
    nng_http_handler *handler;
    int https;
    int started;
    char url[256];
} pw_web_listener;

typedef struct pw_web_job {
    nng_aio *aio;
    pw_web_listener *listener;
} pw_web_job;

typedef struct pw_web_worker {
    pw_web *web;
    pthread_t thread;
    int started;
    pw_db *db;
    pw_arena arena;
    nng_aio *rdaio; /* body reads, waited on in this thread */
} pw_web_worker;

/* One reply the worker hands to nng to write (pw_web_send): the body is
 * either owned here (a detached buffer) or a held cache entry with this
 * request's own bytes (the nav) at its split, never copied again: the
 * headers first, then the pieces in one gathered write.  When the write is
 * done, pw_web_tx_done frees or releases it all and finishes the aio nng
 * gave us, with no response (nng then reads the connection's next
 * request), or with an error to close the connection. */
#define PW_WEB_WRITE_MS 60000 /* a reply not written in a minute closes the connection */

typedef struct pw_web_tx {
    struct pw_web_tx *next; /* the free list */
    struct pw_web_tx *all;  /* every one, for freeing (a link of its own: a
                               context on the free list is also on this one) */
    pw_web *web;
    nng_aio *aio; /* the write */
    nng_aio *req_aio;
    nng_http_res *res;
    nng_http_conn *conn;
    char *owned; /* the body, or with `entry` the bytes at its split */
    size_t owned_len;
    const pw_web_cached *entry; /* held */
    int body_next;              /* the headers are out: write the entry's pieces next */
    int close;
} pw_web_tx;

struct pw_web {
    const pw_server_config *cfg;
    pw_store *store;
    pw_web_cache *cache;
    nng_tls_config *tls;
    pw_web_listener listeners[PW_MAX_LISTEN];
    int nlisteners;
    pw_web_worker *workers;
    int nworkers;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pw_web_job queue[PW_WEB_QUEUE]; /* ring, guarded by mu */
    int qhead, qlen;
    int stopping;         /* guarded by mu: workers exit when the queue is empty */
    pw_web_tx *tx_free;   /* guarded by mu: write contexts not in use */
    pw_web_tx *tx_all;    /* guarded by mu: every one (for freeing) */
    int tx_busy;          /* guarded by mu: writes in flight */
    pthread_cond_t tx_cv; /* signalled when the last write ends while stopping */
};

/* ---- replies ------------------------------------------------------------ */

int pw_web_res_set(pw_web_res *rs, int status, const char *content_type, const char *body,
                   size_t len)
{
    rs->status = status;
    rs->content_type = content_type;
    pw_strbuf_reset(&rs->body);
    return pw_strbuf_append(&rs->body, body, len);
}

int pw_web_res_header(pw_web_res *rs, const char *name, const char *value)
{
    if (rs->nheaders >= PW_WEB_MAX_HEADERS)
        return -1;
    rs->hname[rs->nheaders] = name;
    rs->hvalue[rs->nheaders] = value;
    rs->nheaders++;
    return 0;
}

void pw_web_res_entry(pw_web_res *rs, int status, const char *content_type, const pw_web_cached *e)
{
    rs->status = status;
    rs->content_type = content_type;
    rs->entry = e;
}

const char *pw_web_header(const pw_web_req *rq, const char *name)
{
    return nng_http_req_get_header((nng_http_req *)rq->http, name);
}

/* The policy of every reply: no script at all, styles inline (the
 * renderers' pages are self-contained), images only inline SVG/data:, forms
 * post only here, never framed. */
#define PW_WEB_CSP                                                                                 \
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "                        \
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/* `rs` as an nng_http_res with the security headers, without its body;
 * NULL when out of memory. */
static nng_http_res *pw_web_res_head(const pw_web_res *rs, int https)
{
    nng_http_res *res;
    if (nng_http_res_alloc(&res) != 0)
        return NULL;
    int rv = nng_http_res_set_status(res, (uint16_t)rs->status);
    if (rv == 0)
        rv = nng_http_res_set_header(res, "Content-Type", rs->content_type);
    if (rv == 0)
        rv = nng_http_res_set_header(res, "Content-Security-Policy", PW_WEB_CSP);
    if (rv == 0)
        rv = nng_http_res_set_header(res, "X-Frame-Options", "DENY");
    if (rv == 0)
        rv = nng_http_res_set_header(res, "X-Content-Type-Options", "nosniff");
    if (rv == 0)
        rv = nng_http_res_set_header(res, "Referrer-Policy", "no-referrer");
    if (rv == 0 && https)
        rv = nng_http_res_set_header(res, "Strict-Transport-Security", "max-age=31536000");
    if (rv == 0 && !rs->cacheable)
        rv = nng_http_res_set_header(res, "Cache-Control", "no-store");
    if (rv == 0 && rs->close)
        rv = nng_http_res_set_header(res, "Connection", "close");
    for (int i = 0; rv == 0 && i < rs->nheaders; i++)
        rv = nng_http_res_add_header(res, rs->hname[i], rs->hvalue[i]);
    if (rv != 0) {
        nng_http_res_free(res);
        return NULL;
    }
    return res;
}

/* `rs` as an nng_http_res with the security headers and a copy of its
 * body (rs->entry not allowed); NULL when out of memory. */
static nng_http_res *pw_web_res_build(const pw_web_res *rs, int https)
{
    nng_http_res *res = pw_web_res_head(rs, https);
    if (!res)
        return NULL;
    int rv = rs->body.len ? nng_http_res_copy_data(res, rs->body.data, rs->body.len)
                          : nng_http_res_set_data(res, NULL, 0);
    if (rv != 0) {
        nng_http_res_free(res);
        return NULL;
    }
    return res;
}

/* Finish the aio nng gave us with `rs`; a hard close when out of memory. */
static void pw_web_finish(nng_aio *aio, const pw_web_res *rs, int https)
{
    nng_http_res *res = pw_web_res_build(rs, https);
    if (!res) {
        nng_aio_finish(aio, NNG_ENOMEM);
        return;
    }
    nng_aio_set_output(aio, 0, res);
    nng_aio_finish(aio, 0);
}

static void pw_web_res_init(pw_web_res *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->status = 200;
    rs->content_type = "text/plain; charset=utf-8";
}

static void pw_web_plain(pw_web_res *rs, int status, const char *text)
{
    pw_web_res_set(rs, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* ---- writing replies ------------------------------------------------------ */

/* A write context (mu not held); NULL when out of memory. */
static void pw_web_tx_done(void *arg);

static pw_web_tx *pw_web_tx_get(pw_web *web)
{
    pthread_mutex_lock(&web->mu);
    pw_web_tx *tx = web->tx_free;
    if (tx)
        web->tx_free = tx->next;
    else if ((tx = calloc(1, sizeof *tx)) != NULL) {
        tx->web = web;
        if (nng_aio_alloc(&tx->aio, pw_web_tx_done, tx) != 0) {
            free(tx);
            tx = NULL;
        } else {
            tx->all = web->tx_all;
            web->tx_all = tx;
        }
    }
    if (tx)
        web->tx_busy++;
    pthread_mutex_unlock(&web->mu);
    return tx;
}

/* The write of tx ended (an nng thread): free what it sent, finish the
 * request's aio with no response (nng reads the next request) or an error
 * (nng closes the connection: a failed write, or Connection: close). */
/* The headers of an entry's reply are out: write its pieces (prefix, this
 * request's bytes, suffix) in one gathered write.  0, or -1 when not needed
 * or impossible (the reply is then done). */
static int pw_web_tx_body(pw_web_tx *tx)
{
    const pw_web_cached *e = tx->entry;
    nng_iov iov[3];
    unsigned n = 0;
    if (e->split)
        iov[n++] = (nng_iov){.iov_buf = (void *)e->body, .iov_len = e->split};
    if (tx->owned_len)
        iov[n++] = (nng_iov){.iov_buf = tx->owned, .iov_len = tx->owned_len};
    if (e->len > e->split)
        iov[n++] = (nng_iov){.iov_buf = (void *)(e->body + e->split), .iov_len = e->len - e->split};
    if (n == 0 || nng_aio_set_iov(tx->aio, n, iov) != 0)
        return -1;
    tx->body_next = 0;
    nng_http_conn_write_all(tx->conn, tx->aio);
    return 0;
}

static void pw_web_tx_done(void *arg)
{
    pw_web_tx *tx = arg;
    pw_web *web = tx->web;
    int rv = nng_aio_result(tx->aio);
    if (rv == 0 && tx->body_next && pw_web_tx_body(tx) == 0)
        return;
    nng_http_res_free(tx->res);
    free(tx->owned);
    if (tx->entry)
        pw_web_cache_release(web->cache, tx->entry);
    nng_aio *req_aio = tx->req_aio;
    int close = tx->close;
    tx->res = NULL;
    tx->conn = NULL;
    tx->owned = NULL;
    tx->owned_len = 0;
    tx->entry = NULL;
    tx->body_next = 0;
    tx->req_aio = NULL;
    pthread_mutex_lock(&web->mu);
    tx->next = web->tx_free;
    web->tx_free = tx;
    if (--web->tx_busy == 0 && web->stopping)
        pthread_cond_signal(&web->tx_cv);
    pthread_mutex_unlock(&web->mu);
    nng_aio_finish(req_aio, rv != 0 ? rv : close ? NNG_ECLOSED : 0);
}

/* 1 when the connection ends after this reply: HTTP/1.0, or the client's
 * Connection: close (what nng does for the replies it writes). */
static int pw_web_req_close(nng_http_req *req)
{
    const char *v = nng_http_req_get_version(req);
    const char *c = nng_http_req_get_header(req, "Connection");
    return !v || strcmp(v, "HTTP/1.1") != 0 || (c && strcasestr(c, "close"));
}

/* Write `rs` on `conn` ourselves, without copying its body (moved out of
 * rs, or the held entry with rs's body at its split), then finish `aio`
 * (pw_web_tx_done).  HEAD gets the headers and Content-Length only. */
static void pw_web_send(pw_web *web, nng_aio *aio, nng_http_conn *conn, pw_web_res *rs, int https)
{
    nng_http_req *req = nng_aio_get_input(aio, 0);
    if (pw_web_req_close(req))
        rs->close = 1;
    nng_http_res *res = pw_web_res_head(rs, https);
    pw_web_tx *tx = res ? pw_web_tx_get(web) : NULL;
    if (!tx) {
        if (res)
            nng_http_res_free(res);
        nng_aio_finish(aio, NNG_ENOMEM);
        return;
    }
    size_t len = rs->body.len;
    tx->owned = len ? pw_strbuf_detach(&rs->body, &tx->owned_len) : NULL;
    int head = strcmp(nng_http_req_get_method(req), "HEAD") == 0;
    if (rs->entry) { /* headers with the whole length now, the pieces next */
        tx->entry = rs->entry;
        rs->entry = NULL;
        nng_http_res_set_data(res, NULL, tx->entry->len + tx->owned_len);
        tx->body_next = !head;
    } else {
        nng_http_res_set_data(res, head ? NULL : tx->owned, tx->owned_len);
    }
    tx->conn = conn;
    tx->res = res;
    tx->req_aio = aio;
    tx->close = rs->close;
    nng_aio_set_timeout(tx->aio, PW_WEB_WRITE_MS);
    nng_http_conn_write_res(conn, res, tx->aio);
}

/* ---- the nng handler: queue only, never block ---------------------------- */

static void pw_web_handle(nng_aio *aio)
{
    nng_http_handler *h = nng_aio_get_input(aio, 1);
    pw_web_listener *l = nng_http_handler_get_data(h);
    pw_web *web = l->web;
    pthread_mutex_lock(&web->mu);
    if (!web->stopping && web->qlen < PW_WEB_QUEUE) {
        web->queue[(web->qhead + web->qlen) % PW_WEB_QUEUE] = (pw_web_job){aio, l};
        web->qlen++;
        pthread_cond_signal(&web->cv);
        pthread_mutex_unlock(&web->mu);
        return;
    }
    pthread_mutex_unlock(&web->mu);
    /* refused here, cheaply: no SQLite, no waiting */
    pw_web_res rs;
    pw_web_res_init(&rs);
    pw_web_plain(&rs, 503, "the board is busy or stopping: try again\n");
    pw_web_res_header(&rs, "Retry-After", "1");
    rs.close = 1;
    pw_web_finish(aio, &rs, l->https);
    pw_strbuf_free(&rs.body);
}

/* ---- workers -------------------------------------------------------------- */

/* The path of `uri` percent-decoded into the arena; the query into *query.
 * NULL for a malformed escape or an encoded NUL or '/'-less path. */
static char *pw_web_split_uri(pw_arena *a, const char *uri, const char **query)
{
    const char *q = strchr(uri, '?');
    size_t n = q ? (size_t)(q - uri) : strlen(uri);
    *query = q ? pw_arena_strdup(a, q + 1) : "";
    if (n == 0 || uri[0] != '/')
        return NULL;
    char *out = pw_arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (uri[i] == '%') {
            int hi = i + 1 < n ? pw_form_hex((unsigned char)uri[i + 1]) : -1;
            int lo = i + 2 < n ? pw_form_hex((unsigned char)uri[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            out[j++] = (char)(hi << 4 | lo);
            i += 2;
            continue;
        }
        out[j++] = uri[i];
    }
    out[j] = '\0';
    return out;
}

/* Read the body named by Content-Length (already checked against the
 * limit) into the arena.  0, or an nng error (the connection is dead). */
static int pw_web_read_body(pw_web_worker *w, nng_http_conn *conn, size_t len, uint8_t **out)
{
    uint8_t *buf = pw_arena_alloc(&w->arena, len + 1);
    nng_iov iov = {.iov_buf = buf, .iov_len = len};
    int rv = nng_aio_set_iov(w->rdaio, 1, &iov);
    if (rv != 0)
        return rv;
    nng_aio_set_timeout(w->rdaio, 60000);
    nng_http_conn_read_all(conn, w->rdaio);
    nng_aio_wait(w->rdaio);
    if ((rv = nng_aio_result(w->rdaio)) != 0)
        return rv;
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* The peer address of an HTTP connection, for the per-source login back-off
 * and rate limits of SPEC 3.1.  nng 1.5.2 has no public getter for it: its
 * nng_http_conn (src/supplemental/http/http_conn.c at v1.5.2) starts with
 * the nng_stream, whose NNG_OPT_REMADDR is public.  The layout is checked
 * against the version at compile time; anything unexpected gives "web"
 * (then all board logins share one back-off bucket). */
static void pw_web_peer(nng_http_conn *conn, char *buf, size_t len)
{
    snprintf(buf, len, "web");
#if NNG_MAJOR_VERSION == 1 && NNG_MINOR_VERSION == 5
    nng_stream *st = conn ? *(nng_stream **)conn : NULL;
    nng_sockaddr sa;
    if (!st || nng_stream_get_addr(st, NNG_OPT_REMADDR, &sa) != 0)
        return;
    if (sa.s_family == NNG_AF_INET) {
        const uint8_t *a = (const uint8_t *)&sa.s_in.sa_addr;
        snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    } else if (sa.s_family == NNG_AF_INET6) {
        char *p = buf;
        size_t left = len;
        for (int i = 0; i < 16 && left > 3; i += 2) {
            int n = snprintf(p, left, "%s%02x%02x", i ? ":" : "", sa.s_in6.sa_addr[i],
                             sa.s_in6.sa_addr[i + 1]);
            p += n;
            left -= (size_t)n;
        }
    }
#endif
}

/* Refuse a request whose body we will not read (413, 411, 400): write the
 * reply ourselves, then linger -- read and drop what the client is still
 * sending for at most PW_WEB_LINGER_MS / PW_WEB_LINGER_BYTES -- so that
 * closing does not reset the connection before the client has read the
 * reply (unread bytes at close() make TCP send RST); then close. */
#define PW_WEB_LINGER_MS 1000
#define PW_WEB_LINGER_BYTES (16u << 20)
static void pw_web_refuse_body(pw_web_worker *w, nng_aio *aio, nng_http_conn *conn, pw_web_res *rs,
                               int https)
{
    rs->close = 1;
    nng_http_res *res = pw_web_res_build(rs, https);
    if (!res) {
        nng_aio_finish(aio, NNG_ENOMEM);
        return;
    }
    nng_aio_set_timeout(w->rdaio, 5000);
    nng_http_conn_write_res(conn, res, w->rdaio);
    nng_aio_wait(w->rdaio);
    int rv = nng_aio_result(w->rdaio);
    nng_http_res_free(res);
    static _Thread_local uint8_t scratch[64 * 1024];
    size_t dropped = 0;
    int64_t until = pw_monotonic_us() + PW_WEB_LINGER_MS * 1000;
    while (rv == 0 && dropped < PW_WEB_LINGER_BYTES && pw_monotonic_us() < until) {
        nng_iov iov = {.iov_buf = scratch, .iov_len = sizeof scratch};
        nng_aio_set_iov(w->rdaio, 1, &iov);
        nng_aio_set_timeout(w->rdaio, 200);
        nng_http_conn_read(conn, w->rdaio);
        nng_aio_wait(w->rdaio);
        if ((rv = nng_aio_result(w->rdaio)) == 0)
            dropped += nng_aio_count(w->rdaio);
    }
    /* an error result makes nng close the connection without a reply of
     * its own: ours is already on the wire */
    nng_aio_finish(aio, NNG_ECLOSED);
}

/* The request's body by its Content-Length into rq: 0, or 1 when the
 * request is already answered (refused: 411, 400, 413; or the connection
 * broke). */
static int pw_web_body(pw_web_worker *w, nng_aio *aio, nng_http_conn *conn, pw_web_req *rq,
                       pw_web_res *rs)
{
    nng_http_req *req = rq->http;
    const char *te = nng_http_req_get_header(req, "Transfer-Encoding");
    const char *cl = nng_http_req_get_header(req, "Content-Length");
    if (te) {
        pw_web_plain(rs, 411, "send the body with a Content-Length\n");
        pw_web_refuse_body(w, aio, conn, rs, rq->https);
        return 1;
    }
    if (!cl)
        return 0;
    char *end;
    unsigned long long len = strtoull(cl, &end, 10);
    if (!*cl || *end || cl[0] == '-') {
        pw_web_plain(rs, 400, "Content-Length is not a number\n");
        pw_web_refuse_body(w, aio, conn, rs, rq->https);
        return 1;
    }
    if (len > (unsigned long long)w->web->cfg->http_max_body_bytes) {
        /* refused before one byte of the body is read */
        char *msg =
            pw_arena_printf(&w->arena, "the body of %llu bytes exceeds the limit of %lld bytes\n",
                            len, (long long)w->web->cfg->http_max_body_bytes);
        pw_web_plain(rs, 413, msg);
        pw_web_refuse_body(w, aio, conn, rs, rq->https);
        return 1;
    }
    if (len == 0)
        return 0;
    uint8_t *body;
    int rv = pw_web_read_body(w, conn, (size_t)len, &body);
    if (rv != 0) {
        nng_aio_finish(aio, rv); /* nng closes the connection */
        return 1;
    }
    rq->body = body;
    rq->body_len = (size_t)len;
    return 0;
}

/* The route of rq run into rs, or 400/404/405. */
static void pw_web_dispatch(pw_web_req *rq, pw_web_res *rs)
{
    rq->path = pw_web_split_uri(rq->arena, nng_http_req_get_uri(rq->http), &rq->query);
    if (!rq->path) {
        pw_web_plain(rs, 400, "malformed path\n");
        return;
    }
    int other;
    pw_web_route_fn fn = pw_web_route_find(rq->method, rq->path, &other);
    if (!fn) {
        if (other) {
            pw_web_plain(rs, 405, "method not allowed here\n");
            pw_web_res_header(rs, "Allow", "GET, HEAD, POST");
        } else {
            pw_web_plain(rs, 404, "no such page\n");
        }
        return;
    }
    if (fn(rq, rs) < 0) {
        if (rs->entry)
            pw_web_cache_release(rq->cache, rs->entry);
        pw_strbuf_free(&rs->body);
        pw_web_res_init(rs);
        pw_web_plain(rs, 500, "internal error\n");
    }
}

static void pw_web_serve(pw_web_worker *w, pw_web_job job)
{
    pw_web *web = w->web;
    nng_aio *aio = job.aio;
    nng_http_req *req = nng_aio_get_input(aio, 0);
    nng_http_conn *conn = nng_aio_get_input(aio, 2);
    pw_web_res rs;
    pw_web_res_init(&rs);
    pw_web_req rq;
    memset(&rq, 0, sizeof rq);
    rq.cache = web->cache;
    rq.method = nng_http_req_get_method(req);
    rq.https = job.listener->https;
    rq.arena = &w->arena;
    rq.store = web->store;
    rq.db = w->db;
    rq.cfg = web->cfg;
    rq.http = req;
    pw_web_peer(conn, rq.peer, sizeof rq.peer);
    if (pw_web_body(w, aio, conn, &rq, &rs) == 0) {
        pw_web_dispatch(&rq, &rs);
        pw_web_send(web, aio, conn, &rs, rq.https);
    }
    if (rs.entry)
        pw_web_cache_release(web->cache, rs.entry);
    pw_strbuf_free(&rs.body);
    pw_arena_reset(&w->arena);
}

static void *pw_web_worker_main(void *arg)
{
    pw_web_worker *w = arg;
    pw_web *web = w->web;
    pthread_setname_np(pthread_self(), "pw-web");
    for (;;) {
        pthread_mutex_lock(&web->mu);
        while (web->qlen == 0 && !web->stopping)
            pthread_cond_wait(&web->cv, &web->mu);
        if (web->qlen == 0) {
            pthread_mutex_unlock(&web->mu);
            break;
        }
        pw_web_job job = web->queue[web->qhead];
        web->qhead = (web->qhead + 1) % PW_WEB_QUEUE;
        web->qlen--;
        pthread_mutex_unlock(&web->mu);
        pw_web_serve(w, job);
    }
    return NULL;
}

/* ---- built-in routes ------------------------------------------------------ */

/* /healthz: open, no session, no database: the process serves HTTP. */
static int pw_web_healthz(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_plain(rs, 200, "ok\n");
    return 0;
}

/* ---- life cycle ------------------------------------------------------------ */

static void pw_web_free(pw_web *web)
{
    for (int i = 0; i < web->nworkers; i++) {
        pw_web_worker *w = &web->workers[i];
        if (w->rdaio)
            nng_aio_free(w->rdaio);
        pw_db_close(w->db);
        pw_arena_fini(&w->arena);
    }
    free(web->workers);
    while (web->tx_all) {
        pw_web_tx *tx = web->tx_all;
        web->tx_all = tx->all;
        nng_aio_free(tx->aio);
        free(tx);
    }
    pw_web_cache_free(web->cache);
    if (web->tls)
        nng_tls_config_free(web->tls);
    pthread_mutex_destroy(&web->mu);
    pthread_cond_destroy(&web->cv);
    pthread_cond_destroy(&web->tx_cv);
    free(web);
}

/* Stop listeners and workers of a (partly) started board, then free it. */
static void pw_web_teardown(pw_web *web)
{
    /* listeners first: nng answers nothing new, and waits for the requests
     * in our queue, which the still running workers finish */
    for (int i = 0; i < web->nlisteners; i++) {
        pw_web_listener *l = &web->listeners[i];
        if (l->started)
            nng_http_server_stop(l->srv);
        if (l->handler)
            nng_http_server_del_handler(l->srv, l->handler);
        if (l->handler)
            nng_http_handler_free(l->handler); /* del_handler gave our reference back */
        nng_http_server_release(l->srv);
    }
    pthread_mutex_lock(&web->mu);
    web->stopping = 1;
    pthread_cond_broadcast(&web->cv);
    pthread_mutex_unlock(&web->mu);
    for (int i = 0; i < web->nworkers; i++)
        if (web->workers[i].started)
            pthread_join(web->workers[i].thread, NULL);
    /* the replies still being written (their connections are closed) */
    pthread_mutex_lock(&web->mu);
    while (web->tx_busy > 0)
        pthread_cond_wait(&web->tx_cv, &web->mu);
    pthread_mutex_unlock(&web->mu);
    pw_web_free(web);
}

/* nng answers a few requests itself, before any handler: 400 (an HTTP/1.1
 * request without Host, no version), 404 (a path not starting with '/'),
 * 505 (not HTTP/1.x), and 405/413/500 in cases our catch-all handler
 * never lets happen.  nng 1.5.2 has no way to add headers to those replies
 * (src/supplemental/http/http_server.c: http_sconn_error builds them with
 * Content-Type only), so their bodies are ours: no script, no link, no
 * form, and the CSP as a <meta> (frame-ancestors and X-Frame-Options cannot
 * be set from a page: a bare error page with nothing to click is harmless
 * framed). */
#define PW_WEB_META_CSP                                                                            \
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "                  \
    "style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'\">"
static int pw_web_error_pages(nng_http_server *srv)
{
    static const struct {
        uint16_t code;
        const char *text;
    } pages[] = {{400, "Bad Request"},        {404, "Not Found"},
                 {405, "Method Not Allowed"}, {413, "Payload Too Large"},
                 {500, "Internal Error"},     {505, "HTTP Version Not Supported"}};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char html[512];
        snprintf(html, sizeof html,
                 "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">" PW_WEB_META_CSP
                 "<title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n",
                 pages[i].code, pages[i].text, pages[i].code, pages[i].text);
        int rv = nng_http_server_set_error_page(srv, pages[i].code, html);
        if (rv != 0)
            return rv;
    }
    return 0;
}

static int pw_web_listen(pw_web *web, const char *url, char *err, size_t errlen)
{
    int rv;
    pw_web_listener *l = &web->listeners[web->nlisteners];
    memset(l, 0, sizeof *l);
    l->web = web;
    snprintf(l->url, sizeof l->url, "%s", url);
    int https = strncmp(url, "https://", 8) == 0;
    if (!https && strncmp(url, "http://", 7) != 0) {
        snprintf(err, errlen, "unsupported board listener %s: use http:// or https://", url);
        return -1;
    }
    l->https = https;
    nng_url *u;
    if ((rv = nng_url_parse(&u, url)) != 0) {
        snprintf(err, errlen, "bad board URL %s: %s", url, nng_strerror(rv));
        return -1;
    }
    if (u->u_path[0] && strcmp(u->u_path, "/") != 0) {
        snprintf(err, errlen, "board URL %s: the board serves from /, drop the path '%s'", url,
                 u->u_path);
        nng_url_free(u);
        return -1;
    }
    rv = nng_http_server_hold(&l->srv, u);
    nng_url_free(u);
    if (rv != 0) {
        snprintf(err, errlen, "cannot serve %s: %s", url, nng_strerror(rv));
        return -1;
    }
    web->nlisteners++; /* from here teardown releases it */
    if (https) {
        if (!web->tls && pw_tls_server_config(web->cfg, false, &web->tls, err, errlen) != 0)
            return -1;
        if ((rv = nng_http_server_set_tls(l->srv, web->tls)) != 0) {
            snprintf(err, errlen, "cannot set TLS on %s: %s", url, nng_strerror(rv));
            return -1;
        }
    }
    if ((rv = pw_web_error_pages(l->srv)) != 0) {
        snprintf(err, errlen, "cannot set the error pages of %s: %s", url, nng_strerror(rv));
        return -1;
    }
    if ((rv = nng_http_handler_alloc(&l->handler, "/", pw_web_handle)) != 0 ||
        (rv = nng_http_handler_set_tree(l->handler)) != 0 ||
        (rv = nng_http_handler_set_method(l->handler, NULL)) != 0 ||
        (rv = nng_http_handler_collect_body(l->handler, false, 0)) != 0 ||
        (rv = nng_http_handler_set_data(l->handler, l, NULL)) != 0) {
        snprintf(err, errlen, "cannot set up the board handler on %s: %s", url, nng_strerror(rv));
        if (l->handler)
            nng_http_handler_free(l->handler);
        l->handler = NULL;
        return -1;
    }
    if ((rv = nng_http_server_add_handler(l->srv, l->handler)) != 0) {
        snprintf(err, errlen, "cannot serve %s: %s (listed twice?)", url, nng_strerror(rv));
        nng_http_handler_free(l->handler);
        l->handler = NULL;
        return -1;
    }
    if ((rv = nng_http_server_start(l->srv)) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", url, nng_strerror(rv));
        return -1;
    }
    l->started = 1;
    pw_log(PW_LOG_INFO, "board listening on %s", url);
    return 0;
}

int pw_web_start(const pw_server_config *cfg, pw_store *store, pw_web **out, char *err,
                 size_t errlen)
{
    int rv;
    *out = NULL;
    if (cfg->nhttp_listen == 0)
        return 0;
    /* the built-in routes (-1 when already there from an earlier start: fine) */
    pw_web_route_add("/healthz", pw_web_healthz);
    pw_web_api_routes();
    pw_web_session_routes();
    pw_web_pages_routes();
    pw_web_actions_routes();
    pw_web *web = calloc(1, sizeof *web);
    if (!web) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    web->cfg = cfg;
    web->store = store;
    pthread_mutex_init(&web->mu, NULL);
    pthread_cond_init(&web->cv, NULL);
    pthread_cond_init(&web->tx_cv, NULL);
    if (!(web->cache = pw_web_cache_new())) {
        snprintf(err, errlen, "out of memory");
        pw_web_free(web);
        return -1;
    }
    web->nworkers = (int)cfg->workers;
    web->workers = calloc((size_t)web->nworkers, sizeof *web->workers);
    if (!web->workers) {
        snprintf(err, errlen, "out of memory");
        pw_web_free(web);
        return -1;
    }
    for (int i = 0; i < web->nworkers; i++) {
        pw_web_worker *w = &web->workers[i];
        w->web = web;
        pw_arena_init(&w->arena);
        if ((rv = nng_aio_alloc(&w->rdaio, NULL, NULL)) != 0) {
            snprintf(err, errlen, "cannot allocate a board worker: %s", nng_strerror(rv));
            pw_web_free(web);
            return -1;
        }
        if (pw_store_open_reader(store, &w->db, err, errlen) != 0) {
            pw_web_free(web);
            return -1;
        }
    }
    for (int i = 0; i < web->nworkers; i++) {
        if (pthread_create(&web->workers[i].thread, NULL, pw_web_worker_main, &web->workers[i]) !=
            0) {
            snprintf(err, errlen, "cannot start a board worker thread");
            pw_web_teardown(web);
            return -1;
        }
        web->workers[i].started = 1;
    }
    for (int i = 0; i < cfg->nhttp_listen; i++) {
        if (pw_web_listen(web, cfg->http_listen[i], err, errlen) != 0) {
            pw_web_teardown(web);
            return -1;
        }
    }
    *out = web;
    return 0;
}

void pw_web_stop(pw_web *web)
{
    if (web)
        pw_web_teardown(web);
}
