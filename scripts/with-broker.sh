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
echo "broker: $AMQP_URI" >&2

status=0
"$@" || status=$?
if [ "$started" = yes ] && [ -z "${SHIFAN_KEEP_BROKER:-}" ]; then "$BROKER" stop || true; fi
exit $status
