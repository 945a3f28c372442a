/*
 * test_office.c - findings and supervision items over the real socket.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "common/status.h"
#include "planwatch/v1/office.pb-c.h"
#include "tests/support/harness.h"

static pw_test_server T;
static char office[80], li[80], wang[80];

static void setup(void)
{
    pw_test_server_start(&T, "2018-03-01T09:00:00+08:00");
    pw_test_add_counties(&T);
    pw_test_add_user_login(&T, "office", "office", NULL, "office111", office);
    pw_test_add_user_login(&T, "li", "reporter", "jishou", "reporter11", li);
    pw_test_add_user_login(&T, "wang", "reporter", "luxi", "reporter22", wang);
    /* a plan and a county sheet, as fixtures */
    pw_test_sql(&T, "INSERT INTO plans(id, name, first_year, last_year, imported_at) VALUES "
                    "('p', 'plan', 2018, 2020, 0);"
                    "INSERT INTO sheets(category, imported_at) VALUES ('county', 0);"
                    "INSERT INTO sheet_items VALUES "
                    "('county', 1, 'g', 'meetings', 2, 'manual', ''),"
                    "('county', 3, 'g', 'conference', 1, 'all_or_nothing', ''),"
                    "('county', 4, 'g', 'absences', 2, 'per_event', 'deduct=0.5'),"
                    "('county', 5, 'g', 'timeliness', 5, 'monthly_timeliness', 'deduct=0.5'),"
                    "('county', 11, 'g', 'funds', 4, 'per_amount', 'per=1000;award=0.5;cap=4'),"
                    "('county', 7, 'g', 'work', 86, 'work_performance', '');");
}

static void teardown(void)
{
    pw_test_server_stop(&T);
}

TestSuite(office, .init = setup, .fini = teardown, .timeout = 60);

static int add(const char *tok, const char *unit, const char *kind, int item, int has_points,
               double points, long long count, int has_amount, double amount, const char *note,
               char *msg)
{
    Planwatch__V1__Finding f = PLANWATCH__V1__FINDING__INIT;
    f.unit = (char *)unit;
    f.year = 2018;
    f.kind = (char *)kind;
    f.item = item;
    f.has_points = has_points;
    f.points = points;
    f.count = count;
    f.has_amount = has_amount;
    f.amount = amount;
    f.note = (char *)note;
    Planwatch__V1__AddFindingRequest r = PLANWATCH__V1__ADD_FINDING_REQUEST__INIT;
    r.finding = &f;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_test_call(&T, tok, "/planwatch.v1.FindingService/Add", &r.base,
                          &planwatch__v1__finding__descriptor, &resp, &res);
    if (msg)
        strcpy(msg, res.message);
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);
    return st;
}

Test(office, findings_are_checked_against_the_item_kind)
{
    char msg[1024];
    cr_assert_eq(add(office, "jishou", "item", 1, 1, 1.5, 0, 0, 0, "one meeting held", msg), PW_OK);
    cr_assert_eq(add(office, "jishou", "item", 1, 1, 2.5, 0, 0, 0, "too many", msg),
                 PW_INVALID_ARGUMENT);
    cr_assert(strstr(msg, "outside [0, 2]"), "%s", msg);
    cr_assert_eq(add(office, "jishou", "item", 3, 1, 0.5, 0, 0, 0, "half", msg),
                 PW_INVALID_ARGUMENT);
    cr_assert(strstr(msg, "must be 0 or 1"), "%s", msg);
    cr_assert_eq(add(office, "jishou", "item", 3, 1, 1, 0, 0, 0, "held", msg), PW_OK);
    cr_assert_eq(add(office, "jishou", "item", 4, 0, 0, 2, 0, 0, "two absences", msg), PW_OK);
    cr_assert_eq(add(office, "jishou", "item", 11, 0, 0, 0, 1, 2500, "2500 wan raised", msg),
                 PW_OK);
    cr_assert_eq(add(office, "jishou", "item", 5, 1, 1, 0, 0, 0, "manual timeliness", msg),
                 PW_INVALID_ARGUMENT);
    cr_assert(strstr(msg, "computed"), "%s", msg);
    cr_assert_eq(add(office, "jishou", "item", 9, 1, 1, 0, 0, 0, "no such item", msg),
                 PW_INVALID_ARGUMENT);
    cr_assert_eq(add(office, "jishou", "falsification", 0, 0, 0, 0, 0, 0, "", msg),
                 PW_INVALID_ARGUMENT, "note is mandatory");
    cr_assert_eq(add(office, "jishou", "falsification", 0, 0, 0, 0, 0, 0, "forged figures", msg),
                 PW_OK);
    cr_assert_eq(add(office, "jishou", "bonus", 0, 1, 2, 0, 0, 0, "national award", msg), PW_OK);
    cr_assert_eq(add(office, "nowhere", "bonus", 0, 1, 2, 0, 0, 0, "x", msg), PW_NOT_FOUND);
    cr_assert_eq(add(li, "jishou", "bonus", 0, 1, 2, 0, 0, 0, "self-award", msg),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM findings"), 6);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM audit WHERE object LIKE 'finding/%'"),
                 6);
}

Test(office, reporters_list_only_their_own_findings_and_removal_keeps_history)
{
    cr_assert_eq(add(office, "jishou", "penalty", 0, 1, 1, 0, 0, 0, "late plan", NULL), PW_OK);
    cr_assert_eq(add(office, "luxi", "penalty", 0, 1, 1, 0, 0, 0, "late plan", NULL), PW_OK);
    Planwatch__V1__ListFindingsRequest l = PLANWATCH__V1__LIST_FINDINGS_REQUEST__INIT;
    ProtobufCMessage *resp = pw_test_call_ok(&T, li, "/planwatch.v1.FindingService/List", &l.base,
                                             &planwatch__v1__list_findings_response__descriptor);
    Planwatch__V1__ListFindingsResponse *r = (Planwatch__V1__ListFindingsResponse *)resp;
    cr_assert_eq(r->n_findings, 1);
    cr_assert_str_eq(r->findings[0]->unit, "jishou");
    protobuf_c_message_free_unpacked(resp, NULL);
    l.unit = "luxi";
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.FindingService/List", &l.base),
                 PW_PERMISSION_DENIED);
    Planwatch__V1__RemoveFindingRequest rm = PLANWATCH__V1__REMOVE_FINDING_REQUEST__INIT;
    rm.id = 1;
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.FindingService/Remove", &rm.base),
                 PW_INVALID_ARGUMENT, "a removal needs a note");
    rm.note = "entered twice";
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.FindingService/Remove", &rm.base),
                 PW_OK);
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.FindingService/Remove", &rm.base),
                 PW_FAILED_PRECONDITION);
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM findings WHERE removed_at IS NOT NULL"),
                 1);
}

static int64_t open_item(const char *unit, const char *deadline)
{
    Planwatch__V1__OpenSupervisionRequest o = PLANWATCH__V1__OPEN_SUPERVISION_REQUEST__INIT;
    o.unit = (char *)unit;
    o.deadline = (char *)deadline;
    o.text = "路灯未按期完工";
    ProtobufCMessage *resp;
    pw_call_result res;
    cr_assert_eq(pw_test_call(&T, office, "/planwatch.v1.SuperviseService/Open", &o.base,
                              &planwatch__v1__supervision_item__descriptor, &resp, &res),
                 PW_OK, "%s", res.message);
    int64_t id = ((Planwatch__V1__SupervisionItem *)resp)->id;
    protobuf_c_message_free_unpacked(resp, NULL);
    return id;
}

static size_t list_count(const char *tok, int overdue)
{
    Planwatch__V1__ListSupervisionRequest l = PLANWATCH__V1__LIST_SUPERVISION_REQUEST__INIT;
    l.overdue_only = overdue;
    ProtobufCMessage *resp =
        pw_test_call_ok(&T, tok, "/planwatch.v1.SuperviseService/List", &l.base,
                        &planwatch__v1__list_supervision_response__descriptor);
    size_t n = ((Planwatch__V1__ListSupervisionResponse *)resp)->n_items;
    protobuf_c_message_free_unpacked(resp, NULL);
    return n;
}

Test(office, supervision_items_open_answer_close_and_overdue)
{
    int64_t a = open_item("jishou", "2018-03-10");
    open_item("luxi", "2018-03-31");
    cr_assert_eq(list_count(office, 0), 2);
    cr_assert_eq(list_count(li, 0), 1, "reporters see their own unit's items");
    cr_assert_eq(list_count(office, 1), 0);
    /* overdue from the end of the deadline day in UTC+08:00 */
    pw_test_set_clock(&T, "2018-03-10T23:59:59+08:00");
    /* sessions last 12 h of server time: log in again after the jump */
    pw_test_login(&T, "office", "office111", office);
    pw_test_login(&T, "li", "reporter11", li);
    pw_test_login(&T, "wang", "reporter22", wang);
    cr_assert_eq(list_count(office, 1), 0);
    pw_test_set_clock(&T, "2018-03-11T00:00:00+08:00");
    cr_assert_eq(list_count(office, 1), 1);
    /* the other unit's reporter cannot answer */
    Planwatch__V1__AnswerSupervisionRequest ans = PLANWATCH__V1__ANSWER_SUPERVISION_REQUEST__INIT;
    ans.id = a;
    ans.text = "施工队已进场";
    cr_assert_eq(pw_test_call_status(&T, wang, "/planwatch.v1.SuperviseService/Answer", &ans.base),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Answer", &ans.base),
                 PW_OK);
    Planwatch__V1__CloseSupervisionRequest cl = PLANWATCH__V1__CLOSE_SUPERVISION_REQUEST__INIT;
    cl.id = a;
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Close", &cl.base),
                 PW_PERMISSION_DENIED);
    cr_assert_eq(pw_test_call_status(&T, office, "/planwatch.v1.SuperviseService/Close", &cl.base),
                 PW_OK);
    cr_assert_eq(pw_test_call_status(&T, li, "/planwatch.v1.SuperviseService/Answer", &ans.base),
                 PW_FAILED_PRECONDITION, "closed items take no answers");
    cr_assert_eq(list_count(office, 1), 0, "closed items are not overdue");
    cr_assert_eq(pw_test_sql_int(&T, "SELECT count(*) FROM supervision_answers"), 1);
}
