/* TEMPORARY shim: replaced by the period module */
#ifndef PW_COMMON_PERIOD_H
#define PW_COMMON_PERIOD_H
#include <stdint.h>
int pw_date_parse(const char *s, int32_t *days);
int pw_time_parse_iso8601(const char *s, int64_t *out);
#endif
