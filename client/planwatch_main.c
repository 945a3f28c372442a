/*
 * planwatch - the client of reporters, the office and viewers.
 * One row per verb; the run functions live in cmd_<group>.c.
 */
#include <locale.h>

#include "client/commands.h"

static const pw_cli_verb pw_planwatch_verbs[] = {
    {"login", cmd_login, "[--user NAME]", "log in and cache the session token (0600 file)"},
    {"logout", cmd_logout, "", "end the session and forget the cached token"},
    {"whoami", cmd_whoami, "[--json]", "show the signed-in user and its unit"},
    {"ping", cmd_ping, "", "check that the server answers an authenticated call"},
};

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    return pw_cli_main("planwatch", pw_planwatch_verbs,
                       sizeof pw_planwatch_verbs / sizeof pw_planwatch_verbs[0], argc, argv);
}
