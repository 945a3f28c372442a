/*
 * fuzz_xlsx.c - libFuzzer target for the report file reader: format
 * recognition, the XLSX reader (minizip + expat) and the text decoders.
 *
 * For any input: pw_report_file_read and pw_xlsx_read_first_sheet end (0 or
 * -1) without crashing, reading past the buffer (the input is copied to an
 * exact-size heap block for ASan) or leaking; an error always has a message;
 * every row read has an indicator, a non-empty value and a "where", all valid
 * UTF-8; every cell lies within the limits (small ones here, so that the
 * fuzzer reaches them).
 * Seeds: tests/fuzz/corpus/xlsx/ (made by tests/fuzz/make_xlsx_corpus.py).
 * Run:   ./build-fuzz/fuzz_xlsx tests/fuzz/corpus/xlsx -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/report_file.h"
#include "common/text.h"
#include "common/xlsx_read.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = fuzz_copy(data, size);
    if (!buf)
        return 0;

    char err[600];
    err[0] = '\0';
    pw_report_file f;
    if (pw_report_file_read(buf, size, &f, err, sizeof err) == 0) {
        for (size_t i = 0; i < f.nrows; i++) {
            const pw_report_row *r = &f.rows[i];
            FUZZ_CHECK(r->indicator[0] && r->value[0] && r->where[0]);
            FUZZ_CHECK(pw_utf8_valid(r->indicator, strlen(r->indicator)));
            FUZZ_CHECK(pw_utf8_valid(r->value, strlen(r->value)));
            FUZZ_CHECK(pw_utf8_valid(r->note, strlen(r->note)));
        }
        pw_report_file_free(&f);
    } else {
        FUZZ_CHECK(err[0] != '\0');
    }

    pw_xlsx_limits lim;
    pw_xlsx_limits_default(&lim);
    lim.max_part_bytes = 256 * 1024;
    lim.max_shared_strings = 64;
    lim.max_shared_bytes = 4096;
    lim.max_cell_bytes = 512;
    lim.max_text_bytes = 8192;
    lim.max_rows = 100;
    lim.max_cols = 10;
    pw_xlsx_sheet sh;
    err[0] = '\0';
    if (pw_xlsx_read_first_sheet(buf, size, &lim, &sh, err, sizeof err) == 0) {
        size_t total = 0;
        for (size_t i = 0; i < sh.ncells; i++)
            total += strlen(sh.cells[i].text) + 1;
        FUZZ_CHECK(total <= lim.max_text_bytes);
        for (size_t i = 0; i < sh.ncells; i++) {
            const pw_xlsx_cell *c = &sh.cells[i];
            FUZZ_CHECK(c->row >= 1 && c->row <= lim.max_rows);
            FUZZ_CHECK(c->col >= 1 && c->col <= lim.max_cols);
            FUZZ_CHECK(c->text && c->text[0] && strlen(c->text) <= lim.max_cell_bytes);
        }
        pw_xlsx_sheet_free(&sh);
    } else {
        FUZZ_CHECK(err[0] != '\0');
    }
    free(buf);
    return 0;
}
