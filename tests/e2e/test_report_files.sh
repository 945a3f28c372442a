#!/usr/bin/env bash
# Report files the way clerks make them (SPEC 4.3, issue 14), through the real
# CLI and server: the XLSX template (protection, validation, print set-up)
# filled by a script and submitted; for one unit and month, GB18030 CSV,
# UTF-16 text, a workbook written by Python's zipfile, numbers as people type
# them -- each checked with `report show --json` against the intended values,
# warnings where SPEC 4.3 puts them; refused files name the cell and say what
# to do, with exit code 2.  Workbooks here are made by tests/e2e/xlsx_tool.py
# (zipfile + XML), never by the project's own writer.
source "$(dirname "$0")/lib.sh"
X="python3 $SRC/tests/e2e/xlsx_tool.py"
T=$E2E_DIR
e2e_start 2018-01-02T09:00:00+08:00
rep_accounts --without-newzone
rep_plan
# stored PERIOD: the stored values as "C1=10 L1=35.72 M1=in_progress" (sorted)
stored() {
  li report show --period "$1" --json | python3 -c '
import json, sys
v = json.load(sys.stdin)["values"]
print(" ".join(sorted("%s=%s" % (x["indicator"], x["value"]) for x in v)))'
}
same() { if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', wanted '$2'"; fi; }

# ---- the XLSX template -------------------------------------------------------------
set_clock 2018-02-01T09:00:00+08:00
expect 0 li report template --period 2018-01 --out "$T/t1.xlsx"
contains "written to $T/t1.xlsx" "$ERR"
head -c 4 "$T/t1.xlsx" | od -An -c | grep -q "P   K 003 004" && pass || fail "template is not a ZIP"
facts=$($X check "$T/t1.xlsx")
fact() { python3 -c "import json,sys; f=json.loads(sys.argv[1]); print(eval(sys.argv[2]))" "$facts" "$1"; }
contains "jishou 吉首市  2018-01 月报  报送截止 2018-02-05 23:59" "$(fact 'f["title"]')"
same "$(fact '",".join(f["headers"])')" "指标编号,指标名称,计量单位,目标,上月值,本月值,说明" "headers"
# protected without a password: ids and targets locked, value and note not
same "$(fact 'f["protection"].get("sheet")')" "1" "sheet protection"
same "$(fact '"password" in f["protection"] or "hashValue" in f["protection"]')" "False" "no password"
same "$(fact 'sorted(f["locked"])')" "['C1', 'L1', 'M1']" "rows of jishou"
same "$(fact 'all(r["指标编号"] and r["目标"] and not r["本月值"] and not r["说明"] for r in f["locked"].values())')" \
     "True" "only value and note editable"
same "$(fact 'f["orientation"], f["paper"]')" "('landscape', '9')" "A4 landscape"
# validation: C1 cumulative decimal with the 累计 message, L1 0-100, M1 a list
same "$(fact '[(v["sqref"], v["type"]) for v in f["validations"]]')" \
     "[('F4', 'decimal'), ('F5', 'decimal'), ('F6', 'list')]" "validations"
same "$(fact 'f["validations"][1]["formula1"], f["validations"][1]["formula2"]')" "('0', '100')" "% range"
contains "未启动,推进中,已完成" "$(fact 'f["validations"][2]["formula1"]')"
same "$(fact 'f["validations"][0]["promptTitle"]')" "累计" "cumulative input title"
contains "年初至本月的累计数" "$(fact 'f["validations"][0]["prompt"]')"

# filled by a script (value column only) and submitted: a round trip
$X fill "$T/t1.xlsx" "$T/f1.xlsx" C1=10 L1=35.72 M1=推进中
expect 0 li report submit --period 2018-01 "$T/f1.xlsx"
contains "read as XLSX workbook: 3 values" "$ERR"
contains "normalised: M1: '推进中' read as in_progress (cell F6): Chinese state name" "$OUT"
same "$(stored 2018-01)" "C1=10 L1=35.72 M1=in_progress" "XLSX template round trip"
# the CSV template keeps working (BOM, Chinese headers)
expect 0 li report template --period 2018-02 --out "$T/t2.csv"
head -c 3 "$T/t2.csv" | od -An -tx1 | grep -q "ef bb bf" && pass || fail "CSV template BOM"
contains "指标编号,指标名称,计量单位,目标,本月值,说明" "$(cat "$T/t2.csv")"
contains "L1,城镇化率 (上月 35.72),%,60,," "$(cat "$T/t2.csv")"

# ---- one unit, one month: every variant of the issue's table --------------------------
set_clock 2018-03-02T09:00:00+08:00
# "CSV (逗号分隔)" on a Chinese system: GB18030, CRLF, no BOM; trailing spaces;
# empty trailing columns
printf '指标编号,指标名称,计量单位,目标,本月值,说明,,,\r\nC1,棚户区改造,套,100,1500  ,按台账,,,\r\nL1,城镇化率,%%,60,29.40%%,,,,\r\nM1,户籍制度改革,,1,已完成,,,,\r\n,,,,,,,,\r\n' \
  | iconv -f UTF-8 -t GB18030 > "$T/gb.csv"
if LC_ALL=C grep -q $'\xef\xbb\xbf' "$T/gb.csv" || iconv -f UTF-8 -t UTF-8 "$T/gb.csv" >/dev/null 2>&1; then
  fail "gb.csv is UTF-8"; else pass; fi
expect 0 li report submit --period 2018-02 "$T/gb.csv"
contains "read as CSV (GB18030): 3 values" "$ERR"
same "$(stored 2018-02)" "C1=1500 L1=29.4 M1=done" "GB18030"
contains "normalised: C1: '1500  ' read as 1500 (line 2): spaces removed" "$OUT"
contains "normalised: L1: '29.40%' read as 29.40 (line 3): % sign removed" "$OUT"
contains "normalised: M1: '已完成' read as done (line 4): Chinese state name" "$OUT"

# "Unicode 文本": UTF-16 LE with BOM, tab-separated; full-width digits, a
# full-width thousands separator, an ideographic space
{ printf '\xff\xfe'; printf '指标编号\t指标名称\t本月值\t说明\r\nC1\t棚户区改造\t１，６００\t\r\nL1\t城镇化率\t　36\t\r\nM1\t户籍制度改革\t推进中\t"退回, 补材料"\r\n' \
  | iconv -f UTF-8 -t UTF-16LE; } > "$T/u16.txt"
expect 0 li report submit --period 2018-02 "$T/u16.txt"
contains "read as CSV (UTF-16 LE): 3 values" "$ERR"
same "$(stored 2018-02)" "C1=1600 L1=36 M1=in_progress" "UTF-16 LE"
contains "normalised: C1: '１，６００' read as 1600 (line 2): full-width characters, thousands separators removed" "$OUT"
contains "normalised: L1: '　36' read as 36 (line 3): spaces removed" "$OUT"
# UTF-16 BE, comma-separated, English headers, quoted "1,500"
{ printf '\xfe\xff'; printf 'indicator_id,indicator,unit_of_measure,target,value,note\nC1,x,套,100,"1,700",\nL1,y,%%,60,37,\n' \
  | iconv -f UTF-8 -t UTF-16BE; } > "$T/u16be.csv"
expect 0 li report submit --period 2018-02 "$T/u16be.csv"
same "$(stored 2018-02)" "C1=1700 L1=37" "UTF-16 BE"

# the .xlsx itself, written by Python's zipfile: stored values, never the
# display text (1310.5 shown as 1.31E+03), a formula by its cached value
$X make "$T/py.xlsx" C1=n:1310.5 L1=f:D4/3=33.25 M1=s:已完成
expect 0 li report submit --period 2018-02 "$T/py.xlsx"
contains "read as XLSX workbook: 3 values" "$ERR"
same "$(stored 2018-02)" "C1=1310.5 L1=33.25 M1=done" "XLSX by zipfile"
not_contains "warning" "$OUT"

# Excel's display in a CSV (1.31E+03) and a fraction for a percentage: accepted, warned
printf 'indicator_id,indicator,unit_of_measure,target,value,note\nC1,,,,1.31E+03,\nL1,,,,0.3591,\nM1,,,,done,\n' > "$T/warn.csv"
expect 0 li report submit --period 2018-02 "$T/warn.csv"
same "$(stored 2018-02)" "C1=1310 L1=0.3591 M1=done" "warned values stored as typed"
contains "warning: C1: '1.31E+03' (line 2) is scientific notation, read as 1310" "$OUT"
contains "warning: L1: 0.3591 % (line 3) while the earlier month's was 35.72 %: a fraction typed for a percentage?" "$OUT"

# ---- refused: nothing stored, the cell named, what to do said; exit code 2 -------------
before=$(versions)
$X make "$T/err.xlsx" --first-row 12 C1=e:#DIV/0! L1=n:36
expect 2 li report submit --period 2018-02 "$T/err.xlsx"
contains "cell E12 (indicator C1) holds the error #DIV/0!: type the value or correct the formula" "$ERR"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0' > "$T/old.xls"
expect 2 li report submit --period 2018-02 "$T/old.xls"
contains "looks like an Excel 97-2003 workbook (.xls)" "$ERR"
contains "save it as Excel 工作簿 (*.xlsx) or CSV UTF-8" "$ERR"
$X bomb "$T/bomb.xlsx" 64
[ "$(stat -c %s "$T/bomb.xlsx")" -lt 1000000 ] && pass || fail "the bomb is not small"
expect 2 li report submit --period 2018-02 "$T/bomb.xlsx"
contains "xl/worksheets/sheet1.xml: unpacks to 67108" "$ERR"
expect 2 li report submit --period 2018-02 "$T/no-such-file.xlsx"
contains "no-such-file.xlsx" "$ERR"
printf 'indicator_id,value\nC1,"1,50"\nL1,29.4%%\n' > "$T/bad.csv"
expect 1 li report submit --period 2018-02 "$T/bad.csv"
contains "C1: '1,50' has a thousands separator that does not separate groups of three digits (line 2)" "$ERR"
[ "$(versions)" = "$before" ] && pass || fail "a refused file stored something"

# ---- optional: the filled template through LibreOffice (skipped when not installed) ----
# saved again as .xlsx by another writer, as "CSV (GB18030)" (charset 85) and as
# tab-separated UTF-16 ("Unicode text", charset 65535): each read back the same
if command -v libreoffice >/dev/null 2>&1; then
  lo() { HOME=$T/lohome timeout 180 libreoffice --headless --convert-to "$1" --outdir "$T/lo-$2" "$T/f1.xlsx" >/dev/null 2>&1; }
  mkdir -p "$T/lohome"
  set_clock 2018-02-03T09:00:00+08:00
  # before each: January set to other values, so that each round trip has to restore it
  printf 'indicator_id,value\nC1,11\nL1,30\nM1,not_started\n' > "$T/reset.csv"
  reset() { li report submit --period 2018-01 "$T/reset.csv" >/dev/null 2>&1
            same "$(stored 2018-01)" "C1=11 L1=30 M1=not_started" "reset"; }
  if lo xlsx x; then
    reset; expect 0 li report submit --period 2018-01 "$T/lo-x/f1.xlsx"
    contains "read as XLSX workbook: 3 values" "$ERR"
    same "$(stored 2018-01)" "C1=10 L1=35.72 M1=in_progress" "LibreOffice .xlsx"
  else fail "libreoffice --convert-to xlsx"; fi
  if lo "csv:Text - txt - csv (StarCalc):44,34,85" gb; then
    reset; expect 0 li report submit --period 2018-01 "$T/lo-gb/f1.csv"
    contains "read as CSV (GB18030): 3 values" "$ERR"
    same "$(stored 2018-01)" "C1=10 L1=35.72 M1=in_progress" "LibreOffice GB18030 CSV"
  else fail "libreoffice --convert-to csv (GB18030)"; fi
  if lo "csv:Text - txt - csv (StarCalc):9,34,65535" u16; then
    reset; expect 0 li report submit --period 2018-01 "$T/lo-u16/f1.csv"
    contains "read as CSV (UTF-16 LE): 3 values" "$ERR"
    same "$(stored 2018-01)" "C1=10 L1=35.72 M1=in_progress" "LibreOffice Unicode text"
  else fail "libreoffice --convert-to csv (UTF-16)"; fi
else
  echo "LibreOffice not installed: its round trips skipped"
fi
e2e_finish
