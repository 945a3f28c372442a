#!/bin/sh
# The daily backup: a consistent copy of the live database (planwatchd
# backup: the server keeps running and writing), checked, then copies older
# than PLANWATCH_BACKUP_KEEP_DAYS removed.  Used by the systemd timer
# (docker/systemd/planwatchd-backup.*) and by the compose service `backup`
# (with --daily HH:MM it sleeps until that time each day, UTC).
set -eu
DB=${PLANWATCH_DB:-/var/lib/planwatch/planwatch.db}
DIR=${PLANWATCH_BACKUP_DIR:-/var/backups/planwatch}
KEEP=${PLANWATCH_BACKUP_KEEP_DAYS:-30}

backup_once() {
  mkdir -p "$DIR"
  to="$DIR/planwatch-$(date -u +%Y%m%dT%H%M%SZ).db"
  planwatchd backup --db "$DB" --to "$to"
  planwatchd check --db "$to" >/dev/null
  find "$DIR" -maxdepth 1 -name 'planwatch-*.db' -mtime +"$KEEP" -print -delete
}

if [ "${1:-}" = "--daily" ]; then
  at=${2:?--daily HH:MM}
  while :; do
    now=$(date -u +%s)
    next=$(date -u -d "today $at" +%s)
    [ "$next" -gt "$now" ] || next=$(date -u -d "tomorrow $at" +%s)
    sleep $((next - now))
    backup_once || echo "planwatchd-backup: backup FAILED at $(date -u)" >&2
  done
fi
backup_once
