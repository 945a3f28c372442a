/*
 * backoff.h - failed logins slow down their source, not the account
 * (SPEC 3.1): a stranger cannot lock the office out, and a source that
 * guesses gets at most a few checks and then ever longer waits.
 *
 * Design notes
 * - Keyed by source (peer.h: IPv4 address, IPv6 /64, local uid).  The
 *   first `free_failures` failed logins of a source cost nothing extra;
 *   each one after makes the source wait base, 2*base, 4*base, ... up to
 *   `max_us` before its next login is even checked.  A source quiet for
 *   2*max_us is forgotten.
 * - A check is reserved before the password is verified (counted as a
 *   failure) and given back on success: any number of parallel attempts
 *   gets no more checks than the back-off allows.
 * - Each source remembers the last user name it failed on, so that an
 *   admin can clear the back-off of the sources that failed on a name
 *   ("planwatch-admin user unlock NAME").
 * - A fixed table of PW_BACKOFF_SLOTS slots under one mutex, like
 *   ratelimit.c: memory stays bounded whatever the traffic; a colliding
 *   source takes a slot over (which can only make a back-off shorter).
 */
#ifndef PW_SERVER_RPC_BACKOFF_H
#define PW_SERVER_RPC_BACKOFF_H

#include <stdint.h>

#define PW_BACKOFF_SLOTS 4096

typedef struct pw_backoff pw_backoff;

pw_backoff *pw_backoff_new(int free_failures, int64_t base_us, int64_t max_us);
void pw_backoff_free(pw_backoff *b);

/* Reserve one password check for `source` trying `user` at monotonic
 * `now_us`: 1 go ahead (then call pw_backoff_succeeded if the password
 * was right), 0 not yet (*wait_us: how long until the next check). */
int pw_backoff_begin(pw_backoff *b, const char *source, const char *user, int64_t now_us,
                     int64_t *wait_us);
/* The reserved check succeeded: it does not count as a failure. */
void pw_backoff_succeeded(pw_backoff *b, const char *source, int64_t now_us);
/* Forget every source whose last failure was on `user`; returns how many. */
int pw_backoff_clear_user(pw_backoff *b, const char *user);

#endif
