/*
 * web_actions.c - what the board changes, one POST form each, plus the
 * template download.  Every form carries the session's CSRF token; without
 * it the answer is 403 and nothing is called.  Every change is one call of
 * the method table (same handler, same roles, same audit trail as RPC).
 *
 *   GET  /report/template?period=P[&format=xlsx]   reporter: the template
 *   POST /report/upload              reporter: multipart (csrf, period, file,
 *                                    progress, problems, next_steps) -> receipt
 *   POST /report/review              office: accept / return with a reason
 *   POST /supervise/answer           reporter: answer an item
 *   POST /supervise/open, /close     office
 *   POST /publish                    office: a bulletin or a ranking
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/render/render_format.h"
#include "common/render/render_report.h"
#include "common/render/render_template.h"
#include "common/report_file.h"
#include "common/status.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/office.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "server/web/multipart.h"
#include "server/web/web_actions.h"
#include "server/web/web_call.h"
#include "server/web/web_pages.h"
#include "server/web/web_session.h"

#define PW_WEB_CSRF_MESSAGE                                                                        \
    "表单缺少有效的 CSRF 令牌，未做任何更改 the form has no valid CSRF token: nothing was changed"

/* The result page of an action: what happened, the call's violations, a
 * link home.  HTTP status from the call's status. */
static void pw_web_result_page(pw_web_res *rs, const pw_web_user *u, int st, const char *title,
                               const char *done, const pw_call *call)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    pw_web_page_begin(&d, title, u);
    pw_doc_raw(&d, "<h1>");
    pw_doc_text(&d, title);
    pw_doc_raw(&d, "</h1>\n");
    if (st == PW_OK) {
        pw_doc_raw(&d, "<p class=\"pw-msg pw-ok\" id=\"done\">");
        pw_doc_text(&d, done);
        pw_doc_raw(&d, "</p>\n");
    } else {
        pw_doc_rawf(&d, "<p class=\"pw-msg pw-err\" id=\"error\">%s: ", pw_status_name(st));
        pw_doc_text(&d, call && call->message ? call->message : pw_status_text(st));
        pw_doc_raw(&d, " · 未做任何更改 nothing was changed</p>\n");
    }
    if (call && call->nviolations) {
        pw_doc_raw(&d, "<ul id=\"violations\">\n");
        for (int i = 0; i < call->nviolations; i++) {
            pw_doc_raw(&d, "<li><b>");
            pw_doc_text(&d, call->violations[i].field);
            pw_doc_raw(&d, "</b>: ");
            pw_doc_text(&d, call->violations[i].description);
            pw_doc_raw(&d, "</li>\n");
        }
        pw_doc_raw(&d, "</ul>\n");
    }
    pw_doc_raw(&d, "<p><a href=\"/\" id=\"home\">返回首页 back home</a></p>\n");
    pw_web_page_end(&d);
    pw_web_res_html(rs, pw_web_http_status(st), &sb);
}

/* Call `method` with `req` as the signed-in user and show the result page:
 * `done` on success, the call's message and field errors otherwise. */
static int pw_web_action_call(pw_web_req *rq, pw_web_res *rs, const pw_web_user *u,
                              const char *method, const ProtobufCMessage *req, const char *title,
                              const char *done)
{
    pw_call call;
    ProtobufCMessage *resp;
    int st = pw_web_call(rq, u->token, method, req, &call, &resp);
    pw_web_result_page(rs, u, st, title, done, &call);
    return 0;
}

/* User + urlencoded form + CSRF; 0, or -1 with the reply set. */
static int pw_web_form_begin(pw_web_req *rq, pw_web_res *rs, pw_web_user *u, pw_form *f)
{
    if (pw_web_need_user(rq, rs, u) != 0)
        return -1;
    char err[256];
    if (pw_form_parse(rq->arena, rq->body ? (const char *)rq->body : "", rq->body_len, f, err,
                      sizeof err) != 0) {
        pw_web_res_error_page(rs, u, PW_INVALID_ARGUMENT, err);
        return -1;
    }
    if (!pw_web_csrf_ok(u, f)) {
        pw_web_res_error_page(rs, u, PW_PERMISSION_DENIED, PW_WEB_CSRF_MESSAGE);
        return -1;
    }
    return 0;
}

static const char *pw_web_field(const pw_form *f, const char *name)
{
    const char *v = pw_form_get(f, name);
    return v ? v : "";
}

/* ---- the template ---------------------------------------------------------------- */

/* The XLSX template into `out`: libxlsxwriter writes files, so through a
 * private temporary directory that is removed at once.  0 or -1 with err. */
static int pw_web_template_xlsx(const Planwatch__V1__TemplateResponse *t, pw_strbuf *out, char *err,
                                size_t errlen)
{
    char dir[] = "/tmp/pw-template-XXXXXX";
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
        return -1;
    }
    char path[64];
    snprintf(path, sizeof path, "%s/t.xlsx", dir);
    int rc = pw_render_template_xlsx(t, path, err, errlen);
    FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
    if (rc == 0 && !f) {
        snprintf(err, errlen, "cannot read the workbook back: %s", strerror(errno));
        rc = -1;
    }
    char buf[16384];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
        if (pw_strbuf_append(out, buf, n) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
    if (f)
        fclose(f);
    unlink(path);
    rmdir(dir);
    return rc;
}

static int pw_web_template(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    if (pw_web_need_user(rq, rs, &u) != 0)
        return 0;
    pw_form q;
    char err[256];
    if (pw_form_parse(rq->arena, rq->query, strlen(rq->query), &q, err, sizeof err) != 0) {
        pw_web_res_error_page(rs, &u, PW_INVALID_ARGUMENT, err);
        return 0;
    }
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.period = (char *)pw_web_field(&q, "period");
    req.unit = (char *)pw_web_field(&q, "unit");
    const Planwatch__V1__TemplateResponse *t = (const void *)pw_web_page_call(
        rq, rs, &u, "/planwatch.v1.ReportService/Template", &req.base, NULL);
    if (!t)
        return 0;
    int xlsx = strcmp(pw_web_field(&q, "format"), "xlsx") == 0;
    pw_strbuf sb = PW_STRBUF_INIT;
    if (xlsx ? pw_web_template_xlsx(t, &sb, err, sizeof err) != 0
             : pw_render_template_csv(t, &sb) != 0) {
        pw_strbuf_free(&sb);
        pw_web_res_error_page(rs, &u, PW_INTERNAL, xlsx ? err : "out of memory");
        return 0;
    }
    pw_strbuf_free(&rs->body);
    rs->body = sb;
    rs->status = 200;
    rs->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8";
    pw_web_res_header(rs, "Content-Disposition",
                      pw_arena_printf(rq->arena, "attachment; filename=\"template-%s-%s.%s\"",
                                      t->unit, t->period, xlsx ? "xlsx" : "csv"));
    return 0;
}

/* ---- upload ------------------------------------------------------------------------ */

static const char *pw_web_part_text(pw_arena *a, const pw_multipart *m, const char *name)
{
    const pw_multipart_part *p = pw_multipart_get(m, name);
    return p ? pw_arena_strndup(a, (const char *)p->data, p->len) : "";
}

static void pw_web_receipt_page(pw_web_res *rs, const pw_web_user *u,
                                const Planwatch__V1__Receipt *r, const char *fname,
                                const char *format)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    char t[48];
    pw_web_page_begin(&d, "回执 receipt", u);
    pw_doc_raw(&d, "<h1>回执 receipt</h1>\n<div class=\"pw-card\" id=\"receipt\">");
    if (r->duplicate)
        pw_doc_raw(&d, "<p class=\"pw-msg\">此前已收到同一文件，未重复保存 already received: "
                       "nothing new stored</p>");
    pw_doc_raw(&d, "<p>");
    pw_doc_text(&d, r->unit);
    pw_doc_raw(&d, " · ");
    pw_doc_text(&d, r->period);
    pw_doc_rawf(
        &d, " · 第 %d 版 version %d · 报告 report %lld</p>\n<p>收到 received %s · ", r->version,
        r->version, (long long)r->report_id,
        pw_fmt_time_short(r->received_at ? r->received_at : r->first_received_at, t, sizeof t)
            ? t
            : "-");
    pw_doc_text(&d, pw_label_status(r->status));
    if (r->days_late > 0)
        pw_doc_rawf(&d, " %d 天 days", r->days_late);
    pw_doc_rawf(&d, " · 截止 deadline %s</p>\n",
                pw_fmt_time_short(r->deadline, t, sizeof t) ? t : "-");
    pw_doc_raw(&d, "<p>文件 file ");
    pw_doc_text(&d, fname);
    pw_doc_raw(&d, " · ");
    pw_doc_text(&d, format);
    pw_doc_raw(&d, "</p>\n");
    if (r->n_normalised) {
        pw_doc_raw(&d, "<ul id=\"normalised\">");
        for (size_t i = 0; i < r->n_normalised; i++) {
            pw_doc_raw(&d, "<li>已规范 normalised <b>");
            pw_doc_text(&d, r->normalised[i]->field);
            pw_doc_raw(&d, "</b>: ");
            pw_doc_text(&d, r->normalised[i]->description);
            pw_doc_raw(&d, "</li>");
        }
        pw_doc_raw(&d, "</ul>\n");
    }
    if (r->n_warnings) {
        pw_doc_raw(&d, "<ul id=\"warnings\">");
        for (size_t i = 0; i < r->n_warnings; i++) {
            pw_doc_raw(&d, "<li>提醒 warning <b>");
            pw_doc_text(&d, r->warnings[i]->field);
            pw_doc_raw(&d, "</b>: ");
            pw_doc_text(&d, r->warnings[i]->description);
            pw_doc_raw(&d, "</li>");
        }
        pw_doc_raw(&d, "</ul>\n");
    }
    pw_doc_raw(&d, "</div>\n<p><a href=\"/\" id=\"home\">返回首页 back home</a></p>\n");
    pw_web_page_end(&d);
    pw_web_res_html(rs, 200, &sb);
}

/* The upload form's parts, its CSRF token checked: 0, or -1 with the
 * error page made. */
static int pw_web_upload_parts(pw_web_req *rq, pw_web_res *rs, const pw_web_user *u,
                               pw_multipart *m)
{
    const char *boundary = pw_multipart_boundary(rq->arena, pw_web_header(rq, "Content-Type"));
    char err[256];
    if (!boundary || !rq->body) {
        pw_web_res_error_page(rs, u, PW_INVALID_ARGUMENT,
                              "send the form as multipart/form-data with a file");
        return -1;
    }
    if (pw_multipart_parse(rq->arena, rq->body, rq->body_len, boundary, m, err, sizeof err) != 0) {
        pw_web_res_error_page(rs, u, PW_INVALID_ARGUMENT, err);
        return -1;
    }
    const char *csrf = pw_web_part_text(rq->arena, m, "csrf");
    if (strlen(csrf) != PW_WEB_CSRF_HEX - 1 ||
        sodium_memcmp(csrf, u->csrf, PW_WEB_CSRF_HEX - 1) != 0) {
        pw_web_res_error_page(rs, u, PW_PERMISSION_DENIED, PW_WEB_CSRF_MESSAGE);
        return -1;
    }
    return 0;
}

/* The rows of a read report file as report values (arena). */
static Planwatch__V1__ReportValue **pw_web_upload_values(pw_arena *a, const pw_report_file *rf)
{
    size_t n = rf->nrows;
    Planwatch__V1__ReportValue **values = pw_arena_alloc(a, sizeof *values * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__ReportValue *v = pw_arena_alloc(a, sizeof *v);
        planwatch__v1__report_value__init(v);
        v->indicator = pw_arena_strdup(a, rf->rows[i].indicator);
        v->value = pw_arena_strdup(a, rf->rows[i].value);
        v->note = pw_arena_strdup(a, rf->rows[i].note);
        v->origin = pw_arena_strdup(a, rf->rows[i].where);
        values[i] = v;
    }
    return values;
}

/* The submission id of a form: the same form sent twice (a reload, a
 * double click) is one submission, so it is a keyed hash of what the form
 * says, not of its boundary. */
static void pw_web_upload_sid(const pw_web_user *u, const pw_multipart *m, char sid[33])
{
    unsigned char h[16];
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, (const unsigned char *)u->token,
                            strlen(u->token) > 64 ? 64 : strlen(u->token), sizeof h);
    static const char *const fields[] = {"period", "file", "progress", "problems", "next_steps"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const pw_multipart_part *p = pw_multipart_get(m, fields[i]);
        uint64_t len = p ? p->len : 0;
        crypto_generichash_update(&hs, (const unsigned char *)&len, sizeof len);
        if (p && p->len)
            crypto_generichash_update(&hs, p->data, p->len);
    }
    crypto_generichash_final(&hs, h, sizeof h);
    sodium_bin2hex(sid, 33, h, sizeof h);
}

static int pw_web_upload(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    pw_multipart m;
    if (pw_web_need_user(rq, rs, &u) != 0 || pw_web_upload_parts(rq, rs, &u, &m) != 0)
        return 0;
    const pw_multipart_part *file = pw_multipart_get(&m, "file");
    if (!file || !file->len) {
        pw_web_result_page(rs, &u, PW_INVALID_ARGUMENT, "上传 upload", NULL, NULL);
        return 0;
    }
    const char *fname = file->filename ? file->filename : "upload";
    /* one reader for the CLI and the board: XLSX, UTF-8/UTF-16/GB18030 CSV,
     * Chinese or English headers (common/report_file.h) */
    pw_report_file rf;
    char err[256];
    if (pw_report_file_read(file->data, file->len, &rf, err, sizeof err) != 0) {
        pw_call fake;
        memset(&fake, 0, sizeof fake);
        fake.arena = rq->arena;
        pw_call_fail(&fake, PW_INVALID_ARGUMENT, "%s cannot be read: nothing stored", fname);
        pw_call_violation(&fake, fname, "%s", err);
        pw_web_result_page(rs, &u, PW_INVALID_ARGUMENT, "上传 upload", NULL, &fake);
        return 0;
    }
    char sid[33];
    pw_web_upload_sid(&u, &m, sid);
    Planwatch__V1__SubmitReportRequest req = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    req.values = pw_web_upload_values(rq->arena, &rf);
    req.n_values = rf.nrows;
    const char *format = pw_report_format_name(rf.format);
    pw_report_file_free(&rf);
    req.period = (char *)pw_web_part_text(rq->arena, &m, "period");
    req.submission_id = sid;
    req.progress = (char *)pw_web_part_text(rq->arena, &m, "progress");
    req.problems = (char *)pw_web_part_text(rq->arena, &m, "problems");
    req.next_steps = (char *)pw_web_part_text(rq->arena, &m, "next_steps");
    pw_call call;
    ProtobufCMessage *resp;
    int st =
        pw_web_call(rq, u.token, "/planwatch.v1.ReportService/Submit", &req.base, &call, &resp);
    if (st != PW_OK) {
        /* the handler names each indicator and its place ("line 7", "cell F12") */
        pw_web_result_page(rs, &u, st, "上传 upload", NULL, &call);
        return 0;
    }
    pw_web_receipt_page(rs, &u, (const Planwatch__V1__Receipt *)resp, fname, format);
    return 0;
}

/* ---- office and reporter forms --------------------------------------------------------- */

static int pw_web_review(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    pw_form f;
    if (pw_web_form_begin(rq, rs, &u, &f) != 0)
        return 0;
    const char *action = pw_web_field(&f, "action");
    int ret = strcmp(action, "return") == 0;
    if (!ret && strcmp(action, "accept") != 0) {
        pw_web_res_error_page(rs, &u, PW_INVALID_ARGUMENT, "action is accept or return");
        return 0;
    }
    Planwatch__V1__ReviewRequest req = PLANWATCH__V1__REVIEW_REQUEST__INIT;
    req.period = (char *)pw_web_field(&f, "period");
    req.unit = (char *)pw_web_field(&f, "unit");
    req.reason = (char *)pw_web_field(&f, "reason");
    return pw_web_action_call(rq, rs, &u,
                              ret ? "/planwatch.v1.ReportService/ReturnForRevision"
                                  : "/planwatch.v1.ReportService/Accept",
                              &req.base, ret ? "退回 return" : "通过 accept",
                              pw_arena_printf(rq->arena, "%s %s: %s", req.unit, req.period,
                                              ret ? "已退回 returned" : "已通过 accepted"));
}

static int pw_web_id(const pw_form *f, int64_t *id)
{
    const char *s = pw_web_field(f, "id");
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0)
        return -1;
    *id = v;
    return 0;
}

/* What answering and closing a supervision item share: a request of
 * `desc` with the item's `id` and one text field `text_field` from the
 * form, a call, a result page. */
typedef struct pw_web_item_action {
    const ProtobufCMessageDescriptor *desc;
    const char *text_field, *method, *title, *done;
} pw_web_item_action;

static int pw_web_supervise_item(pw_web_req *rq, pw_web_res *rs, const pw_web_item_action *act)
{
    pw_web_user u;
    pw_form f;
    if (pw_web_form_begin(rq, rs, &u, &f) != 0)
        return 0;
    ProtobufCMessage *req = pw_arena_alloc(rq->arena, act->desc->sizeof_message);
    protobuf_c_message_init(act->desc, req);
    const ProtobufCFieldDescriptor *id =
        protobuf_c_message_descriptor_get_field_by_name(act->desc, "id");
    const ProtobufCFieldDescriptor *text =
        protobuf_c_message_descriptor_get_field_by_name(act->desc, act->text_field);
    if (pw_web_id(&f, (int64_t *)((char *)req + id->offset)) != 0) {
        pw_web_res_error_page(rs, &u, PW_INVALID_ARGUMENT, "id: an item number");
        return 0;
    }
    *(const char **)((char *)req + text->offset) = pw_web_field(&f, act->text_field);
    return pw_web_action_call(rq, rs, &u, act->method, req, act->title, act->done);
}

static int pw_web_supervise_answer(pw_web_req *rq, pw_web_res *rs)
{
    static const pw_web_item_action answer = {
        &planwatch__v1__answer_supervision_request__descriptor, "text",
        "/planwatch.v1.SuperviseService/Answer", "答复督办 answer", "已答复 answered"};
    return pw_web_supervise_item(rq, rs, &answer);
}

static int pw_web_supervise_close(pw_web_req *rq, pw_web_res *rs)
{
    static const pw_web_item_action close_item = {
        &planwatch__v1__close_supervision_request__descriptor, "note",
        "/planwatch.v1.SuperviseService/Close", "办结督办 close", "已办结 closed"};
    return pw_web_supervise_item(rq, rs, &close_item);
}

static int pw_web_supervise_open(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    pw_form f;
    if (pw_web_form_begin(rq, rs, &u, &f) != 0)
        return 0;
    Planwatch__V1__OpenSupervisionRequest req = PLANWATCH__V1__OPEN_SUPERVISION_REQUEST__INIT;
    req.unit = (char *)pw_web_field(&f, "unit");
    req.deadline = (char *)pw_web_field(&f, "deadline");
    req.text = (char *)pw_web_field(&f, "text");
    pw_call call;
    ProtobufCMessage *resp;
    int st =
        pw_web_call(rq, u.token, "/planwatch.v1.SuperviseService/Open", &req.base, &call, &resp);
    pw_web_result_page(
        rs, &u, st, "督办 open",
        st == PW_OK ? pw_arena_printf(rq->arena, "已督办 opened #%lld",
                                      (long long)((const Planwatch__V1__SupervisionItem *)resp)->id)
                    : "",
        &call);
    return 0;
}

static int pw_web_publish(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    pw_form f;
    if (pw_web_form_begin(rq, rs, &u, &f) != 0)
        return 0;
    Planwatch__V1__PublishRequest req = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    req.kind = (char *)pw_web_field(&f, "kind");
    req.period = (char *)pw_web_field(&f, "period");
    return pw_web_action_call(
        rq, rs, &u, "/planwatch.v1.PublishService/Publish", &req.base, "发布 publish",
        pw_arena_printf(rq->arena, "已发布 published %s %s", req.kind, req.period));
}

void pw_web_actions_routes(void)
{
    pw_web_route_add("/report/template", pw_web_template);
    pw_web_route_add_method("POST", "/report/upload", pw_web_upload);
    pw_web_route_add_method("POST", "/report/review", pw_web_review);
    pw_web_route_add_method("POST", "/supervise/answer", pw_web_supervise_answer);
    pw_web_route_add_method("POST", "/supervise/open", pw_web_supervise_open);
    pw_web_route_add_method("POST", "/supervise/close", pw_web_supervise_close);
    pw_web_route_add_method("POST", "/publish", pw_web_publish);
}
