#include "common/status.h"

#include <string.h>

static const struct {
    const char *name;
    const char *text;
} pw_status_table[PW_STATUS_COUNT] = {
#define PW_STATUS_ROW(name, num, text) [num] = {#name, text},
    PW_STATUS_MAP(PW_STATUS_ROW)
#undef PW_STATUS_ROW
};

const char *pw_status_name(int status)
{
    if (status < 0 || status >= PW_STATUS_COUNT)
        return "UNKNOWN";
    return pw_status_table[status].name;
}

const char *pw_status_text(int status)
{
    if (status < 0 || status >= PW_STATUS_COUNT)
        return pw_status_table[PW_UNKNOWN].text;
    return pw_status_table[status].text;
}

int pw_status_from_name(const char *name)
{
    for (int i = 0; i < PW_STATUS_COUNT; i++)
        if (name && strcmp(name, pw_status_table[i].name) == 0)
            return i;
    return -1;
}

int pw_status_exit_code(int status, int transport_failed)
{
    if (status == PW_OK)
        return PW_EXIT_OK;
    return transport_failed ? PW_EXIT_CONNECT : PW_EXIT_SERVER;
}
