/*
 * web_api.c - GET /api/v1/...: the JSON of the CLI's --json for other
 * government systems, with `Authorization: Bearer <token>` from a Login.
 *
 * One table row per endpoint: path, method-table name, query parameters
 * admitted, how to fill the request, which common/render JSON renderer to
 * use.  Every call goes through pw_web_call (the method table: one
 * authorization, one audit trail); errors are the JSON error object with
 * the gRPC status name and the HTTP status that fits (web_call.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/render/render_dispatch.h"
#include "common/render/render_plan.h"
#include "common/render/render_report.h"
#include "common/render/render_scores.h"
#include "common/status.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/plan.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "server/web/form.h"
#include "server/web/web_api.h"
#include "server/web/web_call.h"
#include "server/web/web_published.h"

typedef struct pw_api_endpoint {
    const char *path;
    const char *method;
    const char *params[5];
    /* the request, filled from the query parameters (pw_api_fill) */
    const ProtobufCMessageDescriptor *request;
    json_t *(*render)(const ProtobufCMessage *resp, const pw_form *q);
    /* published records: read through the render cache (web_published.h),
     * `view` the query's part of the key; NULL for the others */
    const pw_web_pub_how *pub;
    const char *(*view)(const pw_form *q, pw_arena *a);
} pw_api_endpoint;

/* ---- requests ---------------------------------------------------------- */

static const char *pw_api_str(const pw_form *q, const char *name)
{
    const char *v = pw_form_get(q, name);
    return v ? v : "";
}

/* The request message of `desc`, its string fields filled from the query
 * parameters of the same name ("explain" fills explain_unit), an int32
 * field (only `year` has one) read as a year.  PW_OK or an error naming the parameter in `err`. */
static int pw_api_fill(const ProtobufCMessageDescriptor *desc, const char *const *params,
                       const pw_form *q, ProtobufCMessage **out, pw_arena *a, char *err,
                       size_t errlen)
{
    ProtobufCMessage *m = pw_arena_alloc(a, desc->sizeof_message);
    protobuf_c_message_init(desc, m);
    for (size_t i = 0; i < 5 && params[i]; i++) {
        const char *name = strcmp(params[i], "explain") == 0 ? "explain_unit" : params[i];
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(desc, name);
        const char *v = pw_form_get(q, params[i]);
        if (!f || f->label == PROTOBUF_C_LABEL_REPEATED)
            continue;
        if (f->type == PROTOBUF_C_TYPE_STRING) {
            *(const char **)((char *)m + f->offset) = v ? v : "";
        } else if (f->type == PROTOBUF_C_TYPE_INT32 && v) {
            char *end;
            long y = strtol(v, &end, 10);
            if (!*v || *end || y < 2000 || y > 2100) {
                snprintf(err, errlen, "%s: '%s' is not a year in 2000..2100", params[i], v);
                return PW_INVALID_ARGUMENT;
            }
            *(int32_t *)((char *)m + f->offset) = (int32_t)y;
        }
    }
    *out = m;
    return PW_OK;
}

/* ---- renderers ----------------------------------------------------------- */

static json_t *pw_api_render_scores(const ProtobufCMessage *m, const pw_form *q)
{
    return pw_render_scores_json((const Planwatch__V1__ScoresResponse *)m);
}
static json_t *pw_api_render_dispatch(const ProtobufCMessage *m, const pw_form *q)
{
    return pw_render_dispatch_json((const Planwatch__V1__DispatchSummary *)m);
}
static json_t *pw_api_render_status(const ProtobufCMessage *m, const pw_form *q)
{
    return pw_render_report_status_json((const Planwatch__V1__StatusResponse *)m);
}
static json_t *pw_api_render_plan(const ProtobufCMessage *m, const pw_form *q)
{
    const char *y = pw_form_get(q, "year");
    return pw_render_plan_show_json((const Planwatch__V1__ShowPlanResponse *)m, y ? atoi(y) : 0);
}

/* JSON as pw_web_res_json writes it (indented, in order, a newline). */
static int pw_api_json_text(json_t *j, pw_strbuf *out, size_t *split)
{
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    int rc = !text || pw_strbuf_append_str(out, text) != 0 || pw_strbuf_append_char(out, '\n') != 0
                 ? -1
                 : 0;
    free(text);
    *split = out->len;
    return rc;
}
static int pw_api_pub_scores(const ProtobufCMessage *m, pw_strbuf *out, size_t *split)
{
    return pw_api_json_text(pw_api_render_scores(m, NULL), out, split);
}
static int pw_api_pub_dispatch(const ProtobufCMessage *m, pw_strbuf *out, size_t *split)
{
    return pw_api_json_text(pw_api_render_dispatch(m, NULL), out, split);
}
static const pw_web_pub_how pw_api_scores_how = {"scores", "/planwatch.v1.ScoreService/Get", "json",
                                                 pw_api_pub_scores};
static const pw_web_pub_how pw_api_dispatch_how = {"dispatch", "/planwatch.v1.DispatchService/Get",
                                                   "json", pw_api_pub_dispatch};
static const char *pw_api_view_scores(const pw_form *q, pw_arena *a)
{
    return pw_arena_printf(a, "category=%s,explain=%s", pw_api_str(q, "category"),
                           pw_api_str(q, "explain"));
}
static const char *pw_api_view_none(const pw_form *q, pw_arena *a)
{
    return "";
}

static const pw_api_endpoint pw_api_endpoints[] = {
    {"/api/v1/scores",
     "/planwatch.v1.ScoreService/Get",
     {"period", "category", "plan", "explain", NULL},
     &planwatch__v1__scores_request__descriptor,
     pw_api_render_scores,
     &pw_api_scores_how,
     pw_api_view_scores},
    {"/api/v1/dispatch",
     "/planwatch.v1.DispatchService/Get",
     {"period", "plan", NULL},
     &planwatch__v1__dispatch_request__descriptor,
     pw_api_render_dispatch,
     &pw_api_dispatch_how,
     pw_api_view_none},
    {"/api/v1/reports/status",
     "/planwatch.v1.ReportService/Status",
     {"period", "plan", "unit", NULL},
     &planwatch__v1__report_request__descriptor,
     pw_api_render_status,
     NULL,
     NULL},
    {"/api/v1/plan",
     "/planwatch.v1.PlanService/Show",
     {"plan", "year", "unit", NULL},
     &planwatch__v1__show_plan_request__descriptor,
     pw_api_render_plan,
     NULL,
     NULL},
};

/* The bearer token of the request, or NULL. */
static const char *pw_api_bearer(const pw_web_req *rq)
{
    const char *h = pw_web_header(rq, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

static int pw_api_get(pw_web_req *rq, pw_web_res *rs)
{
    const pw_api_endpoint *e = NULL;
    for (size_t i = 0; i < sizeof pw_api_endpoints / sizeof pw_api_endpoints[0]; i++)
        if (strcmp(rq->path, pw_api_endpoints[i].path) == 0)
            e = &pw_api_endpoints[i];
    if (!e) {
        pw_web_res_json_error(rs, PW_NOT_FOUND,
                              pw_arena_printf(rq->arena,
                                              "no API endpoint %.200s: see /api/v1/scores, "
                                              "/api/v1/dispatch, /api/v1/reports/status, "
                                              "/api/v1/plan",
                                              rq->path),
                              NULL);
        return 0;
    }
    const char *token = pw_api_bearer(rq);
    if (!token) {
        pw_web_res_json_error(rs, PW_UNAUTHENTICATED,
                              "send 'Authorization: Bearer <token>' with a token from Login", NULL);
        return 0;
    }
    pw_form q;
    char err[256];
    if (pw_form_parse(rq->arena, rq->query, strlen(rq->query), &q, err, sizeof err) != 0 ||
        pw_form_only(&q, e->params, err, sizeof err) != 0) {
        pw_web_res_json_error(rs, PW_INVALID_ARGUMENT, pw_arena_printf(rq->arena, "query: %s", err),
                              NULL);
        return 0;
    }
    ProtobufCMessage *req;
    int st = pw_api_fill(e->request, e->params, &q, &req, rq->arena, err, sizeof err);
    if (st != PW_OK) {
        pw_web_res_json_error(rs, st, err, NULL);
        return 0;
    }
    pw_call call;
    if (e->pub) {
        pw_web_pub pub;
        st = pw_web_pub_read(rq, token, e->pub, req, e->view(&q, rq->arena), &call, &pub);
        if (st != PW_OK) {
            pw_web_res_json_error(rs, st, call.message, &call);
            return 0;
        }
        return pw_web_pub_send(rq, rs, &pub, NULL, "application/json");
    }
    ProtobufCMessage *resp;
    st = pw_web_call(rq, token, e->method, req, &call, &resp);
    if (st != PW_OK) {
        pw_web_res_json_error(rs, st, call.message, &call);
        return 0;
    }
    json_t *j = e->render(resp, &q);
    if (!j) {
        pw_web_res_json_error(rs, PW_RESOURCE_EXHAUSTED, "out of memory while rendering", NULL);
        return 0;
    }
    pw_web_res_json(rs, 200, j);
    return 0;
}

void pw_web_api_routes(void)
{
    pw_web_route_add("/api/v1/", pw_api_get);
}
