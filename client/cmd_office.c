/*
 * cmd_office.c - planwatch finding add|list|remove, supervise
 * open|answer|close|list.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/commands.h"
#include "common/render/render_format.h"
#include "common/render/table.h"
#include "planwatch/v1/office.pb-c.h"

/* ---- findings ----------------------------------------------------------- */

static json_t *finding_json(const void *row)
{
    const Planwatch__V1__Finding *f = row;
    char at[40];
    pw_fmt_use_tz(f->has_tz_offset_min, f->tz_offset_min);
    json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:s}", "id", (json_int_t)f->id, "unit", f->unit,
                          "unit_name", f->unit_name, "year", f->year, "kind", f->kind);
    json_object_set_new(o, "item", f->item ? json_integer(f->item) : json_null());
    json_object_set_new(o, "points", f->has_points ? json_real(f->points) : json_null());
    json_object_set_new(o, "count", f->count ? json_integer(f->count) : json_null());
    json_object_set_new(o, "amount", f->has_amount ? json_real(f->amount) : json_null());
    json_object_set_new(o, "note", json_string(f->note));
    json_object_set_new(o, "created_by", json_string(f->created_by));
    json_object_set_new(o, "created_at", json_string(pw_cli_time(f->created_at, at, sizeof at)));
    json_object_set_new(o, "removed", json_boolean(f->removed));
    if (f->removed)
        json_object_set_new(o, "removed_note", json_string(f->removed_note));
    return o;
}

static const char *finding_what(const Planwatch__V1__Finding *f, char *buf, size_t len)
{
    if (strcmp(f->kind, "item") == 0) {
        if (f->has_points)
            snprintf(buf, len, "item %d: %g points", f->item, f->points);
        else if (f->has_amount)
            snprintf(buf, len, "item %d: amount %g", f->item, f->amount);
        else
            snprintf(buf, len, "item %d: %lld events", f->item, (long long)f->count);
    } else if (strcmp(f->kind, "falsification") == 0) {
        snprintf(buf, len, "falsification x%lld (-%lld)", (long long)f->count,
                 (long long)f->count * 10);
    } else {
        snprintf(buf, len, "%s %g", f->kind, f->points);
    }
    return buf;
}

/* One option of finding add into *f (*kinds counts the kinds given).
 * 0, or the exit code of a bad option. */
static int finding_add_option(pw_cli *cli, int ch, Planwatch__V1__Finding *f, int *kinds)
{
    long long v;
    int rc;
    switch (ch) {
    case 'u':
        f->unit = optarg;
        break;
    case 'y':
        if ((rc = pw_cli_parse_int(cli, "--year", optarg, 2000, 2100, &v)))
            return rc;
        f->year = (int32_t)v;
        break;
    case 'n':
        f->note = optarg;
        break;
    case 'L':
        f->plan = optarg;
        break;
    case 'i':
        if ((rc = pw_cli_parse_int(cli, "--item", optarg, 1, 1000, &v)))
            return rc;
        f->item = (int32_t)v;
        f->kind = "item";
        (*kinds)++;
        break;
    case 'p':
        if ((rc = pw_cli_parse_double(cli, "--points", optarg, -1e9, 1e9, &f->points)))
            return rc;
        f->has_points = 1;
        break;
    case 'c':
        if ((rc = pw_cli_parse_int(cli, "--count", optarg, 1, 1000, &v)))
            return rc;
        f->count = v;
        break;
    case 'a':
        if ((rc = pw_cli_parse_double(cli, "--amount", optarg, 0, 1e12, &f->amount)))
            return rc;
        f->has_amount = 1;
        break;
    case 'f':
        f->kind = "falsification";
        (*kinds)++;
        break;
    case 'b':
    case 'P':
        if ((rc = pw_cli_parse_double(cli, ch == 'b' ? "--bonus" : "--penalty", optarg, -1e9, 1e9,
                                      &f->points)))
            return rc;
        f->has_points = 1;
        f->kind = ch == 'b' ? "bonus" : "penalty";
        (*kinds)++;
        break;
    default:
        return pw_cli_usage(cli, "see %s finding add --help", cli->prog);
    }
    return 0;
}

int pw_cmd_finding_add(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"unit", required_argument, NULL, 'u'},   {"year", required_argument, NULL, 'y'},
        {"note", required_argument, NULL, 'n'},   {"item", required_argument, NULL, 'i'},
        {"points", required_argument, NULL, 'p'}, {"count", required_argument, NULL, 'c'},
        {"amount", required_argument, NULL, 'a'}, {"falsification", no_argument, NULL, 'f'},
        {"bonus", required_argument, NULL, 'b'},  {"penalty", required_argument, NULL, 'P'},
        {"plan", required_argument, NULL, 'L'},   {NULL, 0, NULL, 0}};
    Planwatch__V1__Finding f = PLANWATCH__V1__FINDING__INIT;
    int kinds = 0, ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if ((rc = finding_add_option(cli, ch, &f, &kinds)))
            return rc;
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    if (!f.unit[0] || !f.year)
        return pw_cli_usage(cli, "finding add needs --unit ID and --year YYYY");
    if (!f.note[0])
        return pw_cli_usage(cli, "finding add needs --note TEXT (say what was found)");
    if (kinds != 1)
        return pw_cli_usage(cli, "finding add needs exactly one of --item N, --falsification, "
                                 "--bonus X, --penalty X");
    Planwatch__V1__AddFindingRequest req = PLANWATCH__V1__ADD_FINDING_REQUEST__INIT;
    req.finding = &f;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.FindingService/Add", &req.base,
                     &planwatch__v1__finding__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__Finding *out = (const Planwatch__V1__Finding *)resp;
    char what[128];
    printf("finding %lld added: %s %d, %s\n", (long long)out->id, out->unit, out->year,
           finding_what(out, what, sizeof what));
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

static void finding_row_add(pw_table *t, const void *row)
{
    const Planwatch__V1__Finding *f = row;
    char id[24], year[8], what[128];
    snprintf(id, sizeof id, "%lld%s", (long long)f->id, f->removed ? " (removed)" : "");
    snprintf(year, sizeof year, "%d", f->year);
    pw_table_add(t, id, f->unit_name[0] ? f->unit_name : f->unit, year,
                 finding_what(f, what, sizeof what), f->note, f->created_by);
}

int pw_cmd_finding_list(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"unit", required_argument, NULL, 'u'},
                                         {"year", required_argument, NULL, 'y'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    Planwatch__V1__ListFindingsRequest req = PLANWATCH__V1__LIST_FINDINGS_REQUEST__INIT;
    int json = 0, ch, rc;
    long long v;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'u':
            req.unit = optarg;
            break;
        case 'y':
            if ((rc = pw_cli_parse_int(cli, "--year", optarg, 2000, 2100, &v)))
                return rc;
            req.year = (int32_t)v;
            break;
        case 'a':
            req.include_removed = 1;
            break;
        case 'j':
            json = 1;
            break;
        default:
            return pw_cli_usage(cli,
                                "usage: finding list [--unit ID] [--year YYYY] [--all] [--json]");
        }
    }
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.FindingService/List", &req.base,
                     &planwatch__v1__list_findings_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__ListFindingsResponse *r =
        (const Planwatch__V1__ListFindingsResponse *)resp;
    static const char *const hdr[] = {"ID", "UNIT", "YEAR", "FINDING", "NOTE", "BY"};
    static const pw_cli_list list = {"findings", finding_json, 6, hdr, finding_row_add};
    pw_cli_print_list(&list, json, (void *const *)r->findings, r->n_findings);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_finding_remove(pw_cli *cli, int argc, char **argv)
{
    Planwatch__V1__RemoveFindingRequest req = PLANWATCH__V1__REMOVE_FINDING_REQUEST__INIT;
    const pw_cli_opt opts[] = {{"note", &req.note}, {NULL, NULL}};
    int rc = pw_cli_parse_opts(cli, argc, argv, opts, "usage: finding remove ID --note TEXT");
    if (rc)
        return rc;
    long long id;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "finding remove needs exactly one ID");
    if ((rc = pw_cli_parse_int(cli, "ID", argv[optind], 1, INT64_MAX, &id)))
        return rc;
    if (!req.note[0])
        return pw_cli_usage(cli, "finding remove needs --note TEXT (why)");
    req.id = id;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.FindingService/Remove", &req.base,
                     &planwatch__v1__finding__descriptor, &resp);
    if (rc)
        return rc;
    printf("finding %lld removed\n", id);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- supervision items ---------------------------------------------------- */

static json_t *supervision_json(const void *row)
{
    const Planwatch__V1__SupervisionItem *it = row;
    char buf[40];
    pw_fmt_use_tz(it->has_tz_offset_min, it->tz_offset_min);
    json_t *answers = json_array();
    for (size_t i = 0; i < it->n_answers; i++)
        json_array_append_new(answers,
                              json_pack("{s:s, s:s, s:s}", "user", it->answers[i]->user, "at",
                                        pw_cli_time(it->answers[i]->at, buf, sizeof buf), "text",
                                        it->answers[i]->text));
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)it->id, "unit",
                  it->unit, "unit_name", it->unit_name, "text", it->text, "deadline", it->deadline,
                  "state", it->state, "overdue", it->overdue, "opened_by", it->opened_by);
    json_object_set_new(o, "opened_at", json_string(pw_cli_time(it->opened_at, buf, sizeof buf)));
    json_object_set_new(o, "closed_at",
                        it->closed_at ? json_string(pw_cli_time(it->closed_at, buf, sizeof buf))
                                      : json_null());
    json_object_set_new(o, "days_late", json_integer(it->days_late));
    json_object_set_new(o, "answers", answers);
    return o;
}

static int supervise_print(pw_cli *cli, int rc, ProtobufCMessage *resp, const char *what)
{
    if (rc)
        return rc;
    const Planwatch__V1__SupervisionItem *it = (const Planwatch__V1__SupervisionItem *)resp;
    char late[48] = "";
    if (it->days_late > 0)
        snprintf(late, sizeof late, " %d day%s late", it->days_late, it->days_late == 1 ? "" : "s");
    printf("supervision item %lld %s: %s %s, deadline %s, %s%s\n", (long long)it->id, what,
           it->unit, it->unit_name, it->deadline, it->state, late);
    protobuf_c_message_free_unpacked(resp, NULL);
    (void)cli;
    return PW_EXIT_OK;
}

int pw_cmd_supervise_open(pw_cli *cli, int argc, char **argv)
{
    Planwatch__V1__OpenSupervisionRequest req = PLANWATCH__V1__OPEN_SUPERVISION_REQUEST__INIT;
    const pw_cli_opt opts[] = {{"unit", &req.unit}, {"deadline", &req.deadline}, {NULL, NULL}};
    int rc = pw_cli_parse_opts(cli, argc, argv, opts,
                               "usage: supervise open --unit U --deadline DATE TEXT");
    if (rc)
        return rc;
    if (!req.unit[0] || !req.deadline[0])
        return pw_cli_usage(cli, "supervise open needs --unit U and --deadline YYYY-MM-DD");
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "supervise open needs the item TEXT as one argument");
    req.text = argv[optind];
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.SuperviseService/Open", &req.base,
                     &planwatch__v1__supervision_item__descriptor, &resp);
    return supervise_print(cli, rc, resp, "opened");
}

int pw_cmd_supervise_answer(pw_cli *cli, int argc, char **argv)
{
    long long id;
    int rc;
    if (argc != 3)
        return pw_cli_usage(cli, "usage: supervise answer ID TEXT");
    if ((rc = pw_cli_parse_int(cli, "ID", argv[1], 1, INT64_MAX, &id)))
        return rc;
    Planwatch__V1__AnswerSupervisionRequest req = PLANWATCH__V1__ANSWER_SUPERVISION_REQUEST__INIT;
    req.id = id;
    req.text = argv[2];
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.SuperviseService/Answer", &req.base,
                     &planwatch__v1__supervision_item__descriptor, &resp);
    return supervise_print(cli, rc, resp, "answered");
}

int pw_cmd_supervise_close(pw_cli *cli, int argc, char **argv)
{
    Planwatch__V1__CloseSupervisionRequest req = PLANWATCH__V1__CLOSE_SUPERVISION_REQUEST__INIT;
    const pw_cli_opt opts[] = {{"note", &req.note}, {NULL, NULL}};
    int rc = pw_cli_parse_opts(cli, argc, argv, opts, "usage: supervise close ID [--note TEXT]");
    if (rc)
        return rc;
    long long id;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "supervise close needs exactly one ID");
    if ((rc = pw_cli_parse_int(cli, "ID", argv[optind], 1, INT64_MAX, &id)))
        return rc;
    req.id = id;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.SuperviseService/Close", &req.base,
                     &planwatch__v1__supervision_item__descriptor, &resp);
    return supervise_print(cli, rc, resp, "closed");
}

static void supervision_row_add(pw_table *t, const void *row)
{
    const Planwatch__V1__SupervisionItem *it = row;
    char id[24], state[32], n[16];
    snprintf(id, sizeof id, "%lld", (long long)it->id);
    if (it->days_late > 0)
        snprintf(state, sizeof state, "%s %d day%s late", it->state, it->days_late,
                 it->days_late == 1 ? "" : "s");
    else
        snprintf(state, sizeof state, "%s%s", it->state, it->overdue ? " OVERDUE" : "");
    snprintf(n, sizeof n, "%zu", it->n_answers);
    pw_table_add(t, id, it->unit_name[0] ? it->unit_name : it->unit, it->deadline, state, n,
                 it->text);
}

int pw_cmd_supervise_list(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"unit", required_argument, NULL, 'u'},
                                         {"overdue", no_argument, NULL, 'o'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    Planwatch__V1__ListSupervisionRequest req = PLANWATCH__V1__LIST_SUPERVISION_REQUEST__INIT;
    int json = 0, ch;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'u':
            req.unit = optarg;
            break;
        case 'o':
            req.overdue_only = 1;
            break;
        case 'a':
            req.include_closed = 1;
            break;
        case 'j':
            json = 1;
            break;
        default:
            return pw_cli_usage(cli,
                                "usage: supervise list [--unit U] [--overdue] [--all] [--json]");
        }
    }
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_call(cli, "/planwatch.v1.SuperviseService/List", &req.base,
                         &planwatch__v1__list_supervision_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__ListSupervisionResponse *r =
        (const Planwatch__V1__ListSupervisionResponse *)resp;
    static const char *const hdr[] = {"ID", "UNIT", "DEADLINE", "STATE", "ANSWERS", "TEXT"};
    static const pw_cli_list list = {"items", supervision_json, 6, hdr, supervision_row_add};
    pw_cli_print_list(&list, json, (void *const *)r->items, r->n_items);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}
