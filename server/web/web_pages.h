/*
 * web_pages.h - the board's pages (web_pages.c) and the helpers the action
 * handlers (web_actions.c) share with them.
 */
#ifndef PW_SERVER_WEB_PAGES_H
#define PW_SERVER_WEB_PAGES_H

#include <protobuf-c/protobuf-c.h>

#include "server/web/web.h"
#include "server/web/web_session.h"

/* The signed-in user of the request: 0, or -1 with `rs` set (303 to /login
 * without a session, an error page otherwise). */
int pw_web_need_user(pw_web_req *rq, pw_web_res *rs, pw_web_user *u);
/* A method-table call as `u`: the response, or NULL with *status set and,
 * when `rs` is not NULL, the error page (HTTP status from the call's). */
ProtobufCMessage *pw_web_page_call(pw_web_req *rq, pw_web_res *rs, const pw_web_user *u,
                                   const char *method, const ProtobufCMessage *req, int *status);
/* "YYYY-MM" of the month before the server's today (the report due now). */
void pw_web_last_month(const pw_web_req *rq, char *buf, size_t len);

/* Register the pages (pw_web_start calls it). */
void pw_web_pages_routes(void);

#endif
