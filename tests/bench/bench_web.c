/*
 * bench_web.c - B6, the board (SPEC 4.4, issue 16): the published ranking
 * page (/scores/<window>, cookie session) and /api/v1/scores (Bearer) at
 * PW_BENCH_WEB_CLIENTS keep-alive HTTP/1.1 clients over loopback, each for
 * o->seconds, beside a raw nng HTTP server (nng_http_handler_alloc_static,
 * a child process) serving buffers of the same sizes to the same clients.
 *
 * Design notes: the clients are plain sockets (one connection per thread,
 * request written whole, response read by its Content-Length), so that the
 * client side costs the same against both servers.  The data is the one B3
 * left in the database (o->units units, o->months months).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/call.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "tests/bench/bench.h"

#define PW_BENCH_WEB_CLIENTS 100

/* ---- the raw baseline (a child process) ------------------------------------ */

int pw_bench_http_static_main(const char *url, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return 1;
    static char buf[64 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    nng_url *u;
    nng_http_server *s;
    nng_http_handler *h;
    if (nng_url_parse(&u, url) != 0 || nng_http_server_hold(&s, u) != 0 ||
        nng_http_handler_alloc_static(&h, "/", buf, n, "text/html; charset=utf-8") != 0 ||
        nng_http_server_add_handler(s, h) != 0 || nng_http_server_start(s) != 0)
        return 1;
    pause();
    return 0;
}

/* ---- clients --------------------------------------------------------------- */

typedef struct web_client {
    int port;
    const char *request;
    double until;
    pw_bench_lat lat;
    long failed;
    long long last_bytes;
} web_client;

static int web_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One request on `fd`; the body's length, or -1 (status not 200, or the
 * connection broke). */
static long long web_exchange(int fd, const char *req, char **buf, size_t *cap)
{
    size_t len = strlen(req), off = 0;
    while (off < len) {
        ssize_t w = write(fd, req + off, len - off);
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        if (have + 4096 > *cap) {
            *cap = *cap ? *cap * 2 : 65536;
            *buf = realloc(*buf, *cap);
        }
        ssize_t n = read(fd, *buf + have, *cap - have - 1);
        if (n <= 0)
            return -1;
        have += (size_t)n;
        (*buf)[have] = '\0';
        end = strstr(*buf, "\r\n\r\n");
    }
    int ok = strncmp(*buf, "HTTP/1.1 200", 12) == 0;
    const char *cl = strcasestr(*buf, "\r\nContent-Length:");
    if (!cl || cl > end)
        return -1;
    long long body = atoll(cl + 17);
    size_t want = (size_t)(end + 4 - *buf) + (size_t)body;
    if (want + 1 > *cap) {
        *cap = want + 1;
        *buf = realloc(*buf, *cap);
    }
    while (have < want) {
        ssize_t n = read(fd, *buf + have, want - have);
        if (n <= 0)
            return -1;
        have += (size_t)n;
    }
    return ok ? body : -1;
}

static void *web_client_main(void *arg)
{
    web_client *c = arg;
    char *buf = NULL;
    size_t cap = 0;
    int fd = web_connect(c->port);
    while (pw_bench_now() < c->until) {
        if (fd < 0 && (fd = web_connect(c->port)) < 0) {
            c->failed++;
            usleep(1000);
            continue;
        }
        double t0 = pw_bench_now();
        long long n = web_exchange(fd, c->request, &buf, &cap);
        if (n < 0) {
            c->failed++;
            close(fd);
            fd = -1;
            continue;
        }
        c->last_bytes = n;
        pw_bench_lat_add(&c->lat, (pw_bench_now() - t0) * 1e6);
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

/* `clients` clients sending `request` to `port` for `seconds`: requests/s,
 * p99 ms, the body size, failures. */
static void web_load(int port, const char *request, int clients, double seconds, double *rps,
                     double *p99_ms, long long *bytes, int *failed)
{
    web_client *c = calloc((size_t)clients, sizeof *c);
    pthread_t *th = calloc((size_t)clients, sizeof *th);
    double t0 = pw_bench_now();
    for (int i = 0; i < clients; i++) {
        c[i].port = port;
        c[i].request = request;
        c[i].until = t0 + seconds;
        pthread_create(&th[i], NULL, web_client_main, &c[i]);
    }
    pw_bench_lat all = {0};
    long fails = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(th[i], NULL);
        pw_bench_lat_merge(&all, &c[i].lat);
        fails += c[i].failed;
        if (c[i].last_bytes)
            *bytes = c[i].last_bytes;
        pw_bench_lat_free(&c[i].lat);
    }
    double wall = pw_bench_now() - t0;
    *rps = wall > 0 ? (double)all.n / wall : 0;
    *p99_ms = all.n ? pw_bench_lat_pct(&all, 0.99) / 1000.0 : -1;
    *failed += (int)fails;
    pw_bench_lat_free(&all);
    free(c);
    free(th);
}

/* ---- B6 ---------------------------------------------------------------------- */

static int web_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static int web_call(pw_client *cl, const char *token, const char *method,
                    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
                    ProtobufCMessage **resp)
{
    pw_call_result res;
    int st = pw_client_call(cl, method, token, 600000, req, rd, resp, &res);
    if (st != PW_OK)
        fprintf(stderr, "planwatch-bench: B6 %s: %s\n", method, res.message);
    pw_call_result_fini(&res);
    return st;
}

/* The raw server with `bytes` bytes; its pid, port in *port. */
static pid_t web_raw_server(const bench_opts *o, long long bytes, int *port)
{
    char file[300], url[64], self[PATH_MAX + 32];
    snprintf(file, sizeof file, "%s/static-%lld.html", o->dir, bytes);
    FILE *f = fopen(file, "wb");
    for (long long i = 0; f && i < bytes; i++)
        fputc('x', f);
    if (f)
        fclose(f);
    *port = web_free_port();
    snprintf(url, sizeof url, "http://127.0.0.1:%d", *port);
    snprintf(self, sizeof self, "%s/planwatch-bench", o->bindir);
    char *argv[] = {self, "--http-static", url, file, NULL};
    pid_t pid = bench_spawn(argv, 1);
    for (int i = 0; i < 200; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)*port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        close(fd);
        if (ok)
            break;
        usleep(25000);
    }
    return pid;
}

void pw_bench_b6(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                 bench_results *r)
{
    int port = web_free_port();
    char http[64];
    snprintf(http, sizeof http, "http://127.0.0.1:%d", port);
    pid_t server = bench_server_http(o, db, ipc, tcp, http);
    r->b6_clients = PW_BENCH_WEB_CLIENTS;
    pw_client *cl;
    char err[256];
    if (pw_client_open(ipc, NULL, &cl, err, sizeof err) != 0) {
        fprintf(stderr, "planwatch-bench: B6: %s\n", err);
        bench_stop(server);
        return;
    }
    Planwatch__V1__LoginRequest lr = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    lr.user = "office";
    lr.password = "bench-reporter-1";
    ProtobufCMessage *resp = NULL;
    char token[128] = "";
    if (web_call(cl, NULL, "/planwatch.v1.AuthService/Login", &lr.base,
                 &planwatch__v1__login_response__descriptor, &resp) == PW_OK)
        snprintf(token, sizeof token, "%s", ((Planwatch__V1__LoginResponse *)resp)->token);
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    char period[16];
    snprintf(period, sizeof period, o->months == 12 ? "2018" : "2018-%02d", o->months);
    Planwatch__V1__PublishRequest pr = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    pr.kind = "scores";
    pr.period = period;
    resp = NULL;
    int st = token[0] ? web_call(cl, token, "/planwatch.v1.PublishService/Publish", &pr.base,
                                 &planwatch__v1__publish_response__descriptor, &resp)
                      : PW_UNAUTHENTICATED;
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    /* the published ranking is read by leaders (viewers): the frozen record,
     * not the office's live view */
    lr.user = "leader";
    resp = NULL;
    token[0] = '\0';
    if (st == PW_OK || st == PW_ALREADY_EXISTS) {
        if (web_call(cl, NULL, "/planwatch.v1.AuthService/Login", &lr.base,
                     &planwatch__v1__login_response__descriptor, &resp) == PW_OK)
            snprintf(token, sizeof token, "%s", ((Planwatch__V1__LoginResponse *)resp)->token);
        else
            st = PW_UNAUTHENTICATED;
        if (resp)
            protobuf_c_message_free_unpacked(resp, NULL);
    }
    pw_client_close(cl);
    if (st != PW_OK && st != PW_ALREADY_EXISTS) {
        fprintf(stderr, "planwatch-bench: B6: cannot publish or log in as the viewer (%s)\n",
                pw_status_name(st));
        bench_stop(server);
        return;
    }
    char page[512], api[512];
    snprintf(page, sizeof page,
             "GET /scores/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: pw_session=%s\r\n\r\n", period,
             token);
    snprintf(api, sizeof api,
             "GET /api/v1/scores?period=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
             "%s\r\n\r\n",
             period, token);
    web_load(port, page, PW_BENCH_WEB_CLIENTS, o->seconds, &r->b6_page_rps, &r->b6_page_p99_ms,
             &r->b6_page_bytes, &r->b6_failed);
    web_load(port, api, PW_BENCH_WEB_CLIENTS, o->seconds, &r->b6_api_rps, &r->b6_api_p99_ms,
             &r->b6_api_bytes, &r->b6_failed);
    /* the front alone: queue, worker, headers, no method call */
    static const char health[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    long long hb = 0;
    web_load(port, health, PW_BENCH_WEB_CLIENTS, o->seconds, &r->b6_health_rps,
             &r->b6_health_p99_ms, &hb, &r->b6_failed);
    bench_stop(server);

    static const char raw_req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    int rport;
    long long b;
    int rawfail = 0;
    pid_t raw = web_raw_server(o, r->b6_page_bytes, &rport);
    web_load(rport, raw_req, PW_BENCH_WEB_CLIENTS, o->seconds, &r->b6_raw_page_rps,
             &r->b6_raw_page_p99_ms, &b, &rawfail);
    bench_stop(raw);
    raw = web_raw_server(o, r->b6_api_bytes, &rport);
    web_load(rport, raw_req, PW_BENCH_WEB_CLIENTS, o->seconds, &r->b6_raw_api_rps,
             &r->b6_raw_api_p99_ms, &b, &rawfail);
    bench_stop(raw);
    raw = web_raw_server(o, hb, &rport);
    web_load(rport, raw_req, PW_BENCH_WEB_CLIENTS, o->seconds, &r->b6_raw_health_rps,
             &r->b6_raw_health_p99_ms, &b, &rawfail);
    bench_stop(raw);
    if (rawfail)
        fprintf(stderr, "planwatch-bench: B6 raw server: %d failed requests\n", rawfail);
}
