/*
 * test_csv.c - the RFC 4180 reader (BOM, quoting, line ends, blank lines,
 * line/column errors with exact messages, limits), the header and field-count
 * helpers, and the writer (quoting only when needed, BOM, CRLF/LF, round trip
 * through the reader, FILE output).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"

/* Read all of `text` (len bytes) and render the records as
 * "[a|b|c][d]" so expectations fit on one line.  Returns the reader's final
 * status (0 end, -1 error); *err gets the error message. */
static int read_all_n(const char *text, size_t len, char *out, size_t outsize, char *err,
                      size_t errsize)
{
    pw_csv_reader r;
    pw_csv_record rec;
    int rv;
    size_t used = 0;
    out[0] = '\0';
    pw_csv_reader_init(&r, text, len);
    while ((rv = pw_csv_reader_next(&r, &rec)) == 1) {
        used += (size_t)snprintf(out + used, outsize - used, "[");
        for (size_t i = 0; i < rec.nfields; i++) {
            cr_assert_eq(strlen(rec.fields[i]), rec.lens[i]);
            used +=
                (size_t)snprintf(out + used, outsize - used, "%s%s", i ? "|" : "", rec.fields[i]);
        }
        used += (size_t)snprintf(out + used, outsize - used, "]");
        cr_assert(used < outsize);
    }
    snprintf(err, errsize, "%s", pw_csv_reader_error(&r));
    pw_csv_reader_fini(&r);
    return rv;
}

static char got[8192], got_err[256];

#define READ_OK(lit, want)                                                                         \
    do {                                                                                           \
        int rv_ = read_all_n(lit, sizeof(lit) - 1, got, sizeof got, got_err, sizeof got_err);      \
        cr_assert_eq(rv_, 0, "%s: %s", #lit, got_err);                                             \
        cr_assert_str_eq(got, want, "%s", #lit);                                                   \
    } while (0)

#define READ_ERR(lit, want_err)                                                                    \
    do {                                                                                           \
        int rv_ = read_all_n(lit, sizeof(lit) - 1, got, sizeof got, got_err, sizeof got_err);      \
        cr_assert_eq(rv_, -1, "%s read fine: %s", #lit, got);                                      \
        cr_assert_str_eq(got_err, want_err, "%s", #lit);                                           \
    } while (0)

/* ---- reader: accepted input --------------------------------------------- */

Test(csv_reader, simple_records_with_lf_and_crlf)
{
    READ_OK("a,b,c\n1,2,3\n", "[a|b|c][1|2|3]");
    READ_OK("a,b,c\r\n1,2,3\r\n", "[a|b|c][1|2|3]");
    READ_OK("a,b\r\n1,2\n3,4\r\n", "[a|b][1|2][3|4]");
}

Test(csv_reader, final_record_without_newline)
{
    READ_OK("a,b\n1,2", "[a|b][1|2]");
    READ_OK("x", "[x]");
}

Test(csv_reader, empty_input_has_no_records)
{
    READ_OK("", "");
    READ_OK("\xEF\xBB\xBF", "");
    READ_OK("\n", "");
    READ_OK("\r\n\n\r\n", "");
    int rv = read_all_n(NULL, 0, got, sizeof got, got_err, sizeof got_err);
    cr_assert_eq(rv, 0);
}

Test(csv_reader, trailing_empty_lines_are_not_records)
{
    READ_OK("a,b\n\n", "[a|b]");
    READ_OK("a,b\r\n\r\n\r\n", "[a|b]");
    READ_OK("a,b\n\n\n\n", "[a|b]");
}

/* the next record is there and starts on physical line `line` */
static void next_at(pw_csv_reader *r, pw_csv_record *rec, size_t line)
{
    cr_assert_eq(pw_csv_reader_next(r, rec), 1, "no record at line %zu", line);
    cr_assert_eq(rec->line, line);
}

/* start reading the string literal lit; its first record is on line 1 */
#define READ_FIRST(r, rec, lit)                                                                    \
    do {                                                                                           \
        pw_csv_reader_init(&(r), lit, sizeof(lit) - 1);                                            \
        next_at(&(r), &(rec), 1);                                                                  \
    } while (0)

Test(csv_reader, empty_line_inside_is_a_blank_record)
{
    pw_csv_reader r;
    pw_csv_record rec;
    READ_FIRST(r, rec, "a,b\n\nc,d\n");
    cr_assert_eq(pw_csv_record_is_blank(&rec), 0);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    cr_assert_eq(pw_csv_record_is_blank(&rec), 1);
    cr_assert_eq(rec.line, 2);
    next_at(&r, &rec, 3);
    cr_assert_str_eq(rec.fields[1], "d");
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
    pw_csv_reader_fini(&r);
    READ_OK("a\n\n\nb", "[a][][][b]");
}

Test(csv_reader, bom_is_skipped_only_at_the_start)
{
    READ_OK("\xEF\xBB\xBFindicator_id,level1\n", "[indicator_id|level1]");
    READ_OK("\xEF\xBB\xBF\xEF\xBB\xBF"
            "a",
            "[\xEF\xBB\xBF"
            "a]");
    READ_OK("a,\xEF\xBB\xBF"
            "b",
            "[a|\xEF\xBB\xBF"
            "b]");
    READ_ERR("\xEF\xBB", "line 1, column 1: invalid UTF-8"); /* half a BOM */
}

Test(csv_reader, empty_fields)
{
    READ_OK(",", "[|]");
    READ_OK("a,,c\n", "[a||c]");
    READ_OK(",,\n", "[||]");
    READ_OK("a,\n", "[a|]");
    READ_OK("a,", "[a|]");
    READ_OK("\"\"\n", "[]");
    READ_OK("\"\",\"\"", "[|]");
}

Test(csv_reader, quoted_fields_hold_commas_quotes_and_newlines)
{
    READ_OK("\"a,b\",c\n", "[a,b|c]");
    READ_OK("\"say \"\"hi\"\"\",x\n", "[say \"hi\"|x]");
    READ_OK("\"\"\"\"", "[\"]");
    READ_OK("\"line1\nline2\",z\n", "[line1\nline2|z]");
    READ_OK("\"line1\r\nline2\",z\r\n", "[line1\r\nline2|z]");
    READ_OK("\"a\rb\"", "[a\rb]");
    READ_OK("\" padded \"", "[ padded ]");
}

Test(csv_reader, spaces_are_kept)
{
    READ_OK(" a , b \n", "[ a | b ]");
}

Test(csv_reader, chinese_text_round_trips_byte_for_byte)
{
    READ_OK("吉首市,\"进度正常，无问题\",亿元\n", "[吉首市|进度正常，无问题|亿元]");
}

Test(csv_reader, record_and_field_lines_count_physical_lines)
{
    pw_csv_reader r;
    pw_csv_record rec;
    READ_FIRST(r, rec, "h1,h2\n\"multi\nline\",\"x\r\ny\"\nlast,\"a\nb\"\n");
    next_at(&r, &rec, 2);
    cr_assert_eq(rec.field_lines[0], 2);
    cr_assert_eq(rec.field_lines[1], 3);
    cr_assert_str_eq(rec.fields[1], "x\r\ny");
    next_at(&r, &rec, 5); /* the record before spans lines 2..4 */
    cr_assert_eq(rec.nfields, 2);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
    pw_csv_reader_fini(&r);
}

Test(csv_reader, buffer_need_not_be_nul_terminated)
{
    char *buf = malloc(5);
    memcpy(buf, "a,\"b\"", 5); /* no NUL after the closing quote */
    pw_csv_reader r;
    pw_csv_record rec;
    pw_csv_reader_init(&r, buf, 5);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    cr_assert_str_eq(rec.fields[1], "b");
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
    pw_csv_reader_fini(&r);
    free(buf);
}

Test(csv_reader, end_and_error_are_sticky)
{
    pw_csv_reader r;
    pw_csv_record rec = {0};
    pw_csv_reader_init(&r, "a", 1);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
    cr_assert_str_eq(pw_csv_reader_error(&r), "");
    cr_assert_eq(pw_csv_reader_error_line(&r), 0);
    pw_csv_reader_fini(&r);

    pw_csv_reader_init(&r, "ok\n\"bad", 7);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    memset(&rec, 0, sizeof rec);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), -1);
    cr_assert_eq(rec.nfields, 0, "record written on error");
    cr_assert_eq(pw_csv_reader_next(&r, &rec), -1);
    pw_csv_reader_fini(&r);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), -1, "still failed after fini");
}

Test(csv_reader, next_after_fini_is_the_end)
{
    pw_csv_reader r;
    pw_csv_record rec;
    pw_csv_reader_init(&r, "a\nb\n", 4);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    pw_csv_reader_fini(&r);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
    pw_csv_reader_fini(&r); /* twice is fine */
}

/* ---- reader: errors ----------------------------------------------------- */

Test(csv_reader_error, invalid_utf8_names_line_and_column)
{
    READ_ERR("a,b,c\n1,2,3\nx,y,z\n1,2,\xFF\n", "line 4, column 3: invalid UTF-8");
    READ_ERR("\xC0\x80", "line 1, column 1: invalid UTF-8");           /* overlong */
    READ_ERR("a,\xED\xA0\x80", "line 1, column 2: invalid UTF-8");     /* surrogate */
    READ_ERR("a,\xE5\x90", "line 1, column 2: invalid UTF-8");         /* truncated at end */
    READ_ERR("\"ok\nstill \xFE\"", "line 2, column 1: invalid UTF-8"); /* inside quotes */
    READ_ERR("\xEF\xBB\xBF\xEF\xBB", "line 1, column 1: invalid UTF-8");
    cr_assert_eq(pw_csv_reader_error_line(&(pw_csv_reader){.state = 0}), 0);
}

Test(csv_reader_error, line_and_column_accessors)
{
    pw_csv_reader r;
    pw_csv_record rec;
    pw_csv_reader_init(&r, "a,b\nc,d,\xFF", 9);
    pw_csv_reader_next(&r, &rec);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), -1);
    cr_assert_eq(pw_csv_reader_error_line(&r), 2);
    cr_assert_eq(pw_csv_reader_error_column(&r), 3);
    pw_csv_reader_fini(&r);
}

Test(csv_reader_error, unterminated_quote_points_at_the_opening_quote)
{
    READ_ERR("a,b\n1,\"open\nmore\nlines", "line 2, column 2: unterminated quoted field");
    READ_ERR("\"", "line 1, column 1: unterminated quoted field");
    READ_ERR("\"abc\"\"", "line 1, column 1: unterminated quoted field");
}

Test(csv_reader_error, quote_inside_unquoted_field)
{
    READ_ERR("a,b\"c\n", "line 1, column 2: quote in unquoted field");
    READ_ERR("a,b\nc,d,e\"\n", "line 2, column 3: quote in unquoted field");
    READ_ERR(" \"a\"", "line 1, column 1: quote in unquoted field");
}

Test(csv_reader_error, junk_after_closing_quote)
{
    READ_ERR("\"a\"b,c\n", "line 1, column 1: unexpected character after closing quote");
    READ_ERR("x,\"a\" ,c\n", "line 1, column 2: unexpected character after closing quote");
    READ_ERR("x,\"multi\nline\"z", "line 2, column 2: unexpected character after closing quote");
}

Test(csv_reader_error, bare_carriage_return)
{
    READ_ERR("a\rb", "line 1, column 1: carriage return not followed by line feed");
    READ_ERR("a,b\r", "line 1, column 2: carriage return not followed by line feed");
    READ_ERR("\"a\"\r", "line 1, column 1: carriage return not followed by line feed");
    READ_ERR("a\n\r", "line 2, column 1: carriage return not followed by line feed");
}

Test(csv_reader_error, nul_byte)
{
    READ_ERR("a,b\0c", "line 1, column 2: NUL byte");
    READ_ERR("\"\0\"", "line 1, column 1: NUL byte");
}

Test(csv_reader_error, more_than_1024_fields)
{
    size_t n = 1025;
    char *buf = malloc(2 * n);
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = 'x';
        buf[2 * i + 1] = ',';
    }
    buf[2 * n - 1] = '\n';
    /* exactly 1024 fields is fine */
    int rv = read_all_n(buf + 2, 2 * n - 2, got, sizeof got, got_err, sizeof got_err);
    cr_assert_eq(rv, 0, "%s", got_err);
    rv = read_all_n(buf, 2 * n, got, sizeof got, got_err, sizeof got_err);
    cr_assert_eq(rv, -1);
    cr_assert_str_eq(got_err, "line 1, column 1025: more than 1024 fields");
    free(buf);
}

Test(csv_reader_error, field_longer_than_one_mebibyte)
{
    size_t n = PW_CSV_MAX_FIELD_BYTES;
    char *buf = malloc(n + 8);
    buf[0] = 'a';
    buf[1] = ',';
    memset(buf + 2, 'y', n + 1);
    pw_csv_reader r;
    pw_csv_record rec;
    /* exactly 1 MiB is fine */
    pw_csv_reader_init(&r, buf, n + 2);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    cr_assert_eq(rec.lens[1], n);
    pw_csv_reader_fini(&r);
    pw_csv_reader_init(&r, buf, n + 3);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), -1);
    cr_assert_str_eq(pw_csv_reader_error(&r), "line 1, column 2: field longer than 1048576 bytes");
    pw_csv_reader_fini(&r);
    /* the limit counts unescaped bytes of quoted fields too */
    buf[2] = '"';
    memset(buf + 3, 'y', n + 1);
    buf[n + 4] = '"';
    pw_csv_reader_init(&r, buf, n + 5);
    cr_assert_eq(pw_csv_reader_next(&r, &rec), -1);
    cr_assert_str_eq(pw_csv_reader_error(&r), "line 1, column 2: field longer than 1048576 bytes");
    pw_csv_reader_fini(&r);
    free(buf);
}

Test(csv_reader, many_blank_lines_then_a_record_is_fast)
{
    size_t n = 2 * 1000 * 1000;
    char *buf = malloc(n + 1);
    memset(buf, '\n', n);
    buf[n] = 'z';
    pw_csv_reader r;
    pw_csv_record rec;
    size_t records = 0;
    pw_csv_reader_init(&r, buf, n + 1);
    while (pw_csv_reader_next(&r, &rec) == 1)
        records++;
    cr_assert_str_eq(pw_csv_reader_error(&r), "");
    cr_assert_eq(records, n + 1);
    pw_csv_reader_fini(&r);
    free(buf);
}

/* ---- header and field-count helpers ------------------------------------- */

static const char *const indicator_columns[] = {"indicator_id", "level1",          "level2",
                                                "level3",       "unit_of_measure", "kind",
                                                "direction",    "lead_units",      "coop_units"};

static int check_header(const char *text, char *err, size_t errlen)
{
    pw_csv_reader r;
    pw_csv_record rec;
    pw_csv_reader_init(&r, text, strlen(text));
    cr_assert_eq(pw_csv_reader_next(&r, &rec), 1);
    int rv = pw_csv_header_check(&rec, indicator_columns, 9, err, errlen);
    pw_csv_reader_fini(&r);
    return rv;
}

Test(csv_header, exact_match_passes_with_or_without_bom)
{
    char err[256] = "";
    cr_assert_eq(check_header("indicator_id,level1,level2,level3,unit_of_measure,kind,direction,"
                              "lead_units,coop_units\r\n",
                              err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(check_header("\xEF\xBB\xBFindicator_id,level1,level2,level3,unit_of_measure,kind,"
                              "direction,lead_units,coop_units",
                              err, sizeof err),
                 0, "%s", err);
}

Test(csv_header, names_the_first_wrong_column)
{
    char err[256];
    cr_assert_eq(check_header("indicator_id,level1,lvl2,level3,unit_of_measure,kind,direction,"
                              "lead_units,coop_units",
                              err, sizeof err),
                 -1);
    cr_assert_str_eq(err, "header: expected column 3 'level2', found 'lvl2'");
    cr_assert_eq(check_header("Indicator_id", err, sizeof err), -1);
    cr_assert_str_eq(err, "header: expected column 1 'indicator_id', found 'Indicator_id'");
    cr_assert_eq(check_header("indicator_id ,level1", err, sizeof err), -1);
    cr_assert_str_eq(err, "header: expected column 1 'indicator_id', found 'indicator_id '");
}

Test(csv_header, missing_and_extra_columns)
{
    char err[256];
    cr_assert_eq(check_header("indicator_id,level1,level2,level3,unit_of_measure,kind,direction,"
                              "lead_units",
                              err, sizeof err),
                 -1);
    cr_assert_str_eq(err, "header: missing column 9 'coop_units'");
    cr_assert_eq(check_header("indicator_id,level1,level2,level3,unit_of_measure,kind,direction,"
                              "lead_units,coop_units,extra",
                              err, sizeof err),
                 -1);
    cr_assert_str_eq(err, "header: unexpected column 10 'extra'");
}

Test(csv_header, quotes_hostile_names_printably)
{
    char err[256];
    cr_assert_eq(check_header("\"indi\ncator\"", err, sizeof err), -1);
    cr_assert_str_eq(err, "header: expected column 1 'indicator_id', found 'indi?cator'");
}

Test(csv_fields, count_check_message)
{
    pw_csv_reader r;
    pw_csv_record rec;
    char err[256];
    READ_FIRST(r, rec, "a,b,c\n1,2\n");
    cr_assert_eq(pw_csv_record_check_fields(&rec, 3, err, sizeof err), 0);
    next_at(&r, &rec, 2);
    cr_assert_eq(pw_csv_record_check_fields(&rec, 3, err, sizeof err), -1);
    cr_assert_str_eq(err, "line 2: expected 3 fields, found 2");
    cr_assert_eq(pw_csv_record_check_fields(&rec, 1, err, sizeof err), -1);
    cr_assert_str_eq(err, "line 2: expected 1 field, found 2");
    pw_csv_reader_fini(&r);
}

Test(csv_fields, field_error_uses_the_line_of_the_field)
{
    pw_csv_reader r;
    pw_csv_record rec;
    char err[256];
    READ_FIRST(r, rec, "h\n\"a\nb\",rate\n");
    next_at(&r, &rec, 2);
    pw_csv_field_error(&rec, 2, err, sizeof err, "unknown kind '%s'", rec.fields[1]);
    cr_assert_str_eq(err, "line 3, column 2: unknown kind 'rate'");
    pw_csv_field_error(&rec, 1, err, sizeof err, "bad");
    cr_assert_str_eq(err, "line 2, column 1: bad");
    pw_csv_field_error(&rec, 7, err, sizeof err, "no such column");
    cr_assert_str_eq(err, "line 2, column 7: no such column");
    pw_csv_reader_fini(&r);
}

/* ---- writer ------------------------------------------------------------- */

static const char *write_records(unsigned flags, const char *const *fields, const size_t *counts,
                                 size_t nrecords)
{
    static pw_strbuf sb;
    pw_csv_writer w;
    pw_strbuf_free(&sb);
    cr_assert_eq(pw_csv_writer_init_strbuf(&w, &sb, flags), 0);
    for (size_t r = 0; r < nrecords; r++) {
        cr_assert_eq(pw_csv_write_record(&w, fields, counts[r]), 0);
        fields += counts[r];
    }
    return pw_strbuf_cstr(&sb);
}

Test(csv_writer, quotes_only_when_needed)
{
    const char *f[] = {"plain", "吉首市", "a,b",   "say \"hi\"", "two\nlines", "cr\rhere",
                       " lead", "trail ", "\ttab", "",           "mid dle"};
    size_t counts[] = {11};
    cr_assert_str_eq(write_records(0, f, counts, 1),
                     "plain,吉首市,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\","
                     "\" lead\",\"trail \",\"\ttab\",,mid dle\r\n");
}

Test(csv_writer, bom_and_lf_options)
{
    const char *f[] = {"a", "b", "1", "2"};
    size_t counts[] = {2, 2};
    cr_assert_str_eq(write_records(PW_CSV_WRITE_BOM, f, counts, 2), "\xEF\xBB\xBF"
                                                                    "a,b\r\n1,2\r\n");
    cr_assert_str_eq(write_records(PW_CSV_WRITE_LF, f, counts, 2), "a,b\n1,2\n");
    cr_assert_str_eq(write_records(PW_CSV_WRITE_BOM | PW_CSV_WRITE_LF, f, counts, 2), "\xEF\xBB\xBF"
                                                                                      "a,b\n1,2\n");
}

Test(csv_writer, single_empty_field_is_quoted)
{
    const char *f[] = {"", "", ""};
    size_t counts[] = {1, 2};
    cr_assert_str_eq(write_records(PW_CSV_WRITE_LF, f, counts, 2), "\"\"\n,\n");
}

Test(csv_writer, leading_bom_in_first_field_is_quoted)
{
    const char *f[] = {"\xEF\xBB\xBFx", "\xEF\xBB\xBFy"};
    size_t counts[] = {2};
    cr_assert_str_eq(write_records(PW_CSV_WRITE_LF, f, counts, 1),
                     "\"\xEF\xBB\xBFx\",\xEF\xBB\xBFy\n");
}

Test(csv_writer, fieldf_formats)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_csv_writer w;
    pw_csv_writer_init_strbuf(&w, &sb, PW_CSV_WRITE_LF);
    cr_assert_eq(pw_csv_write_fieldf(&w, "%.2f", 97.5), 0);
    cr_assert_eq(pw_csv_write_fieldf(&w, "%d,%d", 1, 2), 0);
    cr_assert_eq(pw_csv_write_str(&w, NULL), 0);
    cr_assert_eq(pw_csv_end_record(&w), 0);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "97.50,\"1,2\",\n");
    pw_strbuf_free(&sb);
}

Test(csv_writer, errors_are_sticky)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_csv_writer w;
    pw_csv_writer_init_strbuf(&w, &sb, 0);
    cr_assert_eq(pw_csv_end_record(&w), -1, "a record needs a field");
    cr_assert_eq(pw_csv_writer_failed(&w), 1);
    cr_assert_eq(pw_csv_write_str(&w, "x"), -1);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "");

    pw_csv_writer_init_strbuf(&w, &sb, 0);
    cr_assert_eq(pw_csv_write_field(&w, NULL, 3), -1);
    cr_assert_eq(pw_csv_writer_failed(&w), 1);
    cr_assert_eq(pw_csv_writer_init_strbuf(&w, NULL, 0), -1);
    pw_strbuf_free(&sb);
}

Test(csv_writer, refuses_what_the_reader_would_refuse)
{
    pw_strbuf sb = PW_STRBUF_INIT;
    pw_csv_writer w;
    pw_csv_writer_init_strbuf(&w, &sb, 0);
    for (int i = 0; i < PW_CSV_MAX_FIELDS; i++)
        cr_assert_eq(pw_csv_write_str(&w, "x"), 0);
    cr_assert_eq(pw_csv_write_str(&w, "x"), -1);
    pw_strbuf_free(&sb);

    char *big = malloc(PW_CSV_MAX_FIELD_BYTES + 1);
    memset(big, 'b', PW_CSV_MAX_FIELD_BYTES + 1);
    pw_csv_writer_init_strbuf(&w, &sb, 0);
    cr_assert_eq(pw_csv_write_field(&w, big, PW_CSV_MAX_FIELD_BYTES), 0);
    cr_assert_eq(pw_csv_write_field(&w, big, PW_CSV_MAX_FIELD_BYTES + 1), -1);
    free(big);
    pw_strbuf_free(&sb);
}

Test(csv_writer, writes_to_a_file)
{
    char *mem = NULL;
    size_t memlen = 0;
    FILE *fp = open_memstream(&mem, &memlen);
    cr_assert_not_null(fp);
    pw_csv_writer w;
    cr_assert_eq(pw_csv_writer_init_file(&w, fp, PW_CSV_WRITE_BOM), 0);
    const char *row[] = {"indicator_id", "value", "note"};
    const char *row2[] = {"I-01", "12.5", "按计划推进，\"良好\""};
    cr_assert_eq(pw_csv_write_record(&w, row, 3), 0);
    cr_assert_eq(pw_csv_write_record(&w, row2, 3), 0);
    fclose(fp);
    cr_assert_str_eq(mem, "\xEF\xBB\xBFindicator_id,value,note\r\n"
                          "I-01,12.5,\"按计划推进，\"\"良好\"\"\"\r\n");
    free(mem);
}

Test(csv_writer, write_error_on_a_file_is_reported)
{
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        cr_skip_test("no /dev/full");
    setvbuf(fp, NULL, _IONBF, 0);
    pw_csv_writer w;
    cr_assert_eq(pw_csv_writer_init_file(&w, fp, PW_CSV_WRITE_BOM), -1);
    cr_assert_eq(pw_csv_writer_failed(&w), 1);
    fclose(fp);
}

Test(csv_writer, round_trips_through_the_reader)
{
    const char *f[] = {"indicator_id", "note", "I-01", "多行\r\n文本,含逗号", "I-02", "", "I-03",
                       " \"q\" ",      "",     "",     "\xEF\xBB\xBF",        "x"};
    size_t counts[] = {2, 2, 2, 2, 1, 1, 2};
    for (unsigned flags = 0; flags < 4; flags++) {
        const char *out = write_records(flags, f, counts, 7);
        pw_csv_reader r;
        pw_csv_record rec;
        pw_csv_reader_init(&r, out, strlen(out));
        const char *const *want = f;
        for (size_t i = 0; i < 7; i++) {
            cr_assert_eq(pw_csv_reader_next(&r, &rec), 1, "%s", pw_csv_reader_error(&r));
            cr_assert_eq(rec.nfields, counts[i], "record %zu", i);
            for (size_t j = 0; j < counts[i]; j++)
                cr_assert_str_eq(rec.fields[j], want[j], "record %zu field %zu", i, j);
            want += counts[i];
        }
        cr_assert_eq(pw_csv_reader_next(&r, &rec), 0);
        pw_csv_reader_fini(&r);
    }
}

/* ---- spreadsheet CSV (issue 10 item 8) ---------------------------------- */

Test(csv_writer, spreadsheet_flag_neutralises_formulas_but_not_numbers)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"=1+2", "'=1+2"}, {" =1+2", "' =1+2"},     {"+cmd", "'+cmd"},
        {"-2+3", "'-2+3"}, {"@SUM(1)", "'@SUM(1)"}, {"\tx", "'\tx"},
        {"-", "'-"},       {"-3.5", "-3.5"},        {"+2", "+2"},
        {"1e-3", "1e-3"},  {"吉首市", "吉首市"},    {"a=b", "a=b"},
        {"", ""},          {"=a,b", "\"'=a,b\""},   {"\r=x", "\"'\r=x\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pw_strbuf sb;
        pw_strbuf_init(&sb);
        pw_csv_writer w;
        cr_assert_eq(pw_csv_writer_init_strbuf(&w, &sb, PW_CSV_WRITE_LF | PW_CSV_WRITE_SPREADSHEET),
                     0);
        cr_assert_eq(pw_csv_write_str(&w, "x"), 0);
        cr_assert_eq(pw_csv_write_str(&w, cases[i].in), 0);
        cr_assert_eq(pw_csv_end_record(&w), 0);
        char want[64];
        snprintf(want, sizeof want, "x,%s\n", cases[i].out);
        cr_assert_str_eq(pw_strbuf_cstr(&sb), want, "case %zu", i);
        pw_strbuf_free(&sb);
    }
    /* without the flag the writer is the reader's exact mirror */
    pw_strbuf sb;
    pw_strbuf_init(&sb);
    pw_csv_writer w;
    pw_csv_writer_init_strbuf(&w, &sb, PW_CSV_WRITE_LF);
    pw_csv_write_str(&w, "=1+2");
    pw_csv_end_record(&w);
    cr_assert_str_eq(pw_strbuf_cstr(&sb), "=1+2\n");
    pw_strbuf_free(&sb);
}
