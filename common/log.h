/*
 * log.h - one logging sink (stderr), one macro that checks the level before
 * formatting.  Thread-safe: each line is written with a single write(2).
 *
 * Two formats, chosen once at start (planwatchd --log-format):
 *   text  2026-01-05T09:00:00.123Z info call method=/x user=li status=OK us=812 peer=ipc
 *   json  {"ts":"2026-01-05T09:00:00.123Z","level":"info","event":"call",
 *          "method":"/x","user":"li","status":"OK","us":812,"peer":"ipc"}
 * (one object a line).  A plain message is {"ts":..,"level":..,"msg":"..."}.
 */
#ifndef PW_COMMON_LOG_H
#define PW_COMMON_LOG_H

#include <stddef.h>

typedef enum { PW_LOG_DEBUG, PW_LOG_INFO, PW_LOG_WARN, PW_LOG_ERROR } pw_log_level;
enum { PW_LOG_FORMAT_TEXT = 0, PW_LOG_FORMAT_JSON = 1 };

extern int pw_log_min_level;
/* PW_LOG_FORMAT_*; set before the first thread starts. */
extern int pw_log_format;

void pw_log_write(pw_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One named field of an event line: text (str != NULL) or a number. */
typedef struct pw_log_field {
    const char *key;
    const char *str;
    long long num;
} pw_log_field;

/* An event line: text "EVENT k=v k=v", or a JSON object with "event" and
 * the fields (strings escaped, numbers as numbers). */
void pw_log_event(pw_log_level level, const char *event, const pw_log_field *fields, size_t n);

#define pw_log(level, ...)                                                                         \
    do {                                                                                           \
        if ((level) >= pw_log_min_level)                                                           \
            pw_log_write((level), __VA_ARGS__);                                                    \
    } while (0)

#endif
