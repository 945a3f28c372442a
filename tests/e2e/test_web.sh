#!/usr/bin/env bash
# The board's HTTP front through the real planwatchd and curl (SPEC 4.4):
# /healthz without a session, the security headers on every reply (200, 404,
# 405, 413), a 100 MB upload refused before its body is read, https:// with
# the same --tls-cert/--tls-key as tls+tcp://, clear errors for bad URLs.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "SKIP: no curl (scripts/deps installs it)"; exit 77; }

PLANWATCH_PASSWORD=rootpass1 "$BIN/planwatchd" init --db "$DB" --admin root "${E2E_SERVER_OPTS[@]}" >/dev/null
set_clock 2018-01-10T09:00:00+08:00
board_up

# headers CODE URL [curl args]: the reply's head in $HEAD, its status checked
headers() {
  local want=$1 url=$2; shift 2
  HEAD=$(curl -s -D - -o "$E2E_DIR/body" "$@" "$url" | tr -d '\r')
  BODY=$(cat "$E2E_DIR/body")
  local code; code=$(printf '%s\n' "$HEAD" | awk 'NR==1{print $2}')
  if [ "$code" = "$want" ]; then pass; else fail "$url: HTTP $code, wanted $want"; fi
}
secure() { # the headers every reply carries
  contains "Content-Security-Policy: default-src 'none'" "$HEAD"
  not_contains "script-src" "$HEAD"
  contains "X-Frame-Options: DENY" "$HEAD"
  contains "X-Content-Type-Options: nosniff" "$HEAD"
}

headers 200 "$BOARD/healthz"; secure
contains "ok" "$BODY"
contains "Cache-Control: no-store" "$HEAD"
headers 200 "$BOARD/healthz" -I; secure          # HEAD
headers 404 "$BOARD/no/such/page"; secure
headers 405 "$BOARD/healthz" -X POST -d a=1; secure
headers 400 "$BOARD/bad%zz"; secure

# 100 MB refused early (no session needed: the size is checked first): 413, and curl sent (almost) nothing of it
truncate -s 100M "$E2E_DIR/big"
t0=$(date +%s%N)
res=$(curl -s -o "$E2E_DIR/body" -w '%{http_code} %{size_upload}' -H 'Expect:' \
      -F "file=@$E2E_DIR/big" "$BOARD/upload" || true)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
code=${res%% *}; sent=${res##* }
[ "$code" = 413 ] && pass || fail "100 MB upload: HTTP $code, wanted 413"
[ "${sent%.*}" -lt $((10 * 1024 * 1024)) ] && pass || fail "100 MB upload: curl sent $sent bytes before the refusal"
[ "$ms" -lt 5000 ] && pass || fail "100 MB upload took $ms ms to refuse"
contains "exceeds the limit" "$(cat "$E2E_DIR/body")"
echo "100 MB upload refused: HTTP $code after $sent bytes sent, $ms ms"
server_down && pass || fail "planwatchd did not stop cleanly"

# the board's logins share RPC's per-source rate limit (the peer is the
# client's address, not one bucket for the whole board)
board_up --rate-logins-per-min 2
J=$E2E_DIR/jar-rl
codes=""
for i in 1 2 3; do
  curl -s -c "$J" -b "$J" -o "$E2E_DIR/login.html" "$BOARD/login"
  t=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$E2E_DIR/login.html" | sed -n '1{s/.*value="//; s/"//; p}')
  codes="$codes $(curl -s -c "$J" -b "$J" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$t" \
      -d "user=root&password=wrong$i" "$BOARD/login")"
done
[ "$codes" = " 401 401 429" ] && pass || fail "login rate limit on the board: got$codes, wanted 401 401 429"
grep -q "AuthService/Login user=- status=RESOURCE_EXHAUSTED us=[0-9]* peer=127.0.0.1" "$SERVER_LOG" && pass \
  || fail "the limited login is not logged with the client's address"
server_down && pass || fail "planwatchd did not stop cleanly"

# bad board URLs are startup errors that name the URL
expect 1 "$BIN/planwatchd" --db "$DB" --listen "ipc://$E2E_DIR/x.sock" --http-listen ftp://127.0.0.1:1
contains "unsupported board listener ftp://127.0.0.1:1" "$ERR"
expect 1 "$BIN/planwatchd" --db "$DB" --listen "ipc://$E2E_DIR/x.sock" --http-listen https://127.0.0.1:1
contains "needs --tls-cert and --tls-key" "$ERR"
expect 1 "$BIN/planwatchd" --db "$DB" --listen "ipc://$E2E_DIR/x.sock" --clock-file "$CLOCK" \
    --http-listen http://0.0.0.0:1
contains "refused with the non-loopback board" "$ERR"

# https:// with the certificate options of tls+tcp://
if command -v openssl >/dev/null; then
  C=$E2E_DIR/certs; mkdir -p "$C"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$C/server.key" -out "$C/server.pem" -days 2 \
      -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
  PORT=$(free_port)
  "$BIN/planwatchd" --db "$DB" --listen "$PLANWATCH_SERVER" --clock-file "$CLOCK" "${E2E_SERVER_OPTS[@]}" \
      --http-listen "https://127.0.0.1:$PORT" --tls-cert "$C/server.pem" --tls-key "$C/server.key" \
      2>>"$SERVER_LOG" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do curl -s --cacert "$C/server.pem" -o /dev/null "https://127.0.0.1:$PORT/healthz" && break; sleep 0.05; done
  headers 200 "https://127.0.0.1:$PORT/healthz" --cacert "$C/server.pem"; secure
  contains "Strict-Transport-Security: max-age=" "$HEAD"
  # the session cookie is Secure on https
  J=$E2E_DIR/jar-https
  curl -s --cacert "$C/server.pem" -c "$J" -o "$E2E_DIR/login.html" "https://127.0.0.1:$PORT/login"
  t=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$E2E_DIR/login.html" | sed -n '1{s/.*value="//; s/"//; p}')
  headers 303 "https://127.0.0.1:$PORT/login" --cacert "$C/server.pem" -b "$J" \
      --data-urlencode "csrf=$t" -d "user=root&password=rootpass1"
  contains "Set-Cookie: pw_session=" "$HEAD"
  contains "HttpOnly; SameSite=Strict; Secure" "$HEAD"
  rc=0; curl -s -o /dev/null "https://127.0.0.1:$PORT/healthz" || rc=$?
  [ "$rc" -ne 0 ] && pass || fail "https accepted by a client without the CA"
  server_down && pass || fail "https planwatchd did not stop cleanly"
fi
e2e_finish
