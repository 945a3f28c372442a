/*
 * planwatch-admin - users and units, over RPC with an admin account.
 */
#include <locale.h>

#include "client/commands.h"

static const pw_cli_verb pw_admin_verbs[] = {
    {"user add", pw_cmd_user_add, "NAME --role ROLE [--unit ID] [--password-file FILE]",
     "create a user; roles admin|office|reporter|viewer; reporters belong to one unit"},
    {"user list", pw_cmd_user_list, "[--json]", "list users"},
    {"user disable", pw_cmd_user_disable, "NAME",
     "disable a user and revoke its sessions (not the last enabled admin)"},
    {"user enable", pw_cmd_user_enable, "NAME", "enable a disabled user again"},
    {"user unlock", pw_cmd_user_unlock, "NAME",
     "clear the login back-off of the sources that failed logging in as NAME"},
    {"user passwd", pw_cmd_user_passwd, "NAME [--password-file FILE]",
     "set a new password (FILE, - for stdin, else prompted twice)"},
    {"unit add", pw_cmd_unit_add,
     "ID --name NAME --category county|department [--active-from DATE] [--active-to DATE]",
     "create a reporting unit"},
    {"unit list", pw_cmd_unit_list, "[--json]", "list units"},
    {"login", pw_cmd_login, "[--user NAME]", "log in and cache the session token"},
    {"logout", pw_cmd_logout, "", "end the session"},
    {"whoami", pw_cmd_whoami, "[--json]", "show the signed-in user"},
};

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    return pw_cli_main("planwatch-admin", pw_admin_verbs,
                       sizeof pw_admin_verbs / sizeof pw_admin_verbs[0], argc, argv);
}
