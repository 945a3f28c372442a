/*
 * report.h - ReportService (monthly reports, SPEC 3.3), PeriodService
 * (locks), HalfYearService and AuditService (SPEC 3.7).
 */
#ifndef PW_SERVER_REPORT_H
#define PW_SERVER_REPORT_H

#include "server/rpc/call.h"

int pw_svc_report_template(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_report_submit(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_report_show(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_report_history(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_report_status(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_report_accept(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_report_return(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_period_lock(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_period_unlock(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_period_deadline(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_halfyear_submit(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_halfyear_history(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int pw_svc_audit_list(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

#endif
