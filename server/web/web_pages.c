/*
 * web_pages.c - the board's pages (SPEC 4.4): home by role, /dispatch/<P>,
 * /scores/<P>, /units/<id>, /indicators/<id>.
 *
 * Every page asks the method table (pw_web_call) with the session of the
 * cookie, so what a page shows is exactly what the same user gets from RPC:
 * a viewer's unpublished period is NOT_FOUND -> 404, a reporter's look at
 * another unit is PERMISSION_DENIED -> 403.  Bulletins and rankings are
 * rendered by common/render (the CLI's --html), wrapped with the nav.
 * Pages of published records read by viewers and reporters carry an ETag
 * (and answer If-None-Match with 304); everything else is no-store.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/period.h"
#include "common/render/render_dispatch.h"
#include "common/render/render_format.h"
#include "common/render/render_scores.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/office.pb-c.h"
#include "planwatch/v1/plan.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/rpc/rpc.h"
#include "server/web/web_call.h"
#include "server/web/web_pages.h"
#include "server/web/web_published.h"
#include "server/web/web_session.h"

/* ---- helpers --------------------------------------------------------------- */

int pw_web_need_user(pw_web_req *rq, pw_web_res *rs, pw_web_user *u)
{
    int st = pw_web_session(rq, u);
    if (st == PW_OK)
        return 0;
    if (st == PW_UNAUTHENTICATED)
        pw_web_redirect(rs, "/login");
    else
        pw_web_res_error_page(rs, NULL, st, "the session cannot be checked now: try again");
    return -1;
}

ProtobufCMessage *pw_web_page_call(pw_web_req *rq, pw_web_res *rs, const pw_web_user *u,
                                   const char *method, const ProtobufCMessage *req, int *status)
{
    pw_call call;
    ProtobufCMessage *resp;
    int st = pw_web_call(rq, u->token, method, req, &call, &resp);
    if (status)
        *status = st;
    if (st == PW_OK) {
        if (!resp) {
            static Planwatch__V1__Empty empty = PLANWATCH__V1__EMPTY__INIT;
            resp = &empty.base;
        }
        return resp;
    }
    if (rs)
        pw_web_res_error_page(rs, u, st, call.message);
    return NULL;
}

void pw_web_last_month(const pw_web_req *rq, char *buf, size_t len)
{
    pw_civil_time c;
    int64_t now = pw_server_now(rq->cfg);
    int y = 2018, m = 1;
    if (now > 0 && pw_time_to_civil(now, PW_TZ_DEFAULT_MINUTES, &c) == 0)
        pw_month_prev(c.year, c.month, &y, &m);
    snprintf(buf, len, "%04d-%02d", y, m);
}

/* The part of the path after `prefix` ("/dispatch/"): 1-32 of [A-Za-z0-9_-]. */
static const char *pw_web_path_arg(const pw_web_req *rq, const char *prefix)
{
    const char *a = rq->path + strlen(prefix);
    size_t n = strlen(a);
    if (n < 1 || n > 64)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= 'A' && a[i] <= 'Z') ||
              (a[i] >= '0' && a[i] <= '9') || a[i] == '_' || a[i] == '-' || a[i] == '.'))
            return NULL;
    return a;
}

/* The signed-in user and the argument after `prefix` in the path: the
 * argument, or NULL when the response is already made (the login page, or
 * an error page showing `usage`). */
static const char *pw_web_user_path_arg(pw_web_req *rq, pw_web_res *rs, pw_web_user *u,
                                        const char *prefix, const char *usage)
{
    if (pw_web_need_user(rq, rs, u) != 0)
        return NULL;
    const char *arg = pw_web_path_arg(rq, prefix);
    if (!arg)
        pw_web_res_error_page(rs, u, PW_INVALID_ARGUMENT, usage);
    return arg;
}

/* End the page in *d and send it (200); -1 (the page freed) when building
 * it, or a part of it (`failed`), ran out of memory. */
static int pw_web_page_send(pw_web_res *rs, pw_doc *d, int failed)
{
    pw_web_page_end(d);
    if (failed || d->failed) {
        pw_strbuf_free(d->sb);
        return -1;
    }
    pw_web_res_html(rs, 200, d->sb);
    return 0;
}

/* ---- /dispatch/<period> and /scores/<period> --------------------------------- */

/* The renderers' pages: the nav goes right after <body>. */
static int pw_web_body_split(const pw_strbuf *out, size_t *split)
{
    const char *b = out->data ? strstr(out->data, "<body>\n") : NULL;
    if (!b)
        return -1;
    *split = (size_t)(b - out->data) + 7;
    return 0;
}

static int pw_web_render_dispatch(const ProtobufCMessage *m, pw_strbuf *out, size_t *split)
{
    if (pw_render_dispatch_html((const Planwatch__V1__DispatchSummary *)m, out) != 0)
        return -1;
    return pw_web_body_split(out, split);
}

static int pw_web_render_scores(const ProtobufCMessage *m, pw_strbuf *out, size_t *split)
{
    if (pw_render_scores_html((const Planwatch__V1__ScoresResponse *)m, out) != 0)
        return -1;
    return pw_web_body_split(out, split);
}

static const pw_web_pub_how pw_web_dispatch_how = {"dispatch", "/planwatch.v1.DispatchService/Get",
                                                   "html", pw_web_render_dispatch};
static const pw_web_pub_how pw_web_scores_how = {"scores", "/planwatch.v1.ScoreService/Get", "html",
                                                 pw_web_render_scores};

/* A bulletin or ranking page of `req` (its period set): through the render
 * cache (web_published.h), with this user's nav; an ETag for a published
 * version, the office's live view no-store. */
static int pw_web_published_page(pw_web_req *rq, pw_web_res *rs, const pw_web_user *u,
                                 const pw_web_pub_how *how, ProtobufCMessage *req)
{
    pw_call call;
    pw_web_pub pub;
    int st = pw_web_pub_read(rq, u->token, how, req, "", &call, &pub);
    if (st != PW_OK) {
        pw_web_res_error_page(rs, u, st, call.message);
        return 0;
    }
    pw_strbuf nav = PW_STRBUF_INIT;
    if (pw_web_nav_html(&nav, u) != 0) {
        pw_web_pub_done(&pub);
        pw_strbuf_free(&nav);
        return -1;
    }
    int rc = pw_web_pub_send(rq, rs, &pub, &nav, "text/html; charset=utf-8");
    pw_strbuf_free(&nav);
    return rc;
}

static int pw_web_dispatch_page(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    const char *period = pw_web_user_path_arg(rq, rs, &u, "/dispatch/", "use /dispatch/YYYY-MM");
    if (!period)
        return 0;
    Planwatch__V1__DispatchRequest req = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    req.period = (char *)period;
    return pw_web_published_page(rq, rs, &u, &pw_web_dispatch_how, &req.base);
}

static int pw_web_scores_page(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    const char *period =
        pw_web_user_path_arg(rq, rs, &u, "/scores/", "use /scores/YYYY, YYYY-Qn or YYYY-MM");
    if (!period)
        return 0;
    Planwatch__V1__ScoresRequest req = PLANWATCH__V1__SCORES_REQUEST__INIT;
    req.period = (char *)period;
    return pw_web_published_page(rq, rs, &u, &pw_web_scores_how, &req.base);
}

/* ---- what has been published ------------------------------------------------- */

#define PW_WEB_LIST 6 /* periods of each kind linked from the homes */

typedef struct pw_web_published {
    char dispatch[PW_WEB_LIST][16];
    int ndispatch;
    char scores[PW_WEB_LIST][16];
    int nscores;
    /* the latest of each kind, as the handler returned it (rq's arena) */
    const Planwatch__V1__DispatchSummary *latest_dispatch;
    const Planwatch__V1__ScoresResponse *latest_scores;
} pw_web_published;

/* What has been published, newest first (PublishService/List: one store
 * query), and the latest bulletin and ranking as this user may read them
 * (DispatchService/Get, ScoreService/Get: published versions only for
 * viewers and reporters).  Older periods open by their address too. */
static void pw_web_find_published(pw_web_req *rq, const pw_web_user *u, pw_web_published *p)
{
    memset(p, 0, sizeof *p);
    Planwatch__V1__ListPublicationsRequest lreq = PLANWATCH__V1__LIST_PUBLICATIONS_REQUEST__INIT;
    const Planwatch__V1__ListPublicationsResponse *l = (const void *)pw_web_page_call(
        rq, NULL, u, "/planwatch.v1.PublishService/List", &lreq.base, NULL);
    for (size_t i = 0; l && i < l->n_entries; i++) {
        const Planwatch__V1__PublicationEntry *e = l->entries[i];
        if (strcmp(e->kind, "dispatch") == 0 && p->ndispatch < PW_WEB_LIST)
            snprintf(p->dispatch[p->ndispatch++], 16, "%.15s", e->period);
        else if (strcmp(e->kind, "scores") == 0 && p->nscores < PW_WEB_LIST)
            snprintf(p->scores[p->nscores++], 16, "%.15s", e->period);
    }
    if (p->ndispatch) {
        Planwatch__V1__DispatchRequest req = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
        req.period = p->dispatch[0];
        p->latest_dispatch = (const void *)pw_web_page_call(
            rq, NULL, u, "/planwatch.v1.DispatchService/Get", &req.base, NULL);
    }
    if (p->nscores) {
        Planwatch__V1__ScoresRequest req = PLANWATCH__V1__SCORES_REQUEST__INIT;
        req.period = p->scores[0];
        p->latest_scores = (const void *)pw_web_page_call(
            rq, NULL, u, "/planwatch.v1.ScoreService/Get", &req.base, NULL);
    }
}

static void pw_web_published_links(pw_doc *d, const pw_web_published *p)
{
    pw_doc_raw(d,
               "<section class=\"pw-card\" id=\"published\"><h2>最新发布 latest published</h2>\n");
    if (!p->nscores && !p->ndispatch)
        pw_doc_raw(d, "<p>尚未发布 nothing published yet</p>\n");
    if (p->nscores) {
        pw_doc_raw(d, "<h3>考核排名 rankings</h3><ul class=\"pw-links\">\n");
        for (int i = 0; i < p->nscores; i++)
            pw_doc_rawf(d, "<li><a href=\"/scores/%s\" class=\"scores-link\">%s</a>%s</li>\n",
                        p->scores[i], p->scores[i], i == 0 ? " (最新 latest)" : "");
        pw_doc_raw(d, "</ul>\n");
    }
    if (p->ndispatch) {
        pw_doc_raw(d, "<h3>调度通报 bulletins</h3><ul class=\"pw-links\">\n");
        for (int i = 0; i < p->ndispatch; i++)
            pw_doc_rawf(d, "<li><a href=\"/dispatch/%s\" class=\"dispatch-link\">%s</a>%s</li>\n",
                        p->dispatch[i], p->dispatch[i], i == 0 ? " (最新 latest)" : "");
        pw_doc_raw(d, "</ul>\n");
    }
    pw_doc_raw(d, "</section>\n");
}

/* ---- home ---------------------------------------------------------------------- */

static void pw_web_hidden(pw_doc *d, const char *name, const char *value)
{
    pw_doc_rawf(d, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    pw_doc_text(d, value);
    pw_doc_raw(d, "\">");
}

/* The latest ranking inline, category by category. */
static void pw_web_home_ranking(pw_doc *d, const pw_web_published *p)
{
    const Planwatch__V1__ScoresResponse *r = p->latest_scores;
    char num[PW_NUM_BUFSIZE];
    pw_doc_rawf(d,
                "<section class=\"pw-card\" id=\"ranking\"><h2><a href=\"/scores/%s\">"
                "%s 考核排名 ranking</a></h2>\n",
                p->scores[0], p->scores[0]);
    const char *cat = NULL;
    for (size_t i = 0; r && i < r->n_rankings; i++) {
        const Planwatch__V1__UnitScore *x = r->rankings[i];
        if (!cat || strcmp(cat, x->category) != 0) {
            if (cat)
                pw_doc_raw(d, "</tbody></table>\n");
            cat = x->category;
            pw_doc_raw(d, "<h3>");
            pw_doc_text(d, pw_label_category(cat));
            pw_doc_raw(d, "</h3><table><thead><tr><th>名次</th><th>单位 unit</th><th>得分</th>"
                          "<th>等次</th><th>通报</th></tr></thead><tbody>\n");
        }
        pw_doc_rawf(d, "<tr><td>%d</td><td>", x->rank);
        pw_doc_text(d, x->name);
        pw_doc_rawf(d, "</td><td>%s</td><td><span class=\"badge\" style=\"background:%s\">",
                    pw_fmt_num(x->score, num, sizeof num), pw_color_grade(x->grade));
        pw_doc_text(d, pw_label_grade(x->grade));
        pw_doc_raw(d, "</span></td><td>");
        pw_doc_text(d, pw_label_flag(x->flag));
        pw_doc_raw(d, "</td></tr>\n");
    }
    if (cat)
        pw_doc_raw(d, "</tbody></table>\n");
    pw_doc_raw(d, "</section>\n");
}

/* The latest bulletin's light of each indicator. */
static void pw_web_bulletin_lights(pw_doc *d, const Planwatch__V1__DispatchSummary *s)
{
    if (!s || !s->n_indicators)
        return;
    pw_doc_raw(d, "<h3>各项指标 lights per indicator</h3><ul class=\"pw-links\">\n");
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *x = s->indicators[i];
        char pc[PW_NUM_BUFSIZE];
        pw_doc_rawf(d, "<li><span style=\"color:%s\">●</span> <a href=\"/indicators/",
                    pw_color_light(x->light));
        pw_doc_text(d, x->indicator);
        pw_doc_raw(d, "\">");
        pw_doc_text(d, x->name);
        pw_doc_rawf(d, "</a> %s</li>\n", pw_fmt_pct(x->progress, pc, sizeof pc));
    }
    pw_doc_raw(d, "</ul>\n");
}

/* Who is behind in the latest bulletin: late, missing or with red lights. */
static void pw_web_bulletin_behind(pw_doc *d, const Planwatch__V1__DispatchSummary *s)
{
    int behind = 0;
    for (size_t i = 0; s && i < s->n_units; i++) {
        const Planwatch__V1__UnitTimeliness *x = s->units[i];
        if (strcmp(x->status, "late") != 0 && strcmp(x->status, "missing") != 0 && x->red == 0)
            continue;
        if (!behind++)
            pw_doc_raw(d, "<h3>需督促 who is behind</h3><ul class=\"pw-links\" id=\"behind\">\n");
        pw_doc_raw(d, "<li>");
        pw_doc_text(d, x->name);
        pw_doc_raw(d, " · ");
        pw_doc_text(d, pw_label_status(x->status));
        if (x->red)
            pw_doc_rawf(d, " · <span style=\"color:%s\">●</span>%d 红灯 red", pw_color_light("red"),
                        x->red);
        pw_doc_raw(d, "</li>\n");
    }
    if (behind)
        pw_doc_raw(d, "</ul>\n");
}

/* The overdue supervision items of the latest bulletin. */
static void pw_web_bulletin_overdue(pw_doc *d, const Planwatch__V1__DispatchSummary *s)
{
    int overdue = 0;
    for (size_t i = 0; s && i < s->n_supervision; i++) {
        const Planwatch__V1__SupervisionItem *it = s->supervision[i];
        if (!it->overdue)
            continue;
        if (!overdue++)
            pw_doc_raw(d, "<h3>超期督办 overdue supervision</h3><ul class=\"pw-links\">\n");
        pw_doc_raw(d, "<li>");
        pw_doc_text(d, it->unit_name[0] ? it->unit_name : it->unit);
        pw_doc_raw(d, " · ");
        pw_doc_text(d, it->deadline);
        pw_doc_raw(d, " · ");
        pw_doc_text(d, it->text);
        pw_doc_raw(d, "</li>\n");
    }
    if (overdue)
        pw_doc_raw(d, "</ul>\n");
}

/* The viewer's and leader's home: the 亮晒 board -- the latest published
 * ranking of each category, the latest bulletin's lights per indicator, who
 * is behind and the overdue supervision items, then every published period. */
static void pw_web_home_viewer(pw_web_req *rq, pw_doc *d, const pw_web_user *u)
{
    pw_web_published p;
    pw_web_find_published(rq, u, &p);
    pw_doc_raw(d, "<h1>亮晒平台 the board</h1>\n");
    if (p.nscores)
        pw_web_home_ranking(d, &p);
    if (p.ndispatch) {
        pw_doc_rawf(d,
                    "<section class=\"pw-card\" id=\"bulletin\"><h2><a href=\"/dispatch/%s\">"
                    "%s 调度通报 bulletin</a></h2>\n",
                    p.dispatch[0], p.dispatch[0]);
        pw_web_bulletin_lights(d, p.latest_dispatch);
        pw_web_bulletin_behind(d, p.latest_dispatch);
        pw_web_bulletin_overdue(d, p.latest_dispatch);
        pw_doc_raw(d, "</section>\n");
    }
    pw_web_published_links(d, &p);
}

static void pw_web_supervision_list(pw_web_req *rq, pw_doc *d, const pw_web_user *u, int reporter)
{
    Planwatch__V1__ListSupervisionRequest req = PLANWATCH__V1__LIST_SUPERVISION_REQUEST__INIT;
    const Planwatch__V1__ListSupervisionResponse *l = (const void *)pw_web_page_call(
        rq, NULL, u, "/planwatch.v1.SuperviseService/List", &req.base, NULL);
    pw_doc_raw(d, "<section class=\"pw-card\" id=\"supervision\"><h2>督办事项 supervision</h2>\n");
    if (!l || l->n_items == 0)
        pw_doc_raw(d, "<p>没有未办结事项 no open items</p>\n");
    for (size_t i = 0; l && i < l->n_items; i++) {
        const Planwatch__V1__SupervisionItem *it = l->items[i];
        pw_doc_rawf(d, "<div class=\"pw-card\" id=\"item-%lld\"><p><b>#%lld</b> ",
                    (long long)it->id, (long long)it->id);
        pw_doc_text(d, it->unit_name[0] ? it->unit_name : it->unit);
        pw_doc_raw(d, " · 期限 due ");
        pw_doc_text(d, it->deadline);
        pw_doc_raw(d, " · ");
        pw_doc_text(d, it->state);
        if (it->overdue)
            pw_doc_raw(d, " · <b style=\"color:#c62828\">逾期 overdue</b>");
        pw_doc_raw(d, "</p><p>");
        pw_doc_text(d, it->text);
        pw_doc_raw(d, "</p>");
        for (size_t k = 0; k < it->n_answers; k++) {
            pw_doc_raw(d, "<p>↳ ");
            pw_doc_text(d, it->answers[k]->text);
            pw_doc_raw(d, "</p>");
        }
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)it->id);
        if (reporter) {
            pw_doc_raw(d, "<form method=\"post\" action=\"/supervise/answer\" class=\"pw-form\">");
            pw_web_hidden(d, "csrf", u->csrf);
            pw_web_hidden(d, "id", id);
            pw_doc_raw(d, "<label>答复 answer <textarea name=\"text\" rows=\"2\" required "
                          "maxlength=\"4000\"></textarea></label>"
                          "<button type=\"submit\">提交答复 answer</button></form>");
        } else {
            pw_doc_raw(d, "<form method=\"post\" action=\"/supervise/close\" class=\"pw-form\">");
            pw_web_hidden(d, "csrf", u->csrf);
            pw_web_hidden(d, "id", id);
            pw_doc_raw(d, "<label>办结说明 note <input type=\"text\" name=\"note\" "
                          "maxlength=\"1000\"></label><button type=\"submit\">办结 close</button>"
                          "</form>");
        }
        pw_doc_raw(d, "</div>\n");
    }
    pw_doc_raw(d, "</section>\n");
}

/* The state of the unit's report of `period`: received (and returned,
 * with the reason), or not yet with its deadline. */
static void pw_web_report_state(pw_web_req *rq, pw_doc *d, const pw_web_user *u, char *period)
{
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.period = period;
    const Planwatch__V1__ReportShown *r = (const void *)pw_web_page_call(
        rq, NULL, u, "/planwatch.v1.ReportService/Show", &req.base, NULL);
    char t[48];
    if (!r) {
        const Planwatch__V1__TemplateResponse *tr = (const void *)pw_web_page_call(
            rq, NULL, u, "/planwatch.v1.ReportService/Template", &req.base, NULL);
        pw_doc_raw(d, "<p id=\"report-state\" class=\"pw-msg\">尚未收到 not received yet");
        if (tr && pw_fmt_time_short(tr->deadline, t, sizeof t))
            pw_doc_rawf(d, " · 截止 due %s", t);
        pw_doc_raw(d, "</p>\n");
        return;
    }
    pw_doc_rawf(d, "<p id=\"report-state\">已收到 received %s, 第 %d 版 version %d, ",
                pw_fmt_time_short(r->received_at, t, sizeof t) ? t : "-", r->version, r->version);
    pw_doc_text(d, pw_label_status(r->status));
    pw_doc_raw(d, " · 审核 review: <b>");
    pw_doc_text(d, r->state);
    pw_doc_raw(d, "</b></p>\n");
    if (strcmp(r->state, "returned") == 0) {
        pw_doc_raw(d, "<p class=\"pw-msg pw-err\" id=\"returned\">退回原因 returned: ");
        pw_doc_text(d, r->review_note);
        pw_doc_raw(d, "</p>\n");
    }
}

/* The template links and the upload form of `period`. */
static void pw_web_upload_form(pw_doc *d, const pw_web_user *u, const char *period)
{
    pw_doc_raw(d, "<p>下载模板 download the template: <a id=\"template-xlsx\" "
                  "href=\"/report/template?format=xlsx&amp;period=");
    pw_doc_text(d, period);
    pw_doc_raw(d, "\">Excel (.xlsx)</a> · <a id=\"template\" href=\"/report/template?period=");
    pw_doc_text(d, period);
    pw_doc_raw(d, "\">CSV</a></p>\n"
                  "<form method=\"post\" action=\"/report/upload\" enctype=\"multipart/form-data\" "
                  "class=\"pw-form\" id=\"upload-form\">");
    pw_web_hidden(d, "csrf", u->csrf);
    pw_doc_raw(d, "<label>月份 period <input type=\"text\" name=\"period\" value=\"");
    pw_doc_text(d, period);
    pw_doc_raw(d,
               "\" pattern=\"[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])\"></label>"
               "<label>填好的模板 filled template <input type=\"file\" name=\"file\" id=\"file\" "
               "accept=\".csv,.xlsx,text/csv\" required></label>"
               "<label>进展 progress <textarea name=\"progress\" rows=\"2\" maxlength=\"8000\">"
               "</textarea></label>"
               "<label>问题 problems <textarea name=\"problems\" rows=\"2\" maxlength=\"8000\">"
               "</textarea></label>"
               "<label>下步 next steps <textarea name=\"next_steps\" rows=\"2\" "
               "maxlength=\"8000\"></textarea></label>"
               "<button type=\"submit\" id=\"upload\">上传 upload</button></form>\n");
}

/* The unit's line in the latest published ranking. */
static void pw_web_our_score(pw_doc *d, const pw_web_user *u, const pw_web_published *p)
{
    for (size_t i = 0; p->latest_scores && i < p->latest_scores->n_rankings; i++) {
        const Planwatch__V1__UnitScore *x = p->latest_scores->rankings[i];
        if (strcmp(x->unit, u->unit) != 0)
            continue;
        char num[PW_NUM_BUFSIZE];
        pw_doc_rawf(d,
                    "<section class=\"pw-card\" id=\"our-score\"><h2>本单位得分 our score %s</h2>"
                    "<p><b>%s</b> · 第 %d 名 rank %d · ",
                    p->scores[0], pw_fmt_num(x->score, num, sizeof num), x->rank, x->rank);
        pw_doc_text(d, pw_label_grade(x->grade));
        if (x->flag[0]) {
            pw_doc_raw(d, " · ");
            pw_doc_text(d, pw_label_flag(x->flag));
        }
        pw_doc_rawf(d, " · <a href=\"/scores/%s\">得分明细 the account</a></p></section>\n",
                    p->scores[0]);
    }
}

/* The reporter's home: the unit's to-do list. */
static void pw_web_home_reporter(pw_web_req *rq, pw_doc *d, const pw_web_user *u)
{
    char period[16];
    pw_web_last_month(rq, period, sizeof period);
    pw_doc_raw(d, "<h1>");
    pw_doc_text(d, u->unit_name[0] ? u->unit_name : u->unit);
    pw_doc_raw(d, " 待办 to do</h1>\n<section class=\"pw-card\" id=\"report\"><h2>");
    pw_doc_text(d, period);
    pw_doc_raw(d, " 月报 monthly report</h2>\n");
    pw_web_report_state(rq, d, u, period);
    pw_web_upload_form(d, u, period);
    pw_doc_raw(d, "</section>\n");
    pw_web_supervision_list(rq, d, u, 1);
    pw_doc_raw(d, "<p><a href=\"/units/");
    pw_doc_text(d, u->unit);
    pw_doc_raw(d, "\">本单位各月 our months</a></p>\n");
    pw_web_published p;
    pw_web_find_published(rq, u, &p);
    pw_web_our_score(d, u, &p);
    pw_web_published_links(d, &p);
}

/* The office's home: the live status board of the month and its actions. */
static void pw_web_home_office(pw_web_req *rq, pw_doc *d, const pw_web_user *u)
{
    char period[16];
    pw_web_last_month(rq, period, sizeof period);
    pw_doc_raw(d, "<h1>专班 office</h1>\n<section class=\"pw-card\" id=\"status\"><h2>");
    pw_doc_text(d, period);
    pw_doc_raw(d, " 报送情况 live status</h2>\n");
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.period = period;
    const Planwatch__V1__StatusResponse *s = (const void *)pw_web_page_call(
        rq, NULL, u, "/planwatch.v1.ReportService/Status", &req.base, NULL);
    if (!s) {
        pw_doc_raw(d, "<p>没有计划或无法读取 no plan yet, or it cannot be read</p>\n");
    } else {
        pw_doc_raw(d, "<table><thead><tr><th>单位 unit</th><th>状态 status</th><th>审核 review"
                      "</th><th>操作 action</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < s->n_units; i++) {
            const Planwatch__V1__UnitTimeliness *x = s->units[i];
            pw_doc_raw(d, "<tr><td><a href=\"/units/");
            pw_doc_text(d, x->unit);
            pw_doc_raw(d, "\">");
            pw_doc_text(d, x->name);
            pw_doc_raw(d, "</a></td><td>");
            pw_doc_text(d, pw_label_status(x->status));
            if (x->days_late > 0)
                pw_doc_rawf(d, " %d天", x->days_late);
            pw_doc_raw(d, "</td><td>");
            pw_doc_text(d, x->review_state);
            pw_doc_raw(d, "</td><td>");
            if (x->received_at > 0) {
                pw_doc_raw(d,
                           "<form method=\"post\" action=\"/report/review\" class=\"pw-inline\">");
                pw_web_hidden(d, "csrf", u->csrf);
                pw_web_hidden(d, "period", period);
                pw_web_hidden(d, "unit", x->unit);
                pw_web_hidden(d, "action", "accept");
                pw_doc_raw(d,
                           "<button type=\"submit\">通过 accept</button></form>"
                           "<form method=\"post\" action=\"/report/review\" class=\"pw-inline\">");
                pw_web_hidden(d, "csrf", u->csrf);
                pw_web_hidden(d, "period", period);
                pw_web_hidden(d, "unit", x->unit);
                pw_web_hidden(d, "action", "return");
                pw_doc_raw(d,
                           "<input type=\"text\" name=\"reason\" placeholder=\"退回原因 reason\" "
                           "required maxlength=\"1000\" size=\"12\"><button type=\"submit\">退回 "
                           "return</button></form>");
            }
            pw_doc_raw(d, "</td></tr>\n");
        }
        pw_doc_raw(d, "</tbody></table>\n");
    }
    pw_doc_raw(d, "<p><a href=\"/dispatch/");
    pw_doc_text(d, period);
    pw_doc_raw(d, "\">本月通报（草稿）the month's bulletin (draft)</a></p></section>\n");

    pw_doc_raw(d, "<section class=\"pw-card\" id=\"publish\"><h2>发布 publish</h2>"
                  "<form method=\"post\" action=\"/publish\" class=\"pw-form\">");
    pw_web_hidden(d, "csrf", u->csrf);
    pw_doc_raw(d, "<label>类别 kind <select name=\"kind\"><option value=\"dispatch\">调度通报 "
                  "bulletin</option><option value=\"scores\">考核排名 ranking</option></select>"
                  "</label><label>期间 period <input type=\"text\" name=\"period\" required "
                  "value=\"");
    pw_doc_text(d, period);
    pw_doc_raw(d, "\"></label><button type=\"submit\">发布 publish</button></form></section>\n");

    pw_web_supervision_list(rq, d, u, 0);
    pw_doc_raw(d, "<section class=\"pw-card\"><h2>新督办 open an item</h2>"
                  "<form method=\"post\" action=\"/supervise/open\" class=\"pw-form\">");
    pw_web_hidden(d, "csrf", u->csrf);
    pw_doc_raw(d, "<label>单位 unit <input type=\"text\" name=\"unit\" required maxlength=\"64\">"
                  "</label><label>期限 deadline <input type=\"date\" name=\"deadline\" required>"
                  "</label><label>事项 text <textarea name=\"text\" rows=\"2\" required "
                  "maxlength=\"4000\"></textarea></label><button type=\"submit\">督办 open</button>"
                  "</form></section>\n");
}

static int pw_web_home(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    if (pw_web_need_user(rq, rs, &u) != 0)
        return 0;
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    pw_web_page_begin(&d, "planwatch 亮晒平台", &u);
    if (strcmp(u.role, "reporter") == 0)
        pw_web_home_reporter(rq, &d, &u);
    else if (strcmp(u.role, "office") == 0)
        pw_web_home_office(rq, &d, &u);
    else
        pw_web_home_viewer(rq, &d, &u);
    return pw_web_page_send(rs, &d, 0);
}

/* ---- /units/<id> ------------------------------------------------------------------ */

/* The rows of `unit` for months 1..lastm of `year` into `dr` (one status
 * call per month); *name = the unit's name when the plan has it.  PW_OK,
 * or the status of the call that failed. */
static int pw_web_unit_months(pw_web_req *rq, const pw_web_user *u, const char *unit, int year,
                              int lastm, pw_doc *dr, const char **name)
{
    for (int m = 1; m <= lastm; m++) {
        char period[16];
        snprintf(period, sizeof period, "%04d-%02d", year, m);
        Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
        req.period = period;
        req.unit = (char *)unit;
        int st;
        const Planwatch__V1__StatusResponse *s = (const void *)pw_web_page_call(
            rq, NULL, u, "/planwatch.v1.ReportService/Status", &req.base, &st);
        if (!s)
            return st;
        for (size_t i = 0; i < s->n_units; i++) {
            const Planwatch__V1__UnitTimeliness *x = s->units[i];
            if (strcmp(x->unit, unit) != 0)
                continue;
            *name = x->name;
            pw_doc_rawf(dr, "<tr><td>%s</td><td>", period);
            pw_doc_text(dr, pw_label_status(x->status));
            if (x->days_late > 0)
                pw_doc_rawf(dr, " %d天 days", x->days_late);
            pw_doc_raw(dr, "</td><td>");
            pw_doc_text(dr, x->review_state);
            if (x->indicators > 0)
                pw_doc_rawf(dr,
                            "</td><td><span style=\"color:%s\">●</span>%d "
                            "<span style=\"color:%s\">●</span>%d "
                            "<span style=\"color:%s\">●</span>%d</td></tr>\n",
                            pw_color_light("red"), x->red, pw_color_light("yellow"), x->yellow,
                            pw_color_light("green"), x->green);
            else /* the status list carries no lights: the month's bulletin has them */
                pw_doc_rawf(dr, "</td><td><a href=\"/dispatch/%s\">通报 bulletin</a></td></tr>\n",
                            period);
        }
    }
    return PW_OK;
}

/* The unit's score in each quarter of `year` up to month lastm that this
 * user may see (published ones for viewers and reporters): have[q]. */
static int pw_web_unit_scores(pw_web_req *rq, const pw_web_user *u, const char *unit, int year,
                              int lastm, double score[4], int have[4])
{
    int nhave = 0;
    for (int q = 1; q <= 4 && (q - 1) * 3 + 1 <= lastm; q++) {
        char period[16];
        snprintf(period, sizeof period, "%04d-Q%d", year, q);
        Planwatch__V1__ScoresRequest req = PLANWATCH__V1__SCORES_REQUEST__INIT;
        req.period = period;
        const Planwatch__V1__ScoresResponse *r = (const void *)pw_web_page_call(
            rq, NULL, u, "/planwatch.v1.ScoreService/Get", &req.base, NULL);
        for (size_t i = 0; r && i < r->n_rankings; i++)
            if (strcmp(r->rankings[i]->unit, unit) == 0) {
                score[q - 1] = r->rankings[i]->score;
                have[q - 1] = 1;
                nhave++;
            }
    }
    return nhave;
}

/* Score over time as an SVG polyline. */
static void pw_web_score_chart(pw_doc *d, const double score[4], const int have[4], int nhave)
{
    pw_doc_raw(d, "<h2>季度得分 score by quarter</h2>\n");
    if (!nhave) {
        pw_doc_raw(d, "<p>暂无可见得分 no score to show yet</p>\n");
        return;
    }
    pw_doc_raw(d, "<svg viewBox=\"0 0 320 140\" width=\"320\" height=\"140\" role=\"img\" "
                  "aria-label=\"score by quarter\"><line x1=\"30\" y1=\"120\" x2=\"310\" "
                  "y2=\"120\" stroke=\"#999\"/><line x1=\"30\" y1=\"10\" x2=\"30\" y2=\"120\" "
                  "stroke=\"#999\"/><polyline fill=\"none\" stroke=\"#1565c0\" "
                  "stroke-width=\"2\" points=\"");
    for (int q = 0; q < 4; q++)
        if (have[q])
            pw_doc_rawf(d, "%d,%.1f ", 60 + q * 75, 120 - score[q] * 0.95);
    pw_doc_raw(d, "\"/>");
    for (int q = 0; q < 4; q++) {
        char num[PW_NUM_BUFSIZE];
        pw_doc_rawf(d,
                    "<text x=\"%d\" y=\"135\" font-size=\"10\" text-anchor=\"middle\">Q%d"
                    "</text>",
                    60 + q * 75, q + 1);
        if (have[q])
            pw_doc_rawf(d,
                        "<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" fill=\"#1565c0\"/><text "
                        "x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s"
                        "</text>",
                        60 + q * 75, 120 - score[q] * 0.95, 60 + q * 75, 110 - score[q] * 0.95,
                        pw_fmt_num(score[q], num, sizeof num));
    }
    pw_doc_raw(d, "</svg>\n");
}

static int pw_web_unit_page(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    const char *unit = pw_web_user_path_arg(rq, rs, &u, "/units/", "use /units/<unit id>");
    if (!unit)
        return 0;
    char last[16];
    pw_web_last_month(rq, last, sizeof last);
    int year = atoi(last), lastm = atoi(last + 5);
    const char *name = NULL;
    pw_strbuf rows = PW_STRBUF_INIT;
    pw_doc dr = {&rows, 0};
    int st = pw_web_unit_months(rq, &u, unit, year, lastm, &dr, &name);
    if (st != PW_OK || !name) {
        pw_strbuf_free(&rows);
        pw_web_res_error_page(rs, &u, st != PW_OK ? st : PW_NOT_FOUND,
                              st == PW_PERMISSION_DENIED
                                  ? "这不是你的单位 you may see your own unit only"
                              : st != PW_OK ? "cannot read this unit's reports"
                                            : "no such unit in the plan");
        return 0;
    }
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    pw_web_page_begin(&d, unit, &u);
    pw_doc_raw(&d, "<h1>");
    pw_doc_text(&d, name);
    pw_doc_rawf(&d, " · %d</h1>\n", year);
    pw_doc_raw(&d, "<table id=\"months\"><thead><tr><th>月份 month</th><th>报送 timeliness</th>"
                   "<th>审核 review</th><th>红/黄/绿 lights</th></tr></thead><tbody>\n");
    if (rows.len)
        pw_doc_raw(&d, rows.data);
    pw_strbuf_free(&rows);
    pw_doc_raw(&d, "</tbody></table>\n");
    double score[4];
    int have[4] = {0, 0, 0, 0};
    int nhave = pw_web_unit_scores(rq, &u, unit, year, lastm, score, have);
    pw_web_score_chart(&d, score, have, nhave);
    return pw_web_page_send(rs, &d, dr.failed);
}

/* ---- /indicators/<id> ---------------------------------------------------------------- */

/* The bulletin this user may read for the indicator page: of ?period=,
 * else the latest of the last 12 months; NULL when none. */
static const Planwatch__V1__DispatchSummary *pw_web_indicator_bulletin(pw_web_req *rq,
                                                                       const pw_web_user *u)
{
    char period[16];
    const char *want = NULL;
    pw_form q;
    char err[128];
    if (pw_form_parse(rq->arena, rq->query, strlen(rq->query), &q, err, sizeof err) == 0)
        want = pw_form_get(&q, "period");
    pw_web_last_month(rq, period, sizeof period);
    const Planwatch__V1__DispatchSummary *s = NULL;
    int y = atoi(period), mo = atoi(period + 5);
    for (int i = 0; i < (want ? 1 : 12) && !s; i++) {
        if (want)
            snprintf(period, sizeof period, "%.15s", want);
        else
            snprintf(period, sizeof period, "%04d-%02d", y, mo);
        Planwatch__V1__DispatchRequest req = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
        req.period = period;
        s = (const void *)pw_web_page_call(rq, NULL, u, "/planwatch.v1.DispatchService/Get",
                                           &req.base, NULL);
        pw_month_prev(y, mo, &y, &mo);
    }
    return s;
}

/* The indicator's progress in bulletin `s`: plan-wide, then unit by unit. */
static void pw_web_indicator_progress(pw_doc *d, const Planwatch__V1__DispatchSummary *s,
                                      const char *ind)
{
    pw_doc_raw(d, "<h2>");
    pw_doc_text(d, s->period);
    pw_doc_raw(d, s->published ? " 已发布 published" : " 草稿 draft");
    pw_doc_raw(d, "</h2>\n");
    char a[PW_NUM_BUFSIZE], t[PW_NUM_BUFSIZE], pc[PW_NUM_BUFSIZE];
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Planwatch__V1__IndicatorProgress *p = s->indicators[i];
        if (strcmp(p->indicator, ind) != 0)
            continue;
        pw_doc_rawf(d, "<p>全州 plan-wide: %s / %s · %s · <span style=\"color:%s\">●</span> ",
                    p->has_actual ? pw_fmt_num(p->actual, a, sizeof a) : "-",
                    pw_fmt_num(p->target, t, sizeof t), pw_fmt_pct(p->progress, pc, sizeof pc),
                    pw_color_light(p->light));
        pw_doc_text(d, pw_label_light(p->light));
        pw_doc_raw(d, "</p>\n");
    }
    pw_doc_raw(d, "<table><thead><tr><th>单位 unit</th><th>实际/目标 actual/target</th>"
                  "<th>进度 progress</th><th>灯 light</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < s->n_cells; i++) {
        const Planwatch__V1__LightCell *c = s->cells[i];
        if (strcmp(c->indicator, ind) != 0)
            continue;
        pw_doc_raw(d, "<tr><td>");
        pw_doc_text(d, c->unit);
        pw_doc_rawf(d,
                    "</td><td>%s / %s</td><td>%s</td><td><span style=\"color:%s\">●"
                    "</span> ",
                    c->has_actual ? pw_fmt_num(c->actual, a, sizeof a) : "-",
                    pw_fmt_num(c->target, t, sizeof t), pw_fmt_pct(c->progress, pc, sizeof pc),
                    pw_color_light(c->light));
        pw_doc_text(d, pw_label_light(c->light));
        pw_doc_raw(d, "</td></tr>\n");
    }
    pw_doc_raw(d, "</tbody></table>\n");
}

static int pw_web_indicator_page(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    const char *ind =
        pw_web_user_path_arg(rq, rs, &u, "/indicators/", "use /indicators/<indicator id>");
    if (!ind)
        return 0;
    Planwatch__V1__ShowPlanRequest preq = PLANWATCH__V1__SHOW_PLAN_REQUEST__INIT;
    const Planwatch__V1__ShowPlanResponse *plan = (const void *)pw_web_page_call(
        rq, rs, &u, "/planwatch.v1.PlanService/Show", &preq.base, NULL);
    if (!plan)
        return 0;
    const Planwatch__V1__Indicator *m = NULL;
    for (size_t i = 0; i < plan->n_indicators; i++)
        if (strcmp(plan->indicators[i]->id, ind) == 0)
            m = plan->indicators[i];
    if (!m) {
        pw_web_res_error_page(rs, &u, PW_NOT_FOUND, "no such indicator in the plan");
        return 0;
    }
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    pw_web_page_begin(&d, m->level3, &u);
    pw_doc_raw(&d, "<h1>");
    pw_doc_text(&d, m->id);
    pw_doc_raw(&d, " ");
    pw_doc_text(&d, m->level3);
    pw_doc_raw(&d, "</h1>\n<p>");
    pw_doc_text(&d, m->level1);
    pw_doc_raw(&d, " › ");
    pw_doc_text(&d, m->level2);
    pw_doc_raw(&d, " · ");
    pw_doc_text(&d, m->unit_of_measure);
    pw_doc_raw(&d, "</p>\n");
    /* progress in the latest bulletin this user may read */
    const Planwatch__V1__DispatchSummary *s = pw_web_indicator_bulletin(rq, &u);
    if (!s)
        pw_doc_raw(&d, "<p>没有可见的通报 no bulletin to show</p>\n");
    else
        pw_web_indicator_progress(&d, s, ind);
    return pw_web_page_send(rs, &d, 0);
}

void pw_web_pages_routes(void)
{
    pw_web_route_add("/", pw_web_home);
    pw_web_route_add("/dispatch/", pw_web_dispatch_page);
    pw_web_route_add("/scores/", pw_web_scores_page);
    pw_web_route_add("/units/", pw_web_unit_page);
    pw_web_route_add("/indicators/", pw_web_indicator_page);
}
