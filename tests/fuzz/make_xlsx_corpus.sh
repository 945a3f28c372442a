#!/usr/bin/env bash
# Regenerates the seed corpus of fuzz_xlsx (tests/fuzz/corpus/xlsx/): small
# workbooks made by tests/e2e/xlsx_tool.py (zipfile + XML: shared, inline and
# formula cells, an error cell) and report CSVs in each encoding the reader
# recognises.  The template written by libxlsxwriter (template.xlsx) comes
# from `planwatch report template --out` in tests/e2e/test_report_files.sh
# and is kept as committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus/xlsx
X="python3 tests/e2e/xlsx_tool.py"
$X make $out/values.xlsx C1=n:1310.5 L1=f:D4/3=33.25 M1=s:已完成
$X make $out/inline.xlsx --first-row 5 C1=i:１，５００ L1=n:1E-3
$X make $out/error.xlsx C1=e:#DIV/0! L1=e:#N/A
csv='指标编号,指标名称,计量单位,目标,本月值,说明,,\r\nC1,棚户区改造,套,100,"1,500",按台账,,\r\nL1,城镇化率,%%,60,29.40%%,,,\r\n'
printf "$csv" > $out/utf8.csv
{ printf '\xef\xbb\xbf'; printf "$csv"; } > $out/utf8-bom.csv
printf "$csv" | iconv -f UTF-8 -t GB18030 > $out/gb18030.csv
{ printf '\xff\xfe'; printf "$csv" | tr ',' '\t' | iconv -f UTF-8 -t UTF-16LE; } > $out/utf16le.txt
{ printf '\xfe\xff'; printf "$csv" | iconv -f UTF-8 -t UTF-16BE; } > $out/utf16be.csv
