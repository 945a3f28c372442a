#!/usr/bin/env bash
# The board as people use it, in headless Chromium (tests/e2e/board_browser.py,
# Selenium with Debian's chromium-driver): a reporter's login, template
# download, bad and good upload, receipt; the office returns with a reason and
# publishes; the reporter sees the reason; a viewer at 412 px opens the
# ranking and the bulletin without sideways scrolling.  Screenshots stay in
# $PW_BIN_DIR/board-screenshots.  Skips (77) only when chromium is absent and
# scripts/deps cannot install it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/board_fixture.sh"
PY=/usr/bin/python3
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || \
   ! "$PY" -c 'import selenium' 2>/dev/null; then
  "$SRC/scripts/deps" chromium chromium-driver python3-selenium fonts-wqy-microhei >&2 || true
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "SKIP: chromium / chromium-driver are not installed and cannot be installed"; exit 77
fi
"$PY" -c 'import selenium' || { echo "python3-selenium is missing (scripts/deps installs it)"; exit 1; }
command -v curl >/dev/null || { echo "curl is missing (scripts/deps installs it)"; exit 1; }
board_start
OUTDIR=$BIN/board-screenshots
rm -rf "$OUTDIR"; mkdir -p "$OUTDIR"
if BOARD=$BOARD OUTDIR=$OUTDIR CHROMIUM=$(command -v chromium) CHROMEDRIVER=$(command -v chromedriver) \
    HOME=$E2E_DIR timeout 300 "$PY" "$SRC/tests/e2e/board_browser.py"; then pass; else fail "the browser run failed"; fi
# the server's view of the same run: stored, returned, published
expect 0 as office office111 report show --period 2018-03 --unit alpha --json
contains '"state": "returned"' "$OUT"
contains '"progress": "浏览器报送"' "$OUT"
expect 0 as v1 viewer111 dispatch --period 2018-03 --json
for f in 01-reporter-home 03-reporter-receipt 08-viewer-ranking-412 09-viewer-bulletin-412; do
  [ -s "$OUTDIR/$f.png" ] && pass || fail "no screenshot $f.png"
done
ls "$OUTDIR"/*.png
server_down && pass || fail "planwatchd did not stop cleanly"
e2e_finish
