/*
 * test_methods.c - the method table agrees with the .proto services: every
 * rpc of every service has exactly one row with the same request and
 * response types, and every row names a declared rpc.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "server/rpc/methods.h"
#include "tests/support/services.h"

Test(methods, every_proto_rpc_has_one_row_with_matching_types)
{
    size_t declared = 0;
    for (size_t s = 0; pw_test_services[s]; s++) {
        const ProtobufCServiceDescriptor *sd = pw_test_services[s];
        for (unsigned m = 0; m < sd->n_methods; m++) {
            char name[256];
            snprintf(name, sizeof name, "/%s/%s", sd->name, sd->methods[m].name);
            pw_method *row = pw_method_find(name);
            cr_assert(row, "no method-table row for %s", name);
            cr_assert_eq(row->request, sd->methods[m].input, "%s request type", name);
            cr_assert_eq(row->response, sd->methods[m].output, "%s response type", name);
            cr_assert(row->handler, "%s has a handler", name);
            cr_assert(row->roles, "%s admits some role", name);
            declared++;
        }
    }
    cr_assert_eq(declared, pw_method_count, "rows without a proto rpc");
}

Test(methods, names_are_unique)
{
    for (size_t i = 0; i < pw_method_count; i++)
        for (size_t j = i + 1; j < pw_method_count; j++)
            cr_assert_str_neq(pw_methods[i].name, pw_methods[j].name);
}
