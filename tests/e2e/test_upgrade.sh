#!/usr/bin/env bash
# Upgrades (SPEC 5.4, issue 17): every database a release left in
# tests/fixtures/v*/ (made by tests/fixtures/make.sh with that release) is
# opened by today's planwatchd, which copies it first when its schema is
# older (FILE.pre-v<N>-<time>, identical to the old file), migrates it, and
# answers every read of the fixture's `reads` as that release answered
# (expected/*.json: every field that release printed, with the same value;
# fields added since are allowed), except where a later release changed a
# rule on purpose: fixtures/v*/changed/ holds those answers and says why.
source "$(dirname "$0")/lib.sh"
office() { as office office111 "$@"; }
SCHEMA=$("$BIN/planwatchd" --version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
[ -n "$SCHEMA" ] && pass || fail "planwatchd --version names its schema version"
sqlval() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"; }
dump() { python3 -c 'import sqlite3,sys; print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$1"; }
# same_json EXPECTED_FILE ACTUAL_TEXT: every field of EXPECTED in ACTUAL, equal
same_json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))
got = json.loads(sys.argv[2])
def cmp(w, g, at):
    if isinstance(w, dict):
        if not isinstance(g, dict): return [f"{at}: object expected, got {g!r:.80}"]
        return [p for k in w for p in (cmp(w[k], g[k], f"{at}.{k}") if k in g else [f"{at}.{k}: missing"])]
    if isinstance(w, list):
        if not isinstance(g, list) or len(g) != len(w): return [f"{at}: {len(w)} elements expected, got {g!r:.80}"]
        return [p for i, (a, b) in enumerate(zip(w, g)) for p in cmp(a, b, f"{at}[{i}]")]
    return [] if w == g and type(w) == type(g) else [f"{at}: {w!r} expected, got {g!r}"]
problems = cmp(want, got, "")
for p in problems[:5]: print(p)
sys.exit(1 if problems else 0)
PY
}

nfix=0
for fix in "$SRC"/tests/fixtures/v*/; do
  [ -f "$fix/planwatch.db" ] || continue
  nfix=$((nfix + 1))
  old=$(cat "$fix/user_version")
  rm -f "$DB" "$DB"-* "$E2E_DIR"/config -r
  cp "$fix/planwatch.db" "$DB"
  [ "$(sqlval "$DB" "PRAGMA user_version")" = "$old" ] && pass || fail "$fix: fixture at schema $old"
  set_clock "$(cat "$fix/clock")"
  : > "$SERVER_LOG"
  server_up
  copies=$(ls "$DB".pre-v* 2>/dev/null || true)
  if [ "$old" -lt "$SCHEMA" ]; then
    [ "$(echo "$copies" | grep -c .)" = 1 ] && pass || fail "$fix: one copy before migrating, got: $copies"
    contains "copied to $DB.pre-v$SCHEMA-" "$(cat "$SERVER_LOG")"
    [ "$(sqlval "$copies" "PRAGMA user_version")" = "$old" ] && pass || fail "$fix: the copy keeps schema $old"
    [ "$(dump "$copies")" = "$(dump "$fix/planwatch.db")" ] && pass || fail "$fix: the copy holds the old database"
    expect 0 "$BIN/planwatchd" check --db "$copies"
    [ "$(sqlval "$DB" "SELECT count(*) FROM backup_log WHERE kind = 'pre-migration'")" = 1 ] && pass ||
      fail "$fix: the copy is recorded in backup_log"
  else
    [ -z "$copies" ] && pass || fail "$fix: no copy of a current database: $copies"
  fi
  [ "$(sqlval "$DB" "PRAGMA user_version")" = "$SCHEMA" ] && pass || fail "$fix: migrated to $SCHEMA"
  while IFS= read -r r; do
    name=${r%%:*}; cmd=${r#*: }
    # shellcheck disable=SC2086
    expect 0 $cmd
    want=$fix/expected/$name.json
    if [ -f "$fix/changed/$name.json" ]; then
      # a rule changed on purpose since that release (changed/README.md)
      if same_json "$want" "$OUT" >/dev/null; then fail "$fix $name: changed/ but the answer is the old one"; else pass; fi
      want=$fix/changed/$name.json
    fi
    if msg=$(same_json "$want" "$OUT"); then pass; else fail "$fix $name: $msg"; fi
  done < "$fix/reads"
  # the migrated database still checks, and a second start copies nothing more
  server_down || fail "$fix: server stopped cleanly"
  expect 0 "$BIN/planwatchd" check --db "$DB"
  server_up
  [ "$(ls "$DB".pre-v* 2>/dev/null | grep -c .)" = "$(echo "$copies" | grep -c .)" ] && pass ||
    fail "$fix: a second start made another copy"
  server_down || fail "$fix: server stopped cleanly"
  rm -f "$DB".pre-v*
done
[ "$nfix" -ge 1 ] && pass || fail "no fixture in tests/fixtures/v*/"
e2e_finish
