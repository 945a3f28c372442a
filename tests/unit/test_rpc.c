/*
 * test_rpc.c - the RPC path over a real nng ipc:// socket and a real SQLite
 * file: envelopes, statuses, authentication, roles, bad input.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/rpc/rpc.h"
#include "tests/support/harness.h"

static pw_test_server T;

static void setup(void)
{
    pw_test_server_start(&T, "2018-03-01T09:00:00+08:00");
    pw_test_add_unit(&T, "jishou", "吉首市", "county");
    pw_test_add_user(&T, "li", "reporter", "jishou", "reporter11");
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(rpc, .init = setup, .fini = teardown, .timeout = 60);

static int login_status(const char *user, const char *password)
{
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)user;
    req.password = (char *)password;
    return pw_test_call_status(&T, NULL, "/planwatch.v1.AuthService/Login", &req.base);
}

static int ping(const char *token)
{
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    return pw_test_call_status(&T, token, "/planwatch.v1.AuthService/Ping", &e.base);
}

/* AdminService AddUnit / AddUser as admin: the status. */
static int admin_add_unit(const Planwatch__V1__UnitInfo *u)
{
    return pw_test_call_status(&T, T.admin_token, "/planwatch.v1.AdminService/AddUnit", &u->base);
}

static int admin_add_user(const Planwatch__V1__AddUserRequest *a)
{
    return pw_test_call_status(&T, T.admin_token, "/planwatch.v1.AdminService/AddUser", &a->base);
}

Test(rpc, wrong_password_is_unauthenticated)
{
    cr_assert_eq(login_status("li", "not-the-password"), PW_UNAUTHENTICATED);
    cr_assert_eq(login_status("nobody", "reporter11"), PW_UNAUTHENTICATED);
    cr_assert_eq(login_status("li", "reporter11"), PW_OK);
}

Test(rpc, whoami_returns_unit_with_chinese_name)
{
    char tok[80];
    pw_test_login(&T, "li", "reporter11", tok);
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    ProtobufCMessage *resp;
    pw_call_result res;
    cr_assert_eq(pw_test_call(&T, tok, "/planwatch.v1.AuthService/WhoAmI", &e.base,
                              &planwatch__v1__user_info__descriptor, &resp, &res),
                 PW_OK);
    Planwatch__V1__UserInfo *u = (Planwatch__V1__UserInfo *)resp;
    cr_assert_str_eq(u->name, "li");
    cr_assert_str_eq(u->role, "reporter");
    cr_assert_str_eq(u->unit, "jishou");
    cr_assert_str_eq(u->unit_name, "吉首市");
    protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);
}

Test(rpc, reporter_calling_admin_method_is_denied)
{
    char tok[80];
    pw_test_login(&T, "li", "reporter11", tok);
    Planwatch__V1__UnitInfo u = pw_test_unit_info("luxi", "泸溪县", "county");
    cr_assert_eq(pw_test_call_status(&T, tok, "/planwatch.v1.AdminService/AddUnit", &u.base),
                 PW_PERMISSION_DENIED);
    /* and nothing was added */
    cr_assert_eq(admin_add_unit(&u), PW_OK);
}

Test(rpc, no_token_is_unauthenticated)
{
    cr_assert_eq(ping(NULL), PW_UNAUTHENTICATED);
    cr_assert_eq(ping("00"), PW_UNAUTHENTICATED);
    cr_assert_eq(ping("0000000000000000000000000000000000000000000000000000000000000000"),
                 PW_UNAUTHENTICATED);
    cr_assert_eq(ping(T.admin_token), PW_OK);
}

Test(rpc, disabled_user_token_stops_working)
{
    char tok[80];
    pw_test_login(&T, "li", "reporter11", tok);
    cr_assert_eq(ping(tok), PW_OK);
    Planwatch__V1__UserNameRequest r = PLANWATCH__V1__USER_NAME_REQUEST__INIT;
    r.name = "li";
    cr_assert_eq(
        pw_test_call_status(&T, T.admin_token, "/planwatch.v1.AdminService/DisableUser", &r.base),
        PW_OK);
    cr_assert_eq(ping(tok), PW_UNAUTHENTICATED);
    cr_assert_eq(login_status("li", "reporter11"), PW_UNAUTHENTICATED);
}

Test(rpc, logout_revokes_the_token)
{
    char tok[80];
    pw_test_login(&T, "li", "reporter11", tok);
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    cr_assert_eq(pw_test_call_status(&T, tok, "/planwatch.v1.AuthService/Logout", &e.base), PW_OK);
    cr_assert_eq(ping(tok), PW_UNAUTHENTICATED);
}

Test(rpc, session_expires_with_the_server_clock)
{
    char tok[80];
    pw_test_login(&T, "li", "reporter11", tok);
    pw_test_set_clock(&T, "2018-03-01T20:59:59+08:00"); /* 12 h minus 1 s later */
    cr_assert_eq(ping(tok), PW_OK);
    pw_test_set_clock(&T, "2018-03-01T21:00:00+08:00");
    cr_assert_eq(ping(tok), PW_UNAUTHENTICATED);
}

/* failed logins slow down the source instead of locking the account:
 * tests/unit/test_login.c */

static int raw_status(const void *buf, size_t len, uint64_t *call_id)
{
    uint8_t *reply;
    size_t n;
    char err[256];
    cr_assert_eq(pw_client_call_raw(T.client, buf, len, 10000, &reply, &n, err, sizeof err), 0,
                 "%s", err);
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, n, reply);
    free(reply);
    cr_assert(r, "reply is a Response");
    int st = r->status;
    if (call_id)
        *call_id = r->call_id;
    cr_assert(st == PW_OK || r->message[0], "error replies carry a message");
    planwatch__v1__response__free_unpacked(r, NULL);
    return st;
}

Test(rpc, random_bytes_get_invalid_argument_and_server_keeps_serving)
{
    uint8_t junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 131 + 7);
    cr_assert_eq(raw_status(junk, sizeof junk, NULL), PW_INVALID_ARGUMENT);
    cr_assert_eq(raw_status("", 0, NULL), PW_UNIMPLEMENTED); /* empty envelope: no method */
    cr_assert_eq(ping(T.admin_token), PW_OK);
}

Test(rpc, oversize_message_is_refused_before_decoding)
{
    size_t n = 5u << 20;
    uint8_t *big = malloc(n);
    memset(big, 0x0a, n);
    cr_assert_eq(raw_status(big, n, NULL), PW_RESOURCE_EXHAUSTED);
    free(big);
    cr_assert_eq(ping(T.admin_token), PW_OK);
}

Test(rpc, unknown_method_is_unimplemented_and_call_id_echoed)
{
    Planwatch__V1__Request r = PLANWATCH__V1__REQUEST__INIT;
    r.method = "/planwatch.v1.NoSuchService/Nothing";
    r.call_id = 4242;
    r.token = T.admin_token;
    uint8_t buf[512];
    size_t n = planwatch__v1__request__pack(&r, buf);
    uint64_t id = 0;
    cr_assert_eq(raw_status(buf, n, &id), PW_UNIMPLEMENTED);
    cr_assert_eq(id, 4242);
}

Test(rpc, undecodable_payload_is_invalid_argument)
{
    Planwatch__V1__Request r = PLANWATCH__V1__REQUEST__INIT;
    r.method = "/planwatch.v1.AdminService/AddUnit";
    r.token = T.admin_token;
    uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0xff};
    r.payload.data = junk;
    r.payload.len = sizeof junk;
    uint8_t buf[512];
    size_t n = planwatch__v1__request__pack(&r, buf);
    cr_assert_eq(raw_status(buf, n, NULL), PW_INVALID_ARGUMENT);
}

Test(rpc, bad_input_changes_nothing)
{
    static const struct {
        const char *id, *category, *active_from;
        int want;
    } units[] = {
        {"Bad Id", "county", "", PW_INVALID_ARGUMENT},
        {"ok", "province", "", PW_INVALID_ARGUMENT},
        {"ok", "county", "2018-02-30", PW_INVALID_ARGUMENT},
        {"jishou", "county", "", PW_ALREADY_EXISTS},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        Planwatch__V1__UnitInfo u = pw_test_unit_info(units[i].id, "x", units[i].category);
        u.active_from = (char *)units[i].active_from;
        cr_assert_eq(admin_add_unit(&u), units[i].want, "unit %s %s %s", units[i].id,
                     units[i].category, units[i].active_from);
    }
    static const struct {
        const char *name, *role, *unit, *password;
        int want;
    } users[] = {
        {"wang", "reporter", "nowhere", "longenough", PW_NOT_FOUND},
        {"wang", "reporter", "jishou", "short", PW_INVALID_ARGUMENT},
        {"wang", "office", "jishou", "longenough", PW_INVALID_ARGUMENT}, /* office: no unit */
    };
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        Planwatch__V1__AddUserRequest a = PLANWATCH__V1__ADD_USER_REQUEST__INIT;
        a.name = (char *)users[i].name;
        a.role = (char *)users[i].role;
        a.unit = (char *)users[i].unit;
        a.password = (char *)users[i].password;
        cr_assert_eq(admin_add_user(&a), users[i].want, "user %s %s %s", users[i].role,
                     users[i].unit, users[i].password);
    }
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    ProtobufCMessage *resp;
    pw_call_result res;
    cr_assert_eq(pw_test_call(&T, T.admin_token, "/planwatch.v1.AdminService/ListUnits", &e.base,
                              &planwatch__v1__list_units_response__descriptor, &resp, &res),
                 PW_OK);
    cr_assert_eq(((Planwatch__V1__ListUnitsResponse *)resp)->n_units, 1);
    protobuf_c_message_free_unpacked(resp, NULL);
    cr_assert_eq(pw_test_call(&T, T.admin_token, "/planwatch.v1.AdminService/ListUsers", &e.base,
                              &planwatch__v1__list_users_response__descriptor, &resp, &res),
                 PW_OK);
    cr_assert_eq(((Planwatch__V1__ListUsersResponse *)resp)->n_users, 2);
    protobuf_c_message_free_unpacked(resp, NULL);
}

/* several clients at once: every call answered, each with its own reply */
static void *pinger(void *arg)
{
    const char *url = arg;
    pw_client *c;
    char err[256];
    if (pw_client_open(url, NULL, &c, err, sizeof err) != 0)
        return (void *)1;
    intptr_t bad = 0;
    for (int i = 0; i < 50; i++) {
        Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
        ProtobufCMessage *resp = NULL;
        pw_call_result res;
        if (pw_client_call(c, "/planwatch.v1.AuthService/Ping", T.admin_token, 10000, &e.base,
                           &planwatch__v1__empty__descriptor, &resp, &res) != PW_OK)
            bad++;
        if (resp)
            protobuf_c_message_free_unpacked(resp, NULL);
        pw_call_result_fini(&res);
    }
    pw_client_close(c);
    return (void *)bad;
}

Test(rpc, concurrent_clients_are_all_answered)
{
    pthread_t th[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&th[i], NULL, pinger, T.url);
    for (int i = 0; i < 8; i++) {
        void *bad;
        pthread_join(th[i], &bad);
        cr_assert_eq((intptr_t)bad, 0);
    }
}

/* ---- per-call memory budget (issue 10 item 4) ---------------------------- */

/* `n` bytes of one-byte varint fields numbered 15 (key 0x78, value 1):
 * about n/2 fields, none of them declared by any planwatch message. */
static uint8_t *unknown_fields(size_t n)
{
    uint8_t *b = malloc(n);
    cr_assert(b);
    for (size_t i = 0; i + 1 < n; i += 2) {
        b[i] = 0x78;
        b[i + 1] = 0x01;
    }
    return b;
}

/* pw_rpc_process on the test server's store with a fresh arena: the status
 * and the bytes the call took from its arena. */
static int process_direct(const uint8_t *in, size_t n, size_t *arena_bytes)
{
    pw_db *db;
    char err[256];
    cr_assert_eq(pw_store_open_reader(T.srv.store, &db, err, sizeof err), 0, "%s", err);
    pw_arena arena;
    pw_arena_init(&arena);
    uint8_t *out;
    size_t outlen;
    pw_rpc_process(&T.cfg, T.srv.store, db, &arena, in, n, "test", &out, &outlen);
    *arena_bytes = arena.total;
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, outlen, out);
    cr_assert(r);
    int st = r->status;
    planwatch__v1__response__free_unpacked(r, NULL);
    pw_arena_fini(&arena);
    pw_db_close(db);
    return st;
}

Test(rpc, envelope_of_unknown_fields_is_refused_without_decoding)
{
    size_t n = (4u << 20) - 64, used = 0;
    uint8_t *in = unknown_fields(n); /* ~2 M fields */
    cr_assert_eq(process_direct(in, n, &used), PW_INVALID_ARGUMENT);
    cr_assert_lt(used, 64u * 1024, "the refusal took %zu bytes", used);
    /* one unknown field after valid ones is refused too, and named */
    Planwatch__V1__Request r = PLANWATCH__V1__REQUEST__INIT;
    r.method = "/planwatch.v1.AuthService/Ping";
    uint8_t buf[256];
    size_t len = planwatch__v1__request__pack(&r, buf);
    buf[len++] = 0x78;
    buf[len++] = 0x01;
    uint8_t *reply;
    size_t rn;
    char err_buf[256];
    cr_assert_eq(
        pw_client_call_raw(T.client, buf, len, 10000, &reply, &rn, err_buf, sizeof err_buf), 0);
    Planwatch__V1__Response *resp = planwatch__v1__response__unpack(NULL, rn, reply);
    free(reply);
    cr_assert_eq(resp->status, PW_INVALID_ARGUMENT);
    cr_assert(strstr(resp->message, "unknown field 15"), "%s", resp->message);
    planwatch__v1__response__free_unpacked(resp, NULL);
    free(in);
    cr_assert_eq(ping(T.admin_token), PW_OK);
}

Test(rpc, payload_of_unknown_fields_stops_at_the_decode_budget)
{
    size_t n = (4u << 20) - 256, used = 0;
    Planwatch__V1__Request r = PLANWATCH__V1__REQUEST__INIT;
    r.method = "/planwatch.v1.AuthService/Login";
    r.payload.data = unknown_fields(n);
    r.payload.len = n;
    size_t len = planwatch__v1__request__get_packed_size(&r);
    uint8_t *in = malloc(len);
    planwatch__v1__request__pack(&r, in);
    cr_assert_eq(process_direct(in, len, &used), PW_RESOURCE_EXHAUSTED);
    cr_assert_leq(used, (size_t)T.cfg.decode_budget_bytes + (1u << 20),
                  "the call took %zu bytes (budget %lld)", used,
                  (long long)T.cfg.decode_budget_bytes);
    free(in);
    free(r.payload.data);
    cr_assert_eq(ping(T.admin_token), PW_OK);
}

/* The reply bytes protobuf-c gives for the envelope with the payload packed
 * apart (how replies were made before the payload was packed in place): an
 * empty payload (Empty) is left out, as protobuf-c leaves out any empty
 * bytes field. */
static void check_envelope_bytes(const uint8_t *reply, size_t n, const char *what)
{
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, n, reply);
    cr_assert(r, "%s: reply is a Response", what);
    size_t want_n = planwatch__v1__response__get_packed_size(r);
    uint8_t *want = malloc(want_n ? want_n : 1);
    cr_assert_eq(planwatch__v1__response__pack(r, want), want_n);
    cr_assert_eq(n, want_n, "%s: %zu bytes, protobuf-c packs %zu", what, n, want_n);
    cr_assert(memcmp(reply, want, n) == 0, "%s: bytes differ", what);
    free(want);
    planwatch__v1__response__free_unpacked(r, NULL);
}

/* One request through the socket (the worker) and through pw_rpc_process:
 * the same bytes, and the bytes protobuf-c packs. */
static void check_reply_bytes(const char *method, const char *token, uint64_t call_id,
                              const ProtobufCMessage *payload, const char *what)
{
    Planwatch__V1__Request r = PLANWATCH__V1__REQUEST__INIT;
    r.method = (char *)method;
    r.token = (char *)(token ? token : "");
    r.call_id = call_id;
    uint8_t pbuf[4096];
    if (payload) {
        r.payload.len = protobuf_c_message_pack(payload, pbuf);
        r.payload.data = pbuf;
    }
    uint8_t buf[8192];
    size_t len = planwatch__v1__request__pack(&r, buf);
    uint8_t *reply;
    size_t n;
    char err[256];
    cr_assert_eq(pw_client_call_raw(T.client, buf, len, 10000, &reply, &n, err, sizeof err), 0,
                 "%s", err);
    check_envelope_bytes(reply, n, what);
    pw_db *db;
    cr_assert_eq(pw_store_open_reader(T.srv.store, &db, err, sizeof err), 0, "%s", err);
    pw_arena arena;
    pw_arena_init(&arena);
    uint8_t *out;
    size_t outlen;
    pw_rpc_process(&T.cfg, T.srv.store, db, &arena, buf, len, "test", &out, &outlen);
    check_envelope_bytes(out, outlen, what);
    cr_assert_eq(outlen, n, "%s: socket and direct replies differ in size", what);
    cr_assert(memcmp(out, reply, n) == 0, "%s: socket and direct replies differ", what);
    pw_arena_fini(&arena);
    pw_db_close(db);
    free(reply);
}

Test(rpc, reply_envelope_is_what_protobuf_c_packs)
{
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    check_reply_bytes("/planwatch.v1.AuthService/Ping", T.admin_token, 7, &e.base, "empty payload");
    check_reply_bytes("/planwatch.v1.AuthService/WhoAmI", T.admin_token, 8, &e.base,
                      "small payload");
    check_reply_bytes("/planwatch.v1.NoSuchService/Nothing", T.admin_token, 4242, NULL,
                      "error, no payload");
    check_reply_bytes("/planwatch.v1.AuthService/Ping", NULL, 0, &e.base, "unauthenticated");
    Planwatch__V1__UnitInfo bad = pw_test_unit_info("", "", "nowhere");
    check_reply_bytes("/planwatch.v1.AdminService/AddUnit", T.admin_token, 9, &bad.base,
                      "violations");
    /* payloads whose length takes two and three varint bytes */
    char id[32], name[32];
    for (int i = 0; i < 400; i++) {
        snprintf(id, sizeof id, "unit%04d", i);
        snprintf(name, sizeof name, "县%04d", i);
        pw_test_add_unit(&T, id, name, "county");
        if (i == 1)
            check_reply_bytes("/planwatch.v1.AdminService/ListUnits", T.admin_token, 10, &e.base,
                              "payload over 127 bytes");
    }
    check_reply_bytes("/planwatch.v1.AdminService/ListUnits", T.admin_token, 11, &e.base,
                      "payload over 16 KiB");
}
