/*
 * test_pipetab.c - the per-connection count of outstanding requests that
 * caps a peer which pipelines without reading (server/rpc/pipetab.h).
 */
#include <criterion/criterion.h>

#include "server/rpc/pipetab.h"

Test(pipetab, counts_up_to_the_cap_per_pipe)
{
    pw_pipetab *t = pw_pipetab_new();
    cr_assert(t);
    cr_assert_eq(pw_pipetab_add(t, 7), 0);
    cr_assert_eq(pw_pipetab_add(t, 8), 0);
    cr_assert_eq(pw_pipetab_acquire(t, 7, 2), 1);
    cr_assert_eq(pw_pipetab_acquire(t, 7, 2), 1);
    cr_assert_eq(pw_pipetab_acquire(t, 7, 2), 0, "the third is over the cap");
    cr_assert_eq(pw_pipetab_outstanding(t, 7), 2);
    cr_assert_eq(pw_pipetab_acquire(t, 8, 2), 1, "another pipe has its own count");
    pw_pipetab_release(t, 7);
    cr_assert_eq(pw_pipetab_acquire(t, 7, 2), 1, "a reply done frees a place");
    pw_pipetab_free(t);
}

Test(pipetab, a_removed_pipe_is_not_tracked_and_release_is_harmless)
{
    pw_pipetab *t = pw_pipetab_new();
    pw_pipetab_add(t, 5);
    cr_assert_eq(pw_pipetab_acquire(t, 5, 1), 1);
    pw_pipetab_remove(t, 5);
    cr_assert_eq(pw_pipetab_acquire(t, 5, 1), -1, "gone");
    pw_pipetab_release(t, 5); /* the reply of a request of a closed pipe */
    cr_assert_eq(pw_pipetab_outstanding(t, 5), -1);
    cr_assert_eq(pw_pipetab_acquire(t, 99, 1), -1, "never added");
    pw_pipetab_free(t);
}

Test(pipetab, many_pipes_grow_the_table)
{
    pw_pipetab *t = pw_pipetab_new();
    for (uint32_t i = 1; i <= 5000; i++)
        cr_assert_eq(pw_pipetab_add(t, i * 2654435761u), 0);
    cr_assert_eq(pw_pipetab_count(t), 5000);
    for (uint32_t i = 1; i <= 5000; i++)
        cr_assert_eq(pw_pipetab_acquire(t, i * 2654435761u, 1), 1);
    for (uint32_t i = 1; i <= 5000; i += 2)
        pw_pipetab_remove(t, i * 2654435761u);
    cr_assert_eq(pw_pipetab_count(t), 2500);
    cr_assert_eq(pw_pipetab_outstanding(t, 2 * 2654435761u), 1);
    pw_pipetab_free(t);
}
