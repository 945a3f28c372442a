/*
 * render_record.c - the published record in every format (render_record.h).
 */
#include "common/render/render_record.h"

#include <stdlib.h>

#include "common/period.h"

static const Planwatch__V1__PublishedVersion *record_shown(const pw_record_view *v)
{
    size_t want = v->version > 0 ? (size_t)v->version : v->n_versions;
    for (size_t i = 0; i < v->n_versions; i++)
        if ((size_t)v->versions[i]->version == want)
            return v->versions[i];
    return NULL;
}

void pw_render_record_text(const pw_record_view *v, FILE *f)
{
    char b[PW_TIME_BUFSIZE];
    const Planwatch__V1__PublishedVersion *shown = record_shown(v);
    if (v->version > 0 && shown)
        fprintf(f, "published version %d of %zu\n", v->version, v->n_versions);
    for (size_t i = 0; i < v->n_versions; i++) {
        const Planwatch__V1__PublishedVersion *x = v->versions[i];
        if (x->version < 2 || (v->version > 0 && x->version > v->version))
            continue;
        const char *at = pw_fmt_time(x->published_at, b, sizeof b);
        char *why = pw_term_clean(x->reason), *by = pw_term_clean(x->published_by);
        fprintf(f, "更正 correction: version %d published %s by %s: %s\n", x->version,
                at ? at : "-", by, why);
        free(why);
        free(by);
    }
    if (v->version > 0 && (size_t)v->version < v->n_versions)
        fprintf(f, "a later version exists: version %zu (更正)\n", v->n_versions);
    if (v->version == 0 && v->n_versions > 0)
        fprintf(f, "live view: %s published version %zu\n",
                v->differs ? "DIFFERS from" : "the same as", v->n_versions);
}

void pw_render_record_json(const pw_record_view *v, json_t *o)
{
    json_object_set_new(o, "version", v->version > 0 ? json_integer(v->version) : json_null());
    json_t *arr = json_array();
    for (size_t i = 0; i < v->n_versions; i++) {
        const Planwatch__V1__PublishedVersion *x = v->versions[i];
        json_t *e = json_object();
        json_object_set_new(e, "version", json_integer(x->version));
        json_object_set_new(e, "published_at", pw_json_time(x->published_at));
        json_object_set_new(e, "published_by", pw_json_str(x->published_by));
        json_object_set_new(e, "reason", pw_json_str_or_null(x->reason));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "versions", arr);
    json_object_set_new(o, "differs_from_published",
                        v->version == 0 && v->n_versions > 0 ? json_boolean(v->differs)
                                                             : json_null());
}

void pw_render_record_html(const pw_record_view *v, pw_doc *d)
{
    char b[PW_TIME_BUFSIZE];
    int any = 0;
    for (size_t i = 0; i < v->n_versions; i++) {
        const Planwatch__V1__PublishedVersion *x = v->versions[i];
        if (x->version < 2 || (v->version > 0 && x->version > v->version))
            continue;
        if (!any++)
            pw_doc_raw(d, "<p class=\"record\">");
        else
            pw_doc_raw(d, "<br>");
        const char *at = pw_fmt_time_short(x->published_at, b, sizeof b);
        pw_doc_rawf(d, "<b>更正</b> <span class=\"en\">correction</span> 第%d版 ", x->version);
        pw_doc_text(d, at ? at : "");
        pw_doc_raw(d, "：");
        pw_doc_text(d, x->reason);
    }
    if (v->version == 0 && v->n_versions > 0 && v->differs) {
        pw_doc_raw(d, any++ ? "<br>" : "<p class=\"record\">");
        pw_doc_rawf(d,
                    "实时数据与已发布第%zu版不同 <span class=\"en\">live view differs from the "
                    "published version</span>",
                    v->n_versions);
    }
    if (any)
        pw_doc_raw(d, "</p>\n");
}
