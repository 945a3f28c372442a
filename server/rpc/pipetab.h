/*
 * pipetab.h - requests outstanding per connection (nng pipe), so that one
 * peer that sends without reading its replies cannot hold every worker.
 *
 * Design notes
 * - A pipe is tracked from its NNG_PIPE_EV_ADD_POST notification to its
 *   NNG_PIPE_EV_REM_POST one (pw_pipetab_add / pw_pipetab_remove, called
 *   from nng's notify callbacks).  A message whose pipe is not tracked comes
 *   from a pipe already gone: its reply will be dropped by nng anyway.
 * - "Outstanding" counts a request from the moment a worker received it to
 *   the moment its reply send finished (or failed).  A legitimate REQ client
 *   has one; a peer that pipelines and never reads piles them up.
 * - One mutex for the table; every operation is a hash and a few compares.
 *   Memory is one small node per open pipe.
 */
#ifndef PW_SERVER_RPC_PIPETAB_H
#define PW_SERVER_RPC_PIPETAB_H

#include <stdint.h>

typedef struct pw_pipetab pw_pipetab;

/* A new empty table; NULL when out of memory. */
pw_pipetab *pw_pipetab_new(void);
/* Free the table and every node. No other call may run concurrently. */
void pw_pipetab_free(pw_pipetab *t);

/* Track pipe `id` (0 outstanding). 0, or -1 when out of memory. */
int pw_pipetab_add(pw_pipetab *t, uint32_t id);
/* Forget pipe `id`; unknown ids are ignored. */
void pw_pipetab_remove(pw_pipetab *t, uint32_t id);

/* Count one more request outstanding on `id` unless `cap` are already:
 *   1  counted (call pw_pipetab_release once its reply is done),
 *   0  over the cap (nothing counted),
 *  -1  the pipe is not tracked (gone; nothing counted). */
int pw_pipetab_acquire(pw_pipetab *t, uint32_t id, int cap);
/* One request of `id` is answered (or dropped); unknown ids are ignored. */
void pw_pipetab_release(pw_pipetab *t, uint32_t id);
/* Outstanding requests of `id`; -1 when not tracked. */
int pw_pipetab_outstanding(pw_pipetab *t, uint32_t id);
/* Pipes tracked. */
int pw_pipetab_count(pw_pipetab *t);

#endif
