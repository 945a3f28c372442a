/*
 * supervise.h - SuperviseService (SPEC 3.6): the office opens an item for a
 * unit with a deadline; the unit answers; the office closes it.  Items not
 * closed by the end of their deadline day (plan time zone) are overdue.
 */
#ifndef PW_SERVER_SUPERVISE_H
#define PW_SERVER_SUPERVISE_H

#include "server/rpc/call.h"
#include "planwatch/v1/office.pb-c.h"
#include "server/store/store_supervise.h"

pw_handler pw_svc_supervise_open, pw_svc_supervise_answer, pw_svc_supervise_close,
    pw_svc_supervise_list;

/* Is `row` overdue at `now`: not closed and past the end (23:59:59 local,
 * `tz_offset_min` east of UTC) of its deadline day? */
int pw_supervision_overdue(const pw_supervision_row *row, int64_t now, int tz_offset_min);

/*
 * The message of one item, built in the call's arena from `row` (which must
 * outlive the reply): every field, its answers oldest first, `overdue` at
 * the call's clock in zone `tz_offset_min`, the days late of a late closure.
 * The one builder of SupervisionItem: the supervision list and the dispatch
 * summary use it.
 */
Planwatch__V1__SupervisionItem *pw_supervision_item(pw_call *c, const pw_supervision_row *row,
                                                    int tz_offset_min);

/* Days after the end of its deadline day that a closed `row` was closed
 * (started days, as pw_days_late); 0 when closed in time or not closed. */
int pw_supervision_days_late(const pw_supervision_row *row, int tz_offset_min);

#endif
