/*
 * plan_rules.c - the rules of plan indicators and targets; see plan_rules.h.
 */
#include "server/engine/plan_rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pw_plan_kind_is_state(const char *kind)
{
    return kind && (strcmp(kind, "milestone") == 0 || strcmp(kind, "task") == 0);
}

int pw_plan_direction_fits(const char *kind, const char *direction)
{
    return !(direction && strcmp(direction, "band") == 0 && kind && strcmp(kind, "threshold") != 0);
}

int pw_plan_target_value_ok(const char *kind, double value)
{
    if (!isfinite(value))
        return 0;
    return !pw_plan_kind_is_state(kind) || value == 1;
}

int pw_plan_tolerance_rule(const char *direction, int has_tolerance)
{
    int band = direction && strcmp(direction, "band") == 0;
    if (has_tolerance && !band)
        return PW_PLAN_TOLERANCE_UNWANTED;
    if (!has_tolerance && band)
        return PW_PLAN_TOLERANCE_MISSING;
    return PW_PLAN_TOLERANCE_OK;
}

int pw_plan_due_month(const char *due, size_t len, const char *year)
{
    int m = 0;
    if (len == 7 && strspn(due, "0123456789") == 4 && due[4] == '-' &&
        strspn(due + 5, "0123456789") == 2)
        m = atoi(due + 5);
    if (m < 1 || m > 12 || strncmp(due, year, 4) != 0)
        return 0;
    return m;
}
