/*
 * server.h - the whole server as one object: store + RPC workers.  Used by
 * planwatchd and by the integration tests, which start a real server on an
 * ipc:// path in a temp dir.
 */
#ifndef PW_SERVER_SERVER_H
#define PW_SERVER_SERVER_H

#include "server/config.h"
#include "server/rpc/rpc.h"
#include "server/store/store.h"
#include "server/web/web.h"

typedef struct pw_server {
    const pw_server_config *cfg;
    pw_store *store;
    pw_rpc *rpc;
    pw_web *web; /* the board; NULL without --http-listen */
} pw_server;

/* Check the settings (SPEC 5.1a: no --clock-file with a non-loopback TCP
 * listener; a database is required), open the store, start listening.
 * `cfg` must outlive the server. */
int pw_server_start(const pw_server_config *cfg, pw_server *out, char *err, size_t errlen);
/* Finish in-flight calls, stop the workers, close the database. */
void pw_server_stop(pw_server *s);

/* planwatchd init: create the database and its first admin. */
int pw_server_init_db(const pw_server_config *cfg, const char *admin, const char *password,
                      char *err, size_t errlen);

#endif
