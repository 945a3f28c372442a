#!/usr/bin/env bash
# The HTML pages as a person sees them: the render fixture's dispatch summary
# and ranking (tests/tools/render_fixture.c) are rendered by headless
# Chromium to PNG and to a DOM dump.  Checks: the title and a Chinese unit
# name in the DOM, the escaped odd name shown as text, the PNG's size from
# its IHDR, and that it is not blank (many colours, and the traffic-light and
# grade colours of the grid, bars and charts are on screen).
# Installs chromium (+ a CJK font) with scripts/deps when missing; skips only
# when that is impossible.  The screenshots stay in
# $PW_BIN_DIR/render-screenshots for people to look at.
set -euo pipefail
BIN=${PW_BIN_DIR:?PW_BIN_DIR is set by ctest}
SRC=${PW_SOURCE_DIR:?PW_SOURCE_DIR is set by ctest}
FAILS=0
CHECKS=0
pass() { CHECKS=$((CHECKS+1)); }
fail() { CHECKS=$((CHECKS+1)); FAILS=$((FAILS+1)); echo "FAIL: $*" >&2; }
contains() { if [[ "$2" == *"$1"* ]]; then pass; else fail "expected '$1' in: ${2:0:400}"; fi; }

CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ] || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  if ! "$SRC/scripts/deps" chromium fonts-wqy-microhei >&2; then
    echo "scripts/deps could not install chromium" >&2
  fi
  CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed and cannot be installed"
  exit 77
fi

OUTDIR=$BIN/render-screenshots
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR"
WORK=$(mktemp -d /tmp/pwchromium-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$BIN/render_fixture" "$OUTDIR" && pass || fail "render_fixture failed"

chrome() { # chrome ARGS... : one headless run with a private profile
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$(mktemp -d "$WORK/profile-XXXXXX")" "$@" 2>"$WORK/chrome.err"
}

# png_check FILE WIDTH HEIGHT COLOUR... : IHDR size, not blank, colours present
png_check() {
  local png=$1 w=$2 h=$3; shift 3
  [ -s "$png" ] && pass || { fail "$png was not written: $(tail -3 "$WORK/chrome.err")"; return; }
  local sig
  sig=$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')
  [ "$sig" = 89504e470d0a1a0a ] && pass || fail "$png is not a PNG ($sig)"
  # IHDR: width and height are big-endian 32-bit at offsets 16 and 20
  local gw gh
  gw=$(od -An -tu1 -j16 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
  gh=$(od -An -tu1 -j20 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
  [ "$gw" = "$w" ] && [ "$gh" = "$h" ] && pass || fail "$png is ${gw}x${gh}, wanted ${w}x${h}"
  local size
  size=$(stat -c %s "$png")
  [ "$size" -gt 60000 ] && pass || fail "$png is only $size bytes: blank?"
  if command -v python3 >/dev/null; then
    python3 - "$png" "$@" <<'EOF' && pass || fail "$png: colour check failed"
import struct, sys, zlib
path, wanted = sys.argv[1], sys.argv[2:]
data = open(path, "rb").read()
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
assert depth == 8 and ctype in (2, 6), "unexpected PNG format %r" % (ihdr,)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours, ink = {}, 0
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 2 == 0:
        for x in range(0, stride, bpp * 2):
            rgb = bytes(line[x:x + 3])
            colours[rgb] = colours.get(rgb, 0) + 1
            if rgb != b"\xff\xff\xff":
                ink += 1
    prev = line
total = sum(colours.values())
print("%s: %dx%d, %d colours, %.1f%% non-white" % (path, w, h, len(colours), 100.0 * ink / total))
assert len(colours) > 100, "too few colours: blank page?"
assert ink > total * 0.03, "almost all white: blank page?"
for hexc in wanted:
    rgb = bytes.fromhex(hexc)
    assert colours.get(rgb, 0) >= 20, "colour #%s is not on screen" % hexc
EOF
  fi
}

# ---- the dispatch summary ------------------------------------------------------
DOM=$(chrome --dump-dom "file://$OUTDIR/dispatch.html" || true)
contains "<title>调度通报 湘西州推进新型城镇化三年行动计划 2018-03</title>" "$DOM"
contains "吉首市" "$DOM"
contains "泸溪县" "$DOM"
contains "经开区&lt;&amp;&gt;\"测试\"" "$DOM"          # the odd name is text, not markup
contains "&lt;script&gt;alert(1)&lt;/script&gt;" "$DOM"
[[ "$DOM" != *"<script"* ]] && pass || fail "a script element made it into the DOM"
(cd "$WORK" && chrome --screenshot="$OUTDIR/dispatch.png" --window-size=1280,2000 \
  "file://$OUTDIR/dispatch.html" >/dev/null) || true
# green, yellow, red of the lights
png_check "$OUTDIR/dispatch.png" 1280 2000 2e9d4f e0a800 d64545

# ---- the ranking ---------------------------------------------------------------
DOM=$(chrome --dump-dom "file://$OUTDIR/scores.html" || true)
contains "<title>考核排名 czh2018 2018-Q1</title>" "$DOM"
contains "吉首市" "$DOM"
contains "州发改委" "$DOM"
(cd "$WORK" && chrome --screenshot="$OUTDIR/scores.png" --window-size=1280,1800 \
  "file://$OUTDIR/scores.html" >/dev/null) || true
# bars: excellent, qualified, unqualified
png_check "$OUTDIR/scores.png" 1280 1800 2e9d4f 3a78c3 d64545

# ---- printing: A4 PDF ------------------------------------------------------------
(cd "$WORK" && chrome --no-pdf-header-footer --print-to-pdf="$OUTDIR/dispatch.pdf" \
  "file://$OUTDIR/dispatch.html" >/dev/null) || true
if [ -s "$OUTDIR/dispatch.pdf" ]; then
  pass
  # A4 is 595 x 842 points (Chromium writes 594.96 x 841.92)
  grep -aqE "MediaBox \[0 0 59[45](\.[0-9]+)? 84[12](\.[0-9]+)?\]" "$OUTDIR/dispatch.pdf" \
    && pass || fail "the PDF is not A4: $(grep -aoE 'MediaBox[^]]*]' "$OUTDIR/dispatch.pdf" | head -1)"
else
  fail "print to PDF failed: $(tail -3 "$WORK/chrome.err")"
fi

# ---- a phone and a desktop: no sideways scrolling, measured in the browser ----
source "$SRC/tests/e2e/browser.sh"
if browser_setup; then
  for page in dispatch scores; do
    for w in 360 412 1400; do check_no_sideways "$OUTDIR/$page.html" $w; done
  done
  (cd "$WORK" && chrome --screenshot="$OUTDIR/dispatch-412.png" --window-size=412,2000 \
    "file://$OUTDIR/dispatch.html" >/dev/null) || true
  png_check "$OUTDIR/dispatch-412.png" 412 2000 2e9d4f e0a800 d64545
  (cd "$WORK" && chrome --screenshot="$OUTDIR/scores-412.png" --window-size=412,1800 \
    "file://$OUTDIR/scores.html" >/dev/null) || true
  png_check "$OUTDIR/scores-412.png" 412 1800 2e9d4f 3a78c3 d64545
  # the first phone screen says who is behind, by name
  MEASURE=$(browser_measure "$OUTDIR/dispatch.html" 412)
  read -r _ _ LEAD_BOTTOM <<<"$(head -1 <<<"$MEASURE")"
  LEAD=$(sed -n 's/^L //p' <<<"$MEASURE")
  [ -n "$LEAD_BOTTOM" ] && [ "$LEAD_BOTTOM" -gt 0 ] && [ "$LEAD_BOTTOM" -le 900 ] && pass \
    || fail "the lead ends at ${LEAD_BOTTOM:-?} px"
  for name in 凤凰县 泸溪县 州公安局 "数据截至2月"; do contains "$name" "$LEAD"; done
  # the same page read in print: A4, the fixture on one page
  PAGES=$(browser_pages "$OUTDIR/dispatch.pdf")
  [ "${PAGES:-0}" -ge 1 ] && [ "${PAGES:-9}" -le 2 ] && pass || fail "the fixture prints to ${PAGES:-?} pages"
else
  echo "NOTE: pdfinfo or the frame measurement unavailable: width checks not run" >&2
fi

echo "screenshots in $OUTDIR"
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
