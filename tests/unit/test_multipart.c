/*
 * test_multipart.c - the one multipart/form-data parser
 * (server/web/multipart.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "server/web/multipart.h"

static pw_arena A;
static void setup(void)
{
    pw_arena_init(&A);
}
static void teardown(void)
{
    pw_arena_fini(&A);
}

static int parse(const char *body, pw_multipart *m, char *err)
{
    return pw_multipart_parse(&A, (const uint8_t *)body, strlen(body), "XyZ", m, err, 256);
}

Test(multipart, boundary_from_the_content_type, .init = setup, .fini = teardown)
{
    cr_assert_str_eq(pw_multipart_boundary(&A, "multipart/form-data; boundary=abc"), "abc");
    cr_assert_str_eq(pw_multipart_boundary(&A, "Multipart/Form-Data; charset=x; boundary=\"a b\""),
                     "a b");
    cr_assert_null(pw_multipart_boundary(&A, "application/x-www-form-urlencoded"));
    cr_assert_null(pw_multipart_boundary(&A, "multipart/form-data"));
    cr_assert_null(pw_multipart_boundary(&A, NULL));
    char longb[120] = "multipart/form-data; boundary=";
    memset(longb + strlen(longb), 'x', 71);
    cr_assert_null(pw_multipart_boundary(&A, longb), "over 70 characters");
}

Test(multipart, fields_and_a_file_with_crlf_inside, .init = setup, .fini = teardown)
{
    pw_multipart m;
    char err[256];
    const char *body = "preamble\r\n--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                       "abc\r\n--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n"
                       "Content-Type: text/csv\r\n\r\n"
                       "a,b\r\n1,2 --XyZ\r\n\r\n--XyZ--\r\n";
    cr_assert_eq(parse(body, &m, err), 0, "%s", err);
    cr_assert_eq(m.n, 2);
    const pw_multipart_part *p = pw_multipart_get(&m, "csrf");
    cr_assert_not_null(p);
    cr_assert_eq(p->len, 3);
    cr_assert_null(p->filename);
    p = pw_multipart_get(&m, "file");
    cr_assert_str_eq(p->filename, "r.csv");
    cr_assert_str_eq(p->content_type, "text/csv");
    cr_assert_eq(p->len, strlen("a,b\r\n1,2 --XyZ\r\n"));
    cr_assert(memcmp(p->data, "a,b\r\n1,2 --XyZ\r\n", p->len) == 0);
}

Test(multipart, malformed_bodies_are_refused_naming_the_part, .init = setup, .fini = teardown)
{
    pw_multipart m = {NULL, 99};
    char err[256];
    cr_assert_eq(parse("no boundary here", &m, err), -1);
    cr_assert_eq(m.n, 99, "untouched on failure");
    cr_assert_eq(
        parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated", &m, err),
        -1);
    cr_assert(strstr(err, "part 1 (a): the closing boundary is missing") != NULL, "%s", err);
    cr_assert_eq(parse("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", &m, err), -1);
    cr_assert(strstr(err, "no form-data name") != NULL, "%s", err);
    cr_assert_eq(
        parse("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--", &m, err), -1);
    char many[4096] = "";
    for (int i = 0; i < 17; i++)
        strcat(many, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n");
    strcat(many, "--XyZ--");
    cr_assert_eq(parse(many, &m, err), -1);
    cr_assert(strstr(err, "more than 16 parts") != NULL, "%s", err);
    char hdrs[4096] = "--XyZ\r\n";
    for (int i = 0; i < 9; i++)
        strcat(hdrs, "X-A: b\r\n");
    strcat(hdrs, "\r\nx\r\n--XyZ--");
    cr_assert_eq(parse(hdrs, &m, err), -1);
}
