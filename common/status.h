/*
 * status.h - the gRPC canonical status codes, in one place.
 *
 * One X-macro list (PW_STATUS_MAP) generates the enum and the name and text
 * functions; pw_status_exit_code() maps a status to the CLI exit codes of
 * SPEC 4.2.  Numbers are the gRPC ones
 * and never change: they travel in Response.status.
 */
#ifndef PW_COMMON_STATUS_H
#define PW_COMMON_STATUS_H

#define PW_STATUS_MAP(XX)                                                                          \
    XX(OK, 0, "ok")                                                                                \
    XX(CANCELLED, 1, "the call was cancelled")                                                     \
    XX(UNKNOWN, 2, "unknown error")                                                                \
    XX(INVALID_ARGUMENT, 3, "invalid argument")                                                    \
    XX(DEADLINE_EXCEEDED, 4, "deadline exceeded")                                                  \
    XX(NOT_FOUND, 5, "not found")                                                                  \
    XX(ALREADY_EXISTS, 6, "already exists")                                                        \
    XX(PERMISSION_DENIED, 7, "permission denied")                                                  \
    XX(RESOURCE_EXHAUSTED, 8, "resource exhausted")                                                \
    XX(FAILED_PRECONDITION, 9, "failed precondition")                                              \
    XX(ABORTED, 10, "aborted")                                                                     \
    XX(OUT_OF_RANGE, 11, "out of range")                                                           \
    XX(UNIMPLEMENTED, 12, "unimplemented")                                                         \
    XX(INTERNAL, 13, "internal error")                                                             \
    XX(UNAVAILABLE, 14, "unavailable")                                                             \
    XX(DATA_LOSS, 15, "data loss")                                                                 \
    XX(UNAUTHENTICATED, 16, "unauthenticated")

typedef enum pw_status {
#define PW_STATUS_ENUM(name, num, text) PW_##name = num,
    PW_STATUS_MAP(PW_STATUS_ENUM)
#undef PW_STATUS_ENUM
} pw_status;

#define PW_STATUS_COUNT 17

/* "INVALID_ARGUMENT" for PW_INVALID_ARGUMENT; "STATUS_<n>" is never returned:
 * unknown numbers give "UNKNOWN". */
const char *pw_status_name(int status);
/* A short English description ("permission denied"). */
const char *pw_status_text(int status);
/* Parse a name back ("NOT_FOUND" -> 5); -1 when unknown. */
int pw_status_from_name(const char *name);

/* Exit codes of the CLIs (SPEC 4.2). */
enum {
    PW_EXIT_OK = 0,
    PW_EXIT_SERVER = 1,  /* the server answered with an error status */
    PW_EXIT_USAGE = 2,   /* bad command line or local input file */
    PW_EXIT_CONNECT = 3, /* cannot reach the server */
};

/* Map a status returned by a call to an exit code.  `transport_failed` is
 * non-zero when the status was made up locally because no reply arrived. */
int pw_status_exit_code(int status, int transport_failed);

#endif
