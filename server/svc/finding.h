/*
 * finding.h - FindingService: office entries that feed score-sheet items
 * (events, manual points, amounts raised) and the out-of-sheet findings
 * (falsification -10 each, bonus, penalty).  Each carries a mandatory note.
 */
#ifndef PW_SERVER_FINDING_H
#define PW_SERVER_FINDING_H

#include "server/rpc/call.h"

pw_handler pw_svc_finding_add, pw_svc_finding_list, pw_svc_finding_remove;

#endif
