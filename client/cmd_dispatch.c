/*
 * pw_cmd_dispatch.c - planwatch dispatch, scores, publish dispatch|scores.
 *
 * The verbs fetch one message (DispatchService/Get, ScoreService/Get) and hand
 * it to a renderer (client/render_dispatch.h, client/render_scores.h).  At
 * most one output option: none = human tables on stdout, --json on stdout,
 * --csv FILE ("-" = stdout), --html FILE ("-" = stdout), --xlsx FILE.
 * Options are checked before any call, so a usage error never reaches the
 * server.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/commands.h"
#include "common/render/render_dispatch.h"
#include "common/render/render_format.h"
#include "common/render/render_scores.h"
#include "common/period.h"
#include "planwatch/v1/dispatch.pb-c.h"

enum { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_HTML, OUT_XLSX };

typedef struct cmd_output {
    int kind;
    const char *file;
} cmd_output;

/* Record the output option `ch` ('j' --json, 'c' --csv, 'h' --html, 'x'
 * --xlsx, with its file `arg`); a second one is a usage error. */
static int cmd_output_set(pw_cli *cli, cmd_output *o, int ch, const char *arg)
{
    int kind = ch == 'j' ? OUT_JSON : ch == 'c' ? OUT_CSV : ch == 'h' ? OUT_HTML : OUT_XLSX;
    const char *file = ch == 'j' ? NULL : arg;
    if (o->kind != OUT_TEXT)
        return pw_cli_usage(cli, "choose one of --json, --csv FILE, --html FILE%s",
                            kind == OUT_XLSX || o->kind == OUT_XLSX ? ", --xlsx FILE" : "");
    if (file && !file[0])
        return pw_cli_usage(cli, "the output file name is empty");
    o->kind = kind;
    o->file = file;
    return 0;
}

/* Write a rendered buffer; "-" = stdout.  Prints what was written to
 * stderr for files, so stdout stays clean. */
static int cmd_output_write(pw_cli *cli, const cmd_output *o, int render_rc, pw_strbuf *sb)
{
    if (render_rc != 0) {
        pw_strbuf_free(sb);
        return pw_cli_error(cli, PW_RESOURCE_EXHAUSTED, PW_EXIT_SERVER,
                            "out of memory while rendering");
    }
    char err[512];
    int rc = pw_render_write_file(o->file, sb->data ? sb->data : "", sb->len, err, sizeof err);
    size_t len = sb->len;
    pw_strbuf_free(sb);
    if (rc != 0) /* a path the user gave: like a bad local file */
        return pw_cli_error(cli, PW_INVALID_ARGUMENT, PW_EXIT_USAGE, "%s", err);
    if (strcmp(o->file, "-") != 0)
        fprintf(stderr, "%s: wrote %s (%zu bytes)\n", cli->prog, o->file, len);
    return PW_EXIT_OK;
}

/* Print a rendered JSON document on stdout (NULL: out of memory). */
static int cmd_output_json(pw_cli *cli, json_t *j)
{
    if (!j)
        return pw_cli_error(cli, PW_RESOURCE_EXHAUSTED, PW_EXIT_SERVER,
                            "out of memory while rendering");
    pw_cli_print_json(j);
    return PW_EXIT_OK;
}

static int cmd_period_check(pw_cli *cli, const char *period, unsigned kinds)
{
    pw_period p;
    char err[256];
    if (!period)
        return pw_cli_usage(cli, "--period is required");
    if (pw_period_parse_kinds(period, kinds, &p, err, sizeof err) != 0)
        return pw_cli_usage(cli, "--period: %s", err);
    return 0;
}

/* --version N: a published version, 1 or more */
static int cmd_version_arg(pw_cli *cli, const char *arg, int32_t *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || v < 1 || v > 100000)
        return pw_cli_usage(cli,
                            "--version wants a published version number (1, 2, ...), not "
                            "'%s'",
                            arg);
    *out = (int32_t)v;
    return 0;
}

/* Print or write the bulletin as asked (--json, --csv, --html, --xlsx, the
 * terminal's text). */
static int dispatch_output(pw_cli *cli, const cmd_output *out,
                           const Planwatch__V1__DispatchSummary *s)
{
    int rc = 0;
    pw_strbuf sb = PW_STRBUF_INIT;
    switch (out->kind) {
    case OUT_JSON:
        rc = cmd_output_json(cli, pw_render_dispatch_json(s));
        break;
    case OUT_CSV:
        rc = cmd_output_write(cli, out, pw_render_dispatch_csv(s, &sb), &sb);
        break;
    case OUT_HTML:
        rc = cmd_output_write(cli, out, pw_render_dispatch_html(s, &sb), &sb);
        break;
    case OUT_XLSX: {
        char err[512];
        if (pw_render_dispatch_xlsx(s, out->file, err, sizeof err) != 0)
            rc = pw_cli_error(cli, PW_INVALID_ARGUMENT, PW_EXIT_USAGE, "%s", err);
        else
            fprintf(stderr, "%s: wrote %s\n", cli->prog, out->file);
        break;
    }
    default:
        pw_render_dispatch_text(s, stdout);
        break;
    }
    return rc;
}

int pw_cmd_dispatch(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"period", required_argument, NULL, 'p'},
                                         {"plan", required_argument, NULL, 'L'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"csv", required_argument, NULL, 'c'},
                                         {"html", required_argument, NULL, 'h'},
                                         {"xlsx", required_argument, NULL, 'x'},
                                         {"version", required_argument, NULL, 'v'},
                                         {"page-size", required_argument, NULL, 'U'},
                                         {"page-token", required_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    Planwatch__V1__DispatchRequest req = PLANWATCH__V1__DISPATCH_REQUEST__INIT;
    cmd_output out = {OUT_TEXT, NULL};
    const char *period = NULL;
    int ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'p':
            period = optarg;
            break;
        case 'L':
            req.plan = optarg;
            break;
        case 'j':
        case 'c':
        case 'h':
            if ((rc = cmd_output_set(cli, &out, ch, optarg)))
                return rc;
            break;
        case 'x':
            if ((rc = cmd_output_set(cli, &out, OUT_XLSX, optarg)))
                return rc;
            break;
        case 'v':
            if ((rc = cmd_version_arg(cli, optarg, &req.version)))
                return rc;
            break;
        case 'U': { /* -1: without the appendix; N: a page of N units */
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < -1 || v > 1000000)
                return pw_cli_usage(cli,
                                    "--page-size wants -1 (no appendix) or a number of units, "
                                    "not '%s'",
                                    optarg);
            req.page_size = (int32_t)v;
            break;
        }
        case 'F':
            req.page_token = optarg;
            break;
        default:
            return pw_cli_usage(
                cli, "usage: dispatch --period YYYY-MM|YYYY-Qn [--plan ID] [--version N] "
                     "[--page-size -1|N [--page-token T]] "
                     "[--json | --csv FILE | --html FILE | --xlsx FILE]");
        }
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    if ((rc = cmd_period_check(cli, period, PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER)))
        return rc;
    if (out.kind == OUT_XLSX && strcmp(out.file, "-") == 0)
        return pw_cli_usage(cli, "--xlsx needs a file name (a workbook is not text)");
    req.period = (char *)period;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.DispatchService/Get", &req.base,
                     &planwatch__v1__dispatch_summary__descriptor, &resp);
    if (rc)
        return rc;
    rc = dispatch_output(cli, &out, (const Planwatch__V1__DispatchSummary *)resp);
    protobuf_c_message_free_unpacked(resp, NULL);
    return rc;
}

/* Print or write the scores as asked (--json, --csv, --html, --xlsx, the
 * text table or one unit's explanation). */
static int cmd_scores_output(pw_cli *cli, const cmd_output *out,
                             const Planwatch__V1__ScoresResponse *r, const char *explain_unit,
                             const char *period)
{
    int rc = PW_EXIT_OK;
    pw_strbuf sb = PW_STRBUF_INIT;
    char err[512];
    switch (out->kind) {
    case OUT_JSON:
        rc = cmd_output_json(cli, pw_render_scores_json(r));
        break;
    case OUT_CSV:
        rc = cmd_output_write(cli, out, pw_render_scores_csv(r, &sb), &sb);
        break;
    case OUT_HTML:
        rc = cmd_output_write(cli, out, pw_render_scores_html(r, &sb), &sb);
        break;
    case OUT_XLSX:
        if (pw_render_scores_xlsx(r, out->file, err, sizeof err) != 0)
            rc = pw_cli_error(cli, PW_INVALID_ARGUMENT, PW_EXIT_USAGE, "%s", err);
        else
            fprintf(stderr, "%s: wrote %s\n", cli->prog, out->file);
        break;
    default:
        if (explain_unit[0]) {
            if (pw_render_scores_explain(r, explain_unit, stdout) != 0)
                rc = pw_cli_error(cli, PW_NOT_FOUND, PW_EXIT_SERVER,
                                  "unit '%s' is not in the rankings of %s", explain_unit, period);
        } else {
            pw_render_scores_text(r, stdout);
        }
        break;
    }
    return rc;
}

int pw_cmd_scores(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},   {"plan", required_argument, NULL, 'L'},
        {"category", required_argument, NULL, 'C'}, {"explain", required_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},           {"csv", required_argument, NULL, 'c'},
        {"html", required_argument, NULL, 'h'},     {"xlsx", required_argument, NULL, 'x'},
        {"version", required_argument, NULL, 'v'},  {NULL, 0, NULL, 0}};
    Planwatch__V1__ScoresRequest req = PLANWATCH__V1__SCORES_REQUEST__INIT;
    cmd_output out = {OUT_TEXT, NULL};
    const char *period = NULL;
    int ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'p':
            period = optarg;
            break;
        case 'L':
            req.plan = optarg;
            break;
        case 'C':
            if (strcmp(optarg, "county") != 0 && strcmp(optarg, "department") != 0)
                return pw_cli_usage(cli, "--category must be county or department, not '%s'",
                                    optarg);
            req.category = optarg;
            break;
        case 'e':
            if (!optarg[0])
                return pw_cli_usage(cli, "--explain needs a unit id");
            req.explain_unit = optarg;
            break;
        case 'j':
        case 'c':
        case 'h':
        case 'x':
            if ((rc = cmd_output_set(cli, &out, ch, optarg)))
                return rc;
            break;
        case 'v':
            if ((rc = cmd_version_arg(cli, optarg, &req.version)))
                return rc;
            break;
        default:
            return pw_cli_usage(cli, "usage: scores --period YYYY-MM|YYYY-Qn|YYYY [--plan ID] "
                                     "[--category C] [--explain UNIT] [--version N] "
                                     "[--json | --csv FILE | --html FILE | --xlsx FILE]");
        }
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    if ((rc = cmd_period_check(
             cli, period, PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_YEAR)))
        return rc;
    if (out.kind == OUT_XLSX && strcmp(out.file, "-") == 0)
        return pw_cli_usage(cli, "--xlsx needs a file name (a workbook is not text)");
    req.period = (char *)period;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.ScoreService/Get", &req.base,
                     &planwatch__v1__scores_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__ScoresResponse *r = (const Planwatch__V1__ScoresResponse *)resp;
    rc = cmd_scores_output(cli, &out, r, req.explain_unit, period);
    protobuf_c_message_free_unpacked(resp, NULL);
    return rc;
}

/* planwatch scores flag --period P --unit ID --commend|--criticise|--none
 * --reason TEXT */
int pw_cmd_scores_flag(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'}, {"plan", required_argument, NULL, 'L'},
        {"unit", required_argument, NULL, 'u'},   {"commend", no_argument, NULL, 'c'},
        {"criticise", no_argument, NULL, 'k'},    {"none", no_argument, NULL, 'n'},
        {"reason", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    Planwatch__V1__ScoreFlagRequest req = PLANWATCH__V1__SCORE_FLAG_REQUEST__INIT;
    const char *period = NULL, *flag = NULL;
    static const char usage[] = "usage: scores flag --period P --unit ID "
                                "--commend|--criticise|--none --reason TEXT";
    int ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'p':
            period = optarg;
            break;
        case 'L':
            req.plan = optarg;
            break;
        case 'u':
            req.unit = optarg;
            break;
        case 'c':
        case 'k':
        case 'n':
            if (flag)
                return pw_cli_usage(cli, "give one of --commend, --criticise, --none");
            flag = ch == 'c' ? "commend" : ch == 'k' ? "criticise" : "none";
            break;
        case 'r':
            req.reason = optarg;
            break;
        default:
            return pw_cli_usage(cli, usage);
        }
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    if ((rc = cmd_period_check(
             cli, period, PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER | PW_PERIOD_ALLOW_YEAR)))
        return rc;
    if (!req.unit[0])
        return pw_cli_usage(cli, "--unit is required; %s", usage);
    if (!flag)
        return pw_cli_usage(cli, "one of --commend, --criticise, --none is required");
    if (!req.reason[0])
        return pw_cli_usage(cli, "--reason is required: the office's decision is on the record");
    req.period = (char *)period;
    req.flag = (char *)flag;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.ScoreService/Flag", &req.base,
                     &planwatch__v1__score_flag_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__ScoreFlagResponse *f = (const Planwatch__V1__ScoreFlagResponse *)resp;
    printf("flag of %s for %s: %s by the office's decision%s%s (%s)\n", f->unit, f->period,
           strcmp(f->flag, "none") == 0 ? "no flag" : f->flag, f->previous[0] ? ", was " : "",
           f->previous, f->reason);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* planwatch publish dispatch|scores: argv[0] is the kind (the verb's last
 * word). */
int pw_cmd_publish(pw_cli *cli, int argc, char **argv)
{
    Planwatch__V1__PublishRequest req = PLANWATCH__V1__PUBLISH_REQUEST__INIT;
    const char *kind = argv[0];
    char *period = NULL;
    const pw_cli_opt opts[] = {
        {"period", &period}, {"plan", &req.plan}, {"reason", &req.reason}, {NULL, NULL}};
    int rc = pw_cli_parse_opts(cli, argc, argv, opts,
                               "usage: publish dispatch|scores --period P [--plan ID] "
                               "[--reason TEXT]");
    if (rc)
        return rc;
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    int scores = strcmp(kind, "scores") == 0;
    if ((rc = cmd_period_check(cli, period,
                               scores ? PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER |
                                            PW_PERIOD_ALLOW_YEAR
                                      : PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER)))
        return rc;
    req.kind = scores ? "scores" : "dispatch";
    req.period = period;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.PublishService/Publish", &req.base,
                     &planwatch__v1__publish_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__PublishResponse *p = (const Planwatch__V1__PublishResponse *)resp;
    char at[PW_TIME_BUFSIZE];
    const char *when = pw_fmt_time(p->published_at, at, sizeof at);
    char ver[32] = "";
    if (p->version > 0)
        snprintf(ver, sizeof ver, ", version %d", p->version);
    printf("%s the %s of %s at %s by %s%s%s%s\n",
           p->unchanged ? "unchanged: already published" : "published",
           strcmp(p->kind, "scores") == 0 ? "scores" : "dispatch summary", p->period,
           when ? when : "-", p->published_by, ver, p->reason[0] ? " (更正 correction): " : "",
           p->reason);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}
