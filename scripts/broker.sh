#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers: uses AMQP_URI when one is reachable, otherwise installs
# Debian's rabbitmq-server when missing and runs a project-local node with its data under var/.
# usage: scripts/broker.sh start|stop|status|answers|running   (start prints the AMQP URI)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="${SHIFAN_BROKER_DIR:-$ROOT/var/rabbitmq}"
NODE="${SHIFAN_BROKER_NODE:-shifan@localhost}"
PORT="${SHIFAN_BROKER_PORT:-5682}"
DIST_PORT="${SHIFAN_BROKER_DIST_PORT:-25682}"
MGMT_PORT="${SHIFAN_BROKER_MGMT_PORT:-15682}"
LOCAL_URI="amqp://guest:guest@127.0.0.1:${PORT}/"
SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
CTL=/usr/lib/rabbitmq/bin/rabbitmqctl

export HOME="$BASE/home"
export RABBITMQ_MNESIA_BASE="$BASE/mnesia" RABBITMQ_LOG_BASE="$BASE/log"
export RABBITMQ_NODENAME="$NODE" RABBITMQ_NODE_PORT="$PORT" RABBITMQ_DIST_PORT="$DIST_PORT"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_CONFIG_FILE="$BASE/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$BASE/enabled_plugins"
export RABBITMQ_PID_FILE="$BASE/node.pid"

# shellcheck source=scripts/answers.sh
. "$ROOT/scripts/answers.sh"
uri_answers() { url_answers "$1" 5672; }  # host and port of an amqp:// URI accept a connection

install_rabbitmq() {
  [ -x "$SERVER" ] && return 0
  echo "broker: installing Debian's rabbitmq-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq rabbitmq-server >&2
}

start_local() {
  if uri_answers "$LOCAL_URI"; then echo "$LOCAL_URI"; return 0; fi  # already up (maybe another checkout's)
  install_rabbitmq
  mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  cat > "$BASE/rabbitmq.conf" <<CONF
listeners.tcp.default = $PORT
management.tcp.port = $MGMT_PORT
management.tcp.ip = 127.0.0.1
loopback_users = none
log.console = false
CONF
  echo "[rabbitmq_management]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  echo "broker: starting local node $NODE on 127.0.0.1:$PORT (data in $BASE)" >&2
  nohup "$SERVER" > "$RABBITMQ_LOG_BASE/server.out" 2>&1 &
  for _ in $(seq 1 120); do
    if "$CTL" -n "$NODE" await_startup --timeout 5 >/dev/null 2>&1; then
      echo "$LOCAL_URI"; return 0
    fi
    sleep 1
  done
  echo "broker: local node did not start; see $RABBITMQ_LOG_BASE" >&2
  tail -n 30 "$RABBITMQ_LOG_BASE/server.out" >&2 || true
  return 1
}

case "${1:-start}" in
  start)
    if [ -n "${AMQP_URI:-}" ] && uri_answers "$AMQP_URI"; then echo "$AMQP_URI"; exit 0; fi
    start_local ;;
  stop)
    if [ -x "$CTL" ] && "$CTL" -n "$NODE" status >/dev/null 2>&1; then
      "$CTL" -n "$NODE" stop >/dev/null && echo "broker: stopped $NODE" >&2
    fi ;;
  status)
    "$CTL" -n "$NODE" status ;;
  answers)  # exit 0 when AMQP_URI is set and accepts connections
    [ -n "${AMQP_URI:-}" ] && uri_answers "$AMQP_URI" ;;
  running)  # exit 0 when something answers on the project-local node's port
    uri_answers "$LOCAL_URI" ;;
  *) echo "usage: $0 start|stop|status|answers|running" >&2; exit 2 ;;
esac
