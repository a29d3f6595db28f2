#!/bin/sh
# Dumps the database PGDATABASE (reached through PGHOST, PGPORT, PGUSER and PGPASSWORD)
# in pg_dump's custom format into BACKUP_DIR as <database>-<UTC time>.dump, and prints the
# file's path. The custom format is compressed and restores with pg_restore.
set -eu
dir="${BACKUP_DIR:-/backup}"
file="$dir/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial"
mv "$file.partial" "$file"
echo "$file"
