#!/usr/bin/env bash
# Hostile report files and values through the real CLI and server (issue 10,
# issue 14): each gets a clear error, the CLI's memory stays bounded (peak
# RSS by /usr/bin/time when installed) and nothing is stored.
source "$(dirname "$0")/lib.sh"
T=$E2E_DIR
e2e_start 2018-03-02T09:00:00+08:00
rep_accounts --without-newzone
rep_plan
before=$(versions)
# rss_below KB ARGS...: `planwatch ARGS` as li must exit 2 (output as for
# expect) with a peak RSS below KB
rss_below() {
  local max=$1; shift
  if [ "$SANITIZED" = 1 ]; then max=$((max * 3)); fi # ASan's allocator and quarantine
  if [ -x /usr/bin/time ]; then
    expect 2 env PLANWATCH_PASSWORD=reporter11 /usr/bin/time -f "rss=%M" -o "$T/rss" \
      "$BIN/planwatch" --user li "$@"
    local rss; rss=$(sed -n 's/^rss=//p' "$T/rss")
    if [ "$rss" -lt "$max" ]; then pass; else fail "peak RSS $rss KB >= $max KB: $*"; fi
  else
    expect 2 li "$@"
  fi
}

# a file far larger than any report: refused before it is read
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '\n' > "$T/big.csv"
rss_below 20000 report submit --period 2018-02 "$T/big.csv"
contains "big.csv is larger than 16 MiB (a monthly report file is a few hundred KB" "$ERR"
# two million rows: refused at row 10001, not sent
python3 -c "import sys; sys.stdout.write('indicator_id,value\n' + 'C1,20\n' * 2000000)" > "$T/rows.csv"
rss_below 40000 report submit --period 2018-02 "$T/rows.csv"
contains "rows.csv: line 10002: more than 10000 rows with a value" "$ERR"

# a narrative far larger than the server's texts: refused before it is read
printf 'indicator_id,value\nC1,20\n' > "$T/ok.csv"
head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' 'x' > "$T/narr.md"
rss_below 20000 report submit --period 2018-02 "$T/ok.csv" "$T/narr.md"
contains "narr.md is larger than 4 MiB" "$ERR"

# a request the server drops (far above its max-message-bytes): the wait
# ends with a word on the size, not only "no reply" as for a server that is down
"$BIN/planwatchd" --db "$DB" --listen "ipc://$T/small.sock" --max-message-bytes 1024 \
  "${E2E_SERVER_OPTS[@]}" --clock-file "$CLOCK" 2>>"$SERVER_LOG" & SMALL=$!
for _ in $(seq 1 100); do [ -S "$T/small.sock" ] && break; sleep 0.05; done
head -c $((200 * 1024)) /dev/zero | tr '\0' 'x' > "$T/narr2.md"
expect 3 env PLANWATCH_SERVER="ipc://$T/small.sock" PLANWATCH_PASSWORD=reporter11 \
  "$BIN/planwatch" --user li --timeout 1500 report submit --period 2018-02 "$T/ok.csv" "$T/narr2.md"
contains "(the request was 2049" "$ERR"
contains "bytes: a server drops a request far larger than its max-message-bytes" "$ERR"
kill -TERM $SMALL; wait $SMALL || true

# values: beyond 10^15 refused in a CSV and in a workbook (1e308 was stored
# with a warning; a workbook's 1E+308 became a 309-digit 'not a finite number
# (too long)'), underflow refused, NaN/inf refused
X="python3 $SRC/tests/e2e/xlsx_tool.py"
printf 'indicator_id,value\nC1,1e308\nL1,NaN\n' > "$T/big.csv"
expect 1 li report submit --period 2018-02 "$T/big.csv"
contains "C1: '1e308' is out of range: a value is at most 1,000,000,000,000,000 (10^15) either way (line 2)" "$ERR"
contains "L1: 'NaN' is not a finite number (line 3)" "$ERR"
$X make "$T/big.xlsx" C1=n:1e308 L1=n:4.9e-324
expect 1 li report submit --period 2018-02 "$T/big.xlsx"
contains "C1: '1e+308' is out of range" "$ERR"
contains "(cell E3)" "$ERR"
contains "L1: '4.94065645841247e-324' is too close to 0 to be stored" "$ERR"
[ "$(versions)" = "$before" ] && pass || fail "a refused file stored something"
# -0 is 0 (it was stored as -0 and shown as '-0 %')
printf 'indicator_id,value\nC1,-0\nL1,－0\n' > "$T/m0.csv"
expect 0 li report submit --period 2018-02 "$T/m0.csv"
not_contains "warning: C1" "$OUT"   # was: cumulative value -0 is below ...
contains "normalised: L1: '－0' read as 0 (line 3)" "$OUT"
same() { if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', wanted '$2'"; fi; }
same "$(li report show --period 2018-02 --json | python3 -c '
import json, sys
print(" ".join(sorted("%s=%s" % (x["indicator"], x["value"]) for x in json.load(sys.stdin)["values"])))')" \
     "C1=0 L1=0" "-0 stored"

# a formula caching a 90 KB note: the note and its cell are named (was:
# "C1: 90000 bytes, more than the 65536 allowed")
python3 - "$T/note.xlsx" <<'PY'
import sys, zipfile
sys.path.insert(0, sys.argv[0] and "%s/tests/e2e" % __import__("os").environ["PW_SOURCE_DIR"])
import xlsx_tool as X
cell = lambda r, t: '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (r, t)
rows = ('<row r="1">' + cell("A1", "指标编号") + cell("B1", "本月值") + cell("C1", "说明") + '</row>'
        '<row r="2">' + cell("A2", "C1") + '<c r="B2"><v>20</v></c><c r="C2" t="str"><f>REPT("说",30000)</f><v>'
        + "说" * 30000 + '</v></c></row>')
sheet = '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (X.M, rows)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for n, d in [("[Content_Types].xml", X.CONTENT_TYPES), ("_rels/.rels", X.ROOT_RELS),
                 ("xl/workbook.xml", X.WORKBOOK), ("xl/_rels/workbook.xml.rels", X.WB_RELS),
                 ("xl/styles.xml", X.STYLES), ("xl/sharedStrings.xml", '<sst xmlns="%s"/>' % X.M),
                 ("xl/worksheets/sheet1.xml", sheet)]:
        z.writestr(n, d)
PY
expect 1 li report submit --period 2018-02 "$T/note.xlsx"
contains "C1: note: 90000 bytes, more than the 65536 allowed (cell B2)" "$ERR"
[ "$(versions)" = "$((before + 1))" ] && pass || fail "a refused file stored something"
e2e_finish
