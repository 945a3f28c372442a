/*
 * web_api.h - the board's JSON API (GET /api/v1/...), see web_api.c.
 */
#ifndef PW_SERVER_WEB_API_H
#define PW_SERVER_WEB_API_H

#include "server/web/web.h"

/* Register the /api/v1/ routes (pw_web_start calls it). */
void pw_web_api_routes(void);

#endif
