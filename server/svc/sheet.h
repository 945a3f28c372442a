/*
 * sheet.h - SheetService (SPEC 3.5): import a category's 100-point score
 * sheet from CSV (replacing the previous one), show it.
 * Roles (methods.c): Import office+admin; Show every signed-in role.
 */
#ifndef PW_SERVER_SHEET_H
#define PW_SERVER_SHEET_H

#include "server/rpc/call.h"

pw_handler pw_svc_sheet_import, pw_svc_sheet_show;

#endif
