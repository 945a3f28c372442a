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
    rs->status = 200;
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return 0;
}

PW_WEB_ROUTE("/metrics", web_metrics_get)
