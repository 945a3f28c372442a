/*
 * report.h - ReportService (monthly reports, SPEC 3.3), PeriodService
 * (locks), HalfYearService and AuditService (SPEC 3.7).
 */
#ifndef PW_SERVER_REPORT_H
#define PW_SERVER_REPORT_H

#include "server/rpc/call.h"

pw_handler pw_svc_report_template, pw_svc_report_submit, pw_svc_report_show, pw_svc_report_history,
    pw_svc_report_status, pw_svc_report_accept, pw_svc_report_return, pw_svc_period_lock,
    pw_svc_period_unlock, pw_svc_period_deadline, pw_svc_halfyear_submit, pw_svc_halfyear_history,
    pw_svc_audit_list;

#endif
