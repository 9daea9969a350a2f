#!/usr/bin/env bash
# `npm start`: everything `longshore up` needs on a fresh Debian machine, then `longshore up`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ]; then npm install --no-audit --no-fund; fi
bash scripts/ensure-docker.sh
exec node_modules/.bin/node bin/longshore.mjs up "$@"
