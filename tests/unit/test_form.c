/*
 * test_form.c - the one form / query-string parser (server/web/form.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "server/web/form.h"

static pw_arena A;
static void setup(void)
{
    pw_arena_init(&A);
}
static void teardown(void)
{
    pw_arena_fini(&A);
}

static int parse(const char *s, pw_form *f, char *err)
{
    return pw_form_parse(&A, s, strlen(s), f, err, 256);
}

Test(form, fields_plus_and_escapes_are_decoded, .init = setup, .fini = teardown)
{
    pw_form f;
    char err[256];
    cr_assert_eq(
        parse("period=2018-Q1&category=county&reason=%E6%95%B0%E6%8D%AE+%E9%94%99&&e=", &f, err),
        0);
    cr_assert_eq(f.n, 4);
    cr_assert_str_eq(pw_form_get(&f, "period"), "2018-Q1");
    cr_assert_str_eq(pw_form_get(&f, "reason"), "数据 错");
    cr_assert_str_eq(pw_form_get(&f, "e"), "");
    cr_assert_null(pw_form_get(&f, "missing"));
    cr_assert_eq(parse("", &f, err), 0);
    cr_assert_eq(f.n, 0);
    cr_assert_eq(parse("flag", &f, err), 0);
    cr_assert_str_eq(pw_form_get(&f, "flag"), "");
}

Test(form, bad_input_is_refused_naming_the_field, .init = setup, .fini = teardown)
{
    pw_form f = {NULL, 77};
    char err[256];
    cr_assert_eq(parse("a=1&b=%zz", &f, err), -1);
    cr_assert(strstr(err, "field b") != NULL, "%s", err);
    cr_assert_eq(f.n, 77, "untouched on failure");
    cr_assert_eq(parse("a=%00", &f, err), -1);
    cr_assert_eq(parse("a=%4", &f, err), -1);
    cr_assert_eq(parse("=1", &f, err), -1);
    cr_assert_eq(parse("a%20b=1", &f, err), -1);
    char big[2000] = "";
    for (int i = 0; i < 65; i++)
        strcat(big, "x=1&");
    cr_assert_eq(parse(big, &f, err), -1);
    cr_assert(strstr(err, "more than 64 fields") != NULL, "%s", err);
    static const char *const allowed[] = {"period", NULL};
    cr_assert_eq(parse("period=1&colour=2", &f, err), 0);
    cr_assert_eq(pw_form_only(&f, allowed, err, 256), -1);
    cr_assert(strstr(err, "'colour'") != NULL, "%s", err);
}
