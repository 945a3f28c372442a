/*
 * rpc.c - transport workers and the dispatcher.  See rpc.h.
 *
 * The path of one call (pw_rpc_process):
 *   size check -> decode Request -> method table row -> authenticate token
 *   -> role check -> decode payload -> handler -> pack Response.
 * The handler never runs unless all checks before it passed, so handlers
 * may trust `call->who` and the type of `req`.
 */
#include "server/rpc/rpc.h"

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/tls/tls.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/rpc/auth.h"
#include "server/rpc/methods.h"
#include "server/rpc/metrics.h"
#include "server/rpc/ratelimit.h"

/* ---- clock ------------------------------------------------------------ */

int64_t pw_server_now(const pw_server_config *cfg)
{
    if (!cfg->clock_file)
        return (int64_t)time(NULL);
    FILE *f = fopen(cfg->clock_file, "r");
    if (!f)
        return -1;
    char buf[128] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    int64_t t;
    if (pw_time_parse_iso8601(buf, &t) != 0)
        return -1;
    return t;
}

/* ---- abuse limits ------------------------------------------------------- */

static pthread_once_t pw_rpc_limits_once = PTHREAD_ONCE_INIT;
static pw_ratelimit *pw_rpc_call_limit, *pw_rpc_login_limit;
static const pw_server_config *pw_rpc_limits_cfg;

static void pw_rpc_limits_init(void)
{
    if (pw_rpc_limits_cfg->rate_calls_per_s > 0)
        pw_rpc_call_limit = pw_ratelimit_new((double)pw_rpc_limits_cfg->rate_calls_per_s, 1000000);
    if (pw_rpc_limits_cfg->rate_logins_per_min > 0)
        pw_rpc_login_limit =
            pw_ratelimit_new((double)pw_rpc_limits_cfg->rate_logins_per_min, 60000000);
}

/* Per-peer logins and per-user calls; PW_OK or RESOURCE_EXHAUSTED. */
static int pw_rpc_limit(pw_call *c, const pw_method *m, int64_t now_us)
{
    if (!c->config->rate_calls_per_s && !c->config->rate_logins_per_min)
        return PW_OK;
    pw_rpc_limits_cfg = c->config;
    pthread_once(&pw_rpc_limits_once, pw_rpc_limits_init);
    if (pw_rpc_login_limit && (m->roles & PW_ROLE_ANON) &&
        !pw_ratelimit_take(pw_rpc_login_limit, c->peer[0] ? c->peer : "-", now_us))
        return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                            "too many logins from %s: at most %lld a minute", c->peer,
                            (long long)c->config->rate_logins_per_min);
    if (pw_rpc_call_limit && c->who.name[0] &&
        !pw_ratelimit_take(pw_rpc_call_limit, c->who.name, now_us))
        return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                            "too many calls from %s: at most %lld a second", c->who.name,
                            (long long)c->config->rate_calls_per_s);
    return PW_OK;
}

/* ---- dispatcher ------------------------------------------------------- */

static void pw_rpc_reply(pw_arena *arena, uint64_t call_id, int status, const char *message,
                         const pw_call *c, const ProtobufCMessage *payload, uint8_t **out,
                         size_t *outlen)
{
    Planwatch__V1__Response resp = PLANWATCH__V1__RESPONSE__INIT;
    resp.call_id = call_id;
    resp.status = status;
    resp.message = (char *)(message ? message : "");
    Planwatch__V1__FieldViolation *vs = NULL;
    Planwatch__V1__FieldViolation **vps = NULL;
    if (c && c->nviolations) {
        vs = pw_arena_alloc(arena, sizeof *vs * (size_t)c->nviolations);
        vps = pw_arena_alloc(arena, sizeof *vps * (size_t)c->nviolations);
        for (int i = 0; i < c->nviolations; i++) {
            planwatch__v1__field_violation__init(&vs[i]);
            vs[i].field = (char *)c->violations[i].field;
            vs[i].description = (char *)c->violations[i].description;
            vps[i] = &vs[i];
        }
        resp.n_violations = (size_t)c->nviolations;
        resp.violations = vps;
    }
    if (payload && status == PW_OK) {
        size_t n = protobuf_c_message_get_packed_size(payload);
        resp.payload.data = pw_arena_alloc(arena, n);
        resp.payload.len = protobuf_c_message_pack(payload, resp.payload.data);
    }
    size_t n = planwatch__v1__response__get_packed_size(&resp);
    *out = pw_arena_alloc(arena, n);
    *outlen = planwatch__v1__response__pack(&resp, *out);
}

static void pw_rpc_log(const pw_server_config *cfg, const char *method, const pw_principal *who,
                       int status, int64_t usec, const char *peer)
{
    if (!cfg->log_calls)
        return;
    pw_log_field f[] = {{"method", method, 0},
                        {"user", who->name[0] ? who->name : "-", 0},
                        {"status", pw_status_name(status), 0},
                        {"us", NULL, (long long)usec},
                        {"peer", peer && *peer ? peer : "-", 0}};
    pw_log_event(PW_LOG_INFO, "call", f, sizeof f / sizeof f[0]);
}

void pw_rpc_process(const pw_server_config *cfg, pw_store *store, pw_db *db, pw_arena *arena,
                    const uint8_t *in, size_t inlen, const char *peer, uint8_t **out,
                    size_t *outlen)
{
    int64_t t0 = pw_monotonic_us();
    pw_call call;
    memset(&call, 0, sizeof call);
    call.store = store;
    call.db = db;
    call.arena = arena;
    call.config = cfg;
    if (peer)
        snprintf(call.peer, sizeof call.peer, "%s", peer);

    if ((int64_t)inlen > cfg->max_message_bytes) {
        const char *msg = pw_arena_printf(arena, "request of %zu bytes exceeds the maximum of %lld",
                                          inlen, (long long)cfg->max_message_bytes);
        pw_rpc_reply(arena, 0, PW_RESOURCE_EXHAUSTED, msg, NULL, NULL, out, outlen);
        pw_metrics_call(NULL, PW_RESOURCE_EXHAUSTED, pw_monotonic_us() - t0);
        pw_rpc_log(cfg, "-", &call.who, PW_RESOURCE_EXHAUSTED, pw_monotonic_us() - t0, peer);
        return;
    }
    ProtobufCAllocator *alloc = pw_arena_protobuf_allocator(arena);
    Planwatch__V1__Request *req = planwatch__v1__request__unpack(alloc, inlen, in);
    if (!req) {
        pw_rpc_reply(arena, 0, PW_INVALID_ARGUMENT,
                     "request is not a planwatch.v1.Request message", NULL, NULL, out, outlen);
        pw_metrics_call(NULL, PW_INVALID_ARGUMENT, pw_monotonic_us() - t0);
        pw_rpc_log(cfg, "-", &call.who, PW_INVALID_ARGUMENT, pw_monotonic_us() - t0, peer);
        return;
    }
    int64_t timeout_ms = req->timeout_ms ? (int64_t)req->timeout_ms : cfg->default_timeout_ms;
    call.deadline_us = t0 + timeout_ms * 1000;

    int status;
    ProtobufCMessage *resp = NULL;
    pw_method *m = pw_method_find(req->method);
    if (!m) {
        status = pw_call_fail(&call, PW_UNIMPLEMENTED, "unknown method '%.200s'", req->method);
        goto reply;
    }
    call.method = m;
    call.now = pw_server_now(cfg);
    if (call.now < 0) {
        status = pw_call_fail(&call, PW_UNAVAILABLE, "server clock file %s is unreadable",
                              cfg->clock_file);
        goto reply;
    }
    status = pw_auth_authenticate(&call, req->token);
    if (status != PW_OK)
        goto reply;
    if ((status = pw_rpc_limit(&call, m, t0)) != PW_OK)
        goto reply;
    /* PW_ROLE_ANON methods (Login) are open to everybody, signed in or not */
    if (!(m->roles & PW_ROLE_ANON) && !(m->roles & call.who.role)) {
        if (!call.who.role)
            status = pw_call_fail(&call, PW_UNAUTHENTICATED, "%s needs a signed-in user: log in",
                                  m->name);
        else
            status = pw_call_fail(&call, PW_PERMISSION_DENIED, "role %s may not call %s",
                                  pw_role_name(call.who.role), m->name);
        goto reply;
    }
    ProtobufCMessage *payload =
        protobuf_c_message_unpack(m->request, alloc, req->payload.len, req->payload.data);
    if (!payload) {
        status = pw_call_fail(&call, PW_INVALID_ARGUMENT, "payload is not a valid %s message",
                              m->request->name);
        goto reply;
    }
    if (pw_monotonic_us() > call.deadline_us) {
        status = pw_call_fail(&call, PW_DEADLINE_EXCEEDED, "deadline passed before %s started",
                              m->name);
        goto reply;
    }
    status = m->handler(&call, payload, &resp);
    if (status != PW_OK && !call.message)
        pw_call_fail(&call, status, "%s", pw_status_text(status));

reply:;
    int64_t usec = pw_monotonic_us() - t0;
    pw_metrics_call(m, status, usec);
    if (m) {
        atomic_fetch_add_explicit((_Atomic uint64_t *)&m->calls, 1, memory_order_relaxed);
        atomic_fetch_add_explicit((_Atomic uint64_t *)&m->usec, (uint64_t)usec,
                                  memory_order_relaxed);
        if (status != PW_OK)
            atomic_fetch_add_explicit((_Atomic uint64_t *)&m->failed, 1, memory_order_relaxed);
    }
    Planwatch__V1__Empty empty = PLANWATCH__V1__EMPTY__INIT;
    if (status == PW_OK && !resp)
        resp = &empty.base;
    pw_rpc_reply(arena, req->call_id, status, call.message, &call, resp, out, outlen);
    pw_rpc_log(cfg, m ? m->name : "-", &call.who, status, usec, peer);
}

/* ---- workers ---------------------------------------------------------- */

typedef struct pw_worker {
    struct pw_rpc *rpc;
    pthread_t thread;
    nng_ctx ctx;
    nng_aio *aio;
    pw_db *db;
    pw_arena arena;
    pthread_mutex_t mu;
    int receiving; /* guarded by mu: the aio is in a recv (cancellable) */
    int started;
} pw_worker;

struct pw_rpc {
    const pw_server_config *cfg;
    pw_store *store;
    nng_socket sock;
    nng_listener listeners[PW_MAX_LISTEN];
    int nlisteners;
    pw_worker *workers;
    int nworkers;
    _Atomic int stopping;
    nng_tls_config *tls;
};

static void pw_worker_peer(nng_msg *msg, char *buf, size_t len)
{
    nng_pipe p = nng_msg_get_pipe(msg);
    nng_sockaddr sa;
    buf[0] = '\0';
    if (nng_pipe_get_addr(p, NNG_OPT_REMADDR, &sa) != 0)
        return;
    if (sa.s_family == NNG_AF_INET) {
        const uint8_t *a = (const uint8_t *)&sa.s_in.sa_addr;
        snprintf(buf, len, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3],
                 (unsigned)((sa.s_in.sa_port & 0xff) << 8 | sa.s_in.sa_port >> 8));
    } else if (sa.s_family == NNG_AF_IPC) {
        snprintf(buf, len, "ipc");
    } else if (sa.s_family == NNG_AF_INET6) {
        snprintf(buf, len, "inet6");
    }
}

static void *pw_worker_main(void *arg)
{
    pw_worker *w = arg;
    pthread_setname_np(pthread_self(), "pw-worker"); /* for top -H and profilers */
    pw_rpc *rpc = w->rpc;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        if (atomic_load(&rpc->stopping)) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        w->receiving = 1;
        nng_ctx_recv(w->ctx, w->aio);
        pthread_mutex_unlock(&w->mu);
        nng_aio_wait(w->aio);
        pthread_mutex_lock(&w->mu);
        w->receiving = 0;
        pthread_mutex_unlock(&w->mu);
        int rv = nng_aio_result(w->aio);
        if (rv != 0) {
            if (rv == NNG_ECLOSED || atomic_load(&rpc->stopping))
                break;
            continue;
        }
        nng_msg *msg = nng_aio_get_msg(w->aio);
        char peer[64];
        pw_worker_peer(msg, peer, sizeof peer);
        uint8_t *out;
        size_t outlen;
        pw_rpc_process(rpc->cfg, rpc->store, w->db, &w->arena, nng_msg_body(msg),
                       nng_msg_len(msg), peer, &out, &outlen);
        /* reuse the request message for the reply (keeps the REP header) */
        nng_msg_clear(msg);
        if (nng_msg_append(msg, out, outlen) != 0) {
            nng_msg_free(msg);
            pw_arena_reset(&w->arena);
            continue;
        }
        size_t used = w->arena.total;
        pw_arena_reset(&w->arena);
        if (used > (64u << 20))
            malloc_trim(0); /* a big office read: give the memory back now */
        nng_aio_set_msg(w->aio, msg);
        nng_ctx_send(w->ctx, w->aio);
        nng_aio_wait(w->aio);
        if (nng_aio_result(w->aio) != 0)
            nng_msg_free(nng_aio_get_msg(w->aio)); /* still ours on failure */
    }
    return NULL;
}

/* A whole PEM file into a NUL-terminated malloc'd string (nng wants the
 * certificate and key as strings when they live in two files). */
static char *pw_rpc_read_pem(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int ch;
    while (mem && (ch = fgetc(f)) != EOF)
        fputc(ch, mem);
    fclose(f);
    if (mem)
        fclose(mem);
    return buf;
}

static int pw_rpc_tls_config(pw_rpc *rpc, char *err, size_t errlen)
{
    const pw_server_config *cfg = rpc->cfg;
    int rv;
    if (!cfg->tls_cert || !cfg->tls_key) {
        snprintf(err, errlen, "a tls+tcp:// listener needs --tls-cert and --tls-key");
        return -1;
    }
    if ((rv = nng_tls_config_alloc(&rpc->tls, NNG_TLS_MODE_SERVER)) != 0) {
        snprintf(err, errlen, "cannot set up TLS: %s", nng_strerror(rv));
        return -1;
    }
    char *cert = pw_rpc_read_pem(cfg->tls_cert), *key = pw_rpc_read_pem(cfg->tls_key);
    rv = cert && key ? nng_tls_config_own_cert(rpc->tls, cert, key, NULL) : NNG_ENOENT;
    free(cert);
    if (key) {
        memset(key, 0, strlen(key));
        free(key);
    }
    if (rv != 0) {
        snprintf(err, errlen, "cannot load TLS certificate %s / key %s: %s", cfg->tls_cert,
                 cfg->tls_key, nng_strerror(rv));
        return -1;
    }
    if (cfg->tls_ca) {
        /* require client certificates signed by this CA */
        if ((rv = nng_tls_config_ca_file(rpc->tls, cfg->tls_ca)) != 0 ||
            (rv = nng_tls_config_auth_mode(rpc->tls, NNG_TLS_AUTH_MODE_REQUIRED)) != 0) {
            snprintf(err, errlen, "cannot load TLS CA %s: %s", cfg->tls_ca, nng_strerror(rv));
            return -1;
        }
    }
    return 0;
}

static void pw_rpc_free(pw_rpc *rpc)
{
    for (int i = 0; i < rpc->nworkers; i++) {
        pw_worker *w = &rpc->workers[i];
        if (w->aio)
            nng_aio_free(w->aio);
        pw_db_close(w->db);
        pw_arena_fini(&w->arena);
        pthread_mutex_destroy(&w->mu);
    }
    free(rpc->workers);
    if (rpc->tls)
        nng_tls_config_free(rpc->tls);
    free(rpc);
}

int pw_rpc_start(const pw_server_config *cfg, pw_store *store, pw_rpc **out, char *err,
                 size_t errlen)
{
    int rv;
    pw_rpc *rpc = calloc(1, sizeof *rpc);
    if (!rpc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rpc->cfg = cfg;
    rpc->store = store;
    if ((rv = nng_rep0_open(&rpc->sock)) != 0) {
        snprintf(err, errlen, "cannot open rep0 socket: %s", nng_strerror(rv));
        free(rpc);
        return -1;
    }
    /* the hard transport limit sits above the configured maximum so that an
     * oversize request still gets a RESOURCE_EXHAUSTED reply */
    nng_socket_set_size(rpc->sock, NNG_OPT_RECVMAXSZ, (size_t)cfg->max_message_bytes * 4 + 65536);

    rpc->nworkers = (int)cfg->workers;
    rpc->workers = calloc((size_t)rpc->nworkers, sizeof *rpc->workers);
    if (!rpc->workers) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (int i = 0; i < rpc->nworkers; i++) {
        pw_worker *w = &rpc->workers[i];
        w->rpc = rpc;
        pthread_mutex_init(&w->mu, NULL);
        pw_arena_init(&w->arena);
        if ((rv = nng_ctx_open(&w->ctx, rpc->sock)) != 0 ||
            (rv = nng_aio_alloc(&w->aio, NULL, NULL)) != 0) {
            snprintf(err, errlen, "cannot open worker context: %s", nng_strerror(rv));
            goto fail;
        }
        if (pw_store_open_reader(store, &w->db, err, errlen) != 0)
            goto fail;
    }
    for (int i = 0; i < cfg->nlisten; i++) {
        const char *url = cfg->listen[i];
        nng_listener l;
        if ((rv = nng_listener_create(&l, rpc->sock, url)) != 0) {
            snprintf(err, errlen, "cannot listen on %s: %s", url, nng_strerror(rv));
            goto fail;
        }
        if (strncmp(url, "tls+tcp://", 10) == 0) {
            if (!rpc->tls && pw_rpc_tls_config(rpc, err, errlen) != 0)
                goto fail;
            if ((rv = nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, rpc->tls)) != 0) {
                snprintf(err, errlen, "cannot set TLS on %s: %s", url, nng_strerror(rv));
                goto fail;
            }
        }
        if ((rv = nng_listener_start(l, 0)) != 0) {
            snprintf(err, errlen, "cannot listen on %s: %s", url, nng_strerror(rv));
            goto fail;
        }
        rpc->listeners[rpc->nlisteners++] = l;
        pw_log(PW_LOG_INFO, "listening on %s", url);
    }
    for (int i = 0; i < rpc->nworkers; i++) {
        if (pthread_create(&rpc->workers[i].thread, NULL, pw_worker_main, &rpc->workers[i]) != 0) {
            snprintf(err, errlen, "cannot start worker thread");
            pw_rpc_stop(rpc);
            return -1;
        }
        rpc->workers[i].started = 1;
    }
    *out = rpc;
    return 0;
fail:
    nng_close(rpc->sock);
    pw_rpc_free(rpc);
    return -1;
}

void pw_rpc_stop(pw_rpc *rpc)
{
    if (!rpc)
        return;
    atomic_store(&rpc->stopping, 1);
    /* Listeners close only after the workers are done: closing a listener
     * closes the pipes it accepted, and an in-flight call could then not
     * deliver its reply (its client would wait for a write that was stored). */
    for (int i = 0; i < rpc->nworkers; i++) {
        pw_worker *w = &rpc->workers[i];
        pthread_mutex_lock(&w->mu);
        if (w->receiving)
            nng_aio_cancel(w->aio);
        pthread_mutex_unlock(&w->mu);
    }
    for (int i = 0; i < rpc->nworkers; i++)
        if (rpc->workers[i].started)
            pthread_join(rpc->workers[i].thread, NULL);
    for (int i = 0; i < rpc->nlisteners; i++)
        nng_listener_close(rpc->listeners[i]);
    for (int i = 0; i < rpc->nworkers; i++)
        nng_ctx_close(rpc->workers[i].ctx);
    nng_close(rpc->sock);
    pw_rpc_free(rpc);
}
