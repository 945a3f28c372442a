/*
 * call.h - what a handler sees: the call context and the method table row.
 *
 * Every RPC goes through the same steps (rpc.c): decode the envelope, find
 * the method-table row, authenticate the token, check the role, decode the
 * payload, then call the row's handler with a pw_call.  A handler
 *   - reads through call->db (this worker's connection),
 *   - writes only through pw_store_write(call->store, call->deadline_us, ...),
 *   - allocates its response (and anything else) from call->arena,
 *   - returns a pw_status; on error it sets the message with pw_call_fail()
 *     and may add field violations.
 * Handlers are reachable without a socket: pw_rpc_process() (rpc.h) runs
 * the whole path above on an encoded Request; the Criterion harness
 * (tests/support/harness.h, pw_test_call) drives it that way.
 * The helpers below live in call.c, not in the transport, so that services
 * and auth.c depend on call.c only.
 */
#ifndef PW_SERVER_CALL_H
#define PW_SERVER_CALL_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/period.h"
#include "common/status.h"
#include "server/config.h"
#include "server/store/store.h"
#include "server/store/store_plan.h"

struct pw_server_config;

/* Roles, as bits so that a method lists the roles it admits. */
enum {
    PW_ROLE_NONE = 0, /* no session (only for methods with PW_ROLE_ANON) */
    PW_ROLE_ADMIN = 1u << 0,
    PW_ROLE_OFFICE = 1u << 1,
    PW_ROLE_REPORTER = 1u << 2,
    PW_ROLE_VIEWER = 1u << 3,
    PW_ROLE_ANON = 1u << 4, /* callable without a token */
};
#define PW_ROLES_STAFF (PW_ROLE_ADMIN | PW_ROLE_OFFICE)
#define PW_ROLES_SIGNED_IN (PW_ROLE_ADMIN | PW_ROLE_OFFICE | PW_ROLE_REPORTER | PW_ROLE_VIEWER)

/* "admin" -> PW_ROLE_ADMIN; 0 when unknown. */
unsigned pw_role_from_name(const char *name);
const char *pw_role_name(unsigned role);

typedef struct pw_principal {
    int64_t user_id; /* 0: nobody signed in */
    unsigned role;   /* one PW_ROLE_* bit, or PW_ROLE_NONE */
    char name[65];
    char unit[65]; /* reporters: their unit id, else "" */
} pw_principal;

typedef struct pw_violation {
    const char *field;
    const char *description;
} pw_violation;

typedef struct pw_call pw_call;

/* What every handler is: svc headers declare theirs as
 * `pw_handler pw_svc_<service>_<method>, ...;` (the signature written once). */
typedef int pw_handler(pw_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
typedef pw_handler *pw_handler_fn;

/* One row of the method table (methods.c). */
typedef struct pw_method {
    const char *name; /* "/planwatch.v1.AuthService/Login" */
    const ProtobufCMessageDescriptor *request;
    const ProtobufCMessageDescriptor *response;
    pw_handler_fn handler;
    unsigned roles; /* PW_ROLE_* bits admitted */
    /* counters (Redis style): updated atomically by rpc.c */
    uint64_t calls, failed, usec;
} pw_method;

struct pw_call {
    pw_store *store;
    pw_db *db;
    pw_arena *arena;
    const struct pw_server_config *config;
    const pw_method *method;
    pw_principal who;
    int64_t now;         /* server clock, unix seconds, read once per call */
    int64_t deadline_us; /* monotonic; 0 = none */
    char peer[64];
    uint8_t session_hash[32]; /* hash of the caller's token, when signed in */
    /* reply */
    const char *message;
    pw_violation *violations;
    int nviolations, capviolations;
};

/* Set the reply message (printf style, copied into the arena) and return
 * `status`, so that handlers can `return pw_call_fail(c, PW_NOT_FOUND, ...)`. */
int pw_call_fail(pw_call *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Add a field violation (copied into the arena). */
void pw_call_violation(pw_call *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Audit helper for write functions: appends (now, who, method name, object,
 * summary) to the audit trail on the writer connection `w`. */
int pw_call_audit(pw_call *c, pw_db *w, const char *object, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Is `s` acceptable office text for `field` ("reason")?  Required (when
 * `required`), at most config max_text_bytes, valid UTF-8, no control
 * characters but tab and newline.  Returns PW_OK, or PW_INVALID_ARGUMENT
 * with the message set ("--reason: ..."). */
int pw_call_text_ok(pw_call *c, const char *field, const char *s, int required);

/* A reporter's unit or the unit named in a request: returns PW_OK and sets
 * *unit when `who` may act on `requested` (reporters: only their own unit;
 * staff and viewers: any, "" meaning none); else sets the message and
 * returns PW_PERMISSION_DENIED / PW_FAILED_PRECONDITION. */
int pw_call_resolve_unit(pw_call *c, const char *requested, const char **unit);

/* The plan a call names (`plan`, or the only one when NULL or ""): PW_OK
 * and *plan_out filled, or the store's status with the call's message set. */
int pw_call_plan(pw_call *c, const char *plan, pw_plan_row *plan_out);

/* The plan and period a call names: parses `period` (one of `kinds`),
 * resolves the plan (`plan` or the only one) and checks the period's year
 * is within it.  On PW_OK fills *plan_out, *p and `text` (canonical
 * period); otherwise the call's message is set. */
int pw_call_plan_period(pw_call *c, const char *plan, const char *period, unsigned kinds,
                        pw_plan_row *plan_out, pw_period *p, char *text, size_t textlen);

/* The plan time zone to use for dates that belong to no plan: the only
 * plan's, else UTC+08:00. */
int pw_call_tz_offset(pw_call *c);

/* The UserInfo message for a user row (AuthService Login/WhoAmI and the
 * AdminService replies), allocated from c->arena; it points into *u. */
struct Planwatch__V1__UserInfo;
struct pw_user_row;
struct Planwatch__V1__UserInfo *pw_call_user_info(pw_call *c, const struct pw_user_row *u);

#endif
