/*
 * cmd_plan.c - planwatch plan import|show|check, sheet import|show.
 *
 * The CSV files are sent as they are: the server parses and validates them
 * and answers every bad row with file, line and column, so the client never
 * second-guesses the format.  --json output uses stable snake_case names.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/commands.h"
#include "common/render/render_plan.h"
#include "common/render/table.h"
#include "common/strbuf.h"
#include "planwatch/v1/plan.pb-c.h"

/* Numbers as people write them: 74, 41.69, 1000000 (no exponent). */
static const char *cmd_plan_num(double v, char *buf, size_t len)
{
    snprintf(buf, len, "%.10g", v);
    return buf;
}

static void cmd_plan_info_print(const Planwatch__V1__PlanInfo *p)
{
    int tz = p->tz_offset_min < 0 ? -p->tz_offset_min : p->tz_offset_min;
    printf("plan %s %s: %d-%d, %s reports due on day %d, UTC%c%02d:%02d\n", p->id, p->name,
           p->first_year, p->last_year, p->cadence, p->due_day, p->tz_offset_min < 0 ? '-' : '+',
           tz / 60, tz % 60);
}

/* The two CSV files of a plan import or revision, read whole (exit code 2,
 * naming the file, when one cannot be read). */
typedef struct plan_files {
    ProtobufCBinaryData indicators, targets;
} plan_files;

static void plan_files_free(plan_files *f)
{
    free(f->indicators.data);
    free(f->targets.data);
}

static int plan_files_read(pw_cli *cli, const char *ind_path, const char *tg_path, plan_files *f)
{
    char err[512] = "";
    memset(f, 0, sizeof *f);
    f->indicators.data = (uint8_t *)pw_cli_read_file(ind_path, &f->indicators.len, err, sizeof err);
    if (f->indicators.data)
        f->targets.data = (uint8_t *)pw_cli_read_file(tg_path, &f->targets.len, err, sizeof err);
    if (!f->indicators.data || !f->targets.data) {
        plan_files_free(f);
        return pw_cli_usage(cli, "%s", err);
    }
    return 0;
}
/* ---- plan import -------------------------------------------------------- */

int pw_cmd_plan_import(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"plan", required_argument, NULL, 'p'},       {"name", required_argument, NULL, 'n'},
        {"indicators", required_argument, NULL, 'i'}, {"targets", required_argument, NULL, 't'},
        {"due-day", required_argument, NULL, 'd'},    {"tz-offset", required_argument, NULL, 'z'},
        {"cadence", required_argument, NULL, 'c'},    {NULL, 0, NULL, 0}};
    static const char usage[] = "usage: plan import --plan ID --name NAME --indicators FILE "
                                "--targets FILE [--due-day N] [--tz-offset MIN] "
                                "[--cadence monthly|quarterly]";
    Planwatch__V1__ImportPlanRequest req = PLANWATCH__V1__IMPORT_PLAN_REQUEST__INIT;
    const char *ind_path = NULL, *tg_path = NULL;
    long long v;
    int ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'p':
            req.plan = optarg;
            break;
        case 'n':
            req.name = optarg;
            break;
        case 'i':
            ind_path = optarg;
            break;
        case 't':
            tg_path = optarg;
            break;
        case 'd':
            if ((rc = pw_cli_parse_int(cli, "--due-day", optarg, 1, 28, &v)))
                return rc;
            req.due_day = (int32_t)v;
            break;
        case 'z':
            if ((rc = pw_cli_parse_int(cli, "--tz-offset", optarg, -720, 840, &v)))
                return rc;
            req.has_tz_offset_min = 1;
            req.tz_offset_min = (int32_t)v;
            break;
        case 'c':
            req.cadence = optarg;
            break;
        default:
            return pw_cli_usage(cli, usage);
        }
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'; %s", argv[optind], usage);
    if (!req.plan[0] || !req.name[0] || !ind_path || !tg_path)
        return pw_cli_usage(cli, "plan import needs --plan, --name, --indicators and --targets");
    plan_files f;
    if ((rc = plan_files_read(cli, ind_path, tg_path, &f)) != 0)
        return rc;
    req.indicators_csv = f.indicators;
    req.targets_csv = f.targets;
    req.indicators_file = (char *)ind_path;
    req.targets_file = (char *)tg_path;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.PlanService/Import", &req.base,
                     &planwatch__v1__import_plan_response__descriptor, &resp);
    plan_files_free(&f);
    if (rc)
        return rc;
    const Planwatch__V1__ImportPlanResponse *r = (const Planwatch__V1__ImportPlanResponse *)resp;
    printf("%s plan %s %s: %d indicators, %d targets, years %d-%d\n",
           r->replaced ? "replaced" : "imported", r->plan->id, r->plan->name, r->indicators,
           r->targets, r->plan->first_year, r->plan->last_year);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- plan revise -------------------------------------------------------- */

int pw_cmd_plan_revise(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"plan", required_argument, NULL, 'p'},    {"indicators", required_argument, NULL, 'i'},
        {"targets", required_argument, NULL, 't'}, {"effective", required_argument, NULL, 'e'},
        {"reason", required_argument, NULL, 'r'},  {NULL, 0, NULL, 0}};
    static const char usage[] = "usage: plan revise --plan ID --indicators FILE --targets FILE "
                                "--effective YYYY-MM --reason TEXT";
    Planwatch__V1__RevisePlanRequest req = PLANWATCH__V1__REVISE_PLAN_REQUEST__INIT;
    const char *ind_path = NULL, *tg_path = NULL;
    int ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'p':
            req.plan = optarg;
            break;
        case 'i':
            ind_path = optarg;
            break;
        case 't':
            tg_path = optarg;
            break;
        case 'e':
            req.effective = optarg;
            break;
        case 'r':
            req.reason = optarg;
            break;
        default:
            return pw_cli_usage(cli, usage);
        }
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'; %s", argv[optind], usage);
    if (!req.plan[0] || !ind_path || !tg_path || !req.effective[0] || !req.reason[0])
        return pw_cli_usage(cli, "plan revise needs --plan, --indicators, --targets, --effective "
                                 "and --reason");
    plan_files f;
    if ((rc = plan_files_read(cli, ind_path, tg_path, &f)) != 0)
        return rc;
    req.indicators_csv = f.indicators;
    req.targets_csv = f.targets;
    req.indicators_file = (char *)ind_path;
    req.targets_file = (char *)tg_path;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.PlanService/Revise", &req.base,
                     &planwatch__v1__revise_plan_response__descriptor, &resp);
    plan_files_free(&f);
    if (rc)
        return rc;
    const Planwatch__V1__RevisePlanResponse *r = (const Planwatch__V1__RevisePlanResponse *)resp;
    printf("revision %d of plan %s effective %s: %d indicators, %d targets\n",
           r->revision->revision, r->plan->id, r->revision->effective, r->revision->indicators,
           r->revision->targets);
    const char *what[3] = {"added", "changed", "retired"};
    char **lists[3] = {r->added, r->changed, r->retired};
    size_t ns[3] = {r->n_added, r->n_changed, r->n_retired};
    for (int k = 0; k < 3; k++) {
        printf("%s: %zu", what[k], ns[k]);
        for (size_t i = 0; i < ns[k]; i++)
            printf("%s%s", i ? ", " : " (", lists[k][i]);
        printf("%s\n", ns[k] ? ")" : "");
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- plan show ---------------------------------------------------------- */

/* "2018: 45 (base 40), jishou 74, luxi 41.69" -- the targets of one
 * indicator, year by year; malloc'd (NULL when out of memory). */
static char *cmd_plan_targets_text(const Planwatch__V1__Indicator *m)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    char num[40], b[40];
    int year = 0;
    for (size_t k = 0; k < m->n_targets; k++) {
        const Planwatch__V1__Target *t = m->targets[k];
        if (t->year != year)
            pw_strbuf_appendf(&sb, "%s%d:", year ? "; " : "", t->year);
        else
            pw_strbuf_append_char(&sb, ',');
        year = t->year;
        pw_strbuf_appendf(&sb, " %s%s%s", t->unit, t->unit[0] ? " " : "",
                          cmd_plan_num(t->value, num, sizeof num));
        if (t->has_baseline)
            pw_strbuf_appendf(&sb, " (base %s)", cmd_plan_num(t->baseline, b, sizeof b));
        if (t->has_tolerance)
            pw_strbuf_appendf(&sb, " (+-%s)", cmd_plan_num(t->tolerance, b, sizeof b));
        if (t->due[0])
            pw_strbuf_appendf(&sb, " (due %s)", t->due);
    }
    return pw_strbuf_detach(&sb, NULL);
}

static void cmd_plan_show_text(const Planwatch__V1__ShowPlanResponse *r)
{
    cmd_plan_info_print(r->plan);
    for (size_t i = 0; i < r->n_revisions; i++) {
        const Planwatch__V1__PlanRevision *v = r->revisions[i];
        char at[40];
        if (v->revision == 0)
            continue;
        printf("revision %d effective %s (%s, %s by %s)%s\n", v->revision, v->effective, v->reason,
               pw_cli_time(v->at, at, sizeof at), v->by_user,
               v->revision == r->revision ? " <- shown" : "");
    }
    if (r->as_of[0])
        printf("as of %s: revision %d\n", r->as_of, r->revision);
    if (r->unit[0])
        printf("what unit %s reports (%zu indicators)\n", r->unit, r->n_indicators);
    else
        printf("%zu indicators\n", r->n_indicators);
    static const char *const hdr[] = {"ID", "INDICATOR", "UOM", "KIND", "DIR", "LEAD", "TARGETS"};
    pw_table *t = NULL;
    const char *l1 = NULL, *l2 = NULL;
    for (size_t i = 0; i < r->n_indicators; i++) {
        const Planwatch__V1__Indicator *m = r->indicators[i];
        if (!l1 || strcmp(l1, m->level1) != 0 || strcmp(l2, m->level2) != 0) {
            if (t) {
                pw_table_print(t, stdout);
                pw_table_free(t);
            }
            if (!l1 || strcmp(l1, m->level1) != 0)
                printf("\n%s\n", m->level1);
            printf("\n  %s\n", m->level2);
            l1 = m->level1;
            l2 = m->level2;
            t = pw_table_new(7, hdr);
        }
        char lead[256] = "";
        for (size_t k = 0; k < m->n_lead_units; k++)
            snprintf(lead + strlen(lead), sizeof lead - strlen(lead), "%s%s", k ? ";" : "",
                     m->lead_units[k]);
        if (m->n_lead_units > 1 && m->aggregate[0])
            snprintf(lead + strlen(lead), sizeof lead - strlen(lead), " (%s)", m->aggregate);
        if (m->n_resp_units)
            snprintf(lead + strlen(lead), sizeof lead - strlen(lead), " +%zu 负责",
                     m->n_resp_units);
        char *targets = cmd_plan_targets_text(m);
        pw_table_add(t, m->id, m->level3, m->unit_of_measure[0] ? m->unit_of_measure : "-", m->kind,
                     m->direction, lead[0] ? lead : "-", targets && targets[0] ? targets : "-");
        free(targets);
    }
    if (t) {
        pw_table_print(t, stdout);
        pw_table_free(t);
    }
}

int pw_cmd_plan_show(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"plan", required_argument, NULL, 'p'}, {"year", required_argument, NULL, 'y'},
        {"unit", required_argument, NULL, 'u'}, {"as-of", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},       {NULL, 0, NULL, 0}};
    Planwatch__V1__ShowPlanRequest req = PLANWATCH__V1__SHOW_PLAN_REQUEST__INIT;
    int json = 0, ch, rc;
    long long v;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        switch (ch) {
        case 'p':
            req.plan = optarg;
            break;
        case 'y':
            if ((rc = pw_cli_parse_int(cli, "--year", optarg, 2000, 2100, &v)))
                return rc;
            req.year = (int32_t)v;
            break;
        case 'u':
            req.unit = optarg;
            break;
        case 'a':
            req.as_of = optarg;
            break;
        case 'j':
            json = 1;
            break;
        default:
            return pw_cli_usage(cli, "usage: plan show [--plan ID] [--year YYYY] [--unit ID] "
                                     "[--as-of YYYY-MM] [--json]");
        }
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.PlanService/Show", &req.base,
                     &planwatch__v1__show_plan_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__ShowPlanResponse *r = (const Planwatch__V1__ShowPlanResponse *)resp;
    if (json) {
        pw_cli_print_json(pw_render_plan_show_json(r, req.year));
    } else {
        cmd_plan_show_text(r);
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- plan check --------------------------------------------------------- */

static void cmd_plan_check_json(const Planwatch__V1__CheckPlanResponse *r)
{
    json_t *units = json_array(), *inds = json_array();
    for (size_t i = 0; i < r->n_units_without_user; i++) {
        const Planwatch__V1__UnitRef *u = r->units_without_user[i];
        json_array_append_new(units, json_pack("{s:s, s:s, s:s}", "id", u->id, "name", u->name,
                                               "category", u->category));
    }
    for (size_t i = 0; i < r->n_indicators_without_lead; i++)
        json_array_append_new(inds,
                              pw_render_plan_indicator_json(r->indicators_without_lead[i], 0));
    json_t *o = json_object();
    json_object_set_new(o, "plan", r->plan ? json_string(r->plan->id) : json_null());
    json_object_set_new(
        o, "reporters_without_unit",
        pw_render_plan_strings(r->reporters_without_unit, r->n_reporters_without_unit));
    json_object_set_new(o, "units_without_user", units);
    json_object_set_new(o, "indicators_without_lead", inds);
    json_t *nothing = json_array();
    for (size_t i = 0; i < r->n_units_without_indicators; i++) {
        const Planwatch__V1__UnitRef *u = r->units_without_indicators[i];
        json_array_append_new(nothing, json_pack("{s:s, s:s, s:s}", "id", u->id, "name", u->name,
                                                 "category", u->category));
    }
    json_object_set_new(o, "year", r->year ? json_integer(r->year) : json_null());
    json_object_set_new(o, "units_without_indicators", nothing);
    pw_cli_print_json(o);
}

static void cmd_plan_check_text(const Planwatch__V1__CheckPlanResponse *r)
{
    if (r->plan)
        cmd_plan_info_print(r->plan);
    else
        printf("no plan imported yet: checking accounts only\n");
    printf("reporters without a unit: %zu\n", r->n_reporters_without_unit);
    for (size_t i = 0; i < r->n_reporters_without_unit; i++)
        printf("  %s\n", r->reporters_without_unit[i]);
    printf("units without a reporter: %zu\n", r->n_units_without_user);
    if (r->n_units_without_user) {
        static const char *const hdr[] = {"  ID", "NAME", "CATEGORY"};
        pw_table *t = pw_table_new(3, hdr);
        for (size_t i = 0; i < r->n_units_without_user; i++) {
            const Planwatch__V1__UnitRef *u = r->units_without_user[i];
            char id[80];
            snprintf(id, sizeof id, "  %s", u->id);
            pw_table_add(t, id, u->name, u->category);
        }
        pw_table_print(t, stdout);
        pw_table_free(t);
    }
    if (r->plan) {
        printf("indicators without a lead unit: %zu\n", r->n_indicators_without_lead);
        for (size_t i = 0; i < r->n_indicators_without_lead; i++)
            printf("  %s %s (not judged)\n", r->indicators_without_lead[i]->id,
                   r->indicators_without_lead[i]->level3);
        printf("units with nothing to be judged on in %d: %zu%s\n", r->year,
               r->n_units_without_indicators,
               r->n_units_without_indicators ? " (work performance: the mean of their category)"
                                             : "");
        for (size_t i = 0; i < r->n_units_without_indicators; i++)
            printf("  %s %s (%s)\n", r->units_without_indicators[i]->id,
                   r->units_without_indicators[i]->name, r->units_without_indicators[i]->category);
    }
}

int pw_cmd_plan_check(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"plan", required_argument, NULL, 'p'},
                                         {"year", required_argument, NULL, 'y'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    Planwatch__V1__CheckPlanRequest req = PLANWATCH__V1__CHECK_PLAN_REQUEST__INIT;
    int json = 0, ch;
    long long v;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if (ch == 'p')
            req.plan = optarg;
        else if (ch == 'j')
            json = 1;
        else if (ch == 'y') {
            int rc = pw_cli_parse_int(cli, "--year", optarg, 2000, 2100, &v);
            if (rc)
                return rc;
            req.year = (int32_t)v;
        } else
            return pw_cli_usage(cli, "usage: plan check [--plan ID] [--year YYYY] [--json]");
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_call(cli, "/planwatch.v1.PlanService/Check", &req.base,
                         &planwatch__v1__check_plan_response__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__CheckPlanResponse *r = (const Planwatch__V1__CheckPlanResponse *)resp;
    if (json)
        cmd_plan_check_json(r);
    else
        cmd_plan_check_text(r);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* ---- sheet import / show ------------------------------------------------ */

static int cmd_sheet_category(pw_cli *cli, const char *c)
{
    if (!c)
        return pw_cli_usage(cli, "--category county|department is required");
    return 0;
}

static void cmd_sheet_print(const Planwatch__V1__Sheet *s)
{
    double total = 0;
    for (size_t i = 0; i < s->n_items; i++)
        total += s->items[i]->max_points;
    char at[40], num[40];
    printf("%s score sheet, imported %s: %zu items, %s points; commend the top %d, criticise "
           "the last %d\n",
           s->category, pw_cli_time(s->imported_at, at, sizeof at), s->n_items,
           cmd_plan_num(total, num, sizeof num), s->commend_top, s->criticise_bottom);
    static const char *const hdr[] = {"ITEM", "GROUP", "CONTENT", "MAX", "KIND", "PARAMS"};
    pw_table *t = pw_table_new(6, hdr);
    for (size_t i = 0; i < s->n_items; i++) {
        const Planwatch__V1__SheetItem *it = s->items[i];
        char no[16];
        snprintf(no, sizeof no, "%d", it->item);
        pw_table_add(t, no, it->group, it->content, cmd_plan_num(it->max_points, num, sizeof num),
                     it->kind, it->params[0] ? it->params : "-");
    }
    pw_table_print(t, stdout);
    pw_table_free(t);
}

int pw_cmd_sheet_import(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"category", required_argument, NULL, 'c'},
                                         {"commend-top", required_argument, NULL, 't'},
                                         {"criticise-bottom", required_argument, NULL, 'b'},
                                         {NULL, 0, NULL, 0}};
    Planwatch__V1__ImportSheetRequest req = PLANWATCH__V1__IMPORT_SHEET_REQUEST__INIT;
    const char *category = NULL;
    int ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if (ch == 'c') {
            category = optarg;
        } else if (ch == 't' || ch == 'b') {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 1000)
                return pw_cli_usage(cli, "--%s must be a number of units 1..1000, not '%s'",
                                    ch == 't' ? "commend-top" : "criticise-bottom", optarg);
            if (ch == 't')
                req.commend_top = (int32_t)v;
            else
                req.criticise_bottom = (int32_t)v;
        } else {
            return pw_cli_usage(cli, "usage: sheet import FILE --category county|department "
                                     "[--commend-top N] [--criticise-bottom N]");
        }
    }
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "sheet import needs exactly one FILE");
    if ((rc = cmd_sheet_category(cli, category)))
        return rc;
    char err[512] = "";
    size_t len;
    char *csv = pw_cli_read_file(argv[optind], &len, err, sizeof err);
    if (!csv)
        return pw_cli_usage(cli, "%s", err);
    req.category = (char *)category;
    req.csv.data = (uint8_t *)csv;
    req.csv.len = len;
    req.file = argv[optind];
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.SheetService/Import", &req.base,
                     &planwatch__v1__sheet__descriptor, &resp);
    free(csv);
    if (rc)
        return rc;
    const Planwatch__V1__Sheet *s = (const Planwatch__V1__Sheet *)resp;
    printf("%s the %s score sheet: %zu items; commend the top %d, criticise the last %d\n",
           s->replaced ? "replaced" : "imported", s->category, s->n_items, s->commend_top,
           s->criticise_bottom);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_sheet_show(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"category", required_argument, NULL, 'c'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    Planwatch__V1__ShowSheetRequest req = PLANWATCH__V1__SHOW_SHEET_REQUEST__INIT;
    const char *category = NULL;
    int json = 0, ch, rc;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if (ch == 'c')
            category = optarg;
        else if (ch == 'j')
            json = 1;
        else
            return pw_cli_usage(cli, "usage: sheet show --category county|department [--json]");
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    if ((rc = cmd_sheet_category(cli, category)))
        return rc;
    req.category = (char *)category;
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.SheetService/Show", &req.base,
                     &planwatch__v1__sheet__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__Sheet *s = (const Planwatch__V1__Sheet *)resp;
    if (json) {
        char at[40];
        json_t *items = json_array();
        for (size_t i = 0; i < s->n_items; i++) {
            const Planwatch__V1__SheetItem *it = s->items[i];
            json_t *o = json_pack("{s:i, s:s, s:s}", "item", it->item, "group", it->group,
                                  "content", it->content);
            json_object_set_new(o, "max_points", pw_render_plan_num_json(it->max_points));
            json_object_set_new(o, "kind", json_string(it->kind));
            json_object_set_new(o, "params", json_string(it->params));
            json_array_append_new(items, o);
        }
        pw_cli_print_json(json_pack("{s:s, s:s, s:i, s:i, s:o}", "category", s->category,
                                    "imported_at", pw_cli_time(s->imported_at, at, sizeof at),
                                    "commend_top", s->commend_top, "criticise_bottom",
                                    s->criticise_bottom, "items", items));
    } else {
        cmd_sheet_print(s);
    }
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}
