/*
 * fuzz_rpc.c - libFuzzer target for the whole server-side path of one call:
 * Request envelope decode -> method table -> token -> role check -> payload
 * decode -> handler -> Response, through pw_rpc_process against a real
 * SQLite store (created once per process in a temp dir, with a plan, score
 * sheets, units and users, so that handlers go deep).
 *
 * Input layout: byte 0 picks the method (index into the method table),
 * byte 1 the token (0 none, 1 admin, 2 office, 3 reporter, 4 viewer,
 * 5 garbage), the rest is the method's payload.  With byte 1 >= 128 the
 * whole input is sent as the envelope itself.  Every input must produce a
 * Response that decodes, with a known status code.
 * Run: ./scripts/fuzz [SECONDS]
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/rpc/methods.h"
#include "server/rpc/rpc.h"
#include "server/server.h"
#include "tests/fuzz/fuzz.h"

static pw_server_config cfg;
static pw_store *store;
static pw_db *db;
static pw_arena arena;
static char tokens[6][80];

static void fuzz_set(const char *k, const char *v)
{
    char err[256];
    if (pw_config_set(&cfg, k, v, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_rpc: %s\n", err);
        abort();
    }
}

/* One call through pw_rpc_process; returns the status. */
static int fuzz_call(const char *method, const char *token, const ProtobufCMessage *req,
                     ProtobufCMessage **resp, const ProtobufCMessageDescriptor *rd)
{
    Planwatch__V1__Request env = PLANWATCH__V1__REQUEST__INIT;
    env.method = (char *)method;
    env.token = (char *)(token ? token : "");
    uint8_t payload[4096];
    if (req) {
        env.payload.len = protobuf_c_message_pack(req, payload);
        env.payload.data = payload;
    }
    uint8_t buf[8192];
    size_t n = planwatch__v1__request__pack(&env, buf);
    uint8_t *out;
    size_t outlen;
    pw_rpc_process(&cfg, store, db, &arena, buf, n, "fuzz", &out, &outlen);
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, outlen, out);
    FUZZ_CHECK(r);
    int st = r->status;
    if (resp && st == 0)
        *resp = protobuf_c_message_unpack(rd, NULL, r->payload.len, r->payload.data);
    planwatch__v1__response__free_unpacked(r, NULL);
    pw_arena_reset(&arena);
    return st;
}

static void fuzz_login(const char *user, const char *password, char *token)
{
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)user;
    req.password = (char *)password;
    ProtobufCMessage *resp = NULL;
    if (fuzz_call("/planwatch.v1.AuthService/Login", NULL, &req.base, &resp,
                  &planwatch__v1__login_response__descriptor) != 0 ||
        !resp) {
        fprintf(stderr, "fuzz_rpc: login %s failed\n", user);
        abort();
    }
    snprintf(token, 80, "%s", ((Planwatch__V1__LoginResponse *)resp)->token);
    protobuf_c_message_free_unpacked(resp, NULL);
}

static void fuzz_add_user(const char *name, const char *role, const char *unit)
{
    Planwatch__V1__AddUserRequest req = PLANWATCH__V1__ADD_USER_REQUEST__INIT;
    req.name = (char *)name;
    req.role = (char *)role;
    req.unit = (char *)(unit ? unit : "");
    req.password = "fuzzpass1";
    FUZZ_CHECK(fuzz_call("/planwatch.v1.AdminService/AddUser", tokens[1], &req.base, NULL, NULL) ==
               0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    char dir[] = "/tmp/pwfuzz-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char path[128], clock[128];
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    snprintf(clock, sizeof clock, "%s/clock", dir);
    FILE *f = fopen(clock, "w");
    fputs("2018-04-03T10:00:00+08:00\n", f);
    fclose(f);
    pw_config_defaults(&cfg);
    fuzz_set("db", path);
    fuzz_set("clock-file", clock);
    fuzz_set("pwhash-opslimit", "1");
    fuzz_set("pwhash-memlimit-kib", "8");
    fuzz_set("log-calls", "0");
    fuzz_set("login-max-failures", "1000");
    char err[512];
    if (pw_server_init_db(&cfg, "root", "fuzzpass1", err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_rpc: %s\n", err);
        abort();
    }
    /* a small plan and both sheets, as the importers would store them */
    sqlite3 *s;
    char *sqlerr = NULL;
    if (sqlite3_open(path, &s) != SQLITE_OK) {
        fprintf(stderr, "fuzz_rpc: cannot open %s\n", path);
        abort();
    }
    int src = sqlite3_exec(
        s,
        "INSERT INTO units VALUES ('jishou','吉首市','county',NULL,NULL,0),"
        " ('zhujian','州住建局','department',NULL,NULL,0);"
        "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
        " ('p','plan',2018,2018,0);"
        "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
        "('p','C1',1,'a','b','c','套','cumulative','up'),"
        " ('p','L1',2,'a','b','c','%','level','up'), "
        "('p','M1',3,'a','b','c','none','milestone','up');"
        "INSERT INTO indicator_units(plan_id,indicator_id,unit_id,role,seq) VALUES "
        "('p','C1','zhujian','lead',1);"
        "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
        "('p','C1',2018,'jishou',100,NULL), ('p','C1',2018,'',200,NULL),"
        " ('p','L1',2018,'jishou',60,50), ('p','M1',2018,'jishou',1,NULL);"
        "INSERT INTO sheets(category, imported_at) VALUES ('county',0), ('department',0);"
        "INSERT INTO sheet_items VALUES ('county',1,'g','t',20,'monthly_timeliness','deduct=0.5'),"
        " ('county',2,'g','w',70,'work_performance',''), ('county',3,'g','m',5,'manual',''),"
        " ('county',4,'g','e',5,'per_event','deduct=1'),"
        " ('department',1,'g','w',96,'work_performance',''),"
        " ('department',2,'g','a',4,'per_amount','per=1000;award=0.5;cap=4');",
        NULL, NULL, &sqlerr);
    if (src != SQLITE_OK) {
        /* a fixture that no longer matches the schema would fuzz an empty server */
        fprintf(stderr, "fuzz_rpc: fixture SQL failed: %s\n", sqlerr ? sqlerr : "?");
        abort();
    }
    sqlite3_close(s);
    if (pw_store_open(path, NULL, &store, err, sizeof err) != 0 ||
        pw_store_open_reader(store, &db, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_rpc: %s\n", err);
        abort();
    }
    pw_arena_init(&arena);
    fuzz_login("root", "fuzzpass1", tokens[1]);
    fuzz_add_user("office", "office", NULL);
    fuzz_add_user("li", "reporter", "jishou");
    fuzz_add_user("viewer", "viewer", NULL);
    fuzz_login("office", "fuzzpass1", tokens[2]);
    fuzz_login("li", "fuzzpass1", tokens[3]);
    fuzz_login("viewer", "fuzzpass1", tokens[4]);
    snprintf(tokens[5], sizeof tokens[5], "%064d", 7);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t *in;
    size_t inlen;
    uint8_t envbuf[1 << 16];
    if (data[1] >= 128) {
        in = (uint8_t *)data + 2; /* the rest is the envelope itself */
        inlen = size - 2;
    } else {
        const pw_method *m = &pw_methods[data[0] % pw_method_count];
        Planwatch__V1__Request env = PLANWATCH__V1__REQUEST__INIT;
        env.method = (char *)m->name;
        env.token = tokens[data[1] % 6];
        env.payload.data = (uint8_t *)data + 2;
        env.payload.len = size - 2;
        if (planwatch__v1__request__get_packed_size(&env) > sizeof envbuf)
            return 0;
        inlen = planwatch__v1__request__pack(&env, envbuf);
        in = envbuf;
    }
    uint8_t *out;
    size_t outlen;
    pw_rpc_process(&cfg, store, db, &arena, in, inlen, "fuzz", &out, &outlen);
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, outlen, out);
    FUZZ_CHECK(r);
    FUZZ_CHECK(r->status >= 0 && r->status <= 16);
    FUZZ_CHECK(r->status == 0 || r->message[0]);
    planwatch__v1__response__free_unpacked(r, NULL);
    pw_arena_reset(&arena);
    return 0;
}
