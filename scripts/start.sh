#!/usr/bin/env bash
# `npm start`: everything `longshore up` needs on a fresh Debian machine, then `longshore up`.
# That includes the small BusyBox image the README walkthrough runs (longshore-test/busybox,
# built by scripts/build-test-images.sh as for the tests: no registry is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ]; then npm install --no-audit --no-fund; fi
bash scripts/ensure-docker.sh
# Without the image Longshore still runs (any local image works); `longshore up` says how to make it.
bash scripts/build-test-images.sh || echo "start: could not build the walkthrough image (see above)" >&2
exec node_modules/.bin/node bin/longshore.mjs up "$@"
