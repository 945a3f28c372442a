/*
 * services.h - every protobuf service descriptor, NULL-terminated; add a
 * service here when a .proto gains one (test_methods.c and the
 * authorization matrix walk this list).
 */
#ifndef PW_TESTS_SERVICES_H
#define PW_TESTS_SERVICES_H

#include <protobuf-c/protobuf-c.h>

extern const ProtobufCServiceDescriptor *const pw_test_services[];

#endif
