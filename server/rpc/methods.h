/*
 * methods.h - the one method table: full method name -> handler, request
 * and response descriptors, admitted roles, counters.
 */
#ifndef PW_SERVER_METHODS_H
#define PW_SERVER_METHODS_H

#include "server/rpc/call.h"

extern pw_method pw_methods[];
extern const size_t pw_method_count;

/* The row for a full method name, or NULL. */
pw_method *pw_method_find(const char *name);

#endif
