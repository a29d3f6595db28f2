#!/bin/sh
# Copies one dump of PGDATABASE from s3://BACKUP_BUCKET/postgres/ into BACKUP_DIR: the
# object BACKUP_OBJECT when set, otherwise the newest (names sort by their UTC time).
set -eu
dir="${BACKUP_DIR:-/backup}"
mc alias set store "$S3_ENDPOINT" "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY" >/dev/null
object="${BACKUP_OBJECT:-}"
if [ -z "$object" ]; then
  object=$(mc find "store/$BACKUP_BUCKET/postgres" --name "${PGDATABASE}-*.dump" | sort | tail -n 1)
fi
if [ -z "$object" ]; then
  echo "no dump of $PGDATABASE in $BACKUP_BUCKET" >&2
  exit 1
fi
case "$object" in store/*) ;; *) object="store/$BACKUP_BUCKET/postgres/$object" ;; esac
mc cp "$object" "$dir/restore.dump"
echo "$object"
