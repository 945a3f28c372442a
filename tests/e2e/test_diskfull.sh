#!/usr/bin/env bash
# A full disk (SPEC 5.4, issue 17): the database lives on a 2 MiB tmpfs that
# a filler file fills up.  While full, every submit fails with
# RESOURCE_EXHAUSTED or UNAVAILABLE (an OK is allowed only for a report that
# is then really stored), reads keep working and the server stays up; once
# the filler is gone, submits succeed again without a restart; at the end
# every acknowledged report version is there and integrity_check is ok.
# Needs root to mount the tmpfs: exits 77 (skipped) where mounting is not allowed.
source "$(dirname "$0")/lib.sh"
MNT=$E2E_DIR/mnt
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=2m,mode=0700 planwatch-test "$MNT" 2>"$E2E_DIR/mount.err"; then
  echo "SKIP: cannot mount a 2 MiB tmpfs for the full-disk test (needs root or CAP_SYS_ADMIN): $(cat "$E2E_DIR/mount.err")"
  exit 77
fi
diskfull_cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
  umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true
  e2e_cleanup
}
trap diskfull_cleanup EXIT
trap 'exit 143' TERM INT   # a ctest timeout still unmounts
DB=$MNT/test.db
e2e_start 2018-02-02T09:00:00+08:00
mini_plan
# both sign in now (a login writes its session, which a full disk refuses)
reporter() { XDG_CONFIG_HOME=$E2E_DIR/cfg-alpha pw "$@"; }
office() { XDG_CONFIG_HOME=$E2E_DIR/cfg-office pw "$@"; }
PLANWATCH_PASSWORD=pw-alpha-1 reporter --user r_alpha login >/dev/null
PLANWATCH_PASSWORD=office111 office --user office login >/dev/null

ACKED=0   # versions of alpha's January report acknowledged with OK
N=0
submit() { # -> $RC, $ERR; counts an OK
  N=$((N + 1))
  local f=$E2E_DIR/r.csv
  { echo "indicator_id,indicator,unit_of_measure,target,value,note"
    echo "I01,,,,$N,第${N}次 $(head -c 600 /dev/urandom | base64 -w0)"
    echo "I02,,,,$N,"; } > "$f"
  RC=0
  reporter report submit --period 2018-01 "$f" >/dev/null 2>"$E2E_DIR/err" || RC=$?
  ERR=$(cat "$E2E_DIR/err")
  [ "$RC" -eq 0 ] && ACKED=$((ACKED + 1))
  return 0
}
versions() {
  office report history --period 2018-01 --unit alpha --json |
    python3 -c 'import json,sys; v=json.load(sys.stdin)["versions"]; print(len(v), v[-1]["values"][0]["value"] if v else "-")'
}
for _ in 1 2 3; do submit; [ "$RC" -eq 0 ] && pass || fail "submit before the disk fills: $ERR"; done

# fill the disk
dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null || true
dd if=/dev/zero of="$MNT/fill2" bs=4k 2>/dev/null || true
[ "$(df --output=avail -B1 "$MNT" | tail -1)" -lt 4096 ] && pass || fail "the tmpfs is full"

failed=0 other=0
for _ in $(seq 8); do
  submit
  if [ "$RC" -eq 0 ]; then :
  elif [[ "$ERR" == *"(RESOURCE_EXHAUSTED)"* || "$ERR" == *"(UNAVAILABLE)"* ]]; then failed=$((failed + 1))
  else other=$((other + 1)); echo "unexpected while full: rc $RC $ERR" >&2; fi
done
[ "$failed" -ge 6 ] && pass || fail "submits on a full disk fail ($failed of 8 did)"
[ "$other" -eq 0 ] && pass || fail "a full disk answers RESOURCE_EXHAUSTED or UNAVAILABLE, nothing else"
echo "while full: $failed of 8 submits refused; last error: $ERR"
kill -0 "$SERVER_PID" && pass || fail "the server stays up on a full disk"
# reads keep working
read -r n last <<< "$(versions)"
[ "$n" -eq "$ACKED" ] && pass || fail "while full the server shows $n versions, $ACKED acknowledged"
expect 0 office plan show --json
contains '"I01"' "$OUT"
expect 0 office report status --period 2018-01 --json
expect 0 reporter report show --period 2018-01 --json
# the log says why, once per refused call
grep -q 'status=RESOURCE_EXHAUSTED\|status=UNAVAILABLE' "$SERVER_LOG" && pass || fail "the log names the refused calls"

# space again: submits succeed without a restart
rm -f "$MNT/fill" "$MNT/fill2"
for _ in 1 2 3; do submit; [ "$RC" -eq 0 ] && pass || fail "submit after space came back: $ERR"; done
expect 0 as office office111 whoami     # a login (a write) works again too
read -r n last <<< "$(versions)"
[ "$n" -eq "$ACKED" ] && pass || fail "the server shows $n versions, $ACKED acknowledged"
[ "$last" = "$N" ] && pass || fail "the latest version holds the last acknowledged values ($last, wanted $N)"

# and after a clean stop: every acknowledged version on disk, the file healthy
server_down || fail "server stopped cleanly"
expect 0 "$BIN/planwatchd" check --db "$DB"
contains "integrity_check: ok" "$OUT"
server_up
read -r n last <<< "$(versions)"
[ "$n" -eq "$ACKED" ] && pass || fail "after a restart $n versions, $ACKED acknowledged"
echo "acknowledged $ACKED of $N submits"
e2e_finish
