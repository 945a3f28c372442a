/*
 * report_check.c - the rules one submitted report value must meet; see
 * report_check.h.  The texts are the ones ReportService.Submit has always
 * replied with (tests/e2e check them byte for byte).
 */
#include "server/engine/report_check.h"

#include <stdio.h>
#include <string.h>

#include "common/report_value.h"
#include "common/text.h"

/* A printable excerpt of untrusted text, at most max_chars characters. */
static const char *rc_quote(pw_arena *a, const char *s, size_t max_chars)
{
    char buf[320];
    pw_text_excerpt(buf, sizeof buf, s, strlen(s), max_chars);
    return pw_arena_strdup(a, buf);
}

static void rc_warn(pw_report_check_out *out, const char *text)
{
    if (out->nwarnings < PW_REPORT_CHECK_MAX_WARNINGS)
        out->warnings[out->nwarnings++] = text;
}

/* The rules of a number: the 0-100 range of a share, the warnings, and a
 * cumulative value that falls.  `at` is " (cell F12)" or "". */
static int rc_number(pw_arena *a, const pw_report_check_in *in, const pw_report_value *pv,
                     const char *at, pw_report_check_out *out)
{
    double d = pv->number;
    int percent = strcmp(in->uom, "%") == 0;
    /* a share is 0-100 %; a threshold's growth rate ("增长7%以上") may fall
     * below 0 or pass 100 */
    int share = percent && strcmp(in->kind, "threshold") != 0;
    if (pv->warnings & PW_VALWARN_SCIENTIFIC)
        rc_warn(out, pw_arena_printf(a,
                                     "'%s'%s is scientific notation, read as %.15g: a "
                                     "spreadsheet may have shown a rounded number; check the value",
                                     rc_quote(a, in->value, 40), at, d));
    if (share && (d < 0 || d > 100)) {
        out->error = pw_arena_printf(a, "%g %% is outside 0-100%s", d, at);
        return -1;
    }
    if (share && in->has_prev &&
        pw_report_value_looks_fraction(d, in->prev_has_value, in->prev_value))
        rc_warn(out, pw_arena_printf(a,
                                     "%g %%%s while the earlier month's was %g %%: a fraction "
                                     "typed for a percentage? (%g would be %g %%)",
                                     d, at, in->prev_value, d, d * 100));
    if (strcmp(in->kind, "cumulative") == 0 && in->has_prev && in->prev_has_value &&
        d < in->prev_value) {
        if (!in->note[0]) {
            out->error = pw_arena_printf(a,
                                         "cumulative value %g is below the earlier month's %g; "
                                         "explain it in the note column%s",
                                         d, in->prev_value, at);
            return -1;
        }
        rc_warn(out, pw_arena_printf(a,
                                     "cumulative value %.15g%s is below the earlier %.15g "
                                     "(explained: %s)",
                                     d, at, in->prev_value, rc_quote(a, in->note, 80)));
    }
    out->value = d;
    return 0;
}

int pw_report_check_value(pw_arena *a, const pw_report_check_in *in, pw_report_check_out *out)
{
    memset(out, 0, sizeof *out);
    /* where the value is in the reporter's file: " (cell F12)", " (line 7)" */
    const char *at = in->origin[0] ? pw_arena_printf(a, " (%s)", rc_quote(a, in->origin, 24)) : "";
    char why[160];
    if (pw_text_check(in->note, strlen(in->note), in->max_note_bytes, 0, why, sizeof why) != 0) {
        /* "note: 90000 bytes, more than the 65536 allowed (cell C2)" */
        out->error = pw_arena_printf(a, "note: %s%s", why, at);
        return -1;
    }
    int state = pw_plan_kind_is_state(in->kind), percent = strcmp(in->uom, "%") == 0;
    pw_report_value pv;
    char perr[300];
    if (pw_report_value_parse(in->value, state, percent, &pv, perr, sizeof perr) != 0) {
        out->error = pw_arena_printf(a, "%s%s", perr, at);
        return -1;
    }
    if (pv.applied) {
        char how[160];
        pw_report_value_describe(pv.applied, how, sizeof how);
        out->normalised = pw_arena_printf(a, "'%s' read as %s%s: %s", rc_quote(a, in->value, 40),
                                          pv.text, at, how);
    }
    if (!state)
        return rc_number(a, in, &pv, at, out);
    out->is_state = 1;
    out->state = pw_arena_strdup(a, pv.text);
    if (strcmp(in->kind, "task") == 0 && !in->note[0])
        /* a task's state comes with a line of progress text (SPEC 3.2) */
        rc_warn(out, pw_arena_printf(a,
                                     "task state %s without a line of progress text in the note "
                                     "column%s",
                                     pv.text, at));
    return 0;
}

int pw_report_check_empty(size_t numeric, int has_narrative, const char *unit, const char *period,
                          char *err, size_t errlen)
{
    if (numeric) {
        snprintf(err, errlen,
                 "the report has no values: unit %s has %zu numeric indicator%s to report for %s",
                 unit, numeric, numeric == 1 ? "" : "s", period);
        return -1;
    }
    if (!has_narrative) {
        snprintf(err, errlen,
                 "the report has no values and no narrative: give the progress, problems or next "
                 "steps (--progress, --narrative FILE)");
        return -1;
    }
    return 0;
}
