/*
 * bench_reports.c - B2 (deadline storm against a raw ceiling), B3 (office
 * reads over a year of data) and B4 (footprint) of planwatch-bench.
 *
 * Design notes
 * - The plan: indicators B000..Bnnn of year 2018, every 10th a milestone,
 *   every 3rd a cumulative count, the rest percentages (levels, some going
 *   down); one per-unit target for every (unit, indicator).  Values follow
 *   one formula (bench_value), so that the storm, the ceiling and the
 *   history agree and every light and quality rule gets some work.
 * - B2: every unit submits 2018-01 once.  The clients send prebuilt Request
 *   envelopes and read only the reply's status, so that the two cores go
 *   to the server rather than to packing messages in the benchmark.
 * - The ceiling starts from a copy of the database the server started
 *   from (same schema, indexes, foreign keys, WAL, synchronous=FULL).
 * - B3: months 2..12 are written straight into the database as the server
 *   would have written them (same rows), then the server is started again
 *   and only the reads go through the RPC path.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/call.h"
#include "common/period.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "tests/bench/bench.h"

enum { BENCH_CUMULATIVE, BENCH_LEVEL, BENCH_MILESTONE };

static int bench_kind(int k)
{
    return k % 10 == 9 ? BENCH_MILESTONE : k % 3 == 0 ? BENCH_CUMULATIVE : BENCH_LEVEL;
}

/* The value unit u reports for indicator k in month m, as typed. */
static void bench_value(int u, int k, int m, char *buf, size_t len)
{
    int mix = (u * 7 + k * 13) % 97;
    switch (bench_kind(k)) {
    case BENCH_CUMULATIVE: /* year to date: never falls */
        snprintf(buf, len, "%d", m * (40 + mix));
        break;
    case BENCH_LEVEL: /* a percentage */
        snprintf(buf, len, "%d.5", 20 + (mix + m * 3) % 70);
        break;
    default: {
        int phase = (u * 3 + k) % 12 + 1;
        snprintf(buf, len, "%s",
                 m < phase / 2 ? "not_started"
                 : m < phase   ? "in_progress"
                               : "done");
        break;
    }
    }
}

void pw_bench_make_plan(const bench_opts *o, sqlite3 *s)
{
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    sqlite3_exec(s,
                 "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
                 "('bench', 'bench plan', 2018, 2018, 0)",
                 NULL, NULL, NULL);
    sqlite3_stmt *i, *t;
    sqlite3_prepare_v2(
        s,
        "INSERT INTO indicators(plan_id,id,seq,level1,level2,level3,uom,kind,direction) VALUES "
        "('bench', ?1, ?2, 'l1', 'l2', ?1, ?3,"
        " ?4, ?5)",
        -1, &i, NULL);
    sqlite3_prepare_v2(s,
                       "INSERT INTO targets(plan_id,indicator_id,year,unit_id,value,baseline) "
                       "VALUES ('bench', ?1, 2018, ?2, ?3, NULL)",
                       -1, &t, NULL);
    for (int k = 0; k < o->indicators; k++) {
        char id[16];
        snprintf(id, sizeof id, "B%03d", k);
        int kind = bench_kind(k), down = kind == BENCH_LEVEL && k % 7 == 0;
        double target = kind == BENCH_CUMULATIVE  ? 1200
                        : kind == BENCH_MILESTONE ? 1
                        : down                    ? 30
                                                  : 80;
        sqlite3_bind_text(i, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(i, 2, k);
        sqlite3_bind_text(i, 3,
                          kind == BENCH_CUMULATIVE ? "套"
                          : kind == BENCH_LEVEL    ? "%"
                                                   : "项",
                          -1, SQLITE_STATIC);
        sqlite3_bind_text(i, 4,
                          kind == BENCH_CUMULATIVE ? "cumulative"
                          : kind == BENCH_LEVEL    ? "level"
                                                   : "milestone",
                          -1, SQLITE_STATIC);
        sqlite3_bind_text(i, 5, down ? "down" : "up", -1, SQLITE_STATIC);
        sqlite3_step(i);
        sqlite3_reset(i);
        for (int u = 0; u < o->units; u++) {
            char unit[16];
            snprintf(unit, sizeof unit, "u%04d", u);
            sqlite3_bind_text(t, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(t, 2, unit, -1, SQLITE_TRANSIENT);
            sqlite3_bind_double(t, 3, target);
            sqlite3_step(t);
            sqlite3_reset(t);
        }
    }
    sqlite3_finalize(i);
    sqlite3_finalize(t);
    sqlite3_exec(s,
                 "INSERT INTO sheets(category, imported_at) VALUES ('county', 0);"
                 "INSERT INTO sheet_items VALUES ('county', 1, 'g', 't', 10,"
                 " 'monthly_timeliness', 'deduct=0.5'), ('county', 2, 'g', 'w', 90,"
                 " 'work_performance', '');"
                 "COMMIT",
                 NULL, NULL, NULL);
}

/* The packed SubmitReportRequest of unit u for month m (malloc'd). */
static uint8_t *bench_report(const bench_opts *o, int u, int m, size_t *len)
{
    Planwatch__V1__ReportValue *v = calloc((size_t)o->indicators, sizeof *v);
    Planwatch__V1__ReportValue **vp = calloc((size_t)o->indicators, sizeof *vp);
    char(*ids)[16] = calloc((size_t)o->indicators, sizeof *ids);
    char(*vals)[24] = calloc((size_t)o->indicators, sizeof *vals);
    for (int k = 0; k < o->indicators; k++) {
        planwatch__v1__report_value__init(&v[k]);
        snprintf(ids[k], sizeof ids[k], "B%03d", k);
        bench_value(u, k, m, vals[k], sizeof vals[k]);
        v[k].indicator = ids[k];
        v[k].value = vals[k];
        vp[k] = &v[k];
    }
    char sid[40], period[16];
    snprintf(sid, sizeof sid, "bench-%d-%d", u, m);
    snprintf(period, sizeof period, "2018-%02d", m);
    Planwatch__V1__SubmitReportRequest req = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    req.period = period;
    req.submission_id = sid;
    req.values = vp;
    req.n_values = (size_t)o->indicators;
    req.progress = "按计划推进";
    req.problems = u % 5 == 0 ? "资金不到位" : "";
    *len = planwatch__v1__submit_report_request__get_packed_size(&req);
    uint8_t *buf = malloc(*len);
    planwatch__v1__submit_report_request__pack(&req, buf);
    free(v);
    free(vp);
    free(ids);
    free(vals);
    return buf;
}

/* The Request envelope of unit u's month-m submission, as pw_client_call
 * would pack it (malloc'd). */
static uint8_t *bench_envelope(const bench_opts *o, int u, int m, const char *token, size_t *len)
{
    size_t plen;
    uint8_t *payload = bench_report(o, u, m, &plen);
    Planwatch__V1__Request env = PLANWATCH__V1__REQUEST__INIT;
    env.method = "/planwatch.v1.ReportService/Submit";
    env.call_id = (uint64_t)u + 1;
    env.token = (char *)token;
    env.timeout_ms = 60000;
    env.payload.data = payload;
    env.payload.len = plen;
    *len = planwatch__v1__request__get_packed_size(&env);
    uint8_t *buf = malloc(*len);
    planwatch__v1__request__pack(&env, buf);
    free(payload);
    return buf;
}

typedef struct storm {
    const bench_opts *o;
    const char *url;
    uint8_t **env;
    size_t *envlen;
    atomic_int next;
    atomic_int failed;
} storm;

typedef struct storm_thread {
    storm *s;
    pw_bench_lat lat;
} storm_thread;

static void *bench_storm_main(void *arg)
{
    storm_thread *t = arg;
    storm *s = t->s;
    pw_client *cl;
    char err[256];
    if (pw_client_open(s->url, NULL, &cl, err, sizeof err) != 0)
        return NULL;
    for (;;) {
        int u = atomic_fetch_add(&s->next, 1);
        if (u >= s->o->units)
            break;
        uint8_t *reply = NULL;
        size_t n = 0;
        double t0 = pw_bench_now();
        int st =
            pw_client_call_raw(cl, s->env[u], s->envlen[u], 60000, &reply, &n, err, sizeof err);
        pw_bench_lat_add(&t->lat, (pw_bench_now() - t0) * 1e6);
        Planwatch__V1__Response *r =
            st == PW_OK ? planwatch__v1__response__unpack(NULL, n, reply) : NULL;
        if (!r || r->status != PW_OK) {
            if (atomic_fetch_add(&s->failed, 1) < 3)
                fprintf(stderr, "planwatch-bench: submit u%04d: %s\n", u, r ? r->message : err);
        }
        if (r)
            planwatch__v1__response__free_unpacked(r, NULL);
        free(reply);
    }
    pw_client_close(cl);
    return NULL;
}

/* Profiling aid: when the environment variable `name` holds a shell
 * command, start it with the server's pid as $1 (e.g. 'perf record -p $1
 * -o b2.data -- sleep 3') and give it half a second to attach. */
static pid_t bench_hook(const char *name, pid_t server)
{
    const char *cmd = getenv(name);
    if (!cmd || !*cmd)
        return -1;
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)server);
    pid_t h = fork();
    if (h == 0) {
        execl("/bin/sh", "sh", "-c", cmd, "sh", pid, (char *)NULL);
        _exit(127);
    }
    usleep(500000);
    return h;
}

void pw_bench_b2(const bench_opts *o, const char *ipc, pid_t server, bench_results *r)
{
    storm s = {.o = o, .url = ipc};
    s.env = calloc((size_t)o->units, sizeof *s.env);
    s.envlen = calloc((size_t)o->units, sizeof *s.envlen);
    for (int u = 0; u < o->units; u++)
        s.env[u] = bench_envelope(o, u, 1, pw_bench_tokens[u], &s.envlen[u]);
    int n = o->submit_clients;
    storm_thread *ts = calloc((size_t)n, sizeof *ts);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    pid_t hook = bench_hook("PW_BENCH_B2_HOOK", server);
    pw_bench_reset_peak_rss(server);
    double cpu0 = pw_bench_cpu_s(server), self0 = pw_bench_self_cpu_s(RUSAGE_SELF);
    double start = pw_bench_now();
    for (int i = 0; i < n; i++) {
        ts[i].s = &s;
        pthread_create(&th[i], NULL, bench_storm_main, &ts[i]);
    }
    pw_bench_lat all = {0};
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        pw_bench_lat_merge(&all, &ts[i].lat);
        pw_bench_lat_free(&ts[i].lat);
    }
    double wall = pw_bench_now() - start;
    r->b2_server_cpu_ms = (pw_bench_cpu_s(server) - cpu0) * 1000 / o->units;
    r->b2_client_cpu_ms = (pw_bench_self_cpu_s(RUSAGE_SELF) - self0) * 1000 / o->units;
    r->b4_rss_mb = pw_bench_peak_rss_mb(server);
    if (hook > 0)
        waitpid(hook, NULL, 0);
    r->b2_wall_s = wall;
    r->b2_failed = atomic_load(&s.failed);
    r->b2_reports_s = (double)(o->units - r->b2_failed) / wall;
    r->b2_values_s = r->b2_reports_s * o->indicators;
    r->b2_p50_ms = pw_bench_lat_pct(&all, 0.50) / 1000;
    r->b2_p99_ms = pw_bench_lat_pct(&all, 0.99) / 1000;
    r->b2_max_ms = pw_bench_lat_pct(&all, 1.0) / 1000;
    pw_bench_lat_free(&all);
    for (int u = 0; u < o->units; u++)
        free(s.env[u]);
    free(s.env);
    free(s.envlen);
    free(ts);
    free(th);
}

/* Decode one value as the server stores it: a number, or a milestone. */
static void bench_bind_value(sqlite3_stmt *st, int col, const char *v)
{
    char *end;
    double d = strtod(v, &end);
    if (v[0] && !*end) {
        sqlite3_bind_double(st, col, d);
        sqlite3_bind_null(st, col + 1);
    } else {
        sqlite3_bind_null(st, col);
        sqlite3_bind_text(st, col + 1, v, -1, SQLITE_STATIC);
    }
}

typedef struct bench_ceiling {
    sqlite3 *db;
    sqlite3_stmt *ins_r, *ins_v, *ins_x;
    int64_t deadline;
} bench_ceiling;

/* Decode unit u's packed report and insert it in one durable transaction,
 * as the server would (no validation). */
static void bench_ceiling_one(bench_ceiling *c, int u, const uint8_t *msg, size_t len)
{
    Planwatch__V1__SubmitReportRequest *req =
        planwatch__v1__submit_report_request__unpack(NULL, len, msg);
    char unit[16], user[16];
    snprintf(unit, sizeof unit, "u%04d", u);
    snprintf(user, sizeof user, "r%04d", u);
    sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
    sqlite3_bind_text(c->ins_r, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->ins_r, 2, req->period, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->ins_r, 3, c->deadline - 86400);
    sqlite3_bind_int64(c->ins_r, 4, c->deadline);
    sqlite3_step(c->ins_r);
    sqlite3_reset(c->ins_r);
    sqlite3_int64 id = sqlite3_last_insert_rowid(c->db);
    sqlite3_bind_int64(c->ins_v, 1, id);
    sqlite3_bind_text(c->ins_v, 2, req->submission_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->ins_v, 3, user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->ins_v, 4, c->deadline - 86400);
    sqlite3_bind_text(c->ins_v, 5, req->progress, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->ins_v, 6, req->problems, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->ins_v, 7, req->next_steps, -1, SQLITE_STATIC);
    sqlite3_step(c->ins_v);
    sqlite3_reset(c->ins_v);
    for (size_t k = 0; k < req->n_values; k++) {
        sqlite3_bind_int64(c->ins_x, 1, id);
        sqlite3_bind_text(c->ins_x, 2, req->values[k]->indicator, -1, SQLITE_STATIC);
        bench_bind_value(c->ins_x, 3, req->values[k]->value);
        sqlite3_bind_text(c->ins_x, 5, req->values[k]->note, -1, SQLITE_STATIC);
        sqlite3_step(c->ins_x);
        sqlite3_reset(c->ins_x);
    }
    if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        fprintf(stderr, "planwatch-bench: ceiling: %s\n", sqlite3_errmsg(c->db));
    planwatch__v1__submit_report_request__free_unpacked(req, NULL);
}

void pw_bench_b2_ceiling(const bench_opts *o, const char *path, bench_results *r)
{
    bench_ceiling c = {0};
    sqlite3_open(path, &c.db);
    sqlite3_exec(c.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO reports(plan_id, unit_id, period, first_received_at,"
                       " deadline, current_version) VALUES ('bench', ?1, ?2, ?3, ?4, 1)",
                       -1, &c.ins_r, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO report_versions(report_id, version, submission_id,"
                       " user_name, received_at, progress, problems, next_steps)"
                       " VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7)",
                       -1, &c.ins_v, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO report_values(report_id, version, indicator_id, value,"
                       " milestone, note) VALUES (?1, 1, ?2, ?3, ?4, ?5)",
                       -1, &c.ins_x, NULL);
    pw_deadline_monthly(2018, 1, 5, 480, &c.deadline);
    /* streamed: each message is packed outside the clock, then only its
     * decode + insert is timed (memory stays one message, any unit count) */
    double wall = 0, cpu = 0;
    for (int u = 0; u < o->units; u++) {
        size_t len;
        uint8_t *msg = bench_report(o, u, 1, &len);
        double cpu0 = pw_bench_self_cpu_s(RUSAGE_THREAD), t0 = pw_bench_now();
        bench_ceiling_one(&c, u, msg, len);
        wall += pw_bench_now() - t0;
        cpu += pw_bench_self_cpu_s(RUSAGE_THREAD) - cpu0;
        free(msg);
    }
    r->b2_ceiling_reports_s = (double)o->units / wall;
    r->b2_ceiling_cpu_ms = cpu * 1000 / o->units;
    sqlite3_finalize(c.ins_r);
    sqlite3_finalize(c.ins_v);
    sqlite3_finalize(c.ins_x);
    sqlite3_close(c.db);
}

/* Months 2..o->months of every unit, written directly (the rows the server
 * writes for a first submission: report, version 1, its values). */
void pw_bench_history(const bench_opts *o, const char *path)
{
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *ins_r, *ins_v, *ins_x;
    sqlite3_prepare_v2(db,
                       "INSERT INTO reports(plan_id, unit_id, period, first_received_at,"
                       " deadline, current_version) VALUES ('bench', ?1, ?2, ?3, ?4, 1)",
                       -1, &ins_r, NULL);
    sqlite3_prepare_v2(db,
                       "INSERT INTO report_versions(report_id, version, submission_id,"
                       " user_name, received_at, progress, problems) VALUES (?1, 1, ?2, ?3,"
                       " ?4, '按计划推进', ?5)",
                       -1, &ins_v, NULL);
    sqlite3_prepare_v2(db,
                       "INSERT INTO report_values(report_id, version, indicator_id, value,"
                       " milestone) VALUES (?1, 1, ?2, ?3, ?4)",
                       -1, &ins_x, NULL);
    for (int m = 2; m <= o->months; m++) {
        char period[16];
        snprintf(period, sizeof period, "2018-%02d", m);
        int64_t deadline;
        pw_deadline_monthly(2018, m, 5, 480, &deadline);
        for (int u = 0; u < o->units; u++) {
            char unit[16], user[16], sid[40];
            snprintf(unit, sizeof unit, "u%04d", u);
            snprintf(user, sizeof user, "r%04d", u);
            snprintf(sid, sizeof sid, "hist-%d-%d", u, m);
            /* one unit in twenty is two days late */
            int64_t at = u % 20 == 7 ? deadline + 2 * 86400 : deadline - 3 * 86400;
            sqlite3_bind_text(ins_r, 1, unit, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_r, 2, period, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_r, 3, at);
            sqlite3_bind_int64(ins_r, 4, deadline);
            sqlite3_step(ins_r);
            sqlite3_reset(ins_r);
            sqlite3_int64 id = sqlite3_last_insert_rowid(db);
            sqlite3_bind_int64(ins_v, 1, id);
            sqlite3_bind_text(ins_v, 2, sid, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_v, 3, user, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_v, 4, at);
            sqlite3_bind_text(ins_v, 5, u % 5 == 0 ? "资金不到位" : "", -1, SQLITE_STATIC);
            sqlite3_step(ins_v);
            sqlite3_reset(ins_v);
            for (int k = 0; k < o->indicators; k++) {
                char ind[16], val[24];
                snprintf(ind, sizeof ind, "B%03d", k);
                bench_value(u, k, m, val, sizeof val);
                sqlite3_bind_int64(ins_x, 1, id);
                sqlite3_bind_text(ins_x, 2, ind, -1, SQLITE_TRANSIENT);
                bench_bind_value(ins_x, 3, val);
                sqlite3_step(ins_x);
                sqlite3_reset(ins_x);
            }
        }
        /* a commit a month: the WAL (checkpointed at each commit) stays
         * one month big, whatever the number of units */
        sqlite3_exec(db, "COMMIT; BEGIN", NULL, NULL, NULL);
    }
    sqlite3_finalize(ins_r);
    sqlite3_finalize(ins_v);
    sqlite3_finalize(ins_x);
    sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(db);
}

/* One timed call on an open client; seconds, -1 on failure.  *bytes: the
 * packed size of the reply's payload. */
static double bench_timed_call(pw_client *cl, const char *token, const char *method,
                               const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
                               long long *bytes)
{
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    double t0 = pw_bench_now();
    int st = pw_client_call(cl, method, token, 600000, req, rd, &resp, &res);
    double dt = pw_bench_now() - t0;
    if (st != PW_OK)
        fprintf(stderr, "planwatch-bench: %s: %s\n", method, res.message);
    if (resp) {
        if (bytes)
            *bytes = (long long)protobuf_c_message_get_packed_size(resp);
        protobuf_c_message_free_unpacked(resp, NULL);
    }
    pw_call_result_fini(&res);
    return st == PW_OK ? dt : -1;
}

static char *bench_login_office(const char *url)
{
    pw_client *cl;
    char err[256];
    if (pw_client_open(url, NULL, &cl, err, sizeof err) != 0)
        return NULL;
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = "office";
    req.password = "bench-reporter-1";
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

/* ---- B3 raw: the floor of the server's read design ------------------------ */

enum { BENCH_RAW_SCORES, BENCH_RAW_DISPATCH };

/*
 * The B3 raw column: ONE SQLite query that reads the inputs the server's
 * read design reads, on a read-only connection to the database the server
 * wrote.  It MUST MIRROR what server/store/assess.c (pw_assess_load) reads
 * for the office's reads; since schema v6 (issue 18) that is, for the year:
 * - the stored current values, one value_state row (a blob of every
 *   indicator's months) per unit (server/store/state.c);
 * - the stored assignments of the plan's revision (server/store/assign.c):
 *   one assign_state row per unit (a blob of its indicators and targets);
 * - the reports of the window: when each was received, its deadline and
 *   state (timeliness, the work-performance item).
 * Both kinds read the same inputs (the dispatch's quality flags find the
 * history in the blob); they differ in the window: the year for the
 * scores, months 1..m for the dispatch of month m.
 * Parameters: ?1 plan, ?2 first period, ?3 last period (YYYY-MM), ?4 year.
 */
static const char *bench_raw_sql(int kind)
{
    (void)kind;
    return "SELECT unit_id, NULL, NULL, NULL, NULL, series FROM value_state"
           " WHERE plan_id = ?1 AND year = ?4"
           " UNION ALL SELECT unit_id, NULL, NULL, NULL, NULL, rows FROM assign_state"
           " WHERE plan_id = ?1 AND year = ?4"
           " AND rev = (SELECT MAX(rev) FROM assign_state WHERE plan_id = ?1)"
           " UNION ALL SELECT unit_id, period, first_received_at, deadline, state, NULL"
           " FROM reports WHERE plan_id = ?1 AND period BETWEEN ?2 AND ?3";
}

static volatile double bench_raw_sink;

/* Every column of the current row read as the server reads it. */
static double bench_raw_row(sqlite3_stmt *st)
{
    double sum = 0;
    for (int c = 0; c < sqlite3_column_count(st); c++) {
        switch (sqlite3_column_type(st, c)) {
        case SQLITE_INTEGER:
        case SQLITE_FLOAT:
            sum += sqlite3_column_double(st, c);
            break;
        case SQLITE_BLOB:
            sum += sqlite3_column_blob(st, c) != NULL;
            sum += sqlite3_column_bytes(st, c);
            break;
        case SQLITE_TEXT:
            sum += sqlite3_column_text(st, c) != NULL;
            break;
        default:
            break;
        }
    }
    return sum;
}

/* Seconds for one run of bench_raw_sql(kind) on `db`, every row stepped
 * and every column read; -1 on an SQL error.  *rows: the rows read. */
static double bench_raw_run(sqlite3 *db, int kind, int last_month, long long *rows)
{
    char to[16];
    snprintf(to, sizeof to, "2018-%02d", last_month);
    double t0 = pw_bench_now();
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, bench_raw_sql(kind), -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "planwatch-bench: raw query: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_text(st, 1, "bench", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, "2018-01", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, 2018);
    long long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bench_raw_sink += bench_raw_row(st);
        n++;
    }
    sqlite3_finalize(st);
    double dt = pw_bench_now() - t0;
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "planwatch-bench: raw query: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    *rows = n;
    return dt;
}

/* B3 raw: median of o->reps runs of each kind, after the server stopped. */
static void bench_b3_raw(const bench_opts *o, const char *path, bench_results *r)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "planwatch-bench: raw: cannot open %s\n", path);
        sqlite3_close(db);
        return;
    }
    sqlite3_exec(db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL); /* as the server */
    double t[2][16];
    long long rows[2] = {0, 0};
    int reps = o->reps < 1 ? 1 : o->reps > 16 ? 16 : o->reps;
    for (int i = 0; i < reps; i++)
        for (int k = 0; k < 2; k++)
            t[k][i] = bench_raw_run(db, k, o->months, &rows[k]);
    sqlite3_close(db);
    r->b3_rankings_raw_s = pw_bench_median(t[BENCH_RAW_SCORES], reps);
    r->b3_dispatch_raw_s = pw_bench_median(t[BENCH_RAW_DISPATCH], reps);
    r->b3_rankings_raw_rows = rows[BENCH_RAW_SCORES];
    r->b3_dispatch_raw_rows = rows[BENCH_RAW_DISPATCH];
}

/* ---- B3 appendix page ------------------------------------------------------ */

enum { BENCH_APPENDIX_PAGE = 100 };

/*
 * The appendix page (issue 18: the unit x indicator grid, one group or one
 * page of units per call).  The server offers it when DispatchRequest has
 * an integer `page_size` (the paging convention of report.proto); found in
 * the compiled descriptor, so that this builds whether the proto has it or
 * not.  Sets it to BENCH_APPENDIX_PAGE in `req`; 0 when there is none (no
 * paging: the page column prints "-").  page_size -1 asks for the summary
 * without the appendix (the leader's bulletin).  Change it here when the
 * server's paging takes another shape.
 */
static int bench_page_request(Planwatch__V1__DispatchRequest *req, int size)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(
        &planwatch__v1__dispatch_request__descriptor, "page_size");
    if (!f || f->label == PROTOBUF_C_LABEL_REPEATED ||
        (f->type != PROTOBUF_C_TYPE_INT32 && f->type != PROTOBUF_C_TYPE_SINT32))
        return 0;
    *(int32_t *)((char *)req + f->offset) = size;
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset)
        *(protobuf_c_boolean *)((char *)req + f->quantifier_offset) = 1;
    return size;
}

/* ---- B3 -------------------------------------------------------------------- */

/* The timed office reads on an open client (median of o->reps calls
 * each): first the interactive ones (issue 18: rankings, the dispatch
 * summary and, when offered, the appendix's first page), with the server's
 * peak RSS over them; then the whole dispatch with its appendix (every
 * unit x indicator cell at once: what a publication stores and the
 * printed bulletin shows), with its own peak. */
static void bench_b3_calls(const bench_opts *o, pw_client *cl, const char *tok, pid_t server,
                           bench_results *r)
{
    Planwatch__V1__ScoresRequest sr = PLANWATCH__V1__SCORES_REQUEST__INIT;
    char year[16], month[16];
    snprintf(year, sizeof year, o->months == 12 ? "2018" : "2018-%02d", o->months);
    sr.period = year;
    Planwatch__V1__DispatchRequest dr = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    snprintf(month, sizeof month, "2018-%02d", o->months);
    dr.period = month;
    Planwatch__V1__DispatchRequest pr = dr, sum = dr;
    r->b3_appendix_page_size = bench_page_request(&pr, BENCH_APPENDIX_PAGE);
    int summary = bench_page_request(&sum, -1) != 0;
    double rank[16], disp[16], page[16], summ[16];
    int reps = o->reps < 1 ? 1 : o->reps > 16 ? 16 : o->reps;
    pw_bench_reset_peak_rss(server);
    for (int i = 0; i < reps; i++) {
        rank[i] = bench_timed_call(cl, tok, "/planwatch.v1.ScoreService/Get", &sr.base,
                                   &planwatch__v1__scores_response__descriptor, NULL);
        page[i] = r->b3_appendix_page_size
                      ? bench_timed_call(cl, tok, "/planwatch.v1.DispatchService/Get", &pr.base,
                                         &planwatch__v1__dispatch_summary__descriptor, NULL)
                      : -1;
        summ[i] = summary
                      ? bench_timed_call(cl, tok, "/planwatch.v1.DispatchService/Get", &sum.base,
                                         &planwatch__v1__dispatch_summary__descriptor, NULL)
                      : -1;
    }
    r->b4_rss_b3_mb = pw_bench_peak_rss_mb(server);
    pw_bench_reset_peak_rss(server);
    for (int i = 0; i < reps; i++)
        disp[i] =
            bench_timed_call(cl, tok, "/planwatch.v1.DispatchService/Get", &dr.base,
                             &planwatch__v1__dispatch_summary__descriptor, &r->b3_dispatch_bytes);
    r->b4_rss_b3_whole_mb = pw_bench_peak_rss_mb(server);
    r->b3_rankings_first_s = rank[0];
    r->b3_dispatch_first_s = disp[0];
    r->b3_rankings_s = pw_bench_median(rank, reps);
    r->b3_dispatch_s = pw_bench_median(disp, reps);
    r->b3_appendix_page_s = pw_bench_median(page, reps);
    r->b3_summary_s = pw_bench_median(summ, reps);
}

void pw_bench_b3(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                 bench_results *r)
{
    r->b3_rankings_raw_s = r->b3_dispatch_raw_s = r->b3_appendix_page_s = r->b3_summary_s = -1;
    pw_bench_history(o, db);
    r->b3_values = (long long)o->units * o->indicators * o->months;
    struct stat st;
    r->b4_db_bytes = stat(db, &st) == 0 ? (long long)st.st_size : 0;
    r->b4_db_bytes_per_million_values = (double)r->b4_db_bytes / ((double)r->b3_values / 1e6);
    pid_t server = bench_server(o, db, ipc, tcp);
    char *tok = bench_login_office(ipc);
    pw_client *cl = NULL;
    char err[256];
    if (!tok || pw_client_open(ipc, NULL, &cl, err, sizeof err) != 0) {
        fprintf(stderr, "planwatch-bench: office login failed\n");
        free(tok);
        bench_stop(server);
        return;
    }
    pid_t hook = bench_hook("PW_BENCH_B3_HOOK", server);
    bench_b3_calls(o, cl, tok, server, r);
    if (hook > 0)
        waitpid(hook, NULL, 0);
    pw_client_close(cl);
    free(tok);
    bench_stop(server);
    bench_b3_raw(o, db, r); /* on the file the server wrote, with the server gone */
}
