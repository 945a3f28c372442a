#!/usr/bin/env bash
# The longest pause a reporter's submit sees while `planwatchd backup` runs
# on the benchmark's database (issue 17).
#
#   planwatch-bench --make-db /tmp/x/bench.db        # 3,000 units, a year
#   tests/bench/backup_pause.sh /tmp/x/bench.db [BUILD_DIR] [backup options...]
#
# Starts planwatchd on a copy of the database, one reporter submits (each
# time other values: a new version, one durable transaction) in a loop:
# first for 20 s without a backup, then during three backups.  Prints the
# longest and the 99th-percentile submit time of both phases (CLI wall time:
# process start, one RPC, the commit).
set -euo pipefail
SRCDB=${1:?usage: backup_pause.sh BENCH.db [BUILD_DIR] [backup options]}
BIN=${2:-$(cd "$(dirname "$0")/../.." && pwd)/build}; shift 2 || shift $#
DIR=$(mktemp -d /tmp/pwpause-XXXXXX)
trap 'kill $SPID 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"' EXIT
cp "$SRCDB" "$DIR/db"
export PLANWATCH_SERVER=ipc://$DIR/s.sock XDG_CONFIG_HOME=$DIR/cfg
"$BIN/planwatchd" --db "$DIR/db" --listen "$PLANWATCH_SERVER" --log-calls 0 2>"$DIR/log" & SPID=$!
for _ in $(seq 400); do [ -S "$DIR/s.sock" ] && break; sleep 0.05; done
PLANWATCH_PASSWORD=bench-reporter-1 "$BIN/planwatch" --user r0001 login >/dev/null
"$BIN/planwatch" report template --period 2018-01 --out "$DIR/t.csv" >/dev/null
i=0
submit_loop() { # PHASE_FILE STOP_CONDITION_CMD...
  local out=$1; shift
  while "$@"; do
    i=$((i + 1))
    python3 - "$DIR/t.csv" "$DIR/r.csv" "$i" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(rows[0])
i = int(sys.argv[3])
for r in rows[1:]:
    k = int(r[0][1:])  # the bench plan: B000.., every 10th a milestone, every 3rd cumulative
    r[4] = "in_progress" if k % 10 == 9 else str(i) if k % 3 == 0 else str(i % 70 + 1)
    w.writerow(r)
PY
    local t0 t1
    t0=$(date +%s%N)
    "$BIN/planwatch" report submit --period 2018-01 "$DIR/r.csv" >/dev/null 2>"$DIR/err" ||
      { echo "submit failed: $(cat "$DIR/err")"; exit 1; }
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >> "$out"
  done
}
END=$(( $(date +%s) + 20 ))
submit_loop "$DIR/base" bash -c "[ \$(date +%s) -lt $END ]"
# an older database is copied before the server migrates it: how long that took
grep -E 'ready|copied to|migrated' "$DIR/log" | sed 's/^/server: /'
# three backups back to back, so that enough submits fall inside them
( for k in 1 2 3; do "$BIN/planwatchd" backup --db "$DIR/db" --to "$DIR/copy.db" "$@"; done ) > "$DIR/backup.out" & BPID=$!
during() { kill -0 $BPID 2>/dev/null; }
submit_loop "$DIR/during" during
wait $BPID
cat "$DIR/backup.out"
"$BIN/planwatchd" check --db "$DIR/copy.db" | head -2
stats() { sort -n "$1" | awk '{a[NR]=$1} END {printf "%d submits, p50 %.1f ms, p99 %.1f ms, longest %.1f ms\n", NR, a[int(NR*0.5)+1]/1000, a[int(NR*0.99)+1]/1000, a[NR]/1000}'; }
echo "without a backup: $(stats "$DIR/base")"
echo "during the backups: $(stats "$DIR/during")"
