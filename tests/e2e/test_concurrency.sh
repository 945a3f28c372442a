#!/usr/bin/env bash
# Concurrency and shutdown, through the real programs:
#  1. a write held up behind a database lock does not hold up other clients'
#     reads: with --workers 4 a whoami answers within 2 s while the write
#     waits; the same scenario with --workers 1 does NOT answer in time, which
#     shows that this test can tell the two apart (it fails on a one-worker
#     server);
#  2. SIGTERM with a call in flight: the call completes, its data is stored,
#     and the server exits 0.
# The lock is taken from outside by a second SQLite connection (python3's
# sqlite3), as a long backup or an operator's sqlite3 shell would.
source "$(dirname "$0")/lib.sh"

e2e_start
PLANWATCH_PASSWORD=rootpass1 expect 0 pw login --user root

# hold_lock SECONDS: a RESERVED lock on the database (writers wait, WAL
# readers do not) for SECONDS; prints nothing; runs in the background
hold_lock() {
  python3 - "$DB" "$1" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[1] + ".locked", "w").close()
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
PY
  LOCK_PID=$!
  for _ in $(seq 1 100); do [ -f "$DB.locked" ] && break; sleep 0.05; done
  rm -f "$DB.locked"
}

# while a write waits for the lock, can another client read within 2 s?
read_during_blocked_write() { # unit-id -> sets READ_RC
  hold_lock 6
  pwadmin unit add "$1" --name "单位$1" --category county >/dev/null 2>&1 &
  local writer=$!
  sleep 0.5 # the write is now parked in the writer, its worker waiting
  READ_RC=0
  pw --timeout 2000 whoami >/dev/null 2>&1 || READ_RC=$?
  wait "$writer" || fail "the blocked write $1 failed once the lock was gone"
  wait "$LOCK_PID"
}

read_during_blocked_write c1
[ "$READ_RC" -eq 0 ] && pass || fail "4 workers: whoami did not answer within 2 s (exit $READ_RC)"

server_down || fail "SIGTERM exit status"
# the same with one worker: the read must wait behind the write
"$BIN/planwatchd" --db "$DB" --listen "$PLANWATCH_SERVER" --clock-file "$CLOCK" \
    "${E2E_SERVER_OPTS[@]}" --workers 1 2>>"$SERVER_LOG" &
SERVER_PID=$!
for _ in $(seq 1 200); do [ -S "$E2E_DIR/s.sock" ] && break; sleep 0.05; done
read_during_blocked_write c2
[ "$READ_RC" -ne 0 ] && pass || fail "1 worker: whoami answered although the only worker was busy"
server_down || fail "SIGTERM exit status"

# SIGTERM while a write is in flight: it completes and is stored, exit 0
server_up
hold_lock 2
pwadmin unit add c3 --name 单位c3 --category county >"$E2E_DIR/c3.out" 2>&1 &
writer=$!
sleep 0.5
kill -TERM "$SERVER_PID"
rc=0; wait "$writer" || rc=$?
[ "$rc" -eq 0 ] && pass || fail "write in flight at SIGTERM: exit $rc: $(cat "$E2E_DIR/c3.out")"
rc=0; wait "$SERVER_PID" || rc=$?
SERVER_PID=
[ "$rc" -eq 0 ] && pass || fail "server exit status after SIGTERM with a call in flight: $rc"
wait "$LOCK_PID" || true
[ "$(sqlite3 "$DB" "select count(*) from units where id in ('c1','c2','c3')")" = 3 ] && pass \
  || fail "acknowledged units missing: $(sqlite3 "$DB" 'select id from units')"
db_intact

e2e_finish
