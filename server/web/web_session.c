/*
 * web_session.c - cookies, sessions, CSRF, /login, /logout and the page
 * frame.  See web_session.h.
 *
 * nng 1.5.2 joins repeated headers of one name with ", ", which breaks
 * Set-Cookie; so every reply here sets at most one cookie.
 */
#include "server/web/web_session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/web/web_call.h"

#define PW_WEB_COOKIE "pw_session"
#define PW_WEB_LOGIN_COOKIE "pw_login"

/* ---- cookies ------------------------------------------------------------- */

const char *pw_web_cookie(pw_web_req *rq, const char *name)
{
    const char *h = pw_web_header(rq, "Cookie");
    size_t nl = strlen(name);
    if (!h || strlen(h) > 8192)
        return NULL;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            const char *v = p + nl + 1;
            size_t vl = len - nl - 1;
            while (vl && v[vl - 1] == ' ')
                vl--;
            if (vl > 0 && vl < 512)
                return pw_arena_strndup(rq->arena, v, vl);
            return NULL;
        }
        p += len;
    }
    return NULL;
}

static const char *pw_web_cookie_attrs(const pw_web_req *rq)
{
    return rq->https ? "; HttpOnly; SameSite=Strict; Secure" : "; HttpOnly; SameSite=Strict";
}

/* ---- sessions and CSRF --------------------------------------------------- */

static void pw_web_csrf_of(const char *token, char out[PW_WEB_CSRF_HEX])
{
    unsigned char mac[16];
    static const char msg[] = "planwatch-csrf";
    size_t kl = strlen(token);
    if (kl > crypto_generichash_KEYBYTES_MAX)
        kl = crypto_generichash_KEYBYTES_MAX;
    crypto_generichash(mac, sizeof mac, (const unsigned char *)msg, sizeof msg - 1,
                       (const unsigned char *)token, kl < crypto_generichash_KEYBYTES_MIN ? 0 : kl);
    sodium_bin2hex(out, PW_WEB_CSRF_HEX, mac, sizeof mac);
}

int pw_web_session(pw_web_req *rq, pw_web_user *u)
{
    memset(u, 0, sizeof *u);
    const char *tok = pw_web_cookie(rq, PW_WEB_COOKIE);
    if (!tok || strlen(tok) >= sizeof u->token)
        return PW_UNAUTHENTICATED;
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    pw_call call;
    ProtobufCMessage *resp;
    int st = pw_web_call(rq, tok, "/planwatch.v1.AuthService/WhoAmI", &e.base, &call, &resp);
    if (st != PW_OK)
        return st;
    const Planwatch__V1__UserInfo *ui = (const Planwatch__V1__UserInfo *)resp;
    u->signed_in = 1;
    snprintf(u->token, sizeof u->token, "%s", tok);
    snprintf(u->name, sizeof u->name, "%s", ui->name);
    snprintf(u->role, sizeof u->role, "%s", ui->role);
    snprintf(u->unit, sizeof u->unit, "%s", ui->unit);
    snprintf(u->unit_name, sizeof u->unit_name, "%s", ui->unit_name);
    pw_web_csrf_of(u->token, u->csrf);
    return PW_OK;
}

int pw_web_csrf_ok(const pw_web_user *u, const pw_form *f)
{
    const char *got = pw_form_get(f, "csrf");
    return u->signed_in && got && strlen(got) == PW_WEB_CSRF_HEX - 1 &&
           sodium_memcmp(got, u->csrf, PW_WEB_CSRF_HEX - 1) == 0;
}

void pw_web_redirect(pw_web_res *rs, const char *location)
{
    pw_web_res_set(rs, 303, "text/plain; charset=utf-8", "see other\n", 10);
    pw_web_res_header(rs, "Location", location);
}

/* ---- the page frame --------------------------------------------------------- */

/* phone first: nothing wider than the screen; wide tables scroll inside
 * themselves, never the page */
static const char pw_web_css[] =
    "p,li,h1,h2,h3,dd{overflow-wrap:anywhere}"
    "@media (max-width:760px){table{display:block;overflow-x:auto;max-width:100%}}"
    "th,td{word-break:keep-all;overflow-wrap:normal}"
    "svg,img{max-width:100%;height:auto}"
    ".pw-nav{display:flex;flex-wrap:wrap;gap:.4em .8em;align-items:center;padding:.3em 0;"
    "border-bottom:1px solid #ccc;margin-bottom:.8em}"
    ".pw-nav form{display:inline;margin:0}"
    ".pw-card{border:1px solid #ddd;border-radius:6px;padding:.5em .8em;margin:.6em 0}"
    ".pw-form label{display:block;margin:.4em 0}"
    "input,select,textarea,button{font:inherit;max-width:100%;box-sizing:border-box}"
    ".pw-form input[type=text],.pw-form input[type=password],.pw-form textarea,"
    ".pw-form select,.pw-form input[type=file]{width:100%}"
    "button{padding:.35em .9em;margin:.2em 0}"
    ".pw-msg{padding:.5em;border-radius:4px;background:#fff3cd}"
    ".pw-err{background:#f8d7da}.pw-ok{background:#d1e7dd}"
    ".pw-inline{display:inline-block;margin:.2em .4em .2em 0}"
    "ul.pw-links{padding-left:1.2em}";

static void pw_web_nav(pw_doc *d, const pw_web_user *u)
{
    pw_doc_rawf(d, "<style>%s</style>\n", pw_web_css);
    if (!u || !u->signed_in)
        return;
    pw_doc_raw(d, "<nav class=\"pw-nav\"><a href=\"/\">首页 home</a><span>");
    pw_doc_text(d, u->name);
    pw_doc_raw(d, " (");
    pw_doc_text(d, u->role);
    if (u->unit[0]) {
        pw_doc_raw(d, ", ");
        pw_doc_text(d, u->unit_name[0] ? u->unit_name : u->unit);
    }
    pw_doc_raw(d, ")</span><form method=\"post\" action=\"/logout\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"");
    pw_doc_text(d, u->csrf);
    pw_doc_raw(d, "\"><button type=\"submit\" id=\"logout\">退出 log out</button></form></nav>\n");
}

int pw_web_nav_html(pw_strbuf *sb, const pw_web_user *u)
{
    pw_doc d = {sb, 0};
    pw_web_nav(&d, u);
    return d.failed ? -1 : 0;
}

void pw_web_page_begin(pw_doc *d, const char *title, const pw_web_user *u)
{
    pw_doc_begin(d, title, NULL);
    pw_web_nav(d, u);
    pw_doc_raw(d, "<main>\n");
}

void pw_web_page_end(pw_doc *d)
{
    pw_doc_raw(d, "</main>\n");
    pw_doc_end(d, NULL);
}

int pw_web_page_wrap(pw_strbuf *page, const pw_web_user *u)
{
    const char *body = strstr(pw_strbuf_cstr(page), "<body>\n");
    if (!body)
        return -1;
    size_t at = (size_t)(body - page->data) + 7;
    pw_strbuf nav = PW_STRBUF_INIT;
    pw_doc d = {&nav, 0};
    pw_web_nav(&d, u);
    pw_strbuf out = PW_STRBUF_INIT;
    int rc = d.failed || pw_strbuf_append(&out, page->data, at) != 0 ||
                     pw_strbuf_append(&out, nav.data, nav.len) != 0 ||
                     pw_strbuf_append(&out, page->data + at, page->len - at) != 0
                 ? -1
                 : 0;
    pw_strbuf_free(&nav);
    if (rc == 0) {
        pw_strbuf_free(page);
        *page = out;
    } else {
        pw_strbuf_free(&out);
    }
    return rc;
}

void pw_web_res_html(pw_web_res *rs, int status, pw_strbuf *page)
{
    pw_strbuf_free(&rs->body);
    rs->body = *page;
    pw_strbuf_init(page);
    rs->status = status;
    rs->content_type = "text/html; charset=utf-8";
}

void pw_web_res_error_page(pw_web_res *rs, const pw_web_user *u, int status, const char *message)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    int http = pw_web_http_status(status);
    pw_web_page_begin(&d, pw_status_name(status), u);
    pw_doc_rawf(&d, "<h1>%d %s</h1>\n<p class=\"pw-msg pw-err\" id=\"error\">", http,
                pw_status_name(status));
    pw_doc_text(&d, message ? message : pw_status_text(status));
    pw_doc_raw(&d, "</p>\n<p><a href=\"/\">首页 home</a></p>\n");
    pw_web_page_end(&d);
    pw_web_res_html(rs, http, &sb);
}

/* ---- /login and /logout -------------------------------------------------------- */

static void pw_web_login_page(pw_web_req *rq, pw_web_res *rs, int http, const char *message,
                              const char *user)
{
    unsigned char raw[16];
    char tok[33];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(tok, sizeof tok, raw, sizeof raw);
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    pw_web_page_begin(&d, "登录 planwatch", NULL);
    pw_doc_raw(&d, "<h1>planwatch 亮晒平台</h1>\n");
    if (message) {
        pw_doc_raw(&d, "<p class=\"pw-msg pw-err\" id=\"error\">");
        pw_doc_text(&d, message);
        pw_doc_raw(&d, "</p>\n");
    }
    pw_doc_raw(&d, "<form method=\"post\" action=\"/login\" class=\"pw-form pw-card\">\n"
                   "<input type=\"hidden\" name=\"csrf\" value=\"");
    pw_doc_text(&d, tok);
    pw_doc_raw(&d, "\">\n<label>用户名 user <input type=\"text\" name=\"user\" id=\"user\" "
                   "autocomplete=\"username\" maxlength=\"64\" required value=\"");
    pw_doc_text(&d, user ? user : "");
    pw_doc_raw(&d, "\"></label>\n<label>密码 password <input type=\"password\" name=\"password\" "
                   "id=\"password\" autocomplete=\"current-password\" required></label>\n"
                   "<button type=\"submit\" id=\"login\">登录 log in</button>\n</form>\n");
    pw_web_page_end(&d);
    pw_web_res_html(rs, http, &sb);
    pw_web_res_header(rs, "Set-Cookie",
                      pw_arena_printf(rq->arena,
                                      PW_WEB_LOGIN_COOKIE "=%s; Path=/login; Max-Age=3600%s", tok,
                                      pw_web_cookie_attrs(rq)));
}

static int pw_web_login_get(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    if (pw_web_session(rq, &u) == PW_OK) {
        pw_web_redirect(rs, "/");
        return 0;
    }
    pw_web_login_page(rq, rs, 200, NULL, NULL);
    return 0;
}

static int pw_web_login_post(pw_web_req *rq, pw_web_res *rs)
{
    pw_form f;
    char err[256];
    if (pw_form_parse(rq->arena, (const char *)rq->body, rq->body_len, &f, err, sizeof err) != 0) {
        pw_web_login_page(rq, rs, 400, err, NULL);
        return 0;
    }
    const char *want = pw_web_cookie(rq, PW_WEB_LOGIN_COOKIE);
    const char *got = pw_form_get(&f, "csrf");
    if (!want || !got || strlen(want) != strlen(got) ||
        sodium_memcmp(want, got, strlen(want)) != 0) {
        pw_web_login_page(rq, rs, 403,
                          "表单已过期，请重新登录 the form expired or was not ours: "
                          "log in again",
                          NULL);
        return 0;
    }
    const char *user = pw_form_get(&f, "user");
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)(user ? user : "");
    req.password = (char *)(pw_form_get(&f, "password") ? pw_form_get(&f, "password") : "");
    pw_call call;
    ProtobufCMessage *resp;
    int st = pw_web_call(rq, NULL, "/planwatch.v1.AuthService/Login", &req.base, &call, &resp);
    if (st != PW_OK) {
        pw_web_login_page(rq, rs, pw_web_http_status(st), call.message, user);
        return 0;
    }
    const Planwatch__V1__LoginResponse *lr = (const Planwatch__V1__LoginResponse *)resp;
    long long ttl = (long long)(lr->expires_at - call.now);
    if (ttl <= 0)
        ttl = rq->cfg->session_ttl_s;
    pw_web_redirect(rs, "/");
    pw_web_res_header(rs, "Set-Cookie",
                      pw_arena_printf(rq->arena, PW_WEB_COOKIE "=%s; Path=/; Max-Age=%lld%s",
                                      lr->token, ttl, pw_web_cookie_attrs(rq)));
    return 0;
}

static int pw_web_logout_post(pw_web_req *rq, pw_web_res *rs)
{
    pw_web_user u;
    int st = pw_web_session(rq, &u);
    if (st != PW_OK) {
        pw_web_redirect(rs, "/login");
        return 0;
    }
    pw_form f;
    char err[256];
    if (pw_form_parse(rq->arena, (const char *)rq->body, rq->body_len, &f, err, sizeof err) != 0 ||
        !pw_web_csrf_ok(&u, &f)) {
        pw_web_res_error_page(rs, &u, PW_PERMISSION_DENIED,
                              "表单缺少有效的 CSRF 令牌 the form has no valid CSRF token");
        return 0;
    }
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    pw_call call;
    ProtobufCMessage *resp;
    pw_web_call(rq, u.token, "/planwatch.v1.AuthService/Logout", &e.base, &call, &resp);
    pw_web_redirect(rs, "/login");
    pw_web_res_header(rs, "Set-Cookie",
                      pw_arena_printf(rq->arena, PW_WEB_COOKIE "=; Path=/; Max-Age=0%s",
                                      pw_web_cookie_attrs(rq)));
    return 0;
}

void pw_web_session_routes(void)
{
    pw_web_route_add("/login", pw_web_login_get);
    pw_web_route_add_method("POST", "/login", pw_web_login_post);
    pw_web_route_add_method("POST", "/logout", pw_web_logout_post);
}
