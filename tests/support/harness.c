#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"

static int pw_test_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

int pw_test_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof sin;
    cr_assert(bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
    cr_assert(getsockname(fd, (struct sockaddr *)&sin, &n) == 0);
    close(fd);
    return ntohs(sin.sin_port);
}

int pw_test_rmdir(const char *dir)
{
    return nftw(dir, pw_test_rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

pw_store *pw_test_store_open(const char *path)
{
    pw_store *st;
    char err[256];
    cr_assert_eq(pw_store_open(path, NULL, &st, err, sizeof err), 0, "%s", err);
    return st;
}

static void pw_test_set(pw_test_server *t, const char *k, const char *v)
{
    char err[256];
    cr_assert(pw_config_set(&t->cfg, k, v, err, sizeof err) == 0, "config %s: %s", k, err);
}

void pw_test_set_clock(pw_test_server *t, const char *iso)
{
    char tmp[320];
    snprintf(tmp, sizeof tmp, "%s.tmp", t->clock);
    FILE *f = fopen(tmp, "w");
    cr_assert(f);
    fprintf(f, "%s\n", iso);
    fclose(f);
    cr_assert(rename(tmp, t->clock) == 0);
}

void pw_test_server_start(pw_test_server *t, const char *clock_iso)
{
    pw_test_server_start_opts(t, clock_iso, NULL);
}

void pw_test_server_start_opts(pw_test_server *t, const char *clock_iso,
                               const char *const *settings)
{
    memset(t, 0, sizeof *t);
    cr_assert(sodium_init() >= 0);
    snprintf(t->dir, sizeof t->dir, "/tmp/pwtest-XXXXXX");
    cr_assert(mkdtemp(t->dir), "mkdtemp");
    snprintf(t->db, sizeof t->db, "%s/test.db", t->dir);
    snprintf(t->url, sizeof t->url, "ipc://%s/s.sock", t->dir);
    pw_config_defaults(&t->cfg);
    pw_test_set(t, "db", t->db);
    pw_test_set(t, "listen", t->url);
    pw_test_set(t, "pwhash-opslimit", "1");
    pw_test_set(t, "pwhash-memlimit-kib", "8");
    pw_test_set(t, "log-calls", "0");
    pw_test_set(t, "workers", "4");
    /* functional tests log in often as one local user; the limit itself
     * (on by default) is tested in test_limits.c with its own setting */
    pw_test_set(t, "rate-logins-per-min", "0");
    if (clock_iso) {
        snprintf(t->clock, sizeof t->clock, "%s/clock", t->dir);
        pw_test_set_clock(t, clock_iso);
        pw_test_set(t, "clock-file", t->clock);
    }
    for (size_t i = 0; settings && settings[i]; i += 2)
        pw_test_set(t, settings[i], settings[i + 1]);
    char err[512];
    cr_assert(pw_server_init_db(&t->cfg, "root", "rootpass1", err, sizeof err) == 0, "init: %s",
              err);
    cr_assert(pw_server_start(&t->cfg, &t->srv, err, sizeof err) == 0, "start: %s", err);
    cr_assert(pw_client_open(t->url, NULL, &t->client, err, sizeof err) == 0, "dial: %s", err);
    pw_test_login(t, "root", "rootpass1", t->admin_token);
}

void pw_test_server_stop(pw_test_server *t)
{
    pw_client_close(t->client);
    t->client = NULL;
    pw_server_stop(&t->srv);
    pw_config_fini(&t->cfg);
    if (pw_test_rmdir(t->dir) != 0)
        fprintf(stderr, "cannot remove %s\n", t->dir);
}

int pw_test_call(pw_test_server *t, const char *token, const char *method,
                 const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                 ProtobufCMessage **resp, pw_call_result *res)
{
    return pw_client_call(t->client, method, token, 10000, req, resp_desc, resp, res);
}

ProtobufCMessage *pw_test_call_ok(pw_test_server *t, const char *token, const char *method,
                                  const ProtobufCMessage *req,
                                  const ProtobufCMessageDescriptor *resp_desc)
{
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(t, token, method, req, resp_desc, &resp, &res);
    cr_assert_eq(st, PW_OK, "%s: %s (%d)", method, res.message, st);
    cr_assert_not_null(resp, "%s answered OK without a response", method);
    pw_call_result_fini(&res);
    return resp;
}

int pw_test_call_resp(pw_test_server *t, const char *token, const char *method,
                      const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
                      ProtobufCMessage **resp)
{
    ProtobufCMessage *got = NULL;
    pw_call_result res;
    int st = pw_test_call(t, token, method, req, resp_desc, &got, &res);
    pw_call_result_fini(&res);
    if (resp)
        *resp = got;
    else if (got)
        protobuf_c_message_free_unpacked(got, NULL);
    return st;
}

int pw_test_call_status(pw_test_server *t, const char *token, const char *method,
                        const ProtobufCMessage *req)
{
    return pw_test_call_resp(t, token, method, req, NULL, NULL);
}

void pw_test_login(pw_test_server *t, const char *user, const char *password, char *token)
{
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)user;
    req.password = (char *)password;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(t, NULL, "/planwatch.v1.AuthService/Login", &req.base,
                          &planwatch__v1__login_response__descriptor, &resp, &res);
    cr_assert_eq(st, 0, "login %s: %s", user, res.message);
    snprintf(token, 65, "%s", ((Planwatch__V1__LoginResponse *)resp)->token);
    protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);
}

/* An admin call that must succeed; the response is dropped. */
static void pw_test_admin_ok(pw_test_server *t, const char *method, const ProtobufCMessage *req,
                             const ProtobufCMessageDescriptor *resp_desc)
{
    protobuf_c_message_free_unpacked(pw_test_call_ok(t, t->admin_token, method, req, resp_desc),
                                     NULL);
}

Planwatch__V1__UnitInfo pw_test_unit_info(const char *id, const char *name, const char *category)
{
    Planwatch__V1__UnitInfo u = PLANWATCH__V1__UNIT_INFO__INIT;
    u.id = (char *)id;
    u.name = (char *)name;
    u.category = (char *)category;
    return u;
}

void pw_test_add_unit(pw_test_server *t, const char *id, const char *name, const char *category)
{
    Planwatch__V1__UnitInfo req = pw_test_unit_info(id, name, category);
    pw_test_admin_ok(t, "/planwatch.v1.AdminService/AddUnit", &req.base,
                     &planwatch__v1__unit_info__descriptor);
}

void pw_test_add_user(pw_test_server *t, const char *name, const char *role, const char *unit,
                      const char *password)
{
    Planwatch__V1__AddUserRequest req = PLANWATCH__V1__ADD_USER_REQUEST__INIT;
    req.name = (char *)name;
    req.role = (char *)role;
    req.unit = (char *)(unit ? unit : "");
    req.password = (char *)password;
    pw_test_admin_ok(t, "/planwatch.v1.AdminService/AddUser", &req.base,
                     &planwatch__v1__user_info__descriptor);
}

void pw_test_add_user_login(pw_test_server *t, const char *name, const char *role, const char *unit,
                            const char *password, char *token)
{
    pw_test_add_user(t, name, role, unit, password);
    pw_test_login(t, name, password, token);
}

void pw_test_add_counties(pw_test_server *t)
{
    pw_test_add_unit(t, "jishou", "吉首市", "county");
    pw_test_add_unit(t, "luxi", "泸溪县", "county");
}

const void *pw_test_find(void *const *rows, size_t n, size_t key_offset, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(*(char *const *)((const char *)rows[i] + key_offset), key) == 0)
            return rows[i];
    return NULL;
}

const void *pw_test_get(void *const *rows, size_t n, size_t key_offset, const char *key,
                        const char *field)
{
    const void *row = pw_test_find(rows, n, key_offset, key);
    cr_assert_not_null(row, "no %s %s", field, key);
    return row;
}

void pw_test_sql(pw_test_server *t, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(t->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    cr_assert_eq(rc, SQLITE_OK, "sql: %s: %s", sql, err ? err : "");
    sqlite3_close(db);
}

long long pw_test_sql_int(pw_test_server *t, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(t->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

char *pw_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "cannot read %s", path);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}
