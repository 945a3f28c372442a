/*
 * cli.c - shared CLI plumbing.  See cli.h.
 *
 * Credentials, in order: a cached session for this server (planwatch
 * login) whose user matches --user when given; else a login with --user /
 * PLANWATCH_USER and PLANWATCH_PASSWORD or a prompt, for this command only.
 * A cached token the server no longer accepts is retried once with a fresh
 * login when a password is at hand.
 */
#include "client/cli.h"
#include "common/default_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <time.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/render/render_format.h"
#include "common/period.h"
#include "common/render/table.h"
#include "planwatch/v1/account.pb-c.h"

static void pw_cli_vprint(pw_cli *cli, int status, const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fprintf(stderr, "%s: %s (%s)\n", cli->prog, buf, pw_status_name(status));
}

int pw_cli_usage(pw_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pw_cli_vprint(cli, PW_INVALID_ARGUMENT, fmt, ap);
    va_end(ap);
    return PW_EXIT_USAGE;
}

int pw_cli_error(pw_cli *cli, int status, int exit_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pw_cli_vprint(cli, status, fmt, ap);
    va_end(ap);
    return exit_code;
}

int pw_cli_getopt(int argc, char **argv, const char *shortopts, const void *longopts)
{
    return getopt_long(argc, argv, shortopts, (const struct option *)longopts, NULL);
}

int pw_cli_parse_opts(pw_cli *cli, int argc, char **argv, const pw_cli_opt *opts, const char *usage)
{
    struct option lo[17];
    int n = 0;
    for (; opts[n].name && n < 16; n++)
        lo[n] = (struct option){opts[n].name, required_argument, NULL, n + 1};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    int ch;
    while ((ch = pw_cli_getopt(argc, argv, "", lo)) != -1) {
        if (ch < 1 || ch > n)
            return pw_cli_usage(cli, "%s", usage);
        *opts[ch - 1].value = optarg;
    }
    return 0;
}

int pw_cli_parse_double(pw_cli *cli, const char *opt, const char *s, double lo, double hi,
                        double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
        return pw_cli_usage(cli, "%s '%s' is not a number in %g..%g", opt, s, lo, hi);
    *out = v;
    return 0;
}

int pw_cli_parse_int(pw_cli *cli, const char *opt, const char *s, long long lo, long long hi,
                     long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return pw_cli_usage(cli, "%s '%s' is not an integer in %lld..%lld", opt, s, lo, hi);
    *out = v;
    return 0;
}

const char *pw_cli_time(int64_t t, char *buf, size_t len)
{
    if (!pw_fmt_time(t, buf, len))
        snprintf(buf, len, "-");
    return buf;
}

/* ---- files and passwords ----------------------------------------------- */

char *pw_cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    return pw_cli_read_file_max(path, (size_t)256 << 20, len, err, errlen);
}

static void pw_cli_too_large(const char *path, size_t max, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s is larger than %zu MiB", path, max >> 20);
}

char *pw_cli_read_file_max(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max) {
        /* refused before reading: no memory spent on it */
        pw_cli_too_large(path, max, err, errlen);
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            pw_cli_too_large(path, max, err, errlen);
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int rerr = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf) {
        if (!err[0])
            snprintf(err, errlen, "out of memory reading %s", path);
        return NULL;
    }
    if (rerr) {
        snprintf(err, errlen, "cannot read %s", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int pw_cli_prompt(const char *prompt, char *buf, size_t len)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return -1;
    struct termios old, noecho;
    int fd = fileno(tty);
    int have_term = tcgetattr(fd, &old) == 0;
    if (have_term) {
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &noecho);
    }
    fprintf(tty, "%s", prompt);
    fflush(tty);
    char *ok = fgets(buf, (int)len, tty);
    if (have_term)
        tcsetattr(fd, TCSAFLUSH, &old);
    fprintf(tty, "\n");
    fclose(tty);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

int pw_cli_password(pw_cli *cli, const char *prompt, int confirm, char *buf, size_t len)
{
    const char *env = getenv("PLANWATCH_PASSWORD");
    if (env) {
        snprintf(buf, len, "%s", env);
        return 0;
    }
    if (pw_cli_prompt(prompt, buf, len) != 0) {
        pw_cli_usage(cli, "no password: set PLANWATCH_PASSWORD or run on a terminal");
        return -1;
    }
    if (confirm) {
        char again[1100];
        if (pw_cli_prompt("again: ", again, sizeof again) != 0 || strcmp(again, buf) != 0) {
            sodium_memzero(again, sizeof again);
            pw_cli_usage(cli, "the two passwords differ");
            return -1;
        }
        sodium_memzero(again, sizeof again);
    }
    return 0;
}

void pw_cli_print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(v);
}

/* ---- session cache ------------------------------------------------------ */

/* mkdir -p with mode 0700 for the directories it creates */
static int pw_mkdirs(const char *dir)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int pw_session_path(const char *server, char *path, size_t len, int mkdirs)
{
    const char *base = getenv("XDG_CONFIG_HOME");
    char dir[1024];
    if (base && *base) {
        snprintf(dir, sizeof dir, "%s/planwatch", base);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return -1;
        snprintf(dir, sizeof dir, "%s/.config/planwatch", home);
    }
    if (mkdirs && pw_mkdirs(dir) != 0)
        return -1;
    unsigned char h[8];
    char hex[17];
    crypto_generichash(h, sizeof h, (const unsigned char *)server, strlen(server), NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(path, len, "%s/session-%s", dir, hex);
    return 0;
}

int pw_session_load(const char *server, char *user, size_t ulen, char *token, size_t tlen)
{
    char path[1200];
    if (pw_session_path(server, path, sizeof path, 0) != 0)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int have = 0;
    user[0] = token[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "user=", 5) == 0)
            snprintf(user, ulen, "%s", line + 5), have |= 1;
        else if (strncmp(line, "token=", 6) == 0)
            snprintf(token, tlen, "%s", line + 6), have |= 2;
    }
    fclose(f);
    return have == 3 ? 0 : -1;
}

int pw_session_save(const char *server, const char *user, const char *token, char *err,
                    size_t errlen)
{
    char path[1200];
    if (pw_session_path(server, path, sizeof path, 1) != 0) {
        snprintf(err, errlen, "cannot create the session directory (set XDG_CONFIG_HOME or HOME)");
        return -1;
    }
    char body[1200];
    int n = snprintf(body, sizeof body, "server=%s\nuser=%s\ntoken=%s\n", server, user, token);
    if (n < 0 || (size_t)n >= sizeof body) {
        snprintf(err, errlen, "cannot write %s: the session is too long", path);
        return -1;
    }
    /* a secret: 0600, through the one atomic writer (mkstemp + rename) */
    int rc = pw_file_write_atomic(path, body, (size_t)n, 0600, err, errlen);
    sodium_memzero(body, sizeof body);
    return rc;
}

int pw_session_clear(const char *server)
{
    char path[1200];
    if (pw_session_path(server, path, sizeof path, 0) != 0)
        return -1;
    return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* ---- calls -------------------------------------------------------------- */

static int pw_cli_connect(pw_cli *cli)
{
    if (cli->client)
        return 0;
    char err[512];
    if (pw_client_open(cli->server, &cli->tls, &cli->client, err, sizeof err) != 0)
        return pw_cli_error(cli, PW_UNAVAILABLE, PW_EXIT_CONNECT, "%s", err);
    return 0;
}

static int pw_cli_report(pw_cli *cli, pw_call_result *res)
{
    int code = pw_status_exit_code(res->status, res->transport_failed);
    if (res->status != PW_OK) {
        /* the server's words are not trusted on the terminal: no controls */
        char *msg = pw_utf8_clean(res->message[0] ? res->message : pw_status_text(res->status), 0);
        fprintf(stderr, "%s: %s (%s)\n", cli->prog, msg, pw_status_name(res->status));
        free(msg);
        for (size_t i = 0; i < res->nviolations; i++) {
            char *f = pw_utf8_clean(res->fields[i], 0), *d = pw_utf8_clean(res->descriptions[i], 0);
            fprintf(stderr, "  %s: %s\n", f, d);
            free(f);
            free(d);
        }
    }
    pw_call_result_fini(res);
    return code;
}

/* Show times in the zone of the plan a response is about: a response that
 * carries has_tz_offset_min / tz_offset_min (added to every response with
 * times) sets it; any other leaves the zone as it was. */
static void pw_cli_adopt_tz(const ProtobufCMessage *m)
{
    const ProtobufCFieldDescriptor *has =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "has_tz_offset_min");
    const ProtobufCFieldDescriptor *tz =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "tz_offset_min");
    if (!has || !tz || has->type != PROTOBUF_C_TYPE_BOOL || tz->type != PROTOBUF_C_TYPE_SINT32)
        return;
    const char *base = (const char *)m;
    protobuf_c_boolean h;
    int32_t v;
    memcpy(&h, base + has->offset, sizeof h);
    memcpy(&v, base + tz->offset, sizeof v);
    pw_fmt_use_tz(h, v);
}

int pw_cli_call_anon(pw_cli *cli, const char *method, const ProtobufCMessage *req,
                     const ProtobufCMessageDescriptor *resp_desc, ProtobufCMessage **resp)
{
    int rc = pw_cli_connect(cli);
    if (rc)
        return rc;
    pw_call_result res;
    pw_client_call(cli->client, method, NULL, cli->timeout_ms, req, resp_desc, resp, &res);
    return pw_cli_report(cli, &res);
}

int pw_cli_login(pw_cli *cli, ProtobufCMessage **resp)
{
    char password[1100];
    if (pw_cli_password(cli, "password: ", 0, password, sizeof password) != 0)
        return PW_EXIT_USAGE;
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)cli->user;
    req.password = password;
    int rc = pw_cli_call_anon(cli, "/planwatch.v1.AuthService/Login", &req.base,
                              &planwatch__v1__login_response__descriptor, resp);
    sodium_memzero(password, sizeof password);
    return rc;
}

/* Log in as cli->user for this command (not cached). */
static int pw_cli_login_now(pw_cli *cli)
{
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_login(cli, &resp);
    if (rc)
        return rc;
    Planwatch__V1__LoginResponse *lr = (Planwatch__V1__LoginResponse *)resp;
    snprintf(cli->token, sizeof cli->token, "%s", lr->token);
    protobuf_c_message_free_unpacked(resp, NULL);
    return 0;
}

int pw_cli_call(pw_cli *cli, const char *method, const ProtobufCMessage *req,
                const ProtobufCMessageDescriptor *resp_desc, ProtobufCMessage **resp)
{
    int rc = pw_cli_connect(cli);
    if (rc)
        return rc;
    int from_cache = 0;
    if (!cli->token[0]) {
        char user[128], token[128];
        if (pw_session_load(cli->server, user, sizeof user, token, sizeof token) == 0 &&
            (!cli->user || strcmp(cli->user, user) == 0)) {
            snprintf(cli->token, sizeof cli->token, "%s", token);
            from_cache = 1;
        } else if (cli->user) {
            if ((rc = pw_cli_login_now(cli)) != 0)
                return rc;
        } else {
            return pw_cli_error(cli, PW_UNAUTHENTICATED, PW_EXIT_USAGE,
                                "not logged in: run '%s login --user NAME' or set PLANWATCH_USER",
                                cli->prog);
        }
    }
    pw_call_result res;
    pw_client_call(cli->client, method, cli->token, cli->timeout_ms, req, resp_desc, resp, &res);
    if (res.status == PW_UNAUTHENTICATED && !res.transport_failed && from_cache && cli->user &&
        getenv("PLANWATCH_PASSWORD")) {
        pw_call_result_fini(&res);
        cli->token[0] = '\0';
        if ((rc = pw_cli_login_now(cli)) != 0)
            return rc;
        pw_client_call(cli->client, method, cli->token, cli->timeout_ms, req, resp_desc, resp,
                       &res);
    }
    rc = pw_cli_report(cli, &res);
    if (rc == 0 && *resp)
        pw_cli_adopt_tz(*resp);
    return rc;
}

void pw_cli_print_list(const pw_cli_list *l, int json, void *const *rows, size_t n)
{
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, l->row_json(rows[i]));
        pw_cli_print_json(json_pack("{s:o}", l->key, arr));
        return;
    }
    pw_table *t = pw_table_new(l->ncol, l->hdr);
    for (size_t i = 0; i < n; i++)
        l->row_add(t, rows[i]);
    pw_table_print(t, stdout);
    pw_table_free(t);
}

int pw_cli_call_empty(pw_cli *cli, const char *method, const ProtobufCMessageDescriptor *resp_desc,
                      ProtobufCMessage **resp)
{
    Planwatch__V1__Empty req = PLANWATCH__V1__EMPTY__INIT;
    ProtobufCMessage *dropped = NULL;
    int rc = pw_cli_call(cli, method, &req.base, resp_desc, resp ? resp : &dropped);
    if (dropped)
        protobuf_c_message_free_unpacked(dropped, NULL);
    return rc;
}

/* ---- main --------------------------------------------------------------- */

/* The default server for --help (the socket of default_socket.h). */
static const char *pw_cli_default_server(void)
{
    static char url[4200];
    if (pw_default_server_url(url, sizeof url) != 0)
        return "none: XDG_RUNTIME_DIR is not set";
    return url;
}

static void pw_cli_help(const char *prog, const pw_cli_verb *verbs, size_t n, FILE *f)
{
    fprintf(f,
            "usage: %s [--server URL] [--user NAME] [--timeout MS] [--tls-ca FILE]\n"
            "       %*s [--tls-cert FILE --tls-key FILE] [--tls-server-name NAME] VERB [ARGS]\n\n"
            "  --server URL   server address (or PLANWATCH_SERVER; default %s)\n"
            "  --tls-server-name NAME  name the server's certificate must carry\n"
            "                 (default: the host of a tls+tcp:// URL)\n"
            "  --user NAME    log in as NAME for this command (or PLANWATCH_USER);\n"
            "                 password from PLANWATCH_PASSWORD or a prompt\n\n"
            "verbs:\n",
            prog, (int)strlen(prog), "", pw_cli_default_server());
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %s %s %s\n      %s\n", prog, verbs[i].words, verbs[i].usage, verbs[i].help);
    fprintf(f, "\nexit codes: 0 ok, 1 error from the server, 2 usage error, 3 cannot reach the "
               "server\n");
}

/* Does argv start with the words of `words` ("user add")?  Returns the
 * number of words matched, 0 if not. */
static int pw_cli_match(const char *words, int argc, char **argv)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", words);
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (n >= argc || strcmp(argv[n], w) != 0)
            return 0;
        n++;
    }
    return n;
}

/* The width human tables must fit: $COLUMNS when set, else the terminal's
 * width when stdout is one; 0 (no limit) for a pipe or a file. */
static int pw_cli_columns(void)
{
    const char *env = getenv("COLUMNS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 20 && v <= 10000)
            return (int)v;
    }
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

/* The global options (before the verb) into *cli.  -1 to go on, else the
 * exit code (after --help, --version or a bad option). */
static int pw_cli_global_options(pw_cli *cli, const pw_cli_verb *verbs, size_t nverbs, int argc,
                                 char **argv)
{
    const char *prog = cli->prog;
    static const struct option opts[] = {{"server", required_argument, NULL, 's'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {"tls-ca", required_argument, NULL, 'C'},
                                         {"tls-cert", required_argument, NULL, 'c'},
                                         {"tls-key", required_argument, NULL, 'k'},
                                         {"tls-server-name", required_argument, NULL, 'N'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    int ch;
    optind = 0;
    while ((ch = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            cli->server = optarg;
            break;
        case 'u':
            cli->user = optarg;
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 3600000)
                return pw_cli_usage(cli, "--timeout wants milliseconds in 1..3600000");
            cli->timeout_ms = (uint32_t)v;
            break;
        }
        case 'C':
            cli->tls.ca_file = optarg;
            break;
        case 'c':
            cli->tls.cert_file = optarg;
            break;
        case 'k':
            cli->tls.key_file = optarg;
            break;
        case 'N':
            cli->tls.server_name = optarg;
            break;
        case 'h':
            pw_cli_help(prog, verbs, nverbs, stdout);
            return PW_EXIT_OK;
        case 'V':
            printf("%s %s\n", prog, PW_VERSION);
            return PW_EXIT_OK;
        default:
            return pw_cli_usage(cli, "unknown global option; see %s --help", prog);
        }
    }
    return -1;
}

int pw_cli_main(const char *prog, const pw_cli_verb *verbs, size_t nverbs, int argc, char **argv)
{
    pw_cli cli = {.prog = prog, .timeout_ms = 30000};
    pw_table_set_width(pw_cli_columns());
    cli.server = getenv("PLANWATCH_SERVER");
    cli.user = getenv("PLANWATCH_USER");
    if (cli.user && !*cli.user)
        cli.user = NULL;
    int opt_rc = pw_cli_global_options(&cli, verbs, nverbs, argc, argv);
    if (opt_rc >= 0)
        return opt_rc;
    char default_url[4200];
    if (!cli.server || !*cli.server) {
        if (pw_default_server_url(default_url, sizeof default_url) != 0)
            return pw_cli_usage(&cli, "%s: give --server URL or set PLANWATCH_SERVER", default_url);
        cli.server = default_url;
    }
    int rest = argc - optind;
    char **rargv = argv + optind;
    if (rest == 0) {
        pw_cli_help(prog, verbs, nverbs, stderr);
        return PW_EXIT_USAGE;
    }
    for (size_t i = 0; i < nverbs; i++) {
        int n = pw_cli_match(verbs[i].words, rest, rargv);
        if (!n)
            continue;
        /* per-verb --help */
        for (int k = n; k < rest; k++) {
            if (strcmp(rargv[k], "--help") == 0) {
                printf("usage: %s %s %s\n  %s\n", prog, verbs[i].words, verbs[i].usage,
                       verbs[i].help);
                return PW_EXIT_OK;
            }
        }
        optind = 0;
        int rc = verbs[i].run(&cli, rest - n + 1, rargv + n - 1);
        pw_client_close(cli.client);
        sodium_memzero(cli.token, sizeof cli.token);
        return rc;
    }
    return pw_cli_usage(&cli, "unknown command '%s'; see %s --help", rargv[0], prog);
}
