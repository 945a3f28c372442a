/*
 * web_session.h - who is asking: the session cookie over the sessions table
 * of RPC, the CSRF token of every form that changes something, the login
 * form's double-submit token, and the page frame the board's own pages
 * share (nav, phone-first CSS).
 *
 * Design notes
 * - The cookie `pw_session` holds the Login token itself (HttpOnly;
 *   SameSite=Strict; Secure on https; Path=/; Max-Age = session TTL): the
 *   server keeps only its hash, logout revokes it, expiry and disabled users
 *   work exactly as for RPC because every page calls WhoAmI with it.
 * - The CSRF token of a session is BLAKE2b(key = session token,
 *   "planwatch-csrf"), hex: only the cookie's holder can compute it, nothing
 *   is stored, it dies with the session.  Compared in constant time.
 * - Before a session exists, /login uses a double-submit token: a random
 *   `pw_login` cookie (HttpOnly, SameSite=Strict, Path=/login) that the form
 *   must repeat.
 */
#ifndef PW_SERVER_WEB_SESSION_H
#define PW_SERVER_WEB_SESSION_H

#include "common/render/render_format.h"
#include "server/web/form.h"
#include "server/web/web.h"

#define PW_WEB_CSRF_HEX 33

typedef struct pw_web_user {
    int signed_in;
    char token[160];
    char name[65];
    char role[16]; /* admin | office | reporter | viewer */
    char unit[65]; /* reporters: their unit */
    char unit_name[256];
    char csrf[PW_WEB_CSRF_HEX];
} pw_web_user;

/* The value of cookie `name` (arena copy), or NULL. */
const char *pw_web_cookie(pw_web_req *rq, const char *name);

/* Fill `u` from the session cookie through WhoAmI (the method table).
 * Returns PW_OK (signed in), PW_UNAUTHENTICATED (no or dead session), or
 * another status (server trouble). */
int pw_web_session(pw_web_req *rq, pw_web_user *u);

/* 1 when the form's `csrf` field is the session's token. */
int pw_web_csrf_ok(const pw_web_user *u, const pw_form *f);

/* 303 See Other to `location` (a path of ours). */
void pw_web_redirect(pw_web_res *rs, const char *location);

/* Register /login (GET, POST) and /logout (POST). */
void pw_web_session_routes(void);

/* ---- the board's page frame ------------------------------------------------ */

/* Start a page of ours: the shared head and stylesheet, the board's CSS,
 * the nav (home, the user, a logout form with its CSRF token) when `u` is
 * signed in. */
void pw_web_page_begin(pw_doc *d, const char *title, const pw_web_user *u);
void pw_web_page_end(pw_doc *d);
/* The board's CSS and nav (see pw_web_page_begin) appended to `sb`.  0 or
 * -1 (out of memory). */
int pw_web_nav_html(pw_strbuf *sb, const pw_web_user *u);
/* A whole page from a renderer (pw_render_*_html): the nav and the board's
 * CSS are put right after its <body>.  0 or -1 (out of memory). */
int pw_web_page_wrap(pw_strbuf *page, const pw_web_user *u);
/* Reply with `page` as HTML (consumed). */
void pw_web_res_html(pw_web_res *rs, int status, pw_strbuf *page);
/* An error page: status line, the message, a link home. */
void pw_web_res_error_page(pw_web_res *rs, const pw_web_user *u, int status, const char *message);

#endif
