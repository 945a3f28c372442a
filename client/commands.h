/*
 * commands.h - the run functions of every CLI verb, one file per verb group
 * (cmd_<group>.c).  The verb tables live in planwatch_main.c and
 * admin_main.c.
 */
#ifndef PW_CLIENT_COMMANDS_H
#define PW_CLIENT_COMMANDS_H

#include "client/cli.h"

/* cmd_auth.c */
int pw_cmd_login(pw_cli *cli, int argc, char **argv);
int pw_cmd_logout(pw_cli *cli, int argc, char **argv);
int pw_cmd_whoami(pw_cli *cli, int argc, char **argv);
int pw_cmd_ping(pw_cli *cli, int argc, char **argv);

/* cmd_admin.c */
int pw_cmd_user_add(pw_cli *cli, int argc, char **argv);
int pw_cmd_user_list(pw_cli *cli, int argc, char **argv);
int pw_cmd_user_disable(pw_cli *cli, int argc, char **argv);
int pw_cmd_user_enable(pw_cli *cli, int argc, char **argv);
int pw_cmd_user_unlock(pw_cli *cli, int argc, char **argv);
int pw_cmd_user_passwd(pw_cli *cli, int argc, char **argv);
int pw_cmd_unit_add(pw_cli *cli, int argc, char **argv);
int pw_cmd_unit_list(pw_cli *cli, int argc, char **argv);

/* cmd_office.c */
int pw_cmd_finding_add(pw_cli *cli, int argc, char **argv);
int pw_cmd_finding_list(pw_cli *cli, int argc, char **argv);
int pw_cmd_finding_remove(pw_cli *cli, int argc, char **argv);
int pw_cmd_supervise_open(pw_cli *cli, int argc, char **argv);
int pw_cmd_supervise_answer(pw_cli *cli, int argc, char **argv);
int pw_cmd_supervise_close(pw_cli *cli, int argc, char **argv);
int pw_cmd_supervise_list(pw_cli *cli, int argc, char **argv);

/* cmd_plan.c */
int pw_cmd_plan_import(pw_cli *cli, int argc, char **argv);
int pw_cmd_plan_show(pw_cli *cli, int argc, char **argv);
int pw_cmd_plan_check(pw_cli *cli, int argc, char **argv);
int pw_cmd_plan_revise(pw_cli *cli, int argc, char **argv);
int pw_cmd_sheet_import(pw_cli *cli, int argc, char **argv);
int pw_cmd_sheet_show(pw_cli *cli, int argc, char **argv);

/* pw_cmd_dispatch.c */
int pw_cmd_dispatch(pw_cli *cli, int argc, char **argv);
int pw_cmd_scores(pw_cli *cli, int argc, char **argv);
int pw_cmd_scores_flag(pw_cli *cli, int argc, char **argv);
int pw_cmd_publish(pw_cli *cli, int argc, char **argv);

/* cmd_report.c */
int pw_cmd_report_template(pw_cli *cli, int argc, char **argv);
int pw_cmd_report_submit(pw_cli *cli, int argc, char **argv);
int pw_cmd_report_show(pw_cli *cli, int argc, char **argv);
int pw_cmd_report_history(pw_cli *cli, int argc, char **argv);
int pw_cmd_report_status(pw_cli *cli, int argc, char **argv);
int pw_cmd_report_accept(pw_cli *cli, int argc, char **argv);
int pw_cmd_report_return(pw_cli *cli, int argc, char **argv);
int pw_cmd_period_lock(pw_cli *cli, int argc, char **argv);
int pw_cmd_period_unlock(pw_cli *cli, int argc, char **argv);
int pw_cmd_period_deadline(pw_cli *cli, int argc, char **argv);
int pw_cmd_halfyear_submit(pw_cli *cli, int argc, char **argv);
int pw_cmd_halfyear_history(pw_cli *cli, int argc, char **argv);
int pw_cmd_audit(pw_cli *cli, int argc, char **argv);

#endif
