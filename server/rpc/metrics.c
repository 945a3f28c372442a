/*
 * metrics.c - counters of calls, errors, latencies and received reports,
 * and the one renderer of the Prometheus text format.  See metrics.h.
 */
#include "server/rpc/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "common/status.h"
#include "server/rpc/methods.h"
#include "server/store/store_ops.h"

#define PW_METRICS_MAX_METHODS 256
#define PW_METRICS_NBUCKETS 14

/* upper bounds of the latency buckets, seconds (and microseconds) */
static const char *const pw_metrics_le[PW_METRICS_NBUCKETS] = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "10"};
static const int64_t pw_metrics_le_us[PW_METRICS_NBUCKETS] = {
    500,    1000,   2500,   5000,    10000,   25000,   50000,
    100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};

typedef struct pw_method_metrics {
    _Atomic uint64_t calls, usec;
    _Atomic uint64_t by_status[PW_STATUS_COUNT];
    _Atomic uint64_t bucket[PW_METRICS_NBUCKETS + 1]; /* last: above 10 s */
} pw_method_metrics;

/* one slot per method table row, and the last for requests without one */
static pw_method_metrics pw_metrics_methods[PW_METRICS_MAX_METHODS + 1];

static pthread_mutex_t pw_metrics_period_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char period[16];
    _Atomic uint64_t n;
} pw_metrics_periods[PW_METRICS_MAX_PERIODS];
static int pw_metrics_nperiods;
static _Atomic uint64_t pw_metrics_other_periods;
static int64_t pw_metrics_started_at;

__attribute__((constructor)) static void pw_metrics_start(void)
{
    pw_metrics_started_at = (int64_t)time(NULL);
}

void pw_metrics_call(const pw_method *m, int status, int64_t usec)
{
    size_t i = PW_METRICS_MAX_METHODS;
    if (m) {
        i = (size_t)(m - pw_methods);
        if (i >= pw_method_count || i >= PW_METRICS_MAX_METHODS)
            i = PW_METRICS_MAX_METHODS;
    }
    pw_method_metrics *mm = &pw_metrics_methods[i];
    atomic_fetch_add_explicit(&mm->calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&mm->usec, (uint64_t)(usec > 0 ? usec : 0), memory_order_relaxed);
    if (status < 0 || status >= PW_STATUS_COUNT)
        status = PW_UNKNOWN;
    atomic_fetch_add_explicit(&mm->by_status[status], 1, memory_order_relaxed);
    int b = 0;
    while (b < PW_METRICS_NBUCKETS && usec > pw_metrics_le_us[b])
        b++;
    atomic_fetch_add_explicit(&mm->bucket[b], 1, memory_order_relaxed);
}

void pw_metrics_report_received(const char *period)
{
    pthread_mutex_lock(&pw_metrics_period_mu);
    int i = 0;
    while (i < pw_metrics_nperiods && strcmp(pw_metrics_periods[i].period, period) != 0)
        i++;
    if (i == pw_metrics_nperiods && i < PW_METRICS_MAX_PERIODS &&
        strlen(period) < sizeof pw_metrics_periods[i].period) {
        strcpy(pw_metrics_periods[i].period, period);
        pw_metrics_nperiods++;
    }
    if (i < pw_metrics_nperiods)
        atomic_fetch_add_explicit(&pw_metrics_periods[i].n, 1, memory_order_relaxed);
    else
        atomic_fetch_add_explicit(&pw_metrics_other_periods, 1, memory_order_relaxed);
    pthread_mutex_unlock(&pw_metrics_period_mu);
}

/* A label value: backslash, double quote and newline escaped. */
static int pw_metrics_label(pw_strbuf *out, const char *v)
{
    int fail = 0;
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            fail |= pw_strbuf_append_char(out, '\\');
        if (*v == '\n') {
            fail |= pw_strbuf_append_str(out, "\\n");
            continue;
        }
        fail |= pw_strbuf_append_char(out, *v);
    }
    return fail;
}

static int pw_metrics_head(pw_strbuf *out, const char *name, const char *type, const char *help)
{
    return pw_strbuf_appendf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *pw_metrics_method_name(size_t i)
{
    return i < pw_method_count ? pw_methods[i].name : "-";
}

static int pw_metrics_used(size_t i)
{
    return atomic_load_explicit(&pw_metrics_methods[i].calls, memory_order_relaxed) > 0;
}

#define PW_METRICS_EACH_METHOD(i)                                                                  \
    for (size_t i = 0; i <= PW_METRICS_MAX_METHODS; i++)                                           \
        if ((i < pw_method_count || i == PW_METRICS_MAX_METHODS) && pw_metrics_used(i))

/* Calls and errors per method. */
static int pw_metrics_render_calls(pw_strbuf *out)
{
    int fail = 0;
    fail |=
        pw_metrics_head(out, "planwatch_calls_total", "counter", "RPC calls finished, per method");
    PW_METRICS_EACH_METHOD(i)
    {
        fail |= pw_strbuf_append_str(out, "planwatch_calls_total{method=\"");
        fail |= pw_metrics_label(out, pw_metrics_method_name(i));
        fail |= pw_strbuf_appendf(out, "\"} %llu\n",
                                  (unsigned long long)atomic_load(&pw_metrics_methods[i].calls));
    }
    fail |=
        pw_metrics_head(out, "planwatch_call_errors_total", "counter",
                        "RPC calls answered with a status other than OK, per method and status");
    PW_METRICS_EACH_METHOD(i)
    {
        for (int s = 1; s < PW_STATUS_COUNT; s++) {
            uint64_t n = atomic_load(&pw_metrics_methods[i].by_status[s]);
            if (!n)
                continue;
            fail |= pw_strbuf_append_str(out, "planwatch_call_errors_total{method=\"");
            fail |= pw_metrics_label(out, pw_metrics_method_name(i));
            fail |= pw_strbuf_appendf(out, "\",code=\"%s\"} %llu\n", pw_status_name(s),
                                      (unsigned long long)n);
        }
    }
    return fail;
}

/* The duration histogram per method. */
static int pw_metrics_render_durations(pw_strbuf *out)
{
    int fail = 0;
    fail |= pw_metrics_head(out, "planwatch_call_duration_seconds", "histogram",
                            "time from a request's arrival to its reply, per method");
    PW_METRICS_EACH_METHOD(i)
    {
        const char *name = pw_metrics_method_name(i);
        uint64_t cum = 0;
        for (int b = 0; b <= PW_METRICS_NBUCKETS; b++) {
            cum += atomic_load(&pw_metrics_methods[i].bucket[b]);
            fail |= pw_strbuf_append_str(out, "planwatch_call_duration_seconds_bucket{method=\"");
            fail |= pw_metrics_label(out, name);
            fail |= pw_strbuf_appendf(out, "\",le=\"%s\"} %llu\n",
                                      b < PW_METRICS_NBUCKETS ? pw_metrics_le[b] : "+Inf",
                                      (unsigned long long)cum);
        }
        fail |= pw_strbuf_append_str(out, "planwatch_call_duration_seconds_sum{method=\"");
        fail |= pw_metrics_label(out, name);
        fail |= pw_strbuf_appendf(out, "\"} %.6f\n",
                                  (double)atomic_load(&pw_metrics_methods[i].usec) / 1e6);
        fail |= pw_strbuf_append_str(out, "planwatch_call_duration_seconds_count{method=\"");
        fail |= pw_metrics_label(out, name);
        fail |= pw_strbuf_appendf(out, "\"} %llu\n", (unsigned long long)cum);
    }
    return fail;
}

/* Report versions received per period. */
static int pw_metrics_render_reports(pw_strbuf *out)
{
    int fail = 0;
    fail |= pw_metrics_head(out, "planwatch_reports_received_total", "counter",
                            "report versions stored since start, per reporting period");
    pthread_mutex_lock(&pw_metrics_period_mu);
    for (int i = 0; i < pw_metrics_nperiods; i++) {
        fail |= pw_strbuf_append_str(out, "planwatch_reports_received_total{period=\"");
        fail |= pw_metrics_label(out, pw_metrics_periods[i].period);
        fail |= pw_strbuf_appendf(out, "\"} %llu\n",
                                  (unsigned long long)atomic_load(&pw_metrics_periods[i].n));
    }
    pthread_mutex_unlock(&pw_metrics_period_mu);
    uint64_t other = atomic_load(&pw_metrics_other_periods);
    if (other)
        fail |= pw_strbuf_appendf(out, "planwatch_reports_received_total{period=\"other\"} %llu\n",
                                  (unsigned long long)other);
    return fail;
}

/* The gauges read from the store. */
static int pw_metrics_render_store(pw_store *st, pw_db *db, int64_t now, pw_strbuf *out)
{
    int fail = 0;
    pw_store_figures f;
    pw_store_read_figures(st, db, now, &f);
    fail |= pw_metrics_head(out, "planwatch_sessions", "gauge", "sessions that have not expired");
    fail |= pw_strbuf_appendf(out, "planwatch_sessions %lld\n", (long long)f.sessions);
    fail |= pw_metrics_head(out, "planwatch_database_bytes", "gauge", "size of the database file");
    fail |= pw_strbuf_appendf(out, "planwatch_database_bytes %lld\n", (long long)f.db_bytes);
    fail |=
        pw_metrics_head(out, "planwatch_wal_bytes", "gauge",
                        "size of the write-ahead log (grows while a backup holds its snapshot)");
    fail |= pw_strbuf_appendf(out, "planwatch_wal_bytes %lld\n", (long long)f.wal_bytes);
    fail |= pw_metrics_head(out, "planwatch_database_free_pages", "gauge",
                            "pages of the database file on its freelist");
    fail |= pw_strbuf_appendf(out, "planwatch_database_free_pages %lld\n", (long long)f.free_pages);
    fail |= pw_metrics_head(out, "planwatch_last_backup_timestamp_seconds", "gauge",
                            "unix time of the last backup recorded in backup_log (0: none)");
    fail |= pw_strbuf_appendf(out, "planwatch_last_backup_timestamp_seconds %lld\n",
                              (long long)f.last_backup_at);
    return fail;
}

int pw_metrics_render(pw_store *st, pw_db *db, int64_t now, pw_strbuf *out)
{
    int fail = 0;
    fail |= pw_metrics_head(out, "planwatch_build_info", "gauge",
                            "planwatchd version and the database schema version it migrates to");
    fail |= pw_strbuf_appendf(out, "planwatch_build_info{version=\"%s\",schema=\"%d\"} 1\n",
                              PW_VERSION, pw_store_schema_version());
    fail |= pw_metrics_render_calls(out);
    fail |= pw_metrics_render_durations(out);
    fail |= pw_metrics_render_reports(out);
    fail |= pw_metrics_render_store(st, db, now, out);
    fail |= pw_metrics_head(out, "planwatch_start_time_seconds", "gauge",
                            "unix time planwatchd started (the counters start there)");
    fail |= pw_strbuf_appendf(out, "planwatch_start_time_seconds %lld\n",
                              (long long)pw_metrics_started_at);
    return fail ? -1 : 0;
}
