#!/usr/bin/env bash
# planwatchd backup / restore with the paths an operator gets wrong, on a
# running server: a copy over the database's own -wal or -shm file (it was
# written, the running server's uncheckpointed commits orphaned and every new
# connection read 'disk I/O error'), a directory that does not exist or is a
# file (the error named a temporary file and said 'unable to open database
# file'), a restore from the database itself, two restores in one second
# (the second's kept copy overwrote the first's, losing the original).
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/e2e/data
T=$E2E_DIR
e2e_start 2018-02-02T09:00:00+08:00
for u in alpha bravo charlie delta echo; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
for u in dept_fin dept_hou; do pwadmin unit add $u --name "局$u" --category department >/dev/null; done
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
echo pw-alpha-1 | pwadmin user add r_alpha --role reporter --unit alpha --password-file - >/dev/null
expect 0 as office office111 plan import --plan mini --name 迷你计划 --indicators "$D/mini_indicators.csv" --targets "$D/mini_targets.csv"
submit() { printf 'indicator_id,value\nI01,%s\n' "$1" > "$T/s.csv"; as r_alpha pw-alpha-1 report submit --period 2018-01 "$T/s.csv" >/dev/null; }
nversions() { sqlite3 "$1" "select count(*) from report_versions"; }
submit 1
[ -e "$DB-wal" ] && pass || fail "no WAL file: the test would prove nothing"
wal_inode=$(stat -c %i "$DB-wal")
for f in "$DB-wal" "$DB-shm" "$T/./$(basename "$DB")-wal" "$DB-journal"; do
  expect 1 "$BIN/planwatchd" backup --db "$DB" --to "$f"
  contains "a backup cannot replace its own database or its -wal, -shm or -journal file" "$ERR"
done
[ "$(stat -c %i "$DB-wal")" = "$wal_inode" ] && pass || fail "the WAL file was replaced"
[ -e "$DB-journal" ] && fail "a -journal file was written" || pass
expect 0 "$BIN/planwatchd" check --db "$DB"
submit 2
expect 1 "$BIN/planwatchd" backup --db "$DB" --to "$T/no/such/dir/copy.db"
contains "$T/no/such/dir/copy.db: cannot write there: directory $T/no/such/dir: No such file or directory" "$ERR"
not_contains ".tmp-" "$ERR"
touch "$T/afile"
expect 1 "$BIN/planwatchd" backup --db "$DB" --to "$T/afile/copy.db"
contains "cannot write there: $T/afile is not a directory" "$ERR"
ls "$T"/*.tmp-* >/dev/null 2>&1 && fail "a temporary file was left" || pass

# restore: not from the database itself; two restores in one second keep two copies
expect 0 "$BIN/planwatchd" backup --db "$DB" --to "$T/copy.db"
submit 3
expect 1 "$BIN/planwatchd" restore --from "$DB" --db "$DB"
contains "is the database itself (or its -wal/-shm file): nothing restored" "$ERR"
server_down
expect 0 "$BIN/planwatchd" restore --from "$T/copy.db" --db "$DB"
expect 0 "$BIN/planwatchd" restore --from "$T/copy.db" --db "$DB"
kept=$(ls "$DB".before-restore-* | wc -l)
[ "$kept" = 2 ] && pass || fail "$kept kept copies, wanted 2 (one per restore)"
# the first kept copy is the database before any restore: 3 versions
first=$(ls -tr "$DB".before-restore-* | head -1)
[ "$(nversions "$first")" = 3 ] && pass || fail "the first kept copy has $(nversions "$first") versions, wanted 3"
[ "$(nversions "$DB")" = 2 ] && pass || fail "restored database has $(nversions "$DB") versions, wanted 2"
e2e_finish
