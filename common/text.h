/* TEMPORARY shim: replaced by the text module */
#ifndef PW_COMMON_TEXT_H
#define PW_COMMON_TEXT_H
#include <stddef.h>
int pw_utf8_valid(const char *s, size_t n);
int pw_text_display_width(const char *utf8);
#endif
