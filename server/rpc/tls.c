/*
 * tls.c - see tls.h.
 */
#include "server/rpc/tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole PEM file into a NUL-terminated malloc'd string (nng wants the
 * certificate and key as strings when they live in two files). */
static char *pw_tls_read_pem(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int ch;
    while (mem && (ch = fgetc(f)) != EOF)
        fputc(ch, mem);
    fclose(f);
    if (mem)
        fclose(mem);
    return buf;
}

int pw_tls_server_config(const pw_server_config *cfg, bool client_ca, nng_tls_config **out,
                         char *err, size_t errlen)
{
    int rv;
    nng_tls_config *tls;
    if (!cfg->tls_cert || !cfg->tls_key) {
        snprintf(err, errlen, "a tls+tcp:// or https:// listener needs --tls-cert and --tls-key");
        return -1;
    }
    if ((rv = nng_tls_config_alloc(&tls, NNG_TLS_MODE_SERVER)) != 0) {
        snprintf(err, errlen, "cannot set up TLS: %s", nng_strerror(rv));
        return -1;
    }
    char *cert = pw_tls_read_pem(cfg->tls_cert), *key = pw_tls_read_pem(cfg->tls_key);
    rv = cert && key ? nng_tls_config_own_cert(tls, cert, key, NULL) : NNG_ENOENT;
    free(cert);
    if (key) {
        memset(key, 0, strlen(key));
        free(key);
    }
    if (rv != 0) {
        snprintf(err, errlen, "cannot load TLS certificate %s / key %s: %s", cfg->tls_cert,
                 cfg->tls_key, nng_strerror(rv));
        nng_tls_config_free(tls);
        return -1;
    }
    if (client_ca && cfg->tls_ca) {
        /* require client certificates signed by this CA */
        if ((rv = nng_tls_config_ca_file(tls, cfg->tls_ca)) != 0 ||
            (rv = nng_tls_config_auth_mode(tls, NNG_TLS_AUTH_MODE_REQUIRED)) != 0) {
            snprintf(err, errlen, "cannot load TLS CA %s: %s", cfg->tls_ca, nng_strerror(rv));
            nng_tls_config_free(tls);
            return -1;
        }
    }
    *out = tls;
    return 0;
}
