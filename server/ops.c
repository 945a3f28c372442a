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

int pw_ops_main(int argc, char **argv)
{
    const char *verb = argv[1];
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"to", required_argument, NULL, 't'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"config", required_argument, NULL, 'C'},
                                         {"step-pages", required_argument, NULL, 'p'},
                                         {"step-sleep-ms", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *to = NULL, *from = NULL, *config = NULL;
    pw_backup_options bo;
    pw_backup_options_default(&bo);
    long n;
    int ch;
    optind = 2;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 'C':
            config = optarg;
            break;
        case 'p':
            if (ops_num("step-pages", optarg, 1, 1 << 20, &n) != 0)
                return PW_EXIT_USAGE;
            bo.step_pages = (int)n;
            break;
        case 's':
            if (ops_num("step-sleep-ms", optarg, 0, 10000, &n) != 0)
                return PW_EXIT_USAGE;
            bo.step_sleep_us = (int)n * 1000;
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
        fprintf(stderr, "planwatchd %s: unexpected argument '%s' (INVALID_ARGUMENT)\n", verb,
                argv[optind]);
        return PW_EXIT_USAGE;
    }
    char err[1024];
    pw_server_config cfg;
    pw_config_defaults(&cfg);
    if (config && pw_config_load(&cfg, config, err, sizeof err) != 0) {
        fprintf(stderr, "planwatchd: %s (INVALID_ARGUMENT)\n", err);
        pw_config_fini(&cfg);
        return PW_EXIT_USAGE;
    }
    if (!db)
        db = cfg.db;
    int rc = PW_EXIT_USAGE;
    const char *need = !db ? "--db FILE" : NULL;
    if (!need && strcmp(verb, "backup") == 0 && !to)
        need = "--to FILE";
    if (!need && strcmp(verb, "restore") == 0 && !from)
        need = "--from FILE";
    if (need) {
        fprintf(stderr, "planwatchd %s: needs %s (INVALID_ARGUMENT)\n", verb, need);
        goto out;
    }
    if (strcmp(verb, "backup") == 0) {
        pw_backup_result r;
        if (pw_store_backup(db, to, &bo, &r, err, sizeof err) != 0) {
            fprintf(stderr, "planwatchd backup: %s (UNAVAILABLE)\n", err);
            rc = 1;
            goto out;
        }
        printf("backup of %s written to %s: %lld pages, %lld bytes in %.3f s "
               "(%lld steps of %d pages, longest step %.1f ms)\n",
               db, to, (long long)r.pages, (long long)r.bytes, (double)r.usec / 1e6,
               (long long)r.steps, bo.step_pages, (double)r.longest_step_usec / 1e3);
        rc = 0;
    } else if (strcmp(verb, "restore") == 0) {
        char aside[4200];
        if (pw_store_restore(from, db, aside, sizeof aside, err, sizeof err) != 0) {
            fprintf(stderr, "planwatchd restore: %s (FAILED_PRECONDITION)\n", err);
            rc = 1;
            goto out;
        }
        printf("restored %s from %s", db, from);
        if (aside[0])
            printf("; the database it replaced is kept as %s", aside);
        printf("\n");
        rc = 0;
    } else {
        int problems = pw_store_check(db, stdout, err, sizeof err);
        if (problems < 0) {
            fprintf(stderr, "planwatchd check: %s (FAILED_PRECONDITION)\n", err);
            rc = 1;
        } else if (problems > 0) {
            fprintf(stderr, "planwatchd check: %s has %d problems (DATA_LOSS)\n", db, problems);
            rc = 1;
        } else {
            rc = 0;
        }
    }
out:
    pw_config_fini(&cfg);
    return rc;
}
