/*
 * publish.c - PublishService/Publish and the reading of the published record
 * (publish.h, SPEC 3.8).
 *
 * Design notes
 * - A publication stores the packed reply with its record fields cleared
 *   (published, published_at, version, versions, differs_from_published,
 *   generated_at): the "content".  Readers get the stored content unpacked,
 *   with the record fields filled from the version rows, so they show when
 *   and why each version was published.
 * - The live view of the office is built, cleared the same way and packed:
 *   equal bytes to the latest version's content means nothing changed since
 *   (protobuf-c packs fields in number order, so equal messages give equal
 *   bytes).
 * - Version 1 needs no reason; every later version is a correction and needs
 *   one.  Versions are appended inside one write, so two racing publications
 *   cannot get the same number.
 * - A publication made by release 0.1.0 kept no content (that release
 *   computed published views on every read); migration 4 turns it into
 *   version 1 with an empty body, and readers get it computed now, as that
 *   release showed it.  The office's next publication of that period is a
 *   correction (version 2, with a reason) and is frozen like any other.
 * - Idempotent: publishing content equal to the latest version's, with the
 *   same reason, stores nothing and answers with that version (`unchanged`),
 *   so a resent request (REQ resends after 60 s) makes no second version.
 */
#include "server/svc/publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/store_publish.h"
#include "server/svc/dispatch.h"
#include "server/svc/plan.h"

static const pw_publication_kind *publish_kind_of(const char *name)
{
    if (strcmp(name, "dispatch") == 0)
        return &pw_dispatch_publication;
    if (strcmp(name, "scores") == 0)
        return &pw_scores_publication;
    return NULL;
}

/* The content of m: record fields cleared, packed into the arena. */
static uint8_t *publish_content(pw_call *c, const pw_publication_kind *k, ProtobufCMessage *m,
                                size_t *len)
{
    pw_publication_record none = {0};
    k->record(m, &none);
    *len = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = pw_arena_alloc(c->arena, *len + 1);
    protobuf_c_message_pack(m, buf);
    return buf;
}

/* The versions of (k, plan, period) as messages. */
static int publish_versions(pw_call *c, const pw_publication_kind *k, const char *plan,
                            const char *period, pw_publication_record *rec)
{
    pw_publication_row *rows;
    size_t n;
    if (pw_store_publication_list(c->db, c->arena, k->kind, plan, period, &rows, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the published record");
    rec->versions = pw_arena_alloc(c->arena, sizeof *rec->versions * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__PublishedVersion *v = pw_arena_alloc(c->arena, sizeof *v);
        planwatch__v1__published_version__init(v);
        v->version = rows[i].version;
        v->published_at = rows[i].published_at;
        v->published_by = (char *)rows[i].published_by;
        v->reason = (char *)rows[i].reason;
        rec->versions[i] = v;
    }
    rec->n_versions = n;
    rec->rows = rows;
    return PW_OK;
}

/* An empty reply of kind k carrying only the record fields (head_only). */
static int publish_head(pw_call *c, const pw_publication_kind *k, const pw_plan_row *plan,
                        const char *period, pw_publication_record *rec, ProtobufCMessage **out)
{
    ProtobufCMessage *m = pw_arena_alloc(c->arena, k->desc->sizeof_message);
    protobuf_c_message_init(k->desc, m);
    rec->plan = plan->id;
    rec->period = pw_arena_strdup(c->arena, period);
    k->record(m, rec);
    *out = m;
    return PW_OK;
}

/* Version `version` (0: the latest) of the published record, whose
 * versions are in rec: the frozen content, or for a 0.1.0 publication
 * (no content) computed now. */
static int publish_frozen(pw_call *c, const pw_publication_kind *k, const pw_plan_row *plan,
                          const pw_period *p, const char *period, int version, int head_only,
                          pw_publication_record *rec, ProtobufCMessage **out)
{
    if (rec->n_versions == 0)
        return pw_call_fail(c, PW_NOT_FOUND, "the office has not published the %s of %s yet",
                            k->title, period);
    if ((size_t)version > rec->n_versions)
        return pw_call_fail(c, PW_NOT_FOUND, "the %s of %s has no version %d (the latest is %zu)",
                            k->title, period, version, rec->n_versions);
    rec->published = 1;
    if (head_only) {
        const pw_publication_row *row = &rec->rows[rec->n_versions - 1];
        for (size_t i = 0; version && i < rec->n_versions; i++)
            if (rec->rows[i].version == version)
                row = &rec->rows[i];
        rec->published_at = row->published_at;
        rec->version = row->body_len ? row->version : 0;
        rec->generated_at = row->published_at;
        return publish_head(c, k, plan, period, rec, out);
    }
    pw_publication_row row;
    if (pw_store_publication_get(c->db, c->arena, k->kind, plan->id, period, version, &row) !=
        PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the published record");
    ProtobufCMessage *m = NULL;
    int st;
    if (row.body_len == 0) { /* published by release 0.1.0: no frozen content */
        if ((st = k->build(c, plan, p, period, &m)) != PW_OK)
            return st;
    } else {
        m = protobuf_c_message_unpack(k->desc, pw_arena_protobuf_allocator(c->arena), row.body_len,
                                      row.body);
    }
    if (!m)
        return pw_call_fail(c, PW_INTERNAL, "the published %s of %s version %d is unreadable",
                            k->title, period, row.version);
    rec->published_at = row.published_at;
    rec->version = row.version;
    rec->generated_at = row.body_len ? row.published_at : c->now;
    k->record(m, rec);
    *out = m;
    return PW_OK;
}

/* The office's live view, built now, and whether it differs from the
 * latest published version. */
static int publish_live(pw_call *c, const pw_publication_kind *k, const pw_plan_row *plan,
                        const pw_period *p, const char *period, int head_only,
                        pw_publication_record *rec, ProtobufCMessage **out)
{
    if (head_only) {
        rec->published = rec->n_versions > 0;
        if (rec->n_versions)
            rec->published_at = rec->rows[rec->n_versions - 1].published_at;
        rec->generated_at = c->now;
        return publish_head(c, k, plan, period, rec, out);
    }
    ProtobufCMessage *m;
    int st;
    if ((st = k->build(c, plan, p, period, &m)) != PW_OK)
        return st;
    if (rec->n_versions > 0) {
        pw_publication_row row;
        if (pw_store_publication_get(c->db, c->arena, k->kind, plan->id, period, 0, &row) != PW_OK)
            return pw_call_fail(c, PW_INTERNAL, "cannot read the published record");
        size_t len;
        const uint8_t *live = publish_content(c, k, m, &len);
        rec->published = 1;
        rec->published_at = row.published_at;
        rec->differs = len != row.body_len || memcmp(live, row.body, len) != 0;
    }
    rec->generated_at = c->now;
    k->record(m, rec);
    *out = m;
    return PW_OK;
}

int pw_publication_serve(pw_call *c, const pw_publication_kind *k, const pw_plan_row *plan,
                         const pw_period *p, const char *period, int version, int head_only,
                         ProtobufCMessage **out)
{
    pw_publication_record rec = {0};
    int st = publish_versions(c, k, plan->id, period, &rec);
    if (st != PW_OK)
        return st;
    int office = (c->who.role & (PW_ROLE_OFFICE | PW_ROLE_ADMIN)) != 0;
    if (version < 0)
        return pw_call_fail(c, PW_INVALID_ARGUMENT, "--version %d: 1 or more", version);
    if (!office || version > 0)
        return publish_frozen(c, k, plan, p, period, version, head_only, &rec, out);
    return publish_live(c, k, plan, p, period, head_only, &rec, out);
}

typedef struct publish_job {
    pw_call *c;
    const pw_publication_kind *k;
    pw_publication_row row;
    int previous;  /* the latest version before this one */
    int tz;        /* the plan's offset, for messages */
    int unchanged; /* equal to the latest version: nothing stored */
} publish_job;

static int publish_write(pw_db *w, void *arg)
{
    publish_job *j = arg;
    pw_publication_row latest;
    int st = pw_store_publication_get(w, j->c->arena, j->row.kind, j->row.plan, j->row.period, 0,
                                      &latest);
    if (st != PW_OK && st != PW_NOT_FOUND)
        return pw_call_fail(j->c, PW_INTERNAL, "cannot read the published record");
    j->previous = st == PW_OK ? latest.version : 0;
    if (j->previous > 0 && latest.body_len == j->row.body_len &&
        memcmp(latest.body, j->row.body, j->row.body_len) == 0 &&
        (!j->row.reason[0] || strcmp(latest.reason, j->row.reason) == 0)) {
        j->unchanged = 1;
        j->row = latest;
        return PW_OK;
    }
    if (j->previous > 0 && !j->row.reason[0]) {
        char at[PW_TIME_BUFSIZE] = "";
        pw_time_format_iso8601(latest.published_at, j->tz, at, sizeof at);
        return pw_call_fail(j->c, PW_FAILED_PRECONDITION,
                            "the %s of %s was published as version %d on %.10s: a correction "
                            "(version %d) needs --reason",
                            j->k->title, j->row.period, j->previous, at, j->previous + 1);
    }
    j->row.version = j->previous + 1;
    if ((st = pw_store_publication_insert(w, &j->row)) != PW_OK)
        return pw_call_fail(j->c, st == PW_ALREADY_EXISTS ? PW_ABORTED : PW_INTERNAL,
                            "cannot publish the %s of %s", j->k->title, j->row.period);
    char obj[96];
    snprintf(obj, sizeof obj, "%s/%s/%s", j->row.kind, j->row.plan, j->row.period);
    if (j->row.version == 1)
        return pw_call_audit(j->c, w, obj, "published the %s of %s", j->row.kind, j->row.period);
    return pw_call_audit(j->c, w, obj, "published version %d (correction) of the %s of %s: %s",
                         j->row.version, j->row.kind, j->row.period, j->row.reason);
}

int pw_svc_publish(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__PublishRequest *r = (const Planwatch__V1__PublishRequest *)req;
    const pw_publication_kind *k = publish_kind_of(r->kind);
    if (!k)
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "publish what? 'dispatch' or 'scores', not '%.40s'", r->kind);
    pw_period p;
    pw_plan_row plan;
    char period[16];
    int st =
        pw_call_plan_period(c, r->plan, r->period, k->periods, &plan, &p, period, sizeof period);
    if (st != PW_OK)
        return st;
    if ((st = pw_call_text_ok(c, "reason", r->reason, 0)) != PW_OK)
        return st;
    ProtobufCMessage *m;
    if ((st = k->build(c, &plan, &p, period, &m)) != PW_OK)
        return st;
    publish_job j = {.c = c,
                     .k = k,
                     .tz = plan.tz_offset_min,
                     .row = {.kind = k->kind,
                             .plan = plan.id,
                             .period = period,
                             .published_by = c->who.name,
                             .published_at = c->now,
                             .reason = r->reason}};
    j.row.body = publish_content(c, k, m, &j.row.body_len);
    st = pw_store_write(c->store, c->deadline_us, publish_write, &j);
    if (st != PW_OK)
        return c->message ? st : pw_call_fail(c, st, "cannot publish");
    Planwatch__V1__PublishResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__publish_response__init(out);
    out->has_tz_offset_min = 1;
    out->tz_offset_min = plan.tz_offset_min;
    out->kind = (char *)k->kind;
    out->period = pw_arena_strdup(c->arena, period);
    out->published_at = j.row.published_at;
    out->published_by = (char *)j.row.published_by;
    out->version = j.row.version;
    out->reason = (char *)j.row.reason;
    out->unchanged = j.unchanged;
    *resp = &out->base;
    return PW_OK;
}

/* ---- PublishService/List ---------------------------------------------------- */

/* yyyymm of the last month of `period` and its length in months; -1 when
 * it is not a period (never, for stored ones). */
static int publish_period_order(const char *period, int *months)
{
    pw_period p;
    char err[96];
    int first, last;
    if (pw_period_parse(period, &p, err, sizeof err) != 0 ||
        pw_period_months(&p, &first, &last) != 0)
        return -1;
    *months = last - first + 1;
    return p.year * 100 + last;
}

/* newest last month first; of two ending in the same month, the longer
 * window (the year before Q4, Q1 before March) */
static int publish_entry_cmp(const void *a, const void *b)
{
    const Planwatch__V1__PublicationEntry *x = *(Planwatch__V1__PublicationEntry *const *)a;
    const Planwatch__V1__PublicationEntry *y = *(Planwatch__V1__PublicationEntry *const *)b;
    int mx = 0, my = 0;
    publish_period_order(x->period, &mx);
    publish_period_order(y->period, &my);
    if (x->last_month != y->last_month)
        return x->last_month > y->last_month ? -1 : 1;
    if (mx != my)
        return mx > my ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

int pw_svc_publish_list(pw_call *c, const ProtobufCMessage *req, ProtobufCMessage **resp)
{
    const Planwatch__V1__ListPublicationsRequest *r =
        (const Planwatch__V1__ListPublicationsRequest *)req;
    if (r->kind[0] && !publish_kind_of(r->kind))
        return pw_call_fail(c, PW_INVALID_ARGUMENT,
                            "list what? 'dispatch', 'scores' or both, not '%.40s'", r->kind);
    pw_plan_row plan;
    int st = pw_call_plan(c, r->plan, &plan);
    if (st != PW_OK)
        return st;
    pw_publication_row *rows;
    size_t n;
    if (pw_store_publication_latest(c->db, c->arena, plan.id, r->kind, &rows, &n) != PW_OK)
        return pw_call_fail(c, PW_INTERNAL, "cannot read the published record");
    Planwatch__V1__ListPublicationsResponse *out = pw_arena_alloc(c->arena, sizeof *out);
    planwatch__v1__list_publications_response__init(out);
    out->plan = (char *)plan.id;
    out->entries = pw_arena_alloc(c->arena, sizeof *out->entries * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        Planwatch__V1__PublicationEntry *e = pw_arena_alloc(c->arena, sizeof *e);
        planwatch__v1__publication_entry__init(e);
        int months;
        e->kind = (char *)rows[i].kind;
        e->period = (char *)rows[i].period;
        e->version = rows[i].version;
        e->published_at = rows[i].published_at;
        e->last_month = publish_period_order(rows[i].period, &months);
        out->entries[out->n_entries++] = e;
    }
    if (out->n_entries)
        qsort(out->entries, out->n_entries, sizeof *out->entries, publish_entry_cmp);
    *resp = &out->base;
    return PW_OK;
}
