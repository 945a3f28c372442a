/*
 * test_report_file.c - recognising and reading report files: CSV in UTF-8
 * (with and without BOM), UTF-16 LE/BE with BOM (tab- or comma-separated),
 * GB18030 (made with iconv here), XLSX written by libxlsxwriter and by hand
 * with minizip's zip API (shared/inline/rich strings, formula cached values,
 * error cells, no r attributes), the limits on hostile workbooks, and the
 * messages for what is none of these.
 */
#include <criterion/criterion.h>
#include <iconv.h>
#include <minizip/zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "common/report_file.h"
#include "common/xlsx_read.h"
#include "tests/support/harness.h"

/* ---- helpers ------------------------------------------------------------------- */

static char *convert(const char *to, const char *utf8, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    cr_assert(cd != (iconv_t)-1);
    size_t il = strlen(utf8), cap = il * 4 + 8, ol = cap;
    char *out = malloc(cap), *op = out, *ip = (char *)utf8;
    cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1, "iconv to %s", to);
    iconv_close(cd);
    *len = cap - ol;
    return out;
}

/* A ZIP made with minizip's zip API: n entries of (name, content). */
static char *zip_of(const char *const *names, const char *const *contents, size_t n, size_t *len)
{
    char path[] = "/tmp/pwtest-zip-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
    cr_assert(z);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(zipOpenNewFileInZip64(z, names[i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                                           Z_DEFAULT_COMPRESSION, 0),
                     ZIP_OK);
        cr_assert_eq(zipWriteInFileInZip(z, contents[i], (unsigned)strlen(contents[i])), ZIP_OK);
        cr_assert_eq(zipCloseFileInZip(z), ZIP_OK);
    }
    cr_assert_eq(zipClose(z, NULL), ZIP_OK);
    char *b = pw_test_read_file(path, len);
    unlink(path);
    return b;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define WORKBOOK                                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook " NS                 \
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"            \
    "<sheets><sheet name=\"报表\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"other\" "           \
    "sheetId=\"2\" r:id=\"rId3\"/></sheets></workbook>"
#define RELS                                                                                       \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"       \
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"      \
    "relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"                                 \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"      \
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"                                 \
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"      \
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"

/* A hand-made workbook with the given shared strings and sheet data. */
static char *xlsx_of(const char *sst, const char *sheet_data, size_t *len)
{
    char *s1 = malloc(strlen(sheet_data) + 200), *ss = malloc(strlen(sst) + 200);
    sprintf(s1, "<worksheet " NS "><sheetData>%s</sheetData></worksheet>", sheet_data);
    sprintf(ss, "<sst " NS ">%s</sst>", sst);
    const char *names[] = {"[Content_Types].xml",        "xl/workbook.xml",
                           "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                           "xl/worksheets/sheet1.xml",   "xl/worksheets/sheet2.xml"};
    const char *contents[] = {"<Types/>",
                              WORKBOOK,
                              RELS,
                              ss,
                              s1,
                              "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\"><v>9</v></c>"
                              "</row></sheetData></worksheet>"};
    char *z = zip_of(names, contents, 6, len);
    free(s1);
    free(ss);
    return z;
}

static pw_report_file read_ok(const void *buf, size_t len, pw_report_format fmt)
{
    pw_report_file f;
    char err[600] = "";
    cr_assert_eq(pw_report_file_read(buf, len, &f, err, sizeof err), 0, "refused: %s", err);
    cr_assert_eq(f.format, fmt, "format %s", pw_report_format_name(f.format));
    return f;
}

static void read_refused(const void *buf, size_t len, const char *what)
{
    pw_report_file f = {.nrows = 12345};
    char err[600] = "";
    cr_assert_eq(pw_report_file_read(buf, len, &f, err, sizeof err), -1, "accepted");
    cr_assert(strstr(err, what), "error '%s' lacks '%s'", err, what);
    cr_assert_eq(f.nrows, 12345, "out written on failure");
}

static void row_is(const pw_report_file *f, size_t i, const char *id, const char *value,
                   const char *note, const char *where)
{
    cr_assert(i < f->nrows, "only %zu rows", f->nrows);
    cr_assert_str_eq(f->rows[i].indicator, id);
    cr_assert_str_eq(f->rows[i].value, value);
    cr_assert_str_eq(f->rows[i].note, note);
    cr_assert_str_eq(f->rows[i].where, where);
}

/* ---- CSV ---------------------------------------------------------------------------- */

#define ZH_CSV                                                                                     \
    "指标编号,指标名称,计量单位,目标,本月值,说明,,,\r\n"                        \
    "C1,棚户区改造,套,100,\"1,500\",按台账,,,\r\n"                                        \
    "L1,城镇化率,%,60,29.40%,,,,\r\n"                                                          \
    ",,,,,,,,\r\n"                                                                                 \
    "M1,户籍制度改革,,1,已完成,,,,\r\n"                                                   \
    "C2,未填,套,5,,,,,\r\n"

Test(report_file, utf8_csv_with_chinese_headers_and_empty_trailing_columns)
{
    pw_report_file f = read_ok(ZH_CSV, strlen(ZH_CSV), PW_REPORT_CSV_UTF8);
    cr_assert_eq(f.nrows, 3);
    row_is(&f, 0, "C1", "1,500", "按台账", "line 2");
    row_is(&f, 1, "L1", "29.40%", "", "line 3");
    row_is(&f, 2, "M1", "已完成", "", "line 5");
    cr_assert_eq(f.sep, ',');
    pw_report_file_free(&f);
}

/* CSV templates wrote the states into the note column of milestone rows; a
 * clerk who typed only the value sent them back and they were stored as the
 * note.  Only exactly that list is dropped. */
Test(report_file, the_states_hint_of_older_templates_is_no_note)
{
    const char *t = "\xEF\xBB\xBF指标编号,指标名称,计量单位,目标,本月值,说明\r\n"
                    "M1,户籍制度改革,none,1,已完成,未启动|推进中|已完成\r\n"
                    "M2,x,none,1,done, not_started|in_progress|done \r\n"
                    "M3,x,none,1,done,未启动|推进中|已完成 说明\r\n";
    pw_report_file f = read_ok(t, strlen(t), PW_REPORT_CSV_UTF8_BOM);
    cr_assert_eq(f.nrows, 3);
    row_is(&f, 0, "M1", "已完成", "", "line 2");
    row_is(&f, 1, "M2", "done", "", "line 3");
    row_is(&f, 2, "M3", "done", "未启动|推进中|已完成 说明", "line 4");
    pw_report_file_free(&f);
}

Test(report_file, utf8_csv_with_bom_and_english_headers)
{
    const char *t = "\xEF\xBB\xBFindicator_id,indicator,unit_of_measure,target,value,note\n"
                    "C1,x,套,100,10,\n L1 ,y,%,60,55,n\n";
    pw_report_file f = read_ok(t, strlen(t), PW_REPORT_CSV_UTF8_BOM);
    cr_assert_eq(f.nrows, 2);
    row_is(&f, 0, "C1", "10", "", "line 2");
    row_is(&f, 1, "L1", "55", "n", "line 3");
    pw_report_file_free(&f);
}

Test(report_file, gb18030_csv_as_a_chinese_excel_saves_it)
{
    size_t len;
    char *gb = convert("GB18030", ZH_CSV, &len);
    pw_report_file f = read_ok(gb, len, PW_REPORT_CSV_GB18030);
    cr_assert_eq(f.nrows, 3);
    row_is(&f, 0, "C1", "1,500", "按台账", "line 2");
    row_is(&f, 2, "M1", "已完成", "", "line 5");
    pw_report_file_free(&f);
    free(gb);
}

Test(report_file, utf16_le_tab_separated_unicode_text)
{
    const char *t = "指标编号\t指标名称\t计量单位\t目标\t本月值\t说明\r\n"
                    "C1\t棚户区改造\t套\t100\t1500\t\"含, 逗号\"\r\n";
    size_t len;
    char *u = convert("UTF-16LE", t, &len);
    char *b = malloc(len + 2);
    b[0] = (char)0xFF, b[1] = (char)0xFE;
    memcpy(b + 2, u, len);
    pw_report_file f = read_ok(b, len + 2, PW_REPORT_CSV_UTF16LE);
    cr_assert_eq(f.sep, '\t');
    cr_assert_eq(f.nrows, 1);
    row_is(&f, 0, "C1", "1500", "含, 逗号", "line 2");
    pw_report_file_free(&f);
    free(u);
    free(b);
}

Test(report_file, utf16_be_comma_separated)
{
    size_t len;
    char *u = convert("UTF-16BE", ZH_CSV, &len);
    char *b = malloc(len + 2);
    b[0] = (char)0xFE, b[1] = (char)0xFF;
    memcpy(b + 2, u, len);
    pw_report_file f = read_ok(b, len + 2, PW_REPORT_CSV_UTF16BE);
    cr_assert_eq(f.nrows, 3);
    row_is(&f, 1, "L1", "29.40%", "", "line 3");
    pw_report_file_free(&f);
    free(u);
    free(b);
    /* a BOM and then something that is not UTF-16: an odd byte at the end */
    const char bad[] = "\xFF\xFE"
                       "A\0B";
    read_refused(bad, 5, "not valid UTF-16");
}

/* Two million rows of "C1,20" (12 MB) took 580 MB in the CLI and a 40 MB
 * request that the server dropped: no report can have more than
 * PW_REPORT_MAX_VALUES rows with a value. */
Test(report_file, at_most_ten_thousand_rows_with_a_value)
{
    size_t n = PW_REPORT_MAX_VALUES;
    char *t = malloc(32 + (n + 1) * 12), *p = t;
    p += sprintf(p, "indicator_id,value\n");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "C%zu,1\n", i);
    pw_report_file f = read_ok(t, strlen(t), PW_REPORT_CSV_UTF8);
    cr_assert_eq(f.nrows, n);
    pw_report_file_free(&f);
    /* empty rows do not count */
    p += sprintf(p, ",\n,\n");
    f = read_ok(t, strlen(t), PW_REPORT_CSV_UTF8);
    pw_report_file_free(&f);
    sprintf(p, "C%zu,1\n", n);
    read_refused(t, strlen(t),
                 "line 10004: more than 10000 rows with a value; a report has one row");
    free(t);
}

Test(report_file, header_problems)
{
    const char *t = "指标编号,指标名称,单位,本月值\nC1,x,套,5\n";
    read_refused(t, strlen(t), "header (line 1, column 3): unexpected column '单位'");
    t = "指标编号,指标名称\nC1,x\n";
    read_refused(t, strlen(t), "no 本月值 (value) column");
    t = "a,b\n1,2\n";
    read_refused(t, strlen(t), "no header row");
    t = "x\nx\nx\nx\nx\nx\nx\nx\nx\nx\nx\nindicator_id,value\n";
    read_refused(t, strlen(t), "no header row in the first 10 rows");
    t = "indicator_id,value,value\n";
    read_refused(t, strlen(t), "given twice");
    t = "indicator_id,value,note\nC1,5,,extra\n";
    read_refused(t, strlen(t), "line 2, column 4: a value in a column without a header");
    t = "indicator_id,value,note\n,5,\n";
    read_refused(t, strlen(t), "line 2, column 1: a value without an indicator id");
    read_refused("", 0, "the file is empty");
}

Test(report_file, a_title_row_above_the_header_is_skipped)
{
    const char *t = "吉首市 2018-03 月报 截止 2018-04-05,,,\n\n指标编号,本月值\nC1,7\n";
    pw_report_file f = read_ok(t, strlen(t), PW_REPORT_CSV_UTF8);
    cr_assert_eq(f.nrows, 1);
    row_is(&f, 0, "C1", "7", "", "line 4");
    pw_report_file_free(&f);
}

Test(report_file, what_the_file_looks_like)
{
    const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0";
    read_refused(xls, sizeof xls, "looks like an Excel 97-2003 workbook (.xls)");
    read_refused(xls, sizeof xls, "save it as Excel 工作簿 (*.xlsx) or CSV UTF-8");
    read_refused("%PDF-1.4\n...", 12, "looks like a PDF document");
    const char u16[] = "i\0n\0d\0,\0v\0\n\0";
    read_refused(u16, sizeof u16 - 1, "UTF-16 text without a byte order mark");
    const char bin[] = "\x01\x02\x00\x03\x00\x00\x07\x08\x09\x00\xff";
    read_refused(bin, sizeof bin, "binary file");
    const char *html = "  <html><body><table></table></body></html>";
    read_refused(html, strlen(html), "looks like a web page");
    const char *names[] = {"mimetype", "content.xml"};
    const char *contents[] = {"application/vnd.oasis.opendocument.spreadsheet", "<x/>"};
    size_t len;
    char *ods = zip_of(names, contents, 2, &len);
    read_refused(ods, len, "looks like an OpenDocument spreadsheet (.ods)");
    free(ods);
    const char *dn[] = {"word/document.xml"};
    const char *dc[] = {"<w/>"};
    char *docx = zip_of(dn, dc, 1, &len);
    read_refused(docx, len, "Word document");
    free(docx);
    /* Latin-1 text is neither UTF-8 nor GB18030 (0xFF is no GB18030 lead byte) */
    read_refused("indicator_id,value\nC1,5\xff\n", 24, "neither UTF-8 nor GB18030");
}

/* ---- XLSX ----------------------------------------------------------------------------- */

Test(report_file, xlsx_by_libxlsxwriter_stored_values_not_display_text)
{
    char path[] = "/tmp/pwtest-xlsx-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "报表");
    lxw_format *sci = workbook_add_format(wb);
    format_set_num_format(sci, "0.00E+00");
    worksheet_write_string(ws, 0, 0, "吉首市 2018-03 截止 2018-04-05", NULL);
    const char *hdr[] = {"指标编号", "指标名称", "计量单位", "目标", "上月值", "本月值", "说明"};
    for (int c = 0; c < 7; c++)
        worksheet_write_string(ws, 2, (lxw_col_t)c, hdr[c], NULL);
    worksheet_write_string(ws, 3, 0, "C1", NULL);
    worksheet_write_number(ws, 3, 3, 2000, NULL);
    worksheet_write_number(ws, 3, 5, 1310.5, sci); /* shown as 1.31E+03 */
    worksheet_write_string(ws, 4, 0, "C2", NULL);
    worksheet_write_formula_num(ws, 4, 5, "=D4/10", NULL, 200); /* cached value */
    worksheet_write_string(ws, 4, 6, "公式", NULL);
    worksheet_write_string(ws, 5, 0, "L1", NULL);
    worksheet_write_number(ws, 5, 5, 0.1 + 0.2, NULL); /* 0.30000000000000004 stored */
    worksheet_write_string(ws, 6, 0, "M1", NULL);
    worksheet_write_string(ws, 6, 5, "已完成", NULL);
    worksheet_write_number(ws, 7, 0, 7, NULL); /* a numeric id */
    worksheet_write_number(ws, 7, 5, 1e-7, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    char *b = pw_test_read_file(path, &len);
    unlink(path);
    pw_report_file f = read_ok(b, len, PW_REPORT_XLSX);
    cr_assert_eq(f.nrows, 5);
    row_is(&f, 0, "C1", "1310.5", "", "cell F4");
    row_is(&f, 1, "C2", "200", "公式", "cell F5");
    row_is(&f, 2, "L1", "0.3", "", "cell F6");
    row_is(&f, 3, "M1", "已完成", "", "cell F7");
    row_is(&f, 4, "7", "0.0000001", "", "cell F8");
    pw_report_file_free(&f);
    free(b);
}

Test(report_file, xlsx_by_hand_inline_rich_and_shared_strings)
{
    size_t len;
    char *b = xlsx_of(
        "<si><t>indicator_id</t></si><si><t>value</t></si><si><r><rPr><b/></rPr><t>no</t></r>"
        "<r><t>te</t></r><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si><si><t>C1</t></si>",
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
        /* no r attributes at all: counted */
        "<row><c t=\"s\"><v>3</v></c><c><v>12.5</v></c><c "
        "t=\"inlineStr\"><is><t>行内</t></is></c></row>"
        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><r><t>L</t></r><r><t>1</t></r></is></c>"
        "<c r=\"B5\" t=\"str\"><f>CONCAT(\"4\",\"2\")</f><v>42</v></c>"
        "<c r=\"C5\" t=\"b\"><v>1</v></c></row>"
        "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>M1</t></is></c><c r=\"B6\" "
        "s=\"3\"/></row>",
        &len);
    pw_report_file f = read_ok(b, len, PW_REPORT_XLSX);
    cr_assert_eq(f.nrows, 2);
    row_is(&f, 0, "C1", "12.5", "行内", "cell B2");
    row_is(&f, 1, "L1", "42", "TRUE", "cell B5");
    pw_report_file_free(&f);
    free(b);
}

Test(report_file, xlsx_error_cells_name_the_cell)
{
    size_t len;
    char *b = xlsx_of("",
                      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>指标编号</t></is></c>"
                      "<c r=\"D1\" t=\"inlineStr\"><is><t>目标</t></is></c><c r=\"E1\" "
                      "t=\"inlineStr\"><is><t>本月值</t></is></c></row>"
                      "<row r=\"12\"><c r=\"A12\" t=\"inlineStr\"><is><t>C1</t></is></c>"
                      "<c r=\"D12\" t=\"e\"><v>#REF!</v></c>" /* a column not read: ignored */
                      "<c r=\"E12\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>"
                      "<row r=\"13\"><c r=\"A13\" t=\"inlineStr\"><is><t>C2</t></is></c>"
                      "<c r=\"E13\" t=\"e\"><v>#N/A</v></c></row>",
                      &len);
    read_refused(b, len,
                 "cell E12 (indicator C1) holds the error #DIV/0!; cell E13 (indicator "
                 "C2) holds the error #N/A: type the value or correct the formula");
    free(b);
}

Test(report_file, xlsx_damaged_or_hostile)
{
    size_t len;
    char *b =
        xlsx_of("<si><t>x</t></si>", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>", &len);
    read_refused(b, len, "cell A1 refers to shared string '7', which does not exist");
    free(b);
    b = xlsx_of("", "<row r=\"1\"><c r=\"A1\"><v>1</v></c><row>", &len);
    read_refused(b, len, "xl/worksheets/sheet1.xml: line 1: mismatched tag");
    free(b);
    b = xlsx_of("", "<row r=\"1\"><c r=\"BM1\"><v>1</v></c></row>", &len);
    read_refused(b, len, "cell BM1 holds a value beyond the last column read (BL)");
    free(b);
    b = xlsx_of("", "<row r=\"10001\"><c r=\"A10001\"><v>1</v></c></row>", &len);
    read_refused(b, len, "more than 10000 rows");
    free(b);
    b = xlsx_of("", "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", &len);
    read_refused(b, len, "cell reference '1A' is not valid");
    free(b);
    /* entities: a DOCTYPE is refused before any expansion */
    const char *names[] = {"xl/workbook.xml"};
    const char *lol[] = {"<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                         "<workbook>&b;</workbook>"};
    b = zip_of(names, lol, 1, &len);
    read_refused(b, len, "xl/workbook.xml: a DOCTYPE declaration");
    free(b);
    /* deep nesting: expat stacks every open element (3 M levels of an 11 KB
     * workbook took 430 MB before the depth limit) */
    char *deep = malloc(1000 * 7 + 100), *dp = deep;
    dp += sprintf(dp, "<row r=\"1\"><c r=\"A1\"><v>");
    for (int i = 0; i < 1000; i++)
        dp += sprintf(dp, "<x>");
    b = xlsx_of("", deep, &len);
    read_refused(b, len, "xl/worksheets/sheet1.xml: line 1: elements nested more than 64 deep");
    free(b);
    free(deep);
    /* a formula cell caching a 1 MB string: the cell is named */
    char *huge = malloc(1024 * 1024 + 200);
    int hn = sprintf(huge, "<row r=\"2\"><c r=\"B2\" t=\"str\"><f>REPT(\"a\",1048576)</f><v>");
    memset(huge + hn, 'a', 1024 * 1024);
    strcpy(huge + hn + 1024 * 1024, "</v></c></row>");
    b = xlsx_of("", huge, &len);
    read_refused(b, len, "xl/worksheets/sheet1.xml: cell B2: a text longer than 131068 bytes");
    free(b);
    free(huge);
    /* cut short: the central directory is gone */
    b = xlsx_of("", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", &len);
    read_refused(b, len - 30, "looks like a ZIP archive but not an Excel workbook");
    free(b);
}

Test(report_file, xlsx_limits_on_shared_strings_and_part_size)
{
    /* 100001 shared strings */
    size_t n = 100001;
    char *sst = malloc(n * 14 + 1), *p = sst;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "<si><t/></si>");
    size_t len;
    char *b = xlsx_of(sst, "", &len);
    read_refused(b, len, "xl/sharedStrings.xml: more than 100000 shared strings");
    free(b);
    free(sst);
    /* one long shared string referred to by many cells: each would get a copy */
    char *longs = malloc(100000 + 20);
    strcpy(longs, "<si><t>");
    memset(longs + 7, 'x', 100000);
    strcpy(longs + 7 + 100000, "</t></si>");
    char *many = malloc(200 * 64 + 1), *q = many;
    for (int r = 1; r <= 200; r++)
        q += sprintf(q, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", r, r);
    b = xlsx_of(longs, many, &len);
    read_refused(b, len, "the cells hold more than 16777216 bytes of text");
    free(b);
    free(longs);
    free(many);
    /* a zip bomb: 40 MiB of spaces deflate to about 40 KiB */
    size_t big = 40u * 1024 * 1024;
    char *bomb = malloc(big + 200);
    strcpy(bomb, "<worksheet " NS "><sheetData>");
    size_t k = strlen(bomb);
    memset(bomb + k, ' ', big);
    strcpy(bomb + k + big, "</sheetData></worksheet>");
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml"};
    const char *contents[] = {WORKBOOK, RELS, bomb};
    b = zip_of(names, contents, 3, &len);
    cr_assert_lt(len, 1024 * 1024);
    read_refused(b, len, "xl/worksheets/sheet1.xml: unpacks to 41943");
    read_refused(b, len, "more than the 33554432 allowed");
    /* the same limit when the header is not trusted: a smaller limit, read by chunks */
    pw_xlsx_limits lim;
    pw_xlsx_limits_default(&lim);
    lim.max_part_bytes = 1024 * 1024;
    pw_xlsx_sheet sh;
    char err[300];
    cr_assert_eq(pw_xlsx_read_first_sheet(b, len, &lim, &sh, err, sizeof err), -1);
    cr_assert(strstr(err, "more than the 1048576"), "%s", err);
    free(b);
    free(bomb);
}

/* Excel stores "35.72%" typed into a cell as 0.3572 with a percentage
 * format: read as the clerk sees it ("35.72%"), not 0.3572 (which the
 * server took as 0.3572 %, silently when there was no earlier month). */
Test(report_file, xlsx_percentage_formats_are_read_as_the_clerk_sees_them)
{
    const char *rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/styles\" Target=\"styles.xml\"/></Relationships>";
    const char *styles =
        "<styleSheet " NS "><numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"0&quot;%&quot;\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"0.00\"/></numFmts>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"10\"/></cellStyleXfs>"
        "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"10\"/><xf numFmtId=\"164\"/>"
        "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>";
    const char *sheet = "<worksheet " NS "><sheetData>"
                        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>指标编号</t></is></c>"
                        "<c r=\"B1\" t=\"inlineStr\"><is><t>本月值</t></is></c></row>"
                        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>L1</t></is></c><c "
                        "r=\"B2\" s=\"1\"><v>0.3572</v></c></row>"
                        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>L2</t></is></c><c "
                        "r=\"B3\" s=\"2\"><v>0.291</v></c></row>"
                        "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>L3</t></is></c><c "
                        "r=\"B4\" s=\"3\"><v>35</v></c></row>"
                        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>L4</t></is></c><c "
                        "r=\"B5\" s=\"4\"><v>0.5</v></c></row>"
                        "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>L5</t></is></c><c "
                        "r=\"B6\" s=\"0\"><v>0.5</v></c></row>"
                        "</sheetData></worksheet>";
    const char *wb = "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
                     "2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                     "</sheets></workbook>";
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                           "xl/worksheets/sheet1.xml"};
    const char *contents[] = {wb, rels, styles, sheet};
    size_t len;
    char *b = zip_of(names, contents, 4, &len);
    pw_report_file f = read_ok(b, len, PW_REPORT_XLSX);
    cr_assert_eq(f.nrows, 5);
    row_is(&f, 0, "L1", "35.72%", "", "cell B2");
    row_is(&f, 1, "L2", "29.1%", "", "cell B3");
    row_is(&f, 2, "L3", "35", "", "cell B4"); /* a quoted "%" is text, not a percentage */
    row_is(&f, 3, "L4", "0.5", "", "cell B5");
    row_is(&f, 4, "L5", "0.5", "", "cell B6");
    pw_report_file_free(&f);
    free(b);
}

/* Relationship targets are URIs: "worksheets/../worksheets/sheet1.xml" and
 * "./worksheets/sheet1.xml" name xl/worksheets/sheet1.xml (they were refused
 * as missing); a ".." above the root names nothing. */
Test(report_file, xlsx_sheet_targets_with_dot_segments)
{
    static const char *const targets[] = {"worksheets/../worksheets/sheet1.xml",
                                          "./worksheets/./sheet1.xml",
                                          "../xl/worksheets/sheet1.xml", "../../../../etc/passwd"};
    for (size_t i = 0; i < 4; i++) {
        char rels[600];
        snprintf(rels, sizeof rels,
                 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                 "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
                 "openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                 "Target=\"%s\"/></Relationships>",
                 targets[i]);
        const char *wb = "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships\"><sheets><sheet name=\"S\" "
                         "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
        const char *sheet = "<worksheet " NS "><sheetData><row r=\"1\">"
                            "<c r=\"A1\" t=\"inlineStr\"><is><t>指标编号</t></is></c>"
                            "<c r=\"B1\" t=\"inlineStr\"><is><t>本月值</t></is></c></row>"
                            "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>C1</t></is></c>"
                            "<c r=\"B2\"><v>5</v></c></row></sheetData></worksheet>";
        const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                               "xl/worksheets/sheet1.xml"};
        const char *contents[] = {wb, rels, sheet};
        size_t len;
        char *b = zip_of(names, contents, 3, &len);
        if (i < 3) {
            pw_report_file f = read_ok(b, len, PW_REPORT_XLSX);
            row_is(&f, 0, "C1", "5", "", "cell B2");
            pw_report_file_free(&f);
        } else {
            read_refused(b, len, "xl/../../../../etc/passwd: missing from the archive");
        }
        free(b);
    }
}

Test(report_file, xlsx_without_a_header_names_the_sheet)
{
    size_t len;
    char *b = xlsx_of("", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", &len);
    read_refused(b, len, "first sheet '报表': no header row: expected 指标编号");
    free(b);
}

Test(report_file, cell_names)
{
    char buf[16];
    pw_xlsx_cell_name(12, 5, buf, sizeof buf);
    cr_assert_str_eq(buf, "E12");
    pw_xlsx_cell_name(1, 26, buf, sizeof buf);
    cr_assert_str_eq(buf, "Z1");
    pw_xlsx_cell_name(3, 27, buf, sizeof buf);
    cr_assert_str_eq(buf, "AA3");
    pw_xlsx_cell_name(1, 64, buf, sizeof buf);
    cr_assert_str_eq(buf, "BL1");
    pw_xlsx_cell_name(1, 16384, buf, sizeof buf);
    cr_assert_str_eq(buf, "XFD1");
}
