#!/usr/bin/env bash
# Builds the images the agent tests use, from Debian's static BusyBox, with `docker import`
# (no registry is reachable). Idempotent and fast when the image already exists; set
# REBUILD=1 to force. Needs a Docker Engine that answers (see scripts/ensure-docker.sh).
set -euo pipefail

IMAGE="${TEST_IMAGE:-longshore-test/busybox:latest}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
APPLETS=(sh ash httpd sleep nc cat echo wget ls mkdir touch env id hostname ps kill grep head tail
  dd true false printf test rm cp mv seq sed awk tr wc sync ping nslookup ip ifconfig date
  uname whoami df free top yes timeout)

log() { echo "build-test-images: $*" >&2; }

if [ "${REBUILD:-0}" != "1" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
[ -x "$BUSYBOX" ] || { log "$BUSYBOX is missing: apt-get install -y busybox-static"; exit 1; }

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/www" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/data"
chmod 1777 "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in "${APPLETS[@]}"; do
  if "$BUSYBOX" --list | grep -qx "$applet"; then ln -s busybox "$root/bin/$applet"; fi
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
echo 'hello from longshore-test busybox' >"$root/www/index.html"

tar -C "$root" -cf "$root.tar" .
# PATH and WORKDIR are image config: `docker import --change` records them like a Dockerfile.
docker import --change 'ENV PATH=/bin' --change 'WORKDIR /' --change 'CMD ["sh"]' \
  "$root.tar" "$IMAGE" >/dev/null
rm -f "$root.tar"
log "built $IMAGE"
