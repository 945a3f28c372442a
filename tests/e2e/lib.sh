# Shared helpers for the end-to-end tests: they drive the real programs
# (planwatchd, planwatch, planwatch-admin) over a real ipc:// socket with a
# real SQLite file in a private temp dir.  Source it, then call e2e_start.
set -euo pipefail
BIN=${PW_BIN_DIR:?PW_BIN_DIR is set by ctest}
SRC=${PW_SOURCE_DIR:?PW_SOURCE_DIR is set by ctest}
E2E_DIR=$(mktemp -d /tmp/pwe2e-XXXXXX)
export XDG_CONFIG_HOME=$E2E_DIR/config
export PLANWATCH_SERVER=ipc://$E2E_DIR/s.sock
unset PLANWATCH_USER PLANWATCH_PASSWORD PLANWATCH_NEW_PASSWORD
DB=$E2E_DIR/test.db
CLOCK=$E2E_DIR/clock
SERVER_LOG=$E2E_DIR/server.log
SERVER_PID=
# PW_WRAP runs every program under a tool, e.g. valgrind (see README)
read -r -a WRAP <<< "${PW_WRAP:-}"
FAILS=0
CHECKS=0
# 1 when the programs are the AddressSanitizer build: tests that bound time
# or memory scale their bounds for it (instrumented code is slower and ASan's
# allocator keeps freed memory in quarantine); the real build gets the bound
SANITIZED=0
# (no `ldd | grep -q`: with pipefail, grep's early exit can kill ldd with
# SIGPIPE and the test would then take a sanitized build for a plain one)
case "$(ldd "$BIN/planwatchd" 2>/dev/null)" in *libasan*) SANITIZED=1 ;; esac

e2e_cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$FAILS" -eq 0 ]; then rm -rf "$E2E_DIR"; else echo "kept $E2E_DIR for inspection"; fi
}
trap e2e_cleanup EXIT

# cheap hashing for tests; the shipped defaults are measured by the benchmark.
# The functional tests log in hundreds of times a minute as one local user:
# the per-source login rate limit (on by default) is tested by test_limits.c.
E2E_SERVER_OPTS=(--pwhash-opslimit 1 --pwhash-memlimit-kib 8 --session-ttl-s 63072000
                 --rate-logins-per-min 0)

set_clock() { echo "$1" > "$CLOCK.tmp"; mv "$CLOCK.tmp" "$CLOCK"; }

e2e_start() { # [initial clock]
  set_clock "${1:-2018-01-10T09:00:00+08:00}"
  PLANWATCH_PASSWORD=rootpass1 "${WRAP[@]}" "$BIN/planwatchd" init --db "$DB" --admin root \
      "${E2E_SERVER_OPTS[@]}" --clock-file "$CLOCK" >/dev/null
  server_up
}

server_up() {
  "${WRAP[@]}" "$BIN/planwatchd" --db "$DB" --listen "$PLANWATCH_SERVER" --clock-file "$CLOCK" \
      "${E2E_SERVER_OPTS[@]}" --workers 4 2>>"$SERVER_LOG" &
  SERVER_PID=$!
  for _ in $(seq 1 400); do
    [ -S "$E2E_DIR/s.sock" ] && return 0
    sleep 0.05
  done
  echo "server did not start"; cat "$SERVER_LOG"; exit 1
}

# a loopback TCP port that nobody listens on now (for --http-listen)
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# board_up [extra planwatchd options...]: the server with the board on a free
# port at $BOARD (http://127.0.0.1:PORT); waits until /healthz answers.
board_up() {
  BOARD=http://127.0.0.1:$(free_port)
  "${WRAP[@]}" "$BIN/planwatchd" --db "$DB" --listen "$PLANWATCH_SERVER" --clock-file "$CLOCK" \
      "${E2E_SERVER_OPTS[@]}" --workers 4 --http-listen "$BOARD" "$@" 2>>"$SERVER_LOG" &
  SERVER_PID=$!
  for _ in $(seq 1 400); do
    curl -sf -o /dev/null "$BOARD/healthz" 2>/dev/null && [ -S "$E2E_DIR/s.sock" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "board did not start"; cat "$SERVER_LOG"; exit 1
}

server_down() { # SIGTERM and check exit status 0
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  rm -f "$E2E_DIR/s.sock"
  return $rc
}

pass() { CHECKS=$((CHECKS+1)); }
fail() { CHECKS=$((CHECKS+1)); FAILS=$((FAILS+1)); echo "FAIL: $*" >&2; }

# expect CODE CMD... : run CMD, check its exit code; output in $OUT, stderr in $ERR
expect() {
  local want=$1; shift
  local rc=0
  OUT=$("$@" 2>"$E2E_DIR/stderr") || rc=$?
  ERR=$(cat "$E2E_DIR/stderr")
  if [ "$rc" -eq "$want" ]; then pass; else fail "exit $rc, wanted $want: $* -- $ERR"; fi
}
# contains TEXT HAYSTACK
contains() { if [[ "$2" == *"$1"* ]]; then pass; else fail "expected '$1' in: $2"; fi; }
not_contains() { if [[ "$2" != *"$1"* ]]; then pass; else fail "did not expect '$1' in: $2"; fi; }

pw() { "${WRAP[@]}" "$BIN/planwatch" "$@"; }
pwadmin() { PLANWATCH_PASSWORD=rootpass1 "${WRAP[@]}" "$BIN/planwatch-admin" --user root "$@"; }
as() { # as USER PASSWORD planwatch args...
  local u=$1 p=$2; shift 2
  PLANWATCH_PASSWORD=$p "${WRAP[@]}" "$BIN/planwatch" --user "$u" "$@"
}

# Shared set-ups (after e2e_start).
# rep_accounts [--without-newzone]: the units of data/rep_*.csv (newzone,
# active from 2018-07-01, unless told), the office (office111) and jishou's
# reporter li (reporter11), who act through office and li.
rep_accounts() {
  pwadmin unit add jishou --name 吉首市 --category county >/dev/null
  pwadmin unit add luxi --name 泸溪县 --category county >/dev/null
  pwadmin unit add zhujian --name 州住建局 --category department >/dev/null
  if [ "${1:-}" != --without-newzone ]; then
    pwadmin unit add newzone --name 新区 --category county --active-from 2018-07-01 >/dev/null
  fi
  echo office111 | pwadmin user add office --role office --password-file - >/dev/null
  echo reporter11 | pwadmin user add li --role reporter --unit jishou --password-file - >/dev/null
}
office() { as office office111 "$@"; }
li() { as li reporter11 "$@"; }
# rep_plan [import options...]: the office imports plan p of data/rep_*.csv
rep_plan() {
  expect 0 office plan import --plan p --name 行动计划 --indicators "$SRC/tests/e2e/data/rep_indicators.csv" \
    --targets "$SRC/tests/e2e/data/rep_targets.csv" "$@"
}
# the number of stored report versions
versions() { sqlite3 "$DB" "select count(*) from report_versions"; }
# The units of the scoring tests (data/mini_*.csv; charlie active from
# 2018-02-01) and the office.
score_units() {
  for u in alpha bravo delta echo; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
  pwadmin unit add charlie --name 县charlie --category county --active-from 2018-02-01 >/dev/null
  for u in dept_fin dept_hou; do pwadmin unit add $u --name "局$u" --category department >/dev/null; done
  echo office111 | pwadmin user add office --role office --password-file - >/dev/null
}
# The office imports the mini plan and its county and department score sheets.
mini_plan_sheets() {
  local D=$SRC/tests/e2e/data
  expect 0 office plan import --plan mini --name 迷你计划 --indicators "$D/mini_indicators.csv" --targets "$D/mini_targets.csv"
  expect 0 office sheet import "$D/mini_sheet_county.csv" --category county
  expect 0 office sheet import "$D/mini_sheet_department.csv" --category department
}
# The plan of data/mini_*.csv, imported by the office (office111), with its
# seven units and alpha's reporter r_alpha (pw-alpha-1).
mini_plan() {
  for u in alpha bravo charlie delta echo; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
  for u in dept_fin dept_hou; do pwadmin unit add $u --name "局$u" --category department >/dev/null; done
  echo office111 | pwadmin user add office --role office --password-file - >/dev/null
  echo pw-alpha-1 | pwadmin user add r_alpha --role reporter --unit alpha --password-file - >/dev/null
  expect 0 as office office111 plan import --plan mini --name 迷你计划 --indicators "$SRC/tests/e2e/data/mini_indicators.csv" --targets "$SRC/tests/e2e/data/mini_targets.csv"
}

# the audit trail: "method object" lines, oldest first
audit_trail() { sqlite3 "$DB" "select method||' '||object from audit"; }
# PRAGMA integrity_check says ok
db_intact() { [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] && pass || fail "integrity_check"; }
# SIGTERM: exit 0, database intact
server_down_intact() {
  server_down && pass || fail "SIGTERM exit status"
  db_intact
}

e2e_finish() {
  echo "$CHECKS checks, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
