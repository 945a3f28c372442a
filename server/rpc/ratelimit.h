/*
 * ratelimit.h - token buckets keyed by a string (a user name or a peer
 * address), for the abuse limits of SPEC 5.3: calls per second per user and
 * logins per minute per peer.  Thread-safe; a fixed table (keys hash into
 * PW_RATE_SLOTS slots, a colliding key takes the slot over), so memory
 * stays bounded whatever the traffic.
 */
#ifndef PW_SERVER_RATELIMIT_H
#define PW_SERVER_RATELIMIT_H

#include <stdint.h>

#define PW_RATE_SLOTS 4096

typedef struct pw_ratelimit pw_ratelimit;

/* `rate` tokens per `per_us` microseconds, bursts of up to `rate`.  A table
 * lives as long as the process (rpc.c makes two, once), so there is no free. */
pw_ratelimit *pw_ratelimit_new(double rate, int64_t per_us);
/* Take one token for `key` at monotonic time `now_us`: 1 allowed, 0 not. */
int pw_ratelimit_take(pw_ratelimit *r, const char *key, int64_t now_us);

#endif
