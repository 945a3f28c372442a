#!/usr/bin/env bash
# Supervision items through the real CLIs: the office opens, the unit's
# reporter answers, another unit's reporter cannot, overdue after the
# deadline day, closed items drop out.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-03-01T09:00:00+08:00
pwadmin unit add jishou --name 吉首市 --category county >/dev/null
pwadmin unit add luxi --name 泸溪县 --category county >/dev/null
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
echo reporter11 | pwadmin user add li --role reporter --unit jishou --password-file - >/dev/null
echo reporter22 | pwadmin user add wang --role reporter --unit luxi --password-file - >/dev/null
office() { as office office111 "$@"; }

expect 0 office supervise open --unit jishou --deadline 2018-03-10 "路灯工程未按期完工"
contains "supervision item 1 opened: jishou 吉首市, deadline 2018-03-10, open" "$OUT"
expect 2 office supervise open --unit jishou "no deadline"
expect 1 office supervise open --unit jishou --deadline 2018-02-30 "bad date"
contains "(INVALID_ARGUMENT)" "$ERR"
expect 1 office supervise open --unit nowhere --deadline 2018-03-10 "x"
contains "(NOT_FOUND)" "$ERR"
expect 1 as li reporter11 supervise open --unit jishou --deadline 2018-03-10 "self"
contains "(PERMISSION_DENIED)" "$ERR"

expect 0 as li reporter11 supervise list --json
contains '"unit_name": "吉首市"' "$OUT"
expect 0 as wang reporter22 supervise list --json
not_contains '"id": 1' "$OUT"
expect 1 as wang reporter22 supervise answer 1 "not mine"
contains "(PERMISSION_DENIED)" "$ERR"
expect 0 as li reporter11 supervise answer 1 "施工队已进场，预计3月15日完工"

set_clock 2018-03-11T00:00:01+08:00
expect 0 office supervise list --overdue
contains "OVERDUE" "$OUT"
expect 0 office supervise close 1 --note "已整改到位"
expect 0 office supervise list --overdue --json
contains '"items": []' "$OUT"
expect 1 as li reporter11 supervise answer 1 "late answer"
contains "(FAILED_PRECONDITION)" "$ERR"
expect 0 office supervise list --all --json
contains '"state": "closed"' "$OUT"
audit=$(sqlite3 "$DB" "select summary from audit where object='supervision/1'")
contains "answered" "$audit"
contains "closed" "$audit"
e2e_finish
