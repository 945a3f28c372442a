/*
 * scores.h - ScoreService: scores and rankings of a period (SPEC 3.5),
 * computed on demand from the stored reports and findings by the pure engine
 * (server/engine/score.c); viewers and reporters read what was published.
 */
#ifndef PW_SERVER_SCORES_H
#define PW_SERVER_SCORES_H

#include "server/rpc/call.h"

pw_handler pw_svc_scores_get, pw_svc_scores_flag;

#endif
