/*
 * test_limits.c - abuse limits over the real socket: per-peer login rate,
 * per-user call rate, values per report, text length, call deadlines.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "tests/support/harness.h"

static pw_test_server T;

static void teardown(void)
{
    pw_test_server_stop(&T);
}

static int login(const char *user, const char *password)
{
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)user;
    req.password = (char *)password;
    return pw_test_call_status(&T, NULL, "/planwatch.v1.AuthService/Login", &req.base);
}

Test(limits, logins_per_peer_are_rate_limited, .fini = teardown, .timeout = 60)
{
    static const char *const opts[] = {"rate-logins-per-min", "5", NULL};
    pw_test_server_start_opts(&T, NULL, opts); /* the harness logs in once */
    int ok = 0, limited = 0;
    for (int i = 0; i < 8; i++) {
        int st = login("root", "rootpass1");
        ok += st == PW_OK;
        limited += st == PW_RESOURCE_EXHAUSTED;
    }
    cr_assert_eq(ok, 4, "a burst of 5 a minute, one used by the harness");
    cr_assert_eq(limited, 4);
}

Test(limits, calls_per_user_are_rate_limited, .fini = teardown, .timeout = 60)
{
    static const char *const opts[] = {"rate-calls-per-s", "20", NULL};
    pw_test_server_start_opts(&T, NULL, opts);
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    int ok = 0, limited = 0;
    for (int i = 0; i < 60; i++) {
        int st = pw_test_call_status(&T, T.admin_token, "/planwatch.v1.AuthService/Ping", &e.base);
        ok += st == PW_OK;
        limited += st == PW_RESOURCE_EXHAUSTED;
    }
    cr_assert(ok >= 20 && ok < 40, "ok %d", ok);
    cr_assert_eq(ok + limited, 60);
}

Test(limits, too_many_values_and_too_long_texts_are_refused, .fini = teardown, .timeout = 60)
{
    static const char *const opts[] = {"max-values-per-report", "3", "max-text-bytes", "100", NULL};
    pw_test_server_start_opts(&T, "2018-02-03T09:00:00+08:00", opts);
    pw_test_add_unit(&T, "jishou", "吉首市", "county");
    char li[80];
    pw_test_add_user_login(&T, "li", "reporter", "jishou", "reporter11", li);
    pw_test_sql(&T,
                "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
                "('p', 'plan', 2018, 2018, 0);"
                "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) "
                "VALUES ('p','C1',1,'a','b','c','套','level','up');"
                "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) VALUES "
                "('p','C1',2018,'jishou',100,NULL);");
    Planwatch__V1__ReportValue v = PLANWATCH__V1__REPORT_VALUE__INIT;
    v.indicator = "C1";
    v.value = "1";
    Planwatch__V1__ReportValue *vp[4] = {&v, &v, &v, &v};
    Planwatch__V1__SubmitReportRequest r = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    r.period = "2018-01";
    r.submission_id = "lim-1";
    r.values = vp;
    r.n_values = 4;
    pw_call_result res;
    ProtobufCMessage *resp = NULL;
    cr_assert_eq(pw_test_call(&T, li, "/planwatch.v1.ReportService/Submit", &r.base,
                              &planwatch__v1__receipt__descriptor, &resp, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert(strstr(res.message, "4 values, more than the 3 allowed"), "%s", res.message);
    pw_call_result_fini(&res);
    r.n_values = 1;
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    r.problems = big;
    cr_assert_eq(pw_test_call(&T, li, "/planwatch.v1.ReportService/Submit", &r.base,
                              &planwatch__v1__receipt__descriptor, &resp, &res),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(res.nviolations, 1);
    cr_assert_str_eq(res.fields[0], "problems");
    pw_call_result_fini(&res);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM report_versions"), 0);
}

Test(limits, a_call_past_its_deadline_does_nothing, .fini = teardown, .timeout = 60)
{
    /* the shipped password hashing takes tens of milliseconds: a call with
     * a 1 ms deadline is past it when its write reaches the writer */
    static const char *const opts[] = {"pwhash-opslimit", "4", "pwhash-memlimit-kib", "9216", NULL};
    pw_test_server_start_opts(&T, NULL, opts);
    Planwatch__V1__AddUserRequest a = PLANWATCH__V1__ADD_USER_REQUEST__INIT;
    a.name = "late";
    a.role = "viewer";
    a.password = "longenough1";
    Planwatch__V1__Request env = PLANWATCH__V1__REQUEST__INIT;
    env.method = "/planwatch.v1.AdminService/AddUser";
    env.token = T.admin_token;
    env.timeout_ms = 1;
    uint8_t payload[256], buf[512];
    env.payload.len = planwatch__v1__add_user_request__pack(&a, payload);
    env.payload.data = payload;
    size_t n = planwatch__v1__request__pack(&env, buf);
    uint8_t *reply;
    size_t replylen;
    char err[256];
    cr_assert_eq(pw_client_call_raw(T.client, buf, n, 10000, &reply, &replylen, err, sizeof err),
                 0);
    Planwatch__V1__Response *r = planwatch__v1__response__unpack(NULL, replylen, reply);
    free(reply);
    cr_assert(r);
    cr_assert_eq(r->status, PW_DEADLINE_EXCEEDED, "%s", r->message);
    planwatch__v1__response__free_unpacked(r, NULL);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM users WHERE name = 'late'"), 0,
                 "a call past its deadline stored nothing");
}

/* ---- the source key (issue 10 item 7) ------------------------------------ */

#include <arpa/inet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/rpc/peer.h"

static void key6(const char *addr, char *buf, size_t len)
{
    nng_sockaddr sa;
    memset(&sa, 0, sizeof sa);
    sa.s_in6.sa_family = NNG_AF_INET6;
    cr_assert_eq(inet_pton(AF_INET6, addr, sa.s_in6.sa_addr), 1);
    sa.s_in6.sa_port = htons(40000);
    pw_peer_key(&sa, -1, buf, len);
}

Test(limits, source_key_is_the_address_ipv6_by_64_or_the_uid)
{
    char a[80], b[80];
    nng_sockaddr sa;
    memset(&sa, 0, sizeof sa);
    sa.s_in.sa_family = NNG_AF_INET;
    sa.s_in.sa_addr = htonl(0xc0000207); /* 192.0.2.7 */
    sa.s_in.sa_port = htons(1111);
    pw_peer_key(&sa, -1, a, sizeof a);
    sa.s_in.sa_port = htons(2222);
    pw_peer_key(&sa, -1, b, sizeof b);
    cr_assert_str_eq(a, "ip4:192.0.2.7");
    cr_assert_str_eq(a, b, "the port is not part of the key");
    key6("2001:db8:1:2::5", a, sizeof a);
    key6("2001:db8:1:2:ffff:1:2:3", b, sizeof b);
    cr_assert_str_eq(a, "ip6:2001:db8:1:2::/64");
    cr_assert_str_eq(a, b, "one /64, one key");
    key6("2001:db8:1:3::5", b, sizeof b);
    cr_assert_str_neq(a, b);
    key6("::ffff:192.0.2.7", b, sizeof b);
    cr_assert_str_eq(b, "ip4:192.0.2.7", "IPv4-mapped is IPv4");
    memset(&sa, 0, sizeof sa);
    sa.s_ipc.sa_family = NNG_AF_IPC;
    pw_peer_key(&sa, 1000, a, sizeof a);
    pw_peer_key(&sa, 1001, b, sizeof b);
    cr_assert_str_eq(a, "uid:1000");
    cr_assert_str_neq(a, b, "two local users, two keys");
}

Test(limits, login_rate_limit_is_on_by_default)
{
    pw_server_config cfg;
    pw_config_defaults(&cfg);
    cr_assert_gt(cfg.rate_logins_per_min, 0);
    cr_assert_leq(cfg.rate_logins_per_min, 600);
}

Test(limits, new_connections_share_their_address_login_budget, .fini = teardown, .timeout = 60)
{
    char url[64];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", pw_test_free_port());
    const char *const opts[] = {"rate-logins-per-min", "5", "listen", url, NULL};
    pw_test_server_start_opts(&T, NULL, opts);
    int ok = 0, limited = 0;
    for (int i = 0; i < 8; i++) { /* a fresh connection (a new port) each time */
        pw_client *c;
        char err[256];
        cr_assert_eq(pw_client_open(url, NULL, &c, err, sizeof err), 0, "%s", err);
        Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
        req.user = "root";
        req.password = "rootpass1";
        ProtobufCMessage *resp = NULL;
        pw_call_result res;
        /* only the status counts: no descriptor, nothing unpacked */
        int st = pw_client_call(c, "/planwatch.v1.AuthService/Login", NULL, 10000, &req.base, NULL,
                                &resp, &res);
        pw_call_result_fini(&res);
        pw_client_close(c);
        ok += st == PW_OK;
        limited += st == PW_RESOURCE_EXHAUSTED;
    }
    cr_assert_eq(ok, 5, "a burst of 5 a minute for 127.0.0.1, whatever the port (ok %d)", ok);
    cr_assert_eq(limited, 3);
}
