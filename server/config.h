/*
 * config.h - planwatchd settings: one declarative table (config.c) gives each
 * key its type, bounds and default; the config file (`key = value` lines,
 * '#' comments) and the command line set the same keys.
 */
#ifndef PW_SERVER_CONFIG_H
#define PW_SERVER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define PW_MAX_LISTEN 8

typedef struct pw_server_config {
    char *listen[PW_MAX_LISTEN];
    int nlisten;
    char *http_listen[PW_MAX_LISTEN]; /* the board: http:// or https:// URLs */
    int nhttp_listen;
    char *db;
    char *clock_file;
    char *tls_cert;
    char *tls_key;
    char *tls_ca;
    int64_t workers;
    int64_t max_message_bytes;
    int64_t default_timeout_ms;
    int64_t session_ttl_s;
    int64_t login_max_failures;
    int64_t lockout_s;
    int64_t pwhash_opslimit;
    int64_t pwhash_memlimit_kib;
    int64_t synchronous_full;
    int64_t max_text_bytes;
    int64_t max_values_per_report;
    int64_t max_report_versions;
    int64_t max_report_bytes;
    int64_t max_unit_bytes;
    int64_t max_reply_bytes;
    int64_t rate_calls_per_s;
    int64_t rate_logins_per_min;
    int64_t log_calls;
    int64_t log_format; /* PW_LOG_FORMAT_TEXT / _JSON (common/log.h) */
    int64_t http_max_body_bytes;
    int64_t send_timeout_ms;
    int64_t max_requests_per_pipe;
    int64_t decode_budget_bytes;
    int64_t login_backoff_base_ms;
} pw_server_config;

/* Fill every key with its default. */
void pw_config_defaults(pw_server_config *c);
/* Free the strings. */
void pw_config_fini(pw_server_config *c);
/* Set one key from text ("workers", "8"); `listen` appends.  0 or -1 with
 * `err` naming the key and the allowed range. */
int pw_config_set(pw_server_config *c, const char *key, const char *value, char *err,
                  size_t errlen);
/* Read a config file; errors name file and line. */
int pw_config_load(pw_server_config *c, const char *path, char *err, size_t errlen);
/* The keys of the table, for the command line (planwatchd_main.c). */
#define PW_CONFIG_MAX_KEYS 64
size_t pw_config_key_count(void);
const char *pw_config_key_name(size_t i);
/* Print the table (key, default, range, help) for --help. */
void pw_config_print_help(void);

#endif
