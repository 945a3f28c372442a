/*
 * web_call.h - the board's way into the method table: every page and API
 * call is one pw_rpc_invoke (server/rpc/rpc.h) with the caller's session
 * token, so the board and RPC share one authorization, one audit trail,
 * the rate limits and the counters.  Plus the HTTP face of a status: its
 * HTTP code and the JSON error object of the API.
 */
#ifndef PW_SERVER_WEB_CALL_H
#define PW_SERVER_WEB_CALL_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "server/rpc/call.h"
#include "server/web/web.h"

/* Call `method` with `req` as the holder of `token` (NULL: nobody).  The
 * request is packed into rq->arena and goes through the whole dispatcher:
 * session, roles, decoding, handler.  `call` holds the message and the
 * violations; on PW_OK *resp is the response (arena), else NULL. */
int pw_web_call(pw_web_req *rq, const char *token, const char *method, const ProtobufCMessage *req,
                pw_call *call, ProtobufCMessage **resp);

/* The HTTP status that fits a pw_status: OK 200, INVALID_ARGUMENT /
 * FAILED_PRECONDITION / OUT_OF_RANGE 400, UNAUTHENTICATED 401,
 * PERMISSION_DENIED 403, NOT_FOUND 404, ALREADY_EXISTS / ABORTED 409,
 * RESOURCE_EXHAUSTED 429, UNIMPLEMENTED 501, UNAVAILABLE 503,
 * DEADLINE_EXCEEDED 504, the rest 500. */
int pw_web_http_status(int status);

/* Reply with `j` (consumed) as JSON, HTTP `http`. */
void pw_web_res_json(pw_web_res *rs, int http, json_t *j);
/* Reply with the API's error object:
 *   {"error": {"status": "NOT_FOUND", "code": 5, "http": 404,
 *              "message": "...", "violations": [{"field", "description"}]}}
 * `call` may be NULL (an error found before any call). */
void pw_web_res_json_error(pw_web_res *rs, int status, const char *message, const pw_call *call);

#endif
