/*
 * web_cache.c - see web_cache.h.  A small table (PW_WEB_CACHE_ENTRIES
 * slots, scanned by a 64-bit hash of the key), LRU by a use counter,
 * reference counts so that eviction never frees bytes a worker copies.
 */
#include "server/web/web_cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct pw_web_entry {
    pw_web_cached pub;
    uint64_t keyhash;
    uint64_t used; /* the cache's tick at the last use */
    int refs;      /* the table's own (while in it) + holders */
} pw_web_entry;

/* Keys being rendered now (pw_web_cache_claim): a reader of the same key
 * waits for that render instead of making its own. */
#define PW_WEB_CACHE_FILLING 16

struct pw_web_cache {
    pthread_mutex_t mu;
    pthread_cond_t filled;
    char *filling[PW_WEB_CACHE_FILLING];
    pw_web_entry *slot[PW_WEB_CACHE_ENTRIES];
    size_t bytes;
    uint64_t tick;
    pw_web_cache_stats stats;
};

static uint64_t pw_web_cache_hash(const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

pw_web_cache *pw_web_cache_new(void)
{
    pw_web_cache *c = calloc(1, sizeof *c);
    if (c) {
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->filled, NULL);
    }
    return c;
}

static void pw_web_entry_free(pw_web_entry *e)
{
    free((char *)e->pub.key);
    free((char *)e->pub.body);
    free(e);
}

/* Drop one reference (mu held); the last one frees. */
static void pw_web_entry_unref(pw_web_entry *e)
{
    if (--e->refs == 0)
        pw_web_entry_free(e);
}

/* Take slot i out of the table (mu held). */
static void pw_web_cache_remove(pw_web_cache *c, int i)
{
    pw_web_entry *e = c->slot[i];
    c->slot[i] = NULL;
    c->bytes -= e->pub.len;
    c->stats.entries--;
    pw_web_entry_unref(e);
}

void pw_web_cache_free(pw_web_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < PW_WEB_CACHE_ENTRIES; i++)
        if (c->slot[i])
            pw_web_cache_remove(c, i);
    for (int i = 0; i < PW_WEB_CACHE_FILLING; i++)
        free(c->filling[i]);
    pthread_cond_destroy(&c->filled);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* The slot holding `key`, or -1 (mu held). */
static int pw_web_cache_find(pw_web_cache *c, const char *key, uint64_t h)
{
    for (int i = 0; i < PW_WEB_CACHE_ENTRIES; i++)
        if (c->slot[i] && c->slot[i]->keyhash == h && strcmp(c->slot[i]->pub.key, key) == 0)
            return i;
    return -1;
}

const pw_web_cached *pw_web_cache_get(pw_web_cache *c, const char *key)
{
    uint64_t h = pw_web_cache_hash(key);
    pthread_mutex_lock(&c->mu);
    int i = pw_web_cache_find(c, key, h);
    pw_web_entry *e = i >= 0 ? c->slot[i] : NULL;
    if (e) {
        e->refs++;
        e->used = ++c->tick;
        c->stats.hits++;
    } else {
        c->stats.misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return e ? &e->pub : NULL;
}

/* Make room for `len` more bytes and one entry (mu held): evict the least
 * recently used until both bounds hold; the free slot, or -1. */
static int pw_web_cache_room(pw_web_cache *c, size_t len)
{
    for (;;) {
        int free_slot = -1, lru = -1;
        for (int i = 0; i < PW_WEB_CACHE_ENTRIES; i++) {
            if (!c->slot[i]) {
                if (free_slot < 0)
                    free_slot = i;
            } else if (lru < 0 || c->slot[i]->used < c->slot[lru]->used) {
                lru = i;
            }
        }
        if (free_slot >= 0 && c->bytes + len <= PW_WEB_CACHE_BYTES)
            return free_slot;
        if (lru < 0)
            return -1;
        pw_web_cache_remove(c, lru);
        c->stats.evictions++;
    }
}

const pw_web_cached *pw_web_cache_put(pw_web_cache *c, const char *key, const char *body,
                                      size_t len, size_t split)
{
    if (len > PW_WEB_CACHE_BYTES || split > len)
        return NULL;
    pw_web_entry *e = calloc(1, sizeof *e);
    char *b = malloc(len + 1);
    char *k = strdup(key);
    if (!e || !b || !k) {
        free(e);
        free(b);
        free(k);
        return NULL;
    }
    memcpy(b, body, len);
    b[len] = '\0';
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)b, len, NULL, 0);
    sodium_bin2hex(e->pub.hash, sizeof e->pub.hash, hash, sizeof hash);
    e->pub.key = k;
    e->pub.body = b;
    e->pub.len = len;
    e->pub.split = split;
    e->keyhash = pw_web_cache_hash(key);
    pthread_mutex_lock(&c->mu);
    int old = pw_web_cache_find(c, key, e->keyhash);
    if (old >= 0)
        pw_web_cache_remove(c, old);
    int i = pw_web_cache_room(c, len);
    if (i < 0) {
        pthread_mutex_unlock(&c->mu);
        pw_web_entry_free(e);
        return NULL;
    }
    e->refs = 2; /* the table's and the caller's */
    e->used = ++c->tick;
    c->slot[i] = e;
    c->bytes += len;
    c->stats.entries++;
    pthread_mutex_unlock(&c->mu);
    return &e->pub;
}

void pw_web_cache_release(pw_web_cache *c, const pw_web_cached *pub)
{
    if (!pub)
        return;
    pthread_mutex_lock(&c->mu);
    pw_web_entry_unref((pw_web_entry *)pub); /* pub is the entry's first member */
    pthread_mutex_unlock(&c->mu);
}

void pw_web_cache_stats_get(pw_web_cache *c, pw_web_cache_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->stats;
    out->bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
}

/* The filling slot of `key`, or -1 (mu held). */
static int pw_web_cache_filling(pw_web_cache *c, const char *key)
{
    for (int i = 0; i < PW_WEB_CACHE_FILLING; i++)
        if (c->filling[i] && strcmp(c->filling[i], key) == 0)
            return i;
    return -1;
}

int pw_web_cache_claim(pw_web_cache *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    if (pw_web_cache_filling(c, key) >= 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += PW_WEB_CACHE_WAIT_S;
        int rc = 0;
        while (rc == 0 && pw_web_cache_filling(c, key) >= 0)
            rc = pthread_cond_timedwait(&c->filled, &c->mu, &until);
        c->stats.waits++;
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    int claimed = 0;
    for (int i = 0; i < PW_WEB_CACHE_FILLING && !claimed; i++)
        if (!c->filling[i] && (c->filling[i] = strdup(key)) != NULL)
            claimed = 1;
    pthread_mutex_unlock(&c->mu);
    return claimed ? 1 : -1;
}

void pw_web_cache_unclaim(pw_web_cache *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    int i = pw_web_cache_filling(c, key);
    if (i >= 0) {
        free(c->filling[i]);
        c->filling[i] = NULL;
        pthread_cond_broadcast(&c->filled);
    }
    pthread_mutex_unlock(&c->mu);
}
