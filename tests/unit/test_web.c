/*
 * test_web.c - the board's HTTP front (server/web/web.c) over a real
 * loopback socket, with nng's HTTP client: a route registered by another
 * file, /healthz without a session, the security headers of every reply,
 * a slow route that does not hold up the others, a body over the limit
 * refused with 413 before it is read.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/period.h"
#include "server/web/web.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char base[64];

static void teardown(void)
{
    pw_test_server_stop(&T);
}

static void start(const char *workers, const char *maxbody)
{
    snprintf(base, sizeof base, "http://127.0.0.1:%d", pw_test_free_port());
    const char *opts[] = {"http-listen",         base,    "workers", workers,
                          "http-max-body-bytes", maxbody, NULL};
    pw_test_server_start_opts(&T, NULL, opts);
}

/* the usual server: 2 workers, bodies up to 4096 bytes */
static void start_default(void)
{
    start("2", "4096");
}

typedef struct reply {
    int status;
    char body[4096];
    char csp[512], xfo[64], cache[64], extra[128];
} reply;

/* One request with nng's HTTP client; a body when `body` is not NULL.
 * Returns the HTTP status (also in r->status). */
static int fetch(const char *method, const char *path, const char *body, reply *r)
{
    nng_url *u;
    nng_http_client *c;
    nng_http_req *req;
    nng_http_res *res;
    nng_aio *aio;
    cr_assert_eq(nng_url_parse(&u, base), 0);
    cr_assert_eq(nng_http_client_alloc(&c, u), 0);
    cr_assert_eq(nng_http_req_alloc(&req, u), 0);
    cr_assert_eq(nng_http_res_alloc(&res), 0);
    cr_assert_eq(nng_aio_alloc(&aio, NULL, NULL), 0);
    nng_aio_set_timeout(aio, 10000);
    nng_http_req_set_method(req, method);
    nng_http_req_set_uri(req, path); /* as is: nng_url_parse would normalise escapes */
    if (body)
        nng_http_req_copy_data(req, body, strlen(body));
    nng_http_client_transact(c, req, res, aio);
    nng_aio_wait(aio);
    cr_assert_eq(nng_aio_result(aio), 0, "%s %s: %s", method, path,
                 nng_strerror(nng_aio_result(aio)));
    memset(r, 0, sizeof *r);
    r->status = nng_http_res_get_status(res);
    void *data;
    size_t len;
    nng_http_res_get_data(res, &data, &len);
    snprintf(r->body, sizeof r->body, "%.*s", (int)len, (const char *)data);
    const char *h;
    if ((h = nng_http_res_get_header(res, "Content-Security-Policy")))
        snprintf(r->csp, sizeof r->csp, "%s", h);
    if ((h = nng_http_res_get_header(res, "X-Frame-Options")))
        snprintf(r->xfo, sizeof r->xfo, "%s", h);
    if ((h = nng_http_res_get_header(res, "Cache-Control")))
        snprintf(r->cache, sizeof r->cache, "%s", h);
    if ((h = nng_http_res_get_header(res, "X-Test")))
        snprintf(r->extra, sizeof r->extra, "%s", h);
    nng_aio_free(aio);
    nng_http_res_free(res);
    nng_http_req_free(req);
    nng_http_client_free(c);
    nng_url_free(u);
    return r->status;
}

static void assert_security_headers(const reply *r)
{
    cr_assert(strstr(r->csp, "default-src 'none'") != NULL, "CSP: '%s'", r->csp);
    cr_assert(strstr(r->csp, "script-src") == NULL, "no script source at all: '%s'", r->csp);
    cr_assert_str_eq(r->xfo, "DENY");
}

/* the kind of route another file (/metrics) adds */
static int echo_route(pw_web_req *rq, pw_web_res *rs)
{
    char *text = pw_arena_printf(rq->arena, "%s %s ?%s body=%zu\n", rq->method, rq->path, rq->query,
                                 rq->body_len);
    pw_web_res_set(rs, 200, "text/plain; version=0.0.4", text, strlen(text));
    pw_web_res_header(rs, "X-Test", "yes");
    return 0;
}
PW_WEB_ROUTE("/t/echo", echo_route)

static int slow_route(pw_web_req *rq, pw_web_res *rs)
{
    usleep(1500 * 1000);
    pw_web_res_set(rs, 200, "text/plain", "slow\n", 5);
    return 0;
}

static int post_route(pw_web_req *rq, pw_web_res *rs)
{
    char *text = pw_arena_printf(rq->arena, "got %zu: %s", rq->body_len, (const char *)rq->body);
    pw_web_res_set(rs, 200, "text/plain", text, strlen(text));
    return 0;
}

Test(web, route_added_by_another_file_is_served_with_security_headers, .init = start_default,
     .fini = teardown, .timeout = 60)
{
    reply r;
    cr_assert_eq(fetch("GET", "/t/echo?x=1&y=%41", NULL, &r), 200);
    cr_assert_str_eq(r.body, "GET /t/echo ?x=1&y=%41 body=0\n");
    cr_assert_str_eq(r.extra, "yes");
    cr_assert_str_eq(r.cache, "no-store");
    assert_security_headers(&r);
    /* the path is percent-decoded before routing */
    cr_assert_eq(fetch("GET", "/t/%65cho", NULL, &r), 200);
    cr_assert_str_eq(r.body, "GET /t/echo ? body=0\n");
    /* a GET route answers HEAD too, not POST */
    cr_assert_eq(fetch("POST", "/t/echo", "a=1", &r), 405);
    assert_security_headers(&r);
}

Test(web, healthz_needs_no_session_and_unknown_paths_are_404_with_headers, .init = start_default,
     .fini = teardown, .timeout = 60)
{
    reply r;
    cr_assert_eq(fetch("GET", "/healthz", NULL, &r), 200);
    cr_assert_str_eq(r.body, "ok\n");
    assert_security_headers(&r);
    cr_assert_eq(fetch("GET", "/no/such/page", NULL, &r), 404);
    assert_security_headers(&r);
    cr_assert_str_eq(r.cache, "no-store");
    cr_assert_eq(fetch("GET", "/bad%zzescape", NULL, &r), 400);
    assert_security_headers(&r);
    cr_assert_eq(fetch("GET", "/nul%00byte", NULL, &r), 400);
}

static int slow_status;
static void *slow_fetch(void *arg)
{
    reply r;
    fetch("GET", "/t/slow", NULL, &r);
    slow_status = r.status;
    return NULL;
}

Test(web, a_slow_route_does_not_hold_up_others, .fini = teardown, .timeout = 60)
{
    cr_assert_eq(pw_web_route_add("/t/slow", slow_route), 0);
    start("2", "4096");
    /* the slow request from another thread of this test */
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, slow_fetch, NULL), 0);
    usleep(200 * 1000); /* the slow one is in a worker now */
    int64_t t0 = pw_monotonic_us();
    reply r;
    fetch("GET", "/healthz", NULL, &r);
    int64_t us = pw_monotonic_us() - t0;
    cr_assert_eq(r.status, 200);
    cr_assert_lt(us, 700 * 1000, "/healthz took %lld us while a route slept", (long long)us);
    pthread_join(th, NULL);
    cr_assert_eq(slow_status, 200, "the slow request failed");
}

static void *slow_fetch_any(void *arg)
{
    /* the reply may be lost with the connection: only the stop matters */
    char url[128];
    snprintf(url, sizeof url, "%s", base);
    nng_url *u;
    nng_http_client *c;
    nng_http_req *req;
    nng_http_res *res;
    nng_aio *aio;
    if (nng_url_parse(&u, url) || nng_http_client_alloc(&c, u) || nng_http_req_alloc(&req, u) ||
        nng_http_res_alloc(&res) || nng_aio_alloc(&aio, NULL, NULL))
        return NULL;
    nng_http_req_set_uri(req, "/t/slow");
    nng_aio_set_timeout(aio, 10000);
    nng_http_client_transact(c, req, res, aio);
    nng_aio_wait(aio);
    *(int *)arg = nng_aio_result(aio) == 0 ? nng_http_res_get_status(res) : -1;
    nng_aio_free(aio);
    nng_http_res_free(res);
    nng_http_req_free(req);
    nng_http_client_free(c);
    nng_url_free(u);
    return NULL;
}

Test(web, stopping_with_a_request_in_flight_finishes_it_and_returns, .timeout = 60)
{
    pw_web_route_add("/t/slow", slow_route);
    start("2", "4096");
    int status = 0;
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, slow_fetch_any, &status), 0);
    usleep(300 * 1000); /* the request sleeps in a worker now */
    int64_t t0 = pw_monotonic_us();
    pw_test_server_stop(&T);
    int64_t us = pw_monotonic_us() - t0;
    pthread_join(th, NULL);
    /* the stop waited for the worker (the route sleeps 1.5 s), no longer */
    cr_assert_lt(us, 5 * 1000 * 1000, "stop took %lld us", (long long)us);
    cr_assert(status == 200 || status == -1, "status %d", status);
}

Test(web, bodies_are_read_up_to_the_limit_and_refused_above_it, .fini = teardown, .timeout = 60)
{
    cr_assert_eq(pw_web_route_add_method("POST", "/t/post", post_route), 0);
    start("2", "1024");
    reply r;
    cr_assert_eq(fetch("POST", "/t/post", "name=value", &r), 200);
    cr_assert_str_eq(r.body, "got 10: name=value");
    char big[1100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_assert_eq(fetch("POST", "/t/post", big, &r), 413);
    cr_assert(strstr(r.body, "exceeds the limit of 1024 bytes") != NULL, "%s", r.body);
    assert_security_headers(&r);
}

Test(web, board_urls_are_checked, .timeout = 60)
{
    pw_test_server t;
    memset(&t, 0, sizeof t);
    pw_server_config c;
    pw_config_defaults(&c);
    char err[512];
    cr_assert_eq(pw_config_set(&c, "http-listen", "ftp://127.0.0.1:1", err, sizeof err), 0);
    cr_assert_eq(pw_config_set(&c, "listen", "ipc:///tmp/pw-web-never.sock", err, sizeof err), 0);
    cr_assert_eq(pw_config_set(&c, "db", "/tmp/pw-web-never.db", err, sizeof err), 0);
    pw_server s;
    cr_assert_neq(pw_server_start(&c, &s, err, sizeof err), 0);
    cr_assert(strstr(err, "use http:// or https://") != NULL, "%s", err);
    pw_config_fini(&c);
}
