/*
 * planwatchd - the planwatch server.
 *
 *   planwatchd [--listen URL]... [--http-listen URL]... [--db FILE] [--config FILE] [--workers N]
 * ... planwatchd init --db FILE --admin NAME planwatchd backup|restore|check ... (server/ops.c)
 *
 * Signals: SIGINT/SIGTERM stop accepting, let in-flight calls finish, close
 * the database and exit 0.  They are blocked in every thread and taken by
 * sigwait() in main, so no handler runs in a worker.
 */
#include <getopt.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"
#include "common/status.h"
#include "common/default_socket.h"
#include "server/config.h"
#include "server/ops.h"
#include "server/server.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: planwatchd [OPTIONS]\n"
               "       planwatchd init --db FILE --admin NAME [--config FILE]\n"
               "         (admin password from PLANWATCH_PASSWORD or prompted twice)\n"
               "       planwatchd backup --db FILE --to FILE | restore --from FILE --db FILE\n"
               "       planwatchd check --db FILE   (see planwatchd backup --help)\n\n"
               "options (each is also a `key = value` line of --config FILE):\n"
               "  --config FILE            read settings from FILE first\n");
    pw_config_print_help();
}

static int read_password(char *buf, size_t len)
{
    const char *env = getenv("PLANWATCH_PASSWORD");
    if (env) {
        snprintf(buf, len, "%s", env);
        return 0;
    }
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return -1;
    char again[1100];
    struct termios old, ne;
    int fd = fileno(tty), term = tcgetattr(fd, &old) == 0;
    if (term) {
        ne = old;
        ne.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &ne);
    }
    fprintf(tty, "admin password: ");
    int ok = fgets(buf, (int)len, tty) != NULL;
    fprintf(tty, "\nagain: ");
    ok = ok && fgets(again, sizeof again, tty) != NULL;
    fprintf(tty, "\n");
    if (term)
        tcsetattr(fd, TCSAFLUSH, &old);
    fclose(tty);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    again[strcspn(again, "\r\n")] = '\0';
    ok = strcmp(buf, again) == 0;
    sodium_memzero(again, sizeof again);
    return ok ? 0 : -1;
}

/* Read every --config FILE of the command line (before the options, so
 * that the command line wins over the file).  0, or an exit code. */
static int load_config_files(int argc, char **argv, pw_server_config *cfg)
{
    char err[1024];
    for (int i = 1; i < argc; i++) {
        const char *path = NULL;
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
        if (path && pw_config_load(cfg, path, err, sizeof err) != 0) {
            fprintf(stderr, "planwatchd: %s (INVALID_ARGUMENT)\n", err);
            return PW_EXIT_USAGE;
        }
    }
    return 0;
}

/* The options: every setting of the table in server/config.c, plus
 * these; a setting added there needs nothing here.  -1 to go on, else the
 * exit code (after --help, --version or a bad option). */
static int parse_options(int argc, char **argv, pw_server_config *cfg, const char **admin)
{
    char err[1024];
    struct option opts[PW_CONFIG_MAX_KEYS + 5];
    size_t nopts = 0;
    for (size_t k = 0; k < pw_config_key_count() && nopts < PW_CONFIG_MAX_KEYS; k++)
        opts[nopts++] = (struct option){pw_config_key_name(k), required_argument, NULL, 0};
    opts[nopts++] = (struct option){"config", required_argument, NULL, 'C'};
    opts[nopts++] = (struct option){"admin", required_argument, NULL, 'a'};
    opts[nopts++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[nopts++] = (struct option){"version", no_argument, NULL, 'V'};
    opts[nopts] = (struct option){NULL, 0, NULL, 0};
    int ch, idx;
    while ((ch = getopt_long(argc, argv, "hV", opts, &idx)) != -1) {
        switch (ch) {
        case 0:
            if (pw_config_set(cfg, opts[idx].name, optarg, err, sizeof err) != 0) {
                fprintf(stderr, "planwatchd: --%s (INVALID_ARGUMENT)\n", err);
                return PW_EXIT_USAGE;
            }
            break;
        case 'C':
            break;
        case 'a':
            *admin = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("planwatchd %s (schema %d)\n", PW_VERSION, pw_store_schema_version());
            return 0;
        default:
            usage(stderr);
            return PW_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "planwatchd: unexpected argument '%s' (INVALID_ARGUMENT)\n", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* planwatchd init: create the database with its admin.  The exit code. */
static int init_db(const pw_server_config *cfg, const char *admin)
{
    char err[1024];
    char password[1100];
    if (read_password(password, sizeof password) != 0) {
        fprintf(stderr, "planwatchd: no admin password: set PLANWATCH_PASSWORD or type it "
                        "twice on a terminal (INVALID_ARGUMENT)\n");
        return PW_EXIT_USAGE;
    }
    int rc = pw_server_init_db(cfg, admin, password, err, sizeof err);
    sodium_memzero(password, sizeof password);
    if (rc != 0) {
        fprintf(stderr, "planwatchd: %s (FAILED_PRECONDITION)\n", err);
        return 1;
    }
    printf("created %s with admin %s\n", cfg->db, admin);
    return 0;
}

/* Without --listen: the default socket, in a private directory (SPEC
 * 5.3).  0, or -1 after saying why. */
static int default_listen(pw_server_config *cfg)
{
    char err[1024];
    char dir[4096], url[4200];
    if (pw_default_socket_dir(dir, sizeof dir) != 0 ||
        pw_private_dir_make(dir, err, sizeof err) != 0 ||
        pw_default_server_url(url, sizeof url) != 0) {
        fprintf(stderr, "planwatchd: %s; give --listen URL (FAILED_PRECONDITION)\n",
                pw_default_socket_dir(dir, sizeof dir) != 0 ? dir : err);
        return -1;
    }
    pw_config_set(cfg, "listen", url, err, sizeof err);
    return 0;
}

/* Serve until SIGINT or SIGTERM.  The exit code. */
static int serve(pw_server_config *cfg)
{
    char err[1024];
    if (cfg->nlisten == 0 && default_listen(cfg) != 0)
        return 1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    pw_server srv;
    if (pw_server_start(cfg, &srv, err, sizeof err) != 0) {
        if (pw_log_format == PW_LOG_FORMAT_JSON) /* a log shipper reads JSON lines only */
            pw_log(PW_LOG_ERROR, "cannot start: %s (UNAVAILABLE)", err);
        else
            fprintf(stderr, "planwatchd: %s (UNAVAILABLE)\n", err);
        return 1;
    }
    pw_log(PW_LOG_INFO, "planwatchd %s ready: db=%s workers=%lld", PW_VERSION, cfg->db,
           (long long)cfg->workers);
    int sig = 0;
    sigwait(&set, &sig);
    pw_log(PW_LOG_INFO, "signal %d: finishing in-flight calls", sig);
    pw_server_stop(&srv);
    pw_log(PW_LOG_INFO, "stopped cleanly");
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    /* big buffers (an office read's 30 MB reply, its nng message) straight
     * from and back to the kernel: glibc would otherwise raise this
     * threshold after the first such free and keep their pages in a
     * worker's heap (issue 18: RSS of the office reads) */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (sodium_init() < 0) {
        fprintf(stderr, "planwatchd: libsodium failed to initialise (INTERNAL)\n");
        return 1;
    }
    if (argc > 1 && pw_ops_is_verb(argv[1]))
        return pw_ops_main(argc, argv);
    int init = argc > 1 && strcmp(argv[1], "init") == 0;
    if (init) {
        argv++;
        argc--;
    }
    pw_server_config cfg;
    pw_config_defaults(&cfg);
    const char *admin = NULL;
    int rc = load_config_files(argc, argv, &cfg);
    if (rc == 0)
        rc = parse_options(argc, argv, &cfg, &admin);
    if (rc < 0) {
        pw_log_format = (int)cfg.log_format;
        rc = init ? init_db(&cfg, admin) : serve(&cfg);
    }
    pw_config_fini(&cfg);
    return rc;
}
