/*
 * text.h - UTF-8 validity, code points, display width and column padding.
 *
 * All functions are pure (no locale, no global state) and thread-safe.
 * Display widths follow Unicode 14.0 East Asian Width: Wide (W) and Fullwidth (F)
 * characters -- CJK ideographs, Hangul syllables, kana, CJK punctuation, fullwidth
 * forms, emoji -- take 2 columns; combining marks (Mn, Me), format characters (Cf,
 * except U+00AD) and conjoining Hangul jamo U+1160..U+11FF take 0; everything else 1.
 * So "吉首市" is 6 columns wide and "e\u0301" is 1.
 */
#ifndef PW_COMMON_TEXT_H
#define PW_COMMON_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Is s[0..n) well-formed UTF-8?  Returns 1 when valid, 0 when not (a predicate,
 * unlike most pw_ functions).  Rejects overlong forms (C0 80, E0 80 80, ...),
 * surrogates U+D800..U+DFFF, code points above U+10FFFF, stray continuation
 * bytes and truncated sequences.  NUL bytes are valid UTF-8 (U+0000).
 * n == 0 is valid; s may be NULL only when n == 0.
 */
int pw_utf8_valid(const char *s, size_t n);

/*
 * Decode the one code point that starts at s[0], reading at most n bytes.
 * Returns the length of the sequence (1..4) and writes *cp, or -1 when the bytes
 * at s are not a well-formed sequence (same rules as pw_utf8_valid) or n == 0;
 * *cp is then untouched.
 */
int pw_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Encode code point cp into out[0..3].  Returns the number of bytes (1..4), or -1
 * for a surrogate or a value above U+10FFFF (out untouched).  No NUL is written.
 */
int pw_utf8_encode(uint32_t cp, char out[4]);

/*
 * Columns taken by one code point on a terminal: 0, 1 or 2 (see the top of this
 * file).  C0/C1 control characters (and DEL) count 0: they do not belong in a
 * table cell and are not expected.  Invalid code points count 1.
 */
int pw_text_codepoint_width(uint32_t cp);

/*
 * Display width of the NUL-terminated UTF-8 string s, in terminal columns (sum of
 * pw_text_codepoint_width).  Each byte that is not part of a well-formed sequence
 * counts 1, as a terminal would show a replacement character.  NULL counts 0.
 */
int pw_text_display_width(const char *utf8);

/*
 * Display width of the first n bytes of s (same rules as pw_text_display_width;
 * NUL bytes count 0).
 */
int pw_text_display_width_n(const char *s, size_t n);

/*
 * Left-align s in a column `width` columns wide: copy s into buf and append spaces
 * until its display width is `width` (no spaces when s is already as wide or wider;
 * s is never truncated).  buf is NUL-terminated.  Returns 0, or -1 when buf (of
 * `size` bytes) is too small or an argument is NULL; buf is not written then.
 * s may be buf itself (padding in place).
 * Example: pw_text_pad(buf, sizeof buf, "吉首市", 8) -> "吉首市  " (9 bytes + 2).
 */
int pw_text_pad(char *buf, size_t size, const char *s, int width);

/*
 * Right-align s in a column `width` columns wide (spaces first, for numbers).
 * Same contract as pw_text_pad, except that s must not overlap buf (s == buf
 * is refused with -1).
 */
int pw_text_pad_start(char *buf, size_t size, const char *s, int width);

/*
 * Make a short, printable excerpt of untrusted bytes s[0..n) for an error message:
 * valid UTF-8 characters are copied, control characters and invalid bytes become
 * '?', and after `max_chars` characters the excerpt ends with "...".  buf always
 * gets a NUL-terminated, valid UTF-8 string when size > 0 (cut at a character
 * boundary if buf is small).  s may be NULL when n == 0.  Returns 0, or -1 when
 * buf is NULL or size == 0.
 */
int pw_text_excerpt(char *buf, size_t size, const char *s, size_t n, size_t max_chars);

/* Flags of pw_text_check. */
enum {
    PW_TEXT_ONE_LINE = 1u << 0, /* names, CSV cells: TAB and LF are refused too */
};

/*
 * THE check of untrusted free text before a server stores it (progress,
 * problems, notes, answers, reasons, names...): s[0..n) must be well-formed
 * UTF-8 of at most `max` bytes (max 0: no limit) without control
 * characters, except TAB and LF unless flags has PW_TEXT_ONE_LINE.  Refused
 * are C0 U+0000..U+001F (ESC, CR, BEL...), DEL U+007F and C1 U+0080..U+009F
 * (CSI): they would reach the office's terminal raw.
 * Returns 0 when acceptable, else -1 with a reason for the field's error
 * message in why ("control character U+001B at byte 12: only tab and
 * newline are allowed", "not valid UTF-8 at byte 3", "70000 bytes, more
 * than the 65536 allowed"); why may be NULL.  Pure, thread-safe.
 */
int pw_text_check(const char *s, size_t n, size_t max, unsigned flags, char *why, size_t whylen);

/*
 * Is cp a control character that must not reach a terminal or a stored
 * text (C0 except TAB and LF, DEL, C1)?  1 or 0.
 */
int pw_text_is_control(uint32_t cp);

/*
 * The length of s[0..n) without the spaces at its end: ' ', TAB, U+00A0 and
 * U+3000 (ideographic space), and also CR and LF when `newlines`.
 */
size_t pw_text_rtrim(const char *s, size_t n, int newlines);

/* Write U+FFFD (the replacement character, 3 bytes, no NUL) at out; 3. */
size_t pw_utf8_put_replacement(char *out);

#endif
