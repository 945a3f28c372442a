/*
 * bench_reports.c - B2 (deadline storm against a raw ceiling), B3 (office
 * reads over a year of data) and B4 (footprint) of planwatch-bench.
 *
 * The plan: indicators B001..Bnnn, kind level, unit '套', one per-unit target
 * for every unit, year 2018.  Reports are for 2018-01 (B2); months 2..12 are
 * written straight into the database for B3 (same schema, same rows the
 * server would write), then read back through the server.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/call.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "tests/bench/bench.h"

void pw_bench_make_plan(const bench_opts *o, sqlite3 *s)
{
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    sqlite3_exec(s, "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
                    "('bench', 'bench plan', 2018, 2018, 0)",
                 NULL, NULL, NULL);
    sqlite3_stmt *i, *t;
    sqlite3_prepare_v2(s, "INSERT INTO indicators VALUES ('bench', ?1, ?2, 'l1', 'l2', ?1, '套',"
                          " 'level', 'up')", -1, &i, NULL);
    sqlite3_prepare_v2(s, "INSERT INTO targets VALUES ('bench', ?1, 2018, ?2, 1000, NULL)", -1, &t,
                       NULL);
    for (int k = 0; k < o->indicators; k++) {
        char id[16];
        snprintf(id, sizeof id, "B%03d", k);
        sqlite3_bind_text(i, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(i, 2, k);
        sqlite3_step(i);
        sqlite3_reset(i);
        for (int u = 0; u < o->units; u++) {
            char unit[16];
            snprintf(unit, sizeof unit, "u%04d", u);
            sqlite3_bind_text(t, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(t, 2, unit, -1, SQLITE_TRANSIENT);
            sqlite3_step(t);
            sqlite3_reset(t);
        }
    }
    sqlite3_finalize(i);
    sqlite3_finalize(t);
    sqlite3_exec(s, "INSERT INTO sheets VALUES ('county', 0);"
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
    char (*ids)[16] = calloc((size_t)o->indicators, sizeof *ids);
    char (*vals)[24] = calloc((size_t)o->indicators, sizeof *vals);
    for (int k = 0; k < o->indicators; k++) {
        planwatch__v1__report_value__init(&v[k]);
        snprintf(ids[k], sizeof ids[k], "B%03d", k);
        snprintf(vals[k], sizeof vals[k], "%d", (u * 7 + k * 13 + m * 50) % 1000);
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
    *len = planwatch__v1__submit_report_request__get_packed_size(&req);
    uint8_t *buf = malloc(*len);
    planwatch__v1__submit_report_request__pack(&req, buf);
    free(v);
    free(vp);
    free(ids);
    free(vals);
    return buf;
}

typedef struct storm {
    const bench_opts *o;
    const char *url;
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
        size_t len;
        uint8_t *payload = bench_report(s->o, u, 1, &len);
        Planwatch__V1__SubmitReportRequest *req =
            planwatch__v1__submit_report_request__unpack(NULL, len, payload);
        free(payload);
        ProtobufCMessage *resp = NULL;
        pw_call_result res;
        double t0 = pw_bench_now();
        int st = pw_client_call(cl, "/planwatch.v1.ReportService/Submit", pw_bench_tokens[u],
                                60000, &req->base, &planwatch__v1__receipt__descriptor, &resp,
                                &res);
        pw_bench_lat_add(&t->lat, (pw_bench_now() - t0) * 1e6);
        if (st != PW_OK) {
            if (atomic_fetch_add(&s->failed, 1) < 3)
                fprintf(stderr, "planwatch-bench: submit u%04d: %s\n", u, res.message);
        }
        if (resp)
            protobuf_c_message_free_unpacked(resp, NULL);
        pw_call_result_fini(&res);
        planwatch__v1__submit_report_request__free_unpacked(req, NULL);
    }
    pw_client_close(cl);
    return NULL;
}

void pw_bench_b2(const bench_opts *o, const char *ipc, pid_t server, bench_results *r)
{
    storm s = {.o = o, .url = ipc};
    int n = o->submit_clients;
    storm_thread *ts = calloc((size_t)n, sizeof *ts);
    pthread_t *th = calloc((size_t)n, sizeof *th);
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
    r->b2_failed = atomic_load(&s.failed);
    r->b2_reports_s = (double)(o->units - r->b2_failed) / wall;
    r->b2_values_s = r->b2_reports_s * o->indicators;
    r->b2_p50_ms = pw_bench_lat_pct(&all, 0.50) / 1000;
    r->b2_p99_ms = pw_bench_lat_pct(&all, 0.99) / 1000;
    r->b2_max_ms = pw_bench_lat_pct(&all, 1.0) / 1000;
    r->b4_rss_mb = r->b4_rss_b2_mb = pw_bench_peak_rss_mb(server);
    pw_bench_lat_free(&all);
    free(ts);
    free(th);
}

/* The raw ceiling: the same messages, decoded and inserted into a fresh
 * database with the same schema and durability, one transaction each, no
 * RPC, no validation. */
void pw_bench_b2_ceiling(const bench_opts *o, bench_results *r)
{
    char path[400];
    snprintf(path, sizeof path, "%s/ceiling.db", o->dir);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                     "CREATE TABLE reports(id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL,"
                     " unit_id TEXT NOT NULL, period TEXT NOT NULL, first_received_at INTEGER,"
                     " deadline INTEGER, state TEXT DEFAULT 'submitted', current_version INTEGER,"
                     " UNIQUE(plan_id, unit_id, period));"
                     "CREATE TABLE report_versions(report_id INTEGER, version INTEGER,"
                     " submission_id TEXT UNIQUE, user_name TEXT, received_at INTEGER,"
                     " progress TEXT, problems TEXT, next_steps TEXT,"
                     " PRIMARY KEY(report_id, version));"
                     "CREATE TABLE report_values(report_id INTEGER, version INTEGER,"
                     " indicator_id TEXT, value REAL, milestone TEXT, note TEXT,"
                     " PRIMARY KEY(report_id, version, indicator_id)) WITHOUT ROWID;",
                 NULL, NULL, NULL);
    sqlite3_stmt *ins_r, *ins_v, *ins_x;
    sqlite3_prepare_v2(db, "INSERT INTO reports(plan_id, unit_id, period, first_received_at,"
                           " deadline, current_version) VALUES ('bench', ?1, ?2, 0, 0, 1)",
                       -1, &ins_r, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO report_versions VALUES (?1, 1, ?2, 'x', 0, ?3, '', '')",
                       -1, &ins_v, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO report_values VALUES (?1, 1, ?2, ?3, NULL, ?4)", -1,
                       &ins_x, NULL);
    /* pack all messages first: the ceiling measures decode + insert only */
    uint8_t **msgs = calloc((size_t)o->units, sizeof *msgs);
    size_t *lens = calloc((size_t)o->units, sizeof *lens);
    for (int u = 0; u < o->units; u++)
        msgs[u] = bench_report(o, u, 1, &lens[u]);
    double start = pw_bench_now();
    for (int u = 0; u < o->units; u++) {
        Planwatch__V1__SubmitReportRequest *req =
            planwatch__v1__submit_report_request__unpack(NULL, lens[u], msgs[u]);
        char unit[16];
        snprintf(unit, sizeof unit, "u%04d", u);
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        sqlite3_bind_text(ins_r, 1, unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_r, 2, req->period, -1, SQLITE_STATIC);
        sqlite3_step(ins_r);
        sqlite3_reset(ins_r);
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);
        sqlite3_bind_int64(ins_v, 1, id);
        sqlite3_bind_text(ins_v, 2, req->submission_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_v, 3, req->progress, -1, SQLITE_STATIC);
        sqlite3_step(ins_v);
        sqlite3_reset(ins_v);
        for (size_t k = 0; k < req->n_values; k++) {
            sqlite3_bind_int64(ins_x, 1, id);
            sqlite3_bind_text(ins_x, 2, req->values[k]->indicator, -1, SQLITE_STATIC);
            sqlite3_bind_double(ins_x, 3, atof(req->values[k]->value));
            sqlite3_bind_text(ins_x, 4, req->values[k]->note, -1, SQLITE_STATIC);
            sqlite3_step(ins_x);
            sqlite3_reset(ins_x);
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        planwatch__v1__submit_report_request__free_unpacked(req, NULL);
    }
    r->b2_ceiling_reports_s = (double)o->units / (pw_bench_now() - start);
    for (int u = 0; u < o->units; u++)
        free(msgs[u]);
    free(msgs);
    free(lens);
    sqlite3_finalize(ins_r);
    sqlite3_finalize(ins_v);
    sqlite3_finalize(ins_x);
    sqlite3_close(db);
}

/* Months 2..o->months of every unit, written directly (as the server would). */
static void bench_history(const bench_opts *o, const char *path)
{
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *ins_r, *ins_v, *ins_x;
    sqlite3_prepare_v2(db, "INSERT INTO reports(plan_id, unit_id, period, first_received_at,"
                           " deadline, current_version) VALUES ('bench', ?1, ?2, ?3, ?3, 1)",
                       -1, &ins_r, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO report_versions(report_id, version, submission_id,"
                           " user_name, received_at) VALUES (?1, 1, ?2, 'bench', 0)",
                       -1, &ins_v, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO report_values(report_id, version, indicator_id, value)"
                           " VALUES (?1, 1, ?2, ?3)", -1, &ins_x, NULL);
    for (int m = 2; m <= o->months; m++) {
        char period[16];
        snprintf(period, sizeof period, "2018-%02d", m);
        for (int u = 0; u < o->units; u++) {
            char unit[16], sid[40];
            snprintf(unit, sizeof unit, "u%04d", u);
            snprintf(sid, sizeof sid, "hist-%d-%d", u, m);
            sqlite3_bind_text(ins_r, 1, unit, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_r, 2, period, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_r, 3, 1514736000 + (int64_t)m * 2678400);
            sqlite3_step(ins_r);
            sqlite3_reset(ins_r);
            sqlite3_int64 id = sqlite3_last_insert_rowid(db);
            sqlite3_bind_int64(ins_v, 1, id);
            sqlite3_bind_text(ins_v, 2, sid, -1, SQLITE_STATIC);
            sqlite3_step(ins_v);
            sqlite3_reset(ins_v);
            for (int k = 0; k < o->indicators; k++) {
                char ind[16];
                snprintf(ind, sizeof ind, "B%03d", k);
                sqlite3_bind_int64(ins_x, 1, id);
                sqlite3_bind_text(ins_x, 2, ind, -1, SQLITE_TRANSIENT);
                sqlite3_bind_double(ins_x, 3, (u * 7 + k * 13 + m * 50) % 1000);
                sqlite3_step(ins_x);
                sqlite3_reset(ins_x);
            }
        }
    }
    sqlite3_finalize(ins_r);
    sqlite3_finalize(ins_v);
    sqlite3_finalize(ins_x);
    sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(db);
}

static double bench_timed_call(const char *url, const char *token, const char *method,
                               const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd)
{
    pw_client *cl;
    char err[256];
    if (pw_client_open(url, NULL, &cl, err, sizeof err) != 0)
        return -1;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    double t0 = pw_bench_now();
    int st = pw_client_call(cl, method, token, 600000, req, rd, &resp, &res);
    double dt = pw_bench_now() - t0;
    if (st != PW_OK)
        fprintf(stderr, "planwatch-bench: %s: %s\n", method, res.message);
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);
    pw_client_close(cl);
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

void pw_bench_b3(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                 bench_results *r)
{
    bench_history(o, db);
    r->b3_values = (long long)o->units * o->indicators * o->months;
    struct stat st;
    long long bytes = stat(db, &st) == 0 ? (long long)st.st_size : 0;
    r->b4_db_bytes_per_million_values = (double)bytes / ((double)r->b3_values / 1e6);
    pid_t server = bench_server(o, db, ipc, tcp);
    char *tok = bench_login_office(ipc);
    if (!tok) {
        fprintf(stderr, "planwatch-bench: office login failed\n");
        bench_stop(server);
        return;
    }
    Planwatch__V1__ScoresRequest sr = PLANWATCH__V1__SCORES_REQUEST__INIT;
    char year[8], month[16];
    snprintf(year, sizeof year, o->months == 12 ? "2018" : "2018-%02d", o->months);
    sr.period = year;
    r->b3_rankings_s = bench_timed_call(ipc, tok, "/planwatch.v1.ScoreService/Get", &sr.base,
                                        &planwatch__v1__scores_response__descriptor);
    Planwatch__V1__DispatchRequest dr = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    snprintf(month, sizeof month, "2018-%02d", o->months);
    dr.period = month;
    r->b3_dispatch_s = bench_timed_call(ipc, tok, "/planwatch.v1.DispatchService/Get", &dr.base,
                                        &planwatch__v1__dispatch_summary__descriptor);
    double rss = r->b4_rss_b3_mb = pw_bench_peak_rss_mb(server);
    if (rss > r->b4_rss_mb)
        r->b4_rss_mb = rss;
    free(tok);
    bench_stop(server);
}
