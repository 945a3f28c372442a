/*
 * cmd_admin.c - planwatch-admin user add|list|disable|enable|unlock|passwd, unit add|list.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/commands.h"
#include "common/render/table.h"
#include "planwatch/v1/account.pb-c.h"

/* New password from --password-file FILE ("-" = stdin; first line), else
 * PLANWATCH_NEW_PASSWORD, else prompted twice. */
static int cmd_new_password(pw_cli *cli, const char *file, char *buf, size_t len)
{
    if (file) {
        char err[512] = "";
        size_t n;
        char *text = pw_cli_read_file(file, &n, err, sizeof err);
        if (!text)
            return pw_cli_usage(cli, "%s", err);
        text[strcspn(text, "\r\n")] = '\0';
        snprintf(buf, len, "%s", text);
        sodium_memzero(text, n);
        free(text);
        return 0;
    }
    const char *env = getenv("PLANWATCH_NEW_PASSWORD");
    if (env) {
        snprintf(buf, len, "%s", env);
        return 0;
    }
    /* prompt on the terminal, never from PLANWATCH_PASSWORD (the admin's own) */
    const char *saved = getenv("PLANWATCH_PASSWORD");
    char *keep = saved ? strdup(saved) : NULL;
    unsetenv("PLANWATCH_PASSWORD");
    int rc = pw_cli_password(cli, "new password: ", 1, buf, len);
    if (keep) {
        setenv("PLANWATCH_PASSWORD", keep, 1);
        free(keep);
    }
    return rc == 0 ? 0 : PW_EXIT_USAGE;
}

/* Send `req` to `method` with a new password (cmd_new_password from pwfile)
 * in its field *password, wiped after the call.  The exit code. */
static int cmd_call_with_password(pw_cli *cli, const char *pwfile, const char *method,
                                  ProtobufCMessage *req, char **password,
                                  const ProtobufCMessageDescriptor *resp_desc,
                                  ProtobufCMessage **resp)
{
    char buf[1100];
    int rc = cmd_new_password(cli, pwfile, buf, sizeof buf);
    if (rc)
        return rc;
    *password = buf;
    rc = pw_cli_call(cli, method, req, resp_desc, resp);
    sodium_memzero(buf, sizeof buf);
    *password = NULL;
    return rc;
}

int pw_cmd_user_add(pw_cli *cli, int argc, char **argv)
{
    char *role = NULL, *unit = "", *pwfile = NULL;
    const pw_cli_opt opts[] = {
        {"role", &role}, {"unit", &unit}, {"password-file", &pwfile}, {NULL, NULL}};
    int rc =
        pw_cli_parse_opts(cli, argc, argv, opts,
                          "usage: user add NAME --role ROLE [--unit ID] [--password-file FILE]");
    if (rc)
        return rc;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "user add needs exactly one NAME");
    if (!role)
        return pw_cli_usage(cli, "user add needs --role admin|office|reporter|viewer");
    Planwatch__V1__AddUserRequest req = PLANWATCH__V1__ADD_USER_REQUEST__INIT;
    req.name = argv[optind];
    req.role = role;
    req.unit = unit;
    ProtobufCMessage *resp = NULL;
    if ((rc = cmd_call_with_password(cli, pwfile, "/planwatch.v1.AdminService/AddUser", &req.base,
                                     &req.password, &planwatch__v1__user_info__descriptor, &resp)))
        return rc;
    const Planwatch__V1__UserInfo *u = (const Planwatch__V1__UserInfo *)resp;
    printf("added user %s (%s)%s%s\n", u->name, u->role, u->unit[0] ? " of " : "", u->unit);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

static int cmd_json_flag(pw_cli *cli, int argc, char **argv, const char *usage, int *json)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    int ch;
    *json = 0;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if (ch == 'j')
            *json = 1;
        else
            return pw_cli_usage(cli, "usage: %s", usage);
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* A list verb: [--json], an Empty request to `method`, then the rows of the
 * response's repeated field named l->key, printed by l. */
static int cmd_list(pw_cli *cli, int argc, char **argv, const char *usage, const char *method,
                    const ProtobufCMessageDescriptor *desc, const pw_cli_list *l)
{
    int json;
    ProtobufCMessage *resp = NULL;
    int rc = cmd_json_flag(cli, argc, argv, usage, &json);
    if (rc || (rc = pw_cli_call_empty(cli, method, desc, &resp)))
        return rc;
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(desc, l->key);
    const char *base = (const char *)resp;
    pw_cli_print_list(l, json, *(void *const *const *)(base + f->offset),
                      *(const size_t *)(base + f->quantifier_offset));
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

static json_t *user_row_json(const void *row)
{
    const Planwatch__V1__UserInfo *u = row;
    return json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "name", u->name, "role", u->role, "unit",
                     u->unit[0] ? u->unit : NULL, "unit_name",
                     u->unit_name[0] ? u->unit_name : NULL, "enabled", u->enabled);
}

static void user_row_add(pw_table *t, const void *row)
{
    const Planwatch__V1__UserInfo *u = row;
    pw_table_add(t, u->name, u->role, u->unit[0] ? u->unit : "-",
                 u->unit_name[0] ? u->unit_name : "-", u->enabled ? "yes" : "no");
}

int pw_cmd_user_list(pw_cli *cli, int argc, char **argv)
{
    static const char *const hdr[] = {"NAME", "ROLE", "UNIT", "UNIT NAME", "ENABLED"};
    static const pw_cli_list list = {"users", user_row_json, 5, hdr, user_row_add};
    return cmd_list(cli, argc, argv, "user list [--json]", "/planwatch.v1.AdminService/ListUsers",
                    &planwatch__v1__list_users_response__descriptor, &list);
}

int pw_cmd_user_disable(pw_cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return pw_cli_usage(cli, "user disable needs exactly one NAME");
    Planwatch__V1__UserNameRequest req = PLANWATCH__V1__USER_NAME_REQUEST__INIT;
    req.name = argv[1];
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_call(cli, "/planwatch.v1.AdminService/DisableUser", &req.base,
                         &planwatch__v1__user_info__descriptor, &resp);
    if (rc)
        return rc;
    printf("user %s disabled; its sessions are revoked\n", argv[1]);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

/* user enable NAME / user unlock NAME: one UserNameRequest call each */
static int cmd_user_simple(pw_cli *cli, int argc, char **argv, const char *verb, const char *method,
                           const char *done)
{
    if (argc != 2)
        return pw_cli_usage(cli, "user %s needs exactly one NAME", verb);
    Planwatch__V1__UserNameRequest req = PLANWATCH__V1__USER_NAME_REQUEST__INIT;
    req.name = argv[1];
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_call(cli, method, &req.base, &planwatch__v1__user_info__descriptor, &resp);
    if (rc)
        return rc;
    printf("user %s %s\n", argv[1], done);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_user_enable(pw_cli *cli, int argc, char **argv)
{
    return cmd_user_simple(cli, argc, argv, "enable", "/planwatch.v1.AdminService/EnableUser",
                           "enabled; it can log in again");
}

int pw_cmd_user_unlock(pw_cli *cli, int argc, char **argv)
{
    return cmd_user_simple(cli, argc, argv, "unlock", "/planwatch.v1.AdminService/UnlockUser",
                           "unlocked: the login back-off of the sources that failed on it is "
                           "cleared");
}

int pw_cmd_user_passwd(pw_cli *cli, int argc, char **argv)
{
    char *pwfile = NULL;
    const pw_cli_opt opts[] = {{"password-file", &pwfile}, {NULL, NULL}};
    int rc =
        pw_cli_parse_opts(cli, argc, argv, opts, "usage: user passwd NAME [--password-file FILE]");
    if (rc)
        return rc;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "user passwd needs exactly one NAME");
    Planwatch__V1__SetPasswordRequest req = PLANWATCH__V1__SET_PASSWORD_REQUEST__INIT;
    req.name = argv[optind];
    ProtobufCMessage *resp = NULL;
    rc = cmd_call_with_password(cli, pwfile, "/planwatch.v1.AdminService/SetPassword", &req.base,
                                &req.password, &planwatch__v1__empty__descriptor, &resp);
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    if (!rc)
        printf("password of %s changed; its sessions are revoked\n", argv[optind]);
    return rc;
}

int pw_cmd_unit_add(pw_cli *cli, int argc, char **argv)
{
    Planwatch__V1__UnitInfo req = PLANWATCH__V1__UNIT_INFO__INIT;
    const pw_cli_opt opts[] = {{"name", &req.name},
                               {"category", &req.category},
                               {"active-from", &req.active_from},
                               {"active-to", &req.active_to},
                               {NULL, NULL}};
    int rc = pw_cli_parse_opts(cli, argc, argv, opts,
                               "usage: unit add ID --name NAME --category county|department "
                               "[--active-from DATE] [--active-to DATE]");
    if (rc)
        return rc;
    if (optind + 1 != argc)
        return pw_cli_usage(cli, "unit add needs exactly one ID");
    if (!req.name[0])
        return pw_cli_usage(cli, "unit add needs --name NAME");
    if (!req.category[0])
        return pw_cli_usage(cli, "unit add needs --category county|department");
    req.id = argv[optind];
    ProtobufCMessage *resp = NULL;
    rc = pw_cli_call(cli, "/planwatch.v1.AdminService/AddUnit", &req.base,
                     &planwatch__v1__unit_info__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__UnitInfo *u = (const Planwatch__V1__UnitInfo *)resp;
    printf("added unit %s %s (%s)\n", u->id, u->name, u->category);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

static json_t *unit_row_json(const void *row)
{
    const Planwatch__V1__UnitInfo *u = row;
    return json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "id", u->id, "name", u->name, "category",
                     u->category, "active_from", u->active_from[0] ? u->active_from : NULL,
                     "active_to", u->active_to[0] ? u->active_to : NULL);
}

static void unit_row_add(pw_table *t, const void *row)
{
    const Planwatch__V1__UnitInfo *u = row;
    pw_table_add(t, u->id, u->name, u->category, u->active_from[0] ? u->active_from : "-",
                 u->active_to[0] ? u->active_to : "-");
}

int pw_cmd_unit_list(pw_cli *cli, int argc, char **argv)
{
    static const char *const hdr[] = {"ID", "NAME", "CATEGORY", "ACTIVE FROM", "ACTIVE TO"};
    static const pw_cli_list list = {"units", unit_row_json, 5, hdr, unit_row_add};
    return cmd_list(cli, argc, argv, "unit list [--json]", "/planwatch.v1.AdminService/ListUnits",
                    &planwatch__v1__list_units_response__descriptor, &list);
}
