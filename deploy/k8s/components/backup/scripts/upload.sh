#!/bin/sh
# Copies the dumps in BACKUP_DIR to s3://BACKUP_BUCKET/postgres/ on S3_ENDPOINT and removes
# the ones older than BACKUP_RETENTION_DAYS there.
set -eu
dir="${BACKUP_DIR:-/backup}"
mc alias set store "$S3_ENDPOINT" "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY" >/dev/null
mc mb --ignore-existing "store/$BACKUP_BUCKET"
mc cp "$dir"/*.dump "store/$BACKUP_BUCKET/postgres/"
mc rm --recursive --force --older-than "${BACKUP_RETENTION_DAYS:-14}d" "store/$BACKUP_BUCKET/postgres/"
