/*
 * test_render.c - the renderers of the dispatch summary and the scores on the
 * fixture of tests/support/render_fixture.h: JSON parsed back with jansson,
 * CSV read back with common/csv, HTML checked for escaping and
 * self-containment, XLSX checked as a zip, terminal tables checked as text.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/render/render_dispatch.h"
#include "common/render/render_format.h"
#include "common/render/render_scores.h"
#include "common/render/table.h"
#include "common/csv.h"
#include "common/strbuf.h"
#include "common/text.h"
#include "tests/support/render_fixture.h"
#include "tests/support/harness.h"

TestSuite(render, .timeout = 60);

/* ---- helpers ------------------------------------------------------------- */

/* Render through a FILE * into a malloc'd string. */
#define CAPTURE(out, call)                                                                         \
    do {                                                                                           \
        size_t cap_len_ = 0;                                                                       \
        FILE *cap_f_ = open_memstream(&(out), &cap_len_);                                          \
        cr_assert_not_null(cap_f_);                                                                \
        FILE *f = cap_f_;                                                                          \
        call;                                                                                      \
        fclose(cap_f_);                                                                            \
    } while (0)

/* Dump and parse back, as a consumer of --json would. */
static json_t *json_roundtrip(json_t *v)
{
    cr_assert_not_null(v);
    char *text = json_dumps(v, JSON_PRESERVE_ORDER);
    cr_assert_not_null(text, "json_dumps refused the value");
    json_decref(v);
    json_error_t err;
    json_t *back = json_loads(text, 0, &err);
    cr_assert_not_null(back, "the JSON does not parse: %s", err.text);
    free(text);
    return back;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_string(v), "'%s' is not a string", key);
    return json_string_value(v);
}

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_number(v), "'%s' is not a number", key);
    return json_number_value(v);
}

static json_t *jfind(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        json_t *v = json_object_get(e, key);
        if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
            return e;
    }
    cr_assert_fail("no element with %s = %s", key, value);
    return NULL;
}

/* A CSV file read back with common/csv: records of copied fields. */
typedef struct csv_doc {
    size_t n;
    size_t nfields[256];
    char **fields[256];
} csv_doc;

static void csv_doc_read(csv_doc *d, const char *buf, size_t len)
{
    memset(d, 0, sizeof *d);
    pw_csv_reader r;
    pw_csv_reader_init(&r, buf, len);
    pw_csv_record rec;
    int rc;
    while ((rc = pw_csv_reader_next(&r, &rec)) == 1) {
        cr_assert_lt(d->n, 256);
        d->nfields[d->n] = rec.nfields;
        d->fields[d->n] = calloc(rec.nfields, sizeof(char *));
        for (size_t i = 0; i < rec.nfields; i++)
            d->fields[d->n][i] = strdup(rec.fields[i]);
        d->n++;
    }
    cr_assert_eq(rc, 0, "the CSV does not read back: %s", pw_csv_reader_error(&r));
    pw_csv_reader_fini(&r);
}

static void csv_doc_free(csv_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        for (size_t j = 0; j < d->nfields[i]; j++)
            free(d->fields[i][j]);
        free(d->fields[i]);
    }
}

/* Index of the title record of section `key` (first field, after a blank
 * line or at the start); the header follows it. */
static size_t csv_section(const csv_doc *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++) {
        int after_blank = i == 0 || (d->nfields[i - 1] == 1 && d->fields[i - 1][0][0] == '\0');
        if (after_blank && strcmp(d->fields[i][0], key) == 0)
            return i;
    }
    cr_assert_fail("no section '%s'", key);
    return 0;
}

/* The column of `name` in the header record at `row`. */
static size_t csv_col(const csv_doc *d, size_t row, const char *name)
{
    for (size_t j = 0; j < d->nfields[row]; j++)
        if (strcmp(d->fields[row][j], name) == 0)
            return j;
    cr_assert_fail("no column '%s'", name);
    return 0;
}

/* The data record of a section whose first field is `first`. */
static size_t csv_row(const csv_doc *d, size_t title, const char *first)
{
    for (size_t i = title + 2; i < d->n && d->fields[i][0][0]; i++)
        if (strcmp(d->fields[i][0], first) == 0)
            return i;
    cr_assert_fail("no row '%s'", first);
    return 0;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

/* ---- dispatch: JSON -------------------------------------------------------- */

Test(render, dispatch_json_has_every_part_with_stable_names)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    json_t *j = json_roundtrip(pw_render_dispatch_json(s));
    cr_assert_str_eq(jstr(j, "plan"), "czh2018");
    cr_assert_str_eq(jstr(j, "plan_name"), "湘西州推进新型城镇化三年行动计划");
    cr_assert_str_eq(jstr(j, "period"), "2018-03");
    cr_assert_float_eq(jnum(j, "time_elapsed"), 0.25, 1e-12);
    cr_assert_str_eq(jstr(j, "deadline"), "2018-04-05T23:59:59+08:00");
    cr_assert_str_eq(jstr(j, "generated_at"), "2018-04-10T09:00:00+08:00");
    cr_assert(json_is_false(json_object_get(j, "published")));
    cr_assert(json_is_null(json_object_get(j, "published_at")));

    json_t *units = json_object_get(j, "units");
    cr_assert_eq(json_array_size(units), 6);
    json_t *luxi = jfind(units, "unit", "luxi");
    cr_assert_str_eq(jstr(luxi, "name"), "泸溪县");
    cr_assert_str_eq(jstr(luxi, "status"), "late");
    cr_assert_eq(json_integer_value(json_object_get(luxi, "days_late")), 3);
    cr_assert_str_eq(jstr(luxi, "received_at"), "2018-04-08T09:30:00+08:00");
    cr_assert_str_eq(jstr(luxi, "review_state"), "submitted");
    cr_assert_eq(json_integer_value(json_object_get(luxi, "red")), 2);
    cr_assert_eq(json_integer_value(json_object_get(luxi, "green")), 2);
    json_t *fh = jfind(units, "unit", "fenghuang");
    cr_assert_str_eq(jstr(fh, "status"), "missing");
    cr_assert(json_is_null(json_object_get(fh, "received_at")));
    cr_assert(json_is_null(json_object_get(fh, "review_state")));
    /* a name with HTML metacharacters is data, kept byte for byte */
    cr_assert_str_eq(jstr(jfind(units, "unit", "xx_zone"), "name"), PW_FIXTURE_ODD_NAME);

    json_t *rates = json_object_get(j, "rates");
    json_t *county = jfind(rates, "category", "county");
    cr_assert_eq(json_integer_value(json_object_get(county, "expected")), 4);
    cr_assert_eq(json_integer_value(json_object_get(county, "on_time")), 2);
    cr_assert_float_eq(jnum(county, "completeness"), 0.75, 1e-12);
    cr_assert_float_eq(jnum(county, "timeliness"), 0.5, 1e-12);

    json_t *inds = json_object_get(j, "indicators");
    cr_assert_eq(json_array_size(inds), 4);
    json_t *i01 = jfind(inds, "indicator", "I01");
    cr_assert_str_eq(jstr(i01, "name"), "常住人口城镇化率");
    cr_assert_str_eq(jstr(i01, "level1"), "推进农业转移人口市民化");
    cr_assert_float_eq(jnum(i01, "target"), 45, 1e-12);
    cr_assert_float_eq(jnum(i01, "actual"), 41.2, 1e-12);
    cr_assert_float_eq(jnum(i01, "progress"), 0.24, 1e-12);
    cr_assert_str_eq(jstr(i01, "light"), "yellow");
    cr_assert_str_eq(jstr(i01, "actual_source"), "lead");
    json_t *i10 = jfind(inds, "indicator", "I10");
    cr_assert(json_is_null(json_object_get(i10, "actual")), "no actual is null, not 0");
    cr_assert_str_eq(jstr(i10, "uom"), "万人");

    json_t *cells = json_object_get(j, "cells");
    cr_assert_eq(json_array_size(cells), 21);
    json_t *c0 = json_array_get(cells, 0);
    cr_assert_str_eq(jstr(c0, "unit"), "jishou");
    cr_assert_str_eq(jstr(c0, "indicator"), "I01");
    cr_assert_str_eq(jstr(c0, "light"), "green");
    cr_assert(json_is_null(json_object_get(json_array_get(cells, 8), "actual")));
    /* a milestone's actual is its state, never the number 0; the kind says so */
    json_t *c2 = json_array_get(cells, 2);
    cr_assert_str_eq(jstr(c2, "indicator"), "I03");
    cr_assert_str_eq(jstr(c2, "kind"), "milestone");
    cr_assert_str_eq(jstr(c2, "state"), "not_started");
    cr_assert(json_is_null(json_object_get(c2, "actual")));
    cr_assert_str_eq(jstr(json_array_get(cells, 14), "state"), "in_progress");
    cr_assert(json_is_null(json_object_get(c0, "state")));
    cr_assert_eq(json_integer_value(json_object_get(c0, "data_month")), 3);
    cr_assert_eq(json_integer_value(json_object_get(fh, "data_month")), 2);
    /* the catalog in plan order: the measure after its parent */
    json_t *cat = json_object_get(j, "catalog");
    cr_assert_eq(json_array_size(cat), 5);
    cr_assert_str_eq(jstr(json_array_get(cat, 2), "indicator"), "I02.M3");
    cr_assert(json_is_false(json_object_get(json_array_get(cat, 2), "has_plan_target")));

    json_t *reds = json_object_get(j, "red_items");
    cr_assert_eq(json_array_size(reds), 6);
    cr_assert_str_eq(jstr(json_array_get(reds, 0), "kind"), "milestone");
    cr_assert_str_eq(jstr(json_array_get(reds, 0), "state"), "not_started");
    cr_assert(json_is_null(json_object_get(json_array_get(reds, 0), "actual")));
    json_t *r2 = json_array_get(reds, 2);
    cr_assert_str_eq(jstr(r2, "unit_name"), "泸溪县");
    cr_assert_str_eq(jstr(r2, "indicator_name"), "新增城镇就业人数");
    cr_assert_str_eq(jstr(r2, "problems"),
                     "资金未到位，项目推进缓慢。\n下一步：加快征地拆迁，确保6月底前开工。");

    json_t *sup = json_object_get(j, "supervision");
    cr_assert_eq(json_array_size(sup), 2);
    json_t *it7 = json_array_get(sup, 1);
    cr_assert_eq(json_integer_value(json_object_get(it7, "id")), 7);
    cr_assert(json_is_true(json_object_get(it7, "overdue")));
    cr_assert_str_eq(jstr(it7, "deadline"), "2018-03-20");
    cr_assert_str_eq(jstr(it7, "opened_at"), "2018-02-20T09:00:00+08:00");
    cr_assert(json_is_null(json_object_get(it7, "closed_at")));
    cr_assert(json_is_null(json_object_get(it7, "closed_by")));
    json_t *answers = json_object_get(json_array_get(sup, 0), "answers");
    cr_assert_eq(json_array_size(answers), 1);
    cr_assert_str_eq(jstr(json_array_get(answers, 0), "at"), "2018-04-02T15:20:00+08:00");

    json_t *flags = json_object_get(j, "flags");
    cr_assert_eq(json_array_size(flags), 1);
    json_t *fl = json_array_get(flags, 0);
    cr_assert_str_eq(jstr(fl, "kind"), "cumulative_decrease");
    cr_assert_str_eq(jstr(fl, "months"), "2018-02,2018-03");
    cr_assert_str_eq(jstr(fl, "values"), "42,41.2");
    cr_assert_str_eq(jstr(fl, "indicator_name"), "常住人口城镇化率");
    cr_assert_str_eq(jstr(fl, "unit_name"), "泸溪县");
    json_decref(j);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(render, dispatch_json_keeps_fields_with_invalid_utf8)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    free(s->units[0]->name);
    s->units[0]->name = strdup("吉首\xff市");
    json_t *j = json_roundtrip(pw_render_dispatch_json(s));
    json_t *u = json_array_get(json_object_get(j, "units"), 0);
    /* jansson refuses invalid UTF-8: the renderer replaces the byte, the
     * field is not lost */
    cr_assert_str_eq(jstr(u, "name"), "吉首\xef\xbf\xbd市");
    json_decref(j);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

/* ---- dispatch: CSV ---------------------------------------------------------- */

Test(render, dispatch_csv_has_bom_sections_and_reads_back)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_dispatch_csv(s, &sb), 0);
    const char *csv = pw_strbuf_cstr(&sb);
    cr_assert_eq(memcmp(csv, "\xef\xbb\xbf", 3), 0, "no UTF-8 BOM");
    cr_assert(pw_utf8_valid(csv, sb.len));
    cr_assert_not_null(strstr(csv, "\r\n"), "RFC 4180 line ends");
    cr_assert_eq(memcmp(csv + 3, "summary,调度通报\r\n", strlen("summary,调度通报\r\n")), 0);

    csv_doc d;
    csv_doc_read(&d, csv, sb.len);
    size_t sum = csv_section(&d, "summary");
    cr_assert_str_eq(d.fields[sum + 2][csv_col(&d, sum + 1, "period")], "2018-03");
    cr_assert_str_eq(d.fields[sum + 2][csv_col(&d, sum + 1, "time_elapsed_pct")], "25.0");
    cr_assert_str_eq(d.fields[sum + 2][csv_col(&d, sum + 1, "deadline")],
                     "2018-04-05T23:59:59+08:00");

    size_t t = csv_section(&d, "timeliness");
    cr_assert_str_eq(d.fields[t][1], "报送情况");
    static const char *const head[] = {"unit",      "name",        "category",     "status",
                                       "days_late", "received_at", "review_state", "red",
                                       "yellow",    "green",       "indicators",   "data_month"};
    cr_assert_eq(d.nfields[t + 1], 12);
    for (size_t k = 0; k < 12; k++)
        cr_assert_str_eq(d.fields[t + 1][k], head[k]);
    size_t luxi = csv_row(&d, t, "luxi");
    cr_assert_str_eq(d.fields[luxi][1], "泸溪县");
    cr_assert_str_eq(d.fields[luxi][3], "late");
    cr_assert_str_eq(d.fields[luxi][4], "3");
    cr_assert_str_eq(d.fields[luxi][5], "2018-04-08T09:30:00+08:00");
    size_t fh = csv_row(&d, t, "fenghuang");
    cr_assert_str_eq(d.fields[fh][3], "missing");
    cr_assert_str_eq(d.fields[fh][5], "", "no time is an empty cell");
    cr_assert_str_eq(d.fields[fh][csv_col(&d, t + 1, "data_month")], "2");
    cr_assert_str_eq(d.fields[csv_row(&d, t, "xx_zone")][1], PW_FIXTURE_ODD_NAME);

    size_t rt = csv_section(&d, "rates");
    size_t dep = csv_row(&d, rt, "department");
    cr_assert_str_eq(d.fields[dep][csv_col(&d, rt + 1, "completeness_pct")], "100.0");
    cr_assert_str_eq(d.fields[dep][csv_col(&d, rt + 1, "timeliness_pct")], "50.0");

    size_t in = csv_section(&d, "indicators");
    size_t i01 = csv_row(&d, in, "I01");
    cr_assert_str_eq(d.fields[i01][csv_col(&d, in + 1, "actual")], "41.2");
    cr_assert_str_eq(d.fields[i01][csv_col(&d, in + 1, "progress_pct")], "24.0");
    cr_assert_str_eq(d.fields[csv_row(&d, in, "I10")][csv_col(&d, in + 1, "actual")], "");
    /* a milestone: kind column, its state, no actual 0 */
    size_t i03 = csv_row(&d, in, "I03");
    cr_assert_str_eq(d.fields[i03][csv_col(&d, in + 1, "kind")], "milestone");
    cr_assert_str_eq(d.fields[i03][csv_col(&d, in + 1, "actual")], "");
    cr_assert_str_eq(d.fields[i03][csv_col(&d, in + 1, "state")], "not_started");
    cr_assert_str_eq(d.fields[i01][csv_col(&d, in + 1, "state")], "");

    size_t red = csv_section(&d, "red_items");
    size_t pcol = csv_col(&d, red + 1, "problems");
    cr_assert_str_eq(d.fields[red + 4][pcol],
                     "资金未到位，项目推进缓慢。\n下一步：加快征地拆迁，确保6月底前开工。");
    cr_assert_str_eq(d.fields[red + 2][pcol], "<script>alert(1)</script>改革方案待州政府审批");
    cr_assert_str_eq(d.fields[red + 2][csv_col(&d, red + 1, "kind")], "milestone");
    cr_assert_str_eq(d.fields[red + 2][csv_col(&d, red + 1, "state")], "not_started");
    cr_assert_str_eq(d.fields[red + 2][csv_col(&d, red + 1, "actual")], "");
    cr_assert_str_eq(d.fields[red + 4][csv_col(&d, red + 1, "uom")], "万人");

    size_t sup = csv_section(&d, "supervision");
    cr_assert_str_eq(d.fields[sup + 2][0], "7", "overdue items first");
    cr_assert_str_eq(d.fields[sup + 2][csv_col(&d, sup + 1, "overdue")], "yes");
    cr_assert_str_eq(d.fields[sup + 3][0], "9");

    size_t fl = csv_section(&d, "flags");
    cr_assert_str_eq(d.fields[fl + 2][csv_col(&d, fl + 1, "months")], "2018-02,2018-03");
    csv_doc_free(&d);
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(render, dispatch_csv_never_starts_free_text_with_a_formula)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    free(s->red_items[0]->problems);
    s->red_items[0]->problems = strdup("=HYPERLINK(\"http://x\",\"点击\")");
    free(s->units[0]->name);
    s->units[0]->name = strdup("@吉首市");
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_dispatch_csv(s, &sb), 0);
    csv_doc d;
    csv_doc_read(&d, pw_strbuf_cstr(&sb), sb.len);
    size_t red = csv_section(&d, "red_items");
    cr_assert_str_eq(d.fields[red + 2][csv_col(&d, red + 1, "problems")],
                     "'=HYPERLINK(\"http://x\",\"点击\")");
    size_t t = csv_section(&d, "timeliness");
    cr_assert_str_eq(d.fields[csv_row(&d, t, "jishou")][1], "'@吉首市");
    /* numbers and ids are left alone */
    cr_assert_str_eq(d.fields[csv_row(&d, t, "jishou")][4], "0");
    csv_doc_free(&d);
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

/* Issue 10 item 8: every column, not a list of "free-text" ones: the unit of
 * measure and a name after leading spaces were written raw. */
Test(render, spreadsheet_csv_neutralises_every_formula_cell)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    free(s->indicators[0]->uom);
    s->indicators[0]->uom = strdup("=1+2");
    free(s->indicators[0]->name);
    s->indicators[0]->name = strdup("  =cmd|' /C calc'!A0");
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_dispatch_csv(s, &sb), 0);
    csv_doc d;
    csv_doc_read(&d, pw_strbuf_cstr(&sb), sb.len);
    size_t ind = csv_section(&d, "indicators");
    cr_assert_str_eq(d.fields[ind + 2][csv_col(&d, ind + 1, "uom")], "'=1+2");
    cr_assert_str_eq(d.fields[ind + 2][csv_col(&d, ind + 1, "name")], "'  =cmd|' /C calc'!A0");
    csv_doc_free(&d);
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&s->base, NULL);

    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    free(r->rankings[0]->name);
    r->rankings[0]->name = strdup(" =1+2");
    cr_assert_eq(pw_render_scores_csv(r, &sb), 0);
    cr_assert_not_null(strstr(pw_strbuf_cstr(&sb), ",' =1+2,"), "%s", pw_strbuf_cstr(&sb));
    cr_assert_null(strstr(pw_strbuf_cstr(&sb), ", =1+2,"));
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- dispatch: HTML --------------------------------------------------------- */

Test(render, dispatch_html_is_one_escaped_self_contained_page)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_dispatch_html(s, &sb), 0);
    const char *h = pw_strbuf_cstr(&sb);
    cr_assert(pw_utf8_valid(h, sb.len));
    cr_assert_eq(strncmp(h, "<!DOCTYPE html>", 15), 0);
    cr_assert_not_null(strstr(h, "<meta charset=\"utf-8\">"));
    cr_assert_not_null(
        strstr(h, "<title>调度通报 湘西州推进新型城镇化三年行动计划 2018-03</title>"));
    /* the odd unit name is escaped everywhere, never raw */
    cr_assert_null(strstr(h, PW_FIXTURE_ODD_NAME));
    cr_assert_not_null(strstr(h, "经开区&lt;&amp;&gt;&quot;测试&quot;"));
    /* the unit's own problem text is shown, escaped, with no live script */
    cr_assert_not_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;改革方案待州政府审批"));
    cr_assert_null(strstr(h, "<script"));
    cr_assert_not_null(strstr(h, "资金未到位，项目推进缓慢。\n下一步"));
    /* self-contained: no external resources, no scripts */
    cr_assert_null(strstr(h, "http://"));
    cr_assert_null(strstr(h, "https://"));
    cr_assert_null(strstr(h, "src="));
    cr_assert_null(strstr(h, "<link"));
    /* charts and print rules */
    cr_assert_geq(count(h, "<svg"), 2);
    cr_assert_eq(count(h, "<svg"), count(h, "</svg>"));
    cr_assert_eq(count(h, "<table"), count(h, "</table>"));
    cr_assert_eq(count(h, "<tr>") + count(h, "<tr "), count(h, "</tr>"));
    cr_assert_not_null(strstr(h, "@page{size:A4"));
    cr_assert_not_null(strstr(h, "@media print"));
    cr_assert_not_null(strstr(h, "@media (max-width:640px)"));
    /* the page opens with who is behind, in prose, before any table */
    const char *lead = strstr(h, "<p class=\"lead\"");
    const char *lead_end = lead ? strstr(lead, "</p>") : NULL;
    cr_assert(lead && lead_end && lead_end < strstr(h, "<table"), "no lead before the tables");
    char *para = strndup(lead, (size_t)(lead_end - lead));
    cr_assert_not_null(strstr(para, "2018年3月调度，应报6个单位，已报5个，按时报送3个"), "%s",
                       para);
    cr_assert_not_null(strstr(para, "未报1个：<b>凤凰县</b>（数据截至2月）"), "%s", para);
    cr_assert_not_null(strstr(para, "迟报2个：<b>泸溪县</b>（3天）、<b>州公安局</b>（12天）"), "%s",
                       para);
    cr_assert_not_null(strstr(para, "退回修改1个：<b>州公安局</b>"), "%s", para);
    cr_assert_not_null(strstr(para, "较多的是<b>泸溪县</b>（2项）、<b>吉首市</b>（2项）"), "%s",
                       para);
    cr_assert_not_null(strstr(para, "超期1件"), "%s", para);
    free(para);
    /* the two red counts are told apart */
    cr_assert_not_null(strstr(h, "id=\"red-counts\""));
    cr_assert_not_null(strstr(h, "全州红灯指标"));
    /* units: counties first, then departments; missing, late (most days
     * first), returned, then on time by red count, then the server's order */
    const char *order[] = {"fenghuang", "luxi",          "jishou",
                           "xx_zone",   "zhou_gonganju", "zhou_fagaiwei"};
    const char *units = strstr(h, "<section id=\"units\">");
    cr_assert_not_null(units);
    const char *prev = units;
    for (size_t i = 0; i < 6; i++) {
        char key[64];
        snprintf(key, sizeof key, "<tr data-unit=\"%s\">", order[i]);
        const char *at = strstr(units, key);
        cr_assert(at && at > prev, "unit %s out of order", order[i]);
        prev = at;
    }
    cr_assert_not_null(strstr(units, "数据截至2月"), "a missing unit's figures name their month");
    /* red items grouped by unit, the unit's problem text once */
    cr_assert_eq(count(h, "<div class=\"ru\""), 4);
    cr_assert_eq(count(h, "改革方案待州政府审批"), 1);
    const char *ru_jishou = strstr(h, "<div class=\"ru\" data-unit=\"jishou\">");
    cr_assert_not_null(ru_jishou);
    cr_assert_not_null(strstr(ru_jishou, "红灯2项"));
    /* plan order inside a unit: I02.M3 (after I02) before I03 */
    const char *m3 = strstr(ru_jishou, "农业转移人口落户数");
    const char *r03 = strstr(ru_jishou, "户籍制度改革落实");
    cr_assert(m3 && r03 && m3 < r03);
    /* groups before the unit x indicator detail; the detail in plan order */
    const char *groups = strstr(h, "<section id=\"groups\">");
    const char *appx = strstr(h, "<section class=\"appendix\"");
    cr_assert(groups && appx && groups < appx);
    cr_assert_not_null(strstr(groups, "1 推进农业转移人口市民化"));
    const char *rows[] = {"I01", "I02", "I02.M3", "I03", "I10"};
    prev = appx;
    for (size_t i = 0; i < 5; i++) {
        char key[64];
        snprintf(key, sizeof key, "<tr data-indicator=\"%s\">", rows[i]);
        const char *at = strstr(appx, key);
        cr_assert(at && at > prev, "indicator %s out of plan order", rows[i]);
        prev = at;
    }
    /* the appendix: county cells coloured (4 counties x 4 + I02.M3 twice),
     * 5 red, fenghuang's 4 without a report; departments as labelled chips */
    cr_assert_eq(count(appx, "<td class=\"c c-"), 18);
    cr_assert_eq(count(appx, "<td class=\"c c-red\""), 5);
    cr_assert_eq(count(appx, "<td class=\"c c-none\""), 4);
    cr_assert_not_null(strstr(appx, "<span class=\"c-red\">州公安局 未启动</span>"));
    /* units of measure are text of their own, not inside the English label
     * that print hides */
    cr_assert_not_null(strstr(appx, "<span class=\"uom\">(万人)</span>"));
    cr_assert_null(strstr(h, ".uom{display:none"));
    /* overdue supervision items come first; an answered item shows its answer */
    const char *overdue = strstr(h, "棚户区改造进度滞后");
    const char *other = strstr(h, "易地扶贫搬迁安置点");
    cr_assert(overdue && other && overdue < other);
    cr_assert_not_null(strstr(h, "<span class=\"badge b-red\">超期</span>"));
    cr_assert_not_null(strstr(h, "已完成供水管网建设，道路硬化正在施工。"));
    cr_assert_not_null(strstr(h, "累计值下降"));
    cr_assert_not_null(strstr(h, "泸溪县「常住人口城镇化率」累计值由2月的42%降至3月的41.2%"));
    /* milestones: the state, never the numbers 0 and 1 */
    cr_assert_not_null(strstr(r03, "户籍制度改革落实 <b>未启动</b>"));
    cr_assert_not_null(strstr(h, "</html>\n"));
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(render, a_summary_without_catalog_keeps_measures_after_their_parent)
{
    /* a summary published before the catalog existed: I02.M3 is only in
     * cells and items, and still goes after I02, in I02's group */
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    size_t ncat = s->n_catalog;
    s->n_catalog = 0;
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_dispatch_html(s, &sb), 0);
    const char *h = pw_strbuf_cstr(&sb);
    const char *appx = strstr(h, "<section class=\"appendix\"");
    cr_assert_not_null(appx);
    const char *i02 = strstr(appx, "<tr data-indicator=\"I02\">");
    const char *m3 = strstr(appx, "<tr data-indicator=\"I02.M3\">");
    const char *i03 = strstr(appx, "<tr data-indicator=\"I03\">");
    const char *g2 = strstr(appx, "<h3>2 ");
    cr_assert(i02 && m3 && i03 && g2 && i02 < m3 && m3 < i03 && i03 < g2,
              "I02.M3 is not between I02 and I03 in group 1");
    s->n_catalog = ncat;
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(render, html_text_replaces_invalid_bytes_and_drops_controls)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_doc d = {&sb, 0};
    pw_doc_text(&d, "a\x01<b>\xc3\x28'\"\x1b[31m\n\xc2\x85z");
    cr_assert_eq(d.failed, 0);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "a&lt;b&gt;\xef\xbf\xbd(&#39;&quot;[31m\nz");
    pw_strbuf_free(&sb);
}

/* ---- dispatch: terminal ----------------------------------------------------- */

Test(render, dispatch_text_is_aligned_and_clean)
{
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    free(s->flags[0]->message);
    s->flags[0]->message = strdup("\x1b[31mred\x1b[0m\tnow");
    char *out = NULL;
    CAPTURE(out, pw_render_dispatch_text(s, f));
    cr_assert_not_null(strstr(out, "Dispatch summary 调度通报: 湘西州推进新型城镇化三年行动计划 "
                                   "(czh2018), 2018-03\n"));
    cr_assert_not_null(strstr(out, "late (3 days)"));
    cr_assert_not_null(strstr(out, "late (12 days)"));
    cr_assert_not_null(strstr(out, "missing"));
    cr_assert_not_null(strstr(out, "Open supervision items (督办事项): 2, 1 overdue"));
    cr_assert_not_null(strstr(out, "OVERDUE"));
    /* the problem text stays on one line of its row */
    cr_assert_not_null(strstr(out, "资金未到位，项目推进缓慢。 下一步"));
    cr_assert_null(strchr(out, '\x1b'), "no terminal escapes from message text");
    cr_assert_null(strchr(out, '\t'));
    cr_assert_not_null(strstr(out, "[31mred [0m now"));
    /* a milestone's actual is its state and its target "done", not 0 / 1 */
    const char *i03 = strstr(out, "\nI03 ");
    cr_assert_not_null(i03);
    cr_assert(strstr(i03, " done ") && strstr(i03, " not_started ") &&
                  strstr(i03, " done ") < strstr(i03, " not_started ") &&
                  strstr(i03, " not_started ") < strchr(i03 + 1, '\n'),
              "I03 row: %.120s", i03);
    const char *r03 = strstr(out, "\nluxi ");
    r03 = r03 ? strstr(r03, "户籍制度改革落实") : NULL;
    cr_assert_not_null(r03);
    cr_assert(strstr(r03, "not_started") && strstr(r03, "not_started") < strchr(r03, '\n'));
    /* CJK-aware alignment: the STATUS column starts at the same display
     * column on every unit row */
    int col = -1;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char *st = strstr(line, "  county  ");
        if (!st)
            st = strstr(line, "  department  ");
        if (!st || strncmp(line, "zhou_", 5) == 0 || strstr(line, "I0"))
            continue;
        int w = pw_text_display_width_n(line, (size_t)(st - line));
        if (col < 0)
            col = w;
        cr_assert_eq(w, col, "misaligned: %s", line);
    }
    cr_assert_gt(col, 0);
    free(out);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

/* Issue 10 item 9: a table cell never carries a control character to the
 * terminal (ESC, CSI as C1 U+009B, BEL, CR, backspace), nor bad UTF-8;
 * TAB and LF become spaces so that a row stays one line. */
Test(render, table_cells_reach_the_terminal_without_controls)
{
    static const char *const hdr[] = {"UNIT", "NOTE"};
    pw_table *t = pw_table_new(2, hdr);
    pw_table_add(t, "jishou",
                 "\x1b]0;pwned\x07\x1b[2J\rok\bX\xc2\x9b"
                 "31m\tnext\nline\xff");
    pw_table_add(t, "吉首市", "plain");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    pw_table_print(t, f);
    fclose(f);
    pw_table_free(t);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)out[i];
        cr_assert(ch >= 0x20 || ch == '\n', "control byte 0x%02x at %zu in:\n%s", ch, i, out);
    }
    cr_assert_null(strstr(out, "\xc2\x9b"), "C1 CSI passed through");
    cr_assert(pw_utf8_valid(out, len), "the table is valid UTF-8");
    cr_assert_eq(count(out, "\n"), 3, "one line per row:\n%s", out);
    cr_assert_not_null(strstr(out, "ok"));
    cr_assert_not_null(strstr(out, "next line"));
    free(out);
}

Test(render, clean_rows_take_any_number_of_columns)
{
    /* 40 columns: more than either renderer's old private copy held */
    enum { N = 40 };
    const char *hdr[N], *cells[N];
    char names[N][8], vals[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "C%d", i);
        snprintf(vals[i], sizeof vals[i], " v%d\t\tx\n", i);
        hdr[i] = names[i];
        cells[i] = vals[i];
    }
    pw_table *t = pw_table_new(N, hdr);
    pw_table_row_clean(t, N, cells);
    char *out = NULL;
    CAPTURE(out, pw_table_print(t, f));
    pw_table_free(t);
    cr_assert_eq(count(out, "\n"), 2, "header and one row:\n%s", out);
    cr_assert_not_null(strstr(out, "v0 x"), "cells cleaned (runs collapsed, trimmed):\n%s", out);
    cr_assert_not_null(strstr(out, "v39 x"), "the 40th cell is there:\n%s", out);
    cr_assert_null(strchr(out, '\t'));
    free(out);
}

/* `report show` at 80 columns: a long note used to run past the edge and
 * continue at column 0 under INDICATOR.  On a terminal the last column is
 * folded within itself; a pipe (width 0) keeps one line per row. */
Test(render, a_long_last_column_folds_within_itself_at_the_terminal_width)
{
    static const char *const hdr[] = {"INDICATOR", "NAME", "VALUE", "TARGET", "UOM", "NOTE"};
    static const char zh[] = "2月份受春节假期影响，部分项目停工，已与施工单位协调，3月上旬全面"
                             "复工，确保完成年度目标任务";
    static const char en[] = "works stopped over the Spring Festival; the contractor resumes in "
                             "early March and the yearly target stays";
    pw_table *t = pw_table_new(6, hdr);
    pw_table_add(t, "C1", "棚户区改造", "1500", "100", "套", zh);
    pw_table_add(t, "L1", "城镇化率", "36.1", "60", "%", en);
    pw_table_add(t, "M1", "户籍制度改革", "done", "1", "none", "");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    pw_table_print_width(t, f, 80);
    fclose(f);
    /* NOTE starts after "INDICATOR  NAME          VALUE  TARGET  UOM   " */
    const char *note = strstr(out, "NOTE");
    cr_assert_not_null(note);
    int lead = (int)(note - out);
    char *save = NULL, *copy = strdup(out);
    pw_strbuf zh_back, en_back;
    pw_strbuf_init(&zh_back);
    pw_strbuf_init(&en_back);
    pw_strbuf *cur = NULL;
    int lines = 0;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lines++;
        cr_assert_leq(pw_text_display_width(line), 80, "line wider than 80:\n%s\nin\n%s", line,
                      out);
        if (strncmp(line, "C1", 2) == 0)
            cur = &zh_back;
        else if (strncmp(line, "L1", 2) == 0)
            cur = &en_back;
        else if (line[0] != ' ')
            cur = NULL;
        else
            for (int k = 0; k < lead; k++)
                cr_assert_eq(line[k], ' ', "continuation not indented to NOTE:\n%s", out);
        if (cur) {
            if (cur->len && cur == &en_back)
                pw_strbuf_append_char(cur, ' ');
            /* the first line: the note starts after CJK cells (bytes != columns) */
            const char *start =
                line[0] != ' ' ? strstr(line, cur == &zh_back ? "2月份" : "works") : line + lead;
            cr_assert_not_null(start);
            pw_strbuf_append_str(cur, start);
        }
    }
    cr_assert_gt(lines, 4, "nothing folded:\n%s", out);
    cr_assert_str_eq(pw_strbuf_cstr(&zh_back), zh, "the note is whole again:\n%s", out);
    cr_assert_str_eq(pw_strbuf_cstr(&en_back), en, "broken at spaces:\n%s", out);
    pw_strbuf_free(&zh_back);
    pw_strbuf_free(&en_back);
    free(copy);
    free(out);
    /* not a terminal: one line per row */
    out = NULL;
    f = open_memstream(&out, &len);
    pw_table_print(t, f);
    fclose(f);
    cr_assert_eq(count(out, "\n"), 4, "%s", out);
    free(out);
    pw_table_free(t);
}

/* A receipt line at 80 columns broke "thous|ands" at column 0. */
Test(render, a_message_line_folds_at_spaces_under_its_text)
{
    static const char msg[] = "normalised: C1: '１，６００' read as 1600 (line 2): full-width "
                              "characters, thousands separators removed";
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    pw_text_print_folded_width(f, msg, 2, 80);
    fclose(f);
    cr_assert_str_eq(out,
                     "normalised: C1: '１，６００' read as 1600 (line 2): full-width characters,\n"
                     "  thousands separators removed\n");
    free(out);
    f = open_memstream(&out, &len);
    pw_text_print_folded_width(f, msg, 2, 0); /* not a terminal */
    fclose(f);
    cr_assert_eq(count(out, "\n"), 1);
    free(out);
}

Test(render, empty_summary_renders_in_every_format)
{
    Planwatch__V1__DispatchSummary s = PLANWATCH__V1__DISPATCH_SUMMARY__INIT;
    char *out = NULL;
    CAPTURE(out, pw_render_dispatch_text(&s, f));
    cr_assert_not_null(strstr(out, "no units"));
    free(out);
    json_t *j = json_roundtrip(pw_render_dispatch_json(&s));
    cr_assert(json_is_null(json_object_get(j, "deadline")));
    cr_assert_eq(json_array_size(json_object_get(j, "units")), 0);
    json_decref(j);
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_dispatch_csv(&s, &sb), 0);
    pw_strbuf_reset(&sb);
    cr_assert_eq(pw_render_dispatch_html(&s, &sb), 0);
    cr_assert_not_null(strstr(pw_strbuf_cstr(&sb), "</html>"));
    pw_strbuf_free(&sb);
}

/* ---- scores: JSON ------------------------------------------------------------ */

Test(render, scores_json_has_the_spec_fields)
{
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    r->rankings[0]->score = 95.5; /* rounded by the engine (SPEC 3.5) */
    r->rankings[0]->score_unrounded = 95.499999999;
    json_t *j = json_roundtrip(pw_render_scores_json(r));
    cr_assert_str_eq(jstr(j, "period"), "2018-Q1");
    cr_assert_str_eq(jstr(j, "plan"), "czh2018");
    cr_assert_eq(json_integer_value(json_object_get(j, "last_month")), 3);
    cr_assert_str_eq(jstr(j, "published_at"), "2018-04-11T10:00:00+08:00");
    json_t *rk = json_object_get(j, "rankings");
    cr_assert_eq(json_array_size(rk), 9);
    size_t i;
    json_t *e;
    json_array_foreach(rk, i, e)
    {
        static const char *const need[] = {"unit", "name",  "category", "score",
                                           "rank", "grade", "flag",     "items"};
        for (size_t k = 0; k < 8; k++)
            cr_assert_not_null(json_object_get(e, need[k]), "missing %s", need[k]);
    }
    json_t *js = jfind(rk, "unit", "jishou");
    cr_assert_str_eq(jstr(js, "name"), "吉首市");
    cr_assert_str_eq(jstr(js, "category"), "county");
    cr_assert_float_eq(jnum(js, "score"), 95.5, 1e-9);
    cr_assert_float_eq(jnum(js, "score_unrounded"), 95.499999999, 1e-12);
    cr_assert_eq(json_integer_value(json_object_get(js, "rank")), 1);
    cr_assert_str_eq(jstr(js, "grade"), "excellent");
    cr_assert_str_eq(jstr(js, "flag"), "commend");
    cr_assert_null(json_object_get(js, "explain"));
    /* a tie shares the rank; the last two places are criticised */
    json_t *lx = jfind(rk, "unit", "luxi"), *fh = jfind(rk, "unit", "fenghuang");
    cr_assert_eq(json_integer_value(json_object_get(lx, "rank")), 3);
    cr_assert_eq(json_integer_value(json_object_get(fh, "rank")), 3);
    cr_assert_float_eq(jnum(lx, "score"), 88.25, 1e-9);
    cr_assert_str_eq(jstr(lx, "flag"), "criticise");
    cr_assert_str_eq(jstr(fh, "grade"), "qualified");
    json_t *zone = jfind(rk, "unit", "xx_zone");
    cr_assert_str_eq(jstr(zone, "name"), PW_FIXTURE_ODD_NAME);
    cr_assert_str_eq(jstr(zone, "grade"), "unqualified");
    cr_assert_float_eq(jnum(zone, "falsification_points"), 10, 1e-9);
    cr_assert(json_is_null(json_object_get(jfind(rk, "unit", "zhou_jiaoyuju"), "flag")),
              "no flag is null");
    /* items: item, points, max; explain where the server filled it */
    json_t *items = json_object_get(lx, "items");
    cr_assert_eq(json_array_size(items), 6);
    json_t *i5 = json_array_get(items, 2);
    cr_assert_eq(json_integer_value(json_object_get(i5, "item")), 5);
    cr_assert_float_eq(jnum(i5, "points"), 4.5, 1e-9);
    cr_assert_float_eq(jnum(i5, "max"), 5, 1e-9);
    cr_assert_str_eq(jstr(i5, "kind"), "monthly_timeliness");
    json_t *ex = json_object_get(i5, "explain");
    cr_assert_eq(json_array_size(ex), 2);
    cr_assert_str_eq(json_string_value(json_array_get(ex, 0)), "2018-02: late (3 days): -0.5");
    cr_assert_eq(json_array_size(json_object_get(lx, "explain")), 2);
    cr_assert_float_eq(jnum(lx, "bonus"), 1, 1e-9);
    cr_assert_null(json_object_get(json_array_get(json_object_get(js, "items"), 0), "explain"));
    json_decref(j);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- scores: terminal ---------------------------------------------------------- */

Test(render, scores_text_ranks_per_category_with_two_decimals)
{
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    char *out = NULL;
    CAPTURE(out, pw_render_scores_text(r, f));
    cr_assert_not_null(
        strstr(out, "county 县市区: 5 units\nRANK  UNIT       NAME             SCORE"));
    cr_assert_not_null(
        strstr(out, "1     jishou     吉首市           95.50  excellent (优秀)      commend"));
    cr_assert_not_null(strstr(out, "3     luxi       泸溪县           88.25  qualified (合格)"));
    cr_assert_not_null(strstr(out, "3     fenghuang  凤凰县           88.25"));
    cr_assert_not_null(strstr(out, "90.00"));
    cr_assert_not_null(strstr(out, "department 州直单位: 4 units"));
    cr_assert_not_null(strstr(out, "州教育局  84.00  qualified (合格)  -"));
    free(out);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

Test(render, scores_explain_goes_item_by_item)
{
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    char *out = NULL;
    int rc = 0;
    CAPTURE(out, rc = pw_render_scores_explain(r, "luxi", f));
    cr_assert_eq(rc, 0);
    cr_assert_not_null(strstr(out, "泸溪县 (luxi), county, 2018-Q1"));
    cr_assert_not_null(strstr(out, "score 88.25, rank 3, grade qualified (合格), flag criticise"));
    cr_assert_not_null(strstr(out, "item 5  日常工作 · 按时报送月调度表 [monthly_timeliness]: "
                                   "4.5 / 5\n    - 2018-02: late (3 days): -0.5\n"));
    cr_assert_not_null(strstr(out, "item 7  工作实绩 · 目标任务完成情况 [work_performance]: "
                                   "79.75 / 86\n"));
    cr_assert_not_null(strstr(out, "    bonus (加分): +1\n"));
    cr_assert_not_null(strstr(out, "    penalty (扣分): -1\n"));
    cr_assert_not_null(strstr(out, "    - bonus +1: 获省级表彰 (finding 5)\n"));
    cr_assert_not_null(
        strstr(out, "total (总分): items 分项 88.25, falsifications 资料造假 0, bonus 加分 +1, "
                    "penalty 扣分 -1 = 88.25; score 88.25"));
    free(out);
    out = NULL;
    CAPTURE(out, rc = pw_render_scores_explain(r, "xx_zone", f));
    cr_assert_not_null(strstr(out, "falsifications (资料造假): -10\n"));
    cr_assert_not_null(
        strstr(out, "total (总分): items 分项 75.4, falsifications 资料造假 -10, bonus 加分 0, "
                    "penalty 扣分 0 = 65.4; score 65.40"));
    free(out);
    out = NULL;
    CAPTURE(out, rc = pw_render_scores_explain(r, "nowhere", f));
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(out, "");
    free(out);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- scores: CSV ------------------------------------------------------------- */

Test(render, scores_csv_has_one_row_per_unit_and_one_column_per_item)
{
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_scores_csv(r, &sb), 0);
    const char *csv = pw_strbuf_cstr(&sb);
    cr_assert_eq(memcmp(csv, "\xef\xbb\xbf", 3), 0, "no UTF-8 BOM");
    csv_doc d;
    csv_doc_read(&d, csv, sb.len);
    size_t c = csv_section(&d, "county");
    cr_assert_str_eq(d.fields[c][1], "县市区");
    static const char *const head[] = {"rank",           "unit",
                                       "name",           "category",
                                       "score",          "grade",
                                       "flag",           "item_1",
                                       "item_4",         "item_5",
                                       "item_7",         "item_11",
                                       "item_12",        "falsification_points",
                                       "bonus",          "penalty",
                                       "flag_decided_by"};
    cr_assert_eq(d.nfields[c + 1], 17);
    for (size_t k = 0; k < 17; k++)
        cr_assert_str_eq(d.fields[c + 1][k], head[k]);
    cr_assert_str_eq(d.fields[c + 2][1], "jishou");
    cr_assert_str_eq(d.fields[c + 2][4], "95.50");
    cr_assert_str_eq(d.fields[c + 2][6], "commend");
    cr_assert_str_eq(d.fields[c + 2][16], "rules 按规则");
    cr_assert_str_eq(d.fields[c + 4][0], "3");
    cr_assert_str_eq(d.fields[c + 5][0], "3", "the tie shares rank 3");
    cr_assert_str_eq(d.fields[c + 4][csv_col(&d, c + 1, "item_5")], "4.50");
    cr_assert_str_eq(d.fields[c + 6][2], PW_FIXTURE_ODD_NAME);
    cr_assert_str_eq(d.fields[c + 6][5], "unqualified");
    cr_assert_str_eq(d.fields[c + 6][csv_col(&d, c + 1, "falsification_points")], "10.00");
    size_t dp = csv_section(&d, "department");
    cr_assert_eq(d.nfields[dp + 1], 15, "the department sheet has its own items");
    size_t jy = csv_row(&d, dp, "2");
    cr_assert_str_eq(d.fields[jy][2], "州教育局");
    cr_assert_str_eq(d.fields[jy][6], "", "no flag is an empty cell");
    cr_assert_str_eq(d.fields[jy][14], "", "no flag, nobody decided one");
    csv_doc_free(&d);
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

static char *run(const char *cmd);

/* The office's decision (scores flag) is marked in the CSV and the XLSX as
 * in the text, JSON and HTML. */
Test(render, scores_spreadsheets_mark_the_office_decision)
{
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    Planwatch__V1__UnitScore *u = NULL;
    for (size_t i = 0; i < r->n_rankings; i++)
        if (strcmp(r->rankings[i]->unit, "jishou") == 0)
            u = r->rankings[i];
    cr_assert_not_null(u);
    u->flag_by_office = 1;
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_scores_csv(r, &sb), 0);
    csv_doc d;
    csv_doc_read(&d, pw_strbuf_cstr(&sb), sb.len);
    size_t c = csv_section(&d, "county");
    cr_assert_str_eq(d.fields[c + 2][1], "jishou");
    cr_assert_str_eq(d.fields[c + 2][csv_col(&d, c + 1, "flag_decided_by")], "office 办公室决定");
    csv_doc_free(&d);
    pw_strbuf_free(&sb);
    char dir[] = "/tmp/pwrender-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/scores.xlsx", dir);
    cr_assert_eq(pw_render_scores_xlsx(r, path, err, sizeof err), 0, "%s", err);
    char cmd[256]; /* unzip: installed by scripts/deps */
    snprintf(cmd, sizeof cmd, "unzip -p %s xl/sharedStrings.xml", path);
    char *ss = run(cmd);
    cr_assert_not_null(strstr(ss, "（办公室决定）"), "%s", ss);
    free(ss);
    unlink(path);
    rmdir(dir);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- scores: HTML --------------------------------------------------------------- */

Test(render, scores_html_has_escaped_names_and_bar_charts)
{
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    pw_strbuf sb = PW_STRBUF_INIT;
    cr_assert_eq(pw_render_scores_html(r, &sb), 0);
    const char *h = pw_strbuf_cstr(&sb);
    cr_assert(pw_utf8_valid(h, sb.len));
    cr_assert_not_null(strstr(h, "<meta charset=\"utf-8\">"));
    cr_assert_not_null(strstr(h, "<title>考核排名 czh2018 2018-Q1</title>"));
    cr_assert_null(strstr(h, PW_FIXTURE_ODD_NAME));
    cr_assert_not_null(strstr(h, "经开区&lt;&amp;&gt;&quot;测试&quot;"));
    cr_assert_null(strstr(h, "<script"));
    cr_assert_null(strstr(h, "http://"));
    cr_assert_null(strstr(h, "https://"));
    /* one chart per category, HTML bars (text a phone does not shrink)
     * coloured by grade, flags marked */
    cr_assert_eq(count(h, "<div class=\"chart\""), 2);
    cr_assert_eq(count(h, "<svg"), count(h, "</svg>"));
    cr_assert_eq(count(h, "<table"), count(h, "</table>"));
    cr_assert_eq(count(h, ";background:#d64545\" title="), 1, "one unqualified bar");
    cr_assert_eq(count(h, ";background:#2e9d4f\" title="), 3, "three excellent bars");
    cr_assert_eq(count(h, ";background:#3a78c3\" title="), 5, "five qualified bars");
    cr_assert_eq(count(h, ">★ 表彰</span>"), 3);
    cr_assert_eq(count(h, ">▼ 批评</span>"), 5);
    cr_assert_not_null(strstr(h, "<b class=\"sc\">95.50</b>"));
    /* a phone: no page-wide tables (extra columns hidden, the item table
     * scrolls in its own box) */
    cr_assert_not_null(strstr(h, "@media (max-width:640px)"));
    cr_assert_not_null(strstr(h, "<div class=\"tw\"><table class=\"items\">"));
    pw_strbuf_free(&sb);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- scores: XLSX -------------------------------------------------------------- */

static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        fwrite(buf, 1, n, m);
    fclose(m);
    pclose(p);
    return out;
}

/* Issue 10 item 8, XLSX: cells are written with worksheet_write_string, so a
 * formula-like name is a shared string and the sheet holds no formula. */
/* Issue 10 item 11: a symlink planted at the old temporary name (PATH.tmp)
 * or at PATH itself redirects no write; only PATH changes, and no
 * temporary file is left behind. */
static void planted(const char *dir, const char *name, char *path, size_t len, char *victim,
                    size_t vlen)
{
    snprintf(victim, vlen, "%s/victim", dir);
    FILE *v = fopen(victim, "w");
    cr_assert_not_null(v);
    fputs("precious\n", v);
    fclose(v);
    snprintf(path, len, "%s/%s", dir, name);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    cr_assert_eq(symlink(victim, tmp), 0);
}

static size_t dir_entries(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    char *out = run(cmd);
    size_t n = (size_t)atoi(out);
    free(out);
    return n;
}

Test(render, output_files_ignore_planted_symlinks)
{
    char dir[] = "/tmp/pwrender-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], victim[256], err[256] = "";
    size_t len;
    /* the CSV / HTML / template writer */
    planted(dir, "out.csv", path, sizeof path, victim, sizeof victim);
    cr_assert_eq(pw_render_write_file(path, "a,b\n", 4, err, sizeof err), 0, "%s", err);
    char *v = pw_test_read_file(victim, &len);
    cr_assert_str_eq(v, "precious\n", "the write followed the planted out.csv.tmp");
    free(v);
    char *o = pw_test_read_file(path, &len);
    cr_assert_str_eq(o, "a,b\n");
    free(o);
    /* a symlink at PATH itself is replaced, its target not written */
    char link2[300];
    snprintf(link2, sizeof link2, "%s/linked.csv", dir);
    cr_assert_eq(symlink(victim, link2), 0);
    cr_assert_eq(pw_render_write_file(link2, "x\n", 2, err, sizeof err), 0, "%s", err);
    v = pw_test_read_file(victim, &len);
    cr_assert_str_eq(v, "precious\n", "the write followed the symlink at PATH");
    free(v);
    struct stat st;
    cr_assert_eq(lstat(link2, &st), 0);
    cr_assert(S_ISREG(st.st_mode), "PATH is now a regular file");
    /* the XLSX writer */
    char xpath[256], xvictim[256];
    snprintf(xvictim, sizeof xvictim, "%s/victim", dir);
    snprintf(xpath, sizeof xpath, "%s/scores.xlsx", dir);
    char xtmp[300];
    snprintf(xtmp, sizeof xtmp, "%s.tmp", xpath);
    cr_assert_eq(symlink(xvictim, xtmp), 0);
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    cr_assert_eq(pw_render_scores_xlsx(r, xpath, err, sizeof err), 0, "%s", err);
    protobuf_c_message_free_unpacked(&r->base, NULL);
    v = pw_test_read_file(xvictim, &len);
    cr_assert_str_eq(v, "precious\n", "the workbook followed the planted scores.xlsx.tmp");
    free(v);
    char *x = pw_test_read_file(xpath, &len);
    cr_assert_eq(memcmp(x, "PK\x03\x04", 4), 0);
    free(x);
    /* victim, out.csv, out.csv.tmp (the planted link), linked.csv,
     * scores.xlsx, scores.xlsx.tmp (link): nothing else */
    cr_assert_eq(dir_entries(dir), 6, "a temporary file was left behind");
    cr_assert_eq(pw_test_rmdir(dir), 0);
}

Test(render, scores_xlsx_writes_formula_like_names_as_text)
{
    if (system("command -v unzip >/dev/null 2>&1") != 0)
        cr_skip_test("unzip is not installed");
    char dir[] = "/tmp/pwrender-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/scores.xlsx", dir);
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    free(r->rankings[0]->name);
    r->rankings[0]->name = strdup("=HYPERLINK(\"http://x\")");
    char err[256] = "";
    cr_assert_eq(pw_render_scores_xlsx(r, path, err, sizeof err), 0, "%s", err);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "unzip -p %s xl/sharedStrings.xml", path);
    char *ss = run(cmd);
    cr_assert_not_null(strstr(ss, "=HYPERLINK("), "the name is a string");
    free(ss);
    snprintf(cmd, sizeof cmd, "unzip -p %s 'xl/worksheets/*.xml'", path);
    char *sheets = run(cmd);
    cr_assert_null(strstr(sheets, "<f>"), "no formula in any sheet");
    free(sheets);
    cr_assert_eq(pw_test_rmdir(dir), 0);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

Test(render, scores_xlsx_is_a_workbook_with_a_sheet_per_category)
{
    char dir[] = "/tmp/pwrender-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128], tmp[140];
    snprintf(path, sizeof path, "%s/scores.xlsx", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    char err[256] = "";
    cr_assert_eq(pw_render_scores_xlsx(r, path, err, sizeof err), 0, "%s", err);
    size_t len;
    char *data = pw_test_read_file(path, &len);
    cr_assert_gt(len, 1000);
    cr_assert_eq(memcmp(data, "PK\x03\x04", 4), 0, "not a zip");
    free(data);
    cr_assert_neq(access(tmp, F_OK), 0, "the temporary file is gone");
    if (system("command -v unzip >/dev/null 2>&1") == 0) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "unzip -l %s", path);
        char *list = run(cmd);
        cr_assert_not_null(strstr(list, "xl/worksheets/sheet1.xml"));
        cr_assert_not_null(strstr(list, "xl/worksheets/sheet3.xml"), "county, department, items");
        cr_assert_null(strstr(list, "xl/worksheets/sheet4.xml"));
        free(list);
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/workbook.xml", path);
        char *wb = run(cmd);
        cr_assert_not_null(strstr(wb, "name=\"县市区排名 2018-Q1\""));
        cr_assert_not_null(strstr(wb, "name=\"州直单位排名 2018-Q1\""));
        cr_assert_not_null(strstr(wb, "name=\"分项得分 2018-Q1\""));
        /* print set-up: the header row repeats on every page */
        cr_assert_not_null(strstr(wb, "_xlnm.Print_Titles"), "%s", wb);
        cr_assert_not_null(strstr(wb, "排名 2018-Q1'!$4:$4"), "%s", wb);
        free(wb);
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/sharedStrings.xml", path);
        char *ss = run(cmd);
        cr_assert_not_null(strstr(ss, "吉首市"));
        cr_assert_not_null(strstr(ss, "经开区&lt;&amp;&gt;\"测试\""));
        cr_assert_not_null(strstr(ss, "得分"));
        /* a title row names the plan and the period */
        cr_assert_not_null(strstr(ss, "考核排名 2018-Q1 县市区"), "%s", ss);
        /* item texts whole, never cut with an ellipsis */
        cr_assert_null(strstr(ss, "…"));
        free(ss);
        /* numbers are numbers with the 0.00 format, not text; deductions signed */
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/styles.xml", path);
        char *st = run(cmd);
        cr_assert_not_null(strstr(st, "formatCode=\"0.00\""));
        cr_assert_not_null(strstr(st, "formatCode=\"+0.00;-0.00;0.00\""));
        free(st);
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet1.xml", path);
        char *s1 = run(cmd);
        cr_assert_not_null(strstr(s1, "<v>95.5</v>"));
        cr_assert_not_null(strstr(s1, "<col "), "column widths set");
        cr_assert_not_null(strstr(s1, "<pane "), "header row frozen");
        /* A4 landscape, fitted to one page wide */
        cr_assert_not_null(strstr(s1, "<pageSetUpPr fitToPage=\"1\"/>"), "%s", s1);
        cr_assert_not_null(strstr(s1, "paperSize=\"9\""), "%s", s1);
        cr_assert_not_null(strstr(s1, "orientation=\"landscape\""), "%s", s1);
        cr_assert_not_null(strstr(s1, "fitToHeight=\"0\""), "%s", s1);
        free(s1);
        /* the department with a penalty: negative in the sheet as on the page */
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet2.xml", path);
        char *s2 = run(cmd);
        cr_assert_not_null(strstr(s2, "<v>-"), "%s", s2);
        free(s2);
    }
    /* a path that cannot be written: an error naming it, nothing left */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/missing-dir/x.xlsx", dir);
    cr_assert_eq(pw_render_scores_xlsx(r, bad, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "cannot write"), "%s", err);
    cr_assert_not_null(strstr(err, "missing-dir/x.xlsx"), "%s", err);
    unlink(path);
    rmdir(dir);
    protobuf_c_message_free_unpacked(&r->base, NULL);
}

Test(render, dispatch_xlsx_has_a_sheet_per_table_with_title_and_print_setup)
{
    char dir[] = "/tmp/pwrender-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/dispatch.xlsx", dir);
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    char err[256] = "";
    cr_assert_eq(pw_render_dispatch_xlsx(s, path, err, sizeof err), 0, "%s", err);
    size_t len;
    char *data = pw_test_read_file(path, &len);
    cr_assert_eq(memcmp(data, "PK\x03\x04", 4), 0, "not a zip");
    free(data);
    if (system("command -v unzip >/dev/null 2>&1") == 0) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/workbook.xml", path);
        char *wb = run(cmd);
        const char *sheets[] = {"报送情况 2018-03", "红灯事项 2018-03", "指标进度 2018-03",
                                "督办事项 2018-03", "数据质量 2018-03"};
        const char *prev = wb;
        for (size_t i = 0; i < 5; i++) {
            char key[96];
            snprintf(key, sizeof key, "<sheet name=\"%s\"", sheets[i]);
            const char *at = strstr(wb, key);
            cr_assert(at && at >= prev, "sheet %s missing or out of order: %s", sheets[i], wb);
            prev = at;
        }
        cr_assert_eq(count(wb, "_xlnm.Print_Titles"), 5, "%s", wb);
        cr_assert_not_null(strstr(wb, "2018-03'!$4:$4"), "%s", wb);
        free(wb);
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/sharedStrings.xml", path);
        char *ss = run(cmd);
        cr_assert_not_null(
            strstr(ss, "湘西州推进新型城镇化三年行动计划 2018年3月调度通报 · 报送情况"), "%s", ss);
        cr_assert_not_null(strstr(ss, "未启动"), "a milestone's state, not 0");
        /* the unit's problem text once, though jishou has two red items */
        cr_assert_eq(count(ss, "改革方案待州政府审批"), 1);
        cr_assert_not_null(strstr(ss, "已完成供水管网建设"), "the latest answer");
        free(ss);
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet1.xml", path);
        char *s1 = run(cmd);
        cr_assert_not_null(strstr(s1, "<pageSetUpPr fitToPage=\"1\"/>"), "%s", s1);
        cr_assert_not_null(strstr(s1, "orientation=\"landscape\""), "%s", s1);
        cr_assert_not_null(strstr(s1, "paperSize=\"9\""), "%s", s1);
        cr_assert_not_null(strstr(s1, "<pane "), "header row frozen");
        free(s1);
        snprintf(cmd, sizeof cmd, "unzip -p %s xl/styles.xml", path);
        char *st = run(cmd);
        cr_assert_not_null(strstr(st, "formatCode=\"0.0%\""), "progress as a percentage");
        free(st);
    }
    char bad[160];
    snprintf(bad, sizeof bad, "%s/missing-dir/x.xlsx", dir);
    cr_assert_eq(pw_render_dispatch_xlsx(s, bad, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "missing-dir/x.xlsx"), "%s", err);
    unlink(path);
    rmdir(dir);
    protobuf_c_message_free_unpacked(&s->base, NULL);
}

Test(render, tables_fit_the_terminal_width_and_cut_with_an_ellipsis)
{
    static const char *const hdr[] = {"UNIT", "NAME", "STATUS"};
    pw_table *t = pw_table_new(3, hdr);
    const char *row[] = {"zhou_xinchengban", "州新城办(州推进新型城镇化工作领导小组办公室)",
                         "on time"};
    pw_table_row(t, row);
    char *out = NULL;
    pw_table_set_width(30);
    CAPTURE(out, pw_table_print(t, f));
    pw_table_set_width(0);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        cr_assert_leq(pw_text_display_width(line), 30, "too wide: %s", line);
    free(out);
    out = NULL;
    pw_table_set_width(30);
    CAPTURE(out, pw_table_print(t, f));
    pw_table_set_width(0);
    cr_assert_not_null(strstr(out, "…"));
    cr_assert_not_null(strstr(out, "州新城"), "the start of a cut name is kept: %s", out);
    free(out);
    out = NULL;
    CAPTURE(out, pw_table_print(t, f)); /* no width: nothing cut */
    cr_assert_null(strstr(out, "…"));
    cr_assert_not_null(strstr(out, "领导小组办公室)"));
    free(out);
    pw_table_free(t);
}

/* ---- formatting helpers ---------------------------------------------------------- */

Test(render, numbers_times_and_labels)
{
    char b[PW_NUM_BUFSIZE];
    cr_assert_str_eq(pw_fmt_num(45, b, sizeof b), "45");
    cr_assert_str_eq(pw_fmt_num(41.2, b, sizeof b), "41.2");
    cr_assert_str_eq(pw_fmt_num(0.125, b, sizeof b), "0.13");
    cr_assert_str_eq(pw_fmt_num(-0.001, b, sizeof b), "0");
    cr_assert_str_eq(pw_fmt_num(NAN, b, sizeof b), "-");
    cr_assert_str_eq(pw_fmt_pct(0.625, b, sizeof b), "62.5%");
    cr_assert_str_eq(pw_fmt_pct(1, b, sizeof b), "100.0%");
    cr_assert_float_eq(pw_round2(88.254999), 88.25, 1e-12);
    /* the decimal value decides, as for score totals (SPEC 3.5): binary
     * -1.00499... and 96.49499... are -1.005 and 96.495 */
    cr_assert_float_eq(pw_round2(-1.005), -1.01, 1e-12);
    cr_assert_float_eq(pw_round2(96.495), 96.50, 1e-12);
    char t[40];
    cr_assert_null(pw_fmt_time(0, t, sizeof t));
    cr_assert_str_eq(pw_fmt_time(1522943999, t, sizeof t), "2018-04-05T23:59:59+08:00");
    cr_assert_str_eq(pw_fmt_time_short(1522943999, t, sizeof t), "2018-04-05 23:59");
    cr_assert_str_eq(pw_label_grade("excellent"), "优秀");
    cr_assert_str_eq(pw_label_flag("criticise"), "通报批评");
    cr_assert_str_eq(pw_label_category("zone"), "zone");
    char *c = pw_term_clean("  a\r\n\tb\x1b[0m \xff ");
    cr_assert_str_eq(c, "a b [0m ?");
    free(c);
    char *u = pw_utf8_clean("湘西土家族苗族自治州", 5);
    cr_assert_str_eq(u, "湘西土家…");
    free(u);
}

Test(render, write_file_replaces_atomically_and_reports_errors)
{
    char dir[] = "/tmp/pwrender-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/out.html", dir);
    cr_assert_eq(pw_render_write_file(path, "one", 3, err, sizeof err), 0);
    cr_assert_eq(pw_render_write_file(path, "two!", 4, err, sizeof err), 0);
    size_t len;
    char *data = pw_test_read_file(path, &len);
    cr_assert_str_eq(data, "two!");
    free(data);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/no/such/dir.html", dir);
    cr_assert_eq(pw_render_write_file(bad, "x", 1, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "cannot write"), "%s", err);
    cr_assert_not_null(strstr(err, "No such file or directory"), "%s", err);
    unlink(path);
    rmdir(dir);
}
