/*
 * report.c - ReportService: template, submit (with every version kept),
 * show, history, status, review (accept / return).
 *
 * Design notes
 * - Submit validates everything on the worker's read connection first
 *   (assignments, previous values, lock, duplicate id), then stores the
 *   version with all its values in ONE pw_store_write; the lock and the
 *   submission id are checked again inside that write so that two racing
 *   calls cannot both pass.  A rejected report stores nothing.
 * - Timeliness is decided by the first submission (reports.first_received_at
 *   against reports.deadline, both fixed at that moment); amendments add
 *   versions and send a returned report back to the office.
 * - Status is computed by assess.c, the same code as the dispatch summary.
 * - Quarterly plans report quarters, stored under the quarter's last month
 *   (report_cadence), so reports, locks, dispatch and scores all key on
 *   YYYY-MM; pw_assess_unit_expected says which months expect a report.
 * - Replies stay bounded: at most REPORT_MAX_VIOLATIONS violations, and
 *   untrusted text is quoted as a short printable excerpt.
 */
#include "server/svc/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/period.h"
#include "common/report_value.h"
#include "common/text.h"
#include "planwatch/v1/report.pb-c.h"
#include "server/engine/report_check.h"
#include "server/rpc/metrics.h"
#include "server/store/assess.h"
#include "server/svc/dispatch.h"
#include "server/svc/plan.h"
#include "server/store/store_account.h"
#include "server/store/store_plan.h"
#include "server/store/store_deadline.h"
#include "server/store/state.h"
#include "server/store/store_report.h"

/* A printable excerpt of untrusted text for messages and field names. */
static const char *report_quote(pw_call *c, const char *s, size_t max_chars)
{
    char buf[320];
    pw_text_excerpt(buf, sizeof buf, s, strlen(s), max_chars);
    return pw_arena_strdup(c->arena, buf);
}

/* At most this many field violations in a reply, then one "..." line. */
#define REPORT_MAX_VIOLATIONS 100

/* What most calls start from: the plan, the period, the unit.
 *
 * The period of a report is a month for a monthly plan and a quarter for a
 * quarterly one (SPEC 3.3); a quarter's report is stored under its last
 * month (2018-Q1 -> "2018-03"), so `period_text` is always the YYYY-MM key of
 * the reports and period_locks tables and `month` its month.  A quarterly
 * plan takes --period 2018-Q1 or 2018-03; other months are refused. */
typedef struct report_ctx {
    pw_plan_row plan;
    pw_period period; /* month, quarter (quarterly plans) or half-year */
    int month;        /* the month of period_text; 0 for half-years */
    int first_month;  /* status of a quarter of a monthly plan: its first month; else month */
    char period_text[16];
    pw_unit_row unit; /* id NULL when no unit was named or implied */
} report_ctx;

#define REPORT_PERIOD_KINDS (PW_PERIOD_ALLOW_MONTH | PW_PERIOD_ALLOW_QUARTER)

/* Report status may cover a quarter of a monthly plan (its three months as
 * one, SPEC 3.4); nothing else may. */
#define REPORT_QUARTER_OF_MONTHS 0x100u

static int report_cadence(pw_call *c, report_ctx *x, unsigned kinds)
{
    if (x->period.kind != PW_PERIOD_MONTH && x->period.kind != PW_PERIOD_QUARTER)
        return PW_OK;
    int quarterly = x->plan.cadence && strcmp(x->plan.cadence, "quarterly") == 0;
    int y = x->period.year;
    if (!quarterly && x->period.kind == PW_PERIOD_QUARTER && (kinds & REPORT_QUARTER_OF_MONTHS)) {
        x->month = 3 * x->period.index;
        x->first_month = x->month - 2;
        return PW_OK; /* period_text stays YYYY-Qn */
    }
    if (!quarterly && x->period.kind == PW_PERIOD_QUARTER)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "plan %s reports monthly: give --period YYYY-MM, not %s", x->plan.id,
                            x->period_text);
    if (quarterly && x->period.kind == PW_PERIOD_MONTH) {
        int q = (x->period.index + 2) / 3;
        if (x->period.index % 3 != 0)
            return pw_call_fail(c, PW_INVALID_ARGUMENT,
                                "plan %s reports quarterly: give --period %d-Q%d (or its last "
                                "month %d-%02d), not %s",
                                x->plan.id, y, q, y, 3 * q, x->period_text);
        pw_period_make(PW_PERIOD_QUARTER, y, q, &x->period);
    }
    x->month = quarterly ? 3 * x->period.index : x->period.index;
    x->first_month = x->month;
    snprintf(x->period_text, sizeof x->period_text, "%04d-%02d", y, x->month);
    return PW_OK;
}

static int report_context(pw_call *c, const char *plan, const char *period, unsigned kinds,
                          const char *unit, int need_unit, report_ctx *x)
{
    memset(x, 0, sizeof *x);
    int st = pw_call_plan_period(c, plan, period, kinds & ~REPORT_QUARTER_OF_MONTHS, &x->plan,
                                 &x->period, x->period_text, sizeof x->period_text);
    if (st != PW_OK)
        return st;
    if ((st = report_cadence(c, x, kinds)) != PW_OK)
        return st;
    const char *u;
    if ((st = pw_call_resolve_unit(c, unit, &u)) != PW_OK)
        return st;
    if (!u[0]) {
        if (need_unit)
            return pw_call_fail(c, PW_INVALID_ARGUMENT, "name the unit with --unit ID");
        return PW_OK;
    }
    st = pw_store_unit_get(c->db, c->arena, u, &x->unit);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st, "unknown unit '%s'", report_quote(c, u, 64));
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read units");
    return PW_OK;
}

/* SPEC 3.1: viewers read published summaries and rankings, never a unit's
 * raw report, history, status list or half-year report.  The method table
 * already keeps them out; this is the handlers' own check. */
static int report_viewer_refused(pw_call *c)
{
    if (c->who.role & (PW_ROLES_STAFF | PW_ROLE_REPORTER))
        return PW_OK;
    return pw_call_fail(c, PW_PERMISSION_DENIED,
                        "viewers read published summaries and rankings only");
}

/* The context of a read request: refuses viewers, then report_context. */
static int report_read_context(pw_call *c, const Planwatch__V1__ReportRequest *r, unsigned kinds,
                               int need_unit, report_ctx *x)
{
    int st = report_viewer_refused(c);
    if (st != PW_OK)
        return st;
    return report_context(c, r->plan, r->period, kinds, r->unit, need_unit, x);
}

/* Has the period begun (local time of the plan)? */
static int report_period_started(const report_ctx *x, int64_t now)
{
    int first, last;
    pw_period_months(&x->period, &first, &last);
    pw_civil_time ct = {x->period.year, first, 1, 0, 0, 0};
    int64_t start;
    if (pw_time_from_civil(&ct, x->plan.tz_offset_min, &start) != 0)
        return 0;
    return now >= start;
}

/* Free text (progress, notes, reasons): pw_text_check, a violation naming
 * the field when it fails.  1 when acceptable, 0 when not. */
static int report_text_ok(pw_call *c, const char *field, const char *s, int64_t max)
{
    char why[160];
    if (pw_text_check(s, strlen(s), (size_t)max, 0, why, sizeof why) != 0) {
        pw_call_violation(c, field, "%s", why);
        return 0;
    }
    return 1;
}

/*
 * The deadline of x's period for `unit` ("" = every unit): the office's
 * extension when there is one (SPEC 3.3), else `stored` when not 0 (the one
 * fixed at the first submission), else the plan's own.  *ext (may be NULL)
 * receives the extension, until_date NULL when none.  PW_OK or PW_INTERNAL.
 */
static int report_deadline(pw_call *c, const report_ctx *x, const char *unit, int64_t stored,
                           int64_t *out, pw_deadline_row *ext)
{
    pw_deadline_row e;
    char key[16]; /* a quarter of a monthly plan: its last month's deadline */
    snprintf(key, sizeof key, "%s", x->period_text);
    if (x->month && x->first_month && x->first_month != x->month)
        snprintf(key, sizeof key, "%04d-%02d", x->period.year, x->month);
    int st = pw_store_deadline_get(c->db, c->arena, x->plan.id, key, unit ? unit : "", &e);
    if (ext) {
        memset(ext, 0, sizeof *ext);
        if (st == PW_OK)
            *ext = e;
    }
    if (st == PW_OK) {
        *out = e.until;
        return PW_OK;
    }
    if (st != PW_NOT_FOUND)
        return pw_call_fail(c, PW_INTERNAL, "cannot read deadline extensions");
    if (stored) {
        *out = stored;
        return PW_OK;
    }
    if (pw_period_deadline(&x->period, x->plan.due_day, x->plan.tz_offset_min, out) != 0)
        return pw_call_fail(c, PW_INTERNAL, "no deadline for %s", x->period_text);
    return PW_OK;
}

static const char *report_format_value(pw_arena *a, const pw_report_value_row *v)
{
    if (v->milestone && v->milestone[0])
        return v->milestone;
    if (!v->has_value)
        return "";
    return pw_arena_printf(a, "%.15g", v->value);
}

/* ---- assignments index ------------------------------------------------- */

typedef struct report_index {
    pw_assignment *a;
    size_t n;
    size_t *order; /* indices sorted by indicator id */
} report_index;

static void report_index_build(pw_arena *ar, report_index *ix)
{
    ix->order = pw_arena_alloc(ar, sizeof *ix->order * (ix->n ? ix->n : 1));
    for (size_t i = 0; i < ix->n; i++)
        ix->order[i] = i;
    /* qsort has no context argument: a shell sort of the indices by id */
    for (size_t gap = ix->n / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < ix->n; i++)
            for (size_t j = i; j >= gap && strcmp(ix->a[ix->order[j - gap]].indicator_id,
                                                  ix->a[ix->order[j]].indicator_id) > 0;
                 j -= gap) {
                size_t t = ix->order[j];
                ix->order[j] = ix->order[j - gap];
                ix->order[j - gap] = t;
            }
}

static long report_index_find(const report_index *ix, const char *id)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(ix->a[ix->order[mid]].indicator_id, id);
        if (cmp == 0)
            return (long)ix->order[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- Template ------------------------------------------------------------ */

int pw_svc_report_template(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ReportRequest *r = (const Planwatch__V1__ReportRequest *)req;
    report_ctx x;
    int st = report_context(c, r->plan, r->period, REPORT_PERIOD_KINDS, r->unit, 1, &x);
    if (st != PW_OK)
        return st;
    pw_assignment *as;
    size_t n;
    if (pw_store_plan_assignments(c->db, c->arena, x.plan.id, x.unit.id, x.period.year, x.month,
                                  &as, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the plan");
    pw_report_value_row *prev;
    size_t nprev;
    if (pw_store_report_previous_values(c->db, c->arena, x.plan.id, x.unit.id, x.period_text, &prev,
                                        &nprev) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read earlier reports");
    Planwatch__V1__TemplateResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__template_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = x.plan.tz_offset_min;
    out->plan = (char *)x.plan.id;
    out->period = pw_arena_strdup(c->arena, x.period_text);
    out->unit = (char *)x.unit.id;
    out->unit_name = (char *)x.unit.name;
    if ((st = report_deadline(c, &x, x.unit.id, 0, &out->deadline, NULL)) != PW_OK)
        return st;
    out->rows = pw_arena_alloc(c->arena, sizeof *out->rows * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__TemplateRow *row = pw_arena_alloc(c->arena, sizeof *row);
        planwatch__v1__template_row__init(row);
        row->indicator = (char *)as[i].indicator_id;
        row->name = (char *)as[i].level3;
        row->uom = (char *)as[i].uom;
        row->kind = (char *)as[i].kind;
        row->target = as[i].target;
        for (size_t k = 0; k < nprev; k++) /* newest first */
            if (strcmp(prev[k].indicator, as[i].indicator_id) == 0) {
                row->has_previous = 1;
                row->previous = (char *)report_format_value(c->arena, &prev[k]);
                break;
            }
        out->rows[out->n_rows++] = row;
    }
    *resp = &out->base;
    return PW_OK;
}

/* ---- Submit --------------------------------------------------------------- */

typedef struct report_submit_job {
    pw_call *c;
    const report_ctx *x;
    const Planwatch__V1__SubmitReportRequest *r;
    pw_report_value_row *values;
    size_t nvalues;
    int64_t deadline;
    int64_t bytes; /* what this version stores (report_version_bytes) */
    /* out */
    int duplicate, locked;
    int64_t report_id, first_received_at, stored_deadline;
    int version;
} report_submit_job;

/* The caps of a report and its unit (issue 10 item 3), checked inside the
 * write so that racing amendments cannot both pass: RESOURCE_EXHAUSTED with
 * the setting to raise, or PW_OK.  `version` is the one to be stored,
 * `report_bytes` what the report's earlier versions hold. */
static int report_check_caps(pw_call *c, pw_db *w, const char *unit, const char *period,
                             int version, int64_t report_bytes, int64_t bytes)
{
    const pw_server_config *cfg = c->config;
    if (version > cfg->max_report_versions)
        return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                            "the report of %s for %s already has %lld versions, the most allowed "
                            "(max-report-versions): ask the office",
                            unit, period, (long long)cfg->max_report_versions);
    if (report_bytes + bytes > cfg->max_report_bytes)
        return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                            "the report of %s for %s would hold %lld bytes, more than the %lld "
                            "allowed (max-report-bytes)",
                            unit, period, (long long)(report_bytes + bytes),
                            (long long)cfg->max_report_bytes);
    int64_t used;
    if (pw_store_unit_usage(w, unit, &used) != PW_OK)
        return PW_INTERNAL;
    if (used + bytes > cfg->max_unit_bytes)
        return pw_call_fail(c, PW_RESOURCE_EXHAUSTED,
                            "unit %s would store %lld bytes of reports, more than the %lld allowed "
                            "(max-unit-bytes)",
                            unit, (long long)(used + bytes), (long long)cfg->max_unit_bytes);
    return PW_OK;
}

/* Bytes one monthly version stores (the same sum as store_schema.c v2). */
static int64_t report_version_bytes(const report_submit_job *j)
{
    const Planwatch__V1__SubmitReportRequest *r = j->r;
    int64_t n = (int64_t)(strlen(r->progress) + strlen(r->problems) + strlen(r->next_steps) +
                          strlen(r->submission_id) + strlen(j->c->who.name));
    for (size_t i = 0; i < j->nvalues; i++)
        n += (int64_t)(strlen(j->values[i].indicator) + strlen(j->values[i].milestone) +
                       strlen(j->values[i].note) + 8);
    return n;
}

static int report_submit_write(pw_db *w, void *arg)
{
    report_submit_job *j = arg;
    pw_call *c = j->c;
    pw_submission_row dup;
    int st = pw_store_submission_find(w, c->arena, j->r->submission_id, &dup);
    if (st == PW_OK) {
        j->duplicate = 1; /* a racing twin got here first */
        return PW_OK;
    }
    if (st != PW_NOT_FOUND)
        return st;
    int locked;
    st = pw_store_period_locked(w, j->x->plan.id, j->x->period_text, j->x->unit.id, &locked);
    if (st != PW_OK)
        return st;
    if (locked) {
        j->locked = 1;
        return PW_FAILED_PRECONDITION;
    }
    pw_report_row rep;
    st = pw_store_report_get(w, c->arena, j->x->plan.id, j->x->unit.id, j->x->period_text, &rep);
    if (st == PW_OK || st == PW_NOT_FOUND) {
        int found = st == PW_OK;
        int cap =
            report_check_caps(c, w, j->x->unit.id, j->x->period_text,
                              found ? rep.current_version + 1 : 1, found ? rep.bytes : 0, j->bytes);
        if (cap != PW_OK)
            return cap;
    }
    if (st == PW_NOT_FOUND) {
        if ((st = pw_store_report_insert(w, j->x->plan.id, j->x->unit.id, j->x->period_text, c->now,
                                         j->deadline, &j->report_id)) != PW_OK)
            return st;
        j->version = 1;
        j->first_received_at = c->now;
        j->stored_deadline = j->deadline;
    } else if (st == PW_OK) {
        j->report_id = rep.id;
        j->version = rep.current_version + 1;
        j->first_received_at = rep.first_received_at;
        j->stored_deadline = rep.deadline;
        if ((st = pw_store_report_new_version(w, rep.id, j->version)) != PW_OK)
            return st;
    } else {
        return st;
    }
    pw_report_version_row v = {.version = j->version,
                               .submission_id = j->r->submission_id,
                               .user = c->who.name,
                               .received_at = c->now,
                               .progress = j->r->progress,
                               .problems = j->r->problems,
                               .next_steps = j->r->next_steps};
    if ((st = pw_store_report_version_insert(w, j->report_id, &v)) != PW_OK)
        return st;
    if ((st = pw_store_report_values_insert(w, j->report_id, j->version, j->values, j->nvalues)) !=
        PW_OK)
        return st;
    if ((st = pw_store_usage_add(w, j->report_id, j->x->unit.id, j->bytes)) != PW_OK)
        return st;
    if ((st = pw_store_state_apply(w, j->x->plan.id, j->x->unit.id, j->x->period_text, j->report_id,
                                   j->version, j->values, j->nvalues)) != PW_OK)
        return st;
    char obj[96];
    snprintf(obj, sizeof obj, "report/%s/%s", j->x->unit.id, j->x->period_text);
    return pw_call_audit(c, w, obj, "%s version %d with %zu values",
                         j->version == 1 ? "submitted" : "amended", j->version, j->nvalues);
}

/* The FieldViolation messages of v[0..n), NULL when n is 0. */
static Planwatch__V1__FieldViolation **report_field_violations(pw_call *c, const pw_violation *v,
                                                               int n)
{
    if (n <= 0)
        return NULL;
    Planwatch__V1__FieldViolation **out = pw_arena_alloc(c->arena, sizeof *out * (size_t)n);
    for (int i = 0; i < n; i++) {
        Planwatch__V1__FieldViolation *fv = pw_arena_alloc(c->arena, sizeof *fv);
        planwatch__v1__field_violation__init(fv);
        fv->field = (char *)v[i].field;
        fv->description = (char *)v[i].description;
        out[i] = fv;
    }
    return out;
}

static Planwatch__V1__Receipt *report_receipt(pw_call *c, int tz, const char *unit,
                                              const char *period, int64_t report_id, int version,
                                              int64_t received, int64_t first, int64_t deadline,
                                              int duplicate)
{
    Planwatch__V1__Receipt *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__receipt__init(out);
    out->report_id = report_id;
    out->version = version;
    out->received_at = received;
    out->first_received_at = first;
    out->deadline = deadline;
    int64_t late = pw_days_late(first, deadline);
    out->status = late > 0 ? "late" : "on_time";
    out->days_late = (int32_t)late;
    out->duplicate = duplicate;
    out->has_tz_offset_min = 1;
    out->tz_offset_min = tz;
    out->unit = pw_arena_strdup(c->arena, unit);
    out->period = pw_arena_strdup(c->arena, period);
    /* warnings travel in the receipt, not as errors */
    out->warnings = report_field_violations(c, c->violations, c->nviolations);
    out->n_warnings = (size_t)c->nviolations;
    c->nviolations = 0;
    return out;
}

/* The receipt of an already stored submission id (idempotent resend). */
static int report_duplicate_receipt(pw_call *c, const report_ctx *x, const char *sid,
                                    ProtobufCMessage **resp)
{
    pw_submission_row dup;
    int st = pw_store_submission_find(c->db, c->arena, sid, &dup);
    if (st != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read submission %s", sid);
    if (dup.halfyear || strcmp(dup.unit, x->unit.id) != 0 ||
        strcmp(dup.period, x->period_text) != 0)
        return pw_call_fail(c, PW_ALREADY_EXISTS,
                            "submission id %.64s was already used for another report", sid);
    pw_report_row rep;
    if (pw_store_report_get(c->db, c->arena, x->plan.id, x->unit.id, x->period_text, &rep) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read report");
    pw_report_version_row *vs;
    size_t nv;
    if (pw_store_report_versions_range(c->db, c->arena, rep.id, dup.version, 1, &vs, &nv) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read report versions");
    int64_t received = 0;
    for (size_t i = 0; i < nv; i++)
        if (vs[i].version == dup.version)
            received = vs[i].received_at;
    int64_t deadline;
    if ((st = report_deadline(c, x, x->unit.id, rep.deadline, &deadline, NULL)) != PW_OK)
        return st;
    *resp = &report_receipt(c, x->plan.tz_offset_min, x->unit.id, x->period_text, rep.id,
                            dup.version, received, rep.first_received_at, deadline, 1)
                 ->base;
    return PW_OK;
}

static int report_valid_submission_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.' || ch == ':'))
            return 0;
    }
    return 1;
}

/* The checks before the values: the submission id (a resend gets its first
 * receipt: *answered = 1), the period has begun, the unit is expected to
 * report, the period is not locked, the number of values.  PW_OK to go on. */
static int report_submit_admit(pw_call *c, const report_ctx *x,
                               const Planwatch__V1__SubmitReportRequest *r, ProtobufCMessage **resp,
                               int *answered)
{
    const pw_server_config *cfg = c->config;
    *answered = 0;
    if (!report_valid_submission_id(r->submission_id))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "submission id must be 1-64 of A-Z a-z 0-9 - _ . :");
    pw_submission_row dup;
    int st = pw_store_submission_find(c->db, c->arena, r->submission_id, &dup);
    if (st == PW_OK) {
        *answered = 1;
        return report_duplicate_receipt(c, x, r->submission_id, resp);
    }
    if (st != PW_NOT_FOUND)
        return pw_call_fail(c, PW_INTERNAL, "cannot read submissions");
    if (!report_period_started(x, c->now))
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "period %s is in the future", x->period_text);
    if (!pw_assess_unit_expected(&x->plan, &x->unit, x->period.year, x->month))
        return pw_call_fail(c, PW_FAILED_PRECONDITION,
                            "unit %s is not active in %s: no report is expected", x->unit.id,
                            x->period_text);
    int locked;
    if (pw_store_period_locked(c->db, x->plan.id, x->period_text, x->unit.id, &locked) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the locks of %s", x->period_text);
    if (locked)
        return pw_call_fail(c, PW_FAILED_PRECONDITION,
                            "period %s is locked for %s: ask the office to unlock it",
                            x->period_text, x->unit.id);
    if ((int64_t)r->n_values > cfg->max_values_per_report)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%zu values, more than the %lld allowed",
                            r->n_values, (long long)cfg->max_values_per_report);
    return PW_OK;
}

/* The newest value of an indicator in the year's earlier months. */
typedef struct report_prev {
    int has, has_value; /* has_value 0: a milestone state */
    double value;
} report_prev;

/* The values of one submission as they are checked. */
typedef struct report_values {
    report_index ix;           /* the unit's assignments */
    report_prev *prev;         /* prev[k]: assignment k's newest earlier value */
    pw_report_value_row *vals; /* the values to store */
    size_t nvals;
    unsigned char *seen; /* seen[k]: assignment k has a value */
    pw_violation *warn;  /* warnings, moved into the receipt */
    int nwarn;
    pw_violation *norm; /* normalisations, listed in the receipt */
    int nnorm;
    int errors;
} report_values;

/* Check one value (pw_report_check_value) and keep it, or add a violation
 * and count an error.  PW_OK, or PW_INTERNAL when the plan cannot be read. */
static int report_submit_value(pw_call *c, const report_ctx *x, const Planwatch__V1__ReportValue *v,
                               report_values *rv)
{
    const char *id = v->indicator;
    long k = report_index_find(&rv->ix, id);
    if (k < 0 || rv->seen[k]) {
        const char *at =
            v->origin[0] ? pw_arena_printf(c->arena, " (%s)", report_quote(c, v->origin, 24)) : "";
        int known = 0;
        rv->errors++;
        if (k >= 0) {
            pw_call_violation(c, id, "given more than once%s", at);
            return PW_OK;
        }
        const char *field = id[0] ? report_quote(c, id, 64) : "(empty)";
        if (pw_store_indicator_exists(c->db, x->plan.id, id, &known) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read the plan");
        if (known)
            pw_call_violation(c, field, "indicator not assigned to unit %s in %s%s", x->unit.id,
                              x->period_text, at);
        else
            pw_call_violation(c, field, "unknown indicator%s", at);
        return PW_OK;
    }
    rv->seen[k] = 1;
    const pw_assignment *as = &rv->ix.a[k];
    pw_report_check_in in = {.kind = as->kind,
                             .uom = as->uom,
                             .value = v->value,
                             .note = v->note,
                             .origin = v->origin,
                             .max_note_bytes = (size_t)c->config->max_text_bytes};
    in.has_prev = rv->prev[k].has;
    in.prev_has_value = rv->prev[k].has_value;
    in.prev_value = rv->prev[k].value;
    pw_report_check_out out;
    if (pw_report_check_value(c->arena, &in, &out) != 0) {
        pw_call_violation(c, id, "%s", out.error);
        rv->errors++;
        return PW_OK;
    }
    if (out.normalised)
        rv->norm[rv->nnorm++] = (pw_violation){as->indicator_id, out.normalised};
    for (int w = 0; w < out.nwarnings; w++)
        rv->warn[rv->nwarn++] = (pw_violation){as->indicator_id, out.warnings[w]};
    pw_report_value_row *row = &rv->vals[rv->nvals++];
    memset(row, 0, sizeof *row);
    row->indicator = as->indicator_id;
    row->note = v->note;
    row->milestone = out.is_state ? out.state : "";
    row->has_value = !out.is_state;
    row->value = out.is_state ? 0 : out.value;
    return PW_OK;
}

static int report_state_ind_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const pw_state_ind *)e)->id);
}

/* rv->prev: the newest value of each assignment in the months of the year
 * before this one, read from the unit-year's state (one row, the current
 * versions of the earlier reports: test_state holds it equal to them;
 * reading the report versions instead took 2,200 rows for a December
 * report).  PW_OK or PW_INTERNAL. */
static int report_previous(pw_call *c, const report_ctx *x, report_values *rv)
{
    pw_state_series s;
    if (pw_store_state_get(c->db, c->arena, x->plan.id, x->unit.id, x->period.year, &s) != PW_OK)
        return PW_INTERNAL;
    rv->prev = pw_arena_alloc(c->arena, sizeof *rv->prev * (rv->ix.n ? rv->ix.n : 1));
    unsigned before = x->month >= 1 && x->month <= 12 ? (1u << x->month) - 1 : 0;
    for (size_t k = 0; k < rv->ix.n && s.n; k++) {
        const pw_state_ind *e =
            bsearch(rv->ix.a[k].indicator_id, s.ind, s.n, sizeof *s.ind, report_state_ind_cmp);
        unsigned m = e ? e->mask & before : 0;
        if (!m)
            continue;
        int last = 31 - __builtin_clz(m);
        rv->prev[k].has = 1;
        rv->prev[k].has_value = e->milestone[last] < 0;
        rv->prev[k].value = e->value[last];
    }
    return PW_OK;
}

/* Load what the values are checked against; a report without values is
 * checked here (pw_report_check_empty).  PW_OK or a failed call. */
static int report_submit_load(pw_call *c, const report_ctx *x,
                              const Planwatch__V1__SubmitReportRequest *r, report_values *rv)
{
    memset(rv, 0, sizeof *rv);
    if (pw_store_plan_assignments(c->db, c->arena, x->plan.id, x->unit.id, x->period.year, x->month,
                                  &rv->ix.a, &rv->ix.n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the plan");
    if (r->n_values == 0) {
        size_t numeric = 0;
        for (size_t k = 0; k < rv->ix.n; k++)
            numeric += !pw_plan_kind_is_state(rv->ix.a[k].kind);
        int narrative = r->progress[0] || r->problems[0] || r->next_steps[0];
        char why[300];
        if (pw_report_check_empty(numeric, narrative, x->unit.id, x->period_text, why,
                                  sizeof why) != 0)
            return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s", why);
    }
    report_index_build(c->arena, &rv->ix);
    if (report_previous(c, x, rv) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read earlier reports");
    size_t n = r->n_values;
    rv->vals = pw_arena_alloc(c->arena, sizeof *rv->vals * n);
    rv->seen = pw_arena_alloc(c->arena, rv->ix.n ? rv->ix.n : 1);
    rv->warn = pw_arena_alloc(c->arena, sizeof *rv->warn * PW_REPORT_CHECK_MAX_WARNINGS * n);
    rv->norm = pw_arena_alloc(c->arena, sizeof *rv->norm * n);
    return PW_OK;
}

/* Check the texts and every value: PW_OK with the warnings as the call's
 * violations (for the receipt), or INVALID_ARGUMENT listing the problems. */
static int report_submit_check(pw_call *c, const report_ctx *x,
                               const Planwatch__V1__SubmitReportRequest *r, report_values *rv)
{
    int st = report_submit_load(c, x, r, rv);
    if (st != PW_OK)
        return st;
    int64_t max = c->config->max_text_bytes;
    rv->errors += !report_text_ok(c, "progress", r->progress, max);
    rv->errors += !report_text_ok(c, "problems", r->problems, max);
    rv->errors += !report_text_ok(c, "next_steps", r->next_steps, max);
    for (size_t i = 0; i < r->n_values; i++)
        if ((st = report_submit_value(c, x, r->values[i], rv)) != PW_OK)
            return st;
    if (c->nviolations > REPORT_MAX_VIOLATIONS) {
        int more = c->nviolations - REPORT_MAX_VIOLATIONS;
        c->nviolations = REPORT_MAX_VIOLATIONS;
        pw_call_violation(c, "...", "%d more problems not listed", more);
    }
    if (rv->errors)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "report rejected: %d problem%s, nothing stored",
                            rv->errors, rv->errors == 1 ? "" : "s");
    size_t missing = 0;
    for (size_t k = 0; k < rv->ix.n; k++)
        missing += !rv->seen[k];
    c->nviolations = 0;
    for (int i = 0; i < rv->nwarn; i++)
        pw_call_violation(c, rv->warn[i].field, "%s", rv->warn[i].description);
    if (missing)
        pw_call_violation(c, "values", "%zu of the unit's %zu indicators have no value", missing,
                          rv->ix.n);
    return PW_OK;
}

int pw_svc_report_submit(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__SubmitReportRequest *r = (const Planwatch__V1__SubmitReportRequest *)req;
    report_ctx x;
    int st = report_context(c, r->plan, r->period, REPORT_PERIOD_KINDS, r->unit, 1, &x);
    if (st != PW_OK)
        return st;
    int answered;
    if ((st = report_submit_admit(c, &x, r, resp, &answered)) != PW_OK || answered)
        return st;
    report_values rv;
    if ((st = report_submit_check(c, &x, r, &rv)) != PW_OK)
        return st;
    report_submit_job j = {.c = c, .x = &x, .r = r, .values = rv.vals, .nvalues = rv.nvals};
    j.bytes = report_version_bytes(&j);
    pw_deadline_row ext; /* read once: the receipt's deadline comes from it too */
    if ((st = report_deadline(c, &x, x.unit.id, 0, &j.deadline, &ext)) != PW_OK)
        return st;
    st = pw_store_write(c->store, c->deadline_us, report_submit_write, &j);
    if (j.locked)
        return pw_call_fail(c, PW_FAILED_PRECONDITION, "period %s is locked for %s", x.period_text,
                            x.unit.id);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot store the report");
    if (j.duplicate)
        return report_duplicate_receipt(c, &x, r->submission_id, resp);
    pw_metrics_report_received(x.period_text);
    /* an extension wins over the deadline fixed by the first submission */
    int64_t deadline = ext.plan ? ext.until : j.stored_deadline;
    Planwatch__V1__Receipt *rcpt =
        report_receipt(c, x.plan.tz_offset_min, x.unit.id, x.period_text, j.report_id, j.version,
                       c->now, j.first_received_at, deadline, 0);
    rcpt->normalised = report_field_violations(c, rv.norm, rv.nnorm);
    rcpt->n_normalised = (size_t)rv.nnorm;
    *resp = &rcpt->base;
    return PW_OK;
}

/* ---- Show / History ---------------------------------------------------------- */

static int report_load(pw_call *c, const Planwatch__V1__ReportRequest *r, report_ctx *x,
                       pw_report_row *rep)
{
    int st = report_read_context(c, r, REPORT_PERIOD_KINDS, 1, x);
    if (st != PW_OK)
        return st;
    st = pw_store_report_get(c->db, c->arena, x->plan.id, x->unit.id, x->period_text, rep);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st, "%s has no report for %s", x->unit.id, x->period_text);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read reports");
    return PW_OK;
}

static Planwatch__V1__ReportValue **report_values_msg(pw_call *c, const pw_report_value_row *v,
                                                      size_t n, const report_index *ix)
{
    Planwatch__V1__ReportValue **out = pw_arena_alloc(c->arena, sizeof *out * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__ReportValue *m = pw_arena_alloc(c->arena, sizeof *m);
        planwatch__v1__report_value__init(m);
        m->indicator = (char *)v[i].indicator;
        m->value = (char *)report_format_value(c->arena, &v[i]);
        m->note = (char *)v[i].note;
        long k = ix ? report_index_find(ix, v[i].indicator) : -1;
        if (k >= 0) {
            m->name = (char *)ix->a[k].level3;
            m->uom = (char *)ix->a[k].uom;
            m->target = ix->a[k].target;
            m->kind = (char *)ix->a[k].kind;
        }
        out[i] = m;
    }
    return out;
}

static int report_shown(pw_call *c, const report_ctx *x, const pw_report_row *rep,
                        ProtobufCMessage **resp)
{
    pw_report_version_row *vs;
    size_t nv;
    pw_report_value_row *vals;
    size_t nvals;
    report_index ix = {0};
    /* the current version only: a reply holds one version's texts */
    if (pw_store_report_versions_range(c->db, c->arena, rep->id, rep->current_version, 1, &vs,
                                       &nv) != PW_OK ||
        nv == 0 ||
        pw_store_report_values(c->db, c->arena, rep->id, rep->current_version, &vals, &nvals) !=
            PW_OK ||
        pw_store_plan_assignments(c->db, c->arena, x->plan.id, x->unit.id, x->period.year, x->month,
                                  &ix.a, &ix.n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the report");
    report_index_build(c->arena, &ix);
    const pw_report_version_row *cur = &vs[nv - 1];
    Planwatch__V1__ReportShown *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__report_shown__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = x->plan.tz_offset_min;
    out->report_id = rep->id;
    out->unit = (char *)x->unit.id;
    out->unit_name = (char *)x->unit.name;
    out->period = pw_arena_strdup(c->arena, x->period_text);
    out->version = rep->current_version;
    out->state = (char *)rep->state;
    out->review_note = (char *)rep->review_note;
    out->first_received_at = rep->first_received_at;
    out->received_at = cur->received_at;
    int st = report_deadline(c, x, x->unit.id, rep->deadline, &out->deadline, NULL);
    if (st != PW_OK)
        return st;
    int64_t late = pw_days_late(rep->first_received_at, out->deadline);
    out->status = late > 0 ? "late" : "on_time";
    out->days_late = (int32_t)late;
    out->progress = (char *)cur->progress;
    out->problems = (char *)cur->problems;
    out->next_steps = (char *)cur->next_steps;
    out->submitted_by = (char *)cur->user;
    out->values = report_values_msg(c, vals, nvals, &ix);
    out->n_values = nvals;
    int locked;
    if (pw_store_period_locked(c->db, x->plan.id, x->period_text, x->unit.id, &locked) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the locks of %s", x->period_text);
    out->locked = locked;
    *resp = &out->base;
    return PW_OK;
}

int pw_svc_report_show(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    report_ctx x;
    pw_report_row rep;
    int st = report_load(c, (const Planwatch__V1__ReportRequest *)req, &x, &rep);
    return st == PW_OK ? report_shown(c, &x, &rep, resp) : st;
}

/* History pages: REPORT_HISTORY_PAGE versions unless the request asks for
 * fewer, never more than REPORT_HISTORY_MAX_PAGE, and a page ends early
 * once it holds max-reply-bytes (it always holds one version: a version is
 * at most one request's size).  The token is the next version's number. */
#define REPORT_HISTORY_PAGE 20
#define REPORT_HISTORY_MAX_PAGE 100

/* Page size and first version of a history request (see above). */
static int report_history_page(pw_call *c, const Planwatch__V1__ReportRequest *r,
                               const pw_report_row *rep, int *page, int *from)
{
    if (r->page_size < 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "page_size %d is negative", r->page_size);
    *page = r->page_size == 0                        ? REPORT_HISTORY_PAGE
            : r->page_size > REPORT_HISTORY_MAX_PAGE ? REPORT_HISTORY_MAX_PAGE
                                                     : r->page_size;
    *from = 1;
    if (r->page_token[0]) {
        char *end;
        errno = 0;
        long v = strtol(r->page_token, &end, 10);
        if (errno || *end || v < 1 || v > rep->current_version)
            return pw_call_fail(c, PW_INVALID_ARGUMENT,
                                "page_token '%s' is not one of this history's pages",
                                report_quote(c, r->page_token, 24));
        *from = (int)v;
    }
    return PW_OK;
}

/* What a version costs in a reply, for the max-reply-bytes budget. */
static int64_t report_version_reply_bytes(const pw_report_version_row *v,
                                          const pw_report_value_row *vals, size_t nvals)
{
    int64_t size =
        (int64_t)(strlen(v->progress) + strlen(v->problems) + strlen(v->next_steps) + 128);
    for (size_t k = 0; k < nvals; k++)
        size += (int64_t)(2 * strlen(vals[k].indicator) + strlen(vals[k].note) + 64);
    return size;
}

static Planwatch__V1__ReportVersion *report_version_msg(pw_call *c, const pw_report_version_row *v,
                                                        pw_report_value_row *vals, size_t nvals)
{
    Planwatch__V1__ReportVersion *m = pw_arena_alloc(c->arena, sizeof *m);
    planwatch__v1__report_version__init(m);
    m->version = v->version;
    m->submission_id = (char *)v->submission_id;
    m->user = (char *)v->user;
    m->received_at = v->received_at;
    m->progress = (char *)v->progress;
    m->problems = (char *)v->problems;
    m->next_steps = (char *)v->next_steps;
    m->values = report_values_msg(c, vals, nvals, NULL);
    m->n_values = nvals;
    return m;
}

/* m->changes: what changed from version pv (values before[0..nbefore)) to
 * cur (values vals[0..nvals)); pv NULL for the first submission. */
static void report_version_changes(pw_call *c, Planwatch__V1__ReportVersion *m,
                                   const pw_report_version_row *pv,
                                   const pw_report_value_row *before, size_t nbefore,
                                   const pw_report_version_row *cur,
                                   const pw_report_value_row *vals, size_t nvals)
{
    size_t cap = nvals + nbefore + 3;
    m->changes = pw_arena_alloc(c->arena, sizeof *m->changes * cap);
    if (!pv) {
        m->changes[m->n_changes++] =
            pw_arena_printf(c->arena, "first submission with %zu values", nvals);
        return;
    }
    for (size_t a = 0; a < nvals; a++) {
        const char *now = report_format_value(c->arena, &vals[a]);
        const char *was = NULL;
        for (size_t b = 0; b < nbefore; b++)
            if (strcmp(before[b].indicator, vals[a].indicator) == 0)
                was = report_format_value(c->arena, &before[b]);
        if (!was)
            m->changes[m->n_changes++] =
                pw_arena_printf(c->arena, "%s: added %s", vals[a].indicator, now);
        else if (strcmp(was, now) != 0)
            m->changes[m->n_changes++] =
                pw_arena_printf(c->arena, "%s: %s -> %s", vals[a].indicator, was, now);
    }
    for (size_t b = 0; b < nbefore; b++) {
        int kept = 0;
        for (size_t a = 0; a < nvals && !kept; a++)
            kept = strcmp(before[b].indicator, vals[a].indicator) == 0;
        if (!kept)
            m->changes[m->n_changes++] =
                pw_arena_printf(c->arena, "%s: removed (was %s)", before[b].indicator,
                                report_format_value(c->arena, &before[b]));
    }
    if (strcmp(pv->progress, cur->progress) != 0)
        m->changes[m->n_changes++] = "progress text changed";
    if (strcmp(pv->problems, cur->problems) != 0)
        m->changes[m->n_changes++] = "problems text changed";
    if (strcmp(pv->next_steps, cur->next_steps) != 0)
        m->changes[m->n_changes++] = "next steps text changed";
}

int pw_svc_report_history(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ReportRequest *r = (const Planwatch__V1__ReportRequest *)req;
    report_ctx x;
    pw_report_row rep;
    int st = report_load(c, r, &x, &rep);
    if (st != PW_OK)
        return st;
    int page = REPORT_HISTORY_PAGE, from = 1;
    if ((st = report_history_page(c, r, &rep, &page, &from)) != PW_OK)
        return st;
    /* the page's versions, and the one before it to tell what changed */
    pw_report_version_row *vs;
    size_t nv;
    int first = from > 1 ? from - 1 : 1;
    if (pw_store_report_versions_range(c->db, c->arena, rep.id, first, page + (from > 1), &vs,
                                       &nv) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read versions");
    Planwatch__V1__HistoryResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__history_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = x.plan.tz_offset_min;
    out->unit = (char *)x.unit.id;
    out->period = pw_arena_strdup(c->arena, x.period_text);
    out->total_versions = rep.current_version;
    out->versions = pw_arena_alloc(c->arena, sizeof *out->versions * (nv ? nv : 1));
    pw_report_value_row *before = NULL;
    size_t nbefore = 0;
    const pw_report_version_row *pv = NULL;
    int64_t budget = c->config->max_reply_bytes, used = 0;
    for (size_t i = 0; i < nv; i++) {
        pw_report_value_row *vals;
        size_t nvals;
        if (pw_store_report_values(c->db, c->arena, rep.id, vs[i].version, &vals, &nvals) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read values");
        if (vs[i].version < from) { /* the version before the page: context only */
            before = vals;
            nbefore = nvals;
            pv = &vs[i];
            continue;
        }
        int64_t size = report_version_reply_bytes(&vs[i], vals, nvals);
        if (out->n_versions > 0 && used + size > budget) {
            out->next_page_token = pw_arena_printf(c->arena, "%d", vs[i].version);
            break;
        }
        used += size;
        Planwatch__V1__ReportVersion *m = report_version_msg(c, &vs[i], vals, nvals);
        report_version_changes(c, m, pv, before, nbefore, &vs[i], vals, nvals);
        out->versions[out->n_versions++] = m;
        before = vals;
        nbefore = nvals;
        pv = &vs[i];
    }
    if (!out->next_page_token[0] && out->n_versions > 0) {
        int last = out->versions[out->n_versions - 1]->version;
        if (last < rep.current_version)
            out->next_page_token = pw_arena_printf(c->arena, "%d", last + 1);
    }
    *resp = &out->base;
    return PW_OK;
}

/* ---- Status ----------------------------------------------------------------- */

int pw_svc_report_status(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ReportRequest *r = (const Planwatch__V1__ReportRequest *)req;
    report_ctx x;
    int st = report_read_context(c, r, REPORT_PERIOD_KINDS | REPORT_QUARTER_OF_MONTHS, 0, &x);
    if (st != PW_OK)
        return st;
    pw_assess as;
    if ((st = pw_assess_load(c->db, c->arena, &x.plan, x.period.year, x.month, c->now, "",
                             PW_ASSESS_NO_VALUES, &as)) != PW_OK)
        return pw_call_fail(c, st, "cannot read the reports of %s", x.period_text);
    Planwatch__V1__StatusResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__status_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = x.plan.tz_offset_min;
    out->plan = (char *)x.plan.id;
    out->period = pw_arena_strdup(c->arena, x.period_text);
    pw_deadline_row ext;
    if ((st = report_deadline(c, &x, "", 0, &out->deadline, &ext)) != PW_OK)
        return st;
    out->extended_to = (char *)(ext.until_date ? ext.until_date : "");
    out->extension_reason = (char *)(ext.reason ? ext.reason : "");
    pw_dispatch_timeliness_range(c->arena, &as, x.first_month, x.month, x.unit.id ? x.unit.id : "",
                                 &out->units, &out->n_units, &out->rates, &out->n_rates);
    if (c->who.role == PW_ROLE_REPORTER)
        out->n_rates = 0; /* other units' figures, even summed, are the office's */
    *resp = &out->base;
    return PW_OK;
}

/* ---- Accept / Return ----------------------------------------------------------- */

typedef struct report_review_job {
    pw_call *c;
    const pw_report_row *rep;
    const char *state, *note;
    const report_ctx *x;
} report_review_job;

static int report_review_write(pw_db *w, void *arg)
{
    report_review_job *j = arg;
    int st = pw_store_report_review(w, j->rep->id, j->state, j->note, j->c->who.name, j->c->now);
    if (st != PW_OK)
        return st;
    char obj[96];
    snprintf(obj, sizeof obj, "report/%s/%s", j->x->unit.id, j->x->period_text);
    return pw_call_audit(j->c, w, obj, "%s%s%s", j->state, j->note ? ": " : "",
                         j->note ? j->note : "");
}

static int report_review(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp,
                         const char *state)
{
    const Planwatch__V1__ReviewRequest *r = (const Planwatch__V1__ReviewRequest *)req;
    Planwatch__V1__ReportRequest rr = PLANWATCH__V1__REPORT_REQUEST__INIT;
    rr.plan = r->plan;
    rr.period = r->period;
    rr.unit = r->unit;
    report_ctx x;
    pw_report_row rep;
    int st = report_load(c, &rr, &x, &rep);
    if (st != PW_OK)
        return st;
    int returning = strcmp(state, "returned") == 0;
    if (returning && !r->reason[0])
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--reason is mandatory: the unit needs to know what to fix");
    if (!report_text_ok(c, "reason", r->reason, c->config->max_text_bytes))
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "reason: %s", c->violations[0].description);
    report_review_job j = {
        .c = c, .rep = &rep, .state = state, .x = &x, .note = r->reason[0] ? r->reason : NULL};
    st = pw_store_write(c->store, c->deadline_us, report_review_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot record the review");
    rep.state = state;
    rep.review_note = r->reason;
    return report_shown(c, &x, &rep, resp);
}

int pw_svc_report_accept(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return report_review(c, req, resp, "accepted");
}

int pw_svc_report_return(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return report_review(c, req, resp, "returned");
}

/* ---- Period locks ----------------------------------------------------------------- */

typedef struct period_lock_job {
    pw_call *c;
    const report_ctx *x;
    int locked;
    const char *reason;
} period_lock_job;

static int period_lock_write(pw_db *w, void *arg)
{
    period_lock_job *j = arg;
    const char *unit = j->x->unit.id ? j->x->unit.id : "";
    int st = pw_store_period_lock_set(w, j->x->plan.id, j->x->period_text, unit, j->locked,
                                      j->c->who.name, j->c->now, j->reason);
    if (st != PW_OK)
        return st;
    char obj[96];
    snprintf(obj, sizeof obj, "period/%s%s%s", j->x->period_text, unit[0] ? "/" : "", unit);
    return pw_call_audit(j->c, w, obj, "%s %s for %s%s%s", j->locked ? "locked" : "unlocked",
                         j->x->period_text, unit[0] ? unit : "every unit", j->reason[0] ? ": " : "",
                         j->reason);
}

static int period_lock(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp, int locked)
{
    const Planwatch__V1__PeriodLockRequest *r = (const Planwatch__V1__PeriodLockRequest *)req;
    report_ctx x;
    int st = report_context(c, r->plan, r->period, REPORT_PERIOD_KINDS, r->unit, 0, &x);
    if (st != PW_OK)
        return st;
    if (!locked && !r->reason[0])
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--reason is mandatory to unlock a period");
    if (!report_text_ok(c, "reason", r->reason, c->config->max_text_bytes))
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "reason: %s", c->violations[0].description);
    period_lock_job j = {.c = c, .x = &x, .locked = locked, .reason = r->reason};
    st = pw_store_write(c->store, c->deadline_us, period_lock_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot change the lock");
    Planwatch__V1__PeriodLockResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__period_lock_response__init(out);
    out->period = pw_arena_strdup(c->arena, x.period_text);
    out->unit = (char *)(x.unit.id ? x.unit.id : "");
    out->locked = locked;
    *resp = &out->base;
    return PW_OK;
}

/* ---- Deadline extensions (SPEC 3.3) ------------------------------------------------- */

/* An extension may move a deadline this many days past the plan's own. */
#define REPORT_MAX_EXTENSION_DAYS 92

typedef struct period_deadline_job {
    pw_call *c;
    pw_deadline_row row;
    int64_t normal;
} period_deadline_job;

static int period_deadline_write(pw_db *w, void *arg)
{
    period_deadline_job *j = arg;
    if (pw_store_deadline_set(w, &j->row) != PW_OK)
        return pw_call_fail(j->c, PW_INTERNAL, "cannot store the deadline");
    char obj[96];
    snprintf(obj, sizeof obj, "period/%s%s%s", j->row.period, j->row.unit[0] ? "/" : "",
             j->row.unit);
    return pw_call_audit(j->c, w, obj, "deadline of %s for %s extended to %s: %s", j->row.period,
                         j->row.unit[0] ? j->row.unit : "every unit", j->row.until_date,
                         j->row.reason);
}

int pw_svc_period_deadline(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__PeriodDeadlineRequest *r =
        (const Planwatch__V1__PeriodDeadlineRequest *)req;
    report_ctx x;
    int st = report_context(c, r->plan, r->period, REPORT_PERIOD_KINDS, r->unit, 0, &x);
    if (st != PW_OK)
        return st;
    if ((st = pw_call_text_ok(c, "reason", r->reason, 1)) != PW_OK)
        return st;
    int32_t day;
    int y, mo, d;
    if (pw_date_parse(r->until, &day) != 0 || pw_date_to_civil(day, &y, &mo, &d) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--until '%.40s' is not a date YYYY-MM-DD",
                            r->until);
    pw_civil_time end = {y, mo, d, 23, 59, 59};
    int64_t until, normal;
    if (pw_time_from_civil(&end, x.plan.tz_offset_min, &until) != 0 ||
        pw_period_deadline(&x.period, x.plan.due_day, x.plan.tz_offset_min, &normal) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--until '%.40s': no such day", r->until);
    char normal_text[PW_TIME_BUFSIZE] = "";
    pw_time_format_iso8601(normal, x.plan.tz_offset_min, normal_text, sizeof normal_text);
    if (until < normal)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--until %s is before the deadline of %s (%.10s): an extension "
                            "cannot bring a deadline forward",
                            r->until, x.period_text, normal_text);
    if (until - normal > (int64_t)REPORT_MAX_EXTENSION_DAYS * 86400)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--until %s is more than %d days after the deadline of %s (%.10s)",
                            r->until, REPORT_MAX_EXTENSION_DAYS, x.period_text, normal_text);
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
    period_deadline_job j = {.c = c,
                             .normal = normal,
                             .row = {.plan = x.plan.id,
                                     .period = x.period_text,
                                     .unit = x.unit.id ? x.unit.id : "",
                                     .until = until,
                                     .until_date = date,
                                     .reason = r->reason,
                                     .by_user = c->who.name,
                                     .at = c->now}};
    st = pw_store_write(c->store, c->deadline_us, period_deadline_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot store the deadline");
    Planwatch__V1__PeriodDeadlineResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__period_deadline_response__init(out);
    out->period = pw_arena_strdup(c->arena, x.period_text);
    out->unit = (char *)j.row.unit;
    out->until_date = pw_arena_strdup(c->arena, date);
    out->until = until;
    out->normal_deadline = normal;
    out->reason = (char *)r->reason;
    *resp = &out->base;
    return PW_OK;
}

int pw_svc_period_lock(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return period_lock(c, req, resp, 1);
}

int pw_svc_period_unlock(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return period_lock(c, req, resp, 0);
}

/* ---- Half-year reports ------------------------------------------------------------- */

typedef struct halfyear_job {
    pw_call *c;
    const report_ctx *x;
    const Planwatch__V1__HalfYearSubmitRequest *r;
    int64_t deadline;
    int duplicate;
    int version;
    int64_t id, first;
} halfyear_job;

static int halfyear_write(pw_db *w, void *arg)
{
    halfyear_job *j = arg;
    pw_submission_row dup;
    int st = pw_store_submission_find(w, j->c->arena, j->r->submission_id, &dup);
    if (st == PW_OK) {
        j->duplicate = 1;
        return PW_OK;
    }
    if (st != PW_NOT_FOUND)
        return st;
    pw_halfyear_row last;
    st = pw_store_halfyear_latest(w, j->x->plan.id, j->x->unit.id, j->x->period_text, &last);
    if (st != PW_OK && st != PW_NOT_FOUND)
        return st;
    int64_t bytes =
        (int64_t)(strlen(j->r->body) + strlen(j->r->submission_id) + strlen(j->c->who.name));
    int found = st == PW_OK;
    if ((st = report_check_caps(j->c, w, j->x->unit.id, j->x->period_text,
                                found ? last.version + 1 : 1, found ? last.bytes : 0, bytes)) !=
        PW_OK)
        return st;
    if ((st = pw_store_usage_add(w, 0, j->x->unit.id, bytes)) != PW_OK)
        return st;
    st = found ? PW_OK : PW_NOT_FOUND;
    j->version = st == PW_OK ? last.version + 1 : 1;
    j->first = st == PW_OK ? last.first_received_at : j->c->now;
    if ((st = pw_store_halfyear_insert(w, j->x->plan.id, j->x->unit.id, j->x->period_text,
                                       j->version, j->r->submission_id, j->c->who.name, j->c->now,
                                       j->deadline, j->r->body, &j->id)) != PW_OK)
        return st;
    char obj[96];
    snprintf(obj, sizeof obj, "halfyear/%s/%s", j->x->unit.id, j->x->period_text);
    return pw_call_audit(j->c, w, obj, "half-year report version %d, %zu bytes", j->version,
                         strlen(j->r->body));
}

int pw_svc_halfyear_submit(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__HalfYearSubmitRequest *r =
        (const Planwatch__V1__HalfYearSubmitRequest *)req;
    report_ctx x;
    int st = report_context(c, r->plan, r->period, PW_PERIOD_ALLOW_HALF, r->unit, 1, &x);
    if (st != PW_OK)
        return st;
    if (!report_valid_submission_id(r->submission_id))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "submission id must be 1-64 of A-Z a-z 0-9 - _ . :");
    size_t n = strlen(r->body);
    if (n == 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "the half-year report is empty");
    char why[160];
    if (pw_text_check(r->body, n, (size_t)c->config->max_text_bytes * 16, 0, why, sizeof why) !=
        0) {
        pw_call_violation(c, "body", "%s", why);
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "the half-year report body: %s", why);
    }
    if (!report_period_started(&x, c->now))
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "period %s is in the future", x.period_text);
    halfyear_job j = {.c = c, .x = &x, .r = r};
    pw_period_deadline(&x.period, x.plan.due_day, x.plan.tz_offset_min, &j.deadline);
    pw_submission_row dup;
    st = pw_store_submission_find(c->db, c->arena, r->submission_id, &dup);
    if (st != PW_OK && st != PW_NOT_FOUND)
        return pw_call_fail(c, PW_INTERNAL, "cannot read submissions");
    if (st == PW_NOT_FOUND) {
        st = pw_store_write(c->store, c->deadline_us, halfyear_write, &j);
        if (st != PW_OK)
            return c->message ? st : pw_call_fail(c, st, "cannot store the half-year report");
        if (!j.duplicate)
            pw_metrics_report_received(x.period_text);
    } else {
        j.duplicate = 1;
    }
    int64_t received = c->now;
    if (j.duplicate) {
        /* the original receipt, or an error when the id was another report's */
        if (pw_store_submission_find(c->db, c->arena, r->submission_id, &dup) != PW_OK ||
            !dup.halfyear || strcmp(dup.unit, x.unit.id) != 0 ||
            strcmp(dup.period, x.period_text) != 0)
            return pw_call_fail(c, PW_ALREADY_EXISTS,
                                "submission id %.64s was already used for another report",
                                r->submission_id);
        pw_halfyear_version_row *vs;
        size_t nv;
        if (pw_store_halfyear_versions(c->db, c->arena, x.plan.id, x.unit.id, x.period_text, -1,
                                       &vs, &nv) != PW_OK ||
            nv == 0)
            return pw_call_fail(c, PW_INTERNAL, "cannot read half-year reports");
        j.id = dup.report_id;
        j.version = dup.version;
        j.first = vs[0].received_at;
        j.deadline = vs[0].deadline;
        for (size_t i = 0; i < nv; i++)
            if (vs[i].version == dup.version)
                received = vs[i].received_at;
    }
    *resp = &report_receipt(c, x.plan.tz_offset_min, x.unit.id, x.period_text, j.id, j.version,
                            received, j.first, j.deadline, j.duplicate)
                 ->base;
    return PW_OK;
}

int pw_svc_halfyear_history(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ReportRequest *r = (const Planwatch__V1__ReportRequest *)req;
    report_ctx x;
    int st = report_read_context(c, r, PW_PERIOD_ALLOW_HALF, 1, &x);
    if (st != PW_OK)
        return st;
    pw_halfyear_version_row *vs;
    size_t n;
    if (pw_store_halfyear_versions(c->db, c->arena, x.plan.id, x.unit.id, x.period_text,
                                   c->config->max_reply_bytes, &vs, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read half-year reports");
    if (n == 0)
        return pw_call_fail(c, PW_NOT_FOUND, "%s has no half-year report for %s", x.unit.id,
                            x.period_text);
    Planwatch__V1__HalfYearHistoryResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__half_year_history_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = x.plan.tz_offset_min;
    out->unit = (char *)x.unit.id;
    out->period = pw_arena_strdup(c->arena, x.period_text);
    out->deadline = vs[0].deadline;
    int64_t late = pw_days_late(vs[0].received_at, vs[0].deadline);
    out->status = late > 0 ? "late" : "on_time";
    out->days_late = (int32_t)late;
    out->versions = pw_arena_alloc(c->arena, sizeof *out->versions * n);
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__HalfYearVersion *v = pw_arena_alloc(c->arena, sizeof *v);
        planwatch__v1__half_year_version__init(v);
        v->version = vs[i].version;
        v->submission_id = (char *)vs[i].submission_id;
        v->user = (char *)vs[i].user;
        v->received_at = vs[i].received_at;
        v->bytes = (int32_t)vs[i].bytes;
        v->body = (char *)vs[i].body;
        v->body_omitted = vs[i].body_omitted;
        out->versions[out->n_versions++] = v;
    }
    *resp = &out->base;
    return PW_OK;
}

/* ---- Audit ----------------------------------------------------------------------- */

int pw_svc_audit_list(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__AuditRequest *r = (const Planwatch__V1__AuditRequest *)req;
    int limit = r->limit > 0 && r->limit <= 10000 ? r->limit : 1000;
    pw_audit_row *rows;
    size_t n;
    if (pw_store_audit_list(c->db, c->arena, r->since, limit, &rows, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the audit trail");
    Planwatch__V1__AuditResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__audit_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = pw_call_tz_offset(c);
    out->entries = pw_arena_alloc(c->arena, sizeof *out->entries * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__AuditEntry *e = pw_arena_alloc(c->arena, sizeof *e);
        planwatch__v1__audit_entry__init(e);
        e->id = rows[i].id;
        e->at = rows[i].at;
        e->user = (char *)rows[i].user;
        e->unit = (char *)rows[i].unit;
        e->method = (char *)rows[i].method;
        e->object = (char *)rows[i].object;
        e->summary = (char *)rows[i].summary;
        out->entries[i] = e;
    }
    out->n_entries = n;
    *resp = &out->base;
    return PW_OK;
}
