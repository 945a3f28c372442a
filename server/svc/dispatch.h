/*
 * dispatch.h - DispatchService: the monthly dispatch summary (SPEC 3.4),
 * computed on demand from the stored reports by the pure engine
 * (server/engine/progress.c, quality.c).  ScoreService is in scores.h.
 */
#ifndef PW_SERVER_DISPATCH_H
#define PW_SERVER_DISPATCH_H

#include "server/rpc/call.h"

pw_handler pw_svc_dispatch_get;

#include "planwatch/v1/dispatch.pb-c.h"
#include "server/engine/progress.h"
#include "server/store/assess.h"
#include "server/svc/publish.h"

/* What DispatchService/Get and ScoreService/Get publish (publish.h). */
extern const pw_publication_kind pw_dispatch_publication;
extern const pw_publication_kind pw_scores_publication;

/* The timeliness table of month m (one line per unit; only `unit` when not
 * "") and the completeness/timeliness rates per category, from `as`. */
void pw_dispatch_timeliness(pw_arena *a, const pw_assess *as, int m, const char *unit,
                            Planwatch__V1__UnitTimeliness ***units, size_t *nunits,
                            Planwatch__V1__CategoryRate ***rates, size_t *nrates);

/* The same over months first..m as one (the quarterly bulletin, SPEC 3.4):
 * missing when any expected month is missing, late with the days of the late
 * months added up, on time when every expected month was. */
void pw_dispatch_timeliness_range(pw_arena *a, const pw_assess *as, int first, int m,
                                  const char *unit, Planwatch__V1__UnitTimeliness ***units,
                                  size_t *nunits, Planwatch__V1__CategoryRate ***rates,
                                  size_t *nrates);

/* The progress of assignment `a` with value `v` (NULL: none) as of month
 * m, for the ranking's work-performance item; `kind` and `dir` are
 * pw_progress_kind_from_name / pw_progress_direction_from_name of its kind
 * and direction (looked up once by the caller). */
int pw_dispatch_progress_kinds(int kind, int dir, const pw_assignment *a, const pw_assess_value *v,
                               int m, pw_progress_result *out);

#endif
