/*
 * test_metrics.c - the counters and their Prometheus text (issue 17):
 * calls, errors per status, cumulative latency buckets, reports per period
 * with its bound, database figures and the last backup time.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "server/rpc/methods.h"
#include "server/rpc/metrics.h"
#include "server/store/store_ops.h"
#include "tests/support/harness.h"

static char dir[64], path[128];
static pw_store *st;
static pw_db *db;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/pwmetrics-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.db", dir);
    char err[256];
    cr_assert_eq(pw_store_open(path, NULL, &st, err, sizeof err), 0, "%s", err);
    cr_assert_eq(pw_store_open_reader(st, &db, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    pw_db_close(db);
    pw_store_close(st);
    cr_assert(pw_test_rmdir(dir) == 0);
}

TestSuite(metrics, .init = setup, .fini = teardown, .timeout = 30);

static char *render(void)
{
    pw_strbuf sb = {0};
    cr_assert_eq(pw_metrics_render(st, db, 1500000000, &sb), 0);
    return pw_strbuf_detach(&sb, NULL);
}

/* The value of the sample line that starts with `series` + ' ', or -1. */
static double sample(const char *text, const char *series)
{
    size_t n = strlen(series);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, series, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    }
    return -1;
}

Test(metrics, counts_calls_errors_and_latency_buckets)
{
    const pw_method *m = &pw_methods[0];
    pw_metrics_call(m, PW_OK, 300);                      /* <= 0.5 ms */
    pw_metrics_call(m, PW_OK, 3000);                     /* <= 5 ms */
    pw_metrics_call(m, PW_RESOURCE_EXHAUSTED, 20000000); /* > 10 s */
    pw_metrics_call(NULL, PW_INVALID_ARGUMENT, 10);
    char *t = render();
    char series[512];
    snprintf(series, sizeof series, "planwatch_calls_total{method=\"%s\"}", m->name);
    cr_assert_eq(sample(t, series), 3, "%s", t);
    snprintf(series, sizeof series,
             "planwatch_call_errors_total{method=\"%s\",code=\"RESOURCE_EXHAUSTED\"}", m->name);
    cr_assert_eq(sample(t, series), 1);
    snprintf(series, sizeof series, "planwatch_call_errors_total{method=\"%s\",code=\"OK\"}",
             m->name);
    cr_assert_eq(sample(t, series), -1, "OK is not an error");
    cr_assert_eq(sample(t, "planwatch_calls_total{method=\"-\"}"), 1);
    cr_assert_eq(sample(t, "planwatch_call_errors_total{method=\"-\",code=\"INVALID_ARGUMENT\"}"),
                 1);
    struct {
        const char *le;
        double n;
    } want[] = {{"0.0005", 1}, {"0.001", 1}, {"0.005", 2}, {"10", 2}, {"+Inf", 3}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        snprintf(series, sizeof series,
                 "planwatch_call_duration_seconds_bucket{method=\"%s\",le=\"%s\"}", m->name,
                 want[i].le);
        cr_assert_eq(sample(t, series), want[i].n, "le=%s", want[i].le);
    }
    snprintf(series, sizeof series, "planwatch_call_duration_seconds_count{method=\"%s\"}",
             m->name);
    cr_assert_eq(sample(t, series), 3);
    snprintf(series, sizeof series, "planwatch_call_duration_seconds_sum{method=\"%s\"}", m->name);
    cr_assert_float_eq(sample(t, series), 20.0033, 1e-6);
    /* methods never called have no series */
    snprintf(series, sizeof series, "planwatch_calls_total{method=\"%s\"}", pw_methods[1].name);
    cr_assert_eq(sample(t, series), -1);
    free(t);
}

Test(metrics, every_line_is_the_text_format)
{
    pw_metrics_call(&pw_methods[2], PW_NOT_FOUND, 1234);
    pw_metrics_report_received("2018-02");
    char *t = render();
    int samples = 0;
    char *save = NULL;
    for (char *line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "# HELP planwatch_", 17) == 0 ||
            strncmp(line, "# TYPE planwatch_", 17) == 0)
            continue;
        cr_assert_eq(strncmp(line, "planwatch_", 10), 0, "bad line: %s", line);
        char *sp = strrchr(line, ' ');
        cr_assert(sp, "no value: %s", line);
        char *end;
        strtod(sp + 1, &end);
        cr_assert(*end == '\0' && end != sp + 1, "bad value: %s", line);
        char *brace = strchr(line, '{');
        if (brace && brace < sp)
            cr_assert_eq(sp[-1], '}', "labels closed: %s", line);
        samples++;
    }
    cr_assert_gt(samples, 20);
    free(t);
}

Test(metrics, reports_per_period_are_bounded)
{
    for (int i = 0; i < PW_METRICS_MAX_PERIODS + 6; i++) {
        char p[16];
        snprintf(p, sizeof p, "%04d-01", 2000 + i);
        pw_metrics_report_received(p);
    }
    pw_metrics_report_received("2000-01");
    char *t = render();
    cr_assert_eq(sample(t, "planwatch_reports_received_total{period=\"2000-01\"}"), 2);
    cr_assert_eq(sample(t, "planwatch_reports_received_total{period=\"other\"}"), 6);
    free(t);
}

Test(metrics, database_figures_and_last_backup)
{
    char *t = render();
    /* a new database: the schema is in the WAL until a checkpoint */
    cr_assert_geq(sample(t, "planwatch_database_bytes"), 4096);
    cr_assert_gt(sample(t, "planwatch_database_bytes") + sample(t, "planwatch_wal_bytes"), 8192);
    cr_assert_eq(sample(t, "planwatch_last_backup_timestamp_seconds"), 0);
    cr_assert_eq(sample(t, "planwatch_sessions"), 0);
    free(t);
    char to[160], err[256];
    snprintf(to, sizeof to, "%s/copy.db", dir);
    cr_assert_eq(pw_store_backup(path, to, NULL, NULL, err, sizeof err), 0, "%s", err);
    t = render();
    cr_assert_gt(sample(t, "planwatch_last_backup_timestamp_seconds"), 1700000000);
    free(t);
}
