/*
 * xlsx_read.h - the stored cell values of a workbook's first sheet.
 *
 * Design notes
 * - The workbook is an in-memory buffer (files travel inside RPC messages and
 *   web uploads).  The ZIP container is read by minizip's unzip API over
 *   memory callbacks, the XML parts by expat; neither format is parsed here.
 * - What is read: xl/workbook.xml (the first <sheet>), its relationships (the
 *   sheet's part and the shared strings part), the shared strings (rich text
 *   runs concatenated, phonetic runs left out) and the sheet's <c> cells: the
 *   stored value <v> (numbers, shared-string indexes, formula results, booleans,
 *   errors) or the inline string <is>.  Formulas are never evaluated: a formula
 *   cell yields its cached value.  Number formats are ignored: the stored
 *   number is returned, never the display text.
 * - Hostile files cost bounded memory and time: each part is inflated in 64 KiB
 *   chunks straight into expat and refused once it unpacks to more than
 *   max_part_bytes (a zip bomb stops there, whatever its header claims); the
 *   shared strings are capped by count and bytes, cells by row and column;
 *   a DOCTYPE is refused (no entities at all); elements nest at most 64 deep
 *   (expat stacks every open element).  Every refusal is an error
 *   message saying which limit was hit.
 * - Pure and thread-safe (no global state).
 */
#ifndef PW_COMMON_XLSX_READ_H
#define PW_COMMON_XLSX_READ_H

#include <stddef.h>
#include <stdint.h>

typedef enum pw_xlsx_type {
    PW_XLSX_STRING = 0, /* shared, inline or formula string */
    PW_XLSX_NUMBER,     /* text is the stored number as written ("1310.5", "1E-3") */
    PW_XLSX_BOOL,       /* text "TRUE" or "FALSE" */
    PW_XLSX_ERROR,      /* text is the error ("#DIV/0!") */
} pw_xlsx_type;

typedef struct pw_xlsx_cell {
    uint32_t row; /* 1-based, as in "E12" -> 12 */
    uint32_t col; /* 1-based, as in "E12" -> 5 */
    pw_xlsx_type type;
    char *text;  /* NUL-terminated UTF-8, owned by the sheet */
    int percent; /* a number whose format shows it as a percentage (0.3572 shown
                    35.72%: what Excel stores when "35.72%" is typed) */
} pw_xlsx_cell;

/* Limits; pw_xlsx_limits_default fills the defaults noted here. */
typedef struct pw_xlsx_limits {
    size_t max_part_bytes;     /* uncompressed bytes of one XML part: 32 MiB */
    size_t max_shared_strings; /* entries of the shared strings table: 100000 */
    size_t max_shared_bytes;   /* total bytes of shared strings: 8 MiB */
    size_t max_cell_bytes;     /* one cell's text: 32767 * 4 bytes (Excel's limit) */
    size_t max_text_bytes;     /* all cells' texts together: 16 MiB (cells referring to
                                  one long shared string each get a copy) */
    uint32_t max_rows;         /* highest row holding a value: 10000 */
    uint32_t max_cols;         /* highest column holding a value: 64 (BL) */
} pw_xlsx_limits;

void pw_xlsx_limits_default(pw_xlsx_limits *lim);

/* The non-empty cells of the first sheet, in document order (row by row). */
typedef struct pw_xlsx_sheet {
    pw_xlsx_cell *cells;
    size_t ncells;
    char name[128]; /* the sheet's name (may be cut) */
} pw_xlsx_sheet;

/*
 * Read the first sheet of the workbook buf[0..len).  lim NULL: the defaults.
 * Returns 0 and fills *out (free it with pw_xlsx_sheet_free), or -1 with a
 * message in err ("not a ZIP archive", "xl/sharedStrings.xml: more than 100000
 * shared strings", "xl/worksheets/sheet1.xml: line 3: not well-formed XML",
 * ...); *out is then untouched.  Empty cells (no value) are left out.
 */
int pw_xlsx_read_first_sheet(const void *buf, size_t len, const pw_xlsx_limits *lim,
                             pw_xlsx_sheet *out, char *err, size_t errlen);

void pw_xlsx_sheet_free(pw_xlsx_sheet *s);

/* "E12" for (12, 5); buf of at least 16 bytes. */
void pw_xlsx_cell_name(uint32_t row, uint32_t col, char *buf, size_t len);

/*
 * 1 when buf[0..len) is a ZIP archive holding the named entry, else 0
 * (for telling workbooks from other ZIP files: ODS, DOCX).
 */
int pw_zip_has_entry(const void *buf, size_t len, const char *name);

#endif
