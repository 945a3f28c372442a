/*
 * cmd_report.c - planwatch report template|submit|show|history|status|
 * accept|return, period lock|unlock, halfyear submit, audit.
 *
 * The report file is the one `report template` writes (SPEC 4.3), as CSV
 * (指标编号,指标名称,计量单位,目标,本月值,说明) or as an XLSX workbook
 * (common/render/render_template.c), or what Excel/WPS saved from it:
 * common/report_file.c recognises and reads it.  A row with an empty value is
 * not sent.  The client only reads the file and sends the values as typed,
 * with where each one is ("line 7", "cell F12"); the server normalises and
 * validates every value (common/report_value.c) and names the indicator and
 * that place in each problem.  An unreadable file is exit code 2.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/commands.h"
#include "common/render/render_format.h"
#include "common/render/render_report.h"
#include "common/render/render_template.h"
#include "common/render/table.h"
#include "common/csv.h"
#include "common/period.h"
#include "common/report_file.h"
#include "common/strbuf.h"
#include "planwatch/v1/report.pb-c.h"

/* Monthly plans report months; quarterly plans quarters (YYYY-Qn or the
 * quarter's last month).  The server decides which the plan takes. */
#define REPORT_PERIOD_KINDS (PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER)
#define REPORT_PERIOD_FORMS "YYYY-MM (YYYY-Qn for a quarterly plan)"

/* Free text from the server on the terminal: controls other than TAB and
 * LF dropped, bad UTF-8 replaced (pw_utf8_clean), never raw escapes. */
static void report_print_text(const char *label, const char *text)
{
    char *clean = pw_utf8_clean(text, 0);
    printf("%s: %s\n", label, clean);
    free(clean);
}

/* Shared options of the report verbs. */
typedef struct report_opts {
    const char *plan, *period, *unit, *out, *id, *progress, *problems, *next, *reason;
    const char *since, *until;
    long long limit, page_size;
    int json;
} report_opts;

enum {
    OPT_PLAN = 1000,
    OPT_PERIOD,
    OPT_UNIT,
    OPT_OUT,
    OPT_ID,
    OPT_PROGRESS,
    OPT_PROBLEMS,
    OPT_NEXT,
    OPT_REASON,
    OPT_JSON,
    OPT_SINCE,
    OPT_LIMIT,
    OPT_PAGE_SIZE,
    OPT_UNTIL
};

static const struct option report_longopts[] = {
    {"plan", required_argument, NULL, OPT_PLAN},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"unit", required_argument, NULL, OPT_UNIT},
    {"out", required_argument, NULL, OPT_OUT},
    {"id", required_argument, NULL, OPT_ID},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"problems", required_argument, NULL, OPT_PROBLEMS},
    {"next", required_argument, NULL, OPT_NEXT},
    {"reason", required_argument, NULL, OPT_REASON},
    {"json", no_argument, NULL, OPT_JSON},
    {"since", required_argument, NULL, OPT_SINCE},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"page-size", required_argument, NULL, OPT_PAGE_SIZE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {NULL, 0, NULL, 0}};

/* Parse options; `allowed` lists the OPT_* a verb takes (0-terminated). */
static int report_parse(pw_cli *cli, int argc, char **argv, const int *allowed, report_opts *o)
{
    memset(o, 0, sizeof *o);
    o->plan = o->unit = o->progress = o->problems = o->next = o->reason = "";
    int ch;
    while ((ch = pw_cli_getopt(argc, argv, "", report_longopts)) != -1) {
        int ok = 0;
        for (const int *a = allowed; *a; a++)
            ok |= *a == ch;
        if (!ok)
            return pw_cli_usage(cli, "unexpected option %s; see %s %s --help", argv[optind - 1],
                                cli->prog, argv[0]);
        switch (ch) {
        case OPT_PLAN:
            o->plan = optarg;
            break;
        case OPT_PERIOD:
            o->period = optarg;
            break;
        case OPT_UNIT:
            o->unit = optarg;
            break;
        case OPT_OUT:
            o->out = optarg;
            break;
        case OPT_ID:
            o->id = optarg;
            break;
        case OPT_PROGRESS:
            o->progress = optarg;
            break;
        case OPT_PROBLEMS:
            o->problems = optarg;
            break;
        case OPT_NEXT:
            o->next = optarg;
            break;
        case OPT_REASON:
            o->reason = optarg;
            break;
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_SINCE:
            o->since = optarg;
            break;
        case OPT_UNTIL:
            o->until = optarg;
            break;
        case OPT_LIMIT: {
            int rc = pw_cli_parse_int(cli, "--limit", optarg, 1, 10000, &o->limit);
            if (rc)
                return rc;
            break;
        }
        case OPT_PAGE_SIZE: {
            int rc = pw_cli_parse_int(cli, "--page-size", optarg, 1, 100, &o->page_size);
            if (rc)
                return rc;
            break;
        }
        }
    }
    return 0;
}

static int report_need_period(pw_cli *cli, const report_opts *o, unsigned kinds, const char *what)
{
    pw_period p;
    char err[200];
    if (!o->period)
        return pw_cli_usage(cli, "--period %s is required", what);
    if (pw_period_parse_kinds(o->period, kinds, &p, err, sizeof err) != 0)
        return pw_cli_usage(cli, "--period: %s", err);
    return 0;
}

static void report_print_receipt(const Planwatch__V1__Receipt *r, const char *sid)
{
    char t1[40], t2[40];
    if (r->duplicate)
        printf("already received (submission id %s): nothing new stored\n", sid);
    printf("report %lld version %d of %s for %s, received %s\n", (long long)r->report_id,
           r->version, r->unit, r->period,
           pw_fmt_time(r->received_at ? r->received_at : r->first_received_at, t1, sizeof t1));
    if (strcmp(r->status, "late") == 0)
        printf("late: %d day%s after the deadline %s\n", r->days_late, r->days_late == 1 ? "" : "s",
               pw_fmt_time(r->deadline, t2, sizeof t2));
    else
        printf("on time (deadline %s)\n", pw_fmt_time(r->deadline, t2, sizeof t2));
    printf("submission id: %s\n", sid);
    /* one item per line; on a terminal folded under its text, not at column 0
     * in the middle of a word */
    for (size_t i = 0; i < r->n_normalised + r->n_warnings; i++) {
        int warn = i >= r->n_normalised;
        const Planwatch__V1__FieldViolation *v =
            warn ? r->warnings[i - r->n_normalised] : r->normalised[i];
        char *line = NULL;
        if (asprintf(&line, "%s: %s: %s", warn ? "warning" : "normalised", v->field,
                     v->description) < 0)
            continue;
        char *clean = pw_utf8_clean(line, 0);
        fflush(stdout);
        pw_text_print_folded(stdout, clean, 2);
        free(clean);
        free(line);
    }
}

/* The submission id: --id, else a new random one (resending the same id
 * stores the report once). */
static void report_submission_id(const report_opts *o, char *buf, size_t len)
{
    if (o->id) {
        snprintf(buf, len, "%s", o->id);
        return;
    }
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(buf, len, raw, sizeof raw);
}

/* ---- template ---------------------------------------------------------------- */

int pw_cmd_report_template(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_PLAN, OPT_PERIOD, OPT_UNIT, OPT_OUT, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc || (rc = report_need_period(cli, &o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    ProtobufCMessage *resp = NULL;
    if ((rc = pw_cli_call(cli, "/planwatch.v1.ReportService/Template", &req.base,
                          &planwatch__v1__template_response__descriptor, &resp)))
        return rc;
    const Planwatch__V1__TemplateResponse *t = (const Planwatch__V1__TemplateResponse *)resp;
    char err[512] = "";
    int failed;
    size_t olen = o.out ? strlen(o.out) : 0;
    if (olen > 5 && strcasecmp(o.out + olen - 5, ".xlsx") == 0) {
        failed = pw_render_template_xlsx(t, o.out, err, sizeof err);
    } else {
        pw_strbuf sb;
        pw_strbuf_init(&sb);
        failed = pw_render_template_csv(t, &sb);
        if (!failed && o.out)
            failed = pw_render_write_file(o.out, pw_strbuf_cstr(&sb), sb.len, err, sizeof err);
        else if (!failed)
            fwrite(pw_strbuf_cstr(&sb), 1, sb.len, stdout);
        pw_strbuf_free(&sb);
    }
    if (!failed && o.out) {
        char dl[40], *line = NULL;
        /* 93 columns: folded at a space on an 80-column terminal */
        if (asprintf(&line, "%s: template of %s %s for %s (%zu indicators, due %s) written to %s",
                     cli->prog, t->unit, t->unit_name, t->period, t->n_rows,
                     pw_fmt_time(t->deadline, dl, sizeof dl), o.out) >= 0) {
            char *clean = pw_utf8_clean(line, 0);
            pw_text_print_folded(stderr, clean, 2);
            free(clean);
            free(line);
        }
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    if (failed)
        return pw_cli_usage(cli, "cannot write the template: %s", err[0] ? err : "out of memory");
    return PW_EXIT_OK;
}

/* ---- submit -------------------------------------------------------------------- */

/* Narrative from a second file: sections headed "# progress", "# problems",
 * "# next" (or 进展 / 问题 / 下步); text before any heading is progress. */
static void report_split_narrative(char *text, char **progress, char **problems, char **next)
{
    char **cur = progress;
    *progress = *problems = *next = NULL;
    char *save = NULL;
    pw_strbuf parts[3];
    for (int i = 0; i < 3; i++)
        pw_strbuf_init(&parts[i]);
    int which = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[ll - 1] = '\0'; /* CRLF files: the server refuses CR */
        if (line[0] == '#') {
            const char *h = line + strspn(line, "# ");
            if (strncmp(h, "progress", 8) == 0 || strncmp(h, "进展", 6) == 0) {
                which = 0;
                continue;
            }
            if (strncmp(h, "problems", 8) == 0 || strncmp(h, "问题", 6) == 0) {
                which = 1;
                continue;
            }
            if (strncmp(h, "next", 4) == 0 || strncmp(h, "下步", 6) == 0) {
                which = 2;
                continue;
            }
        }
        if (parts[which].len)
            pw_strbuf_append_char(&parts[which], '\n');
        pw_strbuf_append_str(&parts[which], line);
    }
    (void)cur;
    *progress = pw_strbuf_detach(&parts[0], NULL);
    *problems = pw_strbuf_detach(&parts[1], NULL);
    *next = pw_strbuf_detach(&parts[2], NULL);
}

/* The first n rows of f as ReportValue messages: the pointer array, and
 * the messages in *vals; both are the caller's to free. */
static Planwatch__V1__ReportValue **report_file_values(const pw_report_file *f, size_t n,
                                                       Planwatch__V1__ReportValue **vals)
{
    Planwatch__V1__ReportValue *v = calloc(n ? n : 1, sizeof *v);
    Planwatch__V1__ReportValue **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    for (size_t i = 0; i < n; i++) {
        planwatch__v1__report_value__init(&v[i]);
        v[i].indicator = f->rows[i].indicator;
        v[i].value = f->rows[i].value;
        v[i].note = f->rows[i].note;
        v[i].origin = f->rows[i].where;
        ptrs[i] = &v[i];
    }
    *vals = v;
    return ptrs;
}

int pw_cmd_report_submit(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_PLAN,     OPT_PERIOD,   OPT_UNIT, OPT_ID,
                                  OPT_PROGRESS, OPT_PROBLEMS, OPT_NEXT, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc || (rc = report_need_period(cli, &o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    if (optind >= argc || argc - optind > 2)
        return pw_cli_usage(cli, "report submit needs FILE (.xlsx or .csv) [NARRATIVE.md]");
    const char *path = argv[optind];
    char err[512] = "";
    size_t len;
    char *buf = pw_cli_read_file_max(path, PW_REPORT_MAX_FILE_BYTES, &len, err, sizeof err);
    if (!buf)
        return pw_cli_usage(cli, "%s%s", err,
                            strstr(err, "larger than") ? " (a monthly report file is a few "
                                                         "hundred KB: is it the right file?)"
                                                       : "");
    char *n_progress = NULL, *n_problems = NULL, *n_next = NULL, *narr = NULL;
    if (argc - optind == 2) {
        size_t nl;
        /* the server takes at most 1 MiB per text (max-text-bytes): a larger
         * narrative could only make a request the server drops */
        narr = pw_cli_read_file_max(argv[optind + 1], (size_t)4 << 20, &nl, err, sizeof err);
        if (!narr) {
            free(buf);
            return pw_cli_usage(cli, "%s", err);
        }
        report_split_narrative(narr, &n_progress, &n_problems, &n_next);
    }
    pw_report_file f;
    int bad = pw_report_file_read(buf, len, &f, err, sizeof err) != 0;
    free(buf);
    size_t n = bad ? 0 : f.nrows;
    Planwatch__V1__ReportValue *vals;
    Planwatch__V1__ReportValue **ptrs = report_file_values(&f, n, &vals);
    if (!bad)
        fprintf(stderr, "%s: %s read as %s: %zu value%s\n", cli->prog, path,
                pw_report_format_name(f.format), n, n == 1 ? "" : "s");
    char sid[80];
    report_submission_id(&o, sid, sizeof sid);
    Planwatch__V1__SubmitReportRequest req = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    req.submission_id = sid;
    req.values = ptrs;
    req.n_values = n;
    req.progress = (char *)(o.progress[0] || !n_progress ? o.progress : n_progress);
    req.problems = (char *)(o.problems[0] || !n_problems ? o.problems : n_problems);
    req.next_steps = (char *)(o.next[0] || !n_next ? o.next : n_next);
    ProtobufCMessage *resp = NULL;
    if (bad)
        rc = pw_cli_usage(cli, "%s: %s", path, err);
    else
        rc = pw_cli_call(cli, "/planwatch.v1.ReportService/Submit", &req.base,
                         &planwatch__v1__receipt__descriptor, &resp);
    if (!rc) {
        report_print_receipt((const Planwatch__V1__Receipt *)resp, sid);
        protobuf_c_message_free_unpacked(resp, NULL);
    } else if (!bad && rc == PW_EXIT_CONNECT) {
        fprintf(stderr, "%s: resend with --id %s: the server stores it once\n", cli->prog, sid);
    }
    if (!bad)
        pw_report_file_free(&f);
    free(vals);
    free(ptrs);
    free(narr);
    free(n_progress);
    free(n_problems);
    free(n_next);
    return rc;
}

/* ---- show / history --------------------------------------------------------------- */

static json_t *report_values_json(Planwatch__V1__ReportValue **v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "indicator",
                                             v[i]->indicator, "value", v[i]->value, "note",
                                             v[i]->note, "name", v[i]->name[0] ? v[i]->name : NULL,
                                             "uom", v[i]->uom[0] ? v[i]->uom : NULL));
    return arr;
}

static int report_request(pw_cli *cli, int argc, char **argv, const char *method,
                          const ProtobufCMessageDescriptor *desc, ProtobufCMessage **resp,
                          report_opts *o)
{
    static const int allowed[] = {OPT_PLAN, OPT_PERIOD, OPT_UNIT, OPT_JSON, 0};
    int rc = report_parse(cli, argc, argv, allowed, o);
    if (rc || (rc = report_need_period(cli, o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.plan = (char *)o->plan;
    req.period = (char *)o->period;
    req.unit = (char *)o->unit;
    return pw_cli_call(cli, method, &req.base, desc, resp);
}

int pw_cmd_report_show(pw_cli *cli, int argc, char **argv)
{
    report_opts o;
    ProtobufCMessage *resp = NULL;
    int rc = report_request(cli, argc, argv, "/planwatch.v1.ReportService/Show",
                            &planwatch__v1__report_shown__descriptor, &resp, &o);
    if (rc)
        return rc;
    const Planwatch__V1__ReportShown *s = (const Planwatch__V1__ReportShown *)resp;
    if (o.json) {
        json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s?, s:o, s:o, s:s, s:i, s:o}",
                              "report_id", (json_int_t)s->report_id, "unit", s->unit, "unit_name",
                              s->unit_name, "period", s->period, "version", s->version, "state",
                              s->state, "review_note", s->review_note[0] ? s->review_note : NULL,
                              "first_received_at", pw_json_time(s->first_received_at),
                              "received_at", pw_json_time(s->received_at), "status", s->status,
                              "days_late", s->days_late, "deadline", pw_json_time(s->deadline));
        json_object_set_new(j, "locked", json_boolean(s->locked));
        json_object_set_new(j, "submitted_by", json_string(s->submitted_by));
        json_object_set_new(j, "progress", json_string(s->progress));
        json_object_set_new(j, "problems", json_string(s->problems));
        json_object_set_new(j, "next_steps", json_string(s->next_steps));
        json_object_set_new(j, "values", report_values_json(s->values, s->n_values));
        pw_cli_print_json(j);
    } else {
        char t1[40], t2[40];
        printf("%s %s, %s: version %d by %s, %s\n", s->unit, s->unit_name, s->period, s->version,
               s->submitted_by, s->state);
        if (strcmp(s->state, "returned") == 0)
            report_print_text("returned by the office", s->review_note);
        printf("first received %s, %s", pw_fmt_time(s->first_received_at, t1, sizeof t1),
               strcmp(s->status, "late") == 0 ? "late" : "on time");
        if (s->days_late)
            printf(" (%d days)", s->days_late);
        /* its own line: together they were 81 columns, wrapped in an 80-column terminal */
        printf("\ndeadline %s%s\n", pw_fmt_time(s->deadline, t2, sizeof t2),
               s->locked ? "; period locked" : "");
        static const char *const hdr[] = {"INDICATOR", "NAME", "VALUE", "TARGET", "UOM", "NOTE"};
        pw_table *t = pw_table_new(6, hdr);
        for (size_t i = 0; i < s->n_values; i++) {
            char tg[40];
            const Planwatch__V1__ReportValue *v = s->values[i];
            pw_table_add(t, v->indicator, v->name, v->value, pw_fmt_num(v->target, tg, sizeof tg),
                         v->uom, v->note);
        }
        pw_table_print(t, stdout);
        pw_table_free(t);
        if (s->progress[0])
            report_print_text("progress", s->progress);
        if (s->problems[0])
            report_print_text("problems", s->problems);
        if (s->next_steps[0])
            report_print_text("next steps", s->next_steps);
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* The history comes in pages (each reply bounded by the server); the CLI
 * asks for the next page until there is none, printing as it goes. */
int pw_cmd_report_history(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_PLAN, OPT_PERIOD, OPT_UNIT, OPT_JSON, OPT_PAGE_SIZE, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc || (rc = report_need_period(cli, &o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    req.page_size = (int32_t)o.page_size;
    char token[32] = "";
    json_t *arr = o.json ? json_array() : NULL;
    char *unit = NULL, *period = NULL;
    for (;;) {
        req.page_token = token;
        ProtobufCMessage *resp = NULL;
        if ((rc = pw_cli_call(cli, "/planwatch.v1.ReportService/History", &req.base,
                              &planwatch__v1__history_response__descriptor, &resp))) {
            json_decref(arr);
            free(unit);
            free(period);
            return rc;
        }
        const Planwatch__V1__HistoryResponse *h = (const Planwatch__V1__HistoryResponse *)resp;
        if (!unit) {
            unit = strdup(h->unit);
            period = strdup(h->period);
        }
        for (size_t i = 0; i < h->n_versions; i++) {
            const Planwatch__V1__ReportVersion *v = h->versions[i];
            if (arr) {
                json_t *changes = json_array();
                for (size_t k = 0; k < v->n_changes; k++)
                    json_array_append_new(changes, json_string(v->changes[k]));
                json_array_append_new(
                    arr, json_pack("{s:i, s:s, s:s, s:o, s:o, s:o}", "version", v->version,
                                   "submission_id", v->submission_id, "user", v->user,
                                   "received_at", pw_json_time(v->received_at), "changes", changes,
                                   "values", report_values_json(v->values, v->n_values)));
            } else {
                char t[40];
                printf("version %d by %s at %s (submission %s)\n", v->version, v->user,
                       pw_fmt_time(v->received_at, t, sizeof t), v->submission_id);
                for (size_t k = 0; k < v->n_changes; k++)
                    printf("  %s\n", v->changes[k]);
            }
        }
        /* a token that does not move on would loop forever: stop */
        int more = h->next_page_token[0] && strlen(h->next_page_token) < sizeof token &&
                   strcmp(h->next_page_token, token) != 0 && h->n_versions > 0;
        if (more)
            snprintf(token, sizeof token, "%s", h->next_page_token);
        protobuf_c_message_free_unpacked(resp, NULL);
        if (!more)
            break;
    }
    if (arr)
        pw_cli_print_json(
            json_pack("{s:s, s:s, s:o}", "unit", unit, "period", period, "versions", arr));
    free(unit);
    free(period);
    return PW_EXIT_OK;
}

/* ---- status ------------------------------------------------------------------------ */

int pw_cmd_report_status(pw_cli *cli, int argc, char **argv)
{
    report_opts o;
    ProtobufCMessage *resp = NULL;
    int rc = report_request(cli, argc, argv, "/planwatch.v1.ReportService/Status",
                            &planwatch__v1__status_response__descriptor, &resp, &o);
    if (rc)
        return rc;
    const Planwatch__V1__StatusResponse *s = (const Planwatch__V1__StatusResponse *)resp;
    if (o.json) {
        pw_cli_print_json(pw_render_report_status_json(s));
    } else {
        char dl[40];
        char head[512];
        snprintf(head, sizeof head, "report status of %s (deadline %s%s%s)", s->period,
                 pw_fmt_time(s->deadline, dl, sizeof dl),
                 s->extended_to[0] ? ", extended 顺延: " : "", s->extension_reason);
        pw_table_print_line(head, stdout);
        for (size_t i = 0; i < s->n_units; i++)
            if (s->units[i]->extended_to[0] && strcmp(s->units[i]->extended_to, s->extended_to)) {
                snprintf(head, sizeof head, "  %s: deadline extended to %s: %s", s->units[i]->unit,
                         s->units[i]->extended_to, s->units[i]->extension_reason);
                pw_table_print_line(head, stdout);
            }
        static const char *const hdr[] = {"UNIT",   "NAME",     "CATEGORY",
                                          "STATUS", "RECEIVED", "REVIEW"};
        pw_table *t = pw_table_new(6, hdr);
        for (size_t i = 0; i < s->n_units; i++) {
            const Planwatch__V1__UnitTimeliness *u = s->units[i];
            char st[48], rx[40];
            if (strcmp(u->status, "late") == 0)
                snprintf(st, sizeof st, "late (%d day%s)", u->days_late,
                         u->days_late == 1 ? "" : "s");
            else /* the words of `dispatch`: "on time", "not due", "not expected" */
                snprintf(st, sizeof st, "%s", u->status);
            for (char *c = st; *c; c++)
                if (*c == '_')
                    *c = ' ';
            pw_table_add(t, u->unit, u->name, u->category, st,
                         u->received_at ? pw_fmt_time(u->received_at, rx, sizeof rx) : "-",
                         u->review_state[0] ? u->review_state : "-");
        }
        pw_table_print(t, stdout);
        pw_table_free(t);
        for (size_t i = 0; i < s->n_rates; i++) {
            const Planwatch__V1__CategoryRate *r = s->rates[i];
            char line[256];
            snprintf(line, sizeof line,
                     "%s: %d of %d reported (completeness %.0f%%), %d on time (timeliness %.0f%%)",
                     r->category, r->received, r->expected, r->completeness * 100, r->on_time,
                     r->timeliness * 100);
            pw_table_print_line(line, stdout);
        }
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- accept / return ----------------------------------------------------------------- */

static int report_review_cmd(pw_cli *cli, int argc, char **argv, const char *method,
                             int need_reason)
{
    static const int allowed[] = {OPT_PLAN, OPT_PERIOD, OPT_UNIT, OPT_REASON, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc || (rc = report_need_period(cli, &o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    if (!o.unit[0])
        return pw_cli_usage(cli, "--unit ID is required");
    if (need_reason && !o.reason[0])
        return pw_cli_usage(cli, "--reason TEXT is required: the unit needs to know what to fix");
    Planwatch__V1__ReviewRequest req = PLANWATCH__V1__REVIEW_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    req.reason = (char *)o.reason;
    ProtobufCMessage *resp = NULL;
    if ((rc = pw_cli_call(cli, method, &req.base, &planwatch__v1__report_shown__descriptor, &resp)))
        return rc;
    const Planwatch__V1__ReportShown *s = (const Planwatch__V1__ReportShown *)resp;
    printf("report of %s for %s (version %d) is now %s\n", s->unit, s->period, s->version,
           s->state);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_report_accept(pw_cli *cli, int argc, char **argv)
{
    return report_review_cmd(cli, argc, argv, "/planwatch.v1.ReportService/Accept", 0);
}

int pw_cmd_report_return(pw_cli *cli, int argc, char **argv)
{
    return report_review_cmd(cli, argc, argv, "/planwatch.v1.ReportService/ReturnForRevision", 1);
}

/* ---- period lock / unlock -------------------------------------------------------------- */

static int period_cmd(pw_cli *cli, int argc, char **argv, int lock)
{
    static const int allowed[] = {OPT_PLAN, OPT_UNIT, OPT_REASON, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc)
        return rc;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "period %s needs exactly one YYYY-MM", lock ? "lock" : "unlock");
    o.period = argv[optind];
    if ((rc = report_need_period(cli, &o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    if (!lock && !o.reason[0])
        return pw_cli_usage(cli, "period unlock needs --reason TEXT");
    Planwatch__V1__PeriodLockRequest req = PLANWATCH__V1__PERIOD_LOCK_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    req.reason = (char *)o.reason;
    ProtobufCMessage *resp = NULL;
    if ((rc = pw_cli_call(
             cli, lock ? "/planwatch.v1.PeriodService/Lock" : "/planwatch.v1.PeriodService/Unlock",
             &req.base, &planwatch__v1__period_lock_response__descriptor, &resp)))
        return rc;
    const Planwatch__V1__PeriodLockResponse *r = (const Planwatch__V1__PeriodLockResponse *)resp;
    printf("%s %s for %s\n", r->locked ? "locked" : "unlocked", r->period,
           r->unit[0] ? r->unit : "every unit");
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_period_lock(pw_cli *cli, int argc, char **argv)
{
    return period_cmd(cli, argc, argv, 1);
}

int pw_cmd_period_unlock(pw_cli *cli, int argc, char **argv)
{
    return period_cmd(cli, argc, argv, 0);
}

/* planwatch period deadline PERIOD --until YYYY-MM-DD [--unit U] --reason TEXT */
int pw_cmd_period_deadline(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_PLAN, OPT_UNIT, OPT_REASON, OPT_UNTIL, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc)
        return rc;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "period deadline needs exactly one period (YYYY-MM)");
    o.period = argv[optind];
    if ((rc = report_need_period(cli, &o, REPORT_PERIOD_KINDS, REPORT_PERIOD_FORMS)))
        return rc;
    int32_t day;
    if (!o.until || pw_date_parse(o.until, &day) != 0)
        return pw_cli_usage(cli, "--until YYYY-MM-DD is required (a real date)");
    if (!o.reason[0])
        return pw_cli_usage(cli, "--reason TEXT is required: why the deadline moves");
    Planwatch__V1__PeriodDeadlineRequest req = PLANWATCH__V1__PERIOD_DEADLINE_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    req.until = (char *)o.until;
    req.reason = (char *)o.reason;
    ProtobufCMessage *resp = NULL;
    if ((rc = pw_cli_call(cli, "/planwatch.v1.PeriodService/Deadline", &req.base,
                          &planwatch__v1__period_deadline_response__descriptor, &resp)))
        return rc;
    const Planwatch__V1__PeriodDeadlineResponse *r =
        (const Planwatch__V1__PeriodDeadlineResponse *)resp;
    char t1[40], t2[40];
    printf("deadline of %s for %s extended to %s (was %s): %s\n", r->period,
           r->unit[0] ? r->unit : "every unit", pw_fmt_time(r->until, t1, sizeof t1),
           pw_fmt_time(r->normal_deadline, t2, sizeof t2), r->reason);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- half-year reports -------------------------------------------------------------------- */

int pw_cmd_halfyear_submit(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_PLAN, OPT_PERIOD, OPT_UNIT, OPT_ID, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc || (rc = report_need_period(cli, &o, PW_PERIOD_ALLOW_HALF, "YYYY-H1|YYYY-H2")))
        return rc;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "halfyear submit needs exactly one FILE (text or markdown)");
    char err[512] = "";
    size_t len;
    char *body = pw_cli_read_file(argv[optind], &len, err, sizeof err);
    if (!body)
        return pw_cli_usage(cli, "%s", err);
    char sid[80];
    report_submission_id(&o, sid, sizeof sid);
    Planwatch__V1__HalfYearSubmitRequest req = PLANWATCH__V1__HALF_YEAR_SUBMIT_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    req.submission_id = sid;
    req.body = body;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.HalfYearService/Submit", &req.base,
                     &planwatch__v1__receipt__descriptor, &resp);
    free(body);
    if (rc)
        return rc;
    report_print_receipt((const Planwatch__V1__Receipt *)resp, sid);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_halfyear_history(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_PLAN, OPT_PERIOD, OPT_UNIT, OPT_JSON, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc || (rc = report_need_period(cli, &o, PW_PERIOD_ALLOW_HALF, "YYYY-H1|YYYY-H2")))
        return rc;
    Planwatch__V1__ReportRequest req = PLANWATCH__V1__REPORT_REQUEST__INIT;
    req.plan = (char *)o.plan;
    req.period = (char *)o.period;
    req.unit = (char *)o.unit;
    ProtobufCMessage *resp = NULL;
    if ((rc = pw_cli_call(cli, "/planwatch.v1.HalfYearService/History", &req.base,
                          &planwatch__v1__half_year_history_response__descriptor, &resp)))
        return rc;
    const Planwatch__V1__HalfYearHistoryResponse *h =
        (const Planwatch__V1__HalfYearHistoryResponse *)resp;
    if (o.json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < h->n_versions; i++) {
            const Planwatch__V1__HalfYearVersion *v = h->versions[i];
            json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:o, s:i, s:s, s:b}", "version",
                                                 v->version, "submission_id", v->submission_id,
                                                 "user", v->user, "received_at",
                                                 pw_json_time(v->received_at), "bytes", v->bytes,
                                                 "body", v->body, "body_omitted", v->body_omitted));
        }
        pw_cli_print_json(json_pack("{s:s, s:s, s:s, s:i, s:o, s:o}", "unit", h->unit, "period",
                                    h->period, "status", h->status, "days_late", h->days_late,
                                    "deadline", pw_json_time(h->deadline), "versions", arr));
    } else {
        char t[40];
        printf("%s %s: %s", h->unit, h->period,
               strcmp(h->status, "late") == 0 ? "late" : "on time");
        if (h->days_late)
            printf(" (%d days)", h->days_late);
        printf(", deadline %s\n", pw_fmt_time(h->deadline, t, sizeof t));
        for (size_t i = 0; i < h->n_versions; i++)
            printf("version %d by %s at %s, %d bytes (submission %s)\n", h->versions[i]->version,
                   h->versions[i]->user, pw_fmt_time(h->versions[i]->received_at, t, sizeof t),
                   h->versions[i]->bytes, h->versions[i]->submission_id);
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- audit --------------------------------------------------------------------------------- */

static json_t *audit_row_json(const void *row)
{
    const Planwatch__V1__AuditEntry *e = row;
    return json_pack("{s:I, s:o, s:s, s:s?, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at",
                     pw_json_time(e->at), "user", e->user, "unit", e->unit[0] ? e->unit : NULL,
                     "method", e->method, "object", e->object, "summary", e->summary);
}

static void audit_row_add(pw_table *t, const void *row)
{
    const Planwatch__V1__AuditEntry *e = row;
    char at[40];
    const char *m = strrchr(e->method, '.');
    pw_table_add(t, pw_fmt_time(e->at, at, sizeof at), e->user, m ? m + 1 : e->method, e->object,
                 e->summary);
}

int pw_cmd_audit(pw_cli *cli, int argc, char **argv)
{
    static const int allowed[] = {OPT_SINCE, OPT_LIMIT, OPT_JSON, 0};
    report_opts o;
    int rc = report_parse(cli, argc, argv, allowed, &o);
    if (rc)
        return rc;
    Planwatch__V1__AuditRequest req = PLANWATCH__V1__AUDIT_REQUEST__INIT;
    if (o.since) {
        char err[200];
        if (pw_time_parse_iso8601_err(o.since, &req.since, err, sizeof err) != 0)
            return pw_cli_usage(cli, "--since: %s", err);
    }
    req.limit = (int32_t)o.limit;
    ProtobufCMessage *resp = NULL;
    if ((rc = pw_cli_call(cli, "/planwatch.v1.AuditService/List", &req.base,
                          &planwatch__v1__audit_response__descriptor, &resp)))
        return rc;
    const Planwatch__V1__AuditResponse *r = (const Planwatch__V1__AuditResponse *)resp;
    static const char *const hdr[] = {"AT", "USER", "METHOD", "OBJECT", "SUMMARY"};
    static const pw_cli_list list = {"entries", audit_row_json, 5, hdr, audit_row_add};
    pw_cli_print_list(&list, o.json, (void *const *)r->entries, r->n_entries);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}
