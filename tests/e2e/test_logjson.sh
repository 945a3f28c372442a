#!/usr/bin/env bash
# planwatchd --log-format json (issue 17): every line of the server's log
# is one JSON object with ts and level; each call is an "event":"call" with
# method, user, status (name), us (a number) and peer.
source "$(dirname "$0")/lib.sh"
E2E_SERVER_OPTS+=(--log-format json)
e2e_start
echo office111 | pwadmin user add office --role office --password-file - >/dev/null
expect 0 as office office111 whoami
expect 1 as office wrong-password whoami
expect 1 as office office111 finding remove 999 --note 'a "quoted" note'
expect 2 "$BIN/planwatchd" --log-format yaml --db "$DB"
contains "'yaml' is not one of: text json" "$ERR"
server_down || fail "server stopped cleanly"
python3 - "$SERVER_LOG" <<'PY' && pass || fail "json log lines"
import json, sys
calls, msgs = [], []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        sys.exit(f"line {n} is not JSON ({e}): {line!r}")
    assert isinstance(o["ts"], str) and o["ts"].endswith("Z") and o["level"] in ("debug", "info", "warn", "error"), o
    (calls if o.get("event") == "call" else msgs).append(o)
for c in calls:
    assert set(c) >= {"method", "user", "status", "us", "peer"}, c
    assert isinstance(c["us"], int) and c["us"] >= 0, c
want = {("/planwatch.v1.AuthService/Login", "office", "OK"),
        ("/planwatch.v1.AuthService/WhoAmI", "office", "OK"),
        ("/planwatch.v1.AuthService/Login", "-", "UNAUTHENTICATED"),
        ("/planwatch.v1.FindingService/Remove", "office", "NOT_FOUND")}
got = {(c["method"], c["user"], c["status"]) for c in calls}
missing = want - got
assert not missing, f"missing calls {missing} in {got}"
assert any("ready" in m.get("msg", "") for m in msgs), msgs
assert any("stopped cleanly" in m.get("msg", "") for m in msgs), msgs
print(f"{len(calls)} call lines, {len(msgs)} messages, all JSON")
PY
# a server that cannot start says so in JSON too (it was a plain text line)
expect 1 "$BIN/planwatchd" --log-format json --db "$E2E_DIR/no/such/dir/x.db" --listen "ipc://$E2E_DIR/x.sock"
python3 -c '
import json, sys
lines = sys.argv[1].splitlines()
assert lines, "no output"
for l in lines:
    o = json.loads(l)
assert o["level"] == "error" and "cannot start" in o["msg"] and "x.db" in o["msg"], o
' "$ERR" && pass || fail "start-up error not JSON: $ERR"
e2e_finish
