/*
 * plan.h - PlanService (SPEC 3.2): import a plan from its two CSV files,
 * show the indicator tree with targets, check coverage.
 * Roles (methods.c): Import and Revise office+admin; Show every signed-in role
 * (reporters see only what their unit reports); Check office+admin.
 */
#ifndef PW_SERVER_PLAN_H
#define PW_SERVER_PLAN_H

#include "server/rpc/call.h"

int plan_import_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int plan_show_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int plan_check_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int plan_revise_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

#include "common/period.h"
#include "server/store/store_plan.h"

/* The plan and period a call names: parses `period` (one of `kinds`),
 * resolves the plan (`plan` or the only one) and checks the period's year
 * is within it.  On PW_OK fills *plan_out, *p and `text` (canonical
 * period); otherwise the call's message is set. */
int pw_call_plan_period(pw_call *c, const char *plan, const char *period, unsigned kinds,
                        pw_plan_row *plan_out, pw_period *p, char *text, size_t textlen);

#endif
