/*
 * server.c - start/stop of the whole server and `planwatchd init`.
 */
#include "server/server.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "server/svc/admin.h"
#include "server/rpc/auth.h"
#include "server/store/store_account.h"

/* Is the host of a tcp:// or tls+tcp:// URL a loopback address? */
static int pw_url_is_loopback(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    return strncmp(p, "127.", 4) == 0 || strncmp(p, "localhost:", 10) == 0 ||
           strncmp(p, "[::1]:", 6) == 0;
}

static int pw_server_check(const pw_server_config *cfg, char *err, size_t errlen)
{
    if (!cfg->db) {
        snprintf(err, errlen, "no database: use --db FILE");
        return -1;
    }
    if (cfg->nlisten == 0) {
        snprintf(err, errlen, "no listener: use --listen URL");
        return -1;
    }
    for (int i = 0; i < cfg->nlisten; i++) {
        const char *u = cfg->listen[i];
        int tcp = strncmp(u, "tcp://", 6) == 0 || strncmp(u, "tls+tcp://", 10) == 0;
        if (!tcp && strncmp(u, "ipc://", 6) != 0) {
            snprintf(err, errlen, "unsupported listener %s: use ipc://, tcp:// or tls+tcp://", u);
            return -1;
        }
        if (cfg->clock_file && tcp && !pw_url_is_loopback(u)) {
            snprintf(err, errlen,
                     "--clock-file is for tests: refused with the non-loopback listener %s", u);
            return -1;
        }
    }
    for (int i = 0; i < cfg->nhttp_listen; i++) {
        const char *u = cfg->http_listen[i];
        if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) {
            snprintf(err, errlen, "unsupported board listener %s: use http:// or https://", u);
            return -1;
        }
        if (cfg->clock_file && !pw_url_is_loopback(u)) {
            snprintf(err, errlen,
                     "--clock-file is for tests: refused with the non-loopback board %s", u);
            return -1;
        }
    }
    return 0;
}

static void pw_store_opts(const pw_server_config *cfg, pw_store_options *o)
{
    pw_store_options_default(o);
    o->synchronous_full = (int)cfg->synchronous_full;
}

int pw_server_start(const pw_server_config *cfg, pw_server *out, char *err, size_t errlen)
{
    if (pw_server_check(cfg, err, errlen) != 0)
        return -1;
    if (pw_server_now(cfg) < 0) {
        snprintf(err, errlen, "--clock-file %s does not hold an ISO-8601 time", cfg->clock_file);
        return -1;
    }
    pw_store_options o;
    pw_store_opts(cfg, &o);
    memset(out, 0, sizeof *out);
    out->cfg = cfg;
    if (pw_store_open(cfg->db, &o, &out->store, err, errlen) != 0)
        return -1;
    if (pw_rpc_start(cfg, out->store, &out->rpc, err, errlen) != 0) {
        pw_store_close(out->store);
        out->store = NULL;
        return -1;
    }
    if (pw_web_start(cfg, out->store, &out->web, err, errlen) != 0) {
        pw_rpc_stop(out->rpc);
        out->rpc = NULL;
        pw_store_close(out->store);
        out->store = NULL;
        return -1;
    }
    return 0;
}

void pw_server_stop(pw_server *s)
{
    pw_web_stop(s->web);
    s->web = NULL;
    pw_rpc_stop(s->rpc);
    s->rpc = NULL;
    pw_store_close(s->store);
    s->store = NULL;
}

typedef struct pw_init_job {
    pw_user_row row;
    int64_t now;
    char *err;
    size_t errlen;
} pw_init_job;

static int pw_init_write(pw_db *w, void *arg)
{
    pw_init_job *j = arg;
    int st = pw_store_user_insert(w, &j->row, NULL);
    if (st == PW_ALREADY_EXISTS) {
        snprintf(j->err, j->errlen, "user %s already exists", j->row.name);
        return st;
    }
    if (st != PW_OK)
        return st;
    return pw_store_audit(w, j->now, "planwatchd-init", NULL, "init", j->row.name,
                          "database created with its first admin");
}

int pw_server_init_db(const pw_server_config *cfg, const char *admin, const char *password,
                      char *err, size_t errlen)
{
    if (!cfg->db) {
        snprintf(err, errlen, "init needs --db FILE");
        return -1;
    }
    if (!admin || !pw_valid_user_name(admin)) {
        snprintf(err, errlen, "init needs --admin NAME (1-64 of a-z 0-9 _ . -)");
        return -1;
    }
    int64_t now = pw_server_now(cfg);
    if (now < 0) {
        snprintf(err, errlen, "--clock-file %s does not hold an ISO-8601 time", cfg->clock_file);
        return -1;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (pw_auth_hash_password(cfg, password, hash, err, errlen) != 0)
        return -1;
    pw_store_options o;
    pw_store_opts(cfg, &o);
    pw_store *st;
    if (pw_store_open(cfg->db, &o, &st, err, errlen) != 0)
        return -1;
    pw_db *r;
    int64_t users = 0;
    if (pw_store_open_reader(st, &r, err, errlen) != 0) {
        pw_store_close(st);
        return -1;
    }
    int rc = pw_store_user_count(r, &users);
    pw_db_close(r);
    if (rc != PW_OK || users > 0) {
        snprintf(err, errlen, "%s already has users: init only creates a new database", cfg->db);
        pw_store_close(st);
        return -1;
    }
    pw_init_job j = {.now = now, .err = err, .errlen = errlen};
    j.row.name = admin;
    j.row.role = "admin";
    j.row.unit = "";
    j.row.pw_hash = hash;
    j.row.created_at = now;
    err[0] = '\0';
    rc = pw_store_write(st, 0, pw_init_write, &j);
    pw_store_close(st);
    if (rc != PW_OK) {
        if (!err[0])
            snprintf(err, errlen, "cannot create the admin: %s", pw_status_text(rc));
        return -1;
    }
    return 0;
}
