/*
 * metrics.h - the server's counters and their Prometheus text rendering
 * (SPEC 5.4, issue 17).  Counted here, read by whoever serves /metrics.
 *
 * Design notes
 * - Per method of the method table: calls, calls by status code, and a
 *   latency histogram (fixed buckets from 0.5 ms to 10 s, cumulative when
 *   rendered).  Counters are relaxed atomics updated by the RPC workers; a
 *   scrape reads them without a lock, so one scrape may see a call counted
 *   in `calls` and not yet in its bucket: each series is monotonic, which is
 *   all Prometheus needs.
 * - Reports received (new versions stored, resends of a stored submission
 *   not counted) per period, for the first PW_METRICS_MAX_PERIODS periods
 *   seen since start; later ones go to period="other" so that no client can
 *   grow the series without bound.
 * - Database figures (file and WAL size, freelist, open sessions, last
 *   backup time) are read from the store at scrape time.
 * - pw_metrics_render is the one function that writes the text format.
 */
#ifndef PW_SERVER_RPC_METRICS_H
#define PW_SERVER_RPC_METRICS_H

#include <stdint.h>

#include "common/strbuf.h"
#include "server/rpc/call.h"
#include "server/store/store.h"

#define PW_METRICS_MAX_PERIODS 64

/* Count one finished call of `m` (NULL: a request that named no known
 * method) with its status and duration.  Thread-safe, lock-free. */
void pw_metrics_call(const pw_method *m, int status, int64_t usec);

/* Count one report version stored for `period` ("2018-02", "2018-Q1",
 * "2018-H1").  Thread-safe. */
void pw_metrics_report_received(const char *period);

/* Append the Prometheus text exposition (version 0.0.4) of every counter
 * and of the database figures read through `db` (the caller's read
 * connection) to `out`.  `now` (unix seconds, the server clock) decides
 * which sessions count as open.  0, or -1 when out of memory (then `out`
 * holds a part and must not be served). */
int pw_metrics_render(pw_store *st, pw_db *db, int64_t now, pw_strbuf *out);

#endif
