/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and writer.
 *
 * For any input: the reader ends (0 or -1) without crashing or reading past
 * the buffer (the input is copied to an exact-size heap block for ASan); every
 * record obeys the limits and holds valid UTF-8 without NULs; invalid UTF-8
 * input always ends in an error whose message names a line and a column; and
 * the records read, written back with the writer and read again, come back
 * identical (the writer quotes exactly what the reader needs).
 * Build: CC=clang cmake -S . -B build-fuzz -DPW_FUZZ=ON -DPW_SANITIZE=ON
 *        (PW_FUZZ instruments the libraries too, so that the fuzzer gets
 *        coverage feedback from the reader; scripts/fuzz does all of this)
 * Run:   ./build-fuzz/fuzz_csv tests/fuzz/corpus/csv -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/text.h"
#include "tests/fuzz/fuzz.h"

static void fuzz_csv_check_record(const pw_csv_record *rec, size_t *last_line)
{
    FUZZ_CHECK(rec->nfields >= 1 && rec->nfields <= PW_CSV_MAX_FIELDS);
    FUZZ_CHECK(rec->line >= *last_line);
    for (size_t i = 0; i < rec->nfields; i++) {
        FUZZ_CHECK(rec->lens[i] <= PW_CSV_MAX_FIELD_BYTES);
        FUZZ_CHECK(rec->fields[i][rec->lens[i]] == '\0');
        FUZZ_CHECK(memchr(rec->fields[i], '\0', rec->lens[i]) == NULL);
        FUZZ_CHECK(pw_utf8_valid(rec->fields[i], rec->lens[i]));
        FUZZ_CHECK(rec->field_lines[i] >= rec->line);
        FUZZ_CHECK(i == 0 || rec->field_lines[i] >= rec->field_lines[i - 1]);
    }
    *last_line = rec->line;
}

static const char *const fuzz_csv_header[] = {"indicator_id", "year", "unit", "target", "baseline"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_copy(data, size);
    if (!buf)
        return 0;
    const unsigned flags = size ? (unsigned)data[size - 1] & 3u : 0u;

    /* pass 1: read everything, check each record, write it back */
    pw_csv_reader r;
    pw_csv_record rec;
    pw_strbuf out = PW_STRBUF_INIT;
    pw_csv_writer w;
    char err[256];
    size_t last_line = 1, records = 0;
    int rv;
    FUZZ_CHECK(pw_csv_writer_init_strbuf(&w, &out, flags) == 0);
    pw_csv_reader_init(&r, buf, size);
    while ((rv = pw_csv_reader_next(&r, &rec)) == 1) {
        fuzz_csv_check_record(&rec, &last_line);
        if (records == 0)
            (void)pw_csv_header_check(&rec, fuzz_csv_header, 5, err, sizeof err);
        (void)pw_csv_record_check_fields(&rec, 5, err, sizeof err);
        pw_csv_field_error(&rec, rec.nfields, err, sizeof err, "field %zu", rec.nfields);
        for (size_t i = 0; i < rec.nfields; i++)
            FUZZ_CHECK(pw_csv_write_field(&w, rec.fields[i], rec.lens[i]) == 0);
        FUZZ_CHECK(pw_csv_end_record(&w) == 0);
        records++;
    }
    FUZZ_CHECK(rv == 0 || rv == -1);
    FUZZ_CHECK(pw_csv_reader_next(&r, &rec) == rv); /* sticky */
    if (rv == -1) {
        const char *msg = pw_csv_reader_error(&r);
        FUZZ_CHECK(strncmp(msg, "line ", 5) == 0 && strstr(msg, ", column ") != NULL);
        FUZZ_CHECK(pw_csv_reader_error_line(&r) >= 1 && pw_csv_reader_error_column(&r) >= 1);
    } else {
        FUZZ_CHECK(pw_csv_reader_error(&r)[0] == '\0');
    }
    if (!pw_utf8_valid(buf, size))
        FUZZ_CHECK(rv == -1);
    pw_csv_reader_fini(&r);

    /* pass 2: the written CSV reads back as the same records */
    pw_csv_reader a, b;
    pw_csv_record ra, rb;
    pw_csv_reader_init(&a, buf, size);
    pw_csv_reader_init(&b, out.data, out.len);
    for (size_t n = 0; n < records; n++) {
        FUZZ_CHECK(pw_csv_reader_next(&a, &ra) == 1);
        FUZZ_CHECK(pw_csv_reader_next(&b, &rb) == 1);
        FUZZ_CHECK(ra.nfields == rb.nfields);
        for (size_t i = 0; i < ra.nfields; i++)
            FUZZ_CHECK(ra.lens[i] == rb.lens[i] &&
                       memcmp(ra.fields[i], rb.fields[i], ra.lens[i]) == 0);
    }
    FUZZ_CHECK(pw_csv_reader_next(&b, &rb) == 0);
    pw_csv_reader_fini(&a);
    pw_csv_reader_fini(&b);
    pw_strbuf_free(&out);

    /* the text helpers on the same bytes */
    char excerpt[64], padded[64];
    (void)pw_text_display_width_n(buf, size);
    FUZZ_CHECK(pw_text_excerpt(excerpt, sizeof excerpt, buf, size, 20) == 0);
    FUZZ_CHECK(pw_utf8_valid(excerpt, strlen(excerpt)));
    if (pw_text_pad(padded, sizeof padded, excerpt, 30) == 0) {
        int we = pw_text_display_width(excerpt);
        FUZZ_CHECK(pw_text_display_width(padded) == (we > 30 ? we : 30));
    }
    free(buf);
    return 0;
}
