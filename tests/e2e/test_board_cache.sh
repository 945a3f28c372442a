#!/usr/bin/env bash
# The board's render cache and sessions through the real planwatchd and curl
# (issue 16): a published page and its API JSON carry an ETag and answer
# If-None-Match with 304 (pages and API); a correction (a new version) is
# served at once, never the cached old version; logout and a disabled user
# end the session at once even for cached pages; the security headers on
# our 400/404 and our own body on the replies nng makes itself (no Host,
# a path without '/').
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/board_fixture.sh"
command -v curl >/dev/null || { echo "SKIP: no curl (scripts/deps installs it)"; exit 77; }
e2e_start 2018-01-02T09:00:00+08:00
board_fixture
echo viewer222 | pwadmin user add v2 --role viewer --password-file - >/dev/null
server_down
board_up

# req NAME CODE METHOD PATH [curl args]: as in test_board.sh
req() {
  local jar=$E2E_DIR/jar-$1 want=$2 method=$3 path=$4; shift 4
  rm -f "$E2E_DIR/body"; : > "$E2E_DIR/body"
  HEAD=$(curl -s -X "$method" -b "$jar" -c "$jar" -D - -o "$E2E_DIR/body" "$@" "$BOARD$path" | tr -d '\r')
  BODY=$(cat "$E2E_DIR/body")
  local code; code=$(printf '%s\n' "$HEAD" | awk 'NR==1{print $2}')
  if [ "$code" = "$want" ]; then pass; else fail "$1 $method $path: HTTP $code, wanted $want"; fi
  case "$HEAD" in *"Content-Security-Policy: default-src 'none'"*"X-Frame-Options: DENY"*"X-Content-Type-Options: nosniff"*) pass ;;
    *) fail "$method $path: security headers missing" ;; esac
}
csrf_of_body() { grep -o 'name="csrf" value="[0-9a-f]*"' "$E2E_DIR/body" | sed -n '1{s/.*value="//; s/"//; p}'; }
login() { # NAME USER PASSWORD
  req "$1" 200 GET /login
  local t; t=$(csrf_of_body)
  req "$1" 303 POST /login --data-urlencode "csrf=$t" --data-urlencode "user=$2" --data-urlencode "password=$3"
}
etag_of_head() { printf '%s\n' "$HEAD" | sed -n 's/^ETag: //p'; }
login viewer v1 viewer111
login viewer2 v2 viewer222
login office office office111

# ---- 304 with If-None-Match: page and API ----------------------------------
req viewer 200 GET /scores/2018-Q1
E1=$(etag_of_head)
[ -n "$E1" ] && pass || fail "no ETag on the published ranking"
contains "县alpha" "$BODY"
contains 'id="logout"' "$BODY"                  # this user's nav, in the cached page
req viewer 200 GET /scores/2018-Q1             # from the cache: the same bytes
[ "$(etag_of_head)" = "$E1" ] && pass || fail "the ETag changed between two reads"
req viewer 304 GET /scores/2018-Q1 -H "If-None-Match: $E1"
[ ! -s "$E2E_DIR/body" ] && pass || fail "a 304 with a body"
contains "ETag: $E1" "$HEAD"
# another viewer: other nav (its own CSRF token), so another ETag
req viewer2 200 GET /scores/2018-Q1
[ "$(etag_of_head)" != "$E1" ] && pass || fail "two sessions share one ETag"
req viewer2 200 GET /scores/2018-Q1 -H "If-None-Match: $E1"
# HEAD: headers and Content-Length, no body
len=$(curl -s -I -b "$E2E_DIR/jar-viewer" "$BOARD/scores/2018-Q1" | tr -d '\r' | sed -n 's/^Content-Length: //p')
[ "${len:-0}" -gt 1000 ] && pass || fail "HEAD: Content-Length $len"

TOKEN=$(login_token v1 viewer111)
api() { # CODE PATH [curl args]
  local want=$1 path=$2; shift 2
  rm -f "$E2E_DIR/body"; : > "$E2E_DIR/body"
  HEAD=$(curl -s -D - -o "$E2E_DIR/body" -H "Authorization: Bearer $TOKEN" "$@" "$BOARD$path" | tr -d '\r')
  BODY=$(cat "$E2E_DIR/body")
  local code; code=$(printf '%s\n' "$HEAD" | awk 'NR==1{print $2}')
  [ "$code" = "$want" ] && pass || fail "API $path: HTTP $code, wanted $want: $BODY"
}
api 200 "/api/v1/scores?period=2018-Q1"
A1=$(etag_of_head)
[ -n "$A1" ] && pass || fail "no ETag on the published ranking's JSON"
contains '"version": 1' "$BODY"
api 200 "/api/v1/scores?period=2018-Q1"
cmp -s "$E2E_DIR/body" <(curl -s -H "Authorization: Bearer $TOKEN" "$BOARD/api/v1/scores?period=2018-Q1") \
  && pass || fail "the cached JSON differs from a second read"
api 304 "/api/v1/scores?period=2018-Q1" -H "If-None-Match: $A1"
api 200 "/api/v1/scores?period=2018-Q1&category=county"
[ "$(etag_of_head)" != "$A1" ] && pass || fail "a category's JSON has the whole ranking's ETag"
not_contains '"category": "department"' "$BODY"
api 200 "/api/v1/dispatch?period=2018-02"
[ -n "$(etag_of_head)" ] && pass || fail "no ETag on a published bulletin's JSON"
# the cache's counters on /metrics: the repeated reads were hits
M=$(curl -s "$BOARD/metrics")
hits=$(printf '%s\n' "$M" | sed -n 's/^planwatch_board_cache_hits_total //p')
[ "${hits:-0}" -ge 4 ] && pass || fail "render cache hits: ${hits:-none}"
contains "planwatch_board_cache_bytes " "$M"
# the office reads the live view: never cached, no ETag
req office 200 GET /scores/2018-Q1
contains "Cache-Control: no-store" "$HEAD"
not_contains "ETag" "$HEAD"

# ---- a correction (a new version) is served at once ------------------------
expect 0 as office office111 publish scores --period 2018-Q1 --reason "更正测试 cache-correction"
req viewer 200 GET /scores/2018-Q1 -H "If-None-Match: $E1"
contains "cache-correction" "$BODY"
[ "$(etag_of_head)" != "$E1" ] && pass || fail "the correction kept the old ETag"
api 200 "/api/v1/scores?period=2018-Q1" -H "If-None-Match: $A1"
contains '"version": 2' "$BODY"
contains "cache-correction" "$BODY"
# the old version stays readable by its number, the latest is version 2
expect 0 as v1 viewer111 scores --period 2018-Q1 --version 1 --json
contains '"version": 1' "$OUT"

# ---- the homes list what is published (PublishService/List), newest first --
expect 0 as office office111 publish dispatch --period 2018-01
req viewer 200 GET /
contains 'href="/dispatch/2018-02" class="dispatch-link">2018-02</a> (最新 latest)' "$BODY"
contains 'href="/dispatch/2018-01"' "$BODY"
contains 'href="/scores/2018-Q1" class="scores-link">2018-Q1</a> (最新 latest)' "$BODY"
grep -q "PublishService/List user=v1 status=OK" "$SERVER_LOG" && pass || fail "the home did not list publications"
not_contains "DispatchService/Get user=v1 status=NOT_FOUND" "$(cat "$SERVER_LOG")"   # no probing

# ---- logout and a disabled user end the session at once ----------------------
req viewer 200 GET /
VCSRF=$(csrf_of_body)
cp "$E2E_DIR/jar-viewer" "$E2E_DIR/jar-stolen"
req stolen 200 GET /scores/2018-Q1             # cached page, live session
req viewer 303 POST /logout --data-urlencode "csrf=$VCSRF"
req stolen 303 GET /scores/2018-Q1             # the same cached page: refused at once
contains "Location: /login" "$HEAD"
req stolen 303 GET /scores/2018-Q1 -H "If-None-Match: $E1"
api 200 "/api/v1/scores?period=2018-Q1"        # the API token is another session
XDG_CONFIG_HOME=$E2E_DIR/tok-v1 "$BIN/planwatch" logout >/dev/null 2>&1 || true
api 401 "/api/v1/scores?period=2018-Q1"
contains '"UNAUTHENTICATED"' "$BODY"
req viewer2 200 GET /scores/2018-Q1
expect 0 pwadmin user disable v2
req viewer2 303 GET /scores/2018-Q1
contains "Location: /login" "$HEAD"

# ---- security headers on 400 and 404 ----------------------------------------
req office 404 GET /nosuch/page
req anon 404 GET /nosuch
req office 400 GET "/dispatch/%zz"
req office 405 DELETE /scores/2018-Q1
# nng's own replies (no handler runs): our body, with the CSP as a <meta>
raw() { # the reply to the raw request $1
  local port=${BOARD##*:}
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%b' "$1" >&3
  timeout 5 cat <&3 | tr -d '\r' || true
  exec 3<&- 3>&-
}
R=$(raw 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n')   # no Host
contains "HTTP/1.1 400" "$R"
contains "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'" "$R"
not_contains "<script" "$R"
R=$(raw 'GET healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')  # no '/'
contains "HTTP/1.1 404" "$R"
contains "http-equiv=\"Content-Security-Policy\"" "$R"

server_down && pass || fail "planwatchd did not stop cleanly"
e2e_finish
