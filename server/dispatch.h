/*
 * dispatch.h - DispatchService: the monthly dispatch summary (SPEC 3.4) and
 * ScoreService: scores and rankings (SPEC 3.5), both computed on demand from
 * the stored reports by the pure modules progress.c, quality.c and score.c.
 */
#ifndef PW_SERVER_DISPATCH_H
#define PW_SERVER_DISPATCH_H

#include "server/call.h"

int dispatch_get_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int scores_get_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

#endif
