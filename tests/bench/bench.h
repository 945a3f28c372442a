/*
 * bench.h - shared pieces of planwatch-bench: a planwatchd child process,
 * client threads with latency recording, percentiles, RSS, and the report
 * benchmarks (B2 deadline storm, B3 office reads, B4 footprint).
 */
#ifndef PW_BENCH_H
#define PW_BENCH_H

#include <limits.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Which benchmarks run (--only). */
enum { PW_BENCH_B1 = 1, PW_BENCH_B2 = 2, PW_BENCH_B3 = 4, PW_BENCH_B5 = 16, PW_BENCH_B6 = 32 };

enum { PW_BENCH_MAX_SCALE = 8 };

typedef struct bench_opts {
    int quick, json;
    unsigned only; /* PW_BENCH_* bits */
    int units, indicators, months;
    int rpc_clients, submit_clients, login_clients;
    double seconds;
    int workers;
    int reps; /* B3: calls of each kind, the median is reported */
    int64_t pw_ops, pw_mem_kib;
    char dir[256];
    char bindir[PATH_MAX];
    /* --scale: the unit counts to run B2 and B3 at, one fresh database each */
    int scale[PW_BENCH_MAX_SCALE];
    int nscale;
} bench_opts;

typedef struct bench_results {
    double b1_pw_ipc, b1_raw_ipc, b1_pw_tcp, b1_raw_tcp;
    double b2_reports_s, b2_values_s, b2_p50_ms, b2_p99_ms, b2_max_ms, b2_ceiling_reports_s;
    double b2_wall_s;
    double b2_server_cpu_ms, b2_client_cpu_ms, b2_ceiling_cpu_ms; /* per report */
    int b2_failed;
    double b3_rankings_s, b3_dispatch_s, b3_rankings_first_s, b3_dispatch_first_s;
    long long b3_values, b3_dispatch_bytes;
    /* B3 raw: one SQLite query reading the same inputs (bench_raw_inputs),
     * median seconds, and the rows it read; -1 not measured */
    double b3_rankings_raw_s, b3_dispatch_raw_s;
    long long b3_rankings_raw_rows, b3_dispatch_raw_rows;
    /* B3: one page of the dispatch appendix (-1: the server offers no
     * paging, or the call failed) and its page size */
    double b3_appendix_page_s;
    double b3_summary_s; /* the dispatch summary without the appendix (page_size -1); -1: none */
    int b3_appendix_page_size;
    double bench_rss_mb; /* this program's peak RSS: its data and the B3 replies it decodes */
    double b4_rss_mb, b4_rss_b3_mb, b4_rss_b3_whole_mb, b4_db_bytes_per_million_values;
    long long b4_db_bytes;
    double b5_logins_s, b5_p50_ms, b5_p99_ms, b5_raw_verify_s;
    int b5_failed;
    /* B6: requests/s and p99 ms of the ranking page, the API, and the raw
     * static server with buffers of the same sizes */
    double b6_page_rps, b6_page_p99_ms, b6_raw_page_rps, b6_raw_page_p99_ms;
    double b6_api_rps, b6_api_p99_ms, b6_raw_api_rps, b6_raw_api_p99_ms;
    double b6_health_rps, b6_health_p99_ms, b6_raw_health_rps, b6_raw_health_p99_ms;
    long long b6_page_bytes, b6_api_bytes;
    int b6_clients, b6_failed;
} bench_results;

/* The reporters' session tokens, by unit index (filled by B5). */
extern char (*pw_bench_tokens)[80];

/* planwatch_bench.c */
pid_t bench_spawn(char *const argv[], int quiet);
pid_t bench_server(const bench_opts *o, const char *db, const char *ipc, const char *tcp);
/* The same with the board on `http` (an http:// URL). */
pid_t bench_server_http(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                        const char *http);
void bench_stop(pid_t pid);

/* bench_reports.c: a plan of o->indicators indicators (cumulative, level
 * and milestone kinds) with a per-unit target for every unit, written into
 * the open database `s`. */
void pw_bench_make_plan(const bench_opts *o, sqlite3 *s);
/* B2: every unit submits month 1 through the RPC path with the token B5
 * left in pw_bench_tokens; B4: the server's peak RSS during the storm. */
void pw_bench_b2(const bench_opts *o, const char *ipc, pid_t server, bench_results *r);
/* B2 ceiling: the same messages decoded and inserted directly into `db`
 * (a copy of the database the server started from), one durable
 * transaction each, no RPC, no validation. */
void pw_bench_b2_ceiling(const bench_opts *o, const char *db, bench_results *r);
/* Months 2..o->months of every unit written straight into the database at
 * `path` (the rows a first submission writes); for B3 and --make-db. */
void pw_bench_history(const bench_opts *o, const char *path);
/* B3: writes months 2..o->months of every unit straight into `db`, starts
 * the server, times the rankings of the window and the dispatch summary of
 * the last month through the RPC path (median of o->reps calls each); B4:
 * database bytes per million values. */
void pw_bench_b3(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                 bench_results *r);

/* bench_web.c: B6 on the database B3 left (months of data): publishes the
 * window's scores, then times the ranking page and /api/v1/scores with
 * o->web_clients keep-alive clients for o->seconds each, and a raw nng
 * HTTP server (a child: planwatch-bench --http-static URL FILE) serving
 * buffers of the same sizes. */
void pw_bench_b6(const bench_opts *o, const char *db, const char *ipc, const char *tcp,
                 bench_results *r);
int pw_bench_http_static_main(const char *url, const char *file);

typedef struct pw_bench_lat {
    double *us;
    size_t n, cap;
} pw_bench_lat;

void pw_bench_lat_add(pw_bench_lat *l, double us);
/* q in [0,1]; sorts in place. */
double pw_bench_lat_pct(pw_bench_lat *l, double q);
void pw_bench_lat_merge(pw_bench_lat *into, const pw_bench_lat *from);
void pw_bench_lat_free(pw_bench_lat *l);
/* Median of n figures (sorts in place); -1 when any is negative (failed). */
double pw_bench_median(double *v, int n);

double pw_bench_now(void); /* monotonic seconds */

/* Peak RSS (VmHWM) of `pid` in MiB; -1 when unknown. */
double pw_bench_peak_rss_mb(pid_t pid);
/* CPU seconds (user + system) used so far by process `pid`; -1 unknown. */
double pw_bench_cpu_s(pid_t pid);
/* Same for this process or thread (RUSAGE_SELF / RUSAGE_THREAD). */
double pw_bench_self_cpu_s(int who);
/* Reset the peak RSS of `pid` (Linux /proc/PID/clear_refs); 0 or -1. */
int pw_bench_reset_peak_rss(pid_t pid);

#endif
