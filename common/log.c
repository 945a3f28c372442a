#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int pw_log_min_level = PW_LOG_INFO;
int pw_log_format = PW_LOG_FORMAT_TEXT;

static const char *const pw_log_names[] = {"debug", "info", "warn", "error"};

typedef struct pw_log_line {
    char buf[4096];
    size_t len;
} pw_log_line;

static void pw_log_put(pw_log_line *l, const char *s, size_t n)
{
    size_t room = sizeof l->buf - 2 - l->len; /* keep room for "}\n" / "\n" */
    if (n > room)
        n = room;
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void pw_log_puts(pw_log_line *l, const char *s)
{
    pw_log_put(l, s, strlen(s));
}

/* `s` as the inside of a JSON string: quotes, backslashes and control
 * characters escaped; other bytes as they are. */
static void pw_log_json_str(pw_log_line *l, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            pw_log_put(l, esc, 2);
        } else if (c == '\n') {
            pw_log_put(l, "\\n", 2);
        } else if (c == '\t') {
            pw_log_put(l, "\\t", 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            pw_log_put(l, esc, 6);
        } else {
            pw_log_put(l, (const char *)&c, 1);
        }
    }
}

static void pw_log_start(pw_log_line *l, pw_log_level level)
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    char ts[96];
    snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
    l->len = 0;
    if (pw_log_format == PW_LOG_FORMAT_JSON) {
        pw_log_puts(l, "{\"ts\":\"");
        pw_log_puts(l, ts);
        pw_log_puts(l, "\",\"level\":\"");
        pw_log_puts(l, pw_log_names[level]);
        pw_log_puts(l, "\"");
    } else {
        pw_log_puts(l, ts);
        pw_log_puts(l, " ");
        pw_log_puts(l, pw_log_names[level]);
        pw_log_puts(l, " ");
    }
}

static void pw_log_end(pw_log_line *l)
{
    if (pw_log_format == PW_LOG_FORMAT_JSON)
        l->buf[l->len++] = '}';
    l->buf[l->len++] = '\n';
    ssize_t w = write(STDERR_FILENO, l->buf, l->len);
    (void)w;
}

void pw_log_write(pw_log_level level, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pw_log_line l;
    pw_log_start(&l, level);
    if (pw_log_format == PW_LOG_FORMAT_JSON) {
        pw_log_puts(&l, ",\"msg\":\"");
        pw_log_json_str(&l, msg);
        pw_log_puts(&l, "\"");
    } else {
        pw_log_puts(&l, msg);
    }
    pw_log_end(&l);
}

void pw_log_event(pw_log_level level, const char *event, const pw_log_field *fields, size_t n)
{
    if ((int)level < pw_log_min_level)
        return;
    pw_log_line l;
    pw_log_start(&l, level);
    int json = pw_log_format == PW_LOG_FORMAT_JSON;
    if (json) {
        pw_log_puts(&l, ",\"event\":\"");
        pw_log_json_str(&l, event);
        pw_log_puts(&l, "\"");
    } else {
        pw_log_puts(&l, event);
    }
    for (size_t i = 0; i < n; i++) {
        char num[32];
        snprintf(num, sizeof num, "%lld", fields[i].num);
        if (json) {
            pw_log_puts(&l, ",\"");
            pw_log_json_str(&l, fields[i].key);
            pw_log_puts(&l, "\":");
            if (fields[i].str) {
                pw_log_puts(&l, "\"");
                pw_log_json_str(&l, fields[i].str);
                pw_log_puts(&l, "\"");
            } else {
                pw_log_puts(&l, num);
            }
        } else {
            pw_log_puts(&l, " ");
            pw_log_puts(&l, fields[i].key);
            pw_log_puts(&l, "=");
            pw_log_puts(&l, fields[i].str ? fields[i].str : num);
        }
    }
    pw_log_end(&l);
}
