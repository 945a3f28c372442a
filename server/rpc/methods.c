/*
 * methods.c - THE method table.  Every RPC the server answers is one row:
 * full name, request and response descriptors, handler, admitted roles.
 * rpc.c authenticates and checks the roles here before any handler runs;
 * tests/unit/test_methods.c checks this table against the service
 * descriptors of the .proto files, so a method cannot be half-declared.
 */
#include "server/rpc/methods.h"

#include <string.h>

#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/office.pb-c.h"
#include "planwatch/v1/plan.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/svc/admin.h"
#include "server/rpc/auth.h"
#include "server/svc/dispatch.h"
#include "server/svc/publish.h"
#include "server/svc/report.h"
#include "server/svc/scores.h"
#include "server/svc/finding.h"
#include "server/svc/plan.h"
#include "server/svc/sheet.h"
#include "server/svc/supervise.h"

/* SPEC 3.1: a unit's own data (raw reports, their history, the status
 * list, half-year reports, supervision items) is read by the office, the
 * admin and the unit's reporter (handlers check the unit); viewers read
 * published summaries and rankings only. */
#define PW_ROLES_UNIT_DATA (PW_ROLES_STAFF | PW_ROLE_REPORTER)

#define M(service, method, req, resp, handler, roles)                                              \
    {                                                                                              \
        "/planwatch.v1." service "/" method, &planwatch__v1__##req##__descriptor,                  \
            &planwatch__v1__##resp##__descriptor, handler, roles, 0, 0, 0                          \
    }

pw_method pw_methods[] = {
    M("AuthService", "Login", login_request, login_response, pw_svc_auth_login, PW_ROLE_ANON),
    M("AuthService", "Logout", empty, empty, pw_svc_auth_logout, PW_ROLES_SIGNED_IN),
    M("AuthService", "WhoAmI", empty, user_info, pw_svc_auth_whoami, PW_ROLES_SIGNED_IN),
    M("AuthService", "Ping", empty, empty, pw_svc_auth_ping, PW_ROLES_SIGNED_IN),

    M("AdminService", "AddUser", add_user_request, user_info, pw_svc_admin_add_user, PW_ROLE_ADMIN),
    M("AdminService", "ListUsers", empty, list_users_response, pw_svc_admin_list_users,
      PW_ROLES_STAFF),
    M("AdminService", "DisableUser", user_name_request, user_info, pw_svc_admin_disable_user,
      PW_ROLE_ADMIN),
    M("AdminService", "EnableUser", user_name_request, user_info, pw_svc_admin_enable_user,
      PW_ROLE_ADMIN),
    M("AdminService", "UnlockUser", user_name_request, user_info, pw_svc_admin_unlock_user,
      PW_ROLE_ADMIN),
    M("AdminService", "SetPassword", set_password_request, empty, pw_svc_admin_set_password,
      PW_ROLE_ADMIN),
    M("AdminService", "AddUnit", unit_info, unit_info, pw_svc_admin_add_unit, PW_ROLE_ADMIN),
    M("AdminService", "ListUnits", empty, list_units_response, pw_svc_admin_list_units,
      PW_ROLES_SIGNED_IN),

    M("FindingService", "Add", add_finding_request, finding, pw_svc_finding_add, PW_ROLE_OFFICE),
    M("FindingService", "List", list_findings_request, list_findings_response, pw_svc_finding_list,
      PW_ROLES_STAFF | PW_ROLE_REPORTER),
    M("FindingService", "Remove", remove_finding_request, finding, pw_svc_finding_remove,
      PW_ROLE_OFFICE),

    M("SuperviseService", "Open", open_supervision_request, supervision_item, pw_svc_supervise_open,
      PW_ROLE_OFFICE),
    M("SuperviseService", "Answer", answer_supervision_request, supervision_item,
      pw_svc_supervise_answer, PW_ROLE_REPORTER | PW_ROLE_OFFICE),
    M("SuperviseService", "Close", close_supervision_request, supervision_item,
      pw_svc_supervise_close, PW_ROLE_OFFICE),
    M("SuperviseService", "List", list_supervision_request, list_supervision_response,
      pw_svc_supervise_list, PW_ROLES_UNIT_DATA),

    M("PlanService", "Import", import_plan_request, import_plan_response, pw_svc_plan_import,
      PW_ROLES_STAFF),
    M("PlanService", "Show", show_plan_request, show_plan_response, pw_svc_plan_show,
      PW_ROLES_SIGNED_IN),
    M("PlanService", "Check", check_plan_request, check_plan_response, pw_svc_plan_check,
      PW_ROLES_STAFF),
    M("PlanService", "Revise", revise_plan_request, revise_plan_response, pw_svc_plan_revise,
      PW_ROLES_STAFF),
    M("SheetService", "Import", import_sheet_request, sheet, pw_svc_sheet_import, PW_ROLES_STAFF),
    M("SheetService", "Show", show_sheet_request, sheet, pw_svc_sheet_show, PW_ROLES_SIGNED_IN),
    /* monthly reports: reporters write their own unit's; handlers check the unit */
    M("ReportService", "Template", report_request, template_response, pw_svc_report_template,
      PW_ROLE_REPORTER | PW_ROLES_STAFF),
    M("ReportService", "Submit", submit_report_request, receipt, pw_svc_report_submit,
      PW_ROLE_REPORTER),
    M("ReportService", "Show", report_request, report_shown, pw_svc_report_show,
      PW_ROLES_UNIT_DATA),
    M("ReportService", "History", report_request, history_response, pw_svc_report_history,
      PW_ROLES_UNIT_DATA),
    M("ReportService", "Status", report_request, status_response, pw_svc_report_status,
      PW_ROLES_UNIT_DATA),
    M("ReportService", "Accept", review_request, report_shown, pw_svc_report_accept,
      PW_ROLE_OFFICE),
    M("ReportService", "ReturnForRevision", review_request, report_shown, pw_svc_report_return,
      PW_ROLE_OFFICE),
    M("PeriodService", "Lock", period_lock_request, period_lock_response, pw_svc_period_lock,
      PW_ROLE_OFFICE),
    M("PeriodService", "Unlock", period_lock_request, period_lock_response, pw_svc_period_unlock,
      PW_ROLE_OFFICE),
    M("PeriodService", "Deadline", period_deadline_request, period_deadline_response,
      pw_svc_period_deadline, PW_ROLE_OFFICE),
    M("HalfYearService", "Submit", half_year_submit_request, receipt, pw_svc_halfyear_submit,
      PW_ROLE_REPORTER),
    M("HalfYearService", "History", report_request, half_year_history_response,
      pw_svc_halfyear_history, PW_ROLES_UNIT_DATA),
    M("AuditService", "List", audit_request, audit_response, pw_svc_audit_list, PW_ROLES_STAFF),

    /* viewers and reporters: published ones only (checked by the handlers) */
    M("DispatchService", "Get", dispatch_request, dispatch_summary, pw_svc_dispatch_get,
      PW_ROLES_SIGNED_IN),
    M("ScoreService", "Get", scores_request, scores_response, pw_svc_scores_get,
      PW_ROLES_SIGNED_IN),
    M("ScoreService", "Flag", score_flag_request, score_flag_response, pw_svc_scores_flag,
      PW_ROLE_OFFICE),
    M("PublishService", "Publish", publish_request, publish_response, pw_svc_publish,
      PW_ROLE_OFFICE),
    M("PublishService", "List", list_publications_request, list_publications_response,
      pw_svc_publish_list, PW_ROLES_SIGNED_IN),
};

const size_t pw_method_count = sizeof pw_methods / sizeof pw_methods[0];

pw_method *pw_method_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < pw_method_count; i++)
        if (strcmp(pw_methods[i].name, name) == 0)
            return &pw_methods[i];
    return NULL;
}
