#!/bin/sh
# Restores a dump made by pg-dump.sh into PGDATABASE (reached through PGHOST, PGPORT,
# PGUSER and PGPASSWORD), replacing the tables, sequences and functions it holds. One
# transaction: a failure leaves the database as it was.
set -eu
dump="$1"
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$PGDATABASE" "$dump"
echo "restored $dump into $PGDATABASE"
