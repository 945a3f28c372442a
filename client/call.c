/*
 * call.c - REQ socket, envelope, deadline.
 *
 * Design notes: the REQ resend timer is set beyond the call timeout so that
 * a slow call is never silently sent twice; calls are idempotent anyway
 * (submission ids) but need not be repeated.
 */
#include "client/call.h"

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/rpc.pb-c.h"

struct pw_client {
    nng_socket sock;
    nng_dialer dialer;
    nng_tls_config *tls;
    uint64_t next_call_id;
};

/* The client certificate and key (nng wants them in one file, or both in
 * memory).  0 or an nng error. */
static int client_tls_own_cert(nng_tls_config *cfg, const pw_client_tls *tls)
{
    FILE *fc = fopen(tls->cert_file, "r"), *fk = fopen(tls->key_file, "r");
    char cert[65536] = {0}, key[65536] = {0};
    if (!fc || !fk) {
        if (fc)
            fclose(fc);
        if (fk)
            fclose(fk);
        return NNG_ENOENT;
    }
    size_t cl = fread(cert, 1, sizeof cert - 1, fc), kl = fread(key, 1, sizeof key - 1, fk);
    fclose(fc);
    fclose(fk);
    (void)cl;
    (void)kl;
    return nng_tls_config_own_cert(cfg, cert, key, NULL);
}

/* TLS for a tls+tcp:// url: c->tls, set on c's dialer.  0, or -1 with
 * err. */
static int client_tls_setup(pw_client *c, const char *url, const pw_client_tls *tls, char *err,
                            size_t errlen)
{
    int rv;
    if ((rv = nng_tls_config_alloc(&c->tls, NNG_TLS_MODE_CLIENT)) != 0)
        goto tlsfail;
    /* no CA given: the mode is still REQUIRED, so refuse rather than talk
     * to anybody */
    if ((tls && tls->ca_file && (rv = nng_tls_config_ca_file(c->tls, tls->ca_file)) != 0) ||
        (rv = nng_tls_config_auth_mode(c->tls, NNG_TLS_AUTH_MODE_REQUIRED)) != 0)
        goto tlsfail;
    if (tls && tls->cert_file && tls->key_file && (rv = client_tls_own_cert(c->tls, tls)) != 0)
        goto tlsfail;
    /* the certificate must be for the host we dialled (or the name
     * given with --tls-server-name): a CA-signed certificate for some
     * other name is refused */
    const char *name = tls && tls->server_name && *tls->server_name ? tls->server_name : NULL;
    nng_url *u = NULL;
    if (!name) {
        if ((rv = nng_url_parse(&u, url)) != 0)
            goto tlsfail;
        name = u->u_hostname;
    }
    if (!name || !*name) {
        if (u)
            nng_url_free(u);
        snprintf(err, errlen,
                 "TLS setup for %s failed: no host name to verify the server's "
                 "certificate against (use --tls-server-name)",
                 url);
        return -1;
    }
    rv = nng_tls_config_server_name(c->tls, name);
    if (u)
        nng_url_free(u);
    if (rv != 0 || (rv = nng_dialer_set_ptr(c->dialer, NNG_OPT_TLS_CONFIG, c->tls)) != 0)
        goto tlsfail;
    return 0;
tlsfail:
    snprintf(err, errlen, "TLS setup for %s failed: %s", url, nng_strerror(rv));
    return -1;
}

int pw_client_open(const char *url, const pw_client_tls *tls, pw_client **out, char *err,
                   size_t errlen)
{
    int rv;
    pw_client *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->next_call_id = 1;
    if ((rv = nng_req0_open(&c->sock)) != 0) {
        snprintf(err, errlen, "cannot open socket: %s", nng_strerror(rv));
        free(c);
        return -1;
    }
    nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, 256u << 20);
    if ((rv = nng_dialer_create(&c->dialer, c->sock, url)) != 0) {
        snprintf(err, errlen, "cannot reach server %s: %s", url, nng_strerror(rv));
        goto fail;
    }
    if (strncmp(url, "tls+tcp", 7) == 0 && client_tls_setup(c, url, tls, err, errlen) != 0)
        goto fail;
    if ((rv = nng_dialer_start(c->dialer, 0)) != 0) {
        snprintf(err, errlen, "cannot reach server %s: %s", url, nng_strerror(rv));
        goto fail;
    }
    *out = c;
    return 0;
fail:
    nng_close(c->sock);
    if (c->tls)
        nng_tls_config_free(c->tls);
    free(c);
    return -1;
}

void pw_client_close(pw_client *c)
{
    if (!c)
        return;
    nng_close(c->sock);
    if (c->tls)
        nng_tls_config_free(c->tls);
    free(c);
}

int pw_client_call_raw(pw_client *c, const void *buf, size_t len, uint32_t timeout_ms,
                       uint8_t **reply, size_t *replylen, char *err, size_t errlen)
{
    int rv;
    nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, (nng_duration)timeout_ms);
    nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, (nng_duration)timeout_ms);
    nng_socket_set_ms(c->sock, NNG_OPT_REQ_RESENDTIME, (nng_duration)timeout_ms + 60000);
    nng_msg *msg;
    if ((rv = nng_msg_alloc(&msg, 0)) != 0 || (rv = nng_msg_append(msg, buf, len)) != 0) {
        snprintf(err, errlen, "out of memory");
        return PW_RESOURCE_EXHAUSTED;
    }
    if ((rv = nng_sendmsg(c->sock, msg, 0)) != 0) {
        nng_msg_free(msg);
        snprintf(err, errlen, "cannot send to the server: %s", nng_strerror(rv));
        return rv == NNG_ETIMEDOUT ? PW_DEADLINE_EXCEEDED : PW_UNAVAILABLE;
    }
    nng_msg *in;
    if ((rv = nng_recvmsg(c->sock, &in, 0)) != 0) {
        if (rv == NNG_ETIMEDOUT && len > 65536)
            /* a server closes the connection on a request far above its
             * max-message-bytes (more than 4 times), and nng sends it again
             * until the deadline: that looks like a server that is down */
            snprintf(err, errlen,
                     "no reply from the server: %s (the request was %zu bytes: a server drops "
                     "a request far larger than its max-message-bytes, 4 MiB by default, "
                     "without answering)",
                     nng_strerror(rv), len);
        else
            snprintf(err, errlen, "no reply from the server: %s", nng_strerror(rv));
        return rv == NNG_ETIMEDOUT ? PW_DEADLINE_EXCEEDED : PW_UNAVAILABLE;
    }
    *replylen = nng_msg_len(in);
    *reply = malloc(*replylen ? *replylen : 1);
    if (!*reply) {
        nng_msg_free(in);
        snprintf(err, errlen, "out of memory");
        return PW_RESOURCE_EXHAUSTED;
    }
    memcpy(*reply, nng_msg_body(in), *replylen);
    nng_msg_free(in);
    return PW_OK;
}

void pw_call_result_fini(pw_call_result *res)
{
    for (size_t i = 0; i < res->nviolations; i++) {
        free(res->fields[i]);
        free(res->descriptions[i]);
    }
    free(res->fields);
    free(res->descriptions);
    res->fields = res->descriptions = NULL;
    res->nviolations = 0;
}

int pw_client_call(pw_client *c, const char *method, const char *token, uint32_t timeout_ms,
                   const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                   ProtobufCMessage **resp, pw_call_result *res)
{
    memset(res, 0, sizeof *res);
    *resp = NULL;
    Planwatch__V1__Request env = PLANWATCH__V1__REQUEST__INIT;
    env.method = (char *)method;
    env.call_id = c->next_call_id++;
    env.token = (char *)(token ? token : "");
    env.timeout_ms = timeout_ms;
    uint8_t *payload = NULL;
    if (req) {
        env.payload.len = protobuf_c_message_get_packed_size(req);
        payload = malloc(env.payload.len ? env.payload.len : 1);
        if (!payload) {
            snprintf(res->message, sizeof res->message, "out of memory");
            res->transport_failed = 1;
            return res->status = PW_RESOURCE_EXHAUSTED;
        }
        protobuf_c_message_pack(req, payload);
        env.payload.data = payload;
    }
    size_t n = planwatch__v1__request__get_packed_size(&env);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) {
        free(payload);
        snprintf(res->message, sizeof res->message, "out of memory");
        res->transport_failed = 1;
        return res->status = PW_RESOURCE_EXHAUSTED;
    }
    planwatch__v1__request__pack(&env, buf);
    free(payload);
    uint8_t *reply = NULL;
    size_t replylen = 0;
    int st = pw_client_call_raw(c, buf, n, timeout_ms, &reply, &replylen, res->message,
                                sizeof res->message);
    free(buf);
    if (st != PW_OK) {
        res->transport_failed = 1;
        return res->status = st;
    }
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, replylen, reply);
    free(reply);
    if (!r) {
        snprintf(res->message, sizeof res->message, "the server sent an undecodable reply");
        res->transport_failed = 1;
        return res->status = PW_INTERNAL;
    }
    res->status = r->status;
    snprintf(res->message, sizeof res->message, "%s", r->message);
    if (r->n_violations) {
        res->fields = calloc(r->n_violations, sizeof *res->fields);
        res->descriptions = calloc(r->n_violations, sizeof *res->descriptions);
        if (res->fields && res->descriptions) {
            for (size_t i = 0; i < r->n_violations; i++) {
                res->fields[i] = strdup(r->violations[i]->field);
                res->descriptions[i] = strdup(r->violations[i]->description);
            }
            res->nviolations = r->n_violations;
        }
    }
    if (r->status == PW_OK && resp_desc) {
        *resp = protobuf_c_message_unpack(resp_desc, NULL, r->payload.len, r->payload.data);
        if (!*resp) {
            snprintf(res->message, sizeof res->message, "the server's reply is not a valid %s",
                     resp_desc->name);
            res->status = PW_INTERNAL;
        }
    }
    planwatch__v1__response__free_unpacked(r, NULL);
    return res->status;
}
