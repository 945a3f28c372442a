/*
 * report_file.h - a monthly report file as clerks save it (SPEC 4.3).
 *
 * Design notes
 * - One reader for the CLI (`report submit`) and the server's web upload: it
 *   turns the bytes of a file into rows (indicator, value, note, where) and
 *   nothing more.  Values are passed on as typed; normalising and validating
 *   them is the server's job (common/report_value.h, called by the server),
 *   so there is one implementation and the server never trusts a client.
 * - The format is recognised from the bytes, never from a flag or the name:
 *     ZIP holding xl/workbook.xml            -> XLSX (first sheet, stored values)
 *     FF FE / FE FF                          -> UTF-16 LE / BE text (BOM)
 *     EF BB BF                               -> UTF-8 text with BOM
 *     valid UTF-8                            -> UTF-8 text
 *     valid GB18030 (iconv)                  -> GB18030 text ("CSV (逗号分隔)")
 *   Text is CSV (RFC 4180); a text whose first line separates with tabs and no
 *   commas is read tab-separated ("Unicode 文本").  Anything else (.xls, .ods,
 *   .docx, PDF, HTML, binary) is an error that says what the file looks like
 *   and what to save it as.
 * - The header row is the first row (of the first 10) whose cells name the
 *   indicator-id column; rows above it (the template's title) are skipped.
 *   Columns are found by name, Chinese or English:
 *     指标编号 indicator_id | 指标名称 indicator | 计量单位 unit_of_measure |
 *     目标 target | 上月值 previous | 本月值 value | 说明 note
 *   指标编号 and 本月值 are required.  Empty columns without a header and empty
 *   rows are ignored; a value under no header is an error.  A row with an empty
 *   value is not reported.
 * - XLSX: numbers are the stored value written as a plain decimal with at most
 *   15 significant digits (what Excel shows at most), never the display text;
 *   formula cells give their cached value; an error cell (#DIV/0!, #N/A...) in
 *   the id, value or note column is an error naming the cell ("cell E12").
 * - Pure and thread-safe.
 */
#ifndef PW_COMMON_REPORT_FILE_H
#define PW_COMMON_REPORT_FILE_H

#include <stddef.h>

/* The largest report file read (a monthly report of 10 000 rows is well
 * under 1 MiB as XLSX or CSV) and the most rows with a value in it: more
 * could never be accepted (the server's max-values-per-report is at most
 * 100 000 and 5000 by default) and would only cost memory and a request
 * larger than the server takes. */
#define PW_REPORT_MAX_FILE_BYTES ((size_t)16 << 20)
#define PW_REPORT_MAX_VALUES 10000

typedef enum pw_report_format {
    PW_REPORT_XLSX = 0,
    PW_REPORT_CSV_UTF8,
    PW_REPORT_CSV_UTF8_BOM,
    PW_REPORT_CSV_UTF16LE,
    PW_REPORT_CSV_UTF16BE,
    PW_REPORT_CSV_GB18030,
} pw_report_format;

/* "XLSX workbook", "CSV (UTF-8)", "CSV (GB18030)", ... */
const char *pw_report_format_name(pw_report_format f);

typedef struct pw_report_row {
    char *indicator; /* as in the file, spaces around it removed */
    char *value;     /* as typed (CSV) or the stored value (XLSX); never empty */
    char *note;      /* "" when none */
    char where[32];  /* the value as the clerk sees it: "line 7" or "cell E12" */
} pw_report_row;

typedef struct pw_report_file {
    pw_report_format format;
    char sep; /* text: ',' or '\t' */
    pw_report_row *rows;
    size_t nrows;
} pw_report_file;

/*
 * Read a report file from buf[0..len).  Returns 0 and fills *out (free with
 * pw_report_file_free), or -1 with one line in err (no file name; the caller
 * adds it), e.g.
 *   "looks like an Excel 97-2003 workbook (.xls); save it as Excel 工作簿 (.xlsx)..."
 *   "cell E12 (indicator C1) holds the error #DIV/0!, not a value: ..."
 *   "line 4, column 8: a value in a column without a header"
 * *out is untouched on failure.
 */
int pw_report_file_read(const void *buf, size_t len, pw_report_file *out, char *err, size_t errlen);

void pw_report_file_free(pw_report_file *f);

#endif
