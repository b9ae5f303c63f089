# Sourced by broker.sh and postgres.sh: does a server answer at a URL's host and port?
# usage: url_answers URL DEFAULT_PORT   (exit 0 when a TCP connection is accepted)

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

url_answers() {
  local hostport="${1#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
  local host="${hostport%%:*}" port="${hostport##*:}"
  [ "$host" = "$hostport" ] && port="$2"
  port_open "$host" "$port"
}
