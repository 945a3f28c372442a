/*
 * render_fixture.h - a small dispatch summary and a small ranking, built in C
 * the way the server would send them, for the renderer tests and the
 * screenshot test (tests/tools/render_fixture.c).
 *
 * The dispatch summary (plan czh2018 "湘西州推进新型城镇化三年行动计划", 2018-03,
 * t = 0.25): six units (吉首市 on time, 泸溪县 late 3 days, 凤凰县 missing, a zone
 * named `经开区<&>"测试"` on time, 州发改委 on time, 州公安局 late 12 days), rates for
 * both categories, four plan-wide indicators (yellow, green, red milestone,
 * red without actual), the units x indicators grid, five red items (one with
 * `<script>` in its problem text), two open supervision items (one overdue)
 * and one data-quality flag.
 *
 * The ranking (2018-Q1): five counties (ties at 88.25 sharing rank 3, 吉首市
 * and 古丈县 commended, the tied pair and the unqualified zone criticised) and
 * four departments (州教育局 without a flag), with items, explain lines for
 * 泸溪县 and adjustments (泸溪县 bonus 1 and penalty 1, the zone one
 * falsification).
 */
#ifndef PW_TESTS_RENDER_FIXTURE_H
#define PW_TESTS_RENDER_FIXTURE_H

#include "planwatch/v1/dispatch.pb-c.h"

/* The unit name with HTML metacharacters used in both fixtures. */
#define PW_FIXTURE_ODD_NAME "经开区<&>\"测试\""

/* A freshly unpacked summary; free with protobuf_c_message_free_unpacked. */
Planwatch__V1__DispatchSummary *pw_fixture_dispatch(void);

/* A freshly unpacked ranking; free with protobuf_c_message_free_unpacked. */
Planwatch__V1__ScoresResponse *pw_fixture_scores(void);

#endif
