#!/usr/bin/env bash
# The office's outputs at the start of 2019: the dispatch summary of
# December 2018 and the year-end rankings of both categories, published, and
# written as HTML, CSV and XLSX next to the database.
set -euo pipefail
OUT=${PLANWATCH_DEMO_OUT:?}
pw() { XDG_CONFIG_HOME=$OUT/sessions/office "$PLANWATCH_DEMO_BIN/planwatch" "$@"; }
pw publish dispatch --period 2018-12 >/dev/null
pw publish scores --period 2018 >/dev/null
echo "== dispatch summary 2018-12"
pw dispatch --period 2018-12
echo "== year-end rankings 2018: counties"
pw scores --period 2018 --category county
echo "== year-end rankings 2018: departments"
pw scores --period 2018 --category department
pw dispatch --period 2018-12 --html "$OUT/dispatch-2018-12.html"
pw dispatch --period 2018-12 --csv "$OUT/dispatch-2018-12.csv"
pw scores --period 2018 --html "$OUT/scores-2018.html"
pw scores --period 2018 --xlsx "$OUT/scores-2018.xlsx"
pw scores --period 2018 --json > "$OUT/scores-2018.json"
echo "== written:"
ls -1 "$OUT"/dispatch-2018-12.* "$OUT"/scores-2018.*
