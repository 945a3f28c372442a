#!/usr/bin/env bash
# TLS through the real programs: throwaway certificates made here with the
# openssl CLI; a client with the right CA talks to a tls+tcp:// server, one
# without it or with another CA cannot; with --tls-ca on the server a client
# without a client certificate is refused.
source "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
C=$E2E_DIR/certs; mkdir -p "$C"
mkcert() { # NAME CN CA [SAN]
  openssl req -newkey rsa:2048 -nodes -keyout "$C/$1.key" -out "$C/$1.csr" -subj "/CN=$2" 2>/dev/null
  if [ -n "${4:-}" ]; then printf 'subjectAltName=%s\n' "$4" > "$C/$1.ext"; else : > "$C/$1.ext"; fi
  openssl x509 -req -in "$C/$1.csr" -CA "$C/$3.pem" -CAkey "$C/$3.key" -CAcreateserial \
      -out "$C/$1.pem" -days 2 -extfile "$C/$1.ext" 2>/dev/null
}
for ca in ca otherca; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$C/$ca.key" -out "$C/$ca.pem" -days 2 \
      -subj "/CN=planwatch test $ca" 2>/dev/null
done
# mbedtls 2.28 (nng's TLS engine on Debian 12) matches the dialled host
# against DNS names only, so 127.0.0.1 is listed as a DNS name as well
mkcert server localhost ca "IP:127.0.0.1,DNS:localhost,DNS:127.0.0.1"
mkcert attacker attacker.example ca "DNS:attacker.example"
mkcert client li ca
mkcert rogue li otherca

set_clock 2018-01-10T09:00:00+08:00
PLANWATCH_PASSWORD=rootpass1 "$BIN/planwatchd" init --db "$DB" --admin root "${E2E_SERVER_OPTS[@]}" >/dev/null
PORT=$((20000 + $$ % 20000))
URL=tls+tcp://127.0.0.1:$PORT
start_tls() {
  "$BIN/planwatchd" --db "$DB" --listen "$URL" --tls-cert "$C/server.pem" --tls-key "$C/server.key" \
      "${E2E_SERVER_OPTS[@]}" "$@" 2>>"$SERVER_LOG" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do grep -q "listening on $URL" "$SERVER_LOG" 2>/dev/null && return 0; sleep 0.05; done
  echo "TLS server did not start"; cat "$SERVER_LOG"; exit 1
}
tls_pw() { PLANWATCH_PASSWORD=rootpass1 "$BIN/planwatch" --server "$URL" --timeout 3000 --user root "$@"; }

start_tls
expect 0 tls_pw --tls-ca "$C/ca.pem" whoami
contains "root (admin)" "$OUT"
expect 3 tls_pw whoami
contains "(UNAVAILABLE)" "$ERR"
expect 3 tls_pw --tls-ca "$C/otherca.pem" whoami
# the certificate must name the host dialled: localhost works, another name
# given with --tls-server-name is checked instead
expect 0 env PLANWATCH_PASSWORD=rootpass1 "$BIN/planwatch" --server "tls+tcp://localhost:$PORT" \
    --timeout 3000 --user root --tls-ca "$C/ca.pem" whoami
expect 3 tls_pw --tls-ca "$C/ca.pem" --tls-server-name attacker.example whoami
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; : > "$SERVER_LOG"

# a certificate for attacker.example signed by the trusted CA is refused
# for tls+tcp://127.0.0.1 (the password is never sent), and accepted only
# when that name is asked for explicitly
"$BIN/planwatchd" --db "$DB" --listen "$URL" --tls-cert "$C/attacker.pem" \
    --tls-key "$C/attacker.key" "${E2E_SERVER_OPTS[@]}" --log-calls 1 2>>"$SERVER_LOG" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on $URL" "$SERVER_LOG" 2>/dev/null && break; sleep 0.05; done
expect 3 tls_pw --tls-ca "$C/ca.pem" whoami
contains "(UNAVAILABLE)" "$ERR"
not_contains "AuthService/Login" "$(cat "$SERVER_LOG")"
expect 0 tls_pw --tls-ca "$C/ca.pem" --tls-server-name attacker.example whoami
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; : > "$SERVER_LOG"

# client certificates required
start_tls --tls-ca "$C/ca.pem"
expect 0 tls_pw --tls-ca "$C/ca.pem" --tls-cert "$C/client.pem" --tls-key "$C/client.key" whoami
rc=0; tls_pw --tls-ca "$C/ca.pem" whoami >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] && pass || fail "a client without a certificate got through"
rc=0; tls_pw --tls-ca "$C/ca.pem" --tls-cert "$C/rogue.pem" --tls-key "$C/rogue.key" whoami >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] && pass || fail "a client certificate of another CA got through"
# a missing key file is a clear startup error
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=
expect 1 "$BIN/planwatchd" --db "$DB" --listen "$URL" --tls-cert "$C/server.pem" --tls-key "$C/nope.key"
contains "cannot load TLS certificate" "$ERR"
e2e_finish
