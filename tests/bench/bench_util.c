#include "tests/bench/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

void pw_bench_lat_add(pw_bench_lat *l, double us)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->us = realloc(l->us, l->cap * sizeof *l->us);
        if (!l->us)
            abort();
    }
    l->us[l->n++] = us;
}

static int pw_bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double pw_bench_lat_pct(pw_bench_lat *l, double q)
{
    if (!l->n)
        return 0;
    qsort(l->us, l->n, sizeof *l->us, pw_bench_cmp);
    size_t i = (size_t)(q * (double)(l->n - 1) + 0.5);
    return l->us[i];
}

void pw_bench_lat_merge(pw_bench_lat *into, const pw_bench_lat *from)
{
    for (size_t i = 0; i < from->n; i++)
        pw_bench_lat_add(into, from->us[i]);
}

void pw_bench_lat_free(pw_bench_lat *l)
{
    free(l->us);
    memset(l, 0, sizeof *l);
}

double pw_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double pw_bench_peak_rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    double mb = -1;
    while (fgets(line, sizeof line, f)) {
        long kb;
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            mb = (double)kb / 1024.0;
    }
    fclose(f);
    return mb;
}

int pw_bench_reset_peak_rss(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/clear_refs", (int)pid);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0; /* 5: reset the peak resident set size (VmHWM) */
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int pw_bench_dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double pw_bench_median(double *v, int n)
{
    if (n <= 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (v[i] < 0)
            return -1; /* a failed call: no figure */
    qsort(v, (size_t)n, sizeof *v, pw_bench_dcmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double pw_bench_cpu_s(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long long ut, st;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

double pw_bench_self_cpu_s(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        return -1;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}
