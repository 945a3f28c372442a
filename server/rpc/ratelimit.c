/*
 * ratelimit.c - see ratelimit.h.  One mutex for the table: a take is a
 * hash, a compare and a few arithmetic operations.
 */
#include "server/rpc/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct pw_rate_slot {
    char key[72];
    double tokens;
    int64_t last_us;
} pw_rate_slot;

struct pw_ratelimit {
    pthread_mutex_t mu;
    double rate;
    int64_t per_us;
    pw_rate_slot slots[PW_RATE_SLOTS];
};

pw_ratelimit *pw_ratelimit_new(double rate, int64_t per_us)
{
    pw_ratelimit *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    pthread_mutex_init(&r->mu, NULL);
    r->rate = rate;
    r->per_us = per_us;
    return r;
}

static uint32_t pw_rate_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int pw_ratelimit_take(pw_ratelimit *r, const char *key, int64_t now_us)
{
    pw_rate_slot *s = &r->slots[pw_rate_hash(key) % PW_RATE_SLOTS];
    pthread_mutex_lock(&r->mu);
    if (strncmp(s->key, key, sizeof s->key - 1) != 0) {
        /* a new key (or a collision): a full bucket */
        strncpy(s->key, key, sizeof s->key - 1);
        s->key[sizeof s->key - 1] = '\0';
        s->tokens = r->rate;
        s->last_us = now_us;
    }
    double refill = (double)(now_us - s->last_us) * r->rate / (double)r->per_us;
    s->tokens = s->tokens + refill > r->rate ? r->rate : s->tokens + refill;
    s->last_us = now_us;
    int ok = s->tokens >= 1.0;
    if (ok)
        s->tokens -= 1.0;
    pthread_mutex_unlock(&r->mu);
    return ok;
}
