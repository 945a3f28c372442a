/*
 * planwatch - the client of reporters, the office and viewers.
 * One row per verb; the run functions live in cmd_<group>.c.
 */
#include <locale.h>

#include "client/commands.h"

static const pw_cli_verb pw_planwatch_verbs[] = {
    {"login", pw_cmd_login, "[--user NAME]", "log in and cache the session token (0600 file)"},
    {"logout", pw_cmd_logout, "", "end the session and forget the cached token"},
    {"whoami", pw_cmd_whoami, "[--json]", "show the signed-in user and its unit"},
    {"ping", pw_cmd_ping, "", "check that the server answers an authenticated call"},
    {"plan import", pw_cmd_plan_import,
     "--plan ID --name NAME --indicators FILE.csv --targets FILE.csv [--due-day N] "
     "[--tz-offset MIN] [--cadence monthly|quarterly]",
     "office: load (or, while no report refers to it, replace) a plan from its CSV files"},
    {"plan revise", pw_cmd_plan_revise,
     "--plan ID --indicators FILE.csv --targets FILE.csv --effective YYYY-MM --reason TEXT",
     "office: refine a plan once reports exist; applies from the effective month on"},
    {"plan show", pw_cmd_plan_show,
     "[--plan ID] [--year YYYY] [--unit ID] [--as-of YYYY-MM] [--json]",
     "the indicator tree with targets (reporters: what their unit reports), as of a month"},
    {"plan check", pw_cmd_plan_check, "[--plan ID] [--year YYYY] [--json]",
     "office: reporters without a unit, units without a reporter, indicators without a lead, "
     "units with nothing to be judged on"},
    {"sheet import", pw_cmd_sheet_import,
     "FILE.csv --category county|department [--commend-top N] [--criticise-bottom N]",
     "office: load (replace) a 100-point score sheet and its flag settings (defaults 3 and 2; "
     "a re-import keeps them unless given)"},
    {"sheet show", pw_cmd_sheet_show, "--category county|department [--json]",
     "the score sheet of a unit category"},
    {"report template", pw_cmd_report_template,
     "--period YYYY-MM|YYYY-Qn [--out FILE.xlsx|FILE.csv] [--unit U]",
     "the workbook (.xlsx) or CSV (UTF-8 with BOM) your unit fills in, with targets and last "
     "month's values"},
    {"report submit", pw_cmd_report_submit,
     "--period YYYY-MM|YYYY-Qn FILE [NARRATIVE.md] [--id ID] [--progress T] [--problems T] "
     "[--next T]",
     "push a report (.xlsx, or CSV in UTF-8, UTF-16 or GB18030) and print the receipt with "
     "every normalised value; the same --id again stores nothing new"},
    {"report show", pw_cmd_report_show, "--period YYYY-MM|YYYY-Qn [--unit U] [--json]",
     "a unit's current report (reporters: their own)"},
    {"report history", pw_cmd_report_history,
     "--period YYYY-MM|YYYY-Qn [--unit U] [--page-size N] [--json]",
     "every version: who changed what and when"},
    {"report status", pw_cmd_report_status, "--period YYYY-MM|YYYY-Qn [--json]",
     "on time / late (days) / missing per unit, completeness and timeliness per category"},
    {"report accept", pw_cmd_report_accept, "--period YYYY-MM|YYYY-Qn --unit U",
     "office: accept a report"},
    {"report return", pw_cmd_report_return, "--period YYYY-MM|YYYY-Qn --unit U --reason TEXT",
     "office: send a report back to its unit with the reason"},
    {"period lock", pw_cmd_period_lock, "YYYY-MM|YYYY-Qn [--unit U] [--reason TEXT]",
     "office: no more amendments for the month"},
    {"period unlock", pw_cmd_period_unlock, "YYYY-MM|YYYY-Qn [--unit U] --reason TEXT",
     "office: reopen the month for one unit or all"},
    {"period deadline", pw_cmd_period_deadline,
     "YYYY-MM|YYYY-Qn --until YYYY-MM-DD [--unit U] --reason TEXT",
     "office: extend a period's report deadline for every unit or one (holidays); audited"},
    {"halfyear submit", pw_cmd_halfyear_submit, "--period YYYY-H1|YYYY-H2 FILE [--id ID]",
     "push the half-year supervision report (text or markdown)"},
    {"halfyear history", pw_cmd_halfyear_history, "--period YYYY-H1|YYYY-H2 [--unit U] [--json]",
     "every version of a unit's half-year report, with its timeliness"},
    {"audit", pw_cmd_audit, "[--since TIME] [--limit N] [--json]",
     "office and admin: the audit trail of every change"},
    {"finding add", pw_cmd_finding_add,
     "--unit ID --year YYYY --note TEXT (--item N (--points X | --count N | --amount A) | "
     "--falsification [--count N] | --bonus X | --penalty X)",
     "office: record an assessment finding that feeds the score sheet"},
    {"finding list", pw_cmd_finding_list, "[--unit ID] [--year YYYY] [--all] [--json]",
     "list findings (reporters: their own unit)"},
    {"finding remove", pw_cmd_finding_remove, "ID --note TEXT",
     "office: withdraw a finding (kept in history with the note)"},
    {"supervise open", pw_cmd_supervise_open, "--unit U --deadline YYYY-MM-DD TEXT",
     "office: assign a problem to a unit with a deadline for rectification"},
    {"supervise answer", pw_cmd_supervise_answer, "ID TEXT",
     "reporter: answer an item of your unit with progress"},
    {"supervise close", pw_cmd_supervise_close, "ID [--note TEXT]", "office: close an item"},
    {"supervise list", pw_cmd_supervise_list, "[--unit U] [--overdue] [--all] [--json]",
     "open items (--all: closed too); reporters see their own"},
    {"dispatch", pw_cmd_dispatch,
     "--period YYYY-MM|YYYY-Qn [--plan ID] [--version N] "
     "[--page-size -1|N [--page-token T]] "
     "[--json | --csv FILE | --html FILE | --xlsx FILE]",
     "the monthly or quarterly dispatch summary (调度通报): who is behind, timeliness, progress "
     "and lights, red items, overdue supervision items; CSV/HTML to FILE (- = stdout), XLSX to "
     "FILE; --page-size -1: without the unit x indicator appendix, N: only the appendix of N "
     "units from --page-token (the next_page_token printed by --json)"},
    {"scores flag", pw_cmd_scores_flag,
     "--period P --unit ID --commend|--criticise|--none --reason TEXT [--plan ID]",
     "office: the last word on a unit's flag for a period (audited, shown in the rankings)"},
    {"scores", pw_cmd_scores,
     "--period YYYY-MM|YYYY-Qn|YYYY [--plan ID] [--category C] [--explain UNIT] [--version N] "
     "[--json | --csv FILE | --html FILE | --xlsx FILE]",
     "scores and rankings per category (考核排名); --explain UNIT: where each point came from"},
    {"publish dispatch", pw_cmd_publish, "--period YYYY-MM|YYYY-Qn [--plan ID] [--reason TEXT]",
     "office: freeze and publish the dispatch summary of a month; again with --reason: a "
     "correction (version N+1), earlier versions stay readable"},
    {"publish scores", pw_cmd_publish, "--period YYYY-MM|YYYY-Qn|YYYY [--plan ID] [--reason TEXT]",
     "office: freeze and publish the scores and rankings of a period (corrections as above)"},
};

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    return pw_cli_main("planwatch", pw_planwatch_verbs,
                       sizeof pw_planwatch_verbs / sizeof pw_planwatch_verbs[0], argc, argv);
}
