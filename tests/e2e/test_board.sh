#!/usr/bin/env bash
# The board's pages and forms through the real planwatchd and curl (SPEC
# 4.4): no session -> 303 to /login; login with the form's double-submit
# token; cookie flags; CSRF on every form (without it: 403 and nothing
# changed, checked through the CLI); a viewer's unpublished bulletin -> 404,
# published ones with an ETag and 304; a reporter on another unit's page ->
# 403; the reporter's template, upload (good and bad file), receipt; the
# office returns with a reason, the reporter's home shows it; supervision
# answered and closed; publish; logout revokes the session; the security
# headers on every reply; a 100 MB upload refused before it is read.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/board_fixture.sh"
command -v curl >/dev/null || { echo "SKIP: no curl (scripts/deps installs it)"; exit 77; }
board_start

# req NAME CODE METHOD PATH [curl args]: one request with NAME's cookie jar;
# head in $HEAD, body in $BODY; checks the status and the security headers
req() {
  local jar=$E2E_DIR/jar-$1 want=$2 method=$3 path=$4; shift 4
  HEAD=$(curl -s -X "$method" -b "$jar" -c "$jar" -D - -o "$E2E_DIR/body" "$@" "$BOARD$path" | tr -d '\r')
  BODY=$(cat "$E2E_DIR/body")
  local code; code=$(printf '%s\n' "$HEAD" | awk 'NR==1{print $2}')
  if [ "$code" = "$want" ]; then pass; else fail "$1 $method $path: HTTP $code, wanted $want: $(grep -o 'id="error">[^<]*' "$E2E_DIR/body" | sed -n 1p)"; fi
  case "$HEAD" in *"Content-Security-Policy: default-src 'none'"*"X-Frame-Options: DENY"*) pass ;;
    *) fail "$method $path: security headers missing" ;; esac
  not_contains "script-src" "$HEAD"
}
csrf_of_body() { grep -o 'name="csrf" value="[0-9a-f]*"' "$E2E_DIR/body" | sed -n '1{s/.*value="//; s/"//; p}'; }
login() { # NAME USER PASSWORD
  req "$1" 200 GET /login
  local t; t=$(csrf_of_body)
  req "$1" 303 POST /login --data-urlencode "csrf=$t" --data-urlencode "user=$2" --data-urlencode "password=$3"
}

# no session: pages redirect to /login, forms too
req anon 303 GET /
contains "Location: /login" "$HEAD"
req anon 303 GET /scores/2018-Q1
contains "Location: /login" "$HEAD"
req anon 303 POST /publish -d "kind=scores&period=2018-Q1"
req anon 200 GET /login
contains 'Set-Cookie: pw_login=' "$HEAD"
contains "HttpOnly; SameSite=Strict" "$HEAD"
# a login form without its double-submit token is refused
req anon 403 POST /login -d "user=office&password=office111"
not_contains "pw_session=" "$HEAD"
# a wrong password: same page, no cookie
req anon 200 GET /login
t=$(csrf_of_body)
req anon 401 POST /login --data-urlencode "csrf=$t" -d "user=office&password=nope"
not_contains "pw_session=" "$HEAD"

# logins: cookie flags (no Secure on http://)
login office office office111
contains "Set-Cookie: pw_session=" "$HEAD"
contains "Path=/; Max-Age=" "$HEAD"
contains "HttpOnly; SameSite=Strict" "$HEAD"
not_contains "Secure" "$HEAD"
contains "Location: /" "$HEAD"
login viewer v1 viewer111
login alpha r_alpha pw-alpha-1
login bravo r_bravo pw-bravo-1

# homes by role
req office 200 GET /
contains 'id="status"' "$BODY"
contains "Cache-Control: no-store" "$HEAD"
OCSRF=$(csrf_of_body)
req viewer 200 GET /
contains 'id="ranking"' "$BODY"           # the latest ranking inline
contains "县alpha" "$BODY"
contains 'id="bulletin"' "$BODY"
contains 'href="/scores/2018-Q1"' "$BODY"
contains 'href="/dispatch/2018-02"' "$BODY"
not_contains 'href="/dispatch/2018-03"' "$BODY"
req alpha 200 GET /
contains "2018-03 月报" "$BODY"
contains 'id="upload-form"' "$BODY"
contains 'id="our-score"' "$BODY"          # the published ranking's line of the unit
ACSRF=$(csrf_of_body)

# viewer: unpublished bulletin 404, published one with an ETag (304 on revalidation)
req viewer 404 GET /dispatch/2018-03
req viewer 200 GET /dispatch/2018-02
contains "县alpha" "$BODY"
etag=$(printf '%s\n' "$HEAD" | sed -n 's/^ETag: //p')
[ -n "$etag" ] && pass || fail "no ETag on a published bulletin"
contains "Cache-Control: private, no-cache" "$HEAD"
req viewer 304 GET /dispatch/2018-02 -H "If-None-Match: $etag"
req viewer 200 GET /scores/2018-Q1
[ -n "$(printf '%s\n' "$HEAD" | sed -n 's/^ETag: //p')" ] && pass || fail "no ETag on a published ranking"
req viewer 404 GET /scores/2018-Q2
# office: the live draft, never cached
req office 200 GET /dispatch/2018-03
contains "Cache-Control: no-store" "$HEAD"
not_contains "ETag" "$HEAD"

# reporter: own unit's page yes, another unit's no
req alpha 200 GET /units/alpha
contains 'id="months"' "$BODY"
req alpha 403 GET /units/bravo
req alpha 200 GET /indicators/I01
req office 200 GET /units/bravo
req office 404 GET /units/nosuch
req office 400 GET "/dispatch/2018-03%3Cx%3E"

# CSRF: an office form without (or with another session's) token -> 403, nothing changed
req office 403 POST /report/review -d "period=2018-03&unit=alpha&action=return&reason=x"
req office 403 POST /report/review -d "csrf=$ACSRF&period=2018-03&unit=alpha&action=return&reason=x"
expect 0 as office office111 report show --period 2018-03 --unit alpha --json
contains '"state": "submitted"' "$OUT"
req office 403 POST /publish -d "kind=dispatch&period=2018-03"
req viewer 404 GET /dispatch/2018-03
req office 403 POST /supervise/open -d "unit=alpha&deadline=2018-04-30&text=x"
expect 0 as office office111 supervise list --json
not_contains '"text": "x"' "$OUT"

# the reporter's template, a bad upload (violations, nothing stored), a good one
req alpha 200 GET "/report/template?period=2018-03"
contains "Content-Type: text/csv" "$HEAD"
contains 'filename="template-alpha-2018-03.csv"' "$HEAD"
contains "指标编号,指标名称,计量单位,目标,本月值,说明" "$BODY"
cp "$E2E_DIR/body" "$E2E_DIR/template.csv"
python3 - "$E2E_DIR/template.csv" "$E2E_DIR/bad.csv" "$E2E_DIR/good.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
bad = [r[:] for r in rows]; good = [r[:] for r in rows]
for r in bad[1:]: r[4] = 'lots'
for i, r in enumerate(good[1:]): r[4] = str(40 + i)
csv.writer(open(sys.argv[2], 'w', newline='')).writerows(bad)
csv.writer(open(sys.argv[3], 'w', newline='')).writerows(good)
PY
before=$(as office office111 report history --period 2018-03 --unit alpha --json | grep -c '"version"' || true)
req alpha 400 POST /report/upload -F "csrf=$ACSRF" -F period=2018-03 -F "file=@$E2E_DIR/bad.csv"
contains 'id="violations"' "$BODY"
contains "nothing was changed" "$BODY"
contains "(line 2)" "$BODY"                  # the place in the file of each problem
after=$(as office office111 report history --period 2018-03 --unit alpha --json | grep -c '"version"' || true)
[ "$before" = "$after" ] && pass || fail "a bad upload stored a version ($before -> $after)"
printf 'not,a,template\n1,2,3\n' > "$E2E_DIR/junk.csv"
req alpha 400 POST /report/upload -F "csrf=$ACSRF" -F period=2018-03 -F "file=@$E2E_DIR/junk.csv"
contains "junk.csv" "$BODY"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel' > "$E2E_DIR/old.xls"
req alpha 400 POST /report/upload -F "csrf=$ACSRF" -F period=2018-03 -F "file=@$E2E_DIR/old.xls"
contains ".xls" "$BODY"
req alpha 403 POST /report/upload -F period=2018-03 -F "file=@$E2E_DIR/good.csv"
req alpha 200 POST /report/upload -F "csrf=$ACSRF" -F period=2018-03 -F "file=@$E2E_DIR/good.csv" -F "progress=网上报送"
contains 'id="receipt"' "$BODY"
contains "第 2 版" "$BODY"
expect 0 as office office111 report show --period 2018-03 --unit alpha --json
contains '"progress": "网上报送"' "$OUT"
# the Excel template, filled by another program (only the 本月值 cells), uploaded
req alpha 200 GET "/report/template?format=xlsx&period=2018-03"
contains "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "$HEAD"
contains 'filename="template-alpha-2018-03.xlsx"' "$HEAD"
cp "$E2E_DIR/body" "$E2E_DIR/template.xlsx"
ids=$(python3 -c 'import csv,sys; print(" ".join(r[0]+"="+str(50+i) for i,r in enumerate(list(csv.reader(open(sys.argv[1],encoding="utf-8-sig")))[1:])))' "$E2E_DIR/template.csv")
python3 "$SRC/tests/e2e/xlsx_tool.py" fill "$E2E_DIR/template.xlsx" "$E2E_DIR/filled.xlsx" $ids
req alpha 200 POST /report/upload -F "csrf=$ACSRF" -F period=2018-03 -F "file=@$E2E_DIR/filled.xlsx"
contains 'id="receipt"' "$BODY"
contains "第 3 版" "$BODY"
contains "XLSX" "$BODY"
expect 0 as office office111 report show --period 2018-03 --unit alpha --json
contains '"value": "50"' "$OUT"
# the same form again (a reload) stores nothing new
req alpha 200 POST /report/upload -F "csrf=$ACSRF" -F period=2018-03 -F "file=@$E2E_DIR/good.csv" -F "progress=网上报送"
contains "nothing new stored" "$BODY"
# another unit's report: refused by the handler
req bravo 200 GET /
BCSRF=$(csrf_of_body)
req alpha 403 POST /report/upload -F "csrf=$BCSRF" -F period=2018-03 -F "file=@$E2E_DIR/good.csv"

# the office returns it with a reason; the reporter's home shows the reason
req office 200 POST /report/review --data-urlencode "csrf=$OCSRF" -d "period=2018-03&unit=alpha&action=return" --data-urlencode "reason=第2项数据有误"
expect 0 as office office111 audit --json      # one audit trail with RPC
contains "ReturnForRevision" "$OUT"
contains "第2项数据有误" "$OUT"
req alpha 200 GET /
contains 'id="returned"' "$BODY"
contains "第2项数据有误" "$BODY"
req office 400 POST /report/review --data-urlencode "csrf=$OCSRF" -d "period=2018-03&unit=alpha&action=return&reason="
req alpha 403 POST /report/review --data-urlencode "csrf=$ACSRF" -d "period=2018-03&unit=alpha&action=accept"

# supervision: the office opens, the reporter answers, the office closes
req office 200 POST /supervise/open --data-urlencode "csrf=$OCSRF" -d "unit=alpha&deadline=2018-04-30" --data-urlencode "text=请说明进度"
id=$(printf '%s' "$BODY" | grep -o 'opened #[0-9]*' | tr -dc 0-9 || true)
[ -n "$id" ] && pass || fail "no supervision item id"
req alpha 200 GET /
contains "请说明进度" "$BODY"
req alpha 200 POST /supervise/answer --data-urlencode "csrf=$ACSRF" -d "id=$id" --data-urlencode "text=已整改"
req office 200 POST /supervise/close --data-urlencode "csrf=$OCSRF" -d "id=$id&note=ok"
expect 0 as office office111 supervise list --all --json
contains '"已整改"' "$OUT"
contains '"closed"' "$OUT"

# publish: the viewer sees it afterwards
req office 200 POST /publish --data-urlencode "csrf=$OCSRF" -d "kind=dispatch&period=2018-03"
req viewer 200 GET /dispatch/2018-03
req viewer 403 POST /publish --data-urlencode "csrf=$OCSRF" -d "kind=scores&period=2018-Q1"

# the API: no token -> 401 JSON, not a redirect
req anon 401 GET "/api/v1/scores?period=2018-Q1"
contains '"UNAUTHENTICATED"' "$BODY"

# 100 MB refused before it is read, with a session
truncate -s 100M "$E2E_DIR/big.csv"
t0=$(date +%s%N)
res=$(curl -s -b "$E2E_DIR/jar-alpha" -o /dev/null -w '%{http_code} %{size_upload}' -H 'Expect:' \
      -F "csrf=$ACSRF" -F "file=@$E2E_DIR/big.csv" "$BOARD/report/upload" || true)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "${res%% *}" = 413 ] && pass || fail "100 MB upload: $res"
echo "100 MB upload with a session: HTTP ${res%% *} after ${res##* } bytes sent, $ms ms"

# logout revokes the session: the old cookie is dead
cp "$E2E_DIR/jar-alpha" "$E2E_DIR/jar-stolen"
req alpha 403 POST /logout -d "x=1"
req alpha 303 POST /logout --data-urlencode "csrf=$ACSRF"
contains "Location: /login" "$HEAD"
contains "pw_session=; Path=/; Max-Age=0" "$HEAD"
req stolen 303 GET /
contains "Location: /login" "$HEAD"
grep -q "AuthService/Logout user=r_alpha status=OK" "$SERVER_LOG" && pass || fail "logout is not a Logout call"
server_down && pass || fail "planwatchd did not stop cleanly"
e2e_finish
