#!/usr/bin/env bash
# Makes sure a Docker Engine answers on this machine: installs Debian's docker.io and
# busybox-static when missing, starts dockerd in the background when `docker info` fails, and
# waits (bounded) until it answers. Idempotent; meant for CI and fresh Debian machines (as root).
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
# dockerd answers within a few seconds on these machines; 60 s covers a cold first start.
WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"

log() { echo "ensure-docker: $*" >&2; }

need_install=()
command -v dockerd >/dev/null 2>&1 || need_install+=(docker.io)
[ -x /bin/busybox ] || need_install+=(busybox-static)
# bindfs (FUSE) enforces EFS access points' POSIX users on task mounts (src/agent/engine/access-point-mount.ts).
command -v bindfs >/dev/null 2>&1 || need_install+=(bindfs)
if [ "${#need_install[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${need_install[*]} and not root: install them with apt-get as root"
    exit 1
  fi
  log "installing ${need_install[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "docker does not answer and starting dockerd needs root"
  exit 1
fi

# The default daemon's pid file tells whether one is already starting (a private dockerd with
# its own --pidfile, as some tests run, does not count).
PIDFILE=/var/run/docker.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  log "dockerd (pid $(cat "$PIDFILE")) is starting; waiting for it"
else
  # A stale pid file from a killed daemon makes dockerd refuse to start.
  rm -f "$PIDFILE"
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the daemon must outlive the shell (and test runner process group) that started it.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
fi

for ((i = 1; i <= WAIT_SECONDS * 2; i++)); do
  if docker info >/dev/null 2>&1; then
    log "docker is ready after $((i / 2))s"
    exit 0
  fi
  if ((i % 10 == 0)); then log "waiting for dockerd ($((i / 2))s/${WAIT_SECONDS}s)"; fi
  sleep 0.5
done

log "dockerd did not answer within ${WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
tail -n 20 "$DOCKERD_LOG" >&2 || true
exit 1
