#!/usr/bin/env bash
# The verbs `planwatch dispatch`, `scores` and `publish` end to end against a
# stand-in server (tests/tools/fake_render_server.c) that answers with the
# render fixture: options, the request fields sent, every output format, files
# and stdout, exit codes.  The real handlers are tested with the server.
source "$(dirname "$0")/lib.sh"

LOG=$E2E_DIR/calls.log
"$BIN/fake_render_server" "$PLANWATCH_SERVER" "$LOG" 2>>"$SERVER_LOG" &
SERVER_PID=$!   # lib.sh stops it on exit
for _ in $(seq 1 100); do [ -S "$E2E_DIR/s.sock" ] && break; sleep 0.05; done
[ -S "$E2E_DIR/s.sock" ] || { echo "fake server did not start"; exit 1; }
office() { as office office111 "$@"; }

# ---- usage errors: exit 2 before any call ------------------------------------
expect 2 office dispatch
contains "--period is required (INVALID_ARGUMENT)" "$ERR"
expect 2 office dispatch --period 2018-H1
contains "expected YYYY-MM" "$ERR"
expect 2 office dispatch --period 2018-03 --json --html x.html
contains "choose one of --json, --csv FILE, --html FILE" "$ERR"
expect 2 office dispatch --period 2018-03 extra
contains "unexpected argument 'extra'" "$ERR"
expect 2 office scores --period 2018-H1
contains "expected YYYY-MM, YYYY-Qn or YYYY" "$ERR"
expect 2 office scores --period 2018 --category province
contains "--category must be county or department" "$ERR"
expect 2 office scores --period 2018 --xlsx -
contains "--xlsx needs a file name" "$ERR"
expect 2 office scores --period 2018 --csv a.csv --xlsx b.xlsx
contains "--xlsx FILE" "$ERR"
expect 2 office publish dispatch --period 2018-H1
expect 2 office publish scores
[ ! -s "$LOG" ] && pass || fail "usage errors reached the server: $(cat "$LOG")"

expect 0 pw dispatch --help
contains "usage: planwatch dispatch --period YYYY-MM" "$OUT"
expect 0 pw --help
contains "planwatch scores --period YYYY-MM|YYYY-Qn|YYYY" "$OUT"
contains "planwatch publish dispatch" "$OUT"

# ---- dispatch ----------------------------------------------------------------
expect 0 office dispatch --period 2018-03
contains "Dispatch summary 调度通报: 湘西州推进新型城镇化三年行动计划 (czh2018), 2018-03" "$OUT"
contains "late (3 days)" "$OUT"
contains "Open supervision items (督办事项): 2, 1 overdue" "$OUT"
contains "/planwatch.v1.DispatchService/Get plan= period=2018-03 token=fake-token" "$(cat "$LOG")"

expect 0 office dispatch --period 2018-04 --plan czh2018 --json
contains '"period": "2018-04"' "$OUT"
contains '"days_late": 3' "$OUT"
contains '"received_at": null' "$OUT"
contains "plan=czh2018 period=2018-04" "$(cat "$LOG")"
if command -v python3 >/dev/null; then
  echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["units"][1]["status"]=="late"; assert d["supervision"][1]["overdue"] is True' \
    && pass || fail "dispatch --json does not parse"
fi

expect 0 office dispatch --period 2018-03 --csv -
[ "$(printf '%s' "$OUT" | head -c 3 | od -An -tx1 | tr -d ' ')" = efbbbf ] && pass || fail "csv to stdout lacks the BOM"
contains "timeliness,报送情况" "$OUT"

expect 0 office dispatch --period 2018-03 --csv "$E2E_DIR/d.csv"
contains "wrote $E2E_DIR/d.csv" "$ERR"
[ "$(head -c 3 "$E2E_DIR/d.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && pass || fail "csv file lacks the BOM"
[ -z "$OUT" ] && pass || fail "stdout not clean with --csv FILE: $OUT"

expect 0 office dispatch --period 2018-03 --html "$E2E_DIR/d.html"
contains "<title>调度通报 湘西州推进新型城镇化三年行动计划 2018-03</title>" "$(cat "$E2E_DIR/d.html")"
[ ! -e "$E2E_DIR/d.html.tmp" ] && pass || fail "temporary file left"

expect 2 office dispatch --period 2018-03 --html "$E2E_DIR/no/such/dir/d.html"
contains "cannot write $E2E_DIR/no/such/dir/d.html" "$ERR"

# ---- scores ------------------------------------------------------------------
expect 0 office scores --period 2018-Q1
contains "county 县市区: 5 units" "$OUT"
contains "95.50" "$OUT"
contains "department 州直单位: 4 units" "$OUT"

expect 0 office scores --period 2018 --category department
contains "category=department" "$(cat "$LOG")"
not_contains "吉首市" "$OUT"
contains "州发改委" "$OUT"

expect 0 office scores --period 2018-Q1 --explain luxi
contains "explain=luxi" "$(cat "$LOG")"
contains "item 5  日常工作 · 按时报送月调度表 [monthly_timeliness]: 4.5 / 5" "$OUT"
contains "    - 2018-02: late (3 days): -0.5" "$OUT"
contains "total: items 88.25, adjustments 0 +1 -1 = 88.25; score 88.25" "$OUT"
expect 1 office scores --period 2018-Q1 --explain nowhere
contains "unit 'nowhere' is not in the rankings of 2018-Q1 (NOT_FOUND)" "$ERR"

expect 0 office scores --period 2018-Q1 --json
contains '"rankings": [' "$OUT"
contains '"grade": "excellent"' "$OUT"
contains '"flag": null' "$OUT"

expect 0 office scores --period 2018-Q1 --csv "$E2E_DIR/s.csv"
contains "rank,unit,name,category,score,grade,flag,item_1" "$(cat "$E2E_DIR/s.csv")"
expect 0 office scores --period 2018-Q1 --html "$E2E_DIR/s.html"
contains "<title>考核排名 czh2018 2018-Q1</title>" "$(cat "$E2E_DIR/s.html")"
expect 0 office scores --period 2018-Q1 --xlsx "$E2E_DIR/s.xlsx"
contains "wrote $E2E_DIR/s.xlsx" "$ERR"
[ "$(head -c 4 "$E2E_DIR/s.xlsx" | od -An -tx1 | tr -d ' ')" = 504b0304 ] && pass || fail "xlsx is not a zip"
if command -v unzip >/dev/null; then
  unzip -tq "$E2E_DIR/s.xlsx" >/dev/null && pass || fail "xlsx zip is damaged"
fi

# ---- publish -----------------------------------------------------------------
expect 0 office publish dispatch --period 2018-03
contains "published the dispatch summary of 2018-03 at 2018-04-11T10:00:00+08:00 by office" "$OUT"
contains "PublishService/Publish plan= period=2018-03 kind=dispatch" "$(cat "$LOG")"
expect 0 office publish scores --period 2018-Q1 --plan czh2018
contains "published the scores of 2018-Q1" "$OUT"
contains "plan=czh2018 period=2018-Q1 kind=scores" "$(cat "$LOG")"

e2e_finish
