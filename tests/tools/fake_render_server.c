/*
 * fake_render_server - test-only helper (never installed): a stand-in for
 * planwatchd that answers the calls of `planwatch dispatch|scores|publish`
 * with the fixture of tests/support/render_fixture.h, so that the CLI verbs
 * can be tested end to end before (and independently of) the server's
 * handlers.  It speaks the real envelope (rpc.proto) over nng REP.
 *
 *   fake_render_server URL LOGFILE
 *
 * Answers: AuthService/Login -> a token; DispatchService/Get -> the fixture
 * summary (period and plan echoed); ScoreService/Get -> the fixture ranking
 * (period echoed, filtered by category); PublishService/Publish -> a
 * publication; anything else -> UNIMPLEMENTED.  Every request is logged to
 * LOGFILE as one line "<method> plan=<p> period=<p> category=<c>
 * explain=<u> kind=<k>" (fields that the method has).  Runs until killed.
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "tests/support/render_fixture.h"

static void fake_reply(nng_socket s, uint64_t call_id, int status, const char *message,
                       const ProtobufCMessage *payload)
{
    Planwatch__V1__Response resp = PLANWATCH__V1__RESPONSE__INIT;
    resp.call_id = call_id;
    resp.status = status;
    resp.message = (char *)(message ? message : "");
    uint8_t *pbuf = NULL;
    if (payload) {
        resp.payload.len = protobuf_c_message_get_packed_size(payload);
        pbuf = malloc(resp.payload.len + 1);
        protobuf_c_message_pack(payload, pbuf);
        resp.payload.data = pbuf;
    }
    size_t n = planwatch__v1__response__get_packed_size(&resp);
    uint8_t *buf = malloc(n + 1);
    planwatch__v1__response__pack(&resp, buf);
    nng_send(s, buf, n, 0);
    free(buf);
    free(pbuf);
}

/* One method: the request decoded (NULL when it has no payload to read). */
typedef void fake_handler(nng_socket s, FILE *log, const Planwatch__V1__Request *req,
                          const ProtobufCMessage *msg);

static void fake_login(nng_socket s, FILE *log, const Planwatch__V1__Request *req,
                       const ProtobufCMessage *msg)
{
    (void)msg;
    fprintf(log, "%s\n", req->method);
    Planwatch__V1__LoginResponse lr = PLANWATCH__V1__LOGIN_RESPONSE__INIT;
    lr.token = "fake-token";
    lr.expires_at = 4102444800;
    fake_reply(s, req->call_id, PW_OK, NULL, &lr.base);
}

static void fake_dispatch(nng_socket s, FILE *log, const Planwatch__V1__Request *req,
                          const ProtobufCMessage *msg)
{
    const Planwatch__V1__DispatchRequest *r = (const Planwatch__V1__DispatchRequest *)msg;
    fprintf(log, "%s plan=%s period=%s token=%s\n", req->method, r->plan, r->period, req->token);
    Planwatch__V1__DispatchSummary *sum = pw_fixture_dispatch();
    char *keep = sum->period;
    sum->period = r->period;
    fake_reply(s, req->call_id, PW_OK, NULL, &sum->base);
    sum->period = keep;
    protobuf_c_message_free_unpacked(&sum->base, NULL);
}

static void fake_scores(nng_socket s, FILE *log, const Planwatch__V1__Request *req,
                        const ProtobufCMessage *msg)
{
    const Planwatch__V1__ScoresRequest *r = (const Planwatch__V1__ScoresRequest *)msg;
    fprintf(log, "%s plan=%s period=%s category=%s explain=%s\n", req->method, r->plan, r->period,
            r->category, r->explain_unit);
    Planwatch__V1__ScoresResponse *sc = pw_fixture_scores();
    char *keep = sc->period;
    size_t all = sc->n_rankings;
    Planwatch__V1__UnitScore **v = sc->rankings;
    if (r->category[0]) { /* keep the category's units first, stably */
        size_t k = 0;
        for (size_t i = 0; i < all; i++) {
            if (strcmp(v[i]->category, r->category) == 0) {
                Planwatch__V1__UnitScore *t = v[i];
                memmove(v + k + 1, v + k, (i - k) * sizeof *v);
                v[k++] = t;
            }
        }
        sc->n_rankings = k;
    }
    sc->period = r->period;
    fake_reply(s, req->call_id, PW_OK, NULL, &sc->base);
    sc->period = keep;
    sc->n_rankings = all; /* so that every unit is freed */
    protobuf_c_message_free_unpacked(&sc->base, NULL);
}

static void fake_publish(nng_socket s, FILE *log, const Planwatch__V1__Request *req,
                         const ProtobufCMessage *msg)
{
    const Planwatch__V1__PublishRequest *r = (const Planwatch__V1__PublishRequest *)msg;
    fprintf(log, "%s plan=%s period=%s kind=%s\n", req->method, r->plan, r->period, r->kind);
    Planwatch__V1__PublishResponse out = PLANWATCH__V1__PUBLISH_RESPONSE__INIT;
    out.kind = r->kind;
    out.period = r->period;
    out.published_at = 1523412000; /* 2018-04-11T10:00:00+08:00 */
    out.published_by = "office";
    fake_reply(s, req->call_id, PW_OK, NULL, &out.base);
}

static const struct {
    const char *method;
    const ProtobufCMessageDescriptor *request; /* NULL: the payload is not read */
    fake_handler *handle;
} fake_methods[] = {
    {"/planwatch.v1.AuthService/Login", NULL, fake_login},
    {"/planwatch.v1.DispatchService/Get", &planwatch__v1__dispatch_request__descriptor,
     fake_dispatch},
    {"/planwatch.v1.ScoreService/Get", &planwatch__v1__scores_request__descriptor, fake_scores},
    {"/planwatch.v1.PublishService/Publish", &planwatch__v1__publish_request__descriptor,
     fake_publish},
};

static void fake_serve(nng_socket s, FILE *log, const Planwatch__V1__Request *req)
{
    size_t i = 0, n = sizeof fake_methods / sizeof fake_methods[0];
    while (i < n && strcmp(fake_methods[i].method, req->method) != 0)
        i++;
    if (i == n) {
        fprintf(log, "%s (unimplemented)\n", req->method);
        fake_reply(s, req->call_id, PW_UNIMPLEMENTED, "unknown method", NULL);
    } else {
        ProtobufCMessage *msg = NULL;
        if (fake_methods[i].request) {
            msg = protobuf_c_message_unpack(fake_methods[i].request, NULL, req->payload.len,
                                            req->payload.data);
            if (!msg) {
                fake_reply(s, req->call_id, PW_INVALID_ARGUMENT, "bad payload", NULL);
                return;
            }
        }
        fake_methods[i].handle(s, log, req, msg);
        if (msg)
            protobuf_c_message_free_unpacked(msg, NULL);
    }
    fflush(log);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fake_render_server URL LOGFILE\n");
        return 2;
    }
    FILE *log = fopen(argv[2], "a");
    if (!log) {
        perror(argv[2]);
        return 1;
    }
    nng_socket s;
    int rv;
    if ((rv = nng_rep0_open(&s)) != 0 || (rv = nng_listen(s, argv[1], NULL, 0)) != 0) {
        fprintf(stderr, "fake_render_server: %s: %s\n", argv[1], nng_strerror(rv));
        return 1;
    }
    for (;;) {
        char *buf = NULL;
        size_t len = 0;
        if ((rv = nng_recv(s, &buf, &len, NNG_FLAG_ALLOC)) != 0)
            break;
        Planwatch__V1__Request *req =
            planwatch__v1__request__unpack(NULL, len, (const uint8_t *)buf);
        nng_free(buf, len);
        if (!req) {
            fake_reply(s, 0, PW_INVALID_ARGUMENT, "undecodable request", NULL);
            continue;
        }
        fake_serve(s, log, req);
        planwatch__v1__request__free_unpacked(req, NULL);
    }
    nng_close(s);
    fclose(log);
    return 0;
}
