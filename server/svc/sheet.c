/*
 * sheet.c - SheetService handlers: Import, Show (SPEC 3.5).
 *
 * Design notes
 * - A sheet is data: `item,group,content,max_points,kind,params`.  Kinds and
 *   params are checked by the scoring engine's own functions
 *   (pw_score_kind_from_name, pw_score_params_parse, pw_score_sheet_check in
 *   score.h), so an imported sheet is always one the engine can score; params
 *   are stored as written (defaults stay the engine's).
 * - Points must add up to 100 (trust the items, not the printed group
 *   headings).  All rows are checked and every error reported before the
 *   one write that replaces the category's sheet (all or nothing).
 */
#include "server/svc/sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "planwatch/v1/plan.pb-c.h"
#include "server/svc/import_errors.h"
#include "server/engine/score.h"
#include "server/store/store_sheet.h"

/* a sheet has at most this many items (seed 000's have 10 and 8) */
#define SHEET_MAX_ITEMS 64
/* flag settings are whole numbers in 1..this */
#define SHEET_MAX_FLAG_SETTING 1000

static const char *const sheet_cols[] = {"item",       "group", "content",
                                         "max_points", "kind",  "params"};
enum { SH_ITEM = 1, SH_GROUP, SH_CONTENT, SH_MAX, SH_KIND, SH_PARAMS, SH_NCOLS = SH_PARAMS };

static int sheet_category_ok(pw_call *c, const char *category)
{
    if (strcmp(category, "county") == 0 || strcmp(category, "department") == 0)
        return PW_OK;
    return pw_call_fail(c, PW_INVALID_ARGUMENT, "unknown category '%s': county or department",
                        pw_import_quote(c, category, strlen(category)));
}

/* "monthly_timeliness, halfyear_reports, ... or per_amount" */
static const char *sheet_kind_names(char *buf, size_t len)
{
    buf[0] = '\0';
    for (int k = 0; k < PW_SCORE_KIND_COUNT; k++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
                 k == 0                         ? ""
                 : k + 1 == PW_SCORE_KIND_COUNT ? " or "
                                                : ", ",
                 pw_score_kind_name((pw_score_kind)k));
    return buf;
}

typedef struct sheet_parse {
    pw_call *c;
    pw_import_errors err;
    const char *file;
    pw_sheet_item *items;
    pw_score_item *engine; /* the same items as the scoring engine reads them */
    size_t *lines;
    size_t n;
    double total;
    int total_known; /* every max_points parsed */
} sheet_parse;

static void sheet_parse_row(sheet_parse *p, const pw_csv_record *rec)
{
    pw_call *c = p->c;
    if (pw_import_check_fields(&p->err, p->file, rec, SH_NCOLS) != 0) {
        p->total_known = 0;
        return;
    }
    if (p->n == SHEET_MAX_ITEMS) {
        pw_import_errors_add(&p->err, p->file, rec->line, 0, "more than %d items", SHEET_MAX_ITEMS);
        p->total_known = 0;
        return;
    }
    const char *const *f = rec->fields;
    pw_sheet_item *x = &p->items[p->n];
    memset(x, 0, sizeof *x);
    const char *num = f[SH_ITEM - 1];
    size_t nl = rec->lens[SH_ITEM - 1];
    if (nl == 0 || nl > 3 || strspn(num, "0123456789") != nl || (x->item = atoi(num)) < 1) {
        pw_import_errors_field(&p->err, p->file, rec, SH_ITEM,
                               "item '%s' is not an item number 1..999",
                               pw_import_quote(c, num, nl));
    } else {
        for (size_t i = 0; i < p->n; i++)
            if (p->items[i].item == x->item)
                pw_import_errors_field(&p->err, p->file, rec, SH_ITEM,
                                       "duplicate item %d (first on line %zu)", x->item,
                                       p->lines[i]);
    }
    pw_import_check_text(&p->err, p->file, rec, SH_GROUP, "group", 512, 0);
    pw_import_check_text(&p->err, p->file, rec, SH_CONTENT, "content", 2048, 0);
    x->group = pw_arena_strdup(c->arena, f[SH_GROUP - 1]);
    x->content = pw_arena_strdup(c->arena, f[SH_CONTENT - 1]);
    int not_finite;
    if (pw_import_parse_number(f[SH_MAX - 1], &x->max_points, &not_finite) != 0 ||
        x->max_points <= 0 || x->max_points > 100) {
        pw_import_errors_field(&p->err, p->file, rec, SH_MAX,
                               "max_points '%s' is not a number of points in (0, 100]",
                               pw_import_quote(c, f[SH_MAX - 1], rec->lens[SH_MAX - 1]));
        p->total_known = 0;
    } else {
        p->total += x->max_points;
    }
    int kind = pw_score_kind_from_name(f[SH_KIND - 1]);
    if (pw_import_check_text(&p->err, p->file, rec, SH_PARAMS, "params", 256, 1) != 0) {
        /* reported */
    } else if (kind < 0) {
        char names[256];
        pw_import_errors_field(&p->err, p->file, rec, SH_KIND, "unknown item kind '%s': %s",
                               pw_import_quote(c, f[SH_KIND - 1], rec->lens[SH_KIND - 1]),
                               sheet_kind_names(names, sizeof names));
    } else {
        /* the engine's own parser: the rules cannot disagree with scoring */
        char err[256];
        pw_score_item *e = &p->engine[p->n];
        if (pw_score_params_parse((pw_score_kind)kind, f[SH_PARAMS - 1], &e->params, err,
                                  sizeof err) != PW_OK)
            pw_import_errors_field(&p->err, p->file, rec, SH_PARAMS, "%s", err);
        e->number = x->item;
        e->max_points = x->max_points;
        e->kind = (pw_score_kind)kind;
        x->kind = pw_score_kind_name((pw_score_kind)kind);
        const char *b = f[SH_PARAMS - 1], *end = b + rec->lens[SH_PARAMS - 1];
        while (b < end && (*b == ' ' || *b == '\t'))
            b++;
        while (end > b && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        x->params = pw_arena_strndup(c->arena, b, (size_t)(end - b));
    }
    p->lines[p->n++] = rec->line;
}

static Planwatch__V1__Sheet *sheet_msg(pw_arena *a, const char *category, int64_t imported_at,
                                       const pw_sheet_item *items, size_t n, int tz)
{
    Planwatch__V1__Sheet *m = pw_arena_alloc(a, sizeof *m);
    planwatch__v1__sheet__init(m);
    m->category = (char *)category;
    m->imported_at = imported_at;
    m->has_tz_offset_min = 1;
    m->tz_offset_min = tz;
    m->items = pw_arena_alloc(a, sizeof *m->items * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__SheetItem *it = pw_arena_alloc(a, sizeof *it);
        planwatch__v1__sheet_item__init(it);
        it->item = items[i].item;
        it->group = (char *)items[i].group;
        it->content = (char *)items[i].content;
        it->max_points = items[i].max_points;
        it->kind = (char *)items[i].kind;
        it->params = (char *)items[i].params;
        m->items[i] = it;
    }
    m->n_items = n;
    return m;
}

typedef struct sheet_job {
    pw_call *c;
    const char *category;
    const sheet_parse *p;
    pw_sheet_settings set, stored;
    int replaced;
} sheet_job;

static int sheet_import_write(pw_db *w, void *arg)
{
    sheet_job *j = arg;
    int st = pw_store_sheet_replace(w, j->category, j->p->items, j->p->n, &j->set, j->c->now,
                                    &j->replaced, &j->stored);
    if (st != PW_OK)
        return pw_call_fail(j->c, st, "cannot store the %s score sheet", j->category);
    char obj[40];
    snprintf(obj, sizeof obj, "sheet/%s", j->category);
    return pw_call_audit(j->c, w, obj,
                         "%s the %s score sheet: %zu items, %g points, commend top %d, "
                         "criticise bottom %d",
                         j->replaced ? "replaced" : "imported", j->category, j->p->n, j->p->total,
                         j->stored.commend_top, j->stored.criticise_bottom);
}

int pw_svc_sheet_import(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ImportSheetRequest *r = (const Planwatch__V1__ImportSheetRequest *)req;
    int st = sheet_category_ok(c, r->category);
    if (st != PW_OK)
        return st;
    if (r->commend_top < 0 || r->commend_top > SHEET_MAX_FLAG_SETTING)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--commend-top %d: a number of units 1..%d",
                            r->commend_top, SHEET_MAX_FLAG_SETTING);
    if (r->criticise_bottom < 0 || r->criticise_bottom > SHEET_MAX_FLAG_SETTING)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "--criticise-bottom %d: a number of units 1..%d", r->criticise_bottom,
                            SHEET_MAX_FLAG_SETTING);
    sheet_parse *p = pw_arena_alloc(c->arena, sizeof *p);
    p->c = c;
    pw_import_errors_init(&p->err, c);
    p->file = pw_import_file_label(c, r->file, "sheet.csv");
    p->items = pw_arena_alloc(c->arena, sizeof *p->items * SHEET_MAX_ITEMS);
    p->engine = pw_arena_alloc(c->arena, sizeof *p->engine * SHEET_MAX_ITEMS);
    p->lines = pw_arena_alloc(c->arena, sizeof *p->lines * SHEET_MAX_ITEMS);
    p->total_known = 1;
    pw_csv_reader rd;
    pw_csv_reader_init(&rd, (const char *)r->csv.data, r->csv.len);
    if (pw_import_read_header(&p->err, p->file, &rd, sheet_cols, SH_NCOLS) == 0) {
        pw_csv_record rec;
        int rc;
        size_t rows = 0;
        while ((rc = pw_csv_reader_next(&rd, &rec)) == 1) {
            if (pw_csv_record_is_blank(&rec))
                continue;
            rows++;
            sheet_parse_row(p, &rec);
        }
        if (rc < 0) {
            pw_import_errors_reader(&p->err, p->file, &rd);
        } else if (rows == 0) {
            pw_import_errors_add(&p->err, p->file, 2, 0, "no items after the header");
        } else if (p->total_known &&
                   fabs(p->total - PW_SCORE_SHEET_TOTAL) > PW_SCORE_SHEET_TOLERANCE) {
            pw_import_errors_add(&p->err, p->file, 1, SH_MAX,
                                 "the items' max_points add up to %.10g, not 100", p->total);
        }
        /* and the engine's own check of the whole sheet, as a last word */
        pw_score_sheet sheet = {.category = r->category, .items = p->engine, .n_items = p->n};
        char err[256];
        if (p->err.n == 0 && pw_score_sheet_check(&sheet, err, sizeof err) != PW_OK)
            pw_import_errors_add(&p->err, p->file, 1, 0, "%s", err);
    }
    pw_csv_reader_fini(&rd);
    if (p->err.n)
        return pw_import_errors_fail(&p->err);
    sheet_job j = {
        .c = c, .category = r->category, .p = p, .set = {r->commend_top, r->criticise_bottom}};
    st = pw_store_write(c->store, c->deadline_us, sheet_import_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot import the %s sheet", r->category);
    Planwatch__V1__Sheet *out =
        sheet_msg(c->arena, r->category, c->now, p->items, p->n, pw_call_tz_offset(c));
    out->replaced = j.replaced;
    out->commend_top = j.stored.commend_top;
    out->criticise_bottom = j.stored.criticise_bottom;
    *resp = &out->base;
    return PW_OK;
}

int pw_svc_sheet_show(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ShowSheetRequest *r = (const Planwatch__V1__ShowSheetRequest *)req;
    int st = sheet_category_ok(c, r->category);
    if (st != PW_OK)
        return st;
    int64_t at = 0;
    pw_sheet_item *items;
    size_t n;
    pw_sheet_settings set;
    st = pw_store_sheet_get(c->db, c->arena, r->category, &at, &set, &items, &n);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st,
                            "no %s score sheet yet: planwatch sheet import FILE --category %s",
                            r->category, r->category);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read the %s score sheet", r->category);
    Planwatch__V1__Sheet *out =
        sheet_msg(c->arena, r->category, at, items, n, pw_call_tz_offset(c));
    out->commend_top = set.commend_top;
    out->criticise_bottom = set.criticise_bottom;
    *resp = &out->base;
    return PW_OK;
}
