/*
 * backoff.c - see backoff.h.
 */
#include "server/rpc/backoff.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct pw_backoff_slot {
    char source[72];
    char user[65];
    int failures;    /* counted, including reserved checks */
    int64_t next_us; /* no check before this */
    int64_t last_us; /* last attempt */
} pw_backoff_slot;

struct pw_backoff {
    pthread_mutex_t mu;
    int free_failures;
    int64_t base_us, max_us;
    pw_backoff_slot slots[PW_BACKOFF_SLOTS];
};

pw_backoff *pw_backoff_new(int free_failures, int64_t base_us, int64_t max_us)
{
    pw_backoff *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_mutex_init(&b->mu, NULL);
    b->free_failures = free_failures;
    b->base_us = base_us;
    b->max_us = max_us;
    return b;
}

void pw_backoff_free(pw_backoff *b)
{
    if (!b)
        return;
    pthread_mutex_destroy(&b->mu);
    free(b);
}

static pw_backoff_slot *pw_backoff_slot_of(pw_backoff *b, const char *source)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *s = source; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return &b->slots[h % PW_BACKOFF_SLOTS];
}

/* The wait after `failures` failures. */
static int64_t pw_backoff_delay(const pw_backoff *b, int failures)
{
    int over = failures - b->free_failures; /* 0 for the first one past the free ones */
    if (over < 0)
        return 0;
    int64_t d = b->base_us;
    for (int i = 0; i < over && d < b->max_us; i++)
        d *= 2;
    return d < b->max_us ? d : b->max_us;
}

int pw_backoff_begin(pw_backoff *b, const char *source, const char *user, int64_t now_us,
                     int64_t *wait_us)
{
    pthread_mutex_lock(&b->mu);
    pw_backoff_slot *s = pw_backoff_slot_of(b, source);
    if (strncmp(s->source, source, sizeof s->source - 1) != 0 ||
        now_us - s->last_us > 2 * b->max_us) {
        memset(s, 0, sizeof *s);
        strncpy(s->source, source, sizeof s->source - 1);
    }
    if (now_us < s->next_us) {
        *wait_us = s->next_us - now_us;
        pthread_mutex_unlock(&b->mu);
        return 0;
    }
    s->failures++;
    s->last_us = now_us;
    s->next_us = now_us + pw_backoff_delay(b, s->failures);
    strncpy(s->user, user, sizeof s->user - 1);
    s->user[sizeof s->user - 1] = '\0';
    *wait_us = 0;
    pthread_mutex_unlock(&b->mu);
    return 1;
}

void pw_backoff_succeeded(pw_backoff *b, const char *source, int64_t now_us)
{
    pthread_mutex_lock(&b->mu);
    pw_backoff_slot *s = pw_backoff_slot_of(b, source);
    if (strncmp(s->source, source, sizeof s->source - 1) == 0 && s->failures > 0) {
        s->failures--;
        /* the wait is that of the failures that remain, from now */
        int64_t d = pw_backoff_delay(b, s->failures);
        s->next_us = d ? now_us + d : 0;
    }
    pthread_mutex_unlock(&b->mu);
}

int pw_backoff_clear_user(pw_backoff *b, const char *user)
{
    int n = 0;
    pthread_mutex_lock(&b->mu);
    for (int i = 0; i < PW_BACKOFF_SLOTS; i++) {
        pw_backoff_slot *s = &b->slots[i];
        if (s->source[0] && strcmp(s->user, user) == 0) {
            memset(s, 0, sizeof *s);
            n++;
        }
    }
    pthread_mutex_unlock(&b->mu);
    return n;
}
