/*
 * call.c - the helpers every handler uses (call.h): reply message, field
 * violations, audit, the caller's unit, the plan and period a call names,
 * and the plan time zone.  Nothing here knows the transport: services link
 * this file, not rpc.c.
 */
#include "server/rpc/call.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/period.h"
#include "common/text.h"
#include "planwatch/v1/account.pb-c.h"
#include "server/store/store_account.h"
#include "server/store/store_plan.h"

int pw_call_fail(pw_call *c, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->message = pw_arena_strdup(c->arena, buf);
    return status;
}

void pw_call_violation(pw_call *c, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (c->nviolations == c->capviolations) {
        int cap = c->capviolations ? c->capviolations * 2 : 8;
        c->violations = pw_arena_grow(c->arena, c->violations, (size_t)c->nviolations, (size_t)cap,
                                      sizeof *c->violations);
        c->capviolations = cap;
    }
    c->violations[c->nviolations].field = pw_arena_strdup(c->arena, field);
    c->violations[c->nviolations].description = pw_arena_strdup(c->arena, buf);
    c->nviolations++;
}

int pw_call_audit(pw_call *c, pw_db *w, const char *object, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return pw_store_audit(w, c->now, c->who.name, c->who.unit, c->method ? c->method->name : "",
                          object, buf);
}

int pw_call_text_ok(pw_call *c, const char *field, const char *s, int required)
{
    size_t n = strlen(s);
    if (n == 0 && required)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--%s is required", field);
    if (c->config && (int64_t)n > c->config->max_text_bytes)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--%s: %zu bytes, more than the %lld allowed",
                            field, n, (long long)c->config->max_text_bytes);
    if (!pw_utf8_valid(s, n))
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--%s: not valid UTF-8", field);
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7f)
            return pw_call_fail(c, PW_INVALID_ARGUMENT,
                                "--%s: control character 0x%02x at byte %zu", field,
                                (unsigned char)s[i], i + 1);
    return PW_OK;
}

int pw_call_resolve_unit(pw_call *c, const char *requested, const char **unit)
{
    if (c->who.role == PW_ROLE_REPORTER) {
        if (!c->who.unit[0])
            return pw_call_fail(c, PW_FAILED_PRECONDITION,
                                "user %s is a reporter without a unit: ask the administrator "
                                "to bind it to one",
                                c->who.name);
        if (requested && *requested && strcmp(requested, c->who.unit) != 0)
            return pw_call_fail(c, PW_PERMISSION_DENIED,
                                "reporter %s of unit %s may not act on unit %s", c->who.name,
                                c->who.unit, requested);
        *unit = c->who.unit;
        return PW_OK;
    }
    *unit = requested ? requested : "";
    return PW_OK;
}

int pw_call_plan(pw_call *c, const char *plan, pw_plan_row *plan_out)
{
    char err[256];
    int st = pw_store_plan_resolve(c->db, c->arena, plan, plan_out, err, sizeof err);
    if (st != PW_OK)
        return pw_call_fail(c, st, "%s", err);
    return PW_OK;
}

int pw_call_plan_period(pw_call *c, const char *plan, const char *period, unsigned kinds,
                        pw_plan_row *plan_out, pw_period *p, char *text, size_t textlen)
{
    char err[256];
    if (pw_period_parse_kinds(period, kinds, p, err, sizeof err) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--period: %s", err);
    pw_period_format(p, text, textlen);
    int st = pw_call_plan(c, plan, plan_out);
    if (st != PW_OK)
        return st;
    if (p->year < plan_out->first_year || p->year > plan_out->last_year)
        return pw_call_fail(c, PW_OUT_OF_RANGE, "period %s is outside plan %s (%d-%d)", text,
                            plan_out->id, plan_out->first_year, plan_out->last_year);
    return PW_OK;
}

int pw_call_tz_offset(pw_call *c)
{
    pw_plan_row p;
    char err[128];
    if (pw_store_plan_resolve(c->db, c->arena, NULL, &p, err, sizeof err) == PW_OK)
        return p.tz_offset_min;
    return 480;
}

Planwatch__V1__UserInfo *pw_call_user_info(pw_call *c, const pw_user_row *u)
{
    Planwatch__V1__UserInfo *ui = pw_arena_alloc(c->arena, sizeof *ui);
    planwatch__v1__user_info__init(ui);
    ui->name = (char *)u->name;
    ui->role = (char *)u->role;
    ui->unit = (char *)u->unit;
    ui->unit_name = (char *)u->unit_name;
    ui->unit_category = (char *)u->unit_category;
    ui->enabled = u->enabled;
    ui->created_at = u->created_at;
    return ui;
}
