/*
 * call.h - the client side of the RPC: one REQ socket, calls with a deadline.
 *
 * pw_client_call packs the request message into a Request envelope, sends
 * it, waits at most `timeout_ms` for the Response, and unpacks the payload
 * into `resp_desc`.  The result says whether the status came from the
 * server or was made up locally because no reply arrived (transport_failed),
 * which decides the exit code (SPEC 4.2: 1 server error, 3 unreachable).
 */
#ifndef PW_CLIENT_CALL_H
#define PW_CLIENT_CALL_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pw_client pw_client;

typedef struct pw_client_tls {
    const char *ca_file;   /* verify the server against this CA */
    const char *cert_file; /* optional client certificate (PEM) */
    const char *key_file;
    const char *server_name; /* name the certificate must carry; NULL: the URL's host */
} pw_client_tls;

typedef struct pw_call_result {
    int status;           /* pw_status */
    int transport_failed; /* 1: no reply from the server */
    char message[1024];
    size_t nviolations;
    char **fields; /* malloc'd, freed by pw_call_result_fini */
    char **descriptions;
} pw_call_result;

/* Dial `url` (ipc://, tcp://, tls+tcp://).  The dial is synchronous: an
 * unreachable server fails here with `err` saying why. */
int pw_client_open(const char *url, const pw_client_tls *tls, pw_client **out, char *err,
                   size_t errlen);
void pw_client_close(pw_client *c);

/* One call.  On PW_OK *resp holds the unpacked response (free it with
 * protobuf_c_message_free_unpacked(*resp, NULL)); otherwise *resp is NULL.
 * Returns res->status. */
int pw_client_call(pw_client *c, const char *method, const char *token, uint32_t timeout_ms,
                   const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                   ProtobufCMessage **resp, pw_call_result *res);

/* Send raw bytes as one message and return the raw reply (tests, fuzzing,
 * benchmarks).  *reply is malloc'd. */
int pw_client_call_raw(pw_client *c, const void *buf, size_t len, uint32_t timeout_ms,
                       uint8_t **reply, size_t *replylen, char *err, size_t errlen);

void pw_call_result_fini(pw_call_result *res);

#endif
