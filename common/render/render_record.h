/*
 * render_record.h - how a reply shows the published record (SPEC 3.8): which
 * version it is, the corrections (更正) with date and reason, and, in the
 * office's live view, whether it differs from what was published.  Shared by
 * the dispatch and scores renderers (text, JSON, HTML).
 */
#ifndef PW_COMMON_RENDER_RECORD_H
#define PW_COMMON_RENDER_RECORD_H

#include <jansson.h>
#include <stdio.h>

#include "common/render/render_format.h"
#include "planwatch/v1/dispatch.pb-c.h"

typedef struct pw_record_view {
    int published;
    int version; /* 0 = live view */
    Planwatch__V1__PublishedVersion *const *versions;
    size_t n_versions;
    int differs;
} pw_record_view;

/* The record view of a message with published, version, versions and
 * differs_from_published (a DispatchSummary, a ScoresResponse). */
#define PW_RECORD_VIEW(x)                                                                          \
    ((pw_record_view){(x)->published, (x)->version, (x)->versions, (x)->n_versions,                \
                      (x)->differs_from_published})

/* Lines such as "更正 correction: version 2 of 2024-05-12 by office: reason"
 * and "live view: differs from published version 2". */
void pw_render_record_text(const pw_record_view *v, FILE *f);
/* Adds "version", "versions" and "differs_from_published" to o. */
void pw_render_record_json(const pw_record_view *v, json_t *o);
/* A <p class="record"> paragraph (nothing when there is nothing to say). */
void pw_render_record_html(const pw_record_view *v, pw_doc *d);

#endif
