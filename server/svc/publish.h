/*
 * publish.h - publication of dispatch summaries and rankings.  Viewers and
 * reporters read only what the office has published.
 */
#ifndef PW_SERVER_PUBLISH_H
#define PW_SERVER_PUBLISH_H

#include "server/rpc/call.h"

int publish_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

/* Was (kind, plan, period) published?  1 yes (and *at set), 0 no, -1 error. */
int pw_publication_get(pw_db *db, const char *kind, const char *plan, const char *period,
                       int64_t *at);

/* May the caller read (kind, plan, period)?  Office and admin always; the
 * others only once it is published.  Sets *published and *published_at;
 * returns PW_OK or a status with the message set. */
int pw_publication_check(pw_call *c, const char *kind, const char *plan, const char *period,
                         int *published, int64_t *published_at);

#endif
