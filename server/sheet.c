/*
 * sheet.c - SheetService handlers: Import, Show (SPEC 3.5).
 *
 * Design notes
 * - A sheet is data: `item,group,content,max_points,kind,params`.  Each kind
 *   has a fixed set of numeric parameters with defaults (sheet_kinds[]); an
 *   import stores params normalised (keys in table order, every default
 *   filled in), so that the scoring engine never has to know a default.
 * - Points must add up to 100 (trust the items, not the printed group
 *   headings).  All rows are checked and every error reported before the
 *   one write that replaces the category's sheet (all or nothing).
 */
#include "server/sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "planwatch/v1/plan.pb-c.h"
#include "server/import_errors.h"
#include "server/store_sheet.h"

#define SHEET_MAX_ITEMS 200

/* The kinds and their parameters; a NAN default means "the item's max". */
typedef struct sheet_kind {
    const char *name;
    const char *keys[3];
    double defaults[3];
} sheet_kind;

static const sheet_kind sheet_kinds[] = {
    {"monthly_timeliness", {"deduct"}, {0.5}},
    {"halfyear_reports", {"deduct"}, {2}},
    {"work_performance", {NULL}, {0}},
    {"per_event", {"deduct"}, {1}},
    {"manual", {NULL}, {0}},
    {"all_or_nothing", {NULL}, {0}},
    {"per_amount", {"per", "award", "cap"}, {1000, 0.5, NAN}},
};
#define SHEET_NKINDS (sizeof sheet_kinds / sizeof sheet_kinds[0])

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

static const sheet_kind *sheet_kind_find(const char *name)
{
    for (size_t i = 0; i < SHEET_NKINDS; i++)
        if (strcmp(sheet_kinds[i].name, name) == 0)
            return &sheet_kinds[i];
    return NULL;
}

static const char *sheet_kind_keys(const sheet_kind *k, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < 3 && k->keys[i]; i++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", k->keys[i]);
    return buf;
}

/* Validate the params of one row against its kind and return the
 * normalised string (arena), or NULL after adding the errors. */
static const char *sheet_parse_params(pw_call *c, pw_import_errors *e, const char *file,
                                      const pw_csv_record *rec, const sheet_kind *k,
                                      double max_points)
{
    const char *s = rec->fields[SH_PARAMS - 1];
    double vals[3];
    int have[3] = {0, 0, 0}, bad = 0;
    char keys[64];
    while (*s) {
        size_t len = strcspn(s, ";");
        const char *b = s, *end = s + len;
        s = *end ? end + 1 : end;
        while (b < end && (*b == ' ' || *b == '\t'))
            b++;
        while (end > b && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (b == end)
            continue;
        const char *piece = pw_arena_strndup(c->arena, b, (size_t)(end - b));
        const char *eq = strchr(piece, '=');
        if (!eq) {
            pw_import_errors_field(e, file, rec, SH_PARAMS, "parameter '%s' is not key=value",
                                   pw_import_quote(c, piece, strlen(piece)));
            bad = 1;
            continue;
        }
        char *key = pw_arena_strndup(c->arena, piece, (size_t)(eq - piece));
        size_t kl = strlen(key);
        while (kl && (key[kl - 1] == ' ' || key[kl - 1] == '\t'))
            key[--kl] = '\0';
        size_t i = 0;
        while (i < 3 && k->keys[i] && strcmp(k->keys[i], key) != 0)
            i++;
        if (i == 3 || !k->keys[i]) {
            if (k->keys[0])
                pw_import_errors_field(
                    e, file, rec, SH_PARAMS, "unknown parameter '%s' for kind %s: %s",
                    pw_import_quote(c, key, kl), k->name, sheet_kind_keys(k, keys, sizeof keys));
            else
                pw_import_errors_field(e, file, rec, SH_PARAMS,
                                       "kind %s takes no parameters, found '%s'", k->name,
                                       pw_import_quote(c, key, kl));
            bad = 1;
            continue;
        }
        if (have[i]) {
            pw_import_errors_field(e, file, rec, SH_PARAMS, "parameter %s given twice", k->keys[i]);
            bad = 1;
            continue;
        }
        int not_finite;
        if (pw_import_parse_number(eq + 1, &vals[i], &not_finite) != 0 || vals[i] <= 0) {
            pw_import_errors_field(e, file, rec, SH_PARAMS,
                                   "parameter %s='%s' is not a positive number", k->keys[i],
                                   pw_import_quote(c, eq + 1, strlen(eq + 1)));
            bad = 1;
            continue;
        }
        have[i] = 1;
    }
    if (bad)
        return NULL;
    char out[256] = "";
    for (size_t i = 0; i < 3 && k->keys[i]; i++) {
        double v = have[i] ? vals[i] : isnan(k->defaults[i]) ? max_points : k->defaults[i];
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s=%.15g", i ? ";" : "",
                 k->keys[i], v);
    }
    return pw_arena_strdup(c->arena, out);
}

typedef struct sheet_parse {
    pw_call *c;
    pw_import_errors err;
    const char *file;
    pw_sheet_item *items;
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
    const sheet_kind *k = sheet_kind_find(f[SH_KIND - 1]);
    if (!k) {
        pw_import_errors_field(&p->err, p->file, rec, SH_KIND,
                               "unknown item kind '%s': monthly_timeliness, halfyear_reports, "
                               "work_performance, per_event, manual, all_or_nothing or "
                               "per_amount",
                               pw_import_quote(c, f[SH_KIND - 1], rec->lens[SH_KIND - 1]));
    } else {
        x->kind = k->name;
        x->params = sheet_parse_params(c, &p->err, p->file, rec, k, x->max_points);
    }
    p->lines[p->n++] = rec->line;
}

static Planwatch__V1__Sheet *sheet_msg(pw_arena *a, const char *category, int64_t imported_at,
                                       const pw_sheet_item *items, size_t n)
{
    Planwatch__V1__Sheet *m = pw_arena_alloc(a, sizeof *m);
    planwatch__v1__sheet__init(m);
    m->category = (char *)category;
    m->imported_at = imported_at;
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
    int replaced;
} sheet_job;

static int sheet_import_write(pw_db *w, void *arg)
{
    sheet_job *j = arg;
    int st = store_sheet_replace(w, j->category, j->p->items, j->p->n, j->c->now, &j->replaced);
    if (st != PW_OK)
        return pw_call_fail(j->c, st, "cannot store the %s score sheet", j->category);
    char obj[40];
    snprintf(obj, sizeof obj, "sheet/%s", j->category);
    return pw_call_audit(j->c, w, obj, "%s the %s score sheet: %zu items, %g points",
                         j->replaced ? "replaced" : "imported", j->category, j->p->n, j->p->total);
}

int sheet_import_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ImportSheetRequest *r = (const Planwatch__V1__ImportSheetRequest *)req;
    int st = sheet_category_ok(c, r->category);
    if (st != PW_OK)
        return st;
    sheet_parse *p = pw_arena_alloc(c->arena, sizeof *p);
    p->c = c;
    pw_import_errors_init(&p->err, c);
    p->file = pw_import_file_label(c, r->file, "sheet.csv");
    p->items = pw_arena_alloc(c->arena, sizeof *p->items * SHEET_MAX_ITEMS);
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
        } else if (p->total_known && fabs(p->total - 100) > 1e-6) {
            pw_import_errors_add(&p->err, p->file, 1, SH_MAX,
                                 "the items' max_points add up to %g, not 100", p->total);
        }
    }
    pw_csv_reader_fini(&rd);
    if (p->err.n)
        return pw_import_errors_fail(&p->err);
    sheet_job j = {.c = c, .category = r->category, .p = p};
    st = pw_store_write(c->store, c->deadline_us, sheet_import_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot import the %s sheet", r->category);
    Planwatch__V1__Sheet *out = sheet_msg(c->arena, r->category, c->now, p->items, p->n);
    out->replaced = j.replaced;
    *resp = &out->base;
    return PW_OK;
}

int sheet_show_handle(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ShowSheetRequest *r = (const Planwatch__V1__ShowSheetRequest *)req;
    int st = sheet_category_ok(c, r->category);
    if (st != PW_OK)
        return st;
    int64_t at = 0;
    pw_sheet_item *items;
    size_t n;
    st = store_sheet_get(c->db, c->arena, r->category, &at, &items, &n);
    if (st == PW_NOT_FOUND)
        return pw_call_fail(c, st,
                            "no %s score sheet yet: planwatch sheet import FILE --category %s",
                            r->category, r->category);
    if (st != PW_OK)
        return pw_call_fail(c, st, "cannot read the %s score sheet", r->category);
    *resp = &sheet_msg(c->arena, r->category, at, items, n)->base;
    return PW_OK;
}
