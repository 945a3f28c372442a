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
    M("AuthService", "Login", login_request, login_response, auth_login_handle, PW_ROLE_ANON),
    M("AuthService", "Logout", empty, empty, auth_logout_handle, PW_ROLES_SIGNED_IN),
    M("AuthService", "WhoAmI", empty, user_info, auth_whoami_handle, PW_ROLES_SIGNED_IN),
    M("AuthService", "Ping", empty, empty, auth_ping_handle, PW_ROLES_SIGNED_IN),

    M("AdminService", "AddUser", add_user_request, user_info, admin_add_user_handle, PW_ROLE_ADMIN),
    M("AdminService", "ListUsers", empty, list_users_response, admin_list_users_handle,
      PW_ROLES_STAFF),
    M("AdminService", "DisableUser", user_name_request, user_info, admin_disable_user_handle,
      PW_ROLE_ADMIN),
    M("AdminService", "EnableUser", user_name_request, user_info, admin_enable_user_handle,
      PW_ROLE_ADMIN),
    M("AdminService", "UnlockUser", user_name_request, user_info, admin_unlock_user_handle,
      PW_ROLE_ADMIN),
    M("AdminService", "SetPassword", set_password_request, empty, admin_set_password_handle,
      PW_ROLE_ADMIN),
    M("AdminService", "AddUnit", unit_info, unit_info, admin_add_unit_handle, PW_ROLE_ADMIN),
    M("AdminService", "ListUnits", empty, list_units_response, admin_list_units_handle,
      PW_ROLES_SIGNED_IN),

    M("FindingService", "Add", add_finding_request, finding, finding_add_handle, PW_ROLE_OFFICE),
    M("FindingService", "List", list_findings_request, list_findings_response, finding_list_handle,
      PW_ROLES_STAFF | PW_ROLE_REPORTER),
    M("FindingService", "Remove", remove_finding_request, finding, finding_remove_handle,
      PW_ROLE_OFFICE),

    M("SuperviseService", "Open", open_supervision_request, supervision_item, supervise_open_handle,
      PW_ROLE_OFFICE),
    M("SuperviseService", "Answer", answer_supervision_request, supervision_item,
      supervise_answer_handle, PW_ROLE_REPORTER | PW_ROLE_OFFICE),
    M("SuperviseService", "Close", close_supervision_request, supervision_item,
      supervise_close_handle, PW_ROLE_OFFICE),
    M("SuperviseService", "List", list_supervision_request, list_supervision_response,
      supervise_list_handle, PW_ROLES_UNIT_DATA),

    M("PlanService", "Import", import_plan_request, import_plan_response, plan_import_handle,
      PW_ROLES_STAFF),
    M("PlanService", "Show", show_plan_request, show_plan_response, plan_show_handle,
      PW_ROLES_SIGNED_IN),
    M("PlanService", "Check", check_plan_request, check_plan_response, plan_check_handle,
      PW_ROLES_STAFF),
    M("PlanService", "Revise", revise_plan_request, revise_plan_response, plan_revise_handle,
      PW_ROLES_STAFF),
    M("SheetService", "Import", import_sheet_request, sheet, sheet_import_handle, PW_ROLES_STAFF),
    M("SheetService", "Show", show_sheet_request, sheet, sheet_show_handle, PW_ROLES_SIGNED_IN),
    /* monthly reports: reporters write their own unit's; handlers check the unit */
    M("ReportService", "Template", report_request, template_response, report_template_handle,
      PW_ROLE_REPORTER | PW_ROLES_STAFF),
    M("ReportService", "Submit", submit_report_request, receipt, report_submit_handle,
      PW_ROLE_REPORTER),
    M("ReportService", "Show", report_request, report_shown, report_show_handle,
      PW_ROLES_UNIT_DATA),
    M("ReportService", "History", report_request, history_response, report_history_handle,
      PW_ROLES_UNIT_DATA),
    M("ReportService", "Status", report_request, status_response, report_status_handle,
      PW_ROLES_UNIT_DATA),
    M("ReportService", "Accept", review_request, report_shown, report_accept_handle,
      PW_ROLE_OFFICE),
    M("ReportService", "ReturnForRevision", review_request, report_shown, report_return_handle,
      PW_ROLE_OFFICE),
    M("PeriodService", "Lock", period_lock_request, period_lock_response, period_lock_handle,
      PW_ROLE_OFFICE),
    M("PeriodService", "Unlock", period_lock_request, period_lock_response, period_unlock_handle,
      PW_ROLE_OFFICE),
    M("PeriodService", "Deadline", period_deadline_request, period_deadline_response,
      period_deadline_handle, PW_ROLE_OFFICE),
    M("HalfYearService", "Submit", half_year_submit_request, receipt, halfyear_submit_handle,
      PW_ROLE_REPORTER),
    M("HalfYearService", "History", report_request, half_year_history_response,
      halfyear_history_handle, PW_ROLES_UNIT_DATA),
    M("AuditService", "List", audit_request, audit_response, audit_list_handle, PW_ROLES_STAFF),

    /* viewers and reporters: published ones only (checked by the handlers) */
    M("DispatchService", "Get", dispatch_request, dispatch_summary, dispatch_get_handle,
      PW_ROLES_SIGNED_IN),
    M("ScoreService", "Get", scores_request, scores_response, scores_get_handle,
      PW_ROLES_SIGNED_IN),
    M("ScoreService", "Flag", score_flag_request, score_flag_response, scores_flag_handle,
      PW_ROLE_OFFICE),
    M("PublishService", "Publish", publish_request, publish_response, publish_handle,
      PW_ROLE_OFFICE),
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
