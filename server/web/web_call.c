/*
 * web_call.c - see web_call.h.
 */
#include "server/web/web_call.h"

#include <stdlib.h>
#include <string.h>

#include "common/render/render_format.h"
#include "common/status.h"
#include "server/rpc/rpc.h"

int pw_web_call(pw_web_req *rq, const char *token, const char *method, const ProtobufCMessage *req,
                pw_call *call, ProtobufCMessage **resp)
{
    size_t n = protobuf_c_message_get_packed_size(req);
    uint8_t *buf = pw_arena_alloc(rq->arena, n ? n : 1);
    n = protobuf_c_message_pack(req, buf);
    return pw_rpc_invoke(rq->cfg, rq->store, rq->db, rq->arena, method, token, buf, n, 0, rq->peer,
                         call, resp);
}

int pw_web_http_status(int status)
{
    switch (status) {
    case PW_OK:
        return 200;
    case PW_INVALID_ARGUMENT:
    case PW_FAILED_PRECONDITION:
    case PW_OUT_OF_RANGE:
        return 400;
    case PW_UNAUTHENTICATED:
        return 401;
    case PW_PERMISSION_DENIED:
        return 403;
    case PW_NOT_FOUND:
        return 404;
    case PW_ALREADY_EXISTS:
    case PW_ABORTED:
        return 409;
    case PW_RESOURCE_EXHAUSTED:
        return 429;
    case PW_UNIMPLEMENTED:
        return 501;
    case PW_UNAVAILABLE:
        return 503;
    case PW_DEADLINE_EXCEEDED:
        return 504;
    default:
        return 500;
    }
}

void pw_web_res_json(pw_web_res *rs, int http, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!text) {
        pw_web_res_set(rs, 500, "application/json",
                       "{\"error\": {\"status\": \"INTERNAL\", \"code\": 13, \"http\": 500}}\n",
                       62);
        return;
    }
    pw_web_res_set(rs, http, "application/json", text, strlen(text));
    pw_strbuf_append_char(&rs->body, '\n');
    free(text);
}

void pw_web_res_json_error(pw_web_res *rs, int status, const char *message, const pw_call *call)
{
    int http = pw_web_http_status(status);
    json_t *e = json_pack("{s:s, s:i, s:i}", "status", pw_status_name(status), "code", status,
                          "http", http);
    json_object_set_new(e, "message", pw_json_str(message ? message : pw_status_text(status)));
    if (call && call->nviolations) {
        json_t *vs = json_array();
        for (int i = 0; i < call->nviolations; i++)
            json_array_append_new(
                vs, json_pack("{s:o, s:o}", "field", pw_json_str(call->violations[i].field),
                              "description", pw_json_str(call->violations[i].description)));
        json_object_set_new(e, "violations", vs);
    }
    pw_web_res_json(rs, http, json_pack("{s:o}", "error", e));
    if (http == 401)
        pw_web_res_header(rs, "WWW-Authenticate", "Bearer realm=\"planwatch\"");
}
