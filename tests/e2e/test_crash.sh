#!/usr/bin/env bash
# Crash safety: concurrent reporters submit while the server is killed with
# SIGKILL at random moments and restarted.  Afterwards every submission
# whose OK reply a client received must be stored with its exact values, no
# stored version may be partial, and PRAGMA integrity_check must say ok.
#   PW_CRASH_ROUNDS (default 4), PW_CRASH_CLIENTS (default 6): a longer run
#   for people, e.g. PW_CRASH_ROUNDS=50 ctest -R crash
source "$(dirname "$0")/lib.sh"
ROUNDS=${PW_CRASH_ROUNDS:-4}
CLIENTS=${PW_CRASH_CLIENTS:-6}
NV=5
e2e_start 2018-02-03T10:00:00+08:00
# the clients amend one report per unit for as long as the test runs: no cap
server_down
E2E_SERVER_OPTS+=(--max-report-versions 100000 --max-report-bytes 1073741824)
server_up
{
  echo "indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units"
  for i in $(seq 1 $NV); do echo "V$i,a,b,指标$i,套,level,up,,"; done
} > "$E2E_DIR/ind.csv"
{
  echo "indicator_id,year,unit,target,baseline"
  for c in $(seq 1 "$CLIENTS"); do for i in $(seq 1 $NV); do echo "V$i,2018,u$c,1000000,"; done; done
} > "$E2E_DIR/tgt.csv"
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
for c in $(seq 1 "$CLIENTS"); do
  pwadmin unit add "u$c" --name "县$c" --category county >/dev/null
  echo "pw-u$c-123" | pwadmin user add "r$c" --role reporter --unit "u$c" --password-file - >/dev/null
done
expect 0 as office office111 plan import --plan p --name crash --indicators "$E2E_DIR/ind.csv" --targets "$E2E_DIR/tgt.csv"

STOP=$E2E_DIR/stop
pids=()
for c in $(seq 1 "$CLIENTS"); do
  "$BIN/crash_client" "$PLANWATCH_SERVER" "r$c" "pw-u$c-123" 2018-01 $NV "$E2E_DIR/ack-$c" "$STOP" \
      2>>"$E2E_DIR/clients.log" &
  pids+=($!)
done
kills=0
for r in $(seq 1 "$ROUNDS"); do
  sleep "0.$((RANDOM % 7 + 3))"
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  kills=$((kills + 1))
  rm -f "$E2E_DIR/s.sock"
  server_up
done
sleep 0.5
touch "$STOP"
for p in "${pids[@]}"; do wait "$p" || fail "a client failed: $(tail -3 "$E2E_DIR/clients.log")"; done
server_down || true

cat "$E2E_DIR"/ack-* > "$E2E_DIR/acks"
acked=$(wc -l < "$E2E_DIR/acks")
[ "$acked" -gt 0 ] && pass || fail "no submission was acknowledged"
bad=$(python3 - "$DB" "$E2E_DIR/acks" "$NV" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); nv = int(sys.argv[3]); bad = 0
for line in open(sys.argv[2]):
    sid, base = line.split(); base = int(base)
    rows = db.execute("SELECT rv.indicator_id, rv.value FROM report_versions v JOIN report_values rv"
                      " ON rv.report_id = v.report_id AND rv.version = v.version"
                      " WHERE v.submission_id = ?", (sid,)).fetchall()
    want = {"V%d" % (i + 1): float(base + i) for i in range(nv)}
    if dict(rows) != want:
        bad += 1; print("lost or wrong:", sid, rows, file=sys.stderr)
partial = db.execute("SELECT count(*) FROM report_versions v WHERE (SELECT count(*) FROM"
                     " report_values rv WHERE rv.report_id = v.report_id AND rv.version ="
                     " v.version) <> ?", (nv,)).fetchone()[0]
print(bad + partial)
PY
)
[ "$bad" = 0 ] && pass || fail "$bad acknowledged submissions lost, wrong or partial"
db_intact
stored=$(sqlite3 "$DB" "select count(*) from report_versions")
echo "crash test: $kills kill -9 rounds, $acked acknowledged submissions checked, $stored stored"
e2e_finish
