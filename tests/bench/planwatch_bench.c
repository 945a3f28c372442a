/*
 * planwatch-bench - measures planwatch against raw baselines in one run
 * (SPEC 5.2, the benchmark issue).  Generates its own data in a temp dir,
 * runs the real planwatchd (found next to this program) as a child process,
 * and prints a table (or --json).
 *
 *   B1 RPC overhead: authenticated no-op (AuthService/Ping) vs a raw nng
 *      REQ/REP echo server with the same payload, N clients, tcp + ipc.
 *   B5 login storm: every reporter logs in at once; beside raw
 *      crypto_pwhash_str_verify calls/s with the same parameters.
 *
 * Design notes: the server and the raw echo server are separate processes
 * so that their CPU and memory are their own; clients are threads here.
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

static pid_t bench_spawn(char *const argv[], int quiet)
{
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet)
        {
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

static void bench_wait_socket(const char *path)
{
    for (int i = 0; i < 400; i++) {
        struct stat st;
        if (stat(path, &st) == 0)
            return;
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
    char *argv[] = {planwatchd, "init", "--db", (char *)db, "--admin", "admin", "--pwhash-opslimit",
                    ops, "--pwhash-memlimit-kib", mem, NULL};
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
    sqlite3_prepare_v2(s, "INSERT INTO units(id, name, category, created_at) VALUES (?1, ?2, "
                          "'county', 0)", -1, &u, NULL);
    sqlite3_prepare_v2(s, "INSERT INTO users(name, role, unit_id, pw_hash, created_at) VALUES "
                          "(?1, 'reporter', ?2, ?3, 0)", -1, &r, NULL);
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
    sqlite3_prepare_v2(s, "INSERT INTO users(name, role, pw_hash, created_at) VALUES "
                          "('office', 'office', ?1, 0)", -1, &o2, NULL);
    sqlite3_bind_text(o2, 1, hash, -1, SQLITE_TRANSIENT);
    sqlite3_step(o2);
    sqlite3_finalize(o2);
    sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
    pw_bench_make_plan(o, s);
    sqlite3_close(s);
}

pid_t bench_server(const bench_opts *o, const char *db, const char *ipc, const char *tcp)
{
    char planwatchd[PATH_MAX + 16], workers[16], ops[32], mem[32];
    snprintf(planwatchd, sizeof planwatchd, "%s/planwatchd", o->bindir);
    snprintf(workers, sizeof workers, "%d", o->workers);
    snprintf(ops, sizeof ops, "%lld", (long long)o->pw_ops);
    snprintf(mem, sizeof mem, "%lld", (long long)o->pw_mem_kib);
    char *argv[] = {planwatchd, "--db", (char *)db, "--listen", (char *)ipc, "--listen",
                    (char *)tcp, "--workers", workers, "--log-calls", "0", "--session-ttl-s",
                    "86400", "--pwhash-opslimit", ops, "--pwhash-memlimit-kib", mem,
                    "--login-max-failures", "1000", NULL};
    pid_t pid = bench_spawn(argv, 1);
    bench_wait_socket(ipc + 6);
    usleep(100000);
    return pid;
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
        cs[i] = (bench_client){.url = url, .token = token, .raw = raw, .rawlen = rawlen,
                               .until = start + seconds};
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

static void bench_b1(const bench_opts *o, const char *pw_ipc, const char *pw_tcp,
                     bench_results *r)
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
    r->b1_raw_ipc = bench_run_clients(o->rpc_clients, echo_ipc, NULL, raw, len, o->seconds, &failed);
    r->b1_pw_tcp = bench_run_clients(o->rpc_clients, pw_tcp, token, NULL, 0, o->seconds, &failed);
    r->b1_raw_tcp = bench_run_clients(o->rpc_clients, echo_tcp, NULL, raw, len, o->seconds, &failed);
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
        if (st != PW_OK)
            atomic_fetch_add(&s->failed, 1);
        else /* kept for B2: the storm's reporters are already signed in */
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

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f, "usage: planwatch-bench [--quick] [--json] [--units N] [--indicators N]\n"
               "         [--months N] [--rpc-clients N] [--submit-clients N] [--login-clients N]\n"
               "         [--seconds S] [--workers N] [--pwhash-opslimit N] "
               "[--pwhash-memlimit-kib N]\n");
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    if (argc == 5 && strcmp(argv[1], "--echo-server") == 0)
        return bench_echo_server_main(argv[2], argv[3], atoi(argv[4]));
    bench_opts o = {.units = 3000, .indicators = 200, .months = 12, .rpc_clients = 16,
                    .submit_clients = 64, .login_clients = 64, .seconds = 5, .workers = 8,
                    .pw_ops = 4, .pw_mem_kib = 9216};
    static const struct option opts[] = {
        {"quick", no_argument, NULL, 'q'},          {"json", no_argument, NULL, 'j'},
        {"units", required_argument, NULL, 'u'},    {"indicators", required_argument, NULL, 'i'},
        {"months", required_argument, NULL, 'm'},   {"rpc-clients", required_argument, NULL, 'r'},
        {"submit-clients", required_argument, NULL, 's'},
        {"login-clients", required_argument, NULL, 'l'},
        {"seconds", required_argument, NULL, 'S'},  {"workers", required_argument, NULL, 'w'},
        {"pwhash-opslimit", required_argument, NULL, 'O'},
        {"pwhash-memlimit-kib", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    int ch, quick_set_units = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'q':
            o.quick = 1;
            break;
        case 'j':
            o.json = 1;
            break;
        case 'u':
            o.units = atoi(optarg);
            quick_set_units = 1;
            break;
        case 'i':
            o.indicators = atoi(optarg);
            break;
        case 'm':
            o.months = atoi(optarg);
            break;
        case 'r':
            o.rpc_clients = atoi(optarg);
            break;
        case 's':
            o.submit_clients = atoi(optarg);
            break;
        case 'l':
            o.login_clients = atoi(optarg);
            break;
        case 'S':
            o.seconds = atof(optarg);
            break;
        case 'w':
            o.workers = atoi(optarg);
            break;
        case 'O':
            o.pw_ops = atoll(optarg);
            break;
        case 'M':
            o.pw_mem_kib = atoll(optarg);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (o.quick) {
        if (!quick_set_units)
            o.units = 300;
        o.seconds = 1.5;
        o.indicators = o.indicators > 50 ? 50 : o.indicators;
        o.months = o.months > 3 ? 3 : o.months;
    }
    if (o.units < 1 || o.units > 100000 || o.indicators < 1 || o.months < 1 || o.months > 12 ||
        o.rpc_clients < 1 || o.login_clients < 1 || o.submit_clients < 1 || o.seconds <= 0) {
        usage(stderr);
        return 2;
    }
    ssize_t n = readlink("/proc/self/exe", o.bindir, sizeof o.bindir - 1);
    if (n <= 0)
        return 1;
    o.bindir[n] = '\0';
    *strrchr(o.bindir, '/') = '\0';
    snprintf(o.dir, sizeof o.dir, "/tmp/pwbench-XXXXXX");
    if (!mkdtemp(o.dir))
        return 1;

    char db[300], ipc[300], tcp[64];
    snprintf(db, sizeof db, "%s/bench.db", o.dir);
    snprintf(ipc, sizeof ipc, "ipc://%s/pw.sock", o.dir);
    snprintf(tcp, sizeof tcp, "tcp://127.0.0.1:%d", 17000 + (getpid() % 1000) * 2);
    if (!o.json)
        fprintf(stderr, "planwatch-bench: %d units, %d indicators, %d months, data in %s\n",
                o.units, o.indicators, o.months, o.dir);
    bench_make_db(&o, db);
    pw_bench_tokens = calloc((size_t)o.units, sizeof *pw_bench_tokens);
    pid_t server = bench_server(&o, db, ipc, tcp);
    bench_results r = {0};
    bench_b1(&o, ipc, tcp, &r);
    bench_b5(&o, ipc, &r);
    pw_bench_b2(&o, ipc, server, &r);
    bench_stop(server);
    pw_bench_b2_ceiling(&o, &r);
    pw_bench_b3(&o, db, ipc, tcp, &r);

    double ratio_ipc = r.b1_raw_ipc > 0 ? r.b1_pw_ipc / r.b1_raw_ipc : 0;
    double ratio_tcp = r.b1_raw_tcp > 0 ? r.b1_pw_tcp / r.b1_raw_tcp : 0;
    double ratio_b2 = r.b2_ceiling_reports_s > 0 ? r.b2_reports_s / r.b2_ceiling_reports_s : 0;
    if (o.json) {
        printf("{\"b1\": {\"planwatch_calls_s\": %.0f, \"raw_calls_s\": %.0f, \"ratio\": %.3f, "
               "\"ipc\": {\"planwatch_calls_s\": %.0f, \"raw_calls_s\": %.0f, \"ratio\": %.3f}, "
               "\"tcp\": {\"planwatch_calls_s\": %.0f, \"raw_calls_s\": %.0f, \"ratio\": %.3f}},\n",
               r.b1_pw_tcp, r.b1_raw_tcp, ratio_tcp, r.b1_pw_ipc, r.b1_raw_ipc, ratio_ipc,
               r.b1_pw_tcp, r.b1_raw_tcp, ratio_tcp);
        printf(" \"b2\": {\"reports_s\": %.1f, \"values_s\": %.0f, \"p50_ms\": %.2f, "
               "\"p99_ms\": %.2f, \"max_ms\": %.2f, \"failed\": %d, \"ceiling_reports_s\": %.1f, "
               "\"ratio\": %.3f, \"clients\": %d, \"units\": %d, \"indicators\": %d},\n",
               r.b2_reports_s, r.b2_values_s, r.b2_p50_ms, r.b2_p99_ms, r.b2_max_ms, r.b2_failed,
               r.b2_ceiling_reports_s, ratio_b2, o.submit_clients, o.units, o.indicators);
        printf(" \"b3\": {\"rankings_s\": %.3f, \"dispatch_s\": %.3f, \"values\": %lld},\n",
               r.b3_rankings_s, r.b3_dispatch_s, r.b3_values);
        printf(" \"b4\": {\"rss_mb\": %.1f, \"rss_b2_mb\": %.1f, \"rss_b3_mb\": %.1f, "
               "\"db_bytes_per_million_values\": %.0f},\n",
               r.b4_rss_mb, r.b4_rss_b2_mb, r.b4_rss_b3_mb, r.b4_db_bytes_per_million_values);
        printf(" \"b5\": {\"logins_s\": %.1f, \"p50_ms\": %.1f, \"p99_ms\": %.1f, \"failed\": %d, "
               "\"raw_verify_s\": %.1f, \"opslimit\": %lld, \"memlimit_kib\": %lld}}\n",
               r.b5_logins_s, r.b5_p50_ms, r.b5_p99_ms, r.b5_failed, r.b5_raw_verify_s,
               (long long)o.pw_ops, (long long)o.pw_mem_kib);
    } else {
        printf("%-48s %12s %12s %8s\n", "measure", "planwatch", "raw", "ratio");
        printf("%-48s %12.0f %12.0f %8.3f\n", "B1 no-op calls/s, ipc", r.b1_pw_ipc, r.b1_raw_ipc,
               ratio_ipc);
        printf("%-48s %12.0f %12.0f %8.3f\n", "B1 no-op calls/s, tcp loopback", r.b1_pw_tcp,
               r.b1_raw_tcp, ratio_tcp);
        printf("%-48s %12.1f %12.1f %8.3f\n", "B2 reports/s (raw: decode+insert, 1 thread)",
               r.b2_reports_s, r.b2_ceiling_reports_s, ratio_b2);
        printf("%-48s %12.0f\n", "B2 values/s", r.b2_values_s);
        printf("%-48s %12.2f\n", "B2 submit p50 ms", r.b2_p50_ms);
        printf("%-48s %12.2f\n", "B2 submit p99 ms", r.b2_p99_ms);
        printf("%-48s %12.2f\n", "B2 submit max ms", r.b2_max_ms);
        printf("%-48s %12d\n", "B2 failed submissions", r.b2_failed);
        printf("%-48s %12.3f\n", "B3 year-end scores+rankings s", r.b3_rankings_s);
        printf("%-48s %12.3f\n", "B3 dispatch summary of one month s", r.b3_dispatch_s);
        printf("%-48s %12lld\n", "B3 values in the database", r.b3_values);
        printf("%-48s %12.1f\n", "B4 server peak RSS MB, deadline storm (B2)", r.b4_rss_b2_mb);
        printf("%-48s %12.1f\n", "B4 server peak RSS MB, office reads (B3)", r.b4_rss_b3_mb);
        printf("%-48s %12.0f\n", "B4 database bytes per million values",
               r.b4_db_bytes_per_million_values);
        printf("%-48s %12.1f %12.1f %8.3f\n", "B5 logins/s (raw: verify/s, all cores)",
               r.b5_logins_s, r.b5_raw_verify_s,
               r.b5_raw_verify_s > 0 ? r.b5_logins_s / r.b5_raw_verify_s : 0);
        printf("%-48s %12.1f\n", "B5 login p50 ms", r.b5_p50_ms);
        printf("%-48s %12.1f\n", "B5 login p99 ms", r.b5_p99_ms);
        printf("%-48s %12d\n", "B5 failed logins", r.b5_failed);
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", o.dir);
    if (system(cmd) != 0)
        return 1;
    return 0;
}
