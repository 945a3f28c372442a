/*
 * log.h - one logging sink (stderr), one macro that checks the level before
 * formatting.  Thread-safe: each line is written with a single write(2).
 */
#ifndef PW_COMMON_LOG_H
#define PW_COMMON_LOG_H

typedef enum { PW_LOG_DEBUG, PW_LOG_INFO, PW_LOG_WARN, PW_LOG_ERROR } pw_log_level;

extern int pw_log_min_level;

void pw_log_write(pw_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define pw_log(level, ...)                                                    \
    do {                                                                      \
        if ((level) >= pw_log_min_level)                                      \
            pw_log_write((level), __VA_ARGS__);                               \
    } while (0)

#endif
