/*
 * web_metrics.c - GET /metrics on the HTTP listener (SPEC 5.4, issue 17):
 * the Prometheus text of server/rpc/metrics.c, rendered on a web worker
 * with its own read connection.  Open like /healthz: bind --http-listen to
 * a loopback or internal address where the scraper lives.
 */
#include "common/strbuf.h"
#include "server/rpc/metrics.h"
#include "server/rpc/rpc.h"
#include "server/web/web.h"

static int web_metrics_get(pw_web_req *rq, pw_web_res *rs)
{
    int64_t now = pw_server_now(rq->cfg);
    pw_strbuf_reset(&rs->body);
    if (pw_metrics_render(rq->store, rq->db, now < 0 ? 0 : now, &rs->body) != 0)
        return -1;
    pw_web_cache_stats c = {0};
    if (rq->cache)
        pw_web_cache_stats_get(rq->cache, &c);
    if (pw_strbuf_appendf(
            &rs->body,
            "# HELP planwatch_board_cache_hits_total Published pages and JSON served from the "
            "render cache.\n# TYPE planwatch_board_cache_hits_total counter\n"
            "planwatch_board_cache_hits_total %llu\n"
            "# HELP planwatch_board_cache_misses_total Reads of a published version not in the "
            "render cache.\n# TYPE planwatch_board_cache_misses_total counter\n"
            "planwatch_board_cache_misses_total %llu\n"
            "# HELP planwatch_board_cache_waits_total Reads that waited for another reader's "
            "render of the same version.\n# TYPE planwatch_board_cache_waits_total counter\n"
            "planwatch_board_cache_waits_total %llu\n"
            "# HELP planwatch_board_cache_evictions_total Entries dropped for room.\n"
            "# TYPE planwatch_board_cache_evictions_total counter\n"
            "planwatch_board_cache_evictions_total %llu\n"
            "# HELP planwatch_board_cache_bytes Bytes of rendered versions kept (at most %u).\n"
            "# TYPE planwatch_board_cache_bytes gauge\nplanwatch_board_cache_bytes %llu\n",
            (unsigned long long)c.hits, (unsigned long long)c.misses, (unsigned long long)c.waits,
            (unsigned long long)c.evictions, PW_WEB_CACHE_BYTES, (unsigned long long)c.bytes) != 0)
        return -1;
    rs->status = 200;
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return 0;
}

PW_WEB_ROUTE("/metrics", web_metrics_get)
