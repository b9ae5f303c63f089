#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers: SHIFAN_POSTGRES_URL when one is reachable, otherwise
# installs Debian's postgresql when missing and runs a project-local cluster under var/postgres.
# usage: scripts/postgres.sh start|stop|answers|running   (start prints the server's URL)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="${SHIFAN_POSTGRES_DIR:-$ROOT/var/postgres}"
PORT="${SHIFAN_POSTGRES_PORT:-5442}"
LOCAL_URL="postgresql://shifan:shifan@127.0.0.1:${PORT}/postgres"

# shellcheck source=scripts/answers.sh
. "$ROOT/scripts/answers.sh"
pg_answers() { url_answers "$1" 5432; }  # host and port of a postgresql:// URL accept a connection

bindir() {  # the newest installed server's binaries
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  [ -n "$(bindir)" ] && [ -x "$(bindir)/postgres" ] && return 0
  echo "postgres: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

as_owner() {  # the server refuses to run as root: root runs it as the postgres user
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_local() {
  if pg_answers "$LOCAL_URL"; then echo "$LOCAL_URL"; return 0; fi
  install_postgres
  local bin; bin="$(bindir)"
  mkdir -p "$BASE"
  [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
  if [ ! -f "$BASE/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$BASE/data" -U shifan --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  echo "postgres: starting a local cluster on 127.0.0.1:$PORT (data in $BASE)" >&2
  as_owner "$bin/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
    -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  echo "$LOCAL_URL"
}

case "${1:-start}" in
  start)
    if [ -n "${SHIFAN_POSTGRES_URL:-}" ] && pg_answers "$SHIFAN_POSTGRES_URL"; then echo "$SHIFAN_POSTGRES_URL"; exit 0; fi
    start_local ;;
  stop)
    if [ -f "$BASE/data/postmaster.pid" ]; then
      as_owner "$(bindir)/pg_ctl" -D "$BASE/data" -m fast stop >/dev/null && echo "postgres: stopped" >&2
    fi ;;
  answers)  # exit 0 when SHIFAN_POSTGRES_URL is set and accepts connections
    [ -n "${SHIFAN_POSTGRES_URL:-}" ] && pg_answers "$SHIFAN_POSTGRES_URL" ;;
  running)  # exit 0 when something answers on the project-local cluster's port
    pg_answers "$LOCAL_URL" ;;
  *) echo "usage: $0 start|stop|answers|running" >&2; exit 2 ;;
esac
