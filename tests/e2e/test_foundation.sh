#!/usr/bin/env bash
# Foundation, end to end: init, admin CLI, login/whoami/logout, statuses and
# exit codes, disabled users, clean shutdown and database integrity.
source "$(dirname "$0")/lib.sh"
e2e_start

expect 0 pwadmin unit add jishou --name 吉首市 --category county
expect 0 pwadmin unit add zhou_zhujianju --name 州住建局 --category department
expect 1 pwadmin unit add jishou --name 吉首市 --category county
contains "already exists (ALREADY_EXISTS)" "$ERR"
expect 1 pwadmin unit add luxi --name 泸溪县 --category province
contains "(INVALID_ARGUMENT)" "$ERR"
expect 2 pwadmin unit add luxi --category county
contains "--name" "$ERR"
# an unknown option or one without its value: the verb's usage, nothing sent
expect 2 pwadmin unit add luxi --name 泸溪县 --category county --colour red
contains "usage: unit add ID --name NAME --category county|department [--active-from DATE]" "$ERR"
expect 2 pwadmin user add zhang --role
contains "usage: user add NAME --role ROLE [--unit ID] [--password-file FILE]" "$ERR"
expect 2 pwadmin user passwd zhang --password
contains "usage: user passwd NAME [--password-file FILE]" "$ERR"
[ "$(sqlite3 "$DB" "select count(*) from units where id = 'luxi'")" = 0 ] && pass || fail "luxi added"

echo reporter11 > "$E2E_DIR/pw"
expect 0 pwadmin user add li --role reporter --unit jishou --password-file "$E2E_DIR/pw"
echo office111 | pwadmin user add wang --role office --password-file - >/dev/null && pass || fail "office add"
expect 0 pwadmin user list --json
contains '"unit_name": "吉首市"' "$OUT"
expect 0 pwadmin unit list
contains "吉首市    county" "$OUT"  # CJK-aware alignment

# login as the reporter, whoami shows the unit with its Chinese name
PLANWATCH_PASSWORD=reporter11 expect 0 pw login --user li
expect 0 pw whoami
contains "li (reporter) of jishou 吉首市" "$OUT"
mode=$(stat -c %a "$XDG_CONFIG_HOME"/planwatch/session-*)
[ "$mode" = 600 ] && pass || fail "token cache mode $mode"

# wrong password: UNAUTHENTICATED, exit 1
PLANWATCH_PASSWORD=wrongpass expect 1 pw login --user li
contains "(UNAUTHENTICATED)" "$ERR"

# a reporter calling an admin method: PERMISSION_DENIED, exit 1
expect 1 "$BIN/planwatch-admin" unit add luxi --name 泸溪县 --category county
contains "(PERMISSION_DENIED)" "$ERR"

# a disabled user's token stops working
expect 0 pwadmin user disable li
expect 1 pw whoami
contains "(UNAUTHENTICATED)" "$ERR"
# a disabled account gets the reply of a wrong password; enable brings it back
expect 1 as li reporter11 whoami
contains "wrong user name or password" "$ERR"
not_contains "disabled" "$ERR"
expect 0 pwadmin user enable li
expect 0 as li reporter11 whoami
expect 0 pwadmin user unlock li
contains "unlocked" "$OUT"
expect 1 pwadmin user unlock nobody
contains "(NOT_FOUND)" "$ERR"
# the last enabled admin cannot be disabled
expect 1 pwadmin user disable root
contains "last enabled admin" "$ERR"
contains "(FAILED_PRECONDITION)" "$ERR"
expect 0 pwadmin user disable li

# password change revokes and the new password works
echo reporter22 > "$E2E_DIR/pw2"
expect 0 pwadmin user passwd wang --password-file "$E2E_DIR/pw2"
PLANWATCH_PASSWORD=office111 expect 1 pw login --user wang
PLANWATCH_PASSWORD=reporter22 expect 0 pw login --user wang
expect 0 pw logout
expect 2 pw whoami
contains "not logged in" "$ERR"

# usage errors exit 2, an unreachable server exits 3
expect 2 pw no-such-verb
expect 3 pw --server "ipc://$E2E_DIR/nothing.sock" --user wang whoami
contains "(UNAVAILABLE)" "$ERR"

# the audit trail has the changes
audit=$(audit_trail)
contains "AddUnit jishou" "$audit"
contains "DisableUser li" "$audit"

# SIGTERM: exit 0, database intact
server_down_intact

# --clock-file is refused with a non-loopback TCP listener (SPEC 5.1a)
expect 2 "$BIN/planwatchd" --db "$DB" --listen tcp://0.0.0.0:17999 --clock-file "$CLOCK" --workers x
expect 1 "$BIN/planwatchd" --db "$DB" --listen tcp://0.0.0.0:17999 --clock-file "$CLOCK"
contains "--clock-file is for tests" "$ERR"
# a config file sets the same keys; a bad line names file and line
printf 'workers = 2\nlisten = %s\n# comment\nbogus = 1\n' "$PLANWATCH_SERVER" > "$E2E_DIR/bad.conf"
expect 2 "$BIN/planwatchd" --config "$E2E_DIR/bad.conf" --db "$DB"
contains "bad.conf:4: unknown setting 'bogus'" "$ERR"
printf 'workers = 2\nlisten = %s\nlog-calls = 1\n' "$PLANWATCH_SERVER" > "$E2E_DIR/good.conf"
"$BIN/planwatchd" --config "$E2E_DIR/good.conf" --db "$DB" --clock-file "$CLOCK" 2>>"$SERVER_LOG" &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -S "$E2E_DIR/s.sock" ] && break; sleep 0.05; done
PLANWATCH_PASSWORD=reporter22 expect 0 pw login --user wang
grep -q "method=/planwatch.v1.AuthService/Login user=wang status=OK us=" "$SERVER_LOG" && pass || fail "call log line"
server_down && pass || fail "SIGTERM exit status (config)"
e2e_finish
