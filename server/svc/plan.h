/*
 * plan.h - PlanService (SPEC 3.2): import a plan from its two CSV files,
 * show the indicator tree with targets, check coverage.
 * Roles (methods.c): Import and Revise office+admin; Show every signed-in role
 * (reporters see only what their unit reports); Check office+admin.
 */
#ifndef PW_SERVER_PLAN_H
#define PW_SERVER_PLAN_H

#include "server/rpc/call.h"

pw_handler pw_svc_plan_import, pw_svc_plan_show, pw_svc_plan_check, pw_svc_plan_revise;

#endif
