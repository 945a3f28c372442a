/*
 * admin.h - AdminService: users and units (SPEC 3.1), admin role only
 * (ListUnits/ListUsers are also open to the office, which needs them to
 * check coverage before a year starts).
 */
#ifndef PW_SERVER_ADMIN_H
#define PW_SERVER_ADMIN_H

#include "server/rpc/call.h"

int admin_add_user_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_list_users_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_disable_user_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_enable_user_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_unlock_user_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_set_password_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_add_unit_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);
int admin_list_units_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp);

/* Identifier rules shared with plan import: user names [a-z0-9][a-z0-9_.-]*
 * up to 64; unit ids [a-z0-9][a-z0-9_-]* up to 64. */
int pw_valid_user_name(const char *s);
int pw_valid_unit_id(const char *s);

#endif
