/*
 * crash_client - one reporter submitting reports as fast as it can, for the
 * crash-safety test (tests/e2e/test_crash.sh).
 *
 *   crash_client URL USER PASSWORD PERIOD NVALUES ACKLOG STOPFILE
 *
 * Every submission has a unique submission id (USER-seq) and distinct
 * values; when a call gets no reply (the server was killed) the same id is
 * sent again after a reconnect, so that a submission stored just before the
 * kill is acknowledged by its duplicate receipt.  Each acknowledged
 * submission is appended to ACKLOG as "id value" only after its OK reply.
 * Stops when STOPFILE exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/call.h"
#include "common/status.h"
#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/report.pb-c.h"

static int login(pw_client *c, const char *user, const char *password, char *token)
{
    Planwatch__V1__LoginRequest req = PLANWATCH__V1__LOGIN_REQUEST__INIT;
    req.user = (char *)user;
    req.password = (char *)password;
    ProtobufCMessage *resp = NULL;
    pw_call_result res;
    int st = pw_client_call(c, "/planwatch.v1.AuthService/Login", NULL, 2000, &req.base,
                            &planwatch__v1__login_response__descriptor, &resp, &res);
    if (st == PW_OK)
        snprintf(token, 80, "%s", ((Planwatch__V1__LoginResponse *)resp)->token);
    if (resp)
        protobuf_c_message_free_unpacked(resp, NULL);
    pw_call_result_fini(&res);
    return st;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: crash_client URL USER PASSWORD PERIOD NVALUES ACKLOG STOPFILE\n");
        return 2;
    }
    const char *url = argv[1], *user = argv[2], *password = argv[3], *period = argv[4];
    int nvalues = atoi(argv[5]);
    FILE *ack = fopen(argv[6], "a");
    if (!ack || nvalues < 1 || nvalues > 50)
        return 2;
    char token[80] = "";
    pw_client *c = NULL;
    long seq = 0, acked = 0;
    int pending = 0;
    char id[64];
    while (access(argv[7], F_OK) != 0) {
        char err[256];
        if (!c && pw_client_open(url, NULL, &c, err, sizeof err) != 0) {
            c = NULL;
            usleep(50000);
            continue;
        }
        if (!token[0] && login(c, user, password, token) != PW_OK) {
            token[0] = '\0';
            pw_client_close(c);
            c = NULL;
            usleep(50000);
            continue;
        }
        if (!pending) {
            seq++;
            snprintf(id, sizeof id, "%s-%ld", user, seq);
            pending = 1;
        }
        /* values seq*100 + i: distinct per submission, known to the checker */
        Planwatch__V1__ReportValue vals[50], *vp[50];
        char text[50][32], ind[50][8];
        for (int i = 0; i < nvalues; i++) {
            planwatch__v1__report_value__init(&vals[i]);
            snprintf(ind[i], sizeof ind[i], "V%d", i + 1);
            snprintf(text[i], sizeof text[i], "%ld", seq * 100 + i);
            vals[i].indicator = ind[i];
            vals[i].value = text[i];
            vp[i] = &vals[i];
        }
        Planwatch__V1__SubmitReportRequest req = PLANWATCH__V1__SUBMIT_REPORT_REQUEST__INIT;
        req.period = (char *)period;
        req.submission_id = id;
        req.values = vp;
        req.n_values = (size_t)nvalues;
        ProtobufCMessage *resp = NULL;
        pw_call_result res;
        /* the receipt is not needed: no descriptor, nothing unpacked */
        int st = pw_client_call(c, "/planwatch.v1.ReportService/Submit", token, 2000, &req.base,
                                NULL, &resp, &res);
        if (st == PW_OK) {
            fprintf(ack, "%s %ld\n", id, seq * 100);
            fflush(ack);
            acked++;
            pending = 0;
        } else if (res.transport_failed || st == PW_UNAVAILABLE) {
            pw_client_close(c); /* reconnect, same id again */
            c = NULL;
            usleep(20000);
        } else if (st == PW_UNAUTHENTICATED) {
            token[0] = '\0';
        } else {
            fprintf(stderr, "crash_client %s: %s (%s)\n", user, res.message, pw_status_name(st));
            pw_call_result_fini(&res);
            return 1;
        }
        pw_call_result_fini(&res);
    }
    pw_client_close(c);
    fclose(ack);
    fprintf(stderr, "crash_client %s: %ld acknowledged\n", user, acked);
    return 0;
}
