/*
 * web_cache.h - the board's cache of rendered published versions (SPEC 3.8,
 * 4.4): a published version is a frozen record (a correction is a new
 * version), so its page or JSON is rendered once per (kind, plan, period,
 * version, reader's view, format) and later readers get the bytes.
 *
 * Design notes
 * - Only the rendering is cached, never the decision to serve it: every
 *   request still makes its call through the method table (pw_web_call)
 *   with head_only set -- session, role, the handler's checks, which version
 *   is the latest -- and looks the bytes up under the version that call
 *   named.  A correction has a new version, hence a new key: it is served
 *   at once, and the old version's bytes age out.
 * - Keys are built from what the full call answered (plan id, period,
 *   version), never from the head-only call alone, so a correction landing
 *   between the two calls cannot store new bytes under the old version.
 * - Bounded: at most PW_WEB_CACHE_ENTRIES entries and PW_WEB_CACHE_BYTES of
 *   bodies; the least recently used entries go first.  An entry evicted
 *   while a worker copies from it lives until that worker releases it.
 * - One cache per running board (pw_web), shared by its workers under one
 *   mutex held only for lookups and bookkeeping, never for copies.
 */
#ifndef PW_SERVER_WEB_CACHE_H
#define PW_SERVER_WEB_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define PW_WEB_CACHE_ENTRIES 256
#define PW_WEB_CACHE_BYTES (64u << 20) /* 64 MiB of rendered bodies */

typedef struct pw_web_cache pw_web_cache;

/* One rendered version; read-only for holders. */
typedef struct pw_web_cached {
    const char *key;
    const char *body; /* NUL-terminated */
    size_t len;
    size_t split;  /* where the per-user nav goes (HTML), else len */
    char hash[33]; /* hex BLAKE2b-128 of the body: the ETag's base */
} pw_web_cached;

pw_web_cache *pw_web_cache_new(void);
void pw_web_cache_free(pw_web_cache *c);

/* The entry under `key`, held (release it), or NULL. */
const pw_web_cached *pw_web_cache_get(pw_web_cache *c, const char *key);
/* Store a copy of body[0..len) under `key` (replacing an entry of that
 * key) and return it held; NULL when out of memory or larger than the
 * whole cache (then nothing is stored). */
const pw_web_cached *pw_web_cache_put(pw_web_cache *c, const char *key, const char *body,
                                      size_t len, size_t split);
void pw_web_cache_release(pw_web_cache *c, const pw_web_cached *e);

/* One render per key at a time: when a published version is first read by
 * many people at once (a bulletin just published), the first reader renders
 * it and the others wait for its bytes instead of each rendering it.
 * 1: the caller renders, then calls pw_web_cache_unclaim (stored or not);
 * 0: another reader was rendering `key` and has finished (or
 * PW_WEB_CACHE_WAIT_S passed): look it up again, render when still absent;
 * -1: too many renders in flight: render without a claim. */
#define PW_WEB_CACHE_WAIT_S 10
int pw_web_cache_claim(pw_web_cache *c, const char *key);
void pw_web_cache_unclaim(pw_web_cache *c, const char *key);

/* Counters for /metrics and tests. */
typedef struct pw_web_cache_stats {
    uint64_t hits, misses, entries, bytes, evictions, waits;
} pw_web_cache_stats;
void pw_web_cache_stats_get(pw_web_cache *c, pw_web_cache_stats *out);

#endif
