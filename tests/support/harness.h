/*
 * harness.h - a real planwatch server for Criterion tests: a fresh SQLite
 * file and an ipc:// socket in a private temp dir, started in-process with
 * cheap password-hashing limits, plus helpers to call it over nng.
 *
 * Criterion runs every test in its own process, so each test calls
 * pw_test_server_start() itself (or in an .init fixture).
 */
#ifndef PW_TESTS_HARNESS_H
#define PW_TESTS_HARNESS_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#include "client/call.h"
#include "planwatch/v1/account.pb-c.h"
#include "server/server.h"

typedef struct pw_test_server {
    char dir[256];
    char db[300];
    char url[300];
    char clock[300]; /* clock file path ("" when the system clock is used) */
    pw_server_config cfg;
    pw_server srv;
    pw_client *client;
    char admin_token[80];
} pw_test_server;

/* A loopback TCP port nobody listens on right now (bound, read, closed);
 * fails the test when it cannot. */
int pw_test_free_port(void);
/* Remove the directory tree `dir` (a temp dir a test made), without a
 * shell: 0, or -1 when something could not be removed. */
int pw_test_rmdir(const char *dir);
/* Open (creating and migrating) the store at `path`, without options;
 * fails the test when it cannot. */
pw_store *pw_test_store_open(const char *path);

/* Start a server; `clock_iso` NULL = system clock, else the initial time
 * written into a clock file.  An admin "root" / "rootpass1" exists. */
void pw_test_server_start(pw_test_server *t, const char *clock_iso);
/* The same with extra settings, NULL-terminated "key", "value" pairs. */
void pw_test_server_start_opts(pw_test_server *t, const char *clock_iso,
                               const char *const *settings);
void pw_test_server_stop(pw_test_server *t);
/* Rewrite the clock file. */
void pw_test_set_clock(pw_test_server *t, const char *iso);

/* Log in; returns the token in `token` (>= 65 bytes) or fails the test. */
void pw_test_login(pw_test_server *t, const char *user, const char *password, char *token);
/* Any call; returns the status. *resp must be freed with
 * protobuf_c_message_free_unpacked when non-NULL. */
int pw_test_call(pw_test_server *t, const char *token, const char *method,
                 const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                 ProtobufCMessage **resp, pw_call_result *res);
/* The same, failing the test (with the server's message) unless the
 * answer is PW_OK; returns the response (free it with
 * protobuf_c_message_free_unpacked). */
ProtobufCMessage *pw_test_call_ok(pw_test_server *t, const char *token, const char *method,
                                  const ProtobufCMessage *req,
                                  const ProtobufCMessageDescriptor *resp_desc);
/* The status; the response in *resp (NULL unless PW_OK), dropped when resp
 * is NULL; the result details discarded. */
int pw_test_call_resp(pw_test_server *t, const char *token, const char *method,
                      const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                      ProtobufCMessage **resp);
/* The same, discarding the response and the result details. */
int pw_test_call_status(pw_test_server *t, const char *token, const char *method,
                        const ProtobufCMessage *req);

/* An AddUnit request (the strings are not copied). */
Planwatch__V1__UnitInfo pw_test_unit_info(const char *id, const char *name, const char *category);

/* Admin shortcuts (fail the test on error). */
void pw_test_add_unit(pw_test_server *t, const char *id, const char *name, const char *category);
void pw_test_add_user(pw_test_server *t, const char *name, const char *role, const char *unit,
                      const char *password);
/* pw_test_add_user, then pw_test_login as that user into token. */
void pw_test_add_user_login(pw_test_server *t, const char *name, const char *role, const char *unit,
                            const char *password, char *token);
/* The two counties of the service tests: jishou 吉首市 and luxi 泸溪县. */
void pw_test_add_counties(pw_test_server *t);

/* The first of rows[0..n) (protobuf messages) whose string field at
 * key_offset equals key; NULL when there is none. */
const void *pw_test_find(void *const *rows, size_t n, size_t key_offset, const char *key);
/* pw_test_find in a repeated field of `type` messages by their `field`. */
#define PW_TEST_FIND(type, field, rows, n, key)                                                    \
    ((const type *)pw_test_find((void *const *)(rows), (n), offsetof(type, field), (key)))
/* The same, failing the test ("no <field> <key>") when there is none. */
const void *pw_test_get(void *const *rows, size_t n, size_t key_offset, const char *key,
                        const char *field);
#define PW_TEST_GET(type, field, rows, n, key)                                                     \
    ((const type *)pw_test_get((void *const *)(rows), (n), offsetof(type, field), (key), #field))

/* Run SQL directly on the test database file (fixtures, inspection).
 * pw_test_sql_int returns the first column of the first row. */
void pw_test_sql(pw_test_server *t, const char *sql);
long long pw_test_sql_int(pw_test_server *t, const char *sql);

/* The whole file at `path`, malloc'd with a NUL after its *len bytes, or
 * fails the test. */
char *pw_test_read_file(const char *path, size_t *len);

#endif
