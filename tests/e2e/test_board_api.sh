#!/usr/bin/env bash
# The board's JSON API (GET /api/v1/..., SPEC 4.4) through the real planwatchd
# and curl: the same JSON as the CLI's --json (byte for byte after jq-free
# normalisation by python), Bearer tokens from Login, errors as JSON with the
# gRPC status name and the fitting HTTP status (401, 403, 404, 400), the
# viewer's view of published and unpublished periods, and the audit trail
# and counters shared with RPC.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/board_fixture.sh"
command -v curl >/dev/null || { echo "SKIP: no curl (scripts/deps installs it)"; exit 77; }
board_start

OFFICE=$(login_token office office111)
VIEWER=$(login_token v1 viewer111)
ALPHA=$(login_token r_alpha pw-alpha-1)
[ ${#OFFICE} -ge 32 ] && pass || fail "no office token: '$OFFICE'"

# api CODE TOKEN PATH: GET with a bearer token; JSON body in $BODY
api() {
  local want=$1 tok=$2 path=$3 code
  local auth=(); [ -n "$tok" ] && auth=(-H "Authorization: Bearer $tok")
  code=$(curl -s -o "$E2E_DIR/api.json" -w '%{http_code}' "${auth[@]}" "$BOARD$path")
  BODY=$(cat "$E2E_DIR/api.json")
  if [ "$code" = "$want" ]; then pass; else fail "GET $path: HTTP $code, wanted $want: ${BODY:0:300}"; fi
}
# same_json A B: equal as JSON values
same_json() {
  if python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))==json.load(open(sys.argv[2])) else 1)' "$1" "$2"
  then pass; else fail "JSON differs: $1 vs $2"; diff <(python3 -m json.tool "$1") <(python3 -m json.tool "$2") | head -20 >&2; fi
}
cli_json() { # USER PASSWORD OUT args...: the CLI's --json into OUT
  local u=$1 p=$2 out=$3; shift 3
  as "$u" "$p" "$@" --json > "$out"
}

# the same JSON as the CLI's --json
api 200 "$OFFICE" "/api/v1/scores?period=2018-Q1"
cp "$E2E_DIR/api.json" "$E2E_DIR/a_scores.json"
cli_json office office111 "$E2E_DIR/c_scores.json" scores --period 2018-Q1
same_json "$E2E_DIR/a_scores.json" "$E2E_DIR/c_scores.json"
contains '"alpha"' "$BODY"
api 200 "$OFFICE" "/api/v1/scores?period=2018-Q1&category=county"
cp "$E2E_DIR/api.json" "$E2E_DIR/a_scores_c.json"
cli_json office office111 "$E2E_DIR/c_scores_c.json" scores --period 2018-Q1 --category county
same_json "$E2E_DIR/a_scores_c.json" "$E2E_DIR/c_scores_c.json"
not_contains '"dept_fin"' "$BODY"
api 200 "$OFFICE" "/api/v1/dispatch?period=2018-03"
cp "$E2E_DIR/api.json" "$E2E_DIR/a_disp.json"
cli_json office office111 "$E2E_DIR/c_disp.json" dispatch --period 2018-03
same_json "$E2E_DIR/a_disp.json" "$E2E_DIR/c_disp.json"
api 200 "$OFFICE" "/api/v1/reports/status?period=2018-03"
cp "$E2E_DIR/api.json" "$E2E_DIR/a_status.json"
cli_json office office111 "$E2E_DIR/c_status.json" report status --period 2018-03
same_json "$E2E_DIR/a_status.json" "$E2E_DIR/c_status.json"
contains '"missing"' "$BODY"       # bravo's March
api 200 "$ALPHA" "/api/v1/plan?year=2018"
cp "$E2E_DIR/api.json" "$E2E_DIR/a_plan.json"
cli_json r_alpha pw-alpha-1 "$E2E_DIR/c_plan.json" plan show --year 2018
same_json "$E2E_DIR/a_plan.json" "$E2E_DIR/c_plan.json"
contains '"unit": "alpha"' "$BODY"

# errors: JSON with the status name and the HTTP status
api 401 "" "/api/v1/scores?period=2018-Q1"
contains '"status": "UNAUTHENTICATED"' "$BODY"
api 401 "not-a-token" "/api/v1/scores?period=2018-Q1"
contains '"status": "UNAUTHENTICATED"' "$BODY"
api 404 "$VIEWER" "/api/v1/dispatch?period=2018-03"      # not published
contains '"status": "NOT_FOUND"' "$BODY"
api 200 "$VIEWER" "/api/v1/dispatch?period=2018-02"      # published
api 200 "$VIEWER" "/api/v1/scores?period=2018-Q1"
api 400 "$OFFICE" "/api/v1/scores?period=2018-13"
contains '"status": "INVALID_ARGUMENT"' "$BODY"
api 400 "$OFFICE" "/api/v1/scores?period=2018-Q1&color=red"
contains "unknown parameter 'color'" "$BODY"
api 400 "$OFFICE" "/api/v1/scores?period=%zz"
api 400 "$OFFICE" "/api/v1/plan?year=20x8"
api 404 "$OFFICE" "/api/v1/nothing"
contains '"status": "NOT_FOUND"' "$BODY"
api 403 "$ALPHA" "/api/v1/plan?unit=bravo"
contains '"status": "PERMISSION_DENIED"' "$BODY"
contains '"http": 403' "$BODY"

# one audit trail and one log with RPC: the board's calls are logged as calls
# of the method table, from the peer's address
grep -q "call method=/planwatch.v1.ScoreService/Get user=office status=OK" "$SERVER_LOG" && pass \
  || fail "the API call is not in the call log"
grep -q "call method=/planwatch.v1.PlanService/Show user=r_alpha status=PERMISSION_DENIED us=[0-9]* peer=127.0.0.1" "$SERVER_LOG" \
  && pass || fail "the refused API call is not logged with its peer"
server_down && pass || fail "planwatchd did not stop cleanly"
e2e_finish
