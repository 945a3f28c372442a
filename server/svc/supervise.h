/*
 * supervise.h - SuperviseService (SPEC 3.6): the office opens an item for a
 * unit with a deadline; the unit answers; the office closes it.  Items not
 * closed by the end of their deadline day (plan time zone) are overdue.
 */
#ifndef PW_SERVER_SUPERVISE_H
#define PW_SERVER_SUPERVISE_H

#include "server/rpc/call.h"
#include "server/store/store_supervise.h"

int supervise_open_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int supervise_answer_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int supervise_close_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int supervise_list_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

/* Is `row` overdue at `now`: not closed and past the end (23:59:59 local,
 * `tz_offset_min` east of UTC) of its deadline day? */
int pw_supervision_overdue(const pw_supervision_row *row, int64_t now, int tz_offset_min);

/* Days after the end of its deadline day that a closed `row` was closed
 * (started days, as pw_days_late); 0 when closed in time or not closed. */
int pw_supervision_days_late(const pw_supervision_row *row, int tz_offset_min);

/* The plan time zone to use for dates that belong to no plan: the only
 * plan's, else UTC+08:00. */
int pw_call_tz_offset(pw_call *c);

#endif
