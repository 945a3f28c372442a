/*
 * table.h - aligned human tables, aware of CJK display width (吉首市 takes
 * six columns, not nine bytes).
 */
#ifndef PW_CLIENT_TABLE_H
#define PW_CLIENT_TABLE_H

#include <stdio.h>

typedef struct pw_table pw_table;

/* A table with `ncols` columns named by `headers` (copied). */
pw_table *pw_table_new(int ncols, const char *const *headers);
/* Append a row of `ncols` strings (copied; NULL prints as "-").  Cells are
 * sanitised for the terminal: control characters and invalid UTF-8 become
 * U+FFFD, TAB and LF a space. */
void pw_table_row(pw_table *t, const char *const *cells);
/* Convenience: a row from varargs, exactly ncols `const char *`. */
void pw_table_add(pw_table *t, ...);
/* Print to f; on a terminal (its width, or $COLUMNS) a last column that
 * does not fit is folded within its own column, each continuation line
 * indented to it, when at least PW_TABLE_MIN_WRAP columns are left for it
 * (a long note in `report show` at 80 columns).  A pipe or a file gets one
 * line per row, as scripts expect. */
void pw_table_print(const pw_table *t, FILE *f);
/*
 * Tables printed from now on fit `columns` display columns (0: no limit,
 * the default): the widest columns shrink (not below 4) and cells that do
 * not fit end in "…".  Set once at start-up (the CLI: $COLUMNS, else the
 * terminal's width when stdout is one); not for concurrent use.
 */
void pw_table_set_width(int columns);
/* The width set, 0 for none. */
int pw_table_get_width(void);
/* One line of text (no line end in it), cut with "…" to the width set. */
void pw_table_print_line(const char *line, FILE *f);
/* The same for a given width (0: never fold). */
void pw_table_print_width(const pw_table *t, FILE *f, int width);
#define PW_TABLE_MIN_WRAP 16

/* One message line and "\n"; on a terminal folded at spaces (or between CJK
 * characters) to its width, continuations indented by `indent` columns. */
void pw_text_print_folded(FILE *f, const char *text, int indent);
void pw_text_print_folded_width(FILE *f, const char *text, int indent, int width);
void pw_table_free(pw_table *t);

#endif
