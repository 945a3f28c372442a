/*
 * cmd_auth.c - planwatch login | logout | whoami | ping.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "client/commands.h"
#include "planwatch/v1/account.pb-c.h"

static json_t *cmd_user_json(const Planwatch__V1__UserInfo *u)
{
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:b}", "user", u->name, "role", u->role, "unit",
                     u->unit[0] ? u->unit : NULL, "unit_name",
                     u->unit_name[0] ? u->unit_name : NULL, "category",
                     u->unit_category[0] ? u->unit_category : NULL, "enabled", u->enabled);
}

static void cmd_user_print(const Planwatch__V1__UserInfo *u)
{
    if (u->unit[0])
        printf("%s (%s) of %s %s [%s]\n", u->name, u->role, u->unit, u->unit_name,
               u->unit_category);
    else
        printf("%s (%s)\n", u->name, u->role);
}

int pw_cmd_login(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"user", required_argument, NULL, 'u'},
                                         {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if (ch == 'u')
            cli->user = optarg;
        else
            return pw_cli_usage(cli, "usage: %s login [--user NAME]", cli->prog);
    }
    if (optind < argc)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    if (!cli->user)
        return pw_cli_usage(cli, "login needs --user NAME (or PLANWATCH_USER)");
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_login(cli, &resp);
    if (rc)
        return rc;
    Planwatch__V1__LoginResponse *lr = (Planwatch__V1__LoginResponse *)resp;
    char err[512];
    if (pw_session_save(cli->server, lr->user->name, lr->token, err, sizeof err) != 0) {
        protobuf_c_message_free_unpacked(resp, NULL);
        return pw_cli_error(cli, PW_INTERNAL, PW_EXIT_USAGE, "%s", err);
    }
    printf("logged in as ");
    cmd_user_print(lr->user);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_logout(pw_cli *cli, int argc, char **argv)
{
    if (argc > 1)
        return pw_cli_usage(cli, "unexpected argument '%s'", argv[1]);
    int rc = pw_cli_call_empty(cli, "/planwatch.v1.AuthService/Logout",
                               &planwatch__v1__empty__descriptor, NULL);
    /* forget the local session whatever the server said */
    pw_session_clear(cli->server);
    if (rc == PW_EXIT_OK)
        printf("logged out\n");
    return rc;
}

int pw_cmd_whoami(pw_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    int json = 0, ch;
    while ((ch = pw_cli_getopt(argc, argv, "", opts)) != -1) {
        if (ch == 'j')
            json = 1;
        else
            return pw_cli_usage(cli, "usage: %s whoami [--json]", cli->prog);
    }
    ProtobufCMessage *resp = NULL;
    int rc = pw_cli_call_empty(cli, "/planwatch.v1.AuthService/WhoAmI",
                               &planwatch__v1__user_info__descriptor, &resp);
    if (rc)
        return rc;
    const Planwatch__V1__UserInfo *u = (const Planwatch__V1__UserInfo *)resp;
    if (json)
        pw_cli_print_json(cmd_user_json(u));
    else
        cmd_user_print(u);
    protobuf_c_message_free_unpacked(resp, NULL);
    return PW_EXIT_OK;
}

int pw_cmd_ping(pw_cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int rc = pw_cli_call_empty(cli, "/planwatch.v1.AuthService/Ping",
                               &planwatch__v1__empty__descriptor, NULL);
    if (!rc)
        printf("ok\n");
    return rc;
}
