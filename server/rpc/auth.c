/*
 * auth.c - AuthService: Login, Logout, WhoAmI, Ping; token authentication.
 *
 * Design notes
 * - The argon2id verification runs on the worker thread, outside the
 *   writer: only a successful login writes (its new session).
 * - Unknown user, wrong password and disabled account give the same reply
 *   at the same cost (one verification, a dummy hash for unknown names, no
 *   write), so replies do not reveal which names exist or their state.
 * - Failed logins slow down their source (backoff.h), never lock the
 *   account: the old lock columns of `users` are no longer read.
 */
#include "server/rpc/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "planwatch/v1/account.pb-c.h"
#include "server/rpc/backoff.h"
#include "server/store/store_account.h"

unsigned pw_role_from_name(const char *name)
{
    if (!name)
        return 0;
    if (strcmp(name, "admin") == 0)
        return PW_ROLE_ADMIN;
    if (strcmp(name, "office") == 0)
        return PW_ROLE_OFFICE;
    if (strcmp(name, "reporter") == 0)
        return PW_ROLE_REPORTER;
    if (strcmp(name, "viewer") == 0)
        return PW_ROLE_VIEWER;
    return 0;
}

const char *pw_role_name(unsigned role)
{
    switch (role) {
    case PW_ROLE_ADMIN:
        return "admin";
    case PW_ROLE_OFFICE:
        return "office";
    case PW_ROLE_REPORTER:
        return "reporter";
    case PW_ROLE_VIEWER:
        return "viewer";
    default:
        return "anonymous";
    }
}

static int pw_auth_token_hash(const char *token, uint8_t hash[32])
{
    uint8_t raw[32];
    size_t rawlen = 0;
    if (!token || strlen(token) != 64 ||
        sodium_hex2bin(raw, sizeof raw, token, 64, NULL, &rawlen, NULL) != 0 || rawlen != 32)
        return -1;
    crypto_generichash(hash, 32, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

int pw_auth_authenticate(pw_call *c, const char *token)
{
    if (!token || !*token)
        return PW_OK;
    int anon_ok = c->method && (c->method->roles & PW_ROLE_ANON);
    uint8_t hash[32];
    if (pw_auth_token_hash(token, hash) != 0)
        return anon_ok ? PW_OK : pw_call_fail(c, PW_UNAUTHENTICATED, "malformed session token");
    pw_user_row u;
    int st = pw_store_session_user(c->db, c->arena, hash, c->now, &u);
    if (st == PW_NOT_FOUND)
        return anon_ok ? PW_OK
                       : pw_call_fail(c, PW_UNAUTHENTICATED,
                                      "session expired or revoked: log in again");
    if (st != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read sessions");
    memcpy(c->session_hash, hash, sizeof hash);
    c->who.user_id = u.id;
    c->who.role = pw_role_from_name(u.role);
    snprintf(c->who.name, sizeof c->who.name, "%s", u.name);
    snprintf(c->who.unit, sizeof c->who.unit, "%s", u.unit);
    return PW_OK;
}

/* ---- argon2id concurrency ------------------------------------------------
 * At most one hash computation per core runs at a time: each takes tens of
 * MiB, and more of them at once than there are cores only adds page faults
 * and cache misses (measured by planwatch-bench B5). */
static pthread_once_t auth_gate_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t auth_gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t auth_gate_cv = PTHREAD_COND_INITIALIZER;
static long auth_gate_free;

static void auth_gate_init(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    auth_gate_free = n > 0 ? n : 1;
}

static void auth_gate_enter(void)
{
    pthread_once(&auth_gate_once, auth_gate_init);
    pthread_mutex_lock(&auth_gate_mu);
    while (auth_gate_free == 0)
        pthread_cond_wait(&auth_gate_cv, &auth_gate_mu);
    auth_gate_free--;
    pthread_mutex_unlock(&auth_gate_mu);
}

static void auth_gate_leave(void)
{
    pthread_mutex_lock(&auth_gate_mu);
    auth_gate_free++;
    pthread_cond_signal(&auth_gate_cv);
    pthread_mutex_unlock(&auth_gate_mu);
}

static int auth_verify(const char *hash, const char *password)
{
    auth_gate_enter();
    int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    auth_gate_leave();
    return ok;
}

int pw_auth_password_check(const char *password, char *err, size_t errlen)
{
    size_t n = password ? strlen(password) : 0;
    if (n < 8) {
        snprintf(err, errlen, "password too short: at least 8 characters");
        return -1;
    }
    if (n > 1024) {
        snprintf(err, errlen, "password too long: at most 1024 bytes");
        return -1;
    }
    return 0;
}

int pw_auth_hash_password(const pw_server_config *cfg, const char *password,
                          char out[crypto_pwhash_STRBYTES], char *err, size_t errlen)
{
    if (pw_auth_password_check(password, err, errlen) != 0)
        return -1;
    auth_gate_enter();
    int rc = crypto_pwhash_str_alg(
        out, password, strlen(password), (unsigned long long)cfg->pwhash_opslimit,
        (size_t)cfg->pwhash_memlimit_kib * 1024, crypto_pwhash_ALG_ARGON2ID13);
    auth_gate_leave();
    if (rc != 0) {
        snprintf(err, errlen, "password hashing failed (out of memory)");
        return -1;
    }
    return 0;
}

/* ---- Login ------------------------------------------------------------ */

/* A hash to verify against for unknown users (made once, lazily). */
static pthread_mutex_t auth_dummy_mu = PTHREAD_MUTEX_INITIALIZER;
static int auth_dummy_ready;
static char auth_dummy[crypto_pwhash_STRBYTES];

static const char *auth_dummy_hash(const pw_server_config *cfg)
{
    char err[128];
    pthread_mutex_lock(&auth_dummy_mu);
    if (!auth_dummy_ready)
        auth_dummy_ready = pw_auth_hash_password(cfg, "planwatch-dummy-password", auth_dummy, err,
                                                 sizeof err) == 0;
    int ready = auth_dummy_ready;
    pthread_mutex_unlock(&auth_dummy_mu);
    return ready ? auth_dummy : NULL;
}

/* ---- per-source back-off (backoff.h) ----------------------------------- */

static pthread_mutex_t auth_backoff_mu = PTHREAD_MUTEX_INITIALIZER;
static pw_backoff *auth_backoff_table;

static pw_backoff *auth_backoff(const pw_server_config *cfg)
{
    pthread_mutex_lock(&auth_backoff_mu);
    if (!auth_backoff_table)
        auth_backoff_table =
            pw_backoff_new((int)cfg->login_max_failures, cfg->login_backoff_base_ms * 1000,
                           cfg->lockout_s * 1000000);
    pw_backoff *b = auth_backoff_table;
    pthread_mutex_unlock(&auth_backoff_mu);
    return b;
}

int pw_auth_clear_backoff(const pw_server_config *cfg, const char *user)
{
    pw_backoff *b = auth_backoff(cfg);
    return b ? pw_backoff_clear_user(b, user) : 0;
}

typedef struct auth_login_job {
    pw_call *c;
    const pw_user_row *user;
    uint8_t hash[32];
    int64_t expires_at;
} auth_login_job;

static int auth_login_write(pw_db *w, void *arg)
{
    auth_login_job *j = arg;
    if (pw_store_user_login_ok(w, j->user->id) != PW_OK)
        return PW_INTERNAL;
    return pw_store_session_insert(w, j->hash, j->user->id, j->c->now, j->expires_at);
}

int pw_svc_auth_login(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__LoginRequest *r = (const Planwatch__V1__LoginRequest *)req;
    static const char *bad = "wrong user name or password";
    if (!r->user[0])
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "user name is empty");
    if (strlen(r->password) > 1024)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "password too long");
    /* a source that failed too often waits, whatever name it tries; the
     * check is reserved before verifying, so parallel attempts get no
     * more checks than the back-off allows */
    const char *source = c->peer[0] ? c->peer : "-";
    pw_backoff *bo = auth_backoff(c->config);
    int64_t wait_us = 0;
    if (bo && !pw_backoff_begin(bo, source, r->user, pw_monotonic_us(), &wait_us))
        return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                            "too many failed logins from %s: try again in %lld s", source,
                            (long long)((wait_us + 999999) / 1000000));
    pw_user_row u;
    int st = pw_store_user_get(c->db, c->arena, r->user, &u);
    if (st == PW_INTERNAL)
        return pw_call_fail(c, PW_INTERNAL, "cannot read users");
    /* unknown user, wrong password and disabled account: one reply, one
     * argon2id verification (a dummy hash for unknown names), no write */
    const char *hash = st == PW_OK ? u.pw_hash : auth_dummy_hash(c->config);
    int ok = hash && auth_verify(hash, r->password);
    if (!ok || st != PW_OK || !u.enabled)
        return pw_call_fail(c, PW_UNAUTHENTICATED, "%s", bad);
    if (bo)
        pw_backoff_succeeded(bo, source, pw_monotonic_us());

    auth_login_job job = {.c = c, .user = &u};
    uint8_t raw[32];
    char hex[65];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    crypto_generichash(job.hash, 32, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
    job.expires_at = c->now + c->config->session_ttl_s;
    st = pw_store_write(c->store, c->deadline_us, auth_login_write, &job);
    if (st != PW_OK) {
        sodium_memzero(hex, sizeof hex);
        return pw_call_fail(c, st, "cannot record the login");
    }

    snprintf(c->who.name, sizeof c->who.name, "%s", u.name);
    Planwatch__V1__LoginResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__login_response__init(out);
    out->token = pw_arena_strdup(c->arena, hex);
    sodium_memzero(hex, sizeof hex);
    out->expires_at = job.expires_at;
    out->user = pw_call_user_info(c, &u);
    *resp = &out->base;
    return PW_OK;
}

/* ---- Logout, WhoAmI, Ping ---------------------------------------------- */

typedef struct auth_logout_job {
    uint8_t hash[32];
} auth_logout_job;

static int auth_logout_write(pw_db *w, void *arg)
{
    auth_logout_job *j = arg;
    int st = pw_store_session_delete(w, j->hash);
    return st == PW_NOT_FOUND ? PW_OK : st;
}

int pw_svc_auth_logout(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    (void)req;
    (void)resp;
    auth_logout_job j;
    memcpy(j.hash, c->session_hash, sizeof j.hash);
    int st = pw_store_write(c->store, c->deadline_us, auth_logout_write, &j);
    return st == PW_OK ? PW_OK : pw_call_fail(c, st, "cannot end the session");
}

int pw_svc_auth_whoami(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    (void)req;
    pw_user_row u;
    int st = pw_store_user_get(c->db, c->arena, c->who.name, &u);
    if (st != PW_OK)
        return pw_call_fail(c, st == PW_NOT_FOUND ? PW_UNAUTHENTICATED : PW_INTERNAL,
                            "cannot read user %s", c->who.name);
    *resp = &pw_call_user_info(c, &u)->base;
    return PW_OK;
}

int pw_svc_auth_ping(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    (void)c;
    (void)req;
    (void)resp;
    return PW_OK;
}
