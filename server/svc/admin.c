/*
 * admin.c - AdminService handlers.  Every change is audited in the same
 * transaction as the change itself.
 */
#include "server/svc/admin.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/period.h"
#include "common/text.h"
#include "planwatch/v1/account.pb-c.h"
#include "server/rpc/auth.h"
#include "server/store/store_account.h"

static int pw_valid_ident(const char *s, const char *extra)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(islower(ch) || isdigit(ch) || strchr(extra, ch)))
            return 0;
    }
    return 1;
}

int pw_valid_user_name(const char *s)
{
    return pw_valid_ident(s, "_.-");
}

int pw_valid_unit_id(const char *s)
{
    return pw_valid_ident(s, "_-");
}

static Planwatch__V1__UnitInfo *admin_unit_info(pw_arena *a, const pw_unit_row *u)
{
    Planwatch__V1__UnitInfo *ui = pw_arena_alloc(a, sizeof *ui);
    planwatch__v1__unit_info__init(ui);
    ui->id = (char *)u->id;
    ui->name = (char *)u->name;
    ui->category = (char *)u->category;
    ui->active_from = (char *)u->active_from;
    ui->active_to = (char *)u->active_to;
    ui->created_at = u->created_at;
    return ui;
}

/* ---- AddUser ---------------------------------------------------------- */

typedef struct admin_user_job {
    pw_call *c;
    pw_user_row row;
} admin_user_job;

static int admin_add_user_write(pw_db *w, void *arg)
{
    admin_user_job *j = arg;
    int st = pw_store_user_insert(w, &j->row, &j->row.id);
    if (st == PW_ALREADY_EXISTS)
        return pw_call_fail(j->c, st, "user %s already exists", j->row.name);
    if (st != PW_OK)
        return pw_call_fail(j->c, st, "cannot store user %s", j->row.name);
    return pw_call_audit(j->c, w, j->row.name, "added user %s (role %s%s%s)", j->row.name,
                         j->row.role, j->row.unit[0] ? ", unit " : "", j->row.unit);
}

int pw_svc_admin_add_user(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__AddUserRequest *r = (const Planwatch__V1__AddUserRequest *)req;
    if (!pw_valid_user_name(r->name))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "invalid user name '%.80s': use 1-64 of a-z 0-9 _ . - starting with a "
                            "letter or digit",
                            r->name);
    unsigned role = pw_role_from_name(r->role);
    if (!role)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "unknown role '%.40s': admin, office, reporter or viewer", r->role);
    if (r->unit[0] && role != PW_ROLE_REPORTER)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "only reporters belong to a unit; role %s takes no --unit", r->role);
    pw_unit_row unit = {0};
    if (r->unit[0]) {
        int st = pw_store_unit_get(c->db, c->arena, r->unit, &unit);
        if (st == PW_NOT_FOUND)
            return pw_call_fail(c, PW_NOT_FOUND, "unknown unit '%.64s'", r->unit);
        if (st != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read units");
    }
    char hash[crypto_pwhash_STRBYTES], err[256];
    if (pw_auth_hash_password(c->config, r->password, hash, err, sizeof err) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s", err);
    admin_user_job j = {.c = c};
    j.row.name = r->name;
    j.row.role = pw_role_name(role);
    j.row.unit = r->unit;
    j.row.unit_name = unit.name ? unit.name : "";
    j.row.unit_category = unit.category ? unit.category : "";
    j.row.pw_hash = hash;
    j.row.enabled = 1;
    j.row.created_at = c->now;
    int st = pw_store_write(c->store, c->deadline_us, admin_add_user_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot add user %s", r->name);
    *resp = &pw_call_user_info(c, &j.row)->base;
    return PW_OK;
}

int pw_svc_admin_list_users(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    (void)req;
    pw_user_row *rows;
    size_t n;
    if (pw_store_user_list(c->db, c->arena, &rows, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read users");
    Planwatch__V1__ListUsersResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__list_users_response__init(out);
    out->users = pw_arena_alloc(c->arena, sizeof *out->users * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        out->users[i] = pw_call_user_info(c, &rows[i]);
    out->n_users = n;
    *resp = &out->base;
    return PW_OK;
}

/* ---- DisableUser / EnableUser / UnlockUser / SetPassword ---------------- */

enum { ADMIN_DISABLE, ADMIN_ENABLE, ADMIN_UNLOCK, ADMIN_PASSWORD };

typedef struct admin_change_job {
    pw_call *c;
    int op;
    const char *name;
    const char *pw_hash; /* ADMIN_PASSWORD */
    const pw_user_row *user;
    int sources; /* ADMIN_UNLOCK: back-offs cleared */
} admin_change_job;

static int admin_change_write(pw_db *w, void *arg)
{
    admin_change_job *j = arg;
    int st;
    switch (j->op) {
    case ADMIN_DISABLE: {
        /* counted inside the write, so two admins disabling each other at
         * once cannot both succeed */
        int64_t admins = 0;
        if (pw_store_user_enabled_admins(w, &admins) != PW_OK)
            return PW_INTERNAL;
        if (strcmp(j->user->role, "admin") == 0 && j->user->enabled && admins <= 1)
            return pw_call_fail(j->c, PW_FAILED_PRECONDITION,
                                "%s is the last enabled admin: enable or add another admin "
                                "first",
                                j->name);
        st = pw_store_user_set_enabled(w, j->name, 0);
        break;
    }
    case ADMIN_ENABLE:
        st = pw_store_user_set_enabled(w, j->name, 1);
        break;
    case ADMIN_UNLOCK:
        st = pw_store_user_unlock(w, j->name);
        break;
    default:
        st = pw_store_user_set_password(w, j->name, j->pw_hash);
        break;
    }
    if (st == PW_NOT_FOUND)
        return pw_call_fail(j->c, st, "no user %s", j->name);
    if (st != PW_OK)
        return pw_call_fail(j->c, st, "cannot update user %s", j->name);
    switch (j->op) {
    case ADMIN_ENABLE:
        return pw_call_audit(j->c, w, j->name, "user %s enabled", j->name);
    case ADMIN_UNLOCK:
        return pw_call_audit(j->c, w, j->name,
                             "user %s unlocked: login back-off of %d source(s) cleared", j->name,
                             j->sources);
    default:
        break;
    }
    /* disable and new password: the user's sessions end */
    if (pw_store_session_delete_user(w, j->user->id) != PW_OK)
        return PW_INTERNAL;
    return pw_call_audit(j->c, w, j->name,
                         j->op == ADMIN_PASSWORD ? "password of %s changed"
                                                 : "user %s disabled, sessions revoked",
                         j->name);
}

static int admin_change(pw_call *c, int op, const char *name, const char *pw_hash, pw_user_row *u)
{
    int st = pw_store_user_get(c->db, c->arena, name, u);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st, "no user %.64s", name);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read users");
    admin_change_job j = {.c = c, .op = op, .name = name, .pw_hash = pw_hash, .user = u};
    if (op == ADMIN_UNLOCK)
        j.sources = pw_auth_clear_backoff(c->config, u->name);
    st = pw_store_write(c->store, c->deadline_us, admin_change_write, &j);
    if (st != PW_OK && !c->message)
        pw_call_fail(c, st, "cannot update user %s", name);
    return st;
}

static int admin_user_op(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp, int op)
{
    const Planwatch__V1__UserNameRequest *r = (const Planwatch__V1__UserNameRequest *)req;
    pw_user_row u;
    int st = admin_change(c, op, r->name, NULL, &u);
    if (st != PW_OK)
        return st;
    if (op != ADMIN_UNLOCK)
        u.enabled = op == ADMIN_ENABLE;
    *resp = &pw_call_user_info(c, &u)->base;
    return PW_OK;
}

int pw_svc_admin_disable_user(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return admin_user_op(c, req, resp, ADMIN_DISABLE);
}

int pw_svc_admin_enable_user(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return admin_user_op(c, req, resp, ADMIN_ENABLE);
}

int pw_svc_admin_unlock_user(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    return admin_user_op(c, req, resp, ADMIN_UNLOCK);
}

int pw_svc_admin_set_password(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    (void)resp;
    const Planwatch__V1__SetPasswordRequest *r = (const Planwatch__V1__SetPasswordRequest *)req;
    char hash[crypto_pwhash_STRBYTES], err[256];
    if (pw_auth_hash_password(c->config, r->password, hash, err, sizeof err) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "%s", err);
    pw_user_row u;
    return admin_change(c, ADMIN_PASSWORD, r->name, hash, &u);
}

/* ---- units ------------------------------------------------------------ */

typedef struct admin_unit_job {
    pw_call *c;
    pw_unit_row row;
} admin_unit_job;

static int admin_add_unit_write(pw_db *w, void *arg)
{
    admin_unit_job *j = arg;
    int st = pw_store_unit_insert(w, &j->row);
    if (st == PW_ALREADY_EXISTS)
        return pw_call_fail(j->c, st, "unit %s already exists", j->row.id);
    if (st != PW_OK)
        return pw_call_fail(j->c, st, "cannot store unit %s", j->row.id);
    return pw_call_audit(j->c, w, j->row.id, "added unit %s %s (%s)", j->row.id, j->row.name,
                         j->row.category);
}

int pw_svc_admin_add_unit(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__UnitInfo *r = (const Planwatch__V1__UnitInfo *)req;
    if (!pw_valid_unit_id(r->id))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "invalid unit id '%.80s': use 1-64 of a-z 0-9 _ - starting with a "
                            "letter or digit",
                            r->id);
    size_t nl = strlen(r->name);
    char why[160];
    if (nl == 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "name: the unit name is empty");
    if (pw_text_check(r->name, nl, 256, PW_TEXT_ONE_LINE, why, sizeof why) != 0) {
        pw_call_violation(c, "name", "%s", why);
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "name: %s", why);
    }
    if (strcmp(r->category, "county") != 0 && strcmp(r->category, "department") != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "unknown category '%.40s': county or department", r->category);
    int32_t from = 0, to = 0;
    if (r->active_from[0] && pw_date_parse(r->active_from, &from) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--active-from '%.40s' is not a date YYYY-MM-DD", r->active_from);
    if (r->active_to[0] && pw_date_parse(r->active_to, &to) != 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--active-to '%.40s' is not a date YYYY-MM-DD",
                            r->active_to);
    if (r->active_from[0] && r->active_to[0] && to < from)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--active-to %s is before --active-from %s",
                            r->active_to, r->active_from);
    admin_unit_job j = {.c = c};
    j.row.id = r->id;
    j.row.name = r->name;
    j.row.category = r->category;
    j.row.active_from = r->active_from;
    j.row.active_to = r->active_to;
    j.row.created_at = c->now;
    int st = pw_store_write(c->store, c->deadline_us, admin_add_unit_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot add unit %s", r->id);
    *resp = &admin_unit_info(c->arena, &j.row)->base;
    return PW_OK;
}

int pw_svc_admin_list_units(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    (void)req;
    pw_unit_row *rows;
    size_t n;
    if (pw_store_unit_list(c->db, c->arena, &rows, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read units");
    Planwatch__V1__ListUnitsResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__list_units_response__init(out);
    out->units = pw_arena_alloc(c->arena, sizeof *out->units * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        out->units[i] = admin_unit_info(c->arena, &rows[i]);
    out->n_units = n;
    *resp = &out->base;
    return PW_OK;
}
