#!/usr/bin/env bash
# Times are shown in the plan's time zone, not a fixed UTC+08:00: a plan at
# UTC+05:00, driven through the real CLIs (receipt, status, show, history,
# supervision, the dispatch summary in text and JSON).
source "$(dirname "$0")/lib.sh"
e2e_start 2018-01-02T09:00:00+05:00
rep_accounts
rep_plan --tz-offset 300
expect 0 office plan show --json
contains '"tz_offset_min": 300' "$OUT"
contains '"imported_at": "2018-01-02T09:00:00+05:00"' "$OUT"

echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$E2E_DIR/r.csv"
echo "C1,,,,10," >> "$E2E_DIR/r.csv"
# the last second of the deadline day in the plan's zone: on time
set_clock 2018-02-05T23:59:59+05:00
expect 0 li report submit --period 2018-01 "$E2E_DIR/r.csv"
contains "received 2018-02-05T23:59:59+05:00" "$OUT"
contains "on time (deadline 2018-02-05T23:59:59+05:00)" "$OUT"
not_contains "+08:00" "$OUT"
# one second later (still 2018-02-06 02:59:59 in UTC+08:00): one day late
set_clock 2018-02-06T00:00:00+05:00
echo "C1,,,,12," >> "$E2E_DIR/r.csv"
expect 0 office report status --period 2018-01
contains "deadline 2018-02-05T23:59:59+05:00" "$OUT"
not_contains "+08:00" "$OUT"
expect 0 li report show --period 2018-01 --json
contains '"received_at": "2018-02-05T23:59:59+05:00"' "$OUT"
contains '"deadline": "2018-02-05T23:59:59+05:00"' "$OUT"
expect 0 li report history --period 2018-01
contains "2018-02-05T23:59:59+05:00" "$OUT"
not_contains "+08:00" "$OUT"

expect 0 office supervise open --unit jishou --deadline 2018-02-10 "check"
expect 0 office supervise list --json
contains '"opened_at": "2018-02-06T00:00:00+05:00"' "$OUT"

expect 0 office finding add --year 2018 --unit jishou --bonus 1 --note "tz"
expect 0 office finding list --json
contains '"created_at": "2018-02-06T00:00:00+05:00"' "$OUT"
echo "# 上半年" > "$E2E_DIR/h1.md"
expect 0 li halfyear submit --period 2018-H1 "$E2E_DIR/h1.md"
not_contains "+08:00" "$OUT"
expect 0 li halfyear history --period 2018-H1 --json
contains '"received_at": "2018-02-06T00:00:00+05:00"' "$OUT"
not_contains "+08:00" "$OUT"
expect 0 office publish dispatch --period 2018-01
contains "at 2018-02-06T00:00:00+05:00" "$OUT"
expect 0 as root rootpass1 audit --json
contains '"at": "2018-02-06T00:00:00+05:00"' "$OUT"
not_contains "+08:00" "$OUT"

expect 0 office dispatch --period 2018-01 --json
contains '"deadline": "2018-02-05T23:59:59+05:00"' "$OUT"
contains '"generated_at": "2018-02-06T00:00:00+05:00"' "$OUT"
not_contains "+08:00" "$OUT"
expect 0 office dispatch --period 2018-01
contains "2018-02-05T23:59:59+05:00" "$OUT"
not_contains "+08:00" "$OUT"
e2e_finish
