/*
 * tls.h - the server's TLS configuration, built once from --tls-cert,
 * --tls-key and --tls-ca and shared by the tls+tcp:// RPC listeners and the
 * https:// board listeners (the same certificate options for both).
 */
#ifndef PW_SERVER_TLS_H
#define PW_SERVER_TLS_H

#include <nng/nng.h>
#include <nng/supplemental/tls/tls.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/config.h"

/* A server-mode nng_tls_config with the certificate and key of `cfg`; when
 * `client_ca` is true and --tls-ca is set, client certificates signed by it
 * are required (RPC; browsers on the board do not carry one).  On success
 * *out is the caller's (nng_tls_config_free); on failure *out is untouched,
 * nothing is leaked and `err` names the file and the reason. */
int pw_tls_server_config(const pw_server_config *cfg, bool client_ca, nng_tls_config **out,
                         char *err, size_t errlen);

#endif
