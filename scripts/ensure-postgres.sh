#!/usr/bin/env bash
# PostgreSQL for the PostgreSQL store's tests and benchmarks (src/store/postgres/).
#
#   ensure-postgres.sh          installs Debian's postgresql when its server binaries are missing
#                               (CI, fresh machines), then checks that initdb runs.
#   ensure-postgres.sh serve PORT [LISTEN [CIDR...]]
#                               a throwaway server for one test process: initdb in a temp dir as
#                               the `postgres` user (PostgreSQL refuses to run as root), listening
#                               on 127.0.0.1:PORT only (or on LISTEN, a comma-separated address
#                               list that should include 127.0.0.1, with trust for clients in each
#                               CIDR: multi-host tests over veth pairs), no fsync. Prints `ready PORT DIR`, then
#                               reads commands on stdin, one a line: `stop` (fast shutdown),
#                               `start`, each answered `stopped`/`started`. When stdin closes (the
#                               test process ended, even by SIGKILL) the server is stopped and the
#                               temp dir removed. test/support/postgres.ts drives it.
set -euo pipefail

log() { echo "ensure-postgres: $*" >&2; }

# The newest installed server's bin dir (Debian: /usr/lib/postgresql/<major>/bin).
find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  fi
}

install_if_missing() {
  if [ -n "$(find_bin)" ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL server binaries are missing and installing them needs root (apt-get install postgresql)"
    return 1
  fi
  log "installing Debian's postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q postgresql >/dev/null
  if [ -z "$(find_bin)" ]; then
    log "apt-get install postgresql finished but no server binaries under /usr/lib/postgresql/*/bin"
    return 1
  fi
}

# The prefix that runs a command as the `postgres` user when we are root (PostgreSQL refuses
# root). setpriv execs in place, so the pid `$!` gives for `"${AS_PG[@]}" postgres &` is the server's.
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi

# Globals: the EXIT trap runs after serve() has returned.
port="" bin="" dir="" pg_pid="" listen=""

serve() {
  port="$1"
  listen="${2:-127.0.0.1}"
  local trusted=("${@:3}")
  bin=$(find_bin)
  dir=$(mktemp -d /tmp/longshore-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

  stop_pg() {
    if [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null; then
      kill -INT "$pg_pid" 2>/dev/null || true # fast shutdown
      wait "$pg_pid" 2>/dev/null || true
    fi
    pg_pid=""
  }
  cleanup() {
    stop_pg
    rm -rf "$dir"
  }
  trap cleanup EXIT
  trap 'exit 143' TERM INT HUP

  "${AS_PG[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
    log "initdb failed:"
    cat "$dir/initdb.log" >&2
    exit 1
  }
  for cidr in "${trusted[@]}"; do
    echo "host all all $cidr trust" >>"$dir/data/pg_hba.conf"
  done

  start_pg() {
    "${AS_PG[@]}" "$bin/postgres" -D "$dir/data" -p "$port" -c listen_addresses="$listen" \
      -c unix_socket_directories="$dir" -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off -c max_connections=200 -c log_min_messages=warning \
      </dev/null >>"$dir/server.log" 2>&1 &
    pg_pid=$!
    # A cold start takes well under a second here; 30 s covers a loaded CI machine.
    for ((i = 0; i < 300; i++)); do
      if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then return 0; fi
      if ! kill -0 "$pg_pid" 2>/dev/null; then break; fi
      sleep 0.1
    done
    log "postgres did not become ready on 127.0.0.1:$port; its log:"
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
  }

  start_pg
  echo "ready $port $dir"
  while read -r command; do
    case "$command" in
    stop)
      stop_pg
      echo stopped
      ;;
    start)
      start_pg
      echo started
      ;;
    *) log "unknown command: $command" ;;
    esac
  done
}

case "${1:-}" in
"")
  install_if_missing
  bin=$(find_bin)
  "$bin/initdb" --version >/dev/null
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $bin"
  ;;
serve)
  [ -n "${2:-}" ] || {
    log "usage: ensure-postgres.sh serve PORT [LISTEN [CIDR...]]"
    exit 2
  }
  install_if_missing
  serve "${@:2}"
  ;;
*)
  log "usage: ensure-postgres.sh [serve PORT [LISTEN [CIDR...]]]"
  exit 2
  ;;
esac
