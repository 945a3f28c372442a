/*
 * admin.h - AdminService: users and units (SPEC 3.1), admin role only
 * (ListUnits/ListUsers are also open to the office, which needs them to
 * check coverage before a year starts).
 */
#ifndef PW_SERVER_ADMIN_H
#define PW_SERVER_ADMIN_H

#include "server/rpc/call.h"

pw_handler pw_svc_admin_add_user, pw_svc_admin_list_users, pw_svc_admin_disable_user,
    pw_svc_admin_enable_user, pw_svc_admin_unlock_user, pw_svc_admin_set_password,
    pw_svc_admin_add_unit, pw_svc_admin_list_units;

/* Identifier rules shared with plan import: user names [a-z0-9][a-z0-9_.-]*
 * up to 64; unit ids [a-z0-9][a-z0-9_-]* up to 64. */
int pw_valid_user_name(const char *s);
int pw_valid_unit_id(const char *s);

#endif
