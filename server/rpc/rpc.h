/*
 * rpc.h - the gRPC-style transport: N workers, each with its own nng_ctx on
 * one rep0 socket, and the dispatcher that turns one request envelope into
 * one response envelope.
 *
 * Design notes
 * - Workers are threads doing nng_ctx_recv/nng_aio_wait, so the SQLite calls
 *   of a handler never run inside an nng callback.
 * - Every received message gets exactly one reply, whatever its bytes:
 *   oversize -> RESOURCE_EXHAUSTED (before any decoding), undecodable ->
 *   INVALID_ARGUMENT, unknown method -> UNIMPLEMENTED.
 * - No connection can hold the workers (SPEC 5.3): a connection has at
 *   most max-requests-per-pipe requests outstanding (never more than half
 *   the workers); one more closes it (nng_pipe_close).  A watchdog thread
 *   closes the connection of any reply send waiting longer than
 *   send-timeout-ms (a peer that does not read); closing completes the
 *   queued sends, so the workers go free.  A REQ client that reads its
 *   replies meets neither limit.  (Replies to a closed connection are
 *   dropped: the one exception to "exactly one reply" above.)
 * - Source keys for the login limits come from peer.h (address, /64, uid).
 * - Shutdown (pw_rpc_stop) cancels only workers waiting in recv; a worker
 *   busy with a call finishes it and sends its reply first.
 */
#ifndef PW_SERVER_RPC_H
#define PW_SERVER_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "server/rpc/call.h"
#include "server/config.h"
#include "server/store/store.h"

typedef struct pw_rpc pw_rpc;

/* Open the socket, start every listener of `cfg` and `cfg->workers`
 * workers.  On failure nothing is left running and `err` says why. */
int pw_rpc_start(const pw_server_config *cfg, pw_store *store, pw_rpc **out, char *err,
                 size_t errlen);
/* Stop accepting, let in-flight calls finish, join the workers, close. */
void pw_rpc_stop(pw_rpc *rpc);

/* Process one request envelope (the bytes of an nng message) into a packed
 * response envelope allocated from `arena`.  This is the whole server-side
 * path minus the socket; tests and fuzzers call it directly.  `db` is the
 * caller's read connection. */
void pw_rpc_process(const pw_server_config *cfg, pw_store *store, pw_db *db, pw_arena *arena,
                    const uint8_t *in, size_t inlen, const char *peer, uint8_t **out,
                    size_t *outlen);

/* One call through the method table, without a socket or an envelope: the
 * row of `method`, the session of `token` (NULL/"" = none), rate limits,
 * roles, decoding `payload` (the method's packed request), the handler.
 * pw_rpc_process is this plus the envelope; the board calls it directly, so
 * both fronts share one authorization, one audit trail and the counters.
 * `call` is initialised here and holds the reply's message and violations;
 * on PW_OK *resp is the handler's response (in `arena`, may be NULL for
 * Empty), else NULL.  Returns the status.  timeout_ms <= 0: the default. */
int pw_rpc_invoke(const pw_server_config *cfg, pw_store *store, pw_db *db, pw_arena *arena,
                  const char *method, const char *token, const uint8_t *payload, size_t len,
                  int64_t timeout_ms, const char *peer, pw_call *call, ProtobufCMessage **resp);

/* The server clock (SPEC 5.1a): the time in cfg->clock_file, read afresh,
 * or the system clock.  -1 when the clock file is unreadable. */
int64_t pw_server_now(const pw_server_config *cfg);

#endif
