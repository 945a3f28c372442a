#!/usr/bin/env bash
# /metrics on the HTTP listener (SPEC 5.4, issue 17), scraped with curl from
# a real planwatchd: the text format, and counters that move with the calls
# made through the CLIs -- calls and errors per method, the latency
# histogram, reports per period, sessions, database figures, last backup.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "SKIP: no curl (scripts/deps installs it)"; exit 77; }
D=$SRC/tests/e2e/data
PLANWATCH_PASSWORD=rootpass1 "$BIN/planwatchd" init --db "$DB" --admin root "${E2E_SERVER_OPTS[@]}" >/dev/null
set_clock 2018-02-02T09:00:00+08:00
board_up
for u in alpha bravo charlie delta echo; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
for u in dept_fin dept_hou; do pwadmin unit add $u --name "局$u" --category department >/dev/null; done
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
echo pw-alpha-1 | pwadmin user add r_alpha --role reporter --unit alpha --password-file - >/dev/null
expect 0 as office office111 plan import --plan mini --name 迷你计划 --indicators "$D/mini_indicators.csv" --targets "$D/mini_targets.csv"
expect 0 as r_alpha pw-alpha-1 login

SUBMIT=/planwatch.v1.ReportService/Submit
scrape() { # -> $M (the body); checks status, content type and the format of every line
  local head
  head=$(curl -s -D - -o "$E2E_DIR/metrics" "$BOARD/metrics" | tr -d '\r')
  M=$(cat "$E2E_DIR/metrics")
  contains "HTTP/1.1 200" "$head"
  contains "Content-Type: text/plain; version=0.0.4" "$head"
  python3 - "$E2E_DIR/metrics" <<'PY' && pass || fail "Prometheus text format"
import re, sys
types = {}
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    m = re.match(r"# TYPE (\w+) (counter|gauge|histogram)$", line)
    if m: types[m.group(1)] = m.group(2); continue
    if line.startswith("# HELP "): continue
    m = re.match(r'([a-zA-Z_:][\w:]*)(\{([a-zA-Z_]\w*="(\\.|[^"\\])*",?)*\})? (\S+)$', line)
    assert m, f"line {n}: {line!r}"
    float(m.group(5))
    base = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
    assert m.group(1) in types or base in types, f"line {n}: no TYPE for {m.group(1)}"
PY
}
val() { # SERIES -> its value in $M, 0 when absent
  python3 - "$E2E_DIR/metrics" "$1" <<'PY'
import sys
want = sys.argv[2]
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith(want + " "):
        print(line.split()[-1]); break
else:
    print(0)
PY
}
eq() { if python3 -c "import sys; sys.exit(0 if abs(float('$1') - float('$2')) < 1e-9 else 1)"; then pass; else fail "$3: $1, wanted $2"; fi; }

expect 0 curl -sf "$BOARD/healthz"
scrape
calls0=$(val "planwatch_calls_total{method=\"$SUBMIT\"}")
count0=$(val "planwatch_call_duration_seconds_count{method=\"$SUBMIT\"}")
inv0=$(val "planwatch_call_errors_total{method=\"$SUBMIT\",code=\"INVALID_ARGUMENT\"}")
jan0=$(val 'planwatch_reports_received_total{period="2018-01"}')
eq "$(val planwatch_last_backup_timestamp_seconds)" 0 "no backup yet"
sessions0=$(val planwatch_sessions)
[ "$(val planwatch_database_bytes)" -gt 0 ] && pass || fail "database size"
contains 'planwatch_build_info{version="' "$M"

# two stored versions, one resend of the same id (not a new report), one refused
printf 'indicator_id,indicator,unit_of_measure,target,value,note\nI01,,,,5,\nI02,,,,4,\n' > "$E2E_DIR/a.csv"
expect 0 pw report submit --period 2018-01 "$E2E_DIR/a.csv" --id m-1
expect 0 pw report submit --period 2018-01 "$E2E_DIR/a.csv" --id m-1
printf 'indicator_id,indicator,unit_of_measure,target,value,note\nI01,,,,6,\nI02,,,,4,\n' > "$E2E_DIR/b.csv"
expect 0 pw report submit --period 2018-01 "$E2E_DIR/b.csv" --id m-2
printf 'indicator_id,indicator,unit_of_measure,target,value,note\nI01,,,,lots,\n' > "$E2E_DIR/c.csv"
expect 1 pw report submit --period 2018-01 "$E2E_DIR/c.csv"
expect 0 as office office111 whoami       # one more session
expect 0 "$BIN/planwatchd" backup --db "$DB" --to "$E2E_DIR/b.db"
scrape
eq "$(val "planwatch_calls_total{method=\"$SUBMIT\"}")" $((calls0 + 4)) "Submit calls"
eq "$(val "planwatch_call_duration_seconds_count{method=\"$SUBMIT\"}")" $((count0 + 4)) "Submit histogram count"
eq "$(val "planwatch_call_duration_seconds_bucket{method=\"$SUBMIT\",le=\"+Inf\"}")" $((count0 + 4)) "+Inf bucket"
eq "$(val "planwatch_call_errors_total{method=\"$SUBMIT\",code=\"INVALID_ARGUMENT\"}")" $((inv0 + 1)) "Submit INVALID_ARGUMENT"
eq "$(val 'planwatch_reports_received_total{period="2018-01"}')" $((jan0 + 2)) "reports received for 2018-01"
[ "$(val planwatch_sessions)" -gt "$sessions0" ] && pass || fail "sessions grew"
now=$(date +%s)
b=$(val planwatch_last_backup_timestamp_seconds)
[ "$b" -gt $((now - 60)) ] && [ "$b" -le $((now + 1)) ] && pass || fail "last backup time $b (now $now)"
e2e_finish
