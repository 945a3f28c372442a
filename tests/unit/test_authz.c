/*
 * test_authz.c - the authorization matrix: every method of the method table
 * x every role, plus no token, an expired token and a disabled user's
 * token, against an explicit table of who may call what (so that the test
 * does not merely read the method table back).  A method missing from the
 * expected table fails the test: a new method cannot skip it.  Then the
 * unit boundary: a reporter acting on another unit's data is refused.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/office.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "planwatch/v1/rpc.pb-c.h"
#include "server/rpc/methods.h"
#include "tests/support/harness.h"

/* A admin, O office, R reporter, V viewer, * anyone (no token needed).
 * SPEC 3.1: viewers read published summaries and rankings and nothing
 * else: no unit's raw report, history, status list, half-year report or
 * supervision list. */
static const struct {
    const char *method;
    const char *roles;
} expected[] = {
    {"/planwatch.v1.AuthService/Login", "*"},
    {"/planwatch.v1.AuthService/Logout", "AORV"},
    {"/planwatch.v1.AuthService/WhoAmI", "AORV"},
    {"/planwatch.v1.AuthService/Ping", "AORV"},
    {"/planwatch.v1.AdminService/AddUser", "A"},
    {"/planwatch.v1.AdminService/ListUsers", "AO"},
    {"/planwatch.v1.AdminService/DisableUser", "A"},
    {"/planwatch.v1.AdminService/EnableUser", "A"},
    {"/planwatch.v1.AdminService/UnlockUser", "A"},
    {"/planwatch.v1.AdminService/SetPassword", "A"},
    {"/planwatch.v1.AdminService/AddUnit", "A"},
    {"/planwatch.v1.AdminService/ListUnits", "AORV"},
    {"/planwatch.v1.PlanService/Import", "AO"},
    {"/planwatch.v1.PlanService/Show", "AORV"},
    {"/planwatch.v1.PlanService/Check", "AO"},
    {"/planwatch.v1.PlanService/Revise", "AO"},
    {"/planwatch.v1.SheetService/Import", "AO"},
    {"/planwatch.v1.SheetService/Show", "AORV"},
    {"/planwatch.v1.FindingService/Add", "O"},
    {"/planwatch.v1.FindingService/List", "AOR"},
    {"/planwatch.v1.FindingService/Remove", "O"},
    {"/planwatch.v1.SuperviseService/Open", "O"},
    {"/planwatch.v1.SuperviseService/Answer", "OR"},
    {"/planwatch.v1.SuperviseService/Close", "O"},
    {"/planwatch.v1.SuperviseService/List", "AOR"},
    {"/planwatch.v1.ReportService/Template", "AOR"},
    {"/planwatch.v1.ReportService/Submit", "R"},
    {"/planwatch.v1.ReportService/Show", "AOR"},
    {"/planwatch.v1.ReportService/History", "AOR"},
    {"/planwatch.v1.ReportService/Status", "AOR"},
    {"/planwatch.v1.ReportService/Accept", "O"},
    {"/planwatch.v1.ReportService/ReturnForRevision", "O"},
    {"/planwatch.v1.PeriodService/Lock", "O"},
    {"/planwatch.v1.PeriodService/Unlock", "O"},
    {"/planwatch.v1.PeriodService/Deadline", "O"},
    {"/planwatch.v1.HalfYearService/Submit", "R"},
    {"/planwatch.v1.HalfYearService/History", "AOR"},
    {"/planwatch.v1.AuditService/List", "AO"},
    {"/planwatch.v1.DispatchService/Get", "AORV"},
    {"/planwatch.v1.ScoreService/Get", "AORV"},
    {"/planwatch.v1.ScoreService/Flag", "O"},
    {"/planwatch.v1.PublishService/Publish", "O"},
    {"/planwatch.v1.PublishService/List", "AORV"},
};

static pw_test_server T;

static void setup(void)
{
    pw_test_server_start(&T, "2018-03-01T09:00:00+08:00");
    pw_test_add_counties(&T);
    pw_test_add_user(&T, "office", "office", NULL, "password1");
    pw_test_add_user(&T, "li", "reporter", "jishou", "password1");
    pw_test_add_user(&T, "wang", "reporter", "luxi", "password1");
    pw_test_add_user(&T, "viewer", "viewer", NULL, "password1");
    pw_test_add_user(&T, "gone", "office", NULL, "password1");
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(authz, .init = setup, .fini = teardown, .timeout = 120);

static const char *expected_roles(const char *method)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (strcmp(expected[i].method, method) == 0)
            return expected[i].roles;
    return NULL;
}

/* A cell that is let in must reach the handler and get an answer of its
 * own: OK, or the handler refusing the empty request.  INTERNAL,
 * UNIMPLEMENTED, UNKNOWN... are failures, not "allowed". */
static int handler_answer(int st)
{
    return st == PW_OK || st == PW_INVALID_ARGUMENT || st == PW_NOT_FOUND ||
           st == PW_FAILED_PRECONDITION || st == PW_OUT_OF_RANGE || st == PW_ALREADY_EXISTS;
}

static int call_empty(const char *token, const pw_method *m)
{
    ProtobufCMessage *req = calloc(1, m->request->sizeof_message);
    protobuf_c_message_init(m->request, req);
    int st = pw_test_call_status(&T, token, m->name, req);
    free(req);
    return st;
}

Test(authz, every_method_times_every_role)
{
    static const struct {
        char code;
        const char *user;
    } roles[] = {{'A', "root"}, {'O', "office"}, {'R', "li"}, {'V', "viewer"}};
    int cells = 0;
    for (size_t i = 0; i < pw_method_count; i++) {
        const pw_method *m = &pw_methods[i];
        const char *want = expected_roles(m->name);
        cr_assert(want, "%s is missing from the expected authorization table", m->name);
        for (size_t r = 0; r < 4; r++) {
            char tok[80];
            /* a fresh session per cell: Logout would end a shared one */
            pw_test_login(&T, roles[r].user, roles[r].user[0] == 'r' ? "rootpass1" : "password1",
                          tok);
            int st = call_empty(tok, m);
            int allowed = want[0] == '*' || strchr(want, roles[r].code) != NULL;
            if (allowed)
                cr_assert(handler_answer(st),
                          "%s as %c: %s, expected to be let in and answered by the handler",
                          m->name, roles[r].code, pw_status_name(st));
            else
                cr_assert_eq(st, PW_PERMISSION_DENIED, "%s as %c: %s, expected PERMISSION_DENIED",
                             m->name, roles[r].code, pw_status_name(st));
            cells++;
        }
        /* no token */
        int st = call_empty(NULL, m);
        if (want[0] == '*')
            cr_assert(handler_answer(st), "%s without a token: %s", m->name, pw_status_name(st));
        else
            cr_assert_eq(st, PW_UNAUTHENTICATED, "%s without a token: %s", m->name,
                         pw_status_name(st));
        cells++;
    }
    /* a disabled user's token */
    char gone[80];
    pw_test_login(&T, "gone", "password1", gone);
    Planwatch__V1__UserNameRequest d = PLANWATCH__V1__USER_NAME_REQUEST__INIT;
    d.name = "gone";
    cr_assert_eq(
        pw_test_call_status(&T, T.admin_token, "/planwatch.v1.AdminService/DisableUser", &d.base),
        PW_OK);
    for (size_t i = 0; i < pw_method_count; i++) {
        int st = call_empty(gone, &pw_methods[i]);
        if (expected_roles(pw_methods[i].name)[0] != '*')
            cr_assert_eq(st, PW_UNAUTHENTICATED, "%s with a disabled user's token",
                         pw_methods[i].name);
        cells++;
    }
    /* an expired token: the server clock moves past the 12 h session life */
    char old[80];
    pw_test_login(&T, "office", "password1", old);
    pw_test_set_clock(&T, "2018-03-02T09:00:01+08:00");
    for (size_t i = 0; i < pw_method_count; i++) {
        int st = call_empty(old, &pw_methods[i]);
        if (expected_roles(pw_methods[i].name)[0] != '*')
            cr_assert_eq(st, PW_UNAUTHENTICATED, "%s with an expired token", pw_methods[i].name);
        cells++;
    }
    printf("authorization matrix: %d cells checked over %zu methods\n", cells, pw_method_count);
}

Test(authz, a_reporter_cannot_act_on_another_unit)
{
    char li[80];
    pw_test_login(&T, "li", "password1", li);
    pw_test_sql(&T, "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
                    "('p', 'plan', 2018, 2018, 0);"
                    "INSERT INTO supervision_items(unit_id, text, deadline, opened_by, opened_at)"
                    " VALUES ('luxi', 'x', '2018-03-31', 'office', 0);");
    Planwatch__V1__ReportRequest rr = PLANWATCH__V1__REPORT_REQUEST__INIT;
    rr.period = "2018-02";
    rr.unit = "luxi";
    static const char *const report_methods[] = {
        "/planwatch.v1.ReportService/Show", "/planwatch.v1.ReportService/History",
        "/planwatch.v1.ReportService/Template", "/planwatch.v1.ReportService/Status"};
    for (size_t i = 0; i < sizeof report_methods / sizeof report_methods[0]; i++)
        cr_assert_eq(pw_test_call_status(&T, li, report_methods[i], &rr.base), PW_PERMISSION_DENIED,
                     "%s of luxi's report", report_methods[i]);
    Planwatch__V1__ListFindingsRequest lf = PLANWATCH__V1__LIST_FINDINGS_REQUEST__INIT;
    lf.unit = "luxi";
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.FindingService/List", &lf.base),
                 PW_PERMISSION_DENIED);
    Planwatch__V1__ListSupervisionRequest ls = PLANWATCH__V1__LIST_SUPERVISION_REQUEST__INIT;
    ls.unit = "luxi";
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/List", &ls.base),
                 PW_PERMISSION_DENIED);
    Planwatch__V1__AnswerSupervisionRequest an = PLANWATCH__V1__ANSWER_SUPERVISION_REQUEST__INIT;
    an.id = 1;
    an.text = "not mine";
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Answer", &an.base),
                 PW_PERMISSION_DENIED);
}
