#!/usr/bin/env bash
# Issue 10 item 10: the default socket lives in a private directory
# ($XDG_RUNTIME_DIR/planwatch, 0700), the clients find it without
# --server, and the database with its -wal/-shm is readable by the
# server's user only (0600), also when an older one was 0644.
source "$(dirname "$0")/lib.sh"
unset PLANWATCH_SERVER
export XDG_RUNTIME_DIR=$E2E_DIR/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
SOCK=$XDG_RUNTIME_DIR/planwatch/planwatchd.sock
mode() { stat -c %a "$1"; }

set_clock 2018-01-10T09:00:00+08:00
PLANWATCH_PASSWORD=rootpass1 "$BIN/planwatchd" init --db "$DB" --admin root "${E2E_SERVER_OPTS[@]}" >/dev/null
[ "$(mode "$DB")" = 600 ] && pass || fail "database created $(mode "$DB"), wanted 600"

expect 0 "$BIN/planwatch" --help
contains "$SOCK" "$OUT"
not_contains "/tmp/planwatchd.sock" "$OUT"

start_default() {
  "$BIN/planwatchd" --db "$DB" --clock-file "$CLOCK" "${E2E_SERVER_OPTS[@]}" 2>>"$SERVER_LOG" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [ -S "$SOCK" ] && return 0; sleep 0.05; done
  fail "no socket at $SOCK"; cat "$SERVER_LOG"; exit 1
}
start_default
[ "$(mode "$XDG_RUNTIME_DIR/planwatch")" = 700 ] && pass || fail "socket dir is $(mode "$XDG_RUNTIME_DIR/planwatch")"
expect 0 as root rootpass1 whoami          # no --server: the default socket
contains "root (admin)" "$OUT"
expect 0 pwadmin unit add jishou --name 吉首市 --category county
for f in "$DB" "$DB-wal" "$DB-shm"; do
  [ -e "$f" ] || { fail "$f missing"; continue; }
  [ "$(mode "$f")" = 600 ] && pass || fail "$f is $(mode "$f"), wanted 600"
done
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=

# an older database made 0644 is made private at startup
chmod 644 "$DB"
start_default
[ "$(mode "$DB")" = 600 ] && pass || fail "old database left $(mode "$DB")"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=

# a socket directory open to others is refused with a clear error
chmod 755 "$XDG_RUNTIME_DIR/planwatch"
expect 1 "$BIN/planwatchd" --db "$DB" "${E2E_SERVER_OPTS[@]}"
contains "open to other users" "$ERR"
contains "--listen" "$ERR"
e2e_finish
