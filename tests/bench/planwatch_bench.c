/*
 * planwatch-bench - measures planwatch against raw baselines in one run
 * (SPEC 5.2, the benchmark issue).  Generates its own data in a temp dir,
 * runs the real planwatchd (found next to this program) as a child process,
 * and prints a table (or --json).
 *
 *   B1 RPC overhead: authenticated no-op (AuthService/Ping) vs a raw nng
 *      REQ/REP echo server with the same payload, N clients, tcp + ipc.
 *   B2 deadline storm: every unit submits a month of values through
 *      ReportService/Submit, N clients, vs a raw decode + insert ceiling.
 *   B3 office reads: rankings of the year and one dispatch summary over a
 *      year of data.
 *   B4 footprint: the server's peak RSS during B2 (and B3), database bytes
 *      per million values.
 *   B5 login storm: every reporter logs in at once; beside raw
 *      crypto_pwhash_str_verify calls/s with the same parameters.
 *   B6 the board: the published ranking page and /api/v1/scores at N HTTP
 *      clients over loopback, beside a raw nng HTTP server serving a static
 *      buffer of the same size (bench_web.c).
 *
 * Design notes: the server and the raw echo server are separate processes
 * so that their CPU and memory are their own; clients are threads here.
 * Order: B1, B5 (its tokens serve B2), B2, the B2 ceiling (on a copy of
 * the database taken before the server first started), B3.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/call.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "tests/bench/bench.h"

extern char **environ;

char (*pw_bench_tokens)[80];

/* ---- processes ---------------------------------------------------------- */

pid_t bench_spawn(char *const argv[], int quiet)
{
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "planwatch-bench: cannot start %s: %s\n", argv[0], strerror(rc));
        exit(1);
    }
    return pid;
}

/* Wait for the server's socket.  B3's history is written behind the
 * server's back, so planwatchd rebuilds the stored state of every unit-year
 * when it opens the database (server/store/state.c): minutes at 10,000
 * units, hence the long bound; the time is printed when it is long. */
static void bench_wait_socket(const char *path)
{
    double t0 = pw_bench_now();
    for (int i = 0; i < 24000; i++) { /* 10 min */
        struct stat st;
        if (stat(path, &st) == 0) {
            double dt = pw_bench_now() - t0;
            if (dt > 2)
                fprintf(stderr, "planwatch-bench: the server took %.1f s to start\n", dt);
            return;
        }
        usleep(25000);
    }
    fprintf(stderr, "planwatch-bench: %s did not appear\n", path);
    exit(1);
}

void bench_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
}

/* Create the database with an admin, `units` county units and one reporter
 * per unit, all sharing one password hash made with the shipped limits. */
static void bench_make_db(const bench_opts *o, const char *db)
{
    char planwatchd[PATH_MAX + 16];
    snprintf(planwatchd, sizeof planwatchd, "%s/planwatchd", o->bindir);
    char ops[32], mem[32];
    snprintf(ops, sizeof ops, "%lld", (long long)o->pw_ops);
    snprintf(mem, sizeof mem, "%lld", (long long)o->pw_mem_kib);
    setenv("PLANWATCH_PASSWORD", "bench-admin-1", 1);
    char *argv[] = {planwatchd,
                    "init",
                    "--db",
                    (char *)db,
                    "--admin",
                    "admin",
                    "--pwhash-opslimit",
                    ops,
                    "--pwhash-memlimit-kib",
                    mem,
                    NULL};
    pid_t pid = bench_spawn(argv, 1);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "planwatch-bench: planwatchd init failed\n");
        exit(1);
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, "bench-reporter-1", 16, (unsigned long long)o->pw_ops,
                              (size_t)o->pw_mem_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
        exit(1);
    sqlite3 *s;
    sqlite3_open(db, &s);
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *u, *r;
    sqlite3_prepare_v2(s,
                       "INSERT INTO units(id, name, category, created_at) VALUES (?1, ?2, "
                       "'county', 0)",
                       -1, &u, NULL);
    sqlite3_prepare_v2(s,
                       "INSERT INTO users(name, role, unit_id, pw_hash, created_at) VALUES "
                       "(?1, 'reporter', ?2, ?3, 0)",
                       -1, &r, NULL);
    for (int i = 0; i < o->units; i++) {
        char id[32], name[64], user[32];
        snprintf(id, sizeof id, "u%04d", i);
        snprintf(name, sizeof name, "县%04d", i);
        snprintf(user, sizeof user, "r%04d", i);
        sqlite3_bind_text(u, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_step(u);
        sqlite3_reset(u);
        sqlite3_bind_text(r, 1, user, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(r, 2, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(r, 3, hash, -1, SQLITE_TRANSIENT);
        sqlite3_step(r);
        sqlite3_reset(r);
    }
    sqlite3_finalize(u);
    sqlite3_finalize(r);
    sqlite3_stmt *o2;
    sqlite3_prepare_v2(s,
                       "INSERT INTO users(name, role, pw_hash, created_at) VALUES "
                       "('office', 'office', ?1, 0), ('leader', 'viewer', ?1, 0)",
                       -1, &o2, NULL);
    sqlite3_bind_text(o2, 1, hash, -1, SQLITE_TRANSIENT);
    sqlite3_step(o2);
    sqlite3_finalize(o2);
    sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
    pw_bench_make_plan(o, s);
    sqlite3_close(s);
}

/* A consistent copy of `from` (the ceiling's starting point). */
static void bench_copy_db(const char *from, const char *to)
{
    sqlite3 *s;
    char sql[400];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", to);
    if (sqlite3_open(from, &s) != SQLITE_OK ||
        sqlite3_exec(s, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "planwatch-bench: cannot copy %s: %s\n", from, sqlite3_errmsg(s));
        exit(1);
    }
    sqlite3_close(s);
}

pid_t bench_server_http(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                        const char *http)
{
    char planwatchd[PATH_MAX + 16], workers[16], ops[32], mem[32];
    snprintf(planwatchd, sizeof planwatchd, "%s/planwatchd", o->bindir);
    snprintf(workers, sizeof workers, "%d", o->workers);
    snprintf(ops, sizeof ops, "%lld", (long long)o->pw_ops);
    snprintf(mem, sizeof mem, "%lld", (long long)o->pw_mem_kib);
    char *argv[] = {planwatchd,
                    "--db",
                    (char *)db,
                    "--listen",
                    (char *)ipc,
                    "--listen",
                    (char *)tcp,
                    "--workers",
                    workers,
                    "--log-calls",
                    "0",
                    "--session-ttl-s",
                    "86400",
                    "--pwhash-opslimit",
                    ops,
                    "--pwhash-memlimit-kib",
                    mem,
                    "--login-max-failures",
                    "1000",
                    "--rate-logins-per-min", /* B5: every reporter from one local uid */
                    "0",
                    "--max-report-versions", /* B2 amends reports */
                    "100000",
                    "--max-report-bytes",
                    "1073741824",
                    "--max-unit-bytes",
                    "1099511627776",
                    http ? "--http-listen" : NULL,
                    (char *)http,
                    NULL};
    pid_t pid = bench_spawn(argv, 1);
    bench_wait_socket(ipc + 6);
    usleep(100000);
    return pid;
}

pid_t bench_server(const bench_opts *o, const char *db, const char *ipc, const char *tcp)
{
    return bench_server_http(o, db, ipc, tcp, NULL);
}

/* ---- a raw nng echo server (B1 baseline), same worker pattern ------------- */

typedef struct echo_worker {
    nng_ctx ctx;
    nng_aio *aio;
    pthread_t th;
} echo_worker;

static void *echo_main(void *arg)
{
    echo_worker *w = arg;
    for (;;) {
        nng_ctx_recv(w->ctx, w->aio);
        nng_aio_wait(w->aio);
        if (nng_aio_result(w->aio) != 0)
            return NULL;
        nng_msg *m = nng_aio_get_msg(w->aio);
        nng_aio_set_msg(w->aio, m);
        nng_ctx_send(w->ctx, w->aio);
        nng_aio_wait(w->aio);
        if (nng_aio_result(w->aio) != 0)
            nng_msg_free(nng_aio_get_msg(w->aio));
    }
}

/* Runs in a child started as `planwatch-bench --echo-server IPC TCP N`
 * (nng may not be used across fork). */
static int bench_echo_server_main(const char *ipc, const char *tcp, int workers)
{
    nng_socket s;
    nng_rep0_open(&s);
    if (nng_listen(s, ipc, NULL, 0) != 0 || nng_listen(s, tcp, NULL, 0) != 0)
        _exit(1);
    echo_worker *w = calloc((size_t)workers, sizeof *w);
    for (int i = 0; i < workers; i++) {
        nng_ctx_open(&w[i].ctx, s);
        nng_aio_alloc(&w[i].aio, NULL, NULL);
        pthread_create(&w[i].th, NULL, echo_main, &w[i]);
    }
    pause();
    return 0;
}

static pid_t bench_echo_server(const bench_opts *o, const char *ipc, const char *tcp)
{
    char self[PATH_MAX + 32], workers[16];
    snprintf(self, sizeof self, "%s/planwatch-bench", o->bindir);
    snprintf(workers, sizeof workers, "%d", o->workers);
    char *argv[] = {self, "--echo-server", (char *)ipc, (char *)tcp, workers, NULL};
    return bench_spawn(argv, 1);
}

/* ---- client threads --------------------------------------------------------- */

typedef struct bench_client {
    const char *url;
    const char *token;
    const uint8_t *raw; /* raw mode: bytes to echo */
    size_t rawlen;
    double until;
    long calls, failed;
    pw_bench_lat lat;
} bench_client;

static void *bench_ping_main(void *arg)
{
    bench_client *c = arg;
    pw_client *cl;
    char err[256];
    if (pw_client_open(c->url, NULL, &cl, err, sizeof err) != 0) {
        c->failed++;
        return NULL;
    }
    Planwatch__V1__Empty e = PLANWATCH__V1__EMPTY__INIT;
    while (pw_bench_now() < c->until) {
        double t0 = pw_bench_now();
        int st;
        if (c->raw) {
            uint8_t *reply;
            size_t n;
            st = pw_client_call_raw(cl, c->raw, c->rawlen, 10000, &reply, &n, err, sizeof err);
            if (st == PW_OK)
                free(reply);
        } else {
            ProtobufCMessage *resp = NULL;
            pw_call_result res;
            st = pw_client_call(cl, "/planwatch.v1.AuthService/Ping", c->token, 10000, &e.base,
                                &planwatch__v1__empty__descriptor, &resp, &res);
            if (resp)
                protobuf_c_message_free_unpacked(resp, NULL);
            pw_call_result_fini(&res);
        }
        pw_bench_lat_add(&c->lat, (pw_bench_now() - t0) * 1e6);
        if (st == PW_OK)
            c->calls++;
        else
            c->failed++;
    }
    pw_client_close(cl);
    return NULL;
}

/* Run `n` client threads against `url` for `seconds`; returns calls/s. */
static double bench_run_clients(int n, const char *url, const char *token, const uint8_t *raw,
                                size_t rawlen, double seconds, long *failed)
{
    bench_client *cs = calloc((size_t)n, sizeof *cs);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    double start = pw_bench_now();
    for (int i = 0; i < n; i++) {
        cs[i] = (bench_client){
            .url = url, .token = token, .raw = raw, .rawlen = rawlen, .until = start + seconds};
        pthread_create(&th[i], NULL, bench_ping_main, &cs[i]);
    }
    long calls = 0;
    *failed = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        calls += cs[i].calls;
        *failed += cs[i].failed;
        pw_bench_lat_free(&cs[i].lat);
    }
    double wall = pw_bench_now() - start;
    free(cs);
    free(th);
    return (double)calls / wall;
}

static char *bench_login(const char *url, const char *user, const char *password)
{
    pw_client *cl;
    char err[256];
    if (pw_client_open(url, NULL, &cl, err, sizeof err) != 0)
        return NULL;
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)user;
    req.password = (char *)password;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    char *tok = NULL;
    if (pw_client_call(cl, "/planwatch.v1.AuthService/Login", NULL, 60000, &req.base,
                       &planwatch__v1__login_response__descriptor, &resp, &res) == PW_OK)
        tok = strdup(((Planwatch__V1__LoginResponse *)resp)->token);
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);
    pw_client_close(cl);
    return tok;
}

/* ---- B1 ------------------------------------------------------------------- */

static void bench_b1(const bench_opts *o, const char *pw_ipc, const char *pw_tcp, bench_results *r)
{
    char *token = bench_login(pw_ipc, "admin", "bench-admin-1");
    if (!token) {
        fprintf(stderr, "planwatch-bench: admin login failed\n");
        exit(1);
    }
    /* the raw payload: the same bytes a Ping request envelope takes */
    Planwatch__V1__Request env = PLANWATCH__V1__REQUEST__INIT;
    env.method = "/planwatch.v1.AuthService/Ping";
    env.call_id = 1;
    env.token = token;
    env.timeout_ms = 10000;
    size_t len = planwatch__v1__request__get_packed_size(&env);
    uint8_t *raw = malloc(len);
    planwatch__v1__request__pack(&env, raw);

    char echo_ipc[300], echo_tcp[64];
    snprintf(echo_ipc, sizeof echo_ipc, "ipc://%s/echo.sock", o->dir);
    snprintf(echo_tcp, sizeof echo_tcp, "tcp://127.0.0.1:%d", 17000 + (getpid() % 1000) * 2 + 1);
    pid_t echo = bench_echo_server(o, echo_ipc, echo_tcp);
    bench_wait_socket(echo_ipc + 6);
    long failed;
    r->b1_pw_ipc = bench_run_clients(o->rpc_clients, pw_ipc, token, NULL, 0, o->seconds, &failed);
    r->b1_raw_ipc =
        bench_run_clients(o->rpc_clients, echo_ipc, NULL, raw, len, o->seconds, &failed);
    r->b1_pw_tcp = bench_run_clients(o->rpc_clients, pw_tcp, token, NULL, 0, o->seconds, &failed);
    r->b1_raw_tcp =
        bench_run_clients(o->rpc_clients, echo_tcp, NULL, raw, len, o->seconds, &failed);
    bench_stop(echo);
    free(raw);
    free(token);
}

/* ---- B5 ------------------------------------------------------------------- */

typedef struct login_storm {
    const char *url;
    int users;
    atomic_int next;
    atomic_int failed;
    pw_bench_lat *lat; /* one per thread */
} login_storm;

typedef struct login_thread {
    login_storm *s;
    pw_bench_lat lat;
} login_thread;

static void *bench_login_main(void *arg)
{
    login_thread *t = arg;
    login_storm *s = t->s;
    pw_client *cl;
    char err[256];
    if (pw_client_open(s->url, NULL, &cl, err, sizeof err) != 0)
        return NULL;
    for (;;) {
        int i = atomic_fetch_add(&s->next, 1);
        if (i >= s->users)
            break;
        char user[32];
        snprintf(user, sizeof user, "r%04d", i);
        Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
        req.user = user;
        req.password = "bench-reporter-1";
        ProtobufCMessage *resp = NULL;
        pw_call_result res;
        double t0 = pw_bench_now();
        int st = pw_client_call(cl, "/planwatch.v1.AuthService/Login", NULL, 120000, &req.base,
                                &planwatch__v1__login_response__descriptor, &resp, &res);
        pw_bench_lat_add(&t->lat, (pw_bench_now() - t0) * 1e6);
        if (st != PW_OK) {
            if (atomic_fetch_add(&s->failed, 1) < 3)
                fprintf(stderr, "planwatch-bench: login %s: %s\n", user, res.message);
        } else /* kept for B2: the storm's reporters are already signed in */
            snprintf(pw_bench_tokens[i], sizeof pw_bench_tokens[i], "%s",
                     ((Planwatch__V1__LoginResponse *)resp)->token);
        if (resp)
            protobuf_c_message_free_unpacked(resp, NULL);
        pw_call_result_fini(&res);
    }
    pw_client_close(cl);
    return NULL;
}

typedef struct verify_thread {
    const char *hash;
    double until;
    long n;
} verify_thread;

static void *bench_verify_main(void *arg)
{
    verify_thread *v = arg;
    while (pw_bench_now() < v->until) {
        if (crypto_pwhash_str_verify(v->hash, "bench-reporter-1", 16) == 0)
            v->n++;
    }
    return NULL;
}

static void bench_b5(const bench_opts *o, const char *pw_ipc, bench_results *r)
{
    login_storm s = {.url = pw_ipc, .users = o->units};
    int n = o->login_clients;
    login_thread *ts = calloc((size_t)n, sizeof *ts);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    double start = pw_bench_now();
    for (int i = 0; i < n; i++) {
        ts[i].s = &s;
        pthread_create(&th[i], NULL, bench_login_main, &ts[i]);
    }
    pw_bench_lat all = {0};
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        pw_bench_lat_merge(&all, &ts[i].lat);
        pw_bench_lat_free(&ts[i].lat);
    }
    double wall = pw_bench_now() - start;
    r->b5_logins_s = (double)o->units / wall;
    r->b5_p50_ms = pw_bench_lat_pct(&all, 0.50) / 1000;
    r->b5_p99_ms = pw_bench_lat_pct(&all, 0.99) / 1000;
    r->b5_failed = atomic_load(&s.failed);
    pw_bench_lat_free(&all);
    free(ts);
    free(th);

    if (!(o->only & PW_BENCH_B5))
        return; /* run only for the tokens B2 needs */
    /* raw: verification alone, one thread per core, same parameters */
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, "bench-reporter-1", 16, (unsigned long long)o->pw_ops,
                              (size_t)o->pw_mem_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
        exit(1);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;
    verify_thread *vs = calloc((size_t)cores, sizeof *vs);
    pthread_t *vt = calloc((size_t)cores, sizeof *vt);
    double until = pw_bench_now() + (o->quick ? 1.0 : 3.0);
    start = pw_bench_now();
    for (long i = 0; i < cores; i++) {
        vs[i] = (verify_thread){.hash = hash, .until = until};
        pthread_create(&vt[i], NULL, bench_verify_main, &vs[i]);
    }
    long total = 0;
    for (long i = 0; i < cores; i++) {
        pthread_join(vt[i], NULL);
        total += vs[i].n;
    }
    r->b5_raw_verify_s = (double)total / (pw_bench_now() - start);
    free(vs);
    free(vt);
}

/* ---- output ------------------------------------------------------------------ */

static double bench_ratio(double a, double b)
{
    return a > 0 && b > 0 ? a / b : 0;
}

/* A JSON number, or null when the benchmark did not run (or failed). */
static void bench_jnum(const char *key, double v, int ran, int decimals, const char *sep)
{
    if (ran && v >= 0)
        printf("\"%s\": %.*f%s", key, decimals, v, sep);
    else
        printf("\"%s\": null%s", key, sep);
}

static void bench_cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(buf, len, "%s", colon + 2);
            buf[strcspn(buf, "\n\"\\")] = '\0';
            break;
        }
    }
    fclose(f);
}

/* B3 seconds per unit, in microseconds; -1 when not measured. */
static double bench_us_per_unit(double s, int units)
{
    return s >= 0 && units > 0 ? s * 1e6 / units : -1;
}

/* A time beside its raw floor: server / raw (1 = at the floor); -1 none. */
static double bench_time_ratio(double server, double raw)
{
    return server > 0 && raw > 0 ? server / raw : -1;
}

static void bench_json_b12(const bench_opts *o, const bench_results *r)
{
    int b1 = !!(o->only & PW_BENCH_B1), b2 = !!(o->only & PW_BENCH_B2);
    double ratio_ipc = bench_ratio(r->b1_pw_ipc, r->b1_raw_ipc);
    double ratio_tcp = bench_ratio(r->b1_pw_tcp, r->b1_raw_tcp);
    printf(" \"sizes\": {\"units\": %d, \"indicators\": %d, \"months\": %d, \"workers\": %d, "
           "\"rpc_clients\": %d, \"submit_clients\": %d, \"login_clients\": %d},\n",
           o->units, o->indicators, o->months, o->workers, o->rpc_clients, o->submit_clients,
           o->login_clients);
    printf(" \"b1\": {");
    bench_jnum("planwatch_calls_s", r->b1_pw_tcp, b1, 0, ", ");
    bench_jnum("raw_calls_s", r->b1_raw_tcp, b1, 0, ", ");
    bench_jnum("ratio", ratio_tcp, b1, 3, ", ");
    printf("\"ipc\": {");
    bench_jnum("planwatch_calls_s", r->b1_pw_ipc, b1, 0, ", ");
    bench_jnum("raw_calls_s", r->b1_raw_ipc, b1, 0, ", ");
    bench_jnum("ratio", ratio_ipc, b1, 3, "}, ");
    printf("\"tcp\": {");
    bench_jnum("planwatch_calls_s", r->b1_pw_tcp, b1, 0, ", ");
    bench_jnum("raw_calls_s", r->b1_raw_tcp, b1, 0, ", ");
    bench_jnum("ratio", ratio_tcp, b1, 3, "}},\n");
    printf(" \"b2\": {");
    bench_jnum("reports_s", r->b2_reports_s, b2, 1, ", ");
    bench_jnum("values_s", r->b2_values_s, b2, 0, ", ");
    bench_jnum("p50_ms", r->b2_p50_ms, b2, 2, ", ");
    bench_jnum("p99_ms", r->b2_p99_ms, b2, 2, ", ");
    bench_jnum("max_ms", r->b2_max_ms, b2, 2, ", ");
    bench_jnum("failed", r->b2_failed, b2, 0, ", ");
    bench_jnum("ceiling_reports_s", r->b2_ceiling_reports_s, b2, 1, ", ");
    bench_jnum("server_cpu_ms_per_report", r->b2_server_cpu_ms, b2, 3, ", ");
    bench_jnum("client_cpu_ms_per_report", r->b2_client_cpu_ms, b2, 3, ", ");
    bench_jnum("ceiling_cpu_ms_per_report", r->b2_ceiling_cpu_ms, b2, 3, ", ");
    bench_jnum("ratio", bench_ratio(r->b2_reports_s, r->b2_ceiling_reports_s), b2, 3, "},\n");
}

static void bench_json_b34(const bench_opts *o, const bench_results *r)
{
    int b2 = !!(o->only & PW_BENCH_B2), b3 = !!(o->only & PW_BENCH_B3);
    printf(" \"b3\": {");
    bench_jnum("rankings_s", r->b3_rankings_s, b3, 3, ", ");
    bench_jnum("dispatch_s", r->b3_dispatch_s, b3, 3, ", ");
    bench_jnum("rankings_first_s", r->b3_rankings_first_s, b3, 3, ", ");
    bench_jnum("dispatch_first_s", r->b3_dispatch_first_s, b3, 3, ", ");
    bench_jnum("dispatch_bytes", (double)r->b3_dispatch_bytes, b3, 0, ", ");
    bench_jnum("values", (double)r->b3_values, b3, 0, ", ");
    bench_jnum("rankings_raw_s", r->b3_rankings_raw_s, b3, 4, ", ");
    bench_jnum("dispatch_raw_s", r->b3_dispatch_raw_s, b3, 4, ", ");
    bench_jnum("rankings_raw_rows", (double)r->b3_rankings_raw_rows, b3, 0, ", ");
    bench_jnum("dispatch_raw_rows", (double)r->b3_dispatch_raw_rows, b3, 0, ", ");
    bench_jnum("rankings_ratio_to_raw", bench_time_ratio(r->b3_rankings_s, r->b3_rankings_raw_s),
               b3, 2, ", ");
    bench_jnum("dispatch_ratio_to_raw", bench_time_ratio(r->b3_dispatch_s, r->b3_dispatch_raw_s),
               b3, 2, ", ");
    bench_jnum("summary_s", r->b3_summary_s, b3 && r->b3_summary_s >= 0, 3, ", ");
    bench_jnum("appendix_page_s", r->b3_appendix_page_s, b3 && r->b3_appendix_page_size, 3, ", ");
    bench_jnum("appendix_page_size", r->b3_appendix_page_size, b3 && r->b3_appendix_page_size, 0,
               ", ");
    bench_jnum("rankings_us_per_unit", bench_us_per_unit(r->b3_rankings_s, o->units), b3, 1, ", ");
    bench_jnum("dispatch_us_per_unit", bench_us_per_unit(r->b3_dispatch_s, o->units), b3, 1,
               "},\n");
    printf(" \"b4\": {");
    bench_jnum("rss_mb", r->b4_rss_mb, b2, 1, ", ");
    bench_jnum("rss_b3_mb", r->b4_rss_b3_mb, b3, 1, ", ");
    bench_jnum("rss_b3_whole_dispatch_mb", r->b4_rss_b3_whole_mb, b3, 1, ", ");
    bench_jnum("db_bytes", (double)r->b4_db_bytes, b3, 0, ", ");
    bench_jnum("db_bytes_per_million_values", r->b4_db_bytes_per_million_values, b3, 0, ", ");
    bench_jnum("bench_rss_mb", r->bench_rss_mb, 1, 1, "},\n");
}

static void bench_json_b56(const bench_opts *o, const bench_results *r)
{
    int b5 = !!(o->only & PW_BENCH_B5), b6 = !!(o->only & PW_BENCH_B6);
    printf(" \"b5\": {");
    bench_jnum("logins_s", r->b5_logins_s, b5, 1, ", ");
    bench_jnum("p50_ms", r->b5_p50_ms, b5, 1, ", ");
    bench_jnum("p99_ms", r->b5_p99_ms, b5, 1, ", ");
    bench_jnum("failed", r->b5_failed, b5, 0, ", ");
    bench_jnum("raw_verify_s", r->b5_raw_verify_s, b5, 1, ", ");
    printf("\"opslimit\": %lld, \"memlimit_kib\": %lld},\n", (long long)o->pw_ops,
           (long long)o->pw_mem_kib);
    printf(" \"b6\": {");
    bench_jnum("clients", r->b6_clients, b6, 0, ", ");
    bench_jnum("page_rps", r->b6_page_rps, b6, 1, ", ");
    bench_jnum("page_p99_ms", r->b6_page_p99_ms, b6, 2, ", ");
    bench_jnum("raw_page_rps", r->b6_raw_page_rps, b6, 1, ", ");
    bench_jnum("raw_page_p99_ms", r->b6_raw_page_p99_ms, b6, 2, ", ");
    bench_jnum("page_bytes", (double)r->b6_page_bytes, b6, 0, ", ");
    bench_jnum("api_rps", r->b6_api_rps, b6, 1, ", ");
    bench_jnum("api_p99_ms", r->b6_api_p99_ms, b6, 2, ", ");
    bench_jnum("raw_api_rps", r->b6_raw_api_rps, b6, 1, ", ");
    bench_jnum("raw_api_p99_ms", r->b6_raw_api_p99_ms, b6, 2, ", ");
    bench_jnum("api_bytes", (double)r->b6_api_bytes, b6, 0, ", ");
    bench_jnum("healthz_rps", r->b6_health_rps, b6, 1, ", ");
    bench_jnum("healthz_p99_ms", r->b6_health_p99_ms, b6, 2, ", ");
    bench_jnum("raw_healthz_rps", r->b6_raw_health_rps, b6, 1, ", ");
    bench_jnum("raw_healthz_p99_ms", r->b6_raw_health_p99_ms, b6, 2, ", ");
    bench_jnum("failed", r->b6_failed, b6, 0, "}");
}

/* The JSON fields of one run ("sizes" .. "b6"), without braces. */
static void bench_json_run(const bench_opts *o, const bench_results *r)
{
    bench_json_b12(o, r);
    bench_json_b34(o, r);
    bench_json_b56(o, r);
}

static void bench_json_machine(void)
{
    char cpu[128];
    bench_cpu_model(cpu, sizeof cpu);
    printf("{\"machine\": {\"cpus\": %ld, \"cpu\": \"%s\"},\n", sysconf(_SC_NPROCESSORS_ONLN), cpu);
}

static void bench_table_b12(const bench_opts *o, const bench_results *r)
{
    if (o->only & PW_BENCH_B1) {
        printf("%-50s %12.0f %12.0f %8.3f\n", "B1 no-op calls/s, ipc", r->b1_pw_ipc, r->b1_raw_ipc,
               bench_ratio(r->b1_pw_ipc, r->b1_raw_ipc));
        printf("%-50s %12.0f %12.0f %8.3f\n", "B1 no-op calls/s, tcp loopback", r->b1_pw_tcp,
               r->b1_raw_tcp, bench_ratio(r->b1_pw_tcp, r->b1_raw_tcp));
    }
    if (!(o->only & PW_BENCH_B2))
        return;
    char what[64];
    snprintf(what, sizeof what, "B2 reports/s, %d clients (raw: 1 thread)", o->submit_clients);
    printf("%-50s %12.1f %12.1f %8.3f\n", what, r->b2_reports_s, r->b2_ceiling_reports_s,
           bench_ratio(r->b2_reports_s, r->b2_ceiling_reports_s));
    printf("%-50s %12.0f\n", "B2 values/s", r->b2_values_s);
    printf("%-50s %12.2f\n", "B2 submit p50 ms", r->b2_p50_ms);
    printf("%-50s %12.2f\n", "B2 submit p99 ms", r->b2_p99_ms);
    printf("%-50s %12.2f\n", "B2 submit max ms", r->b2_max_ms);
    printf("%-50s %12d\n", "B2 failed submissions", r->b2_failed);
    printf("%-50s %12.3f %12.3f\n", "B2 CPU ms per report (server; raw: its thread)",
           r->b2_server_cpu_ms, r->b2_ceiling_cpu_ms);
    printf("%-50s %12.3f\n", "B2 CPU ms per report, the clients", r->b2_client_cpu_ms);
}

/* A B3 time beside its raw floor; the ratio is server / raw. */
static void bench_table_time(const char *what, double s, double raw)
{
    if (raw >= 0)
        printf("%-50s %12.3f %12.4f %8.2f\n", what, s, raw, bench_time_ratio(s, raw));
    else
        printf("%-50s %12.3f\n", what, s);
}

static void bench_table_b34(const bench_opts *o, const bench_results *r)
{
    if (o->only & PW_BENCH_B3) {
        bench_table_time(o->months == 12 ? "B3 year-end scores+rankings s (ratio: server/raw)"
                                         : "B3 scores+rankings of the window s (server/raw)",
                         r->b3_rankings_s, r->b3_rankings_raw_s);
        bench_table_time("B3 dispatch of one month, whole s (server/raw)", r->b3_dispatch_s,
                         r->b3_dispatch_raw_s);
        if (r->b3_summary_s >= 0)
            printf("%-50s %12.3f\n", "B3 dispatch summary, no appendix s", r->b3_summary_s);
        char what[64];
        snprintf(what, sizeof what, "B3 appendix page s (%d units a page)",
                 r->b3_appendix_page_size);
        if (r->b3_appendix_page_size && r->b3_appendix_page_s >= 0)
            printf("%-50s %12.3f\n", what, r->b3_appendix_page_s);
        else /* "—" is 3 bytes, one column */
            printf("%-50s %14s\n",
                   r->b3_appendix_page_size ? "B3 appendix page s (the call failed)"
                                            : "B3 appendix page s (no paging offered)",
                   "—");
        printf("%-50s %12.1f %12.1f\n", "B3 us per unit: scores+rankings, dispatch",
               bench_us_per_unit(r->b3_rankings_s, o->units),
               bench_us_per_unit(r->b3_dispatch_s, o->units));
        printf("%-50s %12lld %12lld\n", "B3 raw rows read: scores, dispatch",
               r->b3_rankings_raw_rows, r->b3_dispatch_raw_rows);
        printf("%-50s %12lld\n", "B3 values in the database", r->b3_values);
    }
    if (o->only & PW_BENCH_B2)
        printf("%-50s %12.1f\n", "B4 server peak RSS MB, deadline storm (B2)", r->b4_rss_mb);
    if (o->only & PW_BENCH_B3) {
        printf("%-50s %12.1f\n", "B4 server peak RSS MB, office reads (B3)", r->b4_rss_b3_mb);
        printf("%-50s %12.1f\n", "B4 server peak RSS MB, whole dispatch (B3)",
               r->b4_rss_b3_whole_mb);
        printf("%-50s %12.0f\n", "B4 database bytes per million values",
               r->b4_db_bytes_per_million_values);
    }
    printf("%-50s %12.1f\n", "planwatch-bench peak RSS MB (data + B3 client)", r->bench_rss_mb);
}

static void bench_table_b56(const bench_opts *o, const bench_results *r)
{
    if (o->only & PW_BENCH_B5) {
        printf("%-50s %12.1f %12.1f %8.3f\n", "B5 logins/s (raw: verify/s, all cores)",
               r->b5_logins_s, r->b5_raw_verify_s, bench_ratio(r->b5_logins_s, r->b5_raw_verify_s));
        printf("%-50s %12.1f\n", "B5 login p50 ms", r->b5_p50_ms);
        printf("%-50s %12.1f\n", "B5 login p99 ms", r->b5_p99_ms);
        printf("%-50s %12d\n", "B5 failed logins", r->b5_failed);
    }
    if (!(o->only & PW_BENCH_B6))
        return;
    char what[80];
    snprintf(what, sizeof what, "B6 ranking page req/s, %d clients (%lld B)", r->b6_clients,
             r->b6_page_bytes);
    printf("%-50s %12.1f %12.1f %8.3f\n", what, r->b6_page_rps, r->b6_raw_page_rps,
           bench_ratio(r->b6_page_rps, r->b6_raw_page_rps));
    printf("%-50s %12.2f %12.2f\n", "B6 ranking page p99 ms", r->b6_page_p99_ms,
           r->b6_raw_page_p99_ms);
    snprintf(what, sizeof what, "B6 /api/v1/scores req/s (%lld B)", r->b6_api_bytes);
    printf("%-50s %12.1f %12.1f %8.3f\n", what, r->b6_api_rps, r->b6_raw_api_rps,
           bench_ratio(r->b6_api_rps, r->b6_raw_api_rps));
    printf("%-50s %12.2f %12.2f\n", "B6 /api/v1/scores p99 ms", r->b6_api_p99_ms,
           r->b6_raw_api_p99_ms);
    printf("%-50s %12.1f %12.1f %8.3f\n", "B6 /healthz req/s (the front alone)", r->b6_health_rps,
           r->b6_raw_health_rps, bench_ratio(r->b6_health_rps, r->b6_raw_health_rps));
    printf("%-50s %12.2f %12.2f\n", "B6 /healthz p99 ms", r->b6_health_p99_ms,
           r->b6_raw_health_p99_ms);
    printf("%-50s %12d\n", "B6 failed requests", r->b6_failed);
}

/* One run as a table. */
static void bench_table(const bench_opts *o, const bench_results *r)
{
    char cpu[128];
    bench_cpu_model(cpu, sizeof cpu);
    printf("%d units x %d indicators x %d months, %d workers; %ld CPUs: %s\n", o->units,
           o->indicators, o->months, o->workers, sysconf(_SC_NPROCESSORS_ONLN), cpu);
    printf("%-50s %12s %12s %8s\n", "measure", "planwatch", "raw", "ratio");
    bench_table_b12(o, r);
    bench_table_b34(o, r);
    bench_table_b56(o, r);
}

/* --scale: one line per size, so that the cost per unit reads down a column. */
static void bench_table_scale(const bench_opts *sizes, const bench_results *rs, int n)
{
    printf("\nscale: %d indicators x %d months; us/u = B3 seconds x 1e6 / units; ratios: "
           "B2 to its ceiling, B3 server / raw query\n",
           sizes[0].indicators, sizes[0].months);
    printf("%6s %9s %6s %8s | %8s %8s %6s %7s | %8s %8s %6s %7s | %8s %8s | %7s %7s\n", "units",
           "B2 rep/s", "ratio", "p99 ms", "rank s", "raw s", "ratio", "us/u", "disp s", "raw s",
           "ratio", "us/u", "summ s", "page s", "RSS B2", "RSS B3");
    for (int i = 0; i < n; i++) {
        const bench_results *r = &rs[i];
        int u = sizes[i].units;
        char page[32];
        if (r->b3_appendix_page_size && r->b3_appendix_page_s >= 0)
            snprintf(page, sizeof page, "%8.3f", r->b3_appendix_page_s);
        else
            snprintf(page, sizeof page, "%10s", "—");
        printf("%6d %9.1f %6.2f %8.2f | %8.3f %8.4f %6.2f %7.1f | %8.3f %8.4f %6.2f %7.1f | "
               "%8.3f %s | %7.1f %7.1f\n",
               u, r->b2_reports_s, bench_ratio(r->b2_reports_s, r->b2_ceiling_reports_s),
               r->b2_p99_ms, r->b3_rankings_s, r->b3_rankings_raw_s,
               bench_time_ratio(r->b3_rankings_s, r->b3_rankings_raw_s),
               bench_us_per_unit(r->b3_rankings_s, u), r->b3_dispatch_s, r->b3_dispatch_raw_s,
               bench_time_ratio(r->b3_dispatch_s, r->b3_dispatch_raw_s),
               bench_us_per_unit(r->b3_dispatch_s, u), r->b3_summary_s, page, r->b4_rss_mb,
               r->b4_rss_b3_mb);
    }
}

/* ---- options ----------------------------------------------------------------- */

static int bench_parse_only(const char *list, unsigned *out)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", list);
    *out = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "b1") == 0)
            *out |= PW_BENCH_B1;
        else if (strcmp(t, "b2") == 0 || strcmp(t, "b4") == 0)
            *out |= PW_BENCH_B2;
        else if (strcmp(t, "b3") == 0)
            *out |= PW_BENCH_B3;
        else if (strcmp(t, "b5") == 0)
            *out |= PW_BENCH_B5;
        else if (strcmp(t, "b6") == 0)
            *out |= PW_BENCH_B6 | PW_BENCH_B3; /* on B3's year of data */
        else
            return -1;
    }
    return *out ? 0 : -1;
}

/* "300,1000,3000" into o->scale; -1 when malformed or out of range. */
static int bench_parse_scale(const char *list, bench_opts *o)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", list);
    o->nscale = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *end;
        long n = strtol(t, &end, 10);
        if (*end || n < 1 || n > 100000 || o->nscale == PW_BENCH_MAX_SCALE)
            return -1;
        o->scale[o->nscale++] = (int)n;
    }
    return o->nscale ? 0 : -1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: planwatch-bench [--quick] [--json] [--only b1,b2,b3,b5,b6] [--units N]\n"
            "         [--scale N,N,...] [--indicators N] [--months N] [--rpc-clients N]\n"
            "         [--submit-clients N] [--login-clients N] [--seconds S] [--reps N]\n"
            "         [--workers N] [--pwhash-opslimit N] [--pwhash-memlimit-kib N]\n"
            "         [--make-db FILE]\n"
            "Full run: 3,000 units x 200 indicators x 12 months (7.2 million values),\n"
            "64 submitting clients.  --quick: 300 units x 50 indicators x 3 months.\n"
            "--only: the benchmarks to run (B4 goes with B2 and B3; B2 needs B5's logins;\n"
            "B6 runs on B3's data).\n"
            "--scale 300,1000,3000: B2 and B3 at each unit count (at most %d), one fresh\n"
            "  database each, a table per size and one line per size with the B3 cost\n"
            "  per unit (--json: \"scale\": [one object per size]).\n"
            "--make-db FILE: only write the database B3 reads (a year of reports) to FILE\n"
            "  and keep it (for backup and upgrade measurements).\n",
            PW_BENCH_MAX_SCALE);
}

static const struct option bench_longopts[] = {
    {"quick", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, 'j'},
    {"units", required_argument, NULL, 'u'},
    {"indicators", required_argument, NULL, 'i'},
    {"months", required_argument, NULL, 'm'},
    {"rpc-clients", required_argument, NULL, 'r'},
    {"submit-clients", required_argument, NULL, 's'},
    {"login-clients", required_argument, NULL, 'l'},
    {"seconds", required_argument, NULL, 'S'},
    {"workers", required_argument, NULL, 'w'},
    {"pwhash-opslimit", required_argument, NULL, 'O'},
    {"pwhash-memlimit-kib", required_argument, NULL, 'M'},
    {"only", required_argument, NULL, 'o'},
    {"reps", required_argument, NULL, 'R'},
    {"make-db", required_argument, NULL, 'D'},
    {"scale", required_argument, NULL, 'Z'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* One option into `o`; 0, or the exit status (-1: --help printed, exit 0). */
static int bench_option(int ch, const char *arg, bench_opts *o, int *units_set,
                        const char **make_db)
{
    switch (ch) {
    case 'q':
        o->quick = 1;
        break;
    case 'j':
        o->json = 1;
        break;
    case 'u':
        o->units = atoi(arg);
        *units_set = 1;
        break;
    case 'i':
        o->indicators = atoi(arg);
        break;
    case 'm':
        o->months = atoi(arg);
        break;
    case 'r':
        o->rpc_clients = atoi(arg);
        break;
    case 's':
        o->submit_clients = atoi(arg);
        break;
    case 'l':
        o->login_clients = atoi(arg);
        break;
    case 'S':
        o->seconds = atof(arg);
        break;
    case 'w':
        o->workers = atoi(arg);
        break;
    case 'O':
        o->pw_ops = atoll(arg);
        break;
    case 'M':
        o->pw_mem_kib = atoll(arg);
        break;
    case 'R':
        o->reps = atoi(arg);
        break;
    case 'D':
        *make_db = arg;
        break;
    case 'o':
        return bench_parse_only(arg, &o->only) == 0 ? 0 : 2;
    case 'Z':
        return bench_parse_scale(arg, o) == 0 ? 0 : 2;
    case 'h':
        usage(stdout);
        return -1;
    default:
        return 2;
    }
    return 0;
}

/* The options into `o`; 0, or the exit status (usage printed). */
static int bench_parse_args(int argc, char **argv, bench_opts *o, const char **make_db)
{
    int ch, units_set = 0;
    while ((ch = getopt_long(argc, argv, "", bench_longopts, NULL)) != -1) {
        int st = bench_option(ch, optarg, o, &units_set, make_db);
        if (st == -1)
            return -1;
        if (st) {
            usage(stderr);
            return st;
        }
    }
    if (o->quick) {
        if (!units_set)
            o->units = 300;
        o->seconds = 1.5;
        o->indicators = o->indicators > 50 ? 50 : o->indicators;
        o->months = o->months > 3 ? 3 : o->months;
        o->reps = o->reps > 2 ? 2 : o->reps;
    }
    if (o->units < 1 || o->units > 100000 || o->indicators < 1 || o->months < 1 || o->months > 12 ||
        o->rpc_clients < 1 || o->login_clients < 1 || o->submit_clients < 1 || o->seconds <= 0 ||
        o->reps < 1 || o->reps > 16 || (o->nscale && *make_db)) {
        usage(stderr);
        return 2;
    }
    return 0;
}

/* ---- main ------------------------------------------------------------------ */

/* --make-db FILE: the database B3 reads (plan, units, reporters, months
 * 2..N), kept. */
static int bench_make_db_main(const bench_opts *o, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        fprintf(stderr, "planwatch-bench: %s exists: refusing to overwrite it\n", path);
        return 2;
    }
    bench_make_db(o, path);
    pw_bench_history(o, path);
    if (stat(path, &sb) != 0)
        return 1;
    printf("%s: %d units, %d indicators, months 2-%d, %lld bytes; reporters r0000.. "
           "password bench-reporter-1, admin password bench-admin-1\n",
           path, o->units, o->indicators, o->months, (long long)sb.st_size);
    return 0;
}

/* Every benchmark o->only names, on a fresh database in o->dir. */
static void bench_run(const bench_opts *o, bench_results *r)
{
    char db[300], ipc[300], tcp[64], ceiling[320];
    snprintf(db, sizeof db, "%s/bench.db", o->dir);
    snprintf(ipc, sizeof ipc, "ipc://%s/pw.sock", o->dir);
    snprintf(tcp, sizeof tcp, "tcp://127.0.0.1:%d", 17000 + (getpid() % 1000) * 2);
    snprintf(ceiling, sizeof ceiling, "%s/ceiling.db", o->dir);
    if (!o->json)
        fprintf(stderr, "planwatch-bench: %d units, %d indicators, %d months, data in %s\n",
                o->units, o->indicators, o->months, o->dir);
    memset(r, 0, sizeof *r);
    r->b4_rss_mb = r->b4_rss_b3_mb = r->b4_rss_b3_whole_mb = -1;
    r->b3_rankings_raw_s = r->b3_dispatch_raw_s = r->b3_appendix_page_s = -1;
    bench_make_db(o, db);
    if (o->only & PW_BENCH_B2)
        bench_copy_db(db, ceiling);
    pw_bench_tokens = calloc((size_t)o->units, sizeof *pw_bench_tokens);
    if (o->only & (PW_BENCH_B1 | PW_BENCH_B2 | PW_BENCH_B5)) {
        pid_t server = bench_server(o, db, ipc, tcp);
        if (o->only & PW_BENCH_B1)
            bench_b1(o, ipc, tcp, r);
        if (o->only & (PW_BENCH_B2 | PW_BENCH_B5))
            bench_b5(o, ipc, r);
        if (o->only & PW_BENCH_B2)
            pw_bench_b2(o, ipc, server, r);
        bench_stop(server);
    }
    if (o->only & PW_BENCH_B2) {
        pw_bench_b2_ceiling(o, ceiling, r);
        unlink(ceiling);
    }
    if (o->only & PW_BENCH_B3)
        pw_bench_b3(o, db, ipc, tcp, r);
    if (o->only & PW_BENCH_B6)
        pw_bench_b6(o, db, ipc, tcp, r);
    free(pw_bench_tokens);
    pw_bench_tokens = NULL;
    r->bench_rss_mb = pw_bench_peak_rss_mb(getpid());
}

static int bench_rmdir(const char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* --scale: B2 and B3 at each size, a fresh database in its own directory. */
static int bench_scale_main(const bench_opts *o)
{
    bench_opts sizes[PW_BENCH_MAX_SCALE];
    bench_results rs[PW_BENCH_MAX_SCALE];
    if (o->json)
        bench_json_machine();
    if (o->json)
        printf(" \"scale\": [\n");
    for (int i = 0; i < o->nscale; i++) {
        bench_opts *so = &sizes[i];
        *so = *o;
        so->units = o->scale[i];
        so->only = o->only & (PW_BENCH_B2 | PW_BENCH_B3);
        if (!so->only)
            so->only = PW_BENCH_B2 | PW_BENCH_B3;
        snprintf(so->dir, sizeof so->dir, "%.200s/u%d", o->dir, so->units);
        if (mkdir(so->dir, 0700) != 0)
            return 1;
        bench_run(so, &rs[i]);
        if (bench_rmdir(so->dir) != 0)
            return 1;
        if (o->json) {
            printf("{\n");
            bench_json_run(so, &rs[i]);
            printf("}%s\n", i + 1 < o->nscale ? "," : "");
        } else {
            bench_table(so, &rs[i]);
            printf("\n");
        }
        fflush(stdout);
    }
    if (o->json)
        printf("]}\n");
    else
        bench_table_scale(sizes, rs, o->nscale);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    if (argc == 5 && strcmp(argv[1], "--echo-server") == 0)
        return bench_echo_server_main(argv[2], argv[3], atoi(argv[4]));
    if (argc == 4 && strcmp(argv[1], "--http-static") == 0)
        return pw_bench_http_static_main(argv[2], argv[3]);
    bench_opts o = {.units = 3000,
                    .indicators = 200,
                    .months = 12,
                    .rpc_clients = 16,
                    .submit_clients = 64,
                    .login_clients = 64,
                    .seconds = 5,
                    .workers = 8,
                    .reps = 3,
                    .pw_ops = 4,
                    .pw_mem_kib = 9216,
                    .only = PW_BENCH_B1 | PW_BENCH_B2 | PW_BENCH_B3 | PW_BENCH_B5 | PW_BENCH_B6};
    const char *make_db = NULL;
    int st = bench_parse_args(argc, argv, &o, &make_db);
    if (st)
        return st < 0 ? 0 : st;
    ssize_t n = readlink("/proc/self/exe", o.bindir, sizeof o.bindir - 1);
    if (n <= 0)
        return 1;
    o.bindir[n] = '\0';
    *strrchr(o.bindir, '/') = '\0';
    if (make_db)
        return bench_make_db_main(&o, make_db);
    snprintf(o.dir, sizeof o.dir, "/tmp/pwbench-XXXXXX");
    if (!mkdtemp(o.dir))
        return 1;
    if (o.nscale) {
        st = bench_scale_main(&o);
        return bench_rmdir(o.dir) || st;
    }
    bench_results r;
    bench_run(&o, &r);
    if (o.json) {
        bench_json_machine();
        bench_json_run(&o, &r);
        printf("}\n");
    } else {
        bench_table(&o, &r);
    }
    return bench_rmdir(o.dir);
}
