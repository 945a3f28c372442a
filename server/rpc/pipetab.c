/*
 * pipetab.c - see pipetab.h.  A chained hash table that doubles when the
 * load passes 1, under one mutex.
 */
#include "server/rpc/pipetab.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct pw_pipe_node {
    struct pw_pipe_node *next;
    uint32_t id;
    int outstanding;
} pw_pipe_node;

struct pw_pipetab {
    pthread_mutex_t mu;
    pw_pipe_node **buckets;
    uint32_t nbuckets; /* a power of two */
    int count;
};

static uint32_t pw_pipetab_hash(uint32_t id)
{
    id ^= id >> 16;
    id *= 0x7feb352dU;
    id ^= id >> 15;
    return id;
}

pw_pipetab *pw_pipetab_new(void)
{
    pw_pipetab *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nbuckets = 64;
    t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
    if (!t->buckets) {
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void pw_pipetab_free(pw_pipetab *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < t->nbuckets; i++)
        for (pw_pipe_node *n = t->buckets[i], *next; n; n = next) {
            next = n->next;
            free(n);
        }
    free(t->buckets);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* The node of `id` or NULL; t->mu held. */
static pw_pipe_node **pw_pipetab_slot(pw_pipetab *t, uint32_t id)
{
    pw_pipe_node **p = &t->buckets[pw_pipetab_hash(id) & (t->nbuckets - 1)];
    while (*p && (*p)->id != id)
        p = &(*p)->next;
    return p;
}

static void pw_pipetab_grow(pw_pipetab *t)
{
    uint32_t n = t->nbuckets * 2;
    pw_pipe_node **b = calloc(n, sizeof *b);
    if (!b)
        return; /* longer chains, still correct */
    for (uint32_t i = 0; i < t->nbuckets; i++)
        for (pw_pipe_node *node = t->buckets[i], *next; node; node = next) {
            next = node->next;
            uint32_t h = pw_pipetab_hash(node->id) & (n - 1);
            node->next = b[h];
            b[h] = node;
        }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
}

int pw_pipetab_add(pw_pipetab *t, uint32_t id)
{
    pthread_mutex_lock(&t->mu);
    pw_pipe_node **p = pw_pipetab_slot(t, id);
    if (!*p) {
        pw_pipe_node *n = calloc(1, sizeof *n);
        if (!n) {
            pthread_mutex_unlock(&t->mu);
            return -1;
        }
        n->id = id;
        *p = n;
        if (++t->count > (int)t->nbuckets)
            pw_pipetab_grow(t);
    }
    pthread_mutex_unlock(&t->mu);
    return 0;
}

void pw_pipetab_remove(pw_pipetab *t, uint32_t id)
{
    pthread_mutex_lock(&t->mu);
    pw_pipe_node **p = pw_pipetab_slot(t, id);
    if (*p) {
        pw_pipe_node *n = *p;
        *p = n->next;
        free(n);
        t->count--;
    }
    pthread_mutex_unlock(&t->mu);
}

int pw_pipetab_acquire(pw_pipetab *t, uint32_t id, int cap)
{
    pthread_mutex_lock(&t->mu);
    pw_pipe_node *n = *pw_pipetab_slot(t, id);
    int rv = -1;
    if (n) {
        rv = n->outstanding < cap;
        if (rv)
            n->outstanding++;
    }
    pthread_mutex_unlock(&t->mu);
    return rv;
}

void pw_pipetab_release(pw_pipetab *t, uint32_t id)
{
    pthread_mutex_lock(&t->mu);
    pw_pipe_node *n = *pw_pipetab_slot(t, id);
    if (n && n->outstanding > 0)
        n->outstanding--;
    pthread_mutex_unlock(&t->mu);
}

int pw_pipetab_outstanding(pw_pipetab *t, uint32_t id)
{
    pthread_mutex_lock(&t->mu);
    pw_pipe_node *n = *pw_pipetab_slot(t, id);
    int rv = n ? n->outstanding : -1;
    pthread_mutex_unlock(&t->mu);
    return rv;
}

int pw_pipetab_count(pw_pipetab *t)
{
    pthread_mutex_lock(&t->mu);
    int n = t->count;
    pthread_mutex_unlock(&t->mu);
    return n;
}
