/* TEMPORARY shim: replaced by the text module */
#include "common/text.h"
#include <string.h>
int pw_utf8_valid(const char *s, size_t n) { (void)s; (void)n; return 1; }
int pw_text_display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        w += (*p >= 0xE0) ? 2 : 1;
    }
    return w;
}
