#!/usr/bin/env bash
# Load the demo plan (seed 000, see README.md here) into a running server
# through the real CLIs: the units with planwatch-admin, an office account and
# one reporter per unit, then the plan and both score sheets with planwatch.
#
# Environment (defaults are those of ./scripts/demo):
#   PLANWATCH_SERVER              server URL (the clients' own default otherwise)
#   PLANWATCH_DEMO_BIN            directory of planwatch / planwatch-admin (else $PATH)
#   PLANWATCH_ADMIN_USER          admin account              (admin)
#   PLANWATCH_ADMIN_PASSWORD      its password               (admin-demo-1)
#   PLANWATCH_OFFICE_USER         office account to create/use (office)
#   PLANWATCH_OFFICE_PASSWORD     its password               (office-demo-1)
#   PLANWATCH_DEMO_REPORTERS      1: a reporter per unit, named like the unit,
#                                 password "<unit>-demo-1"; 0: none   (1)
#   PLANWATCH_DEMO_PLAN           plan id                    (xiangxi2018)
# Re-running is harmless: existing units and users are kept, the plan and the
# sheets are replaced (the server refuses the plan once reports refer to it).
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
BIN=${PLANWATCH_DEMO_BIN:-}
PW=${BIN:+$BIN/}planwatch
PWADMIN=${BIN:+$BIN/}planwatch-admin
ADMIN_USER=${PLANWATCH_ADMIN_USER:-admin}
ADMIN_PASSWORD=${PLANWATCH_ADMIN_PASSWORD:-admin-demo-1}
OFFICE_USER=${PLANWATCH_OFFICE_USER:-office}
OFFICE_PASSWORD=${PLANWATCH_OFFICE_PASSWORD:-office-demo-1}
REPORTERS=${PLANWATCH_DEMO_REPORTERS:-1}
PLAN=${PLANWATCH_DEMO_PLAN:-xiangxi2018}
PLAN_NAME="湘西自治州推进新型城镇化建设三年行动计划(2018-2020年)"

admin() { PLANWATCH_PASSWORD=$ADMIN_PASSWORD "$PWADMIN" --user "$ADMIN_USER" "$@"; }
office() { PLANWATCH_PASSWORD=$OFFICE_PASSWORD "$PW" --user "$OFFICE_USER" "$@"; }

# run an admin command; "already exists" is fine (re-runs)
admin_add() {
  local err rc=0
  err=$(admin "$@" 2>&1 >/dev/null) || rc=$?
  if [ "$rc" -ne 0 ] && [[ "$err" != *"(ALREADY_EXISTS)"* ]]; then
    echo "$err" >&2
    return "$rc"
  fi
}

n=0
# units.csv: id,name,category (no commas or quotes in the names; the
# generator checks), first line the header (with a BOM)
while IFS=, read -r id name category; do
  admin_add unit add "$id" --name "$name" --category "$category"
  n=$((n + 1))
done < <(tail -n +2 "$DIR/units.csv" | tr -d '\r')
echo "units: $n"

PLANWATCH_NEW_PASSWORD=$OFFICE_PASSWORD admin_add user add "$OFFICE_USER" --role office
if [ "$REPORTERS" = 1 ]; then
  while IFS=, read -r id _; do
    PLANWATCH_NEW_PASSWORD="$id-demo-1" admin_add user add "$id" --role reporter --unit "$id"
  done < <(tail -n +2 "$DIR/units.csv" | tr -d '\r')
  echo "reporters: $n (user = unit id, password <unit>-demo-1)"
fi

office plan import --plan "$PLAN" --name "$PLAN_NAME" \
  --indicators "$DIR/indicators.csv" --targets "$DIR/targets.csv"
office sheet import "$DIR/sheet-county.csv" --category county --commend-top 3 --criticise-bottom 2
office sheet import "$DIR/sheet-department.csv" --category department --commend-top 3 --criticise-bottom 2
