#!/usr/bin/env bash
# planwatchd backup / restore / check (SPEC 5.4, issue 17) on a server that
# keeps taking reports: the copy is a consistent snapshot (every report
# acknowledged before the backup began is in it, the checks pass, a server
# opens it), restore refuses a damaged file and keeps the database it
# replaces, check's exit code follows integrity_check and foreign_key_check.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/e2e/data
# the submitter below amends one report without end: lift the version cap
E2E_SERVER_OPTS+=(--max-report-versions 100000)
e2e_start 2018-02-02T09:00:00+08:00
for u in alpha bravo charlie delta echo; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
for u in dept_fin dept_hou; do pwadmin unit add $u --name "局$u" --category department >/dev/null; done
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
echo pw-alpha-1 | pwadmin user add r_alpha --role reporter --unit alpha --password-file - >/dev/null
expect 0 as office office111 plan import --plan mini --name 迷你计划 --indicators "$D/mini_indicators.csv" --targets "$D/mini_targets.csv"
expect 0 as r_alpha pw-alpha-1 login
versions() { # the number of versions of alpha's January report the server at $PLANWATCH_SERVER holds
  as office office111 report history --period 2018-01 --unit alpha --json |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["versions"]))' 2>/dev/null || echo 0
}

# a reporter submits in a loop (each time other values: a new version) and
# writes the number of each acknowledged submit to acked
ACKED=$E2E_DIR/acked
submitter() {
  local i=0
  while [ ! -e "$E2E_DIR/stop" ]; do
    i=$((i + 1))
    printf 'indicator_id,indicator,unit_of_measure,target,value,note\nI01,,,,%d,\nI02,,,,%d,\n' $i $i > "$E2E_DIR/s.csv"
    if pw report submit --period 2018-01 "$E2E_DIR/s.csv" >/dev/null 2>&1; then echo $i >> "$ACKED"; fi
  done
}
submitter & SUBMITTER=$!
while [ ! -s "$ACKED" ] || [ "$(wc -l < "$ACKED")" -lt 5 ]; do sleep 0.1; done
before=$(wc -l < "$ACKED")
expect 0 "$BIN/planwatchd" backup --db "$DB" --to "$E2E_DIR/copy1.db" --step-pages 2
contains "written to $E2E_DIR/copy1.db" "$OUT"
after=$(wc -l < "$ACKED")
sleep 0.5
touch "$E2E_DIR/stop"; wait $SUBMITTER
total=$(wc -l < "$ACKED")
[ "$total" -gt "$after" ] && pass || fail "submits kept being acknowledged during and after the backup ($before $after $total)"
[ "$(stat -c %a "$E2E_DIR/copy1.db")" = 600 ] && pass || fail "the copy is readable by its owner only"
ls "$E2E_DIR"/copy1.db.tmp-* >/dev/null 2>&1 && fail "temporary copy left behind" || pass

expect 0 "$BIN/planwatchd" check --db "$E2E_DIR/copy1.db"
contains "integrity_check: ok" "$OUT"
contains "foreign_key_check: ok" "$OUT"
# a second server on the copy: a consistent snapshot taken between $before and $after
LIVE_SERVER=$PLANWATCH_SERVER
export PLANWATCH_SERVER=ipc://$E2E_DIR/copy.sock
"$BIN/planwatchd" --db "$E2E_DIR/copy1.db" --listen "$PLANWATCH_SERVER" --clock-file "$CLOCK" \
    "${E2E_SERVER_OPTS[@]}" 2>>"$SERVER_LOG" & COPY_PID=$!
for _ in $(seq 200); do [ -S "$E2E_DIR/copy.sock" ] && break; sleep 0.05; done
n=$(versions)
kill -TERM $COPY_PID; wait $COPY_PID || fail "the server on the copy stopped cleanly"
export PLANWATCH_SERVER=$LIVE_SERVER
if [ "$n" -ge "$before" ] && [ "$n" -le $((after + 1)) ]; then pass
else fail "copy holds $n versions: wanted between $before (acknowledged before) and $after (+1 in flight)"; fi
live=$(versions)
[ "$live" -eq "$total" ] && pass || fail "the live server holds $live versions, $total acknowledged"

# check: exit 1 and the finding on a broken foreign key and on a file that is no database
python3 -c '
import sqlite3,sys; c=sqlite3.connect(sys.argv[1])
c.executescript("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE ch(id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id)); INSERT INTO ch VALUES (1, 5); PRAGMA user_version=1;")' "$E2E_DIR/fk.db"
expect 1 "$BIN/planwatchd" check --db "$E2E_DIR/fk.db"
contains "foreign_key_check: table ch row 1 refers to a missing row of p" "$OUT"
contains "(DATA_LOSS)" "$ERR"
head -c 8192 /dev/urandom > "$E2E_DIR/junk.db"
expect 1 "$BIN/planwatchd" check --db "$E2E_DIR/junk.db"
contains "junk.db" "$ERR"
expect 1 "$BIN/planwatchd" check --db "$E2E_DIR/none.db"
expect 2 "$BIN/planwatchd" backup --db "$DB"
contains "needs --to FILE" "$ERR"
expect 1 "$BIN/planwatchd" backup --db "$DB" --to "$DB"
contains "cannot replace its own database" "$ERR"

# a copy with a damaged page: check finds it, restore refuses it, nothing changes
cp "$E2E_DIR/copy1.db" "$E2E_DIR/damaged.db"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ps = c.execute("PRAGMA page_size").fetchone()[0]
root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", ("report_versions",)).fetchone()[0]
c.close()
f = open(sys.argv[1], "r+b"); f.seek((root - 1) * ps); f.write(b"\x0b" + b"\xff" * 7)' "$E2E_DIR/damaged.db"
expect 1 "$BIN/planwatchd" check --db "$E2E_DIR/damaged.db"
sum_before=$(sha256sum "$DB" | cut -d' ' -f1)
expect 1 "$BIN/planwatchd" restore --from "$E2E_DIR/damaged.db" --db "$DB"
contains "nothing restored" "$ERR"
expect 1 "$BIN/planwatchd" restore --from "$E2E_DIR/fk.db" --db "$DB"
contains "nothing restored" "$ERR"
[ "$(sha256sum "$DB" | cut -d' ' -f1)" = "$sum_before" ] && pass || fail "a refused restore changed the database"
ls "$DB".before-restore-* >/dev/null 2>&1 && fail "a refused restore left a copy aside" || pass

# restore the copy with the server stopped: the later versions are gone, the old file is kept
server_down || fail "server stopped cleanly"
expect 0 "$BIN/planwatchd" restore --from "$E2E_DIR/copy1.db" --db "$DB"
contains "kept as $DB.before-restore-" "$OUT"
aside=$(ls "$DB".before-restore-*)
expect 0 "$BIN/planwatchd" check --db "$aside"
server_up
[ "$(versions)" -eq "$n" ] && pass || fail "restored server holds the copy's $n versions"
# the database set aside is the one replaced: a server on it has them all
server_down || fail "server stopped cleanly"
cp "$aside" "$E2E_DIR/aside.db"
mv "$DB" "$E2E_DIR/restored.db"; rm -f "$DB-wal" "$DB-shm"; cp "$E2E_DIR/aside.db" "$DB"
server_up
[ "$(versions)" -eq "$total" ] && pass || fail "the database kept aside holds all $total versions"
# restore under a running server: it serves the copy at once and keeps writing
rm -f "$DB".before-restore-*
expect 0 "$BIN/planwatchd" restore --from "$E2E_DIR/copy1.db" --db "$DB"
[ "$(versions)" -eq "$n" ] && pass || fail "the running server serves the restored copy ($n versions)"
printf 'indicator_id,indicator,unit_of_measure,target,value,note\nI01,,,,999,\n' > "$E2E_DIR/s.csv"
expect 0 pw report submit --period 2018-01 "$E2E_DIR/s.csv"
[ "$(versions)" -eq $((n + 1)) ] && pass || fail "a submit after a live restore is stored"
kill -0 "$SERVER_PID" && pass || fail "the server survives a live restore"
server_down || fail "server stopped cleanly"
expect 0 "$BIN/planwatchd" check --db "$DB"
e2e_finish
