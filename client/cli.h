/*
 * cli.h - what every CLI verb shares: global options, credentials and the
 * session cache, the call wrapper that turns statuses into exit codes and
 * one-line errors (SPEC 4.2), file and password input.
 *
 * Conventions: global options come before the verb; a verb's `run` gets
 * argv starting at its last word and parses its own options with
 * getopt_long; it returns an exit code (PW_EXIT_*).
 */
#ifndef PW_CLIENT_CLI_H
#define PW_CLIENT_CLI_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "client/call.h"
#include "common/render/table.h"
#include "common/status.h"

typedef struct pw_cli {
    const char *prog;
    const char *server;
    const char *user;
    pw_client_tls tls;
    uint32_t timeout_ms;
    pw_client *client; /* connected on first call */
    char token[160];   /* session token in use, "" when none */
} pw_cli;

typedef struct pw_cli_verb {
    const char *words; /* "user add", "login" */
    int (*run)(pw_cli *cli, int argc, char **argv);
    const char *usage; /* arguments after the words */
    const char *help;
} pw_cli_verb;

/* Parse global options, find the verb, run it, clean up; returns the exit
 * code for main(). */
int pw_cli_main(const char *prog, const pw_cli_verb *verbs, size_t nverbs, int argc, char **argv);

/* Make an authenticated call (token from the cache or a login with --user
 * and PLANWATCH_PASSWORD / prompt).  Prints the one-line error and any
 * field violations on failure.  Returns the exit code. */
int pw_cli_call(pw_cli *cli, const char *method, const ProtobufCMessage *req,
                const ProtobufCMessageDescriptor *resp_desc, ProtobufCMessage **resp);
/* pw_cli_call with an Empty request; resp NULL: the response is dropped. */
int pw_cli_call_empty(pw_cli *cli, const char *method, const ProtobufCMessageDescriptor *resp_desc,
                      ProtobufCMessage **resp);
/* The same without any token (login itself). */
int pw_cli_call_anon(pw_cli *cli, const char *method, const ProtobufCMessage *req,
                     const ProtobufCMessageDescriptor *resp_desc, ProtobufCMessage **resp);

/* Log in as cli->user with PLANWATCH_PASSWORD or a prompt; on success
 * *resp is the LoginResponse (caller frees).  Returns the exit code. */
int pw_cli_login(pw_cli *cli, ProtobufCMessage **resp);

/* "prog: <what> (INVALID_ARGUMENT)" on stderr; returns PW_EXIT_USAGE. */
int pw_cli_usage(pw_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "prog: <what> (<STATUS>)"; returns `exit_code`. */
int pw_cli_error(pw_cli *cli, int status, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Read a whole file ("-" = stdin), NUL-terminated; NULL with err set. */
char *pw_cli_read_file(const char *path, size_t *len, char *err, size_t errlen);
/* The same with a size limit: a regular file larger than max is refused
 * before it is read ("PATH is larger than N MiB"), a stream once past it. */
char *pw_cli_read_file_max(const char *path, size_t max, size_t *len, char *err, size_t errlen);
/* Read a password from PLANWATCH_PASSWORD, else prompt on the terminal
 * (twice when `confirm`).  0 on success. */
int pw_cli_password(pw_cli *cli, const char *prompt, int confirm, char *buf, size_t len);

/* Print a JSON value to stdout (UTF-8, indented) and release it. */
void pw_cli_print_json(json_t *v);

/* How the list verbs print their rows: with --json {"<key>": [row_json(row),
 * ...]}, else a table of ncol columns headed hdr, a row_add(t, row) a row. */
typedef struct pw_cli_list {
    const char *key;
    json_t *(*row_json)(const void *row);
    int ncol;
    const char *const *hdr;
    void (*row_add)(pw_table *t, const void *row);
} pw_cli_list;
/* Print the n rows (a protobuf repeated field) of a list answer on stdout. */
void pw_cli_print_list(const pw_cli_list *l, int json, void *const *rows, size_t n);

/* Session cache: $XDG_CONFIG_HOME/planwatch/session-<hash of server>, 0600. */
int pw_session_load(const char *server, char *user, size_t ulen, char *token, size_t tlen);
int pw_session_save(const char *server, const char *user, const char *token, char *err,
                    size_t errlen);
int pw_session_clear(const char *server);

/* Strict number parsing for option values: the whole string, finite, in
 * [lo, hi].  0 on success, else prints a usage error naming `opt` and
 * returns PW_EXIT_USAGE. */
int pw_cli_parse_double(pw_cli *cli, const char *opt, const char *s, double lo, double hi,
                        double *out);
int pw_cli_parse_int(pw_cli *cli, const char *opt, const char *s, long long lo, long long hi,
                     long long *out);
/* Format unix seconds as ISO 8601 for human output ("-" for none), in the
 * zone of the plan the last response was about (pw_fmt_use_tz; UTC+08:00
 * before any). */
const char *pw_cli_time(int64_t t, char *buf, size_t len);

/* A verb option that takes a value, kept as given: --name VALUE sets
 * *value = VALUE. */
typedef struct pw_cli_opt {
    const char *name;
    char **value;
} pw_cli_opt;
/* Parse a verb's options (opts ends with a NULL name; at most 16), every one
 * taking a value; an unknown option or a missing value prints `usage` as the
 * usage error and returns PW_EXIT_USAGE.  0 when parsed, optind then at the
 * first operand. */
int pw_cli_parse_opts(pw_cli *cli, int argc, char **argv, const pw_cli_opt *opts,
                      const char *usage);

/* getopt_long for verbs: resets getopt state first. */
int pw_cli_getopt(int argc, char **argv, const char *shortopts, const void *longopts);

#endif
