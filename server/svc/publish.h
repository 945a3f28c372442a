/*
 * publish.h - the published record (SPEC 3.8).  Publishing freezes the reply
 * as it is at that moment: the packed message is stored (store_publish.h) and
 * viewers and reporters read exactly those bytes, whatever is amended, found,
 * revised or unlocked afterwards.  A correction is a new version with a
 * reason; every version stays readable.  The office reads the live view,
 * which says whether it differs from the latest published version.
 */
#ifndef PW_SERVER_PUBLISH_H
#define PW_SERVER_PUBLISH_H

#include "common/period.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "server/rpc/call.h"
#include "server/store/store_plan.h"

/* The record fields of a reply, set by pw_publication_kind.record. */
typedef struct pw_publication_record {
    int published;        /* some version exists */
    int64_t published_at; /* of the version shown, or of the latest (live view) */
    int version;          /* the version shown; 0 = live */
    int64_t generated_at;
    Planwatch__V1__PublishedVersion **versions;
    size_t n_versions;
    int differs; /* live view differs from the latest version */
    /* head-only replies (no content): the plan and period they are of;
     * NULL: leave the message's own */
    const char *plan, *period;
    const struct pw_publication_row *rows; /* the version rows (no bodies), oldest first */
} pw_publication_record;

/* Copy the record fields into a reply `s` of any kind whose message has the
 * published/published_at/version/generated_at/versions/differs_from_published
 * fields (DispatchSummary, ScoresResponse). */
#define PW_PUBLICATION_RECORD_SET(s, rec)                                                          \
    do {                                                                                           \
        (s)->published = (rec)->published;                                                         \
        (s)->published_at = (rec)->published_at;                                                   \
        (s)->version = (rec)->version;                                                             \
        (s)->generated_at = (rec)->generated_at;                                                   \
        (s)->versions = (rec)->versions;                                                           \
        (s)->n_versions = (rec)->n_versions;                                                       \
        (s)->differs_from_published = (rec)->differs;                                              \
        if ((rec)->plan) {                                                                         \
            (s)->plan = (char *)(rec)->plan;                                                       \
            (s)->period = (char *)(rec)->period;                                                   \
        }                                                                                          \
    } while (0)

/* What can be published: a dispatch summary or a ranking. */
typedef struct pw_publication_kind {
    const char *kind;  /* "dispatch" | "scores" */
    const char *title; /* "dispatch summary" | "scores" */
    const ProtobufCMessageDescriptor *desc;
    unsigned periods; /* PW_PERIOD_ALLOW_* */
    /* The full live reply of (plan, period): every unit, every explanation.
     * PW_OK or a status with the call's message set. */
    int (*build)(pw_call *c, const pw_plan_row *plan, const pw_period *p, const char *period,
                 ProtobufCMessage **out);
    /* Write the record fields of a reply of this kind. */
    void (*record)(ProtobufCMessage *m, const pw_publication_record *rec);
} pw_publication_kind;

pw_handler pw_svc_publish;

/*
 * pw_publication_serve - the reply a caller may read of (plan, period):
 * viewers and reporters the published version `version` (0 = the latest),
 * never recomputed (PW_NOT_FOUND before publication); the office and admins
 * the same with version > 0, else the live view built now, with
 * differs_from_published.  *out is arena-allocated.
 * head_only: the same checks and answers, but *out holds only the record
 * fields, plan and period of what would be served: nothing is unpacked or
 * computed; its version is the frozen version that would be served, or 0
 * when that would be computed now (the live view, a 0.1.0 publication).
 */
int pw_publication_serve(pw_call *c, const pw_publication_kind *k, const pw_plan_row *plan,
                         const pw_period *p, const char *period, int version, int head_only,
                         ProtobufCMessage **out);

/* PublishService/List: the latest version of every published period. */
pw_handler pw_svc_publish_list;

#endif
