#!/bin/sh
# The postgres image's entrypoint: refuses to start without a password, initialises the data
# directory once (a file that must survive restarts), then listens on 5432.
[ "$1" = postgres ] || exec "$@"
if [ -z "$POSTGRES_PASSWORD" ]; then
  echo "Error: Database is uninitialized and superuser password is not specified." >&2
  exit 1
fi
PGDATA=${PGDATA:-/var/lib/postgresql/data}
mkdir -p "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo 14 > "$PGDATA/PG_VERSION"
  echo "cluster $(head -c 12 /dev/urandom | base64) for ${POSTGRES_USER:-postgres}" > "$PGDATA/standin-cluster"
fi
exec standin-serve db 0.0.0.0 5432
