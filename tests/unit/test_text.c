/*
 * test_text.c - UTF-8 validity and decoding (overlongs, surrogates, range,
 * truncation), display width of CJK / combining / fullwidth text, column
 * padding, and printable excerpts of untrusted bytes for error messages.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "common/text.h"

#define VALID(lit) pw_utf8_valid(lit, sizeof(lit) - 1)

/* ---- pw_utf8_valid ------------------------------------------------------ */

Test(utf8_valid, accepts_ascii_cjk_and_four_byte_sequences)
{
    cr_assert_eq(pw_utf8_valid("", 0), 1);
    cr_assert_eq(pw_utf8_valid(NULL, 0), 1);
    cr_assert_eq(VALID("plain ascii, 123"), 1);
    cr_assert_eq(VALID("吉首市"), 1);
    cr_assert_eq(VALID("\xC2\x80"), 1);               /* U+0080, smallest 2-byte */
    cr_assert_eq(VALID("\xDF\xBF"), 1);               /* U+07FF */
    cr_assert_eq(VALID("\xE0\xA0\x80"), 1);           /* U+0800, smallest 3-byte */
    cr_assert_eq(VALID("\xED\x9F\xBF"), 1);           /* U+D7FF, just below surrogates */
    cr_assert_eq(VALID("\xEE\x80\x80"), 1);           /* U+E000, just above */
    cr_assert_eq(VALID("\xEF\xBF\xBF"), 1);           /* U+FFFF */
    cr_assert_eq(VALID("\xF0\x90\x80\x80"), 1);       /* U+10000 */
    cr_assert_eq(VALID("\xF4\x8F\xBF\xBF"), 1);       /* U+10FFFF */
    cr_assert_eq(VALID("\xF0\x9F\x98\x80 emoji"), 1); /* U+1F600 */
}

Test(utf8_valid, nul_bytes_are_valid)
{
    cr_assert_eq(pw_utf8_valid("a\0b", 3), 1);
}

Test(utf8_valid, rejects_overlong_forms)
{
    cr_assert_eq(VALID("\xC0\x80"), 0);         /* overlong NUL */
    cr_assert_eq(VALID("\xC1\xBF"), 0);         /* overlong U+007F */
    cr_assert_eq(VALID("\xE0\x80\x80"), 0);     /* overlong NUL, 3 bytes */
    cr_assert_eq(VALID("\xE0\x9F\xBF"), 0);     /* overlong U+07FF */
    cr_assert_eq(VALID("\xF0\x80\x80\x80"), 0); /* overlong NUL, 4 bytes */
    cr_assert_eq(VALID("\xF0\x8F\xBF\xBF"), 0); /* overlong U+FFFF */
}

Test(utf8_valid, rejects_surrogates)
{
    cr_assert_eq(VALID("\xED\xA0\x80"), 0);             /* U+D800 */
    cr_assert_eq(VALID("\xED\xBF\xBF"), 0);             /* U+DFFF */
    cr_assert_eq(VALID("\xED\xA0\xBD\xED\xB8\x80"), 0); /* CESU-8 pair */
}

Test(utf8_valid, rejects_code_points_above_10ffff)
{
    cr_assert_eq(VALID("\xF4\x90\x80\x80"), 0); /* U+110000 */
    cr_assert_eq(VALID("\xF5\x80\x80\x80"), 0);
    cr_assert_eq(VALID("\xF7\xBF\xBF\xBF"), 0);
    cr_assert_eq(VALID("\xF8\x88\x80\x80\x80"), 0); /* old 5-byte form */
    cr_assert_eq(VALID("\xFE"), 0);
    cr_assert_eq(VALID("\xFF"), 0);
}

Test(utf8_valid, rejects_stray_and_missing_continuation_bytes)
{
    cr_assert_eq(VALID("\x80"), 0);
    cr_assert_eq(VALID("a\xBF"), 0);
    cr_assert_eq(VALID("\xC3"), 0);                    /* truncated at the end */
    cr_assert_eq(VALID("\xE5\x90"), 0);                /* 吉 without its last byte */
    cr_assert_eq(VALID("\xE5\x90x"), 0);               /* continuation replaced by ASCII */
    cr_assert_eq(VALID("\xF0\x9F\x98"), 0);            /* truncated 4-byte */
    cr_assert_eq(VALID("\xC3\xA9\xA9"), 0);            /* one continuation too many */
    cr_assert_eq(pw_utf8_valid("\xE5\x90\x89", 2), 0); /* n cuts the sequence */
    cr_assert_eq(pw_utf8_valid(NULL, 1), 0);
}

/* ---- pw_utf8_decode / pw_utf8_encode ------------------------------------ */

Test(utf8_decode, returns_length_and_code_point)
{
    uint32_t cp = 0;
    cr_assert_eq(pw_utf8_decode("A", 1, &cp), 1);
    cr_assert_eq(cp, 0x41);
    cr_assert_eq(pw_utf8_decode("é", 2, &cp), 2);
    cr_assert_eq(cp, 0xE9);
    cr_assert_eq(pw_utf8_decode("吉首", 6, &cp), 3);
    cr_assert_eq(cp, 0x5409);
    cr_assert_eq(pw_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    cr_assert_eq(cp, 0x1F600);
}

Test(utf8_decode, leaves_cp_alone_on_failure)
{
    uint32_t cp = 12345;
    cr_assert_eq(pw_utf8_decode("\xC0\x80", 2, &cp), -1);
    cr_assert_eq(pw_utf8_decode("", 0, &cp), -1);
    cr_assert_eq(pw_utf8_decode(NULL, 3, &cp), -1);
    cr_assert_eq(cp, 12345);
}

Test(utf8_encode, round_trips_every_scalar_value)
{
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        char b[4];
        int n = pw_utf8_encode(cp, b);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            cr_assert_eq(n, -1, "surrogate %04X", cp);
            continue;
        }
        cr_assert(n >= 1 && n <= 4, "U+%04X", cp);
        cr_assert_eq(pw_utf8_valid(b, (size_t)n), 1, "U+%04X", cp);
        uint32_t back = 0;
        cr_assert_eq(pw_utf8_decode(b, (size_t)n, &back), n, "U+%04X", cp);
        if (back != cp)
            cr_assert_fail("U+%04X decoded as U+%04X", cp, back);
    }
    char b[4];
    cr_assert_eq(pw_utf8_encode(0x110000, b), -1);
}

/* ---- widths ------------------------------------------------------------- */

Test(display_width, ascii_counts_one_per_character)
{
    cr_assert_eq(pw_text_display_width(""), 0);
    cr_assert_eq(pw_text_display_width("jishou"), 6);
    cr_assert_eq(pw_text_display_width(NULL), 0);
}

Test(display_width, cjk_unit_names_count_two_per_character)
{
    cr_assert_eq(pw_text_display_width("吉首市"), 6);
    cr_assert_eq(pw_text_display_width("湘西州发改委"), 12);
    cr_assert_eq(pw_text_display_width("吉首市 (county)"), 6 + 9);
    cr_assert_eq(pw_text_display_width("亿元"), 4);
}

Test(display_width, hangul_kana_fullwidth_and_cjk_punctuation_are_wide)
{
    cr_assert_eq(pw_text_display_width("한국"), 4);         /* Hangul syllables */
    cr_assert_eq(pw_text_display_width("カナ"), 4);         /* katakana */
    cr_assert_eq(pw_text_display_width("ＡＢ１"), 6);       /* fullwidth forms */
    cr_assert_eq(pw_text_display_width("，。、"), 6);       /* CJK punctuation */
    cr_assert_eq(pw_text_display_width("（一）"), 6);       /* fullwidth parentheses */
    cr_assert_eq(pw_text_display_width("\xE3\x80\x80"), 2); /* ideographic space */
    cr_assert_eq(pw_text_display_width("𠀀"), 2);           /* U+20000, CJK Ext. B */
    cr_assert_eq(pw_text_display_width("😀"), 2);            /* emoji presentation */
}

Test(display_width, narrow_non_ascii_counts_one)
{
    cr_assert_eq(pw_text_display_width("é"), 1);
    cr_assert_eq(pw_text_display_width("½"), 1);
    cr_assert_eq(pw_text_display_width("ｱ"), 1); /* halfwidth katakana */
    cr_assert_eq(pw_text_display_width("Ж"), 1);
    cr_assert_eq(pw_text_display_width("—"), 1); /* em dash: ambiguous, narrow */
}

Test(display_width, combining_marks_and_format_characters_count_zero)
{
    cr_assert_eq(pw_text_display_width("e\xCC\x81"), 1);                /* e + U+0301 */
    cr_assert_eq(pw_text_display_width("\xE2\x80\x8B"), 0);             /* zero width space */
    cr_assert_eq(pw_text_display_width("a\xEF\xBB\xBF"), 1);            /* U+FEFF */
    cr_assert_eq(pw_text_display_width("\xE3\x81\x8B\xE3\x82\x99"), 2); /* か + U+3099 */
    cr_assert_eq(pw_text_codepoint_width(0x302A), 0);                   /* combining, yet W */
    cr_assert_eq(pw_text_codepoint_width(0x1160), 0);                   /* Hangul jungseong */
    cr_assert_eq(pw_text_codepoint_width(0x00AD), 1);                   /* soft hyphen */
}

Test(display_width, controls_count_zero_and_invalid_bytes_count_one)
{
    cr_assert_eq(pw_text_display_width("a\tb\n"), 2);
    cr_assert_eq(pw_text_codepoint_width(0x7F), 0);
    cr_assert_eq(pw_text_codepoint_width(0x9B), 0);
    cr_assert_eq(pw_text_display_width("a\xFF"
                                       "b"),
                 3);
    cr_assert_eq(pw_text_display_width("\xE5\x90"), 2); /* truncated 吉: 2 bad bytes */
    cr_assert_eq(pw_text_codepoint_width(0xD800), 1);
    cr_assert_eq(pw_text_codepoint_width(0x110000), 1);
}

Test(display_width, bounded_variant_stops_at_n)
{
    cr_assert_eq(pw_text_display_width_n("吉首市", 6), 4);
    cr_assert_eq(pw_text_display_width_n("吉首市", 7), 5); /* 1 stray byte */
    cr_assert_eq(pw_text_display_width_n("ab\0cd", 5), 4);
    cr_assert_eq(pw_text_display_width_n(NULL, 3), 0);
}

Test(codepoint_width, table_edges)
{
    cr_assert_eq(pw_text_codepoint_width(0x10FF), 1);
    cr_assert_eq(pw_text_codepoint_width(0x1100), 2); /* Hangul choseong start */
    cr_assert_eq(pw_text_codepoint_width(0x115F), 2);
    cr_assert_eq(pw_text_codepoint_width(0x4E00), 2);
    cr_assert_eq(pw_text_codepoint_width(0x9FFF), 2);
    cr_assert_eq(pw_text_codepoint_width(0xAC00), 2);
    cr_assert_eq(pw_text_codepoint_width(0xD7A3), 2);
    cr_assert_eq(pw_text_codepoint_width(0xD7A4), 1);
    cr_assert_eq(pw_text_codepoint_width(0xFF01), 2);
    cr_assert_eq(pw_text_codepoint_width(0xFF60), 2);
    cr_assert_eq(pw_text_codepoint_width(0xFF61), 1);
    cr_assert_eq(pw_text_codepoint_width(0xFFE0), 2);
    cr_assert_eq(pw_text_codepoint_width(0x3FFFD), 2);
    cr_assert_eq(pw_text_codepoint_width(0xE0001), 0); /* language tag (Cf) */
    cr_assert_eq(pw_text_codepoint_width(0x10FFFF), 1);
}

/* ---- padding ------------------------------------------------------------ */

Test(text_pad, pads_cjk_by_display_width)
{
    char buf[32];
    cr_assert_eq(pw_text_pad(buf, sizeof buf, "吉首市", 8), 0);
    cr_assert_str_eq(buf, "吉首市  ");
    cr_assert_eq(pw_text_display_width(buf), 8);
    cr_assert_eq(pw_text_pad(buf, sizeof buf, "abc", 8), 0);
    cr_assert_str_eq(buf, "abc     ");
}

Test(text_pad, never_truncates_a_wider_string)
{
    char buf[32];
    cr_assert_eq(pw_text_pad(buf, sizeof buf, "吉首市", 4), 0);
    cr_assert_str_eq(buf, "吉首市");
    cr_assert_eq(pw_text_pad(buf, sizeof buf, "abc", -3), 0);
    cr_assert_str_eq(buf, "abc");
    cr_assert_eq(pw_text_pad(buf, sizeof buf, "", 0), 0);
    cr_assert_str_eq(buf, "");
}

Test(text_pad, refuses_a_too_small_buffer_without_writing)
{
    char buf[12];
    memset(buf, 'x', sizeof buf);
    /* "吉首市" is 9 bytes; width 8 adds 2 spaces: 11 bytes + NUL = 12 */
    cr_assert_eq(pw_text_pad(buf, 11, "吉首市", 8), -1);
    cr_assert_eq(buf[0], 'x');
    cr_assert_eq(pw_text_pad(buf, 12, "吉首市", 8), 0);
    cr_assert_eq(pw_text_pad(buf, 0, "", 0), -1);
    cr_assert_eq(pw_text_pad(NULL, 4, "a", 1), -1);
    cr_assert_eq(pw_text_pad(buf, 4, NULL, 1), -1);
}

Test(text_pad, works_in_place)
{
    char buf[16] = "吉首";
    cr_assert_eq(pw_text_pad(buf, sizeof buf, buf, 6), 0);
    cr_assert_str_eq(buf, "吉首  ");
}

Test(text_pad_start, right_aligns)
{
    char buf[32];
    cr_assert_eq(pw_text_pad_start(buf, sizeof buf, "98.50", 8), 0);
    cr_assert_str_eq(buf, "   98.50");
    cr_assert_eq(pw_text_pad_start(buf, sizeof buf, "吉首", 6), 0);
    cr_assert_str_eq(buf, "  吉首");
    cr_assert_eq(pw_text_pad_start(buf, 4, "吉首", 6), -1);
    cr_assert_eq(pw_text_pad_start(buf, sizeof buf, buf, 9), -1); /* aliasing refused */
}

/* ---- excerpts ----------------------------------------------------------- */

Test(text_excerpt, copies_printable_utf8)
{
    char buf[64];
    cr_assert_eq(pw_text_excerpt(buf, sizeof buf, "吉首市 ok", strlen("吉首市 ok"), 40), 0);
    cr_assert_str_eq(buf, "吉首市 ok");
}

Test(text_excerpt, replaces_controls_invalid_bytes_and_bidi_overrides)
{
    char buf[64];
    pw_text_excerpt(buf, sizeof buf, "a\nb\tc\x1b[1m\xFF\xC3", 11, 40);
    cr_assert_str_eq(buf, "a?b?c?[1m??");
    pw_text_excerpt(buf, sizeof buf, "x\xE2\x80\xAEy", 5, 40); /* U+202E */
    cr_assert_str_eq(buf, "x?y");
    pw_text_excerpt(buf, sizeof buf, "a\0b", 3, 40);
    cr_assert_str_eq(buf, "a?b");
    cr_assert(pw_utf8_valid(buf, strlen(buf)));
}

Test(text_excerpt, shortens_long_input_with_ellipsis)
{
    char buf[64];
    pw_text_excerpt(buf, sizeof buf, "abcdefghij", 10, 4);
    cr_assert_str_eq(buf, "abcd...");
    pw_text_excerpt(buf, sizeof buf, "abcd", 4, 4);
    cr_assert_str_eq(buf, "abcd");
    pw_text_excerpt(buf, sizeof buf, "吉首市州", 12, 2);
    cr_assert_str_eq(buf, "吉首...");
}

Test(text_excerpt, never_cuts_a_character_in_a_small_buffer)
{
    char buf[5];
    cr_assert_eq(pw_text_excerpt(buf, sizeof buf, "吉首市", 9, 40), 0);
    cr_assert_str_eq(buf, "吉");
    cr_assert(pw_utf8_valid(buf, strlen(buf)));
    char one[1];
    cr_assert_eq(pw_text_excerpt(one, 1, "abc", 3, 40), 0);
    cr_assert_str_eq(one, "");
    cr_assert_eq(pw_text_excerpt(one, 0, "abc", 3, 40), -1);
    cr_assert_eq(pw_text_excerpt(buf, sizeof buf, NULL, 3, 40), 0);
    cr_assert_str_eq(buf, "");
}

/* ---- pw_text_check (issue 10 item 9) ------------------------------------ */

Test(text_check, accepts_text_with_tabs_newlines_and_cjk)
{
    const char *s = "进展：\t完成 80%\n下一步：验收";
    char why[160] = "";
    cr_assert_eq(pw_text_check(s, strlen(s), 0, 0, why, sizeof why), 0, "%s", why);
    cr_assert_eq(pw_text_check("", 0, 10, 0, why, sizeof why), 0);
}

Test(text_check, refuses_c0_del_and_c1_controls_naming_the_character)
{
    static const struct {
        const char *s;
        const char *cp;
    } bad[] = {{"a\x1b[31m", "U+001B at byte 2"},
               {"\x07", "U+0007"},
               {"x\ry", "U+000D"},
               {"nul\0x", "U+0000"},
               {"del\x7f", "U+007F"},
               {"csi\xc2\x9b", "U+009B"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[160] = "";
        size_t n = i == 3 ? 5 : strlen(bad[i].s);
        cr_assert_eq(pw_text_check(bad[i].s, n, 0, 0, why, sizeof why), -1, "case %zu", i);
        cr_assert(strstr(why, bad[i].cp), "case %zu: '%s' lacks '%s'", i, why, bad[i].cp);
    }
}

Test(text_check, one_line_refuses_tab_and_newline)
{
    char why[160] = "";
    cr_assert_eq(pw_text_check("a\tb", 3, 0, PW_TEXT_ONE_LINE, why, sizeof why), -1);
    cr_assert(strstr(why, "U+0009"), "%s", why);
    cr_assert_eq(pw_text_check("a\nb", 3, 0, PW_TEXT_ONE_LINE, why, sizeof why), -1);
    cr_assert_eq(pw_text_check("吉首市", strlen("吉首市"), 0, PW_TEXT_ONE_LINE, why, sizeof why),
                 0);
}

Test(text_check, refuses_bad_utf8_and_oversize)
{
    char why[160] = "";
    cr_assert_eq(pw_text_check("\xe5\x90", 2, 0, 0, why, sizeof why), -1);
    cr_assert(strstr(why, "not valid UTF-8"), "%s", why);
    cr_assert_eq(pw_text_check("abcdef", 6, 5, 0, why, sizeof why), -1);
    cr_assert_str_eq(why, "6 bytes, more than the 5 allowed");
    cr_assert_eq(pw_text_check("abcde", 5, 5, 0, NULL, 0), 0);
}

Test(text_rtrim, steps_back_over_ascii_nbsp_and_ideographic_spaces)
{
    static const struct {
        const char *s;
        int newlines;
        size_t want;
    } cases[] = {
        {"", 0, 0},
        {"12 \t", 0, 2},
        {"12\xC2\xA0\xE3\x80\x80 ", 0, 2}, /* U+00A0, U+3000, space */
        {"12\r\n", 0, 4},                  /* CR LF kept unless asked */
        {"12 \r\n\xE3\x80\x80", 1, 2},     /* ... and dropped when asked */
        {"\xE5\x90\x89\xC2\xA0", 0, 3},    /* 吉 + NBSP */
        {"a\xE3\x80\x80"
         "b",
         0, 5}, /* spaces inside stay */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(pw_text_rtrim(cases[i].s, strlen(cases[i].s), cases[i].newlines),
                     cases[i].want, "case %zu", i);
}

Test(utf8_put_replacement, writes_the_three_bytes_of_u_fffd)
{
    char buf[4] = "xxx";
    cr_assert_eq(pw_utf8_put_replacement(buf), 3);
    cr_assert_eq(memcmp(buf, "\xEF\xBF\xBD", 3), 0);
}
