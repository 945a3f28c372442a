# Helpers for reading the HTML pages as their readers do, in headless
# Chromium: a phone (360-412 px), a desktop (1400 px) and A4 paper.
# Source it after defining pass/fail (lib.sh or the test's own); not a test
# itself (the ctest glob takes only test_*.sh).
#   browser_setup            finds chromium, a CJK font and pdfinfo, installing
#                            them with scripts/deps when missing; 1 if impossible
#   browser_measure FILE W   the page in a frame W px wide, measured by the
#                            browser: prints "scrollWidth clientWidth leadBottom"
#                            and the lead paragraph's text on a second line
#   browser_shot FILE PNG W H
#   browser_pdf FILE PDF     print to A4; browser_pages PDF prints its page count
#   check_no_sideways FILE W the page does not scroll sideways at W px
# scratch space inside the test's own temp dir (removed by the test)
BROWSER_TMP=$(mktemp -d "${WORK:-${E2E_DIR:-/tmp}}/browser-XXXXXX")

browser_setup() {
  CHROMIUM=$(command -v chromium || true)
  if [ -z "$CHROMIUM" ] || ! command -v pdfinfo >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    "$SRC/scripts/deps" chromium fonts-wqy-microhei poppler-utils >&2 || \
      echo "scripts/deps could not install chromium / fonts / poppler-utils" >&2
    CHROMIUM=$(command -v chromium || true)
  fi
  [ -n "$CHROMIUM" ] && command -v pdfinfo >/dev/null
}

browser_run() { # one headless run with a private profile
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$(mktemp -d "$BROWSER_TMP/profile-XXXXXX")" "$@" \
    2>"$BROWSER_TMP/chrome.err"
}

browser_measure() { # FILE WIDTH
  local dir
  dir=$(mktemp -d "$BROWSER_TMP/m-XXXXXX")
  cp "$1" "$dir/page.html"
  # headless windows are at least 500 px wide: the page goes in a frame
  cat >"$dir/outer.html" <<HTML
<!DOCTYPE html><html><head><meta charset="utf-8"><title>-</title></head>
<body style="margin:0"><iframe id="f" src="page.html" style="width:$2px;height:900px;border:0"></iframe>
<pre id="out"></pre><script>
document.getElementById("f").addEventListener("load", function () {
  var d = this.contentDocument, e = d.documentElement, l = d.getElementById("lead");
  document.getElementById("out").textContent = "M " + e.scrollWidth + " " + e.clientWidth + " " +
    (l ? Math.round(l.getBoundingClientRect().bottom) : -1) + "\nL " + (l ? l.textContent : "");
});
</script></body></html>
HTML
  browser_run --allow-file-access-from-files --window-size=1400,1000 --virtual-time-budget=5000 \
    --dump-dom "file://$dir/outer.html" | sed -n 's/.*<pre id="out">\(.*\)/\1/p; /^L /p' |
    sed 's/^M //; s/<\/pre>.*//'
}

browser_shot() { # FILE PNG W H
  (cd "$BROWSER_TMP" && browser_run --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null) || true
  [ -s "$2" ] && pass || fail "no screenshot $2: $(tail -3 "$BROWSER_TMP/chrome.err")"
}

browser_pdf() { # FILE PDF
  (cd "$BROWSER_TMP" && browser_run --no-pdf-header-footer --print-to-pdf="$2" "file://$1" >/dev/null) || true
  [ -s "$2" ] && pass || fail "print to PDF failed: $(tail -3 "$BROWSER_TMP/chrome.err")"
}

browser_pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }

check_no_sideways() { # FILE WIDTH
  local m sw cw
  m=$(browser_measure "$1" "$2" | head -1)
  read -r sw cw _ <<<"$m"
  if [ -n "$sw" ] && [ "$cw" = "$2" ] && [ "$sw" -le "$cw" ]; then pass
  else fail "$(basename "$1") at $2 px: scrollWidth $sw > clientWidth $cw (measured '$m')"; fi
}
