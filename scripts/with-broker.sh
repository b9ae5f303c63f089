#!/usr/bin/env bash
# Runs a command with AMQP_URI pointing at a broker that answers (AMQP_URI if it does, otherwise
# the project-local node); stops the local node afterwards only if this script started it.
set -euo pipefail
BROKER="$(cd "$(dirname "$0")" && pwd)/broker.sh"

started=no
if ! "$BROKER" answers; then
  unset AMQP_URI
  "$BROKER" running || started=yes
fi
AMQP_URI="$("$BROKER" start)"
export AMQP_URI
if [ "$started" = yes ] || [ -z "${SHIFAN_RABBIT_MANAGEMENT:-}" ]; then
  # the project-local node's management API (agencies are created through it)
  export SHIFAN_RABBIT_MANAGEMENT="${SHIFAN_RABBIT_MANAGEMENT:-http://guest:guest@127.0.0.1:${SHIFAN_BROKER_MGMT_PORT:-15682}}"
fi
echo "broker: $AMQP_URI" >&2

status=0
"$@" || status=$?
if [ "$started" = yes ] && [ -z "${SHIFAN_KEEP_BROKER:-}" ]; then "$BROKER" stop || true; fi
exit $status
