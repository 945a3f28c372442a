/*
 * config.c - the declarative settings table (in the manner of Redis'
 * static_configs[]): name, type, bounds, default, target field, help.
 */
#include "server/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PW_CFG_INT, PW_CFG_STRING, PW_CFG_LIST, PW_CFG_CHOICE };

/* The repeatable keys: where their array and count live. */
#define PW_LIST_KEY(n, arr, cnt, h)                                                                \
    {                                                                                              \
        n, PW_CFG_LIST, offsetof(pw_server_config, arr), offsetof(pw_server_config, cnt), 0, 0, h, \
            NULL                                                                                   \
    }

typedef struct pw_config_key {
    const char *name;
    int type;
    size_t offset;
    int64_t min, max, def;
    const char *help;
    const char *const *choices; /* PW_CFG_CHOICE: the names, NULL-terminated; stored as the index */
} pw_config_key;

#define INT_KEY(n, field, lo, hi, d, h)                                                            \
    {                                                                                              \
        n, PW_CFG_INT, offsetof(pw_server_config, field), lo, hi, d, h, NULL                       \
    }
#define STR_KEY(n, field, h)                                                                       \
    {                                                                                              \
        n, PW_CFG_STRING, offsetof(pw_server_config, field), 0, 0, 0, h, NULL                      \
    }
#define CHOICE_KEY(n, field, list, d, h)                                                           \
    {                                                                                              \
        n, PW_CFG_CHOICE, offsetof(pw_server_config, field), 0, 0, d, h, list                      \
    }

static const char *const pw_log_formats[] = {"text", "json", NULL}; /* PW_LOG_FORMAT_* */

static const pw_config_key pw_config_keys[] = {
    PW_LIST_KEY("listen", listen, nlisten, "listener URL (ipc://, tcp://, tls+tcp://); repeatable"),
    PW_LIST_KEY("http-listen", http_listen, nhttp_listen,
                "the online board: http:// or https:// URL (https uses --tls-cert/--tls-key); "
                "repeatable"),
    STR_KEY("db", db, "SQLite database file"),
    STR_KEY("clock-file", clock_file, "take 'now' from the ISO-8601 time in FILE (tests)"),
    STR_KEY("tls-cert", tls_cert, "PEM server certificate for tls+tcp:// listeners"),
    STR_KEY("tls-key", tls_key, "PEM private key of --tls-cert"),
    STR_KEY("tls-ca", tls_ca, "PEM CA: require client certificates signed by it"),
    INT_KEY("workers", workers, 1, 256, 4, "concurrent request workers (nng contexts)"),
    INT_KEY("max-message-bytes", max_message_bytes, 1024, 64 << 20, 4 << 20,
            "largest request accepted"),
    INT_KEY("default-timeout-ms", default_timeout_ms, 10, 3600000, 30000,
            "deadline of a call whose request names none"),
    INT_KEY("session-ttl-s", session_ttl_s, 60, 10LL * 366 * 86400, 12 * 3600,
            "lifetime of a session token"),
    INT_KEY("login-max-failures", login_max_failures, 1, 1000, 5,
            "failed logins of one source before it must wait (accounts are never locked)"),
    INT_KEY("login-backoff-base-ms", login_backoff_base_ms, 1, 3600000, 1000,
            "first wait of a source past login-max-failures; doubles with each failure"),
    INT_KEY("lockout-s", lockout_s, 1, 86400 * 30, 900,
            "longest wait of a source that keeps failing to log in"),
    INT_KEY("pwhash-opslimit", pwhash_opslimit, 1, 20, 4, "argon2id passes for new passwords"),
    INT_KEY("pwhash-memlimit-kib", pwhash_memlimit_kib, 8, 1 << 21, 9216,
            "argon2id memory (KiB) for new passwords"),
    INT_KEY("synchronous-full", synchronous_full, 0, 1, 1,
            "1: fsync the WAL on every commit (power-loss safe); 0: NORMAL"),
    INT_KEY("max-text-bytes", max_text_bytes, 64, 1 << 20, 64 * 1024,
            "longest free-text field (progress, problems, notes)"),
    INT_KEY("max-values-per-report", max_values_per_report, 1, 100000, 5000,
            "most indicator values in one report"),
    INT_KEY("max-report-versions", max_report_versions, 1, 100000, 50,
            "most versions (first submission and amendments) of one monthly or half-year report"),
    INT_KEY("max-report-bytes", max_report_bytes, 4096, 1LL << 32, 4 << 20,
            "most bytes stored for one report, all its versions together"),
    INT_KEY("max-unit-bytes", max_unit_bytes, 4096, 1LL << 40, 64 << 20,
            "most bytes stored for one unit, all its reports together"),
    INT_KEY("max-reply-bytes", max_reply_bytes, 65536, 1LL << 30, 4 << 20,
            "budget of one page of report history (at least one version is sent)"),
    INT_KEY("rate-calls-per-s", rate_calls_per_s, 0, 1000000, 0,
            "per-user call rate limit (0: off)"),
    INT_KEY("rate-logins-per-min", rate_logins_per_min, 0, 100000, 120,
            "logins a minute per source: IPv4 address, IPv6 /64, local uid (0: off)"),
    INT_KEY("log-calls", log_calls, 0, 1, 1, "log one line per call to stderr"),
    CHOICE_KEY("log-format", log_format, pw_log_formats, 0,
               "log lines as text (key=value) or json (one object a line, for log shippers)"),
    INT_KEY("http-max-body-bytes", http_max_body_bytes, 1024, 256 << 20, 8 << 20,
            "largest request body (uploads) the board reads; larger ones get 413 unread"),
    INT_KEY("send-timeout-ms", send_timeout_ms, 10, 600000, 2000,
            "a reply not handed to its connection by then closes that connection"),
    INT_KEY("max-requests-per-pipe", max_requests_per_pipe, 1, 256, 2,
            "requests one connection may have outstanding (at most half the workers)"),
    INT_KEY("decode-budget-bytes", decode_budget_bytes, 1 << 20, 1LL << 30, 32 << 20,
            "memory one call may spend decoding its request (RESOURCE_EXHAUSTED past it)"),
};

#define PW_NKEYS (sizeof pw_config_keys / sizeof pw_config_keys[0])
_Static_assert(PW_NKEYS <= PW_CONFIG_MAX_KEYS, "raise PW_CONFIG_MAX_KEYS in config.h");

void pw_config_defaults(pw_server_config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < PW_NKEYS; i++)
        if (pw_config_keys[i].type == PW_CFG_INT || pw_config_keys[i].type == PW_CFG_CHOICE)
            *(int64_t *)((char *)c + pw_config_keys[i].offset) = pw_config_keys[i].def;
}

void pw_config_fini(pw_server_config *c)
{
    for (int i = 0; i < c->nlisten; i++)
        free(c->listen[i]);
    for (int i = 0; i < c->nhttp_listen; i++)
        free(c->http_listen[i]);
    for (size_t i = 0; i < PW_NKEYS; i++)
        if (pw_config_keys[i].type == PW_CFG_STRING)
            free(*(char **)((char *)c + pw_config_keys[i].offset));
    memset(c, 0, sizeof *c);
}

int pw_config_set(pw_server_config *c, const char *key, const char *value, char *err, size_t errlen)
{
    for (size_t i = 0; i < PW_NKEYS; i++) {
        const pw_config_key *k = &pw_config_keys[i];
        if (strcmp(k->name, key) != 0)
            continue;
        if (!value || !*value) {
            snprintf(err, errlen, "%s: a value is required", key);
            return -1;
        }
        void *field = (char *)c + k->offset;
        switch (k->type) {
        case PW_CFG_LIST: {
            /* for list keys `min` holds the offset of the count */
            int *n = (int *)((char *)c + k->min);
            char **arr = field;
            if (*n >= PW_MAX_LISTEN) {
                snprintf(err, errlen, "%s: at most %d listeners", key, PW_MAX_LISTEN);
                return -1;
            }
            arr[(*n)++] = strdup(value);
            return 0;
        }
        case PW_CFG_STRING:
            free(*(char **)field);
            *(char **)field = strdup(value);
            return 0;
        case PW_CFG_CHOICE:
            for (int64_t j = 0; k->choices[j]; j++) {
                if (strcmp(k->choices[j], value) == 0) {
                    *(int64_t *)field = j;
                    return 0;
                }
            }
            snprintf(err, errlen, "%s: '%s' is not one of:", key, value);
            for (int j = 0; k->choices[j]; j++) {
                size_t n = strlen(err);
                snprintf(err + n, errlen - n, " %s", k->choices[j]);
            }
            return -1;
        default: {
            char *end;
            errno = 0;
            long long v = strtoll(value, &end, 10);
            if (errno || *end || end == value || v < k->min || v > k->max) {
                snprintf(err, errlen, "%s: '%s' is not an integer in %lld..%lld", key, value,
                         (long long)k->min, (long long)k->max);
                return -1;
            }
            *(int64_t *)field = v;
            return 0;
        }
        }
    }
    snprintf(err, errlen, "unknown setting '%s'", key);
    return -1;
}

static char *pw_config_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

int pw_config_load(pw_server_config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read config %s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = pw_config_trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
            fclose(f);
            return -1;
        }
        *eq = '\0';
        char inner[512];
        if (pw_config_set(c, pw_config_trim(s), pw_config_trim(eq + 1), inner, sizeof inner) != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, inner);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

size_t pw_config_key_count(void)
{
    return PW_NKEYS;
}

const char *pw_config_key_name(size_t i)
{
    return i < PW_NKEYS ? pw_config_keys[i].name : NULL;
}

void pw_config_print_help(void)
{
    for (size_t i = 0; i < PW_NKEYS; i++) {
        const pw_config_key *k = &pw_config_keys[i];
        if (k->type == PW_CFG_INT)
            printf("  --%-22s %s (default %lld, %lld..%lld)\n", k->name, k->help, (long long)k->def,
                   (long long)k->min, (long long)k->max);
        else if (k->type == PW_CFG_CHOICE)
            printf("  --%-22s %s (default %s)\n", k->name, k->help, k->choices[k->def]);
        else
            printf("  --%-22s %s\n", k->name, k->help);
    }
}
