/*
 * report.h - ReportService (monthly reports, SPEC 3.3), PeriodService
 * (locks), HalfYearService and AuditService (SPEC 3.7).
 */
#ifndef PW_SERVER_REPORT_H
#define PW_SERVER_REPORT_H

#include "server/rpc/call.h"

int report_template_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int report_submit_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int report_show_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int report_history_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int report_status_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int report_accept_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int report_return_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int period_lock_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int period_unlock_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int period_deadline_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int halfyear_submit_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int halfyear_history_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int audit_list_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

#endif
