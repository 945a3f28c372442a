/*
 * bench.h - shared pieces of planwatch-bench: a planwatchd child process,
 * client threads with latency recording, percentiles, RSS.
 */
#ifndef PW_BENCH_H
#define PW_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
