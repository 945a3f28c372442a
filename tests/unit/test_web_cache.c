/*
 * test_web_cache.c - the board's render cache (server/web/web_cache.c):
 * lookups by key, a put replacing the entry of its key, the bounds (bytes
 * and entries) with the least recently used going first, an evicted entry
 * still readable by its holder, the counters.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/web/web_cache.h"

Test(web_cache, get_put_replace)
{
    pw_web_cache *c = pw_web_cache_new();
    cr_assert_null(pw_web_cache_get(c, "scores|p|2018-Q1|v1|viewer:|html"));
    const pw_web_cached *e =
        pw_web_cache_put(c, "scores|p|2018-Q1|v1|viewer:|html", "<body>\nhello", 12, 7);
    cr_assert_not_null(e);
    cr_assert_eq(e->len, 12);
    cr_assert_eq(e->split, 7);
    cr_assert_str_eq(e->body, "<body>\nhello");
    cr_assert_eq(strlen(e->hash), 32);
    pw_web_cache_release(c, e);
    const pw_web_cached *g = pw_web_cache_get(c, "scores|p|2018-Q1|v1|viewer:|html");
    cr_assert_not_null(g);
    cr_assert_str_eq(g->body, "<body>\nhello");
    /* another version is another key */
    cr_assert_null(pw_web_cache_get(c, "scores|p|2018-Q1|v2|viewer:|html"));
    /* a put of the same key replaces it; the holder of the old one keeps it */
    const pw_web_cached *r = pw_web_cache_put(c, "scores|p|2018-Q1|v1|viewer:|html", "bye", 3, 3);
    cr_assert_not_null(r);
    cr_assert_str_eq(g->body, "<body>\nhello");
    cr_assert_str_neq(g->hash, r->hash);
    pw_web_cache_release(c, g);
    pw_web_cache_release(c, r);
    const pw_web_cached *h = pw_web_cache_get(c, "scores|p|2018-Q1|v1|viewer:|html");
    cr_assert_str_eq(h->body, "bye");
    pw_web_cache_release(c, h);
    pw_web_cache_stats st;
    pw_web_cache_stats_get(c, &st);
    cr_assert_eq(st.hits, 2);
    cr_assert_eq(st.misses, 2);
    cr_assert_eq(st.entries, 1);
    cr_assert_eq(st.bytes, 3);
    /* split beyond the body: refused */
    cr_assert_null(pw_web_cache_put(c, "x", "ab", 2, 3));
    pw_web_cache_free(c);
}

Test(web_cache, bytes_bound_lru_and_holders)
{
    pw_web_cache *c = pw_web_cache_new();
    size_t big = PW_WEB_CACHE_BYTES / 4 + 1; /* three fit, not four */
    char *buf = malloc(big);
    memset(buf, 'x', big);
    const pw_web_cached *held = NULL;
    for (int i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        const pw_web_cached *e = pw_web_cache_put(c, key, buf, big, big);
        cr_assert_not_null(e);
        if (i == 0)
            held = e; /* kept: a worker still writing it */
        else
            pw_web_cache_release(c, e);
    }
    /* k1 used recently: k0 is the least recently used */
    pw_web_cache_release(c, pw_web_cache_get(c, "k1"));
    pw_web_cache_release(c, pw_web_cache_get(c, "k2"));
    const pw_web_cached *e = pw_web_cache_put(c, "k3", buf, big, big);
    cr_assert_not_null(e);
    pw_web_cache_release(c, e);
    cr_assert_null(pw_web_cache_get(c, "k0"), "the least recently used stays");
    const pw_web_cached *k1 = pw_web_cache_get(c, "k1");
    cr_assert_not_null(k1);
    pw_web_cache_release(c, k1);
    /* the evicted entry is still whole for its holder */
    cr_assert_eq(held->len, big);
    cr_assert_eq(held->body[big - 1], 'x');
    pw_web_cache_release(c, held);
    pw_web_cache_stats st;
    pw_web_cache_stats_get(c, &st);
    cr_assert_eq(st.evictions, 1);
    cr_assert_leq(st.bytes, PW_WEB_CACHE_BYTES);
    /* larger than the whole cache: not kept */
    char *huge = malloc(PW_WEB_CACHE_BYTES + 1);
    cr_assert_null(pw_web_cache_put(c, "huge", huge, PW_WEB_CACHE_BYTES + 1, 0));
    free(huge);
    free(buf);
    pw_web_cache_free(c);
}

Test(web_cache, entries_bound)
{
    pw_web_cache *c = pw_web_cache_new();
    for (int i = 0; i < PW_WEB_CACHE_ENTRIES + 10; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        pw_web_cache_release(c, pw_web_cache_put(c, key, "v", 1, 1));
    }
    pw_web_cache_stats st;
    pw_web_cache_stats_get(c, &st);
    cr_assert_eq(st.entries, PW_WEB_CACHE_ENTRIES);
    cr_assert_eq(st.evictions, 10);
    cr_assert_null(pw_web_cache_get(c, "k0"));
    const pw_web_cached *last = pw_web_cache_get(c, "k265");
    cr_assert_not_null(last);
    pw_web_cache_release(c, last);
    pw_web_cache_free(c);
}

/* One render per key at a time: a second reader of a key being rendered
 * waits for it, then finds the bytes; other keys do not wait. */
typedef struct claim_arg {
    pw_web_cache *c;
    int claimed;
    int found;
} claim_arg;

static void *second_reader(void *p)
{
    claim_arg *a = p;
    a->claimed = pw_web_cache_claim(a->c, "dispatch|p|2018-12|v1|viewer:|html");
    const pw_web_cached *e = pw_web_cache_get(a->c, "dispatch|p|2018-12|v1|viewer:|html");
    a->found = e != NULL;
    if (e)
        pw_web_cache_release(a->c, e);
    return NULL;
}

Test(web_cache, concurrent_readers_of_one_version_render_it_once)
{
    pw_web_cache *c = pw_web_cache_new();
    cr_assert_eq(pw_web_cache_claim(c, "dispatch|p|2018-12|v1|viewer:|html"), 1);
    cr_assert_eq(pw_web_cache_claim(c, "dispatch|p|2018-11|v1|viewer:|html"), 1,
                 "another key renders at the same time");
    pw_web_cache_unclaim(c, "dispatch|p|2018-11|v1|viewer:|html");
    claim_arg a = {c, -2, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, second_reader, &a), 0);
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    cr_assert_eq(a.claimed, -2, "the second reader did not wait for the first render");
    const pw_web_cached *e =
        pw_web_cache_put(c, "dispatch|p|2018-12|v1|viewer:|html", "<p>bulletin", 11, 11);
    cr_assert_not_null(e);
    pw_web_cache_release(c, e);
    pw_web_cache_unclaim(c, "dispatch|p|2018-12|v1|viewer:|html");
    pthread_join(t, NULL);
    cr_assert_eq(a.claimed, 0, "the second reader was told to look again");
    cr_assert_eq(a.found, 1, "and found the first reader's bytes");
    pw_web_cache_stats st;
    pw_web_cache_stats_get(c, &st);
    cr_assert_eq(st.waits, 1);
    /* free again: the next claim renders */
    cr_assert_eq(pw_web_cache_claim(c, "dispatch|p|2018-12|v1|viewer:|html"), 1);
    pw_web_cache_unclaim(c, "dispatch|p|2018-12|v1|viewer:|html");
    pw_web_cache_free(c);
}
