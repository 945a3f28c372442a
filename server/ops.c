/*
 * ops.c - the operator's verbs of planwatchd (SPEC 5.4):
 *
 *   planwatchd backup  --db FILE --to FILE [--step-pages N] [--step-sleep-ms N]
 *   planwatchd restore --from FILE --db FILE
 *   planwatchd check   --db FILE
 *
 * Each takes --config FILE too (its `db` key).  They work on the file
 * directly, with or without a server running on it (store_ops.h says how
 * that stays consistent).  Exit codes: 0 done / healthy, 1 failed / problems
 * found, 2 usage.
 */
#include "server/ops.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "server/config.h"
#include "server/store/store_ops.h"

static void ops_usage(FILE *f)
{
    fprintf(f, "usage: planwatchd backup --db FILE --to FILE [--step-pages N] [--step-sleep-ms N]\n"
               "       planwatchd restore --from FILE --db FILE\n"
               "       planwatchd check --db FILE\n"
               "  backup   consistent copy of a database a server may be using (online backup;\n"
               "           the server keeps writing); the copy is checked, then renamed to FILE;\n"
               "           --step-pages N (default 256) pages a step, --step-sleep-ms N (default\n"
               "           10) between steps: 0 for the fastest copy, more for a busier server\n"
               "  restore  put a backup in place after an integrity check; the current database\n"
               "           is kept as FILE.before-restore-<UTC time>\n"
               "  check    PRAGMA integrity_check and foreign_key_check; exit 1 on any problem\n"
               "  --config FILE  take --db from a planwatchd config file\n");
}

int pw_ops_is_verb(const char *s)
{
    return strcmp(s, "backup") == 0 || strcmp(s, "restore") == 0 || strcmp(s, "check") == 0;
}

static int ops_num(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        fprintf(stderr, "planwatchd: --%s %s: a whole number from %ld to %ld (INVALID_ARGUMENT)\n",
                opt, v, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}

/* The options of a verb. */
typedef struct ops_args {
    const char *db, *to, *from, *config;
    pw_backup_options bo;
} ops_args;

/* Parse the options after the verb: -1 to go on, else the exit code. */
static int ops_parse(int argc, char **argv, ops_args *a)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"to", required_argument, NULL, 't'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"config", required_argument, NULL, 'C'},
                                         {"step-pages", required_argument, NULL, 'p'},
                                         {"step-sleep-ms", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    long n;
    int ch;
    optind = 2;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            a->db = optarg;
            break;
        case 't':
            a->to = optarg;
            break;
        case 'f':
            a->from = optarg;
            break;
        case 'C':
            a->config = optarg;
            break;
        case 'p':
            if (ops_num("step-pages", optarg, 1, 1 << 20, &n) != 0)
                return PW_EXIT_USAGE;
            a->bo.step_pages = (int)n;
            break;
        case 's':
            if (ops_num("step-sleep-ms", optarg, 0, 10000, &n) != 0)
                return PW_EXIT_USAGE;
            a->bo.step_sleep_us = (int)n * 1000;
            break;
        case 'h':
            ops_usage(stdout);
            return 0;
        default:
            ops_usage(stderr);
            return PW_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "planwatchd %s: unexpected argument '%s' (INVALID_ARGUMENT)\n", argv[1],
                argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

static int ops_backup(const ops_args *a)
{
    char err[1024];
    pw_backup_result r;
    if (pw_store_backup(a->db, a->to, &a->bo, &r, err, sizeof err) != 0) {
        fprintf(stderr, "planwatchd backup: %s (UNAVAILABLE)\n", err);
        return 1;
    }
    printf("backup of %s written to %s: %lld pages, %lld bytes in %.3f s "
           "(%lld steps of %d pages, longest step %.1f ms)\n",
           a->db, a->to, (long long)r.pages, (long long)r.bytes, (double)r.usec / 1e6,
           (long long)r.steps, a->bo.step_pages, (double)r.longest_step_usec / 1e3);
    return 0;
}

static int ops_restore(const ops_args *a)
{
    char err[1024];
    char aside[4200];
    if (pw_store_restore(a->from, a->db, aside, sizeof aside, err, sizeof err) != 0) {
        fprintf(stderr, "planwatchd restore: %s (FAILED_PRECONDITION)\n", err);
        return 1;
    }
    printf("restored %s from %s", a->db, a->from);
    if (aside[0])
        printf("; the database it replaced is kept as %s", aside);
    printf("\n");
    return 0;
}

static int ops_check(const ops_args *a)
{
    char err[1024];
    int problems = pw_store_check(a->db, stdout, err, sizeof err);
    if (problems < 0) {
        fprintf(stderr, "planwatchd check: %s (FAILED_PRECONDITION)\n", err);
        return 1;
    }
    if (problems > 0) {
        fprintf(stderr, "planwatchd check: %s has %d problems (DATA_LOSS)\n", a->db, problems);
        return 1;
    }
    return 0;
}

int pw_ops_main(int argc, char **argv)
{
    const char *verb = argv[1];
    ops_args a = {0};
    pw_backup_options_default(&a.bo);
    int rc = ops_parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char err[1024];
    pw_server_config cfg;
    pw_config_defaults(&cfg);
    if (a.config && pw_config_load(&cfg, a.config, err, sizeof err) != 0) {
        fprintf(stderr, "planwatchd: %s (INVALID_ARGUMENT)\n", err);
        pw_config_fini(&cfg);
        return PW_EXIT_USAGE;
    }
    if (!a.db)
        a.db = cfg.db;
    const char *need = !a.db ? "--db FILE" : NULL;
    if (!need && strcmp(verb, "backup") == 0 && !a.to)
        need = "--to FILE";
    if (!need && strcmp(verb, "restore") == 0 && !a.from)
        need = "--from FILE";
    if (need) {
        fprintf(stderr, "planwatchd %s: needs %s (INVALID_ARGUMENT)\n", verb, need);
        rc = PW_EXIT_USAGE;
    } else if (strcmp(verb, "backup") == 0) {
        rc = ops_backup(&a);
    } else if (strcmp(verb, "restore") == 0) {
        rc = ops_restore(&a);
    } else {
        rc = ops_check(&a);
    }
    pw_config_fini(&cfg);
    return rc;
}
