/*
 * bench.h - shared pieces of planwatch-bench: a planwatchd child process,
 * client threads with latency recording, percentiles, RSS.
 */
#ifndef PW_BENCH_H
#define PW_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sqlite3.h>
#include <sys/types.h>

typedef struct bench_opts {
    int quick, json;
    int units, indicators, months;
    int rpc_clients, submit_clients, login_clients;
    double seconds;
    int workers;
    int64_t pw_ops, pw_mem_kib;
    char dir[256];
    char bindir[PATH_MAX];
} bench_opts;

typedef struct bench_results {
    double b1_pw_ipc, b1_raw_ipc, b1_pw_tcp, b1_raw_tcp;
    double b2_reports_s, b2_values_s, b2_p50_ms, b2_p99_ms, b2_max_ms, b2_ceiling_reports_s;
    int b2_failed;
    double b3_rankings_s, b3_dispatch_s;
    long long b3_values;
    double b4_rss_mb, b4_rss_b2_mb, b4_rss_b3_mb, b4_db_bytes_per_million_values;
    double b5_logins_s, b5_p50_ms, b5_p99_ms, b5_raw_verify_s;
    int b5_failed;
} bench_results;

/* The reporters' session tokens, by unit index (filled by B5). */
extern char (*pw_bench_tokens)[80];

/* planwatch_bench.c */
pid_t bench_server(const bench_opts *o, const char *db, const char *ipc, const char *tcp);
void bench_stop(pid_t pid);

/* bench_reports.c: a plan of o->indicators indicators with a per-unit
 * target for every unit, written into the open database `s`. */
void pw_bench_make_plan(const bench_opts *o, sqlite3 *s);
/* B2: every unit submits one month through the RPC path; B4 RSS of `server`. */
void pw_bench_b2(const bench_opts *o, const char *ipc, pid_t server, bench_results *r);
/* B2 ceiling: the same messages decoded and inserted directly. */
void pw_bench_b2_ceiling(const bench_opts *o, bench_results *r);
/* B3: fills months 2..o->months directly, restarts the server, times the
 * year's rankings and one dispatch summary through the RPC path; B4 size. */
void pw_bench_b3(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                 bench_results *r);

typedef struct pw_bench_lat {
    double *us;
    size_t n, cap;
} pw_bench_lat;

void pw_bench_lat_add(pw_bench_lat *l, double us);
/* q in [0,1]; sorts in place. */
double pw_bench_lat_pct(pw_bench_lat *l, double q);
void pw_bench_lat_merge(pw_bench_lat *into, const pw_bench_lat *from);
void pw_bench_lat_free(pw_bench_lat *l);

double pw_bench_now(void); /* monotonic seconds */

/* Peak RSS (VmHWM) of `pid` in MiB; -1 when unknown. */
double pw_bench_peak_rss_mb(pid_t pid);

#endif
