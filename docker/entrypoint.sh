#!/bin/sh
# Creates the database with its first admin on first start (the password
# comes from PLANWATCH_PASSWORD), then runs planwatchd in the foreground.
set -eu
DB=${PLANWATCH_DB:-/var/lib/planwatch/planwatch.db}
if [ ! -f "$DB" ]; then
  : "${PLANWATCH_PASSWORD:?set PLANWATCH_PASSWORD for the first admin}"
  planwatchd init --db "$DB" --admin "${PLANWATCH_ADMIN:-admin}"
fi
unset PLANWATCH_PASSWORD
exec planwatchd --db "$DB" --listen "${PLANWATCH_LISTEN:-tcp://0.0.0.0:7070}" "$@"
