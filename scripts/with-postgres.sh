#!/usr/bin/env bash
# Runs a command with SHIFAN_POSTGRES_URL pointing at a PostgreSQL server that answers (the given
# one if it does, otherwise the project-local cluster); stops the cluster afterwards only if this
# script started it. The tests that run on both stores read SHIFAN_POSTGRES_URL.
set -euo pipefail
PG="$(cd "$(dirname "$0")" && pwd)/postgres.sh"

started=no
if ! "$PG" answers; then
  unset SHIFAN_POSTGRES_URL
  "$PG" running || started=yes
fi
SHIFAN_POSTGRES_URL="$("$PG" start)"
export SHIFAN_POSTGRES_URL
echo "postgres: $SHIFAN_POSTGRES_URL" >&2

status=0
"$@" || status=$?
if [ "$started" = yes ] && [ -z "${SHIFAN_KEEP_POSTGRES:-}" ]; then "$PG" stop || true; fi
exit $status
